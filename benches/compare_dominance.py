"""Exact Shapley value regression (LMG): ``nps.drivers`` against ``dominance-analysis``.

The peer is the PyPI package ``dominance-analysis`` (1.1.9): ``Dominance(data=df, target="ltr",
objective=1, top_k=p).incremental_rsquare()`` fits an sklearn ``LinearRegression`` on each of
the 2^p - 1 driver subsets and averages each driver's R² gains per subset size and then over
sizes: its "incremental R²" is general dominance, which is LMG = the Shapley value of R². It
does not import beside ``.venv``'s numpy 2 (its bokeh 2.4.3 uses ``np.bool8``), so this script
gives it an environment of its own: on first use it creates ``.venv-peer`` at the repo root
(``python3 -m venv``) and installs ``benches/peer-requirements.txt`` into it (numpy < 2,
IPython < 9); later runs reuse it while the requirements file is unchanged.

In one run, for each size: the simulated survey (n = 5000, 1-5 ratings, a 0-10 score, seeded)
is made once and saved to a temporary ``.npz``; ``nps.drivers(method="shapley")`` is timed
in-process (best of ``--repeat``); the peer runs in a subprocess (``.venv-peer/bin/python`` on
this file with ``--peer``), which loads the same data, times the ``Dominance`` call and prints
its time and per-driver values as JSON; the importances must agree to 1e-6, and both times and
the ratio are printed. The peer runs at most ``--repeat`` times too, but once only when a run
takes longer than 30 s.

Sizes are 12 and 16 drivers. The peer's work grows faster than 2^p (besides the 2^p fits, it
pairs every subset of size k with every one of size k - 1 in Python), so a peer run longer than
``--peer-timeout`` (180 s) is stopped and reported as a lower bound, and the next size down
(14 drivers) is run in its place, allowed ``--fallback-timeout`` (600 s). Measured here: 12
drivers 13-60 s, 14 drivers 120-180 s, 16 drivers past 180 s; so a default run reports 12, 16
(stopped) and 14, in 6-8 minutes.

If ``.venv-peer`` cannot be built (no network), the reason is printed and the peer is replaced
by a plain numpy all-subsets LMG (batched ``numpy.linalg.solve`` per subset size), marked as
such.

    .venv/bin/python benches/compare_dominance.py [--repeat 3] [--sizes 12 16]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / ".venv-peer"
PEER_REQUIREMENTS = ROOT / "benches" / "peer-requirements.txt"
PEER_STAMP = PEER_VENV / "peer-requirements.txt"  # the requirements it was built from
N = 5000
SIZES = (12, 16)
TOLERANCE = 1e-6
SLOW_RUN = 30.0  # seconds: a peer run this long is not repeated


def survey(n: int, p: int, seed: int = 2024):
    """``p`` correlated 1-5 ratings ``d00``… and a 0-10 score ``ltr`` driven by them."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(n)
    latent = 0.5 * shared[:, None] + rng.standard_normal((n, p))
    ratings = np.clip(np.round(3 + latent), 1, 5)
    y = ratings @ rng.uniform(0.2, 1.0, p) + rng.normal(0, 2.0, n)
    ltr = np.clip(np.round((y - y.mean()) / y.std() * 2.2 + 7), 0, 10)
    df = pd.DataFrame({f"d{k:02d}": ratings[:, k] for k in range(p)})
    df.insert(0, "ltr", ltr)
    return df


def numpy_lmg(df, target: str, drivers: list[str]) -> np.ndarray:
    """Fallback peer: LMG of each driver, its R² gain averaged over all orderings, from all 2^p
    subsets."""
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


# --- the peer's side: runs in .venv-peer ------------------------------------------------------


def peer(path: str, repeat: int) -> None:
    """Load the survey saved by the parent, time ``dominance-analysis`` on it, print JSON."""
    import pandas as pd

    saved = np.load(path)
    names = [str(c) for c in saved["columns"]]
    df = pd.DataFrame(saved["data"], columns=names)
    drivers = names[1:]
    chatter = io.StringIO()  # the package prints banners, progress and notebook HTML
    with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
        import dominance_analysis
        from dominance_analysis import Dominance

        best, values = math.inf, None
        for _ in range(repeat):
            frame = df.copy()
            start = time.perf_counter()
            values = Dominance(
                data=frame, target="ltr", objective=1, top_k=len(drivers)
            ).incremental_rsquare()
            took = time.perf_counter() - start
            best = min(best, took)
            if took > SLOW_RUN:
                break
    version = getattr(dominance_analysis, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("dominance-analysis")
    print(
        json.dumps(
            {
                "seconds": best,
                "importance": {d: float(values[d]) for d in drivers},
                "version": version,
                "numpy": np.__version__,
                "pandas": pd.__version__,
            }
        )
    )


# --- the parent's side: runs in .venv ---------------------------------------------------------


def peer_python() -> tuple[Path | None, str]:
    """``.venv-peer``'s python, built from ``peer-requirements.txt`` if missing or stale, or
    ``None`` and why not."""
    python = PEER_VENV / "bin" / "python"
    wanted = PEER_REQUIREMENTS.read_text()
    if python.exists() and PEER_STAMP.exists() and PEER_STAMP.read_text() == wanted:
        return python, "reused"
    print(f"building {PEER_VENV.name} from {PEER_REQUIREMENTS.relative_to(ROOT)} …", flush=True)
    steps = [
        ["python3", "-m", "venv", "--clear", str(PEER_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(PEER_REQUIREMENTS)],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{' '.join(step[:3])}: {error}"
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
            return None, f"{' '.join(step[:4])} failed: {last[0]}"
    check = subprocess.run(
        [str(python), "-c", "from dominance_analysis import Dominance"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        last = check.stderr.strip().splitlines()[-1:] or ["(no output)"]
        return None, f"dominance_analysis does not import in {PEER_VENV.name}: {last[0]}"
    PEER_STAMP.write_text(wanted)
    return python, "built"


def run_peer(python: Path, df, repeat: int, timeout: float) -> dict | None:
    """The peer's JSON for ``df``, or ``None`` if it ran past ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.npz"
        columns = np.array([str(c) for c in df.columns], dtype=str)  # no pickled objects
        np.savez(path, data=df.to_numpy(dtype=np.float64), columns=columns)
        command = [str(python), __file__, "--peer", str(path), "--repeat", str(repeat)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, cwd=tmp
            )
        except subprocess.TimeoutExpired:
            return None
    if done.returncode != 0:
        sys.exit(f"peer failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="drivers")
    parser.add_argument(
        "--peer-timeout",
        type=float,
        default=180.0,
        help="seconds before a dominance-analysis run is stopped and 2 fewer drivers tried",
    )
    parser.add_argument(
        "--fallback-timeout",
        type=float,
        default=600.0,
        help="seconds allowed to the run with 2 fewer drivers",
    )
    parser.add_argument("--peer", metavar="NPZ", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(args.peer, args.repeat)
        return

    import nps

    python, how = peer_python()
    if python is None:
        print(f"dominance-analysis unavailable ({how});")
        print("falling back to the numpy all-subsets LMG as the peer")
        name = "numpy LMG"
    else:
        probe = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m, numpy, pandas;"
             "print(m.version('dominance-analysis'), numpy.__version__, pandas.__version__)"],
            capture_output=True,
            text=True,
        )
        da, np_v, pd_v = probe.stdout.split()
        print(
            f"peer: dominance-analysis {da} in {PEER_VENV.name} ({how}; numpy {np_v}, "
            f"pandas {pd_v}), Dominance(objective=1, top_k=p).incremental_rsquare(), "
            f"in a subprocess"
        )
        name = "dom-an"
    print(
        f"exact shapley (LMG), n = {N}; nps best of {args.repeat}, peer best of {args.repeat} "
        f"(once if a run exceeds {SLOW_RUN:.0f} s); nps {nps.__version__}, numpy {np.__version__}"
    )
    print(f"{'drivers':>8} {'nps (s)':>10} {name + ' (s)':>15} {'ratio':>9} {'max |diff|':>11}")
    sizes = [(p, args.peer_timeout) for p in args.sizes]
    notes = []
    while sizes:
        p, timeout = sizes.pop(0)
        df = survey(N, p)
        drivers = [c for c in df.columns if c != "ltr"]
        t_nps, ours = best_of(
            args.repeat, lambda: nps.drivers(df, "ltr", drivers, method="shapley")
        )
        ours_imp = ours["importance"].to_numpy()
        if python is None:
            t_peer, theirs = best_of(args.repeat, lambda: numpy_lmg(df, "ltr", drivers))
        else:
            result = run_peer(python, df, args.repeat, timeout)
            if result is None:
                limit = timeout
                print(
                    f"{p:>8} {t_nps:>10.4f} {'>' + format(limit, '.0f'):>15} "
                    f"{'>' + format(limit / t_nps, '.0f') + 'x':>9} {'-':>11}"
                )
                notes.append(
                    f"dominance-analysis at {p} drivers was stopped after {limit:.0f} s"
                    + (f"; ran {p - 2} drivers instead" if p - 2 not in args.sizes else "")
                )
                if p - 2 not in args.sizes and p - 2 > 1:
                    sizes.insert(0, (p - 2, max(timeout, args.fallback_timeout)))
                continue
            t_peer = result["seconds"]
            theirs = np.array([result["importance"][d] for d in ours["driver"]])
        diff = float(np.max(np.abs(ours_imp - theirs)))
        ratio = t_peer / t_nps
        ratio_text = f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"
        print(f"{p:>8} {t_nps:>10.4f} {t_peer:>15.4f} {ratio_text:>9} {diff:>11.2e}")
        assert diff < TOLERANCE, f"{p} drivers: importances differ by {diff}"
        assert abs(ours.attrs["r2"] - theirs.sum()) < TOLERANCE
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
