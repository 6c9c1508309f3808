"""GloVe: the loader in labutils.data (wheel, fallback, banner) and chapter 8's embedding matrix."""

import importlib.util
import sys

import numpy as np
import pytest

from labutils import data, glove_matrix
from labutils.data import vectors as vectors_module

ENTRY = data.get("glove_6b_50d")
TOY = data.WordVectors(["the", "cat", "sat"], np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32))
installed = pytest.mark.skipif(
    importlib.util.find_spec(ENTRY.module) is None, reason=f"{ENTRY.package} not installed"
)


@pytest.fixture(scope="module")
def chapter():
    """Chapter 8's functions: labutils.glove_matrix, generated from its cells tagged save."""
    return glove_matrix


@pytest.fixture
def no_wheel(monkeypatch):
    """Make the GloVe package impossible to import, and forget what was read before."""
    vectors_module.read_package.cache_clear()
    monkeypatch.setitem(sys.modules, ENTRY.module, None)
    yield
    vectors_module.read_package.cache_clear()


def test_embedding_matrix_rows_follow_the_vocabulary_with_zeros_for_the_rest(chapter):
    matrix = chapter.build_embedding_matrix(["", "[UNK]", "sat", "dog", "cat"], TOY)
    assert matrix.dtype == np.float32 and matrix.shape == (5, 2)
    np.testing.assert_array_equal(matrix, [[0, 0], [0, 0], [5, 6], [0, 0], [3, 4]])


def test_special_tokens_get_zeros_even_if_the_vectors_have_them(chapter):
    with_specials = data.WordVectors(["[UNK]", "cat"], np.ones((2, 3), dtype=np.float32))
    matrix = chapter.build_embedding_matrix(["", "[UNK]", "cat"], with_specials)
    np.testing.assert_array_equal(matrix.sum(axis=1), [0, 0, 3])


def test_missing_words_keep_the_vocabulary_order_and_skip_padding_and_unknown(chapter):
    assert chapter.missing_words(["", "[UNK]", "the", "zorblax", "cat", "onion's"], TOY) == [
        "zorblax",
        "onion's",
    ]


def test_word_vectors_check_their_shapes_and_name_missing_words():
    with pytest.raises(ValueError, match="3 words but 2 vectors"):
        data.WordVectors(["a", "b", "c"], np.zeros((2, 4)))
    assert TOY.index == {"the": 0, "cat": 1, "sat": 2} and TOY.dim == 2 and len(TOY) == 3
    with pytest.raises(KeyError, match="'dog' is not among the 3 words"):
        TOY.vector("dog")


def test_without_the_wheel_auto_falls_back_to_samples_with_a_banner(no_wheel, monkeypatch, capsys):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "auto")
    vectors = data.glove()
    assert "SYNTHETIC SAMPLE DATA" in capsys.readouterr().out
    assert data.sources_used()["glove_6b_50d"] == "sample"
    assert vectors.dim == 50 and "queen" in vectors and len(vectors) < 1_000


def test_without_the_wheel_real_mode_says_how_to_install_it(no_wheel, monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    with pytest.raises(data.DataUnavailableError, match=r'pip install "labutils\[glove\]"'):
        data.glove()


def test_sample_vectors_cover_the_sample_headlines_and_plant_the_analogies():
    words, matrix = data.samples.word_vectors()
    headlines, _ = data.samples.sarcasm_headlines(n=500)
    assert {word for headline in headlines for word in headline.split()} <= set(words)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    index = {word: i for i, word in enumerate(words)}
    target = unit[index["king"]] - unit[index["man"]] + unit[index["woman"]]
    ranked = [
        words[i] for i in np.argsort(-(unit @ target)) if words[i] not in ("king", "man", "woman")
    ]
    assert ranked[0] == "queen"


@installed
def test_the_wheel_gives_the_official_vectors_aligned_with_their_words(monkeypatch):
    monkeypatch.setenv("LABUTILS_DATA_SOURCE", "real")
    vectors = data.glove()
    assert vectors is data.glove(), "the read is cached in the process"
    assert data.sources_used()["glove_6b_50d"] == "real"
    assert vectors.vectors.shape == (400_000, 50) and vectors.vectors.dtype == np.float32
    assert vectors.words[:4] == ["the", ",", ".", "of"] and vectors.words[-1] == "sandberger"
    # First numbers of two lines of the official glove.6B.50d.txt.
    np.testing.assert_allclose(vectors.vector("the")[:3], [0.418, 0.24968, -0.41242])
    np.testing.assert_allclose(vectors.vector("king")[:3], [0.50451, 0.68607, -0.59517])


def _installed_package(root, files: dict[str, bytes]):
    """A package installed the way pip leaves it: the module's files and a .dist-info whose
    RECORD has each file's sha256 (urlsafe base64, as in wheels)."""
    import base64
    import hashlib

    (root / "toyvectors").mkdir()
    (root / "toyvectors" / "__init__.py").write_text("")
    lines = []
    for name, content in files.items():
        (root / "toyvectors" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "toyvectors" / name).write_bytes(content)
        digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
        lines.append(f"toyvectors/{name},sha256={digest},{len(content)}")
    info = root / "toyvectors-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toyvectors\nVersion: 1.0\n")
    (info / "RECORD").write_text("\n".join([*lines, "toyvectors-1.0.dist-info/RECORD,,"]) + "\n")


def test_a_damaged_or_missing_package_file_is_refused_with_how_to_reinstall(tmp_path, monkeypatch):
    import dataclasses

    from labutils.data import registry

    _installed_package(
        tmp_path, {"data/words.parquet": b"words" * 100, "data/vectors.npy": b"v" * 4000}
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = dataclasses.replace(
        ENTRY,
        name="toy",
        package="toyvectors",
        module="toyvectors",
        files=("data/words.parquet", "data/vectors.npy"),
    )
    vectors_module.verify_package_files(entry)  # as installed: fine
    vectors = tmp_path / "toyvectors" / "data" / "vectors.npy"
    damaged = bytearray(vectors.read_bytes())
    damaged[1234] ^= 0x01  # one flipped bit
    vectors.write_bytes(bytes(damaged))
    with pytest.raises(
        data.ChecksumError, match=r"vectors\.npy is damaged.*pip install --force-reinstall"
    ):
        vectors_module.verify_package_files(entry)
    vectors.unlink()
    with pytest.raises(data.ChecksumError, match=r"vectors\.npy is missing"):
        vectors_module.verify_package_files(entry)
    monkeypatch.setitem(registry.REGISTRY, "toy", entry)
    vectors_module.read_package.cache_clear()
    with pytest.raises(data.ChecksumError):  # the loader checks before it reads
        vectors_module.read_package("toy")
    vectors_module.read_package.cache_clear()
