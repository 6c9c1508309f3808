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
    # a URL of a branch could change under the sha256; a commit's cannot
    assert re.search(r"/[0-9a-f]{40}/", registry.get("sarcasm").url)


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
