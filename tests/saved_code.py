"""The lesson functions a chapter defines in cells tagged ``tested``, for the unit tests.

A chapter's cells tagged ``save`` become labutils modules (``tools/lessons.py``); cells tagged
``tested`` are lesson code that no other chapter imports, which unit tests run with ``load``.
"""

import ast
import types

import nbformat

from tools.book import ROOT


def saved_cells(chapter: str, tag: str = "tested") -> list[str]:
    """Return the source of every code cell of ``chapter`` tagged ``tag``."""
    notebook = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    return [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and tag in cell.metadata.get("tags", [])
    ]


def functions(source: str) -> dict[str, str]:
    """Return ``{name: text}`` of the top-level functions in ``source``, decorators included."""
    lines = source.splitlines()
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found[node.name] = "\n".join(lines[first - 1 : node.end_lineno])
    return found


def load(chapter: str, **names) -> types.SimpleNamespace:
    """Run the ``tested`` cells of ``chapter`` and return the functions they define.

    The cells see NumPy, TensorFlow and Keras as the chapter imports them, plus ``names``
    (for example the model a chapter's function reads as a global).
    """
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers

    namespace = {"np": np, "tf": tf, "keras": keras, "layers": layers, **names}
    for source in saved_cells(chapter):
        exec(compile(source, f"<{chapter} save cell>", "exec"), namespace)
    defined = {
        name: namespace[name] for source in saved_cells(chapter) for name in functions(source)
    }
    return types.SimpleNamespace(**defined)
