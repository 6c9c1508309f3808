"""Reading a results ledger for people: the book's results page and the smoke benchmark.

Introduced in the appendix (results page). Chapters record nested metrics (one dict per model);
these helpers walk them, pick numbers by the words in their names, and format the page's tables.
"""

from __future__ import annotations

from collections.abc import Iterator


def numbers(metrics: dict, path: tuple = ()) -> Iterator[tuple[tuple, float]]:
    """Yield every number in ``metrics`` as ``(path of names, value)``; dicts nest per model.

    Examples
    --------
    >>> list(numbers({"lstm": {"parameters": 10, "ok": True}, "epochs": 3}))
    [(('lstm', 'parameters'), 10), (('epochs',), 3)]
    """
    for name, value in metrics.items():
        if isinstance(value, dict):
            yield from numbers(value, path + (name,))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield path + (name,), value


def pick(metrics: dict, word: str, prefer: tuple = ()) -> list[tuple[tuple, float]]:
    """Return the numbers whose names contain ``word`` (never an epoch *number* such as
    ``best_epoch``, unless ``word`` asks for ``seconds_per_epoch``, and never a ``course_…``
    number that a chapter quotes from another chapter's record); those also naming one of
    ``prefer``, when there are any.

    Examples
    --------
    >>> m = {"best_val_accuracy": 0.8, "final_val_accuracy": 0.7, "best_val_accuracy_epoch": 3}
    >>> pick(m, "accuracy", prefer=("best",))
    [(('best_val_accuracy',), 0.8)]
    >>> pick({"course_imdb_test_accuracy": 0.86, "imdb_test_accuracy_mean": 0.92}, "accuracy")
    [(('imdb_test_accuracy_mean',), 0.92)]
    """
    found = [(p, v) for p, v in numbers(metrics) if any(word in part for part in p)
             and (word == "seconds_per_epoch" or not p[-1].endswith("_epoch"))
             and not p[-1].startswith("course_")]  # quoted from another chapter's record
    preferred = [(p, v) for p, v in found if any(w in part for part in p for w in prefer)]
    return preferred or found


def best(metrics: dict, word: str) -> float | None:
    """The largest best/test number named with ``word`` (e.g. a chapter's best accuracy)."""
    values = [v for _, v in pick(metrics, word, prefer=("best", "test"))]
    return max(values) if values else None


def fmt(value) -> str:
    """Format a number for a table: three decimals for small floats, thousands separators.

    Examples
    --------
    >>> fmt(0.87123), fmt(171533), fmt(412.0)
    ('0.871', '171,533', '412')
    """
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}"


def run_summary(ledger: dict) -> str:
    """One Markdown line: the profiles, data, hardware and TensorFlow of a ledger's runs."""
    runs = [entry["run"] for entry in ledger.values()]
    sources = sorted({s for run in runs for s in run["data_sources"].values()})
    text = (f"**Profile:** {', '.join(sorted({run['profile'] for run in runs}))} · **data:** "
            f"{', '.join(sources) or 'none loaded'} · **hardware:** "
            f"{'; '.join(sorted({run['device'] for run in runs}))} · **TensorFlow** "
            f"{', '.join(sorted({run['tensorflow'] for run in runs}))}")
    if "sample" in sources:
        text += ("\n\n**Some chapters ran on synthetic sample data: their numbers illustrate the "
                 "method only.**")
    return text


def summary_table(ledger: dict, execution: dict) -> str:
    """The Markdown table of each chapter's data, run time, best accuracy and slowest epoch."""
    rows = ["| chapter | data | run time | best accuracy | seconds per epoch (slowest model) |",
            "|---|---|--:|--:|--:|"]
    for chapter, entry in sorted(ledger.items()):
        seconds = execution.get("chapters", {}).get(chapter, {}).get("seconds")
        values = (best(entry["metrics"], "accuracy"), best(entry["metrics"], "seconds_per_epoch"))
        rows.append(" | ".join([
            f"| {chapter}", ", ".join(sorted(set(entry["run"]["data_sources"].values()))) or "–",
            f"{seconds:.0f} s" if seconds else "–",
            *(fmt(value) if value is not None else "–" for value in values),
        ]) + " |")
    return "\n".join(rows)


def chapter_table(chapter: str, entry: dict, seconds: float | None = None) -> str:
    """Markdown for one chapter: its run, then its parameters, epoch times, accuracies and
    perplexities model by model."""
    run, metrics = entry["run"], entry["metrics"]
    found = [*pick(metrics, "param"), *pick(metrics, "seconds_per_epoch"),
             *pick(metrics, "accuracy", prefer=("best", "test")),
             *pick(metrics, "perplexity", prefer=("best", "unigram", "untrained"))]
    lines = [f"**{chapter}** · {run['profile']} profile · "
             + ", ".join(f"{name}: {source}" for name, source in run["data_sources"].items())
             + f" · {run['device']} · TensorFlow {run['tensorflow']}"
             + (f" · executed in {seconds:.0f} s" if seconds else ""), ""]
    if found:
        lines += ["| number | value |", "|---|--:|"]
        lines += [f"| {' '.join(p for p in path if p != 'models')} | {fmt(value)} |" for path, value in found]
    return "\n".join(lines)
