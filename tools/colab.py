"""The hidden Colab install cell of every notebook: one template, in step with ``_config.yml``.

    python tools/colab.py           # write the cell into every notebook that uses labutils
    python tools/colab.py --check   # exit 1, naming the notebooks, if a cell is out of step

The cell installs labutils (with the extras the notebook uses) from ``repository.url`` at
``repository.branch`` of ``_config.yml``: the same branch the page's Colab button opens, so
notebook and helper package come from the same code. It pins Colab's own TensorFlow, Keras,
NumPy and protobuf with a constraints file, so pip can add packages but never replace those,
then runs ``python -m labutils.colab`` to repair TensorFlow Datasets when Colab's
tensorflow-metadata does not match its protobuf. Outside Colab it does nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python tools/....py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.book import ROOT
from tools.book import notebooks as book_notebooks  # noqa: E402

KEEP = ("tensorflow", "keras", "numpy", "protobuf")
TEMPLATE = """\
# Colab only (hidden on the site): install the book's helper package from the branch this
# notebook was opened from. Pip may add packages but must keep Colab's own TensorFlow, Keras,
# NumPy and protobuf; then TensorFlow Datasets is repaired if Colab's versions clash.
import sys

if "google.colab" in sys.modules:
    from importlib.metadata import version

    if sys.version_info[:2] > NEWEST_PYTHON:  # pip's own message would be a resolver dump
        raise RuntimeError(
            f"This Colab runtime has Python {sys.version.split()[0]}; the book's helper package "
            "labutils supports Python 3.10 to NEWEST_TEXT so far. In Colab, choose an earlier "
            "runtime version (Runtime > Change runtime type > Runtime version), or look for "
            "the fix in the book's repository.")
    with open("/tmp/labutils-keep.txt", "w") as keep:
        keep.writelines(f"{name}=={version(name)}\\n" for name in KEEP_NAMES)
    %pip install -q -c /tmp/labutils-keep.txt "REQUIREMENT"
    !{sys.executable} -m labutils.colab --keep /tmp/labutils-keep.txt"""


def repository(root: Path = ROOT) -> tuple[str, str]:
    """Return ``(url, branch)`` of ``repository`` in ``_config.yml``."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    return config["url"].rstrip("/"), config.get("branch", "main")


def extras(code: str) -> list[str]:
    """Return the labutils extras that notebook code needs.

    Examples
    --------
    >>> extras("import keras_hub\\nfrom labutils import glove")
    ['glove', 'hub']
    >>> extras("from labutils import data")
    []
    """
    needed = []
    if "labutils.glove" in code or "labutils import glove" in code or "data.glove" in code:
        needed.append("glove")
    if "keras_hub" in code or "tensorflow_text" in code:
        needed.append("hub")
    return needed


def install_cell(code: str, root: Path = ROOT) -> str:
    """Return the install cell's source for a notebook whose code cells are ``code``."""
    url, branch = repository(root)
    wanted = extras(code)
    requirement = f"labutils{'[' + ','.join(wanted) + ']' if wanted else ''} @ git+{url}@{branch}"
    names = "(" + ", ".join(f'"{name}"' for name in KEEP) + ")"
    major, minor = newest_python(root)
    return (
        TEMPLATE.replace("KEEP_NAMES", names)
        .replace("REQUIREMENT", requirement)
        .replace("NEWEST_PYTHON", f"({major}, {minor})")
        .replace("NEWEST_TEXT", f"{major}.{minor}")
    )


def newest_python(root: Path = ROOT) -> tuple[int, int]:
    """Return the newest Python that ``requires-python`` of ``pyproject.toml`` admits.

    Examples
    --------
    >>> newest_python()
    (3, 13)
    """
    import re

    import tomllib

    spec = tomllib.loads((root / "pyproject.toml").read_text())["project"]["requires-python"]
    bound = re.search(r"<\s*(\d+)\.(\d+)", spec)
    if not bound:
        raise ValueError(
            f"requires-python = {spec!r} has no upper bound '<3.N' for the Colab cell to check."
        )
    major, minor = int(bound.group(1)), int(bound.group(2))
    return major, minor - 1


def notebooks(root: Path = ROOT) -> list[Path]:
    """Return the notebooks that get the cell: the landing page, the chapters and the appendix
    pages that use labutils, except the results page (it reads a build's ledger, which Colab does not have)."""
    return [
        path
        for path in book_notebooks(root)
        if path.stem != "results" and "labutils" in path.read_text()
    ]


def expected(path: Path, root: Path = ROOT) -> str:
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    code = "\n".join(cell.source for cell in cells[1:] if cell.cell_type == "code")
    return install_cell(code, root)


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report cells out of step")
    args = parser.parse_args(argv)
    stale = []
    for path in notebooks():
        notebook = nbformat.read(path, as_version=4)
        first = next(i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code")
        cell, source = notebook.cells[first], expected(path)
        if cell.source == source and "remove-cell" in cell.metadata.get("tags", []):
            continue
        stale.append(path.relative_to(ROOT).as_posix())
        if not args.check:
            if "sys.modules" not in cell.source:  # no install cell yet: insert one
                cell = nbformat.v4.new_code_cell()
                notebook.cells.insert(first, cell)
            cell.source = source
            cell.metadata["tags"] = sorted(set(cell.metadata.get("tags", [])) | {"remove-cell"})
            nbformat.write(notebook, path)
    if args.check and stale:
        print(
            "Colab install cells out of step with _config.yml: "
            + ", ".join(stale)
            + ". Run: python tools/colab.py",
            file=sys.stderr,
        )
        return 1
    print(f"{'Out of step' if args.check else 'Rewrote'}: {', '.join(stale) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
