r"""Activation functions, each with its derivative and SymPy formula side by side.

Every activation is a :class:`~nnmath.functions.ScalarFunction`: call it on an
array, ask for ``.derivative(z)``, or for ``.formula(symbol)``. The numeric code
is written so that extreme inputs (``sigmoid(-1000)``) give finite, correct
values without NumPy warnings.

Softmax acts on a whole vector rather than elementwise, so it is a plain
function, :func:`softmax`, with its Jacobian :func:`softmax_jacobian`.

See the chapter :ref:`chapter-activations`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .functions import ScalarFunction

__all__ = [
    "ACTIVATIONS",
    "get_activation",
    "heaviside",
    "identity",
    "leaky_relu",
    "relu",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "Softmax",
    "SOFTMAX",
    "log_softmax",
    "tanh",
]


# --- logistic sigmoid -------------------------------------------------------
def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    # With e = exp(-|z|) <= 1 nothing overflows: for z >= 0, sigma = 1/(1+e);
    # for z < 0, sigma = e/(1+e) (multiply top and bottom by exp(z)).
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_derivative(z: NDArray[np.float64]) -> NDArray[np.float64]:
    # sigma'(z) = sigma(z)(1 - sigma(z)) = e/(1+e)^2 with e = exp(-|z|); this form
    # keeps full relative accuracy in the tails, where 1 - sigma(z) would round to 0.
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _sigmoid_formula(z: Any) -> Any:
    import sympy

    return 1 / (1 + sympy.exp(-z))


sigmoid = ScalarFunction(
    "sigmoid", _sigmoid, _sigmoid_derivative, _sigmoid_formula, latex=r"\sigma"
)
sigmoid.__doc__ = r"""The logistic sigmoid and its derivative.

See the chapter :ref:`chapter-activations`.

.. math:: \sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,(1 - \sigma(z)).

The derivative is largest at :math:`z = 0`, where it equals exactly 1/4.
Finite and warning-free for any finite input: ``sigmoid(-1000)`` is 0 and
``sigmoid(1000)`` is 1.

Examples
--------
>>> import nnmath
>>> float(nnmath.sigmoid(0.0)), float(nnmath.sigmoid.derivative(0.0))
(0.5, 0.25)
"""


# --- hyperbolic tangent -----------------------------------------------------
def _tanh_derivative(z: NDArray[np.float64]) -> NDArray[np.float64]:
    # 1 - tanh(z)^2 = 4e/(1+e)^2 with e = exp(-2|z|): accurate in the tails too.
    e = np.exp(-2.0 * np.minimum(np.abs(z), 400.0))  # exp(-800) is already 0
    return 4.0 * e / (1.0 + e) ** 2


def _tanh_formula(z: Any) -> Any:
    import sympy

    return sympy.tanh(z)


tanh = ScalarFunction("tanh", np.tanh, _tanh_derivative, _tanh_formula, latex=r"\tanh")
tanh.__doc__ = r"""The hyperbolic tangent and its derivative.

See the chapter :ref:`chapter-activations`.

.. math:: \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \qquad \tanh'(z) = 1 - \tanh^2(z).

Examples
--------
>>> import nnmath
>>> float(nnmath.tanh(0.0)), float(nnmath.tanh.derivative(0.0))
(0.0, 1.0)
"""


# --- rectified linear unit --------------------------------------------------
def _relu(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(z, 0.0)


def _relu_derivative(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return (z > 0).astype(np.float64)


def _relu_formula(z: Any) -> Any:
    import sympy

    return sympy.Piecewise((0, z <= 0), (z, True))


relu = ScalarFunction("relu", _relu, _relu_derivative, _relu_formula, latex=r"\mathrm{ReLU}")
relu.__doc__ = r"""The rectified linear unit and its derivative.

See the chapter :ref:`chapter-activations`.

.. math:: \mathrm{ReLU}(z) = \max(0, z), \qquad
   \mathrm{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}

ReLU has no derivative at :math:`z = 0` (the slopes from the left and from the
right differ). By convention ``relu.derivative(0)`` is 0, as in most deep
learning libraries; the formula is written as a ``Piecewise`` with the same
convention, so SymPy's derivative agrees with the numeric one everywhere.

Examples
--------
>>> import nnmath
>>> nnmath.relu([-2.0, 0.0, 3.0]), nnmath.relu.derivative([-2.0, 0.0, 3.0])
(array([0., 0., 3.]), array([0., 0., 1.]))
"""


# --- leaky ReLU -------------------------------------------------------------
class LeakyReLU(ScalarFunction):
    r"""Leaky ReLU with slope :math:`\alpha` for negative inputs.

    See the chapter :ref:`chapter-activations`.

    .. math:: f(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases},
       \qquad f'(z) = \begin{cases} 1 & z > 0 \\ \alpha & z \le 0 \end{cases}

    At :math:`z = 0` the derivative is taken to be :math:`\alpha`, the slope
    from the left, matching the ReLU convention.

    Parameters
    ----------
    slope : float
        :math:`\alpha`, a finite number in [0, 1). ``nnmath.leaky_relu`` uses 0.01.

    Raises
    ------
    TypeError
        If ``slope`` is not a real number.
    ValueError
        If ``slope`` is not in :math:`[0, 1)`.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.leaky_relu([-100.0, 2.0])
    array([-1.,  2.])
    >>> nnmath.LeakyReLU(0.2).derivative([-1.0, 1.0])
    array([0.2, 1. ])
    """

    def __init__(self, slope: float = 0.01) -> None:
        alpha = _validate.real_number(slope, "slope")
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"slope must be in [0, 1), got {slope!r}")
        self.slope = alpha

        def formula(z: Any) -> Any:
            import sympy

            return sympy.Piecewise((sympy.nsimplify(alpha) * z, z <= 0), (z, True))

        super().__init__(
            "leaky_relu" if alpha == 0.01 else f"leaky_relu(slope={alpha:g})",
            value=lambda z: np.where(z > 0, z, alpha * z),
            derivative=lambda z: np.where(z > 0, 1.0, alpha),
            formula=formula,
            latex=r"\mathrm{LeakyReLU}",
        )


leaky_relu = LeakyReLU(0.01)


# --- Heaviside step (the perceptron's activation) ------------------------------
def _heaviside_formula(z: Any) -> Any:
    import sympy

    return sympy.Piecewise((0, z <= 0), (1, True))


heaviside = ScalarFunction(
    "heaviside",
    lambda z: (z > 0).astype(np.float64),
    lambda z: np.zeros_like(z),
    _heaviside_formula,
    latex=r"H",
)
heaviside.__doc__ = r"""The Heaviside step function, the activation of Rosenblatt's perceptron.

See the chapter :ref:`chapter-neuron`.

.. math:: H(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}, \qquad H'(z) = 0 \quad (z \ne 0)

Its derivative is 0 wherever it exists and does not exist at :math:`z = 0`
(there ``.derivative`` returns 0 by convention). A gradient built from it is
zero almost everywhere, so gradient descent cannot learn through it; this is
why it is not offered to :class:`nnmath.MLP`.

Examples
--------
>>> import nnmath
>>> nnmath.heaviside([-1.0, 0.0, 2.0])
array([0., 0., 1.])
>>> nnmath.heaviside.derivative([-1.0, 2.0])
array([0., 0.])
"""


# --- identity -----------------------------------------------------------------
identity = ScalarFunction(
    "identity",
    lambda z: z.copy(),
    lambda z: np.ones_like(z),
    lambda z: z,
    latex=r"\mathrm{id}",
)
identity.__doc__ = r"""The identity activation :math:`f(z) = z`, derivative 1 (a linear layer).

See the chapter :ref:`chapter-activations`.

Examples
--------
>>> import nnmath
>>> nnmath.identity.derivative([5.0, -5.0])
array([1., 1.])
"""


# --- softmax ----------------------------------------------------------------
def log_softmax(z: ArrayLike) -> NDArray[np.float64]:
    r"""The logarithm of :func:`softmax`, computed without overflow or ``log(0)``.

    See the chapter :ref:`chapter-activations`.

    .. math:: \log p_i = z_i - \log \sum_j e^{z_j}

    Parameters
    ----------
    z : array_like, shape (n_classes,) or (n_samples, n_classes)
        Logits; the softmax is taken over the last axis.

    Returns
    -------
    ndarray, same shape as ``z``

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is empty.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.log_softmax([0.0, 1000.0])
    array([-1000.,     0.])
    """
    log_p = _softmax_and_log(_validate.as_array(z, "z", ndim=(1, 2)))[1]
    return _validate.finite_result(log_p, "log_softmax(z)", "the logits of a row are spread wider than float64's range")


def _softmax_and_log(z: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""softmax and log softmax over the last axis of a checked float64 array.

    The package's one softmax computation (:func:`softmax`, :func:`log_softmax`
    and the softmax output layer call it). With :math:`s = z - \max_j z_j`,

    .. math:: p_i = \frac{e^{s_i}}{\sum_j e^{s_j}}, \qquad \log p_i = s_i - \log \sum_j e^{s_j}.

    Subtracting the largest logit changes neither and keeps every exponential
    at most 1, so logits like 1000 do not overflow, and the log is never taken
    of a probability that rounded to 0.
    """
    with np.errstate(over="ignore"):  # a spread beyond 1.8e308 gives -inf, whose exp is 0
        shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=-1, keepdims=True)
    return e / total, shifted - np.log(total)


def softmax(z: ArrayLike) -> NDArray[np.float64]:
    r"""Softmax over the last axis: turns logits into probabilities.

    See the chapter :ref:`chapter-activations`.

    .. math:: p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}

    The largest logit is subtracted first (which does not change the result),
    so logits like 1000 do not overflow.

    Parameters
    ----------
    z : array_like, shape (n_classes,) or (n_samples, n_classes)
        Logits.

    Returns
    -------
    ndarray, same shape as ``z``
        Each row is non-negative and sums to 1.

    Raises
    ------
    TypeError, ValueError
        If ``z`` is not numeric, not 1-D or 2-D, empty, or not finite.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.softmax([1000.0, 1000.0])
    array([0.5, 0.5])
    """
    return _softmax_and_log(_validate.as_array(z, "z", ndim=(1, 2)))[0]


def softmax_jacobian(z: ArrayLike) -> NDArray[np.float64]:
    r"""The Jacobian of :func:`softmax` at one logit vector.

    See the chapter :ref:`chapter-activations`.

    .. math:: \frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j),
       \qquad J = \operatorname{diag}(p) - p\,p^\top

    Parameters
    ----------
    z : array_like, shape (n_classes,)
        One logit vector.

    Returns
    -------
    ndarray, shape (n_classes, n_classes)
        ``J[i, j]`` is the derivative of output ``i`` with respect to input ``j``.

    Raises
    ------
    TypeError
        If ``z`` is not numeric.
    ValueError
        If ``z`` is not one-dimensional.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    z = _validate.as_array(z, "z", ndim=1)
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


class Softmax:
    r"""Softmax as the output layer of a network: its value, and the chain rule through it.

    See the chapter :ref:`chapter-activations`.

    Softmax mixes a whole row (every :math:`p_i` depends on every :math:`z_j`),
    so it is not an elementwise :class:`~nnmath.ScalarFunction`. It answers the
    two questions :class:`nnmath.MLP` asks of an output activation in the same
    way: ``layer(z)`` is :func:`softmax`, and :meth:`backward` is the chain rule
    through its Jacobian :func:`softmax_jacobian`. ``MLP(..., ["tanh", "softmax"])``
    uses the instance ``nnmath.activations.SOFTMAX``.

    Examples
    --------
    >>> from nnmath.activations import SOFTMAX
    >>> SOFTMAX([[0.0, 0.0]]), SOFTMAX.name
    (array([[0.5, 0.5]]), 'softmax')
    """

    name = "softmax"
    latex = r"\operatorname{softmax}"

    def __call__(self, z: ArrayLike) -> NDArray[np.float64]:
        """:func:`softmax` of ``z``, over the last axis.

        Parameters
        ----------
        z : array_like, shape (n_classes,) or (n_samples, n_classes)
            Logits.

        Returns
        -------
        ndarray, same shape as ``z``

        Examples
        --------
        >>> from nnmath.activations import SOFTMAX
        >>> SOFTMAX([1000.0, 1000.0])
        array([0.5, 0.5])
        """
        return softmax(z)

    def _value(self, z: NDArray[np.float64]) -> NDArray[np.float64]:
        return _softmax_and_log(z)[0]

    def backward(self, z: NDArray[np.float64], dL_dp: NDArray[np.float64]) -> NDArray[np.float64]:
        r"""The chain rule through softmax: the Jacobian–vector product :math:`J^\top \partial\mathcal{L}/\partial p`.

        With :math:`J = \operatorname{diag}(p) - p\,p^\top` (symmetric), row by row

        .. math:: \frac{\partial \mathcal{L}}{\partial z} = J^\top \frac{\partial \mathcal{L}}{\partial p}
           = p \odot \Bigl(\frac{\partial \mathcal{L}}{\partial p}
           - \Bigl\langle \frac{\partial \mathcal{L}}{\partial p}, p \Bigr\rangle\Bigr),

        without forming the :math:`k \times k` matrix :math:`J` for each sample.
        Cross-entropy skips this step: with softmax it gives :math:`(p - t)/N`
        directly (:meth:`nnmath.cross_entropy.output_error <nnmath.losses.CrossEntropy.output_error>`).

        Parameters
        ----------
        z : ndarray, shape (n_samples, n_classes)
            The logits of the layer.
        dL_dp : ndarray, shape like ``z``
            The gradient of the loss with respect to the probabilities.

        Returns
        -------
        ndarray, shape like ``z``

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> from nnmath.activations import SOFTMAX
        >>> z, g = np.array([[0.0, 1.0]]), np.array([[1.0, 3.0]])
        >>> J = nnmath.softmax_jacobian(z[0])
        >>> np.allclose(SOFTMAX.backward(z, g), J.T @ g[0])
        True
        """
        p = self._value(z)
        return p * (dL_dp - np.sum(dL_dp * p, axis=-1, keepdims=True))

    def __repr__(self) -> str:
        return "<nnmath activation softmax>"


SOFTMAX = Softmax()
"""The softmax output layer of :class:`nnmath.MLP` (see :class:`Softmax`)."""


ACTIVATIONS: dict[str, ScalarFunction] = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "identity": identity,
}
"""The elementwise activations by name. ``"softmax"`` is also accepted by
:class:`nnmath.MLP`, for the output layer only."""


def get_activation(name: str | ScalarFunction) -> ScalarFunction:
    """Look up an elementwise activation by name (or pass one through).

    See the chapter :ref:`chapter-activations`.

    Parameters
    ----------
    name : str or ScalarFunction
        A key of :data:`ACTIVATIONS`, or a :class:`ScalarFunction`, returned
        unchanged.

    Returns
    -------
    ScalarFunction

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.get_activation("tanh") is nnmath.tanh
    True
    """
    return _validate.lookup(name, "activation", ACTIVATIONS, ScalarFunction)
