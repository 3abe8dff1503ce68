"""The API reference (book/api.md, book/api_modules.md) documents every public name.

Every name in ``nnmath.__all__`` has an entry ``nnmath.<name>`` and every name in
the ``__all__`` of the submodules readers import has an entry
``nnmath.<module>.<name>`` in the built pages (an HTML element with that id).
Every entry links to the chapter that introduces the name: the docstring holds
a ``:ref:`chapter-...``` reference, and the built entry a link to that chapter.
The doctest examples the entries show run, those ``--doctest-modules`` does not
collect too (an instance's docstring, the pages' own examples), and fit the
website's code box as a chapter's code does: no line is longer than
CODE_BOX_CHARACTERS (tests/_book.py).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import nnmath
from _book import CODE_BOX_CHARACTERS, DOCTEST_FLAGS, ROOT

SUBMODULES = (
    "symbolic",
    "exercises",
    "plotting",
    "graph",
    "autograd",
    "network",
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


MODULES = ["nnmath", *sorted(info.name for info in pkgutil.walk_packages(nnmath.__path__, "nnmath."))]
FENCE = re.compile(r"^```.*$", re.M)


def instance_docstrings() -> dict[str, str]:
    """The docstrings written for a public instance (``sigmoid.__doc__ = "..."`` in the source, so
    that ``help(nnmath.sigmoid)`` explains the function, not its class), by the instance's first
    documented name. ``--doctest-modules`` collects functions and classes only: these it misses."""
    found: dict[int, tuple[str, str]] = {}
    for name, obj in public_names():
        doc = own_docstring(obj)
        if doc and not (inspect.isroutine(obj) or inspect.isclass(obj)) and doc != type(obj).__doc__:
            found.setdefault(id(obj), (name, doc))
    return dict(found.values())


INSTANCE_DOCSTRINGS = instance_docstrings()


def page_examples(page: str) -> str:
    """An API page's text as doctest reads its own examples: without the Markdown fences (a closing
    fence after an example would read as its expected output)."""
    return FENCE.sub("", (ROOT / page).read_text())


def example_lines(text: str) -> Iterator[tuple[int, str]]:
    """(the block's indentation, the line) for each line of a doctest block in ``text``: from a
    ``>>>`` line to the next blank line, so a comment-only ``>>> #`` line (which doctest does not
    count as an example) is measured too."""
    indent = None
    for line in text.splitlines():
        if not line.strip():
            indent = None
        elif indent is None and line.lstrip().startswith(">>>"):
            indent = len(line) - len(line.lstrip())
        if indent is not None:
            yield indent, line


def too_long(text: str) -> list[str]:
    """The lines of ``text``'s doctest blocks longer than CODE_BOX_CHARACTERS, less their block's indentation."""
    return [f"{len(line) - indent} characters: {line.strip()!r}"
            for indent, line in example_lines(text) if len(line) - indent > CODE_BOX_CHARACTERS]


def run_examples(text: str, name: str, globs: dict) -> str:
    """Run the doctest examples of ``text`` as pytest's doctests run (DOCTEST_FLAGS, from
    pyproject.toml); what failed, as doctest reports it, or ''."""
    test = doctest.DocTestParser().get_doctest(text, globs, name, name, 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=DOCTEST_FLAGS)
    runner.run(test, out=report.append, clear_globs=True)
    return "".join(report)


def test_example_lines_are_the_doctest_blocks() -> None:
    text = "Intro line that is not code.\n\n    >>> x = 1\n    >>> # a comment\n    ...\n    1\n\nAfter."
    assert list(example_lines(text)) == [(4, "    >>> x = 1"), (4, "    >>> # a comment"), (4, "    ..."), (4, "    1")]
    assert too_long(">>> " + "x" * 74) == [] and len(too_long(">>> # " + "x" * 73)) == 1  # 78, 79


@pytest.mark.parametrize("module_name", MODULES)
def test_doctest_lines_fit_the_code_box(module_name: str) -> None:
    """A docstring's examples, as the docstring reads dedented (``inspect.cleandoc``, as ``help()``
    and the API pages show it), fit the website's code box (CODE_BOX_CHARACTERS, as a chapter's code
    does; tests/test_browser.py measures the boxes) and a reader's 80-column terminal."""
    found = [(test.name, line) for test in doctest.DocTestFinder().find(importlib.import_module(module_name))
             for line in too_long(inspect.cleandoc(test.docstring or ""))]
    assert found == [], f"doctest lines longer than {CODE_BOX_CHARACTERS} characters:\n" + "\n".join(map(str, found))


def test_the_instance_docstrings_are_found() -> None:
    """The instances documented in the source are found (so the tests below check something)."""
    documented = {"nnmath.sigmoid", "nnmath.tanh", "nnmath.relu", "nnmath.heaviside", "nnmath.identity", "nnmath.profit"}
    assert documented <= set(INSTANCE_DOCSTRINGS), documented - set(INSTANCE_DOCSTRINGS)


@pytest.mark.parametrize("name", sorted(INSTANCE_DOCSTRINGS))
def test_examples_of_instance_docstrings_run_and_fit(name: str) -> None:
    """The examples of an instance's docstring run, from an empty namespace (as a reader who pastes
    them runs them: they import what they use), print what they show, and fit the code box."""
    doc = inspect.cleandoc(INSTANCE_DOCSTRINGS[name])
    assert doctest.DocTestParser().get_examples(doc), f"{name}: its docstring has no example"
    found = too_long(doc)
    assert found == [], f"{name}: lines longer than {CODE_BOX_CHARACTERS} characters: {found}"
    failures = run_examples(doc, name, {})
    assert not failures, failures


@pytest.mark.parametrize("page", API_PAGES)
def test_api_page_examples_fit_the_code_box(page: str) -> None:
    """The examples the API pages write themselves (in their ``.. py:data::`` entries) fit the same
    box, without the indentation of the directive they are in (the page shows them dedented)."""
    found = too_long(page_examples(page))
    assert found == [], f"{page}: lines longer than {CODE_BOX_CHARACTERS} characters:\n" + "\n".join(found)


@pytest.mark.parametrize("page", API_PAGES)
def test_api_page_examples_run(page: str) -> None:
    """The examples the API pages write themselves run, top to bottom in one namespace (as
    ``python -m doctest`` runs a file), and print what they show."""
    text = page_examples(page)
    assert doctest.DocTestParser().get_examples(text), f"{page}: no examples found"
    failures = run_examples(text, page, {})
    assert not failures, failures
