"""The CPU applies cuDNN's mask rule (tests/cudnn_rules.py), as the GPU publish run would."""

import numpy as np
import pytest

RIGHT_PADDED = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
LEFT_PADDED = np.array([[0, 1, 2, 3], [0, 0, 4, 5]])
FULLY_MASKED_ROW = np.array([[1, 2, 0, 0], [0, 0, 0, 0]])


@pytest.fixture
def enforced(monkeypatch):
    """cuDNN's rule in this process, undone after the test."""
    from keras.src import backend

    from tests.cudnn_rules import install

    monkeypatch.setattr(backend, "lstm", backend.lstm)  # restored at teardown
    monkeypatch.setattr(backend, "gru", backend.gru)
    install()
    install()  # idempotent: no double wrapping


def masked_model(cell, **options):
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(None,)),
            layers.Embedding(10, 4, mask_zero=True),
            layers.Bidirectional(cell(3, **options)),
            layers.Dense(1),
        ]
    )


@pytest.mark.parametrize("cell_name", ["LSTM", "GRU"])
def test_masks_the_gpu_rejects_fail_on_the_cpu(enforced, cell_name):
    import tensorflow as tf
    from keras import layers

    cell = getattr(layers, cell_name)
    model = masked_model(cell)
    assert model.predict(RIGHT_PADDED, verbose=0).shape == (2, 1)
    for ids in (LEFT_PADDED, FULLY_MASKED_ROW):
        with pytest.raises(tf.errors.InvalidArgumentError, match="right-padded sequences"):
            model.predict(ids, verbose=0)
    # What the GPU allows: no cuDNN for this layer, or an eager call (which falls back there).
    assert masked_model(cell, use_cudnn=False).predict(LEFT_PADDED, verbose=0).shape == (2, 1)
    assert tuple(model(LEFT_PADDED).shape) == (2, 1)


def test_without_the_rule_the_cpu_accepts_any_mask():
    # The reason for the rule: an unpatched CPU run says nothing about the GPU's verdict.
    from keras import layers

    assert masked_model(layers.LSTM).predict(LEFT_PADDED, verbose=0).shape == (2, 1)


def test_every_kernel_the_tests_start_applies_the_rule():
    # conftest.py points IPYTHONDIR at a folder whose startup file installs the rule.
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = next((Path(os.environ["IPYTHONDIR"]) / "profile_default" / "startup").glob("*.py"))
    check = (
        f"exec(open({str(script)!r}).read())\n"
        "from keras.src import backend\n"
        "print(backend.lstm.enforces_cudnn_rules and backend.gru.enforces_cudnn_rules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "True", done.stderr[-2000:]
