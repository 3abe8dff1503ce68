"""How long one live update of each learning-rate widget takes (recompute + redraw).

Moves the slider of each live widget of nnmath.widgets through a range of
learning rates and times each update: gradient descent by nnmath, the figure
drawn by matplotlib and encoded as a PNG. Prints the median and the 95th
percentile. Run:  python benchmarks/widget_speed.py [--repeats N]
"""

from __future__ import annotations

import argparse
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

import nnmath  # noqa: E402
from nnmath.widgets import learning_rate_widget, stability_threshold  # noqa: E402


def time_updates(problem, repeats: int) -> list[float]:
    """Seconds per slider move, over ``repeats`` moves across 0.05 to 1.2 times the threshold."""
    box = learning_rate_widget(problem, mode="live")
    threshold = stability_threshold(problem)
    rates = np.round(np.linspace(0.05, 1.2, repeats) * threshold, 10)
    times = []
    for eta in rates:
        start = time.perf_counter()
        box.slider.value = float(eta)  # the observe callback recomputes and redraws
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    problems = {
        "profit (ascent)": nnmath.profit,
        "quadratic(1)": nnmath.quadratic(1.0),
        "QuadraticBowl([1, 4])": nnmath.QuadraticBowl([1.0, 4.0]),
    }
    print(f"{'widget':24s} {'median ms':>10s} {'p95 ms':>8s}")
    for name, problem in problems.items():
        t = np.array(time_updates(problem, args.repeats)) * 1000
        print(f"{name:24s} {np.median(t):10.1f} {np.percentile(t, 95):8.1f}")


if __name__ == "__main__":
    main()
