"""nnmath.regularisation: the L2 penalty and inverted dropout, against independent references."""

from __future__ import annotations

import numpy as np
import pytest

import nnmath
from conftest import central_difference_gradient
from nnmath.regularisation import dropout, dropout_backward, dropout_mask, l2_penalty, l2_penalty_gradients


def test_l2_penalty_is_half_lambda_times_the_sum_of_squared_weights():
    weights = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0, 1.0]])]
    # written out: 1 + 4 + 0.25 + 0 + 9 + 1 = 15.25
    assert l2_penalty(weights, 0.2) == pytest.approx(0.1 * 15.25, rel=1e-15)
    assert l2_penalty(weights, 0.0) == 0.0


def test_l2_penalty_gradient_matches_a_central_difference():
    net = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=0)
    lam = 0.7
    n_w = [W.size for W in net.weights]

    def penalty(flat):
        parts = np.split(flat, np.cumsum(n_w)[:-1])
        return l2_penalty([p.reshape(W.shape) for p, W in zip(parts, net.weights)], lam)

    flat = np.concatenate([W.ravel() for W in net.weights])
    numeric = central_difference_gradient(penalty, flat)
    exact = np.concatenate([g.ravel() for g in l2_penalty_gradients(net.weights, lam)])
    # a quadratic: the central difference is exact up to round-off (~1e-10 at h = 6e-6)
    np.testing.assert_allclose(exact, numeric, atol=1e-9)


def test_the_mask_drops_each_unit_with_probability_rate():
    mask = dropout_mask((400, 500), 0.3, rng=0)
    assert set(np.unique(mask)) == {0.0, 1.0}
    # 200 000 Bernoulli(0.3) draws: standard error sqrt(0.21 / 2e5) ~ 1e-3; 5 standard errors
    assert abs((1 - mask).mean() - 0.3) < 5e-3


def test_inverted_dropout_keeps_the_expectation_by_sampling():
    rng = np.random.default_rng(1)
    a = np.array([[0.5, -1.0, 2.0, 3.0]])
    p, n = 0.4, 100_000
    # n independent draws at once: n copies of the row, each entry with its own Bernoulli(0.6) mask entry
    rows = np.repeat(a, n, axis=0)
    samples = dropout(rows, dropout_mask(rows.shape, p, rng=rng), p)
    # each entry is a * Bernoulli(0.6) / 0.6: standard deviation |a| sqrt(0.4 / 0.6) / sqrt(n);
    # allow 5 standard errors
    tolerance = 5 * np.abs(a[0]) * np.sqrt(p / (1 - p)) / np.sqrt(n)
    assert np.all(np.abs(samples.mean(axis=0) - a[0]) < tolerance)
    # without the 1/(1 - p) factor the mean is visibly off: the test can fail
    unscaled = samples * (1 - p)
    assert np.all(np.abs(unscaled.mean(axis=0) - a[0]) > tolerance)


def test_test_time_dropout_is_the_identity():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(dropout(a, None, 0.5), a)


def test_dropout_backward_matches_finite_differences_with_the_mask_fixed():
    # L(a) = sum(c * dropout(a)) with a fixed mask: dL/da by a central difference, entry by entry.
    rng = np.random.default_rng(2)
    a = rng.normal(size=(3, 5))
    c = rng.normal(size=(3, 5))
    p = 0.25
    mask = dropout_mask(a.shape, p, rng=rng)

    def loss(flat):
        return float(np.sum(c * dropout(flat.reshape(a.shape), mask, p)))

    numeric = central_difference_gradient(loss, a.ravel()).reshape(a.shape)
    # dropout is linear in a: the difference is exact up to round-off
    np.testing.assert_allclose(dropout_backward(c, mask, p), numeric, atol=1e-9)
    assert np.all(dropout_backward(c, mask, p)[mask == 0] == 0)


def test_dropout_backward_through_a_tanh_layer_matches_a_central_difference():
    # a = tanh(z), then dropout, then L = sum(c * a_tilde)^2 / 2: chain the rules by hand.
    rng = np.random.default_rng(4)
    z = rng.normal(size=(2, 4))
    c = rng.normal(size=(2, 4))
    p = 0.5
    mask = dropout_mask(z.shape, p, rng=rng)

    def loss(z_flat):
        a_tilde = dropout(np.tanh(z_flat.reshape(z.shape)), mask, p)
        return 0.5 * float(np.sum(c * a_tilde)) ** 2

    a_tilde = dropout(np.tanh(z), mask, p)
    upstream = np.sum(c * a_tilde) * c
    analytic = dropout_backward(upstream, mask, p) * nnmath.tanh.derivative(z)
    numeric = central_difference_gradient(loss, z.ravel()).reshape(z.shape)
    # smooth O(1) function, h = 6e-6: truncation ~h^2, round-off ~1e-11 / h; 1e-8 covers both
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("inf")])
def test_a_rate_outside_zero_to_one_is_an_error(rate):
    with pytest.raises(ValueError, match="rate must be"):
        dropout_mask((2, 2), rate, rng=0)
    with pytest.raises(ValueError, match="rate must be"):
        dropout(np.ones((2, 2)), np.ones((2, 2)), rate)


def test_bad_masks_and_weights_are_errors():
    with pytest.raises(ValueError, match="same shape"):
        dropout(np.ones((2, 2)), np.ones((2, 3)), 0.5)
    with pytest.raises(ValueError, match="mask must hold only 0 and 1"):
        dropout(np.ones((1, 2)), np.array([[0.5, 1.0]]), 0.5)
    with pytest.raises(ValueError, match="weight_decay must be at least 0"):
        l2_penalty([np.ones((1, 1))], -1.0)
    with pytest.raises(TypeError, match="weights must be a list"):
        l2_penalty(np.ones((2, 2)), 0.1)
    with pytest.raises(TypeError, match="rate must be a real number"):
        dropout_mask(3, "half", rng=0)
    with pytest.raises(ValueError, match=r"shape\[0\] must be at least 1"):
        dropout_mask((0, 2), 0.5, rng=0)
