"""The site extension (_ext/nnmath_site.py): repository and launch buttons.

The buttons need the repository's public address, which is read from
NNMATH_REPOSITORY_URL, _config.yml or the clone's ``origin`` remote. These
tests run the extension's configuration step on a stand-in Sphinx app and
config, in temporary git repositories.
"""

from __future__ import annotations

import importlib.util
import subprocess
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
