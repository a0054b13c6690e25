"""The docstrings: every public object has one with an example, and the examples run."""

from __future__ import annotations

import doctest
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import nps

DOCUMENTED = [nps.score, nps.compare, nps.sample_size, nps.margin_of_error]
CLASSES = [nps.Tally, nps.Scale, nps.Estimate, nps.Comparison]
TERMS = ["净推荐值", "推荐者", "被动者", "贬损者"]


def docstrings() -> Iterator[Any]:
    yield pytest.param(nps.__doc__, id="nps")
    for obj in DOCUMENTED + CLASSES:
        yield pytest.param(obj.__doc__, id=obj.__name__)
    for cls in CLASSES:
        for name, member in vars(cls).items():
            if not name.startswith("_") and getattr(member, "__doc__", None):
                yield pytest.param(member.__doc__, id=f"{cls.__name__}.{name}")


@pytest.mark.parametrize("doc", list(docstrings()))
def test_examples_run(doc: str) -> None:
    test = doctest.DocTestParser().get_doctest(doc, {}, "docstring", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test)
    assert result.failed == 0


@pytest.mark.parametrize("obj", [nps, *DOCUMENTED, *CLASSES], ids=lambda o: o.__name__)
def test_public_objects_explain_themselves_with_an_example_and_the_chinese_terms(obj: Any) -> None:
    doc = inspect.getdoc(obj) or ""
    assert ">>> " in doc
    assert all(term in doc for term in TERMS), [t for t in TERMS if t not in doc]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_public_attribute_is_documented(cls: type) -> None:
    undocumented = [
        name
        for name, member in vars(cls).items()
        if not name.startswith("_") and not getattr(member, "__doc__", None)
    ]
    assert not undocumented
