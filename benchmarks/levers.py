"""Benchmark: what makes the slow chapters' training faster on this CPU, measured, not assumed.

    .venv/bin/python -m benchmarks.levers [--cases NAME ...] [--out FILE]

Each case builds one chapter's model (or a variant of it: another batch size, XLA compilation,
several steps per call, a smaller layer, the course's own input pipeline, tf.data without its
autotuner) and times a short
training run after one warm-up call (the cases of one run in turn, several rounds, the median
kept), on the chapter's real data (IMDB reviews, whose lengths set
how long an uncut batch is; the sonnets' n-grams) or, for chapter 11, on random ids of its
shapes. The time is projected to one pass over the chapter's training data and written, with the
machine and the load average, to benchmarks/results/levers.json, which chapters 2, 10 and 11 and the
closing notes of the speed work cite. A short run carries more overhead per example than a
chapter's own run, so compare cases with each other, not with a chapter's record. Run it on an
otherwise idle machine; with ``--cases`` only the named cases run, merged into the existing file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from benchmarks.course_scale import load_average, machine
from tools.book import ROOT


def imdb_subword_ids(count: int, max_length: int | None):
    """The first ``count`` IMDB training reviews in chapter 5's subwords, cut to ``max_length``
    (None: uncut, padded to the longest, as the course's lab pads each batch)."""
    import keras_hub
    import numpy as np
    import tensorflow as tf

    from labutils import data

    tokenizer = keras_hub.tokenizers.WordPieceTokenizer(vocabulary=data.imdb_subword_vocab())
    texts = [text for text, _ in data.imdb("train").take(count).as_numpy_iterator()]
    # tokenized inside tf.data, so the result is a tf.RaggedTensor (eager calls return lists)
    ragged = next(iter(tf.data.Dataset.from_tensors(tf.constant(texts)).map(tokenizer)))
    if max_length is not None:
        ragged = ragged[:, :max_length]
    return ragged, np.array(
        [label for _, label in data.imdb("train").take(count).as_numpy_iterator()]
    )


def case_05(variant: str):
    """Chapter 5's single bidirectional LSTM (or its stack), in the book's pipeline (256 subwords,
    post-padded, masked, batches of 64, tf.data's autotuner off as in the chapters) or a variant.
    "course pipeline" keeps the autotuner on, as the course's code does; "course pipeline,
    without autotuning" turns it off, so that only the padding and batching differ."""
    import keras
    import tensorflow as tf
    from keras import layers

    from labutils import data, timing

    count = 2_048
    batch, jit, mask, cut, stack = 64, False, True, 256, None
    if variant == "batch 256":
        batch = 256
    elif variant == "jit_compile":
        jit = True
    elif variant.startswith("stacked"):
        stack = (64, 32) if "64" in variant else (32, 16)
    elif variant.startswith("course pipeline"):  # the 2022 lab: padded_batch(256), uncut, no mask
        batch, mask, cut = 256, False, None
    ragged, labels = imdb_subword_ids(count, cut)
    if cut is None:  # each batch padded with 0 to its own longest review, as padded_batch does
        dataset = tf.data.Dataset.from_tensor_slices((ragged, labels)).ragged_batch(batch)
        dataset = dataset.map(lambda ids, y: (ids.to_tensor(), y))
    else:
        dataset = tf.data.Dataset.from_tensor_slices(
            (ragged.to_tensor(shape=(None, cut)), labels)
        ).batch(batch)
    dataset = dataset.cache()
    if variant != "course pipeline":
        dataset = dataset.apply(timing.without_autotuning)
    recurrent = (
        [layers.Bidirectional(layers.LSTM(64))]
        if stack is None
        else [
            layers.Bidirectional(layers.LSTM(stack[0], return_sequences=True)),
            layers.Bidirectional(layers.LSTM(stack[1])),
        ]
    )
    model = keras.Sequential(
        [
            keras.Input((None,)),
            layers.Embedding(len(data.imdb_subword_vocab()), 64, mask_zero=mask),
            *recurrent,
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"], jit_compile=jit
    )
    return model, dataset, count


def case_06(variant: str):
    """Chapter 6's bidirectional LSTM (32 units on 16-dimensional word vectors of 120 tokens): the
    book's pipeline (post-padding, masked, tf.data without its autotuner, batches of 32) or the
    course lab's (NumPy
    arrays from pad_sequences, pre-padding, no mask, fit's own batching of 32)."""
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers

    from labutils import data, timing

    count = 5_000
    texts = [text for text, _ in data.imdb("train").take(count).as_numpy_iterator()]
    labels = np.array([label for _, label in data.imdb("train").take(count).as_numpy_iterator()])
    vectorizer = layers.TextVectorization(max_tokens=10_000)
    vectorizer.adapt(tf.constant(texts))
    ids = vectorizer(tf.constant(texts))  # ragged-free: padded to the longest, post
    lengths = np.count_nonzero(ids.numpy(), axis=1)
    rows = [row[:n][:120] for row, n in zip(ids.numpy(), lengths)]
    course = variant == "course pipeline"
    padded = keras.utils.pad_sequences(
        rows, maxlen=120, padding="pre" if course else "post", truncating="post"
    )
    model = keras.Sequential(
        [
            keras.Input((120,)),
            layers.Embedding(10_000, 16, mask_zero=not course),
            layers.Bidirectional(layers.LSTM(32)),
            layers.Dense(6, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    if course:
        return model, (padded, labels), count
    dataset = tf.data.Dataset.from_tensor_slices((padded, labels)).cache().batch(32)
    return model, dataset.apply(timing.without_autotuning), count


def case_10(variant: str):
    """Chapter 10's 2019 exercise model (bidirectional LSTM 150, dropout, LSTM 100, L2 hidden layer
    of half the vocabulary, softmax over it) on the first n-grams of the real sonnets, batches of
    32; or, for variants starting "assignment", today's assignment's model (bidirectional LSTM
    128, softmax) in batches of 16. A variant names its options: "without autotuning",
    "jit_compile", "steps_per_execution 16", or several joined by ", ". (Random ids of the same
    shapes once gave steps_per_execution a speed-up that the real n-grams do not show.)"""
    import keras
    import tensorflow as tf
    from keras import layers

    from labutils import data, generation, timing

    lines = [line.lower() for line in data.sonnets()]
    vectorizer = layers.TextVectorization()
    vectorizer.adapt(lines)
    words = vectorizer.vocabulary_size()
    inputs, labels = generation.ngram_sequences(lines, vectorizer)
    count = 4_096
    inputs, labels = inputs[:count], labels[:count]
    options = set(variant.split(", "))
    if "assignment" in options:
        hidden, batch = [layers.Bidirectional(layers.LSTM(128))], 16
    else:
        hidden, batch = (
            [
                layers.Bidirectional(layers.LSTM(150, return_sequences=True)),
                layers.Dropout(0.2),
                layers.LSTM(100),
                layers.Dense(
                    words // 2, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01)
                ),
            ],
            32,
        )
    model = keras.Sequential(
        [
            keras.Input((inputs.shape[1],)),
            layers.Embedding(words, 100),
            *hidden,
            layers.Dense(words, activation="softmax"),
        ]
    )
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer="adam",
        metrics=["accuracy"],
        jit_compile="jit_compile" in options,
        steps_per_execution=16 if "steps_per_execution 16" in options else 1,
    )
    dataset = tf.data.Dataset.from_tensor_slices((inputs, labels)).cache().batch(batch)
    if "without autotuning" in options:
        dataset = dataset.apply(timing.without_autotuning)
    return model, dataset, count


def case_11(variant: str):
    """Chapter 11's character model: Embedding 256, GRU (1,024 units, the tutorial's, or fewer),
    Dense over 66 characters, on 100-character sequences, batches of 64."""
    import keras
    import numpy as np
    import tensorflow as tf
    from keras import layers

    units = int(variant.split()[1]) if variant.startswith("GRU") else 1024
    jit = variant.endswith("jit_compile")
    count = 640
    rng = np.random.default_rng(0)
    inputs = rng.integers(1, 66, size=(count, 100))
    model = keras.Sequential(
        [
            keras.Input((None,)),
            layers.Embedding(66, 256),
            layers.GRU(units, return_sequences=True),
            layers.Dense(66),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=jit,
    )
    return (
        model,
        tf.data.Dataset.from_tensor_slices((inputs, np.roll(inputs, -1, axis=1))).cache().batch(64),
        count,
    )


CASES = {
    "05 book pipeline": lambda: case_05("book"),
    "05 course pipeline": lambda: case_05("course pipeline"),
    "05 course pipeline, without autotuning": lambda: case_05(
        "course pipeline, without autotuning"
    ),
    "05 batch 256": lambda: case_05("batch 256"),
    "05 jit_compile": lambda: case_05("jit_compile"),
    "05 stacked 64/32": lambda: case_05("stacked 64/32"),
    "05 stacked 32/16": lambda: case_05("stacked 32/16"),
    "06 book pipeline": lambda: case_06("book"),
    "06 course pipeline": lambda: case_06("course pipeline"),
    "10 as written": lambda: case_10("as written"),
    "10 jit_compile": lambda: case_10("jit_compile"),
    "10 steps_per_execution 16": lambda: case_10("steps_per_execution 16"),
    "10 without autotuning": lambda: case_10("without autotuning"),
    **{
        f"10 {variant}": lambda variant=variant: case_10(variant)
        for variant in [
            "exercise, without autotuning",
            "exercise, without autotuning, jit_compile",
            "exercise, without autotuning, steps_per_execution 16",
            "exercise, without autotuning, jit_compile, steps_per_execution 16",
            "assignment, without autotuning",
            "assignment, without autotuning, jit_compile",
            "assignment, without autotuning, jit_compile, steps_per_execution 16",
        ]
    },
    "11 GRU 1024": lambda: case_11("GRU 1024"),
    "11 GRU 1024 jit_compile": lambda: case_11("GRU 1024 jit_compile"),
    "11 GRU 512": lambda: case_11("GRU 512"),
    "11 GRU 256": lambda: case_11("GRU 256"),
}
# one pass over the chapter's training data, in examples
PASS_EXAMPLES = {"05": 25_000, "06": 25_000, "10": 14_608, "11": 1_003_854 // 101}
PASS_EXAMPLES["10 assignment"] = 15_355  # the assignment trains on the n-grams of every line


def pass_examples(name: str) -> int:
    return PASS_EXAMPLES["10 assignment" if name.startswith("10 assignment") else name[:2]]


def time_cases(names, repeats: int = 3) -> dict:
    """Build every case and train it once to warm up (tracing, caches); then time one training
    run of each case in turn, ``repeats`` rounds, so that the cases compared share the machine's
    ups and downs (on a shared host the same run varies by up to 2x over minutes). Each case's
    time is the median of its rounds, and the mean beside it (a wait that strikes some rounds
    and not others, as tf.data's autotuner's does, shows in the mean); ``seconds`` lists them
    all."""
    import statistics

    fits = {}
    for name in names:
        model, dataset, count = CASES[name]()
        fits[name] = (
            (lambda m=model, d=dataset: m.fit(*d, batch_size=32, epochs=1, verbose=0))
            if isinstance(dataset, tuple)
            else (lambda m=model, d=dataset: m.fit(d, epochs=1, verbose=0)),
            count,
        )
        fits[name][0]()
    timed = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            started = time.perf_counter()
            fits[name][0]()
            timed[name].append(round(time.perf_counter() - started, 2))
    results = {}
    for name, seconds in timed.items():
        count = fits[name][1]
        results[name] = {
            "examples_timed": count,
            "seconds": seconds,
            "seconds_per_pass": round(statistics.median(seconds) / count * pass_examples(name), 1),
            "mean_seconds_per_pass": round(
                statistics.mean(seconds) / count * pass_examples(name), 1
            ),
            "measured": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), metavar="CASE")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "levers.json")
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds per case (median)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    previous = json.loads(args.out.read_text()) if args.cases and args.out.is_file() else {}
    cases = dict(previous.get("cases", {}))
    load_at_start = load_average()
    measured = time_cases(args.cases or list(CASES), args.repeats)
    load_at_end = load_average()
    for name, case in measured.items():
        # each case keeps the load of its own run: a later --cases run rewrites the top level
        cases[name] = case | {"load_average": {"start": load_at_start, "end": load_at_end}}
        print(
            f"{name:>28}: {case['seconds_per_pass']:8.1f} s per pass {case['seconds']}", flush=True
        )
    report = {
        "machine": machine(),
        "load_average": {"start": load_at_start, "end": load_at_end},
        "note": "seconds_per_pass is the median of the timed rounds (seconds), projected from "
        "the timed examples to one pass over the chapter's training data",
        "cases": cases,
    }
    args.out.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
