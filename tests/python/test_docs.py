"""The docstrings: every public object of ``nps`` (its ``__all__``) has one with a runnable
example, formulas where one applies and the seeds' Chinese terms; every example runs."""

from __future__ import annotations

import doctest
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import nps

#: Every public function and class (exceptions included); the constants have no docstrings.
CALLABLES = [getattr(nps, name) for name in nps.__all__ if callable(getattr(nps, name))]
#: The public classes that are not exceptions, whose members are documented too.
CLASSES = [c for c in CALLABLES if inspect.isclass(c) and not issubclass(c, BaseException)]

NPS_TERMS = ["净推荐值", "推荐者", "被动者", "贬损者"]
JOURNEY_TERMS = ["客户旅程", "阶段", "场景", "触点"]
QUADRANTS = ["改善优先排序", "立即改善", "超越自我", "维持现状", "低优先级"]
#: The seeds' Chinese terms each docstring must use (the object's own subject).
TERMS: dict[str, list[str]] = {
    "nps": NPS_TERMS,
    "score": NPS_TERMS,
    "compare": NPS_TERMS,
    "sample_size": NPS_TERMS,
    "margin_of_error": NPS_TERMS,
    "Tally": NPS_TERMS,
    "Scale": NPS_TERMS,
    "Estimate": NPS_TERMS,
    "Comparison": NPS_TERMS,
    "Table": [*NPS_TERMS, "驱动要素"],
    "by": [*NPS_TERMS, "细分人群"],
    "trend": [*NPS_TERMS, "趋势"],
    "study_trigger": [*NPS_TERMS, "场景NPS", "关系NPS", "战略NPS"],
    "StudyTrigger": [*NPS_TERMS, "场景NPS", "关系NPS", "战略NPS"],
    "attribute": [*NPS_TERMS, "拉低平均"],
    "benchmark": [*NPS_TERMS, "战略NPS", "竞品"],
    "journey": [*NPS_TERMS, *JOURNEY_TERMS, "场景NPS"],
    "Journey": [*NPS_TERMS, *JOURNEY_TERMS],
    "JourneyError": JOURNEY_TERMS,
    "drivers": ["驱动要素", "驱动因素", "与NPS的关联影响力", "推荐者", "贬损者"],
    "DriverError": ["驱动要素"],
    "priorities": QUADRANTS,
    "journey_priorities": [*QUADRANTS, *JOURNEY_TERMS],
    "tokenize": ["评论", "贬损者", "推荐者"],
    "distinctive_words": ["评论", "贬损者", "推荐者", "被动者"],
    "topics": ["评论", "话题", "贬损者", "推荐者", "净推荐值"],
    "topic_indicators": ["评论", "话题", "驱动要素"],
    "Taxonomy": ["评论", "话题", "贬损者", "推荐者"],
    "monitor": ["场景NPS", "触点", "危机处理", "推荐者", "贬损者"],
    "Monitor": ["场景NPS", "触点", "危机处理", "推荐者", "贬损者"],
}
#: A piece of the formula each docstring states.
FORMULAS: dict[str, list[str]] = {
    "score": ["NPS = 100·(pP − pD)", "pX = Σw over X / Σw"],
    "Estimate": ["NPS = 100·(pP − pD)", "100·√((pP + pD − (pP − pD)²)/n)"],
    "Tally": ["(Σw)²/Σw²"],
    "compare": ["se = √(se_a² + se_b²)", "p_value = 2·(1 − Φ(|z|))"],
    "Comparison": ["se = √(se_a² + se_b²)", "p_value = 2·(1 − Φ(|z|))"],
    "sample_size": ["n₀ = z²·V/E²", "V = pP + pD − (pP − pD)²", "n₀/(1 + (n₀ − 1)/N)"],
    "margin_of_error": ["E = 100·z·√(V/n)", "√((N − n)/(N − 1))"],
    "by": ["NPS = 100·(pP − pD)"],
    "trend": ["b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)²", "φ = max(1, Σw(y − ŷ)²/(k − 2))", "m·p₍ⱼ₎/j"],
    "study_trigger": ["b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)²"],
    "StudyTrigger": ["b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)²"],
    "attribute": ["mixₛ = (s₁ − s₀)·((N₀ + N₁)/2 − N̄)", "rateₛ = (s₀ + s₁)/2·(N₁ − N₀)"],
    "benchmark": ["gap = NPS_own − NPS_brand", "√(se_own² + se_brand²)"],
    "journey": ["share`` = n(node)/n(journey)"],
    "drivers": ["b = R_xx⁻¹r", "|S|!(p − |S| − 1)!/p!", "ε", "ω = R_xx^{-1/2}r"],
    "priorities": ["share × |gap|", "gap = performance − reference"],
    "journey_priorities": ["importance = Σ over its children"],
    "distinctive_words": [
        "α_w = α₀ · (count of w / words)",
        "δ_w = log[(y_wi + α_w)/(n_i + α₀ − y_wi − α_w)]",
        "σ²(δ_w) ≈ 1/(y_wi + α_w) + 1/(y_wj + α_w)",
        "z_w = δ_w / √σ²(δ_w)",
    ],
    "topics": [
        "impact`` = (n_t/N)(NPS_t − NPS_rest) = NPS − NPS_rest",
        "(n_t/N)·√(SE_t² + SE_rest²)",
    ],
    "monitor": [
        "C_t = max(0, C_{t−1} − z_t − k)", "z_t = (x_t − μ₀)/σ₀", "h′ = h + 1.166", "1/ARL₀",
    ],
    "Monitor": [
        "C_t = max(0, C_{t−1} − z_t − k)", "z_t = (x_t − μ₀)/σ₀", "h′ = h + 1.166", "1/ARL₀",
    ],
}


def name(obj: Any) -> str:
    return "nps" if obj is nps else str(obj.__name__)


def members(cls: type) -> Iterator[tuple[str, Any]]:
    """The public attributes a class defines (methods, properties, class methods)."""
    for key, member in vars(cls).items():
        if not key.startswith("_"):
            yield key, member


def docstrings() -> Iterator[Any]:
    yield pytest.param(nps.__doc__, id="nps")
    for obj in CALLABLES:
        yield pytest.param(obj.__doc__, id=name(obj))
    for cls in CLASSES:
        for key, member in members(cls):
            yield pytest.param(getattr(member, "__doc__", None), id=f"{cls.__name__}.{key}")


@pytest.mark.parametrize("doc", list(docstrings()))
def test_examples_run(doc: str | None) -> None:
    test = doctest.DocTestParser().get_doctest(doc or "", {}, "docstring", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    result = runner.run(test)
    assert result.failed == 0


def test_the_lists_cover_every_public_object() -> None:
    names = {name(obj) for obj in CALLABLES}
    assert {"score", "Tally", "StudyTrigger", "NpsError", "drivers"} <= names
    assert set(TERMS) - {"nps"} <= names and set(FORMULAS) <= names


@pytest.mark.parametrize("obj", [nps, *CALLABLES], ids=name)
def test_every_public_object_has_a_docstring_with_an_example(obj: Any) -> None:
    doc = inspect.getdoc(obj) or ""
    assert len(doc.split("\n\n")[0]) > 20, "no summary"
    assert ">>> " in doc, "no example"


@pytest.mark.parametrize("obj", [nps, *CALLABLES], ids=name)
def test_docstrings_use_the_chinese_terms(obj: Any) -> None:
    doc = inspect.getdoc(obj) or ""
    missing = [t for t in TERMS.get(name(obj), []) if t not in doc]
    assert not missing


@pytest.mark.parametrize("key", list(FORMULAS))
def test_docstrings_state_the_formula(key: str) -> None:
    doc = inspect.getdoc(getattr(nps, key)) or ""
    missing = [f for f in FORMULAS[key] if f not in doc]
    assert not missing


@pytest.mark.parametrize("cls", CLASSES, ids=name)
def test_every_public_attribute_is_documented(cls: type) -> None:
    undocumented = [key for key, member in members(cls) if not getattr(member, "__doc__", None)]
    assert not undocumented


@pytest.mark.parametrize(
    "cls", [nps.Estimate, nps.Comparison, nps.Tally, nps.Scale, nps.Journey, nps.StudyTrigger]
)
def test_result_conversions_have_examples(cls: type) -> None:
    for method in ["to_dict", "to_pandas"]:
        assert ">>> " in (getattr(cls, method).__doc__ or ""), method


def test_the_stubs_mirror_the_docstrings() -> None:
    """Editors read ``_nps.pyi``, not the compiled module: its docstrings are the module's."""
    import stubdocs

    stale = [
        f"{e.qualname} ({'missing' if e.stub is None else 'differs'})"
        for e in stubdocs.check(nps._nps)
    ]
    assert not stale, "run: python tests/python/stubdocs.py --write"
