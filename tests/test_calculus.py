"""Finite differences and gradient checking."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnmath

EPS = np.finfo(np.float64).eps


# --- order of accuracy -----------------------------------------------------------
def _fitted_order(h, errors):
    """Slope of log(error) against log(h): the order p in error ~ C h^p."""
    return np.polyfit(np.log(h), np.log(errors), 1)[0]


def test_central_difference_error_is_second_order():
    """On exp at 1, for h from 1e-1 to 1e-4 (truncation >> round-off), error ~ h^2."""
    h = np.logspace(-1, -4, 13)  # at h = 1e-4: truncation 4.5e-9 vs round-off 6e-12
    errors = nnmath.difference_errors(np.exp, np.exp, 1.0, h)["central"]
    # The next term of the error expansion is O(h^4); over this range the fitted
    # slope is 2 to within 1e-4, so +-0.05 separates order 2 from orders 1 and 3.
    assert _fitted_order(h, errors) == pytest.approx(2.0, abs=0.05)
    # and the leading term is the textbook h^2/6 f'''(1) = h^2 e / 6 (next term ~ h^2/20 relative)
    np.testing.assert_allclose(errors, h**2 / 6 * math.e, rtol=1e-3)


def test_forward_difference_error_is_first_order():
    """On exp at 1, for h from 1e-1 to 1e-6 (truncation >> round-off), error ~ h."""
    h = np.logspace(-1, -6, 21)  # at h = 1e-6: truncation 1.4e-6 vs round-off 6e-10
    errors = nnmath.difference_errors(np.exp, np.exp, 1.0, h)["forward"]
    # The O(h^2) correction bends the line by ~h/3: the fitted slope is 1.002; +-0.05.
    assert _fitted_order(h, errors) == pytest.approx(1.0, abs=0.05)
    # leading term h/2 f''(1) = h e / 2, with a relative correction h/3 <= 3.4%
    np.testing.assert_allclose(errors, h / 2 * math.e, rtol=0.04)


def test_fit_order_recovers_the_exponent_of_a_power_law():
    h = np.logspace(-1, -4, 7)
    # exact power laws: the least-squares line through their logs has slope p up to round-off
    assert nnmath.fit_order(h, 3.0 * h**2) == pytest.approx(2.0, abs=1e-12)
    assert nnmath.fit_order(h, 0.5 * h) == pytest.approx(1.0, abs=1e-12)
    errors = nnmath.difference_errors(np.exp, np.exp, 1.0, h)
    # the package's fit and the one in this file do the same least squares
    assert nnmath.fit_order(h, errors["central"]) == pytest.approx(_fitted_order(h, errors["central"]), abs=1e-12)


@pytest.mark.parametrize(
    "steps, errors, fragment",
    [([1e-2], [1e-4], "at least 2"), ([1e-2, 0.0], [1e-4, 1e-6], "greater than 0"),
     ([1e-2, 1e-3], [1e-4, 0.0], "greater than 0"), ([1e-2, 1e-3], [1e-4], "same shape")],
)
def test_fit_order_rejects_unusable_data(steps, errors, fragment):
    with pytest.raises(ValueError, match=fragment):
        nnmath.fit_order(steps, errors)


def test_difference_errors_returns_steps_and_both_errors():
    h = [1e-2, 1e-3, 1e-4]
    result = nnmath.difference_errors(np.sin, np.cos, 0.5, h)
    assert set(result) == {"h", "forward", "central"}
    np.testing.assert_array_equal(result["h"], h)  # passed through unchanged
    assert result["forward"].shape == result["central"].shape == (3,)
    assert np.all(result["central"] < result["forward"])  # at these steps central is far better


@pytest.mark.parametrize("steps", [[1e-2, 0.0], [-1e-3], [[1e-2]]])
def test_difference_errors_rejects_bad_steps(steps):
    with pytest.raises(ValueError, match="steps"):
        nnmath.difference_errors(np.sin, np.cos, 0.5, steps)


# --- default steps -----------------------------------------------------------------
def test_default_steps_balance_truncation_and_round_off():
    # eps = 2^-52, so sqrt(eps) = 2^-26 exactly (sqrt is correctly rounded)
    assert nnmath.default_step("forward") == 2.0**-26
    # eps^(1/3) = 2^(-52/3); the two computations round 1/3 differently: a few ulps
    assert nnmath.default_step("central") == pytest.approx(2.0 ** (-52 / 3), rel=1e-14)
    assert nnmath.default_step() == nnmath.default_step("central")
    with pytest.raises(ValueError, match="'central', 'forward'"):
        nnmath.default_step("backward")


@pytest.mark.parametrize("method", ["central", "forward"])
@pytest.mark.parametrize("x", [0.0, 0.5, -3.0, 100.0])
def test_numerical_derivative_uses_the_default_step_scaled_by_max_1_abs_x(method, x):
    """f is evaluated at x +- h with h = default_step * max(1, |x|)."""
    calls = []

    def f(v):
        calls.append(float(v))
        return v * 1.0

    nnmath.numerical_derivative(f, x, method=method)
    h = nnmath.default_step(method) * max(1.0, abs(x))
    expected = [x + h, x - h] if method == "central" else [x + h, x]
    # x + h is one rounded addition: compare within an ulp of x + h
    np.testing.assert_allclose(sorted(calls), sorted(expected), rtol=2 * EPS, atol=0)


# --- numerical_derivative --------------------------------------------------------------
@pytest.mark.parametrize("method, tolerance", [("central", 1e-9), ("forward", 1e-7)])
def test_numerical_derivative_of_known_functions(method, tolerance):
    # With the default steps the total error is about eps^(2/3) ~ 4e-11 (central) and
    # sqrt(eps) ~ 1.5e-8 (forward) times |f| and its derivatives; tolerances leave a margin.
    assert float(nnmath.numerical_derivative(np.sin, 0.0, method=method)) == pytest.approx(1.0, abs=tolerance)
    assert float(nnmath.numerical_derivative(np.exp, 2.0, method=method)) == pytest.approx(math.exp(2.0), rel=tolerance)
    assert float(nnmath.numerical_derivative(nnmath.profit, 3.0, method=method)) == pytest.approx(0.0, abs=tolerance * 10)


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), elements=st.floats(-3, 3)))
def test_numerical_derivative_is_vectorised_over_arrays(x):
    d = nnmath.numerical_derivative(np.sin, x)
    assert np.shape(d) == x.shape
    # central difference of sin with h ~ 6e-6: error < 1e-10, see the test above
    np.testing.assert_allclose(d, np.cos(x), rtol=0, atol=1e-9)


def test_numerical_derivative_of_a_scalar_is_a_numpy_scalar():
    d = nnmath.numerical_derivative(np.sin, 0.25)
    assert isinstance(d, np.float64)


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan"), float("inf")])
def test_numerical_derivative_rejects_non_positive_or_non_finite_steps(h):
    with pytest.raises(ValueError, match=r"\bh\b"):
        nnmath.numerical_derivative(np.sin, 1.0, h=h)


def test_numerical_derivative_rejects_a_non_number_step():
    with pytest.raises(TypeError, match=r"\bh\b"):
        nnmath.numerical_derivative(np.sin, 1.0, h="small")


@pytest.mark.parametrize("method", ["central", "forward"])
def test_numerical_derivative_rejects_a_step_too_small_to_change_x(method):
    # 1e-17 is below half the spacing of floats at 1 (1.1e-16), so 1 + h == 1
    with pytest.raises(ValueError, match="too small"):
        nnmath.numerical_derivative(np.sin, 1.0, h=1e-17, method=method)
    with pytest.raises(ValueError, match="too small"):
        nnmath.numerical_derivative(np.sin, [0.0, 1e6], h=1e-12, method=method)


def test_numerical_derivative_rejects_non_callables_and_unknown_methods():
    with pytest.raises(TypeError, match=r"\bf\b.*callable"):
        nnmath.numerical_derivative(3.0, 1.0)
    with pytest.raises(ValueError, match="method"):
        nnmath.numerical_derivative(np.sin, 1.0, method="backward")


def test_numerical_derivative_rejects_functions_that_are_not_finite_near_x():
    # sqrt(0 - h) is NaN
    with pytest.raises(ValueError, match="non-finite"):
        nnmath.numerical_derivative(np.sqrt, 0.0)
    with pytest.raises(ValueError, match="non-finite"):
        nnmath.numerical_derivative(lambda v: np.full_like(v, np.inf), 1.0)


def test_numerical_derivative_rejects_functions_returning_the_wrong_shape():
    with pytest.raises(ValueError, match="one value per point"):
        nnmath.numerical_derivative(np.sum, [1.0, 2.0])


def test_numerical_derivative_rejects_functions_returning_non_numbers():
    with pytest.raises(TypeError, match="numbers"):
        nnmath.numerical_derivative(lambda v: "text", 1.0)


# --- numerical_gradient and numerical_jacobian -----------------------------------------
def test_numerical_gradient_of_known_gradients():
    """f(v) = v0^2 + 3 v1 + v0 sin(v2) has gradient (2 v0 + sin v2, 3, v0 cos v2)."""
    v = np.array([1.5, -2.0, 0.7])
    numeric = nnmath.numerical_gradient(lambda u: u[0] ** 2 + 3 * u[1] + u[0] * np.sin(u[2]), v)
    exact = [2 * v[0] + np.sin(v[2]), 3.0, v[0] * np.cos(v[2])]
    # central difference, h ~ 6e-6 |v|: errors ~ 1e-10 for these O(1) functions
    np.testing.assert_allclose(numeric, exact, rtol=0, atol=1e-8)


def test_numerical_gradient_of_a_matrix_argument_has_its_shape(rng):
    W = rng.normal(size=(3, 4))
    numeric = nnmath.numerical_gradient(lambda M: np.sum(M**2), W)
    assert numeric.shape == (3, 4)
    # quadratic: no truncation error, round-off eps |f| / h ~ 1e-10
    np.testing.assert_allclose(numeric, 2 * W, rtol=0, atol=1e-8)


def test_numerical_gradient_accepts_a_scalar_point():
    g = nnmath.numerical_gradient(lambda v: v**3, 2.0)
    assert np.shape(g) == ()
    assert float(g) == pytest.approx(12.0, rel=1e-9)  # central difference error ~ 1e-10 relative


def test_numerical_gradient_rejects_vector_valued_functions():
    with pytest.raises(ValueError, match="numerical_jacobian"):
        nnmath.numerical_gradient(lambda v: v**2, [1.0, 2.0])


def test_numerical_gradient_rejects_a_step_too_small_to_change_x():
    """Like numerical_derivative, a step that leaves x unchanged must raise ValueError.

    Otherwise the quotient is 0/0: a RuntimeWarning and a NaN gradient.
    """
    with pytest.raises(ValueError, match=r"\bh\b"):
        nnmath.numerical_gradient(lambda v: np.sum(v**2), [1.0, 2.0], h=1e-20)
    with pytest.raises(ValueError, match=r"\bh\b"):
        nnmath.numerical_jacobian(lambda v: v**2, [1.0, 2.0], h=1e-20)


def test_numerical_jacobian_shape_is_output_shape_then_input_shape(rng):
    A = rng.normal(size=(4, 6))
    x = rng.normal(size=(2, 3))
    J = nnmath.numerical_jacobian(lambda m: A @ m.reshape(-1), x)
    assert J.shape == (4, 2, 3)
    # linear: no truncation; round-off ~ eps |Ax| / h ~ 1e-10
    np.testing.assert_allclose(J.reshape(4, 6), A, rtol=0, atol=1e-8)


def test_numerical_jacobian_of_elementwise_square():
    J = nnmath.numerical_jacobian(lambda v: v**2, [1.0, 2.0, -3.0])
    # quadratic: exact up to round-off ~1e-10
    np.testing.assert_allclose(J, np.diag([2.0, 4.0, -6.0]), rtol=0, atol=1e-8)


def test_numerical_jacobian_leaves_its_input_unchanged():
    x = np.array([1.0, 2.0])
    nnmath.numerical_jacobian(lambda v: v**2, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


# --- check_gradient ----------------------------------------------------------------------
def f_sum_of_squares(v):
    return float(np.sum(v**2) + np.sum(np.sin(v)))


def grad_sum_of_squares(v):
    return 2 * v + np.cos(v)


POINT = np.array([[1.0, -2.0, 0.5], [0.3, 2.5, -1.2]])


def test_check_gradient_passes_a_correct_gradient():
    result = nnmath.check_gradient(f_sum_of_squares, grad_sum_of_squares, POINT)
    assert isinstance(result, nnmath.GradientCheckResult)
    assert result.passed is True
    assert result.max_relative_error < 1e-8  # ~1e-10 for a smooth O(1) function
    assert result.tolerance == 1e-6  # the documented default
    assert result.analytic.shape == result.numeric.shape == POINT.shape
    assert "passed" in str(result)


WRONG_GRADIENTS = {
    "wrong sign": lambda v: -(2 * v + np.cos(v)),
    "missing factor 2": lambda v: v + np.cos(v),
    "one wrong entry": lambda v: (2 * v + np.cos(v)) + np.where(np.arange(v.size).reshape(v.shape) == 4, 1e-3, 0.0),
}


@pytest.mark.parametrize("name", list(WRONG_GRADIENTS))
def test_check_gradient_fails_wrong_gradients(name):
    with pytest.raises(nnmath.GradientCheckError) as info:
        nnmath.check_gradient(f_sum_of_squares, WRONG_GRADIENTS[name], POINT)
    result = info.value.result
    assert result.passed is False
    assert result.max_relative_error > result.tolerance
    assert "FAILED" in str(info.value)
    if name == "one wrong entry":
        assert result.worst_index == (1, 1)  # flat index 4 of a 2x3 array
    # it is an AssertionError, so a bare call fails a test
    assert isinstance(info.value, AssertionError)


@pytest.mark.parametrize("name", list(WRONG_GRADIENTS))
def test_check_gradient_returns_a_failed_result_when_asked_not_to_raise(name):
    result = nnmath.check_gradient(f_sum_of_squares, WRONG_GRADIENTS[name], POINT, raise_on_failure=False)
    assert result.passed is False


@pytest.mark.parametrize("scale", [1e-4, 1e-5, 1e-6, 1e-7, 1e-8])
def test_check_gradient_passes_correct_gradients_with_small_entries(scale):
    """A correct gradient must pass even when it is small compared with f.

    f(v) = 1 + scale * sin(v0): the central difference has an absolute round-off
    error of about eps |f| / h ~ 4e-11 whatever the gradient's size, so a check
    that compares entries below 1e-6 "absolutely" against 1e-6 * tolerance
    (= 1e-12) rejects the correct gradient. Gradients this small are common in
    networks (saturated sigmoids, far-from-output layers).
    """
    result = nnmath.check_gradient(
        lambda v: 1.0 + scale * np.sin(v[0]),
        lambda v: np.array([scale * np.cos(v[0])]),
        [1.0],
        raise_on_failure=False,
    )
    assert result.passed, str(result)


def test_check_gradient_rejects_wrong_shapes_and_bad_tolerances():
    with pytest.raises(ValueError, match="shape"):
        nnmath.check_gradient(f_sum_of_squares, lambda v: np.zeros(3), POINT)
    with pytest.raises(ValueError, match="tolerance"):
        nnmath.check_gradient(f_sum_of_squares, grad_sum_of_squares, POINT, tolerance=0.0)
    with pytest.raises(TypeError, match="gradient"):
        nnmath.check_gradient(f_sum_of_squares, "not a function", POINT)
