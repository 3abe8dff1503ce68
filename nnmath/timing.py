"""Measuring what gradients cost: backpropagation against finite differences.

See the chapter :ref:`chapter-backpropagation`.

Used by ``benchmarks/gradient_cost.py`` and by the backpropagation chapter's
"why backpropagation" figure. Times are medians of repeated runs, so a busy
moment on a shared machine does not decide the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from . import _validate
from .calculus import numerical_gradient
from .network import MLP

__all__ = ["GradientCost", "gradient_costs", "median_time"]


def median_time(function: Callable[[], object], repeats: int = 5) -> float:
    """The median wall-clock time of ``repeats`` calls of ``function()``, in seconds.

    See the chapter :ref:`chapter-backpropagation`.

    Parameters
    ----------
    function : callable
        Called with no arguments.
    repeats : int
        How many calls; at least 1.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``function`` is not callable.
    ValueError
        If ``repeats`` is below 1.

    Examples
    --------
    >>> from nnmath.timing import median_time
    >>> median_time(lambda: sum(range(100)), repeats=3) >= 0
    True
    """
    _validate.callable_(function, "function")
    n = _validate.whole_number(repeats, "repeats", minimum=1)
    _validate.check_size(n, "repeats", "one time per repeat")
    times = []
    for _ in range(n):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


@dataclass(frozen=True)
class GradientCost:
    """One row of :func:`gradient_costs`: a network size and the median time of each method.

    See the chapter :ref:`chapter-backpropagation`.

    Attributes
    ----------
    layer_sizes : tuple of int
        The network's layer sizes, input first.
    n_parameters : int
        Its number of weights and biases.
    backprop_seconds, finite_difference_seconds : float
        The median time of one gradient by each method.

    Examples
    --------
    >>> from nnmath.timing import GradientCost
    >>> row = GradientCost((4, 8, 8, 3), 139, 0.001, 0.05)
    >>> round(row.ratio)
    50
    """

    layer_sizes: tuple[int, ...]
    n_parameters: int
    backprop_seconds: float
    finite_difference_seconds: float

    @property
    def ratio(self) -> float:
        """How many times slower finite differences are than backpropagation."""
        return self.finite_difference_seconds / self.backprop_seconds


def gradient_costs(
    widths: Sequence[int],
    *,
    n_inputs: int = 4,
    n_outputs: int = 3,
    n_samples: int = 32,
    repeats: int = 5,
    fd_repeats: int = 3,
    rng: int | np.random.Generator | None = 0,
) -> list[GradientCost]:
    """Time one gradient by backpropagation and by central differences, for growing networks.

    See the chapter :ref:`chapter-backpropagation`.

    Each network has two hidden tanh layers of the given width and a softmax
    output with cross-entropy. Finite differences need two forward passes per
    parameter; backpropagation one forward and one backward pass in all.
    Both gradients are checked to agree before they are timed.

    Parameters
    ----------
    widths : sequence of int
        Hidden-layer widths, one network per width.
    n_inputs, n_outputs, n_samples : int
        The sizes of the input and output layers and of the batch ``X``, of
        shape ``(n_samples, n_inputs)``.
    repeats, fd_repeats : int
        Repetitions for the median of backpropagation and of finite differences.
    rng : int, numpy.random.Generator or None
        Where the networks' weights and the data come from (an int seeds a
        new Generator).

    Returns
    -------
    list of GradientCost
        One per width, in order.

    Raises
    ------
    ValueError
        If a width is below 1.

    Examples
    --------
    >>> from nnmath.timing import gradient_costs
    >>> [row] = gradient_costs([2], repeats=1, fd_repeats=1)
    >>> row.layer_sizes, row.n_parameters
    ((4, 2, 2, 3), 25)
    """
    rng = _validate.as_rng(rng, "rng")
    for size, name in ((n_inputs, "n_inputs"), (n_outputs, "n_outputs"), (n_samples, "n_samples")):
        _validate.whole_number(size, name, minimum=1, maximum=10_000, why="the timed network stays small")
    for count, name in ((repeats, "repeats"), (fd_repeats, "fd_repeats")):
        _validate.whole_number(count, name, minimum=1, maximum=10_000, why="each repeat times a whole gradient")
    results = []
    if isinstance(widths, (str, bytes)) or not isinstance(widths, (list, tuple, range, np.ndarray)):
        raise TypeError(f"widths must be a list of layer widths like [4, 8], got {_validate._describe(widths)}")
    for width in widths:
        w = _validate.whole_number(width, "width", minimum=1, maximum=10_000, why="the timed network stays small")
        net = MLP([n_inputs, w, w, n_outputs], ["tanh", "tanh", "softmax"], rng=rng)
        X = rng.normal(size=(n_samples, n_inputs))
        T = np.eye(n_outputs)[rng.integers(0, n_outputs, size=n_samples)]
        probe = net.copy()

        def loss_at(theta: np.ndarray) -> float:
            probe.set_parameters(theta)
            return probe.loss(X, T, "cross_entropy")

        theta = net.get_parameters()
        fd = numerical_gradient(loss_at, theta)
        _, dW, db = net.loss_and_gradients(X, T, "cross_entropy")
        bp = np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])
        # Central differences are accurate to about 1e-9 here; a bug would be off by far more.
        if not np.allclose(bp, fd, rtol=1e-5, atol=1e-7):
            raise AssertionError(f"backpropagation and finite differences disagree for width {w}")
        results.append(
            GradientCost(
                layer_sizes=net.layer_sizes,
                n_parameters=net.n_parameters,
                backprop_seconds=median_time(lambda: net.loss_and_gradients(X, T, "cross_entropy"), repeats),
                finite_difference_seconds=median_time(lambda: numerical_gradient(loss_at, theta), fd_repeats),
            )
        )
    return results
