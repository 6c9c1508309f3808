"""Timing training, so chapters can report seconds per epoch on the hardware they ran on.

Introduced in chapter 2 (word embeddings).
"""

from __future__ import annotations

import time


def epoch_timer():
    """Return a Keras callback that stores each epoch's wall time in ``.epoch_seconds``.

    It also adds the time to the epoch's logs as ``epoch_seconds``, so the ``History`` that
    ``fit`` returns (and a record made from it) holds one time per epoch beside the losses.

    Examples
    --------
    >>> timer = epoch_timer()                                         # doctest: +SKIP
    >>> model.fit(train_ds, epochs=2, callbacks=[timer])              # doctest: +SKIP
    >>> timer.epoch_seconds                                           # doctest: +SKIP
    [4.1, 3.2]
    """
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epoch_seconds: list[float] = []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self._start
            self.epoch_seconds.append(seconds)
            if (
                logs is not None
            ):  # shared with the History callback, which Keras runs after this one
                logs["epoch_seconds"] = seconds

        def seconds_per_epoch(self) -> float:
            """Median epoch time; the first epoch, which includes tracing, is skipped if possible."""
            import statistics

            times = self.epoch_seconds[1:] or self.epoch_seconds
            return statistics.median(times) if times else float("nan")

    return EpochTimer()
