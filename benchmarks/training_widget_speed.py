"""How long one live update of the training widget takes (retrain + redraw).

Builds nnmath.widgets.training_widget in live mode on the spirals of the
chapter "Training a network" (300 points, a 2-16-16-3 network, 1000 steps)
and times each update: moving the learning-rate slider across 0.01 to 10,
then changing the width and the activation. Each update trains the network
with nnmath, redraws the reused figure and encodes it as a PNG. Prints the
median and the 95th percentile, and the share of the time spent training.
Run:  python benchmarks/training_widget_speed.py [--repeats N]
"""

from __future__ import annotations

import argparse
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import nnmath  # noqa: E402
from nnmath.widgets import training_frame, training_widget  # noqa: E402


def time_updates(box, control, values) -> list[float]:
    """Seconds per change of ``control`` to each of ``values`` (the observe callback retrains and redraws)."""
    times = []
    for value in values:
        start = time.perf_counter()
        control.value = value
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20, help="learning rates to move the slider through")
    args = parser.parse_args()
    X, labels = nnmath.datasets.spirals(100, n_classes=3, noise=0.1, rng=0)
    box = training_widget(X, labels, mode="live", rng=1)
    rates = np.round(np.geomspace(0.01, 10.0, args.repeats), 6)
    rows = {
        "learning rate": time_updates(box, box.slider, rates),
        "width": time_updates(box, box.controls["width"], [2, 4, 8, 32, 16] * 2),
        "activation": time_updates(box, box.controls["activation"], ["tanh", "sigmoid", "relu"] * 3),
    }
    train_only = []
    for eta in rates[:10]:
        start = time.perf_counter()
        training_frame(X, labels, learning_rate=float(eta), rng=1)
        train_only.append(time.perf_counter() - start)
    print(f"{'live update of':24s} {'median ms':>10s} {'p95 ms':>8s} {'n':>4s}")
    every = []
    for name, times in rows.items():
        t = np.array(times) * 1000
        every += list(t)
        print(f"{name:24s} {np.median(t):10.1f} {np.percentile(t, 95):8.1f} {len(t):4d}")
    t = np.array(every)
    print(f"{'all updates':24s} {np.median(t):10.1f} {np.percentile(t, 95):8.1f} {len(t):4d}")
    t = np.array(train_only) * 1000
    print(f"{'training_frame alone':24s} {np.median(t):10.1f} {np.percentile(t, 95):8.1f} {len(t):4d}")


if __name__ == "__main__":
    main()
