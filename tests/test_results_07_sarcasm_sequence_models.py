"""Metric bands on what chapter 7 (sarcasm with sequence models) recorded in this test run.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data, and for the smoke run
(2,000 training headlines, four epochs) and the full run (the course's 20,000, ten epochs).
"""

import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results

PARAMETERS = {
    "lstm": 174_129,
    "conv": 171_149,
    "dropout": 171_149,
    "small_vocabulary": 14_029,
    "l2": 171_149,
    "early_stopping": 171_149,
}
REMEDIES = ["dropout", "small_vocabulary", "l2"]


def test_07_sarcasm_sequence_models():
    entry = chapter_results("07_sarcasm_sequence_models")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["sarcasm"]
    assert metrics["parameters"] == PARAMETERS
    epochs, rise = metrics["epochs"], metrics["val_loss_rise"]
    for model in PARAMETERS:
        assert metrics["final_val_loss"][model] - metrics["min_val_loss"][model] == pytest.approx(
            rise[model]
        )
        assert rise[model] >= 0
        assert metrics["best_val_accuracy"][model] >= metrics["kept_val_accuracy"][model] - 1e-6
        assert metrics["seconds_per_epoch"][model] > 0
        expected_epochs = range(1, epochs + 1) if model == "early_stopping" else [epochs]
        assert metrics["epochs_run"][model] in expected_epochs
    # Early stopping keeps the best epoch, so it keeps a model at least about as good as the last.
    assert (
        metrics["kept_val_accuracy"]["early_stopping"] > metrics["kept_val_accuracy"]["conv"] - 0.03
    )
    full = is_course_scale(entry)
    kept, top = metrics["kept_val_accuracy"], metrics["top_val_accuracy"]
    if full:
        assert metrics["num_validation_examples"] == 6_709
    if source == "real":
        # Bands with room around the record
        # benchmarks/results/course-scale-07_sarcasm_sequence_models.json.
        assert top > (0.845 if full else 0.7)
        assert min(kept.values()) > (0.79 if full else 0.6)
        if full:
            # The plain models overfit: validation loss climbs well above its minimum ...
            assert rise["conv"] > 0.3 and rise["lstm"] > 0.5 and metrics["gap"]["conv"] > 0.1
            # ... every remedy at least halves that rise, and early stopping stops early.
            for remedy in REMEDIES:
                assert rise[remedy] < 0.5 * rise["conv"]
            assert metrics["epochs_run"]["early_stopping"] < epochs
        else:
            assert max(rise["lstm"], rise["conv"]) > 0.02
    else:
        # The synthetic headlines have a vocabulary of a few hundred words: little to memorise,
        # so overfitting is not asserted on them.
        assert source == "sample"
        assert top > (0.8 if full else 0.65)
        assert min(kept.values()) > (0.7 if full else 0.55)
