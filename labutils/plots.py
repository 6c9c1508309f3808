"""Plots shared by the chapters.

Introduced in chapter 1 (tokenization: :func:`plot_lengths`) and chapter 2 (word
embeddings: :func:`plot_history`).
"""

from __future__ import annotations


def plot_history(history, metrics=("accuracy", "loss"), title: str | None = None):
    """Plot training and validation curves, one panel per metric, and return the figure.

    ``history`` is what ``model.fit`` returns (or its ``.history`` dict). Validation curves
    (``val_<metric>``) are drawn dashed when present.

    Examples
    --------
    >>> fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.8]}, metrics=["loss"])
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['training', 'validation']
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    values = getattr(history, "history", history)
    missing = [m for m in metrics if m not in values]
    if missing:
        raise KeyError(f"History has no {missing}; it has {sorted(values)}.")
    fig, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.5), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        epochs = range(1, len(values[metric]) + 1)
        ax.plot(epochs, values[metric], "o-", label="training")
        if f"val_{metric}" in values:
            ax.plot(epochs, values[f"val_{metric}"], "s--", label="validation")
        ax.set(xlabel="epoch", ylabel=metric, title=metric)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


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
