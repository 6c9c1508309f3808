"""One source of truth for lesson code: labutils' lesson modules are generated from the chapters.

A chapter teaches a function in a cell tagged ``save``; where a later chapter reuses it, it
imports it from a labutils module that ``tools/lessons.py`` generates from those cells. These
tests fail when a module was edited by hand or its chapter's cell changed without regenerating.
"""

import ast
import importlib

import nbformat
import pytest

from tools import lessons
from tools.book import ROOT, chapter_paths


@pytest.mark.parametrize("module", sorted(lessons.MODULES))
def test_the_lesson_module_is_generated_from_its_chapter(module):
    path = ROOT / "labutils" / f"{module}.py"
    assert path.read_text() == lessons.render(module), "run: python tools/lessons.py"
    # and it is what labutils imports: every function of the chapter's save cells
    imported = importlib.import_module(f"labutils.{module}")
    chapter = lessons.MODULES[module][0]
    for source in lessons.saved_sources(chapter):
        for node in ast.parse(source).body:
            assert callable(getattr(imported, node.name)), f"{module}.{node.name} missing"


def test_a_changed_cell_makes_the_module_out_of_step(monkeypatch):
    chapter = lessons.MODULES["generation"][0]
    original = lessons.saved_sources
    monkeypatch.setattr(
        lessons,
        "saved_sources",
        lambda ch, tag="save": [
            source.replace("return", "return  ", 1) for source in original(ch, tag)
        ],
    )
    assert (ROOT / "labutils" / "generation.py").read_text() != lessons.render("generation")
    assert lessons.main(["--check"]) == 1 and chapter == "09_irish_lyrics"


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.stem)
def test_save_and_tested_cells_only_define_functions(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if {"save", "tested"} & set(cell.metadata.get("tags", [])):
            kinds = {type(node).__name__ for node in ast.parse(cell.source).body}
            assert kinds == {"FunctionDef"}, (
                f"a save cell must only define functions: {cell.source[:60]!r}"
            )
