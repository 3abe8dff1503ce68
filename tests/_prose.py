"""The numbers a reader sees in a page's prose, captions and alt text (the prose-numbers rule).

A number with two or more significant digits in the text a reader reads must not be typed by hand
when it comes from a computation: it is glued in (``{glue:text}``) or built from the cell's result.
A number quoted from a source, or a constant that defines an example, is listed in the page's front
matter under ``typed-numbers:``, mapping the number as written to the reason it is typed::

    typed-numbers:
      "0.05": "Mazur's worked-example input, quoted"

What is read:
- prose, headings, list items, tables and the titles of admonitions and exercises;
- the ``:alt:`` option of figures and images and a figure's caption (its body);
- a code cell's ``mystnb: image: alt:`` and ``mystnb: figure: caption:`` metadata;
- the text of a link ``[text](url)`` and of a reference ``{ref}`text <target>```.

What is not read: the front matter; math (``$...$``, ``$$...$$``, ``{math}`` blocks and roles);
code (inline ``code``, fenced blocks, code cells, ``{literalinclude}``); glue roles and directives; the
contents of every other role (references, citations, downloads); labels ``(name)=``, directive
options other than ``:alt:``; URLs; comments (``% ...``, ``<!-- ... -->``).

A number is a run of digits, with at most one decimal point, optional thousands separators
(``159,020``) and an optional exponent (``1e-6``), not preceded by a letter, digit or ``.``. Its
significant digits are the digits from its first to its last non-zero digit, decimal point and
exponent left out: ``0.22`` and ``25`` have two, ``0.5``, ``1000``, ``0.05``, ``10`` and ``2.0`` one,
``1.05`` three. A sign is not part of the number as written (``-0.25`` is listed as ``"0.25"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FRONT_MATTER_KEY = "typed-numbers"

# Fenced blocks whose whole content is code or math, never prose.
_CODE_DIRECTIVES = {
    "code-cell", "code", "code-block", "sourcecode", "literalinclude", "math", "raw", "eval-rst",
    "bibliography", "tableofcontents", "toctree", "glue", "glue:any", "glue:text", "glue:math",
    "glue:md", "list-table-data",
}
# Directives whose argument is a path, key or label rather than prose.
_ARGUMENT_IS_NOT_PROSE = {
    "figure", "image", "glue:figure", "include", "solution", "solution-start", "solution-end",
    "exercise-start", "exercise-end", "bibliography", "literalinclude",
}
# The option lines of a directive that a reader sees.
_READ_OPTIONS = {"alt"}

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})\s*(?:\{(?P<name>[^}\s]+)\})?(?P<arg>.*)$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):(?P<value>.*)$")
_LABEL = re.compile(r"^\s*\([^)\s]+\)=\s*$")
_COMMENT = re.compile(r"^\s*%")

_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$")
_ROLE = re.compile(r"\{(?P<role>[\w:.-]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)", re.DOTALL)
_INLINE_CODE = re.compile(r"(?P<ticks>`+)(?P<body>.+?)(?P=ticks)", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_URL = re.compile(r"<?(?:https?|ftp)://[^\s>)]+>?|\bwww\.[^\s>)]+")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_REF_WITH_TEXT = re.compile(r"^(?P<text>.*?)\s*<[^>]+>\s*$", re.DOTALL)
_TEXT_ROLES = {"ref", "numref", "doc", "term", "eq", "sub", "sup", "abbr"}

NUMBER = re.compile(
    r"(?<![\w.])(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<exponent>[eE][-+]?\d+)?(?![\w])"
)


def significant_digits(number: str) -> int:
    """How many significant digits ``number`` (as written, without its sign) has."""
    mantissa = re.split(r"[eE]", number, maxsplit=1)[0]
    digits = re.sub(r"[^0-9]", "", mantissa).strip("0")
    return len(digits)


@dataclass(frozen=True)
class Found:
    """A number in the text a reader reads: as written, and the line of the page it is on."""

    number: str
    line: int
    context: str


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """The page's front matter (a dict), its body, and the line number where the body starts."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            meta = yaml.safe_load(text[4:end]) or {}
            body_start = text.count("\n", 0, end + 4) + 1
            rest = text[end + 4:]
            return meta, rest[1:] if rest.startswith("\n") else rest, body_start + 1
    return {}, text, 1


def _strip_inline(text: str) -> str:
    """The prose of ``text``: math, code, roles (except a reference's text), URLs and comments removed."""

    def keep_newlines(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n")

    def role(match: re.Match) -> str:
        name, body = match.group("role"), match.group("body")
        if name in _TEXT_ROLES:
            with_text = _REF_WITH_TEXT.match(body)
            if with_text:
                return with_text.group("text")
            if name in ("sub", "sup", "abbr"):
                return body
        return keep_newlines(match)

    text = _HTML_COMMENT.sub(keep_newlines, text)
    text = _DISPLAY_MATH.sub(keep_newlines, text)
    text = _ROLE.sub(role, text)
    text = _INLINE_CODE.sub(keep_newlines, text)
    text = _INLINE_MATH.sub(keep_newlines, text)
    text = _LINK.sub(lambda m: m.group("text"), text)
    text = _URL.sub(" ", text)
    text = _FOOTNOTE.sub(" ", text)
    return text


def _cell_metadata_text(lines: list[str]) -> list[tuple[int, str]]:
    """The alt text and caption of a code cell's ``mystnb`` metadata (the ``---`` block at its top)."""
    if not lines or lines[0].strip() != "---":
        return []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return []
    meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    found = []
    mystnb = meta.get("mystnb") or {}
    for section, key in (("image", "alt"), ("figure", "caption"), ("markdown", "alt")):
        value = (mystnb.get(section) or {}).get(key)
        if isinstance(value, str):
            line = next((i for i in range(1, end) if re.match(rf"\s*{key}:", lines[i])), 1)
            found.append((line, value))
    return found


def reader_text(body: str) -> list[tuple[int, str]]:
    """The pieces of ``body`` a reader reads, as (line offset, text) pairs, before inline stripping."""
    lines = body.split("\n")
    pieces: list[tuple[int, str]] = []
    stack: list[tuple[str, str | None]] = []  # open prose directives: (fence, name)
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line)
        if match and stack and line.strip() == stack[-1][0]:
            stack.pop()  # the closing fence of an open directive
            i += 1
            continue
        if match:
            fence, name, arg = match.group("fence"), match.group("name"), match.group("arg").strip()
            if name is None and fence[0] in "`~":
                # A plain fenced code block: skip to its closing fence.
                j = i + 1
                while j < len(lines) and lines[j].strip() != fence:
                    j += 1
                i = j + 1
                continue
            if name is None and fence[0] == ":" and not arg:
                # A bare ::: closes nothing we opened (or is stray): ignore it.
                i += 1
                continue
            if name in _CODE_DIRECTIVES:
                j = i + 1
                while j < len(lines) and lines[j].strip() != fence:
                    j += 1
                if name == "code-cell":
                    for offset, text in _cell_metadata_text(lines[i + 1:j]):
                        pieces.append((i + 1 + offset, text))
                i = j + 1
                continue
            stack.append((fence, name))
            if arg and name not in _ARGUMENT_IS_NOT_PROSE:
                pieces.append((i, arg))
            # Options right after the opening line: `:key: value` lines or a `---` YAML block.
            j = i + 1
            if j < len(lines) and lines[j].strip() == "---":
                k = j + 1
                while k < len(lines) and lines[k].strip() != "---":
                    k += 1
                options = yaml.safe_load("\n".join(lines[j + 1:k])) or {}
                for key in _READ_OPTIONS:
                    if isinstance(options.get(key), str):
                        pieces.append((j + 1, options[key]))
                j = k + 1
            else:
                while j < len(lines) and _OPTION.match(lines[j]):
                    option = _OPTION.match(lines[j])
                    if option.group("key") in _READ_OPTIONS:
                        pieces.append((j, option.group("value")))
                    j += 1
            i = j
            continue
        if _LABEL.match(line) or _COMMENT.match(line):
            i += 1
            continue
        pieces.append((i, line))
        i += 1
    return pieces


def numbers_in(text: str, first_line: int = 1) -> list[Found]:
    """Every number in the reader's text of a page body, with its line number."""
    found = []
    pieces = reader_text(text)
    # Inline constructs ($...$, roles) can span lines: strip the joined prose, keeping line breaks.
    prose_lines: dict[int, str] = {}
    for offset, piece in pieces:
        prose_lines[offset] = (prose_lines.get(offset, "") + " " + piece.replace("\n", " ")).strip()
    joined = "\n".join(prose_lines.get(k, "") for k in range(max(prose_lines, default=-1) + 1))
    stripped = _strip_inline(joined).split("\n")
    for offset, line in enumerate(stripped):
        for match in NUMBER.finditer(line):
            number = match.group("number") + (match.group("exponent") or "")
            found.append(Found(number, first_line + offset, line.strip()[:120]))
    return found


def page_numbers(page: Path) -> tuple[dict[str, str], list[Found]]:
    """A page's ``typed-numbers`` and every number with two or more significant digits it shows."""
    meta, body, start = split_front_matter(page.read_text())
    typed = meta.get(FRONT_MATTER_KEY) or {}
    if not isinstance(typed, dict):
        raise TypeError(f"{page.name}: {FRONT_MATTER_KEY} must be a mapping of number -> reason")
    for key, reason in typed.items():
        if not isinstance(key, str):
            raise TypeError(f"{page.name}: write the typed number {key!r} in quotes, as a string, "
                            "so that YAML keeps it as written")
        if not isinstance(reason, str) or not reason.strip():
            raise TypeError(f"{page.name}: the typed number {key!r} needs a reason (a string)")
    found = [f for f in numbers_in(body, start) if significant_digits(f.number) >= 2]
    return typed, found


def unlisted(page: Path) -> list[Found]:
    """The numbers of two or more significant digits on ``page`` that its front matter does not list."""
    typed, found = page_numbers(page)
    return [f for f in found if f.number not in typed]


def stale(page: Path) -> list[str]:
    """The ``typed-numbers`` entries of ``page`` that its reader's text does not contain."""
    typed, found = page_numbers(page)
    shown = {f.number for f in found}
    return [key for key in typed if key not in shown]
