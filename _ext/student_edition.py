"""The student edition, written from a strict build without running any page again.

Usage: python _ext/student_edition.py <book root> <strict build folder> <output folder>

``make student`` runs it after ``make book``: <strict build folder> is that
build's ``_build`` (its doctrees and executed notebooks) and the edition is
written to ``<output folder>/_build/html``. The strict build's doctrees and
executed notebooks are copied next to the new output, and Jupyter Book then
builds incrementally with ``NNMATH_SOLUTIONS=hidden``: no page changed since
the strict build, so none is read or executed again, and every page is
written without its solutions (``nnmath_solutions`` only changes the writing;
see ``_remove_solutions`` in nnmath_site.py). A page changed since the strict
build is read and executed again, as in any incremental build. The build is
as strict as ``make book``: ``-W -n --keep-going``, and a failing cell fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def build(root: Path, strict: Path, out: Path, capture: bool = False) -> subprocess.CompletedProcess:
    """Write the student edition of the book at ``root`` from the strict build in ``strict`` into ``out``.

    With ``capture``, the build's log is returned (``stdout``, ``stderr``) instead of printed.
    """
    for part in (".doctrees", "jupyter_execute"):
        if not (strict / part).is_dir():
            raise SystemExit(f"{strict / part} is missing: build the book first (make book)")
    if out.exists():
        shutil.rmtree(out)
    (out / "_build").mkdir(parents=True)
    for part in (".doctrees", "jupyter_execute"):
        shutil.copytree(strict / part, out / "_build" / part)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env.update(NNMATH_SOLUTIONS="hidden", PYDEVD_DISABLE_FILE_VALIDATION="1")
    return subprocess.run(
        [str(jupyter_book), "build", str(root), "-W", "-n", "--keep-going", "--path-output", str(out)],
        cwd=root, env=env, capture_output=capture, text=True, timeout=1800)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    raise SystemExit(build(*(Path(arg).resolve() for arg in sys.argv[1:])).returncode)
