"""Filling an embedding matrix from word vectors: chapter 8's lesson code, kept once for reuse.

Chapter 8 (GloVe) teaches these functions in its cells tagged ``save``; chapter 12 imports them
from here. ``tests/test_saved_code.py`` keeps this text identical to the chapter's.
"""

import numpy as np


def build_embedding_matrix(vocabulary, vectors):
    """Return the matrix whose row i is the vector of vocabulary[i]; padding (""), [UNK]
    and words without a vector get a row of zeros."""
    matrix = np.zeros((len(vocabulary), vectors.dim), dtype="float32")
    for row, word in enumerate(vocabulary):
        if word in vectors and word not in ("", "[UNK]"):
            matrix[row] = vectors.vector(word)
    return matrix


def missing_words(vocabulary, vectors):
    """Return the vocabulary's words (not padding or [UNK]) that have no vector, in order."""
    return [word for word in vocabulary if word not in vectors and word not in ("", "[UNK]")]
