"""The Colab-like check: this checkout in a copy of Colab's runtime, as a new Colab user has it.

    python -m tools.colab_check [--chapters STEM ...] [--record FILE]
    python -m tools.colab_check --refresh PIP-FREEZE   # rebuild tools/colab-runtime.txt
    python -m tools.colab_check --prepare              # only build .venv-colab (step 1)

1. A Python 3.13 environment (``.venv-colab``) with exactly the versions of
   ``tools/colab-runtime.txt`` (Colab's published package list; rebuilt only when it changes).
2. Every distinct Colab install cell of the notebooks (``tools/colab.py``) runs there in
   IPython with ``google.colab`` present, installing labutils from this checkout's committed
   HEAD (``git+file://…@<commit>``) instead of GitHub. Then TensorFlow, Keras, NumPy and
   protobuf must still have Colab's versions, and TensorFlow Datasets must import.
3. Chapters run in smoke mode (papermill, a kernel of that environment) as a new user has
   them: an empty data cache, the single-file datasets downloaded from a local HTTP server
   (``LABUTILS_DATA_MIRROR``) serving the offline mirror named by ``LABUTILS_DATA_DIR``, if
   any, and TFDS' prepared data taken from that mirror. The first chapter that needs a file
   must download it (once, with a progress bar); a later one must reuse the cache.

It prints each step, writes a JSON record (``_build/colab-check.json`` or ``--record``) with
the versions before and after, the chapters, the downloads and the seconds, and exits 1 on any
failure. Budget: 8 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import colab
from tools.book import ROOT, execute, use_build_dir

RUNTIME = ROOT / "tools" / "colab-runtime.txt"
VENV = ROOT / ".venv-colab"
KERNEL = "colab-check"
# A TFDS chapter and a keras-hub one (04), the GloVe chapter (08), a generation chapter (09);
# 01 and 08 both read the sarcasm headlines: the first downloads them, the second must not.
CHAPTERS = ["01_tokenization", "04_subwords", "08_glove", "09_irish_lyrics"]
# The packages of Colab's list that the check installs (with their dependencies).
TOP_LEVEL = [
    "tensorflow",
    "keras",
    "keras-hub",
    "tensorflow-text",
    "numpy",
    "protobuf",
    "tensorflow-datasets",
    "tensorflow-metadata",
    "matplotlib",
    "pooch",
    "pyarrow",
    "requests",
    "tqdm",
    "ipykernel",
    "ipython",
    "jupyter_client",
]
PROGRESS_BAR = re.compile(r"100%\|")


class CheckFailed(RuntimeError):
    pass


def say(message: str) -> None:
    print(f"[colab-check] {message}", flush=True)


def find_python313() -> str:
    """Return a Python 3.13 interpreter: ``python3.13`` on PATH, else pyenv's."""
    candidates = [shutil.which("python3.13")]
    root = (
        subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        if shutil.which("pyenv")
        else ""
    )
    for base in filter(None, [root, os.path.expanduser("~/.pyenv")]):
        candidates += sorted(glob.glob(f"{base}/versions/3.13.*/bin/python3.13"), reverse=True)
    for candidate in filter(None, candidates):
        version = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if version == "(3, 13)":
            return candidate
    raise CheckFailed(
        "No Python 3.13 found (Colab runs 3.13). Put python3.13 on PATH, or "
        "install it with pyenv (`pyenv install 3.13`), or in CI use "
        "actions/setup-python with python-version '3.13'."
    )


def pins(path: Path = RUNTIME) -> dict[str, str]:
    """Return ``{name: version}`` of a pip requirements/freeze file (names normalised)."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def venv_python() -> str:
    return str(VENV / "bin" / "python")


def ensure_runtime() -> None:
    """Build ``.venv-colab`` from ``tools/colab-runtime.txt`` unless it is already that."""
    stamp = VENV / ".runtime-sha256"
    wanted = hashlib.sha256(RUNTIME.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        say(f"Colab runtime environment {VENV.name} is up to date.")
        return
    python = find_python313()
    say(f"Building {VENV.name} with {python} and {RUNTIME.relative_to(ROOT)}")
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(VENV)], check=True)
    # uv (installed beside this Python by `make install`) builds it (41 s measured once; pip took
    # longer); the install cells later run Colab's own pip in it, as Colab does.
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    installer = (
        [uv, "pip", "install", "--compile-bytecode", "--python", venv_python()]
        if uv
        else [venv_python(), "-m", "pip", "install"]
    )
    subprocess.run([*installer, "--quiet", "-r", str(RUNTIME)], check=True)
    stamp.write_text(wanted)


def installed_versions(names) -> dict[str, str]:
    code = (
        "import json, sys; from importlib.metadata import version; "
        "print(json.dumps({n: version(n) for n in sys.argv[1:]}))"
    )
    run = subprocess.run(
        [venv_python(), "-c", code, *names], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def run_install_cell(source: str) -> None:
    """Run an install cell in IPython inside the Colab environment, as Colab would."""
    script = (
        "import sys, types\n"
        "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "result = InteractiveShell.instance().run_cell(sys.stdin.read())\n"
        "sys.exit(0 if result.success else 1)\n"
    )
    run = subprocess.run([venv_python(), "-c", script], input=source, text=True)
    if run.returncode:
        raise CheckFailed("The install cell failed in the Colab environment (output above).")


def install_cells(commit: str) -> list[dict]:
    """Run every distinct install cell, pointed at this checkout's commit; return what ran."""
    url, branch = colab.repository()
    cells: dict[str, list[str]] = {}
    for path in colab.notebooks():
        cells.setdefault(colab.expected(path), []).append(path.stem)
    ran = []
    for source, notebooks in cells.items():
        local = source.replace(f"git+{url}@{branch}", f"git+file://{ROOT}@{commit}")
        assert local != source, "the install cell does not name _config.yml's repository"
        extras = re.search(r'"(labutils\S*) @', source).group(1)
        say(f"Install cell `{extras}` (of {', '.join(notebooks)})")
        start = time.perf_counter()
        run_install_cell(local)
        ran.append(
            {
                "requirement": extras,
                "notebooks": notebooks,
                "seconds": round(time.perf_counter() - start, 1),
            }
        )
    return ran


def serve_mirror(folder: Path | None):
    """Start the tests' local HTTP server on the mirror's files; return (server, log)."""
    from tools.httpserver import serve

    routes = {}
    if folder is not None:
        routes = {f"/{p.name}": (p.read_bytes(), "ok") for p in folder.iterdir() if p.is_file()}
    return serve(routes)


def run_chapters(chapters: list[str], mirror: Path | None, work: Path) -> tuple[list[dict], dict]:
    from tools import httpserver

    cache = work / "new-user-cache"
    cache.mkdir()
    if mirror is not None and (mirror / "tensorflow_datasets").is_dir():
        (cache / "tensorflow_datasets").symlink_to(mirror / "tensorflow_datasets")
    kernels = work / "jupyter" / "kernels" / KERNEL
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [venv_python(), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab-like (Python 3.13)",
                "language": "python",
            }
        )
    )
    os.environ["JUPYTER_PATH"] = str(work / "jupyter")
    os.environ["LABUTILS_DATA_DIR"] = str(cache)
    use_build_dir(work / "build")
    httpserver.REQUESTS.clear()
    done = []
    with serve_mirror(mirror) as base:
        os.environ["LABUTILS_DATA_MIRROR"] = base
        for stem in chapters:
            notebook = ROOT / "chapters" / f"{stem}.ipynb"
            output = work / "executed" / notebook.name
            say(f"Chapter {stem}, smoke profile, in the Colab kernel")
            seconds = execute(notebook, output, "smoke", kernel_name=KERNEL)
            from labutils import results

            entry = results.load()[stem]
            stderr = "".join(
                "".join(o.get("text", ""))
                for c in json.loads(output.read_text())["cells"]
                for o in c.get("outputs", [])
                if o.get("name") == "stderr"
            )
            done.append(
                {
                    "chapter": stem,
                    "seconds": round(seconds, 1),
                    "python": entry["run"]["python"],
                    "tensorflow": entry["run"]["tensorflow"],
                    "keras": entry["run"]["keras"],
                    "data_sources": entry["run"]["data_sources"],
                    "progress_bar": bool(PROGRESS_BAR.search(stderr)),
                }
            )
            say(
                f"  {seconds:.0f} s; Python {entry['run']['python']}, TensorFlow "
                f"{entry['run']['tensorflow']}, Keras {entry['run']['keras']}; data "
                f"{entry['run']['data_sources']}"
            )
    downloads = dict(httpserver.REQUESTS)
    return done, {"requests": downloads, "cached": sorted(p.name for p in cache.iterdir())}


def check_downloads(done: list[dict], downloads: dict, mirror: Path | None) -> list[str]:
    """The first chapter needing a file downloads it once with a progress bar; later ones reuse it."""
    if mirror is None:
        return [
            "no offline mirror (LABUTILS_DATA_DIR) to serve: the chapters ran on samples; "
            "downloads not checked"
        ]
    notes, seen = [], set()
    for chapter in done:
        for name, source in chapter["data_sources"].items():
            if source == "real":
                continue
            if in_mirror(name, mirror):
                raise CheckFailed(
                    f"{chapter['chapter']} used {source} data for {name}: the "
                    "mirror's files should have been downloaded and used."
                )
            notes.append(
                f"{chapter['chapter']}: {name} is not in the offline mirror, so it ran "
                "on the loudly labelled samples, as it does on any machine without it"
            )
    for path, count in downloads["requests"].items():
        if count != 1:
            raise CheckFailed(f"{path} was downloaded {count} times; the cache must make it once.")
        seen.add(path)
    first = done[0]
    if not first["progress_bar"]:
        raise CheckFailed(f"{first['chapter']} downloaded without a progress bar in its output.")
    notes.append(
        f"downloaded once each: {', '.join(sorted(seen))}; cache now holds "
        f"{', '.join(downloads['cached'])}"
    )
    return notes


def in_mirror(name: str, mirror: Path) -> bool:
    """Whether the offline mirror holds dataset ``name`` (a package dataset always counts: the
    install cell brought it)."""
    from labutils.data import registry

    entry = registry.get(name)
    if isinstance(entry, registry.FileDataset):
        return (mirror / entry.filename).is_file()
    if isinstance(entry, registry.TfdsDataset):
        return (mirror / "tensorflow_datasets" / entry.tfds_name.replace(":", "/")).is_dir()
    return True


def refresh(freeze: Path) -> None:
    """Rebuild tools/colab-runtime.txt from a new Colab pip-freeze.txt."""
    python = find_python313()
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "colab.txt"
        constraints.write_text(
            "".join(
                line + "\n"
                for line in freeze.read_text().splitlines()
                if "==" in line and " @ " not in line
            )
        )
        subprocess.run([python, "-m", "venv", f"{tmp}/venv"], check=True)
        subprocess.run(
            [
                f"{tmp}/venv/bin/python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "-c",
                str(constraints),
                *TOP_LEVEL,
            ],
            check=True,
        )
        frozen = subprocess.run(
            [f"{tmp}/venv/bin/python", "-m", "pip", "freeze"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    header = "".join(
        line + "\n" for line in RUNTIME.read_text().splitlines() if line.startswith("#")
    )
    RUNTIME.write_text(header + frozen)
    say(f"Rewrote {RUNTIME.relative_to(ROOT)}; update its header's source and date.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*", default=CHAPTERS)
    parser.add_argument("--record", type=Path, default=ROOT / "_build" / "colab-check.json")
    parser.add_argument("--refresh", type=Path, metavar="PIP_FREEZE")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only build the Colab runtime environment (.venv-colab), e.g. while other work runs",
    )
    args = parser.parse_args(argv)
    if args.refresh:
        refresh(args.refresh)
        return 0
    if args.prepare:
        try:
            ensure_runtime()
        except (CheckFailed, subprocess.CalledProcessError) as error:
            say(f"FAILED: {type(error).__name__}: {error}")
            return 1
        return 0
    start = time.perf_counter()
    os.environ.setdefault(
        "TF_CPP_MIN_LOG_LEVEL", "2"
    )  # TensorFlow's start-up lines, in every process
    os.environ.setdefault(
        "PYDEVD_DISABLE_FILE_VALIDATION", "1"
    )  # ipykernel's debugger note on 3.13
    load = os.getloadavg()[0]
    mirror_dir = os.environ.get("LABUTILS_DATA_DIR")
    mirror = Path(mirror_dir).resolve() if mirror_dir else None
    colab_versions = pins()
    kept = {name: colab_versions[name] for name in colab.KEEP}
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip():
        say(
            f"Note: uncommitted changes are not checked; the install cells get commit {commit[:10]}."
        )
    try:
        ensure_runtime()
        before = installed_versions(colab.KEEP)
        if before != kept:
            raise CheckFailed(f"{VENV.name} does not hold Colab's versions: {before} != {kept}")
        say(f"Colab's versions before the install cells: {before}")
        # The cells change the environment: the next check builds it afresh from the list.
        (VENV / ".runtime-sha256").unlink()
        cells = install_cells(commit)
        after = installed_versions([*colab.KEEP, "tensorflow-metadata", "labutils"])
        say(f"Versions after the install cells: {after}")
        changed = {n: (kept[n], after[n]) for n in colab.KEEP if after[n] != kept[n]}
        if changed:
            raise CheckFailed(f"The install cells replaced Colab's packages: {changed}")
        subprocess.run(
            [venv_python(), "-c", "import tensorflow_datasets, labutils, keras_hub"], check=True
        )
        say("TensorFlow Datasets, keras-hub and labutils import in the Colab environment.")
        with tempfile.TemporaryDirectory(prefix="colab-check-") as tmp:
            done, downloads = run_chapters(args.chapters, mirror, Path(tmp))
        notes = check_downloads(done, downloads, mirror)
        for note in notes:
            say(note)
    except Exception as error:  # every failure is reported the same way, then exit 1
        say(f"FAILED: {type(error).__name__}: {error}")
        return 1
    seconds = round(time.perf_counter() - start, 1)
    record = {
        "colab_runtime": str(RUNTIME.relative_to(ROOT)),
        "commit": commit,
        "versions_before": before,
        "versions_after": after,
        "install_cells": cells,
        "chapters": done,
        "downloads": downloads,
        "notes": notes,
        "seconds": seconds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} at the start",
    }
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=2) + "\n")
    say(
        f"PASSED in {seconds:.0f} s: Colab's {', '.join(f'{k} {v}' for k, v in kept.items())} "
        f"unchanged; chapters {', '.join(args.chapters)} ran. Record: {args.record}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
