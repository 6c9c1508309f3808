"""Test-session set-up shared by the unit tests and the chapters run under nbmake."""

import json
import os
import tempfile
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--check-results",
        metavar="DIR",
        help="check the metric bands on the results ledger a finished run left in DIR (e.g. "
        "_build after `make book`), instead of recording this run's own; band tests never "
        "execute a chapter then",
    )


def pytest_configure(config):
    # Every run gets its own results ledger, so tests read what *this* run recorded. Set it
    # before any notebook kernel starts: kernels inherit the environment. To check the metric
    # bands on results recorded elsewhere, e.g. by `make book PROFILE=full`, name their folder:
    #   .venv/bin/pytest -m chapter_results tests --check-results=_build
    checked = config.getoption("--check-results")
    if checked and not (Path(checked) / "results.json").is_file():
        raise pytest.UsageError(
            f"--check-results={checked}: no results.json there; "
            "point it at the folder of a run's results ledger (e.g. _build)."
        )
    from tests import ledger
    from tools.book import absolute_data_dir, quiet_tensorflow, use_build_dir

    ledger.checking = bool(checked)
    use_build_dir(checked or tempfile.mkdtemp(prefix="labutils-test-build-"))
    quiet_tensorflow()  # the kernels nbmake starts, as tools/book.py's
    absolute_data_dir()
    # Every notebook kernel started by the tests applies cuDNN's mask rule, as a GPU run would
    # (tests/cudnn_rules.py): IPython runs the startup files of the profile in IPYTHONDIR.
    from tests.cudnn_rules import startup_file

    ipython_dir = tempfile.mkdtemp(prefix="labutils-test-ipython-")
    startup_file(ipython_dir)
    os.environ["IPYTHONDIR"] = ipython_dir


def pytest_runtest_setup(item):
    # A chapter run by nbmake records its profile and the mock values nbmake injects (the
    # kernel starts after this hook and inherits the variable); see labutils.env.run_descriptor.
    if item.path.suffix == ".ipynb":
        from tools.book import describe_run, smoke_parameters

        chapter = item.path.parent.name == "chapters"
        describe_run("smoke", smoke_parameters(item.path) if chapter else {}, item.path)


def worker_group(nodeid: str) -> str:
    """The group of a test's node id for `make test`'s two pytest-xdist workers (``-n 2``; see
    pytest_xdist_make_scheduler): a chapter's notebook and its band test
    (tests/test_results_<chapter>.py) share the chapter's name, so the band test reads the
    entry that notebook wrote in the same worker's ledger; the page tests (test_browser.py,
    test_site.py) share "site", so one worker builds the site they read; any other test
    goes with its file, whose module-scoped fixtures (a trained model, say) are then made once."""
    path = Path(nodeid.split("::")[0])
    if path.suffix == ".ipynb" and path.parent.name == "chapters":
        return path.stem
    if path.name.startswith("test_results_"):
        return path.stem.removeprefix("test_results_")
    if path.name in ("test_browser.py", "test_site.py"):
        return "site"
    return str(path)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    # pytest-xdist's own --dist loadgroup reads xdist_group marks into the node ids, which
    # pytest 9 no longer lets it rename (Node.nodeid comes from Node._id): schedule by
    # worker_group instead, whole groups to a worker, in collection order within a group.
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    # the chapters' groups first, the longest first (the newest smoke-time record), so that the
    # many short tests fill the end and the two workers finish together
    root = Path(__file__).parent
    records = sorted((root / "benchmarks" / "results").glob("smoke-*.json"))
    recorded = json.loads(records[-1].read_text())["chapters"] if records else {}
    seconds = {
        path.stem: recorded.get(path.stem, {}).get("wall_seconds", 0.0)
        for path in (root / "chapters").glob("*.ipynb")
    }
    seconds["site"] = float("inf")  # building the site, then reading every page twice

    class ChapterGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

        def _assign_work_unit(self, node) -> None:
            if not getattr(self, "chapters_moved", False):
                self.chapters_moved = True
                for scope in sorted((s for s in self.workqueue if s in seconds), key=seconds.get):
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return ChapterGroups(config, log)


def pytest_collection_modifyitems(config, items):
    # Tests that read the chapters' recorded results go last, after nbmake has run the chapters.
    items.sort(key=lambda item: item.get_closest_marker("chapter_results") is not None)


def pytest_collection_finish(session):
    # the chapters this session will run as notebooks (after -k and -m deselected theirs)
    from tests import ledger

    ledger.collected = {
        item.path.stem
        for item in session.items
        if item.path.suffix == ".ipynb" and item.path.parent.name == "chapters"
    }


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty data cache, used instead of the real one."""
    folder = tmp_path / "data-cache"
    folder.mkdir()
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(folder))
    monkeypatch.delenv("LABUTILS_DATA_SOURCE", raising=False)
    return folder


@pytest.fixture(scope="session")
def book_site(request, tmp_path_factory):
    """The html folder of a built site for the page tests: `_build/html` when pytest runs with
    --check-results after `make book`; otherwise every page of _toc.yml built now, unexecuted,
    except chapter 1, executed at smoke scale (a real page with outputs, a table and a figure),
    and the results page, generated from chapter 1's entry in the ledger."""
    import shutil

    from tools import book

    built = book.ROOT / "_build" / "html"
    if request.config.getoption("--check-results") and (built / "index.html").is_file():
        return built
    folder = tmp_path_factory.mktemp("book-site")
    source = folder / "src"
    for entry in book.toc_files():
        for suffix in (".ipynb", ".md"):
            if (book.ROOT / f"{entry}{suffix}").exists():
                (source / f"{entry}{suffix}").parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(book.ROOT / f"{entry}{suffix}", source / f"{entry}{suffix}")
    book.copy_static(source)
    chapter = book.ROOT / "chapters" / "01_tokenization.ipynb"
    page = book.ROOT / "appendix" / "results.ipynb"
    # a ledger of the site's own, so the results page shows chapter 1 alone, whichever chapters
    # this session ran before
    session_build = os.environ["LABUTILS_BUILD_DIR"]
    book.use_build_dir(folder / "site-build")
    try:
        book.execute(chapter, source / "chapters" / chapter.name, "smoke")
        # the results page, from the ledger chapter 1 just wrote: its generated tables and links
        book.execute(page, source / "appendix" / page.name, "full")  # pages have no smoke profile
    finally:
        book.use_build_dir(session_build)
    run = book.build_sources(source, folder)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    return folder / "_build" / "html"
