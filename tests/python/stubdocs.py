"""The docstrings of the compiled module mirrored in its type stubs (``nps/_nps.pyi``), so that
editors, which read the stubs and not the compiled module, show them.

The docstrings are written once, as ``///`` comments in nps-py/src; this script compares each
class, function, method and property the stubs declare with the compiled module's ``__doc__``
and, with ``--write``, puts the missing or changed ones into the stubs (editing only those
lines; everything else in the file is kept as it is). ``tests/python/test_docs.py`` fails when
they differ.

    python tests/python/stubdocs.py           # list what differs (exit status 1 if anything)
    python tests/python/stubdocs.py --write   # mirror the docstrings into the stubs
"""

from __future__ import annotations

import argparse
import ast
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Union

STUB = Path(__file__).resolve().parents[2] / "nps-py" / "python" / "nps" / "_nps.pyi"

Definition = Union[ast.Module, ast.ClassDef, ast.FunctionDef]
#: Descriptors of slots Python itself documents ("Return self+value."): not mirrored.
_SLOTS = ("wrapper_descriptor", "method-wrapper", "getset_descriptor")


@dataclass
class Entry:
    """A definition of the stubs, its docstring there and the compiled module's."""

    qualname: str
    node: Definition
    stub: str | None
    runtime: str | None

    @property
    def differs(self) -> bool:
        return self.runtime is not None and self.stub != self.runtime


def runtime_doc(obj: Any, owner: type | None = None, name: str = "") -> str | None:
    """The cleaned docstring the compiled module gives ``obj``, or None (no docstring of its
    own: Python's generic text for a slot, or an inherited one)."""
    if owner is not None:
        if name not in vars(owner):
            return None
        member = vars(owner)[name]
        kind = type(member).__name__
        if name.startswith("__") and (kind in _SLOTS or name in ("__new__", "__init__")):
            return None
        doc = getattr(member, "__doc__", None)
    elif isinstance(obj, type) and issubclass(obj, BaseException):
        doc = obj.__dict__.get("__doc__")
    else:
        doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


def entries(module: ModuleType, tree: ast.Module) -> Iterator[Entry]:
    """Every definition of the stubs with both docstrings (the module's first)."""
    yield Entry("_nps", tree, ast.get_docstring(tree), runtime_doc(module))
    for node in tree.body:
        if not isinstance(node, (ast.ClassDef, ast.FunctionDef)) or not hasattr(module, node.name):
            continue
        obj = getattr(module, node.name)
        yield Entry(node.name, node, ast.get_docstring(node), runtime_doc(obj))
        if isinstance(node, ast.ClassDef) and isinstance(obj, type):
            seen = set()
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name not in seen:
                    seen.add(member.name)  # a property's setter would repeat the name
                    yield Entry(
                        f"{node.name}.{member.name}",
                        member,
                        ast.get_docstring(member),
                        runtime_doc(None, obj, member.name),
                    )


def quoted(doc: str, indent: str) -> list[str]:
    """The lines of a docstring literal at ``indent``."""
    if '"""' in doc:
        raise ValueError(f'a docstring with """ cannot be mirrored: {doc[:40]!r}')
    prefix = "r" if "\\" in doc else ""
    lines = doc.split("\n")
    if len(lines) == 1 and not doc.endswith('"'):
        return [f'{indent}{prefix}"""{doc}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}{prefix}"""{lines[0]}', *body, f'{indent}"""']


def rewrite(text: str, fixes: list[Entry]) -> str:
    """``text`` with the docstrings of ``fixes`` put in place, bottom-up so that the line
    numbers of the definitions above stay valid."""
    lines = text.split("\n")
    fixes = sorted(fixes, key=lambda e: -getattr(e.node, "lineno", 0))
    for entry in fixes:
        assert entry.runtime is not None
        node = entry.node
        first = node.body[0]
        if isinstance(node, ast.Module) and entry.stub is None:  # after the leading comments
            top = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
            lines[top:top] = [*quoted(entry.runtime, ""), ""]
            continue
        indent = "" if isinstance(node, ast.Module) else " " * (node.col_offset + 4)
        if entry.stub is not None:  # replace the docstring statement
            assert isinstance(first, ast.Expr) and first.end_lineno is not None
            lines[first.lineno - 1 : first.end_lineno] = quoted(entry.runtime, indent)
            continue
        start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
        line = lines[start - 1]
        body_on_def_line = line[: first.col_offset].strip() != ""
        if not body_on_def_line:  # an indented body: the docstring goes above it
            lines[start - 1 : start - 1] = quoted(entry.runtime, indent)
        elif isinstance(first, ast.Expr) and len(node.body) == 1 and first.end_lineno == start:
            # `def f(...) -> T: ...` or `class E(Base): ...`: the docstring replaces the `...`
            head = line[: first.col_offset].rstrip()
            tail = line[first.end_col_offset or 0 :]
            lines[start - 1 : start] = [head, *quoted(entry.runtime, indent)]
            if tail.strip():
                lines.insert(start + len(quoted(entry.runtime, indent)), indent + tail.strip())
        else:
            raise ValueError(f"cannot place the docstring of {entry.qualname}: edit it by hand")
    return "\n".join(lines)


def check(module: ModuleType, path: Path = STUB) -> list[Entry]:
    """The definitions whose stub docstring is missing or differs from the module's."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [e for e in entries(module, tree) if e.differs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="mirror the docstrings")
    parser.add_argument("names", nargs="*", help="only these (Class or Class.member)")
    args = parser.parse_args()
    from nps import _nps

    wanted = set(args.names)
    fixes = [
        e
        for e in check(_nps)
        if not wanted or e.qualname in wanted or e.qualname.split(".")[0] in wanted
    ]
    for e in fixes:
        print(f"{'missing' if e.stub is None else 'differs'}: {e.qualname}")
    if args.write and fixes:
        text = STUB.read_text(encoding="utf-8")
        STUB.write_text(rewrite(text, fixes), encoding="utf-8")
        print(f"wrote {len(fixes)} docstrings into {STUB}")
        return 0
    return 1 if fixes else 0


if __name__ == "__main__":
    sys.exit(main())
