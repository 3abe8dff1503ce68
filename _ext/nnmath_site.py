"""Sphinx extension for the book's website: small fixes to what the theme stack emits.

- Each notebook page is offered as an executed ``.ipynb`` in the download
  menu (next to its ``.md`` source). sphinx-book-theme does this only when a
  launch service is configured; here it is done for every notebook page.
- sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL =
  ...``) once per read phase, and Jupyter Book 1 runs two, so every page
  declared the constant twice and the browser reported a SyntaxError. Scripts
  with the same file and attributes are kept once.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def _offer_notebook_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Copy the executed notebook of a MyST notebook page to _sources/ and announce it to the theme."""
    if not str(context.get("sourcename", "")).endswith(".md"):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():  # a plain markdown page: nothing was executed
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _deduplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        # An inline script's filename is None in one copy and "" in the other.
        filename = str(getattr(script, "filename", script) or "")
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    # Before sphinx-book-theme's header buttons (priority 501) read ipynb_source.
    app.connect("html-page-context", _offer_notebook_download, priority=450)
    app.connect("html-page-context", _deduplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
