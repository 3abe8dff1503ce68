"""nnmath.autograd.Value against PyTorch autograd on the same random expressions, in float64.

Needs PyTorch (benchmarks/requirements-torch.txt), which the book and the tests never need:

    .venv-bench/bin/python benchmarks/autograd_torch.py

Builds seeded random expressions of two inputs from every operation Value has, runs each
through Value.backward() and through torch.autograd, and prints how far apart the values and
the gradients are (relative to max(1, |value|)), and the time of one forward and backward pass
of the chapter's many-input function in both.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from nnmath.autograd import Value

UNARY = {
    "neg": (lambda v: -v, lambda t: -t),
    "exp": (lambda v: v.exp(), torch.exp),
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid),
    "relu": (lambda v: v.relu(), torch.relu),
    "square": (lambda v: v**2, lambda t: t**2),
    "log1p2": (lambda v: (v * v + 1).log(), lambda t: torch.log(t * t + 1)),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "rsub": (lambda a, b: 2.5 - a * b, lambda a, b: 2.5 - a * b),
}


def random_expression(rng: np.random.Generator, depth: int):
    if depth == 0 or rng.random() < 0.2:
        return str(rng.choice(["x", "y"]))
    if rng.random() < 0.5:
        return (str(rng.choice(list(UNARY))), random_expression(rng, depth - 1))
    return (str(rng.choice(list(BINARY))), random_expression(rng, depth - 1), random_expression(rng, depth - 1))


def build(tree, leaves, which: int):
    if isinstance(tree, str):
        return leaves[tree]
    op, *args = tree
    table = UNARY if len(args) == 1 else BINARY
    return table[op][which](*(build(a, leaves, which) for a in args))


def compare(n_expressions: int = 500, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    worst_value = worst_grad = 0.0
    for _ in range(n_expressions):
        tree = random_expression(rng, 5)
        point = rng.uniform(-2.0, 2.0, size=2)
        values = {"x": Value(point[0]), "y": Value(point[1])}
        tensors = {n: torch.tensor(p, dtype=torch.float64, requires_grad=True) for n, p in zip("xy", point)}
        ours = build(tree, values, 0)
        theirs = build(tree, tensors, 1)
        if not isinstance(ours, Value):
            continue
        ours.backward()
        theirs.backward()
        scale = max(1.0, abs(theirs.item()))
        worst_value = max(worst_value, abs(ours.data - theirs.item()) / scale)
        for n in "xy":
            g = tensors[n].grad.item() if tensors[n].grad is not None else 0.0
            worst_grad = max(worst_grad, abs(values[n].grad - g) / max(1.0, abs(g)))
    return worst_value, worst_grad


def many_inputs(n: int, repeats: int = 5) -> tuple[float, float]:
    point = np.random.default_rng(1).uniform(-1, 1, size=n)

    def ours():
        xs = [Value(float(p)) for p in point]
        total = 0.0
        for i in range(n):
            total = total + (xs[i] * xs[(i + 1) % n]).tanh()
        total.backward()

    def theirs():
        xs = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        torch.tanh(xs * torch.roll(xs, -1)).sum().backward()

    times = []
    for f in (ours, theirs):
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            f()
            samples.append(time.perf_counter() - start)
        times.append(float(np.median(samples)))
    return times[0], times[1]


if __name__ == "__main__":
    torch.set_num_threads(1)
    worst_value, worst_grad = compare()
    print(f"500 random expressions: largest relative difference of values {worst_value:.1e}, "
          f"of gradients {worst_grad:.1e} (float64)")
    for n in (96, 1000):
        ours, theirs = many_inputs(n)
        print(f"sum of tanh(x_i x_(i+1)), n = {n}: Value {ours * 1e3:.2f} ms (one node per scalar "
              f"operation), PyTorch {theirs * 1e3:.3f} ms (one node per array operation)")
    assert math.isfinite(worst_grad) and worst_grad < 1e-12, "Value and PyTorch disagree"
