r"""Automatic differentiation of scalar expressions: reverse mode (:class:`Value`) and forward mode (:class:`Dual`).

See the chapter :ref:`chapter-automatic-differentiation`.

Every operation is written once, in the class ``_Operations``, as two things side by
side: the number it computes and its *local derivatives*, the partial
derivative of its result with respect to each of its inputs. The two modes
differ only in which way they use them.

* :class:`Value` (reverse mode) records each result as a node of a graph with
  its inputs and local derivatives. :meth:`Value.backward` then walks the graph
  from the output back to the inputs and applies the chain rule once per edge,

  .. math:: \bar p \mathrel{+}= \frac{\partial c}{\partial p}\, \bar c,

  where :math:`\bar c = \partial\,\text{output} / \partial c` (the *adjoint*).
  One backward pass gives the derivative with respect to every input.
* :class:`Dual` (forward mode) carries one derivative, the *tangent*
  :math:`\dot c = \partial c / \partial x` for one chosen input :math:`x`, along
  with each value: :math:`\dot c = \sum_p \frac{\partial c}{\partial p}\, \dot p`.
  One forward pass gives the derivative with respect to one input.

This module imports only the standard library and ``nnmath.activations``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterator, Sequence

from .activations import relu, sigmoid

__all__ = ["Dual", "Value"]


def _number(data: Any, what: str) -> float:
    """``data`` as a finite float, or a TypeError/ValueError that names it."""
    if isinstance(data, bool) or not isinstance(data, numbers.Real):
        raise TypeError(f"{what} must be a real number (int or float), got {data!r} (type {type(data).__name__})")
    try:
        value = float(data)
    except OverflowError:  # a Python int beyond float64
        raise ValueError(f"{what} must be within float64's range, got an integer with {len(str(abs(data)))} digits") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return value


class _Operations:
    """The operations of :class:`Value` and :class:`Dual`: each result beside its local derivatives.

    A subclass says what to do with them in ``_result(data, inputs, local)``:
    ``local[i]`` is the partial derivative of ``data`` with respect to ``inputs[i]``.
    """

    data: float
    _symbol = "?"

    def _result(self, data: float, inputs: tuple[Any, ...], local: tuple[float, ...], op: str) -> Any:
        raise NotImplementedError

    def _lift(self, other: Any, what: str = "the other operand") -> Any:
        if isinstance(other, type(self)):
            return other
        if isinstance(other, _Operations):
            raise TypeError(f"cannot combine a {type(self).__name__} with a {type(other).__name__}")
        return type(self)(_number(other, what))

    def _checked(self, op: str, data: float, local: tuple[float, ...], inputs: tuple[Any, ...]) -> Any:
        if not (math.isfinite(data) and all(map(math.isfinite, local))):
            at = ", ".join(f"{p.data:.6g}" for p in inputs)
            what = op if not math.isfinite(data) else f"the derivative of {op}"
            raise ValueError(f"{what} is not a finite real number at {at}")
        return self._result(data, inputs, local, op)

    # --- arithmetic ----------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        b = self._lift(other)
        return self._checked("+", self.data + b.data, (1.0, 1.0), (self, b))  # ∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1

    def __mul__(self, other: Any) -> Any:
        b = self._lift(other)
        local = (b.data, self.data)  # ∂(ab)/∂a = b, ∂(ab)/∂b = a
        return self._checked("*", self.data * b.data, local, (self, b))

    def __pow__(self, k: Any) -> Any:
        if isinstance(k, _Operations):
            raise TypeError(f"the exponent of ** must be a number, got a {type(k).__name__}; for a variable "
                            "exponent write (y * x.log()).exp(), which is x**y for x > 0")
        k = _number(k, "the exponent of **")
        if self.data == 0 and k < 1 and k != 0:
            raise ValueError(f"x**{k:g} has no finite derivative at x = 0")
        if self.data < 0 and not k.is_integer():
            raise ValueError(f"x**{k:g} is not a real number for x = {self.data:.6g} < 0 (the exponent is not a "
                             "whole number)")
        try:
            y, dy = self.data**k, (k * self.data ** (k - 1) if k != 0 else 0.0)  # ∂(a^k)/∂a = k a^(k-1)
        except OverflowError:
            raise ValueError(f"x**{k:g} is not a finite real number at {self.data:.6g} "
                             "(it overflows a float)") from None
        return self._checked(f"x**{k:g}", y, (dy,), (self,))

    def __sub__(self, other: Any) -> Any:
        b = self._lift(other)
        return self._checked("-", self.data - b.data, (1.0, -1.0), (self, b))  # ∂(a-b)/∂a = 1, ∂(a-b)/∂b = -1

    def __neg__(self) -> Any:
        return self._checked("neg", -self.data, (-1.0,), (self,))  # ∂(-a)/∂a = -1

    def __truediv__(self, other: Any) -> Any:
        b = self._lift(other)
        if b.data == 0:
            raise ValueError(f"division by zero: the denominator is 0 (numerator {self.data:.6g})")
        q = self.data / b.data
        local = (1.0 / b.data, -q / b.data)  # ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -a/b²
        return self._checked("/", q, local, (self, b))

    def __radd__(self, other: Any) -> Any:  # number + Value
        return self._lift(other) + self

    def __rsub__(self, other: Any) -> Any:  # number - Value
        return self._lift(other) - self

    def __rmul__(self, other: Any) -> Any:  # number * Value
        return self._lift(other) * self

    def __rtruediv__(self, other: Any) -> Any:  # number / Value
        return self._lift(other) / self

    def __rpow__(self, base: Any) -> Any:  # number ** Value
        raise TypeError(f"the exponent of ** must be a number, got a {type(self).__name__}; for a variable "
                        "exponent write (y * math.log(c)).exp(), which is c**y for c > 0")

    # --- functions -----------------------------------------------------------------
    def exp(self) -> Any:
        r"""The exponential :math:`e^a`; local derivative :math:`e^a`.

        Returns
        -------
        Value or Dual
            The result, of the same type as ``self``.

        Raises
        ------
        ValueError
            If :math:`e^a` overflows a float (:math:`a > 709`).

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(1.0)
        >>> y = x.exp()
        >>> y.backward(); round(y.data, 6), round(x.grad, 6)
        (2.718282, 2.718282)
        """
        if self.data > 709.0:
            raise ValueError(f"exp is not a finite real number at {self.data:.6g} (it overflows a float)")
        y = math.exp(self.data)
        return self._checked("exp", y, (y,), (self,))  # (e^a)' = e^a

    def log(self) -> Any:
        r"""The natural logarithm :math:`\ln a`, for :math:`a > 0`; local derivative :math:`1/a`.

        Returns
        -------
        Value or Dual
            The result, of the same type as ``self``.

        Raises
        ------
        ValueError
            If :math:`a \le 0`.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(2.0)
        >>> y = x.log()
        >>> y.backward(); round(y.data, 6), round(x.grad, 6)
        (0.693147, 0.5)
        """
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:.6g}")
        return self._checked("log", math.log(self.data), (1.0 / self.data,), (self,))  # (ln a)' = 1/a

    def tanh(self) -> Any:
        r"""The hyperbolic tangent; local derivative :math:`1 - \tanh^2 a`.

        Returns
        -------
        Value or Dual
            The result, of the same type as ``self``.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(0.5)
        >>> y = x.tanh()
        >>> y.backward(); round(y.data, 6), round(x.grad, 6)
        (0.462117, 0.786448)
        """
        y = math.tanh(self.data)
        local = (1.0 - y * y,)  # tanh' = 1 - tanh²
        return self._checked("tanh", y, local, (self,))

    def sigmoid(self) -> Any:
        r"""The logistic sigmoid :data:`nnmath.sigmoid`; local derivative :math:`\sigma(a)(1 - \sigma(a))`.

        Returns
        -------
        Value or Dual
            The result, of the same type as ``self``.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(0.0)
        >>> y = x.sigmoid()
        >>> y.backward(); round(y.data, 6), round(x.grad, 6)
        (0.5, 0.25)
        """
        y, dy = float(sigmoid(self.data)), float(sigmoid.derivative(self.data))  # σ' = σ(1 - σ), kept accurate
        return self._checked("sigmoid", y, (dy,), (self,))                        # where 1 - σ rounds to 0

    def relu(self) -> Any:
        r"""ReLU, :math:`\max(a, 0)`; local derivative 1 for :math:`a > 0`, else 0.

        At 0 it follows :data:`nnmath.relu`'s convention (0).

        Returns
        -------
        Value or Dual
            The result, of the same type as ``self``.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(0.0)
        >>> y = x.relu()
        >>> y.backward(); round(y.data, 6), round(x.grad, 6)
        (0.0, 0.0)
        """
        return self._checked("relu", float(relu(self.data)), (float(relu.derivative(self.data)),), (self,))


class Value(_Operations):
    r"""A number that remembers how it was computed, so that :meth:`backward` can differentiate it.

    See the chapter :ref:`chapter-automatic-differentiation`.

    Arithmetic (``+ - * /``, unary ``-``, ``**`` with a number exponent, with
    numbers on either side) and the methods :meth:`exp`, :meth:`log`,
    :meth:`tanh`, :meth:`sigmoid`, :meth:`relu` return new Values. Each result
    keeps its inputs and the local derivative with respect to each, so the
    Values form a graph whose leaves are the Values made directly. A graph
    cannot have a cycle: a Value's inputs exist before it does.

    Parameters
    ----------
    data : float
        The number.
    label : str, optional
        A name for drawings and ``repr`` (``"x"``, ``"w1"``).

    Attributes
    ----------
    data : float
        The value.
    grad : float
        After ``out.backward()``: :math:`\partial\,\text{out} / \partial\,\text{self}`; 0 before.
    inputs : tuple of Value
        The Values this one was computed from (empty for a leaf).
    local : tuple of float
        :math:`\partial\,\text{self} / \partial\,\text{inputs}[i]`, one per input.
    op : str
        The operation that made it (``"+"``, ``"-"``, ``"*"``, ``"/"``, ``"neg"``, ``"x**2"``, ``"exp"``, ...;
        ``""`` for a leaf).

    Raises
    ------
    TypeError
        If ``data`` is not a real number, an operand is not a number or Value,
        or an exponent is a Value.
    ValueError
        If ``data`` is not finite, or a result or local derivative would not be
        (log of a number that is not positive, division by zero, overflow).

    Examples
    --------
    >>> from nnmath.autograd import Value
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = (w * x + 1).tanh()
    >>> y.backward()
    >>> round(y.data, 6), round(x.grad, 6), round(w.grad, 6)
    (-0.999909, -0.000545, 0.000363)
    """

    __slots__ = ("data", "grad", "inputs", "local", "op", "label")

    def __init__(self, data: float, label: str = "", *, inputs: Sequence["Value"] = (),
                 local: Sequence[float] = (), op: str = "") -> None:
        self.data = data if type(data) is float and math.isfinite(data) else _number(data, "Value data")
        self.grad = 0.0
        self.inputs = tuple(inputs)
        self.local = tuple(local)
        self.op = op
        if not isinstance(label, str):
            raise TypeError(f"label must be a string, got {label!r} (type {type(label).__name__})")
        self.label = label
        if len(self.inputs) != len(self.local) or not all(isinstance(p, Value) for p in self.inputs):
            raise ValueError("inputs must be Values, with one local derivative (a float) each")

    def _result(self, data: float, inputs: tuple["Value", ...], local: tuple[float, ...], op: str) -> "Value":
        return Value(data, inputs=inputs, local=local, op=op)

    def nodes(self) -> list["Value"]:
        """Every Value this one depends on, itself last, each after its inputs (a topological order).

        Returns
        -------
        list of Value

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(3.0, "x")
        >>> [n.op or n.label for n in (x * x + 1).nodes()]
        ['x', '*', '', '+']
        """
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, Iterator[Value]]] = [(self, iter(self.inputs))]
        seen.add(id(self))
        while stack:  # depth first, without recursion, so that long chains do not hit Python's limit
            node, pending = stack[-1]
            for p in pending:
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(p.inputs)))
                    break
            else:
                order.append(node)
                stack.pop()
        return order

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this Value and every Value it depends on.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(3.0)
        >>> y = x * x
        >>> y.backward(); x.grad
        6.0
        >>> y.zero_grad(); x.grad
        0.0
        """
        for node in self.nodes():
            node.grad = 0.0

    def backward(self) -> None:
        r"""Fill in ``grad`` of every Value this one depends on: :math:`\partial\,\text{self} / \partial\,\text{node}`.

        The gradients are first reset to 0 (:meth:`zero_grad`), the output's is
        seeded with :math:`\partial\,\text{self} / \partial\,\text{self} = 1`, and
        the nodes are visited from the output back to the inputs. Each node hands
        each of its inputs its own gradient times the local derivative of the
        edge. An input used more than once receives a share along every edge,
        and the shares add up: the multi-path chain rule.

        Examples
        --------
        >>> from nnmath.autograd import Value
        >>> x = Value(3.0)
        >>> y = x * x + x          # x is used three times: dy/dx = 2x + 1
        >>> y.backward(); x.grad
        7.0
        """
        order = self.nodes()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # ∂self/∂self
        for node in reversed(order):  # every node after all the nodes it feeds
            for parent, local in zip(node.inputs, node.local):
                parent.grad += local * node.grad  # p̄ += (∂node/∂p) · nodē

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


class Dual(_Operations):
    r"""A dual number :math:`a + \dot a\,\varepsilon` with :math:`\varepsilon^2 = 0`: a value and one derivative.

    See the chapter :ref:`chapter-automatic-differentiation`.

    Forward-mode automatic differentiation. Seed the input you differentiate
    by with ``tangent=1`` and every other input with 0; every result then
    carries :math:`\dot c = \partial c / \partial x` for that input, computed
    with the same local derivatives as :class:`Value`:
    :math:`\dot c = \sum_p (\partial c / \partial p)\, \dot p`. It supports the
    same operations.

    Parameters
    ----------
    data : float
        The value :math:`a`.
    tangent : float
        The derivative :math:`\dot a` carried along (0 for a constant).

    Raises
    ------
    TypeError, ValueError
        As for :class:`Value`.

    Examples
    --------
    >>> from nnmath.autograd import Dual
    >>> # differentiate with respect to x
    >>> x, w = Dual(2.0, tangent=1.0), Dual(-3.0)
    >>> y = (w * x + 1).tanh()
    >>> round(y.data, 6), round(y.tangent, 6)
    (-0.999909, -0.000545)
    """

    __slots__ = ("data", "tangent")

    def __init__(self, data: float, tangent: float = 0.0) -> None:
        self.data = data if type(data) is float and math.isfinite(data) else _number(data, "Dual data")
        self.tangent = (tangent if type(tangent) is float and math.isfinite(tangent)
                        else _number(tangent, "Dual tangent"))

    def _result(self, data: float, inputs: tuple["Dual", ...],
                local: tuple[float, ...], op: str) -> "Dual":
        # ċ = Σ_p (∂c/∂p) ṗ: the tangent, from the inputs' tangents
        tangent = sum(d * p.tangent for d, p in zip(local, inputs))
        return Dual(data, tangent)

    def __repr__(self) -> str:
        return f"Dual(data={self.data:.6g}, tangent={self.tangent:.6g})"
