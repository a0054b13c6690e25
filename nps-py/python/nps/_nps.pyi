# Type stubs of the compiled module `nps._nps` (nps-py/src), written by hand and checked against
# the module by `python -m mypy.stubtest nps._nps` (make test-python).

"""Net Promoter Score (净推荐值) engine: tallies, intervals, comparisons, survey planning, and
the segment, trend, attribution, benchmark and journey analyses of a response table.

Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6;
NPS = %promoters − %detractors, in points from −100 to 100. Shares are fractions, confidence
levels fractions (0.95).
"""

import sys
from collections.abc import Mapping, Sequence
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
    EmptyError | shares needs at least 1 answered response(s), the tally has 0
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
    nps.EmptyError: shares needs at least 1 answered response(s), the tally has 0
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

# Mergeable parts of the analyses (map-reduce): nps-py/src/mergeable.rs

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
