r"""Gradient descent, and what happens when it diverges.

See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-gradient-descent`.

The update rule of the chapter "Gradient descent":

.. math:: x_{k+1} = x_k - \eta\, \nabla f(x_k).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = ["DivergenceError", "gradient_descent"]


class DivergenceError(ArithmeticError):
    """Gradient descent left the finite numbers: the learning rate is too large.

    See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-gradient-descent`.

    Attributes
    ----------
    step : int
        The first step whose iterate (or gradient) was not finite.
    learning_rate : float
        The learning rate that was too large.
    trajectory : ndarray, shape ``(step, *np.shape(x0))``
        The values that were still finite: the iterates starting with ``x0``
        (:func:`gradient_descent`), or the losses (:func:`nnmath.train`).
    quantity : str
        What ``trajectory`` holds, for the message: ``"iterate"`` or ``"loss"``.

    Examples
    --------
    >>> import nnmath
    >>> try:
    ...     nnmath.gradient_descent(lambda x: 2 * x, [1.0], 1.5, 2000)
    ... except nnmath.DivergenceError as error:
    ...     print(error.step, error.trajectory.shape)
    1024 (1024, 1)
    """

    def __init__(
        self, step: int, learning_rate: float, trajectory: NDArray[np.float64], quantity: str = "iterate"
    ) -> None:
        self.step = step
        self.learning_rate = learning_rate
        self.trajectory = trajectory
        self.quantity = quantity
        last = np.array2string(trajectory[-1], precision=4) if len(trajectory) else "none"
        super().__init__(
            f"gradient descent diverged at step {step} with learning_rate={learning_rate:g}: "
            f"the values grew beyond floating-point range (last finite {quantity} {last}); "
            "try a smaller learning rate"
        )


def gradient_descent(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    learning_rate: float,
    steps: int,
) -> NDArray[np.float64]:
    r"""Run ``steps`` steps of gradient descent from ``x0`` and return every iterate.

    See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-gradient-descent`.

    .. math:: x_{k+1} = x_k - \eta\, \nabla f(x_k), \qquad k = 0, 1, \dots, \text{steps} - 1

    Parameters
    ----------
    gradient : callable
        :math:`\nabla f`: takes an array shaped like ``x0``, returns one shaped like it.
    x0 : float or array_like
        The starting point.
    learning_rate : float
        :math:`\eta`, a positive finite number.
    steps : int
        How many updates, 0 or more.

    Returns
    -------
    ndarray, shape (steps + 1, *np.shape(x0))
        Row 0 is ``x0``, row ``k`` the iterate after ``k`` steps.

    Raises
    ------
    DivergenceError
        When an iterate or a gradient stops being finite; it names the step
        and the learning rate and carries the finite part of the trajectory.
    TypeError, ValueError
        For a non-callable ``gradient``, non-finite ``x0``, ``learning_rate <= 0``,
        ``steps < 0``, or a gradient of the wrong shape.

    Examples
    --------
    >>> import nnmath
    >>> f = nnmath.quadratic(1.0)                      # f(x) = x^2, f'(x) = 2x
    >>> nnmath.gradient_descent(f.derivative, 1.0, learning_rate=0.25, steps=3)
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    _validate.callable_(gradient, "gradient")
    x = _validate.as_array(x0, "x0")
    eta = _validate.positive_number(learning_rate, "learning_rate")
    n = _validate.whole_number(steps, "steps", minimum=0)
    _validate.check_size((n + 1) * x.size, "steps", "a trajectory")
    trajectory = np.empty((n + 1, *x.shape))
    trajectory[0] = x
    with np.errstate(all="ignore"):
        for k in range(n):
            g = _validate.function_value(gradient(trajectory[k].copy()), "gradient", f"step {k}")
            if g.shape != x.shape:
                raise ValueError(
                    f"gradient must return an array shaped like x0 {x.shape}, got shape {g.shape}"
                )
            trajectory[k + 1] = trajectory[k] - eta * g
            if not (np.all(np.isfinite(g)) and np.all(np.isfinite(trajectory[k + 1]))):
                raise DivergenceError(k + 1, eta, trajectory[: k + 1].copy())
    return trajectory
