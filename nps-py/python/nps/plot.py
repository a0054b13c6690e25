"""Charts of the tidy results of ``nps`` (matplotlib needed: ``pip install nps[plot]``).

Each function takes the DataFrame that one ``nps`` analysis returns, draws it, and returns a
``matplotlib.figure.Figure``: a new one, or the figure of the ``ax=`` it was asked to draw on.
Only matplotlib's object-oriented API is used (never ``pyplot``), so the functions work headless,
in a web server or a notebook alike; save with ``fig.savefig("chart.png")``.

- ``trend(nps.trend(...))``: NPS (净推荐值) over time, a line per group with its interval band,
  significant period-to-period changes marked, empty periods left as gaps.
- ``categories(nps.by(...))``: promoters (推荐者), passives (被动者) and detractors (贬损者) as
  stacked bars per group, the NPS written by each bar, small groups flagged.
- ``quadrant(nps.priorities(...))``: the improvement-priority matrix (改善优先排序), drivers by
  importance and performance, the cut lines and the four quadrants, labels kept apart.
- ``waterfall(nps.attribute(...))``: from the start NPS to the end NPS through each segment's
  contribution (mix + rate, or the two apart).
- ``journey(nps.journey(...))``: a heatmap of transactional NPS (场景NPS) per stage (阶段) and
  touchpoint (触点), small cells marked.

Chinese text: the quadrant names are written in English with the Chinese term ("Improve now
立即改善") when matplotlib knows a font with those glyphs (Noto Sans CJK, Source Han Sans,
WenQuanYi, SimHei, Microsoft YaHei, PingFang…; any installed font that has them is found), and
in English only otherwise, so that no missing-glyph warning is raised; ``chinese=True`` or
``False`` forces the choice. Any other text with CJK characters (a brand or driver named in
Chinese) is drawn with that font too when there is one.

>>> import pandas as pd, nps, nps.plot
>>> df = pd.DataFrame({"brand": ["A"] * 4 + ["B"] * 4, "ltr": [10, 9, 7, 3, 9, 8, 6, 2]})
>>> fig = nps.plot.categories(nps.by(df, "brand"))
>>> fig.axes[0].get_title()
'Promoters, passives and detractors'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np

try:
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.colors import CenteredNorm
    from matplotlib.figure import Figure, SubFigure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.text import Text
    from matplotlib.ticker import PercentFormatter
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nps.plot needs matplotlib (3.7 or later), an optional dependency: "
        "pip install nps[plot]"
    ) from error

try:
    import pandas as pd
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "nps.plot draws the pandas DataFrames of nps.by, nps.trend, ...: pip install pandas"
    ) from error

from ._nps import InvalidArgumentError

__all__ = ["categories", "journey", "quadrant", "trend", "waterfall"]

PROMOTER_COLOR = "#2e7d32"
PASSIVE_COLOR = "#bdbdbd"
DETRACTOR_COLOR = "#c62828"
NEUTRAL_COLOR = "#4a6fa5"

#: The quadrants of ``nps.priorities``: value of the ``quadrant`` column -> (English, Chinese).
QUADRANTS: dict[str, tuple[str, str]] = {
    "improve_now": ("Improve now", "立即改善"),
    "exceed": ("Exceed", "超越自我"),
    "maintain": ("Maintain", "维持现状"),
    "low_priority": ("Low priority", "低优先级"),
}
_QUADRANT_COLORS = {
    "improve_now": "#c62828",
    "exceed": "#2e7d32",
    "maintain": "#1565c0",
    "low_priority": "#757575",
}
# Where each quadrant's name goes, in axes coordinates: importance on x, performance on y.
_QUADRANT_CORNERS: dict[str, tuple[float, float, Literal["left", "right"], str]] = {
    "improve_now": (0.99, 0.01, "right", "bottom"),  # important, performing badly
    "exceed": (0.99, 0.99, "right", "top"),  # important, performing well
    "maintain": (0.01, 0.99, "left", "top"),  # less important, performing well
    "low_priority": (0.01, 0.01, "left", "bottom"),  # less important, performing badly
}
# Families tried first when looking for Chinese glyphs (then every installed font).
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Arial Unicode MS",
)
_CJK_PROBE = "".join(sorted({c for _, zh in QUADRANTS.values() for c in zh}))


# --- trend -----------------------------------------------------------------------------------


def trend(
    frame: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    bands: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """NPS (净推荐值) over time from ``nps.trend``: a line per group, its interval band, and
    markers on the periods whose change from the previous period is significant after the false
    discovery rate adjustment (``change_significant``: ▲ a rise, ▼ a fall). Empty periods
    (``gap``) are not joined: the line breaks there. Points from fewer than ``min_n`` answers
    (``small``) are drawn hollow.

    Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``nps.trend``: ``period``, ``nps``, ``low``, ``high``, ``gap``,
        ``change``, ``change_significant`` (``start`` and ``small`` used when present).
    by : str or list of str, optional
        The group columns; by default the columns before ``period`` (the ``by`` of
        ``nps.trend``). One line per group, in the frame's order.
    bands : bool
        Shade each point's interval (``low`` .. ``high``).
    title : str, optional
        The axes title (default "NPS by period", with the group columns); "" for none.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One ``Line2D`` per group (labelled with the group; NaN at gaps), interval bands, and
        the significant-change markers as scatter collections with gid ``"significant-rise"``
        and ``"significant-fall"``.

    >>> import pandas as pd, nps, nps.plot
    >>> df = pd.DataFrame({"ltr": [10, 0, 10, 10, 9, 7] * 2, "brand": ["A"] * 6 + ["B"] * 6,
    ...                    "date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02",
    ...                                            "2024-02-09", "2024-04-01", "2024-04-30"] * 2)})
    >>> fig = nps.plot.trend(nps.trend(df, "brand", unit="month"))
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['A', 'B']
    >>> import numpy as np
    >>> [int(np.isfinite(line.get_ydata()).sum()) for line in fig.axes[0].lines]  # March: a gap
    [3, 3]
    """
    _check(frame, ["period", "nps", "low", "high", "gap", "change_significant"], "trend")
    keys = _keys(frame, by, "period")
    fig, ax = _figure(ax, (8.0, 4.5))

    periods = _period_order(frame)
    position = {p: i for i, p in enumerate(periods)}
    x_all = np.arange(len(periods), dtype=float)
    groups = _groups(frame, keys)
    colors = _colors(len(groups))
    rises: list[tuple[float, float, Any]] = []
    falls: list[tuple[float, float, Any]] = []
    small_points: list[tuple[float, float, Any]] = []
    for (label, rows), color in zip(groups, colors):
        y = np.full(len(periods), np.nan)
        low = np.full(len(periods), np.nan)
        high = np.full(len(periods), np.nan)
        index = np.array([position[p] for p in rows["period"]], dtype=int)
        gap = rows["gap"].to_numpy(dtype=bool)
        y[index] = np.where(gap, np.nan, rows["nps"].to_numpy(dtype=float))
        low[index] = np.where(gap, np.nan, rows["low"].to_numpy(dtype=float))
        high[index] = np.where(gap, np.nan, rows["high"].to_numpy(dtype=float))
        ax.plot(x_all, y, marker="o", markersize=4, color=color, label=label, linewidth=1.6)
        if bands:
            ax.fill_between(x_all, low, high, color=color, alpha=0.15, linewidth=0)
        significant = rows["change_significant"].to_numpy(dtype=bool) & ~gap
        change = (
            rows["change"].to_numpy(dtype=float)
            if "change" in rows
            else np.zeros(len(rows), dtype=float)
        )
        for i, sig, c in zip(index, significant, change):
            if sig and math.isfinite(y[i]):
                (rises if c >= 0 else falls).append((float(i), float(y[i]), color))
        if "small" in rows:
            for i, s in zip(index, rows["small"].to_numpy(dtype=bool)):
                if s and math.isfinite(y[i]):
                    small_points.append((float(i), float(y[i]), color))

    handles: list[Any] = list(ax.get_legend_handles_labels()[0])
    if small_points:
        ax.scatter(
            [p[0] for p in small_points], [p[1] for p in small_points], s=22, zorder=3,
            facecolors="white", edgecolors=[p[2] for p in small_points], linewidths=1.2,
            gid="small",
        )  # fmt: skip
        handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                              markeredgecolor="0.3", label="small sample"))  # fmt: skip
    rate = _fdr_rate(frame)
    for points, marker, gid, text in (
        (rises, "^", "significant-rise", "significant rise"),
        (falls, "v", "significant-fall", "significant fall"),
    ):
        if not points:
            continue
        ax.scatter(
            [p[0] for p in points], [p[1] for p in points], marker=marker, s=90, zorder=4,
            c=[p[2] for p in points], edgecolors="black", linewidths=0.8, gid=gid,
        )  # fmt: skip
        handles.append(Line2D([], [], marker=marker, linestyle="", markerfacecolor="0.6",
                              markeredgecolor="black", markersize=9,
                              label=f"{text} (BH FDR {rate})"))  # fmt: skip

    _period_ticks(ax, periods)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_xlabel("period")
    ax.set_ylabel("NPS (points)")
    ax.grid(axis="y", alpha=0.3)
    if title is None:
        title = "NPS by period" + (f" and {', '.join(keys)}" if keys else "")
    _title(ax, title)
    if len(groups) > 1 or len(handles) > len(groups):
        ax.legend(handles=handles, fontsize="small", loc="best", prop=_font_for(handles))
    return fig


# --- categories ------------------------------------------------------------------------------


def categories(
    frame: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    orientation: Literal["horizontal", "vertical"] = "horizontal",
    shares: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Promoters (推荐者), passives (被动者) and detractors (贬损者) as stacked bars per group,
    from ``nps.by``: detractors first (red), passives (grey), promoters (green), each bar adding
    up to 100 %, with the NPS (净推荐值) written next to the bar. Small groups (``small``: fewer
    answers than ``min_n``) are hatched, faded and marked "small" in the text.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``nps.by``: ``promoters``, ``passives``, ``detractors`` (fractions),
        ``nps``; ``n`` and ``small`` used when present.
    by : str or list of str, optional
        The group columns naming the bars; by default the columns before ``n`` (the keys of
        ``nps.by``, period included). Groups in the frame's order, the first at the top.
    orientation : "horizontal" or "vertical"
        Horizontal bars (groups down the y axis) or vertical bars (groups along x).
    shares : bool
        Write each share of at least 8 % inside its segment.
    title : str, optional
        The axes title (default "Promoters, passives and detractors"); "" for none.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        Three bar containers (labels "detractors", "passives", "promoters", one rectangle per
        group each), the NPS texts with gid ``"nps-label"``.

    >>> import pandas as pd, nps, nps.plot
    >>> df = pd.DataFrame({"brand": ["A"] * 4 + ["B"] * 4, "ltr": [10, 9, 7, 3, 9, 8, 6, 2]})
    >>> fig = nps.plot.categories(nps.by(df, "brand"))
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "nps-label"]
    ['NPS +25.0  n=4, small', 'NPS -25.0  n=4, small']
    """
    _check(frame, ["promoters", "passives", "detractors", "nps"], "by")
    if orientation not in ("horizontal", "vertical"):
        raise InvalidArgumentError(
            f'orientation is {orientation!r}; expected "horizontal" or "vertical"'
        )
    keys = _keys(frame, by, "n")
    labels = [_label(row) for row in _key_rows(frame, keys)]
    k = len(frame)
    horizontal = orientation == "horizontal"
    size = (8.0, max(2.5, 0.45 * k + 1.5)) if horizontal else (max(5.0, 0.8 * k + 2.0), 5.0)
    created = ax is None
    fig, ax = _figure(ax, size)

    parts = {
        name: np.nan_to_num(frame[name].to_numpy(dtype=float), nan=0.0)
        for name in ("detractors", "passives", "promoters")
    }
    small = frame["small"].to_numpy(dtype=bool) if "small" in frame else np.zeros(k, dtype=bool)
    counts = frame["n"].to_numpy() if "n" in frame else None
    values = frame["nps"].to_numpy(dtype=float)
    position = np.arange(k, dtype=float)
    bottom = np.zeros(k)
    colors = {"detractors": DETRACTOR_COLOR, "passives": PASSIVE_COLOR, "promoters": PROMOTER_COLOR}
    for name, share in parts.items():
        if horizontal:
            bars = ax.barh(position, share, left=bottom, height=0.7, color=colors[name],
                           label=name, edgecolor="white", linewidth=0.5)  # fmt: skip
        else:
            bars = ax.bar(position, share, bottom=bottom, width=0.7, color=colors[name],
                          label=name, edgecolor="white", linewidth=0.5)  # fmt: skip
        for bar, is_small in zip(bars, small):
            if is_small:
                bar.set_hatch("///")
                bar.set_alpha(0.55)
        if shares:
            for i in range(k):
                if share[i] >= 0.08:
                    middle = bottom[i] + share[i] / 2
                    xy = (middle, position[i]) if horizontal else (position[i], middle)
                    ax.text(*xy, f"{100 * share[i]:.0f}%", ha="center", va="center",
                            fontsize=7, color="white" if name != "passives" else "black",
                            gid="share-label")  # fmt: skip
        bottom = bottom + share

    for i in range(k):
        text = "NPS n/a" if not math.isfinite(values[i]) else f"NPS {values[i]:+.1f}"
        if counts is not None:
            text += f"  n={int(counts[i]):,}"
        if small[i]:
            text += ", small" if counts is not None else "  small"
        if horizontal:
            ax.text(1.01, position[i], text, ha="left", va="center", fontsize=8,
                    gid="nps-label", fontweight="bold" if not small[i] else "normal")  # fmt: skip
        else:
            ax.text(position[i], 1.01, text.replace("  ", "\n"), ha="center", va="bottom",
                    fontsize=8, gid="nps-label", rotation=0,
                    fontweight="bold" if not small[i] else "normal")  # fmt: skip

    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    if horizontal:
        ax.set_yticks(position, labels)
        _cjk_ticklabels(ax.get_yticklabels())
        ax.set_ylim(k - 0.5, -0.5)  # first group on top
        ax.set_xlim(0.0, 1.32)
        ax.set_xticks(ticks)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of answers")
        ax.set_ylabel(" / ".join(keys))
    else:
        ax.set_xticks(position, labels, rotation=30 if k > 6 else 0,
                      ha="right" if k > 6 else "center")  # fmt: skip
        _cjk_ticklabels(ax.get_xticklabels())
        ax.set_xlim(-0.5, k - 0.5)
        ax.set_ylim(0.0, 1.2)
        ax.set_yticks(ticks)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel("share of answers")
        ax.set_xlabel(" / ".join(keys))
    handles: list[Any] = [
        Patch(color=colors[name], label=name) for name in ("detractors", "passives", "promoters")
    ]
    if small.any():
        handles.append(Patch(facecolor="0.85", hatch="///", edgecolor="0.4", label="small group"))
    if created:  # below the axes, outside (constrained layout makes room)
        fig.legend(handles=handles, fontsize="small", ncol=len(handles),
                   loc="outside lower center", frameon=False)  # fmt: skip
    else:
        ax.legend(handles=handles, fontsize="small", loc="best")
    _title(ax, "Promoters, passives and detractors" if title is None else title)
    return fig


# --- quadrant --------------------------------------------------------------------------------


def quadrant(
    frame: pd.DataFrame,
    *,
    kind: str | None = None,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
    chinese: bool | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The improvement-priority matrix (改善优先排序) from ``nps.priorities``: each driver placed
    by its importance (``share``, percent of the explained variance, x) and its performance
    (y), the two cut lines, and the four quadrants named in their corners: improve now (立即改善:
    important, performing badly; bottom right), exceed (超越自我: important, performing well; top
    right), maintain (维持现状: less important, performing well; top left) and low priority
    (低优先级: less important, performing badly; bottom left). Points are coloured by the
    ``quadrant`` column; the driver labels are pushed apart until no two overlap (nor cover a
    quadrant name or another point), with a thin leader line when moved away from the point.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``nps.priorities`` (``driver``, ``share``, ``performance``,
        ``quadrant``), or of ``nps.journey_priorities`` (labelled by ``name``; pick the
        level with ``kind``).
    kind : str, optional
        With ``nps.journey_priorities``: "stage", "scene" or "touchpoint" (needed when the
        frame holds several).
    importance_cut, performance_cut : float, optional
        Where the cut lines go; by default ``frame.attrs`` as ``nps.priorities`` set them, else
        the mean share and the mean performance (the defaults of ``nps.priorities``).
    chinese : bool, optional
        Write the Chinese quadrant terms: by default only when a font with their glyphs is
        installed (see the module docstring); ``False`` English only; ``True`` always (with
        the default font when none is found, matplotlib then warns of missing glyphs).
    title : str, optional
        The axes title (default "Improvement priorities"); "" for none.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The points (a scatter with gid ``"drivers"``), the cut lines (gids ``"importance-cut"``
        and ``"performance-cut"``), the quadrant names (texts with gid ``"quadrant-name"``)
        and one label per driver (texts with gid ``"driver-label"``). The labels are placed
        for the figure's size when drawn (any dpi): draw again after resizing the figure.

    >>> import pandas as pd, nps, nps.plot
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "speed": [5., 4, 2, 4, 3, 5, 1, 3, 4, 3],
    ...                    "price": [3., 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> fig = nps.plot.quadrant(nps.priorities(df), chinese=False)
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid() == "driver-label")
    ['price', 'speed']
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid() == "quadrant-name")
    ['Exceed', 'Improve now', 'Low priority', 'Maintain']
    """
    _check(frame, ["share", "performance", "quadrant"], "priorities")
    label_column = next((c for c in ("driver", "name", "id") if c in frame), None)
    if label_column is None:
        raise InvalidArgumentError(
            "nps.plot.quadrant: the frame has no column 'driver' (nor 'name' or 'id') to label "
            "the points; expected the output of nps.priorities"
        )
    data = frame
    if "kind" in frame:
        kinds = list(dict.fromkeys(frame["kind"]))
        if kind is None and len(kinds) > 1:
            raise InvalidArgumentError(
                f"nps.plot.quadrant: the frame holds several kinds of node {kinds}; "
                'pick one with kind= (e.g. kind="touchpoint")'
            )
        if kind is not None:
            if kind not in kinds:
                raise InvalidArgumentError(
                    f"nps.plot.quadrant: kind is {kind!r}; the frame holds {kinds}"
                )
            data = frame[frame["kind"] == kind]
    elif kind is not None:
        raise InvalidArgumentError(
            "nps.plot.quadrant: kind= is for the output of nps.journey_priorities; the frame "
            "has no column 'kind'"
        )
    share = data["share"].to_numpy(dtype=float)
    perf = data["performance"].to_numpy(dtype=float)
    placed = np.isfinite(share) & np.isfinite(perf)
    if not placed.any():
        raise InvalidArgumentError(
            "nps.plot.quadrant: no row has both a share and a performance to place"
        )
    share, perf = share[placed], perf[placed]
    names = [_text(v) for v in data[label_column].to_numpy()[placed]]
    quads = [str(q) if isinstance(q, str) else "" for q in data["quadrant"].to_numpy()[placed]]

    x_cut = _cut(importance_cut, frame, "importance_cut", share, kind)
    y_cut = _cut(performance_cut, frame, "performance_cut", perf, kind)
    fig, ax = _figure(ax, (8.0, 6.0))

    # Fixed limits (labels move in display space, so the data -> display map must not change).
    x_lo, x_hi = _padded(np.append(share, [x_cut, 0.0]), 0.12)
    y_lo, y_hi = _padded(np.append(perf, y_cut), 0.18)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.axvline(x_cut, color="0.4", linestyle="--", linewidth=1, gid="importance-cut")
    ax.axhline(y_cut, color="0.4", linestyle="--", linewidth=1, gid="performance-cut")
    ax.scatter(share, perf, s=45, zorder=3, gid="drivers",
               c=[_QUADRANT_COLORS.get(q, "0.2") for q in quads],
               edgecolors="white", linewidths=0.6)  # fmt: skip

    use_chinese = _chinese_font() is not None if chinese is None else chinese
    names_font = _cjk_properties() if use_chinese else None
    quadrant_texts = []
    for key, (english, zh) in QUADRANTS.items():
        x, y, ha, va = _QUADRANT_CORNERS[key]
        text = ax.text(x, y, f"{english} {zh}" if use_chinese else english,
                       transform=ax.transAxes, ha=ha, va=va, fontsize=10,
                       fontweight="normal" if use_chinese else "bold",  # CJK fonts: often no bold
                       color=_QUADRANT_COLORS[key], alpha=0.85, gid="quadrant-name",
                       fontproperties=names_font)  # fmt: skip
        text.set_in_layout(False)
        quadrant_texts.append(text)

    labels = []
    for name, x, y in zip(names, share, perf):
        label = ax.text(x, y, name, ha="center", va="center", fontsize=8, zorder=5,
                        gid="driver-label", fontproperties=_font_for([name]),
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.7})  # fmt: skip
        label.set_in_layout(False)
        labels.append(label)

    ax.set_xlabel("importance (share of explained variance, %)")
    ax.set_ylabel("performance")
    _title(ax, "Improvement priorities" if title is None else title)
    _repel_labels(fig, ax, labels, np.column_stack([share, perf]), quadrant_texts)
    return fig


# --- waterfall -------------------------------------------------------------------------------


def waterfall(
    frame: pd.DataFrame,
    *,
    dimension: str | None = None,
    split: bool = False,
    top: int | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Why the NPS (净推荐值) moved, from ``nps.attribute``: a waterfall from the start NPS
    through each segment's contribution to the end NPS, along one dimension. The first bar is
    the start NPS, then one floating bar per segment (green up, red down) starting where the
    previous one ended, and the last bar the end NPS; since mix and rate effects add up to the
    change exactly, the floating bars land on it.

    The start and end NPS are the share-weighted segment NPS (``share_from`` × ``nps_from``,
    ``share_to`` × ``nps_to``); a frame holding only some segments of the dimension uses
    ``frame.attrs["change"]`` instead and shows the rest as "other segments".

    Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``nps.attribute``: ``dimension``, ``segment``, ``share_from``,
        ``share_to``, ``nps_from``, ``nps_to``, ``contribution`` (``mix`` and ``rate`` with
        ``split``).
    dimension : str, optional
        Which dimension's split to draw (default: the frame's first).
    split : bool
        Two bars per segment, its mix effect (hatched) and its rate effect, instead of one
        bar of their sum (``contribution``).
    top : int, optional
        Only the ``top`` segments of largest absolute contribution, the rest as one "other
        segments" bar.
    title : str, optional
        The axes title (default "NPS change by <dimension>: start → end"); "" for none.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One bar container: the start bar, the segment bars, the end bar (its top is the end
        NPS), with the value written by each bar (gid ``"value-label"``).

    >>> import pandas as pd, nps, nps.plot
    >>> df = pd.DataFrame({"wave": ["1"] * 4 + ["2"] * 4,
    ...                    "region": ["N", "N", "S", "S"] * 2,
    ...                    "ltr": [10, 0, 10, 10, 10, 0, 0, 0]})
    >>> fig = nps.plot.waterfall(nps.attribute(df, "region", column="wave", start="1", end="2"))
    >>> [(float(p.get_y()), float(p.get_height())) for p in fig.axes[0].patches]
    [(0.0, 50.0), (50.0, 0.0), (50.0, -100.0), (0.0, -50.0)]
    """
    needed = ["dimension", "segment", "share_from", "share_to", "nps_from", "nps_to"]
    _check(frame, needed + (["mix", "rate"] if split else ["contribution"]), "attribute")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise InvalidArgumentError(f"top is {top!r}; expected a whole number of at least 1")
    dimensions = list(dict.fromkeys(frame["dimension"]))
    if dimension is None:
        dimension = str(dimensions[0])
    elif dimension not in dimensions:
        raise InvalidArgumentError(
            f"nps.plot.waterfall: dimension is {dimension!r}; the frame holds {dimensions}"
        )
    rows = frame[frame["dimension"] == dimension]

    def weighted(share: str, value: str) -> tuple[float, float]:
        s = rows[share].to_numpy(dtype=float)
        v = rows[value].to_numpy(dtype=float)
        return float(np.sum(np.where(s > 0, s * np.nan_to_num(v), 0.0))), float(np.sum(s))

    start, share_from = weighted("share_from", "nps_from")
    end, share_to = weighted("share_to", "nps_to")
    complete = abs(share_from - 1.0) < 1e-6 and abs(share_to - 1.0) < 1e-6
    change = frame.attrs.get("change")
    if not complete:
        if not isinstance(change, dict) or "nps_a" not in change or "nps_b" not in change:
            raise InvalidArgumentError(
                f"nps.plot.waterfall: the shares of dimension {dimension!r} add up to "
                f"{share_from:.4g} and {share_to:.4g}, not 1, and the frame has no "
                'attrs["change"]: pass every segment of the dimension, as nps.attribute '
                "returns them"
            )
        start, end = float(change["nps_b"]), float(change["nps_a"])  # change = end - start

    names = ["(missing)" if _missing(s) else str(s) for s in rows["segment"]]
    if split:
        steps = [
            (f"{n}: {part}", float(v), part)
            for n, m, r in zip(names, rows["mix"].to_numpy(dtype=float),
                               rows["rate"].to_numpy(dtype=float))  # fmt: skip
            for part, v in (("mix", m), ("rate", r))
        ]
    else:
        steps = [
            (n, float(v), "contribution")
            for n, v in zip(names, rows["contribution"].to_numpy(dtype=float))
        ]
    steps = [(n, 0.0 if not math.isfinite(v) else v, part) for n, v, part in steps]
    if top is not None:
        by_segment: dict[str, float] = {}
        for n, v, _ in steps:
            segment = n.rsplit(": ", 1)[0] if split else n
            by_segment[segment] = by_segment.get(segment, 0.0) + v
        keep = set(sorted(by_segment, key=lambda s: -abs(by_segment[s]))[:top])
        rest = [s for s in steps if (s[0].rsplit(": ", 1)[0] if split else s[0]) not in keep]
        steps = [s for s in steps if s not in rest]
        if rest:
            steps.append(("other segments", sum(v for _, v, _ in rest), "other"))
    remainder = (end - start) - sum(v for _, v, _ in steps)
    if abs(remainder) > 1e-9 * max(1.0, abs(end - start)) and not complete:
        if steps and steps[-1][2] == "other":  # one "other segments" bar, not two
            steps[-1] = ("other segments", steps[-1][1] + remainder, "other")
        else:
            steps.append(("other segments", remainder, "other"))

    k = len(steps) + 2
    fig, ax = _figure(ax, (max(6.0, 0.55 * k + 2.5), 5.0))
    bottoms = [0.0]
    heights = [start]
    colors = [NEUTRAL_COLOR]
    level = start
    for _, v, _ in steps:
        bottoms.append(level)
        heights.append(v)
        colors.append(PROMOTER_COLOR if v >= 0 else DETRACTOR_COLOR)
        level += v
    bottoms.append(0.0)
    heights.append(end)
    colors.append(NEUTRAL_COLOR)
    position = np.arange(k, dtype=float)
    bars = ax.bar(position, heights, bottom=bottoms, color=colors, width=0.65,
                  edgecolor="white", linewidth=0.5)  # fmt: skip
    for bar, (_, _, part) in zip(list(bars)[1:-1], steps):
        if part == "mix":
            bar.set_hatch("///")
        if part == "other":
            bar.set_alpha(0.6)

    # Connectors: from the top of each bar to the start of the next.
    tops = [b + h for b, h in zip(bottoms, heights)]
    segments = [[(i + 0.325, tops[i]), (i + 0.675, tops[i])] for i in range(k - 1)]
    ax.add_collection(LineCollection(segments, colors="0.45", linewidths=0.8, gid="connectors"),
                      autolim=False)  # fmt: skip
    span = max(max(tops + [0.0]) - min(tops + [0.0]), 1e-9)
    for i, (b, h) in enumerate(zip(bottoms, heights)):
        text = f"{h:.1f}" if i in (0, k - 1) else f"{h:+.1f}"
        va = "bottom" if h >= 0 else "top"  # beyond the bar's far end
        ax.text(i, b + h + (0.01 if h >= 0 else -0.01) * span, text, ha="center", va=va,
                fontsize=8, gid="value-label")  # fmt: skip
    ax.axhline(0.0, color="0.3", linewidth=0.8)
    lo, hi = min(tops + bottoms + [0.0]), max(tops + bottoms + [0.0])
    ax.set_ylim(lo - 0.12 * span, hi + 0.12 * span)
    labels = ["start"] + [n for n, _, _ in steps] + ["end"]
    rotate = k > 6 or max(len(x) for x in labels) > 10
    ax.set_xticks(position, labels, rotation=35 if rotate else 0,
                  ha="right" if rotate else "center")  # fmt: skip
    _cjk_ticklabels(ax.get_xticklabels())
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_ylabel("NPS (points)")
    ax.set_xlabel(str(dimension) + (" (mix, hatched, and rate effects)" if split else ""))
    ax.grid(axis="y", alpha=0.3)
    if title is None:
        title = f"NPS change by {dimension}: {start:.1f} → {end:.1f}"
    _title(ax, title)
    return fig


# --- journey ---------------------------------------------------------------------------------



def _shortened(text: str, width: int = 40) -> str:
    """``text`` on one line, cut to at most ``width`` characters (at the last space when there
    is one, so a word is not split) and ended with "…"."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"

def journey(
    frame: pd.DataFrame,
    *,
    stages: Literal["rows", "columns"] = "rows",
    cmap: str = "RdYlGn",
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """A heatmap of transactional NPS (场景NPS) along a customer journey (客户旅程), from
    ``nps.journey``: one row per stage (阶段) and one column per touchpoint (触点), in journey
    order, so the touchpoints of each stage form a step of the staircase; each touchpoint's cell
    holds its NPS (净推荐值), coloured on a diverging scale centred on 0, and the other cells are
    blank. Stage labels carry the stage's own NPS. Small touchpoints (fewer answers than
    ``min_n``) are hatched and marked with their n; touchpoints without answers say "no data".

    Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``nps.journey``: ``kind``, ``id``, ``name``, ``parent``, ``nps``
        (``n`` and ``small`` used when present).
    stages : "rows" or "columns"
        Stages as rows (touchpoints along x) or as columns (touchpoints down y).
    cmap : str
        A diverging matplotlib colormap (red for negative NPS, green for positive).
    title : str, optional
        The axes title (default "Transactional NPS along the journey"); "" for none.
    ax : matplotlib.axes.Axes, optional
        Draw on this axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The heatmap axes (one image: an array of shape (stages, touchpoints), NaN outside a
        stage's touchpoints; transposed with ``stages="columns"``) and the colorbar axes;
        cell texts with gid ``"cell-label"``, small cells marked by rectangles with gid
        ``"small"``.

    >>> import pandas as pd, nps, nps.plot
    >>> tree = {"stages": [{"id": "buy", "name": "Buy", "scenes": [
    ...     {"id": "quote", "name": "Quote", "touchpoints": [
    ...         {"id": "web", "name": "Web quote"}, {"id": "agent", "name": "Agent"}]}]}]}
    >>> df = pd.DataFrame({"touchpoint": ["web", "web", "agent", "agent"], "ltr": [10, 0, 10, 9]})
    >>> fig = nps.plot.journey(nps.journey(df, tree))
    >>> fig.axes[0].images[0].get_array().shape
    (1, 2)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['+0\\nn=2', '+100\\nn=2']
    """
    _check(frame, ["kind", "id", "parent", "nps"], "journey")
    if stages not in ("rows", "columns"):
        raise InvalidArgumentError(f'stages is {stages!r}; expected "rows" or "columns"')
    kinds = frame["kind"].to_numpy()
    ids = [str(i) for i in frame["id"]]
    parents = [None if _missing(p) else str(p) for p in frame["parent"]]
    names = (
        [str(n) if not _missing(n) and str(n) else i for n, i in zip(frame["name"], ids)]
        if "name" in frame
        else ids
    )
    nps_values = frame["nps"].to_numpy(dtype=float)
    parent_of = dict(zip(ids, parents))
    stage_rows = [i for i, kind in enumerate(kinds) if kind == "stage"]
    touch_rows = [i for i, kind in enumerate(kinds) if kind == "touchpoint"]
    if not stage_rows or not touch_rows:
        raise InvalidArgumentError(
            "nps.plot.journey: the frame needs rows of kind 'stage' and 'touchpoint' "
            "(the output of nps.journey)"
        )
    stage_index = {ids[i]: s for s, i in enumerate(stage_rows)}

    def stage_of(node: str) -> int:
        seen: set[str] = set()
        current: str | None = node
        while current is not None and current not in stage_index and current not in seen:
            seen.add(current)
            current = parent_of.get(current)
        if current is None or current not in stage_index:
            raise InvalidArgumentError(
                f"nps.plot.journey: touchpoint {node!r} has no stage among its parents"
            )
        return stage_index[current]

    grid = np.full((len(stage_rows), len(touch_rows)), np.nan)
    small = frame["small"].to_numpy(dtype=bool) if "small" in frame else np.zeros(len(frame), bool)
    counts = frame["n"].to_numpy() if "n" in frame else None
    cells: list[tuple[int, int, int]] = []  # (stage, touchpoint column, frame row)
    for column, row in enumerate(touch_rows):
        stage = stage_of(ids[row])
        grid[stage, column] = nps_values[row]
        cells.append((stage, column, row))

    by_rows = stages == "rows"
    data = grid if by_rows else grid.T
    finite = np.abs(grid[np.isfinite(grid)])
    half = max(float(finite.max()) if finite.size else 0.0, 1.0)
    norm = CenteredNorm(vcenter=0.0, halfrange=half)
    colormap = matplotlib.colormaps[cmap].with_extremes(bad=(1.0, 1.0, 1.0, 0.0))
    n_s, n_t = grid.shape
    size = (max(6.0, 0.75 * n_t + 3.0), max(3.0, 0.7 * n_s + 2.5))
    fig, ax = _figure(ax, size if by_rows else (max(6.0, 1.1 * n_s + 4.5), max(4.0, 0.4 * n_t + 2)))
    image = ax.imshow(np.ma.masked_invalid(data), cmap=colormap, norm=norm, aspect="auto",
                      interpolation="nearest")  # fmt: skip

    for stage, column, row in cells:
        r, c = (stage, column) if by_rows else (column, stage)
        value = nps_values[row]
        n_text = f"n={int(counts[row]):,}" if counts is not None else ""
        if math.isfinite(value):
            text = f"{value:+.0f}"
            rgba = colormap(norm(value))
            luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            color = "white" if luminance < 0.5 else "black"
        else:
            text, color = "no data", "0.3"
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor="0.92",
                                   edgecolor="none", zorder=0.5))  # fmt: skip
        if small[row]:
            text += f"\n{n_text}" if n_text else "\nsmall"
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="xx",
                                   edgecolor="0.35", linewidth=0, gid="small"))  # fmt: skip
        box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
               "alpha": 0.8} if small[row] else None  # readable over the hatching
        ax.text(c, r, text, ha="center", va="center", fontsize=8,
                color="black" if small[row] else color, bbox=box, gid="cell-label",
                fontweight="normal" if small[row] else "bold")  # fmt: skip

    stage_labels = []
    for i in stage_rows:
        value = nps_values[i]
        tail = f"NPS {value:+.1f}" if math.isfinite(value) else "NPS n/a"
        stage_labels.append(f"{names[i]}\n{tail}")
    touch_labels = [_shortened(names[i]) for i in touch_rows]
    if by_rows:
        ax.set_yticks(np.arange(n_s), stage_labels)
        ax.set_xticks(np.arange(n_t), touch_labels, rotation=40, ha="right", fontsize=8)
        ax.set_ylabel("stage")
        ax.set_xlabel("touchpoint")
    else:
        ax.set_xticks(np.arange(n_s), stage_labels)
        ax.set_yticks(np.arange(n_t), touch_labels, fontsize=8)
        ax.set_xlabel("stage")
        ax.set_ylabel("touchpoint")
    _cjk_ticklabels([*ax.get_xticklabels(), *ax.get_yticklabels()])
    for boundary in np.arange(-0.5, n_s + 0.5):  # stage separators
        (ax.axhline if by_rows else ax.axvline)(boundary, color="0.8", linewidth=0.6)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.colorbar(image, ax=ax, label="NPS (points)", shrink=0.9)
    _title(ax, "Transactional NPS along the journey" if title is None else title)
    return fig


# --- helpers ---------------------------------------------------------------------------------


def _check(frame: Any, columns: Sequence[str], producer: str) -> None:
    """A DataFrame with these columns and at least one row, or a clear error."""
    caller = {"by": "categories", "priorities": "quadrant", "attribute": "waterfall"}.get(
        producer, producer
    )
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"nps.plot.{caller} takes a pandas DataFrame (the output of nps.{producer}), "
            f"not {type(frame).__name__}"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(repr(c) for c in missing)
        raise InvalidArgumentError(
            f"nps.plot.{caller}: the frame has no column {listed} "
            f"(expected the output of nps.{producer}, with columns {', '.join(columns)})"
        )
    if len(frame) == 0:
        raise InvalidArgumentError(f"nps.plot.{caller}: the frame has no rows")


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """A new figure and its axes, or the root figure of ``ax``."""
    if ax is None:
        fig = Figure(figsize=size, layout="constrained")
        return fig, fig.add_subplot()
    parent: Any = ax.figure
    while isinstance(parent, SubFigure):
        parent = parent.figure
    if not isinstance(parent, Figure):
        raise InvalidArgumentError("ax is not in a matplotlib figure")
    return parent, ax


def _keys(frame: pd.DataFrame, by: str | Sequence[str] | None, before: str) -> list[str]:
    """The group columns: ``by``, or the columns before ``before``."""
    if by is not None:
        keys = [by] if isinstance(by, str) else list(by)
        missing = [k for k in keys if k not in frame.columns]
        if missing:
            raise InvalidArgumentError(
                f"by names {', '.join(repr(m) for m in missing)}, not columns of the frame"
            )
        return keys
    columns = [str(c) for c in frame.columns]
    return columns[: columns.index(before)] if before in columns else []


def _key_rows(frame: pd.DataFrame, keys: Sequence[str]) -> list[tuple[Any, ...]]:
    if not keys:
        return [() for _ in range(len(frame))]
    return list(zip(*(frame[k].to_numpy() for k in keys)))


def _groups(frame: pd.DataFrame, keys: Sequence[str]) -> list[tuple[str, pd.DataFrame]]:
    """(label, rows) per group in order of first appearance."""
    if not keys:
        return [("NPS", frame)]
    codes = _key_rows(frame, keys)
    order: dict[tuple[Hashable, ...], list[int]] = {}
    for i, code in enumerate(codes):
        order.setdefault(tuple(_text(v) for v in code), []).append(i)
    return [(_label(k), frame.iloc[rows]) for k, rows in order.items()]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    return "(missing)" if _missing(value) else str(value)


def _label(values: Sequence[Any]) -> str:
    return " / ".join(_text(v) for v in values) if values else "all"


def _period_order(frame: pd.DataFrame) -> list[str]:
    periods = [str(p) for p in frame["period"]]
    if "start" in frame:
        starts = pd.to_datetime(frame["start"]).to_numpy()
        first: dict[str, Any] = {}
        for p, s in zip(periods, starts):
            first.setdefault(p, s)
        return sorted(first, key=lambda p: (first[p], p))
    return list(dict.fromkeys(periods))


def _period_ticks(ax: Axes, periods: Sequence[str]) -> None:
    step = max(1, math.ceil(len(periods) / 12))
    shown = list(range(0, len(periods), step))
    ax.set_xticks(shown, [periods[i] for i in shown], rotation=30 if len(shown) > 6 else 0,
                  ha="right" if len(shown) > 6 else "center")  # fmt: skip


def _fdr_rate(frame: pd.DataFrame) -> str:
    adjustment = frame.attrs.get("adjustment")
    try:
        return f"q < {float(adjustment['changes']['rate']):g}"  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return "adjusted"


def _colors(k: int) -> list[Any]:
    cycle = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
    if k <= len(cycle):
        return cycle[:k]
    cmap = matplotlib.colormaps["tab20" if k <= 20 else "turbo"]
    return [cmap(i / max(k - 1, 1)) if k > 20 else cmap(i) for i in range(k)]


def _title(ax: Axes, title: str) -> None:
    if title:
        ax.set_title(title, fontproperties=_font_for([title]))


def _padded(values: np.ndarray, fraction: float) -> tuple[float, float]:
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    return lo - fraction * span, hi + fraction * span


def _cut(
    given: float | None, frame: pd.DataFrame, name: str, values: np.ndarray, kind: str | None
) -> float:
    if given is not None:
        if isinstance(given, bool) or not math.isfinite(float(given)):
            raise InvalidArgumentError(f"{name} is {given!r}; expected a finite number")
        return float(given)
    stored = frame.attrs.get(name)
    if kind is None and isinstance(stored, (int, float)) and math.isfinite(stored):
        return float(stored)
    return float(np.mean(values))


# --- fonts -----------------------------------------------------------------------------------


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@functools.lru_cache(maxsize=None)
def _chinese_font() -> str | None:
    """The family name of an installed font with the glyphs of the quadrant names, or None.

    Known CJK families first, then every font matplotlib knows; the answer is cached.
    """
    from matplotlib.ft2font import FT2Font

    entries = list(font_manager.fontManager.ttflist)
    rank = {name: i for i, name in enumerate(_CJK_FAMILIES)}
    entries.sort(key=lambda e: (rank.get(e.name, len(rank)), e.name, e.fname))
    probe = [ord(c) for c in _CJK_PROBE]
    for entry in entries:
        if entry.name.startswith("Last Resort"):  # substitute boxes for every code point
            continue
        try:
            charmap = FT2Font(entry.fname).get_charmap()
        except (OSError, RuntimeError, ValueError):  # unreadable font file
            continue
        glyphs = [charmap.get(code) for code in probe]
        # Real glyphs: all there, and distinct (a fallback font maps whole ranges to one box).
        if None not in glyphs and len(set(glyphs)) == len(glyphs):
            return str(entry.name)
    return None


def _cjk_properties() -> FontProperties | None:
    """Font properties falling back to the CJK font for CJK glyphs (None: no such font)."""
    family = _chinese_font()
    if family is None:
        return None
    default = list(matplotlib.rcParams["font.family"])
    return FontProperties(family=[*default, family])


def _font_for(texts: Sequence[Any]) -> FontProperties | None:
    """The CJK fallback properties when one of ``texts`` (strings or artists) has CJK text."""
    strings = [t if isinstance(t, str) else str(getattr(t, "get_label", lambda: "")())
               for t in texts]  # fmt: skip
    return _cjk_properties() if any(_has_cjk(s) for s in strings) else None


def _cjk_ticklabels(labels: Sequence[Text]) -> None:
    properties = _font_for([label.get_text() for label in labels])
    if properties is not None:
        for label in labels:
            label.set_fontfamily(properties.get_family())


# --- label repulsion -------------------------------------------------------------------------


def _repel_labels(
    fig: Figure,
    ax: Axes,
    labels: Sequence[Text],
    points: np.ndarray,
    fixed: Sequence[Text],
    iterations: int = 300,
    pad: float = 2.0,
) -> None:
    """Move ``labels`` (texts centred on their ``points``, data coordinates) so that their
    window boxes overlap neither each other nor the ``fixed`` texts nor the markers.

    In display pixels: every label starts just above its point; each iteration pushes every
    overlapping pair apart along the axis of least overlap (half each; a fixed box or a marker
    pushes the label the whole way), then clamps the labels inside the axes. Ties are broken by
    order, so the result is deterministic. Labels still overlapping after ``iterations`` are
    then placed one by one at the nearest free spot on rings around their point. The final
    positions are stored in data coordinates; labels moved away from their point get a leader
    line.
    """
    if not labels:
        return
    fig.draw_without_rendering()  # lay out the figure: axes in their final place
    to_pixels = ax.transData
    anchor = to_pixels.transform(points)
    boxes = [label.get_window_extent() for label in labels]
    half = np.array([[b.width / 2 + pad, b.height / 2 + pad] for b in boxes])
    # The box centre relative to the text's position (va="center" centres the box only nearly).
    positions = to_pixels.transform(np.array([label.get_position() for label in labels]))
    offset = np.array([[(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2] for b in boxes]) - positions
    radius = 4.0 * fig.dpi / 72.0  # the marker (s=45 points², about 3.4 points across)
    center = anchor + np.column_stack([np.zeros(len(labels)), half[:, 1] + radius])
    obstacles = [
        (np.array([(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2]), np.array([b.width / 2 + pad,
                                                                      b.height / 2 + pad]))
        for b in (t.get_window_extent() for t in fixed)
    ]  # fmt: skip
    obstacles += [(p, np.array([radius, radius])) for p in anchor]
    frame = ax.get_window_extent()
    lo = np.array([frame.x0, frame.y0]) + half
    hi = np.maximum(np.array([frame.x1, frame.y1]) - half, lo)
    n = len(labels)
    order = np.arange(n)
    tolerance = 0.25  # pixels of overlap ignored (rounding; the pad keeps real boxes apart)

    def pair_overlaps(c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        dx = c[:, None, 0] - c[None, :, 0]
        dy = c[:, None, 1] - c[None, :, 1]
        ox = half[:, None, 0] + half[None, :, 0] - np.abs(dx)
        oy = half[:, None, 1] + half[None, :, 1] - np.abs(dy)
        hit = (ox > tolerance) & (oy > tolerance) & (order[:, None] != order[None, :])
        return dx, dy, np.where(hit, ox, 0.0), np.where(hit, oy, 0.0)

    def obstacle_push(c: np.ndarray) -> np.ndarray:
        push = np.zeros_like(c)
        for middle, size in obstacles:
            d = c - middle
            ox = half[:, 0] + size[0] - np.abs(d[:, 0])
            oy = half[:, 1] + size[1] - np.abs(d[:, 1])
            hit = (ox > tolerance) & (oy > tolerance)
            along_x = hit & (ox < oy)
            along_y = hit & ~along_x
            sx = np.where(d[:, 0] >= 0, 1.0, -1.0)
            sy = np.where(d[:, 1] >= 0, 1.0, -1.0)
            push[:, 0] += np.where(along_x, sx * ox, 0.0)
            push[:, 1] += np.where(along_y, sy * oy, 0.0)
        return push

    for _ in range(iterations):
        dx, dy, ox, oy = pair_overlaps(center)
        push = obstacle_push(center)
        if not ox.any() and not push.any():
            break
        along_x = (ox > 0) & (ox < oy)
        along_y = (oy > 0) & ~along_x
        # Direction: away from the other label; ties broken by order (lower index goes -).
        sx = np.where(dx > 0, 1.0, np.where(dx < 0, -1.0, np.where(order[:, None] > order, 1.0,
                                                                    -1.0)))  # fmt: skip
        sy = np.where(dy > 0, 1.0, np.where(dy < 0, -1.0, np.where(order[:, None] > order, 1.0,
                                                                    -1.0)))  # fmt: skip
        push[:, 0] += np.sum(np.where(along_x, sx * ox / 2, 0.0), axis=1)
        push[:, 1] += np.sum(np.where(along_y, sy * oy / 2, 0.0), axis=1)
        center = np.clip(center + 1.05 * push, lo, hi)

    def free(c: np.ndarray, i: int, placed: Sequence[int]) -> bool:
        for j in placed:
            if (abs(c[0] - center[j, 0]) < half[i, 0] + half[j, 0] - tolerance
                    and abs(c[1] - center[j, 1]) < half[i, 1] + half[j, 1] - tolerance):  # fmt: skip
                return False
        for middle, size in obstacles:
            if (abs(c[0] - middle[0]) < half[i, 0] + size[0] - tolerance
                    and abs(c[1] - middle[1]) < half[i, 1] + size[1] - tolerance):  # fmt: skip
                return False
        return True

    placed: list[int] = []
    for i in range(n):
        if not free(center[i], i, placed):
            start = anchor[i] + np.array([0.0, half[i, 1] + radius])
            step = max(half[i, 1], 3.0)
            found = None
            for ring in range(1, 200):
                for angle in np.linspace(0.0, 2 * math.pi, 8 + 4 * ring, endpoint=False):
                    c = np.clip(start + ring * step * np.array([math.sin(angle) * 2,
                                                                math.cos(angle)]), lo[i], hi[i])  # fmt: skip
                    if free(c, i, placed):
                        found = c
                        break
                if found is not None:
                    break
            if found is not None:
                center[i] = found
        placed.append(i)

    data = to_pixels.inverted().transform(center - offset)
    leaders = []
    for i, label in enumerate(labels):
        label.set_position((float(data[i, 0]), float(data[i, 1])))
        gap_x = max(abs(center[i, 0] - anchor[i, 0]) - half[i, 0], 0.0)
        gap_y = max(abs(center[i, 1] - anchor[i, 1]) - half[i, 1], 0.0)
        if math.hypot(gap_x, gap_y) > 1.5 * radius:
            edge = np.clip(anchor[i], center[i] - half[i], center[i] + half[i])
            leaders.append(to_pixels.inverted().transform(np.array([anchor[i], edge])))
    if leaders:
        ax.add_collection(LineCollection(leaders, colors="0.55", linewidths=0.6, zorder=2,
                                         gid="leaders"), autolim=False)  # fmt: skip
