"""cuDNN's mask rule, enforced on the CPU, so that a chapter the GPU would reject fails here too.

On a GPU, Keras 3 runs ``layers.LSTM`` and ``layers.GRU`` on cuDNN whenever their arguments
allow it, and cuDNN takes a mask only if every sequence is right-padded and none is masked
entirely: ``keras/src/backend/tensorflow/rnn.py`` checks it with ``_assert_valid_mask`` inside
the compiled step, and a mask that breaks the rule stops ``fit`` or ``predict`` with an
``InvalidArgumentError``. On a CPU the same layers never reach that check and run. ``install``
wraps the backend's ``lstm`` and ``gru`` so the check runs on a CPU exactly where a GPU would
run it (same conditions, same check; in eager mode, as on a GPU, a failed check falls back to
the generic kernel). ``conftest.py`` installs it in every notebook kernel the tests start, so
``pytest --nbmake chapters`` applies the GPU's rule to every masked recurrent input the book
builds.
"""

from __future__ import annotations

import functools


def install() -> None:
    """Make this process's Keras apply cuDNN's mask rule on any device (idempotent)."""
    import importlib

    import tensorflow as tf
    from keras.src import backend

    # The module, not the function `rnn` that keras.src.backend.tensorflow also exports.
    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")

    def enforcing(original, mask_position, arguments_supported):
        if getattr(original, "enforces_cudnn_rules", False):
            return original

        @functools.wraps(original)
        def call(*args, **kwargs):
            mask = kwargs["mask"] if "mask" in kwargs else args[mask_position]
            if mask is not None and arguments_supported(kwargs):
                try:
                    rnn._assert_valid_mask(mask)
                except tf.errors.InvalidArgumentError:
                    raise NotImplementedError from None  # eager: as on a GPU, the layer falls back
            return original(*args, **kwargs)

        call.enforces_cudnn_rules = True
        return call

    def lstm_supported(kwargs):
        return rnn._do_lstm_arguments_support_cudnn(
            activation=kwargs["activation"],
            recurrent_activation=kwargs["recurrent_activation"],
            unroll=kwargs.get("unroll", False),
            use_bias=kwargs.get("bias") is not None,
        )

    def gru_supported(kwargs):
        return rnn._do_gru_arguments_support_cudnn(
            activation=kwargs["activation"],
            recurrent_activation=kwargs["recurrent_activation"],
            unroll=kwargs.get("unroll", False),
            use_bias=kwargs.get("bias") is not None,
            reset_after=kwargs.get("reset_after", True),
        )

    # The layers call backend.lstm(inputs, h, c, mask, kernel=..., ...) and
    # backend.gru(inputs, h, mask, kernel=..., ...).
    backend.lstm = enforcing(backend.lstm, 3, lstm_supported)
    backend.gru = enforcing(backend.gru, 2, gru_supported)


def startup_file(folder) -> None:
    """Write an IPython startup file under ``folder`` (used as ``IPYTHONDIR``) that installs the
    rule in every kernel started with that folder."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    startup = Path(folder) / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-cudnn-rules.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        "from tests.cudnn_rules import install\n"
        "install()\n"
        "del sys.path[0], install\n"
    )
