"""Timing training, so chapters can report seconds per epoch on the hardware they ran on.

Introduced in chapter 2 (word embeddings).
"""

from __future__ import annotations

import time


def epoch_timer(print_every: int | None = None):
    """Return a Keras callback that stores each epoch's wall time in ``.epoch_seconds``.

    It also adds the time to the epoch's logs as ``epoch_seconds``, so the ``History`` that
    ``fit`` returns (and a record made from it) holds one time per epoch beside the losses.
    With ``print_every=N`` it prints one line of the epoch's logs for the first epoch, every
    N-th and the last: a compact log for ``fit(..., verbose=0)`` runs of 100 epochs and more.

    Examples
    --------
    >>> timer = epoch_timer()                                         # doctest: +SKIP
    >>> model.fit(train_ds, epochs=2, callbacks=[timer])              # doctest: +SKIP
    >>> timer.epoch_seconds                                           # doctest: +SKIP
    [4.1, 3.2]
    >>> model.fit(train_ds, epochs=100, verbose=0,
    ...           callbacks=[epoch_timer(print_every=25)])           # doctest: +SKIP
    epoch   1/100  accuracy 0.031  loss 6.12  (4.1 s)
    epoch  25/100  accuracy 0.297  loss 3.80  (3.2 s)
    ...
    """
    import keras

    if print_every is not None and (not isinstance(print_every, int) or print_every < 1):
        raise ValueError(f"print_every must be a whole number of epochs >= 1, not {print_every!r}")

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
            total = self.params.get("epochs") if self.params else None
            if print_every and (epoch == 0 or (epoch + 1) % print_every == 0 or epoch + 1 == total):
                width = len(str(total or epoch + 1))
                values = "  ".join(
                    f"{name} {value:.3g}"
                    for name, value in (logs or {}).items()
                    if name != "epoch_seconds" and isinstance(value, (int, float))
                )
                print(
                    f"epoch {epoch + 1:>{width}}/{total}  {values}  ({seconds:.1f} s)", flush=True
                )

        def seconds_per_epoch(self) -> float:
            """Median epoch time; the first epoch, which includes tracing, is skipped if possible."""
            import statistics

            times = self.epoch_seconds[1:] or self.epoch_seconds
            return statistics.median(times) if times else float("nan")

    return EpochTimer()


def without_autotuning(dataset):
    """Return ``dataset`` with tf.data's autotuner switched off, so epochs end when their work does.

    With autotuning on (tf.data's default), an iterator that has produced an element runs a
    background thread that retunes the pipeline after waits that double from 10 ms. Deleting
    the iterator should wake that thread at once; measured with TensorFlow 2.21 on the 2-core
    machine the book was measured on, when the iterator was one a ``tf.function`` reads (as
    ``fit`` does, with a new one each epoch), the deletion sometimes waited for the thread's
    next wake-up instead, up to as long again as the iterator had lived
    (``tests/test_plumbing.py`` shows the wait; ``benchmarks/levers.py`` measures its cost on
    chapter 10's training, which lost nothing by switching the autotuner off). Use it with
    ``Dataset.apply``.

    Introduced in chapter 2 (word embeddings).

    Examples
    --------
    >>> train_ds = train_ds.prefetch(tf.data.AUTOTUNE).apply(timing.without_autotuning)  # doctest: +SKIP
    >>> train_ds.options().autotune.enabled                                         # doctest: +SKIP
    False
    """
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)
