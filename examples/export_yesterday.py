"""Writes examples/data/tnps_yesterday.csv: the last day of the insurer's closed-loop data
(`insurer.closed_loop()`, during the planted app outage) as a call-centre CSV export, the input of
examples/c/callbacks.c. Run with `.venv/bin/python examples/export_yesterday.py`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import insurer

OUT = Path(__file__).resolve().parent / "data" / "tnps_yesterday.csv"


def main() -> None:
    loop = insurer.closed_loop()
    last = loop["at"].max().normalize()
    day = loop[loop["at"] >= last].copy()
    day["at"] = day["at"].astype("datetime64[s]").astype(np.int64)  # seconds since 1970, UTC
    day = day.rename(columns={"ltr": "score"})
    day.to_csv(OUT, index=False, float_format="%g", encoding="utf-8")
    print(f"{OUT}: {len(day)} responses of {last.date()}")


if __name__ == "__main__":
    main()
