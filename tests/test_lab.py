"""`make lab`: a chapter opened in JupyterLab as the README says runs with a kernel, and a live slider works.

JupyterLab is installed by `make lab` (requirements-lab.txt), which also makes
.md pages open with Jupytext's notebook editor (the environment's
share/jupyter/lab/settings/overrides.json). This test starts JupyterLab on
the repository, opens a chapter by its address (what a double-click does),
runs every cell, runs the chapter's widget call in mode="live", moves the
slider with the keyboard and checks that the figure changes. Without
JupyterLab or Chromium it is skipped loudly (under CI=true it fails).
"""

from __future__ import annotations

import difflib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _book import ROOT
from conftest import missing_on_this_machine

CHAPTER = "book/gradient_descent.md"
LIVE_CALL = "nnmath.widgets.learning_rate_widget(nnmath.quadratic(1.0), mode=\"live\")"
OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def _lab_or_skip() -> Path:
    lab = Path(sys.executable).parent / "jupyter-lab"
    if not lab.exists():
        missing_on_this_machine("lab test",
                                "JupyterLab is not installed: `make lab` (or `make test`) installs requirements-lab.txt")
    return lab


def test_make_lab_opens_markdown_and_myst_with_jupytext():
    """The environment's JupyterLab settings, written by `make lab`, open .md pages as notebooks."""
    _lab_or_skip()
    viewers = json.loads(OVERRIDES.read_text())["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"


def in_javascript_order(value):
    """A JSON value with every object's keys in the order a browser keeps them (JupyterLab's notebook model).

    JavaScript puts integer-like keys ("16", "784") first, in increasing order, then the
    others in the order they came: a page's typed-numbers come back from the browser so.
    """
    if isinstance(value, list):
        return [in_javascript_order(item) for item in value]
    if not isinstance(value, dict):
        return value
    index = [key for key in value if str(key).isdigit() and (key == "0" or not str(key).startswith("0"))]
    keys = sorted(index, key=int) + [key for key in value if key not in index]
    return {key: in_javascript_order(value[key]) for key in keys}


def test_opening_and_saving_every_page_in_jupyterlab_leaves_it_byte_identical(tmp_path):
    """Each page of _toc.yml, opened as a notebook and saved unchanged by JupyterLab's Jupytext contents
    manager (the server side of Open and Save, with the repository's jupytext.toml), on a copy of the book.

    Between the two, the notebook goes through the browser as JupyterLab changes it: the kernel's
    spec is written into its metadata, and its objects' keys come back in JavaScript's order.
    The browser test below saves one chapter from JupyterLab itself."""
    _lab_or_skip()
    import shutil

    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    from _book import toc_pages

    shutil.copytree(ROOT / "book", tmp_path / "book")
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    spec = KernelSpecManager().get_kernel_spec("python3")
    changed = []
    for page in toc_pages():
        path = page.relative_to(ROOT).as_posix()
        before = (tmp_path / path).read_bytes()
        model = manager.get(path, content=True, type="notebook")
        assert model["content"]["cells"], f"{path} opened without cells"
        if "kernelspec" in model["content"]["metadata"]:  # as JupyterLab sets it when the kernel starts
            model["content"]["metadata"]["kernelspec"] = {"name": "python3", "display_name": spec.display_name,
                                                          "language": spec.language}
        content = in_javascript_order(json.loads(json.dumps(model["content"])))
        manager.save({"type": "notebook", "format": "json", "content": content}, path)
        if (tmp_path / path).read_bytes() != before:
            changed.append(path)
    assert changed == [], f"saved unchanged, these pages were rewritten: {changed}"


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab serving a copy of the book (its autosave and the test's saves never touch the repository)."""
    import shutil

    lab = _lab_or_skip()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "book", root / "book")
    shutil.copy(ROOT / "jupytext.toml", root / "jupytext.toml")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    process = subprocess.Popen(
        [str(lab), "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("JupyterLab did not start")
    yield base, token, root
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.build
def test_a_chapter_runs_in_jupyterlab_and_a_live_slider_redraws_the_figure(lab_url):
    from test_browser import _browser_or_skip

    sync_playwright = _browser_or_skip()
    from test_browser import CHROMIUM

    base, token, root = lab_url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/lab/tree/{CHAPTER}?token={token}")
        # The chapter opens as a notebook (Jupytext's editor), with a kernel.
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=120_000)
        # Saved unchanged, with its kernel started, the page is byte-identical.
        opened = (root / CHAPTER).stat().st_mtime_ns
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        for _ in range(120):
            if (root / CHAPTER).stat().st_mtime_ns != opened:
                break
            time.sleep(0.25)
        else:
            pytest.fail(f"JupyterLab did not save {CHAPTER}")
        saved, page_text = (root / CHAPTER).read_text(), (ROOT / CHAPTER).read_text()
        assert saved == page_text, f"saving {CHAPTER} rewrote it:\n" + "\n".join(list(difflib.unified_diff(
            page_text.splitlines(), saved.splitlines(), "page", "saved", lineterm="", n=0))[:30])
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # Every code cell has run: no "[*]" prompt, and every code cell has an execution count.
        page.wait_for_function(
            "() => { const nb = window.jupyterapp.shell.currentWidget.content;"
            " const cells = nb.widgets.filter(c => c.model.type === 'code');"
            " return cells.length > 0 && cells.every(c => c.model.executionCount !== null)"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'; }",
            timeout=600_000, polling=1000)
        failed = page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.widgets"
            ".filter(c => c.model.type === 'code' && c.model.outputs.toJSON().some(o => o.output_type === 'error'))"
            ".length")
        assert failed == 0, f"{failed} cells of {CHAPTER} raised in JupyterLab"
        # A live widget, as the downloaded notebook's ready cell runs it.
        page.evaluate("async (code) => { const app = window.jupyterapp;"
                      " const nb = app.shell.currentWidget.content;"
                      " nb.activeCellIndex = nb.widgets.length - 1;"
                      " await app.commands.execute('notebook:insert-cell-below');"
                      " nb.activeCell.model.sharedModel.setSource(code);"
                      " await app.commands.execute('notebook:run-cell'); }", f"import nnmath\n{LIVE_CALL}")
        last = page.locator(".jp-NotebookPanel .jp-Cell").last
        handle = last.locator(".widget-slider .noUi-handle, .widget-slider input").first
        handle.wait_for(timeout=120_000)
        figure = last.locator(".jp-OutputArea-output img, .widget-output img").first
        figure.wait_for(timeout=120_000)
        before = figure.get_attribute("src")
        handle.focus()
        for _ in range(10):
            handle.press("ArrowRight")
        page.wait_for_function(
            "([before]) => { const cells = document.querySelectorAll('.jp-NotebookPanel .jp-Cell');"
            " const img = cells[cells.length - 1].querySelector('.jp-OutputArea-output img, .widget-output img');"
            " return img && img.getAttribute('src') !== before; }", arg=[before], timeout=120_000)
        assert not [e for e in errors if "kernel" in e.lower()], errors
        browser.close()
