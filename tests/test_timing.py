"""The gradient-cost measurement behind the benchmark and the backpropagation chapter's figure."""

from __future__ import annotations

import pytest

from nnmath.timing import GradientCost, gradient_costs, median_time


def test_median_time_is_the_median_of_the_calls():
    calls = []
    assert median_time(lambda: calls.append(1), repeats=5) >= 0
    assert len(calls) == 5


def test_median_time_rejects_bad_arguments():
    with pytest.raises(TypeError, match="function must be a function"):
        median_time(3)
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        median_time(lambda: None, repeats=0)


def test_gradient_costs_rows_describe_the_networks():
    """Parameter counts follow from the layer sizes: 4 inputs, two hidden of width w, 3 outputs."""
    rows = gradient_costs([2, 3], repeats=1, fd_repeats=1, n_samples=4)
    assert [r.layer_sizes for r in rows] == [(4, 2, 2, 3), (4, 3, 3, 3)]
    for row in rows:
        w = row.layer_sizes[1]
        assert row.n_parameters == (4 + 1) * w + (w + 1) * w + (w + 1) * 3
        assert row.backprop_seconds > 0 and row.finite_difference_seconds > 0
        assert row.ratio == row.finite_difference_seconds / row.backprop_seconds


def test_gradient_cost_ratio():
    assert GradientCost((1, 1), 2, 0.5, 2.0).ratio == 4.0


def test_gradient_costs_rejects_bad_widths():
    with pytest.raises(ValueError, match="width must be at least 1"):
        gradient_costs([0], repeats=1, fd_repeats=1)
