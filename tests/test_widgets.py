"""The learning-rate widgets: frames over a grid of learning rates, both modes, bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnmath
from nnmath.widgets import (
    BLOW_UP,
    STATUSES,
    default_learning_rates,
    descent_frame,
    frame_html,
    learning_rate_widget,
    stability_threshold,
)

pytest.importorskip("ipywidgets")


@pytest.mark.parametrize("c", [0.5, 1.0, 3.0, 7.0])
def test_threshold_of_the_quadratic_is_exact(c):
    f = nnmath.quadratic(c)
    eta = 1.0 / c
    assert stability_threshold(f) == pytest.approx(eta)
    below, at, above = (descent_frame(f, e, 60) for e in (0.9 * eta, eta, eta * 1.001))
    assert below.status == "converged"
    assert at.status == "oscillating"
    # bounded: the distance from the minimum never grows at the threshold
    assert np.all(np.abs(at.trajectory) <= 1.0 + 1e-9)
    assert np.allclose(np.abs(at.trajectory), 1.0)
    assert above.status == "diverged"
    assert abs(above.trajectory[-1]) > 1.0
    assert "oscillating with η" in at.label and "never closer" in at.label
    assert above.label.startswith("diverging with η")


@pytest.mark.parametrize(
    "eta, status",
    [(0.01, "slow"), (0.05, "slow"), (0.25, "converged"), (0.5, "converged"),
     (0.9, "converged"), (1.0, "oscillating"), (1.02, "diverged"), (1.5, "diverged"), (1e6, "diverged")],
)
def test_grid_of_learning_rates_on_the_quadratic(eta, status):
    frame = descent_frame(nnmath.quadratic(1.0), eta)
    assert frame.status == status
    assert frame.status in STATUSES
    assert f"η = {eta:g}" in frame.label
    expected = np.array([(1 - 2 * eta) ** k for k in range(len(frame.trajectory))])
    np.testing.assert_allclose(frame.trajectory, expected, rtol=1e-12)


def test_divergence_names_the_step_and_keeps_the_finite_trajectory():
    frame = descent_frame(nnmath.quadratic(1.0), 1.5)
    # x_k = (-2)^k: the first step further than BLOW_UP = 10 times the start is k = 4 (|x| = 16)
    assert BLOW_UP == 10.0
    assert frame.label == "diverged at step 4 with η = 1.5"
    assert frame.diverged_at == 4 and len(frame.trajectory) == 5
    assert np.all(np.isfinite(frame.trajectory)) and np.all(np.isfinite(frame.gap))
    huge = descent_frame(nnmath.quadratic(1.0), 1e300)  # overflows: DivergenceError inside
    assert huge.status == "diverged" and huge.diverged_at == 1


def test_profit_is_climbed_to_three_and_printed_iterates_match():
    frame = descent_frame(nnmath.profit, 0.125, 5)
    np.testing.assert_allclose(frame.trajectory, [0, 1.5, 2.25, 2.625, 2.8125, 2.90625])
    assert "maximum" in descent_frame(nnmath.profit, 0.125).label
    assert descent_frame(nnmath.profit, 0.125).status == "converged"
    assert descent_frame(nnmath.profit, 0.5).status == "oscillating"
    assert descent_frame(nnmath.profit, 0.6).status == "diverged"
    np.testing.assert_allclose(frame.values, nnmath.profit(frame.trajectory))


def test_bowl_threshold_is_set_by_the_largest_curvature():
    bowl = nnmath.QuadraticBowl([1.0, 4.0])
    assert stability_threshold(bowl) == 0.25
    assert descent_frame(bowl, 0.2).status == "converged"
    assert descent_frame(bowl, 0.25).status == "oscillating"
    assert descent_frame(bowl, 0.26).status == "diverged"
    moved = descent_frame(bowl, 0.2, x0=[1.0, 2.0])
    np.testing.assert_allclose(moved.trajectory[0], [1.0, 2.0])


def test_start_at_the_minimum_is_converged():
    assert descent_frame(nnmath.quadratic(1.0), 0.3, x0=0.0).status == "converged"


def test_default_learning_rates_contain_the_exact_threshold():
    for problem in (nnmath.quadratic(2.0), nnmath.profit, nnmath.QuadraticBowl([1.0, 5.0])):
        rates = default_learning_rates(problem)
        assert stability_threshold(problem) in rates
        statuses = {descent_frame(problem, r).status for r in rates}
        assert {"converged", "oscillating", "diverged"} <= statuses


def test_frame_html_has_alt_text_with_eta_and_outcome():
    f = nnmath.quadratic(1.0)
    tag = frame_html(descent_frame(f, 1.5), f, dpi=40)
    alt = re.search(r'alt="([^"]*)"', tag).group(1)
    assert "η = 1.5" in alt and "diverged at step 4" in alt
    assert 'src="data:image/png;base64,' in tag


def test_static_widget_precomputes_frames_and_links_slider_to_stack():
    import ipywidgets as w

    f = nnmath.quadratic(1.0)
    box = learning_rate_widget(f, mode="static", learning_rates=[0.25, 1.0, 1.5], dpi=30)
    assert isinstance(box.display, w.Stack) and len(box.display.children) == 3
    assert [fr.status for fr in box.frames] == ["converged", "oscillating", "diverged"]
    alts = [re.search(r'alt="([^"]*)"', c.value).group(1) for c in box.display.children]
    assert len(set(alts)) == 3
    assert box.link.source == (box.slider, "index") and box.link.target == (box.display, "selected_index")
    note = box.box.children[-1].value
    assert "Precomputed for η = 0.25, 1, 1.5" in note and "live" in note


def test_static_slider_marks_the_threshold_and_opens_on_a_converging_rate():
    box = learning_rate_widget(nnmath.quadratic(2.0), mode="static", dpi=30)
    labels = [label for label, _ in box.slider.options]
    assert labels == ["0.025", "0.125", "0.25", "0.45", "0.5 = threshold", "0.51", "0.6"]
    assert box.slider.index == 1 and box.display.selected_index == 1
    assert box.frames[1].status == "converged" and "after 1 step" not in box.frames[1].label


def test_frame_pictures_do_not_depend_on_the_frame_drawn_before():
    """The live widget redraws one figure; what it shows must equal a fresh drawing."""
    f = nnmath.quadratic(1.0)
    diverged, converged = descent_frame(f, 1.5), descent_frame(f, 0.25)
    fresh = frame_html(converged, f, dpi=30)
    box = learning_rate_widget(f, mode="live", dpi=30)
    box.slider.value = 1.5
    assert "diverged at step" in box.frames.label
    box.slider.value = 0.25
    assert box.display.value == fresh  # the divergence message and the old path are gone
    assert diverged.label != converged.label


def test_live_widget_recomputes_on_every_slider_move():
    bowl = nnmath.QuadraticBowl([1.0, 4.0])
    box = learning_rate_widget(bowl, mode="live", dpi=30)
    seen = {}
    for eta in (0.05, 0.2, 0.25, 0.3):
        box.slider.value = eta
        seen[eta] = (box.frames.status, box.display.value)
        assert f"η = {eta:g}" in box.frames.label
    assert [s for s, _ in seen.values()] == ["slow", "converged", "oscillating", "diverged"]
    assert len({v for _, v in seen.values()}) == 4
    assert list(box.controls) == ["learning_rate", "v1_start", "v2_start"]
    box.controls["v1_start"].value = 1.0
    np.testing.assert_allclose(box.frames.trajectory[0], [1.0, 1.0])


def test_live_widget_on_the_profit_function():
    box = learning_rate_widget(nnmath.profit, mode="live", dpi=30)
    box.slider.value = 0.5
    assert box.frames.status == "oscillating"
    assert list(box.controls) == ["learning_rate"]  # one variable: no start sliders


# --- the framework with two controls (a grid of frames) ---------------------------------------------
def test_a_static_widget_over_two_controls_switches_a_grid_of_frames():
    import ipywidgets as w
    from nnmath._frames import Axis, static_widget
    from nnmath.widgets import _DescentPainter

    f = nnmath.quadratic(1.0)
    rates, starts = [0.25, 1.0, 1.5], [1.0, -0.5]
    grid = [[descent_frame(f, eta, x0=x0) for x0 in starts] for eta in rates]
    widget = static_widget(grid, _DescentPainter(30, f, np.array(1.0)),
                           [Axis("learning_rate", "η", [f"{r:g}" for r in rates], start=1),
                            Axis("x0", "x₀", [f"{x:g}" for x in starts])], "<p>note</p>")
    assert list(widget.controls) == ["learning_rate", "x0"] and widget.frames == grid
    outer = widget.display
    assert isinstance(outer, w.Stack) and len(outer.children) == 3 and outer.selected_index == 1
    for row, inner in zip(grid, outer.children):  # one Stack per learning rate, one picture per start
        alts = [re.search(r'alt="([^"]*)"', page.value).group(1) for page in inner.children]
        assert alts == [frame.alt for frame in row]
    # the first slider switches the outer stack; the second every inner one, in the browser
    eta, x0 = widget.controls["learning_rate"], widget.controls["x0"]
    pairs = {(link.source[0], link.target[0]) for link in widget.links}
    assert pairs == {(eta, outer)} | {(x0, inner) for inner in outer.children}
    assert all(link.source[1] == "index" and link.target[1] == "selected_index" for link in widget.links)


def test_a_live_widget_over_two_controls_recomputes_from_both():
    import ipywidgets as w
    from nnmath._frames import live_widget
    from nnmath.widgets import _DescentPainter

    f = nnmath.quadratic(1.0)
    controls = {"learning_rate": w.FloatSlider(value=0.25, min=0.01, max=2.0),
                "x0": w.FloatSlider(value=1.0, min=-2.0, max=2.0)}
    made = []

    def painter(frame):
        made.append(frame)
        return _DescentPainter(30, f, np.array(2.0))

    widget = live_widget(controls, lambda learning_rate, x0: descent_frame(f, learning_rate, x0=x0), painter)
    assert widget.frames.learning_rate == 0.25 and widget.frames.trajectory[0] == 1.0
    controls["x0"].value = -0.5
    assert widget.frames.trajectory[0] == -0.5 and widget.frames.learning_rate == 0.25
    controls["learning_rate"].value = 1.5
    assert widget.frames.status == "diverged" and widget.frames.trajectory[0] == -0.5
    assert len(made) == 1  # one figure, reused for every frame
    assert widget.display.value == frame_html(widget.frames, f, dpi=30, x0=2.0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: descent_frame(nnmath.sigmoid, 0.1), TypeError, "problem must be nnmath.profit"),
        (lambda: descent_frame(nnmath.QuadraticBowl([1, 2, 3]), 0.1), ValueError, "two-variable"),
        (lambda: descent_frame(nnmath.quadratic(1.0), 0.0), ValueError, "learning_rate must be greater than 0"),
        (lambda: descent_frame(nnmath.quadratic(1.0), "big"), TypeError, "learning_rate must be a real number"),
        (lambda: descent_frame(nnmath.quadratic(1.0), 0.1, 1), ValueError, "steps must be at least 2"),
        (lambda: descent_frame(nnmath.quadratic(1.0), 0.1, tolerance=2.0), ValueError, "tolerance"),
        (lambda: descent_frame(nnmath.QuadraticBowl([1, 2]), 0.1, x0=[1.0]), ValueError, "x0 must have 2"),
        (lambda: learning_rate_widget(nnmath.profit, mode="fast"), ValueError, "unknown mode 'fast'"),
        (lambda: learning_rate_widget(nnmath.profit, learning_rates=[]), ValueError, "at least one"),
        (lambda: learning_rate_widget(nnmath.profit, learning_rates=[0.1, 0.1]), ValueError, "repeat"),
        (lambda: learning_rate_widget(nnmath.profit, learning_rates=[0.1, -1]), ValueError, r"learning_rates\[1\]"),
        (lambda: learning_rate_widget(nnmath.profit, learning_rates=0.1), TypeError, "list of numbers"),
        (lambda: frame_html("frame", nnmath.profit), TypeError, "frame must be a DescentFrame"),
        (lambda: frame_html(descent_frame(nnmath.profit, 0.1), nnmath.profit, dpi=1000), ValueError, "dpi"),
    ],
)
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_threshold_is_two_over_the_curvature():
    """eta < 2/f'' with f'' = 2c: the threshold uses the coefficient c, not the curvature 2c."""
    import sympy

    v = sympy.Symbol("v")
    for c in (0.5, 3.0):
        curvature = float(sympy.diff(nnmath.quadratic(c).formula(v), v, 2))
        assert stability_threshold(nnmath.quadratic(c)) == pytest.approx(2.0 / curvature, rel=1e-15)
    bowl = nnmath.QuadraticBowl([1.0, 4.0])
    assert stability_threshold(bowl) == pytest.approx(2.0 / bowl.curvatures.max(), rel=1e-15)
