"""Residual networks and batch normalisation (nnmath.deep) against independent references."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import nnmath
from conftest import central_difference_gradient
from nnmath.deep import ResidualMLP, batch_norm, batch_norm_backward
from nnmath.diagnostics import layer_gradient_norms


def flat_gradient(dW, db):
    return np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])


def residual_net(skip=1.0, seed=0):
    return ResidualMLP([3, 3, 3, 3, 2], ["tanh", "sigmoid", "tanh", "identity"], rng=seed, skip=skip)


# --- the residual network ----------------------------------------------------------------------

@pytest.mark.parametrize("skip", [1.0, 0.5, 0.0])
def test_residual_gradients_match_central_differences_of_the_loss(skip, rng):
    net = residual_net(skip)
    X, T = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    _, dW, db = net.loss_and_gradients(X, T, "mse")
    probe = net.copy()

    def f(theta):
        probe.set_parameters(theta)
        return probe.loss(X, T, "mse")

    numeric = central_difference_gradient(f, net.get_parameters())
    # Smooth activations and a loss of order 1: the central difference's truncation error is
    # about h^2 = 4e-11 times a third derivative of order 1, its round-off about 1e-16 / h.
    np.testing.assert_allclose(flat_gradient(dW, db), numeric, rtol=1e-6, atol=1e-8)


def test_without_the_identity_term_the_gradient_is_wrong(rng):
    """The same network's backward pass with the skip's share dropped disagrees with finite differences."""
    net = residual_net(1.0)
    X, T = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    trace = net.trace(X, T, "sse")
    # Backward without the identity term: dL/da^{l-1} = W^T delta^l only (a plain MLP's rule).
    g, W = net._functions, net.weights
    delta = trace.delta[4]
    grad_a = delta @ W[3]
    wrong = {4: delta.T @ trace.a[3]}
    for l in (3, 2, 1):
        delta = grad_a * g[l]._derivative(trace.z[l])
        grad_a = delta @ W[l - 1]
        wrong[l] = delta.T @ trace.a[l - 1]
    probe = net.copy()

    def f(w1):
        probe.weights[0] = w1.reshape(3, 3)
        return probe.loss(X, T, "sse")

    numeric = central_difference_gradient(f, net.weights[0].ravel()).reshape(3, 3)
    np.testing.assert_allclose(trace.weight_grads[1], numeric, rtol=1e-6, atol=1e-8)
    assert np.max(np.abs(wrong[1] - numeric)) > 1e-2


def test_skip_zero_is_the_plain_network(rng):
    X, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    residual = residual_net(0.0, seed=3)
    plain = nnmath.MLP([3, 3, 3, 3, 2], ["tanh", "sigmoid", "tanh", "identity"], rng=3)
    np.testing.assert_array_equal(residual.weights[1], plain.weights[1])
    np.testing.assert_array_equal(residual(X), plain(X))
    np.testing.assert_array_equal(layer_gradient_norms(residual, X, T, "mse"),
                                  layer_gradient_norms(plain, X, T, "mse"))


def test_residual_derivative_has_an_identity_term_in_sympy():
    """For a 2-unit tanh layer, SymPy's Jacobian of a^l = a^{l-1} + tanh(W a^{l-1} + b) is I + diag(g') W."""
    a = sp.Matrix(sp.symbols("a1 a2", real=True))
    W = sp.Matrix(2, 2, sp.symbols("w11 w12 w21 w22", real=True))
    b = sp.Matrix(sp.symbols("b1 b2", real=True))
    z = W * a + b
    out = a + z.applyfunc(sp.tanh)
    jacobian = out.jacobian(a)
    expected = sp.eye(2) + sp.diag(*[1 - sp.tanh(z_j) ** 2 for z_j in z]) * W
    assert sp.simplify(jacobian - expected) == sp.zeros(2, 2)


def test_residual_first_layer_gradient_matches_sympy():
    """dL/dW^1 of a small residual network against SymPy's derivative of the whole loss.

    W^1 reaches the loss through both skips, so a missing identity term changes this gradient.
    """
    net = ResidualMLP([2, 2, 2, 1], ["tanh", "tanh", "identity"], rng=1)
    W1 = sp.Matrix(2, 2, sp.symbols("w11 w12 w21 w22", real=True))
    W2, W3 = (sp.Matrix(w.tolist()) for w in net.weights[1:])
    b = [sp.Matrix(v.tolist()) for v in net.biases]
    a0 = sp.Matrix([[0.3], [-0.7]])
    a1 = a0 + (W1 * a0 + b[0]).applyfunc(sp.tanh)  # a^1 = a^0 + tanh(z^1)
    a2 = a1 + (W2 * a1 + b[1]).applyfunc(sp.tanh)  # a^2 = a^1 + tanh(z^2)
    loss = ((W3 * a2 + b[2])[0] - 0.2) ** 2 / 2
    point = dict(zip(W1, net.weights[0].ravel()))
    expected = np.array([float(sp.diff(loss, w).subs(point)) for w in W1]).reshape(2, 2)
    trace = net.trace([[0.3, -0.7]], [[0.2]], "sse")
    # The same float64 numbers on both sides: only rounding separates them.
    np.testing.assert_allclose(trace.weight_grads[1], expected, rtol=1e-10)


def test_residual_network_needs_a_layer_to_skip_and_a_finite_skip():
    with pytest.raises(ValueError, match="layer_sizes"):
        ResidualMLP([2, 3, 1], ["tanh", "identity"])
    with pytest.raises(ValueError, match="skip"):
        ResidualMLP([2, 2, 1], ["tanh", "identity"], skip=float("nan"))
    with pytest.raises(TypeError, match="skip"):
        ResidualMLP([2, 2, 1], ["tanh", "identity"], skip="one")


def test_residual_layers_are_the_hidden_layers_of_unchanged_width():
    net = ResidualMLP([2, 4, 4, 4, 4], ["relu"] * 3 + ["identity"], rng=0)
    assert net.residual_layers == (2, 3)
    assert repr(net).startswith("ResidualMLP(") and "skip=1.0" in repr(net)


# --- batch normalisation -----------------------------------------------------------------------

def test_batch_norm_standardises_every_unit_then_scales_and_shifts(rng):
    Z = rng.normal(3.0, 5.0, size=(50, 4))
    gamma, beta = np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 1.0, -2.0, 3.0])
    Y = batch_norm(Z, gamma, beta, eps=1e-12)
    # Mean and (population) variance of each column, written independently of the package.
    np.testing.assert_allclose(Y.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(Y.std(axis=0), np.abs(gamma), rtol=1e-9)


@pytest.mark.parametrize("shape", [(2, 1), (5, 3)])
def test_batch_norm_backward_matches_central_differences(shape, rng):
    Z = rng.normal(size=shape)
    gamma, beta = rng.normal(size=shape[1]), rng.normal(size=shape[1])
    weights = rng.normal(size=shape)  # L = sum(weights * y): dL/dy = weights

    def loss(Z_flat, g=gamma, b=beta):
        return float(np.sum(weights * batch_norm(Z_flat.reshape(shape), g, b)))

    dZ, dgamma, dbeta = batch_norm_backward(weights, Z, gamma)
    # Smooth function of order-1 inputs: central differences are good to about 1e-9 here.
    np.testing.assert_allclose(dZ.ravel(), central_difference_gradient(loss, Z.ravel()), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dgamma, central_difference_gradient(lambda g: loss(Z.ravel(), g=g), gamma),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dbeta, central_difference_gradient(lambda b: loss(Z.ravel(), b=b), beta),
                               rtol=1e-6, atol=1e-8)


def test_batch_norm_backward_matches_sympy_for_a_batch_of_three():
    z = sp.symbols("z1:4", real=True)
    gamma, beta, eps = sp.symbols("gamma beta epsilon", positive=True)
    c = sp.symbols("c1:4", real=True)  # dL/dy
    mu = sum(z) / 3
    var = sum((z_i - mu) ** 2 for z_i in z) / 3
    y = [gamma * (z_i - mu) / sp.sqrt(var + eps) + beta for z_i in z]
    loss = sum(c_i * y_i for c_i, y_i in zip(c, y))
    values = {z[0]: 0.4, z[1]: -1.3, z[2]: 2.2, gamma: 1.7, beta: 0.3, eps: 1e-3,
              c[0]: 0.5, c[1]: -2.0, c[2]: 1.1}
    expected = [float(sp.diff(loss, z_i).subs(values)) for z_i in z]
    dZ, dgamma, dbeta = batch_norm_backward([[0.5], [-2.0], [1.1]], [[0.4], [-1.3], [2.2]], 1.7, eps=1e-3)
    # Same float64 inputs on both sides: only rounding separates them.
    np.testing.assert_allclose(dZ.ravel(), expected, rtol=1e-10)
    np.testing.assert_allclose(dgamma, [float(sp.diff(loss, gamma).subs(values))], rtol=1e-10)
    np.testing.assert_allclose(dbeta, [float(sp.diff(loss, beta).subs(values))], rtol=1e-10)


def test_batch_norm_errors_name_the_argument():
    with pytest.raises(ValueError, match="Z must hold at least two samples"):
        batch_norm([[1.0, 2.0]])
    with pytest.raises(ValueError, match="gamma"):
        batch_norm(np.ones((3, 2)), gamma=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="eps"):
        batch_norm(np.ones((3, 2)), eps=0.0)
    with pytest.raises(ValueError, match="dY and Z"):
        batch_norm_backward(np.ones((3, 1)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="Z"):
        batch_norm([[1.0, np.nan], [0.0, 1.0]])
