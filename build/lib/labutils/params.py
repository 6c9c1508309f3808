"""Checks for a chapter's parameters cell, so a bad papermill ``-p`` fails at once and clearly.

Introduced in chapter 1 (tokenization).
"""

from __future__ import annotations


def check_positive_int(**parameters) -> None:
    """Raise ``ValueError`` unless every given parameter is a positive ``int``.

    Examples
    --------
    >>> check_positive_int(epochs=10, max_length=32)
    >>> check_positive_int(epochs=0)
    Traceback (most recent call last):
    ...
    ValueError: Parameter 'epochs' must be a positive integer, got 0. Set it in the parameters cell or with papermill -p epochs <value>.
    """
    for name, value in parameters.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(
                f"Parameter {name!r} must be a positive integer, got {value!r}. "
                f"Set it in the parameters cell or with papermill -p {name} <value>."
            )


def check_optional_positive_int(**parameters) -> None:
    """Like :func:`check_positive_int`, but ``None`` (meaning "no limit") is allowed too.

    Examples
    --------
    >>> check_optional_positive_int(max_examples=None, max_tokens=1000)
    """
    check_positive_int(**{name: value for name, value in parameters.items() if value is not None})


def check_fraction(**parameters) -> None:
    """Raise ``ValueError`` unless every given parameter is a number in the interval (0, 1).

    Examples
    --------
    >>> check_fraction(validation_split=0.2)
    """
    for name, value in parameters.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ValueError(
                f"Parameter {name!r} must be a number between 0 and 1 (exclusive), got "
                f"{value!r}. Set it in the parameters cell or with papermill -p {name} <value>."
            )
