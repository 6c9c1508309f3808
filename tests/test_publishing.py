"""Publishing: the workflows, Colab install cells and launch URLs, the execution cache, the results page."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

from labutils import results
from tools import book, colab

ROOT = book.ROOT
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
NOTEBOOKS = book.notebooks()


def _workflow(name):
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())


def test_workflows_pass_actionlint():
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert actionlint, "actionlint is missing: it comes with the `book` extra (make install)"
    run = subprocess.run([actionlint, "-no-color"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ci_workflow_executes_each_chapter_once_and_tests_that_build():
    steps = [s.get("run", "") for s in _workflow("ci.yml")["jobs"]["test-and-build"]["steps"]]
    assert steps.index("make book PROFILE=smoke") < steps.index("make checks")
    assert not any("make test" in step for step in steps)


def test_make_checks_runs_no_notebook_again(tmp_path):
    # `make checks` follows `make book`: it must collect every test but no notebook (an
    # --ignore=chapters once let nbmake collect all 16 and run them a second time).
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^checks:.*\n\t\$\(BIN\)/python -m pytest (.*)$", makefile, re.M).group(1)
    (tmp_path / "results.json").write_text("{}")
    arguments = [a.replace("=_build", f"={tmp_path}") for a in recipe.split()]
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *arguments,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    assert "tests/test_browser.py" in listed and "labutils/report.py" in listed
    assert ".ipynb" not in listed


def test_each_band_test_runs_in_its_chapters_worker():
    # `make test` runs two pytest-xdist workers; a band test reads the ledger of its own worker,
    # so it must share its chapter's group (a renamed chapter or band test would split them)
    from conftest import worker_group

    chapters = {path.stem for path in (ROOT / "chapters").glob("*.ipynb")}
    band_tests = sorted((ROOT / "tests").glob("test_results_*.py"))
    assert len(band_tests) == len(chapters)
    for test in band_tests:
        assert worker_group(f"tests/{test.name}::test_x") in chapters, f"{test.name}: no chapter"
    for chapter in chapters:
        assert worker_group(f"chapters/{chapter}.ipynb::{chapter}.ipynb") == chapter
    assert worker_group("tests/test_browser.py::test_x[a]") == "site"
    assert worker_group("tests/test_site.py::test_x") == "site"
    assert worker_group("tests/test_plumbing.py::test_x") == "tests/test_plumbing.py"


def test_the_scheduler_sends_a_chapter_and_its_band_test_to_one_worker_longest_first():
    # conftest's scheduler, fed the node ids of two notebooks, their band tests, a page test
    # and a unit test, as two workers would report them, run to the end: each band test goes
    # to its chapter's worker, and the site's group and the longest chapter go out first.
    # (pytest-xdist's own --dist loadgroup would split them under pytest 9.)
    import conftest

    assert conftest.pytest_xdist_make_scheduler.pytest_impl.get("tryfirst")  # before xdist's
    collection = [
        "labutils/results.py::labutils.results.levers",
        "tests/test_browser.py::test_pages[desktop]",
        "chapters/01_tokenization.ipynb::01_tokenization.ipynb",
        "chapters/02_imdb_embeddings.ipynb::02_imdb_embeddings.ipynb",
        "tests/test_results_01_tokenization.py::test_01_tokenization",
        "tests/test_results_02_imdb_embeddings.py::test_02_imdb_embeddings",
    ]
    options = {"dist": "load", "tx": ["2*popen"]}
    config = SimpleNamespace(getvalue=options.get, option=SimpleNamespace(loadscopereorder=True))
    scheduler = conftest.pytest_xdist_make_scheduler(config, None)
    sent = {}

    class Worker:
        shutting_down = False

        def __init__(self, name):
            self.gateway, sent[name] = SimpleNamespace(id=name), []

        def send_runtest_some(self, indexes):
            sent[self.gateway.id].extend(indexes)

        def shutdown(self):
            pass

    workers = [Worker("gw0"), Worker("gw1")]
    for worker in workers:
        scheduler.add_node(worker)
    for worker in workers:
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    done = set()
    while not scheduler.tests_finished:  # each worker finishes what it was sent, in order
        for worker in workers:
            for index in [i for i in sent[worker.gateway.id] if (worker, i) not in done]:
                done.add((worker, index))
                scheduler.mark_test_complete(worker, index)
    where = {collection[i]: name for name, indexes in sent.items() for i in indexes}
    assert len(where) == len(collection)
    for chapter in ("01_tokenization", "02_imdb_embeddings"):
        notebook = f"chapters/{chapter}.ipynb::{chapter}.ipynb"
        assert where[notebook] == where[f"tests/test_results_{chapter}.py::test_{chapter}"]
    first = {collection[indexes[0]] for indexes in sent.values()}
    assert first == {collection[1], collection[3]}  # the site, then chapter 2 (longer than 1)


def test_publish_workflow_executes_on_gpu_with_real_data_and_deploys():
    workflow = _workflow("publish.yml")
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"]
    assert workflow["env"]["LABUTILS_DATA_SOURCE"] == "real"
    assert workflow["env"]["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"
    execute = workflow["jobs"]["execute"]
    assert "gpu" in execute["runs-on"]
    runs = [s.get("run", "") for s in execute["steps"]]
    uses = [s.get("uses", "") for s in execute["steps"]]
    text = "\n".join(runs)
    assert "tensorflow[and-cuda]" in text and "nvidia-smi" in text
    assert text.index("pytest --nbmake chapters") < text.index("make book PROFILE=full")
    assert any(u.startswith("actions/cache") for u in uses)
    failure_upload = [
        s for s in execute["steps"] if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert failure_upload and failure_upload[0]["if"] == "failure()"
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_install_cell_is_the_template_in_step_with_config(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if path not in colab.notebooks():
        assert not any("google.colab" in c.source for c in code), "this page gets no install cell"
        return
    first = code[0]
    assert "remove-cell" in first.metadata.get("tags", []), "hide the install cell on the site"
    assert first.source == colab.expected(path), "out of step: run `python tools/colab.py`"
    # The package comes from the branch that the page's Colab button opens.
    url, branch = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
    assert f' @ git+{url}@{branch}"' in first.source
    # A chapter must not rely on what another chapter installed.
    everything = "\n".join(c.source for c in code[1:])
    extras = re.search(r'"labutils(\[[a-z,]+\])? @', first.source).group(1) or ""
    if "keras_hub" in everything or "tensorflow_text" in everything:
        assert "hub" in extras, "the chapter uses keras-hub: install labutils[hub]"
    if "data.glove(" in everything:
        assert "glove" in extras, "the chapter uses GloVe: install labutils[glove]"


def test_every_notebook_that_uses_labutils_gets_the_cell_except_the_results_page():
    listed = {p.relative_to(ROOT).as_posix() for p in colab.notebooks()}
    chapters = {p.relative_to(ROOT).as_posix() for p in book.chapter_paths()}
    assert chapters <= listed and "appendix/results.ipynb" not in listed


def test_install_cell_does_nothing_outside_colab_and_keeps_colabs_versions_inside():
    from IPython.core.interactiveshell import InteractiveShell

    source = colab.install_cell("import keras_hub")
    shell = InteractiveShell.instance()
    ran = shell.run_cell(source)
    assert ran.success and "keep" not in shell.user_ns  # google.colab absent: nothing ran
    # Inside Colab the constraints file lists the four packages pip must not replace.
    assert '-c /tmp/labutils-keep.txt "labutils[hub] @ git+' in source
    assert 'for name in ("tensorflow", "keras", "numpy", "protobuf")' in source
    assert source.rstrip().endswith("-m labutils.colab --keep /tmp/labutils-keep.txt")


def test_execution_cache_reruns_only_what_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path / "build"))
    notebook = tmp_path / "tiny.ipynb"
    cell = nbformat.v4.new_code_cell(
        "x = 1", metadata={"tags": ["parameters"], "nbmake": {"mock": {"x": 2}}}
    )
    record = nbformat.v4.new_code_cell('from labutils import results\nresults.record("tiny", x=x)')
    nbformat.write(
        nbformat.v4.new_notebook(
            cells=[cell, record],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        notebook,
    )
    cache, output = tmp_path / "cache", tmp_path / "out" / "tiny.ipynb"

    seconds, cached = book.execute_cached(notebook, output, "smoke", cache)
    assert not cached and seconds > 0
    (tmp_path / "build" / "results.json").unlink()
    seconds, cached = book.execute_cached(notebook, output, "smoke", cache)
    assert cached and seconds == 0.0
    assert json.loads((tmp_path / "build" / "results.json").read_text())["tiny"]["metrics"] == {
        "x": 2
    }
    _, cached = book.execute_cached(notebook, output, "full", cache)  # another profile: run again
    assert not cached
    assert json.loads((tmp_path / "build" / "results.json").read_text())["tiny"]["metrics"] == {
        "x": 1
    }


def built_page(tmp_path, notebook, name):
    """Build a one-page site from ``notebook`` with the book's _config.yml; return its HTML."""
    site = tmp_path / "site"
    book.copy_static(site)
    (site / "_toc.yml").write_text(f"format: jb-book\nroot: {name}\n")
    shutil.copy2(notebook, site / f"{name}.ipynb")
    built = book.build_sources(site, tmp_path)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    return (tmp_path / "_build" / "html" / f"{name}.html").read_text()


def test_results_page_text_is_generated_from_the_ledger():
    from labutils import report

    run = {
        "profile": "full",
        "device": "GPU: Tesla T4",
        "tensorflow": "2.21.0",
        "keras": "3.15.1",
        "python": "3.11.7",
        "data_sources": {"imdb_reviews": "real"},
        "finished": "now",
    }
    ledger = {
        "06_architectures": {
            "run": run,
            "metrics": {"best_val_accuracy": {"flatten": 0.5}},
            "headline": [
                {"label": "Flatten: best validation accuracy", "value": 0.871, "kind": "accuracy"}
            ],
            "models": {
                "Flatten": {"parameters": 171533, "val_accuracy": 0.871, "seconds_per_epoch": 2.5},
                "Bidirectional LSTM": {"parameters": 172941},
            },
        },
        "09_irish_lyrics": {
            "run": {**run, "data_sources": {"irish_lyrics": "sample"}},
            "metrics": {"params": 278928},
            "headline": [{"label": "held-out perplexity", "value": 412.0, "kind": "perplexity"}],
            "models": {"bidirectional LSTM": {"val_perplexity": 412.0}},
        },
    }
    titles = report.chapter_titles(ROOT / "chapters")
    assert titles["06_architectures"].startswith("6. ") and titles["05b_why_lstm"].startswith(
        "5b. "
    )
    summary = report.run_summary(ledger)
    assert "**Scale:** course scale" in summary and "GPU: Tesla T4" in summary
    assert "sample data, so their numbers illustrate the method only:** 09_irish_lyrics" in summary
    table = report.summary_table(
        ledger, {"chapters": {"06_architectures": {"seconds": 301.0}}}, titles
    )
    # The headline numbers the chapters chose, with their labels; nothing picked by name (the
    # 0.5 in the free details never shows); each chapter a link with its title.
    link = f"[{titles['06_architectures']}](../chapters/06_architectures.ipynb)"
    assert f"| {link} | real | 301 s | Flatten: best validation accuracy: 0.871 |" in table
    shown = report.chapter_table("06_architectures", ledger["06_architectures"], 301.0, titles)
    assert shown.startswith(f"### {titles['06_architectures']}\n")
    assert "course scale · imdb_reviews: real · GPU: Tesla T4" in shown
    assert (
        "| model | parameters | seconds per epoch | best validation accuracy |\n|---|--:|--:|--:|\n"
        "| Flatten | 171,533 | 2.500 | 0.871 |\n| Bidirectional LSTM | 172,941 | – | – |"
    ) in shown
    assert "0.500" not in table + shown and "params" not in table + shown
    assert "| bidirectional LSTM | 412 |" in report.chapter_table(
        "09_irish_lyrics", ledger["09_irish_lyrics"]
    )
    assert report.headline_by_kind(ledger) == {
        "accuracy": [("06_architectures", "Flatten: best validation accuracy", 0.871)],
        "perplexity": [("09_irish_lyrics", "held-out perplexity", 412.0)],
    }


def test_site_copies_lose_runtime_log_noise_but_keep_real_warnings(tmp_path):
    noise = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "I0000 00:00:1795332237.005335    4933 port.cc:153] oneDNN custom operations are on.\n"
        "E0000 00:00:1795332243.005629    4933 cuda_platform.cc:52] failed call to cuInit\n"
    )
    shuffle = (
        "/x/keras/src/trainers/epoch_iterator.py:74: UserWarning: `shuffle=True` was passed, but "
        "will be ignored since the data `x` was provided as a tf.data.Dataset. The Dataset ...\n"
        "  self.data_adapter = data_adapters.get_data_adapter(\n"
    )
    real = "/x/model.py:3: UserWarning: Your input ran out of data; interrupting training.\n"
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import tensorflow",
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text=noise),
                    nbformat.v4.new_output("stream", name="stdout", text="2.21.0\n"),
                ],
            ),
            nbformat.v4.new_code_cell(
                "model.fit(ds)",
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text=shuffle + real + noise),
                ],
            ),
            nbformat.v4.new_markdown_cell(
                "A course by DeepLearning.AI, see https://www.deeplearning.ai"
            ),
        ]
    )
    path = tmp_path / "executed.ipynb"
    nbformat.write(notebook, path)

    assert book.drop_log_noise(path) == 8
    cleaned = nbformat.read(path, as_version=4)
    assert cleaned.cells[0].outputs == [
        nbformat.v4.new_output("stream", name="stdout", text="2.21.0\n")
    ]
    assert [o["text"] for o in cleaned.cells[1].outputs] == [real]

    # On the built page (the book's _config.yml): the real warning is shown, the noise is not.
    page = built_page(tmp_path, path, "executed")
    assert "Your input ran out of data" in page
    assert (
        "absl::InitializeLog" not in page
        and "cuda_platform" not in page
        and "shuffle=True" not in page
    )
    # linkify links the URL, not the organisation's name.
    assert (
        'href="https://www.deeplearning.ai"' in page and 'href="http://DeepLearning.AI"' not in page
    )


def test_ci_runs_the_readme_test_command_and_the_colab_check_on_python_313():
    script = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in script.splitlines() if line.strip().startswith("make ")]
    assert "make test" in commands and "make colab-check" in commands
    job = _workflow("ci.yml")["jobs"]["colab-check"]
    versions = [s.get("with", {}).get("python-version") for s in job["steps"]]
    assert "3.13" in versions and any("make colab-check" in s.get("run", "") for s in job["steps"])


def test_installs_use_the_lock_and_the_library_declares_ranges():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10,<3.14"
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    assert not [r for r in requirements if "==" in r], "pin exact versions in constraints.txt only"
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert '-c constraints.txt -e ".[all]"' in (ROOT / "Makefile").read_text()
    lock = (ROOT / "constraints.txt").read_text()
    for name in ("tensorflow", "keras", "numpy", "jupyter-book", "keras-hub", "tensorflow-text"):
        assert re.search(rf"^{name}==\S+$", lock, re.MULTILINE), f"{name} is not locked"


def test_colabs_versions_satisfy_the_library_ranges():
    # Otherwise pip would replace Colab's packages to install labutils.
    import tomllib
    from packaging.requirements import Requirement

    from tools.colab_check import pins

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    colab_versions = pins()
    requirements = project["dependencies"] + project["optional-dependencies"]["hub"]
    checked = 0
    for requirement in map(Requirement, requirements):
        name = requirement.name.lower().replace("_", "-")
        if name in colab_versions:
            assert requirement.specifier.contains(colab_versions[name]), (
                requirement,
                colab_versions[name],
            )
            checked += 1
    assert checked >= 10
    assert Requirement("x" + project["requires-python"]).specifier.contains("3.13.0")


def test_landing_page_times_come_from_the_records(tmp_path, monkeypatch):
    # The intro is a page notebook: the build executes it like the results page.
    def duration(seconds):
        return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"

    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path / "build"))
    intro = ROOT / "intro.ipynb"
    assert intro in book.page_notebooks()
    output = tmp_path / "intro.ipynb"
    book.execute(intro, output, "full")
    page = "\n".join(
        o.get("data", {}).get("text/markdown", "")
        for cell in nbformat.read(output, as_version=4).cells
        for o in cell.get("outputs", [])
    )
    smoke_path = sorted(results.records_dir().glob("smoke-*.json"))[-1]
    smoke = json.loads(smoke_path.read_text())["chapters"]
    for notebook in book.chapter_paths():
        row = next(line for line in page.splitlines() if f"({notebook.relative_to(ROOT)})" in line)
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        smoke_seconds = smoke.get(notebook.stem, {}).get("wall_seconds")
        assert cells[2] == (duration(smoke_seconds) if smoke_seconds else "not measured"), (
            notebook.stem,
            cells,
        )
        if not (results.records_dir() / f"course-scale-{notebook.stem}.json").is_file():
            assert cells[3] == "not measured yet", (notebook.stem, cells)  # a new chapter
            continue
        record = results.course_scale(notebook.stem)
        # A run that shared the CPU says its time is an upper bound.
        shown = ("at most " if record.get("contended") else "") + duration(record["wall_seconds"])
        assert cells[3].startswith(shown), (notebook.stem, cells)
    # The total counts only the records of chapters run exactly as written.
    records = {
        n: results.records_dir() / f"course-scale-{n.stem}.json" for n in book.chapter_paths()
    }
    records = {n: json.loads(p.read_text()) for n, p in records.items() if p.is_file()}
    as_written = [
        r for r in records.values() if not r["overrides"]
    ]  # overridden then: not as written
    hedge = "at most " if any(r.get("contended") for r in as_written) else ""
    total = sum(r["wall_seconds"] for r in as_written) / 3600
    assert (
        f"| {len(as_written)} chapters recorded as written, in all | | {hedge}{total:.1f} h |"
        in page
    )
    assert "GPU times: not measured yet" in page


def test_the_gpu_lock_pins_every_cuda_package_the_locked_tensorflow_asks_for():
    # publish.yml installs tensorflow[and-cuda] with constraints-gpu.txt: nothing unpinned.
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    pins = dict(
        line.split("==")
        for line in (ROOT / "constraints-gpu.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    wanted = [Requirement(r) for r in requires("tensorflow") if 'extra == "and-cuda"' in r]
    assert wanted, "the installed tensorflow declares no and-cuda extra"
    for requirement in wanted:
        assert requirement.name in pins, f"{requirement.name} is not pinned in constraints-gpu.txt"
        assert requirement.specifier.contains(pins[requirement.name]), (
            requirement,
            pins[requirement.name],
        )
    assert set(pins) == {r.name for r in wanted}, (
        "constraints-gpu.txt pins packages TensorFlow does not ask for"
    )
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text()
    assert '-c constraints.txt -c constraints-gpu.txt "tensorflow[and-cuda]' in workflow


def test_the_download_button_offers_the_clean_notebook_not_the_executed_copy(tmp_path):
    # MyST-NB puts the executed copy (outputs, injected smoke values) under _sources, which the
    # page's download button links to; the build replaces it with the repository's notebook.
    offered = tmp_path / "_sources" / "chapters" / "01_tokenization.ipynb"
    offered.parent.mkdir(parents=True)
    offered.write_text('{"cells": [], "metadata": {"executed": true}}')
    replaced = book.publish_clean_sources(tmp_path)
    clean = ROOT / "chapters" / "01_tokenization.ipynb"
    assert offered in replaced and offered.read_text() == clean.read_text()
