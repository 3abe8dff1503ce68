"""The website in a real browser: Debian's Chromium, driven by Playwright.

The built site is served from 127.0.0.1 and every page of _toc.yml is opened:
it must load with no console error, request nothing from another host, have
its math typeset and alt text on every image, and keep its figures legible in
the theme's dark mode. Screenshots are kept in test-artifacts/browser/.

Where Chromium is missing, these tests are skipped with a loud reason; under
CI=true (where .ci/run installs it) a missing browser fails them instead.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import io
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from _book import ROOT, toc_pages

pytestmark = pytest.mark.build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PAGES = toc_pages()
PAGE_IDS = [str(p.relative_to(ROOT).with_suffix("")) for p in PAGES]


def _browser_or_skip():
    """Playwright's sync API, or a loud skip (a failure under CI=true) naming what is missing."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "the playwright package is not installed (it is pinned in requirements.txt)"
    if missing is None and not os.path.exists(CHROMIUM):
        missing = "Chromium is not installed (apt-get install chromium; .ci/run does this)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run on CI: {missing}")
        pytest.skip(f"BROWSER TESTS SKIPPED: {missing}")
    return sync_playwright


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    """The built site served over HTTP from 127.0.0.1 (a random free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


class PageVisit:
    """One page opened in a fresh browser context, with everything it reported."""

    def __init__(self, browser, url: str, *, mode: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        # The theme reads the colour mode from localStorage before it paints.
        self.context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} ({r.failure})"))
        self.page.on("request", self._request)
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        self.page.goto(url, wait_until="load")
        # MathJax typesets after load; wait until it says it is done.
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true")
        self.page.wait_for_timeout(300)

    def _request(self, request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname != "127.0.0.1":
            self.foreign_requests.append(request.url)

    def close(self) -> None:
        self.context.close()


def _page_url(site_url: str, page: Path) -> str:
    return f"{site_url}/{page.relative_to(ROOT).with_suffix('.html').as_posix()}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_page_loads_cleanly_and_offline(browser, site_url: str, page: Path) -> None:
    """No console error, no page error, no failed request, and no request to any other host."""
    visit = PageVisit(browser, _page_url(site_url, page))
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / f"{page.stem}-light.png"), full_page=True)
        assert not visit.errors, "\n".join(visit.errors)
        assert not visit.foreign_requests, f"requests left the site: {visit.foreign_requests}"
    finally:
        visit.close()


def _load_print_script():
    spec = importlib.util.spec_from_file_location("print_pdf", ROOT / "_ext" / "print_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The check the PDF export makes too: TeX left in the prose once code and typeset math are removed.
RAW_MATH_CHECK = _load_print_script().RAW_MATH


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_math_is_typeset(browser, site_url: str, page: Path) -> None:
    """Every formula became MathJax output: no $$, \\( or \\frac is left in the page's text."""
    visit = PageVisit(browser, _page_url(site_url, page))
    try:
        raw = visit.page.evaluate(RAW_MATH_CHECK)
        assert raw == [], f"raw LaTeX left in {page.name}: {raw}"
        if "$" in page.read_text():
            typeset = visit.page.evaluate("() => document.querySelectorAll('main mjx-container').length")
            assert typeset > 0, f"{page.name} has math in its source but none was typeset"
    finally:
        visit.close()


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_image_has_meaningful_alt_text(browser, site_url: str, page: Path) -> None:
    visit = PageVisit(browser, _page_url(site_url, page))
    try:
        images = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('main img')).map(i => [i.getAttribute('src'), i.getAttribute('alt')])"
        )
        for src, alt in images:
            assert alt and alt.strip(), f"{page.name}: image {src} has no alt text"
            assert not alt.strip().endswith((".png", ".svg", ".jpg")), f"{page.name}: alt text of {src} is a file name"
    finally:
        visit.close()


def test_search_finds_the_chain_rule(browser, site_url: str) -> None:
    visit = PageVisit(browser, f"{site_url}/search.html?q=chain+rule")
    try:
        visit.page.wait_for_selector("#search-results li", timeout=15000)
        results = visit.page.locator("#search-results li").count()
        assert results > 0
        assert not visit.errors, "\n".join(visit.errors)
    finally:
        visit.close()


def _luminance_spread(png: bytes) -> tuple[float, float]:
    """The 1st and 95th percentile of a screenshot's grey levels (0 black .. 255 white).

    Ink (text, axes, lines) covers only a few per cent of a figure's pixels, so
    the 1st percentile measures it; the 95th measures the paper.
    """
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    return float(np.percentile(grey, 1)), float(np.percentile(grey, 95))


FIGURE_PAGES = [p for p in PAGES if "mystnb:" in p.read_text()]


@pytest.mark.parametrize("page", FIGURE_PAGES, ids=[str(p.relative_to(ROOT).with_suffix("")) for p in FIGURE_PAGES])
def test_figures_are_legible_in_dark_mode(browser, site_url: str, page: Path) -> None:
    """In dark mode each figure keeps a light background with dark ink: the spread between its
    darkest and lightest pixels stays large (legible), as in light mode. Screenshots of every
    figure in both modes are kept for a person to compare."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    spreads = {}
    for mode in ("light", "dark"):
        visit = PageVisit(browser, _page_url(site_url, page), mode=mode)
        try:
            theme = visit.page.evaluate("() => document.documentElement.dataset.theme")
            assert theme == mode, f"the theme did not switch to {mode} mode (got {theme!r})"
            figures = visit.page.locator("main figure img")
            assert figures.count() > 0, f"{page.name} has figure cells but no figures were found"
            for i in range(figures.count()):
                png = figures.nth(i).screenshot(path=str(ARTIFACTS / f"{page.stem}-figure{i + 1}-{mode}.png"))
                spreads[(mode, i)] = _luminance_spread(png)
            if mode == "dark":
                background = visit.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
                channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
                assert sum(channels) / 3 < 80, f"dark mode did not darken the page (background {background})"
        finally:
            visit.close()
    for (mode, i), (dark_ink, paper) in spreads.items():
        # Black text on white paper spans ~0..255; 120 grey levels is still clearly readable text.
        assert paper - dark_ink > 120, f"{page.name} figure {i + 1} in {mode} mode: ink {dark_ink:.0f}, paper {paper:.0f}"
        assert paper > 150, f"{page.name} figure {i + 1} in {mode} mode lost its light background ({paper:.0f})"


GRADIENT_DESCENT = ROOT / "book" / "gradient_descent.md"


def test_learning_rate_slider_works_without_a_kernel(browser, site_url: str) -> None:
    """On the static page, focusing a learning-rate slider and pressing ArrowRight shows another frame."""
    visit = PageVisit(browser, _page_url(site_url, GRADIENT_DESCENT))
    try:
        page = visit.page
        page.wait_for_selector("main .widget-slider .noUi-handle, main .widget-slider [role=slider]", timeout=15000)
        handle = page.locator("main .widget-slider .noUi-handle, main .widget-slider [role=slider]").first
        visible_img = """() => {
          const imgs = Array.from(document.querySelectorAll('main .widget-html img, main .widget-html-content img'));
          const shown = imgs.filter(i => i.offsetParent !== null && i.getBoundingClientRect().height > 0);
          return shown.length ? [shown[0].getAttribute('alt'), shown[0].getAttribute('src').slice(-200)] : null;
        }"""
        before = page.evaluate(visible_img)
        assert before is not None, "no frame of the learning-rate widget is visible"
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(500)
        after = page.evaluate(visible_img)
        assert after is not None, "after ArrowRight no frame is visible"
        assert after != before, f"the figure did not change after ArrowRight (alt {before[0]!r})"
        assert not visit.errors, "\n".join(visit.errors)
    finally:
        visit.close()


MOMENTUM = ROOT / "book" / "momentum.md"


def test_momentum_widget_both_sliders_work_without_a_kernel(browser, site_url: str) -> None:
    """On the static page, ArrowRight on the learning-rate slider and then on the momentum slider each show another frame."""
    visit = PageVisit(browser, _page_url(site_url, MOMENTUM))
    try:
        page = visit.page
        selector = "main .widget-slider .noUi-handle, main .widget-slider [role=slider]"
        page.wait_for_selector(selector, timeout=15000)
        handles = page.locator(selector)
        assert handles.count() >= 2, f"expected two sliders on the momentum page, found {handles.count()}"
        visible_img = """() => {
          const imgs = Array.from(document.querySelectorAll('main .widget-html img, main .widget-html-content img'));
          const shown = imgs.filter(i => i.offsetParent !== null && i.getBoundingClientRect().height > 0);
          return shown.length === 1 ? [shown[0].getAttribute('alt'), shown[0].getAttribute('src').slice(-200)] : shown.length;
        }"""
        seen = [page.evaluate(visible_img)]
        assert isinstance(seen[0], list), f"expected exactly one visible frame, found {seen[0]}"
        for index, name in ((0, "learning rate"), (1, "momentum")):
            handles.nth(index).focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(500)
            seen.append(page.evaluate(visible_img))
            assert isinstance(seen[-1], list), f"after moving the {name} slider {seen[-1]} frames are visible"
            assert seen[-1] != seen[-2], f"the figure did not change after moving the {name} slider"
        assert "β = " in seen[-1][0], f"the momentum frame's alt text does not state β: {seen[-1][0]!r}"
        assert not visit.errors, "\n".join(visit.errors)
    finally:
        visit.close()
