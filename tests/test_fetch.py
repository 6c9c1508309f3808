"""Downloads through real HTTP on 127.0.0.1: success, checksum mismatch, interruption, offline."""

import dataclasses
import hashlib

import pytest

from labutils import data
from labutils.data import download, registry
from tools.httpserver import closed_port_url, serve

CONTENT = b"FROM fairest creatures we desire increase,\n" * 200


def pointer(monkeypatch, name, default_content):
    """A setter that points the registry's ``name`` entry at a URL chosen by the test (and the
    sha256 of the content that URL will serve)."""

    def point(url, content=default_content):
        entry = dataclasses.replace(
            registry.REGISTRY[name], url=url, sha256=hashlib.sha256(content).hexdigest()
        )
        monkeypatch.setitem(registry.REGISTRY, name, entry)
        return entry

    return point


@pytest.fixture
def fake_sonnets(monkeypatch):
    return pointer(monkeypatch, "sonnets", CONTENT)


def test_download_verifies_and_caches(data_dir, fake_sonnets):
    with serve({"/sonnets.txt": (CONTENT, "ok")}) as base:
        entry = fake_sonnets(f"{base}/sonnets.txt")
        path = data.fetch("sonnets")
    assert path == data_dir / entry.filename
    assert path.read_bytes() == CONTENT
    # The cached copy is used from now on: no server is running any more.
    assert data.fetch("sonnets").read_bytes() == CONTENT
    assert sorted(p.name for p in data_dir.iterdir()) == [entry.filename]


def test_download_with_wrong_checksum_is_refused_and_not_kept(data_dir, fake_sonnets):
    with serve({"/sonnets.txt": (b"something else entirely", "ok")}) as base:
        entry = fake_sonnets(f"{base}/sonnets.txt")
        with pytest.raises(data.ChecksumError) as error:
            data.fetch("sonnets")
    message = str(error.value)
    assert entry.sha256 in message and entry.url in message
    assert list(data_dir.iterdir()) == []


def test_interrupted_download_leaves_no_file(data_dir, fake_sonnets):
    with serve({"/sonnets.txt": (CONTENT, "interrupt")}) as base:
        fake_sonnets(f"{base}/sonnets.txt")
        with pytest.raises((data.DataUnavailableError, data.ChecksumError)):
            data.fetch("sonnets")
    assert list(data_dir.iterdir()) == []


def test_offline_error_names_dataset_url_hash_and_both_fixes(data_dir, fake_sonnets):
    entry = fake_sonnets(closed_port_url("/sonnets.txt"))
    with pytest.raises(data.DataUnavailableError) as error:
        data.fetch("sonnets")
    message = str(error.value)
    for expected in [
        "'sonnets'",
        entry.url,
        entry.sha256,
        "connect to the internet",
        "LABUTILS_DATA_DIR",
        entry.filename,
    ]:
        assert expected in message
    assert list(data_dir.iterdir()) == []


def test_corrupt_cached_file_is_refused_and_kept_for_inspection(data_dir):
    entry = registry.get("sonnets")
    (data_dir / entry.filename).write_text("not the sonnets")
    with pytest.raises(data.ChecksumError, match=entry.sha256):
        data.fetch("sonnets")
    assert (data_dir / entry.filename).read_text() == "not the sonnets"


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(data.UnknownDatasetError) as error:
        data.fetch("sarcasm_v2")
    assert "sarcasm_v2" in str(error.value)
    for name in registry.REGISTRY:
        assert name in str(error.value)


def test_fetch_refuses_non_file_datasets():
    with pytest.raises(TypeError, match="imdb_reviews"):
        data.fetch("imdb_reviews")


def test_reachable_is_false_for_a_closed_port_and_true_for_a_server():
    assert not download.reachable(closed_port_url())
    with serve({}) as base:
        assert download.reachable(base)


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(tmp_path))
    assert data.cache_root() == tmp_path.resolve()
    monkeypatch.delenv("LABUTILS_DATA_DIR")
    assert data.cache_root().name == "labutils"


def test_mirror_serves_the_file_by_its_cache_name_and_is_still_verified(
    data_dir, fake_sonnets, monkeypatch
):
    entry = fake_sonnets(closed_port_url("/canonical/sonnets.txt"))  # the canonical host is down
    with serve({f"/copy/{entry.filename}": (CONTENT, "ok")}) as base:
        monkeypatch.setenv("LABUTILS_DATA_MIRROR", f"{base}/copy/")
        assert data.fetch("sonnets").read_bytes() == CONTENT
    with serve({f"/bad/{entry.filename}": (b"tampered", "ok")}) as base:
        (data_dir / entry.filename).unlink()
        monkeypatch.setenv("LABUTILS_DATA_MIRROR", f"{base}/bad")
        with pytest.raises(data.ChecksumError, match=f"{base}/bad/{entry.filename}"):
            data.fetch("sonnets")
    assert list(data_dir.iterdir()) == []


BBC_CSV = (
    b"category,text\n"
    b'tech,"tv future in the hands of viewers, with home theatre systems"\n'
    b"sport,tigers wary of farrell  gamble  leicester say they will not be rushed\n"
)


@pytest.fixture
def fake_bbc(monkeypatch):
    return pointer(monkeypatch, "bbc_news", BBC_CSV)


def test_bbc_news_is_downloaded_verified_cached_and_parsed(data_dir, fake_bbc, monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with serve({"/bbc-text.csv": (BBC_CSV, "ok")}) as base:
        entry = fake_bbc(f"{base}/bbc-text.csv")
        texts, categories = data.bbc_news()
    # The header is not a row, and a quoted comma stays inside its text.
    assert categories == ["tech", "sport"]
    assert texts[0] == "tv future in the hands of viewers, with home theatre systems"
    assert data.sources_used()["bbc_news"] == "real"
    assert sorted(p.name for p in data_dir.iterdir()) == [entry.filename]
    # Cached once: read again with no server running.
    assert data.bbc_news()[1] == ["tech", "sport"]


def test_a_refused_download_is_an_error_in_real_mode_and_a_labelled_fallback_in_auto(
    data_dir, fake_bbc, monkeypatch, capsys
):
    # What a captive portal does: status 200 and a page that is not the file.
    portal = b"<html><body>Please log in to the hotel Wi-Fi</body></html>"
    with serve({"/bbc-text.csv": (portal, "ok")}) as base:
        entry = fake_bbc(f"{base}/bbc-text.csv")
        monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
        with pytest.raises(data.ChecksumError) as error:
            data.bbc_news()
        assert isinstance(error.value, data.DataUnavailableError)
        assert entry.sha256 in str(error.value) and "was refused" in str(error.value)
        monkeypatch.setenv("LABUTILS_DATA_SOURCE", "auto")
        data.bbc_news()
    out = capsys.readouterr().out
    assert "SYNTHETIC SAMPLE DATA" in out and "was refused" in out
    assert data.sources_used()["bbc_news"] == "sample"
    assert list(data_dir.iterdir()) == []


def test_a_cached_file_with_the_wrong_checksum_is_refused_even_in_auto_mode(data_dir, fake_bbc):
    entry = fake_bbc("http://127.0.0.1:9/bbc-text.csv")
    (data_dir / entry.filename).write_bytes(b"category,text\nsport,not the course file\n")
    with pytest.raises(data.ChecksumError) as error:
        data.bbc_news()
    assert not isinstance(error.value, data.DataUnavailableError)  # the user must act
    assert entry.sha256 in str(error.value) and "Delete it" in str(error.value)


def test_bbc_news_refuses_a_file_without_the_expected_header(data_dir, fake_bbc):
    content = b"label,article\nsport,a match\n"
    with serve({"/bbc-text.csv": (content, "ok")}) as base:
        fake_bbc(f"{base}/bbc-text.csv", content)
        with pytest.raises(ValueError, match="category,text"):
            data.bbc_news()
