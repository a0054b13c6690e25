"""The main job on the bundled data: NPS of a real survey with every interval method, and per wave.

Data: examples/data/npsgame_garden_centre.csv, a customer survey of a French garden-centre chain
(about 14,000 answers; BenaventC/NPSgame on GitHub, CC0 1.0; Latin-1). See examples/data/README.md.
Run with `make demo`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import nps

DATA = Path(__file__).parent / "data" / "npsgame_garden_centre.csv"
LEVEL = 0.95


def main() -> None:
    df = pd.read_csv(DATA, encoding="latin-1")
    scores = df["nps"]  # likelihood to recommend, 1-10 observed, NA = not answered

    print(f"Garden-centre survey: {len(df):,} rows, column 'nps' ({DATA.name})\n")
    print(f"NPS (净推荐值) with every interval method, {LEVEL:.0%} confidence:")
    print(f"  {'method':<14}{'NPS':>8}{'low':>9}{'high':>9}{'width':>8}")
    for method in nps.METHODS:
        e = nps.score(scores, method=method, level=LEVEL)
        print(f"  {method:<14}{e.nps:8.2f}{e.low:9.2f}{e.high:9.2f}{e.high - e.low:8.2f}")
    e = nps.score(scores, level=LEVEL)
    print(
        f"\n  n = {e.n:,} answered, {e.n_missing:,} missing; promoters (推荐者) {e.promoters:.1%}, "
        f"passives (被动者) {e.passives:.1%}, detractors (贬损者) {e.detractors:.1%}; SE {e.se:.2f} points"
    )
    print("  Published (R package NPS 2.0.999): n = 13,612, NPS = 53.42, Wald 95 % [52.32, 54.51]\n")

    print("Per wave (column t), adjusted Wald interval, each wave against the one before:")
    print(
        f"  {'t':>3}{'n':>7}{'NPS':>8}{'low':>8}{'high':>8}   {'change':>8}{'p':>9}  significant"
    )
    previous: nps.Tally | None = None
    waves = df.dropna(subset=["t"]).astype({"t": int})
    for wave, group in waves.groupby("t", sort=True):
        tally = nps.Tally(group["nps"])
        e = tally.estimate(level=LEVEL)
        line = f"  {wave:>3}{e.n:>7,}{e.nps:8.2f}{e.low:8.2f}{e.high:8.2f}"
        if previous is not None:
            c = nps.compare(tally, previous, level=LEVEL)
            flag = "yes" if c.p_value < 1 - LEVEL else "no"
            line += f"   {c.difference:+8.2f}{c.p_value:9.4f}  {flag}"
        print(line)
        previous = tally
    print(
        "\n  Each test is at the 5 % level on its own; with 17 comparisons about one may flag by "
        "chance (false discovery control across many comparisons comes with the trend analysis)."
    )

    need = nps.sample_size(3.0, level=LEVEL, promoters=e.promoters, detractors=e.detractors)
    print(f"\nPlanning: a wave with ±3 points at {LEVEL:.0%} needs {need:,} answers at these shares.")


if __name__ == "__main__":
    main()
