r"""Gradient descent, and what happens when it diverges.

See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-gradient-descent`.

The update rule of the chapter "Gradient descent",

.. math:: x_{k+1} = x_k - \eta\, \nabla f(x_k),

and the rules of the chapter "Curvature, momentum and adaptive steps"
(:ref:`chapter-momentum`), each written as :math:`x_{k+1} = x_k - \eta\, d_k`
with a *direction* :math:`d_k` that an optimiser object computes from the
gradient and its own running averages:

* :class:`SGD`: heavy ball (:math:`d_k = v_{k+1} = \beta v_k + \nabla f(x_k)`)
  or Nesterov (:math:`d_k = \nabla f(x_k) + \beta v_{k+1}`), as ``torch.optim.SGD``;
* :class:`RMSprop`: :math:`d_k = g_k / (\sqrt{s_{k+1}} + \epsilon)`, as ``torch.optim.RMSprop``;
* :class:`Adam`: :math:`d_k = \hat m_{k+1} / (\sqrt{\hat s_{k+1}} + \epsilon)`, as ``torch.optim.Adam``.

The same objects make the update of :func:`nnmath.train` (its ``optimizer`` argument).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = ["Adam", "DivergenceError", "OPTIMIZERS", "Optimizer", "RMSprop", "SGD", "adam", "get_optimizer", "gradient_descent", "rmsprop"]


class DivergenceError(ArithmeticError):
    """Gradient descent left the finite numbers: the learning rate is too large.

    See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-gradient-descent`.

    Attributes
    ----------
    step : int
        The first step whose iterate (or gradient) was not finite.
    learning_rate : float
        The learning rate that was too large.
    trajectory : ndarray, shape ``(step, *np.shape(x0))``
        The values that were still finite: the iterates starting with ``x0``
        (:func:`gradient_descent`), or the losses (:func:`nnmath.train`).
    quantity : str
        What ``trajectory`` holds, for the message: ``"iterate"`` or ``"loss"``.

    Examples
    --------
    >>> import nnmath
    >>> try:
    ...     nnmath.gradient_descent(lambda x: 2 * x, [1.0], 1.5, 2000)
    ... except nnmath.DivergenceError as error:
    ...     print(error.step, error.trajectory.shape)
    1024 (1024, 1)
    """

    def __init__(
        self, step: int, learning_rate: float, trajectory: NDArray[np.float64], quantity: str = "iterate"
    ) -> None:
        self.step = step
        self.learning_rate = learning_rate
        self.trajectory = trajectory
        self.quantity = quantity
        last = np.array2string(trajectory[-1], precision=4) if len(trajectory) else "none"
        super().__init__(
            f"gradient descent diverged at step {step} with learning_rate={learning_rate:g}: "
            f"the values grew beyond floating-point range (last finite {quantity} {last}); "
            "try a smaller learning rate"
        )


State = tuple  # an optimiser's running averages for one array, e.g. (v,) or (m, s)


class Optimizer:
    r"""An update rule :math:`x_{k+1} = x_k - \eta\, d_k`: how to turn gradients into the direction :math:`d_k`.

    See the chapter :ref:`chapter-momentum`.

    Subclasses hold the rule's constants (everything but the learning rate),
    the number ``n_averages`` of running averages they keep, and the rule
    itself in ``_direction``; :meth:`start` and :meth:`direction` are the
    public interface. The same object serves :func:`gradient_descent`,
    :func:`rmsprop`, :func:`adam` and :func:`nnmath.train`, which keeps one
    state per weight matrix and bias vector.
    """

    name = "optimizer"
    n_averages = 1
    """How many running averages the rule keeps per array."""

    def start(self, x: NDArray[np.float64]) -> State:
        """The running averages before the first step: zeros shaped like ``x``.

        Parameters
        ----------
        x : ndarray
            The array the rule will update (an iterate, a weight matrix, a bias vector).

        Returns
        -------
        tuple of ndarray
            One array of zeros per running average.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> nnmath.Adam().start(np.ones(3))
        (array([0., 0., 0.]), array([0., 0., 0.]))
        """
        return tuple(np.zeros_like(x) for _ in range(self.n_averages))

    def direction(self, g: NDArray[np.float64], state: State, t: int) -> tuple[NDArray[np.float64], State]:
        r"""The direction :math:`d` of the step :math:`x \leftarrow x - \eta d`, and the new running averages.

        Parameters
        ----------
        g : ndarray
            The gradient at the current iterate.
        state : tuple of ndarray
            The running averages, from :meth:`start` or the previous call.
        t : int
            The step number, 1 for the first step (Adam's bias correction uses it).

        Returns
        -------
        d : ndarray
            Shaped like ``g``.
        state : tuple of ndarray
            The updated running averages, for the next call.

        Examples
        --------
        >>> import numpy as np, nnmath
        >>> rule = nnmath.SGD(momentum=0.9)
        >>> d, state = rule.direction(np.array([1.0]), rule.start(np.zeros(1)), 1)
        >>> d, state
        (array([1.]), (array([1.]),))
        """
        return self._direction(np.asarray(g, dtype=np.float64), state, t)

    def _direction(self, g: NDArray[np.float64], state: State, t: int) -> tuple[NDArray[np.float64], State]:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


def _fraction(value: Any, name: str) -> float:
    """A number in [0, 1), as a decay rate must be."""
    number = _validate.real_number(value, name)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1) (0 included, 1 excluded), got {value!r}")
    return number


class SGD(Optimizer):
    r"""Gradient descent with optional momentum, as ``torch.optim.SGD(lr, momentum, nesterov=...)``.

    See the chapters :ref:`chapter-gradient-descent` and :ref:`chapter-momentum`.

    With :math:`g_k = \nabla f(x_k)`, the buffer :math:`v_{k+1} = \beta v_k + g_k`
    (:math:`v_0 = 0`, so :math:`v_1 = g_0`) and

    .. math:: d_k = v_{k+1} \text{ (heavy ball)}, \qquad d_k = g_k + \beta v_{k+1} \text{ (Nesterov)}.

    ``momentum=0`` is plain gradient descent, :math:`d_k = g_k`. There is no
    dampening (PyTorch's default ``dampening=0``).

    Parameters
    ----------
    momentum : float
        :math:`\beta`, in [0, 1).
    nesterov : bool
        Nesterov's look-ahead form; needs ``momentum > 0``.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> rule = nnmath.SGD(momentum=0.5)
    >>> state = rule.start(np.zeros(1))
    >>> d, state = rule.direction(np.array([1.0]), state, 1)
    >>> d, state = rule.direction(np.array([1.0]), state, 2)
    >>> d                                   # 0.5 * 1 + 1
    array([1.5])
    """

    name = "sgd"

    def __init__(self, momentum: float = 0.0, nesterov: bool = False) -> None:
        self.momentum = _fraction(momentum, "momentum")
        _validate.flag(nesterov, "nesterov")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0 (as in torch.optim.SGD), got momentum=0")
        self.nesterov = bool(nesterov)

    def _direction(self, g: NDArray[np.float64], state: State, t: int) -> tuple[NDArray[np.float64], State]:
        (v,) = state  # with momentum 0 the buffer is the gradient itself: d = g exactly
        v = self.momentum * v + g
        return (g + self.momentum * v if self.nesterov else v), (v,)


class RMSprop(Optimizer):
    r"""RMSProp, as ``torch.optim.RMSprop(lr, alpha, eps)`` (no momentum, not centred).

    See the chapter :ref:`chapter-momentum`.

    A running average of squared gradients, per coordinate, divides the step:

    .. math:: s_{k+1} = \alpha s_k + (1 - \alpha)\, g_k^2, \quad s_0 = 0, \qquad
       d_k = \frac{g_k}{\sqrt{s_{k+1}} + \epsilon}.

    Parameters
    ----------
    alpha : float
        :math:`\alpha`, in [0, 1).
    eps : float
        :math:`\epsilon > 0`, which keeps the division finite where
        :math:`s` is 0.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> rule = nnmath.RMSprop(alpha=0.75)
    >>> d, _ = rule.direction(np.array([2.0]), rule.start(np.zeros(1)), 1)
    >>> d.round(6)                          # 2 / sqrt(0.25 * 4) = 2
    array([2.])
    """

    name = "rmsprop"

    def __init__(self, alpha: float = 0.99, eps: float = 1e-8) -> None:
        self.alpha = _fraction(alpha, "alpha")
        self.eps = _validate.positive_number(eps, "eps")

    def _direction(self, g: NDArray[np.float64], state: State, t: int) -> tuple[NDArray[np.float64], State]:
        (s,) = state
        s = self.alpha * s + (1 - self.alpha) * g * g
        return g / (np.sqrt(s) + self.eps), (s,)


class Adam(Optimizer):
    r"""Adam, as ``torch.optim.Adam(lr, betas=(beta1, beta2), eps)`` (no weight decay, no AMSGrad).

    See the chapter :ref:`chapter-momentum`.

    Running averages of the gradient and of its square, corrected for
    starting at 0, per coordinate:

    .. math:: m_{t} = \beta_1 m_{t-1} + (1 - \beta_1) g, \quad
       s_{t} = \beta_2 s_{t-1} + (1 - \beta_2) g^2, \qquad
       d = \frac{m_t / (1 - \beta_1^t)}{\sqrt{s_t} / \sqrt{1 - \beta_2^t} + \epsilon},

    with :math:`t = 1, 2, \dots` the step number. The denominator is
    written as PyTorch computes it, so that the iterates agree to rounding.

    Parameters
    ----------
    beta1, beta2 : float
        :math:`\beta_1, \beta_2`, in [0, 1).
    eps : float
        :math:`\epsilon > 0`.

    Examples
    --------
    >>> import numpy as np, nnmath
    >>> rule = nnmath.Adam()
    >>> d, _ = rule.direction(np.array([-3.0]), rule.start(np.zeros(1)), 1)
    >>> d.round(6)   # the first step has length 1 (times eta)
    array([-1.])
    """

    name = "adam"
    n_averages = 2

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.beta1 = _fraction(beta1, "beta1")
        self.beta2 = _fraction(beta2, "beta2")
        self.eps = _validate.positive_number(eps, "eps")

    def _direction(self, g: NDArray[np.float64], state: State, t: int) -> tuple[NDArray[np.float64], State]:
        m, s = state
        m = self.beta1 * m + (1 - self.beta1) * g
        s = self.beta2 * s + (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1**t)
        return m_hat / (np.sqrt(s) / np.sqrt(1 - self.beta2**t) + self.eps), (m, s)


OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}
"""The optimiser names :func:`get_optimizer` (and :func:`nnmath.train`) accept, with their classes."""


def get_optimizer(optimizer: str | Optimizer) -> Optimizer:
    """An :class:`Optimizer` from a name in :data:`OPTIMIZERS` (default settings) or an optimiser itself.

    See the chapter :ref:`chapter-momentum`.

    Examples
    --------
    >>> import nnmath
    >>> nnmath.get_optimizer("adam")
    Adam(beta1=0.9, beta2=0.999, eps=1e-08)
    >>> nnmath.get_optimizer(nnmath.SGD(momentum=0.9))
    SGD(momentum=0.9, nesterov=False)
    """
    if isinstance(optimizer, Optimizer):
        return optimizer
    return OPTIMIZERS[_validate.choice(optimizer, "optimizer", OPTIMIZERS)]()


def _descend(
    rule: Optimizer,
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    learning_rate: float,
    steps: int,
) -> NDArray[np.float64]:
    """Every iterate of :math:`x_{k+1} = x_k - \\eta d_k` with ``rule``'s directions."""
    _validate.callable_(gradient, "gradient")
    x = _validate.as_array(x0, "x0")
    eta = _validate.positive_number(learning_rate, "learning_rate")
    n = _validate.whole_number(steps, "steps", minimum=0)
    _validate.check_size((n + 1) * x.size, "steps", "a trajectory")
    trajectory = np.empty((n + 1, *x.shape))
    trajectory[0] = x
    state = rule.start(x)
    with np.errstate(all="ignore"):
        for k in range(n):
            try:
                g = _validate.function_value(gradient(trajectory[k].copy()), "gradient", f"step {k}")
            except _validate.Overflow:  # the gradient of a diverging run overflowed
                raise DivergenceError(k + 1, eta, trajectory[: k + 1].copy()) from None
            if g.shape != x.shape:
                raise ValueError(
                    f"gradient must return an array shaped like x0 {x.shape}, got shape {g.shape}"
                )
            d, state = rule.direction(g, state, k + 1)
            trajectory[k + 1] = trajectory[k] - eta * d
            if not (np.all(np.isfinite(d)) and np.all(np.isfinite(trajectory[k + 1]))):
                raise DivergenceError(k + 1, eta, trajectory[: k + 1].copy())
    return trajectory


_RETURNS_RAISES = """
    Returns
    -------
    ndarray, shape (steps + 1, *np.shape(x0))
        Row 0 is ``x0``, row ``k`` the iterate after ``k`` steps.

    Raises
    ------
    DivergenceError
        When an iterate or a step stops being finite; it names the step
        and the learning rate and carries the finite part of the trajectory.
    TypeError, ValueError
        For a non-callable ``gradient``, non-finite ``x0``, ``learning_rate <= 0``,
        ``steps < 0``, a gradient of the wrong shape, or a constant out of range
        (decay rates must lie in [0, 1), ``eps`` must be greater than 0).
"""

_COMMON_PARAMETERS = """
    gradient : callable
        :math:`\\nabla f`: takes an array shaped like ``x0``, returns one shaped like it.
    x0 : float or array_like
        The starting point.
    learning_rate : float
        :math:`\\eta`, a positive finite number.
    steps : int
        How many updates, 0 or more."""


def gradient_descent(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    learning_rate: float,
    steps: int,
    *,
    momentum: float = 0.0,
    nesterov: bool = False,
) -> NDArray[np.float64]:
    r"""Run ``steps`` steps of gradient descent from ``x0`` and return every iterate.

    See the chapters :ref:`chapter-how-networks-learn`, :ref:`chapter-gradient-descent`
    and :ref:`chapter-momentum`.

    .. math:: x_{k+1} = x_k - \eta\, \nabla f(x_k), \qquad k = 0, 1, \dots, \text{steps} - 1

    With ``momentum`` :math:`\beta > 0` it is the heavy ball,
    :math:`v_{k+1} = \beta v_k + \nabla f(x_k)` (:math:`v_1 = \nabla f(x_0)`),
    :math:`x_{k+1} = x_k - \eta v_{k+1}`; with ``nesterov=True`` the step is
    :math:`x_{k+1} = x_k - \eta (\nabla f(x_k) + \beta v_{k+1})`. The
    iterates are those of ``torch.optim.SGD([x], lr=learning_rate,
    momentum=momentum, nesterov=nesterov)`` (see :class:`SGD`).

    Parameters
    ----------{common}
    momentum : float
        :math:`\beta`, in [0, 1); 0 (the default) is plain gradient descent.
    nesterov : bool
        Nesterov momentum; needs ``momentum > 0``.
    {returns}
    Examples
    --------
    >>> import nnmath
    >>> f = nnmath.quadratic(1.0)                      # f(x) = x^2, f'(x) = 2x
    >>> nnmath.gradient_descent(f.derivative, 1.0, learning_rate=0.25, steps=3)
    array([1.   , 0.5  , 0.25 , 0.125])
    >>> # v_2 = 0.5*2 + 1 = 2
    >>> nnmath.gradient_descent(f.derivative, 1.0, 0.25, 2, momentum=0.5)
    array([1. , 0.5, 0. ])
    """
    return _descend(SGD(momentum, nesterov), gradient, x0, learning_rate, steps)


def rmsprop(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    learning_rate: float,
    steps: int,
    *,
    alpha: float = 0.99,
    eps: float = 1e-8,
) -> NDArray[np.float64]:
    r"""Run ``steps`` steps of RMSProp from ``x0`` and return every iterate.

    See the chapter :ref:`chapter-momentum`.

    .. math:: s_{k+1} = \alpha s_k + (1 - \alpha) \nabla f(x_k)^2, \qquad
       x_{k+1} = x_k - \eta \frac{\nabla f(x_k)}{\sqrt{s_{k+1}} + \epsilon}

    per coordinate, from :math:`s_0 = 0`: the iterates of
    ``torch.optim.RMSprop([x], lr=learning_rate, alpha=alpha, eps=eps)`` (see :class:`RMSprop`).

    Parameters
    ----------{common}
    alpha : float
        :math:`\alpha`, the decay of the average of squared gradients, in [0, 1).
    eps : float
        :math:`\epsilon > 0`.
    {returns}
    Examples
    --------
    >>> import nnmath
    >>> f = nnmath.quadratic(1.0)
    >>> # step 1: 0.1 * 2 / sqrt(0.25 * 4)
    >>> nnmath.rmsprop(f.derivative, 1.0, 0.1, 2, alpha=0.75).round(4)
    array([1.    , 0.8   , 0.6643])
    """
    return _descend(RMSprop(alpha, eps), gradient, x0, learning_rate, steps)


def adam(
    gradient: Callable[[NDArray[np.float64]], ArrayLike],
    x0: ArrayLike,
    learning_rate: float,
    steps: int,
    *,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> NDArray[np.float64]:
    r"""Run ``steps`` steps of Adam from ``x0`` and return every iterate.

    See the chapter :ref:`chapter-momentum`.

    With :math:`g = \nabla f(x_{t-1})` at step :math:`t = 1, 2, \dots`, per coordinate,

    .. math:: m_t = \beta_1 m_{t-1} + (1 - \beta_1) g, \quad s_t = \beta_2 s_{t-1} + (1 - \beta_2) g^2, \quad
       x_t = x_{t-1} - \eta \frac{m_t / (1 - \beta_1^t)}{\sqrt{s_t / (1 - \beta_2^t)} + \epsilon},

    from :math:`m_0 = s_0 = 0`: the iterates of ``torch.optim.Adam([x],
    lr=learning_rate, betas=(beta1, beta2), eps=eps)`` (see :class:`Adam`).

    Parameters
    ----------{common}
    beta1 : float
        :math:`\beta_1`, the decay of the average gradient, in [0, 1).
    beta2 : float
        :math:`\beta_2`, the decay of the average squared gradient, in [0, 1).
    eps : float
        :math:`\epsilon > 0`.
    {returns}
    Examples
    --------
    >>> import nnmath
    >>> f = nnmath.quadratic(1.0)
    >>> nnmath.adam(f.derivative, 1.0, 0.1, 3).round(4)    # the first step is eta
    array([1.    , 0.9   , 0.8004, 0.7016])
    """
    return _descend(Adam(beta1, beta2, eps), gradient, x0, learning_rate, steps)


for _function in (gradient_descent, rmsprop, adam):
    _function.__doc__ = _function.__doc__.replace("{common}", _COMMON_PARAMETERS).replace("{returns}", _RETURNS_RAISES)
