"""The exercises of the learning chapters (losses .. training a network), checked by name.

Each right answer is worked out here independently of nnmath's code (by hand, as the
solution does, or with SymPy), then ``check(name, answer)`` must accept it; the slip that
the solution shows must get the sentence that names it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from nnmath.exercises import check

# Mazur's worked example, as printed in his post (mazur2015step), and what it gives by hand.
_A_O2 = 0.772928465
_DELTA_O2 = (_A_O2 - 0.99) * _A_O2 * (1 - _A_O2)
_A_H2 = 0.596884378
_W3_NEW = 0.25 - 0.5 * (0.138498562 * 0.45 - 0.038098237 * 0.55) * _A_H2 * (1 - _A_H2) * 0.05


@pytest.mark.parametrize("name, answer", [
    ("losses-mse-gradient", [-2 / 15, 1 / 15, 1 / 5]),  # 2/(NK) (a - t), NK = 3
    ("losses-ce-value", math.log(5)),  # -log 0.2
    ("losses-binary", "1/(1 + exp(-z)) - 1"),  # sigma(z) - 1
    ("losses-p-minus-t", [-7 / 8, 2 / 8, 5 / 8]),  # softmax(0, ln 2, ln 5) = (1, 2, 5)/8, minus t
    ("losses-rate", 0.1),  # 0.004 * NK/2 = 0.004 * 25
    ("backprop-delta-o2", _DELTA_O2),  # rounded inputs: agrees to about 1e-9, within rtol 1e-6
    ("backprop-w3", _W3_NEW),
    ("backprop-shape-W2", (4, 5)),
    ("backprop-shape-delta2", (8, 4)),
    ("backprop-shape-dW2", (4, 5)),
    ("backprop-shape-db2", (4,)),
    ("backprop-passes", 2 * (785 * 100 + 101 * 10)),
    ("vanishing-bound", 0.25**7),
    ("vanishing-he", math.sqrt(2 / 128)),
    ("vanishing-dead", 1),  # unit 1: z = x1 + 2 x2 - 4 < 0 on all four inputs
    ("vanishing-weight", 4),
    ("vanishing-growth", 32 * 0.25 / 2),
    ("vanishing-growth-layers", 10),  # 4^9 < 10^6 < 4^10
    ("gd-threshold", 0.2),  # |1 - 10 eta| < 1
    ("gd-step", 1.8),  # 1 + 0.1 * P'(1) = 1 + 0.1 * 8
    ("gd-fastest", 0.125),  # 1 - 2 eta c = 0 with c = 4
    ("training-start", math.log(3)),
    ("training-count", 16 * 2 + 16 + 16 * 16 + 16 + 3 * 16 + 3),
    ("training-count-wide", 32 * 2 + 32 + 32 * 32 + 32 + 3 * 32 + 3),
    ("training-class", math.exp(2) / (math.exp(0.5) + math.exp(2) + math.exp(-1))),
])
def test_the_worked_answer_is_right(name, answer):
    feedback = check(name, answer)
    assert feedback.correct, feedback.message


def test_the_binary_cross_entropy_derivative_agrees_with_sympy():
    z = sympy.Symbol("z", real=True)
    derivative = sympy.diff(-sympy.log(1 / (1 + sympy.exp(-z))), z)
    assert check("losses-binary", str(derivative))
    assert sympy.simplify(derivative - (1 / (1 + sympy.exp(-z)) - 1)) == 0


@pytest.mark.parametrize("name, answer, sentence", [
    ("backprop-delta-o2", _A_O2 - 0.99, "a missing factor of σ'(z) = a(1 - a)"),
    ("backprop-passes", 785 * 100 + 101 * 10, "half the answer: a missing factor of 2?"),
    ("backprop-shape-dW2", (5, 4), "differs from the answer"),
    ("vanishing-bound", 0.25**8, "an extra factor of the largest slope 1/4?"),
    ("vanishing-he", 2 / 128, "the square of the answer"),
    ("vanishing-growth", 32 * 0.25, "twice the answer: a factor of 2?"),
    ("gd-threshold", 0.4, "twice the answer: a factor of 2?"),  # 2/c: the coefficient taken for the curvature
    ("gd-fastest", 0.25, "twice the answer"),  # 1/c, the threshold, not the fastest rate
    ("losses-mse-gradient", [-0.2, 0.1, 0.3], "an extra factor of NK/2?"),  # the SSE gradient
    ("losses-rate", 0.004 * 50, "twice the answer"),  # NK instead of NK/2
    ("training-count", 16 * 2 + 16 * 16 + 3 * 16, "minus the number of biases"),
])
def test_the_slip_is_named(name, answer, sentence):
    feedback = check(name, answer)
    assert not feedback.correct
    assert sentence in feedback.message, feedback.message
