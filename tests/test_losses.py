"""Losses: values by hand, gradients against finite differences, edge cases, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnmath
from conftest import NoWarnings

TINY = np.finfo(np.float64).tiny
CAP = -math.log(TINY)  # 708.396..., the documented cap of one cross-entropy term


def _fd_tolerance(value: float) -> float:
    """Absolute tolerance for a central difference of a loss of size ``value``.

    With the default step h >= 6e-6, round-off in f(x+h) - f(x-h) contributes
    about eps |f| / h <= 4e-11 |f|; truncation is 0 for the quadratic losses and
    h^2/6 |f'''| < 1e-9 for the smooth cross-entropy on moderate logits. 1e-8
    times max(1, |f|) sits above both and far below any wrong factor or sign.
    """
    return 1e-8 * max(1.0, abs(value))


# --- values by hand ---------------------------------------------------------------
Y = [[1.0, 2.0], [3.0, 4.0]]
T = [[0.0, 0.0], [1.0, 1.0]]  # errors 1, 2, 2, 3; squares 1, 4, 4, 9


def test_sse_is_half_the_sum_of_squared_errors():
    assert nnmath.sse(Y, T) == 9.0  # exact: (1 + 4 + 4 + 9) / 2 in small integers


def test_mse_is_the_mean_over_all_elements():
    assert nnmath.mse(Y, T) == 4.5  # exact: (1 + 4 + 4 + 9) / 4, not / 2 samples


def test_sse_and_mse_gradients_by_hand():
    np.testing.assert_array_equal(nnmath.sse.gradient(Y, T), [[1.0, 2.0], [2.0, 3.0]])  # y - t, exact
    np.testing.assert_array_equal(nnmath.mse.gradient(Y, T), [[0.5, 1.0], [1.0, 1.5]])  # 2(y - t)/4, exact


def test_cross_entropy_is_the_mean_over_samples():
    p = [[0.5, 0.25, 0.25], [0.1, 0.2, 0.7]]
    t = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    expected = (-math.log(0.5) - math.log(0.7)) / 2  # divided by 2 samples, not 6 elements
    assert nnmath.cross_entropy(p, t) == pytest.approx(expected, rel=1e-15)  # two correctly rounded logs


def test_cross_entropy_with_soft_targets():
    p = [[0.5, 0.5]]
    t = [[0.25, 0.75]]
    # -(0.25 log 0.5 + 0.75 log 0.5) = log 2
    assert nnmath.cross_entropy(p, t) == pytest.approx(math.log(2.0), rel=1e-15)


def test_one_dimensional_inputs_count_as_one_sample():
    assert nnmath.cross_entropy([0.25, 0.75], [0.0, 1.0]) == pytest.approx(-math.log(0.75), rel=1e-15)
    assert nnmath.sse([1.0, 3.0], [0.0, 0.0]) == 5.0  # exact small integers


# --- gradients vs finite differences -------------------------------------------------
shapes = st.one_of(
    st.tuples(st.integers(1, 6)),
    st.tuples(st.integers(1, 5), st.integers(1, 5)),
)


@st.composite
def output_target_pairs(draw):
    shape = draw(shapes)
    elements = st.floats(-10, 10)
    return draw(hnp.arrays(np.float64, shape, elements=elements)), draw(hnp.arrays(np.float64, shape, elements=elements))


@settings(max_examples=60, deadline=None)
@given(pair=output_target_pairs(), name=st.sampled_from(["sse", "mse"]))
def test_squared_error_gradients_equal_finite_differences(pair, name):
    y, t = pair
    loss = nnmath.get_loss(name)
    numeric = nnmath.numerical_gradient(lambda v: loss(v, t), y)
    np.testing.assert_allclose(loss.gradient(y, t), numeric, rtol=1e-6, atol=_fd_tolerance(loss(y, t)))


@st.composite
def logits_and_targets(draw, bound=8.0):
    n, k = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    z = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(-bound, bound)))
    if draw(st.booleans()):
        t = nnmath.one_hot(draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1))), k)
    else:  # soft targets: any distribution per row
        w = draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0.01, 1.0)))
        t = w / w.sum(axis=1, keepdims=True)
    return z, t


@settings(max_examples=60, deadline=None)
@given(data=logits_and_targets())
def test_cross_entropy_gradient_logits_is_softmax_minus_targets_over_n(data):
    z, t = data
    e = np.exp(z - z.max(axis=1, keepdims=True))
    expected = (e / e.sum(axis=1, keepdims=True) - t) / z.shape[0]
    # the same formula in the same order up to a few roundings
    np.testing.assert_allclose(nnmath.cross_entropy.gradient_logits(z, t), expected, rtol=1e-13, atol=1e-16)


@settings(max_examples=60, deadline=None)
@given(data=logits_and_targets())
def test_cross_entropy_gradient_logits_equals_finite_differences_of_from_logits(data):
    z, t = data
    numeric = nnmath.numerical_gradient(lambda v: nnmath.cross_entropy.from_logits(v, t), z)
    value = nnmath.cross_entropy.from_logits(z, t)
    np.testing.assert_allclose(nnmath.cross_entropy.gradient_logits(z, t), numeric, rtol=1e-6,
                               atol=_fd_tolerance(value))


@settings(max_examples=60, deadline=None)
@given(data=logits_and_targets(bound=3.0))
def test_cross_entropy_gradient_wrt_probabilities(data):
    """gradient(p, t) = -t/(n p), and equals finite differences of -sum(t log p)/n.

    The finite differences are of a formula written here: nnmath.cross_entropy
    itself refuses probabilities that no longer sum to 1, as perturbed ones do.
    """
    z, t = data
    p = nnmath.softmax(z)
    n = z.shape[0]
    grad = nnmath.cross_entropy.gradient(p, t)
    # -t/(n p): one division each, a few ulps
    np.testing.assert_allclose(grad, -t / (n * p), rtol=1e-13)
    numeric = nnmath.numerical_gradient(lambda q: -np.sum(t * np.log(q)) / n, p, h=1e-8)
    # |z| <= 3 gives p >= e^-6/5 = 5e-4, so with h = 1e-8 the truncation error of log
    # is h^2/(3 p^2) < 1e-9 relative, and round-off eps |f| / h < 2e-7 absolute (|f| < 7).
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(data=logits_and_targets())
def test_from_logits_equals_the_probability_version_where_both_are_finite(data):
    z, t = data
    # With |z| <= 8 no probability is below e^-16/5, far from the cap; log(softmax)
    # and log_softmax then differ by a few ulps of values below 20.
    assert nnmath.cross_entropy.from_logits(z, t) == pytest.approx(
        nnmath.cross_entropy(nnmath.softmax(z), t), rel=1e-12, abs=1e-14
    )


# --- zero probabilities ----------------------------------------------------------
def test_zero_probability_where_target_is_zero_is_exact_and_finite():
    """0 log 0 = 0: the zero-probability class contributes nothing, with no warning."""
    with NoWarnings() as w:
        value = nnmath.cross_entropy([[0.0, 1.0]], [[0.0, 1.0]])
        grad = nnmath.cross_entropy.gradient([[0.0, 0.5, 0.5]], [[0.0, 1.0, 0.0]])
        half = nnmath.cross_entropy([[0.0, 0.5, 0.5]], [[0.0, 1.0, 0.0]])
    assert w.messages == []
    assert value == 0.0  # exact: -1 * log(1) = 0
    np.testing.assert_array_equal(grad, [[0.0, -2.0, 0.0]])  # exact: -1/0.5, 0 where t = 0
    assert half == pytest.approx(math.log(2.0), rel=1e-15)


def test_zero_probability_where_target_is_positive_is_capped_and_finite():
    """The true loss is infinite; the documented cap is -log(tiny) ~ 708.4 per unit of target."""
    with NoWarnings() as w:
        value = nnmath.cross_entropy([[1.0, 0.0]], [[0.0, 1.0]])
        grad = nnmath.cross_entropy.gradient([[1.0, 0.0]], [[0.0, 1.0]])
    assert w.messages == []
    assert value == pytest.approx(CAP, rel=1e-15)  # log of the same constant
    assert value == pytest.approx(708.4, abs=0.05)  # the documented number
    assert np.all(np.isfinite(grad))


def test_from_logits_has_no_cap():
    """From logits the loss is exact even where the probability underflows to 0."""
    value = nnmath.cross_entropy.from_logits([[1000.0, 0.0]], [[0.0, 1.0]])
    assert value == pytest.approx(1000.0, rel=1e-15)  # -log_softmax = 1000 + log(1 + e^-1000)
    assert value > CAP


# --- targets that are not distributions ---------------------------------------------------
P = [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]


def test_class_index_targets_suggest_one_hot():
    """Passing class labels [2, 0] instead of one-hot rows: the error must point to one_hot."""
    with pytest.raises(ValueError, match="one_hot"):
        nnmath.cross_entropy(P, [2, 0])


def test_class_index_targets_of_matching_shape_suggest_one_hot():
    with pytest.raises(ValueError, match="one_hot"):
        nnmath.cross_entropy([0.2, 0.3, 0.5], [0.0, 2.0, 1.0])
    with pytest.raises(ValueError, match="one_hot"):
        nnmath.cross_entropy.gradient_logits([[0.0, 1.0, 2.0]], [[2.0, 0.0, 0.0]])


def test_negative_targets_are_rejected_mentioning_one_hot():
    # the row sums to 1, so only the sign is wrong
    with pytest.raises(ValueError, match=r"one[-_]hot") as info:
        nnmath.cross_entropy([[0.2, 0.3, 0.5]], [[-1.0, 1.0, 1.0]])
    assert "negative" in str(info.value)
    with pytest.raises(ValueError, match=r"one[-_]hot"):
        nnmath.cross_entropy.from_logits([[0.0, 1.0, 2.0]], [[-1.0, 1.0, 1.0]])


def test_probabilities_that_do_not_sum_to_one_are_rejected():
    with pytest.raises(ValueError, match=r"\bp\b"):
        nnmath.cross_entropy([[0.2, 0.3, 0.6]], [[0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=r"\bp\b"):
        nnmath.cross_entropy([[-0.1, 0.6, 0.5]], [[0.0, 0.0, 1.0]])


# --- one_hot -----------------------------------------------------------------------------
def test_one_hot_rows():
    np.testing.assert_array_equal(
        nnmath.one_hot([0, 2, 1, 2], 3),
        [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]],
    )
    assert nnmath.one_hot(np.array([1]), 2).dtype == np.float64


@pytest.mark.parametrize(
    "labels, n_classes, error, fragment",
    [
        ([0, 3], 3, ValueError, "0 to 2"),
        ([-1], 3, ValueError, "labels"),
        ([0.5], 3, ValueError, "whole numbers"),
        ([[0, 1]], 3, ValueError, "labels"),
        ([], 3, ValueError, "labels"),
        ([0], 0, ValueError, "n_classes"),
        ([0], 2.0, TypeError, "n_classes"),
        ([0], True, TypeError, "n_classes"),
        ("01", 2, TypeError, "labels"),
    ],
)
def test_one_hot_errors(labels, n_classes, error, fragment):
    with pytest.raises(error, match=fragment):
        nnmath.one_hot(labels, n_classes)


# --- lookup and shapes -------------------------------------------------------------------
def test_get_loss_by_name_and_passthrough():
    for name, loss in nnmath.LOSSES.items():
        assert nnmath.get_loss(name) is loss
        assert nnmath.get_loss(loss) is loss
        assert loss.name == name


def test_get_loss_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        nnmath.get_loss("hinge")
    for valid in ("'sse'", "'mse'", "'cross_entropy'"):
        assert valid in str(info.value)


def test_get_loss_non_string_is_a_type_error():
    with pytest.raises(TypeError, match="'sse'"):
        nnmath.get_loss(None)


@pytest.mark.parametrize("name", ["sse", "mse"])
def test_shape_mismatch_names_both_shapes(name):
    loss = nnmath.get_loss(name)
    for call in (loss, loss.gradient):
        with pytest.raises(ValueError) as info:
            call([[1.0, 2.0]], [[1.0, 2.0, 3.0]])
        assert "(1, 2)" in str(info.value) and "(1, 3)" in str(info.value)


def test_cross_entropy_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError) as info:
        nnmath.cross_entropy([[0.5, 0.5]], [[1.0, 0.0, 0.0]])
    assert "(1, 2)" in str(info.value) and "(1, 3)" in str(info.value)


def test_losses_reject_three_dimensional_inputs():
    with pytest.raises(ValueError, match="dimension"):
        nnmath.sse(np.zeros((1, 1, 2)), np.zeros((1, 1, 2)))
