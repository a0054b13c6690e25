"""The public surface: names, signatures and defaults, result objects, planning, scales."""

from __future__ import annotations

import inspect
import math
import pickle
from typing import Any

import pytest

import nps

SCORES = [10, 9, 9, 8, 7, 6, 10, 3, 9, 10]


def test_public_names() -> None:
    assert nps.METHODS == ("wald", "adjusted_wald", "score", "bayes", "bootstrap")
    assert sorted(nps.__all__) == sorted(set(nps.__all__))
    for name in nps.__all__:
        assert hasattr(nps, name), name
    assert isinstance(nps.__version__, str)


def test_signatures_show_the_core_defaults() -> None:
    functions: list[Any] = [nps.score, nps.Tally.estimate]
    for function in functions:
        parameters = inspect.signature(function).parameters
        assert parameters["method"].default == "adjusted_wald"
        assert parameters["level"].default == 0.95
        assert parameters["prior"].default == nps.DEFAULT_PRIOR == 0.5
        assert parameters["replicates"].default == nps.DEFAULT_REPLICATES == 10_000
        assert parameters["seed"].default == nps.DEFAULT_SEED
    e = nps.Tally(SCORES).estimate("bootstrap")
    assert e == nps.Tally(SCORES).estimate(
        "bootstrap", replicates=nps.DEFAULT_REPLICATES, seed=nps.DEFAULT_SEED
    )


def test_estimate_attributes() -> None:
    e = nps.score(SCORES, method="wald", level=0.9)
    assert (e.n, e.n_missing, e.weighted) == (10, 0, False)
    assert (e.n_eff, e.design_effect) == (10.0, 1.0)
    assert (e.promoters, e.passives, e.detractors) == (0.6, 0.2, 0.2)
    assert e.nps == pytest.approx(40.0, abs=1e-12)
    assert e.se == pytest.approx(100 * math.sqrt((0.8 - 0.16) / 10), abs=1e-12)
    z = 1.6448536269514722
    assert (e.low, e.high) == pytest.approx((e.nps - z * e.se, e.nps + z * e.se), abs=1e-12)
    assert (e.method, e.level) == ("wald", 0.9)
    with pytest.raises(AttributeError):
        e.nps = 0  # type: ignore[misc]


def test_estimate_to_dict_repr_and_equality() -> None:
    e = nps.score(SCORES)
    d = e.to_dict()
    assert list(d) == [
        "n",
        "n_missing",
        "weighted",
        "n_eff",
        "design_effect",
        "promoters",
        "passives",
        "detractors",
        "nps",
        "se",
        "low",
        "high",
        "level",
        "method",
    ]
    assert all(getattr(e, k) == v for k, v in d.items())
    assert repr(e).startswith("Estimate(n=10, n_missing=0, weighted=False, n_eff=10.0,")
    assert repr(e).endswith("level=0.95, method='adjusted_wald')")
    assert e == nps.score(SCORES)
    assert e != nps.score(SCORES, method="wald")
    assert e != nps.score(SCORES, level=0.9)
    assert nps.score(SCORES, method="bayes") != nps.score(SCORES, method="bayes", prior=1.0)
    with pytest.raises(TypeError):
        hash(e)


@pytest.mark.parametrize("method", nps.METHODS)
def test_estimates_pickle_with_their_method_parameters(method: str) -> None:
    e = nps.score(SCORES + [None], [1.0] * 11, method=method, prior=2.0, replicates=500, seed=7)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(e, protocol))
        assert back == e
        assert type(back) is nps.Estimate


def test_comparison_attributes_and_pickle() -> None:
    c = nps.compare(SCORES, [10, 6, 5, 2, 8, 9, 7, 0], method="wald", level=0.9)
    d = c.to_dict()
    assert list(d) == [
        "nps_a",
        "nps_b",
        "difference",
        "se",
        "z",
        "p_value",
        "low",
        "high",
        "level",
        "method",
    ]
    assert c.difference == pytest.approx(c.nps_a - c.nps_b, abs=1e-12)
    assert c.z == pytest.approx(c.difference / c.se, rel=1e-12)
    assert (c.method, c.level) == ("wald", 0.9)
    assert repr(c).startswith("Comparison(nps_a=")
    assert pickle.loads(pickle.dumps(c)) == c


def test_a_comparison_with_an_infinite_statistic_pickles() -> None:
    c = nps.compare([10, 10], [0, 0], method="wald")
    assert (c.difference, c.se, c.z, c.p_value) == (200.0, 0.0, math.inf, 0.0)
    assert pickle.loads(pickle.dumps(c)) == c


def test_compare_takes_arrays_weights_and_tallies() -> None:
    a, b = [10, 9, 9, 8, 0], [10, 6, 5, 2, 8, 9]
    wa, wb = [1.0, 2.0, 1.0, 1.0, 0.5], [1.0] * 6
    by_arrays = nps.compare(a, b, weights_a=wa, weights_b=wb)
    by_tallies = nps.compare(nps.Tally(a, wa), nps.Tally(b, wb))
    assert by_arrays == by_tallies
    assert nps.compare(nps.Tally(a, wa), b, weights_b=wb) == by_arrays
    five = nps.Scale(1, 5, 3, 5)
    assert nps.compare([5, 4, 1], [5, 5, 2], scale=five) == nps.compare(
        nps.Tally([5, 4, 1], scale=five), nps.Tally([5, 5, 2], scale=five)
    )


def test_planning() -> None:
    assert nps.sample_size(5) == 1537
    assert nps.sample_size(5, promoters=0.5, detractors=0.2) == math.ceil(
        1.959963984540054**2 * (0.7 - 0.09) / 0.05**2
    )
    assert nps.sample_size(5, population=2000) < 1537
    e = nps.margin_of_error(1537)
    assert e == pytest.approx(100 * 1.959963984540054 / math.sqrt(1537), rel=1e-14)
    assert nps.margin_of_error(1537, population=1537) == 0.0
    assert isinstance(nps.sample_size(5), int) and isinstance(e, float)


def test_scales() -> None:
    standard = nps.Scale()
    assert (standard.min, standard.max, standard.detractor_max, standard.promoter_min) == (0, 10, 6, 9)
    assert standard == nps.Scale(0, 10, 6, 9) == nps.Tally().scale
    assert standard != nps.Scale(promoter_min=10)
    assert hash(standard) == hash(nps.Scale(0, 10, 6, 9))
    assert repr(standard) == "Scale(min=0, max=10, detractor_max=6, promoter_min=9)"
    assert str(standard) == "0..=10 (detractors <= 6, promoters >= 9)"
    five = nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5)
    assert pickle.loads(pickle.dumps(five)) == five
    assert nps.score([5, 5, 4, 1], scale=five).nps == 25.0
    with pytest.raises(AttributeError):
        five.min = 2  # type: ignore[misc]
