"""Every record of tests/reference/nps_intervals.json, checked through the Python module.

The same file drives tests/rust/reference.rs, so Python is checked on the same cases as Rust.
Provenance (tests/reference/README.md): an independent Python implementation (numpy/scipy/
mpmath) cross-checked against the R packages NPS 1.1 and 2.0.999 and survey 4.1.1. Values are
on the [-1, 1] scale; nps reports points, so values and tolerances are multiplied by 100.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import nps

REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "nps_intervals.json"
RECORDS: list[dict[str, Any]] = json.loads(REFERENCE.read_text(encoding="utf-8"))["records"]

# Reference method -> (nps method, key of the lower bound, key of the upper bound).
INTERVALS = {
    "wald": ("wald", "lower_clipped", "upper_clipped"),
    "adjusted_wald_rocks": ("adjusted_wald", "lower_clipped", "upper_clipped"),
    "score_tango_iterative": ("score", "lower", "upper"),
    "bayes_dirichlet_equal_tailed": ("bayes", "lower", "upper"),
}
TWO_SAMPLE = {
    "two_sample_wald_z_independent": ("wald", "nps_x", "nps_y"),
    "two_sample_adjusted_wald_rocks": ("adjusted_wald", "nps_x_adj", "nps_y_adj"),
}
POINT, BOOTSTRAP, SAMPLE_SIZE = "point_estimate", "bootstrap_percentile_ideal", "sample_size_wald_margin"


def records(*methods: str) -> list[Any]:
    return [pytest.param(r, id=r["id"]) for r in RECORDS if r["method"] in methods]


def tally(inputs: dict[str, int]) -> nps.Tally:
    """The record's category counts as a tally: detractors at 0, passives at 7, promoters at 10."""
    counts = [0] * 11
    counts[0], counts[7], counts[10] = inputs["detractors"], inputs["passives"], inputs["promoters"]
    return nps.Tally.from_counts(counts)


def points(record: dict[str, Any]) -> float:
    """The record's tolerance in points."""
    return 100 * float(record["tolerance"])


def test_every_record_is_checked() -> None:
    known = {POINT, BOOTSTRAP, SAMPLE_SIZE, *INTERVALS, *TWO_SAMPLE}
    assert {r["method"] for r in RECORDS} <= known
    assert len(RECORDS) == 72


@pytest.mark.parametrize("record", records(POINT))
def test_point_estimate(record: dict[str, Any]) -> None:
    t, tol = tally(record["inputs"]), points(record)
    assert t.nps == pytest.approx(100 * record["estimate"], abs=tol)
    assert t.se == pytest.approx(100 * record["se"], abs=tol)
    assert t.promoters == pytest.approx(record["p_promoter"], abs=tol / 100)
    assert t.passives == pytest.approx(record["p_passive"], abs=tol / 100)
    assert t.detractors == pytest.approx(record["p_detractor"], abs=tol / 100)


@pytest.mark.parametrize("record", records(*INTERVALS))
def test_interval(record: dict[str, Any]) -> None:
    method, lower, upper = INTERVALS[record["method"]]
    prior = record.get("prior_dirichlet_alpha_each", nps.DEFAULT_PRIOR)
    e = tally(record["inputs"]).estimate(method, record["conf"], prior=prior)
    tol = points(record)
    assert e.method == method and e.level == record["conf"]
    assert e.low == pytest.approx(100 * record[lower], abs=tol)
    assert e.high == pytest.approx(100 * record[upper], abs=tol)
    if method == "wald":
        assert e.nps == pytest.approx(100 * record["estimate"], abs=tol)
        assert e.se == pytest.approx(100 * record["se"], abs=tol)


@pytest.mark.parametrize("record", records(BOOTSTRAP))
@pytest.mark.parametrize("seed", [1, 2, 3, nps.DEFAULT_SEED])
def test_bootstrap_lands_within_one_grid_step_of_the_ideal_bootstrap(
    record: dict[str, Any], seed: int
) -> None:
    """The file gives the exact B -> infinity bootstrap; 10,000 resamples land within 1/n."""
    t = tally(record["inputs"])
    step = 100 / t.n + 1e-9
    e = t.estimate("bootstrap", record["conf"], replicates=10_000, seed=seed)
    assert e.low == pytest.approx(100 * record["lower"], abs=step)
    assert e.high == pytest.approx(100 * record["upper"], abs=step)


@pytest.mark.parametrize("record", records(*TWO_SAMPLE))
def test_two_sample(record: dict[str, Any]) -> None:
    method, nps_x, nps_y = TWO_SAMPLE[record["method"]]
    a, b = tally(record["inputs"]["x"]), tally(record["inputs"]["y"])
    c = nps.compare(a, b, method=method, level=record["conf"])
    tol = points(record)
    assert c.nps_a == pytest.approx(100 * record[nps_x], abs=tol)
    assert c.nps_b == pytest.approx(100 * record[nps_y], abs=tol)
    assert c.difference == pytest.approx(100 * record["estimate"], abs=tol)
    assert c.se == pytest.approx(100 * record["se"], abs=tol)
    assert c.z == pytest.approx(record["z_stat"], abs=tol)
    assert c.p_value == pytest.approx(record["p_value_two_sided"], abs=tol / 100)
    assert c.low == pytest.approx(100 * record["lower"], abs=tol)
    assert c.high == pytest.approx(100 * record["upper"], abs=tol)


@pytest.mark.parametrize("record", records(SAMPLE_SIZE))
def test_sample_size(record: dict[str, Any]) -> None:
    inputs = record["inputs"]
    assert nps.sample_size(100 * inputs["margin"], inputs["conf"]) == record["n0_ceiling"]


# The headline figures (50 promoters / 30 passives / 20 detractors, n = 100), to 1e-9 points.
HEADLINE = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
TOL = 1e-9


@pytest.mark.parametrize(
    ("method", "low", "high", "tol"),
    [
        ("wald", 14.69219192495733, 45.307808075042666, TOL),
        ("adjusted_wald", 14.051130178761606, 44.20129700570441, TOL),
        ("score", 13.955141614195696, 44.33930663358594, TOL),
        # The file states 1e-9 on the [-1, 1] scale for the Dirichlet quantiles: 1e-7 points.
        ("bayes", 14.016675086248942, 44.2726522600299, 1e-7),
        ("bootstrap", 14.0, 45.0, 1.0),
    ],
)
def test_headline_intervals(method: str, low: float, high: float, tol: float) -> None:
    e = nps.score([10] * 50 + [7] * 30 + [0] * 20, method=method)
    assert e == HEADLINE.estimate(method)
    assert e.nps == pytest.approx(30, abs=TOL)
    assert e.se == pytest.approx(7.810249675906654, abs=TOL)
    assert (e.promoters, e.passives, e.detractors) == pytest.approx((0.5, 0.3, 0.2), abs=1e-15)
    assert e.low == pytest.approx(low, abs=tol)
    assert e.high == pytest.approx(high, abs=tol)


def test_headline_comparisons() -> None:
    b = nps.Tally.from_counts([30, 0, 0, 0, 0, 0, 0, 30, 0, 0, 40])
    w = nps.compare(HEADLINE, b, method="wald")
    assert w.difference == pytest.approx(20, abs=TOL)
    assert w.se == pytest.approx(11.401754250991379, abs=TOL)
    assert w.z == pytest.approx(1.7541160386140582, abs=TOL)
    assert w.p_value == pytest.approx(0.07941062599894229, abs=TOL)
    assert (w.low, w.high) == pytest.approx((-2.3470276925195682, 42.347027692519557), abs=TOL)
    a = nps.compare(HEADLINE, b)
    assert a.method == "adjusted_wald"
    assert a.difference == pytest.approx(19.417475728155337, abs=TOL)
    assert a.p_value == pytest.approx(0.08321586753157123, abs=TOL)


@pytest.mark.parametrize(("margin", "level", "n"), [(5, 0.95, 1537), (10, 0.95, 385), (5, 0.90, 1083)])
def test_headline_sample_sizes(margin: float, level: float, n: int) -> None:
    assert nps.sample_size(margin, level) == n
    assert nps.margin_of_error(n, level) <= margin < nps.margin_of_error(n - 1, level)
