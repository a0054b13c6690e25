"""The closed loop (闭环) on DataFrames: ``nps.alerts`` (responses → the call-back queue) and
``nps.callback_outcomes`` (call-back records → how the loop performs).

Columns are converted as for tables (``nps._convert``), with numpy, pandas or polars doing the
work: times to ``int64`` seconds, customers and touchpoints dictionary encoded (distinct values
by ``pandas.factorize`` and ``uint32`` codes), scores as for ``nps.score``, comments to a list of
str/None. The rules run in Rust with the GIL released (``nps._nps.alerts_columns``); nothing
here loops over responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn, Optional, Union

import numpy as np

from . import _convert, _nps
from ._frames import _pandas
from ._nps import AlertPolicy, AlertQueue, InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["alerts", "callback_outcomes"]

Policy = Union[AlertPolicy, Mapping[str, Any], str]


def alerts(
    df: Any,
    policy: Policy,
    *,
    at: str = "at",
    customer: str = "customer",
    touchpoint: Optional[str] = "touchpoint",
    score: str = "ltr",
    previous: Optional[str] = None,
    value: Optional[str] = None,
    comment: Optional[str] = None,
) -> AlertQueue:
    """The call-back (回访) queue of a batch of responses: the closed loop (闭环) raises an alert
    for every customer on whose response a rule of ``policy`` fires (a low score, a drop since
    the previous score, a valuable customer, an alarming comment: 危机处理, crisis handling, for
    the worst), with its owner, priority and due time.

    Each response is tested against every rule (all conditions of a rule must hold). When rules
    fire, the response opens an alert, or is merged into its customer's open alert when it
    comes at a time t with t − created_at < merge window. An alert's ``priority`` is the most
    urgent (smallest) of its firings, its ``owner`` that of the first rule with that priority
    (the rule's ``owner``, else the touchpoint's department, else the default owner), and
    due_at = min over its firings of (response time + service level of the rule). The queue is
    sorted by priority, then due time, then id; ids are 1, 2, 3… in the order alerts were opened
    (responses in time order, ties in row order), so the same data always give the same ids.

    Parameters
    ----------
    df : pandas or polars DataFrame
        One row per response, in any order.
    policy : nps.AlertPolicy, dict or JSON text
        The rules (see ``nps.AlertPolicy``); a bad policy raises ``nps.PolicyError``.
    at : str
        The response time column: datetime64 of any unit (naive = UTC; time-zone-aware columns
        are converted to UTC; polars Datetime and Date alike) or integer seconds since
        1970-01-01 UTC; floored to the second. A missing time (NaT) raises
        ``nps.InvalidDateError`` naming the row; other dtypes ``TypeError``.
    customer : str
        The customer to call back (compared as text; a missing value raises
        ``InvalidArgumentError`` naming the row).
    touchpoint : str or None
        The touchpoint (触点) column (missing values: no touchpoint, which matches no
        ``touchpoints`` condition); None for no such column.
    score : str
        The recommend score (0–10; NaN/None/NA = not answered, which matches no score,
        category or drop condition). Detractors (贬损者) score 0–6, passives (被动者) 7–8,
        promoters (推荐者) 9–10 on the standard scale; another scale comes with the policy.
    previous, value : str, optional
        The customer's previous score (for ``drop`` rules: previous − score ≥ drop) and value
        (for ``min_value`` rules), NaN = unknown.
    comment : str, optional
        The free-text comment (for ``keywords`` and ``pattern`` rules). Missing values and
        empty or blank texts (only whitespace) are no comment: they match no keyword or
        pattern, not even a pattern such as ``^$`` that an empty text would match.

    Errors in a column name the column and the row position (0-based), e.g.
    ``in column "ltr": score at index 4 is 11; …``; an unknown column raises
    ``nps.UnknownNameError`` listing the frame's columns.

    Returns
    -------
    nps.AlertQueue
        ``len``, iteration (dicts), ``to_pandas()``, ``to_dict()``; ``responses`` are row
        positions in ``df``. ``nps.Alerter`` gives the same alerts one response at a time.

    >>> import pandas as pd, nps
    >>> policy = {"merge_window_hours": 24,
    ...           "departments": {"claim": "理赔部"}, "default_owner": "客户体验部",
    ...           "rules": [
    ...     {"name": "crisis", "when": {"keywords": ["投诉", "媒体"]}, "priority": 1,
    ...      "owner": "危机处理", "service_level_hours": 2},
    ...     {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
    ...      "service_level_hours": 24}]}
    >>> df = pd.DataFrame({
    ...     "at": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 10:00", "2025-03-01 11:00",
    ...                           "2025-03-02 12:00"]),
    ...     "customer": ["C1", "C2", "C1", "C3"], "touchpoint": ["claim", "app", "claim", "app"],
    ...     "ltr": [4, 10, 3, None], "comment": ["理赔太慢", "很好", "再不处理就投诉", "媒体曝光"]})
    >>> q = nps.alerts(df, policy, comment="comment")
    >>> q.to_pandas()[["id", "customer", "owner", "priority", "due_at", "rules", "merged"]]
       id customer owner  priority              due_at                rules  merged
    0   1       C1  危机处理         1 2025-03-01 13:00:00  [detractor, crisis]       2
    1   2       C3  危机处理         1 2025-03-02 14:00:00             [crisis]       1
    """
    policy = _policy(policy)
    names, label = _convert.checked_columns(
        df,
        {
            "at": ("time column", at),
            "customer": ("customer column", customer),
            "touchpoint": ("touchpoint column", touchpoint),
            "score": ("score column", score),
            "previous": ("previous score column", previous),
            "value": ("value column", value),
            "comment": ("comment column", comment),
        },
        optional=True,
    )
    seconds = _convert.response_times(df, at, label["at"])
    n = len(seconds)
    touchpoints = (
        _convert.factor_codes(df[touchpoint])
        if touchpoint is not None
        else ([], np.full(n, _convert.NA_CODE, dtype=np.uint32))
    )
    return _nps.alerts_columns(
        policy,
        seconds,
        _convert.factor_codes(df[customer]),
        touchpoints,
        _convert.scores_array(df[score], label["score"]),
        None if previous is None else _convert.weights_array(df[previous], label["previous"]),
        None if value is None else _convert.weights_array(df[value], label["value"]),
        None if comment is None else _convert.comments_list(df[comment], label["comment"]),
        names,
    )


def callback_outcomes(
    queue: AlertQueue,
    callbacks: Any,
    *,
    alert: str = "alert",
    contacted_at: Optional[str] = "contacted_at",
    resolved: Optional[str] = "resolved",
    later_score: Optional[str] = "later_score",
    level: float = 0.95,
) -> pd.DataFrame:
    """How the closed loop (闭环) performs: the call-back (回访) records of a queue's alerts,
    overall, per owner and per touchpoint (触点): how many alerts were reached, how many within
    their service level, how fast, how many closed as resolved, and how many detractors
    (贬损者) recovered — from 危机处理 (crisis handling) to the routine call-back.

    Each record names an alert; several records may name one alert (several attempts): it
    counts as contacted at the earliest contact time of its records, as resolved when any
    record says so, with the later score of the last record that has one. Alerts without a
    record count as not contacted, not resolved, with no later score.

    - on-time share = alerts with contacted_at ≤ due_at / all alerts of the row;
    - recovery share = detractor alerts (opening score a detractor) whose later score is
      passive or promoter / detractor alerts with a later score;
    - each share p̂ = k/n with its Wilson (1927) score interval at ``level``, z = z₁₋α/₂:
      (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n) (inside [0, 1], not empty at
      p̂ = 0 or 1; NaN when n = 0);
    - hours to contact: contacted_at − created_at over the contacted alerts, percentiles by
      Hyndman & Fan type 7 (numpy's default): with sorted x₁ ≤ … ≤ xₙ and h = (n − 1)·p + 1,
      Q(p) = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).

    Parameters
    ----------
    queue : nps.AlertQueue
        What ``nps.alerts`` returned (or ``nps.AlertQueue.from_json``).
    callbacks : pandas or polars DataFrame
        One row per call-back record.
    alert : str
        The alert id column (integers); an id the queue does not have raises
        ``nps.UnknownAlertError`` naming the record.
    contacted_at : str or None
        When the customer was reached: datetime64 (any unit; naive = UTC, aware converted) or
        integer seconds since 1970-01-01 UTC; NaT (or NA) = not reached. A contact before the
        alert's creation raises ``InvalidArgumentError`` naming the record. None: no one was
        reached.
    resolved : str or None
        Whether the case was closed as resolved (booleans or 1/0; missing = not resolved);
        None: none was.
    later_score : str or None
        The customer's recommend score after the call-back (e.g. the next tNPS), NaN =
        unknown; a score off the scale raises ``InvalidScoreError`` naming the record.
    level : float
        Confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        The overall row (``by`` "overall", ``name`` "All"), then one per owner (``by``
        "owner"), then one per touchpoint (``by`` "touchpoint"; ``name`` None for alerts
        without one), each sorted by name: ``alerts``, ``contacted``, ``resolved``,
        ``on_time`` (count), ``on_time_share``, ``on_time_low``, ``on_time_high``,
        ``hours_to_contact_p50``, ``hours_to_contact_p90`` (NaN without contacts),
        ``detractors_followed`` (detractor alerts with a later score), ``recovered``,
        ``recovery_share``, ``recovery_low``, ``recovery_high``. ``attrs["level"]``: the
        level.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-03-01 09:00"] * 3),
    ...                    "customer": ["C1", "C2", "C3"], "touchpoint": "claim",
    ...                    "ltr": [2, 5, 6]})
    >>> q = nps.alerts(df, {"default_owner": "回访组", "rules": [{"name": "detractor",
    ...     "when": {"category": ["detractor"]}, "priority": 2, "service_level_hours": 24}]})
    >>> calls = pd.DataFrame({
    ...     "alert": [1, 2, 3],
    ...     "contacted_at": pd.to_datetime(["2025-03-01 11:00", "2025-03-03 09:00", None]),
    ...     "resolved": [True, False, False], "later_score": [9, 4, None]})
    >>> o = nps.callback_outcomes(q, calls)
    >>> o[["by", "name", "alerts", "contacted", "on_time", "recovered"]]
               by   name  alerts  contacted  on_time  recovered
    0     overall    All       3          2        1          1
    1       owner    回访组       3          2        1          1
    2  touchpoint  claim       3          2        1          1
    >>> o[["hours_to_contact_p50", "hours_to_contact_p90"]].iloc[0].tolist()  # 2 h and 48 h
    [25.0, 43.4]
    >>> o[["recovery_share", "detractors_followed"]].iloc[0].tolist()  # 2 → 9 recovered, 5 → 4 not
    [0.5, 2.0]
    >>> o.loc[0, ["on_time_share", "on_time_low", "on_time_high"]].astype(float).round(3).tolist()
    [0.333, 0.061, 0.792]
    """
    if not isinstance(queue, AlertQueue):
        raise TypeError(
            f"queue must be an nps.AlertQueue (from nps.alerts), got {type(queue).__name__}"
        )
    names, label = _convert.checked_columns(
        callbacks,
        {
            "alert": ("alert id column", alert),
            "contacted_at": ("contact time column", contacted_at),
            "resolved": ("resolved column", resolved),
            "later_score": ("later score column", later_score),
        },
        optional=True,
    )

    ids = _alert_ids(callbacks[alert], alert, label["alert"])
    n = len(ids)
    if contacted_at is None:
        contacted = np.full(n, _convert.NAT_SECONDS, dtype=np.int64)
    else:
        contacted, _ = _convert.seconds_array(callbacks[contacted_at], label["contacted_at"])
    flags = (
        np.zeros(n, dtype=bool)
        if resolved is None
        else _convert.flags_array(callbacks[resolved], label["resolved"])
    )
    later = (
        np.full(n, np.nan)
        if later_score is None
        else _convert.weights_array(callbacks[later_score], label["later_score"])
    )
    out = _nps.callback_outcomes_columns(queue, ids, contacted, flags, later, level, names)
    frame: pd.DataFrame = _pandas("callback_outcomes needs").DataFrame(out)
    frame.attrs["level"] = level
    return frame


# ---------------------------------------------------------------------------------------------


def _policy(policy: Policy) -> AlertPolicy:
    return policy if isinstance(policy, AlertPolicy) else AlertPolicy(policy)


def _alert_ids(values: Any, column: str, label: str) -> np.ndarray:
    """Alert ids as uint64: whole numbers ≥ 0. A missing id raises ``InvalidArgumentError``, a
    negative or fractional one ``UnknownAlertError`` (no alert has it), naming the record."""
    array = _convert._numbers(values, label)  # integers or floats (NA, null: NaN)
    if array.dtype.kind == "i" and array.size and int(array.min()) < 0:
        i = int(np.argmax(array < 0))
        _unknown(column, i, str(array[i]))
    if array.dtype.kind == "f":
        missing = np.isnan(array)
        if missing.any():
            i = int(np.argmax(missing))
            raise InvalidArgumentError(
                f"in column {_convert._quoted(column)}: alert id at index {i} is NaN; every "
                "call-back record names its alert"
            )
        bad = (array < 0) | (array != np.floor(array)) | (array >= 2.0**64)
        if bad.any():
            i = int(np.argmax(bad))
            _unknown(column, i, f"{array[i]:g}")
    return np.ascontiguousarray(array, dtype=np.uint64)


def _unknown(column: str, index: int, shown: str) -> NoReturn:
    from ._nps import UnknownAlertError

    raise UnknownAlertError(
        f"in column {_convert._quoted(column)}: call-back record at index {index} refers to "
        f"alert {_convert._quoted(shown)}, which is not in the queue"
    )
