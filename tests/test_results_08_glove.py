"""Metric bands on what chapter 8 (transfer learning with GloVe) recorded in this test run.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. The GloVe answers do not depend on the data; the coverage and
accuracy bands differ for real and sample headlines and for smoke and full runs.
"""

import pytest

from tests.ledger import chapter_results

pytestmark = pytest.mark.chapter_results

HEAD_PARAMS = 50 * 24 + 24 + 24 + 1  # Dense(24) on the averaged 50-d vector, then Dense(1)


def course_scale(entry):
    """Whether the entry comes from a full-profile (course-scale) run."""
    return entry["run"].get("profile") == "full"


def test_08_glove():
    entry = chapter_results("08_glove")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["sarcasm"]
    models = metrics["models"]
    scratch, frozen, tuned = models["scratch"], models["frozen"], models["fine-tuned"]

    # GloVe itself, whatever the headlines; the sample vectors only plant the analogies.
    assert metrics["embedding_dim"] == 50 and metrics["analogy_king"][0] == "queen"
    if entry["run"]["data_sources"]["glove_6b_50d"] == "real":
        assert metrics["glove_words"] == 400_000
        assert "toad" in metrics["glove_neighbours"]["frog"]
        assert "hilarious" in metrics["glove_neighbours"]["funny"]
        assert "garlic" in metrics["glove_neighbours"]["onion"]
    else:
        assert metrics["glove_words"] < 1_000
    assert set(metrics["watched_neighbours"]) == {"GloVe", "fine-tuned", "scratch"}

    # Parameter counts: the same model, only the embedding's trainability differs.
    total = metrics["vocabulary_size"] * 50 + HEAD_PARAMS
    assert scratch["params"] == frozen["params"] == tuned["params"] == total
    assert scratch["trainable_params"] == tuned["trainable_params"] == total
    assert frozen["trainable_params"] == HEAD_PARAMS
    assert metrics["coverage_words"] == metrics["vocabulary_size"] - 2
    assert metrics["coverage_covered"] <= metrics["coverage_words"]

    # Frozen embeddings overfit less: training and validation accuracy stay together.
    assert abs(frozen["gap"]) < 0.05
    for run in models.values():
        assert run["seconds_per_epoch"] > 0

    full = course_scale(entry)
    if source == "real":
        assert metrics["num_validation"] == 6_709
        assert metrics["vocabulary_size"] == 10_000  # the cap binds from 4,000 headlines on
        assert frozen["gap"] < scratch["gap"] - 0.05  # scratch memorises the real headlines
        assert 0.90 < metrics["coverage_fraction"] < 0.99
        assert "shouldnt" in metrics["missing_words"]  # punctuation stripping glues words
        if full:
            assert 0.96 < metrics["coverage_fraction"] < 0.99
            assert scratch["best_val_accuracy"] > 0.83 and tuned["best_val_accuracy"] > 0.83
            assert 0.68 < frozen["val_accuracy"] < 0.80
            assert scratch["train_accuracy"] > 0.95 and scratch["gap"] > 0.10
            assert scratch["val_loss"] > scratch["min_val_loss"] + 0.1  # it overfits
            assert frozen["val_loss"] < frozen["min_val_loss"] + 0.01  # it does not
        else:
            assert scratch["best_val_accuracy"] > 0.75 and tuned["best_val_accuracy"] > 0.70
            assert 0.55 < frozen["best_val_accuracy"] < 0.75
    else:
        assert source == "sample"
        assert metrics["coverage_fraction"] > 0.99  # the samples use common English words
        assert metrics["vocabulary_size"] < 200
        for run in (scratch, tuned):
            assert 0.70 < run["best_val_accuracy"] < 0.86  # cues agree with labels 80% of the time
        assert frozen["best_val_accuracy"] > (0.65 if full else 0.55)
