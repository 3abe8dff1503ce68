"""What a reader's browser downloads for each page of the built website, and how soon its math shows.

Each page of _toc.yml is opened in Debian's Chromium (Playwright) with an empty
cache, from the built site served on 127.0.0.1, and every request it makes is
recorded: the raw bytes of each response, and the bytes a static host that
gzips text (HTML, CSS, JavaScript, JSON, SVG) would send. Images and fonts
are sent as they are. Then the page is opened again on a CPU slowed down 4x
(Chromium's Emulation.setCPUThrottlingRate, a stand-in for a low-end phone),
and the time from navigation until the formulas of its first screen are laid
out and painted with their glyph fonts loaded is measured (:data:`MATH_READY`),
with the time of the first paint: the median of ``--runs`` visits.

Goals (issue 19): a chapter without widgets transfers at most 1 MB, a page with
widgets at most 2 MB, and math is typeset within 2 s on the throttled CPU.

Run after `make book`:  .venv/bin/python benchmarks/page_weight.py [--requests] [--runs N] [--pages PAGE ...]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
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


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A visit ends once its math is measured; Chromium then drops the fonts it is still fetching.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# When the page's math is on screen, measured without disturbing the page: installed before the
# page's own scripts, it forces no layout and runs no per-frame loop. A MutationObserver hands
# every formula (mjx-container) and every block of the page's sections, as the parser inserts
# them, to an IntersectionObserver, which the browser updates in the frames it renders anyway.
# The first screen is laid out at the first frame whose layout reaches a block below the screen
# (or, on a short page, the first frame after the page is parsed); the formulas in view then are
# the first screen's. They are on screen in that frame if every MathJax font family their
# characters use (getComputedStyle, read once) was loaded before it, else in the first frame
# after the last of those fonts loaded. A font counts as loaded from the first moment a script
# sees its face's status read "loaded" (checked as the parser adds nodes, and every 20 ms while
# waiting): never earlier than the browser could use it. (The document.fonts events and the
# faces' loaded promises are no measure of that: Chromium holds them back until the page's load
# event, seconds after the glyphs are drawn.) No page counts as ready before its first contentful
# paint. Times are from navigation start; window.__mathReady holds
# [seconds, formulas in the first screen, first contentful paint in seconds, families used].
MATH_READY = """(() => {
  const unquote = name => name.trim().replace(/^["']|["']$/g, '');
  const fontLoaded = new Map();  // family -> when its face was first seen loaded
  const seeFonts = () => {
    for (const face of document.fonts) {
      if (face.status === 'loaded' && !fontLoaded.has(unquote(face.family))) {
        fontLoaded.set(unquote(face.family), performance.now());
      }
    }
  };
  const inView = new Map();
  let checked = false;
  const finish = (when, shown, families) => {
    new PerformanceObserver((list, observer) => {
      const paint = list.getEntriesByName('first-contentful-paint')[0];
      if (!paint) { return; }
      observer.disconnect();
      window.__mathReady = [Math.max(when, paint.startTime) / 1000, shown.length, paint.startTime / 1000,
                            Array.from(families).sort()];
    }).observe({type: 'paint', buffered: true});
  };
  const check = (frameTime) => {
    checked = true;
    const shown = Array.from(inView).filter(([, visible]) => visible).map(([box]) => box);
    // A stretchy delimiter's pieces name a fallback list of fonts; the browser loads only those it
    // needs for their characters, and has asked for them once the frame is laid out.
    const requested = new Set(Array.from(document.fonts).filter(face => face.status !== 'unloaded')
                                .map(face => unquote(face.family)));
    const families = new Set();
    for (const box of shown) {
      for (const c of box.querySelectorAll('mjx-c')) {
        const fallback = c.closest('mjx-stretchy-v, mjx-stretchy-h') !== null;
        for (const name of getComputedStyle(c).fontFamily.split(',')) {
          const family = unquote(name);
          if (family.startsWith('MJX') && (!fallback || requested.has(family))) { families.add(family); }
        }
      }
    }
    const waiting = () => Array.from(families).filter(family => !fontLoaded.has(family));
    const loadedBy = () => Math.max(0, ...Array.from(families).map(family => fontLoaded.get(family)));
    if (waiting().length === 0 && loadedBy() <= frameTime) { finish(frameTime, shown, families); return; }
    const afterFonts = () => {
      seeFonts();
      if (waiting().length) { setTimeout(afterFonts, 20); return; }
      // The next frame lays the formulas out again with their fonts; a message posted from its
      // animation-frame callback is handled after its paint.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => finish(performance.now(), shown, families);
        channel.port2.postMessage(null);
      });
    };
    afterFonts();
  };
  const intersections = new IntersectionObserver(entries => {
    seeFonts();
    let below = null;
    for (const entry of entries) {
      if (entry.target.localName === 'mjx-container') { inView.set(entry.target, entry.isIntersecting); }
      else if (entry.target === document.body || entry.boundingClientRect.top >= innerHeight) { below = entry.time; }
    }
    if (below !== null && !checked) { check(below); }
  });
  new MutationObserver(records => {
    seeFonts();
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) { continue; }
        const parent = node.parentElement ? node.parentElement.localName : '';
        if (node.localName === 'mjx-container' || parent === 'section' || parent === 'article') {
          intersections.observe(node);
        }
      }
    }
  }).observe(document, {childList: true, subtree: true});
  // A page shorter than the screen: its first frame after parsing.
  document.addEventListener('DOMContentLoaded', () => intersections.observe(document.body));
})();"""


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


def math_seconds(browser, url: str, rate: float = 4.0) -> tuple[float, float, int]:
    """(seconds until the first screen's math is painted with its fonts loaded, seconds until the
    first paint, formulas in the first screen), from navigation, on a CPU slowed ``rate`` times."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(MATH_READY)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__mathReady", polling=100, timeout=60000)
    ready, formulas, paint, _families = page.evaluate("() => window.__mathReady")
    context.close()
    return ready, paint, formulas


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"), help="the built site")
    parser.add_argument("--requests", action="store_true", help="list every request of every page")
    parser.add_argument("--runs", type=int, default=3, help="throttled visits per page (the median is printed)")
    parser.add_argument("--pages", nargs="*", help="only these pages (e.g. book/losses.html)")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"no built site at {site}; run `make book` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    server, base = serve(site)
    pages = args.pages or [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in toc_pages()]
    over = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            print(f"{'page':<34} {'widgets':>7} {'requests':>8} {'raw (KB)':>9} {'sent (KB)':>9} {'goal':>6} "
                  f"{'4x CPU: paint (s)':>17} {'math (s)':>8} {'formulas':>8} {'math':>6}  runs (s)")
            for name in pages:
                visit = measure(browser, f"{base}/{name}")
                raw = sum(r[1] for r in visit["rows"])
                sent = sum(r[2] for r in visit["rows"])
                goal = GOAL_WIDGETS if visit["widgets"] else GOAL_PLAIN
                runs = [math_seconds(browser, f"{base}/{name}") for _ in range(max(1, args.runs))]
                seconds = statistics.median(run[0] for run in runs)
                paint = statistics.median(run[1] for run in runs)
                formulas = runs[0][2]
                verdict = "met" if sent <= goal else "OVER"
                if sent > goal or seconds > GOAL_SECONDS:
                    over.append(name)
                print(f"{name:<34} {'yes' if visit['widgets'] else 'no':>7} {len(visit['rows']):>8} "
                      f"{raw / 1024:>9.0f} {sent / 1024:>9.0f} {verdict:>6} {paint:>17.2f} {seconds:>8.2f} "
                      f"{formulas:>8} {'met' if seconds <= GOAL_SECONDS else 'missed':>6}  "
                      + " ".join(f"{run[0]:.2f}" for run in runs), flush=True)
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
