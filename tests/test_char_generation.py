"""Chapter 11's stateful generation loop (its cells tagged ``save``), on a tiny random model."""

import numpy as np
import pytest

from tests import saved_code

TEXT = "To be, or not to be: that is the question.\nWhether 'tis nobler in the mind\n"
UNITS = 8


@pytest.fixture(scope="module")
def lookups():
    from keras import layers

    ids_from_chars = layers.StringLookup(vocabulary=sorted(set(TEXT)), mask_token=None)
    chars_from_ids = layers.StringLookup(
        vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
    )
    return ids_from_chars, chars_from_ids


@pytest.fixture(scope="module")
def models(lookups):
    """A random (untrained) model in the chapter's two forms, sharing their layers."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    vocab_size = lookups[0].vocabulary_size()
    embedding = layers.Embedding(vocab_size, 4)
    gru = layers.GRU(UNITS, return_sequences=True, return_state=True)
    # Large output weights make the next-character distribution peaked and sensitive to
    # the state, so a wrong state would change the sampled text.
    dense = layers.Dense(vocab_size, kernel_initializer=keras.initializers.RandomNormal(stddev=3.0))
    ids = keras.Input(shape=(None,), dtype="int64")
    state = keras.Input(shape=(UNITS,))
    sequence, new_state = gru(embedding(ids), initial_state=state)
    step_model = keras.Model([ids, state], [dense(sequence), new_state])
    sequence_model = keras.Model(ids, dense(gru(embedding(ids))[0]))
    return step_model, sequence_model


@pytest.fixture(scope="module")
def chapter(models, lookups):
    """The chapter's functions, seeing the test's model and lookups as the chapter's globals."""
    return saved_code.load(
        "11_char_shakespeare",
        step_model=models[0],
        ids_from_chars=lookups[0],
        chars_from_ids=lookups[1],
        rnn_units=UNITS,
    )


@pytest.fixture(scope="module")
def rerun(models):
    """The logits after the last id of ``ids``, computed from scratch over the whole prefix."""
    import tensorflow as tf

    compiled = tf.function(lambda ids: models[1](ids, training=False), reduce_retracing=True)
    return lambda ids: compiled(tf.constant([ids], tf.int64)).numpy()[0, -1]


def ids_of(text, lookups):
    import tensorflow as tf

    return lookups[0](tf.strings.unicode_split(text, "UTF-8")).numpy()


def test_generate_writes_exactly_the_requested_number_of_vocabulary_characters(chapter):
    text = chapter.generate("To be", 57, seed=1)
    assert len(text) == 57
    assert set(text) <= set(TEXT)
    assert chapter.generate("To be", 0, seed=1) == ""


def test_generate_is_identical_for_a_fixed_seed_and_varies_with_the_seed(chapter):
    first = chapter.generate("Whether", 80, temperature=1.5, seed=7)
    assert first == chapter.generate("Whether", 80, temperature=1.5, seed=7)
    assert first != chapter.generate("Whether", 80, temperature=1.5, seed=8)


def test_carrying_the_state_gives_the_logits_of_rerunning_the_whole_prefix(chapter, lookups, rerun):
    import tensorflow as tf

    prefix = ids_of("that is the question", lookups)
    state = tf.zeros((1, UNITS))
    for position, token in enumerate(prefix):
        carried, state = chapter.step(tf.constant([[token]], tf.int64), state)
        np.testing.assert_allclose(carried.numpy(), rerun(prefix[: position + 1]), atol=1e-4)
    at_once, at_once_state = chapter.step(tf.constant([prefix], tf.int64), tf.zeros((1, UNITS)))
    np.testing.assert_allclose(carried.numpy(), at_once.numpy(), atol=1e-4)
    np.testing.assert_allclose(state.numpy(), at_once_state.numpy(), atol=1e-5)


def test_generate_matches_a_loop_that_reruns_the_whole_prefix_every_step(chapter, lookups, rerun):
    start, n, seed = "not to", 40, 3
    rng = np.random.default_rng(seed)
    ids = list(ids_of(start, lookups))
    for _ in range(n):
        ids.append(chapter.sample_next_id(rerun(ids), 1.0, rng))
    vocabulary = lookups[1].get_vocabulary()
    expected = "".join(vocabulary[i] for i in ids[len(start) :])
    assert chapter.generate(start, n, seed=seed) == expected


def test_unknown_is_never_sampled(chapter, lookups):
    assert lookups[1].get_vocabulary()[0] == "[UNK]"
    rng = np.random.default_rng(0)
    logits = np.zeros(lookups[0].vocabulary_size())
    logits[0] = 50.0  # the model "prefers" [UNK]
    draws = {chapter.sample_next_id(logits, 1.0, rng) for _ in range(200)}
    assert 0 not in draws and len(draws) > 5


def test_low_temperature_concentrates_the_samples(chapter):
    rng = np.random.default_rng(0)
    logits = np.log([1e-9, 0.5, 0.3, 0.2])  # id 0 is [UNK] and never drawn anyway
    cold = [chapter.sample_next_id(logits, 0.1, rng) for _ in range(300)]
    warm = [chapter.sample_next_id(logits, 1.0, rng) for _ in range(300)]
    assert cold.count(1) > 290
    assert 100 < warm.count(1) < 200
