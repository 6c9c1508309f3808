"""Metric bands on what chapter 5b (why an LSTM, shown) recorded in this test run's ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. The smoke run (one distance, one seed, a few hundred sequences,
one epoch) is far too small for any model to learn the task, so its bands check the mechanics:
the hand-built GRU steps, bidirectional and stacked passes match Keras, the parameter counts
follow the formulas, the accuracy grid has one value per seed and distance, and the gradient
and forget-gate measurements have the right shape and are finite. The bands on what the
chapter's story rests on (every kind learns the shortest distance, the LSTM beats the
SimpleRNN at the largest) apply to course-scale runs only.
"""

import math

import pytest

from tests.ledger import chapter_results, is_course_scale

pytestmark = pytest.mark.chapter_results


def mean_over_seeds(grid):
    """Mean accuracy per distance of a (seeds, distances) grid."""
    return [sum(column) / len(column) for column in zip(*grid)]


def test_05b_why_lstm():
    entry = chapter_results("05b_why_lstm")
    metrics = entry["metrics"]

    # The hand-built passes agree with Keras to 1e-5 (the chapter's np.allclose checks).
    assert metrics["gru_matches"], "the NumPy GRU step (reset_after=True) differs from layers.GRU"
    assert metrics["gru_reset_before_matches"], "the NumPy GRU step (reset_after=False) differs"
    assert metrics["bidirectional_matches"], "bidirectional by hand differs from Bidirectional"
    assert metrics["stacked_matches"], "the stack by hand differs from two stacked layers"

    d, u = metrics["embedding_dim"], metrics["units"]
    assert metrics["recurrent_parameters"] == {
        "SimpleRNN": u * (d + u + 1),
        "GRU": 3 * u * (d + u + 2),  # reset_after=True: two bias vectors per block
        "LSTM": 4 * u * (d + u + 1),
    }

    distances, seeds = metrics["distances"], metrics["seeds"]
    assert distances == sorted(set(distances))
    assert set(metrics["accuracy"]) == {"SimpleRNN", "GRU", "LSTM"}
    for grid in metrics["accuracy"].values():
        assert len(grid) == len(seeds) and all(len(row) == len(distances) for row in grid)
        assert all(0.0 <= value <= 1.0 for row in grid for value in row)
    assert all(seconds > 0 for seconds in metrics["seconds_per_epoch"].values())
    assert metrics["sweep_seconds"] > 0
    assert 0.0 <= metrics["control_accuracy"] <= 1.0  # the SimpleRNN with learned vectors

    # One gradient norm per position of the longest sequences, positive and finite.
    length = metrics["lead"] + distances[-1]
    assert set(metrics["gradient_curves"]) == {
        f"{kind} {state}"
        for kind in ("SimpleRNN", "LSTM")
        for state in ("at initialisation", "after training")
    }
    for curve in metrics["gradient_curves"].values():
        assert len(curve) == length and all(math.isfinite(g) and g > 0 for g in curve)
    for reach in metrics["gradient_reach"].values():
        assert math.isfinite(reach["ratio"]) and reach["ratio"] > 0 and reach["per_step"] > 0
    for kept in metrics["kept_memory"].values():
        assert 0 < kept["mean_gate"] < 1 and 0 < kept["best_unit"] <= 1
    if distances[-1] >= 16:
        # Before any training, with the fixed word vectors, the SimpleRNN's gradient shrinks
        # faster per step than the LSTM's, whose forget gates start mostly open.
        reach = metrics["gradient_reach"]
        assert (
            reach["SimpleRNN at initialisation"]["per_step"]
            < reach["LSTM at initialisation"]["per_step"]
        )

    if is_course_scale(entry):
        mean = {kind: mean_over_seeds(grid) for kind, grid in metrics["accuracy"].items()}
        # Every kind learns the shortest distance within the budget.
        assert all(accuracy[0] > 0.9 for accuracy in mean.values()), mean
        # At the largest distance the LSTM does better than the SimpleRNN, on average.
        assert mean["LSTM"][-1] > mean["SimpleRNN"][-1], mean
