//! Drop detection for transactional NPS (场景NPS) per touchpoint (触点), for crisis handling
//! (危机处理): the core's lower CUSUM monitor, in batch (`nps_monitor_columns`, a result handle)
//! and as a stream (`nps_monitor`, one response at a time, resumable through JSON).
//!
//! Each answered response is coded x = −1 (detractor), 0 (passive), +1 (promoter); with a
//! touchpoint's baseline μ₀, σ₀ (given, or estimated from its first `warmup` answered
//! responses), z = (x − μ₀)/σ₀ and C_t = max(0, C_{t−1} − z_t − k), k half the drop to detect
//! (in σ₀); an alarm is raised when C > h, h solved from the stated in-control average run
//! length ARL₀ with Siegmund's approximation (nominal false-alarm rate 1/ARL₀ per answered
//! response of a touchpoint). Everything is computed by `nps_core::monitor`; this module converts.

use std::collections::BTreeMap;
use std::ffi::{CString, c_char};

use nps_core::{
    Alarm, Baseline, BaselineSource, Dimension, Error, Monitor, MonitorOptions, Monitoring, NA,
    Scale, Shift, TouchpointState,
};

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{
    Out, at, free, give, opt_str, opt_str_array, try_mut, try_ref, try_slice, try_str,
};
use crate::result;
use crate::status::nps_status;
use crate::tally::nps_scale;
use crate::text::{c_text, c_texts};

/// What the drop monitor watches for and how sure it must be. Fill it with
/// `nps_monitor_options_default`, then change what you need.
///
/// Exactly one of `shift_points` and `shift_sd` is a number, the other NaN (the default is a
/// 10-point drop, `shift_sd` NaN).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_monitor_options {
    /// In-control average run length ARL₀, in answered responses of one touchpoint: the nominal
    /// false-alarm rate is 1/ARL₀ per response (default 10000; must be finite and above 1).
    pub arl0: f64,
    /// The drop to detect fastest, in NPS points (0..=200; default 10); NaN when `shift_sd` is
    /// given. The chart's reference value k is half of it, in standard deviations σ₀.
    pub shift_points: f64,
    /// The drop to detect fastest in standard deviations σ₀ of one response's −1/0/+1 score
    /// (≥ 0); NaN (the default) when `shift_points` is given.
    pub shift_sd: f64,
    /// Answered responses that estimate a touchpoint's baseline when none is given (default
    /// 1000; at least 1). They are not monitored.
    pub warmup: u64,
    /// Confidence level of the intervals in the alarms, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// The recommend scale (default {0, 10, 6, 9}).
    pub scale: nps_scale,
    /// The baseline of every touchpoint without its own in `baselines`, as JSON text:
    /// `{"kind": "shares", "promoters": 0.5, "detractors": 0.2}` or `{"kind": "nps", "nps": 30,
    /// "sd": 78.1}` (NPS and the standard deviation of one response's score, in points). NULL
    /// (the default): such touchpoints warm up. Read during the call only.
    pub baseline: *const c_char,
    /// Baselines of named touchpoints, as a JSON object touchpoint → baseline (each as in
    /// `baseline`): `{"claim.app_upload": {"kind": "shares", "promoters": 0.45, "detractors":
    /// 0.25}}`. NULL (the default): none. Read during the call only.
    pub baselines: *const c_char,
    /// For baselines estimated from a warm-up: the probability (0 < g < 1, e.g. 0.9) that a
    /// touchpoint's in-control ARL reaches `arl0` despite the estimation error; its threshold
    /// h is raised for it by the bootstrap of Gandy & Kvaløy (2013), 1000 resamples of the
    /// warm-up. NaN (the default): the nominal threshold, whose realised false-alarm rate varies
    /// with the estimate (1.7 times the stated rate on average with a 1000-response warm-up at
    /// ARL₀ 10000).
    pub guarantee: f64,
}

impl Default for nps_monitor_options {
    fn default() -> Self {
        let core = MonitorOptions::default();
        let scale = core.scale;
        nps_monitor_options {
            arl0: core.arl0,
            shift_points: match core.shift {
                Shift::Points(v) => v,
                Shift::Sd(_) => f64::NAN,
            },
            shift_sd: match core.shift {
                Shift::Sd(v) => v,
                Shift::Points(_) => f64::NAN,
            },
            warmup: core.warmup,
            level: core.level,
            scale: nps_scale {
                min: scale.min(),
                max: scale.max(),
                detractor_max: scale.detractor_max(),
                promoter_min: scale.promoter_min(),
            },
            baseline: std::ptr::null(),
            baselines: std::ptr::null(),
            guarantee: core.guarantee.unwrap_or(f64::NAN),
        }
    }
}

impl nps_monitor_options {
    /// The core options of `p` (NULL = defaults), unchecked beyond the conversion: the core
    /// validates them when the monitor is made.
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_monitor_options` whose `baseline` and
    /// `baselines` are NULL or NUL-terminated strings.
    unsafe fn to_core(p: *const nps_monitor_options) -> Result<MonitorOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        let shift = match (o.shift_points.is_nan(), o.shift_sd.is_nan()) {
            (false, true) => Shift::Points(o.shift_points),
            (true, false) => Shift::Sd(o.shift_sd),
            (points, _) => {
                return Err(Error::InvalidArgument {
                    field: "shift",
                    value: format!(
                        "shift_points {} and shift_sd {}",
                        o.shift_points, o.shift_sd
                    ),
                    expected: if points {
                        "a drop to detect: shift_points (NPS points) or shift_sd (standard \
                         deviations), the other NaN"
                    } else {
                        "one drop to detect: shift_points (NPS points) or shift_sd (standard \
                         deviations), not both (set the other to NaN)"
                    },
                }
                .into());
            }
        };
        let s = o.scale;
        let scale = Scale::new(s.min, s.max, s.detractor_max, s.promoter_min)?;
        // SAFETY: as the caller guarantees.
        let (baseline, baselines) = unsafe {
            (
                opt_str(o.baseline, "baseline")?,
                opt_str(o.baselines, "baselines")?,
            )
        };
        let baseline = baseline
            .map(|text| {
                serde_json::from_str::<Baseline>(text).map_err(Failure::invalid_json(
                    "a baseline (see nps_monitor_options)",
                ))
            })
            .transpose()?;
        let baselines = match baselines {
            None => BTreeMap::new(),
            Some(text) => serde_json::from_str(text).map_err(Failure::invalid_json(
                "an object of baselines by touchpoint (see nps_monitor_options)",
            ))?,
        };
        Ok(MonitorOptions {
            arl0: o.arl0,
            shift,
            warmup: o.warmup,
            level: o.level,
            scale,
            baseline,
            baselines,
            guarantee: (!o.guarantee.is_nan()).then_some(o.guarantee),
        })
    }
}

/// Fills `*out` with the default monitor options: ARL₀ 10000 (one false alarm per 10000 answered
/// responses of a touchpoint, nominal), a 10-point drop, a warm-up of 1000 answered responses, 95 %
/// intervals, the standard scale, no baselines given, the nominal threshold (`guarantee` NaN).
///
/// # Safety
/// `out` must point to a writable `nps_monitor_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_options_default(out: *mut nps_monitor_options) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// An alarm: a detected drop at one touchpoint. NPS and bounds in points.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_alarm {
    /// The touchpoint (触点), lent by the handle that reported the alarm (the monitoring result,
    /// or the monitor) until it is freed.
    pub touchpoint: *const c_char,
    /// The touchpoint's code: its position among the touchpoints of a monitoring result (the
    /// distinct touchpoints of the rows, sorted by their UTF-8 bytes), or in a monitor (the
    /// order they were first named).
    pub code: u32,
    /// Position of the alarming response in the stream (the row in `nps_monitor_columns`;
    /// responses observed before it in `nps_monitor_observe`).
    pub index: u64,
    /// Its time (seconds since 1970-01-01 UTC).
    pub time: i64,
    /// Estimated change point: position of the first response after the last time C was 0
    /// (Montgomery §9.1.2).
    pub change_index: u64,
    /// Time of that response.
    pub change_time: i64,
    /// Answered responses of the touchpoint since the change point, the alarming one included.
    pub n: u64,
    /// Promoters among them.
    pub promoters: u64,
    /// Passives among them.
    pub passives: u64,
    /// Detractors among them.
    pub detractors: u64,
    /// NPS of those responses (biased low: the run was selected for being low).
    pub nps: f64,
    /// Lower bound of its adjusted-Wald interval at `level`.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// The touchpoint's baseline NPS.
    pub baseline_nps: f64,
    /// `nps − baseline_nps`.
    pub drop: f64,
    /// Lower bound of the change (the interval minus a given baseline, or the two-sample
    /// adjusted-Wald interval against the warm-up responses).
    pub drop_low: f64,
    /// Upper bound of the change.
    pub drop_high: f64,
    /// C at the alarm (> h).
    pub cusum: f64,
    /// The reference value k of the touchpoint's chart (in standard deviations).
    pub k: f64,
    /// The decision interval h: the alarm is raised when C > h.
    pub h: f64,
    /// The confidence level of the intervals.
    pub level: f64,
}

impl nps_alarm {
    /// The C view of a core alarm, with the touchpoint name `touchpoint` lent by a handle.
    fn new(a: &Alarm, touchpoint: &CString) -> Self {
        nps_alarm {
            touchpoint: touchpoint.as_ptr(),
            code: a.code,
            index: a.index,
            time: a.time,
            change_index: a.change_index,
            change_time: a.change_time,
            n: a.n,
            promoters: a.promoters,
            passives: a.passives,
            detractors: a.detractors,
            nps: a.nps,
            low: a.low,
            high: a.high,
            baseline_nps: a.baseline_nps,
            drop: a.drop,
            drop_low: a.drop_low,
            drop_high: a.drop_high,
            cusum: a.cusum,
            k: a.k,
            h: a.h,
            level: a.level,
        }
    }
}

/// One touchpoint's state: its chart (once the baseline is known) and counts.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_touchpoint_state {
    /// The touchpoint (触点), lent by the handle it was read from until it is freed.
    pub touchpoint: *const c_char,
    /// Its code.
    pub code: u32,
    /// Whether the baseline is known (given, or the warm-up is over); when false, the chart's
    /// fields below are NaN and the touchpoint is warming up.
    pub has_chart: bool,
    /// Whether the baseline was estimated from the warm-up (false: given).
    pub from_warmup: bool,
    /// Answered responses of the warm-up so far (the warm-up's length once done; 0 when the
    /// baseline was given).
    pub warmup_n: u64,
    /// Baseline promoter share p.
    pub promoters: f64,
    /// Baseline detractor share d.
    pub detractors: f64,
    /// Baseline NPS in points, 100(p − d).
    pub baseline_nps: f64,
    /// Standard deviation of one response's score in points, 100σ₀.
    pub baseline_sd: f64,
    /// The drop the chart is tuned for, in standard deviations δ (after the cap at the largest
    /// possible drop).
    pub shift_sd: f64,
    /// Reference value k = δ/2.
    pub k: f64,
    /// Decision interval h.
    pub h: f64,
    /// Siegmund's approximate average run length at the design drop: the expected answered
    /// responses to detect it.
    pub detection_arl: f64,
    /// The current CUSUM C (0 while warming up).
    pub cusum: f64,
    /// Answered responses since C was last 0.
    pub run: u64,
    /// Answered responses seen.
    pub responses: u64,
    /// Missing answers seen (skipped).
    pub missing: u64,
    /// Answered responses monitored (after the warm-up).
    pub monitored: u64,
    /// Alarms raised.
    pub alarms: u64,
}

impl nps_touchpoint_state {
    /// The C view of a core state, with the touchpoint name `touchpoint` lent by a handle.
    fn new(s: &TouchpointState, touchpoint: &CString) -> Self {
        let chart = |f: fn(&nps_core::CusumChart) -> f64| s.chart.as_ref().map_or(f64::NAN, f);
        nps_touchpoint_state {
            touchpoint: touchpoint.as_ptr(),
            code: s.code,
            has_chart: s.chart.is_some(),
            from_warmup: s
                .chart
                .as_ref()
                .is_some_and(|c| c.source == BaselineSource::Warmup),
            warmup_n: s.warmup_n,
            promoters: chart(|c| c.promoters),
            detractors: chart(|c| c.detractors),
            baseline_nps: chart(|c| c.nps),
            baseline_sd: chart(|c| c.sd),
            shift_sd: chart(|c| c.shift_sd),
            k: chart(|c| c.k),
            h: chart(|c| c.h),
            detection_arl: chart(|c| c.detection_arl),
            cusum: s.cusum,
            run: s.run,
            responses: s.responses,
            missing: s.missing,
            monitored: s.monitored,
            alarms: s.alarms,
        }
    }
}

// --- Batch --------------------------------------------------------------------------------------

/// An opaque monitoring result: every alarm of a batch of responses, in the order raised, and
/// each touchpoint's final state. Made by `nps_monitor_columns`, read with the
/// `nps_monitoring_*` accessors, freed with `nps_monitoring_free`. Strings it lends stay valid
/// until it is freed.
pub struct nps_monitoring {
    monitoring: Monitoring,
    /// The touchpoints' names by code.
    names: Vec<CString>,
}

/// Runs the drop monitor over a batch of responses by column: a fresh monitor observing every
/// row in order, exactly what `nps_monitor_observe` called row by row gives. `n` rows:
/// `touchpoints[i]` the touchpoint (触点) of row i (NULL: none, the row is skipped);
/// `scores[i]` its recommend score (NaN: not answered, skipped); `times[i]` its time in seconds
/// since 1970-01-01 UTC, never earlier than the row before. `options` NULL = defaults.
///
/// Errors (nothing is written): `NPS_ERR_INVALID_ARGUMENT` for options out of their domain (the
/// message names `arl0` ≤ 1, `shift` negative or both/neither of shift_points and shift_sd,
/// `warmup` 0, a `baseline` with impossible shares and its touchpoint) or for a time earlier
/// than the row before (naming `times` and the row); `NPS_ERR_INVALID_SCORE` for a score off the
/// scale or not whole (naming the row); `NPS_ERR_INVALID_LEVEL`; `NPS_ERR_INVALID_SCALE`;
/// `NPS_ERR_INVALID_JSON` for baselines that are not JSON baselines; `NPS_ERR_INVALID_UTF8` for
/// a touchpoint or baseline text that is not UTF-8; `NPS_ERR_NULL_POINTER` for a NULL array
/// with `n` > 0 or a NULL `out`. The caller owns `*out` (`nps_monitoring_free`).
///
/// # Safety
/// `touchpoints` must point to `n` pointers, each NULL or a NUL-terminated string; `scores` and
/// `times` to `n` readable values (any may be NULL when `n` is 0); `options` NULL or a readable
/// `nps_monitor_options`; `out` must point to a writable `nps_monitoring *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_columns(
    touchpoints: *const *const c_char,
    scores: *const f64,
    times: *const i64,
    n: usize,
    options: *const nps_monitor_options,
    out: *mut *mut nps_monitoring,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, names, scores, times, options) = unsafe {
            (
                Out::new(out, "out")?,
                opt_str_array(touchpoints, n, "touchpoints")?,
                try_slice(scores, n, "scores")?,
                try_slice(times, n, "times")?,
                nps_monitor_options::to_core(options)?,
            )
        };
        let touchpoints = Dimension::from_values("touchpoint", &names);
        let monitoring = nps_core::monitor(&touchpoints, scores, times, &options)?;
        let names = c_texts(
            monitoring.touchpoints.iter().map(|s| s.touchpoint.as_str()),
            "a touchpoint",
        )?;
        give(out, nps_monitoring { monitoring, names });
        Ok(())
    })
}

/// Frees a monitoring result. NULL is allowed and does nothing.
///
/// # Safety
/// `monitoring` must be NULL or a result from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_free(monitoring: *mut nps_monitoring) {
    // SAFETY: as the caller guarantees.
    unsafe { free(monitoring) }
}

/// Stores in `*out` the number of alarms.
///
/// # Safety
/// `monitoring` must be a live result; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_len(
    monitoring: *const nps_monitoring,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(monitoring, "monitoring", out, |m| {
            Ok(m.monitoring.alarms.len())
        })
    }
}

/// Stores in `*out` alarm `i` (0..len, in the order raised); its touchpoint is lent until the
/// result is freed. `i` out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `monitoring` must be a live result; `out` must point to a writable `nps_alarm`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_alarm(
    monitoring: *const nps_monitoring,
    i: usize,
    out: *mut nps_alarm,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(monitoring, "monitoring", out, |m| {
            let a = at(&m.monitoring.alarms, i, "i", "alarms")?;
            Ok(nps_alarm::new(a, &m.names[a.code as usize]))
        })
    }
}

/// Stores in `*out` the number of touchpoints (the distinct touchpoints of the rows; their
/// codes 0..n follow the sorted order of their UTF-8 bytes).
///
/// # Safety
/// `monitoring` must be a live result; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_n_touchpoints(
    monitoring: *const nps_monitoring,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(monitoring, "monitoring", out, |m| {
            Ok(m.monitoring.touchpoints.len())
        })
    }
}

/// Stores in `*out` the final state of touchpoint `code` (0..n_touchpoints); its name is lent
/// until the result is freed. `code` out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `monitoring` must be a live result; `out` must point to a writable `nps_touchpoint_state`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_touchpoint(
    monitoring: *const nps_monitoring,
    code: usize,
    out: *mut nps_touchpoint_state,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(monitoring, "monitoring", out, |m| {
            let s = at(&m.monitoring.touchpoints, code, "code", "touchpoints")?;
            Ok(nps_touchpoint_state::new(s, &m.names[code]))
        })
    }
}

/// Stores in `*out` the nominal false-alarm rate per answered response of a touchpoint,
/// 1/ARL₀ (the realised rate differs somewhat: the scores are discrete, and an estimated
/// baseline raises it; see the core's documentation).
///
/// # Safety
/// `monitoring` must be a live result; `out` must point to a writable `double`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_false_alarm_rate(
    monitoring: *const nps_monitoring,
    out: *mut f64,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(monitoring, "monitoring", out, |m| {
            Ok(m.monitoring.false_alarm_rate)
        })
    }
}

/// Stores in `*json_out` the whole result as JSON text (`{"alarms": [...], "touchpoints":
/// [...], "arl0", "false_alarm_rate", "rows", "unassigned", "options"}`), a new string the
/// caller frees with `nps_string_free`.
///
/// # Safety
/// `monitoring` must be a live result; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitoring_to_json(
    monitoring: *const nps_monitoring,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(monitoring, "monitoring", json_out, |m| {
            serde_json::to_string(&m.monitoring)
        })
    }
}

// --- Stream -------------------------------------------------------------------------------------

/// An opaque streaming drop monitor: one CUSUM chart per touchpoint, fed one response at a time
/// in time order, in memory independent of the number of responses (about 300 bytes per
/// touchpoint). Made by `nps_monitor_new` or `nps_monitor_from_json`, fed by
/// `nps_monitor_observe`, saved by `nps_monitor_to_json`, freed with `nps_monitor_free`; not to
/// be used by two threads at once. Strings it lends stay valid until it is freed.
pub struct nps_monitor {
    monitor: Monitor,
    /// The touchpoints' names by code (codes are given in the order touchpoints are first
    /// named and never change).
    names: Vec<CString>,
}

impl nps_monitor {
    fn new(monitor: Monitor) -> Result<Self, Failure> {
        let names = c_texts(
            monitor.states().iter().map(|s| s.touchpoint.as_str()),
            "a touchpoint",
        )?;
        Ok(nps_monitor { monitor, names })
    }

    /// The lent name of `touchpoint` after a call that may have registered it (each call
    /// registers at most one touchpoint, which then gets the next code).
    fn name(&mut self, touchpoint: &str) -> Result<&CString, Failure> {
        let code = self.monitor.code(touchpoint) as usize;
        if code == self.names.len() {
            self.names.push(c_text(touchpoint, "touchpoint")?);
        }
        Ok(&self.names[code])
    }
}

/// Creates an empty monitor with `options` (NULL = defaults; the baselines are copied).
///
/// Errors: as the options' errors of `nps_monitor_columns`. The caller owns `*out`
/// (`nps_monitor_free`).
///
/// # Safety
/// `options` must be NULL or a readable `nps_monitor_options`; `out` must point to a writable
/// `nps_monitor *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_new(
    options: *const nps_monitor_options,
    out: *mut *mut nps_monitor,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_monitor_options::to_core(options)?,
            )
        };
        give(out, nps_monitor::new(Monitor::new(options)?)?);
        Ok(())
    })
}

/// Observes one response: `touchpoint` (NULL: none, counted and skipped), `score` (NaN: not
/// answered, skipped, though its time still counts for the order), `time` in seconds since
/// 1970-01-01 UTC, not earlier than the previous response's. `*alarmed` says whether the
/// response raised an alarm; when it did and `out` is not NULL, `*out` receives it (its
/// touchpoint lent by the monitor until it is freed). After an alarm the touchpoint's chart
/// restarts (C = 0, same baseline): a drop that lasts alarms again.
///
/// Errors (nothing changes, nothing is written): `NPS_ERR_INVALID_SCORE` for a score off the
/// scale or not whole; `NPS_ERR_INVALID_ARGUMENT` for a time earlier than the previous
/// response's (the message names `time`, the response's position and both times);
/// `NPS_ERR_INVALID_UTF8` for a touchpoint that is not UTF-8; `NPS_ERR_NULL_POINTER` for a NULL
/// `monitor` or `alarmed`. The position in messages is the number of responses observed before.
///
/// # Safety
/// `monitor` must be a live monitor not used elsewhere during the call; `touchpoint` NULL or a
/// NUL-terminated string; `alarmed` must point to a writable `bool`; `out` NULL or a writable
/// `nps_alarm`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_observe(
    monitor: *mut nps_monitor,
    touchpoint: *const c_char,
    score: f64,
    time: i64,
    alarmed: *mut bool,
    out: *mut nps_alarm,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (alarmed, out, m, touchpoint) = unsafe {
            (
                Out::new(alarmed, "alarmed")?,
                Out::optional(out),
                try_mut(monitor, "monitor")?,
                opt_str(touchpoint, "touchpoint")?,
            )
        };
        let Some(touchpoint) = touchpoint else {
            let alarm = m.monitor.observe_code(NA, score, time)?;
            debug_assert!(alarm.is_none());
            alarmed.write(false);
            return Ok(());
        };
        let alarm = m.monitor.observe(touchpoint, score, time)?;
        let name = m.name(touchpoint)?;
        if let (Some(a), Some(out)) = (&alarm, out) {
            out.write(nps_alarm::new(a, name));
        }
        alarmed.write(alarm.is_some());
        Ok(())
    })
}

/// Sets `touchpoint`'s baseline (JSON text as `nps_monitor_options.baseline`), registering the
/// touchpoint when new, and restarts its chart (C = 0): e.g. once a crisis (危机处理) is
/// resolved and the new level is known.
///
/// Errors (nothing changes): `NPS_ERR_INVALID_JSON` for text that is not a baseline,
/// `NPS_ERR_INVALID_ARGUMENT` for impossible shares (naming `baseline`), `NPS_ERR_INVALID_UTF8`,
/// `NPS_ERR_NULL_POINTER`.
///
/// # Safety
/// `monitor` must be a live monitor not used elsewhere during the call; `touchpoint` and
/// `baseline` NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_set_baseline(
    monitor: *mut nps_monitor,
    touchpoint: *const c_char,
    baseline: *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (m, touchpoint, baseline) = unsafe {
            (
                try_mut(monitor, "monitor")?,
                try_str(touchpoint, "touchpoint")?,
                try_str(baseline, "baseline")?,
            )
        };
        let baseline: Baseline = serde_json::from_str(baseline).map_err(Failure::invalid_json(
            "a baseline (see nps_monitor_options)",
        ))?;
        let name = c_text(touchpoint, "touchpoint")?;
        m.monitor.set_baseline(touchpoint, &baseline)?;
        if m.monitor.code(touchpoint) as usize == m.names.len() {
            m.names.push(name);
        }
        Ok(())
    })
}

/// Forgets `touchpoint`'s baseline and starts a new warm-up on its next responses (C = 0).
/// Does nothing for a touchpoint never named.
///
/// # Safety
/// `monitor` must be a live monitor not used elsewhere during the call; `touchpoint` a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_rebaseline(
    monitor: *mut nps_monitor,
    touchpoint: *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (m, touchpoint) = unsafe {
            (
                try_mut(monitor, "monitor")?,
                try_str(touchpoint, "touchpoint")?,
            )
        };
        m.monitor.rebaseline(touchpoint);
        Ok(())
    })
}

/// Stores in `*out` the state of `touchpoint` (its name lent by the monitor until it is freed)
/// and sets `*found`; when the touchpoint was never named, `*found` is false and `*out` is left
/// alone.
///
/// # Safety
/// `monitor` must be a live monitor; `touchpoint` a NUL-terminated string; `found` must point
/// to a writable `bool`; `out` to a writable `nps_touchpoint_state`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_state(
    monitor: *const nps_monitor,
    touchpoint: *const c_char,
    found: *mut bool,
    out: *mut nps_touchpoint_state,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (found, out, m, touchpoint) = unsafe {
            (
                Out::new(found, "found")?,
                Out::new(out, "out")?,
                try_ref(monitor, "monitor")?,
                try_str(touchpoint, "touchpoint")?,
            )
        };
        match m.monitor.state(touchpoint) {
            Some(s) => {
                out.write(nps_touchpoint_state::new(&s, &m.names[s.code as usize]));
                found.write(true);
            }
            None => found.write(false),
        }
        Ok(())
    })
}

/// Stores in `*out` the number of responses observed (rows, including missing answers and
/// responses without a touchpoint): the position the next response gets.
///
/// # Safety
/// `monitor` must be a live monitor; `out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_position(
    monitor: *const nps_monitor,
    out: *mut u64,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(monitor, "monitor", out, |m| Ok(m.monitor.position())) }
}

/// Stores in `*json_out` the monitor's whole state as JSON text (options, every touchpoint's
/// chart, C and counts, the position and last time), a new string the caller frees with
/// `nps_string_free`: save it, and after a restart `nps_monitor_from_json` resumes the stream
/// exactly where it was.
///
/// # Safety
/// `monitor` must be a live monitor; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_to_json(
    monitor: *const nps_monitor,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(monitor, "monitor", json_out, |m| {
            serde_json::to_string(&m.monitor)
        })
    }
}

/// Reads a monitor from the NUL-terminated UTF-8 JSON text written by `nps_monitor_to_json` and
/// stores it in `*out`, owned by the caller (`nps_monitor_free`). The state is checked (valid
/// options, each touchpoint once, consistent counts and charts). Text that is not UTF-8 gives
/// `NPS_ERR_INVALID_UTF8`; text that is not JSON, or not a valid monitor, `NPS_ERR_INVALID_JSON`
/// (the message says what and where).
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_monitor *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_from_json(
    json: *const c_char,
    out: *mut *mut nps_monitor,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let monitor: Monitor =
            serde_json::from_str(json).map_err(Failure::invalid_json("a valid monitor"))?;
        give(out, nps_monitor::new(monitor)?);
        Ok(())
    })
}

/// Frees a monitor (with the strings it lends). NULL is allowed and does nothing.
///
/// # Safety
/// `monitor` must be NULL or a monitor from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_monitor_free(monitor: *mut nps_monitor) {
    // SAFETY: as the caller guarantees.
    unsafe { free(monitor) }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::testing::last_error;

    #[test]
    fn the_default_options_are_the_cores() {
        // SAFETY: NULL is the defaults.
        let core = unsafe { nps_monitor_options::to_core(ptr::null()) }.unwrap();
        assert_eq!(core, MonitorOptions::default());
        let mut o = std::mem::MaybeUninit::uninit();
        // SAFETY: a writable options struct.
        assert_eq!(
            unsafe { nps_monitor_options_default(o.as_mut_ptr()) },
            nps_status::NPS_OK
        );
        // SAFETY: written on success; its pointers are NULL.
        let o = unsafe { o.assume_init() };
        // SAFETY: a readable options struct.
        assert_eq!(unsafe { nps_monitor_options::to_core(&o) }.unwrap(), core);
        assert!(o.shift_sd.is_nan() && o.baseline.is_null() && o.baselines.is_null());
    }

    #[test]
    fn batch_and_stream_lend_the_touchpoint_of_the_alarm() {
        let options = nps_monitor_options {
            warmup: 20,
            arl0: 50.0,
            ..Default::default()
        };
        let names = [c"web".as_ptr(), ptr::null(), c"app".as_ptr()];
        let mut touchpoints = Vec::new();
        let mut scores = Vec::new();
        for i in 0..300 {
            touchpoints.push(names[i % 3]);
            scores.push(if i < 150 {
                [10.0, 8.0, 3.0][i % 5 % 3]
            } else {
                0.0
            });
        }
        let times: Vec<i64> = (0..300).collect();
        let mut m = ptr::null_mut();
        // SAFETY: arrays of 300 rows, valid options and out-parameter.
        let status = unsafe {
            nps_monitor_columns(
                touchpoints.as_ptr(),
                scores.as_ptr(),
                times.as_ptr(),
                300,
                &options,
                &mut m,
            )
        };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        let mut stream = ptr::null_mut();
        // SAFETY: valid options and out-parameter.
        assert_eq!(
            unsafe { nps_monitor_new(&options, &mut stream) },
            nps_status::NPS_OK
        );
        let mut alarms = Vec::new();
        for i in 0..300 {
            let mut alarmed = false;
            let mut a = std::mem::MaybeUninit::uninit();
            // SAFETY: a live monitor, a string or NULL, writable out-parameters.
            let status = unsafe {
                nps_monitor_observe(
                    stream,
                    touchpoints[i],
                    scores[i],
                    times[i],
                    &mut alarmed,
                    a.as_mut_ptr(),
                )
            };
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            if alarmed {
                // SAFETY: written when alarmed.
                alarms.push(unsafe { a.assume_init() });
            }
        }
        let batch = crate::testing::row(nps_monitoring_alarm, m, 0);
        assert!(!alarms.is_empty());
        let first = alarms[0];
        // Codes differ (sorted in the batch, first named in the stream); the rest agrees.
        assert_eq!(
            nps_alarm {
                touchpoint: batch.touchpoint,
                code: batch.code,
                ..first
            },
            batch
        );
        // SAFETY: strings lent by live handles.
        let (a, b) = unsafe {
            (
                std::ffi::CStr::from_ptr(first.touchpoint),
                std::ffi::CStr::from_ptr(batch.touchpoint),
            )
        };
        assert_eq!(a, b);
        // SAFETY: live handles, freed once.
        unsafe {
            nps_monitoring_free(m);
            nps_monitor_free(stream);
        }
    }
}
