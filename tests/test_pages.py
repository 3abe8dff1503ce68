"""Every page of the book executes from a clean kernel, as a reader would run it.

MyST-markdown pages are read with jupytext and run with nbclient in the page's
own folder (the kernel's working directory on the website build too). A cell
that raises fails the page unless it is tagged ``raises-exception``; anything a
page writes to stderr (a NumPy warning, a deprecation) fails it as well.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import jupytext
import nbclient
import pytest

from _book import ROOT, is_notebook, toc_pages
from conftest import kernel_environment

NOTEBOOK_PAGES = [p for p in toc_pages() if is_notebook(p)]


def test_every_page_with_code_cells_is_executed() -> None:
    """A page with code cells but no kernel header would be shown unexecuted: it must be a notebook page."""
    assert NOTEBOOK_PAGES, "no executable pages found in _toc.yml"
    for page in toc_pages():
        if "{code-cell}" in page.read_text():
            assert page in NOTEBOOK_PAGES, f"{page.name} has code cells but no jupytext/kernelspec header"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOK_PAGES])
def test_code_lines_fit_the_code_box(page: Path) -> None:
    """The rendered code box shows about 78 characters; longer lines are cut off on the website."""
    notebook = jupytext.read(page)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            assert len(line) <= 78, f"cell {index} of {page.name} has a {len(line)}-character line: {line!r}"


@contextlib.contextmanager
def kernel_env():
    """Start kernels with kernel_environment() (no MPLBACKEND override), then restore."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(kernel_environment())
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.pages
@pytest.mark.parametrize("page", NOTEBOOK_PAGES, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOK_PAGES])
def test_page_executes_from_a_clean_kernel(page: Path) -> None:
    notebook = jupytext.read(page)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(page.parent)}}
    )
    start = time.perf_counter()
    with kernel_env():
        client.execute()
    seconds = time.perf_counter() - start
    problems = []
    for index, cell in enumerate(notebook.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                problems.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(f"cell {index} wrote to stderr: {output['text'][:300]}")
        figure_metadata = cell.get("metadata", {}).get("mystnb", {})
        if "image" in figure_metadata or "figure" in figure_metadata:
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            assert images, f"cell {index} is marked as a figure but drew no image"
        if "raises-exception" in tags:
            assert any(o.get("output_type") == "error" for o in cell.get("outputs", [])), (
                f"cell {index} is tagged raises-exception but raised nothing"
            )
    assert not problems, "\n".join(problems)
    print(f"{page.name}: executed in {seconds:.1f} s")
