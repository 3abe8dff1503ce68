r"""Measurements of a network's signals, layer by layer: vanishing, exploding, dead.

These are the measurements of the chapter :ref:`chapter-vanishing-gradients`,
written so that any chapter can reuse them:

* :func:`layer_gradient_norms`: the size :math:`\lVert \partial L / \partial W^l \rVert`
  of every layer's weight gradient;
* :func:`error_term_norms`: the size :math:`\lVert \delta^l \rVert` of the error
  signal as it arrives at every layer;
* :func:`activation_statistics`: the mean and variance of the net inputs
  :math:`z^l` and activations :math:`a^l` of every layer;
* :func:`dead_units`: the hidden units whose activation has slope 0 for every
  sample, so that they get no gradient at all;
* :func:`across_seeds`: the same measurement on networks drawn with several
  seeds, summarised by its geometric mean and its smallest and largest value.

Layers are numbered as in the book: entry ``l - 1`` of a returned array belongs
to layer :math:`l` (1 is the first hidden layer, :math:`L` the output layer).
A norm of a matrix is its Frobenius norm, the square root of the sum of the
squares of all its entries (over all samples of the batch).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .losses import Loss
from .network import MLP, Trace, _check_net
from .training import _flat_norm

__all__ = [
    "ActivationStatistics",
    "SeedSummary",
    "across_seeds",
    "activation_statistics",
    "dead_units",
    "error_term_norms",
    "layer_gradient_norms",
]



def _backward(net: object, X: ArrayLike, T: ArrayLike, loss: str | Loss) -> Trace:
    """The trace of a forward and backward pass, with targets required."""
    net = _check_net(net)
    if T is None:
        raise TypeError("T (the targets) is required: the gradients need a loss, got T=None")
    return net.trace(X, T, loss)


def layer_gradient_norms(
    net: MLP, X: ArrayLike, T: ArrayLike, loss: str | Loss = "sse"
) -> NDArray[np.float64]:
    r"""The size of every layer's weight gradient, :math:`\lVert \partial L / \partial W^l \rVert`.

    .. math::

       \left\lVert \frac{\partial L}{\partial W^{l}} \right\rVert
       = \sqrt{\sum_{j,k} \left(\frac{\partial L}{\partial W^{l}_{jk}}\right)^2},
       \qquad l = 1, \dots, L,

    with the gradients from one backward pass (:meth:`nnmath.MLP.trace`). When these
    numbers fall by orders of magnitude from the output layer back to the
    first layer, the gradient *vanishes*; when they grow, it *explodes*.
    See the chapter :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)
    T : array_like, shape (n_samples, n_out)
    loss : {"sse", "mse", "cross_entropy"} or Loss

    Returns
    -------
    ndarray, shape (n_layers,)
        Entry ``l - 1`` is the norm for layer ``l``.

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`nnmath.MLP`, or ``T`` is None.
    ValueError
        For inputs or targets of the wrong shape, an unknown loss, or a
        backward pass that overflows (see :meth:`nnmath.MLP.trace`).

    Examples
    --------
    A chain :math:`y = w_2 w_1 x` with :math:`w_1 = 2`, :math:`w_2 = 3`,
    :math:`x = 1` and target 0: :math:`\partial L/\partial w_2 = y\,w_1 = 12`
    and :math:`\partial L/\partial w_1 = y\,w_2\,x = 18`.

    >>> import numpy as np, nnmath
    >>> from nnmath.diagnostics import layer_gradient_norms
    >>> net = nnmath.MLP([1, 1, 1], ["identity", "identity"], rng=0)
    >>> net.weights = [np.array([[2.0]]), np.array([[3.0]])]
    >>> layer_gradient_norms(net, [[1.0]], [[0.0]], "sse")
    array([18., 12.])
    """
    trace = _backward(net, X, T, loss)
    return np.array([_flat_norm([g], []) for g in trace.weight_grads])  # no overflow for entries near 1e200


def error_term_norms(
    net: MLP, X: ArrayLike, T: ArrayLike, loss: str | Loss = "sse"
) -> NDArray[np.float64]:
    r"""The size of the error signal at every layer, :math:`\lVert \delta^l \rVert`.

    :math:`\delta^l = \partial L / \partial z^l` is what the backward pass
    carries from layer to layer, :math:`\delta^{l} = (W^{l+1})^\top \delta^{l+1}
    \odot g'(z^{l})`; the weight gradient of layer :math:`l` is built from it
    and the layer's input, :math:`\partial L / \partial W^l = \delta^l (a^{l-1})^\top`.
    The norm is taken over all units and samples. See the chapter
    :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)
    T : array_like, shape (n_samples, n_out)
    loss : {"sse", "mse", "cross_entropy"} or Loss

    Returns
    -------
    ndarray, shape (n_layers,)
        Entry ``l - 1`` is :math:`\lVert \delta^l \rVert` for layer ``l``.

    Raises
    ------
    TypeError, ValueError
        As :func:`layer_gradient_norms`.

    Examples
    --------
    The chain of :func:`layer_gradient_norms`: :math:`\delta^2 = y - t = 6`
    and :math:`\delta^1 = \delta^2 w_2 = 18`.

    >>> import numpy as np, nnmath
    >>> from nnmath.diagnostics import error_term_norms
    >>> net = nnmath.MLP([1, 1, 1], ["identity", "identity"], rng=0)
    >>> net.weights = [np.array([[2.0]]), np.array([[3.0]])]
    >>> error_term_norms(net, [[1.0]], [[0.0]], "sse")
    array([18.,  6.])
    """
    trace = _backward(net, X, T, loss)
    return np.array([_flat_norm([d], []) for d in trace.delta[1:]])


@dataclass(frozen=True)
class ActivationStatistics:
    r"""Mean and variance of the net inputs and activations of every layer.

    See the chapter :ref:`chapter-vanishing-gradients`.

    Each attribute has shape ``(n_layers,)``; entry ``l - 1`` belongs to
    layer ``l`` and is taken over all samples and all units of that layer
    together (the variance divides by the number of values, not one less).

    Attributes
    ----------
    z_mean, z_variance : ndarray
        Mean and variance of the net inputs :math:`z^l`.
    a_mean, a_variance : ndarray
        Mean and variance of the activations :math:`a^l = g(z^l)`.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.diagnostics import activation_statistics
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
    >>> stats = activation_statistics(net, [[0.0, 1.0], [1.0, 0.0]])
    >>> stats.z_mean.shape, stats.a_variance.shape
    ((2,), (2,))
    """

    z_mean: NDArray[np.float64]
    z_variance: NDArray[np.float64]
    a_mean: NDArray[np.float64]
    a_variance: NDArray[np.float64]

    def __str__(self) -> str:
        header = f"{'layer':>5} {'mean z':>10} {'var z':>10} {'mean a':>10} {'var a':>10}"
        rows = [header]
        for l, values in enumerate(zip(self.z_mean, self.z_variance, self.a_mean, self.a_variance), start=1):
            rows.append(f"{l:>5}" + "".join(f" {v:>10.3g}" for v in values))
        return "\n".join(rows)


def activation_statistics(net: MLP, X: ArrayLike) -> ActivationStatistics:
    r"""The mean and variance of :math:`z^l` and :math:`a^l` in every layer, for a batch.

    .. math::

       \operatorname{Var}(z^l) = \frac{1}{n\,n_l} \sum_{\text{samples}} \sum_{j=1}^{n_l}
       \bigl(z^l_j - \overline{z^l}\bigr)^2,

    where :math:`n` is the number of samples and :math:`n_l` the layer's
    width. Good initial weights keep these numbers of the same size in every
    layer; too small weights make them shrink layer by layer, too large ones
    make them grow (or saturate the activation). See the chapter
    :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)

    Returns
    -------
    ActivationStatistics
        Print it for a table, one row per layer.

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`nnmath.MLP`.
    ValueError
        For ``X`` of the wrong shape or a forward pass that overflows.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.diagnostics import activation_statistics
    >>> net = nnmath.MLP([1, 2], ["relu"], rng=0)
    >>> net.weights = [np.array([[1.0], [-1.0]])]
    >>> stats = activation_statistics(net, [[-1.0], [1.0]])
    >>> stats.z_mean, stats.z_variance, stats.a_mean, stats.a_variance
    (array([0.]), array([1.]), array([0.5]), array([0.25]))
    """
    trace = _check_net(net).trace(X)
    z = trace.z[1:]
    a = trace.a[1:]
    with np.errstate(over="ignore"):
        stats = ActivationStatistics(
            z_mean=np.array([np.mean(v) for v in z]),
            z_variance=np.array([np.var(v) for v in z]),
            a_mean=np.array([np.mean(v) for v in a]),
            a_variance=np.array([np.var(v) for v in a]),
        )
    _validate.finite_result(stats.z_variance, "the variance of the net inputs z", "use smaller X or weights")
    _validate.finite_result(stats.a_variance, "the variance of the activations a", "use smaller X or weights")
    return stats


def dead_units(net: MLP, X: ArrayLike) -> list[NDArray[np.bool_]]:
    r"""Which hidden units are dead on a batch: their slope :math:`g'(z)` is 0 for every sample.

    A dead unit passes no error signal back: its error term
    :math:`\delta^l_j = (\dots)\, g'(z^l_j)` is 0 for every sample, so the
    gradients of its incoming weights and its bias are exactly 0, and gradient
    descent never changes them. For ReLU (with the convention
    :math:`\mathrm{ReLU}'(0) = 0`) a unit is dead when its net input is
    :math:`z \le 0` for every sample; leaky ReLU, sigmoid and tanh units have
    a non-zero slope everywhere and are never dead. See the chapter
    :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)
        The samples to check, usually the whole training set: a unit dead on
        one batch may come alive on another sample.

    Returns
    -------
    list of ndarray of bool
        One array per hidden layer ``l = 1 .. L - 1`` (at index ``l - 1``),
        of shape ``(layer_sizes[l],)``, True for a dead unit. Empty for a
        network without hidden layers.

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`nnmath.MLP`.
    ValueError
        For ``X`` of the wrong shape or a forward pass that overflows.

    Examples
    --------
    The second of three ReLU units has a bias of -10: with inputs between
    -1 and 1 its net input is negative for every sample.

    >>> import numpy as np, nnmath
    >>> from nnmath.diagnostics import dead_units
    >>> net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    >>> net.biases[0] = np.array([0.0, -10.0, 0.0])
    >>> dead_units(net, [[1.0, -1.0], [0.5, 0.5], [-1.0, 1.0]])
    [array([False,  True, False])]
    """
    net = _check_net(net)
    trace = net.trace(X)
    dead = []
    for l in range(1, net.n_layers):  # hidden layers only
        slope = net._functions[l]._derivative(trace.z[l])  # g'(z^l), (n_samples, n_l)
        dead.append(np.all(slope == 0.0, axis=0))
    return dead


@dataclass(frozen=True)
class SeedSummary:
    r"""One measurement repeated for several seeds (see :func:`across_seeds`).

    See the chapter :ref:`chapter-vanishing-gradients`.

    Attributes
    ----------
    seeds : tuple of int
        The seeds, in order.
    values : ndarray, shape ``(n_seeds, ...)``
        ``values[i]`` is the measurement for ``seeds[i]``.

    Examples
    --------
    >>> from nnmath.diagnostics import across_seeds
    >>> summary = across_seeds(lambda seed: float(seed), [1, 2, 3])
    >>> summary.values, float(summary.mean)
    (array([1., 2., 3.]), 2.0)
    """

    seeds: tuple[int, ...]
    values: NDArray[np.float64]

    @property
    def mean(self) -> NDArray[np.float64]:
        """The arithmetic mean over the seeds, shape ``values.shape[1:]``."""
        return np.mean(self.values, axis=0)

    @property
    def low(self) -> NDArray[np.float64]:
        """The smallest value over the seeds, shape ``values.shape[1:]``.

        Examples
        --------
        >>> from nnmath.diagnostics import across_seeds
        >>> across_seeds(lambda seed: [10.0 ** seed, 1.0], 3).low
        array([1., 1.])
        """
        return np.min(self.values, axis=0)

    @property
    def high(self) -> NDArray[np.float64]:
        """The largest value over the seeds, shape ``values.shape[1:]``.

        Examples
        --------
        >>> from nnmath.diagnostics import across_seeds
        >>> across_seeds(lambda seed: [10.0 ** seed, 1.0], 3).high
        array([100.,   1.])
        """
        return np.max(self.values, axis=0)

    @property
    def geometric_mean(self) -> NDArray[np.float64]:
        r"""The geometric mean over the seeds, :math:`\exp(\operatorname{mean}(\log v))`.

        The right average for numbers drawn on a log scale (norms that differ
        by orders of magnitude): it is the midpoint of the logarithms. A zero
        makes it zero.

        The shape is ``values.shape[1:]``.

        Raises
        ------
        ValueError
            If any value is negative.

        Examples
        --------
        The values 1, 10 and 100 have the mean 37 but the geometric mean 10:

        >>> from nnmath.diagnostics import across_seeds
        >>> summary = across_seeds(lambda seed: [10.0 ** seed, 1.0], 3)
        >>> summary.mean, summary.geometric_mean
        (array([37.,  1.]), array([10.,  1.]))
        """
        if np.any(self.values < 0):
            raise ValueError("the geometric mean needs values that are 0 or greater; "
                             f"got a smallest value of {self.values.min():g} (use .mean instead)")
        with np.errstate(divide="ignore"):  # log(0) = -inf gives a geometric mean of 0
            return np.exp(np.mean(np.log(self.values), axis=0))


def across_seeds(measure: Callable[[int], ArrayLike], seeds: int | Sequence[int]) -> SeedSummary:
    r"""Repeat a measurement for several seeds and collect the results.

    A network's initial weights are random, so one network can be lucky or
    unlucky. ``measure(seed)`` should build a network with that seed and
    return a number or an array of fixed shape (for example
    :func:`layer_gradient_norms`); the summary gives the typical value
    (:attr:`SeedSummary.geometric_mean` or :attr:`SeedSummary.mean`) and the
    spread (:attr:`SeedSummary.low`, :attr:`SeedSummary.high`). See the
    chapter :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    measure : callable
        ``measure(seed) -> array_like``, the same shape for every seed.
    seeds : int or sequence of int
        A number ``n`` means the seeds ``0, 1, ..., n - 1``; or the seeds
        themselves (non-negative whole numbers, at least one).

    Returns
    -------
    SeedSummary

    Raises
    ------
    TypeError
        If ``measure`` is not callable or a seed is not a whole number.
    ValueError
        If there are no seeds, a seed is negative, or the measurements
        differ in shape or are not finite.

    Examples
    --------
    >>> from nnmath.diagnostics import across_seeds
    >>> summary = across_seeds(lambda seed: [10.0 ** seed, 1.0], 3)
    >>> summary.values.shape, summary.geometric_mean, summary.low, summary.high
    ((3, 2), array([10.,  1.]), array([1., 1.]), array([100.,   1.]))
    """
    _validate.callable_(measure, "measure")
    zero_dim = isinstance(seeds, np.ndarray) and seeds.ndim == 0
    if isinstance(seeds, (str, bytes)) or zero_dim or not (isinstance(seeds, Sequence) or hasattr(seeds, "__iter__")):
        count = _validate.whole_number(seeds, "seeds", minimum=1)
        _validate.check_size(count, "seeds", "one result per seed")
        chosen = tuple(range(count))
    else:
        chosen = tuple(_validate.whole_number(s, f"seeds[{i}]") for i, s in enumerate(seeds))
        if not chosen:
            raise ValueError("seeds must contain at least one seed, got an empty sequence")
    results = []
    for seed in chosen:
        value = _validate.as_array(measure(seed), f"measure({seed})", allow_empty=True)
        if results and value.shape != results[0].shape:
            raise ValueError(
                f"measure must return the same shape for every seed: measure({chosen[0]}) had shape "
                f"{results[0].shape}, measure({seed}) has shape {value.shape}"
            )
        results.append(value)
    return SeedSummary(seeds=chosen, values=np.stack(results))
