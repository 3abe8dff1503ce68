r"""Finite differences and gradient checking.

The finite-difference formulas of the chapter :ref:`chapter-derivatives`,
used throughout the book as the independent check of every derivative:

* forward difference :math:`\frac{f(x+h) - f(x)}{h}`, error :math:`O(h)`;
* central difference :math:`\frac{f(x+h) - f(x-h)}{2h}`, error :math:`O(h^2)`.

Both lose accuracy again when :math:`h` is so small that round-off in
:math:`f(x+h) - f(x)` dominates; the default steps balance the two errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = [
    "GradientCheckError",
    "GradientCheckResult",
    "check_gradient",
    "check_hessian",
    "default_step",
    "difference_errors",
    "fit_order",
    "numerical_derivative",
    "numerical_gradient",
    "numerical_hessian",
    "numerical_jacobian",
]

_EPS = np.finfo(np.float64).eps


def default_step(method: str = "central") -> float:
    r"""The step :math:`h` that balances truncation and round-off error.

    See the chapter :ref:`chapter-derivatives`.

    For the forward difference the total error is about :math:`h/2\,|f''| +
    2\varepsilon/h\,|f|`, smallest near :math:`h = \sqrt{\varepsilon} \approx 1.5\times10^{-8}`;
    for the central difference about :math:`h^2/6\,|f'''| + \varepsilon/h\,|f|`,
    smallest near :math:`h = \varepsilon^{1/3} \approx 6.1\times10^{-6}`
    (:math:`\varepsilon` is the float64 machine epsilon). Steps are scaled by
    :math:`\max(1, |x|)` where they are used.

    Parameters
    ----------
    method : {"central", "forward"}
        The finite-difference formula.

    Returns
    -------
    float
        The step :math:`h` (before scaling).

    Raises
    ------
    ValueError
        For any other ``method``.

    Examples
    --------
    >>> import nnmath
    >>> f"{nnmath.default_step('central'):.1e}"
    '6.1e-06'
    >>> f"{nnmath.default_step('forward'):.1e}"
    '1.5e-08'
    """
    _validate.choice(method, "method", ("central", "forward"))
    return float(_EPS ** (1 / 3) if method == "central" else np.sqrt(_EPS))


def _step(h: float | None, method: str) -> float:
    return default_step(method) if h is None else _validate.positive_number(h, "h")


def _evaluate(f: Callable, x: NDArray[np.float64], what: str, name: str = "f") -> NDArray[np.float64]:
    """Call the reader's function ``name``, convert its value to float64 and insist that it is finite."""
    with np.errstate(all="ignore"):
        value = f(x)
    result = _validate.function_value(value, name, what)
    if not np.all(np.isfinite(result)):
        raise ValueError(f"{name} returned a non-finite value ({value!r}) at {what}; "
                         f"{'finite differences need f' if name == 'f' else f'{name} must be'} finite near x")
    return result


def numerical_derivative(
    f: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    h: float | None = None,
    method: str = "central",
) -> NDArray[np.float64] | np.float64:
    r"""The derivative of a function of one variable by finite differences.

    See the chapter :ref:`chapter-derivatives`.

    .. math:: f'(x) \approx \frac{f(x+h) - f(x-h)}{2h} \quad\text{(central)},\qquad
       f'(x) \approx \frac{f(x+h) - f(x)}{h} \quad\text{(forward)}

    Parameters
    ----------
    f : callable
        A function of one variable. If it works elementwise on arrays, ``x``
        may be an array of points and all are differentiated at once.
    x : float or array_like
        The point(s).
    h : float, optional
        The step, a positive number. By default :func:`default_step` times
        :math:`\max(1, |x|)`.
    method : {"central", "forward"}

    Returns
    -------
    float or ndarray, shaped like ``x``

    Raises
    ------
    TypeError, ValueError
        If ``f`` is not callable, ``x`` is not finite numbers, ``h <= 0``,
        ``method`` is unknown, or ``f`` is not finite near ``x``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> round(float(nnmath.numerical_derivative(np.sin, 0.0)), 10)
    1.0
    """
    _validate.callable_(f, "f")
    x = _validate.as_array(x, "x")
    _validate.choice(method, "method", ("central", "forward"))
    step = _step(h, method) * (np.maximum(1.0, np.abs(x)) if h is None else 1.0)
    # The step actually taken is (x + h) - x after rounding, which is 0 when h
    # is below the spacing of floating-point numbers at x.
    with np.errstate(over="ignore"):
        lower_x = x - step if method == "central" else x
        taken = (x + step) - lower_x
    _validate.finite_result(taken, "x ± h", "use a smaller h, or x further from the largest float")
    if np.any(taken == 0):
        raise ValueError(
            f"h = {float(np.min(step)):g} is too small to change x = {float(x.flat[int(np.argmin(taken))]):g} "
            "in floating point (x + h == x); use a larger h"
        )
    upper = _evaluate(f, x + step, "x + h")
    lower = _evaluate(f, lower_x, "x - h" if method == "central" else "x")
    if upper.shape != x.shape or lower.shape != x.shape:
        raise ValueError(
            f"f must return one value per point of x: x has shape {x.shape} but the "
            f"difference quotient has shape {np.broadcast_shapes(upper.shape, lower.shape)}"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        result = _validate.finite_result((upper - lower) / taken, "the difference quotient")
    return result[()] if result.ndim == 0 else result


def numerical_jacobian(
    f: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    h: float | None = None,
) -> NDArray[np.float64]:
    r"""The Jacobian :math:`J_{ij} = \partial f_i / \partial x_j` by central differences.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to an array (or a scalar).
    x : array_like
        The point.
    h : float, optional
        The step; by default :func:`default_step` times :math:`\max(1, |x_j|)`.

    Returns
    -------
    ndarray, shape ``np.shape(f(x)) + np.shape(x)``

    Raises
    ------
    TypeError
        If ``f`` is not callable or ``x`` is not numeric.
    ValueError
        If ``f`` returns values that are not finite.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> np.round(nnmath.numerical_jacobian(lambda v: v ** 2, [1.0, 2.0]), 8)
    array([[2., 0.],
           [0., 4.]])
    """
    _validate.callable_(f, "f")
    return _jacobian(f, _validate.as_array(x, "x"), h, "f")


def _jacobian(f: Callable, x: NDArray[np.float64], h: float | None, name: str) -> NDArray[np.float64]:
    """Central differences of ``f`` (called ``name`` in messages: "f", or "gradient" for a Hessian)."""
    step = _step(h, "central")
    out_shape = _evaluate(f, x.copy(), "x", name).shape
    jacobian = np.empty(out_shape + x.shape)
    flat_x = x.reshape(-1)
    flat_j = jacobian.reshape(int(np.prod(out_shape, dtype=int)), flat_x.size)
    for j in range(flat_x.size):
        h_j = step * max(1.0, abs(flat_x[j])) if h is None else step
        up, down = flat_x.copy(), flat_x.copy()
        with np.errstate(over="ignore"):
            up[j] += h_j
            down[j] -= h_j
            _validate.finite_result(up[j] - down[j], "x ± h", "use a smaller h, or x further from the largest float")
        if up[j] - down[j] == 0:
            raise ValueError(f"h = {h_j:g} is too small to change x[{j}] = {flat_x[j]:g} in floating point; use a larger h")
        where = f"x with entry {j} moved by ±h"
        f_up = _evaluate(f, up.reshape(x.shape), where, name)
        f_down = _evaluate(f, down.reshape(x.shape), where, name)
        if f_up.shape != out_shape or f_down.shape != out_shape:
            raise ValueError(f"{name} must return the same shape every time, got {out_shape} and {f_up.shape}")
        flat_j[:, j] = ((f_up - f_down) / (up[j] - down[j])).reshape(-1)
    return jacobian


def numerical_gradient(
    f: Callable[[NDArray[np.float64]], float],
    x: ArrayLike,
    h: float | None = None,
) -> NDArray[np.float64]:
    r"""The gradient of a scalar function of an array, by central differences.

    See the chapter :ref:`chapter-derivatives`.

    Entry :math:`j` is :math:`\frac{f(x + h e_j) - f(x - h e_j)}{2h}`: two
    evaluations of ``f`` for every entry of ``x``.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to one number.
    x : array_like
        The point, any shape.
    h : float, optional
        The step; by default :func:`default_step` times :math:`\max(1, |x_j|)`.

    Returns
    -------
    ndarray, shaped like ``x``

    Raises
    ------
    ValueError
        If ``f`` returns more than one number.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> def f(v):
    ...     return v[0] ** 2 + 3 * v[1]
    >>> np.round(nnmath.numerical_gradient(f, [1.0, 5.0]), 8)
    array([2., 3.])
    """
    _validate.callable_(f, "f")
    x_arr = _validate.as_array(x, "x")
    value = _evaluate(f, x_arr.copy(), "x")
    if value.size != 1:
        raise ValueError(
            f"f must return a single number for numerical_gradient, got shape {value.shape}; "
            "for a vector-valued f use numerical_jacobian"
        )
    return numerical_jacobian(lambda v: np.asarray(f(v), dtype=np.float64).reshape(()), x_arr, h)


def difference_errors(
    f: Callable[[NDArray[np.float64]], ArrayLike],
    derivative: Callable[[NDArray[np.float64]], ArrayLike],
    x: float,
    steps: ArrayLike,
) -> dict[str, NDArray[np.float64]]:
    """The absolute error of the forward and central differences for each step.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    f : callable
        The function.
    derivative : callable
        Its exact derivative (the reference).
    x : float
        The point.
    steps : array_like, shape (n_steps,)
        Positive steps ``h``.

    Returns
    -------
    dict
        ``{"h": steps, "forward": errors, "central": errors}``, each shape (n_steps,).

    Raises
    ------
    TypeError
        If ``f`` or ``derivative`` is not callable.
    ValueError
        If a step is not greater than 0.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> err = nnmath.difference_errors(np.exp, np.exp, 1.0, [1e-2, 1e-3])
    >>> bool(err["central"][1] < err["forward"][1])
    True
    """
    _validate.callable_(f, "f")
    _validate.callable_(derivative, "derivative")
    point = _validate.real_number(x, "x")
    hs = _validate.as_array(steps, "steps", ndim=1)
    if np.any(hs <= 0):
        raise ValueError(f"steps must all be greater than 0, got minimum {hs.min():g}")
    exact = _evaluate(derivative, np.array(point), "x", "derivative")
    if exact.size != 1:
        raise ValueError(f"derivative must return a single number at x, got shape {exact.shape}")
    exact = float(exact.reshape(()))
    forward, central = [], []
    for i, h in enumerate(hs):
        try:
            forward.append(numerical_derivative(f, point, h, "forward"))
            central.append(numerical_derivative(f, point, h, "central"))
        except ValueError as error:  # name the step that failed, not only f
            raise ValueError(f"with steps[{i}] = {h:g}: {error}") from None
    forward, central = np.array(forward), np.array(central)
    return {"h": hs, "forward": np.abs(forward - exact), "central": np.abs(central - exact)}


def fit_order(steps: ArrayLike, errors: ArrayLike) -> float:
    r"""The order :math:`p` in error :math:`\approx C h^p`: the slope of a straight line through log error vs log h.

    See the chapter :ref:`chapter-derivatives`.

    Fit it only where truncation error dominates (before round-off takes over):
    the forward difference gives about 1, the central difference about 2.

    Parameters
    ----------
    steps, errors : array_like, shape (n,)
        Positive steps and their positive errors, ``n >= 2``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``steps`` and ``errors`` differ in shape or hold a value that is not greater than 0.

    Examples
    --------
    >>> import nnmath
    >>> round(nnmath.fit_order([1e-1, 1e-2, 1e-3], [1e-2, 1e-4, 1e-6]), 6)
    2.0
    """
    hs = _validate.as_array(steps, "steps", ndim=1)
    errs = _validate.as_array(errors, "errors", ndim=1)
    _validate.check_same_shape(hs, "steps", errs, "errors")
    if hs.size < 2:
        raise ValueError(f"fit_order needs at least 2 points, got {hs.size}")
    if np.any(hs <= 0) or np.any(errs <= 0):
        raise ValueError("steps and errors must all be greater than 0 to be drawn on a log scale")
    if np.all(hs == hs[0]):
        raise ValueError(f"steps must not all be equal to fit a line, got {hs.size} copies of {hs[0]:g}")
    slope, _ = np.polyfit(np.log(hs), np.log(errs), 1)
    return float(slope)


class GradientCheckError(AssertionError):
    """Raised by :func:`check_gradient` when a gradient disagrees with finite differences.

    See the chapter :ref:`chapter-backpropagation`.

    The :class:`GradientCheckResult` is in ``.result``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> f = lambda x: float(np.sum(x ** 2))
    >>> wrong_gradient = lambda x: x  # should be 2 x
    >>> try:
    ...     nnmath.check_gradient(f, wrong_gradient, [1.0, 2.0])
    ... except nnmath.GradientCheckError as error:
    ...     print(error.result.passed, round(error.result.max_relative_error, 3))
    False 0.5
    """

    def __init__(self, result: "GradientCheckResult") -> None:
        super().__init__(str(result))
        self.result = result


@dataclass(frozen=True)
class GradientCheckResult:
    """What :func:`check_gradient` found.

    See the chapter :ref:`chapter-backpropagation`.

    Attributes
    ----------
    max_relative_error : float
        The largest relative error over all entries.
    worst_index : tuple of int
        Where it occurs.
    analytic, numeric : ndarray, shape like ``x``
        The two gradients compared.
    tolerance : float
        The largest relative error that passes.
    passed : bool
        Whether ``max_relative_error <= tolerance``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> result = nnmath.check_gradient(lambda x: float(np.sum(x ** 2)),
    ...                                lambda x: 2 * x, [1.0, 2.0])
    >>> result.passed, result.analytic
    (True, array([2., 4.]))
    """

    max_relative_error: float
    worst_index: tuple[int, ...]
    analytic: NDArray[np.float64]
    numeric: NDArray[np.float64]
    tolerance: float
    passed: bool

    def __str__(self) -> str:
        i = self.worst_index
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"gradient check {verdict}: largest relative error {self.max_relative_error:.1e} "
            f"(tolerance {self.tolerance:.0e}) at index {i}: analytic {self.analytic[i]:.10g}, "
            f"finite difference {self.numeric[i]:.10g}"
        )

    def __repr__(self) -> str:
        return str(self)


def check_gradient(
    f: Callable[[NDArray[np.float64]], float],
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    *,
    tolerance: float = 1e-6,
    h: float | None = None,
    raise_on_failure: bool = True,
) -> GradientCheckResult:
    r"""Compare a gradient function with central finite differences of ``f``.

    See the chapter :ref:`chapter-backpropagation`.

    The relative error of entry :math:`j` is

    .. math:: \frac{|g_j - n_j|}{\max(|g_j|, |n_j|, s)}, \qquad s = 10^{-3} \max(1, |f(x)|)

    where :math:`g` is the analytic gradient and :math:`n` the finite
    difference. Entries smaller than :math:`s` are compared absolutely
    (against :math:`s`), because the central difference carries an absolute
    round-off error of about :math:`\varepsilon |f| / h \approx 4\times10^{-11} |f|`
    whatever the size of the entry; relative to :math:`s` that is
    :math:`4\times10^{-8}`, 25 times below the default tolerance.

    Parameters
    ----------
    f : callable
        A scalar function of an array.
    gradient : callable
        The gradient to check; returns an array shaped like ``x``.
    x : array_like
        The point.
    tolerance : float
        The largest acceptable relative error. The default 1e-6 sits well
        above the finite-difference error of a correct gradient (about 1e-8
        for smooth functions of moderate size) and far below the error of a
        wrong one (a missing factor or sign gives errors of order 1).
    h : float, optional
        The finite-difference step (see :func:`numerical_gradient`).
    raise_on_failure : bool
        Raise :class:`GradientCheckError` when the check fails (default), or
        return the failing result.

    Returns
    -------
    GradientCheckResult

    Raises
    ------
    GradientCheckError
        If the largest relative error exceeds ``tolerance``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> nnmath.check_gradient(lambda v: np.sum(v ** 2), lambda v: 2 * v,
    ...                       [1.0, -2.0]).passed
    True
    """
    _validate.callable_(gradient, "gradient")
    tol = _validate.positive_number(tolerance, "tolerance")
    _validate.flag(raise_on_failure, "raise_on_failure")
    x_arr = _validate.as_array(x, "x")
    numeric = numerical_gradient(f, x_arr, h)
    analytic = _evaluate(gradient, x_arr.copy(), "x", "gradient")
    if analytic.shape != x_arr.shape:
        raise ValueError(
            f"gradient must return an array shaped like x: x has shape {x_arr.shape}, "
            f"gradient returned shape {analytic.shape}"
        )
    # Central differences carry an absolute round-off error of ~1e-10 |f|; entries below
    # 1e-3 max(1, |f|) are compared absolutely against that floor.
    floor = 1e-3 * max(1.0, abs(float(_evaluate(f, x_arr.copy(), "x"))))
    return _compare(analytic, numeric, floor, tol, raise_on_failure)


def numerical_hessian(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    h: float | None = None,
) -> NDArray[np.float64]:
    r"""The Hessian of a scalar function, by central differences of its gradient.

    See the chapter :ref:`chapter-momentum`.

    Column :math:`j` is :math:`\frac{\nabla f(x + h e_j) - \nabla f(x - h e_j)}{2h}`
    (:func:`numerical_jacobian` of the gradient), and the result is made
    symmetric, :math:`\tfrac12 (J + J^\top)`, as a Hessian of a smooth
    function is; the symmetrisation only averages round-off.

    Parameters
    ----------
    gradient : callable
        :math:`\nabla f`: maps a 1-D array ``x`` to an array of the same shape.
    x : array_like, shape (n,)
        The point.
    h : float, optional
        The step; by default :func:`default_step` times :math:`\max(1, |x_j|)`.

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    TypeError, ValueError
        For a non-callable ``gradient``, an ``x`` that is not 1-D, or a
        gradient that is not shaped like ``x``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> bowl = nnmath.QuadraticBowl([1.0, 10.0])          # f = v1^2 + 10 v2^2
    >>> nnmath.numerical_hessian(bowl.gradient, [0.3, -0.2]).round(6)
    array([[ 2.,  0.],
           [ 0., 20.]])
    """
    _validate.callable_(gradient, "gradient")
    x_arr = _validate.as_array(x, "x", ndim=1)
    g = _evaluate(gradient, x_arr.copy(), "x", "gradient")
    if g.shape != x_arr.shape:
        raise ValueError(
            f"gradient must return an array shaped like x: x has shape {x_arr.shape}, "
            f"gradient returned shape {g.shape}"
        )
    jacobian = _jacobian(gradient, x_arr, h, "gradient")
    return (jacobian + jacobian.T) / 2


def check_hessian(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    hessian: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    *,
    tolerance: float = 1e-6,
    h: float | None = None,
    raise_on_failure: bool = True,
) -> GradientCheckResult:
    r"""Compare a Hessian function with central differences of the gradient, as :func:`check_gradient` does.

    See the chapter :ref:`chapter-momentum`.

    The relative error of entry :math:`(i, j)` is

    .. math:: \frac{|H_{ij} - N_{ij}|}{\max(|H_{ij}|, |N_{ij}|, s)}, \qquad s = 10^{-3} \max(1, \max_i |\nabla_i f(x)|),

    with :math:`N` from :func:`numerical_hessian`: the floor :math:`s` plays
    the part it plays in :func:`check_gradient`, with the gradient in place
    of the function (the round-off of a difference of gradients is about
    :math:`\varepsilon |\nabla f| / h`).

    Parameters
    ----------
    gradient : callable
        :math:`\nabla f`, assumed right (check it first with :func:`check_gradient`).
    hessian : callable
        The Hessian to check; returns an ``(n, n)`` array for ``x`` of shape ``(n,)``.
    x : array_like, shape (n,)
    tolerance, h, raise_on_failure
        As in :func:`check_gradient`.

    Returns
    -------
    GradientCheckResult
        ``analytic`` and ``numeric`` are the two Hessians; ``worst_index`` a pair ``(i, j)``.

    Raises
    ------
    GradientCheckError
        If the largest relative error exceeds ``tolerance``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> bowl = nnmath.QuadraticBowl([1.0, 10.0])
    >>> nnmath.check_hessian(bowl.gradient, lambda v: np.diag([2.0, 20.0]),
    ...                      [0.3, -0.2]).passed
    True
    """
    _validate.callable_(hessian, "hessian")
    _validate.flag(raise_on_failure, "raise_on_failure")
    tol = _validate.positive_number(tolerance, "tolerance")
    x_arr = _validate.as_array(x, "x", ndim=1)
    numeric = numerical_hessian(gradient, x_arr, h)
    analytic = _evaluate(hessian, x_arr.copy(), "x", "hessian")
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"hessian must return an array of shape {numeric.shape} for x of shape {x_arr.shape}, "
            f"got shape {analytic.shape}"
        )
    floor = 1e-3 * max(1.0, float(np.max(np.abs(_evaluate(gradient, x_arr.copy(), "x", "gradient")))))
    return _compare(analytic, numeric, floor, tol, raise_on_failure)


def _compare(
    analytic: NDArray[np.float64], numeric: NDArray[np.float64], floor: float, tol: float, raise_on_failure: bool
) -> GradientCheckResult:
    """Relative errors entry by entry (absolute below ``floor``), as a :class:`GradientCheckResult`."""
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    errors = np.abs(analytic - numeric) / scale
    worst = np.unravel_index(int(np.argmax(errors)), errors.shape) if errors.ndim else ()
    result = GradientCheckResult(
        max_relative_error=float(errors.max()),
        worst_index=tuple(int(i) for i in worst),
        analytic=analytic,
        numeric=numeric,
        tolerance=tol,
        passed=bool(errors.max() <= tol),
    )
    if raise_on_failure and not result.passed:
        raise GradientCheckError(result)
    return result
