r"""A fully connected feed-forward network (multilayer perceptron).

See the chapter :ref:`chapter-neuron`.

The code follows the backpropagation chapter line by line. For a batch of
:math:`n` samples stored as rows (``X`` has shape ``(n, n_in)``), layer
:math:`l = 1, \dots, L` computes

.. math::

   Z^{l} = A^{l-1} (W^{l})^\top + b^{l}, \qquad A^{l} = g^{l}(Z^{l}), \qquad A^{0} = X,

which is :math:`z = W x + b` for every sample (row) at once. The backward pass
starts from the output error :math:`\delta^{L} = \partial L / \partial Z^{L}` and
applies the chain rule layer by layer:

.. math::

   \delta^{l} = (\delta^{l+1} W^{l+1}) \odot g'(Z^{l}), \qquad
   \frac{\partial L}{\partial W^{l}} = (\delta^{l})^\top A^{l-1}, \qquad
   \frac{\partial L}{\partial b^{l}} = \sum_{\text{samples}} \delta^{l}.

(With one sample as a column vector these read
:math:`\delta^{l} = (W^{l+1})^\top \delta^{l+1} \odot g'(z^{l})` and
:math:`\partial L / \partial W^{l} = \delta^{l} (a^{l-1})^\top`.)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .activations import ACTIVATIONS, _softmax_and_log, get_activation, relu
from .calculus import GradientCheckResult, check_gradient
from .functions import ScalarFunction
from .losses import CrossEntropy, Loss, _check_distribution, get_loss

__all__ = ["INITS", "MLP", "Trace", "initial_std"]

INITS = ("xavier", "he", "lecun")
"""Weight initialisation schemes of :class:`MLP` that set the weights' spread
from the layer's size (see its ``init`` parameter). ``init="normal"`` with an
explicit ``weight_std`` is accepted too, for experiments with the weight scale."""

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
    if init == "xavier":
        return float(np.sqrt(2.0 / (n_in + n_out)))
    if init == "he":
        return float(np.sqrt(2.0 / n_in))
    return float(np.sqrt(1.0 / n_in))  # lecun


_OUTPUT_ONLY = "softmax"


@dataclass
class Trace:
    r"""Every intermediate quantity of one forward and backward pass.

    See the chapter :ref:`chapter-backpropagation`.

    Lists are indexed by layer as in the book: index 0 is the input layer,
    1 the first hidden layer, ``L`` the output layer. ``z[0]`` and
    ``delta[0]`` are ``None`` (the input layer computes nothing).

    Attributes
    ----------
    a : list of ndarray
        ``a[0]`` is ``X``; ``a[l]`` has shape ``(n_samples, layer_sizes[l])``.
    z : list of ndarray or None
        The net inputs :math:`Z^l`, shaped like ``a[l]``.
    delta : list of ndarray or None
        The error terms :math:`\delta^l = \partial L / \partial Z^l`, shaped like ``z[l]``.
        Empty when no targets were given.
    weight_grads, bias_grads : list of ndarray
        :math:`\partial L / \partial W^l` and :math:`\partial L / \partial b^l` for
        ``l = 1 .. L``, stored at index ``l - 1`` like ``MLP.weights``.
    loss : float or None
        The loss value, when targets were given.

    Examples
    --------
    >>> import nnmath
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    >>> trace = net.trace([[0.5, -1.0]], [[1.0]], "sse")
    >>> [a.shape for a in trace.a], trace.z[0] is None
    ([(1, 2), (1, 3), (1, 1)], True)
    >>> [g.shape for g in trace.weight_grads]
    [(3, 2), (1, 3)]
    """

    a: list[NDArray[np.float64]]
    z: list[NDArray[np.float64] | None]
    delta: list[NDArray[np.float64] | None] = field(default_factory=list)
    weight_grads: list[NDArray[np.float64]] = field(default_factory=list)
    bias_grads: list[NDArray[np.float64]] = field(default_factory=list)
    loss: float | None = None
    loss_name: str | None = None
    _log_output: NDArray[np.float64] | None = field(default=None, repr=False)

    def __str__(self) -> str:
        lines: list[str] = []
        with np.printoptions(precision=6, suppress=True):
            lines.append(f"a[0] = X, shape {self.a[0].shape}:\n{self.a[0]}")
            for l in range(1, len(self.a)):
                lines.append(f"z[{l}], shape {self.z[l].shape}:\n{self.z[l]}")
                lines.append(f"a[{l}], shape {self.a[l].shape}:\n{self.a[l]}")
            if self.loss is not None:
                lines.append(f"loss ({self.loss_name}) = {self.loss:.10g}")
            for l in range(len(self.a) - 1, 0, -1):
                if self.delta:
                    lines.append(f"delta[{l}]:\n{self.delta[l]}")
                    lines.append(f"dL/dW[{l}]:\n{self.weight_grads[l - 1]}")
                    lines.append(f"dL/db[{l}]:\n{self.bias_grads[l - 1]}")
        return "\n".join(lines)


def _cross_entropy(T: NDArray[np.float64], log_p: NDArray[np.float64]) -> float:
    """Mean cross-entropy from the targets and log softmax of the output (+ 0.0 turns -0.0 into 0.0).

    One function for :meth:`MLP.loss` and :meth:`MLP.trace`, so both give the
    same bits; ``np.vdot`` is a faster sum of products than ``np.sum(T * log_p)``.
    """
    return float(-np.vdot(T, log_p) / T.shape[0] + 0.0)


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
    seed : int, numpy.random.Generator or None
        Where the initial weights come from; an int gives the same weights every time.
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
        May be reassigned (arrays or nested lists of the right shape).
    biases : list of ndarray
        ``biases[l - 1]`` is :math:`b^l`, shape ``(layer_sizes[l],)``.
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
    >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
    >>> [w.shape for w in net.weights], [b.shape for b in net.biases]
    ([(3, 2), (1, 3)], [(3,), (1,)])
    >>> net.forward(np.zeros((4, 2))).shape
    (4, 1)
    >>> small = nnmath.MLP([2, 3, 1], ["tanh", "identity"], seed=0,
    ...                    init="normal", weight_std=0.01)
    >>> small
    MLP(layer_sizes=[2, 3, 1], activations=['tanh', 'identity'],
        init='normal', weight_std=0.01)
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activations: Sequence[str | ScalarFunction],
        seed: int | np.random.Generator | None = None,
        init: str = "xavier",
        weight_std: float | None = None,
    ) -> None:
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"layer_sizes must be a list of whole numbers like [2, 3, 1], got {layer_sizes!r}")
        sizes = tuple(_validate.whole_number(n, f"layer_sizes[{i}]", minimum=1) for i, n in enumerate(layer_sizes))
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
        for i, act in enumerate(activations):
            if act == _OUTPUT_ONLY:
                if i != len(activations) - 1:
                    raise ValueError(
                        f"softmax is only allowed in the output layer, got it at position {i} of {list(activations)}"
                    )
                names.append(_OUTPUT_ONLY)
            elif isinstance(act, ScalarFunction):
                names.append(act.name)
            else:
                _validate.choice(act, f"activations[{i}]", [*ACTIVATIONS, _OUTPUT_ONLY])
                names.append(act)
        _validate.choice(init, "init", (*INITS, _NORMAL))
        initial_std(init, sizes[0], sizes[1], weight_std)  # checks weight_std against init
        self.layer_sizes = sizes
        self.activations = tuple(names)
        self._functions = [None if a == _OUTPUT_ONLY else get_activation(a) for a in activations]
        self.init = init
        self.weight_std = None if weight_std is None else float(weight_std)
        rng = _validate.as_rng(seed, "seed")
        self.weights: list[NDArray[np.float64]] = []
        self.biases: list[NDArray[np.float64]] = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            std = initial_std(init, n_in, n_out, weight_std)
            self.weights.append(rng.normal(0.0, std, size=(n_out, n_in)))
            self.biases.append(np.zeros(n_out))

    # --- parameters -----------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """The number of layers with weights, :math:`L` (the input layer is not counted).

        Examples
        --------
        >>> import nnmath
        >>> nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0).n_layers
        2
        """
        return len(self.layer_sizes) - 1

    @property
    def n_parameters(self) -> int:
        r"""The number of weights and biases, :math:`\sum_l n_{out}^l (n_{in}^l + 1)`.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0).n_parameters   # 3*(2+1) + 1*(3+1)
        13
        """
        return sum(n_out * (n_in + 1) for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]))

    def _check_parameters(self) -> None:
        """Validate (and convert) weights and biases a reader may have reassigned.

        Every pass checks them, NaN and infinity included: an infinite weight
        feeding a saturating unit (tanh, sigmoid) would otherwise give finite,
        meaningless outputs and gradients.
        """
        sizes = self.layer_sizes
        for name, params, shapes in (
            ("weights", self.weights, [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]),
            ("biases", self.biases, [(n_out,) for n_out in sizes[1:]]),
        ):
            if not isinstance(params, list) or len(params) != self.n_layers:
                raise ValueError(
                    f"{name} must be a list of {self.n_layers} arrays (one per layer), got "
                    f"{type(params).__name__} of length {len(params) if hasattr(params, '__len__') else '?'}"
                )
            for l, (array, shape) in enumerate(zip(params, shapes), start=1):
                if not (isinstance(array, np.ndarray) and array.dtype == np.float64 and array.shape == shape):
                    array = _validate.as_array(array, f"{name}[{l - 1}]")
                    if array.shape != shape:
                        raise ValueError(
                            f"{name}[{l - 1}] (layer {l}) must have shape {shape}"
                            + (" = (n_out, n_in)" if name == "weights" else " = (n_out,)")
                            + f" for layer_sizes {list(self.layer_sizes)}, got shape {array.shape}"
                        )
                    params[l - 1] = array
                elif not np.isfinite(array).all():
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
        >>> nnmath.MLP([2, 3, 1], ["relu", "identity"], seed=0).get_parameters().shape
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
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
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
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
        >>> twin = net.copy()
        >>> twin.weights[0][0, 0] = 5.0
        >>> float(net.weights[0][0, 0]) == 5.0
        False
        """
        return copy.deepcopy(self)

    # --- forward and backward -------------------------------------------------
    def _forward(self, X: NDArray[np.float64]) -> Trace:
        a: list[NDArray[np.float64]] = [X]
        z: list[NDArray[np.float64] | None] = [None]
        log_p = None  # log of a softmax output, kept for the cross-entropy loss
        with np.errstate(over="ignore", invalid="ignore"):
            for W, b, g in zip(self.weights, self.biases, self._functions):
                z_l = a[-1] @ W.T
                z_l += b
                z.append(z_l)
                if g is None:
                    p, log_p = _softmax_and_log(z_l)
                    a.append(p)
                else:
                    a.append(g._value(z_l))
        if not np.isfinite(a[-1]).all():
            raise self._not_finite("forward pass (its output)")
        trace = Trace(a=a, z=z)
        trace._log_output = log_p
        return trace

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
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
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
        if isinstance(loss_fn, CrossEntropy):
            if self._functions[-1] is not None:
                raise ValueError(
                    "loss 'cross_entropy' needs a softmax output layer (activations ending in 'softmax'), "
                    f"got activations {list(self.activations)}"
                )
            _check_distribution(T, "T", "a probability distribution (e.g. one-hot)")
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
        >>> trace.a[1], trace.loss, trace.delta[1], trace.weight_grads[0]
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

        >>> net.trace([[3.0]]).delta
        []
        """
        self._check_parameters()
        X = self._check_inputs(X)
        trace = self._forward(X)
        if T is None:
            return trace
        T, loss_fn = self._targets_and_loss(T, X.shape[0], loss)
        is_softmax = self._functions[-1] is None
        a, z = trace.a, trace.z
        L = self.n_layers
        with np.errstate(over="ignore", invalid="ignore"):
            # Output layer: delta^L = dLoss/dZ^L.
            if isinstance(loss_fn, CrossEntropy):
                n = X.shape[0]
                log_p = trace._log_output  # log softmax(z[L]), from the forward pass
                trace.loss = _cross_entropy(T, log_p)
                delta_out = (a[L] - T) / n  # (p - t)/n: the softmax and log cancel
            else:
                trace.loss = loss_fn(a[L], T)
                dL_da = loss_fn.gradient(a[L], T)
                if is_softmax:  # J^T g = p * (g - <g, p>), J the softmax Jacobian
                    inner = np.sum(dL_da * a[L], axis=1, keepdims=True)
                    delta_out = a[L] * (dL_da - inner)
                else:
                    delta_out = dL_da * self._functions[-1]._derivative(z[L])
            delta: list[NDArray[np.float64] | None] = [None] * (L + 1)
            delta[L] = delta_out
            weight_grads: list[NDArray[np.float64]] = [np.empty(0)] * L
            bias_grads: list[NDArray[np.float64]] = [np.empty(0)] * L
            ones = np.ones(X.shape[0])  # column sums as a matrix product: faster than sum(axis=0)
            for l in range(L, 0, -1):
                weight_grads[l - 1] = delta[l].T @ a[l - 1]  # (n_out, n_in)
                bias_grads[l - 1] = ones @ delta[l]  # (n_out,)
                if l > 1:  # delta^{l-1} = (delta^l W^l) * g'(Z^{l-1})
                    back = delta[l] @ self.weights[l - 1]
                    g = self._functions[l - 2]
                    if g is relu:  # its slope is 0 or 1: multiplying by the mask z > 0 saves a float array
                        back *= z[l - 1] > 0
                    else:
                        back *= g._derivative(z[l - 1])  # in place: no new array
                    delta[l - 1] = back
        if not (np.isfinite(trace.loss) and all(np.isfinite(g).all() for g in weight_grads)):
            raise self._not_finite("backward pass (a gradient)")
        trace.delta, trace.weight_grads, trace.bias_grads = delta, weight_grads, bias_grads
        trace.loss_name = loss_fn.name
        return trace

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
            if isinstance(loss_fn, CrossEntropy):
                value = _cross_entropy(T, trace._log_output)
            else:
                value = loss_fn(trace.a[-1], T)
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
        >>> net = nnmath.MLP([2, 2, 2], ["sigmoid", "sigmoid"], seed=0)
        >>> value, dW, db = net.loss_and_gradients([[0.05, 0.10]], [[0.01, 0.99]], "sse")
        >>> [g.shape for g in dW], [g.shape for g in db]
        ([(2, 2), (2, 2)], [(2,), (2,)])
        """
        if T is None:
            raise TypeError("T (the targets) is required for the gradients; trace(X) alone gives the forward pass")
        trace = self.trace(X, T, loss)
        return trace.loss, trace.weight_grads, trace.bias_grads  # type: ignore[return-value]

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
        >>> net = nnmath.MLP([2, 3, 1], ["tanh", "sigmoid"], seed=0)
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
