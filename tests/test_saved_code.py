"""One source of truth for lesson code: a chapter's ``save`` cells and the labutils copy agree.

A chapter teaches a function in a cell tagged ``save``; where a later chapter reuses it, it
imports the same text from a labutils module. These tests fail as soon as the two differ, and
when a module holds a function that no chapter teaches.
"""

import ast
import inspect

import nbformat
import pytest

from labutils import generation, glove_matrix
from tests.saved_code import functions, saved_cells
from tools.book import ROOT

# chapter that teaches -> the labutils module that later chapters import
SAVED_MODULES = {"08_glove": glove_matrix, "09_irish_lyrics": generation}


@pytest.mark.parametrize("chapter", sorted(SAVED_MODULES))
def test_the_labutils_copy_is_the_chapters_text(chapter):
    taught = {}
    for source in saved_cells(chapter):
        taught.update(functions(source))
    module = SAVED_MODULES[chapter]
    copied = functions(inspect.getsource(module))
    assert sorted(copied) == sorted(taught), "the module and the chapter define different functions"
    for name, text in taught.items():
        assert copied[name] == text, f"{module.__name__}.{name} differs from its cell in {chapter}"


@pytest.mark.parametrize("path", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.stem)
def test_save_cells_only_define_functions(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if "save" in cell.metadata.get("tags", []):
            kinds = {type(node).__name__ for node in ast.parse(cell.source).body}
            assert kinds == {"FunctionDef"}, f"a save cell must only define functions: {cell.source[:60]!r}"


def test_a_changed_cell_would_be_caught():
    taught = functions(saved_cells("09_irish_lyrics")[0])
    name, text = next(iter(taught.items()))
    assert functions(text.replace("return", "return  ", 1))[name] != text
