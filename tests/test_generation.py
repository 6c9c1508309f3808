"""Chapter 9's next-word functions (labutils.generation, the text of the chapter's save cells)."""

import numpy as np
import pytest

from labutils import generation

LINES = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "a cat and a dog",
    "the mat and the log",
] * 10
METHODS = ("greedy", "temperature", "top_k")


def vectorizer_for(vocabulary):
    from keras import layers

    return layers.TextVectorization(vocabulary=vocabulary)


@pytest.fixture(scope="module")
def vectorizer():
    from keras import layers

    layer = layers.TextVectorization()
    layer.adapt(LINES)
    return layer


@pytest.fixture(scope="module")
def models(vectorizer):
    """An untrained and a briefly trained next-word model over the toy corpus."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    inputs, labels = generation.ngram_sequences(LINES, vectorizer)
    vocab_size = vectorizer.vocabulary_size()

    def build():
        return keras.Sequential(
            [
                keras.Input(shape=(inputs.shape[1],)),
                layers.Embedding(vocab_size, 8),
                layers.Flatten(),
                layers.Dense(vocab_size, activation="softmax"),
            ]
        )

    untrained, trained = build(), build()
    trained.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy")
    trained.fit(inputs, labels, epochs=5, batch_size=32, verbose=0)
    return untrained, trained, inputs, labels


def test_ngram_prefixes_on_a_hand_made_example():
    vectorizer = vectorizer_for(["", "[UNK]", "a", "b", "c", "d"])
    inputs, labels = generation.ngram_sequences(["a b c d", "c a", "d"], vectorizer)
    assert isinstance(inputs, np.ndarray) and isinstance(labels, np.ndarray)
    assert inputs.shape == (4, 3) and labels.shape == (4,)
    # a b c d -> [a b], [a b c], [a b c d]; c a -> [c a]; "d" alone gives nothing.
    np.testing.assert_array_equal(inputs, [[0, 0, 2], [0, 2, 3], [2, 3, 4], [0, 0, 4]])
    np.testing.assert_array_equal(labels, [3, 4, 5, 2])


def test_ngrams_from_a_fitted_layer_match_its_vocabulary(vectorizer):
    index = {word: i for i, word in enumerate(vectorizer.get_vocabulary())}
    inputs, labels = generation.ngram_sequences(["the cat sat"], vectorizer)
    np.testing.assert_array_equal(inputs, [[0, index["the"]], [index["the"], index["cat"]]])
    np.testing.assert_array_equal(labels, [index["cat"], index["sat"]])
    # Unknown words become [UNK] (1).
    unknown, _ = generation.ngram_sequences(["the zebra sat"], vectorizer)
    np.testing.assert_array_equal(unknown, [[0, index["the"]], [index["the"], 1]])


def test_ngram_max_length_cuts_at_the_front():
    vectorizer = vectorizer_for(["", "[UNK]", "a", "b", "c", "d"])
    inputs, labels = generation.ngram_sequences(["a b c d"], vectorizer, max_length=3)
    np.testing.assert_array_equal(inputs, [[0, 2], [2, 3], [3, 4]])
    np.testing.assert_array_equal(labels, [3, 4, 5])


def test_ngrams_need_two_tokens():
    with pytest.raises(ValueError, match="two or more"):
        generation.ngram_sequences(["a", "b"], vectorizer_for(["", "[UNK]", "a", "b"]))


def test_sampling_methods():
    probabilities = np.array([0.05, 0.5, 0.3, 0.15])
    assert generation.sample_token(probabilities) == 1
    rng = np.random.default_rng(0)
    top2 = {generation.sample_token(probabilities, "top_k", top_k=2, rng=rng) for _ in range(200)}
    assert top2 == {1, 2}
    # A very low temperature is greedy; a high one reaches every token.
    cold = {
        generation.sample_token(probabilities, "temperature", 0.01, rng=rng) for _ in range(100)
    }
    hot = {generation.sample_token(probabilities, "temperature", 10.0, rng=rng) for _ in range(200)}
    assert cold == {1} and hot == {0, 1, 2, 3}
    # At temperature 1 the draws follow the probabilities.
    draws = [generation.sample_token(probabilities, "temperature", rng=rng) for _ in range(4000)]
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 4000, probabilities, atol=0.03)
    same = [
        [
            generation.sample_token(probabilities, "temperature", rng=np.random.default_rng(5))
            for _ in range(3)
        ]
        for _ in range(2)
    ]
    assert same[0] == same[1]
    with pytest.raises(ValueError):
        generation.sample_token(probabilities, "beam")
    with pytest.raises(ValueError):
        generation.sample_token(probabilities, "temperature", temperature=0)


def test_generated_text_has_the_requested_words_from_the_vocabulary(models, vectorizer):
    _, trained, _, _ = models
    vocabulary = set(vectorizer.get_vocabulary()) - {"", "[UNK]"}
    seed_text = "The zebra"
    for method in METHODS:
        text = generation.generate_text(trained, vectorizer, seed_text, 7, method, seed=0)
        assert text.startswith(seed_text + " ")
        new_words = text[len(seed_text) :].split()
        assert len(new_words) == 7
        assert set(new_words) <= vocabulary
    assert generation.generate_text(trained, vectorizer, seed_text, 0) == seed_text


def test_generation_is_reproducible(models, vectorizer):
    _, trained, _, _ = models
    greedy = {generation.generate_text(trained, vectorizer, "the", 6, seed=s) for s in range(3)}
    assert len(greedy) == 1

    def sampled(seed):
        return generation.generate_text(
            trained, vectorizer, "the", 12, "temperature", 3.0, seed=seed
        )

    assert sampled(1) == sampled(1)
    assert len({sampled(seed) for seed in range(4)}) > 1


def test_training_lowers_perplexity(models, vectorizer):
    untrained, trained, inputs, labels = models
    vocab_size = vectorizer.vocabulary_size()
    before = generation.perplexity(untrained, inputs, labels)
    after = generation.perplexity(trained, inputs, labels)
    assert 0.5 * vocab_size < before < 2 * vocab_size  # about uniform over the vocabulary
    assert 1.0 <= after < before / 2


def test_perplexity_from_probabilities_and_unigram_baseline():
    assert generation.perplexity_from_probabilities(
        np.full((3, 4), 0.25), [0, 1, 3]
    ) == pytest.approx(4.0)
    assert generation.perplexity_from_probabilities(
        [[0.5, 0.5], [0.25, 0.75]], [0, 0]
    ) == pytest.approx(2**1.5)
    # Every word once in training: the baseline is uniform over the vocabulary minus padding.
    assert generation.unigram_perplexity([1, 2, 3, 4], [2, 3], vocab_size=5) == pytest.approx(4.0)
    # Frequent words are cheaper than rare ones.
    train = [2] * 50 + [3]
    assert generation.unigram_perplexity(train, [2], 4) < generation.unigram_perplexity(
        train, [3], 4
    )


def test_repetition():
    assert generation.repetition([]) == 0.0
    assert generation.repetition("a b c d") == 0.0
    assert generation.repetition("a a a a") == pytest.approx(0.75)
    assert generation.repetition("a b a b a b", n=2) == pytest.approx(0.6)


def test_perplexity_has_no_floor():
    # A probability of 0 for the right word is an infinite perplexity, and a tiny one is large:
    # a floor (the chapters once used 1e-12) would turn both into the same finite number.
    assert generation.perplexity_from_probabilities([[1.0, 0.0]], [1]) == np.inf
    tiny = generation.perplexity_from_probabilities([[1 - 1e-20, 1e-20]], [1])
    assert tiny == pytest.approx(1e20, rel=1e-6)


def test_held_out_targets_the_vocabulary_cannot_name_are_left_out():
    # A vocabulary adapted on training lines only: "zebra" is [UNK] (id 1) in a held-out line.
    layer = vectorizer_for(["the", "cat", "sat"])
    inputs, labels = generation.ngram_sequences(["the cat zebra sat"], layer, 4)
    assert list(labels) == [3, 1, 4]  # cat, [UNK], sat
    kept_inputs, kept_labels = generation.named_targets(inputs, labels)
    assert list(kept_labels) == [3, 4]
    assert kept_inputs.tolist() == [inputs[0].tolist(), inputs[2].tolist()]
