"""Metric bands on what chapter 2 (word embeddings) recorded in this test run's results ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data, and for the full profile
(all 25,000 training reviews, 10 epochs) and smaller runs; all of them can fail.
"""

import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results


def test_02_imdb_embeddings():
    entry = chapter_results("02_imdb_embeddings")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["imdb_reviews"]
    flatten, pooling = (
        {
            name[len(model) + 1 :]: value
            for name, value in metrics.items()
            if name.startswith(f"{model}_")
        }
        for model in ("flatten", "pooling")
    )
    epochs = metrics["epochs"]
    full = is_course_scale(entry)

    # The course's model: 10,000 x 16 embedding, Flatten over 120 positions, Dense(6), Dense(1).
    assert metrics["max_length"] == 120
    assert flatten["parameters"] == 171_533
    assert pooling["parameters"] == 160_109
    assert metrics["num_validation"] + metrics["num_test"] in (4_000, 25_000)
    assert abs(metrics["num_validation"] - metrics["num_test"]) <= 1
    for model in (flatten, pooling):
        assert 1 <= model["best_epoch"] <= epochs and 1 <= model["lowest_val_loss_epoch"] <= epochs
        assert 0 < model["seconds_per_epoch"] < 120
        assert model["best_val_accuracy"] <= 1.0 and model["test_accuracy"] <= 1.0
    assert metrics["best_test_accuracy"] == max(flatten["test_accuracy"], pooling["test_accuracy"])
    assert metrics["projector_files"] == ["vecs.tsv", "meta.tsv"]

    if source == "real":
        assert metrics["vocab_size"] == 10_000
        assert 150 < metrics["median_review_length"] < 200
        if full:
            # The target, and overfitting: the flatten model memorises the training set
            # while its validation loss is lowest well before the last epoch.
            assert metrics["best_test_accuracy"] >= 0.85
            assert min(flatten["test_accuracy"], pooling["test_accuracy"]) > 0.82
            assert flatten["final_train_accuracy"] > 0.98
            assert flatten["lowest_val_loss_epoch"] < epochs
            assert metrics["sentiment_separation"] >= 0.9
            assert "worst" in metrics["neighbours"]["awful"] + metrics["neighbours"]["boring"]
        else:
            assert metrics["best_test_accuracy"] > 0.70
            assert min(flatten["test_accuracy"], pooling["test_accuracy"]) > 0.62
            assert metrics["sentiment_separation"] >= 0.75
    else:
        assert source == "sample"
        assert 100 < metrics["vocab_size"] < 300
        assert metrics["best_test_accuracy"] > (0.86 if full else 0.78)
        assert min(flatten["test_accuracy"], pooling["test_accuracy"]) > 0.70
        assert metrics["sentiment_separation"] >= 0.75
