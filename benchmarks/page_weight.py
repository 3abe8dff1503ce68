"""What a reader's browser downloads for each page of the built website, and how soon its math shows.

Each page of _toc.yml is opened in Debian's Chromium (Playwright) with an empty
cache, from the built site served on 127.0.0.1, and every request it makes is
recorded: the raw bytes of each response, and the bytes a static host that
gzips text (HTML, CSS, JavaScript, JSON, SVG) would send. Images and fonts
are sent as they are. Then the page is opened again on a CPU slowed down 4x
(Chromium's Emulation.setCPUThrottlingRate, a stand-in for a low-end phone),
and the time from navigation until its math is typeset and its fonts loaded is
measured, with the time of the first paint.

Goals (issue 19): a chapter without widgets transfers at most 1 MB, a page with
widgets at most 2 MB, and math is typeset within 2 s on the throttled CPU.

Run after `make book`:  .venv/bin/python benchmarks/page_weight.py [--requests]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _book import toc_pages  # noqa: E402

TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
MB = 2**20
GOAL_PLAIN, GOAL_WIDGETS, GOAL_SECONDS = 1 * MB, 2 * MB, 2.0


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(page, html bytes, image bytes, total bytes) on disk for every HTML page, heaviest first.

    Only the page's own files: the scripts, styles and fonts it loads are
    counted by :func:`measure`, which asks a browser.
    """
    import re

    rows = []
    for html in sorted(site.rglob("*.html")):
        if html.relative_to(site).parts[0] in ("_static", "_sources", "_images"):
            continue
        text = html.read_text(encoding="utf-8", errors="replace")
        images = {
            (html.parent / src).resolve()
            for src in re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', text)
            if not src.startswith(("data:", "http:", "https:"))
        }
        image_bytes = sum(p.stat().st_size for p in images if p.exists())
        html_bytes = html.stat().st_size
        rows.append((str(html.relative_to(site)), html_bytes, image_bytes, html_bytes + image_bytes))
    return sorted(rows, key=lambda row: -row[3])


def transfer_size(body: bytes, content_type: str) -> int:
    """The bytes a static host sends: gzipped (level 6, nginx's and GitHub Pages' usual) for text types."""
    if content_type.split(";")[0].strip().startswith(TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# When the page's math is on screen with its fonts: typeset (at build time, or by
# MathJax if a page still loads it) and the web fonts loaded; and the first paint.
MATH_READY = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return [performance.now(), paint ? paint.startTime : NaN];
}"""


def measure(browser, url: str) -> dict:
    """One cold visit: every response with its raw and transferred bytes, and whether the page has widgets."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(url, wait_until="networkidle")
    widgets = page.evaluate("() => !!document.querySelector('script[type=\"application/vnd.jupyter.widget-state+json\"]')")
    rows = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            continue
        kind = response.headers.get("content-type", "")
        rows.append((response.url, len(body), transfer_size(body, kind)))
    context.close()
    return {"rows": rows, "widgets": widgets}


def math_seconds(browser, url: str, rate: float = 4.0) -> tuple[float, float]:
    """(seconds until the math is typeset and its fonts loaded, seconds until the first paint), from
    navigation, on a CPU slowed ``rate`` times."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.goto(url, wait_until="domcontentloaded")
    ready, paint = page.evaluate(MATH_READY)
    context.close()
    return ready / 1000, paint / 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"), help="the built site")
    parser.add_argument("--requests", action="store_true", help="list every request of every page")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"no built site at {site}; run `make book` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    server, base = serve(site)
    pages = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
    over = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            print(f"{'page':<34} {'widgets':>7} {'requests':>8} {'raw (KB)':>9} {'sent (KB)':>9} {'goal':>6} "
                  f"{'4x CPU: paint (s)':>17} {'math (s)':>8}")
            for name in pages:
                visit = measure(browser, f"{base}/{name}")
                raw = sum(r[1] for r in visit["rows"])
                sent = sum(r[2] for r in visit["rows"])
                goal = GOAL_WIDGETS if visit["widgets"] else GOAL_PLAIN
                seconds, paint = math_seconds(browser, f"{base}/{name}")
                verdict = "met" if sent <= goal else "OVER"
                if sent > goal or seconds > GOAL_SECONDS:
                    over.append(name)
                print(f"{name:<34} {'yes' if visit['widgets'] else 'no':>7} {len(visit['rows']):>8} "
                      f"{raw / 1024:>9.0f} {sent / 1024:>9.0f} {verdict:>6} {paint:>17.2f} {seconds:>8.2f}")
                if args.requests:
                    for url, size, transferred in sorted(visit["rows"], key=lambda r: -r[2]):
                        print(f"    {transferred / 1024:>8.1f} KB sent {size / 1024:>8.1f} KB raw  {url[len(base):]}")
            browser.close()
    finally:
        server.shutdown()
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"goals: {GOAL_PLAIN // MB} MB without widgets, {GOAL_WIDGETS // MB} MB with, math within "
          f"{GOAL_SECONDS:g} s on a 4x slower CPU; {'all met' if not over else 'missed by ' + ', '.join(over)}")
    print(f"whole site on disk: {total / MB:.1f} MB in {sum(1 for p in site.rglob('*') if p.is_file())} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
