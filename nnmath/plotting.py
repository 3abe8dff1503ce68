"""Matplotlib helpers for the book's figures.

Every helper takes an optional ``ax`` and returns it; none changes global
state. Colours come from the Okabe–Ito palette, which stays distinguishable
with the common forms of colour blindness; :func:`style` applies the book's
look inside a ``with`` block only.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .functions import ScalarFunction

__all__ = [
    "COLORS",
    "plot_difference_errors",
    "plot_function_and_derivative",
    "plot_gradient_field",
    "plot_secants",
    "style",
]

COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
"""The Okabe–Ito colour-blind-safe palette, by name."""

_RC = {
    "axes.prop_cycle": mpl.cycler(color=[COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.4, 4.0),
    "font.size": 11,
    "axes.titlesize": 12,
    "legend.frameon": False,
    # White figure background so figures stay legible on the theme's dark mode.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The book's figure style, applied only inside the ``with`` block.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from nnmath.plotting import style
    >>> with style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(_RC):
        yield


def _axes(ax: plt.Axes | None) -> plt.Axes:
    if ax is None:
        with style():
            _, ax = plt.subplots()
    return ax


def plot_function_and_derivative(
    function: ScalarFunction,
    x_range: tuple[float, float] = (-5.0, 5.0),
    *,
    ax: plt.Axes | None = None,
    n_points: int = 401,
) -> plt.Axes:
    """Draw a function and its derivative on one axis.

    Parameters
    ----------
    function : ScalarFunction
        For example ``nnmath.sigmoid`` or ``nnmath.profit``.
    x_range : (float, float)
    ax : matplotlib Axes, optional
    n_points : int

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(function, ScalarFunction):
        raise TypeError(f"function must be an nnmath ScalarFunction such as nnmath.sigmoid, got {function!r}")
    lo, hi = (_validate.real_number(v, "x_range") for v in x_range)
    if not lo < hi:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range}")
    ax = _axes(ax)
    x = np.linspace(lo, hi, _validate.whole_number(n_points, "n_points", minimum=2))
    name = function.latex
    ax.plot(x, function(x), color=COLORS["blue"], lw=2, label=f"${name}(x)$")
    ax.plot(x, function.derivative(x), color=COLORS["vermillion"], lw=2, ls="--", label=f"${name}'(x)$")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel("$x$")
    ax.legend()
    return ax


def plot_secants(
    function: ScalarFunction,
    x0: float,
    steps: Sequence[float],
    x_range: tuple[float, float],
    *,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw a function, secant lines through ``x0`` and ``x0 + h`` for each ``h``, and the tangent.

    The secants' slopes are the forward differences; as ``h`` shrinks they
    turn into the tangent, whose slope is the derivative.
    """
    if not isinstance(function, ScalarFunction):
        raise TypeError(f"function must be an nnmath ScalarFunction, got {function!r}")
    x0 = _validate.real_number(x0, "x0")
    hs = _validate.as_array(steps, "steps", ndim=1)
    if np.any(hs == 0):
        raise ValueError(f"steps must not contain 0 (a secant needs two distinct points), got {hs}")
    ax = _axes(ax)
    lo, hi = x_range
    x = np.linspace(lo, hi, 400)
    y0 = float(function(x0))
    ax.plot(x, function(x), color=COLORS["black"], lw=2, label=f"${function.latex}(x)$")
    colors = [COLORS[c] for c in ("sky", "green", "orange", "purple")]
    for i, h in enumerate(hs):
        slope = (float(function(x0 + h)) - y0) / h
        ax.plot(x, y0 + slope * (x - x0), color=colors[i % len(colors)], lw=1.3,
                label=f"secant, $h = {h:g}$: slope {slope:.2f}")
        ax.plot([x0 + h], [float(function(x0 + h))], "o", color=colors[i % len(colors)], ms=5)
    slope = float(function.derivative(x0))
    ax.plot(x, y0 + slope * (x - x0), color=COLORS["vermillion"], lw=2, ls="--",
            label=f"tangent: slope {slope:.2f}")
    ax.plot([x0], [y0], "o", color=COLORS["vermillion"], ms=7)
    ax.set_xlabel("$x$")
    ax.legend(fontsize=9, loc="lower center")
    return ax


def plot_difference_errors(errors: dict[str, NDArray[np.float64]], *, ax: plt.Axes | None = None) -> plt.Axes:
    """Log-log plot of forward and central difference errors against the step ``h``.

    Parameters
    ----------
    errors : dict
        As returned by :func:`nnmath.difference_errors`.

    Returns
    -------
    matplotlib Axes
    """
    for key in ("h", "forward", "central"):
        if key not in errors:
            raise ValueError(f"errors must be the dict returned by nnmath.difference_errors, missing key {key!r}")
    ax = _axes(ax)
    h = errors["h"]
    floor = np.finfo(np.float64).eps / 10  # an exact 0 error cannot be drawn on a log axis
    ax.loglog(h, np.maximum(errors["forward"], floor), "o-", color=COLORS["blue"], ms=3, label="forward difference")
    ax.loglog(h, np.maximum(errors["central"], floor), "s-", color=COLORS["vermillion"], ms=3, label="central difference")
    ax.set_xlabel("step $h$")
    ax.set_ylabel("absolute error")
    ax.legend()
    return ax


def plot_gradient_field(
    f: Callable[[NDArray[np.float64]], float],
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    *,
    ax: plt.Axes | None = None,
    n_arrows: int = 9,
) -> plt.Axes:
    """Contours of a function of two variables with its gradient drawn as arrows.

    Parameters
    ----------
    f : callable
        Maps a point ``[x, y]`` to a number.
    gradient : callable
        Maps a point ``[x, y]`` to its gradient ``[df/dx, df/dy]``.
    x_range, y_range : (float, float)
    ax : matplotlib Axes, optional
    n_arrows : int
        Arrows per side of the grid.

    Returns
    -------
    matplotlib Axes
    """
    _validate.callable_(f, "f")
    _validate.callable_(gradient, "gradient")
    ax = _axes(ax)
    xs = np.linspace(*x_range, 200)
    ys = np.linspace(*y_range, 200)
    XX, YY = np.meshgrid(xs, ys)
    ZZ = np.array([[f(np.array([x, y])) for x in xs] for y in ys])
    contours = ax.contour(XX, YY, ZZ, levels=12, colors="0.35", linewidths=1.0)
    ax.clabel(contours, fontsize=8)
    ax_ = np.linspace(*x_range, n_arrows + 2)[1:-1]
    ay_ = np.linspace(*y_range, n_arrows + 2)[1:-1]
    AX, AY = np.meshgrid(ax_, ay_)
    G = np.array([[np.asarray(gradient(np.array([x, y])), dtype=float) for x in ax_] for y in ay_])
    ax.quiver(AX, AY, G[..., 0], G[..., 1], color=COLORS["vermillion"], angles="xy")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_aspect("equal")
    return ax
