"""Reading the definitions of a :class:`nnmath.graph.ComputationalGraph`: names, formulas, values.

Everything here turns what a reader types into checked data, or explains in a
ValueError/TypeError what is wrong with it; the graph itself holds only the
mathematics. Imports SymPy.
"""

from __future__ import annotations

import keyword
import numbers
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import sympy
from numpy.typing import NDArray

from . import _validate


def describe(value: Any) -> str:
    """A short repr for error messages."""
    text = repr(value)
    return (text[:57] + "...") if len(text) > 60 else text


def check_name(name: Any, what: str) -> str:
    """``name`` if it is a valid node name, otherwise an error saying why not."""
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a name (str), got {describe(name)} (type {type(name).__name__})")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(
            f"{what} {name!r} is not a valid name: use letters, digits and _, starting with a letter "
            "(like x, w1, z_2), and no Python keyword"
        )
    return name


def read_inputs(inputs: Any) -> tuple[str, ...]:
    """The input names, from one name or a list of different names."""
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"inputs must be a name or a list of names like ['x', 'w'], got {describe(inputs)}")
    if not inputs:
        raise ValueError("inputs must name at least one input node, got an empty list")
    names = tuple(check_name(n, f"inputs[{i}]") for i, n in enumerate(inputs))
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"inputs must be different names, got {duplicates} more than once")
    return names


def read_definitions(definitions: Any) -> dict[str, Any]:
    """Node name -> formula (not yet parsed), from a dict or a list of ``"name = formula"`` lines."""
    if isinstance(definitions, Mapping):
        items = list(definitions.items())
    elif isinstance(definitions, (list, tuple)):
        items = []
        for i, line in enumerate(definitions):
            if not isinstance(line, str) or line.count("=") != 1:
                raise ValueError(
                    f"definitions[{i}] must be a string 'name = formula' with one '=', "
                    f"like 'u = x**2', got {describe(line)}"
                )
            name, formula = (part.strip() for part in line.split("="))
            items.append((name, formula))
    else:
        raise TypeError(
            "definitions must be a dict like {'u': 'x**2', 'f': 'u*v'} or a list like "
            f"['u = x**2', 'f = u*v'], got {describe(definitions)} (type {type(definitions).__name__})"
        )
    if not items:
        raise ValueError("definitions must define at least one node, got none")
    result: dict[str, Any] = {}
    for i, (name, formula) in enumerate(items):
        check_name(name, f"node name (definition {i})")
        if name in result:
            raise ValueError(f"node {name!r} is defined twice")
        result[name] = formula
    return result


def parse_formula(name: str, formula: Any, local_names: dict[str, Any]) -> Any:
    """The SymPy expression of one node's formula (a string, a number or a SymPy expression)."""
    if isinstance(formula, sympy.Basic):
        expr = formula
    elif isinstance(formula, numbers.Real) and not isinstance(formula, bool):
        expr = sympy.nsimplify(formula)
    elif isinstance(formula, str):
        try:
            expr = sympy.sympify(formula, locals=dict(local_names), convert_xor=True)
        except (sympy.SympifyError, SyntaxError, TypeError, AttributeError) as error:
            raise ValueError(
                f"could not read the formula of {name!r}, {formula!r}; write it in Python notation, "
                f"like 'w*x + b' or 'sigmoid(z)' (multiplication needs *): {error}"
            ) from None
    else:
        raise TypeError(
            f"the formula of {name!r} must be a string like 'w*x + b' or a SymPy expression, "
            f"got {describe(formula)} (type {type(formula).__name__})"
        )
    if not isinstance(expr, sympy.Expr):
        raise ValueError(f"the formula of {name!r}, {formula!r}, is not an expression with a numeric value")
    return expr


@dataclass(frozen=True)
class Definitions:
    """A graph's definitions, read and checked: what :class:`~nnmath.graph.ComputationalGraph` is built from."""

    inputs: tuple[str, ...]
    symbols: dict[str, sympy.Symbol]  # every node's real symbol, inputs first
    expressions: dict[str, Any]  # computed node -> its formula in its parents' symbols
    parents: dict[str, tuple[str, ...]]  # node -> the nodes its formula uses
    order: tuple[str, ...]  # every node after its parents: inputs, then computed nodes


def read_graph(definitions: Any, inputs: Any, functions: dict[str, Any]) -> Definitions:
    """Read and check a graph's definitions; ``functions`` are the extra names a formula may call."""
    names_in = read_inputs(inputs)
    raw = read_definitions(definitions)
    for name in raw:
        if name in names_in:
            raise ValueError(f"{name!r} is listed as an input and also defined by a formula; "
                             "it must be one or the other")
    symbols = {n: sympy.Symbol(n, real=True) for n in [*names_in, *raw]}
    known = ", ".join(symbols)
    local_names = {**functions, **symbols}
    expressions: dict[str, Any] = {}
    parents: dict[str, tuple[str, ...]] = {n: () for n in names_in}
    position = {n: i for i, n in enumerate(symbols)}
    for name, formula in raw.items():
        expr = parse_formula(name, formula, local_names)
        unknown = sorted(s.name for s in expr.free_symbols if s.name not in symbols)
        if unknown:
            raise ValueError(
                f"the formula of {name!r} ({formula}) uses {unknown}, which is neither an input nor a node; "
                f"valid names are: {known}"
            )
        expr = expr.xreplace({s: symbols[s.name] for s in expr.free_symbols})
        undefined = sorted({type(f).__name__ for f in expr.atoms(sympy.core.function.AppliedUndef)})
        if undefined:
            raise ValueError(
                f"the formula of {name!r} ({formula}) calls unknown function(s) {undefined}; use functions "
                "SymPy knows (exp, log, sin, cos, tanh, ...) or sigmoid"
            )
        expressions[name] = expr
        parents[name] = tuple(sorted((s.name for s in expr.free_symbols), key=position.__getitem__))
    return Definitions(names_in, symbols, expressions, parents, topological_order(names_in, list(raw), parents))


def topological_order(inputs: tuple[str, ...], defined: list[str], parents: dict[str, tuple[str, ...]]
                      ) -> tuple[str, ...]:
    """Inputs, then the computed nodes, each after all of its parents; a cycle is named in a ValueError."""
    order = list(inputs)
    placed = set(inputs)
    remaining = list(defined)
    while remaining:
        ready = [n for n in remaining if all(p in placed for p in parents[n])]
        if not ready:
            raise ValueError(f"the definitions form a cycle: {' -> '.join(find_cycle(remaining, parents))}; "
                             "a node cannot depend on itself, directly or through other nodes")
        for n in ready:
            order.append(n)
            placed.add(n)
        remaining = [n for n in remaining if n not in placed]
    return tuple(order)


def find_cycle(remaining: list[str], parents: dict[str, tuple[str, ...]]) -> list[str]:
    """A cycle among ``remaining``, in the direction of the edges (each of them has a remaining parent)."""
    pending = set(remaining)
    walk = [remaining[0]]
    while True:
        nxt = next(p for p in parents[walk[-1]] if p in pending)
        if nxt in walk:
            cycle = walk[walk.index(nxt):] + [nxt]
            return cycle[::-1]
        walk.append(nxt)


def read_values(values: Any, inputs: tuple[str, ...], expressions: dict[str, Any]) -> dict[str, NDArray[np.float64]]:
    """One finite number (or array) per input, from a dict; any other key, or a missing input, is explained."""
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict of input values like {{'x': 1.0}}, got {describe(values)}")
    for key in values:
        if key not in inputs:
            if key in expressions:
                raise ValueError(
                    f"{key!r} is computed by the graph ({key} = {expressions[key]}), so it cannot be given a "
                    f"value; give values for the inputs only: {', '.join(inputs)}")
            raise ValueError(f"unknown name {key!r} in values; the inputs are: {', '.join(inputs)}")
    missing = [n for n in inputs if n not in values]
    if missing:
        raise ValueError(f"values is missing the input(s) {missing}; give a number for each of: "
                         f"{', '.join(inputs)}")
    return {n: _validate.as_array(values[n], f"values[{n!r}]") for n in inputs}
