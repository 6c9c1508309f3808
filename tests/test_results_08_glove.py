"""Metric bands on what chapter 8 (transfer learning with GloVe) recorded in this test run.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. The GloVe answers do not depend on the data; the coverage and
accuracy bands differ for real and sample headlines and for smoke and full runs. The
Sentiment140 section (the course's week-3 assignment) has its own test below.
"""

import numpy as np
import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results

HEAD_PARAMS = 50 * 24 + 24 + 24 + 1  # Dense(24) on the averaged 50-d vector, then Dense(1)
# The tweets' model after its 50-d embedding: Conv1D(32, 5), then Dense(32) and Dense(1).
TWEET_HEAD_PARAMS = (5 * 50 * 32 + 32) + (32 * 32 + 32) + (32 + 1)
SLOPE_BAR = 0.0005  # the assignment's bar on the validation loss's slope, per epoch


def test_08_glove():
    entry = chapter_results("08_glove")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["sarcasm"]
    models = metrics["summaries"]
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

    full = is_course_scale(entry)
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

    if "tweets" in metrics:  # course-scale records made before the Sentiment140 section have none
        check_sentiment140(entry)


def test_08_glove_sentiment140():
    entry = chapter_results("08_glove")
    assert "tweets" in entry["metrics"], "the chapter records the week-3 experiment"
    check_sentiment140(entry)


def check_sentiment140(entry):
    """Bands on the course's week-3 experiment (Sentiment140, frozen GloVe vs learned)."""
    tweets, source = entry["metrics"]["tweets"], entry["run"]["data_sources"]["sentiment140"]
    frozen, learned = tweets["models"]["GloVe, frozen"], tweets["models"]["learned"]

    # The subset and its split: nine tenths train; the labels 0/4 became 0/1 in about equal shares.
    assert tweets["num_train"] == int(0.9 * tweets["num_tweets"])
    assert tweets["num_train"] + tweets["num_validation"] == tweets["num_tweets"]
    assert set(tweets["polarities"]) == {"0", "4"}  # the training tweets have no neutral label
    assert tweets["polarities"]["4"] == round(tweets["positive_fraction"] * tweets["num_tweets"])
    assert 0.40 < tweets["positive_fraction"] < 0.60
    assert tweets["slope_bar"] == SLOPE_BAR

    # Same model, only the embedding differs: an uncapped vocabulary times 50, frozen or not.
    total = tweets["vocabulary_size"] * 50 + TWEET_HEAD_PARAMS
    assert frozen["params"] == learned["params"] == learned["trainable_params"] == total
    assert frozen["trainable_params"] == TWEET_HEAD_PARAMS

    # The grade is the least-squares slope of the recorded validation losses, per epoch.
    for run in (frozen, learned):
        losses = run["val_losses"]
        assert len(losses) == tweets["epochs"] >= 2
        assert run["val_loss_slope"] == pytest.approx(
            np.polyfit(np.arange(len(losses)), losses, 1)[0]
        )
        assert run["val_loss"] == losses[-1] and run["min_val_loss"] == min(losses)

    full = is_course_scale(entry)
    if source == "real":
        assert tweets["coverage_fraction"] < 0.99  # user names, slang and misspellings
        if full:
            assert (tweets["num_tweets"], tweets["num_train"]) == (160_000, 144_000)
            assert tweets["epochs"] == 20
            assert frozen["val_loss_slope"] <= SLOPE_BAR  # the assignment's bar
            assert frozen["best_val_accuracy"] > 0.65
        else:
            assert frozen["best_val_accuracy"] > 0.55 and learned["best_val_accuracy"] > 0.55
    else:
        assert source == "sample"
        assert tweets["vocabulary_size"] < 300  # a few hundred sample words and 32 @handles
        assert 0.6 < tweets["coverage_fraction"] < 0.95  # the @handles have no vector
        for run in (frozen, learned):
            assert run["best_val_accuracy"] < 0.90  # cues agree 80% of the time, 10% flipped
        if full:
            assert frozen["best_val_accuracy"] > 0.70 and learned["best_val_accuracy"] > 0.70
            assert frozen["val_loss_slope"] <= SLOPE_BAR
        else:
            assert frozen["best_val_accuracy"] > 0.53 and learned["best_val_accuracy"] > 0.62
