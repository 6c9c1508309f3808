"""Metric bands on what chapter 9 (Irish lyrics) recorded in this test run's results ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data, and for the smoke
profile (a few epochs, a small model) and the full one (course scale); all of them can fail.
"""

import math

import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results


def test_09_irish_lyrics():
    entry = chapter_results("09_irish_lyrics")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["irish_lyrics"]
    vocab, embedding, units = (
        metrics["total_words"],
        metrics["embedding_dim"],
        metrics["lstm_units"],
    )
    full = is_course_scale(entry)

    # Embedding, a bidirectional LSTM (two LSTMs, each with four weight blocks: three gates and the
    # candidate), a softmax over the vocabulary.
    assert (
        metrics["params"]
        == vocab * embedding + 8 * units * (embedding + units + 1) + (2 * units + 1) * vocab
    )
    # Generated texts are as long as asked.
    assert metrics["generated_words"] == metrics["sampled_words"] == metrics["num_words"]
    assert len(metrics["greedy_text"].split()) == 5 + metrics["num_words"]

    # Perplexity: an untrained softmax is about uniform; the unigram baseline beats it; the
    # trained model beats both on its training n-grams and the untrained model on held-out ones.
    untrained, unigram = metrics["untrained_perplexity"], metrics["unigram_perplexity"]
    assert 0.8 * vocab < untrained < 1.25 * vocab
    assert unigram < 0.75 * untrained
    assert metrics["train_perplexity"] < unigram
    assert metrics["best_val_perplexity"] < 0.5 * untrained
    assert 1 <= metrics["best_epoch"] <= metrics["epochs"]

    # Greedy decoding repeats word pairs more than sampling at temperature 1, and an
    # undertrained model's greedy text is mostly loop.
    repetition, by_epoch = metrics["repetition"], metrics["greedy_repetition_by_epoch"]
    assert repetition["greedy"]["2"] > repetition["T = 1.0"]["2"]
    if not full:
        # A barely trained model's low-temperature samples fall into its loops; a model that has
        # memorised the songs (course scale) need not: its samples at 0.5 recite lines instead.
        assert repetition["T = 1.5"]["2"] <= repetition["T = 0.5"]["2"]
    assert len(by_epoch) == metrics["epochs"] and all(0 <= share <= 1 for share in by_epoch)
    assert by_epoch[0] > 0.5
    if full:
        # Once the songs are memorized the greedy text mostly follows them instead of looping.
        assert sorted(by_epoch[-20:])[10] < 0.2
    else:
        assert repetition["greedy"]["2"] > repetition["T = 1.0"]["2"] + 0.1

    # The warm-up on one song. Every run of the chapter records it; a course-scale record
    # written before the warm-up existed has none (tests/test_records.py checks those too).
    if "song_params" in metrics or not full:
        check_song(metrics, vocab, source)

    if source == "real":
        assert metrics["num_lines"] == 1692 and metrics["sequence_length"] == 16
        # The vocabulary of the training lines: about one held-out n-gram in eight has a next
        # word it cannot name, left out of the held-out perplexity.
        assert 2_550 < vocab < 2_750 and 11_000 < metrics["train_examples"] < 12_000
        if "unknown_target_share" in metrics:  # records written before the measurement lack it
            assert 0.05 < metrics["unknown_target_share"] < 0.2
            assert metrics["val_examples"] < metrics["held_out_ngrams"]
            assert 400 < unigram < 650
        if full:
            # The model learns the training songs; measured over words its vocabulary can name,
            # the held-out perplexity is finite and ends no lower than its best.
            assert metrics["train_accuracy"] > 0.7
            assert metrics["train_perplexity"] < 5
            assert math.isfinite(metrics["val_perplexity"])
            assert metrics["val_perplexity"] >= metrics["best_val_perplexity"]
        else:
            assert metrics["train_accuracy"] > 0.06
            assert metrics["best_val_perplexity"] < 1_000
    else:
        assert source == "sample"
        assert vocab < 100 and metrics["num_lines"] == 1200
        assert metrics["best_val_perplexity"] < unigram
        assert metrics["train_accuracy"] > 0.3


def check_song(metrics, vocab, source):
    """The warm-up on one song: its own vocabulary, the same model shape, learned by heart."""
    song_vocab, song_embedding, song_units = (
        metrics["song_total_words"],
        metrics["song_embedding_dim"],
        metrics["song_lstm_units"],
    )
    assert metrics["song_params"] == (
        song_vocab * song_embedding
        + 8 * song_units * (song_embedding + song_units + 1)
        + (2 * song_units + 1) * song_vocab
    )
    assert song_vocab < vocab and metrics["song_examples"] < metrics["train_examples"]
    assert len(metrics["song_text"].split()) == 5 + 8 and metrics["song_text"].startswith(
        "in the town of athy "
    )
    assert metrics["song_train_accuracy"] > (0.8 if metrics["song_epochs"] >= 30 else 0.3)
    if source == "real":
        # Lanigan's Ball as the lyrics file holds it: 60 lines.
        assert (
            metrics["song_lines"] == 60
            and 250 < song_vocab < 280
            and 400 < metrics["song_examples"] < 460
        )
