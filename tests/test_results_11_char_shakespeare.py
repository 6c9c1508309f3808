"""Metric bands on what chapter 11 (character-level Shakespeare) recorded in this test run's ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data, and for the smoke profile
(a small GRU, one epoch on a slice) and the full profile (the tutorial's model, whole text).
"""

import math

import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results

REAL_TRAIN_CHARACTERS = 1_003_854


# Course-scale bands, with room around the chapter's recorded run (a GRU of 512 units for 10
# epochs, benchmarks/results/course-scale-11_char_shakespeare.json).
FULL_REAL_VAL_LOSS = 1.65
FULL_REAL_KNOWN_WORDS = 0.7
FULL_SAMPLE_VAL_LOSS = 2.4
FULL_SAMPLE_KNOWN_WORDS = 0.2


def gru_model_parameters(vocab_size, embedding_dim, rnn_units):
    embedding = vocab_size * embedding_dim
    # Two gates (update, reset) and the candidate, each with an input matrix, a recurrent matrix
    # and, with reset_after=True, two bias vectors.
    gru = 3 * (embedding_dim * rnn_units + rnn_units * rnn_units + 2 * rnn_units)
    dense = rnn_units * vocab_size + vocab_size
    return embedding + gru + dense


def test_11_char_shakespeare():
    entry = chapter_results("11_char_shakespeare")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["tiny_shakespeare"]
    full = is_course_scale(entry)
    vocab_size = metrics["vocab_size"]

    # Bookkeeping that holds for every run.
    assert metrics["model_parameters"] == gru_model_parameters(
        vocab_size, metrics["embedding_dim"], metrics["rnn_units"]
    )
    assert metrics["train_sequences"] == metrics["train_characters"] // (metrics["seq_length"] + 1)
    # Both profiles train on full passes over the text (steps_per_epoch = None).
    passes = metrics["train_sequences"] // metrics["batch_size"]
    assert metrics["steps"] == metrics["epochs"] * passes > 0
    assert metrics["seconds_per_epoch"] > 0
    assert metrics["perplexity"] == pytest.approx(math.exp(metrics["loss"]))
    assert metrics["val_perplexity"] == pytest.approx(math.exp(metrics["val_loss"]))

    # An untrained model guesses uniformly; carrying the GRU state is exact.
    assert metrics["untrained_loss"] == pytest.approx(math.log(vocab_size), abs=0.05)
    assert metrics["state_difference"] < 1e-4
    assert metrics["generated_characters"] == (1000 if full else 300)
    assert (
        metrics["passage"].startswith("ROMEO:") and len(metrics["passage"]) == len("ROMEO:") + 300
    )

    # Training learned context: below the uniform guess and below the context-free entropy.
    assert metrics["val_loss"] < metrics["untrained_loss"] - 0.8
    assert metrics["val_loss"] < metrics["unigram_entropy"] - 0.15
    fractions = metrics["temperature_known_word_fractions"]
    assert fractions["0.5"] >= fractions["1.5"]

    if source == "real":
        assert vocab_size == 66  # 65 characters and [UNK]
        assert 3.2 < metrics["unigram_entropy"] < 3.45
        if full:
            # the chapter's GRU of 512 units (the tutorial's 1,024 would give 4,022,850)
            assert metrics["rnn_units"] == 512 and metrics["model_parameters"] == 1_233_474
            assert metrics["train_characters"] == REAL_TRAIN_CHARACTERS
            assert metrics["val_loss"] < FULL_REAL_VAL_LOSS
            assert metrics["known_word_fraction"] > FULL_REAL_KNOWN_WORDS
        else:
            assert metrics["val_loss"] < 3.15
    else:
        assert source == "sample"
        assert vocab_size == 48  # the synthetic play's characters and [UNK]
        assert 3.0 < metrics["unigram_entropy"] < 3.4
        if full:
            assert metrics["val_loss"] < FULL_SAMPLE_VAL_LOSS
            assert metrics["known_word_fraction"] > FULL_SAMPLE_KNOWN_WORDS
        else:
            assert metrics["val_loss"] < 2.9
