"""The answer checkers readers call in the exercises: right answers pass, wrong ones are explained."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import nnmath
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
    assert all(len(line) <= 78 for line in repr(feedback).splitlines())
    assert str(feedback) == repr(feedback)


def test_check_derivative_accepts_sympy_expressions():
    x = sympy.Symbol("x")
    assert check_derivative(sympy.cos(x), sympy.sin(x))
