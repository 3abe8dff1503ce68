"""nnmath.autograd: Value (reverse mode) and Dual (forward mode) against SymPy and finite differences.

Random expressions (hypothesis) are built three ways from one recipe: as Values,
as Duals, as a SymPy expression and as a plain-float function. The gradients of
the Values and the tangents of the Duals are compared with SymPy's derivative of
the same expression and with a central difference written in tests/conftest.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnmath
from conftest import central_difference
from nnmath.autograd import Dual, Value

# Value and SymPy evaluate the same formula in float64 in different orders: they agree to a
# few hundred ulps even after a dozen operations, so 1e-9 relative (plus 1e-12 absolute for
# results near 0) leaves a wide margin while catching any wrong local derivative (an error of
# a whole term, far above 1e-9).
EXACT = dict(rtol=1e-9, atol=1e-12)
# A central difference with h = 1e-5 has truncation error ~h²|f'''|/6 and round-off ~1e-16|f|/h.
# On the well-conditioned points kept below (|f|, |f'''| below ~1e3) both stay below 1e-6;
# 1e-5 relative plus 1e-6 absolute is safe and still fails a derivative that is wrong by 1%.
FD = dict(rtol=1e-5, atol=1e-6)

SYMBOLS = sympy.symbols("x y", real=True)
UNARY = ["neg", "exp", "log", "tanh", "sigmoid", "relu", "square", "cube", "sqrt", "inverse"]
BINARY = ["add", "sub", "mul", "div", "radd", "rsub", "rmul", "rdiv"]

leaves = st.one_of(st.sampled_from(["x", "y"]), st.sampled_from([-2.0, -0.5, 1.5, 3.0]))
expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(UNARY), inner),
        st.tuples(st.sampled_from(BINARY), inner, inner),
    ),
    max_leaves=8,
)


class IllConditioned(Exception):
    """The point is too close to a kink, a pole or the edge of a domain for a finite difference."""


def build(tree, leaf, kind):
    """The expression ``tree`` built from ``leaf(name)``; kind is 'value', 'sympy' or 'float'."""
    if isinstance(tree, str):
        return leaf(tree)
    if isinstance(tree, float):
        return tree if kind != "sympy" else sympy.nsimplify(tree)
    op, *args = tree
    a, *rest = [build(arg, leaf, kind) for arg in args]
    b = rest[0] if rest else None
    if kind == "float":  # plain floats, refusing points where a finite difference is unreliable
        if op in ("div", "rdiv", "inverse"):
            denominator = a if op == "inverse" else (b if op == "div" else a)
            if abs(denominator) < 0.2:
                raise IllConditioned
        if (op in ("log", "sqrt") and a < 0.2) or (op == "relu" and abs(a) < 1e-3) or abs(a) > 30:
            raise IllConditioned
    if kind == "sympy":
        u_ = sympy.Symbol("u", real=True)  # the package's own formulas, with u replaced by the argument
        exp, log, tanh, sqrt = sympy.exp, sympy.log, sympy.tanh, sympy.sqrt
        sig = lambda u: nnmath.sigmoid.formula(u_).xreplace({u_: u})  # noqa: E731
        relu = lambda u: nnmath.relu.formula(u_).xreplace({u_: u})  # noqa: E731
    elif kind == "float":
        exp, log, tanh, sqrt = math.exp, math.log, math.tanh, math.sqrt
        sig = lambda u: 1 / (1 + math.exp(-u))  # noqa: E731
        relu = lambda u: max(u, 0.0)  # noqa: E731
    else:  # a Value or Dual method; a constant subexpression is lifted first
        number = Value if kind == "value" else Dual
        exp, log, tanh, sig, relu = (
            lambda u, m=m: getattr(u if isinstance(u, (Value, Dual)) else number(u), m)()
            for m in ("exp", "log", "tanh", "sigmoid", "relu"))
        sqrt = lambda u: u**0.5  # noqa: E731
    table = {
        "neg": lambda: -a, "exp": lambda: exp(a), "log": lambda: log(a), "tanh": lambda: tanh(a),
        "sigmoid": lambda: sig(a), "relu": lambda: relu(a), "square": lambda: a**2, "cube": lambda: a**3,
        "sqrt": lambda: sqrt(a) if kind != "float" else math.sqrt(a), "inverse": lambda: a**-1,
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "radd": lambda: 2.5 + a, "rsub": lambda: 2.5 - a, "rmul": lambda: 2.5 * a, "rdiv": lambda: 2.5 / a,
    }
    if kind == "float" and op == "rdiv" and abs(a) < 0.2:
        raise IllConditioned
    return table[op]()


def lift_constant(result, kind):
    """An expression without variables comes out as a number; make it a Value or Dual."""
    return result if isinstance(result, (Value, Dual)) else {"value": Value, "dual": Dual}[kind](result)


points = st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0))


@settings(max_examples=300)
@given(tree=expressions, point=points)
def test_random_expressions_match_sympy_and_a_finite_difference(tree, point):
    at = dict(zip("xy", point))
    try:
        plain = build(tree, at.__getitem__, "float")
    except (IllConditioned, OverflowError, ZeroDivisionError, ValueError):
        assume(False)
    assume(abs(plain) < 1e3)
    values = {name: Value(v, name) for name, v in at.items()}
    out = lift_constant(build(tree, values.__getitem__, "value"), "value")
    out.backward()

    expr = sympy.sympify(build(tree, dict(zip("xy", SYMBOLS)).__getitem__, "sympy"))
    subs = dict(zip(SYMBOLS, point))
    assert math.isclose(out.data, plain, rel_tol=1e-12, abs_tol=1e-12)
    for name, symbol in zip("xy", SYMBOLS):
        exact = float(sympy.diff(expr, symbol).evalf(30, subs=subs))
        np.testing.assert_allclose(values[name].grad, exact, **EXACT, err_msg=f"d/d{name} of {expr}")

        def along(s, name=name):
            return np.vectorize(lambda v: build(tree, {**at, name: float(v)}.__getitem__, "float"))(s)

        try:
            fd = float(central_difference(along, at[name]))
        except (IllConditioned, OverflowError, ZeroDivisionError, ValueError):
            continue  # a step of h crosses a kink or a domain edge: SymPy above is the reference
        np.testing.assert_allclose(values[name].grad, fd, **FD, err_msg=f"d/d{name} of {expr}")

        dual = lift_constant(build(tree, {n: Dual(v, float(n == name)) for n, v in at.items()}.__getitem__,
                                   "dual"), "dual")
        np.testing.assert_allclose(dual.tangent, values[name].grad, **EXACT, err_msg="forward mode")


def test_a_node_used_twice_gets_the_sum_of_both_paths():
    x = Value(3.0, "x")
    u = x * x  # x reaches u along two edges
    f = u * x + u  # u reaches f along two edges
    f.backward()
    # f = x^3 + x^2, f' = 3x^2 + 2x
    assert x.grad == pytest.approx(3 * 9 + 2 * 3, rel=1e-15)
    assert u.grad == pytest.approx(3.0 + 1.0, rel=1e-15)  # ∂f/∂u = x + 1


def test_the_same_value_on_both_sides():
    x = Value(-1.5)
    for expr, derivative in [(x + x, 2.0), (x - x, 0.0), (x * x, -3.0), (x / x, 0.0)]:
        expr.backward()
        assert x.grad == pytest.approx(derivative, abs=1e-15)


def test_backward_resets_so_calling_it_twice_gives_the_same_gradients():
    x = Value(2.0)
    y = (x * x).exp()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first == pytest.approx(4 * math.exp(4.0), rel=1e-14)
    y.zero_grad()
    assert x.grad == 0.0 and y.grad == 0.0


def test_backward_through_a_long_chain_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**5000, rel=1e-10)


def test_nodes_are_in_topological_order():
    x, w = Value(1.0, "x"), Value(2.0, "w")
    z = w * x + x
    order = z.nodes()
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is z and len(order) == 4
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.inputs)


def test_relu_derivative_at_zero_follows_the_package_convention():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert x.grad == float(nnmath.relu.derivative(0.0))
    assert y.data == 0.0


@pytest.mark.parametrize("z", [-40.0, -1.0, 0.0, 2.0, 40.0])
def test_sigmoid_is_the_packages_sigmoid(z):
    x = Value(z)
    y = x.sigmoid()
    y.backward()
    assert y.data == pytest.approx(float(nnmath.sigmoid(z)), rel=1e-15)
    assert x.grad == pytest.approx(float(nnmath.sigmoid.derivative(z)), rel=1e-12, abs=1e-30)


def test_power_zero_and_integer_powers_of_negative_numbers():
    x = Value(-2.0)
    for k, derivative in [(0, 0.0), (1, 1.0), (2, -4.0), (3, 12.0), (-1, -0.25)]:
        y = x**k
        y.backward()
        assert x.grad == pytest.approx(derivative, rel=1e-15), k


def test_labels_and_repr():
    x = Value(2.0, "x")
    assert repr(x) == "Value(x, data=2, grad=0)"
    assert repr(Dual(2.0, 1.0)) == "Dual(data=2, tangent=1)"
    assert (x * 3).op == "*" and (x**2).op == "x**2" and x.op == ""


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: Value("1.0"), TypeError, "Value data must be a real number.*got '1.0' \\(type str\\)"),
        (lambda: Value(True), TypeError, "got True \\(type bool\\)"),
        (lambda: Value(None), TypeError, "type NoneType"),
        (lambda: Value(float("nan")), ValueError, "finite number, got nan"),
        (lambda: Value(float("inf")), ValueError, "finite number, got inf"),
        (lambda: Value(1.0) + "2", TypeError, "the other operand must be a real number"),
        (lambda: Value(1.0) * Dual(1.0), TypeError, "cannot combine a Value with a Dual"),
        (lambda: Value(0.0).log(), ValueError, "log needs a positive number, got 0"),
        (lambda: Value(-3.0).log(), ValueError, "log needs a positive number, got -3"),
        (lambda: Value(2.0) ** Value(3.0), TypeError, "exponent of \\*\\* must be a number, got a Value"),
        (lambda: 2.0 ** Value(3.0), TypeError, "exponent of \\*\\* must be a number, got a Value"),
        (lambda: Value(2.0) ** "3", TypeError, "the exponent of \\*\\* must be a real number"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "not a real number for x = -8"),
        (lambda: Value(0.0) ** 0.5, ValueError, "no finite derivative at x = 0"),
        (lambda: Value(1.0) / 0, ValueError, "division by zero"),
        (lambda: 1.0 / Value(0.0), ValueError, "division by zero"),
        (lambda: Value(800.0).exp(), ValueError, "exp is not a finite real number at 800"),
        (lambda: Value(1e200) ** 2, ValueError, "overflows"),
        (lambda: Value(1e300) * 1e300, ValueError, "\\* is not a finite real number at 1e\\+300"),
        (lambda: Dual(1.0, "a"), TypeError, "Dual tangent must be a real number"),
        (lambda: Value(1.0, label=3), TypeError, "label must be a string"),
    ],
)
def test_bad_input_is_explained(make, error, fragment):
    with pytest.raises(error, match=fragment):
        make()


def test_numpy_scalars_are_numbers():
    x = Value(np.float64(1.5)) * np.int64(2)
    assert type(x.data) is float and x.data == 3.0


# --- nnmath.exercises.check_backward_rule: the checker of the chapter's exercises -----------------------
from nnmath.exercises import _BACKWARD_RULES, check_backward_rule  # noqa: E402

RIGHT = {
    "power": lambda x, k: k * x ** (k - 1),
    "softplus": lambda x: 1 / (1 + math.exp(-x)),
    "divide": lambda a, b: (1 / b, -a / b**2),
    "layer": lambda W, a, z_bar: (W.T @ z_bar, np.outer(z_bar, a)),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_the_right_rule_passes(name):
    feedback = check_backward_rule(name, RIGHT[name])
    assert feedback.correct, feedback.message


@pytest.mark.parametrize("name, why, mistake",
                         [(name, why, m) for name, task in _BACKWARD_RULES.items() for why, m in task.mistakes])
def test_each_common_mistake_fails_and_is_named(name, why, mistake):
    feedback = check_backward_rule(name, mistake)
    assert not feedback.correct
    assert why in feedback.message


@pytest.mark.parametrize("name, wrong, fragment", [
    ("power", lambda x, k: -k * x ** (k - 1), "wrong sign"),
    ("power", lambda x, k: k * x ** (k - 1) + 1e-4, "does not match"),  # off by less than a rounding of 4 digits
    ("divide", lambda a, b: (1 / b, -a / b**3), "wrong: the derivative for b"),
    ("divide", lambda a, b: 1 / b, "should return 2 results"),
    ("layer", lambda W, a, z_bar: (W @ z_bar, np.outer(z_bar, a)), "raised ValueError"),
    ("softplus", lambda x, k: x, "raised TypeError"),
])
def test_other_wrong_rules_fail_with_a_reason(name, wrong, fragment):
    feedback = check_backward_rule(name, wrong)
    assert not feedback.correct and fragment in feedback.message


def test_the_engines_own_rules_pass_the_checker():
    # the checker's references (finite differences of the forward pass) and the engine's local derivatives
    # are independent code: each confirms the other
    def engine(build):
        def rule(*args):
            leaves = [Value(v) for v in args[:2]] if build is not power else [Value(args[0])]
            out = build(*leaves) if build is not power else leaves[0] ** args[1]
            out.backward()
            return leaves[0].grad if len(leaves) == 1 else tuple(v.grad for v in leaves)
        return rule

    def power():
        pass

    softplus = lambda x: (x.exp() + 1).log()  # noqa: E731
    divide = lambda a, b: a / b  # noqa: E731
    for name, build in [("power", power), ("softplus", softplus), ("divide", divide)]:
        feedback = check_backward_rule(name, engine(build))
        assert feedback.correct, feedback.message


def test_checker_arguments_are_checked():
    with pytest.raises(ValueError, match="name must be one of"):
        check_backward_rule("sine", RIGHT["power"])
    with pytest.raises(TypeError, match="rule must be a function"):
        check_backward_rule("power", 3.0)
