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


# --- backward rules written by the reader (chapter: automatic differentiation) -------------------------
@dataclass(frozen=True)
class _BackwardRule:
    """An operation whose backward rule a reader writes, checked against finite differences of its forward pass."""

    signature: str  # how the reader's function is called, for messages
    inputs: tuple[str, ...]  # the names of the arguments that get derivatives, in the order of the result
    wrt: tuple[int, ...]  # their positions among the arguments
    forward: Callable[..., float]  # the operation's value (a scalar), from the same arguments
    points: tuple[tuple[Any, ...], ...]  # where the rule is tested
    mistakes: tuple[tuple[str, Callable[..., Any]], ...]  # common wrong rules, each with what it gets wrong


def _layer_forward(W: Any, a: Any, z_bar: Any) -> float:
    return float(z_bar @ (W @ a))  # the scalar whose gradient is the vector-Jacobian product


_LAYER_POINTS = tuple(
    (np.random.default_rng(seed).normal(size=(3, 4)), np.random.default_rng(seed + 10).normal(size=4),
     np.random.default_rng(seed + 20).normal(size=3))
    for seed in (1, 2)
)

_BACKWARD_RULES: dict[str, _BackwardRule] = {
    "power": _BackwardRule(
        "rule(x, k) -> d(x**k)/dx", ("x",), (0,), lambda x, k: x**k,
        ((2.0, 3), (0.5, 4), (1.5, -2), (3.0, 0.5)),
        (("you dropped the factor k in front: (x**k)' = k x**(k-1)", lambda x, k: x ** (k - 1)),
         ("the exponent should go down by one: (x**k)' = k x**(k-1), not k x**k", lambda x, k: k * x**k),
         ("the exponent should be k - 1, not k + 1", lambda x, k: k * x ** (k + 1)),
         ("that is the value x**k itself, not its derivative", lambda x, k: x**k)),
    ),
    "softplus": _BackwardRule(
        "rule(x) -> d softplus(x)/dx, where softplus(x) = log(1 + exp(x))", ("x",), (0,),
        lambda x: float(np.logaddexp(0.0, x)), ((-2.0,), (-0.3,), (0.0,), (0.7,), (2.5,)),
        (("that is the value softplus(x) itself, not its derivative", lambda x: float(np.logaddexp(0.0, x))),
         ("the chain rule needs the inner derivative: d log(u) = u'/u with u = 1 + e^x, so the factor e^x in "
          "the numerator is missing", lambda x: 1.0 / (1.0 + np.exp(x))),
         ("d log(u) = u'/u: the inner derivative e^x must still be divided by u = 1 + e^x", lambda x: np.exp(x))),
    ),
    "divide": _BackwardRule(
        "rule(a, b) -> (d(a/b)/da, d(a/b)/db)", ("a", "b"), (0, 1), lambda a, b: a / b,
        ((3.0, 2.0), (-1.0, 0.5), (2.0, -4.0)),
        (("the two partial derivatives are in the wrong order: return (d/da, d/db)",
          lambda a, b: (-a / b**2, 1.0 / b)),
         ("d(a/b)/db needs a minus sign: -a/b**2", lambda a, b: (1.0 / b, a / b**2)),
         ("d(a/b)/db is -a/b**2: b is squared", lambda a, b: (1.0 / b, -a / b)),
         ("d(a/b)/da is 1/b, not b", lambda a, b: (b, -a / b**2))),
    ),
    "layer": _BackwardRule(
        "rule(W, a, z_bar) -> (a_bar, W_bar) for z = W a", ("a", "W"), (1, 0), _layer_forward, _LAYER_POINTS,
        (("W_bar is the outer product z_bar a^T (shape like W), not a z_bar^T",
          lambda W, a, z_bar: (W.T @ z_bar, np.outer(a, z_bar))),
         ("a_bar and W_bar are returned in the wrong order: return (a_bar, W_bar)",
          lambda W, a, z_bar: (np.outer(z_bar, a), W.T @ z_bar))),
    ),
}


def _central(forward: Callable[..., float], args: tuple[Any, ...], index: int) -> Any:
    """The central difference of ``forward`` with respect to argument ``index`` (a number or an array)."""
    h = 1e-6
    value = np.asarray(args[index], dtype=np.float64)
    grad = np.zeros_like(value)
    for k in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[k] += h
        down[k] -= h
        step = up[k] - down[k]
        grad[k] = (forward(*args[:index], up if value.ndim else float(up), *args[index + 1:])
                   - forward(*args[:index], down if value.ndim else float(down), *args[index + 1:])) / step
    return grad if value.ndim else float(grad)


def _as_parts(result: Any, n: int) -> list[Any] | None:
    parts = [result] if n == 1 else (list(result) if isinstance(result, (tuple, list)) else None)
    if parts is None or len(parts) != n:
        return None
    try:
        return [np.asarray(p, dtype=np.float64) for p in parts]
    except (TypeError, ValueError):
        return None


def _short(value: Any) -> str:
    return f"{value.item():.6g}" if value.ndim == 0 else f"an array of shape {value.shape}"


def _matches(got: list[Any], want: list[Any]) -> bool:
    # The finite differences have errors of about 1e-9 here; 1e-6 relative accepts them and rejects any
    # mistake in a formula.
    return all(g.shape == w.shape and np.allclose(g, w, rtol=1e-6, atol=1e-7) for g, w in zip(got, want))


def check_backward_rule(name: str, rule: Callable[..., Any]) -> Feedback:
    r"""Is ``rule`` the right backward rule (local derivatives) for the operation ``name``?

    See the chapter :ref:`chapter-automatic-differentiation`.

    Your function is called at several points and its result compared with
    central finite differences of the operation's forward pass, computed here.
    A wrong rule is explained: if it is one of the common mistakes (a missing
    factor, a flipped sign, swapped partial derivatives, a missing
    transpose), the feedback names it; otherwise it says where it fails.

    Parameters
    ----------
    name : {"power", "softplus", "divide", "layer"}
        The operation:

        * ``"power"``: ``rule(x, k)`` returns :math:`\partial (x^k) / \partial x`;
        * ``"softplus"``: ``rule(x)`` returns the derivative of :math:`\log(1 + e^x)`;
        * ``"divide"``: ``rule(a, b)`` returns
          :math:`(\partial (a/b) / \partial a,\ \partial (a/b) / \partial b)`;
        * ``"layer"``: ``rule(W, a, z_bar)`` returns ``(a_bar, W_bar)``, the
          vector–Jacobian products of :math:`z = W a` with the adjoint
          ``z_bar``: :math:`\bar a`, shape ``(n_in,)``, and :math:`\bar W`,
          shape ``(n_out, n_in)``.
    rule : callable
        Your backward rule.

    Returns
    -------
    Feedback

    Raises
    ------
    ValueError
        If ``name`` is not one of the operations.
    TypeError
        If ``rule`` is not callable.

    Examples
    --------
    >>> from nnmath.exercises import check_backward_rule
    >>> check_backward_rule("power", lambda x, k: k * x ** (k - 1))
    Right: your rule for power agrees with finite differences at all 4 points.
    >>> print(check_backward_rule("power", lambda x, k: x ** (k - 1)))
    Not yet: at x = 2, k = 3 your rule gives 4, which does not match
    the finite difference: you dropped the factor k in front: (x**k)' =
    k x**(k-1).
    """
    task = _BACKWARD_RULES.get(name) if isinstance(name, str) else None
    if task is None:
        raise ValueError(f"name must be one of {sorted(_BACKWARD_RULES)}, got {name!r}")
    if not callable(rule):
        raise TypeError(f"rule must be a function, {task.signature}, got {rule!r} (type {type(rule).__name__})")
    n = len(task.inputs)
    names = {"power": ("x", "k"), "divide": ("a", "b"), "softplus": ("x",)}
    for args in task.points:
        where = ("a random W, a and z_bar" if name == "layer"
                 else ", ".join(f"{p} = {v:g}" for p, v in zip(names[name], args)))
        want = [np.asarray(_central(task.forward, args, i), dtype=np.float64) for i in task.wrt]
        try:
            with np.errstate(all="raise"):
                got = _as_parts(rule(*args), n)
        except Exception as error:  # the reader's code may fail in any way; say how
            hint = " Check the shapes: W is (n_out, n_in), a is (n_in,), z_bar is (n_out,)." if name == "layer" else ""
            return Feedback(False, f"Not yet: at {where} your rule raised {type(error).__name__}: {error}.{hint}")
        if got is None:
            what = "one number" if n == 1 else f"{n} results, in the order {task.inputs}"
            return Feedback(False, f"Not yet: your rule should return {what} ({task.signature}).")
        if _matches(got, want):
            continue
        shown = f"{got[0].item():.6g}" if n == 1 else f"({', '.join(_short(g) for g in got)})"
        message = f"Not yet: at {where} your rule gives {shown}, which does not match the finite difference"
        for why, mistake in task.mistakes:
            if _matches(got, _as_parts(mistake(*args), n)):
                return Feedback(False, f"{message}: {why}.")
        for i, (g, w) in enumerate(zip(got, want)):
            if g.shape != w.shape:
                return Feedback(False, f"{message}: the result for {task.inputs[i]} has shape {g.shape}, "
                                       f"but it must have the shape of {task.inputs[i]}, {w.shape}.")
            if np.allclose(g, -w, rtol=1e-6, atol=1e-7):
                return Feedback(False, f"{message}: the result for {task.inputs[i]} has the wrong sign.")
        wrong = [task.inputs[i] for i, (g, w) in enumerate(zip(got, want)) if not _matches([g], [w])]
        return Feedback(False, f"{message} (wrong: the derivative for {' and '.join(wrong)}).")
    return Feedback(True, f"Right: your rule for {name} agrees with finite differences at all "
                          f"{len(task.points)} points.")


__all__ += ["check_backward_rule"]
