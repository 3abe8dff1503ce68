"""nnmath.classification: the argmax rule, accuracy, decision regions, training with snapshots."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnmath
from conftest import NoWarnings
from nnmath.classification import (
    TrainingRun,
    accuracy,
    decision_regions,
    labels_from_targets,
    predict_classes,
    train_with_snapshots,
)


def three_way_net():
    """A softmax layer whose logits are (x1, x2, -x1 - x2): class 0, 1 or 2 by the larger input."""
    net = nnmath.MLP([2, 3], ["softmax"], rng=0)
    net.weights[0] = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    return net


@pytest.fixture
def spiral_data():
    X, labels = nnmath.datasets.spirals(20, n_classes=3, noise=0.1, rng=0)
    return X, labels, nnmath.one_hot(labels, 3)


def spiral_net(seed=1):
    return nnmath.MLP([2, 8, 8, 3], ["relu", "relu", "softmax"], rng=seed, init="he")


# --- the decision rule ---------------------------------------------------------------------
def test_predicted_class_is_the_most_probable_one():
    X = np.array([[2.0, 0.0], [0.0, 3.0], [-1.0, -1.0], [1.0, 1.0]])
    np.testing.assert_array_equal(predict_classes(three_way_net(), X), [0, 1, 2, 0])  # tie -> lower index


@given(st.integers(0, 10_000))
def test_argmax_of_probabilities_is_argmax_of_logits(seed):
    """softmax keeps the order of the logits (p_i / p_j = exp(z_i - z_j)), so both rules agree."""
    net = nnmath.MLP([2, 5, 4], ["tanh", "softmax"], rng=seed)
    X = np.random.default_rng(seed).normal(size=(50, 2))
    logits = net.trace(X).z[2]
    np.testing.assert_array_equal(predict_classes(net, X), np.argmax(logits, axis=1))


def test_a_single_sigmoid_output_predicts_class_one_from_one_half():
    net = nnmath.MLP([1, 1], ["sigmoid"], rng=0)
    net.weights[0] = np.array([[1.0]])
    np.testing.assert_array_equal(predict_classes(net, [[-2.0], [0.0], [3.0]]), [0, 1, 1])
    assert accuracy(net, [[-2.0], [0.0], [3.0]], [0, 0, 1]) == pytest.approx(2 / 3)


def test_accuracy_counts_the_correct_predictions():
    X = np.array([[2.0, 0.0], [0.0, 3.0], [-1.0, -1.0], [1.0, 0.0]])
    assert accuracy(three_way_net(), X, [0, 1, 2, 2]) == 0.75
    assert accuracy(three_way_net(), X, [0, 1, 2, 0]) == 1.0
    assert accuracy(three_way_net(), X, np.array([1.0, 0.0, 0.0, 1.0])) == 0.0  # whole floats are fine


@pytest.mark.parametrize(
    "labels, error, words",
    [
        ([0, 1, 2], ValueError, r"labels must have one class label per sample, shape \(4,\), got shape \(3,\)"),
        ([0, 1, 2, 3], ValueError, "labels must be class indices from 0 to 2 for a network with 3 classes, got 3"),
        ([0, 1, -1, 2], ValueError, "from 0 to 2 .* got -1"),
        ([0, 1, 1.5, 2], ValueError, "labels must be whole numbers"),
        ([0, 1, np.nan, 2], ValueError, "labels must contain only finite numbers"),
        ("0123", TypeError, "labels must be numbers"),
        ([[0, 1, 2, 0]], ValueError, "labels must have 1 dimension"),
    ],
)
def test_bad_labels_are_named(labels, error, words):
    X = np.zeros((4, 2))
    with pytest.raises(error, match=words):
        accuracy(three_way_net(), X, labels)


def test_bad_networks_and_inputs_are_named():
    with pytest.raises(TypeError, match="net must be an nnmath.MLP, got 'a network'"):
        predict_classes("a network", [[0.0, 0.0]])
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        predict_classes(three_way_net(), [[0.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        accuracy(three_way_net(), [[np.nan, 0.0]], [0])


# --- decision regions ------------------------------------------------------------------------
def test_decision_regions_are_the_predicted_classes_on_a_grid():
    net = three_way_net()
    G1, G2, classes = decision_regions(net, (-1.0, 2.0), (-3.0, 1.0), resolution=7)
    assert G1.shape == G2.shape == classes.shape == (7, 7)
    np.testing.assert_allclose(G1[0], np.linspace(-1.0, 2.0, 7))
    np.testing.assert_allclose(G2[:, 0], np.linspace(-3.0, 1.0, 7))
    expected = predict_classes(net, np.column_stack([G1.ravel(), G2.ravel()])).reshape(7, 7)
    np.testing.assert_array_equal(classes, expected)
    assert classes.dtype == np.int64


def test_decision_regions_of_a_linear_boundary():
    net = nnmath.MLP([2, 2], ["softmax"], rng=0)
    net.weights[0] = np.array([[1.0, 0.0], [-1.0, 0.0]])  # class 0 where x1 > 0
    G1, _, classes = decision_regions(net, (-1.0, 1.0), (0.0, 1.0), resolution=5)
    np.testing.assert_array_equal(classes, np.where(G1 >= 0, 0, 1))  # a tie at x1 = 0 goes to class 0


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"xlim": (1.0, 1.0)}, ValueError, r"xlim must be \(low, high\) with low < high"),
        ({"ylim": (2.0, -2.0)}, ValueError, "ylim must be"),
        ({"xlim": "wide"}, TypeError, r"xlim must be a pair \(low, high\)"),
        ({"xlim": (0.0, 1.0, 2.0)}, TypeError, "xlim must be a pair"),
        ({"ylim": (0.0, np.nan)}, ValueError, r"ylim\[1\] must be a finite number"),
        ({"resolution": 1}, ValueError, "resolution must be at least 2, got 1"),
        ({"resolution": 2001}, ValueError, "resolution must be at most 2000"),
        ({"resolution": 10.0}, TypeError, "resolution must be a whole number"),
    ],
)
def test_bad_grids_are_named(kwargs, error, words):
    arguments = {"xlim": (-1.0, 1.0), "ylim": (-1.0, 1.0), "resolution": 4, **kwargs}
    with pytest.raises(error, match=words):
        decision_regions(three_way_net(), **arguments)


def test_decision_regions_need_two_inputs():
    with pytest.raises(ValueError, match="net must have 2 inputs"):
        decision_regions(nnmath.MLP([3, 2], ["softmax"], rng=0), (0, 1), (0, 1))


# --- labels from targets ----------------------------------------------------------------------
def test_labels_from_one_hot_targets_round_trip():
    labels = np.array([2, 0, 1, 1, 0])
    np.testing.assert_array_equal(labels_from_targets(nnmath.one_hot(labels, 3)), labels)
    np.testing.assert_array_equal(labels_from_targets([[0.0], [1.0], [0.7]]), [0, 1, 1])
    with pytest.raises(ValueError, match="T must have 2 dimension"):
        labels_from_targets([0, 1, 2])


# --- training with snapshots ------------------------------------------------------------------
def test_the_loop_is_nnmath_train_itself(spiral_data):
    X, labels, T = spiral_data
    run = train_with_snapshots(spiral_net(), X, T, "cross_entropy", 0.5, 40)
    reference = spiral_net()
    history = nnmath.train(reference, X, T, "cross_entropy", 0.5, 40)
    np.testing.assert_array_equal(run.loss, history.loss)
    np.testing.assert_array_equal(run.history.gradient_norm, history.gradient_norm)
    assert run.history.stop_reason == "step budget" and run.steps == 40 and run.diverged_at is None


def test_accuracy_after_each_step_and_snapshots_match_the_network_at_that_step(spiral_data):
    X, labels, T = spiral_data
    net = spiral_net()
    run = train_with_snapshots(net, X, T, "cross_entropy", 0.5, 60, at=[60, 0, 25, 25])
    assert sorted(run.snapshots) == [0, 25, 60]
    assert run.accuracy.shape == run.loss.shape == (61,)
    for k, snapshot in run.snapshots.items():
        assert run.accuracy[k] == accuracy(snapshot, X, labels)
        assert snapshot.loss(X, T, "cross_entropy") == run.loss[k]
        stepped = spiral_net()
        nnmath.train(stepped, X, T, "cross_entropy", 0.5, k)
        np.testing.assert_array_equal(snapshot.get_parameters(), stepped.get_parameters())
    # the snapshots are copies: the trained network and they do not share arrays
    np.testing.assert_array_equal(run.snapshots[60].get_parameters(), net.get_parameters())
    net.weights[0][:] = 0.0
    assert np.any(run.snapshots[60].weights[0] != 0.0)
    assert run.final_accuracy == accuracy(run.snapshots[60], X, labels)
    assert run.final_accuracy > run.accuracy[0]


def test_mini_batches_record_the_accuracy_on_all_the_data(spiral_data):
    X, labels, T = spiral_data
    one = train_with_snapshots(spiral_net(), X, T, "cross_entropy", 0.3, 30, at=(10, 30), batch_size=8, rng=3)
    two = train_with_snapshots(spiral_net(), X, T, "cross_entropy", 0.3, 30, at=(10, 30), batch_size=8, rng=3)
    np.testing.assert_array_equal(one.loss, two.loss)  # seeded: reproducible
    for k in (10, 30):
        assert one.accuracy[k] == accuracy(one.snapshots[k], X, labels)


def test_a_run_that_stops_early_keeps_the_snapshots_it_reached(spiral_data):
    X, labels, T = spiral_data
    run = train_with_snapshots(spiral_net(), X, T, "cross_entropy", 1.0, 2000, at=(0, 10, 2000),
                               loss_tolerance=0.5)
    assert run.history.stop_reason == "loss tolerance"
    assert run.steps < 2000 and sorted(run.snapshots) == [0, 10]
    assert len(run.accuracy) == len(run.loss)


def test_a_single_sigmoid_output_with_squared_error():
    X, labels = nnmath.datasets.moons(40, noise=0.1, rng=0)
    net = nnmath.MLP([2, 8, 1], ["tanh", "sigmoid"], rng=0)
    run = train_with_snapshots(net, X, labels.reshape(-1, 1), "mse", 2.0, 200, at=(200,))
    assert run.final_accuracy == accuracy(net, X, labels) > 0.8


def diverging(X, T, on_divergence):
    net = nnmath.MLP([2, 8, 3], ["tanh", "identity"], rng=0)
    return train_with_snapshots(net, X, T, "sse", 50.0, 500, at=(0, 1, 499), on_divergence=on_divergence)


def test_divergence_raises_by_default(spiral_data):
    X, labels, T = spiral_data
    with NoWarnings() as caught, pytest.raises(nnmath.DivergenceError):
        diverging(X, T, "raise")
    assert caught.messages == []


def test_divergence_can_be_recorded(spiral_data):
    X, labels, T = spiral_data
    with NoWarnings() as caught:
        run = diverging(X, T, "record")
    assert caught.messages == []
    assert run.history is None and run.diverged_at is not None
    assert len(run.loss) == len(run.accuracy) == run.diverged_at  # the steps before the one that failed
    assert np.all(np.isfinite(run.loss))
    assert sorted(run.snapshots) == [0, 1]
    assert str(run).startswith(f"diverged at step {run.diverged_at} (learning rate 50)")


def test_the_run_prints_a_summary(spiral_data):
    X, labels, T = spiral_data
    run = train_with_snapshots(spiral_net(), X, T, "cross_entropy", 0.5, 5)
    text = str(run)
    assert text.startswith("stopped by the step budget after 5 steps (learning rate 0.5)")
    assert "accuracy" in text and isinstance(run, TrainingRun)


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"at": (0, 11)}, ValueError, "at must hold steps from 0 to steps = 10, got 11"),
        ({"at": (-1,)}, ValueError, r"at\[0\] must be at least 0"),
        ({"at": (2.5,)}, TypeError, r"at\[0\] must be a whole number"),
        ({"at": 5}, TypeError, "at must be a list of step numbers"),
        ({"at": "10"}, TypeError, "at must be a list of step numbers"),
        ({"on_divergence": "ignore"}, ValueError, "unknown on_divergence 'ignore'"),
        ({"callback": print}, TypeError, "unknown option 'callback'"),
        ({"lr": 0.1}, TypeError, "unknown option 'lr'"),
        ({"net": "net"}, TypeError, "net must be an nnmath.MLP"),
        ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'"),
        ({"learning_rate": -1.0}, ValueError, "learning_rate must be greater than 0"),
        ({"steps": -1}, ValueError, "steps must be at least 0"),
        ({"T": np.zeros(60)}, ValueError, "T must have shape"),
        ({"X": np.zeros((60, 3))}, ValueError, r"X must have shape \(n_samples, 2\)"),
        ({"batch_size": 0}, ValueError, "batch_size must be at least 1"),
    ],
)
def test_bad_arguments_are_named(spiral_data, changes, error, words):
    X, labels, T = spiral_data
    arguments = {"net": spiral_net(), "X": X, "T": T, "loss": "cross_entropy", "learning_rate": 0.1,
                 "steps": 10, **changes}
    with pytest.raises(error, match=words):
        train_with_snapshots(**arguments)
