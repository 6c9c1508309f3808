"""Metric bands on what chapter 4 (subword tokenization) recorded in this test run's ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data, and for the quick run
(a vocabulary learned from a hundred reviews, 3,000 reviews, 6 epochs) and the full one.
"""

import pytest

from labutils.data import samples
from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results

COURSE_PIECES = [
    "T",
    "##ens",
    "##or",
    "##F",
    "##low",
    ",",
    "from",
    "basic",
    "##s",
    "to",
    "master",
    "##y",
]


def test_04_subwords():
    entry = chapter_results("04_subwords")
    metrics, sources = entry["metrics"], entry["run"]["data_sources"]
    real_vocab = sources["imdb_subword_vocab"] == "real"
    real_reviews = sources["imdb_reviews"] == "real"
    full = is_course_scale(entry)

    # The course's vocabulary, and the model built on it (embedding 64, Dense 6, Dense 1).
    course_size = 7_635 if real_vocab else len(samples.subword_vocab())
    assert metrics["course_vocab_size"] == course_size
    assert metrics["parameters"] == course_size * 64 + (64 * 6 + 6) + (6 + 1)
    assert metrics["shared_tokens"] <= min(metrics["our_vocab_size"], course_size)
    # Pooling forgets order: a shuffled review gets the same prediction.
    assert metrics["shuffle_difference"] < 1e-5
    # A vocabulary learned from fewer reviews is smaller, so reviews take more tokens.
    assert metrics["mean_tokens_ours"] >= metrics["mean_tokens_course"] - 0.5

    if real_vocab:
        assert metrics["example_pieces_course"] == COURSE_PIECES
    if real_vocab and real_reviews:
        assert 200 < metrics["mean_words_per_review"] < 260
        assert 300 < metrics["mean_tokens_course"] < 380
        assert 0.4 < metrics["fraction_within_max_length"] < 0.6
        assert 0.08 < metrics["continuation_fraction"] < 0.2
        if metrics["vocab_reviews"] == 25_000:
            # Same data, same settings: the course's vocabulary, entry for entry.
            assert metrics["identical_vocabularies"] and metrics["shared_tokens"] == course_size
        else:
            assert metrics["shared_tokens"] > 0.8 * metrics["our_vocab_size"]
        if full:
            # Bands with room around the record benchmarks/results/course-scale-04_subwords.json.
            assert metrics["epochs"] == 10
            assert metrics["validation_accuracy"] > 0.82
            assert metrics["train_accuracy"] > metrics["validation_accuracy"] + 0.08  # overfits
        else:
            assert metrics["validation_accuracy"] > 0.70
    elif not real_reviews:
        assert 60 < metrics["mean_words_per_review"] < 130
        assert metrics["fraction_within_max_length"] > 0.99
        assert metrics["validation_accuracy"] > 0.75
    assert 0.0 < metrics["seconds_per_epoch"] < 600
