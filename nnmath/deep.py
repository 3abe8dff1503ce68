r"""Two remedies that deep networks use against vanishing gradients.

See the chapter :ref:`chapter-vanishing-gradients`, section "What deep networks
do about it":

* :class:`ResidualMLP`: an :class:`nnmath.MLP` whose hidden layers add their
  input to their output, :math:`a^l = s\,a^{l-1} + g(W^l a^{l-1} + b^l)`, a
  *skip connection* (He et al., 2016). Its backward pass carries the error
  signal past every such layer unchanged, next to the usual route through
  the weights and the slope.
* :func:`batch_norm` and :func:`batch_norm_backward`: batch normalisation
  (Ioffe and Szegedy, 2015), which makes every unit's net input have mean 0
  and variance 1 over the batch, then scales and shifts it, and its backward
  rule.

Both are written with the book's conventions: one sample per row, layers
counted from 1, and one line of code per equation.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .activations import ScalarFunction
from .losses import Loss
from .network import MLP, Layers, Trace

__all__ = ["ResidualMLP", "batch_norm", "batch_norm_backward"]


class ResidualMLP(MLP):
    r"""A multilayer perceptron whose hidden layers have skip connections.

    Every hidden layer :math:`l` with as many units as its input adds that
    input to its output:

    .. math::

       z^l = W^l a^{l-1} + b^l, \qquad a^l = s\,a^{l-1} + g(z^l),

    with the skip weight :math:`s` (1 for a residual network, 0 for the plain
    :class:`nnmath.MLP`). The other layers, and always the output layer, are
    plain. Backwards, the derivative of a residual layer is
    :math:`\partial a^l / \partial a^{l-1} = s I + \operatorname{diag}(g'(z^l))\,W^l`,
    so the error signal is passed down twice, once unchanged through the skip
    and once through the weights and the slope:

    .. math::

       \delta^l = \frac{\partial \mathcal{L}}{\partial a^l} \odot g'(z^l), \qquad
       \frac{\partial \mathcal{L}}{\partial a^{l-1}}
       = s\,\frac{\partial \mathcal{L}}{\partial a^l} + W^{l\top} \delta^l .

    Everything else (parameters, :meth:`nnmath.MLP.trace`,
    :meth:`nnmath.MLP.loss_and_gradients`, :meth:`nnmath.MLP.step`,
    :func:`nnmath.train`, :mod:`nnmath.diagnostics`) works as for
    :class:`nnmath.MLP`. See the chapter :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    layer_sizes, activations, rng, init, weight_std
        As for :class:`nnmath.MLP`.
    skip : float
        The skip weight :math:`s`, a finite number (default 1).

    Attributes
    ----------
    skip : float
    residual_layers : tuple of int
        The layer numbers :math:`l` that have a skip connection.

    Raises
    ------
    ValueError
        As :class:`nnmath.MLP`; and if no hidden layer has as many units as
        its input (there is nothing to skip), or ``skip`` is not finite.
    TypeError
        If ``skip`` is not a number.

    Examples
    --------
    With weights 0 a residual layer passes its input on unchanged (tanh(0) = 0):

    >>> import numpy as np
    >>> from nnmath.deep import ResidualMLP
    >>> net = ResidualMLP([2, 2, 2, 1], ["tanh", "tanh", "identity"], rng=0)
    >>> net.residual_layers
    (1, 2)
    >>> net.weights = [np.zeros((2, 2)), np.zeros((2, 2)), np.ones((1, 2))]
    >>> net.forward([[1.0, 2.0]])
    array([[3.]])
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activations: Sequence[str | ScalarFunction],
        rng: int | np.random.Generator | None = None,
        init: str = "xavier",
        weight_std: float | None = None,
        skip: float = 1.0,
    ) -> None:
        super().__init__(layer_sizes, activations, rng=rng, init=init, weight_std=weight_std)
        self.skip = _validate.real_number(skip, "skip")
        sizes = self.layer_sizes
        self.residual_layers = tuple(l for l in range(1, self.n_layers) if sizes[l] == sizes[l - 1])
        if not self.residual_layers:
            raise ValueError(
                "a ResidualMLP needs at least one hidden layer with as many units as its input, "
                f"got layer_sizes {list(sizes)}"
            )

    def _skip(self, l: int, signal: NDArray[np.float64]) -> NDArray[np.float64] | float:
        r"""What the skip of layer :math:`l` carries: :math:`s` times the signal, or 0 without a skip."""
        return self.skip * signal if l in self.residual_layers else 0.0

    def _forward(self, X: NDArray[np.float64]) -> Trace:
        W, b, g = Layers(self.weights, first=1), Layers(self.biases, first=1), self._functions
        a, z = {0: X}, {}
        with np.errstate(over="ignore", invalid="ignore"):
            for l in range(1, self.n_layers + 1):
                z[l] = a[l - 1] @ W[l].T + b[l]  # z^l = W^l a^{l-1} + b^l
                a[l] = self._skip(l, a[l - 1]) + g[l]._value(z[l])  # a^l = s a^{l-1} + g(z^l)
        if not np.isfinite(a[self.n_layers]).all():
            raise self._not_finite("forward pass (its output)")
        L = self.n_layers
        return Trace(a=Layers([a[l] for l in range(L + 1)], first=0), z=Layers([z[l] for l in range(1, L + 1)], first=1))

    def _backward(
        self, trace: Trace, T: NDArray[np.float64], loss: Loss
    ) -> Layers[NDArray[np.float64]]:
        r"""The error terms, from the output down, with the skips' share."""
        L, z, a, g = self.n_layers, trace.z, trace.a, self._functions
        W = Layers(self.weights, first=1)
        delta = {L: loss.output_error(g[L], z[L], a[L], T)}
        grad_a = delta[L] @ W[L]  # ∂L/∂a^(L-1) = W^L⊤ δ^L
        for l in range(L - 1, 0, -1):
            # δ^l = ∂L/∂a^l ⊙ g'(z^l)
            delta[l] = grad_a * g[l]._derivative(z[l])
            # ∂L/∂a^(l-1) = s ∂L/∂a^l + W^l⊤ δ^l
            grad_a = self._skip(l, grad_a) + delta[l] @ W[l]
        return Layers([delta[l] for l in range(1, L + 1)], first=1)

    def __repr__(self) -> str:
        return "Residual" + super().__repr__()[:-1] + f", skip={self.skip!r})"


def _batch(Z: ArrayLike, gamma: ArrayLike, beta: ArrayLike, eps: float) -> tuple:
    """Checked float64 versions of the arguments of batch normalisation."""
    Z = _validate.as_array(Z, "Z", ndim=2)
    if Z.shape[0] < 2:
        raise ValueError(
            f"Z must hold at least two samples (rows) to normalise over the batch, got shape {Z.shape}"
        )
    n_units = Z.shape[1]
    checked = []
    for value, name in [(gamma, "gamma"), (beta, "beta")]:
        array = _validate.as_array(value, name, ndim=(0, 1))
        if array.ndim == 1 and array.shape != (n_units,):
            raise ValueError(
                f"{name} must be a number or have shape ({n_units},), one entry per unit (column of Z), "
                f"got shape {array.shape}"
            )
        checked.append(np.broadcast_to(array, (n_units,)))
    return Z, checked[0], checked[1], _validate.positive_number(eps, "eps")


def batch_norm(
    Z: ArrayLike, gamma: ArrayLike = 1.0, beta: ArrayLike = 0.0, eps: float = 1e-5
) -> NDArray[np.float64]:
    r"""Batch normalisation: every unit standardised over the batch, then scaled and shifted.

    For each unit (column) :math:`j`, over the :math:`m` samples of the batch,

    .. math::

       \mu_j = \frac1m \sum_i z_{ij}, \qquad
       \sigma_j^2 = \frac1m \sum_i (z_{ij} - \mu_j)^2, \qquad
       \hat z_{ij} = \frac{z_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad
       y_{ij} = \gamma_j \hat z_{ij} + \beta_j .

    See the chapter :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    Z : array_like, shape (n_samples, n_units)
        The net inputs of one layer for a batch, at least two samples.
    gamma, beta : float or array_like, shape (n_units,)
        The scale :math:`\gamma` and shift :math:`\beta` (learnt parameters;
        1 and 0 at the start).
    eps : float
        :math:`\varepsilon > 0`, which keeps the division safe for a unit
        that is constant over the batch.

    Returns
    -------
    ndarray, shape (n_samples, n_units)
        :math:`y`.

    Raises
    ------
    TypeError, ValueError
        If ``Z`` is not a finite two-dimensional array with at least two
        rows, ``gamma`` or ``beta`` has the wrong shape, or ``eps`` is not a
        number greater than 0.

    Examples
    --------
    >>> from nnmath.deep import batch_norm
    >>> batch_norm([[1.0, 10.0], [3.0, 10.0]], eps=1e-12).round(6)
    array([[-1.,  0.],
           [ 1.,  0.]])
    """
    Z, gamma, beta, eps = _batch(Z, gamma, beta, eps)
    mu, var = _moments(Z)  # μ_j, σ_j²
    Z_hat = (Z - mu) / np.sqrt(var + eps)  # ẑ = (z - μ) / √(σ² + ε)
    with np.errstate(over="ignore", invalid="ignore"):
        Y = gamma * Z_hat + beta  # y = γ ẑ + β
    return _validate.finite_result(Y, "gamma * ẑ + beta", "use smaller gamma and beta")


def _moments(Z: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """μ_j and σ_j² of each column, or the "overflowed" ValueError for entries of Z too large to sum or square."""
    with np.errstate(over="ignore", invalid="ignore"):
        mu = Z.mean(axis=0)
        var = ((Z - mu) ** 2).mean(axis=0)
    return _validate.finite_result((mu, var), "the mean and variance of Z", "rescale Z")


def batch_norm_backward(
    dY: ArrayLike, Z: ArrayLike, gamma: ArrayLike = 1.0, eps: float = 1e-5
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    r"""The backward rule of :func:`batch_norm`: from :math:`\partial\mathcal{L}/\partial y` to the gradients.

    Every :math:`z_{ij}` moves the mean and variance of its column, so its
    gradient collects the whole batch: with :math:`g = \gamma\,\partial\mathcal{L}/\partial y`,

    .. math::

       \frac{\partial \mathcal{L}}{\partial z_{ij}}
       = \frac{1}{\sqrt{\sigma_j^2 + \varepsilon}}
         \Bigl(g_{ij} - \frac1m \sum_k g_{kj}
               - \hat z_{ij}\, \frac1m \sum_k g_{kj} \hat z_{kj}\Bigr),
       \qquad
       \frac{\partial \mathcal{L}}{\partial \gamma_j} = \sum_i \frac{\partial \mathcal{L}}{\partial y_{ij}} \hat z_{ij},
       \qquad
       \frac{\partial \mathcal{L}}{\partial \beta_j} = \sum_i \frac{\partial \mathcal{L}}{\partial y_{ij}} .

    See the chapter :ref:`chapter-vanishing-gradients`.

    Parameters
    ----------
    dY : array_like, shape (n_samples, n_units)
        :math:`\partial\mathcal{L}/\partial y`.
    Z, gamma, eps
        As passed to :func:`batch_norm`.

    Returns
    -------
    dZ : ndarray, shape (n_samples, n_units)
    dgamma, dbeta : ndarray, shape (n_units,)

    Raises
    ------
    TypeError, ValueError
        As :func:`batch_norm`, and if ``dY`` does not have the shape of ``Z``.

    Examples
    --------
    A loss that only depends on the batch mean, like :math:`\sum_i y_i`,
    cannot be changed through :math:`z`: normalisation removes the mean.

    >>> import numpy as np
    >>> from nnmath.deep import batch_norm_backward
    >>> Z = [[1.0], [2.0], [4.0]]
    >>> dZ, dgamma, dbeta = batch_norm_backward(np.ones((3, 1)), Z)
    >>> bool(np.abs(dZ).max() < 1e-12), dbeta
    (True, array([3.]))
    """
    Z, gamma, _, eps = _batch(Z, gamma, 0.0, eps)
    dY = _validate.as_array(dY, "dY", ndim=2)
    _validate.check_same_shape(dY, "dY", Z, "Z")
    mu, var = _moments(Z)  # μ_j, σ_j²
    std = np.sqrt(var + eps)  # √(σ_j² + ε)
    Z_hat = (Z - mu) / std  # ẑ
    with np.errstate(over="ignore", invalid="ignore"):
        g = gamma * dY  # ∂L/∂ẑ = γ ∂L/∂y
        dZ = (g - g.mean(axis=0) - Z_hat * (g * Z_hat).mean(axis=0)) / std  # ∂L/∂z
        grads = dZ, (dY * Z_hat).sum(axis=0), dY.sum(axis=0)  # ∂L/∂z, ∂L/∂γ, ∂L/∂β
    return _validate.finite_result(grads, "the gradients from dY and gamma", "rescale dY")
