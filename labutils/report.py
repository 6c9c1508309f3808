"""Reading a results ledger for people: the book's results page.

Introduced in the appendix (results page). Every chapter records one shape (see
``labutils.results.record``): ``headline`` numbers with reader-facing labels and a kind,
``models`` with the book's metric names, ``history`` and free details. These helpers format
that shape; they never guess a number from its name.
"""

from __future__ import annotations

# Column titles for the per-model metric names of labutils.results.MODEL_METRICS.
METRIC_LABELS = {
    "parameters": "parameters",
    "train_examples": "training examples",
    "epochs": "epochs",
    "best_epoch": "best epoch",
    "seconds_per_epoch": "seconds per epoch",
    "train_accuracy": "final training accuracy",
    "val_accuracy": "best validation accuracy",
    "test_accuracy": "test accuracy",
    "val_loss": "lowest validation loss",
    "train_perplexity": "training perplexity",
    "val_perplexity": "lowest validation perplexity",
}
SCALES = {"full": "course scale", "smoke": "smoke scale", "interactive": "interactive run"}


def fmt(value) -> str:
    """Format a number for a table: three decimals for small floats, thousands separators.

    Examples
    --------
    >>> fmt(0.87123), fmt(171533), fmt(412.0), fmt(None)
    ('0.871', '171,533', '412', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}"


def scale(profile: str) -> str:
    """The book's one name for a run's profile.

    Examples
    --------
    >>> scale("full"), scale("smoke")
    ('course scale', 'smoke scale')
    """
    return SCALES.get(profile, profile)


def run_summary(ledger: dict) -> str:
    """One Markdown line: the scales, data, hardware and TensorFlow of a ledger's runs."""
    runs = [entry["run"] for entry in ledger.values()]
    sources = sorted({s for run in runs for s in run["data_sources"].values()})
    text = (
        f"**Scale:** {', '.join(sorted({scale(run['profile']) for run in runs}))} · **data:** "
        f"{', '.join(sources) or 'none loaded'} · **hardware:** "
        f"{'; '.join(sorted({run['device'] for run in runs}))} · **TensorFlow** "
        f"{', '.join(sorted({run['tensorflow'] for run in runs}))}"
    )
    sampled = sorted(
        chapter
        for chapter, entry in ledger.items()
        if "sample" in entry["run"]["data_sources"].values()
    )
    if sampled:
        text += (
            "\n\n**These chapters ran on synthetic sample data, so their numbers illustrate "
            f"the method only:** {', '.join(sampled)}."
        )
    return text


def chapter_titles(folder) -> dict:
    """Each notebook's title (its first ``#`` heading) by stem, for the chapters of ``folder``.

    Examples
    --------
    >>> chapter_titles("chapters")["02_imdb_embeddings"]             # doctest: +SKIP
    '2. Word embeddings: learning word meaning from movie reviews'
    """
    import json
    from pathlib import Path

    titles = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        text = "".join(cells[0]["source"]) if cells else ""
        heading = next((line for line in text.splitlines() if line.startswith("# ")), None)
        if heading:
            titles[path.stem] = heading[2:].strip()
    return titles


def chapter_link(chapter: str, titles: dict | None = None, folder: str = "../chapters") -> str:
    """A Markdown link to a chapter's page, labelled with its title (or its stem without one).

    Examples
    --------
    >>> chapter_link("05_lstm", {"05_lstm": "5. LSTM"})
    '[5. LSTM](../chapters/05_lstm.ipynb)'
    """
    return f"[{(titles or {}).get(chapter, chapter)}]({folder}/{chapter}.ipynb)"


def summary_table(ledger: dict, execution: dict, titles: dict | None = None) -> str:
    """The Markdown table of each chapter's data, run time and headline numbers; with
    ``titles`` (``chapter_titles``) each chapter is a link labelled with its title."""
    rows = ["| chapter | data | run time | headline numbers |", "|---|---|--:|---|"]
    for chapter, entry in sorted(ledger.items()):
        seconds = execution.get("chapters", {}).get(chapter, {}).get("seconds")
        headline = "; ".join(
            f"{item['label']}: {fmt(item['value'])}" for item in entry.get("headline", [])
        )
        rows.append(
            " | ".join(
                [
                    f"| {chapter_link(chapter, titles) if titles else chapter}",
                    ", ".join(sorted(set(entry["run"]["data_sources"].values()))) or "–",
                    f"{seconds:.0f} s" if seconds else "–",
                    headline or "–",
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def headline_by_kind(ledger: dict) -> dict:
    """Group every chapter's headline numbers by kind, for one chart per kind.

    Examples
    --------
    >>> headline_by_kind({"02": {"headline": [{"label": "test accuracy", "value": 0.86, "kind": "accuracy"}]},
    ...                   "09": {"headline": [{"label": "perplexity", "value": 90.0, "kind": "perplexity"}]}})
    {'accuracy': [('02', 'test accuracy', 0.86)], 'perplexity': [('09', 'perplexity', 90.0)]}
    """
    groups: dict[str, list] = {}
    for chapter, entry in sorted(ledger.items()):
        for item in entry.get("headline", []):
            groups.setdefault(item["kind"], []).append((chapter, item["label"], item["value"]))
    return groups


def chapter_table(
    chapter: str, entry: dict, seconds: float | None = None, titles: dict | None = None
) -> str:
    """Markdown for one chapter: a heading (its title, from ``titles``, else its stem), its run,
    then one row per model with the book's metric names as columns (only those the chapter
    recorded)."""
    run, models = entry["run"], entry.get("models", {})
    lines = [
        f"### {(titles or {}).get(chapter, chapter)}",
        "",
        (f"{chapter_link(chapter, {chapter: 'chapter page'})} · " if titles else "")
        + f"{scale(run['profile'])} · "
        + ", ".join(f"{name}: {source}" for name, source in run["data_sources"].items())
        + f" · {run['device']} · TensorFlow {run['tensorflow']}"
        + (f" · executed in {seconds:.0f} s" if seconds else ""),
        "",
    ]
    columns = [name for name in METRIC_LABELS if any(name in values for values in models.values())]
    if columns:
        lines += [
            "| model | " + " | ".join(METRIC_LABELS[name] for name in columns) + " |",
            "|---|" + "--:|" * len(columns),
        ]
        lines += [
            f"| {model} | " + " | ".join(fmt(values.get(name)) for name in columns) + " |"
            for model, values in models.items()
        ]
    elif not entry.get("headline"):
        lines.append("*This chapter recorded no headline numbers or models.*")
    return "\n".join(lines)


def course_scale_times(stems) -> dict:
    """The course-scale wall times of the chapters ``stems``, read from their records.

    Returns ``{"rows": [...], "seconds": total, "contended": bool, "as_written": n}``: one row per
    chapter (``stem``, ``seconds`` or None when there is no record yet, ``contended``,
    ``overrides``, ``load_average``), and the total of the records made with the chapter exactly
    as written (no overrides), which is the book's cost at course scale. The landing page and
    ``benchmarks/summary.py`` both build their tables from it.
    """
    from . import results

    rows = []
    for stem in stems:
        try:
            record = results.course_scale(stem)
        except FileNotFoundError:
            rows.append(
                {
                    "stem": stem,
                    "seconds": None,
                    "contended": False,
                    "overrides": {},
                    "load_average": None,
                }
            )
            continue
        rows.append(
            {
                "stem": stem,
                "seconds": record["wall_seconds"],
                "contended": bool(record.get("contended")),
                "overrides": record.get("overrides", {}),
                "load_average": record.get("load_average"),
            }
        )
    written = [row for row in rows if row["seconds"] is not None and not row["overrides"]]
    return {
        "rows": rows,
        "seconds": sum(row["seconds"] for row in written),
        "contended": any(row["contended"] for row in written),
        "as_written": len(written),
    }
