r"""Loss functions, each with its gradient side by side.

Three losses, looked up by name with :func:`get_loss`:

* ``"sse"``: :math:`\tfrac12 \sum (y - t)^2`, summed over samples and outputs;
* ``"mse"``: the mean over all elements of :math:`(y - t)^2`;
* ``"cross_entropy"``: the mean over samples of :math:`-\sum_k t_k \log p_k`,
  for a softmax output layer.

Each is a :class:`Loss`: call it as ``loss(y, t)`` for the value, and
``loss.gradient(y, t)`` for the gradient with respect to the output ``y``.
Cross-entropy also has ``gradient_logits(z, t)``, the gradient with respect
to the logits of a softmax layer, which simplifies to :math:`(p - t)/n`.

See the chapter :ref:`chapter-losses`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from typing import TYPE_CHECKING

from .activations import _softmax_and_log, log_softmax, softmax

if TYPE_CHECKING:
    from .activations import Softmax
    from .functions import ScalarFunction

__all__ = ["LOSSES", "Loss", "cross_entropy", "get_loss", "mse", "one_hot", "sse"]

# Smallest positive float64: -log(_TINY) = 708.4 is the largest cross-entropy
# term a zero probability can contribute (documented in CrossEntropy).
_TINY = np.finfo(np.float64).tiny


def _pair(y: ArrayLike, t: ArrayLike, y_name: str = "y") -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    y_arr = _validate.as_array(y, y_name, ndim=(1, 2))
    t_arr = _validate.as_array(t, "t", ndim=(1, 2))
    _validate.check_same_shape(y_arr, y_name, t_arr, "t")
    return y_arr, t_arr


def _n_samples(y: NDArray[np.float64]) -> int:
    return 1 if y.ndim == 1 else y.shape[0]


def _difference(y: NDArray[np.float64], t: NDArray[np.float64], what: str) -> NDArray[np.float64]:
    """``y - t``, or a clear error when it is beyond float64's range."""
    with np.errstate(over="ignore"):
        return _validate.finite_result(y - t, what, "use smaller y or t")


def _sum_of_squares(d: NDArray[np.float64], what: str, mean: bool = False) -> float:
    r"""Half the sum of the squares :math:`d_i^2` (SSE), or their mean (MSE).

    When a square overflows it is computed as :math:`s^2 \sum_i (d_i/s)^2` with :math:`s = \max_i |d_i|`.

    Scaling by the largest entry keeps the squares at most 1, so a result that
    float64 can hold is found even when a single square :math:`d_i^2` cannot.
    """
    with np.errstate(over="ignore"):
        plain = np.mean(d**2) if mean else 0.5 * np.sum(d**2)
    if np.isfinite(plain):
        return float(plain)
    scale = float(np.max(np.abs(d)))
    ratio = d / scale
    total = np.mean(ratio**2) if mean else 0.5 * np.sum(ratio**2)
    with np.errstate(over="ignore"):
        return float(_validate.finite_result(scale * (scale * total), what, "use smaller y or t"))


def _cross_entropy_of_logits(z: NDArray[np.float64], t: NDArray[np.float64], what: str) -> float:
    r"""The mean of :math:`-\sum_i t_i \log p_i` with :math:`p = \operatorname{softmax}(z)`.

    A class with :math:`t_i = 0` adds nothing, even when its :math:`\log p_i` is
    :math:`-\infty` (logits spread beyond float64's range): no :math:`0 \cdot (-\infty)`.
    """
    log_p = _softmax_and_log(z)[1]
    with np.errstate(invalid="ignore", over="ignore"):
        total = -np.sum(np.where(t > 0, t * log_p, 0.0)) / t.reshape(-1, t.shape[-1]).shape[0]
    return float(_validate.finite_result(total, what, "the logits of a target class are too far below the largest")) + 0.0


class Loss:
    r"""A loss function with its gradient. Use the instances :data:`sse`,
    :data:`mse`, :data:`cross_entropy` or :func:`get_loss`.

    See the chapter :ref:`chapter-losses`.

    Calling a loss with outputs ``y`` and targets ``t`` of the same shape,
    ``(n_samples, n_out)`` or ``(n_out,)``, gives a float;
    ``loss.gradient(y, t)`` gives :math:`\partial L / \partial y`, shaped like
    ``y``. A ``ValueError`` names the argument whose shape does not fit.

    Attributes
    ----------
    name : str
        The name under which :data:`LOSSES` lists it.
    latex : str
        Its formula in LaTeX, for plot labels.

    Examples
    --------
    >>> import nnmath
    >>> loss = nnmath.get_loss("sse")
    >>> isinstance(loss, nnmath.Loss), loss.name
    (True, 'sse')
    >>> a, t = [[1.0, 2.0]], [[1.0, 0.0]]
    >>> loss(a, t), loss.gradient(a, t)
    (2.0, array([[0., 2.]]))
    """

    name: str = ""
    latex: str = ""

    def __call__(self, y: ArrayLike, t: ArrayLike) -> float:
        """The loss of outputs ``y`` against targets ``t`` (same shape).

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        float

        Raises
        ------
        NotImplementedError
            On ``Loss`` itself; every loss (:data:`sse`, :data:`mse`,
            :data:`cross_entropy`) implements it.
        ValueError
            From a loss, if ``y`` and ``t`` differ in shape (both are named).

        Examples
        --------
        >>> import nnmath
        >>> nnmath.sse([[1.0, 2.0]], [[1.0, 0.0]])
        2.0
        """
        raise NotImplementedError

    def gradient(self, y: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient of the loss with respect to ``y``, shaped like ``y``.

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        ndarray, shape like ``y``
            :math:`\partial L / \partial y`, entry by entry.

        Raises
        ------
        NotImplementedError
            On ``Loss`` itself; every loss (:data:`sse`, :data:`mse`,
            :data:`cross_entropy`) implements it.
        ValueError
            From a loss, if ``y`` and ``t`` differ in shape (both are named).

        Examples
        --------
        >>> import nnmath
        >>> nnmath.sse.gradient([[1.0, 2.0]], [[1.0, 0.0]])
        array([[0., 2.]])
        """
        raise NotImplementedError

    output_activation: str | None = None
    """The output activation this loss needs (``None``: any). ``MLP`` checks it."""

    def check_targets(self, t: NDArray[np.float64], name: str = "t") -> None:
        """Check targets beyond their shape; the squared errors accept any finite numbers.

        Parameters
        ----------
        t : ndarray
            The targets.
        name : str
            The argument's name for the error message.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> nnmath.sse.check_targets(np.array([[3.0, -7.0]]))   # any numbers will do
        """

    def value_at_output(self, z: NDArray[np.float64], a: NDArray[np.float64], t: NDArray[np.float64]) -> float:
        r"""The loss of a network's output layer: net inputs ``z``, outputs ``a``, targets ``t``.

        For the squared errors this is ``loss(a, t)``; cross-entropy computes
        it from the logits ``z`` instead, which is exact (no probability rounds to 0).

        Parameters
        ----------
        z, a : ndarray, shape (n_samples, n_out)
            The output layer's net inputs :math:`z^L` and its outputs
            :math:`a^L = g(z^L)`.
        t : ndarray, shape like ``a``
            The targets.

        Returns
        -------
        float

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> z, a, t = np.array([[6.0]]), np.array([[6.0]]), np.array([[5.0]])
        >>> nnmath.sse.value_at_output(z, a, t)
        0.5
        """
        return self(a, t)

    def output_error(
        self,
        g: "ScalarFunction | Softmax",
        z: NDArray[np.float64],
        a: NDArray[np.float64],
        t: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        r"""The output error :math:`\delta^L = \partial\mathcal{L}/\partial z^L`.

        See the chapter :ref:`chapter-backpropagation`.

        .. math::
           \delta^L = \frac{\partial \mathcal{L}}{\partial a^L} \odot g'(z^L)

        The loss's gradient with respect to the output, taken back through the
        output activation ``g`` by the chain rule (``g.backward``; for a softmax
        output that is its Jacobian–vector product).

        Parameters
        ----------
        g : ScalarFunction or Softmax
            The output layer's activation.
        z, a : ndarray, shape (n_samples, n_out)
            The output layer's net inputs :math:`z^L` and its outputs
            :math:`a^L = g(z^L)`.
        t : ndarray, shape like ``a``
            The targets.

        Returns
        -------
        ndarray, shape like ``z``

        Examples
        --------
        One sigmoid output :math:`a = \sigma(0) = 0.5` against the target 1:
        :math:`(a - t)\,\sigma'(0) = -0.5 \cdot 0.25`.

        >>> import numpy as np, nnmath
        >>> z = np.array([[0.0]])
        >>> a, t = nnmath.sigmoid(z), np.array([[1.0]])
        >>> nnmath.sse.output_error(nnmath.sigmoid, z, a, t)
        array([[-0.125]])
        """
        return g.backward(z, self.gradient(a, t))

    def __repr__(self) -> str:
        return f"<nnmath loss {self.name}>"


class SumSquaredError(Loss):
    r"""Half the sum of squared errors over all samples and outputs.

    See the chapter :ref:`chapter-losses`.

    .. math:: L = \frac12 \sum_{n,k} (y_{nk} - t_{nk})^2, \qquad
       \frac{\partial L}{\partial y_{nk}} = y_{nk} - t_{nk}

    The factor 1/2 cancels the 2 of the derivative.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.sse([[1.0, 2.0]], [[0.0, 0.0]])
    2.5
    >>> nnmath.sse.gradient([[1.0, 2.0]], [[0.0, 0.0]])
    array([[1., 2.]])
    """

    name = "sse"
    latex = r"\tfrac12 \sum (y - t)^2"

    def __call__(self, y: ArrayLike, t: ArrayLike) -> float:
        r"""The loss :math:`\frac12 \sum_{n,k} (y_{nk} - t_{nk})^2`.

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            If ``y`` or ``t`` is not finite numbers with 1 or 2 dimensions, or
            they differ in shape.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.sse([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]])
        3.0
        """
        y, t = _pair(y, t)
        return _sum_of_squares(_difference(y, t, "sse(y, t)"), "sse(y, t)")

    def gradient(self, y: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient :math:`\partial L / \partial y = y - t`.

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        ndarray, shape like ``y``

        Raises
        ------
        TypeError, ValueError
            If ``y`` or ``t`` is not finite numbers with 1 or 2 dimensions, or
            they differ in shape.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.sse.gradient([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]])
        array([[ 1.,  2.],
               [ 0., -1.]])
        """
        y, t = _pair(y, t)
        return _difference(y, t, "sse.gradient(y, t)")


class MeanSquaredError(Loss):
    r"""The mean over all elements of the squared error.

    See the chapter :ref:`chapter-losses`.

    .. math:: L = \frac{1}{N} \sum_{n,k} (y_{nk} - t_{nk})^2, \qquad
       \frac{\partial L}{\partial y_{nk}} = \frac{2}{N}(y_{nk} - t_{nk})

    where :math:`N` is the number of elements of ``y``.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.mse([[1.0, 2.0]], [[0.0, 0.0]])
    2.5
    >>> nnmath.mse.gradient([[1.0, 2.0]], [[0.0, 0.0]])
    array([[1., 2.]])
    """

    name = "mse"
    latex = r"\frac{1}{N} \sum (y - t)^2"

    def __call__(self, y: ArrayLike, t: ArrayLike) -> float:
        r"""The loss :math:`\frac{1}{N} \sum_{n,k} (y_{nk} - t_{nk})^2`, :math:`N` the number of entries.

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            If ``y`` or ``t`` is not finite numbers with 1 or 2 dimensions, or
            they differ in shape.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.mse([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]])
        1.5
        """
        y, t = _pair(y, t)
        return _sum_of_squares(_difference(y, t, "mse(y, t)"), "mse(y, t)", mean=True)

    def gradient(self, y: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient :math:`\partial L / \partial y = \frac{2}{N}(y - t)`, :math:`N` the number of entries.

        Parameters
        ----------
        y : array_like, shape (n_samples, n_out) or (n_out,)
            The network's outputs, one sample per row.
        t : array_like, shape like ``y``
            The targets.

        Returns
        -------
        ndarray, shape like ``y``

        Raises
        ------
        TypeError, ValueError
            If ``y`` or ``t`` is not finite numbers with 1 or 2 dimensions, or
            they differ in shape.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.mse.gradient([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]])
        array([[ 0.5,  1. ],
               [ 0. , -0.5]])
        """
        y, t = _pair(y, t)
        return 2.0 * (_difference(y, t, "mse.gradient(y, t)") / y.size)


def _check_distribution(array: NDArray[np.float64], name: str, what: str) -> None:
    """Each row must be non-negative and sum to 1 (within round-off)."""
    smallest = array.min()
    if smallest < 0:
        raise ValueError(f"{name} must be {what}: no negative entries, got minimum {smallest:g}")
    sums = array @ np.ones(array.shape[-1])  # row sums; a matrix product is faster than sum(axis=-1)
    deviation = np.abs(sums - 1.0)
    # 1e-6 allows for rounding in a softmax computed in float32 or by hand;
    # a wrong encoding (class indices, unnormalised scores) misses it by far more.
    if deviation.max() > 1e-6:
        worst = sums.flat[int(np.argmax(deviation))]
        raise ValueError(
            f"each row of {name} must be {what} summing to 1, got a row summing to {worst:g}; "
            "for class labels use nnmath.one_hot(labels, n_classes)"
        )


class CrossEntropy(Loss):
    r"""Cross-entropy of softmax probabilities ``p`` against targets ``t``.

    See the chapter :ref:`chapter-losses`.

    .. math:: L = -\frac{1}{n}\sum_{n}\sum_k t_{nk} \log p_{nk}, \qquad
       \frac{\partial L}{\partial z_{nk}} = \frac{p_{nk} - t_{nk}}{n}

    where :math:`n` is the number of samples and :math:`z` are the logits with
    :math:`p = \operatorname{softmax}(z)`. Rows of ``t`` are probability
    distributions (usually one-hot, see :func:`one_hot`).

    A zero probability is handled exactly where the target is 0
    (:math:`0 \log 0 = 0`). Where the target is positive and the probability is
    exactly 0 the true loss is infinite; the value is capped at
    :math:`-\log(2.2\times10^{-308}) \approx 708.4` per unit of target, so it stays
    finite. Use :meth:`cross_entropy.from_logits <nnmath.cross_entropy.from_logits>`
    to avoid the cap altogether.

    Examples
    --------
    >>> import nnmath
    >>> round(nnmath.cross_entropy([[0.5, 0.5]], [[1.0, 0.0]]), 6)
    0.693147
    >>> nnmath.cross_entropy([[1.0, 0.0]], [[1.0, 0.0]])
    0.0
    """

    name = "cross_entropy"
    latex = r"-\frac{1}{n}\sum t \log p"

    output_activation = "softmax"

    def check_targets(self, t: NDArray[np.float64], name: str = "t") -> None:
        """Check that every row of ``t`` is a probability distribution (e.g. one-hot).

        Parameters
        ----------
        t : ndarray
            The targets.
        name : str
            The argument's name for the error message.

        Raises
        ------
        ValueError
            If a row has a negative entry or does not sum to 1.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> one_hot = np.array([[0.0, 1.0]])
        >>> nnmath.cross_entropy.check_targets(one_hot)   # accepted
        >>> try:
        ...     nnmath.cross_entropy.check_targets(np.array([[1.0, 1.0]]))
        ... except ValueError as error:
        ...     print(str(error)[:63])
        each row of t must be a probability distribution (e.g. one-hot)
        """
        _check_distribution(t, name, "a probability distribution (e.g. one-hot)")

    def value_at_output(self, z: NDArray[np.float64], p: NDArray[np.float64], t: NDArray[np.float64]) -> float:
        r"""The loss of a softmax output layer from its logits, :math:`-\frac1N \sum t \log \operatorname{softmax}(z)`.

        As :meth:`from_logits`, for the network's own (already checked) arrays:
        exact even where a probability rounds to 0.

        Parameters
        ----------
        z : ndarray, shape (n_samples, n_classes)
            The logits :math:`z^L`.
        p : ndarray, shape like ``z``
            The probabilities :math:`p = \operatorname{softmax}(z^L)` (not needed for the value).
        t : ndarray, shape like ``z``
            The targets, each row a probability distribution.

        Returns
        -------
        float

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> z, t = np.array([[0.0, 1000.0]]), np.array([[1.0, 0.0]])
        >>> nnmath.cross_entropy.value_at_output(z, nnmath.softmax(z), t)
        1000.0
        """
        return _cross_entropy_of_logits(z, t, "cross_entropy.value_at_output(z, a, t)")

    def output_error(
        self,
        g: "ScalarFunction | Softmax",
        z: NDArray[np.float64],
        p: NDArray[np.float64],
        t: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        r"""The output error of softmax and cross-entropy, :math:`(p - t)/N`.

        See the chapter :ref:`chapter-losses`, which derives it: the softmax's
        Jacobian and the logarithm's :math:`1/p` cancel, which leaves the
        difference of the probabilities and the targets, divided by the number of
        samples :math:`N`. (``MLP`` accepts cross-entropy only with a softmax
        output, its ``output_activation``, so ``g`` is softmax.)

        Parameters
        ----------
        g : Softmax
            The output layer's activation, softmax.
        z, p : ndarray, shape (n_samples, n_classes)
            The logits :math:`z^L` and the probabilities
            :math:`p = \operatorname{softmax}(z^L)`.
        t : ndarray, shape like ``p``
            The targets, each row a probability distribution.

        Returns
        -------
        ndarray, shape like ``z``

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> from nnmath.activations import SOFTMAX
        >>> z = np.array([[0.0, 0.0]])
        >>> p, t = SOFTMAX(z), np.array([[1.0, 0.0]])
        >>> nnmath.cross_entropy.output_error(SOFTMAX, z, p, t)
        array([[-0.5,  0.5]])
        """
        return (p - t) / t.shape[0]

    def _check(self, p: ArrayLike, t: ArrayLike, p_name: str = "p") -> tuple[NDArray, NDArray]:
        t_arr = _validate.as_array(t, "t", ndim=(1, 2))
        p_arr = _validate.as_array(p, p_name, ndim=(1, 2))
        if t_arr.ndim == 1 and p_arr.ndim == 2 and t_arr.shape[0] == p_arr.shape[0]:
            raise ValueError(
                f"t looks like class labels (shape {t_arr.shape}) but {p_name} has shape {p_arr.shape}; "
                f"use nnmath.one_hot(labels, {p_arr.shape[1]}) to turn labels into one-hot rows"
            )
        p, t = _pair(p, t, p_name)
        if p_name == "p":
            _check_distribution(p, "p", "probabilities")
        _check_distribution(t, "t", "a probability distribution (e.g. one-hot)")
        return p, t

    def __call__(self, p: ArrayLike, t: ArrayLike) -> float:
        r"""The loss :math:`-\frac{1}{n}\sum_{n}\sum_k t_{nk} \log p_{nk}` of probabilities ``p``.

        A term with :math:`t_{nk} = 0` counts as 0, even where :math:`p_{nk} = 0`;
        where :math:`t_{nk} > 0` and :math:`p_{nk} = 0`, :math:`-\log p_{nk}` is
        capped at about 708.4 (see the class description).

        Parameters
        ----------
        p : array_like, shape (n_samples, n_classes) or (n_classes,)
            Probabilities, such as the output of a softmax layer: each row
            non-negative and summing to 1.
        t : array_like, shape like ``p``
            The targets, each row a probability distribution (usually one-hot).

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            If an argument is not finite numbers with 1 or 2 dimensions, the
            two differ in shape, ``t`` holds class labels instead of one-hot
            rows (use :func:`~nnmath.one_hot`), or a row of ``p`` or ``t`` has a negative
            entry or does not sum to 1.

        Examples
        --------
        >>> import nnmath
        >>> p = [[0.25, 0.75], [0.5, 0.5]]
        >>> round(nnmath.cross_entropy(p, nnmath.one_hot([1, 0], 2)), 6)
        0.490415
        """
        p, t = self._check(p, t)
        log_p = np.log(np.maximum(p, _TINY))
        # "+ 0.0" turns the -0.0 of a perfect prediction into 0.0.
        return float(-np.sum(np.where(t > 0, t * log_p, 0.0)) / _n_samples(p) + 0.0)

    def gradient(self, p: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient with respect to the probabilities, :math:`-t/(n\,p)`.

        Where ``t`` is 0 the entry is 0; where ``p`` is 0 but ``t`` is not it is
        capped at :math:`-t/(n \cdot 2.2\times 10^{-308})`, finite. For training,
        :meth:`~nnmath.cross_entropy.gradient_logits` is the one to use.

        Parameters
        ----------
        p : array_like, shape (n_samples, n_classes) or (n_classes,)
            Probabilities: each row non-negative and summing to 1.
        t : array_like, shape like ``p``
            The targets, each row a probability distribution (usually one-hot).

        Returns
        -------
        ndarray, shape like ``p``
            :math:`\partial L / \partial p`.

        Raises
        ------
        TypeError, ValueError
            If an argument is not finite numbers with 1 or 2 dimensions, the
            two differ in shape, ``t`` holds class labels instead of one-hot
            rows (use :func:`~nnmath.one_hot`), or a row of ``p`` or ``t`` has a negative
            entry or does not sum to 1.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.cross_entropy.gradient([[0.5, 0.5]], [[1.0, 0.0]])
        array([[-2.,  0.]])
        """
        p, t = self._check(p, t)
        return np.where(t > 0, -t / np.maximum(p, _TINY), 0.0) / _n_samples(p)

    def from_logits(self, z: ArrayLike, t: ArrayLike) -> float:
        r"""The loss computed from the logits ``z`` directly (exact, no cap).

        The same value as ``cross_entropy(softmax(z), t)``, computed with
        :func:`~nnmath.log_softmax`: no probability is rounded to 0, so the
        loss is exact even for logits far apart.

        Parameters
        ----------
        z : array_like, shape (n_samples, n_classes) or (n_classes,)
            The logits, the net inputs of a softmax output layer (any finite numbers).
        t : array_like, shape like ``z``
            The targets, each row a probability distribution (usually one-hot).

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            If an argument is not finite numbers with 1 or 2 dimensions, the
            two differ in shape, ``t`` holds class labels instead of one-hot
            rows (use :func:`~nnmath.one_hot`), or a row of ``t`` has a negative
            entry or does not sum to 1.

        Examples
        --------
        >>> import nnmath
        >>> round(nnmath.cross_entropy.from_logits([[0.0, 0.0]], [[1.0, 0.0]]), 6)
        0.693147
        >>> nnmath.cross_entropy.from_logits([[0.0, 1000.0]], [[1.0, 0.0]])
        1000.0
        """
        z, t = self._check(z, t, "z")
        return _cross_entropy_of_logits(z, t, "cross_entropy.from_logits(z, t)")

    def gradient_logits(self, z: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
        r"""The gradient with respect to the logits: :math:`(\operatorname{softmax}(z) - t)/n`.

        The softmax and the logarithm cancel, which leaves this short formula;
        it is the output error :math:`\delta^L` of a network with a softmax
        output layer trained with cross-entropy.

        Parameters
        ----------
        z : array_like, shape (n_samples, n_classes) or (n_classes,)
            The logits, the net inputs of a softmax output layer.
        t : array_like, shape like ``z``
            The targets, each row a probability distribution (usually one-hot).

        Returns
        -------
        ndarray, shape like ``z``
            :math:`\partial L / \partial z`.

        Raises
        ------
        TypeError, ValueError
            If an argument is not finite numbers with 1 or 2 dimensions, the
            two differ in shape, ``t`` holds class labels instead of one-hot
            rows (use :func:`~nnmath.one_hot`), or a row of ``t`` has a negative
            entry or does not sum to 1.

        Examples
        --------
        >>> import nnmath
        >>> nnmath.cross_entropy.gradient_logits([[0.0, 0.0]], [[1.0, 0.0]])
        array([[-0.5,  0.5]])
        """
        z, t = self._check(z, t, "z")
        return (softmax(z) - t) / _n_samples(z)


sse = SumSquaredError()
mse = MeanSquaredError()
cross_entropy = CrossEntropy()

LOSSES: dict[str, Loss] = {"sse": sse, "mse": mse, "cross_entropy": cross_entropy}
"""The losses by name."""


def get_loss(name: str | Loss) -> Loss:
    """Look up a loss by name (``"sse"``, ``"mse"``, ``"cross_entropy"``), or pass one through.

    See the chapter :ref:`chapter-losses`.

    Parameters
    ----------
    name : str or Loss
        A key of :data:`LOSSES`, or a :class:`Loss`, returned unchanged.

    Returns
    -------
    Loss

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.get_loss("mse") is nnmath.mse
    True
    """
    return _validate.lookup(name, "loss", LOSSES, Loss)


def one_hot(labels: ArrayLike, n_classes: int) -> NDArray[np.float64]:
    """Targets for cross-entropy: row ``i`` has a 1 in column ``labels[i]``.

    See the chapter :ref:`chapter-losses`.

    Parameters
    ----------
    labels : array_like of int, shape (n_samples,)
        Class indices in ``0 .. n_classes - 1``.
    n_classes : int

    Returns
    -------
    ndarray, shape (n_samples, n_classes)

    Raises
    ------
    ValueError
        If a label is not a whole number from 0 to ``n_classes - 1``.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.one_hot([0, 2], 3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """
    k = _validate.whole_number(n_classes, "n_classes", minimum=1)
    values = _validate.as_array(labels, "labels", ndim=1)
    _validate.check_size(values.size * k, "n_classes", "a one-hot array")
    if np.any(values != np.round(values)) or np.any(values < 0) or np.any(values >= k):
        raise ValueError(f"labels must be whole numbers from 0 to {k - 1}, got {np.unique(values)}")
    result = np.zeros((values.size, k))
    result[np.arange(values.size), values.astype(int)] = 1.0
    return result
