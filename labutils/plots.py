"""Plots shared by the chapters.

Introduced in chapter 1 (tokenization: :func:`plot_lengths`) and chapter 2 (word
embeddings: :func:`plot_history`).
"""

from __future__ import annotations

# Okabe and Ito's colour-blind-safe palette; both line colours keep at least 3:1 contrast on white.
TRAINING_COLOUR, VALIDATION_COLOUR = "#0072B2", "#D55E00"
COLUMN_WIDTH = 6.8  # inches: the book's content column at Matplotlib's 100 dpi, shown unscaled


def plot_history(
    history, metrics=("accuracy", "loss"), title: str | None = None, min_points: int = 3
):
    """Plot training and validation curves, one panel per metric, and return the figure.

    ``history`` is what ``model.fit`` returns (or its ``.history`` dict). Validation curves
    (``val_<metric>``) are drawn dashed when present. With fewer than ``min_points`` epochs there
    is no curve to read: it prints the last values instead and returns None.

    Examples
    --------
    >>> fig = plot_history({"loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.8, 0.9]}, metrics=["loss"])
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['training', 'validation']
    >>> plot_history({"loss": [1.0], "val_loss": [1.1]}, metrics=["loss"])
    1 epoch only, too few for a curve; after it: loss 1, val_loss 1.1
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    values = getattr(history, "history", history)
    missing = [m for m in metrics if m not in values]
    if missing:
        raise KeyError(f"History has no {missing}; it has {sorted(values)}.")
    points = len(values[metrics[0]])
    if points < min_points:
        last = ", ".join(
            f"{name} {values[name][-1]:.3g}"
            for m in metrics
            for name in (m, f"val_{m}")
            if name in values
        )
        print(
            f"{points} epoch{'' if points == 1 else 's'} only, too few for a curve; after "
            f"{'it' if points == 1 else 'the last'}: {last}"
        )
        return None
    fig, axes = plt.subplots(1, len(metrics), figsize=(COLUMN_WIDTH, 3.2), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        epochs = range(1, len(values[metric]) + 1)
        ax.plot(epochs, values[metric], "o-", color=TRAINING_COLOUR, markersize=4, label="training")
        if f"val_{metric}" in values:
            ax.plot(
                epochs,
                values[f"val_{metric}"],
                "s--",
                color=VALIDATION_COLOUR,
                markersize=4,
                label="validation",
            )
        ax.set_xlabel("epoch", fontsize=10)
        ax.set_ylabel(metric, fontsize=10)
        ax.set_title(metric, fontsize=11)
        ax.tick_params(labelsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        ax.legend(fontsize=10)
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def course_scale_history(chapter: str, model: str, metrics=("accuracy", "loss")):
    """Show a model's curves from the chapter's course-scale record, headed by a note that says
    which run they come from; return the figure (None when there is nothing to draw).

    Introduced in chapter 2. A page built at smoke scale draws its own short run; this puts the
    lesson's curves, those of the chapter as written, beside it. On a course-scale build the page's
    own curves are the lesson's, so it shows nothing. A record without this model's history says
    "not measured yet".
    """
    from IPython.display import Markdown, display

    from . import env, results

    if env.run_descriptor()["profile"] == "full":
        return None
    try:
        record = results.course_scale(chapter)
    except FileNotFoundError:
        record = {}
    curves = record.get("history", {}).get(model)
    if curves is None:
        display(Markdown(f"*Course scale ({model}): not measured yet.*"))
        return None
    display(
        Markdown(
            f":::{{admonition}} Course scale: {model}\n:class: tip\nThe curves below are those of "
            f"the chapter as written, from its course-scale record ({results.provenance(record)}); the "
            "curves above come from this page's own run.\n:::"
        )
    )
    return plot_history(curves, metrics=metrics, title=f"{model}, course scale")


def plot_lengths(lengths, max_length: int | None = None, title: str = "Lengths", unit="tokens"):
    """Histogram of sequence lengths, with an optional line at a chosen ``max_length``.

    Examples
    --------
    >>> fig = plot_lengths([3, 5, 5, 8], max_length=6)
    >>> fig.axes[0].get_xlabel()
    'length (tokens)'
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(lengths, bins=range(0, max(lengths) + 2), color="tab:blue")
    if max_length is not None:
        kept = sum(length <= max_length for length in lengths) / len(lengths)
        ax.axvline(
            max_length,
            color="tab:red",
            linestyle="--",
            label=f"max_length = {max_length} ({kept:.1%} fit)",
        )
        ax.legend()
    ax.set(xlabel=f"length ({unit})", ylabel="count", title=title)
    fig.tight_layout()
    return fig
