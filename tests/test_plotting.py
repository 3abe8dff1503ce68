"""Plotting helpers: return an Axes, draw on a given one, and leave global state alone.

The Agg backend is selected in conftest.py before pyplot is imported.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.quiver import Quiver

import nnmath
from nnmath import plotting


# Every test here must leave matplotlib.rcParams exactly as it found them (conftest.py).
pytestmark = pytest.mark.usefixtures("unchanged_rcparams")


def _errors():
    return nnmath.difference_errors(np.exp, np.exp, 1.0, np.logspace(-1, -8, 8))


def _bowl(v):
    return v[0] ** 2 + 3 * v[1] ** 2


def _bowl_gradient(v):
    return np.array([2 * v[0], 6 * v[1]])


HELPERS = {
    "function_and_derivative": lambda ax: plotting.plot_function_and_derivative(nnmath.sigmoid, (-4, 4), ax=ax),
    "secants": lambda ax: plotting.plot_secants(nnmath.profit, 1.0, [2.0, 1.0, 0.5], (-1, 5), ax=ax),
    "difference_errors": lambda ax: plotting.plot_difference_errors(_errors(), ax=ax),
    "gradient_field": lambda ax: plotting.plot_gradient_field(_bowl, _bowl_gradient, (-2, 2), (-2, 2), ax=ax, n_arrows=5),
}
helper_names = pytest.mark.parametrize("name", list(HELPERS))


@helper_names
def test_helper_creates_and_returns_an_axes(name):
    ax = HELPERS[name](None)
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() != ""


@helper_names
def test_helper_draws_on_the_axes_it_is_given(name):
    fig, ax = plt.subplots()
    returned = HELPERS[name](ax)
    assert returned is ax
    assert len(fig.axes) in (1, 2)  # at most a colour bar more, never a new figure
    assert plt.get_fignums() == [fig.number]


@helper_names
def test_helper_changes_no_global_rcparams(name):
    """Checked by the autouse fixture; here also the style keys the book sets."""
    before = {k: mpl.rcParams[k] for k in ("axes.grid", "font.size", "figure.figsize", "axes.prop_cycle")}
    HELPERS[name](None)
    assert {k: mpl.rcParams[k] for k in before} == before


def test_function_and_derivative_draws_both_curves_with_labels():
    ax = plotting.plot_function_and_derivative(nnmath.sigmoid, (-4, 4), n_points=81)
    lines = [line for line in ax.get_lines() if line.get_label().startswith("$")]
    assert [line.get_label() for line in lines] == [r"$\sigma(x)$", r"$\sigma'(x)$"]
    x, y = lines[0].get_data()
    assert len(x) == 81 and x[0] == -4 and x[-1] == 4  # linspace endpoints are exact
    np.testing.assert_array_equal(y, nnmath.sigmoid(x))  # the same function on the same points
    np.testing.assert_array_equal(lines[1].get_ydata(), nnmath.sigmoid.derivative(x))
    assert ax.get_legend() is not None


def test_secants_draw_one_line_per_step_plus_function_and_tangent():
    ax = plotting.plot_secants(nnmath.profit, 1.0, [2.0, 1.0], (-1, 5))
    labels = [line.get_label() for line in ax.get_lines()]
    assert sum(label.startswith("secant") for label in labels) == 2
    assert sum(label.startswith("tangent") for label in labels) == 1
    # forward-difference slopes of P at 1: (P(3) - P(1))/2 = 4, (P(2) - P(1))/1 = 6; tangent P'(1) = 8
    assert "slope 4.00" in labels[1] and "slope 6.00" in labels[3]
    assert any(label == "tangent: slope 8.00" for label in labels)


def test_secants_reject_a_zero_step():
    """h = 0 has no secant: the error must name steps, not be a NumPy divide warning."""
    with pytest.raises(ValueError, match="steps"):
        plotting.plot_secants(nnmath.profit, 1.0, [1.0, 0.0], (-1, 5))


def test_difference_errors_plot_is_log_log_with_two_labelled_lines():
    errors = _errors()
    ax = plotting.plot_difference_errors(errors)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["forward difference", "central difference"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), errors["h"])


def test_difference_errors_plot_requires_the_difference_errors_dict():
    with pytest.raises(ValueError, match="'central'"):
        plotting.plot_difference_errors({"h": [1.0], "forward": [1.0]})


def test_gradient_field_draws_contours_and_arrows():
    ax = plotting.plot_gradient_field(_bowl, _bowl_gradient, (-2, 2), (-1, 1), n_arrows=4)
    quivers = [c for c in ax.collections if isinstance(c, Quiver)]
    assert len(quivers) == 1
    assert quivers[0].N == 16  # 4 x 4 arrows
    # the arrows are the gradient at the arrow positions
    positions = quivers[0].XY
    np.testing.assert_allclose(quivers[0].U, 2 * positions[:, 0], rtol=1e-12)
    np.testing.assert_allclose(quivers[0].V, 6 * positions[:, 1], rtol=1e-12)
    assert any(isinstance(c, LineCollection) or c.__class__.__name__ == "QuadContourSet" for c in ax.collections)
    assert ax.get_aspect() == 1.0


def test_input_errors_name_the_argument():
    with pytest.raises(TypeError, match="ScalarFunction"):
        plotting.plot_function_and_derivative(np.sin)
    with pytest.raises(ValueError, match="x_range"):
        plotting.plot_function_and_derivative(nnmath.sigmoid, (3, -3))
    with pytest.raises(TypeError, match="ScalarFunction"):
        plotting.plot_secants(np.sin, 0.0, [1.0], (-1, 1))
    with pytest.raises(TypeError, match=r"\bf\b"):
        plotting.plot_gradient_field(None, _bowl_gradient, (-1, 1), (-1, 1))


@pytest.mark.parametrize("which", ["f", "gradient"])
def test_gradient_field_refuses_a_masked_value_anywhere_on_the_grid(which):
    """The grid's values are checked together only when they are plain floats: a masked value is refused
    (naming the function and the point) and never drawn as the data under its mask, with no NumPy warning."""
    def f(p):
        return np.ma.masked_array(_bowl(p), mask=p[0] > 0.5) if which == "f" else _bowl(p)

    def gradient(p):
        g = _bowl_gradient(p)
        return np.ma.masked_array(g, mask=[p[0] > 0.5, False]) if which == "gradient" else g

    with pytest.raises(ValueError, match=rf"^the value of {which} at .* must not have masked values"):
        plotting.plot_gradient_field(f, gradient, (-1, 1), (-1, 1), n_arrows=4)
    plt.close("all")


def test_style_applies_only_inside_the_with_block():
    default_grid = mpl.rcParams["axes.grid"]
    with plotting.style():
        assert mpl.rcParams["axes.grid"] is True
        assert mpl.rcParams["figure.facecolor"] == "white"
    assert mpl.rcParams["axes.grid"] == default_grid


def test_palette_is_okabe_ito():
    assert plotting.COLORS["blue"] == "#0072B2" and plotting.COLORS["vermillion"] == "#D55E00"
    assert len(set(plotting.COLORS.values())) == len(plotting.COLORS) == 8
