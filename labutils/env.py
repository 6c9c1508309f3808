"""What a run executes on, for the chapter's output and its recorded results.

Introduced in chapter 1 (tokenization).
"""

from __future__ import annotations

import json
import os
import platform

# What launched this kernel says how: {"profile": "smoke" | "full", "overrides": {name: value}}
# (tools/book.py for papermill runs, conftest.py for nbmake runs). Unset: an interactive run.
RUN_VARIABLE = "LABUTILS_RUN"


def run_descriptor() -> dict:
    """Return this run's profile and the parameter values injected into the chapter.

    Examples
    --------
    >>> os.environ.pop(RUN_VARIABLE, None) and None
    >>> run_descriptor()
    {'profile': 'interactive', 'overrides': {}}
    """
    described = json.loads(os.environ.get(RUN_VARIABLE) or "{}")
    return {
        "profile": described.get("profile", "interactive"),
        "overrides": dict(described.get("overrides", {})),
    }


def environment() -> dict:
    """Return Python, TensorFlow and Keras versions and the device TensorFlow computes on.

    Examples
    --------
    >>> sorted(environment())                  # doctest: +SKIP
    ['device', 'keras', 'overrides', 'profile', 'python', 'tensorflow']
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
        **run_descriptor(),
    }
