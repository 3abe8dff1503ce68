r"""Rosenblatt's perceptron (1958): one neuron with a step activation.

The perceptron computes a weighted sum of its inputs plus a bias and fires
(outputs 1) when the sum is positive:

.. math:: y = H(w \cdot x + b), \qquad H(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}

It learns with the perceptron rule: after each sample, every weight moves by
the error times its input,

.. math:: w \leftarrow w + \eta\,(t - y)\,x, \qquad b \leftarrow b + \eta\,(t - y),

which changes nothing when the answer was right. On data that a straight line
(a hyperplane) can separate the rule stops after finitely many mistakes; on
data that no line separates, such as XOR, it never stops.

See the chapter :ref:`chapter-neuron`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .activations import heaviside

__all__ = ["Perceptron"]


class Perceptron:
    r"""A single perceptron with ``n_inputs`` inputs.

    See the chapter :ref:`chapter-neuron` (AND is learned,
    XOR is not).

    Parameters
    ----------
    n_inputs : int
        The number of inputs, 1 or more.
    weights : array_like, shape (n_inputs,), optional
        The starting weights :math:`w`; zeros by default (Rosenblatt's choice).
    bias : float
        The starting bias :math:`b`.

    Attributes
    ----------
    weights : ndarray, shape (n_inputs,)
    bias : float

    Raises
    ------
    ValueError
        If ``n_inputs`` is below 1 or ``weights`` does not have shape ``(n_inputs,)``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.perceptron import Perceptron
    >>> from nnmath.datasets import logic_gate
    >>> X, t = logic_gate("and")
    >>> p = Perceptron(2)
    >>> p.fit(X, t, learning_rate=1.0, epochs=20)
    array([1, 3, 3, 2, 1, 0])
    >>> p.weights, p.bias, p.predict(X)
    (array([2., 1.]), -2.0, array([0, 0, 0, 1]))
    """

    def __init__(self, n_inputs: int, weights: ArrayLike | None = None, bias: float = 0.0) -> None:
        self.n_inputs = _validate.whole_number(n_inputs, "n_inputs", minimum=1)
        if weights is None:
            self.weights = np.zeros(self.n_inputs)
        else:
            w = _validate.as_array(weights, "weights", ndim=1)
            if w.shape != (self.n_inputs,):
                raise ValueError(f"weights must have shape ({self.n_inputs},) = (n_inputs,), got shape {w.shape}")
            self.weights = w.copy()
        self.bias = _validate.real_number(bias, "bias")

    def _inputs(self, X: ArrayLike) -> NDArray[np.float64]:
        X = _validate.as_array(X, "X", ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have shape (n_samples, {self.n_inputs}), got shape {X.shape}")
        return X

    def net_input(self, X: ArrayLike) -> NDArray[np.float64]:
        r"""The weighted sums :math:`z = X w + b`, one per sample.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_inputs)

        Returns
        -------
        ndarray, shape (n_samples,)

        Raises
        ------
        TypeError, ValueError
            If ``X`` is not a two-dimensional array of finite numbers with
            ``n_inputs`` columns.

        Examples
        --------
        >>> from nnmath.perceptron import Perceptron
        >>> p = Perceptron(2, weights=[1.0, 1.0], bias=-1.5)
        >>> p.net_input([[0.0, 0.0], [1.0, 1.0]])
        array([-1.5,  0.5])
        """
        return self._net_input(self._inputs(X))

    def _net_input(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(over="ignore", invalid="ignore"):
            z = X @ self.weights + self.bias
        return _validate.finite_result(z, "the net input X w + b", "use smaller X or weights")

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        r"""The perceptron's outputs :math:`H(z)`: 1 where :math:`z > 0`, else 0.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_inputs)

        Returns
        -------
        ndarray of int, shape (n_samples,)

        Raises
        ------
        TypeError, ValueError
            If ``X`` is not a two-dimensional array of finite numbers with
            ``n_inputs`` columns.

        Examples
        --------
        With :math:`w = (1, 1)` and :math:`b = -1.5` the perceptron computes AND:

        >>> from nnmath.perceptron import Perceptron
        >>> p = Perceptron(2, weights=[1.0, 1.0], bias=-1.5)
        >>> p.predict([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
        array([0, 0, 1])
        """
        return heaviside(self.net_input(X)).astype(np.int64)

    def fit(self, X: ArrayLike, t: ArrayLike, learning_rate: float = 1.0, epochs: int = 100) -> NDArray[np.int64]:
        r"""Learn with the perceptron rule, one sample at a time, in the order given.

        For each sample :math:`(x, t)`: predict :math:`y`, then update
        :math:`w \leftarrow w + \eta (t - y) x` and :math:`b \leftarrow b + \eta (t - y)`.
        One pass over all samples is an epoch. Training stops after the first
        epoch without a mistake, or after ``epochs`` epochs.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_inputs)
        t : array_like of 0 and 1, shape (n_samples,)
            The target classes.
        learning_rate : float
            :math:`\eta`, greater than 0.
        epochs : int
            The epoch budget, 1 or more.

        Returns
        -------
        ndarray of int, shape (n_epochs_run,)
            The number of mistakes (updates) in each epoch. It ends in 0 when
            the perceptron learned every sample; otherwise it has ``epochs``
            entries, none of them 0.

        Raises
        ------
        TypeError, ValueError
            For inputs of the wrong shape, targets other than 0 and 1, a
            ``learning_rate`` that is not positive, or ``epochs < 1``.

        Examples
        --------
        OR is learned: the third epoch is the last one with a mistake.

        >>> from nnmath.perceptron import Perceptron
        >>> from nnmath.datasets import logic_gate
        >>> X, t = logic_gate("or")
        >>> p = Perceptron(2)
        >>> p.fit(X, t, learning_rate=1.0, epochs=20)
        array([1, 2, 1, 0])
        >>> p.predict(X)
        array([0, 1, 1, 1])

        XOR is not: every epoch has mistakes, until the budget runs out.

        >>> X, t = logic_gate("xor")
        >>> Perceptron(2).fit(X, t, epochs=5)
        array([2, 3, 4, 4, 4])
        """
        X = self._inputs(X)
        targets = _validate.as_array(t, "t", ndim=1)
        if targets.shape[0] != X.shape[0]:
            raise ValueError(f"t must have one target per row of X, shape ({X.shape[0]},), got shape {targets.shape}")
        if not np.all((targets == 0) | (targets == 1)):
            raise ValueError(f"t must contain only 0 and 1, got the values {np.unique(targets)}")
        eta = _validate.positive_number(learning_rate, "learning_rate")
        budget = _validate.whole_number(epochs, "epochs", minimum=1)
        _validate.check_size(budget, "epochs", "a mistake count per epoch")
        mistakes: list[int] = []
        for _ in range(budget):
            count = 0
            for x, target in zip(X, targets):
                y = float(heaviside(self._net_input(x)))
                if y != target:
                    with np.errstate(over="ignore"):
                        self.weights = self.weights + eta * (target - y) * x
                        self.bias = float(self.bias + eta * (target - y))
                    _validate.finite_result([*self.weights, self.bias], "the perceptron's weights",
                                            "use a smaller learning_rate or smaller X")
                    count += 1
            mistakes.append(count)
            if count == 0:
                break
        return np.array(mistakes, dtype=np.int64)

    def __repr__(self) -> str:
        return f"Perceptron(weights={np.array2string(self.weights, precision=4)}, bias={self.bias:.4g})"

