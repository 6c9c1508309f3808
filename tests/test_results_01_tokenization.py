"""Metric bands on what chapter 1 (tokenization) recorded in this test run's results ledger.

These run after the chapters (see conftest.py). Run alone, a missing chapter is executed
first with its smoke values. Bands differ for real and sample data; both can fail.
"""

import pytest

from tests.ledger import chapter_results

pytestmark = pytest.mark.chapter_results


def test_01_tokenization():
    entry = chapter_results("01_tokenization")
    metrics, source = entry["metrics"], entry["run"]["data_sources"]["sarcasm"]
    n = metrics["num_headlines"]
    assert metrics["padded_shape"] == [n, metrics["longest"]]
    assert metrics["fraction_within_max_length"] > 0.99
    assert 0.40 < metrics["sarcastic_fraction"] < 0.48
    assert 9.0 < metrics["mean_length"] < 11.0
    if source == "real":
        assert set(metrics["top_words"][:4]) == {"to", "of", "the", "in"}
        assert metrics["longest"] >= 20
        if n == 26_709:
            assert 28_000 < metrics["vocab_size"] < 29_000
        else:
            assert 2 * n < metrics["vocab_size"] < 5 * n
    else:
        assert source == "sample"
        assert 60 < metrics["vocab_size"] < 200 and metrics["longest"] <= 14
