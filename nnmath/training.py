r"""The learning loop: predict, loss, gradient, step, repeat.

:func:`train` runs gradient descent on the weights and biases of an
:class:`nnmath.MLP`,

.. math:: \theta_{k+1} = \theta_k - \eta\, \nabla_\theta L(\theta_k),

where :math:`\theta` holds every weight and bias, and stops when the loss is
small enough, when the gradient is nearly zero, or when its step budget runs
out. It returns a :class:`History` of the loss and the gradient's length at
every step.

Two regularisers of the chapter :ref:`chapter-generalisation` are options:
``weight_decay`` adds :math:`\lambda W` to each weight gradient, and a
``validation`` set with a ``patience`` stops early and keeps the parameters
with the best validation loss.

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
from .optim import DivergenceError, Optimizer, get_optimizer
from .regularisation import l2_penalty_gradients

__all__ = ["STOP_REASONS", "History", "train"]

STOP_REASONS = ("loss tolerance", "gradient tolerance", "early stopping", "step budget")
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
    validation_loss : ndarray, shape ``(steps + 1,)``, or None
        ``validation_loss[k]`` is the loss on the validation set after ``k``
        updates, when :func:`train` was given one (``None`` otherwise).
    best_step : int or None
        The step with the lowest validation loss (the first, on a tie), or
        ``None`` without a validation set. With a ``patience`` the network
        ends with the parameters of this step.
    weight_decay : float
        The weight decay :math:`\lambda` used (0 for none).

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
    validation_loss: NDArray[np.float64] | None = None
    best_step: int | None = None
    weight_decay: float = 0.0

    @property
    def final_loss(self) -> float:
        """The loss after the last update, ``loss[-1]``."""
        return float(self.loss[-1])

    def __str__(self) -> str:
        steps = "1 step" if self.steps == 1 else f"{self.steps} steps"
        text = (
            f"stopped by the {self.stop_reason} after {steps} (learning rate {self.learning_rate:g})\n"
            f"  loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}, gradient norm {self.gradient_norm[-1]:.3g}"
        )
        if self.validation_loss is not None and self.best_step is not None:
            text += (f"\n  validation loss {self.validation_loss[0]:.4g} -> {self.validation_loss[-1]:.4g}, "
                     f"best {self.validation_loss[self.best_step]:.4g} at step {self.best_step}")
        return text


def _tolerance(value: Any, name: str) -> float | None:
    return None if value is None else _validate.positive_number(value, name)


def _validation_set(validation: Any, net: MLP) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(X_val, T_val)`` from a pair or a :class:`~nnmath.datasets.Subset`, checked against ``net``."""
    if hasattr(validation, "X") and hasattr(validation, "T"):
        X_val, T_val = validation.X, validation.T
    elif isinstance(validation, (tuple, list)) and len(validation) == 2:
        X_val, T_val = validation
    else:
        raise TypeError("validation must be a pair (X_val, T_val) or a Subset from nnmath.split, "
                        f"got {_validate._describe(validation)}")
    X_val = _validate.as_array(X_val, "validation X", ndim=2)
    T_val = _validate.as_array(T_val, "validation T", ndim=2)
    n_in, n_out = net.layer_sizes[0], net.layer_sizes[-1]
    if X_val.shape[1] != n_in:
        raise ValueError(f"validation X must have shape (n_val, {n_in}) to match the network's {n_in} inputs, "
                         f"got shape {X_val.shape}")
    if T_val.shape != (X_val.shape[0], n_out):
        raise ValueError(f"validation T must have shape {(X_val.shape[0], n_out)} = (n_val, n_out) to match "
                         f"validation X and the network's {n_out} outputs, got shape {T_val.shape}")
    return X_val, T_val


def _held_out_loss(net: MLP, X_val: NDArray[np.float64], T_val: NDArray[np.float64], loss_fn: Loss,
                   k: int) -> float:
    """The loss on the validation set; an overflow there after training started counts as no improvement."""
    try:
        return net.loss(X_val, T_val, loss_fn)
    except ValueError:
        if k == 0:
            raise
        return float("inf")


def _flat_norm(weight_grads: list[NDArray[np.float64]], bias_grads: list[NDArray[np.float64]]) -> float:
    """The Euclidean length of all gradients together, without overflow for huge entries."""
    flat = np.concatenate([g.ravel() for g in (*weight_grads, *bias_grads)])
    scale = float(np.abs(flat).max())
    if scale == 0.0 or not np.isfinite(scale):
        return scale
    with np.errstate(over="ignore"):  # only the final product can overflow: then the norm is inf
        return float(scale * np.sqrt(((flat / scale) ** 2).sum()))


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
    optimizer: str | Optimizer = "sgd",
    weight_decay: float = 0.0,
    validation: Any = None,
    patience: int | None = None,
) -> History:
    r"""Train ``net`` in place by gradient descent and return its :class:`History`.

    Each step evaluates the loss and its gradient by backpropagation (on all
    samples, or on a mini-batch), then moves every weight and bias against its
    gradient:

    .. math:: W^{l} \leftarrow W^{l} - \eta \frac{\partial L}{\partial W^{l}}, \qquad
       b^{l} \leftarrow b^{l} - \eta \frac{\partial L}{\partial b^{l}}.

    With another ``optimizer`` the gradient is replaced by that optimiser's
    direction (momentum, RMSProp or Adam, with one running average per weight
    matrix and bias vector), as in the chapter :ref:`chapter-momentum`.

    With ``weight_decay`` :math:`\lambda > 0` each weight gradient gets
    :math:`\lambda W^l` added (the gradient of the L2 penalty
    :math:`\tfrac{\lambda}{2}\sum_l \lVert W^l\rVert^2`), and the biases
    are not decayed:

    .. math:: W^{l} \leftarrow (1 - \eta\lambda) W^{l} - \eta \frac{\partial \mathcal{L}}{\partial W^{l}},

    the same step as ``torch.optim.SGD(..., weight_decay=λ)`` on the weights only.

    Before each update the stopping rules are checked, in this order: the
    loss is at most ``loss_tolerance``; the gradient's length is at most
    ``gradient_tolerance``; the validation loss has not improved on its best
    for ``patience`` steps (early stopping); ``steps`` updates have been made.

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
    optimizer : {"sgd", "rmsprop", "adam"} or Optimizer
        The update rule: a name from :data:`nnmath.OPTIMIZERS` with its
        default settings, or an object such as ``nnmath.SGD(momentum=0.9)``
        or ``nnmath.Adam(beta1=0.9)``. The default ``"sgd"`` is plain
        gradient descent.
    weight_decay : float
        :math:`\lambda`, a finite number at least 0 (0, the default, is plain
        gradient descent). ``history.loss`` stays the unpenalised loss; the
        gradient norm and the update include :math:`\lambda W`.
    validation : (X_val, T_val) or Subset, optional
        A held-out set, shaped like ``X`` and ``T``; its loss (the same
        ``loss``, without the penalty) is recorded after every step in
        ``history.validation_loss`` and its best step in ``history.best_step``.
    patience : int, optional
        Early stopping (needs ``validation``): stop when the validation loss
        has not been below its best for this many steps (1 or more), and
        restore the parameters of the best step, also when another rule
        stopped training first.

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
        an unknown loss or optimiser, ``learning_rate <= 0``, ``steps < 0``, tolerances that
        are not positive, ``batch_size`` outside ``1 .. n_samples``, or a
        ``callback`` that is not callable, a negative or non-finite
        ``weight_decay``, a validation set whose shapes do not match the
        network, or a ``patience`` that is not a whole number of at least 1 or
        comes without a ``validation`` set.

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

    Weight decay and early stopping on a held-out set:

    >>> net = nnmath.MLP([1, 1], ["identity"], rng=0)
    >>> history = train(net, X, 2 * X + 1, "mse", 0.1, 200, weight_decay=0.01,
    ...                 validation=([[3.0]], [[7.0]]), patience=5)
    >>> history.validation_loss.shape == history.loss.shape
    True
    >>> history.best_step <= history.steps
    True
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
    rule = get_optimizer(optimizer)
    lam = _validate.non_negative_number(weight_decay, "weight_decay")
    if validation is not None:
        X_val, T_val = _validation_set(validation, net)
    if patience is not None:
        patience = _validate.whole_number(patience, "patience", minimum=1)
        if validation is None:
            raise ValueError("patience needs a validation set: pass validation=(X_val, T_val) "
                             "or a Subset from nnmath.split")
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
    validation_losses: list[float] = []
    best_step, best_parameters = 0, net.get_parameters()

    states = [rule.start(p) for p in (*net.weights, *net.biases)]
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
                # X, T, the loss and the starting parameters were checked above, and
                # the loop stores only finite parameters: no check is repeated here.
                trace = net._trace(Xb, Tb, loss_fn)
            except ValueError:
                # So the only failure left is overflow: divergence.
                if k == 0:
                    raise
                raise DivergenceError(k, eta, np.array(losses), "loss") from None
        value = float(trace.loss)
        weight_grads = list(trace.weight_grads)
        if lam > 0:  # the L2 penalty's gradient, lambda W, on the weights only
            weight_grads = [dW + dP for dW, dP in zip(weight_grads, l2_penalty_gradients(net.weights, lam))]
        norm = _flat_norm(weight_grads, trace.bias_grads)
        if not (np.isfinite(value) and np.isfinite(norm)):
            if k == 0:
                raise ValueError("the loss or its gradient is not finite at the starting parameters")
            raise DivergenceError(k, eta, np.array(losses), "loss")
        losses.append(value)
        norms.append(norm)
        if validation is not None:  # the loss on held-out data, and the best step so far
            validation_losses.append(_held_out_loss(net, X_val, T_val, loss_fn, k))
            if validation_losses[-1] < validation_losses[best_step]:
                best_step, best_parameters = k, net.get_parameters()
        if callback is not None:
            callback(k, net, trace)
        if loss_tol is not None and value <= loss_tol:
            stop_reason = "loss tolerance"
            break
        if grad_tol is not None and norm <= grad_tol:
            stop_reason = "gradient tolerance"
            break
        if patience is not None and k - best_step >= patience:
            stop_reason = "early stopping"
            break
        if k == budget:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            moves = [rule.direction(g, state, k + 1) for g, state in
                     zip((*weight_grads, *trace.bias_grads), states)]
            new = [p - eta * d for p, (d, _) in zip((*net.weights, *net.biases), moves)]
        if not all(np.isfinite(p).all() for p in new):
            raise DivergenceError(k + 1, eta, np.array(losses), "loss")
        states = [state for _, state in moves]
        # Float64 arrays of the parameters' shapes, checked finite just above: stored as they are.
        net.weights._replace_unchecked(new[: net.n_layers])
        net.biases._replace_unchecked(new[net.n_layers:])
    if patience is not None:
        net.set_parameters(best_parameters)
    return History(
        loss=np.array(losses),
        gradient_norm=np.array(norms),
        steps=len(losses) - 1,
        stop_reason=stop_reason,
        learning_rate=eta,
        validation_loss=np.array(validation_losses) if validation is not None else None,
        best_step=best_step if validation is not None else None,
        weight_decay=lam,
    )
