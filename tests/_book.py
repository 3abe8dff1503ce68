"""Where the book's pages are: read from _toc.yml, so new chapters are tested automatically.

Also how a test loads one of the repository's scripts (an extension in _ext/, a benchmark), how
long a line of the book's code may be (CODE_BOX_CHARACTERS), and the flags pytest's doctests run
with (DOCTEST_FLAGS), for the examples a test runs itself.
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The characters a line of code may have: what a code box on the website holds from 960 px up
# (nnmath-site.css sizes the code to its box; tests/test_browser.py checks it at 1200 and 1280 px). It holds
# for a chapter's code cells, what they print and the source they include (tests/test_pages.py), and
# for the doctest examples of the docstrings the API pages show (tests/test_api_reference.py).
CODE_BOX_CHARACTERS = 78
# The colour codes of a terminal's text (in a traceback, a build's log), to read the text without them.
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def _doctest_flags() -> int:
    """pyproject.toml's doctest_optionflags as doctest's flags (one bit for each name)."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    flags = 0
    for name in options["doctest_optionflags"]:
        flags |= doctest.OPTIONFLAGS_BY_NAME[name]
    return flags


# The examples a test runs with doctest itself (an extension's, an instance's docstring, an API
# page's) are read with the flags pytest's doctests have.
DOCTEST_FLAGS = _doctest_flags()


def load_script(relative: str, name: str | None = None) -> ModuleType:
    """The repository's script ``relative`` (``"_ext/nnmath_site.py"``) as a module, named ``name`` or its stem."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def toc_pages() -> list[Path]:
    """Every page listed in _toc.yml (root first), as paths to existing files."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    pages = []
    for name in names:
        matches = [ROOT / f"{name}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{name}{ext}").exists()]
        assert matches, f"_toc.yml lists {name}, but neither {name}.md nor {name}.ipynb exists"
        pages.append(matches[0])
    return pages


def built_page(built_site: Path, page: Path) -> Path:
    """The HTML file a build wrote into ``built_site`` (its _build/html) for a page of the book."""
    return built_site / page.relative_to(ROOT).with_suffix(".html")


def is_notebook(page: Path) -> bool:
    """A MyST page is a notebook when its front matter declares a kernel (jupytext header)."""
    if page.suffix == ".ipynb":
        return True
    head = page.read_text().split("\n---", 1)[0]
    return "kernelspec" in head


def pygments_rules(stylesheet: str, mode: str) -> dict[str, str]:
    """The declarations of a pygments.css (pydata-sphinx-theme's, with both colour modes) for each
    token class in ``mode`` ("light" or "dark"); the code block's own rule is under ``""``."""
    prefix = re.escape(f'html[data-theme="{mode}"] .highlight')
    return {m[1] or "": m[2].strip() for m in re.finditer(prefix + r"(?: \.([\w-]+))? \{ ([^}]*?) \}", stylesheet)}
