//! Drop detection for transactional NPS (场景NPS) per touchpoint (触点) in Python: `nps.Monitor`
//! (the streaming lower CUSUM of `nps_core::Monitor`) and the column function behind
//! `nps.monitor` (`nps._monitor`).
//!
//! The Python side converts the caller's columns with numpy, pandas or polars (`nps._convert`:
//! times as `int64` seconds, touchpoints dictionary encoded, scores as for `nps.score`); this
//! side converts the options, hands the columns to the core with the GIL released, and names
//! the DataFrame's column in the core's errors. Nothing is computed here.

use std::collections::BTreeMap;

use nps_core::{
    Alarm, Baseline, BaselineSource, Dimension, Error, MonitorOptions, NA, ScoreValue, Shift,
    TouchpointState,
};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyType};

use crate::columns::{Columns, count};
use crate::errors::{self, OrRaise, in_column};
use crate::json;
use crate::values::{is_missing, time_of, type_name};

/// The default drop to detect, in NPS points (the core's `DEFAULT_SHIFT_POINTS`).
const DEFAULT_SHIFT: f64 = nps_core::DEFAULT_SHIFT_POINTS;

/// The monitor options from the Python arguments (checked by the core when the monitor is
/// made, except what only Python can get wrong: both shifts, a negative warm-up).
#[allow(clippy::too_many_arguments)] // one per Python argument
fn options(
    arl0: f64,
    shift: Option<f64>,
    shift_sd: Option<f64>,
    warmup: i64,
    level: f64,
    baseline: Option<&Bound<'_, PyAny>>,
    baselines: Option<&Bound<'_, PyAny>>,
    guarantee: Option<f64>,
) -> PyResult<MonitorOptions> {
    let shift = match (shift, shift_sd) {
        (_, Some(sd)) if shift.is_none_or(|s| s == DEFAULT_SHIFT) => Shift::Sd(sd),
        (Some(points), None) => Shift::Points(points),
        (points, sd) => {
            return Err(errors::raise(Error::InvalidArgument {
                field: "shift",
                value: format!("{points:?} points and shift_sd {sd:?}"),
                expected: "one drop to detect: shift (NPS points, default 10) or shift_sd \
                           (standard deviations, which replaces the default shift)",
            }));
        }
    };
    let warmup = u64::try_from(warmup).map_err(|_| {
        errors::raise(Error::InvalidArgument {
            field: "warmup",
            value: warmup.to_string(),
            expected: "at least 1 answered response to estimate a baseline (1000 is the \
                       default; give baselines to skip the warm-up)",
        })
    })?;
    Ok(MonitorOptions {
        arl0,
        shift,
        warmup,
        level,
        baseline: baseline.map(|b| baseline_of(b, None)).transpose()?,
        baselines: match baselines {
            None => BTreeMap::new(),
            Some(b) => baselines_of(b)?,
        },
        guarantee,
        ..MonitorOptions::default()
    })
}

/// A baseline from a dict: ``{"promoters": p, "detractors": d}`` (shares) or ``{"nps": NPS,
/// "sd": sd}`` (points), with an optional ``"kind"`` ("shares" or "nps").
fn baseline_of(spec: &Bound<'_, PyAny>, touchpoint: Option<&str>) -> PyResult<Baseline> {
    let shown = || -> PyResult<String> {
        let repr = spec.repr()?.to_cow()?.into_owned();
        Ok(match touchpoint {
            Some(t) => format!("{repr} for touchpoint {t:?}"),
            None => repr,
        })
    };
    let bad = |shown: String| {
        errors::raise(Error::InvalidArgument {
            field: "baseline",
            value: shown,
            expected: "a dict {\"promoters\": p, \"detractors\": d} (shares, fractions) or \
                       {\"nps\": NPS, \"sd\": s} (points: the NPS and the standard deviation of \
                       one response's -1/0/+1 score)",
        })
    };
    let Ok(dict) = spec.cast::<PyDict>() else {
        return Err(bad(shown()?));
    };
    let mut numbers = BTreeMap::new();
    let mut kind = None;
    for (key, value) in dict.iter() {
        let key: String = match key.extract() {
            Ok(k) => k,
            Err(_) => return Err(bad(shown()?)),
        };
        if key == "kind" {
            kind = Some(
                value
                    .extract::<String>()
                    .map_err(|_| bad(shown().unwrap_or_default()))?,
            );
            continue;
        }
        if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
            return Err(bad(shown()?));
        }
        let Ok(x) = value.extract::<f64>() else {
            return Err(bad(shown()?));
        };
        numbers.insert(key, x);
    }
    let keys: Vec<&str> = numbers.keys().map(String::as_str).collect();
    match (kind.as_deref(), keys.as_slice()) {
        (None | Some("shares"), ["detractors", "promoters"]) => Ok(Baseline::Shares {
            promoters: numbers["promoters"],
            detractors: numbers["detractors"],
        }),
        (None | Some("nps"), ["nps", "sd"]) => Ok(Baseline::Nps {
            nps: numbers["nps"],
            sd: numbers["sd"],
        }),
        _ => Err(bad(shown()?)),
    }
}

/// The baselines of named touchpoints from a mapping touchpoint → baseline dict.
fn baselines_of(spec: &Bound<'_, PyAny>) -> PyResult<BTreeMap<String, Baseline>> {
    let items = spec.call_method0("items").map_err(|_| {
        PyTypeError::new_err(format!(
            "baselines must be a dict touchpoint → baseline, got {}",
            type_name(spec)
        ))
    })?;
    let mut out = BTreeMap::new();
    for item in items.try_iter()? {
        let (touchpoint, baseline): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
        let touchpoint = touchpoint.str()?.to_cow()?.into_owned();
        let baseline = baseline_of(&baseline, Some(&touchpoint))?;
        out.insert(touchpoint, baseline);
    }
    Ok(out)
}

/// A score argument as `f64` (NaN when missing); `TypeError` for booleans, texts and other
/// objects. The core checks the scale.
fn score_of(v: &Bound<'_, PyAny>) -> PyResult<f64> {
    if is_missing(v) {
        return Ok(f64::NAN);
    }
    let not_a_number = || {
        PyTypeError::new_err(format!(
            "score must be a number (None or NaN when not answered), got {}",
            type_name(v)
        ))
    };
    if v.is_instance_of::<PyBool>() || type_name(v) == "bool" || v.is_instance_of::<PyString>() {
        return Err(not_a_number());
    }
    v.extract::<f64>().map_err(|_| not_a_number())
}

/// An alarm as a dict (times in seconds since 1970-01-01 UTC).
fn alarm_dict<'py>(py: Python<'py>, a: &Alarm) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("touchpoint", &a.touchpoint)?;
    d.set_item("at", a.time)?;
    d.set_item("change_at", a.change_time)?;
    d.set_item("n", a.n)?;
    d.set_item("nps", a.nps)?;
    d.set_item("low", a.low)?;
    d.set_item("high", a.high)?;
    d.set_item("baseline_nps", a.baseline_nps)?;
    d.set_item("drop", a.drop)?;
    d.set_item("drop_low", a.drop_low)?;
    d.set_item("drop_high", a.drop_high)?;
    d.set_item("cusum", a.cusum)?;
    d.set_item("h", a.h)?;
    d.set_item("index", a.index)?;
    d.set_item("change_index", a.change_index)?;
    d.set_item("promoters", a.promoters)?;
    d.set_item("passives", a.passives)?;
    d.set_item("detractors", a.detractors)?;
    d.set_item("k", a.k)?;
    d.set_item("level", a.level)?;
    Ok(d)
}

/// The keys of a touchpoint's state, in order.
const STATE_KEYS: [&str; 17] = [
    "touchpoint",
    "baseline",
    "warmup_n",
    "promoters",
    "detractors",
    "baseline_nps",
    "baseline_sd",
    "shift_sd",
    "k",
    "h",
    "detection_arl",
    "cusum",
    "run",
    "responses",
    "missing",
    "monitored",
    "alarms",
];

/// A touchpoint's state as a dict (keys [`STATE_KEYS`]; the chart's numbers NaN and
/// ``baseline`` None while warming up).
fn state_dict<'py>(py: Python<'py>, s: &TouchpointState) -> PyResult<Bound<'py, PyDict>> {
    let chart = |f: fn(&nps_core::CusumChart) -> f64| s.chart.as_ref().map_or(f64::NAN, f);
    let d = PyDict::new(py);
    d.set_item("touchpoint", &s.touchpoint)?;
    d.set_item(
        "baseline",
        s.chart.as_ref().map(|c| match c.source {
            BaselineSource::Given => "given",
            BaselineSource::Warmup => "warmup",
        }),
    )?;
    d.set_item("warmup_n", s.warmup_n)?;
    d.set_item("promoters", chart(|c| c.promoters))?;
    d.set_item("detractors", chart(|c| c.detractors))?;
    d.set_item("baseline_nps", chart(|c| c.nps))?;
    d.set_item("baseline_sd", chart(|c| c.sd))?;
    d.set_item("shift_sd", chart(|c| c.shift_sd))?;
    d.set_item("k", chart(|c| c.k))?;
    d.set_item("h", chart(|c| c.h))?;
    d.set_item("detection_arl", chart(|c| c.detection_arl))?;
    d.set_item("cusum", s.cusum)?;
    d.set_item("run", s.run)?;
    d.set_item("responses", s.responses)?;
    d.set_item("missing", s.missing)?;
    d.set_item("monitored", s.monitored)?;
    d.set_item("alarms", s.alarms)?;
    Ok(d)
}

/// The states as a list of dicts.
fn state_list<'py>(py: Python<'py>, states: &[TouchpointState]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for s in states {
        list.append(state_dict(py, s)?)?;
    }
    Ok(list)
}

/// Streaming drop detection for transactional NPS (场景NPS) per touchpoint (触点): raises an
/// alarm when the evidence of a sustained drop crosses a threshold set by the false-alarm rate
/// you state, for crisis handling (危机处理) in real time.
///
/// ``observe`` each response in time order: its touchpoint, recommend score (0–10; detractors
/// 贬损者 0–6, passives 被动者 7–8, promoters 推荐者 9–10; None or NaN: not answered, skipped)
/// and time. It returns None, or a dict describing the alarm the response raised:
/// ``touchpoint``, ``at`` and ``change_at`` (the alarming response's time and the estimated
/// change point's, seconds since 1970-01-01 UTC), ``n`` (answered responses since the change
/// point), ``nps`` with ``low`` and ``high`` (their NPS with its adjusted-Wald interval),
/// ``baseline_nps``, ``drop`` = nps − baseline_nps with ``drop_low`` and ``drop_high``,
/// ``cusum`` (C at the alarm) and ``h``; then ``index`` and ``change_index`` (stream
/// positions), ``promoters``, ``passives``, ``detractors``, ``k`` and ``level``.
///
/// The chart (Page 1954; Montgomery §9.1, the tabular CUSUM, lower side): each answered
/// response is x = −1 (detractor), 0 (passive) or +1 (promoter); with the touchpoint's baseline
/// shares p, d, μ₀ = p − d and σ₀² = p + d − (p − d)²: z_t = (x_t − μ₀)/σ₀,
/// C_t = max(0, C_{t−1} − z_t − k), alarm when C_t > h, where k = δ/2 is half the drop δ to detect fastest (``shift`` NPS points: δ = shift/(100σ₀);
/// or ``shift_sd`` standard deviations), and h is solved from ARL₀ (``arl0``, the in-control
/// average run length in answered responses of one touchpoint) by Siegmund's approximation
/// ARL₀ = (exp(θh′) − 1 − θh′)/(θk), h′ = h + 1.166, θ the positive root of E[exp(θ(−z − k))] = 1
/// under the baseline (2k for normal data). The false-alarm rate is nominally 1/ARL₀ per
/// answered response of a touchpoint; the core measured the realised rate within ±20 % of it
/// for 5–20-point shifts with a known baseline, higher when the baseline is estimated from a
/// short warm-up. ``guarantee`` (e.g. 0.9) raises the threshold of an estimated baseline so
/// that its in-control ARL reaches ARL₀ with that probability over the estimation error (the
/// bootstrap of Gandy & Kvaløy 2013; measured: 85–91 % of touchpoints at or below the stated
/// rate, against about half with the nominal threshold), at the cost of a slower detection.
///
/// The baseline (``baselines``, ``baseline``, or ``set_baseline``) is given as a dict of
/// shares ``{"promoters": 0.5, "detractors": 0.2}`` or of points ``{"nps": 30, "sd": 78.1}``
/// (the standard deviation of one response's score); without one, a touchpoint's first
/// ``warmup`` answered responses estimate it (adjusted-Wald shares) and are not monitored.
/// After an alarm the touchpoint's chart restarts (C = 0, same baseline), so a lasting drop
/// alarms again until ``set_baseline`` or ``rebaseline`` accepts the new level.
///
/// Memory is about 300 bytes per touchpoint whatever the number of responses; monitors pickle
/// (``to_json`` / ``Monitor.from_json``), so a stream resumes exactly after a restart, and
/// compare equal by state. ``nps.monitor`` runs a whole DataFrame through a fresh monitor.
///
/// >>> import nps
/// >>> m = nps.Monitor(baselines={"claim.app_upload": {"promoters": 0.5, "detractors": 0.2}})
/// >>> usual = [10, 10, 9, 10, 9, 8, 7, 8, 3, 6]    # NPS 30, as the baseline says
/// >>> outage = [10, 9, 10, 8, 7, 8, 3, 6, 0, 5]    # NPS 0
/// >>> t = 1_740_787_200                            # 2025-03-01, seconds since 1970
/// >>> alarms = []
/// >>> for i, score in enumerate(usual * 200 + outage * 100):
/// ...     alarm = m.observe("claim.app_upload", score, t + 60 * i)
/// ...     if alarm is not None:
/// ...         alarms.append(alarm)
/// >>> a = alarms[0]
/// >>> a["touchpoint"], a["index"] >= 2000, a["change_index"] >= 1990, a["nps"] < a["baseline_nps"]
/// ('claim.app_upload', True, True, True)
/// >>> a["cusum"] > a["h"], m.false_alarm_rate, len(alarms)
/// (True, 0.0001, 13)
/// >>> import pickle
/// >>> pickle.loads(pickle.dumps(m)) == m
/// True
#[pyclass(module = "nps", eq)]
#[derive(PartialEq)]
pub struct Monitor(nps_core::Monitor);

#[pymethods]
impl Monitor {
    #[new]
    #[pyo3(signature = (
        *, arl0=10000.0, shift=Some(10.0), shift_sd=None, warmup=1000, level=0.95,
        baseline=None, baselines=None, guarantee=None,
    ))]
    #[pyo3(
        text_signature = "(*, arl0=10000.0, shift=10.0, shift_sd=None, warmup=1000, \
                             level=0.95, baseline=None, baselines=None, guarantee=None)"
    )]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn new(
        arl0: f64,
        shift: Option<f64>,
        shift_sd: Option<f64>,
        warmup: i64,
        level: f64,
        baseline: Option<&Bound<'_, PyAny>>,
        baselines: Option<&Bound<'_, PyAny>>,
        guarantee: Option<f64>,
    ) -> PyResult<Self> {
        let options = options(
            arl0, shift, shift_sd, warmup, level, baseline, baselines, guarantee,
        )?;
        nps_core::Monitor::new(options).or_raise().map(Monitor)
    }

    /// Observes one response; returns None, or the alarm it raised as a dict (see the class).
    ///
    /// Parameters
    /// ----------
    /// touchpoint : str or None
    ///     The touchpoint (触点) the response is about (other values are taken as
    ///     ``str(value)``); None: none, the response only counts for the order.
    /// score : int, float or None
    ///     The recommend score (None or NaN: not answered, skipped).
    /// at : int, datetime, numpy.datetime64, pandas Timestamp or ISO 8601 text
    ///     When the response was given: whole seconds since 1970-01-01 UTC, or a time (naive
    ///     times are UTC, aware ones converted; fractions of a second are floored). Not earlier
    ///     than the previous response's.
    ///
    /// Errors name the response's position (responses observed before it) and change nothing:
    /// a score off the scale or not whole (``InvalidScoreError``), an earlier time than the
    /// previous response's (``InvalidArgumentError`` naming ``time``), a missing time
    /// (``InvalidDateError``); a score that is not a number raises ``TypeError``.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor(baselines={"web": {"nps": 30, "sd": 78.1}})
    /// >>> m.observe("web", 9, "2025-03-01T09:00:00") is None
    /// True
    /// >>> m.observe("web", 11, "2025-03-01T09:01:00")
    /// Traceback (most recent call last):
    /// ...
    /// nps.InvalidScoreError: score at index 1 is 11; scores are whole numbers in 0..=10
    /// >>> m.observe("web", 3, "2025-03-01T08:00:00")
    /// Traceback (most recent call last):
    /// ...
    /// nps.InvalidArgumentError: time is 1740816000 at index 1, earlier than the time before it ...
    fn observe<'py>(
        &mut self,
        py: Python<'py>,
        touchpoint: &Bound<'py, PyAny>,
        score: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let index = self.0.position();
        let score = score_of(score)?;
        let time = time_of(py, at, index)?;
        let alarm = if is_missing(touchpoint) {
            self.0.observe_code(NA, score, time)
        } else {
            let touchpoint = touchpoint.str()?.to_cow()?.into_owned();
            self.0.observe(&touchpoint, score, time)
        }
        .or_raise()?;
        alarm.map(|a| alarm_dict(py, &a)).transpose()
    }

    /// The state of every touchpoint, in the order they were first named: a list of dicts with
    /// ``touchpoint``, ``baseline`` ("given", "warmup", or None while warming up), ``warmup_n``,
    /// the chart's ``promoters``, ``detractors``, ``baseline_nps``, ``baseline_sd`` (points),
    /// ``shift_sd`` (δ), ``k``, ``h`` and ``detection_arl`` (Siegmund's expected responses to
    /// detect the design drop; NaN while warming up), and ``cusum`` (C now), ``run`` (answered
    /// responses since C was last 0), ``responses``, ``missing``, ``monitored``, ``alarms``.
    /// ``pandas.DataFrame(m.states())`` tabulates them.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor(warmup=2)
    /// >>> for i, s in enumerate([10, 9, 3]):
    /// ...     _ = m.observe("branch", s, i)
    /// >>> s = m.states()[0]
    /// >>> s["touchpoint"], s["baseline"], s["warmup_n"], s["monitored"]
    /// ('branch', 'warmup', 2, 1)
    /// >>> round(s["baseline_nps"], 1)  # (2 + 0.75)/5 promoters, 0.75/5 detractors
    /// 40.0
    fn states<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        state_list(py, &self.0.states())
    }

    /// The state of ``touchpoint`` as a dict (as ``states`` gives it), or None when it was never
    /// named.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor()
    /// >>> m.state("app") is None
    /// True
    /// >>> _ = m.observe("app", 10, 0)
    /// >>> m.state("app")["responses"], m.state("app")["baseline"]
    /// (1, None)
    fn state<'py>(
        &self,
        py: Python<'py>,
        touchpoint: &str,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.0
            .state(touchpoint)
            .map(|s| state_dict(py, &s))
            .transpose()
    }

    /// Sets ``touchpoint``'s baseline (a dict of shares ``{"promoters": p, "detractors": d}`` or
    /// points ``{"nps": NPS, "sd": s}``), registering it when new, and restarts its chart
    /// (C = 0): e.g. once a crisis (危机处理) is over and the new level is accepted. Impossible
    /// shares raise ``InvalidArgumentError`` naming ``baseline``; nothing changes then.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor()
    /// >>> m.set_baseline("app", {"promoters": 0.4, "detractors": 0.3})
    /// >>> m.state("app")["baseline"], round(m.state("app")["baseline_nps"], 6)
    /// ('given', 10.0)
    fn set_baseline(&mut self, touchpoint: &str, baseline: &Bound<'_, PyAny>) -> PyResult<()> {
        let baseline = baseline_of(baseline, None)?;
        self.0.set_baseline(touchpoint, &baseline).or_raise()
    }

    /// Forgets ``touchpoint``'s baseline and starts a new warm-up on its next ``warmup`` answered
    /// responses (C = 0); nothing for a touchpoint never named.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor(baselines={"app": {"promoters": 0.5, "detractors": 0.2}})
    /// >>> _ = m.observe("app", 9, 0)
    /// >>> m.rebaseline("app")
    /// >>> m.state("app")["baseline"] is None
    /// True
    fn rebaseline(&mut self, touchpoint: &str) {
        self.0.rebaseline(touchpoint);
    }

    /// Responses observed so far (with unanswered ones and those without a touchpoint): the
    /// position the next response gets.
    #[getter]
    fn position(&self) -> u64 {
        self.0.position()
    }

    /// The in-control average run length ARL₀ asked for, in answered responses of a touchpoint.
    #[getter]
    fn arl0(&self) -> f64 {
        self.0.options().arl0
    }

    /// The nominal false-alarm rate per answered response of a touchpoint, 1/ARL₀.
    #[getter]
    fn false_alarm_rate(&self) -> f64 {
        self.0.options().false_alarm_rate()
    }

    /// The monitor's whole state as JSON text (options, every touchpoint's chart, C and counts,
    /// the position and the last time): ``Monitor.from_json`` resumes the stream exactly.
    ///
    /// >>> import nps
    /// >>> m = nps.Monitor(warmup=5)
    /// >>> _ = m.observe("app", 10, 0)
    /// >>> nps.Monitor.from_json(m.to_json()) == m
    /// True
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(errors::bad_state)
    }

    /// A monitor from ``to_json`` text, checked (valid options, each touchpoint once, consistent
    /// counts and charts); ``InvalidArgumentError`` otherwise.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(Monitor)
            .map_err(errors::bad_state)
    }

    fn __repr__(&self) -> String {
        let states = self.0.states();
        let alarms: u64 = states.iter().map(|s| s.alarms).sum();
        format!(
            "Monitor(touchpoints={}, position={}, alarms={}, arl0={:?})",
            states.len(),
            self.0.position(),
            alarms,
            self.0.options().arl0
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.borrow().to_json()?)
    }
}

// --- Column function ----------------------------------------------------------------------------

/// The alarms and final states of a batch of responses by column (what ``nps.monitor``
/// computes): a fresh monitor observing every row in order.
///
/// ``touchpoint``: (categories, uint32 codes), missing = 2³² − 1; ``score``: a numeric array
/// (NaN = not answered); ``at``: int64 seconds since 1970-01-01 UTC, non-decreasing; the
/// options as ``nps.Monitor`` takes them; ``names``: argument → DataFrame column name, for
/// errors. Returns a dict: ``columns`` (one per alarm: ``touchpoint``, ``at`` and ``change_at``
/// in seconds, ``n``, ``nps``, ``low``, ``high``, ``baseline_nps``, ``drop``, ``drop_low``,
/// ``drop_high``, ``cusum``, ``h``, ``row``, ``change_row``, ``promoters``, ``passives``,
/// ``detractors``, ``k``) and ``attrs`` (``false_alarm_rate``, ``arl0``, ``shift``,
/// ``shift_sd``, ``warmup``, ``guarantee``, ``level``, ``rows``, ``unassigned`` and
/// ``touchpoints``, the states as a dict of lists). Use ``nps.monitor``.
///
/// >>> import numpy as np
/// >>> from nps import _nps
/// >>> out = _nps.monitor_columns((["web"], np.zeros(3, np.uint32)), np.array([9.0, 3.0, 10.0]),
/// ...                            np.array([0, 60, 120]), warmup=2)
/// >>> out["attrs"]["touchpoints"]["monitored"], out["attrs"]["false_alarm_rate"]
/// ([1], 0.0001)
#[pyfunction]
#[pyo3(signature = (
    touchpoint, score, at, *, arl0=10000.0, shift=Some(10.0), shift_sd=None, warmup=1000,
    level=0.95, baseline=None, baselines=None, guarantee=None, names=None,
))]
#[pyo3(
    text_signature = "(touchpoint, score, at, *, arl0=10000.0, shift=10.0, shift_sd=None, \
                         warmup=1000, level=0.95, baseline=None, baselines=None, \
                         guarantee=None, names=None)"
)]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn monitor_columns<'py>(
    py: Python<'py>,
    touchpoint: &Bound<'py, PyAny>,
    score: &Bound<'py, PyAny>,
    at: &Bound<'py, PyAny>,
    arl0: f64,
    shift: Option<f64>,
    shift_sd: Option<f64>,
    warmup: i64,
    level: f64,
    baseline: Option<&Bound<'py, PyAny>>,
    baselines: Option<&Bound<'py, PyAny>>,
    guarantee: Option<f64>,
    names: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let names = names.cloned().unwrap_or_else(|| PyDict::new(py));
    let options = options(
        arl0, shift, shift_sd, warmup, level, baseline, baselines, guarantee,
    )?;
    let (levels, codes): (Vec<String>, Bound<'_, PyAny>) = touchpoint.extract()?;
    let codes = codes.cast::<PyArray1<u32>>()?.try_readonly()?;
    let touchpoints =
        Dimension::new("touchpoint", levels, codes.as_slice()?.to_vec()).or_raise()?;
    let at = at.cast::<PyArray1<i64>>()?.try_readonly()?;
    let times = at.as_slice()?;
    macro_rules! by_dtype {
        ($($t:ty),*) => {$(
            if let Ok(array) = score.cast::<PyArray1<$t>>() {
                let array = array.try_readonly()?;
                let scores = array.as_slice()?;
                return run(py, &touchpoints, scores, times, &options, &names);
            }
        )*};
    }
    by_dtype!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);
    Err(PyTypeError::new_err(format!(
        "score must be a 1-D contiguous array of an integer or float dtype, got {}",
        score.repr()?
    )))
}

/// The monitoring of the columns, as `{"columns": …, "attrs": …}`.
fn run<'py, S: ScoreValue>(
    py: Python<'py>,
    touchpoints: &Dimension,
    scores: &[S],
    times: &[i64],
    options: &MonitorOptions,
    names: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let result = py
        .detach(|| nps_core::monitor(touchpoints, scores, times, options))
        .map_err(|e| {
            let key = match &e {
                Error::InvalidScore { .. } => "score",
                Error::InvalidArgument { field: "times", .. } => "at",
                _ => "",
            };
            in_column(py, names, key, errors::raise(e))
        })?;
    let alarms = &result.alarms;
    let c = Columns::new(py);
    let numbers = |f: fn(&Alarm) -> f64| alarms.iter().map(f).collect::<Vec<_>>();
    let counts = |f: fn(&Alarm) -> u64| alarms.iter().map(|a| count(f(a))).collect::<Vec<_>>();
    c.text(
        "touchpoint",
        alarms.iter().map(|a| Some(a.touchpoint.clone())).collect(),
    )?;
    c.array("at", alarms.iter().map(|a| a.time).collect::<Vec<_>>())?;
    c.array(
        "change_at",
        alarms.iter().map(|a| a.change_time).collect::<Vec<_>>(),
    )?;
    c.array("n", counts(|a| a.n))?;
    c.array("nps", numbers(|a| a.nps))?;
    c.array("low", numbers(|a| a.low))?;
    c.array("high", numbers(|a| a.high))?;
    c.array("baseline_nps", numbers(|a| a.baseline_nps))?;
    c.array("drop", numbers(|a| a.drop))?;
    c.array("drop_low", numbers(|a| a.drop_low))?;
    c.array("drop_high", numbers(|a| a.drop_high))?;
    c.array("cusum", numbers(|a| a.cusum))?;
    c.array("h", numbers(|a| a.h))?;
    c.array("row", counts(|a| a.index))?;
    c.array("change_row", counts(|a| a.change_index))?;
    c.array("promoters", counts(|a| a.promoters))?;
    c.array("passives", counts(|a| a.passives))?;
    c.array("detractors", counts(|a| a.detractors))?;
    c.array("k", numbers(|a| a.k))?;

    let attrs = PyDict::new(py);
    attrs.set_item("false_alarm_rate", result.false_alarm_rate)?;
    attrs.set_item("arl0", result.arl0)?;
    let (shift, shift_sd) = match options.shift {
        Shift::Points(p) => (Some(p), None),
        Shift::Sd(s) => (None, Some(s)),
    };
    attrs.set_item("shift", shift)?;
    attrs.set_item("shift_sd", shift_sd)?;
    attrs.set_item("warmup", options.warmup)?;
    attrs.set_item("guarantee", options.guarantee)?;
    attrs.set_item("level", options.level)?;
    attrs.set_item("rows", result.rows)?;
    attrs.set_item("unassigned", result.unassigned)?;
    // The states as a dict of lists (a DataFrame in attrs would break pandas' concat and
    // printing, which compare attrs).
    let states = state_list(py, &result.touchpoints)?;
    let table = PyDict::new(py);
    for key in STATE_KEYS {
        let column = PyList::empty(py);
        for s in states.iter() {
            column.append(s.cast::<PyDict>()?.get_item(key)?)?;
        }
        table.set_item(key, column)?;
    }
    attrs.set_item("touchpoints", table)?;
    c.with_attrs(attrs)
}
