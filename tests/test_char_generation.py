"""The stateful generation loop of chapter 11 (labutils.char_generation), on a tiny random model."""

import numpy as np
import pytest

from labutils import char_generation

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
def rerun(models):
    """The logits after the last id of ``ids``, computed from scratch over the whole prefix."""
    import tensorflow as tf

    compiled = tf.function(lambda ids: models[1](ids, training=False), reduce_retracing=True)
    return lambda ids: compiled(tf.constant([ids], tf.int64)).numpy()[0, -1]


def ids_of(text, lookups):
    import tensorflow as tf

    return lookups[0](tf.strings.unicode_split(text, "UTF-8")).numpy()


def test_generate_writes_exactly_the_requested_number_of_vocabulary_characters(models, lookups):
    text = char_generation.generate(models[0], *lookups, "To be", 57, seed=1)
    assert len(text) == 57
    assert set(text) <= set(TEXT)
    assert char_generation.generate(models[0], *lookups, "To be", 0, seed=1) == ""


def test_generate_is_identical_for_a_fixed_seed_and_varies_with_the_seed(models, lookups):
    first = char_generation.generate(models[0], *lookups, "Whether", 80, temperature=1.5, seed=7)
    again = char_generation.generate(models[0], *lookups, "Whether", 80, temperature=1.5, seed=7)
    other = char_generation.generate(models[0], *lookups, "Whether", 80, temperature=1.5, seed=8)
    assert first == again
    assert first != other


def test_carrying_the_state_gives_the_logits_of_rerunning_the_whole_prefix(models, lookups, rerun):
    step_model = models[0]
    prefix = ids_of("that is the question", lookups)
    state = None
    for position, token in enumerate(prefix):
        carried, state = char_generation.step(step_model, [token], state)
        from_scratch = rerun(prefix[: position + 1])
        np.testing.assert_allclose(carried, from_scratch, atol=1e-4)
    at_once, at_once_state = char_generation.step(step_model, prefix)
    np.testing.assert_allclose(carried, at_once, atol=1e-4)
    np.testing.assert_allclose(np.asarray(state), np.asarray(at_once_state), atol=1e-5)


def test_generate_matches_a_loop_that_reruns_the_whole_prefix_every_step(models, lookups, rerun):
    step_model = models[0]
    ids_from_chars, chars_from_ids = lookups
    start, n, seed = "not to", 40, 3
    rng, forbidden = np.random.default_rng(seed), char_generation.special_ids(ids_from_chars)
    ids = list(ids_of(start, lookups))
    for _ in range(n):
        logits = rerun(ids)
        ids.append(char_generation.sample_next_id(logits, 1.0, rng, forbidden))
    vocabulary = chars_from_ids.get_vocabulary()
    expected = "".join(vocabulary[i] for i in ids[len(start):])
    assert char_generation.generate(step_model, *lookups, start, n, seed=seed) == expected


def test_unknown_and_mask_ids_are_never_sampled(lookups):
    forbidden = char_generation.special_ids(lookups[0])
    assert forbidden == [0] and lookups[1].get_vocabulary()[0] == "[UNK]"
    rng = np.random.default_rng(0)
    logits = np.zeros(lookups[0].vocabulary_size())
    logits[0] = 50.0  # the model "prefers" [UNK]
    draws = {char_generation.sample_next_id(logits, 1.0, rng, forbidden) for _ in range(200)}
    assert 0 not in draws and len(draws) > 5


def test_low_temperature_concentrates_the_samples():
    rng = np.random.default_rng(0)
    logits = np.log([0.5, 0.3, 0.2])
    cold = [char_generation.sample_next_id(logits, 0.1, rng) for _ in range(300)]
    warm = [char_generation.sample_next_id(logits, 1.0, rng) for _ in range(300)]
    assert cold.count(0) > 290
    assert 100 < warm.count(0) < 200
    with pytest.raises(ValueError, match="temperature"):
        char_generation.sample_next_id(logits, 0.0, rng)


def test_bad_arguments_fail_clearly(models, lookups):
    with pytest.raises(ValueError, match="start string"):
        char_generation.generate(models[0], *lookups, "", 10)
    with pytest.raises(ValueError, match="num_characters"):
        char_generation.generate(models[0], *lookups, "To", -1)
    assert char_generation.initial_state(models[0]).shape == (1, UNITS)
