"""Notebook hygiene: no outputs, one parameters cell with smoke mocks, and _toc.yml agrees."""

import ast
import re

import nbformat
import pytest

from tools.book import ROOT, chapter_paths, parameters_cell, smoke_parameters, toc_files

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NOTEBOOKS = CHAPTERS + sorted((ROOT / "appendix").glob("*.ipynb"))


def test_toc_and_chapters_folder_agree():
    assert CHAPTERS, "no chapters found"
    assert sorted(chapter_paths()) == CHAPTERS
    listed = {ROOT / f"{entry}.ipynb" for entry in toc_files()}
    assert set(NOTEBOOKS) <= listed, f"notebooks missing from _toc.yml: {set(NOTEBOOKS) - listed}"
    for entry in toc_files():
        assert any((ROOT / entry).with_suffix(s).exists() for s in (".md", ".ipynb")), entry


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
        assert "widgets" not in cell.metadata
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_parameters_cell_has_smoke_mocks_for_its_own_variables(path):
    cell = parameters_cell(path)
    assigned = {
        target.id
        for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
        for target in node.targets
    }
    mocks = smoke_parameters(path)
    assert mocks, "the parameters cell needs nbmake mock metadata with smoke values"
    assert set(mocks) <= assigned, f"mocks for variables the cell does not set: {set(mocks) - assigned}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_follows_the_skeleton(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert markdown[0].startswith("# ") and sum(m.count("\n# ") + m.startswith("# ") for m in markdown) == 1
    headings = "\n".join(markdown)
    for section in ["## Setup", "## Results", "## Exercises"]:
        assert section in headings
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert re.search(rf'results\.record\(\s*"{path.stem}"', code), "the chapter records its results"
    assert any("hide-cell" in c.metadata.get("tags", []) for c in notebook.cells), "solutions toggle"
    # The 2019 APIs Keras 3 removed or deprecated (mentioning them in prose is fine).
    assert not re.search(r"(?<![A-Za-z])Tokenizer\(|input_length\s*=|\.predict_classes\(", code)


# An all-caps word of eight or more letters, underscores or hyphens, outside code spans:
# the shape of a placeholder ("FULL_RUN_NUMBERS") waiting for measured numbers.
PLACEHOLDER = re.compile(r"(?<![`\w])[A-Z][A-Z_-]{7,}(?![`\w])")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_has_no_placeholders(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"```.*?```|`[^`]*`", "", cell.source, flags=re.DOTALL)
            assert not PLACEHOLDER.findall(prose), f"placeholder left in the prose: {cell.source[:80]!r}"
