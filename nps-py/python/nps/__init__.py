"""nps: Net Promoter Score (净推荐值, NPS) estimation, fast and statistically careful.

One question, "How likely are you to recommend us to a friend?", answered 0-10: promoters
(推荐者) score 9-10, passives (被动者) 7-8, detractors (贬损者) 0-6, and
NPS = %promoters - %detractors, in points from -100 to 100.

- ``nps.score(scores, weights=None, method="adjusted_wald", level=0.95)``: the NPS with its
  standard error and an interval by one of ``nps.METHODS`` (``nps.Estimate``).
- ``nps.compare(a, b)``: the difference between two independent samples with its test
  (``nps.Comparison``).
- ``nps.sample_size(margin)`` and ``nps.margin_of_error(n)``: planning a survey.
- ``nps.Tally``: the mergeable sufficient statistic (counts of each score), for map-reduce and
  for computing several results from one pass over the data.
- ``nps.Scale``: other cut-points or shorter scales.

On pandas DataFrames (pandas needed), each taking column names and returning a tidy DataFrame:

- ``nps.by(df, ["brand", "region"], score="ltr")``: NPS with intervals per group (and per
  period with ``date=``, ``period=``), margins on request, small groups flagged.
- ``nps.trend(df, by, date="date", unit="month")``: NPS per period, period-to-period changes and
  slopes, false discovery rate controlled; ``nps.study_trigger`` applies the rule "transactional
  NPS rising while relationship NPS is flat: an analytical study is due".
- ``nps.attribute(df, dimensions, ...)``: the change between two periods or two groups split
  into mix and rate effects per segment.
- ``nps.benchmark(df, brand="brand", own="Own")``: the own brand against competitors per
  segment, rising competitors, driver means.
- ``nps.journey(df, journey)``: NPS of every stage, scene and touchpoint of a customer journey
  (``nps.Journey``).
- ``nps.alerts(df, policy)``: the closed loop (闭环): the prioritised call-back (回访) queue
  (``nps.AlertQueue``) of the responses on which a rule of an ``nps.AlertPolicy`` fires (low
  scores, drops, valuable customers, alarming comments: 危机处理, crisis handling), with owners
  and due times; ``nps.Alerter`` does the same one response at a time, in real time, and
  resumes after a restart; ``nps.callback_outcomes(queue, callbacks)``: on-time and recovery
  rates of the call-backs.
- ``nps.monitor(df)``: drops in transactional NPS (场景NPS) per touchpoint (触点), detected by
  a lower CUSUM at a stated false-alarm rate (1/ARL₀ per response) for crisis handling
  (危机处理); ``nps.Monitor`` does the same one response at a time and resumes after a restart.
- ``nps.distinctive_words(df, text="comment")``: the words that set detractors' comments
  (评论) apart from promoters' (log-odds with an informative Dirichlet prior);
  ``nps.topics(df, taxonomy)``: the NPS of those who mention each topic (话题) of an
  ``nps.Taxonomy`` and its impact on the NPS; ``nps.topic_indicators``: topics as 0/1 drivers
  for ``nps.drivers``; ``nps.tokenize``: the words themselves (jieba for Chinese).
- ``nps.Table``: the response table these build (by column names, no per-row Python work);
  build it once with ``nps.Table.from_frame`` to run several analyses on it.

Conventions: NPS, standard errors and bounds in points (-100..100); shares as fractions (0..1);
confidence levels as fractions (0.95). Scores come as lists (None = missing), numpy arrays of any
integer or float dtype (NaN = missing; read in place, without a copy, when contiguous) or pandas
Series (NA = missing). Bad input raises a subclass of ``nps.NpsError`` (a ``ValueError``) whose
message names the field and position; arguments of the wrong type (booleans, strings) raise
``TypeError``. The computation runs in Rust with the GIL released.

Charts of those DataFrames (matplotlib needed: ``pip install nps[plot]``; not imported by
``import nps``): ``import nps.plot``, then ``nps.plot.trend``, ``categories``, ``quadrant``,
``waterfall`` and ``journey`` each return a ``matplotlib.figure.Figure``.

Results show as tables in Jupyter: the DataFrames, and the result objects (``nps.Estimate``,
``nps.Comparison``, ``nps.Tally``, ``nps.Scale``, ``nps.Journey``, ``nps.StudyTrigger``,
``nps.AlertPolicy``, ``nps.AlertQueue``), which also convert with ``to_dict()`` and
``to_pandas()``.

>>> import nps
>>> e = nps.score([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
>>> e.n, round(e.nps, 9), e.method
(10, 40.0, 'adjusted_wald')
>>> nps.sample_size(5)
1537
>>> e.to_pandas()[["n", "nps", "low", "high"]].round(1)
    n   nps   low  high
0  10  40.0 -12.6  74.1
"""

from ._alerts import alerts, callback_outcomes
from ._comments import distinctive_words, tokenize, topic_indicators, topics
from ._display import StudyTrigger
from ._drivers import driver_moments, drivers, journey_priorities, priorities
from ._frames import attribute, benchmark, by, cube, journey, study_trigger, trend
from ._monitor import monitor
from ._nps import (
    DEFAULT_PRIOR,
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    METHODS,
    AlertPolicy,
    Alerter,
    AlertQueue,
    Comparison,
    Cube,
    DriverError,
    DriverMoments,
    EmptyError,
    Estimate,
    InvalidArgumentError,
    InvalidDateError,
    InvalidLevelError,
    InvalidScoreError,
    InvalidWeightError,
    Journey,
    JourneyError,
    LengthMismatchError,
    Monitor,
    NpsError,
    PolicyError,
    Scale,
    ScaleError,
    Table,
    Tally,
    Taxonomy,
    TextError,
    UnknownAlertError,
    UnknownMethodError,
    UnknownNameError,
    __version__,
    compare,
    margin_of_error,
    sample_size,
    score,
)

__all__ = [
    "DEFAULT_PRIOR",
    "DEFAULT_REPLICATES",
    "DEFAULT_SEED",
    "METHODS",
    "AlertPolicy",
    "AlertQueue",
    "Alerter",
    "Comparison",
    "Cube",
    "DriverError",
    "DriverMoments",
    "EmptyError",
    "Estimate",
    "InvalidArgumentError",
    "InvalidDateError",
    "InvalidLevelError",
    "InvalidScoreError",
    "InvalidWeightError",
    "Journey",
    "JourneyError",
    "LengthMismatchError",
    "Monitor",
    "NpsError",
    "PolicyError",
    "Scale",
    "ScaleError",
    "StudyTrigger",
    "Table",
    "Tally",
    "Taxonomy",
    "TextError",
    "UnknownAlertError",
    "UnknownMethodError",
    "UnknownNameError",
    "__version__",
    "alerts",
    "attribute",
    "benchmark",
    "by",
    "callback_outcomes",
    "compare",
    "cube",
    "distinctive_words",
    "driver_moments",
    "drivers",
    "journey",
    "journey_priorities",
    "margin_of_error",
    "monitor",
    "priorities",
    "sample_size",
    "score",
    "study_trigger",
    "tokenize",
    "topic_indicators",
    "topics",
    "trend",
]
