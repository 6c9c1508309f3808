"""A chapter run through papermill's command line with -p overrides, as a reader would."""

import json
import os
import subprocess
import sys

import pytest

from tools.book import ROOT, smoke_parameters

CHAPTER = ROOT / "chapters" / "01_tokenization.ipynb"


def _papermill(tmp_path, *overrides):
    arguments = [a for name, value in overrides for a in ("-p", name, str(value))]
    env = {**os.environ, "LABUTILS_BUILD_DIR": str(tmp_path)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(CHAPTER),
            str(tmp_path / "out.ipynb"),
            "--cwd",
            str(CHAPTER.parent),
            "--no-progress-bar",
            *arguments,
        ],
        env=env,
        capture_output=True,
        text=True,
    )


def test_overrides_take_effect_in_the_recorded_results(tmp_path):
    smoke = smoke_parameters(CHAPTER)
    run = _papermill(tmp_path, *smoke.items(), ("max_tokens", 50))
    assert run.returncode == 0, run.stderr[-3000:]
    metrics = json.loads((tmp_path / "results.json").read_text())["01_tokenization"]["metrics"]
    assert metrics["vocab_size"] == 50  # the cap, counting '' and [UNK]
    assert metrics["num_headlines"] == smoke["max_headlines"]
    assert metrics["padded_shape"][0] == smoke["max_headlines"]
    executed = json.loads((tmp_path / "out.ipynb").read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])


def test_a_bad_override_fails_naming_the_parameter(tmp_path):
    run = _papermill(tmp_path, ("max_headlines", 0))
    assert run.returncode != 0
    assert "Parameter 'max_headlines' must be a positive integer" in run.stderr + run.stdout
    assert not (tmp_path / "results.json").exists()


def test_the_book_refuses_a_misspelt_parameter_before_running_anything(capsys):
    from tools import book

    with pytest.raises(ValueError) as error:
        book.main(["--chapters", "01_tokenization", "-p", "max_headline", "50", "--no-site"])
    message = str(error.value)
    assert "01_tokenization has no parameter 'max_headline'" in message
    assert "max_headlines" in message and "max_tokens" in message  # the chapter's own names
    assert "Profile:" not in capsys.readouterr().out  # refused before anything started


def test_the_ledger_records_the_profile_and_the_injected_values(tmp_path, monkeypatch):
    from labutils import results
    from tests.ledger import is_course_scale
    from tools import book

    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    book.execute(CHAPTER, tmp_path / "out.ipynb", "smoke", {"max_tokens": 50})
    entry = results.load()["01_tokenization"]
    assert entry["run"]["profile"] == "smoke"
    assert entry["run"]["overrides"] == {**smoke_parameters(CHAPTER), "max_tokens": 50}
    assert not is_course_scale(entry)
    assert is_course_scale({"run": {"profile": "full", "overrides": {}}})
    assert not is_course_scale({"run": {"profile": "full", "overrides": {"epochs": 2}}})
    assert is_course_scale(
        {"run": {"profile": "full", "overrides": {"epochs": 2}}}, except_for=("epochs",)
    )


def test_a_hanging_cell_fails_with_the_chapters_name(tmp_path):
    import time

    import nbformat

    from tools.book import ExecutionTimeout, execute

    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("seconds = 60")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell("import time\ntime.sleep(seconds)")]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "99_hangs.ipynb"
    nbformat.write(notebook, path)
    start = time.perf_counter()
    with pytest.raises(
        ExecutionTimeout, match=r"99_hangs: CellTimeoutError: a cell ran longer than 2 s"
    ):
        execute(path, tmp_path / "out.ipynb", "full", timeout=2)
    assert time.perf_counter() - start < 30  # not the minute the cell asked for


def test_cell_timeouts_come_from_the_course_scale_records(tmp_path):
    import json
    import shutil

    from tools.book import ROOT, SMOKE_CELL_TIMEOUT, cell_timeout

    chapter = tmp_path / "chapters" / "05_lstm.ipynb"
    chapter.parent.mkdir()
    shutil.copy2(ROOT / "chapters" / "05_lstm.ipynb", chapter)  # its parameters cell: epochs = 10
    records = tmp_path / "benchmarks" / "results"
    records.mkdir(parents=True)
    assert cell_timeout(chapter, "full", tmp_path) == 4 * 3600  # no record yet
    (records / "course-scale-05_lstm.json").write_text(
        json.dumps({"wall_seconds": 1000, "overrides": {}})
    )
    assert cell_timeout(chapter, "full", tmp_path) == 2000
    # A record that trained 2 of the chapter's 10 epochs stands for a run five times as long.
    (records / "course-scale-05_lstm.json").write_text(
        json.dumps({"wall_seconds": 1000, "overrides": {"epochs": 2}})
    )
    assert cell_timeout(chapter, "full", tmp_path) == 10_000
    (records / "course-scale-05_lstm.json").write_text(
        json.dumps({"wall_seconds": 10, "overrides": {}})
    )
    assert cell_timeout(chapter, "full", tmp_path) == 1200  # never less than 20 minutes
    assert cell_timeout(chapter, "smoke", tmp_path) == SMOKE_CELL_TIMEOUT


def test_the_execution_cache_key_changes_with_a_record_the_build_script_or_the_config(tmp_path):
    import shutil

    from tools.book import ROOT, cache_inputs, cache_key

    root = tmp_path / "book"
    for name in [
        "pyproject.toml",
        "constraints.txt",
        "_config.yml",
        "tools/book.py",
        "labutils/results.py",
        "benchmarks/results/course-scale-02_imdb_embeddings.json",
        "chapters/02_imdb_embeddings.ipynb",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    notebook = root / "chapters" / "02_imdb_embeddings.ipynb"
    keys = {cache_key(notebook, "full", root=root)}
    for name in [
        "benchmarks/results/course-scale-02_imdb_embeddings.json",
        "tools/book.py",
        "_config.yml",
    ]:
        with open(root / name, "a") as changed:
            changed.write("\n")
        keys.add(cache_key(notebook, "full", root=root))
    assert len(keys) == 4, (
        "a change to a record, tools/book.py or _config.yml left the key unchanged"
    )
    assert root / "benchmarks/results/course-scale-02_imdb_embeddings.json" in cache_inputs(root)


def test_the_workflow_cache_key_hashes_what_the_build_hashes():
    # publish.yml's actions/cache key must change whenever tools/book.py's cache key can: a
    # record edited on main must not let the GPU job restore pages rendered from the old one.
    import fnmatch
    import re

    import yaml

    from tools.book import ROOT, cache_inputs

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    keys = [
        step["with"]["key"]
        for step in workflow["jobs"]["execute"]["steps"]
        if step.get("uses", "").startswith("actions/cache/") and "executed" in step["with"]["path"]
    ]
    assert len(keys) == 2 and keys[0] == keys[1], "restore and save must use the same key"
    patterns = re.findall(r"'([^']+)'", keys[0])
    for path in [*cache_inputs(), ROOT / "chapters" / "01_tokenization.ipynb"]:
        relative = path.relative_to(ROOT).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern.replace("**", "*")) for pattern in patterns), (
            relative
        )
