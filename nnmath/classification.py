r"""Classifiers: predicted classes, accuracy, decision regions, training with snapshots.

A network with a softmax output layer gives each input a probability
:math:`p_k` for every class :math:`k`. Its **prediction** is the most
probable class,

.. math:: \hat y = \operatorname*{arg\,max}_k p_k = \operatorname*{arg\,max}_k z_k ,

the same as the largest logit, because softmax keeps the order of the logits
(:math:`p_i / p_j = e^{z_i - z_j}`). A network with a single output (a
sigmoid unit) predicts class 1 where its output is at least 1/2. The
**accuracy** is the fraction of inputs whose prediction is the true label.

* :func:`predict_classes` and :func:`accuracy` apply this rule;
* :func:`decision_regions` predicts the class at every point of a grid, for a
  picture of the regions the network carves out of the plane;
* :func:`train_with_snapshots` runs :func:`nnmath.train` (the same loop) and
  records the accuracy after every step and copies of the network at chosen
  steps, so that training can be watched as it goes on.

See the chapter :ref:`chapter-training`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .losses import Loss, get_loss
from .network import MLP, Trace, _check_net
from .optim import DivergenceError
from .training import History, train

__all__ = [
    "TrainingRun",
    "accuracy",
    "decision_regions",
    "labels_from_targets",
    "predict_classes",
    "train_with_snapshots",
]



def _n_classes(net: MLP) -> int:
    """Classes a network distinguishes: its outputs, or 2 for a single output."""
    return max(net.layer_sizes[-1], 2)


def _classes_from_output(Y: NDArray[np.float64]) -> NDArray[np.int64]:
    """The predicted class of each row of a network's output (argmax, or >= 1/2 for one column)."""
    if Y.shape[1] == 1:
        return (Y[:, 0] >= 0.5).astype(np.int64)
    return np.argmax(Y, axis=1).astype(np.int64)


def _labels(labels: ArrayLike, n_samples: int, n_classes: int, name: str = "labels") -> NDArray[np.int64]:
    """Check class labels: whole numbers 0 .. n_classes - 1, one per sample."""
    values = _validate.as_array(labels, name, ndim=1)
    if values.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have one class label per sample, shape ({n_samples},), got shape {values.shape}"
        )
    if not np.all(values == np.round(values)):
        bad = values[values != np.round(values)][0]
        raise ValueError(f"{name} must be whole numbers (class indices), got {bad!r}")
    if values.min() < 0 or values.max() > n_classes - 1:
        bad = values[(values < 0) | (values > n_classes - 1)][0]
        raise ValueError(
            f"{name} must be class indices from 0 to {n_classes - 1} for a network with "
            f"{n_classes} classes, got {bad:g}"
        )
    return values.astype(np.int64)


def predict_classes(net: MLP, X: ArrayLike) -> NDArray[np.int64]:
    r"""The class the network predicts for each input: the most probable one.

    .. math:: \hat y_n = \operatorname*{arg\,max}_k \; a^{L}_{nk}

    For a network with one output unit (a sigmoid), class 1 where the output
    is at least 1/2 and class 0 otherwise. Ties go to the lower class index.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)

    Returns
    -------
    ndarray of int, shape (n_samples,)

    Raises
    ------
    TypeError, ValueError
        For a ``net`` that is not an MLP or ``X`` of the wrong shape.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.classification import predict_classes
    >>> net = nnmath.MLP([2, 3], ["softmax"], rng=0)
    >>> net.weights[0] = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    >>> predict_classes(net, [[2.0, 0.0], [0.0, 3.0], [-1.0, -1.0]])
    array([0, 1, 2])
    """
    _check_net(net)
    return _classes_from_output(net.forward(X))


def accuracy(net: MLP, X: ArrayLike, labels: ArrayLike) -> float:
    r"""The fraction of inputs the network classifies correctly.

    .. math:: \text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} [\hat y_n = y_n]

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    net : MLP
    X : array_like, shape (n_samples, n_in)
    labels : array_like of int, shape (n_samples,)
        The true classes, ``0 .. n_out - 1`` (0 or 1 for a single output).

    Returns
    -------
    float
        Between 0 and 1.

    Raises
    ------
    TypeError, ValueError
        For a ``net`` that is not an MLP, ``X`` of the wrong shape, or labels
        that are not one whole number from ``0 .. n_classes - 1`` per sample.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.classification import accuracy
    >>> net = nnmath.MLP([2, 3], ["softmax"], rng=0)
    >>> net.weights[0] = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    >>> X = [[2.0, 0.0], [0.0, 3.0], [-1.0, -1.0], [1.0, 0.0]]
    >>> accuracy(net, X, [0, 1, 2, 2])
    0.75
    """
    _check_net(net)
    predicted = predict_classes(net, X)
    truth = _labels(labels, predicted.shape[0], _n_classes(net))
    return float(np.mean(predicted == truth))



def decision_regions(
    net: MLP,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    resolution: int = 100,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    r"""The predicted class at every point of a grid over the plane.

    The plane is split into the regions where each class is the most
    probable; their borders are the **decision boundary**, where two classes
    are equally probable (:math:`z_i = z_j`). Draw them with
    ``plt.contourf(G1, G2, classes)`` or ``plt.imshow(classes,
    origin="lower", extent=(*xlim, *ylim))``.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    net : MLP
        A network with two inputs.
    xlim, ylim : (float, float)
        The grid's range in the first and second input, ``low < high``.
    resolution : int
        Grid points along each axis, from 2 to 2000.

    Returns
    -------
    G1, G2 : ndarray, shape (resolution, resolution)
        The grid's coordinates (as from ``numpy.meshgrid``): ``G1[i, j]`` is
        the first input and ``G2[i, j]`` the second at grid point ``(i, j)``;
        ``i`` counts along the second input.
    classes : ndarray of int, shape (resolution, resolution)
        The predicted class at each grid point.

    Raises
    ------
    TypeError, ValueError
        For a ``net`` that is not an MLP or does not have two inputs, bad
        ranges, or a resolution outside ``2 .. 2000``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.classification import decision_regions
    >>> net = nnmath.MLP([2, 2], ["softmax"], rng=0)
    >>> net.weights[0] = np.array([[1.0, 0.0], [-1.0, 0.0]])  # class 0 if x1 > 0
    >>> G1, G2, classes = decision_regions(net, (-1, 1), (0, 1), resolution=4)
    >>> G1[0]
    array([-1.        , -0.33333333,  0.33333333,  1.        ])
    >>> classes
    array([[1, 1, 0, 0],
           [1, 1, 0, 0],
           [1, 1, 0, 0],
           [1, 1, 0, 0]])
    """
    _check_net(net)
    if net.layer_sizes[0] != 2:
        raise ValueError(
            f"net must have 2 inputs to draw regions in the plane, got layer_sizes {list(net.layer_sizes)}"
        )
    x_low, x_high = _validate.interval(xlim, "xlim")
    y_low, y_high = _validate.interval(ylim, "ylim")
    n = _validate.whole_number(resolution, "resolution", minimum=2)
    if n > 2000:
        raise ValueError(f"resolution must be at most 2000 (grid points per axis), got {resolution}")
    G1, G2 = np.meshgrid(np.linspace(x_low, x_high, n), np.linspace(y_low, y_high, n))
    classes = predict_classes(net, np.column_stack([G1.ravel(), G2.ravel()]))
    return G1, G2, classes.reshape(n, n)


def labels_from_targets(T: ArrayLike) -> NDArray[np.int64]:
    """The class of each row of targets: the column of its largest entry.

    One-hot rows give back the labels they were made from
    (``labels_from_targets(one_hot(labels, K)) == labels``); a single column
    of 0/1 targets (for a sigmoid output) gives 1 where the target is at
    least 1/2.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    T : array_like, shape (n_samples, n_out)

    Returns
    -------
    ndarray of int, shape (n_samples,)

    Raises
    ------
    TypeError, ValueError
        For targets that are not a finite 2-D array of numbers.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.classification import labels_from_targets
    >>> labels_from_targets(nnmath.one_hot([2, 0, 1], 3))
    array([2, 0, 1])
    >>> labels_from_targets([[0.0], [1.0]])
    array([0, 1])
    """
    return _classes_from_output(_validate.as_array(T, "T", ndim=2))


@dataclass(frozen=True)
class TrainingRun:
    r"""What :func:`train_with_snapshots` recorded.

    See the chapter :ref:`chapter-training`.

    Attributes
    ----------
    loss : ndarray, shape (k + 1,)
        The loss after each of the ``k`` updates made (``loss[0]`` at the
        start), as ``History.loss``; for a run that diverged, the
        finite losses before the step that failed.
    accuracy : ndarray, shape (k + 1,)
        The accuracy on all of ``X`` at the same points.
    snapshots : dict of int to MLP
        Independent copies of the network after the requested numbers of
        updates (only those the run reached).
    history : History or None
        The :class:`nnmath.History` returned by :func:`nnmath.train`; ``None``
        when the run diverged.
    diverged_at : int or None
        The step at which :func:`nnmath.train` raised
        :class:`nnmath.DivergenceError`, when ``on_divergence="record"``.
    learning_rate : float

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.classification import train_with_snapshots
    >>> X, labels = nnmath.datasets.moons(40, rng=0)
    >>> net = nnmath.MLP([2, 8, 2], ["tanh", "softmax"], rng=0)
    >>> run = train_with_snapshots(net, X, nnmath.one_hot(labels, 2),
    ...                            "cross_entropy", 0.5, 100, at=(0, 100))
    >>> run.steps, sorted(run.snapshots), run.accuracy.shape
    (100, [0, 100], (101,))
    >>> bool(run.final_accuracy > run.accuracy[0])
    True
    >>> bool(run.final_loss < run.loss[0])
    True
    """

    loss: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    snapshots: dict[int, MLP] = field(repr=False)
    history: History | None
    diverged_at: int | None
    learning_rate: float

    @property
    def steps(self) -> int:
        """The number of updates whose loss was recorded, ``len(loss) - 1``."""
        return len(self.loss) - 1

    @property
    def final_loss(self) -> float:
        """The last recorded loss."""
        return float(self.loss[-1])

    @property
    def final_accuracy(self) -> float:
        """The last recorded accuracy."""
        return float(self.accuracy[-1])

    def __str__(self) -> str:
        if self.diverged_at is not None:
            outcome = f"diverged at step {self.diverged_at} (learning rate {self.learning_rate:g})"
        else:
            outcome = str(self.history).split("\n")[0]
        return (
            f"{outcome}\n  loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}, "
            f"accuracy {self.accuracy[0]:.1%} -> {self.accuracy[-1]:.1%}"
        )


def _snapshot_steps(at: Any, steps: int) -> tuple[int, ...]:
    if isinstance(at, (str, bytes)) or not hasattr(at, "__iter__"):
        raise TypeError(f"at must be a list of step numbers like (0, 10, 100), got {_validate._describe(at)}")
    chosen = [_validate.whole_number(k, f"at[{i}]") for i, k in enumerate(at)]
    too_late = [k for k in chosen if k > steps]
    if too_late:
        raise ValueError(f"at must hold steps from 0 to steps = {steps}, got {too_late[0]}")
    return tuple(sorted(set(chosen)))


def train_with_snapshots(
    net: MLP,
    X: ArrayLike,
    T: ArrayLike,
    loss: str | Loss,
    learning_rate: float,
    steps: int,
    *,
    at: Sequence[int] = (),
    on_divergence: str = "raise",
    **train_options: Any,
) -> TrainingRun:
    r"""Train ``net`` with :func:`nnmath.train` and record the accuracy and snapshots.

    The loop is :func:`nnmath.train` itself, unchanged; its ``callback``
    records, after every step :math:`k`, the accuracy on all of ``X`` (read
    from the step's forward pass when training on all samples, from an extra
    forward pass with mini-batches), and a copy of the network at the steps
    listed in ``at``.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    net : MLP
        Trained in place, as by :func:`nnmath.train`.
    X : array_like, shape (n_samples, n_in)
    T : array_like, shape (n_samples, n_out)
        The targets: one-hot rows for a softmax output (see
        :func:`nnmath.one_hot`), or 0/1 for a single sigmoid output. The true
        classes are read from them by :func:`labels_from_targets`.
    loss : {"sse", "mse", "cross_entropy"} or Loss
    learning_rate : float
    steps : int
        The step budget, 0 or more.
    at : sequence of int
        The steps (numbers of updates, from 0 to ``steps``) after which to keep
        a copy of the network. A run that stops early (a tolerance, or
        divergence) keeps only the copies it reached.
    on_divergence : {"raise", "record"}
        ``"raise"``: :class:`nnmath.DivergenceError` propagates, as from
        :func:`nnmath.train`. ``"record"``: the run is returned with
        ``diverged_at`` set and what was recorded before the failing step.
    **train_options
        ``batch_size``, ``rng``, ``loss_tolerance``, ``gradient_tolerance``:
        passed on to :func:`nnmath.train`.

    Returns
    -------
    TrainingRun

    Raises
    ------
    DivergenceError
        When the run diverges and ``on_divergence="raise"``.
    TypeError, ValueError
        For the errors of :func:`nnmath.train`, an ``at`` that is not a list
        of whole numbers from 0 to ``steps``, an unknown ``on_divergence``, or
        an unknown option (``callback`` is this function's own).

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.classification import train_with_snapshots
    >>> X, labels = nnmath.datasets.spirals(30, n_classes=3, rng=0)
    >>> net = nnmath.MLP([2, 16, 16, 3], ["relu", "relu", "softmax"], rng=1,
    ...                  init="he")
    >>> run = train_with_snapshots(net, X, nnmath.one_hot(labels, 3),
    ...                            "cross_entropy", 1.0, 300, at=(0, 50, 300))
    >>> print(run)
    stopped by the step budget after 300 steps (learning rate 1)
      loss 1.065 -> 0.06187, accuracy 38.9% -> 96.7%
    >>> run.accuracy[[0, 50, 300]].round(2)
    array([0.39, 0.82, 0.97])
    >>> T = nnmath.one_hot(labels, 3)
    >>> bool(run.snapshots[50].loss(X, T, "cross_entropy") == run.loss[50])
    True
    """
    _check_net(net)
    budget = _validate.whole_number(steps, "steps", minimum=0)
    keep = set(_snapshot_steps(at, budget))
    mode = _validate.choice(on_divergence, "on_divergence", ("raise", "record"))
    allowed = {"batch_size", "rng", "loss_tolerance", "gradient_tolerance"}
    unknown = sorted(set(train_options) - allowed)
    if unknown:
        raise TypeError(
            f"train_with_snapshots got an unknown option {unknown[0]!r}; the options passed on to "
            f"nnmath.train are {', '.join(sorted(allowed))}"
        )
    X_arr = _validate.as_array(X, "X", ndim=2)
    T_arr = _validate.as_array(T, "T", ndim=(1, 2))
    get_loss(loss)  # an unknown loss is reported before anything else happens
    labels = labels_from_targets(T_arr) if T_arr.ndim == 2 else None
    full_batch = train_options.get("batch_size") is None
    accuracies: list[float] = []
    snapshots: dict[int, MLP] = {}

    def record(k: int, current: MLP, trace: Trace) -> None:
        output = trace.a[-1] if full_batch else current.forward(X_arr)
        accuracies.append(float(np.mean(_classes_from_output(output) == labels)))
        if k in keep:
            snapshots[k] = current.copy()

    try:
        history = train(net, X_arr, T_arr, loss, learning_rate, budget, callback=record, **train_options)
    except DivergenceError as error:
        if mode == "raise":
            raise
        return TrainingRun(
            loss=np.array(error.trajectory, dtype=np.float64),
            accuracy=np.array(accuracies),
            snapshots=snapshots,
            history=None,
            diverged_at=error.step,
            learning_rate=float(error.learning_rate),
        )
    return TrainingRun(
        loss=history.loss,
        accuracy=np.array(accuracies),
        snapshots=snapshots,
        history=history,
        diverged_at=None,
        learning_rate=history.learning_rate,
    )
