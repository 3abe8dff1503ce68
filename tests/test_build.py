"""The whole book builds strictly: every page executed, any warning or broken reference fails.

The ``built_site`` fixture (tests/conftest.py) runs the same command as ``make
book`` (``jupyter-book build . --all -W -n --keep-going``) once per test run,
into a temporary folder so a reader's _build/ is untouched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from _book import ROOT, built_page, load_script, pygments_rules, toc_pages


@pytest.mark.build
def test_every_toc_page_is_built(built_site: Path) -> None:
    for page in toc_pages():
        html = built_page(built_site, page)
        assert html.exists(), f"{html} was not built"


@pytest.mark.build
def test_built_pages_show_no_errors_or_warnings(built_site: Path) -> None:
    """No traceback or warning text made it into a page's outputs."""
    for page in toc_pages():
        text = built_page(built_site, page).read_text()
        for marker in ("Traceback (most recent call last)", "RuntimeWarning", "DeprecationWarning", "UserWarning"):
            assert marker not in text, f"{page.name}: '{marker}' appears in the built page"


def _images(html: str) -> list[str]:
    """The <img> tags of a page: in its HTML, and in the HTML widgets of its saved widget state.

    The widget state is JSON inside a <script> element, where the quotes of an
    <img> tag are escaped; each widget's value is read as JSON first.
    """
    state = re.compile(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S)
    tags = re.findall(r"<img\b[^>]*>", re.sub(r"<script\b.*?</script>", "", html, flags=re.S))
    for block in state.findall(html):
        for model in json.loads(block)["state"].values():
            value = model.get("state", {}).get("value")
            if isinstance(value, str):
                tags += re.findall(r"<img\b[^>]*>", value)
    return tags


def test_image_finder_sees_widget_frames():
    value = '<img alt="a frame" src="data:image/png;base64,AAAA">'
    page = (
        '<p><img alt="x" src="a.png"></p><script type="application/vnd.jupyter.widget-state+json">'
        + json.dumps({"state": {"m": {"state": {"value": value}}}})
        + "</script>"
    )
    assert _images(page) == ['<img alt="x" src="a.png">', value]


@pytest.mark.build
def test_every_image_has_alt_text(built_site: Path) -> None:
    for page in toc_pages():
        text = built_page(built_site, page).read_text()
        for tag in _images(text):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), f"{page.name}: image without alt text: {tag[:200]}"
            # MyST-NB falls back to the file name as alt text; that describes nothing.
            assert not re.search(r"\.(png|svg|jpe?g)$|_images/", alt.group(1)), (
                f"{page.name}: image whose alt text is only its file name: {tag[:200]}"
            )


@pytest.mark.build
def test_no_root_static_folder():
    """With a root _static/ folder, Jupyter Book would add every .js of every static path
    (MathJax, the widget manager) to every page; the site's own assets live in _vendor/."""
    assert not (ROOT / "_static").exists()


@pytest.mark.build
def test_every_page_weighs_under_two_megabytes(built_site: Path):
    """A page with its images and widget state stays under 2 MB (benchmarks/page_weight.py prints them all)."""
    rows = load_script("benchmarks/page_weight.py").page_weights(built_site)
    assert rows, "no pages found"
    heaviest = rows[0]
    assert heaviest[3] < 2 * 2**20, f"{heaviest[0]} weighs {heaviest[3] / 2**20:.2f} MB"


@pytest.mark.build
def test_every_notebook_page_offers_its_executed_notebook_for_download(built_site: Path):
    """The download menu links the page's .md source and its executed .ipynb, which opens as a notebook."""
    import json

    from _book import is_notebook

    for page in toc_pages():
        if not is_notebook(page):
            continue
        rel = page.relative_to(ROOT).with_suffix("")
        html = (built_site / rel.with_suffix(".html")).read_text()
        assert f'_sources/{rel.as_posix()}.ipynb"' in html, f"{page.name}: no .ipynb in the download menu"
        assert f'_sources/{rel.as_posix()}.md"' in html, f"{page.name}: no .md in the download menu"
        notebook = json.loads((built_site / "_sources" / rel.with_suffix(".ipynb")).read_text())
        assert notebook["nbformat"] == 4
        assert any(cell.get("outputs") for cell in notebook["cells"]), f"{page.name}: the notebook has no outputs"


@pytest.mark.build
def test_code_has_no_span_around_tokens_drawn_as_the_code_text(built_site: Path) -> None:
    """A token class whose rule in the site's pygments.css is the code block's own, in both colour
    modes, is written as bare text (_ext/nnmath_site.py: plain_token_types); a console's prompt and
    output classes (g...) are kept for sphinx-copybutton."""
    stylesheet = (built_site / "_static" / "pygments.css").read_text()
    plain_in = []
    for mode in ("light", "dark"):
        rules = pygments_rules(stylesheet, mode)
        colour = re.search(r"color: #\w+", rules[""]).group(0)
        plain_in.append({cls for cls, body in rules.items() if cls and body == colour and not cls.startswith("g")})
    plain = set.intersection(*plain_in)
    assert {"n", "p", "w"} <= plain, plain
    pattern = re.compile(r'<span class="(' + "|".join(sorted(plain)) + r')">')
    blocks = 0
    for page in toc_pages():
        text = built_page(built_site, page).read_text()
        # Inside highlighted code only: an API signature's punctuation is Sphinx's, not Pygments'.
        for block in re.findall(r'<div class="highlight"><pre[^>]*>(.*?)</pre>', text, re.S):
            blocks += 1
            assert not pattern.search(block), f"{page.name}: {pattern.search(block).group(0)} in {block[:200]}"
    assert blocks > 100, blocks
