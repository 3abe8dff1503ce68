"""nnmath's optimisers against torch.optim: the same iterates on the same problems.

For gradient descent with momentum (heavy ball and Nesterov), RMSProp and
Adam, runs nnmath and the matching ``torch.optim`` call in float64 from the
same start on an ill-conditioned quadratic and on the Rosenbrock function,
and prints the largest difference between the iterates, relative to their
size. Agreement to about 1e-15 per step (rounding) is expected; the
differences grow slowly with the number of steps on the non-convex problem.

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -r benchmarks/requirements-torch.txt
    .venv-bench/bin/pip install --no-deps -e .
    .venv-bench/bin/python benchmarks/optim_torch.py
"""

from __future__ import annotations

import numpy as np

import nnmath

PROBLEMS = {
    "bowl 1/2 v1^2 + 10 v2^2": (lambda v: np.array([1.0, 20.0]) * v, np.array([-2.0, 1.0])),
    "Rosenbrock": (lambda v: np.array([-2 * (1 - v[0]) - 400 * v[0] * (v[1] - v[0] ** 2),
                                       200 * (v[1] - v[0] ** 2)]), np.array([-1.2, 1.0])),
}

CASES = [
    ("SGD momentum 0.9", lambda g, x0, n: nnmath.gradient_descent(g, x0, 1e-3, n, momentum=0.9),
     lambda torch, p: torch.optim.SGD(p, lr=1e-3, momentum=0.9)),
    ("SGD Nesterov 0.9", lambda g, x0, n: nnmath.gradient_descent(g, x0, 1e-3, n, momentum=0.9, nesterov=True),
     lambda torch, p: torch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True)),
    ("RMSprop", lambda g, x0, n: nnmath.rmsprop(g, x0, 1e-3, n),
     lambda torch, p: torch.optim.RMSprop(p, lr=1e-3)),
    ("Adam", lambda g, x0, n: nnmath.adam(g, x0, 1e-2, n),
     lambda torch, p: torch.optim.Adam(p, lr=1e-2)),
]


def torch_run(torch, make, gradient, x0, steps):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    optimizer = make(torch, [x])
    path = [x.detach().numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        x.grad = torch.tensor(gradient(x.detach().numpy().copy()), dtype=torch.float64)
        optimizer.step()
        path.append(x.detach().numpy().copy())
    return np.array(path)


def main() -> None:
    import torch

    steps = 500
    print(f"torch {torch.__version__}, {steps} steps; largest |nnmath - torch| / max|x|")
    for problem, (gradient, x0) in PROBLEMS.items():
        for name, ours, theirs in CASES:
            a = ours(gradient, x0, steps)
            b = torch_run(torch, theirs, gradient, x0, steps)
            print(f"  {problem:26s} {name:18s} {np.max(np.abs(a - b)) / np.max(np.abs(b)):.2e}")


if __name__ == "__main__":
    main()
