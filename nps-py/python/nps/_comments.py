"""Comments (评论): what customers write under "请详述原因", from a pandas or polars DataFrame
to a tidy pandas DataFrame.

``tokenize`` cuts comments into words, ``distinctive_words`` finds the words that set
detractors (贬损者) apart from promoters (推荐者), ``topics`` measures the topics (话题) of a
user's ``nps.Taxonomy`` (who mentions them, their NPS, their impact on the NPS), and
``topic_indicators`` turns topics into 0/1 driver columns for ``nps.drivers``.

Columns are converted, not analysed, here: the text column becomes a list (str, bytes, or a
missing value: None, NaN, NA, null) that the compiled module reads as bytes under the decoding
policy ``errors``; scores as for ``nps.score``; a weight column as float64 (a missing weight
becomes NaN, which the core refuses naming the row); group columns are dictionary-encoded (numpy
and pandas/polars do the work) into the core's single dimension. Everything else, tokenizing
included, runs in Rust with the GIL released.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Optional, Union

import numpy as np

from . import _convert, _nps
from ._frames import _pandas
from ._nps import Taxonomy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["distinctive_words", "tokenize", "topic_indicators", "topics"]

Names = Union[str, Sequence[str], None]
TaxonomyLike = Union[Taxonomy, Mapping[str, Any], str]

#: The stop-word lists applied by default: English, French, Chinese.
STOP_WORDS = ("en", "fr", "zh")
#: Where a key column shows the result for all groups together (``margins=True``).
ALL = "All"
#: What the ImportError says without pandas.
_NEEDS_PANDAS = "the comment analyses need"


def tokenize(
    text: Any,
    *,
    stop_words: Sequence[str] = STOP_WORDS,
    min_length: int = 1,
    keep_numbers: bool = False,
    hmm: bool = True,
    errors: str = "strict",
) -> Any:
    """The words of a comment (评论), or of each comment of a list: lowercase, stop words
    dropped, Chinese cut by jieba.

    The rules are the core's: a comment is put in Unicode NFC (an accent typed either way is
    one letter) and lowercased (’ read as '); runs of Chinese characters are cut by jieba (its
    default dictionary; with ``hmm`` its hidden Markov model finds words the dictionary lacks,
    such as 闪退 "crashes"), other scripts at Unicode word boundaries (punctuation, symbols
    and emoji dropped); French elisions are split off (l'accueil → accueil, qu'il → il), an
    English possessive 's is dropped; then numbers (unless ``keep_numbers``), words shorter
    than ``min_length`` characters and stop words are dropped. These are the words
    ``nps.distinctive_words`` counts, the same words for detractors (贬损者) and promoters
    (推荐者).

    Parameters
    ----------
    text : str, bytes, None, or a list / tuple / numpy array / pandas or polars Series of them
        One comment gives a list of words; several give a list of lists (an empty list for a
        missing or blank comment: None, NaN, NA, "", white space).
    stop_words : sequence of str
        The stop-word lists to apply: ``"en"`` (Snowball), ``"fr"`` (Snowball and a few more),
        ``"zh"`` (particles, pronouns, function words: 的 了 是 我 在 和 …); ``()`` for none.
        Another code raises ``nps.UnknownMethodError``.
    min_length : int
        Shortest word kept, in characters (1: a single Chinese character is often a word, 贵
        "expensive", 慢 "slow").
    keep_numbers : bool
        Keep words made only of digits and separators ("10", "3.5"); words mixing letters and
        digits ("4g") are always kept.
    hmm : bool
        jieba's hidden Markov model for words missing from its dictionary.
    errors : str
        For bytes: ``"strict"`` (text that is not valid UTF-8 raises ``nps.TextError`` naming
        the position and the byte) or ``"replace"`` (each invalid sequence becomes U+FFFD, which
        is never part of a word), as in ``bytes.decode``.

    Returns
    -------
    list of str, or list of lists of str

    >>> import nps
    >>> nps.tokenize("理赔速度太慢了")
    ['理赔', '速度', '太慢']
    >>> nps.tokenize("L’accueil était TRÈS agréable !")
    ['accueil', 'agréable']
    >>> nps.tokenize(["APP经常闪退", None, b"Tr\\xe8s cher"], errors="replace")
    [['app', '经常', '闪退'], [], ['tr', 'cher']]
    """
    one = text is None or isinstance(text, (str, bytes, bytearray))
    texts = [text] if one else _texts(text, "text")
    words = _nps.tokenize_texts(
        texts,
        stop_words=_languages(stop_words),
        min_length=min_length,
        keep_numbers=keep_numbers,
        hmm=hmm,
        errors=errors,
        name="text",
    )
    return words[0] if one else words


def distinctive_words(
    df: Any,
    text: str = "comment",
    score: str = "ltr",
    by: Names = None,
    *,
    alpha0: float = 1000.0,
    min_count: int = 3,
    margins: bool = False,
    stop_words: Sequence[str] = STOP_WORDS,
    min_length: int = 1,
    keep_numbers: bool = False,
    errors: str = "strict",
) -> pd.DataFrame:
    """Which words set detractors (贬损者, 0–6) apart from promoters (推荐者, 9–10) in their
    comments (评论): the log-odds ratio with an informative Dirichlet prior, overall or per
    group (touchpoint 触点, segment).

    Monroe, Colaresi & Quinn (2008), "Fightin' Words", *Political Analysis* 16(4):372–403,
    eq. 16–22. For word w, detractors i and promoters j, y_wi the occurrences of w in i's
    comments and n_i the words of i:

    - α_w = α₀ · (count of w / words), over every comment of the group (passives, 被动者,
      included): the prior;
    - δ_w = log[(y_wi + α_w)/(n_i + α₀ − y_wi − α_w)] − log[(y_wj + α_w)/(n_j + α₀ − y_wj − α_w)];
    - σ²(δ_w) ≈ 1/(y_wi + α_w) + 1/(y_wj + α_w), and z_w = δ_w / √σ²(δ_w).

    z > 0: a detractors' word (what to fix); z < 0: a promoters' word (what to keep). With α₀
    → 0 the prior vanishes and δ_w is the plain log-odds ratio; α₀ = 1000 words weighs like
    about a hundred short comments, steadying small groups and fading against large ones.
    Words are cut as by ``nps.tokenize`` and counted by occurrence; comments without text and
    comments whose score is missing are skipped.

    Parameters
    ----------
    df : pandas or polars DataFrame
    text : str
        The comment column: str (or bytes, read under ``errors``); None, NaN, NA, "" and white
        space are no comment. A column of another type raises ``TypeError``.
    score : str
        The recommend score column (0–10; NaN/None/NA = not answered).
    by : str or list of str, optional
        Group columns: each combination of their values that occurs is analysed on its own
        comments, with its own background. Rows missing a group value count in the overall
        analysis only (``margins=True``).
    alpha0 : float
        The prior size α₀, in words (> 0).
    min_count : int
        Words counted fewer times than this among detractors and promoters together get no row.
    margins : bool
        With ``by``: also the overall analysis, last, with "All" in the key columns.
    stop_words, min_length, keep_numbers
        As in ``nps.tokenize``.
    errors : str
        ``"strict"`` or ``"replace"``, for bytes that are not valid UTF-8 (as in
        ``nps.tokenize``).

    Returns
    -------
    pandas.DataFrame
        One column per ``by`` key, then ``word``, ``detractors``, ``passives``, ``promoters``
        (occurrences), ``delta``, ``se``, ``z``: within each group, from the most
        detractor-like word to the most promoter-like (by z). ``attrs``: ``alpha0``,
        ``min_count``; the overall ``detractor_comments``, ``passive_comments``,
        ``promoter_comments``, ``detractor_words``, ``passive_words``, ``promoter_words``; with
        ``by``, ``groups``: those counts per group (a list of dicts with the key values).

    Raises
    ------
    nps.TextError
        No comment with text, or bytes that are not UTF-8 under ``errors="strict"``.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({
    ...     "comment": ["理赔太慢", "理赔速度太慢了", "等待太久,理赔慢", "服务很好",
    ...                 "客服服务好", "服务周到", None],
    ...     "ltr": [2, 4, 5, 10, 10, 9, 8]})
    >>> w = nps.distinctive_words(df, min_count=2)
    >>> w[["word", "detractors", "promoters"]]
      word  detractors  promoters
    0   理赔           3          0
    1   太慢           2          0
    2    好           0          2
    3   服务           0          2
    >>> bool(w["z"].iloc[0] > 0), bool(w["z"].iloc[-1] < 0)
    (True, True)
    """
    data = _input(df, text, score, by)
    out = _nps.distinctive_words_columns(
        data.text,
        data.score,
        data.groups,
        alpha0=alpha0,
        min_count=min_count,
        stop_words=_languages(stop_words),
        min_length=min_length,
        keep_numbers=keep_numbers,
        errors=errors,
        name=data.name,
    )
    return _result(out, data, margins)


def topics(
    df: Any,
    taxonomy: TaxonomyLike,
    text: str = "comment",
    score: str = "ltr",
    by: Names = None,
    weight: str | None = None,
    *,
    method: str = "adjusted_wald",
    level: float = 0.95,
    margins: bool = False,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
    errors: str = "strict",
) -> pd.DataFrame:
    """Topics (话题) of a taxonomy in the comments (评论): who mentions each, their NPS (净推荐值)
    with its interval, and the topic's impact on the NPS; overall or per group (touchpoint
    触点, segment), weighted by survey weights with ``weight``.

    A comment mentions a topic when a keyword or pattern of the topic matches it (see
    ``nps.Taxonomy``). Within a group of N respondents with an answered score, n_t of whom
    mention topic t:

    - ``nps``: NPS_t, the NPS of the n_t (promoters 推荐者 9–10 minus detractors 贬损者 0–6),
      with the interval of ``method``;
    - ``rest_nps``: NPS_rest, the NPS of the N − n_t others, respondents without a comment
      included (the overall NPS is everyone's);
    - ``impact`` = (n_t/N)(NPS_t − NPS_rest) = NPS − NPS_rest: the points the NPS loses (< 0)
      or gains (> 0) because of those who mention t, i.e. what it would move by if they scored
      like everyone else;
    - ``impact_se`` = (n_t/N)·√(SE_t² + SE_rest²), the two groups taken as independent samples
      and the share n_t/N as fixed (a delta-method approximation); SE_t and SE_rest are the
      multinomial standard errors under ``wald``, Rocks' adjusted ones (counts plus
      0.75/1.5/0.75) under any other method; ``impact_low``, ``impact_high`` = impact ±
      z_{1−α/2}·impact_se.

    With ``weight``, every NPS is weighted as in ``nps.by`` (100·(W_promoters −
    W_detractors)/W, W the total weight of the respondents with an answered score) and the
    share is the weighted one: ``impact`` = (W_t/W)(NPS_t − NPS_rest) = NPS − NPS_rest and
    ``impact_se`` = (W_t/W)·√(SE_t² + SE_rest²), W_t the mentioners' weight, with the SEs of a
    weighted sample: Taylor-linearized under ``wald``, Rocks' adjusted SE on Kish's effective
    counts (n_eff = (Σw)²/Σw² times the weighted shares) under any other method. Whole-number
    weights give the NPS and impact of the rows repeated that many times. ``mentions``,
    ``share`` and ``n`` stay counts of respondents. A weighted set with one answered score is
    estimated as that answer unweighted (its weight cancels out; the Taylor SE needs two
    answers); a set whose answered respondents all weigh zero has no NPS (NaN).

    Parameters
    ----------
    df : pandas or polars DataFrame
    taxonomy : nps.Taxonomy, dict or JSON text
        The topics (a bad one raises ``nps.PolicyError`` naming the topic).
    text, score : str
        The comment column (as in ``nps.distinctive_words``) and the recommend score column.
    by : str or list of str, optional
        Group columns: one block of topic rows per combination of their values that occurs.
        Rows missing a group value count in the overall analysis only (``margins=True``).
    weight : str, optional
        A column of survey weights (finite, non-negative; a NaN or negative weight raises
        ``nps.InvalidWeightError`` naming the column and the row, as do weights that are zero
        for every answered score).
    method, level, prior, replicates, seed
        The interval of each topic's NPS, as in ``nps.score``.
    margins : bool
        With ``by``: also the overall analysis, last, with "All" in the key columns.
    errors : str
        ``"strict"`` or ``"replace"``, for bytes that are not valid UTF-8.

    Returns
    -------
    pandas.DataFrame
        One column per ``by`` key, then ``topic`` (in the taxonomy's order), ``mentions``
        (comments that mention it, answered or not), ``share`` (mentions / comments with text),
        ``n`` (mentions with an answered score), ``nps``, ``se``, ``low``, ``high`` (NaN when
        n = 0), ``rest_nps``, ``impact``, ``impact_se``, ``impact_low``, ``impact_high`` (NaN
        unless both the mentioners and the rest have answered scores); points. ``attrs``:
        ``method``, ``level``; the overall ``responses``, ``comments``, ``n``, ``nps``,
        ``low``, ``high``; with ``by``, ``groups``: those per group.

    Raises
    ------
    nps.TextError
        No comment with text, or bytes that are not UTF-8 under ``errors="strict"``.
    nps.PolicyError
        A taxonomy that cannot be used.
    nps.InvalidWeightError
        A bad weight, or weights of zero for every answered score.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"comment": ["太贵了", "price is too high", None, "很好", "super"],
    ...                    "ltr": [2, 5, 10, 9, 10], "w": [2.0, 2.0, 1.0, 1.0, 1.0]})
    >>> taxonomy = {"topics": [{"name": "price", "keywords": ["price", "贵", "cher"]}]}
    >>> t = nps.topics(df, taxonomy)
    >>> t[["topic", "mentions", "share", "nps", "rest_nps", "impact"]]
       topic  mentions  share    nps  rest_nps  impact
    0  price         2    0.5 -100.0     100.0   -80.0
    >>> round(t.attrs["nps"], 9)  # 3 promoters, 2 detractors; impact = 20 − 100
    20.0
    >>> w = nps.topics(df, taxonomy, weight="w")  # impact = (4/7)(−100 − 100)
    >>> w[["mentions", "nps", "rest_nps", "impact"]].round(2)
       mentions    nps  rest_nps  impact
    0         2 -100.0     100.0 -114.29
    """
    data = _input(df, text, score, by, weight)
    out = _nps.topics_columns(
        _taxonomy(taxonomy),
        data.text,
        data.score,
        data.groups,
        data.weight,
        weights_name=data.weight_name,
        method=method,
        level=level,
        prior=prior,
        replicates=replicates,
        seed=seed,
        errors=errors,
        name=data.name,
    )
    return _result(out, data, margins)


def topic_indicators(
    df: Any,
    taxonomy: TaxonomyLike,
    text: str = "comment",
    *,
    prefix: str = "",
    errors: str = "strict",
) -> pd.DataFrame:
    """One 0/1 column per topic (话题) of a taxonomy over the comments (评论), aligned to the
    rows of ``df``: topics as drivers (驱动要素) for ``nps.drivers``.

    A row's value is 1.0 when its comment mentions the topic, 0.0 when it has text and does
    not, NaN when there is no comment: silence says nothing about whether the topic mattered.
    In ``nps.drivers`` the NaN is a missing rating, so listwise deletion (the default) relates
    topics to the score among those who commented, and ``missing="pairwise"`` does so for
    each topic's correlations. A topic with a negative ``sign`` pulls the score down: the
    detractors' (贬损者) topic; a positive one lifts it, the promoters' (推荐者).

    Parameters
    ----------
    df : pandas or polars DataFrame
    taxonomy : nps.Taxonomy, dict or JSON text
    text : str
        The comment column, as in ``nps.topics``.
    prefix : str
        Put before each topic's name to name its column (``"topic:"``), e.g. to keep clear of
        the columns of ``df``.
    errors : str
        ``"strict"`` or ``"replace"``, for bytes that are not valid UTF-8.

    Returns
    -------
    pandas.DataFrame
        float64 columns in the taxonomy's order, with the index of ``df`` (a pandas
        DataFrame) or a RangeIndex (polars), so ``df.join(...)`` lines them up.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({
    ...     "comment": ["太贵了", "理赔太慢", "又贵又慢", "服务很好", "fast and cheap",
    ...                 "slow claims", "expensive", "很满意", None, "slow and expensive"],
    ...     "ltr": [4, 5, 1, 10, 9, 6, 7, 10, 8, 2]})
    >>> taxonomy = nps.Taxonomy({"topics": [
    ...     {"name": "price", "keywords": ["贵", "expensive"]},
    ...     {"name": "speed", "keywords": ["慢", "slow"]}]})
    >>> ind = nps.topic_indicators(df, taxonomy, prefix="topic:")
    >>> ind.head(3)
       topic:price  topic:speed
    0          1.0          0.0
    1          0.0          1.0
    2          1.0          1.0
    >>> d = nps.drivers(df.join(ind), "ltr", list(ind.columns))
    >>> d[["driver", "sign"]], d.attrs["n"]  # both pull the score down; 9 rows commented
    (        driver  sign
    0  topic:price    -1
    1  topic:speed    -1, 9)
    """
    _convert._check_frame(df)
    _convert._check_column(df, "text column", text)
    name = f"text column {_convert._quoted(text)}"
    pairs = _nps.topic_indicator_columns(
        _taxonomy(taxonomy), _texts(df[text], name), errors=errors, name=name
    )
    index = None if _convert._is_polars(df) else df.index
    frame: pd.DataFrame = _pandas(_NEEDS_PANDAS).DataFrame(
        {f"{prefix}{topic}": column for topic, column in pairs}, index=index
    )
    return frame


# ---------------------------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------------------------


def _languages(stop_words: Sequence[str]) -> list[str]:
    if isinstance(stop_words, str):
        return [stop_words]
    return list(stop_words)


def _keys(by: Names) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _taxonomy(taxonomy: TaxonomyLike) -> Taxonomy:
    return taxonomy if isinstance(taxonomy, Taxonomy) else Taxonomy(taxonomy)


def _texts(values: Any, name: str) -> list[Any]:
    """A text column as a list whose elements the compiled module reads: str, bytes, or a
    missing value (None, NaN, NA). Columns of another type raise ``TypeError`` naming ``name``
    unless every value is missing."""
    if _convert._is_polars(values) and hasattr(values, "dtype"):
        import polars as pl

        dtype = values.dtype
        if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
            values = values.cast(pl.String)
        elif not (dtype == pl.String or dtype == pl.Binary or dtype == pl.Null):
            if values.null_count() != len(values):
                raise _not_texts(name, dtype)
        texts: list[Any] = values.to_list()
        return texts
    pandas = _pandas(_NEEDS_PANDAS)
    if isinstance(values, (pandas.Series, pandas.Index)):
        dtype = values.dtype
        if isinstance(dtype, pandas.CategoricalDtype):
            return list(values.astype(object).tolist())
        if getattr(dtype, "kind", "O") in "biufcmM" and not values.isna().all():
            raise _not_texts(name, dtype)
        return list(values.tolist())
    if isinstance(values, np.ndarray):
        return list(values.tolist())
    return list(values)


def _not_texts(name: str, dtype: Any) -> TypeError:
    return TypeError(
        f"{name} must hold texts (str or bytes; None or NaN for no comment), got dtype {dtype}"
    )


class _Input(NamedTuple):
    """What a comment analysis reads of a DataFrame."""

    #: The text column as a list (as ``_texts`` gives it).
    text: list[Any]
    #: The scores as float64 (NaN = not answered).
    score: np.ndarray
    #: The text column's label, for messages.
    name: str
    #: The group columns.
    keys: list[str]
    #: The groups as the core's one dimension (as ``_groups`` gives it).
    groups: Optional[tuple[str, list[str], np.ndarray]]
    #: Each level's key values.
    labels: list[tuple[str, ...]]
    #: The weights as float64, or None.
    weight: Optional[np.ndarray] = None
    #: The weight column for messages (``column "w"``), or None.
    weight_name: Optional[str] = None


def _input(df: Any, text: str, score: str, by: Names, weight: Optional[str] = None) -> _Input:
    """The text column as a list, the scores as float64 (NaN = not answered), the text
    column's label for messages, the groups of the ``by`` columns, and the ``weight`` column
    as float64 (NaN and negative weights are left for the core to name)."""
    keys = _keys(by)
    _convert._check_frame(df)
    _convert._check_column(df, "text column", text)
    _convert._check_column(df, "score column", score)
    for key in keys:
        _convert._check_column(df, "group column", key)
    if weight is not None:
        _convert._check_column(df, "weight column", weight)
    name = f"text column {_convert._quoted(text)}"
    scores = _convert.scores_array(df[score], f"score column {_convert._quoted(score)}")
    weights = (
        None
        if weight is None
        else _convert.weights_array(df[weight], f"weight column {_convert._quoted(weight)}")
    )
    texts = _texts(df[text], name)
    groups, labels = _groups(df, keys)
    return _Input(
        texts,
        np.ascontiguousarray(scores, dtype=np.float64),
        name,
        keys,
        groups,
        labels,
        weights,
        None if weight is None else f"column {_convert._quoted(weight)}",
    )


def _result(out: dict[str, Any], data: _Input, margins: bool) -> pd.DataFrame:
    """A grouped result (``{"columns", "attrs", "groups"}``) as a DataFrame: its rows with the
    key columns, and its attrs with the groups' figures."""
    frame = _keyed(out["columns"], data.keys, data.labels, margins)
    frame.attrs.update(out["attrs"])
    frame.attrs.update(_group_attrs(out["groups"], data.keys, data.labels))
    return frame


def _groups(
    df: Any, keys: list[str]
) -> tuple[Optional[tuple[str, list[str], np.ndarray]], list[tuple[str, ...]]]:
    """The combinations of the ``keys`` columns' values that occur, dictionary-encoded as the
    core's one dimension ``(name, levels, uint32 codes)`` (levels in the order of the columns'
    categories; rows missing a value get the code ``NA_CODE``), with each level's values."""
    if not keys:
        return None, []
    parts = [_convert.dimension_codes(df[key]) for key in keys]
    codes = np.column_stack([np.asarray(c, dtype=np.int64) for _, c in parts])
    valid = (codes != _convert.NA_CODE).all(axis=1)
    combos, inverse = np.unique(codes[valid], axis=0, return_inverse=True)
    row_codes = np.full(len(codes), _convert.NA_CODE, dtype=np.uint32)
    row_codes[valid] = np.asarray(inverse).reshape(-1)
    labels = [tuple(parts[k][0][c] for k, c in enumerate(combo)) for combo in combos.tolist()]
    levels = [
        label[0] if len(keys) == 1 else json.dumps(list(label), ensure_ascii=False)
        for label in labels
    ]
    return (", ".join(keys), levels, row_codes), labels


def _keyed(
    columns: dict[str, Any], keys: list[str], labels: list[tuple[str, ...]], margins: bool
) -> pd.DataFrame:
    """The result rows as a DataFrame: with ``keys``, the groups' rows with their key columns
    (the overall rows last, "All", when ``margins``); without, the overall rows."""
    pandas = _pandas(_NEEDS_PANDAS)
    columns = dict(columns)
    group = np.asarray(columns.pop("_group"))
    if not keys:
        frame: pd.DataFrame = pandas.DataFrame(columns)
        return frame
    order = np.flatnonzero(group >= 0)
    if margins:
        order = np.concatenate([order, np.flatnonzero(group < 0)])
    data: dict[str, Any] = {}
    for k, key in enumerate(keys):
        values = np.array([label[k] for label in labels] + [ALL], dtype=object)
        data[key] = values[group[order]]  # -1, the overall group, is the last value: "All"
    for name, values in columns.items():
        data[name] = np.asarray(values, dtype=object if isinstance(values, list) else None)[
            order
        ]
    frame = pandas.DataFrame(data)
    return frame


def _group_attrs(
    groups: dict[str, Any], keys: list[str], labels: list[tuple[str, ...]]
) -> dict[str, Any]:
    """The overall figures of a result's groups as scalars, and with ``keys`` each group's as
    a list of dicts (key values first)."""
    names = [name for name in groups if name != "_group"]
    group = np.asarray(groups["_group"])

    def value(name: str, i: int) -> Any:
        return np.asarray(groups[name])[i].item()

    overall = int(np.flatnonzero(group < 0)[0])
    attrs: dict[str, Any] = {name: value(name, overall) for name in names}
    if keys:
        attrs["groups"] = [
            {
                **dict(zip(keys, labels[int(g)])),
                **{name: value(name, i) for name in names},
            }
            for i, g in enumerate(group.tolist())
            if g >= 0
        ]
    return attrs
