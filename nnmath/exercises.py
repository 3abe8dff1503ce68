r"""Check your own answers to the book's exercises with one line.

See the chapter :ref:`chapter-derivatives`.

Each checker returns a :class:`Feedback` that prints as a sentence saying
whether the answer is right and, if not, why — where it goes wrong and what
kind of mistake it looks like (a flipped sign, a missing factor).

A page calls an exercise by its name with the reader's answer alone,
``check("derivatives-limit", your_answer)``: the expected value is computed
here (the exercises are registered in ``nnmath/exercise_bank.py``), never
written in the page. ``check_number`` and ``check_derivative`` are the two
comparisons underneath; both recognise the usual slips by comparing the
answer with transformed versions of the right one.

Examples
--------
>>> from nnmath.exercises import check, check_derivative
>>> check_derivative("6*x - 5", "3*x**2 - 5*x + 1")
Right: 6*x - 5 is the derivative of 3*x**2 - 5*x + 1 (SymPy shows
they are equal).
>>> check_derivative("x**2 - 5*x + 1", "x**3 - 5*x + 1").correct
False
"""

from __future__ import annotations

import numbers
import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy

from . import _validate
from .functions import ScalarFunction
from .symbolic import same

__all__ = ["Exercise", "Feedback", "check", "check_derivative", "check_number", "exercise_names",
           "register_derivative", "register_number", "check_backward_rule"]


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
        if text.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ValueError(f"{name} {text} is not a finite formula (a division by zero or an infinity)")
        return text
    if isinstance(text, numbers.Number) and not isinstance(text, bool):
        return sympy.nsimplify(_validate.real_number(text, name))
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a formula as a string like '3*x**2' or a SymPy expression, "
                        f"got {text!r} (type {type(text).__name__})")
    try:
        expr = sympy.sympify(text, locals=dict(symbols), convert_xor=True)
    except (sympy.SympifyError, SyntaxError, TypeError) as error:
        raise ValueError(f"could not read {name} {text!r} as a formula; write it in Python notation, "
                         f"for example '3*x**2 - 2*x' (multiplication needs *): {error}") from None
    if not isinstance(expr, sympy.Basic):
        raise TypeError(f"{name} must be a formula like '3*x**2', got {text!r}, which SymPy reads as {expr!r}")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ValueError(f"{name} {text!r} is not a finite formula: SymPy reads it as {expr} "
                         "(a division by zero or an infinity)")
    return expr


def _variables(expr: Any, variables: str | Sequence[str] | None) -> list[sympy.Symbol]:
    if variables is None:
        found = sorted(expr.free_symbols, key=lambda s: s.name)
        return found or [sympy.Symbol("x")]
    names = [variables] if isinstance(variables, str) else variables
    if not isinstance(names, (list, tuple)) or not names or not all(isinstance(n, str) for n in names):
        raise TypeError(f"variables must be a variable name like 'x' or a list of names, got {variables!r}")
    return [sympy.Symbol(n) for n in names]


# ---------------------------------------------------------------------------
# Derivatives: the right answer, and the usual slips as transformed versions of it
# ---------------------------------------------------------------------------

def _sample_points(n_symbols: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    candidates = np.vstack([np.ones((1, n_symbols)), rng.uniform(-2.0, 2.0, size=(49, n_symbols))])
    return candidates.round(2)


def _values(expr: Any, symbols: list[sympy.Symbol], points: np.ndarray) -> np.ndarray:
    fn = sympy.lambdify(symbols, expr, "numpy")
    with np.errstate(all="ignore"):
        out = []
        for p in points:
            try:
                out.append(complex(fn(*p)))
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                out.append(complex(np.nan))
    return np.array(out)


def _close(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    return np.abs(got - want) <= 1e-9 * np.maximum(1.0, np.abs(want))


def _agrees(values: np.ndarray, expr: Any, symbols: list[sympy.Symbol], points: np.ndarray) -> bool:
    """Whether ``values`` (an answer at ``points``) equal ``expr`` wherever both are defined and real."""
    other = _values(expr, symbols, points)
    ok = np.isfinite(values) & np.isfinite(other) & (np.abs(other.imag) < 1e-12)
    return bool(ok.sum() >= 5 and np.all(_close(values[ok], other[ok])))


def _chain_sites(f: Any, x: sympy.Symbol) -> list[tuple[Any, Any, Any]]:
    """Every node ``F(u)`` of ``f`` whose argument ``u`` depends on ``x`` but is not ``x``:
    (node, u, dF/du as an expression in u)."""
    sites = []
    s = sympy.Dummy("u")
    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.Function) and len(node.args) == 1:
            u = node.args[0]
            outer = node.func(s)
        elif isinstance(node, sympy.Pow) and node.exp.is_number:
            u = node.base
            outer = s ** node.exp
        else:
            continue
        if u != x and u.has(x):
            sites.append((node, u, sympy.diff(outer, s).subs(s, u)))
    return sites


def _replace_node_derivative(f: Any, x: sympy.Symbol, node: Any, d_node: Any) -> Any:
    """df/dx with the derivative of one node replaced by ``d_node`` (a slip at that node only)."""
    e = sympy.Dummy("e")
    g = f.xreplace({node: e})
    return (sympy.diff(g, x) + sympy.diff(g, e) * d_node).subs(e, node)


def _slips(f: Any, x: sympy.Symbol, truth: Any, others: list[sympy.Symbol]) -> list[tuple[Any, str]]:
    """Wrong derivatives a reader is likely to write, each with the sentence that names the slip."""
    slips: list[tuple[Any, str]] = [
        (-truth, "Your answer is the negative of the derivative: check the signs."),
        (f, "That is the function itself, not its derivative."),
    ]
    for node, u, outer in _chain_sites(f, x):
        slips.append((_replace_node_derivative(f, x, node, outer),
                      f"The inner factor of the chain rule is missing: {node} is a function of "
                      f"u = {u}, so its derivative needs the factor du/d{x} = {sympy.diff(u, x)}."))
    for node in sympy.preorder_traversal(f):
        if isinstance(node, sympy.Pow) and node.exp.is_number and node.exp not in (0, 1) and node.base.has(x):
            n, base = node.exp, node.base
            inner = "" if base == x else " times the inner derivative"
            slips.append((_replace_node_derivative(f, x, node, base ** (n - 1) * sympy.diff(base, x)),
                          f"The power rule's factor is missing: the derivative of {node} is "
                          f"{n}*{base ** (n - 1)}{inner}; the exponent {n} comes down in front."))
    if f.is_polynomial(x) and sympy.degree(f, x) >= 2:
        poly = sympy.Poly(f, x)
        forgot = sum(c * x ** (k[0] - 1) for k, c in zip(poly.monoms(), poly.coeffs()) if k[0] >= 1)
        slips.append((forgot, f"The power rule's factor is missing: the derivative of {x}**n is "
                              f"n*{x}**(n - 1); the exponent n comes down in front."))
    terms = sympy.Add.make_args(sympy.expand(truth))
    if len(terms) > 1:
        for term in terms:
            slips.append((truth - 2 * term, f"One term has the wrong sign: the derivative has {term}, "
                                            f"your answer {-term}."))
    for term in sympy.Add.make_args(sympy.expand(f)):
        if term != 0 and not term.has(x):
            if term.free_symbols:
                sentence = (f"The term {term} does not depend on {x}, so its derivative with respect "
                            f"to {x} is 0.")
            else:
                sentence = f"The constant {term} should have vanished: the derivative of a constant is 0."
            slips.append((truth + term, sentence))
    for y in others:
        if y != x and f.has(y):
            slips.append((sympy.diff(f, y), f"That is the derivative with respect to {y}, not {x}."))
    return slips


def check_derivative(
    answer: str | Any | Sequence[str | Any],
    function: str | Any | ScalarFunction,
    variables: str | Sequence[str] | None = None,
) -> Feedback:
    """Is ``answer`` the derivative (or gradient) of ``function``?

    See the chapter :ref:`chapter-derivatives`.

    SymPy first tries to show that the two are equal exactly; if it cannot
    decide, they are compared at 50 points. A wrong answer is explained: where
    it differs, and which slip it looks like. The answer is compared with
    transformed versions of the right derivative: its negative, a constant
    multiple, the function itself, the chain rule without one inner factor,
    the power rule without its exponent factor, one term's sign flipped, a
    constant term kept instead of dropped, and the derivative with respect to
    another variable.

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
    Not yet: at x = 1 your answer gives -1 but the derivative is 1. Your
    answer is the negative of the derivative: check the signs.
    >>> check_derivative("exp(x**2)", "exp(x**2)")
    Not yet: at x = 1 your answer gives 2.71828 but the derivative is
    5.43656. That is the function itself, not its derivative.
    """
    if isinstance(function, ScalarFunction):
        name = variables if isinstance(variables, str) else "x"
        f = function.formula(sympy.Symbol(name))
    else:
        f = _parse(function, "function", {})
    symbols = _variables(f, variables)
    lookup = {s.name: s for s in symbols}
    f = f.subs({s: lookup[s.name] for s in f.free_symbols if s.name in lookup})
    lookup.update({s.name: s for s in f.free_symbols if s.name not in lookup})
    answers = list(answer) if isinstance(answer, (list, tuple)) else [answer]
    if len(answers) != len(symbols):
        raise ValueError(f"answer must have one partial derivative per variable {[s.name for s in symbols]}, "
                         f"got {len(answers)}")
    mine = [_parse(a, "answer", lookup) for a in answers]
    truth = [sympy.diff(f, s) for s in symbols]
    stray = set().union(*(m.free_symbols for m in mine)) - set(symbols) - f.free_symbols
    if stray:
        return Feedback(False, f"Not yet: your answer uses {sorted(s.name for s in stray)}, which is not a "
                               f"variable of {f} (variables: {[s.name for s in symbols]}).")
    shown = ", ".join(str(m) for m in mine) if len(mine) > 1 else str(mine[0])
    what = "gradient" if len(symbols) > 1 else "derivative"
    if all(same(m, t) for m, t in zip(mine, truth)):
        return Feedback(True, f"Right: {shown} is the {what} of {f} (SymPy shows they are equal).")
    # SymPy could not show equality: compare numbers at seeded points.
    evalsyms = symbols + sorted(f.free_symbols - set(symbols), key=lambda s: s.name)
    points = _sample_points(len(evalsyms))
    if len(symbols) > 1 and [str(m) for m in mine[::-1]] != [str(m) for m in mine]:
        swapped = [_values(m, evalsyms, points) for m in mine[::-1]]
        if all(_agrees(v, t, evalsyms, points) for v, t in zip(swapped, truth)):
            return Feedback(False, "Not yet: your partial derivatives are right but in the wrong order; "
                                   f"give them in the order {[s.name for s in symbols]}.")
    free = sorted(f.free_symbols, key=lambda s: s.name)
    for index, (m, t) in enumerate(zip(mine, truth)):
        got = _values(m, evalsyms, points)
        want = _values(t, evalsyms, points)
        ok = np.isfinite(want) & (np.abs(want.imag) < 1e-12)
        if not ok.any():
            continue
        close = _close(got, want)
        if np.all(close[ok]):
            continue
        bad = int(np.flatnonzero(ok & ~close)[0])
        where = ", ".join(f"{s} = {v:g}" for s, v in zip(evalsyms, points[bad]))
        part = f"the partial derivative with respect to {symbols[index]}" if len(symbols) > 1 else "the derivative"
        message = (f"Not yet: at {where} your answer gives {got[bad].real:.6g} but {part} is "
                   f"{want[bad].real:.6g}.")
        slips = _slips(f, symbols[index], t, free)
        for wrong, sentence in slips:
            if _agrees(got, wrong, evalsyms, points):
                return Feedback(False, f"{message} {sentence}")
        ratio = sympy.simplify(m / t) if t != 0 else None
        if ratio is not None and ratio.is_number and ratio != 0:
            return Feedback(False, f"{message} Your answer is {ratio} times the derivative: "
                                   "check the constant factors.")
        # No slip matches everywhere: name one that matches where the answer is first wrong.
        for wrong, sentence in slips:
            if "inner factor" in sentence:
                there = _values(wrong, evalsyms, points[bad:bad + 1])
                if np.isfinite(there[0]) and _close(got[bad:bad + 1], there)[0]:
                    return Feedback(False, f"{message} At {where} your answer equals the derivative "
                                           f"without an inner factor of the chain rule. {sentence}")
        return Feedback(False, message)
    return Feedback(True, f"Right: {shown} agrees with the {what} of {f} at 50 points "
                          "(SymPy could not simplify the difference to 0, but the numbers match).")


# ---------------------------------------------------------------------------
# Numbers: the right value, and the usual slips as transformed versions of it
# ---------------------------------------------------------------------------

def _factor_words(ratio: float) -> str:
    """'about 3.5 times', 'about 10^6 times', 'about 1/40 of', for a positive ratio far from 1."""
    if ratio >= 1:
        return f"about {ratio:.2g} times" if ratio < 100 else f"about 10^{round(np.log10(ratio))} times"
    if ratio > 0.01:
        return f"about 1/{1 / ratio:.2g} of"
    return f"about 10^{round(np.log10(ratio))} times"


def _number_slips(target: np.ndarray, quantities: Mapping[str, float]) -> list[tuple[np.ndarray, str]]:
    """Wrong values a reader is likely to give, each with the phrase that names the slip."""
    slips = [
        (-target, "has the wrong sign: it is the negative of the answer."),
        (2 * target, "is twice the answer: a factor of 2?"),
        (target / 2, "is half the answer: a missing factor of 2?"),
        (-2 * target, "is minus twice the answer: check the sign and a factor of 2."),
        (-target / 2, "is minus half the answer: check the sign and a factor of 2."),
    ]
    if np.all((target > 0) & (target < 1)):
        slips.append((1 - target, "is 1 minus the answer: the complement (1 - p, or σ(-z) "
                                  "instead of σ(z))?"))
    nonzero = np.all(target != 0)
    unit = np.all(np.isclose(np.abs(target), 1.0))
    if nonzero and not unit:
        with np.errstate(all="ignore"):
            slips.append((1 / target, "is the reciprocal of the answer: did you divide the wrong way round?"))
    for label, value in quantities.items():
        v = float(value)
        if v not in (0.0, 1.0, -1.0):
            slips += [
                (target * v, f"is {label} times the answer ({label} = {v:g}): an extra factor of {label}?"),
                (target / v, f"is the answer divided by {label} ({label} = {v:g}): a missing factor of {label}?"),
            ]
        if v != 0.0:
            slips += [
                (target + v, f"is the answer plus {label} ({label} = {v:g}): off by {label}?"),
                (target - v, f"is the answer minus {label} ({label} = {v:g}): off by {label}?"),
            ]
    if np.all(target == np.round(target)) and np.all(np.abs(target) >= 2):
        slips += [(target + 1, "is one more than the answer: an off-by-one count?"),
                  (target - 1, "is one less than the answer: an off-by-one count?")]
    if nonzero and not unit:
        with np.errstate(all="ignore"):
            slips += [(target ** 2, "is the square of the answer: one factor too many?"),
                      (target ** 3, "is the cube of the answer: the power is off?")]
            if np.all(target > 0):
                slips.append((np.sqrt(target), "is the square root of the answer: a factor missing?"))
    return slips


def check_number(
    answer: Any,
    expected: Any,
    *,
    name: str = "your answer",
    rtol: float = 1e-6,
    atol: float = 1e-9,
    quantities: Mapping[str, float] | None = None,
) -> Feedback:
    """Is ``answer`` equal to ``expected`` within a relative tolerance?

    See the chapter :ref:`chapter-derivatives`.

    A wrong answer is compared with the usual slips: the wrong sign, a factor
    2 or 1/2, the reciprocal, a square, cube or square root, an off-by-one
    count, the complement ``1 - answer`` of a number between 0 and 1, and a
    factor or offset equal to one of the exercise's named ``quantities``
    (such as ``{"N": 7}``). A slip is recognised within a relative 1e-4 (or
    ``rtol``, if larger), so a slip rounded to four digits is still named. If none matches, the message says
    in which direction and roughly by how much the answer is off.

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
    quantities : mapping of str to float, optional
        The exercise's named quantities, e.g. ``{"N": 7, "the width": 32}``.

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
    >>> check_number(0.5, 0.25)
    Not yet: your answer = 0.5 is twice the answer: a factor of 2?
    """
    given = _validate.as_array(answer, name, finite=False)
    target = _validate.as_array(expected, "expected")
    if quantities is not None and not isinstance(quantities, Mapping):
        raise TypeError(f"quantities must be a dict of names to numbers, got {_validate._describe(quantities)}")
    if given.shape != target.shape:
        return Feedback(False, f"Not yet: {name} has shape {given.shape}, but the answer has shape {target.shape}.")
    tol = _validate.positive_number(rtol, "rtol")
    floor = _validate.positive_number(atol, "atol")
    shown = np.array2string(given, precision=6) if given.ndim else f"{given.item():.6g}"
    if not np.all(np.isfinite(given)):
        return Feedback(False, f"Not yet: {name} = {shown} is not a finite number; the answer is.")

    def close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.abs(a - b) <= np.maximum(tol * np.abs(b), floor)

    if np.all(close(given, target)):
        return Feedback(True, f"Right: {name} = {shown} is correct.")
    # A slip is recognised in an answer rounded to four digits, even when the answer must be exact.
    slip_tol = max(tol, 1e-4)
    with np.errstate(over="ignore"):  # a slip beyond float64 (twice 1e308) is skipped below, as not finite
        slips = _number_slips(target, dict(quantities or {}))
    for wrong, phrase in slips:
        with np.errstate(all="ignore"):
            near = np.abs(given - wrong) <= np.maximum(slip_tol * np.abs(wrong), floor)
        if np.all(np.isfinite(wrong)) and np.all(near):
            return Feedback(False, f"Not yet: {name} = {shown} {phrase}")
    if given.ndim:
        i = tuple(int(k) for k in np.argwhere(~close(given, target))[0])
        return Feedback(False, f"Not yet: {name} differs from the answer at index {i}.")
    g, t = given.item(), target.item()
    direction = "too high" if g > t else "too low"
    if g == 0:
        return Feedback(False, f"Not yet: {name} = {shown} is {direction}; the answer is not 0.")
    if t == 0:
        return Feedback(False, f"Not yet: {name} = {shown} is {direction}; the answer is 0.")
    with np.errstate(all="ignore"):
        ratio = g / t
    if ratio < 0:
        return Feedback(False, f"Not yet: {name} = {shown} has the wrong sign, and its size is off too.")
    if not np.isfinite(ratio) or ratio >= 2 or ratio <= 0.5:
        size = "more than 10^300 times" if not np.isfinite(ratio) else _factor_words(ratio)
        return Feedback(False, f"Not yet: {name} = {shown} is {direction}: {size} the answer.")
    return Feedback(False, f"Not yet: {name} = {shown} is {direction} (by {100 * abs(ratio - 1):.2g}%).")


# ---------------------------------------------------------------------------
# The registry of the book's exercises: check("name", your_answer)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Exercise:
    """One exercise of the book: what is asked, and how its answer is computed.

    See the chapter :ref:`chapter-derivatives`.

    Attributes
    ----------
    name : str
        The name a page passes to :func:`check`, e.g. ``"derivatives-limit"``.
    what : str
        How the answer is called in the feedback, e.g. ``"P'(5)"``.
    expected : callable or None
        For a number: a function of no arguments returning the right value.
    function : str, callable or None
        For a derivative: the function to differentiate, or a function of no
        arguments returning it (a formula string, SymPy expression or ScalarFunction).
    variables : str, list of str or None
        For a derivative: the variables, in the order the answer gives them.
    quantities : mapping of str to float
        Named quantities of the exercise, for the feedback (``{"N": 7}``).
    rtol : float
        Relative tolerance of a number.
    """

    name: str
    what: str
    expected: Callable[[], Any] | None = None
    function: Any = None
    variables: str | Sequence[str] | None = None
    quantities: Mapping[str, float] | None = None
    rtol: float = 1e-6

    def check(self, answer: Any) -> Feedback:
        """Compare ``answer`` with this exercise's right answer, computed now.

        Parameters
        ----------
        answer : number, array_like, formula string or list of formula strings
            The reader's answer.

        Returns
        -------
        Feedback

        Examples
        --------
        >>> from nnmath.exercises import Exercise
        >>> Exercise("half", "x", expected=lambda: 0.5).check(1.0)
        Not yet: x = 1 is twice the answer: a factor of 2?
        """
        if self.expected is not None:
            return check_number(answer, self.expected(), name=self.what, rtol=self.rtol,
                                quantities=self.quantities)
        function = self.function() if callable(self.function) and not isinstance(
            self.function, ScalarFunction) else self.function
        return check_derivative(answer, function, self.variables)


_REGISTRY: dict[str, Exercise] = {}


def _register(exercise: Exercise) -> Exercise:
    if not isinstance(exercise.name, str) or not exercise.name:
        raise TypeError(f"name must be a non-empty string, got {exercise.name!r}")
    if exercise.name in _REGISTRY:
        raise ValueError(f"an exercise named {exercise.name!r} is already registered")
    _REGISTRY[exercise.name] = exercise
    return exercise


def register_number(name: str, expected: Callable[[], Any], *, what: str = "your answer",
                    quantities: Mapping[str, float] | None = None, rtol: float = 1e-6) -> Exercise:
    """Register an exercise whose answer is a number (or an array), computed by ``expected()``.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    name : str
        The exercise's name, as pages pass it to :func:`check`.
    expected : callable
        Returns the right value when called with no arguments (it is computed
        only when the exercise is checked).
    what : str
        How the answer is called in the feedback.
    quantities : mapping of str to float, optional
        The exercise's named quantities, so that an answer off by one of them is recognised.
    rtol : float
        Relative tolerance.

    Returns
    -------
    Exercise
    """
    if not callable(expected):
        raise TypeError(f"expected must be a function of no arguments returning the answer, got {expected!r}")
    return _register(Exercise(name, what, expected=expected, quantities=quantities, rtol=rtol))


def register_derivative(name: str, function: Any, *, variables: str | Sequence[str] | None = None,
                        what: str = "your derivative") -> Exercise:
    """Register an exercise whose answer is the derivative (or gradient) of ``function``.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    name : str
        The exercise's name, as pages pass it to :func:`check`.
    function : str, SymPy expression, ScalarFunction, or a callable returning one
        The function to differentiate.
    variables : str or list of str, optional
        The variables, in the order of the answer's partial derivatives.
    what : str
        How the answer is called in the feedback.

    Returns
    -------
    Exercise
    """
    return _register(Exercise(name, what, function=function, variables=variables))


def _load_bank() -> None:
    from . import exercise_bank  # noqa: F401  (registers the book's exercises on import)


def exercise_names() -> list[str]:
    """The names of the book's exercises, as :func:`check` accepts them.

    See the chapter :ref:`chapter-derivatives`.

    Examples
    --------
    >>> from nnmath.exercises import exercise_names
    >>> "derivatives-limit" in exercise_names()
    True
    """
    _load_bank()
    return sorted(_REGISTRY)


def check(name: str, answer: Any) -> Feedback:
    """Check your answer to the book's exercise ``name``.

    See the chapter :ref:`chapter-derivatives`.

    The right answer is computed by ``nnmath`` when you call this, and is not
    shown; a wrong answer gets a sentence naming the likely slip.

    Parameters
    ----------
    name : str
        The exercise's name, given in the exercise, e.g. ``"derivatives-limit"``.
    answer : number, array_like, formula string or list of formula strings
        Your answer: a number for a numeric exercise, a formula in Python
        notation (``"6*x - 5"``) for a derivative.

    Returns
    -------
    Feedback

    Raises
    ------
    ValueError
        If no exercise has that name; the message lists the closest names.

    Examples
    --------
    >>> from nnmath.exercises import check
    >>> check("derivatives-limit", "6*x - 5").correct
    True
    >>> check("derivatives-limit", "6*x - 4")
    Not yet: at x = 1 your answer gives 2 but the derivative is 1. The
    constant 1 should have vanished: the derivative of a constant is 0.
    """
    _load_bank()
    if not isinstance(name, str) or name not in _REGISTRY:
        import difflib

        near = difflib.get_close_matches(str(name), list(_REGISTRY), n=3)
        hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else \
            f"; the exercises are {sorted(_REGISTRY)}"
        raise ValueError(f"name must be the name of one of the book's exercises, got {name!r}{hint}")
    return _REGISTRY[name].check(answer)


# ---------------------------------------------------------------------------


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


