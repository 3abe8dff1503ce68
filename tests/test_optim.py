"""Gradient descent: exact iterates on a quadratic, convergence, oscillation, divergence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnmath
from conftest import NoWarnings


def quadratic_gradient(c):
    """f(x) = c x^2, f'(x) = 2 c x, written here rather than taken from nnmath.quadratic."""
    return lambda x: 2.0 * c * x


# --- shapes -------------------------------------------------------------------------
@pytest.mark.parametrize("x0", [1.5, [1.0, -2.0], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]])
def test_trajectory_has_steps_plus_one_rows_shaped_like_x0(x0):
    path = nnmath.gradient_descent(quadratic_gradient(1.0), x0, learning_rate=0.1, steps=5)
    assert path.shape == (6, *np.shape(x0))
    np.testing.assert_array_equal(path[0], x0)  # row 0 is x0, copied unchanged


def test_zero_steps_returns_only_x0():
    path = nnmath.gradient_descent(quadratic_gradient(1.0), [3.0, 4.0], learning_rate=0.1, steps=0)
    np.testing.assert_array_equal(path, [[3.0, 4.0]])


def test_docstring_example_with_nnmath_quadratic():
    f = nnmath.quadratic(1.0)
    path = nnmath.gradient_descent(f.derivative, 1.0, learning_rate=0.25, steps=3)
    np.testing.assert_array_equal(path, [1.0, 0.5, 0.25, 0.125])  # halving: exact in binary


# --- exact iterates on c x^2 ---------------------------------------------------------------
@pytest.mark.parametrize("c, eta", [(1.0, 0.25), (2.0, 0.125), (0.5, 0.5), (4.0, 0.1875), (1.0, 0.75)])
def test_iterates_are_exactly_geometric_for_dyadic_parameters(c, eta):
    """x_k = (1 - 2 eta c)^k x0; with c, eta and x0 dyadic every operation is exact."""
    x0 = 3.0
    path = nnmath.gradient_descent(quadratic_gradient(c), x0, learning_rate=eta, steps=20)
    expected = (1.0 - 2.0 * eta * c) ** np.arange(21) * x0
    np.testing.assert_array_equal(path, expected)


@settings(max_examples=100, deadline=None)
@given(
    c=st.floats(0.1, 10.0),
    fraction=st.floats(0.01, 0.99),
    x0=st.floats(-10.0, 10.0).filter(lambda v: abs(v) > 1e-3),
    steps=st.integers(0, 30),
)
def test_iterates_follow_the_closed_form_for_any_convergent_rate(c, fraction, x0, steps):
    eta = fraction / c  # below 1/c
    path = nnmath.gradient_descent(quadratic_gradient(c), x0, learning_rate=eta, steps=steps)
    expected = (1.0 - 2.0 * eta * c) ** np.arange(steps + 1) * x0
    # Each step rounds 3 times (~2 eps |x_k| absolute) and earlier errors shrink by
    # |1 - 2 eta c| < 1, so after <= 30 steps the error is < 30 * 4.4e-16 |x0| < 1e-13 |x0|.
    np.testing.assert_allclose(path, expected, rtol=0, atol=1e-13 * abs(x0))


@pytest.mark.parametrize("c", [0.5, 1.0, 3.0])
def test_converges_for_learning_rates_below_one_over_c(c):
    eta = 0.9 / c  # factor 1 - 1.8 = -0.8
    path = nnmath.gradient_descent(quadratic_gradient(c), 5.0, learning_rate=eta, steps=200)
    assert np.all(np.diff(np.abs(path)) <= 0)  # |x_k| never grows
    assert abs(path[-1]) < 1e-15  # 0.8^200 * 5 = 2e-19


@pytest.mark.parametrize("c", [0.5, 1.0, 2.0, 4.0])
def test_oscillates_with_constant_amplitude_at_learning_rate_one_over_c(c):
    """At eta = 1/c the factor is exactly -1: x_k = (-1)^k x0 forever (c a power of 2 keeps it exact)."""
    x0 = np.array([1.25, -3.0])
    path = nnmath.gradient_descent(quadratic_gradient(c), x0, learning_rate=1.0 / c, steps=50)
    expected = np.array([(-1.0) ** k * x0 for k in range(51)])
    np.testing.assert_array_equal(path, expected)


# --- divergence --------------------------------------------------------------------------
def test_diverges_above_one_over_c_with_a_divergence_error():
    """eta = 1.5 on x^2: factor -2, so x_k = (-2)^k overflows after 1024 steps."""
    with NoWarnings() as w:
        with pytest.raises(nnmath.DivergenceError) as info:
            nnmath.gradient_descent(quadratic_gradient(1.0), 1.0, learning_rate=1.5, steps=5000)
    assert w.messages == [], w.messages  # no overflow warnings leak out
    error = info.value
    assert isinstance(error, ArithmeticError)
    assert error.learning_rate == 1.5
    # (-2)^1023 ~ 9e307 is the last finite iterate (2^1024 overflows): exact powers of 2
    assert error.step == 1024
    assert error.trajectory.shape == (1024,)
    assert np.all(np.isfinite(error.trajectory))
    np.testing.assert_array_equal(error.trajectory, (-2.0) ** np.arange(1024))
    assert "step 1024" in str(error) and "learning_rate=1.5" in str(error)


@pytest.mark.parametrize("c", [0.5, 1.0, 3.0])
def test_diverges_just_above_one_over_c_when_run_long_enough(c):
    eta = 1.01 / c  # factor -1.02: |x| grows 2% a step, overflowing after ~36 000 steps
    short = nnmath.gradient_descent(quadratic_gradient(c), [1.0, -1.0], learning_rate=eta, steps=100)
    assert np.all(np.abs(short[-1]) > np.abs(short[0]))  # growing, not yet overflowing
    with NoWarnings() as w:
        with pytest.raises(nnmath.DivergenceError) as info:
            nnmath.gradient_descent(quadratic_gradient(c), [1.0, -1.0], learning_rate=eta, steps=60_000)
    assert w.messages == []
    error = info.value
    assert error.trajectory.shape == (error.step, 2)
    assert np.all(np.isfinite(error.trajectory))
    assert f"step {error.step}" in str(error) and f"learning_rate={eta:g}" in str(error)


def test_a_non_finite_gradient_is_reported_as_divergence():
    with pytest.raises(nnmath.DivergenceError) as info:
        nnmath.gradient_descent(lambda x: np.full_like(x, np.nan), [1.0], learning_rate=0.1, steps=3)
    assert info.value.step == 1
    np.testing.assert_array_equal(info.value.trajectory, [[1.0]])


def test_trajectory_is_protected_from_a_gradient_that_mutates_its_input():
    def sneaky(x):
        g = 2.0 * x
        x[...] = 1e6  # must not reach the stored iterate
        return g

    path = nnmath.gradient_descent(sneaky, [1.0], learning_rate=0.25, steps=2)
    np.testing.assert_array_equal(path, [[1.0], [0.5], [0.25]])


# --- argument errors ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "rate, error",
    [(0.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError),
     ("0.1", TypeError), (True, TypeError), (None, TypeError)],
)
def test_bad_learning_rates(rate, error):
    with pytest.raises(error, match="learning_rate"):
        nnmath.gradient_descent(quadratic_gradient(1.0), 1.0, learning_rate=rate, steps=3)


@pytest.mark.parametrize("steps, error", [(-1, ValueError), (2.0, TypeError), (True, TypeError), ("3", TypeError)])
def test_bad_step_counts(steps, error):
    with pytest.raises(error, match="steps"):
        nnmath.gradient_descent(quadratic_gradient(1.0), 1.0, learning_rate=0.1, steps=steps)


@pytest.mark.parametrize("x0", [float("nan"), [1.0, np.inf]])
def test_non_finite_starting_points(x0):
    with pytest.raises(ValueError, match="x0"):
        nnmath.gradient_descent(quadratic_gradient(1.0), x0, learning_rate=0.1, steps=3)


def test_gradient_of_the_wrong_shape_names_both_shapes():
    with pytest.raises(ValueError) as info:
        nnmath.gradient_descent(lambda x: np.zeros(3), [1.0, 2.0], learning_rate=0.1, steps=3)
    assert "(2,)" in str(info.value) and "(3,)" in str(info.value)


def test_non_callable_gradient():
    with pytest.raises(TypeError, match="gradient.*callable"):
        nnmath.gradient_descent([1.0], 1.0, learning_rate=0.1, steps=3)


# --- the example functions gradient descent is run on -----------------------------------
@pytest.mark.parametrize("c", [0.5, 1.0, 3.0, 0.1])
def test_quadratic_value_derivative_and_formula_agree(c):
    import sympy

    f = nnmath.quadratic(c)
    x = sympy.Symbol("x", real=True)
    # the SymPy formula is c x^2 with c as an exact rational, and its derivative 2 c x
    assert sympy.simplify(f.formula(x) - sympy.nsimplify(c) * x**2) == 0
    grid = np.linspace(-3, 3, 13)
    derivative = sympy.lambdify(x, sympy.diff(f.formula(x), x), "numpy")
    # one or two roundings on each side: a few ulps
    np.testing.assert_allclose(f(grid), c * grid**2, rtol=1e-15)
    np.testing.assert_allclose(f.derivative(grid), derivative(grid), rtol=1e-15)


@pytest.mark.parametrize("c, error", [(0.0, ValueError), (-1.0, ValueError), (float("inf"), ValueError), ("1", TypeError)])
def test_quadratic_rejects_bad_coefficients(c, error):
    with pytest.raises(error, match="coefficient"):
        nnmath.quadratic(c)


def test_quadratic_bowl_value_gradient_and_formula():
    import sympy

    bowl = nnmath.QuadraticBowl([1.0, 3.0])
    assert bowl([1.0, 1.0]) == 4.0  # exact small integers
    np.testing.assert_array_equal(bowl([[1.0, 1.0], [2.0, 0.0]]), [4.0, 4.0])  # one value per row
    v = np.array([0.7, -1.3])
    # quadratic: central differences are exact up to round-off eps |f| / h ~ 1e-10
    np.testing.assert_allclose(bowl.gradient(v), nnmath.numerical_gradient(bowl, v), rtol=0, atol=1e-8)
    a, b = sympy.symbols("a b", real=True)
    assert sympy.simplify(bowl.formula([a, b]) - (a**2 + 3 * b**2)) == 0


def test_quadratic_bowl_curvatures_are_the_second_derivatives():
    """The coefficients are c_i; the curvatures are d^2 f / dv_i^2 = 2 c_i, derived by SymPy."""
    import sympy

    bowl = nnmath.QuadraticBowl([1.0, 3.0])
    np.testing.assert_array_equal(bowl.coefficients, [1.0, 3.0])
    a, b = sympy.symbols("a b", real=True)
    f = bowl.formula([a, b])
    second = [float(sympy.diff(f, s, 2)) for s in (a, b)]
    np.testing.assert_array_equal(bowl.curvatures, second)  # small integers: exact
    assert repr(bowl) == "QuadraticBowl(coefficients=[1.0, 3.0])"


def test_quadratic_bowl_errors():
    import sympy

    with pytest.raises(ValueError, match="coefficients must all be greater than 0"):
        nnmath.QuadraticBowl([1.0, 0.0])
    with pytest.raises(ValueError, match=r"\bv\b"):
        nnmath.QuadraticBowl([1.0, 3.0])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="2 symbols"):
        nnmath.QuadraticBowl([1.0, 3.0]).formula([sympy.Symbol("a")])
    with pytest.raises(TypeError, match=r"symbols\[0\] must be a sympy.Symbol, got 1"):
        nnmath.QuadraticBowl([1.0, 3.0]).formula([1])
    with pytest.raises(TypeError, match="symbols must be a list or tuple of 1 sympy.Symbol"):
        nnmath.QuadraticBowl([2.0]).formula(sympy.Symbol("v"))


def test_gradient_descent_on_a_bowl_moves_each_coordinate_by_its_own_factor():
    """On sum c_i v_i^2 coordinate i shrinks by (1 - 2 eta c_i): 0.5 and -0.5 here, exact."""
    bowl = nnmath.QuadraticBowl([1.0, 3.0])
    path = nnmath.gradient_descent(bowl.gradient, [1.0, 1.0], learning_rate=0.25, steps=10)
    k = np.arange(11)
    np.testing.assert_array_equal(path, np.stack([0.5**k, (-0.5) ** k], axis=1))


def test_a_gradient_that_overflows_on_a_diverging_run_is_divergence():
    """QuadraticBowl.gradient refuses to return inf (it says it overflowed); inside gradient
    descent that is the run diverging, reported as DivergenceError with the finite iterates."""
    bowl = nnmath.QuadraticBowl([1.0, 4.0])
    with pytest.raises(ValueError, match="overflowed"):
        bowl.gradient(np.array([1e308, 1e308]))
    for run in (lambda: nnmath.gradient_descent(bowl.gradient, [1.0, 1.0], 0.5, 2000),
                lambda: nnmath.gradient_descent(bowl.gradient, [1.0, 1.0], 0.5, 2000, momentum=0.5),
                lambda: nnmath.gradient_descent(bowl.gradient, [1.0, 1.0], 0.5, 2000, momentum=0.5,
                                                nesterov=True)):
        with pytest.raises(nnmath.DivergenceError) as caught:
            run()
        assert np.all(np.isfinite(caught.value.trajectory))
