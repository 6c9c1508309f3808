"""Benchmark: wall time of every chapter in the smoke profile, and the epoch times it recorded.

    .venv/bin/python -m benchmarks.smoke_times [--chapters STEM ...] [--out FILE]

With ``--chapters``, the chapters named are timed and merged into the newest smoke record's
other chapters, so a new chapter's time joins the table without re-timing the book.

Runs each chapter like `make book` does (papermill, smoke values) in a fresh results ledger,
prints a table, and writes the numbers as JSON (default: benchmarks/results/smoke-<date>.json)
so that runs can be compared. The targets (issue tracker): each chapter <= 60 s on a 2-core CPU,
all chapters under nbmake <= 8 min. Run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from tools.book import ROOT, chapter_paths, execute, use_build_dir


def epoch_times(entry: dict) -> dict:
    """The seconds per epoch of each model the chapter recorded (``models`` of its entry)."""
    return {
        model: values["seconds_per_epoch"]
        for model, values in entry.get("models", {}).items()
        if "seconds_per_epoch" in values
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*")
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "results" / f"smoke-{time.strftime('%Y-%m-%d')}.json",
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="smoke-benchmark-"))
    use_build_dir(work)
    from labutils import data, env, results

    rows = {}
    for notebook in chapter_paths():
        if args.chapters and notebook.stem not in args.chapters:
            continue
        seconds = execute(notebook, work / notebook.name, "smoke")
        epochs = epoch_times(results.load()[notebook.stem])
        rows[notebook.stem] = {
            "wall_seconds": round(seconds, 1),
            "epoch_times": epochs,
            "data_sources": results.load()[notebook.stem]["run"]["data_sources"],
        }
        print(f"{notebook.stem:32} {seconds:6.1f} s   {json.dumps(epochs)}", flush=True)
    if args.chapters:  # a few chapters re-timed: merged into the newest record of all of them
        previous = sorted(args.out.parent.glob("smoke-*.json"))
        if previous:
            rows = {**json.loads(previous[-1].read_text())["chapters"], **rows}
    total = sum(r["wall_seconds"] for r in rows.values())
    print(f"{'total':32} {total:6.1f} s")
    report = {
        "environment": env.environment(),
        "data_source": data.source_mode(),
        "total_wall_seconds": round(total, 1),
        "chapters": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
