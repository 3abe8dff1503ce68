"""Initialisation schemes (including init="normal" with weight_std) and nnmath.diagnostics.

The diagnostics are checked against direct computation: norms of the gradients
from MLP.loss_and_gradients and of the trace's error terms, finite differences
of the loss, and a forward pass written out here with NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnmath
from nnmath.diagnostics import (
    ActivationStatistics,
    SeedSummary,
    across_seeds,
    activation_statistics,
    dead_units,
    error_term_norms,
    layer_gradient_norms,
)
from nnmath.network import initial_std

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


# --- initial_std: the formulas ------------------------------------------------------------
@pytest.mark.parametrize("n_in, n_out", [(1, 1), (3, 7), (64, 64), (400, 300)])
def test_initial_std_formulas(n_in, n_out):
    assert initial_std("xavier", n_in, n_out) == pytest.approx(np.sqrt(2.0 / (n_in + n_out)), rel=1e-15)
    assert initial_std("he", n_in, n_out) == pytest.approx(np.sqrt(2.0 / n_in), rel=1e-15)
    assert initial_std("lecun", n_in, n_out) == pytest.approx(np.sqrt(1.0 / n_in), rel=1e-15)
    assert initial_std("normal", n_in, n_out, weight_std=0.3) == 0.3


def test_he_is_sqrt_two_times_lecun_and_xavier_equals_lecun_for_square_layers():
    # The chapter's statements: He doubles the variance of LeCun; Xavier = LeCun when n_in = n_out.
    assert initial_std("he", 32, 32) ** 2 == pytest.approx(2 * initial_std("lecun", 32, 32) ** 2, rel=1e-15)
    assert initial_std("xavier", 32, 32) == pytest.approx(initial_std("lecun", 32, 32), rel=1e-15)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"init": "glorot"}, ValueError, "'xavier', 'he', 'lecun', 'normal'"),
        ({"init": 3}, TypeError, "init must be one of"),
        ({"n_in": 0}, ValueError, "n_in must be at least 1"),
        ({"n_out": 2.5}, TypeError, "n_out must be a whole number"),
        ({"init": "normal"}, TypeError, "needs weight_std"),
        ({"init": "normal", "weight_std": 0.0}, ValueError, "weight_std must be greater than 0"),
        ({"init": "normal", "weight_std": -1.0}, ValueError, "weight_std must be greater than 0"),
        ({"init": "normal", "weight_std": float("nan")}, ValueError, "weight_std must be a finite number"),
        ({"init": "normal", "weight_std": "0.1"}, TypeError, "weight_std must be a real number"),
        ({"init": "he", "weight_std": 0.1}, ValueError, "only used with init='normal'"),
    ],
)
def test_initial_std_rejects_bad_arguments(kwargs, error, match):
    arguments = {"init": "he", "n_in": 4, "n_out": 3, **kwargs}
    with pytest.raises(error, match=match):
        initial_std(**arguments)


# --- MLP: the schemes draw what they promise -----------------------------------------------
@pytest.mark.parametrize("init, weight_std", [("xavier", None), ("he", None), ("lecun", None), ("normal", 0.05)])
def test_every_layer_draws_weights_with_the_documented_standard_deviation(init, weight_std):
    sizes = [300, 200, 100]
    net = nnmath.MLP(sizes, ["tanh", "identity"], rng=11, init=init, weight_std=weight_std)
    for W, n_in, n_out in zip(net.weights, sizes[:-1], sizes[1:]):
        expected = initial_std(init, n_in, n_out, weight_std)
        # N = 60 000 and 20 000 normal draws: the sample standard deviation has a relative
        # standard error of 1/sqrt(2N) <= 0.5 %, the mean a standard error of std/sqrt(N)
        # <= 0.71 % of std. 3 % and 4 % of std are more than 5 standard errors away.
        assert np.std(W) == pytest.approx(expected, rel=0.03)
        assert abs(np.mean(W)) < 0.04 * expected


@pytest.mark.parametrize("init", list(nnmath.INITS))
def test_default_schemes_draw_exactly_what_they_drew_before(init):
    """The weights are the same draws as before weight_std existed: one normal array per layer."""
    sizes = [5, 4, 3, 2]
    net = nnmath.MLP(sizes, ["tanh", "relu", "identity"], rng=123, init=init)
    rng = np.random.default_rng(123)
    formula = {
        "xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
        "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
        "lecun": lambda n_in, n_out: np.sqrt(1.0 / n_in),
    }[init]
    for W, n_in, n_out in zip(net.weights, sizes[:-1], sizes[1:]):
        np.testing.assert_array_equal(W, rng.normal(0.0, formula(n_in, n_out), size=(n_out, n_in)))
    for b in net.biases:
        np.testing.assert_array_equal(b, 0.0)


def test_defaults_are_unchanged():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    assert net.init == "xavier" and net.weight_std is None
    assert list(nnmath.INITS) == ["xavier", "he", "lecun"]
    assert repr(net) == "MLP(layer_sizes=[2, 3, 1], activations=['relu', 'identity'], init='xavier')"
    explicit = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0, init="xavier")
    np.testing.assert_array_equal(net.get_parameters(), explicit.get_parameters())


def test_normal_init_uses_the_same_spread_in_every_layer_and_the_same_draws():
    net = nnmath.MLP([3, 5, 2], ["tanh", "identity"], rng=4, init="normal", weight_std=0.7)
    rng = np.random.default_rng(4)
    np.testing.assert_array_equal(net.weights[0], rng.normal(0.0, 0.7, size=(5, 3)))
    np.testing.assert_array_equal(net.weights[1], rng.normal(0.0, 0.7, size=(2, 5)))
    assert net.weight_std == 0.7
    assert repr(net) == (
        "MLP(layer_sizes=[3, 5, 2], activations=['tanh', 'identity'], init='normal', weight_std=0.7)"
    )


def test_weight_std_scales_the_weights_exactly():
    small = nnmath.MLP([4, 6, 2], ["relu", "identity"], rng=9, init="normal", weight_std=0.1)
    large = nnmath.MLP([4, 6, 2], ["relu", "identity"], rng=9, init="normal", weight_std=1.0)
    for w_small, w_large in zip(small.weights, large.weights):
        np.testing.assert_allclose(w_large, 10.0 * w_small, rtol=1e-14)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"init": "normal"}, TypeError, "needs weight_std"),
        ({"init": "normal", "weight_std": 0}, ValueError, "weight_std must be greater than 0"),
        ({"init": "normal", "weight_std": -0.5}, ValueError, "weight_std must be greater than 0"),
        ({"init": "normal", "weight_std": float("inf")}, ValueError, "weight_std must be a finite number"),
        ({"init": "normal", "weight_std": True}, TypeError, "weight_std must be a real number"),
        ({"init": "normal", "weight_std": [0.1]}, TypeError, "weight_std must be a real number"),
        ({"weight_std": 0.1}, ValueError, "only used with init='normal'"),
        ({"init": "he", "weight_std": 0.1}, ValueError, r"init='he' computes the standard deviation"),
        ({"init": "uniform"}, ValueError, "'xavier', 'he', 'lecun', 'normal'"),
    ],
)
def test_mlp_validates_init_and_weight_std(kwargs, error, match):
    with pytest.raises(error, match=match):
        nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0, **kwargs)


# --- layer_gradient_norms and error_term_norms ---------------------------------------------
@st.composite
def networks(draw):
    """A random small network with random biases, a batch, targets and a loss."""
    n_layers = draw(st.integers(1, 5))
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_layers + 1, max_size=n_layers + 1))
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=n_layers - 1, max_size=n_layers - 1))
    loss = draw(st.sampled_from(["sse", "mse", "cross_entropy"]))
    output = "softmax" if loss == "cross_entropy" else draw(st.sampled_from(HIDDEN))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = nnmath.MLP(sizes, [*hidden, output], rng=rng, init=draw(st.sampled_from(list(nnmath.INITS))))
    net.biases = [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases]
    batch = draw(st.integers(1, 5))
    X = rng.normal(size=(batch, sizes[0]))
    if loss == "cross_entropy":
        T = nnmath.one_hot(rng.integers(0, sizes[-1], size=batch), sizes[-1])
    else:
        T = rng.normal(size=(batch, sizes[-1]))
    return net, X, T, loss


@settings(max_examples=60)
@given(case=networks())
def test_gradient_and_error_norms_equal_norms_of_backprop_arrays(case):
    net, X, T, loss = case
    _, dW, _ = net.loss_and_gradients(X, T, loss)
    expected = [np.sqrt(np.sum(g**2)) for g in dW]
    np.testing.assert_allclose(layer_gradient_norms(net, X, T, loss), expected, rtol=1e-13, atol=0)
    trace = net.trace(X, T, loss)
    expected_delta = [np.sqrt(np.sum(d**2)) for d in trace.delta[1:]]
    np.testing.assert_allclose(error_term_norms(net, X, T, loss), expected_delta, rtol=1e-13, atol=0)
    assert layer_gradient_norms(net, X, T, loss).shape == (net.n_layers,)


def test_layer_gradient_norms_agree_with_finite_differences_of_the_loss(rng):
    """An independent reference: central differences over every weight, grouped by layer."""
    net = nnmath.MLP([3, 4, 4, 2], ["tanh", "sigmoid", "identity"], rng=5)
    X, T = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    probe = net.copy()

    def loss_of(theta):
        probe.set_parameters(theta)
        return probe.loss(X, T, "mse")

    numeric = nnmath.numerical_gradient(loss_of, net.get_parameters())
    norms, start = [], 0
    for n_in, n_out in zip(net.layer_sizes[:-1], net.layer_sizes[1:]):
        norms.append(np.linalg.norm(numeric[start : start + n_in * n_out]))  # W^l comes before b^l
        start += n_in * n_out + n_out
    # Smooth activations, loss of order 1: central differences are good to ~1e-10 absolute.
    np.testing.assert_allclose(layer_gradient_norms(net, X, T, "mse"), norms, rtol=1e-7, atol=1e-10)


def test_error_term_norms_of_a_sigmoid_chain_follow_the_chain_rule():
    """delta_l = delta_(l+1) w_(l+1) sigma'(z_l) in a chain of one neuron per layer."""
    depth = 5
    net = nnmath.MLP([1] * (depth + 1), ["sigmoid"] * depth, rng=0)
    weights = [0.5, -1.5, 2.0, 1.0, -0.7]
    net.weights = [np.array([[w]]) for w in weights]
    trace = net.trace([[0.8]], [[0.0]], "sse")
    z = [trace.z[l].item() for l in range(1, depth + 1)]
    a_out = trace.a[depth].item()
    delta = [0.0] * (depth + 1)
    delta[depth] = a_out * nnmath.sigmoid.derivative(z[-1])  # (a_L - t) sigma'(z_L), t = 0
    for l in range(depth - 1, 0, -1):
        delta[l] = delta[l + 1] * weights[l] * nnmath.sigmoid.derivative(z[l - 1])
    np.testing.assert_allclose(error_term_norms(net, [[0.8]], [[0.0]]), np.abs(delta[1:]), rtol=1e-13)
    # and each step back through a sigmoid multiplies by at most |w| / 4
    ratios = np.abs(np.array(delta[1:-1]) / np.array(delta[2:]))
    assert np.all(ratios <= np.abs(weights[1:]) / 4)


def test_sigmoid_network_gradients_vanish_and_relu_network_gradients_do_not():
    """The chapter's claim in numbers: depth 12, width 16, 5 seeds, geometric means."""
    rng = np.random.default_rng(0)
    X, T = rng.normal(size=(32, 16)), rng.normal(size=(32, 1))

    def norms(activation, init):
        def measure(seed):
            net = nnmath.MLP([16] * 13 + [1], [activation] * 12 + ["identity"], rng=seed, init=init)
            return layer_gradient_norms(net, X, T, "mse")

        return across_seeds(measure, 5).geometric_mean

    sigmoid = norms("sigmoid", "xavier")
    relu = norms("relu", "he")
    # 11 sigmoid layers with slope <= 1/4 and weight gain ~1: at least 4^-11 / 20 ~ 1e-8 less.
    assert sigmoid[0] / sigmoid[-2] < 1e-5
    assert 0.05 < relu[0] / relu[-2] < 20


# --- activation_statistics -----------------------------------------------------------------
def test_activation_statistics_equal_a_forward_pass_written_out(rng):
    net = nnmath.MLP([3, 5, 4, 2], ["relu", "tanh", "sigmoid"], rng=2)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    X = rng.normal(size=(7, 3))
    stats = activation_statistics(net, X)
    a = X
    for l, g in enumerate([nnmath.relu, nnmath.tanh, nnmath.sigmoid]):
        z = a @ net.weights[l].T + net.biases[l]
        a = g(z)
        assert stats.z_mean[l] == pytest.approx(z.mean(), rel=1e-12, abs=1e-15)
        assert stats.z_variance[l] == pytest.approx(((z - z.mean()) ** 2).mean(), rel=1e-12)
        assert stats.a_mean[l] == pytest.approx(a.mean(), rel=1e-12, abs=1e-15)
        assert stats.a_variance[l] == pytest.approx(((a - a.mean()) ** 2).mean(), rel=1e-12)
    assert isinstance(stats, ActivationStatistics)
    assert stats.z_variance.shape == (3,)
    assert len(str(stats).splitlines()) == 1 + 3  # a header and one row per layer


def test_he_keeps_relu_variance_and_xavier_halves_it():
    """The variance argument: Var(z^(l+1)) = n Var(w) Var(z^l) / 2 for ReLU layers.

    Width 256 and 1000 samples: the per-layer ratio fluctuates by a few per cent around its
    prediction (the weights are a finite sample); tolerances of 25 % per layer are far from the
    factor-two difference between the schemes.
    """
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1000, 256))
    for init, predicted in [("he", 1.0), ("lecun", 0.5)]:
        net = nnmath.MLP([256] * 6, ["relu"] * 5, rng=3, init=init)
        variance = activation_statistics(net, X).z_variance
        np.testing.assert_allclose(variance[1:] / variance[:-1], predicted, rtol=0.25)


# --- dead_units ----------------------------------------------------------------------------
def test_a_relu_unit_with_negative_net_input_for_every_sample_is_dead_and_gets_zero_gradient(rng):
    net = nnmath.MLP([2, 4, 3, 1], ["relu", "relu", "identity"], rng=1, init="he")
    net.biases[0] = np.array([0.0, -20.0, 0.0, 0.0])  # inputs are ~N(0, 1): z < 0 always
    X = rng.normal(size=(30, 2))
    T = rng.normal(size=(30, 1))
    dead = dead_units(net, X)
    assert len(dead) == 2 and dead[0].dtype == bool
    assert dead[0].tolist() == [False, True, False, False]
    _, dW, db = net.loss_and_gradients(X, T, "mse")
    assert np.all(dW[0][1] == 0.0) and db[0][1] == 0.0  # exactly zero, not just small
    assert np.all(dW[1][:, 1] == 0.0)  # its output is 0, so the weights it feeds get no gradient either
    before = (net.weights[0][1].copy(), net.biases[0][1])
    for _ in range(50):
        net.step(X, T, "mse", learning_rate=0.05)
    np.testing.assert_array_equal(net.weights[0][1], before[0])
    assert net.biases[0][1] == before[1]
    assert dead_units(net, X)[0][1]


def test_net_input_exactly_zero_counts_as_dead_and_one_positive_sample_keeps_a_unit_alive():
    net = nnmath.MLP([1, 2, 1], ["relu", "identity"], rng=0)
    net.weights[0] = np.array([[0.0], [1.0]])  # unit 1: z = 0 always; unit 2: z = x
    assert dead_units(net, [[-1.0], [-2.0]])[0].tolist() == [True, True]
    assert dead_units(net, [[-1.0], [2.0]])[0].tolist() == [True, False]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu", "identity"])
def test_units_with_a_nonzero_slope_everywhere_are_never_dead(activation):
    net = nnmath.MLP([2, 3, 1], [activation, "identity"], rng=0)
    net.biases[0] = np.array([-20.0, -5.0, 0.0])
    assert not dead_units(net, [[1.0, -1.0], [0.5, 0.5]])[0].any()


def test_dead_units_of_a_network_without_hidden_layers_is_empty():
    assert dead_units(nnmath.MLP([2, 1], ["relu"], rng=0), [[1.0, 2.0]]) == []


def test_dead_units_covers_every_hidden_layer_with_its_width():
    net = nnmath.MLP([2, 5, 3, 4, 2], ["relu", "tanh", "relu", "softmax"], rng=0)
    shapes = [d.shape for d in dead_units(net, np.ones((3, 2)))]
    assert shapes == [(5,), (3,), (4,)]


# --- across_seeds --------------------------------------------------------------------------
def test_across_seeds_collects_and_summarises():
    summary = across_seeds(lambda seed: [2.0**seed, 3.0, seed], [0, 2, 4])
    assert isinstance(summary, SeedSummary)
    assert summary.seeds == (0, 2, 4)
    np.testing.assert_array_equal(summary.values, [[1, 3, 0], [4, 3, 2], [16, 3, 4]])
    np.testing.assert_allclose(summary.mean, [7, 3, 2])
    np.testing.assert_array_equal(summary.low, [1, 3, 0])
    np.testing.assert_array_equal(summary.high, [16, 3, 4])
    np.testing.assert_allclose(summary.geometric_mean, [4.0, 3.0, 0.0], rtol=1e-14)  # a zero gives 0
    assert across_seeds(lambda seed: seed, 3).seeds == (0, 1, 2)
    assert across_seeds(lambda seed: seed, np.array([5, 7])).values.tolist() == [5.0, 7.0]


def test_across_seeds_builds_reproducible_networks():
    def measure(seed):
        return nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=seed).weights[0].sum()

    first, second = across_seeds(measure, 4), across_seeds(measure, 4)
    np.testing.assert_array_equal(first.values, second.values)
    assert len(set(first.values.tolist())) == 4


@pytest.mark.parametrize(
    "measure, seeds, error, match",
    [
        ("not callable", 3, TypeError, "measure must be a function"),
        (lambda s: s, 0, ValueError, "seeds must be at least 1"),
        (lambda s: s, -2, ValueError, "seeds must be at least 1"),
        (lambda s: s, 2.5, TypeError, "seeds must be a whole number"),
        (lambda s: s, "3", TypeError, "seeds must be a whole number"),
        (lambda s: s, [], ValueError, "at least one seed"),
        (lambda s: s, [1, -1], ValueError, r"seeds\[1\] must be at least 0"),
        (lambda s: s, [1, 1.5], TypeError, r"seeds\[1\] must be a whole number"),
        (lambda s: [0.0] * (s + 1), 2, ValueError, "same shape for every seed"),
        (lambda s: float("nan"), 1, ValueError, "finite"),
        (lambda s: "x", 1, TypeError, "measure"),
    ],
)
def test_across_seeds_rejects_bad_arguments(measure, seeds, error, match):
    with pytest.raises(error, match=match):
        across_seeds(measure, seeds)


def test_geometric_mean_of_negative_values_is_refused():
    with pytest.raises(ValueError, match="0 or greater"):
        across_seeds(lambda seed: seed - 1.0, 2).geometric_mean


# --- bad inputs to the measurements --------------------------------------------------------
@pytest.mark.parametrize(
    "function", [layer_gradient_norms, error_term_norms, activation_statistics, dead_units]
)
def test_measurements_need_an_mlp(function):
    args = ([[1.0]], [[1.0]]) if function in (layer_gradient_norms, error_term_norms) else ([[1.0]],)
    with pytest.raises(TypeError, match="net must be an nnmath.MLP"):
        function("a network", *args)


@pytest.mark.parametrize("function", [layer_gradient_norms, error_term_norms])
def test_gradient_measurements_need_targets_of_the_right_shape(function):
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(TypeError, match="T \\(the targets\\) is required"):
        function(net, [[1.0, 2.0]], None)
    with pytest.raises(ValueError, match="T must have shape"):
        function(net, [[1.0, 2.0]], [[1.0, 2.0]])
    with pytest.raises(ValueError, match="unknown loss"):
        function(net, [[1.0, 2.0]], [[1.0]], "hinge")


@pytest.mark.parametrize("function", [activation_statistics, dead_units])
def test_forward_measurements_check_the_inputs(function):
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        function(net, [[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="X must have 2 dimension"):
        function(net, [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        function(net, [[1.0, float("nan")]])
