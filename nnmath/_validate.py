"""Argument checks shared by every module.

Each helper turns a reader's input into a float64 NumPy array (or a checked
scalar) or raises a ``TypeError``/``ValueError`` whose message names the
argument, says what was expected and shows what was given.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Collection, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _describe(value: Any) -> str:
    """A short description of ``value`` for an error message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (type {type(value).__name__})"


def as_array(
    value: ArrayLike,
    name: str,
    *,
    ndim: int | Sequence[int] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> NDArray[np.float64]:
    """Convert ``value`` to a float64 array, checking type, shape and values.

    Parameters
    ----------
    value : array_like
        Numbers: a scalar, a (nested) list or an array.
    name : str
        The argument's name, used in error messages.
    ndim : int or sequence of int, optional
        The allowed numbers of dimensions.
    allow_empty : bool
        Whether an array with no elements is acceptable.
    finite : bool
        Whether NaN and infinity are rejected.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numbers (an array, list or scalar), got {_describe(value)}")
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        array = value
    else:
        try:
            array = np.asarray(value)
        except ValueError as error:  # ragged nested lists
            raise ValueError(
                f"{name} must be a rectangular array of numbers; numpy could not make one "
                f"from {_describe(value)} ({error})"
            ) from None
        if array.dtype == object or not (
            np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)
        ):
            raise TypeError(f"{name} must contain only numbers, got {_describe(value)}")
        if np.issubdtype(array.dtype, np.complexfloating):
            raise TypeError(f"{name} must be real numbers, got complex values in {_describe(value)}")
        array = array.astype(np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if array.ndim not in allowed:
            wanted = " or ".join(str(d) for d in allowed)
            hint = ""
            if array.ndim == 1 and 2 in allowed:
                hint = f"; for a single sample use {name}.reshape(1, -1), for one feature {name}.reshape(-1, 1)"
            raise ValueError(
                f"{name} must have {wanted} dimension(s), got shape {array.shape} "
                f"({array.ndim} dimension(s)){hint}"
            )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        bad = np.argwhere(~np.isfinite(array))
        where = tuple(int(i) for i in bad[0]) if array.ndim else ()
        raise ValueError(
            f"{name} must contain only finite numbers, got {array[where] if where else array} "
            f"at index {where} ({len(bad)} non-finite value(s) in all)"
        )
    return array


def check_same_shape(a: NDArray, a_name: str, b: NDArray, b_name: str) -> None:
    """Raise if two arrays differ in shape, naming both shapes."""
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, got {a_name} {a.shape} and {b_name} {b.shape}"
        )


def positive_number(value: Any, name: str) -> float:
    """A finite number greater than zero, as a float."""
    real = real_number(value, name)
    if real <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}")
    return real


def real_number(value: Any, name: str) -> float:
    """A finite real number, as a float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            return real_number(value.item(), name)
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    real = float(value)
    if not np.isfinite(real):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return real


def interval(value: Any, name: str) -> tuple[float, float]:
    """A pair ``(low, high)`` of real numbers with ``low < high``, as floats."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {_describe(value)}")
    low = real_number(value[0], f"{name}[0]")
    high = real_number(value[1], f"{name}[1]")
    if not low < high:
        given = tuple(v.item() if hasattr(v, "item") else v for v in value)
        raise ValueError(f"{name} must be (low, high) with low < high, got {given}")
    return low, high


def whole_number(value: Any, name: str, *, minimum: int = 0) -> int:
    """An integer at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a whole number (int), got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def callable_(value: Any, name: str) -> Callable:
    """A callable, or a TypeError that says what a callable is."""
    if not callable(value):
        raise TypeError(f"{name} must be a function (callable), got {_describe(value)}")
    return value


def choice(value: Any, name: str, options: Collection[str]) -> str:
    """One of ``options`` (a sequence, or a dict's keys), or an error that lists them."""
    if isinstance(value, str) and value in options:
        return value
    valid = ", ".join(repr(o) for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {valid}, got {_describe(value)}")
    raise ValueError(f"unknown {name} {value!r}; valid choices are {valid}")


def lookup(value: Any, name: str, table: dict[str, Any], kind: type) -> Any:
    """``value`` itself if it is already a ``kind``, else ``table[value]`` (an error lists the keys)."""
    if isinstance(value, kind):
        return value
    return table[choice(value, name, table)]


def as_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """A NumPy Generator from a Generator, an int seed, or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"{name} must be a non-negative seed, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(f"{name} must be a numpy.random.Generator, an int seed or None, got {_describe(rng)}")


def non_negative_number(value: Any, name: str) -> float:
    """A finite number at least zero, as a float."""
    real = real_number(value, name)
    if real < 0:
        raise ValueError(f"{name} must be at least 0, got {value!r}")
    return real
