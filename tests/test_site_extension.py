"""The site extension (_ext/nnmath_site.py): repository and launch buttons.

The buttons need the repository's public address, which is read from
NNMATH_REPOSITORY_URL, _config.yml or the clone's ``origin`` remote. These
tests run the extension's configuration step on a stand-in Sphinx app and
config, in temporary git repositories.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from _book import DOCTEST_FLAGS, ROOT, built_page, load_script, pygments_rules, toc_pages
from conftest import missing_on_this_machine

site = load_script("_ext/nnmath_site.py")

LAUNCH = {"notebook_interface": "jupyterlab", "binderhub_url": "https://mybinder.org",
          "jupyterhub_url": "", "colab_url": "https://colab.research.google.com"}


@pytest.mark.parametrize(
    "address, expected",
    [
        ("https://github.com/someone/nn-book", "https://github.com/someone/nn-book"),
        ("https://github.com/someone/nn-book.git", "https://github.com/someone/nn-book"),
        ("git@github.com:someone/nn-book.git", "https://github.com/someone/nn-book"),
        ("ssh://git@gitlab.com/group/book", "https://gitlab.com/group/book"),
        ("/work/main", None),
        ("file:///srv/book.git", None),
        ("https://example.org/someone/book", None),
        ("", None),
        (None, None),
    ],
)
def test_public_repository_accepts_github_and_gitlab_addresses_only(address, expected):
    assert site.public_repository(address) == expected


def git_repo(path: Path, origin: str | None, branch: str = "teaching") -> Path:
    subprocess.run(["git", "init", "-q", "-b", branch, str(path)], check=True)
    if origin:
        subprocess.run(["git", "-C", str(path), "remote", "add", "origin", origin], check=True)
    return path


def configure(srcdir: Path, theme_options: dict) -> dict:
    config = SimpleNamespace(html_theme_options=theme_options)
    site._configure_repository(SimpleNamespace(srcdir=str(srcdir)), config)
    return config.html_theme_options


def test_a_clone_of_a_github_fork_gets_buttons_for_that_fork(tmp_path, monkeypatch):
    monkeypatch.delenv("NNMATH_REPOSITORY_URL", raising=False)
    monkeypatch.delenv("NNMATH_REPOSITORY_BRANCH", raising=False)
    repo = git_repo(tmp_path / "fork", "git@github.com:teacher/nn-book.git")
    options = configure(repo, {"repository_url": site.JUPYTER_BOOK_DEFAULT_REPOSITORY,
                               "launch_buttons": dict(LAUNCH)})
    assert options["repository_url"] == "https://github.com/teacher/nn-book"
    assert options["repository_branch"] == "teaching"
    assert options["use_repository_button"] is True
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_without_a_public_address_there_are_no_buttons(tmp_path, monkeypatch):
    """Jupyter Book's default address (its own repository) must not produce buttons."""
    monkeypatch.delenv("NNMATH_REPOSITORY_URL", raising=False)
    repo = git_repo(tmp_path / "local", "/srv/git/book.git")
    options = configure(repo, {"repository_url": site.JUPYTER_BOOK_DEFAULT_REPOSITORY,
                               "launch_buttons": dict(LAUNCH)})
    assert options["repository_url"] == ""
    assert options["use_repository_button"] is False
    assert not any(options["launch_buttons"][k] for k in ("binderhub_url", "colab_url", "jupyterhub_url"))


def test_the_environment_variable_wins_and_colab_needs_github(tmp_path, monkeypatch):
    monkeypatch.setenv("NNMATH_REPOSITORY_URL", "https://gitlab.com/course/book.git")
    monkeypatch.setenv("NNMATH_REPOSITORY_BRANCH", "spring")
    repo = git_repo(tmp_path / "clone", "https://github.com/someone/other")
    options = configure(repo, {"launch_buttons": dict(LAUNCH)})
    assert options["repository_url"] == "https://gitlab.com/course/book"
    assert options["repository_branch"] == "spring"
    assert options["launch_buttons"]["colab_url"] == ""
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def test_binder_installs_the_package_after_the_pins():
    post_build = ROOT / "postBuild"
    text = post_build.read_text()
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable for repo2docker"
    assert "pip install --no-deps -e ." in text and "jupytext-config set-default-viewer" in text
    assert (ROOT / "requirements.txt").exists()


@pytest.mark.build
def test_launch_links_point_at_the_repository_or_are_absent(built_site: Path):
    """In a build without a public address (as in CI) no page links to Jupyter Book's own repository."""
    for html in built_site.rglob("*.html"):
        text = html.read_text()
        assert "executablebooks/jupyter-book" not in text, f"{html.name} links to Jupyter Book's repository"


# --- The page's notebook in the published site, with an install cell first ---------------
REPO = "https://github.com/teacher/nn-book"


def fake_app(tmp_path: Path, theme_options: dict) -> SimpleNamespace:
    outdir = tmp_path / "_build" / "html"
    outdir.mkdir(parents=True)
    config = SimpleNamespace(html_theme_options=theme_options, nnmath_pages_branch="gh-pages", nnmath_site_url="",
                             bibtex_bibfiles=[])
    env = SimpleNamespace(domaindata={"std": {"labels": {}}, "py": {"objects": {}}}, titles={})
    return SimpleNamespace(outdir=str(outdir), srcdir=str(tmp_path), config=config, env=env)


def executed_notebook(app: SimpleNamespace, pagename: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title", id="title"),
                      nbformat.v4.new_code_cell("import nnmath", id="code")]
    path = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


def test_with_an_address_the_notebook_starts_with_the_install_cell(tmp_path):
    import nbformat

    app = fake_app(tmp_path, {"repository_url": REPO, "repository_branch": "teaching"})
    executed_notebook(app, "book/neuron")
    context = {"sourcename": "book/neuron.md"}
    site._offer_notebook_download(app, "book/neuron", "page.html", context, None)
    assert context["ipynb_source"] == "book/neuron.ipynb"
    site._write_page_notebook(app, "book/neuron", "page.html", context, None)
    written = nbformat.read(Path(app.outdir) / "_sources" / "book" / "neuron.ipynb", as_version=4)
    nbformat.validate(written)
    first = written.cells[0]
    assert first.cell_type == "code" and first.metadata["tags"] == ["remove-cell"]
    assert f"nnmath[widgets] @ git+{REPO}@teaching" in first.source
    assert [c.source for c in written.cells[1:]] == ["# Title", "import nnmath"]


def test_without_an_address_the_first_cell_names_the_command_to_run(tmp_path, monkeypatch):
    import nbformat

    app = fake_app(tmp_path, {"repository_url": ""})
    executed_notebook(app, "book/neuron")
    context = {"sourcename": "book/neuron.md"}
    site._offer_notebook_download(app, "book/neuron", "page.html", context, None)
    site._write_page_notebook(app, "book/neuron", "page.html", context, None)
    written = nbformat.read(Path(app.outdir) / "_sources" / "book" / "neuron.ipynb", as_version=4)
    first = written.cells[0].source
    monkeypatch.setitem(sys.modules, "nnmath", None)  # nnmath cannot be imported
    with pytest.raises(ImportError, match=r"python -m pip install -e '\.\[widgets\]'"):
        exec(first, {})
    assert [c.source for c in written.cells[1:]] == ["# Title", "import nnmath"]


def test_the_install_cell_installs_nothing_when_nnmath_imports(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    exec(site.install_cell(REPO, "main"), {})
    assert calls == []


def test_the_install_cell_installs_from_the_repository_when_nnmath_is_missing(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "nnmath", None)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a[0]))
    with pytest.raises(ImportError):  # nothing was really installed
        exec(site.install_cell(REPO, "teaching"), {})
    assert calls == [[sys.executable, "-m", "pip", "install", "--quiet", f"nnmath[widgets] @ git+{REPO}@teaching"]]


def header_buttons() -> list[dict]:
    launch = [{"type": "link", "text": "Binder", "url": "https://mybinder.org/v2/gh/x"},
              {"type": "link", "text": "Colab", "url": f"https://colab.research.google.com/github/teacher/"
                                                     "nn-book/blob/teaching/book/neuron.md"}]
    return [{"label": "download-buttons", "buttons": []}, {"label": "launch-buttons", "buttons": launch}]


def test_the_colab_button_opens_the_notebook_of_the_published_site(tmp_path):
    app = fake_app(tmp_path, {"repository_url": REPO, "launch_buttons": dict(LAUNCH)})
    context = {"ipynb_source": "book/neuron.ipynb", "header_buttons": header_buttons()}
    site._point_colab_at_the_site_notebook(app, "book/neuron", "page.html", context, None)
    binder, colab = context["header_buttons"][1]["buttons"]
    assert colab["url"] == ("https://colab.research.google.com/github/teacher/nn-book/blob/gh-pages/"
                            "_sources/book/neuron.ipynb")
    assert binder["url"] == "https://mybinder.org/v2/gh/x"


def test_without_colab_the_buttons_are_left_alone(tmp_path):
    app = fake_app(tmp_path, {"repository_url": REPO, "launch_buttons": {**LAUNCH, "colab_url": ""}})
    context = {"ipynb_source": "book/neuron.ipynb", "header_buttons": header_buttons()}
    site._point_colab_at_the_site_notebook(app, "book/neuron", "page.html", context, None)
    assert context["header_buttons"] == header_buttons()


@pytest.mark.build
def test_the_install_cell_installs_nnmath_from_the_repository(tmp_path, reader_environment):
    """The cell run in a new environment without nnmath, as in Colab or any other client.

    The repository is a local clone, addressed as git+file://localhost/...; the dependencies
    come from the package index, as in Colab (the environment is shared with the packaging
    tests: tests/conftest.py's ``reader_environment``).
    """
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    branch = subprocess.run(["git", "-C", str(clone), "symbolic-ref", "--short", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    environment = reader_environment.without_nnmath()
    venv, python = environment.venv, environment.python
    # A PEP 508 address needs a host: git+file:///path is rejected, git+file://localhost/path is not.
    cell = site.install_cell(f"file://localhost{clone}", branch)
    script = (cell +
              "\nimport nnmath\nprint(nnmath.__file__)\nprint(nnmath.sigmoid(0.0))\n")
    result = subprocess.run([str(python), "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    location, value = result.stdout.split()[-2:]
    assert str(venv) in location and value == "0.5"


# --- Math typeset at build time, fixes to the theme's HTML (issue 19) ----------------------------
import doctest  # noqa: E402
import shutil  # noqa: E402

MATHJAX_NODE = ROOT / "_vendor" / "node" / "mathjax"


def test_the_extension_examples_hold():
    """The >>> examples in _ext/nnmath_site.py (not under pytest's doctest paths) run and pass."""
    result = doctest.testmod(site, optionflags=DOCTEST_FLAGS)
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.parametrize(
    "element, tex",
    [
        (r"\(a &lt; b\)", "a < b"),
        ("\n\\[\n\\frac12\n\\]", r"\frac12"),
        (r"\[\begin{split}a &amp;= b\end{split}\]", r"\begin{split}a &= b\end{split}"),
        (r"\begin{align}x &amp;= 1\end{align}", r"\begin{align}x &= 1\end{align}"),
    ],
)
def test_formula_source_is_the_tex_sphinx_wrote(element, tex):
    assert site.formula_source(element) == tex


# The theme stack's HTML that PAGE_FIXES change, as sphinx-book-theme 1.3.0, MyST-NB 1.4.0 and
# sphinxcontrib-bibtex 2.7.0 write it; each fix must still find its target.
THEME_HTML = {
    "Font Awesome script": '<script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>',
    "search button name": ('<button class="btn search-button-field search-button__button pst-js-only" '
                           'title="Search" aria-label="Search" data-bs-placement="bottom">'),
    "hidden-cell toggle name": '<summary aria-label="Toggle hidden content">',
    "bibliography entries": '<div class="citation" id="id18" role="doc-biblioentry">',
    "colour theme before the first style": (
        '<script data-cfasync="false">\n'
        '    document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto";\n'
        '    document.documentElement.dataset.theme = localStorage.getItem("theme") || "auto";\n'
        '  </script>'),
    "search scripts deferred": ('<script src="../_static/searchtools.js"></script>\n'
                                '<script src="../_static/language_data.js"></script>\n'
                                '<script src="../searchindex.js"></script>'),
}
FIXED_HTML = {
    "Font Awesome script": "",
    "search button name": ('<button class="btn search-button-field search-button__button pst-js-only" '
                           'title="Search" data-bs-placement="bottom">'),
    "hidden-cell toggle name": "<summary>",
    "bibliography entries": '<div class="citation" id="id18" role="listitem">',
    "colour theme before the first style": (
        '<script data-cfasync="false">\n'
        '    document.documentElement.dataset.mode = localStorage.getItem("mode") || "auto";\n'
        '    document.documentElement.dataset.theme = (function (mode) { return mode === "light" || mode === "dark" '
        '? mode : (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"); })'
        '(document.documentElement.dataset.mode);\n'
        '  </script>'),
    "search scripts deferred": ('<script defer="defer" src="../_static/searchtools.js"></script>\n'
                                '<script defer="defer" src="../_static/language_data.js"></script>\n'
                                '<script defer="defer" src="../searchindex.js"></script>'),
}


@pytest.mark.build
def test_every_built_page_resolves_its_colour_theme_before_the_first_style(built_site: Path):
    """The theme still writes the script this fix targets: a theme upgrade that changes it fails here."""
    fixed = FIXED_HTML["colour theme before the first style"].splitlines()[2].strip()
    # Every page the theme writes (the root index.html is only a redirect to book/index.html).
    themed = {p.relative_to(built_site).as_posix(): p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")
              if p.relative_to(built_site).parts[0] != "_static"}
    themed = {name: text for name, text in themed.items() if "documentElement.dataset.mode" in text}
    chapters = [page.relative_to(ROOT).with_suffix(".html").as_posix() for page in toc_pages()]
    assert set(chapters) <= set(themed), f"pages without the theme's colour script: {set(chapters) - set(themed)}"
    missing = sorted(name for name, text in themed.items() if fixed not in text)
    assert missing == [], f"pages whose colour theme is still resolved only after parsing: {missing}"


def test_every_page_fix_is_tested():
    assert sorted(name for name, _, _ in site.PAGE_FIXES) == sorted(THEME_HTML)


@pytest.mark.parametrize("name", sorted(THEME_HTML))
def test_page_fixes_change_what_the_theme_writes(name):
    assert site.fix_page(THEME_HTML[name]) == FIXED_HTML[name]


def test_the_pages_lose_mathjax_and_keep_their_other_scripts():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript("_static/doctools.js"), _JavaScript("mathjax/tex-mml-chtml.js", loading_method="defer"),
               _JavaScript("", body='window.MathJax = {"options": {}}'), _JavaScript("nnmath-site.js")]
    context = {"script_files": scripts}
    app = SimpleNamespace(config=SimpleNamespace(mathjax_path="mathjax/tex-mml-chtml.js"))
    site._drop_mathjax(app, "book/neuron", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == ["_static/doctools.js", "nnmath-site.js"]


def _node_and_mathjax_or_skip():
    missing = None
    if shutil.which("node") is None:
        missing = "Node.js is not installed"
    elif not (MATHJAX_NODE / "node-main.js").exists():
        missing = f"MathJax is not vendored at {MATHJAX_NODE} (make vendor)"
    if missing:
        missing_on_this_machine("math typesetting tests", missing)


def test_mathjax_in_node_gives_commonhtml_with_mathml_for_screen_readers():
    _node_and_mathjax_or_skip()
    html, css = site.typeset_formulas([(r"\frac{\partial \mathcal{L}}{\partial w}", True), ("x^2", False)],
                                      MATHJAX_NODE, site.MATH_FONTS)
    assert html[0].startswith('<mjx-container class="MathJax" jax="CHTML" display="true"')
    assert "<mjx-assistive-mml" in html[1] and "<msup><mi>x</mi><mn>2</mn></msup>" in html[1]
    assert "tabindex" not in "".join(html)  # no MathJax menu: formulas are not tab stops
    assert f'url("{site.MATH_FONTS}/MathJax_Zero.woff")' in css


def test_a_tex_error_stops_the_build_and_names_the_formula():
    _node_and_mathjax_or_skip()
    with pytest.raises(RuntimeError, match=r"Undefined control sequence \\nosuchmacro.*'x \+ \\\\nosuchmacro'"):
        site.typeset_formulas([("x + y", False), (r"x + \nosuchmacro", False)], MATHJAX_NODE, site.MATH_FONTS)


def _preloaded(html_text: str) -> list[str] | None:
    """The font addresses a page's preload script names, or None without one."""
    found = re.search(r"for \(const href of (\[.*?\])\)", html_text)
    return json.loads(found.group(1)) if found else None


def _typesetting_app(tmp_path: Path, outdir: Path) -> SimpleNamespace:
    """What _typeset_site reads of a Sphinx application that built the html pages in ``outdir``."""
    return SimpleNamespace(outdir=str(outdir), confdir=str(ROOT), builder=SimpleNamespace(format="html", name="html"),
                           config=SimpleNamespace(nnmath_mathjax_node=str(MATHJAX_NODE)),
                           doctreedir=str(tmp_path / "doctrees"))


def test_a_built_page_gets_typeset_math_and_the_fixes(tmp_path):
    _node_and_mathjax_or_skip()
    outdir = tmp_path / "html"
    (outdir / "book").mkdir(parents=True)
    page = outdir / "book" / "neuron.html"
    page.write_text('<html><head><meta charset="utf-8" /><script defer src="../_static/scripts/fontawesome.js?digest=1"></script></head>'
                    '<body><p>Inline <span class="math notranslate nohighlight">\\(a &lt; b\\)</span>.</p>\n'
                    '<div class="math notranslate nohighlight" id="equation-x">\n<span class="eqno">(1)</span>'
                    '\\[z = w x + b\\]</div></body></html>')
    app = _typesetting_app(tmp_path, outdir)
    site._typeset_site(app, None)
    text = page.read_text()
    assert "fontawesome" not in text and "\\(" not in text and "\\[" not in text
    assert text.count("<mjx-container") == 2 and '<span class="eqno">(1)</span><mjx-container' in text
    assert '<div class="math notranslate nohighlight" id="equation-x">' in text
    assert "mjx-container" in (outdir / "_static" / site.MATH_STYLESHEET).read_text()
    # The fonts of those formulas are preloaded from the start of the head, over http(s) only.
    preloads = re.search(r"<script>/\* nnmath_site: math font preloads \*/(.*?)</script>", text).group(1)
    hrefs = _preloaded(preloads)
    assert {href.rsplit("/", 1)[1] for href in hrefs} == {"MathJax_Zero.woff", "MathJax_Main-Regular.woff",
                                                           "MathJax_Math-Italic.woff"}
    assert all(href.startswith(f"../_static/{site.MATH_FONTS}/") for href in hrefs)
    assert "/^https?:$/.test(location.protocol)" in preloads


def test_an_incremental_build_leaves_typeset_pages_alone_and_styles_every_formula(tmp_path):
    """A second build that writes only one new page types only that page's formulas; the page left from
    the first build is not typeset again, and the stylesheet still draws its characters."""
    _node_and_mathjax_or_skip()
    outdir = tmp_path / "html"
    (outdir / "book").mkdir(parents=True)
    first, second = outdir / "book" / "first.html", outdir / "book" / "second.html"
    first.write_text('<html><head><meta charset="utf-8" /></head><body><p><span class="math notranslate nohighlight">'
                     '\\(\\sqrt{q}\\)</span></p></body></html>')
    app = _typesetting_app(tmp_path, outdir)
    site._typeset_site(app, None)
    typeset = first.read_text()
    assert typeset.count("<mjx-container") == 1 and "\\sqrt" not in typeset
    second.write_text('<html><head><meta charset="utf-8" /></head><body><p><span class="math notranslate nohighlight">'
                      '\\(k\\)</span></p></body></html>')
    site._typeset_site(app, None)
    assert first.read_text() == typeset
    assert second.read_text().count("<mjx-container") == 1
    css = (outdir / "_static" / site.MATH_STYLESHEET).read_text()
    assert "mjx-c.mjx-c221A" in css and "mjx-c.mjx-c1D45E.TEX-I" in css and "mjx-c.mjx-c1D458.TEX-I" in css
    # Without the record of the first build, the page's formulas are unknown: the build stops.
    (tmp_path / "doctrees" / site.TYPESET_RECORD.format(builder="html")).unlink()
    with pytest.raises(RuntimeError, match="--all"):
        site._typeset_site(app, None)


def test_the_preloads_are_written_once_after_any_charset_and_a_page_without_one_stops_the_build():
    page = '<html><head><META CHARSET="UTF-8"><title>t</title></head></html>'
    once = site.preload_math_fonts(page, ["f/Zero.woff"], "_static/")
    assert once.startswith('<html><head><META CHARSET="UTF-8">\n<script>') and '"_static/f/Zero.woff"' in once
    assert site.preload_math_fonts(once, ["f/Zero.woff", "f/Main.woff"], "_static/") == once
    with pytest.raises(RuntimeError, match="no <meta charset>"):
        site.preload_math_fonts("<html><head><title>t</title></head></html>", ["f/Zero.woff"], "_static/")


def test_the_record_of_typeset_formulas_forgets_removed_pages_and_is_kept_per_builder(tmp_path):
    outdir = tmp_path / "html"
    outdir.mkdir()
    kept, removed = outdir / "kept.html", outdir / "removed.html"
    for page in (kept, removed):
        page.write_text("<p></p>")
    html_record, single_record = tmp_path / "html.json", tmp_path / "singlehtml.json"
    assert site._formulas_of_the_site(outdir, html_record, {kept: "", removed: ""},
                                      {kept: [(None, "a", False)], removed: [(None, "b", True)]}) == [("a", False), ("b", True)]
    removed.unlink()
    typeset = '<span class="math notranslate nohighlight"><mjx-container class="MathJax"></mjx-container></span>'
    assert site._formulas_of_the_site(outdir, html_record, {kept: typeset}, {kept: []}) == [("a", False)]
    assert json.loads(html_record.read_text()) == {"kept.html": [["a", False]]}
    # Another builder's record is another file: it neither reads nor replaces this one.
    with pytest.raises(RuntimeError, match="not recorded"):
        site._formulas_of_the_site(outdir, single_record, {kept: typeset}, {kept: []})
    assert json.loads(html_record.read_text()) == {"kept.html": [["a", False]]}
    html_record.write_text("{not json")
    with pytest.raises(RuntimeError, match="unreadable"):
        site._formulas_of_the_site(outdir, html_record, {kept: typeset}, {kept: []})


def test_a_page_without_math_preloads_no_font():
    page = '<html><head><meta charset="utf-8" /></head><body><p>Words.</p></body></html>'
    assert site.preload_math_fonts(page, site.math_fonts(page, ".MJX-TEX {\n  font-family: MJXZERO, MJXTEX;\n}"),
                                   "_static/") == page


# --- Speed (issue 19): what the first screen needs, written at build time ------------------------
# benchmarks/page_weight.py measures how soon the math is on screen; these tests check the
# mechanisms, so that a theme upgrade that undoes one fails here, whatever the machine's speed.
def _theme_script_source() -> str:
    """The theme's own script as the installed pydata-sphinx-theme ships it."""
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" /
            site.THEME_SCRIPT).read_text(encoding="utf-8")


def test_the_theme_tab_stop_loop_is_taken_out_of_the_installed_theme_script():
    """The installed theme still has its after-load loop where the patch expects it, and the patch removes it."""
    source = _theme_script_source()
    patched = site.patch_theme_script(source)
    assert not site.THEME_TAB_STOPS.search(patched), "the theme's after-load tab-stop loop is still registered"
    assert site.THEME_TAB_STOPS_PATCHED in patched and len(patched) < len(source)
    assert site.patch_theme_script(patched) == patched  # a second build leaves it as it is


def test_a_theme_script_without_the_loop_stops_the_build():
    with pytest.raises(RuntimeError, match="tab-stop loop"):
        site.patch_theme_script('window.addEventListener("load",somethingElse)')


def test_code_blocks_that_can_scroll_and_tables_are_tab_stops_in_the_page():
    wide = "<pre><span></span><span class=\"n\">" + "x" * site.PRE_SCROLL_CHARACTERS + "</span>\n</pre>"
    narrow = "<pre><span></span>x = 1\ny = 2\n</pre>"
    table = '<div class="pst-scrollable-table-container"><table></table></div>'
    text = site.tab_stops(wide + narrow + table)
    assert text.count('<pre tabindex="0">') == 1 and text.index('<pre tabindex="0">') == 0
    assert '<div class="pst-scrollable-table-container" tabindex="0">' in text
    assert "<pre><span></span>x = 1" in text


def test_widget_scripts_are_deferred_with_the_fix_between_them():
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript("_static/doctools.js"), _JavaScript("requirejs/require.js", priority=490),
               _JavaScript("html-manager/embed-amd.js", priority=490)]
    context = {"script_files": scripts}
    site._fix_widget_pages(SimpleNamespace(), "book/gradient_descent", "page.html", context, None)
    files = [(str(s.filename), s.attributes.get("defer")) for s in context["script_files"]]
    assert files == [("_static/doctools.js", None), ("requirejs/require.js", "defer"),
                     (f"_static/{site.WIDGET_PAGE_FIXES}", "defer"), ("html-manager/embed-amd.js", "defer")]
    assert (ROOT / "_ext" / "static" / site.WIDGET_PAGE_FIXES).exists()


@pytest.mark.build
def test_built_pages_preload_the_fonts_of_their_math(built_site: Path):
    """Each chapter with formulas has the preload script in its head, naming files of the built site, and
    the list it names is the one its final HTML gives (no later rewrite of the page changed its math).
    Whether the list is complete, the browser test that reads the fonts of the first screen says."""
    css = (built_site / "_static" / site.MATH_STYLESHEET).read_text(encoding="utf-8")
    for page in toc_pages():
        path = built_page(built_site, page)
        text = path.read_text(encoding="utf-8")
        fonts = site.math_fonts(text, css)
        if "<mjx-container" not in text:
            assert not fonts and site.FONT_PRELOADS_MARK not in text, f"{path.name} preloads fonts without math"
            continue
        assert len(fonts) >= 2, f"{path.name}: its formulas use {fonts}"
        hrefs = _preloaded(text.split("</head>", 1)[0])
        assert hrefs is not None, f"{path.name} has formulas but no font preloads in its head"
        assert [href.split("_static/", 1)[1] for href in hrefs] == fonts, path.name
        for href in hrefs:
            assert (path.parent / href).resolve().is_file(), f"{path.name} preloads a missing font: {href}"


@pytest.mark.build
def test_built_pages_defer_their_scripts_and_carry_their_tab_stops(built_site: Path):
    """In every built chapter code that can scroll is a tab stop, the widget and search scripts are deferred,
    and the theme script served is the patched one."""
    import re

    theme = (built_site / "_static" / site.THEME_SCRIPT).read_text(encoding="utf-8")
    assert site.THEME_TAB_STOPS_PATCHED in theme and not site.THEME_TAB_STOPS.search(theme)
    for page in toc_pages():
        name = page.relative_to(ROOT).with_suffix(".html").as_posix()
        text = (built_site / name).read_text(encoding="utf-8")
        head = text.split("</head>", 1)[0]
        for script in re.findall(r"<script[^>]*(?:require\.js|embed-amd\.js|searchindex\.js|searchtools\.js)[^>]*>", head):
            assert 'defer="defer"' in script, f"{name} loads a script that blocks the page: {script}"
        for body in re.findall(r"<pre>(.*?)</pre>", text, re.DOTALL):
            longest = max(len(line) for line in html.unescape(re.sub(r"<[^>]+>", "", body)).split("\n"))
            assert longest < site.PRE_SCROLL_CHARACTERS, f"{name}: a code block of {longest} columns is no tab stop"


THEME_STYLES = ("a11y-high-contrast-light", "a11y-high-contrast-dark")  # pydata-sphinx-theme's defaults


def test_code_is_highlighted_without_spans_for_tokens_drawn_as_plain_text():
    from pydata_sphinx_theme.pygments import get_pygments_stylesheet
    from sphinx.highlighting import PygmentsBridge

    bridge = PygmentsBridge("html", "sphinx")
    plain = site.plain_token_types(*THEME_STYLES)
    bridge.formatter = site._plain_tokens_formatter(plain)
    code = 'total = f(x, y=2)  # a comment\nprint(f"{total:.3f}")\n'
    original = PygmentsBridge("html", "sphinx").highlight_block(code, "python3")
    written = bridge.highlight_block(code, "python3")
    # Names, punctuation and spaces are bare text; operators, numbers, strings, comments and
    # builtins keep their classes.
    assert re.findall(r'<span class="(n|p|w)">', written) == []
    for kept in ("o", "mi", "c1", "nb", "s2"):
        assert f'<span class="{kept}">' in written, kept
    text = lambda block: html.unescape(re.sub(r"<[^>]+>", "", block))  # noqa: E731
    assert code in text(written) and text(written) == text(original)  # the same characters

    # Against the theme's own stylesheet, the one pydata-sphinx-theme writes as pygments.css: in
    # both colour modes, every class left out is drawn exactly as the code block's text.
    stylesheet = get_pygments_stylesheet(*THEME_STYLES)
    dropped = set(re.findall(r'<span class="([\w-]+)">', original)) - set(re.findall(r'<span class="([\w-]+)">', written))
    assert {"n", "p"} <= dropped
    for mode in ("light", "dark"):
        rules = pygments_rules(stylesheet, mode)
        text_colour = re.search(r"color: #\w+", rules[""]).group(0)
        assert all(rules.get(cls, text_colour) == text_colour for cls in dropped), (mode, rules)


def test_console_prompts_and_output_keep_their_classes():
    """sphinx-copybutton and the theme select a console's prompts and output by class (.gp, .go)."""
    from sphinx.highlighting import PygmentsBridge

    bridge = PygmentsBridge("html", "sphinx")
    bridge.formatter = site._plain_tokens_formatter(site.plain_token_types(*THEME_STYLES))
    written = bridge.highlight_block(">>> x = 1\n>>> x\n1\n", "pycon")
    assert written.count('<span class="gp">&gt;&gt;&gt; </span>') == 2 and '<span class="go">1</span>' in written


def test_an_unknown_theme_style_keeps_every_span():
    from sphinx.highlighting import PygmentsBridge

    highlighter = PygmentsBridge("html", "sphinx")
    theme = SimpleNamespace(get_options=lambda: {"pygments_light_style": "a11y-high-contrast-light",
                                                  "pygments_dark_style": "a11y-high-contrast-dark"})
    app = SimpleNamespace(builder=SimpleNamespace(highlighter=highlighter, theme=theme),
                          config=SimpleNamespace(html_theme_options={"pygments_dark_style": "no-such-style"}))
    site._highlight_plain_tokens_as_text(app)
    assert highlighter.formatter is PygmentsBridge.html_formatter
    app.config.html_theme_options = {}
    site._highlight_plain_tokens_as_text(app)
    assert '<span class="n">' not in highlighter.highlight_block("x = 1\n", "python3")
