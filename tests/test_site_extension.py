"""The site extension (_ext/nnmath_site.py): repository and launch buttons.

The buttons need the repository's public address, which is read from
NNMATH_REPOSITORY_URL, _config.yml or the clone's ``origin`` remote. These
tests run the extension's configuration step on a stand-in Sphinx app and
config, in temporary git repositories.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from _book import ROOT

spec = importlib.util.spec_from_file_location("nnmath_site", ROOT / "_ext" / "nnmath_site.py")
site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site)

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


# --- Colab: the page's notebook in the published site, with an install cell first ---------------
REPO = "https://github.com/teacher/nn-book"


def fake_app(tmp_path: Path, theme_options: dict) -> SimpleNamespace:
    outdir = tmp_path / "_build" / "html"
    outdir.mkdir(parents=True)
    config = SimpleNamespace(html_theme_options=theme_options, nnmath_pages_branch="gh-pages")
    return SimpleNamespace(outdir=str(outdir), config=config)


def executed_notebook(app: SimpleNamespace, pagename: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title", id="title"),
                      nbformat.v4.new_code_cell("import nnmath", id="code")]
    path = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


def test_with_an_address_the_notebook_starts_with_the_colab_install_cell(tmp_path):
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
    assert f"nnmath @ git+{REPO}@teaching" in first.source
    assert [c.source for c in written.cells[1:]] == ["# Title", "import nnmath"]


def test_without_an_address_the_notebook_is_the_executed_one(tmp_path):
    app = fake_app(tmp_path, {"repository_url": ""})
    executed = executed_notebook(app, "book/neuron")
    context = {"sourcename": "book/neuron.md"}
    site._offer_notebook_download(app, "book/neuron", "page.html", context, None)
    site._write_page_notebook(app, "book/neuron", "page.html", context, None)
    assert (Path(app.outdir) / "_sources" / "book" / "neuron.ipynb").read_bytes() == executed.read_bytes()


def test_the_install_cell_does_nothing_outside_colab(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    exec(site.colab_install_cell(REPO, "main"), {})
    assert calls == []


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
def test_in_colab_the_install_cell_installs_nnmath_from_the_repository(tmp_path):
    """The cell run as Colab runs it (google.colab imported), in a fresh environment without nnmath.

    The repository is a local clone, addressed as git+file://localhost/...; the dependencies
    come from the package index, as in Colab.
    """
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    branch = subprocess.run(["git", "-C", str(clone), "symbolic-ref", "--short", "HEAD"],
                            capture_output=True, text=True, check=True).stdout.strip()
    venv = tmp_path / "colab"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # A PEP 508 address needs a host: git+file:///path is rejected, git+file://localhost/path is not.
    cell = site.colab_install_cell(f"file://localhost{clone}", branch)
    script = ("import sys, types\n"
              "sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
              + cell +
              "\nimport nnmath\nprint(nnmath.__file__)\nprint(nnmath.sigmoid(0.0))\n")
    result = subprocess.run([str(python), "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    location, value = result.stdout.split()[-2:]
    assert str(venv) in location and value == "0.5"
