"""The engine finds each effect planted in the synthetic insurer data (examples/insurer.py).

Each test asks the question an NPS programme would ask and checks that the answer points at the
planted cause, and only at it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import nps

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import insurer  # noqa: E402


@pytest.fixture(scope="module")
def relationship() -> pd.DataFrame:
    return insurer.relationship()


@pytest.fixture(scope="module")
def transactional() -> pd.DataFrame:
    return insurer.transactional()


def test_south_drags_the_own_brand_down_in_the_last_two_quarters(relationship):
    own = relationship[relationship["brand"] == "Own"]
    a = nps.attribute(
        own, ["region", "age_band", "product"], date="date", unit="quarter",
        start="2024-Q2", end="2024-Q3",
    )
    region = a[a["dimension"] == "region"]
    worst = region.iloc[-1]
    assert worst["segment"] == "South"
    assert worst["high"] < 0, worst
    # South pulls the total down far more than any other region.
    others = region[region["segment"] != "South"]
    assert others["contribution"].abs().max() < abs(worst["contribution"]) / 2
    # Quarter on quarter, the sharpest fall of any region is South's into 2024-Q3 (about 180
    # answers a quarter there, so p ~ 0.002 before the false-discovery adjustment).
    t = nps.trend(own, ["region"], date="date", unit="quarter")
    sharpest = t.loc[t["change"].idxmin()]
    assert (sharpest["region"], sharpest["period"]) == ("South", "2024-Q3")
    assert sharpest["change_p"] < 0.01


def test_the_own_brand_is_flat_overall(relationship):
    own = relationship[relationship["brand"] == "Own"]
    t = nps.trend(own, date="date", unit="quarter")
    assert set(t["direction"]) == {"flat"}


def test_rival_b_gains_among_the_25_to_34s(relationship):
    b = nps.benchmark(
        relationship, brand="brand", own="Own", by=["region", "age_band", "product"],
        date="date", unit="quarter",
    )
    gains = b.gains
    segments = set(zip(gains["brand"], gains["dimension"], gains["segment"]))
    assert ("Rival B", "age_band", "25-34") in segments
    assert all(brand == "Rival B" for brand, _, _ in segments)
    assert not {s for s in segments if s[1] == "age_band" and s[2] != "25-34"}


def test_benchmark_gaps_and_driver_lag(relationship):
    b = nps.benchmark(
        relationship, brand="brand", own="Own", by=["region"], drivers=list(insurer.DRIVERS)
    )
    overall = b[b["dimension"].isna()].set_index("brand")
    assert overall.loc["Own", "rank"] == 1
    # The gap to Rival B overall (about +10 points) is significant after the FDR.
    assert overall.loc["Rival B", "gap"] > 5 and overall.loc["Rival B", "gap_significant"]
    drivers = b.drivers.set_index(["driver", "brand"])
    app = drivers.loc[("app_ease", "Own")]
    assert app["best_competitor"] == "Rival A"
    assert app["gap_to_best"] < -0.3 and app["gap_p"] < 1e-3
    assert drivers.loc[("agent_knowledge", "Own"), "gap_to_best"] > 0.3


def test_claims_improve_while_relationship_is_flat_so_a_study_is_due(relationship, transactional):
    own = relationship[relationship["brand"] == "Own"]
    trigger = nps.study_trigger(transactional, own, by="touchpoint", date="date", unit="quarter")
    assert trigger["due"], trigger["reason"]
    assert set(trigger["rising"]) == set(insurer.CLAIM_TOUCHPOINTS)


def test_one_touchpoint_is_too_small_to_report(transactional):
    j = nps.journey(transactional, insurer.journey(), touchpoint="touchpoint")
    touchpoints = j[j["kind"] == "touchpoint"].set_index("id")
    assert len(touchpoints) == len(insurer.TOUCHPOINTS)
    assert touchpoints.loc[insurer.SMALL_TOUCHPOINT, "small"]
    assert touchpoints.loc[insurer.SMALL_TOUCHPOINT, "n"] < 30
    assert not touchpoints.drop(insurer.SMALL_TOUCHPOINT)["small"].any()
    stages = j[j["kind"] == "stage"]
    assert stages["share"].sum() == pytest.approx(1.0)
