"""Times `nps.by` on a pandas DataFrame against the same call in Rust, in the same run.

Target (issue: the analyst's experience): the Python layer adds no per-row Python work, so
`nps.by` on a 10^7-row DataFrame with three categorical columns stays within 1.5x of the same
call in Rust. The Rust figure comes from `examples/rust/by_columns.rs` (built and run here with
cargo): the response table built from a `u8` score column and three columns of per-row codes
(borrowed and converted by `Dimension::from_codes`, as nps-py does with pandas' codes; and, for
comparison, moved in without a copy), then `group_by` on the three dimensions with the Wald
interval. The Python figure is `nps.by(df, keys)` from the DataFrame: the columns handed to the
core as they are (pandas' int8 codes, uint8 scores) and converted into a table, the group-by,
and the result as a pandas DataFrame. Both are the best of 5 runs on the same data shape (10
levels per dimension, 1,000 groups, the same score distribution). The moved figure skips the
allocation of the table's columns (3 x 40 MB): Python cannot hand numpy's memory over.

Run with `.venv/bin/python benches/compare_by_rust.py` (or `make bench`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

import nps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_pandas_groupby import KEYS, LEVELS, N, REPEATS, best, frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rust(rows: int) -> dict[str, float]:
    """The Rust example's best-of-5 timings (it builds in release mode first)."""
    command = ["cargo", "run", "--release", "--quiet", "-p", "nps-core"]
    command += ["--example", "by_columns", "--", str(rows)]
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    df = frame(np.random.default_rng(2024))
    print(f"nps.by on a DataFrame vs the same call in Rust: {N:,} responses, 3 categorical "
          f"dimensions x {LEVELS} levels ({LEVELS**3:,} groups), uint8 scores, Wald interval; "
          f"best of {REPEATS}\n")  # fmt: skip
    result = nps.by(df, KEYS, method="wald")
    assert len(result) == LEVELS**3 and result["n"].sum() == N
    t_python = best(lambda: nps.by(df, KEYS, method="wald"))
    t_table = best(lambda: nps.Table.from_frame(df, "ltr", dimensions=KEYS))
    r = rust(N)
    assert r["groups"] == LEVELS**3, r
    t_rust, t_moved = r["total_ms"] / 1e3, r["moved_total_ms"] / 1e3
    print(f"  Rust: Table from columns + group_by  {t_rust * 1e3:7.1f} ms "
          f"(of which the table {r['build_ms']:.1f} ms; codes converted)")  # fmt: skip
    print(f"        the code columns moved in      {t_moved * 1e3:7.1f} ms "
          f"(of which the table {r['moved_build_ms']:.1f} ms)")  # fmt: skip
    print(f"  Python: nps.by(df, 3 keys)           {t_python * 1e3:7.1f} ms "
          f"(of which the table {t_table * 1e3:.1f} ms)")  # fmt: skip
    print(f"  ratio Python / Rust (borrowed)       {t_python / t_rust:7.2f} x   (target <= 1.5x)")
    print(f"  ratio Python / Rust (moved)          {t_python / t_moved:7.2f} x")

if __name__ == "__main__":
    main()
