"""LABUTILS_DATA_SOURCE: auto falls back loudly, real never falls back, sample always samples."""

import dataclasses
import shutil
from collections import Counter
from pathlib import Path

import pytest

from labutils import data
from labutils.data import registry
from tools.httpserver import closed_port_url

MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def offline(monkeypatch, data_dir):
    """An empty cache and every source URL pointing at a closed port on 127.0.0.1."""
    for name, entry in list(registry.REGISTRY.items()):
        if hasattr(entry, "url"):
            monkeypatch.setitem(
                registry.REGISTRY, name, dataclasses.replace(entry, url=closed_port_url())
            )
    return data_dir


def test_auto_falls_back_to_samples_with_a_banner(offline, capsys):
    headlines, labels = data.sarcasm()
    out = capsys.readouterr().out
    assert "SYNTHETIC SAMPLE DATA" in out and "'sarcasm'" in out
    assert "LABUTILS_DATA_DIR" in out  # the banner says how to get the real data
    assert len(headlines) == len(labels) == 26_709
    assert data.sources_used()["sarcasm"] == "sample"


def test_auto_falls_back_for_tfds_datasets_too(offline, capsys):
    dataset = data.imdb("test")
    assert "'imdb_reviews'" in capsys.readouterr().out
    text, label = next(iter(dataset))
    assert text.dtype.name == "string" and label.dtype.name == "int64"
    assert data.sources_used()["imdb_reviews"] == "sample"


def test_real_mode_raises_the_clear_error(offline, monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with pytest.raises(data.DataUnavailableError) as error:
        data.sonnets()
    entry = registry.get("sonnets")
    for expected in [entry.url, entry.sha256, "connect to the internet", "LABUTILS_DATA_DIR"]:
        assert expected in str(error.value)


def test_bbc_news_falls_back_to_five_sample_categories_in_auto_mode(offline, capsys):
    texts, categories = data.bbc_news()
    out = capsys.readouterr().out
    assert "SYNTHETIC SAMPLE DATA" in out and "'bbc_news'" in out
    assert len(texts) == len(categories) == 2_225
    assert set(categories) == {"sport", "business", "politics", "tech", "entertainment"}
    assert data.sources_used()["bbc_news"] == "sample"


def test_bbc_news_in_real_mode_never_falls_back(offline, monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with pytest.raises(data.DataUnavailableError, match="bbc-text.csv"):
        data.bbc_news()


def test_real_mode_for_tfds_names_the_prepared_folder(offline, monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with pytest.raises(
        data.DataUnavailableError, match="tensorflow_datasets/imdb_reviews/plain_text/1.0.0"
    ):
        data.imdb("train")


def test_sample_mode_never_touches_the_cache(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(tmp_path / "does-not-exist"))
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "sample")
    lines = data.irish_lyrics()
    assert lines and all(isinstance(line, str) and line for line in lines)
    assert "SYNTHETIC SAMPLE DATA" in capsys.readouterr().out
    assert not (tmp_path / "does-not-exist").exists()


def test_bad_source_value_is_explained(monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "offline")
    with pytest.raises(ValueError, match="auto, real, sample"):
        data.sonnets()


def test_corrupt_cached_file_is_an_error_even_in_auto_mode(offline):
    (offline / registry.get("sonnets").filename).write_text("not the sonnets")
    with pytest.raises(data.ChecksumError):
        data.sonnets()


@pytest.mark.skipif(not MIRROR.is_dir(), reason="no offline data mirror beside the project")
def test_real_loaders_read_the_mirror(monkeypatch, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for name in [
        "Sarcasm_Headlines_Dataset.json",
        "sonnets.txt",
        "irish-lyrics-eof.txt",
        "imdb_vocab_subwords.txt",
        "bbc-text.csv",
    ]:
        shutil.copy(MIRROR / name, cache / name)
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(cache))
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    headlines, labels = data.sarcasm()
    assert (len(headlines), sum(labels)) == (26_709, 11_724)
    assert headlines[0].startswith("former versace store clerk sues")
    assert data.sonnets()[0] == "FROM fairest creatures we desire increase,"
    assert len(data.irish_lyrics()) == 1_692
    vocab = data.imdb_subword_vocab()
    assert (len(vocab), vocab[:2]) == (7_635, ["[PAD]", "[UNK]"])
    texts, categories = data.bbc_news()
    assert len(texts) == len(categories) == 2_225
    assert Counter(categories) == {
        "sport": 511,
        "business": 510,
        "politics": 417,
        "tech": 401,
        "entertainment": 386,
    }
    assert (categories[0], texts[0][:28]) == ("tech", "tv future in the hands of vi")
    assert data.sources_used()["bbc_news"] == "real"


@pytest.mark.skipif(not (MIRROR / "tensorflow_datasets").is_dir(), reason="no offline data mirror")
def test_real_tfds_loaders_read_the_mirror(monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_DIR", str(MIRROR))
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    text, label = next(iter(data.imdb("train")))
    assert text.numpy().decode().startswith("This was an absolutely terrible movie.")
    assert int(label) == 0
    assert len(data.tiny_shakespeare("train")) == 1_003_854


def test_in_a_notebook_the_banner_is_one_markdown_warning(offline, monkeypatch):
    # In a kernel the fallback is a Markdown block quote (rendered by the site, Jupyter and
    # Colab alike), not a frame of exclamation marks on stdout.
    shown = []
    monkeypatch.setattr(data, "_in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    data.sarcasm()
    (markdown,) = shown
    assert markdown.data.startswith(
        "> **Warning: SYNTHETIC SAMPLE DATA in place of the real 'sarcasm'"
    )
    assert "*Why:*" in markdown.data and "!!" not in markdown.data
