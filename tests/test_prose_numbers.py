"""No hand-typed results: the numbers a reader sees in prose, captions and alt text are computed.

Every page of _toc.yml is read (see tests/_prose.py for exactly what counts as the reader's text and
as a number). A number with two or more significant digits must be glued in from a cell, or listed
in the page's front matter under ``typed-numbers:`` with the reason it is typed (a quoted source, a
constant that defines the example). Each page is its own test case, so a failure names the page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import jupytext
import pytest

from _book import ROOT, toc_pages
from _prose import FRONT_MATTER_KEY, numbers_in, page_numbers, significant_digits, stale, unlisted

PAGES = toc_pages()
IDS = [str(p.relative_to(ROOT)) for p in PAGES]


def shown(text: str) -> list[str]:
    """The numbers of two or more significant digits a reader sees in a page body."""
    return [f.number for f in numbers_in(textwrap.dedent(text)) if significant_digits(f.number) >= 2]


def page(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "page.md"
    path.write_text(textwrap.dedent(text).lstrip())
    return path


# --- the scanner itself -------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "digits"), [
    ("0.22", 2), ("0.5", 1), ("1000", 1), ("0.05", 1), ("10", 1), ("2.0", 1), ("1.05", 3),
    ("25", 2), ("159,020", 5), ("1e-6", 1), ("2.5e3", 2), ("0.10", 1), (".25", 2), ("3", 1),
])
def test_significant_digits_leave_out_leading_and_trailing_zeros(number, digits):
    assert significant_digits(number) == digits


def test_a_two_digit_number_in_prose_is_found():
    assert shown("The factor is about 0.22 per layer.\n") == ["0.22"]


def test_one_significant_digit_is_not_a_result():
    assert shown("Take 0.5, then 1000 steps, a rate of 0.05 and 10^3 points.\n") == []


def test_numbers_in_math_are_ignored():
    assert shown("Here $\\sigma'(0) = 0.25$ and\n$$\nx = 3.14\n$$\nand\n"
                 "```{math}\n:label: eq-pi\n\\pi = 3.14159\n```\n") == []


def test_math_spanning_lines_is_ignored():
    assert shown("The value $a =\n0.731$ is the output.\n") == []


def test_numbers_in_code_are_ignored():
    text = """
    Call `nnmath.sigmoid(0.731)` first.

    ```{code-cell} ipython3
    x = 0.731
    ```

    ```python
    y = 12.5
    ```
    """
    assert shown(text) == []


def test_glue_roles_and_directives_pass():
    text = """
    The loss falls to {glue:text}`final_loss:.3f` after {glue:}`steps` steps.

    ```{glue:figure} fig-loss
    :name: fig-loss
    The loss curve.
    ```
    """
    assert shown(text) == []


def test_labels_references_citations_and_urls_are_ignored():
    text = """
    (sec-12-34)=
    ## A heading

    See {ref}`sec-12-34`, {numref}`fig-10-2`, {cite}`nielsen2015neural`, {eq}`eq-2-11` and
    <https://example.org/v1.23/page> or https://example.org/42.5 and [a link](https://x.org/3.14).
    % a comment with 3.14
    <!-- another 2.71 -->
    """
    assert shown(text) == []


def test_the_text_of_a_reference_and_of_a_link_is_read():
    assert shown("See {ref}`the 12 steps <sec-steps>` and [the 3.5 result](https://x.org).\n") == ["12", "3.5"]


def test_an_unlisted_number_in_alt_text_fails():
    text = """
    ```{figure} picture.png
    :alt: A circle whose area is 3.14 times r squared.
    :name: fig-circle

    The caption says 2.7.
    ```
    """
    assert shown(text) == ["3.14", "2.7"]  # the caption is read too


def test_code_cell_alt_text_and_caption_are_read():
    text = """
    ```{code-cell} ipython3
    ---
    mystnb:
      image:
        alt: >-
          The lines fall by a factor of about 0.22, 0.26 and 0.08 per neuron.
      figure:
        caption: >-
          The error term, at most $w/4 = 0.25$ per step, shrinks by 0.5.
        name: fig-delta-12
    ---
    plt.plot([0.22, 0.26])
    ```
    """
    assert shown(text) == ["0.22", "0.26"]


def test_admonition_titles_and_bodies_are_read_but_options_are_not():
    text = """
    :::{admonition} After 15 steps
    :class: dropdown
    :name: adm-15-steps
    The loss is 0.42.
    :::
    """
    assert shown(text) == ["15", "0.42"]


def test_a_listed_number_passes_and_an_unlisted_one_fails(tmp_path):
    path = page(tmp_path, """
    ---
    typed-numbers:
      "0.05": "Mazur's worked-example input, quoted"
      "0.99": "Mazur's target, quoted"
    ---
    The inputs are 0.05 and 0.10 and the target is 0.99; the loss is 0.298.
    """)
    assert [f.number for f in unlisted(path)] == ["0.298"]


def test_a_listed_number_the_page_does_not_show_is_stale(tmp_path):
    path = page(tmp_path, """
    ---
    typed-numbers:
      "0.99": "the target"
      "0.42": "no longer on the page"
    ---
    The target is 0.99, and $0.42$ is math.
    """)
    assert stale(path) == ["0.42"]


def test_a_typed_number_must_be_quoted(tmp_path):
    path = page(tmp_path, """
    ---
    typed-numbers:
      0.99: "YAML reads this key as a float"
    ---
    The target is 0.99.
    """)
    with pytest.raises(TypeError, match="in quotes"):
        page_numbers(path)


def test_the_front_matter_key_survives_jupytext(tmp_path):
    """jupytext keeps the key in the notebook's metadata, so pages with it still execute and build."""
    path = page(tmp_path, """
    ---
    jupytext:
      text_representation:
        extension: .md
        format_name: myst
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    typed-numbers:
      "0.99": "the target"
    ---
    The target is 0.99.

    ```{code-cell} ipython3
    x = 1
    ```
    """)
    notebook = jupytext.read(path)
    assert notebook.metadata[FRONT_MATTER_KEY] == {"0.99": "the target"}
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code"]


# --- the book's pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_no_hand_typed_result_in_the_prose(path: Path):
    missing = unlisted(path)
    report = "\n".join(f"  line {f.line}: {f.number!r} in {f.context!r}" for f in missing)
    if missing:
        pytest.fail(f"{path.name} shows {len(missing)} numbers with two or more significant digits that are "
                    f"neither glued in nor listed under {FRONT_MATTER_KEY}: in its front matter:\n{report}",
                    pytrace=False)


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_every_typed_number_is_on_its_page(path: Path):
    old = stale(path)
    if old:
        pytest.fail(f"{path.name} lists {old} under {FRONT_MATTER_KEY}:, but its prose, captions and alt text "
                    "do not show them: remove the stale entries", pytrace=False)
