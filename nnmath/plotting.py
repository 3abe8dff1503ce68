"""Matplotlib helpers for the book's figures.

See the chapter :ref:`chapter-derivatives`.

Every helper takes an optional ``ax`` and returns it; none changes global
state. Colours come from the Okabe–Ito palette, which stays distinguishable
with the common forms of colour blindness; :func:`style` applies the book's
look inside a ``with`` block only.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .functions import ScalarFunction

__all__ = [
    "COLORS",
    "plot_computational_graph",
    "plot_difference_errors",
    "plot_function_and_derivative",
    "plot_gradient_field",
    "plot_secants",
    "plot_value_graph",
    "style",
    "value_graph_alt",
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

    See the chapter :ref:`chapter-derivatives`.

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

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    function : ScalarFunction
        For example ``nnmath.sigmoid`` or ``nnmath.profit``.
    x_range : (float, float)
        The interval drawn.
    ax : matplotlib Axes, optional
        Where to draw; a new axis if not given.
    n_points : int
        How many points are drawn across ``x_range``.

    Returns
    -------
    matplotlib Axes
        ``ax``, or a new axis if none was given.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import nnmath
    >>> from nnmath.plotting import plot_function_and_derivative, style
    >>> with style():
    ...     ax = plot_function_and_derivative(nnmath.sigmoid, (-6.0, 6.0))
    >>> len(ax.get_legend().get_texts())  # the function and its derivative
    2
    >>> plt.close(ax.figure)
    """
    if not isinstance(function, ScalarFunction):
        raise TypeError(f"function must be an nnmath ScalarFunction such as nnmath.sigmoid, got {function!r}")
    lo, hi = _validate.interval(x_range, "x_range")
    count = _validate.whole_number(n_points, "n_points", minimum=2)
    _validate.check_size(3 * count, "n_points", "points to draw")
    ax = _axes(ax)
    x = np.linspace(lo, hi, count)
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

    See the chapter :ref:`chapter-derivatives`.

    The secants' slopes are the forward differences; as ``h`` shrinks they
    turn into the tangent, whose slope is the derivative.

    Parameters
    ----------
    function : ScalarFunction
        For example :data:`nnmath.profit`.
    x0 : float
        The point where the derivative is taken.
    steps : sequence of float
        The steps ``h``, one secant each.
    x_range : (float, float)
        The interval drawn.
    ax : matplotlib Axes, optional
        Where to draw; a new axis if not given.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import nnmath
    >>> from nnmath.plotting import plot_secants, style
    >>> with style():
    ...     ax = plot_secants(nnmath.profit, 1.0, [2.0, 1.0, 0.5], (0.0, 5.0))
    >>> plt.close(ax.figure)
    """
    if not isinstance(function, ScalarFunction):
        raise TypeError(f"function must be an nnmath ScalarFunction, got {function!r}")
    x0 = _validate.real_number(x0, "x0")
    hs = _validate.as_array(steps, "steps", ndim=1)
    if np.any(hs == 0):
        raise ValueError(f"steps must not contain 0 (a secant needs two distinct points), got {hs}")
    lo, hi = _validate.interval(x_range, "x_range")
    ax = _axes(ax)
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

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    errors : dict
        As returned by :func:`nnmath.difference_errors`.
    ax : matplotlib Axes, optional
        Where to draw; a new axis if not given.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> import nnmath
    >>> from nnmath.plotting import plot_difference_errors, style
    >>> sigmoid, steps = nnmath.sigmoid, np.logspace(-10, -1, 10)
    >>> errors = nnmath.difference_errors(sigmoid, sigmoid.derivative, 1.0, steps)
    >>> with style():
    ...     ax = plot_difference_errors(errors)
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)
    """
    if not isinstance(errors, dict):
        raise TypeError(f"errors must be the dict returned by nnmath.difference_errors, got {_validate._describe(errors)}")
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

    See the chapter :ref:`chapter-derivatives`.

    Parameters
    ----------
    f : callable
        Maps a point ``[x, y]`` to a number.
    gradient : callable
        Maps a point ``[x, y]`` to its gradient ``[df/dx, df/dy]``.
    x_range, y_range : (float, float)
        The rectangle drawn.
    ax : matplotlib Axes, optional
        Where to draw; a new axis if not given.
    n_arrows : int
        Arrows per side of the grid.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, matplotlib.pyplot as plt
    >>> from nnmath.plotting import plot_gradient_field, style
    >>> bowl = lambda p: float(p[0] ** 2 + 2 * p[1] ** 2)
    >>> bowl_gradient = lambda p: np.array([2 * p[0], 4 * p[1]])
    >>> with style():
    ...     ax = plot_gradient_field(bowl, bowl_gradient, (-2, 2), (-2, 2))
    >>> plt.close(ax.figure)
    """
    _validate.callable_(f, "f")
    _validate.callable_(gradient, "gradient")
    x_range = _validate.interval(x_range, "x_range")
    y_range = _validate.interval(y_range, "y_range")
    count = _validate.whole_number(n_arrows, "n_arrows", minimum=1)
    _validate.check_size(2 * count**2, "n_arrows", "arrows")

    def checked(result: Any, point: NDArray[np.float64], name: str, shape: tuple[int, ...]) -> NDArray[np.float64]:
        """One value of the reader's function ``name``: numbers of ``shape``, finite."""
        result = _validate.function_value(result, name, f"{tuple(point)}")
        if result.shape != shape or not np.all(np.isfinite(result)):
            raise ValueError(f"{name} must return {'one finite number' if name == 'f' else 'two finite numbers'} "
                             f"at each point of x_range × y_range, got {result!r} at {tuple(point)}")
        return result

    def on_grid(function: Callable, name: str, xs: NDArray[np.float64], ys: NDArray[np.float64],
                shape: tuple[int, ...]) -> NDArray[np.float64]:
        """``function`` (the reader's ``name``) at every grid point (row y, column x), every value checked.

        Plain float64 values (Python floats, NumPy floats, float64 arrays) of the right shape, all
        finite, are checked together; any other value goes through :func:`checked` in turn, which
        names the first bad one and its point.
        """
        points = [np.array([x, y]) for y in ys for x in xs]
        with np.errstate(all="ignore"):
            results = [function(point) for point in points]
        plain = all(type(r) is float or type(r) is np.float64 or (type(r) is np.ndarray and r.dtype == np.float64)
                    for r in results)
        grid = None
        if plain:
            try:
                grid = np.asarray(results)
            except ValueError:  # arrays of different shapes
                pass
        if grid is None or grid.shape != (len(points), *shape) or not np.isfinite(grid).all():
            grid = np.array([checked(result, point, name, shape) for result, point in zip(results, points)])
        return grid.reshape(len(ys), len(xs), *shape)

    ax = _axes(ax)
    xs = np.linspace(*x_range, 200)
    ys = np.linspace(*y_range, 200)
    XX, YY = np.meshgrid(xs, ys)
    ZZ = on_grid(f, "f", xs, ys, ())
    contours = ax.contour(XX, YY, ZZ, levels=12, colors="0.35", linewidths=1.0)
    ax.clabel(contours, fontsize=8)
    ax_ = np.linspace(*x_range, count + 2)[1:-1]
    ay_ = np.linspace(*y_range, count + 2)[1:-1]
    AX, AY = np.meshgrid(ax_, ay_)
    G = on_grid(gradient, "gradient", ax_, ay_, (2,))
    ax.quiver(AX, AY, G[..., 0], G[..., 1], color=COLORS["vermillion"], angles="xy")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_aspect("equal")
    return ax


# --- computational graphs ---------------------------------------------------------------
_PATH_COLORS = ("vermillion", "blue", "green", "orange", "purple", "sky")


def _graph_positions(graph, positions) -> dict[str, tuple[float, float]]:
    """Layer-by-layer positions: x is the layer, y spreads each layer around 0.

    Computed nodes are spread evenly within their layer, ordered by the mean
    height of their computed neighbours (a few sweeps of the barycentre
    heuristic, which keeps crossings few). Then each source (an input) is put
    at the mean height of the nodes it feeds, or the nearest free place above
    or below: a weight is drawn next to the node that uses it.
    """
    layers = graph.layers()
    sources = {n for n in graph.nodes if not graph.parents(n)}
    computed = [[n for n in layer if n not in sources] for layer in layers]
    height: dict[str, float] = {}

    def spread(layer: list[str]) -> None:
        for rank, node in enumerate(layer):
            height[node] = (len(layer) - 1) / 2 - rank

    for layer in computed:
        spread(layer)
    for sweep in range(4):
        for layer in (computed[::-1] if sweep % 2 == 0 else computed):
            def key(node: str, sweep: int = sweep) -> float:
                near = graph.children(node) if sweep % 2 == 0 else graph.parents(node)
                near = [n for n in near if n in height] or [n for n in (*graph.parents(node), *graph.children(node))
                                                            if n in height]
                return -float(np.mean([height[n] for n in near])) if near else -height[node]
            spread(sorted(layer, key=key))
    for depth, layer in enumerate(layers):
        taken = [height[n] for n in layer if n in height]
        for node in layer:
            if node not in sources:
                continue
            fed = [height[c] for c in graph.children(node) if c in height]
            centre = float(np.mean(fed)) if fed else 0.0
            candidates = [centre + k * sign for k in range(len(layer) + len(taken) + 1) for sign in (1, -1)]
            y = next(c for c in candidates if all(abs(c - t) > 0.999 for t in taken))
            height[node] = y
            taken.append(y)
    result = {node: (float(d), float(height[node])) for d, layer in enumerate(layers) for node in layer}
    if positions is not None:
        if not isinstance(positions, dict):
            raise TypeError(f"positions must be a dict of node name -> (x, y), got {positions!r}")
        for node, xy in positions.items():
            graph.symbol(node)  # an unknown name raises a ValueError listing the nodes
            point = _validate.as_array(xy, f"positions[{node!r}]", ndim=1)
            if point.shape != (2,):
                raise ValueError(f"positions[{node!r}] must be (x, y), got {xy!r}")
            result[node] = (float(point[0]), float(point[1]))
    return result


def _node_latex(graph, node: str) -> str:
    import sympy

    return sympy.latex(graph.symbol(node))


def _arrow(ax: plt.Axes, start: tuple[float, float], end: tuple[float, float], radius: float) -> None:
    """An arrow from one node's circle to another's (``radius`` in points)."""
    ax.annotate("", xy=end, xytext=start, zorder=2,
                arrowprops={"arrowstyle": "-|>", "color": "0.25", "lw": 1.2, "mutation_scale": 14,
                            "shrinkA": radius + 1, "shrinkB": radius + 2})


def _beside(ax: plt.Axes, x: float, y: float, text: str, offset: float, **kwargs) -> None:
    """Text centred above (``offset`` > 0, in points) or below (< 0) the point (x, y)."""
    from matplotlib.transforms import offset_copy

    shifted = offset_copy(ax.transData, fig=ax.figure, y=offset, units="points")
    ax.text(x, y, text, ha="center", va="bottom" if offset > 0 else "top", transform=shifted, zorder=6, **kwargs)


def plot_computational_graph(
    graph,
    ax: plt.Axes | None = None,
    highlight_paths: Sequence[Sequence[str]] | None = None,
    *,
    path_labels: Sequence[str] | None = None,
    path_colors: Sequence[str] | None = None,
    node_labels: dict[str, str] | None = None,
    node_values: dict[str, float] | None = None,
    edge_labels: str | dict[tuple[str, str], str] | None = None,
    show_definitions: bool = False,
    positions: dict[str, tuple[float, float]] | None = None,
    node_size: float = 1300.0,
    legend_loc: str = "best",
) -> plt.Axes:
    r"""Draw a :class:`nnmath.graph.ComputationalGraph`, optionally with paths highlighted.

    Nodes are drawn as circles from left (inputs) to right (outputs), one
    column per layer of :meth:`~nnmath.graph.ComputationalGraph.layers`;
    inputs are shaded grey. Each edge is an arrow from a parent to the node it
    feeds. Each highlighted path is drawn in its own colour-blind-safe colour
    along its edges, side by side where paths share an edge, and named in the
    legend. See the chapter :ref:`chapter-chain-rule`.

    Parameters
    ----------
    graph : nnmath.graph.ComputationalGraph
    ax : matplotlib Axes, optional
        Where to draw; a new figure in the book's style if omitted.
    highlight_paths : sequence of sequences of str, optional
        Paths as node names, e.g. ``graph.paths("x", "f")``; consecutive
        names must be joined by an edge.
    path_labels : sequence of str, optional
        Legend labels, one per path; by default the path written with arrows.
    path_colors : sequence of str, optional
        One colour per path; by default vermillion, blue, green, orange,
        purple, sky from :data:`COLORS` (after six the colours repeat with
        dashed, then dotted lines).
    node_labels : dict, optional
        Text inside a node, by default the node's symbol in LaTeX (``z1`` is :math:`z_1`).
    node_values : dict, optional
        Numbers written above the nodes, e.g. ``graph.evaluate(values)``.
    edge_labels : "derivatives" or dict, optional
        ``"derivatives"`` writes each edge's local derivative (LaTeX) at its
        middle, with :math:`\sigma(z)(1 - \sigma(z))` shortened to
        :math:`\sigma'(z)`; a dict maps ``(parent, child)`` to a label.
    show_definitions : bool
        Write each computed node's formula below it.
    positions : dict, optional
        Node name -> (x, y), replacing the automatic layout for those nodes.
    node_size : float
        The area of a node's circle in points².
    legend_loc : str
        Where the legend of the paths goes (a matplotlib legend location).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``graph`` is not a ComputationalGraph or an argument has the wrong type.
    ValueError
        If a path uses an unknown node or a missing edge, or ``path_labels`` or
        ``path_colors`` do not match the paths.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from nnmath.graph import ComputationalGraph
    >>> from nnmath.plotting import plot_computational_graph
    >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
    >>> ax = plot_computational_graph(g, highlight_paths=g.paths("x", "f"))
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['$x \\to u \\to f$', '$x \\to v \\to f$']
    >>> plt.close(ax.figure)
    """
    import sympy
    from matplotlib.lines import Line2D
    from matplotlib.transforms import offset_copy

    from .graph import ComputationalGraph, short_latex

    if not isinstance(graph, ComputationalGraph):
        raise TypeError(f"graph must be an nnmath.graph.ComputationalGraph, got {graph!r}")
    paths = [] if highlight_paths is None else list(highlight_paths)
    checked = []
    for i, path in enumerate(paths):
        if isinstance(path, str) or not hasattr(path, "__len__") or len(path) < 2:
            raise ValueError(f"highlight_paths[{i}] must be a sequence of at least two node names, got {path!r}")
        names = list(path)
        for name in names:
            graph.symbol(name)  # an unknown name raises a ValueError that lists the nodes
        for parent, child in zip(names[:-1], names[1:]):
            if parent not in graph.parents(child):
                raise ValueError(f"highlight_paths[{i}] uses {parent} -> {child}, which is not an edge of the graph")
        checked.append(tuple(names))
    if path_labels is not None and len(path_labels) != len(checked):
        raise ValueError(f"path_labels must have one label per path ({len(checked)}), got {len(path_labels)}")
    if path_colors is not None and len(path_colors) != len(checked):
        raise ValueError(f"path_colors must have one colour per path ({len(checked)}), got {len(path_colors)}")
    if edge_labels is not None and edge_labels != "derivatives" and not isinstance(edge_labels, dict):
        raise TypeError(f"edge_labels must be 'derivatives' or a dict (parent, child) -> label, got {edge_labels!r}")
    size = _validate.positive_number(node_size, "node_size")

    ax = _axes(ax)
    pos = _graph_positions(graph, positions)
    xs = np.array([p[0] for p in pos.values()])
    ys = np.array([p[1] for p in pos.values()])
    margin_y = 0.75 if (show_definitions or node_values) else 0.55
    ax.set_xlim(xs.min() - 0.5, xs.max() + 0.5)
    ax.set_ylim(ys.min() - margin_y, ys.max() + margin_y)
    ax.set_axis_off()
    radius = np.sqrt(size) / 2  # points

    # highlighted paths: coloured bands along their edges, side by side on shared edges
    users: dict[tuple[str, str], list[int]] = {}
    for i, path in enumerate(checked):
        for edge in zip(path[:-1], path[1:]):
            users.setdefault(edge, []).append(i)
    styles = ["-", "--", ":"]
    colors = list(path_colors) if path_colors is not None else [
        COLORS[_PATH_COLORS[i % len(_PATH_COLORS)]] for i in range(len(checked))]
    handles = []
    for i, path in enumerate(checked):
        style_i = styles[(i // len(_PATH_COLORS)) % len(styles)] if path_colors is None else "-"
        for parent, child in zip(path[:-1], path[1:]):
            share = users[(parent, child)]
            offset = (share.index(i) - (len(share) - 1) / 2) * 5.0  # points
            start = ax.transData.transform(pos[parent])
            end = ax.transData.transform(pos[child])
            direction = (end - start) / max(np.hypot(*(end - start)), 1e-9)
            normal = np.array([-direction[1], direction[0]]) * offset
            transform = offset_copy(ax.transData, fig=ax.figure, x=normal[0], y=normal[1], units="points")
            ax.plot([pos[parent][0], pos[child][0]], [pos[parent][1], pos[child][1]], color=colors[i],
                    lw=4.5, ls=style_i, alpha=0.9, solid_capstyle="round", transform=transform, zorder=1,
                    gid=f"path {i}", label="_nolegend_")
        label = (path_labels[i] if path_labels is not None
                 else "$" + r" \to ".join(_node_latex(graph, n) for n in path) + "$")
        handles.append(Line2D([], [], color=colors[i], lw=4.5, ls=style_i, label=label))

    # edges as arrows, clipped at the node circles
    for parent, child in graph.edges:
        _arrow(ax, pos[parent], pos[child], radius)
    if edge_labels is not None:
        labels = ({e: "$" + short_latex(graph.local_derivative(*e)) + "$" for e in graph.edges}
                  if edge_labels == "derivatives" else edge_labels)
        for edge, text in labels.items():
            if not (isinstance(edge, tuple) and len(edge) == 2 and edge in set(graph.edges)):
                raise ValueError(f"edge_labels has the key {edge!r}, which is not an edge (parent, child) of the graph")
            (x0, y0), (x1, y1) = pos[edge[0]], pos[edge[1]]
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, text, ha="center", va="center", fontsize=9, zorder=4,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "0.7", "alpha": 0.95})

    # nodes
    for node, (x, y) in pos.items():
        is_input = node in graph.inputs
        ax.scatter([x], [y], s=size, facecolor="0.88" if is_input else "white", edgecolor="black",
                   linewidths=1.4, zorder=5)
        text = node_labels.get(node) if node_labels else None
        ax.text(x, y, text if text is not None else f"${_node_latex(graph, node)}$", ha="center",
                va="center", fontsize=12, zorder=6)
        if show_definitions and not is_input:
            _beside(ax, x, y, f"${_node_latex(graph, node)} = {sympy.latex(graph.expression(node))}$",
                    -(radius + 3), fontsize=9)
        if node_values is not None and node in node_values:
            _beside(ax, x, y, f"{float(node_values[node]):.4g}", radius + 3, fontsize=9, color="0.2")
    if handles:
        ax.legend(handles=handles, loc=legend_loc, fontsize=10, frameon=True, framealpha=0.9)
    return ax


# --- the graph of an nnmath.autograd.Value ------------------------------------------------
_OP_TEXT = {"+": "$+$", "-": "$-$", "neg": "$-$", "/": r"$\div$", "*": r"$\times$", "exp": r"$\exp$",
            "log": r"$\log$", "tanh": r"$\tanh$", "sigmoid": r"$\sigma$", "relu": r"$\mathrm{ReLU}$"}


def _value_text(node) -> str:
    if node.label:
        return node.label if node.label.startswith("$") else f"${_latex_name(node.label)}$"
    if node.op.startswith("x**"):
        return rf"$(\cdot)^{{{node.op[3:]}}}$"
    return _OP_TEXT.get(node.op, node.op)


def _latex_name(name: str) -> str:
    head = name.rstrip("0123456789")  # z1 -> z_{1}, like the chapters' symbols
    return f"{head}_{{{name[len(head):]}}}" if head and head != name else name


def _drawn_nodes(output) -> list:
    """The nodes of ``output``'s graph that are drawn: all but the unlabelled leaves (constants)."""
    from .autograd import Value

    if not isinstance(output, Value):
        raise TypeError(f"output must be an nnmath.autograd.Value, got {output!r} (type {type(output).__name__})")
    return [n for n in output.nodes() if n.inputs or n.label]


def value_graph_alt(output) -> str:
    """Alt text for :func:`plot_value_graph`: what the drawing shows, naming the inputs and the output.

    See the chapter :ref:`chapter-automatic-differentiation`.

    Parameters
    ----------
    output : nnmath.autograd.Value

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``output`` is not a Value.

    Examples
    --------
    >>> from nnmath.autograd import Value
    >>> from nnmath.plotting import value_graph_alt
    >>> x, w = Value(2.0, "x"), Value(0.5, "w")
    >>> print(value_graph_alt((w * x).tanh())[:75])
    A computational graph from the inputs w and x through a multiplication to t
    """
    nodes = _drawn_nodes(output)
    leaves = [n.label for n in nodes if not n.inputs]
    names = {"+": "an addition", "-": "a subtraction", "neg": "a negation", "/": "a division",
             "*": "a multiplication", "exp": "exp", "log": "log", "tanh": "tanh",
             "sigmoid": "a sigmoid", "relu": "a ReLU"}
    steps = [n.label or names.get(n.op, f"the power {n.op[1:]}" if n.op.startswith("x**") else n.op)
             for n in nodes if n.inputs]
    inputs = leaves[0] if len(leaves) == 1 else ", ".join(leaves[:-1]) + " and " + leaves[-1]
    middle = "" if len(steps) < 2 else " through " + ", ".join(steps[:-1])
    return (f"A computational graph from the input{'s' if len(leaves) > 1 else ''} {inputs}{middle} to "
            f"{steps[-1] if steps else inputs}, drawn left to right; each node shows its value above it and "
            "the gradient of the output with respect to it below.")


def plot_value_graph(output, *, ax: plt.Axes | None = None, show_grad: bool = True, show_local: bool = False,
                     highlight: Sequence = (), digits: int = 4) -> plt.Axes:
    r"""Draw the graph of an :class:`nnmath.autograd.Value`: its value above each node, its gradient below.

    Nodes are placed from the inputs (left) to ``output`` (right), each one
    column after its deepest input. A node shows its ``label`` if it has one
    (``"z1"`` is written :math:`z_1`), otherwise its operation. Leaves without
    a label are the constants of the expression: they are not drawn, and the
    operation they feed stands for them. Inputs are shaded. After
    ``output.backward()`` each node's ``grad``,
    :math:`\partial\,\text{output}/\partial\,\text{node}`, is written below it
    in vermillion (the value is above it, in black). :func:`value_graph_alt` gives matching alt text. See the
    chapter :ref:`chapter-automatic-differentiation`.

    Parameters
    ----------
    output : nnmath.autograd.Value
    ax : matplotlib Axes, optional
        Where to draw; a new figure in the book's style if omitted.
    show_grad : bool
        Write the gradients below the nodes.
    show_local : bool
        Write each edge's local derivative at its middle.
    highlight : sequence of Value
        Nodes drawn with a thick blue outline (for example a node used twice).
    digits : int
        Significant digits of the numbers.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``output`` is not a Value, or ``digits`` is not a whole number from 1 to 17.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from nnmath.autograd import Value
    >>> from nnmath.plotting import plot_value_graph
    >>> x = Value(3.0, "x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> ax = plot_value_graph(y)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text())
    ['$+$', '$\\times$', '$x$', '1', '1', '10', '3', '6', '9']
    >>> plt.close(ax.figure)
    """
    nodes = _drawn_nodes(output)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise TypeError(f"digits must be a whole number from 1 to 17, got {digits!r}")
    drawn = {id(n) for n in nodes}
    depth: dict[int, int] = {}
    for n in nodes:  # parents first
        ins = [depth[id(p)] for p in n.inputs if id(p) in drawn]
        depth[id(n)] = 1 + max(ins) if ins else 0
    children: dict[int, list[int]] = {}
    for n in nodes:
        for p in n.inputs:
            children.setdefault(id(p), []).append(depth[id(n)])
    for n in nodes:  # an input sits just before the first node that uses it
        if not n.inputs and id(n) in children:
            depth[id(n)] = max(0, min(children[id(n)]) - 1)
    columns: dict[int, list] = {}
    for n in nodes:
        columns.setdefault(depth[id(n)], []).append(n)
    pos = {}
    for d, column in columns.items():
        for i, n in enumerate(column):
            pos[id(n)] = (float(d), (len(column) - 1) / 2 - i)

    ax = _axes(ax)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    size = 900.0
    radius = np.sqrt(size) / 2
    marked = {id(n) for n in highlight}
    for n in nodes:
        for p, local in zip(n.inputs, n.local):
            if id(p) not in drawn:
                continue
            _arrow(ax, pos[id(p)], pos[id(n)], radius)
            if show_local:
                (x0, y0), (x1, y1) = pos[id(p)], pos[id(n)]
                ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"{local:.{digits}g}", ha="center", va="center",
                        fontsize=8, color=COLORS["blue"], zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    for n in nodes:
        x, y = pos[id(n)]
        ax.scatter([x], [y], s=size, facecolor="0.88" if not n.inputs else "white",
                   edgecolor=COLORS["blue"] if id(n) in marked else "black",
                   linewidths=3.0 if id(n) in marked else 1.2, zorder=5)
        ax.text(x, y, _value_text(n), ha="center", va="center", fontsize=10, zorder=6)
        _beside(ax, x, y, f"{n.data:.{digits}g}", radius + 2, fontsize=8.5, color="0.15")
        if show_grad:
            _beside(ax, x, y, f"{n.grad:.{digits}g}", -(radius + 2), fontsize=8.5, color=COLORS["vermillion"])
    return ax
