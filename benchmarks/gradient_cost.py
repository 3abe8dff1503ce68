"""Why backpropagation: the time of one gradient by backpropagation versus finite differences.

Prints, for networks of growing parameter count, the median time of one
backpropagation pass, of one central-difference gradient (2 forward passes per
parameter), and their ratio. Run:  .venv/bin/python benchmarks/gradient_cost.py
"""

from __future__ import annotations

import argparse
import platform
import os

from nnmath.timing import gradient_costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[2, 4, 8, 16, 32, 64])
    parser.add_argument("--repeats", type=int, default=7, help="repeats for the backpropagation median")
    parser.add_argument("--fd-repeats", type=int, default=3, help="repeats for the finite-difference median")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("network: 4 inputs, two tanh hidden layers of the given width, softmax output (3), 32 samples")
    print(f"{'width':>6} {'parameters':>11} {'backprop (ms)':>14} {'finite diff. (ms)':>18} {'ratio':>9}")
    for row in gradient_costs(args.widths, repeats=args.repeats, fd_repeats=args.fd_repeats):
        print(
            f"{row.layer_sizes[1]:>6} {row.n_parameters:>11} {row.backprop_seconds * 1e3:>14.3f} "
            f"{row.finite_difference_seconds * 1e3:>18.1f} {row.ratio:>9.0f}"
        )


if __name__ == "__main__":
    main()
