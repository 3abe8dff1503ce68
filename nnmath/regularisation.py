r"""Regularisation: the L2 penalty on the weights, and inverted dropout.

Both make a network fit its training points less tightly so that it does
better on new ones.

* The **L2 penalty** adds :math:`\tfrac{\lambda}{2}\sum_l \lVert W^l\rVert^2`
  to the loss (the weights only, not the biases); its gradient is
  :math:`\lambda W^l`. :func:`nnmath.train` applies it as ``weight_decay``.
* **Inverted dropout** multiplies a layer's activations by a random mask of
  zeros and ones and by :math:`1/(1 - p)`, so that each activation keeps its
  expected value; the backward pass multiplies by the same mask and factor.
  At test time dropout is switched off: the layer's activations pass as they are.

See the chapter :ref:`chapter-generalisation`.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = ["dropout", "dropout_backward", "dropout_mask", "l2_penalty", "l2_penalty_gradients"]


def _weights(weights: Sequence[ArrayLike]) -> list[NDArray[np.float64]]:
    if isinstance(weights, (str, bytes, np.ndarray)) or not isinstance(weights, Sequence):
        raise TypeError(f"weights must be a list of weight matrices (net.weights), got {_validate._describe(weights)}")
    return [_validate.as_array(W, f"weights[{i}]", ndim=2) for i, W in enumerate(weights)]


def l2_penalty(weights: Sequence[ArrayLike], weight_decay: float) -> float:
    r"""The L2 penalty :math:`\tfrac{\lambda}{2}\sum_l \lVert W^l\rVert^2` on a network's weights.

    .. math:: \Omega(W) = \frac{\lambda}{2} \sum_{l=1}^{L} \sum_{j,k} \bigl(W^{l}_{jk}\bigr)^2

    The biases are not penalised. The penalised loss is
    :math:`\mathcal{L} + \Omega`.

    See the chapter :ref:`chapter-generalisation`.

    Parameters
    ----------
    weights : list of ndarray, shapes (n_l, n_{l-1})
        The weight matrices :math:`W^1, \dots, W^L`, e.g. ``net.weights``.
    weight_decay : float
        :math:`\lambda`, a finite number at least 0.

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        For weights that are not a list of finite matrices, or a negative or
        non-finite ``weight_decay``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.regularisation import l2_penalty
    >>> weights = [np.array([[3.0, 4.0]]), np.array([[1.0]])]
    >>> l2_penalty(weights, 0.1)   # 0.05 * (25 + 1)
    1.3
    """
    lam = _validate.non_negative_number(weight_decay, "weight_decay")
    matrices = _weights(weights)
    with np.errstate(over="ignore", invalid="ignore"):
        penalty = lam / 2 * sum(np.sum(W**2) for W in matrices)
    return float(_validate.finite_result(penalty, "the L2 penalty of weights and weight_decay"))


def l2_penalty_gradients(weights: Sequence[ArrayLike], weight_decay: float) -> list[NDArray[np.float64]]:
    r"""The gradient :math:`\lambda W^l` of :func:`l2_penalty` with respect to each weight matrix.

    .. math:: \frac{\partial \Omega}{\partial W^{l}} = \lambda W^{l}

    See the chapter :ref:`chapter-generalisation`.

    Parameters
    ----------
    weights : list of ndarray, shapes (n_l, n_{l-1})
        The weight matrices, e.g. ``net.weights``.
    weight_decay : float
        :math:`\lambda`, a finite number at least 0.

    Returns
    -------
    list of ndarray
        One array per layer, shaped like its weights.

    Raises
    ------
    TypeError, ValueError
        As :func:`l2_penalty`.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.regularisation import l2_penalty_gradients
    >>> l2_penalty_gradients([np.array([[3.0, 4.0]])], 0.1)
    [array([[0.3, 0.4]])]
    """
    lam = _validate.non_negative_number(weight_decay, "weight_decay")
    matrices = _weights(weights)
    with np.errstate(over="ignore"):
        gradients = [lam * W for W in matrices]
    return [_validate.finite_result(g, f"weight_decay * weights[{i}]") for i, g in enumerate(gradients)]


def _rate(value: Any) -> float:
    rate = _validate.real_number(value, "rate")
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be a dropout probability from 0 up to (not including) 1, got {value!r}")
    return rate


def dropout_mask(
    shape: int | tuple[int, ...], rate: float, *, rng: np.random.Generator | int | None = None
) -> NDArray[np.float64]:
    r"""A random dropout mask: each entry is 0 with probability :math:`p` and 1 otherwise.

    .. math:: m_j \sim \operatorname{Bernoulli}(1 - p)

    See the chapter :ref:`chapter-generalisation`.

    Parameters
    ----------
    shape : int or tuple of int
        The shape of the activations to drop from, e.g. ``(n_samples, n_l)``.
    rate : float
        :math:`p`, the probability of dropping a unit, from 0 up to (not
        including) 1.
    rng : numpy.random.Generator, int or None
        The random state the mask is drawn from.

    Returns
    -------
    ndarray of 0.0 and 1.0, shape ``shape``

    Raises
    ------
    TypeError, ValueError
        For a ``rate`` outside :math:`[0, 1)`, a shape that is not whole
        numbers, or a bad ``rng``.

    Examples
    --------
    >>> from nnmath.regularisation import dropout_mask
    >>> dropout_mask((2, 4), 0.5, rng=0)
    array([[1., 0., 0., 0.],
           [1., 1., 1., 1.]])
    """
    p = _rate(rate)
    dims = (shape,) if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool) else shape
    if not isinstance(dims, tuple):
        raise TypeError(f"shape must be an int or a tuple of ints, got {_validate._describe(shape)}")
    dims = tuple(_validate.whole_number(d, f"shape[{i}]", minimum=1) for i, d in enumerate(dims))
    _validate.check_size(np.prod(dims, dtype=object), "shape", "a mask")
    generator = _validate.as_rng(rng, "rng")
    return (generator.random(dims) >= p).astype(np.float64)


def _scaled(kept: NDArray[np.float64], p: float, name: str) -> NDArray[np.float64]:
    """The kept values divided by 1 - p, or the "overflowed" ValueError naming ``name``."""
    with np.errstate(over="ignore"):
        out = kept / (1.0 - p)
    return _validate.finite_result(out, f"{name} / (1 - rate)", f"{name} is too large for this rate")


def _mask_for(a: NDArray[np.float64], mask: ArrayLike, a_name: str) -> NDArray[np.float64]:
    m = _validate.as_array(mask, "mask", allow_empty=True)
    _validate.check_same_shape(a, a_name, m, "mask")
    if not np.all((m == 0.0) | (m == 1.0)):
        raise ValueError("mask must hold only 0 and 1 (as dropout_mask returns)")
    return m


def dropout(a: ArrayLike, mask: ArrayLike | None, rate: float) -> NDArray[np.float64]:
    r"""Inverted dropout of activations ``a``: keep the entries where ``mask`` is 1, scaled by :math:`1/(1-p)`.

    .. math:: \tilde a = \frac{m \odot a}{1 - p}

    Each entry is kept with probability :math:`1 - p`, so
    :math:`\operatorname{E}[\tilde a_j] = a_j`: the next layer sees, on
    average, what it would see without dropout. At test time pass
    ``mask=None``: dropout is then the identity and ``a`` comes back as it is.

    See the chapter :ref:`chapter-generalisation`.

    Parameters
    ----------
    a : array_like, shape (n_samples, n_l)
        The activations :math:`a^l` of a layer (any shape works).
    mask : array_like of 0 and 1, shaped like ``a``, or None
        From :func:`dropout_mask`; ``None`` at test time.
    rate : float
        :math:`p`, the dropout probability the mask was drawn with.

    Returns
    -------
    ndarray, shaped like ``a``

    Raises
    ------
    TypeError, ValueError
        For a ``rate`` outside :math:`[0, 1)`, or a mask of another shape or
        with entries other than 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.regularisation import dropout
    >>> a = np.array([[1.0, 2.0, 3.0, 4.0]])
    >>> dropout(a, np.array([[1.0, 0.0, 1.0, 0.0]]), 0.5)
    array([[2., 0., 6., 0.]])
    >>> dropout(a, None, 0.5)        # test time: the identity
    array([[1., 2., 3., 4.]])
    """
    p = _rate(rate)
    a = _validate.as_array(a, "a", allow_empty=True)
    if mask is None:
        return a
    return _scaled(_mask_for(a, mask, "a") * a, p, "a")


def dropout_backward(upstream: ArrayLike, mask: ArrayLike, rate: float) -> NDArray[np.float64]:
    r"""The backward rule of :func:`dropout`: the upstream gradient through the same mask and factor.

    .. math:: \frac{\partial\mathcal{L}}{\partial a} = \frac{m \odot \partial\mathcal{L}/\partial\tilde a}{1 - p}

    A dropped unit passes no gradient back; a kept one passes it scaled by
    :math:`1/(1 - p)`, the same factor as on the way forward.

    See the chapter :ref:`chapter-generalisation`.

    Parameters
    ----------
    upstream : array_like, shaped like the activations
        :math:`\partial\mathcal{L}/\partial\tilde a`, the gradient with respect to
        dropout's output.
    mask : array_like of 0 and 1, same shape
        The mask used in the forward pass.
    rate : float
        :math:`p`, as in the forward pass.

    Returns
    -------
    ndarray
        :math:`\partial\mathcal{L}/\partial a`, shaped like ``upstream``.

    Raises
    ------
    TypeError, ValueError
        As :func:`dropout`.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.regularisation import dropout_backward
    >>> dropout_backward(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]]), 0.75)
    array([[2., 0.]])
    """
    p = _rate(rate)
    upstream = _validate.as_array(upstream, "upstream", allow_empty=True)
    return _scaled(_mask_for(upstream, mask, "upstream") * upstream, p, "upstream")
