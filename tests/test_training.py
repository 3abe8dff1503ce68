"""The learning loop nnmath.training.train: updates, stopping rules, mini-batches, divergence, errors."""

from __future__ import annotations

import numpy as np
import pytest

import nnmath
from conftest import NoWarnings
from nnmath.datasets import logic_gate
from nnmath.training import STOP_REASONS, History, train


@pytest.fixture
def line_data():
    """t = 2x + 1 at five points: a linear neuron can fit it exactly."""
    X = np.linspace(-1.0, 1.0, 5).reshape(-1, 1)
    return X, 2.0 * X + 1.0


@pytest.fixture
def curve_data():
    """A smooth curve that a small tanh network fits well but not exactly."""
    X = np.linspace(-2.0, 2.0, 21).reshape(-1, 1)
    return X, np.sin(1.5 * X)


def linear_net(seed=0):
    return nnmath.MLP([1, 1], ["identity"], rng=seed)


def small_net(seed=0):
    return nnmath.MLP([1, 6, 1], ["tanh", "identity"], rng=seed)


# --- what one step does --------------------------------------------------------------
def test_each_step_is_one_gradient_descent_update_as_in_mlp_step(curve_data):
    X, T = curve_data
    trained, stepped = small_net(), small_net()
    history = train(trained, X, T, "mse", learning_rate=0.05, steps=7)
    losses = [stepped.step(X, T, "mse", 0.05) for _ in range(7)]
    for a, b in zip(trained.get_parameters(), stepped.get_parameters()):
        assert a == b  # the same arithmetic in the same order: identical floats
    np.testing.assert_array_equal(history.loss[:-1], losses)
    assert history.loss[-1] == stepped.loss(X, T, "mse")


def test_gradient_norm_is_the_length_of_the_full_parameter_gradient(curve_data):
    X, T = curve_data
    net = small_net()
    _, dW, db = net.loss_and_gradients(X, T, "sse")
    flat = np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])
    history = train(net, X, T, "sse", learning_rate=0.01, steps=0)
    assert history.gradient_norm[0] == pytest.approx(np.linalg.norm(flat), rel=1e-14)


def test_loss_decreases_on_an_easy_problem(line_data):
    X, T = line_data
    history = train(linear_net(), X, T, "mse", learning_rate=0.1, steps=200)
    # Linear least squares is a convex quadratic; with a learning rate below
    # 2/curvature every step lowers the loss.
    assert np.all(np.diff(history.loss) <= 0)
    assert history.final_loss < 1e-6 * history.loss[0]


def test_a_classifier_with_cross_entropy_learns():
    X, labels = logic_gate("or")
    net = nnmath.MLP([2, 2], ["softmax"], rng=1)
    history = train(net, X, nnmath.one_hot(labels, 2), "cross_entropy", learning_rate=1.0, steps=300)
    assert history.final_loss < 0.1 < history.loss[0]
    np.testing.assert_array_equal(net.forward(X).argmax(axis=1), labels)


# --- history and stopping -------------------------------------------------------------------
def test_history_arrays_have_one_entry_per_step_plus_the_start(curve_data):
    X, T = curve_data
    history = train(small_net(), X, T, "mse", learning_rate=0.05, steps=12)
    assert isinstance(history, History)
    assert history.steps == 12
    assert history.loss.shape == history.gradient_norm.shape == (13,)
    assert history.stop_reason == "step budget"
    assert history.learning_rate == 0.05
    assert history.stop_reason in STOP_REASONS


def test_zero_steps_evaluates_but_does_not_change_the_network(curve_data):
    X, T = curve_data
    net = small_net()
    before = net.get_parameters()
    history = train(net, X, T, "mse", learning_rate=0.05, steps=0)
    np.testing.assert_array_equal(net.get_parameters(), before)
    assert history.steps == 0 and history.stop_reason == "step budget"
    assert history.loss[0] == net.loss(X, T, "mse")


def test_stops_at_the_loss_tolerance(line_data):
    X, T = line_data
    history = train(linear_net(), X, T, "mse", learning_rate=0.1, steps=10_000, loss_tolerance=1e-8)
    assert history.stop_reason == "loss tolerance"
    assert history.final_loss <= 1e-8 < history.loss[-2]  # stopped at the first step below it
    assert history.steps < 10_000


def test_stops_at_the_gradient_tolerance(curve_data):
    X, T = curve_data
    history = train(small_net(), X, T, "mse", learning_rate=0.2, steps=20_000, gradient_tolerance=1e-2)
    assert history.stop_reason == "gradient tolerance"
    assert history.gradient_norm[-1] <= 1e-2 < history.gradient_norm[-2]


def test_loss_tolerance_is_checked_before_gradient_tolerance(line_data):
    X, T = line_data
    net = linear_net()
    net.weights, net.biases = [np.array([[2.0]])], [np.array([1.0])]  # already exact
    history = train(net, X, T, "mse", learning_rate=0.1, steps=5, loss_tolerance=1e-3, gradient_tolerance=1e-3)
    assert history.stop_reason == "loss tolerance" and history.steps == 0


def test_runs_the_whole_budget_when_the_tolerances_are_not_reached(curve_data):
    X, T = curve_data
    history = train(small_net(), X, T, "mse", learning_rate=0.05, steps=30, loss_tolerance=1e-12,
                    gradient_tolerance=1e-12)
    assert history.stop_reason == "step budget" and history.steps == 30


def test_history_prints_a_short_summary(line_data):
    X, T = line_data
    history = train(linear_net(), X, T, "mse", learning_rate=0.1, steps=3)
    lines = str(history).splitlines()
    assert lines[0] == "stopped by the step budget after 3 steps (learning rate 0.1)"
    assert lines[1].startswith(f"  loss {history.loss[0]:.4g} -> {history.loss[-1]:.4g}, gradient norm ")
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    one = train(linear_net(), X, T, "mse", learning_rate=0.1, steps=1)
    assert "after 1 step (" in str(one)


# --- mini-batches and randomness ---------------------------------------------------------------
def test_mini_batches_are_reproducible_with_a_seed(curve_data):
    X, T = curve_data
    runs = []
    for rng in (5, np.random.default_rng(5)):
        net = small_net()
        history = train(net, X, T, "mse", learning_rate=0.05, steps=40, batch_size=4, rng=rng)
        runs.append((history.loss, net.get_parameters()))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_different_seeds_draw_different_mini_batches(curve_data):
    X, T = curve_data
    a = train(small_net(), X, T, "mse", learning_rate=0.05, steps=10, batch_size=4, rng=1)
    b = train(small_net(), X, T, "mse", learning_rate=0.05, steps=10, batch_size=4, rng=2)
    assert not np.array_equal(a.loss, b.loss)


def test_a_mini_batch_of_every_sample_is_full_batch_descent(curve_data):
    X, T = curve_data
    full, shuffled = small_net(), small_net()
    h_full = train(full, X, T, "mse", learning_rate=0.05, steps=20)
    h_shuffled = train(shuffled, X, T, "mse", learning_rate=0.05, steps=20, batch_size=len(X), rng=0)
    # The same sums in a different order: equal up to round-off (~1e-16 per step).
    np.testing.assert_allclose(h_shuffled.loss, h_full.loss, rtol=1e-12)
    np.testing.assert_allclose(shuffled.get_parameters(), full.get_parameters(), rtol=1e-12, atol=1e-14)


def test_mini_batch_losses_are_measured_on_the_batch(curve_data):
    X, T = curve_data
    history = train(small_net(), X, T, "sse", learning_rate=0.01, steps=0, batch_size=1, rng=0)
    row = np.random.default_rng(0).choice(len(X), size=1, replace=False)
    assert history.loss[0] == small_net().loss(X[row], T[row], "sse")


def test_full_batch_training_ignores_the_rng(curve_data):
    X, T = curve_data
    a = train(small_net(), X, T, "mse", learning_rate=0.05, steps=5, rng=1)
    b = train(small_net(), X, T, "mse", learning_rate=0.05, steps=5)
    np.testing.assert_array_equal(a.loss, b.loss)


def test_training_draws_nothing_from_the_global_random_state(curve_data):
    X, T = curve_data
    state = np.random.get_state()[1].copy()
    train(small_net(), X, T, "mse", learning_rate=0.05, steps=5, batch_size=3, rng=0)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


# --- divergence ----------------------------------------------------------------------------------------
def test_divergence_raises_with_the_step_and_no_warnings(curve_data):
    X, T = curve_data
    net = small_net()
    with NoWarnings() as caught, pytest.raises(nnmath.DivergenceError) as info:
        train(net, X, T, "sse", learning_rate=5.0, steps=1000)
    assert caught.messages == []
    error = info.value
    assert error.learning_rate == 5.0
    assert error.step >= 1
    assert error.trajectory.shape == (error.step,)  # the losses at iterates 0 .. step - 1
    assert np.all(np.isfinite(error.trajectory))
    assert "diverged at step" in str(error) and "smaller learning rate" in str(error)
    # The network keeps its last finite parameters.
    assert np.all(np.isfinite(net.get_parameters()))


def test_the_reported_step_is_the_first_one_that_fails(curve_data):
    X, T = curve_data
    with pytest.raises(nnmath.DivergenceError) as info:
        train(small_net(), X, T, "sse", learning_rate=5.0, steps=1000)
    step = info.value.step
    history = train(small_net(), X, T, "sse", learning_rate=5.0, steps=step - 1)
    assert history.steps == step - 1
    np.testing.assert_array_equal(history.loss, info.value.trajectory)


def test_divergence_of_a_linear_model_grows_geometrically_before_it_fails(line_data):
    X, T = line_data
    with NoWarnings() as caught, pytest.raises(nnmath.DivergenceError) as info:
        train(linear_net(), X, T, "sse", learning_rate=2.0, steps=10_000)
    assert caught.messages == []
    losses = info.value.trajectory
    assert losses[-1] > 1e100 and np.all(np.diff(losses[5:]) > 0)


def test_divergence_with_mini_batches_raises_too(curve_data):
    X, T = curve_data
    with NoWarnings() as caught, pytest.raises(nnmath.DivergenceError):
        train(small_net(), X, T, "sse", learning_rate=20.0, steps=1000, batch_size=5, rng=0)
    assert caught.messages == []


# --- the callback -----------------------------------------------------------------------------------------
def test_the_callback_sees_every_step_with_the_parameters_after_k_updates(curve_data):
    X, T = curve_data
    seen = []

    def record(k, net, trace):
        seen.append((k, net.get_parameters(), trace.loss, trace.a[-1].shape))

    history = train(small_net(), X, T, "mse", learning_rate=0.05, steps=6, callback=record)
    assert [k for k, *_ in seen] == list(range(7))
    np.testing.assert_array_equal([loss for _, _, loss, _ in seen], history.loss)
    assert all(shape == T.shape for *_, shape in seen)  # the step's forward pass, on all samples
    for k, parameters, _, _ in seen:
        stepped = small_net()
        train(stepped, X, T, "mse", learning_rate=0.05, steps=k)
        np.testing.assert_array_equal(parameters, stepped.get_parameters())


def test_the_callback_changes_nothing_about_training(curve_data):
    X, T = curve_data
    plain, watched = small_net(), small_net()
    a = train(plain, X, T, "mse", learning_rate=0.05, steps=20, batch_size=4, rng=1)
    b = train(watched, X, T, "mse", learning_rate=0.05, steps=20, batch_size=4, rng=1,
              callback=lambda k, net, trace: None)
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(plain.get_parameters(), watched.get_parameters())


def test_the_callback_sees_the_mini_batch_of_each_step(curve_data):
    X, T = curve_data
    rows = []
    train(small_net(), X, T, "mse", learning_rate=0.05, steps=3, batch_size=4, rng=0,
          callback=lambda k, net, trace: rows.append(trace.a[0].shape[0]))
    assert rows == [4, 4, 4, 4]


def test_the_callback_stops_with_the_loop(line_data, curve_data):
    X, T = line_data
    calls = []
    history = train(linear_net(), X, T, "mse", learning_rate=0.1, steps=500, loss_tolerance=1e-6,
                    callback=lambda k, net, trace: calls.append(k))
    assert history.stop_reason == "loss tolerance" and calls == list(range(history.steps + 1))
    X, T = curve_data
    calls = []
    with pytest.raises(nnmath.DivergenceError) as info:
        train(small_net(), X, T, "sse", learning_rate=5.0, steps=1000, callback=lambda k, net, trace: calls.append(k))
    assert calls == list(range(info.value.step))  # never called for the step that is not finite


# --- bad arguments ---------------------------------------------------------------------------------------
def call(line_data, **changes):
    X, T = line_data
    arguments = {"net": linear_net(), "X": X, "T": T, "loss": "mse", "learning_rate": 0.1, "steps": 3}
    arguments.update(changes)
    return train(**arguments)


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"net": "a network"}, TypeError, "net must be an nnmath.MLP"),
        ({"net": None}, TypeError, "net must be an nnmath.MLP"),
        ({"X": np.zeros(5)}, ValueError, "X must have 2 dimension(s)"),
        ({"X": np.zeros((5, 2))}, ValueError, "X must have shape (n_samples, 1)"),
        ({"X": "inputs"}, TypeError, "X must be numbers"),
        ({"T": np.zeros((4, 1))}, ValueError, "T must have shape (5, 1)"),
        ({"T": np.zeros(5)}, ValueError, "T must have shape (5, 1)"),
        ({"T": np.full((5, 1), np.nan)}, ValueError, "T must contain only finite numbers"),
        ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'"),
        ({"loss": "cross_entropy"}, ValueError, "needs a softmax output layer"),
        ({"learning_rate": 0.0}, ValueError, "learning_rate must be greater than 0, got 0.0"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be greater than 0"),
        ({"learning_rate": np.inf}, ValueError, "learning_rate must be a finite number"),
        ({"learning_rate": np.nan}, ValueError, "learning_rate must be a finite number"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a real number"),
        ({"learning_rate": True}, TypeError, "learning_rate must be a real number"),
        ({"steps": -1}, ValueError, "steps must be at least 0, got -1"),
        ({"steps": 2.5}, TypeError, "steps must be a whole number"),
        ({"steps": True}, TypeError, "steps must be a whole number"),
        ({"loss_tolerance": 0.0}, ValueError, "loss_tolerance must be greater than 0"),
        ({"loss_tolerance": -1e-3}, ValueError, "loss_tolerance must be greater than 0"),
        ({"loss_tolerance": np.nan}, ValueError, "loss_tolerance must be a finite number"),
        ({"gradient_tolerance": 0}, ValueError, "gradient_tolerance must be greater than 0"),
        ({"gradient_tolerance": "small"}, TypeError, "gradient_tolerance must be a real number"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
        ({"batch_size": 6}, ValueError, "batch_size must be from 1 to the number of samples (5), got 6"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be a whole number"),
        ({"batch_size": 2, "rng": "seed"}, TypeError, "rng must be a numpy.random.Generator"),
        ({"batch_size": 2, "rng": -1}, ValueError, "rng must be a non-negative seed"),
        ({"rng": 1.5}, TypeError, "rng must be a numpy.random.Generator"),
        ({"callback": "print"}, TypeError, "callback must be a function (callable), got 'print'"),
    ],
)
def test_bad_arguments_raise_clear_errors(line_data, changes, error, words):
    with pytest.raises(error) as info:
        call(line_data, **changes)
    assert words in str(info.value)


def test_non_finite_starting_parameters_are_an_error_not_a_divergence(line_data):
    net = linear_net()
    net.weights[0][0, 0] = np.nan  # changed in place: assignment checks cannot see it
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) contains NaN or infinity"):
        call(line_data, net=net)


def test_the_trained_parameters_are_still_checked_by_the_next_call(line_data):
    # The loop stores its own updates without re-checking them; the reader's
    # assignments and in-place changes afterwards are checked as before.
    X, T = line_data
    net = linear_net()
    train(net, X, T, "mse", learning_rate=0.1, steps=3)
    assert [w.dtype for w in (*net.weights, *net.biases)] == [np.float64] * 2
    with pytest.raises(ValueError, match=r"weights\[0\] \(layer 1\) must have shape \(1, 1\)"):
        net.weights[0] = [[1.0, 2.0]]
    net.biases[0][0] = np.inf
    with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\) contains NaN or infinity"):
        net.forward(X)
    with pytest.raises(ValueError, match=r"biases\[0\] \(layer 1\) contains NaN or infinity"):
        train(net, X, T, "mse", learning_rate=0.1, steps=3)


def test_a_bad_call_leaves_the_network_unchanged(line_data):
    net = linear_net()
    before = net.get_parameters()
    with pytest.raises(ValueError):
        call(line_data, net=net, batch_size=99)
    np.testing.assert_array_equal(net.get_parameters(), before)


# --- weight decay ---------------------------------------------------------------------
def test_weight_decay_step_is_the_hand_written_update(curve_data):
    # W <- W - eta (dL/dW + lambda W) for the weights, b <- b - eta dL/db for the
    # biases, written here from the trace's gradients (no decay on the biases).
    X, T = curve_data
    eta, lam = 0.05, 0.3
    trained, by_hand = small_net(), small_net()
    train(trained, X, T, "mse", learning_rate=eta, steps=3, weight_decay=lam)
    for _ in range(3):
        trace = by_hand.trace(X, T, "mse")
        by_hand.weights = [(1 - eta * lam) * W - eta * dW for W, dW in zip(by_hand.weights, trace.weight_grads)]
        by_hand.biases = [b - eta * db for b, db in zip(by_hand.biases, trace.bias_grads)]
    for got, want in zip([*trained.weights, *trained.biases], [*by_hand.weights, *by_hand.biases]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)  # same arithmetic, reordered


def test_weight_decay_is_gradient_descent_on_the_penalised_loss(curve_data):
    # One step with weight decay equals one step along a central difference of
    # L + (lambda/2) sum ||W||^2 (computed in the test), to the difference's accuracy.
    from conftest import central_difference_gradient

    X, T = curve_data
    eta, lam = 0.1, 0.5
    net = small_net()
    theta0 = net.get_parameters()
    probe = net.copy()

    def penalised(theta):
        probe.set_parameters(theta)
        return probe.loss(X, T, "mse") + lam / 2 * sum(np.sum(W**2) for W in probe.weights)

    expected = theta0 - eta * central_difference_gradient(penalised, theta0)
    train(net, X, T, "mse", learning_rate=eta, steps=1, weight_decay=lam)
    # central differences with h = 6e-6 on an O(1) smooth loss: errors ~1e-10, times eta
    np.testing.assert_allclose(net.get_parameters(), expected, atol=1e-8)


def test_zero_weight_decay_is_plain_training(curve_data):
    X, T = curve_data
    a, b = small_net(), small_net()
    ha = train(a, X, T, "mse", 0.05, 10)
    hb = train(b, X, T, "mse", 0.05, 10, weight_decay=0.0)
    np.testing.assert_array_equal(ha.loss, hb.loss)
    assert hb.weight_decay == 0.0 and hb.validation_loss is None and hb.best_step is None


def test_weight_decay_shrinks_the_weights_but_not_the_biases(line_data):
    # At an exact fit the data gradient is 0, so one step multiplies W by 1 - eta lambda and leaves b.
    X, T = line_data
    net = linear_net()
    net.weights = [np.array([[2.0]])]
    net.biases = [np.array([1.0])]
    train(net, X, T, "sse", learning_rate=0.1, steps=1, weight_decay=0.5)
    np.testing.assert_allclose(net.weights[0], [[2.0 * (1 - 0.1 * 0.5)]], rtol=1e-14)
    np.testing.assert_allclose(net.biases[0], [1.0], rtol=1e-14)


# --- early stopping ---------------------------------------------------------------------
@pytest.fixture
def noisy_split():
    """Few noisy points of a sine: a wide network overfits them."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, size=(24, 1))
    T = np.sin(3 * X) + 0.3 * rng.normal(size=X.shape)
    return nnmath.split(X, T, validation=0.5, rng=0)


def test_validation_loss_is_recorded_at_every_step(noisy_split):
    train_set, val, _ = noisy_split
    net = nnmath.MLP([1, 20, 1], ["tanh", "identity"], rng=0)
    seen = []
    history = train(net, train_set.X, train_set.T, "mse", 0.1, 30, validation=val,
                    callback=lambda k, n, trace: seen.append(n.loss(val.X, val.T, "mse")))
    assert history.validation_loss.shape == history.loss.shape == (31,)
    np.testing.assert_allclose(history.validation_loss, seen, rtol=1e-14)
    assert history.best_step == int(np.argmin(history.validation_loss))
    assert history.stop_reason == "step budget"


def test_early_stopping_restores_the_best_validation_parameters(noisy_split):
    train_set, val, _ = noisy_split
    snapshots = []
    net = nnmath.MLP([1, 40, 1], ["tanh", "identity"], rng=0)
    history = train(net, train_set.X, train_set.T, "mse", 0.2, 3000, validation=(val.X, val.T),
                    patience=50, callback=lambda k, n, trace: snapshots.append(n.get_parameters()))
    assert history.stop_reason == "early stopping"
    best = history.best_step
    # stopped exactly patience steps after the best, which stayed the minimum
    assert history.steps == best + 50
    assert history.validation_loss[best] == history.validation_loss.min()
    assert np.all(history.validation_loss[best + 1:] >= history.validation_loss[best])
    np.testing.assert_array_equal(net.get_parameters(), snapshots[best])
    assert net.loss(val.X, val.T, "mse") == pytest.approx(history.validation_loss[best], rel=1e-14)


def test_patience_restores_the_best_even_when_the_budget_ends_training(noisy_split):
    train_set, val, _ = noisy_split
    snapshots = []
    net = nnmath.MLP([1, 40, 1], ["tanh", "identity"], rng=0)
    history = train(net, train_set.X, train_set.T, "mse", 0.2, 40, validation=val, patience=10_000,
                    callback=lambda k, n, trace: snapshots.append(n.get_parameters()))
    assert history.stop_reason == "step budget"
    np.testing.assert_array_equal(net.get_parameters(), snapshots[history.best_step])
    assert "best" in str(history)


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"weight_decay": -0.1}, ValueError, "weight_decay must be at least 0"),
        ({"weight_decay": float("nan")}, ValueError, "weight_decay must be a finite number"),
        ({"weight_decay": "a lot"}, TypeError, "weight_decay must be a real number"),
        ({"validation": ([[1.0, 2.0]], [[1.0]])}, ValueError, "validation X must have shape (n_val, 1)"),
        ({"validation": ([[1.0]], [[1.0, 2.0]])}, ValueError, "validation T must have shape (1, 1)"),
        ({"validation": [[1.0]]}, TypeError, "validation must be a pair"),
        ({"validation": ([[1.0]], [[1.0]]), "patience": 0}, ValueError, "patience must be at least 1"),
        ({"validation": ([[1.0]], [[1.0]]), "patience": 2.5}, TypeError, "patience must be a whole number"),
        ({"patience": 5}, ValueError, "patience needs a validation set"),
    ],
)
def test_regularisation_arguments_raise_clear_errors(line_data, changes, error, words):
    X, T = line_data
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        train(linear_net(), X, T, "mse", 0.1, 5, **changes)
