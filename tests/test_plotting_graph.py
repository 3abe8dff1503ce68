"""plot_computational_graph: returns an Axes, draws on a given one, one colour per path, no global state.

The Agg backend is selected in conftest.py before pyplot is imported.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from nnmath import plotting
from nnmath.graph import ComputationalGraph
from nnmath.plotting import COLORS, plot_computational_graph


# Every test here must leave matplotlib.rcParams exactly as it found them (conftest.py).
pytestmark = pytest.mark.usefixtures("unchanged_rcparams")


def diamond():
    return ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")


def three_paths():
    return ComputationalGraph(["z1 = 2*x", "z2 = -x", "z3 = x/2", "h1 = sigmoid(z1)", "h2 = sigmoid(z2)",
                               "h3 = sigmoid(z3)", "y = h1 + 2*h2 - h3"], "x")


def cascade():
    return ComputationalGraph(
        {"z1": "w1*x + b1", "a1": "sigmoid(z1)", "z2": "w2*a1 + b2", "a2": "sigmoid(z2)", "E": "(a2 - t)**2/2"},
        ["x", "w1", "b1", "w2", "b2", "t"],
    )


def path_artists(ax):
    """The highlight lines, grouped by the path they belong to (their gid)."""
    groups: dict[str, list] = {}
    for line in ax.get_lines():
        if (line.get_gid() or "").startswith("path "):
            groups.setdefault(line.get_gid(), []).append(line)
    return groups


def test_returns_an_axes_in_a_new_figure():
    ax = plot_computational_graph(diamond())
    assert isinstance(ax, Axes)
    assert plt.get_fignums() == [ax.figure.number]


def test_draws_on_the_axes_it_is_given():
    fig, ax = plt.subplots()
    returned = plot_computational_graph(diamond(), ax=ax, highlight_paths=diamond().paths("x", "f"))
    assert returned is ax
    assert fig.axes == [ax]
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("make, source, target, n_paths", [(diamond, "x", "f", 2), (three_paths, "x", "y", 3),
                                                           (cascade, "w1", "E", 1)])
def test_one_colour_per_highlighted_path(make, source, target, n_paths):
    g = make()
    paths = g.paths(source, target)
    ax = plot_computational_graph(g, highlight_paths=paths)
    groups = path_artists(ax)
    assert len(groups) == n_paths
    colours = []
    for i, path in enumerate(paths):
        lines = groups[f"path {i}"]
        assert len(lines) == len(path) - 1  # one band per edge of the path
        assert len({to_hex(line.get_color()) for line in lines}) == 1
        colours.append(to_hex(lines[0].get_color()))
    assert len(set(colours)) == n_paths  # every path its own colour
    assert colours[0] == COLORS["vermillion"].lower()  # from the colour-blind-safe palette
    legend = ax.get_legend()
    assert [to_hex(h.get_color()) for h in legend.legend_handles] == colours
    assert len(legend.get_texts()) == n_paths


def test_bands_follow_the_path_edges():
    g = diamond()
    ax = plot_computational_graph(g, highlight_paths=[("x", "u", "f")])
    starts = {tuple(np.round(line.get_xdata(), 6)) for line in path_artists(ax)["path 0"]}
    assert starts == {(0.0, 1.0), (1.0, 2.0)}  # layers: x at 0, u at 1, f at 2


def test_every_node_and_edge_is_drawn_with_readable_labels():
    g = cascade()
    ax = plot_computational_graph(g)
    texts = [t.get_text() for t in ax.texts]
    for label in ["$x$", "$w_{1}$", "$z_{1}$", "$a_{2}$", "$E$"]:
        assert label in texts
    arrows = [c for c in ax.get_children() if c.__class__.__name__ == "Annotation"]
    assert len(arrows) == len(g.edges)
    assert ax.get_legend() is None  # nothing highlighted, no legend


def test_path_labels_colors_values_definitions_and_edge_labels():
    g = diamond()
    ax = plot_computational_graph(
        g, highlight_paths=g.paths("x", "f"), path_labels=["via u", "via v"],
        path_colors=[COLORS["green"], COLORS["purple"]], node_values=g.evaluate({"x": 1.0}),
        edge_labels="derivatives", show_definitions=True, node_labels={"f": "out"},
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["via u", "via v"]
    colours = {gid: to_hex(lines[0].get_color()) for gid, lines in path_artists(ax).items()}
    assert colours == {"path 0": COLORS["green"].lower(), "path 1": COLORS["purple"].lower()}
    texts = [t.get_text() for t in ax.texts]
    assert "$2 x$" in texts and r"$\cos{\left(x \right)}$" in texts  # local derivatives on the edges
    assert "$u = x^{2}$" in texts and "out" in texts and "0.8415" in texts


def test_sigmoid_slopes_are_labelled_sigma_prime():
    ax = plot_computational_graph(three_paths(), edge_labels="derivatives")
    texts = [t.get_text() for t in ax.texts]
    assert r"$\sigma'\left(z_{1}\right)$" in texts


def test_positions_override_the_layout():
    g = diamond()
    ax = plot_computational_graph(g, positions={"f": (5.0, 2.0)})
    assert ax.get_xlim()[1] == 5.5


def test_more_than_six_paths_reuse_colours_with_other_line_styles():
    definitions = [f"u{i} = {i + 1}*x" for i in range(7)] + ["f = " + " + ".join(f"u{i}" for i in range(7))]
    g = ComputationalGraph(definitions, "x")
    ax = plot_computational_graph(g, highlight_paths=g.paths("x", "f"))
    groups = path_artists(ax)
    first, seventh = groups["path 0"][0], groups["path 6"][0]
    assert to_hex(first.get_color()) == to_hex(seventh.get_color())
    assert first.get_linestyle() != seventh.get_linestyle()


def test_leaves_rcparams_unchanged_inside_and_outside_style():
    before = {k: mpl.rcParams[k] for k in ("axes.grid", "font.size", "figure.figsize", "axes.prop_cycle")}
    plot_computational_graph(diamond(), highlight_paths=diamond().paths("x", "f"))
    with plotting.style():
        fig, ax = plt.subplots()
        plot_computational_graph(diamond(), ax=ax)
    assert {k: mpl.rcParams[k] for k in before} == before


def test_is_listed_in_the_public_names():
    assert "plot_computational_graph" in plotting.__all__


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        ({"highlight_paths": [("x", "f")]}, ValueError, "x -> f, which is not an edge"),
        ({"highlight_paths": [("x", "q")]}, ValueError, "unknown node 'q'; the nodes are: x, u, v, f"),
        ({"highlight_paths": ["xuf"]}, ValueError, r"highlight_paths\[0\] must be a sequence"),
        ({"highlight_paths": [("x", "u", "f")], "path_labels": ["a", "b"]}, ValueError, "one label per path"),
        ({"highlight_paths": [("x", "u", "f")], "path_colors": []}, ValueError, "one colour per path"),
        ({"edge_labels": "values"}, TypeError, "edge_labels must be"),
        ({"edge_labels": {("x", "f"): "?"}}, ValueError, r"not an edge"),
        ({"positions": {"f": (1.0, 2.0, 3.0)}}, ValueError, r"positions\['f'\] must be \(x, y\)"),
        ({"positions": {"q": (1.0, 2.0)}}, ValueError, "unknown node 'q'"),
        ({"node_size": -5}, ValueError, "node_size must be greater than 0"),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        plot_computational_graph(diamond(), **kwargs)


def test_graph_must_be_a_computational_graph():
    with pytest.raises(TypeError, match="graph must be an nnmath.graph.ComputationalGraph"):
        plot_computational_graph({"u": "x**2"})


# --- plot_value_graph: the graph of an nnmath.autograd.Value -------------------------------------------
from nnmath.autograd import Value  # noqa: E402
from nnmath.plotting import plot_value_graph, value_graph_alt  # noqa: E402


def value_cascade():
    x, w, b, t = Value(2.0, "x"), Value(0.5, "w1"), Value(-0.5, "b1"), Value(1.0, "t")
    z = w * x + b
    z.label = "z1"
    a = z.sigmoid()
    E = 0.5 * (a - t) ** 2
    E.label = "E"
    return E, {"x": x, "w1": w, "b1": b, "t": t, "z1": z, "a": a}


def texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text()]


def test_value_graph_shows_every_drawn_node_with_its_value_and_gradient():
    E, nodes = value_cascade()
    E.backward()
    ax = plot_value_graph(E, digits=4)
    ax.figure.canvas.draw()  # renders the mathtext labels: an unknown symbol would raise here
    shown = texts(ax)
    for node in nodes.values():
        assert f"{node.data:.4g}" in shown and f"{node.grad:.4g}" in shown
    assert "$z_{1}$" in shown and "$w_{1}$" in shown and r"$\sigma$" in shown and "$(\\cdot)^{2}$" in shown
    # the constants 0.5 (the factor) are not nodes: 4 inputs + *, z1, sigmoid, -, square, E
    assert len(ax.collections) == 10


def test_every_operation_has_a_drawable_label():
    x = Value(1.5, "x")
    out = ((x + 1) - x * 2 / (-x)) ** 3
    out = out.exp().log().tanh().sigmoid().relu()
    out.backward()
    ax = plot_value_graph(out, show_local=True, highlight=[x])
    ax.figure.canvas.draw()
    assert any(c.get_linewidths()[0] == 3.0 for c in ax.collections)  # the highlighted node
    plt.close(ax.figure)


def test_inputs_sit_left_of_the_output():
    E, _ = value_cascade()
    ax = plot_value_graph(E)
    centres = [c.get_offsets()[0] for c in ax.collections]
    assert centres[-1][0] == max(c[0] for c in centres)  # the output is drawn last, rightmost


def test_value_graph_draws_on_the_axes_it_is_given():
    fig, ax = plt.subplots()
    assert plot_value_graph(value_cascade()[0], ax=ax) is ax


def test_value_graph_alt_names_inputs_and_output():
    E, _ = value_cascade()
    alt = value_graph_alt(E)
    assert alt.startswith("A computational graph from the inputs w1, x, b1 and t through ")
    assert "z1" in alt and " to E, drawn left to right" in alt and "gradient" in alt
    assert value_graph_alt(Value(1.0, "x")).startswith("A computational graph from the input x to x")


def test_value_graph_bad_arguments():
    with pytest.raises(TypeError, match="output must be an nnmath.autograd.Value"):
        plot_value_graph(1.0)
    with pytest.raises(TypeError, match="digits must be a whole number"):
        plot_value_graph(Value(1.0), digits=0)
    with pytest.raises(TypeError, match="output must be an nnmath.autograd.Value"):
        value_graph_alt("E")


def test_value_graph_leaves_rcparams_unchanged():
    before = dict(mpl.rcParams)
    plot_value_graph(value_cascade()[0])
    assert dict(mpl.rcParams) == before
