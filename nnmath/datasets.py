r"""Small toy data sets, made in the page and seeded.

* :func:`sample_function`: noisy samples of a function of one variable, for
  regression;
* :func:`logic_gate`: the truth tables of AND, OR, NAND, NOR and XOR;
* :func:`moons`: two interleaving half circles, two classes;
* :func:`spirals`: arms of a spiral, one class per arm;
* :func:`split`: a seeded split of any data set into training, validation
  and test samples.

Every function that draws random numbers takes ``rng`` (a
``numpy.random.Generator``, an int seed, or ``None``): the same seed gives the
same data. Inputs are returned as ``X`` of shape ``(n_samples, n_in)``, the
book's convention; class labels as integers.

See the chapters :ref:`chapter-how-networks-learn` and :ref:`chapter-neuron`.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np
from numpy.typing import NDArray

from . import _validate

__all__ = ["LOGIC_GATES", "Split", "Subset", "logic_gate", "moons", "sample_function", "spirals", "split"]

LOGIC_GATES: dict[str, tuple[int, int, int, int]] = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}
"""The outputs of each gate for the inputs (0, 0), (0, 1), (1, 0), (1, 1)."""


def _noise(value: Any) -> float:
    noise = _validate.real_number(value, "noise")
    if noise < 0:
        raise ValueError(f"noise must be 0 or greater (a standard deviation), got {value!r}")
    return noise


def sample_function(
    f: Callable[[NDArray[np.float64]], Any],
    n: int,
    x_range: tuple[float, float] = (-1.0, 1.0),
    noise: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Noisy samples of a function of one variable, for regression.

    The inputs are drawn uniformly from ``x_range`` and sorted; each target is

    .. math:: t_i = f(x_i) + \varepsilon_i, \qquad \varepsilon_i \sim \mathcal{N}(0, \text{noise}^2).

    See the chapter :ref:`chapter-how-networks-learn`, which fits such samples of
    :math:`\sin x`.

    Parameters
    ----------
    f : callable
        Maps an array of inputs to an array of the same shape, e.g. ``np.sin``.
    n : int
        The number of samples, 1 or more.
    x_range : (float, float)
        ``(low, high)`` with ``low < high``.
    noise : float
        The standard deviation of the noise added to the targets (0 or more).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X : ndarray, shape (n, 1)
        The inputs, in increasing order.
    T : ndarray, shape (n, 1)
        The targets.

    Raises
    ------
    TypeError, ValueError
        For a non-callable ``f``, ``n < 1``, a bad ``x_range``, negative
        ``noise``, or an ``f`` that returns the wrong shape or non-finite values.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.datasets import sample_function
    >>> X, T = sample_function(np.square, 3, (0.0, 2.0), rng=0)
    >>> X.shape, T.shape
    ((3, 1), (3, 1))
    >>> bool(np.all(T == X**2))
    True
    """
    _validate.callable_(f, "f")
    count = _validate.whole_number(n, "n", minimum=1)
    low, high = _validate.interval(x_range, "x_range")
    sigma = _noise(noise)
    generator = _validate.as_rng(rng)
    _validate.check_size(2 * count, "n", "samples")
    x = np.sort(generator.uniform(low, high, size=count))
    with np.errstate(all="ignore"):
        values = _validate.function_value(f(x.copy()), "f", f"the sampled points of x_range {(low, high)}")
    if values.shape != x.shape:
        raise ValueError(f"f must return one value per input, shape {x.shape}, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"f must return finite values on x_range {(low, high)}, got NaN or infinity")
    with np.errstate(over="ignore"):
        targets = _validate.finite_result(values + sigma * generator.standard_normal(count), "f(x) plus noise",
                                          "use a smaller noise")
    return x.reshape(-1, 1), targets.reshape(-1, 1)


def logic_gate(name: str) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The truth table of a logic gate with two inputs.

    See the chapter :ref:`chapter-neuron`, where a perceptron
    learns AND and fails on XOR.

    Parameters
    ----------
    name : {"and", "or", "nand", "nor", "xor"}
        Upper or lower case.

    Returns
    -------
    X : ndarray, shape (4, 2)
        The inputs (0, 0), (0, 1), (1, 0), (1, 1), one per row.
    t : ndarray of int, shape (4,)
        The gate's output (0 or 1) for each row.

    Raises
    ------
    TypeError, ValueError
        For a name that is not a string or not one of the gates.

    Examples
    --------
    >>> from nnmath.datasets import logic_gate
    >>> X, t = logic_gate("xor")
    >>> X
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.]])
    >>> t
    array([0, 1, 1, 0])
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be one of {', '.join(map(repr, LOGIC_GATES))}, got {_validate._describe(name)}")
    key = _validate.choice(name.lower(), "name", list(LOGIC_GATES))
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array(LOGIC_GATES[key], dtype=np.int64)


def moons(
    n: int = 200,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    r"""Two interleaving half circles, one class each.

    Class 0 lies on the upper half of the unit circle,
    :math:`(\cos\theta, \sin\theta)`; class 1 on a lower half circle shifted
    right and up, :math:`(1 - \cos\theta, \tfrac12 - \sin\theta)`, with
    :math:`\theta` evenly spaced in :math:`[0, \pi]`. Gaussian noise of standard
    deviation ``noise`` is added to both coordinates. No straight line
    separates the classes.

    See the chapter :ref:`chapter-neuron` (one neuron against
    a network with hidden layers on this data).

    Parameters
    ----------
    n : int
        The number of samples, 2 or more: ``ceil(n / 2)`` of class 0, the rest of class 1.
    noise : float
        Standard deviation of the noise (0 or more).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X : ndarray, shape (n, 2)
        The points, class 0 first.
    labels : ndarray of int, shape (n,)
        0 or 1.

    Raises
    ------
    ValueError
        If ``n`` is below 2 or ``noise`` is negative.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.datasets import moons
    >>> X, labels = moons(6, noise=0.0)
    >>> X.shape, labels
    ((6, 2), array([0, 0, 0, 1, 1, 1]))
    >>> X[:3].round(3)
    array([[ 1.,  0.],
           [ 0.,  1.],
           [-1.,  0.]])
    """
    count = _validate.whole_number(n, "n", minimum=2)
    sigma = _noise(noise)
    generator = _validate.as_rng(rng)
    _validate.check_size(3 * count, "n", "samples")
    n0 = (count + 1) // 2
    n1 = count - n0
    theta0 = np.linspace(0.0, np.pi, n0)
    theta1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(theta0), np.sin(theta0)])
    lower = np.column_stack([1.0 - np.cos(theta1), 0.5 - np.sin(theta1)])
    with np.errstate(over="ignore"):
        X = np.vstack([upper, lower]) + sigma * generator.standard_normal((count, 2))
    _validate.finite_result(X, "the noisy moons", "use a smaller noise")
    labels = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n1])
    return X, labels


def spirals(
    n_per_class: int = 100,
    n_classes: int = 3,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    r"""Points on the arms of a spiral, one arm per class.

    See the chapter :ref:`chapter-neuron`.

    Arm :math:`k` starts at the origin and winds outwards: for
    :math:`s` evenly spaced in :math:`[0, 1]` the point at radius :math:`r = s`
    and angle :math:`\theta = 2\pi k / K + 4 s` (:math:`K` classes) is
    :math:`(r \cos\theta, r \sin\theta)`, plus Gaussian noise of standard
    deviation ``noise`` times :math:`r` in each coordinate (the arms are clean at
    the centre, where they meet, and blur towards the outside).

    A harder toy problem than :func:`moons` for the training chapters.

    Parameters
    ----------
    n_per_class : int
        Points per arm, 2 or more.
    n_classes : int
        The number of arms (classes), 2 or more.
    noise : float
        Relative standard deviation of the noise (0 or more).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    X : ndarray, shape (n_per_class * n_classes, 2)
        The points, class 0 first. Without noise every point lies in the unit disc.
    labels : ndarray of int, shape (n_per_class * n_classes,)
        0 .. n_classes - 1.

    Raises
    ------
    ValueError
        If ``n_per_class`` is below 2 or ``noise`` is negative.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.datasets import spirals
    >>> X, labels = spirals(3, n_classes=2, noise=0.0)
    >>> labels
    array([0, 0, 0, 1, 1, 1])
    >>> np.linalg.norm(X, axis=1).round(3)
    array([0. , 0.5, 1. , 0. , 0.5, 1. ])
    """
    per_class = _validate.whole_number(n_per_class, "n_per_class", minimum=2)
    k_classes = _validate.whole_number(n_classes, "n_classes", minimum=2)
    sigma = _noise(noise)
    generator = _validate.as_rng(rng)
    _validate.check_size(3 * per_class * k_classes, "n_per_class × n_classes", "samples")
    s = np.linspace(0.0, 1.0, per_class)
    points = []
    for k in range(k_classes):
        theta = 2.0 * np.pi * k / k_classes + 4.0 * s
        arm = s[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
        points.append(arm + sigma * s[:, None] * generator.standard_normal((per_class, 2)))
    labels = np.repeat(np.arange(k_classes, dtype=np.int64), per_class)
    return np.vstack(points), labels


class Subset(NamedTuple):
    """Some samples of a data set, as returned in a :class:`nnmath.datasets.Split`.

    See the chapter :ref:`chapter-training`.

    Attributes
    ----------
    X : ndarray, shape (n_subset, n_in)
        Their inputs.
    T : ndarray, shape (n_subset,) or (n_subset, n_out)
        Their targets (or labels), as given.
    indices : ndarray of int, shape (n_subset,)
        Their rows in the original ``X`` and ``T``, in increasing order.
    """

    X: NDArray[np.float64]
    T: NDArray[Any]
    indices: NDArray[np.int64]


class Split(NamedTuple):
    """A data set split by :func:`nnmath.split`; unpacks as ``train, validation, test``.

    See the chapter :ref:`chapter-training`.

    Attributes
    ----------
    train : Subset
        The samples to train on.
    validation : Subset or None
        Held-out samples to compare settings on (``None`` when
        ``validation=0``).
    test : Subset or None
        Held-out samples for the final report (``None`` when ``test=0``).
    """

    train: Subset
    validation: Subset | None
    test: Subset | None


def _fraction(value: Any, name: str) -> float:
    fraction = _validate.real_number(value, name)
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"{name} must be a fraction of the samples, from 0 up to (not including) 1, got {value!r}")
    return fraction


def split(
    X: Any,
    T: Any,
    *,
    validation: float = 0.2,
    test: float = 0.0,
    rng: np.random.Generator | int | None = None,
) -> Split:
    r"""Split a data set at random into training, validation and test samples.

    A network is judged on samples it was not trained on. ``split`` shuffles
    the :math:`n` rows with ``rng`` and holds out
    :math:`\operatorname{round}(\text{validation} \cdot n)` of them for
    validation and :math:`\operatorname{round}(\text{test} \cdot n)` for the
    test set; the rest are for training. Every sample lands in exactly one
    part, and each part keeps the original order of its rows.

    The usual protocol: train on ``train``, choose settings (learning rate,
    width, regularisation, when to stop) by the loss or accuracy on
    ``validation``, and report ``test`` once at the end.

    See the chapter :ref:`chapter-training`.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_in)
        The inputs.
    T : array_like, shape (n_samples,) or (n_samples, n_out)
        The targets or class labels, one row per sample; returned with their
        own dtype (integer labels stay integers).
    validation, test : float
        The fractions of the samples to hold out, each from 0 up to (not
        including) 1, together below 1. A fraction above 0 must give at least
        one sample; ``0`` gives ``None`` for that part. At least one of the
        two must be above 0.
    rng : numpy.random.Generator, int or None
        The random state of the shuffle: the same seed gives the same split.

    Returns
    -------
    Split
        ``(train, validation, test)``, each a :class:`nnmath.datasets.Subset` ``(X, T,
        indices)`` or ``None``.

    Raises
    ------
    TypeError, ValueError
        For ``X`` that is not a two-dimensional array of finite numbers, ``T``
        with a different number of rows, a fraction outside :math:`[0, 1)`,
        fractions that add up to 1 or more, nothing held out, or a part that
        would be empty.

    Examples
    --------
    >>> import numpy as np
    >>> from nnmath.datasets import split
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> labels = np.array([0, 1] * 5)
    >>> train, validation, test = split(
    ...     X, labels, validation=0.2, test=0.1, rng=0)
    >>> len(train.indices), len(validation.indices), len(test.indices)
    (7, 2, 1)
    >>> rows = np.concatenate([train.indices, validation.indices, test.indices])
    >>> sorted(rows.tolist())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    >>> bool(np.all(train.X == X[train.indices])), train.T.dtype
    (True, dtype('int64'))
    """
    inputs = _validate.as_array(X, "X", ndim=2)
    if isinstance(T, (str, bytes)) or T is None:
        raise TypeError(f"T must be an array with one row per sample, got {_validate._describe(T)}")
    try:
        targets = np.asarray(T)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"T must be a rectangular array with one row per sample; numpy could not make one "
                         f"from {_validate._describe(T)} ({error})") from None
    if targets.ndim == 0 or targets.shape[0] != inputs.shape[0]:
        raise ValueError(
            f"T must have one row per sample of X ({inputs.shape[0]} rows), got shape {targets.shape}"
        )
    fractions = {"validation": _fraction(validation, "validation"), "test": _fraction(test, "test")}
    if fractions["validation"] + fractions["test"] >= 1.0:
        raise ValueError(
            f"validation + test must be below 1 so that samples are left to train on, got "
            f"{fractions['validation']:g} + {fractions['test']:g}"
        )
    if fractions["validation"] == fractions["test"] == 0.0:
        raise ValueError("validation and test are both 0: nothing is held out; use the data as it is")
    n = inputs.shape[0]
    counts = {name: int(round(f * n)) for name, f in fractions.items()}
    for name, f in fractions.items():
        if f > 0 and counts[name] == 0:
            raise ValueError(f"{name}={f:g} of {n} samples rounds to 0 samples; hold out at least one or use 0")
    if n - counts["validation"] - counts["test"] < 1:
        raise ValueError(f"validation={fractions['validation']:g} and test={fractions['test']:g} of {n} samples leave none to train on")
    order = _validate.as_rng(rng).permutation(n)
    n_test, n_val = counts["test"], counts["validation"]
    parts = {"test": order[:n_test], "validation": order[n_test:n_test + n_val], "train": order[n_test + n_val:]}

    def subset(rows: NDArray[np.int64]) -> Subset:
        rows = np.sort(rows).astype(np.int64)
        return Subset(inputs[rows], targets[rows], rows)

    return Split(
        train=subset(parts["train"]),
        validation=subset(parts["validation"]) if n_val else None,
        test=subset(parts["test"]) if n_test else None,
    )
