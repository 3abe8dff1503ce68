"""Execute every page of the book before Sphinx reads it, as many at a time as the machine has cores.

MyST-NB executes a page while Sphinx reads it, one page after another, so a
build waits for every kernel in turn. This extension runs, at the start of
the build, every page Sphinx is about to read, each in a fresh kernel in the
page's own folder, several pages at once, exactly as MyST-NB's cache mode
would run it (the same reader, configuration and executor). Each page that
succeeds is stored in the build's jupyter-cache, where MyST-NB then finds it
while it reads the page; so every page is still executed on every build, and
once.

A page that fails is not stored: MyST-NB then executes it again itself while
it reads it, and reports the failure as it always does, naming the cell and
failing the build (``raise_on_error``).

Active only with ``execute_notebooks: cache`` (``_config.yml``); with any
other mode MyST-NB executes the pages itself and this does nothing.
"""

from __future__ import annotations

import os
from contextlib import suppress
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _workers() -> int:
    """The cores this process may use (at most 4: each kernel holds NumPy, SymPy and matplotlib)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def _page(env: BuildEnvironment, docname: str) -> tuple[Path, Any, Any, Any] | None:
    """(path, notebook, its configuration, its reader's format) as MyST-NB will read the page, or None."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_nb.core.nb_to_tokens import nb_node_to_dict

    path = Path(env.doc2path(docname))
    text = path.read_text(encoding="utf-8")
    nb_config: NbParserConfig = env.mystnb_config
    reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
    if reader is None:
        return None  # a plain Markdown page: nothing to execute
    notebook = reader.read(text)
    if nb_config.metadata_key in notebook.metadata:  # the page's own settings, as MyST-NB applies them
        overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        nb_config = nb_config.copy(**overrides)
    return path, notebook, nb_config, reader.read_fmt


def join_stream_pieces(notebook: Any) -> None:
    """Make consecutive pieces of one stream (stdout or stderr) in a cell's outputs one output, in place.

    The kernel sends what a cell prints in pieces, split wherever its flush timer fired, even within
    one ``print``; a Jupyter front end shows consecutive pieces as one block, and so does the page
    (without this, a long-running cell's lines fell into several boxes, split differently on every
    build). Pieces with anything else between them stay apart.

    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell(outputs=[
    ...     nbformat.v4.new_output("stream", name="stdout", text="loss: "),
    ...     nbformat.v4.new_output("stream", name="stdout", text="0.5\\n"),
    ...     nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"}),
    ...     nbformat.v4.new_output("stream", name="stdout", text="done\\n")])
    >>> join_stream_pieces(nbformat.v4.new_notebook(cells=[cell]))
    >>> [(o.output_type, o.get("text")) for o in cell.outputs]
    [('stream', 'loss: 0.5\\n'), ('display_data', None), ('stream', 'done\\n')]
    """
    for cell in notebook.cells:
        joined: list = []
        for output in cell.get("outputs", []):
            last = joined[-1] if joined else None
            if (output.get("output_type") == "stream" and last is not None
                    and last.get("output_type") == "stream" and last.get("name") == output.get("name")):
                last["text"] = "".join(last["text"]) + "".join(output["text"])
            else:
                joined.append(output)
        if "outputs" in cell:
            cell["outputs"] = joined


def _execute_pages(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Run every page about to be read, several at once, into the cache MyST-NB reads from."""
    if env.mystnb_config.execution_mode != "cache" or not docnames:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    pages = [page for page in (_page(env, docname) for docname in sorted(docnames)) if page is not None]
    pages = [page for page in pages if page[2].execution_mode == "cache"]
    if not pages:
        return
    cache = get_cache(env.mystnb_config.execution_cache_path or ".jupyter_cache")
    for _, notebook, _, _ in pages:  # MyST-NB may find only what this build executed
        with suppress(KeyError):
            cache.remove_cache(cache.match_cache_notebook(notebook).pk)
    workers = min(_workers(), len(pages))
    logger.info(f"executing {len(pages)} pages, {workers} at a time")

    def run(page: tuple[Path, Any, Any, Any]):
        path, notebook, nb_config, _ = page
        return single_nb_execution(notebook, cwd=str(path.parent), allow_errors=nb_config.execution_allow_errors,
                                   timeout=nb_config.execution_timeout, meta_override=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, pages))
    for (path, notebook, _, read_fmt), result in zip(pages, results):
        shown = path.relative_to(app.srcdir)
        if result.err is not None:
            logger.info(f"{shown} failed ({type(result.err).__name__}); it runs again as it is read, to report it")
            continue
        join_stream_pieces(notebook)
        record = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else cache.add_nb_to_project(str(path))
        cache.cache_notebook_bundle(CacheBundleIn(notebook, record.uri, data={"execution_seconds": result.time}),
                                    check_validity=False, overwrite=True)
        logger.info(f"executed {shown} in {result.time:.2f} s")
        _EXECUTED[env.path2doc(str(path))] = notebook


# The notebooks this build executed, by docname, until MyST-NB has read each page.
_EXECUTED: dict[str, Any] = {}


def _write_executed_notebook(app: Sphinx, doctree: Any) -> None:
    """Write the page's executed notebook to MyST-NB's output folder (``_build/jupyter_execute``).

    In cache mode MyST-NB 1.4 renders the cached outputs but writes the page's notebook without
    them; the folder then holds, as in its force mode, the notebook as it was executed.
    """
    import nbformat

    notebook = _EXECUTED.pop(app.env.docname, None)
    if notebook is None:
        return
    folder = Path(app.env.mystnb_config.output_folder)
    target = folder.joinpath(*(app.env.docname + ".ipynb").split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(nbformat.writes(notebook), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # After MyST-NB's own handlers (priority 500): its configuration is on the environment by then.
    app.connect("env-before-read-docs", _execute_pages, priority=900)
    app.connect("doctree-read", _write_executed_notebook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
