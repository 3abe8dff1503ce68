r"""Check your own answers to the book's exercises with one line.

See the chapter :ref:`chapter-derivatives`.

Each checker returns a :class:`Feedback` that prints as a sentence saying
whether the answer is right and, if not, why — where it goes wrong and what
kind of mistake it looks like (a flipped sign, a missing factor).

Examples
--------
>>> from nnmath.exercises import check_derivative
>>> check_derivative("6*x - 5", "3*x**2 - 5*x + 1")
Right: 6*x - 5 is the derivative of 3*x**2 - 5*x + 1 (SymPy shows they are equal).
"""

from __future__ import annotations

import numbers
import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import sympy

from . import _validate
from .functions import ScalarFunction
from .symbolic import same

__all__ = ["Feedback", "check_derivative", "check_number"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on an answer: ``correct`` and a ``message`` that explains it.

    See the chapter :ref:`chapter-derivatives`.

    It is truthy when the answer is correct, so ``assert check_number(...)`` works.

    Attributes
    ----------
    correct : bool
        Whether the answer is right.
    message : str
        Why, in one or two sentences; ``print(feedback)`` shows it.

    Examples
    --------
    >>> from nnmath.exercises import check_number
    >>> feedback = check_number(0.25, 0.25)
    >>> feedback.correct, bool(feedback)
    (True, True)
    >>> feedback
    Right: your answer = 0.25 is correct.
    """

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        # 68 columns fit the code-output boxes of the book, also inside solution dropdowns.
        return textwrap.fill(self.message, width=68)

    __str__ = __repr__


def _parse(text: Any, name: str, symbols: dict[str, sympy.Symbol]) -> Any:
    if isinstance(text, sympy.Basic):
        return text
    if isinstance(text, numbers.Number) and not isinstance(text, bool):
        return sympy.nsimplify(text)
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a formula as a string like '3*x**2' or a SymPy expression, "
                        f"got {text!r} (type {type(text).__name__})")
    try:
        return sympy.sympify(text, locals=dict(symbols), convert_xor=True)
    except (sympy.SympifyError, SyntaxError, TypeError) as error:
        raise ValueError(f"could not read {name} {text!r} as a formula; write it in Python notation, "
                         f"for example '3*x**2 - 2*x' (multiplication needs *): {error}") from None


def _variables(expr: Any, variables: str | Sequence[str] | None) -> list[sympy.Symbol]:
    if variables is None:
        found = sorted(expr.free_symbols, key=lambda s: s.name)
        return found or [sympy.Symbol("x")]
    names = [variables] if isinstance(variables, str) else list(variables)
    return [sympy.Symbol(n) for n in names]


def check_derivative(
    answer: str | Any | Sequence[str | Any],
    function: str | Any | ScalarFunction,
    variables: str | Sequence[str] | None = None,
) -> Feedback:
    """Is ``answer`` the derivative (or gradient) of ``function``?

    See the chapter :ref:`chapter-derivatives`.

    SymPy first tries to show that the two are equal exactly; if it cannot
    decide, they are compared at 50 points. A wrong answer is explained: where
    it differs, by how much, and whether the sign or a constant factor is off.

    Parameters
    ----------
    answer : str or SymPy expression, or a list of them
        Your derivative, e.g. ``"6*x - 5"``; for a function of several
        variables, your partial derivatives in the order of ``variables``.
    function : str, SymPy expression or ScalarFunction
        The function, e.g. ``"3*x**2 - 5*x + 1"`` or ``nnmath.sigmoid``.
    variables : str or list of str, optional
        The variable names; by default the function's symbols in alphabetical order.

    Returns
    -------
    Feedback

    Raises
    ------
    ValueError
        If the answer cannot be read as a formula; the message shows the Python notation expected.

    Examples
    --------
    >>> from nnmath.exercises import check_derivative
    >>> check_derivative(["2*x*y", "x**2"], "x**2*y").correct
    True
    >>> check_derivative("-6*x + 5", "3*x**2 - 5*x + 1")
    Not yet: at x = 1 your answer gives -1 but the derivative is 1. Your answer is the negative of the derivative: check the signs.
    """
    if isinstance(function, ScalarFunction):
        name = variables if isinstance(variables, str) else "x"
        f = function.formula(sympy.Symbol(name))
    else:
        f = _parse(function, "function", {})
    symbols = _variables(f, variables)
    lookup = {s.name: s for s in symbols}
    f = f.subs({s: lookup[s.name] for s in f.free_symbols if s.name in lookup})
    answers = list(answer) if isinstance(answer, (list, tuple)) else [answer]
    if len(answers) != len(symbols):
        raise ValueError(f"answer must have one partial derivative per variable {[s.name for s in symbols]}, "
                         f"got {len(answers)}")
    mine = [_parse(a, "answer", lookup) for a in answers]
    truth = [sympy.diff(f, s) for s in symbols]
    stray = set().union(*(m.free_symbols for m in mine)) - set(symbols)
    if stray:
        return Feedback(False, f"Not yet: your answer uses {sorted(s.name for s in stray)}, which is not a "
                               f"variable of {f} (variables: {[s.name for s in symbols]}).")
    shown = ", ".join(str(m) for m in mine) if len(mine) > 1 else str(mine[0])
    what = "gradient" if len(symbols) > 1 else "derivative"
    if all(same(m, t) for m, t in zip(mine, truth)):
        return Feedback(True, f"Right: {shown} is the {what} of {f} (SymPy shows they are equal).")
    # SymPy could not show equality: compare numbers at seeded points.
    rng = np.random.default_rng(0)
    candidates = np.vstack([np.ones((1, len(symbols))), rng.uniform(-2.0, 2.0, size=(49, len(symbols)))])
    points = candidates.round(2)
    for index, (m, t) in enumerate(zip(mine, truth)):
        got_f = sympy.lambdify(symbols, m, "numpy")
        want_f = sympy.lambdify(symbols, t, "numpy")
        with np.errstate(all="ignore"):
            got = np.array([complex(got_f(*p)) for p in points])
            want = np.array([complex(want_f(*p)) for p in points])
        ok = np.isfinite(want) & (np.abs(want.imag) < 1e-12)
        if not ok.any():
            continue
        close = np.abs(got - want) <= 1e-9 * np.maximum(1.0, np.abs(want))
        if np.all(close[ok]):
            continue
        bad = int(np.flatnonzero(ok & ~close)[0])
        where = ", ".join(f"{s} = {v:g}" for s, v in zip(symbols, points[bad]))
        part = f"the partial derivative with respect to {symbols[index]}" if len(symbols) > 1 else "the derivative"
        message = (f"Not yet: at {where} your answer gives {got[bad].real:.6g} but {part} is "
                   f"{want[bad].real:.6g}.")
        if same(m, -t):
            message += " Your answer is the negative of the derivative: check the signs."
        else:
            ratio = sympy.simplify(m / t) if t != 0 else None
            if ratio is not None and ratio.is_number and ratio != 0:
                message += f" Your answer is {ratio} times the derivative: check the constant factors."
            elif same(m, f):
                message += " That is the function itself, not its derivative."
        return Feedback(False, message)
    return Feedback(True, f"Right: {shown} agrees with the {what} of {f} at 50 points "
                          "(SymPy could not simplify the difference to 0, but the numbers match).")


def check_number(
    answer: Any,
    expected: Any,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
) -> Feedback:
    """Is ``answer`` equal to ``expected`` within a relative tolerance?

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    answer : float or array_like
    expected : float or array_like
        The value computed by ``nnmath``.
    name : str
        What the number is, for the message.
    rtol, atol : float
        Relative and absolute tolerance. The default relative tolerance 1e-6
        accepts an answer rounded to about six significant digits.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        If ``answer`` is not a number or an array of numbers.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.exercises import check_number
    >>> check_number(8, nnmath.profit.derivative(1.0), name="P'(1)")
    Right: P'(1) = 8 is correct.
    >>> check_number(6, nnmath.profit.derivative(1.0), name="P'(1)")
    Not yet: P'(1) = 6 is too low (by 25%).
    """
    given = _validate.as_array(answer, name)
    target = _validate.as_array(expected, "expected")
    if given.shape != target.shape:
        return Feedback(False, f"Not yet: {name} has shape {given.shape}, but the answer has shape {target.shape}.")
    tol = _validate.positive_number(rtol, "rtol")
    floor = _validate.positive_number(atol, "atol")
    close = np.abs(given - target) <= np.maximum(tol * np.abs(target), floor)
    shown = np.array2string(given, precision=6) if given.ndim else f"{given.item():.6g}"
    if np.all(close):
        return Feedback(True, f"Right: {name} = {shown} is correct.")
    if given.ndim:
        i = tuple(int(k) for k in np.argwhere(~close)[0])
        return Feedback(False, f"Not yet: {name} differs from the answer at index {i}.")
    g, t = given.item(), target.item()
    if np.isclose(g, -t, rtol=tol, atol=floor):
        return Feedback(False, f"Not yet: {name} = {shown} has the wrong sign.")
    direction = "too high" if g > t else "too low"
    size = f" (by {100 * abs(g - t) / abs(t):.2g}%)" if t != 0 else ""
    return Feedback(False, f"Not yet: {name} = {shown} is {direction}{size}.")
