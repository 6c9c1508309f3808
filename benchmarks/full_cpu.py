"""Benchmark: one chapter at course scale (full profile) on this machine, recorded as JSON.

    .venv/bin/python -m benchmarks.full_cpu CHAPTER [-p NAME VALUE ...] [--out FILE]

Executes the chapter like `make book PROFILE=full` does (papermill, the values of its
parameters cell), with the overrides given by `-p` (e.g. fewer epochs for a recurrent model
that a CPU cannot train to the end in a session), and writes what the chapter recorded, the
overrides, the wall time and the machine to benchmarks/results/full-cpu-<chapter>.json. The
chapters quote these numbers where a smoke build cannot show them.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tempfile
import time
from pathlib import Path

from tools.book import ROOT, execute, use_build_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help="notebook stem, e.g. 09_irish_lyrics")
    parser.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="override a parameter (the value is a Python literal)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    overrides = {name: ast.literal_eval(value) for name, value in args.p}
    notebook = ROOT / "chapters" / f"{args.chapter}.ipynb"
    if not notebook.is_file():
        parser.error(f"no chapter {notebook.relative_to(ROOT)}")
    out = args.out or ROOT / "benchmarks" / "results" / f"full-cpu-{args.chapter}.json"

    work = Path(tempfile.mkdtemp(prefix="full-benchmark-"))
    use_build_dir(work)
    from labutils import data, results

    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    seconds = execute(notebook, work / notebook.name, "full", overrides)
    entry = results.load()[args.chapter]
    report = {"chapter": args.chapter, "profile": "full", "overrides": overrides,
              "started": started, "wall_seconds": round(seconds, 1),
              "data_source": data.source_mode(),
              **entry}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"{args.chapter}: {seconds:.0f} s, written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
