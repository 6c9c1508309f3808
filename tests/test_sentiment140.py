"""Sentiment140 (chapter 8): the registry agrees with TFDS, the loader reaches TFDS with the
book's cache, TFDS really downloads and prepares it over HTTP (from 127.0.0.1), ``real`` fails
clearly, ``auto`` falls back loudly, and the sample tweets are shaped and learnable."""

import dataclasses
import hashlib
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from labutils import data
from labutils.data import registry, samples
from tools.httpserver import REQUESTS, closed_port_url, serve

ARCHIVE = "trainingandtestdata.zip"


def _tfds_builder_module():
    import tensorflow_datasets as tfds

    return sys.modules[tfds.builder_cls("sentiment140").__module__]


def test_registry_entry_is_the_archive_tfds_registers():
    entry = registry.get("sentiment140")
    module = _tfds_builder_module()
    assert entry.tfds_name == "sentiment140:1.0.0"
    assert entry.url == module._DOWNLOAD_URL
    checksums = Path(module.__file__).with_name("checksums.tsv").read_text().split()
    assert checksums[:3] == [entry.url, str(entry.size), entry.sha256]


@pytest.fixture
def sentiment140_at(monkeypatch):
    """Point the registry's 'sentiment140' entry at ``url``; return the setter."""

    def point(url):
        entry = dataclasses.replace(registry.REGISTRY["sentiment140"], url=url)
        monkeypatch.setitem(registry.REGISTRY, "sentiment140", entry)
        return entry

    return point


def test_real_path_asks_tfds_for_the_prepared_builder_in_the_cache(data_dir, monkeypatch):
    import tensorflow_datasets as tfds

    calls = []

    class PreparedBuilder:
        def is_prepared(self):
            return True

        def as_dataset(self, **kwargs):
            calls.append(("as_dataset", kwargs))
            return "the dataset"

    def builder(name, data_dir):
        calls.append(("builder", name, data_dir))
        return PreparedBuilder()

    monkeypatch.setattr(tfds, "builder", builder)
    # The prepared files are checked before they are read (tests/test_hostile.py checks how).
    monkeypatch.setattr(
        data, "verify_prepared", lambda builder, name, split: calls.append(("verify", name, split))
    )
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    assert data.sentiment140("test") == "the dataset"
    assert calls[0] == ("builder", "sentiment140:1.0.0", str(data_dir / "tensorflow_datasets"))
    assert calls[1] == ("verify", "sentiment140", "test")
    kwargs = calls[2][1]
    assert (kwargs["split"], kwargs["as_supervised"]) == ("test", True)
    assert data.sources_used()["sentiment140"] == "real"


def _csv(rows):
    # The archive's layout: no header, six quoted fields, ISO-8859-1, CRLF line ends.
    return "".join('"' + '","'.join(row) + '"\r\n' for row in rows).encode("iso-8859-1")


def _archive():
    def row(polarity, number, text):
        return [
            polarity,
            str(1467810000 + number),
            "Mon Apr 06 22:19:45 PDT 2009",
            "NO_QUERY",
            f"user{number}",
            text,
        ]

    train = [row("0", i, f"so sad today number {i}") for i in range(3)]
    train += [row("4", 10 + i, f"love this café {i}") for i in range(3)]
    test = [row("4", 20, "great game"), row("2", 21, "at the office"), row("0", 22, "ugh")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("training.1600000.processed.noemoticon.csv", _csv(train))
        archive.writestr("testdata.manual.2009.06.14.csv", _csv(test))
    return buffer.getvalue()


@pytest.fixture
def tfds_source(monkeypatch, sentiment140_at):
    """Point TFDS' own downloader at ``url`` and register ``content``'s checksum for it (or the
    real archive's, ``content=None``), as TFDS' checksums.tsv registers Stanford's archive.

    The builder's download URL is a module constant and its registered checksums a class
    property, so the test replaces both (and the registry's URL, which the reachability check
    reads)."""
    from tensorflow_datasets.core.download.checksums import UrlInfo

    module = _tfds_builder_module()

    def point(url, content=None):
        entry = sentiment140_at(url)
        if content is None:
            info = UrlInfo(size=entry.size, checksum=entry.sha256, filename=ARCHIVE)
        else:
            info = UrlInfo(
                size=len(content), checksum=hashlib.sha256(content).hexdigest(), filename=ARCHIVE
            )
        monkeypatch.setattr(module, "_DOWNLOAD_URL", url)
        monkeypatch.setattr(module.Builder, "url_infos", {url: info})
        return entry

    return point


def test_tfds_downloads_verifies_and_prepares_it_from_a_server(data_dir, tfds_source, monkeypatch):
    REQUESTS.clear()
    archive = _archive()
    with serve({f"/{ARCHIVE}": (archive, "ok")}) as base:
        tfds_source(f"{base}/{ARCHIVE}", archive)
        monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
        train = [
            (t.decode("utf-8"), int(p)) for t, p in data.sentiment140("train").as_numpy_iterator()
        ]
    assert REQUESTS[f"/{ARCHIVE}"] == 1
    assert data.sources_used()["sentiment140"] == "real"
    assert Counter(p for _, p in train) == {0: 3, 4: 3}
    assert "love this café 0" in {t for t, _ in train}  # decoded from ISO-8859-1
    assert (data_dir / "tensorflow_datasets" / "sentiment140" / "1.0.0").is_dir()
    # Prepared once: read again with no server running, test split included.
    test = sorted(int(p) for _, p in data.sentiment140("test").as_numpy_iterator())
    assert test == [0, 2, 4] and REQUESTS[f"/{ARCHIVE}"] == 1


def test_an_archive_with_another_checksum_is_refused_and_auto_mode_says_so(
    data_dir, tfds_source, capsys
):
    with serve({f"/{ARCHIVE}": (_archive(), "ok")}) as base:
        entry = tfds_source(f"{base}/{ARCHIVE}")  # registered: the real archive's checksum
        data.sentiment140("train")
    out = " ".join(capsys.readouterr().out.replace("!!", " ").split())
    assert "SYNTHETIC SAMPLE DATA" in out and "was refused" in out and entry.url in out
    assert data.sources_used()["sentiment140"] == "sample"
    assert not (data_dir / "tensorflow_datasets" / "sentiment140" / "1.0.0").exists()


def test_an_archive_with_another_checksum_is_an_error_in_real_mode(
    data_dir, tfds_source, monkeypatch
):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with serve({f"/{ARCHIVE}": (_archive(), "ok")}) as base:
        entry = tfds_source(f"{base}/{ARCHIVE}")
        with pytest.raises(data.ChecksumError) as error:
            data.sentiment140("train")
    assert entry.url in str(error.value) and entry.sha256 in str(error.value)
    assert not (data_dir / "tensorflow_datasets" / "sentiment140" / "1.0.0").exists()


def test_real_mode_names_the_archive_and_the_fixes(data_dir, sentiment140_at, monkeypatch):
    entry = sentiment140_at(closed_port_url(f"/{ARCHIVE}"))
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with pytest.raises(data.DataUnavailableError) as error:
        data.sentiment140("train")
    message = str(error.value)
    for expected in [
        "'sentiment140'",
        entry.url,
        entry.sha256,
        "connect to the internet",
        "LABUTILS_DATA_DIR",
        "tensorflow_datasets/sentiment140/1.0.0",
        "LABUTILS_DATA_SOURCE=sample",
    ]:
        assert expected in message


def test_auto_falls_back_to_sample_tweets_with_the_banner(data_dir, sentiment140_at, capsys):
    sentiment140_at(closed_port_url(f"/{ARCHIVE}"))
    dataset = data.sentiment140("train")
    out = capsys.readouterr().out
    assert "SYNTHETIC SAMPLE DATA" in out and "'sentiment140'" in out and "LABUTILS_DATA_DIR" in out
    text, polarity = next(iter(dataset))
    assert text.dtype.name == "string" and polarity.dtype.name == "int32"  # as TFDS gives them
    assert data.sources_used()["sentiment140"] == "sample"


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        data.sentiment140("validation")


def test_sample_tweets_have_sentiment140s_shape_and_labels():
    texts, polarities = samples.tweets("train")
    assert len(texts) == len(polarities) == 160_000  # the course's subset, not the 1.6 million
    assert set(polarities) == {0, 4} and 0.48 < polarities.count(4) / len(polarities) < 0.52
    lengths = [len(text.split()) for text in texts[:2_000]]
    assert min(lengths) >= 4 and max(lengths) <= 22  # 4-21 words, plus an @handle on replies
    assert 0.25 < sum(text.startswith("@") for text in texts[:3_000]) / 3_000 < 0.40
    test_texts, test_polarities = samples.tweets("test")
    counts = Counter(test_polarities)
    assert len(test_texts) == 500 and set(counts) == {0, 2, 4} and counts[2] > 80
    neutral = [t for t, p in zip(test_texts, test_polarities) if p == 2]
    cues = set(samples.TWEET_POSITIVE + samples.TWEET_NEGATIVE)
    assert not any(cues & set(t.split()) for t in neutral)  # neutral tweets carry no sentiment
    assert samples.tweets("train", n=50) == samples.tweets("train", n=50)
    assert samples.tweets("train", n=50, seed=1) != samples.tweets("train", n=50)


def test_sample_vectors_cover_the_tweets_but_not_the_handles():
    words, _ = samples.word_vectors()
    texts, _ = samples.tweets("train", n=2_000)
    vocabulary = {word for text in texts for word in text.split()}
    handles = {word for word in vocabulary if word.startswith("@")}
    assert handles and not handles & set(words)
    assert vocabulary - handles <= set(words)


def test_sample_tweets_are_learnable_but_not_perfectly():
    from tests.test_samples import _train_pooled_classifier

    texts, polarities = samples.tweets("train", n=4_000)
    labels = [int(p == 4) for p in polarities]
    accuracy = _train_pooled_classifier(
        texts[:3_000], labels[:3_000], texts[3_000:], labels[3_000:]
    )
    assert 0.68 < accuracy < 0.90  # cues agree 80% of the time and 10% of labels are flipped
