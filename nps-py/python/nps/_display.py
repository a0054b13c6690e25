"""How results look: the HTML a notebook shows (``_repr_html_``) and ``to_pandas``, for every
result object, in one place.

The compiled classes (``nps.Estimate``, ``nps.Comparison``, ``nps.Tally``, ``nps.Scale``,
``nps.Journey``, ``nps.AlertPolicy``, ``nps.AlertQueue``, ``nps.Cube``, ``nps.DriverMoments``)
have thin ``_repr_html_`` and ``to_pandas`` methods that call ``html`` and ``frame`` here;
``StudyTrigger``, what ``nps.study_trigger`` returns, is defined here. Every text is escaped (a
journey's names, a group label, a reason come from the data); numbers are rounded for reading
(points to 0.1, shares to 0.1 %), ``to_dict``/``to_pandas`` keep them exact.
pandas is imported only by ``to_pandas``.
"""

from __future__ import annotations

import datetime
import gc
import html as _html
import json
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Union

from . import _nps

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["StudyTrigger", "frame", "html"]

#: The text of one cell: numbers are formatted by the helpers below before they get here.
Cell = Union[str, int]

_LABELS = {"detractor": "贬损者", "passive": "被动者", "promoter": "推荐者"}
_KINDS = {"stage": "阶段", "scene": "场景", "touchpoint": "触点"}


class StudyTrigger(dict[str, Any]):
    """Whether an analytical NPS study (战略NPS) is due, with the evidence: what
    ``nps.study_trigger`` returns.

    The seed's rule: due when transactional NPS (场景NPS, the touchpoint surveys) rises, overall
    or at some touchpoint (slopes adjusted by Benjamini–Hochberg across the touchpoints), while
    relationship NPS (关系NPS) is flat. NPS (净推荐值) = %promoters (推荐者, 9–10) −
    %detractors (贬损者, 0–6); passives (被动者) score 7–8. Each slope is the weighted
    least-squares slope b = Σw(t − t̄)(y − ȳ)/Σw(t − t̄)² of the NPS yₜ over the period
    index t, in points per period.

    A dict (its keys ``due``, ``reason``, ``transactional``, ``relationship``, ``rising`` and
    ``adjustment`` are also attributes) that renders as a table in Jupyter and converts with
    ``to_pandas`` (one row per survey) and ``to_dict``.

    >>> import pandas as pd, nps
    >>> days = pd.to_datetime(["2024-01-15", "2024-04-15", "2024-07-15"]).repeat(200)
    >>> tx = pd.DataFrame({"touchpoint": "claim", "date": days,
    ...                    "ltr": [10] * 60 + [0] * 140 + [10] * 100 + [0] * 100
    ...                           + [10] * 140 + [0] * 60})
    >>> s = nps.study_trigger(tx, tx.assign(ltr=[10, 0] * 300))
    >>> s.due, s["rising"], round(s.transactional["per_period"], 1)
    (True, ['claim'], 40.0)
    >>> s.to_pandas()[["survey", "per_period", "direction"]].round(1)
              survey  per_period direction
    0  transactional        40.0    rising
    1   relationship         0.0      flat
    """

    @property
    def due(self) -> bool:
        """Whether the analytical study is due."""
        return bool(self["due"])

    @property
    def reason(self) -> str:
        """The verdict with its numbers, in a sentence."""
        return str(self["reason"])

    @property
    def transactional(self) -> dict[str, Any] | None:
        """The overall transactional slope (场景NPS): ``per_period``, ``se``, ``low``, ``high``,
        ``p_value``, ``q_value``, ``direction``, ``periods``; None with fewer than two periods
        with answers."""
        slope: dict[str, Any] | None = self["transactional"]
        return slope

    @property
    def relationship(self) -> dict[str, Any] | None:
        """The relationship slope (关系NPS), as ``transactional``."""
        slope: dict[str, Any] | None = self["relationship"]
        return slope

    @property
    def rising(self) -> list[Any]:
        """The groups whose transactional NPS rises: values of ``by`` (tuples for several
        columns)."""
        return list(self["rising"])

    @property
    def adjustment(self) -> dict[str, Any]:
        """How the group slopes were adjusted: ``method``, ``rate``, ``tests``."""
        adjustment: dict[str, Any] = self["adjustment"]
        return adjustment

    def to_dict(self) -> dict[str, Any]:
        """The result as a plain dict (the keys above).

        >>> import pandas as pd, nps
        >>> days = pd.to_datetime(["2024-01-15", "2024-04-15"]).repeat(2)
        >>> df = pd.DataFrame({"touchpoint": "web", "date": days, "ltr": [10, 0, 10, 0]})
        >>> sorted(nps.study_trigger(df, df).to_dict())
        ['adjustment', 'due', 'reason', 'relationship', 'rising', 'transactional']
        """
        return dict(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per survey (``transactional``, ``relationship``) with its slope's columns
        (``per_period``, ``se``, ``low``, ``high``, ``p_value``, ``q_value``, ``direction``,
        ``periods``; NaN and None without a slope); ``attrs`` holds ``due``, ``reason``,
        ``rising`` and ``adjustment``. Needs pandas.

        >>> import pandas as pd, nps
        >>> days = pd.to_datetime(["2024-01-15", "2024-04-15"]).repeat(2)
        >>> df = pd.DataFrame({"touchpoint": "web", "date": days, "ltr": [10, 0, 10, 0]})
        >>> f = nps.study_trigger(df, df).to_pandas()
        >>> list(f["survey"]), f.attrs["due"]
        (['transactional', 'relationship'], False)
        """
        return frame(self)

    def _repr_html_(self) -> str:
        return html(self)


StudyTrigger.__module__ = "nps"  # as the compiled classes: nps.StudyTrigger (pickles by it)


# --- HTML ------------------------------------------------------------------------------------


def html(result: Any) -> str:
    """The HTML table of a result object (``_repr_html_``)."""
    render = _RENDER.get(type(result))
    if render is None:
        raise TypeError(f"no HTML view of {type(result).__name__}")
    return render[0](result)


def _table(caption: str, rows: Sequence[Sequence[Cell]], head: Sequence[Cell] = ()) -> str:
    """An HTML table: a caption, an optional header row, rows whose first cell is a header
    cell; every text escaped."""
    out = ['<table class="nps-result">', f"<caption>{_escape(caption)}</caption>"]
    if head:
        cells = "".join(f"<th>{_escape(c)}</th>" for c in head)
        out.append(f"<thead><tr>{cells}</tr></thead>")
    out.append("<tbody>")
    for first, *rest in rows:
        cells = "".join(f"<td>{_escape(c)}</td>" for c in rest)
        out.append(f'<tr><th style="text-align: left">{_escape(first)}</th>{cells}</tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _escape(cell: Cell) -> str:
    return _html.escape(str(cell), quote=True)


def _number(x: float, digits: int = 1, sign: bool = False) -> str:
    """``x`` rounded to ``digits`` decimals; "–" for NaN, "∞" for infinities."""
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def _interval(low: float, high: float, digits: int = 1) -> str:
    return f"[{_number(low, digits)}, {_number(high, digits)}]"


def _share(x: float) -> str:
    return "–" if math.isnan(x) else f"{100.0 * x:.1f} %"


def _count(n: int) -> str:
    return f"{n:,}"


def _p(p: float) -> str:
    return "< 0.0001" if p < 1e-4 else _number(p, 4)


def _level(level: float) -> str:
    return f"{100.0 * level:g} %"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _estimate_html(e: _nps.Estimate) -> str:
    rows: list[list[Cell]] = [
        ["NPS (净推荐值)", _number(e.nps)],
        [f"{_level(e.level)} interval ({e.method})", _interval(e.low, e.high)],
        ["standard error", _number(e.se, 2)],
        ["answered (n)", _count(e.n)],
        ["missing", _count(e.n_missing)],
        ["promoters (推荐者)", _share(e.promoters)],
        ["passives (被动者)", _share(e.passives)],
        ["detractors (贬损者)", _share(e.detractors)],
    ]
    if e.weighted:
        rows += [
            ["effective n (Kish)", _number(e.n_eff)],
            ["design effect", _number(e.design_effect, 2)],
        ]
    caption = f"nps.Estimate: NPS {_number(e.nps)} {_interval(e.low, e.high)}, n = {_count(e.n)}"
    return _table(caption, rows)


def _comparison_html(c: _nps.Comparison) -> str:
    significant = c.p_value < 1.0 - c.level
    rows: list[list[Cell]] = [
        ["difference (a − b)", _number(c.difference, sign=True)],
        [f"{_level(c.level)} interval ({c.method})", _interval(c.low, c.high)],
        ["NPS a (净推荐值)", _number(c.nps_a)],
        ["NPS b", _number(c.nps_b)],
        ["standard error", _number(c.se, 2)],
        ["z", _number(c.z, 2)],
        ["p-value (two-sided)", _p(c.p_value)],
        [f"significant at {_level(c.level)}", _yes(significant)],
    ]
    caption = (
        f"nps.Comparison: {_number(c.difference, sign=True)} points "
        f"{_interval(c.low, c.high)}, p = {_p(c.p_value)}"
    )
    return _table(caption, rows)


def _scale_text(s: _nps.Scale) -> str:
    passives = _passives(s)
    return (
        f"{s.min}–{s.max}: detractors {_range(s.min, s.detractor_max)}"
        f"{'' if passives == 'none' else ', passives ' + passives}, "
        f"promoters {_range(s.promoter_min, s.max)}"
    )


def _passives(s: _nps.Scale) -> str:
    """The passive scores ("7–8"), or "none" when the cut-points are adjacent."""
    if s.promoter_min - s.detractor_max == 1:
        return "none"
    return _range(s.detractor_max + 1, s.promoter_min - 1)


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _tally_html(t: _nps.Tally) -> str:
    rows: list[list[Cell]] = [["answered (n)", _count(t.n)], ["missing", _count(t.n_missing)]]
    if t.n > 0:
        rows += [
            ["NPS (净推荐值)", _number(t.nps)],
            ["standard error", _number(t.se, 2)],
            ["promoters (推荐者)", _share(t.promoters)],
            ["passives (被动者)", _share(t.passives)],
            ["detractors (贬损者)", _share(t.detractors)],
        ]
        if t.weighted:
            rows += [
                ["effective n (Kish)", _number(t.n_eff)],
                ["design effect", _number(t.design_effect, 2)],
            ]
    rows += [["weighted", _yes(t.weighted)], ["scale", _scale_text(t.scale)]]
    nps_text = f"NPS {_number(t.nps)}, " if t.n > 0 else ""
    summary = _table(f"nps.Tally: {nps_text}n = {_count(t.n)}", rows)
    scores = range(t.scale.min, t.scale.max + 1)
    counts = _table(
        "answers per score",
        [["count", *(_count(t.counts[s]) for s in scores)]],
        head=["score", *scores],
    )
    return summary + "\n" + counts


def _scale_html(s: _nps.Scale) -> str:
    rows: list[list[Cell]] = [
        [f"detractors ({_LABELS['detractor']})", _range(s.min, s.detractor_max)],
        [f"passives ({_LABELS['passive']})", _passives(s)],
        [f"promoters ({_LABELS['promoter']})", _range(s.promoter_min, s.max)],
    ]
    return _table(f"nps.Scale: {s.min}–{s.max}", rows)


def _journey_html(j: _nps.Journey) -> str:
    depth = {"stage": 0, "scene": 1, "touchpoint": 2}
    rows: list[list[Cell]] = [
        [
            "\u00a0\u00a0\u00a0\u00a0" * depth[n["kind"]] + str(n["name"]),
            f"{n['kind']} ({_KINDS[n['kind']]})",
            str(n["id"]),
        ]
        for n in j.nodes
    ]
    sizes = [(sum(n["kind"] == kind for n in j.nodes), kind) for kind in _KINDS]
    counted = ", ".join(f"{k} {kind}{'' if k == 1 else 's'}" for k, kind in sizes)
    caption = f"nps.Journey (客户旅程): {counted}"
    return _table(caption, rows, head=["name", "kind", "id"])


_SURVEYS = {"transactional": "场景NPS", "relationship": "关系NPS"}


def _trigger_html(s: StudyTrigger) -> str:
    caption = "nps.study_trigger: analytical study (战略NPS) " + ("due" if s.due else "not due")
    head = ["survey", "slope (points per period)", "interval", "p", "q", "direction", "periods"]
    rows: list[list[Cell]] = []
    for survey, term in _SURVEYS.items():
        b = s[survey]
        label = f"{survey} ({term})"
        if b is None:
            rows.append([label, "–", "–", "–", "–", "no slope", "< 2"])
        else:
            rows.append([
                label, _number(b["per_period"], 2, sign=True), _interval(b["low"], b["high"], 2),
                _p(b["p_value"]), _p(b["q_value"]), str(b["direction"]), b["periods"],
            ])  # fmt: skip
    slopes = _table(caption, rows, head=head)
    rising = ", ".join(_label(g) for g in s.rising) or "none"
    verdict = _table("evidence", [["verdict", s.reason], ["rising groups", rising]])
    return slopes + "\n" + verdict


def _label(group: Any) -> str:
    """A group label: the value, or the values of a tuple joined by " / "."""
    if isinstance(group, tuple):
        return " / ".join("NA" if v is None else str(v) for v in group)
    return "NA" if group is None else str(group)


_QUEUE_ROWS = 20  # alerts shown in a queue's HTML view


def _when(seconds: int) -> str:
    """A time in seconds since 1970-01-01 as "2025-03-01 09:00" (UTC)."""
    try:
        t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=int(seconds))
    except OverflowError:
        return str(seconds)
    return t.strftime("%Y-%m-%d %H:%M")


def _hours(h: float) -> str:
    return f"{h:g} h"


def _policy_html(p: _nps.AlertPolicy) -> str:
    spec = p.to_dict()
    departments: dict[str, str] = spec.get("departments", {})
    default = spec.get("default_owner")
    rows: list[list[Cell]] = []
    for rule in spec["rules"]:
        owner = rule.get("owner")
        if owner is None:  # the touchpoint's department, else the default owner
            owner = "touchpoint's department" if departments else str(default)
            if departments and default is not None:
                owner += f", else {default}"
        when = json.dumps(rule["when"], ensure_ascii=False, separators=(", ", ": "))
        rows.append([rule["name"], rule["priority"], owner, _hours(rule["service_level_hours"]),
                     when])  # fmt: skip
    window = spec.get("merge_window_hours", 0.0)
    merging = f"merge window {_hours(window)}" if window > 0 else "no merging"
    n = len(rows)
    caption = f"nps.AlertPolicy (闭环 closed loop): {n} rule{'' if n == 1 else 's'}, {merging}"
    out = _table(caption, rows, head=["rule", "priority", "owner", "service level", "when"])
    if departments or default is not None:
        owners: list[list[Cell]] = [[t, o] for t, o in departments.items()]
        if default is not None:
            owners.append(["(default owner)", str(default)])
        out += "\n" + _table("owners by touchpoint (触点)", owners, head=["touchpoint", "owner"])
    return out


def _queue_html(q: _nps.AlertQueue) -> str:
    c = q._columns()
    n = len(q)
    by_priority: dict[int, int] = {}
    for p in c["priority"].tolist():
        by_priority[p] = by_priority.get(p, 0) + 1
    counted = ", ".join(f"priority {p}: {k}" for p, k in sorted(by_priority.items())) or "none"
    caption = f"nps.AlertQueue (回访 call-back queue): {_count(n)} alert{'' if n == 1 else 's'}"
    caption += f" ({counted})" if n else ""
    head = ["id", "priority", "owner", "customer", "touchpoint", "score", "created (UTC)",
            "due (UTC)", "rules", "merged"]  # fmt: skip
    rows: list[list[Cell]] = []
    for i in range(min(n, _QUEUE_ROWS)):
        score = c["score"][i]
        rows.append([
            int(c["id"][i]), int(c["priority"][i]), c["owner"][i], c["customer"][i],
            "–" if c["touchpoint"][i] is None else c["touchpoint"][i],
            "–" if math.isnan(score) else int(score),
            _when(c["created_at"][i]), _when(c["due_at"][i]), ", ".join(c["rules"][i]),
            int(c["merged"][i]),
        ])  # fmt: skip
    if n > _QUEUE_ROWS:
        rows.append([f"… {_count(n - _QUEUE_ROWS)} more", *[""] * (len(head) - 1)])
    return _table(caption, rows, head=head)


# --- DataFrames ------------------------------------------------------------------------------


def frame(result: Any) -> pd.DataFrame:
    """The DataFrame of a result object (``to_pandas``)."""
    render = _RENDER.get(type(result))
    if render is None:
        raise TypeError(f"no DataFrame of {type(result).__name__}")
    return render[1](result)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "to_pandas needs pandas, which is not installed: pip install 'nps[pandas]'"
        ) from e
    return pandas


def _one_row(result: Any) -> pd.DataFrame:
    """One row: the result's ``to_dict``."""
    f: pd.DataFrame = _pandas().DataFrame([result.to_dict()])
    return f


def _tally_frame(t: _nps.Tally) -> pd.DataFrame:
    s = t.scale
    scores = list(range(s.min, s.max + 1))
    category = [
        "detractor" if x <= s.detractor_max else "promoter" if x >= s.promoter_min else "passive"
        for x in scores
    ]
    f: pd.DataFrame = _pandas().DataFrame(
        {"score": scores, "category": category, "count": [t.counts[x] for x in scores]}
    )
    f.attrs.update({"n": t.n, "n_missing": t.n_missing, "weighted": t.weighted})
    return f


def _journey_frame(j: _nps.Journey) -> pd.DataFrame:
    f: pd.DataFrame = _pandas().DataFrame(j.nodes, columns=["id", "name", "kind", "parent"])
    return f


_SLOPE = ["per_period", "se", "low", "high", "p_value", "q_value", "direction", "periods"]


def _trigger_frame(s: StudyTrigger) -> pd.DataFrame:
    pandas = _pandas()
    rows = []
    for survey in _SURVEYS:
        b = s[survey] or {}
        row: dict[str, Any] = {"survey": survey}
        for key in _SLOPE:
            row[key] = b.get(key, None if key == "direction" else math.nan)
        rows.append(row)
    f: pd.DataFrame = pandas.DataFrame(rows, columns=["survey", *_SLOPE])
    f["periods"] = pandas.array(f["periods"], dtype="Int64")
    f.attrs.update(
        {"due": s.due, "reason": s.reason, "rising": s.rising, "adjustment": s.adjustment}
    )
    return f


def _policy_frame(p: _nps.AlertPolicy) -> pd.DataFrame:
    rules = p.to_dict()["rules"]
    f: pd.DataFrame = _pandas().DataFrame(
        {
            "name": [r["name"] for r in rules],
            "priority": [r["priority"] for r in rules],
            "owner": [r.get("owner") for r in rules],
            "service_level_hours": [float(r["service_level_hours"]) for r in rules],
            "when": [r["when"] for r in rules],
        }
    )
    return f


def _queue_frame(q: _nps.AlertQueue) -> pd.DataFrame:
    pandas = _pandas()
    # Two small lists per alert (rules, responses), none in a cycle: the cyclic collector would
    # rescan them again and again while they are made (4x the time for 300,000 alerts).
    enabled = gc.isenabled()
    gc.disable()
    try:
        c = q._columns()
    finally:
        if enabled:
            gc.enable()
    f: pd.DataFrame = pandas.DataFrame(
        {
            "id": c["id"],
            "customer": pandas.Series(c["customer"], dtype=object),
            "touchpoint": pandas.Series(c["touchpoint"], dtype=object),
            "owner": pandas.Series(c["owner"], dtype=object),
            "priority": c["priority"],
            "created_at": c["created_at"].astype("datetime64[s]"),
            "due_at": c["due_at"].astype("datetime64[s]"),
            "score": pandas.array(c["score"], dtype="Int64"),
            "rules": pandas.Series(c["rules"], dtype=object),
            "merged": c["merged"],
            "responses": pandas.Series(c["responses"], dtype=object),
        }
    )
    return f


#: Combinations a cube's HTML lists before "… and k more".
_CUBE_ROWS = 10


def _cube_html(c: _nps.Cube) -> str:
    total = c.total()
    keys = [*c.keys, *([f"period ({c.period})"] if c.period else [])]
    rows: list[list[Cell]] = [
        ["keys", ", ".join(keys) or "(none)"],
        ["combinations", _count(len(c))],
        ["answered (n)", _count(total.n)],
        ["missing", _count(total.n_missing)],
    ]
    if total.n > 0:
        rows.append(["NPS (净推荐值), all", _number(total.nps)])
    rows.append(["weighted", _yes(total.weighted)])
    out = _table(f"nps.Cube: {len(c):,} combinations, n = {_count(total.n)}", rows)
    cells = c.cells()
    shown: list[list[Cell]] = [
        [" / ".join("(missing)" if v is None else v for v in values) or "(all)",
         _count(t.n), _number(t.nps) if t.n > 0 else "–"]
        for values, t in cells[:_CUBE_ROWS]
    ]  # fmt: skip
    if len(cells) > _CUBE_ROWS:
        shown.append([f"… and {len(cells) - _CUBE_ROWS:,} more", "", ""])
    return out + "\n" + _table("combinations", shown, head=[" / ".join(keys), "n", "NPS"])


def _cube_frame(c: _nps.Cube) -> pd.DataFrame:
    pandas = _pandas()
    total = c.total()
    scores = list(range(total.scale.min, total.scale.max + 1))
    names = [*c.keys, *([c.period] if c.period else [])]  # as nps.by names the columns
    rows = [
        [*values, t.n, t.n_missing, *(t.counts[s] for s in scores)] for values, t in c.cells()
    ]
    f: pd.DataFrame = pandas.DataFrame(rows, columns=[*names, "n", "n_missing", *scores])
    for name in names:
        f[name] = f[name].astype(object)
    f.attrs["weighted"] = total.weighted
    return f


def _moments_html(m: _nps.DriverMoments) -> str:
    rows: list[list[Cell]] = [
        ["outcome", m.outcome],
        ["drivers", _count(len(m.drivers))],
        ["rows used", _count(m.rows)],
        ["missing ratings", m.missing],
    ]
    out = _table(f"nps.DriverMoments (驱动因素): {len(m.drivers)} drivers, {m.rows:,} rows", rows)
    try:
        r = m.correlation()[0][1:]
    except _nps.NpsError as e:  # too few rows or a constant column: say why, show no numbers
        return out + "\n" + _table("correlation with the outcome", [["not available", str(e)]])
    shown: list[list[Cell]] = [[d, _number(x, 3)] for d, x in zip(m.drivers, r)]
    return out + "\n" + _table(f"correlation with {m.outcome}", shown, head=["driver", "r"])


def _moments_frame(m: _nps.DriverMoments) -> pd.DataFrame:
    names = [m.outcome, *m.drivers]
    f: pd.DataFrame = _pandas().DataFrame(m.correlation(), index=names, columns=names)
    f.attrs.update({"rows": m.rows, "missing": m.missing})
    return f


_RENDER: dict[type, tuple[Callable[[Any], str], Callable[[Any], pd.DataFrame]]] = {
    _nps.Estimate: (_estimate_html, _one_row),
    _nps.Comparison: (_comparison_html, _one_row),
    _nps.Tally: (_tally_html, _tally_frame),
    _nps.Scale: (_scale_html, _one_row),
    _nps.Journey: (_journey_html, _journey_frame),
    StudyTrigger: (_trigger_html, _trigger_frame),
    _nps.AlertPolicy: (_policy_html, _policy_frame),
    _nps.AlertQueue: (_queue_html, _queue_frame),
    _nps.Cube: (_cube_html, _cube_frame),
    _nps.DriverMoments: (_moments_html, _moments_frame),
}
