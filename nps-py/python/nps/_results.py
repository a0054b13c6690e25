"""DataFrame results that carry more than one table (imported with pandas, on first use).

``nps.benchmark`` returns the gaps between brands as a DataFrame and, with them, the rising
competitors and the driver means. Those two ride as attributes of a DataFrame subclass
(pandas ``_metadata``), not in ``DataFrame.attrs``: pandas compares ``attrs`` with ``==`` when
it concatenates (printing a truncated frame does), which a DataFrame in ``attrs`` cannot answer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["BenchmarkFrame"]


class BenchmarkFrame(pd.DataFrame):
    """The result of ``nps.benchmark``: a DataFrame of brands per segment (gaps, ranks), with

    - ``gains``: a DataFrame of the competitors whose NPS rises, per segment;
    - ``drivers``: a DataFrame of driver means per brand against the best competitor.

    Both follow the frame through selections and copies; ``to_pandas()`` gives a plain
    DataFrame of the gaps.
    """

    _metadata = ["gains", "drivers"]
    gains: pd.DataFrame
    drivers: pd.DataFrame

    @property
    def _constructor(self) -> Any:
        return BenchmarkFrame

    def to_pandas(self) -> pd.DataFrame:
        """The gaps as a plain pandas DataFrame (``attrs`` kept)."""
        return pd.DataFrame(self)
