"""Every public method and property of the public classes has a full NumPy-style docstring.

Which classes
    Every class in ``nnmath.__all__`` and in the ``__all__`` of the submodules
    that the API reference documents (``SUBMODULES`` in test_api_reference.py),
    the class of every nnmath object listed there (``nnmath.sse`` is a
    ``SumSquaredError``), and every base class of these that is defined in
    nnmath.

Which members
    The functions, static methods, class methods and properties written in the
    body of such a class (its own ``__dict__``, so each method is checked once,
    in the class that defines it), whose name does not start with ``_``, plus
    ``__call__``. Other dunder methods, private helpers, plain class attributes
    and what ``dataclass`` or SymPy generate are not checked.

The rule for a method
    * it has a docstring;
    * if it takes arguments besides ``self``/``cls``, a ``Parameters`` section
      names every one of them (``*args`` may be written ``*args`` or ``args``),
      and names nothing else;
    * if it returns something (a ``return`` with a value other than ``None``
      in its own body, or a return annotation other than ``None``), it has a
      ``Returns`` section;
    * if its own body contains a ``raise`` statement, it has a ``Raises`` section;
    * it has an ``Examples`` section containing at least one doctest (``>>>``).
      The examples are run by ``pytest --doctest-modules nnmath``.

The rule for a property
    * it has a docstring (one line is enough: a property takes no arguments and
      its docstring says what the value is, so no Parameters or Returns);
    * it has an example: either its own ``Examples`` section with a doctest, or
      a doctest line of the class docstring that reads the property
      (``obj.name``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap

import pytest

import nnmath
from test_api_reference import public_names

SECTION = re.compile(r"^(?P<title>[A-Z][A-Za-z ]+)\n-{3,}\n", re.MULTILINE)


def public_classes() -> list[type]:
    """The classes whose members are checked, in a stable order (see the module docstring)."""
    found: dict[type, None] = {}
    for _, obj in public_names():
        if inspect.isclass(obj):
            cls = obj
        elif type(obj).__module__.startswith("nnmath"):
            cls = type(obj)
        else:
            continue
        for base in cls.__mro__:
            if base.__module__.startswith("nnmath"):
                found[base] = None
    return list(found)


def public_members() -> list[tuple[str, object]]:
    """(qualified name, raw class-dict entry) for every member the rule applies to."""
    members = []
    for cls in public_classes():
        for name, raw in vars(cls).items():
            if name.startswith("_") and name != "__call__":
                continue
            if isinstance(raw, (staticmethod, classmethod)):
                function = raw.__func__
            elif isinstance(raw, property):
                function = raw.fget
            elif inspect.isfunction(raw):
                function = raw
            else:
                continue  # plain class attributes (Loss.name, Sigmoid.nargs, ...)
            if not function.__module__.startswith("nnmath"):
                continue
            members.append((f"{cls.__module__}.{cls.__qualname__}.{name}", raw))
    return members


def sections(doc: str) -> dict[str, str]:
    """The NumPy-style sections of a docstring: title -> body (``""`` -> the summary)."""
    doc = inspect.cleandoc(doc)
    result: dict[str, str] = {}
    matches = list(SECTION.finditer(doc))
    result[""] = doc[: matches[0].start()] if matches else doc
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        result[match.group("title").strip()] = doc[match.end() : end]
    return result


def documented_parameters(body: str) -> set[str]:
    """The names in a Parameters section: the unindented lines, ``x, y : float`` naming two."""
    names: set[str] = set()
    for line in body.splitlines():
        if not line.strip() or line[0].isspace():
            continue
        for name in line.split(" : ", 1)[0].rstrip(":").split(","):
            names.add(name.strip().lstrip("*"))
    return names


def _own_statements(function: object) -> list[ast.AST]:
    """The statements of a function's own body, not those of functions or classes nested in it."""
    source = textwrap.dedent(inspect.getsource(function))
    tree = ast.parse(source)
    definition = tree.body[0]
    own: list[ast.AST] = []
    stack = list(definition.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        own.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return own


def returns_something(function: object) -> bool:
    annotation = inspect.signature(function).return_annotation
    if annotation is not inspect.Signature.empty and annotation not in (None, "None"):
        return True
    return any(
        isinstance(node, ast.Return)
        and node.value is not None
        and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        for node in _own_statements(function)
    )


def raises_something(function: object) -> bool:
    return any(isinstance(node, ast.Raise) for node in _own_statements(function))


def has_doctest(body: str | None) -> bool:
    return body is not None and any(line.lstrip().startswith(">>> ") for line in body.splitlines())


def problems_of_method(raw: object) -> list[str]:
    function = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
    doc = function.__doc__
    if not doc or not doc.strip():
        return ["no docstring"]
    parts = sections(doc)
    problems = []
    parameters = list(inspect.signature(function).parameters)
    if parameters and parameters[0] in ("self", "cls") and not isinstance(raw, staticmethod):
        parameters = parameters[1:]
    if parameters:
        if "Parameters" not in parts:
            problems.append(f"no Parameters section (for {', '.join(parameters)})")
        else:
            named = documented_parameters(parts["Parameters"])
            missing = [p for p in parameters if p not in named]
            extra = sorted(named - set(parameters))
            if missing:
                problems.append(f"Parameters does not name {missing}")
            if extra:
                problems.append(f"Parameters names {extra}, which the method does not take")
    if returns_something(function) and "Returns" not in parts and "Yields" not in parts:
        problems.append("no Returns section")
    if raises_something(function) and "Raises" not in parts:
        problems.append("no Raises section (the method raises)")
    if not has_doctest(parts.get("Examples")):
        problems.append("no Examples section with a doctest (>>>)")
    return problems


def problems_of_property(owner: type, name: str, raw: property) -> list[str]:
    doc = raw.fget.__doc__
    if not doc or not doc.strip():
        return ["no docstring"]
    if has_doctest(sections(doc).get("Examples")):
        return []
    reads = re.compile(rf"\.{re.escape(name)}\b")
    class_doctest = [
        line
        for line in inspect.cleandoc(owner.__doc__ or "").splitlines()
        if line.lstrip().startswith((">>> ", "... "))
    ]
    if any(reads.search(line) for line in class_doctest):
        return []
    return [f"no example: neither an Examples section nor a doctest of the class docstring reads .{name}"]


def problems_of(qualified: str, raw: object) -> list[str]:
    """What the docstring of one member lacks, by the rule of the module docstring."""
    if isinstance(raw, property):
        owners = {f"{cls.__module__}.{cls.__qualname__}": cls for cls in public_classes()}
        owner_name, name = qualified.rsplit(".", 1)
        return problems_of_property(owners[owner_name], name, raw)
    return problems_of_method(raw)


def all_problems() -> dict[str, list[str]]:
    return {qualified: p for qualified, raw in public_members() if (p := problems_of(qualified, raw))}


def test_the_rule_finds_the_members_it_is_meant_for() -> None:
    """A guard against a rule that silently checks nothing."""
    checked = {name for name, _ in public_members()}
    for expected in (
        "nnmath.network.MLP.forward",
        "nnmath.network.MLP.__call__",
        "nnmath.network.MLP.n_layers",
        "nnmath.perceptron.Perceptron.fit",
        "nnmath.graph.ComputationalGraph.backward",
        "nnmath.losses.SumSquaredError.gradient",  # the class of nnmath.sse
        "nnmath.functions.ScalarFunction.derivative",  # a base class of nnmath.LeakyReLU
        "nnmath.training.History.final_loss",
    ):
        assert expected in checked, f"{expected} is not checked"
    for not_expected in ("nnmath.network.MLP._forward", "nnmath.network.Trace.__str__", "nnmath.losses.Loss.name"):
        assert not_expected not in checked, f"{not_expected} should not be checked"


def test_sections_and_parameters_are_read_as_numpy_style() -> None:
    doc = """Summary.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_in)
            The inputs.
        n_in, n_out : int
        *functions : ScalarFunction

        Returns
        -------
        float

        Examples
        --------
        >>> 1 + 1
        2
        """
    parts = sections(doc)
    assert set(parts) == {"", "Parameters", "Returns", "Examples"}
    assert documented_parameters(parts["Parameters"]) == {"X", "n_in", "n_out", "functions"}
    assert has_doctest(parts["Examples"])


@pytest.mark.parametrize("qualified, raw", public_members(), ids=[name for name, _ in public_members()])
def test_public_member_has_a_full_docstring(qualified: str, raw: object) -> None:
    problems = problems_of(qualified, raw)
    assert problems == [], f"{qualified}: " + "; ".join(problems)


def test_summary_of_all_members_missing_documentation() -> None:
    """One list of everything missing, easier to read than the parametrized failures."""
    problems = all_problems()
    report = "\n".join(f"  {name}: {'; '.join(p)}" for name, p in problems.items())
    assert problems == {}, f"{len(problems)} public methods or properties lack documentation:\n{report}"
