"""Shared pytest setup for the unit tests, the doctests in nnmath/ and the page runs."""

import pytest
import matplotlib

# Figures in tests and doctests are drawn off-screen, on any machine.
matplotlib.use("Agg")


def _default_markers(config: pytest.Config) -> str | None:
    """The marker expression of pyproject.toml's addopts (the unit tests and doctests only), or None."""
    addopts = config.getini("addopts")
    return next((value for flag, value in zip(addopts, addopts[1:]) if flag == "-m"), None)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A bare `pytest` (or `make unit`) spreads the unit tests and doctests over every core (pytest-xdist).

    Only that run: when tests are named on the command line, a marker expression other than the
    unit tests' is given (`make test` gives -m ""), or -n is given, nothing changes. The slow suites
    run in one process, where tests/conftest.py starts the strict build once, in the background.
    """
    unit_run = (config.args_source == pytest.Config.ArgsSource.TESTPATHS
                and config.option.markexpr == _default_markers(config)
                and getattr(config.option, "numprocesses", 0) is None
                and not hasattr(config, "workerinput"))
    if unit_run and config.pluginmanager.hasplugin("xdist"):
        config.option.numprocesses = "auto"
