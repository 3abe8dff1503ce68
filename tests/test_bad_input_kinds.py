"""Every kind of bad input the fuzz test looks for, one unit test each, with its exact message.

The kinds: array subclasses, numbers beyond float64, finite inputs whose results
overflow, sizes beyond the memory budget, reader functions that misbehave,
tolerances and options, and messages that must blame the right argument. The
last group checks that extreme but valid inputs still give finite, correct
answers, against references computed here (exact fractions, math.hypot).
"""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy

import nnmath
import nnmath.classification
from nnmath import datasets, diagnostics, landscape
from nnmath._validate import MEMORY_BUDGET_BYTES

RANGE = "beyond float64's range (±1.798e+308)"


def raises_exactly(error, message, call, *args, **kwargs):
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    assert str(info.value) == message


def _matrix(rows):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return np.matrix(rows)


# --- array subclasses -------------------------------------------------------------------------

def test_matrix_is_converted_to_a_plain_array():
    # With np.matrix, x**2 would be a matrix power (and fail for a 1x2 matrix): elementwise is expected.
    result = nnmath.profit(_matrix([[1.0, 3.0]]))
    assert type(result) is np.ndarray
    np.testing.assert_array_equal(result, [[-2 * 1 + 12 - 10, -2 * 9 + 36 - 10]])
    assert nnmath.sse(_matrix([[1.0, 2.0]]), _matrix([[0.0, 0.0]])) == 0.5 * (1 + 4)
    np.testing.assert_array_equal(nnmath.sigmoid.derivative(_matrix([[0.0, 0.0]])), [[0.25, 0.25]])


def test_masked_values_are_refused():
    raises_exactly(ValueError, "x must not have masked values, got a masked array with 1 masked value(s); "
                   "fill them (x.filled(...)) or drop them first",
                   nnmath.sigmoid, np.ma.masked_array([0.0, np.nan], mask=[False, True]))


def test_masked_array_without_masked_values_is_its_data():
    assert nnmath.relu(np.ma.masked_array([-1.0, 2.0], mask=[False, False])).tolist() == [0.0, 2.0]


def test_nan_under_no_mask_is_still_found():
    with pytest.raises(ValueError, match="x must contain only finite numbers"):
        nnmath.relu(np.ma.masked_array([np.nan, 2.0], mask=[False, False]))


# --- numbers beyond float64 -------------------------------------------------------------------

def test_python_int_beyond_float64():
    message = "x must be within float64's range (±1.798e+308), got an integer with 401 digits"
    raises_exactly(ValueError, message, nnmath.sigmoid, 10**400)
    raises_exactly(ValueError, message, nnmath.relu, [1, 10**400])
    raises_exactly(ValueError, "coefficient must be within float64's range (±1.798e+308), got an integer with 401 "
                   "digits", nnmath.quadratic, 10**400)


def test_big_python_ints_within_range_are_numbers():
    assert nnmath.relu([1, 10**300]).tolist() == [1.0, 1e300]


@pytest.mark.skipif(not np.isfinite(np.longdouble("1e400")), reason="longdouble is float64 on this platform")
def test_longdouble_beyond_float64():
    raises_exactly(ValueError, "x must be within float64's range (±1.798e+308), got an array of shape (1,) and "
                   "dtype float128", nnmath.relu, np.array([np.longdouble("1e400")]))


# --- finite inputs whose results overflow -----------------------------------------------------

@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nnmath.profit(1e308), f"profit(x) overflowed: the result is {RANGE}; use smaller x"),
        (lambda: nnmath.quadratic()(1e308),
         f"quadratic(coefficient=1)(x) overflowed: the result is {RANGE}; use smaller x"),
        (lambda: nnmath.sse([1e308], [-1e308]), f"sse(y, t) overflowed: the result is {RANGE}; use smaller y or t"),
        (lambda: nnmath.mse([1e200], [0.0]), f"mse(y, t) overflowed: the result is {RANGE}; use smaller y or t"),
        (lambda: nnmath.Perceptron(1, weights=[2.0]).net_input([[1e308]]),
         f"the net input X w + b overflowed: the result is {RANGE}; use smaller X or weights"),
        (lambda: nnmath.Perceptron(1, weights=[-1.0]).fit([[1e308]], [1.0], learning_rate=1e308),
         f"the perceptron's weights overflowed: the result is {RANGE}; use a smaller learning_rate or smaller X"),
        (lambda: nnmath.numerical_derivative(np.sin, 1.0, h=1e308),
         f"x ± h overflowed: the result is {RANGE}; use a smaller h, or x further from the largest float"),
        (lambda: nnmath.numerical_jacobian(np.sin, [1.0], h=1e308),
         f"x ± h overflowed: the result is {RANGE}; use a smaller h, or x further from the largest float"),
        (lambda: nnmath.numerical_derivative(np.sin, np.finfo(np.float64).max),
         f"x ± h overflowed: the result is {RANGE}; use a smaller h, or x further from the largest float"),
        (lambda: datasets.sample_function(np.sin, 5, x_range=(-1e308, 1e308)),
         "x_range is too wide: high - low = 1e+308 - (-1e+308) is beyond float64's range; use a narrower x_range"),
        (lambda: nnmath.log_softmax([1e308, -1e308]),
         f"log_softmax(z) overflowed: the result is {RANGE}; the logits of a row are spread wider than "
         "float64's range"),
    ],
    ids=["profit", "quadratic", "sse", "mse", "perceptron-X", "perceptron-rate", "derivative-h", "jacobian-h",
         "derivative-x", "sample_function-range", "log_softmax"],
)
def test_overflow_is_named(call, message):
    raises_exactly(ValueError, message, call)


def test_sse_and_mse_representable_although_a_square_is_not():
    # (1.5e154)^2 = 2.25e308 is beyond float64, half of it (1.125e308) is not: exact reference by Fraction.
    d = 1.5e154
    assert d * d == math.inf or not math.isfinite(d * d)
    assert nnmath.sse([d], [0.0]) == float(Fraction(d) ** 2 / 2)
    assert nnmath.mse([d, 0.0], [0.0, 0.0]) == float(Fraction(d) ** 2 / 2)


def test_cross_entropy_from_logits_spread_beyond_float_range_is_exactly_zero():
    # The target class has probability 1; the other class contributes 0 · log p = 0, not 0 · (-inf).
    assert nnmath.cross_entropy.from_logits([1e308, -1e308], [1, 0]) == 0.0


def test_softmax_of_logits_spread_beyond_float_range():
    np.testing.assert_array_equal(nnmath.softmax([1e308, -1e308]), [1.0, 0.0])


def test_layer_gradient_norms_finite_for_gradients_near_1e200():
    net = nnmath.MLP([1, 2, 1], ["identity", "identity"], rng=0)
    net.weights = [np.array([[1e100], [1e100]]), np.array([[1.0, 1.0]])]
    net.biases = [np.zeros(2), np.zeros(1)]
    # y = 2e100; dL/dW2 = y · a1ᵀ = [2e200, 2e200] whose squares overflow; dL/dW1 = W2ᵀ y x = [2e100, 2e100].
    norms = diagnostics.layer_gradient_norms(net, [[1.0]], [[0.0]], "sse")
    np.testing.assert_allclose(norms, [math.hypot(2e100, 2e100), math.hypot(2e200, 2e200)], rtol=1e-15)


# --- sizes with no upper bound ----------------------------------------------------------------

def _budget(name, what, count, gigabytes):
    return (f"{name} asks for {what} of {count} numbers ({gigabytes} GB), more than nnmath's budget of 1 GB "
            f"per call; use a smaller {name}")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: nnmath.one_hot([0], 10**12), _budget("n_classes", "a one-hot array", "1e+12", "7.45e+03")),
        (lambda: nnmath.MLP([2, 10**6, 10**6, 1], ["relu", "identity", "identity"]),
         _budget("layer_sizes", "weights and biases", "1e+12", "7.45e+03")),
        (lambda: nnmath.gradient_descent(lambda v: 2 * v, 1.0, 0.1, 10**12),
         _budget("steps", "a trajectory", "1e+12", "7.45e+03")),
        (lambda: datasets.moons(10**12), _budget("n", "samples", "3e+12", "2.24e+04")),
        (lambda: datasets.spirals(n_classes=10**12),
         _budget("n_per_class × n_classes", "samples", "3e+14", "2.24e+06")),
        (lambda: datasets.sample_function(np.sin, 10**12), _budget("n", "samples", "2e+12", "1.49e+04")),
        (lambda: landscape.loss_surface(nnmath.MLP([1, 1], ["identity"], rng=0), [[1.0]], [[0.0]], "sse", [0, 1],
                                        [(-1, 1), (-1, 1)], n=10**6),
         _budget("n", "a grid of losses and gradients", "3e+12", "2.24e+04")),
        (lambda: diagnostics.across_seeds(lambda s: 1.0, 10**12),
         _budget("seeds", "one result per seed", "1e+12", "7.45e+03")),
        (lambda: nnmath.one_hot([0], 10**400),
         _budget("n_classes", "a one-hot array", "about 10^400", "about 10^391")),
    ],
    ids=["one_hot", "MLP", "gradient_descent", "moons", "spirals", "sample_function", "loss_surface",
         "across_seeds", "one_hot-10**400"],
)
def test_size_beyond_the_budget_is_refused_before_allocating(call, message):
    raises_exactly(ValueError, message, call)


def test_budget_is_one_gigabyte():
    assert MEMORY_BUDGET_BYTES == 2**30


def test_symbolic_sizes_are_bounded():
    raises_exactly(ValueError, "n_classes must be at most 12 (SymPy's matrices grow as n_classes squared), got "
                   "1000000000000", nnmath.symbolic.softmax_jacobian_derivation, 10**12)


# --- reader functions that misbehave ----------------------------------------------------------

def test_function_returning_complex_values():
    raises_exactly(TypeError, "the value of f at x + h must be real numbers, got complex values in "
                   "1.0000060554544523j (type complex)", nnmath.numerical_derivative, lambda v: 1j * v, 1.0)


def test_function_returning_the_wrong_shape():
    raises_exactly(ValueError, "f must return one value per point of x: x has shape () but the difference "
                   "quotient has shape (3,)", nnmath.numerical_derivative, lambda v: np.zeros(3), 1.0)


def test_gradient_returning_complex_values_in_gradient_descent():
    with pytest.raises(TypeError, match=r"^the value of gradient at step 0 must be real numbers"):
        nnmath.gradient_descent(lambda v: 1j * v, 1.0, 0.1, 3)


def test_scalar_function_of_none():
    raises_exactly(TypeError, "value must be a function (callable), got None (type NoneType)",
                   nnmath.ScalarFunction, "f", None, np.cos, lambda s: s)


def test_scalar_function_returning_the_wrong_shape():
    f = nnmath.ScalarFunction("f", lambda x: np.zeros(3), lambda x: x, lambda s: s)
    raises_exactly(ValueError, "f(x) must have the shape of x (), got shape (3,)", f, 1.0)


# --- tolerances and options -------------------------------------------------------------------

X = sympy.Symbol("x")


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"numeric_tolerance": float("nan")}, ValueError, "numeric_tolerance must be a finite number, got nan"),
        ({"numeric_tolerance": float("inf")}, ValueError, "numeric_tolerance must be a finite number, got inf"),
        ({"difference_tolerance": False}, TypeError, "difference_tolerance must be a real number, got False "
                                                     "(type bool)"),
        ({"difference_tolerance": [1e-7]}, TypeError, "difference_tolerance must be a real number, got [1e-07] "
                                                      "(type list)"),
        ({"difference_tolerance": 0.0}, ValueError, "difference_tolerance must be greater than 0, got 0.0"),
    ],
)
def test_verify_tolerances_are_positive_finite_numbers(kwargs, error, message):
    raises_exactly(error, message, nnmath.symbolic.verify, 2 * X, X, np.square, **kwargs)


def test_verify_derivative_none():
    raises_exactly(TypeError, "derivative must be a SymPy expression, a number or a formula string, got None "
                   "(type NoneType)", nnmath.symbolic.verify, None, X, np.square)


def test_check_derivative_of_a_division_by_zero():
    raises_exactly(ValueError, "answer '1/0' is not a finite formula: SymPy reads it as zoo (a division by zero "
                   "or an infinity)", nnmath.exercises.check_derivative, "1/0", "x**2")


def test_fit_order_with_identical_steps():
    raises_exactly(ValueError, "steps must not all be equal to fit a line, got 2 copies of 0.01",
                   nnmath.fit_order, [1e-2, 1e-2], [1e-3, 1e-4])


def test_interval_given_as_a_dict():
    message = "x_range must be a pair (low, high), got {'low': 0, 'high': 1} (type dict)"
    raises_exactly(TypeError, message, datasets.sample_function, np.sin, 5, x_range={"low": 0, "high": 1})
    raises_exactly(TypeError, message, nnmath.plotting.plot_function_and_derivative, nnmath.tanh,
                   x_range={"low": 0, "high": 1})
    raises_exactly(TypeError, "xlim must be a pair (low, high), got {'low': 0, 'high': 1} (type dict)",
                   nnmath.classification.decision_regions, nnmath.MLP([2, 1], ["sigmoid"], rng=0),
                   xlim={"low": 0, "high": 1}, ylim=(0, 1))


@pytest.fixture
def frame():
    return nnmath.widgets.descent_frame(nnmath.quadratic(1.0), 0.3, steps=5)


def test_frame_must_belong_to_the_problem(frame):
    raises_exactly(ValueError, "frame was computed for f(x) = 1x², but problem is f(v) = 1v₁² + 3v₂²; pass the "
                   "problem the frame was made with", nnmath.widgets.frame_figure, frame, nnmath.QuadraticBowl())


def test_frame_x0_is_validated(frame):
    raises_exactly(ValueError, "x0 must contain only finite numbers, got nan at index () (1 non-finite value(s) "
                   "in all)", nnmath.widgets.frame_html, frame, nnmath.quadratic(1.0), x0=float("nan"))
    raises_exactly(ValueError, "x0 must have 0 dimension(s), got shape (2,) (1 dimension(s))",
                   nnmath.widgets.frame_figure, frame, nnmath.quadratic(1.0), x0=[1.0, 2.0])


# --- messages that blame the right argument ---------------------------------------------------

def test_difference_errors_blames_the_derivative():
    raises_exactly(TypeError, "derivative must return numbers, got None (type NoneType) at x",
                   nnmath.difference_errors, np.sin, lambda v: None, 1.0, [1e-3])
    raises_exactly(ValueError, "derivative returned a non-finite value (nan) at x; derivative must be finite "
                   "near x", nnmath.difference_errors, np.sin, lambda v: np.nan, 1.0, [1e-3])


def test_check_gradient_blames_the_gradient():
    raises_exactly(ValueError, "gradient returned a non-finite value (array([nan, nan])) at x; gradient must be "
                   "finite near x", nnmath.check_gradient, lambda v: float(np.sum(v**2)), lambda v: v * np.nan,
                   [1.0, 2.0])


def test_check_number_of_a_huge_answer():
    feedback = nnmath.exercises.check_number(1e308, 0.25)
    assert feedback.message == "Not yet: your answer = 1e+308 is too high: more than 10^300 times the answer."


def test_check_number_of_zero():
    feedback = nnmath.exercises.check_number(0, 0.25)
    assert feedback.message == "Not yet: your answer = 0 is too low; the answer is not 0."


# --- extreme but valid inputs: finite, correct answers ----------------------------------------

def test_sigmoid_of_plus_minus_1000():
    # 1/(1 + e^-1000) rounds to 1; e^-1000/(1 + e^-1000) ≈ 5e-435 is below the smallest float64, so 0.
    np.testing.assert_array_equal(nnmath.sigmoid([1000.0, -1000.0]), [1.0, 0.0])


def test_softmax_of_large_logits():
    # 1000 + log 3 is stored to within half a spacing of floats near 1000 (1.1e-13), which moves
    # the exact probabilities 1/4, 3/4 by about that much: rtol 1e-12 allows it and nothing more.
    np.testing.assert_allclose(nnmath.softmax([1000.0, 1000.0 + math.log(3.0)]), [0.25, 0.75], rtol=1e-12)


def test_capped_log_of_a_zero_probability():
    # -log of the smallest normal float64, the documented cap of a zero probability.
    assert nnmath.cross_entropy([[0.0, 1.0]], [[1.0, 0.0]]) == pytest.approx(-math.log(2.2250738585072014e-308),
                                                                           rel=1e-15)


# --- more of the same kinds, found by the fuzz test -------------------------------------------

@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nnmath.train(nnmath.MLP([1, 1], ["identity"], rng=0), [[1.0]], [[0.0]], "sse", 0.1, 10**12),
         ValueError, _budget("steps", "a loss per step", "1e+12", "7.45e+03")),
        (lambda: nnmath.initial_std("he", 10**6, 10**6),
         ValueError, _budget("n_in × n_out", "a weight matrix", "1e+12", "7.45e+03")),
        (lambda: nnmath.timing.gradient_costs([2], fd_repeats=10**12),
         ValueError, "fd_repeats must be at most 10000 (each repeat times a whole gradient), got 1000000000000"),
        (lambda: nnmath.autograd.Dual(10**400),
         ValueError, "Dual data must be within float64's range, got an integer with 401 digits"),
        (lambda: nnmath.QuadraticBowl().gradient([1e308, 1e308]),
         ValueError, f"the gradient of the bowl overflowed: the result is {RANGE}; use smaller v"),
        (lambda: nnmath.exercises.check_derivative("2*x", "x**2", variables=3.0),
         TypeError, "variables must be a variable name like 'x' or a list of names, got 3.0"),
    ],
    ids=["train-steps", "initial_std", "gradient_costs-repeats", "Dual-10**400", "bowl-gradient",
         "check_derivative-variables"],
)
def test_more_kinds(call, error, message):
    raises_exactly(error, message, call)


# --- the optimisers, Hessians, deep networks and regularisation ---------------------------------

def _over(what, hint=""):
    return f"{what} overflowed: the result is {RANGE}" + (f"; {hint}" if hint else "")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nnmath.numerical_hessian(lambda v: 1e308 * v, [1.0, 2.0]),
         ValueError, "gradient returned a non-finite value (array([1.e+308,     inf])) at x; gradient must be "
                     "finite near x"),
        (lambda: nnmath.check_hessian(lambda v: 2 * v, lambda v: np.full((2, 2), np.nan), [1.0, 2.0]),
         ValueError, "hessian returned a non-finite value (array([[nan, nan],\n       [nan, nan]])) at x; hessian "
                     "must be finite near x"),
        (lambda: nnmath.check_hessian(lambda v: 2 * v, lambda v: 2 * np.eye(2), [1.0, 2.0],
                                      raise_on_failure=np.array([1.0, 2.0])),
         TypeError, "raise_on_failure must be True or False, got an array of shape (2,) and dtype float64"),
        (lambda: nnmath.deep.batch_norm([[1e200, 0.0], [-1e200, 1.0]]),  # (2e200)² overflows in σ²
         ValueError, _over("the mean and variance of Z", "rescale Z")),
        (lambda: nnmath.deep.batch_norm([[1e308, 0.0], [1e308, 1.0]]),  # the sum in μ overflows
         ValueError, _over("the mean and variance of Z", "rescale Z")),
        (lambda: nnmath.deep.batch_norm_backward([[1e308], [-1e308]], [[1.0], [2.0]], gamma=[2.0]),
         ValueError, _over("the gradients from dY and gamma", "rescale dY")),
        (lambda: nnmath.deep.batch_norm([[1.0], [2.0]], gamma=[1e308], beta=[1e308]),  # γ ẑ + β = 2e308
         ValueError, _over("gamma * ẑ + beta", "use smaller gamma and beta")),
        (lambda: nnmath.plotting.plot_gradient_field(lambda v: float(np.sum(np.asarray(v) ** 2)),
                                                     lambda v: 2 * np.asarray(v), x_range=(-1e200, 1e200),
                                                     y_range=(-1.0, 1.0), n_arrows=2),
         ValueError, "f must return one finite number at each point of x_range × y_range, got array(inf) at "
                     "(np.float64(-1e+200), np.float64(-1.0))"),
        (lambda: nnmath.regularisation.dropout([[1e308, 1.0]], [[1.0, 1.0]], 0.5),
         ValueError, _over("a / (1 - rate)", "a is too large for this rate")),
        (lambda: nnmath.regularisation.dropout_backward([[1e308, 1.0]], [[1.0, 1.0]], 0.5),
         ValueError, _over("upstream / (1 - rate)", "upstream is too large for this rate")),
        (lambda: nnmath.regularisation.dropout_mask(10**12, 0.5),
         ValueError, _budget("shape", "a mask", "1e+12", "7.45e+03")),
        (lambda: nnmath.regularisation.l2_penalty([np.array([[1e200]])], 0.1),
         ValueError, _over("the L2 penalty of weights and weight_decay")),
        (lambda: nnmath.regularisation.l2_penalty_gradients([np.array([[1e308]])], 10.0),
         ValueError, _over("weight_decay * weights[0]")),
        (lambda: nnmath.network.Layers(1.5),
         TypeError, "items must be an iterable of the layers' values (a list), got 1.5 (type float)"),
        (lambda: nnmath.network.Layers([1.0], first=2),
         ValueError, "first must be at most 1 (the first layer held is 0 or 1), got 2"),
    ],
    ids=["numerical_hessian-gradient", "check_hessian-hessian", "check_hessian-flag", "batch_norm-variance",
         "batch_norm-mean", "batch_norm_backward", "batch_norm-gamma",
         "plot_gradient_field-range", "dropout", "dropout_backward", "dropout_mask-size",
         "l2_penalty", "l2_penalty_gradients", "Layers-items", "Layers-first"],
)
def test_new_modules_name_the_argument(call, error, message):
    raises_exactly(error, message, call)
