"""Import hygiene and argument validation across the public API.

Every bad argument must give a TypeError or ValueError whose message names the
argument, so a reader knows which one to fix.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import nnmath


# --- importing nnmath ------------------------------------------------------------------
IMPORT_PROBE = r"""
import json, sys
import numpy as np
np.random.seed(12345)
state_before = np.random.get_state()
err_before = np.geterr()
import nnmath
state_after = np.random.get_state()
print(json.dumps({
    "sympy": any(m == "sympy" or m.startswith("sympy.") for m in sys.modules),
    "matplotlib": any(m == "matplotlib" or m.startswith("matplotlib.") for m in sys.modules),
    "errstate_same": np.geterr() == err_before,
    "random_state_same": all(
        (a == b).all() if hasattr(a, "all") else a == b for a, b in zip(state_before, state_after)
    ),
    "next_draw": np.random.random(),
}))
"""


@pytest.fixture(scope="module")
def import_probe():
    """Import nnmath in a fresh interpreter and report what the import did."""
    done = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_loads_neither_sympy_nor_matplotlib(import_probe):
    assert import_probe["sympy"] is False
    assert import_probe["matplotlib"] is False


def test_import_leaves_numpy_error_state_alone(import_probe):
    assert import_probe["errstate_same"] is True


def test_import_leaves_the_global_random_state_alone(import_probe):
    assert import_probe["random_state_same"] is True
    np.random.seed(12345)
    # the legacy global generator continues exactly where the seed put it (same algorithm, same bits)
    assert import_probe["next_draw"] == np.random.random()


def test_using_the_package_leaves_numpy_error_state_alone():
    before = np.geterr()
    nnmath.sigmoid(np.array([-1000.0, 1000.0]))
    nnmath.softmax([1000.0, 0.0])
    nnmath.numerical_derivative(np.log, 1.0)
    try:
        nnmath.gradient_descent(lambda x: 2 * x, 1.0, learning_rate=1.5, steps=2000)
    except nnmath.DivergenceError:
        pass
    assert np.geterr() == before


def test_symbolic_and_plotting_load_on_first_use():
    assert nnmath.symbolic.__name__ == "nnmath.symbolic"
    assert nnmath.plotting.__name__ == "nnmath.plotting"
    with pytest.raises(AttributeError, match="no_such_thing"):
        nnmath.no_such_thing  # noqa: B018


def test_every_name_in_all_exists():
    missing = [name for name in nnmath.__all__ if not hasattr(nnmath, name)]
    assert missing == []
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnmath.__version__)


# --- bad arguments --------------------------------------------------------------------
def _net():
    return nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=0)


def _grad(x):
    return 2 * x


# (call, argument name) for every function that takes an array of numbers.
ARRAY_ARGUMENTS = {
    "sigmoid x": (lambda v: nnmath.sigmoid(v), "x"),
    "relu.derivative x": (lambda v: nnmath.relu.derivative(v), "x"),
    "softmax z": (lambda v: nnmath.softmax(v), "z"),
    "log_softmax z": (lambda v: nnmath.log_softmax(v), "z"),
    "sse y": (lambda v: nnmath.sse(v, [1.0, 2.0]), "y"),
    "mse t": (lambda v: nnmath.mse([1.0, 2.0], v), "t"),
    "one_hot labels": (lambda v: nnmath.one_hot(v, 3), "labels"),
    "numerical_derivative x": (lambda v: nnmath.numerical_derivative(np.sin, v), "x"),
    "numerical_gradient x": (lambda v: nnmath.numerical_gradient(np.sum, v), "x"),
    "gradient_descent x0": (lambda v: nnmath.gradient_descent(_grad, v, 0.1, 3), "x0"),
    "MLP.forward X": (lambda v: _net().forward(v), "X"),
    "MLP.loss T": (lambda v: _net().loss([[1.0, 2.0]], v), "T"),
    "set_parameters theta": (lambda v: _net().set_parameters(v), "theta"),
}

BAD_ARRAYS = {
    "string": ("1.0", TypeError),
    "None": (None, TypeError),
    "ragged list": ([[1.0, 2.0], [3.0]], ValueError),
    "complex": ([1.0 + 2.0j, 3.0], TypeError),
    "list with a string": ([1.0, "2"], TypeError),
    "empty": ([], ValueError),
    "NaN": ([1.0, np.nan], ValueError),
    "infinity": ([np.inf, 1.0], ValueError),
}


def _names(message: str, argument: str) -> bool:
    """Whether the message mentions the argument as a word (x, not the x in 'max')."""
    return re.search(rf"(?<![\w.]){re.escape(argument)}(?![\w(])", message) is not None


# T=None is tested separately below (None means "no targets" for MLP.trace).
ARRAY_CASES = [(t, b) for t in ARRAY_ARGUMENTS for b in BAD_ARRAYS if not (t == "MLP.loss T" and b == "None")]


@pytest.mark.parametrize("target, bad", ARRAY_CASES)
def test_bad_array_arguments_raise_errors_naming_the_argument(target, bad):
    call, argument = ARRAY_ARGUMENTS[target]
    value, error = BAD_ARRAYS[bad]
    with pytest.raises((TypeError, ValueError)) as info:
        call(value)
    assert isinstance(info.value, error), f"{type(info.value).__name__}: {info.value}"
    assert _names(str(info.value), argument), str(info.value)


# (call, argument name) for arguments that are single numbers.
SCALAR_ARGUMENTS = {
    "learning_rate": lambda v: nnmath.gradient_descent(_grad, 1.0, v, 3),
    "steps": lambda v: nnmath.gradient_descent(_grad, 1.0, 0.1, v),
    "h": lambda v: nnmath.numerical_derivative(np.sin, 1.0, h=v),
    "slope": lambda v: nnmath.LeakyReLU(v),
    "tolerance": lambda v: nnmath.check_gradient(np.sum, np.ones_like, [1.0], tolerance=v),
    "n_classes": lambda v: nnmath.one_hot([0], v),
    "coefficient": lambda v: nnmath.quadratic(v),
    "seed": lambda v: nnmath.MLP([2, 1], ["identity"], rng=v),
    "x": lambda v: nnmath.difference_errors(np.sin, np.cos, v, [1e-3]),
}


@pytest.mark.parametrize("argument", list(SCALAR_ARGUMENTS))
@pytest.mark.parametrize("value", [True, False, np.bool_(True)], ids=["True", "False", "np.True_"])
def test_booleans_are_not_accepted_as_numbers(argument, value):
    with pytest.raises(TypeError) as info:
        SCALAR_ARGUMENTS[argument](value)
    assert _names(str(info.value), argument), str(info.value)


NON_NUMBERS = {"string": "1", "None": None, "complex": 1 + 1j, "list": [0.5]}
# h=None and seed=None are documented defaults (the default step, fresh entropy).
SCALAR_CASES = [(a, k) for a in SCALAR_ARGUMENTS for k in NON_NUMBERS if not (k == "None" and a in ("h", "seed"))]


@pytest.mark.parametrize("argument, kind", SCALAR_CASES)
def test_non_numbers_for_scalar_arguments_are_type_errors(argument, kind):
    value = NON_NUMBERS[kind]
    with pytest.raises(TypeError) as info:
        SCALAR_ARGUMENTS[argument](value)
    assert _names(str(info.value), argument), str(info.value)


@pytest.mark.parametrize("method", ["loss", "loss_and_gradients", "step"])
def test_missing_targets_are_an_error_naming_T(method):
    """T=None is only meaningful for trace(); loss/gradients/step without targets must
    raise an error naming T, not return None (or fail with an IndexError)."""
    net = _net()
    args = ([[1.0, 2.0]], None, "sse") + ((0.1,) if method == "step" else ())
    with pytest.raises((TypeError, ValueError)) as info:
        getattr(net, method)(*args)
    assert _names(str(info.value), "T"), str(info.value)


def test_zero_dimensional_arrays_count_as_numbers():
    path = nnmath.gradient_descent(_grad, 1.0, np.array(0.25), 1)
    np.testing.assert_array_equal(path, [1.0, 0.5])  # exact halving


def test_messages_show_what_was_given():
    with pytest.raises(TypeError) as info:
        nnmath.sigmoid("abc")
    assert "'abc'" in str(info.value) and "str" in str(info.value)
    with pytest.raises(ValueError) as info:
        nnmath.sigmoid([1.0, np.nan, 2.0])
    assert "index (1,)" in str(info.value)
