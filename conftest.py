"""Test-session set-up shared by the unit tests and the chapters run under nbmake."""

import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config):
    # Every run gets its own results ledger, so tests read what *this* run recorded. Set it
    # before any notebook kernel starts: kernels inherit the environment. To check the metric
    # bands on results recorded elsewhere, e.g. by `make book PROFILE=full`, name their folder:
    #   LABUTILS_CHECK_RESULTS=_build .venv/bin/pytest -m chapter_results tests
    checked = os.environ.get("LABUTILS_CHECK_RESULTS")
    if checked and not (Path(checked) / "results.json").is_file():
        raise pytest.UsageError(f"LABUTILS_CHECK_RESULTS={checked}: no results.json there; "
                                "point it at the folder of a run's results ledger (e.g. _build).")
    os.environ["LABUTILS_BUILD_DIR"] = checked or tempfile.mkdtemp(prefix="labutils-test-build-")
    os.environ["LABUTILS_PROFILE"] = "smoke"


def pytest_collection_modifyitems(config, items):
    # Tests that read the chapters' recorded results go last, after nbmake has run the chapters.
    items.sort(key=lambda item: item.get_closest_marker("chapter_results") is not None)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty data cache, used instead of the real one."""
    folder = tmp_path / "data-cache"
    folder.mkdir()
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(folder))
    monkeypatch.delenv("LABUTILS_DATA_SOURCE", raising=False)
    return folder
