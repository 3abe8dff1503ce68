r"""The training widget: train a classifier, watch its loss, accuracy and regions.

Re-exported by :mod:`nnmath.widgets`; import the names from there. Every
picture the widget shows is computed by plain functions that tests (and
readers) can call directly:

* :func:`training_frame` trains a small network (softmax output,
  cross-entropy) on two-dimensional data for one setting of the learning
  rate, width, activation and step budget, with the book's loop
  (:func:`nnmath.classification.train_with_snapshots`, built on
  :func:`nnmath.train`), and says what happened: ``"trained"``, ``"slow"``,
  ``"unstable"``, ``"stuck"`` or ``"diverged"``, with a one-line label;
* :func:`training_figure` draws a frame in three panels (the loss per step,
  the accuracy per step, the decision regions with the data) and
  :func:`training_html` turns it into an ``<img>`` tag whose alt text states
  the learning rate, the final loss and the accuracy or outcome.

:func:`training_widget` assembles them, in one of two modes:

``mode="static"``
    One frame per learning rate is computed at build time and stored in a
    ``Stack``; a ``SelectionSlider`` is ``jslink``-ed to it, so the slider
    works on a static web page with no kernel.
``mode="live"``
    In a running kernel, sliders and a menu set the learning rate, the
    hidden width, the activation and the number of steps; every change is
    trained again by ``nnmath`` (an ``observe`` callback) and redrawn in one
    reused figure.

See the chapter :ref:`chapter-training`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from ._frames import canvas_png, check_dpi, img_tag, learning_rate_list, static_slider
from .classification import _labels, decision_regions, train_with_snapshots
from .losses import one_hot
from .network import MLP

__all__ = [
    "TRAINING_ACTIVATIONS",
    "TRAINING_STATUSES",
    "TrainingFrame",
    "training_figure",
    "training_frame",
    "training_html",
    "training_widget",
]

TRAINING_STATUSES = ("trained", "slow", "unstable", "stuck", "diverged")
"""The outcomes :func:`training_frame` reports, in :attr:`TrainingFrame.status`."""

TRAINING_ACTIVATIONS = ("relu", "tanh", "sigmoid")
"""The hidden-layer activations the training widget offers."""

DEFAULT_LEARNING_RATES = (0.01, 0.1, 0.3, 1.0, 2.0, 3.0, 10.0)
"""The learning rates of a static :func:`training_widget` unless others are given."""

BLOW_UP = 10.0
"""A run counts as diverged when its loss rises above this many times its
starting value and ends above the starting value (or when the numbers overflow)."""

SPIKE = 2.0
"""A run whose loss jumps above this many times its starting value, and that
does not reach the target accuracy, counts as unstable."""

VANISHED = 1e-6
"""A run whose final gradient is shorter than this, and that does not reach the
target accuracy, counts as stuck: it has stopped learning."""

WIDTHS = (2, 4, 8, 16, 32, 64)
"""The hidden widths the live widget offers."""

_STATUS_COLOR = {"trained": "green", "slow": "blue", "unstable": "orange", "stuck": "purple",
                 "diverged": "vermillion"}
_CLASS_COLORS = ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


@dataclass(frozen=True)
class TrainingFrame:
    r"""One training run, as one picture of the training widget shows it.

    See the chapter :ref:`chapter-training`.

    Attributes
    ----------
    learning_rate : float
    hidden : tuple of int
        The widths of the hidden layers.
    activation : str
        The hidden layers' activation, one of :data:`TRAINING_ACTIVATIONS`.
    steps : int
        The step budget.
    seed : int
        The seed of the initial weights.
    loss : ndarray, shape (k + 1,)
        The cross-entropy after each update that was made, ``loss[0]`` at the
        start; for a run that overflowed, the finite losses before it.
    accuracy : ndarray, shape (k + 1,)
        The fraction of the data classified correctly, at the same points.
    gradient_norm : float
        The length of the gradient at the end (NaN after an overflow).
    regions : ndarray of int, shape (resolution, resolution), or None
        The predicted class on a grid over ``xlim`` times ``ylim`` (see
        :func:`nnmath.classification.decision_regions`), after training;
        ``None`` when the network's outputs overflow there.
    xlim, ylim : (float, float)
        The window: the data's range plus 10% on each side.
    status : str
        One of :data:`TRAINING_STATUSES`.
    diverged_at : int or None
        The step where the run diverged.
    target_accuracy : float
        The accuracy that counts as trained.
    label : str
        One line saying what happened, with the learning rate.
    X : ndarray, shape (n_samples, 2)
        The data the network was trained on.
    labels : ndarray of int, shape (n_samples,)
        Their classes.
    net : MLP
        The network after training (its last finite parameters, for a run
        that overflowed).

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import training_frame
    >>> X, labels = nnmath.datasets.moons(40, rng=0)
    >>> frame = training_frame(X, labels, learning_rate=0.5, steps=100)
    >>> frame.architecture, frame.n_classes, frame.status
    ('2-16-16-2', 2, 'slow')
    >>> round(frame.final_loss, 3), frame.final_accuracy
    (0.213, 0.9)
    >>> frame.alt[:73]
    'Training a 2-16-16-2 relu network on 40 points with learning rate η = 0.5'
    """

    learning_rate: float
    hidden: tuple[int, ...]
    activation: str
    steps: int
    seed: int
    loss: NDArray[np.float64]
    accuracy: NDArray[np.float64]
    gradient_norm: float
    regions: NDArray[np.int64] | None = field(repr=False)
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    status: str
    diverged_at: int | None
    target_accuracy: float
    label: str
    X: NDArray[np.float64] = field(repr=False)
    labels: NDArray[np.int64] = field(repr=False)
    net: MLP = field(repr=False)

    @property
    def n_classes(self) -> int:
        """The number of classes, ``labels.max() + 1``."""
        return int(self.labels.max()) + 1

    @property
    def architecture(self) -> str:
        """The layer sizes, e.g. ``"2-16-16-3"``."""
        return "-".join(str(n) for n in (2, *self.hidden, self.n_classes))

    @property
    def final_loss(self) -> float:
        """The last recorded loss."""
        return float(self.loss[-1])

    @property
    def final_accuracy(self) -> float:
        """The last recorded accuracy."""
        return float(self.accuracy[-1])

    @property
    def alt(self) -> str:
        """The alt text of the frame's picture, which states the network, η, the final loss and the outcome."""
        return (
            f"Training a {self.architecture} {self.activation} network on {len(self.labels)} points "
            f"with learning rate η = {self.learning_rate:g} for up to {self.steps} steps: "
            f"{self.label}. Final loss {self.final_loss:.3g}, accuracy {self.final_accuracy:.1%}. "
            "Left: the loss per step on a log scale; middle: the accuracy per step; "
            "right: the regions the network assigns to each class, with the data."
        )


def _data(X: ArrayLike, labels: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int64], int]:
    X_arr = _validate.as_array(X, "X", ndim=2)
    if X_arr.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2): points in the plane, got shape {X_arr.shape}")
    raw = _validate.as_array(labels, "labels", ndim=1)
    n_classes = int(raw.max()) + 1 if raw.size and np.all(raw == np.round(raw)) else 2
    classes = _labels(raw, X_arr.shape[0], max(n_classes, 2))
    if n_classes < 2:
        raise ValueError(f"labels must contain at least two classes (0 and 1), got only class {int(raw.max())}")
    return X_arr, classes, n_classes


def _hidden(hidden: Any) -> tuple[int, ...]:
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__len__"):
        raise TypeError(f"hidden must be a list of layer widths like (16, 16), got {_validate._describe(hidden)}")
    widths = tuple(_validate.whole_number(n, f"hidden[{i}]", minimum=1) for i, n in enumerate(hidden))
    if not widths:
        raise ValueError("hidden must hold at least one layer width, got an empty list")
    return widths


def _window(X: NDArray[np.float64]) -> tuple[tuple[float, float], tuple[float, float]]:
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    return (float(low[0] - pad[0]), float(high[0] + pad[0])), (float(low[1] - pad[1]), float(high[1] + pad[1]))


def training_frame(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    learning_rate: float,
    hidden: Sequence[int] = (16, 16),
    activation: str = "relu",
    steps: int = 1000,
    seed: int = 0,
    target_accuracy: float = 0.95,
    resolution: int = 100,
) -> TrainingFrame:
    r"""Train a classifier for one setting and say what happened.

    The network is ``[2, *hidden, n_classes]`` with ``activation`` in every
    hidden layer and a softmax output, initialised with ``seed`` (He
    initialisation for ReLU, Xavier for tanh and sigmoid), and trained by
    full-batch gradient descent on the cross-entropy for ``steps`` steps with
    :func:`nnmath.classification.train_with_snapshots`. The run is
    classified, in this order:

    * ``"diverged"``: the numbers overflowed (:class:`nnmath.DivergenceError`),
      or the loss rose above 10 times its starting value and ended above it;
      the label names the step, e.g. ``"diverged at step 7 with η = 1.1"``;
    * ``"trained"``: the final accuracy is at least ``target_accuracy``;
    * ``"stuck"``: the final gradient is shorter than :math:`10^{-6}`: the
      network stopped learning (dead ReLU units, for example);
    * ``"unstable"``: the loss jumped above twice its starting value;
    * ``"slow"``: still learning, but not yet accurate enough.

    Divergence is a result, not an error: nothing is raised or printed.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    X : array_like, shape (n_samples, 2)
        Points in the plane.
    labels : array_like of int, shape (n_samples,)
        Their classes, ``0 .. n_classes - 1``, at least two classes.
    learning_rate : float
        :math:`\eta`, greater than 0.
    hidden : sequence of int
        The widths of the hidden layers, at least one.
    activation : {"relu", "tanh", "sigmoid"}
    steps : int
        The step budget, at least 1.
    seed : int
        The seed of the initial weights, 0 or more.
    target_accuracy : float
        The accuracy that counts as trained, in (0, 1].
    resolution : int
        Grid points per axis of the decision regions, 2 to 400.

    Returns
    -------
    TrainingFrame

    Raises
    ------
    TypeError, ValueError
        For a bad argument, naming it.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import training_frame
    >>> X, labels = nnmath.datasets.spirals(30, n_classes=3, rng=0)
    >>> frame = training_frame(X, labels, learning_rate=1.0, steps=300, rng=1)
    >>> frame.status, frame.architecture, frame.loss.shape
    ('trained', '2-16-16-3', (301,))
    >>> frame.label
    'trained with η = 1: 95% correct at step 67, 96.7% after 300 steps'
    >>> training_frame(X, labels, learning_rate=30.0, steps=300, rng=1).label
    'diverged at step 1 with η = 30'
    """
    X_arr, classes, n_classes = _data(X, labels)
    eta = _validate.positive_number(learning_rate, "learning_rate")
    widths = _hidden(hidden)
    act = _validate.choice(activation, "activation", TRAINING_ACTIVATIONS)
    budget = _validate.whole_number(steps, "steps", minimum=1)
    seed_value = _validate.whole_number(seed, "seed", minimum=0)
    target = _validate.positive_number(target_accuracy, "target_accuracy")
    if target > 1:
        raise ValueError(f"target_accuracy must be a fraction in (0, 1], got {target_accuracy!r}")
    grid = _validate.whole_number(resolution, "resolution", minimum=2)
    if grid > 400:
        raise ValueError(f"resolution must be at most 400 (grid points per axis), got {resolution}")

    net = MLP([2, *widths, n_classes], [act] * len(widths) + ["softmax"], rng=seed_value,
              init="he" if act == "relu" else "xavier")
    run = train_with_snapshots(net, X_arr, one_hot(classes, n_classes), "cross_entropy", eta, budget,
                               on_divergence="record")
    loss, acc = run.loss, run.accuracy
    start = float(loss[0])
    gradient_norm = float(run.history.gradient_norm[-1]) if run.history is not None else float("nan")
    above = np.nonzero(loss > BLOW_UP * start)[0]
    diverged_at = run.diverged_at
    if diverged_at is None and above.size and loss[-1] > start:
        diverged_at = int(above[0])
    final = float(acc[-1])
    n = len(loss) - 1
    if diverged_at is not None:
        status, label = "diverged", f"diverged at step {diverged_at} with η = {eta:g}"
    elif final >= target:
        status = "trained"
        first = int(np.nonzero(acc >= target)[0][0])
        label = f"trained with η = {eta:g}: {target:.0%} correct at step {first}, {final:.1%} after {n} steps"
    elif gradient_norm <= VANISHED:
        status = "stuck"
        label = (f"stuck with η = {eta:g}: the gradient vanished at loss {loss[-1]:.4g}, "
                 f"{final:.1%} correct")
    elif np.any(loss[1:] > SPIKE * start):
        status = "unstable"
        label = (f"unstable with η = {eta:g}: the loss jumps up to {loss.max():.3g}, "
                 f"{final:.1%} correct after {n} steps")
    else:
        status = "slow"
        label = f"slow with η = {eta:g}: {final:.1%} correct after {n} steps, loss still {loss[-1]:.3g}"

    xlim, ylim = _window(X_arr)
    try:
        _, _, regions = decision_regions(net, xlim, ylim, grid)
    except ValueError:  # the last finite weights of an overflowed run can overflow on the grid
        regions = None
    return TrainingFrame(
        learning_rate=eta, hidden=widths, activation=act, steps=budget, seed=seed_value,
        loss=loss, accuracy=acc, gradient_norm=gradient_norm, regions=regions, xlim=xlim, ylim=ylim,
        status=status, diverged_at=diverged_at, target_accuracy=target, label=label,
        X=X_arr, labels=classes, net=net,
    )


def _check_frame(frame: Any) -> TrainingFrame:
    if not isinstance(frame, TrainingFrame):
        raise TypeError(f"frame must be a TrainingFrame from training_frame, got {_validate._describe(frame)}")
    return frame



def _light(color: str, amount: float = 0.7) -> tuple[float, float, float]:
    """``color`` mixed with ``amount`` of white: a pale fill for a class region."""
    from matplotlib.colors import to_rgb

    return tuple(amount + (1.0 - amount) * c for c in to_rgb(color))  # type: ignore[return-value]


class _Painter:
    """One figure for one data set; :meth:`paint` redraws it for a frame.

    The data points, axes, labels and reference lines are drawn once; a new
    frame only changes two lines, one image and a few texts (a live update
    does not build a new figure).
    """

    def __init__(self, frame: TrainingFrame, dpi: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import ListedColormap
        from matplotlib.figure import Figure
        from matplotlib.ticker import PercentFormatter

        from .plotting import COLORS, style

        self.colors, self.style = COLORS, style
        self.xlim, self.ylim = frame.xlim, frame.ylim
        self.n_classes = k = frame.n_classes
        if k > len(_CLASS_COLORS):
            raise ValueError(f"labels must have at most {len(_CLASS_COLORS)} classes to be drawn, got {k}")
        class_colors = [COLORS[_CLASS_COLORS[i]] for i in range(k)]
        with style():
            fig = self.figure = Figure(figsize=(10.0, 3.4), dpi=dpi)
            self.canvas = FigureCanvasAgg(fig)
            fig.subplots_adjust(left=0.065, right=0.985, bottom=0.16, top=0.8, wspace=0.32)
            ax_loss, ax_acc, ax_map = self.axes = fig.subplots(1, 3, width_ratios=(1.1, 1.1, 0.9))
            guess = np.log(k)
            ax_loss.axhline(guess, color="0.5", ls=":", lw=1)
            ax_loss.text(0.98, guess, f"guessing: ln {k}", transform=ax_loss.get_yaxis_transform(),
                         ha="right", va="bottom", fontsize=8, color="0.35")
            (self.loss_line,) = ax_loss.semilogy([0], [1.0], lw=1.5)
            (self.blow_up,) = ax_loss.plot([0], [1.0], "X", ms=9, visible=False)
            ax_loss.set_xlabel("step k")
            ax_loss.set_ylabel("loss (cross-entropy)")
            ax_loss.set_title("loss per step", fontsize=10)
            ax_acc.axhline(1.0 / k, color="0.5", ls=":", lw=1)
            ax_acc.text(0.98, 1.0 / k, "chance", transform=ax_acc.get_yaxis_transform(),
                        ha="right", va="bottom", fontsize=8, color="0.35")
            self.target_line = ax_acc.axhline(frame.target_accuracy, color="0.3", ls="--", lw=1)
            self.target_text = ax_acc.text(0.98, frame.target_accuracy - 0.015, "", ha="right", va="top",
                                           fontsize=8, color="0.25", transform=ax_acc.get_yaxis_transform())
            (self.acc_line,) = ax_acc.plot([0], [0.0], lw=1.5)
            ax_acc.set_ylim(0, 1.04)
            ax_acc.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax_acc.set_xlabel("step k")
            ax_acc.set_ylabel("accuracy on the data")
            ax_acc.set_title("accuracy per step", fontsize=10)
            cmap = ListedColormap([_light(c) for c in class_colors])
            self.image = ax_map.imshow(
                np.zeros((2, 2)), origin="lower", extent=(*frame.xlim, *frame.ylim), cmap=cmap,
                vmin=-0.5, vmax=k - 0.5, interpolation="nearest", aspect="auto",
            )
            for c in range(k):
                points = frame.X[frame.labels == c]
                ax_map.scatter(points[:, 0], points[:, 1], s=9, marker=_MARKERS[c], color=class_colors[c],
                               edgecolors="white", linewidths=0.3, label=f"class {c}")
            ax_map.set_xlim(*frame.xlim)
            ax_map.set_ylim(*frame.ylim)
            ax_map.set_xlabel("$x_1$")
            ax_map.set_ylabel("$x_2$")
            ax_map.grid(False)
            self.map_title = ax_map.set_title("", fontsize=10)
            self.messages = [
                a.text(0.5, 0.5, "", transform=a.transAxes, ha="center", va="center", fontsize=11,
                       bbox={"facecolor": "white", "alpha": 0.92}, visible=False)
                for a in (ax_loss, ax_map)
            ]
            self.suptitle = fig.suptitle("", fontsize=10.5)

    def paint(self, frame: TrainingFrame) -> None:
        """Show ``frame``: its loss and accuracy curves, its regions, its label."""
        color = self.colors[_STATUS_COLOR[frame.status]]
        k = np.arange(len(frame.loss))
        loss = np.maximum(frame.loss, 1e-12)
        self.loss_line.set_data(k, loss)
        self.acc_line.set_data(k, frame.accuracy)
        for line in (self.loss_line, self.acc_line):
            line.set_color(color)
        ax_loss, ax_acc, ax_map = self.axes
        for ax in (ax_loss, ax_acc):
            ax.set_xlim(0, max(frame.steps, 1))
        # Log axis: room above and below, at least two decades, and the guessing level in view.
        low = min(loss.min(), np.log(self.n_classes)) / 2.0
        high = max(loss.max(), np.log(self.n_classes)) * 2.0
        if high / low < 100.0:
            low = high / 100.0
        ax_loss.set_ylim(low, high)
        self.target_line.set_ydata([frame.target_accuracy, frame.target_accuracy])
        self.target_text.set_position((0.98, frame.target_accuracy - 0.015))
        self.target_text.set_text(f"target {frame.target_accuracy:.0%}")
        if frame.regions is not None:
            self.image.set_data(frame.regions)
            self.image.set_visible(True)
            self.map_title.set_text(f"regions after {len(frame.loss) - 1} steps")
        else:
            self.image.set_visible(False)
            self.map_title.set_text("no regions: the outputs overflow")
        diverged = frame.status == "diverged"
        # Mark where the loss left the chart (or the last finite loss of an overflowed run).
        at = None if frame.diverged_at is None else min(frame.diverged_at, len(loss) - 1)
        self.blow_up.set_visible(at is not None)
        if at is not None:
            self.blow_up.set_data([at], [loss[at]])
            self.blow_up.set_color(color)
        for message in self.messages:
            message.set_visible(diverged)
            if diverged:
                message.set_text(f"diverged at step {frame.diverged_at}\nwith η = {frame.learning_rate:g}")
                message.set_color(color)
                message.get_bbox_patch().set_edgecolor(color)
        name = f"{frame.architecture} {frame.activation} network, η = {frame.learning_rate:g}"
        self.suptitle.set_text(f"{name}\n{frame.label}")
        self.suptitle.set_color(color)

    def png(self) -> bytes:
        """The figure as a PNG with a small palette (the figure has few colours)."""
        return canvas_png(self.canvas, self.style)



def training_figure(frame: TrainingFrame) -> Any:
    """Draw a frame: loss per step, accuracy per step, decision regions with the data.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    frame : TrainingFrame

    Returns
    -------
    matplotlib.figure.Figure
        Not registered with pyplot (nothing is shown or leaked).

    Raises
    ------
    TypeError
        If ``frame`` is not a :class:`TrainingFrame`.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import training_figure, training_frame
    >>> X, labels = nnmath.datasets.moons(40, rng=0)
    >>> fig = training_figure(training_frame(X, labels, learning_rate=0.5, steps=20))
    >>> [ax.get_title() for ax in fig.axes]
    ['loss per step', 'accuracy per step', 'regions after 20 steps']
    """
    painter = _Painter(_check_frame(frame), dpi=100)
    painter.paint(frame)
    return painter.figure


def training_html(frame: TrainingFrame, *, dpi: int = 75) -> str:
    """The frame as an ``<img>`` tag: a small PNG inlined as base64, with alt text.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    frame : TrainingFrame
    dpi : int
        Resolution of the PNG, 30 to 300 (75 gives about 25 KB).

    Returns
    -------
    str
        ``<img alt="..." src="data:image/png;base64,...">``; the alt text
        states the network, the learning rate, the outcome, the final loss and
        the accuracy.

    Raises
    ------
    TypeError, ValueError
        For a ``frame`` that is not a :class:`TrainingFrame` or a bad ``dpi``.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import training_frame, training_html
    >>> X, labels = nnmath.datasets.moons(40, rng=0)
    >>> tag = training_html(training_frame(X, labels, learning_rate=0.5, steps=20), dpi=30)
    >>> tag.startswith('<img alt="Training a 2-16-16-2 relu network on 40 points with learning rate η = 0.5')
    True
    """
    frame = _check_frame(frame)
    painter = _Painter(frame, dpi=check_dpi(dpi))
    painter.paint(frame)
    return img_tag(frame.alt, painter.png())



def training_widget(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    mode: str = "static",
    learning_rates: Sequence[float] | None = None,
    hidden: Sequence[int] = (16, 16),
    activation: str = "relu",
    steps: int = 1000,
    seed: int = 0,
    target_accuracy: float = 0.95,
    resolution: int = 100,
    dpi: int = 75,
) -> Any:
    r"""A learning-rate slider (and, live, width, activation and steps) that retrains a classifier.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    X : array_like, shape (n_samples, 2)
    labels : array_like of int, shape (n_samples,)
    mode : {"static", "live"}
        ``"static"``: one frame per value of ``learning_rates`` is trained now
        and the slider switches between them in the browser, without a kernel
        (a ``SelectionSlider`` jslinked to a ``Stack``). ``"live"``: a
        learning-rate slider (log scale, 0.001 to 100), a width slider (every
        hidden layer gets that width), an activation menu and a step slider;
        every change trains again in the kernel.
    learning_rates : sequence of float, optional
        Static mode: the precomputed values (default 0.01, 0.1, 0.3, 1, 2, 3
        and 10). Live mode: the slider starts at the first of them (default
        0.3).
    hidden, activation, steps, seed, target_accuracy, resolution
        As for :func:`training_frame`; in live mode, the starting values.
    dpi : int
        Resolution of the frames, 30 to 300.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``slider`` (the learning-rate slider), ``display``
        (static: the ``Stack``; live: the ``HTML`` widget showing the frame),
        ``frames`` (static: the :class:`TrainingFrame` of each value; live:
        the latest one); static mode also ``link`` (the jslink), live mode
        ``controls`` (a dict of the four controls by name: ``"learning_rate"``,
        ``"width"``, ``"activation"``, ``"steps"``) and ``update`` (the
        callback, which retrains and redraws).

    Raises
    ------
    TypeError, ValueError
        For an unknown mode or a bad argument, naming it.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import training_widget
    >>> X, labels = nnmath.datasets.moons(40, rng=0)
    >>> box = training_widget(X, labels, mode="live", steps=50, dpi=30)
    >>> box.slider.value = 30.0
    >>> box.frames.status
    'diverged'
    >>> box.controls["activation"].value = "tanh"
    >>> box.frames.activation, box.frames.learning_rate
    ('tanh', 30.0)
    """
    import ipywidgets as w

    mode = _validate.choice(mode, "mode", ("static", "live"))
    X_arr, classes, _ = _data(X, labels)
    widths = _hidden(hidden)
    act = _validate.choice(activation, "activation", TRAINING_ACTIVATIONS)
    budget = _validate.whole_number(steps, "steps", minimum=1)
    d = check_dpi(dpi)
    options = {"seed": seed, "target_accuracy": target_accuracy, "resolution": resolution}

    if mode == "static":
        rates = learning_rate_list(DEFAULT_LEARNING_RATES if learning_rates is None else learning_rates)
        frames = [training_frame(X_arr, classes, learning_rate=r, hidden=widths, activation=act,
                                 steps=budget, **options) for r in rates]
        candidates = [i for i, f in enumerate(frames) if f.status != "diverged"] or [0]
        start = max(candidates, key=lambda i: (frames[i].final_accuracy, -frames[i].final_loss))
        listed = ", ".join(f"{r:g}" for r in rates)
        note = (
            f"<p style='font-size:90%'>Precomputed for η = {listed} (network {frames[0].architecture}, "
            f"{act}, {budget} steps, seed {options['seed']}). Drag the slider, or click it and use the "
            "arrow keys. To try other learning rates, widths, activations or step budgets, download "
            "this page as a notebook (.ipynb), run it, and use <code>mode=\"live\"</code>.</p>"
        )
        return static_slider(frames, _Painter(frames[0], d), [f"{r:g}" for r in rates], start, note)

    # live mode
    first = 0.3 if learning_rates is None else learning_rate_list(learning_rates)[0]
    first = float(np.clip(first, 1e-3, 1e2))
    slider = w.FloatLogSlider(value=first, base=10, min=-3, max=2, step=0.05, description="η",
                              readout_format=".3g", continuous_update=False, layout=w.Layout(width="480px"))
    width_options = sorted(set(WIDTHS) | {widths[0]})
    width = w.SelectionSlider(options=width_options, value=widths[0], description="width",
                              continuous_update=False, layout=w.Layout(width="480px"))
    activation_menu = w.Dropdown(options=list(TRAINING_ACTIVATIONS), value=act, description="activation")
    step_slider = w.IntSlider(value=budget, min=min(50, budget), max=max(3000, budget), step=50, description="steps",
                              continuous_update=False, layout=w.Layout(width="480px"))
    display = w.HTML()
    controls = {"learning_rate": slider, "width": width, "activation": activation_menu, "steps": step_slider}
    box = w.VBox([slider, width, activation_menu, step_slider, display])
    box.slider, box.display, box.controls = slider, display, controls
    painter: list[_Painter] = []  # made on the first update, then reused

    def update(change: Any = None) -> None:
        frame = training_frame(X_arr, classes, learning_rate=slider.value,
                               hidden=(width.value,) * len(widths), activation=activation_menu.value,
                               steps=step_slider.value, **options)
        if not painter:
            painter.append(_Painter(frame, d))
        painter[0].paint(frame)
        display.value = img_tag(frame.alt, painter[0].png())
        box.frames = frame

    for control in controls.values():
        control.observe(update, names="value")
    box.update = update
    update()
    return box
