r"""The learning loop: predict, loss, gradient, step, repeat.

:func:`train` runs gradient descent on the weights and biases of an
:class:`nnmath.MLP`,

.. math:: \theta_{k+1} = \theta_k - \eta\, \nabla_\theta L(\theta_k),

where :math:`\theta` holds every weight and bias, and stops when the loss is
small enough, when the gradient is nearly zero, or when its step budget runs
out. It returns a :class:`History` of the loss and the gradient's length at
every step.

See the chapter :ref:`chapter-how-networks-learn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .losses import Loss, get_loss
from .network import MLP, Trace, _check_net
from .optim import DivergenceError

__all__ = ["STOP_REASONS", "History", "train"]

STOP_REASONS = ("loss tolerance", "gradient tolerance", "step budget")
"""The reasons :func:`train` can stop for, as stored in :attr:`History.stop_reason`."""


@dataclass(frozen=True)
class History:
    r"""What happened during :func:`train`.

    See the chapter :ref:`chapter-how-networks-learn`.

    Attributes
    ----------
    loss : ndarray, shape ``(steps + 1,)``
        ``loss[k]`` is the loss after ``k`` updates (``loss[0]`` at the start).
        With mini-batches it is the loss on the mini-batch drawn at step ``k``.
    gradient_norm : ndarray, shape ``(steps + 1,)``
        The Euclidean length :math:`\lVert \nabla_\theta L \rVert` of the
        gradient over all weights and biases, at the same points as ``loss``.
    steps : int
        The number of updates made.
    stop_reason : str
        ``"loss tolerance"``, ``"gradient tolerance"`` or ``"step budget"``.
    learning_rate : float
        The learning rate :math:`\eta` used.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.datasets import logic_gate
    >>> X, t = logic_gate("and")
    >>> net = nnmath.MLP([2, 1], ["sigmoid"], rng=0)
    >>> history = nnmath.train(net, X, t[:, None], "mse", 1.0, 50)
    >>> history.loss.shape, history.steps, history.stop_reason
    ((51,), 50, 'step budget')
    >>> bool(history.final_loss < history.loss[0])
    True
    """

    loss: NDArray[np.float64]
    gradient_norm: NDArray[np.float64]
    steps: int
    stop_reason: str
    learning_rate: float

    @property
    def final_loss(self) -> float:
        """The loss after the last update, ``loss[-1]``."""
        return float(self.loss[-1])

    def __str__(self) -> str:
        steps = "1 step" if self.steps == 1 else f"{self.steps} steps"
        return (
            f"stopped by the {self.stop_reason} after {steps} (learning rate {self.learning_rate:g})\n"
            f"  loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}, gradient norm {self.gradient_norm[-1]:.3g}"
        )


def _tolerance(value: Any, name: str) -> float | None:
    return None if value is None else _validate.positive_number(value, name)


def _flat_norm(weight_grads: list[NDArray[np.float64]], bias_grads: list[NDArray[np.float64]]) -> float:
    """The Euclidean length of all gradients together, without overflow for huge entries."""
    flat = np.concatenate([g.ravel() for g in (*weight_grads, *bias_grads)])
    scale = float(np.max(np.abs(flat)))
    if scale == 0.0 or not np.isfinite(scale):
        return scale
    with np.errstate(over="ignore"):  # only the final product can overflow: then the norm is inf
        return float(scale * np.sqrt(np.sum((flat / scale) ** 2)))


def train(
    net: MLP,
    X: ArrayLike,
    T: ArrayLike,
    loss: str | Loss,
    learning_rate: float,
    steps: int,
    *,
    batch_size: int | None = None,
    rng: np.random.Generator | int | None = None,
    loss_tolerance: float | None = None,
    gradient_tolerance: float | None = None,
    callback: Callable[[int, MLP, Trace], Any] | None = None,
) -> History:
    r"""Train ``net`` in place by gradient descent and return its :class:`History`.

    Each step evaluates the loss and its gradient by backpropagation (on all
    samples, or on a mini-batch), then moves every weight and bias against its
    gradient:

    .. math:: W^{l} \leftarrow W^{l} - \eta \frac{\partial L}{\partial W^{l}}, \qquad
       b^{l} \leftarrow b^{l} - \eta \frac{\partial L}{\partial b^{l}}.

    Before each update the stopping rules are checked, in this order: the
    loss is at most ``loss_tolerance``; the gradient's length is at most
    ``gradient_tolerance``; ``steps`` updates have been made.

    See the chapter :ref:`chapter-how-networks-learn`, where this loop is written out
    by hand and then run with this function.

    Parameters
    ----------
    net : MLP
        The network; its ``weights`` and ``biases`` are updated in place.
    X : array_like, shape (n_samples, n_in)
        The inputs, one sample per row.
    T : array_like, shape (n_samples, n_out)
        The targets.
    loss : {"sse", "mse", "cross_entropy"} or Loss
    learning_rate : float
        :math:`\eta`, a finite number greater than 0.
    steps : int
        The step budget: at most this many updates (0 or more).
    batch_size : int, optional
        Samples per mini-batch, from 1 to ``n_samples``; each step draws a new
        mini-batch without replacement using ``rng``. ``None`` (the default)
        uses every sample at every step (full-batch gradient descent).
    rng : numpy.random.Generator, int or None
        Where mini-batches come from; only used when ``batch_size`` is given.
    loss_tolerance : float, optional
        Stop as soon as the loss is at most this (greater than 0).
    gradient_tolerance : float, optional
        Stop as soon as the gradient's length is at most this (greater than 0).
    callback : callable, optional
        Called as ``callback(k, net, trace)`` once for every evaluated step
        ``k = 0, 1, ..., history.steps``, after the loss and the gradient of
        step ``k`` are computed and before the stopping rules and the update:
        ``net`` holds the parameters after ``k`` updates and ``trace`` is the
        :class:`~nnmath.Trace` of that step (on its mini-batch), so
        ``trace.loss == history.loss[k]`` and ``trace.a[-1]`` is the output.
        Its return value is ignored; it must not change ``net``. Use it to
        record more than the loss, e.g. the accuracy or copies of the network
        (``nnmath.classification.train_with_snapshots`` does). Not called
        for a step whose loss is not finite.

    Returns
    -------
    History
        ``loss`` and ``gradient_norm`` of shape ``(history.steps + 1,)``, the
        number of steps taken and the reason for stopping.

    Raises
    ------
    DivergenceError
        When the loss or a parameter stops being finite (the learning rate is
        too large). ``error.step`` is the first update whose result was not
        finite and ``error.trajectory`` holds the finite losses before it. The
        network keeps its last finite parameters.
    TypeError, ValueError
        For a ``net`` that is not an MLP, ``X`` and ``T`` of the wrong shapes,
        an unknown loss, ``learning_rate <= 0``, ``steps < 0``, tolerances that
        are not positive, ``batch_size`` outside ``1 .. n_samples``, or a
        ``callback`` that is not callable.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.training import train
    >>> net = nnmath.MLP([1, 1], ["identity"], rng=0)   # y = w x + b
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> history = train(net, X, 2 * X + 1, "mse", learning_rate=0.1, steps=500,
    ...                 loss_tolerance=1e-10)
    >>> history.stop_reason, history.steps
    ('loss tolerance', 168)
    >>> net.weights[0].round(4), net.biases[0].round(4)
    (array([[2.]]), array([1.]))

    A callback sees every step; here it records the loss of each one:

    >>> net = nnmath.MLP([1, 1], ["identity"], rng=0)
    >>> seen = []
    >>> history = train(net, X, 2 * X + 1, "mse", 0.1, 3,
    ...                 callback=lambda k, n, trace: seen.append((k, trace.loss)))
    >>> [k for k, _ in seen], [value for _, value in seen] == list(history.loss)
    ([0, 1, 2, 3], True)
    """
    _check_net(net)
    X = _validate.as_array(X, "X", ndim=2)
    T = _validate.as_array(T, "T", ndim=(1, 2))
    loss_fn = get_loss(loss)
    eta = _validate.positive_number(learning_rate, "learning_rate")
    budget = _validate.whole_number(steps, "steps", minimum=0)
    _validate.check_size(budget, "steps", "a loss per step")
    loss_tol = _tolerance(loss_tolerance, "loss_tolerance")
    grad_tol = _tolerance(gradient_tolerance, "gradient_tolerance")
    if callback is not None:
        _validate.callable_(callback, "callback")
    n_samples = X.shape[0]
    if batch_size is not None:
        batch_size = _validate.whole_number(batch_size, "batch_size", minimum=1)
        if batch_size > n_samples:
            raise ValueError(
                f"batch_size must be from 1 to the number of samples ({n_samples}), got {batch_size}"
            )
        generator = _validate.as_rng(rng, "rng")
    elif rng is not None:
        _validate.as_rng(rng, "rng")  # a wrong type is still an error, even if unused

    # Validate the data against the network once, on all samples: wrong shapes,
    # a loss that does not fit the output layer, or non-finite starting
    # parameters are reported here as ordinary errors.
    first = net.trace(X, T, loss_fn)

    losses: list[float] = []
    norms: list[float] = []
    stop_reason = "step budget"
    for k in range(budget + 1):
        if k == 0 and batch_size is None:
            trace = first
        else:
            if batch_size is None:
                Xb, Tb = X, T
            else:
                rows = generator.choice(n_samples, size=batch_size, replace=False)
                Xb, Tb = X[rows], T[rows]
            try:
                trace = net.trace(Xb, Tb, loss_fn)
            except ValueError:
                # Shapes and losses were validated above and the parameters are
                # finite, so the only failure left is overflow: divergence.
                if k == 0:
                    raise
                raise DivergenceError(k, eta, np.array(losses), "loss") from None
        value = float(trace.loss)
        norm = _flat_norm(trace.weight_grads, trace.bias_grads)
        if not (np.isfinite(value) and np.isfinite(norm)):
            if k == 0:
                raise ValueError("the loss or its gradient is not finite at the starting parameters")
            raise DivergenceError(k, eta, np.array(losses), "loss")
        losses.append(value)
        norms.append(norm)
        if callback is not None:
            callback(k, net, trace)
        if loss_tol is not None and value <= loss_tol:
            stop_reason = "loss tolerance"
            break
        if grad_tol is not None and norm <= grad_tol:
            stop_reason = "gradient tolerance"
            break
        if k == budget:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            new_weights = [W - eta * dW for W, dW in zip(net.weights, trace.weight_grads)]
            new_biases = [b - eta * db for b, db in zip(net.biases, trace.bias_grads)]
        if not all(np.all(np.isfinite(p)) for p in (*new_weights, *new_biases)):
            raise DivergenceError(k + 1, eta, np.array(losses), "loss")
        net.weights[:] = new_weights
        net.biases[:] = new_biases
    return History(
        loss=np.array(losses),
        gradient_norm=np.array(norms),
        steps=len(losses) - 1,
        stop_reason=stop_reason,
        learning_rate=eta,
    )
