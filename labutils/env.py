"""What a run executes on, for the chapter's output and its recorded results.

Introduced in chapter 1 (tokenization).
"""

from __future__ import annotations

import json
import os
import platform

# What launched this kernel says how: {"profile": "smoke" | "full", "overrides": {name: value},
# "as_written": {name: the parameters cell's value}} (tools.book.describe_run, for papermill and
# nbmake runs alike). Unset: an interactive run.
RUN_VARIABLE = "LABUTILS_RUN"
SCALE_NAMES = {"full": "course scale", "smoke": "smoke scale", "interactive": "an interactive run"}


def run_descriptor() -> dict:
    """Return this run's profile and the parameter values injected into the chapter.

    Examples
    --------
    >>> os.environ.pop(RUN_VARIABLE, None) and None
    >>> run_descriptor()
    {'profile': 'interactive', 'overrides': {}}
    """
    described = json.loads(os.environ.get(RUN_VARIABLE) or "{}")
    descriptor = {
        "profile": described.get("profile", "interactive"),
        "overrides": dict(described.get("overrides", {})),
    }
    if described.get("as_written"):
        descriptor["as_written"] = dict(described["as_written"])
    return descriptor


def scale_note(descriptor: dict | None = None) -> str:
    """Return a Markdown note saying at which scale this page ran, for the top of the page.

    Introduced in chapter 1. At smoke scale it names each injected value and the value the
    chapter's parameters cell gives it; at course scale it says the parameters are as written
    (or which were changed). An interactive run (Jupyter, Colab) gets no note: the reader sees
    the parameters cell they ran.

    Examples
    --------
    >>> print(scale_note({"profile": "smoke", "overrides": {"epochs": 2},
    ...                   "as_written": {"epochs": 10}}))
    :::{admonition} Smoke scale
    :class: note
    This page ran at **smoke scale**, the book's quick test run: `epochs = 2` (as written: `10`). The numbers printed on it come from that small run; the chapter as written runs at course scale, and what quotes its course-scale record says so (a *Record:* line, or a box headed *Course scale*).
    :::
    """
    descriptor = run_descriptor() if descriptor is None else descriptor
    profile, overrides = descriptor["profile"], descriptor["overrides"]
    written = descriptor.get("as_written", {})
    changed = ", ".join(
        f"`{name} = {value!r}`" + (f" (as written: `{written[name]!r}`)" if name in written else "")
        for name, value in overrides.items()
    )
    if profile == "smoke":
        return (
            ":::{admonition} Smoke scale\n:class: note\nThis page ran at **smoke scale**, the book's quick test run"
            + (f": {changed}" if changed else "")
            + ". The numbers printed on it come from that small run; the chapter as written runs "
            "at course scale, and what quotes its course-scale record says so (a *Record:* line, "
            "or a box headed *Course scale*).\n:::"
        )
    if profile == "full":
        detail = f", except {changed}" if changed else ": the parameters cell as written"
        return f":::{{admonition}} Course scale\n:class: note\nThis page ran at **course scale**{detail}.\n:::"
    return ""


def show_run() -> None:
    """Show where and at which scale this page runs: the :func:`scale_note` and one line of
    versions and device. Introduced in chapter 1; every chapter's setup cell calls it."""
    from IPython.display import Markdown, display

    versions = environment()
    line = (
        f"Python {versions['python']} · TensorFlow {versions['tensorflow']} · Keras "
        f"{versions['keras']} · {versions['device']}"
    )
    note = scale_note()
    display(Markdown((note + "\n\n" if note else "") + line))


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
