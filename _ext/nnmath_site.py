"""Sphinx extension for the book's website: small fixes to what the theme stack emits.

- sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL =
  ...``) once per read phase, and Jupyter Book 1 runs two, so every page
  declared the constant twice and the browser reported a SyntaxError. Scripts
  with the same file and attributes are kept once.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


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
    app.connect("html-page-context", _deduplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
