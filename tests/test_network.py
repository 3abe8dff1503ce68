"""The multilayer perceptron: shapes, forward pass, backpropagation, errors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnmath
from conftest import central_difference_gradient

HIDDEN = ["sigmoid", "tanh", "identity", "leaky_relu", "relu"]
KINKED = {"relu", "leaky_relu"}
KINK_MARGIN = 1e-4  # net inputs closer than this to 0 could cross a kink within a finite-difference step


def flat_gradient(dW, db):
    """Gradients laid out like MLP.get_parameters(): W1, b1, W2, b2, ..."""
    return np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])


def backprop_and_finite_differences(net, X, T, loss):
    """Backprop's gradient, and an independent central-difference gradient of the loss
    over every parameter (through get_parameters/set_parameters on a copy)."""
    value, dW, db = net.loss_and_gradients(X, T, loss)
    probe = net.copy()

    def f(theta):
        probe.set_parameters(theta)
        return probe.loss(X, T, loss)

    return value, flat_gradient(dW, db), central_difference_gradient(f, net.get_parameters())


def fd_atol(value):
    """Absolute tolerance for central differences of a loss of size ``value``.

    Round-off in L(theta+h) - L(theta-h) is about eps |L| / h = 4e-11 |L| with
    central_difference_gradient's h = 6e-6; truncation is h^2/6 |L'''| ~ 6e-12 |L'''|, and the third
    derivatives of these small networks (weights and inputs of order 1) stay
    far below 100. 1e-8 max(1, |L|) sits above both and far below a real error.
    """
    return 1e-8 * max(1.0, abs(value))


# --- construction and shapes ------------------------------------------------------------
def test_weight_and_bias_shapes_are_n_out_by_n_in():
    net = nnmath.MLP([4, 3, 2, 5], ["tanh", "relu", "sigmoid"], rng=0)
    assert [w.shape for w in net.weights] == [(3, 4), (2, 3), (5, 2)]
    assert [b.shape for b in net.biases] == [(3,), (2,), (5,)]
    assert net.n_layers == 3
    assert net.layer_sizes == (4, 3, 2, 5)
    assert net.activations == ("tanh", "relu", "sigmoid")


@pytest.mark.parametrize("n_samples", [1, 7])
def test_forward_output_shape_is_n_samples_by_n_out(n_samples):
    net = nnmath.MLP([4, 3, 2], ["tanh", "softmax"], rng=0)
    out = net.forward(np.zeros((n_samples, 4)))
    assert out.shape == (n_samples, 2)
    np.testing.assert_array_equal(net(np.zeros((n_samples, 4))), out)  # __call__ is forward


def test_biases_start_at_zero():
    net = nnmath.MLP([3, 4, 2], ["relu", "identity"], rng=1)
    for b in net.biases:
        np.testing.assert_array_equal(b, 0.0)


def test_same_int_seed_gives_same_weights_and_different_seeds_differ():
    a = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=7)
    b = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=7)
    c = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=8)
    np.testing.assert_array_equal(a.get_parameters(), b.get_parameters())  # same draws, bit for bit
    assert not np.array_equal(a.get_parameters(), c.get_parameters())


def test_generator_seed_is_used_and_advanced():
    a = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=np.random.default_rng(5))
    b = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.get_parameters(), b.get_parameters())
    shared = np.random.default_rng(5)
    first = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=shared)
    second = nnmath.MLP([3, 4, 2], ["tanh", "identity"], rng=shared)
    np.testing.assert_array_equal(first.get_parameters(), a.get_parameters())
    assert not np.array_equal(first.get_parameters(), second.get_parameters())


@pytest.mark.parametrize(
    "init, std",
    [
        ("xavier", lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out))),
        ("he", lambda n_in, n_out: np.sqrt(2.0 / n_in)),
        ("lecun", lambda n_in, n_out: np.sqrt(1.0 / n_in)),
    ],
)
def test_init_schemes_draw_weights_with_the_documented_standard_deviation(init, std):
    n_in, n_out = 400, 300
    w = nnmath.MLP([n_in, n_out], ["identity"], rng=3, init=init).weights[0].ravel()
    # 120 000 normal draws: the sample std has relative standard error 1/sqrt(2N) = 0.2%,
    # the mean standard error std/sqrt(N) = 0.3% of std; 2% and 2% are ~10 standard errors.
    assert np.std(w) == pytest.approx(std(n_in, n_out), rel=0.02)
    assert abs(np.mean(w)) < 0.02 * std(n_in, n_out)


def test_init_schemes_differ_from_each_other():
    stds = {init: np.std(nnmath.MLP([400, 300], ["identity"], rng=3, init=init).weights[0]) for init in nnmath.INITS}
    # xavier 0.0756, he 0.0707, lecun 0.05: distinct by far more than sampling error (0.2%)
    assert len({round(s, 3) for s in stds.values()}) == 3


def test_n_parameters_counts_weights_and_biases():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    assert net.n_parameters == 3 * 2 + 3 + 1 * 3 + 1 == 13
    assert net.get_parameters().shape == (13,)


# --- forward pass by hand -----------------------------------------------------------------
def test_forward_pass_by_hand():
    """A 2-2-1 net with dyadic weights: every intermediate is exact in floating point.

    z1 = W1 x + b1 = [1 - 2 + 0.5, 2 + 1 - 1] = [-0.5, 2];  a1 = relu(z1) = [0, 2]
    z2 = W2 a1 + b2 = 0 * 3 + 2 * (-0.25) + 1 = 0.5;     a2 = identity = 0.5
    """
    net = nnmath.MLP([2, 2, 1], ["relu", "identity"], rng=0)
    net.weights = [np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([[3.0, -0.25]])]
    net.biases = [np.array([0.5, -1.0]), np.array([1.0])]
    trace = net.trace([[1.0, 2.0]])
    np.testing.assert_array_equal(trace.z[1], [[-0.5, 2.0]])
    np.testing.assert_array_equal(trace.a[1], [[0.0, 2.0]])
    np.testing.assert_array_equal(trace.z[2], [[0.5]])
    np.testing.assert_array_equal(net.forward([[1.0, 2.0]]), [[0.5]])


def test_forward_processes_rows_independently(rng):
    net = nnmath.MLP([3, 4, 2], ["tanh", "sigmoid"], rng=2)
    X = rng.normal(size=(5, 3))
    batch = net.forward(X)
    for i in range(5):
        # the same arithmetic per row; BLAS may sum in a different order: a few ulps
        np.testing.assert_allclose(batch[i], net.forward(X[i : i + 1])[0], rtol=1e-14)


# --- Mazur's worked example -------------------------------------------------------------------
def mazur_network():
    """Matt Mazur, "A Step by Step Backpropagation Example" (2015)."""
    net = nnmath.MLP([2, 2, 2], ["sigmoid", "sigmoid"], rng=0)
    net.weights = [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])]
    net.biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return net, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def _published(text):
    """A published decimal and a tolerance of half a unit in its last printed digit."""
    decimals = len(text.split(".")[1])
    return float(text), 0.5 * 10.0**-decimals


def test_mazur_forward_pass_and_total_error():
    net, X, T = mazur_network()
    trace = net.trace(X, T, "sse")
    for got, text in zip(trace.a[1][0], ["0.593269992", "0.596884378"]):  # out_h1, out_h2
        value, tol = _published(text)
        assert got == pytest.approx(value, abs=tol)
    for got, text in zip(trace.a[2][0], ["0.75136507", "0.772928465"]):  # out_o1, out_o2
        value, tol = _published(text)
        assert got == pytest.approx(value, abs=tol)
    value, tol = _published("0.298371109")  # E_total
    assert trace.loss == pytest.approx(value, abs=tol)


def test_mazur_one_step_updates_the_weights_as_published():
    """After one step with learning rate 0.5 the weights match the article.

    Mazur does not update the biases, so only weights are compared. His w1, w2
    feed hidden unit 1 from inputs 1, 2: W1[0, 0], W1[0, 1]; w5, w6 feed output 1.
    """
    net, X, T = mazur_network()
    net.step(X, T, "sse", learning_rate=0.5)
    published_w1 = ["0.149780716", "0.19956143", "0.24975114", "0.29950229"]  # w1..w4
    published_w2 = ["0.35891648", "0.408666186", "0.511301270", "0.561370121"]  # w5..w8
    for W, texts in ((net.weights[0], published_w1), (net.weights[1], published_w2)):
        for got, text in zip(W.ravel(), texts):
            value, tol = _published(text)
            assert got == pytest.approx(value, abs=tol), text


def test_step_returns_the_loss_before_the_update_and_moves_against_the_gradient():
    net, X, T = mazur_network()
    before = net.loss(X, T, "sse")
    _, dW, db = net.loss_and_gradients(X, T, "sse")
    old = net.copy()
    returned = net.step(X, T, "sse", learning_rate=0.5)
    assert returned == before  # the same computation on the same parameters: identical
    for l in range(2):
        # one multiply-subtract per entry: identical to computing it here
        np.testing.assert_array_equal(net.weights[l], old.weights[l] - 0.5 * dW[l])
        np.testing.assert_array_equal(net.biases[l], old.biases[l] - 0.5 * db[l])
    assert net.loss(X, T, "sse") < before


@pytest.mark.parametrize("rate, error", [(0.0, ValueError), (-0.1, ValueError), ("0.1", TypeError)])
def test_step_rejects_bad_learning_rates(rate, error):
    net, X, T = mazur_network()
    with pytest.raises(error, match="learning_rate"):
        net.step(X, T, "sse", rate)


# --- backpropagation equals finite differences (property-based) ------------------------------
@dataclass
class Case:
    net: nnmath.MLP
    X: np.ndarray
    T: np.ndarray
    loss: str


@st.composite
def network_cases(draw):
    """A random small network, batch and loss, with random (not zero) biases."""
    n_layers = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 5), min_size=n_layers + 1, max_size=n_layers + 1))
    activations = draw(st.lists(st.sampled_from(HIDDEN), min_size=n_layers - 1, max_size=n_layers - 1))
    loss = draw(st.sampled_from(["sse", "mse", "cross_entropy"]))
    output = "softmax" if loss == "cross_entropy" else draw(st.sampled_from([*HIDDEN, "softmax"]))
    batch = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    init = draw(st.sampled_from(list(nnmath.INITS)))
    rng = np.random.default_rng(seed)
    net = nnmath.MLP(sizes, [*activations, output], rng=rng, init=init)
    net.biases = [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases]
    X = rng.uniform(-2.0, 2.0, size=(batch, sizes[0]))
    if loss == "cross_entropy":
        if draw(st.booleans()):
            T = nnmath.one_hot(rng.integers(0, sizes[-1], size=batch), sizes[-1])
        else:
            w = rng.uniform(0.05, 1.0, size=(batch, sizes[-1]))
            T = w / w.sum(axis=1, keepdims=True)
    else:
        T = rng.uniform(-1.0, 1.0, size=(batch, sizes[-1]))
    # A finite difference across a kink is meaningless: skip nets with a net input near 0
    # in a ReLU-type layer (the step moves net inputs by ~1e-5 at most).
    trace = net.trace(X)
    for l, name in enumerate(net.activations, start=1):
        if name in KINKED:
            assume(np.min(np.abs(trace.z[l])) > KINK_MARGIN)
    return Case(net, X, T, loss)


@settings(max_examples=150, deadline=None)
@given(case=network_cases())
def test_backprop_gradients_equal_independent_finite_differences(case):
    value, analytic, numeric = backprop_and_finite_differences(case.net, case.X, case.T, case.loss)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=fd_atol(value))


@settings(max_examples=150, deadline=None)
@given(case=network_cases())
def test_builtin_gradient_check_passes_for_any_small_network(case):
    """MLP.gradient_check (finite differences inside nnmath) accepts backprop's gradients."""
    before = case.net.get_parameters()
    result = case.net.gradient_check(case.X, case.T, case.loss)
    assert result.passed
    np.testing.assert_array_equal(case.net.get_parameters(), before)  # parameters untouched


@settings(max_examples=60, deadline=None)
@given(case=network_cases())
def test_loss_value_equals_the_loss_function_of_the_output(case):
    value, _, _ = case.net.loss_and_gradients(case.X, case.T, case.loss)
    if case.loss == "cross_entropy":
        logits = case.net.trace(case.X).z[-1]
        reference = nnmath.cross_entropy.from_logits(logits, case.T)
    else:
        reference = nnmath.get_loss(case.loss)(case.net.forward(case.X), case.T)
    # the same formulas on the same numbers: at most a few ulps apart
    assert value == pytest.approx(reference, rel=1e-13, abs=1e-300)


@pytest.mark.parametrize(
    "sizes, activations, loss",
    [
        ([3, 4, 2], ["tanh", "sigmoid"], "sse"),
        ([3, 5, 4, 3], ["sigmoid", "tanh", "softmax"], "cross_entropy"),
        ([2, 3, 3], ["leaky_relu", "softmax"], "mse"),
        ([2, 4, 1], [nnmath.LeakyReLU(0.2), "identity"], "mse"),
    ],
)
def test_builtin_gradient_check_on_fixed_networks(sizes, activations, loss, rng):
    net = nnmath.MLP(sizes, activations, rng=11)
    net.biases = [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases]
    X = rng.uniform(-1.0, 1.0, size=(4, sizes[0]))
    T = nnmath.one_hot(rng.integers(0, sizes[-1], size=4), sizes[-1]) if loss == "cross_entropy" else rng.normal(size=(4, sizes[-1]))
    result = net.gradient_check(X, T, loss)
    assert result.passed
    assert result.max_relative_error < 1e-6


def test_builtin_gradient_check_accepts_small_but_correct_gradients():
    """A deep sigmoid net has gradient entries ~1e-6 in its first layer; backprop is right
    (the independent check agrees), so gradient_check must pass too."""
    net = nnmath.MLP([1, 4, 5, 1, 1], ["sigmoid"] * 4, rng=0)
    X, T = np.array([[-0.7], [0.4]]), np.array([[-0.3], [-0.2]])
    value, analytic, numeric = backprop_and_finite_differences(net, X, T, "sse")
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=fd_atol(value))
    assert np.min(np.abs(analytic)) < 1e-5  # the regime this test is about
    assert net.gradient_check(X, T, "sse").passed


class CorruptedMLP(nnmath.MLP):
    """Backprop with a deliberate mistake: the first layer's weight gradient is halved."""

    def loss_and_gradients(self, X, T, loss="sse"):
        value, dW, db = super().loss_and_gradients(X, T, loss)
        dW = [dW[0] * 0.5, *dW[1:]]
        return value, dW, db


def test_gradient_check_fails_for_a_corrupted_gradient(rng):
    net = CorruptedMLP([3, 4, 2], ["tanh", "sigmoid"], rng=0)
    X = rng.uniform(-1, 1, size=(5, 3))
    T = rng.uniform(size=(5, 2))
    with pytest.raises(nnmath.GradientCheckError) as info:
        net.gradient_check(X, T, "sse")
    result = info.value.result
    assert not result.passed
    assert result.worst_index[0] < 4 * 3  # the worst entry is among W1's 12 weights
    # a halved entry g/2 against g has relative error |g/2 - g| / |g| = 1/2;
    # the finite-difference error (~1e-10) is invisible at rel=1e-3
    assert result.max_relative_error == pytest.approx(0.5, rel=1e-3)


# --- trace ---------------------------------------------------------------------------------
def test_trace_indices_follow_the_book():
    net = nnmath.MLP([3, 4, 2], ["tanh", "softmax"], rng=0)
    X = np.array([[0.1, -0.2, 0.3], [1.0, 0.5, -1.5]])
    T = nnmath.one_hot([1, 0], 2)
    trace = net.trace(X, T, "cross_entropy")
    np.testing.assert_array_equal(trace.a[0], X)  # the input itself
    assert len(trace.a) == 3 and len(trace.z) == len(trace.delta) == len(trace.weight_grads) == 2
    assert [a.shape for a in trace.a] == [(2, 3), (2, 4), (2, 2)]
    # every list is indexed by the book's layer number l = 1 .. L (and a from 0)
    assert [trace.z[l].shape for l in (1, 2)] == [(2, 4), (2, 2)]
    assert [trace.delta[l].shape for l in (1, 2)] == [(2, 4), (2, 2)]
    assert [trace.weight_grads[l].shape for l in (1, 2)] == [(4, 3), (2, 4)]
    assert [trace.bias_grads[l].shape for l in (1, 2)] == [(4,), (2,)]
    assert trace.z[-1] is trace.z[2] and trace.a[-1] is trace.a[2]
    for quantity in (trace.z, trace.delta, trace.weight_grads, trace.bias_grads):
        with pytest.raises(IndexError, match="no layer 0 here: this list holds layers 1 to 2"):
            quantity[0]
    with pytest.raises(IndexError, match="no layer 3 here: this list holds layers 0 to 2"):
        trace.a[3]
    # delta[L] for softmax + cross-entropy is (p - t)/n: the same subtraction and division
    np.testing.assert_allclose(trace.delta[2], (trace.a[2] - T) / 2, rtol=1e-15, atol=0)
    assert trace.loss_name == "cross_entropy"
    assert "loss (cross_entropy)" in str(trace)


def test_trace_without_targets_is_forward_only():
    net = nnmath.MLP([3, 4, 2], ["tanh", "sigmoid"], rng=0)
    trace = net.trace(np.zeros((1, 3)))
    assert trace.loss is None and len(trace.delta) == 0 and len(trace.weight_grads) == 0
    assert "a[2]" in str(trace)


def test_trace_delta_of_a_hidden_layer_is_the_chain_rule():
    """delta[1] = (delta[2] W2) * g'(z[1]), computed here from the trace's own pieces."""
    net, X, T = mazur_network()
    trace = net.trace(X, T, "sse")
    expected = (trace.delta[2] @ net.weights[1]) * nnmath.sigmoid.derivative(trace.z[1])
    np.testing.assert_allclose(trace.delta[1], expected, rtol=1e-15)  # same operations
    np.testing.assert_allclose(trace.weight_grads[1], trace.delta[1].T @ X, rtol=1e-15)


# --- parameters -----------------------------------------------------------------------------
def test_get_and_set_parameters_round_trip(rng):
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    theta = rng.normal(size=net.n_parameters)
    net.set_parameters(theta)
    np.testing.assert_array_equal(net.get_parameters(), theta)  # copied, not computed
    # layout: W1 row by row, b1, W2, b2
    np.testing.assert_array_equal(net.weights[0], theta[:6].reshape(3, 2))
    np.testing.assert_array_equal(net.biases[0], theta[6:9])
    np.testing.assert_array_equal(net.weights[1], theta[9:12].reshape(1, 3))
    np.testing.assert_array_equal(net.biases[1], theta[12:])
    other = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=99)
    other.set_parameters(net.get_parameters())
    X = rng.normal(size=(4, 2))
    np.testing.assert_array_equal(other.forward(X), net.forward(X))


def test_set_parameters_copies_and_checks_length():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    theta = np.zeros(13)
    net.set_parameters(theta)
    theta[0] = 5.0
    assert net.weights[0][0, 0] == 0.0
    with pytest.raises(ValueError, match="13"):
        net.set_parameters(np.zeros(12))


def test_copy_is_independent():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    before = net.get_parameters()
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    twin.biases[1][0] -= 1.0
    np.testing.assert_array_equal(net.get_parameters(), before)
    assert twin.layer_sizes == net.layer_sizes and twin.activations == net.activations


def test_weights_may_be_reassigned_as_lists():
    net = nnmath.MLP([2, 2, 1], ["relu", "identity"], rng=0)
    net.weights[0] = [[1, 0], [0, 1]]
    net.weights[1] = [[1, 1]]
    net.biases[1] = [0.5]
    out = net.forward([[2.0, 3.0]])
    assert out[0, 0] == 5.5  # exact: 2 + 3 + 0.5
    assert net.weights[0].dtype == np.float64


def test_reassigned_weights_of_the_wrong_shape_name_both_shapes():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError) as info:
        net.weights[0] = np.zeros((2, 3))  # checked where it is assigned
    assert "(3, 2)" in str(info.value) and "(2, 3)" in str(info.value)
    assert "weights[0]" in str(info.value)


def test_reassigned_biases_of_the_wrong_shape_name_both_shapes():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError) as info:
        net.biases[1] = [0.0, 0.0]
    assert "(1,)" in str(info.value) and "(2,)" in str(info.value)


@pytest.mark.parametrize("bad", [np.array([[np.nan, 0.0], [0.0, 0.0], [0.0, 0.0]]), [[np.inf, 0], [0, 0], [0, 0]]])
def test_reassigned_weights_with_nan_or_inf_are_rejected(bad):
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError, match=r"weights\[0\]"):
        net.weights[0] = bad


def test_weights_changed_in_place_to_nan_or_inf_are_rejected_by_every_pass():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    net.biases[0][1] = np.inf
    for run in (lambda: net.forward(np.zeros((1, 2))), lambda: net.trace(np.zeros((1, 2)), [[0.0]]),
                lambda: net.loss(np.zeros((1, 2)), [[0.0]]), net.get_parameters):
        with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\) contains NaN or infinity"):
            run()


def test_replacing_the_weights_list_with_the_wrong_length_is_rejected():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError, match="2 arrays"):
        net.weights = [np.zeros((3, 2))]
    net.weights.append(np.zeros((1, 3)))  # the list itself grew: the next pass notices
    with pytest.raises(ValueError, match="2 arrays"):
        net.forward(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="the number of layers cannot change"):
        net.biases[:] = [np.zeros(3)]


def test_assigning_weights_never_changes_the_callers_arrays():
    net = nnmath.MLP([2, 2, 1], ["relu", "identity"], rng=0)
    mine = [[1, 0], [0, 1]]
    ints = np.array([[1, 1]])
    net.weights[0] = mine
    net.weights[1] = ints
    net.forward([[2.0, 3.0]])
    assert mine == [[1, 0], [0, 1]] and ints.dtype == np.int64  # left as they were
    assert net.weights[1].dtype == np.float64  # the network holds its own float64 array
    both = [np.zeros((2, 2)), np.ones((1, 2))]
    net.weights = both
    net.forward([[2.0, 3.0]])
    assert isinstance(both, list) and all(w.dtype == np.float64 for w in both)


def test_a_copy_keeps_checking_its_assignments():
    twin = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0).copy()
    with pytest.raises(ValueError, match=r"weights\[1\] \(layer 2\) must have shape \(1, 3\)"):
        twin.weights[1] = np.zeros((3, 1))


# --- input errors --------------------------------------------------------------------------------
def test_wrong_X_shape_names_both_shapes():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError) as info:
        net.forward(np.zeros((4, 3)))
    assert "(n_samples, 2)" in str(info.value) and "(4, 3)" in str(info.value)


def test_one_dimensional_X_suggests_reshape():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        net.forward([0.5, 0.5])


def test_wrong_T_shape_names_both_shapes():
    net = nnmath.MLP([2, 3, 2], ["relu", "identity"], rng=0)
    with pytest.raises(ValueError) as info:
        net.loss_and_gradients(np.zeros((4, 2)), np.zeros((4, 3)))
    assert "(4, 2)" in str(info.value) and "(4, 3)" in str(info.value)


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError) as info:
        nnmath.MLP([2, 3, 1], ["swish", "identity"])
    for valid in ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"):
        assert repr(valid) in str(info.value)


def test_softmax_is_only_allowed_in_the_output_layer():
    with pytest.raises(ValueError, match="output layer"):
        nnmath.MLP([2, 3, 1], ["softmax", "identity"])


def test_number_of_activations_must_match_the_layers():
    with pytest.raises(ValueError, match="one entry per layer") as info:
        nnmath.MLP([2, 3, 1], ["relu"])
    assert "2 such layer" in str(info.value)
    with pytest.raises(TypeError, match="activations"):
        nnmath.MLP([2, 3, 1], "relu")


def test_cross_entropy_needs_a_softmax_output():
    net = nnmath.MLP([2, 3, 2], ["relu", "sigmoid"], rng=0)
    with pytest.raises(ValueError, match="softmax"):
        net.loss_and_gradients(np.zeros((1, 2)), [[1.0, 0.0]], "cross_entropy")


def test_cross_entropy_targets_must_be_distributions():
    net = nnmath.MLP([2, 3, 2], ["relu", "softmax"], rng=0)
    with pytest.raises(ValueError, match="one_hot"):
        net.loss_and_gradients(np.zeros((1, 2)), [[2.0, 0.0]], "cross_entropy")


def test_unknown_loss_lists_valid_names():
    net = nnmath.MLP([2, 3, 2], ["relu", "softmax"], rng=0)
    with pytest.raises(ValueError, match="'sse', 'mse', 'cross_entropy'"):
        net.loss(np.zeros((1, 2)), [[1.0, 0.0]], "hinge")


@pytest.mark.parametrize(
    "sizes, error, fragment",
    [([2], ValueError, "at least"), ([2, 0], ValueError, r"layer_sizes\[1\]"), ("23", TypeError, "layer_sizes"),
     ([2.0, 1], TypeError, r"layer_sizes\[0\]"), ([2, True], TypeError, r"layer_sizes\[1\]")],
)
def test_bad_layer_sizes(sizes, error, fragment):
    with pytest.raises(error, match=fragment):
        nnmath.MLP(sizes, ["identity"] * max(1, len(sizes) - 1))


@pytest.mark.parametrize("seed, error", [(-1, ValueError), ("0", TypeError), (1.5, TypeError), (True, TypeError)])
def test_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        nnmath.MLP([2, 1], ["identity"], rng=seed)


def test_unknown_init_lists_the_schemes():
    with pytest.raises(ValueError, match="'xavier', 'he', 'lecun'"):
        nnmath.MLP([2, 1], ["identity"], init="glorot")


def test_overflowing_forward_pass_is_reported():
    net = nnmath.MLP([1, 1, 1], ["identity", "identity"], rng=0)
    net.weights = [np.array([[1e200]]), np.array([[1e200]])]
    with pytest.raises(ValueError, match="overflow"):
        net.forward([[1e10]])


def test_repr_names_the_architecture():
    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    assert repr(net) == "MLP(layer_sizes=[2, 3, 1], activations=['relu', 'identity'], init='xavier')"


def test_an_infinite_weight_into_a_saturating_unit_is_rejected():
    """tanh(inf) = 1 would hide it: outputs and gradients stay finite but mean nothing."""
    net = nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=0)
    net.weights[0][0, 0] = np.inf
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) contains NaN or infinity"):
        net.forward([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"weights\[0\]"):
        net.loss_and_gradients([[1.0, 2.0]], [[0.5]], "sse")
