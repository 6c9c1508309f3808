"""Generating text one character at a time with a recurrent model that carries its state.

Introduced in chapter 11 (character-level Shakespeare). The model is one that maps
``[ids, state]`` to ``[logits, state]``: ``ids`` is an integer tensor of shape
``(1, length)``, ``state`` the GRU state of shape ``(1, units)``, ``logits`` the scores for
the next character at every position, of shape ``(1, length, vocab_size)``. The start
string is read once; after that each new character is fed in alone together with the state
the previous call returned, so a step costs the same however long the text already is.
"""

from __future__ import annotations

import weakref

import numpy as np

# Compiled step functions, one per model, made the first time a model is used.
_compiled_steps: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def initial_state(model, batch_size: int = 1) -> np.ndarray:
    """Return an all-zero state for ``model``, shaped like its second input.

    Examples
    --------
    >>> initial_state(step_model).shape                          # doctest: +SKIP
    (1, 1024)
    """
    shape = tuple(model.inputs[1].shape[1:])
    if None in shape:
        raise ValueError(f"The model's state input has an unknown size: {shape}.")
    return np.zeros((batch_size, *shape), dtype="float32")


def step(model, ids, state=None):
    """Feed ``ids`` (one sequence) to ``model`` from ``state``; return the next logits and state.

    ``ids`` is a sequence of character ids (a list, an array or a tensor, 1-D or of shape
    ``(1, length)``); ``state=None`` starts from zeros. Returns ``(logits, state)``: the
    scores for the character that follows the last id, a 1-D NumPy array of length
    ``vocab_size``, and the state after reading ``ids``, to pass to the next call.

    Examples
    --------
    Reading a prefix at once or one id at a time gives the same logits:

    >>> logits, state = step(step_model, [5, 9, 2])                 # doctest: +SKIP
    >>> one_at_a_time = None
    >>> for i in [5, 9, 2]:                                         # doctest: +SKIP
    ...     same_logits, one_at_a_time = step(step_model, [i], one_at_a_time)
    >>> np.allclose(logits, same_logits, atol=1e-5)                 # doctest: +SKIP
    True
    """
    import tensorflow as tf

    ids = tf.reshape(tf.cast(ids, tf.int64), (1, -1))
    if ids.shape[1] == 0:
        raise ValueError("step needs at least one id.")
    if state is None:
        state = initial_state(model)
    compiled = _compiled_steps.get(model)
    if compiled is None:
        compiled = tf.function(lambda i, s: model([i, s], training=False), reduce_retracing=True)
        _compiled_steps[model] = compiled
    logits, new_state = compiled(ids, tf.convert_to_tensor(state, tf.float32))
    return np.array(logits[0, -1]), new_state


def sample_next_id(logits, temperature: float, rng, forbidden_ids=()) -> int:
    """Draw one id from ``softmax(logits / temperature)``, never one of ``forbidden_ids``.

    A temperature below 1 sharpens the distribution (safer, more repetitive text), above 1
    flattens it (more surprising text, more misspellings).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sample_next_id([0.0, 1.0, 30.0], temperature=1.0, rng=rng)
    2
    >>> sample_next_id([0.0, 1.0, 30.0], temperature=1.0, rng=rng, forbidden_ids=[2])
    1
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}.")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled[list(forbidden_ids)] = -np.inf
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    return int(rng.choice(len(probabilities), p=probabilities))


def special_ids(ids_from_chars) -> list[int]:
    """Return the ids of a ``StringLookup``'s mask and out-of-vocabulary tokens.

    Generation never produces them: they stand for no character.

    Examples
    --------
    >>> from keras import layers
    >>> special_ids(layers.StringLookup(vocabulary=list("abc"), mask_token=None))
    [0]
    """
    special = {ids_from_chars.oov_token, ids_from_chars.mask_token, ""}
    return [i for i, token in enumerate(ids_from_chars.get_vocabulary()) if token in special]


def generate(model, ids_from_chars, chars_from_ids, start: str, num_characters: int,
             temperature: float = 1.0, seed: int | None = None) -> str:
    """Return ``num_characters`` new characters that ``model`` writes after ``start``.

    ``ids_from_chars`` is the ``StringLookup`` that maps characters to ids and
    ``chars_from_ids`` its inverse (``invert=True``). The start string is read in one
    call; then each sampled character is fed back with the state, one at a time. The same
    ``seed`` gives the same text; ``seed=None`` gives a different text each time. The result
    does not include ``start``.

    Examples
    --------
    >>> generate(step_model, ids_from_chars, chars_from_ids, "ROMEO:", 100, seed=1)  # doctest: +SKIP
    '\\nWhat hast thou...'
    """
    import tensorflow as tf

    if not start:
        raise ValueError("generate needs a non-empty start string to read first.")
    if isinstance(num_characters, bool) or not isinstance(num_characters, int) or num_characters < 0:
        raise ValueError(f"num_characters must be an integer >= 0, got {num_characters!r}.")
    rng = np.random.default_rng(seed)
    forbidden = special_ids(ids_from_chars)
    logits, state = step(model, ids_from_chars(tf.strings.unicode_split(start, "UTF-8")))
    new_ids = []
    for position in range(num_characters):
        new_ids.append(sample_next_id(logits, temperature, rng, forbidden))
        if position + 1 < num_characters:
            logits, state = step(model, [new_ids[-1]], state)
    if not new_ids:
        return ""
    characters = chars_from_ids(tf.constant(new_ids, dtype=tf.int64))
    return tf.strings.reduce_join(characters).numpy().decode("utf-8")
