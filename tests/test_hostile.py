"""The data layer under misbehaving servers, bad settings and odd caches: every failure is a
clear error or a labelled fallback, and nothing is left behind (loopback only)."""

import os
import subprocess
import sys

import pytest

from labutils import data
from tests.test_fetch import CONTENT, pointer
from tools.book import ROOT
from tools.httpserver import serve


@pytest.fixture
def fake_sonnets(monkeypatch):
    return pointer(monkeypatch, "sonnets", CONTENT)


@pytest.mark.parametrize("behaviour", ["garbage-length", "redirect-to-file"])
def test_a_broken_download_is_unavailable_not_a_checksum_error(
    data_dir, fake_sonnets, behaviour, capsys
):
    # Both once surfaced as "The source may have changed" (a ValueError taken for pooch's hash
    # mismatch), and auto mode crashed instead of falling back.
    with serve({"/sonnets.txt": (CONTENT, behaviour)}) as base:
        fake_sonnets(f"{base}/sonnets.txt")
        with pytest.raises(data.DataUnavailableError) as error:
            data.fetch("sonnets")
        assert not isinstance(error.value, data.ChecksumError)
        assert "source may have changed" not in str(error.value)
        assert data.sonnets()  # auto mode: the samples, with the banner
    assert "SYNTHETIC SAMPLE DATA" in capsys.readouterr().out
    assert list(data_dir.iterdir()) == []


def test_an_http_error_names_its_status(data_dir, fake_sonnets):
    with serve({}) as base:  # every path: 404
        fake_sonnets(f"{base}/sonnets.txt")
        with pytest.raises(data.DataUnavailableError, match="the server answered HTTP 404"):
            data.fetch("sonnets")


@pytest.mark.parametrize(
    "mirror, problem",
    [
        ("example.org/datasets", "no http:// or https:// scheme"),
        ("/srv/datasets", "no http:// or https:// scheme"),
        ("file:///srv/datasets", "no http:// or https:// scheme"),
        ("ftp://mirror.example.org/datasets", "its scheme is ftp://"),
        ("https://example.org:99999/datasets", "its port is not valid"),
        ("https:///datasets", "it names no host"),
    ],
)
def test_a_malformed_mirror_is_refused_with_the_variable_and_an_example(
    data_dir, monkeypatch, mirror, problem
):
    monkeypatch.setenv("LABUTILS_DATA_MIRROR", mirror)
    with pytest.raises(ValueError) as error:
        data.fetch("sonnets")
    message = str(error.value)
    assert problem in message and f"LABUTILS_DATA_MIRROR={mirror!r}" in message
    assert (
        "LABUTILS_DATA_MIRROR=https://example.org/datasets/" in message
    )  # an example of a good one


def test_a_cache_entry_that_is_not_a_regular_file_is_refused_clearly(data_dir, fake_sonnets):
    entry = fake_sonnets("http://127.0.0.1:9/sonnets.txt")
    (data_dir / entry.filename).mkdir()
    with pytest.raises(data.ChecksumError, match="not a regular file"):
        data.fetch("sonnets")
    (data_dir / entry.filename).rmdir()
    os.mkfifo(data_dir / entry.filename)  # hashing a pipe would wait forever
    with pytest.raises(data.ChecksumError, match="not a regular file"):
        data.fetch("sonnets")


def test_a_relative_data_dir_is_resolved_once_and_spaces_are_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LABUTILS_DATA_DIR", "  mirror  ")
    first = data.cache_root()
    assert first == tmp_path / "mirror"
    (tmp_path / "chapters").mkdir()
    monkeypatch.chdir(tmp_path / "chapters")  # where notebook kernels run
    assert data.cache_root() == first
    monkeypatch.setenv("LABUTILS_DATA_DIR", "   ")  # only spaces: as if unset
    assert " " not in str(data.cache_root())


def test_kernels_started_by_the_book_get_an_absolute_data_dir(tmp_path):
    # tools/book.py and conftest.py make LABUTILS_DATA_DIR absolute before a kernel starts in
    # chapters/, so ../shared/data means what it meant where the command was typed.
    code = (
        "import os; from tools.book import absolute_data_dir; absolute_data_dir(); "
        "print(os.environ['LABUTILS_DATA_DIR'])"
    )
    root = ROOT
    env = {**os.environ, "LABUTILS_DATA_DIR": "../shared/data", "PYTHONPATH": str(root)}
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert shown == str((root / "../shared/data").resolve())


def test_sample_mode_downloads_nothing_at_any_entry_point(data_dir, fake_sonnets, monkeypatch):
    from tools.httpserver import REQUESTS

    REQUESTS.clear()
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "sample")
    with serve({"/sonnets.txt": (CONTENT, "ok")}) as base:
        fake_sonnets(f"{base}/sonnets.txt")
        assert data.sonnets()  # the samples
        with pytest.raises(data.DataUnavailableError, match="LABUTILS_DATA_SOURCE=sample"):
            data.fetch("sonnets")
        with pytest.raises(data.DataUnavailableError, match="LABUTILS_DATA_SOURCE=sample"):
            data.tfds_builder("imdb_reviews")
    assert not REQUESTS and list(data_dir.iterdir()) == []


def test_downloads_go_through_the_proxy_the_environment_names(data_dir, fake_sonnets, monkeypatch):
    # A network where only a proxy reaches the internet: the host itself cannot be reached
    # directly (a name that does not resolve), the proxy can. NO_PROXY exempts a host.
    import http.server
    import threading

    asked = []

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            asked.append(self.path)  # a proxy receives the absolute URL
            self.send_response(200)
            self.send_header("Content-Length", str(len(CONTENT)))
            self.end_headers()
            self.wfile.write(CONTENT)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = "http://datasets.example.invalid/sonnets.txt"
        fake_sonnets(url)
        monkeypatch.setenv("NO_PROXY", "datasets.example.invalid")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(data.DataUnavailableError, match="cannot be reached"):
            data.fetch("sonnets")  # exempted: a direct connection, which fails
        monkeypatch.setenv("NO_PROXY", "localhost")
        assert data.fetch("sonnets").read_bytes() == CONTENT
        assert asked == [url]
    finally:
        server.shutdown()
        server.server_close()


def test_a_download_killed_half_way_is_swept_by_the_next_one(data_dir, fake_sonnets):
    # SIGKILL (a kernel restart, a Colab reset) runs no clean-up: the half-written file stays in
    # the process's .partial-<pid> folder, and the next download removes it.
    import signal
    import time

    with serve({"/slow.txt": (CONTENT * 50, "stall"), "/sonnets.txt": (CONTENT, "ok")}) as base:
        slow = fake_sonnets(f"{base}/slow.txt", CONTENT * 50)
        code = (
            "import dataclasses, sys; from labutils import data; from labutils.data import registry\n"
            f"registry.REGISTRY['sonnets'] = dataclasses.replace(registry.REGISTRY['sonnets'], "
            f"url={slow.url!r}, sha256={slow.sha256!r})\n"
            "data.fetch('sonnets')"
        )
        child = subprocess.Popen(
            [sys.executable, "-c", code],
            env={**os.environ, "LABUTILS_DATA_DIR": str(data_dir)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        partial = data_dir / f".partial-{child.pid}"
        deadline = time.monotonic() + 60
        while not (partial.is_dir() and any(p.stat().st_size for p in partial.iterdir())):
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.2)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert partial.is_dir()  # what a killed download leaves
        fake_sonnets(f"{base}/sonnets.txt")
        assert data.fetch("sonnets").read_bytes() == CONTENT
    assert sorted(p.name for p in data_dir.iterdir()) == ["sonnets.txt"]


def test_a_downloaded_file_gets_the_permissions_of_the_umask(data_dir, fake_sonnets):
    # A cache prepared by one user (a lab machine, a shared folder) must be readable by others
    # when the umask says so; pooch's temporary file is 0600.
    before = os.umask(0o022)
    try:
        with serve({"/sonnets.txt": (CONTENT, "ok")}) as base:
            fake_sonnets(f"{base}/sonnets.txt")
            path = data.fetch("sonnets")
    finally:
        os.umask(before)
    assert path.stat().st_mode & 0o777 == 0o644


MIRROR = ROOT.parent / "shared" / "data" / "tensorflow_datasets" / "tiny_shakespeare"


@pytest.fixture
def prepared_copy(data_dir):
    """A copy of the prepared Tiny Shakespeare (the offline mirror's) in an empty data cache."""
    import shutil

    if not MIRROR.is_dir():
        pytest.skip("the offline data mirror (../shared/data) is not beside the project")
    target = data_dir / "tensorflow_datasets" / "tiny_shakespeare"
    shutil.copytree(MIRROR, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target / "1.0.0"


def _damage(folder, how):
    shard = folder / "tiny_shakespeare-train.tfrecord-00000-of-00001"
    content = bytearray(shard.read_bytes())
    if how == "truncated":
        shard.write_bytes(bytes(content[: len(content) // 2]))
    elif how == "empty":
        shard.write_bytes(b"")
    elif how == "bit flipped":
        content[len(content) // 2] ^= 0x01
        shard.write_bytes(bytes(content))
    elif how == "missing":
        shard.unlink()
    elif how == "broken info":
        (folder / "dataset_info.json").write_text('{"name": "tiny_shakespeare", "splits": [')


@pytest.mark.parametrize("how", ["truncated", "empty", "bit flipped", "missing", "broken info"])
def test_damaged_prepared_data_is_refused_naming_the_dataset_folder_and_fix(
    prepared_copy, monkeypatch, how
):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    assert data.tiny_shakespeare("train").startswith("First Citizen")  # the copy is good
    _damage(prepared_copy, how)
    with pytest.raises(data.ChecksumError) as error:
        data.tiny_shakespeare("train")
    message = str(error.value)
    assert "'tiny_shakespeare'" in message and str(prepared_copy) in message and "Delete" in message


@pytest.mark.skipif(
    os.geteuid() != 0 or not __import__("shutil").which("setpriv"),
    reason="needs root, to give the file to another user and drop the override",
)
def test_a_cache_file_this_user_cannot_read_is_a_clear_error_and_a_labelled_fallback(tmp_path):
    # A cache prepared by another user (mode 0600, as pooch used to leave files): the file
    # belongs to nobody, and the reading process runs without root's permission override.
    import hashlib
    import shutil

    cache = tmp_path / "shared-cache"
    cache.mkdir()
    (cache / "sonnets.txt").write_bytes(CONTENT)
    (cache / "sonnets.txt").chmod(0o600)
    shutil.chown(cache / "sonnets.txt", user="nobody")
    root = ROOT
    code = (
        "import dataclasses, sys\n"
        "from labutils import data\nfrom labutils.data import registry\n"
        "registry.REGISTRY['sonnets'] = dataclasses.replace(registry.REGISTRY['sonnets'], "
        f"url='http://127.0.0.1:9/sonnets.txt', sha256={hashlib.sha256(CONTENT).hexdigest()!r})\n"
        "try:\n    data.fetch('sonnets')\nexcept data.DataUnavailableError as error:\n    print('ERROR', error)\n"
        "print('LINES', len(data.sonnets()), data.sources_used()['sonnets'])\n"
    )
    no_override = [
        "setpriv",
        "--inh-caps=-dac_override,-dac_read_search",
        "--bounding-set=-dac_override,-dac_read_search",
    ]
    done = subprocess.run(
        [*no_override, sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root), "LABUTILS_DATA_DIR": str(cache)},
    )
    out = " ".join(done.stdout.replace("!!", " ").split())
    assert "ERROR Dataset 'sonnets' is in the data cache" in out and "permission denied" in out, (
        done.stderr[-1500:]
    )
    assert "chmod a+r" in out and out.endswith("sample")  # auto mode: the samples, with the banner
