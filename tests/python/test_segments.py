"""The DataFrame analyses: nps.Table, nps.by, nps.trend, nps.study_trigger, nps.attribute,
nps.benchmark and nps.journey.

Bad input raises the right class with a message that names the field and the position; the
numbers agree with independent computations (pandas groupby by hand, nps.score and nps.compare
on the subsets).
"""

from __future__ import annotations

import doctest
import inspect
import json
import pickle
import re
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest

import nps

pytest.importorskip("pandas")
import pandas as pd  # noqa: E402

Z95 = NormalDist().inv_cdf(0.975)
TERMS = ["净推荐值", "推荐者", "被动者", "贬损者"]

JOURNEY = {
    "stages": [
        {
            "id": "buy",
            "name": "Buy",
            "scenes": [
                {
                    "id": "buy.quote",
                    "name": "Getting a quote",
                    "touchpoints": [
                        {"id": "buy.web", "name": "Web quote"},
                        {"id": "buy.agent", "name": "Agent quote"},
                    ],
                }
            ],
        },
        {
            "id": "claim",
            "name": "Claim",
            "scenes": [
                {
                    "id": "claim.report",
                    "name": "Reporting",
                    "touchpoints": [
                        {"id": "claim.phone", "name": "By phone"},
                        {"id": "claim.app", "name": "In the app"},
                    ],
                },
                {"id": "claim.settle", "name": "Settlement", "touchpoints": []},
            ],
        },
    ]
}


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    """2,000 responses: brand, region (with missing values), channel, a weight, a date over a
    year, a driver rating, and scores with some missing."""
    rng = np.random.default_rng(7)
    n = 2000
    ltr = rng.choice(11, size=n, p=[0.04] * 7 + [0.12, 0.12, 0.2, 0.28]).astype(float)
    ltr[rng.random(n) < 0.05] = np.nan
    region = rng.choice(["North", "South", "East"], size=n).astype(object)
    region[rng.random(n) < 0.03] = None
    return pd.DataFrame(
        {
            "brand": pd.Categorical(rng.choice(["Own", "Rival A", "Rival B"], size=n)),
            "region": region,
            "channel": rng.choice(["app", "phone"], size=n),
            "weight": rng.lognormal(0, 0.3, n),
            "date": np.datetime64("2024-01-01", "ns")
            + rng.integers(0, 366 * 86_400, n).astype("timedelta64[s]"),
            "price": rng.integers(1, 6, n).astype(float),
            "ltr": ltr,
        }
    )


def wald(p: pd.Series, d: pd.Series, n: pd.Series) -> tuple[Any, Any]:
    """NPS and its Wald standard error, by hand."""
    return 100 * (p - d), 100 * np.sqrt((p + d - (p - d) ** 2) / n)


# ---------------------------------------------------------------------------------------------
# Bad input: class, and a message naming the field and the position
# ---------------------------------------------------------------------------------------------


def test_unknown_touchpoint_names_the_response() -> None:
    df = pd.DataFrame(
        {"touchpoint": ["buy.web", "buy.agent", "buy.fax", "claim.app"], "ltr": [10, 9, 3, 8]}
    )
    message = 'response at index 2 has touchpoint "buy.fax", which is not in the journey'
    with pytest.raises(nps.JourneyError, match=re.escape(message)):
        nps.journey(df, JOURNEY)


def test_a_missing_touchpoint_is_named_too() -> None:
    df = pd.DataFrame({"touchpoint": ["buy.web", None], "ltr": [10, 9]})
    with pytest.raises(nps.JourneyError, match=re.escape('index 1 has touchpoint "(missing)"')):
        nps.journey(df, JOURNEY)


def test_duplicate_journey_ids() -> None:
    bad = json.loads(json.dumps(JOURNEY))
    bad["stages"][1]["scenes"][0]["touchpoints"][1]["id"] = "buy.web"
    with pytest.raises(nps.JourneyError, match=re.escape('invalid journey at "buy.web": duplicate id')):
        nps.Journey(bad)
    df = pd.DataFrame({"touchpoint": ["buy.web"], "ltr": [10]})
    with pytest.raises(nps.JourneyError, match="duplicate id"):
        nps.journey(df, bad)


def test_a_cycle_in_the_flat_form() -> None:
    flat = {
        "nodes": [
            {"id": "s", "name": "Stage", "kind": "stage", "parent": None},
            {"id": "c", "name": "Scene", "kind": "scene", "parent": "t"},
            {"id": "t", "name": "Touch", "kind": "touchpoint", "parent": "c"},
        ]
    }
    with pytest.raises(nps.JourneyError, match=re.escape('invalid journey at "c": cycle: c → t → c')):
        nps.Journey(flat)
    with pytest.raises(nps.JourneyError, match="cycle"):
        nps.Journey.from_json(json.dumps(flat))
    with pytest.raises(nps.JourneyError, match="cycle"):
        nps.journey(pd.DataFrame({"touchpoint": ["t"], "ltr": [9]}), json.dumps(flat))


def test_journey_text_that_is_not_json() -> None:
    with pytest.raises(nps.InvalidArgumentError, match=r"^journey is .*line 1 column 2"):
        nps.Journey("{not json")


@pytest.mark.parametrize("bad", ["2024-13-01", "2023-02-29", "01/03/2024", ""])
def test_an_impossible_date_in_a_text_column(bad: str) -> None:
    df = pd.DataFrame(
        {"ltr": [10, 9, 3, 8], "date": ["2024-01-05", "2024-02-01", bad, "2024-03-30"]}
    )
    message = f"date at index 2 is {json.dumps(bad)}; "
    with pytest.raises(nps.InvalidDateError, match=re.escape(message)):
        nps.trend(df, unit="month")
    with pytest.raises(nps.InvalidDateError, match=re.escape(message)):
        nps.by(df, [], date="date", period="quarter")
    with pytest.raises(nps.InvalidDateError, match=re.escape(message)):
        nps.Table.from_frame(df, date="date")


def test_the_core_says_why_a_date_is_impossible() -> None:
    with pytest.raises(nps.InvalidDateError, match=r"date at index 1 is \"2024-13-01\"; .*month"):
        nps.Table.from_columns([1, 2], date=["2024-01-01", "2024-13-01"])


def test_nat_in_a_datetime_column() -> None:
    df = pd.DataFrame(
        {"ltr": [10, 9, 3], "date": pd.to_datetime(["2024-01-05", None, "2024-03-30"])}
    )
    with pytest.raises(nps.InvalidDateError, match=re.escape('date at index 1 is "NaT"; ')):
        nps.trend(df)


def test_days_outside_the_calendar() -> None:
    dates = np.array(["2024-01-01", "-20000-01-01"], dtype="datetime64[D]")
    with pytest.raises(nps.InvalidDateError, match=r"date at index 1 is \"-8024378\"; days since 1970-01-01 must lie in"):
        nps.Table.from_columns([1, 2], date=dates)


@pytest.mark.parametrize(
    ("columns", "field"),
    [
        ({"weight": [1.0, 2.0]}, "weights has 2 elements but scores has 3"),
        ({"dimensions": {"brand": ["A", "B"]}}, "brand has 2 elements but scores has 3"),
        ({"date": ["2024-01-01"] * 4}, "dates has 4 elements but scores has 3"),
        ({"drivers": {"price": [1.0] * 5}}, "price has 5 elements but scores has 3"),
    ],
)
def test_columns_of_unequal_length(columns: dict[str, Any], field: str) -> None:
    with pytest.raises(nps.LengthMismatchError, match=re.escape(field)):
        nps.Table.from_columns([10, 9, 0], **columns)


def test_an_unknown_dimension(survey: pd.DataFrame) -> None:
    # Not a column of the DataFrame: the columns are listed.
    message = 'unknown dimension "regoin"; the data frame has "brand", "region", "channel"'
    with pytest.raises(nps.UnknownNameError, match=re.escape(message)):
        nps.by(survey, ["brand", "regoin"])
    # Not a dimension of a table: the core's message lists the table's dimensions.
    table = nps.Table.from_frame(survey[["ltr", "brand", "region"]])
    message = 'unknown dimension "regoin"; the table has "brand", "region"'
    with pytest.raises(nps.UnknownNameError, match=re.escape(message)):
        nps.by(table, ["regoin"])
    with pytest.raises(nps.UnknownNameError, match=re.escape(message)):
        table.levels("regoin")
    with pytest.raises(nps.UnknownNameError, match='unknown score column "nps"'):
        nps.by(survey, "brand", score="nps")
    with pytest.raises(nps.UnknownNameError, match='unknown date column "when"'):
        nps.trend(survey, date="when")
    with pytest.raises(nps.UnknownNameError, match='unknown weight column "w"'):
        nps.by(survey, "brand", weight="w")
    with pytest.raises(nps.UnknownNameError, match='unknown dimension "segment"'):
        nps.attribute(survey, "segment", column="brand", start="Own", end="Rival A")


def test_an_unknown_value(survey: pd.DataFrame) -> None:
    with pytest.raises(nps.UnknownNameError, match=re.escape('dimension "brand" has no value "Acme"')):
        nps.benchmark(survey, own="Acme")
    with pytest.raises(nps.UnknownNameError, match=re.escape('dimension "quarter" has no value "2031-Q1"')):
        nps.attribute(survey, "region", date="date", unit="quarter", start="2024-Q1", end="2031-Q1")


@pytest.mark.parametrize("unit", ["fortnight", "decade", ""])
def test_a_period_unit_that_does_not_exist(survey: pd.DataFrame, unit: str) -> None:
    message = (
        f"unknown period unit (method )?{re.escape(json.dumps(unit))}; "
        "expected one of day, week, month, quarter or year"
    )
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.trend(survey, unit=unit)
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.by(survey, "brand", date="date", period=unit)
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.attribute(survey, "region", date="date", unit=unit, start="2024-Q1", end="2024-Q2")
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.benchmark(survey, own="Own", date="date", unit=unit)
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.study_trigger(survey, survey, by="channel", unit=unit)


def test_other_bad_arguments(survey: pd.DataFrame) -> None:
    with pytest.raises(nps.InvalidArgumentError, match='^date is None; grouping by period "month"'):
        nps.by(survey, "brand", period="month")
    with pytest.raises(nps.InvalidArgumentError, match="^date is None; comparing periods"):
        nps.attribute(survey, "region", unit="quarter", start="2024-Q1", end="2024-Q2")
    with pytest.raises(nps.InvalidArgumentError, match="^unit is None"):
        nps.attribute(survey, "region", date="date", start="2024-Q1", end="2024-Q2")
    with pytest.raises(nps.InvalidArgumentError, match="^split is both column and unit"):
        nps.attribute(survey, "region", column="brand", unit="quarter", start="Own", end="Rival A")
    with pytest.raises(nps.InvalidArgumentError, match="^window is 0"):
        nps.trend(survey, window=0)
    with pytest.raises(nps.InvalidLevelError):
        nps.by(survey, "brand", level=95)
    with pytest.raises(nps.UnknownMethodError, match="comparing periods"):
        nps.trend(survey, comparison="score")
    with pytest.raises(nps.InvalidScoreError, match="score at index 1 is 11"):
        nps.by(pd.DataFrame({"b": ["x", "y"], "ltr": [1, 11]}), "b")
    with pytest.raises(nps.InvalidWeightError, match="weight at index 0 is -0.95"):
        nps.by(survey.assign(weight=-survey["weight"]), "brand", weight="weight")
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        nps.by({"ltr": [1]}, [])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        nps.by(survey.assign(ltr=survey["brand"]), "region")


def test_errors_are_nps_errors() -> None:
    for cls in [nps.JourneyError, nps.InvalidDateError, nps.UnknownNameError]:
        assert issubclass(cls, nps.NpsError)


# ---------------------------------------------------------------------------------------------
# nps.by against pandas, nps.score
# ---------------------------------------------------------------------------------------------


def pandas_by(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """n, missing, shares, NPS, Wald SE and interval per group, computed with pandas."""
    s = df["ltr"]
    work = df[keys].assign(
        answered=s.notna(), promoter=s >= 9, passive=s.between(7, 8), detractor=s <= 6
    )
    g = work.groupby(keys, dropna=False, observed=True)
    sums = g[["answered", "promoter", "passive", "detractor"]].sum()
    out = pd.DataFrame({"n": sums["answered"], "n_missing": g.size() - sums["answered"]})
    for c, share in [("promoter", "promoters"), ("passive", "passives"), ("detractor", "detractors")]:
        out[share] = sums[c] / sums["answered"]
    out["nps"], out["se"] = wald(out["promoters"], out["detractors"], out["n"])
    out["low"], out["high"] = out["nps"] - Z95 * out["se"], out["nps"] + Z95 * out["se"]
    return out.reset_index()


def test_by_agrees_with_a_pandas_groupby(survey: pd.DataFrame) -> None:
    keys = ["brand", "region"]
    ours = nps.by(survey, keys, method="wald", min_n=60)
    assert list(ours.columns) == [
        *keys, "n", "n_missing", "promoters", "passives", "detractors", "nps", "se", "low",
        "high", "small",
    ]  # fmt: skip
    theirs = pandas_by(survey, keys)
    theirs["region"] = theirs["region"].where(theirs["region"].notna(), None)
    merged = ours.merge(theirs, on=keys, how="outer", suffixes=("", "_pd"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert len(ours) == 12  # 3 brands x (3 regions + missing)
    assert ours["region"].isna().sum() == 3
    assert (merged["n"] == merged["n_pd"]).all()
    assert (merged["n_missing"] == merged["n_missing_pd"]).all()
    for column in ["promoters", "passives", "detractors", "nps", "se", "low", "high"]:
        np.testing.assert_allclose(merged[column], merged[f"{column}_pd"], rtol=0, atol=1e-9)
    assert (ours["small"] == (ours["n"] < 60)).all()
    assert ours["small"].dtype == bool and ours["n"].dtype == np.int64


@pytest.mark.parametrize("levels", [5, 200, 40_000])
def test_categorical_codes_of_every_width(levels: int) -> None:
    # pandas stores the codes as int8, int16 or int32 by the number of categories; the core
    # reads each as it is (-1 = missing): the same groups as from the same values as text.
    rng = np.random.default_rng(levels)
    n = 120_000
    values = np.array([f"v{i}" for i in rng.integers(0, levels, n)], dtype=object)
    values[rng.random(n) < 0.05] = None
    ltr = rng.integers(0, 11, n)
    cat = pd.DataFrame({"key": pd.Categorical(values), "ltr": ltr})
    width = {5: np.int8, 200: np.int16, 40_000: np.int32}[levels]
    assert cat["key"].cat.codes.dtype == width
    text = pd.DataFrame({"key": values, "ltr": ltr})
    pd.testing.assert_frame_equal(
        nps.by(cat, "key"), nps.by(text, "key"), check_categorical=False
    )


def test_by_takes_a_string_and_a_table(survey: pd.DataFrame) -> None:
    one = nps.by(survey, "brand")
    table = nps.Table.from_frame(survey, weight=None)
    pd.testing.assert_frame_equal(nps.by(table, ["brand"]), one)
    assert list(one["brand"]) == ["Own", "Rival A", "Rival B"]


def test_margins_equal_the_ungrouped_score(survey: pd.DataFrame) -> None:
    keys = ["brand", "channel"]
    r = nps.by(survey, keys, margins=True)
    total = r.iloc[-1]
    assert (total["brand"], total["channel"]) == ("All", "All")
    expected = nps.score(survey["ltr"])
    for field in ["n", "n_missing", "promoters", "nps", "se", "low", "high"]:
        assert total[field] == pytest.approx(getattr(expected, field), abs=1e-9), field
    # brand margins (channel = All) equal the score of each brand's rows
    for brand, rows in survey.groupby("brand", observed=True):
        row = r[(r["brand"] == brand) & (r["channel"] == "All")].iloc[0]
        e = nps.score(rows["ltr"])
        assert (row["n"], row["nps"], row["low"]) == pytest.approx((e.n, e.nps, e.low))
    # and the fine groups partition the rows
    fine = r[(r["brand"] != "All") & (r["channel"] != "All")]
    assert fine["n"].sum() == expected.n


def test_weighted_groups_equal_the_weighted_score(survey: pd.DataFrame) -> None:
    r = nps.by(survey, ["region"], weight="weight")
    assert {"n_eff", "design_effect"} <= set(r.columns)
    for _, row in r.iterrows():
        mask = survey["region"].isna() if row["region"] is None else survey["region"] == row["region"]
        rows = survey[mask]
        e = nps.score(rows["ltr"], rows["weight"])
        for field in ["n", "promoters", "passives", "detractors", "nps", "se", "low", "high",
                      "n_eff", "design_effect"]:  # fmt: skip
            assert row[field] == pytest.approx(getattr(e, field), rel=1e-12, abs=1e-12), field


def test_by_period(survey: pd.DataFrame) -> None:
    r = nps.by(survey, "brand", date="date", period="quarter", method="wald")
    assert list(r.columns[:2]) == ["brand", "quarter"]
    assert sorted(set(r["quarter"])) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    quarter = survey["date"].dt.to_period("Q").astype(str).str.replace("Q", "-Q")
    theirs = pandas_by(survey.assign(quarter=quarter), ["brand", "quarter"])
    merged = r.merge(theirs, on=["brand", "quarter"], suffixes=("", "_pd"))
    assert len(merged) == len(r) == 12
    np.testing.assert_allclose(merged["nps"], merged["nps_pd"], atol=1e-9)
    np.testing.assert_allclose(merged["high"], merged["high_pd"], atol=1e-9)


def test_groups_without_answers_have_nan_numbers() -> None:
    df = pd.DataFrame({"b": ["x", "x", "y"], "ltr": [10, 3, None]})
    r = nps.by(df, "b")
    y = r[r["b"] == "y"].iloc[0]
    assert (y["n"], y["n_missing"], y["small"]) == (0, 1, True)
    assert np.isnan(y["nps"]) and np.isnan(y["low"]) and np.isnan(y["promoters"])


def test_by_other_methods(survey: pd.DataFrame) -> None:
    for method in nps.METHODS:
        r = nps.by(survey, "channel", method=method, replicates=200)
        rows = survey[survey["channel"] == "app"]
        e = nps.score(rows["ltr"], method=method, replicates=200)
        app = r[r["channel"] == "app"].iloc[0]
        assert (app["low"], app["high"]) == pytest.approx((e.low, e.high), abs=1e-9), method


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def test_table_from_frame_defaults(survey: pd.DataFrame) -> None:
    t = nps.Table.from_frame(survey, weight="weight", date="date", drivers=["price"])
    assert len(t) == len(survey)
    assert t.dimensions == ["brand", "region", "channel"]  # categorical and object columns
    assert t.drivers == ["price"]
    assert t.weighted and t.has_dates
    assert t.levels("region") == ["East", "North", "South"]
    assert t.tally() == nps.Tally(survey["ltr"], survey["weight"])
    assert pickle.loads(pickle.dumps(t)) == t
    # NaN ratings survive pickling (tables with NaN compare unequal, as NaN does).
    rated = survey.assign(price=survey["price"].where(survey.index % 3 > 0))
    t = nps.Table.from_frame(rated, weight="weight", date="date", drivers=["price"])
    before = nps.benchmark(t, own="Own", date="date", unit="quarter")
    after = nps.benchmark(pickle.loads(pickle.dumps(t)), own="Own", unit="quarter")
    pd.testing.assert_frame_equal(before, after)
    pd.testing.assert_frame_equal(before.drivers, after.drivers)
    assert before.drivers["n"].sum() < len(survey)
    assert "rows=2000" in repr(t)
    assert len(nps.Table()) == 0


def test_table_columns_of_every_kind() -> None:
    t = nps.Table.from_columns(
        np.array([10, 9, 3, 8], dtype=np.int8),
        dimensions={
            "flag": [True, False, True, None],
            "wave": np.array([1, 2, 2, 10]),
            "grade": pd.Categorical(["b", "a", None, "b"], categories=["b", "a", "c"]),
            "text": pd.array(["u", pd.NA, "v", "u"], dtype="string"),
        },
    )
    assert t.levels("flag") == ["False", "True"]
    assert t.levels("wave") == ["1", "2", "10"]  # numeric order, compared as text
    assert t.levels("grade") == ["b", "a", "c"]  # the categories' order, unused ones kept
    r = nps.by(t, ["grade"])
    assert list(r["grade"]) == ["b", "a", None]
    assert list(nps.by(t, "text")["n"]) == [2, 1, 1]


@pytest.mark.parametrize(
    "dates",
    [
        pd.Series(pd.to_datetime(["2024-03-31 23:30", "2024-04-01 00:30"])),
        np.array(["2024-03-31T23:30", "2024-04-01T00:30"], dtype="datetime64[s]"),
        np.array(["2024-03-31", "2024-04-01"], dtype="datetime64[D]"),
        np.array(["2024-03-31T23", "2024-04-01T00"], dtype="datetime64[h]"),
        ["2024-03-31T23:30:00Z", "2024-04-01 00:30:00"],
        pd.Series(pd.to_datetime(["2024-04-01 01:30", "2024-04-01 02:30"]))
        .dt.tz_localize("Europe/Berlin"),  # 2024-03-31 23:30 and 2024-04-01 00:30 UTC
    ],
    ids=["ns", "s", "D", "h", "text", "tz"],
)
def test_dates_of_any_unit_and_time_zone(dates: Any) -> None:
    t = nps.Table.from_columns([10, 0], date=dates)
    r = nps.by(t, [], period="day")
    assert list(r["day"]) == ["2024-03-31", "2024-04-01"]


def test_dates_before_1970_and_by_week() -> None:
    dates = np.array(["1969-12-31T23:59", "1970-01-01T00:01"], dtype="datetime64[m]")
    r = nps.by(nps.Table.from_columns([10, 0], date=dates), [], period="day")
    assert list(r["day"]) == ["1969-12-31", "1970-01-01"]
    r = nps.by(nps.Table.from_columns([10, 0], date=dates), [], period="W")
    assert list(r["week"]) == ["1970-W01"]


# ---------------------------------------------------------------------------------------------
# Trends and the study trigger
# ---------------------------------------------------------------------------------------------


def monthly(months: int, per_month: int, base: float, step: float, seed: int) -> pd.DataFrame:
    """Monthly responses whose promoter share rises by ``step`` a month (detractors fall by as
    much): NPS rises by 200·step points a month."""
    rng = np.random.default_rng(seed)
    frames = []
    for m in range(months):
        p = base + step * m
        u = rng.random(per_month)
        ltr = np.where(u < p, 10, np.where(u < p + 0.3, 8, 2))
        day = pd.Timestamp(2023, 1, 1) + pd.DateOffset(months=m)
        frames.append(pd.DataFrame({"ltr": ltr, "date": day + pd.to_timedelta(u * 27, "D")}))
    return pd.concat(frames, ignore_index=True)


def test_a_rising_series_is_rising_and_a_flat_one_flat() -> None:
    rising = monthly(12, 400, 0.3, 0.02, seed=1).assign(series="rising")
    flat = monthly(12, 400, 0.4, 0.0, seed=2).assign(series="flat")
    t = nps.trend(pd.concat([rising, flat]), "series", unit="month")
    assert len(t) == 24
    direction = t.groupby("series")["direction"].unique()
    assert list(direction["rising"]) == ["rising"]
    assert list(direction["flat"]) == ["flat"]
    up = t[t["series"] == "rising"].iloc[0]
    assert up["slope"] == pytest.approx(4.0, abs=1.0)
    assert up["slope_low"] > 0 and up["slope_q"] < 0.05
    assert t.attrs["adjustment"]["slopes"] == {"method": "benjamini-hochberg", "rate": 0.05, "tests": 2}
    assert t.attrs["adjustment"]["changes"]["tests"] == 22


def test_trend_points_agree_with_score_and_compare() -> None:
    df = monthly(4, 300, 0.3, 0.05, seed=3)
    t = nps.trend(df, unit="month", method="wald", comparison="wald")
    assert list(t["period"]) == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert list(t["start"]) == list(pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"]))
    month = df["date"].dt.month
    for i in range(4):
        e = nps.score(df.loc[month == i + 1, "ltr"], method="wald")
        assert (t["n"][i], t["nps"][i], t["low"][i]) == pytest.approx((e.n, e.nps, e.low))
    c = nps.compare(df.loc[month == 3, "ltr"], df.loc[month == 2, "ltr"], method="wald")
    assert (t["change"][2], t["change_low"][2], t["change_p"][2]) == pytest.approx(
        (c.difference, c.low, c.p_value)
    )
    assert np.isnan(t["change"][0]) and not t["change_significant"][0]


def test_trend_gaps_and_windows() -> None:
    df = monthly(6, 100, 0.3, 0.0, seed=4)
    df = df[df["date"].dt.month != 3]
    t = nps.trend(df, unit="month", window=2)
    march = t[t["period"] == "2023-03"].iloc[0]
    assert march["n"] == 100 and not march["gap"]  # February's window covers March
    t1 = nps.trend(df, unit="month")
    march = t1[t1["period"] == "2023-03"].iloc[0]
    assert march["gap"] and march["n"] == 0 and np.isnan(march["nps"])


def test_the_study_trigger() -> None:
    rising = monthly(8, 500, 0.3, 0.02, seed=5).assign(touchpoint="claim")
    flat = monthly(8, 500, 0.4, 0.0, seed=6)
    s = nps.study_trigger(rising, flat, unit="month")
    assert s["due"] is True, s["reason"]
    assert s["reason"].startswith("analytical study due")
    assert s["rising"] == ["claim"]
    assert s["transactional"]["direction"] == "rising"
    assert s["relationship"]["direction"] == "flat"
    assert s["adjustment"]["tests"] == 1
    s = nps.study_trigger(rising, rising, unit="month")
    assert s["due"] is False


# ---------------------------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------------------------


def test_mix_and_rate_add_up_to_the_change(survey: pd.DataFrame) -> None:
    a = nps.attribute(
        survey, ["region", "channel"], date="date", unit="quarter", start="2024-Q1", end="2024-Q3"
    )
    assert list(a.columns) == [
        "dimension", "segment", "share_from", "share_to", "nps_from", "nps_to", "mix", "rate",
        "contribution", "se", "low", "high",
    ]  # fmt: skip
    change = a.attrs["change"]
    quarter = survey["date"].dt.quarter
    c = nps.compare(survey.loc[quarter == 3, "ltr"], survey.loc[quarter == 1, "ltr"], method="wald")
    assert change["difference"] == pytest.approx(c.difference)
    assert change["p_value"] == pytest.approx(c.p_value)
    for dimension, rows in a.groupby("dimension"):
        assert (rows["mix"] + rows["rate"]).sum() == pytest.approx(change["difference"], abs=1e-9)
        effects = a.attrs["effects"][dimension]
        assert effects["mix"] + effects["rate"] == pytest.approx(change["difference"], abs=1e-9)
        assert list(rows["contribution"]) == sorted(rows["contribution"], reverse=True)
    np.testing.assert_allclose(a["contribution"], a["mix"] + a["rate"], atol=1e-12)
    assert a[a["dimension"] == "region"]["segment"].isna().sum() == 1  # the missing region


def test_attribute_between_two_values_of_a_column(survey: pd.DataFrame) -> None:
    a = nps.attribute(survey, "region", column="brand", start="Rival A", end="Own", weight="weight")
    own, rival = survey[survey["brand"] == "Own"], survey[survey["brand"] == "Rival A"]
    expected = nps.score(own["ltr"], own["weight"]).nps - nps.score(rival["ltr"], rival["weight"]).nps
    assert a.attrs["change"]["difference"] == pytest.approx(expected)
    assert (a["mix"] + a["rate"]).sum() == pytest.approx(expected)
    shares = own.loc[own["ltr"].notna()].groupby("region")["weight"].sum()
    north = a[a["segment"] == "North"].iloc[0]
    assert north["share_to"] == pytest.approx(shares["North"] / own.loc[own["ltr"].notna(), "weight"].sum())


# ---------------------------------------------------------------------------------------------
# Benchmark
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("comparison", ["wald", "adjusted_wald"])
def test_benchmark_gaps_equal_compare_on_the_subsets(survey: pd.DataFrame, comparison: str) -> None:
    b = nps.benchmark(survey, own="Own", by=["region", "channel"], comparison=comparison, drivers=[])
    assert list(b.columns) == [
        "dimension", "segment", "brand", "n", "nps", "low", "high", "small", "rank", "gap",
        "gap_low", "gap_high", "gap_p", "gap_q", "gap_significant",
    ]  # fmt: skip
    overall = b[b["dimension"].isna()]
    assert list(overall["segment"]) == ["All"] * 3
    for _, row in b.iterrows():
        rows = survey
        if row["dimension"] is not None:
            column = survey[row["dimension"]]
            rows = survey[column.isna() if row["segment"] is None else column == row["segment"]]
        own = rows.loc[rows["brand"] == "Own", "ltr"]
        this = rows.loc[rows["brand"] == row["brand"], "ltr"]
        e = nps.score(this)
        assert (row["n"], row["nps"], row["high"]) == pytest.approx((e.n, e.nps, e.high))
        if row["brand"] == "Own":
            assert np.isnan(row["gap"])
            continue
        c = nps.compare(own, this, method=comparison)
        assert (row["gap"], row["gap_low"], row["gap_high"], row["gap_p"]) == pytest.approx(
            (c.difference, c.low, c.high, c.p_value)
        )
    ranks = overall.sort_values("nps", ascending=False)["rank"]
    assert list(ranks) == [1, 2, 3]
    assert str(b["rank"].dtype) == "Int64"
    assert b.attrs["adjustment"]["tests"] == b["gap"].notna().sum()
    assert len(b.gains) == 0  # no unit: no trends
    assert len(b.drivers) == 0


def test_benchmark_drivers_and_gains() -> None:
    rng = np.random.default_rng(11)
    rising = monthly(8, 400, 0.3, 0.03, seed=12).assign(brand="Rival")
    flat = monthly(8, 400, 0.45, 0.0, seed=13).assign(brand="Own")
    df = pd.concat([rising, flat], ignore_index=True)
    df["app_ease"] = np.where(df["brand"] == "Own", 3.0, 4.0) + rng.integers(-1, 2, len(df))
    b = nps.benchmark(df, own="Own", date="date", unit="month")
    gains = b.gains
    assert list(gains["brand"]) == ["Rival"] and gains["dimension"].isna().all()
    assert gains["slope"].iloc[0] == pytest.approx(6.0, abs=1.5)
    assert abs(gains["own_slope"].iloc[0]) < 1.5
    drivers = b.drivers.set_index("brand")
    assert list(drivers["driver"]) == ["app_ease", "app_ease"]  # every float column by default
    own = drivers.loc["Own"]
    assert own["best_competitor"] == "Rival"
    mean = df.groupby("brand")["app_ease"].mean()
    assert own["gap_to_best"] == pytest.approx(mean["Own"] - mean["Rival"])
    # The gains and driver means follow selections, and a truncated frame prints (pandas
    # compares `attrs` when it concatenates the head and tail it shows).
    assert b[["brand", "gap"]].gains.equals(b.gains)
    with pd.option_context("display.max_rows", 2, "display.max_columns", 3):
        assert "gap_significant" in repr(b) and "gap_significant" in b._repr_html_()
    assert type(b.to_pandas()) is pd.DataFrame
    assert own["gap_p"] < 1e-10
    assert drivers.loc["Rival", "best_competitor"] is None


# ---------------------------------------------------------------------------------------------
# Journey
# ---------------------------------------------------------------------------------------------


def test_journey_rolls_touchpoints_up(survey: pd.DataFrame) -> None:
    rng = np.random.default_rng(3)
    touchpoints = ["buy.web", "buy.agent", "claim.phone", "claim.app"]
    df = survey.assign(touchpoint=rng.choice(touchpoints, size=len(survey), p=[0.4, 0.3, 0.29, 0.01]))
    j = nps.journey(df, JOURNEY, method="wald")
    assert list(j.columns) == ["kind", "id", "name", "parent", "n", "share", "nps", "se", "low",
                               "high", "small"]  # fmt: skip
    assert list(j["id"]) == ["buy", "buy.quote", "buy.web", "buy.agent", "claim", "claim.report",
                             "claim.phone", "claim.app", "claim.settle"]  # fmt: skip
    assert j["parent"].iloc[0] is None and j["parent"].iloc[2] == "buy.quote"
    by_id = j.set_index("id")
    members = {
        "buy.web": ["buy.web"],
        "claim": ["claim.phone", "claim.app"],
        "buy": ["buy.web", "buy.agent"],
    }
    for node, ids in members.items():
        e = nps.score(df.loc[df["touchpoint"].isin(ids), "ltr"], method="wald")
        assert (by_id.loc[node, "n"], by_id.loc[node, "nps"], by_id.loc[node, "se"]) == pytest.approx(
            (e.n, e.nps, e.se)
        )
    assert by_id.loc["claim.app", "small"]
    settle = by_id.loc["claim.settle"]
    assert settle["n"] == 0 and settle["small"] and np.isnan(settle["nps"])
    stages = j[j["kind"] == "stage"]
    assert stages["share"].sum() == pytest.approx(1.0)
    # The same from a Journey object and from JSON text.
    journey = nps.Journey(JOURNEY)
    pd.testing.assert_frame_equal(nps.journey(df, journey, method="wald"), j)
    pd.testing.assert_frame_equal(nps.journey(df, json.dumps(JOURNEY), method="wald"), j)


def test_journey_object() -> None:
    j = nps.Journey(JOURNEY)
    assert len(j) == 9
    assert j.touchpoints == ["buy.web", "buy.agent", "claim.phone", "claim.app"]
    assert j.nodes[0] == {"id": "buy", "name": "Buy", "kind": "stage", "parent": None}
    assert nps.Journey.from_json(j.to_json()) == j
    assert pickle.loads(pickle.dumps(j)) == j
    assert eval(repr(j), {"Journey": nps.Journey}) == j


# ---------------------------------------------------------------------------------------------
# Documentation and signatures
# ---------------------------------------------------------------------------------------------

FUNCTIONS = [nps.by, nps.trend, nps.study_trigger, nps.attribute, nps.benchmark, nps.journey]
CLASSES = [nps.Table, nps.Journey]
LOW_LEVEL = [
    nps._nps.group_by_columns,
    nps._nps.attribute_columns,
    nps._nps.trend_columns,
    nps._nps.study_trigger_dict,
    nps._nps.benchmark_columns,
    nps._nps.journey_columns,
]


def documented() -> list[Any]:
    objects: list[Any] = [*FUNCTIONS, *CLASSES, *LOW_LEVEL]
    for cls in CLASSES:
        objects += [m for n, m in vars(cls).items() if not n.startswith("_") and m.__doc__]
    return objects


@pytest.mark.parametrize("obj", documented(), ids=lambda o: getattr(o, "__qualname__", str(o)))
def test_examples_run(obj: Any) -> None:
    test = doctest.DocTestParser().get_doctest(obj.__doc__ or "", {}, "docstring", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    assert runner.run(test).failed == 0


@pytest.mark.parametrize("obj", [*FUNCTIONS, *CLASSES], ids=lambda o: o.__name__)
def test_public_objects_have_an_example_and_the_chinese_terms(obj: Any) -> None:
    doc = inspect.getdoc(obj) or ""
    assert ">>> " in doc
    assert all(term in doc for term in TERMS), [t for t in TERMS if t not in doc]


def test_signatures_share_the_defaults() -> None:
    functions: list[Any] = [nps.by, nps.trend, nps.benchmark, nps.journey, *LOW_LEVEL[:1]]
    for function in functions:
        parameters = inspect.signature(function).parameters
        assert parameters["method"].default == "adjusted_wald"
        assert parameters["level"].default == 0.95
        assert parameters["min_n"].default == 30
        assert parameters["prior"].default == nps.DEFAULT_PRIOR
        assert parameters["replicates"].default == nps.DEFAULT_REPLICATES
        assert parameters["seed"].default == nps.DEFAULT_SEED
    assert inspect.signature(nps.by).parameters["score"].default == "ltr"
    for name in ["Table", "Journey", "by", "trend", "study_trigger", "attribute", "benchmark", "journey"]:
        assert name in nps.__all__
