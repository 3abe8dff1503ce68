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
import threading
import warnings
from pathlib import Path
from typing import Callable, NoReturn

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


def missing_on_this_machine(tests: str, missing: str) -> NoReturn:
    """Skip ``tests`` loudly, naming what is ``missing``; under CI=true fail instead.

    For the tests that need a tool the Makefile or .ci/run installs (Chromium, Node with the
    vendored scripts, JupyterLab): a contributor's bare `pytest` runs without them, CI never does.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tests} cannot run on CI: {missing}")
    pytest.skip(f"{tests.upper()} SKIPPED: {missing}")


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


def _strict_build_command(out: Path) -> list[str]:
    """`make book`'s command, writing below ``out``."""
    from _book import ROOT

    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)]


def _uses(item: pytest.Item, fixture: str) -> bool:
    """Whether a test asks for ``fixture``, directly or through another fixture (doctests ask for none)."""
    return fixture in getattr(item, "fixturenames", ())


def _needs_the_build(item: pytest.Item) -> bool:
    """Whether a test reads the strict build (its notebooks or its site)."""
    return _uses(item, "strict_build") or (_uses(item, "built_site") and not os.environ.get("NNMATH_TEST_SITE"))


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that read the strict build run last, and of those the ones that read a browser tour
    (tests/test_browser.py) after the others; the order within each group is kept.

    The build starts in the background when the first test starts (``_strict_build_in_background``),
    so the unit tests, doctests and packaging tests run on the machine's other core meanwhile. The
    tours and `make pdf` start when it ends, in the background too, so the other tests that read
    the build run while they do, not after them.
    """
    items.sort(key=lambda item: (_needs_the_build(item), _uses(item, "tours")))


class _BackgroundBuild:
    """A command that builds from the book, started once per test session as a child process.

    Its output goes to ``out/<name>.log``; :meth:`wait` gives its exit code and that log.
    """

    def __init__(self, out: Path, command: list[str], name: str) -> None:
        from _book import ROOT

        self.out = out
        self.log_path = out / f"{name}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT,
                                        env=kernel_environment(), text=True)
        self._followed: threading.Event | None = None  # set by then()

    @classmethod
    def strict(cls, out: Path) -> "_BackgroundBuild":
        return cls(out, _strict_build_command(out), "strict-build")

    @classmethod
    def pdf(cls, out: Path) -> "_BackgroundBuild":
        """`make pdf` on the strict build in ``out``: its single-page build reuses the executed pages."""
        return cls(out, ["make", "--no-print-directory", "pdf", f"OUT={out}"], "make-pdf")

    def then(self, follow_up: Callable[[int], None]) -> None:
        """Call ``follow_up(exit code)`` in a thread as soon as the command ends; :meth:`wait` waits for it too."""
        self._followed = threading.Event()

        def run() -> None:
            try:
                follow_up(self.process.wait())
            finally:
                self._followed.set()

        threading.Thread(target=run, daemon=True).start()

    def wait(self, timeout: float = 1800) -> StrictBuild:
        try:
            returncode = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        if self._followed is not None:
            self._followed.wait()
        self._log.close()
        return StrictBuild(returncode, self.log_path.read_text(encoding="utf-8", errors="replace"), self.out)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


_PDF = pytest.StashKey["_BackgroundBuild"]()
_TOURS = pytest.StashKey[object]()


def tours_started_with_the_site(config: pytest.Config):
    """The browser tours (tests/test_browser.py's ``Tours``) started when the strict build ended, or None."""
    return config.stash.get(_TOURS, None)


@pytest.fixture(scope="session", autouse=True)
def _strict_build_in_background(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Starts the strict build as the session's first test starts, if any selected test reads it.

    As soon as it has written the site, `make pdf` (which reuses its executed pages) and the
    browser tours start too, if selected tests read them, while the tests that need no build
    still run on the main thread.
    """
    session, config = request.session, request.config
    if not any(_needs_the_build(item) for item in session.items):
        yield None
        return
    build = _BackgroundBuild.strict(tmp_path_factory.mktemp("book"))

    def start_what_reads_the_site(returncode: int) -> None:
        if returncode != 0:
            return
        if any(_uses(item, "made_pdf") for item in session.items):
            config.stash[_PDF] = _BackgroundBuild.pdf(build.out)
        if any(_uses(item, "tours") for item in session.items):
            from test_browser import Tours  # the browser tests' module, imported when they were collected

            tours = Tours.start_if_possible(session, build.out / "_build" / "html")
            if tours is not None:
                config.stash[_TOURS] = tours

    build.then(start_what_reads_the_site)
    yield build
    build.stop()
    if _TOURS in config.stash:
        config.stash[_TOURS].close()
    if _PDF in config.stash:
        config.stash[_PDF].stop()


@pytest.fixture(scope="session")
def strict_build(_strict_build_in_background: _BackgroundBuild | None, tmp_path_factory: pytest.TempPathFactory,
                 request: pytest.FixtureRequest) -> StrictBuild:
    """The whole book built strictly, exactly as `make book` builds it, into a temporary folder.

    This is the one execution of every page in a test run: the page tests
    (tests/test_pages.py) read the notebooks it executed, the site tests its HTML.
    It was started in the background when the session began; this waits for it.
    """
    build = _strict_build_in_background or _BackgroundBuild.strict(tmp_path_factory.mktemp("book"))
    return build.wait()


@pytest.fixture(scope="session")
def made_pdf(strict_build: StrictBuild, request: pytest.FixtureRequest) -> StrictBuild:
    """`make pdf` run on the strict build (started when that build ended): its exit code and output."""
    assert strict_build.returncode == 0, f"the strict build failed:\n{strict_build.log[-6000:]}"
    build = request.config.stash.get(_PDF, None)
    if build is None:
        build = _BackgroundBuild.pdf(strict_build.out)
        request.addfinalizer(build.stop)
    return build.wait()


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


class ReaderEnvironment:
    """A new virtual environment, as a reader's: nnmath's dependencies come from the package index.

    Installing numpy, matplotlib, SymPy and ipywidgets into a new environment is most of what
    the install tests cost, so they share one: the first test that installs nnmath there brings
    the dependencies from the index, and :meth:`without_nnmath` gives every test the environment
    with no nnmath in it, as a reader who has never installed it has.

    Every pip in it installs without byte-compiling (the environment's own pip.conf says so, so the
    install cell's pip obeys it too). Compiling SymPy's, matplotlib's and IPython's thousands of
    modules checks nothing of nnmath's (pip ignores a module that fails to compile), and it is much
    of the first install: the install-cell test took 37 CPU-seconds with it and 23 without on the
    2-core machine (medians of three). Python compiles what a test imports, and the unit tests
    import every module of nnmath.
    """

    def __init__(self, venv: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        # pip's site-wide file (sys.prefix/pip.conf); PIP_* variables and PIP_CONFIG_FILE still win.
        # Not `no-compile = true`: pip stores a file's value straight into the option's destination,
        # `compile`, for --no-compile as for --compile, so that line would switch compiling on.
        (venv / "pip.conf").write_text("[install]\ncompile = false\n")
        self.venv = venv
        self.python = venv / "bin" / "python"

    def without_nnmath(self) -> "ReaderEnvironment":
        subprocess.run([str(self.python), "-m", "pip", "uninstall", "--quiet", "--yes", "nnmath"],
                       capture_output=True, text=True, timeout=300)
        # Run outside the repository: `python -c` imports from its working folder first.
        found = subprocess.run([str(self.python), "-c", "import nnmath"], capture_output=True, cwd=self.venv,
                               timeout=60)
        assert found.returncode != 0, f"nnmath is still importable in {self.venv}"
        return self


@pytest.fixture(scope="session")
def reader_environment(tmp_path_factory: pytest.TempPathFactory) -> ReaderEnvironment:
    """One reader's environment for the install tests; each asks for it ``.without_nnmath()``."""
    return ReaderEnvironment(tmp_path_factory.mktemp("reader") / "venv")

