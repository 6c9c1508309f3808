"""Benchmark: one chapter at course scale (full profile) on this machine, recorded as JSON.

    .venv/bin/python -m benchmarks.course_scale CHAPTER [-p NAME VALUE ...] [--out FILE]

Executes the chapter like `make book PROFILE=full` does (papermill, the values of its
parameters cell), with the overrides given by `-p` (e.g. fewer epochs for a recurrent model
that a CPU cannot train to the end in a session), and writes what the chapter recorded, the
overrides, the wall time and the machine to benchmarks/results/course-scale-<chapter>.json. The
chapters quote these numbers where a smoke build cannot show them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from tools.book import ROOT, add_override_option, execute, overrides_of, use_build_dir


def machine() -> dict:
    """Return the CPU model and core count of this machine, for the record."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        model = names[0] if names else model
    return {"cpu": model, "cores": os.cpu_count()}


def load_average() -> list[float]:
    """Return the 1-, 5- and 15-minute load averages (``os.getloadavg``), rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def busy_cpu_seconds() -> float | None:
    """Return the CPU seconds all processes of this machine have used since boot (``/proc/stat``),
    or None where there is no such file."""
    stat = Path("/proc/stat")
    if not stat.is_file():
        return None
    fields = [int(x) for x in stat.read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """Return the CPU seconds of this process and its finished children (the chapter's kernel)."""
    import resource

    return sum(
        resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapter", help="notebook stem, e.g. 09_irish_lyrics")
    add_override_option(parser)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    overrides = overrides_of(args)
    notebook = ROOT / "chapters" / f"{args.chapter}.ipynb"
    if not notebook.is_file():
        parser.error(f"no chapter {notebook.relative_to(ROOT)}")
    out = args.out or ROOT / "benchmarks" / "results" / f"course-scale-{args.chapter}.json"

    work = Path(tempfile.mkdtemp(prefix="course-scale-run-"))
    use_build_dir(work)
    from labutils import data, results

    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    load_at_start = load_average()
    busy_at_start, own_at_start = busy_cpu_seconds(), own_cpu_seconds()
    seconds = execute(notebook, work / notebook.name, "full", overrides)
    busy_at_end, own_at_end = busy_cpu_seconds(), own_cpu_seconds()
    load_at_end = load_average()
    entry = results.load()[args.chapter]
    hardware = machine()
    # Another job sharing the CPU slows every epoch. The load average counts the chapter's own
    # threads too (TensorFlow alone keeps both cores busy), so what tells is the CPU time that
    # other processes took during the run: more than a quarter of a core on average, and the
    # record's times are upper bounds (the pages say so). Where /proc/stat is missing, the load
    # average at the start, before the chapter ran, is the evidence.
    if busy_at_start is None:
        others = None
        contended = load_at_start[0] > hardware["cores"] / 2
    else:
        others = max(0.0, (busy_at_end - busy_at_start) - (own_at_end - own_at_start)) / seconds
        contended = others > 0.25
    report = {
        "chapter": args.chapter,
        "profile": "full",
        "overrides": overrides,
        "started": started,
        "wall_seconds": round(seconds, 1),
        "data_source": data.source_mode(),
        "machine": hardware,
        "load_average": {"start": load_at_start, "end": load_at_end},
        "other_processes_cores": None if others is None else round(others, 2),
        "contended": contended,
        **entry,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"{args.chapter}: {seconds:.0f} s, written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
