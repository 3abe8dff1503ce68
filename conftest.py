"""Shared pytest setup for the unit tests, the doctests in nnmath/ and the page runs."""

import pytest
import matplotlib

# Figures in tests and doctests are drawn off-screen, on any machine.
matplotlib.use("Agg")


# pyproject.toml's default marker expression: a bare `pytest` runs the unit tests and doctests only.
UNIT_TESTS = "not pages and not build"


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A bare `pytest` (or `make unit`) spreads the unit tests and doctests over every core (pytest-xdist).

    Only that run: when tests are named on the command line, a marker expression other than the
    unit tests' is given (`make test` gives -m ""), or -n is given, nothing changes. The slow suites
    run in one process, where tests/conftest.py starts the strict build once, in the background.
    """
    unit_run = (config.args_source == pytest.Config.ArgsSource.TESTPATHS
                and config.option.markexpr == UNIT_TESTS
                and getattr(config.option, "numprocesses", 0) is None
                and not hasattr(config, "workerinput"))
    if unit_run and config.pluginmanager.hasplugin("xdist"):
        config.option.numprocesses = "auto"
