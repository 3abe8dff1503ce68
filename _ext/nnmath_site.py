"""Sphinx extension for the book's website: small fixes to what the theme stack emits.

- Each notebook page is offered as an executed ``.ipynb`` in the download
  menu (next to its ``.md`` source). sphinx-book-theme does this only when a
  launch service is configured; here it is done for every notebook page.
  That notebook is portable: its Markdown is CommonMark (_ext/portable_markdown.py),
  its first cell installs nnmath from the repository when it cannot be
  imported (or says the one command to run), and each static widget is
  followed by the same call in ``mode="live"``. The Colab button opens it
  from the published site (the ``gh-pages`` branch), since Colab cannot
  open the ``.md`` sources.
- sphinx-thebe adds its inline configuration script (``const THEBE_JS_URL =
  ...``) once per read phase, and Jupyter Book 1 runs two, so every page
  declared the constant twice and the browser reported a SyntaxError. Scripts
  with the same file and attributes are kept once.
- Pages with widgets load require.js and the self-hosted widget manager
  (``html-manager/embed-amd.js``) deferred, so the first screen does not wait
  for them, with a small script between them (``nnmath-widgets.js``) for what
  the manager assumes about the page:

  * it derives the address of its font files from its RequireJS module name,
    relative to the page (``book/@jupyter-widgets/html-manager/dist/...``,
    which does not exist); a RequireJS ``paths`` entry points that name at
    the directory the manager is really served from;
  * the manager typesets a control's label with MathJax when MathJax is on
    the page; no page loads MathJax (see below), so labels stay plain text.
- Math is typeset at build time: MathJax 3 runs in Node
  (``_ext/render_math.js``) over every formula of the built pages, which then
  carry MathJax's CommonHTML output, with MathML for screen readers, and one
  shared stylesheet (``_static/nnmath-math.css``). Readers download MathJax's
  fonts but no TeX parser, the formulas appear with the page, and they are
  not tab stops (there is no MathJax menu). A TeX error fails the build.
  Each page preloads the fonts its formulas use (:func:`math_fonts`) from the
  start of its head, when it is served over http(s).
- The theme's Font Awesome script (1.5 MB, which swaps every icon for an SVG)
  is left out; the theme's style sheet draws the same icons with its Font
  Awesome web font.
- ``_ext/static/nnmath-site.css`` and ``nnmath-site.js`` fix what the theme
  stack emits for readers of screen readers, keyboards and phones: accessible
  names that match the visible text, the bibliography's list roles, the
  widget sliders' names and spoken values, contrast, focus rings, touch
  targets, and layouts that fit a 390 px screen.
- Every entry of the API reference links to its source (``sphinx.ext.viewcode``
  pages, ``_modules/``): :func:`defining_module` sends a re-exported name
  (``nnmath.sigmoid``) to the module that defines it, and
  :func:`source_tags` adds module-level objects (an activation is an
  instance, not a ``def``), which viewcode alone does not find.
- The student edition (``make student``, ``nnmath_solutions = "hidden"``):
  every gated solution is removed from the pages (when they are written, so
  the edition can be written from a strict build's doctrees without running
  any page again: _ext/student_edition.py), from the downloaded notebooks and
  from the downloaded sources; the exercises and their checkers stay.
- Code is highlighted without a ``<span>`` around the tokens that both of the
  theme's highlighting styles draw exactly as the code block's own text
  (names, punctuation, spaces: :func:`plain_token_types`). Those spans were
  from 11 % to 29 % of a chapter's elements; without them the code is drawn
  in the same colours and fonts, and the page is quicker to lay out.
- The single-page build (``make pdf``) gets the html visitors that
  extensions registered for "html" only, and every chapter's widget states.
- The repository button and the Binder, Colab and JupyterHub launch buttons
  need the repository's public address. It is read, in this order, from the
  environment variable ``NNMATH_REPOSITORY_URL``, from ``repository: url`` in
  ``_config.yml`` (Jupyter Book's default, its own repository, does not
  count), or from ``git remote get-url origin``, so a fork builds buttons
  that point at the fork. Only GitHub and GitLab addresses are used; with
  none, the book is built without these buttons and says so in the log.
  Which launch services are offered is set under ``launch_buttons`` in
  ``_config.yml``.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import sys

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# The helpers beside this file (portable_markdown) import as modules, in the build and in the tests.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


INSTALL_CELL = """\
# This notebook needs nnmath, the book's package. (This cell is not shown on the
# book's website.) If nnmath cannot be imported, it is installed from the book's
# repository into this kernel's Python, in any client (JupyterLab, Colab, VS Code).
try:
    import nnmath
except ImportError:
    import importlib
    import subprocess
    import sys

    package = {source}
    print("Installing", package)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
    importlib.invalidate_caches()
    import nnmath
"""

INSTALL_HINT = """\
# This notebook needs nnmath, the book's package. (This cell is not shown on the
# book's website.)
try:
    import nnmath
except ImportError:
    raise ImportError(
        "This notebook needs nnmath, the book's package. In a terminal, in a clone of "
        "the book's repository, run once:  python -m pip install -e '.[widgets]'  "
        "then restart the kernel."
    ) from None
"""


def install_cell(repository: str | None, branch: str = "main") -> str:
    """The first cell of a page's notebook: it imports nnmath, or installs it when it cannot.

    With the repository's address, nnmath is installed from it with pip into the
    kernel's Python (in any client); without one, the cell stops with the one command to run.

    >>> '"nnmath[widgets] @ git+https://github.com/someone/nn-book@main"' in install_cell(
    ...     "https://github.com/someone/nn-book", "main")
    True
    >>> "pip install -e '.[widgets]'" in install_cell(None)
    True
    """
    if not repository:
        return INSTALL_HINT
    return INSTALL_CELL.format(source=json.dumps(f"nnmath[widgets] @ git+{repository}@{branch}"))


_STATIC_CALL = re.compile(r"""mode\s*=\s*(["'])static\1""")


def live_cell(source: str) -> str | None:
    """The same code with every ``mode="static"`` widget call in ``mode="live"``, or None if it has none.

    >>> live_cell('nnmath.widgets.learning_rate_widget(bowl, mode="static")')
    '# The same widget, recomputed by nnmath as you move it:\\nnnmath.widgets.learning_rate_widget(bowl, mode="live")'
    >>> live_cell("print(1)") is None
    True
    """
    if not _STATIC_CALL.search(source):
        return None
    return "# The same widget, recomputed by nnmath as you move it:\n" + _STATIC_CALL.sub('mode="live"', source)


def colab_notebook_url(colab: str, repository: str, pages_branch: str, pagename: str) -> str:
    """Colab's address for a page's notebook in the published site (the ``pages_branch`` of ``repository``).

    >>> colab_notebook_url("https://colab.research.google.com", "https://github.com/someone/nn-book",
    ...                    "gh-pages", "book/neuron")
    'https://colab.research.google.com/github/someone/nn-book/blob/gh-pages/_sources/book/neuron.ipynb'
    """
    owner, name = repository.rstrip("/").split("/")[-2:]
    return f"{colab.rstrip('/')}/github/{owner}/{name}/blob/{pages_branch}/_sources/{pagename}.ipynb"


def _executed_notebook(app: Sphinx, pagename: str, context: dict) -> Path | None:
    """The executed notebook of a MyST notebook page, or None for a plain page."""
    if not str(context.get("sourcename", "")).endswith(".md"):
        return None
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    return executed if executed.exists() else None  # a plain markdown page: nothing was executed


def _offer_notebook_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Announce a notebook page's ``.ipynb`` to the theme (:func:`_write_page_notebook` writes it)."""
    if _executed_notebook(app, pagename, context):
        context["ipynb_source"] = f"{pagename}.ipynb"


def site_address(repository: str | None, configured: str = "") -> str:
    """The published site's address (ending in "/"): ``configured``, or the repository's GitHub/GitLab Pages.

    >>> site_address("https://github.com/someone/nn-book")
    'https://someone.github.io/nn-book/'
    >>> site_address(None)
    ''
    """
    if configured:
        return configured.rstrip("/") + "/"
    match = re.match(r"^https://(github|gitlab)\.com/([\w.-]+)/([\w.-]+)$", repository or "")
    if not match:
        return ""
    host, owner, name = match.groups()
    return f"https://{owner.lower()}.{host}.io/{name}/"


def _citations(app: Sphinx) -> dict[str, tuple[str, str]]:
    """Each bibliography entry's author-year parts: ``{key: ("Rumelhart et al.", "1986")}``."""
    import codecs

    import latexcodec  # noqa: F401  (registers the "ulatex" codec)
    from portable_markdown import _authors
    from pybtex.database import parse_file

    found = {}
    for bibfile in getattr(app.config, "bibtex_bibfiles", []) or []:
        for key, entry in parse_file(str(Path(app.srcdir) / bibfile)).entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [codecs.decode(" ".join(person.last_names), "ulatex").replace("{", "").replace("}", "")
                     for person in people]
            authors = _authors(names) if names else entry.fields.get("title", key)
            found[key] = (authors, entry.fields.get("year", "n.d."))
    return found


def included_source(path: Path, options: dict, config: Any) -> str:
    """The lines a page's ``{literalinclude}`` of ``path`` shows, selected by Sphinx's own reader from the
    directive's ``options`` (``pyobject``, ``start-at``...; those that only label the block are ignored)."""
    from sphinx.directives.code import LiteralIncludeReader

    selecting = {key: int(value) if key in ("dedent", "lineno-start") else value
                 for key, value in options.items() if key not in ("language", "caption", "name")}
    text, _ = LiteralIncludeReader(str(path), selecting, config).read()
    return text


def page_references(app: Sphinx, pagename: str, notebook: Any, glue_file: Path | None = None) -> Any:
    """What :mod:`portable_markdown` needs to convert ``pagename``'s Markdown, from the build.

    MyST-NB takes the glued values out of the executed notebook and keeps them
    in ``<page>.glue.json`` beside it (``glue_file``).
    """
    from portable_markdown import References

    env = app.env
    options = app.config.html_theme_options or {}
    labels = {name: tuple(value) for name, value in env.domaindata["std"]["labels"].items()}
    objects = {name: (entry[0], entry[1]) for name, entry in env.domaindata["py"]["objects"].items()}
    glue = {}
    if glue_file is not None and glue_file.exists():
        for name, output in json.loads(glue_file.read_text(encoding="utf-8")).items():
            prefix = len(output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix", ""))
            glue[name] = {key[prefix:] if key.startswith("application/papermill") else key: value
                          for key, value in output.get("data", {}).items()}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = len(meta.get("mime_prefix", ""))
                glue[meta["name"]] = {key[prefix:]: value for key, value in output.get("data", {}).items()}
    source_dir = (Path(app.srcdir) / pagename).parent

    def include(path: str, include_options: dict) -> str:
        return included_source(source_dir / path, include_options, app.config)

    if not hasattr(app, "_nnmath_citations"):
        app._nnmath_citations = _citations(app)
    return References(
        docname=pagename,
        base_url=site_address(options.get("repository_url"), app.config.nnmath_site_url),
        labels=labels,
        titles={doc: title.astext() for doc, title in env.titles.items()},
        objects=objects,
        citations=app._nnmath_citations,
        glue=glue,
        include=include,
    )


def portable_notebook(notebook: Any, references: Any, repository: str | None, branch: str,
                      hide_solutions: bool = False) -> Any:
    """The notebook a reader downloads: portable Markdown, an install cell, and a live cell after each static widget.

    Every Markdown cell is converted by :func:`portable_markdown.convert`; the
    first cell is :func:`install_cell`; each code cell with a ``mode="static"``
    widget is followed by :func:`live_cell` (not run: it needs a kernel).
    In the student edition (``hide_solutions``) the solutions' cells are left out.
    """
    import nbformat
    from portable_markdown import convert

    cells = [nbformat.v4.new_code_cell(install_cell(repository, branch), id="nnmath-install",
                                       metadata={"tags": ["remove-cell"]})]
    if hide_solutions:
        notebook.cells = _solution_cells_dropped(notebook.cells)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            cell.source = convert(cell.source, references)
            cell.get("metadata", {}).pop("jupyter", None)  # no hidden Markdown: it is all readable now
        cells.append(cell)
        live = live_cell(cell.source) if cell.cell_type == "code" else None
        if live:
            cells.append(nbformat.v4.new_code_cell(live, id=f"live-{index}"))
    notebook.cells = cells
    return notebook


def _write_page_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Write the page's executed notebook to _sources/, for the download menu and for Colab.

    It is written as :func:`portable_notebook` makes it. Runs after
    sphinx-book-theme, which copies the executed notebook there itself when
    launch buttons are on.
    """
    import nbformat

    executed = _executed_notebook(app, pagename, context)
    if executed is None or not context.get("ipynb_source"):
        return
    target = Path(app.outdir) / "_sources" / context["ipynb_source"]
    target.parent.mkdir(parents=True, exist_ok=True)
    options = app.config.html_theme_options or {}
    notebook = nbformat.read(executed, as_version=4)
    references = page_references(app, pagename, notebook, executed.with_suffix(".glue.json"))
    notebook = portable_notebook(notebook, references, options.get("repository_url"),
                                 options.get("repository_branch") or "main", solutions_hidden(app.config))
    nbformat.write(notebook, target)


def _point_colab_at_the_site_notebook(app: Sphinx, pagename: str, templatename: str, context: dict,
                                      doctree: Any) -> None:
    """Make the Colab button open the page's notebook from the published site.

    sphinx-book-theme points Colab at the page's source in the repository,
    a MyST ``.md`` file that Colab cannot open. The notebook written by
    :func:`_write_page_notebook` is in the published site, on the
    ``nnmath_pages_branch`` (``gh-pages``) of the repository.
    """
    options = app.config.html_theme_options or {}
    colab = (options.get("launch_buttons") or {}).get("colab_url")
    if not (colab and options.get("repository_url") and context.get("ipynb_source")):
        return
    launch = [group for group in context.get("header_buttons") or [] if group.get("label") == "launch-buttons"]
    for button in (button for group in launch for button in group.get("buttons") or []):
        if button.get("text") == "Colab":
            button["url"] = colab_notebook_url(colab, options["repository_url"], app.config.nnmath_pages_branch,
                                               pagename)


def _deduplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        # An inline script's filename is None in one copy and "" in the other.
        filename = str(getattr(script, "filename", script) or "")
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


WIDGET_MANAGER = "html-manager/embed-amd.js"
WIDGET_LOADER = "requirejs/require.js"
# _ext/static/nnmath-widgets.js: what the manager assumes about the page (see the module's docstring).
WIDGET_PAGE_FIXES = "nnmath-widgets.js"


def _fix_widget_pages(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """On a page with widgets: the widget scripts deferred, and :data:`WIDGET_PAGE_FIXES` before the manager.

    MyST-NB adds require.js and the widget manager (3.6 MB) as plain scripts in the head: the
    browser stopped reading the page until it had fetched and run them, and the first screen
    waited. Deferred, they run in the same order once the page is parsed, and the manager draws
    the widgets at load as before.
    """
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if not scripts:
        return
    for index, script in enumerate(list(scripts)):
        filename = str(getattr(script, "filename", script) or "").split("?")[0]
        if filename.endswith((WIDGET_MANAGER, WIDGET_LOADER)):
            attributes = {**getattr(script, "attributes", {}), "defer": "defer"}
            attributes.pop("async", None)
            scripts[index] = _JavaScript(script.filename, priority=script.priority, **attributes)
    for index, script in enumerate(scripts):
        if str(getattr(script, "filename", script) or "").split("?")[0].endswith(WIDGET_MANAGER):
            scripts.insert(index, _JavaScript(f"_static/{WIDGET_PAGE_FIXES}", priority=script.priority, defer="defer"))
            return


# --- Math typeset at build time ----------------------------------------------------------------
# Sphinx writes each formula as TeX inside an element of class "math" (the only
# place MathJax would look: MyST-NB marks the rest of a page mathjax_ignore):
# <span class="math ...">\(...\)</span> inline, <div class="... math ...">\[...\]</div>
# displayed, and a bare \begin{...}...\end{...} for amsmath environments. A
# numbered equation's <span class="eqno"> comes first inside the div.
_MATH_ELEMENT = re.compile(
    r'<(?P<tag>span|div)(?P<attrs> class="(?:[^"]* )?math(?: [^"]*)?"[^>]*)>(?P<eqno>\s*<span class="eqno">.*?</span>)?'
    r"(?P<tex>.*?)</(?P=tag)>",
    re.DOTALL,
)
_DELIMITERS = ((r"\(", r"\)"), (r"\[", r"\]"))
MATH_STYLESHEET = "nnmath-math.css"
# Where the stylesheet (in _static/) finds MathJax's fonts (served from _vendor/site/mathjax/).
MATH_FONTS = "mathjax/output/chtml/fonts/woff-v2"


def formula_source(element_html: str) -> str:
    r"""The TeX of one formula as Sphinx wrote it into the page: unescaped, delimiters removed.

    >>> formula_source(r"\(a &lt; b\)")
    'a < b'
    >>> formula_source("\n\\[\nx^2\n\\]")
    'x^2'
    >>> formula_source(r"\begin{align}a &amp;= b\end{align}")
    '\\begin{align}a &= b\\end{align}'
    """
    tex = html.unescape(element_html).strip()
    for opening, closing in _DELIMITERS:
        if tex.startswith(opening) and tex.endswith(closing):
            return tex[len(opening) : -len(closing)].strip()
    return tex


def _typeset_earlier(match: re.Match) -> bool:
    return match["tex"].lstrip().startswith("<mjx-container")


def _math_in_page(text: str) -> list[tuple[re.Match, str, bool]]:
    """The formulas of a page still written as TeX (not those an earlier build typeset)."""
    return [(match, formula_source(match["tex"]), match["tag"] == "div")
            for match in _MATH_ELEMENT.finditer(text) if not _typeset_earlier(match)]


# An incremental build (`jupyter-book build .` without --all, or `make pdf` again) writes only
# the pages that changed; the others are still typeset from the last build, and their formulas
# are no longer TeX. MathJax's stylesheet has a rule only for each character the typeset formulas
# use, so the formulas of every page are kept in the build's doctree folder (one record for each
# builder: html and singlehtml share that folder), and the stylesheet is written for all of them.
TYPESET_RECORD = "nnmath-typeset-formulas-{builder}.json"


def _formulas_of_the_site(outdir: Path, record_path: Path, pages: dict[Path, str],
                          found: dict[Path, list]) -> list[tuple[str, bool]]:
    """Every formula of the built site, those typeset by earlier builds included; updates the record."""
    advice = (f"remove {outdir} and build again (`--all` alone does not rewrite a page left there by a "
              "chapter that no longer exists)")
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the record of typeset formulas {record_path} is unreadable ({error}): {advice}") from None
    for page, text in pages.items():
        name = page.relative_to(outdir).as_posix()
        if not found[page] and any(_typeset_earlier(match) for match in _MATH_ELEMENT.finditer(text)):
            if name not in record:
                raise RuntimeError(f"{name} was typeset by an earlier build whose formulas are not recorded "
                                   f"in {record_path}: {advice}")
        else:
            record[name] = [[tex, display] for _, tex, display in found[page]]
    record = {name: formulas for name, formulas in record.items() if (outdir / name).exists()}
    record_path.parent.mkdir(parents=True, exist_ok=True)
    partial = record_path.with_suffix(".partial")
    partial.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    os.replace(partial, record_path)  # a build stopped while writing leaves the last whole record
    return sorted({(tex, bool(display)) for formulas in record.values() for tex, display in formulas})


def typeset_formulas(formulas: list[tuple[str, bool]], mathjax: Path, font_url: str) -> tuple[list[str], str]:
    """Each formula's CommonHTML (with assistive MathML) and the stylesheet they share, from MathJax in Node.

    Raises RuntimeError, listing the formulas, when MathJax reports a TeX error.
    """
    script = Path(__file__).with_name("render_math.js")
    if shutil.which("node") is None:
        raise RuntimeError("Node.js (node) is needed to typeset the book's math at build time")
    if not (mathjax / "node-main.js").exists():
        raise RuntimeError(f"MathJax is not at {mathjax}: run `make vendor`")
    request = json.dumps({"formulas": [[tex, int(display)] for tex, display in formulas]})
    result = subprocess.run(["node", str(script), str(mathjax), font_url], input=request, capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"MathJax in Node failed:\n{result.stderr[-3000:]}")
    reply = json.loads(result.stdout)
    if reply["errors"]:
        listed = "\n".join(f"  {message}: {formulas[index][0]!r}" for index, message in reply["errors"])
        raise RuntimeError(f"TeX errors in {len(reply['errors'])} formulas:\n{listed}")
    return reply["html"], reply["css"]


def _built_pages(outdir: Path) -> list[Path]:
    return [p for p in sorted(outdir.rglob("*.html"))
            if p.relative_to(outdir).parts[0] not in ("_static", "_sources", "_images")]


# Fixes to the HTML the theme stack writes, applied to every built page, each as
# (what it fixes, pattern, replacement). tests/test_browser.py checks the result
# with axe-core, so a theme upgrade that changes the HTML fails there.
PAGE_FIXES = [
    # The theme's Font Awesome script (a <script> in the head, and its preload link).
    ("Font Awesome script", re.compile(r'\s*<(?:script defer|link rel="preload" as="script" href)[^>]*?'
                                       r'_static/scripts/fontawesome\.js[^>]*>(?:</script>)?'), ""),
    # The Search buttons are named "Search" but show "Search Ctrl+K": the name comes from the text.
    ("search button name", re.compile(r'(<button class="btn search-button-field search-button__button[^"]*"[^>]*?)'
                                      r' aria-label="Search"'), r"\1"),
    # MyST-NB names each hide-input toggle "Toggle hidden content"; its text, "Show code cell
    # source", is the better name.
    ("hidden-cell toggle name", re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # sphinxcontrib-bibtex marks the entries of a role=list with the deprecated doc-biblioentry role.
    ("bibliography entries", re.compile(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"'),
     r'\1 role="listitem"'),
    # The theme's first script sets the colour theme to "auto", which no style rule matches;
    # its main script sets "light" or "dark" once the page is parsed, and the browser then
    # styles every element of the page a second time (about a second for a long chapter on a
    # CPU slowed 4x). The first script now resolves "auto" as the main script will, from the
    # reader's colour scheme, so that later write changes nothing.
    ("colour theme before the first style",
     re.compile(re.escape('document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";')),
     'document.documentElement.dataset.theme = (function (mode) { return mode === "light" || mode === "dark" '
     '? mode : (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"); })'
     '(document.documentElement.dataset.mode);'),
    # The theme loads Sphinx's search scripts and the search index (160 KB) in every page's head, as
    # plain scripts: the browser stopped reading the page to run them before the first screen.
    # They are needed only once a reader searches; deferred, they run in the same order after parsing.
    ("search scripts deferred",
     re.compile(r'<script src="([^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js))"></script>'),
     r'<script defer="defer" src="\1"></script>'),
]


# --- Speed: what the first screen needs, at build time (benchmarks/page_weight.py measures it) ----
# The theme's after-load script (pydata-sphinx-theme.js, ``addTabStopsToScrollableElements``)
# reads the scroll size of every code block and output of the page when it has loaded and
# again after every change below ``main`` (a forced layout of the whole page: about a second
# on a long chapter on a CPU slowed 4x). It is taken out of the theme's script (:func:`patch_theme_script`);
# the tab stops it gave are written into the pages (:func:`tab_stops`) and kept right as
# blocks are drawn and resized by nnmath-site.js, which reads sizes only after the browser has
# laid them out (ResizeObserver), for the same elements.
THEME_TAB_STOPS = re.compile(
    r'"complete"===document\.readyState\?(?P<name>[\w$]+)\(\):window\.addEventListener\("load",(?P=name)\)')
THEME_TAB_STOPS_SOURCE = '.forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})'
THEME_SCRIPT = "scripts/pydata-sphinx-theme.js"
THEME_TAB_STOPS_PATCHED = "/*nnmath_site: tab stops by nnmath-site.js*/"


def patch_theme_script(source: str) -> str:
    """The theme's script without its after-load tab-stop loop (nnmath-site.js does this job).

    Raises RuntimeError when the loop is not found as this theme version writes it, so a theme
    upgrade that changes it stops the build instead of bringing the loop back unnoticed.

    >>> patch_theme_script('function I(){x.forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||'
    ...     'e.scrollHeight>e.clientHeight?0:-1})}"complete"===document.readyState?I():'
    ...     'window.addEventListener("load",I);f()')[-54:]
    'void I/*nnmath_site: tab stops by nnmath-site.js*/;f()'
    """
    if THEME_TAB_STOPS_PATCHED in source:  # written by an earlier build into the same output
        return source
    if THEME_TAB_STOPS_SOURCE not in source or len(THEME_TAB_STOPS.findall(source)) != 1:
        raise RuntimeError(f"the theme's tab-stop loop is not where nnmath_site expects it in {THEME_SCRIPT}; "
                           "see THEME_TAB_STOPS in _ext/nnmath_site.py")
    return THEME_TAB_STOPS.sub(lambda m: f"void {m['name']}{THEME_TAB_STOPS_PATCHED}", source)


# A code block is a tab stop when it can scroll sideways: when its longest line is wider than
# the narrowest layout the site supports (390 px: about 36 characters of code; a margin below).
# Tables scroll on a phone: their containers are tab stops too. nnmath-site.js corrects both for
# the width the page is read at, once the browser has laid a block out.
PRE_SCROLL_CHARACTERS = 30
_PRE = re.compile(r"<pre>(?P<body>.*?)</pre>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_TABLE_CONTAINER = '<div class="pst-scrollable-table-container">'


def tab_stops(text: str) -> str:
    """The page with ``tabindex="0"`` on each code block that can scroll and on each table container.

    >>> tab_stops("<pre>short</pre><pre>" + "x" * 40 + "</pre>")
    '<pre>short</pre><pre tabindex="0">xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</pre>'
    """
    def pre(match: re.Match) -> str:
        lines = html.unescape(_TAGS.sub("", match["body"])).split("\n")
        if max(len(line) for line in lines) < PRE_SCROLL_CHARACTERS:
            return match[0]
        return f'<pre tabindex="0">{match["body"]}</pre>'

    text = _PRE.sub(pre, text)
    return text.replace(_TABLE_CONTAINER, '<div class="pst-scrollable-table-container" tabindex="0">')


# --- The math fonts, fetched with the page ------------------------------------------------------
# The browser asks for a web font only when its layout first meets a character drawn in it, and on
# a long chapter that layout waits for much of the page to be parsed: on a CPU slowed 4x the fonts
# arrived after the first paint, and the main thread, busy laying out the rest of the page, drew
# the formulas with them only seconds later. Each page therefore asks for the MathJax fonts its
# formulas use from the start of its head, as preloads. A page opened from disk (file://, as
# `make pdf` does) refuses a font preload with a console error; there the fonts load as before.
_FONT_FACE = re.compile(r'@font-face[^{]*\{\s*font-family: (?P<family>[\w-]+);\s*src: url\("(?P<url>[^"]+)"\)')
_FONT_CLASS = re.compile(r"^\.(?P<name>[\w-]+) \{\s*font-family: (?P<families>[^;]+);", re.MULTILINE)
_MATH_CLASSES = re.compile(r'<mjx-[\w-]+[^>]*? class="(?P<classes>[^"]+)"')
FONT_PRELOADS_MARK = "/* nnmath_site: math font preloads */"
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def math_fonts(page: str, css: str) -> list[str]:
    r"""The font files (URLs as MathJax's stylesheet writes them) of every font family the page's formulas use.

    A family is used when an element of a formula has a class whose rule in the stylesheet names it.
    The pieces of a stretchy delimiter are left out: the browser takes their font from a fallback
    list, the first font in it that has the character, which only it knows.

    >>> css = ('.MJX-TEX {\n  font-family: MJXZERO, MJXTEX;\n}\n.TEX-I {\n  font-family: MJXZERO, MJXTEX-I;\n}\n'
    ...        '.TEX-B {\n  font-family: MJXZERO, MJXTEX-B;\n}\n'
    ...        '@font-face /* 0 */ {\n  font-family: MJXZERO;\n  src: url("f/Zero.woff") format("woff");\n}\n'
    ...        '@font-face /* 1 */ {\n  font-family: MJXTEX;\n  src: url("f/Main.woff") format("woff");\n}\n'
    ...        '@font-face /* 2 */ {\n  font-family: MJXTEX-I;\n  src: url("f/Italic.woff") format("woff");\n}\n'
    ...        '@font-face /* 3 */ {\n  font-family: MJXTEX-B;\n  src: url("f/Bold.woff") format("woff");\n}\n')
    >>> math_fonts('<mjx-math class="MJX-TEX"><mjx-mi class="mjx-i"><mjx-c class="mjx-c1D465 TEX-I">', css)
    ['f/Zero.woff', 'f/Main.woff', 'f/Italic.woff']
    >>> math_fonts('<p>No formula.</p>', css)
    []
    """
    files = {match["family"]: match["url"] for match in _FONT_FACE.finditer(css)}
    families_of = {match["name"]: [f.strip() for f in match["families"].split(",")]
                   for match in _FONT_CLASS.finditer(css)}
    used = {name for match in _MATH_CLASSES.finditer(page) for name in match["classes"].split()}
    families = {family for name in used & families_of.keys() for family in families_of[name]}
    return [url for family, url in files.items() if family in families]


def preload_math_fonts(page: str, fonts: list[str], static: str) -> str:
    r"""The page with a script at the start of its head that preloads ``fonts`` (relative to ``static``) over http(s).

    >>> preload_math_fonts('<head>\n<meta charset="utf-8" />\n<title>', ['f/Zero.woff'], '../_static/')[:80]
    '<head>\n<meta charset="utf-8" />\n<script>/* nnmath_site: math font preloads */ if'
    >>> preload_math_fonts('<head><meta charset="utf-8" /></head>', [], '../_static/')
    '<head><meta charset="utf-8" /></head>'
    """
    if not fonts or FONT_PRELOADS_MARK in page:  # a page an earlier build wrote keeps its preloads
        return page
    hrefs = json.dumps([static + font for font in fonts])
    script = (f"<script>{FONT_PRELOADS_MARK} if (/^https?:$/.test(location.protocol)) {{ for (const href of {hrefs}) {{ "
              'const link = document.createElement("link"); link.rel = "preload"; link.as = "font"; '
              'link.crossOrigin = "anonymous"; link.href = href; '
              "document.head.appendChild(link); } }</script>")
    charset = _CHARSET.search(page)
    if charset is None:
        raise RuntimeError("the page has no <meta charset> to put its math font preloads after")
    return page[:charset.end()] + "\n" + script + page[charset.end():]


def fix_page(text: str) -> str:
    """The page with every fix of :data:`PAGE_FIXES` applied."""
    for _, pattern, replacement in PAGE_FIXES:
        text = pattern.sub(replacement, text)
    return text


def _typeset_site(app: Sphinx, exception: Exception | None) -> None:
    """Replace every formula of every built page by MathJax's output, and apply :data:`PAGE_FIXES`."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = {page: page.read_text(encoding="utf-8") for page in _built_pages(outdir)}
    found = {page: _math_in_page(text) for page, text in pages.items()}
    record = Path(app.doctreedir) / TYPESET_RECORD.format(builder=app.builder.name)
    formulas = _formulas_of_the_site(outdir, record, pages, found)
    mathjax = Path(app.confdir) / app.config.nnmath_mathjax_node
    rendered, css = typeset_formulas(formulas, mathjax, MATH_FONTS) if formulas else ([], "")
    output = dict(zip(formulas, rendered))
    for page, text in pages.items():
        pieces, last = [], 0
        for match, tex, display in found[page]:
            pieces += [text[last : match.start()], f"<{match['tag']}{match['attrs']}>", match["eqno"] or "",
                       output[(tex, display)], f"</{match['tag']}>"]
            last = match.end()
        pieces.append(text[last:])
        new = tab_stops(fix_page("".join(pieces)))
        static_from_page = Path(os.path.relpath(outdir / "_static", page.parent)).as_posix() + "/"
        try:
            new = preload_math_fonts(new, math_fonts(new, css), static_from_page)
        except RuntimeError as error:
            raise RuntimeError(f"{page.relative_to(outdir)}: {error}") from None
        if new != text:
            page.write_text(new, encoding="utf-8")
    static = outdir / "_static"
    static.mkdir(exist_ok=True)
    (static / MATH_STYLESHEET).write_text(css, encoding="utf-8")
    theme_script = static / THEME_SCRIPT
    if theme_script.exists():
        theme_script.write_text(patch_theme_script(theme_script.read_text(encoding="utf-8")), encoding="utf-8")
    logger.info(f"[nnmath_site] typeset {len(formulas)} distinct formulas in {len(pages)} pages")


def _drop_mathjax(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Take MathJax and its configuration out of the page: its math is typeset at build time."""
    scripts = context.get("script_files")
    if not scripts:
        return
    mathjax = str(app.config.mathjax_path).split("?")[0]

    def runtime_mathjax(script: Any) -> bool:
        filename = str(getattr(script, "filename", script) or "").split("?")[0]
        body = (getattr(script, "attributes", {}) or {}).get("body", "")
        return (bool(filename) and filename.endswith(mathjax)) or "window.MathJax" in body

    scripts[:] = [script for script in scripts if not runtime_mathjax(script)]


SITE_STATIC = Path(__file__).with_name("static")


def _add_site_assets(app: Sphinx, config: Any) -> None:
    config.html_static_path = [*config.html_static_path, str(SITE_STATIC)]


JUPYTER_BOOK_DEFAULT_REPOSITORY = "https://github.com/executablebooks/jupyter-book"
_HOSTED = re.compile(
    r"^(?:https://|ssh://git@|git@)(github\.com|gitlab\.com)[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$"
)


def public_repository(address: str | None) -> str | None:
    """``https://<host>/<owner>/<name>`` for a GitHub or GitLab remote address, else None.

    >>> public_repository("git@github.com:someone/nn-book.git")
    'https://github.com/someone/nn-book'
    >>> public_repository("/srv/git/book.git") is None
    True
    """
    match = _HOSTED.match((address or "").strip())
    if not match:
        return None
    host, owner, name = match.groups()
    return f"https://{host}/{owner}/{name}"


def _git(root: str, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _configure_repository(app: Sphinx, config: Any) -> None:
    """Turn the repository and launch buttons on when the repository's address is known."""
    options = dict(config.html_theme_options or {})
    configured = options.get("repository_url") or ""
    if configured.rstrip("/") == JUPYTER_BOOK_DEFAULT_REPOSITORY:
        configured = ""
    # In order of precedence; git is asked only when nothing before it gave an address.
    sources = (
        lambda: os.environ.get("NNMATH_REPOSITORY_URL"),
        lambda: configured,
        lambda: _git(app.srcdir, "remote", "get-url", "origin"),
    )
    url = next(filter(None, (public_repository(source()) for source in sources)), None)
    launch = dict(options.get("launch_buttons") or {})
    if url is None:
        logger.info("[nnmath_site] no GitHub/GitLab repository address: no repository or launch buttons")
        options["repository_url"] = ""
        options["use_repository_button"] = False
        for key in ("binderhub_url", "colab_url", "jupyterhub_url", "thebe"):
            launch[key] = "" if key != "thebe" else False
    else:
        options["repository_url"] = url
        options["use_repository_button"] = True
        branch = os.environ.get("NNMATH_REPOSITORY_BRANCH") or _git(app.srcdir, "symbolic-ref", "--short", "HEAD")
        options["repository_branch"] = branch or "main"
        if "github.com" not in url:
            launch["colab_url"] = ""  # Colab opens notebooks from GitHub only
        logger.info(f"[nnmath_site] repository {url} ({options['repository_branch']}): launch buttons on")
    options["launch_buttons"] = launch
    config.html_theme_options = options


def plain_token_types(*styles: str) -> frozenset:
    """The standard token types that every one of ``styles`` draws exactly as its plain text.

    A token type is plain in a style when the style's CSS rule for it is
    empty or declares the same as the rule for ``Text``, which is also the
    code block's own rule (``.highlight {background: ...; color: ...}``):
    in a span or not, such a token looks the same. ``Generic`` tokens keep
    their classes whatever their style: sphinx-copybutton and the theme find
    a console's prompts and output by them (``.gp``, ``.go``).

    >>> from pygments.token import Name, Operator, Punctuation, Text
    >>> plain = plain_token_types("a11y-high-contrast-light", "a11y-high-contrast-dark")
    >>> Name in plain, Punctuation in plain, Text.Whitespace in plain, Operator in plain
    (True, True, True, False)
    """
    from pygments.formatters import HtmlFormatter
    from pygments.token import STANDARD_TYPES, Generic, Text

    formatters = [HtmlFormatter(style=style) for style in styles]

    def declarations(formatter: HtmlFormatter, ttype: Any) -> str:
        css_class = formatter.ttype2class.get(ttype)
        return formatter.class2style[css_class][0] if css_class is not None else ""

    return frozenset(ttype for ttype in STANDARD_TYPES if ttype not in Generic
                     and all(declarations(f, ttype) in ("", declarations(f, Text)) for f in formatters))


def _plain_tokens_formatter(plain: frozenset) -> type:
    """Pygments' HTML formatter, writing the tokens of the ``plain`` types as bare text."""
    from pygments.formatters import HtmlFormatter

    class PlainTokensFormatter(HtmlFormatter):
        def _get_css_classes(self, ttype: Any) -> str:
            return "" if ttype in plain else super()._get_css_classes(ttype)

    return PlainTokensFormatter


def _highlight_plain_tokens_as_text(app: Sphinx) -> None:
    """Make the html builders write plain tokens (:func:`plain_token_types`) without a span.

    The styles are the theme's light and dark ones (``pygments_light_style``
    and ``pygments_dark_style``, which pydata-sphinx-theme writes into
    ``pygments.css``); when either is not a Pygments style the theme falls
    back to another, and every token keeps its span.
    """
    from pygments.styles import get_all_styles
    from sphinx.highlighting import PygmentsBridge

    highlighter = getattr(app.builder, "highlighter", None)
    theme = getattr(app.builder, "theme", None)
    if not isinstance(highlighter, PygmentsBridge) or highlighter.dest != "html" or theme is None:
        return
    options = {**theme.get_options(), **(app.config.html_theme_options or {})}
    styles = [options.get(f"pygments_{mode}_style") for mode in ("light", "dark")]
    if not all(style in set(get_all_styles()) for style in styles):
        return
    highlighter.formatter = _plain_tokens_formatter(plain_token_types(*styles))


def _complete_singlehtml_visitors(app: Sphinx) -> None:
    """Give the single-page builder (the PDF's source) the html visitors of every node.

    Sphinx falls back to a builder format's visitors ("html") only when no
    extension registered any for the builder's own name. sphinx-jupyterbook-latex
    registers some for "singlehtml", so the html visitors of MyST-NB's
    hide-input toggles and others are lost and ``--builder singlehtml`` (and
    Jupyter Book's ``pdfhtml``) stop with NotImplementedError. Its own
    ``HiddenCellNode`` (the hidden part of a ``hide-*`` cell) is skipped, as
    in its LaTeX output.
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    handlers["singlehtml"] = {**handlers.get("html", {}), **handlers.get("singlehtml", {})}
    try:
        from sphinx_jupyterbook_latex.nodes import HiddenCellNode, visit_HiddenCellNode
    except ImportError:
        return
    handlers["singlehtml"][HiddenCellNode.__name__] = (visit_HiddenCellNode, None)


def _widgets_in_single_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give the single-page build the widget scripts and saved widget states of every chapter.

    MyST-NB adds them per page, from the page's own notebook; the single page
    is the root document, which has none, so its sliders would print empty.
    """
    if app.builder.name != "singlehtml" or pagename != app.config.root_doc:
        return
    from myst_nb.sphinx_ import NbMetadataCollector

    for docname in sorted(app.env.found_docs):
        if docname == pagename:  # MyST-NB adds the root document's own files
            continue
        for uri, kwargs in NbMetadataCollector.get_js_files(app.env, docname).values():
            app.add_js_file(uri, **kwargs)


# --- The student edition: every solution removed (make student) -------------------------------
_SOLUTION_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}")
_SOLUTION_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}")


def solutions_hidden(config: Any) -> bool:
    """Whether this is the student edition: ``nnmath_solutions = "hidden"`` (``make student`` sets it)."""
    return str(getattr(config, "nnmath_solutions", "shown")).lower() == "hidden"


def _outside_solutions(text: str, inside: bool = False) -> tuple[str, bool]:
    """The lines of ``text`` outside gated solutions, and whether ``text`` ends inside one."""
    kept, closing = [], None
    for line in text.split("\n"):
        if closing is not None:  # the closing fence of a start or end marker
            if line.strip() == closing:
                closing = None
            continue
        start, end = _SOLUTION_START.match(line), _SOLUTION_END.match(line)
        if start or end:
            inside = bool(start)
            closing = (start or end).group(1)
            continue
        if not inside:
            kept.append(line)
    return "\n".join(kept), inside


def without_solutions(text: str) -> str:
    """A MyST page's source without its gated solutions (``solution-start`` ... ``solution-end``, inclusive).

    >>> print(without_solutions("Q?\\n````{solution-start} ex\\n````\\nA.\\n````{solution-end}\\n````\\nNext"))
    Q?
    Next
    """
    return _outside_solutions(text)[0]


def remove_solutions(doctree: Any) -> int:
    """Drop every solution from a page's doctree (with the cells a gated solution gathered); return how many.

    sphinx-exercise gathers a gated solution's cells into one node when the
    page is read; removing that node removes everything the solution shows.
    """
    from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

    found = list(doctree.findall(lambda n: isinstance(n, (solution_node, solution_start_node, solution_end_node))))
    for node in found:
        node.parent.remove(node)
    return sum(not isinstance(node, solution_end_node) for node in found)


def _remove_solutions(app: Sphinx, doctree: Any, docname: str) -> None:
    """In the student edition, each page is written without its solutions.

    This runs when a page is written, not when it is read, so the student
    edition can be written from the doctrees of a strict build without
    executing any page again (``make student``, _ext/student_edition.py); the
    search index is built from the same doctrees, without the solutions too.
    """
    if solutions_hidden(app.config):
        remove_solutions(doctree)


def _strip_solutions_from_sources(app: Sphinx, exception: Exception | None) -> None:
    """In the student edition, the pages' sources offered for download have no solutions either."""
    if exception is not None or not solutions_hidden(app.config):
        return
    for source in (Path(app.outdir) / "_sources").rglob("*.md"):
        source.write_text(without_solutions(source.read_text(encoding="utf-8")), encoding="utf-8")


def _solution_cells_dropped(cells: list) -> list:
    """A notebook's cells without the gated solutions, which span cells: solution-start ... solution-end."""
    kept, inside = [], False
    for cell in cells:
        if cell.cell_type == "markdown":
            text, inside_after = _outside_solutions(cell.source, inside)
            if text.strip():
                cell.source = text.strip("\n")
                kept.append(cell)
            inside = inside_after
        elif not inside:
            kept.append(cell)
    return kept


# --- Source links of the API reference (sphinx.ext.viewcode) ----------------------------------
# Every name of the API reference asks for its module's tags, and a re-exported name for those of
# every module of the package: each source is parsed once (a tenth of the build's own time before).
@functools.lru_cache(maxsize=None)
def _top_level_assignments(source: str) -> dict[str, tuple[str, int, int]]:
    """Each name assigned at a module's top level or in a class body, as viewcode tags.

    ``{name: ("other", first line, last line)}``, with ``Class.name`` for a class attribute.
    The same source gives the same dict: read it, do not change it.

    >>> _top_level_assignments("x = 1\\ny: int = (\\n  2)\\nclass C:\\n    a: str = 'b'\\n")
    {'x': ('other', 1, 1), 'y': ('other', 2, 3), 'C.a': ('other', 5, 5)}
    """
    import ast

    tags = {}

    def walk(body: list, prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    tags.setdefault(prefix + target.id, ("other", node.lineno, node.end_lineno))

    walk(ast.parse(source).body, "")
    return tags


def source_tags(modname: str) -> tuple[str, dict[str, tuple[str, int, int]]] | None:
    """A module's source and viewcode tags: its classes, functions and assignments.

    A member reached through a subclass or an instance of a class of the
    module (``Value.exp`` from a base class, ``sse.gradient`` of the instance
    ``sse``) is tagged with the lines of its definition.
    """
    import importlib

    from sphinx.pycode import ModuleAnalyzer

    try:
        analyzer = ModuleAnalyzer.for_module(modname)
        analyzer.find_tags()
        module = importlib.import_module(modname)
    except Exception:  # not a Python module viewcode can read: let viewcode decide
        return None
    tags = {**_top_level_assignments(analyzer.code), **analyzer.tags}
    for name in [key for key in list(tags) if "." not in key]:
        obj = getattr(module, name, None)
        cls = obj if isinstance(obj, type) else type(obj)
        for base in cls.__mro__:
            if base.__module__ != modname:
                continue
            prefix = base.__qualname__ + "."
            for key, value in list(tags.items()):
                if key.startswith(prefix):
                    tags.setdefault(name + "." + key[len(prefix):], value)
    return analyzer.code, tags


def defining_module(modname: str, fullname: str) -> str | None:
    """The module whose source defines ``modname.fullname`` (``nnmath``, ``sigmoid`` -> ``nnmath.activations``).

    A class or function says where it was defined (``__module__``); an object
    assigned at a module's top level (an activation, a loss) is looked up in
    the source of the modules of the same package.
    """
    import importlib
    import sys as _sys

    try:
        module = importlib.import_module(modname)
    except Exception:
        return None
    top = fullname.split(".")[0]
    obj = getattr(module, top, None)
    if obj is None:
        return None
    if getattr(obj, "__qualname__", None) == top and isinstance(getattr(obj, "__module__", None), str):
        return obj.__module__
    package = modname.split(".")[0]
    candidates = [modname] + sorted(name for name in _sys.modules if name.startswith(package + ".") and
                                    name != modname)
    for candidate in candidates:
        found = source_tags(candidate)
        if found and top in _top_level_assignments(found[0]) and getattr(_sys.modules.get(candidate), top,
                                                                          None) is obj:
            return candidate
    return None


def _follow_imported(app: Sphinx, modname: str, fullname: str) -> str | None:
    return defining_module(modname, fullname)


def _find_source(app: Sphinx, modname: str) -> tuple[str, dict] | None:
    return source_tags(modname)


def setup(app: Sphinx) -> dict[str, Any]:
    # The branch the built site is published on (ghp-import's default), where Colab finds the notebooks.
    app.add_config_value("nnmath_pages_branch", "gh-pages", "html")
    # The published site's address, for the links of the downloaded notebooks; empty: the
    # repository's GitHub/GitLab Pages address, when the repository is known (site_address).
    app.add_config_value("nnmath_site_url", "", "html")
    # "hidden": the student edition, without solutions (`make student` sets NNMATH_SOLUTIONS=hidden).
    # Only the writing depends on it ("html"), so the student edition reuses a strict build's doctrees.
    app.add_config_value("nnmath_solutions", os.environ.get("NNMATH_SOLUTIONS", "shown"), "html")
    # MathJax's es5 directory for Node (the Makefile's vendor step), relative to the book's root.
    app.add_config_value("nnmath_mathjax_node", "_vendor/node/mathjax", "html")
    app.connect("config-inited", _configure_repository)
    app.connect("config-inited", _add_site_assets)
    app.add_css_file(MATH_STYLESHEET)
    app.add_css_file("nnmath-site.css")
    app.add_js_file("nnmath-site.js", loading_method="defer")
    app.connect("builder-inited", _complete_singlehtml_visitors)
    app.connect("builder-inited", _highlight_plain_tokens_as_text)
    # Before sphinx-book-theme's header buttons (priority 501) read ipynb_source.
    app.connect("html-page-context", _offer_notebook_download, priority=450)
    app.connect("html-page-context", _widgets_in_single_page, priority=460)
    app.connect("html-page-context", _write_page_notebook, priority=880)
    app.connect("html-page-context", _point_colab_at_the_site_notebook, priority=890)
    app.connect("html-page-context", _deduplicate_scripts, priority=900)
    app.connect("html-page-context", _fix_widget_pages, priority=910)
    app.connect("html-page-context", _drop_mathjax, priority=920)
    app.connect("build-finished", _typeset_site)
    app.connect("doctree-resolved", _remove_solutions)
    app.connect("build-finished", _strip_solutions_from_sources)
    # The API reference's [source] links (see defining_module and source_tags).
    app.setup_extension("sphinx.ext.viewcode")
    app.connect("viewcode-follow-imported", _follow_imported)
    app.connect("viewcode-find-source", _find_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
