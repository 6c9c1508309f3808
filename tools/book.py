"""Execute the chapters with papermill, then build the static site with Jupyter Book v1.

    python tools/book.py [--profile auto|smoke|full] [--chapters 01_tokenization ...]

Profiles: ``full`` runs each chapter with its parameters cell (course scale); ``smoke`` with
the small values in the nbmake mock metadata of that cell (the same values
``pytest --nbmake`` uses); ``auto`` picks ``full`` when TensorFlow sees a GPU and ``smoke``
otherwise, and says which. Executed copies go to ``_build/src`` (the git tree stays clean),
the site to ``_build/html``, recorded results to ``_build/results.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
STAGE = BUILD / "src"
# Everything besides the chapters that the book's pages need, copied as is.
STATIC = ["_config.yml", "_toc.yml", "intro.md", "appendix", "data/README.md"]


def toc_files(root: Path = ROOT) -> list[str]:
    """Return the ``file:`` entries of ``_toc.yml`` in reading order (without suffixes)."""
    import yaml

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                yield node["file"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    return list(walk(yaml.safe_load((root / "_toc.yml").read_text())))


def chapter_paths(root: Path = ROOT) -> list[Path]:
    """Return the chapter notebooks listed in ``_toc.yml``, in order."""
    return [root / f"{entry}.ipynb" for entry in toc_files(root) if entry.startswith("chapters/")]


def parameters_cell(notebook: Path) -> dict:
    """Return the single cell tagged ``parameters`` of ``notebook``."""
    import nbformat

    cells = [
        cell for cell in nbformat.read(notebook, as_version=4).cells
        if "parameters" in cell.metadata.get("tags", [])
    ]
    if len(cells) != 1:
        raise ValueError(f"{notebook.name} must have exactly one cell tagged 'parameters', has {len(cells)}.")
    return cells[0]


def smoke_parameters(notebook: Path) -> dict:
    """Return the smoke-profile values: the nbmake mock metadata of the parameters cell."""
    return dict(parameters_cell(notebook).metadata.get("nbmake", {}).get("mock", {}))


def choose_profile(requested: str) -> str:
    """Resolve ``auto`` to ``full`` (a GPU is visible) or ``smoke``, and say why."""
    if requested != "auto":
        print(f"Profile: {requested} (requested).")
        return requested
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        print(f"Profile: full (a GPU is visible: {gpus[0].name}).")
        return "full"
    print("Profile: smoke, because TensorFlow sees no GPU here. The chapters run with the small "
          "values of their nbmake mock metadata. Use PROFILE=full for course scale.")
    return "smoke"


def execute(notebook: Path, output: Path, profile: str, extra: dict | None = None) -> float:
    """Execute ``notebook`` with papermill into ``output``; return the seconds it took."""
    import papermill

    parameters = smoke_parameters(notebook) if profile == "smoke" else {}
    parameters.update(extra or {})
    os.environ["LABUTILS_PROFILE"] = profile
    output.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, cwd=str(notebook.parent),
        kernel_name="python3", progress_bar=False,
    )
    return time.perf_counter() - start


def stage_static() -> None:
    for name in STATIC:
        source, target = ROOT / name, STAGE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("PROFILE") or "auto",
                        choices=["auto", "smoke", "full"])
    parser.add_argument("--chapters", nargs="*", help="chapter names to execute (default: all)")
    parser.add_argument("--no-site", action="store_true", help="execute only; skip the site build")
    args = parser.parse_args(argv)

    profile = choose_profile(args.profile)
    os.environ.setdefault("LABUTILS_BUILD_DIR", str(BUILD))
    if STAGE.exists():
        shutil.rmtree(STAGE)
    stage_static()
    failures = []
    for notebook in chapter_paths():
        if args.chapters and notebook.stem not in args.chapters:
            continue
        output = STAGE / notebook.relative_to(ROOT)
        try:
            seconds = execute(notebook, output, profile)
            print(f"executed {notebook.stem} ({profile}) in {seconds:.0f} s")
        except Exception as error:  # keep going: report every failing chapter at the end
            failures.append(notebook.stem)
            print(f"FAILED {notebook.stem}: {type(error).__name__}: {error}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} chapter(s) failed: {', '.join(failures)}; see {STAGE}.", file=sys.stderr)
        return 1
    if args.no_site:
        return 0
    command = ["jupyter-book", "build", str(STAGE), "--path-output", str(ROOT), "--builder", "html"]
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command[0] = str(jupyter_book) if jupyter_book.exists() else command[0]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
