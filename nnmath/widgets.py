r"""Slider widgets: move :math:`\eta` (and more) and watch gradient descent and training change.

Every picture a widget shows is computed by plain functions that tests (and
readers) can call directly, and drawn by the one framework of
``nnmath._frames``:

* :func:`descent_frame` runs :func:`nnmath.gradient_descent` on a problem for
  one learning rate and classifies the run as ``"converged"``, ``"slow"``,
  ``"oscillating"`` or ``"diverged"``, with a one-line label;
  :func:`frame_html` draws it as a small PNG inside an ``<img>`` tag whose
  alt text states the learning rate and the outcome;
* :func:`training_frame` trains a small classifier (softmax output,
  cross-entropy) on two-dimensional data for one setting of the learning
  rate, width, activation and step budget, and says what happened:
  ``"trained"``, ``"slow"``, ``"unstable"``, ``"stuck"`` or ``"diverged"``;
  :func:`training_figure` and :func:`training_html` draw it in three panels
  (loss, accuracy, decision regions).

:func:`learning_rate_widget` and :func:`training_widget` assemble them into
an ipywidgets control, a :class:`SliderWidget`, in one of two modes:

``mode="static"``
    The frames for a few learning rates are computed once, at build time,
    and stored in a ``Stack``; a ``SelectionSlider`` is ``jslink``-ed to the
    stack, so the slider works on a static web page with no kernel.
``mode="live"``
    In a running Jupyter kernel every change of a control is recomputed by
    ``nnmath`` (an ``observe`` callback) and redrawn in one reused figure.

The descent problems are the book's examples: :data:`nnmath.profit` (gradient
*ascent* to its maximum at :math:`x = 3`, which is descent on :math:`-P`),
:func:`nnmath.quadratic` and :class:`nnmath.QuadraticBowl`. For
:math:`f(x) = c x^2` the update is :math:`x_{k+1} = (1 - 2\eta c)\, x_k`, so
gradient descent converges exactly when :math:`\eta < 1/c`, oscillates
forever at :math:`\eta = 1/c` and diverges above it.

A run counts as diverged when it gets :data:`BLOW_UP` times further from its
goal than it started (or overflows): the distance to the optimum for
gradient descent, the loss for training.

See the chapters :ref:`chapter-gradient-descent` and :ref:`chapter-training`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from ._frames import (
    BLOW_UP,
    Axis,
    Painter,
    SliderWidget,
    check_dpi,
    check_frame,
    learning_rate_list,
    live_widget,
    static_widget,
)
from .classification import _labels, decision_regions, train_with_snapshots
from .functions import QuadraticBowl, ScalarFunction, profit
from .losses import one_hot
from .network import MLP
from .optim import DivergenceError, _fraction, gradient_descent

__all__ = [
    "BLOW_UP",
    "STATUSES",
    "DescentFrame",
    "SliderWidget",
    "TRAINING_ACTIVATIONS",
    "TRAINING_STATUSES",
    "TrainingFrame",
    "default_learning_rates",
    "descent_frame",
    "frame_figure",
    "frame_html",
    "learning_rate_widget",
    "MOMENTA",
    "MOMENTUM_RATES",
    "momentum_widget",
    "stability_threshold",
    "training_figure",
    "training_frame",
    "training_html",
    "training_widget",
]

STATUSES = ("converged", "slow", "oscillating", "diverged")
"""The outcomes :func:`descent_frame` reports, in ``DescentFrame.status``."""


# --- gradient descent on the book's problems ----------------------------------------------
@dataclass(frozen=True)
class _Problem:
    title: str  # "f(x) = 2x^2" etc., for titles and alt text
    ylabel: str
    dim: int
    value: Callable[[NDArray[np.float64]], Any]  # as the reader sees it (P for profit)
    descent_gradient: Callable[[NDArray[np.float64]], Any]  # gradient of the minimised function
    optimum: NDArray[np.float64]
    best: float
    maximise: bool
    coefficient: float  # the largest c_i (curvature f'' = 2c): descent on c x^2 converges iff eta < 1/c
    x0: NDArray[np.float64]
    threshold_text: str


def _quadratic_coefficient(function: ScalarFunction) -> float | None:
    """c if ``function`` is c x^2 (checked at three points), else None."""
    c = float(function(1.0))
    points = np.array([-2.0, 0.5, 3.0])
    if c > 0 and np.allclose(function(points), c * points**2) and np.allclose(
        function.derivative(points), 2 * c * points
    ):
        return c
    return None


def _problem(problem: Any) -> _Problem:
    """Check ``problem`` and describe it; raises TypeError for anything unsupported."""
    if problem is profit:
        return _Problem(
            title="P(x) = -2x² + 12x - 10 (ascent)",
            ylabel="P(x)",
            dim=1,
            value=profit,
            descent_gradient=lambda x: -profit.derivative(x),
            optimum=np.array(3.0),
            best=8.0,
            maximise=True,
            coefficient=2.0,
            x0=np.array(0.0),
            threshold_text="threshold η = 2/f'' = 1/2 (f'' of -P is 4)",
        )
    if isinstance(problem, ScalarFunction):
        c = _quadratic_coefficient(problem)
        if c is not None:
            return _Problem(
                title=f"f(x) = {c:g}x²",
                ylabel="f(x)",
                dim=1,
                value=problem,
                descent_gradient=problem.derivative,
                optimum=np.array(0.0),
                best=0.0,
                maximise=False,
                coefficient=c,
                x0=np.array(1.0),
                threshold_text=f"threshold η = 2/f'' = 1/c = {1 / c:.4g}",
            )
    if isinstance(problem, QuadraticBowl):
        if problem.coefficients.size != 2:
            raise ValueError(
                f"problem must be a two-variable QuadraticBowl (two coefficients) to be drawn, "
                f"got {problem.coefficients.size} coefficients"
            )
        c = problem.coefficients
        return _Problem(
            title=f"f(v) = {c[0]:g}v₁² + {c[1]:g}v₂²",
            ylabel="f(v)",
            dim=2,
            value=problem,
            descent_gradient=problem.gradient,
            optimum=np.zeros(2),
            best=0.0,
            maximise=False,
            coefficient=float(c.max()),
            x0=np.array([-2.0, 1.0]),
            threshold_text=f"threshold η = 2/max f'' = 1/max(c) = {1 / c.max():.4g}",
        )
    raise TypeError(
        "problem must be nnmath.profit, a quadratic nnmath.quadratic(c) or a two-variable "
        f"nnmath.QuadraticBowl, got {_validate._describe(problem)}"
    )


def stability_threshold(problem: Any) -> float:
    r"""The largest learning rate for which gradient descent still converges, exclusive.

    See the chapter :ref:`chapter-gradient-descent`.

    For :math:`c x^2` the update :math:`x_{k+1} = (1 - 2\eta c) x_k` shrinks
    exactly when :math:`\eta < 1/c = 2/f''`; for the bowl the largest coefficient (curvature) decides;
    for the profit function (descent on :math:`-P = 2x^2 - \dots`) it is 1/2.

    Parameters
    ----------
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl

    Returns
    -------
    float
        :math:`1 / \max_i c_i`.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import stability_threshold
    >>> stability_threshold(nnmath.quadratic(4.0))
    0.25
    >>> stability_threshold(nnmath.profit)
    0.5
    """
    return 1.0 / _problem(problem).coefficient


def default_learning_rates(problem: Any) -> list[float]:
    """Seven learning rates from crawling to diverging, the exact threshold among them.

    See the chapter :ref:`chapter-gradient-descent`.

    Parameters
    ----------
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl

    Returns
    -------
    list of float
        The threshold :math:`1/c` times 0.05, 0.25, 0.5, 0.9, 1, 1.02 and 1.2.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import default_learning_rates
    >>> default_learning_rates(nnmath.quadratic(1.0))
    [0.05, 0.25, 0.5, 0.9, 1.0, 1.02, 1.2]
    """
    threshold = stability_threshold(problem)
    return [float(np.round(f * threshold, 12)) for f in (0.05, 0.25, 0.5, 0.9, 1.0, 1.02, 1.2)]


@dataclass(frozen=True)
class DescentFrame:
    r"""One run of gradient descent, as one picture of the widget shows it.

    See the chapter :ref:`chapter-gradient-descent`.

    Attributes
    ----------
    problem : str
        The function, e.g. ``"f(x) = 1x²"``.
    learning_rate : float
    steps : int
        The step budget of the run.
    trajectory : ndarray, shape (k + 1,) or (k + 1, 2)
        The iterates that were computed, ``x_0`` first; a diverged run stops
        at the step where it diverged.
    values : ndarray, shape (k + 1,)
        The function at each iterate (:math:`P(x_k)` for the profit function).
    gap : ndarray, shape (k + 1,)
        How far each value is from the best value, at least 0.
    status : str
        One of :data:`STATUSES`.
    diverged_at : int or None
        The step where the run diverged.
    threshold : float
        The largest stable learning rate: :func:`stability_threshold` of the
        problem, times :math:`1 + \beta` with momentum.
    label : str
        One line saying what happened, with the learning rate.
    momentum : float or None
        The momentum :math:`\beta` of the run, or ``None`` for plain descent
        shown without a momentum control (:math:`\beta = 0` is the same run,
        but its picture names the momentum).
    """

    problem: str
    learning_rate: float
    steps: int
    trajectory: NDArray[np.float64]
    values: NDArray[np.float64]
    gap: NDArray[np.float64]
    status: str
    diverged_at: int | None
    threshold: float
    label: str
    momentum: float | None = None

    @property
    def alt(self) -> str:
        """The alt text of the frame's picture, which states the problem, η and the outcome.

        Examples
        --------
        >>> import nnmath
        >>> from nnmath.widgets import descent_frame
        >>> descent_frame(nnmath.quadratic(1.0), 1.5).alt[:60]
        'Gradient descent on f(x) = 1x² with learning rate η = 1.5 (1'
        """
        where = "maximum" if "ascent" in self.problem else "minimum"
        with_momentum = f" and momentum β = {self.momentum:g}" if self.momentum is not None else ""
        return (
            f"Gradient descent on {self.problem} with learning rate η = {self.learning_rate:g}{with_momentum} "
            f"({self.learning_rate / self.threshold:.3g} times the threshold "
            f"{self.threshold:.4g}): {self.label}. Left: the path of the iterates; "
            f"right: the distance of the value from the {where} at each step, on a log scale."
        )


def _distances(trajectory: NDArray[np.float64], optimum: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(over="ignore", invalid="ignore"):
        diff = np.abs(trajectory - optimum)
        if trajectory.ndim == 1:
            return diff
        scale = diff.max(axis=1)
        safe = np.where(scale > 0, scale, 1.0)
        return np.where(scale > 0, scale * np.sqrt(np.sum((diff / safe[:, None]) ** 2, axis=1)), 0.0)


def descent_frame(
    problem: Any,
    learning_rate: float,
    steps: int = 40,
    *,
    x0: ArrayLike | None = None,
    tolerance: float = 1e-3,
    momentum: float | None = None,
) -> DescentFrame:
    r"""Run gradient descent for one learning rate and say what happened.

    See the chapter :ref:`chapter-gradient-descent`.

    The run is classified by the distance :math:`d_k` of the iterate from the
    optimum:

    * ``"diverged"``: the numbers overflowed, :math:`d_k > 100\, d_0` at some
      step (the label names that step), or the distance still grows at the
      end (:math:`d_n > d_{n-2}`);
    * ``"converged"``: :math:`d_k \le` ``tolerance`` :math:`\cdot d_0` at some step;
    * ``"oscillating"``: the iterate jumps across the optimum and comes no
      closer (:math:`d_n \ge 0.999\, d_{n-2}`), as at :math:`\eta = 1/c`;
    * ``"slow"``: still approaching, but not within the tolerance.

    Parameters
    ----------
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl
        The profit function is *maximised* (gradient ascent, i.e. descent on
        :math:`-P`); the others are minimised. A bowl must have two variables.
    learning_rate : float
        :math:`\eta`, greater than 0.
    steps : int
        The step budget, at least 2.
    x0 : float or array_like of shape (2,), optional
        The start; by default 0 for the profit function, 1 for the quadratic
        and (-2, 1) for the bowl.
    tolerance : float
        Relative distance that counts as converged, between 0 and 1.
    momentum : float, optional
        :math:`\beta` in [0, 1): heavy-ball momentum (see
        :func:`nnmath.gradient_descent`; :ref:`chapter-momentum`). With
        momentum the distance is not monotone even when the run converges,
        so "still growing at the end" compares the last distance with the
        one half the run earlier instead of two steps earlier. Without it
        (``None``, the default) the run is plain descent and its picture does
        not name a momentum; ``0.0`` is the same run, named ``β = 0``.

    Returns
    -------
    DescentFrame

    Raises
    ------
    TypeError, ValueError
        For an unsupported problem or a bad argument, naming it.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import descent_frame
    >>> f = nnmath.quadratic(1.0)
    >>> descent_frame(f, 0.25).label
    'converged with η = 0.25: within 0.1% of the minimum after 10 steps'
    >>> descent_frame(f, 1.0).label
    'oscillating with η = 1: jumps between ±1 forever, never closer'
    >>> descent_frame(f, 1.5).label
    'diverged at step 4 with η = 1.5'
    >>> descent_frame(nnmath.profit, 0.25, steps=3).trajectory
    array([0., 3., 3., 3.])
    """
    spec = _problem(problem)
    eta = _validate.positive_number(learning_rate, "learning_rate")
    n = _validate.whole_number(steps, "steps", minimum=2)
    tol = _validate.positive_number(tolerance, "tolerance")
    beta = None if momentum is None else _fraction(momentum, "momentum")
    setting = f"η = {eta:g}" if beta is None else f"η = {eta:g}, β = {beta:g}"
    b = beta or 0.0  # plain descent is heavy ball with beta = 0
    if tol >= 1:
        raise ValueError(f"tolerance must be between 0 and 1 (a fraction of the start distance), got {tolerance!r}")
    start = _start(spec, x0)
    try:
        trajectory = gradient_descent(spec.descent_gradient, start, eta, n, momentum=b)
        overflow_at = None
    except DivergenceError as error:
        trajectory = error.trajectory
        overflow_at = error.step
    d = _distances(trajectory, spec.optimum)
    d0 = float(d[0])
    where = "maximum" if spec.maximise else "minimum"
    diverged_at = None
    escaped = np.nonzero(~(d <= BLOW_UP * d0))[0] if d0 > 0 else np.array([], dtype=int)
    if escaped.size:
        diverged_at = int(escaped[0])
    elif overflow_at is not None:
        diverged_at = overflow_at
    if diverged_at is not None:
        trajectory = trajectory[: diverged_at + 1] if escaped.size else trajectory
        d = d[: len(trajectory)]
        status = "diverged"
        label = f"diverged at step {diverged_at} with {setting}"
    elif d0 == 0:
        status = "converged"
        label = f"converged with {setting}: it started at the {where}"
    else:
        close = np.nonzero(d <= tol * d0)[0]
        back = 2 if not b else max(2, n // 2)
        growing = d[-1] > d[-1 - back] * (1 + 1e-9)
        if close.size and not growing:
            status = "converged"
            k = int(close[0])
            unit = "step" if k == 1 else "steps"
            label = f"converged with {setting}: within {tol * 100:.3g}% of the {where} after {k} {unit}"
        elif growing:
            status = "diverged"
            rate = (d[-1] / d[-1 - back]) ** (1 / back)
            label = (
                f"diverging with {setting}: {d0:.3g} → {d[-1]:.3g} from the {where} "
                f"in {n} steps (×{rate:.4g} per step)"
            )
        else:
            flips = np.any(np.sign(trajectory[-1] - spec.optimum) != np.sign(trajectory[-2] - spec.optimum))
            if flips and d[-1] >= 0.999 * d[-1 - back]:
                status = "oscillating"
                if spec.dim == 1:
                    label = (
                        f"oscillating with {setting}: jumps between "
                        f"{_pm(trajectory[-2:], spec.optimum)} forever, never closer"
                    )
                else:
                    label = f"oscillating with {setting}: zig-zags {d[-1]:.3g} from the {where}, never closer"
            else:
                status = "slow"
                label = (
                    f"converging slowly with {setting}: {100 * d[-1] / d0:.2g}% of the "
                    f"distance left after {n} steps"
                )
    with np.errstate(over="ignore", invalid="ignore"):
        # the formula itself: a diverged run's values overflow to inf, which the checked call refuses
        formula = spec.value._value if isinstance(spec.value, ScalarFunction) else spec.value
        values = np.asarray(formula(trajectory), dtype=np.float64)
        gap = np.abs(values - spec.best)
    return DescentFrame(
        problem=spec.title,
        learning_rate=eta,
        steps=n,
        trajectory=trajectory,
        values=values,
        gap=gap,
        status=status,
        diverged_at=diverged_at,
        threshold=(1.0 + b) / spec.coefficient,
        label=label,
        momentum=beta,
    )


def _pm(last_two: NDArray[np.float64], optimum: NDArray[np.float64]) -> str:
    a, b = (float(v) for v in last_two)
    if float(optimum) == 0 and abs(abs(a) - abs(b)) <= 1e-9 * max(abs(a), 1.0):
        return f"±{abs(a):.3g}"
    return f"{min(a, b):.3g} and {max(a, b):.3g}"


_STATUS_COLOR = {"converged": "green", "slow": "blue", "oscillating": "orange", "diverged": "vermillion"}


class _DescentPainter(Painter):
    """The descent figure: the path on the curve (or the contours) and the gap per step."""

    width_ratios: tuple[float, ...] = (1.15, 1)

    def draw(self, fig: Any, problem: Any, start: NDArray[np.float64]) -> None:
        COLORS = self.colors
        spec = self.spec = _problem(problem)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.84, wspace=0.3)
        self.panels = fig.subplots(1, len(self.width_ratios), width_ratios=self.width_ratios)
        ax, ax_gap = self.axes = self.panels[:2]
        if spec.dim == 1:
            span = max(1.6 * abs(float(start) - float(spec.optimum)), 1.0)
            xs = np.linspace(float(spec.optimum) - span, float(spec.optimum) + span, 200)
            ys = spec.value(xs)
            ax.plot(xs, ys, color=COLORS["black"], lw=1.5)
            ax.set_xlim(xs[0], xs[-1])
            pad = 0.08 * (ys.max() - ys.min())
            ax.set_ylim(ys.min() - pad, ys.max() + pad)
            ax.set_xlabel("x")
            ax.set_ylabel(spec.ylabel)
        else:
            span = max(1.25 * float(np.max(np.abs(start))), 1.0)
            g = np.linspace(-span, span, 81)
            V1, V2 = np.meshgrid(g, g)
            c = problem.coefficients
            F = c[0] * V1**2 + c[1] * V2**2
            levels = np.geomspace(F.max() / 300, F.max(), 9)
            ax.contour(V1, V2, F, levels=levels, colors="0.6", linewidths=0.8)
            ax.plot([0], [0], "*", color=COLORS["black"], ms=9)
            ax.set_xlim(-span, span)
            ax.set_ylim(-span, span)
            ax.set_aspect("equal")
            ax.set_xlabel("$v_1$")
            ax.set_ylabel("$v_2$")
        (self.path,) = ax.plot([], [], "o-", ms=4 if spec.dim == 1 else 3.5, lw=1)
        (self.start,) = ax.plot([], [], "s", color=COLORS["black"], ms=6)
        self.title = ax.set_title("", fontsize=10)
        (self.gap,) = ax_gap.semilogy([0], [1.0], "o-", ms=3, lw=1)
        ax_gap.set_xlabel("step k")
        ax_gap.set_ylabel("8 - P(x_k)" if spec.maximise else "f(x_k)")
        ax_gap.set_title(spec.threshold_text, fontsize=10)
        self.add_messages(self.axes, fontsize=12, alpha=0.9)
        self.suptitle = fig.suptitle("", fontsize=10.5)

    def paint(self, frame: DescentFrame) -> None:
        """Show ``frame``: its path, its gap per step, its label and any divergence message."""
        color = self.colors[_STATUS_COLOR[frame.status]]
        traj = frame.trajectory
        if self.spec.dim == 1:
            self.path.set_data(traj, frame.values)
            self.start.set_data([float(traj[0])], [float(frame.values[0])])
        else:
            self.path.set_data(traj[:, 0], traj[:, 1])
            self.start.set_data([traj[0, 0]], [traj[0, 1]])
        self.path.set_color(color)
        beta = f", β = {frame.momentum:g}" if frame.momentum is not None else ""
        self.title.set_text(f"{self.spec.title}, η = {frame.learning_rate:g}{beta}")
        gap = np.maximum(frame.gap, 1e-16)
        self.gap.set_data(np.arange(len(gap)), gap)
        self.gap.set_color(color)
        ax_gap = self.axes[1]
        ax_gap.set_xlim(-0.5, frame.steps + 0.5)
        # Log axis: room above and below the data, and at least two decades
        # shown so that the ticks are powers of ten even for a flat line.
        low, high = gap.min() / 3.0, gap.max() * 3.0
        if high / low < 100.0:
            middle = np.sqrt(low * high)
            low, high = middle / 10.0, middle * 10.0
        ax_gap.set_ylim(low, high)
        self.show_divergence(frame, frame.status == "diverged" and frame.diverged_at is not None, color)
        self.suptitle.set_text(frame.label)
        self.suptitle.set_color(color)


def _check_frame(frame: Any) -> DescentFrame:
    return check_frame(frame, DescentFrame, "descent_frame")


def _start(spec: _Problem, x0: ArrayLike | None) -> NDArray[np.float64]:
    """The checked start point ``x0`` of a problem (its default when None)."""
    if x0 is None:
        return spec.x0
    start = _validate.as_array(x0, "x0", ndim=spec.dim - 1)
    if spec.dim == 2 and start.shape != (2,):
        raise ValueError(f"x0 must have 2 entries for a two-variable bowl, got shape {start.shape}")
    if np.any(np.abs(start) > 1e100):
        raise ValueError(f"x0 must be between -1e100 and 1e100 (the picture needs room around it), got {x0!r}")
    return start


def _painted(frame: Any, problem: Any, x0: ArrayLike | None, dpi: int) -> _DescentPainter:
    """A new painter showing ``frame``, its window set by ``x0`` (by default the frame's start)."""
    frame = _check_frame(frame)
    spec = _problem(problem)
    if frame.problem != spec.title:
        raise ValueError(f"frame was computed for {frame.problem}, but problem is {spec.title}; "
                         "pass the problem the frame was made with")
    start = frame.trajectory[0] if x0 is None else _start(spec, x0)
    painter = _DescentPainter(dpi, problem, start)
    painter.paint(frame)
    return painter


def frame_figure(frame: DescentFrame, problem: Any, *, x0: ArrayLike | None = None) -> Any:
    """Draw a frame: the path on the curve (or contours) and the gap per step.

    See the chapter :ref:`chapter-gradient-descent`.

    Parameters
    ----------
    frame : DescentFrame
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl
        The problem the frame was computed for (to draw the curve).
    x0 : float or array_like, optional
        Sets the drawn window (by default the frame's own start).

    Returns
    -------
    matplotlib.figure.Figure
        A figure not registered with pyplot (nothing is shown or leaked).

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import descent_frame, frame_figure
    >>> f = nnmath.quadratic(1.0)
    >>> fig = frame_figure(descent_frame(f, 0.1), f)
    >>> len(fig.axes)
    2
    """
    return _painted(frame, problem, x0, dpi=100).figure


def frame_html(frame: DescentFrame, problem: Any, *, dpi: int = 80, x0: ArrayLike | None = None) -> str:
    """The frame as an ``<img>`` tag: a PNG inlined as base64, with alt text.

    See the chapter :ref:`chapter-gradient-descent`.

    Parameters
    ----------
    frame : DescentFrame
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl
    dpi : int
        Resolution of the PNG, 30 to 300 (80 gives about 10 KB).
    x0 : float or array_like, optional
        Passed on to :func:`frame_figure`.

    Returns
    -------
    str
        ``<img alt="..." src="data:image/png;base64,...">``

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import descent_frame, frame_html
    >>> f = nnmath.quadratic(1.0)
    >>> tag = frame_html(descent_frame(f, 1.0), f, dpi=40)
    >>> tag.startswith('<img alt="Gradient descent on f(x) = 1x² with '
    ...                'learning rate η = 1')
    True
    """
    frame = _check_frame(frame)  # before the dpi, as the arguments are listed
    return _painted(frame, problem, x0, dpi=check_dpi(dpi)).html(frame)


def _rate_label(rate: float, threshold: float) -> str:
    """The slider's readout: the rate, marked when it is the exact threshold."""
    if abs(rate - threshold) <= 1e-12 * threshold:
        return f"{rate:g} = threshold"
    return f"{rate:g}"


def _descent_arguments(mode: str, problem, steps: int, dpi: int):
    """The checked arguments every descent widget shares: (mode, problem, steps, dpi)."""
    return (_validate.choice(mode, "mode", ("static", "live")), _problem(problem),
            _validate.whole_number(steps, "steps", minimum=2), check_dpi(dpi))


def learning_rate_widget(
    problem: Any,
    *,
    mode: str = "static",
    learning_rates: Sequence[float] | None = None,
    steps: int = 40,
    x0: ArrayLike | None = None,
    dpi: int = 80,
) -> Any:
    r"""A learning-rate slider that redraws gradient descent on ``problem``.

    See the chapter :ref:`chapter-gradient-descent`.

    Parameters
    ----------
    problem : nnmath.profit, nnmath.quadratic(c) or nnmath.QuadraticBowl
    mode : {"static", "live"}
        ``"static"``: one frame per value of ``learning_rates`` is computed now
        and the slider switches between them in the browser, without a kernel
        (a ``SelectionSlider`` jslinked to a ``Stack``). ``"live"``: every
        slider position is recomputed in the kernel; for a bowl there are
        sliders for the starting point too.
    learning_rates : sequence of float, optional
        Static mode: the precomputed values (default
        :func:`default_learning_rates`, the exact threshold among them).
        Live mode: ignored.
    steps : int
        Steps per run, at least 2.
    x0 : float or array_like, optional
        The start (see :func:`descent_frame`).
    dpi : int
        Resolution of the frames.

    Returns
    -------
    SliderWidget
        Its ``controls`` are ``"learning_rate"`` and, live for a bowl,
        ``"v1_start"`` and ``"v2_start"``; ``frames`` holds (static) the
        :class:`DescentFrame` of each value or (live) the latest one.

    Raises
    ------
    TypeError, ValueError
        For an unknown mode or problem, or bad learning rates.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import learning_rate_widget
    >>> widget = learning_rate_widget(nnmath.quadratic(1.0), mode="live", dpi=30)
    >>> widget.slider.value = 1.0
    >>> widget.frames.status
    'oscillating'
    """
    import ipywidgets as w

    mode, spec, n, d = _descent_arguments(mode, problem, steps, dpi)
    threshold = 1.0 / spec.coefficient
    if mode == "static":
        rates = learning_rate_list(default_learning_rates(problem) if learning_rates is None else learning_rates)
        frames = [descent_frame(problem, r, n, x0=x0) for r in rates]
        # Open on a rate that converges visibly in several steps (at 0.5 times
        # the threshold c x^2 is solved in a single step).
        start = min(range(len(rates)), key=lambda i: abs(rates[i] - 0.25 * threshold))
        listed = ", ".join(f"{r:g}" for r in rates)
        note = (
            f"<p style='font-size:90%'>Precomputed for η = {listed} "
            f"({spec.threshold_text}). Drag the slider, or click it and use the "
            "arrow keys. To try any other value, download this page as a notebook "
            "(.ipynb), run it, and use <code>mode=\"live\"</code>.</p>"
        )
        axis = Axis("learning_rate", "η", [_rate_label(r, threshold) for r in rates], start)
        return static_widget(frames, _DescentPainter(d, problem, frames[0].trajectory[0]), [axis], note)

    # live mode: the learning rate, and for a bowl the starting point
    controls = {"learning_rate": w.FloatSlider(
        value=round(0.5 * threshold, 12),
        min=round(0.01 * threshold, 12),
        max=round(1.25 * threshold, 12),
        step=round(0.01 * threshold, 12),
        readout_format=".4g",
        description="η",
        continuous_update=False,
        layout=w.Layout(width="480px"),
    )}
    start_value = spec.x0 if x0 is None else _validate.as_array(x0, "x0", ndim=spec.dim - 1)
    if spec.dim == 2:
        for i, name in enumerate(("v1", "v2")):
            controls[f"{name}_start"] = w.FloatSlider(value=float(start_value[i]), min=-3.0, max=3.0, step=0.1,
                                                      description=f"v{'₁₂'[i]} start", continuous_update=False)
    window = start_value if spec.dim == 1 else np.full(2, 3.0 / 1.25)

    def compute(learning_rate: float, **start: float) -> DescentFrame:
        begin = start_value if spec.dim == 1 else np.array([start["v1_start"], start["v2_start"]])
        return descent_frame(problem, learning_rate, n, x0=begin)

    return live_widget(controls, compute, lambda frame: _DescentPainter(d, problem, window))


class _MomentumPainter(_DescentPainter):
    """The descent figure with a third panel: the (η, β) plane, its stability boundary and the setting shown."""

    figsize = (10.5, 3.4)
    width_ratios = (1.15, 1, 0.85)

    def draw(self, fig: Any, problem: Any, start: NDArray[np.float64]) -> None:
        super().draw(fig, problem, start)
        fig.subplots_adjust(left=0.06, right=0.99, wspace=0.35)
        ax = self.panels[2]
        edge = 1.0 / self.spec.coefficient                  # 2 / lambda_max
        betas = np.linspace(0.0, 1.0, 50)
        ax.fill_betweenx(betas, 0.0, edge * (1 + betas), color=self.colors["green"], alpha=0.15, lw=0)
        ax.plot(edge * (1 + betas), betas, color=self.colors["black"], lw=1.2)
        ax.text(2.15 * edge, 0.04, "$\\eta\\lambda_{\\max} = 2(1 + \\beta)$", fontsize=8, ha="right")
        self.axes[1].set_title(f"heavy ball stable for η < (1 + β) · {edge:.4g}", fontsize=10)
        ax.set_xlim(0.0, 2.2 * edge)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel("η")
        ax.set_ylabel("β")
        ax.set_title("stable: the shaded region", fontsize=10)
        (self.setting,) = ax.plot([], [], "o", ms=8)

    def paint(self, frame: DescentFrame) -> None:
        """Show ``frame`` and mark its (η, β) in the stability plane."""
        super().paint(frame)
        self.setting.set_data([frame.learning_rate], [frame.momentum])
        self.setting.set_color(self.colors[_STATUS_COLOR[frame.status]])


def _momentum_list(momenta: Any) -> list[float]:
    """``momenta`` checked: a non-empty list of distinct numbers in [0, 1), sorted."""
    if isinstance(momenta, (str, bytes)) or not isinstance(momenta, (Sequence, np.ndarray)):
        raise TypeError(f"momenta must be a list of numbers, got {_validate._describe(momenta)}")
    values = [_fraction(b, f"momenta[{i}]") for i, b in enumerate(momenta)]
    if not values:
        raise ValueError("momenta must hold at least one momentum, got an empty list")
    if len(set(values)) != len(values):
        raise ValueError(f"momenta must not repeat a value, got {values}")
    return sorted(values)


MOMENTUM_RATES = (0.3, 0.9, 1.2, 1.6, 2.0)
"""The learning rates of a static :func:`momentum_widget`, as multiples of the plain threshold 2/λ_max."""

MOMENTA = (0.0, 0.5, 0.8)
"""The momenta of a static :func:`momentum_widget` unless others are given."""


def momentum_widget(
    problem: Any,
    *,
    mode: str = "static",
    learning_rates: Sequence[float] | None = None,
    momenta: Sequence[float] | None = None,
    steps: int = 60,
    x0: ArrayLike | None = None,
    dpi: int = 60,
) -> SliderWidget:
    r"""Two sliders, the learning rate :math:`\eta` and the momentum :math:`\beta`, redrawing heavy ball on a bowl.

    See the chapter :ref:`chapter-momentum`.

    Each picture shows the path on the contours, the distance of the loss
    from its minimum per step on a log scale, the label of
    :func:`descent_frame` (the classifier of :func:`learning_rate_widget`)
    and the :math:`(\eta, \beta)` plane with the stability boundary
    :math:`\eta \lambda_{\max} = 2(1 + \beta)` and the current setting.

    Parameters
    ----------
    problem : nnmath.QuadraticBowl, nnmath.quadratic(c) or nnmath.profit
        The book uses the two-variable bowl ``QuadraticBowl([0.5, 10])``.
    mode : {"static", "live"}
        ``"static"``: a frame for every pair of ``learning_rates`` and
        ``momenta`` is computed now, and two ``jslink``-ed sliders switch
        between them in the browser with no kernel. ``"live"``: every
        position of the two sliders is recomputed in the kernel.
    learning_rates : sequence of float, optional
        Static mode: the precomputed rates (default :data:`MOMENTUM_RATES`
        times the plain threshold). Live mode: ignored.
    momenta : sequence of float, optional
        Static mode: the precomputed momenta, each in [0, 1) (default
        :data:`MOMENTA`). Live mode: ignored.
    steps : int
        Steps per run, at least 2.
    x0 : float or array_like, optional
        The start (see :func:`descent_frame`).
    dpi : int
        Resolution of the frames; the default 60 keeps the 15 static frames
        small enough for the page budget.

    Returns
    -------
    SliderWidget
        Its ``controls`` are ``"learning_rate"`` and ``"momentum"``;
        ``frames[i][j]`` (static) is the :class:`DescentFrame` for rate ``i``
        and momentum ``j``, or (live) the latest frame.

    Raises
    ------
    TypeError, ValueError
        For an unknown mode or problem, or bad rates or momenta.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import momentum_widget
    >>> bowl = nnmath.QuadraticBowl([0.5, 10.0])
    >>> widget = momentum_widget(bowl, learning_rates=[0.06, 0.16],
    ...                          momenta=[0.0, 0.8], dpi=30)
    >>> [[frame.status for frame in row] for row in widget.frames]
    [['slow', 'converged'], ['diverged', 'converged']]
    >>> widget = momentum_widget(bowl, mode="live", dpi=30)
    >>> widget.controls["momentum"].value = 0.8
    >>> widget.frames.status
    'converged'
    """
    import ipywidgets as w

    mode, spec, n, d = _descent_arguments(mode, problem, steps, dpi)
    threshold = 1.0 / spec.coefficient
    if mode == "static":
        rates = learning_rate_list([round(f * threshold, 12) for f in MOMENTUM_RATES]
                                   if learning_rates is None else learning_rates)
        betas = _momentum_list(MOMENTA if momenta is None else momenta)
        frames = [[descent_frame(problem, r, n, x0=x0, momentum=b) for b in betas] for r in rates]
        listed = ", ".join(f"{r:g}" for r in rates)
        note = (
            f"<p style='font-size:90%'>Precomputed for η = {listed} and β = "
            f"{', '.join(f'{b:g}' for b in betas)} (plain descent is stable for η &lt; {threshold:.4g}, "
            "heavy ball for η &lt; (1 + β) times that). Drag either slider. To try any other values, "
            "download this page as a notebook (.ipynb), run it, and use <code>mode=\"live\"</code>.</p>"
        )
        start_rate = min(range(len(rates)), key=lambda i: abs(rates[i] - 0.9 * threshold))
        axes = [Axis("learning_rate", "η", [f"{r:g}" for r in rates], start_rate),
                Axis("momentum", "β", [f"{b:g}" for b in betas], 0)]
        return static_widget(frames, _MomentumPainter(d, problem, frames[0][0].trajectory[0]), axes, note)

    controls = {
        "learning_rate": w.FloatSlider(value=round(0.6 * threshold, 12), min=round(0.02 * threshold, 12),
                                       max=round(2.2 * threshold, 12), step=round(0.02 * threshold, 12),
                                       readout_format=".4g", description="η", continuous_update=False,
                                       layout=w.Layout(width="480px")),
        "momentum": w.FloatSlider(value=0.0, min=0.0, max=0.98, step=0.02, description="β",
                                  continuous_update=False, layout=w.Layout(width="480px")),
    }
    start_value = spec.x0 if x0 is None else x0

    def compute(learning_rate: float, momentum: float) -> DescentFrame:
        return descent_frame(problem, learning_rate, n, x0=start_value, momentum=momentum)

    return live_widget(controls, compute, lambda frame: _MomentumPainter(d, problem, frame.trajectory[0]))


# --- training a classifier -------------------------------------------------------------
TRAINING_STATUSES = ("trained", "slow", "unstable", "stuck", "diverged")
"""The outcomes :func:`training_frame` reports, in :attr:`TrainingFrame.status`."""

TRAINING_ACTIVATIONS = ("relu", "tanh", "sigmoid")
"""The hidden-layer activations the training widget offers."""

DEFAULT_LEARNING_RATES = (0.01, 0.1, 0.3, 1.0, 2.0, 3.0, 10.0)
"""The learning rates of a static :func:`training_widget` unless others are given."""

SPIKE = 2.0
"""A run whose loss jumps above this many times its starting value, and that
does not reach the target accuracy, counts as unstable."""

VANISHED = 1e-6
"""A run whose final gradient is shorter than this, and that does not reach the
target accuracy, counts as stuck: it has stopped learning."""

WIDTHS = (2, 4, 8, 16, 32, 64)
"""The hidden widths the live widget offers."""

_TRAINING_COLOR = {"trained": "green", "slow": "blue", "unstable": "orange", "stuck": "purple",
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
        The seed of the initial weights (``training_frame``'s ``rng``).
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
    with np.errstate(over="ignore"):
        _validate.finite_result(np.ptp(X_arr, axis=0) * 2.0, "the spread of X", "use smaller X")
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
    rng: int = 0,
    target_accuracy: float = 0.95,
    resolution: int = 100,
) -> TrainingFrame:
    r"""Train a classifier for one setting and say what happened.

    The network is ``[2, *hidden, n_classes]`` with ``activation`` in every
    hidden layer and a softmax output, initialised from the seed ``rng`` (He
    initialisation for ReLU, Xavier for tanh and sigmoid), and trained by
    full-batch gradient descent on the cross-entropy for ``steps`` steps with
    :func:`nnmath.classification.train_with_snapshots`. The run is
    classified, in this order:

    * ``"diverged"``: the numbers overflowed (:class:`nnmath.DivergenceError`),
      or the loss rose above :data:`BLOW_UP` (10) times its starting value and ended above it;
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
    rng : int
        The seed of the initial weights, 0 or more. Only an int: every frame
        of a widget must start from the same weights, which a shared
        ``numpy.random.Generator`` would not give.
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
    seed_value = _validate.whole_number(rng, "rng", minimum=0)
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
        label = (f"unstable with η = {eta:g}: the loss jumps to {loss.max():.3g}, "
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


def _check_training_frame(frame: Any) -> TrainingFrame:
    return check_frame(frame, TrainingFrame, "training_frame")


def _light(color: str, amount: float = 0.7) -> tuple[float, float, float]:
    """``color`` mixed with ``amount`` of white: a pale fill for a class region."""
    from matplotlib.colors import to_rgb

    return tuple(amount + (1.0 - amount) * c for c in to_rgb(color))  # type: ignore[return-value]


class _TrainingPainter(Painter):
    """The training figure for one data set: loss per step, accuracy per step, decision regions."""

    figsize = (10.0, 3.4)

    def draw(self, fig: Any, frame: TrainingFrame) -> None:
        from matplotlib.colors import ListedColormap
        from matplotlib.ticker import PercentFormatter

        COLORS = self.colors
        self.n_classes = k = frame.n_classes
        if k > len(_CLASS_COLORS):
            raise ValueError(f"labels must have at most {len(_CLASS_COLORS)} classes to be drawn, got {k}")
        class_colors = [COLORS[_CLASS_COLORS[i]] for i in range(k)]
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
        self.add_messages((ax_loss, ax_map), fontsize=11, alpha=0.92)
        self.suptitle = fig.suptitle("", fontsize=10.5)

    def paint(self, frame: TrainingFrame) -> None:
        """Show ``frame``: its loss and accuracy curves, its regions, its label."""
        color = self.colors[_TRAINING_COLOR[frame.status]]
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
        self.show_divergence(frame, diverged, color)
        name = f"{frame.architecture} {frame.activation} network, η = {frame.learning_rate:g}"
        self.suptitle.set_text(f"{name}\n{frame.label}")
        self.suptitle.set_color(color)


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
    >>> frame = training_frame(X, labels, learning_rate=0.5, steps=20)
    >>> fig = training_figure(frame)
    >>> [ax.get_title() for ax in fig.axes]
    ['loss per step', 'accuracy per step', 'regions after 20 steps']
    """
    painter = _TrainingPainter(100, _check_training_frame(frame))
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
    >>> frame = training_frame(X, labels, learning_rate=0.5, steps=20)
    >>> tag = training_html(frame, dpi=30)
    >>> tag.startswith('<img alt="Training a 2-16-16-2 relu network on 40 points '
    ...                'with learning rate η = 0.5')
    True
    """
    frame = _check_training_frame(frame)
    return _TrainingPainter(check_dpi(dpi), frame).html(frame)



def training_widget(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    mode: str = "static",
    learning_rates: Sequence[float] | None = None,
    hidden: Sequence[int] = (16, 16),
    activation: str = "relu",
    steps: int = 1000,
    rng: int = 0,
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
    hidden, activation, steps, rng, target_accuracy, resolution
        As for :func:`training_frame`; in live mode, the starting values.
    dpi : int
        Resolution of the frames, 30 to 300.

    Returns
    -------
    SliderWidget
        Its ``controls`` are ``"learning_rate"`` and, live, ``"width"``,
        ``"activation"`` and ``"steps"``; ``frames`` holds (static) the
        :class:`TrainingFrame` of each value or (live) the latest one, and
        live, ``update`` retrains and redraws.

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
    options = {"rng": rng, "target_accuracy": target_accuracy, "resolution": resolution}

    if mode == "static":
        rates = learning_rate_list(DEFAULT_LEARNING_RATES if learning_rates is None else learning_rates)
        frames = [training_frame(X_arr, classes, learning_rate=r, hidden=widths, activation=act,
                                 steps=budget, **options) for r in rates]
        candidates = [i for i, f in enumerate(frames) if f.status != "diverged"] or [0]
        start = max(candidates, key=lambda i: (frames[i].final_accuracy, -frames[i].final_loss))
        listed = ", ".join(f"{r:g}" for r in rates)
        note = (
            f"<p style='font-size:90%'>Precomputed for η = {listed} (network {frames[0].architecture}, "
            f"{act}, {budget} steps, seed {options['rng']}). Drag the slider, or click it and use the "
            "arrow keys. To try other learning rates, widths, activations or step budgets, download "
            "this page as a notebook (.ipynb), run it, and use <code>mode=\"live\"</code>.</p>"
        )
        axis = Axis("learning_rate", "η", [f"{r:g}" for r in rates], start)
        return static_widget(frames, _TrainingPainter(d, frames[0]), [axis], note)

    # live mode
    first = 0.3 if learning_rates is None else learning_rate_list(learning_rates)[0]
    first = float(np.clip(first, 1e-3, 1e2))
    controls = {
        "learning_rate": w.FloatLogSlider(value=first, base=10, min=-3, max=2, step=0.05, description="η",
                                          readout_format=".3g", continuous_update=False,
                                          layout=w.Layout(width="480px")),
        "width": w.SelectionSlider(options=sorted(set(WIDTHS) | {widths[0]}), value=widths[0], description="width",
                                   continuous_update=False, layout=w.Layout(width="480px")),
        "activation": w.Dropdown(options=list(TRAINING_ACTIVATIONS), value=act, description="activation"),
        "steps": w.IntSlider(value=budget, min=min(50, budget), max=max(3000, budget), step=50, description="steps",
                             continuous_update=False, layout=w.Layout(width="480px")),
    }

    def compute(learning_rate: float, width: int, activation: str, steps: int) -> TrainingFrame:
        return training_frame(X_arr, classes, learning_rate=learning_rate, hidden=(width,) * len(widths),
                              activation=activation, steps=steps, **options)

    return live_widget(controls, compute, lambda frame: _TrainingPainter(d, frame))
