"""Metric bands on what chapter 5 (LSTM) recorded in this test run's results ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. The quick run (1,000 short reviews, one pass) is too small for
an LSTM to learn much, so its bands check the mechanics: the NumPy steps match Keras, the
parameter counts are exact, and masking makes predictions independent of padding. Accuracy
bands apply to full-scale runs.
"""

import pytest

from labutils.data import samples
from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results


def test_05_lstm():
    entry = chapter_results("05_lstm")
    metrics, sources = entry["metrics"], entry["run"]["data_sources"]
    real_vocab = sources["imdb_subword_vocab"] == "real"
    real_reviews = sources["imdb_reviews"] == "real"
    full = is_course_scale(entry)

    assert metrics["rnn_matches"] and metrics["lstm_matches"]
    vocab_size = 7_635 if real_vocab else len(samples.subword_vocab())
    embedding = vocab_size * 64
    head = (128 * 64 + 64) + (64 + 1)  # Dense(64) on 128 inputs, then Dense(1)
    one_bilstm = 2 * 4 * 64 * (64 + 64 + 1)
    assert metrics["single_parameters"] == embedding + one_bilstm + head
    # the stack: units u then u // 2 in each direction (u = 32 at course scale)
    u = metrics["stacked_units"]
    first_bilstm = 2 * 4 * u * (64 + u + 1)
    second_bilstm = 2 * 4 * (u // 2) * (2 * u + u // 2 + 1)
    stacked_head = (u * 64 + 64) + (64 + 1)  # the second BiLSTM outputs 2 * (u // 2) numbers
    assert metrics["stacked_parameters"] == embedding + first_bilstm + second_bilstm + stacked_head

    # With the mask, padding changes nothing. Without it, the short runs' predictions move with
    # the padding; at course scale, on the most padded reviews, they need not (the record's
    # unmasked states had settled: see the chapter's masking section).
    assert metrics["masked_padding_change"] < 1e-5
    if not full:
        assert metrics["unmasked_padding_change"] > 1e-3
    assert metrics["keras_epochs"] >= metrics["epochs"]
    for name in ["single", "stacked", "unmasked"]:
        accuracy = metrics[f"{name}_validation_accuracy"]
        assert 0.4 < accuracy <= 1.0
        assert metrics[f"{name}_seconds_per_epoch"] > 0
    if full and real_reviews and real_vocab and metrics["max_length"] >= 256:
        # Bands with room around the course-scale run recorded in
        # benchmarks/results/course-scale-05_lstm.json (ten passes: the models overfit, and
        # the last check sits below the best one).
        assert metrics["single_validation_accuracy"] > 0.75
        assert metrics["stacked_validation_accuracy"] > 0.75
        assert metrics["stacked_units"] == 32 and metrics["keras_epochs"] == metrics["epochs"] == 10
    elif full and not real_reviews:
        assert metrics["single_validation_accuracy"] > 0.85
