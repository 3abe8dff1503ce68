"""Rosenblatt's perceptron: the step activation, the learning rule, convergence, XOR, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnmath
from nnmath.datasets import logic_gate
from nnmath.perceptron import Perceptron


def test_starts_at_zero_weights_and_bias():
    p = Perceptron(3)
    np.testing.assert_array_equal(p.weights, [0.0, 0.0, 0.0])
    assert p.bias == 0.0


def test_predict_is_the_heaviside_step_of_the_net_input():
    p = Perceptron(2, weights=[1.0, -2.0], bias=0.5)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.75], [0.0, 0.25]])
    z = p.net_input(X)
    np.testing.assert_array_equal(z, [1.5, -1.5, 0.0, 0.0])
    np.testing.assert_array_equal(p.predict(X), nnmath.heaviside(z))
    np.testing.assert_array_equal(p.predict(X), [1, 0, 0, 0])  # z = 0 does not fire
    assert p.predict(X).dtype == np.int64


def test_one_update_is_the_perceptron_rule():
    """A single wrong sample moves w by eta (t - y) x and b by eta (t - y)."""
    p = Perceptron(2, weights=[0.5, -0.25], bias=-1.0)
    x, t = np.array([[2.0, 4.0]]), np.array([1])  # z = 1 - 1 - 1 = -1: y = 0, a mistake
    p.fit(x, t, learning_rate=0.5, epochs=1)
    np.testing.assert_array_equal(p.weights, [0.5 + 0.5 * 2.0, -0.25 + 0.5 * 4.0])
    assert p.bias == -1.0 + 0.5


def test_a_right_answer_changes_nothing():
    p = Perceptron(2, weights=[1.0, 1.0], bias=-1.5)
    errors = p.fit(*logic_gate("and"), learning_rate=1.0, epochs=10)
    np.testing.assert_array_equal(errors, [0])
    np.testing.assert_array_equal(p.weights, [1.0, 1.0])
    assert p.bias == -1.5


def test_the_docstring_trace_on_and():
    p = Perceptron(2)
    X, t = logic_gate("and")
    np.testing.assert_array_equal(p.fit(X, t, learning_rate=1.0, epochs=20), [1, 3, 3, 2, 1, 0])
    np.testing.assert_array_equal(p.weights, [2.0, 1.0])
    assert p.bias == -2.0


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
@pytest.mark.parametrize("learning_rate", [0.1, 1.0, 3.0])
def test_converges_on_the_linearly_separable_gates(gate, learning_rate):
    X, t = logic_gate(gate)
    p = Perceptron(2)
    errors = p.fit(X, t, learning_rate=learning_rate, epochs=100)
    assert errors[-1] == 0 and np.all(errors[:-1] > 0)
    np.testing.assert_array_equal(p.predict(X), t)


@pytest.mark.parametrize("epochs", [1, 10, 500])
def test_never_converges_on_xor(epochs):
    X, t = logic_gate("xor")
    p = Perceptron(2)
    errors = p.fit(X, t, learning_rate=1.0, epochs=epochs)
    assert errors.shape == (epochs,)
    assert np.all(errors > 0)
    assert np.sum(p.predict(X) != t) >= 1  # no weights get all four right


def test_no_line_gets_xor_right_on_a_grid_of_weights():
    """Independent of the learning rule: among 41^3 weight/bias choices none classifies XOR."""
    X, t = logic_gate("xor")
    grid = np.linspace(-2, 2, 41)
    w1, w2, b = np.meshgrid(grid, grid, grid, indexing="ij")
    z = X[:, 0, None, None, None] * w1 + X[:, 1, None, None, None] * w2 + b
    correct = np.sum((z > 0).astype(int) == t[:, None, None, None], axis=0)
    assert correct.max() == 3


@given(scale=st.sampled_from([0.125, 0.5, 2.0, 8.0]))
def test_from_zero_the_learning_rate_only_scales_the_weights(scale):
    """Starting at 0, every update is a multiple of eta: w(eta) = eta w(1), the same predictions."""
    X, t = logic_gate("or")
    one, scaled = Perceptron(2), Perceptron(2)
    np.testing.assert_array_equal(one.fit(X, t, 1.0), scaled.fit(X, t, scale))
    np.testing.assert_array_equal(scaled.weights, scale * one.weights)  # powers of 2: exact
    assert scaled.bias == scale * one.bias


def test_converges_on_random_separable_data(rng):
    """The perceptron convergence theorem: separable data with a margin is learned in finitely many steps."""
    w_true, b_true = np.array([1.0, -2.0, 0.5]), 0.3
    X = rng.uniform(-1, 1, size=(200, 3))
    z = X @ w_true + b_true
    X, z = X[np.abs(z) > 0.1], z[np.abs(z) > 0.1]  # keep a margin
    t = (z > 0).astype(int)
    p = Perceptron(3)
    errors = p.fit(X, t, learning_rate=1.0, epochs=1000)
    assert errors[-1] == 0
    np.testing.assert_array_equal(p.predict(X), t)


def test_fit_accepts_float_targets_and_copies_the_starting_weights():
    start = np.array([0.0, 0.0])
    p = Perceptron(2, weights=start)
    p.fit(*logic_gate("or"))
    np.testing.assert_array_equal(start, [0.0, 0.0])  # the caller's array is untouched
    q = Perceptron(2)
    X, t = logic_gate("or")
    q.fit(X, t.astype(float))
    np.testing.assert_array_equal(q.weights, p.weights)


def test_repr_shows_weights_and_bias():
    assert repr(Perceptron(2, weights=[1.0, 2.0], bias=-1.5)) == "Perceptron(weights=[1. 2.], bias=-1.5)"


@pytest.mark.parametrize(
    "arguments, error, words",
    [
        ({"n_inputs": 0}, ValueError, "n_inputs must be at least 1, got 0"),
        ({"n_inputs": 2.0}, TypeError, "n_inputs must be a whole number"),
        ({"n_inputs": 2, "weights": [1.0]}, ValueError, "weights must have shape (2,) = (n_inputs,), got shape (1,)"),
        ({"n_inputs": 2, "weights": [[1.0, 2.0]]}, ValueError, "weights must have 1 dimension(s)"),
        ({"n_inputs": 2, "weights": [1.0, np.nan]}, ValueError, "weights must contain only finite numbers"),
        ({"n_inputs": 2, "bias": np.inf}, ValueError, "bias must be a finite number"),
        ({"n_inputs": 2, "bias": "0"}, TypeError, "bias must be a real number"),
    ],
)
def test_bad_construction(arguments, error, words):
    with pytest.raises(error) as info:
        Perceptron(**arguments)
    assert words in str(info.value)


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"X": np.zeros((4, 3))}, ValueError, "X must have shape (n_samples, 2), got shape (4, 3)"),
        ({"X": np.zeros(4)}, ValueError, "X must have 2 dimension(s)"),
        ({"t": [0, 1, 1]}, ValueError, "t must have one target per row of X, shape (4,), got shape (3,)"),
        ({"t": [0, 1, 2, 1]}, ValueError, "t must contain only 0 and 1, got the values [0. 1. 2.]"),
        ({"t": [[0, 1, 1, 0]]}, ValueError, "t must have 1 dimension(s)"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be greater than 0"),
        ({"learning_rate": "1"}, TypeError, "learning_rate must be a real number"),
        ({"epochs": 0}, ValueError, "epochs must be at least 1, got 0"),
        ({"epochs": 10.0}, TypeError, "epochs must be a whole number"),
    ],
)
def test_bad_fit_arguments(changes, error, words):
    X, t = logic_gate("and")
    arguments = {"X": X, "t": t, "learning_rate": 1.0, "epochs": 5}
    arguments.update(changes)
    with pytest.raises(error) as info:
        Perceptron(2).fit(**arguments)
    assert words in str(info.value)


def test_predict_rejects_inputs_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        Perceptron(2).predict([[1.0, 2.0, 3.0]])
