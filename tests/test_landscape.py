"""Loss surfaces: values and gradients against MLP and finite differences, layout, bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnmath
from nnmath.landscape import LossSurface, loss_surface, parameter_index, parameter_label


@pytest.fixture
def small(rng):
    """A [2, 3, 2] tanh/sigmoid network with non-zero biases and eight samples."""
    net = nnmath.MLP([2, 3, 2], ["tanh", "sigmoid"], rng=3)
    net.biases = [rng.normal(size=3), rng.normal(size=2)]
    X = rng.normal(size=(8, 2))
    T = rng.uniform(size=(8, 2))
    return net, X, T


def _with(net, indices, values):
    """A copy of ``net`` with parameters ``indices`` set to ``values`` (set directly, not via the module)."""
    theta = net.get_parameters()
    theta[list(indices)] = values
    probe = net.copy()
    probe.set_parameters(theta)
    return probe


# --- parameter names ----------------------------------------------------------------------
def test_parameter_index_matches_the_layout_of_get_parameters(small):
    net = small[0]
    theta = net.get_parameters()
    for l in range(1, net.n_layers + 1):
        W, b = net.weights[l - 1], net.biases[l - 1]
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                k = parameter_index(net, ("W", l, i, j))
                assert theta[k] == W[i, j]  # the same stored float, exact
                assert parameter_label(net, k) == parameter_label(net, ("W", l, i, j)) == f"W{l}[{i}, {j}]"
            k = parameter_index(net, ("b", l, i))
            assert theta[k] == b[i]
            assert parameter_label(net, k) == f"b{l}[{i}]"
    # every index is named exactly once
    names = {parameter_label(net, k) for k in range(net.n_parameters)}
    assert len(names) == net.n_parameters


def test_numpy_integers_are_accepted_as_indices(small):
    net = small[0]
    assert parameter_index(net, np.int64(4)) == 4
    assert parameter_index(net, ("W", np.int32(2), 1, np.int64(2))) == parameter_index(net, ("W", 2, 1, 2))


# --- values and gradients -----------------------------------------------------------------
@pytest.mark.parametrize("loss", ["sse", "mse"])
def test_values_equal_the_network_loss_at_grid_points(small, loss):
    net, X, T = small
    s = loss_surface(net, X, T, loss, [("W", 1, 2, 0), ("b", 2, 1)], [(-2, 1), (0.5, 3)], n=(7, 5))
    assert s.loss.shape == (5, 7)
    for i, j in [(0, 0), (4, 6), (2, 3), (1, 5), (3, 0)]:
        probe = _with(net, s.indices, [s.u[j], s.v[i]])
        # the same forward pass on the same numbers: equal to the last bit
        assert s.loss[i, j] == probe.loss(X, T, loss)


def test_cross_entropy_surface_equals_the_network_loss(rng):
    net = nnmath.MLP([2, 4, 3], ["relu", "softmax"], rng=1)
    X = rng.normal(size=(6, 2))
    T = nnmath.one_hot([0, 1, 2, 2, 1, 0], 3)
    s = loss_surface(net, X, T, "cross_entropy", [("W", 2, 0, 1), ("W", 1, 3, 0)], [(-3, 3), (-3, 3)], n=6,
                     gradient=True)
    probe = _with(net, s.indices, [s.u[4], s.v[1]])
    value, dW, db = probe.loss_and_gradients(X, T, "cross_entropy")
    assert s.loss[1, 4] == value
    assert s.gradient[1, 4, 0] == dW[1][0, 1]
    assert s.gradient[1, 4, 1] == dW[0][3, 0]


def test_gradient_components_equal_backpropagation(small):
    net, X, T = small
    s = loss_surface(net, X, T, "mse", [("W", 2, 1, 2), ("b", 1, 0)], [(-1, 1), (-2, 2)], n=4, gradient=True)
    assert s.gradient.shape == (4, 4, 2)
    for i in range(4):
        for j in range(4):
            probe = _with(net, s.indices, [s.u[j], s.v[i]])
            _, dW, db = probe.loss_and_gradients(X, T, "mse")
            assert s.gradient[i, j, 0] == dW[1][1, 2]  # the same backward pass: exact
            assert s.gradient[i, j, 1] == db[0][0]


@pytest.mark.parametrize("loss", ["sse", "mse"])
def test_gradient_components_equal_finite_differences_of_the_surface(small, loss):
    """A 3 x 3 grid of half-width h around a point: its central differences are the gradient there."""
    net, X, T = small
    h = 1e-5
    spec = [("W", 1, 0, 1), ("W", 2, 0, 0)]
    for u0, v0 in [(0.3, -0.7), (-1.2, 1.5)]:
        s = loss_surface(net, X, T, loss, spec, [(u0 - h, u0 + h), (v0 - h, v0 + h)], n=3, gradient=True)
        du = (s.loss[1, 2] - s.loss[1, 0]) / (s.u[2] - s.u[0])
        dv = (s.loss[2, 1] - s.loss[0, 1]) / (s.v[2] - s.v[0])
        # central difference: truncation h^2/6 |L'''| ~ 1e-10 and round-off eps |L| / h ~ 1e-10
        # for losses of size ~1; 1e-7 leaves margin, a wrong gradient is off by far more.
        np.testing.assert_allclose(s.gradient[1, 1], [du, dv], rtol=1e-6, atol=1e-7)


def test_linear_neuron_surface_is_the_quadratic_by_hand():
    """y = w x + b with SSE: L(w, b) = 1/2 sum (w x + b - t)^2, and its gradient, in closed form."""
    net = nnmath.MLP([1, 1], ["identity"], rng=0)
    x = np.array([-1.0, 0.5, 2.0])
    t = np.array([0.0, 1.0, 3.0])
    s = loss_surface(net, x.reshape(-1, 1), t.reshape(-1, 1), "sse", [("W", 1, 0, 0), ("b", 1, 0)],
                     [(-1, 3), (-2, 2)], n=(9, 5), gradient=True)
    W, B = np.meshgrid(s.u, s.v)
    residual = W[..., None] * x + B[..., None] - t  # (n_v, n_u, 3)
    # a few additions of moderate numbers in a different order: round-off only
    np.testing.assert_allclose(s.loss, 0.5 * np.sum(residual**2, axis=-1), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(s.gradient[..., 0], np.sum(residual * x, axis=-1), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(s.gradient[..., 1], np.sum(residual, axis=-1), rtol=1e-13, atol=1e-13)


def test_layout_puts_the_first_parameter_along_columns():
    net = nnmath.MLP([1, 1], ["identity"], rng=0)
    X, T = [[1.0]], [[0.0]]
    # L = (w + b)^2 / 2 with x = 1: asymmetric ranges tell the axes apart
    s = loss_surface(net, X, T, "sse", [("W", 1, 0, 0), ("b", 1, 0)], [(0, 1), (10, 12)], n=(2, 3))
    assert s.u.tolist() == [0.0, 1.0] and s.v.tolist() == [10.0, 11.0, 12.0]
    assert s.loss[2, 1] == 0.5 * (1.0 + 12.0) ** 2  # small integers: exact
    assert s.loss[0, 0] == 0.5 * 10.0**2


def test_index_and_tuple_give_the_same_surface(small):
    net, X, T = small
    a = loss_surface(net, X, T, "sse", [("W", 2, 1, 0), ("b", 2, 0)], [(-1, 1), (-1, 1)], n=3)
    b = loss_surface(net, X, T, "sse", [parameter_index(net, ("W", 2, 1, 0)), 15], [(-1, 1), (-1, 1)], n=3)
    assert a.indices == b.indices == (parameter_index(net, ("W", 2, 1, 0)), 15)  # b2[0]: 9 + 6
    np.testing.assert_array_equal(a.loss, b.loss)


def test_the_network_is_unchanged(small):
    net, X, T = small
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    objects = [id(w) for w in net.weights] + [id(b) for b in net.biases]
    s = loss_surface(net, X, T, "sse", [("W", 1, 0, 0), ("b", 1, 2)], [(-5, 5), (-5, 5)], n=5, gradient=True)
    for before, after in zip(weights + biases, net.weights + net.biases):
        np.testing.assert_array_equal(before, after)
    assert [id(w) for w in net.weights] + [id(b) for b in net.biases] == objects
    assert s.center == (weights[0][0, 0], biases[0][2])


def test_argmin_and_result_fields():
    net = nnmath.MLP([1, 1], ["identity"], rng=0)
    X, T = [[1.0], [2.0]], [[2.0], [4.0]]  # t = 2x: zero loss at w = 2, b = 0
    s = loss_surface(net, X, T, "mse", [0, 1], [(0, 4), (-1, 1)], n=(9, 5))
    assert isinstance(s, LossSurface)
    assert s.argmin() == (2.0, 0.0, 0.0)
    assert s.gradient is None
    assert s.labels == ("W1[0, 0]", "b1[0]")
    assert s.loss_name == "mse"


@settings(max_examples=15)
@given(sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4), data=st.data())
def test_any_pair_of_parameters_any_network(sizes, data):
    net = nnmath.MLP(sizes, ["tanh"] * (len(sizes) - 1), rng=0)
    if net.n_parameters < 2:
        return
    p = data.draw(st.integers(0, net.n_parameters - 1))
    q = data.draw(st.integers(0, net.n_parameters - 1).filter(lambda k: k != p))
    before = net.get_parameters()
    X = np.linspace(-1, 1, 3 * sizes[0]).reshape(3, sizes[0])
    T = np.zeros((3, sizes[-1]))
    s = loss_surface(net, X, T, "sse", [p, q], [(-1, 1), (-2, 2)], n=3, gradient=True)
    assert s.loss.shape == (3, 3) and s.gradient.shape == (3, 3, 2)
    assert np.all(np.isfinite(s.loss)) and np.all(s.loss >= 0)
    np.testing.assert_array_equal(net.get_parameters(), before)
    # the centre of the grid is (0, 0): compare with the loss of the network set there directly
    assert s.loss[1, 1] == _with(net, (p, q), [0.0, 0.0]).loss(X, T, "sse")


# --- bad inputs --------------------------------------------------------------------------
@pytest.fixture
def args(small):
    net, X, T = small
    return {"net": net, "X": X, "T": T, "loss": "sse", "parameters": [0, 1], "ranges": [(-1, 1), (-1, 1)], "n": 3}


@pytest.mark.parametrize(
    "change, error, words",
    [
        ({"net": "not a net"}, TypeError, "net must be an nnmath.MLP"),
        ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'"),
        ({"loss": "cross_entropy"}, ValueError, "needs a softmax output layer"),
        ({"parameters": [0]}, TypeError, "parameters must be a pair"),
        ({"parameters": "W1"}, TypeError, "parameters must be a pair"),
        ({"parameters": [0, 0]}, ValueError, "two different parameters, got W1[0, 0] twice"),
        ({"parameters": [0, ("W", 1, 0, 0)]}, ValueError, "two different parameters"),
        ({"parameters": [0, 17]}, ValueError, "parameters[1] must be an index from 0 to 16"),
        ({"parameters": [-1, 0]}, ValueError, "parameters[0] must be an index from 0 to 16"),
        ({"parameters": [True, 0]}, TypeError, "parameters[0] must be an index"),
        ({"parameters": [0.5, 0]}, TypeError, "parameters[0] must be an index"),
        ({"parameters": [0, ["W", 1, 0, 0]]}, TypeError, "parameters[1] must be an index"),
        ({"parameters": [0, ("w", 1, 0, 0)]}, ValueError, "must start with 'W' (a weight) or 'b' (a bias)"),
        ({"parameters": [0, ("W", 1, 0)]}, ValueError, "('W', layer, row, column)"),
        ({"parameters": [0, ("b", 1, 0, 0)]}, ValueError, "('b', layer, row)"),
        ({"parameters": [0, ("W", 3, 0, 0)]}, ValueError, "names layer 3, but this network has layers 1 to 2"),
        ({"parameters": [0, ("W", 0, 0, 0)]}, ValueError, "layer must be at least 1"),
        ({"parameters": [0, ("W", 1, 3, 0)]}, ValueError, "row must be from 0 to 2 (layer 1 has 3 units), got 3"),
        ({"parameters": [0, ("W", 1, 0, 2)]}, ValueError, "column must be from 0 to 1 (layer 1 has 2 inputs)"),
        ({"parameters": [0, ("b", 2, 2)]}, ValueError, "row must be from 0 to 1 (layer 2 has 2 units)"),
        ({"parameters": [0, ("W", 1.0, 0, 0)]}, TypeError, "layer must be a whole number"),
        ({"ranges": [(-1, 1)]}, TypeError, "ranges must be a pair"),
        ({"ranges": [(1, -1), (-1, 1)]}, ValueError, "ranges[0] must be (low, high) with low < high, got (1, -1)"),
        ({"ranges": [(-1, 1), (0, 0)]}, ValueError, "ranges[1] must be (low, high) with low < high"),
        ({"ranges": [(-1, 1), (0, np.inf)]}, ValueError, "ranges[1][1] must be a finite number"),
        ({"ranges": [(-1, 1), 5]}, TypeError, "ranges[1] must be a pair (low, high)"),
        ({"n": 1}, ValueError, "n must be at least 2"),
        ({"n": 2.5}, TypeError, "n must be a whole number"),
        ({"n": (3, 1)}, ValueError, "n[1] must be at least 2"),
        ({"n": (3, 3, 3)}, ValueError, "n must be a whole number or a pair"),
        ({"X": np.zeros((8, 3))}, ValueError, "X must have shape (n_samples, 2)"),
        ({"T": np.zeros((7, 2))}, ValueError, "T must have shape (8, 2)"),
        ({"X": "data"}, TypeError, "X must be numbers"),
    ],
)
def test_bad_inputs_name_the_argument(args, change, error, words):
    with pytest.raises(error) as info:
        loss_surface(**{**args, **change})
    assert words in str(info.value)


def test_gradient_flag_must_be_a_bool(args):
    with pytest.raises(TypeError, match="gradient must be True or False"):
        loss_surface(**args, gradient="yes")


def test_overflow_on_the_grid_names_the_point():
    net = nnmath.MLP([1, 1], ["identity"], rng=0)
    with pytest.raises(ValueError, match=r"at W1\[0, 0\] = 1e\+308, b1\[0\] = .*choose smaller ranges"):
        loss_surface(net, [[10.0]], [[0.0]], "sse", [0, 1], [(0, 1e308), (0, 1)], n=2)


def test_parameter_helpers_reject_bad_arguments(small):
    net = small[0]
    with pytest.raises(TypeError, match="net must be an nnmath.MLP"):
        parameter_index("net", 0)
    with pytest.raises(TypeError, match="net must be an nnmath.MLP"):
        parameter_label(None, 0)
    with pytest.raises(ValueError, match="parameter must be an index from 0 to 16"):
        parameter_index(net, 99)
    with pytest.raises(TypeError, match="parameter must be an index"):
        parameter_label(net, "W1")
