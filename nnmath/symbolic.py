r"""SymPy derivations the book shows step by step, and :func:`verify`.

See the chapter :ref:`chapter-derivatives`.

Every formula the book derives is derived here (or in the page with SymPy) and
then checked three ways by :func:`verify`: the SymPy result, the package's
numeric code, and a finite difference must agree on a grid of points.

This module imports SymPy; ``import nnmath`` does not load it until it is used.
"""

from __future__ import annotations

import numbers

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import sympy
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .calculus import numerical_jacobian
from .functions import ScalarFunction

__all__ = [
    "Derivation",
    "Step",
    "VerificationError",
    "VerifyReport",
    "activation_derivative",
    "derivative_from_limit",
    "same",
    "softmax_cross_entropy_gradient",
    "softmax_jacobian_derivation",
    "verify",
]


@dataclass(frozen=True)
class Step:
    """One line of a derivation: what was done, and the expression it gave.

    See the chapter :ref:`chapter-derivatives`.

    Attributes
    ----------
    reason : str
        What was done, in words (``"expand"``, ``"let h → 0"``).
    expr : sympy expression
        The expression after this step.
    latex : str
        The expression in LaTeX, as displayed.

    Examples
    --------
    >>> import nnmath, nnmath.symbolic as sym
    >>> step = sym.derivative_from_limit(nnmath.profit).steps[-1]
    >>> step.reason, step.expr
    ('let h → 0', 12 - 4*x)
    """

    reason: str
    expr: Any
    latex: str


@dataclass
class Derivation:
    """A derivation: a list of steps ending in ``result``.

    See the chapter :ref:`chapter-derivatives`.

    In a notebook it displays as aligned equations with the reason for each
    step; ``str()`` gives a plain-text version.

    Attributes
    ----------
    lhs : str
        The left-hand side in LaTeX, such as ``"P'(x)"``.
    steps : list of Step
        The steps in order; ``result`` is the expression of the last.

    Examples
    --------
    >>> import nnmath, nnmath.symbolic as sym
    >>> derivation = sym.derivative_from_limit(nnmath.profit)
    >>> len(derivation.steps), derivation.result
    (5, 12 - 4*x)
    """

    lhs: str
    steps: list[Step] = field(default_factory=list)

    @property
    def result(self) -> Any:
        """The expression of the last step."""
        return self.steps[-1].expr

    def add(self, reason: str, expr: Any, latex: str | None = None) -> "Derivation":
        """Append a step and return the derivation itself, so that calls can be chained.

        Parameters
        ----------
        reason : str
            What was done, in words (``"expand"``, ``"let h → 0"``).
        expr : sympy expression
            The expression after this step.
        latex : str, optional
            How to display it; by default ``sympy.latex(expr)``.

        Returns
        -------
        Derivation
            This derivation, with the new :class:`Step` as its last.

        Examples
        --------
        >>> import sympy
        >>> from nnmath.symbolic import Derivation
        >>> x = sympy.Symbol("x")
        >>> d = (Derivation("f'(x)").add("power rule", 2 * x)
        ...      .add("at x = 1", sympy.Integer(2)))
        >>> d
        Derivation of f'(x):
          = 2*x    (power rule)
          = 2    (at x = 1)
        >>> d.steps[0].latex, d.result
        ('2 x', 2)
        """
        self.steps.append(Step(reason, expr, latex if latex is not None else sympy.latex(expr)))
        return self

    def _repr_latex_(self) -> str:
        rows = []
        for i, step in enumerate(self.steps):
            left = self.lhs if i == 0 else ""
            rows.append(rf"\scriptsize\text{{{step.reason}}} && {left} &= {step.latex}")
        return r"$$\begin{aligned}" + r" \\[4pt] ".join(rows) + r"\end{aligned}$$"

    def __str__(self) -> str:
        return "\n".join(f"  = {sympy.sstr(s.expr)}    ({s.reason})" for s in self.steps)

    def __repr__(self) -> str:
        return f"Derivation of {self.lhs}:\n{self}"


def same(a: Any, b: Any) -> bool:
    """Whether SymPy can show two expressions (or matrices) are equal: ``simplify(a - b) == 0``.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    a, b : sympy expression, sympy Matrix or number
        Matrices must have the same shape.

    Returns
    -------
    bool
        ``True`` when the difference simplifies to zero. ``False`` means SymPy
        could not show it, which is usually, but not always, a real difference.

    Examples
    --------
    >>> import sympy
    >>> from nnmath.symbolic import same
    >>> x = sympy.Symbol("x")
    >>> same(sympy.sin(x) ** 2 + sympy.cos(x) ** 2, 1)
    True
    """
    difference = sympy.simplify(_validate.expression(a, "a") - _validate.expression(b, "b"))
    if isinstance(difference, sympy.MatrixBase):
        return all(entry == 0 for entry in difference)
    return difference == 0


def derivative_from_limit(function: ScalarFunction | Any, x: sympy.Symbol | None = None) -> Derivation:
    r"""The derivative from the limit definition, every algebra step shown.

    See the chapter :ref:`chapter-derivatives`.

    .. math:: f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}

    Steps: write the difference quotient; substitute the function; expand the
    numerator; cancel :math:`h`; let :math:`h \to 0`. Each algebraic step is
    checked by SymPy to equal the previous one (a :class:`VerificationError`
    otherwise), and the limit is checked against ``sympy.diff``.

    Parameters
    ----------
    function : ScalarFunction or sympy expression
        For example :data:`nnmath.profit`, or ``-2*x**2 + 12*x - 10``.
    x : sympy.Symbol, optional
        The variable (default: a real symbol ``x``).

    Returns
    -------
    Derivation

    Examples
    --------
    >>> import nnmath.symbolic as sym, nnmath
    >>> sym.derivative_from_limit(nnmath.profit).result
    12 - 4*x
    """
    x = sympy.Symbol("x", real=True) if x is None else x
    h = sympy.Symbol("h", real=True)
    if isinstance(function, ScalarFunction):
        expr = function.formula(x)
    else:  # a string or expression: its variable named like x becomes x itself
        expr = _validate.expression(function, "function", locals={x.name: x})
        expr = expr.subs({s: x for s in expr.free_symbols if s.name == x.name and s != x})
    name = function.latex if isinstance(function, ScalarFunction) else "f"
    shifted = expr.subs(x, x + h)
    numerator = shifted - expr
    quotient = numerator / h
    expanded = sympy.expand(numerator)
    cancelled = sympy.expand(sympy.cancel(expanded / h))
    limit = sympy.limit(cancelled, h, 0)
    d = Derivation(rf"{name}'(x)")
    d.add("definition", sympy.Limit(quotient, h, 0),
          rf"\lim_{{h \to 0}} \frac{{{name}(x + h) - {name}(x)}}{{h}}")
    d.add("substitute", quotient,
          rf"\lim_{{h \to 0}} \frac{{\bigl({sympy.latex(shifted)}\bigr) - \bigl({sympy.latex(expr)}\bigr)}}{{h}}")
    d.add("expand", expanded / h,
          rf"\lim_{{h \to 0}} \frac{{{sympy.latex(expanded)}}}{{h}}")
    d.add("cancel h", cancelled,
          rf"\lim_{{h \to 0}} \left({sympy.latex(cancelled)}\right)")
    d.add("let h → 0", limit)
    # Every algebraic step must equal the one before it; the limit must equal diff().
    for before, after in zip(d.steps[1:3], d.steps[2:4]):
        if not same(before.expr, after.expr):
            raise VerificationError(f"step '{after.reason}' does not follow from '{before.reason}'")
    if not same(limit, sympy.diff(expr, x)):
        raise VerificationError(f"the limit {limit} differs from sympy.diff: {sympy.diff(expr, x)}")
    return d


# Textbook forms of each activation's derivative, written in terms of the activation itself.
def _textbook_forms(z: sympy.Symbol) -> dict[str, Any]:
    s = 1 / (1 + sympy.exp(-z))
    return {
        "sigmoid": (s * (1 - s), r"\sigma(z)\,(1 - \sigma(z))"),
        "tanh": (1 - sympy.tanh(z) ** 2, r"1 - \tanh^2(z)"),
    }


def activation_derivative(activation: ScalarFunction, z: sympy.Symbol | None = None) -> Derivation:
    r"""The derivative of an activation's formula, simplified, in its textbook form.

    See the chapter :ref:`chapter-activations`.

    For the sigmoid the last step rewrites the derivative as
    :math:`\sigma(z)(1-\sigma(z))` and for tanh as :math:`1-\tanh^2(z)`,
    each checked by SymPy to equal ``diff`` of the formula.

    Parameters
    ----------
    activation : ScalarFunction
        For example :data:`nnmath.sigmoid` or :data:`nnmath.tanh`.
    z : sympy.Symbol, optional
        The variable; a real symbol ``z`` by default.

    Returns
    -------
    Derivation
        Its ``result`` is the derivative.

    Examples
    --------
    >>> import nnmath, nnmath.symbolic as sym
    >>> sym.activation_derivative(nnmath.tanh).result
    1 - tanh(z)**2
    """
    if not isinstance(activation, ScalarFunction):
        raise TypeError(f"activation must be an nnmath activation such as nnmath.sigmoid, "
                        f"got {_validate._describe(activation)}")
    if z is not None and not isinstance(z, sympy.Symbol):
        raise TypeError(f"z must be a sympy.Symbol or None, got {_validate._describe(z)}")
    z = sympy.Symbol("z", real=True) if z is None else z
    f = activation.formula(z)
    name = activation.latex
    raw = sympy.diff(f, z)
    simplified = sympy.simplify(raw)
    d = Derivation(rf"\frac{{d}}{{dz}} {name}(z)")
    d.add("differentiate the formula", sympy.Derivative(f, z),
          rf"\frac{{d}}{{dz}}\left({sympy.latex(f)}\right)")
    d.add("SymPy's derivative", raw)
    if simplified != raw:
        d.add("simplify", simplified)
    forms = _textbook_forms(z)
    if activation.name in forms:
        textbook, latex = forms[activation.name]
        if not same(textbook, raw):
            raise VerificationError(f"the textbook form of {activation.name}' does not equal SymPy's derivative")
        d.add("the same thing, in terms of the function", textbook, latex)
    return d


def softmax_jacobian_derivation(n_classes: int = 3) -> tuple[sympy.Matrix, sympy.Matrix, Derivation]:
    r"""The Jacobian of softmax for ``n_classes`` logits, derived entry by entry.

    See the chapter :ref:`chapter-activations`.

    Parameters
    ----------
    n_classes : int
        The number of logits, at least 2.

    Returns
    -------
    z : sympy.Matrix, shape ``(n_classes, 1)``
        The column of logit symbols.
    J : sympy.Matrix, shape ``(n_classes, n_classes)``
        ``J[i, j]`` is :math:`\partial p_i/\partial z_j`, shown to equal
        :math:`p_i(\delta_{ij} - p_j)`, i.e. :math:`\operatorname{diag}(p) - p p^\top`.
    derivation : Derivation
        The steps.

    Raises
    ------
    ValueError
        If ``n_classes`` is below 2.

    Examples
    --------
    >>> import nnmath.symbolic as sym
    >>> z, J, derivation = sym.softmax_jacobian_derivation(2)
    >>> J.shape
    (2, 2)
    >>> sym.same(J[0, 0] + J[0, 1], 0)  # each row of the Jacobian sums to 0
    True
    """
    k = _validate.whole_number(n_classes, "n_classes", minimum=2, maximum=12,
                               why="SymPy's matrices grow as n_classes squared")
    z = sympy.Matrix(sympy.symbols(f"z1:{k + 1}", real=True))
    denominator = sum(sympy.exp(zi) for zi in z)
    p = sympy.Matrix([sympy.exp(zi) / denominator for zi in z])
    raw = p.jacobian(z)
    target = sympy.diag(*p) - p * p.T
    if not same(raw, target):
        raise VerificationError("softmax Jacobian does not simplify to diag(p) - p p^T")
    d = Derivation(r"\frac{\partial p}{\partial z}")
    d.add("differentiate each p by each z", raw)
    d.add("which is diag(p) − p pᵀ", target,
          r"\operatorname{diag}(p) - p\,p^\top, \quad p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}")
    return z, target, d


def softmax_cross_entropy_gradient(n_classes: int = 3) -> tuple[sympy.Matrix, sympy.Matrix, sympy.Matrix, Derivation]:
    r"""The gradient of cross-entropy after softmax with respect to the logits, derived.

    See the chapter :ref:`chapter-losses`.

    With :math:`p = \operatorname{softmax}(z)` and :math:`L = -\sum_k t_k \log p_k`
    for targets with :math:`\sum_k t_k = 1`, SymPy differentiates and the
    result simplifies to :math:`\partial L / \partial z_j = p_j - t_j`.

    Parameters
    ----------
    n_classes : int
        The number of classes, at least 2.

    Returns
    -------
    z, t : sympy.Matrix, shape ``(n_classes, 1)``
        The logit and target symbols as columns.
    gradient : sympy.Matrix, shape ``(n_classes, 1)``
        :math:`\partial L / \partial z_j` for each ``j``.
    derivation : Derivation
        The steps.

    Raises
    ------
    ValueError
        If ``n_classes`` is below 2.

    Examples
    --------
    >>> import sympy, nnmath.symbolic as sym
    >>> z, t, gradient, derivation = sym.softmax_cross_entropy_gradient(2)
    >>> p0 = sympy.exp(z[0]) / (sympy.exp(z[0]) + sympy.exp(z[1]))
    >>> sym.same(gradient[0], p0 - t[0])
    True
    """
    k = _validate.whole_number(n_classes, "n_classes", minimum=2, maximum=12,
                               why="SymPy's matrices grow as n_classes squared")
    z = sympy.Matrix(sympy.symbols(f"z1:{k + 1}", real=True))
    t = sympy.Matrix(sympy.symbols(f"t1:{k + 1}", nonnegative=True))
    denominator = sum(sympy.exp(zi) for zi in z)
    p = sympy.Matrix([sympy.exp(zi) / denominator for zi in z])
    loss = -sum(t[i] * sympy.log(p[i]) for i in range(k))
    raw = sympy.Matrix([sympy.diff(loss, zj) for zj in z])
    # Use that the targets sum to one: replace the last target by 1 - (the others).
    constraint = {t[k - 1]: 1 - sum(t[:k - 1])}
    simplified = sympy.simplify(raw.subs(constraint))
    target = (p - t).subs(constraint)
    if not same(simplified, target):
        raise VerificationError("the softmax + cross-entropy gradient does not simplify to p - t")
    d = Derivation(r"\frac{\partial L}{\partial z}")
    d.add("differentiate L = -sum t_k log p_k", raw)
    d.add("use that the targets sum to 1", simplified,
          sympy.latex(simplified) + rf", \quad t_{{{k}}} = 1 - \textstyle\sum_{{k<{k}}} t_k")
    d.add("which is p - t", p - t, r"p - t")
    return z, t, p - t, d


# --- verify -------------------------------------------------------------------
class VerificationError(AssertionError):
    """A derivation and the numbers disagree (or a derivation step does not follow).

    See the chapter :ref:`chapter-derivatives`.

    Raised by :func:`verify`; the :class:`VerifyReport`, when there is one, is
    in ``.report``.

    Examples
    --------
    >>> import sympy, numpy as np
    >>> import nnmath.symbolic as sym
    >>> x = sympy.Symbol("x")
    >>> try:  # the derivative of x**2 is not x
    ...     sym.verify(x, x, lambda v: v ** 2, points=np.linspace(-1, 1, 5))
    ... except sym.VerificationError as error:
    ...     print(error.report.passed)
    False
    """

    def __init__(self, message: str, report: "VerifyReport | None" = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify` found: the largest difference of each pair, on how many points.

    See the chapter :ref:`chapter-derivatives`.

    Attributes
    ----------
    differences : dict of str to float
        The largest absolute difference of each compared pair.
    tolerances : dict of str to float
        The tolerance each pair had to meet.
    n_points : int
        The number of points compared.
    passed : bool
        Whether every difference is within its tolerance.

    Examples
    --------
    >>> import sympy, numpy as np
    >>> import nnmath.symbolic as sym
    >>> x = sympy.Symbol("x")
    >>> report = sym.verify(2 * x, x, lambda v: v ** 2, lambda v: 2 * v,
    ...                     points=np.linspace(-1, 1, 5))
    >>> report.passed, report.n_points
    (True, 5)
    """

    differences: dict[str, float]
    tolerances: dict[str, float]
    n_points: int
    passed: bool

    def __str__(self) -> str:
        verdict = "checked" if self.passed else "FAILED"
        width = max(len(pair) for pair in self.differences)
        lines = [f"{verdict} at {self.n_points} points; largest differences:"]
        for pair, value in self.differences.items():
            mark = "ok" if value <= self.tolerances[pair] else "TOO LARGE"
            lines.append(f"  {pair:<{width}}  {value:.1e}  (tolerance {self.tolerances[pair]:.0e}, {mark})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def _difference(a: NDArray[np.float64], b: NDArray[np.float64]) -> float:
    """Largest |a - b| / max(1, |a|, |b|): absolute for small values, relative for large."""
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))))


def verify(
    derivative: Any,
    variables: sympy.Symbol | Sequence[sympy.Symbol],
    function: Callable[[NDArray[np.float64]], ArrayLike],
    numeric_derivative: Callable[[NDArray[np.float64]], ArrayLike] | None = None,
    points: ArrayLike | None = None,
    *,
    numeric_tolerance: float = 1e-12,
    difference_tolerance: float = 1e-7,
) -> VerifyReport:
    r"""Check a symbolic derivative against numeric code and a finite difference.

    See the chapter :ref:`chapter-derivatives`.

    Three quantities are compared at every point: the SymPy ``derivative``
    evaluated there, ``numeric_derivative`` (the package's code, if given), and
    central finite differences of ``function``. The largest difference of each
    pair is measured as :math:`|a - b| / \max(1, |a|, |b|)`.

    Parameters
    ----------
    derivative : sympy expression, list/Matrix of expressions, or Derivation
        The derivative in ``variables``: one expression for a function of one
        variable; a gradient (one per variable) or a Jacobian (Matrix of shape
        ``(n_outputs, n_variables)``) otherwise.
    variables : sympy.Symbol or sequence of Symbol
    function : callable
        The function whose derivative this is, numerically (the package's
        function, or ``sympy.lambdify`` of the formula). For one variable it
        is called on arrays of points elementwise; otherwise on one point, a
        vector of length ``n_variables``.
    numeric_derivative : callable, optional
        The package's derivative, called like ``function``.
    points : array_like, optional
        Where to check: shape ``(n_points,)`` for one variable, ``(n_points,
        n_variables)`` otherwise. The default for one variable is 200 evenly
        spaced points in [-5, 5], which avoids 0 (a kink of ReLU). For several
        variables points are required.
    numeric_tolerance : float
        Largest allowed difference between SymPy and the numeric code:
        1e-12 allows round-off of a few hundred ulps in formulas evaluated
        in different but equivalent forms.
    difference_tolerance : float
        Largest allowed difference involving the central finite difference.
        With the default step :math:`h \approx 6\times10^{-6}` its truncation
        and round-off errors are each about :math:`10^{-11}` times the size of
        the function's third derivative and value; 1e-7 leaves a wide margin
        for steep functions while a wrong derivative is off by far more.

    Returns
    -------
    VerifyReport
        Printed in the book under each derivation: ``checked at 200 points;
        largest differences:`` followed by one line per pair.

    Raises
    ------
    VerificationError
        If any pair differs by more than its tolerance.

    Examples
    --------
    >>> import sympy, nnmath, nnmath.symbolic as sym
    >>> z = sympy.Symbol("z")
    >>> dsigma = sympy.diff(nnmath.sigmoid.formula(z), z)
    >>> sym.verify(dsigma, z, nnmath.sigmoid, nnmath.sigmoid.derivative).passed
    True
    """
    expr = derivative.result if isinstance(derivative, Derivation) else derivative
    entries = list(expr) if isinstance(expr, (list, tuple, sympy.MatrixBase)) else [expr]
    if not entries or isinstance(expr, str) or any(isinstance(e, str) for e in entries):
        raise TypeError(f"derivative must be a SymPy expression, a list of them or a Derivation, "
                        f"got {_validate._describe(derivative)}")
    for i, entry in enumerate(entries):
        _validate.expression(entry, "derivative" if len(entries) == 1 else f"derivative[{i}]")
    numeric_tolerance = _validate.positive_number(numeric_tolerance, "numeric_tolerance")
    difference_tolerance = _validate.positive_number(difference_tolerance, "difference_tolerance")
    single = isinstance(variables, sympy.Symbol)
    if not single and not isinstance(variables, (list, tuple)):
        raise TypeError(f"variables must be a sympy.Symbol or a list of them, got {_validate._describe(variables)}")
    symbols = [variables] if single else list(variables)
    if not symbols or not all(isinstance(s, sympy.Symbol) for s in symbols):
        raise TypeError(f"variables must be a sympy.Symbol or a list of them, got {variables!r}")
    _validate.callable_(function, "function")
    if numeric_derivative is not None:
        _validate.callable_(numeric_derivative, "numeric_derivative")
    if points is None:
        if not single:
            raise ValueError("points are required for a function of several variables: shape (n_points, n_variables)")
        points = np.linspace(-5.0, 5.0, 200)
    pts = _validate.as_array(points, "points", ndim=1 if single else 2)
    if not single and pts.shape[1] != len(symbols):
        raise ValueError(f"points must have shape (n_points, {len(symbols)}), got {pts.shape}")
    matrix = sympy.Matrix(expr) if isinstance(expr, (list, tuple, sympy.MatrixBase)) else sympy.Matrix([expr])
    extra = matrix.free_symbols - set(symbols)
    if extra:
        raise ValueError(f"the derivative contains symbols other than the variables: {sorted(map(str, extra))}; "
                         "substitute numbers for them first (expr.subs(...))")
    evaluate = sympy.lambdify(symbols, matrix, modules="numpy")

    def symbolic_at(point: NDArray[np.float64]) -> NDArray[np.float64]:
        args = [point] if single else list(point)
        return np.broadcast_to(np.asarray(evaluate(*args), dtype=np.float64), matrix.shape).ravel()

    def finite_difference(point: NDArray[np.float64]) -> NDArray[np.float64]:
        try:
            return numerical_jacobian(function, point).ravel()
        except (TypeError, ValueError) as error:  # its message speaks of "f", the argument of numerical_jacobian
            raise type(error)(f"function cannot be differentiated by finite differences at {point} (one of points): "
                              f"{error}") from None

    def numeric(point: NDArray[np.float64]) -> NDArray[np.float64]:
        value = _validate.function_value(numeric_derivative(point.copy()), "numeric_derivative", "points")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"numeric_derivative must return finite values at the points, got {value!r}")
        if single and value.size % len(point):
            raise ValueError(f"numeric_derivative must return one value per point, got shape {value.shape} "
                             f"for {len(point)} points")
        return value

    with np.errstate(all="ignore"):
        if single:
            sym_vals = np.stack([np.asarray(evaluate(p), dtype=np.float64).ravel() for p in pts])
            fd_vals = np.stack([finite_difference(np.array([p])) for p in pts])
            num_vals = None if numeric_derivative is None else numeric(pts).reshape(len(pts), -1)
        else:
            sym_vals = np.stack([symbolic_at(p) for p in pts])
            fd_vals = np.stack([finite_difference(p) for p in pts])
            num_vals = None if numeric_derivative is None else np.stack([numeric(p).ravel() for p in pts])
    if sym_vals.shape != fd_vals.shape:
        raise ValueError(f"the derivative has {sym_vals.shape[1]} entries per point, but finite differences of "
                         f"function give {fd_vals.shape[1]}: check that they describe the same function")
    differences: dict[str, float] = {}
    tolerances: dict[str, float] = {}
    if num_vals is not None:
        if num_vals.shape != sym_vals.shape:
            raise ValueError(f"numeric_derivative gives {num_vals.shape[1]} entries per point, the SymPy "
                             f"derivative {sym_vals.shape[1]}")
        differences["SymPy vs nnmath"] = _difference(sym_vals, num_vals)
        tolerances["SymPy vs nnmath"] = numeric_tolerance
    differences["SymPy vs finite difference"] = _difference(sym_vals, fd_vals)
    tolerances["SymPy vs finite difference"] = difference_tolerance
    if num_vals is not None:
        differences["nnmath vs finite difference"] = _difference(num_vals, fd_vals)
        tolerances["nnmath vs finite difference"] = difference_tolerance
    if not all(np.isfinite(v) for v in differences.values()):
        raise VerificationError(f"non-finite values in the comparison: {differences}")
    passed = all(differences[k] <= tolerances[k] for k in differences)
    report = VerifyReport(differences, tolerances, len(pts), passed)
    if not passed:
        failing = [f"{k}: {differences[k]:.2e} > {tolerances[k]:.0e}" for k in differences if differences[k] > tolerances[k]]
        raise VerificationError("verification failed: " + "; ".join(failing), report)
    return report
