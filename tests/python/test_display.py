"""Result objects in a notebook: ``_repr_html_`` (the numbers, every text escaped, well-formed),
``to_dict`` and ``to_pandas`` (the same columns and values), and ``nps.study_trigger``'s result,
still a dict."""

from __future__ import annotations

import copy
import math
import pickle
import sys
import xml.etree.ElementTree as ET
from typing import Any

import pytest

import nps

pd = pytest.importorskip("pandas")

SCORES = [10, 9, 9, 8, 7, 6, 10, 3, 9, 10]
TREE = {
    "stages": [
        {
            "id": "claim",
            "name": "<b>Claim</b> & co",
            "scenes": [
                {
                    "id": "claim.report",
                    "name": "Reporting",
                    "touchpoints": [
                        {"id": "claim.phone", "name": "By phone"},
                        {"id": "<script>", "name": 'say "hi"'},
                    ],
                }
            ],
        }
    ]
}


def trigger(touchpoint: str = "claim") -> nps.StudyTrigger:
    days = pd.to_datetime(["2024-01-15", "2024-04-15", "2024-07-15"]).repeat(200)
    rising = pd.DataFrame(
        {
            "touchpoint": touchpoint,
            "date": days,
            "ltr": [10] * 60 + [0] * 140 + [10] * 100 + [0] * 100 + [10] * 140 + [0] * 60,
        }
    )
    return nps.study_trigger(rising, rising.assign(ltr=[10, 0] * 300))


def results() -> list[Any]:
    return [
        nps.score(SCORES),
        nps.score(SCORES, [1.0, 2.0] * 5, method="wald"),
        nps.compare(SCORES, [10, 6, 5, 2, 8, 9, 7, 0]),
        nps.Tally(SCORES),
        nps.Tally(),
        nps.Scale(),
        nps.Scale(1, 5, 4, 5),
        nps.Journey(TREE),
        trigger(),
    ]


def parsed(html: str) -> ET.Element:
    """The HTML as XML (so it is well-formed: every tag closed, every text escaped)."""
    return ET.fromstring(f"<div>{html}</div>")


def text(html: str) -> str:
    return " ".join(parsed(html).itertext())


@pytest.mark.parametrize("result", results(), ids=lambda r: type(r).__name__)
def test_every_result_renders_as_well_formed_html_and_converts(result: Any) -> None:
    html = result._repr_html_()
    assert html.startswith('<table class="nps-result">')
    assert parsed(html).find("table") is not None
    assert "<script" not in html and "<b>" not in html
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    assert isinstance(result.to_dict(), dict)


def test_estimate_html_shows_the_numbers() -> None:
    e = nps.score(SCORES, [1.0, 2.0] * 5, level=0.9)
    shown = text(e._repr_html_())
    for number in [
        f"{e.nps:.1f}",
        f"[{e.low:.1f}, {e.high:.1f}]",
        f"{e.se:.2f}",
        f"{100 * e.promoters:.1f} %",
        f"{100 * e.passives:.1f} %",
        f"{100 * e.detractors:.1f} %",
        f"{e.n_eff:.1f}",
        f"{e.design_effect:.2f}",
        "90 % interval (adjusted_wald)",
        "净推荐值",
        "推荐者",
    ]:
        assert number in shown, number
    assert "answered (n) 10" in shown


def test_comparison_html_shows_the_difference_and_the_test() -> None:
    c = nps.compare(SCORES, [10, 6, 5, 2, 8, 9, 7, 0], method="wald")
    shown = text(c._repr_html_())
    for number in [
        f"{c.difference:+.1f}",
        f"[{c.low:.1f}, {c.high:.1f}]",
        f"{c.nps_a:.1f}",
        f"{c.nps_b:.1f}",
        f"{c.p_value:.4f}",
        f"{c.z:.2f}",
    ]:
        assert number in shown, number
    assert ("significant at 95 % " + ("yes" if c.p_value < 0.05 else "no")) in shown
    infinite = nps.compare([10, 10], [0, 0], method="wald")
    assert "∞" in text(infinite._repr_html_()) and "< 0.0001" in text(infinite._repr_html_())


@pytest.mark.parametrize("result", [nps.score(SCORES), nps.compare(SCORES, [0, 7, 10])])
def test_estimates_and_comparisons_are_one_row_of_to_dict(result: Any) -> None:
    d = result.to_dict()
    frame = result.to_pandas()
    assert list(frame.columns) == list(d)
    assert frame.shape == (1, len(d))
    assert frame.iloc[0].to_dict() == d
    many = pd.concat([result.to_pandas(), result.to_pandas()], ignore_index=True)
    assert len(many) == 2


def test_a_tally_is_a_histogram() -> None:
    t = nps.Tally(SCORES + [None])
    shown = text(t._repr_html_())
    assert f"{t.nps:.1f}" in shown and "missing 1" in shown
    assert "0–10: detractors 0–6, passives 7–8, promoters 9–10" in shown
    frame = t.to_pandas()
    assert list(frame.columns) == ["score", "category", "count"]
    assert frame["score"].tolist() == list(range(11))
    assert frame["count"].tolist() == t.to_dict()["counts"]
    assert frame["category"].tolist() == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    assert frame.attrs == {"n": 10, "n_missing": 1, "weighted": False}
    five = nps.Tally([5, 5, 4, 1, 2], scale=nps.Scale(1, 5, 3, 5))
    f5 = five.to_pandas()
    assert f5["score"].tolist() == [1, 2, 3, 4, 5]
    assert f5["count"].tolist() == five.counts[1:6]
    assert f5["category"].tolist() == ["detractor"] * 3 + ["passive", "promoter"]
    empty = text(nps.Tally()._repr_html_())
    assert "answered (n) 0" in empty and "净推荐值" not in empty


def test_a_scale_shows_its_categories_and_round_trips_through_to_dict() -> None:
    s = nps.Scale(1, 5, 4, 5)
    shown = text(s._repr_html_())
    assert "detractors (贬损者) 1–4" in shown
    assert "passives (被动者) none" in shown
    assert "promoters (推荐者) 5" in shown
    assert s.to_dict() == {"min": 1, "max": 5, "detractor_max": 4, "promoter_min": 5}
    assert nps.Scale(**s.to_dict()) == s
    assert s.to_pandas().iloc[0].to_dict() == s.to_dict()
    assert "passives (被动者) 7–8" in text(nps.Scale()._repr_html_())


def test_journey_labels_are_escaped() -> None:
    j = nps.Journey(TREE)
    html = j._repr_html_()
    assert "&lt;b&gt;Claim&lt;/b&gt; &amp; co" in html
    assert "&lt;script&gt;" in html and "say &quot;hi&quot;" in html
    shown = text(html)
    assert "<b>Claim</b> & co" in shown and "touchpoint (触点)" in shown
    assert "1 stage, 1 scene, 2 touchpoints" in shown
    frame = j.to_pandas()
    assert frame.to_dict("records") == j.nodes
    assert nps.Journey(j.to_dict()) == j


def test_the_study_trigger_is_still_a_dict() -> None:
    s = trigger()
    assert isinstance(s, dict) and isinstance(s, nps.StudyTrigger)
    assert sorted(s) == ["adjustment", "due", "reason", "relationship", "rising", "transactional"]
    assert s["due"] is True and s.due is True
    assert (s.reason, s.rising, s.adjustment) == (s["reason"], s["rising"], s["adjustment"])
    assert s.transactional == s["transactional"] and s.relationship == s["relationship"]
    assert s.to_dict() == dict(s) and type(s.to_dict()) is dict
    for back in [pickle.loads(pickle.dumps(s)), copy.deepcopy(s)]:
        assert back == s and type(back) is nps.StudyTrigger


def test_the_study_trigger_renders_and_converts() -> None:
    s = trigger("<b>claim</b>")
    html = s._repr_html_()
    assert "&lt;b&gt;claim&lt;/b&gt;" in html and "<b>" not in html
    shown = text(html)
    assert "analytical study (战略NPS) due" in shown
    assert "transactional (场景NPS)" in shown and "relationship (关系NPS)" in shown
    b = s["transactional"]
    assert f"{b['per_period']:+.2f}" in shown and f"[{b['low']:.2f}, {b['high']:.2f}]" in shown
    frame = s.to_pandas()
    assert frame["survey"].tolist() == ["transactional", "relationship"]
    for i, survey in enumerate(["transactional", "relationship"]):
        row = frame.iloc[i].to_dict()
        assert {k: row[k] for k in s[survey]} == s[survey]
    assert frame.attrs["due"] is True and frame.attrs["rising"] == ["<b>claim</b>"]


def test_a_study_trigger_without_slopes_converts_with_gaps() -> None:
    s = nps.StudyTrigger(
        due=False,
        reason="no slope",
        transactional=None,
        relationship=None,
        rising=[("a", None)],
        adjustment={},
    )
    frame = s.to_pandas()
    assert math.isnan(frame["per_period"].iloc[0]) and frame["direction"].iloc[0] is None
    assert "a / NA" in text(s._repr_html_())


def test_to_pandas_without_pandas_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    e = nps.score(SCORES)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"to_pandas needs pandas.*pip install"):
        e.to_pandas()
    assert "40.0" in e._repr_html_()  # the HTML needs no pandas


def test_a_cube_lists_its_combinations_and_converts_to_its_counts() -> None:
    brands = ["<b>Own</b>", "Rival", None]
    rows = [(b, r) for b in brands for r in ["north", "south", "east", "west"]]
    df = pd.DataFrame(
        {
            "brand": [b for b, _ in rows] * 3,
            "region": [r for _, r in rows] * 3,
            "ltr": [(7 * i) % 11 for i in range(36)],
        }
    )
    cube = nps.cube(df, ["brand", "region"])
    html = cube._repr_html_()
    shown = text(html)
    assert "nps.Cube: 12 combinations, n = 36" in shown
    assert "… and 2 more" in shown and "(missing) / west" not in shown
    assert "<b>" not in html and "&lt;b&gt;Own&lt;/b&gt; / east" in html
    frame = cube.to_pandas()
    assert list(frame.columns) == ["brand", "region", "n", "n_missing", *range(11)]
    assert len(frame) == 12 and frame["n"].sum() == 36 and not frame.attrs["weighted"]
    # The counts per score are the data's own, by a pandas crosstab.
    counted = df.assign(brand=df["brand"].fillna("?")).groupby(["brand", "region"])["ltr"]
    expected = counted.value_counts().unstack(fill_value=0).reindex(columns=range(11), fill_value=0)
    got = frame.assign(brand=frame["brand"].fillna("?")).set_index(["brand", "region"])
    got = got[list(range(11))].sort_index()
    assert list(got.index) == list(expected.sort_index().index)
    assert (got.to_numpy() == expected.sort_index().to_numpy()).all()
    assert frame["brand"].isna().sum() == 4  # the missing brand stays missing
    values, tally = cube.cells()[0]
    assert len(values) == 2 and isinstance(tally, nps.Tally)


def test_driver_moments_show_their_correlations() -> None:
    df = pd.DataFrame(
        {
            "ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
            "speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, float("nan")],
            "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1.0],
        }
    )
    m = nps.driver_moments(df)
    complete = df.dropna()
    expected = complete.corr().to_numpy()  # listwise: the 9 complete rows
    frame = m.to_pandas()
    assert list(frame.index) == list(frame.columns) == ["score", "speed", "price"]
    assert frame.attrs == {"rows": 9, "missing": "listwise"}
    assert abs(frame.to_numpy() - expected).max() < 1e-12
    assert m.correlation() == frame.to_numpy().tolist()
    shown = text(m._repr_html_())
    assert "2 drivers, 9 rows" in shown
    assert f"speed {expected[0, 1]:.3f}" in shown and f"price {expected[0, 2]:.3f}" in shown
    # A constant driver: the HTML says why there are no correlations; correlation() raises.
    flat = nps.driver_moments(df.assign(price=3.0))
    assert "not available" in text(flat._repr_html_())
    with pytest.raises(nps.DriverError, match="price"):
        flat.correlation()
