"""Code style: ruff over the package, tests, tools and every notebook (configured in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from tools.book import ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    run = subprocess.run(
        [str(ruff), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-4000:]


def test_python_files_are_in_ruff_format():
    # The pre-commit hook formats on commit; this catches a commit made without the hook.
    ruff = Path(sys.executable).with_name("ruff")
    run = subprocess.run(
        [str(ruff), "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, "run: ruff format .\n" + run.stdout[-4000:]
