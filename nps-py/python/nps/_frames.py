"""The analyses of a survey table, from a pandas or polars DataFrame to a tidy pandas
DataFrame.

Each function builds an ``nps.Table`` from the DataFrame's columns by name (vectorized: see
``nps._convert``), runs the analysis in Rust with the GIL released (``nps._nps.*_columns``)
and puts the result's columns into a DataFrame. Nothing here loops over responses.

Each function also takes an ``nps.Table`` in place of the DataFrame, to run several analyses on
one table built once with ``nps.Table.from_frame``; the table's own score, weight, date and
driver columns are then used, and the arguments naming those columns are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from . import _convert, _nps
from ._display import StudyTrigger
from ._nps import Cube, InvalidArgumentError, Journey, Table

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from ._results import BenchmarkFrame

    Frame = Union[pd.DataFrame, pl.DataFrame, Table]
else:
    Frame = Any

__all__ = ["attribute", "benchmark", "by", "cube", "journey", "study_trigger", "trend"]

Names = Union[str, Sequence[str], None]


def by(
    df: Frame | Cube,
    by: Names = None,
    score: str = "ltr",
    weight: str | None = None,
    *,
    date: str | None = None,
    period: str | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    margins: bool = False,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> pd.DataFrame:
    """The NPS (净推荐值) of every group, with its interval: one row per combination of the
    ``by`` columns that has responses (segments, 细分人群: region, age band, channel…).

    Each group's NPS = 100·(pP − pD), its share of promoters (推荐者) minus its share of
    detractors (贬损者), weighted shares pX = Σw over X / Σw with ``weight``; se and interval as
    in ``nps.score``.

    Parameters
    ----------
    df : pandas or polars DataFrame, nps.Table, or nps.Cube (see ``nps.cube``)
        The result is a pandas DataFrame either way.
    by : str or list of str, optional
        The columns to group by (categorical, text, boolean or numbers; values are compared as
        text); none: one row, the whole table; for a cube, its keys by default. Missing values form their own group, shown as None. A group is reported only
        when it has rows: the unused categories of a categorical column (pandas Categorical,
        polars Enum) are absent from the result, as with pandas ``groupby(observed=True)``,
        and so in every analysis (``trend``, ``attribute``, ``benchmark``, ``drivers(by=)``);
        ``Table.levels`` still lists them.
    score : str
        The recommend score column (0–10; NaN/None/NA = not answered). Promoters (推荐者) score
        9–10, passives (被动者) 7–8, detractors (贬损者) 0–6.
    weight : str, optional
        A column of survey weights: weighted shares, Taylor-linearized SE, and the ``n_eff`` and
        ``design_effect`` columns.
    date, period : str, optional
        With ``period`` ("day", "week", "month", "quarter", "year") the period of each
        response's ``date`` is one more key, a column named after the unit holding labels such as
        "2024-Q3" (every period from the first to the last that has responses).
    method, level, prior, replicates, seed
        The interval, as in ``nps.score``.
    min_n : int
        Groups with fewer answered responses are flagged ``small`` (reported, not hidden).
    margins : bool
        Also the totals: every key, and every set of keys, replaced by "All" (so a dimension
        value "All" would be ambiguous); the last row is the grand total.

    Returns
    -------
    pandas.DataFrame
        One column per key, then ``n`` (answered), ``n_missing``, ``promoters``, ``passives``,
        ``detractors`` (shares), ``nps``, ``se``, ``low``, ``high`` (points), ``small`` and,
        when weighted, ``n_eff`` and ``design_effect``. Numbers are NaN for a group whose
        responses are all unanswered.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"brand": ["A", "A", "A", "B", "B", "B"],
    ...                    "ltr": [10, 9, 3, 8, 10, 0]})
    >>> r = nps.by(df, "brand", method="wald", margins=True)
    >>> r[["brand", "n", "nps", "small"]].round(2)
      brand  n    nps  small
    0     A  3  33.33   True
    1     B  3   0.00   True
    2   All  6  16.67   True
    """
    if isinstance(df, Cube):
        keys = df.keys if by is None else _names(by, "by")
        source: Table | Cube = df
        period = df.period if period is None else period
    else:
        keys = _names(by, "by")
        dated = period is not None
        _needs_date(df, date, dated, f"grouping by period {_quoted(period)}")
        source = _table(df, score, weight, keys, date if dated else None)
    columns = _nps.group_by_columns(
        source,
        keys,
        period=period,
        method=method,
        level=level,
        min_n=min_n,
        margins=margins,
        prior=prior,
        replicates=replicates,
        seed=seed,
    )
    return _frame(columns)


def cube(
    df: Frame,
    by: Names = None,
    score: str = "ltr",
    weight: str | None = None,
    *,
    date: str | None = None,
    period: str | None = None,
) -> Cube:
    """The tallies of every group of ``by`` (and period, with ``period``): the mergeable part
    of ``nps.by`` and ``nps.trend``, for data spread over partitions or machines.

    A tally counts each score, so the cube of all the rows is the sum of the cubes of any
    partition of them. Build one per partition where the rows are (a Dask or Spark worker, a
    process, a database shard), ship them (they pickle; ``Cube.to_json`` as text), add them
    (``sum(cubes)``), and ``nps.by(cube)`` / ``nps.trend(cube)`` return exactly what
    ``nps.by`` / ``nps.trend`` return on the whole table: the same counts, hence the same
    estimates, intervals, q-values and slopes. Values are matched by name across partitions,
    so each partition's categories may differ; groups come in the order their values were
    first met (categories' order when partitions share them).

    Parameters
    ----------
    df : pandas or polars DataFrame, or nps.Table
    by : str or list of str
        The columns to group by, as in ``nps.by``.
    score, weight : str
        The score column and an optional weight column.
    date, period : str, optional
        With ``period`` ("day", "week", "month", "quarter", "year"), the period of each
        response's ``date`` is the last key (needed for ``nps.trend``).

    Returns
    -------
    nps.Cube

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"brand": ["A", "B", "A", "B", "A", "A"],
    ...                    "ltr": [10, 9, 3, 8, 10, 0],
    ...                    "date": pd.to_datetime(["2024-01-05", "2024-01-09", "2024-02-01",
    ...                                            "2024-03-02", "2024-03-03", "2024-03-30"])})
    >>> parts = [nps.cube(df.iloc[i:i + 2], "brand", date="date", period="month")
    ...          for i in range(0, 6, 2)]
    >>> whole = sum(parts)
    >>> whole
    Cube(keys=['brand'], period='month', combinations=5, n=6)
    >>> nps.trend(whole).equals(nps.trend(df, "brand", unit="month"))
    True
    """
    keys = _names(by, "by")
    dated = period is not None
    _needs_date(df, date, dated, f"grouping by period {_quoted(period)}")
    table = _table(df, score, weight, keys, date if dated else None)
    return Cube(table, keys, period)


def trend(
    df: Frame | Cube,
    by: Names = None,
    score: str = "ltr",
    *,
    date: str = "date",
    unit: str | None = None,
    window: int = 1,
    weight: str | None = None,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> pd.DataFrame:
    """The NPS (净推荐值) per period, for the whole table or per group of ``by``: each period
    against the previous one, and the slope over periods, with the false discovery rate
    controlled (Benjamini–Hochberg) over all changes and, separately, over all slopes: is
    the trend (趋势) real or noise?

    Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6. A change is
    tested as in ``nps.compare``. The slope is the weighted least-squares
    b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)² of the period NPS yₜ on the period index t with
    w = 1/vₜ (vₜ the adjusted-Wald variance), SE(b) = √(φ/Σw(t − t̄)²) with the over-dispersion
    φ = max(1, Σw(y − ŷ)²/(k − 2)) over k periods; the BH q-value of the i-th smallest of m
    p-values is min over j ≥ i of m·p₍ⱼ₎/j, and a slope is "rising" or "falling" when q < rate.

    Parameters
    ----------
    df : pandas or polars DataFrame, nps.Table, or nps.Cube (see ``nps.cube``)
        The result is a pandas DataFrame either way.
    by : str or list of str, optional
        Columns to split the series by (one series per combination with responses).
    score, weight : str
        The score column and an optional weight column.
    date : str
        The response date column (datetime64 or texts such as "2024-03-05").
    unit : str, optional
        "day", "week" (ISO), "month" (the default), "quarter" or "year"; for a cube, its
        period.
    window : int
        Each point tallies this many periods ending at it (a trailing window); changes compare
        with the window ``window`` periods earlier, so the two do not overlap.
    method, prior, replicates, seed
        The interval of each point, as in ``nps.score``.
    comparison : str
        The test of each change: "wald" or "adjusted_wald".
    level, rate, min_n
        Confidence level, false discovery rate, and the size below which points are ``small``.

    Returns
    -------
    pandas.DataFrame
        One row per group × period from the table's first period to its last: the key
        columns, ``period`` (label, "2024-03"), ``start`` (Timestamp of its first day), ``n``,
        ``nps``, ``low``, ``high``, ``gap`` (no answers: numbers NaN), ``small``; the change
        against the previous window ``change``, ``change_low``, ``change_high``, ``change_p``,
        ``change_q`` (BH q-value), ``change_significant`` (q < rate; False where untested);
        and the group's slope in points per period repeated on its rows: ``slope``,
        ``slope_se``, ``slope_low``, ``slope_high``, ``slope_p``, ``slope_q``, ``direction``
        ("rising", "falling" or "flat"; None with fewer than two periods with answers).
        ``attrs["adjustment"]`` = ``{"changes": {...}, "slopes": {...}}``, each with
        ``method`` ("benjamini-hochberg"), ``rate`` and ``tests``.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 0, 10, 10, 9, 7],
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02",
    ...                                            "2024-02-09", "2024-04-01", "2024-04-30"])})
    >>> t = nps.trend(df, unit="month", method="wald")
    >>> t[["period", "n", "nps", "gap"]]
        period  n    nps    gap
    0  2024-01  2    0.0  False
    1  2024-02  2  100.0  False
    2  2024-03  0    NaN   True
    3  2024-04  2   50.0  False
    >>> t.attrs["adjustment"]["changes"]["tests"]
    1
    """
    if isinstance(df, Cube):
        keys = df.keys if by is None else _names(by, "by")
        source: Table | Cube = df
        unit = (df.period or "month") if unit is None else unit
    else:
        keys = _names(by, "by")
        source = _table(df, score, weight, keys, date)
    out = _nps.trend_columns(
        source,
        keys,
        unit="month" if unit is None else unit,
        window=window,
        method=method,
        comparison=comparison,
        level=level,
        rate=rate,
        min_n=min_n,
        prior=prior,
        replicates=replicates,
        seed=seed,
    )
    columns = out["columns"]
    columns["start"] = _timestamps(columns["start"])
    frame = _frame(columns)
    frame.attrs["adjustment"] = out["adjustment"]
    return frame


def study_trigger(
    transactional: Frame,
    relationship: Frame,
    by: Names = "touchpoint",
    score: str = "ltr",
    *,
    date: str = "date",
    unit: str = "quarter",
    window: int = 1,
    weight: str | None = None,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> StudyTrigger:
    """Whether an analytical (strategic, 战略NPS) study is due: transactional NPS (场景NPS, the
    touchpoint surveys) rising, overall or at some touchpoints of ``by`` (slopes adjusted by
    Benjamini–Hochberg across them), while relationship NPS (关系NPS) is flat — the experience
    structure has changed.

    Both frames (pandas or polars DataFrames, or ``nps.Table``) need the ``score`` and ``date``
    columns (and ``weight`` when given); the transactional one also the ``by`` columns. Other
    arguments as in ``nps.trend``.

    The rule: due = (the overall transactional slope, or a group's, is rising: q < ``rate``
    and b > 0) and (the relationship slope is flat: q ≥ ``rate``), each slope being the
    weighted least-squares b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)² of the period NPS yₜ over the
    period index t (w = 1/variance), in points per period, as in ``nps.trend``.

    Returns
    -------
    nps.StudyTrigger
        A dict that renders as a table in Jupyter and has ``to_pandas``; its keys, also
        attributes: ``due`` (bool), ``reason`` (the verdict with its numbers),
        ``transactional`` and ``relationship`` (the overall slopes: dicts with
        ``per_period``, ``se``, ``low``, ``high``, ``p_value``, ``q_value``, ``direction``,
        ``periods``; None with fewer than two periods with answers), ``rising`` (the rising
        groups: values of ``by``, tuples for several columns) and ``adjustment``. Promoters
        (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6; NPS (净推荐值) =
        %promoters − %detractors.

    >>> import pandas as pd, nps
    >>> days = pd.to_datetime(["2024-01-15", "2024-04-15", "2024-07-15"]).repeat(200)
    >>> rising = pd.DataFrame({"touchpoint": "claim", "date": days,
    ...                        "ltr": ([10] * 60 + [0] * 140) + ([10] * 100 + [0] * 100)
    ...                               + ([10] * 140 + [0] * 60)})
    >>> flat = rising.assign(ltr=[10, 0] * 300)
    >>> s = nps.study_trigger(rising, flat)
    >>> s["due"], s["rising"], s["relationship"]["direction"]
    (True, ['claim'], 'flat')
    """
    keys = _names(by, "by")
    t = _table(transactional, score, weight, keys, date)
    r = _table(relationship, score, weight, [], date)
    out = _nps.study_trigger_dict(
        t,
        r,
        keys,
        unit=unit,
        window=window,
        method=method,
        comparison=comparison,
        level=level,
        rate=rate,
        min_n=min_n,
        prior=prior,
        replicates=replicates,
        seed=seed,
    )
    return StudyTrigger(out)


def attribute(
    df: Frame,
    dimensions: Names,
    score: str = "ltr",
    *,
    start: Any,
    end: Any,
    column: str | None = None,
    weight: str | None = None,
    date: str | None = None,
    unit: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Why the NPS (净推荐值) moved: the change from ``start`` to ``end`` split, along each of
    ``dimensions``, into a mix effect (segments' shares changed) and a rate effect (NPS within
    segments changed), segment by segment, with a delta-method interval for each part: which
    region or age band pulled the average down (拉低平均, seed 000's worked example).

    With sₛ the share of segment s and Nₛ its NPS at ``start`` (0) and ``end`` (1), and N̄ the
    mean of the two overall NPS (symmetric midpoint form, no residual):
    mixₛ = (s₁ − s₀)·((N₀ + N₁)/2 − N̄), rateₛ = (s₀ + s₁)/2·(N₁ − N₀), and
    Σₛ (mixₛ + rateₛ) = NPS₁ − NPS₀ exactly.

    Compare either two periods (``date``, ``unit`` and the period labels ``start``/``end``,
    e.g. "2024-Q2" and "2024-Q4") or two values of ``column`` (``column="brand"``,
    ``start="Rival A"``, ``end="Own"``: how the own brand differs from a rival). Promoters
    (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6.

    Returns
    -------
    pandas.DataFrame
        ``dimension``, ``segment`` (None for missing values), ``share_from``, ``share_to``
        (shares of responses, or of weight), ``nps_from``, ``nps_to`` (NaN where a segment has
        no answers), ``mix``, ``rate``, ``contribution`` (= mix + rate), ``se``, ``low``,
        ``high``; within each dimension the segments are ranked from the one that pulled the
        NPS up most to the one that pulled it down most. For each dimension the mix and rate
        effects add up to the change exactly. ``attrs["change"]`` is the overall comparison
        (end − start, Wald; a dict as ``nps.Comparison.to_dict`` gives) and
        ``attrs["effects"]`` the per-dimension ``{"mix": …, "rate": …}``.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"wave": ["1"] * 4 + ["2"] * 4,
    ...                    "region": ["N", "N", "S", "S"] * 2,
    ...                    "ltr": [10, 0, 10, 10, 10, 0, 0, 0]})
    >>> a = nps.attribute(df, "region", column="wave", start="1", end="2")
    >>> a[["segment", "mix", "rate", "contribution"]]
      segment  mix   rate  contribution
    0       N  0.0    0.0           0.0
    1       S  0.0 -100.0        -100.0
    >>> a.attrs["change"]["difference"]
    -100.0
    """
    keys = _names(dimensions, "dimensions")
    if column is None:
        _needs_date(df, date, True, "comparing periods")
        if unit is None:
            raise InvalidArgumentError(
                "unit is None; give the period unit and the period labels "
                '(unit="quarter", start="2024-Q2", end="2024-Q4"), or column= and two of its '
                "values"
            )
    table = _table(
        df, score, weight, keys + ([column] if column is not None else []),
        date if column is None else None,
    )  # fmt: skip
    out = _nps.attribute_columns(
        table, keys, start=str(start), end=str(end), column=column, unit=unit, level=level
    )
    frame = _frame(out["columns"])
    frame.attrs["change"] = out["change"].to_dict()
    frame.attrs["effects"] = out["effects"]
    return frame


def benchmark(
    df: Frame,
    brand: str = "brand",
    *,
    own: str,
    by: Names = (),
    score: str = "ltr",
    weight: str | None = None,
    date: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    drivers: Names = None,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> BenchmarkFrame:
    """The own brand against its competitors (the strategic study, 战略NPS): every brand's NPS
    (净推荐值) overall and per value of each ``by`` column (each separately), the own brand's
    lead over each competitor with its test (Benjamini–Hochberg over all gaps); with ``unit``
    (and ``date``) the competitors (竞品) whose NPS rises; with ``drivers`` the mean rating of
    each driver per brand against the best competitor.

    gap = NPS_own − NPS_brand, se = √(se_own² + se_brand²), tested as in ``nps.compare``; a
    competitor gains in a segment when its slope over periods (as in ``nps.trend``) is rising
    after Benjamini–Hochberg; driver gaps are mean_own − mean_best with Welch's t-test.

    Parameters
    ----------
    df : pandas or polars DataFrame, or nps.Table
        The result is a pandas DataFrame either way.
    brand : str
        The brand column; ``own`` is the own brand's value in it.
    by : str or list of str
        Segment columns (region, age band, product line…).
    period : str, optional
        Also per period of ``date`` ("quarter": one more segment dimension named after it).
    unit : str, optional
        Period of the competitor trends ("quarter"); gains are reported only with it.
    drivers : str or list of str, optional
        Driver rating columns (numbers, NaN = not rated). By default every float column other
        than the score and weight columns; ``[]`` for none.
    method, comparison, level, rate, min_n, prior, replicates, seed
        As in ``nps.trend``.

    Returns
    -------
    pandas.DataFrame
        ``dimension`` (None for overall), ``segment`` ("All" overall; None for missing
        values), ``brand``, ``n``, ``nps``, ``low``, ``high``, ``small``, ``rank`` (1 = highest
        NPS in the segment; nullable Int64), ``gap`` (NPS(own) − NPS(brand); NaN on the own
        brand's rows), ``gap_low``, ``gap_high``, ``gap_p``, ``gap_q``, ``gap_significant``.
        The frame's ``gains``: a DataFrame of rising competitors (``brand``, ``dimension``,
        ``segment``, ``slope``, ``slope_low``, ``slope_high``, ``slope_q``, ``own_slope``, in
        points per period). Its ``drivers``: a DataFrame (``driver``, ``brand``, ``n``,
        ``mean``, ``sd``, ``low``, ``high`` (t interval), ``gap_to_best``,
        ``best_competitor``, ``gap_p`` (Welch), the last three on the own brand's rows).
        ``attrs["adjustment"]``: how the gaps were adjusted. Promoters (推荐者) score 9–10,
        passives (被动者) 7–8, detractors (贬损者) 0–6.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"brand": ["Own"] * 4 + ["Rival"] * 4,
    ...                    "ltr": [10, 10, 10, 0, 10, 0, 0, 8]})
    >>> b = nps.benchmark(df, own="Own", comparison="wald")
    >>> b[["brand", "n", "nps", "rank", "gap"]]
       brand  n   nps  rank   gap
    0    Own  4  50.0     1   NaN
    1  Rival  4 -25.0     2  75.0
    """
    keys = _names(by, "by")
    if drivers is None and not isinstance(df, Table):
        driver_names = _convert.float_columns(df, (score, weight))
    else:
        driver_names = _names(drivers, "drivers")
    dated = unit is not None or period is not None
    _needs_date(df, date, dated, "competitor trends and periods")
    table = _table(df, score, weight, [brand, *keys], date if dated else None, driver_names)
    out = _nps.benchmark_columns(
        table,
        brand,
        own,
        keys,
        period=period,
        unit=unit,
        method=method,
        comparison=comparison,
        level=level,
        rate=rate,
        min_n=min_n,
        prior=prior,
        replicates=replicates,
        seed=seed,
    )
    pd = _pandas()
    rows = out["rows"]
    rows["rank"] = pd.array(rows["rank"], dtype="Int64")
    from ._results import BenchmarkFrame

    frame = BenchmarkFrame(dict(rows))
    frame.gains = _frame(out["gains"])
    frame.drivers = _frame(out["drivers"])
    frame.attrs["adjustment"] = out["adjustment"]
    return frame


def journey(
    df: Frame,
    journey: Journey | Mapping[str, Any] | str,
    touchpoint: str = "touchpoint",
    score: str = "ltr",
    *,
    weight: str | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> pd.DataFrame:
    """The NPS (净推荐值) of every node of a customer journey (客户旅程): each touchpoint
    (触点) from its own answers, each scene (场景) and stage (阶段) from the answers of the
    touchpoints under it: transactional NPS (场景NPS) rolled up the tree.

    A node's tally is the sum of its children's tallies (tallies merge exactly), so its NPS is
    100·(pP − pD) over all the answers under it, and ``share`` = n(node)/n(journey).

    ``journey`` is an ``nps.Journey``, its JSON text, or a dict: the nested form
    ``{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints": [{"id", "name"}]}]}]}``
    or the flat form ``{"nodes": [{"id", "name", "kind", "parent"}]}``. A journey that is not a
    stage → scene → touchpoint tree, or a response whose ``touchpoint`` is not in it, raises
    ``nps.JourneyError`` naming the node or the position. Promoters (推荐者) score 9–10,
    passives (被动者) 7–8, detractors (贬损者) 0–6.

    Returns
    -------
    pandas.DataFrame
        One row per node, stages, scenes and touchpoints as the journey orders them: ``kind``
        ("stage", "scene" or "touchpoint"), ``id``, ``name``, ``parent`` (None for stages),
        ``n``, ``share`` (of the journey's answers), ``nps``, ``se``, ``low``, ``high``,
        ``small``.

    >>> import pandas as pd, nps
    >>> tree = {"stages": [{"id": "buy", "name": "Buy", "scenes": [
    ...     {"id": "quote", "name": "Quote", "touchpoints": [
    ...         {"id": "web", "name": "Web quote"}, {"id": "agent", "name": "Agent"}]}]}]}
    >>> df = pd.DataFrame({"touchpoint": ["web", "web", "agent", "agent"], "ltr": [10, 0, 10, 9]})
    >>> j = nps.journey(df, tree, method="wald")
    >>> j[["kind", "id", "n", "nps"]]
             kind     id  n    nps
    0       stage    buy  4   50.0
    1       scene  quote  4   50.0
    2  touchpoint    web  2    0.0
    3  touchpoint  agent  2  100.0
    """
    if not isinstance(journey, Journey):
        text = journey if isinstance(journey, str) else json.dumps(journey)
        journey = Journey.from_json(text)
    table = _table(df, score, weight, [touchpoint])
    columns = _nps.journey_columns(
        table,
        journey,
        touchpoint,
        method=method,
        level=level,
        min_n=min_n,
        prior=prior,
        replicates=replicates,
        seed=seed,
    )
    return _frame(columns)


# ---------------------------------------------------------------------------------------------


def _pandas(needs: str = "the DataFrame analyses need") -> Any:
    """The pandas module (an optional dependency), or ``ImportError`` saying what ``needs`` it."""
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - pandas is an optional dependency
        raise ImportError(f"{needs} pandas: pip install 'nps[pandas]'") from e
    return pandas


def _names(names: Names, argument: str) -> list[str]:
    """Column names from one name or a sequence of names."""
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    if not isinstance(names, Sequence) and not isinstance(names, (set, frozenset)):
        raise TypeError(
            f"{argument} must be a column name or a list of column names, "
            f"got {type(names).__name__}"
        )
    return list(names)


def _quoted(name: Any) -> str:
    return json.dumps(str(name), ensure_ascii=False)


def _needs_date(df: Frame, date: str | None, needed: bool, what: str) -> None:
    """``InvalidArgumentError`` when ``what`` needs the date column of a DataFrame and it is
    not named."""
    if needed and date is None and not isinstance(df, Table):
        raise InvalidArgumentError(
            f'date is None; {what} needs the response date column, e.g. date="date"'
        )


def _table(
    df: Frame,
    score: str,
    weight: str | None,
    dimensions: list[str],
    date: str | None = None,
    drivers: list[str] | None = None,
) -> Table:
    if isinstance(df, Table):
        return df
    return Table.from_frame(df, score, weight, dimensions, date, drivers or [])


def _timestamps(days: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as datetime64[ns] (pandas Timestamps)."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _frame(columns: Mapping[str, Any]) -> pd.DataFrame:
    frame: pd.DataFrame = _pandas().DataFrame(dict(columns))
    return frame


def _attributed(out: Mapping[str, Any]) -> pd.DataFrame:
    """The frame of a compiled result ``{"columns": …, "attrs": …}``, with its ``attrs``."""
    frame = _frame(out["columns"])
    frame.attrs.update(out["attrs"])
    return frame
