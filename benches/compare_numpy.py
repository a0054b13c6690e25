"""Times `nps.score` against a numpy-only and a pandas implementation in the same run.

Target (issue 2): on a 10^7-element array, at least 3x faster than numpy (np.bincount) and 20x
faster than pandas. Each peer computes the same result as `nps.score(..., method="wald")`:
drop missing answers, count categories, NPS and its Wald interval. Prints each time (best of
REPEATS) and the ratios. Run with `make bench` (or `.venv/bin/python benches/compare_numpy.py`).
"""

from __future__ import annotations

import time
from statistics import NormalDist
from typing import Callable

import numpy as np
import pandas as pd

import nps

N = 10_000_000
REPEATS = 7
Z = NormalDist().inv_cdf(0.975)


def numpy_nps(a: np.ndarray) -> tuple[float, float, float]:
    """NPS and Wald bounds with numpy only (bincount over the scores)."""
    if a.dtype.kind == "f":
        a = a[~np.isnan(a)].astype(np.int64)
    counts = np.bincount(a, minlength=11)
    n = counts.sum()
    p, d = counts[9:].sum() / n, counts[:7].sum() / n
    est = 100 * (p - d)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    return est, est - Z * se, est + Z * se


def pandas_nps(s: pd.Series) -> tuple[float, float, float]:
    """NPS and Wald bounds the pandas way (cut into categories, count)."""
    cats = pd.cut(s.dropna(), bins=[-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
    shares = cats.value_counts(normalize=True)
    n = cats.size
    p, d = shares["promoter"], shares["detractor"]
    est = 100 * (p - d)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    return est, est - Z * se, est + Z * se


def best(f: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2024)
    base = rng.choice(11, size=N, p=[0.01] * 5 + [0.02, 0.07, 0.15, 0.15, 0.2, 0.36])
    floats = base.astype(np.float64)
    floats[rng.random(N) < 0.03] = np.nan  # 3 % unanswered
    cases = {
        "uint8": base.astype(np.uint8),
        "int64": base.astype(np.int64),
        "float64 with NaN": floats,
    }
    print(f"nps.score vs numpy vs pandas on {N:,} scores (best of {REPEATS}), wald interval\n")
    print(f"  {'dtype':<18}{'nps':>10}{'numpy':>10}{'pandas':>10}{'x numpy':>10}{'x pandas':>10}")
    for name, a in cases.items():
        s = pd.Series(a)
        ours = nps.score(a, method="wald")
        ref = numpy_nps(a)
        assert np.allclose([ours.nps, ours.low, ours.high], ref, atol=1e-9), (ours, ref)
        assert np.allclose(pandas_nps(s), ref, atol=1e-9)
        t_nps = best(lambda: nps.score(a, method="wald"))
        t_np = best(lambda: numpy_nps(a))
        t_pd = best(lambda: pandas_nps(s))
        print(
            f"  {name:<18}{t_nps * 1e3:8.2f}ms{t_np * 1e3:8.2f}ms{t_pd * 1e3:8.2f}ms"
            f"{t_np / t_nps:9.1f}x{t_pd / t_nps:9.1f}x"
        )
    print("\n  target: >= 3x numpy and >= 20x pandas")


if __name__ == "__main__":
    main()
