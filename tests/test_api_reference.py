"""The API reference (book/api.md, book/api_modules.md) documents every public name.

Every name in ``nnmath.__all__`` has an entry ``nnmath.<name>`` and every name in
the ``__all__`` of the submodules readers import has an entry
``nnmath.<module>.<name>`` in the built pages (an HTML element with that id).
Every entry links to the chapter that introduces the name: the docstring holds
a ``:ref:`chapter-...``` reference, and the built entry a link to that chapter.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import nnmath
from _book import ROOT

SUBMODULES = (
    "symbolic",
    "exercises",
    "plotting",
    "graph",
    "autograd",
    "training",
    "datasets",
    "perceptron",
    "diagnostics",
    "deep",
    "landscape",
    "timing",
    "widgets",
    "classification",
    "regularisation",
)
API_PAGES = ("book/api.md", "book/api_modules.md")
CHAPTER_PAGES = (
    "how_networks_learn",
    "neuron",
    "derivatives",
    "chain_rule",
    "activations",
    "losses",
    "backpropagation",
    "automatic_differentiation",
    "vanishing_gradients",
    "gradient_descent",
    "momentum",
    "training_a_network",
    "generalisation",
)
# A link produced by :ref:`chapter-...`: to the chapter's page and its label.
CHAPTER_LINK = re.compile(r'href="(?:{})\.html#chapter-[a-z-]+"'.format("|".join(CHAPTER_PAGES)))
ENTRY = re.compile(r'<dt class="sig sig-object py[^"]*" id="([^"]+)"')


def public_names() -> list[tuple[str, object]]:
    """(documented name, object) for nnmath.__all__ and each submodule's __all__."""
    names = [(f"nnmath.{name}", getattr(nnmath, name)) for name in nnmath.__all__]
    for module_name in SUBMODULES:
        module = importlib.import_module(f"nnmath.{module_name}")
        names += [(f"nnmath.{module_name}.{name}", getattr(module, name)) for name in module.__all__]
    return names


def own_docstring(obj: object) -> str | None:
    """The docstring written for this object, or None for plain data (a dict, a tuple).

    Plain data has no docstring of its own (``ACTIVATIONS.__doc__`` is dict's);
    its entry is written in the API page instead.
    """
    if inspect.isroutine(obj) or inspect.isclass(obj):
        return obj.__doc__ or ""
    if type(obj).__module__.startswith("nnmath"):  # an instance such as nnmath.sigmoid or nnmath.mse
        return obj.__doc__ or ""
    return None


def api_page_source() -> str:
    return "\n".join((ROOT / page).read_text() for page in API_PAGES)


def entries(html: str) -> dict[str, str]:
    """Each documented object's id and its HTML, up to the next object's entry."""
    starts = list(ENTRY.finditer(html))
    return {
        match.group(1): html[match.start() : starts[i + 1].start() if i + 1 < len(starts) else len(html)]
        for i, match in enumerate(starts)
    }


@pytest.mark.parametrize("name, obj", public_names(), ids=[name for name, _ in public_names()])
def test_every_public_name_points_to_its_chapter(name: str, obj: object) -> None:
    """The docstring (or, for plain data, the page's entry) links to a chapter with :ref:."""
    doc = own_docstring(obj)
    if doc is not None:
        assert ":ref:`chapter-" in doc, f"the docstring of {name} has no :ref:`chapter-...` link"
    else:
        short = name.rsplit(".", 1)[1]
        block = re.search(rf"\.\. py:data:: {short}\n(?:(?:   .*)?\n)+", api_page_source())
        assert block, f"{name} is plain data: the API pages must describe it with '.. py:data:: {short}'"
        assert ":ref:`chapter-" in block.group(0), f"the entry of {name} in the API pages has no chapter link"


def test_the_api_pages_are_in_the_table_of_contents() -> None:
    toc = (ROOT / "_toc.yml").read_text()
    for page in API_PAGES:
        assert f"file: {page.removesuffix('.md')}" in toc, f"{page} is not listed in _toc.yml"


@pytest.mark.build
def test_every_public_name_has_an_entry_that_links_to_its_chapter(built_site: Path) -> None:
    """Every public name has an entry with its own id in the built API pages, and the entry links to a chapter."""
    found: dict[str, str] = {}
    for page in API_PAGES:
        found.update(entries((built_site / page).with_suffix(".html").read_text()))
    missing = [name for name, _ in public_names() if name not in found]
    assert missing == [], f"no entry in the built API reference for: {missing}"
    unlinked = [name for name, _ in public_names() if not CHAPTER_LINK.search(found[name])]
    assert unlinked == [], f"these entries link to no chapter: {unlinked}"
