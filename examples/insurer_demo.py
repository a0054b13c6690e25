"""The monthly NPS programme of a (synthetic) insurer: where NPS moves and why.

Data: examples/insurer.py generates, with a fixed seed, a relationship survey of the own brand and
two competitors over 8 quarters, and a transactional survey at 15 touchpoints of the journey, with
planted effects. This script runs the analyses of an NPS programme on them and shows that each
planted effect is found. Run with `make demo`.
"""

from __future__ import annotations

import pandas as pd

import insurer
import nps

pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 20)


def section(title: str) -> None:
    print(f"\n== {title} ==")


def main() -> None:
    rel = insurer.relationship()
    tx = insurer.transactional()
    own = rel[rel["brand"] == "Own"]
    print(f"Insurer: relationship survey {len(rel):,} answers (3 brands), "
          f"transactional survey {len(tx):,} answers (15 touchpoints)")

    section("Relationship NPS (关系NPS) by brand and quarter, weighted")
    by = nps.by(rel, ["brand"], weight="weight", date="date", period="quarter", margins=True)
    table = by.pivot_table(index="quarter", columns="brand", values="nps", dropna=False)
    print(table.round(1).to_string())

    section("Own brand: trend by quarter (adjusted Wald; changes and slopes with BH FDR)")
    t = nps.trend(own, date="date", unit="quarter")
    print(t[["period", "n", "nps", "low", "high", "change", "change_q", "change_significant"]]
          .round(3).to_string(index=False))
    s = t.iloc[0]
    print(f"slope {s['slope']:+.2f} points/quarter [{s['slope_low']:+.2f}, {s['slope_high']:+.2f}]"
          f" -> {s['direction']}")

    section("Why did the own brand move from 2024-Q2 to 2024-Q3? (mix / rate, midpoint form)")
    a = nps.attribute(own, ["region", "age_band", "product"], date="date", unit="quarter",
                      start="2024-Q2", end="2024-Q3")
    change = a.attrs["change"]
    print(f"change {change['difference']:+.1f} points (p = {change['p_value']:.3g})")
    print(a[a["dimension"] == "region"][
        ["segment", "share_from", "share_to", "nps_from", "nps_to", "mix", "rate",
         "contribution", "low", "high"]].round(2).to_string(index=False))

    section("Against competitors: gaps per age band (own − competitor), and who is gaining")
    b = nps.benchmark(rel, brand="brand", own="Own", by=["age_band"], date="date", unit="quarter",
                      drivers=list(insurer.DRIVERS))
    print(b[["dimension", "segment", "brand", "nps", "rank", "gap", "gap_q", "gap_significant"]]
          .round(3).to_string(index=False))
    print("\ngains (competitor NPS rising, BH-adjusted over every brand x segment trend):")
    print(b.gains.round(3).to_string(index=False))
    print("\ndriver means, own brand vs the best competitor:")
    d = b.drivers
    print(d[d["brand"] == "Own"][["driver", "mean", "low", "high", "best_competitor",
                                   "gap_to_best", "gap_p"]].round(3).to_string(index=False))

    section("Which experiences drive the own brand's recommend score? (Shapley value / LMG)")
    d = nps.drivers(own, target="ltr", drivers=list(insurer.DRIVERS), method="shapley")
    print(f"R² = {d.attrs['r2']:.3f}, n = {d.attrs['n']:,} complete rows")
    print(d[["driver", "importance", "share", "sign"]].round(3).to_string(index=False))

    section("What to fix first (改善优先排序): importance × performance, own brand against Rival A")
    p = nps.priorities(rel, target="ltr", drivers=list(insurer.DRIVERS), method="johnson",
                       focus=("brand", "Own"), reference=("brand", "Rival A"),
                       replicates=200, seed=7)
    print(p[["driver", "share", "performance", "reference", "gap", "gap_q", "quadrant",
             "p_improve_now", "action_rank"]].round(3).to_string(index=False))

    section("Transactional NPS (场景NPS) along the journey")
    j = nps.journey(tx, insurer.journey(), touchpoint="touchpoint")
    print(j[["kind", "id", "n", "share", "nps", "low", "high", "small"]]
          .round(3).to_string(index=False))

    section("Is an analytical (战略) study due?")
    trigger = nps.study_trigger(tx, own, by="touchpoint", date="date", unit="quarter")
    print(trigger["reason"])


if __name__ == "__main__":
    main()
