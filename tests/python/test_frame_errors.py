"""Bad DataFrames, pandas and polars alike: each raises a clear exception naming the column (and
the position where there is one), through every DataFrame analysis.

Covered elsewhere, for pandas: unknown dimension, score, weight and date names in ``nps.by``,
``trend`` and ``attribute`` (test_segments.py), out-of-range scores and negative weights
(test_segments.py), non-numeric ``nps.score`` input (test_errors.py), an all-NaN driver in
``nps.drivers`` (test_drivers.py). Here: the same kinds of mistakes in DataFrames of both
libraries and in every function, frames without rows, unused categories, and text where numbers
or dates are expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nps

pd = pytest.importorskip("pandas")

JOURNEY = {
    "stages": [
        {"id": "buy", "scenes": [{"id": "quote", "touchpoints": [{"id": "web"}, {"id": "agent"}]}]}
    ]
}

# The driver columns "speed" and "price" as touchpoints, for nps.journey_priorities.
DRIVER_JOURNEY = {
    "stages": [
        {"id": "use", "scenes": [{"id": "all", "touchpoints": [{"id": "speed"}, {"id": "price"}]}]}
    ]
}


class Cat:
    """A categorical column: a pandas Categorical, a polars Enum, with these categories."""

    def __init__(self, values: list[Any], categories: list[str]) -> None:
        self.values, self.categories = values, categories


def make(kind: str, columns: dict[str, Any]) -> Any:
    """A pandas or polars DataFrame of the same columns (lists with None for missing values,
    numpy datetime64 arrays for dates, ``Cat`` for categoricals)."""
    if kind == "pandas":
        return pd.DataFrame(
            {
                k: pd.Categorical(v.values, categories=v.categories) if isinstance(v, Cat) else v
                for k, v in columns.items()
            }
        )
    pl = pytest.importorskip("polars")
    return pl.DataFrame(
        [
            pl.Series(k, v.values, dtype=pl.Enum(v.categories))
            if isinstance(v, Cat)
            else pl.Series(k, v)
            for k, v in columns.items()
        ]
    )


def survey(n: int = 240, seed: int = 2) -> dict[str, Any]:
    """Columns of a small survey: score, brand and region (categoricals with an unused
    category each), touchpoint, weight, date, two driver ratings."""
    rng = np.random.default_rng(seed)
    speed = rng.integers(1, 6, n).astype(float)
    price = rng.integers(1, 6, n).astype(float)
    ltr = np.clip(np.round(speed * 1.6 + price * 0.6 + rng.normal(0, 1.5, n)), 0, 10)
    return {
        "ltr": [None if i % 17 == 0 else float(v) for i, v in enumerate(ltr)],
        "brand": Cat(rng.choice(["Own", "Rival"], n).tolist(), ["Own", "Rival", "Gone"]),
        "region": Cat(rng.choice(["N", "S"], n).tolist(), ["E", "N", "S", "W"]),
        "touchpoint": rng.choice(["web", "agent"], n).tolist(),
        "w": rng.lognormal(0, 0.3, n).tolist(),
        "when": np.datetime64("2024-01-01") + np.sort(rng.integers(0, 366, n)).astype("m8[D]"),
        "speed": speed.tolist(),
        "price": price.tolist(),
    }


KINDS = ["pandas", "polars"]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def columns_of(df: Any) -> str:
    return ", ".join(f'"{c}"' for c in df.columns)


# ---------------------------------------------------------------------------------------------
# A name that is not a column: the error names it, says the frame has no such column and lists
# the columns it has
# ---------------------------------------------------------------------------------------------

MISSING: list[tuple[str, Callable[[Any], Any], str]] = [
    ("by-dimension", lambda df: nps.by(df, ["brand", "regoin"]), 'dimension "regoin"'),
    ("by-score", lambda df: nps.by(df, "brand", score="nps"), 'score column "nps"'),
    ("by-weight", lambda df: nps.by(df, "brand", weight="weight"), 'weight column "weight"'),
    ("by-date", lambda df: nps.by(df, "brand", date="date", period="month"), 'date column "date"'),
    ("trend", lambda df: nps.trend(df, "brand"), 'date column "date"'),
    ("trend-by", lambda df: nps.trend(df, "segment", date="when"), 'dimension "segment"'),
    ("study_trigger", lambda df: nps.study_trigger(df, df, by="channel", date="when"), 'dimension "channel"'),
    ("attribute", lambda df: nps.attribute(df, "region", column="wave", start="1", end="2"), 'dimension "wave"'),
    ("benchmark-brand", lambda df: nps.benchmark(df, "company", own="Own"), 'dimension "company"'),
    ("benchmark-driver", lambda df: nps.benchmark(df, own="Own", drivers=["speed", "quality"]), 'driver "quality"'),
    ("journey", lambda df: nps.journey(df, JOURNEY, touchpoint="node"), 'dimension "node"'),
    ("drivers", lambda df: nps.drivers(df, drivers=["speed", "quality"]), 'driver "quality"'),
    ("drivers-target", lambda df: nps.drivers(df, "recommend"), 'score column "recommend"'),
    ("drivers-by", lambda df: nps.drivers(df, by="segment"), 'dimension "segment"'),
    ("priorities-focus", lambda df: nps.priorities(df, focus=("company", "Own")), 'dimension "company"'),
    ("priorities-reference", lambda df: nps.priorities(df, reference=("wave", "1")), 'dimension "wave"'),
    ("journey_priorities", lambda df: nps.journey_priorities(df, JOURNEY, drivers=["web", "agent"]), 'driver "web"'),
    ("from_frame", lambda df: nps.Table.from_frame(df, dimensions=["brand", "Region"]), 'dimension "Region"'),
]  # fmt: skip


@pytest.mark.parametrize(("call", "named"), [m[1:] for m in MISSING], ids=[m[0] for m in MISSING])
def test_a_column_that_is_not_in_the_frame(kind: str, call: Callable[[Any], Any], named: str) -> None:
    df = make(kind, survey())
    with pytest.raises(nps.UnknownNameError) as e:
        call(df)
    assert str(e.value) == f"unknown {named}; the data frame has {columns_of(df)}"


# ---------------------------------------------------------------------------------------------
# Text where numbers are expected: TypeError naming the column
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [["9", "10"], ["nine", "ten"]], ids=["digits", "words"])
def test_strings_where_scores_are_expected(kind: str, text: list[str]) -> None:
    columns = survey()
    columns["ltr"] = (text * len(columns["ltr"]))[: len(columns["ltr"])]
    df = make(kind, columns)
    message = r'^score column "ltr" must be integer or float numbers .*got dtype'
    for call in [
        lambda: nps.by(df, "brand"),
        lambda: nps.trend(df, date="when"),
        lambda: nps.benchmark(df, own="Own"),
        lambda: nps.journey(df, JOURNEY),
        lambda: nps.priorities(df),
        lambda: nps.Table.from_frame(df),
    ]:
        with pytest.raises(TypeError, match=message):
            call()
    # Any numeric target of nps.drivers: the column is named too.
    with pytest.raises(TypeError, match=r'^score column "brand" must be'):
        nps.drivers(df, "brand")


def test_a_categorical_score_column_of_text(kind: str) -> None:
    columns = survey()
    columns["ltr"] = columns["brand"]
    with pytest.raises(TypeError, match=r'^score column "ltr" must be'):
        nps.by(make(kind, columns), "region")


def test_a_weight_column_of_strings(kind: str) -> None:
    columns = survey()
    columns["w"] = [f"{w:.2f}" for w in columns["w"]]
    df = make(kind, columns)
    message = r'^weight column "w" must be integer or float numbers .*got dtype'
    with pytest.raises(TypeError, match=message):
        nps.by(df, "brand", weight="w")
    with pytest.raises(TypeError, match=message):
        nps.drivers(df, weight="w")
    with pytest.raises(TypeError, match=message):
        nps.Table.from_frame(df, weight="w")


def test_a_driver_column_of_strings(kind: str) -> None:
    columns = survey()
    columns["speed"] = ["fast" if s > 2 else "slow" for s in columns["speed"]]
    df = make(kind, columns)
    with pytest.raises(TypeError, match=r'^driver "speed" must be integer or float numbers'):
        nps.drivers(df, drivers=["speed", "price"])
    with pytest.raises(TypeError, match=r'^driver "speed" must be'):
        nps.priorities(df, drivers=["speed", "price"])


def test_scores_off_the_scale_and_bad_weights_name_the_column(kind: str) -> None:
    columns = survey()
    columns["ltr"][5] = 11.0
    with pytest.raises(
        nps.InvalidScoreError, match=re.escape('in column "ltr": score at index 5 is 11; ')
    ):
        nps.by(make(kind, columns), "brand")
    columns = survey()
    columns["w"][3] = -1.0
    with pytest.raises(
        nps.InvalidWeightError, match=re.escape('in column "w": weight at index 3 is -1; ')
    ):
        nps.trend(make(kind, columns), date="when", weight="w")


# ---------------------------------------------------------------------------------------------
# A date column that is not dates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (["2024-01-05", "soon", "2024-03-01"], '"soon"'),
        ([20240105, 20240201, 20240301], '"20240105"'),
        ([1.5, 2.5, 3.5], '"1.5"'),
        ([True, False, True], '"True"'),
    ],
    ids=["text", "integers", "floats", "booleans"],
)
def test_a_date_column_that_is_not_dates(kind: str, values: list[Any], shown: str) -> None:
    df = make(kind, {"ltr": [10, 9, 0], "b": ["x", "y", "x"], "when": values})
    index = values.index("soon") if "soon" in values else 0
    message = re.escape(f'in column "when": date at index {index} is {shown}; expected YYYY-MM-DD')
    for call in [
        lambda: nps.trend(df, date="when"),
        lambda: nps.by(df, "b", date="when", period="quarter"),
        lambda: nps.attribute(df, "b", date="when", unit="month", start="2024-01", end="2024-02"),
        lambda: nps.benchmark(df, "b", own="x", date="when", unit="quarter"),
        lambda: nps.study_trigger(df, df, by="b", date="when"),
        lambda: nps.Table.from_frame(df, date="when"),
    ]:
        with pytest.raises(nps.InvalidDateError, match=message):
            call()


def test_a_missing_date(kind: str) -> None:
    dates = np.array(["2024-01-05", "NaT", "2024-03-01"], dtype="datetime64[D]")
    df = make(kind, {"ltr": [10, 9, 0], "when": dates})
    with pytest.raises(
        nps.InvalidDateError, match=re.escape('in column "when": date at index 1 is "NaT"; ')
    ):
        nps.trend(df, date="when")


# ---------------------------------------------------------------------------------------------
# A DataFrame without rows
# ---------------------------------------------------------------------------------------------

ANALYSES: list[tuple[str, Callable[[Any], Any]]] = [
    ("by", lambda df: nps.by(df, "brand")),
    ("trend", lambda df: nps.trend(df, "brand", date="when")),
    ("study_trigger", lambda df: nps.study_trigger(df, df, date="when")),
    ("attribute", lambda df: nps.attribute(df, "region", date="when", unit="quarter", start="2024-Q1", end="2024-Q2")),
    ("benchmark", lambda df: nps.benchmark(df, own="Own")),
    ("journey", lambda df: nps.journey(df, JOURNEY)),
    ("drivers", lambda df: nps.drivers(df, drivers=["speed", "price"])),
    ("drivers-by", lambda df: nps.drivers(df, drivers=["speed", "price"], by="brand")),
    ("priorities", lambda df: nps.priorities(df, drivers=["speed", "price"])),
    ("journey_priorities", lambda df: nps.journey_priorities(df, DRIVER_JOURNEY)),
    ("from_frame", lambda df: nps.Table.from_frame(df)),
]  # fmt: skip


@pytest.mark.parametrize("call", [a[1] for a in ANALYSES], ids=[a[0] for a in ANALYSES])
def test_a_frame_without_rows(kind: str, call: Callable[[Any], Any]) -> None:
    df = make(kind, survey())
    empty = df.head(0)
    assert len(empty) == 0
    with pytest.raises(nps.EmptyError, match=r"^the data frame has no rows \(columns \"ltr\", "):
        call(empty)
    call(df)  # the same call on the rows works


def test_a_missing_column_is_reported_before_the_missing_rows(kind: str) -> None:
    empty = make(kind, survey()).head(0)
    with pytest.raises(nps.UnknownNameError, match='unknown dimension "segment"'):
        nps.by(empty, "segment")


# ---------------------------------------------------------------------------------------------
# Unused categories: no group, everywhere, exactly as without them
# ---------------------------------------------------------------------------------------------


def without_unused(columns: dict[str, Any]) -> dict[str, Any]:
    """The same columns with each categorical's unused categories removed."""
    out = dict(columns)
    for name, value in columns.items():
        if isinstance(value, Cat):
            used = [c for c in value.categories if c in set(value.values)]
            out[name] = Cat(value.values, used)
    return out


def same(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a, b)
    for key, value in a.attrs.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b.attrs[key])
        else:
            assert repr(value) == repr(b.attrs[key])


UNUSED: list[tuple[str, Callable[[Any], Any]]] = [
    ("by", lambda df: nps.by(df, ["brand", "region"], margins=True, min_n=5)),
    ("by-weighted-period", lambda df: nps.by(df, "region", weight="w", date="when", period="quarter")),
    ("trend", lambda df: nps.trend(df, ["brand", "region"], date="when", unit="quarter")),
    ("attribute-periods", lambda df: nps.attribute(
        df, ["region", "brand"], date="when", unit="quarter", start="2024-Q1", end="2024-Q4")),
    ("attribute-column", lambda df: nps.attribute(df, "region", column="brand", start="Rival", end="Own")),
    ("benchmark", lambda df: nps.benchmark(df, own="Own", by="region", date="when", unit="quarter")),
    ("study_trigger", lambda df: nps.study_trigger(df, df, by="region", date="when")),
    ("drivers-by", lambda df: nps.drivers(df, drivers=["speed", "price"], by="region")),
    ("priorities", lambda df: nps.priorities(
        df, drivers=["speed", "price"], focus=("brand", "Own"), reference=("brand", "Rival"))),
]  # fmt: skip


@pytest.mark.parametrize("call", [u[1] for u in UNUSED], ids=[u[0] for u in UNUSED])
def test_unused_categories_form_no_group(kind: str, call: Callable[[Any], Any]) -> None:
    columns = survey()
    with_unused = call(make(kind, columns))
    used_only = call(make(kind, without_unused(columns)))
    if isinstance(with_unused, pd.DataFrame):
        same(with_unused, used_only)
        for key in ["brand", "region", "segment"]:
            if key in with_unused:
                assert not set(with_unused[key].dropna()) & {"Gone", "E", "W"}
    else:
        assert repr(dict(with_unused)) == repr(dict(used_only))


def test_unused_categories_are_levels_of_the_table(kind: str) -> None:
    table = nps.Table.from_frame(make(kind, survey()))
    assert table.levels("region") == ["E", "N", "S", "W"]  # the categories, in order
    assert table.levels("brand") == ["Own", "Rival", "Gone"]
    groups = nps.by(table, "region")
    assert list(groups["region"]) == ["N", "S"]
    assert groups["n"].sum() == table.tally().n


def test_a_category_used_only_by_unanswered_rows_is_a_group(kind: str) -> None:
    # Not unused: the group has rows (n_missing), so it is reported, with NaN numbers.
    columns = survey()
    columns["ltr"][0] = None
    columns["region"].values[0] = "W"
    r = nps.by(make(kind, columns), "region")
    west = r[r["region"] == "W"].iloc[0]
    assert (west["n"], west["n_missing"]) == (0, 1) and np.isnan(west["nps"])


# ---------------------------------------------------------------------------------------------
# A driver column that is entirely NaN (or null)
# ---------------------------------------------------------------------------------------------


def unrated(kind: str, how: str) -> Any:
    columns = survey()
    df = make(kind, columns)
    n = len(columns["ltr"])
    if kind == "pandas":
        return df.assign(unrated=np.nan if how == "nan" else pd.Series([None] * n, dtype=object))
    import polars as pl

    if how == "nan":
        column = pl.Series("unrated", [np.nan] * n)
    elif how == "null":
        column = pl.Series("unrated", [None] * n, dtype=pl.Float64)
    else:
        column = pl.Series("unrated", [None] * n)  # dtype Null
    return df.with_columns(column)


@pytest.mark.parametrize(
    ("frame_kind", "how"),
    [("pandas", "nan"), ("pandas", "none"), ("polars", "nan"), ("polars", "null"), ("polars", "null-dtype")],
)  # fmt: skip
def test_a_driver_without_ratings(frame_kind: str, how: str) -> None:
    df = unrated(frame_kind, how)
    drivers = ["speed", "unrated", "price"]
    message = re.escape('driver "unrated" has no ratings')
    for call in [
        lambda: nps.drivers(df, drivers=drivers),
        lambda: nps.drivers(df, drivers=drivers, method="johnson", weight="w"),
        lambda: nps.drivers(df, drivers=drivers, replicates=20),  # through a table
        lambda: nps.priorities(df, drivers=drivers),
        lambda: nps.priorities(df, drivers=drivers, focus=("brand", "Own")),
        lambda: nps.journey_priorities(
            df, {"stages": [{"id": "s", "scenes": [{"id": "c", "touchpoints": [
                {"id": "speed"}, {"id": "unrated"}, {"id": "price"}]}]}]},
            drivers=drivers,
        ),
    ]:  # fmt: skip
        with pytest.raises(nps.DriverError, match=message):
            call()


def test_an_all_nan_float_column_is_a_default_driver_and_named(kind: str) -> None:
    df = unrated(kind, "nan")
    with pytest.raises(nps.DriverError, match='driver "unrated" has no ratings'):
        nps.drivers(df, weight="w")
    with pytest.raises(nps.DriverError, match='driver "unrated" has no ratings'):
        nps.priorities(df, weight="w")


# ---------------------------------------------------------------------------------------------
# Not a DataFrame
# ---------------------------------------------------------------------------------------------


def test_not_a_data_frame() -> None:
    with pytest.raises(TypeError, match="^expected a pandas DataFrame or a polars DataFrame, got dict"):
        nps.by({"ltr": [1]}, [])  # type: ignore[arg-type]
    pl = pytest.importorskip("polars")
    lazy = pl.DataFrame({"ltr": [10, 9]}).lazy()
    with pytest.raises(TypeError, match=r"got LazyFrame \(call .collect\(\) first\)"):
        nps.by(lazy, [])


def test_an_unused_category_named_as_a_value_is_unknown(kind: str) -> None:
    """Asking for the responses of a category no row has ("Gone") is an error naming it, as
    for a value the column does not have at all, not a result of NaN gaps."""
    df = make(kind, survey())
    calls: list[Callable[[], Any]] = [
        lambda: nps.benchmark(df, brand="brand", own="Gone", drivers=[]),
        lambda: nps.attribute(df, ["region"], column="brand", start="Own", end="Gone"),
        lambda: nps.priorities(df, drivers=["speed", "price"], focus=("brand", "Own"),
                               reference=("brand", "Gone")),  # fmt: skip
    ]
    for call in calls:
        with pytest.raises(nps.UnknownNameError, match='"brand" has no value "Gone"'):
            call()
