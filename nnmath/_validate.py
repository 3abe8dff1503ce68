"""Argument checks shared by every module.

Each helper turns a reader's input into a float64 NumPy array (or a checked
scalar) or raises a ``TypeError``/``ValueError`` whose message names the
argument, says what was expected and shows what was given.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any, Callable, Collection, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


#: The most memory one call may ask for; a larger request is refused before anything is allocated.
MEMORY_BUDGET_BYTES = 2**30
_BUDGET_TEXT = "1 GB"
_FLOAT_MAX = float(np.finfo(np.float64).max)


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
    if isinstance(value, np.ma.MaskedArray):
        if np.ma.is_masked(value):
            raise ValueError(
                f"{name} must not have masked values, got a masked array with {int(np.ma.count_masked(value))} "
                f"masked value(s); fill them ({name}.filled(...)) or drop them first"
            )
        value = np.ma.getdata(value)
    if isinstance(value, np.ndarray) and type(value) is not np.ndarray:  # np.matrix: * would be a matrix product
        value = np.asarray(value).view(np.ndarray)
    if type(value) is np.ndarray and value.dtype == np.float64:
        array = value
    else:
        try:
            array = np.asarray(value)
        except ValueError as error:  # ragged nested lists
            raise ValueError(
                f"{name} must be a rectangular array of numbers; numpy could not make one "
                f"from {_describe(value)} ({error})"
            ) from None
        if array.dtype == object:
            array = _object_to_float(array, value, name)
        if not (np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)):
            raise TypeError(f"{name} must contain only numbers, got {_describe(value)}")
        if np.issubdtype(array.dtype, np.complexfloating):
            raise TypeError(f"{name} must be real numbers, got complex values in {_describe(value)}")
        with np.errstate(over="ignore"):  # np.longdouble beyond float64: checked just below
            converted = array.astype(np.float64)
        if np.issubdtype(array.dtype, np.floating) and np.any(np.isfinite(array) & ~np.isfinite(converted)):
            raise ValueError(f"{name} must be within float64's range (±{_FLOAT_MAX:.4g}), got {_describe(value)}")
        array = converted
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
    if finite and not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))
        where = tuple(int(i) for i in bad[0]) if array.ndim else ()
        raise ValueError(
            f"{name} must contain only finite numbers, got {array[where] if where else array} "
            f"at index {where} ({len(bad)} non-finite value(s) in all)"
        )
    return array


def _object_to_float(array: NDArray, value: Any, name: str) -> NDArray:
    """An object array of Python numbers (ints too large for float64, say) as float64, or a clear error."""
    items = list(array.flat)
    if not all(isinstance(v, (numbers.Real, np.number)) and not isinstance(v, (str, bytes)) for v in items):
        raise TypeError(f"{name} must contain only numbers, got {_describe(value)}")
    for v in items:
        if isinstance(v, numbers.Integral) and abs(int(v)) > _FLOAT_MAX:
            raise ValueError(
                f"{name} must be within float64's range (±{_FLOAT_MAX:.4g}), got an integer with "
                f"{len(str(abs(int(v))))} digits"
            )
    return np.array([float(v) for v in items], dtype=np.float64).reshape(array.shape)


def function_value(value: Any, name: str, where: str) -> NDArray[np.float64]:
    """What a reader's function ``name`` returned at ``where``, as float64 (real numbers; NaN allowed)."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must return numbers, got {_describe(value)} at {where}")
    return as_array(value, f"the value of {name} at {where}", allow_empty=True, finite=False)


def expression(value: Any, name: str, locals: dict | None = None) -> Any:
    """A finite SymPy expression (or matrix) from an expression, a number or a formula string.

    SymPy is imported here, when a module that needs it calls this check.
    """
    import sympy

    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, numbers.Number, sympy.Basic, sympy.MatrixBase)):
        raise TypeError(f"{name} must be a SymPy expression, a number or a formula string, got {_describe(value)}")
    if isinstance(value, numbers.Number) and not isinstance(value, sympy.Basic):
        real_number(value, name)  # a real number within float64's range
    try:
        expr = sympy.sympify(value, locals=locals)
    except (sympy.SympifyError, SyntaxError, TypeError) as error:
        raise ValueError(f"could not read {name} {value!r} as a formula: {error}") from None
    if not isinstance(expr, (sympy.Expr, sympy.MatrixBase)):
        raise TypeError(f"{name} must be a SymPy expression, got {_describe(value)}")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ValueError(f"{name} must be finite, got {expr} (a division by zero or an infinity)")
    return expr


def check_size(n_values: Any, name: str, what: str) -> None:
    """Refuse a request whose arrays would hold more than the memory budget, before allocating them.

    ``n_values`` is the number of float64 values the call would store; ``name`` the
    argument (or arguments) that set it; ``what`` the arrays, for the message.
    """
    count = int(n_values)
    if count * 8 > MEMORY_BUDGET_BYTES:
        size = f"{count:.3g}" if count < 1e300 else f"about 10^{len(str(count)) - 1}"
        gigabytes = f"{count * 8 / 2**30:.3g}" if count < 1e300 else f"about 10^{len(str(count * 8 // 2**30)) - 1}"
        raise ValueError(
            f"{name} asks for {what} of {size} numbers ({gigabytes} GB), more than "
            f"nnmath's budget of {_BUDGET_TEXT} per call; use a smaller {name}"
        )


class Overflow(ValueError):
    """A result beyond float64's range. A ValueError for a reader's call; the descent
    loops (``nnmath.optim``) report it as divergence, since a diverging run's
    gradient overflows before its iterate does."""


def finite_result(result: Any, what: str, hint: str = "") -> Any:
    """``result`` (an array, a number, or a tuple of them) if every value is finite, else an
    :class:`Overflow` saying that ``what`` overflowed."""
    parts = result if isinstance(result, tuple) else (result,)
    if not all(np.isfinite(np.asarray(part)).all() for part in parts):
        raise Overflow(
            f"{what} overflowed: the result is beyond float64's range (±{_FLOAT_MAX:.4g})"
            + (f"; {hint}" if hint else "")
        )
    return result


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
    try:
        with np.errstate(over="ignore"):
            real = float(value)
    except OverflowError:  # a Python int beyond float64
        raise ValueError(
            f"{name} must be within float64's range (±{_FLOAT_MAX:.4g}), got an integer with "
            f"{len(str(abs(int(value))))} digits"
        ) from None
    if not np.isfinite(real):
        if np.isfinite(value):
            raise ValueError(f"{name} must be within float64's range (±{_FLOAT_MAX:.4g}), got {value!r}")
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return real


def interval(value: Any, name: str) -> tuple[float, float]:
    """A pair ``(low, high)`` of real numbers with ``low < high``, as floats."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {_describe(value)}")
    low = real_number(value[0], f"{name}[0]")
    high = real_number(value[1], f"{name}[1]")
    if not low < high:
        given = tuple(v.item() if hasattr(v, "item") else v for v in value)
        raise ValueError(f"{name} must be (low, high) with low < high, got {given}")
    with np.errstate(over="ignore"):
        width = np.float64(high) - np.float64(low)
    if not np.isfinite(width):
        raise ValueError(f"{name} is too wide: high - low = {high:g} - ({low:g}) is beyond float64's range; "
                         f"use a narrower {name}")
    return low, high


def whole_number(value: Any, name: str, *, minimum: int = 0, maximum: int | None = None, why: str = "") -> int:
    """An integer at least ``minimum`` (and at most ``maximum``, for the reason ``why``)."""
    # A plain int, the usual case, skips the slower checks against the numbers ABCs
    # (type(True) is bool, so True and False still take them and are refused).
    if type(value) is not int and (isinstance(value, (bool, np.bool_))
                                   or not isinstance(value, (numbers.Integral, np.integer))):
        raise TypeError(f"{name} must be a whole number (int), got {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        shown = value if value < 10**30 else f"a number with {len(str(int(value)))} digits"
        raise ValueError(f"{name} must be at most {maximum}{f' ({why})' if why else ''}, got {shown}")
    return int(value)


def flag(value: Any, name: str) -> bool:
    """True or False (a NumPy bool too), or a TypeError: an array or a number is not a switch."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


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
