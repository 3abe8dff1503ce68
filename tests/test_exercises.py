"""The answer checkers readers call in the exercises: right answers pass, wrong ones are explained."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import nnmath
from _book import CODE_BOX_CHARACTERS
from nnmath.exercises import Feedback, check_derivative, check_number


def test_a_right_derivative_is_confirmed_exactly():
    feedback = check_derivative("6*x - 5", "3*x**2 - 5*x + 1")
    assert feedback.correct and bool(feedback)
    assert feedback.message.startswith("Right") and "SymPy shows they are equal" in feedback.message


def test_an_equivalent_form_is_right_too():
    """sigma(1 - sigma) written out is the derivative of nnmath.sigmoid's formula."""
    assert check_derivative("exp(-z)/(1 + exp(-z))**2", nnmath.sigmoid, "z")
    assert check_derivative("1 - tanh(z)**2", nnmath.tanh, "z")


def test_caret_is_read_as_a_power():
    assert check_derivative("3*x^2", "x^3")


def test_a_gradient_is_checked_entry_by_entry():
    assert check_derivative(["2*x*y", "x**2 + cos(y)"], "x**2*y + sin(y)")
    wrong = check_derivative(["2*x*y", "x**2 - cos(y)"], "x**2*y + sin(y)")
    assert not wrong and "with respect to y" in wrong.message


def test_a_flipped_sign_is_named():
    feedback = check_derivative("-6*x + 5", "3*x**2 - 5*x + 1")
    assert not feedback
    assert "negative of the derivative" in feedback.message


def test_a_wrong_constant_factor_is_named():
    feedback = check_derivative("9*x**2 - 6", "x**3 - 2*x")
    assert not feedback
    assert "3 times the derivative" in feedback.message


def test_answering_with_the_function_itself_is_named():
    feedback = check_derivative("x**2 + x", "x**2 + x")
    assert not feedback and "function itself" in feedback.message


def test_a_wrong_answer_says_where_it_differs():
    """The message gives a point and both values, computed independently here."""
    feedback = check_derivative("3*x - 5", "3*x**2 - 5*x + 1")
    assert not feedback
    assert "at x = 1 your answer gives -2 but the derivative is 1" in feedback.message


def test_an_answer_with_a_foreign_variable_is_rejected():
    feedback = check_derivative("2*t", "x**2")
    assert not feedback and "'t'" in feedback.message


def test_unreadable_answers_raise_a_clear_error():
    with pytest.raises(ValueError, match="multiplication needs"):
        check_derivative("3x**2 +", "x**3")
    with pytest.raises(TypeError, match="answer must be a formula"):
        check_derivative(None, "x**3")
    with pytest.raises(ValueError, match="one partial derivative per variable"):
        check_derivative(["2*x"], "x**2*y")


def test_check_number_right_wrong_sign_and_direction():
    expected = nnmath.profit.derivative(1.0)  # 8
    assert check_number(8, expected, name="P'(1)").message == "Right: P'(1) = 8 is correct."
    low = check_number(6, expected, name="P'(1)")
    assert not low and "too low (by 25%)" in low.message
    high = check_number(10, expected)
    assert not high and "too high" in high.message
    sign = check_number(-8, expected)
    assert not sign and "wrong sign" in sign.message


def test_check_number_tolerance_accepts_rounding_to_six_digits():
    assert check_number(0.718282, np.e - 2)  # relative error 6e-7 < default 1e-6
    assert not check_number(0.7183, np.e - 2)  # relative error 2.5e-5


def test_check_number_compares_arrays_and_shapes():
    assert check_number([2.0, 0.2], np.array([2.0, 0.2]))
    shape = check_number([1.0, 2.0], np.array([1.0, 2.0, 3.0]))
    assert not shape and "shape" in shape.message
    entry = check_number([1.0, 2.5], np.array([1.0, 2.0]))
    assert not entry and "index (1,)" in entry.message


def test_feedback_prints_its_message_wrapped():
    feedback = Feedback(True, "word " * 40)
    assert all(len(line) <= CODE_BOX_CHARACTERS for line in repr(feedback).splitlines())
    assert str(feedback) == repr(feedback)


def test_check_derivative_accepts_sympy_expressions():
    x = sympy.Symbol("x")
    assert check_derivative(sympy.cos(x), sympy.sin(x))


# --- the slips a checker names: each wrong answer and the sentence it must produce -----------------

@pytest.mark.parametrize(("answer", "function", "sentence"), [
    # The example: at x = 1 the answer equals the derivative without the inner factor 2x.
    ("x*exp(x)", "exp(x**2)",
     "Not yet: at x = 1 your answer gives 2.71828 but the derivative is 5.43656. At x = 1 your answer "
     "equals the derivative without an inner factor of the chain rule. The inner factor of the chain "
     "rule is missing: exp(x**2) is a function of u = x**2, so its derivative needs the factor du/dx = 2*x."),
    ("exp(sin(x**2))*cos(x**2)", "exp(sin(x**2))",
     "Not yet: at x = 1 your answer gives 1.25338 but the derivative is 2.50676. The inner factor of the "
     "chain rule is missing: sin(x**2) is a function of u = x**2, so its derivative needs the factor "
     "du/dx = 2*x."),
    ("3*(x**2 + 1)**2", "(x**2 + 1)**3",
     "Not yet: at x = 1 your answer gives 12 but the derivative is 24. The inner factor of the chain rule "
     "is missing: (x**2 + 1)**3 is a function of u = x**2 + 1, so its derivative needs the factor "
     "du/dx = 2*x."),
    ("-2*x + 12", "-2*x**2 + 12*x - 10",
     "Not yet: at x = 1 your answer gives 10 but the derivative is 8. The power rule's factor is missing: "
     "the derivative of x**2 is 2*x; the exponent 2 comes down in front."),
    ("x**2 + 2*x", "x**3 + 2*x**2",
     "Not yet: at x = 1 your answer gives 3 but the derivative is 7. The power rule's factor is missing: "
     "the derivative of x**n is n*x**(n - 1); the exponent n comes down in front."),
    ("-4*x - 12", "-2*x**2 + 12*x - 10",
     "Not yet: at x = 1 your answer gives -16 but the derivative is 8. One term has the wrong sign: the "
     "derivative has 12, your answer -12."),
    ("6*x - 4", "3*x**2 - 5*x + 1",
     "Not yet: at x = 1 your answer gives 2 but the derivative is 1. The constant 1 should have vanished: "
     "the derivative of a constant is 0."),
    ("x", "w*x",
     "Not yet: at x = 0.55, w = -0.92 your answer gives 0.55 but the derivative is -0.92. That is the "
     "derivative with respect to w, not x."),
])
def test_each_slip_of_a_derivative_is_named(answer, function, sentence):
    variables = "x" if "w" in function else None
    feedback = check_derivative(answer, function, variables)
    assert not feedback
    assert feedback.message == sentence


def test_a_term_free_of_the_variable_should_vanish_in_a_partial_derivative():
    feedback = check_derivative(["2*x*y + sin(y)", "x**2 + cos(y)"], "x**2*y + sin(y)")
    assert not feedback
    assert feedback.message.endswith("The term sin(y) does not depend on x, so its derivative with "
                                     "respect to x is 0.")


def test_partial_derivatives_in_the_wrong_order_are_named():
    feedback = check_derivative(["x**2 + cos(y)", "2*x*y"], "x**2*y + sin(y)")
    assert feedback.message == ("Not yet: your partial derivatives are right but in the wrong order; "
                                "give them in the order ['x', 'y'].")


def test_a_parameter_of_the_function_may_appear_in_the_answer():
    assert check_derivative("w", "w*x", "x")


@pytest.mark.parametrize(("answer", "expected", "quantities", "sentence"), [
    (0.5, 0.25, None, "Not yet: your answer = 0.5 is twice the answer: a factor of 2?"),
    (0.125, 0.25, None, "Not yet: your answer = 0.125 is half the answer: a missing factor of 2?"),
    (-0.25, 0.25, None, "Not yet: your answer = -0.25 has the wrong sign: it is the negative of the answer."),
    (-0.5, 0.25, None, "Not yet: your answer = -0.5 is minus twice the answer: check the sign and a factor of 2."),
    (4, 0.25, None, "Not yet: your answer = 4 is the reciprocal of the answer: did you divide the wrong "
                    "way round?"),
    (0.0625, 0.25, None, "Not yet: your answer = 0.0625 is the square of the answer: one factor too many?"),
    (0.015625, 0.25, None, "Not yet: your answer = 0.015625 is the cube of the answer: the power is off?"),
    (0.5, 0.25 ** 2, None, "Not yet: your answer = 0.5 is too high: about 8 times the answer."),
    (70, 7, {"N": 10}, "Not yet: your answer = 70 is N times the answer (N = 10): an extra factor of N?"),
    (0.7, 7, {"N": 10}, "Not yet: your answer = 0.7 is the answer divided by N (N = 10): a missing factor "
                        "of N?"),
    (28, 37, {"the number of biases": 9},
     "Not yet: your answer = 28 is the answer minus the number of biases (the number of biases = 9): off "
     "by the number of biases?"),
    (13, 12, None, "Not yet: your answer = 13 is one more than the answer: an off-by-one count?"),
    (1e300, 1e-10, None, "Not yet: your answer = 1e+300 is too high: more than 10^300 times the answer."),
    (3e6, 2.0, None, "Not yet: your answer = 3e+06 is too high: about 10^6 times the answer."),
    (0.03, 0.25, None, "Not yet: your answer = 0.03 is too low: about 1/8.3 of the answer."),
    (float("inf"), 2.0, None, "Not yet: your answer = inf is not a finite number; the answer is."),
    (float("nan"), 2.0, None, "Not yet: your answer = nan is not a finite number; the answer is."),
    (-3.0, 2.0, None, "Not yet: your answer = -3 has the wrong sign, and its size is off too."),
    (0.5, 0.0, None, "Not yet: your answer = 0.5 is too high; the answer is 0."),
])
def test_each_slip_of_a_number_is_named(answer, expected, quantities, sentence):
    feedback = check_number(answer, expected, quantities=quantities)
    assert not feedback
    assert feedback.message == sentence


def test_an_array_slip_is_named_for_the_whole_array():
    feedback = check_number([-1.0, 2.0], np.array([1.0, -2.0]), name="dL/da")
    assert feedback.message == "Not yet: dL/da = [-1.  2.] has the wrong sign: it is the negative of the answer."


# --- the registry: check("name", answer), the expected value computed in the package ---------------

def test_check_computes_the_expected_value_itself():
    from nnmath.exercises import check

    assert check("derivatives-sign", nnmath.profit.derivative(5.0))
    assert check("activations-sigmoid-2", 0.1049936)  # e^-2/(1 + e^-2)^2 to seven digits
    assert not check("activations-sigmoid-2", 0.2)
    assert check("derivatives-limit", "6*x - 5")
    assert check("neuron-collapse-W", [[2, 3]])


def test_check_names_the_slip_with_the_exercises_own_quantities():
    from nnmath.exercises import check

    weights_only = 2 * 5 + 5 * 3 + 3 * 1  # the weights of [2, 5, 3, 1], without its 9 biases
    feedback = check("learn-count-parameters", weights_only)
    assert "minus the number of biases (the number of biases = 9)" in feedback.message


def test_every_registered_exercise_computes_its_answer():
    from nnmath.exercises import _REGISTRY, exercise_names

    for name in exercise_names():
        exercise = _REGISTRY[name]
        if exercise.expected is not None:
            value = np.asarray(exercise.expected(), dtype=float)
            assert np.all(np.isfinite(value)), name
            assert check_number(value, value), name


def test_an_unknown_exercise_name_is_a_clear_error():
    from nnmath.exercises import check

    with pytest.raises(ValueError, match="did you mean 'derivatives-limit'"):
        check("derivative-limit", "6*x - 5")


def test_an_exercise_name_is_registered_once():
    from nnmath.exercises import register_number

    with pytest.raises(ValueError, match="already registered"):
        register_number("derivatives-sign", lambda: 1.0)


def test_the_complement_of_a_probability_is_named():
    feedback = check_number(0.75, 0.25)
    assert feedback.message == ("Not yet: your answer = 0.75 is 1 minus the answer: the complement (1 - p, "
                                "or σ(-z) instead of σ(z))?")


def test_a_slip_rounded_to_four_digits_is_still_named():
    """-0.032846 is minus delta_1 (0.0328457...) rounded to six decimals: a sign slip, not a size error."""
    feedback = check_number(-0.032846, 0.03284576, rtol=1e-6)
    assert "wrong sign: it is the negative" in feedback.message


def test_the_inner_factor_is_named_with_the_functions_variable():
    feedback = check_derivative("1/(1 + exp(z))", "log(1 + exp(z))", "z")
    assert feedback.message.endswith("so its derivative needs the factor du/dz = exp(z).")
