"""Next-word text generation: n-gram training data, sampling, a generation loop, perplexity.

Introduced in chapter 9 (Irish lyrics) and reused in chapter 10 (sonnets). The models and
their ``fit`` calls stay in the chapters; these helpers prepare the data around them and
measure what they produce.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

METHODS = ("greedy", "temperature", "top_k")


def _as_vectorizer(vectorizer):
    """Return a callable text -> ids: a fitted ``TextVectorization``, or one built from a vocabulary."""
    if hasattr(vectorizer, "get_vocabulary"):
        return vectorizer
    from keras import layers

    vocabulary = [str(token) for token in vectorizer]
    if vocabulary[:2] != ["", "[UNK]"]:
        raise ValueError("A vocabulary must start with '' (padding) and '[UNK]', as "
                         "TextVectorization.get_vocabulary() returns it.")
    return layers.TextVectorization(vocabulary=vocabulary)


def encode_lines(lines, vectorizer) -> list[list[int]]:
    """Return each line as its list of token ids (padding removed).

    ``vectorizer`` is a fitted ``TextVectorization`` layer or its vocabulary (the list
    ``get_vocabulary()`` returns, ``""`` and ``"[UNK]"`` first).

    Examples
    --------
    >>> encode_lines(["the cat sat", "the cat"], ["", "[UNK]", "the", "cat", "sat"])
    [[2, 3, 4], [2, 3]]
    """
    lines = [str(line) for line in lines]
    if not lines:
        return []
    ids = np.asarray(_as_vectorizer(vectorizer)(lines))
    return [[int(i) for i in row if i != 0] for row in ids]


def ngram_sequences(lines, vectorizer, max_length: int | None = None):
    """Return ``(inputs, labels)``: every n-gram prefix of every line, split into context and next word.

    A line with token ids ``[a, b, c, d]`` gives the prefixes ``[a, b]``, ``[a, b, c]`` and
    ``[a, b, c, d]``. All prefixes are pre-padded with 0 (``keras.utils.pad_sequences``) to
    the longest one, or to ``max_length`` (longer ones then lose their *first* tokens). The
    last column is the label, the columns before it the input. Lines of fewer than two
    tokens give nothing.

    Parameters
    ----------
    lines : list of str
        The corpus, one line per item.
    vectorizer : TextVectorization or list of str
        A fitted ``TextVectorization`` layer, or its vocabulary.
    max_length : int, optional
        Length of a padded prefix (input plus label). Default: the longest prefix.

    Returns
    -------
    inputs : numpy.ndarray of int, shape (n_prefixes, length - 1)
    labels : numpy.ndarray of int, shape (n_prefixes,)

    Examples
    --------
    >>> vocabulary = ["", "[UNK]", "the", "cat", "sat", "down"]
    >>> inputs, labels = ngram_sequences(["the cat sat down", "the cat"], vocabulary)
    >>> inputs
    array([[0, 0, 2],
           [0, 2, 3],
           [2, 3, 4],
           [0, 0, 2]], dtype=int32)
    >>> labels
    array([3, 4, 5, 3], dtype=int32)

    Introduced in chapter 9 (Irish lyrics).
    """
    import keras

    prefixes = [ids[:end] for ids in encode_lines(lines, vectorizer) for end in range(2, len(ids) + 1)]
    if not prefixes:
        raise ValueError("No line has two or more tokens in the vocabulary: there are no n-grams.")
    padded = keras.utils.pad_sequences(prefixes, maxlen=max_length, padding="pre", truncating="pre")
    return padded[:, :-1], padded[:, -1]


def sample_token(probabilities, method: str = "greedy", temperature: float = 1.0,
                 top_k: int = 10, rng: np.random.Generator | None = None) -> int:
    """Choose the index of the next token from a probability vector.

    Parameters
    ----------
    probabilities : array_like of float, shape (vocab_size,)
        The model's next-token distribution (it need not sum exactly to 1).
    method : {"greedy", "temperature", "top_k"}
        ``greedy`` takes the most probable token. ``temperature`` samples from the
        distribution sharpened (``temperature < 1``) or flattened (``> 1``): each probability
        is raised to ``1 / temperature`` and the result renormalized. ``top_k`` does the same
        among the ``top_k`` most probable tokens only.
    temperature : float
        Positive; used by ``temperature`` and ``top_k``.
    top_k : int
        How many candidates ``top_k`` keeps.
    rng : numpy.random.Generator, optional
        The source of randomness; pass a seeded one (``np.random.default_rng(0)``) for
        repeatable samples. Not used by ``greedy``.

    Examples
    --------
    >>> probabilities = [0.1, 0.6, 0.3]
    >>> sample_token(probabilities)
    1
    >>> rng = np.random.default_rng(0)
    >>> sample_token(probabilities, "top_k", top_k=1, rng=rng)
    1
    >>> sorted({sample_token(probabilities, "temperature", 5.0, rng=rng) for _ in range(50)})
    [0, 1, 2]

    Introduced in chapter 9 (Irish lyrics).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
    if method == "greedy":
        return int(np.argmax(probabilities))
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}.")
    rng = np.random.default_rng() if rng is None else rng
    log_p = np.log(np.maximum(probabilities, 1e-30)) / temperature
    if method == "top_k":
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k!r}.")
        cutoff = np.sort(log_p)[-min(top_k, log_p.size)]
        log_p = np.where(log_p >= cutoff, log_p, -np.inf)
    weights = np.exp(log_p - log_p.max())
    return int(rng.choice(weights.size, p=weights / weights.sum()))


def generate_text(model, vectorizer, seed_text: str, num_words: int, method: str = "greedy",
                  temperature: float = 1.0, top_k: int = 10, seed: int | None = None) -> str:
    """Continue ``seed_text`` with ``num_words`` words from a next-word model.

    At each step the text so far is encoded with ``vectorizer``, pre-padded or cut at the
    front to the model's input length, and the model's distribution for the next word is
    passed to :func:`sample_token`. Padding and ``[UNK]`` are never chosen, so every new word
    is a real vocabulary word. Returns the seed text, a space, and the new words.

    Parameters
    ----------
    model : keras.Model
        Maps a batch of pre-padded id sequences, shape ``(batch, input_length)``, to
        next-word probabilities, shape ``(batch, vocab_size)``.
    vectorizer : TextVectorization
        The fitted layer that encoded the training data.
    seed_text : str
        The start of the text.
    num_words : int
        How many words to add.
    method, temperature, top_k
        See :func:`sample_token`.
    seed : int, optional
        Seeds the random choices: the same seed gives the same text.

    Examples
    --------
    >>> generate_text(model, vectorizer, "i made a poetry machine", 5, "top_k", seed=1)  # doctest: +SKIP
    'i made a poetry machine and the fields of athy'

    Introduced in chapter 9 (Irish lyrics).
    """
    import keras

    if num_words < 0:
        raise ValueError(f"num_words must be 0 or more, got {num_words!r}.")
    vocabulary = [str(token) for token in vectorizer.get_vocabulary()]
    input_length = model.input_shape[1]
    ids = encode_lines([seed_text], vectorizer)[0]
    rng = np.random.default_rng(seed)
    words = []
    for _ in range(num_words):
        window = keras.utils.pad_sequences([ids], maxlen=input_length, padding="pre", truncating="pre")
        probabilities = np.asarray(model.predict_on_batch(window))[0].astype(np.float64)
        probabilities[:2] = 0.0  # never padding (0) or [UNK] (1)
        next_id = sample_token(probabilities, method, temperature, top_k, rng)
        ids.append(next_id)
        words.append(vocabulary[next_id])
    return " ".join([seed_text, *words]) if words else seed_text


def perplexity(model, inputs, labels, batch_size: int = 512) -> float:
    """Return the perplexity of a next-word model on ``(inputs, labels)``.

    Perplexity is ``exp`` of the mean cross-entropy, ``-mean(log p(label | input))``: the
    number of equally likely words the model is, on average, choosing between. A model that
    knows nothing about a vocabulary of ``V`` words scores about ``V``; a perfect one, 1.
    Unlike ``exp(val_loss)`` it never includes weight-regularization penalties.

    Examples
    --------
    >>> perplexity(model, val_inputs, val_labels)               # doctest: +SKIP
    182.4

    Introduced in chapter 9 (Irish lyrics).
    """
    probabilities = model.predict(np.asarray(inputs), batch_size=batch_size, verbose=0)
    return perplexity_from_probabilities(probabilities, labels)


def perplexity_from_probabilities(probabilities, labels) -> float:
    """Return ``exp(-mean(log probabilities[i, labels[i]]))``.

    Examples
    --------
    >>> round(perplexity_from_probabilities([[0.5, 0.5], [0.25, 0.75]], [0, 0]), 3)
    2.828

    Introduced in chapter 9 (Irish lyrics).
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    chosen = probabilities[np.arange(len(labels)), labels]
    return float(math.exp(-np.mean(np.log(np.maximum(chosen, 1e-12)))))


def unigram_perplexity(train_labels, labels, vocab_size: int) -> float:
    """Perplexity of a baseline that ignores the context and predicts word frequencies.

    Each word's probability is its count among ``train_labels`` plus one, divided by the
    total (add-one smoothing, so a word never seen in training is not impossible). Padding
    (id 0) gets no probability.

    Examples
    --------
    >>> round(unigram_perplexity([2, 2, 3], [2, 3], vocab_size=4), 3)
    2.449

    Introduced in chapter 9 (Irish lyrics).
    """
    counts = np.bincount(np.asarray(train_labels, dtype=np.int64), minlength=vocab_size)
    counts = counts[:vocab_size].astype(np.float64) + 1.0
    counts[0] = 0.0
    return perplexity_from_probabilities(
        np.broadcast_to(counts / counts.sum(), (len(labels), vocab_size)), labels
    )


def repetition(words, n: int = 1) -> float:
    """Return the fraction of the ``n``-grams of ``words`` that repeat an earlier one.

    0 means no word (``n=1``) or word pair (``n=2``) occurs twice; values near 1 mean the
    text loops. Accepts a list of words or a string, which is split on whitespace.

    Examples
    --------
    >>> round(repetition("the sea the sea the sea"), 3)
    0.667
    >>> repetition("the sea the sea the sea", n=2)
    0.6
    >>> repetition("one two three")
    0.0

    Introduced in chapter 9 (Irish lyrics).
    """
    words = words.split() if isinstance(words, str) else list(words)
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    return 1.0 - len(Counter(grams)) / len(grams)
