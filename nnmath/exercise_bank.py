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
    lambda: nnmath.MLP([2, 5, 3, 1], ["relu", "relu", "identity"], rng=0).n_parameters,
    what="parameters",
    quantities={"the number of biases": 5 + 3 + 1, "the number of weights": 2 * 5 + 5 * 3 + 3 * 1},
)


def _one_step() -> np.ndarray:
    """One gradient step of y = w x + b from (0, 0) on x = 2, t = 4, (y - t)^2, learning rate 0.1."""
    from .training import train

    neuron = nnmath.MLP([1, 1], ["identity"], rng=0)
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
    net = nnmath.MLP([4, 6, 3], ["relu", "softmax"], rng=0)
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
    net = nnmath.MLP([1, 1, 1], ["sigmoid", "sigmoid"], rng=0)
    net.weights = [np.array([[0.5]]), np.array([[-1.0]])]
    net.biases = [np.array([-0.5]), np.array([-0.5])]
    return net.trace([[2.0]], [[1.0]], "sse").delta[1].item()


# Worked by hand to six decimals: four significant digits are enough.
register_number("chain-delta1", _delta1_w2_negative, what="delta1", quantities={"w2": -1.0}, rtol=1e-4)


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

# --- Chapter 5: loss functions -------------------------------------------------------------

register_number("losses-mse-gradient", lambda: nnmath.mse.gradient([0.8, 0.1, 0.3], [1.0, 0.0, 0.0]),
                what="dL/da", quantities={"NK/2": 1.5,
                                          "the number of outputs K": 3})
register_number("losses-ce-value", lambda: nnmath.cross_entropy([0.7, 0.2, 0.1], [0.0, 1.0, 0.0]),
                what="the loss")
register_number("losses-rate", lambda: 0.004 * 50 * 1 / 2, what="the MSE learning rate",
                quantities={"NK/2": 25, "N": 50})
register_derivative("losses-binary", "-log(1/(1 + exp(-z)))", variables="z")
register_number("losses-p-minus-t",
                lambda: nnmath.cross_entropy.gradient_logits([0.0, np.log(2.0), np.log(5.0)], [1.0, 0.0, 0.0]),
                what="dL/dz")

# --- Chapter 6: backpropagation ------------------------------------------------------------


def _mazur() -> "nnmath.MLP":
    """Mazur's worked example (mazur2015step): 2-2-2 sigmoid network, one sample, SSE."""
    net = nnmath.MLP([2, 2, 2], ["sigmoid", "sigmoid"], rng=0)
    net.weights = [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])]
    net.biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return net


_MAZUR_X, _MAZUR_T = np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def _mazur_w3_after_one_step() -> float:
    net = _mazur()
    net.step(_MAZUR_X, _MAZUR_T, "sse", learning_rate=0.5)
    return float(net.weights[0][1, 0])


_A_O2 = float(_mazur().forward(_MAZUR_X)[0, 1])  # the second output, 0.7729...
register_number("backprop-delta-o2",
                lambda: _mazur().trace(_MAZUR_X, _MAZUR_T, "sse").delta[2][0, 1], what="delta_o2",
                quantities={"σ'(z) = a(1 - a)": _A_O2 * (1 - _A_O2)})
register_number("backprop-w3", _mazur_w3_after_one_step, what="w3",
                quantities={"the old w3": 0.25, "the learning rate": 0.5})


def _shapes_3542(which: str) -> np.ndarray:
    """Shapes in MLP([3, 5, 4, 2]) on a batch of 8: W2, delta2, dL/dW2, dL/db2."""
    net = nnmath.MLP([3, 5, 4, 2], ["tanh", "tanh", "sigmoid"], rng=0)
    trace = net.trace(np.zeros((8, 3)), np.zeros((8, 2)), "sse")
    shapes = {"W2": net.weights[1].shape, "delta2": trace.delta[2].shape,
              "dW2": trace.weight_grads[2].shape, "db2": trace.bias_grads[2].shape}
    return np.array(shapes[which])


for _which in ("W2", "delta2", "dW2", "db2"):
    register_number(f"backprop-shape-{_which}", lambda which=_which: _shapes_3542(which),
                    what=f"the shape of {_which}", quantities={"the batch size": 8})
register_number("backprop-passes", lambda: 2 * nnmath.MLP([784, 100, 10], ["sigmoid", "softmax"], rng=0).n_parameters,
                what="forward passes")

# --- Chapter 7: vanishing and exploding gradients -------------------------------------------

register_number("vanishing-bound", lambda: nnmath.sigmoid.derivative(0.0) ** 7, what="the fraction",
                quantities={"the largest slope 1/4": 0.25})
register_number("vanishing-he", lambda: nnmath.initial_std("he", 128, 64), what="the He standard deviation",
                quantities={"n_in": 128, "n_out": 64})


def _dead_in_the_exercise() -> int:
    from .diagnostics import dead_units

    net = nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0)
    net.weights[0] = np.array([[1.0, 2.0], [-1.0, -1.0], [0.5, -3.0]])
    net.biases[0] = np.array([-4.0, 1.0, 0.0])
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [0.0, 1.0]])
    return int(dead_units(net, X)[0].sum())


register_number("vanishing-dead", _dead_in_the_exercise, what="the number of dead units")
register_number("vanishing-weight", lambda: 1 / nnmath.sigmoid.derivative(0.0), what="|w|")
register_number("vanishing-growth", lambda: 32 * 0.5**2 / 2, what="the factor",
                quantities={"the width": 32, "the standard deviation": 0.5})
register_number("vanishing-growth-layers", lambda: int(np.ceil(np.log(1e6) / np.log(32 * 0.5**2 / 2))),
                what="the number of layers")

# --- Chapter 8: gradient descent ------------------------------------------------------------


def _stability_threshold(coefficient: float) -> float:
    from .widgets import stability_threshold

    return stability_threshold(nnmath.quadratic(coefficient))


register_number("gd-threshold", lambda: _stability_threshold(5.0), what="the largest learning rate",
                quantities={"c": 5.0, "the curvature f'' = 2c": 10.0})
register_number("gd-step",
                lambda: nnmath.gradient_descent(lambda v: -nnmath.profit.derivative(v), 1.0, 0.1, steps=1)[1],
                what="x_1", quantities={"x_0": 1.0})
register_number("gd-fastest", lambda: 1 / (2 * 4.0), what="the learning rate",
                quantities={"c": 4.0, "the curvature f'' = 2c": 8.0})

# --- Chapter 10: training a network ------------------------------------------------------------

register_number("training-start", lambda: nnmath.cross_entropy([[1 / 3, 1 / 3, 1 / 3]], [[1.0, 0.0, 0.0]]),
                what="the loss", quantities={"the number of classes": 3})
register_number("training-count",
                lambda: nnmath.MLP([2, 16, 16, 3], ["relu", "relu", "softmax"], rng=0).n_parameters,
                what="parameters", quantities={"the number of biases": 16 + 16 + 3})
register_number("training-count-wide",
                lambda: nnmath.MLP([2, 32, 32, 3], ["relu", "relu", "softmax"], rng=0).n_parameters,
                what="parameters", quantities={"the number of biases": 32 + 32 + 3})
register_number("training-class", lambda: nnmath.softmax([0.5, 2.0, -1.0])[1], what="p", rtol=1e-4)

# --- Chapter 9: curvature, momentum and adaptive steps -------------------------------------------


def _heavy_ball_edge(coefficients: list[float], momentum: float) -> float:
    """The largest stable learning rate of heavy ball on a bowl: eta lambda_max = 2 (1 + beta)."""
    return 2 * (1 + momentum) / float(nnmath.QuadraticBowl(coefficients).curvatures.max())


def _adam_average(beta1: float, steps: int) -> float:
    """Adam's uncorrected running average m_t after ``steps`` gradients equal to 1."""
    rule = nnmath.Adam(beta1=beta1)
    state = rule.start(np.zeros(1))
    for t in range(1, steps + 1):
        _, state = rule.direction(np.ones(1), state, t)
    return float(state[0][0])


register_number("momentum-threshold", lambda: _heavy_ball_edge([1.0, 10.0], 0.5), what="the largest learning rate",
                quantities={"beta": 0.5, "lambda_max": 20.0, "the plain threshold 2/lambda_max": 0.1})
register_number("momentum-best-step", lambda: 2 / float(nnmath.QuadraticBowl([1.0, 9.0]).curvatures.sum()),
                what="the learning rate", quantities={"2/lambda_max": 2 / 18, "2/lambda_min": 1.0})
register_number("momentum-polyak-rate", lambda: (np.sqrt(100.0) - 1) / (np.sqrt(100.0) + 1), what="the rate",
                quantities={"plain descent's rate (kappa-1)/(kappa+1)": 99 / 101, "beta = rate^2": (9 / 11) ** 2})
register_number("momentum-bias", lambda: _adam_average(0.9, 3), what="m_3",
                quantities={"the corrected average": 1.0, "0.9^3": 0.9**3})

# --- Chapter 10: generalisation and regularisation ----------------------------------------


def _penalty_in_the_exercise() -> float:
    from .regularisation import l2_penalty

    return l2_penalty([np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0, 1.0]])], 0.2)


def _decayed_weight() -> float:
    """One step with weight decay from w = 2, data gradient 0.3, eta = 0.1, lambda = 0.5."""
    from .regularisation import l2_penalty_gradients

    w, data_gradient = np.array([[2.0]]), 0.3
    return float((w - 0.1 * (data_gradient + l2_penalty_gradients([w], 0.5)[0]))[0, 0])


def _dropout_backward_in_the_exercise() -> np.ndarray:
    from .regularisation import dropout_backward

    return dropout_backward(np.array([[0.4, -1.2, 2.0]]), np.array([[1.0, 0.0, 1.0]]), 0.5)[0]


def _split_count() -> int:
    from .datasets import split

    return len(split(np.zeros((50, 1)), np.zeros(50), validation=0.2, test=0.1, rng=0).train.indices)


register_number("generalise-penalty", _penalty_in_the_exercise, what="the penalty",
                quantities={"lambda": 0.2, "lambda / 2": 0.1})
register_number("generalise-decay", _decayed_weight, what="the new weight",
                quantities={"eta times the data gradient": 0.03, "eta lambda w": 0.1})
register_number("generalise-dropout-scale", lambda: 3.0 / (1 - 0.2), what="the kept activation",
                quantities={"p": 0.2, "1 - p": 0.8})
register_number("generalise-dropout-backward", _dropout_backward_in_the_exercise,
                what="dL/da", quantities={"1 - p": 0.5})
register_number("generalise-split", _split_count, what="the number of training points",
                quantities={"the validation points": 10, "the test points": 5})

# --- Chapter 7 (continued): what deep networks do about it ------------------------------------

register_number("vanishing-residual", lambda: 1 + 0.5 * nnmath.tanh.derivative(0.0),
                what="the derivative da^l/da^(l-1)", quantities={"w": 0.5})
register_number("vanishing-residual-chain", lambda: (1 + 0.5 * nnmath.tanh.derivative(0.0)) ** 10,
                what="the product of the ten factors", quantities={"w": 0.5}, rtol=1e-3)
