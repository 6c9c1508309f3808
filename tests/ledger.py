"""Access to the chapters' recorded results for the metric-band tests (tests/test_results_*.py)."""

from labutils import results
from tools.book import ROOT, execute


def chapter_results(chapter: str) -> dict:
    """Return ``{"metrics": ..., "run": ...}`` recorded by ``chapter`` in this test run.

    The chapters run under nbmake before the band tests (see conftest.py). A band test run on
    its own executes its chapter first, with the smoke values.
    """
    entry = results.load().get(chapter)
    if entry is None:
        notebook = ROOT / "chapters" / f"{chapter}.ipynb"
        execute(notebook, results.ledger_path().parent / "executed" / notebook.name, "smoke")
        entry = results.load()[chapter]
    return entry
