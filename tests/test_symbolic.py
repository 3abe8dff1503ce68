"""SymPy derivations and verify(): results, step consistency, and failures that must fail."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import nnmath
import nnmath.symbolic as sym

X = sympy.Symbol("x", real=True)
Z = sympy.Symbol("z", real=True)

ACTIVATIONS = [nnmath.sigmoid, nnmath.tanh, nnmath.relu, nnmath.leaky_relu, nnmath.LeakyReLU(0.2), nnmath.identity]


def is_zero(expr) -> bool:
    return sympy.simplify(expr) == 0


# --- derivative from the limit definition --------------------------------------------------
def test_profit_derivative_from_the_limit_is_12_minus_4x():
    d = sym.derivative_from_limit(nnmath.profit)
    assert is_zero(d.result - (12 - 4 * X))


def test_every_step_of_the_limit_derivation_is_consistent():
    d = sym.derivative_from_limit(nnmath.profit)
    h = sympy.Symbol("h", real=True)
    assert [s.reason for s in d.steps][0] == "definition" and len(d.steps) == 5
    # step 0 is the limit itself: evaluating it gives the result
    assert isinstance(d.steps[0].expr, sympy.Limit)
    assert is_zero(d.steps[0].expr.doit() - d.result)
    # steps 1-3 (substitute, expand, cancel h) are the same function of x and h
    for before, after in zip(d.steps[1:3], d.steps[2:4]):
        assert is_zero(before.expr - after.expr)
    # the cancelled quotient is -4x - 2h + 12, a polynomial: at h = 0 it is the result
    assert is_zero(d.steps[3].expr - (12 - 4 * X - 2 * h))
    assert is_zero(d.steps[3].expr.subs(h, 0) - d.result)
    # and the result is SymPy's own derivative of the formula
    assert is_zero(d.result - sympy.diff(nnmath.profit.formula(X), X))


@pytest.mark.parametrize("function", [nnmath.quadratic(3.0), nnmath.sigmoid, nnmath.tanh])
def test_limit_derivation_agrees_with_diff_for_other_functions(function):
    d = sym.derivative_from_limit(function)
    assert is_zero(d.result - sympy.diff(function.formula(X), X))


def test_limit_derivation_of_an_expression_with_an_explicit_symbol():
    x = sympy.Symbol("x")
    d = sym.derivative_from_limit(-2 * x**2 + 12 * x - 10, x)
    assert is_zero(d.result - (12 - 4 * x))


def test_limit_derivation_of_an_expression_in_a_plain_symbol():
    """The docstring's own example input, -2x^2 + 12x - 10, built with sympy.Symbol("x").

    A reader's x is usually not real=True, so it is a different symbol from the
    default real variable; the derivative must still be 12 - 4x, not 0. (Any
    symbol called x in the result is identified with the reader's x.)
    """
    x = sympy.Symbol("x")
    d = sym.derivative_from_limit(-2 * x**2 + 12 * x - 10)
    result = d.result.subs({s: x for s in d.result.free_symbols if s.name == "x"})
    assert is_zero(result - (12 - 4 * x)), f"got {d.result}"


def test_profit_function_value_derivative_and_formula_agree():
    """P(x) = -2x^2 + 12x - 10, P'(x) = 12 - 4x, maximum P(3) = 8."""
    assert is_zero(nnmath.profit.formula(X) - (-2 * X**2 + 12 * X - 10))
    grid = np.linspace(-2.0, 8.0, 41)  # quarter steps: every value below is exact in binary
    np.testing.assert_array_equal(nnmath.profit(grid), -2 * grid**2 + 12 * grid - 10)
    np.testing.assert_array_equal(nnmath.profit.derivative(grid), 12 - 4 * grid)
    assert sympy.solve(sympy.diff(nnmath.profit.formula(X), X), X) == [3]
    assert nnmath.profit(3.0) == 8.0 and nnmath.profit.derivative(3.0) == 0.0


# --- activation derivatives --------------------------------------------------------------
@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.name)
def test_activation_derivative_equals_diff_of_the_formula(activation):
    d = sym.activation_derivative(activation)
    assert is_zero(sympy.piecewise_fold(d.result - sympy.diff(activation.formula(Z), Z)))


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.name)
def test_activation_derivative_passes_verify_against_the_numeric_code(activation):
    report = sym.verify(sym.activation_derivative(activation), Z, activation, activation.derivative)
    assert report.passed and report.n_points == 200


def test_sigmoid_and_tanh_end_in_textbook_form():
    s = 1 / (1 + sympy.exp(-Z))
    sigmoid = sym.activation_derivative(nnmath.sigmoid)
    assert is_zero(sigmoid.result - s * (1 - s))
    assert r"\sigma(z)\,(1 - \sigma(z))" in sigmoid.steps[-1].latex
    tanh = sym.activation_derivative(nnmath.tanh)
    assert is_zero(tanh.result - (1 - sympy.tanh(Z) ** 2))


@pytest.mark.parametrize("activation, slope", [(nnmath.relu, 0), (nnmath.leaky_relu, sympy.Rational(1, 100)),
                                                (nnmath.LeakyReLU(0.2), sympy.Rational(1, 5))])
def test_kinked_derivatives_are_piecewise_with_the_left_slope_at_zero(activation, slope):
    result = sym.activation_derivative(activation).result
    assert result.subs(Z, 0) == slope  # exact rationals
    assert result.subs(Z, -3) == slope and result.subs(Z, 2) == 1


# --- softmax --------------------------------------------------------------------------------
def _softmax_symbols(z):
    denominator = sum(sympy.exp(zi) for zi in z)
    return sympy.Matrix([sympy.exp(zi) / denominator for zi in z])


@pytest.mark.parametrize("n", [2, 3, 4])
def test_symbolic_softmax_jacobian_is_diag_p_minus_p_p_transpose(n):
    z, J, d = sym.softmax_jacobian_derivation(n)
    assert z.shape == (n, 1) and J.shape == (n, n)
    p = _softmax_symbols(list(z))
    # exactly: J equals SymPy's own Jacobian of softmax and diag(p) - p p^T
    assert sympy.simplify(J - p.jacobian(z)) == sympy.zeros(n, n)
    assert sympy.simplify(J - (sympy.diag(*p) - p * p.T)) == sympy.zeros(n, n)
    # numerically, at a random point, it equals the package's numeric Jacobian
    values = np.random.default_rng(n).normal(size=n)
    numeric = np.array(sympy.lambdify(list(z), J, "numpy")(*values), dtype=float)
    # two evaluations of the same closed form: a few ulps
    np.testing.assert_allclose(numeric, nnmath.softmax_jacobian(values), rtol=1e-12, atol=1e-15)
    assert len(d.steps) == 2


@pytest.mark.parametrize("n", [2, 3, 4])
def test_symbolic_softmax_cross_entropy_gradient_is_p_minus_t(n):
    z, t, gradient, d = sym.softmax_cross_entropy_gradient(n)
    p = _softmax_symbols(list(z))
    assert sympy.simplify(gradient - (p - t)) == sympy.zeros(n, 1)
    # The raw derivative (before using sum t = 1) equals p - t once the targets are a
    # distribution: check at a one-hot target and random logits, against nnmath.
    raw = d.steps[0].expr
    rng = np.random.default_rng(n)
    logits = rng.normal(size=n)
    target = np.zeros(n)
    target[rng.integers(n)] = 1.0
    at = dict(zip(list(z) + list(t), list(logits) + list(target)))
    raw_values = np.array(raw.subs(at).evalf(), dtype=float).ravel()
    expected = nnmath.cross_entropy.gradient_logits(logits.reshape(1, -1), target.reshape(1, -1)).ravel()
    # 15-digit evalf against float64 softmax: a few ulps
    np.testing.assert_allclose(raw_values, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n", [1, 2.5])
def test_softmax_derivations_reject_bad_class_counts(n):
    with pytest.raises((ValueError, TypeError), match="n_classes"):
        sym.softmax_jacobian_derivation(n)
    with pytest.raises((ValueError, TypeError), match="n_classes"):
        sym.softmax_cross_entropy_gradient(n)


# --- verify --------------------------------------------------------------------------------
SIGMOID_DERIVATIVE = sympy.diff(nnmath.sigmoid.formula(Z), Z)


def test_verify_passes_a_correct_derivative_and_reports_what_it_compared():
    report = sym.verify(SIGMOID_DERIVATIVE, Z, nnmath.sigmoid, nnmath.sigmoid.derivative)
    assert report.passed
    assert report.n_points == 200
    assert set(report.differences) == {"SymPy vs nnmath", "SymPy vs finite difference", "nnmath vs finite difference"}
    assert report.differences["SymPy vs nnmath"] <= 1e-12
    assert "checked at 200 points" in str(report)


def test_verify_without_numeric_code_compares_sympy_with_finite_differences_only():
    report = sym.verify(SIGMOID_DERIVATIVE, Z, nnmath.sigmoid, points=np.linspace(-3, 3, 7))
    assert report.passed and report.n_points == 7
    assert set(report.differences) == {"SymPy vs finite difference"}


def test_verify_fails_when_the_numeric_derivative_is_wrong():
    """sigma passed where sigma' belongs must raise, carrying the failed report."""
    with pytest.raises(sym.VerificationError, match="SymPy vs nnmath") as info:
        sym.verify(SIGMOID_DERIVATIVE, Z, nnmath.sigmoid, nnmath.sigmoid)
    assert info.value.report is not None and not info.value.report.passed


def test_verify_fails_when_the_symbolic_derivative_is_wrong():
    wrong = nnmath.sigmoid.formula(Z)  # sigma instead of sigma'
    with pytest.raises(sym.VerificationError):
        sym.verify(wrong, Z, nnmath.sigmoid, nnmath.sigmoid.derivative)


def test_verify_fails_for_the_derivative_of_a_different_function():
    """Finite differences of tanh do not match the sigmoid's derivative."""
    with pytest.raises(sym.VerificationError, match="finite difference"):
        sym.verify(SIGMOID_DERIVATIVE, Z, nnmath.tanh)


def test_verify_catches_a_small_but_real_error():
    """A derivative off by 1e-4 (far above finite-difference error ~1e-11) is caught."""
    with pytest.raises(sym.VerificationError):
        sym.verify(SIGMOID_DERIVATIVE + sympy.Rational(1, 10_000), Z, nnmath.sigmoid)


def test_verify_a_gradient_of_several_variables_at_explicit_points():
    x, y = sympy.symbols("x y", real=True)
    f = x**2 * y + sympy.sin(y)
    gradient = [sympy.diff(f, x), sympy.diff(f, y)]
    points = np.random.default_rng(0).uniform(-2, 2, size=(6, 2))
    report = sym.verify(
        gradient,
        [x, y],
        lambda v: v[0] ** 2 * v[1] + np.sin(v[1]),
        lambda v: np.array([2 * v[0] * v[1], v[0] ** 2 + np.cos(v[1])]),
        points,
    )
    assert report.passed and report.n_points == 6


def test_verify_a_jacobian_softmax():
    z, J, _ = sym.softmax_jacobian_derivation(3)
    points = np.random.default_rng(1).normal(size=(5, 3))
    report = sym.verify(J, list(z), nnmath.softmax, nnmath.softmax_jacobian, points)
    assert report.passed and report.n_points == 5


def test_verify_fails_for_a_wrong_gradient_of_several_variables():
    x, y = sympy.symbols("x y", real=True)
    wrong = [2 * x * y, x**2]  # d/dy misses cos(y)
    with pytest.raises(sym.VerificationError):
        sym.verify(wrong, [x, y], lambda v: v[0] ** 2 * v[1] + np.sin(v[1]), points=[[0.5, 1.0], [1.0, -1.0]])


def test_verify_rejects_stray_symbols():
    a = sympy.Symbol("a")
    with pytest.raises(ValueError, match="'a'"):
        sym.verify(a * Z, Z, nnmath.identity)


def test_verify_requires_points_for_several_variables_and_checks_their_shape():
    x, y = sympy.symbols("x y", real=True)
    with pytest.raises(ValueError, match="points are required"):
        sym.verify([y, x], [x, y], lambda v: v[0] * v[1])
    with pytest.raises(ValueError, match=r"\(n_points, 2\)"):
        sym.verify([y, x], [x, y], lambda v: v[0] * v[1], points=[[1.0, 2.0, 3.0]])


def test_verify_rejects_non_symbols_and_non_callables():
    with pytest.raises(TypeError, match="variables"):
        sym.verify(Z, "z", nnmath.identity)
    with pytest.raises(TypeError, match="function"):
        sym.verify(Z, Z, "not callable")


# --- Derivation display and same() -----------------------------------------------------------------
def test_derivation_latex_and_text():
    d = sym.derivative_from_limit(nnmath.profit)
    latex = d._repr_latex_()
    assert latex.startswith("$$") and latex.endswith("$$")
    assert r"\begin{aligned}" in latex and r"\text{definition}" in latex
    assert "(definition)" in str(d) and str(d).count("\n") == 4  # one line per step
    assert repr(d).startswith("Derivation of P'(x)")


def test_same_decides_symbolic_equality():
    assert sym.same(sympy.sin(X) ** 2 + sympy.cos(X) ** 2, 1)
    assert not sym.same(X, X + 1)
    assert sym.same(sympy.Matrix([X, 2 * X]), sympy.Matrix([X, X + X]))
    assert not sym.same(sympy.Matrix([X, 2 * X]), sympy.Matrix([X, X]))
