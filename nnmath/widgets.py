r"""Learning-rate widgets: move :math:`\eta` and watch gradient descent change.

Every picture the widgets show is computed by two plain functions that tests
(and readers) can call directly:

* :func:`descent_frame` runs :func:`nnmath.gradient_descent` on a problem for
  one learning rate and classifies the run as ``"converged"``, ``"slow"``,
  ``"oscillating"`` or ``"diverged"``, with a one-line label;
* :func:`frame_html` draws that frame as a small PNG inside an ``<img>`` tag
  whose alt text states the learning rate and the outcome.

:func:`learning_rate_widget` assembles them into an ipywidgets control in one
of two modes:

``mode="live"``
    In a running Jupyter kernel every slider position is recomputed by
    ``nnmath`` (an ``observe`` callback).
``mode="static"``
    The frames for a few learning rates are computed once, at build time,
    and stored in a ``Stack``; a ``SelectionSlider`` is ``jslink``-ed to the
    stack, so the slider works on a static web page with no kernel.

The problems are the book's examples: :data:`nnmath.profit` (gradient
*ascent* to its maximum at :math:`x = 3`, which is descent on :math:`-P`),
:func:`nnmath.quadratic` and :class:`nnmath.QuadraticBowl`. For
:math:`f(x) = c x^2` the update is :math:`x_{k+1} = (1 - 2\eta c)\, x_k`, so
gradient descent converges exactly when :math:`\eta < 1/c`, oscillates
forever at :math:`\eta = 1/c` and diverges above it.

See the chapter :ref:`chapter-gradient-descent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from ._frames import canvas_png, check_dpi, img_tag, learning_rate_list, static_slider
from .functions import QuadraticBowl, ScalarFunction, profit
from .optim import DivergenceError, gradient_descent
from . import _training_widget
from ._training_widget import *  # noqa: F401,F403  (the training widget, section 9)

__all__ = [
    "STATUSES",
    "DescentFrame",
    "default_learning_rates",
    "descent_frame",
    "frame_figure",
    "frame_html",
    "learning_rate_widget",
    "stability_threshold",
    *_training_widget.__all__,
]

STATUSES = ("converged", "slow", "oscillating", "diverged")
"""The outcomes :func:`descent_frame` reports, in ``DescentFrame.status``."""

BLOW_UP = 100.0
"""A run counts as diverged at the first step that is this many times further
from the optimum than the start (or when the numbers overflow)."""


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
    >>> stability_threshold(nnmath.quadratic(4.0)), stability_threshold(nnmath.profit)
    (0.25, 0.5)
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
    """One run of gradient descent, as one picture of the widget shows it.

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
        :func:`stability_threshold` of the problem.
    label : str
        One line saying what happened, with the learning rate.
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
        return (
            f"Gradient descent on {self.problem} with learning rate η = {self.learning_rate:g} "
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
    'diverged at step 7 with η = 1.5'
    >>> descent_frame(nnmath.profit, 0.25, steps=3).trajectory
    array([0., 3., 3., 3.])
    """
    spec = _problem(problem)
    eta = _validate.positive_number(learning_rate, "learning_rate")
    n = _validate.whole_number(steps, "steps", minimum=2)
    tol = _validate.positive_number(tolerance, "tolerance")
    if tol >= 1:
        raise ValueError(f"tolerance must be between 0 and 1 (a fraction of the start distance), got {tolerance!r}")
    if x0 is None:
        start = spec.x0
    else:
        start = _validate.as_array(x0, "x0", ndim=spec.dim - 1)
        if spec.dim == 2 and start.shape != (2,):
            raise ValueError(f"x0 must have 2 entries for a two-variable bowl, got shape {start.shape}")
    try:
        trajectory = gradient_descent(spec.descent_gradient, start, eta, n)
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
        label = f"diverged at step {diverged_at} with η = {eta:g}"
    elif d0 == 0:
        status = "converged"
        label = f"converged with η = {eta:g}: it started at the {where}"
    else:
        close = np.nonzero(d <= tol * d0)[0]
        growing = d[-1] > d[-3] * (1 + 1e-9)
        if close.size and not growing:
            status = "converged"
            k = int(close[0])
            unit = "step" if k == 1 else "steps"
            label = f"converged with η = {eta:g}: within {tol * 100:.3g}% of the {where} after {k} {unit}"
        elif growing:
            status = "diverged"
            rate = (d[-1] / d[-3]) ** 0.5
            label = (
                f"diverging with η = {eta:g}: {d0:.3g} → {d[-1]:.3g} from the {where} "
                f"in {n} steps (×{rate:.4g} per step)"
            )
        else:
            flips = np.any(np.sign(trajectory[-1] - spec.optimum) != np.sign(trajectory[-2] - spec.optimum))
            if flips and d[-1] >= 0.999 * d[-3]:
                status = "oscillating"
                if spec.dim == 1:
                    label = (
                        f"oscillating with η = {eta:g}: jumps between "
                        f"{_pm(trajectory[-2:], spec.optimum)} forever, never closer"
                    )
                else:
                    label = f"oscillating with η = {eta:g}: zig-zags {d[-1]:.3g} from the {where}, never closer"
            else:
                status = "slow"
                label = (
                    f"converging slowly with η = {eta:g}: {100 * d[-1] / d0:.2g}% of the "
                    f"distance left after {n} steps"
                )
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.asarray(spec.value(trajectory), dtype=np.float64)
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
        threshold=1.0 / spec.coefficient,
        label=label,
    )


def _pm(last_two: NDArray[np.float64], optimum: NDArray[np.float64]) -> str:
    a, b = (float(v) for v in last_two)
    if float(optimum) == 0 and abs(abs(a) - abs(b)) <= 1e-9 * max(abs(a), 1.0):
        return f"±{abs(a):.3g}"
    return f"{min(a, b):.3g} and {max(a, b):.3g}"


_STATUS_COLOR = {"converged": "green", "slow": "blue", "oscillating": "orange", "diverged": "vermillion"}


class _Painter:
    """One figure for one problem and window; :meth:`paint` redraws it for a frame.

    The curve (or the contours), the axes and their labels are drawn once; a
    new frame only changes the data of a few lines and texts. That keeps a
    live slider update at about half the time of building a new figure.
    """

    def __init__(self, problem: Any, start: NDArray[np.float64], dpi: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .plotting import COLORS, style

        spec = self.spec = _problem(problem)
        self.colors = COLORS
        self.style = style
        with style():
            fig = self.figure = Figure(figsize=(8.0, 3.3), dpi=dpi)
            self.canvas = FigureCanvasAgg(fig)
            fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.84, wspace=0.3)
            ax, ax_gap = self.axes = fig.subplots(1, 2, width_ratios=(1.15, 1))
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
            self.messages = [
                a.text(0.5, 0.5, "", transform=a.transAxes, ha="center", va="center", fontsize=12,
                       bbox={"facecolor": "white", "alpha": 0.9}, visible=False)
                for a in self.axes
            ]
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
        self.title.set_text(f"{self.spec.title}, η = {frame.learning_rate:g}")
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
        diverged = frame.status == "diverged" and frame.diverged_at is not None
        for message in self.messages:
            message.set_visible(diverged)
            if diverged:
                message.set_text(f"diverged at step {frame.diverged_at}\nwith η = {frame.learning_rate:g}")
                message.set_color(color)
                message.get_bbox_patch().set_edgecolor(color)
        self.suptitle.set_text(frame.label)
        self.suptitle.set_color(color)

    def png(self) -> bytes:
        """The figure as PNG bytes with a 64-colour palette (a third of the size of full colour)."""
        return canvas_png(self.canvas, self.style)


def _check_frame(frame: Any) -> DescentFrame:
    if not isinstance(frame, DescentFrame):
        raise TypeError(f"frame must be a DescentFrame from descent_frame, got {_validate._describe(frame)}")
    return frame




def _painted(frame: Any, problem: Any, x0: ArrayLike | None, dpi: int) -> _Painter:
    """A new painter showing ``frame``, its window set by ``x0`` (by default the frame's start)."""
    frame = _check_frame(frame)
    start = frame.trajectory[0] if x0 is None else np.asarray(x0, dtype=np.float64)
    painter = _Painter(problem, start, dpi=dpi)
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
    >>> tag.startswith('<img alt="Gradient descent on f(x) = 1x² with learning rate η = 1')
    True
    """
    frame = _check_frame(frame)  # before the dpi, as the arguments are listed
    painter = _painted(frame, problem, x0, dpi=check_dpi(dpi))
    return img_tag(frame.alt, painter.png())


def _rate_label(rate: float, threshold: float) -> str:
    """The slider's readout: the rate, marked when it is the exact threshold."""
    if abs(rate - threshold) <= 1e-12 * threshold:
        return f"{rate:g} = threshold"
    return f"{rate:g}"


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
    ipywidgets.VBox
        With attributes ``slider`` (the learning-rate slider), ``display``
        (live: the ``HTML`` widget showing the frame; static: the ``Stack``),
        ``frames`` (static: the :class:`DescentFrame` of each value;
        live: the latest one) and, in live mode, ``start_sliders``.

    Raises
    ------
    TypeError, ValueError
        For an unknown mode or problem, or bad learning rates.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.widgets import learning_rate_widget
    >>> box = learning_rate_widget(nnmath.quadratic(1.0), mode="live", dpi=30)
    >>> box.slider.value = 1.0
    >>> box.frames.status
    'oscillating'
    """
    import ipywidgets as w

    mode = _validate.choice(mode, "mode", ("static", "live"))
    spec = _problem(problem)
    n = _validate.whole_number(steps, "steps", minimum=2)
    threshold = 1.0 / spec.coefficient
    if mode == "static":
        rates = learning_rate_list(default_learning_rates(problem) if learning_rates is None else learning_rates)
        frames = [descent_frame(problem, r, n, x0=x0) for r in rates]
        painter = _Painter(problem, frames[0].trajectory[0], dpi=check_dpi(dpi))
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
        labels = [_rate_label(r, threshold) for r in rates]
        return static_slider(frames, painter, labels, start, note)

    # live mode
    display = w.HTML()
    slider = w.FloatSlider(
        value=round(0.5 * threshold, 12),
        min=round(0.01 * threshold, 12),
        max=round(1.25 * threshold, 12),
        step=round(0.01 * threshold, 12),
        readout_format=".4g",
        description="η",
        continuous_update=False,
        layout=w.Layout(width="480px"),
    )
    start_value = spec.x0 if x0 is None else _validate.as_array(x0, "x0", ndim=spec.dim - 1)
    start_sliders = []
    if spec.dim == 2:
        for i, name in enumerate(("v₁ start", "v₂ start")):
            start_sliders.append(
                w.FloatSlider(value=float(start_value[i]), min=-3.0, max=3.0, step=0.1,
                              description=name, continuous_update=False)
            )
    window = start_value if spec.dim == 1 else np.full(2, 3.0 / 1.25)
    painter = _Painter(problem, window, dpi=check_dpi(dpi))
    box = w.VBox([slider, *start_sliders, display])
    box.slider, box.display, box.start_sliders = slider, display, start_sliders

    def update(change: Any = None) -> None:
        start = start_value if spec.dim == 1 else np.array([s.value for s in start_sliders])
        frame = descent_frame(problem, slider.value, n, x0=start)
        painter.paint(frame)
        display.value = img_tag(frame.alt, painter.png())
        box.frames = frame

    slider.observe(update, names="value")
    for s in start_sliders:
        s.observe(update, names="value")
    box.update = update
    update()
    return box
