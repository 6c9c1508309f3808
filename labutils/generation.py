"""Next-word generation as chapter 9 (Irish lyrics) teaches it: n-grams, sampling, the loop, perplexity.

Introduced in chapter 9. Each function here is, to the letter, a cell of
``chapters/09_irish_lyrics.ipynb`` tagged ``save``, where it is explained and shown on a tiny
input; chapter 10 (sonnets) imports it from here instead of copying it. ``tests/test_saved_code.py``
fails when the two differ: change the chapter's cell, then paste it here.
"""

import keras
import numpy as np


def encode_lines(lines, vectorizer):
    """Return each line as its list of token ids, without the padding zeros."""
    ids = np.asarray(vectorizer([str(line) for line in lines]))
    return [[int(i) for i in row if i != 0] for row in ids]


def ngram_sequences(lines, vectorizer, max_length=None):
    """Return (inputs, labels): every prefix of two or more tokens of every line, pre-padded
    to `max_length` (default: the longest), split into the context and the next word."""
    prefixes = [ids[:end] for ids in encode_lines(lines, vectorizer) for end in range(2, len(ids) + 1)]
    if not prefixes:
        raise ValueError("No line has two or more known tokens: there are no n-grams.")
    padded = keras.utils.pad_sequences(prefixes, maxlen=max_length, padding="pre", truncating="pre")
    return padded[:, :-1], padded[:, -1]


def named_targets(inputs, labels, unknown_id=1):
    """Keep the n-grams whose label is a vocabulary word: drop those whose next word is [UNK]."""
    keep = np.asarray(labels) != unknown_id
    return np.asarray(inputs)[keep], np.asarray(labels)[keep]


def perplexity_from_probabilities(probabilities, labels):
    """Return exp(-mean(log p)), where p is the probability given to each true label (no floor:
    a probability of 0 gives an infinite perplexity)."""
    labels = np.asarray(labels)
    chosen = np.asarray(probabilities, dtype=np.float64)[np.arange(len(labels)), labels]
    with np.errstate(divide="ignore"):  # log(0) = -inf, on purpose
        return float(np.exp(-np.mean(np.log(chosen))))


def perplexity(model, inputs, labels, batch_size=512):
    """Return the perplexity of a next-word model on (inputs, labels)."""
    probabilities = model.predict(np.asarray(inputs), batch_size=batch_size, verbose=0)
    return perplexity_from_probabilities(probabilities, labels)


def unigram_perplexity(train_labels, labels, vocab_size):
    """The perplexity of ignoring the context: each word gets its count among the training
    labels plus one (so unseen words stay possible); padding (id 0) gets nothing."""
    counts = np.bincount(np.asarray(train_labels), minlength=vocab_size)[:vocab_size] + 1.0
    counts[0] = 0.0
    probabilities = np.broadcast_to(counts / counts.sum(), (len(labels), vocab_size))
    return perplexity_from_probabilities(probabilities, labels)


def sample_token(probabilities, method="greedy", temperature=1.0, top_k=10, rng=None):
    """Choose the next token id. "greedy": the most probable. "temperature": a draw from the
    distribution with every probability raised to 1 / temperature (then renormalized).
    "top_k": the same draw among the `top_k` most probable tokens only."""
    if method not in ("greedy", "temperature", "top_k") or not temperature > 0:
        raise ValueError(f"Unknown method {method!r}, or temperature {temperature!r} <= 0.")
    if method == "greedy":
        return int(np.argmax(probabilities))
    rng = np.random.default_rng() if rng is None else rng
    log_p = np.log(np.maximum(np.asarray(probabilities, dtype=np.float64), 1e-30)) / temperature
    if method == "top_k":
        log_p[log_p < np.sort(log_p)[-min(top_k, log_p.size)]] = -np.inf
    weights = np.exp(log_p - log_p.max())
    return int(rng.choice(weights.size, p=weights / weights.sum()))


def generate_text(model, vectorizer, seed_text, num_words, method="greedy", temperature=1.0,
                  top_k=10, seed=None):
    """Continue `seed_text` with `num_words` words, predicting and appending one at a time."""
    vocabulary = vectorizer.get_vocabulary()
    ids = encode_lines([seed_text], vectorizer)[0]
    rng = np.random.default_rng(seed)  # the same seed gives the same text
    words = []
    for _ in range(num_words):
        window = keras.utils.pad_sequences([ids], maxlen=model.input_shape[1], truncating="pre")
        probabilities = np.asarray(model.predict_on_batch(window))[0].astype(np.float64)
        probabilities[:2] = 0.0  # never padding (0) or [UNK] (1)
        ids.append(sample_token(probabilities, method, temperature, top_k, rng))
        words.append(vocabulary[ids[-1]])
    return " ".join([seed_text, *words])


def repetition(words, n=1):
    """Return the share of the n-grams of `words` (a list, or a string split at spaces) that
    repeat an earlier one: 0 when nothing repeats, near 1 when the text loops."""
    words = words.split() if isinstance(words, str) else list(words)
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    return 1.0 - len(set(grams)) / len(grams) if grams else 0.0
