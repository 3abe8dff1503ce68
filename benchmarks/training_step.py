"""How long one step of nnmath.train takes on two small networks.

The cases are the 2-2-2 sigmoid network of the backpropagation chapter (one
sample, sum of squared errors, learning rate 0.5) and a 2-16-16-3 ReLU network
with a softmax output trained by cross-entropy on 90 spiral points, the size
of the book's training widgets. Each repeat trains a freshly built network
(the same seed every time) for ``--steps`` steps and divides the time by the
number of steps; the script prints the median over the repeats and the
fastest repeat, in microseconds per step.

Run:  python benchmarks/training_step.py [--steps N] [--repeats N]

To compare two versions of nnmath, run this script once per version with
``PYTHONPATH`` pointing at each checkout, alternating them a few times.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import nnmath


def backpropagation_chapter() -> tuple[nnmath.MLP, np.ndarray, np.ndarray, str]:
    """The chapter's 2-2-2 sigmoid network, one sample and its targets, and the loss."""
    net = nnmath.MLP([2, 2, 2], ["sigmoid", "sigmoid"], rng=0)
    return net, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]), "sse"


def spiral_classifier() -> tuple[nnmath.MLP, np.ndarray, np.ndarray, str]:
    """A 2-16-16-3 ReLU network with a softmax output, 90 spiral points one-hot encoded, and the loss."""
    net = nnmath.MLP([2, 16, 16, 3], ["relu", "relu", "softmax"], rng=0, init="he")
    X, labels = nnmath.datasets.spirals(30, n_classes=3, noise=0.1, rng=0)
    return net, X, nnmath.one_hot(labels, 3), "cross_entropy"


CASES = {
    "2-2-2 sigmoid, 1 sample, sse": backpropagation_chapter,
    "2-16-16-3 relu, 90 samples, cross-entropy": spiral_classifier,
}


def seconds_per_step(make_case, steps: int, repeats: int) -> list[float]:
    """Seconds per training step, one value per repeat (each on a fresh network)."""
    times = []
    for _ in range(repeats):
        net, X, T, loss = make_case()
        start = time.perf_counter()
        history = nnmath.train(net, X, T, loss, learning_rate=0.5, steps=steps)
        times.append((time.perf_counter() - start) / steps)
        assert history.steps == steps, history.stop_reason
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=500, help="training steps per repeat")
    parser.add_argument("--repeats", type=int, default=15, help="repeats per network (the median is printed)")
    args = parser.parse_args()
    seconds_per_step(backpropagation_chapter, 20, 2)  # warm-up: imports, caches
    print(f"nnmath from {nnmath.__file__}")
    print(f"{'network':44s} {'median µs/step':>15s} {'fastest':>8s}")
    for name, make_case in CASES.items():
        t = np.array(seconds_per_step(make_case, args.steps, args.repeats)) * 1e6
        print(f"{name:44s} {np.median(t):15.1f} {t.min():8.1f}")


if __name__ == "__main__":
    main()
