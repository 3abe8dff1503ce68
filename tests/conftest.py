"""Shared set-up for the nnmath unit tests.

* matplotlib is switched to the non-interactive Agg backend before anything
  imports pyplot, so plotting tests run headless.
* Hypothesis runs derandomized (a fixed seed derived from each test) and keeps
  no example database, so every run explores the same examples: the suite is
  reproducible, as the project's rules require for randomness.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # must precede any "import matplotlib.pyplot"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "nnmath",
    derandomize=True,  # seeded: the same examples on every run and machine
    database=None,  # no .hypothesis/ directory next to the sources
    deadline=None,  # timing varies on shared CI machines; max_examples bounds the cost
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("nnmath")


@pytest.fixture
def unchanged_rcparams():
    """Fails a test that changes matplotlib.rcParams (plot helpers must not); closes its figures."""
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    yield
    after = dict(matplotlib.rcParams)
    plt.close("all")
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert changed == [], f"rcParams changed: {changed}"


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator: tests that draw numbers draw the same ones every run."""
    return np.random.default_rng(20240601)


def central_difference(f, x, h=1e-5):
    """An independent central difference (f(x+h) - f(x-h)) / 2h, elementwise.

    Written here, not taken from nnmath.calculus, so that the activations'
    derivatives are checked against code that shares nothing with the package.
    The step actually taken, (x+h) - (x-h) after rounding, is used as the
    denominator so that the only errors are truncation and round-off in f.
    """
    x = np.asarray(x, dtype=np.float64)
    up, down = x + h, x - h
    return (f(up) - f(down)) / (up - down)


def central_difference_gradient(f, x, h=6e-6):
    """The gradient of a scalar function of a vector by central differences, one coordinate at a time.

    Entry i is (f(x + h e_i) - f(x - h e_i)) / (step taken), with the step
    actually taken after rounding as the denominator, as in central_difference.
    Written here so that network gradients are checked against code that
    shares nothing with nnmath.calculus.
    """
    x = np.asarray(x, dtype=np.float64)
    gradient = np.empty_like(x)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        gradient[i] = (f(up) - f(down)) / (up[i] - down[i])
    return gradient


class NoWarnings:
    """Context manager that records every warning and lets the test assert there were none.

    pyproject.toml already turns warnings into errors; this makes the check an
    explicit assertion in the tests that are *about* warnings.
    """

    def __enter__(self):
        self._cm = warnings.catch_warnings(record=True)
        self.caught = self._cm.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)

    @property
    def messages(self) -> list[str]:
        return [f"{w.category.__name__}: {w.message}" for w in self.caught]


def kernel_environment() -> dict[str, str]:
    """The environment for notebook kernels: ours, without a matplotlib backend override.

    With MPLBACKEND=Agg (set by many CI setups) plt.show() in a kernel draws
    nothing, and a page would silently lose its figures.
    """
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@dataclass(frozen=True)
class StrictBuild:
    """One run of the strict build: its exit code, its log, and where it wrote."""

    returncode: int
    log: str
    out: Path

    @property
    def html(self) -> Path:
        return self.out / "_build" / "html"

    @property
    def executed(self) -> Path:
        """MyST-NB's executed notebooks, one per page, at the page's path with .ipynb."""
        return self.out / "_build" / "jupyter_execute"


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory: pytest.TempPathFactory) -> StrictBuild:
    """The whole book built strictly, exactly as `make book` builds it, into a temporary folder.

    This is the one execution of every page in a test run: the page tests
    (tests/test_pages.py) read the notebooks it executed, the site tests its HTML.
    """
    from _book import ROOT

    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=kernel_environment(),
        timeout=1800,
    )
    return StrictBuild(result.returncode, result.stdout + result.stderr, out)


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The strictly built website (_build/html); the test fails with the build's log if the build failed.

    A contributor who is changing only the site tests may set NNMATH_TEST_SITE to an
    already built ``_build/html`` (for example the one ``make book`` wrote) to skip the
    build; ``make test`` and CI never set it.
    """
    reuse = os.environ.get("NNMATH_TEST_SITE")
    if reuse:
        site = Path(reuse).resolve()
        assert (site / "index.html").exists(), f"NNMATH_TEST_SITE={reuse} holds no built site (no index.html)"
        return site
    strict_build = request.getfixturevalue("strict_build")
    assert strict_build.returncode == 0, f"the strict build failed:\n{strict_build.log[-6000:]}"
    return strict_build.html
