r"""The book's exercises, by name: what each asks, and its answer computed here.

See the chapter :ref:`chapter-derivatives`.

A page checks the reader's answer with ``nnmath.exercises.check(name, answer)``;
the right answer is computed by the function registered below when the check
runs, so it appears in no page. Each chapter's exercises are in their own block.
"""

from __future__ import annotations

import numpy as np

import nnmath

from .datasets import logic_gate
from .exercises import register_derivative, register_number

# --- Overview: how networks learn ---------------------------------------------------

register_number(
    "learn-count-parameters",
    lambda: nnmath.MLP([2, 5, 3, 1], ["relu", "relu", "identity"], seed=0).n_parameters,
    what="parameters",
    quantities={"the number of biases": 5 + 3 + 1, "the number of weights": 2 * 5 + 5 * 3 + 3 * 1},
)


def _one_step() -> np.ndarray:
    """One gradient step of y = w x + b from (0, 0) on x = 2, t = 4, (y - t)^2, learning rate 0.1."""
    from .training import train

    neuron = nnmath.MLP([1, 1], ["identity"], seed=0)
    neuron.weights = [np.zeros((1, 1))]
    train(neuron, [[2.0]], [[4.0]], "mse", learning_rate=0.1, steps=1)
    return np.array([neuron.weights[0][0, 0], neuron.biases[0][0]])


register_number("learn-one-step", _one_step, what="(w, b)", quantities={"the learning rate": 0.1})

# --- Chapter 1: the neuron -----------------------------------------------------------

_W_ONE, _B_ONE, _X_ONE = np.array([0.5, 1.5]), 0.25, np.array([2.0, -1.0])
register_number("neuron-z", lambda: _W_ONE @ _X_ONE + _B_ONE, what="z", quantities={"the bias b": _B_ONE})
register_number("neuron-sigmoid", lambda: nnmath.sigmoid(_W_ONE @ _X_ONE + _B_ONE),
                what="a", rtol=1e-4)


def _shapes() -> np.ndarray:
    """Shapes of W1, Z1, A1, W2, Z2 for a batch of 5 through MLP([4, 6, 3])."""
    net = nnmath.MLP([4, 6, 3], ["relu", "softmax"], seed=0)
    trace = net.trace(np.zeros((5, 4)))
    return np.array([net.weights[0].shape, trace.z[1].shape, trace.a[1].shape,
                     net.weights[1].shape, trace.z[2].shape])


register_number("neuron-shapes", _shapes, what="the shapes (W1, Z1, A1, W2, Z2)")

_W1_COLLAPSE = np.array([[1.0, 2.0], [0.0, 1.0]])
_B1_COLLAPSE = np.array([1.0, -1.0])
_W2_COLLAPSE = np.array([[2.0, -1.0]])
_B2_COLLAPSE = np.array([3.0])
register_number("neuron-collapse-W", lambda: _W2_COLLAPSE @ _W1_COLLAPSE, what="W")
register_number("neuron-collapse-b", lambda: _W2_COLLAPSE @ _B1_COLLAPSE + _B2_COLLAPSE, what="b",
                quantities={"b2": 3.0})


def _perceptron_or() -> np.ndarray:
    from .perceptron import Perceptron

    p = Perceptron(2)
    p.fit(*logic_gate("or"), learning_rate=1.0, epochs=1)
    return np.array([*p.weights, p.bias])


register_number("neuron-or", _perceptron_or, what="(w1, w2, b)")
register_number("neuron-xor", lambda: logic_gate("xor")[1],
                what="the outputs")

# --- Chapter 2: derivatives -------------------------------------------------------------

register_derivative("derivatives-limit", "3*x**2 - 5*x + 1")
register_number("derivatives-sign", lambda: nnmath.profit.derivative(5.0), what="P'(5)")
register_derivative("derivatives-gradient", "x**2*y + sin(y)", variables=["x", "y"],
                    what="your gradient")

# --- Chapter 3: the chain rule -----------------------------------------------------------

register_derivative("chain-three", "exp(sin(x**2))")


def _delta1_w2_negative() -> float:
    """delta_1 of the two-neuron cascade (x = 2, t = 1, w1 = 0.5, b1 = b2 = -0.5) with w2 = -1."""
    net = nnmath.MLP([1, 1, 1], ["sigmoid", "sigmoid"], seed=0)
    net.weights = [np.array([[0.5]]), np.array([[-1.0]])]
    net.biases = [np.array([-0.5]), np.array([-0.5])]
    return net.trace([[2.0]], [[1.0]], "sse").delta[1].item()


register_number("chain-delta1", _delta1_w2_negative, what="delta1", quantities={"w2": -1.0})


def _two_paths_at_1() -> float:
    import sympy

    x = sympy.Symbol("x")
    return float(sympy.diff(sympy.sin(x ** 2) + x ** 3, x).subs(x, 1))


# Forgetting the direct arrow x -> f leaves out its local derivative u = x**2, which is 1 at x = 1.
register_number("chain-paths-value", _two_paths_at_1, what="df/dx",
                quantities={"the direct path's u": 1.0})
register_derivative("chain-paths-formula", "sin(x**2) + x**3", what="your formula")

# A chain of L sigmoid neurons: the path from w_l to E has 2(L - l) + 3 arrows, so
# 2(L - l) + 2 multiplications; backwards, delta_L costs 1, each earlier delta 2, each gradient 1.
_LAYERS = 3
register_number("chain-count-per-path", lambda: sum(2 * (_LAYERS - l) + 2 for l in range(1, _LAYERS + 1)),
                what="per path", quantities={"the number of neurons": _LAYERS})
register_number("chain-count-backward", lambda: 1 + 2 * (_LAYERS - 1) + _LAYERS,
                what="backward", quantities={"the number of neurons": _LAYERS})

# --- Chapter 4: activations ---------------------------------------------------------------

register_derivative("activations-softplus", "log(1 + exp(z))", variables="z")
register_number("activations-sigmoid-2", lambda: nnmath.sigmoid.derivative(2.0), what="σ'(2)")
register_derivative("activations-tanh-slope", nnmath.tanh, variables="z")
register_number("activations-softmax-entry",
                lambda: nnmath.softmax_jacobian([0.0, np.log(2.0)])[0, 1], what="dp1/dz2")


def _saturation() -> float:
    """The z > 0 with sigma'(z) = 0.01: s(1 - s) = 0.01 for s = sigma(z) > 1/2, z = ln(s / (1 - s))."""
    s = (1 + np.sqrt(1 - 4 * 0.01)) / 2
    return float(np.log(s / (1 - s)))


register_number("activations-saturation", _saturation, what="z", rtol=1e-3)

# --- Learning chapters (losses, backpropagation, vanishing gradients, gradient descent,
# training a network): their exercises are registered below this line. ------------------
