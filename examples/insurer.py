"""Synthetic, deterministic survey data for a fictional insurer, with planted effects.

Used by the demo and by tests that check the engine finds what was planted (and nothing else of
that size). Only numpy and pandas; every random draw comes from one ``numpy.random.default_rng``
seeded by the ``seed`` argument (same seed, same frame), and generation is fully vectorized
(a few hundredths of a second).

Data
----
``relationship()``: the "how likely are you to recommend ..." market survey, one row per
respondent: the own brand ("Own") and two competitors ("Rival A" = competitor 1, "Rival B" =
competitor 2), 8 quarters 2023-Q1 .. 2024-Q4, ``per_brand_quarter`` respondents per brand and
quarter (1,500 by default: 36,000 rows). Columns: ``respondent``, ``brand``, ``region``,
``age_band``, ``product`` (category), ``date`` (datetime64[ns], uniform inside the quarter),
``ltr`` (0-10, float64, about 2 % NaN = not answered), ``weight`` (lognormal, sigma 0.3, mean
exactly 1, independent of everything else) and one column per driver in ``DRIVERS`` (ratings 1-5
stored as float, about 5 % NaN = not rated, each). Sample mix, the same for every brand: regions
North 27 %, South 12 %, East 22 %, West 21 %, Centre 18 %; ages 18-24 10 %, 25-34 18 %, 35-44
20 %, 45-54 20 %, 55-64 17 %, 65+ 15 %; products Motor 50 %, Home 30 %, Health 20 %.

The score comes from a latent model. Every respondent has an "overall impression" factor G ~ N(0, 1);
driver k's latent is ``brand offset + sqrt(0.4) G + sqrt(0.6) e_k`` and is cut into a 1-5 rating at
fixed thresholds (ratings correlate about 0.35 with each other, 0.4-0.5 with the score). The
recommend latent is

    brand mean + region + age band + product effects + sum_k w_k driver_k + noise + planted effects

where the part around the cell mean is exactly N(0, 1) (drivers explain 55 % of it); it is cut at
fixed thresholds into 0-10 (detractor below -0.5, promoter from +0.5). Driver importance w_k
(relative): claim_speed 0.30 and trust 0.28 most important, price 0.15, agent_knowledge 0.12,
communication and coverage_clarity 0.10, renewal_process 0.08, app_ease 0.04. Brand means give, at
the start, NPS +25 (Own), +20 (Rival A) and +10 (Rival B). Region, age and product effects are
static (no change over time) and centred on the sample mix: older customers more positive (Own:
about +17 at 18-24 to +31 at 65+), Home a little above Motor and Health a little below, North and
West a little above East and Centre. Planted effects are given in NPS points and turned into latent
shifts with the exact normal model, so they have the stated size up to sampling noise.

Balancing: the random part of the recommend latent (driver spread plus noise) is raked to mean
zero within every brand x quarter x region, brand x quarter x age band and brand x quarter x
product cell. Subgroup latent means are therefore exactly on target for any seed; NPS still varies
through the 0-10 cut points, but less than pure sampling: a brand's quarterly NPS scatters around
its target with about half its nominal (binomial) SE. This keeps the flat series flat and the
planted effects at their size for every seed; do not use these data to check interval coverage.
It is meant for the default sizes: with only a few respondents per cell (say per_brand_quarter
under 200) it removes most of the noise of the small cells.

``transactional()``: the own brand's touchpoint surveys (asked right after a contact), one row per
answer: ``respondent``, ``touchpoint`` (category: every touchpoint id of ``journey()``),
``channel`` (category "phone", "app", "web", "branch"; shares depend on the touchpoint),
``region`` (category), ``date`` (datetime64[ns], the same 8 quarters), ``ltr`` (0-10, float64,
about 1 % NaN). ``per_touchpoint_quarter`` answers per touchpoint and quarter (250 by default:
14 x 8 x 250 + 12 = 28,012 rows). Baseline NPS differs by touchpoint (-40 to +40, see
``_TOUCHPOINT_BASE_NPS``: e.g. "buy.agent_quote" +40, "renewal.letter" -10) and is flat over time
except for the claim touchpoints. Region has the same small static effects as in the relationship
survey; channel has no effect of its own (channel NPS differs only through the touchpoint mix). The
noise is balanced to mean zero in every touchpoint x quarter cell (not for the rare touchpoint).

``closed_loop()``: 60 days of transactional answers as the call-back desk sees them (time,
customer, previous score, customer value, a Chinese comment), with an app outage planted at one
claim touchpoint; see its docstring.

``journey()``: the stage -> scene -> touchpoint tree (5 stages, 10 scenes, 15 touchpoints, 4 of
them in the claim stage), JSON-ready.

Planted effects
---------------
Measured figures below are for the default seeds, unweighted, ``ltr`` NaN left out, Wald SE
``sqrt((p + d - (p - d)^2) / n)``; "slope" is the inverse-variance weighted regression of the 8
quarterly NPS values on the quarter index 0..7.

1. South dip (relationship): the own brand's NPS in region "South" drops by 25 points in 2024-Q3 and
   2024-Q4; other regions, and the competitors in South, are unchanged. South is the smallest
   region (12 % of the sample) on purpose: the dip moves the own brand's overall NPS by about 3
   points in those two quarters, which alone gives an expected overall slope of about -0.43 points
   per quarter (z about -1.4). With South at 20 %, a dip big enough for a clear regional test (z
   about 5 or more) makes the expected overall slope z about -1.8 to -2.3, i.e. usually
   "significant". Measured: Wald test of South 2024-Q3..Q4 vs South 2023-Q1..2024-Q2 =
   -25.1 points, SE 4.96, z = -5.06, p = 4e-7 (n = 342 vs 1,004); South by quarter 23.9, 27.3,
   24.7, 24.2, 25.0, 27.5, then -1.2, 1.7. The same test for the other four regions: |z| < 0.5.
   Own-brand overall slope: -0.32 points per quarter, SE 0.31, z = -1.04, p = 0.30 (with the survey
   weights -0.50, SE 0.32, z = -1.55). Over seeds 0..99 the regional z ranged -6.6 .. -4.0 and the
   overall slope had |z| > 1.96 for 10 seeds in 100.
2. Rival B wins the 25-34s (relationship): competitor 2's NPS in age band "25-34" rises by 5 points
   per quarter (+35 from 2023-Q1 to 2024-Q4, from about +6 to about +41); Rival B is flat in every
   other age band, and no other brand x age band has a trend. Measured: slope +4.98 points per
   quarter, SE 0.70, z = 7.1, p = 9e-13; 2023-Q1 1.1, 2024-Q4 37.0, difference +35.9, z = 5.7.
   Rival B in the other age bands: slope +0.17, SE 0.35. Rival B as a whole inherits part of it
   (+1.05 points per quarter, z = 3.4). Largest |slope z| of the other 17 brand x age bands: 0.8.
3. Transactional up, relationship flat: the four claim touchpoints ("claim.first_notice_phone",
   "claim.app_upload", "claim.assessor_visit", "claim.settlement") each improve by 4 points per
   quarter (+28 over the 8 quarters); the other touchpoints are flat, and the own brand's
   relationship NPS is flat apart from effect 1. Measured: claim touchpoints +3.65 to +4.31 points
   per quarter each (SE about 0.76, z 4.8 to 5.6); pooled +3.92, SE 0.38, z = 10.2 (2024-Q4 vs
   2023-Q1 +26.9, z = 7.7); the ten flat touchpoints |slope z| <= 0.7.
4. Too small to report: touchpoint "service.complaint_escalation" has only 12 answers in total
   (fewer than 30), whatever ``per_touchpoint_quarter`` is.
5. Driver gap and lead (relationship): the own brand rates clearly worse than Rival A on
   "app_ease" and clearly better than both rivals on "agent_knowledge". Measured mean ratings:
   app_ease Own 3.35, Rival A 3.77 (-0.42), Rival B 3.63; agent_knowledge Own 3.92, Rival A 3.53,
   Rival B 3.53 (+0.39). Other drivers differ by brand by at most about 0.2.

Brand NPS measured in 2023-Q1 / 2024-Q4: Own 25.1 / 23.4, Rival A 21.2 / 20.3, Rival B 8.2 / 15.8.

Run ``python examples/insurer.py`` for a short printed summary (it writes nothing).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

BRANDS: tuple[str, ...] = ("Own", "Rival A", "Rival B")
REGIONS: tuple[str, ...] = ("North", "South", "East", "West", "Centre")
AGE_BANDS: tuple[str, ...] = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
PRODUCTS: tuple[str, ...] = ("Motor", "Home", "Health")
QUARTERS: tuple[str, ...] = tuple(f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4))
DRIVERS: tuple[str, ...] = (
    "price",
    "claim_speed",
    "agent_knowledge",
    "app_ease",
    "communication",
    "coverage_clarity",
    "renewal_process",
    "trust",
)
CHANNELS: tuple[str, ...] = ("phone", "app", "web", "branch")

# First day of each quarter, plus the day after the last one.
_QUARTER_STARTS = np.array(
    ["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01",
     "2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01"],
    dtype="datetime64[s]",
)  # fmt: skip

# --- Sample mix (same for every brand) ------------------------------------------------------------
_REGION_P = np.array([0.27, 0.12, 0.22, 0.21, 0.18])  # South the smallest (see effect 1)
_AGE_P = np.array([0.10, 0.18, 0.20, 0.20, 0.17, 0.15])
_PRODUCT_P = np.array([0.50, 0.30, 0.20])

# --- Latent model ---------------------------------------------------------------------------------
# Cut points on the recommend latent: score = number of cut points <= latent (0..10).
# Detractor (0-6) below -0.5, passive (7-8) in [-0.5, 0.5), promoter (9-10) from 0.5.
_LTR_CUTS = np.array([-2.7, -2.4, -2.1, -1.8, -1.5, -1.0, -0.5, 0.0, 0.5, 1.1])
_DETRACTOR_BELOW = _LTR_CUTS[6]
_PROMOTER_FROM = _LTR_CUTS[8]
# Cut points on a driver latent: rating = 1 + number of cut points <= latent (1..5).
_DRIVER_CUTS = np.array([-1.8, -1.0, -0.2, 0.7])
_DRIVER_SHARED = 0.4  # share of each driver's variance from the overall-impression factor
_DRIVERS_R2 = 0.55  # share of the recommend latent's spread explained by the drivers
_RAKING_PASSES = 4  # balancing of the recommend latent's random part (see relationship())
_IMPORTANCE = np.array([0.15, 0.30, 0.12, 0.04, 0.10, 0.10, 0.08, 0.28])  # order of DRIVERS

_BRAND_START_NPS = np.array([25.0, 20.0, 10.0])
# Driver latent offsets by brand (rows BRANDS, columns DRIVERS), in latent SD (~1 rating point).
_DRIVER_OFFSET = np.array(
    [
        # price claim agent  app   comm  cover renew trust
        [0.00, 0.00, 0.30, -0.25, 0.00, 0.00, 0.00, 0.05],  # Own: strong agents, weak app
        [0.00, 0.05, -0.10, 0.15, 0.05, 0.00, 0.00, 0.00],  # Rival A: the digital one
        [0.10, -0.10, -0.10, 0.00, -0.05, 0.00, 0.05, -0.05],  # Rival B: the cheap one
    ]
)
# Static demographic effects on the recommend latent (centred on the sample mix above).
_REGION_EFFECT = np.array([0.04, 0.00, -0.03, 0.02, -0.04])
_AGE_EFFECT = np.array([-0.10, -0.06, -0.03, 0.00, 0.05, 0.10])
_PRODUCT_EFFECT = np.array([0.00, 0.05, -0.06])

# --- Planted effects (NPS points) -----------------------------------------------------------------
SOUTH_DIP_NPS = -25.0  # effect 1: Own x South in the last two quarters
SOUTH_DIP_QUARTERS = (6, 7)  # indices into QUARTERS: 2024-Q3, 2024-Q4
RIVAL_B_YOUNG_GAIN_PER_QUARTER = 5.0  # effect 2: Rival B x 25-34, per quarter
CLAIM_GAIN_PER_QUARTER = 4.0  # effect 3: each claim touchpoint, per quarter
SMALL_TOUCHPOINT = "service.complaint_escalation"  # effect 4
SMALL_TOUCHPOINT_N = 12

# --- Journey --------------------------------------------------------------------------------------
# (id, name) of a touchpoint; (id, name, touchpoints) of a scene; (id, name, scenes) of a stage.
_Scene = tuple[str, str, tuple[tuple[str, str], ...]]
_JOURNEY: tuple[tuple[str, str, tuple[_Scene, ...]], ...] = (
    ("buy", "Buy", (
        ("buy.compare", "Comparing offers", (
            ("buy.web_quote", "Web quote"),
            ("buy.agent_quote", "Quote from an agent"),
        )),
        ("buy.purchase", "Taking out the policy", (
            ("buy.online_checkout", "Online checkout"),
        )),
    )),
    ("onboarding", "Onboarding", (
        ("onboarding.welcome", "Welcome", (
            ("onboarding.welcome_pack", "Welcome pack"),
            ("onboarding.app_activation", "App activation"),
        )),
    )),
    ("claim", "Claim", (
        ("claim.report", "Reporting a claim", (
            ("claim.first_notice_phone", "First notice of loss by phone"),
            ("claim.app_upload", "Uploading photos and documents in the app"),
        )),
        ("claim.resolve", "Getting it settled", (
            ("claim.assessor_visit", "Assessor visit"),
            ("claim.settlement", "Settlement and payment"),
        )),
    )),
    ("service", "Service", (
        ("service.contact", "Getting help", (
            ("service.call_centre", "Call centre"),
            ("service.chat", "Web chat"),
        )),
        ("service.change", "Changing the policy", (
            ("service.policy_change", "Policy change"),
        )),
        ("service.complaint", "Complaining", (
            ("service.complaint_escalation", "Complaint escalation"),
        )),
    )),
    ("renewal", "Renewal", (
        ("renewal.notice", "Renewal notice", (
            ("renewal.letter", "Renewal letter"),
        )),
        ("renewal.decide", "Renewing", (
            ("renewal.online_renewal", "Online renewal"),
        )),
    )),
)  # fmt: skip
TOUCHPOINTS: tuple[str, ...] = tuple(
    tp for _, _, scenes in _JOURNEY for _, _, tps in scenes for tp, _ in tps
)
CLAIM_TOUCHPOINTS: tuple[str, ...] = tuple(t for t in TOUCHPOINTS if t.startswith("claim."))
# NPS in 2023-Q1 (flat afterwards, except claim touchpoints: + CLAIM_GAIN_PER_QUARTER a quarter).
_TOUCHPOINT_BASE_NPS: dict[str, float] = {
    "buy.web_quote": 30.0,
    "buy.agent_quote": 40.0,
    "buy.online_checkout": 25.0,
    "onboarding.welcome_pack": 20.0,
    "onboarding.app_activation": 5.0,
    "claim.first_notice_phone": -10.0,
    "claim.app_upload": -5.0,
    "claim.assessor_visit": 0.0,
    "claim.settlement": -15.0,
    "service.call_centre": 10.0,
    "service.chat": 15.0,
    "service.policy_change": 20.0,
    "service.complaint_escalation": -40.0,
    "renewal.letter": -10.0,
    "renewal.online_renewal": 30.0,
}
# Channel shares by touchpoint, order CHANNELS (phone, app, web, branch).
_TOUCHPOINT_CHANNEL_P: dict[str, tuple[float, float, float, float]] = {
    "buy.web_quote": (0.00, 0.15, 0.85, 0.00),
    "buy.agent_quote": (0.40, 0.00, 0.00, 0.60),
    "buy.online_checkout": (0.00, 0.30, 0.70, 0.00),
    "onboarding.welcome_pack": (0.10, 0.20, 0.50, 0.20),
    "onboarding.app_activation": (0.00, 1.00, 0.00, 0.00),
    "claim.first_notice_phone": (1.00, 0.00, 0.00, 0.00),
    "claim.app_upload": (0.00, 0.90, 0.10, 0.00),
    "claim.assessor_visit": (0.60, 0.20, 0.10, 0.10),
    "claim.settlement": (0.40, 0.30, 0.20, 0.10),
    "service.call_centre": (1.00, 0.00, 0.00, 0.00),
    "service.chat": (0.00, 0.40, 0.60, 0.00),
    "service.policy_change": (0.30, 0.30, 0.30, 0.10),
    "service.complaint_escalation": (0.70, 0.00, 0.10, 0.20),
    "renewal.letter": (0.20, 0.10, 0.40, 0.30),
    "renewal.online_renewal": (0.00, 0.40, 0.60, 0.00),
}


# --- Helpers --------------------------------------------------------------------------------------
def _phi(x: float) -> float:
    """Standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _nps_of_mean(mu: float) -> float:
    """Expected NPS (points) of a N(mu, 1) recommend latent under the fixed cut points."""
    return 100.0 * (_phi(mu - _PROMOTER_FROM) - _phi(_DETRACTOR_BELOW - mu))


def _mean_for_nps(nps: float) -> float:
    """Latent mean whose expected NPS is ``nps`` points (bisection; NPS is increasing in mu)."""
    lo, hi = -6.0, 6.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if _nps_of_mean(mid) < nps:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _centred(effect: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Effects shifted so their average over the sample mix ``p`` is zero."""
    return effect - float(effect @ p)


def _driver_weights() -> tuple[np.ndarray, float]:
    """Driver weights on the recommend latent and the SD of the remaining noise.

    The weighted driver sum (drivers unit variance, pairwise correlation ``_DRIVER_SHARED``) has
    variance ``_DRIVERS_R2``; noise fills the rest so the latent around its mean is N(0, 1).
    """
    s = _IMPORTANCE
    var = _DRIVER_SHARED * s.sum() ** 2 + (1.0 - _DRIVER_SHARED) * float(s @ s)
    return s * math.sqrt(_DRIVERS_R2 / var), math.sqrt(1.0 - _DRIVERS_R2)


def _dates(rng: np.random.Generator, quarter: np.ndarray) -> np.ndarray:
    """A datetime64[ns] uniform inside each row's quarter (second resolution)."""
    start = _QUARTER_STARTS[quarter]
    length = (_QUARTER_STARTS[quarter + 1] - start).astype(np.int64)
    offset = np.floor(rng.random(quarter.size) * length).astype(np.int64)
    dates: np.ndarray = (start + offset.astype("timedelta64[s]")).astype("datetime64[ns]")
    return dates


def _ltr_scores(latent: np.ndarray) -> np.ndarray:
    """0-10 scores (float64) from the recommend latent."""
    return np.searchsorted(_LTR_CUTS, latent, side="right").astype(np.float64)


def _with_missing(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    """``values`` (float) with about ``share`` of the entries set to NaN."""
    out = values.astype(np.float64, copy=True)
    out[rng.random(out.shape) < share] = np.nan
    return out


def _cell_means(values: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Each row's mean of ``values`` over the rows of its cell (``cell`` = integer cell codes)."""
    count = np.bincount(cell)
    means: np.ndarray = (np.bincount(cell, weights=values) / np.maximum(count, 1))[cell]
    return means


def _categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    # pandas takes an integer array of codes; pandas-stubs types them as a sequence of int.
    return pd.Categorical.from_codes(cast(Sequence[int], codes), categories=pd.Index(categories))


# --- Closed loop (closed_loop()) ------------------------------------------------------------------
LOOP_START = np.datetime64("2025-01-01T00:00:00", "s")
CRISIS_TOUCHPOINT = "claim.app_upload"  # an app outage from CRISIS_DAY on
CRISIS_DAY = 45
CRISIS_DROP = 35.0  # NPS points
# Chinese comments by theme (three phrasings each).
_PHRASES: dict[str, tuple[str, ...]] = {
    "slow": ("理赔太慢了，等了两个星期", "理赔进度一直没有消息", "赔款到现在还没到账"),
    "upload": ("App上传照片总是失败", "App一直闪退，没法上传资料", "上传材料的页面打不开"),
    "price": ("续保价格涨得太多了", "保费太贵，比去年高很多", "价格不合理"),
    "staff": ("客服态度很好，解释得很清楚", "理赔专员很专业，态度好", "服务很周到，谢谢"),
    "easy": ("流程简单方便", "办理得很顺利", "手续很方便"),
    "neutral": ("还可以", "一般吧", "没什么特别的"),
}


# --- Public API -----------------------------------------------------------------------------------
def relationship(seed: int = 2024, per_brand_quarter: int = 1500) -> pd.DataFrame:
    """Relationship (market) survey: Own, Rival A and Rival B over 8 quarters, with drivers.

    ``per_brand_quarter`` respondents per brand and quarter (36,000 rows by default), sorted by
    date, ``respondent`` numbered 1..n in that order. Columns: respondent, brand, region, age_band,
    product (category), date (datetime64[ns]), ltr (0-10 float, ~2 % NaN), weight (mean 1), then
    one 1-5 rating column per driver in ``DRIVERS`` (float, ~5 % NaN each). Planted effects 1, 2
    and 5 of the module docstring are in it; the same seed always gives the same frame.
    """
    rng = np.random.default_rng(seed)
    n_brand, n_quarter = len(BRANDS), len(QUARTERS)
    n = n_brand * n_quarter * per_brand_quarter
    brand = np.repeat(np.arange(n_brand), n_quarter * per_brand_quarter)
    quarter = np.tile(np.repeat(np.arange(n_quarter), per_brand_quarter), n_brand)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_P)
    age = rng.choice(len(AGE_BANDS), size=n, p=_AGE_P)
    product = rng.choice(len(PRODUCTS), size=n, p=_PRODUCT_P)
    date = _dates(rng, quarter)

    # Drivers: shared overall impression plus a driver's own part, around the brand's offset.
    impression = rng.standard_normal(n)
    own_part = rng.standard_normal((n, len(DRIVERS)))
    driver_latent = (
        _DRIVER_OFFSET[brand]
        + math.sqrt(_DRIVER_SHARED) * impression[:, None]
        + math.sqrt(1.0 - _DRIVER_SHARED) * own_part
    )
    weights, noise_sd = _driver_weights()

    # Brand means: chosen so the brand starts at _BRAND_START_NPS, net of its driver offsets.
    brand_mean = np.array([_mean_for_nps(v) for v in _BRAND_START_NPS]) - _DRIVER_OFFSET @ weights
    age_effect = _centred(_AGE_EFFECT, _AGE_P)
    region_effect = _centred(_REGION_EFFECT, _REGION_P)
    mean = brand_mean[brand] + region_effect[region] + age_effect[age]
    mean += _centred(_PRODUCT_EFFECT, _PRODUCT_P)[product]

    # Effect 1: Own x South in the last two quarters.
    own, rival_b = BRANDS.index("Own"), BRANDS.index("Rival B")
    south = REGIONS.index("South")
    south_mu = _mean_for_nps(_BRAND_START_NPS[own]) + region_effect[south]
    south_shift = _mean_for_nps(_nps_of_mean(south_mu) + SOUTH_DIP_NPS) - south_mu
    dip = (brand == own) & (region == south) & np.isin(quarter, SOUTH_DIP_QUARTERS)
    mean[dip] += south_shift
    # Effect 2: Rival B x 25-34, linear in NPS over the quarters.
    young = AGE_BANDS.index("25-34")
    young_mu = _mean_for_nps(_BRAND_START_NPS[rival_b]) + age_effect[young]
    young_start = _nps_of_mean(young_mu)
    young_shift = np.array(
        [
            _mean_for_nps(young_start + RIVAL_B_YOUNG_GAIN_PER_QUARTER * q) - young_mu
            for q in range(n_quarter)
        ]
    )
    gain = (brand == rival_b) & (age == young)
    mean[gain] += young_shift[quarter[gain]]

    # Random part: drivers around the brand offsets plus noise, balanced (a few raking passes) to
    # mean zero within brand x quarter x region, x age band and x product cells alike.
    spread = (driver_latent - _DRIVER_OFFSET[brand]) @ weights + noise_sd * rng.standard_normal(n)
    brand_quarter = brand * n_quarter + quarter
    for _ in range(_RAKING_PASSES):
        spread -= _cell_means(spread, brand_quarter * len(REGIONS) + region)
        spread -= _cell_means(spread, brand_quarter * len(AGE_BANDS) + age)
        spread -= _cell_means(spread, brand_quarter * len(PRODUCTS) + product)
    latent = mean + _DRIVER_OFFSET[brand] @ weights + spread
    ltr = _with_missing(rng, _ltr_scores(latent), 0.02)
    ratings = 1.0 + np.searchsorted(_DRIVER_CUTS, driver_latent, side="right")
    ratings = _with_missing(rng, ratings, 0.05)
    weight = rng.lognormal(0.0, 0.3, size=n)
    weight /= weight.mean()

    order = np.argsort(date, kind="stable")
    frame = pd.DataFrame(
        {
            "respondent": np.arange(1, n + 1, dtype=np.int64),
            "brand": _categorical(brand[order], BRANDS),
            "region": _categorical(region[order], REGIONS),
            "age_band": _categorical(age[order], AGE_BANDS),
            "product": _categorical(product[order], PRODUCTS),
            "date": date[order],
            "ltr": ltr[order],
            "weight": weight[order],
        }
    )
    for k, name in enumerate(DRIVERS):
        frame[name] = ratings[order, k]
    return frame


def transactional(seed: int = 2025, per_touchpoint_quarter: int = 250) -> pd.DataFrame:
    """Transactional (touchpoint) survey of the own brand over the same 8 quarters.

    ``per_touchpoint_quarter`` answers per touchpoint and quarter, except the rare touchpoint
    ``SMALL_TOUCHPOINT`` with ``SMALL_TOUCHPOINT_N`` (12) answers in all; sorted by date,
    ``respondent`` numbered 1..n. Columns: respondent, touchpoint, channel, region (category), date
    (datetime64[ns]), ltr (0-10 float, ~1 % NaN). Planted effects 3 and 4 of the module docstring
    are in it: claim touchpoints gain ``CLAIM_GAIN_PER_QUARTER`` points a quarter, the rest is flat.
    """
    rng = np.random.default_rng(seed)
    n_quarter = len(QUARTERS)
    big = [i for i, t in enumerate(TOUCHPOINTS) if t != SMALL_TOUCHPOINT]
    small = TOUCHPOINTS.index(SMALL_TOUCHPOINT)
    block = n_quarter * per_touchpoint_quarter
    touchpoint = np.concatenate(
        [np.repeat(np.array(big), block), np.full(SMALL_TOUCHPOINT_N, small)]
    )
    quarter = np.concatenate(
        [
            np.tile(np.repeat(np.arange(n_quarter), per_touchpoint_quarter), len(big)),
            rng.integers(0, n_quarter, SMALL_TOUCHPOINT_N),
        ]
    )
    n = touchpoint.size
    region = rng.choice(len(REGIONS), size=n, p=_REGION_P)
    date = _dates(rng, quarter)

    # Channel: inverse-CDF draw from the touchpoint's channel shares.
    channel_p = np.array([_TOUCHPOINT_CHANNEL_P[t] for t in TOUCHPOINTS])
    channel_cdf = np.cumsum(channel_p, axis=1)
    channel_cdf[:, -1] = 1.0
    u = rng.random(n)
    channel = (u[:, None] >= channel_cdf[touchpoint]).sum(axis=1)

    # Latent mean per touchpoint and quarter, exact in NPS; claim touchpoints rise linearly.
    target = np.array([[_TOUCHPOINT_BASE_NPS[t]] * n_quarter for t in TOUCHPOINTS])
    claim = np.array([t in CLAIM_TOUCHPOINTS for t in TOUCHPOINTS])
    target[claim] += CLAIM_GAIN_PER_QUARTER * np.arange(n_quarter)
    cell_mean = np.vectorize(_mean_for_nps)(target)
    # Noise balanced to mean exactly zero in every touchpoint x quarter cell (not the rare one).
    noise = rng.standard_normal(n)
    regular = touchpoint != small
    noise[regular] -= _cell_means(noise[regular], touchpoint[regular] * n_quarter + quarter[regular])
    latent = cell_mean[touchpoint, quarter] + _centred(_REGION_EFFECT, _REGION_P)[region] + noise
    ltr = _with_missing(rng, _ltr_scores(latent), 0.01)

    order = np.argsort(date, kind="stable")
    return pd.DataFrame(
        {
            "respondent": np.arange(1, n + 1, dtype=np.int64),
            "touchpoint": _categorical(touchpoint[order], TOUCHPOINTS),
            "channel": _categorical(channel[order], CHANNELS),
            "region": _categorical(region[order], REGIONS),
            "date": date[order],
            "ltr": ltr[order],
        }
    )


def closed_loop(seed: int = 2026, days: int = 60, per_day: int = 400) -> pd.DataFrame:
    """The transactional responses of the last ``days`` days as the closed-loop (闭环) desk sees
    them: one row per answer with what alert rules and call-backs need.

    Columns: ``at`` (datetime64[s], 08:00-22:00 each day from ``LOOP_START``), ``customer``
    (text id; customers answer again, so duplicate alerts occur), ``touchpoint`` (category,
    every touchpoint but the rare one), ``ltr`` (0-10 float), ``previous`` (the customer's
    previous score, NaN for about half of them), ``value`` (annual premium in CNY, lognormal,
    median 3,000) and ``comment`` (Chinese text, or None for about 40 %). Sorted by time.

    Planted: from day ``CRISIS_DAY`` on, "claim.app_upload" falls by ``CRISIS_DROP`` NPS points (an
    app outage), and its detractors write about uploads failing (上传失败, 闪退); claim detractors
    write about slow settlement (理赔慢), renewal detractors about price (价格), promoters about
    helpful staff (态度好). A fifth of the detractors with a previous score had given 9-10.
    """
    rng = np.random.default_rng(seed)
    touchpoints = [t for t in TOUCHPOINTS if t != SMALL_TOUCHPOINT]
    n = days * per_day
    day = np.repeat(np.arange(days), per_day)
    seconds = rng.integers(8 * 3600, 22 * 3600, n)
    at = LOOP_START + (day * 86_400 + seconds).astype("timedelta64[s]")
    tp = rng.integers(0, len(touchpoints), n)
    # Latent means per touchpoint, before and during the outage (solved once per touchpoint).
    base = np.array([_mean_for_nps(_TOUCHPOINT_BASE_NPS[t]) for t in touchpoints])
    down = _mean_for_nps(_TOUCHPOINT_BASE_NPS[CRISIS_TOUCHPOINT] - CRISIS_DROP)
    crisis = (tp == touchpoints.index(CRISIS_TOUCHPOINT)) & (day >= CRISIS_DAY)
    ltr = _ltr_scores(np.where(crisis, down, base[tp]) + rng.standard_normal(n))

    detractor, promoter = ltr <= 6, ltr >= 9
    has_previous = rng.random(n) < 0.5
    previous = np.clip(ltr + rng.integers(-1, 3, n), 0, 10)
    big_drop = detractor & (rng.random(n) < 0.2)
    previous = np.where(big_drop, rng.integers(9, 11, n), previous)
    previous = np.where(has_previous, previous, np.nan)

    names = np.array(touchpoints)[tp]
    claim = np.char.startswith(names.astype(str), "claim.")
    renewal = np.char.startswith(names.astype(str), "renewal.")
    themes = list(_PHRASES)
    code = {t: i for i, t in enumerate(themes)}
    theme = np.full(n, code["neutral"])
    u = rng.random(n)
    theme[promoter] = np.where(u[promoter] < 0.6, code["staff"], code["easy"])
    passive = ~detractor & ~promoter
    theme[passive] = np.where(u[passive] < 0.6, code["neutral"], code["easy"])
    d_claim, d_renewal = detractor & claim, detractor & renewal
    theme[d_claim] = np.where(u[d_claim] < 0.6, code["slow"], code["neutral"])
    theme[d_renewal] = np.where(u[d_renewal] < 0.7, code["price"], code["neutral"])
    d_other = detractor & ~claim & ~renewal
    theme[d_other] = np.where(u[d_other] < 0.3, code["price"], code["neutral"])
    outage = detractor & crisis
    theme[outage] = np.where(u[outage] < 0.8, code["upload"], code["slow"])
    phrases = np.array([p for t in themes for p in _PHRASES[t]], dtype=object)
    comment = phrases[theme * 3 + rng.integers(0, 3, n)]
    comment[rng.random(n) < 0.4] = None

    customer = np.char.add("C", np.char.zfill(rng.integers(0, n // 3, n).astype(str), 5))
    value = np.round(3000.0 * rng.lognormal(0.0, 0.6, n), 0)
    frame = pd.DataFrame(
        {
            "at": at,
            "customer": customer.astype(object),
            "touchpoint": _categorical(tp, tuple(touchpoints)),
            "ltr": ltr,
            "previous": previous,
            "value": value,
            "comment": comment,
        }
    )
    return frame.sort_values("at", kind="stable").reset_index(drop=True)


def journey() -> dict[str, Any]:
    """The insurer's journey: stages -> scenes -> touchpoints, as plain JSON-ready dicts and lists.

    ``{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints": [{"id", "name"}]}]}]}``;
    5 stages, 10 scenes, 15 touchpoints (4 in "claim"); ids are unique across all levels and the
    touchpoint ids are exactly the categories of ``transactional()["touchpoint"]``. A new object
    on each call.
    """
    return {
        "stages": [
            {
                "id": stage_id,
                "name": stage_name,
                "scenes": [
                    {
                        "id": scene_id,
                        "name": scene_name,
                        "touchpoints": [{"id": tp_id, "name": tp_name} for tp_id, tp_name in tps],
                    }
                    for scene_id, scene_name, tps in scenes
                ],
            }
            for stage_id, stage_name, scenes in _JOURNEY
        ]
    }


def _nps_table(codes: np.ndarray, quarter: np.ndarray, ltr: np.ndarray, k: int) -> np.ndarray:
    """NPS (points) per group code (0..k-1) and quarter; NaN answers are left out."""
    ok = ~np.isnan(ltr)
    cell = codes[ok] * len(QUARTERS) + quarter[ok]
    size = k * len(QUARTERS)
    count = np.bincount(cell, minlength=size)
    net = np.bincount(cell, weights=(ltr[ok] >= 9) * 1.0 - (ltr[ok] <= 6), minlength=size)
    return (100.0 * net / np.maximum(count, 1)).reshape(k, len(QUARTERS))


def _quarter_index(dates: pd.Series) -> np.ndarray:
    return np.searchsorted(_QUARTER_STARTS.astype("datetime64[ns]"), dates.to_numpy(), "right") - 1


if __name__ == "__main__":
    rel, tra = relationship(), transactional()
    for title, df in (("relationship()", rel), ("transactional()", tra)):
        print(f"{title}: {len(df):,} rows; columns: {', '.join(df.columns)}")
    rq = _quarter_index(rel["date"])
    table = _nps_table(rel["brand"].cat.codes.to_numpy(), rq, rel["ltr"].to_numpy(), len(BRANDS))
    print("\nRelationship NPS per brand and quarter (unweighted):")
    print(f"  {'brand':<9}" + "".join(f"{q:>9}" for q in QUARTERS))
    for b, row in zip(BRANDS, table):
        print(f"  {b:<9}" + "".join(f"{v:9.1f}" for v in row))
    tq = _quarter_index(tra["date"])
    codes = tra["touchpoint"].cat.codes.to_numpy()
    table = _nps_table(codes, tq, tra["ltr"].to_numpy(), len(TOUCHPOINTS))
    counts = np.bincount(codes, minlength=len(TOUCHPOINTS))
    print("\nTransactional NPS per touchpoint, first and last quarter (n = answers in all):")
    for t, row, c in zip(TOUCHPOINTS, table, counts):
        note = "  (too small to report)" if c < 30 else ""
        print(f"  {t:<30}{row[0]:7.1f}{row[-1]:7.1f}   n = {c:,}{note}")
    stages = journey()["stages"]
    n_tp = sum(len(s["touchpoints"]) for st in stages for s in st["scenes"])
    print(f"\njourney(): {len(stages)} stages, {n_tp} touchpoints")
