"""Exact Shapley value regression (LMG, general dominance): ``nps.drivers`` against a peer.

The intended peer was the PyPI package ``dominance-analysis`` (1.1.9). It installs with the
pinned numpy 2 / pandas 2 of ``.venv`` but does not import: its dependency bokeh 2.4.3 uses
``np.bool8``, removed in numpy 2 (``AttributeError: module 'numpy' has no attribute 'bool8'``).
So the peer here is a plain numpy implementation, vectorized as far as numpy goes: the
correlation matrix of the data, R² of every one of the 2^p driver subsets (batched
``numpy.linalg.solve`` per subset size) and the Shapley weighting of the R² gains. Both run on
the same simulated survey (n = 5000; 12 and 16 drivers, 1-5 ratings, a 0-10 score); the
importances must agree to 1e-6.

    .venv/bin/python benches/compare_dominance.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np
import pandas as pd

import nps

N = 5000
SIZES = (12, 16)
TOLERANCE = 1e-6


def survey(n: int, p: int, seed: int = 2024) -> pd.DataFrame:
    """``p`` correlated 1-5 ratings ``d00``… and a 0-10 score driven by them."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(n)
    latent = 0.5 * shared[:, None] + rng.standard_normal((n, p))
    ratings = np.clip(np.round(3 + latent), 1, 5)
    y = ratings @ rng.uniform(0.2, 1.0, p) + rng.normal(0, 2.0, n)
    ltr = np.clip(np.round((y - y.mean()) / y.std() * 2.2 + 7), 0, 10)
    df = pd.DataFrame({f"d{k:02d}": ratings[:, k] for k in range(p)})
    df.insert(0, "ltr", ltr)
    return df


def numpy_lmg(df: pd.DataFrame, target: str, drivers: list[str]) -> np.ndarray:
    """LMG of each driver: its R² gain averaged over all orderings, from all 2^p subsets."""
    data = df[[target, *drivers]].to_numpy(dtype=np.float64)
    data = data[~np.isnan(data).any(axis=1)]
    c = np.corrcoef(data, rowvar=False)
    r_xy, r_xx = c[0, 1:], c[1:, 1:]
    p = len(drivers)
    r2 = np.zeros(1 << p)
    for k in range(1, p + 1):
        subsets = np.array(list(itertools.combinations(range(p), k)))
        masks = (1 << subsets).sum(axis=1)
        a = r_xx[subsets[:, :, None], subsets[:, None, :]]  # (m, k, k)
        b = r_xy[subsets]  # (m, k)
        beta = np.linalg.solve(a, b[:, :, None])[:, :, 0]
        r2[masks] = (b * beta).sum(axis=1)
    masks = np.arange(1 << p)
    size = np.array([bin(m).count("1") for m in range(1 << p)])
    weight = np.array(
        [math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)]
    )
    lmg = np.empty(p)
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        lmg[j] = (weight[size[without]] * (r2[without | (1 << j)] - r2[without])).sum()
    return lmg


def best_of(repeat: int, run):
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    args = parser.parse_args()
    print(f"exact shapley (LMG), n = {N}, best of {args.repeat}")
    print(f"{'drivers':>8} {'nps (s)':>10} {'numpy (s)':>10} {'ratio':>8} {'max |diff|':>11}")
    for p in SIZES:
        df = survey(N, p)
        drivers = [c for c in df.columns if c != "ltr"]
        t_nps, ours = best_of(
            args.repeat, lambda: nps.drivers(df, "ltr", drivers, method="shapley")
        )
        t_np, theirs = best_of(args.repeat, lambda: numpy_lmg(df, "ltr", drivers))
        diff = float(np.max(np.abs(ours["importance"].to_numpy() - theirs)))
        print(f"{p:>8} {t_nps:>10.4f} {t_np:>10.4f} {t_np / t_nps:>7.1f}x {diff:>11.2e}")
        assert diff < TOLERANCE, f"{p} drivers: importances differ by {diff}"
        assert abs(ours.attrs["r2"] - theirs.sum()) < TOLERANCE


if __name__ == "__main__":
    main()
