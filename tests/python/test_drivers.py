"""Driver importance (``nps.drivers``) and improvement priorities (``nps.priorities``).

Reference values: R relaimpo 2.2-7 on R's ``swiss`` data (tests/reference). Bad input: each
case raises a clear exception naming the driver. Planted effects: examples/insurer.py.
"""

from __future__ import annotations

import doctest
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import nps

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import insurer  # noqa: E402

REFERENCE = json.loads((ROOT / "tests/reference/driver_importance_swiss.json").read_text())
SWISS = REFERENCE["datasets"]["swiss"]
TOL = 1e-10

# nps method -> relaimpo type
RELAIMPO = {
    "shapley": "lmg",
    "johnson": "genizi",
    "pratt": "pratt",
    "car": "car",
    "first": "first",
    "last": "last",
    "betasq": "betasq",
}


@pytest.fixture(scope="module")
def swiss() -> pd.DataFrame:
    return pd.read_csv(ROOT / "tests/reference/swiss.csv", index_col=0)


@pytest.fixture(scope="module")
def relationship() -> pd.DataFrame:
    return insurer.relationship()


def survey(n: int = 400, p: int = 3, seed: int = 1) -> pd.DataFrame:
    """A survey with ``p`` 1-5 driver ratings ``d0``… that drive a 0-10 score."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(n, p)).astype(float)
    latent = x @ np.linspace(1.0, 0.4, p) + rng.normal(0, 1.5, n)
    ltr = np.clip(np.round((latent - latent.min()) / np.ptp(latent) * 10), 0, 10)
    df = pd.DataFrame({f"d{k}": x[:, k] for k in range(p)})
    df.insert(0, "ltr", ltr)
    return df


# ---------------------------------------------------------------------------------------------
# Reference: relaimpo on swiss
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", sorted(RELAIMPO))
def test_swiss_matches_relaimpo(swiss, method):
    reference = SWISS["relaimpo"][RELAIMPO[method]]
    d = nps.drivers(swiss, target=SWISS["response"], drivers=SWISS["drivers"], method=method)
    assert list(d["driver"]) == SWISS["drivers"]
    raw = np.array([reference["raw"][name] for name in d["driver"]])
    share = np.array([reference["normalized_sum1"][name] for name in d["driver"]])
    np.testing.assert_allclose(d["importance"], raw, rtol=0, atol=TOL)
    np.testing.assert_allclose(d["share"], 100 * share, rtol=0, atol=100 * TOL)
    assert d["share"].sum() == pytest.approx(100, abs=1e-9)
    assert d.attrs["r2"] == pytest.approx(SWISS["R2"], abs=TOL)
    assert d.attrs["n"] == SWISS["n"]
    assert (d.attrs["method"], d.attrs["missing"], d.attrs["outcome"]) == (
        method, "listwise", "score",
    )  # fmt: skip
    assert list(d.columns) == ["driver", "importance", "share", "sign"]


def test_swiss_beta_and_r_signs(swiss):
    beta = nps.drivers(swiss, "Fertility", SWISS["drivers"], method="beta")
    r = nps.drivers(swiss, "Fertility", SWISS["drivers"], method="r")
    betasq = SWISS["relaimpo"]["betasq"]["raw"]
    first = SWISS["relaimpo"]["first"]["raw"]
    np.testing.assert_allclose(beta["importance"] ** 2, [betasq[n] for n in beta["driver"]], atol=TOL)
    np.testing.assert_allclose(r["importance"] ** 2, [first[n] for n in r["driver"]], atol=TOL)
    assert (np.sign(beta["importance"]) == beta["sign"]).all()
    assert beta["share"].abs().sum() == pytest.approx(100)


def test_sampled_shapley_has_a_standard_error(swiss):
    d = nps.drivers(swiss, "Fertility", SWISS["drivers"], samples=2000, seed=7)
    assert "se" in d.columns and (d["se"] > 0).all()
    exact = SWISS["relaimpo"]["lmg"]["raw"]
    err = np.abs(d["importance"] - [exact[n] for n in d["driver"]])
    assert (err < 5 * d["se"] + 1e-12).all()
    assert d.attrs["samples"] == 2000


def test_a_table_and_a_frame_agree():
    df = survey()
    from_frame = nps.drivers(df, method="johnson")
    table = nps.Table.from_frame(df, drivers=["d0", "d1", "d2"])
    from_table = nps.drivers(table, method="johnson")
    pd.testing.assert_frame_equal(from_frame, from_table, check_exact=False, rtol=1e-12)
    assert from_table.attrs["r2"] == pytest.approx(from_frame.attrs["r2"], abs=1e-12)


def test_default_drivers_are_the_float_columns():
    df = survey().assign(weight=1.0, region="N", count=3)
    d = nps.drivers(df, weight="weight")
    assert list(d["driver"]) == ["d0", "d1", "d2"]


# ---------------------------------------------------------------------------------------------
# Bad input: a clear exception naming the driver
# ---------------------------------------------------------------------------------------------


def test_constant_driver():
    df = survey().assign(flat=4.0)
    with pytest.raises(nps.DriverError, match='driver "flat" is constant'):
        nps.drivers(df)


def test_collinear_drivers():
    df = survey()
    df["d0_again"] = 2 * df["d0"] + 1
    with pytest.raises(
        nps.DriverError, match='driver "d0_again" is perfectly collinear with "d0"'
    ):
        nps.drivers(df)
    with pytest.raises(nps.DriverError, match="d0_again"):
        nps.drivers(df, by=None, replicates=5)  # the table path says the same


def test_all_missing_driver():
    df = survey().assign(unrated=np.nan)
    with pytest.raises(nps.DriverError, match='driver "unrated" has no ratings'):
        nps.drivers(df)


def test_too_few_complete_rows():
    df = survey(n=20)
    df.loc[4:, "d2"] = np.nan  # 4 complete rows, 3 drivers need 5
    with pytest.raises(
        nps.DriverError,
        match='driver importance over "d0", "d1" and "d2" needs at least 5 rows .*; 4 have them',
    ):
        nps.drivers(df)
    with pytest.raises(nps.DriverError, match='"d2"'):
        nps.drivers(nps.Table.from_frame(df, drivers=["d0", "d1", "d2"]))


def test_too_many_drivers_names_the_alternatives():
    df = survey(p=6)
    with pytest.raises(
        nps.DriverError, match=r'exact shapley over 6 drivers exceeds the limit of 5; use method "johnson"'
    ) as e:
        nps.drivers(df, max_exact=5)
    assert "shapley_samples" in str(e.value)
    assert len(nps.drivers(df, max_exact=5, method="johnson")) == 6
    assert len(nps.drivers(df, max_exact=5, samples=50)) == 6


def test_rating_off_the_scale():
    df = survey()
    df.loc[17, "d1"] = 7.0
    with pytest.raises(
        nps.DriverError, match='driver "d1" has rating 7 at index 17, outside the rating scale 1..=5'
    ):
        nps.drivers(df, scale=(1, 5))


def test_names_and_options_are_checked():
    df = survey()
    with pytest.raises(nps.UnknownNameError, match='"speed"'):
        nps.drivers(df, drivers=["d0", "speed"])
    with pytest.raises(nps.UnknownMethodError, match='"lmg"'):
        nps.drivers(df, method="lmg")
    with pytest.raises(nps.UnknownMethodError, match='"casewise"'):
        nps.drivers(df, missing="casewise")
    with pytest.raises(nps.UnknownMethodError, match='"passive"'):
        nps.drivers(df, outcome="passive")
    assert issubclass(nps.DriverError, nps.NpsError)


# ---------------------------------------------------------------------------------------------
# Bootstrap, groups, outcomes
# ---------------------------------------------------------------------------------------------


def test_bootstrap_columns_are_reproducible():
    df = survey(n=300)
    a = nps.drivers(df, replicates=200, seed=11)
    b = nps.drivers(df, replicates=200, seed=11)
    c = nps.drivers(df, replicates=200, seed=12)
    assert list(a.columns) == [
        "driver", "importance", "share", "sign", "low", "high", "includes_zero",
    ]  # fmt: skip
    pd.testing.assert_frame_equal(a, b)
    assert not np.array_equal(a["low"], c["low"])
    assert ((a["low"] <= a["importance"]) & (a["importance"] <= a["high"])).all()
    assert (a["includes_zero"] == (a["low"] <= 0)).all()
    assert a.attrs["level"] == 0.95 and 0 < a.attrs["replicates"] <= 200
    # The point estimates are those without the bootstrap.
    np.testing.assert_allclose(a["importance"], nps.drivers(df)["importance"], atol=1e-12)


def test_by_groups_equal_each_group_alone():
    df = pd.concat(
        [survey(seed=1).assign(brand="A"), survey(seed=2).assign(brand="B")], ignore_index=True
    )
    d = nps.drivers(df, by="brand", method="johnson")
    assert list(d.columns[:2]) == ["brand", "driver"]
    assert list(d["brand"]) == ["A"] * 3 + ["B"] * 3
    for brand, block in d.groupby("brand"):
        alone = nps.drivers(df[df["brand"] == brand], method="johnson")
        np.testing.assert_allclose(block["importance"], alone["importance"], atol=1e-12)
        np.testing.assert_allclose(block["r2"], alone.attrs["r2"], atol=1e-12)
        assert block["problem"].isna().all()
        assert block["share"].sum() == pytest.approx(100)


def test_a_group_without_a_result_keeps_its_rows():
    df = pd.concat(
        [survey(seed=1).assign(brand="A"), survey(n=4, seed=2).assign(brand="B")],
        ignore_index=True,
    )
    d = nps.drivers(df, by="brand")
    b = d[d["brand"] == "B"]
    assert len(b) == 3 and b["importance"].isna().all()
    assert "needs at least 5" in b["problem"].iloc[0]


def test_promoter_outcome_and_weights(relationship):
    d = nps.drivers(
        relationship, drivers=list(insurer.DRIVERS), outcome="promoter", weight="weight"
    )
    assert d.attrs["outcome"] == "promoter"
    assert d["share"].sum() == pytest.approx(100)


# ---------------------------------------------------------------------------------------------
# The insurer data: the planted importance order
# ---------------------------------------------------------------------------------------------


def test_insurer_planted_importance_order(relationship):
    d = nps.drivers(relationship, drivers=list(insurer.DRIVERS), method="shapley", weight="weight")
    ranked = list(d.sort_values("share", ascending=False)["driver"])
    assert set(ranked[:2]) == {"claim_speed", "trust"}, ranked
    assert ranked[-1] == "app_ease", ranked
    assert (d["sign"] == 1).all()


# ---------------------------------------------------------------------------------------------
# Priorities
# ---------------------------------------------------------------------------------------------

QUADRANTS = {"improve_now", "exceed", "maintain", "low_priority"}


def test_priorities_basics(relationship):
    p = nps.priorities(
        relationship,
        drivers=list(insurer.DRIVERS),
        focus=("brand", "Own"),
        reference=("brand", "Rival A"),
        replicates=60,
        seed=3,
    )
    assert list(p["driver"]) == list(insurer.DRIVERS)
    assert set(p["quadrant"]) <= QUADRANTS
    assert p["share"].sum() == pytest.approx(100)
    probabilities = p[["p_improve_now", "p_exceed", "p_maintain", "p_low_priority"]]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-12)
    ranks = p["action_rank"].dropna().astype(int).sort_values()
    assert list(ranks) == list(range(1, len(ranks) + 1))
    assert (p.loc[p["action_rank"].notna(), "gap"] < 0).all()
    assert str(p["action_rank"].dtype) == "Int64"
    np.testing.assert_allclose(p["gap"], p["performance"] - p["reference"], atol=1e-12)
    for key in ("importance_cut", "performance_cut", "r2", "n", "method"):
        assert key in p.attrs
    # Same seed, same answer.
    again = nps.priorities(
        relationship, drivers=list(insurer.DRIVERS), focus=("brand", "Own"),
        reference=("brand", "Rival A"), replicates=60, seed=3,
    )  # fmt: skip
    pd.testing.assert_frame_equal(p, again)


def test_priorities_quadrants_follow_the_cuts():
    df = survey(p=4)
    p = nps.priorities(df, reference=3.0, importance_cut="median", performance_cut=3.0)
    important = p["share"] >= p.attrs["importance_cut"]
    good = p["performance"] >= p.attrs["performance_cut"]
    expected = np.select(
        [important & ~good, important & good, ~important & good],
        ["improve_now", "exceed", "maintain"],
        "low_priority",
    )
    assert list(p["quadrant"]) == list(expected)
    assert (p["reference"] == 3.0).all()
    cut = nps.priorities(df, importance_cut=30.0)  # percent, like share
    assert cut.attrs["importance_cut"] == pytest.approx(30.0)


def test_priorities_targets_and_top_box():
    df = survey(p=3)
    p = nps.priorities(df, reference={"d0": 3.0, "d1": 2.5}, performance=("top_box", 4))
    assert p["reference"].isna().tolist() == [False, False, True]
    assert ((p["performance"] >= 0) & (p["performance"] <= 1)).all()
    with pytest.raises(nps.InvalidArgumentError, match="performance"):
        nps.priorities(df, performance="median")


def test_journey_priorities():
    tree = {"stages": [{"id": "claim", "scenes": [
        {"id": "report", "touchpoints": [{"id": "d0"}, {"id": "d1"}, {"id": "d2"}]}]}]}
    j = nps.journey_priorities(survey(), tree)
    assert list(j["kind"]) == ["stage", "scene", "touchpoint", "touchpoint", "touchpoint"]
    assert j.loc[j["kind"] == "stage", "share"].iloc[0] == pytest.approx(100)


@pytest.mark.parametrize(
    "obj",
    [
        nps.drivers,
        nps.priorities,
        nps.journey_priorities,
        nps._nps.drivers_of_columns,
        nps._nps.drivers_of_table,
        nps._nps.priorities_of_table,
    ],
    ids=lambda o: o.__name__,
)
def test_examples_run(obj):
    test = doctest.DocTestParser().get_doctest(obj.__doc__, {}, obj.__name__, None, 0)
    assert doctest.DocTestRunner(optionflags=doctest.ELLIPSIS).run(test).failed == 0
