//! The customer journey (stages → scenes → touchpoints) and the roll-up of transactional NPS
//! along it.

use std::ffi::{CString, c_char};

use nps_core::{Error, Journey, JourneyRow, NodeKind, journey};

use crate::estimate::nps_estimate;
use crate::failure::Failure;
use crate::group::nps_group_options;
use crate::panic;
use crate::ptr::{Out, at, free, give, try_ref, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::{c_opt_text, c_text, lend};

/// An opaque, validated customer journey: stages, each with scenes, each with touchpoints (ids
/// unique across all levels, no cycle, at least one touchpoint). Made by
/// `nps_journey_from_json`, used by `nps_journey_rollup`, freed with `nps_journey_free`.
pub struct nps_journey(pub(crate) Journey);

/// Reads a journey from NUL-terminated UTF-8 JSON text, nested
/// `{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints": [{"id", "name"}]}]}]}`
/// or flat `{"nodes": [{"id", "name", "kind": "stage"|"scene"|"touchpoint", "parent": id|null}]}`
/// (names optional). Text that is not JSON or of neither form gives `NPS_ERR_INVALID_JSON` (the
/// message gives the line and column, or the path of the bad value); a journey that is not a
/// tree (empty or duplicate id, unknown parent, cycle, a node under the wrong level, no
/// touchpoint) gives `NPS_ERR_INVALID_JOURNEY` naming the node. The caller owns `*out`
/// (`nps_journey_free`) and keeps ownership of `json`.
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_journey *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_from_json(
    json: *const c_char,
    out: *mut *mut nps_journey,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let journey = Journey::from_json(json).map_err(|e| match e {
            // Text that is not a journey document: the status C callers expect for bad JSON.
            e @ Error::InvalidArgument {
                field: "journey", ..
            } => Failure::JsonDocument(e),
            e => Failure::Core(e),
        })?;
        give(out, nps_journey(journey));
        Ok(())
    })
}

/// Frees a journey. NULL is allowed and does nothing.
///
/// # Safety
/// `journey` must be NULL or a journey from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_free(journey: *mut nps_journey) {
    // SAFETY: as the caller guarantees.
    unsafe { free(journey) }
}

/// Stores in `*json_out` the journey as compact JSON in the nested form (every name written), a
/// new string the caller frees with `nps_string_free`; `nps_journey_from_json` reads it back.
///
/// # Safety
/// `journey` must be a live journey; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_to_json(
    journey: *const nps_journey,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::to_json(journey, "journey", json_out, |j| Ok(j.0.to_json())) }
}

/// The level of a journey node.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_node_kind {
    /// A stage of the journey (buy, onboarding, claim…); it has no parent.
    NPS_NODE_STAGE = 0,
    /// A scene: a typical situation inside a stage; its parent is a stage.
    NPS_NODE_SCENE = 1,
    /// A touchpoint (app, phone, branch…) where transactional NPS is collected; its parent is a
    /// scene.
    NPS_NODE_TOUCHPOINT = 2,
}

impl From<NodeKind> for nps_node_kind {
    fn from(k: NodeKind) -> Self {
        match k {
            NodeKind::Stage => nps_node_kind::NPS_NODE_STAGE,
            NodeKind::Scene => nps_node_kind::NPS_NODE_SCENE,
            NodeKind::Touchpoint => nps_node_kind::NPS_NODE_TOUCHPOINT,
        }
    }
}

/// One node of the journey roll-up.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_journey_row {
    /// Stage, scene or touchpoint.
    pub kind: nps_node_kind,
    /// The node's id, lent until the result is freed (as are `name` and `parent`).
    pub id: *const c_char,
    /// The node's name.
    pub name: *const c_char,
    /// The parent's id; NULL for a stage.
    pub parent: *const c_char,
    /// The node's share of the journey's answered responses (counts, not weights), a fraction;
    /// 0 when none answered. Sums to 1 over the touchpoints, over the scenes and over the stages.
    pub share: f64,
    /// Whether `estimate` holds the node's NPS (false when none of its responses answered).
    pub has_estimate: bool,
    /// The estimate (NaN numbers when `has_estimate` is false).
    pub estimate: nps_estimate,
    /// Fewer answered responses than `min_n` (always so with none).
    pub small: bool,
}

/// The strings of one journey node as C reads them (the rows of the roll-up and of the journey
/// priority matrix).
pub(crate) struct CNode {
    pub(crate) id: CString,
    pub(crate) name: CString,
    pub(crate) parent: Option<CString>,
}

impl CNode {
    /// NUL-terminated copies of a node's id, name and parent id.
    pub(crate) fn new(id: &str, name: &str, parent: Option<&str>) -> Result<Self, Failure> {
        Ok(CNode {
            id: c_text(id, "a node id")?,
            name: c_text(name, "a node name")?,
            parent: c_opt_text(parent, "a parent id")?,
        })
    }
}

/// An opaque journey roll-up: one row per node in tree order (a stage, each of its scenes
/// followed by that scene's touchpoints, then the next stage). Made by `nps_journey_rollup`,
/// read with the `nps_journey_result_*` accessors, freed with `nps_journey_result_free`.
/// Strings it lends stay valid until it is freed.
pub struct nps_journey_result {
    rows: Vec<JourneyRow>,
    strings: Vec<CNode>,
}

impl nps_journey_result {
    fn new(rows: Vec<JourneyRow>) -> Result<Self, Failure> {
        let strings = (rows.iter())
            .map(|r| CNode::new(&r.id, &r.name, r.parent.as_deref()))
            .collect::<Result<_, Failure>>()?;
        Ok(nps_journey_result { rows, strings })
    }
}

/// Transactional NPS rolled up along `journey`: `touchpoint` names the table's dimension holding
/// each response's touchpoint id; a scene's tally is the sum of its touchpoints', a stage's the
/// sum of its scenes', each with its estimate, small flag and share. `options` NULL = defaults
/// (its `margins` is not used). A touchpoint without responses appears with no estimate.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` when the table has no dimension `touchpoint`;
/// `NPS_ERR_INVALID_JOURNEY` naming the first response (its index and touchpoint) whose
/// touchpoint is not a touchpoint of the journey, or is missing; `NPS_ERR_ZERO_TOTAL_WEIGHT`;
/// the options' errors. The caller owns `*out` (`nps_journey_result_free`).
///
/// # Safety
/// `table` must be a live table; `journey` a live journey; `touchpoint` a NUL-terminated string;
/// `options` NULL or a readable `nps_group_options`; `out` must point to a writable
/// `nps_journey_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_rollup(
    table: *const nps_table,
    journey: *const nps_journey,
    touchpoint: *const c_char,
    options: *const nps_group_options,
    out: *mut *mut nps_journey_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, j, touchpoint, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                try_ref(journey, "journey")?,
                try_str(touchpoint, "touchpoint")?,
                nps_group_options::to_core(options)?,
            )
        };
        let rows = self::journey(table, &j.0, touchpoint, &options)?;
        give(out, nps_journey_result::new(rows)?);
        Ok(())
    })
}

/// Frees a journey roll-up. NULL is allowed and does nothing.
///
/// # Safety
/// `result` must be NULL or a roll-up from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_result_free(result: *mut nps_journey_result) {
    // SAFETY: as the caller guarantees.
    unsafe { free(result) }
}

/// Stores in `*out` the number of rows (nodes of the journey).
///
/// # Safety
/// `result` must be a live roll-up; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_result_len(
    result: *const nps_journey_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.rows.len())) }
}

/// Row `row` into `*out`: kind, id, name, parent, share, estimate and small flag. A row out of
/// range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `result` must be a live roll-up; `out` must point to a writable `nps_journey_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_result_row(
    result: *const nps_journey_result,
    row: usize,
    out: *mut nps_journey_row,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(result, "result", out, |r| {
            let node = at(&r.rows, row, "row", "rows")?;
            let s = &r.strings[row];
            let (has_estimate, estimate) = nps_estimate::optional(node.estimate);
            Ok(nps_journey_row {
                kind: node.kind.into(),
                id: s.id.as_ptr(),
                name: s.name.as_ptr(),
                parent: lend(s.parent.as_ref()),
                share: node.share,
                has_estimate,
                estimate,
                small: node.small,
            })
        })
    }
}

/// Stores in `*json_out` the whole roll-up as a JSON array of rows (kind, id, name, parent,
/// tally, estimate, small, share), a new string the caller frees with `nps_string_free`.
///
/// # Safety
/// `result` must be a live roll-up; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_journey_result_to_json(
    result: *const nps_journey_result,
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
    use std::ptr;

    use super::*;
    use crate::testing::last_error;

    fn read(json: &std::ffi::CStr) -> (nps_status, String) {
        let mut j = ptr::null_mut();
        // SAFETY: a NUL-terminated string and a valid out-parameter.
        let status = unsafe { nps_journey_from_json(json.as_ptr(), &mut j) };
        // SAFETY: NULL or the journey just made.
        unsafe { nps_journey_free(j) };
        (status, last_error())
    }

    #[test]
    fn bad_text_is_invalid_json_and_a_bad_tree_an_invalid_journey() {
        let (status, message) = read(c"{\"stages\": [");
        assert_eq!(status, nps_status::NPS_ERR_INVALID_JSON, "{message}");
        assert!(message.starts_with("journey is "), "{message}");
        let (status, message) = read(
            c"{\"nodes\": [{\"id\": \"a\", \"kind\": \"stage\", \"parent\": \"b\"},
                {\"id\": \"b\", \"kind\": \"scene\", \"parent\": \"a\"}]}",
        );
        assert_eq!(status, nps_status::NPS_ERR_INVALID_JOURNEY);
        assert!(message.contains("cycle"), "{message}");
        let (status, _) = read(
            c"{\"stages\": [{\"id\": \"s\", \"scenes\": [{\"id\": \"c\",
                \"touchpoints\": [{\"id\": \"t\"}]}]}]}",
        );
        assert_eq!(status, nps_status::NPS_OK);
    }
}
