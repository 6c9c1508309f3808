"""What a run executes on, for the chapter's output and its recorded results.

Introduced in chapter 1 (tokenization).
"""

from __future__ import annotations

import os
import platform


def environment() -> dict:
    """Return Python, TensorFlow and Keras versions and the device TensorFlow computes on.

    Examples
    --------
    >>> sorted(environment())                  # doctest: +SKIP
    ['device', 'keras', 'profile', 'python', 'tensorflow']
    """
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        device = f"GPU: {details.get('device_name', gpus[0].name)}"
    else:
        device = f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "device": device,
        "profile": os.environ.get("LABUTILS_PROFILE", "interactive"),
    }
