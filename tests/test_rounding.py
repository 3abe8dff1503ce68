"""A page whose claims are about chaotic runs still holds on a computer that rounds differently.

The training chapter's large learning rates are chaotic: a change in the last digit of one sum can
turn an "unstable" run into a "stuck" or "diverged" one (the chapter shows it). Its hidden cells
assert only outcomes that rounding does not change; this test keeps it so. The strict build runs the
page with the BLAS kernel this machine's OpenBLAS picks; here the page runs again from a clean kernel
with two others, OpenBLAS's AVX2 code (``OPENBLAS_CORETYPE=Haswell``) and its generic x86-64 code
(``Prescott``), whose sums are ordered differently.

Once the chapter asserted that its run at eta = 2.5 was "unstable": true with the Sandybridge and
Prescott kernels, false with Haswell's, and with SkylakeX's (AVX-512) true or false by where the arrays
happened to lie in memory (an extra import in the script changed it). The strict build failed on an
AMD EPYC machine and passed on earlier ones. A second and third kernel do not prove a claim safe from
rounding, but they catch one that is not, as this one was (the test fails on that version of the page).
"""

from __future__ import annotations

import platform
from pathlib import Path

import jupytext
import pytest

from _book import ROOT

# The pages whose asserts read chaotic runs.
PAGES = [ROOT / "book" / "training_a_network.md"]
# OpenBLAS kernels, with the CPU flag (as /proc/cpuinfo spells it) each needs.
KERNELS = {"Haswell": "avx2", "Prescott": "pni"}  # pni: how Linux names SSE3


def _cpu_flags() -> set[str]:
    """The CPU's feature flags, as Linux lists them (none where there is no /proc/cpuinfo)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags") for flag in line.split(":", 1)[1].split()}


@pytest.mark.pages
@pytest.mark.parametrize("kernel", list(KERNELS))
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_the_page_holds_with_another_blas_kernel(page: Path, kernel: str, monkeypatch) -> None:
    import nbclient
    from nbclient.exceptions import CellExecutionError

    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip(f"OpenBLAS's {kernel} kernel is x86-64 code; this machine is {platform.machine()}")
    if KERNELS[kernel] not in _cpu_flags():
        pytest.skip(f"OpenBLAS's {kernel} kernel needs {KERNELS[kernel]}, which this CPU lacks")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # as for the strict build's kernels
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    monkeypatch.setenv("OPENBLAS_CORETYPE", kernel)

    notebook = jupytext.read(page)
    client = nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(page.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        index = next((i for i, c in enumerate(notebook.cells)
                      if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        pytest.fail(f"{page.name}, cell {index}, fails with OpenBLAS's {kernel} kernel: "
                    f"a claim depends on rounding.\n{str(error)[-1500:]}")
