"""Synthetic samples: deterministic, same types as the real loaders, and learnable."""

import math
from collections import Counter

import numpy as np
import pytest

from labutils.data import samples


def test_samples_are_deterministic_and_seed_dependent():
    assert samples.imdb_reviews("train", n=50) == samples.imdb_reviews("train", n=50)
    assert samples.imdb_reviews("train", n=50) != samples.imdb_reviews("test", n=50)
    assert samples.sarcasm_headlines(n=50, seed=1) != samples.sarcasm_headlines(n=50, seed=2)
    assert samples.verse("lyrics") == samples.verse("lyrics")
    assert samples.play_text("validation") == samples.play_text("validation")
    assert samples.bbc_articles(n=20) == samples.bbc_articles(n=20)
    assert samples.bbc_articles(n=20, seed=1) != samples.bbc_articles(n=20, seed=2)


def test_shapes_and_types_match_the_real_loaders():
    texts, labels = samples.imdb_reviews("test", n=200)
    assert len(texts) == len(labels) == 200
    assert all(isinstance(t, str) for t in texts) and set(labels) == {0, 1}
    headlines, labels = samples.sarcasm_headlines()
    assert len(headlines) == 26_709
    assert 0.40 < sum(labels) / len(labels) < 0.48
    vocab = samples.subword_vocab()
    assert vocab[:2] == ["[PAD]", "[UNK]"] and len(vocab) == len(set(vocab))
    assert len(samples.play_text("train")) >= 200_000
    texts, categories = samples.bbc_articles()
    assert len(texts) == len(categories) == 2_225
    counts = Counter(categories)
    assert set(counts) == {"sport", "business", "politics", "tech", "entertainment"}
    assert min(counts.values()) > 300 and max(counts.values()) < 600
    assert all(t == t.lower() and len(t.split()) >= 120 for t in texts)


def _train_pooled_classifier(texts, labels, test_texts, test_labels):
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    vectorize = layers.TextVectorization(max_tokens=2_000, output_sequence_length=64)
    vectorize.adapt(texts)
    model = keras.Sequential(
        [
            keras.Input(shape=(64,), dtype="int64"),
            layers.Embedding(2_000, 8),
            layers.GlobalAveragePooling1D(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
    )
    model.fit(vectorize(texts), np.array(labels), epochs=8, batch_size=64, verbose=0)
    return model.evaluate(vectorize(test_texts), np.array(test_labels), verbose=0)[1]


def _sentiment_split():
    return samples.imdb_reviews("train", n=3_000), samples.imdb_reviews("test", n=1_000)


def _sarcasm_split():
    headlines, labels = samples.sarcasm_headlines(n=4_000)
    return (headlines[:3_000], labels[:3_000]), (headlines[3_000:], labels[3_000:])


@pytest.mark.parametrize("make", [_sentiment_split, _sarcasm_split], ids=["sentiment", "sarcasm"])
def test_a_small_model_clearly_beats_chance_but_is_not_perfect(make):
    (texts, labels), (test_texts, test_labels) = make()
    accuracy = _train_pooled_classifier(texts, labels, test_texts, test_labels)
    assert 0.75 < accuracy < 0.99


def test_news_sample_is_learnable_in_five_classes_but_not_perfectly():
    import keras
    from keras import layers

    texts, categories = samples.bbc_articles()
    names = sorted(set(categories))
    labels = np.array([names.index(c) for c in categories])
    keras.utils.set_random_seed(0)
    vectorize = layers.TextVectorization(max_tokens=1_000, output_sequence_length=240)
    vectorize.adapt(texts[:1_780])
    model = keras.Sequential(
        [
            keras.Input(shape=(240,), dtype="int64"),
            layers.Embedding(1_000, 16),
            layers.GlobalAveragePooling1D(),
            layers.Dense(5, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(vectorize(texts[:1_780]), labels[:1_780], epochs=15, batch_size=32, verbose=0)
    accuracy = model.evaluate(vectorize(texts[1_780:]), labels[1_780:], verbose=0)[1]
    assert 0.6 < accuracy < 0.99


def _entropy(counter):
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values())


@pytest.mark.parametrize("kind", ["sonnets", "lyrics"])
def test_verse_has_structure_a_next_word_model_can_learn(kind):
    lines = [line.lower().split() for line in samples.verse(kind)]
    unigrams = Counter(word for line in lines for word in line)
    following = {}
    for line in lines:
        for previous, word in zip(line, line[1:]):
            following.setdefault(previous, Counter())[word] += 1
    pairs = sum(sum(c.values()) for c in following.values())
    conditional = sum(sum(c.values()) / pairs * _entropy(c) for c in following.values())
    # Knowing the previous word removes most of the uncertainty about the next one.
    assert conditional < 0.5 * _entropy(unigrams)
    assert 4 <= min(map(len, lines)) and max(map(len, lines)) <= 8
