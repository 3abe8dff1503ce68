"""Toy data sets: shapes, ranges, labels, the generating formulas, reproducibility, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnmath.datasets import LOGIC_GATES, logic_gate, moons, sample_function, spirals


# --- sample_function ----------------------------------------------------------------------
@given(n=st.integers(1, 60), low=st.floats(-10, 10), width=st.floats(0.01, 10))
def test_sample_function_shapes_sorted_inputs_inside_the_range(n, low, width):
    X, T = sample_function(np.sin, n, (low, low + width), noise=0.1, rng=0)
    assert X.shape == T.shape == (n, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert np.all((X >= low) & (X <= low + width))


def test_sample_function_without_noise_is_the_function_itself():
    X, T = sample_function(lambda x: 3 * x**2 - 1, 50, (-2.0, 2.0), rng=1)
    np.testing.assert_array_equal(T, 3 * X**2 - 1)


def test_sample_function_noise_has_the_requested_standard_deviation():
    X, T = sample_function(np.cos, 20_000, (0.0, 1.0), noise=0.3, rng=2)
    residual = (T - np.cos(X)).ravel()
    # The sample standard deviation of 20000 normal draws has a relative standard
    # error of 1/sqrt(2 * 20000) = 0.5%; 3% is six standard errors.
    assert residual.std() == pytest.approx(0.3, rel=0.03)
    assert abs(residual.mean()) < 5 * 0.3 / np.sqrt(20_000)


def test_sample_function_is_reproducible_with_a_seed():
    a = sample_function(np.sin, 10, (0, 1), noise=0.1, rng=7)
    b = sample_function(np.sin, 10, (0, 1), noise=0.1, rng=np.random.default_rng(7))
    c = sample_function(np.sin, 10, (0, 1), noise=0.1, rng=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_sample_function_passes_f_a_copy():
    def f(x):
        x += 100.0  # a careless f that changes its argument
        return x

    X, T = sample_function(f, 5, (0.0, 1.0), rng=0)
    assert np.all(X <= 1.0)
    np.testing.assert_array_equal(T, X + 100.0)


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"f": 3.0}, TypeError, "f must be a function"),
        ({"n": 0}, ValueError, "n must be at least 1, got 0"),
        ({"n": 2.5}, TypeError, "n must be a whole number"),
        ({"n": True}, TypeError, "n must be a whole number"),
        ({"x_range": (1.0, 1.0)}, ValueError, "x_range must be (low, high) with low < high, got (1.0, 1.0)"),
        ({"x_range": (2.0, -2.0)}, ValueError, "low < high"),
        ({"x_range": (0.0,)}, TypeError, "x_range must be a pair (low, high)"),
        ({"x_range": "ab"}, TypeError, "x_range must be a pair (low, high)"),
        ({"x_range": 1.0}, TypeError, "x_range must be a pair (low, high)"),
        ({"x_range": (0.0, np.inf)}, ValueError, "x_range[1] must be a finite number"),
        ({"x_range": ("a", 1.0)}, TypeError, "x_range[0] must be a real number"),
        ({"noise": -0.1}, ValueError, "noise must be 0 or greater"),
        ({"noise": np.nan}, ValueError, "noise must be a finite number"),
        ({"noise": "a"}, TypeError, "noise must be a real number"),
        ({"rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
        ({"rng": -3}, ValueError, "rng must be a non-negative seed"),
        ({"f": lambda x: x[:2]}, ValueError, "f must return one value per input, shape (5,), got shape (2,)"),
        ({"f": lambda x: np.full_like(x, np.nan)}, ValueError, "f must return finite values"),
    ],
)
def test_sample_function_bad_arguments(changes, error, words):
    arguments = {"f": np.sin, "n": 5, "x_range": (0.0, 1.0), "noise": 0.0, "rng": 0}
    arguments.update(changes)
    with pytest.raises(error) as info:
        sample_function(**arguments)
    assert words in str(info.value)


# --- logic gates ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, rule",
    [
        ("and", lambda a, b: a and b),
        ("or", lambda a, b: a or b),
        ("nand", lambda a, b: not (a and b)),
        ("nor", lambda a, b: not (a or b)),
        ("xor", lambda a, b: a != b),
    ],
)
def test_logic_gates_are_their_truth_tables(name, rule):
    X, t = logic_gate(name)
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert t.shape == (4,) and t.dtype == np.int64
    expected = [int(bool(rule(bool(a), bool(b)))) for a, b in X]
    np.testing.assert_array_equal(t, expected)
    assert set(LOGIC_GATES) == {"and", "or", "nand", "nor", "xor"}


def test_logic_gate_names_ignore_case():
    np.testing.assert_array_equal(logic_gate("XOR")[1], logic_gate("xor")[1])


def test_logic_gate_returns_fresh_arrays():
    X, t = logic_gate("and")
    X[0, 0], t[0] = 5.0, 7
    assert logic_gate("and")[0][0, 0] == 0.0 and logic_gate("and")[1][0] == 0


@pytest.mark.parametrize(
    "name, error, words",
    [("xnor", ValueError, "unknown name 'xnor'; valid choices are 'and', 'or'"),
     (3, TypeError, "name must be one of 'and', 'or'"),
     (None, TypeError, "name must be one of")],
)
def test_logic_gate_bad_names(name, error, words):
    with pytest.raises(error) as info:
        logic_gate(name)
    assert words in str(info.value)


# --- moons ------------------------------------------------------------------------------------------
@given(n=st.integers(2, 101))
def test_moons_shapes_and_class_sizes(n):
    X, labels = moons(n, noise=0.1, rng=0)
    assert X.shape == (n, 2) and labels.shape == (n,) and labels.dtype == np.int64
    assert np.sum(labels == 0) == (n + 1) // 2 and np.sum(labels == 1) == n // 2
    assert np.all(np.diff(labels) >= 0)  # class 0 first


def test_moons_without_noise_lie_on_their_half_circles():
    X, labels = moons(41, noise=0.0)
    upper, lower = X[labels == 0], X[labels == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0, rtol=1e-15)
    assert np.all(upper[:, 1] >= 0)
    centre = np.array([1.0, 0.5])
    np.testing.assert_allclose(np.linalg.norm(lower - centre, axis=1), 1.0, rtol=1e-15)
    assert np.all(lower[:, 1] <= 0.5 + 1e-15)


def test_moons_noise_and_seed():
    clean, _ = moons(400, noise=0.0)
    noisy, _ = moons(400, noise=0.2, rng=3)
    again, _ = moons(400, noise=0.2, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(noisy, again)
    # 800 normal draws: the sample standard deviation is within 10% of 0.2 (4 standard errors).
    assert np.std(noisy - clean) == pytest.approx(0.2, rel=0.1)


def test_moons_are_not_linearly_separable():
    """Class 1's point (0, 0.5) is a convex combination of class 0's points (1, 0), (0, 1), (-1, 0),
    so no line has all of class 0 on one side and it on the other; a perceptron never finishes."""
    from nnmath.perceptron import Perceptron

    X, labels = moons(21, noise=0.0)  # 11 points of class 0 at angles k pi / 10, 10 of class 1
    upper, lower = X[labels == 0], X[labels == 1]
    combination = 0.25 * upper[0] + 0.5 * upper[5] + 0.25 * upper[10]
    np.testing.assert_allclose(combination, lower[0], atol=1e-15)
    errors = Perceptron(2).fit(X, labels, epochs=200)
    assert errors.size == 200 and np.all(errors > 0)


@pytest.mark.parametrize(
    "changes, error, words",
    [({"n": 1}, ValueError, "n must be at least 2"), ({"n": "10"}, TypeError, "n must be a whole number"),
     ({"noise": -1.0}, ValueError, "noise must be 0 or greater"), ({"rng": 0.5}, TypeError, "rng must be")],
)
def test_moons_bad_arguments(changes, error, words):
    arguments = {"n": 10, "noise": 0.1, "rng": 0}
    arguments.update(changes)
    with pytest.raises(error) as info:
        moons(**arguments)
    assert words in str(info.value)


# --- spirals ---------------------------------------------------------------------------------------------
@given(n_per_class=st.integers(2, 40), n_classes=st.integers(2, 6))
def test_spirals_shapes_and_labels(n_per_class, n_classes):
    X, labels = spirals(n_per_class, n_classes, noise=0.1, rng=0)
    n = n_per_class * n_classes
    assert X.shape == (n, 2) and labels.shape == (n,) and labels.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(labels), [n_per_class] * n_classes)


def test_spirals_without_noise_follow_the_formula():
    X, labels = spirals(5, n_classes=3, noise=0.0)
    s = np.linspace(0, 1, 5)
    for k in range(3):
        arm = X[labels == k]
        np.testing.assert_allclose(np.linalg.norm(arm, axis=1), s, atol=1e-15)
        theta = 2 * np.pi * k / 3 + 4 * s[1:]
        np.testing.assert_allclose(arm[1:], s[1:, None] * np.column_stack([np.cos(theta), np.sin(theta)]))
    # The arms are rotated copies of each other by 2 pi / 3.
    c, d = np.cos(2 * np.pi / 3), np.sin(2 * np.pi / 3)
    rotation = np.array([[c, -d], [d, c]])
    np.testing.assert_allclose(X[labels == 1], X[labels == 0] @ rotation.T, atol=1e-15)


def test_spirals_are_reproducible_and_the_centre_is_clean():
    a, _ = spirals(50, 3, noise=0.2, rng=4)
    b, _ = spirals(50, 3, noise=0.2, rng=np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[0], [0.0, 0.0])  # noise is scaled by the radius, 0 at the centre


@pytest.mark.parametrize(
    "changes, error, words",
    [({"n_per_class": 1}, ValueError, "n_per_class must be at least 2"),
     ({"n_classes": 1}, ValueError, "n_classes must be at least 2"),
     ({"n_classes": 2.0}, TypeError, "n_classes must be a whole number"),
     ({"noise": -0.5}, ValueError, "noise must be 0 or greater"),
     ({"rng": "x"}, TypeError, "rng must be")],
)
def test_spirals_bad_arguments(changes, error, words):
    arguments = {"n_per_class": 10, "n_classes": 3, "noise": 0.1, "rng": 0}
    arguments.update(changes)
    with pytest.raises(error) as info:
        spirals(**arguments)
    assert words in str(info.value)


# --- split ----------------------------------------------------------------------------------
from nnmath.datasets import split  # noqa: E402


@given(n=st.integers(3, 80), validation=st.floats(0.0, 0.45), test=st.floats(0.0, 0.45), seed=st.integers(0, 99))
def test_split_is_a_partition_with_the_rounded_sizes(n, validation, test, seed):
    X = np.arange(2.0 * n).reshape(n, 2)
    T = np.arange(n) % 3
    n_val, n_test = round(validation * n), round(test * n)
    if (validation > 0 and n_val == 0) or (test > 0 and n_test == 0) or n_val + n_test == 0:
        with pytest.raises(ValueError):
            split(X, T, validation=validation, test=test, rng=seed)
        return
    parts = split(X, T, validation=validation, test=test, rng=seed)
    present = [p for p in parts if p is not None]
    rows = np.concatenate([p.indices for p in present])
    np.testing.assert_array_equal(np.sort(rows), np.arange(n))  # every sample exactly once
    assert (parts.validation is None) == (n_val == 0) and (parts.test is None) == (n_test == 0)
    assert len(parts.train.indices) == n - n_val - n_test
    for p in present:
        assert np.all(np.diff(p.indices) > 0)  # original order kept
        np.testing.assert_array_equal(p.X, X[p.indices])
        np.testing.assert_array_equal(p.T, T[p.indices])
        assert p.T.dtype == T.dtype


def test_split_is_reproducible_and_depends_on_the_seed():
    X, labels = spirals(50, rng=0)
    a = split(X, labels, validation=0.3, rng=4)
    b = split(X, labels, validation=0.3, rng=np.random.default_rng(4))
    c = split(X, labels, validation=0.3, rng=5)
    np.testing.assert_array_equal(a.validation.indices, b.validation.indices)
    assert not np.array_equal(a.validation.indices, c.validation.indices)


def test_split_is_uniform_over_the_samples():
    """Each sample is held out with probability validation: 2000 splits of 10 samples."""
    X = np.zeros((10, 1))
    counts = np.zeros(10)
    generator = np.random.default_rng(0)
    for _ in range(2000):
        counts[split(X, np.arange(10), validation=0.3, rng=generator).validation.indices] += 1
    # Binomial(2000, 0.3): standard deviation sqrt(2000 * 0.3 * 0.7) = 20.5; 5 of them is 103.
    assert np.all(np.abs(counts - 600) < 103), counts


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"validation": 1.0}, ValueError, "validation must be a fraction"),
        ({"validation": -0.1}, ValueError, "validation must be a fraction"),
        ({"test": 1.5}, ValueError, "test must be a fraction"),
        ({"validation": "0.2"}, TypeError, "validation must be a real number"),
        ({"validation": 0.6, "test": 0.4}, ValueError, "validation \\+ test must be below 1"),
        ({"validation": 0.0}, ValueError, "nothing is held out"),
        ({"validation": 0.01}, ValueError, "validation=0.01 of 10 samples rounds to 0"),
        ({"validation": 0.5, "test": 0.46}, ValueError, "leave none to train on"),
        ({"rng": "seed"}, TypeError, "rng must be"),
    ],
)
def test_split_errors_name_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        split(np.zeros((10, 2)), np.zeros(10), **kwargs)


def test_split_checks_X_and_T():
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        split(np.zeros(10), np.zeros(10))
    with pytest.raises(ValueError, match="T must have one row per sample of X \\(10 rows\\), got shape \\(9,\\)"):
        split(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(TypeError, match="T must be an array"):
        split(np.zeros((10, 2)), None)
