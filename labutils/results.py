"""The results ledger: each chapter records its headline numbers in one JSON file.

Introduced in chapter 1 (tokenization). Tests assert metric bands on it and the results page
is generated from it. The file is ``$LABUTILS_BUILD_DIR/results.json`` (``make`` sets the
variable), or ``_build/results.json`` under the current folder.
"""

from __future__ import annotations

import json
import numbers
import os
import tempfile
import time
from pathlib import Path


def ledger_path() -> Path:
    """Return the path of the results ledger (it may not exist yet)."""
    return (
        Path(os.environ.get("LABUTILS_BUILD_DIR", "_build")).expanduser().resolve() / "results.json"
    )


def artifact_dir(chapter: str) -> Path:
    """Return (and create) the folder for files a chapter writes, e.g. projector exports.

    It lies under the build folder, so the git tree stays clean.
    """
    folder = ledger_path().parent / "artifacts" / chapter
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load() -> dict:
    """Return the whole ledger, ``{chapter: {"metrics": {...}, "run": {...}}}``."""
    path = ledger_path()
    return json.loads(path.read_text()) if path.exists() else {}


# The one set of per-model metric names the chapters use (``models=`` of ``record``), each with
# the kind of number it is: the results page groups its charts by kind.
MODEL_METRICS = {
    "parameters": "count",
    "train_examples": "count",
    "epochs": "count",
    "best_epoch": "count",
    "seconds_per_epoch": "seconds",
    "train_accuracy": "accuracy",  # after the last epoch
    "val_accuracy": "accuracy",  # the best epoch's
    "test_accuracy": "accuracy",
    "val_loss": "loss",  # the lowest
    "train_perplexity": "perplexity",
    "val_perplexity": "perplexity",  # the lowest
}
KINDS = ("accuracy", "loss", "perplexity", "seconds", "count", "share")


def record(
    chapter: str,
    *,
    headline: list | None = None,
    models: dict | None = None,
    history: dict | None = None,
    **details,
) -> dict:
    """Record a chapter's results in the ledger (replacing its earlier entry).

    One shape for every chapter:

    - ``headline``: the chapter's few numbers for the results page, a list of
      ``{"label": "reader-facing label", "value": number, "kind": one of KINDS}``;
    - ``models``: per-model numbers, ``{model: {metric: number}}``, with the metric names of
      ``MODEL_METRICS`` only (``val_accuracy``, ``parameters``, ``train_examples``, ...);
    - ``history``: each model's per-epoch curves (a Keras ``History`` or its ``.history``
      dict, ``{"loss": [...], "val_loss": [...], ...}``), so a page can draw the course-scale
      curves from a record;
    - anything else, as keyword arguments: the chapter's free ``details`` (stored under
      ``metrics``, which the band tests read).

    Values must be numbers, strings, booleans, or lists/dicts of them; NumPy and TensorFlow
    scalars are converted. The entry also stores how the run was made: versions, device,
    profile, and which datasets were real or sample data. Returns the entry.

    Examples
    --------
    >>> entry = record("01_tokenization", vocab_size=10000,            # doctest: +SKIP
    ...                headline=[{"label": "vocabulary", "value": 10000, "kind": "count"}])
    >>> entry["metrics"]["vocab_size"]                                 # doctest: +SKIP
    10000
    """
    from . import data
    from .env import environment

    entry = {
        "metrics": {name: _plain(value, name) for name, value in details.items()},
        "headline": [_headline_item(item, chapter) for item in (headline or [])],
        "models": {
            str(model): _model_metrics(values, model) for model, values in (models or {}).items()
        },
        "history": {
            str(model): _curves(curves, model) for model, curves in (history or {}).items()
        },
        "run": {
            **environment(),
            "data_sources": data.sources_used(),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    }
    save_entry(chapter, entry)
    return Entry(chapter, entry)


class Entry(dict):
    """A recorded entry (a plain dict) that a notebook shows as two compact tables, the headline
    numbers and the models, instead of a dump of every float."""

    def __init__(self, chapter: str, entry: dict):
        super().__init__(entry)
        self.chapter = chapter

    def _repr_markdown_(self) -> str:
        from .report import chapter_table, fmt

        lines = [f"Recorded for `{self.chapter}`:", ""]
        if self["headline"]:
            lines += ["| headline number | value |", "|---|--:|"]
            lines += [f"| {item['label']} | {fmt(item['value'])} |" for item in self["headline"]]
            lines.append("")
        table = chapter_table(self.chapter, self).split("\n", 3)
        if len(table) > 3:  # below the heading and the run line: the models table
            lines.append(table[3].strip("\n"))
        lines.append(
            f"\n{len(self['metrics'])} further details are in the results ledger "
            f"({ledger_path().name}), for the book's tests and results page."
        )
        return "\n".join(lines)


def _headline_item(item, chapter) -> dict:
    if not isinstance(item, dict) or set(item) != {"label", "value", "kind"}:
        raise TypeError(
            f"{chapter}: each headline item must be a dict with exactly 'label', 'value' "
            f"and 'kind', e.g. {{'label': 'test accuracy', 'value': 0.86, 'kind': "
            f"'accuracy'}}; got {item!r}."
        )
    if item["kind"] not in KINDS:
        raise ValueError(
            f"{chapter}: headline {item['label']!r} has kind {item['kind']!r}; "
            f"use one of {', '.join(KINDS)}."
        )
    value = _plain(item["value"], item["label"])
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{chapter}: headline {item['label']!r} must be a number, not {value!r}.")
    return {"label": str(item["label"]), "value": value, "kind": item["kind"]}


def _model_metrics(values, model) -> dict:
    if not isinstance(values, dict):
        raise TypeError(f"models[{model!r}] must be a dict of metric names to numbers.")
    unknown = sorted(set(values) - set(MODEL_METRICS))
    if unknown:
        raise ValueError(
            f"models[{model!r}]: unknown metric name(s) {', '.join(unknown)}; the book's "
            f"names are {', '.join(MODEL_METRICS)} (put anything else in details)."
        )
    return {name: _plain(value, name) for name, value in values.items()}


def save_entry(chapter: str, entry: dict) -> None:
    """Store a whole ledger entry for ``chapter`` (``record`` makes one; the book's execution
    cache puts back the entry of a chapter it did not need to run again)."""
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    ledger = load()
    ledger[chapter] = entry
    # Write a temporary file and rename it: a reader never sees half a ledger.
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as tmp:
        json.dump(ledger, tmp, indent=2, sort_keys=True)
    os.replace(tmp.name, path)


def _curves(curves, model) -> dict:
    """Return one model's per-epoch curves as ``{metric: [float, ...]}``, all the same length."""
    curves = getattr(curves, "history", curves)  # a keras.callbacks.History
    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"history[{model!r}] must be a Keras History or a dict of per-epoch lists, "
            f"not {type(curves).__name__}."
        )
    plain = {
        str(name): [float(v) for v in _plain(list(values), name)] for name, values in curves.items()
    }
    lengths = {len(values) for values in plain.values()}
    if len(lengths) != 1:
        raise ValueError(
            f"history[{model!r}]: the curves have different lengths "
            f"({ {name: len(v) for name, v in plain.items()} }); give one value per epoch."
        )
    return plain


def _plain(value, name):
    if hasattr(value, "numpy"):  # a TensorFlow tensor
        value = value.numpy()
    if hasattr(value, "tolist"):  # a NumPy scalar or array
        value = value.tolist()
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item, name) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, name) for key, item in value.items()}
    raise TypeError(f"Cannot record {name}={value!r}: use numbers, strings, lists or dicts.")


def records_dir() -> Path:
    """Return the folder of the course-scale records (``benchmarks/results`` of the book).

    In a checkout (``make``, an editable install) that is the repository's folder; installed
    from git (Colab) the same files ship inside the package, as ``labutils/records``.
    """
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "benchmarks" / "results", here / "records"):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"No course-scale records next to {here}: reinstall labutils from the "
        "book's repository (they ship with it)."
    )


def course_scale(name: str) -> dict:
    """Return the course-scale record ``benchmarks/results/course-scale-<name>.json``.

    Introduced in chapter 2. ``python -m benchmarks.course_scale`` writes these records; a chapter quotes
    a measurement that a smoke build cannot show by reading it from here, never by typing it.
    The record holds ``metrics`` (what the chapter recorded), ``overrides`` (parameters changed
    from the chapter's own), ``run`` (hardware, versions, data sources) and ``wall_seconds``.

    Examples
    --------
    >>> course_scale("02_imdb_embeddings")["profile"]
    'full'
    """
    path = records_dir() / f"course-scale-{name}.json"
    if not path.is_file():
        known = sorted(
            p.stem.removeprefix("course-scale-") for p in records_dir().glob("course-scale-*.json")
        )
        raise FileNotFoundError(
            f"No course-scale record {path.name}. Known records: {', '.join(known)}. "
            f"Write one with: python -m benchmarks.course_scale CHAPTER"
        )
    return json.loads(path.read_text())


def levers() -> dict:
    """Return the speed benchmark's record ``benchmarks/results/levers.json``: for each case (a
    chapter's model, or a variant of it), ``seconds_per_pass`` projected to one pass over the
    chapter's training data and the time it was ``measured``; ``machine`` and ``load_average``
    are those of the last run that wrote the file (a run of some cases keeps the others). A
    case's own ``load_average``, where it has one, is that of the run that measured it.

    Introduced in chapter 2 (what tf.data's autotuner costs); chapters 10 and 11 read it too.
    ``python -m benchmarks.levers`` writes it.

    Examples
    --------
    >>> levers()["cases"]["11 GRU 512"]["seconds_per_pass"] > 0
    True
    """
    return json.loads((records_dir() / "levers.json").read_text())


def at_most(record: dict) -> str:
    """Return ``"at most "`` for a record whose CPU was shared with other jobs (its times are
    upper bounds), else ``""``: put it before a duration quoted from the record.

    Examples
    --------
    >>> f"{at_most({'contended': True})}12 s per epoch", f"{at_most({})}12 s per epoch"
    ('at most 12 s per epoch', '12 s per epoch')
    """
    return "at most " if record.get("contended") else ""


def provenance(record: dict) -> str:
    """Say in a sentence which run produced ``record``: scale, data, hardware, versions, time.

    A record made with overridden parameters is not at course scale and says so; one whose CPU
    was shared with other jobs (``contended``) gives its time as an upper bound.

    Examples
    --------
    >>> provenance({"profile": "full", "overrides": {"epochs": 2}, "wall_seconds": 90.0,
    ...             "run": {"device": "CPU: x86_64, 2 cores", "tensorflow": "2.21.0",
    ...                     "data_sources": {"imdb_reviews": "real"}}})
    'course-scale parameters except epochs=2, real data (imdb_reviews), CPU: x86_64, 2 cores, TensorFlow 2.21.0, 90 s in all'
    >>> provenance({"profile": "full", "overrides": {}, "wall_seconds": 90.0, "contended": True,
    ...             "run": {"device": "CPU: x86_64, 2 cores", "tensorflow": "2.21.0", "data_sources": {}}})
    'course scale, no dataset, CPU: x86_64, 2 cores, TensorFlow 2.21.0, at most 90 s in all (the CPU was shared with other jobs)'
    """
    run = record["run"]
    overrides = ", ".join(f"{k}={v}" for k, v in record.get("overrides", {}).items())
    sources = run.get("data_sources", {})
    kinds = sorted(set(sources.values())) or ["no"]
    data = (
        " and ".join(kinds) + f" data ({', '.join(sorted(sources))})" if sources else "no dataset"
    )
    if record["profile"] != "full":
        scale = f"{record['profile']} scale"
    else:
        scale = f"course-scale parameters except {overrides}" if overrides else "course scale"
    seconds = f"{record['wall_seconds']:.0f} s in all"
    if record.get("contended"):
        seconds = f"at most {seconds} (the CPU was shared with other jobs)"
    return f"{scale}, {data}, {run['device']}, TensorFlow {run['tensorflow']}, {seconds}"
