"""Looking at learned word vectors: export for the Embedding Projector, nearest neighbours.

Introduced in chapter 2 (word embeddings).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def export_projector(vectors, words, folder) -> tuple[Path, Path]:
    """Write ``vecs.tsv`` and ``meta.tsv`` for https://projector.tensorflow.org.

    ``vectors[i]`` is the vector of ``words[i]``. Padding (``""``) and ``[UNK]`` are skipped.
    Returns the two paths.

    Examples
    --------
    >>> vecs, meta = export_projector([[0.0, 1.0], [1.0, 0.5]], ["", "good"], "/tmp/proj")
    >>> meta.read_text()
    'good\\n'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vecs_path, meta_path = folder / "vecs.tsv", folder / "meta.tsv"
    vectors = np.asarray(vectors)
    if len(vectors) != len(words):
        raise ValueError(f"{len(vectors)} vectors but {len(words)} words: they must match.")
    with (
        open(vecs_path, "w", encoding="utf-8") as vecs,
        open(meta_path, "w", encoding="utf-8") as meta,
    ):
        for vector, word in zip(vectors, words):
            if word in ("", "[UNK]"):
                continue
            vecs.write("\t".join(f"{x:.5f}" for x in vector) + "\n")
            meta.write(f"{word}\n")
    return vecs_path, meta_path


def nearest_neighbours(vectors, words, query: str, k: int = 5) -> list[tuple[str, float]]:
    """Return the ``k`` words whose vectors have the highest cosine similarity to ``query``'s.

    Examples
    --------
    >>> vectors = [[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]
    >>> nearest_neighbours(vectors, ["good", "great", "bad"], "good", k=1)
    [('great', 0.99)]
    """
    words = list(words)
    if query not in words:
        raise KeyError(f"{query!r} is not in the vocabulary of {len(words):,} words.")
    vectors = np.asarray(vectors, dtype=np.float64)
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    similarity = unit @ unit[words.index(query)]
    order = [i for i in np.argsort(-similarity) if words[i] != query][:k]
    return [(words[i], round(float(similarity[i]), 2)) for i in order]
