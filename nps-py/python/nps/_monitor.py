"""Drop detection for transactional NPS (场景NPS) per touchpoint (触点) on DataFrames:
``nps.monitor`` runs a table of responses through a fresh ``nps.Monitor`` (the lower CUSUM of
the core) and returns its alarms.

Columns are converted as for the alerts (``nps._convert``), with numpy, pandas or polars doing
the work: times to ``int64`` seconds, touchpoints dictionary encoded (categories and ``uint32``
codes), scores as for ``nps.score``. The chart runs in Rust with the GIL released
(``nps._nps.monitor_columns``); nothing here loops over responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from . import _convert, _nps
from ._frames import _pandas

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["monitor"]


def monitor(
    df: Any,
    touchpoint: str = "touchpoint",
    score: str = "ltr",
    at: str = "at",
    *,
    arl0: float = 10000.0,
    shift: Optional[float] = 10.0,
    shift_sd: Optional[float] = None,
    warmup: int = 1000,
    level: float = 0.95,
    baseline: Optional[Mapping[str, float]] = None,
    baselines: Optional[Mapping[str, Mapping[str, float]]] = None,
    guarantee: Optional[float] = None,
) -> pd.DataFrame:
    """Alarms of a real drop in transactional NPS (场景NPS) per touchpoint (触点), at a
    false-alarm rate you state: for crisis handling (危机处理), instead of comparing today's NPS
    with yesterday's, which flags noise as often as problems.

    Each touchpoint's responses, in time order, feed a one-sided lower CUSUM (Page 1954;
    Montgomery §9.1). Each answered response is x = −1 (detractor 贬损者, 0–6), 0 (passive
    被动者, 7–8) or +1 (promoter 推荐者, 9–10); with the touchpoint's baseline shares p, d
    (净推荐值 μ₀ = p − d on the −1..1 scale, σ₀² = p + d − (p − d)²):

        z_t = (x_t − μ₀)/σ₀,  C_t = max(0, C_{t−1} − z_t − k),  alarm when C_t > h.

    k = δ/2, half the drop δ to detect fastest (``shift`` NPS points: δ = shift/(100σ₀), or
    ``shift_sd`` standard deviations). h is solved from ``arl0``, the in-control average run
    length ARL₀ in answered responses of one touchpoint, by Siegmund's (1985) approximation
    ARL₀ = (exp(θh′) − 1 − θh′)/(θk) with h′ = h + 1.166 and θ the positive root of
    E[exp(θ(−z − k))] = 1 under the baseline (2k for normal data, exact in the leading term for
    the three-valued scores). The false-alarm rate is nominally 1/ARL₀ per answered response
    of a touchpoint (``attrs["false_alarm_rate"]``): with ARL₀ = 10000 and 400 responses a day
    at a touchpoint, one false alarm in 25 days. The core measured the realised rate within
    ±20 % of it for 5–20-point shifts and a known baseline; a baseline estimated from the
    warm-up raises it (about 1.2× with the default 1000 responses at ARL₀ 1000, 1.7× at 10⁴),
    and only about half the touchpoints then keep the stated rate. ``guarantee=0.9`` fixes
    that: each estimated baseline's threshold is raised so that its in-control ARL reaches
    ARL₀ with probability 0.9 over the estimation error (the bootstrap of Gandy & Kvaløy 2013,
    "Guaranteed conditional performance of control charts via bootstrap methods"; measured:
    85–91 % of touchpoints at or below the stated rate), at the cost of a slower detection (a
    15-point drop after a 1000-response warm-up: about 435 responses instead of 247).

    The baseline of a touchpoint is given (``baselines``, ``baseline``) or estimated from its
    first ``warmup`` answered responses (adjusted-Wald shares), which are not monitored. After
    an alarm the chart restarts (C = 0, same baseline), so a drop that lasts alarms again every
    few dozen responses; the first alarm of a touchpoint is the news. The change point is the
    first response of the run of C > 0 that ended in the alarm (Montgomery §9.1.2), and ``nps``
    is the NPS of that run: a description of the alarm, biased low, not an estimate of the new
    level.

    Parameters
    ----------
    df : pandas or polars DataFrame
        One row per response, in time order (``df.sort_values(at)``; an earlier time than the
        row before raises ``InvalidArgumentError`` naming the row).
    touchpoint : str
        The touchpoint column (missing values: no touchpoint, the row is skipped).
    score : str
        The recommend score column (0–10 on the standard scale; NaN/None/NA = not answered,
        skipped).
    at : str
        The response time column: datetime64 of any unit (naive = UTC; time-zone-aware columns
        are converted to UTC; polars Datetime and Date alike) or integer seconds since
        1970-01-01 UTC; floored to the second. A missing time raises ``nps.InvalidDateError``.
    arl0 : float
        In-control average run length ARL₀ (> 1), answered responses of one touchpoint per
        false alarm (nominal).
    shift : float
        The drop to detect fastest, in NPS points (0–200; default 10).
    shift_sd : float, optional
        The drop in standard deviations σ₀ of one response's score instead (then ``shift`` is
        left at its default).
    warmup : int
        Answered responses (≥ 1) that estimate a touchpoint's baseline when none is given.
    level : float
        Confidence level of the intervals of the alarms.
    baseline : dict, optional
        The baseline of every touchpoint not in ``baselines``: shares ``{"promoters": 0.5,
        "detractors": 0.2}`` or points ``{"nps": 30, "sd": 78.1}`` (the NPS and the standard
        deviation of one response's score, e.g. from last quarter).
    baselines : dict, optional
        Baselines by touchpoint, each as ``baseline``.
    guarantee : float, optional
        For baselines estimated from the warm-up: the probability (0 < g < 1, e.g. 0.9) that
        a touchpoint's false-alarm rate is at most the stated one; None: the nominal
        threshold.

    Returns
    -------
    pandas.DataFrame
        One row per alarm, in the order raised: ``touchpoint``, ``at`` (the alarming
        response's time) and ``change_at`` (the estimated change point's), pandas Timestamps
        (naive, UTC); ``n`` (answered responses since the change point), ``nps``, ``low``,
        ``high`` (their NPS with its adjusted-Wald interval), ``baseline_nps``, ``drop`` =
        nps − baseline_nps, ``drop_low``, ``drop_high`` (the run's interval minus a given
        baseline, or the two-sample interval against the warm-up), ``cusum`` (C at the alarm),
        ``h``; then ``row`` and ``change_row`` (positions in ``df``), ``promoters``,
        ``passives``, ``detractors``, ``k``. ``attrs``: ``false_alarm_rate`` (1/ARL₀),
        ``arl0``, ``shift``, ``shift_sd``, ``warmup``, ``guarantee``, ``level``, ``rows``,
        ``unassigned`` (rows without a touchpoint) and ``touchpoints``: each touchpoint's final
        state as a dict of lists (``pandas.DataFrame(alarms.attrs["touchpoints"])``; keys as
        ``nps.Monitor.states``).

    Errors in a column name the column and the row (0-based), e.g. ``in column "ltr": score at
    index 4 is 11; …``; bad options name the option (``arl0``, ``shift``, ``warmup``,
    ``baseline``); an unknown column raises ``nps.UnknownNameError``.

    >>> import pandas as pd, nps
    >>> usual = [10, 10, 9, 10, 9, 8, 7, 8, 3, 6]    # NPS 30
    >>> outage = [10, 9, 10, 8, 7, 8, 3, 6, 0, 5]    # NPS 0
    >>> app = usual * 100 + outage * 50              # the app breaks after 1000 responses
    >>> df = pd.DataFrame({
    ...     "touchpoint": ["claim.app_upload", "claim.phone"] * 1500,
    ...     "ltr": [s for pair in zip(app, usual * 150) for s in pair],
    ...     "at": pd.date_range("2025-03-01", periods=3000, freq="10min")})
    >>> df.at[2000, "at"]                            # the app's first response after the break
    Timestamp('2025-03-14 21:20:00')
    >>> alarms = nps.monitor(df, warmup=500)
    >>> alarms[["touchpoint", "at", "change_at", "n", "nps"]].head(2).round(1)
             touchpoint                  at           change_at   n   nps
    0  claim.app_upload 2025-03-15 20:20:00 2025-03-14 19:40:00  75 -12.0
    1  claim.app_upload 2025-03-16 22:20:00 2025-03-15 21:40:00  75 -12.0
    >>> alarms.attrs["false_alarm_rate"], alarms.attrs["touchpoints"]["alarms"]  # phone: none
    (0.0001, [6, 0])
    >>> float(alarms.loc[0, "baseline_nps"].round(1)), bool(alarms.loc[0, "drop_high"] < 0)
    (29.8, True)
    """
    names, label = _convert.checked_columns(
        df,
        {
            "touchpoint": ("touchpoint column", touchpoint),
            "score": ("score column", score),
            "at": ("time column", at),
        },
    )
    seconds = _convert.response_times(df, at, label["at"])
    out = _nps.monitor_columns(
        _convert.dimension_codes(df[touchpoint]),
        _convert.scores_array(df[score], label["score"]),
        seconds,
        arl0=arl0,
        shift=shift,
        shift_sd=shift_sd,
        warmup=warmup,
        level=level,
        baseline=baseline,
        baselines=baselines,
        guarantee=guarantee,
        names=names,
    )
    data = dict(out["columns"])
    for key in ("at", "change_at"):
        data[key] = np.asarray(data[key], dtype=np.int64).astype("datetime64[s]").astype(
            "datetime64[ns]"
        )
    frame: pd.DataFrame = _pandas("monitor needs").DataFrame(data)
    frame.attrs.update(out["attrs"])
    return frame
