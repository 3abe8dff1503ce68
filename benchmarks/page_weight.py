"""How much each page of the built website weighs, and the whole site.

A page's weight is its HTML (which holds any saved widget state) plus the
images it shows; the shared theme files and scripts are counted once, in the
site total. Run after `make book`:  .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def page_weights(site: Path) -> list[tuple[str, int, int, int]]:
    """(page, html bytes, image bytes, total bytes) for every HTML page of the book, heaviest first."""
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


def site_weight(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"), help="the built site")
    args = parser.parse_args()
    site = Path(args.site)
    if not (site / "index.html").exists():
        print(f"no built site at {site}; run `make book` first", file=sys.stderr)
        return 1
    print(f"{'page':<40} {'html (KB)':>10} {'images (KB)':>12} {'total (KB)':>11}")
    for page, html_bytes, image_bytes, total in page_weights(site):
        print(f"{page:<40} {html_bytes / 1024:>10.0f} {image_bytes / 1024:>12.0f} {total / 1024:>11.0f}")
    print(f"whole site: {site_weight(site) / 2**20:.1f} MB in {sum(1 for p in site.rglob('*') if p.is_file())} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
