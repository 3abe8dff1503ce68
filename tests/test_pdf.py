"""The PDF export (`make pdf`): the single-page build printed by Debian's Chromium.

Runs `make pdf` on the strict build of tests/conftest.py, which starts it
in the background as soon as that build ends (the single-page builder
reuses its executed pages). The print script itself
fails if a request failed or left the site, the page logged an error, math
was left untypeset or a saved slider was not drawn; these tests add what a
reader of the PDF would check: every chapter is in it, figures and all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from _book import ANSI_COLOUR, load_script, toc_pages
from test_browser import _browser_or_skip, _load_print_script, browser  # noqa: F401 (browser: the fixture)

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def printed_book(made_pdf) -> tuple[Path, Path, str, str]:
    """(the single-page HTML, the PDF, make pdf's report line, its whole log) for the strict build."""
    _browser_or_skip()
    log = ANSI_COLOUR.sub("", made_pdf.log)
    assert made_pdf.returncode == 0, f"make pdf failed:\n{log[-6000:]}"
    report = re.search(r"^wrote .*book\.pdf: .*$", log, re.M)
    assert report, f"make pdf printed no report:\n{log[-3000:]}"
    out = made_pdf.out / "_build"
    return out / "singlehtml" / "book" / "index.html", out / "pdf" / "book.pdf", report.group(0), log


def test_the_single_page_build_reuses_the_executed_pages(printed_book) -> None:
    """After `make book`, `make pdf` executes nothing again: it takes seconds, not minutes."""
    *_, log = printed_book
    assert re.search(r"updating environment: 0 added, 0 changed, 0 removed", log), log[-3000:]


def test_make_pdf_leaves_only_the_builds_own_pages_so_it_can_run_again(printed_book, made_pdf) -> None:
    """Every HTML file in the single-page folder after the print is a page that build recorded as its
    own (tests the print script's copy of the root page is gone). The next `make pdf` stops on any
    other typeset page it finds there, as it cannot know that page's formulas."""
    site = load_script("_ext/nnmath_site.py")
    html, *_ = printed_book
    folder = html.parent.parent
    record = made_pdf.out / "_build" / ".doctrees" / site.TYPESET_RECORD.format(builder="singlehtml")
    recorded = set(json.loads(record.read_text(encoding="utf-8")))
    left = {page.relative_to(folder).as_posix() for page in site._built_pages(folder)}
    assert "book/index.html" in recorded
    assert left <= recorded, f"not written by the single-page build: {sorted(left - recorded)}"


def test_every_chapter_is_in_the_printed_page(printed_book) -> None:
    html, *_ = printed_book
    text = html.read_text(encoding="utf-8")
    for page in toc_pages():
        title = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)
        assert title, f"{page.name} has no title"
        plain = re.sub(r"[`*]|\{[^}]*\}", "", title.group(1)).strip()
        words = plain.split()[:3]
        assert all(w in text for w in words), f"{page.name}'s title {plain!r} is not in the single page"


def test_the_pdf_is_complete(printed_book) -> None:
    html, pdf, report, _ = printed_book
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = _load_print_script().pdf_pages(data)
    # About 25 pages a chapter: far fewer means content was lost.
    assert pages >= 20 * len(toc_pages()) // 2, f"only {pages} pages"
    match = re.search(r"(\d+) pages, ([\d.]+) MB, (\d+) sliders drawn", report)
    assert match, report
    assert int(match.group(1)) == pages
    # The static sliders of chapters 8 and 9, each drawn with its first picture.
    saved = len(re.findall(r'"_model_name": ?"\w*SliderModel"', html.read_text(encoding="utf-8")))
    assert saved >= 4 and int(match.group(3)) == saved
    # The figures are embedded: a PDF of text alone would be well under 2 MB.
    assert len(data) > 3_000_000


# A page folded as the website shows it: a collapsed cell, and a solution whose button unfolds it
# (sphinx-togglebutton's classes; its handler written here).
FOLDED_PAGE = """<!doctype html><html><head><script>
document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('.toggle').forEach(a => {
  a.classList.add('toggle-hidden');
  a.querySelector('button').onclick = () => a.classList.remove('toggle-hidden');
}));
</script></head><body>
<details><summary>Show code cell source</summary><pre>x = 1</pre></details>
<div class="admonition toggle"><p class="admonition-title">Solution<button class="toggle-button">+</button></p><p>42</p></div>
</body></html>"""


def test_the_print_script_unfolds_every_solution_and_notices_one_left_folded(browser, tmp_path) -> None:
    """Before the page is laid out, the print script opens what the reader would click open;
    where something is still folded it would print, the script's check counts it."""
    script = _load_print_script()
    page_file = tmp_path / "folded.html"
    page_file.write_text(FOLDED_PAGE, encoding="utf-8")
    as_read = browser.new_page()
    as_read.goto(page_file.as_uri())
    assert as_read.evaluate(script.FOLDED) == 2
    for_print = browser.new_page()
    for_print.add_init_script(script.PREPARE_FOR_PRINT)
    for_print.goto(page_file.as_uri())
    assert for_print.evaluate(script.FOLDED) == 0
    # Out of layout until the widgets are drawn, then shown in the print styles.
    assert for_print.evaluate("() => getComputedStyle(document.body).display") == "none"
    for_print.evaluate(script.SHOW_THE_BOOK)
    assert for_print.evaluate("() => getComputedStyle(document.body).display") == "block"
    assert for_print.evaluate("() => getComputedStyle(document.querySelector('pre')).display") == "block"
    assert for_print.evaluate("() => getComputedStyle(document.querySelector('.toggle-button')).display") == "none"
    as_read.close()
    for_print.close()


# TeX left in the prose, next to TeX that is meant to be there: in code, and in typeset math
# (MathJax keeps a formula's source nowhere in its output, but a page may show it in code).
RAW_MATH_PAGE = r"""<!doctype html><html><body><main>
<p>An untypeset display: $$</p><p>x^2 $$ and an inline \( y</p>
<pre>\frac{a}{b} \begin{align}</pre><p>In code: <code>\[ \)</code></p>
<div class="highlight"><span>\begin{cases}</span></div>
<mjx-container><mjx-math>\frac</mjx-math></mjx-container><span class="MathJax">\]</span>
</main></body></html>"""


def test_the_raw_math_check_reads_the_prose_only(browser) -> None:
    """The check that make pdf and every page's tour run: it names what is left in the prose, in
    order of its list, and nothing that is in code or in typeset math."""
    script = _load_print_script()
    page = browser.new_page()
    page.set_content(RAW_MATH_PAGE)
    assert page.evaluate(script.RAW_MATH) == ["$$", "\\("]
    page.set_content("<main><p>Only typeset math: <mjx-container>x</mjx-container>.</p></main>")
    assert page.evaluate(script.RAW_MATH) == []
    page.close()


def test_the_print_script_notices_mathjax_in_the_page(browser) -> None:
    """The page must arrive typeset: MathJax loaded in it is reported, as nothing waits for it."""
    script = _load_print_script()
    page = browser.new_page()
    page.set_content("<main><p>Typeset: <mjx-container>x</mjx-container>.</p></main>")
    assert page.evaluate(script.RUNTIME_MATHJAX) is False
    page.set_content("<script>window.MathJax = {startup: {}};</script><main><p>\\(x\\)</p></main>")
    assert page.evaluate(script.RUNTIME_MATHJAX) is True
    page.close()
