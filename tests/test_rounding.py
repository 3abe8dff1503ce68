"""A page whose claims are about chaotic runs still holds on a computer that rounds differently.

The training chapter's large learning rates are chaotic: a change in the last digit of one sum can
turn an "unstable" run into a "stuck" or "diverged" one (the chapter shows it). Its hidden cells
assert only outcomes that rounding does not change; this test keeps it so. The strict build runs the
page with the BLAS kernel OpenBLAS picks for it (the CPU's, or the one ``OPENBLAS_CORETYPE`` names in
the environment); here the page runs again from a clean kernel with another, whose sums are ordered
differently: OpenBLAS's AVX2 code (``Haswell``), or where the build already used that or the CPU lacks
AVX2, its generic x86-64 code (``Prescott``).

Once the chapter asserted that its run at eta = 2.5 was "unstable": true with the SkylakeX, Sandybridge
and Prescott kernels, false with Haswell's. The strict build failed on a machine whose environment set
``OPENBLAS_CORETYPE=Haswell`` and passed on others. A second kernel does not prove a claim safe from
rounding, but it catches one that is not, as this one was (where the build used SkylakeX's kernel, the
test fails on that version of the page, with Haswell's). One kernel more, not two: the page takes about
15 s to run.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from _book import ROOT
from conftest import kernel_environment

# The pages whose asserts read chaotic runs.
PAGES = [ROOT / "book" / "training_a_network.md"]
# OpenBLAS kernels in the order they are preferred, with the CPU flag (as /proc/cpuinfo spells it)
# each needs.
KERNELS = {"Haswell": "avx2", "Prescott": "pni"}  # pni: how Linux names SSE3

# The name of the kernel OpenBLAS picks for the strict build's kernels, asked of the library NumPy
# loaded (NumPy's wheels bundle scipy-openblas).
KERNEL_NAME_SCRIPT = """\
import ctypes, glob, os, numpy
lib = ctypes.CDLL(glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir,
                                         "numpy.libs", "libscipy_openblas*.so*"))[0])
lib.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
print(lib.scipy_openblas_get_corename64_().decode())
"""


def _cpu_flags() -> set[str]:
    """The CPU's feature flags, as Linux lists them (none where there is no /proc/cpuinfo)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags") for flag in line.split(":", 1)[1].split()}


def _another_kernel() -> tuple[str, str]:
    """The kernel to run the page with, and the strict build's; a loud skip where there is none."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip(f"OpenBLAS's kernels chosen here are x86-64 code; this machine is {platform.machine()}")
    own = subprocess.run([sys.executable, "-c", KERNEL_NAME_SCRIPT], env=kernel_environment(), capture_output=True,
                         text=True, check=True).stdout.strip()
    flags = _cpu_flags()
    for kernel, flag in KERNELS.items():
        if flag in flags and kernel != own:
            return kernel, own
    pytest.skip(f"no OpenBLAS kernel of {list(KERNELS)} other than the strict build's ({own}) runs on this CPU")


@pytest.mark.pages
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_the_page_holds_with_another_blas_kernel(page: Path) -> None:
    import nbclient
    from nbclient.exceptions import CellExecutionError

    kernel, own = _another_kernel()
    # The strict build's kernel environment, with the other kernel: set for the page's kernel alone, not
    # in this process, whose tour threads start processes of their own meanwhile.
    env = {**kernel_environment(), "OPENBLAS_CORETYPE": kernel}

    notebook = jupytext.read(page)
    client = nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(page.parent)}})
    try:
        client.execute(env=env)
    except CellExecutionError as error:
        index = next((i for i, c in enumerate(notebook.cells)
                      if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        pytest.fail(f"{page.name}, cell {index}, fails with OpenBLAS's {kernel} kernel "
                    f"(the strict build's is {own}): "
                    f"a claim depends on rounding.\n{str(error)[-1500:]}")
