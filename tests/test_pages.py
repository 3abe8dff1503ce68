"""Every page of the book executes from a clean kernel, as a reader would run it.

The pages are executed once per test run, by the strict build (the
``strict_build`` fixture of tests/conftest.py, the command of ``make book``):
MyST-NB starts a fresh kernel for each page, in the page's own folder, and
writes the executed notebook to ``_build/jupyter_execute/``. The tests here
read those notebooks. A cell that raises fails its page unless it is tagged
``raises-exception``; anything a page writes to stderr (a NumPy warning, a
deprecation) fails it as well, and so does a printed line longer than a code
box holds (CODE_BOX_CHARACTERS); a cell that fails the build is named by its
page and its number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest

from _book import ANSI_COLOUR, CODE_BOX_CHARACTERS, ROOT, is_notebook, load_script, toc_pages

site = load_script("_ext/nnmath_site.py", "nnmath_site_pages")
NOTEBOOK_PAGES = [p for p in toc_pages() if is_notebook(p)]
PAGE_IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOK_PAGES]
# The tags with which MyST-NB leaves a cell's outputs off the page, by the kind of output they remove.
REMOVED_OUTPUTS = {"remove-cell": None, "remove-output": None, "remove-stdout": "stdout", "remove-stderr": "stderr"}


def _printed_lines(output: dict, tags: list[str]) -> list[str]:
    """The lines an output shows as text in a code box on the page: what was printed, a result
    shown only as text (not as math, HTML, an image or a widget), an error's message. An error's
    traceback frames are left out: they hold the path of the folder the book was built in."""
    removed = {REMOVED_OUTPUTS[tag] for tag in tags if tag in REMOVED_OUTPUTS}
    if None in removed or output.get("name") in removed:
        return []
    if output.get("output_type") == "stream":
        text = "".join(output["text"])
    elif output.get("output_type") == "error":
        text = f"{output['ename']}: {output['evalue']}"
    elif set(output.get("data", {})) == {"text/plain"}:
        text = "".join(output["data"]["text/plain"])
    else:
        return []
    return ANSI_COLOUR.sub("", text).splitlines()


def test_printed_lines_are_those_the_page_shows() -> None:
    """What the printed-line check measures, on outputs made up here."""
    assert _printed_lines({"output_type": "stream", "name": "stdout", "text": ["a\n", "bc\n"]}, []) == ["a", "bc"]
    assert _printed_lines({"output_type": "stream", "name": "stdout", "text": ["a\n"]}, ["remove-stdout"]) == []
    assert _printed_lines({"output_type": "stream", "name": "stderr", "text": ["a\n"]}, ["remove-stdout"]) == ["a"]
    assert _printed_lines({"output_type": "stream", "name": "stdout", "text": ["a\n"]}, ["remove-output"]) == []
    result = {"output_type": "execute_result", "data": {"text/plain": "x" * 90}}
    assert _printed_lines(result, []) == ["x" * 90]
    as_math = {**result, "data": {"text/plain": "x" * 90, "text/latex": "$x$"}}
    assert _printed_lines(as_math, []) == []
    error = {"output_type": "error", "ename": "ValueError", "evalue": "\x1b[0;31mbad x\x1b[0m",
             "traceback": ["\x1b[0;31m" + "-" * 75, "File /some/long/folder/nnmath/network.py:1, in f()"]}
    assert _printed_lines(error, ["raises-exception"]) == ["ValueError: bad x"]


def test_every_page_with_code_cells_is_executed() -> None:
    """A page with code cells but no kernel header would be shown unexecuted: it must be a notebook page."""
    assert NOTEBOOK_PAGES, "no executable pages found in _toc.yml"
    for page in toc_pages():
        if "{code-cell}" in page.read_text():
            assert page in NOTEBOOK_PAGES, f"{page.name} has code cells but no jupytext/kernelspec header"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=PAGE_IDS)
def test_code_lines_fit_the_code_box(page: Path) -> None:
    """A code cell's box on the website holds 78 characters (CODE_BOX_CHARACTERS) from 960 px up (nnmath-site.css sizes the
    code to its box; tests/test_browser.py checks it at 1200 and 1280 px); a longer line would scroll sideways."""
    notebook = jupytext.read(page)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            assert len(line) <= CODE_BOX_CHARACTERS, f"cell {index} of {page.name} has a {len(line)}-character line: {line!r}"


# A {literalinclude} directive of a page and its options (one per line, after the directive).
LITERAL_INCLUDE = re.compile(r"^```\{literalinclude\} (?P<path>\S+)\n(?P<options>(?::[\w-]+:.*\n)*)", re.M)


def _included_source(page: Path, match: re.Match) -> str:
    """The lines a {literalinclude} shows, selected as the build selects them (nnmath_site.included_source)."""
    from types import SimpleNamespace

    import yaml

    options = {name: yaml.safe_load(value) for name, value in re.findall(r"^:([\w-]+):(.*)$", match["options"], re.M)}
    config = SimpleNamespace(source_encoding="utf-8")
    return site.included_source((page.parent / match["path"]).resolve(), options, config)


@pytest.mark.parametrize("page", toc_pages(), ids=[str(p.relative_to(ROOT)) for p in toc_pages()])
def test_included_source_fits_the_code_box(page: Path) -> None:
    """The package's code a chapter shows ({literalinclude}) fits the same 78 characters as a code cell
    (the website sizes both to their box: tests/test_browser.py)."""
    for match in LITERAL_INCLUDE.finditer(page.read_text(encoding="utf-8")):
        for line in _included_source(page, match).splitlines():
            assert len(line) <= CODE_BOX_CHARACTERS, f"{page.name} includes {match['path']} with a {len(line)}-character line: {line!r}"


# MyST-NB's report of a cell that raised during the build:
#   An error occurred while executing the following cell:
#   ------------------
#   <the cell's source>
#   ------------------
FAILED_CELL = re.compile(r"An error occurred while executing the following cell:\n-+\n(.*?)\n-+\n", re.S)


def failed_cells(page: Path, log: str) -> list[str]:
    """'cell i: <first line>' for each cell of ``page`` whose source the build log reports as failing."""
    cells = jupytext.read(page).cells
    found = []
    for source in FAILED_CELL.findall(log):
        for index, cell in enumerate(cells):
            if cell.cell_type == "code" and cell.source.strip() == source.strip():
                found.append(f"cell {index}: {source.strip().splitlines()[0][:100]}")
    return found


def executed_notebook(page: Path, build) -> dict:
    """The notebook the strict build executed for ``page``; a failure naming the page and cell if there is none."""
    path = build.executed / page.relative_to(ROOT).with_suffix(".ipynb")
    if not path.exists():
        mentioned = [line for line in build.log.splitlines() if page.stem in line][-5:]
        cells = failed_cells(page, build.log)
        pytest.fail(
            f"{page.relative_to(ROOT)} was not executed by the strict build (exit code {build.returncode})"
            + (f"; it failed at {'; '.join(cells)}" if cells else "")
            + ("\n" + "\n".join(mentioned) if mentioned else "")
        )
    return json.loads(path.read_text())


@pytest.mark.pages
@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=PAGE_IDS)
def test_page_executes_from_a_clean_kernel(page: Path, strict_build) -> None:
    notebook = executed_notebook(page, strict_build)
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    expected = [cell for cell in jupytext.read(page).cells if cell.cell_type == "code"]
    assert len(code_cells) == len(expected), f"{page.name}: the executed notebook is not this page's"
    problems = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        assert cell.get("execution_count") is not None or not cell["source"].strip(), (
            f"{page.name}: cell {index} was not executed"
        )
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                problems.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {''.join(output['text'])[:300]}")
        outputs = cell.get("outputs", [])
        for output in outputs:  # its box holds as many characters as a code cell's
            problems += [f"cell {index} printed a {len(line)}-character line: {line!r}"
                         for line in _printed_lines(output, tags) if len(line) > CODE_BOX_CHARACTERS]
        for before, after in zip(outputs, outputs[1:]):  # the page shows what it printed as one block
            if before.get("output_type") == after.get("output_type") == "stream" and before["name"] == after["name"]:
                problems.append(f"cell {index}: its {after['name']} is split in two outputs before "
                                f"{''.join(after['text'])[:60]!r}")
        figure_metadata = cell.get("metadata", {}).get("mystnb", {})
        if "image" in figure_metadata or "figure" in figure_metadata:
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            assert images, f"{page.name}: cell {index} is marked as a figure but drew no image"
        if "raises-exception" in tags:
            assert any(o.get("output_type") == "error" for o in cell.get("outputs", [])), (
                f"{page.name}: cell {index} is tagged raises-exception but raised nothing"
            )
    assert not problems, f"{page.name}:\n" + "\n".join(problems)


def test_a_failing_cell_is_named_by_its_page_and_number(tmp_path: Path) -> None:
    """The report of a build that stopped at a cell: the page's cell is found from the log."""
    page = tmp_path / "page.md"
    page.write_text("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
                    "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
                    "  name: python3\n---\n\n# A page\n\n"
                    "```{code-cell} ipython3\nx = 1\n```\n\n```{code-cell} ipython3\n1 / 0\n```\n")
    log = ("Executing notebook failed\nAn error occurred while executing the following cell:\n"
           "------------------\n1 / 0\n------------------\n\nZeroDivisionError: division by zero\n")
    assert failed_cells(page, log) == ["cell 2: 1 / 0"]  # cell 0 is the heading
