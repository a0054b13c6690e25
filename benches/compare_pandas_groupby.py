"""Times `nps.by` against a pandas groupby doing the same computation, in the same run.

Target (issue: segments): NPS with intervals for 10^7 responses grouped by 3 dimensions (10 x 10
x 10 = 1,000 groups) under 100 ms on one core, and at least 10x a pandas groupby computing the
same: n, promoters, detractors, NPS, Wald SE and bounds per group. `nps.by` is timed from the
DataFrame (building the response table from its columns included); building the table alone
(`nps.Table.from_frame`) and the group-by on a prebuilt table are timed too. The two results are
checked to agree.

Also `nps.trend` over 10^7 timestamped responses by month and brand (target under 200 ms), from
the DataFrame (dates converted included) and on a prebuilt table.

The group-by, trend and table building run on one thread in nps (the GIL released); the score
validation of a table may use a second core for large inputs, so run under `taskset -c 0` for a
strict one-core figure. Run with `.venv/bin/python benches/compare_pandas_groupby.py`.
"""

from __future__ import annotations

import os
import time
from statistics import NormalDist
from typing import Callable

import numpy as np
import pandas as pd

import nps

N = 10_000_000
LEVELS = 10
REPEATS = 5
Z = NormalDist().inv_cdf(0.975)
KEYS = ["a", "b", "c"]


def best(f: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def frame(rng: np.random.Generator) -> pd.DataFrame:
    """10^7 responses: three categorical dimensions of 10 levels each, uint8 scores."""
    columns: dict[str, object] = {}
    for k in KEYS:
        codes = rng.integers(0, LEVELS, N).astype(np.int8)
        columns[k] = pd.Categorical.from_codes(codes, [f"{k}{i}" for i in range(LEVELS)])
    p = [0.01] * 5 + [0.02, 0.07, 0.15, 0.15, 0.2, 0.36]
    columns["ltr"] = rng.choice(11, size=N, p=p).astype(np.uint8)
    return pd.DataFrame(columns)


def pandas_by(df: pd.DataFrame) -> pd.DataFrame:
    """n, promoter and detractor shares, NPS and the Wald interval per group, the pandas way."""
    s = df["ltr"]
    work = df[KEYS].assign(promoter=(s >= 9), detractor=(s <= 6))
    g = work.groupby(KEYS, observed=True, sort=True)
    out = g.agg(n=("promoter", "size"), promoters=("promoter", "mean"),
                detractors=("detractor", "mean"))  # fmt: skip
    p, d = out["promoters"], out["detractors"]
    out["nps"] = 100 * (p - d)
    out["se"] = 100 * np.sqrt((p + d - (p - d) ** 2) / out["n"])
    out["low"] = out["nps"] - Z * out["se"]
    out["high"] = out["nps"] + Z * out["se"]
    return out.reset_index()


def check_group_by(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.sort_values(KEYS).reset_index(drop=True)
    theirs = theirs.sort_values(KEYS).reset_index(drop=True)
    assert len(ours) == len(theirs) == LEVELS**3, (len(ours), len(theirs))
    for k in KEYS:
        assert (ours[k].astype(str).to_numpy() == theirs[k].astype(str).to_numpy()).all()
    assert (ours["n"].to_numpy() == theirs["n"].to_numpy()).all()
    for column in ["promoters", "detractors", "nps", "se", "low", "high"]:
        np.testing.assert_allclose(ours[column], theirs[column], rtol=0, atol=1e-9)


def dated_frame(rng: np.random.Generator) -> pd.DataFrame:
    """10^7 timestamped responses over two years, five brands."""
    start = np.datetime64("2023-01-01T00:00:00", "ns")
    seconds = rng.integers(0, 2 * 365 * 86_400, N)
    brand = pd.Categorical.from_codes(
        rng.integers(0, 5, N).astype(np.int8), ["Own", "Rival A", "Rival B", "Rival C", "Rival D"]
    )
    p = [0.01] * 5 + [0.02, 0.07, 0.15, 0.15, 0.2, 0.36]
    return pd.DataFrame({
        "brand": brand,
        "date": start + seconds.astype("timedelta64[s]"),
        "ltr": rng.choice(11, size=N, p=p).astype(np.uint8),
    })  # fmt: skip


def main() -> None:
    rng = np.random.default_rng(2024)
    df = frame(rng)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"nps.by vs pandas groupby: {N:,} responses, 3 categorical dimensions x {LEVELS} "
          f"levels ({LEVELS**3:,} groups), uint8 scores, wald interval; best of {REPEATS}; "
          f"{cpus} CPU(s) available\n")  # fmt: skip

    ours = nps.by(df, KEYS, method="wald")
    theirs = pandas_by(df)
    check_group_by(ours, theirs)

    table = nps.Table.from_frame(df, "ltr", dimensions=KEYS)
    t_table = best(lambda: nps.Table.from_frame(df, "ltr", dimensions=KEYS))
    t_prebuilt = best(lambda: nps.by(table, KEYS, method="wald"))
    t_nps = best(lambda: nps.by(df, KEYS, method="wald"))
    t_pandas = best(lambda: pandas_by(df))
    print(f"  nps.by(df, 3 keys)            {t_nps * 1e3:8.1f} ms   (target < 100 ms)")
    print(f"    of which building the table {t_table * 1e3:8.1f} ms   (nps.Table.from_frame)")
    print(f"    group-by on a built table   {t_prebuilt * 1e3:8.1f} ms   (nps.by(table, ...))")
    print(f"  pandas groupby                {t_pandas * 1e3:8.1f} ms")
    print(f"  ratio pandas / nps.by(df)     {t_pandas / t_nps:8.1f} x    (target >= 10x)")
    print("  results agree (n exactly; shares, NPS, SE, bounds to 1e-9)\n")

    dated = dated_frame(rng)
    dated_table = nps.Table.from_frame(dated, "ltr", dimensions=["brand"], date="date")
    monthly = nps.trend(dated, "brand", date="date", unit="month")
    assert len(monthly) == 5 * 24, len(monthly)
    assert monthly["n"].sum() == N
    t_trend = best(lambda: nps.trend(dated, "brand", date="date", unit="month"))
    t_trend_table = best(lambda: nps.trend(dated_table, "brand", unit="month"))
    t_dated = best(
        lambda: nps.Table.from_frame(dated, "ltr", dimensions=["brand"], date="date")
    )
    print(f"nps.trend: {N:,} timestamped responses (datetime64[ns]) by month x 5 brands "
          f"(120 points), adjusted Wald, changes and slopes\n")  # fmt: skip
    print(f"  nps.trend(df, by brand, month) {t_trend * 1e3:7.1f} ms   (target < 200 ms)")
    print(f"    of which building the table  {t_dated * 1e3:7.1f} ms   (dates converted)")
    print(f"    trend on a built table       {t_trend_table * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
