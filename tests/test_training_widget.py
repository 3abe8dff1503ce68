"""The training widget: frames over a grid of learning rates, divergence as a message, both modes, bad input."""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnmath
from conftest import NoWarnings
from nnmath.classification import accuracy, decision_regions
from nnmath.widgets import (
    BLOW_UP,
    TRAINING_STATUSES,
    TrainingFrame,
    training_figure,
    training_frame,
    training_html,
    training_widget,
)

pytest.importorskip("ipywidgets")

STEPS = 300  # short runs on 90 points: about 0.05 s each


@pytest.fixture(scope="module")
def data():
    return nnmath.datasets.spirals(30, n_classes=3, noise=0.1, rng=0)


def frame(data, eta, **kwargs):
    X, labels = data
    options = {"steps": STEPS, "rng": 0, "resolution": 20, **kwargs}
    return training_frame(X, labels, learning_rate=eta, **options)


def alt_of(tag):
    return re.search(r'alt="([^"]*)"', tag).group(1)


# --- what a frame holds --------------------------------------------------------------------------
def test_the_frame_is_the_books_loop_on_the_books_network(data):
    X, labels = data
    f = frame(data, 1.0)
    net = nnmath.MLP([2, 16, 16, 3], ["relu", "relu", "softmax"], rng=0, init="he")
    history = nnmath.train(net, X, nnmath.one_hot(labels, 3), "cross_entropy", 1.0, STEPS)
    np.testing.assert_array_equal(f.loss, history.loss)
    np.testing.assert_array_equal(f.net.get_parameters(), net.get_parameters())
    assert f.final_accuracy == accuracy(net, X, labels)
    _, _, regions = decision_regions(net, f.xlim, f.ylim, 20)
    np.testing.assert_array_equal(f.regions, regions)
    assert f.architecture == "2-16-16-3" and f.n_classes == 3 and isinstance(f, TrainingFrame)


def test_tanh_and_sigmoid_networks_start_with_xavier_weights(data):
    X, labels = data
    f = frame(data, 0.5, activation="tanh", hidden=(4,))
    net = nnmath.MLP([2, 4, 3], ["tanh", "softmax"], rng=0, init="xavier")
    assert f.loss[0] == net.loss(X, nnmath.one_hot(labels, 3), "cross_entropy")
    assert f.hidden == (4,) and f.architecture == "2-4-3"


def assert_status_follows_its_definition(f):
    """The status is the first rule of training_frame's docstring that the run meets."""
    loss, start = f.loss, f.loss[0]
    overflowed = len(loss) < f.steps + 1  # nnmath.train stopped with a DivergenceError
    blown = np.nonzero(loss > BLOW_UP * start)[0]
    if f.status == "diverged":
        assert overflowed or (blown.size and loss[-1] > start)
        assert f.diverged_at == (len(loss) if overflowed else int(blown[0])) or overflowed
        assert f"diverged at step {f.diverged_at} with η = {f.learning_rate:g}" == f.label
        return
    assert not overflowed and not (blown.size and loss[-1] > start)
    trained = f.final_accuracy >= f.target_accuracy
    assert (f.status == "trained") == trained
    if f.status == "stuck":
        assert f.gradient_norm <= 1e-6
        # the chapter: a whole dead layer leaves only the output biases, a constant answer, loss ln 3
        assert f.final_loss == pytest.approx(np.log(3), abs=1e-6)
    elif f.status == "unstable":
        assert f.gradient_norm > 1e-6 and loss[1:].max() > 2 * start
    elif f.status == "slow":
        assert f.gradient_norm > 1e-6 and loss[1:].max() <= 2 * start


# Small and moderate steps have outcomes that do not depend on round-off.
@pytest.mark.parametrize("eta, status", [(0.01, "slow"), (0.3, "trained"), (1.0, "trained"),
                                         (10.0, "diverged"), (1e300, "diverged")])
def test_grid_of_learning_rates(data, eta, status):
    with NoWarnings() as caught:
        f = frame(data, eta)
    assert caught.messages == []
    assert f.status == status
    assert_status_follows_its_definition(f)
    assert len(f.loss) == len(f.accuracy) and np.all(np.isfinite(f.loss))
    if status == "trained":
        first = int(np.argmax(f.accuracy >= 0.95))
        assert f"95% correct at step {first}" in f.label


# Between eta = 1.5 and 10 the runs are chaotic: a change in the last bit of one sum can turn one
# outcome into another, so which status comes out is round-off. What the chapter states holds for
# every one of them: the status is the one its definition gives, nothing warns, and the label says it.
@pytest.mark.parametrize("eta", [2.0, 2.5, 3.0, 5.0])
def test_large_steps_are_classified_by_the_definitions(data, eta):
    with NoWarnings() as caught:
        f = frame(data, eta)
    assert caught.messages == []
    assert f.status in TRAINING_STATUSES and f"η = {eta:g}" in f.label
    assert_status_follows_its_definition(f)


def test_larger_steps_train_sooner(data):
    """The chapter: a moderate learning rate reaches 95% in a few hundred steps; larger ones sooner."""
    moderate, larger = frame(data, 0.3), frame(data, 1.0)
    first = [int(np.argmax(f.accuracy >= 0.95)) for f in (moderate, larger)]
    assert moderate.status == larger.status == "trained" and first[1] < first[0]


def test_the_loss_curve_and_accuracy_change_with_the_learning_rate(data):
    slow, fast = frame(data, 0.01), frame(data, 1.0)
    assert slow.loss[0] == fast.loss[0]  # the same start
    assert fast.loss[-1] < slow.loss[-1] < slow.loss[0]
    assert fast.final_accuracy > slow.final_accuracy


def test_divergence_is_a_message_not_an_error(data):
    blow_up = frame(data, 10.0)
    k = blow_up.diverged_at
    assert blow_up.label == f"diverged at step {k} with η = 10"
    # the first step whose loss is above BLOW_UP times the start
    assert blow_up.loss[k] > BLOW_UP * blow_up.loss[0] >= blow_up.loss[:k].max()
    overflow = frame(data, 1e300)  # nnmath.train raises DivergenceError inside
    assert overflow.label == "diverged at step 1 with η = 1e+300"
    assert len(overflow.loss) == 1 and np.isnan(overflow.gradient_norm)
    for f in (blow_up, overflow):
        fig = training_figure(f)
        texts = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
        assert f"diverged at step {f.diverged_at}\nwith η = {f.learning_rate:g}" in texts
        assert "diverged at step" in alt_of(training_html(f, dpi=30))


def test_the_figure_has_three_panels_and_no_message_when_trained(data):
    f = frame(data, 1.0)
    fig = training_figure(f)
    assert [ax.get_title() for ax in fig.axes] == ["loss per step", "accuracy per step",
                                                   f"regions after {STEPS} steps"]
    loss_line = fig.axes[0].get_lines()[-2]  # the loss, before the (hidden) divergence marker
    np.testing.assert_array_equal(loss_line.get_ydata(), np.maximum(f.loss, 1e-12))
    visible = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
    assert not any("diverged" in t for t in visible)
    assert f.label in fig._suptitle.get_text()


def test_the_alt_text_states_the_rate_the_loss_and_the_accuracy(data):
    f = frame(data, 1.0)
    alt = alt_of(training_html(f, dpi=30))
    assert "η = 1 " in alt and f"Final loss {f.final_loss:.3g}" in alt
    assert f"accuracy {f.final_accuracy:.1%}" in alt and f.label in alt
    assert training_html(f, dpi=30).count('src="data:image/png;base64,') == 1


# --- the widget ------------------------------------------------------------------------------------
def test_static_mode_has_one_frame_per_rate_and_the_jslink(data):
    import ipywidgets as w

    X, labels = data
    rates = [10.0, 0.01, 1.0]
    box = training_widget(X, labels, mode="static", learning_rates=rates, steps=STEPS, resolution=20, dpi=30)
    assert isinstance(box.display, w.Stack) and len(box.display.children) == 3
    assert [f.learning_rate for f in box.frames] == [0.01, 1.0, 10.0]  # sorted
    assert [f.status for f in box.frames] == ["slow", "trained", "diverged"]
    assert box.link.source == (box.slider, "index") and box.link.target == (box.display, "selected_index")
    assert [label for label, _ in box.slider.options] == ["0.01", "1", "10"]
    assert box.slider.index == box.display.selected_index == 1  # starts at the best run
    alts = [alt_of(page.value) for page in box.display.children]
    assert len(set(alts)) == 3 and f"diverged at step {box.frames[2].diverged_at} with η = 10" in alts[2]
    note = box.box.children[-1].value
    assert "Precomputed for η = 0.01, 1, 10" in note and 'mode="live"' in note and ".ipynb" in note


def test_live_mode_retrains_on_every_change(data):
    X, labels = data
    box = training_widget(X, labels, mode="live", steps=STEPS, resolution=20, dpi=30)
    assert set(box.controls) == {"learning_rate", "width", "activation", "steps"}
    assert box.controls["learning_rate"] is box.slider
    seen = {}
    for eta in (0.01, 1.0, 10.0):
        box.slider.value = eta
        assert box.frames.learning_rate == pytest.approx(eta)
        seen[eta] = (box.frames.status, box.frames.loss.copy(), box.display.value)
    assert [s for s, _, _ in seen.values()] == ["slow", "trained", "diverged"]
    assert len({v for _, _, v in seen.values()}) == 3  # three different pictures
    assert f"diverged at step {frame(data, 10.0).diverged_at} with η = 10" in alt_of(seen[10.0][2])
    box.slider.value = 1.0
    box.controls["width"].value = 4
    assert box.frames.hidden == (4, 4) and box.frames.architecture == "2-4-4-3"
    box.controls["activation"].value = "tanh"
    assert box.frames.activation == "tanh" and box.frames.hidden == (4, 4)
    box.controls["steps"].value = 100
    assert len(box.frames.loss) == 101 and box.frames.steps == 100
    before = box.display.value
    box.update()
    assert box.display.value == before  # the same setting draws the same picture


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda X, y: training_frame(X[:, :1], y, learning_rate=0.1), ValueError, r"X must have shape \(n_samples, 2\)"),
        (lambda X, y: training_frame(X, y[:-1], learning_rate=0.1), ValueError, "labels must have one class label"),
        (lambda X, y: training_frame(X, 0 * y, learning_rate=0.1), ValueError, "at least two classes"),
        (lambda X, y: training_frame(X, y + 0.5, learning_rate=0.1), ValueError, "labels must be whole numbers"),
        (lambda X, y: training_frame(X, y - 1, learning_rate=0.1), ValueError, "class indices from 0"),
        (lambda X, y: training_frame(X, y, learning_rate=0.0), ValueError, "learning_rate must be greater than 0"),
        (lambda X, y: training_frame(X, y, learning_rate="big"), TypeError, "learning_rate must be a real number"),
        (lambda X, y: training_frame(X, y, learning_rate=np.nan), ValueError, "learning_rate must be a finite"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, hidden=()), ValueError, "at least one layer width"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, hidden=16), TypeError, "hidden must be a list"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, hidden=(16, 0)), ValueError, r"hidden\[1\]"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, activation="softmax"), ValueError,
         "unknown activation 'softmax'"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, steps=0), ValueError, "steps must be at least 1"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, rng=-1), ValueError, "rng must be at least 0"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, target_accuracy=1.5), ValueError,
         "target_accuracy must be a fraction"),
        (lambda X, y: training_frame(X, y, learning_rate=0.1, resolution=500), ValueError, "resolution"),
        (lambda X, y: training_widget(X, y, mode="fast"), ValueError, "unknown mode 'fast'"),
        (lambda X, y: training_widget(X, y, learning_rates=[]), ValueError, "at least one"),
        (lambda X, y: training_widget(X, y, learning_rates=[0.1, 0.1]), ValueError, "repeat"),
        (lambda X, y: training_widget(X, y, learning_rates=[0.1, -1]), ValueError, r"learning_rates\[1\]"),
        (lambda X, y: training_widget(X, y, learning_rates=0.1), TypeError, "list of numbers"),
        (lambda X, y: training_widget(X, y, dpi=1000), ValueError, "dpi must be at most 300"),
        (lambda X, y: training_html("frame"), TypeError, "frame must be a TrainingFrame"),
        (lambda X, y: training_figure(None), TypeError, "frame must be a TrainingFrame"),
    ],
)
def test_bad_arguments_are_named(data, call, error, message):
    X, labels = data
    with pytest.raises(error, match=message):
        call(X, labels)
