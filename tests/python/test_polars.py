"""polars DataFrames as input: every DataFrame analysis gives, for a polars frame, exactly what it
gives for the pandas frame of the same data (a pandas DataFrame either way).

The polars frames are built from the same numpy arrays and lists as the pandas ones (no
``pl.from_pandas``: pyarrow is not needed and not installed). The data have every kind of
column: an Enum with an unused category against a pandas Categorical, a polars Categorical and
String columns against pandas object columns, nulls in scores, dimensions and ratings, Date and
Datetime (time-zone-aware too) columns against datetime64, booleans, weights and drivers.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

import nps

pl = pytest.importorskip("polars")
pytest.importorskip("pandas")
import pandas as pd  # noqa: E402

BRANDS = ["Own", "Rival A", "Rival B", "Rival C"]  # Rival C: a category without responses
TOUCHPOINTS = ["web", "agent", "phone", "app"]
JOURNEY = {
    "stages": [
        {"id": "buy", "scenes": [{"id": "quote", "touchpoints": [{"id": "web"}, {"id": "agent"}]}]},
        {"id": "claim", "scenes": [{"id": "report", "touchpoints": [{"id": "phone"}, {"id": "app"}]}]},
    ]
}
# Drivers named after the journey's touchpoints, for nps.journey_priorities.
DRIVERS = TOUCHPOINTS


def data(n: int = 1500, seed: int = 3) -> dict[str, Any]:
    """The columns as numpy arrays and lists (None = missing), shared by both frames."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(n, len(DRIVERS))).astype(float)
    latent = x @ np.array([1.0, 0.7, 0.4, 0.2]) + rng.normal(0, 1.5, n)
    # Rising over the year, so trends and the study trigger have something to find.
    day = np.sort(rng.integers(0, 366, n))
    latent += day / 120
    ltr = np.clip(np.round((latent - latent.min()) / np.ptp(latent) * 10), 0, 10).astype(int)
    ltr_missing = rng.random(n) < 0.04
    ratings = {d: x[:, k].copy() for k, d in enumerate(DRIVERS)}
    ratings["app"][rng.random(n) < 0.1] = np.nan  # not rated
    ratings["phone"][rng.random(n) < 0.05] = np.nan
    brand = rng.choice(BRANDS[:3], size=n)
    region = rng.choice(["North", "South", "East"], size=n).astype(object)
    region[rng.random(n) < 0.05] = None
    flag = rng.random(n) < 0.4
    flag_missing = rng.random(n) < 0.05
    return {
        "ltr": [None if m else int(v) for v, m in zip(ltr, ltr_missing)],
        "brand": brand.tolist(),
        "region": region.tolist(),
        "channel": rng.choice(["web", "phone", "branch"], size=n).tolist(),
        "touchpoint": rng.choice(TOUCHPOINTS, size=n).tolist(),
        "flag": [None if m else bool(f) for f, m in zip(flag, flag_missing)],
        "wave": rng.integers(1, 4, size=n),
        "weight": rng.lognormal(0, 0.3, n),
        "day": np.datetime64("2024-01-01", "D") + day.astype("timedelta64[D]"),
        "moment": np.datetime64("2024-01-01T00:00", "ms")
        + ((day * 86_400 + rng.integers(0, 86_400, n)) * 1000).astype("timedelta64[ms]"),
        **ratings,
    }


def as_pandas(d: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ltr": np.array([np.nan if v is None else v for v in d["ltr"]], dtype=float),
            "brand": pd.Categorical(d["brand"], categories=BRANDS),
            "region": np.array(d["region"], dtype=object),
            "channel": np.array(d["channel"], dtype=object),
            "touchpoint": np.array(d["touchpoint"], dtype=object),
            "flag": np.array(d["flag"], dtype=object),
            "wave": d["wave"],
            "weight": d["weight"],
            "day": d["day"].astype("datetime64[ns]"),
            "moment": pd.Series(d["moment"].astype("datetime64[ns]"))
            .dt.tz_localize("UTC")
            .dt.tz_convert("Asia/Shanghai"),
            **{k: d[k] for k in DRIVERS},
        }
    )


def as_polars(d: dict[str, Any]) -> Any:
    return pl.DataFrame(
        [
            pl.Series("ltr", d["ltr"], dtype=pl.Int64),  # nulls: missing answers
            pl.Series("brand", d["brand"], dtype=pl.Enum(BRANDS)),
            pl.Series("region", d["region"], dtype=pl.String),
            pl.Series("channel", d["channel"], dtype=pl.Categorical),
            pl.Series("touchpoint", d["touchpoint"], dtype=pl.String),
            pl.Series("flag", d["flag"], dtype=pl.Boolean),
            pl.Series("wave", d["wave"]),
            pl.Series("weight", d["weight"]),
            pl.Series("day", d["day"]),  # Date
            pl.Series("moment", d["moment"])
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone("Asia/Shanghai"),
            # Unrated as NaN in "app", as null in "phone" (pandas: NaN in both).
            *[pl.Series(k, d[k], nan_to_null=k == "phone") for k in DRIVERS],
        ]
    )


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, Any]:
    d = data()
    return as_pandas(d), as_polars(d)


def same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Equal frames, and equal attrs (frames among them compared as frames)."""
    assert isinstance(ours, pd.DataFrame) and isinstance(theirs, pd.DataFrame)
    pd.testing.assert_frame_equal(ours, theirs)
    assert ours.attrs.keys() == theirs.attrs.keys()
    for key, value in ours.attrs.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, theirs.attrs[key])
        else:
            assert repr(value) == repr(theirs.attrs[key]), key


def test_the_frames_hold_what_the_test_needs(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    assert polars_df["ltr"].null_count() > 0 and polars_df["region"].null_count() > 0
    assert polars_df["flag"].null_count() > 0 and polars_df["app"].is_nan().sum() > 0
    assert polars_df["phone"].null_count() > 0
    assert polars_df.schema["day"] == pl.Date
    assert polars_df.schema["moment"] == pl.Datetime("ms", "Asia/Shanghai")
    # Some responses fall on another date in UTC than in Shanghai: the UTC date counts.
    local = pandas_df["moment"].dt.date
    assert (local != pandas_df["moment"].dt.tz_convert("UTC").dt.date).any()


@pytest.mark.parametrize(
    "keys",
    [["brand"], ["region", "channel"], ["flag"], ["wave", "touchpoint"], []],
    ids=["enum", "string-categorical", "boolean", "numbers-string", "none"],
)
def test_by(frames: tuple[pd.DataFrame, Any], keys: list[str]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(margins=True),
        dict(weight="weight", method="score"),
        dict(date="day", period="quarter"),
        dict(date="moment", period="day", method="wald"),
    ]
    for kwargs in cases:
        same(nps.by(pandas_df, keys, **kwargs), nps.by(polars_df, keys, **kwargs))


def test_an_unused_category_is_absent_as_in_pandas(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    r = nps.by(polars_df, "brand", margins=True)
    assert list(r["brand"]) == ["Own", "Rival A", "Rival B", "All"]
    assert nps.Table.from_frame(polars_df, dimensions=["brand"]).levels("brand") == BRANDS


def test_trend_and_the_study_trigger(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(by="brand", date="day", unit="quarter"),
        dict(by=["region"], date="moment", unit="month", window=2, weight="weight"),
    ]
    for kwargs in cases:
        same(nps.trend(pandas_df, **kwargs), nps.trend(polars_df, **kwargs))
    # Relationship NPS flat: the same answers shuffled over the year.
    d = data()
    d["ltr"] = [d["ltr"][i] for i in np.random.default_rng(0).permutation(len(d["ltr"]))]
    trigger: dict[str, Any] = dict(by="touchpoint", date="day", unit="quarter", min_n=10)
    ours = nps.study_trigger(pandas_df, as_pandas(d), **trigger)
    theirs = nps.study_trigger(polars_df, as_polars(d), **trigger)
    assert ours["due"] and ours["rising"]
    assert repr(dict(ours)) == repr(dict(theirs))
    # A polars frame and a pandas frame in one call.
    assert repr(dict(nps.study_trigger(polars_df, as_pandas(d), **trigger))) == repr(dict(ours))


def test_attribute(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(dimensions=["region", "channel"], date="day", unit="quarter", start="2024-Q1",
             end="2024-Q4"),
        dict(dimensions=["flag"], column="brand", start="Rival A", end="Own", weight="weight"),
    ]  # fmt: skip
    for kwargs in cases:
        same(nps.attribute(pandas_df, **kwargs), nps.attribute(polars_df, **kwargs))


def test_benchmark(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(by=["region"], date="day", unit="quarter", comparison="wald"),
        dict(by=["channel", "flag"], weight="weight", drivers=["web", "app"]),
    ]
    for kwargs in cases:
        same(
            nps.benchmark(pandas_df, own="Own", **kwargs),
            nps.benchmark(polars_df, own="Own", **kwargs),
        )
    # The default drivers are the float columns of either frame.
    b = nps.benchmark(polars_df, own="Own", weight="weight")
    assert sorted(set(b.drivers["driver"])) == sorted(DRIVERS)


def test_journey(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [dict(), dict(weight="weight", method="bayes")]
    for kwargs in cases:
        same(nps.journey(pandas_df, JOURNEY, **kwargs), nps.journey(polars_df, JOURNEY, **kwargs))
    # A touchpoint column as an Enum with a touchpoint no one answered about.
    enum = polars_df.with_columns(pl.col("touchpoint").cast(pl.Enum([*TOUCHPOINTS, "fax"])))
    same(nps.journey(enum, JOURNEY), nps.journey(pandas_df, JOURNEY))


def test_drivers(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(),  # the float columns: the four ratings (the weight is not named: a float too)
        dict(drivers=DRIVERS, weight="weight", method="johnson"),
        dict(drivers=DRIVERS, by="brand", outcome="promoter"),
        dict(drivers=["web", "agent"], missing="pairwise", spearman=True),
        dict(drivers=DRIVERS, replicates=50, seed=5),
    ]
    for kwargs in cases:
        same(nps.drivers(pandas_df, **kwargs), nps.drivers(polars_df, **kwargs))
    assert list(nps.drivers(polars_df, weight="weight")["driver"]) == DRIVERS


def test_priorities(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    cases: list[dict[str, Any]] = [
        dict(drivers=DRIVERS, reference=3.0),
        dict(drivers=DRIVERS, focus=("brand", "Own"), reference=("brand", "Rival A")),
        dict(reference=("flag", True), weight="weight", performance=("top_box", 4)),
    ]
    for kwargs in cases:
        same(nps.priorities(pandas_df, **kwargs), nps.priorities(polars_df, **kwargs))
    same(
        nps.journey_priorities(pandas_df, JOURNEY, drivers=DRIVERS, reference=3.0),
        nps.journey_priorities(polars_df, JOURNEY, drivers=DRIVERS, reference=3.0),
    )


def test_table_from_frame(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    kwargs: dict[str, Any] = dict(weight="weight", date="moment")
    ours, theirs = nps.Table.from_frame(pandas_df, **kwargs), nps.Table.from_frame(polars_df, **kwargs)
    # The default dimensions: categorical, text and boolean columns, in the frame's order.
    assert theirs.dimensions == ours.dimensions == ["brand", "region", "channel", "touchpoint", "flag"]
    assert ours == theirs
    for name in ours.dimensions:
        assert ours.levels(name) == theirs.levels(name), name
    # NaN ratings make tables compare unequal; compare what the analyses see.
    kwargs.update(drivers=DRIVERS)
    ours, theirs = nps.Table.from_frame(pandas_df, **kwargs), nps.Table.from_frame(polars_df, **kwargs)
    assert theirs.drivers == DRIVERS
    same(nps.drivers(ours, method="pratt"), nps.drivers(theirs, method="pratt"))


@pytest.mark.parametrize(
    "dtype",
    [pl.Int8, pl.UInt8, pl.Int32, pl.UInt64, pl.Float32, pl.Float64, pl.Decimal(4, 1)],
    ids=str,
)
def test_scores_of_every_numeric_dtype(dtype: Any) -> None:
    scores = [10, 9, None, 3, 8, 0, 7, 10]
    df = pl.DataFrame({"ltr": pl.Series(scores, dtype=dtype), "b": list("aabbaabb")})
    expected = nps.by(pd.DataFrame({"ltr": np.array(scores, dtype=float), "b": list("aabbaabb")}), "b")
    same(nps.by(df, "b"), expected)
    assert nps.score(df["ltr"]).n == 7  # a polars Series where scores are taken


@pytest.mark.parametrize("unit", ["ns", "us", "ms"])
def test_datetimes_of_every_unit_before_and_after_1970(unit: str) -> None:
    moments = np.array(["1969-12-31T12:00", "1970-01-01T00:00", "1970-01-01T23:59:59"], "M8[ms]")
    df = pl.DataFrame({"ltr": [10, 0, 9], "date": pl.Series(moments).cast(pl.Datetime(unit))})
    r = nps.by(df, [], date="date", period="day")
    assert list(r["day"]) == ["1969-12-31", "1970-01-01"]
    assert list(r["n"]) == [1, 2]
    same(r, nps.by(pd.DataFrame({"ltr": [10, 0, 9], "date": moments}), [], date="date", period="day"))


def test_text_dates(frames: tuple[pd.DataFrame, Any]) -> None:
    pandas_df, polars_df = frames
    text = pandas_df["day"].dt.strftime("%Y-%m-%d")
    ours = nps.trend(pandas_df.assign(day=text), date="day", unit="month")
    theirs = nps.trend(polars_df.with_columns(pl.col("day").dt.to_string("%Y-%m-%d")), date="day", unit="month")
    same(ours, theirs)


def test_polars_is_imported_only_for_polars_input() -> None:
    code = (
        "import sys, pandas as pd, nps\n"
        "nps.by(pd.DataFrame({'ltr': [10, 9], 'b': ['x', 'y']}), 'b')\n"
        "nps.Table.from_frame(pd.DataFrame({'ltr': [10]}))\n"
        "print('polars' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
