r"""The loss as a function of two parameters: a surface to look at and descend.

A network's loss :math:`L(\theta)` depends on all its weights and biases at
once. :func:`loss_surface` takes a two-dimensional slice through that
landscape: it varies two chosen parameters :math:`u` and :math:`v` over a grid
while every other parameter keeps its value, and evaluates

.. math:: L(u, v) = L(\theta_1, \dots, u, \dots, v, \dots, \theta_P)

at every grid point — optionally with the gradient components
:math:`\partial L/\partial u` and :math:`\partial L/\partial v` from
backpropagation. The network passed in is never changed.

A parameter is named either by its index into :meth:`nnmath.MLP.get_parameters`
or by a tuple in the book's layer numbering:

* ``("W", l, i, j)``: the weight :math:`W^{l}_{ij}`, stored in
  ``net.weights[l - 1][i, j]`` (row ``i`` is the receiving unit, column ``j``
  the sending one; rows and columns count from 0 as in NumPy);
* ``("b", l, i)``: the bias :math:`b^{l}_{i}`, stored in ``net.biases[l - 1][i]``.

See the chapter :ref:`chapter-losses`, which draws such surfaces, and the
gradient-descent chapter, which walks on them.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .losses import Loss, get_loss
from .network import MLP, _check_net

__all__ = ["LossSurface", "loss_surface", "parameter_index", "parameter_label"]

_KINDS = ("W", "b")



def _position(net: MLP, parameter: Any, name: str) -> tuple[int, str]:
    """The index into ``get_parameters()`` and the label of one parameter spec."""
    if isinstance(parameter, (numbers.Integral, np.integer)) and not isinstance(parameter, (bool, np.bool_)):
        index = int(parameter)
        if not 0 <= index < net.n_parameters:
            raise ValueError(
                f"{name} must be an index from 0 to {net.n_parameters - 1} into net.get_parameters() "
                f"(this network has {net.n_parameters} parameters), got {index}"
            )
        return index, _label_of_index(net, index)
    if not isinstance(parameter, tuple) or not parameter or not isinstance(parameter[0], str):
        raise TypeError(
            f"{name} must be an index into net.get_parameters() or a tuple ('W', layer, row, column) or "
            f"('b', layer, row), got {_validate._describe(parameter)}"
        )
    kind = parameter[0]
    if kind not in _KINDS:
        raise ValueError(f"{name} must start with 'W' (a weight) or 'b' (a bias), got {kind!r}")
    expected = 4 if kind == "W" else 3
    if len(parameter) != expected:
        form = "('W', layer, row, column)" if kind == "W" else "('b', layer, row)"
        raise ValueError(f"{name} must be {form}, got {parameter!r}")
    layer = _validate.whole_number(parameter[1], f"{name} layer", minimum=1)
    if layer > net.n_layers:
        raise ValueError(
            f"{name} names layer {layer}, but this network has layers 1 to {net.n_layers} "
            f"(layer_sizes {list(net.layer_sizes)}; layers count from 1 for the first hidden layer)"
        )
    n_out, n_in = net.layer_sizes[layer], net.layer_sizes[layer - 1]
    row = _validate.whole_number(parameter[2], f"{name} row", minimum=0)
    if row >= n_out:
        raise ValueError(f"{name} row must be from 0 to {n_out - 1} (layer {layer} has {n_out} units), got {row}")
    start = sum(m * (k + 1) for k, m in zip(net.layer_sizes[:layer - 1], net.layer_sizes[1:layer]))
    if kind == "W":
        column = _validate.whole_number(parameter[3], f"{name} column", minimum=0)
        if column >= n_in:
            raise ValueError(
                f"{name} column must be from 0 to {n_in - 1} (layer {layer} has {n_in} inputs), got {column}"
            )
        return start + row * n_in + column, f"W{layer}[{row}, {column}]"
    return start + n_out * n_in + row, f"b{layer}[{row}]"


def _label_of_index(net: MLP, index: int) -> str:
    start = 0
    for layer in range(1, net.n_layers + 1):
        n_out, n_in = net.layer_sizes[layer], net.layer_sizes[layer - 1]
        if index < start + n_out * n_in:
            row, column = divmod(index - start, n_in)
            return f"W{layer}[{row}, {column}]"
        start += n_out * n_in
        if index < start + n_out:
            return f"b{layer}[{index - start}]"
        start += n_out
    raise AssertionError("index checked against n_parameters")  # pragma: no cover


def _component(trace: Any, index: int) -> float:
    """The entry of a trace's gradient that belongs to parameter ``index``."""
    start = 0
    for dW, db in zip(trace.weight_grads, trace.bias_grads):
        for g in (dW, db):
            if index < start + g.size:
                return float(g.ravel()[index - start])
            start += g.size
    raise AssertionError("index checked against n_parameters")  # pragma: no cover


def parameter_index(net: MLP, parameter: int | tuple) -> int:
    """Where a weight or bias sits in ``net.get_parameters()``.

    See the chapter :ref:`chapter-losses`.

    Parameters
    ----------
    net : MLP
    parameter : int or tuple
        ``("W", l, i, j)`` for the weight ``net.weights[l - 1][i, j]``,
        ``("b", l, i)`` for the bias ``net.biases[l - 1][i]`` (layers count
        from 1, rows and columns from 0), or an index, which is returned
        after checking its range.

    Returns
    -------
    int
        The index into the vector of :meth:`nnmath.MLP.get_parameters`.

    Raises
    ------
    TypeError, ValueError
        For a spec of the wrong form, or a layer, row, column or index that
        the network does not have.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.landscape import parameter_index
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=0)
    >>> parameter_index(net, ("W", 1, 2, 1)), parameter_index(net, ("b", 2, 0))
    (5, 12)
    >>> bool(net.get_parameters()[5] == net.weights[0][2, 1])
    True
    """
    return _position(_check_net(net), parameter, "parameter")[0]


def parameter_label(net: MLP, parameter: int | tuple) -> str:
    """A short name for a parameter, such as ``"W1[2, 1]"`` or ``"b2[0]"``.

    See the chapter :ref:`chapter-losses`.

    ``"W1[2, 1]"`` is :math:`W^{1}` row 2, column 1, stored in
    ``net.weights[0][2, 1]``; usable as an axis label.

    Parameters
    ----------
    net : MLP
        The network the parameter belongs to.
    parameter : int or tuple
        An index into :meth:`nnmath.MLP.get_parameters`, or
        ``("W", l, row, column)`` / ``("b", l, row)`` as for
        :func:`parameter_index`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an index or position the network does not have.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.landscape import parameter_label
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=0)
    >>> parameter_label(net, 5), parameter_label(net, ("b", 2, 0))
    ('W1[2, 1]', 'b2[0]')
    """
    return _position(_check_net(net), parameter, "parameter")[1]


@dataclass(frozen=True)
class LossSurface:
    r"""The loss on a grid over two parameters, as returned by :func:`loss_surface`.

    See the chapter :ref:`chapter-losses`.

    Attributes
    ----------
    u : ndarray, shape ``(n_u,)``
        The values of the first parameter (the horizontal axis).
    v : ndarray, shape ``(n_v,)``
        The values of the second parameter (the vertical axis).
    loss : ndarray, shape ``(n_v, n_u)``
        ``loss[i, j]`` is the loss with the first parameter at ``u[j]`` and
        the second at ``v[i]`` — the layout of ``numpy.meshgrid(u, v)``, so
        ``plt.contour(u, v, loss)`` draws it directly.
    gradient : ndarray, shape ``(n_v, n_u, 2)``, or None
        :math:`(\partial L/\partial u, \partial L/\partial v)` at every grid
        point, from backpropagation; ``None`` unless requested.
    indices : (int, int)
        The two parameters' indices into :meth:`nnmath.MLP.get_parameters`.
    labels : (str, str)
        Their names, such as ``"W1[0, 1]"`` (see :func:`parameter_label`).
    center : (float, float)
        The two parameters' values in the network that was passed in.
    loss_name : str
        The loss function used.

    Examples
    --------
    >>> import nnmath
    >>> from nnmath.landscape import loss_surface
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
    >>> surface = loss_surface(net, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]],
    ...                        "sse", [0, 1], [(-1, 1), (-1, 1)], n=5)
    >>> surface.loss.shape, surface.labels
    ((5, 5), ('W1[0, 0]', 'W1[0, 1]'))
    """

    u: NDArray[np.float64]
    v: NDArray[np.float64]
    loss: NDArray[np.float64]
    gradient: NDArray[np.float64] | None
    indices: tuple[int, int]
    labels: tuple[str, str]
    center: tuple[float, float]
    loss_name: str

    def argmin(self) -> tuple[float, float, float]:
        """The grid point with the smallest loss: ``(u, v, loss)``.

        It is the lowest point *of the grid*: the true minimum lies within
        one grid spacing of it (or beyond the grid's edge).

        Returns
        -------
        u, v, loss : float
            The two parameters' values at that grid point, and the loss there.
            When several grid points share the smallest loss, the first one
            in the order of ``loss.ravel()`` is returned (row by row: the
            first ``v``, and along it the first ``u``).

        Examples
        --------
        A linear neuron with two inputs, fitted to :math:`t = x_1 - x_2`: the
        loss is 0 at :math:`W = (1, -1)`, a point of the grid.

        >>> import nnmath
        >>> from nnmath.landscape import loss_surface
        >>> net = nnmath.MLP([2, 1], ["identity"], rng=0)
        >>> X, T = [[1.0, 0.0], [0.0, 1.0]], [[1.0], [-1.0]]
        >>> surface = loss_surface(net, X, T, "sse", [0, 1], [(-1, 1), (-1, 1)], n=5)
        >>> surface.labels, surface.argmin()
        (('W1[0, 0]', 'W1[0, 1]'), (1.0, -1.0, 0.0))
        """
        i, j = np.unravel_index(int(np.argmin(self.loss)), self.loss.shape)
        return float(self.u[j]), float(self.v[i]), float(self.loss[i, j])


def _grid_sizes(n: Any) -> tuple[int, int]:
    if isinstance(n, (tuple, list)):
        if len(n) != 2:
            raise ValueError(f"n must be a whole number or a pair (n_u, n_v), got {n!r}")
        sizes = (_validate.whole_number(n[0], "n[0]", minimum=2), _validate.whole_number(n[1], "n[1]", minimum=2))
    else:
        sizes = (_validate.whole_number(n, "n", minimum=2),) * 2
    _validate.check_size(3 * sizes[0] * sizes[1], "n", "a grid of losses and gradients")
    return sizes



def loss_surface(
    net: MLP,
    X: ArrayLike,
    T: ArrayLike,
    loss: str | Loss,
    parameters: Sequence[int | tuple],
    ranges: Sequence[tuple[float, float]],
    n: int | tuple[int, int] = 41,
    *,
    gradient: bool = False,
) -> LossSurface:
    r"""The loss on a grid over two parameters, the others held fixed.

    For every grid point :math:`(u_j, v_i)` the two chosen parameters of a
    copy of ``net`` are set to :math:`u_j` and :math:`v_i` and the loss is
    computed exactly as :meth:`nnmath.MLP.loss` does:

    .. math:: \text{loss}[i, j] = L(\theta)\big|_{\theta_p = u_j,\ \theta_q = v_i}

    With ``gradient=True`` the backward pass of :meth:`nnmath.MLP.trace` also
    gives :math:`\partial L/\partial \theta_p` and
    :math:`\partial L/\partial \theta_q` there. ``net`` itself is not changed.

    See the chapter :ref:`chapter-losses`.

    Parameters
    ----------
    net : MLP
        The network; its other weights and biases stay at their values.
    X : array_like, shape (n_samples, n_in)
        The inputs, one sample per row.
    T : array_like, shape (n_samples, n_out)
        The targets.
    loss : {"sse", "mse", "cross_entropy"} or Loss
    parameters : pair of int or tuple
        The two parameters to vary, each an index into
        :meth:`nnmath.MLP.get_parameters` or ``("W", l, i, j)`` /
        ``("b", l, i)`` (see :func:`parameter_index`). They must differ.
    ranges : pair of (float, float)
        ``((u_low, u_high), (v_low, v_high))``: the values each parameter
        runs over (absolute values, not offsets), ends included.
    n : int or (int, int)
        Grid points per axis (at least 2); a pair gives ``(n_u, n_v)``.
        The cost is one forward (and backward) pass per grid point.
    gradient : bool
        Also return the two gradient components at every grid point.

    Returns
    -------
    LossSurface
        ``u`` (n_u,), ``v`` (n_v,), ``loss`` (n_v, n_u), ``gradient``
        (n_v, n_u, 2) or ``None``, and the parameters' ``indices``,
        ``labels`` and original values ``center``.

    Raises
    ------
    TypeError, ValueError
        For a ``net`` that is not an MLP, ``X`` or ``T`` of the wrong shape,
        an unknown loss (or cross-entropy without a softmax output), a
        parameter the network does not have, the same parameter twice, a
        range with ``low >= high``, or ``n < 2``; also when the network's
        output overflows somewhere on the grid (choose smaller ranges).

    Examples
    --------
    A single linear neuron :math:`y = w x + b` and two points on the line
    :math:`t = 2x`. The loss is 0 at :math:`w = 2, b = 0` and nowhere else:

    >>> import nnmath
    >>> from nnmath.landscape import loss_surface
    >>> net = nnmath.MLP([1, 1], ["identity"], rng=0)
    >>> X, T = [[1.0], [2.0]], [[2.0], [4.0]]
    >>> s = loss_surface(net, X, T, "sse", [("W", 1, 0, 0), ("b", 1, 0)],
    ...                  [(0.0, 4.0), (-1.0, 1.0)], n=5, gradient=True)
    >>> s.u, s.v
    (array([0., 1., 2., 3., 4.]), array([-1. , -0.5,  0. ,  0.5,  1. ]))
    >>> s.labels, s.loss.shape, s.argmin()
    (('W1[0, 0]', 'b1[0]'), (5, 5), (2.0, 0.0, 0.0))
    >>> s.gradient[2, 0]   # at w = 0, b = 0: dL/dw = -10, dL/db = -6
    array([-10.,  -6.])
    """
    net = _check_net(net)
    loss_fn = get_loss(loss)
    if isinstance(parameters, (str, bytes)) or not hasattr(parameters, "__len__") or len(parameters) != 2:
        raise TypeError(
            "parameters must be a pair of two parameters, each an index or a tuple such as "
            f"('W', 1, 0, 0), got {_validate._describe(parameters)}"
        )
    (p, label_p), (q, label_q) = (_position(net, spec, f"parameters[{k}]") for k, spec in enumerate(parameters))
    if p == q:
        raise ValueError(f"parameters must be two different parameters, got {label_p} twice")
    if isinstance(ranges, (str, bytes, dict)) or not hasattr(ranges, "__len__") or len(ranges) != 2:
        raise TypeError(f"ranges must be a pair ((u_low, u_high), (v_low, v_high)), got {_validate._describe(ranges)}")
    u_range, v_range = _validate.interval(ranges[0], "ranges[0]"), _validate.interval(ranges[1], "ranges[1]")
    n_u, n_v = _grid_sizes(n)
    _validate.flag(gradient, "gradient")

    theta = net.get_parameters()  # checks the network's own parameters
    probe = net.copy()
    probe.loss(X, T, loss_fn)  # checks X, T and the loss once, before the loop
    X_arr = probe._check_inputs(X)
    T_arr = probe._targets(T, X_arr.shape[0])

    u = np.linspace(*u_range, n_u)
    v = np.linspace(*v_range, n_v)
    values = np.empty((n_v, n_u))
    grads = np.empty((n_v, n_u, 2))
    point = theta.copy()
    for i, v_value in enumerate(v):
        for j, u_value in enumerate(u):
            point[p], point[q] = u_value, v_value
            probe.set_parameters(point)
            # The loss as MLP.loss computes it (a forward pass); the backward
            # pass of MLP.loss_and_gradients only where gradients are wanted.
            try:
                if gradient:
                    trace = probe.trace(X_arr, T_arr, loss_fn)
                    values[i, j] = trace.loss
                    grads[i, j] = _component(trace, p), _component(trace, q)
                else:
                    values[i, j] = probe.loss(X_arr, T_arr, loss_fn)
            except ValueError as error:  # overflow far from the network's weights
                raise ValueError(
                    f"at {label_p} = {u_value:g}, {label_q} = {v_value:g}: {error}; choose smaller ranges"
                ) from None
    return LossSurface(
        u=u, v=v, loss=values, gradient=grads if gradient else None, indices=(p, q), labels=(label_p, label_q),
        center=(float(theta[p]), float(theta[q])), loss_name=loss_fn.name,
    )
