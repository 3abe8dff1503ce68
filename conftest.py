"""Shared pytest setup for the unit tests, the doctests in nnmath/ and the page runs."""

import linecache
import os
import sys

import pytest
import matplotlib

# Figures in tests and doctests are drawn off-screen, on any machine.
matplotlib.use("Agg")


def _checkcache(filename: str | None = None) -> None:
    """linecache.checkcache as Python 3.12.8 and 3.13.1 have it (CPython issue 126775).

    Every doctest starts with pdb's reset, which calls linecache.checkcache().
    Before those releases it reads each cache entry by a key listed first, so
    an entry removed meanwhile raised KeyError. SymPy's lambdify removes its
    function's entry when the function is freed, and the garbage collector
    can free one between the two, as it did once in CI (KeyError:
    '<lambdifygenerated-2910>'). nnmath's graphs are freed at once when
    dropped (tests/test_graph.py), but a test's traceback can hold one in a
    cycle. This version skips an entry that is gone.
    """
    filenames = list(linecache.cache.copy()) if filename is None else [filename]
    for name in filenames:
        entry = linecache.cache.get(name)
        if entry is None or len(entry) == 1:
            continue  # gone, or a lazy entry, left lazy
        size, mtime, _lines, fullname = entry
        if mtime is None:
            continue  # loaded through a __loader__ or made in memory: nothing to check
        try:
            stat = os.stat(fullname)
        except (OSError, ValueError):
            linecache.cache.pop(name, None)
            continue
        if size != stat.st_size or mtime != stat.st_mtime:
            linecache.cache.pop(name, None)


if sys.version_info < (3, 12, 8) or (3, 13) <= sys.version_info < (3, 13, 1):
    linecache.checkcache = _checkcache


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
