"""Activations: values and derivatives against SymPy and finite differences.

The references are independent of the package's numeric code: SymPy's
derivative of each ``.formula`` (exactly, then evaluated on a grid with
lambdify), textbook closed forms, and a central difference written in
conftest.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnmath
from conftest import NoWarnings, central_difference, central_difference_gradient

Z = sympy.Symbol("z", real=True)

ELEMENTWISE = {
    "sigmoid": nnmath.sigmoid,
    "tanh": nnmath.tanh,
    "relu": nnmath.relu,
    "leaky_relu": nnmath.leaky_relu,
    "leaky_relu(0.2)": nnmath.LeakyReLU(0.2),
    "identity": nnmath.identity,
}
KINKED = {"relu", "leaky_relu", "leaky_relu(0.2)"}


def _sigma(z):
    return 1 / (1 + sympy.exp(-z))


# The textbook derivative of each activation, written independently of the package.
TEXTBOOK_DERIVATIVE = {
    "sigmoid": _sigma(Z) * (1 - _sigma(Z)),
    "tanh": 1 - sympy.tanh(Z) ** 2,
    "relu": sympy.Piecewise((0, Z <= 0), (1, True)),
    "leaky_relu": sympy.Piecewise((sympy.Rational(1, 100), Z <= 0), (1, True)),
    "leaky_relu(0.2)": sympy.Piecewise((sympy.Rational(1, 5), Z <= 0), (1, True)),
    "identity": sympy.Integer(1),
}

# Grid for the lambdify comparison: includes z = 0, where the Piecewise formulas
# encode the same convention as the numeric code (derivative from the left).
GRID = np.concatenate([np.linspace(-8.0, 8.0, 161), [-1e-3, 1e-3]])
# Grid for finite differences: an even number of symmetric points never hits the
# kink at 0 (the nearest points are +-0.06, far beyond the step 1e-5).
FD_GRID = np.linspace(-6.0, 6.0, 100)

activation_names = pytest.mark.parametrize("name", list(ELEMENTWISE))


# --- derivative vs SymPy ------------------------------------------------------
@activation_names
def test_sympy_derivative_of_formula_equals_textbook_form_exactly(name):
    """diff(formula) simplifies to the textbook derivative: sigma(1-sigma), 1-tanh^2, Piecewise, 1."""
    f = ELEMENTWISE[name]
    derivative = sympy.diff(f.formula(Z), Z)
    assert sympy.simplify(derivative - TEXTBOOK_DERIVATIVE[name]) == 0


@activation_names
def test_formula_evaluates_to_the_numeric_function_on_a_grid(name):
    """lambdify(formula) and the numeric activation agree on a grid including 0."""
    f = ELEMENTWISE[name]
    reference = np.broadcast_to(sympy.lambdify(Z, f.formula(Z), "numpy")(GRID), GRID.shape)
    # Equivalent formulas evaluated in different orders: a few ulps apart at most.
    np.testing.assert_allclose(f(GRID), reference, rtol=1e-13, atol=1e-300)


@activation_names
def test_derivative_matches_lambdified_sympy_derivative_on_a_grid(name):
    """.derivative equals SymPy's derivative of .formula, evaluated numerically (z = 0 included)."""
    f = ELEMENTWISE[name]
    sympy_derivative = sympy.lambdify(Z, sympy.diff(f.formula(Z), Z), "numpy")
    reference = np.broadcast_to(np.asarray(sympy_derivative(GRID), dtype=float), GRID.shape)
    # Different but equivalent closed forms (e.g. e/(1+e)^2 vs sigma(1-sigma)) agree to a
    # few ulps; the reference 1 - tanh^2 itself loses relative accuracy in the tails by
    # cancellation (absolute error ~ eps), hence atol 1e-15. Tail accuracy is tested below.
    np.testing.assert_allclose(f.derivative(GRID), reference, rtol=1e-13, atol=1e-15)


@activation_names
def test_derivative_matches_central_finite_difference(name):
    """.derivative agrees with an independent central difference away from the kink at 0."""
    f = ELEMENTWISE[name]
    numeric = central_difference(f, FD_GRID, h=1e-5)
    # Truncation h^2/6 |f'''| <= 2e-11 and round-off eps|f|/h <= 1.4e-10 for |f| <= 6:
    # 1e-8 is far above both and far below any real mistake (order 1).
    np.testing.assert_allclose(f.derivative(FD_GRID), numeric, rtol=0, atol=1e-8)


# --- special values -------------------------------------------------------------
def test_relu_derivative_at_zero_is_zero_by_convention():
    assert nnmath.relu.derivative(0.0) == 0.0  # exact: a convention, not a computation


def test_leaky_relu_derivative_at_zero_is_its_slope():
    # exact: the stored slope is returned as is
    assert nnmath.leaky_relu.derivative(0.0) == 0.01
    assert nnmath.LeakyReLU(0.2).derivative(0.0) == 0.2
    assert nnmath.LeakyReLU(0.2).slope == 0.2


def test_leaky_relu_values_use_slope_for_negative_inputs():
    """LeakyReLU(0.2)(z) = 0.2 z for z <= 0 and z for z > 0."""
    z = np.array([-5.0, -0.5, 0.0, 0.5, 5.0])
    # 0.2 * z is one rounded product in both: bit-identical by construction.
    np.testing.assert_array_equal(nnmath.LeakyReLU(0.2)(z), np.where(z > 0, z, 0.2 * z))
    np.testing.assert_array_equal(nnmath.leaky_relu(z), np.where(z > 0, z, 0.01 * z))


def test_sigmoid_derivative_at_zero_is_exactly_one_quarter():
    assert nnmath.sigmoid.derivative(0.0) == 0.25  # exact: e = 1, 1/(1+1)^2 = 1/4
    assert nnmath.sigmoid(0.0) == 0.5


def test_sigmoid_derivative_maximum_is_one_quarter_at_zero_by_sympy():
    """SymPy: sigma'' = 0 only at z = 0, sigma'''(0) < 0, and sigma'(0) = 1/4 exactly."""
    s = nnmath.sigmoid.formula(Z)
    critical = sympy.solve(sympy.diff(s, Z, 2), Z)
    assert critical == [0]
    assert sympy.diff(s, Z, 3).subs(Z, 0) < 0  # a maximum, not a minimum
    assert sympy.simplify(sympy.diff(s, Z).subs(Z, 0) - sympy.Rational(1, 4)) == 0
    # and numerically nothing on a fine grid exceeds it
    assert np.max(nnmath.sigmoid.derivative(np.linspace(-10, 10, 20001))) <= 0.25


def test_tanh_derivative_at_zero_is_one():
    assert nnmath.tanh.derivative(0.0) == 1.0  # exact: e = 1, 4/(1+1)^2 = 1


# --- extreme inputs -------------------------------------------------------------
@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_sigmoid_and_tanh_saturate_at_extreme_inputs_without_warnings(z):
    """sigmoid(+-1000) is 1/0 and tanh(+-1000) is +-1, derivatives 0, with no warnings."""
    with NoWarnings() as w:
        values = [nnmath.sigmoid(z), nnmath.tanh(z), nnmath.sigmoid.derivative(z), nnmath.tanh.derivative(z)]
    assert w.messages == []
    # Exact: the true values differ from these by less than 1e-434, far below
    # the smallest float64 (5e-324), so the correctly rounded results are these.
    assert values[0] == (1.0 if z > 0 else 0.0)
    assert values[1] == math.copysign(1.0, z)
    assert values[2] == 0.0
    assert values[3] == 0.0


@pytest.mark.parametrize("z", [-700.0, -40.0, 40.0, 300.0])
def test_tanh_derivative_keeps_relative_accuracy_in_the_tails(z):
    """tanh'(z) = sech^2(z) to full relative precision, where 1 - tanh^2 would round to 0."""
    exact = sympy.N(sympy.sech(sympy.Float(z, 40)) ** 2, 30)
    assert float(nnmath.tanh.derivative(z)) == pytest.approx(float(exact), rel=1e-13)  # a few ulps


@pytest.mark.parametrize("z", [-700.0, -40.0, 40.0, 300.0])
def test_sigmoid_and_derivative_keep_relative_accuracy_in_the_tails(z):
    """Deep in the tails the values are still correct to full relative precision (vs 30-digit SymPy)."""
    exact_value = sympy.N(_sigma(sympy.Float(z, 40)), 30)
    exact_derivative = sympy.N((_sigma(Z) * (1 - _sigma(Z))).subs(Z, sympy.Float(z, 40)), 30)
    # 1e-13 relative: a few ulps of round-off, while a naive 1 - sigma would be off by 100%.
    assert float(nnmath.sigmoid(z)) == pytest.approx(float(exact_value), rel=1e-13)
    assert float(nnmath.sigmoid.derivative(z)) == pytest.approx(float(exact_derivative), rel=1e-13)


@pytest.mark.parametrize("z", [1e300, -1e300, 1e308, -1e308, np.finfo(np.float64).max])
@activation_names
def test_every_activation_and_derivative_is_finite_without_warnings_for_huge_inputs(name, z):
    """The module promises finite, warning-free results for extreme finite inputs."""
    f = ELEMENTWISE[name]
    with NoWarnings() as w:
        value, slope = f(z), f.derivative(z)
    assert w.messages == [], w.messages
    assert np.isfinite(value) and np.isfinite(slope)


@settings(max_examples=200, deadline=None)
@given(z=st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_and_tanh_stay_in_range_for_any_finite_input(z):
    """For every finite z: 0 <= sigma <= 1, 0 <= sigma' <= 1/4, -1 <= tanh <= 1, 0 <= tanh' <= 1."""
    s, ds = nnmath.sigmoid(z), nnmath.sigmoid.derivative(z)
    t, dt = nnmath.tanh(z), nnmath.tanh.derivative(z)
    ulp = np.finfo(np.float64).eps
    assert 0.0 <= s <= 1.0 and -1.0 <= t <= 1.0
    # Near z = 0 (|z| ~ 1e-9) rounding in e/(1+e)^2 can land one ulp above the exact
    # maxima 1/4 and 1 (e.g. sigma'(4.5e-10) = 0.25000000000000006): allow 2 ulps.
    assert 0.0 <= ds <= 0.25 * (1 + 2 * ulp)
    assert 0.0 <= dt <= 1.0 * (1 + 2 * ulp)
    # symmetry sigma(-z) = 1 - sigma(z); absolute 1e-16 is one rounding of values in [0, 1]
    assert float(nnmath.sigmoid(-z)) == pytest.approx(1.0 - float(s), abs=2.3e-16)


# --- shapes and input types -------------------------------------------------------
@activation_names
def test_scalar_in_gives_numpy_scalar_out(name):
    f = ELEMENTWISE[name]
    for value in (f(0.5), f.derivative(0.5), f(2), f.derivative(-2)):
        assert isinstance(value, np.float64)
        assert np.ndim(value) == 0


@settings(max_examples=40, deadline=None)
@given(
    z=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
        elements=st.floats(-50, 50),
    ),
    name=st.sampled_from(list(ELEMENTWISE)),
)
def test_array_shape_is_preserved(z, name):
    f = ELEMENTWISE[name]
    assert f(z).shape == z.shape
    assert f.derivative(z).shape == z.shape


@activation_names
def test_lists_are_accepted_like_arrays(name):
    f = ELEMENTWISE[name]
    values = [[-1.5, 0.0], [2.0, 3.25]]
    # same conversion, same code path: identical results by construction
    np.testing.assert_array_equal(f(values), f(np.array(values)))
    np.testing.assert_array_equal(f.derivative(values), f.derivative(np.array(values)))


def test_identity_returns_a_copy_not_the_input():
    z = np.array([1.0, 2.0])
    out = nnmath.identity(z)
    out[0] = 99.0
    assert z[0] == 1.0


def test_formula_requires_a_sympy_symbol():
    with pytest.raises(TypeError, match="sympy.Symbol"):
        nnmath.sigmoid.formula("z")


# --- leaky ReLU construction --------------------------------------------------------
@pytest.mark.parametrize("slope, error", [(1.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                          (True, TypeError), ("0.1", TypeError)])
def test_leaky_relu_rejects_invalid_slopes(slope, error):
    with pytest.raises(error, match="slope"):
        nnmath.LeakyReLU(slope)


def test_leaky_relu_names():
    assert nnmath.leaky_relu.name == "leaky_relu"
    assert nnmath.LeakyReLU(0.2).name == "leaky_relu(slope=0.2)"


# --- softmax ----------------------------------------------------------------------
def _reference_softmax(z):
    """exp(z)/sum exp(z) with no shift: fine for the moderate logits it is used on."""
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)


logit_matrices = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(1, 6)),
    elements=st.floats(-100, 100),
)


@settings(max_examples=100, deadline=None)
@given(z=logit_matrices)
def test_softmax_rows_are_distributions(z):
    p = nnmath.softmax(z)
    assert p.shape == z.shape
    assert np.all(p >= 0)
    # Each row sums to 1 up to the rounding of <= 6 terms: 1e-14 is generous.
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-14)


@settings(max_examples=100, deadline=None)
@given(z=logit_matrices, c=st.floats(-100, 100))
def test_softmax_is_invariant_to_adding_a_constant(z, c):
    # Rounding z + c perturbs each logit by <= 2.9e-14 (half an ulp of 200), which
    # changes p by that relative amount; atol 1e-12 leaves room for the sum.
    np.testing.assert_allclose(nnmath.softmax(z + c), nnmath.softmax(z), rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(z=hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=st.floats(-30, 30)))
def test_softmax_matches_the_unshifted_formula_for_moderate_logits(z):
    # Both compute exp and a normalising sum; they differ by a few ulps only.
    np.testing.assert_allclose(nnmath.softmax(z), _reference_softmax(z), rtol=1e-13, atol=1e-300)


def test_softmax_works_over_the_last_axis_of_a_matrix(rng):
    z = rng.normal(size=(4, 3))
    p = nnmath.softmax(z)
    for i in range(4):
        # the same operations on the same row: equal to the last ulp or two
        np.testing.assert_allclose(p[i], nnmath.softmax(z[i]), rtol=1e-15)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-15)


def test_softmax_of_huge_logits_is_finite_and_correct():
    """[1000, 1000, 999] gives [1, 1, 1/e] / (2 + 1/e), without overflow or warnings."""
    with NoWarnings() as w:
        p = nnmath.softmax([1000.0, 1000.0, 999.0])
    assert w.messages == []
    expected = np.array([1.0, 1.0, math.exp(-1.0)]) / (2.0 + math.exp(-1.0))
    np.testing.assert_allclose(p, expected, rtol=1e-15)


def test_softmax_handles_logits_spread_wider_than_the_float_range():
    """Finite logits 1e308 and -1e308: p = [1, 0]; shifting by the max must not warn."""
    with NoWarnings() as w:
        p = nnmath.softmax([1e308, -1e308])
    assert w.messages == [], w.messages
    # exact: the true p_2 = exp(-2e308) underflows to 0, p_1 = 1
    np.testing.assert_array_equal(p, [1.0, 0.0])


@pytest.mark.parametrize("bad", [[[[1.0]]], [], 5.0])
def test_softmax_rejects_wrong_dimensions_and_empty(bad):
    with pytest.raises(ValueError, match="z"):
        nnmath.softmax(bad)


@pytest.mark.parametrize("z", [[0.0, 0.0], [1.0, 2.0, 3.0], [-2.0, 0.5, 3.0, 1.0]])
def test_softmax_jacobian_equals_diag_p_minus_outer_p(z):
    p = _reference_softmax(z)
    # products of the same probabilities, computed in the same way: a few ulps
    np.testing.assert_allclose(nnmath.softmax_jacobian(z), np.diag(p) - np.outer(p, p), rtol=1e-13, atol=1e-16)


@settings(max_examples=40, deadline=None)
@given(z=hnp.arrays(np.float64, st.integers(1, 5), elements=st.floats(-10, 10)))
def test_softmax_jacobian_equals_finite_differences_of_softmax(z):
    numeric = nnmath.numerical_jacobian(nnmath.softmax, z)
    # Central differences with h ~ 6e-6: truncation h^2/6 |p'''| + round-off eps/h,
    # both below 1e-10 for probabilities; 1e-8 separates them from real errors.
    np.testing.assert_allclose(nnmath.softmax_jacobian(z), numeric, rtol=0, atol=1e-8)


def test_softmax_jacobian_rejects_a_matrix():
    with pytest.raises(ValueError, match="z"):
        nnmath.softmax_jacobian([[1.0, 2.0]])


# --- log_softmax --------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(z=logit_matrices.filter(lambda a: np.ptp(a, axis=-1).max() < 60))
def test_log_softmax_matches_log_of_softmax_where_that_is_safe(z):
    # With a logit spread < 60, p > e^-60 so log(softmax) loses nothing;
    # the two then differ by a few ulps of |log p| <= 62.
    np.testing.assert_allclose(nnmath.log_softmax(z), np.log(nnmath.softmax(z)), rtol=1e-12, atol=1e-13)


def test_log_softmax_is_finite_at_huge_logits():
    with NoWarnings() as w:
        out = nnmath.log_softmax([[0.0, 1000.0], [-1000.0, 1000.0]])
    assert w.messages == []
    # exact: log(1 + e^-1000) = 5e-435 rounds away; log(softmax) would give -inf here
    np.testing.assert_array_equal(out, [[-1000.0, 0.0], [-2000.0, 0.0]])


# --- lookup ------------------------------------------------------------------------
@activation_names
def test_get_activation_by_name_and_passthrough(name):
    f = ELEMENTWISE[name]
    assert nnmath.get_activation(f) is f
    if name in nnmath.ACTIVATIONS:
        assert nnmath.get_activation(name) is nnmath.ACTIVATIONS[name]


def test_get_activation_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        nnmath.get_activation("swish")
    message = str(info.value)
    assert "swish" in message
    for valid in ("sigmoid", "tanh", "relu", "leaky_relu", "identity"):
        assert repr(valid) in message


def test_get_activation_non_string_is_a_type_error_listing_names():
    with pytest.raises(TypeError, match="sigmoid"):
        nnmath.get_activation(3)


def test_heaviside_is_a_step_with_zero_derivative_and_a_matching_formula():
    """H(z) = 1 for z > 0, else 0 (H(0) = 0); H' = 0 away from 0, as SymPy's derivative of the formula."""
    import sympy

    z = np.array([-3.0, -1e-300, 0.0, 1e-300, 2.0])
    np.testing.assert_array_equal(nnmath.heaviside(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(nnmath.heaviside.derivative(z), np.zeros(5))
    s = sympy.Symbol("z", real=True)
    formula = nnmath.heaviside.formula(s)
    assert [formula.subs(s, v) for v in (-2, 0, 3)] == [0, 0, 1]
    assert all(sympy.diff(formula, s).subs(s, v) == 0 for v in (-2, 3))
    assert "heaviside" not in nnmath.ACTIVATIONS  # gradient learning cannot use it


# --- the one softmax computation: probabilities and their log ------------------------------------
@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 40)),
                  elements=st.floats(-1e3, 1e3, allow_nan=False)))
def test_softmax_log_softmax_and_the_output_layer_share_one_computation(z):
    from nnmath.activations import SOFTMAX, _softmax_and_log

    p, log_p = _softmax_and_log(z)
    # The output layer, softmax and log_softmax are this one computation: the same bits.
    np.testing.assert_array_equal(SOFTMAX._value(z), p)
    np.testing.assert_array_equal(nnmath.softmax(z), p)
    np.testing.assert_array_equal(nnmath.log_softmax(z), log_p)
    # Rows are distributions (to a few ulps of rounding in the sum).
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-13)
    finite = p > 1e-300  # log of an underflowed probability is finite here, log(0) would not be
    np.testing.assert_allclose(log_p[finite], np.log(p[finite]), rtol=1e-12, atol=1e-12)
    assert np.all(np.isfinite(log_p))


def test_network_softmax_on_large_logits_is_finite_and_exact():
    from nnmath.activations import _softmax_and_log

    p, log_p = _softmax_and_log(np.array([[1000.0, 1000.0, -1000.0], [0.0, 800.0, 1e300]]))
    np.testing.assert_array_equal(p[0, :2], [0.5, 0.5])
    assert p[0, 2] == 0.0 and log_p[0, 2] == pytest.approx(-2000 - math.log(2))
    np.testing.assert_array_equal(p[1], [0.0, 0.0, 1.0])
    assert log_p[1, 2] == 0.0 and log_p[1, 0] == -1e300


# --- the chain rule through the output layers -------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-5, 5)),
       hnp.arrays(np.float64, (3, 4), elements=st.floats(-5, 5)))
def test_softmax_backward_is_the_gradient_of_g_dot_softmax(z, g):
    """SOFTMAX.backward(z, g) is the gradient of sum(g * softmax(z)) with respect to z, by central differences."""
    from nnmath.activations import SOFTMAX

    def f(flat):
        return np.sum(g * _reference_softmax(flat.reshape(z.shape)))

    numeric = central_difference_gradient(f, z.ravel()).reshape(z.shape)
    # central differences of a function of size |g| <= 5 with h = 6e-6: error well below 1e-8
    np.testing.assert_allclose(SOFTMAX.backward(z, g), numeric, rtol=0, atol=1e-8)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
def test_an_elementwise_backward_multiplies_by_the_derivative(name, rng):
    g = nnmath.ACTIVATIONS[name]
    z, upstream = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    # the chain rule for a = g(z) entry by entry; the derivative itself is checked against SymPy above
    np.testing.assert_array_equal(g.backward(z, upstream), upstream * g.derivative(z))
