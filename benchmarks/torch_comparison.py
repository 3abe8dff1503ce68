"""One loss_and_gradients call of nnmath against PyTorch CPU autograd doing the same work.

Both compute the loss and every weight and bias gradient of the same network
(ReLU hidden layers, softmax output, mean cross-entropy) in float64, from the
same weights and data; the gradients are checked to agree before timing.
Prints the median time of each (after warm-up, in alternating blocks so both
see the same machine state) and the ratio nnmath / PyTorch.

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -r benchmarks/requirements-torch.txt
    .venv-bench/bin/pip install --no-deps -e .
    .venv-bench/bin/python benchmarks/torch_comparison.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import nnmath

CASES = [
    ("training chapter's network", [2, 16, 16, 3], 300),
    ("medium network", [64, 256, 256, 10], 512),
]


def setup(sizes: list[int], n_samples: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    net = nnmath.MLP(sizes, ["relu"] * (len(sizes) - 2) + ["softmax"], rng=rng, init="he")
    X = rng.normal(size=(n_samples, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=n_samples)
    return net, X, labels, nnmath.one_hot(labels, sizes[-1])


def torch_pass(torch, params, X, labels):
    """Forward and backward through the same network with autograd; returns loss and gradients."""
    for p in params:
        p.grad = None
    a = X
    n_layers = len(params) // 2
    for l in range(n_layers):
        W, b = params[2 * l], params[2 * l + 1]
        z = a @ W.T + b
        a = torch.relu(z) if l < n_layers - 1 else z
    loss = torch.nn.functional.cross_entropy(a, labels)
    loss.backward()
    return loss


def median_times(functions: dict, repeats: int, block: int = 20, warmup: int = 5) -> dict[str, float]:
    """Median seconds per call of each function.

    Calls run in blocks of `block` consecutive calls of one function, the blocks
    of the two alternating, so both see the same machine state over the run.
    Blocks rather than single interleaved calls: after each call PyTorch's
    worker threads keep spinning for a while and would slow down whatever runs
    next on a 2-core machine.
    """
    samples: dict[str, list[float]] = {name: [] for name in functions}
    rounds = max(1, repeats // block)
    for _ in range(rounds):
        for name, f in functions.items():
            for _ in range(warmup):
                f()
            for _ in range(block):
                start = time.perf_counter()
                f()
                samples[name].append(time.perf_counter() - start)
    return {name: float(np.median(s)) for name, s in samples.items()}


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"NumPy {np.__version__}; PyTorch {torch.__version__} with {torch.get_num_threads()} threads")
    for name, sizes, n_samples in CASES:
        net, X, labels, T = setup(sizes, n_samples)
        params = []
        for W, b in zip(net.weights, net.biases):
            params += [torch.tensor(W, dtype=torch.float64, requires_grad=True),
                       torch.tensor(b, dtype=torch.float64, requires_grad=True)]
        X_t = torch.tensor(X, dtype=torch.float64)
        labels_t = torch.tensor(labels, dtype=torch.long)
        loss, dW, db = net.loss_and_gradients(X, T, "cross_entropy")
        loss_t = torch_pass(torch, params, X_t, labels_t)
        # Same float64 computation in a different order: agreement to ~1e-12 relative is expected.
        assert abs(loss - loss_t.item()) <= 1e-12 * max(1.0, abs(loss))
        for l in range(net.n_layers):
            assert np.allclose(dW[l], params[2 * l].grad.numpy(), rtol=1e-9, atol=1e-13)
            assert np.allclose(db[l], params[2 * l + 1].grad.numpy(), rtol=1e-9, atol=1e-13)
        repeats = args.repeats if net.n_parameters < 10_000 else max(40, args.repeats // 5)
        times = median_times({
            "nnmath": lambda: net.loss_and_gradients(X, T, "cross_entropy"),
            "pytorch": lambda: torch_pass(torch, params, X_t, labels_t),
        }, repeats)
        print(f"{name}: {'-'.join(map(str, sizes))}, {n_samples} samples, {net.n_parameters} parameters, "
              f"{repeats} repeats")
        print(f"  nnmath  median {times['nnmath'] * 1e3:8.3f} ms")
        print(f"  PyTorch median {times['pytorch'] * 1e3:8.3f} ms")
        print(f"  ratio nnmath / PyTorch: {times['nnmath'] / times['pytorch']:.2f}")


if __name__ == "__main__":
    main()
