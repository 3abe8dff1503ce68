"""The strict build executes its pages several at a time (_ext/parallel_execution.py), and still
executes every page once per build, in its own folder, failing the build on a failing cell.

A two-page book is built as the book is (``execute_notebooks: cache`` with the extension); the
real book's build is covered by tests/test_build.py and tests/test_pages.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _book import DOCTEST_FLAGS, ROOT, load_script

pytestmark = pytest.mark.build

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

# The second cell fails once a file named "broken" is next to the page: the page's source does not change.
PAGE = HEADER + """
# {title}

```{{code-cell}} ipython3
import os
print(os.getcwd())
```

```{{code-cell}} ipython3
from pathlib import Path
assert not Path("broken").exists(), "the page is broken"
```
"""


def _book(folder: Path) -> Path:
    folder.mkdir()
    (folder / "first.md").write_text(PAGE.format(title="First"))
    (folder / "second.md").write_text(PAGE.format(title="Second"))
    (folder / "_toc.yml").write_text("format: jb-book\nroot: first\nchapters:\n- file: second\n")
    book_config = (ROOT / "_config.yml").read_text()
    assert "execute_notebooks: cache" in book_config and "parallel_execution: _ext/" in book_config, (
        "the book's _config.yml no longer executes its pages with _ext/parallel_execution.py; update this test")
    (folder / "_config.yml").write_text(json.dumps({
        "title": "Two pages", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "cache", "raise_on_error": True, "allow_errors": False},
        "sphinx": {"local_extensions": {"parallel_execution": str(ROOT / "_ext")}}}))
    return folder


def _build(book: Path, out: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    return subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--all", "-W", "-n",
                           "--keep-going", "--path-output", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_pages_run_together_once_each_in_their_folder_and_a_failure_still_fails_the_build(tmp_path: Path):
    book, out = _book(tmp_path / "book"), tmp_path / "out"

    first = _build(book, out)
    log = first.stdout + first.stderr
    assert first.returncode == 0, log[-4000:]
    assert "executing 2 pages" in log and "executed first.md" in log and "executed second.md" in log, log[-4000:]
    # MyST-NB took both pages from what the extension ran, and executed neither again
    assert log.count("Using cached notebook") == 2 and "Executing notebook" not in log, log[-4000:]
    # the cache is the build's own, not one in the folder the build started from
    assert (out / "_build" / ".jupyter_cache").is_dir() and not (ROOT / ".jupyter_cache").exists()
    # the executed notebooks (what the page checks and the downloads read) carry their outputs
    executed = json.loads((out / "_build" / "jupyter_execute" / "second.ipynb").read_text())
    code = [cell for cell in executed["cells"] if cell["cell_type"] == "code"]
    assert code[0]["outputs"], f"the executed notebook of second.md has no outputs: {code[0]}"
    printed = "".join(code[0]["outputs"][0]["text"])
    assert printed.strip() == str(book), f"the page ran in {printed.strip()!r}, not in its folder {book}"

    # Same source, but it now fails: the result the first build cached must not be used.
    (book / "broken").touch()
    second = _build(book, out)
    log = second.stdout + second.stderr
    assert second.returncode != 0, "a page with a failing cell did not fail the build:\n" + log[-4000:]
    assert "Executing notebook failed" in log and "the page is broken" in log, log[-4000:]


def test_consecutive_pieces_of_one_stream_become_one_output():
    """What a cell printed in pieces (split by the kernel's flush timer) is one output; a figure between stays."""
    import doctest

    import nbformat

    extension = load_script("_ext/parallel_execution.py")
    result = doctest.testmod(extension, optionflags=DOCTEST_FLAGS)
    assert result.attempted >= 3 and result.failed == 0

    stream = lambda name, text: nbformat.v4.new_output("stream", name=name, text=text)  # noqa: E731
    cell = nbformat.v4.new_code_cell(outputs=[
        stream("stdout", "XOR with the line x1 + x2 = 0.5:"), stream("stdout", " [0 1 1 1]\n"),
        stream("stderr", "a warning\n"), stream("stdout", "targets: "), stream("stdout", ["[0 1 1 0]", "\n"])])
    extension.join_stream_pieces(nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("text")]))
    assert [(o.name, o.text) for o in cell.outputs] == [
        ("stdout", "XOR with the line x1 + x2 = 0.5: [0 1 1 1]\n"), ("stderr", "a warning\n"),
        ("stdout", "targets: [0 1 1 0]\n")]
