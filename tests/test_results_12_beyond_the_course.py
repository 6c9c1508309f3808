"""Metric bands on what chapter 12 (beyond the course) recorded, and on its course-scale record.

``test_12_beyond_the_course`` checks this test run's ledger (run alone, the chapter is
executed first with its smoke values); its bands differ for real and sample data and for
a course-scale (full profile) run and smaller ones. ``test_12_course_scale_record`` checks
the committed full run, ``benchmarks/results/course-scale-12_beyond_the_course.json``, against
the chapter's targets. All of them can fail.
"""

import pytest

from labutils import results
from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results

IMDB_MODELS = {
    "TF-IDF n-grams, dense head",
    "n-grams, logistic regression",
    "n-grams, NB-weighted logistic regression",
    "sequence: conv, embedding from scratch",
    "sequence: conv, GloVe-initialised embedding",
}
SARCASM_MODELS = {
    "TF-IDF n-grams, dense head",
    "n-grams, NB-weighted logistic regression",
    "word and character n-grams, NB-weighted logistic regression",
    "sequence: conv, GloVe-initialised embedding",
}
NEGATIVE_WORDS = {
    "worst",
    "waste",
    "awful",
    "poorly",
    "worse",
    "horrible",
    "terrible",
    "boring",
    "disappoint",
    "pointless",
    "lame",
    "mess",
    "stupid",
    "unfunny",
    "garbage",
    "avoid",
    "1/10",
    "2/10",
    "3/10",
}
POSITIVE_WORDS = {
    "excellent",
    "touching",
    "highly",
    "recommend",
    "wonderful",
    "superb",
    "great",
    "10/10",
    "9/10",
    "8/10",
    "7/10",
    "perfect",
    "beautiful",
}


def mentions(ngrams, words):
    """How many of the n-grams contain one of the words."""
    return sum(any(word in ngram for word in words) for ngram in ngrams)


def check_protocol(metrics: dict) -> None:
    """What holds at any scale, on any data: the choice, the seeds, the parameter counts."""
    assert set(metrics["imdb_candidates"]) == IMDB_MODELS
    assert set(metrics["sarcasm_candidates"]) == SARCASM_MODELS
    for task in ("imdb", "sarcasm"):
        candidates, best = metrics[f"{task}_candidates"], metrics[f"{task}_best"]
        # The validation split chose: the chosen model has the best validation accuracy.
        choice = metrics[f"{task}_choice"]
        assert best["model"] == choice
        assert candidates[choice]["val_accuracy"] == max(
            c["val_accuracy"] for c in candidates.values()
        )
        # One run per seed; the spread is reported, and the mean lies inside it.
        runs = best["runs"]
        assert len(runs) == metrics["num_seeds"] >= 2
        accuracies = [run["test_accuracy"] for run in runs]
        assert best["test_accuracy_min"] == min(accuracies) and best["test_accuracy_max"] == max(
            accuracies
        )
        assert min(accuracies) <= metrics[f"{task}_test_accuracy_mean"] <= max(accuracies) <= 1.0
        assert all(run["seconds"] > 0 and run["best_epoch"] >= 1 for run in runs)
        for report in candidates.values():
            assert 0.0 <= report["val_accuracy"] <= 1.0 and report["seconds"] > 0
    # A logistic regression has one weight per n-gram and a bias; the dense head 16 units.
    imdb = metrics["imdb_candidates"]
    n = metrics["num_ngrams"]
    assert imdb["n-grams, logistic regression"]["parameters"] == n + 1
    assert imdb["n-grams, NB-weighted logistic regression"]["parameters"] == n + 1
    assert imdb["TF-IDF n-grams, dense head"]["parameters"] == n * 16 + 16 + 16 + 1
    # The table: every earlier model (9 on IMDB, 10 on the headlines) and this chapter's.
    for task, earlier, ours in (
        ("imdb", 9, len(IMDB_MODELS)),
        ("sarcasm", 10, len(SARCASM_MODELS)),
    ):
        rows = [line for line in metrics[f"{task}_table"].splitlines() if line.startswith("| ")][1:]
        assert len(rows) == earlier + ours
        assert sum(row.startswith("| 12 |") for row in rows) == ours
    # The course's numbers are read from their records, not retyped.
    assert (
        metrics["course_imdb_test_accuracy"]
        == (results.course_scale("02_imdb_embeddings")["metrics"]["best_test_accuracy"])
    )


def check_course_scale(metrics: dict) -> None:
    """The chapter's targets, on the real data at course scale."""
    assert metrics["num_train"] == 20_000 and metrics["num_validation"] == 5_000
    assert metrics["num_test"] == 12_500
    assert metrics["num_headlines_test"] == 6_709 and metrics["num_headlines_train"] == 18_000
    assert metrics["num_seeds"] >= 3
    # IMDB: at least 0.91 on chapter 2's test set, on every seed, trained within 5 minutes.
    assert metrics["imdb_test_accuracy_mean"] >= 0.91
    assert metrics["imdb_test_accuracy_min"] >= 0.905
    assert metrics["imdb_best"]["test_accuracy_std"] < 0.01
    assert metrics["imdb_best_seconds"] + metrics["imdb_best_prep_seconds"] <= 300
    assert metrics["imdb_test_accuracy_mean"] > metrics["course_imdb_test_accuracy"] + 0.04
    # The NB weights help the logistic regression, and a bag of n-grams beats the sequence model.
    assert metrics["nb_gain"] > 0
    assert metrics["imdb_choice"] != metrics["imdb_best_sequence"]
    assert (
        0.85
        < metrics["imdb_best_sequence_val_accuracy"]
        < metrics["imdb_best"]["runs"][0]["val_accuracy"]
    )
    assert mentions(metrics["top_ngrams_negative"], NEGATIVE_WORDS) >= 4
    assert mentions(metrics["top_ngrams_positive"], POSITIVE_WORDS) >= 4
    # Headlines: at least 0.87 on the 6,709 held-out headlines, above the course's best.
    assert metrics["sarcasm_test_accuracy_mean"] >= 0.87
    assert metrics["sarcasm_best"]["test_accuracy_std"] < 0.01
    assert metrics["sarcasm_test_accuracy_mean"] > metrics["course_sarcasm_accuracy"]


def test_12_beyond_the_course():
    entry = chapter_results("12_beyond_the_course")
    metrics = entry["metrics"]
    check_protocol(metrics)
    sources = entry["run"]["data_sources"]
    if sources["imdb_reviews"] == "real" and sources["sarcasm"] == "real":
        if is_course_scale(entry):
            check_course_scale(metrics)
        else:
            # Smoke: a couple of thousand reviews and headlines, one epoch.
            assert metrics["imdb_test_accuracy_mean"] > 0.75
            assert metrics["sarcasm_test_accuracy_mean"] > 0.62
            assert mentions(metrics["top_ngrams_negative"], NEGATIVE_WORDS) >= 2
    else:
        # The synthetic samples, smoke scale: the n-grams still find the sentiment words.
        assert metrics["imdb_test_accuracy_mean"] > 0.70
        assert metrics["sarcasm_test_accuracy_mean"] > 0.70
        assert mentions(metrics["top_ngrams_negative"], NEGATIVE_WORDS) >= 2


def test_12_course_scale_record():
    record = results.course_scale("12_beyond_the_course")
    assert record["profile"] == "full" and record["overrides"] == {}
    assert record["run"]["data_sources"] == {
        "imdb_reviews": "real",
        "sarcasm": "real",
        "glove_6b_50d": "real",
    }
    check_protocol(record["metrics"])
    check_course_scale(record["metrics"])
