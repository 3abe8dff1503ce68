r"""A fully connected feed-forward network (multilayer perceptron).

See the chapter :ref:`chapter-neuron`.

The code follows the backpropagation chapter line by line, in its notation
(the loss is :math:`\mathcal{L}`, layers are numbered :math:`l = 1, \dots, L`
from the first hidden layer). For a batch of :math:`N` samples stored as rows
(``X`` has shape ``(N, n_in)``), layer :math:`l` computes

.. math::

   z^{l} = W^{l} a^{l-1} + b^{l}, \qquad a^{l} = g^{l}(z^{l}), \qquad a^{0} = x

for every sample (row) at once: ``z = a_prev @ W.T + b``. The backward pass
starts from the output error :math:`\delta^{L} = \partial\mathcal{L} / \partial z^{L}`
(:meth:`nnmath.Loss.output_error`) and applies the chain rule layer by layer
(:func:`layer_error`, :func:`parameter_gradients`):

.. math::

   \delta^{l} = \bigl(W^{l+1\top} \delta^{l+1}\bigr) \odot g'(z^{l}), \qquad
   \frac{\partial\mathcal{L}}{\partial W^{l}} = \delta^{l} a^{l-1\top}, \qquad
   \frac{\partial\mathcal{L}}{\partial b^{l}} = \delta^{l}.

With one sample per row, :math:`W^{l+1\top}\delta^{l+1}` of every sample is
``delta @ W``, and :math:`\delta^{l} a^{l-1\top}` summed over the samples is
``delta.T @ a_prev``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .activations import ACTIVATIONS, SOFTMAX, Softmax, get_activation
from .calculus import GradientCheckResult, check_gradient
from .functions import ScalarFunction
from .losses import Loss, get_loss

__all__ = ["INITS", "Layers", "MLP", "Trace", "initial_std", "layer_error", "parameter_gradients"]

def _xavier_std(n_in: int, n_out: int) -> float:
    return float(np.sqrt(2.0 / (n_in + n_out)))


def _he_std(n_in: int, n_out: int) -> float:
    return float(np.sqrt(2.0 / n_in))


def _lecun_std(n_in: int, n_out: int) -> float:
    return float(np.sqrt(1.0 / n_in))


INITS = {"xavier": _xavier_std, "he": _he_std, "lecun": _lecun_std}
"""Weight initialisation schemes of :class:`MLP` by name, each a function of
the layer's fan-in and fan-out giving the weights' standard deviation (see
:func:`initial_std` and ``MLP``'s ``init`` parameter). ``init="normal"`` with
an explicit ``weight_std`` is accepted too, for experiments with the weight scale."""

_NORMAL = "normal"


def initial_std(init: str, n_in: int, n_out: int, weight_std: float | None = None) -> float:
    r"""The standard deviation of the initial weights of one layer.

    .. math::

       \text{xavier: } \sqrt{\frac{2}{n_{in} + n_{out}}}, \qquad
       \text{he: } \sqrt{\frac{2}{n_{in}}}, \qquad
       \text{lecun: } \sqrt{\frac{1}{n_{in}}}, \qquad
       \text{normal: } \texttt{weight\_std}.

    Xavier/Glorot initialisation (Glorot and Bengio, 2010) keeps the variance
    of the signal roughly constant from layer to layer for tanh-like units,
    forwards (which asks for :math:`1/n_{in}`) and backwards (:math:`1/n_{out}`),
    as a compromise between the two; He initialisation (He et al., 2015) does
    the same for ReLU units, whose outputs carry only half the variance of
    their inputs; LeCun initialisation (LeCun et al., 2012) is the forward
    half of Xavier. See the chapter :ref:`chapter-vanishing-gradients`,
    which derives these formulas from the variance of a sum.

    Parameters
    ----------
    init : {"xavier", "he", "lecun", "normal"}
    n_in, n_out : int
        The layer's fan-in (inputs per unit) and fan-out (units), at least 1.
    weight_std : float, optional
        Required for ``"normal"`` (a finite number greater than 0) and
        rejected for the other schemes, which compute the spread themselves.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        For an unknown ``init``, sizes that are not whole numbers of at least
        1, or a missing, unneeded or non-positive ``weight_std``.

    Examples
    --------
    >>> from nnmath.network import initial_std
    >>> initial_std("he", 50, 10)
    0.2
    >>> initial_std("normal", 50, 10, weight_std=0.5)
    0.5
    """
    _validate.choice(init, "init", (*INITS, _NORMAL))
    n_in = _validate.whole_number(n_in, "n_in", minimum=1)
    n_out = _validate.whole_number(n_out, "n_out", minimum=1)
    _validate.check_size(n_in * n_out, "n_in × n_out", "a weight matrix")
    if init == _NORMAL:
        if weight_std is None:
            raise TypeError(
                "init='normal' needs weight_std, the standard deviation of every weight "
                "(a number greater than 0), e.g. weight_std=0.1"
            )
        return _validate.positive_number(weight_std, "weight_std")
    if weight_std is not None:
        raise ValueError(
            f"weight_std is only used with init='normal'; init={init!r} computes the standard "
            f"deviation from the layer size itself, got weight_std={weight_std!r}"
        )
    return INITS[init](n_in, n_out)


T = TypeVar("T")


class Layers(Sequence[T]):
    r"""A list indexed by the book's layer numbers.

    See the chapter :ref:`chapter-backpropagation`.

    ``trace.a`` holds layers 0 (the input) to :math:`L`; ``trace.z``,
    ``trace.delta`` and the gradients hold layers 1 to :math:`L`, since the
    input layer computes nothing. ``layers[l]`` is layer ``l`` in every one of
    them, ``layers[-1]`` the output layer, and a slice ``layers[1:L]`` is the
    list of layers 1 to :math:`L - 1`; a layer the list does not hold is an
    IndexError naming the layers it does. Iterating goes from the first layer
    held to the last, so ``zip(net.weights, trace.weight_grads)`` pairs
    :math:`W^l` with :math:`\partial\mathcal{L}/\partial W^l`.

    Parameters
    ----------
    items : iterable
        The values, for layers ``first``, ``first + 1``, ...
    first : int
        The number of the first layer held (0 or 1).

    Examples
    --------
    >>> from nnmath.network import Layers
    >>> z = Layers(["z1", "z2"], first=1)
    >>> z[1], z[2], z[-1], len(z), list(z), z[2:]
    ('z1', 'z2', 'z2', 2, ['z1', 'z2'], ['z2'])
    >>> try:
    ...     z[0]
    ... except IndexError as error:
    ...     print(error)
    there is no layer 0 here: this list holds layers 1 to 2
    """

    def __init__(self, items: "Iterable[T]" = (), first: int = 1) -> None:
        # list and tuple, the usual cases, are tested before the slower Iterable check
        if isinstance(items, (str, bytes, dict)) or not isinstance(items, (list, tuple, Iterable)):
            raise TypeError(f"items must be an iterable of the layers' values (a list), got {_validate._describe(items)}")
        self._items = list(items)
        self.first = _validate.whole_number(first, "first", maximum=1, why="the first layer held is 0 or 1")

    def __getitem__(self, l: int) -> T:  # type: ignore[override]
        if isinstance(l, slice):  # by layer numbers too: trace.z[1:L] is z^1 .. z^{L-1}, a list
            start, stop = (None if i is None or i < 0 else max(i - self.first, 0) for i in (l.start, l.stop))
            start = l.start if l.start is not None and l.start < 0 else start
            stop = l.stop if l.stop is not None and l.stop < 0 else stop
            return self._items[start:stop:l.step]  # type: ignore[return-value]
        if not isinstance(l, (int, np.integer)) or isinstance(l, bool):
            raise TypeError(f"layers are picked by their number, an int, got {l!r}")
        index = l + len(self._items) if l < 0 else l - self.first
        if not 0 <= index < len(self._items):
            held = (f"layers {self.first} to {self.first + len(self._items) - 1}" if self._items
                    else "no layers")
            raise IndexError(f"there is no layer {l} here: this list holds {held}")
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Layers):
            return self.first == other.first and self._items == other._items
        return NotImplemented

    def __repr__(self) -> str:
        return f"Layers({self._items!r}, first={self.first})"


@dataclass
class Trace:
    r"""Every intermediate quantity of one forward and backward pass.

    See the chapter :ref:`chapter-backpropagation`.

    Every list is indexed by the book's layer numbers (an ``nnmath.network.Layers``):
    ``a[0]`` is the input :math:`a^0 = x`, ``a[l]``, ``z[l]`` and ``delta[l]``
    belong to layer :math:`l = 1, \dots, L`, the output layer is ``L`` (or
    ``-1``), and so are ``weight_grads[l]`` and ``bias_grads[l]``. (The
    network's own ``weights`` and ``biases`` are plain lists: ``weights[l - 1]``
    is :math:`W^l`.)

    Attributes
    ----------
    a : sequence of ndarray, layers 0 to L
        ``a[0]`` is ``X``; ``a[l]`` has shape ``(n_samples, layer_sizes[l])``.
    z : sequence of ndarray, layers 1 to L
        The net inputs :math:`z^l`, shaped like ``a[l]``.
    delta : sequence of ndarray, layers 1 to L
        The error terms :math:`\delta^l = \partial\mathcal{L} / \partial z^l`,
        shaped like ``z[l]``. Empty when no targets were given.
    weight_grads, bias_grads : sequence of ndarray, layers 1 to L
        :math:`\partial\mathcal{L} / \partial W^l` and :math:`\partial\mathcal{L} / \partial b^l`,
        shaped like :math:`W^l` and :math:`b^l`. Empty when no targets were given.
    loss : float or None
        The loss value, when targets were given.

    Examples
    --------
    >>> import nnmath
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
    >>> trace = net.trace([[0.5, -1.0]], [[1.0]], "sse")
    >>> [a.shape for a in trace.a], trace.z[1].shape
    ([(1, 2), (1, 3), (1, 1)], (1, 3))
    >>> trace.weight_grads[1].shape, trace.weight_grads[2].shape
    ((3, 2), (1, 3))
    """

    a: Layers[NDArray[np.float64]]
    z: Layers[NDArray[np.float64]]
    delta: Layers[NDArray[np.float64]] = field(default_factory=Layers)
    weight_grads: Layers[NDArray[np.float64]] = field(default_factory=Layers)
    bias_grads: Layers[NDArray[np.float64]] = field(default_factory=Layers)
    loss: float | None = None
    loss_name: str | None = None

    def __str__(self) -> str:
        lines: list[str] = []
        L = len(self.z)
        with np.printoptions(precision=6, suppress=True):
            lines.append(f"a[0] = X, shape {self.a[0].shape}:\n{self.a[0]}")
            for l in range(1, L + 1):
                lines.append(f"z[{l}], shape {self.z[l].shape}:\n{self.z[l]}")
                lines.append(f"a[{l}], shape {self.a[l].shape}:\n{self.a[l]}")
            if self.loss is not None:
                lines.append(f"loss ({self.loss_name}) = {self.loss:.10g}")
            if self.delta:
                for l in range(L, 0, -1):
                    lines.append(f"delta[{l}]:\n{self.delta[l]}")
                    lines.append(f"dL/dW[{l}]:\n{self.weight_grads[l]}")
                    lines.append(f"dL/db[{l}]:\n{self.bias_grads[l]}")
        return "\n".join(lines)


def layer_error(
    delta_next: NDArray[np.float64],
    W_next: NDArray[np.float64],
    g: ScalarFunction,
    z: NDArray[np.float64],
) -> NDArray[np.float64]:
    r"""The error term of hidden layer :math:`l` from the layer above it.

    See the chapter :ref:`chapter-backpropagation`.

    .. math::
       \delta^{l} = \bigl(W^{l+1\top} \delta^{l+1}\bigr) \odot g'(z^{l})

    With one sample per row, :math:`W^{l+1\top}\delta^{l+1}` for every sample
    at once is ``delta_next @ W_next``.

    Parameters
    ----------
    delta_next : ndarray, shape (n_samples, n_{l+1})
        :math:`\delta^{l+1}`.
    W_next : ndarray, shape (n_{l+1}, n_l)
        :math:`W^{l+1}`.
    g : ScalarFunction
        The activation of layer :math:`l`.
    z : ndarray, shape (n_samples, n_l)
        :math:`z^{l}`.

    Returns
    -------
    ndarray, shape (n_samples, n_l)
        :math:`\delta^{l}`.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> from nnmath.network import layer_error
    >>> delta_next, W_next = np.array([[2.0]]), np.array([[1.0, -1.0]])
    >>> layer_error(delta_next, W_next, nnmath.tanh, np.zeros((1, 2)))
    array([[ 2., -2.]])
    """
    return (delta_next @ W_next) * g._derivative(z)


def parameter_gradients(
    delta: NDArray[np.float64], a_prev: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""The gradients of layer :math:`l`'s weights and biases, from its error.

    See the chapter :ref:`chapter-backpropagation`.

    .. math::
       \frac{\partial\mathcal{L}}{\partial W^{l}} = \delta^{l} a^{l-1\top},
       \qquad \frac{\partial\mathcal{L}}{\partial b^{l}} = \delta^{l}

    Every sample uses every weight, so with one sample per row each gradient
    is the sum over the samples: ``delta.T @ a_prev`` adds up the outer
    products :math:`\delta^{l} a^{l-1\top}` of all samples, and the bias
    gradient adds up the rows of ``delta``.

    Parameters
    ----------
    delta : ndarray, shape (n_samples, n_l)
        :math:`\delta^{l}`.
    a_prev : ndarray, shape (n_samples, n_{l-1})
        :math:`a^{l-1}`.

    Returns
    -------
    dW : ndarray, shape (n_l, n_{l-1})
    db : ndarray, shape (n_l,)

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.network import parameter_gradients
    >>> delta = np.array([[1.0], [2.0]])
    >>> a_prev = np.array([[3.0, 0.0], [1.0, 1.0]])
    >>> parameter_gradients(delta, a_prev)
    (array([[5., 2.]]), array([3.]))
    """
    dW = delta.T @ a_prev
    db = delta.sum(axis=0)
    return dW, db


class _Parameters(list):
    """``MLP.weights`` or ``MLP.biases``: a list that checks and converts each array where it is assigned.

    ``net.weights = [...]``, ``net.weights[0] = ...`` and ``net.weights[:] = ...``
    store float64 arrays of the right shape, or raise; the arrays a caller
    passed in are never changed.
    """

    def __init__(self, name: str, shapes: list[tuple[int, ...]], layer_sizes: tuple[int, ...], values: object) -> None:
        self.name, self.shapes, self.layer_sizes = name, shapes, layer_sizes
        if isinstance(values, (str, bytes, np.ndarray)) or not isinstance(values, Sequence) \
                or len(values) != len(shapes):
            raise ValueError(
                f"{name} must be a list of {len(shapes)} arrays (one per layer), got "
                f"{type(values).__name__} of length {len(values) if hasattr(values, '__len__') else '?'}"
            )
        super().__init__(self._convert(i, value) for i, value in enumerate(values))

    def _convert(self, i: int, value: object) -> NDArray[np.float64]:
        array = _validate.as_array(value, f"{self.name}[{i}]")
        if array.shape != self.shapes[i]:
            raise ValueError(
                f"{self.name}[{i}] (layer {i + 1}) must have shape {self.shapes[i]}"
                + (" = (n_out, n_in)" if self.name == "weights" else " = (n_out,)")
                + f" for layer_sizes {list(self.layer_sizes)}, got shape {array.shape}"
            )
        return array

    def __setitem__(self, index, value) -> None:  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            positions = range(len(self))[index]
            values = list(value)
            if len(values) != len(positions):
                raise ValueError(
                    f"{self.name}[{index.start}:{index.stop}] holds {len(positions)} arrays, "
                    f"got {len(values)}: the number of layers cannot change"
                )
            super().__setitem__(index, [self._convert(i, v) for i, v in zip(positions, values)])
        else:
            i = range(len(self))[index]  # an IndexError like a list's
            super().__setitem__(index, self._convert(i, value))

    def _replace_unchecked(self, arrays: list[NDArray[np.float64]]) -> None:
        """Store ``arrays`` in place of all the current ones, without checking or converting them.

        Only for arrays nnmath made itself that are already float64, finite and
        of the right shapes: :func:`nnmath.train` computes each update from the
        current parameters and checks that it is finite before storing it.
        """
        super().__setitem__(slice(None), arrays)

    def __reduce_ex__(self, protocol):  # type: ignore[no-untyped-def]
        return (_Parameters, (self.name, self.shapes, self.layer_sizes, list(self)))


class MLP:
    r"""A multilayer perceptron with the book's conventions.

    See the chapter :ref:`chapter-neuron`.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first: ``[2, 2, 2]`` is two inputs, one hidden
        layer of two units and two outputs.
    activations : sequence of str
        One name per layer after the input, from ``"sigmoid"``, ``"tanh"``,
        ``"relu"``, ``"leaky_relu"``, ``"identity"``, and ``"softmax"`` (output
        layer only). ``nnmath`` activation objects are accepted too.
    rng : int, numpy.random.Generator or None
        Where the initial weights come from: a Generator is drawn from, an int
        seeds a new one (the same weights every time), ``None`` draws fresh
        entropy (as SciPy's ``rng`` arguments).
    init : {"xavier", "he", "lecun", "normal"}
        How the initial weights are drawn: normal with mean 0 and standard
        deviation :math:`\sqrt{2/(n_{in}+n_{out})}` (Xavier/Glorot, the
        default; Glorot and Bengio, 2010), :math:`\sqrt{2/n_{in}}` (He; He
        et al., 2015), :math:`\sqrt{1/n_{in}}` (LeCun), or ``weight_std`` in
        every layer (``"normal"``), where :math:`n_{in}` and :math:`n_{out}`
        are the layer's numbers of inputs and units (see :func:`initial_std`).
        Biases start at 0.
    weight_std : float, optional
        The standard deviation of every initial weight, for ``init="normal"``
        only (required there, a number greater than 0; an error with the
        other schemes). Used to study the effect of the weight scale.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l - 1]`` is :math:`W^l`, shape ``(layer_sizes[l], layer_sizes[l - 1])``.
        May be reassigned, whole or layer by layer (arrays or nested lists of
        the right shape): each is checked and converted to a float64 array
        where it is assigned, and the arrays passed in are left unchanged.
    biases : list of ndarray
        ``biases[l - 1]`` is :math:`b^l`, shape ``(layer_sizes[l],)``; may be
        reassigned like ``weights``.
    layer_sizes : tuple of int
    activations : tuple of str

    Raises
    ------
    ValueError
        If ``layer_sizes`` has fewer than two entries or an entry below 1,
        if there is not one activation per layer after the input, or for an
        unknown activation or ``init`` (the message lists the valid ones).

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
    >>> [w.shape for w in net.weights], [b.shape for b in net.biases]
    ([(3, 2), (1, 3)], [(3,), (1,)])
    >>> net.forward(np.zeros((4, 2))).shape
    (4, 1)
    >>> small = nnmath.MLP([2, 3, 1], ["tanh", "identity"], rng=0,
    ...                    init="normal", weight_std=0.01)
    >>> small
    MLP(layer_sizes=[2, 3, 1], activations=['tanh', 'identity'],
        init='normal', weight_std=0.01)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activations: Sequence[str | ScalarFunction],
        rng: int | np.random.Generator | None = None,
        init: str = "xavier",
        weight_std: float | None = None,
    ) -> None:
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"layer_sizes must be a list of whole numbers like [2, 3, 1], got {layer_sizes!r}")
        sizes = tuple(_validate.whole_number(n, f"layer_sizes[{i}]", minimum=1) for i, n in enumerate(layer_sizes))
        _validate.check_size(sum(a * b + b for a, b in zip(sizes, sizes[1:])), "layer_sizes", "weights and biases")
        if len(sizes) < 2:
            raise ValueError(f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)}")
        if isinstance(activations, (str, bytes)) or not hasattr(activations, "__len__"):
            raise TypeError(
                f"activations must be a list with one name per layer after the input, got {activations!r}"
            )
        if len(activations) != len(sizes) - 1:
            raise ValueError(
                f"activations must have one entry per layer after the input: layer_sizes {list(sizes)} "
                f"has {len(sizes) - 1} such layer(s), but {len(activations)} activation(s) were given: "
                f"{list(activations)}"
            )
        names = []
        functions: list[ScalarFunction | Softmax] = []
        for i, act in enumerate(activations):
            if act == SOFTMAX.name or act is SOFTMAX:
                if i != len(activations) - 1:
                    raise ValueError(
                        f"softmax is only allowed in the output layer, got it at position {i} of {list(activations)}"
                    )
                g = SOFTMAX
            elif isinstance(act, ScalarFunction):
                g = act
            else:
                _validate.choice(act, f"activations[{i}]", [*ACTIVATIONS, SOFTMAX.name])
                g = get_activation(act)
            names.append(g.name)
            functions.append(g)
        _validate.choice(init, "init", (*INITS, _NORMAL))
        initial_std(init, sizes[0], sizes[1], weight_std)  # checks weight_std against init
        self.layer_sizes = sizes
        self.activations = tuple(names)
        self._functions = Layers(functions, first=1)  # g^1 .. g^L
        self.init = init
        self.weight_std = None if weight_std is None else float(weight_std)
        generator = _validate.as_rng(rng, "rng")
        self.weights = [generator.normal(0.0, initial_std(init, n_in, n_out, weight_std), size=(n_out, n_in))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]

    # --- parameters -----------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """The number of layers with weights, :math:`L` (the input layer is not counted).

        Examples
        --------
        >>> import nnmath
        >>> nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0).n_layers
        2
        """
        return len(self.layer_sizes) - 1

    @property
    def n_parameters(self) -> int:
        r"""The number of weights and biases, :math:`\sum_l n_{out}^l (n_{in}^l + 1)`.

        Examples
        --------
        >>> import nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> net.n_parameters   # 3*(2+1) + 1*(3+1)
        13
        """
        return sum(n_out * (n_in + 1) for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]))

    @property
    def weights(self) -> list[NDArray[np.float64]]:
        """The weight matrices, ``weights[l - 1]`` being :math:`W^l` of shape ``(n_out, n_in)`` of layer ``l``.

        Examples
        --------
        >>> import nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> net.weights[1] = [[1.0, 2.0, 3.0]]   # checked and converted here
        >>> net.weights[1]
        array([[1., 2., 3.]])
        """
        return self._weights

    @weights.setter
    def weights(self, value: Sequence[ArrayLike]) -> None:
        sizes = self.layer_sizes
        self._weights = _Parameters("weights", [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])],
                                    sizes, value)

    @property
    def biases(self) -> list[NDArray[np.float64]]:
        """The bias vectors, ``biases[l - 1]`` being :math:`b^l` of shape ``(n_out,)`` of layer ``l``.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0).biases
        [array([0., 0., 0.]), array([0.])]
        """
        return self._biases

    @biases.setter
    def biases(self, value: Sequence[ArrayLike]) -> None:
        self._biases = _Parameters("biases", [(n_out,) for n_out in self.layer_sizes[1:]], self.layer_sizes, value)

    def _check_parameters(self) -> None:
        """Check, without changing them, the weights and biases before a pass.

        Assignment has already converted and shape-checked them; a reader may
        still have changed entries in place (``net.weights[0][0, 0] = np.inf``)
        or the number of layers (``net.weights.append(...)``). NaN and infinity
        are errors: an infinite weight feeding a saturating unit (tanh,
        sigmoid) would otherwise give finite, meaningless outputs and gradients.
        """
        for name, params in (("weights", self._weights), ("biases", self._biases)):
            if len(params) != self.n_layers:
                raise ValueError(
                    f"{name} must be a list of {self.n_layers} arrays (one per layer), got "
                    f"{type(params).__name__} of length {len(params)}"
                )
            for l, (array, shape) in enumerate(zip(params, params.shapes), start=1):
                if array.shape != shape:
                    raise ValueError(
                        f"{name}[{l - 1}] (layer {l}) must have shape {shape} for layer_sizes "
                        f"{list(self.layer_sizes)}, got shape {array.shape}"
                    )
                if not np.isfinite(array).all():
                    raise ValueError(f"{name}[{l - 1}] (layer {l}) contains NaN or infinity")

    @staticmethod
    def _not_finite(what: str) -> ValueError:
        """The error for a pass whose result left the floating-point range."""
        return ValueError(f"the {what} overflowed (it is not finite): the weights or inputs are too large")

    def _check_inputs(self, X: ArrayLike) -> NDArray[np.float64]:
        X = _validate.as_array(X, "X", ndim=2)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"X must have shape (n_samples, {self.layer_sizes[0]}) for layer_sizes "
                f"{list(self.layer_sizes)}, got shape {X.shape}"
            )
        return X

    def get_parameters(self) -> NDArray[np.float64]:
        """All parameters in one vector: ``W1`` (row by row), ``b1``, ``W2``, ``b2``, ...

        The vector is a copy: changing it does not change the network (use
        :meth:`set_parameters` for that).

        Returns
        -------
        ndarray, shape (n_parameters,)

        Raises
        ------
        TypeError, ValueError
            If ``weights`` or ``biases`` were reassigned with the wrong shapes
            or with NaN or infinity.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.MLP([2, 3, 1], ["relu", "identity"], rng=0).get_parameters().shape
        (13,)
        """
        self._check_parameters()
        return np.concatenate([p.ravel() for pair in zip(self.weights, self.biases) for p in pair])

    def set_parameters(self, theta: ArrayLike) -> None:
        """Set all parameters from one vector laid out as in :meth:`get_parameters`.

        The network keeps copies: changing ``theta`` afterwards does not
        change the network.

        Parameters
        ----------
        theta : array_like, shape (n_parameters,)
            ``W1`` (row by row), ``b1``, ``W2``, ``b2``, ...; finite numbers.

        Raises
        ------
        TypeError, ValueError
            If ``theta`` is not a one-dimensional array of finite numbers with
            :attr:`n_parameters` entries.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> net.set_parameters(np.arange(13.0))
        >>> net.weights[0], net.biases[0]
        (array([[0., 1.],
               [2., 3.],
               [4., 5.]]), array([6., 7., 8.]))
        >>> np.array_equal(net.get_parameters(), np.arange(13.0))
        True
        """
        theta = _validate.as_array(theta, "theta", ndim=1)
        if theta.size != self.n_parameters:
            raise ValueError(f"theta must have {self.n_parameters} entries for this network, got {theta.size}")
        start = 0
        for l in range(self.n_layers):
            n_out, n_in = self.layer_sizes[l + 1], self.layer_sizes[l]
            self.weights[l] = theta[start : start + n_out * n_in].reshape(n_out, n_in).copy()
            start += n_out * n_in
            self.biases[l] = theta[start : start + n_out].copy()
            start += n_out

    def copy(self) -> "MLP":
        """An independent copy (weights and biases copied too).

        Returns
        -------
        MLP
            A network with the same layer sizes, activations and parameters;
            changing either network leaves the other as it was.

        Examples
        --------
        >>> import nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> twin = net.copy()
        >>> twin.weights[0][0, 0] = 5.0
        >>> float(net.weights[0][0, 0]) == 5.0
        False
        """
        return copy.deepcopy(self)

    # --- forward and backward -------------------------------------------------
    def _forward(self, X: NDArray[np.float64]) -> Trace:
        a, z = [X], []
        with np.errstate(over="ignore", invalid="ignore"):
            for W, b, g in zip(self.weights, self.biases, self._functions):
                z.append(a[-1] @ W.T + b)  # z^l = W^l a^{l-1} + b^l, one sample per row
                a.append(g._value(z[-1]))  # a^l = g(z^l)
        if not np.isfinite(a[-1]).all():
            raise self._not_finite("forward pass (its output)")
        return Trace(a=Layers(a, first=0), z=Layers(z, first=1))

    def forward(self, X: ArrayLike) -> NDArray[np.float64]:
        r"""The network's output for a batch of inputs.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
            One sample per row. For a single sample ``x`` use ``x.reshape(1, -1)``.

        Returns
        -------
        ndarray, shape (n_samples, n_out)
            Row ``i`` is the output :math:`a^L` for sample ``X[i]``.

        Raises
        ------
        TypeError, ValueError
            If ``X`` is not a two-dimensional array of finite numbers with
            ``n_in`` columns, if ``weights`` or ``biases`` were reassigned with
            the wrong shapes or non-finite values, or if the output overflows.

        Examples
        --------
        Calling the network, ``net(X)``, is the same as ``net.forward(X)``.
        The biases start at 0, so inputs of 0 give :math:`\sigma(0) = 0.5`:

        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> net.forward(np.zeros((2, 2)))
        array([[0.5],
               [0.5]])
        >>> X = np.array([[1.0, -1.0], [0.5, 2.0]])
        >>> np.array_equal(net(X), net.forward(X))
        True
        """
        self._check_parameters()
        return self._forward(self._check_inputs(X)).a[-1]

    __call__ = forward

    def _targets(self, T: ArrayLike, n_samples: int) -> NDArray[np.float64]:
        T = _validate.as_array(T, "T", ndim=(1, 2))
        n_out = self.layer_sizes[-1]
        if T.ndim == 1:
            hint = (f"; if these are class labels use nnmath.one_hot(T, {n_out})"
                    if T.size == n_samples and n_out > 1 else "")
            raise ValueError(f"T must have shape ({n_samples}, {n_out}) = (n_samples, n_out), "
                             f"got a 1-D array of shape {T.shape}{hint}")
        expected = (n_samples, self.layer_sizes[-1])
        if T.shape != expected:
            raise ValueError(f"T must have shape {expected} = (n_samples, n_out) to match X, got shape {T.shape}")
        return T

    def _targets_and_loss(self, T: ArrayLike, n_samples: int, loss: str | Loss) -> tuple[NDArray[np.float64], Loss]:
        """Check the targets and that the loss suits the output layer."""
        T = self._targets(T, n_samples)
        loss_fn = get_loss(loss)
        needed = loss_fn.output_activation
        if needed is not None and self.activations[-1] != needed:
            raise ValueError(
                f"loss {loss_fn.name!r} needs a {needed} output layer (activations ending in {needed!r}), "
                f"got activations {list(self.activations)}"
            )
        loss_fn.check_targets(T, "T")
        return T, loss_fn

    def trace(self, X: ArrayLike, T: ArrayLike | None = None, loss: str | Loss = "sse") -> Trace:
        r"""Every intermediate of the forward pass, and of the backward pass when ``T`` is given.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
        T : array_like, shape (n_samples, n_out), optional
            Targets; without them only the forward pass is traced.
        loss : {"sse", "mse", "cross_entropy"}

        Returns
        -------
        Trace
            Print it to see every number, or read ``trace.z[l]``, ``trace.a[l]``,
            ``trace.delta[l]`` with the book's layer numbers.

        Raises
        ------
        TypeError, ValueError
            On wrong shapes, non-finite values, an unknown loss, or
            ``"cross_entropy"`` without a softmax output layer.

        Examples
        --------
        One linear neuron :math:`y = w x + b` with :math:`w = 2`, :math:`b = 0`,
        the input :math:`x = 3` and the target :math:`t = 5`:

        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([1, 1], ["identity"])
        >>> net.weights = [np.array([[2.0]])]
        >>> trace = net.trace([[3.0]], [[5.0]], "sse")
        >>> trace.a[1], trace.loss, trace.delta[1], trace.weight_grads[1]
        (array([[6.]]), 0.5, array([[1.]]), array([[3.]]))
        >>> print(trace)
        a[0] = X, shape (1, 1):
        [[3.]]
        z[1], shape (1, 1):
        [[6.]]
        a[1], shape (1, 1):
        [[6.]]
        loss (sse) = 0.5
        delta[1]:
        [[1.]]
        dL/dW[1]:
        [[3.]]
        dL/db[1]:
        [1.]

        Without targets only the forward pass is traced:

        >>> len(net.trace([[3.0]]).delta)
        0
        """
        self._check_parameters()
        X = self._check_inputs(X)
        trace = self._forward(X)
        if T is None:
            return trace
        T, loss_fn = self._targets_and_loss(T, X.shape[0], loss)
        return self._backpropagate(trace, T, loss_fn)

    def _trace(self, X: NDArray[np.float64], T: NDArray[np.float64], loss_fn: Loss) -> Trace:
        """:meth:`trace` without its argument checks: the forward and the backward pass.

        For arrays that are already checked: :func:`nnmath.train` checks its
        data, its loss and the starting parameters once, with a first
        :meth:`trace`, and its loop then passes only arrays it made itself.
        A pass that overflows is still a ValueError.
        """
        return self._backpropagate(self._forward(X), T, loss_fn)

    def _backpropagate(self, trace: Trace, T: NDArray[np.float64], loss_fn: Loss) -> Trace:
        """``trace`` of the forward pass with the loss, the error terms and the gradients added.

        The second half of :meth:`trace`, which checks ``T`` and the loss between the two passes.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            trace.loss = loss_fn.value_at_output(trace.z[-1], trace.a[-1], T)
            trace.delta = self._backward(trace, T, loss_fn)
            gradients = [parameter_gradients(trace.delta[l], trace.a[l - 1]) for l in range(1, self.n_layers + 1)]
        trace.weight_grads = Layers([dW for dW, _ in gradients], first=1)
        trace.bias_grads = Layers([db for _, db in gradients], first=1)
        if not (np.isfinite(trace.loss) and all(np.isfinite(dW).all() for dW in trace.weight_grads)):
            raise self._not_finite("backward pass (a gradient)")
        trace.loss_name = loss_fn.name
        return trace

    def _backward(self, trace: Trace, T: NDArray[np.float64],
                  loss: Loss) -> Layers[NDArray[np.float64]]:
        r"""The error terms :math:`\delta^L` down to :math:`\delta^1`."""
        L, z, a, g = self.n_layers, trace.z, trace.a, self._functions
        W = Layers(self.weights, first=1)
        delta = {L: loss.output_error(g[L], z[L], a[L], T)}
        for l in range(L - 1, 0, -1):
            delta[l] = layer_error(delta[l + 1], W[l + 1], g[l], z[l])
        return Layers([delta[l] for l in range(1, L + 1)], first=1)

    def loss(self, X: ArrayLike, T: ArrayLike, loss: str | Loss = "sse") -> float:
        """The loss of the network's output on ``X`` against targets ``T`` (a forward pass only).

        The same value as ``loss_and_gradients(X, T, loss)[0]``, without the backward pass:
        finite differences of the loss call this once per parameter and step.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
            The inputs, one sample per row.
        T : array_like, shape (n_samples, n_out)
            The targets, one row per sample (for class labels use
            :func:`one_hot`).
        loss : {"sse", "mse", "cross_entropy"} or Loss
            ``"cross_entropy"`` needs a softmax output layer.

        Returns
        -------
        float

        Raises
        ------
        TypeError
            If ``T`` is missing (``None``) or an argument is not numbers.
        ValueError
            On wrong shapes, non-finite values, an unknown loss,
            ``"cross_entropy"`` without a softmax output layer (or with rows
            of ``T`` that are not probability distributions), or a loss that
            overflows.

        Examples
        --------
        One linear neuron :math:`y = 2x` with the input 3 and the target 5:

        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([1, 1], ["identity"])
        >>> net.weights = [np.array([[2.0]])]
        >>> net.loss([[3.0]], [[5.0]], "sse"), net.loss([[3.0]], [[5.0]], "mse")
        (0.5, 1.0)
        """
        if T is None:
            raise TypeError("T (the targets) is required to compute a loss; trace(X) alone gives the forward pass")
        self._check_parameters()
        X = self._check_inputs(X)
        trace = self._forward(X)
        T, loss_fn = self._targets_and_loss(T, X.shape[0], loss)
        with np.errstate(over="ignore", invalid="ignore"):
            value = loss_fn.value_at_output(trace.z[-1], trace.a[-1], T)
        if not np.isfinite(value):
            raise self._not_finite("loss")
        return value

    def loss_and_gradients(
        self, X: ArrayLike, T: ArrayLike, loss: str | Loss = "sse"
    ) -> tuple[float, list[NDArray[np.float64]], list[NDArray[np.float64]]]:
        """The loss and its gradients with respect to every weight and bias, by backpropagation.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
        T : array_like, shape (n_samples, n_out)
        loss : {"sse", "mse", "cross_entropy"}

        Returns
        -------
        loss_value : float
        weight_grads : list of ndarray, shaped like ``weights``
        bias_grads : list of ndarray, shaped like ``biases``

        Raises
        ------
        TypeError
            If ``T`` is missing (``None``) or an argument is not numbers.
        ValueError
            As for :meth:`trace`: wrong shapes, non-finite values, an unknown
            loss, or ``"cross_entropy"`` without a softmax output layer.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([2, 2, 2], ["sigmoid", "sigmoid"], rng=0)
        >>> X, T = [[0.05, 0.10]], [[0.01, 0.99]]
        >>> value, dW, db = net.loss_and_gradients(X, T, "sse")
        >>> [g.shape for g in dW], [g.shape for g in db]
        ([(2, 2), (2, 2)], [(2,), (2,)])
        """
        if T is None:
            raise TypeError("T (the targets) is required for the gradients; trace(X) alone gives the forward pass")
        trace = self.trace(X, T, loss)
        return trace.loss, list(trace.weight_grads), list(trace.bias_grads)  # type: ignore[return-value]

    def gradient_check(
        self, X: ArrayLike, T: ArrayLike, loss: str | Loss = "sse", tolerance: float = 1e-6
    ) -> GradientCheckResult:
        """Compare backpropagation with finite differences of the loss over every parameter.

        Raises :class:`nnmath.GradientCheckError` if they disagree (see
        :func:`nnmath.check_gradient`). The network's parameters are unchanged afterwards.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
            The inputs, one sample per row.
        T : array_like, shape (n_samples, n_out)
            The targets.
        loss : {"sse", "mse", "cross_entropy"} or Loss
        tolerance : float
            The largest relative error between the two gradients that passes.

        Returns
        -------
        GradientCheckResult
            The two gradients, both of shape ``(n_parameters,)`` and laid out
            as in :meth:`get_parameters`, and their largest relative error.

        Raises
        ------
        GradientCheckError
            If the largest relative error exceeds ``tolerance``.
        TypeError, ValueError
            On wrong shapes, non-finite values or an unknown loss, as for :meth:`trace`.

        Examples
        --------
        >>> import nnmath
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], rng=0)
        >>> result = net.gradient_check([[0.5, -1.0]], [[1.0]], "sse")
        >>> result.passed, result.analytic.shape
        (True, (13,))
        """
        X = self._check_inputs(X)
        T = self._targets(T, X.shape[0])
        theta0 = self.get_parameters()
        probe = self.copy()

        def f(theta: NDArray[np.float64]) -> float:
            probe.set_parameters(theta)
            return probe.loss(X, T, loss)  # forward pass only: 2 per parameter

        def gradient(theta: NDArray[np.float64]) -> NDArray[np.float64]:
            probe.set_parameters(theta)
            _, dW, db = probe.loss_and_gradients(X, T, loss)
            return np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])

        return check_gradient(f, gradient, theta0, tolerance=tolerance)

    def step(self, X: ArrayLike, T: ArrayLike, loss: str | Loss, learning_rate: float) -> float:
        r"""One gradient-descent update of every parameter, :math:`w \leftarrow w - \eta\, \partial L/\partial w`.

        Returns the loss *before* the update. The weights and biases are
        replaced by new arrays.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
            The inputs, one sample per row (the whole data set, or a mini-batch).
        T : array_like, shape (n_samples, n_out)
            The targets.
        loss : {"sse", "mse", "cross_entropy"} or Loss
        learning_rate : float
            :math:`\eta`, greater than 0.

        Returns
        -------
        float
            The loss before the update.

        Raises
        ------
        TypeError, ValueError
            For a ``learning_rate`` that is not a positive number, and as for
            :meth:`trace` (wrong shapes, non-finite values, an unknown loss).

        Examples
        --------
        One linear neuron :math:`y = w x + b` with :math:`w = 2`, :math:`b = 0`,
        the input 3 and the target 5: the gradients are
        :math:`\partial L/\partial w = (6 - 5) \cdot 3 = 3` and
        :math:`\partial L/\partial b = 1`.

        >>> import numpy as np, nnmath
        >>> net = nnmath.MLP([1, 1], ["identity"])
        >>> net.weights = [np.array([[2.0]])]
        >>> net.step([[3.0]], [[5.0]], "sse", learning_rate=0.1)
        0.5
        >>> net.weights, net.biases
        ([array([[1.7]])], [array([-0.1])])
        >>> round(net.loss([[3.0]], [[5.0]], "sse"), 12)
        0.0
        """
        eta = _validate.positive_number(learning_rate, "learning_rate")
        value, dW, db = self.loss_and_gradients(X, T, loss)
        for l in range(self.n_layers):
            self.weights[l] = self.weights[l] - eta * dW[l]
            self.biases[l] = self.biases[l] - eta * db[l]
        return value

    def __repr__(self) -> str:
        text = f"MLP(layer_sizes={list(self.layer_sizes)}, activations={list(self.activations)}, init={self.init!r}"
        if self.init == _NORMAL:
            text += f", weight_std={self.weight_std!r}"
        return text + ")"


def _check_net(net: object) -> MLP:
    """``net`` itself if it is an :class:`MLP`; a TypeError naming what it is otherwise."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an nnmath.MLP, got {_validate._describe(net)}")
    return net
