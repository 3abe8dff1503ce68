r"""Functions of one variable that know their derivative and their formula.

See the chapter :ref:`chapter-derivatives`.

A :class:`ScalarFunction` bundles three views of the same function, side by
side so that they cannot drift apart:

* the numeric function, applied elementwise to a NumPy array,
* its numeric derivative, ``.derivative(x)``,
* its formula as a SymPy expression, ``.formula(symbol)``.

The activations in :mod:`nnmath.activations` are ScalarFunctions, and so are
the example functions the book differentiates: :data:`profit` and
:func:`quadratic`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = ["QuadraticBowl", "ScalarFunction", "profit", "quadratic"]


def _scalar_if_0d(result: NDArray[np.float64]) -> NDArray[np.float64] | np.float64:
    """A 0-d array becomes a NumPy float, so a scalar in gives a scalar out."""
    result = np.asarray(result, dtype=np.float64)
    return result[()] if result.ndim == 0 else result


class ScalarFunction:
    """A function of one variable with its derivative and its SymPy formula.

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    name : str
        How the function is called in messages and plots.
    value : callable
        ``value(x)`` for a float64 array ``x``, elementwise.
    derivative : callable
        ``derivative(x)`` for a float64 array ``x``, elementwise.
    formula : callable
        ``formula(symbol)`` returning the SymPy expression of the function.
    latex : str
        The function's name in LaTeX, for plot labels.

    Examples
    --------
    >>> import nnmath
    >>> float(nnmath.profit(3.0)), float(nnmath.profit.derivative(3.0))
    (8.0, 0.0)
    """

    def __init__(
        self,
        name: str,
        value: Callable[[NDArray[np.float64]], NDArray[np.float64]],
        derivative: Callable[[NDArray[np.float64]], NDArray[np.float64]],
        formula: Callable[[Any], Any],
        latex: str | None = None,
    ) -> None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {_validate._describe(name)}")
        if latex is not None and not isinstance(latex, str):
            raise TypeError(f"latex must be a str or None, got {_validate._describe(latex)}")
        self.name = name
        self._value = _validate.callable_(value, "value")
        self._derivative = _validate.callable_(derivative, "derivative")
        self._formula = _validate.callable_(formula, "formula")
        self.latex = latex or name

    def __call__(self, x: ArrayLike) -> NDArray[np.float64] | np.float64:
        """The function's value at ``x``, elementwise (same shape as ``x``).

        Parameters
        ----------
        x : float or array_like, any shape
            The points, finite numbers.

        Returns
        -------
        numpy.float64 or ndarray, shape like ``x``
            A NumPy float when ``x`` is a single number.

        Raises
        ------
        TypeError, ValueError
            If ``x`` is not numbers, is empty, or contains NaN or infinity.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.profit([1.0, 3.0])
        array([0., 8.])
        >>> float(nnmath.profit(2.0))
        6.0
        """
        array = _validate.as_array(x, "x")
        return _scalar_if_0d(self._evaluate(self._value, array, f"{self.name}(x)"))

    def derivative(self, x: ArrayLike) -> NDArray[np.float64] | np.float64:
        """The derivative at ``x``, elementwise (same shape as ``x``).

        Parameters
        ----------
        x : float or array_like, any shape
            The points, finite numbers.

        Returns
        -------
        numpy.float64 or ndarray, shape like ``x``
            A NumPy float when ``x`` is a single number.

        Raises
        ------
        TypeError, ValueError
            If ``x`` is not numbers, is empty, or contains NaN or infinity.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.profit.derivative([1.0, 3.0])
        array([8., 0.])
        >>> float(nnmath.sigmoid.derivative(0.0))
        0.25
        """
        array = _validate.as_array(x, "x")
        return _scalar_if_0d(self._evaluate(self._derivative, array, f"{self.name}.derivative(x)"))

    @staticmethod
    def _evaluate(function: Callable, array: NDArray[np.float64], what: str) -> NDArray[np.float64]:
        """``function(array)`` as float64, or a clear error if it overflowed for these finite ``x``."""
        with np.errstate(over="ignore", invalid="ignore"):
            result = _validate.function_value(function(array), what, "x")
        if result.shape != array.shape:
            raise ValueError(f"{what} must have the shape of x {array.shape}, got shape {result.shape}")
        return _validate.finite_result(result, what, "use smaller x")

    def backward(self, z: NDArray[np.float64],
                 dL_da: NDArray[np.float64]) -> NDArray[np.float64]:
        r"""The chain rule through this function, the activation :math:`a = g(z)`.

        .. math::
           \frac{\partial \mathcal{L}}{\partial z}
           = \frac{\partial \mathcal{L}}{\partial a} \odot g'(z)

        Each output depends on its own input only, so the gradient with
        respect to ``a`` is multiplied entry by entry by :math:`g'(z)`. This is
        what :class:`nnmath.MLP`'s backward pass asks of a layer's activation
        (softmax, which mixes a row, answers with its Jacobian instead). The
        arrays are not checked: the network passes its own.

        Parameters
        ----------
        z : ndarray
            The net inputs of the layer.
        dL_da : ndarray, shape like ``z``
            The gradient of the loss with respect to the layer's outputs.

        Returns
        -------
        ndarray, shape like ``z``
            The gradient of the loss with respect to ``z``.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> nnmath.sigmoid.backward(np.array([0.0, 0.0]), np.array([1.0, -2.0]))
        array([ 0.25, -0.5 ])
        """
        return dL_da * self._derivative(z)

    def formula(self, symbol: Any) -> Any:
        """The function as a SymPy expression in ``symbol``.

        Parameters
        ----------
        symbol : sympy.Symbol
            The variable to write the formula in.

        Returns
        -------
        sympy expression

        Raises
        ------
        TypeError
            If ``symbol`` is not a ``sympy.Symbol`` (a string such as ``"x"`` is not one).

        Examples
        --------
        >>> import sympy, nnmath
        >>> x = sympy.Symbol("x")
        >>> nnmath.profit.formula(x)
        -2*x**2 + 12*x - 10
        >>> sympy.diff(nnmath.profit.formula(x), x)
        12 - 4*x
        """
        import sympy

        if not isinstance(symbol, sympy.Symbol):
            raise TypeError(
                f"symbol must be a sympy.Symbol, for example sympy.Symbol('x'), got {symbol!r} "
                f"(type {type(symbol).__name__})"
            )
        return self._formula(symbol)

    def __repr__(self) -> str:
        return f"<nnmath function {self.name}>"


def _profit_formula(x: Any) -> Any:
    return -2 * x**2 + 12 * x - 10


profit = ScalarFunction(
    "profit",
    value=lambda x: -2.0 * x**2 + 12.0 * x - 10.0,
    derivative=lambda x: -4.0 * x + 12.0,
    formula=_profit_formula,
    latex="P",
)
profit.__doc__ = r"""The profit function :math:`P(x) = -2x^2 + 12x - 10` of the derivatives chapter.

Its derivative is :math:`P'(x) = -4x + 12`, zero at the maximum :math:`x = 3`.
See the chapter :ref:`chapter-derivatives`.

Call it on a number or an array of any shape (elementwise, same shape back);
``profit.derivative(x)`` gives :math:`P'(x)` and ``profit.formula(x)`` the
SymPy expression.

Examples
--------
>>> import sympy, nnmath
>>> nnmath.profit([1.0, 3.0]), nnmath.profit.derivative([1.0, 3.0])
(array([0., 8.]), array([8., 0.]))
>>> nnmath.profit.formula(sympy.Symbol("x"))
-2*x**2 + 12*x - 10
"""


def quadratic(coefficient: float = 1.0) -> ScalarFunction:
    r"""The bowl :math:`f(x) = c\,x^2` with coefficient :math:`c > 0`.

    See the chapter :ref:`chapter-derivatives`.

    Its derivative is :math:`f'(x) = 2 c x`; its curvature (second
    derivative) is :math:`f'' = 2c`, not :math:`c`. Gradient descent on it
    converges exactly when the learning rate is below :math:`2/f'' = 1/c`.

    Parameters
    ----------
    coefficient : float
        The coefficient :math:`c`, a positive finite number (half the
        curvature :math:`f'' = 2c`).

    Returns
    -------
    ScalarFunction

    Raises
    ------
    TypeError, ValueError
        If ``coefficient`` is not a positive finite number.

    Examples
    --------
    >>> import nnmath
    >>> f = nnmath.quadratic(2.0)
    >>> float(f(3.0)), float(f.derivative(3.0))
    (18.0, 12.0)
    """
    c = _validate.positive_number(coefficient, "coefficient")

    def formula(x: Any) -> Any:
        import sympy

        return sympy.nsimplify(c) * x**2

    return ScalarFunction(
        f"quadratic(coefficient={c:g})",
        value=lambda x: c * x**2,
        derivative=lambda x: 2.0 * c * x,
        formula=formula,
        latex=f"{c:g}x^2",
    )


class QuadraticBowl:
    r"""The bowl :math:`f(v) = \sum_i c_i v_i^2` with one coefficient per variable.

    See the chapter :ref:`chapter-derivatives`.

    The curvature along :math:`v_i` (the second derivative
    :math:`\partial^2 f/\partial v_i^2`) is :math:`2 c_i`, twice the
    coefficient; the property ``curvatures`` gives them. With unequal coefficients the
    contours are ellipses and the gradient
    :math:`\nabla f = (2 c_1 v_1, 2 c_2 v_2, \dots)` does not point at the
    minimum — the situation where gradient descent zig-zags.

    Parameters
    ----------
    coefficients : sequence of float
        The positive coefficients :math:`c_i`, one per variable.

    Attributes
    ----------
    coefficients : ndarray, shape (n,)
        The :math:`c_i`, as given.

    Raises
    ------
    TypeError
        If ``coefficients`` is not numeric.
    ValueError
        If ``coefficients`` is not one-dimensional, or not all positive.

    Examples
    --------
    >>> import nnmath
    >>> bowl = nnmath.QuadraticBowl([1.0, 3.0])
    >>> float(bowl([1.0, 1.0])), bowl.gradient([1.0, 1.0])
    (4.0, array([2., 6.]))
    >>> bowl.curvatures
    array([2., 6.])
    """

    def __init__(self, coefficients: ArrayLike = (1.0, 3.0)) -> None:
        c = _validate.as_array(coefficients, "coefficients", ndim=1)
        if np.any(c <= 0):
            raise ValueError(f"coefficients must all be greater than 0, got {c}")
        self.coefficients = c

    @property
    def curvatures(self) -> NDArray[np.float64]:
        r"""The second derivatives :math:`\partial^2 f/\partial v_i^2 = 2 c_i`."""
        return 2.0 * self.coefficients

    def _point(self, v: ArrayLike) -> NDArray[np.float64]:
        v = _validate.as_array(v, "v", ndim=(1, 2))
        if v.shape[-1] != self.coefficients.size:
            raise ValueError(
                f"v must have {self.coefficients.size} entries (one per coefficient) in its last axis, got shape {v.shape}"
            )
        return v

    def __call__(self, v: ArrayLike) -> NDArray[np.float64] | np.float64:
        """The value at a point ``v`` of shape (n,), or at each row of shape (m, n).

        Parameters
        ----------
        v : array_like, shape (n,) or (m, n)
            One point, or ``m`` points as rows; ``n`` is the number of coefficients.

        Returns
        -------
        numpy.float64 or ndarray, shape (m,)
            A NumPy float for one point, one value per row for ``m`` points.

        Raises
        ------
        TypeError, ValueError
            If ``v`` is not finite numbers, or its last axis does not have one
            entry per coefficient.

        Examples
        --------
        >>> import nnmath
        >>> bowl = nnmath.QuadraticBowl([1.0, 3.0])
        >>> float(bowl([1.0, 1.0]))
        4.0
        >>> bowl([[1.0, 0.0], [0.0, 1.0]])
        array([1., 3.])
        """
        v = self._point(v)
        return _scalar_if_0d(np.sum(self.coefficients * v**2, axis=-1))

    def gradient(self, v: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient :math:`2 c \odot v`, shaped like ``v``.

        Parameters
        ----------
        v : array_like, shape (n,) or (m, n)
            One point, or ``m`` points as rows; ``n`` is the number of coefficients.

        Returns
        -------
        ndarray, shape like ``v``
            Row ``k`` is the gradient at row ``k`` of ``v``.

        Raises
        ------
        TypeError, ValueError
            If ``v`` is not finite numbers, or its last axis does not have one
            entry per coefficient.

        Examples
        --------
        >>> import nnmath
        >>> bowl = nnmath.QuadraticBowl([1.0, 3.0])
        >>> bowl.gradient([1.0, 1.0])
        array([2., 6.])
        >>> bowl.gradient([[1.0, 1.0], [0.0, 2.0]])
        array([[ 2.,  6.],
               [ 0., 12.]])
        """
        point = self._point(v)
        with np.errstate(over="ignore"):
            return _validate.finite_result(2.0 * self.coefficients * point, "the gradient of the bowl", "use smaller v")

    def formula(self, symbols: Any) -> Any:
        """The bowl as a SymPy expression in the given symbols.

        Parameters
        ----------
        symbols : sequence of sympy.Symbol
            One symbol per coefficient, in order.

        Returns
        -------
        sympy expression

        Raises
        ------
        TypeError
            If ``symbols`` is not a list or tuple of ``sympy.Symbol``.
        ValueError
            If the number of symbols differs from the number of coefficients.

        Examples
        --------
        >>> import sympy, nnmath
        >>> nnmath.QuadraticBowl([1.0, 3.0]).formula(sympy.symbols("v1 v2"))
        v1**2 + 3*v2**2
        """
        import sympy

        if isinstance(symbols, sympy.Symbol) or not isinstance(symbols, (list, tuple)):
            raise TypeError(
                f"symbols must be a list or tuple of {self.coefficients.size} sympy.Symbol, for example "
                f"sympy.symbols('v1:{self.coefficients.size + 1}'), got {symbols!r} (type {type(symbols).__name__})"
            )
        symbols = list(symbols)
        for position, s in enumerate(symbols):
            if not isinstance(s, sympy.Symbol):
                raise TypeError(f"symbols[{position}] must be a sympy.Symbol, got {s!r} (type {type(s).__name__})")
        if len(symbols) != self.coefficients.size:
            raise ValueError(f"formula needs {self.coefficients.size} symbols, got {len(symbols)}")
        return sum(sympy.nsimplify(c) * s**2 for c, s in zip(self.coefficients, symbols))

    def __repr__(self) -> str:
        return f"QuadraticBowl(coefficients={self.coefficients.tolist()})"
