"""Parameters checks, seeding, plots, environment summary and the results ledger."""

import json
import re
import time

import numpy as np
import pytest

from labutils import embeddings, env, params, plots, results, seed, timing


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10", True, None])
def test_positive_int_rejects_bad_values_naming_the_parameter(bad):
    with pytest.raises(ValueError, match=r"'epochs' must be a positive integer.*-p epochs"):
        params.check_positive_int(epochs=bad)


def test_positive_int_accepts_good_values_and_optional_allows_none():
    params.check_positive_int(epochs=1, max_length=120)
    params.check_optional_positive_int(max_examples=None, vocab_size=10)
    with pytest.raises(ValueError, match="vocab_size"):
        params.check_optional_positive_int(max_examples=None, vocab_size=0)


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "0.2"])
def test_fraction_rejects_values_outside_zero_one(bad):
    with pytest.raises(ValueError, match="'dropout'"):
        params.check_fraction(dropout=bad)


def test_set_seed_makes_numpy_and_tensorflow_repeatable():
    import tensorflow as tf

    seed.set_seed(3)
    first = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    seed.set_seed(3)
    second = (np.random.rand(3), tf.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_plot_history_draws_the_recorded_values():
    history = {
        "accuracy": [0.5, 0.7, 0.8],
        "val_accuracy": [0.5, 0.6, 0.65],
        "loss": [0.7, 0.5, 0.4],
        "val_loss": [0.7, 0.6, 0.62],
    }
    figure = plots.plot_history(history)
    accuracy_axes, loss_axes = figure.axes
    assert list(accuracy_axes.lines[1].get_ydata()) == history["val_accuracy"]
    assert list(loss_axes.lines[0].get_xdata()) == [1, 2, 3]
    with pytest.raises(KeyError, match="auc"):
        plots.plot_history(history, metrics=["auc"])


def test_plot_history_marks_whole_epochs_only():
    history = {"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.62]}
    figure = plots.plot_history(history, metrics=["loss"])
    figure.canvas.draw()
    ax = figure.axes[0]
    low, high = ax.get_xlim()
    ticks = [tick for tick in ax.get_xticks() if low <= tick <= high]
    labels = [
        label.get_text().replace("\u2212", "-")
        for label in ax.get_xticklabels()
        if label.get_text()
    ]
    assert ticks and all(float(tick).is_integer() for tick in ticks), ticks
    assert {1, 2, 3} <= set(ticks)
    assert labels and all(re.fullmatch(r"-?\d+", label) for label in labels), labels


def test_plot_lengths_reports_the_fraction_that_fits():
    figure = plots.plot_lengths([1, 2, 3, 10], max_length=3)
    assert "75.0% fit" in figure.axes[0].get_legend().get_texts()[0].get_text()


def test_environment_names_versions_and_device():
    from importlib.metadata import version

    summary = env.environment()
    # the versions actually installed (whatever the lock pins), not a copy of the lock
    assert summary["tensorflow"] == version("tensorflow") and summary["keras"] == version("keras")
    assert summary["device"].startswith(("CPU", "GPU"))


def test_record_merges_chapters_and_converts_numpy(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    results.record("01_a", accuracy=np.float32(0.875), shape=np.array([3, 4]), words=["a"])
    results.record("02_b", epochs=np.int64(2))
    ledger = json.loads((tmp_path / "results.json").read_text())
    assert ledger["01_a"]["metrics"] == {"accuracy": 0.875, "shape": [3, 4], "words": ["a"]}
    assert ledger["02_b"]["metrics"]["epochs"] == 2
    assert ledger["02_b"]["run"]["tensorflow"] == env.environment()["tensorflow"]
    results.record("01_a", accuracy=0.9)  # a re-run replaces the chapter's entry
    assert results.load()["01_a"]["metrics"] == {"accuracy": 0.9}
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary files left


def test_record_rejects_values_it_cannot_store(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    with pytest.raises(TypeError, match="model"):
        results.record("01_a", model=object())
    assert not (tmp_path / "results.json").exists()


def test_record_keeps_per_epoch_histories(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))

    class History:  # what keras.Model.fit returns: the curves are in .history
        history = {"loss": [np.float32(0.7), 0.5], "val_loss": [0.6, 0.65]}

    entry = results.record(
        "01_a", accuracy=0.9, history={"flatten": History(), "pooling": {"loss": [1.0]}}
    )
    assert entry["history"] == {
        "flatten": {"loss": [pytest.approx(0.7), 0.5], "val_loss": [0.6, 0.65]},
        "pooling": {"loss": [1.0]},
    }
    assert results.load()["01_a"]["history"]["pooling"] == {"loss": [1.0]}
    with pytest.raises(ValueError, match="different lengths"):
        results.record("01_a", history={"flatten": {"loss": [1.0, 0.9], "val_loss": [1.0]}})
    with pytest.raises(TypeError, match="per-epoch lists"):
        results.record("01_a", history={"flatten": [1.0, 0.9]})


def test_record_validates_headline_and_models(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    entry = results.record(
        "02_b",
        headline=[
            {"label": "pooling: test accuracy", "value": np.float32(0.5), "kind": "accuracy"}
        ],
        models={"pooling": {"parameters": np.int64(160_103), "val_accuracy": 0.875}},
    )
    assert entry["headline"] == [
        {"label": "pooling: test accuracy", "value": 0.5, "kind": "accuracy"}
    ]
    assert entry["models"] == {"pooling": {"parameters": 160_103, "val_accuracy": 0.875}}
    # One set of metric names: a synonym is refused with the book's names in the message.
    with pytest.raises(ValueError, match="validation_accuracy.*val_accuracy"):
        results.record("02_b", models={"pooling": {"validation_accuracy": 0.8}})
    with pytest.raises(ValueError, match="kind 'percent'"):
        results.record("02_b", headline=[{"label": "x", "value": 1, "kind": "percent"}])
    with pytest.raises(TypeError, match="exactly 'label', 'value'"):
        results.record("02_b", headline=[{"label": "x", "value": 1}])
    with pytest.raises(TypeError, match="must be a number"):
        results.record("02_b", headline=[{"label": "x", "value": "high", "kind": "accuracy"}])
    assert results.load()["02_b"]["models"] == {
        "pooling": {"parameters": 160_103, "val_accuracy": 0.875}
    }


def test_epoch_timer_records_one_time_per_epoch():
    import keras

    timer = timing.epoch_timer()
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    history = model.fit(np.zeros((8, 2)), np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.epoch_seconds) == 3 and all(s > 0 for s in timer.epoch_seconds)
    assert timer.seconds_per_epoch() <= max(timer.epoch_seconds)
    # the History (and so a chapter's record) carries the same per-epoch times
    assert history.history["epoch_seconds"] == timer.epoch_seconds


def test_epoch_timer_prints_a_compact_log(capsys):
    import keras

    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    timer = timing.epoch_timer(print_every=4)
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=10, verbose=0, callbacks=[timer])
    lines = capsys.readouterr().out.splitlines()
    # the first epoch, every 4th and the last, each with its loss and time
    assert [line.split("/")[0] for line in lines] == [f"epoch {n:>2}" for n in (1, 4, 8, 10)]
    assert all(
        line.startswith("epoch") and "loss " in line and line.endswith(" s)") for line in lines
    )
    with pytest.raises(ValueError, match="print_every must be a whole number"):
        timing.epoch_timer(print_every=0)


def test_export_projector_skips_reserved_tokens_and_aligns_rows(tmp_path):
    vectors = np.arange(8, dtype=float).reshape(4, 2)
    vecs, meta = embeddings.export_projector(vectors, ["", "[UNK]", "good", "bad"], tmp_path)
    assert meta.read_text().splitlines() == ["good", "bad"]
    assert vecs.read_text().splitlines() == ["4.00000\t5.00000", "6.00000\t7.00000"]
    with pytest.raises(ValueError, match="3 vectors but 4 words"):
        embeddings.export_projector(vectors[:3], ["", "[UNK]", "good", "bad"], tmp_path)


def test_nearest_neighbours_rank_by_cosine_similarity():
    vectors = [[1, 0], [0.8, 0.2], [-1, 0.1], [0.5, 0.5]]
    words = ["good", "great", "awful", "fine"]
    assert [w for w, _ in embeddings.nearest_neighbours(vectors, words, "good", k=3)] == [
        "great",
        "fine",
        "awful",
    ]
    with pytest.raises(KeyError, match="'superb'"):
        embeddings.nearest_neighbours(vectors, words, "superb")


def test_artifact_dir_is_under_the_build_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("LABUTILS_BUILD_DIR", str(tmp_path))
    folder = results.artifact_dir("02_imdb_embeddings")
    assert folder.is_dir() and folder.parent.parent == tmp_path


def test_course_scale_records_are_found_in_an_installed_package(tmp_path, monkeypatch):
    # Installed from git (Colab), the records sit in labutils/records, not in a checkout.
    import shutil

    from labutils import results

    package = tmp_path / "site-packages" / "labutils"
    shutil.copytree(results.records_dir(), package / "records")
    monkeypatch.setattr(results, "__file__", str(package / "results.py"))
    assert results.records_dir() == package / "records"
    assert results.course_scale("02_imdb_embeddings")["chapter"] == "02_imdb_embeddings"
    shutil.rmtree(package / "records")
    with pytest.raises(FileNotFoundError, match="reinstall labutils"):
        results.records_dir()


def test_nbmake_registers_the_collection_hook_this_pytest_expects():
    # nbmake chooses its hook from int(version("pytest")[0]); with pytest 10 that is 1, and the
    # old `path` hook it then defines fails under pytest 10. This guards the lock.
    import inspect
    from importlib.metadata import version

    from nbmake import pytest_plugin

    major = int(version("pytest").split(".")[0])
    parameters = inspect.signature(pytest_plugin.pytest_collect_file).parameters
    assert ("file_path" in parameters) == (major >= 7), (
        f"nbmake {version('nbmake')} picked the collection hook for pytest < 7 under pytest "
        f"{version('pytest')}: keep pytest below 10 (pyproject.toml) until nbmake is fixed"
    )


def test_scale_note_names_each_injected_value_and_the_chapters_own(monkeypatch):
    # The note at the top of a smoke page comes from what the runner injected and what the
    # chapter's parameters cell says (tools.book.describe_run, as nbmake and papermill set it).
    from tools.book import ROOT, describe_run, smoke_parameters

    chapter = ROOT / "chapters" / "05_lstm.ipynb"
    monkeypatch.delenv(env.RUN_VARIABLE, raising=False)
    assert env.scale_note() == ""  # interactive: the reader sees the cell they ran
    describe_run("smoke", smoke_parameters(chapter), chapter)
    note = env.scale_note()
    assert (
        note.startswith(":::{admonition} Smoke scale\n:class: note")
        and "`epochs = 1` (as written: `10`)" in note
    )
    assert "`max_examples = 1000` (as written: `None`)" in note
    describe_run("full", {}, chapter)
    assert "course scale**: the parameters cell as written" in env.scale_note()
    describe_run("full", {"epochs": 2}, chapter)
    assert "except `epochs = 2` (as written: `10`)" in env.scale_note()


def test_plot_history_fits_the_column_and_prints_instead_of_a_two_point_curve(capsys):
    figure = plots.plot_history(
        {"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.62]}, metrics=["loss"]
    )
    assert figure.get_size_inches()[0] <= plots.COLUMN_WIDTH  # shown unscaled in the column
    colours = [line.get_color() for line in figure.axes[0].lines]
    assert colours == [plots.TRAINING_COLOUR, plots.VALIDATION_COLOUR]
    assert (
        plots.plot_history({"loss": [0.7, 0.5], "val_loss": [0.7, 0.6]}, metrics=["loss"]) is None
    )
    assert "2 epochs only" in capsys.readouterr().out


def test_course_scale_history_draws_the_records_curves_except_on_a_course_scale_build(
    monkeypatch, capsys
):
    import json

    record = results.course_scale("02_imdb_embeddings")
    monkeypatch.setenv(env.RUN_VARIABLE, json.dumps({"profile": "smoke", "overrides": {}}))
    figure = plots.course_scale_history("02_imdb_embeddings", "pooling")
    drawn = list(figure.axes[1].lines[1].get_ydata())  # the loss panel's validation curve
    assert drawn == record["history"]["pooling"]["val_loss"]
    assert plots.course_scale_history("02_imdb_embeddings", "no such model") is None
    monkeypatch.setenv(env.RUN_VARIABLE, json.dumps({"profile": "full", "overrides": {}}))
    assert plots.course_scale_history("02_imdb_embeddings", "pooling") is None


def test_a_recorded_entry_shows_as_compact_tables_not_a_dump():
    entry = results.record(
        "02_c",
        headline=[{"label": "test accuracy", "value": 0.8712345, "kind": "accuracy"}],
        models={"pooling": {"parameters": 160_103, "val_accuracy": 0.875}},
        per_epoch=[0.1234567, 0.2345678],
    )
    shown = entry._repr_markdown_()
    assert "| test accuracy | 0.871 |" in shown and "| pooling | 160,103 | 0.875 |" in shown
    assert "0.1234567" not in shown and entry["metrics"]["per_epoch"] == [0.1234567, 0.2345678]


def _deletion_seconds(datasets, live: float = 0.2) -> list[float]:
    """Read each dataset inside one tf.function (as ``fit`` does) for ``live`` seconds while the
    CPU works, then delete its iterator; return how long each deletion took."""
    import tensorflow as tf

    weights = tf.random.normal((256, 256))

    @tf.function
    def step(iterator):
        work = tf.random.normal((128, 256))
        for _ in range(4):
            work = tf.tanh(work @ weights)
        return tf.reduce_sum(work) + tf.cast(tf.reduce_sum(next(iterator)), tf.float32)

    seconds = []
    for dataset in datasets:
        iterator = iter(dataset)
        started = time.perf_counter()
        while time.perf_counter() - started < live:
            step(iterator)
        started = time.perf_counter()
        del iterator
        seconds.append(time.perf_counter() - started)
        if seconds[-1] > 0.08:
            break  # one wait is enough to show it
    return seconds


def test_without_autotuning_ends_an_iterator_at_once():
    import tensorflow as tf

    def pipeline():
        return tf.data.Dataset.range(10**9).batch(32).prefetch(tf.data.AUTOTUNE)

    # the defect the helper works around (TensorFlow 2.21): with the default options, deleting
    # the iterator often waits for the autotuner's next wake-up, 0.31 s after it started
    # (if a TensorFlow release fixes it, this part fails: the helper can then go)
    waits = _deletion_seconds(pipeline() for _ in range(20))
    assert max(waits) > 0.08, f"no deletion waited in {len(waits)} tries: {waits}"
    quiet = pipeline().apply(timing.without_autotuning)
    assert quiet.options().autotune.enabled is False
    assert len(_deletion_seconds([quiet] * 10)) == 10  # none of the ten waited
    # and the data are the same
    assert list(quiet.take(2).as_numpy_iterator())[1][0] == 32
