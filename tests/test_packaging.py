"""nnmath as a package readers install: a wheel and an sdist that work in a fresh environment.

`python -m build` makes both; each is installed into a new virtual
environment without nnmath (dependencies from the package index, as a reader
gets them; the install tests share one, see ``reader_environment``), and
the library example of the README — read from README.md itself, so the two
cannot drift — runs there, outside this repository.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import nnmath
from _book import ROOT

pytestmark = pytest.mark.build


def readme_library_example() -> str:
    """The Python block under the README's "Using `nnmath` on its own" heading."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Using `nnmath` on its own", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README has no Python example under 'Using `nnmath` on its own'"
    return blocks[0]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_version_is_defined_once():
    """pyproject.toml reads the version from nnmath.__version__; it declares none of its own."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnmath.__version__)


def test_wheel_carries_metadata_license_and_type_marker(dist: Path):
    wheel = next(dist.glob("nnmath-*.whl"))
    assert wheel.name.startswith(f"nnmath-{nnmath.__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "nnmath/py.typed" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Intended Audience :: Education" in metadata
    assert "Requires-Dist: numpy" in metadata and "Requires-Dist: sympy" in metadata


@pytest.mark.parametrize("kind", ["whl", "tar.gz"])
def test_artifact_installs_and_runs_the_readme_example(dist: Path, kind: str, tmp_path: Path, reader_environment):
    artifact = next(dist.glob(f"nnmath-*.{kind}"))
    environment = reader_environment.without_nnmath()  # new, and without nnmath (tests/conftest.py)
    venv, python = environment.venv, environment.python
    install = subprocess.run(  # without byte-compiling, as every install there (ReaderEnvironment)
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(artifact)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    run = subprocess.run(
        [str(python), "-c", readme_library_example()], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "gradient check passed" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "0.25"
    where = subprocess.run(
        [str(python), "-c", "import nnmath, pathlib; print(pathlib.Path(nnmath.__file__).parent)"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    installed = Path(where.stdout.strip())
    assert installed.is_relative_to(venv), f"imported nnmath from {installed}, not from the new environment"
    assert (installed / "py.typed").exists()
