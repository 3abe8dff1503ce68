"""Print the single-page build of the book to a PDF with Chromium (``make pdf``).

Jupyter Book 1's ``pdfhtml`` builder does the same with the browser that
Playwright downloads for itself, which cannot be fetched on machines without
access to Playwright's download servers. This script drives the system's
Chromium (Debian's ``chromium``, or the path in ``NNMATH_CHROMIUM``) instead,
and waits for the widgets before it prints. The math is already typeset (at
build time, by _ext/nnmath_site.py): the page loads no MathJax, and TeX left
in its prose fails the print.

    python _ext/print_pdf.py _build/singlehtml/index.html _build/pdf/book.pdf
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

# Keep a code cell, an output or a figure on one page where it fits, and leave
# out what only makes sense on screen (navigation, buttons, the search box).
PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
div.cell_input, div.cell_output, figure, .math, mjx-container[display="true"] {
  break-inside: avoid;
}
h1, h2, h3 { break-after: avoid; }
pre { white-space: pre-wrap !important; overflow-wrap: anywhere; font-size: 0.8em !important; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article,
.prev-next-area, .bd-footer, .bd-footer-article, .bd-footer-content,
.search-button-field, .theme-switch-button, .headerlink, .toggle-button {
  display: none !important;
}
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
details.dropdown { display: block; }
"""

# Run before the page is first laid out (window's DOMContentLoaded comes after the document's,
# where sphinx-togglebutton folds the solutions): open every solution and collapsed cell, as a
# printed page cannot be clicked, and add the print style. Opened this early, the solutions
# cost next to nothing; sphinx-togglebutton's "beforeprint" handler would unfold them one by
# one on the laid-out book, tens of milliseconds each, and fold them again after printing.
# The book is also kept out of layout (display: none) until the widget manager has drawn the
# sliders (SHOW_THE_BOOK): each control it adds would lay out all of its pages again.
PREPARE_FOR_PRINT = """window.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.admonition.toggle.toggle-hidden button.toggle-button').forEach(b => b.click());
  const style = document.createElement('style');
  style.textContent = """ + json.dumps(PRINT_CSS) + """;
  document.head.append(style);
  document.body.style.display = 'none';
});"""
SHOW_THE_BOOK = "() => { document.body.style.display = ''; }"

FOOTER = (
    '<div style="font-size:8px; width:100%; text-align:center; color:#555;">'
    '<span class="title"></span> — page <span class="pageNumber"></span> of '
    '<span class="totalPages"></span></div>'
)


def chromium_path() -> str:
    """The Chromium to drive: ``NNMATH_CHROMIUM``, else ``chromium`` on the PATH."""
    path = os.environ.get("NNMATH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise SystemExit(
            "print_pdf: no Chromium found. Install Debian's chromium (apt-get install chromium) "
            "or set NNMATH_CHROMIUM to a Chromium or Chrome executable."
        )
    return path


# TeX that MathJax left untypeset in the page's prose, as tests/test_browser.py checks each page
# of the website: the text of ``main`` read in order, with code and typeset math skipped whole
# (the text a copy of ``main`` without them would have, without copying the book's page).
RAW_MATH = """() => {
  const skipped = 'pre, code, script, style, .highlight, mjx-container, .MathJax';
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
    NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
    n => n.nodeType === Node.ELEMENT_NODE && n.matches(skipped) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT);
  const pieces = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeType === Node.TEXT_NODE) pieces.push(n.data);
  const text = pieces.join('');
  return ['$$', '\\\\(', '\\\\)', '\\\\[', '\\\\begin{', '\\\\frac'].filter(s => text.includes(s));
}"""

# Sliders saved in the widget states, and sliders the widget manager has drawn.
SAVED_SLIDERS = """() => (document.documentElement.innerHTML.match(/"_model_name": ?"\\w*SliderModel"/g) || []).length"""
DRAWN_SLIDERS = "document.querySelectorAll('.widget-slider, .widget-hslider').length"

# MathJax, or its configuration, in the page (its math should arrive typeset): nothing waits for it.
RUNTIME_MATHJAX = "() => typeof window.MathJax !== 'undefined'"

# Solutions and collapsed cells still folded when the page is printed.
FOLDED = "() => document.querySelectorAll('.admonition.toggle-hidden, details:not([open])').length"


@contextlib.contextmanager
def _the_page_to_print(html: Path):
    """The file to open for ``html``: itself, or the root page where it is Jupyter Book's redirect.

    Jupyter Book's top index.html only redirects to the root page, book/index.html, which the
    single-page builder writes with addresses (_static/, _images/) relative to the top folder.
    A copy at the top, next to those folders, prints with them. It is removed after the print:
    left in the folder, the next single-page build would take it for one of its own pages.
    """
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', html.read_text(errors="replace"), re.I)
    if not redirect:
        yield html
        return
    copy = html.parent / "_print.html"
    copy.write_text((html.parent / redirect.group(1)).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def print_pdf(html: Path, pdf: Path, timeout_ms: int = 300_000) -> dict:
    """Open ``html`` in headless Chromium, wait for the widgets, and print it to ``pdf``.

    Returns a report: the PDF's pages and bytes, and the widgets shown. Raises
    SystemExit, naming the problem, if a request failed or left the site, the
    page logged an error, defines ``window.MathJax``, left math untypeset, left
    a solution or a collapsed cell folded, or a widget was not drawn.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    html = html.resolve()
    if not html.exists():
        raise SystemExit(f"print_pdf: {html} does not exist; build it with `make pdf`")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with _the_page_to_print(html) as page_file, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_default_timeout(timeout_ms)

        def on_request(request: Any) -> None:
            if not request.url.startswith(("file:", "data:", "blob:", "about:")):
                problems.append(f"request to another host: {request.url}")

        # The single-page build has no search index (and the search box is not printed).
        page.route("**/searchindex.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
        page.on("request", on_request)
        page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
        page.on("console", lambda m: problems.append(f"console error: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        # The page is laid out for print from the start: on a page of the whole book every
        # layout costs seconds, and one in the screen's styles would be thrown away.
        page.emulate_media(media="print")
        page.add_init_script(PREPARE_FOR_PRINT)
        page.goto(page_file.as_uri(), wait_until="networkidle")
        # On a page this long the widget manager draws a few seconds after the load event
        # (polled every 250 ms: a check on every animation frame keeps the renderer busy).
        saved = page.evaluate(SAVED_SLIDERS)
        try:
            page.wait_for_function(f"n => {DRAWN_SLIDERS} >= n", arg=saved, polling=250, timeout=60_000)
        except PlaywrightTimeout:
            pass
        drawn = page.evaluate(f"() => {DRAWN_SLIDERS}")
        page.evaluate(SHOW_THE_BOOK)
        if page.evaluate(RUNTIME_MATHJAX):
            problems.append("the page defines window.MathJax (MathJax or its configuration), which nothing "
                            "waits for; the book's math is typeset at build time (_ext/nnmath_site.py)")
        raw = page.evaluate(RAW_MATH)
        if raw:
            problems.append(f"untypeset math: {raw}")
        if drawn < saved:
            problems.append(f"{saved} sliders saved in the widget states but {drawn} drawn")
        folded = page.evaluate(FOLDED)
        if folded:
            problems.append(f"{folded} solutions or collapsed cells are still folded")
        page.pdf(
            path=str(pdf),
            prefer_css_page_size=True,
            print_background=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=FOOTER,
        )
        browser.close()
    if problems:
        raise SystemExit("print_pdf: the printed page is not complete:\n  " + "\n  ".join(problems[:20]))
    data = pdf.read_bytes()
    return {"pages": pdf_pages(data), "bytes": len(data), "sliders": drawn}


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF as Chromium writes it: one ``/Type /Page`` object each."""
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the single-page build's index.html")
    parser.add_argument("pdf", type=Path, help="the PDF to write")
    args = parser.parse_args(argv)
    report = print_pdf(args.html, args.pdf)
    print(f"wrote {args.pdf}: {report['pages']} pages, {report['bytes'] / 1e6:.1f} MB, "
          f"{report['sliders']} sliders drawn")


if __name__ == "__main__":
    sys.exit(main())
