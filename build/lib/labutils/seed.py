"""Seeding, so that a chapter gives the same numbers when it is run again.

Introduced in chapter 1 (tokenization).
"""

from __future__ import annotations


def set_seed(seed: int = 42, deterministic_ops: bool = False) -> None:
    """Seed Python's ``random``, NumPy and TensorFlow (via ``keras.utils.set_random_seed``).

    With ``deterministic_ops=True`` TensorFlow also picks deterministic kernels, which makes
    runs repeatable on a GPU too, at some cost in speed.

    Examples
    --------
    >>> import numpy as np
    >>> set_seed(7); a = np.random.rand()
    >>> set_seed(7); b = np.random.rand()
    >>> a == b
    True
    """
    import keras

    keras.utils.set_random_seed(seed)
    if deterministic_ops:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
