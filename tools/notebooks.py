"""Keep the book's notebooks in one canonical JSON form, so their diffs stay small.

    python tools/notebooks.py           # normalise every chapter and appendix notebook
    python tools/notebooks.py --check   # exit 1, naming them, if any is not normalised

Normal form: no outputs or execution counts; cell metadata keeps only what the book uses
(``tags``, the nbmake mocks under ``nbmake``); notebook metadata keeps the kernelspec and the
language and, for the chapters, Colab's request for a GPU runtime (``accelerator`` and
``colab.gpuType``, as TensorFlow's docs notebooks carry it: a chapter opened from the site
starts on a GPU when Colab has one free); written by nbformat (one-space indent, sorted keys,
a final newline). Editor leftovers such as jupytext's ``lines_to_next_cell`` go.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python tools/....py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.book import ROOT, notebooks  # noqa: E402

CELL_KEYS = ("tags", "nbmake", "mystnb")  # mystnb: a figure's alt text and caption
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
COLAB_GPU = {"accelerator": "GPU", "colab": {"gpuType": "T4", "provenance": []}}


def normal_form(path: Path) -> str:
    """Return the normalised JSON text of the notebook at ``path``."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    if path.parent.name == "chapters":
        metadata.update(COLAB_GPU)
    notebook.metadata = nbformat.from_dict(metadata)
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.metadata.items() if k in CELL_KEYS and v}
        )
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nbformat.writes(notebook) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    changed = [path for path in notebooks() if path.read_text() != normal_form(path)]
    if args.check:
        if changed:
            print(
                "Not normalised: "
                + ", ".join(p.relative_to(ROOT).as_posix() for p in changed)
                + ". Run: python tools/notebooks.py",
                file=sys.stderr,
            )
            return 1
        return 0
    for path in changed:
        path.write_text(normal_form(path))
    print(f"Normalised: {', '.join(p.name for p in changed) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
