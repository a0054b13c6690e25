"""Comments (评论) from Python: tokens, distinctive words, topics (话题) from a taxonomy and topic
indicators as drivers; the same checks as tests/c/test_text.c (hand-worked numbers, every bad
input), polars frames giving what pandas frames give, and two real runs: the French comments
of the garden-centre survey (examples/data, Latin-1) and the Chinese comments planted in the
insurer's closed-loop data (examples/insurer.py).
"""

from __future__ import annotations

import math
import pickle
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import nps

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import insurer  # noqa: E402

Z95 = 1.959963984540054


def adjusted_se(promoters: float, passives: float, detractors: float) -> float:
    """Rocks' adjusted SE in points (counts plus 0.75/1.5/0.75)."""
    n = promoters + passives + detractors + 3.0
    pp, pd_ = (promoters + 0.75) / n, (detractors + 0.75) / n
    return 100.0 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / n)


# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------


def test_chinese_and_french_tokens() -> None:
    assert nps.tokenize("理赔速度太慢了") == ["理赔", "速度", "太慢"]
    assert nps.tokenize("APP经常闪退") == ["app", "经常", "闪退"]
    assert nps.tokenize("APP经常闪退", hmm=False) == ["app", "经常", "闪", "退"]
    assert nps.tokenize("L’accueil était TRÈS agréable !") == ["accueil", "agréable"]
    assert nps.tokenize("Trop cher, l'appli plante") == ["trop", "cher", "appli", "plante"]
    assert nps.tokenize("l'a payé 10 euros", stop_words=(), min_length=2, keep_numbers=True) == [
        "payé",
        "10",
        "euros",
    ]
    assert nps.tokenize("the customer's view", stop_words="en") == ["customer", "view"]
    assert nps.tokenize(None) == [] and nps.tokenize("  ") == []


def test_accents_typed_either_way_are_one_word() -> None:
    # macOS and some CRM exports decompose accents (e + U+0301); keyboards compose them.
    composed, decomposed = "Trop cher, pas agr\u00e9able", "TROP CHER, PAS AGRE\u0301ABLE"
    assert nps.tokenize(decomposed) == nps.tokenize(composed) == ["trop", "cher", "agréable"]
    tax = nps.Taxonomy({"topics": [{"name": "accueil", "keywords": ["agréable"]}]})
    assert tax.mentioned(decomposed) == tax.mentioned(composed) == ["accueil"]


def test_many_comments_and_bytes() -> None:
    texts = ["价格太贵了", None, float("nan"), "Trop cher", b"caf\xc3\xa9 froid"]
    assert nps.tokenize(texts) == [["价格", "太贵"], [], [], ["trop", "cher"], ["café", "froid"]]
    series = pd.Series(texts, index=[5, 6, 7, 8, 9])
    assert nps.tokenize(series) == nps.tokenize(texts)
    assert nps.tokenize(np.array(["好", None], dtype=object)) == [["好"], []]
    message = r"comment at index 1 is not valid UTF-8 \(byte 3 of 4\)"
    with pytest.raises(nps.TextError, match=message):
        nps.tokenize(["ok", b"caf\xe9"])
    assert nps.tokenize(["ok", b"caf\xe9"], errors="replace") == [["ok"], ["caf"]]
    assert nps.tokenize(b"caf\xe9 noir", errors="replace") == ["caf", "noir"]
    message = r"errors=\) \"ignore\"; expected one of strict, replace"
    with pytest.raises(nps.UnknownMethodError, match=message):
        nps.tokenize("x", errors="ignore")
    with pytest.raises(nps.UnknownMethodError, match='unknown stop-word language "de"'):
        nps.tokenize("x", stop_words=("de",))
    with pytest.raises(TypeError, match="got int at index 1"):
        nps.tokenize(["ok", 3])


def test_a_str_with_surrogates_is_not_text() -> None:
    bad = b"caf\xe9".decode("utf-8", errors="surrogateescape")
    with pytest.raises(nps.TextError, match="index 0 is a str with unpaired surrogates"):
        nps.tokenize([bad])
    assert nps.tokenize([bad], errors="replace") == [["caf"]]


# ---------------------------------------------------------------------------------------------
# Distinctive words
# ---------------------------------------------------------------------------------------------

WORDS = pd.DataFrame(
    {
        "comment": ["理赔太慢", "理赔速度太慢了", "等待太久,理赔慢", "服务很好", "服务周到",
                    "客服服务好", "还行", "", None, "   "],
        "ltr": [2, 4, 5, 10, 9, 10, 8, 0, 10, np.nan],
        "touchpoint": ["claim", "claim", "claim", "claim", "sales", "sales", "sales", "sales",
                       "sales", None],
        "channel": ["app", "web", "app", "app", "web", "web", "app", "app", "web", "web"],
    }
)


def log_odds(row: pd.Series, attrs: dict, alpha0: float) -> tuple[float, float, float]:
    """δ, SE and z of a word row from its counts and the group's word totals."""
    n_d, n_pa, n_p = (attrs[f"{c}_words"] for c in ("detractor", "passive", "promoter"))
    y = row["detractors"] + row["passives"] + row["promoters"]
    a_w = alpha0 * y / (n_d + n_pa + n_p)
    a_i, a_j = row["detractors"] + a_w, row["promoters"] + a_w
    delta = math.log(a_i / (n_d + alpha0 - a_i)) - math.log(a_j / (n_p + alpha0 - a_j))
    se = math.sqrt(1 / a_i + 1 / a_j)
    return delta, se, delta / se


def test_distinctive_words_signs_and_formula() -> None:
    w = nps.distinctive_words(WORDS, min_count=2)
    assert list(w.columns) == ["word", "detractors", "passives", "promoters", "delta", "se", "z"]
    assert w["word"].iloc[0] == "理赔" and w["z"].iloc[0] > 0  # the detractors' word
    assert set(w["word"].iloc[-2:]) == {"服务", "好"} and (w["z"].iloc[-2:] < 0).all()
    assert w["z"].is_monotonic_decreasing
    # The empty, missing and blank comments and the missing score are skipped.
    assert (w.attrs["detractor_comments"], w.attrs["passive_comments"],
            w.attrs["promoter_comments"]) == (3, 1, 3)
    assert w.attrs["alpha0"] == 1000.0 and w.attrs["min_count"] == 2
    for alpha0 in (1000.0, 1.0):
        w = nps.distinctive_words(WORDS, alpha0=alpha0, min_count=2)
        for _, row in w.iterrows():
            assert (row["delta"], row["se"], row["z"]) == pytest.approx(
                log_odds(row, w.attrs, alpha0), rel=1e-12
            )
    # A smaller prior, stronger evidence for the same word.
    strong = nps.distinctive_words(WORDS, alpha0=1.0, min_count=2).set_index("word")
    weak = nps.distinctive_words(WORDS, min_count=2).set_index("word")
    assert strong.loc["理赔", "delta"] > weak.loc["理赔", "delta"] > 0


def test_distinctive_words_by_group() -> None:
    w = nps.distinctive_words(WORDS, by="touchpoint", min_count=1)
    assert list(w.columns)[:2] == ["touchpoint", "word"]
    assert list(dict.fromkeys(w["touchpoint"])) == ["claim", "sales"]
    groups = {g["touchpoint"]: g for g in w.attrs["groups"]}
    assert (groups["claim"]["detractor_comments"], groups["claim"]["promoter_comments"]) == (3, 1)
    assert (groups["sales"]["detractor_comments"], groups["sales"]["promoter_comments"]) == (0, 2)
    # Each group is analysed as if alone: its rows equal the analysis of its rows only.
    claim = w[w["touchpoint"] == "claim"].drop(columns="touchpoint").reset_index(drop=True)
    alone = nps.distinctive_words(WORDS[WORDS["touchpoint"] == "claim"], min_count=1)
    pd.testing.assert_frame_equal(claim, alone)
    # margins: the overall analysis last, "All" in the key column; the row without a
    # touchpoint counts there only.
    m = nps.distinctive_words(WORDS, by="touchpoint", min_count=1, margins=True)
    overall = m[m["touchpoint"] == "All"].drop(columns="touchpoint").reset_index(drop=True)
    pd.testing.assert_frame_equal(overall, nps.distinctive_words(WORDS, min_count=1))
    # Two keys: the combinations that occur.
    two = nps.distinctive_words(WORDS, by=["touchpoint", "channel"], min_count=1)
    assert [(g["touchpoint"], g["channel"]) for g in two.attrs["groups"]] == [
        ("claim", "app"), ("claim", "web"), ("sales", "app"), ("sales", "web"),
    ]


# ---------------------------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------------------------

PRICE = {
    "topics": [
        {"name": "price", "keywords": ["price", "贵", "cher"]},
        {"name": "staff", "keywords": ["staff"], "patterns": [r"\b(accueil|personnel)\b"]},
    ]
}
TOPICS = pd.DataFrame(
    {
        "comment": ["太贵了", "price is too high", None, "很好", "super"],
        "ltr": [2, 5, 10, 9, 10],
        "group": ["A", "B", "A", "A", "B"],
    }
)


def test_topics_against_hand_numbers() -> None:
    t = nps.topics(TOPICS, PRICE)
    assert list(t.columns) == [
        "topic", "mentions", "share", "n", "nps", "se", "low", "high", "rest_nps", "impact",
        "impact_se", "impact_low", "impact_high",
    ]
    price, staff = t.iloc[0], t.iloc[1]
    # 3 promoters and 2 detractors: NPS 20. Both detractors mention price: NPS_t = -100, the
    # rest 100, impact = (2/5)(-100 - 100) = -80 = 20 - 100; share = 2 of 4 comments.
    assert t.attrs["nps"] == pytest.approx(20)
    assert (t.attrs["responses"], t.attrs["comments"], t.attrs["n"]) == (5, 4, 5)
    assert (price["mentions"], price["n"], price["share"]) == (2, 2, 0.5)
    assert (price["nps"], price["rest_nps"], price["impact"]) == pytest.approx((-100, 100, -80))
    se = 0.4 * math.hypot(adjusted_se(0, 0, 2), adjusted_se(3, 0, 0))
    assert price["impact_se"] == pytest.approx(se, rel=1e-12)
    assert (price["impact_low"], price["impact_high"]) == pytest.approx(
        (-80 - Z95 * se, -80 + Z95 * se), rel=1e-9
    )
    # Nobody mentions staff: no NPS, no impact; the rest is everyone.
    assert (staff["mentions"], staff["n"]) == (0, 0)
    assert math.isnan(staff["nps"]) and math.isnan(staff["impact"])
    assert staff["rest_nps"] == pytest.approx(20)
    # Wald: the multinomial SEs, 0 for unanimous groups.
    wald = nps.topics(TOPICS, PRICE, method="wald").iloc[0]
    assert wald["impact_se"] == 0.0 and wald["low"] == wald["high"] == -100


def test_topics_by_group() -> None:
    t = nps.topics(TOPICS, nps.Taxonomy(PRICE), by="group", level=0.9, margins=True)
    assert t.attrs["level"] == 0.9 and t.attrs["method"] == "adjusted_wald"
    price = t[t["topic"] == "price"].set_index("group")
    # A: 太贵了 (2), no comment (10), 很好 (9): NPS 33.3, impact (1/3)(-200).
    # B: "price is too high" (5), "super" (10): NPS 0, impact (1/2)(-200).
    assert price.loc["A", "impact"] == pytest.approx(-200 / 3)
    assert price.loc["B", "impact"] == pytest.approx(-100)
    assert price.loc["All", "impact"] == pytest.approx(-80)
    assert list(price.index) == ["A", "B", "All"]
    se = 0.5 * math.hypot(adjusted_se(0, 0, 1), adjusted_se(1, 0, 0))
    assert price.loc["B", "impact_se"] == pytest.approx(se, rel=1e-12)
    groups = {g["group"]: g for g in t.attrs["groups"]}
    assert groups["A"]["nps"] == pytest.approx(100 / 3) and groups["A"]["comments"] == 2
    assert groups["B"]["responses"] == 2


#: Survey weights of the TOPICS respondents, whole numbers: row i stands for WEIGHTS[i] rows.
WEIGHTS = [2, 1, 3, 1, 2]


def test_weighted_topics_against_hand_numbers() -> None:
    t = nps.topics(TOPICS.assign(w=WEIGHTS), PRICE, weight="w")
    price = t.iloc[0]
    # Promoters weigh 3 + 1 + 2 = 6, detractors 2 + 1 = 3 (both mention price): NPS 100·3/9.
    # NPS_t = -100, the rest 100; impact = (W_t/W)(NPS_t - NPS_rest) = (3/9)(-200) = NPS - 100.
    assert t.attrs["nps"] == pytest.approx(100 / 3)
    assert (t.attrs["responses"], t.attrs["comments"], t.attrs["n"]) == (5, 4, 5)  # counts
    assert (price["mentions"], price["n"], price["share"]) == (2, 2, 0.5)
    assert (price["nps"], price["rest_nps"]) == pytest.approx((-100, 100))
    assert price["impact"] == pytest.approx(-200 / 3)
    # Adjusted Wald on Kish's effective counts: n_eff = (Σw)²/Σw², 9/5 detractors on one side,
    # 36/14 promoters on the other.
    se = 3 / 9 * math.hypot(adjusted_se(0, 0, 9 / 5), adjusted_se(36 / 14, 0, 0))
    assert price["impact_se"] == pytest.approx(se, rel=1e-12)
    assert (price["impact_low"], price["impact_high"]) == pytest.approx(
        (-200 / 3 - Z95 * se, -200 / 3 + Z95 * se), rel=1e-9
    )


def test_whole_number_weights_are_repeated_rows() -> None:
    weighted_df = TOPICS.assign(w=WEIGHTS)
    repeated = TOPICS.loc[TOPICS.index.repeat(WEIGHTS)].reset_index(drop=True)
    for kwargs in ({}, {"by": "group", "margins": True}, {"method": "wald"}):
        weighted = nps.topics(weighted_df, PRICE, weight="w", **kwargs)
        copies = nps.topics(repeated, PRICE, **kwargs)
        plain = nps.topics(TOPICS, PRICE, **kwargs)
        for column in ["nps", "rest_nps", "impact"]:
            np.testing.assert_array_equal(weighted[column], copies[column])
        # Counts stay counts of respondents.
        for column in ["mentions", "share", "n"]:
            pd.testing.assert_series_equal(weighted[column], plain[column])
        assert weighted.attrs["nps"] == copies.attrs["nps"]
        assert weighted.attrs["responses"] == plain.attrs["responses"] == 5


def test_unit_weights_give_the_unweighted_topics() -> None:
    unit = nps.topics(TOPICS.assign(w=1.0), PRICE, by="group", weight="w")
    plain = nps.topics(TOPICS, PRICE, by="group")
    columns = ["mentions", "share", "n", "nps", "low", "high", "rest_nps", "impact", "impact_se"]
    pd.testing.assert_frame_equal(unit[columns], plain[columns], rtol=1e-12)


def test_bad_weights_name_the_column() -> None:
    df = TOPICS.assign(w=[1.0, 2.0, 1.0, np.nan, 1.0])
    with pytest.raises(
        nps.InvalidWeightError, match=re.escape('in column "w": weight at index 3 is NaN; ')
    ):
        nps.topics(df, PRICE, weight="w")
    with pytest.raises(
        nps.InvalidWeightError, match=re.escape('in column "w": weight at index 1 is -1; ')
    ):
        nps.topics(df.assign(w=[1, -1, 1, 1, 1]), PRICE, weight="w", by="group")
    with pytest.raises(nps.InvalidWeightError, match='in column "w": the weights of the 5 answer'):
        nps.topics(df.assign(w=0.0), PRICE, weight="w")
    with pytest.raises(nps.InvalidWeightError, match=re.escape('in column "w": weight at index 2')):
        nps.topics(df.assign(w=pd.array([1, 1, None, 1, 1], dtype="Int64")), PRICE, weight="w")
    with pytest.raises(nps.UnknownNameError, match='unknown weight column "weight"; the data fr'):
        nps.topics(df, PRICE, weight="weight")
    with pytest.raises(TypeError, match='^weight column "comment" must be integer or float'):
        nps.topics(df, PRICE, weight="comment")


def test_taxonomy_object() -> None:
    tax = nps.Taxonomy(PRICE)
    assert tax.names == ["price", "staff"] and len(tax) == 2
    assert tax.mentioned("L'accueil était bien, mais trop cher") == ["price", "staff"]
    assert tax.mentioned("happy with the pricing") == []
    assert nps.Taxonomy.from_json(tax.to_json()) == tax == nps.Taxonomy(tax.to_dict())
    assert pickle.loads(pickle.dumps(tax)) == tax
    assert repr(tax).startswith("Taxonomy.from_json(")
    assert nps.Taxonomy('{"topics": [{"name": "x", "keywords": ["x"]}]}') != tax


def test_bad_taxonomies() -> None:
    with pytest.raises(nps.PolicyError, match=r'topic "wait" has a pattern "\(attente" that does'):
        nps.Taxonomy({"topics": [{"name": "wait", "patterns": ["(attente"]}]})
    with pytest.raises(nps.PolicyError, match="unknown field `keyword`"):
        nps.Taxonomy({"topics": [{"name": "a", "keyword": ["x"]}]})
    with pytest.raises(nps.PolicyError, match="at least one topic"):
        nps.Taxonomy({"topics": []})
    with pytest.raises(nps.PolicyError, match="defined twice"):
        nps.Taxonomy(
            {"topics": [{"name": "a", "keywords": ["x"]}, {"name": "a", "patterns": ["y"]}]}
        )
    with pytest.raises(nps.PolicyError, match="cannot be read"):
        nps.Taxonomy.from_json("not json")
    with pytest.raises(nps.PolicyError, match="no keyword and no pattern"):
        nps.topics(TOPICS, {"topics": [{"name": "a"}]})
    assert issubclass(nps.PolicyError, nps.NpsError)


# ---------------------------------------------------------------------------------------------
# Topic indicators as drivers
# ---------------------------------------------------------------------------------------------

DRIVERS = pd.DataFrame(
    {
        "comment": ["太贵了", "理赔太慢", "又贵又慢", "服务很好", "fast and cheap", "slow claims",
                    "expensive", "很满意", None, "slow and expensive"],
        "ltr": [4, 5, 1, 10, 9, 6, 7, 10, 8, 2],
    },
    index=list("abcdefghij"),
)
SPEED = {
    "topics": [
        {"name": "price", "keywords": ["贵", "expensive"]},
        {"name": "speed", "keywords": ["慢", "slow"]},
    ]
}


def test_topic_indicators_enter_drivers() -> None:
    ind = nps.topic_indicators(DRIVERS, SPEED, prefix="topic:")
    assert list(ind.columns) == ["topic:price", "topic:speed"]
    assert ind.index.equals(DRIVERS.index) and (ind.dtypes == np.float64).all()
    assert ind["topic:price"].tolist()[:3] == [1.0, 0.0, 1.0]
    assert math.isnan(ind.loc["i", "topic:price"])  # no comment: NaN, not 0
    d = nps.drivers(DRIVERS.join(ind), "ltr", list(ind.columns))
    assert d.attrs["n"] == 9 and (d["sign"] < 0).all()
    plain = nps.topic_indicators(DRIVERS, SPEED)
    assert list(plain.columns) == ["price", "speed"]


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_invalid_utf8_under_both_policies() -> None:
    df = pd.DataFrame(
        {"comment": [b"trop cher", b"prix \xe9lev\xe9", "parfait"], "ltr": [3, 4, 10]}
    )
    tax = {"topics": [{"name": "prix", "keywords": ["prix", "cher"]}]}
    for run in (
        lambda e: nps.distinctive_words(df, min_count=1, errors=e),
        lambda e: nps.topics(df, tax, errors=e),
        lambda e: nps.topic_indicators(df, tax, errors=e),
    ):
        message = r"comment at index 1 is not valid UTF-8 \(byte 5 of 10\)"
        with pytest.raises(nps.TextError, match=message):
            run("strict")
        run("replace")
    w = nps.distinctive_words(df, min_count=1, errors="replace")
    assert {"prix", "lev"} <= set(w["word"]) and not w["word"].str.contains("\ufffd").any()
    assert nps.topics(df, tax, errors="replace")["mentions"].iloc[0] == 2


def test_empty_comments_are_skipped_and_all_empty_is_an_error() -> None:
    df = pd.DataFrame({"comment": ["", "  ", "\u3000", None, "trop cher"], "ltr": [10, 9, 3, 2, 0]})
    tax = {"topics": [{"name": "prix", "keywords": ["cher"]}]}
    t = nps.topics(df, tax)
    assert (t.attrs["responses"], t.attrs["comments"], t["share"].iloc[0]) == (5, 1, 1.0)
    none = df.assign(comment=["", " \t\n", "\u3000", None, np.nan])
    message = "is missing or blank, as are all 5 comments"
    with pytest.raises(nps.TextError, match=message):
        nps.topics(none, tax)
    with pytest.raises(nps.TextError, match=message):
        nps.distinctive_words(none)
    with pytest.raises(nps.TextError, match=message):
        nps.topic_indicators(none, tax)
    with pytest.raises(nps.TextError, match="no comment was given"):
        nps.distinctive_words(df.iloc[:0])


def test_bad_columns_and_arguments() -> None:
    tax = {"topics": [{"name": "prix", "keywords": ["cher"]}]}
    df = pd.DataFrame({"comment": ["trop cher", "parfait"], "ltr": [3, 10], "n": [1.5, 2.0]})
    with pytest.raises(nps.UnknownNameError, match='unknown text column "explication"'):
        nps.distinctive_words(df, text="explication")
    with pytest.raises(nps.UnknownNameError, match='unknown score column "nps"'):
        nps.topics(df, tax, score="nps")
    with pytest.raises(nps.UnknownNameError, match='unknown group column "region"'):
        nps.topics(df, tax, by="region")
    with pytest.raises(TypeError, match='text column "n" must hold texts .* got dtype float64'):
        nps.topics(df, tax, text="n")
    with pytest.raises(TypeError, match='text column "comment" must hold texts .* got int'):
        nps.topics(df.assign(comment=["ok", 3]), tax)
    with pytest.raises(TypeError, match="expected a pandas DataFrame or a polars DataFrame"):
        nps.topics({"comment": ["x"]}, tax)
    with pytest.raises(nps.InvalidScoreError, match="score at index 1 is 11"):
        nps.topics(df.assign(ltr=[3, 11]), tax)
    with pytest.raises(TypeError, match='score column "ltr"'):
        nps.distinctive_words(df.assign(ltr=["3", "10"]))
    with pytest.raises(nps.InvalidLevelError, match="confidence level is 1.5"):
        nps.topics(df, tax, level=1.5)
    with pytest.raises(nps.UnknownMethodError, match='unknown interval method "exact"'):
        nps.topics(df, tax, method="exact")
    with pytest.raises(nps.InvalidArgumentError, match="alpha0 is 0"):
        nps.distinctive_words(df, alpha0=0)
    with pytest.raises(nps.InvalidArgumentError, match="alpha0 is NaN"):
        nps.distinctive_words(df, alpha0=float("nan"))
    with pytest.raises(nps.UnknownMethodError, match="decoding policy"):
        nps.topic_indicators(df, tax, errors="lenient")


# ---------------------------------------------------------------------------------------------
# polars
# ---------------------------------------------------------------------------------------------


def test_polars_gives_what_pandas_gives() -> None:
    pl = pytest.importorskip("polars")
    comments = [*WORDS["comment"].tolist(), *TOPICS["comment"].tolist()]
    scores = [None if np.isnan(s) else int(s) for s in WORDS["ltr"]] + TOPICS["ltr"].tolist()
    groups = [*WORDS["touchpoint"].tolist(), "claim", "sales", "claim", None, "sales"]
    pandas_df = pd.DataFrame(
        {"comment": comments, "ltr": pd.array(scores, dtype="Int64"),
         "touchpoint": pd.Categorical(groups)}
    )
    polars_df = pl.DataFrame(
        [
            pl.Series("comment", comments, dtype=pl.String),
            pl.Series("ltr", scores, dtype=pl.Int64),
            pl.Series("touchpoint", groups, dtype=pl.Categorical),
        ]
    )
    for kwargs in ({}, {"by": "touchpoint"}, {"by": "touchpoint", "margins": True}):
        a = nps.distinctive_words(pandas_df, min_count=1, **kwargs)
        b = nps.distinctive_words(polars_df, min_count=1, **kwargs)
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs
        a = nps.topics(pandas_df, PRICE, **kwargs)
        b = nps.topics(polars_df, PRICE, **kwargs)
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs == b.attrs
    a = nps.topic_indicators(pandas_df, PRICE)
    b = nps.topic_indicators(polars_df, PRICE)
    pd.testing.assert_frame_equal(a, b)  # both RangeIndex here
    # Enum and Binary text columns, a Null column.
    categories = sorted({c for c in comments if c is not None})
    enum = polars_df.with_columns(pl.col("comment").cast(pl.Enum(categories)))
    pd.testing.assert_frame_equal(nps.topics(enum, PRICE), nps.topics(polars_df, PRICE))
    raw = polars_df.with_columns(pl.col("comment").cast(pl.Binary))
    pd.testing.assert_frame_equal(nps.topics(raw, PRICE), nps.topics(polars_df, PRICE))
    assert nps.tokenize(polars_df["comment"]) == nps.tokenize(pandas_df["comment"])
    with pytest.raises(nps.TextError, match="as are all"):
        nps.topics(polars_df.with_columns(pl.lit(None).alias("comment")), PRICE)
    with pytest.raises(TypeError, match='text column "ltr" must hold texts'):
        nps.topics(polars_df, PRICE, text="ltr")


def test_polars_weights_give_what_pandas_weights_give() -> None:
    pl = pytest.importorskip("polars")
    weights = [0.5, 2.0, 1.5, 1.0, 3.0]
    pandas_df = TOPICS.assign(w=weights, k=WEIGHTS)
    polars_df = pl.from_pandas(pandas_df)
    for kwargs in ({}, {"by": "group", "margins": True}, {"method": "wald"}):
        for weight in ["w", "k"]:  # float and integer columns
            a = nps.topics(pandas_df, PRICE, weight=weight, **kwargs)
            b = nps.topics(polars_df, PRICE, weight=weight, **kwargs)
            pd.testing.assert_frame_equal(a, b)
            assert a.attrs == b.attrs
    # A null weight is a missing one: refused, naming the column and the row.
    nulls = polars_df.with_columns(pl.Series("w", [1.0, None, 1.0, 1.0, 1.0]))
    with pytest.raises(nps.InvalidWeightError, match=re.escape('in column "w": weight at index 1')):
        nps.topics(nulls, PRICE, weight="w")
    with pytest.raises(nps.UnknownNameError, match='unknown weight column "v"'):
        nps.topics(polars_df, PRICE, weight="v")


# ---------------------------------------------------------------------------------------------
# Real French comments: the garden-centre survey
# ---------------------------------------------------------------------------------------------

#: A small taxonomy of what French garden-centre customers write about.
GARDEN = {
    "topics": [
        {"name": "prix", "keywords": ["prix", "cher", "chers", "chère", "chères", "tarif",
                                      "tarifs", "coûteux"], "patterns": [r"\b(é|e)lev(é|e)e?s?\b"]},
        {"name": "accueil", "keywords": ["accueil", "personnel", "aimable", "aimables",
                                         "souriant", "souriante", "sympathique", "vendeur",
                                         "vendeurs", "vendeuse", "vendeuses"]},
        {"name": "conseil", "keywords": ["conseil", "conseils", "conseillé", "conseiller",
                                         "conseillère", "compétent", "compétents"]},
        {"name": "choix", "keywords": ["choix", "stock", "rupture", "disponibilité", "manque",
                                       "gamme"]},
        {"name": "attente", "keywords": ["attente", "attendre", "attendu", "queue", "caisse",
                                         "caisses", "caissière", "caissières"]},
    ]
}


@pytest.fixture(scope="module")
def garden() -> pd.DataFrame:
    return pd.read_csv(ROOT / "examples" / "data" / "npsgame_garden_centre.csv", encoding="latin-1")


def test_garden_centre_distinctive_words(garden: pd.DataFrame) -> None:
    w = nps.distinctive_words(garden, text="explication", score="nps", stop_words=("fr",))
    assert w.attrs["detractor_comments"] + w.attrs["passive_comments"] + w.attrs[
        "promoter_comments"
    ] == 3802  # the 3,839 comments with an answered score
    top = w["word"].head(10).tolist()
    # Detractors (贬损者) write about price: prix, trop (cher), cher, rapport (qualité-prix),
    # élevés, tarifs lead, each clearly (z > 3).
    assert top[:3] == ["prix", "trop", "cher"]
    assert {"rapport", "élevés", "tarifs"} <= set(top)
    assert (w.set_index("word").loc[["prix", "cher", "tarifs"], "z"] > 3).all()
    # Promoters (推荐者) write about the staff: personnel, accueil, conseils, and thank them.
    bottom = w["word"].tail(10).tolist()
    assert bottom[-1] == "personnel"
    assert {"merci", "accueil", "agréable", "conseils"} <= set(bottom)
    # Waiting and the checkout are not distinctive words: passives and promoters mention them
    # too ("attente" z ≈ -0.2, "caisse" z ≈ 1.2), so topics, not words, show their cost.
    z = w.set_index("word")["z"]
    assert abs(z["attente"]) < 1 and abs(z["caisse"]) < 2
    # The same comments as Latin-1 bytes: refused under "strict", the same top words under
    # "replace" (accented words lose their accents' bytes, prix/trop/cher do not).
    raw = garden.assign(explication=garden["explication"].str.encode("latin-1"))
    first_accent = garden["explication"].str.contains(r"[^\x00-\x7f]", na=False).idxmax()
    with pytest.raises(nps.TextError, match=f"comment at index {first_accent} is not valid UTF-8"):
        nps.distinctive_words(raw, text="explication", score="nps")
    replaced = nps.distinctive_words(raw, text="explication", score="nps", stop_words=("fr",),
                                     errors="replace")
    assert replaced["word"].head(3).tolist() == ["prix", "trop", "cher"]


def test_garden_centre_topics(garden: pd.DataFrame) -> None:
    t = nps.topics(garden, GARDEN, text="explication", score="nps").set_index("topic")
    assert t.attrs["nps"] == pytest.approx(53.4161, abs=1e-4)  # R package NPS: 53.42
    assert t.attrs["comments"] == 3839
    # Price: a quarter of the comments, NPS near 0, the largest drag (about -3.4 points).
    assert 0.2 < t.loc["prix", "share"] < 0.3
    assert t.loc["prix", "nps"] < 10 and t.loc["prix", "impact_high"] < -3
    assert t["impact"].idxmin() == "prix"
    # Waiting/checkout and choice/stock: NPS far below the rest, a smaller but clear drag.
    for topic in ("attente", "choix"):
        assert t.loc[topic, "high"] < t.loc[topic, "rest_nps"]
        assert -1 < t.loc[topic, "impact"] and t.loc[topic, "impact_high"] < 0
    assert t.loc["prix", "nps"] < t.loc["attente", "nps"] < t.loc["choix", "nps"]
    # Staff and advice: praised, as high as the overall NPS, no clear effect on it (commenters
    # are less satisfied than the silent majority, so praise only matches the average).
    for topic in ("accueil", "conseil"):
        assert t.loc[topic, "nps"] > t.attrs["nps"]
        assert t.loc[topic, "impact_low"] < 0 < t.loc[topic, "impact_high"]
    # As drivers of the score among those who commented: price dominates, with a negative sign.
    ind = nps.topic_indicators(garden, GARDEN, text="explication", prefix="topic:")
    d = nps.drivers(garden.join(ind), "nps", list(ind.columns)).set_index("driver")
    assert d.attrs["n"] == 3802
    assert d["share"].idxmax() == "topic:prix" and d.loc["topic:prix", "sign"] < 0
    assert d.loc["topic:attente", "sign"] < 0 and d.loc["topic:accueil", "sign"] > 0


# ---------------------------------------------------------------------------------------------
# Chinese comments planted in the insurer's closed loop
# ---------------------------------------------------------------------------------------------

INSURER = {
    "topics": [
        {"name": "理赔慢", "keywords": ["理赔太慢", "没有消息", "没到账", "进度"]},
        {"name": "价格", "keywords": ["价格", "保费", "太贵"]},
        {"name": "上传/闪退", "keywords": ["上传", "闪退", "打不开"]},
        {"name": "态度好", "keywords": ["态度好", "态度很好", "专业", "周到"]},
    ]
}


@pytest.fixture(scope="module")
def loop() -> pd.DataFrame:
    df = insurer.closed_loop()
    crisis_start = insurer.LOOP_START + np.timedelta64(insurer.CRISIS_DAY, "D")
    return df.assign(
        stage=df["touchpoint"].astype(str).str.split(".").str[0],
        outage=(df["touchpoint"] == insurer.CRISIS_TOUCHPOINT) & (df["at"] >= crisis_start),
    )


def test_insurer_topics_show_the_planted_causes(loop: pd.DataFrame) -> None:
    t = nps.topics(loop, INSURER, by="stage")
    impact = t.pivot(index="stage", columns="topic", values="impact")
    mentions = t.pivot(index="stage", columns="topic", values="mentions")
    # Claim detractors write about slow settlement (理赔慢), and only they do.
    assert mentions.loc["claim", "理赔慢"] > 500
    assert (mentions.drop(index="claim")["理赔慢"] == 0).all()
    assert impact.loc["claim"].idxmin() == "理赔慢"
    # Renewal detractors write about price (价格): its largest share and drag there.
    share = t.pivot(index="stage", columns="topic", values="share")
    assert share["价格"].idxmax() == "renewal" and impact["价格"].idxmin() == "renewal"
    assert impact.loc["renewal"].idxmin() == "价格"
    # Promoters write about helpful staff (态度好): NPS 100 and a positive impact everywhere.
    staff = t[t["topic"] == "态度好"]
    assert (staff["nps"] == 100).all() and (staff["impact_low"] > 0).all()
    # The outage at claim.app_upload: uploads failing and crashes (上传/闪退) are mentioned only
    # during the outage, by detractors, and cost those weeks about 20 points.
    app = nps.topics(loop[loop["touchpoint"] == insurer.CRISIS_TOUCHPOINT], INSURER, by="outage")
    upload = app[app["topic"] == "上传/闪退"].set_index("outage")
    assert upload.loc["False", "mentions"] == 0 and upload.loc["True", "mentions"] > 50
    assert upload.loc["True", "nps"] == -100 and upload.loc["True", "impact_high"] < -10
    assert (t[t["topic"] == "上传/闪退"]["mentions"] > 0).sum() == 1  # claim only


def test_insurer_distinctive_words(loop: pd.DataFrame) -> None:
    w = nps.distinctive_words(loop, by="stage")
    top = {s: g["word"].head(8).tolist() for s, g in w.groupby("stage", sort=False)}
    last = {s: g["word"].tail(2).tolist() for s, g in w.groupby("stage", sort=False)}
    assert {"进度", "消息"} <= set(top["claim"])  # 理赔进度一直没有消息
    assert {"价格", "保费", "太贵"} <= set(top["renewal"])  # 续保价格涨得太多了, 保费太贵
    assert all(set(words) == {"态度", "好"} for words in last.values())  # 态度好
    app = loop[loop["touchpoint"] == insurer.CRISIS_TOUCHPOINT]
    outage = nps.distinctive_words(app, by="outage", min_count=5)
    during = outage[outage["outage"] == "True"]["word"].head(6).tolist()
    assert {"上传", "闪退"} <= set(during)
    assert "上传" not in set(outage[outage["outage"] == "False"]["word"])
