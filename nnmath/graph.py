r"""Composite functions and a tiny computational graph: the chain rule, path by path.

Two tools for the chapter :ref:`chapter-chain-rule`:

* :func:`compose` chains functions of one variable, :math:`f = A \circ B \circ C`,
  and differentiates the chain with the chain rule,
  :math:`f'(x) = A'(B(C(x)))\, B'(C(x))\, C'(x)`.
* :class:`ComputationalGraph` holds named nodes, each defined by a SymPy
  expression of other nodes. It evaluates every node, gives each edge's
  *local* derivative, lists every path from one node to another, and adds up
  the products of local derivatives along the paths — the multi-path chain rule

  .. math:: \frac{\partial f}{\partial x} = \sum_{\text{paths } x \to f}\;
     \prod_{\text{edges } p \to c \text{ on the path}} \frac{\partial c}{\partial p}.

  :meth:`ComputationalGraph.backward` computes the same derivatives for every
  node at once by walking the graph from the output backwards and reusing the
  shared factors: backpropagation.

This module imports SymPy; ``import nnmath`` does not load it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy
from numpy.typing import ArrayLike, NDArray

from . import _validate
from ._graph_definitions import describe, read_graph, read_values
from .activations import sigmoid as _sigmoid
from .autograd import Value
from .functions import ScalarFunction

__all__ = [
    "ComputationalGraph",
    "Composite",
    "PathProduct",
    "Sigmoid",
    "compose",
    "short_latex",
]


# --- the logistic sigmoid as a SymPy function ----------------------------------------
_Z = sympy.Symbol("z", real=True)


class Sigmoid(sympy.Function):
    r"""The logistic sigmoid as a SymPy function, :math:`\sigma(z) = 1/(1 + e^{-z})`.

    See the chapter :ref:`chapter-chain-rule`.

    SymPy keeps it as :math:`\sigma(z)` and differentiates it as
    :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, so derivatives through a
    sigmoid stay short. ``expr.rewrite(sympy.exp)`` spells it out. In a
    :class:`ComputationalGraph` definition it is written ``sigmoid(z)``.
    Numerically (``sympy.lambdify``) it is evaluated by :data:`nnmath.sigmoid`,
    which never overflows; its spelled-out formula is ``nnmath.sigmoid.formula``.

    Examples
    --------
    >>> import sympy
    >>> from nnmath.graph import Sigmoid
    >>> z = sympy.Symbol("z")
    >>> sympy.diff(Sigmoid(z), z)
    (1 - sigmoid(z))*sigmoid(z)
    >>> Sigmoid(0), Sigmoid(z).rewrite(sympy.exp)
    (1/2, 1/(1 + exp(-z)))
    """

    nargs = 1
    # lambdify evaluates it with nnmath.sigmoid, which never overflows
    _imp_ = staticmethod(lambda z: _sigmoid(z))

    @classmethod
    def eval(cls, z: Any) -> Any:
        r"""SymPy's hook for automatic simplification: :math:`\sigma(0) = 1/2`, otherwise left as it is.

        SymPy calls it whenever a ``Sigmoid`` is made; there is no need to call it yourself.

        Parameters
        ----------
        z : sympy expression
            The argument.

        Returns
        -------
        sympy.Rational or None
            ``1/2`` when ``z`` is zero; ``None`` otherwise, which tells SymPy to
            keep :math:`\sigma(z)` unevaluated.

        Examples
        --------
        >>> import sympy
        >>> from nnmath.graph import Sigmoid
        >>> Sigmoid(0), Sigmoid.eval(sympy.Symbol("z")) is None
        (1/2, True)
        """
        if z.is_zero:
            return sympy.S.Half
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        r"""SymPy's hook for differentiation: :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`.

        The derivative with respect to the argument :math:`z`; ``sympy.diff``
        multiplies it by the derivative of :math:`z` (the chain rule).

        Parameters
        ----------
        argindex : int
            Which argument to differentiate by; the sigmoid has one, so 1.

        Returns
        -------
        sympy expression

        Examples
        --------
        >>> import sympy
        >>> from nnmath.graph import Sigmoid
        >>> z = sympy.Symbol("z")
        >>> Sigmoid(2 * z).fdiff()
        (1 - sigmoid(2*z))*sigmoid(2*z)
        >>> sympy.diff(Sigmoid(2 * z), z)
        2*(1 - sigmoid(2*z))*sigmoid(2*z)
        """
        s = Sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return _sigmoid.formula(_Z).xreplace({_Z: z})  # nnmath.sigmoid's formula, 1/(1 + e^(-z))

    def _eval_evalf(self, prec: int) -> Any:
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _sympystr(self, printer: Any) -> str:
        return f"sigmoid({printer._print(self.args[0])})"

    def _latex(self, printer: Any, exp: Any = None) -> str:
        text = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return text if exp is None else rf"{text}^{{{printer._print(exp)}}}"


class _SigmoidPrime(sympy.Function):
    """Only for display: :math:`\\sigma'(z)`, standing for :math:`\\sigma(z)(1 - \\sigma(z))`."""

    nargs = 1

    def _latex(self, printer: Any, exp: Any = None) -> str:
        text = rf"\sigma'\left({printer._print(self.args[0])}\right)"
        return text if exp is None else rf"{text}^{{{printer._print(exp)}}}"


def short_latex(expr: Any) -> str:
    r"""LaTeX for an expression, with :math:`\sigma(z)(1 - \sigma(z))` written :math:`\sigma'(z)`.

    See the chapter :ref:`chapter-chain-rule`.

    Used to label the edges of a drawn graph with short local derivatives.

    Parameters
    ----------
    expr : sympy expression

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> from nnmath.graph import Sigmoid, short_latex
    >>> z, w = sympy.symbols("z w")
    >>> short_latex(w * Sigmoid(z) * (1 - Sigmoid(z)))
    "w \\sigma'\\left(z\\right)"
    """
    expr = _validate.expression(expr, "expr")
    shorter = {s * (1 - s): _SigmoidPrime(s.args[0]) for s in expr.atoms(Sigmoid)}
    return sympy.latex(expr.subs(shorter) if shorter else expr)


# --- composite functions of one variable ------------------------------------------------
class Composite(ScalarFunction):
    r"""A chain of functions of one variable, applied right to left: ``functions[0]`` is outermost.

    See the chapter :ref:`chapter-chain-rule`.

    Made by :func:`compose`. Besides the value, derivative and formula of every
    :class:`~nnmath.functions.ScalarFunction` it can show the inside of the
    chain: :meth:`inner_values` (what each function is fed) and :meth:`factors`
    (each function's derivative at that point, the factors of the chain rule).

    Parameters
    ----------
    functions : sequence of ScalarFunction
        Outermost first.

    Raises
    ------
    TypeError
        If an entry of ``functions`` is not a :class:`~nnmath.ScalarFunction`.
    ValueError
        If ``functions`` is empty.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.graph import compose
    >>> chain = compose(nnmath.sigmoid, nnmath.quadratic(1.0))
    >>> chain.inner_values(1.0), chain.factors(1.0)
    (array([1., 1.]), array([0.19661193, 2.        ]))
    """

    def __init__(self, functions: Sequence[ScalarFunction]) -> None:
        if isinstance(functions, (ScalarFunction, str)) or not isinstance(functions, Sequence):
            raise TypeError(
                "functions must be a list of nnmath ScalarFunctions, outermost first, "
                f"got {functions!r} (type {type(functions).__name__})"
            )
        if not functions:
            raise ValueError(
                "functions must hold at least one function, for example Composite([nnmath.sigmoid, nnmath.tanh])"
            )
        for position, f in enumerate(functions):
            if not isinstance(f, ScalarFunction):
                raise TypeError(
                    f"functions[{position}] must be an nnmath ScalarFunction such as nnmath.sigmoid, "
                    f"got {f!r} (type {type(f).__name__})"
                )
        self.functions = tuple(functions)
        names = " ∘ ".join(f.name for f in self.functions)
        latex = r"(" + r" \circ ".join(f.latex for f in self.functions) + r")"
        super().__init__(names, self._chain_value, self._chain_derivative, self._chain_formula, latex=latex)

    def _inner(self, x: NDArray[np.float64]) -> list[NDArray[np.float64]]:
        # inputs[k] is what functions[k] is fed; the innermost function is fed x itself.
        inputs = [x]
        for f in reversed(self.functions[1:]):
            inputs.append(np.asarray(f._value(inputs[-1]), dtype=np.float64))
        return inputs[::-1]

    def _chain_value(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.functions[0]._value(self._inner(x)[0])

    def _chain_derivative(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.prod(self._factors(x), axis=0)

    def _factors(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        inputs = self._inner(x)
        return np.stack([np.asarray(f._derivative(u), dtype=np.float64) for f, u in zip(self.functions, inputs)])

    def _chain_formula(self, symbol: Any) -> Any:
        expr = symbol
        for f in reversed(self.functions):
            expr = f.formula(symbol).xreplace({symbol: expr})
        return expr

    def inner_values(self, x: ArrayLike) -> NDArray[np.float64]:
        r"""What each function of the chain is fed at ``x``, outermost first.

        For :math:`A(B(C(x)))` these are :math:`B(C(x))`, :math:`C(x)`, :math:`x`.

        Parameters
        ----------
        x : float or array_like

        Returns
        -------
        ndarray, shape ``(n_functions,) + np.shape(x)``

        Raises
        ------
        TypeError, ValueError
            If ``x`` is not finite numbers.

        Examples
        --------
        For :math:`f(x) = (2x^2)^2`, that is :math:`A(B(x))` with :math:`A(u) = u^2`
        and :math:`B(x) = 2x^2`:

        >>> import nnmath
        >>> from nnmath.graph import compose
        >>> f = compose(nnmath.quadratic(1.0), nnmath.quadratic(2.0))
        >>> f.inner_values(1.0)
        array([2., 1.])
        >>> f.inner_values([1.0, 2.0])
        array([[2., 8.],
               [1., 2.]])
        """
        return np.stack(self._inner(_validate.as_array(x, "x")))

    def factors(self, x: ArrayLike) -> NDArray[np.float64]:
        r"""The factors of the chain rule at ``x``, outermost first.

        For :math:`A(B(C(x)))` these are :math:`A'(B(C(x)))`, :math:`B'(C(x))`,
        :math:`C'(x)`; their product is the derivative.

        Parameters
        ----------
        x : float or array_like

        Returns
        -------
        ndarray, shape ``(n_functions,) + np.shape(x)``

        Raises
        ------
        TypeError, ValueError
            If ``x`` is not finite numbers.

        Examples
        --------
        For :math:`f(x) = (2x^2)^2` at :math:`x = 1`: :math:`A'(B(1)) = 2 \cdot 2`
        and :math:`B'(1) = 4 \cdot 1`, whose product is :math:`f'(1) = 16x^3 = 16`.

        >>> import nnmath
        >>> from nnmath.graph import compose
        >>> f = compose(nnmath.quadratic(1.0), nnmath.quadratic(2.0))
        >>> f.factors(1.0), float(f.derivative(1.0))
        (array([4., 4.]), 16.0)
        """
        return self._factors(_validate.as_array(x, "x"))

    def __repr__(self) -> str:
        return f"<nnmath composite {self.name}>"


def compose(*functions: ScalarFunction) -> Composite:
    r"""Chain functions of one variable: ``compose(A, B, C)`` is :math:`x \mapsto A(B(C(x)))`.

    Its derivative is computed with the chain rule from the functions' own derivatives,

    .. math:: (A \circ B \circ C)'(x) = A'(B(C(x)))\; B'(C(x))\; C'(x),

    and its formula is the functions' formulas substituted into each other.
    See the chapter :ref:`chapter-chain-rule`.

    Parameters
    ----------
    *functions : ScalarFunction
        One or more functions, outermost first (as written in :math:`A(B(C(x)))`).

    Returns
    -------
    Composite
        A :class:`~nnmath.functions.ScalarFunction` with ``.factors(x)`` and
        ``.inner_values(x)`` besides the usual value, derivative and formula.

    Raises
    ------
    TypeError
        If an argument is not an nnmath ScalarFunction.
    ValueError
        If no function is given.

    Examples
    --------
    >>> import sympy, nnmath
    >>> from nnmath.graph import compose
    >>> f = compose(nnmath.sigmoid, nnmath.tanh, nnmath.quadratic(1.0))
    >>> f.formula(sympy.Symbol("x"))
    1/(1 + exp(-tanh(x**2)))
    >>> [round(float(v), 4) for v in f.factors(0.8)]
    [0.2311, 0.6809, 1.6]
    >>> round(float(f.derivative(0.8)), 4)
    0.2517
    """
    if not functions:
        raise ValueError("compose needs at least one function, for example compose(nnmath.sigmoid, nnmath.tanh)")
    return Composite(list(functions))


# --- the computational graph -------------------------------------------------------------
@dataclass(frozen=True)
class PathProduct:
    r"""One path through a :class:`ComputationalGraph` and its product of local derivatives.

    See the chapter :ref:`chapter-chain-rule`.

    Attributes
    ----------
    path : tuple of str
        The node names from the source to the target.
    local_derivatives : tuple of SymPy expressions
        :math:`\partial c / \partial p` for each edge :math:`p \to c` on the path, in order.
    factors : tuple of float
        Their values at the point.
    product : float
        The product of the factors: this path's contribution to the total derivative.

    Examples
    --------
    >>> from nnmath.graph import ComputationalGraph
    >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
    >>> first = g.path_products("x", "f", {"x": 1.0})[0]
    >>> first.path, round(first.product, 6)
    (('x', 'u', 'f'), 1.682942)
    """

    path: tuple[str, ...]
    local_derivatives: tuple[Any, ...]
    factors: tuple[float, ...]
    product: float

    def __str__(self) -> str:
        numbers_ = " × ".join(f"{v:.6g}" for v in self.factors) or "1 (empty path)"
        return f"{' → '.join(self.path)}: {numbers_} = {self.product:.6g}"

    def __repr__(self) -> str:
        return f"PathProduct({' → '.join(self.path)}: {self.product:.6g})"


class ComputationalGraph:
    r"""Named nodes, each computed from other nodes by a formula: a computational graph.

    The inputs are given numbers; every other node is defined by a SymPy
    expression of the nodes it is computed from, its *parents*. An edge
    :math:`p \to c` runs from each parent :math:`p` to the node :math:`c` it
    feeds, and carries the *local derivative* :math:`\partial c / \partial p`
    (the derivative of :math:`c`'s own formula, the other parents held fixed).

    The derivative of a node :math:`f` with respect to an earlier node
    :math:`x` is the sum, over every path from :math:`x` to :math:`f`, of the
    product of the local derivatives along the path (the multi-path chain rule):
    :meth:`paths`, :meth:`path_products`, :meth:`total_derivative`. SymPy gives
    the same derivative from the composed formula, :meth:`symbolic_total_derivative`;
    :meth:`backward` computes it for all nodes at once, reusing shared factors.
    See the chapter :ref:`chapter-chain-rule`.

    Parameters
    ----------
    definitions : mapping or sequence of str
        The computed nodes, either ``{"u": "x**2", "v": "sin(x)", "f": "u*v"}``
        or ``["u = x**2", "v = sin(x)", "f = u*v"]``, in any order. Each formula
        is a string in Python notation (``**`` for powers, ``*`` for products)
        or a SymPy expression. It may use the inputs, other nodes, numbers, the
        functions SymPy knows (``exp``, ``log``, ``sin``, ``tanh``, ...) and
        ``sigmoid`` (:class:`Sigmoid`).
    inputs : str or sequence of str
        The names of the input nodes, which are given values.

    Raises
    ------
    TypeError
        If ``definitions`` or ``inputs`` have the wrong type.
    ValueError
        If a name is invalid or defined twice, a formula cannot be read or uses
        a name that is neither an input nor a node (the valid names are listed)
        or an unknown function, or the definitions form a cycle.

    Examples
    --------
    >>> from nnmath.graph import ComputationalGraph
    >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], inputs="x")
    >>> g.paths("x", "f")
    [('x', 'u', 'f'), ('x', 'v', 'f')]
    >>> g.local_derivative("u", "f"), g.local_derivative("x", "v")
    (v, cos(x))
    >>> g.symbolic_total_derivative("x", "f")
    x**2*cos(x) + 2*x*sin(x)
    >>> round(g.total_derivative("x", "f", {"x": 1.0}), 6)
    2.223244
    """

    def __init__(self, definitions: Mapping[str, Any] | Sequence[str], inputs: str | Sequence[str]) -> None:
        read = read_graph(definitions, inputs, {"sigmoid": Sigmoid, "Sigmoid": Sigmoid})
        self.inputs: tuple[str, ...] = read.inputs
        self.nodes: tuple[str, ...] = read.order
        self._symbols = read.symbols
        self._exprs = read.expressions
        self._parents = read.parents
        self._children = {n: tuple(c for c in self.nodes if n in read.parents[c]) for n in self.nodes}
        self.outputs: tuple[str, ...] = tuple(n for n in self.nodes if n not in self.inputs and not self._children[n])
        self._local: dict[tuple[str, str], Any] = {}
        self._numeric: dict[str, Callable] = {}
        self._numeric_local: dict[tuple[str, str], Callable] = {}
        self._composed: dict[str, Any] = {}

    # --- structure -------------------------------------------------------------------
    def _node(self, name: Any, what: str = "node") -> str:
        if not isinstance(name, str):
            raise TypeError(f"{what} must be a node name (str), got {describe(name)}")
        if name not in self._symbols:
            raise ValueError(f"unknown {what} {name!r}; the nodes are: {', '.join(self.nodes)}")
        return name

    def symbol(self, name: str) -> sympy.Symbol:
        """The SymPy symbol of a node (real-valued).

        Parameters
        ----------
        name : str
            A node: an input or a computed node.

        Returns
        -------
        sympy.Symbol
            The symbol that stands for the node in the formulas, declared real.

        Raises
        ------
        TypeError, ValueError
            If ``name`` is not the name of a node of the graph (the nodes are listed).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
        >>> g.symbol("u"), g.symbol("u").is_real
        (u, True)
        """
        return self._symbols[self._node(name)]

    def parents(self, name: str) -> tuple[str, ...]:
        """The nodes that ``name`` is computed from (empty for an input).

        Parameters
        ----------
        name : str
            A node.

        Returns
        -------
        tuple of str
            Its parents: inputs in the order they were given, then computed
            nodes in the order they were defined.

        Raises
        ------
        TypeError, ValueError
            If ``name`` is not the name of a node of the graph (the nodes are listed).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
        >>> g.parents("f"), g.parents("x")
        (('u', 'v'), ())
        """
        return self._parents[self._node(name)]

    def children(self, name: str) -> tuple[str, ...]:
        """The nodes computed from ``name`` (empty for an output).

        Parameters
        ----------
        name : str
            A node.

        Returns
        -------
        tuple of str
            Its children, in the order of the graph's ``nodes``.

        Raises
        ------
        TypeError, ValueError
            If ``name`` is not the name of a node of the graph (the nodes are listed).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
        >>> g.children("x"), g.children("f")
        (('u', 'v'), ())
        """
        return self._children[self._node(name)]

    @property
    def edges(self) -> list[tuple[str, str]]:
        """Every edge ``(parent, child)``, in the order of the nodes.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x").edges
        [('x', 'u'), ('x', 'v'), ('u', 'f'), ('v', 'f')]
        """
        return [(p, c) for c in self.nodes for p in self._parents[c]]

    def expression(self, name: str) -> Any:
        """The formula of a node in its parents' symbols (an input is its own symbol).

        Parameters
        ----------
        name : str
            A node.

        Returns
        -------
        sympy expression
            The node's own definition; :meth:`composed` substitutes the
            definitions of its parents too.

        Raises
        ------
        TypeError, ValueError
            If ``name`` is not the name of a node of the graph (the nodes are listed).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
        >>> g.expression("f"), g.expression("x")
        (u*v, x)
        """
        name = self._node(name)
        return self._exprs.get(name, self._symbols[name])

    def composed(self, name: str) -> Any:
        """The formula of a node with every definition substituted: an expression of the inputs only.

        Parameters
        ----------
        name : str
            A node.

        Returns
        -------
        sympy expression
            An expression in the symbols of the inputs.

        Raises
        ------
        TypeError, ValueError
            If ``name`` is not the name of a node of the graph (the nodes are listed).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> definitions = {"z": "w*x + b", "a": "sigmoid(z)"}
        >>> ComputationalGraph(definitions, ["x", "w", "b"]).composed("a")
        sigmoid(b + w*x)
        """
        name = self._node(name)
        if name not in self._composed:
            for node in self.nodes:  # in order: parents are composed before their children
                if node not in self._composed:
                    expr = self.expression(node)
                    self._composed[node] = expr.xreplace(
                        {self._symbols[p]: self._composed[p] for p in self._parents[node]})
        return self._composed[name]

    def layers(self) -> list[list[str]]:
        """The nodes grouped by depth, for drawing the graph from left to right.

        A computed node's depth is one more than its deepest parent. An input
        (or a node without parents) sits one layer before its first child, so
        that a weight is drawn next to the node that uses it.

        Returns
        -------
        list of list of str
            The layers from left to right, each in the order of the graph's ``nodes``.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["z = w*x", "loss = (z - t)**2"], ["x", "w", "t"])
        >>> g.layers()
        [['x', 'w'], ['t', 'z'], ['loss']]
        """
        depth: dict[str, int] = {}
        for node in self.nodes:
            if self._parents[node]:
                depth[node] = 1 + max(depth[p] for p in self._parents[node])
            else:
                depth[node] = 0
        for node in reversed(self.nodes):  # pull sources right, next to their first child
            if not self._parents[node] and self._children[node]:
                depth[node] = max(0, min(depth[c] for c in self._children[node]) - 1)
        n_layers = max(depth.values()) + 1
        return [[n for n in self.nodes if depth[n] == d] for d in range(n_layers) if any(
            depth[n] == d for n in self.nodes)]

    # --- local derivatives -----------------------------------------------------------
    def local_derivative(self, parent: str, child: str) -> Any:
        r"""The local derivative :math:`\partial\,\text{child} / \partial\,\text{parent}` of one edge.

        The derivative of the child's own formula with respect to the parent,
        the child's other parents held fixed; an expression of the child's parents.

        Parameters
        ----------
        parent, child : str
            The two ends of an edge: ``parent`` is one of the nodes ``child``
            is computed from.

        Returns
        -------
        sympy expression

        Raises
        ------
        ValueError
            If a name is unknown or ``parent`` does not feed ``child`` (its parents are listed).
        TypeError
            If a name is not a string.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = sin(x)", "f = u*v"], "x")
        >>> g.local_derivative("u", "f"), g.local_derivative("x", "v")
        (v, cos(x))
        """
        parent = self._node(parent, "parent")
        child = self._node(child, "child")
        if parent not in self._parents[child]:
            feeds = ", ".join(self._parents[child]) or "none: it is an input"
            raise ValueError(f"there is no edge {parent} -> {child}; the parents of {child!r} are: {feeds}")
        key = (parent, child)
        if key not in self._local:
            self._local[key] = sympy.diff(self._exprs[child], self._symbols[parent])
        return self._local[key]

    # --- numbers ---------------------------------------------------------------------
    def _read_values(self, values: Any) -> dict[str, NDArray[np.float64]]:
        return read_values(values, self.inputs, self._exprs)

    def _function_of(self, name: str) -> Callable:
        if name not in self._numeric:
            args = [self._symbols[p] for p in self._parents[name]]
            self._numeric[name] = sympy.lambdify(args, self._exprs[name], modules="numpy")
        return self._numeric[name]

    def _forward(self, inputs: dict[str, NDArray[np.float64]], override: dict[str, Any] | None = None
                 ) -> dict[str, NDArray[np.float64]]:
        result: dict[str, NDArray[np.float64]] = dict(inputs)
        override = override or {}
        for node in self.nodes:
            if node in override:
                result[node] = np.asarray(override[node], dtype=np.float64)
                continue
            if node in inputs:
                continue
            with np.errstate(all="ignore"):
                value = np.asarray(self._function_of(node)(*(result[p] for p in self._parents[node])),
                                   dtype=np.float64)
            if not np.all(np.isfinite(value)):
                raise ValueError(
                    f"node {node!r} = {self._exprs[node]} is not finite ({value}) at this point; "
                    "check the input values (a log of a negative number? a division by 0?)"
                )
            result[node] = value
        return result

    @staticmethod
    def _shape(values: dict[str, NDArray[np.float64]]) -> tuple[int, ...]:
        return np.broadcast_shapes(*(v.shape for v in values.values()))

    @staticmethod
    def _plain(values: dict[str, NDArray[np.float64]]) -> dict[str, Any]:
        return {k: (float(v) if v.ndim == 0 else v) for k, v in values.items()}

    def evaluate(self, values: Mapping[str, ArrayLike]) -> dict[str, Any]:
        """The value of every node, given a value for every input (the forward pass).

        Parameters
        ----------
        values : dict
            One number for each input, ``{"x": 1.0, ...}``. Arrays of one shape
            are evaluated elementwise.

        Returns
        -------
        dict
            Node name -> value (a float, or an array shaped like the inputs), inputs included.

        Raises
        ------
        TypeError, ValueError
            If an input is missing or not a number, a name is not an input, or
            a node's value is not finite (the node is named).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "f = 3*u"], "x")
        >>> g.evaluate({"x": 2.0})
        {'x': 2.0, 'u': 4.0, 'f': 12.0}
        """
        return self._plain(self._forward(self._read_values(values)))

    def edge_derivatives(self, values: Mapping[str, ArrayLike]) -> dict[tuple[str, str], Any]:
        r"""The value of every edge's local derivative :math:`\partial c / \partial p` at a point.

        Parameters
        ----------
        values : dict
            One number for each input, as for :meth:`evaluate`.

        Returns
        -------
        dict
            ``(parent, child)`` -> value, for every edge: a float, or an array
            shaped like the inputs.

        Raises
        ------
        TypeError, ValueError
            As for :meth:`evaluate`, and if a local derivative is not finite
            at the point (the edge is named).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> g.edge_derivatives({"x": 2.0})
        {('x', 'u'): 4.0, ('x', 'v'): 3.0, ('u', 'f'): 6.0, ('v', 'f'): 4.0}
        """
        return self._plain(self._edge_values(self._forward(self._read_values(values))))

    def _edge_values(self, node_values: dict[str, NDArray[np.float64]]) -> dict[tuple[str, str], NDArray[np.float64]]:
        result = {}
        for parent, child in self.edges:
            key = (parent, child)
            if key not in self._numeric_local:
                args = [self._symbols[p] for p in self._parents[child]]
                self._numeric_local[key] = sympy.lambdify(args, self.local_derivative(parent, child), modules="numpy")
            with np.errstate(all="ignore"):
                value = self._numeric_local[key](*(node_values[p] for p in self._parents[child]))
            value = np.broadcast_to(np.asarray(value, dtype=np.float64), self._shape(node_values)).copy()
            if not np.all(np.isfinite(value)):
                raise ValueError(f"the local derivative d{child}/d{parent} = {self.local_derivative(parent, child)} "
                                 f"is not finite ({value}) at this point")
            result[key] = value
        return result

    # --- paths and the multi-path chain rule ---------------------------------------------
    def paths(self, source: str, target: str) -> list[tuple[str, ...]]:
        """Every path from ``source`` to ``target`` along the edges, as tuples of node names.

        ``[(source,)]`` when they are the same node; ``[]`` when ``target`` does
        not depend on ``source``. The number of paths can grow exponentially
        with depth: this is meant for small graphs.

        Parameters
        ----------
        source, target : str
            Node names.

        Returns
        -------
        list of tuple of str
            Each path as its node names, from ``source`` to ``target``.

        Raises
        ------
        TypeError, ValueError
            If ``source`` or ``target`` is not the name of a node.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = 2*x", "f = u + x"], "x")
        >>> g.paths("x", "f")
        [('x', 'u', 'f'), ('x', 'f')]
        >>> g.paths("f", "x"), g.paths("x", "x")
        ([], [('x',)])
        """
        source = self._node(source, "source")
        target = self._node(target, "target")
        # Depth first, children in their order. A stack rather than a recursive
        # inner function: one that calls itself is a reference cycle, which kept
        # the graph (and its lambdified functions) alive until the garbage
        # collector ran, instead of freeing it when the last name went away.
        found: list[tuple[str, ...]] = []
        stack = [(source,)]
        while stack:
            path = stack.pop()
            if path[-1] == target:
                found.append(path)
                continue
            stack.extend(path + (child,) for child in reversed(self._children[path[-1]]))
        return found

    def path_products(self, source: str, target: str, values: Mapping[str, ArrayLike]) -> list[PathProduct]:
        r"""For every path from ``source`` to ``target``: its local derivatives and their product.

        Parameters
        ----------
        source, target : str
            Node names; ``target`` should depend on ``source``.
        values : dict
            One number for each input (not arrays: see :meth:`backward`).

        Returns
        -------
        list of PathProduct
            In the order of :meth:`paths`. ``print`` one to see its factors.

        Raises
        ------
        TypeError, ValueError
            If a name is not a node, an input is missing or given an array,
            or a node or local derivative is not finite at the point.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> for term in g.path_products("x", "f", {"x": 2.0}):
        ...     print(term)
        x → u → f: 4 × 6 = 24
        x → v → f: 3 × 4 = 12
        """
        paths = self.paths(source, target)
        inputs = self._read_values(values)
        arrays = [name for name, value in inputs.items() if value.ndim]
        if arrays:
            raise ValueError(f"path_products and total_derivative need one number per input, got arrays for "
                             f"{arrays}; for many points use backward(), which works elementwise")
        node_values = self._forward(inputs)
        edge_values = self._edge_values(node_values)
        terms = []
        for path in paths:
            edges = list(zip(path[:-1], path[1:]))
            factors = tuple(float(edge_values[e]) for e in edges)
            terms.append(PathProduct(path, tuple(self.local_derivative(*e) for e in edges), factors,
                                     float(math.prod(factors))))
        return terms

    def total_derivative(self, source: str, target: str, values: Mapping[str, ArrayLike]) -> float:
        r"""The derivative of ``target`` with respect to ``source``: the sum of the path products.

        .. math:: \frac{\partial\,\text{target}}{\partial\,\text{source}} =
           \sum_{\text{paths}} \prod_{\text{edges } p \to c} \frac{\partial c}{\partial p}

        0.0 when ``target`` does not depend on ``source``.

        Parameters
        ----------
        source, target : str
        values : dict
            One number for each input.

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            As for :meth:`path_products`.

        Examples
        --------
        For :math:`f = u v` with :math:`u = x^2`, :math:`v = 3x`, at :math:`x = 2`:
        :math:`4 \cdot 6 + 3 \cdot 4 = 36`, which is :math:`(3x^3)' = 9x^2` at 2.

        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> g.total_derivative("x", "f", {"x": 2.0})
        36.0
        """
        return float(sum(term.product for term in self.path_products(source, target, values)))

    def symbolic_total_derivative(self, source: str, target: str, method: str = "composition") -> Any:
        r"""The derivative of ``target`` with respect to ``source`` as a SymPy expression of the inputs.

        Parameters
        ----------
        source, target : str
        method : {"composition", "paths"}
            ``"composition"``: substitute the definitions into ``target``'s
            formula and let SymPy differentiate it (for a computed ``source``,
            only the nodes that depend on it are substituted, and ``source``
            is treated as a variable). ``"paths"``: the sum over paths of the
            products of local derivatives, then every node written in terms
            of the inputs. The two agree: that is the multi-path chain rule.

        Returns
        -------
        sympy expression

        Raises
        ------
        TypeError, ValueError
            If ``source`` or ``target`` is not a node, or ``method`` is unknown.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> g.symbolic_total_derivative("x", "f")
        9*x**2
        >>> g.symbolic_total_derivative("x", "f", method="paths")
        9*x**2
        >>> g.symbolic_total_derivative("u", "f")  # u as a variable: df/du = v = 3x
        3*x
        """
        source = self._node(source, "source")
        target = self._node(target, "target")
        _validate.choice(method, "method", ("composition", "paths"))
        everything = {self._symbols[n]: self.composed(n) for n in self.nodes if n not in self.inputs}
        if method == "paths":
            total = sympy.Add(*[sympy.Mul(*[self.local_derivative(p, c) for p, c in zip(path[:-1], path[1:])])
                                for path in self.paths(source, target)])
            return total.xreplace(everything)
        downstream = self._descendants(source)
        expr = self._symbols[target]
        for node in reversed(self.nodes):  # substitute the nodes that depend on source, latest first
            if node in downstream:
                expr = expr.xreplace({self._symbols[node]: self._exprs[node]})
        return sympy.diff(expr, self._symbols[source]).xreplace(everything)

    def _descendants(self, name: str) -> set[str]:
        found: set[str] = set()
        stack = list(self._children[name])
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self._children[node])
        return found

    def function(self, target: str, source: str, values: Mapping[str, ArrayLike]) -> Callable[[ArrayLike], Any]:
        r"""``target`` as a function of ``source`` alone, everything else as at ``values``.

        For a computed ``source`` the returned function sets that node to the
        given value and recomputes what depends on it. Pass the result to
        :func:`nnmath.numerical_derivative` for a finite-difference check of
        :meth:`total_derivative`.

        Parameters
        ----------
        target, source : str
        values : dict
            One number for each input: the point.

        Returns
        -------
        callable
            ``s -> value of target`` when ``source`` is ``s`` (numbers or arrays, elementwise).

        Examples
        --------
        >>> import nnmath
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> f_of_x = g.function("f", "x", {"x": 2.0})
        >>> float(f_of_x(2.0))
        24.0
        >>> round(float(nnmath.numerical_derivative(f_of_x, 2.0)), 6)
        36.0
        """
        target = self._node(target, "target")
        source = self._node(source, "source")
        inputs = self._read_values(values)

        def of_source(s: ArrayLike) -> Any:
            value = _validate.as_array(s, source)
            if source in self.inputs:
                result = self._forward({**inputs, source: value})
            else:
                result = self._forward(inputs, override={source: value})
            out = result[target]
            return float(out) if out.ndim == 0 else out

        return of_source

    # --- backwards, reusing shared factors ------------------------------------------------
    def backward(self, target: str, values: Mapping[str, ArrayLike]) -> dict[str, float]:
        r"""The derivative of ``target`` with respect to every node, from the output backwards.

        Starting from :math:`\partial t / \partial t = 1`, each node, visited in
        reverse order, collects from each of its children the child's
        derivative times the local derivative of the edge:

        .. math:: \frac{\partial t}{\partial p} = \sum_{c \in \text{children}(p)}
           \frac{\partial t}{\partial c}\, \frac{\partial c}{\partial p}.

        Each edge is used once, so shared factors (the :math:`\delta` of a
        network) are computed once and reused: this is backpropagation. The
        sweep is :meth:`nnmath.autograd.Value.backward`, run on the graph's
        nodes as Values that hold the local derivatives of their edges. The
        result equals :meth:`total_derivative` for every node.

        Parameters
        ----------
        target : str
        values : dict
            One number for each input.

        Returns
        -------
        dict
            Node name -> :math:`\partial\,\text{target} / \partial\,\text{node}`
            (0.0 for nodes that do not influence ``target``).

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> g = ComputationalGraph(["u = x**2", "v = 3*x", "f = u*v"], "x")
        >>> g.backward("f", {"x": 2.0})
        {'x': 36.0, 'u': 6.0, 'v': 4.0, 'f': 1.0}
        """
        target = self._node(target, "target")
        node_values = self._forward(self._read_values(values))
        edge_values = self._edge_values(node_values)
        shape = self._shape(node_values)
        adjoint = {n: np.zeros(shape) for n in self.nodes}  # d target / d node
        for point in np.ndindex(shape):  # one scalar graph per point
            scalar = self._as_values(node_values, edge_values, point)
            scalar[target].backward()  # nnmath.autograd's one backward sweep
            for n in self.nodes:
                adjoint[n][point] = scalar[n].grad
        return self._plain(adjoint)

    def _as_values(self, node_values: Mapping[str, Any], edge_values: Mapping[tuple[str, str], Any],
                   point: tuple[int, ...]) -> dict[str, Value]:
        # The graph at one point as nnmath.autograd Values, each holding its edges' local derivatives.
        shape = np.broadcast_shapes(*(np.shape(v) for v in node_values.values()))
        nodes: dict[str, Value] = {}
        for n in self.nodes:  # parents before children
            parents = self._parents[n]
            data = float(np.broadcast_to(node_values[n], shape)[point])
            local = [float(np.broadcast_to(edge_values[(p, n)], shape)[point]) for p in parents]  # ∂n/∂p
            nodes[n] = Value(data, n, inputs=[nodes[p] for p in parents], local=local, op=n)
        return nodes

    def multiplication_counts(self, target: str, sources: str | Sequence[str] | None = None) -> dict[str, int]:
        r"""How many multiplications the derivatives of ``target`` cost: path by path, or reusing shared factors.

        Both ways start from the same local derivatives (one per edge); only
        the multiplications that combine them are counted.

        * ``"per_path"``: every path from every source is multiplied out on
          its own — a path of :math:`k` edges costs :math:`k - 1` multiplications.
        * ``"backward"``: :meth:`backward`, which multiplies each edge on the
          way from the sources to ``target`` once by its child's derivative
          (except edges into ``target`` itself, whose child's derivative is 1).

        Parameters
        ----------
        target : str
        sources : str or sequence of str, optional
            The nodes whose derivatives are wanted; by default every input.

        Returns
        -------
        dict
            ``{"paths": number of paths, "per_path": ..., "backward": ...}``.

        Raises
        ------
        TypeError
            If ``target`` or a source is not a node name, or ``sources`` is not a name or a list of names.
        ValueError
            If a node is unknown.

        Examples
        --------
        >>> from nnmath.graph import ComputationalGraph
        >>> definitions = ["u = a*x", "v = sin(u)", "f = b*v"]
        >>> g = ComputationalGraph(definitions, ["x", "a", "b"])
        >>> g.multiplication_counts("f")
        {'paths': 3, 'per_path': 4, 'backward': 3}
        """
        target = self._node(target, "target")
        if sources is None:
            sources = self.inputs
        elif isinstance(sources, str):
            sources = [sources]
        elif not isinstance(sources, (list, tuple)):
            raise TypeError(f"sources must be a node name or a list of them, got {describe(sources)}")
        sources = [self._node(s, f"sources[{i}]") for i, s in enumerate(sources)]
        all_paths = [p for s in sources for p in self.paths(s, target)]
        per_path = sum(max(len(p) - 2, 0) for p in all_paths)
        used_edges = {(a, b) for p in all_paths for a, b in zip(p[:-1], p[1:])}
        backward = sum(1 for _, child in used_edges if child != target)
        return {"paths": len(all_paths), "per_path": per_path, "backward": backward}

    # --- display -----------------------------------------------------------------------
    def __str__(self) -> str:
        lines = [f"inputs: {', '.join(self.inputs)}"]
        lines += [f"{n} = {sympy.sstr(self._exprs[n])}" for n in self.nodes if n not in self.inputs]
        return "\n".join(lines)

    def __repr__(self) -> str:
        body = "; ".join(f"{n} = {sympy.sstr(self._exprs[n])}" for n in self.nodes if n not in self.inputs)
        return f"ComputationalGraph(inputs: {', '.join(self.inputs)}; {body})"

    def _repr_latex_(self) -> str:
        rows = [rf"{sympy.latex(self._symbols[n])} &= {sympy.latex(self._exprs[n])}"
                for n in self.nodes if n not in self.inputs]
        return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"
