"""nnmath: the mathematics inside neural networks, in small, tested NumPy code.

The companion package of the book. Every public name is listed in ``__all__``;
importing the package loads NumPy only and changes no global state. The
submodules that need more are imported on first use, as attributes
(``nnmath.symbolic`` works after ``import nnmath``):

* SymPy is loaded by ``nnmath.symbolic``, ``nnmath.exercises`` and
  ``nnmath.graph`` when they are imported (and by an activation's
  ``.formula`` when it is called);
* matplotlib by ``nnmath.plotting``, and by ``nnmath.widgets`` and
  ``nnmath.timing`` only when they draw (``nnmath.widgets`` needs ipywidgets
  when a widget is built).
"""

from .activations import (
    ACTIVATIONS,
    LeakyReLU,
    get_activation,
    heaviside,
    identity,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softmax_jacobian,
    tanh,
)
from .calculus import (
    GradientCheckError,
    GradientCheckResult,
    check_gradient,
    default_step,
    difference_errors,
    fit_order,
    numerical_derivative,
    numerical_gradient,
    check_hessian,
    numerical_hessian,
    numerical_jacobian,
)
from .functions import QuadraticBowl, ScalarFunction, profit, quadratic
from .losses import LOSSES, Loss, cross_entropy, get_loss, mse, one_hot, sse
from .network import INITS, MLP, Trace, initial_std
from .optim import OPTIMIZERS, Adam, DivergenceError, Optimizer, RMSprop, SGD, adam, get_optimizer, gradient_descent, rmsprop
from .perceptron import Perceptron
from .training import History, train
from .datasets import split
from . import datasets, deep, diagnostics, landscape, regularisation
from . import autograd  # automatic differentiation: Value (reverse mode), Dual (forward mode)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Adam",
    "DivergenceError",
    "GradientCheckError",
    "GradientCheckResult",
    "History",
    "INITS",
    "LOSSES",
    "LeakyReLU",
    "Loss",
    "MLP",
    "OPTIMIZERS",
    "Optimizer",
    "Perceptron",
    "QuadraticBowl",
    "RMSprop",
    "SGD",
    "ScalarFunction",
    "Trace",
    "adam",
    "check_gradient",
    "check_hessian",
    "cross_entropy",
    "default_step",
    "difference_errors",
    "fit_order",
    "get_activation",
    "get_loss",
    "get_optimizer",
    "gradient_descent",
    "heaviside",
    "identity",
    "initial_std",
    "leaky_relu",
    "log_softmax",
    "mse",
    "numerical_derivative",
    "numerical_gradient",
    "numerical_hessian",
    "numerical_jacobian",
    "one_hot",
    "profit",
    "quadratic",
    "relu",
    "rmsprop",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "split",
    "sse",
    "tanh",
    "train",
]


_LAZY = ("symbolic", "plotting", "exercises", "graph", "timing", "widgets")


def __getattr__(name: str):  # submodules that load SymPy, matplotlib or ipywidgets, imported on first use
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnmath' has no attribute {name!r}")
