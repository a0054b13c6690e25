# Type stubs of the compiled module `nps._nps` (nps-py/src), written by hand and checked against
# the module by `python -m mypy.stubtest nps._nps` (make test-python).

"""Net Promoter Score (净推荐值) engine: tallies, intervals, comparisons, survey planning, and
the segment, trend, attribution, benchmark and journey analyses of a response table, and the
closed loop's (闭环) alerts and call-backs (回访).

Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6;
NPS = %promoters − %detractors, in points from −100 to 100. Shares are fractions, confidence
levels fractions (0.95).
"""

import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, Union, final

import numpy as np
import numpy.typing as npt
import pandas as pd

if sys.version_info >= (3, 10):
    from typing import TypeAlias
else:
    from typing_extensions import TypeAlias

if sys.version_info >= (3, 11):
    from typing import Self
else:
    from typing_extensions import Self

# Scores: a list (None = missing), a numpy array of any integer or float dtype (NaN = missing)
# or a pandas Series (NA = missing). Weights: numbers, one per score.
_Scores: TypeAlias = Union[npt.ArrayLike, Sequence[Union[float, None]]]
_Weights: TypeAlias = Union[npt.ArrayLike, Sequence[float]]

__all__ = [
    "Scale",
    "Table",
    "Journey",
    "Cube",
    "DriverMoments",
    "AlertPolicy",
    "AlertQueue",
    "Alerter",
    "Taxonomy",
    "Monitor",
    "Tally",
    "Estimate",
    "Comparison",
    "score",
    "compare",
    "sample_size",
    "margin_of_error",
    "group_by_columns",
    "attribute_columns",
    "trend_columns",
    "study_trigger_dict",
    "benchmark_columns",
    "journey_columns",
    "drivers_of_columns",
    "drivers_of_table",
    "priorities_of_table",
    "journey_priorities_of_table",
    "alerts_columns",
    "callback_outcomes_columns",
    "tokenize_texts",
    "distinctive_words_columns",
    "topics_columns",
    "topic_indicator_columns",
    "monitor_columns",
    "NpsError",
    "InvalidScoreError",
    "InvalidWeightError",
    "LengthMismatchError",
    "EmptyError",
    "InvalidLevelError",
    "UnknownMethodError",
    "InvalidArgumentError",
    "ScaleError",
    "InvalidDateError",
    "UnknownNameError",
    "JourneyError",
    "DriverError",
    "PolicyError",
    "TextError",
    "UnknownAlertError",
    "METHODS",
    "DEFAULT_PRIOR",
    "DEFAULT_REPLICATES",
    "DEFAULT_SEED",
    "__version__",
]

METHODS: Final[tuple[str, ...]]
DEFAULT_PRIOR: Final[float]
DEFAULT_REPLICATES: Final[int]
DEFAULT_SEED: Final[int]
__version__: Final[str]

class NpsError(ValueError):
    """Base class of the errors nps raises for bad input (a ValueError).

    The message names the field and, where there is one, the position:
    ``score at index 17 is 11; scores are whole numbers in 0..=10``. Each kind of bad input has its
    own subclass; catch ``nps.NpsError`` for all of them. A score is a whole number on the scale
    (0–10: detractors 贬损者 0–6, passives 被动者 7–8, promoters 推荐者 9–10); NaN, None and NA
    are missing answers, not errors.

    >>> import nps
    >>> try:
    ...     nps.score([None, None])
    ... except nps.NpsError as e:
    ...     print(type(e).__name__, "|", e)
    EmptyError | shares needs at least 1 answered response(s), got 0
    >>> issubclass(nps.InvalidScoreError, nps.NpsError), issubclass(nps.NpsError, ValueError)
    (True, True)
    """
class InvalidScoreError(NpsError):
    """A score off the scale, not a whole number, or infinite (NaN and None are
    missing answers, not errors). On the standard scale scores are whole numbers 0–10: detractors
    (贬损者) 0–6, passives (被动者) 7–8, promoters (推荐者) 9–10; the message gives the position.

    >>> import nps
    >>> nps.score([10, 9, 11])
    Traceback (most recent call last):
    ...
    nps.InvalidScoreError: score at index 2 is 11; scores are whole numbers in 0..=10
    """
class InvalidWeightError(NpsError):
    """A weight that is NaN, infinite or negative, or weights of the answered
    responses that sum to zero.

    >>> import nps
    >>> nps.score([10, 9], weights=[1.0, -1.0])
    Traceback (most recent call last):
    ...
    nps.InvalidWeightError: weight at index 1 is -1; weights must be finite and non-negative
    """
class LengthMismatchError(NpsError):
    """Scores and weights (or other columns) of different lengths.

    >>> import nps
    >>> nps.score([10, 9], weights=[1.0])
    Traceback (most recent call last):
    ...
    nps.LengthMismatchError: weights has 1 elements but scores has 2; they must have the same ...
    """
class EmptyError(NpsError):
    """A result asked of a sample with no answered responses (or too few for it).

    >>> import nps
    >>> nps.score([None, float("nan")])
    Traceback (most recent call last):
    ...
    nps.EmptyError: shares needs at least 1 answered response(s), got 0
    """
class InvalidLevelError(NpsError):
    """A confidence level outside (0, 1); 0.95 means 95 %.

    >>> import nps
    >>> nps.score([10, 9, 0], level=95)
    Traceback (most recent call last):
    ...
    nps.InvalidLevelError: confidence level is 95; it must lie strictly between 0 and 1 ...
    """
class UnknownMethodError(NpsError):
    """A method name that is not known, or not available for the operation
    (``compare`` takes wald or adjusted_wald); ``nps.METHODS`` lists the interval methods.

    >>> import nps
    >>> nps.score([10, 9, 0], method="exact")
    Traceback (most recent call last):
    ...
    nps.UnknownMethodError: unknown interval method "exact"; expected one of wald, ...
    """
class InvalidArgumentError(NpsError):
    """Any other argument outside its domain (prior, replicates, margin,
    population, expected shares, counts).

    >>> import nps
    >>> nps.sample_size(0)
    Traceback (most recent call last):
    ...
    nps.InvalidArgumentError: margin is 0; the margin is a half-width in NPS points, in (0, 200]
    """
class ScaleError(NpsError):
    """Cut-points that are not ordered or lie outside 0..=10, or tallies on
    different scales combined.

    >>> import nps
    >>> nps.Scale(detractor_max=9, promoter_min=7)
    Traceback (most recent call last):
    ...
    nps.ScaleError: invalid cut-points: need min <= detractor_max < promoter_min <= max, ...
    """
class InvalidDateError(NpsError):
    """A date that cannot be parsed or does not exist ("2024-13-01"), with its
    position.

    >>> import nps
    >>> nps.Table.from_columns([10, 9], date=["2024-01-31", "2024-13-01"])
    Traceback (most recent call last):
    ...
    nps.InvalidDateError: date at index 1 is "2024-13-01"; there is no month above 12; ...
    """
class UnknownNameError(NpsError):
    """A dimension, driver or value asked for by a name the table does not
    have; the message lists the names it has.

    >>> import nps
    >>> nps.Table.from_columns([10, 0], dimensions={"brand": ["A", "B"]}).levels("region")
    Traceback (most recent call last):
    ...
    nps.UnknownNameError: unknown dimension "region"; the table has "brand"
    """
class JourneyError(NpsError):
    """A customer journey (客户旅程) that is not a stage (阶段) → scene (场景) →
    touchpoint (触点) tree (duplicate id, unknown parent, cycle), or a response whose touchpoint is
    not in it.

    >>> import nps
    >>> nps.Journey({"nodes": [{"id": "buy", "kind": "stage", "parent": None},
    ...                        {"id": "quote", "kind": "scene", "parent": "sell"}]})
    Traceback (most recent call last):
    ...
    nps.JourneyError: invalid journey at "quote": parent "sell" does not exist
    """
class DriverError(NpsError):
    """A driver (驱动要素) rating column that allows no driver analysis: no ratings,
    constant, perfectly collinear with other drivers, a rating off the declared scale, too few
    complete rows, or more drivers than exact Shapley allows (the message names the driver or the
    alternatives).

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6], "speed": [5., 4, 2, 4, 3],
    ...                    "price": [3., 3, 3, 3, 3]})
    >>> nps.drivers(df)
    Traceback (most recent call last):
    ...
    nps.DriverError: driver "price" is constant: every rating used is 3
    """
class PolicyError(NpsError):
    """An alert policy of the closed loop (闭环) that cannot be used, naming the rule
    (or "(policy)" for the policy as a whole): JSON that does not parse, an unknown key ("scor"), a
    negative service level, a pattern that does not compile, a rule with no condition, no owner or
    a duplicate name, a score range off the scale. Checked when the policy is built
    (``nps.AlertPolicy``, ``nps.alerts``, ``nps.Alerter``), before any response is read.

    >>> import nps
    >>> nps.AlertPolicy({"default_owner": "客户体验部", "rules": [{"name": "回访",
    ...     "when": {"category": ["detractor"]}, "priority": 2, "service_level_hours": -2}]})
    Traceback (most recent call last):
    ...
    nps.PolicyError: alert rule "回访" has a negative service level -2 h; it must be between 0 and ...
    """
class TextError(NpsError):
    """A text (a customer comment, 评论) that cannot be read: bytes that are not valid
    UTF-8, or an empty text where one is needed; the message names the field and the position
    ("comment at index 7 is not valid UTF-8 (byte 3)"). Raised by the comment analyses; the alerts
    (``nps.alerts``, ``nps.Alerter``) take comments as Python ``str`` and count an empty or blank
    comment as no comment, so they never raise it.

    >>> import nps
    >>> issubclass(nps.TextError, nps.NpsError), issubclass(nps.TextError, ValueError)
    (True, True)
    """
class UnknownAlertError(NpsError):
    """A call-back record (回访记录) that names an alert id the queue does not
    have (a record from another day's queue, a typo), with the record's position.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"at": [0], "customer": ["A"], "touchpoint": "web", "ltr": [3]})
    >>> queue = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
    ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    >>> calls = pd.DataFrame({"alert": [1, 7], "contacted_at": pd.to_datetime([None, None])})
    >>> nps.callback_outcomes(queue, calls, resolved=None, later_score=None)
    Traceback (most recent call last):
    ...
    nps.UnknownAlertError: in column "alert": call-back record at index 1 refers to alert "7", which ...
    """

@final
class Scale:
    """The scale of the recommend question and its two cut-points.

    Scores ``min..=detractor_max`` are detractors (贬损者), ``promoter_min..=max`` promoters
    (推荐者), the scores between them passives (被动者). The standard NPS scale (净推荐值) is
    0–10 with detractors 0–6, passives 7–8 and promoters 9–10, the default. Scales must lie
    inside 0..=10 with ``min <= detractor_max < promoter_min <= max``; otherwise
    ``nps.ScaleError``.

    Scales compare equal by value, hash, and pickle.

    >>> import nps
    >>> five = nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5)
    >>> nps.score([5, 5, 4, 1], scale=five).nps
    25.0
    >>> nps.Scale() == nps.Tally().scale
    True
    """
    def __new__(
        cls, min: int = 0, max: int = 10, detractor_max: int = 6, promoter_min: int = 9
    ) -> Self: ...
    @property
    def min(self) -> int:
        """Lowest score of the scale."""
    @property
    def max(self) -> int:
        """Highest score of the scale."""
    @property
    def detractor_max(self) -> int:
        """Highest detractor (贬损者) score: 6 on the standard scale."""
    @property
    def promoter_min(self) -> int:
        """Lowest promoter (推荐者) score: 9 on the standard scale."""
    def to_dict(self) -> dict[str, int]:
        """The cut-points as a dict: ``min``, ``max``, ``detractor_max``, ``promoter_min``
        (``nps.Scale(**d)`` builds the scale back).

        >>> import nps
        >>> nps.Scale().to_dict()
        {'min': 0, 'max': 10, 'detractor_max': 6, 'promoter_min': 9}
        """
    def to_pandas(self) -> pd.DataFrame:
        """The cut-points as a one-row pandas DataFrame, columns and values as ``to_dict()``
        (needs pandas).

        >>> import nps
        >>> nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5).to_pandas()
           min  max  detractor_max  promoter_min
        0    1    5              3             5
        """
    def _repr_html_(self) -> str: ...
    def __getnewargs__(self) -> tuple[int, int, int, int]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Estimate:
    """An NPS (净推荐值) with its standard error and interval: what ``nps.score`` and
    ``Tally.estimate`` return.

    NPS = 100·(pP − pD), the share of promoters (推荐者, 9–10) minus the share of detractors
    (贬损者, 0–6); passives (被动者, 7–8) count in n only. NPS, ``se``, ``low`` and ``high``
    are in points (−100..100), shares are fractions (0..1). ``se`` is the multinomial
    standard error 100·√((pP + pD − (pP − pD)²)/n) (Taylor linearization when weighted),
    whatever the interval method.

    >>> import nps
    >>> e = nps.score([10, 9, 9, 8, 7, 6, 10, 3, 9, 10], method="wald")
    >>> e.n, e.promoters, e.detractors, e.nps
    (10, 0.6, 0.2, 40.0)
    >>> round(e.low, 2), round(e.high, 2)
    (-9.58, 89.58)
    """
    @property
    def n(self) -> int:
        """Number of answered responses."""
    @property
    def n_missing(self) -> int:
        """Number of missing answers (NaN, None, NA) dropped."""
    @property
    def weighted(self) -> bool:
        """Whether weights were used."""
    @property
    def n_eff(self) -> float:
        """Kish effective sample size (Σw)²/Σw² (= n unweighted)."""
    @property
    def design_effect(self) -> float:
        """Kish design effect n/n_eff (= 1 unweighted)."""
    @property
    def promoters(self) -> float:
        """Share of promoters (推荐者), 0..1."""
    @property
    def passives(self) -> float:
        """Share of passives (被动者), 0..1."""
    @property
    def detractors(self) -> float:
        """Share of detractors (贬损者), 0..1."""
    @property
    def nps(self) -> float:
        """NPS in points: 100·(pP − pD)."""
    @property
    def se(self) -> float:
        """Standard error of the NPS in points."""
    @property
    def low(self) -> float:
        """Lower bound of the interval in points."""
    @property
    def high(self) -> float:
        """Upper bound of the interval in points."""
    @property
    def level(self) -> float:
        """Confidence level as a fraction (0.95)."""
    @property
    def method(self) -> str:
        """Name of the method: one of ``nps.METHODS``."""
    def to_dict(self) -> dict[str, Any]:
        """The attributes as a dict (``method`` by name), e.g. a row of a pandas DataFrame.

        >>> import nps
        >>> d = nps.score([10, 9, 0], method="wald").to_dict()
        >>> d["n"], round(d["nps"], 6), d["method"]
        (3, 33.333333, 'wald')
        >>> list(nps.compare([10, 9], [0, 7]).to_dict())[:3]
        ['nps_a', 'nps_b', 'difference']
        """
    def to_pandas(self) -> pd.DataFrame:
        """The result as a one-row pandas DataFrame whose columns and values are
        ``to_dict()``'s (needs pandas; ``pd.concat`` of several makes a table).

        >>> import nps
        >>> nps.score([10, 9, 0], method="wald").to_pandas()[["n", "nps", "method"]].round(2)
           n    nps method
        0  3  33.33   wald
        >>> c = nps.compare([10, 10, 9, 7, 3], [10, 6, 5, 2, 8], method="wald")
        >>> c.to_pandas()[["difference", "p_value"]].round(3)
           difference  p_value
        0        80.0    0.114
        """
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Comparison:
    """The difference between the NPS (净推荐值) of two independent samples, with its test:
    what ``nps.compare`` returns. Points throughout.

    difference = NPS_a − NPS_b, se = √(se_a² + se_b²), z = difference/se,
    p_value = 2·(1 − Φ(|z|)) (two-sided, H₀: equal NPS), interval difference ± z_crit·se.
    Under ``adjusted_wald`` each sample first gets 0.75 promoters (推荐者), 1.5 passives
    (被动者) and 0.75 detractors (贬损者) added (Rocks 2016), and ``nps_a``/``nps_b`` are the
    adjusted estimates.

    >>> import nps
    >>> a = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    >>> b = nps.Tally.from_counts([30, 0, 0, 0, 0, 0, 0, 30, 0, 0, 40])
    >>> c = nps.compare(a, b, method="wald")
    >>> round(c.difference, 6), round(c.p_value, 4)
    (20.0, 0.0794)
    """
    @property
    def nps_a(self) -> float:
        """NPS of the first sample in points."""
    @property
    def nps_b(self) -> float:
        """NPS of the second sample in points."""
    @property
    def difference(self) -> float:
        """NPS(a) − NPS(b) in points."""
    @property
    def se(self) -> float:
        """Standard error of the difference in points."""
    @property
    def z(self) -> float:
        """Test statistic difference/se."""
    @property
    def p_value(self) -> float:
        """Two-sided p-value of H₀: equal NPS."""
    @property
    def low(self) -> float:
        """Lower bound of the difference in points."""
    @property
    def high(self) -> float:
        """Upper bound of the difference in points."""
    @property
    def level(self) -> float:
        """Confidence level as a fraction (0.95)."""
    @property
    def method(self) -> str:
        """Name of the method: one of ``nps.METHODS``."""
    def to_dict(self) -> dict[str, Any]:
        """The attributes as a dict (``method`` by name), e.g. a row of a pandas DataFrame.

        >>> import nps
        >>> d = nps.score([10, 9, 0], method="wald").to_dict()
        >>> d["n"], round(d["nps"], 6), d["method"]
        (3, 33.333333, 'wald')
        >>> list(nps.compare([10, 9], [0, 7]).to_dict())[:3]
        ['nps_a', 'nps_b', 'difference']
        """
    def to_pandas(self) -> pd.DataFrame:
        """The result as a one-row pandas DataFrame whose columns and values are
        ``to_dict()``'s (needs pandas; ``pd.concat`` of several makes a table).

        >>> import nps
        >>> nps.score([10, 9, 0], method="wald").to_pandas()[["n", "nps", "method"]].round(2)
           n    nps method
        0  3  33.33   wald
        >>> c = nps.compare([10, 10, 9, 7, 3], [10, 6, 5, 2, 8], method="wald")
        >>> c.to_pandas()[["difference", "p_value"]].round(3)
           difference  p_value
        0        80.0    0.114
        """
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str, dict[str, Any]]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Tally:
    """The sufficient statistic of a set of recommend answers: the count of each score 0..=10, the
    number of missing answers, and Σw, Σw² per category when weighted.

    Every NPS (净推荐值), share, standard error and interval is a function of the tally, and
    tallies merge exactly: ``t1 + t2``, ``t += t2``, ``sum([t1, t2, t3])`` give what one tally of
    all the answers gives, so per-partition tallies (one per file, per day, per worker) combine
    into the single-machine answer. Merging a weighted with an unweighted tally gives the
    unweighted answers unit weights. Promoters (推荐者) score 9–10, passives (被动者) 7–8,
    detractors (贬损者) 0–6 on the standard scale.

    From the tally: NPS = 100·(pP − pD) with pX = Σw over X / Σw (counts when unweighted), the
    standard error (see ``se``), Kish's effective size n_eff = (Σw)²/Σw², and every interval.
    ``to_pandas()`` gives the histogram (one row per score); in Jupyter a tally shows as a table.

    ``Tally(scores, weights)`` takes the same inputs as ``nps.score``; ``Tally()`` is empty.
    Tallies compare equal by value and pickle.

    >>> import nps
    >>> t = nps.Tally([10, 9, 8, 7, 3, 10])
    >>> t += nps.Tally([float("nan"), 0, 10])
    >>> t.n, t.n_missing, t.counts[10]
    (8, 1, 3)
    >>> round(t.nps, 9)
    25.0
    >>> round(t.estimate("wald").low, 2)
    -32.46
    """
    def __new__(
        cls,
        scores: _Scores | None = None,
        weights: _Weights | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self: ...
    @classmethod
    def from_counts(
        cls, counts: Sequence[int] | npt.NDArray[np.integer[Any]], scale: Scale | None = None
    ) -> Self:
        """A tally from the count of each score: ``counts[s]`` answers scored ``s``, s = 0..10.

        >>> import nps
        >>> t = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
        >>> t.n, t.promoters, t.passives, t.detractors
        (100, 0.5, 0.3, 0.2)
        """
    def add(self, scores: _Scores, weights: _Weights | None = None) -> None:
        """Adds scores (and weights) in place; same inputs as ``nps.score``. On error the tally is
        unchanged.

        >>> import nps
        >>> t = nps.Tally()
        >>> t.add([10, 9, 0])
        >>> t.add([7, 8], weights=[1.0, 3.0])
        >>> t.n, t.weighted
        (5, True)
        """
    def estimate(
        self,
        method: str = "adjusted_wald",
        level: float = 0.95,
        *,
        prior: float = 0.5,
        replicates: int = 10000,
        seed: int = 20240601,
    ) -> Estimate:
        """The NPS with its standard error and an interval; parameters as in ``nps.score``.

        >>> import nps
        >>> t = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
        >>> e = t.estimate("adjusted_wald", 0.95)
        >>> round(e.low, 4), round(e.high, 4)
        (14.0511, 44.2013)
        """
    @property
    def n(self) -> int:
        """Number of answered responses."""
    @property
    def n_missing(self) -> int:
        """Number of missing answers (NaN, None, NA) seen and dropped."""
    @property
    def counts(self) -> list[int]:
        """The count of each score 0..=10 (a list of 11; index = score)."""
    @property
    def weighted(self) -> bool:
        """Whether weights were given."""
    @property
    def scale(self) -> Scale:
        """The scale the tally counts on."""
    @property
    def promoters(self) -> float:
        """Share of promoters (推荐者), 0..1 (weighted when weighted); ``EmptyError`` when empty."""
    @property
    def passives(self) -> float:
        """Share of passives (被动者), 0..1."""
    @property
    def detractors(self) -> float:
        """Share of detractors (贬损者), 0..1."""
    @property
    def nps(self) -> float:
        """NPS (净推荐值) in points: 100·(pP − pD)."""
    @property
    def se(self) -> float:
        """Standard error of the NPS in points: 100·√((pP + pD − (pP − pD)²)/n), or the Taylor
        linearization n/(n−1)·Σ_c Σw²_c (s_c − NPS)²/(Σw)² when weighted (as R ``survey``).
        """
    @property
    def n_eff(self) -> float:
        """Kish effective sample size (Σw)²/Σw² (= n unweighted)."""
    @property
    def design_effect(self) -> float:
        """Kish design effect of weighting n/n_eff = n·Σw²/(Σw)² (= 1 unweighted)."""
    def to_dict(self) -> dict[str, Any]:
        """The tally as a dict: ``n``, ``n_missing``, ``counts``, ``weighted`` and ``scale`` (a dict
        of the cut-points, as ``Scale.to_dict``).

        >>> import nps
        >>> d = nps.Tally([10, 9, 0, None]).to_dict()
        >>> d["n"], d["n_missing"], d["counts"][9:], d["scale"]["promoter_min"]
        (3, 1, [1, 1], 9)
        """
    def to_pandas(self) -> pd.DataFrame:
        """The tally as a tidy pandas DataFrame, one row per score of the scale: ``score``,
        ``category`` ("detractor" 贬损者, "passive" 被动者 or "promoter" 推荐者) and ``count``
        (``to_dict()["counts"]`` over the scale); ``attrs`` holds ``n``, ``n_missing`` and
        ``weighted``. Needs pandas.

        >>> import nps
        >>> f = nps.Tally([10, 9, 9, 7, 3]).to_pandas()
        >>> f.groupby("category")["count"].sum().to_dict()
        {'detractor': 1, 'passive': 1, 'promoter': 3}
        >>> f.tail(2)
            score  category  count
        9       9  promoter      2
        10     10  promoter      1
        """
    def _repr_html_(self) -> str: ...
    def __add__(self, value: Tally, /) -> Tally: ...
    def __radd__(self, value: int, /) -> Tally: ...
    def __iadd__(self, value: Tally, /) -> Self: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]
    def __getstate__(self) -> str:
        """The tally as the core's JSON (for pickle and copy)."""
    def __setstate__(self, state: str) -> None: ...

def score(
    scores: _Scores,
    weights: _Weights | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    *,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
    scale: Scale | None = None,
) -> Estimate:
    """The NPS (净推荐值) of scores, with its standard error and interval.

    NPS = 100·(pP − pD) in points (−100..100): the share of promoters (推荐者, 9–10) minus the
    share of detractors (贬损者, 0–6); passives (被动者, 7–8) count in n only. With weights the
    shares are weighted, pX = Σw over X / Σw.

    Parameters
    ----------
    scores : array-like of numbers
        A list (None = missing answer), a numpy array of any integer or float dtype (NaN =
        missing; read in place when contiguous), or a pandas Series (NA = missing; nullable
        Int64/Float64 included). Whole numbers on the scale, else ``InvalidScoreError`` naming
        the position. Booleans, strings and other objects raise ``TypeError``.
    weights : array-like of float, optional
        One finite, non-negative weight per score (``InvalidWeightError``,
        ``LengthMismatchError``). Missing scores ignore their weight.
    method : str
        Interval method, one of ``nps.METHODS``: ``wald`` (NPS ± z·se), ``adjusted_wald``
        (Rocks 2016: Wald after adding 0.75/1.5/0.75 pseudo-answers; the default), ``score``
        (Tango 1998), ``bayes`` (Dirichlet credible interval), ``bootstrap`` (percentile).
    level : float
        Confidence level as a fraction in (0, 1), e.g. 0.95.
    prior : float
        Dirichlet prior per category for ``bayes`` (0.5 = Jeffreys).
    replicates, seed : int
        Number of resamples and random seed for ``bootstrap`` (same seed, same interval).
    scale : nps.Scale, optional
        Other cut-points or another scale; the standard 0–10 scale by default.

    Returns
    -------
    nps.Estimate

    >>> import nps
    >>> e = nps.score([10, 9, 8, 7, 3, 10, None], method="wald")
    >>> e.n, e.n_missing, round(e.nps, 9)
    (6, 1, 33.333333333)
    """
def compare(
    a: _Scores | Tally,
    b: _Scores | Tally,
    *,
    weights_a: _Weights | None = None,
    weights_b: _Weights | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    scale: Scale | None = None,
) -> Comparison:
    """Compares the NPS (净推荐值) of two independent samples (two periods, two brands, two
    touchpoints): is the difference real or noise?

    difference = NPS_a − NPS_b in points, se = √(se_a² + se_b²), z = difference/se,
    p_value = 2·(1 − Φ(|z|)), interval difference ± z_crit·se (clipped to ±200). ``wald`` uses
    each sample's NPS and standard error (Taylor when weighted); ``adjusted_wald`` (Rocks 2016,
    the default) first adds 0.75 promoters (推荐者), 1.5 passives (被动者) and 0.75 detractors
    (贬损者) to each sample. Other methods raise ``UnknownMethodError``.

    Parameters
    ----------
    a, b : array-like of numbers, or nps.Tally
        Scores as ``nps.score`` takes them, or tallies (which carry their own weights and scale).
        Errors in a sample's data name it: ``in b: score at index 3 is 11; ...``.
    weights_a, weights_b : array-like of float, optional
        Weights of array samples.
    method : str
        ``wald`` or ``adjusted_wald``.
    level : float
        Confidence level of the interval as a fraction in (0, 1).
    scale : nps.Scale, optional
        Scale of array samples (standard 0–10 by default); both samples must share a scale.

    Returns
    -------
    nps.Comparison

    >>> import nps
    >>> c = nps.compare([10, 10, 9, 7, 3], [10, 6, 5, 2, 8], method="wald")
    >>> round(c.difference, 9), round(c.p_value, 3)
    (80.0, 0.114)
    """
def sample_size(
    margin: float,
    level: float = 0.95,
    *,
    promoters: float | None = None,
    detractors: float | None = None,
    population: int | None = None,
) -> int:
    """Number of answers needed for an NPS (净推荐值) interval of ± ``margin`` points.

    n₀ = z²·V/E² with E = margin/100, z the two-sided normal quantile of ``level`` and
    V = pP + pD − (pP − pD)² the variance of one answer scored +1 (promoter, 推荐者), 0 (passive,
    被动者) or −1 (detractor, 贬损者). Without expected shares V = 1, the worst case (half
    promoters, half detractors). With a finite ``population`` N, n = n₀/(1 + (n₀ − 1)/N).
    Rounded up.

    Parameters
    ----------
    margin : float
        Half-width of the interval in NPS points, in (0, 200].
    level : float
        Confidence level as a fraction in (0, 1).
    promoters, detractors : float, optional
        Expected shares (fractions, given together); the worst case when omitted.
    population : int, optional
        Size of the population surveyed (finite population correction).

    >>> import nps
    >>> nps.sample_size(5), nps.sample_size(10), nps.sample_size(5, 0.90)
    (1537, 385, 1083)
    """
def margin_of_error(
    n: int,
    level: float = 0.95,
    *,
    promoters: float | None = None,
    detractors: float | None = None,
    population: int | None = None,
) -> float:
    """Half-width, in NPS (净推荐值) points, of the interval ``n`` answers give.

    E = 100·z·√(V/n), with z the two-sided normal quantile of ``level`` and
    V = pP + pD − (pP − pD)² the variance of one answer scored +1 (promoter, 推荐者), 0 (passive,
    被动者) or −1 (detractor, 贬损者); V = 1, the worst case, without expected shares. With a
    finite ``population`` N, E is multiplied by √((N − n)/(N − 1)).

    Parameters
    ----------
    n : int
        Number of answers.
    level : float
        Confidence level as a fraction in (0, 1).
    promoters, detractors : float, optional
        Expected shares (fractions, given together); the worst case when omitted.
    population : int, optional
        Size of the population surveyed (finite population correction).

    >>> import nps
    >>> round(nps.margin_of_error(385), 2)
    9.99
    >>> round(nps.margin_of_error(400, promoters=0.5, detractors=0.2), 2)
    7.65
    """

# Column names: one name or a list of names, as `nps._convert` reads them.
_Names: TypeAlias = Union[str, Sequence[str]]

@final
class Table:
    """A table of survey responses, stored by column in Rust: the recommend score (0–10), optional
    weights, categorical dimensions (brand, region, touchpoint…), optional response dates and
    optional driver ratings (驱动要素评分).

    ``nps.by``, ``nps.trend``, ``nps.attribute``, ``nps.benchmark`` and ``nps.journey`` build one
    from a DataFrame (pandas or polars) on each call; build it once with ``Table.from_frame`` to run several
    analyses on the same data (they take a table in place of the DataFrame). Promoters
    (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6; the NPS (净推荐值) is
    %promoters − %detractors.

    Positions in error messages are row positions (0-based), not index labels. Tables compare
    equal by value (NaN ratings compare unequal, as NaN does) and pickle (column by column, as
    numpy arrays).

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8], "brand": ["A", "A", "B", "B"],
    ...                    "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-02-03",
    ...                                            "2024-03-30"])})
    >>> t = nps.Table.from_frame(df, date="date")
    >>> len(t), t.dimensions, t.levels("brand"), t.has_dates
    (4, ['brand'], ['A', 'B'], True)
    >>> round(t.tally().nps, 9)
    25.0
    """
    def __new__(cls) -> Self: ...
    @classmethod
    def from_frame(
        cls,
        df: Any,
        score: str = "ltr",
        weight: str | None = None,
        dimensions: _Names | None = None,
        date: str | None = None,
        drivers: _Names | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self:
        """A table from the columns of a pandas or polars DataFrame, by name.

        Parameters
        ----------
        df : pandas or polars DataFrame
            polars columns are read without pyarrow: numbers through ``to_numpy`` (null =
            missing), an Enum through its physical codes and categories, a Categorical or
            String column by its distinct values (lexical order), Date and Datetime columns as
            datetime64, booleans as in pandas.
        score : str
            The recommend score column (numbers 0–10; NaN/None/NA = not answered).
        weight : str, optional
            A column of survey weights (finite, non-negative).
        dimensions : list of str, optional
            Categorical columns to group by. By default every categorical, object, string and
            boolean column other than the score, weight, date and driver columns. Values are
            compared as text (``str``); NaN/None are missing values. The levels of a pandas
            Categorical (or a polars Enum) are its categories, unused ones included; the
            analyses report only groups that have rows.
        date : str, optional
            The response date: a datetime64 column (any unit; time-zone-aware columns are taken
            in UTC; ``NaT`` raises ``InvalidDateError``) or a column of texts ("2024-03-05",
            "2024-03-05T10:22:00Z"; a text that is not a date raises ``InvalidDateError``).
        drivers : list of str, optional
            Driver rating columns (numbers; NaN = not rated).
        scale : nps.Scale, optional
            Other cut-points; the standard 0–10 scale by default.

        A name that is not a column of ``df`` raises ``UnknownNameError`` listing the columns; a
        frame without rows raises ``EmptyError``; a score, weight or driver column that is not
        numbers raises ``TypeError`` naming it; core errors in the score, weight and date
        columns name the column (``in column "ltr": score at index 4 is 11; …``).

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"ltr": [10, None, 3], "region": ["N", "S", None]})
        >>> t = nps.Table.from_frame(df)
        >>> t.dimensions, t.tally().n
        (['region'], 2)
        """
    @classmethod
    def from_columns(
        cls,
        score: _Scores,
        weight: _Weights | None = None,
        dimensions: Mapping[str, Any] | None = None,
        date: Any | None = None,
        drivers: Mapping[str, _Weights] | None = None,
        *,
        scale: Scale | None = None,
    ) -> Self:
        """A table from arrays: ``score`` (as ``nps.score`` takes it), optional ``weight``, dicts
        of dimension and driver columns by name, and optional dates (datetime64 values or
        texts). Every column must have one value per score (``LengthMismatchError``).

        >>> import nps
        >>> t = nps.Table.from_columns([10, 9, 0], dimensions={"brand": ["A", "B", "A"]},
        ...                            date=["2024-01-01", "2024-01-02", "2024-02-01"])
        >>> len(t), t.levels("brand")
        (3, ['A', 'B'])
        """
    def __len__(self) -> int: ...
    @property
    def dimensions(self) -> list[str]:
        """The names of the dimensions, in order."""
    @property
    def drivers(self) -> list[str]:
        """The names of the driver columns, in order."""
    @property
    def weighted(self) -> bool:
        """Whether the table has weights."""
    @property
    def has_dates(self) -> bool:
        """Whether the table has response dates."""
    @property
    def scale(self) -> Scale:
        """The scale of the scores."""
    def levels(self, name: str) -> list[str]:
        """The distinct values of dimension ``name`` (``UnknownNameError`` for an unknown name)."""
    def tally(self) -> Tally:
        """The tally of every row (a ``nps.Tally``)."""
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickles the columns as numpy arrays (exact, NaN ratings included): the score codes, the
        weights, each dimension's levels and codes, the dates as the core's day dimension (first
        day and per-row offsets), and the driver ratings.
        """
    @classmethod
    def _from_state(cls, state: str) -> Self:
        """Rebuilds a table from what ``__reduce__`` saved (for pickle)."""
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Journey:
    """A customer journey (客户旅程): stages (阶段) → scenes (场景) → touchpoints (触点), checked to
    be a tree (unique ids, known parents, no cycle, right levels, at least one touchpoint;
    otherwise ``nps.JourneyError`` naming the node).

    ``Journey(spec)`` takes a dict or its JSON text, in the nested form
    ``{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints": [{"id", "name"}]}]}]}``
    or the flat form ``{"nodes": [{"id", "name", "kind", "parent"}]}`` (names default to ids).
    Transactional NPS (the NPS, 净推荐值, asked right after a contact) is collected at
    touchpoints; ``nps.journey`` rolls it up to scenes and stages. Promoters (推荐者) score
    9–10, passives (被动者) 7–8, detractors (贬损者) 0–6. Journeys compare equal by value and
    pickle.

    >>> import nps
    >>> j = nps.Journey({"stages": [{"id": "claim", "name": "Claim", "scenes": [
    ...     {"id": "claim.report", "name": "Reporting", "touchpoints": [
    ...         {"id": "claim.phone", "name": "By phone"}, {"id": "claim.app"}]}]}]})
    >>> j.touchpoints
    ['claim.phone', 'claim.app']
    >>> j.nodes[3]
    {'id': 'claim.app', 'name': 'claim.app', 'kind': 'touchpoint', 'parent': 'claim.report'}
    >>> nps.Journey.from_json(j.to_json()) == j
    True
    """
    def __new__(cls, spec: Mapping[str, Any] | str) -> Self: ...
    @classmethod
    def from_json(cls, text: str) -> Self:
        """The journey of a JSON text (nested or flat form).

        >>> import nps
        >>> j = nps.Journey.from_json('{"nodes": [{"id": "s", "kind": "stage", "parent": null},'
        ...     ' {"id": "c", "kind": "scene", "parent": "s"},'
        ...     ' {"id": "t", "kind": "touchpoint", "parent": "c"}]}')
        >>> [n["kind"] for n in j.nodes]
        ['stage', 'scene', 'touchpoint']
        """
    def to_json(self) -> str:
        """The journey as compact JSON in the nested form (``from_json`` reads it back).

        >>> import nps
        >>> nps.Journey({"nodes": [{"id": "s", "kind": "stage", "parent": None},
        ...     {"id": "c", "kind": "scene", "parent": "s"},
        ...     {"id": "t", "kind": "touchpoint", "parent": "c"}]}).to_json()[:40]
        '{"stages":[{"id":"s","name":"s","scenes"'
        """
    def to_dict(self) -> dict[str, Any]:
        """The journey as a dict in the nested form (``to_json`` read by ``json.loads``;
        ``nps.Journey(d)`` builds it back).

        >>> import nps
        >>> j = nps.Journey({"stages": [{"id": "s", "scenes": [{"id": "c", "touchpoints": [
        ...     {"id": "t", "name": "Phone"}]}]}]})
        >>> j.to_dict()["stages"][0]["scenes"][0]["touchpoints"]
        [{'id': 't', 'name': 'Phone'}]
        >>> nps.Journey(j.to_dict()) == j
        True
        """
    def to_pandas(self) -> pd.DataFrame:
        """The nodes as a tidy pandas DataFrame, one row per node in tree order: ``id``, ``name``,
        ``kind`` ("stage" 阶段, "scene" 场景 or "touchpoint" 触点) and ``parent`` (None for a
        stage), as ``nodes`` gives them (needs pandas).

        >>> import nps
        >>> j = nps.Journey({"stages": [{"id": "s", "name": "Claim", "scenes": [
        ...     {"id": "c", "touchpoints": [{"id": "t", "name": "Phone"}]}]}]})
        >>> j.to_pandas()
          id   name        kind parent
        0  s  Claim       stage   None
        1  c      c       scene      s
        2  t  Phone  touchpoint      c
        """
    def _repr_html_(self) -> str: ...
    @property
    def nodes(self) -> list[dict[str, Any]]:
        """The nodes in tree order (a stage, each of its scenes followed by the scene's
        touchpoints, then the next stage), as dicts with ``id``, ``name``, ``kind`` and
        ``parent`` (None for a stage).
        """
    @property
    def touchpoints(self) -> list[str]:
        """The touchpoint ids, in tree order."""
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

def group_by_columns(
    source: Table | Cube,
    keys: Sequence[str],
    *,
    period: str | None = None,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    margins: bool = False,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """The columns of ``nps.by`` for a table or a cube (``nps.Cube``, whose keys must then be
    ``keys`` and ``period``): one row per combination of ``keys`` (then the period of
    ``period``, a unit name) that has responses, then the margins when ``margins``.

    Returns a dict: one list per key (values; ``"All"`` in margins; ``None`` for missing
    values), then the arrays ``n``, ``n_missing``, ``promoters``, ``passives``, ``detractors``,
    ``nps``, ``se``, ``low``, ``high``, ``small`` and, for a weighted table, ``n_eff`` and
    ``design_effect``. Numbers are NaN for a group without answered responses. Use ``nps.by``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 9, 3, 8], dimensions={"brand": ["A", "A", "B", "B"]})
    >>> _nps.group_by_columns(t, ["brand"], method="wald")["nps"].tolist()
    [100.0, -50.0]
    """
def attribute_columns(
    table: Table,
    dimensions: Sequence[str],
    *,
    start: str,
    end: str,
    column: str | None = None,
    unit: str | None = None,
    level: float = 0.95,
) -> dict[str, Any]:
    """The parts of ``nps.attribute`` for a table: the NPS change between two periods (``unit``
    and the period labels ``start``, ``end``) or two values of dimension ``column``, split along
    each of ``dimensions`` into mix and rate effects.

    Returns a dict: ``columns`` (``dimension``, ``segment``, ``share_from``, ``share_to``,
    ``nps_from``, ``nps_to``, ``mix``, ``rate``, ``contribution``, ``se``, ``low``, ``high``;
    segments ranked by contribution within each dimension), ``change`` (an ``nps.Comparison``,
    end − start) and ``effects`` (per dimension, ``{"mix": …, "rate": …}``). Use
    ``nps.attribute``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 0, 10, 10], dimensions={"wave": ["1", "1", "2", "2"],
    ...                                                          "region": ["N", "S", "N", "S"]})
    >>> a = _nps.attribute_columns(t, ["region"], column="wave", start="1", end="2")
    >>> a["change"].difference, a["effects"]["region"]["rate"]
    (100.0, 100.0)
    """
def trend_columns(
    source: Table | Cube,
    keys: Sequence[str],
    *,
    unit: str = "month",
    window: int = 1,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """The columns of ``nps.trend`` for a table with dates, or for a cube (``nps.Cube``) keyed by
    ``keys`` then the period of ``unit``: one row per group of ``keys`` × period, from the first
    period to the last.

    Returns a dict: ``columns`` (one list per key; ``period`` labels; ``start``, the first day
    of each period in days since 1970-01-01; ``n``, ``nps``, ``low``, ``high``, ``gap``,
    ``small``; ``change``, ``change_low``, ``change_high``, ``change_p``, ``change_q``,
    ``change_significant`` against the previous window; the group's ``slope``, ``slope_se``,
    ``slope_low``, ``slope_high``, ``slope_p``, ``slope_q`` and ``direction`` repeated on its
    rows) and ``adjustment`` (``{"changes": {...}, "slopes": {...}}``, each with ``method``,
    ``rate`` and ``tests``). Use ``nps.trend``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 0, 10, 10], date=["2024-01-02", "2024-01-09",
    ...                                                   "2024-03-01", "2024-03-05"])
    >>> c = _nps.trend_columns(t, [], unit="month")["columns"]
    >>> c["period"], c["gap"].tolist()
    (['2024-01', '2024-02', '2024-03'], [False, True, False])
    """
def study_trigger_dict(
    transactional: Table,
    relationship: Table,
    by: Sequence[str],
    *,
    unit: str = "quarter",
    window: int = 1,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """The seed's trigger for an analytical (strategic) NPS study: due when transactional NPS
    (场景NPS) rises, overall or in a group of ``by`` (slopes adjusted by Benjamini–Hochberg
    across the groups), while relationship NPS (关系NPS) is flat.

    Returns a dict: ``due`` (bool), ``reason`` (the verdict with its numbers),
    ``transactional`` and ``relationship`` (the overall slopes as dicts with ``per_period``,
    ``se``, ``low``, ``high``, ``p_value``, ``q_value``, ``direction``, ``periods``; ``None``
    with fewer than two periods with answers), ``rising`` (the labels of the rising groups: the
    value for one key, a tuple for several) and ``adjustment``. Use ``nps.study_trigger``.

    >>> import nps
    >>> from nps import _nps
    >>> days = ["2024-01-01", "2024-02-01", "2024-03-01"]
    >>> t = nps.Table.from_columns([0, 10, 10], dimensions={"touchpoint": ["a"] * 3}, date=days)
    >>> _nps.study_trigger_dict(t, t, ["touchpoint"], unit="month")["due"]
    False
    """
def benchmark_columns(
    table: Table,
    brand: str,
    own: str,
    by: Sequence[str],
    *,
    period: str | None = None,
    unit: str | None = None,
    method: str = "adjusted_wald",
    comparison: str = "adjusted_wald",
    level: float = 0.95,
    rate: float = 0.05,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """The parts of ``nps.benchmark`` for a table: the own brand ``own`` (a value of dimension
    ``brand``) against every other brand, overall and per value of each key of ``by`` (then of
    the period of ``period``, a unit name); with ``unit``, the competitors whose NPS rises; and
    the mean rating of every driver of the table per brand.

    Returns a dict: ``rows`` (``dimension``, ``segment``, ``brand``, ``n``, ``nps``, ``low``,
    ``high``, ``small``, ``rank``, ``gap``, ``gap_low``, ``gap_high``, ``gap_p``, ``gap_q``,
    ``gap_significant``), ``gains`` (``brand``, ``dimension``, ``segment``, ``slope``,
    ``slope_low``, ``slope_high``, ``slope_q``, ``own_slope``), ``drivers`` (``driver``,
    ``brand``, ``n``, ``mean``, ``sd``, ``low``, ``high``, ``gap_to_best``,
    ``best_competitor``, ``gap_p``) and ``adjustment`` (of the gaps). Use ``nps.benchmark``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 10, 0, 10], dimensions={"brand": ["Own", "Own", "B", "B"]})
    >>> b = _nps.benchmark_columns(t, "brand", "Own", [], comparison="wald")
    >>> b["rows"]["brand"], b["rows"]["gap"].tolist()
    (['B', 'Own'], [100.0, nan])
    """
def journey_columns(
    table: Table,
    journey: Journey,
    touchpoint: str = "touchpoint",
    *,
    method: str = "adjusted_wald",
    level: float = 0.95,
    min_n: int = 30,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
) -> dict[str, Any]:
    """The columns of ``nps.journey`` for a table: one row per node of ``journey`` in tree order,
    each touchpoint from the responses whose dimension ``touchpoint`` holds its id, each scene
    and stage from its children's.

    Returns a dict: ``kind``, ``id``, ``name``, ``parent`` (lists), ``n``, ``share`` (of the
    journey's answered responses), ``nps``, ``se``, ``low``, ``high`` (NaN without answers) and
    ``small``. Use ``nps.journey``.

    >>> import nps
    >>> from nps import _nps
    >>> j = nps.Journey({"stages": [{"id": "s", "scenes": [{"id": "c", "touchpoints": [
    ...     {"id": "t1"}, {"id": "t2"}]}]}]})
    >>> t = nps.Table.from_columns([10, 0, 9], dimensions={"touchpoint": ["t1", "t1", "t2"]})
    >>> _nps.journey_columns(t, j, "touchpoint")["n"].tolist()
    [3, 3, 2, 1]
    """
def drivers_of_columns(
    target: npt.NDArray[np.float64],
    drivers: Sequence[tuple[str, npt.NDArray[np.float64]]],
    weights: npt.NDArray[np.float64] | None = None,
    *,
    method: str = "shapley",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    level: float = 0.95,
    seed: int = 20240601,
) -> dict[str, Any]:
    """Driver importance of a target column and driver rating columns (float64 arrays, NaN =
    missing) with optional weights: the target's values are the outcome, whatever their scale
    (no bootstrap: that needs a table). Returns ``{"columns": …, "attrs": …}``; ``share`` is in
    percent. Use ``nps.drivers``.

    >>> import numpy as np
    >>> from nps import _nps
    >>> y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])
    >>> x = [("a", np.array([1.0, 2.0, 3.0, 3.0, 5.0, 5.0])),
    ...      ("b", np.array([2.0, 1.0, 2.0, 1.0, 2.0, 1.0]))]
    >>> out = _nps.drivers_of_columns(y, x, method="johnson")
    >>> out["columns"]["driver"], round(float(out["columns"]["share"].sum()), 9)
    (['a', 'b'], 100.0)
    """
def drivers_of_table(
    table: Table,
    keys: Sequence[str],
    *,
    drivers: Sequence[str] | None = None,
    method: str = "shapley",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
) -> dict[str, Any]:
    """Driver importance of the drivers of a table (its own drivers, or ``drivers`` by name), for
    the whole table or, with ``keys`` (dimension names), per combination of their values.

    Returns ``{"columns": …, "attrs": …}``. Columns: one per key (grouped), ``driver``,
    ``importance``, ``share`` (percent), ``sign``, ``se`` (sampled Shapley), ``low``, ``high``,
    ``includes_zero`` (bootstrapped) and, grouped, ``n``, ``r2`` and ``problem`` (why a group
    has no result; its numbers are NaN). Use ``nps.drivers``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...     drivers={"speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3], "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> out = _nps.drivers_of_table(t, [])
    >>> out["columns"]["driver"], out["attrs"]["n"]
    (['speed', 'price'], 10)
    """
def priorities_of_table(
    table: Table,
    *,
    drivers: Sequence[str] | None = None,
    method: str = "johnson",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
    focus: tuple[str, str] | None = None,
    target: float | None = None,
    targets: Sequence[tuple[str, float]] | None = None,
    group: tuple[str, str] | None = None,
    top_box: float | None = None,
    importance_cut: str | float | None = None,
    performance_cut: str | float | None = None,
    rate: float = 0.05,
) -> dict[str, Any]:
    """Improvement priorities of the drivers of a table: importance against performance, the gap
    to a reference, the quadrant and the action rank.

    Returns ``{"columns": …, "attrs": …}``. Columns: ``driver``, ``importance``, ``share``
    (percent), ``sign``, ``importance_low``, ``importance_high`` (bootstrapped),
    ``performance``, ``performance_low``, ``performance_high``, ``n``, ``reference``, ``gap``,
    ``gap_p``, ``gap_q`` (NaN without a reference), ``gap_significant``, ``quadrant``,
    ``p_improve_now``, ``p_exceed``, ``p_maintain``, ``p_low_priority`` (bootstrapped) and
    ``action_rank`` (a list, None off the action list). ``attrs``: the cuts (``importance_cut``
    in percent), ``r2``, ``n``, ``method``… Use ``nps.priorities``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Table.from_columns([10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...     drivers={"speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3], "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1]})
    >>> out = _nps.priorities_of_table(t, target=3.5)
    >>> out["columns"]["quadrant"], out["columns"]["action_rank"]
    (['exceed', 'low_priority'], [2, 1])
    """
def journey_priorities_of_table(
    table: Table,
    journey: Journey,
    *,
    drivers: Sequence[str] | None = None,
    method: str = "johnson",
    outcome: str = "score",
    missing: str = "listwise",
    spearman: bool = False,
    scale: tuple[float, float] | None = None,
    samples: int | None = None,
    max_exact: int = 24,
    replicates: int = 0,
    level: float = 0.95,
    seed: int = 20240601,
    focus: tuple[str, str] | None = None,
    target: float | None = None,
    targets: Sequence[tuple[str, float]] | None = None,
    group: tuple[str, str] | None = None,
    top_box: float | None = None,
    importance_cut: str | float | None = None,
    performance_cut: str | float | None = None,
    rate: float = 0.05,
) -> dict[str, Any]:
    """Priorities of the nodes of a customer journey whose ids are driver columns of the table,
    rolled up to scenes and stages (options as in ``priorities_of_table``).

    Returns ``{"columns": …, "attrs": …}``: ``kind``, ``id``, ``name``, ``parent``,
    ``importance``, ``share`` (percent), ``performance`` (NaN for a node without rated
    descendants) and ``quadrant`` (among nodes of the same kind; None without one). Use
    ``nps.journey_priorities``.
    """

# The closed loop (alerts and call-backs): nps-py/src/alert.rs

_Policy: TypeAlias = Union["AlertPolicy", Mapping[str, Any], str]

def alerts_columns(
    policy: AlertPolicy,
    at: npt.NDArray[np.int64],
    customer: tuple[Sequence[str], npt.NDArray[np.uint32]],
    touchpoint: tuple[Sequence[str], npt.NDArray[np.uint32]],
    score: npt.NDArray[Any],
    previous: npt.NDArray[np.float64] | None = None,
    value: npt.NDArray[np.float64] | None = None,
    comment: Sequence[str | None] | None = None,
    names: dict[str, str] | None = None,
) -> AlertQueue:
    """The call-back queue of a batch of responses by column (what ``nps.alerts`` computes).

    ``at``: int64 seconds since 1970-01-01 UTC; ``customer`` and ``touchpoint``: (categories,
    uint32 codes), missing = 2³² − 1; ``score``: a numeric array (NaN = not answered);
    ``previous`` and ``value``: float64 arrays (NaN = none) or None; ``comment``: a list of str
    or None, or None; ``names``: argument → DataFrame column name, for errors. Use
    ``nps.alerts``.

    >>> import numpy as np, nps
    >>> from nps import _nps
    >>> policy = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
    ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    >>> q = _nps.alerts_columns(policy, np.array([0, 60]),
    ...                         (["A", "B"], np.array([0, 1], np.uint32)),
    ...                         (["web"], np.array([0, 0], np.uint32)), np.array([3.0, 9.0]))
    >>> [a["customer"] for a in q]
    ['A']
    """
def callback_outcomes_columns(
    queue: AlertQueue,
    alert: npt.NDArray[np.uint64],
    contacted_at: npt.NDArray[np.int64],
    resolved: npt.NDArray[np.bool_],
    later_score: npt.NDArray[np.float64],
    level: float = 0.95,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The call-back (回访) outcomes of a queue by column (what ``nps.callback_outcomes``
    computes): one row overall, one per owner, one per touchpoint.

    ``alert``: uint64 ids; ``contacted_at``: int64 seconds since 1970-01-01 UTC, −2⁶³ (NaT)
    when not contacted; ``resolved``: bool; ``later_score``: float64 (NaN = unknown); ``names``:
    argument → DataFrame column name, for errors. Returns a dict of columns (see
    ``nps.callback_outcomes``). Use ``nps.callback_outcomes``.

    >>> import numpy as np, nps
    >>> from nps import _nps
    >>> policy = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
    ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    >>> q = _nps.alerts_columns(policy, np.array([0, 60]),
    ...                         (["A", "B"], np.array([0, 1], np.uint32)),
    ...                         (["web"], np.array([0, 0], np.uint32)), np.array([3.0, 2.0]))
    >>> c = _nps.callback_outcomes_columns(q, np.array([1], np.uint64), np.array([3600]),
    ...                                    np.array([True]), np.array([9.0]))
    >>> c["by"], c["alerts"].tolist(), c["on_time"].tolist(), c["recovered"].tolist()
    (['overall', 'owner', 'touchpoint'], [2, 2, 2], [1, 1, 1], [1, 1, 1])
    """

@final
class AlertPolicy:
    """An alert policy for the closed loop (闭环): which responses raise a call-back (回访) alert,
    how urgent it is (priority 1 = 危机处理, crisis handling), who owns it and by when it must be
    handled (its service level).

    ``AlertPolicy(spec)`` takes a dict or its JSON text (``AlertPolicy.from_json``), checked up
    front: an unknown key, a negative service level, a pattern that does not compile, a rule with
    no condition or no owner raise ``nps.PolicyError`` naming the rule. The format:

    - policy keys: ``rules`` (required), ``scale`` (default 0–10, detractors 0–6, promoters
      9–10), ``merge_window_hours`` (default 0: no merging), ``departments`` (touchpoint →
      owner), ``default_owner``;
    - rule keys: ``name``, ``when``, ``priority`` (1 = most urgent), ``service_level_hours``
      (all required; due = created + service level), ``owner`` (else the touchpoint's
      department, else ``default_owner``);
    - conditions (in ``when``, all must hold; within a list any element suffices):
      ``touchpoints`` (触点), ``score`` (``{"min": 0, "max": 6}``), ``category`` (``"detractor"``
      贬损者, ``"passive"`` 被动者, ``"promoter"`` 推荐者), ``drop`` (previous − score ≥ drop),
      ``min_value`` (customer value ≥), ``keywords`` (any, case-insensitive; Latin keywords as
    whole words, so "sue" does not fire on "issue"; Chinese ones as substrings) and ``pattern`` (a
    regular expression, Rust ``regex`` syntax).

    Policies compare equal by value and pickle (as JSON).

    >>> import nps
    >>> policy = nps.AlertPolicy({
    ...     "merge_window_hours": 24,
    ...     "departments": {"claim.app_upload": "理赔部 Claims"},
    ...     "default_owner": "客户体验部 CX",
    ...     "rules": [
    ...         {"name": "crisis", "when": {"keywords": ["投诉", "媒体"]}, "priority": 1,
    ...          "owner": "危机处理 Crisis team", "service_level_hours": 2},
    ...         {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
    ...          "service_level_hours": 24}]})
    >>> policy
    AlertPolicy(rules=['crisis', 'detractor'], merge_window_hours=24.0)
    >>> nps.AlertPolicy.from_json(policy.to_json()) == policy
    True
    """
    def __new__(cls, spec: _Policy) -> Self: ...
    @classmethod
    def from_json(cls, text: str) -> Self:
        """The policy of a JSON text (the format above); ``nps.PolicyError`` naming the rule for
        anything wrong in it.

        >>> import nps
        >>> nps.AlertPolicy.from_json('{"default_owner": "CX", "rules": [{"name": "low",'
        ...     ' "when": {"scor": {"max": 6}}, "priority": 1, "service_level_hours": 24}]}')
        Traceback (most recent call last):
        ...
        nps.PolicyError: alert rule "low" cannot be read: unknown field `scor`, expected one of ...
        """
    def to_json(self) -> str:
        """The policy as JSON text, pretty-printed, every default written out (``from_json`` reads
        it back).

        >>> import nps
        >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
        ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
        >>> p.to_json().splitlines()[:3]
        ['{', '  "scale": {', '    "min": 0,']
        """
    def to_dict(self) -> dict[str, Any]:
        """The policy as a dict (``to_json`` read by ``json.loads``; ``nps.AlertPolicy(d)`` builds
        it back).

        >>> import nps
        >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
        ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
        >>> p.to_dict()["rules"]
        [{'name': 'low', 'when': {'score': {'max': 6}}, 'priority': 1, 'service_level_hours': 24.0}]
        >>> nps.AlertPolicy(p.to_dict()) == p
        True
        """
    @property
    def rules(self) -> list[str]:
        """The names of the rules, in policy order."""
    @property
    def merge_window_hours(self) -> float:
        """Responses of one customer less than this many hours after the customer's open alert
        was created are merged into it (0: never).
        """
    @property
    def scale(self) -> Scale:
        """The scale of the scores (``nps.Scale``)."""
    def to_pandas(self) -> pd.DataFrame:
        """One row per rule, in policy order: ``name``, ``priority``, ``owner`` (the rule's own, or
        None when the touchpoint's department or the default owner takes the call-back),
        ``service_level_hours`` and ``when`` (the conditions, a dict). Needs pandas.

        >>> import nps
        >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [
        ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
        ...      "owner": "危机处理", "service_level_hours": 2},
        ...     {"name": "low", "when": {"score": {"max": 6}}, "priority": 2,
        ...      "service_level_hours": 24}]})
        >>> p.to_pandas()[["name", "priority", "owner", "service_level_hours"]]
             name  priority owner  service_level_hours
        0  crisis         1  危机处理                  2.0
        1     low         2  None                 24.0
        """
    def _repr_html_(self) -> str: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class AlertQueue:
    """The prioritised call-back (回访) queue of the closed loop (闭环): one alert per customer to
    call back, sorted by priority (1 = 危机处理, crisis handling, first), then due time, then id;
    what ``nps.alerts`` returns.

    Each alert (iterating gives dicts; ``to_pandas`` a DataFrame) has ``id`` (1, 2, 3… in the
    order alerts were opened), ``customer``, ``touchpoint`` (触点) and ``score`` of the opening
    response, ``owner``, ``priority``, ``created_at`` (the opening response's time) and
    ``due_at`` = the earliest (response time + service level) of its firings, ``rules`` (the
    rules fired, in order of first firing) and ``responses`` (row positions of the responses
    merged into it, the opening one first). In the dicts and ``to_dict`` times are whole
    seconds since 1970-01-01 UTC; ``to_pandas`` gives pandas Timestamps (naive, in UTC).

    Queues compare equal by value and pickle (as JSON); ``len`` is the number of alerts.

    >>> import pandas as pd, nps
    >>> policy = {"merge_window_hours": 24, "default_owner": "CX", "rules": [
    ...     {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
    ...      "service_level_hours": 24},
    ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
    ...      "owner": "危机处理", "service_level_hours": 2}]}
    >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:00",
    ...                                          "2025-01-01 10:00"]),
    ...                    "customer": ["A", "B", "A"], "touchpoint": "claim",
    ...                    "ltr": [3, 9, 2], "comment": [None, "很好", "我要投诉"]})
    >>> queue = nps.alerts(df, policy, comment="comment")
    >>> len(queue)
    1
    >>> a = next(iter(queue))
    >>> a["customer"], a["owner"], a["priority"], a["rules"], a["responses"]
    ('A', '危机处理', 1, ['detractor', 'crisis'], [0, 2])
    """
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[dict[str, Any]]: ...
    def get(self, id: int) -> dict[str, Any] | None:
        """The alert with id ``id`` as a dict (as iterating gives it), or None.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"at": [0, 60], "customer": ["A", "B"], "touchpoint": "web",
        ...                    "ltr": [3, 1]})
        >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
        ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
        >>> q.get(2)["customer"], q.get(2)["due_at"], q.get(3)
        ('B', 86460, None)
        """
    @property
    def scale(self) -> Scale:
        """The scale of the scores (``nps.Scale``), needed to tell detractor alerts."""
    def to_dict(self) -> dict[str, Any]:
        """The queue as a dict: ``scale`` (as ``nps.Scale.to_dict``) and ``alerts`` (a list of
        dicts in queue order, as iterating gives them; times in seconds since 1970-01-01 UTC);
        what ``to_json`` writes.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"at": [0], "customer": ["A"], "touchpoint": "web", "ltr": [3]})
        >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
        ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
        >>> q.to_dict()["alerts"]  # doctest: +NORMALIZE_WHITESPACE
        [{'id': 1, 'customer': 'A', 'touchpoint': 'web', 'owner': 'CX', 'priority': 1,
          'created_at': 0, 'due_at': 86400, 'rules': ['low'], 'responses': [0], 'score': 3}]
        """
    def to_json(self) -> str:
        """The queue as compact JSON text (``AlertQueue.from_json`` reads it back, checking it)."""
    @classmethod
    def from_json(cls, text: str) -> Self:
        """A queue from ``to_json`` text (alerts in any order are sorted into queue order; two
        alerts with one id, or a score off the scale, raise ``InvalidArgumentError``).

        >>> import nps
        >>> q = nps.AlertQueue.from_json('{"scale": {"min": 0, "max": 10, "detractor_max": 6,'
        ...     ' "promoter_min": 9}, "alerts": []}')
        >>> len(q), nps.AlertQueue.from_json(q.to_json()) == q
        (0, True)
        """
    def to_pandas(self) -> pd.DataFrame:
        """One row per alert, in queue order: ``id``, ``customer``, ``touchpoint``, ``owner``,
        ``priority``, ``created_at`` and ``due_at`` (pandas Timestamps, naive, in UTC),
        ``score`` (nullable Int64: NA for an alert opened by an unanswered question), ``rules``
        (list of names), ``merged`` (number of responses merged into the alert) and
        ``responses`` (their row positions). Needs pandas.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:30"]),
        ...                    "customer": ["A", "B"], "touchpoint": ["web", "app"],
        ...                    "ltr": [5, 0]})
        >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [
        ...     {"name": "low", "when": {"score": {"max": 6}}, "priority": 2,
        ...      "service_level_hours": 24},
        ...     {"name": "zero", "when": {"score": {"max": 0}}, "priority": 1,
        ...      "service_level_hours": 4}]})
        >>> q.to_pandas()[["id", "customer", "priority", "due_at", "rules"]]
           id customer  priority              due_at        rules
        0   2        B         1 2025-01-01 13:30:00  [low, zero]
        1   1        A         2 2025-01-02 08:00:00        [low]
        """
    def _repr_html_(self) -> str: ...
    def _columns(self) -> dict[str, Any]:
        """The alerts by column, for ``to_pandas`` and the HTML view: numbers as numpy arrays
        (``created_at``, ``due_at`` in seconds; ``score`` float, NaN for none), texts and lists
        as lists.
        """
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Alerter:
    """Raises call-back (回访) alerts from a stream of responses, one at a time, as they arrive:
    the real-time side of the closed loop (闭环; 危机处理, crisis handling, is real time).

    ``push`` each response in time order (an earlier time than the previous response raises
    ``InvalidArgumentError`` and changes nothing); it returns None when no rule fires, else a dict
    describing the alert as it now is: ``event`` ("opened" or "merged") and the alert's keys as
    ``nps.AlertQueue`` gives them (times in seconds since 1970-01-01 UTC; ``responses`` are push
    positions, 0 for the first response pushed). Pushing a batch in time order and keeping the
    last event of each alert id gives exactly ``nps.alerts`` of the batch.

    Memory is bounded by the alerts still open for merging (``open_alerts``: customers alerted
    within one merge window of the latest response), whatever the length of the stream.
    Alerters pickle (``to_json`` / ``Alerter.from_json``), so a stream resumes exactly after a
    restart (same ids, merges and positions as without it), and compare equal by state.

    >>> import nps
    >>> alerter = nps.Alerter({"merge_window_hours": 24, "default_owner": "CX", "rules": [
    ...     {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
    ...      "service_level_hours": 24},
    ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
    ...      "owner": "危机处理", "service_level_hours": 2}]})
    >>> e = alerter.push("2025-01-01T08:00:00", "C-1", "claim", 3)
    >>> e["event"], e["id"], e["owner"], e["due_at"] - e["created_at"]
    ('opened', 1, 'CX', 86400)
    >>> alerter.push("2025-01-01T08:05:00", "C-2", "claim", 10) is None
    True
    >>> e = alerter.push("2025-01-01T09:00:00", "C-1", "claim", 2, comment="我要投诉")
    >>> e["event"], e["id"], e["owner"], e["priority"], e["rules"], e["responses"]
    ('merged', 1, '危机处理', 1, ['detractor', 'crisis'], [0, 2])
    >>> alerter.open_alerts, alerter.pushed
    (1, 3)
    >>> import pickle
    >>> resumed = pickle.loads(pickle.dumps(alerter))   # e.g. saved before a restart
    >>> resumed == alerter
    True
    >>> e = resumed.push("2025-01-01T10:00:00", "C-1", "claim", 1)
    >>> e["event"], e["id"], e["responses"]
    ('merged', 1, [0, 2, 3])
    """
    def __new__(cls, policy: _Policy, *, first_id: int = 1) -> Self: ...
    def push(
        self,
        at: Any,
        customer: Any,
        touchpoint: str | None,
        score: float | None,
        previous: float | None = None,
        value: float | None = None,
        comment: str | None = None,
    ) -> dict[str, Any] | None:
        """Evaluates one response; None when no rule fires, else the opened or merged alert as a
        dict with ``event`` ("opened" or "merged").

        Parameters
        ----------
        at : int, datetime, numpy.datetime64, pandas Timestamp or ISO 8601 text
            When the response was given: whole seconds since 1970-01-01 UTC, or a time (naive
            times are taken as UTC, aware ones converted; fractions of a second are floored).
            Not earlier than the previous response's.
        customer : str
            The customer to call back (other values are taken as ``str(value)``).
        touchpoint : str or None
            The touchpoint (触点) the response is about.
        score : int, float or None
            The recommend score (None or NaN: not answered).
        previous : int, float or None
            The customer's previous score, for ``drop`` rules.
        value : float or None
            The customer's value, for ``min_value`` rules.
        comment : str or None
            The free-text comment; an empty or blank comment counts as none (as in
            ``nps.alerts``).

        Errors name the response's position (the number of responses pushed before it): an
        earlier time (``InvalidArgumentError``), a score off the scale (``InvalidScoreError``), a
        previous score off the scale or an infinite value (``InvalidArgumentError``), a NaT time
        (``InvalidDateError``); nothing changes on error.

        >>> import nps
        >>> a = nps.Alerter({"default_owner": "CX", "rules": [{"name": "low",
        ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
        >>> a.push(100, "C-1", "web", 4)["due_at"]
        86500
        >>> a.push(50, "C-2", "web", 4)
        Traceback (most recent call last):
        ...
        nps.InvalidArgumentError: at is 50 at index 1, earlier than the previous response's 100; ...
        """
    @property
    def open_alerts(self) -> int:
        """Number of alerts held open for merging: the customers alerted less than one merge
        window before the latest response (0 when the policy never merges).
        """
    @property
    def pushed(self) -> int:
        """Number of responses pushed successfully (the position of the next one)."""
    @property
    def next_id(self) -> int:
        """The id the next alert opened will get."""
    @property
    def policy(self) -> AlertPolicy:
        """The policy (``nps.AlertPolicy``)."""
    def to_json(self) -> str:
        """The alerter's whole state as JSON text: the policy, the alerts still open for merging,
        their expiry queue, the latest time, the next id and the number of responses pushed.
        ``Alerter.from_json`` resumes the stream exactly.

        >>> import nps
        >>> a = nps.Alerter({"merge_window_hours": 24, "default_owner": "CX",
        ...     "rules": [{"name": "low", "when": {"score": {"max": 6}}, "priority": 1,
        ...                "service_level_hours": 24}]})
        >>> _ = a.push(100, "C-1", "web", 4)
        >>> nps.Alerter.from_json(a.to_json()) == a
        True
        """
    @classmethod
    def from_json(cls, text: str) -> Alerter:
        """An alerter from ``to_json`` text, checked (a valid policy, and a state the alerter could
        have reached: each open alert's customer once and inside the merge window of the latest
        response, ids below the next one, one expiry entry per open alert in time order…);
        ``InvalidArgumentError`` saying what is wrong otherwise.
        """
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

# Mergeable parts of the analyses (map-reduce): nps-py/src/mergeable.rs

# Drop detection per touchpoint (a lower CUSUM): nps-py/src/monitor.rs

_Baseline: TypeAlias = Mapping[str, Union[float, str]]

def monitor_columns(
    touchpoint: tuple[Sequence[str], npt.NDArray[np.uint32]],
    score: npt.NDArray[Any],
    at: npt.NDArray[np.int64],
    *,
    arl0: float = 10000.0,
    shift: float | None = 10.0,
    shift_sd: float | None = None,
    warmup: int = 1000,
    level: float = 0.95,
    baseline: _Baseline | None = None,
    baselines: Mapping[str, _Baseline] | None = None,
    guarantee: float | None = None,
    names: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The alarms and final states of a batch of responses by column (what ``nps.monitor``
    computes): a fresh monitor observing every row in order.

    ``touchpoint``: (categories, uint32 codes), missing = 2³² − 1; ``score``: a numeric array
    (NaN = not answered); ``at``: int64 seconds since 1970-01-01 UTC, non-decreasing; the
    options as ``nps.Monitor`` takes them; ``names``: argument → DataFrame column name, for
    errors. Returns a dict: ``columns`` (one per alarm: ``touchpoint``, ``at`` and ``change_at``
    in seconds, ``n``, ``nps``, ``low``, ``high``, ``baseline_nps``, ``drop``, ``drop_low``,
    ``drop_high``, ``cusum``, ``h``, ``row``, ``change_row``, ``promoters``, ``passives``,
    ``detractors``, ``k``) and ``attrs`` (``false_alarm_rate``, ``arl0``, ``shift``,
    ``shift_sd``, ``warmup``, ``guarantee``, ``level``, ``rows``, ``unassigned`` and
    ``touchpoints``, the states as a dict of lists). Use ``nps.monitor``.

    >>> import numpy as np
    >>> from nps import _nps
    >>> out = _nps.monitor_columns((["web"], np.zeros(3, np.uint32)), np.array([9.0, 3.0, 10.0]),
    ...                            np.array([0, 60, 120]), warmup=2)
    >>> out["attrs"]["touchpoints"]["monitored"], out["attrs"]["false_alarm_rate"]
    ([1], 0.0001)
    """

@final
class Monitor:
    """Streaming drop detection for transactional NPS (场景NPS) per touchpoint (触点): raises an
    alarm when the evidence of a sustained drop crosses a threshold set by the false-alarm rate
    you state, for crisis handling (危机处理) in real time.

    ``observe`` each response in time order: its touchpoint, recommend score (0–10; detractors
    贬损者 0–6, passives 被动者 7–8, promoters 推荐者 9–10; None or NaN: not answered, skipped)
    and time. It returns None, or a dict describing the alarm the response raised:
    ``touchpoint``, ``at`` and ``change_at`` (the alarming response's time and the estimated
    change point's, seconds since 1970-01-01 UTC), ``n`` (answered responses since the change
    point), ``nps`` with ``low`` and ``high`` (their NPS with its adjusted-Wald interval),
    ``baseline_nps``, ``drop`` = nps − baseline_nps with ``drop_low`` and ``drop_high``,
    ``cusum`` (C at the alarm) and ``h``; then ``index`` and ``change_index`` (stream
    positions), ``promoters``, ``passives``, ``detractors``, ``k`` and ``level``.

    The chart (Page 1954; Montgomery §9.1, the tabular CUSUM, lower side): each answered
    response is x = −1 (detractor), 0 (passive) or +1 (promoter); with the touchpoint's baseline
    shares p, d, μ₀ = p − d and σ₀² = p + d − (p − d)²: z_t = (x_t − μ₀)/σ₀,
    C_t = max(0, C_{t−1} − z_t − k), alarm when C_t > h, where k = δ/2 is half the drop δ to detect fastest (``shift`` NPS points: δ = shift/(100σ₀);
    or ``shift_sd`` standard deviations), and h is solved from ARL₀ (``arl0``, the in-control
    average run length in answered responses of one touchpoint) by Siegmund's approximation
    ARL₀ = (exp(θh′) − 1 − θh′)/(θk), h′ = h + 1.166, θ the positive root of E[exp(θ(−z − k))] = 1
    under the baseline (2k for normal data). The false-alarm rate is nominally 1/ARL₀ per
    answered response of a touchpoint; the core measured the realised rate within ±20 % of it
    for 5–20-point shifts with a known baseline, higher when the baseline is estimated from a
    short warm-up. ``guarantee`` (e.g. 0.9) raises the threshold of an estimated baseline so
    that its in-control ARL reaches ARL₀ with that probability over the estimation error (the
    bootstrap of Gandy & Kvaløy 2013; measured: 85–91 % of touchpoints at or below the stated
    rate, against about half with the nominal threshold), at the cost of a slower detection.

    The baseline (``baselines``, ``baseline``, or ``set_baseline``) is given as a dict of
    shares ``{"promoters": 0.5, "detractors": 0.2}`` or of points ``{"nps": 30, "sd": 78.1}``
    (the standard deviation of one response's score); without one, a touchpoint's first
    ``warmup`` answered responses estimate it (adjusted-Wald shares) and are not monitored.
    After an alarm the touchpoint's chart restarts (C = 0, same baseline), so a lasting drop
    alarms again until ``set_baseline`` or ``rebaseline`` accepts the new level.

    Memory is about 300 bytes per touchpoint whatever the number of responses; monitors pickle
    (``to_json`` / ``Monitor.from_json``), so a stream resumes exactly after a restart, and
    compare equal by state. ``nps.monitor`` runs a whole DataFrame through a fresh monitor.

    >>> import nps
    >>> m = nps.Monitor(baselines={"claim.app_upload": {"promoters": 0.5, "detractors": 0.2}})
    >>> usual = [10, 10, 9, 10, 9, 8, 7, 8, 3, 6]    # NPS 30, as the baseline says
    >>> outage = [10, 9, 10, 8, 7, 8, 3, 6, 0, 5]    # NPS 0
    >>> t = 1_740_787_200                            # 2025-03-01, seconds since 1970
    >>> alarms = []
    >>> for i, score in enumerate(usual * 200 + outage * 100):
    ...     alarm = m.observe("claim.app_upload", score, t + 60 * i)
    ...     if alarm is not None:
    ...         alarms.append(alarm)
    >>> a = alarms[0]
    >>> a["touchpoint"], a["index"] >= 2000, a["change_index"] >= 1990, a["nps"] < a["baseline_nps"]
    ('claim.app_upload', True, True, True)
    >>> a["cusum"] > a["h"], m.false_alarm_rate, len(alarms)
    (True, 0.0001, 13)
    >>> import pickle
    >>> pickle.loads(pickle.dumps(m)) == m
    True
    """
    def __new__(
        cls,
        *,
        arl0: float = 10000.0,
        shift: float | None = 10.0,
        shift_sd: float | None = None,
        warmup: int = 1000,
        level: float = 0.95,
        baseline: _Baseline | None = None,
        baselines: Mapping[str, _Baseline] | None = None,
        guarantee: float | None = None,
    ) -> Self: ...
    def observe(self, touchpoint: Any, score: float | None, at: Any) -> dict[str, Any] | None:
        """Observes one response; returns None, or the alarm it raised as a dict (see the class).

        Parameters
        ----------
        touchpoint : str or None
            The touchpoint (触点) the response is about (other values are taken as
            ``str(value)``); None: none, the response only counts for the order.
        score : int, float or None
            The recommend score (None or NaN: not answered, skipped).
        at : int, datetime, numpy.datetime64, pandas Timestamp or ISO 8601 text
            When the response was given: whole seconds since 1970-01-01 UTC, or a time (naive
            times are UTC, aware ones converted; fractions of a second are floored). Not earlier
            than the previous response's.

        Errors name the response's position (responses observed before it) and change nothing:
        a score off the scale or not whole (``InvalidScoreError``), an earlier time than the
        previous response's (``InvalidArgumentError`` naming ``time``), a missing time
        (``InvalidDateError``); a score that is not a number raises ``TypeError``.

        >>> import nps
        >>> m = nps.Monitor(baselines={"web": {"nps": 30, "sd": 78.1}})
        >>> m.observe("web", 9, "2025-03-01T09:00:00") is None
        True
        >>> m.observe("web", 11, "2025-03-01T09:01:00")
        Traceback (most recent call last):
        ...
        nps.InvalidScoreError: score at index 1 is 11; scores are whole numbers in 0..=10
        >>> m.observe("web", 3, "2025-03-01T08:00:00")
        Traceback (most recent call last):
        ...
        nps.InvalidArgumentError: time is 1740816000 at index 1, earlier than the time before it ...
        """
    def states(self) -> list[dict[str, Any]]:
        """The state of every touchpoint, in the order they were first named: a list of dicts with
        ``touchpoint``, ``baseline`` ("given", "warmup", or None while warming up), ``warmup_n``,
        the chart's ``promoters``, ``detractors``, ``baseline_nps``, ``baseline_sd`` (points),
        ``shift_sd`` (δ), ``k``, ``h`` and ``detection_arl`` (Siegmund's expected responses to
        detect the design drop; NaN while warming up), and ``cusum`` (C now), ``run`` (answered
        responses since C was last 0), ``responses``, ``missing``, ``monitored``, ``alarms``.
        ``pandas.DataFrame(m.states())`` tabulates them.

        >>> import nps
        >>> m = nps.Monitor(warmup=2)
        >>> for i, s in enumerate([10, 9, 3]):
        ...     _ = m.observe("branch", s, i)
        >>> s = m.states()[0]
        >>> s["touchpoint"], s["baseline"], s["warmup_n"], s["monitored"]
        ('branch', 'warmup', 2, 1)
        >>> round(s["baseline_nps"], 1)  # (2 + 0.75)/5 promoters, 0.75/5 detractors
        40.0
        """
    def state(self, touchpoint: str) -> dict[str, Any] | None:
        """The state of ``touchpoint`` as a dict (as ``states`` gives it), or None when it was never
        named.

        >>> import nps
        >>> m = nps.Monitor()
        >>> m.state("app") is None
        True
        >>> _ = m.observe("app", 10, 0)
        >>> m.state("app")["responses"], m.state("app")["baseline"]
        (1, None)
        """
    def set_baseline(self, touchpoint: str, baseline: _Baseline) -> None:
        """Sets ``touchpoint``'s baseline (a dict of shares ``{"promoters": p, "detractors": d}`` or
        points ``{"nps": NPS, "sd": s}``), registering it when new, and restarts its chart
        (C = 0): e.g. once a crisis (危机处理) is over and the new level is accepted. Impossible
        shares raise ``InvalidArgumentError`` naming ``baseline``; nothing changes then.

        >>> import nps
        >>> m = nps.Monitor()
        >>> m.set_baseline("app", {"promoters": 0.4, "detractors": 0.3})
        >>> m.state("app")["baseline"], round(m.state("app")["baseline_nps"], 6)
        ('given', 10.0)
        """
    def rebaseline(self, touchpoint: str) -> None:
        """Forgets ``touchpoint``'s baseline and starts a new warm-up on its next ``warmup`` answered
        responses (C = 0); nothing for a touchpoint never named.

        >>> import nps
        >>> m = nps.Monitor(baselines={"app": {"promoters": 0.5, "detractors": 0.2}})
        >>> _ = m.observe("app", 9, 0)
        >>> m.rebaseline("app")
        >>> m.state("app")["baseline"] is None
        True
        """
    @property
    def position(self) -> int:
        """Responses observed so far (with unanswered ones and those without a touchpoint): the
        position the next response gets.
        """
    @property
    def arl0(self) -> float:
        """The in-control average run length ARL₀ asked for, in answered responses of a touchpoint."""
    @property
    def false_alarm_rate(self) -> float:
        """The nominal false-alarm rate per answered response of a touchpoint, 1/ARL₀."""
    def to_json(self) -> str:
        """The monitor's whole state as JSON text (options, every touchpoint's chart, C and counts,
        the position and the last time): ``Monitor.from_json`` resumes the stream exactly.

        >>> import nps
        >>> m = nps.Monitor(warmup=5)
        >>> _ = m.observe("app", 10, 0)
        >>> nps.Monitor.from_json(m.to_json()) == m
        True
        """
    @classmethod
    def from_json(cls, text: str) -> Monitor:
        """A monitor from ``to_json`` text, checked (valid options, each touchpoint once, consistent
        counts and charts); ``InvalidArgumentError`` otherwise.
        """
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

@final
class Cube:
    """The tallies of every combination of keys (dimensions, then optionally the period of the
    response dates) that has responses: the sufficient statistic of ``nps.by`` and
    ``nps.trend``, and the unit of distributed work.

    Tallies are counts, so the cube of all the rows is the sum of the cubes of any partition
    of them: build one cube per partition wherever the rows are (``nps.cube`` on each pandas
    partition), add them (``a + b``, ``sum(cubes)``), and ``nps.by(cube)`` or
    ``nps.trend(cube)`` gives exactly the single-machine answer. Dimension values are matched
    by name, so partitions need not share categories; periods extend to cover every part.
    Cubes pickle, and ``to_json`` / ``Cube.from_json`` carry them as text.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"brand": ["A", "A", "B", "B", "A", "B"], "ltr": [10, 9, 3, 8, 0, 10]})
    >>> parts = [nps.cube(df.iloc[:3], "brand"), nps.cube(df.iloc[3:], "brand")]
    >>> cube = sum(parts)
    >>> cube.keys, len(cube), cube.total().n
    (['brand'], 2, 6)
    >>> nps.by(cube, method="wald")["nps"].round(2).tolist()
    [33.33, 0.0]
    >>> nps.by(df, "brand", method="wald").equals(nps.by(cube, method="wald"))
    True
    """
    def __new__(cls, table: Table, keys: Sequence[str], period: str | None = None) -> Cube: ...
    @property
    def keys(self) -> list[str]:
        """The dimension keys, in order (the period key is ``period``)."""
    @property
    def period(self) -> str | None:
        """The period unit of the last key, or ``None``."""
    def total(self) -> Tally:
        """The tally of every response in the cube."""
    def cells(self) -> list[tuple[list[str | None], Tally]]:
        """The combinations with responses, in the cube's order: for each, its value on every key
        (``None`` for a missing value; a period key as its label, "2024-Q3") and its tally.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"brand": ["A", "B", None, "A"], "ltr": [10, 3, 8, 9]})
        >>> [(values, t.n, t.nps) for values, t in nps.cube(df, "brand").cells()]
        [(['A'], 2, 100.0), (['B'], 1, -100.0), ([None], 1, 0.0)]
        """
    def to_pandas(self) -> pd.DataFrame:
        """One row per combination with responses: the keys' values (the period key's column named
        by its unit, as in ``nps.by``), then ``n``, ``n_missing`` and the count of answers per
        score (columns ``0`` … ``10``): the cube's counts as a table
        (``attrs``: ``weighted``; a weighted cube's weight sums travel in ``to_json``). Needs
        pandas.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"brand": ["A", "B", "A"], "ltr": [10, 3, 9]})
        >>> nps.cube(df, "brand").to_pandas()[["brand", "n", 3, 9, 10]]
          brand  n  3  9  10
        0     A  2  0  1   1
        1     B  1  1  0   0
        """
    def _repr_html_(self) -> str: ...
    def __add__(self, value: Cube, /) -> Cube: ...
    def __radd__(self, value: int, /) -> Cube: ...
    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def to_json(self) -> str:
        """The cube as JSON text (``Cube.from_json`` reads it back, checking it)."""
    @classmethod
    def from_json(cls, text: str) -> Cube:
        """A cube from ``to_json`` text."""
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class DriverMoments:
    """The weighted moments (means, co-moments) of the outcome and the driver ratings: the
    sufficient statistic of a driver analysis (驱动因素分析) without bootstrap, and the unit of
    distributed work.

    Build them per partition (``nps.driver_moments``), add them (``a + b``,
    ``sum(moments)``), and ``nps.drivers(moments)`` gives the analysis of all the rows, to the
    last bits of floating-point addition (the merge, Chan et al.'s pairwise update of means
    and co-moments, adds in another order than one pass). Pearson correlations only (ranks
    need every row at once) and no bootstrap intervals (they resample rows). Moments pickle,
    and ``to_json`` / ``DriverMoments.from_json`` carry them as text.

    >>> import pandas as pd, nps
    >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
    ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3.0],
    ...                    "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1.0]})
    >>> m = nps.driver_moments(df.iloc[:4]) + nps.driver_moments(df.iloc[4:])
    >>> m.drivers, m.rows
    (['speed', 'price'], 10)
    >>> a, b = nps.drivers(m), nps.drivers(df)
    >>> bool(abs(a["importance"] - b["importance"]).max() < 1e-12)
    True
    """
    def __new__(
        cls,
        table: Table,
        drivers: Sequence[str] | None = None,
        *,
        outcome: str = "score",
        missing: str = "listwise",
        scale: tuple[float, float] | None = None,
    ) -> DriverMoments: ...
    @property
    def drivers(self) -> list[str]:
        """The drivers, in order."""
    @property
    def outcome(self) -> str:
        """The outcome the drivers are related to."""
    @property
    def missing(self) -> str:
        """"listwise" or "pairwise"."""
    @property
    def rows(self) -> int:
        """Rows used: complete rows (listwise) or the fewest rows any pair shares (pairwise)."""
    def correlation(self) -> list[list[float]]:
        """The correlation matrix of the outcome (first) and the drivers, as nested lists (Pearson,
        weighted when the table is): what every importance method of ``nps.drivers`` starts
        from. ``DriverError`` for a constant driver or fewer rows than
        drivers + 2.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7],
        ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3.0], "price": [3, 4, 2, 3, 2, 4, 3, 3.0]})
        >>> r = nps.driver_moments(df).correlation()
        >>> [round(x, 3) for x in r[0]]
        [1.0, 0.979, 0.621]
        """
    def to_pandas(self) -> pd.DataFrame:
        """The correlation matrix as a DataFrame, the outcome's row and column first (``attrs``:
        ``rows``, ``missing``). Needs pandas.

        >>> import pandas as pd, nps
        >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7],
        ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3.0], "price": [3, 4, 2, 3, 2, 4, 3, 3.0]})
        >>> nps.driver_moments(df).to_pandas().round(3)
               score  speed  price
        score  1.000  0.979  0.621
        speed  0.979  1.000  0.537
        price  0.621  0.537  1.000
        """
    def _repr_html_(self) -> str: ...
    def __add__(self, value: DriverMoments, /) -> DriverMoments: ...
    def __radd__(self, value: int, /) -> DriverMoments: ...
    def __eq__(self, value: object, /) -> bool: ...
    def to_json(self) -> str:
        """The moments as JSON text (``DriverMoments.from_json`` reads it back, checking it)."""
    @classmethod
    def from_json(cls, text: str) -> DriverMoments:
        """Moments from ``to_json`` text."""
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def importance(
        self,
        *,
        method: str = "shapley",
        spearman: bool = False,
        samples: int | None = None,
        max_exact: int = 24,
        replicates: int = 0,
        level: float = 0.95,
        seed: int = 20240601,
    ) -> dict[str, Any]:
        """Driver importance of the rows behind the moments, as ``nps.drivers`` returns it (use
        ``nps.drivers(moments, ...)``). Spearman correlations and bootstrap replicates are
        refused (``InvalidArgumentError``): neither can be computed from moments.
        """

# Comments: a list of str, bytes or missing values (None, NaN, NA); groups as
# (name, levels, uint32 codes).
_Texts: TypeAlias = list[Any]
_Groups: TypeAlias = Union[tuple[str, Sequence[str], npt.NDArray[np.uint32]], None]

@final
class Taxonomy:
    r"""A user's taxonomy of topics (话题) to find in comments (评论): each topic a name with
    keywords and regular expressions; a comment mentions a topic when any of them matches.

    ``Taxonomy(spec)`` takes a dict or its JSON text:
    ``{"topics": [{"name": "price", "keywords": ["price", "贵", "cher"], "patterns":
    ["\\bchers?\\b"]}, …]}`` (``keywords`` and ``patterns`` may each be left out, not both).
    Keywords match case-insensitively; a keyword edge that is a Latin (or other spaced-script)
    letter or digit must lie on a word boundary ("app" does not match "happy"), while Chinese
    keywords match as substrings ("贵" in "太贵了"). Patterns are regular expressions (Rust
    ``regex`` syntax: no look-around or back-references), case-insensitive, Unicode. A
    taxonomy that cannot be used (no topic, an empty or repeated name, a topic with nothing to
    match, an unknown field, a pattern that does not compile) raises ``nps.PolicyError`` naming
    the topic. Taxonomies compare equal by value and pickle. Used by ``nps.topics`` (the NPS of
    those who mention each topic: promoters 推荐者 9–10, detractors 贬损者 0–6) and
    ``nps.topic_indicators``.

    >>> import nps
    >>> t = nps.Taxonomy({"topics": [
    ...     {"name": "price", "keywords": ["price", "价格", "贵"], "patterns": [r"\bchers?\b"]},
    ...     {"name": "app", "keywords": ["app", "appli"]}]})
    >>> t.names
    ['price', 'app']
    >>> t.mentioned("APP太贵了"), t.mentioned("Trop chers pour moi"), t.mentioned("happy")
    (['price', 'app'], ['price'], [])
    >>> nps.Taxonomy.from_json(t.to_json()) == t
    True
    """
    def __new__(cls, spec: Mapping[str, Any] | str) -> Self: ...
    @classmethod
    def from_json(cls, text: str) -> Self:
        """The taxonomy of a JSON text (``{"topics": [...]}``).

        >>> import nps
        >>> nps.Taxonomy.from_json('{"topics": [{"name": "wait", "keywords": ["attente"]}]}').names
        ['wait']
        """
    def to_json(self) -> str:
        """The taxonomy as compact JSON, every field written (``from_json`` reads it back).

        >>> import nps
        >>> nps.Taxonomy({"topics": [{"name": "wait", "keywords": ["attente"]}]}).to_json()
        '{"topics":[{"name":"wait","keywords":["attente"],"patterns":[]}]}'
        """
    def to_dict(self) -> dict[str, Any]:
        """The taxonomy as a dict (``to_json`` read by ``json.loads``; ``nps.Taxonomy(d)`` builds it
        back).

        >>> import nps
        >>> t = nps.Taxonomy({"topics": [{"name": "排队", "keywords": ["排队", "等了"]}]})
        >>> t.to_dict()
        {'topics': [{'name': '排队', 'keywords': ['排队', '等了'], 'patterns': []}]}
        >>> nps.Taxonomy(t.to_dict()) == t
        True
        """
    @property
    def names(self) -> list[str]:
        """The topics' names, in order."""
    def mentioned(self, text: str) -> list[str]:
        r"""The names of the topics ``text`` mentions, in the taxonomy's order.

        >>> import nps
        >>> t = nps.Taxonomy({"topics": [{"name": "wait", "keywords": ["attente", "排队"]},
        ...                              {"name": "staff", "patterns": [r"\bpersonnel\b"]}]})
        >>> t.mentioned("L'attente était longue, le personnel aimable")
        ['wait', 'staff']
        """
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    __hash__: None  # type: ignore[assignment]

def tokenize_texts(
    texts: _Texts,
    *,
    stop_words: Sequence[str] = ...,
    min_length: int = 1,
    keep_numbers: bool = False,
    hmm: bool = True,
    errors: str = "strict",
    name: str = "texts",
) -> list[list[str]]:
    r"""The words of each comment of ``texts`` (a list of str, bytes or None/NaN), cut by the
    core's tokenizer: a list of lists of str (empty for a missing or blank comment). Use
    ``nps.tokenize``.

    >>> from nps import _nps
    >>> _nps.tokenize_texts(["理赔速度太慢了", None, b"Tr\xe8s cher"], errors="replace")
    [['理赔', '速度', '太慢'], [], ['tr', 'cher']]
    """
def distinctive_words_columns(
    texts: _Texts,
    scores: npt.NDArray[np.float64],
    groups: _Groups,
    *,
    alpha0: float = 1000.0,
    min_count: int = 3,
    stop_words: Sequence[str] = ...,
    min_length: int = 1,
    keep_numbers: bool = False,
    hmm: bool = True,
    errors: str = "strict",
    name: str = "texts",
) -> dict[str, Any]:
    """The distinctive words of detractors (贬损者) against promoters (推荐者) in ``texts`` (a
    list of str, bytes or None/NaN) scored ``scores`` (float64, NaN = not answered), overall
    and, with ``groups`` = ``(name, levels, uint32 codes)`` (``u32::MAX`` = no group), per
    level. Returns ``{"columns", "attrs", "groups"}``: word rows with ``_group`` (-1 = all
    comments, else the level's index), and one row of counts per group. Use
    ``nps.distinctive_words``.

    >>> import numpy as np
    >>> from nps import _nps
    >>> out = _nps.distinctive_words_columns(["理赔太慢", "理赔慢", "服务好", "服务很好"],
    ...     np.array([2.0, 3.0, 10.0, 9.0]), None, min_count=2)
    >>> out["columns"]["word"], bool(out["columns"]["z"][0] > 0)
    (['理赔', '好', '服务'], True)
    """
def topics_columns(
    taxonomy: Taxonomy,
    texts: _Texts,
    scores: npt.NDArray[np.float64],
    groups: _Groups,
    weights: npt.NDArray[np.float64] | None = None,
    *,
    method: str = "adjusted_wald",
    level: float = 0.95,
    prior: float = 0.5,
    replicates: int = 10000,
    seed: int = 20240601,
    errors: str = "strict",
    name: str = "texts",
    weights_name: str | None = None,
) -> dict[str, Any]:
    """The topics (话题) of ``taxonomy`` in ``texts`` (a list of str, bytes or None/NaN) against
    ``scores`` (float64, NaN = not answered), overall and, with ``groups`` = ``(name, levels,
    uint32 codes)``, per level; weighted by ``weights`` (float64, one per text) when given.
    Returns ``{"columns", "attrs", "groups"}``: one row per group and topic with ``_group`` (-1
    = all respondents, else the level's index), and one row per group with its respondents,
    comments and NPS. ``weights_name`` (e.g. ``'column "w"'``) prefixes the message of an
    ``InvalidWeightError``. Use ``nps.topics``.

    >>> import numpy as np, nps
    >>> from nps import _nps
    >>> t = nps.Taxonomy({"topics": [{"name": "price", "keywords": ["贵"]}]})
    >>> out = _nps.topics_columns(t, ["太贵了", "很好", None], np.array([2.0, 10.0, 9.0]), None)
    >>> out["columns"]["mentions"].tolist(), out["columns"]["impact"].round(2).tolist()
    ([1], [-66.67])
    >>> w = np.array([2.0, 1.0, 1.0])  # (W_t/W)(NPS_t − NPS_rest) = (2/4)(−100 − 100)
    >>> _nps.topics_columns(t, ["太贵了", "很好", None], np.array([2.0, 10.0, 9.0]), None,
    ...                     w)["columns"]["impact"].tolist()
    [-100.0]
    """
def topic_indicator_columns(
    taxonomy: Taxonomy,
    texts: _Texts,
    *,
    errors: str = "strict",
    name: str = "texts",
) -> list[tuple[str, npt.NDArray[np.float64]]]:
    """The 0/1 indicator of each topic (话题) of ``taxonomy`` over ``texts`` (a list of str, bytes
    or None/NaN): a list of ``(topic name, float64 array)``, 1.0 where the comment mentions the
    topic, 0.0 where it has text and does not, NaN where there is no comment. Use
    ``nps.topic_indicators``.

    >>> import nps
    >>> from nps import _nps
    >>> t = nps.Taxonomy({"topics": [{"name": "price", "keywords": ["贵"]}]})
    >>> columns = _nps.topic_indicator_columns(t, ["太贵", "好", None])
    >>> [(name, column.tolist()) for name, column in columns]
    [('price', [1.0, 0.0, nan])]
    """
