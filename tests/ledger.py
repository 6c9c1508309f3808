"""Access to the chapters' recorded results for the metric-band tests (tests/test_results_*.py)."""

import pytest

from labutils import results
from tools.book import ROOT, execute

# True when pytest runs with --check-results DIR (conftest.py): the ledger is a finished run's,
# and a chapter missing from it is a failure, never a reason to execute the chapter.
checking = False
# The chapters this session collected as notebooks (conftest.py): nbmake runs each one before
# its band test, in the same worker.
collected: set[str] = set()


def chapter_results(chapter: str) -> dict:
    """Return ``{"metrics": ..., "run": ...}`` recorded by ``chapter`` in this test run.

    The chapters run under nbmake before the band tests (see conftest.py); if the chapter ran
    and recorded nothing, the test fails rather than running it again. A band test run on its
    own executes its chapter first, with the smoke values, unless pytest runs with
    ``--check-results DIR``, a finished run's ledger to check.
    """
    entry = results.load().get(chapter)
    if entry is None and checking:
        pytest.fail(f"{chapter} recorded nothing in {results.ledger_path()} (--check-results)")
    if entry is None and chapter in collected:
        pytest.fail(
            f"{chapter} is run under nbmake in this session but has recorded nothing in "
            f"{results.ledger_path()}: its notebook failed (see its test), ran after this test "
            "(--ff or --nf reorder tests) or in another pytest-xdist worker than this test "
            "(`make test` groups them: conftest.worker_group)"
        )
    if entry is None:
        notebook = ROOT / "chapters" / f"{chapter}.ipynb"
        execute(notebook, results.ledger_path().parent / "executed" / notebook.name, "smoke")
        entry = results.load()[chapter]
    return entry


def is_course_scale(entry: dict, *, except_for: tuple[str, ...] = ()) -> bool:
    """Return whether ``entry`` was recorded at course scale: the full profile (each chapter's
    own parameters cell) with no value overridden, except the names in ``except_for`` (e.g. a
    recurrent chapter whose CPU record trained fewer epochs). The one rule the band tests share;
    it reads what the run recorded (``run.profile``, ``run.overrides``), not the metrics."""
    run = entry["run"]
    return run.get("profile") == "full" and set(run.get("overrides", {})) <= set(except_for)
