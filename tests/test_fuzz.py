"""The whole public API under a fuzz test: one argument at a time replaced by an odd value.

The callables are found, not listed: every name in ``__all__`` of ``nnmath`` and of
its public submodules (found by ``pkgutil``: every module without a leading
underscore that has an ``__all__``; a name re-exported at the top level is covered
once, as ``nnmath.<name>``), and every public method that an nnmath class defines. Each
needs a *baseline*, a call with valid arguments (the table ``BASELINES``); a new
public name without one fails ``test_every_public_callable_has_a_baseline``, which
says where to add it. The fuzz test replaces one argument of a baseline with a value
of one of the kinds a careless or curious reader might pass (``ODD_KINDS``) and
accepts exactly three outcomes:

* a result, with no NaN or infinity in it;
* a documented error: ``DivergenceError``, ``GradientCheckError``, ``VerificationError``;
* a ``ValueError`` or ``TypeError`` raised by nnmath's own code (the traceback's last
  frame is in the package) whose message names the replaced argument.

Anything else is a finding: a NumPy or SymPy exception, another exception type, a
warning (warnings are errors), a call that runs longer than ``CALL_SECONDS`` or needs
more memory than ``MEMORY_BYTES`` above what the process already uses (the address
space is capped with ``resource.setrlimit`` around each call).

The run is seeded (the ``nnmath`` Hypothesis profile of conftest.py is derandomized)
and bounded: ``NNMATH_FUZZ_EXAMPLES`` examples per callable (default 12, about half a
minute in all); set it higher, e.g. ``NNMATH_FUZZ_EXAMPLES=300``, for a thorough run.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import pkgutil
import re
import resource
import signal
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import nnmath
from nnmath.calculus import GradientCheckError
from nnmath.optim import DivergenceError
from nnmath.symbolic import VerificationError

PACKAGE_DIR = Path(nnmath.__file__).resolve().parent
#: Public modules (no leading underscore) with an ``__all__``, found by pkgutil: a new module is covered unedited.
SUBMODULES = tuple(sorted(
    info.name for info in pkgutil.iter_modules(nnmath.__path__)
    if not info.name.startswith("_") and info.name != "exercise_bank"  # the book's exercise data, no API
    and hasattr(importlib.import_module(f"nnmath.{info.name}"), "__all__")))
DOCUMENTED_ERRORS = (DivergenceError, GradientCheckError, VerificationError)
CALL_SECONDS = 10.0  # generous on a shared 2-core machine; a refused size returns in microseconds
MEMORY_BYTES = 3 * 2**30  # above the 1 GB budget nnmath promises, below what would hurt the machine
EXAMPLES = int(os.environ.get("NNMATH_FUZZ_EXAMPLES", "12"))


# ---------------------------------------------------------------------------
# What is public
# ---------------------------------------------------------------------------

def _module(name: str) -> Any:
    return nnmath if name == "nnmath" else importlib.import_module(f"nnmath.{name}")


def _own_methods(cls: type) -> list[str]:
    """Public methods defined by nnmath classes in ``cls``'s MRO (not by object, Exception, tuple, SymPy)."""
    names = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("nnmath"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") or isinstance(member, (property, type)):
                continue
            if callable(member) or isinstance(member, (staticmethod, classmethod)):
                names.append(name)
    return sorted(set(names))


def public_callables() -> list[str]:
    """``module.name`` and ``module.name.method`` for everything a reader can call."""
    found = []
    for module_name in ("nnmath", *SUBMODULES):
        module = _module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if module is not nnmath and getattr(nnmath, name, None) is obj:
                continue  # re-exported at the top level: covered once, as nnmath.<name>
            if isinstance(obj, type) and issubclass(obj, BaseException):
                continue  # the documented errors are outcomes, not calls
            if not callable(obj):
                continue  # constants (dicts, tuples, floats)
            qualified = f"{module_name}.{name}"
            found.append(qualified)
            cls = obj if isinstance(obj, type) else type(obj)
            if cls.__module__.startswith("nnmath"):
                found.extend(f"{qualified}.{m}" for m in _own_methods(cls))
    return sorted(set(found))


# ---------------------------------------------------------------------------
# Baselines: one valid call per callable
# ---------------------------------------------------------------------------

@dataclass
class Baseline:
    """``target()`` gives the callable (a fresh object for a method); ``args`` its valid keyword arguments."""

    target: Callable[[], Callable]
    args: dict[str, Callable[[], Any]] = field(default_factory=dict)  # factories: a fresh value per call


def _net():
    return nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)


def _X():
    return np.array([[0.0, 1.0], [1.0, 0.0], [0.5, -0.5]])


def _T():
    return np.array([[1.0], [0.0], [1.0]])


def _b(_target, /, **args):
    """A baseline; each argument a constant (copied per call when it is an array or list)."""
    def factory(v):
        return lambda: (v.copy() if isinstance(v, np.ndarray) else list(v) if isinstance(v, list) else v)
    return Baseline(_target, {k: factory(v) for k, v in args.items()})


def _scalar_function_baselines(prefix: str, obj: Any) -> dict[str, Baseline]:
    return {
        prefix: _b(lambda: obj, x=np.array([-1.0, 0.5, 2.0])),
        f"{prefix}.derivative": _b(lambda: obj.derivative, x=np.array([-1.0, 0.5, 2.0])),
        f"{prefix}.formula": _b(lambda: obj.formula, symbol=sympy.Symbol("x")),
    }


def _residual():
    return nnmath.deep.ResidualMLP([2, 3, 3, 1], ["tanh", "tanh", "sigmoid"], rng=0)


def _descent_frame():
    from nnmath.widgets import descent_frame

    return descent_frame(nnmath.quadratic(1.0), 0.3, steps=5)


def _training_frame():
    from nnmath.widgets import training_frame

    return training_frame(_X(), np.array([0, 1, 0]), learning_rate=0.1, hidden=(2,), steps=2, resolution=4)


def _graph():
    from nnmath.graph import ComputationalGraph

    return ComputationalGraph({"y": "w*x", "L": "y**2"}, ["w", "x"])


def _value_graph():
    from nnmath.autograd import Value

    out = Value(2.0, "a") * Value(3.0, "b")
    out.backward()
    return out


_VALUES = {"w": 2.0, "x": 3.0}
_P = np.array([[0.2, 0.8], [0.6, 0.4]])
_ONE_HOT = np.array([[0.0, 1.0], [1.0, 0.0]])
_SQUARE = lambda v: float(np.sum(np.asarray(v) ** 2))  # noqa: E731
_DOUBLE = lambda v: 2 * np.asarray(v)  # noqa: E731

BASELINES: dict[str, Baseline] = {
    **{k: v for name in ("heaviside", "identity", "leaky_relu", "profit", "relu", "sigmoid", "tanh")
       for k, v in _scalar_function_baselines(f"nnmath.{name}", getattr(nnmath, name)).items()},
    **_scalar_function_baselines("nnmath.LeakyReLU", nnmath.LeakyReLU(0.1)),
    "nnmath.ScalarFunction": _b(lambda: nnmath.ScalarFunction, name="square", value=np.square,
                                derivative=lambda x: 2 * x, formula=lambda s: s**2, latex="s"),
    **{k.replace("nnmath.sq", "nnmath.ScalarFunction"): v
       for k, v in _scalar_function_baselines("nnmath.sq", nnmath.quadratic(2.0)).items() if k != "nnmath.sq"},
    "nnmath.LeakyReLU": _b(lambda: nnmath.LeakyReLU, slope=0.1),
    "nnmath.quadratic": _b(lambda: nnmath.quadratic, coefficient=2.0),
    "nnmath.QuadraticBowl": _b(lambda: nnmath.QuadraticBowl, coefficients=[1.0, 3.0]),
    "nnmath.QuadraticBowl.gradient": _b(lambda: nnmath.QuadraticBowl().gradient, v=np.array([1.0, -2.0])),
    "nnmath.QuadraticBowl.formula": _b(lambda: nnmath.QuadraticBowl().formula, symbols=sympy.symbols("a b")),
    "nnmath.log_softmax": _b(lambda: nnmath.log_softmax, z=np.array([[1.0, 2.0, -1.0]])),
    "nnmath.softmax": _b(lambda: nnmath.softmax, z=np.array([[1.0, 2.0, -1.0]])),
    "nnmath.softmax_jacobian": _b(lambda: nnmath.softmax_jacobian, z=np.array([1.0, 2.0, -1.0])),
    "nnmath.get_activation": _b(lambda: nnmath.get_activation, name="tanh"),
    "nnmath.get_loss": _b(lambda: nnmath.get_loss, name="mse"),
    "nnmath.one_hot": _b(lambda: nnmath.one_hot, labels=[0, 2, 1], n_classes=3),
    "nnmath.sse": _b(lambda: nnmath.sse, y=_T(), t=_T() * 0.5),
    "nnmath.sse.gradient": _b(lambda: nnmath.sse.gradient, y=_T(), t=_T() * 0.5),
    "nnmath.mse": _b(lambda: nnmath.mse, y=_T(), t=_T() * 0.5),
    "nnmath.mse.gradient": _b(lambda: nnmath.mse.gradient, y=_T(), t=_T() * 0.5),
    "nnmath.cross_entropy": _b(lambda: nnmath.cross_entropy, p=_P, t=_ONE_HOT),
    "nnmath.cross_entropy.gradient": _b(lambda: nnmath.cross_entropy.gradient, p=_P, t=_ONE_HOT),
    "nnmath.cross_entropy.from_logits": _b(lambda: nnmath.cross_entropy.from_logits, z=_P, t=_ONE_HOT),
    "nnmath.cross_entropy.gradient_logits": _b(lambda: nnmath.cross_entropy.gradient_logits, z=_P, t=_ONE_HOT),
    "nnmath.default_step": _b(lambda: nnmath.default_step, method="forward"),
    "nnmath.numerical_derivative": _b(lambda: nnmath.numerical_derivative, f=np.sin, x=np.array([0.5, 1.0]),
                                      h=1e-5, method="central"),
    "nnmath.numerical_gradient": _b(lambda: nnmath.numerical_gradient, f=_SQUARE, x=np.array([1.0, 2.0]), h=1e-5),
    "nnmath.numerical_jacobian": _b(lambda: nnmath.numerical_jacobian, f=_DOUBLE, x=np.array([1.0, 2.0]), h=1e-5),
    "nnmath.check_gradient": _b(lambda: nnmath.check_gradient, f=_SQUARE, gradient=_DOUBLE, x=np.array([1.0, 2.0]),
                                tolerance=1e-6, h=1e-5, raise_on_failure=False),
    "nnmath.difference_errors": _b(lambda: nnmath.difference_errors, f=np.exp, derivative=np.exp, x=1.0,
                                   steps=np.array([1e-2, 1e-3])),
    "nnmath.fit_order": _b(lambda: nnmath.fit_order, steps=np.array([1e-1, 1e-2, 1e-3]),
                           errors=np.array([1e-2, 1e-4, 1e-6])),
    "nnmath.gradient_descent": _b(lambda: nnmath.gradient_descent, gradient=_DOUBLE, x0=np.array([1.0, -1.0]),
                                  learning_rate=0.1, steps=5, momentum=0.5, nesterov=True),
    "nnmath.adam": _b(lambda: nnmath.adam, gradient=_DOUBLE, x0=np.array([1.0, -1.0]), learning_rate=0.1, steps=5,
                      beta1=0.9, beta2=0.999, eps=1e-8),
    "nnmath.rmsprop": _b(lambda: nnmath.rmsprop, gradient=_DOUBLE, x0=np.array([1.0, -1.0]), learning_rate=0.1,
                         steps=5, alpha=0.99, eps=1e-8),
    "nnmath.SGD": _b(lambda: nnmath.SGD, momentum=0.9, nesterov=False),
    "nnmath.Adam": _b(lambda: nnmath.Adam, beta1=0.9, beta2=0.999, eps=1e-8),
    "nnmath.RMSprop": _b(lambda: nnmath.RMSprop, alpha=0.99, eps=1e-8),
    "nnmath.get_optimizer": _b(lambda: nnmath.get_optimizer, optimizer="adam"),
    "nnmath.numerical_hessian": _b(lambda: nnmath.numerical_hessian, gradient=_DOUBLE, x=np.array([1.0, 2.0]),
                                   h=1e-4),
    "nnmath.check_hessian": _b(lambda: nnmath.check_hessian, gradient=_DOUBLE,
                               hessian=lambda v: 2 * np.eye(np.size(v)), x=np.array([1.0, 2.0]), tolerance=1e-6,
                               h=1e-4, raise_on_failure=False),
    "nnmath.initial_std": _b(lambda: nnmath.initial_std, init="he", n_in=3, n_out=2, weight_std=None),
    "nnmath.MLP": _b(lambda: nnmath.MLP, layer_sizes=[2, 3, 1], activations=["tanh", "sigmoid"], rng=0,
                     init="xavier", weight_std=None),
    "nnmath.MLP.copy": _b(lambda: _net().copy),
    "nnmath.MLP.get_parameters": _b(lambda: _net().get_parameters),
    "nnmath.MLP.set_parameters": _b(lambda: _net().set_parameters, theta=np.linspace(-1.0, 1.0, 13)),
    "nnmath.MLP.forward": _b(lambda: _net().forward, X=_X()),
    "nnmath.MLP.trace": _b(lambda: _net().trace, X=_X(), T=_T(), loss="sse"),
    "nnmath.MLP.loss": _b(lambda: _net().loss, X=_X(), T=_T(), loss="mse"),
    "nnmath.MLP.loss_and_gradients": _b(lambda: _net().loss_and_gradients, X=_X(), T=_T(), loss="sse"),
    "nnmath.MLP.gradient_check": _b(lambda: _net().gradient_check, X=_X(), T=_T(), loss="sse", tolerance=1e-5),
    "nnmath.MLP.step": _b(lambda: _net().step, X=_X(), T=_T(), loss="sse", learning_rate=0.1),
    "nnmath.Perceptron": _b(lambda: nnmath.Perceptron, n_inputs=2, weights=[0.5, -0.5], bias=0.1),
    "nnmath.Perceptron.net_input": _b(lambda: nnmath.Perceptron(2).net_input, X=_X()),
    "nnmath.Perceptron.predict": _b(lambda: nnmath.Perceptron(2).predict, X=_X()),
    "nnmath.Perceptron.fit": _b(lambda: nnmath.Perceptron(2).fit, X=_X(), t=np.array([1.0, 0.0, 1.0]),
                                learning_rate=0.5, epochs=5),
    "nnmath.train": _b(lambda: nnmath.train, net=_net(), X=_X(), T=_T(), loss="sse", learning_rate=0.1, steps=3,
                       batch_size=2, rng=0, loss_tolerance=None, gradient_tolerance=None, callback=None,
                       optimizer="adam", weight_decay=0.01, validation=(_X(), _T()), patience=2),
    "nnmath.split": _b(lambda: nnmath.split, X=_X(), T=_T(), validation=0.34, test=0.0, rng=0),
    **{f"deep.ResidualMLP.{k}": v for k, v in {
        "copy": _b(lambda: _residual().copy),
        "get_parameters": _b(lambda: _residual().get_parameters),
        "set_parameters": _b(lambda: _residual().set_parameters, theta=np.linspace(-1.0, 1.0, 25)),
        "forward": _b(lambda: _residual().forward, X=_X()),
        "trace": _b(lambda: _residual().trace, X=_X(), T=_T(), loss="sse"),
        "loss": _b(lambda: _residual().loss, X=_X(), T=_T(), loss="mse"),
        "loss_and_gradients": _b(lambda: _residual().loss_and_gradients, X=_X(), T=_T(), loss="sse"),
        "gradient_check": _b(lambda: _residual().gradient_check, X=_X(), T=_T(), loss="sse", tolerance=1e-5),
        "step": _b(lambda: _residual().step, X=_X(), T=_T(), loss="sse", learning_rate=0.1),
    }.items()},
    "deep.ResidualMLP": _b(lambda: nnmath.deep.ResidualMLP, layer_sizes=[2, 3, 3, 1],
                           activations=["tanh", "tanh", "sigmoid"], rng=0, init="xavier", weight_std=None, skip=1.0),
    "deep.batch_norm": _b(lambda: nnmath.deep.batch_norm, Z=_X(), gamma=np.array([1.0, 2.0]),
                          beta=np.array([0.0, 0.5]), eps=1e-5),
    "deep.batch_norm_backward": _b(lambda: nnmath.deep.batch_norm_backward, dY=_X() * 0.5, Z=_X(),
                                   gamma=np.array([1.0, 2.0]), eps=1e-5),
    "regularisation.dropout": _b(lambda: nnmath.regularisation.dropout, a=_X(), mask=np.ones((3, 2)), rate=0.5),
    "regularisation.dropout_backward": _b(lambda: nnmath.regularisation.dropout_backward, upstream=_X(),
                                          mask=np.ones((3, 2)), rate=0.5),
    "regularisation.dropout_mask": _b(lambda: nnmath.regularisation.dropout_mask, shape=(3, 2), rate=0.5, rng=0),
    "regularisation.l2_penalty": _b(lambda: nnmath.regularisation.l2_penalty, weights=[_X(), _T()],
                                    weight_decay=0.01),
    "regularisation.l2_penalty_gradients": _b(lambda: nnmath.regularisation.l2_penalty_gradients,
                                              weights=[_X(), _T()], weight_decay=0.01),
    "classification.accuracy": _b(lambda: nnmath.classification.accuracy, net=_net(), X=_X(),
                                  labels=np.array([1, 0, 1])),
    "classification.predict_classes": _b(lambda: nnmath.classification.predict_classes, net=_net(), X=_X()),
    "classification.labels_from_targets": _b(lambda: nnmath.classification.labels_from_targets, T=_ONE_HOT),
    "classification.decision_regions": _b(lambda: nnmath.classification.decision_regions, net=_net(),
                                          xlim=(-1.0, 1.0), ylim=(-1.0, 1.0), resolution=4),
    "classification.train_with_snapshots": _b(lambda: nnmath.classification.train_with_snapshots, net=_net(),
                                              X=_X(), T=_T(), loss="sse", learning_rate=0.1, steps=3, at=[0, 3],
                                              on_divergence="raise"),
    "network.Layers": _b(lambda: nnmath.network.Layers, items=[1.0, 2.0], first=1),
    "activations.Softmax": _b(lambda: nnmath.activations.Softmax),
    "activations.SOFTMAX": _b(lambda: nnmath.activations.SOFTMAX, z=np.array([[1.0, 2.0, -1.0]])),
    "datasets.logic_gate": _b(lambda: nnmath.datasets.logic_gate, name="xor"),
    "datasets.moons": _b(lambda: nnmath.datasets.moons, n=10, noise=0.1, rng=0),
    "datasets.spirals": _b(lambda: nnmath.datasets.spirals, n_per_class=4, n_classes=3, noise=0.1, rng=0),
    "datasets.sample_function": _b(lambda: nnmath.datasets.sample_function, f=np.sin, n=8, x_range=(-1.0, 2.0),
                                   noise=0.1, rng=0),
    "diagnostics.across_seeds": _b(lambda: nnmath.diagnostics.across_seeds, measure=lambda s: [s % 7 + 1.0, 2.0],
                                   seeds=3),
    "diagnostics.activation_statistics": _b(lambda: nnmath.diagnostics.activation_statistics, net=_net(), X=_X()),
    "diagnostics.dead_units": _b(lambda: nnmath.diagnostics.dead_units, net=_net(), X=_X()),
    "diagnostics.error_term_norms": _b(lambda: nnmath.diagnostics.error_term_norms, net=_net(), X=_X(), T=_T(),
                                       loss="sse"),
    "diagnostics.layer_gradient_norms": _b(lambda: nnmath.diagnostics.layer_gradient_norms, net=_net(), X=_X(),
                                           T=_T(), loss="sse"),
    "landscape.loss_surface": _b(lambda: nnmath.landscape.loss_surface, net=_net(), X=_X(), T=_T(), loss="sse",
                                 parameters=[("W", 1, 0, 0), ("b", 2, 0)], ranges=[(-1.0, 1.0), (-1.0, 1.0)],
                                 n=3, gradient=True),
    "landscape.LossSurface.argmin": _b(lambda: nnmath.landscape.loss_surface(
        _net(), _X(), _T(), "sse", [0, 1], [(-1.0, 1.0), (-1.0, 1.0)], 3).argmin),
    "landscape.parameter_index": _b(lambda: nnmath.landscape.parameter_index, net=_net(), parameter=("W", 1, 0, 1)),
    "landscape.parameter_label": _b(lambda: nnmath.landscape.parameter_label, net=_net(), parameter=("b", 1, 2)),
    "autograd.Dual": _b(lambda: nnmath.autograd.Dual, data=0.5, tangent=1.0),
    **{f"autograd.Dual.{m}": _b(lambda m=m: getattr(nnmath.autograd.Dual(0.5, 1.0), m))
       for m in ("exp", "log", "tanh", "sigmoid", "relu")},
    "autograd.Value": _b(lambda: nnmath.autograd.Value, data=0.5, label="a"),
    **{f"autograd.Value.{m}": _b(lambda m=m: getattr(nnmath.autograd.Value(0.5, "a"), m))
       for m in ("exp", "log", "tanh", "sigmoid", "relu", "nodes", "zero_grad", "backward")},
    "symbolic.verify": _b(lambda: nnmath.symbolic.verify, derivative=2 * sympy.Symbol("x"),
                          variables=sympy.Symbol("x"), function=np.square, numeric_derivative=lambda x: 2 * x,
                          points=np.array([-1.0, 0.5, 2.0]), numeric_tolerance=1e-12, difference_tolerance=1e-6),
    "symbolic.activation_derivative": _b(lambda: nnmath.symbolic.activation_derivative, activation=nnmath.sigmoid,
                                         z=sympy.Symbol("z")),
    "symbolic.derivative_from_limit": _b(lambda: nnmath.symbolic.derivative_from_limit, function=nnmath.profit,
                                         x=sympy.Symbol("x")),
    "symbolic.same": _b(lambda: nnmath.symbolic.same, a=sympy.Symbol("x") * 2, b=2 * sympy.Symbol("x")),
    "symbolic.softmax_cross_entropy_gradient": _b(lambda: nnmath.symbolic.softmax_cross_entropy_gradient,
                                                  n_classes=2),
    "symbolic.softmax_jacobian_derivation": _b(lambda: nnmath.symbolic.softmax_jacobian_derivation, n_classes=2),
    "symbolic.Derivation.add": _b(lambda: nnmath.symbolic.Derivation("f'(x)").add, reason="power rule",
                                  expr=2 * sympy.Symbol("x"), latex=None),
    "exercises.check_number": _b(lambda: nnmath.exercises.check_number, answer=0.3, expected=0.25,
                                 name="your answer", rtol=1e-6, atol=1e-9, quantities=None),
    "exercises.check_derivative": _b(lambda: nnmath.exercises.check_derivative, answer="2*x", function="x**2",
                                     variables="x"),
    "exercises.check": _b(lambda: nnmath.exercises.check, name="derivatives-limit", answer=8.0),
    "exercises.exercise_names": _b(lambda: nnmath.exercises.exercise_names),
    "exercises.Exercise.check": _b(lambda: nnmath.exercises.Exercise("e", "the answer", expected=lambda: 1.0).check,
                                   answer=1.0),
    "graph.compose": _b(lambda: (lambda functions: nnmath.graph.compose(
        *(functions if isinstance(functions, (list, tuple)) else [functions]))),
                        functions=[nnmath.sigmoid, nnmath.tanh]),
    "graph.Composite": _b(lambda: nnmath.graph.Composite, functions=[nnmath.sigmoid, nnmath.tanh]),
    **{k.replace("graph.comp", "graph.Composite"): v
       for k, v in _scalar_function_baselines("graph.comp", nnmath.graph.compose(nnmath.sigmoid, nnmath.tanh)).items()
       if k != "graph.comp"},
    "graph.Composite.inner_values": _b(lambda: nnmath.graph.compose(nnmath.sigmoid, nnmath.tanh).inner_values,
                                       x=np.array([0.5, 1.0])),
    "graph.Composite.factors": _b(lambda: nnmath.graph.compose(nnmath.sigmoid, nnmath.tanh).factors,
                                  x=np.array([0.5, 1.0])),
    "graph.short_latex": _b(lambda: nnmath.graph.short_latex, expr=sympy.Symbol("x") ** 2),
    "graph.ComputationalGraph": _b(lambda: nnmath.graph.ComputationalGraph, definitions={"y": "w*x", "L": "y**2"},
                                   inputs=["w", "x"]),
    "graph.ComputationalGraph.symbol": _b(lambda: _graph().symbol, name="y"),
    "graph.ComputationalGraph.parents": _b(lambda: _graph().parents, name="y"),
    "graph.ComputationalGraph.children": _b(lambda: _graph().children, name="y"),
    "graph.ComputationalGraph.expression": _b(lambda: _graph().expression, name="L"),
    "graph.ComputationalGraph.composed": _b(lambda: _graph().composed, name="L"),
    "graph.ComputationalGraph.layers": _b(lambda: _graph().layers),
    "graph.ComputationalGraph.local_derivative": _b(lambda: _graph().local_derivative, parent="y", child="L"),
    "graph.ComputationalGraph.evaluate": _b(lambda: _graph().evaluate, values=dict(_VALUES)),
    "graph.ComputationalGraph.edge_derivatives": _b(lambda: _graph().edge_derivatives, values=dict(_VALUES)),
    "graph.ComputationalGraph.paths": _b(lambda: _graph().paths, source="w", target="L"),
    "graph.ComputationalGraph.path_products": _b(lambda: _graph().path_products, source="w", target="L",
                                                 values=dict(_VALUES)),
    "graph.ComputationalGraph.total_derivative": _b(lambda: _graph().total_derivative, source="w", target="L",
                                                    values=dict(_VALUES)),
    "graph.ComputationalGraph.symbolic_total_derivative": _b(lambda: _graph().symbolic_total_derivative,
                                                             source="w", target="L", method="paths"),
    "graph.ComputationalGraph.function": _b(lambda: _graph().function, target="L", source="w",
                                            values=dict(_VALUES)),
    "graph.ComputationalGraph.backward": _b(lambda: _graph().backward, target="L", values=dict(_VALUES)),
    "graph.ComputationalGraph.multiplication_counts": _b(lambda: _graph().multiplication_counts, target="L",
                                                         sources=None),
    "timing.median_time": _b(lambda: nnmath.timing.median_time, function=lambda: None, repeats=2),
    "timing.gradient_costs": _b(lambda: nnmath.timing.gradient_costs, widths=[2], n_inputs=2, n_outputs=1,
                                n_samples=3, repeats=1, fd_repeats=1, rng=0),
    "plotting.plot_function_and_derivative": _b(lambda: nnmath.plotting.plot_function_and_derivative,
                                                function=nnmath.tanh, x_range=(-2.0, 2.0), n_points=11),
    "plotting.plot_secants": _b(lambda: nnmath.plotting.plot_secants, function=nnmath.profit, x0=1.0,
                                steps=[1.0, 0.5], x_range=(0.0, 4.0)),
    "plotting.plot_difference_errors": _b(lambda: nnmath.plotting.plot_difference_errors,
                                          errors=nnmath.difference_errors(np.exp, np.exp, 1.0, [1e-2, 1e-3])),
    "plotting.plot_gradient_field": _b(lambda: nnmath.plotting.plot_gradient_field, f=_SQUARE, gradient=_DOUBLE,
                                       x_range=(-1.0, 1.0), y_range=(-1.0, 1.0), n_arrows=3),
    "plotting.plot_computational_graph": _b(lambda: nnmath.plotting.plot_computational_graph, graph=_graph(),
                                            node_size=500.0),
    "plotting.plot_value_graph": _b(lambda: nnmath.plotting.plot_value_graph, output=_value_graph(), digits=3),
    "plotting.value_graph_alt": _b(lambda: nnmath.plotting.value_graph_alt, output=_value_graph()),
    "widgets.stability_threshold": _b(lambda: nnmath.widgets.stability_threshold, problem=nnmath.quadratic(2.0)),
    "widgets.default_learning_rates": _b(lambda: nnmath.widgets.default_learning_rates, problem=nnmath.profit),
    "widgets.descent_frame": _b(lambda: nnmath.widgets.descent_frame, problem=nnmath.quadratic(1.0),
                                learning_rate=0.3, steps=5, x0=1.5, tolerance=1e-3, momentum=0.5),
    "widgets.frame_html": Baseline(lambda: nnmath.widgets.frame_html,
                                   {"frame": _descent_frame, "problem": lambda: nnmath.quadratic(1.0),
                                    "dpi": lambda: 30, "x0": lambda: 1.5}),
    "widgets.frame_figure": Baseline(lambda: nnmath.widgets.frame_figure,
                                     {"frame": _descent_frame, "problem": lambda: nnmath.quadratic(1.0),
                                      "x0": lambda: 1.5}),
    "widgets.training_frame": _b(lambda: nnmath.widgets.training_frame, X=_X(), labels=np.array([0, 1, 0]),
                                 learning_rate=0.1, hidden=(2,), activation="tanh", steps=2, rng=0,
                                 target_accuracy=0.9, resolution=4),
    "widgets.training_html": Baseline(lambda: nnmath.widgets.training_html,
                                      {"frame": _training_frame, "dpi": lambda: 30}),
    "widgets.training_figure": Baseline(lambda: nnmath.widgets.training_figure, {"frame": _training_frame}),
}

#: Public callables deliberately not fuzzed, each with its reason.
NOT_FUZZED: dict[str, str] = {
    **{f"nnmath.{n}.backward": "the network's layer protocol: its arrays come from MLP itself, unchecked by design"
       for n in ("heaviside", "identity", "leaky_relu", "profit", "relu", "sigmoid", "tanh", "LeakyReLU",
                 "ScalarFunction")},
    "graph.Composite.backward": "the network's layer protocol (as ScalarFunction.backward)",
    **{f"activations.{n}.backward": "the network's layer protocol (as ScalarFunction.backward)"
       for n in ("Softmax", "SOFTMAX")},
    "network.layer_error": "the network's layer protocol called by MLP itself (as ScalarFunction.backward)",
    "network.parameter_gradients": "the network's layer protocol called by MLP itself (as ScalarFunction.backward)",
    "nnmath.Optimizer": "an abstract base class; SGD, Adam and RMSprop are fuzzed",
    **{f"nnmath.{n}.{m}": "the optimiser protocol: its arrays come from train and the descent loop, unchecked by design"
       for n in ("Optimizer", "SGD", "Adam", "RMSprop") for m in ("start", "direction")},
    "classification.TrainingRun": "a record returned by train_with_snapshots",
    "widgets.momentum_widget": "builds ipywidgets (its arguments are fuzzed through descent_frame(momentum=...))",
    **{f"nnmath.{n}.{m}": "the network's loss protocol: its arrays come from MLP itself, unchecked by design"
       for n in ("Loss", "sse", "mse", "cross_entropy") for m in ("check_targets", "value_at_output", "output_error")},
    "nnmath.Loss": "an abstract base class; the losses are its instances",
    "nnmath.Loss.gradient": "abstract; each loss's gradient is fuzzed",
    "nnmath.GradientCheckResult": "a record returned by check_gradient, not built by readers",
    "nnmath.History": "a record returned by train, not built by readers",
    "nnmath.Trace": "a record returned by MLP.trace, not built by readers",
    "datasets.Split": "a named tuple returned by split",
    "datasets.Subset": "a named tuple returned by split",
    "diagnostics.ActivationStatistics": "a record returned by activation_statistics",
    "diagnostics.SeedSummary": "a record returned by across_seeds",
    "landscape.LossSurface": "a record returned by loss_surface",
    "symbolic.Derivation": "a record of derivation steps (its add method is fuzzed)",
    "symbolic.Step": "a record inside a Derivation",
    "symbolic.VerifyReport": "a record returned by verify",
    "exercises.Exercise": "a record built by register_number / register_derivative",
    "exercises.Feedback": "a record returned by the checkers",
    "exercises.register_number": "changes the global exercise registry",
    "exercises.register_derivative": "changes the global exercise registry",
    "exercises.check_backward_rule": "runs a reader's backward rule against the book's exercise bank",
    "graph.PathProduct": "a record returned by path_products",
    "graph.Sigmoid": "a SymPy Function class: SymPy's own protocol",
    "graph.Sigmoid.eval": "SymPy's Function protocol",
    "graph.Sigmoid.fdiff": "SymPy's Function protocol",
    "plotting.style": "a context manager of rcParams, no arguments",
    "timing.GradientCost": "a record returned by gradient_costs",
    "widgets.DescentFrame": "a record returned by descent_frame",
    "widgets.TrainingFrame": "a record returned by training_frame",
    "widgets.SliderWidget": "a record holding ipywidgets objects",
    "widgets.learning_rate_widget": "builds ipywidgets (its arguments are those of descent_frame, fuzzed there)",
    "widgets.training_widget": "builds ipywidgets (its arguments are those of training_frame, fuzzed there)",
}


# ---------------------------------------------------------------------------
# The odd values, by kind
# ---------------------------------------------------------------------------

def _as_float_array(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
    return array if array.size else None


def _matrix(v):
    a = _as_float_array(v)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)  # numpy discourages np.matrix; readers still pass it
        return np.matrix(a) if a is not None and a.ndim <= 2 else np.matrix([[1.0, 2.0]])


def _masked(v):
    a = _as_float_array(v)
    a = np.array([1.0, 2.0]) if a is None else a.copy()
    return np.ma.masked_array(a, mask=np.ones(a.shape, dtype=bool) if a.ndim else True)


def _masked_nan(v):
    a = _as_float_array(v)
    a = np.array([1.0, 2.0]) if a is None else a.copy()
    a.flat[0] = np.nan
    mask = np.zeros(a.shape, dtype=bool)
    mask.flat[0] = True
    return np.ma.masked_array(a, mask=mask)


def _scaled(factor):
    def make(v):
        a = _as_float_array(v)
        if a is None:
            return factor
        with np.errstate(over="ignore"):
            return np.clip(a * factor, -np.finfo(np.float64).max, np.finfo(np.float64).max)  # finite, huge
    return make


def _spread(v):
    a = _as_float_array(v)
    if a is None or a.ndim == 0:
        return np.array([1e308, -1e308])
    out = a.copy()
    out[..., 0], out[..., -1] = 1e308, -1e308
    return out


def _longdouble(v):
    a = _as_float_array(v)
    big = np.longdouble("1e400") if np.isfinite(np.longdouble("1e400")) else np.longdouble(1e308)
    if a is None:
        return big
    out = a.astype(np.longdouble)
    out.flat[0] = big
    return out


def _complex_array(v):
    a = _as_float_array(v)
    return 1j if a is None else a + 1j


def _user(f):
    def quiet(*args):  # a reader's function: its own overflow is not nnmath's warning
        with np.errstate(all="ignore"):
            return f(*args)
    return lambda v: quiet if callable(v) else v


ODD_KINDS: dict[str, Callable[[Any], Any]] = {
    "None": lambda v: None,
    "string": lambda v: "abc",
    "dict": lambda v: {"low": 0.0, "high": 1.0},
    "empty list": lambda v: [],
    "ragged list": lambda v: [[1.0, 2.0], [3.0]],
    "object": lambda v: object(),
    "True": lambda v: True,
    "NaN": lambda v: float("nan"),
    "inf": lambda v: float("inf"),
    "-inf": lambda v: -float("inf"),
    "zero": lambda v: 0,
    "minus one": lambda v: -1,
    "half": lambda v: 0.5,
    "10**12": lambda v: 10**12,
    "10**400": lambda v: 10**400,
    "list with 10**400": lambda v: [1, 10**400],
    "1e308": lambda v: 1e308,
    "complex": lambda v: 1j,
    "np.matrix": _matrix,
    "masked array": _masked,
    "masked NaN": _masked_nan,
    "times 1e308": _scaled(1e308),
    "times 1e200": _scaled(1e200),
    "spread ±1e308": _spread,
    "longdouble 1e400": _longdouble,
    "complex array": _complex_array,
    "NaN array": _scaled(float("nan")),
    "function returning complex": _user(lambda *a: 1j * np.asarray(a[0], dtype=float) if a else 1j),
    "function returning wrong shape": _user(lambda *a: np.zeros(7)),
    "function returning None": _user(lambda *a: None),
    "function returning a string": _user(lambda *a: "x"),
    "function returning NaN": _user(lambda *a: np.full(np.shape(a[0]) if a else (), np.nan)),
    "function returning 1e308·x": _user(lambda *a: 1e308 * np.asarray(a[0], dtype=float) if a else 1e308),
    "sympy zoo": lambda v: sympy.zoo,
    "sympy symbol": lambda v: sympy.Symbol("q"),
    "list of 10**12": lambda v: [10**12, 10**12],
}


# ---------------------------------------------------------------------------
# One guarded call
# ---------------------------------------------------------------------------

class CallTimeout(Exception):
    """The call ran longer than CALL_SECONDS."""


@contextlib.contextmanager
def limits():
    """Warnings as errors, a timer and an address-space cap around one call."""
    def on_alarm(signum, frame):
        raise CallTimeout(f"no answer within {CALL_SECONDS} s")

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    cap = in_use + MEMORY_BYTES
    if hard == resource.RLIM_INFINITY or cap < hard:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _non_finite(result: Any) -> bool:
    if isinstance(result, (float, np.floating)):
        return not np.isfinite(result)
    if isinstance(result, np.ndarray) and np.issubdtype(result.dtype, np.floating):
        return not np.all(np.isfinite(result))
    if isinstance(result, tuple) and not hasattr(result, "_fields"):
        return any(_non_finite(r) for r in result)
    return False


def _last_frame_in_nnmath(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(PACKAGE_DIR)


#: The word a message uses for an argument whose name says less (get_loss("hinge"): "unknown loss 'hinge'").
ARGUMENT_WORDS = {("nnmath.get_activation", "name"): "activation", ("nnmath.get_loss", "name"): "loss",
                  ("graph.compose", "functions"): "function",
                  ("timing.gradient_costs", "widths"): "width",  # "width must be at least 1"
                  ("graph.ComputationalGraph", "inputs"): "input",  # "neither an input nor a node"
                  **{(f"graph.ComputationalGraph.{m}", "name"): "node"  # "unknown node 'q'"
                     for m in ("symbol", "parents", "children", "expression", "composed")}}


#: Kinds whose values are finite but so large that a result may be beyond float64.
FINITE_EXTREMES = {"1e308", "times 1e308", "times 1e200", "spread ±1e308", "longdouble 1e400", "10**12",
                   "list of 10**12", "function returning 1e308·x"}


def outcome(key: str, argument: str, kind: str) -> str | None:
    """None if calling ``key`` with ``argument`` replaced by a ``kind`` value keeps the promise, else a finding."""
    baseline = BASELINES[key]
    args = {name: make() for name, make in baseline.args.items()}
    args[argument] = ODD_KINDS[kind](args[argument])
    target = baseline.target()
    where = f"{key}({argument}=<{kind}>)"
    try:
        with limits():
            result = target(**args)
    except DOCUMENTED_ERRORS:
        return None
    except (ValueError, TypeError) as error:
        if not _last_frame_in_nnmath(error):
            frame = traceback.extract_tb(error.__traceback__)[-1]
            return f"{where}: {type(error).__name__} from {frame.filename}:{frame.lineno}: {error}"
        words = {argument, ARGUMENT_WORDS.get((key, argument), argument)}
        if kind in FINITE_EXTREMES and "overflowed" in str(error):
            return None  # finite inputs whose result is beyond float64: the documented "overflowed" error
        if not any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", str(error)) for w in words):
            return f"{where}: the message does not name {argument!r}: {type(error).__name__}: {error}"
        return None
    except BaseException as error:  # noqa: BLE001 — every other exception is a finding
        if isinstance(error, KeyboardInterrupt):
            raise
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return f"{where}: {type(error).__name__} from {frame.filename}:{frame.lineno}: {error}"
    finally:
        if "plotting" in key or "widgets" in key:
            import matplotlib.pyplot as plt

            plt.close("all")
    if _non_finite(result):
        return f"{where}: returned a non-finite value silently: {result!r}"
    return None


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------

def test_every_public_callable_has_a_baseline():
    public = set(public_callables())
    missing = sorted(public - set(BASELINES) - set(NOT_FUZZED))
    assert not missing, (
        f"public callables with no fuzz baseline: {missing}. Add an entry to BASELINES in tests/test_fuzz.py "
        "(valid keyword arguments for one call), or to NOT_FUZZED with the reason"
    )
    stale = sorted((set(BASELINES) | set(NOT_FUZZED)) - public)
    assert not stale, f"entries in tests/test_fuzz.py for names that are no longer public: {stale}"


FUZZED = sorted(k for k in BASELINES if BASELINES[k].args)


@pytest.mark.parametrize("key", sorted(BASELINES))
def test_baseline_call_is_valid(key):
    """Each baseline succeeds: the fuzz test changes one argument of a call that works."""
    baseline = BASELINES[key]
    with limits():
        result = baseline.target()(**{name: make() for name, make in baseline.args.items()})
    assert not _non_finite(result)
    if "plotting" in key or "widgets" in key:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.mark.parametrize("key", FUZZED)
def test_fuzz(key):
    arguments = sorted(BASELINES[key].args)
    drawing = "plotting" in key or "widgets" in key or "timing" in key

    @settings(max_examples=max(1, EXAMPLES // 3) if drawing else EXAMPLES)
    @given(argument=st.sampled_from(arguments), kind=st.sampled_from(sorted(ODD_KINDS)))
    def check(argument, kind):
        finding = outcome(key, argument, kind)
        assert finding is None, finding

    check()
