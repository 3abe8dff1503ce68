"""Momentum, Nesterov, RMSProp, Adam and the numerical Hessian.

References, all independent of nnmath's update code: first steps computed by
hand from the update rules (as ``torch.optim`` documents them); the iteration
matrices of heavy ball and Nesterov on one curvature, built and raised to
powers in SymPy; the closed-form contraction factors of gradient descent and
Polyak's heavy ball on a quadratic; SymPy's Hessian.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import nnmath
from conftest import NoWarnings, central_difference


def grad_x2(x):
    """f(x) = x^2, f'(x) = 2x, written here."""
    return 2.0 * x


# --- first steps by hand -----------------------------------------------------------------
def test_heavy_ball_first_steps_by_hand():
    # eta = 0.1, beta = 0.9 from x0 = 1: v1 = 2, x1 = 0.8; v2 = 0.9*2 + 1.6 = 3.4, x2 = 0.46;
    # v3 = 0.9*3.4 + 0.92 = 3.98, x3 = 0.062.
    path = nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, momentum=0.9)
    np.testing.assert_allclose(path, [1.0, 0.8, 0.46, 0.062], rtol=1e-13)  # a few roundings of 1e-16


def test_nesterov_first_steps_by_hand():
    # v1 = 2, x1 = 1 - 0.1*(2 + 0.9*2) = 0.62; g1 = 1.24, v2 = 1.8 + 1.24 = 3.04,
    # x2 = 0.62 - 0.1*(1.24 + 0.9*3.04) = 0.2224.
    path = nnmath.gradient_descent(grad_x2, 1.0, 0.1, 2, momentum=0.9, nesterov=True)
    np.testing.assert_allclose(path, [1.0, 0.62, 0.2224], rtol=1e-13)


def test_momentum_zero_is_plain_gradient_descent():
    plain = nnmath.gradient_descent(grad_x2, [1.0, -2.0], 0.3, 20)
    np.testing.assert_array_equal(nnmath.gradient_descent(grad_x2, [1.0, -2.0], 0.3, 20, momentum=0.0), plain)
    np.testing.assert_allclose(plain[:, 0], 0.4 ** np.arange(21), rtol=1e-12)  # x_k = (1 - 2 eta)^k


def test_rmsprop_first_steps_by_hand():
    # alpha = 0.75: s1 = 0.25*4 = 1, x1 = 1 - 0.1*2/1 = 0.8; g1 = 1.6, s2 = 0.75 + 0.25*2.56 = 1.39,
    # x2 = 0.8 - 0.1*1.6/sqrt(1.39).
    path = nnmath.rmsprop(grad_x2, 1.0, 0.1, 2, alpha=0.75, eps=1e-8)
    # With eps = 1e-8 the same numbers move by about 1e-9, so they are carried exactly:
    x1 = 1.0 - 0.1 * 2.0 / (1.0 + 1e-8)
    s2 = 0.75 * 1.0 + 0.25 * (2 * x1) ** 2
    x2 = x1 - 0.1 * 2 * x1 / (np.sqrt(s2) + 1e-8)
    np.testing.assert_allclose([x1, s2], [0.8, 1.39], rtol=1e-8)
    np.testing.assert_allclose(path, [1.0, x1, x2], rtol=1e-13)  # a few roundings


def test_adam_first_steps_by_hand():
    # Step 1: m1 = 0.1 g, s1 = 0.001 g^2; corrected: g and g^2, so x1 = x0 - eta g / (|g| + eps).
    # Step 2 from x1 = 0.9: g1 = 1.8, m2 = 0.09*2 + 0.1*1.8 = 0.36, s2 = 0.999*0.004 + 0.001*3.24.
    path = nnmath.adam(grad_x2, [1.0, -4.0], 0.1, 2)
    x1 = 1.0 - 0.1 * 2 / (2 + 1e-8)                          # 0.9, less 5e-10 for eps
    m2, s2 = 0.9 * 0.1 * 2 + 0.1 * 2 * x1, 0.999 * 0.001 * 4 + 0.001 * (2 * x1) ** 2
    x2 = x1 - 0.1 * (m2 / (1 - 0.9**2)) / (np.sqrt(s2 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(path[1], [1.0 - 0.1 * 2 / (2 + 1e-8), -4.0 + 0.1 * 8 / (8 + 1e-8)], rtol=1e-13)
    np.testing.assert_allclose(path[2, 0], x2, rtol=1e-12)  # sqrt(s)/sqrt(1-b2^t) vs sqrt(s/(1-b2^t))


# --- closed-form rates on a quadratic --------------------------------------------------------
def test_best_fixed_step_contracts_by_kappa_minus_one_over_kappa_plus_one():
    lam = np.array([2.0, 20.0])                               # curvatures of f = v1^2 + 10 v2^2
    kappa = lam.max() / lam.min()
    eta = 2 / (lam.min() + lam.max())
    path = nnmath.gradient_descent(lambda v: lam * v, [1.0, 1.0], eta, 30)
    ratio = np.linalg.norm(path[1:], axis=1) / np.linalg.norm(path[:-1], axis=1)
    # Both coordinates are multiplied by +-(kappa - 1)/(kappa + 1) at every step.
    np.testing.assert_allclose(ratio, (kappa - 1) / (kappa + 1), rtol=1e-12)


def test_gradient_descent_diverges_just_above_two_over_lambda_max():
    lam = np.array([2.0, 20.0])
    below = nnmath.gradient_descent(lambda v: lam * v, [1.0, 1.0], 0.99 * 2 / 20, 2000)
    assert np.linalg.norm(below[-1]) < 1e-3
    with pytest.raises(nnmath.DivergenceError):
        nnmath.gradient_descent(lambda v: lam * v, [1.0, 1.0], 1.01 * 2 / 20, 100000)


b, e, l = sp.symbols("beta eta lambda", positive=True)
# Heavy ball on f = lambda x^2 / 2, state (x_k, x_{k-1}): x_{k+1} = (1 + beta - eta lambda) x_k - beta x_{k-1}.
HEAVY_BALL = sp.Matrix([[1 + b - e * l, -b], [1, 0]])
# Nesterov (PyTorch form), state (x_k, v_k): v_{k+1} = beta v_k + lambda x_k,
# x_{k+1} = x_k - eta (lambda x_k + beta v_{k+1}).
NESTEROV = sp.Matrix([[1 - e * l - e * b * l, -e * b**2], [l, b]])


@pytest.mark.parametrize("beta, eta, lam", [(0.9, 0.1, 2.0), (0.5, 0.3, 5.0), (0.3, 0.02, 40.0)])
def test_heavy_ball_iterates_are_powers_of_the_sympy_iteration_matrix(beta, eta, lam):
    path = nnmath.gradient_descent(lambda x: lam * x, 1.0, eta, 25, momentum=beta)
    M = HEAVY_BALL.subs({b: sp.Rational(str(beta)), e: sp.Rational(str(eta)), l: sp.Rational(str(lam))})
    start = sp.Matrix([path[1], path[0]])                     # x_1 = x_0 - eta lambda x_0 starts the recursion
    for k in (1, 5, 24):
        want = M**k * start
        np.testing.assert_allclose(path[k + 1], float(want[0]), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("beta, eta, lam", [(0.9, 0.1, 2.0), (0.5, 0.3, 5.0)])
def test_nesterov_iterates_are_powers_of_the_sympy_iteration_matrix(beta, eta, lam):
    path = nnmath.gradient_descent(lambda x: lam * x, 1.0, eta, 20, momentum=beta, nesterov=True)
    M = NESTEROV.subs({b: sp.Rational(str(beta)), e: sp.Rational(str(eta)), l: sp.Rational(str(lam))})
    for k in (1, 7, 20):
        want = M**k * sp.Matrix([1, 0])                     # v_0 = 0
        np.testing.assert_allclose(path[k], float(want[0]), rtol=1e-9, atol=1e-14)


def test_heavy_ball_stability_region_is_eta_lambda_below_two_one_plus_beta():
    # The roots of the characteristic polynomial have modulus 1 on the boundary eta lambda = 2(1 + beta).
    mu = sp.symbols("mu")
    boundary = HEAVY_BALL.subs(e * l, 2 * (1 + b)).charpoly(mu).as_expr()
    assert sp.simplify(boundary.subs(mu, -1)) == 0
    lam, beta = 10.0, 0.6
    inside = nnmath.gradient_descent(lambda x: lam * x, 1.0, 0.98 * 2 * (1 + beta) / lam, 3000, momentum=beta)
    assert abs(inside[-1]) < 1e-6
    with pytest.raises(nnmath.DivergenceError):
        nnmath.gradient_descent(lambda x: lam * x, 1.0, 1.02 * 2 * (1 + beta) / lam, 200000, momentum=beta)


def test_polyak_parameters_give_rate_sqrt_kappa():
    lo, hi = sp.Rational(2), sp.Rational(50)
    kappa = hi / lo
    beta = ((sp.sqrt(kappa) - 1) / (sp.sqrt(kappa) + 1)) ** 2
    eta = (2 / (sp.sqrt(lo) + sp.sqrt(hi))) ** 2
    rate = (sp.sqrt(kappa) - 1) / (sp.sqrt(kappa) + 1)
    for lam in (lo, sp.Rational(7), hi):
        moduli = [abs(complex(m)) for m in HEAVY_BALL.subs({b: beta, e: eta, l: lam}).eigenvals()]
        np.testing.assert_allclose(moduli, float(rate), rtol=1e-12)
    # On numbers: after many steps the distance shrinks by about `rate` per step (a k r^k
    # envelope at the double roots, so the k-th root carries a k^(1/k) factor: 2% at k = 400).
    lam = np.array([2.0, 50.0])
    path = nnmath.gradient_descent(lambda v: lam * v, [1.0, 1.0], float(eta), 400, momentum=float(beta))
    observed = (np.linalg.norm(path[-1]) / np.linalg.norm(path[0])) ** (1 / 400)
    np.testing.assert_allclose(observed, float(rate), rtol=0.03)


# --- adaptive steps ---------------------------------------------------------------------
def test_adam_bias_correction_makes_the_average_unbiased(rng):
    # E[m_t] = (1 - beta1^t) E[g] for gradients with a constant mean.
    beta1, t, mean = 0.9, 5, 3.0
    g = mean + rng.normal(size=(20000, t))
    m = np.zeros(20000)
    for k in range(t):
        m = beta1 * m + (1 - beta1) * g[:, k]
    # The standard error of the mean of m is about 0.4/sqrt(20000) = 3e-3.
    np.testing.assert_allclose(m.mean(), (1 - beta1**t) * mean, atol=0.015)


def test_rmsprop_and_adam_are_scale_free_per_coordinate():
    # Scaling one coordinate's gradient by 1000 leaves Adam's first step unchanged (up to eps).
    path = nnmath.adam(lambda v: np.array([1.0, 1000.0]) * v, [1.0, 1.0], 0.01, 1)
    np.testing.assert_allclose(path[1], [0.99, 0.99], rtol=1e-9)


# --- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, momentum=1.0), "momentum must be in"),
    (lambda: nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, momentum=-0.1), "momentum must be in"),
    (lambda: nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, nesterov=True), "nesterov=True needs momentum"),
    (lambda: nnmath.adam(grad_x2, 1.0, 0.1, 3, beta1=1.0), "beta1 must be in"),
    (lambda: nnmath.adam(grad_x2, 1.0, 0.1, 3, beta2=-0.5), "beta2 must be in"),
    (lambda: nnmath.adam(grad_x2, 1.0, 0.1, 3, eps=0.0), "eps must be greater than 0"),
    (lambda: nnmath.rmsprop(grad_x2, 1.0, 0.1, 3, alpha=1.5), "alpha must be in"),
    (lambda: nnmath.rmsprop(grad_x2, 1.0, 0.1, 3, eps=-1.0), "eps must be greater than 0"),
    (lambda: nnmath.adam(lambda v: v[:1], [1.0, 2.0], 0.1, 3), "gradient must return an array shaped like x0"),
    (lambda: nnmath.rmsprop(lambda v: 1.0, [1.0, 2.0], 0.1, 3), "gradient must return an array shaped like x0"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_types_raise_type_errors():
    with pytest.raises(TypeError, match="momentum must be a real number"):
        nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, momentum="0.9")
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        nnmath.gradient_descent(grad_x2, 1.0, 0.1, 3, momentum=0.9, nesterov="yes")


@pytest.mark.parametrize("run", [
    lambda: nnmath.gradient_descent(grad_x2, 1.0, 2.5, 10**6, momentum=0.9),  # eta lambda = 5 > 2(1 + beta)
    lambda: nnmath.gradient_descent(grad_x2, 1.0, 1.5, 10**6, momentum=0.9, nesterov=True),
    lambda: nnmath.adam(lambda x: -np.ones_like(x), 1.0, 1e308, 10),  # steps of about eta overflow
    lambda: nnmath.rmsprop(lambda x: -np.exp(np.abs(x)), 1.0, 100.0, 10**6),
])
def test_divergence_raises_without_warnings_or_nan(run):
    with NoWarnings() as caught, pytest.raises(nnmath.DivergenceError) as info:
        run()
    assert caught.messages == []
    assert np.all(np.isfinite(info.value.trajectory))


# --- the Hessian --------------------------------------------------------------------------
def test_numerical_hessian_matches_sympy():
    x, y = sp.symbols("x y")
    f = x**2 * y + sp.sin(x * y) + sp.exp(y) / 3
    grad = sp.lambdify([(x, y)], [sp.diff(f, x), sp.diff(f, y)])
    H = sp.lambdify([(x, y)], sp.hessian(f, (x, y)))
    point = np.array([0.7, -0.4])
    # Central differences of an exact gradient: truncation h^2 |f''''| ~ 4e-11, round-off eps|g|/h ~ 1e-10.
    np.testing.assert_allclose(nnmath.numerical_hessian(lambda v: np.array(grad(v)), point),
                               np.array(H(point), dtype=float), rtol=1e-7, atol=1e-8)


def test_numerical_hessian_agrees_with_a_finite_difference_of_the_function():
    f = lambda v: v[0] ** 4 + 3 * v[0] * v[1]
    grad = lambda v: np.array([4 * v[0] ** 3 + 3 * v[1], 3 * v[0]])
    # d2f/dx2 by an independent second difference of f: (f(x+h) - 2f(x) + f(x-h))/h^2, error ~1e-5 at h = 1e-4.
    point, h = np.array([1.2, 0.5]), 1e-4
    second = (f(point + [h, 0]) - 2 * f(point) + f(point - [h, 0])) / h**2
    np.testing.assert_allclose(nnmath.numerical_hessian(grad, point)[0, 0], second, rtol=1e-5)
    np.testing.assert_allclose(nnmath.numerical_hessian(grad, point)[0, 1],
                               central_difference(lambda t: grad(np.array([1.2, t]))[0], 0.5), rtol=1e-8)


def test_check_hessian_passes_right_and_fails_wrong():
    bowl = nnmath.QuadraticBowl([1.0, 10.0])
    assert nnmath.check_hessian(bowl.gradient, lambda v: np.diag(bowl.curvatures), [0.3, -0.2]).passed
    with pytest.raises(nnmath.GradientCheckError):
        nnmath.check_hessian(bowl.gradient, lambda v: np.diag(bowl.coefficients), [0.3, -0.2])
    with pytest.raises(ValueError, match="hessian must return an array of shape"):
        nnmath.check_hessian(bowl.gradient, lambda v: np.ones(2), [0.3, -0.2])
    with pytest.raises(ValueError, match="gradient must return an array shaped like x"):
        nnmath.numerical_hessian(lambda v: v[:1], [0.3, -0.2])


# --- training with an optimiser ---------------------------------------------------------------
def _line_problem():
    X = np.array([[0.0], [1.0], [2.0]])
    return X, 2 * X + 1


def _line_gradient(X, T):
    """The gradient of the loss of y = w x + b in theta = (w, b), by central differences written here."""
    def loss(theta):
        return nnmath.mse(theta[0] * X + theta[1], T)

    def gradient(theta):
        return np.array([central_difference(lambda w: loss(np.array([w, theta[1]])), theta[0]),
                         central_difference(lambda c: loss(np.array([theta[0], c])), theta[1])])
    return gradient


@pytest.mark.parametrize("optimizer", [nnmath.SGD(momentum=0.9), nnmath.SGD(momentum=0.5, nesterov=True),
                                       "rmsprop", "adam"])
def test_train_with_an_optimiser_follows_the_same_iterates(optimizer):
    X, T = _line_problem()
    net = nnmath.MLP([1, 1], ["identity"], rng=0)
    theta0 = np.array([net.weights[0][0, 0], net.biases[0][0]])
    nnmath.train(net, X, T, "mse", 0.05, 30, optimizer=optimizer)
    rule = nnmath.get_optimizer(optimizer)
    runner = {"sgd": lambda g: nnmath.gradient_descent(g, theta0, 0.05, 30, momentum=rule.momentum,
                                                       nesterov=rule.nesterov),
              "rmsprop": lambda g: nnmath.rmsprop(g, theta0, 0.05, 30),
              "adam": lambda g: nnmath.adam(g, theta0, 0.05, 30)}[rule.name]
    path = runner(_line_gradient(X, T))
    # The finite-difference gradient is accurate to ~1e-10; 30 steps keep the drift far below 1e-6.
    np.testing.assert_allclose([net.weights[0][0, 0], net.biases[0][0]], path[-1], rtol=1e-6, atol=1e-8)


def test_train_default_optimizer_is_plain_descent_and_names_are_checked():
    X, T = _line_problem()
    a, c = nnmath.MLP([1, 1], ["identity"], rng=0), nnmath.MLP([1, 1], ["identity"], rng=0)
    nnmath.train(a, X, T, "mse", 0.1, 20)
    nnmath.train(c, X, T, "mse", 0.1, 20, optimizer=nnmath.SGD())
    np.testing.assert_array_equal(a.weights[0], c.weights[0])
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        nnmath.train(a, X, T, "mse", 0.1, 20, optimizer="lbfgs")


# --- the momentum widget -------------------------------------------------------------------
def test_descent_frame_with_momentum_uses_the_heavy_ball_threshold():
    from nnmath.widgets import descent_frame

    bowl = nnmath.QuadraticBowl([0.5, 10.0])            # plain threshold 2 / 20 = 0.1
    plain, heavy = descent_frame(bowl, 0.12, 60), descent_frame(bowl, 0.12, 60, momentum=0.8)
    assert plain.status == "diverged" and heavy.status == "converged"   # 0.12 < (1 + 0.8) * 0.1
    assert heavy.threshold == pytest.approx(0.18, rel=1e-12)
    assert "β = 0.8" in heavy.label and "momentum β = 0.8" in heavy.alt
    np.testing.assert_array_equal(
        heavy.trajectory, nnmath.gradient_descent(bowl.gradient, [-2.0, 1.0], 0.12, 60, momentum=0.8))
    with pytest.raises(ValueError, match="momentum must be in"):
        descent_frame(bowl, 0.12, momentum=1.0)


def test_static_momentum_widget_links_both_sliders_to_a_grid_of_frames():
    from nnmath.widgets import momentum_widget

    bowl = nnmath.QuadraticBowl([0.5, 10.0])
    widget = momentum_widget(bowl, learning_rates=[0.05, 0.15], momenta=[0.0, 0.6, 0.9], dpi=30)
    assert list(widget.controls) == ["learning_rate", "momentum"]
    assert [[f.momentum for f in row] for row in widget.frames] == [[0.0, 0.6, 0.9]] * 2
    assert len(widget.display.children) == 2 and all(len(r.children) == 3 for r in widget.display.children)
    # One link from the rate slider to the outer stack, one from beta to each inner stack.
    assert len(widget.links) == 1 + 2
    for row, stack in zip(widget.frames, widget.display.children):
        for frame, page in zip(row, stack.children):
            assert page.value.startswith('<img alt="Gradient descent on') and f"η = {frame.learning_rate:g}" in page.value


def test_live_momentum_widget_recomputes_on_either_slider():
    from nnmath.widgets import momentum_widget

    widget = momentum_widget(nnmath.QuadraticBowl([0.5, 10.0]), mode="live", dpi=30)
    widget.controls["learning_rate"].value = 0.12
    assert widget.frames.status == "diverged"
    widget.controls["momentum"].value = 0.8
    assert widget.frames.status == "converged" and widget.frames.momentum == 0.8


def test_momentum_widget_rejects_bad_momenta():
    from nnmath.widgets import momentum_widget

    bowl = nnmath.QuadraticBowl([0.5, 10.0])
    with pytest.raises(ValueError, match=r"momenta\[1\] must be in"):
        momentum_widget(bowl, momenta=[0.0, 1.0])
    with pytest.raises(ValueError, match="must not repeat"):
        momentum_widget(bowl, momenta=[0.5, 0.5])
    with pytest.raises(TypeError, match="momenta must be a list"):
        momentum_widget(bowl, momenta=0.5)


def test_a_momentum_frame_names_its_momentum_even_at_zero():
    """The momentum widget's picture at beta = 0 says so (a screen reader hears the value each
    slider shows); plain descent, with no momentum control, names none. Both are the same run."""
    from nnmath.widgets import descent_frame

    bowl = nnmath.QuadraticBowl([0.5, 10.0])
    plain, zero = descent_frame(bowl, 0.09, 60), descent_frame(bowl, 0.09, 60, momentum=0.0)
    assert "β" not in plain.alt and "β = 0 " in zero.alt
    np.testing.assert_array_equal(plain.trajectory, zero.trajectory)
    assert plain.status == zero.status
