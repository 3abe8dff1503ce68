"""The computational graph and compose(): values, local derivatives, paths, the multi-path chain rule.

References are independent of the code under test: SymPy differentiates the
composed formula (exact, ``simplify(a - b) == 0``), and a central finite
difference written in conftest.py differentiates the numbers.
"""

from __future__ import annotations

import bdb
import gc
import linecache
import warnings
import weakref
from contextlib import contextmanager

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import nnmath
from nnmath.graph import ComputationalGraph, Composite, PathProduct, Sigmoid, compose

from conftest import central_difference

# Tolerances (relative to max(1, |value|)):
# * SYMBOLIC: the same formula evaluated by SymPy's lambdify in two equivalent
#   forms differs only by round-off, a few ulps per operation: 1e-12 is generous.
# * FINITE_DIFFERENCE: a central difference with h = 1e-5 has truncation error
#   about h^2/6 |f'''| ~ 2e-11 and round-off about eps |f| / h ~ 2e-11 for the
#   moderate functions here; 1e-7 leaves a wide margin, while a missing path
#   or factor changes the derivative by order 1e-2 or more.
SYMBOLIC = 1e-12
FINITE_DIFFERENCE = 1e-7

X = sympy.Symbol("x", real=True)


def close(a, b, tolerance):
    return abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def spell_out(expr):
    """Replace the SymPy sigmoid by 1/(1 + exp(-z)) (other functions stay as they are)."""
    return sympy.sympify(expr).replace(Sigmoid, lambda z: 1 / (1 + sympy.exp(-z)))


def same(a, b) -> bool:
    """SymPy shows a == b (sigmoids spelled out first, so simplify sees exp)."""
    return sympy.simplify(spell_out(a) - spell_out(b)) == 0


# --- graphs with 1, 2 and 3 paths from x to f -------------------------------------------------
def chain():  # one path: x -> u -> v -> f
    return ComputationalGraph(["u = 3*x + 1", "v = tanh(u)", "f = v**2"], "x")


def diamond():  # two paths: x -> u -> f and x -> v -> f
    return ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")


def three_paths():  # x -> u -> f, x -> v -> f and the direct edge x -> f
    return ComputationalGraph({"u": "exp(x/2)", "v": "cos(x)", "f": "u*v + x**3"}, "x")


def cascade():  # the chapter's two neurons in cascade with the squared error
    return ComputationalGraph(
        {"z1": "w1*x + b1", "a1": "sigmoid(z1)", "z2": "w2*a1 + b2", "a2": "sigmoid(z2)", "E": "(a2 - t)**2/2"},
        ["x", "w1", "b1", "w2", "b2", "t"],
    )


CASCADE_POINT = {"x": 2.0, "w1": 0.5, "b1": -0.5, "w2": 1.5, "b2": -0.5, "t": 1.0}
GRAPHS = {"chain": (chain, 1), "diamond": (diamond, 2), "three paths": (three_paths, 3)}
graph_cases = pytest.mark.parametrize("name", list(GRAPHS))


# --- values ----------------------------------------------------------------------------------
def test_evaluate_gives_every_node_in_order():
    values = diamond().evaluate({"x": 2.0})
    assert list(values) == ["x", "u", "v", "f"]
    assert values["u"] == 4.0
    assert close(values["v"], np.sin(2.0), SYMBOLIC)
    assert close(values["f"], 4.0 * np.sin(2.0), SYMBOLIC)


def test_evaluate_the_cascade_by_hand():
    p = CASCADE_POINT
    values = cascade().evaluate(p)
    z1 = p["w1"] * p["x"] + p["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    z2 = p["w2"] * a1 + p["b2"]
    a2 = 1 / (1 + np.exp(-z2))
    for name, expected in {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "E": 0.5 * (a2 - p["t"]) ** 2}.items():
        assert close(values[name], expected, SYMBOLIC), name


def test_evaluate_works_elementwise_on_arrays():
    xs = np.linspace(-2, 2, 7)
    values = diamond().evaluate({"x": xs})
    np.testing.assert_allclose(values["f"], xs**2 * np.sin(xs), rtol=SYMBOLIC)
    np.testing.assert_allclose(diamond().backward("f", {"x": xs})["x"], 2 * xs * np.sin(xs) + xs**2 * np.cos(xs),
                               rtol=SYMBOLIC, atol=SYMBOLIC)


def test_definitions_may_come_in_any_order_and_as_a_dict_or_list():
    a = ComputationalGraph(["f = u*v", "v = sin(x)", "u = x**2"], "x")
    b = ComputationalGraph({"u": "x**2", "v": "sin(x)", "f": "u*v"}, ["x"])
    assert a.nodes == ("x", "v", "u", "f") and b.nodes == ("x", "u", "v", "f")
    assert a.evaluate({"x": 0.7})["f"] == b.evaluate({"x": 0.7})["f"]


def test_sympy_expressions_and_plain_symbols_are_accepted():
    x, u = sympy.symbols("x u")  # not real=True: matched to the graph's symbols by name
    g = ComputationalGraph({"u": x**2, "f": 3 * u}, "x")
    assert g.composed("f") == 3 * X**2
    assert g.evaluate({"x": 2.0})["f"] == 12.0


def test_caret_means_power_and_names_like_E_are_nodes_not_constants():
    g = ComputationalGraph(["E = x^2", "I = E + 1"], "x")
    assert g.evaluate({"x": 3.0}) == {"x": 3.0, "E": 9.0, "I": 10.0}


# --- local derivatives ----------------------------------------------------------------------
def test_local_derivatives_are_the_derivatives_of_each_formula():
    g = diamond()
    u, v = g.symbol("u"), g.symbol("v")
    assert g.local_derivative("x", "u") == 2 * X
    assert g.local_derivative("x", "v") == sympy.cos(X)
    assert g.local_derivative("u", "f") == v and g.local_derivative("v", "f") == u


def test_sigmoid_local_derivative_is_sigma_times_one_minus_sigma():
    g = cascade()
    z1 = g.symbol("z1")
    local = g.local_derivative("z1", "a1")
    assert local == Sigmoid(z1) * (1 - Sigmoid(z1))
    # and it is what SymPy gives for the sigmoid spelled out with exp
    assert same(local, sympy.diff(1 / (1 + sympy.exp(-z1)), z1))
    assert g.local_derivative("w2", "z2") == g.symbol("a1")
    assert g.local_derivative("a2", "E") == g.symbol("a2") - g.symbol("t")


@pytest.mark.parametrize("make", [chain, diamond, three_paths, cascade])
def test_edge_derivative_values_match_a_finite_difference_of_the_childs_formula(make):
    g = make()
    point = CASCADE_POINT if make is cascade else {"x": 0.8}
    values = g.evaluate(point)
    edges = g.edge_derivatives(point)
    assert set(edges) == set(g.edges)
    for parent, child in g.edges:
        args = [g.symbol(p) for p in g.parents(child)]
        formula = sympy.lambdify(args, spell_out(g.expression(child)), "numpy")
        others = [values[p] for p in g.parents(child)]
        slot = g.parents(child).index(parent)

        def of_parent(s, others=others, slot=slot, formula=formula):
            args_ = list(others)
            args_[slot] = s
            return formula(*args_)

        fd = float(central_difference(of_parent, values[parent]))
        assert close(edges[(parent, child)], fd, FINITE_DIFFERENCE), (parent, child)


def test_local_derivative_of_a_missing_edge_lists_the_parents():
    with pytest.raises(ValueError, match=r"no edge x -> f; the parents of 'f' are: u, v"):
        diamond().local_derivative("x", "f")
    with pytest.raises(ValueError, match="it is an input"):
        diamond().local_derivative("u", "x")


# --- paths -------------------------------------------------------------------------------------
@graph_cases
def test_number_of_paths(name):
    make, n_paths = GRAPHS[name]
    paths = make().paths("x", "f")
    assert len(paths) == n_paths
    assert all(p[0] == "x" and p[-1] == "f" for p in paths)
    assert len(set(paths)) == n_paths


def test_paths_are_listed_in_full():
    assert chain().paths("x", "f") == [("x", "u", "v", "f")]
    assert diamond().paths("x", "f") == [("x", "u", "f"), ("x", "v", "f")]
    assert three_paths().paths("x", "f") == [("x", "u", "f"), ("x", "v", "f"), ("x", "f")]
    g = ComputationalGraph(["u = 2*x", "v = u + x", "f = v*u"], "x")  # paths that share nodes
    assert sorted(g.paths("x", "f")) == sorted(
        [("x", "u", "v", "f"), ("x", "u", "f"), ("x", "v", "f")])


def test_paths_between_unconnected_or_equal_nodes():
    g = diamond()
    assert g.paths("u", "v") == [] and g.paths("f", "x") == []
    assert g.paths("u", "u") == [("u",)]
    assert g.total_derivative("u", "v", {"x": 1.0}) == 0.0
    assert g.total_derivative("u", "u", {"x": 1.0}) == 1.0


# Every public method, called once: a graph dropped after any of them is freed at
# once, with the functions lambdify made for it (sympy removes each one's
# source from linecache when it is freed). A reference cycle (a recursive
# inner function in paths() was one) left them to the garbage collector, which
# can free them in the middle of linecache.checkcache(); Python 3.11 then
# raises KeyError (CPython issue 126775), as a doctest's pdb reset did in CI.
EVERY_METHOD = {
    "_repr_latex_": lambda g: g._repr_latex_(),
    "backward": lambda g: g.backward("f", {"x": 0.5}),
    "children": lambda g: g.children("x"),
    "composed": lambda g: g.composed("f"),
    "edge_derivatives": lambda g: g.edge_derivatives({"x": 0.5}),
    "edges": lambda g: g.edges,
    "evaluate": lambda g: g.evaluate({"x": 0.5}),
    "expression": lambda g: g.expression("f"),
    "function": lambda g: g.function("f", "x", {"x": 0.5})(0.25),
    "layers": lambda g: g.layers(),
    "local_derivative": lambda g: g.local_derivative("u", "f"),
    "multiplication_counts": lambda g: g.multiplication_counts("f"),
    "parents": lambda g: g.parents("f"),
    "path_products": lambda g: g.path_products("x", "f", {"x": 0.5}),
    "paths": lambda g: g.paths("x", "f"),
    "symbol": lambda g: g.symbol("u"),
    "symbolic_total_derivative": lambda g: g.symbolic_total_derivative("x", "f", "paths"),
    "total_derivative": lambda g: g.total_derivative("x", "f", {"x": 0.5}),
}


def test_every_public_method_is_called_by_the_freeing_test():
    public = {name for name in dir(ComputationalGraph) if not name.startswith("_")}
    assert public | {"_repr_latex_"} == set(EVERY_METHOD)


@contextmanager
def collector_off():
    """The garbage collector off (gc.collect() still runs when called): reference counting alone frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("method", sorted(EVERY_METHOD))
def test_a_dropped_graph_is_freed_with_its_lambdified_functions(method):
    gc.collect()
    with collector_off():
        before = set(linecache.cache)
        g = three_paths()
        # evaluate and edge_derivatives lambdify the nodes and the local derivatives
        for call in (EVERY_METHOD["evaluate"], EVERY_METHOD["edge_derivatives"], EVERY_METHOD[method]):
            call(g)
        sources = set(linecache.cache) - before  # the source of each function lambdify made for g
        assert sources
        graph = weakref.ref(g)
        del g
        assert graph() is None, f"after {method}(), the graph is kept alive by a reference cycle"
        assert not sources & set(linecache.cache)


def test_a_lambdified_function_freed_during_the_pdb_reset_of_a_doctest_is_skipped(tmp_path):
    """The CI failure, made to happen: the collector frees a lambdified function mid-check.

    An entry listed before the function's has a path whose os.stat runs the
    collector; the function, in a reference cycle, is freed and sympy removes
    its entry, which the check then reaches. Unguarded Python 3.11 raises
    KeyError here; the guard in conftest.py skips the entry.
    """
    class CollectingPath:
        def __fspath__(self):
            gc.collect()
            return str(tmp_path / "gone.py")

    with collector_off():  # so that the cycle is freed by the collection in os.stat, not before
        try:
            linecache.cache["<collecting>"] = (1, 0.0, ["x\n"], CollectingPath())
            cycle = {"f": sympy.lambdify(sympy.Symbol("x"), sympy.Symbol("x") ** 2)}
            cycle["self"] = cycle
            source = cycle["f"].__code__.co_filename
            assert list(linecache.cache).index("<collecting>") < list(linecache.cache).index(source)
            del cycle
            assert source in linecache.cache
            bdb.Bdb().reset()  # what doctest's runner calls before every example set
        finally:
            linecache.cache.pop("<collecting>", None)
    assert source not in linecache.cache


def test_cascade_has_one_path_from_each_weight():
    g = cascade()
    assert g.paths("w2", "E") == [("w2", "z2", "a2", "E")]
    assert g.paths("w1", "E") == [("w1", "z1", "a1", "z2", "a2", "E")]


# --- the multi-path chain rule --------------------------------------------------------------
@graph_cases
def test_sum_of_path_products_is_sympy_diff_of_the_composed_formula(name):
    g = GRAPHS[name][0]()
    by_paths = g.symbolic_total_derivative("x", "f", method="paths")
    truth = sympy.diff(g.composed("f"), X)
    assert same(by_paths, truth)
    assert same(g.symbolic_total_derivative("x", "f"), truth)


@graph_cases
@given(x=st.floats(-2.0, 2.0))
def test_sum_of_path_products_matches_sympy_and_a_finite_difference(name, x):
    g = GRAPHS[name][0]()
    total = g.total_derivative("x", "f", {"x": x})
    exact = float(sympy.lambdify(X, sympy.diff(g.composed("f"), X), "numpy")(x))
    fd = float(central_difference(g.function("f", "x", {"x": x}), x))
    assert close(total, exact, SYMBOLIC)
    assert close(total, fd, FINITE_DIFFERENCE)


def test_each_path_product_is_the_product_of_its_factors():
    terms = three_paths().path_products("x", "f", {"x": 1.0})
    assert all(isinstance(t, PathProduct) for t in terms)
    u, v = np.exp(0.5), np.cos(1.0)
    expected = [(0.5 * u, v), (-np.sin(1.0), u), (3.0,)]  # du/dx * df/du, dv/dx * df/dv, df/dx
    for term, factors in zip(terms, expected):
        np.testing.assert_allclose(term.factors, factors, rtol=SYMBOLIC)
        assert close(term.product, float(np.prod(factors)), SYMBOLIC)
    assert str(terms[2]) == "x → f: 3 = 3"


def test_leaving_out_a_path_gives_a_wrong_derivative():
    """The check can fail: one path short, the sum disagrees with the finite difference."""
    g = diamond()
    terms = g.path_products("x", "f", {"x": 1.0})
    fd = float(central_difference(g.function("f", "x", {"x": 1.0}), 1.0))
    assert not close(terms[0].product, fd, 1e-2)
    assert not close(terms[1].product, fd, 1e-2)
    assert close(terms[0].product + terms[1].product, fd, FINITE_DIFFERENCE)


def test_product_rule_is_the_two_path_chain_rule():
    g = diamond()
    u, v = sympy.Function("u")(X), sympy.Function("v")(X)
    product_rule = sympy.diff(u * v, X).subs({u: X**2, v: sympy.sin(X)}).doit()
    assert same(g.symbolic_total_derivative("x", "f", "paths"), product_rule)


def test_derivative_with_respect_to_an_intermediate_node():
    g = ComputationalGraph(["u = x**2", "v = u + x", "f = u*v"], "x")
    point = {"x": 1.5}
    # u reaches f directly and through v: df/du = v + u * 1, at x = 1.5: u = 2.25, v = 3.75
    assert close(g.total_derivative("u", "f", point), 3.75 + 2.25, SYMBOLIC)
    assert same(g.symbolic_total_derivative("u", "f"), g.symbolic_total_derivative("u", "f", "paths"))
    u0 = g.evaluate(point)["u"]
    fd = float(nnmath.numerical_derivative(g.function("f", "u", point), u0))
    assert close(g.total_derivative("u", "f", point), fd, FINITE_DIFFERENCE)


@pytest.mark.parametrize("make, point", [(diamond, {"x": 0.3}), (three_paths, {"x": -1.2}),
                                         (cascade, CASCADE_POINT)])
def test_backward_equals_the_sum_over_paths_for_every_node(make, point):
    g = make()
    target = g.outputs[0]
    adjoints = g.backward(target, point)
    assert adjoints[target] == 1.0
    for node in g.nodes:
        assert close(adjoints[node], g.total_derivative(node, target, point), SYMBOLIC), node


def test_cascade_deltas_and_gradients_match_the_mlp_trace():
    g = cascade()
    net = nnmath.MLP([1, 1, 1], ["sigmoid", "sigmoid"])
    p = CASCADE_POINT
    net.weights = [np.array([[p["w1"]]]), np.array([[p["w2"]]])]
    net.biases = [np.array([p["b1"]]), np.array([p["b2"]])]
    trace = net.trace([[p["x"]]], [[p["t"]]], "sse")
    adjoints = g.backward("E", p)
    assert close(adjoints["z2"], trace.delta[2].item(), SYMBOLIC)  # delta_2 = dE/dz2
    assert close(adjoints["z1"], trace.delta[1].item(), SYMBOLIC)  # delta_1 = dE/dz1
    assert close(g.total_derivative("w2", "E", p), trace.weight_grads[2].item(), SYMBOLIC)
    assert close(g.total_derivative("w1", "E", p), trace.weight_grads[1].item(), SYMBOLIC)
    assert close(g.evaluate(p)["E"], trace.loss, SYMBOLIC)


def test_cascade_symbolic_deltas():
    g = cascade()
    s = {n: g.symbol(n) for n in g.nodes}
    delta2 = (s["a2"] - s["t"]) * Sigmoid(s["z2"]) * (1 - Sigmoid(s["z2"]))
    delta1 = delta2 * s["w2"] * Sigmoid(s["z1"]) * (1 - Sigmoid(s["z1"]))
    everything = {s[n]: g.composed(n) for n in g.nodes if n not in g.inputs}
    assert same(g.symbolic_total_derivative("w2", "E"), (delta2 * s["a1"]).xreplace(everything))
    assert same(g.symbolic_total_derivative("w1", "E"), (delta1 * s["x"]).xreplace(everything))


# --- counting multiplications --------------------------------------------------------------
def test_one_path_costs_the_same_either_way():
    counts = chain().multiplication_counts("f")
    assert counts == {"paths": 1, "per_path": 2, "backward": 2}


def test_cascade_counts_match_the_chapter():
    g = cascade()
    assert g.multiplication_counts("E", ["w1", "w2"]) == {"paths": 2, "per_path": 6, "backward": 5}
    assert g.multiplication_counts("E") == {"paths": 6, "per_path": 16, "backward": 8}


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_paths_double_with_every_diamond_but_backward_grows_linearly(k):
    definitions, previous = [], "x"
    for i in range(1, k + 1):
        definitions += [f"u{i} = sin({previous})", f"v{i} = cos({previous})", f"s{i} = u{i}*v{i}"]
        previous = f"s{i}"
    g = ComputationalGraph(definitions, "x")
    counts = g.multiplication_counts(f"s{k}")
    assert counts["paths"] == 2**k
    assert counts["per_path"] == 2**k * (2 * k - 1)  # each path has 2k edges
    assert counts["backward"] == 4 * k - 2  # every edge once, except the 2 into the output


# --- compose ---------------------------------------------------------------------------------
def test_compose_value_derivative_formula_and_factors():
    f = compose(nnmath.sigmoid, nnmath.tanh, nnmath.quadratic(1.0))
    assert isinstance(f, Composite)
    xs = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(f(xs), nnmath.sigmoid(np.tanh(xs**2)), rtol=SYMBOLIC)
    formula = f.formula(X)
    assert same(formula, 1 / (1 + sympy.exp(-sympy.tanh(X**2))))
    exact = sympy.lambdify(X, sympy.diff(formula, X), "numpy")
    np.testing.assert_allclose(f.derivative(xs), exact(xs), rtol=SYMBOLIC, atol=SYMBOLIC)
    np.testing.assert_allclose(f.derivative(xs), central_difference(f, xs), rtol=0, atol=FINITE_DIFFERENCE)
    inner = f.inner_values(0.8)
    np.testing.assert_allclose(inner, [np.tanh(0.64), 0.64, 0.8], rtol=SYMBOLIC)
    factors = f.factors(0.8)
    np.testing.assert_allclose(
        factors, [nnmath.sigmoid.derivative(np.tanh(0.64)), 1 - np.tanh(0.64) ** 2, 1.6], rtol=SYMBOLIC)
    assert close(float(np.prod(factors)), float(f.derivative(0.8)), SYMBOLIC)
    assert f.factors(xs).shape == (3, 41)


def test_compose_of_one_function_is_the_function():
    f = compose(nnmath.tanh)
    xs = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(f(xs), nnmath.tanh(xs))
    np.testing.assert_array_equal(f.derivative(xs), nnmath.tanh.derivative(xs))


def test_compose_rejects_bad_arguments():
    with pytest.raises(ValueError, match="at least one function"):
        compose()
    with pytest.raises(TypeError, match=r"functions\[1\] must be an nnmath ScalarFunction"):
        compose(nnmath.sigmoid, np.tanh)


@pytest.mark.parametrize(
    "functions, error, message",
    [
        ([], ValueError, "at least one function"),
        ([1.0], TypeError, r"functions\[0\] must be an nnmath ScalarFunction.*got 1.0"),
        (nnmath.sigmoid, TypeError, "functions must be a list of nnmath ScalarFunctions"),
        ("sigmoid", TypeError, "functions must be a list"),
    ],
)
def test_composite_checks_its_functions_like_compose(functions, error, message):
    with pytest.raises(error, match=message):
        Composite(functions)


# --- the SymPy sigmoid ------------------------------------------------------------------------
def test_sympy_sigmoid_derivative_rewrite_and_numbers():
    z = sympy.Symbol("z", real=True)
    assert sympy.diff(Sigmoid(z), z) == Sigmoid(z) * (1 - Sigmoid(z))
    assert Sigmoid(0) == sympy.Rational(1, 2)
    assert same(Sigmoid(z).rewrite(sympy.exp), nnmath.sigmoid.formula(z))
    assert abs(float(Sigmoid(sympy.Rational(3, 2)).evalf()) - float(nnmath.sigmoid(1.5))) < SYMBOLIC
    assert str(Sigmoid(z)) == "sigmoid(z)" and sympy.latex(Sigmoid(z)) == r"\sigma\left(z\right)"


def test_sympy_sigmoid_evaluates_without_overflow():
    z = sympy.Symbol("z", real=True)
    numeric = sympy.lambdify(z, Sigmoid(z), "numpy")
    zs = np.array([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = numeric(zs)
    np.testing.assert_allclose(values, nnmath.sigmoid(zs), rtol=SYMBOLIC, atol=0)


# --- display -----------------------------------------------------------------------------------
def test_str_and_repr_show_the_definitions():
    g = diamond()
    assert str(g) == "inputs: x\nu = x**2\nv = sin(x)\nf = u*v"
    assert repr(g) == "ComputationalGraph(inputs: x; u = x**2; v = sin(x); f = u*v)"
    assert "f &= u v" in g._repr_latex_()
    assert g.outputs == ("f",) and g.edges == [("x", "u"), ("x", "v"), ("u", "f"), ("v", "f")]
    assert g.parents("f") == ("u", "v") and g.children("x") == ("u", "v")


def test_layers_put_weights_next_to_the_node_that_uses_them():
    assert cascade().layers() == [["x", "w1", "b1"], ["z1"], ["w2", "b2", "a1"], ["z2"], ["t", "a2"], ["E"]]


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "definitions, inputs, error, fragment",
    [
        (["f = u*v"], "x", ValueError, r"uses \['u', 'v'\], which is neither an input nor a node; valid names are: x, f"),
        (["u = u*x"], "x", ValueError, r"cycle: u -> u"),
        (["u = v + x", "v = u*2"], "x", ValueError, r"cycle: (u -> v -> u|v -> u -> v)"),
        (["a = c + x", "b = a", "c = b", "f = c"], "x", ValueError, r"cycle: .*a.*b.*c"),
        (["u = x**2", "u = x"], "x", ValueError, "defined twice"),
        (["x = 2"], "x", ValueError, "input and also defined"),
        (["u = x +* 2"], "x", ValueError, "could not read the formula of 'u'"),
        (["u = foo(x)"], "x", ValueError, r"unknown function\(s\) \['foo'\]"),
        (["u x**2"], "x", ValueError, r"'name = formula'"),
        (["2u = x"], "x", ValueError, "not a valid name"),
        (["lambda = x"], "x", ValueError, "not a valid name"),
        ([], "x", ValueError, "at least one node"),
        (["u = x"], [], ValueError, "at least one input"),
        (["u = x"], ["x", "x"], ValueError, r"\['x'\] more than once"),
        ("u = x", "x", TypeError, "definitions must be a dict"),
        (["u = x"], 3, TypeError, "inputs must be a name or a list"),
        (["u = x"], [3], TypeError, r"inputs\[0\] must be a name"),
        ({"u": 1j}, "x", TypeError, "formula of 'u' must be a string"),
        ({"u": "x > 1"}, "x", ValueError, "not an expression"),
    ],
)
def test_bad_definitions_are_explained(definitions, inputs, error, fragment):
    with pytest.raises(error, match=fragment):
        ComputationalGraph(definitions, inputs)


def test_unknown_node_names_list_the_valid_ones():
    g = diamond()
    for call in (lambda: g.paths("y", "f"), lambda: g.paths("x", "F"), lambda: g.symbol("w"),
                 lambda: g.composed("q"), lambda: g.backward("g", {"x": 1.0}),
                 lambda: g.multiplication_counts("f", ["z"])):
        with pytest.raises(ValueError, match=r"the nodes are: x, u, v, f"):
            call()
    with pytest.raises(TypeError, match="must be a node name"):
        g.paths(1, "f")


def test_bad_values_are_named():
    g = cascade()
    with pytest.raises(ValueError, match=r"missing the input\(s\) \['b2', 't'\]"):
        g.evaluate({"x": 1.0, "w1": 1.0, "b1": 0.0, "w2": 1.0})
    with pytest.raises(ValueError, match="unknown name 'q' in values; the inputs are: x, w1, b1, w2, b2, t"):
        g.evaluate({**CASCADE_POINT, "q": 1.0})
    with pytest.raises(ValueError, match="'z1' is computed by the graph"):
        g.evaluate({**CASCADE_POINT, "z1": 1.0})
    with pytest.raises(TypeError, match=r"values\['x'\] must be numbers"):
        g.evaluate({**CASCADE_POINT, "x": "one"})
    with pytest.raises(ValueError, match=r"values\['x'\] must contain only finite numbers"):
        g.evaluate({**CASCADE_POINT, "x": np.nan})
    with pytest.raises(TypeError, match="values must be a dict"):
        g.evaluate([1.0, 2.0])


def test_a_node_that_is_not_finite_is_named():
    g = ComputationalGraph(["u = log(x)", "f = 2*u"], "x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no NumPy warning on the way
        with pytest.raises(ValueError, match=r"node 'u' = log\(x\) is not finite"):
            g.evaluate({"x": -1.0})


def test_path_products_need_numbers_not_arrays():
    with pytest.raises(ValueError, match=r"one number per input, got arrays for \['x'\]; .*backward"):
        diamond().total_derivative("x", "f", {"x": [1.0, 2.0]})


def test_a_constant_node_has_no_parents_and_is_drawn_as_a_source():
    g = ComputationalGraph({"c": 2, "f": "c*x"}, "x")
    assert g.parents("c") == () and g.layers() == [["x", "c"], ["f"]]
    assert g.evaluate({"x": 3.0})["f"] == 6.0
    assert g.backward("f", {"x": 3.0}) == {"x": 2.0, "c": 3.0, "f": 1.0}


def test_method_must_be_known():
    with pytest.raises(ValueError, match="unknown method 'limits'"):
        diamond().symbolic_total_derivative("x", "f", method="limits")


def test_short_latex_writes_sigma_prime_and_leaves_other_expressions_alone():
    from nnmath.graph import short_latex

    g = cascade()
    assert short_latex(g.local_derivative("z1", "a1")) == r"\sigma'\left(z_{1}\right)"
    assert short_latex(g.local_derivative("a2", "E")) == sympy.latex(g.symbol("a2") - g.symbol("t"))
    assert short_latex(sympy.sin(X)) == sympy.latex(sympy.sin(X))


# --- one engine ---------------------------------------------------------------------------------
def test_backward_runs_the_autograd_engine_once_per_point(monkeypatch):
    from nnmath import autograd

    calls = []
    original = autograd.Value.backward

    def counting(self):
        calls.append(self.label)
        return original(self)

    monkeypatch.setattr(autograd.Value, "backward", counting)
    xs = np.array([0.5, 1.0, 2.0])
    result = diamond().backward("f", {"x": xs})
    assert calls == ["f", "f", "f"]
    np.testing.assert_allclose(result["x"], 2 * xs * np.sin(xs) + xs**2 * np.cos(xs), rtol=1e-12)


def test_sympy_sigmoid_is_evaluated_by_nnmath_sigmoid(monkeypatch):
    import nnmath.graph as graph_module

    seen = []
    monkeypatch.setattr(graph_module.Sigmoid, "_imp_", staticmethod(lambda z: seen.append(z) or 0.25))
    z = sympy.Symbol("z", real=True)
    assert sympy.lambdify(z, Sigmoid(z), "numpy")(3.0) == 0.25 and seen == [3.0]
