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
        [sys.executable, "-m", "papermill", str(CHAPTER), str(tmp_path / "out.ipynb"),
         "--cwd", str(CHAPTER.parent), "--no-progress-bar", *arguments],
        env=env, capture_output=True, text=True,
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
    from tests.ledger import course_scale
    from tools import book

    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    book.execute(CHAPTER, tmp_path / "out.ipynb", "smoke", {"max_tokens": 50})
    entry = results.load()["01_tokenization"]
    assert entry["run"]["profile"] == "smoke"
    assert entry["run"]["overrides"] == {**smoke_parameters(CHAPTER), "max_tokens": 50}
    assert not course_scale(entry)
    assert course_scale({"run": {"profile": "full", "overrides": {}}})
    assert not course_scale({"run": {"profile": "full", "overrides": {"epochs": 2}}})
    assert course_scale({"run": {"profile": "full", "overrides": {"epochs": 2}}}, except_for=("epochs",))
