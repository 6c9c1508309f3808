"""labutils.colab: the TensorFlow Datasets repair that the Colab install cell runs."""

import subprocess
import sys

import pytest

from labutils import colab

MISMATCH = (
    "google.protobuf.runtime_version.VersionError: Detected incompatible Protobuf "
    "Gencode/Runtime versions when loading tensorflow_metadata/proto/v0/anomalies.proto: "
    "gencode 6.31.1 runtime 5.29.6."
)


class FakeRuntime:
    """Stands in for subprocess.run: the probe fails until the repair has been installed."""

    def __init__(self, first_error, repaired=True):
        self.error, self.repaired, self.commands = first_error, repaired, []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        if command[1:3] == ["-m", "pip"]:
            self.error = None if self.repaired else self.error
            return subprocess.CompletedProcess(command, 0)
        failed = self.error is not None
        return subprocess.CompletedProcess(
            command, int(failed), "", f"Traceback\n{self.error}" if failed else ""
        )


def test_the_books_environment_needs_no_repair(capsys):
    assert colab.main([]) == 0
    assert "nothing to repair" in capsys.readouterr().out


def test_mismatch_installs_the_protobuf_5_series_under_the_keep_constraints(monkeypatch):
    runtime = FakeRuntime(MISMATCH)
    monkeypatch.setattr(colab.subprocess, "run", runtime)
    said = colab.repair(keep="/tmp/keep.txt")
    assert "Repaired" in said and colab.REPAIR in said
    pip = [c for c in runtime.commands if c[1:3] == ["-m", "pip"]]
    assert pip == [
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "tensorflow-metadata>=1.17,<1.18",
            "--constraint",
            "/tmp/keep.txt",
        ]
    ]
    assert len(runtime.commands) == 3  # probe, install, probe again


def test_other_import_errors_are_reported_not_patched(monkeypatch, capsys):
    runtime = FakeRuntime("ModuleNotFoundError: No module named 'tensorflow_metadata'")
    monkeypatch.setattr(colab.subprocess, "run", runtime)
    assert colab.main(["--keep", "/tmp/keep.txt"]) == 1
    assert "not the known protobuf mismatch" in capsys.readouterr().err
    assert not any(c[1:3] == ["-m", "pip"] for c in runtime.commands)


def test_a_repair_that_does_not_help_is_an_error(monkeypatch):
    monkeypatch.setattr(colab.subprocess, "run", FakeRuntime(MISMATCH, repaired=False))
    with pytest.raises(RuntimeError, match="did not repair"):
        colab.repair()


def test_colab_check_demands_real_data_for_what_the_mirror_holds_and_one_download_each(tmp_path):
    from tools.colab_check import CheckFailed, check_downloads

    mirror = tmp_path / "mirror"
    (mirror / "tensorflow_datasets" / "imdb_reviews" / "plain_text" / "1.0.0").mkdir(parents=True)
    (mirror / "Sarcasm_Headlines_Dataset.json").write_text("{}\n")
    first = {"chapter": "01", "data_sources": {"sarcasm": "real"}, "progress_bar": True}
    later = {
        "chapter": "08",
        "data_sources": {"sarcasm": "real", "sentiment140": "sample"},
        "progress_bar": False,
    }
    once = {
        "requests": {"/Sarcasm_Headlines_Dataset.json": 1},
        "cached": ["Sarcasm_Headlines_Dataset.json"],
    }
    notes = check_downloads([first, later], once, mirror)
    assert (
        "sentiment140 is not in the offline mirror" in notes[0] and "downloaded once" in notes[-1]
    )
    with pytest.raises(CheckFailed, match="downloaded 2 times"):
        check_downloads(
            [first], {**once, "requests": {"/Sarcasm_Headlines_Dataset.json": 2}}, mirror
        )
    with pytest.raises(CheckFailed, match="used sample data for imdb_reviews"):
        check_downloads([{**first, "data_sources": {"imdb_reviews": "sample"}}], once, mirror)
    with pytest.raises(CheckFailed, match="without a progress bar"):
        check_downloads([{**first, "progress_bar": False}], once, mirror)


def test_the_install_cell_names_an_unsupported_python_instead_of_a_resolver_dump(monkeypatch):
    # The day Colab moves past requires-python, the cell must say so before pip runs.
    import sys
    import types

    from IPython.core.inputtransformer2 import TransformerManager

    from tools.colab import install_cell, newest_python

    code = TransformerManager().transform_cell(install_cell("from labutils import data"))
    calls = []
    shell = types.SimpleNamespace(
        run_line_magic=lambda *a: calls.append(a), system=lambda *a: calls.append(a)
    )
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    major, minor = newest_python()
    monkeypatch.setattr(sys, "version_info", (major, minor + 1, 0, "final", 0))
    monkeypatch.setattr(sys, "version", f"{major}.{minor + 1}.0 (main)")
    with pytest.raises(
        RuntimeError,
        match=rf"Python {major}\.{minor + 1}\.0; .* supports Python 3\.10 to {major}\.{minor}",
    ):
        exec(code, {"get_ipython": lambda: shell})
    assert calls == []  # pip never ran
