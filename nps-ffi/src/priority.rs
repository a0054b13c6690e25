//! Prioritization: each driver's importance against its performance (mean rating or top-box
//! share), with a reference and the gap's test, the four quadrants of the matrix, their
//! bootstrap probabilities and the ranked action list.

use std::ffi::{CString, c_char};

use nps_core::{
    Error, JourneyPriority, Performance, Priorities, PriorityOptions, Quadrant, Reference,
    Threshold, journey_priorities, priorities,
};

use crate::drivers::{nps_driver_importance, nps_driver_options};
use crate::failure::Failure;
use crate::journey::{CNode, nps_journey, nps_node_kind};
use crate::panic;
use crate::ptr::{Out, at, free, give, opt_str, str_array, try_ref, try_slice, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::{c_texts, lend};

/// The quadrant of the importance × performance matrix a driver falls in.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_quadrant {
    /// Important and performing below the cut: fix first (立即改善).
    NPS_QUADRANT_IMPROVE_NOW = 0,
    /// Important and performing well: keep raising (超越自我).
    NPS_QUADRANT_EXCEED = 1,
    /// Less important and performing well: maintain (维持现状).
    NPS_QUADRANT_MAINTAIN = 2,
    /// Less important and performing below the cut (低优先级).
    NPS_QUADRANT_LOW_PRIORITY = 3,
}

impl From<Quadrant> for nps_quadrant {
    fn from(q: Quadrant) -> Self {
        match q {
            Quadrant::ImproveNow => nps_quadrant::NPS_QUADRANT_IMPROVE_NOW,
            Quadrant::Exceed => nps_quadrant::NPS_QUADRANT_EXCEED,
            Quadrant::Maintain => nps_quadrant::NPS_QUADRANT_MAINTAIN,
            Quadrant::LowPriority => nps_quadrant::NPS_QUADRANT_LOW_PRIORITY,
        }
    }
}

/// Options of `nps_priorities`. Start from `nps_priority_options_default` and change what you
/// need. Strings and arrays are read during the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_priority_options {
    /// The importance analysis (method, outcome, missing ratings, rating scale…). With
    /// `replicates` > 0, importance and performance are bootstrapped jointly, which gives each
    /// driver its quadrant probabilities.
    pub importance: nps_driver_options,
    /// Analyse only the rows where this dimension has `focus_value` (e.g. "brand" = "Own");
    /// NULL = every row except those of a group reference (the default).
    pub focus_dimension: *const c_char,
    /// The value of the focus rows (required with `focus_dimension`).
    pub focus_value: *const c_char,
    /// Performance as the top-box share (the fraction of ratings >= `top_box_min`) instead of
    /// the mean rating (default false: the mean).
    pub top_box: bool,
    /// The lowest rating in the top box (used when `top_box`), e.g. 9 on 0-10, 5 on 1-5.
    pub top_box_min: f64,
    /// What performance is compared with: "none" (NULL, the default); "target" (`target`, the
    /// same for every driver: an industry standard); "targets" (per driver: `target_drivers`
    /// and `targets`; a driver not listed has no reference); "group" (the rows where
    /// `reference_dimension` = `reference_value`: a competitor, an earlier period).
    pub reference: *const c_char,
    /// The target of "target" (a mean rating, or a fraction with `top_box`).
    pub target: f64,
    /// "targets": the drivers named, `n_targets` of them.
    pub target_drivers: *const *const c_char,
    /// "targets": their targets, `n_targets` of them.
    pub targets: *const f64,
    /// "targets": how many.
    pub n_targets: usize,
    /// "group": the dimension of the reference rows.
    pub reference_dimension: *const c_char,
    /// "group": its value.
    pub reference_value: *const c_char,
    /// Cut of the importance axis, on the shares: "mean" (NULL, the default), "median" or
    /// "value" (`importance_cut`).
    pub importance_threshold: *const c_char,
    /// The cut of "value" for the importance axis (a share).
    pub importance_cut: f64,
    /// Cut of the performance axis: "mean" (NULL, the default), "median" or "value"
    /// (`performance_cut`).
    pub performance_threshold: *const c_char,
    /// The cut of "value" for the performance axis (a rating, or a fraction with `top_box`).
    pub performance_cut: f64,
    /// Confidence level of the performance intervals, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// False discovery rate of the gap tests over the drivers, in (0, 1] (default 0.05).
    pub rate: f64,
}

impl Default for nps_priority_options {
    fn default() -> Self {
        let core = PriorityOptions::default();
        nps_priority_options {
            importance: nps_driver_options::default(),
            focus_dimension: std::ptr::null(),
            focus_value: std::ptr::null(),
            top_box: false,
            top_box_min: f64::NAN,
            reference: std::ptr::null(),
            target: f64::NAN,
            target_drivers: std::ptr::null(),
            targets: std::ptr::null(),
            n_targets: 0,
            reference_dimension: std::ptr::null(),
            reference_value: std::ptr::null(),
            importance_threshold: std::ptr::null(),
            importance_cut: f64::NAN,
            performance_threshold: std::ptr::null(),
            performance_cut: f64::NAN,
            level: core.level,
            rate: core.rate,
        }
    }
}

/// The threshold called `name` ("mean", "median" or "value" with `cut`; NULL = "mean").
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
unsafe fn threshold(
    name: *const c_char,
    cut: f64,
    field: &'static str,
) -> Result<Threshold, Failure> {
    // SAFETY: as the caller guarantees.
    Ok(match unsafe { opt_str(name, field)? } {
        None | Some("mean") => Threshold::Mean,
        Some("median") => Threshold::Median,
        Some("value") => Threshold::Value(cut),
        Some(other) => {
            return Err(Error::UnknownMethod {
                kind: "threshold",
                name: other.to_owned(),
                expected: "mean, median, value",
            }
            .into());
        }
    })
}

/// A pair of strings given together (both NULL = `None`); one without the other names the
/// missing one.
///
/// # Safety
/// Both must be NULL or NUL-terminated strings.
unsafe fn pair(
    first: *const c_char,
    first_field: &'static str,
    second: *const c_char,
    second_field: &'static str,
) -> Result<Option<(String, String)>, Failure> {
    if first.is_null() && second.is_null() {
        return Ok(None);
    }
    // SAFETY: as the caller guarantees.
    let (a, b) = unsafe { (try_str(first, first_field)?, try_str(second, second_field)?) };
    Ok(Some((a.to_owned(), b.to_owned())))
}

impl nps_priority_options {
    /// The core options of `p` (NULL = defaults) for the drivers `names` (empty = all).
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_priority_options` whose strings are NULL or
    /// NUL-terminated and whose target arrays hold `n_targets` elements (or are NULL with 0).
    unsafe fn to_core(
        p: *const nps_priority_options,
        names: Vec<&str>,
    ) -> Result<PriorityOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        // SAFETY: as the caller guarantees (the whole block reads `o`'s pointers).
        unsafe {
            let reference = match opt_str(o.reference, "reference")? {
                None | Some("none") => None,
                Some("target") => Some(Reference::Target(o.target)),
                Some("targets") => {
                    let drivers = str_array(o.target_drivers, o.n_targets, "target_drivers")?;
                    let targets = try_slice(o.targets, o.n_targets, "targets")?;
                    Some(Reference::Targets(
                        (drivers.into_iter().map(str::to_owned))
                            .zip(targets.iter().copied())
                            .collect(),
                    ))
                }
                Some("group") => {
                    let (dimension, value) = pair(
                        o.reference_dimension,
                        "reference_dimension",
                        o.reference_value,
                        "reference_value",
                    )?
                    .ok_or(Failure::NullPointer("reference_dimension"))?;
                    Some(Reference::Group { dimension, value })
                }
                Some(other) => {
                    return Err(Error::UnknownMethod {
                        kind: "reference",
                        name: other.to_owned(),
                        expected: "none, target, targets, group",
                    }
                    .into());
                }
            };
            Ok(PriorityOptions {
                importance: nps_driver_options::to_core(&o.importance, names)?,
                focus: pair(
                    o.focus_dimension,
                    "focus_dimension",
                    o.focus_value,
                    "focus_value",
                )?,
                performance: if o.top_box {
                    Performance::TopBox { min: o.top_box_min }
                } else {
                    Performance::Mean
                },
                reference,
                importance_threshold: threshold(
                    o.importance_threshold,
                    o.importance_cut,
                    "importance_threshold",
                )?,
                performance_threshold: threshold(
                    o.performance_threshold,
                    o.performance_cut,
                    "performance_threshold",
                )?,
                level: o.level,
                rate: o.rate,
            })
        }
    }
}

/// Fills `*out` with the default priority options: the default driver options (exact Shapley
/// of the score), every row, mean ratings, no reference, both axes cut at the drivers' mean,
/// 95 %, false discovery rate 0.05.
///
/// # Safety
/// `out` must point to a writable `nps_priority_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priority_options_default(
    out: *mut nps_priority_options,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// One driver of the priority matrix.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_priority_row {
    /// The driver's name, lent until the result is freed.
    pub driver: *const c_char,
    /// The raw importance (as in `nps_driver_row`).
    pub importance: f64,
    /// The importance as a fraction of the total: the x axis of the matrix.
    pub share: f64,
    /// The mean rating, or the top-box share: the y axis.
    pub performance: f64,
    /// Lower bound of the performance interval (t for a mean, Wilson for a share).
    pub performance_low: f64,
    /// Upper bound of the performance interval.
    pub performance_high: f64,
    /// Whether the driver has a reference (`reference` and `gap` hold numbers).
    pub has_reference: bool,
    /// The reference's value; NaN without one.
    pub reference: f64,
    /// performance - reference (negative = below the reference); NaN without a reference.
    pub gap: f64,
    /// Two-sided p-value of the gap; NaN when there is no test (no reference, one rating).
    pub gap_p: f64,
    /// Benjamini-Hochberg q-value over the drivers' gaps; NaN without a test.
    pub gap_q: f64,
    /// Whether the q-value is below the rate (false without a test).
    pub gap_significant: bool,
    /// The quadrant: importance (share >= its cut) × performance (>= its cut).
    pub quadrant: nps_quadrant,
    /// Whether `probabilities` holds the bootstrap quadrant probabilities.
    pub has_probabilities: bool,
    /// Probability of each quadrant over the bootstrap replicates, indexed by `nps_quadrant`
    /// (improve now, exceed, maintain, low priority); they sum to 1. NaN without bootstrap.
    pub probabilities: [f64; 4],
    /// Rank in the action list (1 = first to fix): drivers below their reference (without a
    /// reference, below the performance cut) by share × |gap|, largest first; 0 = not listed.
    pub action_rank: u32,
}

/// An opaque priority matrix: one row per driver, the cuts of both axes and the importance
/// analysis behind it. Made by `nps_priorities`, read with the `nps_priorities_result_*`
/// accessors, freed with `nps_priorities_result_free`. Strings it lends stay valid until it is
/// freed.
pub struct nps_priorities_result {
    priorities: Priorities,
    drivers: Vec<CString>,
}

impl nps_priorities_result {
    fn new(priorities: Priorities) -> Result<Self, Failure> {
        Ok(nps_priorities_result {
            drivers: c_texts(
                priorities.rows.iter().map(|r| r.driver.as_str()),
                "a driver",
            )?,
            priorities,
        })
    }
}

/// The priority matrix of the drivers of `table` named in `drivers` (`n_drivers` names, in this
/// order; `n_drivers` 0 = every driver of the table): each driver's importance share against
/// its performance on the analysed rows (the focus rows, or every row but the reference
/// group's), against the reference with a Benjamini-Hochberg-adjusted test of each gap, the
/// quadrant of each, and the action list. `options` NULL = defaults.
///
/// Errors: those of `nps_drivers` on the analysed rows (`NPS_ERR_INVALID_DRIVER` naming the
/// driver, `NPS_ERR_EMPTY`, …); `NPS_ERR_UNKNOWN_NAME` for an unknown driver, dimension, focus
/// or reference value, or a target naming a driver not analysed; `NPS_ERR_UNKNOWN_METHOD` for an
/// unknown reference or threshold name; `NPS_ERR_NULL_POINTER` for a focus or group reference
/// missing its dimension or value; `NPS_ERR_INVALID_LEVEL`; `NPS_ERR_INVALID_ARGUMENT` for a
/// rate outside (0, 1] or a cut, top-box minimum or target that is not finite. The caller owns
/// `*out` (`nps_priorities_result_free`).
///
/// # Safety
/// `table` must be a live table; `drivers` must point to `n_drivers` pointers to
/// NUL-terminated strings (or be NULL with `n_drivers` 0); `options` NULL or a readable
/// `nps_priority_options`; `out` must point to a writable `nps_priorities_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities(
    table: *const nps_table,
    drivers: *const *const c_char,
    n_drivers: usize,
    options: *const nps_priority_options,
    out: *mut *mut nps_priorities_result,
) -> nps_status {
    // SAFETY: forwarded as documented (`options` too, read by `to_core`).
    unsafe {
        result::of_drivers(table, drivers, n_drivers, out, |table, names| {
            let options = nps_priority_options::to_core(options, names)?;
            nps_priorities_result::new(priorities(table, &options)?)
        })
    }
}

/// Frees a priority matrix. NULL is allowed and does nothing.
///
/// # Safety
/// `result` must be NULL or a result from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_free(result: *mut nps_priorities_result) {
    // SAFETY: as the caller guarantees.
    unsafe { free(result) }
}

/// Stores in `*out` the number of rows (drivers).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_len(
    result: *const nps_priorities_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.priorities.rows.len())) }
}

/// Row `row` into `*out`. A row out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `nps_priority_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_row(
    result: *const nps_priorities_result,
    row: usize,
    out: *mut nps_priority_row,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(result, "result", out, |r| {
            let p = at(&r.priorities.rows, row, "row", "rows")?;
            Ok(nps_priority_row {
                driver: r.drivers[row].as_ptr(),
                importance: p.importance,
                share: p.share,
                performance: p.performance,
                performance_low: p.performance_low,
                performance_high: p.performance_high,
                has_reference: p.reference.is_some(),
                reference: p.reference.unwrap_or(f64::NAN),
                gap: p.gap.unwrap_or(f64::NAN),
                gap_p: p.gap_p.unwrap_or(f64::NAN),
                gap_q: p.gap_q.unwrap_or(f64::NAN),
                gap_significant: p.gap_significant.unwrap_or(false),
                quadrant: p.quadrant.into(),
                has_probabilities: p.probabilities.is_some(),
                probabilities: p.probabilities.unwrap_or([f64::NAN; 4]),
                action_rank: p.action_rank.unwrap_or(0),
            })
        })
    }
}

/// Stores the cuts of the two axes: in `*importance_out` the importance cut (a share), in
/// `*performance_out` the performance cut (a rating, or a fraction with top box).
///
/// # Safety
/// `result` must be a live result; `importance_out` and `performance_out` must point to
/// writable `double`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_cuts(
    result: *const nps_priorities_result,
    importance_out: *mut f64,
    performance_out: *mut f64,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (importance_out, performance_out, r) = unsafe {
            (
                Out::new(importance_out, "importance_out")?,
                Out::new(performance_out, "performance_out")?,
                crate::ptr::try_ref(result, "result")?,
            )
        };
        importance_out.write(r.priorities.importance_cut);
        performance_out.write(r.priorities.performance_cut);
        Ok(())
    })
}

/// Stores in `*out` a copy of the importance analysis behind the matrix (R², rows used, every
/// driver's importance with the joint bootstrap's intervals when bootstrapped), owned by the
/// caller (`nps_driver_importance_free`).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `nps_driver_importance *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_importance(
    result: *const nps_priorities_result,
    out: *mut *mut nps_driver_importance,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, r) = unsafe {
            (
                Out::new(out, "out")?,
                crate::ptr::try_ref(result, "result")?,
            )
        };
        give(
            out,
            nps_driver_importance::new(r.priorities.importance.clone())?,
        );
        Ok(())
    })
}

/// Stores in `*json_out` the whole matrix as JSON text (every row with its intervals, gap tests,
/// quadrant, probabilities and action rank; the cuts; the importance analysis; the options), a
/// new string the caller frees with `nps_string_free`.
///
/// # Safety
/// `result` must be a live result; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_priorities_result_to_json(
    result: *const nps_priorities_result,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(result, "result", json_out, |r| {
            serde_json::to_string(&r.priorities)
        })
    }
}

/// One journey node of the priority matrix.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_journey_priority_row {
    /// Stage, scene or touchpoint.
    pub kind: nps_node_kind,
    /// The node's id, lent until the result is freed (as are `name` and `parent`).
    pub id: *const c_char,
    /// The node's name.
    pub name: *const c_char,
    /// The parent's id; NULL for a stage.
    pub parent: *const c_char,
    /// The raw importance: its own column's, or the sum over its children; NaN when no
    /// descendant has a column.
    pub importance: f64,
    /// The share of importance: its own column's, or the sum over its children; NaN when no
    /// descendant has a column.
    pub share: f64,
    /// The performance: its own column's, or over all the ratings of its descendants' columns;
    /// NaN when no descendant has a column.
    pub performance: f64,
    /// Whether `quadrant` holds the node's quadrant (false when no descendant has a column).
    pub has_quadrant: bool,
    /// The quadrant among the nodes of the same kind (meaningful only when `has_quadrant`).
    pub quadrant: nps_quadrant,
}

/// An opaque journey priority matrix: one row per node of the journey in tree order (a stage,
/// each of its scenes followed by that scene's touchpoints, then the next stage). Made by
/// `nps_journey_priorities`, read with the `nps_journey_priorities_result_*` accessors, freed
/// with `nps_journey_priorities_result_free`. Strings it lends stay valid until it is freed.
pub struct nps_journey_priorities_result {
    rows: Vec<JourneyPriority>,
    strings: Vec<CNode>,
}

impl nps_journey_priorities_result {
    fn new(rows: Vec<JourneyPriority>) -> Result<Self, Failure> {
        let strings = (rows.iter())
            .map(|r| CNode::new(&r.id, &r.name, r.parent.as_deref()))
            .collect::<Result<_, Failure>>()?;
        Ok(nps_journey_priorities_result { rows, strings })
    }
}

/// The priority matrix along `journey`: the driver columns of `table` whose names are ids of the
/// journey's scenes or touchpoints are analysed together as in `nps_priorities` (the options'
/// importance analysis, focus, performance, cuts; a target reference applies to those columns);
/// a node with its own column has that column's importance, share, performance and quadrant, a
/// node without one the sums of its children's importance and share, the performance of all its
/// descendants' ratings pooled and a quadrant among the rolled-up nodes of its kind. `options`
/// NULL = defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` naming the journey's scene and touchpoint ids when no driver
/// column of the table is one of them; otherwise those of `nps_priorities`. The caller owns
/// `*out` (`nps_journey_priorities_result_free`).
///
/// # Safety
/// `table` must be a live table; `journey` a live journey; `options` NULL or a readable
/// `nps_priority_options`; `out` must point to a writable `nps_journey_priorities_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_priorities(
    table: *const nps_table,
    journey: *const nps_journey,
    options: *const nps_priority_options,
    out: *mut *mut nps_journey_priorities_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, journey, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                &try_ref(journey, "journey")?.0,
                nps_priority_options::to_core(options, Vec::new())?,
            )
        };
        give(
            out,
            nps_journey_priorities_result::new(journey_priorities(table, journey, &options)?)?,
        );
        Ok(())
    })
}

/// Frees a journey priority matrix. NULL is allowed and does nothing.
///
/// # Safety
/// `result` must be NULL or a result from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_priorities_result_free(
    result: *mut nps_journey_priorities_result,
) {
    // SAFETY: as the caller guarantees.
    unsafe { free(result) }
}

/// Stores in `*out` the number of rows (nodes of the journey).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_priorities_result_len(
    result: *const nps_journey_priorities_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.rows.len())) }
}

/// Row `row` into `*out`: kind, id, name, parent, importance, share, performance and quadrant.
/// A row out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `nps_journey_priority_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_priorities_result_row(
    result: *const nps_journey_priorities_result,
    row: usize,
    out: *mut nps_journey_priority_row,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(result, "result", out, |r| {
            let node = at(&r.rows, row, "row", "rows")?;
            let s = &r.strings[row];
            Ok(nps_journey_priority_row {
                kind: node.kind.into(),
                id: s.id.as_ptr(),
                name: s.name.as_ptr(),
                parent: lend(s.parent.as_ref()),
                importance: node.importance.unwrap_or(f64::NAN),
                share: node.share.unwrap_or(f64::NAN),
                performance: node.performance.unwrap_or(f64::NAN),
                has_quadrant: node.quadrant.is_some(),
                quadrant: node
                    .quadrant
                    .map_or(nps_quadrant::NPS_QUADRANT_IMPROVE_NOW, Into::into),
            })
        })
    }
}

/// Stores in `*json_out` the whole matrix as a JSON array of rows (kind, id, name, parent,
/// importance, share, performance, quadrant), a new string the caller frees with
/// `nps_string_free`.
///
/// # Safety
/// `result` must be a live result; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_priorities_result_to_json(
    result: *const nps_journey_priorities_result,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(result, "result", json_out, |r| {
            serde_json::to_string(&r.rows)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::drivers::nps_driver_importance_free;
    use crate::table::nps_table_free;
    use crate::testing::{self, drivers_table as table, last_error};

    fn row(r: *const nps_priorities_result, i: usize) -> nps_priority_row {
        testing::row(nps_priorities_result_row, r, i)
    }

    #[test]
    fn the_core_example_against_a_target() {
        let t = table();
        let o = nps_priority_options {
            reference: c"target".as_ptr(),
            target: 3.5,
            ..nps_priority_options::default()
        };
        let mut r = ptr::null_mut();
        // SAFETY: valid pointers.
        let status = unsafe { nps_priorities(t, ptr::null(), 0, &o, &mut r) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        let (speed, price) = (row(r, 0), row(r, 1));
        // SAFETY: lent by the live result.
        assert_eq!(
            unsafe { CStr::from_ptr(speed.driver) }.to_str(),
            Ok("speed")
        );
        assert!((speed.performance - 3.4).abs() < 1e-12);
        assert!(speed.has_reference && (speed.gap + 0.1).abs() < 1e-12);
        assert_eq!(speed.quadrant, nps_quadrant::NPS_QUADRANT_EXCEED);
        assert_eq!(price.quadrant, nps_quadrant::NPS_QUADRANT_LOW_PRIORITY);
        assert_eq!((price.action_rank, speed.action_rank), (1, 2));
        assert!(!speed.has_probabilities && speed.probabilities[0].is_nan());
        let (mut ic, mut pc) = (0.0, 0.0);
        // SAFETY: valid pointers.
        let status = unsafe { nps_priorities_result_cuts(r, &mut ic, &mut pc) };
        assert_eq!(status, nps_status::NPS_OK);
        assert!((pc - 3.2).abs() < 1e-12 && speed.share > ic);
        let mut imp = ptr::null_mut();
        // SAFETY: valid pointers; each handle freed once.
        unsafe {
            assert_eq!(
                nps_priorities_result_importance(r, &mut imp),
                nps_status::NPS_OK
            );
            nps_driver_importance_free(imp);
            nps_priorities_result_free(r);
            nps_table_free(t);
        }
    }

    #[test]
    fn names_in_the_options_are_checked() {
        let t = table();
        let cases = [
            (
                nps_priority_options {
                    reference: c"industry".as_ptr(),
                    ..nps_priority_options::default()
                },
                nps_status::NPS_ERR_UNKNOWN_METHOD,
                "none, target, targets, group",
            ),
            (
                nps_priority_options {
                    importance_threshold: c"mode".as_ptr(),
                    ..nps_priority_options::default()
                },
                nps_status::NPS_ERR_UNKNOWN_METHOD,
                "mean, median, value",
            ),
            (
                nps_priority_options {
                    focus_dimension: c"brand".as_ptr(),
                    ..nps_priority_options::default()
                },
                nps_status::NPS_ERR_NULL_POINTER,
                "focus_value is NULL",
            ),
            (
                nps_priority_options {
                    reference: c"group".as_ptr(),
                    ..nps_priority_options::default()
                },
                nps_status::NPS_ERR_NULL_POINTER,
                "reference_dimension is NULL",
            ),
        ];
        for (o, status, fragment) in cases {
            let mut r = ptr::null_mut();
            // SAFETY: valid pointers.
            assert_eq!(
                unsafe { nps_priorities(t, ptr::null(), 0, &o, &mut r) },
                status
            );
            assert!(last_error().contains(fragment), "{}", last_error());
            assert!(r.is_null());
        }
        // SAFETY: freed once.
        unsafe { nps_table_free(t) };
    }

    #[test]
    fn journey_nodes_roll_up_their_shares() {
        let t = table();
        let mut j = ptr::null_mut();
        let mut r = ptr::null_mut();
        // SAFETY: a NUL-terminated string, live handles and valid out-parameters.
        unsafe {
            let status = crate::journey::nps_journey_from_json(
                c"{\"stages\": [{\"id\": \"claim\", \"scenes\": [{\"id\": \"report\",
                    \"touchpoints\": [{\"id\": \"speed\"}, {\"id\": \"price\"}]}]}]}"
                    .as_ptr(),
                &mut j,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_journey_priorities(t, j, ptr::null(), &mut r);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        }
        let rows: Vec<nps_journey_priority_row> = (0..4)
            .map(|i| testing::row(nps_journey_priorities_result_row, r, i))
            .collect();
        assert_eq!(rows[0].kind, nps_node_kind::NPS_NODE_STAGE);
        assert!(rows[0].parent.is_null());
        // SAFETY: lent by the live result.
        assert_eq!(
            unsafe { CStr::from_ptr(rows[2].parent) }.to_str(),
            Ok("report")
        );
        assert!((rows[1].share - rows[2].share - rows[3].share).abs() < 1e-12);
        assert!((rows[0].share - rows[1].share).abs() < 1e-12);
        // SAFETY: freed once.
        unsafe {
            nps_journey_priorities_result_free(r);
            crate::journey::nps_journey_free(j);
            nps_table_free(t);
        }
    }
}
