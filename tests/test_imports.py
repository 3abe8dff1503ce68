"""What `import nnmath` loads, and the submodules reachable from it on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import nnmath


def loaded_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running ``code``."""
    script = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    return set(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                              text=True).stdout.split())


def test_import_nnmath_loads_numpy_but_not_sympy_matplotlib_or_ipywidgets():
    loaded = loaded_after("import nnmath")
    assert "numpy" in loaded and not loaded & {"sympy", "matplotlib", "ipywidgets"}


@pytest.mark.parametrize("name", ["symbolic", "exercises", "graph"])
def test_the_modules_the_docstring_names_are_the_ones_that_load_sympy(name):
    assert f"nnmath.{name}" in nnmath.__doc__
    assert "sympy" in loaded_after(f"import nnmath\nnnmath.{name}")


def test_widgets_is_an_attribute_after_import_nnmath():
    loaded = loaded_after("import nnmath\nassert nnmath.widgets.training_widget is not None")
    assert "nnmath" in loaded
    assert nnmath.widgets.learning_rate_widget.__module__ == "nnmath.widgets"


def test_an_unknown_attribute_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="module 'nnmath' has no attribute 'widget'"):
        nnmath.widget  # noqa: B018
