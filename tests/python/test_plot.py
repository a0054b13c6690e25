"""nps.plot: each chart is drawn headless, renders to PNG, and shows what its frame holds.

The checks look inside the figure (axes, labels, lines, points, bars, texts, image arrays),
not at pixels: one line per group with a point per period that has answers, a marker per
significant change, three bars per group, a label per driver with no two overlapping, the
waterfall landing on the end NPS, a stage x touchpoint heatmap.
"""

from __future__ import annotations

import doctest
import math
import subprocess
import sys
import warnings
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

import nps  # noqa: E402
import nps.plot  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import insurer  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    """No chart may warn (a missing CJK glyph, a layout problem, a deprecation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="module")
def relationship() -> pd.DataFrame:
    return insurer.relationship()


@pytest.fixture(scope="module")
def own(relationship: pd.DataFrame) -> pd.DataFrame:
    return relationship[relationship["brand"] == "Own"]


@pytest.fixture(scope="module")
def transactional() -> pd.DataFrame:
    return insurer.transactional()


def png(fig: Figure) -> bytes:
    buffer = BytesIO()
    fig.savefig(buffer, format="png")
    data = buffer.getvalue()
    assert data.startswith(PNG)
    return data


def texts(ax: Any, gid: str) -> list[Any]:
    return [t for t in ax.texts if t.get_gid() == gid]


def collections(ax: Any, gid: str) -> list[Any]:
    return [c for c in ax.collections if c.get_gid() == gid]


def overlap(a: Any, b: Any) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


# --- packaging ---------------------------------------------------------------------------------


def test_importing_nps_leaves_matplotlib_alone_and_nps_plot_uses_no_pyplot() -> None:
    code = (
        "import sys, nps\n"
        "assert 'matplotlib' not in sys.modules, 'import nps imported matplotlib'\n"
        "import nps.plot\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'nps.plot imported pyplot'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_matplotlib_the_error_says_how_to_install_it() -> None:
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None\n"
        "import nps\n"
        "try:\n"
        "    import nps.plot\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert "pip install nps[plot]" in out.stdout


def test_the_docstring_examples_run() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = [t for t in finder.find(nps.plot) if t.examples]
    names = {t.name.rsplit(".", 1)[-1] for t in tests}
    assert {"plot", "trend", "categories", "quadrant", "waterfall", "journey"} <= names
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


# --- trend -------------------------------------------------------------------------------------


def test_trend_draws_a_line_per_group_with_gaps_and_the_significant_changes(
    own: pd.DataFrame,
) -> None:
    # North has no answers in 2024-Q1: a gap in its line.
    quarter = own["date"].dt.to_period("Q").astype(str)
    data = own[~((own["region"] == "North") & (quarter == "2024Q1"))]
    frame = nps.trend(data, ["region"], date="date", unit="quarter")
    assert frame["gap"].sum() == 1 and frame["change_significant"].sum() >= 1  # South's fall

    fig = nps.plot.trend(frame)
    png(fig)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "NPS by period and region"
    assert ax.get_xlabel() == "period" and ax.get_ylabel() == "NPS (points)"
    assert [t.get_text() for t in ax.get_xticklabels()] == list(insurer.QUARTERS)

    regions = list(dict.fromkeys(frame["region"]))
    assert [line.get_label() for line in ax.lines] == regions
    for line, region in zip(ax.lines, regions):
        rows = frame[frame["region"] == region]
        y = np.asarray(line.get_ydata(), dtype=float)
        assert len(y) == len(insurer.QUARTERS)
        assert np.isfinite(y).sum() == (~rows["gap"]).sum()
        # Not joined across the gap: the gap is a NaN in the line, so the line breaks there.
        np.testing.assert_array_equal(np.isnan(y), rows["gap"].to_numpy())
        np.testing.assert_allclose(y[np.isfinite(y)], rows["nps"][~rows["gap"]])
    north = np.asarray(ax.lines[regions.index("North")].get_ydata(), dtype=float)
    assert math.isnan(north[insurer.QUARTERS.index("2024-Q1")])

    markers = collections(ax, "significant-rise") + collections(ax, "significant-fall")
    assert sum(len(c.get_offsets()) for c in markers) == frame["change_significant"].sum()
    fall = collections(ax, "significant-fall")[0].get_offsets()
    south = frame[(frame["region"] == "South") & frame["change_significant"]]
    assert (fall[0][0], fall[0][1]) == (insurer.QUARTERS.index(south["period"].iloc[0]),
                                        pytest.approx(south["nps"].iloc[0]))  # fmt: skip
    # One interval band per group.
    assert sum(1 for c in ax.collections if c.get_gid() is None) == len(regions)
    assert ax.get_legend() is not None


def test_trend_marks_rises_and_falls_and_draws_one_series_without_groups() -> None:
    dates = pd.to_datetime(["2024-01-15"] * 100 + ["2024-02-15"] * 100 + ["2024-04-15"] * 100)
    ltr = [0] * 100 + [10] * 100 + [0] * 100  # -100, +100 (rise), gap in March, -100
    frame = nps.trend(pd.DataFrame({"ltr": ltr, "date": dates}), unit="month")
    fig = nps.plot.trend(frame)
    png(fig)
    ax = fig.axes[0]
    assert len(ax.lines) == 1 and ax.get_title() == "NPS by period"
    y = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    assert np.isnan(y).tolist() == [False, False, True, False]
    rises = collections(ax, "significant-rise")
    assert len(rises) == 1 and len(rises[0].get_offsets()) == frame["change_significant"].sum()
    # The change after a gap is not tested: no fall marked.
    assert not collections(ax, "significant-fall")


# --- categories ----------------------------------------------------------------------------------


def test_categories_stacks_the_three_shares_per_group_and_flags_small_groups(
    relationship: pd.DataFrame,
) -> None:
    frame = nps.by(relationship, ["brand", "age_band"], margins=True, min_n=2000)
    k = len(frame)
    small = frame["small"].to_numpy()
    assert 0 < small.sum() < k
    fig = nps.plot.categories(frame)
    png(fig)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "Promoters, passives and detractors"
    assert ax.get_xlabel() == "share of answers" and ax.get_ylabel() == "brand / age_band"
    assert len(ax.patches) == 3 * k
    assert [c.get_label() for c in ax.containers] == ["detractors", "passives", "promoters"]
    widths = np.array([[bar.get_width() for bar in c] for c in ax.containers])
    np.testing.assert_allclose(widths.sum(axis=0), 1.0)
    np.testing.assert_allclose(widths[2], frame["promoters"])
    # Stacked: each segment starts where the previous one ends.
    lefts = np.array([[bar.get_x() for bar in c] for c in ax.containers])
    np.testing.assert_allclose(lefts[1], widths[0])
    np.testing.assert_allclose(lefts[2], widths[0] + widths[1])

    labels = [t.get_text() for t in texts(ax, "nps-label")]
    assert len(labels) == k
    assert all(f"NPS {v:+.1f}" in text for v, text in zip(frame["nps"], labels))
    assert [text.endswith("small") for text in labels] == small.tolist()
    hatched = [c for c in ax.containers for bar in c if bar.get_hatch()]
    assert len(hatched) == 3 * small.sum()
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "Own / 18-24" and ticks[-1] == "All / All"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["detractors", "passives", "promoters", "small group"]


def test_categories_vertical_on_a_given_axes(relationship: pd.DataFrame) -> None:
    frame = nps.by(relationship, "brand")
    host = Figure()
    left, right = host.subplots(1, 2)
    fig = nps.plot.categories(frame, orientation="vertical", ax=right, title="Brands")
    assert fig is host
    png(fig)
    assert len(left.patches) == 0 and len(right.patches) == 9
    assert right.get_title() == "Brands" and right.get_ylabel() == "share of answers"
    heights = np.array([[bar.get_height() for bar in c] for c in right.containers])
    np.testing.assert_allclose(heights.sum(axis=0), 1.0)
    assert [t.get_text() for t in right.get_xticklabels()] == list(insurer.BRANDS)


# --- quadrant ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def priorities(relationship: pd.DataFrame) -> pd.DataFrame:
    return nps.priorities(
        relationship, target="ltr", drivers=list(insurer.DRIVERS), method="johnson",
        focus=("brand", "Own"), reference=("brand", "Rival A"),
    )  # fmt: skip


def assert_labels_apart(fig: Figure) -> list[Any]:
    png(fig)  # draw: the extents below are those of the rendered figure
    ax = fig.axes[0]
    labels = [t.get_window_extent() for t in texts(ax, "driver-label")]
    names = [t.get_window_extent() for t in texts(ax, "quadrant-name")]
    frame = ax.get_window_extent()
    for i, a in enumerate(labels):
        assert frame.x0 - 0.5 <= a.x0 and a.x1 <= frame.x1 + 0.5, "label outside the axes"
        assert frame.y0 - 0.5 <= a.y0 and a.y1 <= frame.y1 + 0.5, "label outside the axes"
        assert not any(overlap(a, b) for b in labels[i + 1 :]), "labels overlap"
        assert not any(overlap(a, b) for b in names), "a label covers a quadrant name"
    return labels


def test_quadrant_places_every_driver_with_the_cuts_and_the_quadrant_names(
    priorities: pd.DataFrame,
) -> None:
    fig = nps.plot.quadrant(priorities)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "Improvement priorities"
    assert ax.get_xlabel().startswith("importance") and ax.get_ylabel() == "performance"
    points = collections(ax, "drivers")[0].get_offsets()
    np.testing.assert_allclose(points, priorities[["share", "performance"]].to_numpy())

    (vertical,) = [line for line in ax.lines if line.get_gid() == "importance-cut"]
    (horizontal,) = [line for line in ax.lines if line.get_gid() == "performance-cut"]
    assert vertical.get_xdata()[0] == pytest.approx(priorities.attrs["importance_cut"])
    assert horizontal.get_ydata()[0] == pytest.approx(priorities.attrs["performance_cut"])

    labels = assert_labels_apart(fig)
    assert sorted(t.get_text() for t in texts(ax, "driver-label")) == sorted(insurer.DRIVERS)
    assert len(labels) == len(priorities)
    names = [t.get_text() for t in texts(ax, "quadrant-name")]
    english = ["Improve now", "Exceed", "Maintain", "Low priority"]
    assert [n.split(" ")[0] for n in names] == [e.split(" ")[0] for e in english]
    chinese = nps.plot._chinese_font() is not None  # only with a font that has the glyphs
    for name, (en, zh) in zip(names, nps.plot.QUADRANTS.values()):
        assert name == (f"{en} {zh}" if chinese else en)


def test_quadrant_names_stay_english_without_a_cjk_font_and_can_be_forced(
    priorities: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nps.plot, "_chinese_font", lambda: None)
    fig = nps.plot.quadrant(priorities)
    png(fig)  # warnings are errors here: no missing glyph
    assert {t.get_text() for t in texts(fig.axes[0], "quadrant-name")} == {
        "Improve now", "Exceed", "Maintain", "Low priority"
    }  # fmt: skip
    with warnings.catch_warnings():  # asked for without a font: matplotlib warns of the glyphs
        warnings.simplefilter("ignore")
        fig = nps.plot.quadrant(priorities, chinese=True)
    names = {t.get_text() for t in texts(fig.axes[0], "quadrant-name")}
    assert names == {"Improve now 立即改善", "Exceed 超越自我", "Maintain 维持现状",
                     "Low priority 低优先级"}  # fmt: skip


def test_quadrant_labels_of_crowded_points_are_pushed_apart() -> None:
    # Sixteen drivers on almost the same spot, and a few at the edges of the plot.
    k = 16
    frame = pd.DataFrame(
        {
            "driver": [f"driver number {i}" for i in range(k)],
            "share": np.r_[np.full(k - 4, 6.0) + np.arange(k - 4) * 0.01, [0.0, 0.0, 30, 30]],
            "performance": np.r_[np.full(k - 4, 3.5), [1.0, 5.0, 1.0, 5.0]],
            "quadrant": ["low_priority"] * k,
        }
    )
    fig = nps.plot.quadrant(frame, importance_cut=6.25, performance_cut=3.5, title="")
    labels = assert_labels_apart(fig)
    assert len(labels) == k
    ax = fig.axes[0]
    assert ax.get_title() == ""
    assert collections(ax, "leaders"), "labels moved away from their points get a leader"
    # Deterministic: the same frame gives the same positions.
    again = nps.plot.quadrant(frame, importance_cut=6.25, performance_cut=3.5, title="")
    assert [t.get_position() for t in texts(ax, "driver-label")] == [
        t.get_position() for t in texts(again.axes[0], "driver-label")
    ]


def test_quadrant_of_journey_priorities_by_kind() -> None:
    tree = {"stages": [{"id": "claim", "scenes": [
        {"id": "report", "touchpoints": [{"id": "phone"}, {"id": "app"}]}]}]}  # fmt: skip
    df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
                       "phone": [5.0, 4, 2, 4, 3, 5, 1, 3, 4, 3],
                       "app": [3.0, 4, 2, 3, 2, 4, 3, 3, 5, 1]})  # fmt: skip
    j = nps.journey_priorities(df, tree)
    with pytest.raises(nps.InvalidArgumentError, match="kind="):
        nps.plot.quadrant(j)
    fig = nps.plot.quadrant(j, kind="touchpoint")
    assert_labels_apart(fig)
    assert sorted(t.get_text() for t in texts(fig.axes[0], "driver-label")) == ["app", "phone"]


# --- waterfall ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def attribution(own: pd.DataFrame) -> pd.DataFrame:
    return nps.attribute(
        own, ["region", "age_band"], date="date", unit="quarter", start="2024-Q2", end="2024-Q3"
    )


def test_waterfall_floats_each_contribution_from_the_start_to_the_end_nps(
    attribution: pd.DataFrame,
) -> None:
    change = attribution.attrs["change"]
    start, end = change["nps_b"], change["nps_a"]  # difference = end - start = a - b
    region = attribution[attribution["dimension"] == "region"]
    fig = nps.plot.waterfall(attribution)
    png(fig)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == f"NPS change by region: {start:.1f} → {end:.1f}"
    assert ax.get_ylabel() == "NPS (points)" and ax.get_xlabel() == "region"
    bars = ax.patches
    assert len(bars) == len(region) + 2
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["start", *region["segment"], "end"]
    assert bars[0].get_y() == 0 and bars[0].get_height() == pytest.approx(start, abs=1e-9)
    level = start
    for bar, contribution in zip(bars[1:-1], region["contribution"]):
        assert bar.get_y() == pytest.approx(level, abs=1e-9)  # floats from the running total
        assert bar.get_height() == pytest.approx(contribution, abs=1e-12)
        level += contribution
    assert level == pytest.approx(end, abs=1e-9)
    last = bars[-1]
    assert last.get_y() == 0
    assert last.get_y() + last.get_height() == pytest.approx(end, abs=1e-9)
    assert len(texts(ax, "value-label")) == len(bars)


def test_waterfall_split_top_and_partial_frames(attribution: pd.DataFrame) -> None:
    end = attribution.attrs["change"]["nps_a"]
    ages = attribution[attribution["dimension"] == "age_band"]
    fig = nps.plot.waterfall(attribution, dimension="age_band", split=True)
    png(fig)
    bars = fig.axes[0].patches
    assert len(bars) == 2 * len(ages) + 2
    assert sum(1 for bar in bars if bar.get_hatch()) == len(ages)  # the mix bars
    assert bars[-1].get_height() == pytest.approx(end, abs=1e-9)
    assert bars[-2].get_y() + bars[-2].get_height() == pytest.approx(end, abs=1e-9)

    fig = nps.plot.waterfall(attribution, top=2)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["start", "West", "South", "other segments", "end"]
    bars = fig.axes[0].patches
    assert bars[-2].get_y() + bars[-2].get_height() == pytest.approx(end, abs=1e-9)

    # Only some segments: the start and end come from attrs["change"], the rest is "other".
    south = attribution[attribution["segment"].isin(["South", "North"])]
    fig = nps.plot.waterfall(south)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["start", "North", "South", "other segments", "end"]
    assert fig.axes[0].patches[-1].get_height() == pytest.approx(end, abs=1e-9)
    bare = pd.DataFrame(south.to_dict("list"))  # no attrs
    with pytest.raises(nps.InvalidArgumentError, match="add up to"):
        nps.plot.waterfall(bare)


# --- journey -----------------------------------------------------------------------------------


def test_journey_heatmap_of_stages_by_touchpoints(transactional: pd.DataFrame) -> None:
    frame = nps.journey(transactional, insurer.journey(), touchpoint="touchpoint")
    stages = frame[frame["kind"] == "stage"]
    touchpoints = frame[frame["kind"] == "touchpoint"]
    fig = nps.plot.journey(frame)
    png(fig)
    assert len(fig.axes) == 2  # the heatmap and its colorbar
    ax, bar = fig.axes
    assert ax.get_title() == "Transactional NPS along the journey"
    assert ax.get_xlabel() == "touchpoint" and ax.get_ylabel() == "stage"
    assert bar.get_ylabel() == "NPS (points)"
    (image,) = ax.images
    grid = np.ma.filled(image.get_array().astype(float), np.nan)
    assert grid.shape == (len(stages), len(touchpoints)) == (5, 15)
    # Each touchpoint's NPS in its stage's row; the other cells empty.
    assert np.isfinite(grid).sum() == len(touchpoints)
    np.testing.assert_allclose(np.nanmax(np.where(np.isfinite(grid), grid, -np.inf), axis=0),
                               touchpoints["nps"])  # fmt: skip
    claim = list(stages["id"]).index("claim")
    claim_columns = [i for i, t in enumerate(touchpoints["id"]) if t.startswith("claim.")]
    assert np.isfinite(grid[claim, claim_columns]).all()
    # Diverging, centred on 0.
    norm = image.norm
    assert norm.vmin == pytest.approx(-norm.vmax)
    assert norm(0.0) == pytest.approx(0.5)
    cells = texts(ax, "cell-label")
    assert len(cells) == len(touchpoints)
    assert [c.get_text().split("\n")[0] for c in cells] == [f"{v:+.0f}" for v in touchpoints["nps"]]
    small = [p for p in ax.patches if p.get_gid() == "small"]
    assert len(small) == touchpoints["small"].sum() == 1  # the complaint escalation
    assert "n=12" in cells[list(touchpoints["id"]).index(insurer.SMALL_TOUCHPOINT)].get_text()
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == list(stages["name"])


def test_journey_with_stages_as_columns(transactional: pd.DataFrame) -> None:
    frame = nps.journey(transactional, insurer.journey(), touchpoint="touchpoint")
    fig = nps.plot.journey(frame, stages="columns", cmap="RdBu")
    png(fig)
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (15, 5)
    assert ax.get_xlabel() == "stage" and ax.get_ylabel() == "touchpoint"


# --- bad input ---------------------------------------------------------------------------------

CHARTS = {
    "trend": (nps.plot.trend, "change_significant"),
    "categories": (nps.plot.categories, "detractors"),
    "quadrant": (nps.plot.quadrant, "performance"),
    "waterfall": (nps.plot.waterfall, "contribution"),
    "journey": (nps.plot.journey, "parent"),
}


@pytest.fixture(scope="module")
def frames(
    own: pd.DataFrame, priorities: pd.DataFrame, attribution: pd.DataFrame,
    transactional: pd.DataFrame,
) -> dict[str, pd.DataFrame]:  # fmt: skip
    return {
        "trend": nps.trend(own, date="date", unit="quarter"),
        "categories": nps.by(own, "region"),
        "quadrant": priorities,
        "waterfall": attribution,
        "journey": nps.journey(transactional, insurer.journey()),
    }


@pytest.mark.parametrize("chart", list(CHARTS))
def test_a_frame_without_a_needed_column_is_an_error_naming_it(
    chart: str, frames: dict[str, pd.DataFrame]
) -> None:
    draw, column = CHARTS[chart]
    frame = frames[chart].drop(columns=[column])
    with pytest.raises(nps.InvalidArgumentError, match=f"no column '{column}'") as info:
        draw(frame)
    assert f"nps.plot.{chart}" in str(info.value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(nps.InvalidArgumentError, match="no rows"):
        draw(frames[chart].iloc[:0])
    with pytest.raises(TypeError, match="pandas DataFrame"):
        draw(frames[chart].to_dict("list"))


def test_other_bad_arguments(frames: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(nps.InvalidArgumentError, match="orientation"):
        nps.plot.categories(frames["categories"], orientation="diagonal")  # type: ignore[arg-type]
    with pytest.raises(nps.InvalidArgumentError, match="'city'"):
        nps.plot.categories(frames["categories"], by="city")
    with pytest.raises(nps.InvalidArgumentError, match="dimension is 'city'"):
        nps.plot.waterfall(frames["waterfall"], dimension="city")
    with pytest.raises(nps.InvalidArgumentError, match="top"):
        nps.plot.waterfall(frames["waterfall"], top=0)
    with pytest.raises(nps.InvalidArgumentError, match="stages"):
        nps.plot.journey(frames["journey"], stages="diagonal")  # type: ignore[arg-type]
    with pytest.raises(nps.InvalidArgumentError, match="kind="):
        nps.plot.quadrant(frames["quadrant"], kind="touchpoint")
    with pytest.raises(nps.InvalidArgumentError, match="importance_cut"):
        nps.plot.quadrant(frames["quadrant"], importance_cut=math.nan)
