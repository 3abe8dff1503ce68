"""MyST Markdown to portable CommonMark, for the notebooks the site offers for download.

A page's Markdown cells use MyST: directives (admonitions, exercises,
solutions, literal includes, glued outputs), roles (``{ref}``, ``{doc}``,
``{cite}``, ``{glue:text}``, ``{py:func}``), and ``(label)=`` targets.
JupyterLab, Colab, VS Code and GitHub show them as raw text. :func:`convert`
rewrites one cell's Markdown into what any CommonMark client renders:

- an admonition or note becomes a blockquote whose first line is its title in bold;
- an exercise becomes a heading ("Exercise: title") followed by its text;
- a solution starts under a "Solution" heading, after a line telling the
  reader to try the exercise first (a solution's code is in the cells that
  follow, so it cannot be folded into one ``<details>`` element);
- ``{ref}`` and ``{doc}`` become links to the page on the published site,
  or the target's title when the site's address is unknown; ``{py:...}``
  roles become code, linked to the API reference when the address is known;
- ``{cite}`` becomes author-year text; ``{glue:text}`` and ``{glue}`` become
  the glued values, formatted as on the page; ``{math}`` becomes ``$...$``;
- labels and comments are removed; a literal include becomes the code it includes.

Everything the conversion needs from the build is passed in a
:class:`References` (the Sphinx environment's labels, titles, Python objects
and bibliography, and the page's glued values).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable


@dataclass
class References:
    """What the build knows about a page's cross-references."""

    docname: str = ""
    base_url: str = ""  # the published site, ending in "/", or "" when unknown
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # label -> (docname, anchor, title)
    titles: dict[str, str] = field(default_factory=dict)  # docname -> title
    objects: dict[str, tuple[str, str]] = field(default_factory=dict)  # python name -> (docname, anchor)
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # bibtex key -> (authors, year)
    glue: dict[str, dict] = field(default_factory=dict)  # glued name -> its output's data (mime -> value)
    exercises: dict[str, str] = field(default_factory=dict)  # exercise label -> title
    include: Callable[[str, dict], str] | None = None  # literalinclude: (path, options) -> code

    def link(self, text: str, docname: str, anchor: str = "") -> str:
        if not self.base_url:
            return text
        return f"[{text}]({self.base_url}{docname}.html{'#' + anchor if anchor else ''})"


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>.*)$")
_ROLE = re.compile(r"\{(?P<name>[a-z]+(?::[a-z]+)?)\}`(?P<content>[^`]+)`")
_LABEL = re.compile(r"^\s*\([\w.:-]+\)=\s*$")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


def _explicit(content: str) -> tuple[str | None, str]:
    match = _EXPLICIT.match(content.strip())
    return (match["text"], match["target"].strip()) if match and match["text"] else (None, content.strip())


def _glued_text(name: str, references: References) -> str:
    """A ``{glue:text}`` value, formatted as MyST-NB formats it on the page."""
    from myst_nb.core.variables import format_plain_text

    key, fmt_spec = name.rsplit(":", 1) if ":" in name else (name, "")
    data = references.glue.get(key.strip())
    if data is None or "text/plain" not in data:
        raise KeyError(f"{references.docname}: no text glued under {key!r}")
    return format_plain_text(data["text/plain"], fmt_spec)


def _authors(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def _cite(role: str, content: str, references: References) -> str:
    keys = [key.strip() for key in content.split(",") if key.strip()]
    found = [references.citations.get(key, (key, "n.d.")) for key in keys]
    if role == "cite:t":
        return "; ".join(f"{authors} ({year})" for authors, year in found)
    return "(" + "; ".join(f"{authors}, {year}" for authors, year in found) + ")"


def _role(match: re.Match, references: References) -> str:
    name, content = match["name"], match["content"]
    if name in ("ref", "numref"):
        text, target = _explicit(content)
        docname, anchor, title = references.labels.get(target.lower(), ("", "", target))
        return references.link(text or title, docname, anchor) if docname else (text or title)
    if name == "doc":
        text, target = _explicit(content)
        path = PurePosixPath(target)
        docname = str(path).lstrip("/") if target.startswith("/") else str(
            PurePosixPath(references.docname).parent / path)
        docname = re.sub(r"\.(md|ipynb)$", "", docname)
        return references.link(text or references.titles.get(docname, target), docname)
    if name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts"):
        return _cite(name[:6], content, references)
    if name in ("glue", "glue:text", "glue:"):
        return _glued_text(content, references)
    if name == "math":
        return f"${content}$"
    if name.startswith("py:") or name in ("func", "class", "meth", "data", "attr", "mod"):
        text, target = _explicit(content)
        shown = text or (target.lstrip("~").rsplit(".", 1)[-1] if target.startswith("~") else target)
        target = target.lstrip("~")
        if name.endswith(("func", "meth")) and not text:
            shown += "()"
        for candidate in (target, f"nnmath.{target}"):
            if candidate in references.objects:
                docname, anchor = references.objects[candidate]
                return references.link(f"`{shown}`", docname, anchor)
        return f"`{shown}`"
    if name in ("term", "abbr", "sub", "sup", "kbd", "code", "samp", "file", "command"):
        return _explicit(content)[0] or content
    return content


def _roles(text: str, references: References) -> str:
    return _ROLE.sub(lambda match: _role(match, references), text)


def _glue_block(name: str, references: References) -> str:
    data = references.glue.get(name.strip())
    if data is None:
        raise KeyError(f"{references.docname}: nothing glued under {name!r}")
    for mime in ("text/markdown", "text/html"):
        if mime in data:
            return str(data[mime]).strip()
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            return f"![{name}](data:{mime};base64,{str(data[mime]).strip()})"
    return "```\n" + str(data.get("text/plain", "")).strip() + "\n```"


def _quote(title: str, body: str) -> str:
    lines = [f"**{title}**"] if title else []
    if body.strip():
        lines += [""] + body.strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _directive(name: str, argument: str, options: dict[str, str], body: str, references: References) -> str:
    inner = convert(body, references) if name not in ("literalinclude", "code-block", "code", "math") else body
    if name in ("admonition",):
        return _quote(argument or "Note", inner)
    if name in ("note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error", "seealso"):
        title = {"seealso": "See also"}.get(name, name.capitalize())
        return _quote(title, "\n".join(filter(None, [argument, inner])))
    if name == "exercise":
        if options.get("label"):
            references.exercises.setdefault(options["label"], argument)
        return "\n\n".join(filter(None, [f"#### Exercise: {argument}" if argument else "#### Exercise", inner]))
    if name in ("solution", "solution-start"):
        title = references.exercises.get(argument.strip(), "")
        heading = f"#### Solution: {title}" if title else "#### Solution"
        return "\n\n".join(filter(None, [heading, "*Try the exercise first: the solution follows.*", inner]))
    if name == "solution-end":
        return "---"
    if name in ("math",):
        return "$$\n" + body.strip() + "\n$$"
    if name in ("code-block", "code", "sourcecode"):
        return f"```{argument}\n{body.rstrip()}\n```"
    if name == "literalinclude":
        code = references.include(argument, options) if references.include else ""
        return f"```{options.get('language', '')}\n{code.rstrip()}\n```"
    if name == "glue":
        return _glue_block(argument, references)
    if name == "figure":
        image = references.base_url + str(PurePosixPath(references.docname).parent / argument) if (
            references.base_url) else argument
        return "\n\n".join(filter(None, [f"![{options.get('alt', '')}]({image})", inner and f"*{inner.strip()}*"]))
    if name in ("bibliography",):
        return "The references are listed in the book's bibliography."
    if name in ("eval-rst", "tableofcontents", "toctree", "raw"):
        return ""
    if name in ("dropdown", "topic", "sidebar", "margin", "epigraph"):
        return _quote(argument, inner)
    return "\n\n".join(filter(None, [f"**{argument}**" if argument else "", inner]))


def _option_value(value: str) -> str:
    """A directive option's value as MyST reads it (YAML): ``"def f("`` -> ``def f(``."""
    import yaml

    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return parsed if isinstance(parsed, str) else value


def _blocks(text: str, references: References) -> list[str]:
    """Split ``text`` at top-level directives, converting each; plain lines are kept."""
    lines = text.split("\n")
    out: list[str] = []
    plain: list[str] = []
    in_code: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_code is not None:  # a plain code fence: copied as it is
            plain.append(line)
            if line.strip().startswith(in_code) and line.strip().strip(in_code[0]) == "":
                in_code = None
            i += 1
            continue
        match = _FENCE.match(line)
        if not match:
            fence = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
            if fence:
                in_code = fence.group(1)
            if not _LABEL.match(line) and not re.match(r"^\s*%", line):
                plain.append(line)
            i += 1
            continue
        fence, name, argument = match["fence"], match["name"], match["arg"].strip()
        i += 1
        options: dict[str, str] = {}
        if i < len(lines) and lines[i].strip() == "---":  # YAML options block
            i += 1
            while i < len(lines) and lines[i].strip() != "---":
                key, _, value = lines[i].strip().partition(":")
                options[key.strip()] = _option_value(value.strip())
                i += 1
            i += 1
        while i < len(lines) and re.match(r"^\s*:[\w-]+:", lines[i]):
            key, value = re.match(r"^\s*:([\w-]+):\s*(.*)$", lines[i]).groups()
            options[key] = _option_value(value)
            i += 1
        body, depth = [], 0
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while i < len(lines):
            if close.match(lines[i]) and depth == 0:
                i += 1
                break
            body.append(lines[i])
            i += 1
        if plain:
            out.append(_roles("\n".join(plain), references))
            plain = []
        out.append(_directive(name, _roles(argument, references) if name not in ("literalinclude", "glue") else argument,
                              options, "\n".join(body), references))
    if plain:
        out.append(_roles("\n".join(plain), references))
    return out


def _dollar_labels(text: str) -> str:
    """``$$ ... $$ (label)`` (dollarmath's numbered equation) -> ``$$ ... $$``."""
    return re.sub(r"\$\$[ \t]*\([\w.:-]+\)[ \t]*$", "$$", text, flags=re.M)


def convert(text: str, references: References) -> str:
    """One Markdown cell's MyST source as portable CommonMark (see the module's docstring)."""
    converted = "\n\n".join(block.strip("\n") for block in _blocks(_dollar_labels(text), references))
    return re.sub(r"\n{3,}", "\n\n", converted).strip("\n")
