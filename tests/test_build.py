"""The whole book builds strictly: every page executed, any warning or broken reference fails.

This is the same command as ``make book`` (``jupyter-book build . --all -W -n
--keep-going``), built into a temporary folder so a reader's _build/ is untouched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from _book import ROOT, toc_pages


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
        timeout=1800,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the strict build failed:\n{log[-6000:]}"
    return out / "_build" / "html"


@pytest.mark.build
def test_every_toc_page_is_built(built_site: Path) -> None:
    for page in toc_pages():
        html = built_site / page.relative_to(ROOT).with_suffix(".html")
        assert html.exists(), f"{html} was not built"


@pytest.mark.build
def test_built_pages_show_no_errors_or_warnings(built_site: Path) -> None:
    """No traceback or warning text made it into a page's outputs."""
    for page in toc_pages():
        text = (built_site / page.relative_to(ROOT).with_suffix(".html")).read_text()
        for marker in ("Traceback (most recent call last)", "RuntimeWarning", "DeprecationWarning", "UserWarning"):
            assert marker not in text, f"{page.name}: '{marker}' appears in the built page"


@pytest.mark.build
def test_every_image_has_alt_text(built_site: Path) -> None:
    for page in toc_pages():
        text = (built_site / page.relative_to(ROOT).with_suffix(".html")).read_text()
        for tag in re.findall(r"<img\b[^>]*>", text):
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and alt.group(1).strip(), f"{page.name}: image without alt text: {tag[:200]}"
            # MyST-NB falls back to the file name as alt text; that describes nothing.
            assert not re.search(r"\.(png|svg|jpe?g)$|_images/", alt.group(1)), (
                f"{page.name}: image whose alt text is only its file name: {tag[:200]}"
            )
