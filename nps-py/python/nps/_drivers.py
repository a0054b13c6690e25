"""Driver importance (与NPS的关联影响力) and improvement priorities, from a pandas or polars
DataFrame to a tidy pandas DataFrame.

``drivers`` relates the recommend score (or any numeric target) to experience-driver ratings by
one of the relative-importance measures of the core (Shapley value regression / LMG, Johnson's
relative weights, Pratt, CAR scores, …). ``priorities`` adds each driver's performance against
a reference and sorts drivers into action quadrants. The work runs in Rust with the GIL
released; nothing here loops over responses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from . import _convert, _nps
from ._frames import Frame, _attributed, _names, _pandas, _table
from ._nps import DriverMoments, InvalidArgumentError, Journey, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["driver_moments", "drivers", "journey_priorities", "priorities"]

Names = Union[str, Sequence[str], None]

#: The importance measures, as ``method=`` takes them.
DRIVER_METHODS = ("shapley", "johnson", "pratt", "first", "last", "betasq", "car", "beta", "r")


def drivers(
    df: Frame | DriverMoments,
    target: str = "ltr",
    drivers: Names = None,
    method: str = "shapley",
    *,
    by: Names = None,
    weight: str | None = None,
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = _nps.DEFAULT_SEED,
    samples: int | None = None,
    max_exact: int = 24,
) -> pd.DataFrame:
    """Which experience drivers (驱动要素, 驱动因素) move the recommend score: the importance of
    each driver rating in explaining ``target`` (与NPS的关联影响力), one row per driver.

    With R_xx the drivers' correlations, r their correlations with the target,
    b = R_xx⁻¹r the standardized coefficients and R² = rᵀb: ``r`` rⱼ, ``first`` rⱼ², ``beta``
    bⱼ, ``betasq`` bⱼ², ``pratt`` bⱼrⱼ, ``last`` R² − R²₋ⱼ, ``car`` ωⱼ² with ω = R_xx^{-1/2}r,
    ``johnson`` εⱼ = Σₖ Zⱼₖ²ωₖ² with Z = R_xx^{1/2}, ω = Z⁻¹r, and ``shapley`` (LMG)
    φⱼ = Σ_{S ∌ j} |S|!(p − |S| − 1)!/p! · (R²(S ∪ j) − R²(S)), the R² gain of j averaged over
    all orderings; pratt, car, johnson and shapley sum to R². ``share`` = 100·raw/Σraw.

    Parameters
    ----------
    df : pandas or polars DataFrame, nps.Table, or nps.DriverMoments (``nps.driver_moments``)
        The result is a pandas DataFrame either way.
    target : str
        The outcome column. The recommend score (0–10) in general; with the defaults (no
        ``by``, no bootstrap, ``outcome="score"``) any numeric column (a satisfaction rating, a
        spend). Ignored for an ``nps.Table`` (its score is the target).
    drivers : str or list of str, optional
        Driver rating columns (numbers; NaN = not rated). By default every float column other
        than ``target`` and ``weight`` (for a table: the table's drivers).
    method : str
        ``"shapley"`` (Shapley value regression = LMG, exact over all subsets up to
        ``max_exact`` drivers), ``"johnson"`` (relative weights), ``"pratt"``, ``"first"``
        (r²), ``"last"`` (R² drop when added last), ``"betasq"``, ``"car"`` (squared CAR
        scores), ``"beta"`` (standardized coefficient) or ``"r"`` (correlation).
    by : str or list of str, optional
        Group columns: one block of driver rows per combination of their values, the key
        columns first. A group whose data allow no analysis keeps its rows, with NaN numbers
        and the reason in ``problem``.
    weight : str, optional
        A column of survey weights.
    outcome : str
        ``"score"`` (the target itself), ``"promoter"`` (1 for promoters, 推荐者, 9–10) or
        ``"detractor"`` (1 for detractors, 贬损者, 0–6).
    missing : str
        ``"listwise"`` (complete rows only) or ``"pairwise"`` (each correlation over the rows
        where both are present).
    spearman : bool
        Rank (Spearman) instead of Pearson correlations.
    scale : (float, float), optional
        The declared rating scale ``(min, max)``: a rating outside it raises
        ``nps.DriverError`` naming the driver and the row.
    replicates, level, seed
        Percentile bootstrap over respondents (``replicates`` > 0) at confidence ``level``;
        ``seed`` makes it (and sampled Shapley) reproducible.
    samples : int, optional
        Estimate Shapley values from this many sampled permutations (each also reversed)
        instead of all subsets: for more drivers than ``max_exact``; adds ``se``.
    max_exact : int
        Most drivers for exact Shapley (at most 30); beyond it ``nps.DriverError`` names the
        alternatives (``method="johnson"`` or ``samples=``).

    Returns
    -------
    pandas.DataFrame
        ``driver``, ``importance`` (raw: a share of R² for shapley, johnson, pratt and car;
        r² for first; the signed coefficient or correlation for beta and r), ``share`` (the
        core's fraction of the total × 100: **percent**, summing to 100; for beta and r raw /
        Σ|raw|), ``sign`` (of the driver's coefficient in the full model); ``se`` with
        ``samples``; ``low``, ``high``, ``includes_zero`` (interval of ``importance``) when
        bootstrapped. With ``by``, also ``n``, ``r2`` and ``problem`` per group.
        ``attrs``: ``method``, ``missing``, ``outcome``, ``spearman``, and without ``by``
        ``r2`` (of the full model) and ``n`` (rows used); ``level`` and ``replicates``
        (replicates that gave a result) when bootstrapped.

    Raises
    ------
    nps.DriverError
        A driver that is constant, has no ratings, is perfectly collinear with others, has a
        rating off ``scale``; fewer complete rows than drivers + 2 (listing the drivers); more
        drivers than exact Shapley allows (naming the alternatives).

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "speed": [5., 4, 2, 4, 3, 5, 1, 3, 4, 3],
    ...                    "price": [3., 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> d = nps.drivers(df)
    >>> list(d["driver"]), round(float(d["share"].sum()), 9), d.attrs["method"]
    (['speed', 'price'], 100.0, 'shapley')
    """
    if isinstance(df, DriverMoments):
        if by is not None:
            raise InvalidArgumentError(
                "by: driver moments hold one group; build one DriverMoments per group"
            )
        out = df.importance(
            method=method,
            spearman=spearman,
            samples=samples,
            max_exact=max_exact,
            replicates=replicates,
            level=level,
            seed=seed,
        )
        return _attributed(out)
    keys = _names(by, "by")
    names = _driver_names(df, drivers, {target, weight, *keys})
    common: dict[str, Any] = dict(
        method=method,
        missing=missing,
        spearman=spearman,
        scale=_scale(scale),
        samples=samples,
        max_exact=max_exact,
        level=level,
        seed=seed,
    )
    if not isinstance(df, Table) and not keys and replicates == 0 and outcome == "score":
        # Any numeric target: the core's correlation pass over the columns themselves.
        parts = _convert.frame_columns(df, target, weight, [], None, names)
        out = _nps.drivers_of_columns(
            np.ascontiguousarray(parts["score"], dtype=np.float64),
            parts["drivers"],
            parts["weight"],
            **common,
        )
    else:
        table = _table(df, target, weight, keys, None, names)
        out = _nps.drivers_of_table(
            table, keys, drivers=names, outcome=outcome, replicates=replicates, **common
        )
    return _attributed(out)


def driver_moments(
    df: Frame,
    target: str = "ltr",
    drivers: Names = None,
    *,
    weight: str | None = None,
    outcome: str = "score",
    missing: str = "listwise",
    scale: tuple[float, float] | None = None,
) -> DriverMoments:
    """The weighted means and co-moments of the recommend score and the driver ratings: the
    mergeable part of ``nps.drivers`` (驱动因素 / 与NPS的关联影响力), for data spread over
    partitions or machines.

    Build them per partition, add them (``sum(parts)``; Chan, Golub & LeVeque's pairwise
    update of means and co-moments), and ``nps.drivers(moments, method=...)`` gives the driver
    importance of all the rows: the correlation matrix R of the merged moments, then the
    chosen measure of R (Shapley/LMG, Johnson, Pratt…), equal to the single-pass result to the
    last bits of floating-point addition. Pearson correlations only, no bootstrap.

    Parameters
    ----------
    df : pandas or polars DataFrame, or nps.Table
    target : str
        The recommend score column (0–10).
    drivers : str or list of str, optional
        Driver rating columns; by default every float column other than target and weight
        (a table's own drivers).
    weight : str, optional
        Survey weights.
    outcome : str
        "score", "promoter" (推荐者, 1/0) or "detractor" (贬损者, 1/0).
    missing : str
        "listwise" (complete rows) or "pairwise".
    scale : (low, high), optional
        The rating scale; a rating outside it raises ``DriverError``.

    Returns
    -------
    nps.DriverMoments

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "speed": [5., 4, 2, 4, 3, 5, 1, 3, 4, 3],
    ...                    "price": [3., 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> parts = [nps.driver_moments(df.iloc[i:i + 5]) for i in (0, 5)]
    >>> merged = nps.drivers(sum(parts), method="johnson")
    >>> whole = nps.drivers(df, method="johnson")
    >>> bool((merged["share"] - whole["share"]).abs().max() < 1e-9)
    True
    """
    names = _driver_names(df, drivers, {target, weight})
    table = _table(df, target, weight, [], None, names)
    return DriverMoments(table, names, outcome=outcome, missing=missing, scale=_scale(scale))


def priorities(
    df: Frame,
    target: str = "ltr",
    drivers: Names = None,
    method: str = "johnson",
    *,
    focus: tuple[str, Any] | None = None,
    reference: float | Mapping[str, float] | tuple[str, Any] | None = None,
    performance: str | tuple[str, float] = "mean",
    importance_cut: str | float = "mean",
    performance_cut: str | float = "mean",
    weight: str | None = None,
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    replicates: int = 0,
    level: float = 0.95,
    rate: float = 0.05,
    seed: int = _nps.DEFAULT_SEED,
    samples: int | None = None,
    max_exact: int = 24,
) -> pd.DataFrame:
    """Improvement priorities (改善优先排序): each driver's importance (as in ``nps.drivers``)
    against its performance, the gap to a reference, and the quadrant of the importance ×
    performance matrix: ``improve_now`` (立即改善: important, performing badly), ``exceed``
    (超越自我: important, performing well), ``maintain`` (维持现状: less important, performing
    well) and ``low_priority`` (低优先级: less important, performing badly).

    A driver is important when its ``share`` ≥ ``importance_cut`` and performs well when its
    performance ≥ ``performance_cut``; gap = performance − reference, tested by a one-sample
    t-test against a target (x̄ − μ₀)/(s/√n), Welch's t-test against a reference group, z-tests
    for top-box shares (Benjamini–Hochberg q-values at ``rate``). The action list (汇整满意度低于行业/本品设定标准的
    关键体验并排序) ranks the drivers below their reference by share × |gap|, largest first.

    Parameters
    ----------
    df : pandas or polars DataFrame, or nps.Table
        The result is a pandas DataFrame either way.
    target, drivers, method, weight, outcome, missing, spearman, scale, samples, max_exact
        As in ``nps.drivers`` (the target is the recommend score 0–10 here; default method
        ``"johnson"``).
    focus : (str, value), optional
        Analyse only the rows where this column has this value, e.g. ``("brand", "Own")``.
    reference : optional
        What performance is compared with: a number (an industry target for every driver), a
        dict driver → target (本品设定标准), or ``(column, value)``: the rows of a competitor
        brand or an earlier period (``("quarter", "2024-Q1")``); without ``focus`` those rows
        are left out of the analysis.
    performance : "mean" or ("top_box", min)
        The mean rating, or the share of ratings ≥ ``min`` (a fraction).
    importance_cut : "mean", "median" or float
        Cut of the importance axis, on ``share`` (a float in **percent**, like ``share``).
    performance_cut : "mean", "median" or float
        Cut of the performance axis (a rating, or a fraction for top box).
    replicates, level, seed
        With ``replicates`` > 0, importance and performance are bootstrapped jointly: intervals
        of importance and each quadrant's probability.
    rate : float
        False discovery rate of the gap tests (Benjamini–Hochberg over the drivers).

    Returns
    -------
    pandas.DataFrame
        One row per driver: ``driver``, ``importance`` (raw), ``share`` (the core's fraction ×
        100: **percent**, summing to 100), ``sign``, ``importance_low``, ``importance_high``
        (bootstrapped), ``performance``, ``performance_low``, ``performance_high``, ``n``
        (ratings), ``reference``, ``gap`` (performance − reference), ``gap_p``, ``gap_q`` (NaN
        without a reference), ``gap_significant``, ``quadrant``, ``p_improve_now``,
        ``p_exceed``, ``p_maintain``, ``p_low_priority`` (bootstrapped; sum to 1),
        ``action_rank`` (nullable Int64: 1 = first to fix; drivers below their reference by
        share × |gap|). ``attrs``: ``importance_cut`` (percent), ``performance_cut``, ``r2``,
        ``n``, ``method``, ``missing``, ``outcome``, ``rate``…

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "speed": [5., 4, 2, 4, 3, 5, 1, 3, 4, 3],
    ...                    "price": [3., 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> p = nps.priorities(df, reference=3.5)
    >>> p[["driver", "performance", "gap", "quadrant", "action_rank"]].round(2)
      driver  performance  gap      quadrant  action_rank
    0  speed          3.4 -0.1        exceed            2
    1  price          3.0 -0.5  low_priority            1
    """
    table, arguments = _priority_input(
        df, target, drivers, weight, focus, reference, performance, importance_cut, scale
    )
    out = _nps.priorities_of_table(
        table,
        method=method,
        outcome=outcome,
        missing=missing,
        spearman=spearman,
        samples=samples,
        max_exact=max_exact,
        replicates=replicates,
        level=level,
        seed=seed,
        performance_cut=performance_cut,
        rate=rate,
        **arguments,
    )
    columns = out["columns"]
    columns["action_rank"] = _pandas().array(columns["action_rank"], dtype="Int64")
    return _attributed(out)


def journey_priorities(
    df: Frame,
    journey: Journey | Mapping[str, Any] | str,
    target: str = "ltr",
    drivers: Names = None,
    method: str = "johnson",
    *,
    focus: tuple[str, Any] | None = None,
    reference: float | Mapping[str, float] | tuple[str, Any] | None = None,
    performance: str | tuple[str, float] = "mean",
    importance_cut: str | float = "mean",
    performance_cut: str | float = "mean",
    weight: str | None = None,
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    replicates: int = 0,
    level: float = 0.95,
    rate: float = 0.05,
    seed: int = _nps.DEFAULT_SEED,
    samples: int | None = None,
    max_exact: int = 24,
) -> pd.DataFrame:
    """Priorities (改善优先排序) along a customer journey (客户旅程): the driver columns named
    after journey nodes (touchpoints 触点, scenes 场景) analysed together as in
    ``nps.priorities``, rolled up to scenes and stages (阶段): which experiences matter most
    to the recommend score.

    A node with its own column keeps that column's importance, share, performance and
    quadrant (立即改善 / 超越自我 / 维持现状 / 低优先级); a node without one gets
    importance = Σ over its children with a value (share likewise), the performance of all
    its descendants' ratings pooled, and a quadrant among the rolled-up nodes of its kind.

    ``journey`` as in ``nps.journey`` (an ``nps.Journey``, its JSON text or a dict); ``df`` (a
    pandas or polars DataFrame, or an ``nps.Table``) and the other arguments as in
    ``nps.priorities``.

    Returns
    -------
    pandas.DataFrame
        One row per node in journey order: ``kind``, ``id``, ``name``, ``parent``,
        ``importance`` (its own column's, or the sum over its children), ``share`` (percent),
        ``performance`` (NaN without rated descendants), ``quadrant`` (among the nodes of the
        same kind; None without one).

    >>> import pandas as pd, nps
    >>> tree = {"stages": [{"id": "claim", "scenes": [
    ...     {"id": "report", "touchpoints": [{"id": "phone"}, {"id": "app"}]}]}]}
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "phone": [5., 4, 2, 4, 3, 5, 1, 3, 4, 3],
    ...                    "app": [3., 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> j = nps.journey_priorities(df, tree)
    >>> list(j["id"]), float(j["share"].iloc[1])
    (['claim', 'report', 'phone', 'app'], 100.0)
    """
    if not isinstance(journey, Journey):
        text = journey if isinstance(journey, str) else json.dumps(journey)
        journey = Journey.from_json(text)
    table, arguments = _priority_input(
        df, target, drivers, weight, focus, reference, performance, importance_cut, scale
    )
    out = _nps.journey_priorities_of_table(
        table,
        journey,
        method=method,
        outcome=outcome,
        missing=missing,
        spearman=spearman,
        samples=samples,
        max_exact=max_exact,
        replicates=replicates,
        level=level,
        seed=seed,
        performance_cut=performance_cut,
        rate=rate,
        **arguments,
    )
    return _attributed(out)


# ---------------------------------------------------------------------------------------------


def _driver_names(df: Any, drivers: Names, taken: set[Any]) -> list[str] | None:
    """The driver columns asked for; by default every float column of a DataFrame (pandas or
    polars) not in ``taken``, or every driver of a table (``None``)."""
    if drivers is not None:
        return _names(drivers, "drivers")
    if isinstance(df, Table):
        return None
    return _convert.float_columns(df, taken)


def _priority_input(
    df: Frame,
    target: str,
    drivers: Names,
    weight: str | None,
    focus: Any,
    reference: Any,
    performance: Any,
    importance_cut: Any,
    scale: Any,
) -> tuple[Table, dict[str, Any]]:
    """The table (with the focus and reference columns as dimensions) and the keyword arguments
    of the focus, the importance cut, the reference, the performance, the driver names and the
    rating scale for the compiled module."""
    arguments: dict[str, Any] = {
        "focus": None if focus is None else _pair(focus, "focus"),
        "importance_cut": importance_cut / 100.0
        if isinstance(importance_cut, (int, float)) and not isinstance(importance_cut, bool)
        else importance_cut,
    }
    if reference is None:
        pass
    elif isinstance(reference, (int, float)) and not isinstance(reference, bool):
        arguments["target"] = float(reference)
    elif isinstance(reference, Mapping):
        arguments["targets"] = [(str(k), float(v)) for k, v in reference.items()]
    elif isinstance(reference, tuple):
        arguments["group"] = _pair(reference, "reference")
    else:
        raise TypeError(
            "reference must be a number, a dict driver -> target or a (column, value) pair, "
            f"got {type(reference).__name__}"
        )
    if isinstance(performance, str) and performance == "mean":
        pass
    elif isinstance(performance, tuple) and len(performance) == 2 and performance[0] == "top_box":
        arguments["top_box"] = float(performance[1])
    else:
        raise InvalidArgumentError(
            f'performance is {performance!r}; use "mean" or ("top_box", min), e.g. ("top_box", 4)'
        )
    dimensions = [p[0] for p in (arguments["focus"], arguments.get("group")) if p is not None]
    names = _driver_names(df, drivers, {target, weight, *dimensions})
    table = _table(df, target, weight, list(dict.fromkeys(dimensions)), None, names)
    arguments["drivers"] = names
    arguments["scale"] = _scale(scale)
    return table, arguments


def _pair(pair: Any, argument: str) -> tuple[str, str]:
    """A (column, value) pair, the value as text (as tables compare values)."""
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise TypeError(f"{argument} must be a (column, value) pair, got {pair!r}")
    return str(pair[0]), str(pair[1])


def _scale(scale: Any) -> tuple[float, float] | None:
    """A rating scale as a (min, max) pair of floats."""
    if scale is None:
        return None
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise TypeError(f"scale must be a (min, max) pair, got {scale!r}") from None
    return float(low), float(high)
