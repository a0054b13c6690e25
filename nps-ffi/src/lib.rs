//! # nps-ffi: the C ABI of nps
//!
//! A thin C interface over [`nps_core`], built as `libnps.so` (SONAME `libnps.so.<ABI>` on
//! Linux, set by `build.rs`) / `libnps.a` with the header `include/nps.h` generated from this
//! crate by cbindgen. It converts types and errors only; every computation happens in
//! `nps-core`.
//!
//! Conventions, in the style of rustls-ffi:
//! - every symbol, type and constant starts with `nps_` / `NPS_`;
//! - every function returns an [`nps_status`] (except the `nps_*_free` functions,
//!   [`nps_status_name`] and [`nps_version`]) and hands its results back through out-parameters,
//!   written only on success;
//! - handles (tally, table, journey, cube, driver moments, alert policy, queue and alerter,
//!   taxonomy, analysis results) are owned by the caller and freed by their own `nps_*_free`;
//!   strings an accessor lends live as long as their handle; JSON texts belong to the caller
//!   ([`nps_string_free`]);
//! - every body runs inside a panic boundary (module `panic`): a panic becomes `NPS_ERR_PANIC`,
//!   never an unwind into C;
//! - every pointer is checked for NULL before it is used (module `ptr`);
//! - a failed call leaves a message naming the field and the position, read with
//!   [`nps_last_error_message`] on the same thread.
//!
//! Units: NPS, standard errors and bounds in points (-100..100; differences -200..200); shares
//! as fractions (0..1); confidence levels as fractions (0.95).

#![allow(non_camel_case_types)]

// The boundary machinery; then the API, one module per idea in the order the header shows
// them (cbindgen follows the order of these declarations).
mod failure;
mod panic;
mod ptr;
mod result;
mod status;

mod last_error;

mod tally;

mod estimate;

mod compare;

mod planning;

mod text;

mod table;

mod group;

mod trend;

mod attribution;

mod benchmark;

mod journey;

mod drivers;

mod priority;

mod mergeable;

mod alert;

mod monitor;

mod comments;

use std::ffi::{CStr, c_char};

pub use alert::{
    nps_alert, nps_alert_event, nps_alert_policy, nps_alert_policy_free,
    nps_alert_policy_from_json, nps_alert_policy_to_json, nps_alert_queue, nps_alert_queue_free,
    nps_alert_queue_from_json, nps_alert_queue_get, nps_alert_queue_len, nps_alert_queue_response,
    nps_alert_queue_rule, nps_alert_queue_to_json, nps_alert_responses, nps_alerter,
    nps_alerter_free, nps_alerter_from_json, nps_alerter_new, nps_alerter_push, nps_alerter_rule,
    nps_alerter_set_utf8_policy, nps_alerter_to_json, nps_alerts_evaluate, nps_callback_group,
    nps_callback_outcomes, nps_callback_report, nps_callback_report_free, nps_callback_report_get,
    nps_callback_report_len, nps_callback_report_overall, nps_callback_report_to_json,
    nps_callback_stats, nps_proportion,
};
pub use attribution::{
    nps_attribute, nps_attribution, nps_attribution_change, nps_attribution_decomposition,
    nps_attribution_free, nps_attribution_len, nps_attribution_segment, nps_attribution_to_json,
    nps_decomposition, nps_segment_effect, nps_split,
};
pub use benchmark::{
    nps_benchmark, nps_benchmark_options, nps_benchmark_options_default, nps_benchmark_result,
    nps_benchmark_result_free, nps_benchmark_result_gains, nps_benchmark_result_len,
    nps_benchmark_result_row, nps_benchmark_result_to_json, nps_brand_row, nps_gap,
};
pub use comments::{
    NPS_DEFAULT_ALPHA0, NPS_DEFAULT_MIN_COUNT, nps_distinctive_words, nps_table_add_topic_drivers,
    nps_taxonomy, nps_taxonomy_free, nps_taxonomy_from_json, nps_taxonomy_to_json, nps_tokenize,
    nps_topics,
};
pub use compare::{nps_compare, nps_comparison};
pub use drivers::{
    nps_driver_grouping, nps_driver_grouping_free, nps_driver_grouping_importance,
    nps_driver_grouping_len, nps_driver_grouping_level, nps_driver_grouping_problem,
    nps_driver_grouping_to_json, nps_driver_importance, nps_driver_importance_free,
    nps_driver_importance_len, nps_driver_importance_n, nps_driver_importance_r2,
    nps_driver_importance_row, nps_driver_importance_to_json, nps_driver_options,
    nps_driver_options_default, nps_driver_row, nps_drivers, nps_drivers_by,
    nps_drivers_from_columns,
};
pub use estimate::{
    nps_estimate, nps_method_options, nps_method_options_default, nps_score_f64, nps_tally_estimate,
};
pub use group::{
    nps_group_by, nps_group_options, nps_group_options_default, nps_grouping,
    nps_grouping_estimate, nps_grouping_free, nps_grouping_key, nps_grouping_len,
    nps_grouping_level, nps_grouping_n_keys, nps_grouping_tally, nps_grouping_to_json,
    nps_level_kind,
};
pub use journey::{
    nps_journey, nps_journey_free, nps_journey_from_json, nps_journey_result,
    nps_journey_result_free, nps_journey_result_len, nps_journey_result_row,
    nps_journey_result_to_json, nps_journey_rollup, nps_journey_row, nps_journey_to_json,
    nps_node_kind,
};
pub use last_error::nps_last_error_message;
pub use mergeable::{
    nps_cube, nps_cube_free, nps_cube_from_json, nps_cube_group_by, nps_cube_merge, nps_cube_new,
    nps_cube_to_json, nps_cube_trend, nps_driver_moments, nps_driver_moments_free,
    nps_driver_moments_from_json, nps_driver_moments_importance, nps_driver_moments_merge,
    nps_driver_moments_new, nps_driver_moments_to_json,
};
pub use monitor::{
    nps_alarm, nps_monitor, nps_monitor_columns, nps_monitor_free, nps_monitor_from_json,
    nps_monitor_new, nps_monitor_observe, nps_monitor_options, nps_monitor_options_default,
    nps_monitor_position, nps_monitor_rebaseline, nps_monitor_set_baseline, nps_monitor_state,
    nps_monitor_to_json, nps_monitoring, nps_monitoring_alarm, nps_monitoring_false_alarm_rate,
    nps_monitoring_free, nps_monitoring_len, nps_monitoring_n_touchpoints, nps_monitoring_to_json,
    nps_monitoring_touchpoint, nps_touchpoint_state,
};
pub use planning::{nps_expected_shares, nps_margin_of_error, nps_sample_size};
pub use priority::{
    nps_journey_priorities, nps_journey_priorities_result, nps_journey_priorities_result_free,
    nps_journey_priorities_result_len, nps_journey_priorities_result_row,
    nps_journey_priorities_result_to_json, nps_journey_priority_row, nps_priorities,
    nps_priorities_result, nps_priorities_result_cuts, nps_priorities_result_free,
    nps_priorities_result_importance, nps_priorities_result_len, nps_priorities_result_row,
    nps_priorities_result_to_json, nps_priority_options, nps_priority_options_default,
    nps_priority_row, nps_quadrant,
};
pub use status::{nps_status, nps_status_name};
pub use table::{
    NPS_NA, nps_table, nps_table_add_dimension, nps_table_add_dimension_codes,
    nps_table_add_driver, nps_table_free, nps_table_len, nps_table_new, nps_table_new_u8,
    nps_table_set_dates, nps_table_set_dates_iso, nps_table_set_weights, nps_table_tally,
};
pub use tally::{
    NPS_SCORE_BINS, nps_scale, nps_tally, nps_tally_add_f64, nps_tally_add_i32, nps_tally_add_i64,
    nps_tally_add_u8, nps_tally_add_weighted_f64, nps_tally_clone, nps_tally_counts,
    nps_tally_free, nps_tally_from_counts, nps_tally_from_json, nps_tally_is_weighted,
    nps_tally_merge, nps_tally_missing, nps_tally_n, nps_tally_new, nps_tally_to_json,
};
pub use text::nps_string_free;
pub use trend::{
    nps_change, nps_direction, nps_slope, nps_study_trigger, nps_study_trigger_result,
    nps_study_trigger_result_due, nps_study_trigger_result_free, nps_study_trigger_result_slopes,
    nps_study_trigger_result_to_json, nps_trend, nps_trend_options, nps_trend_options_default,
    nps_trend_point, nps_trend_result, nps_trend_result_free, nps_trend_result_len,
    nps_trend_result_level, nps_trend_result_point, nps_trend_result_points,
    nps_trend_result_slope, nps_trend_result_to_json,
};

/// The library version, e.g. "0.1.0": a static NUL-terminated string the caller must not free.
#[unsafe(no_mangle)]
pub extern "C" fn nps_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the package version contains a NUL byte"),
        };
    panic::guard(c"".as_ptr(), || VERSION.as_ptr())
}

/// Helpers for the unit tests, which call the exported functions as C would.
#[cfg(test)]
pub(crate) mod testing {
    use std::ptr;

    use super::*;

    /// The last-error message, read through the C entry point.
    pub(crate) fn last_error() -> String {
        let mut needed = 0usize;
        // SAFETY: NULL with length 0 asks for the size; `needed` is a valid out-parameter.
        unsafe { nps_last_error_message(ptr::null_mut(), 0, &mut needed) };
        let mut buf = vec![0 as c_char; needed];
        // SAFETY: `buf` holds `needed` bytes.
        let status =
            unsafe { nps_last_error_message(buf.as_mut_ptr(), buf.len(), ptr::null_mut()) };
        assert_eq!(status, nps_status::NPS_OK);
        // SAFETY: the message was written NUL-terminated into `buf`.
        unsafe { CStr::from_ptr(buf.as_ptr()) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    /// The core's doc example of driver analysis: a table of 10 responses with the drivers
    /// "speed" and "price", or a panic.
    pub(crate) fn drivers_table() -> *mut nps_table {
        let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
        let speed = [5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0];
        let price = [3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0];
        let mut t = ptr::null_mut();
        // SAFETY: valid arrays and out-parameters.
        unsafe {
            assert_eq!(
                nps_table_new(scores.as_ptr(), scores.len(), &mut t),
                nps_status::NPS_OK
            );
            for (name, r) in [(c"speed", &speed), (c"price", &price)] {
                let status = nps_table_add_driver(t, name.as_ptr(), r.as_ptr(), r.len());
                assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            }
        }
        t
    }

    /// Row `i` of the live result `r` read through its `*_row` accessor `read`, or a panic.
    pub(crate) fn row<H, R>(
        read: unsafe extern "C" fn(*const H, usize, *mut R) -> nps_status,
        r: *const H,
        i: usize,
    ) -> R {
        let mut out = std::mem::MaybeUninit::uninit();
        // SAFETY: a live result and a writable row.
        let status = unsafe { read(r, i, out.as_mut_ptr()) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        // SAFETY: written on success.
        unsafe { out.assume_init() }
    }

    /// A tally from counts on the standard scale, or a panic.
    pub(crate) fn tally(counts: [u64; NPS_SCORE_BINS]) -> *mut nps_tally {
        let mut t = ptr::null_mut();
        // SAFETY: `counts` holds 11 values and `t` is a valid out-parameter.
        let status =
            unsafe { nps_tally_from_counts(ptr::null(), counts.as_ptr(), counts.len(), &mut t) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_package_version() {
        // SAFETY: nps_version returns a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(nps_version()) };
        assert_eq!(v.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    }
}
