//! Against competitors: the own brand's NPS against every other brand, overall and per segment,
//! with tested gaps, ranks, competitor gains and driver means.

use std::ffi::{CString, c_char};

use nps_core::{Benchmark, BenchmarkOptions, Gap, benchmark};

use crate::compare::nps_comparison;
use crate::estimate::{comparison_or, method_with, nps_estimate, nps_method_options};
use crate::failure::Failure;
use crate::group::{CLevel, keys, nps_level_kind, unit_named};
use crate::panic;
use crate::ptr::{Out, at, free, give, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::{c_text, lend};

/// Options of `nps_benchmark`. Start from `nps_benchmark_options_default` and change what you
/// need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_benchmark_options {
    /// Interval method of each NPS: "wald", "adjusted_wald", "score", "bayes" or "bootstrap";
    /// NULL = "adjusted_wald" (the default). Read during the call only.
    pub method: *const c_char,
    /// The prior and bootstrap parameters of the method.
    pub method_options: nps_method_options,
    /// Test of each gap: "wald" or "adjusted_wald"; NULL = "adjusted_wald" (the default).
    pub comparison: *const c_char,
    /// Confidence level, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// False discovery rate over all gaps, and over all competitor trends, in (0, 1) (default
    /// 0.05).
    pub rate: f64,
    /// Groups with fewer answered responses are flagged small (default 30).
    pub min_n: u64,
}

impl Default for nps_benchmark_options {
    fn default() -> Self {
        let core = BenchmarkOptions::default();
        nps_benchmark_options {
            method: std::ptr::null(),
            method_options: nps_method_options::default(),
            comparison: std::ptr::null(),
            level: core.level,
            rate: core.rate,
            min_n: core.min_n,
        }
    }
}

impl nps_benchmark_options {
    /// The core options of `p` (NULL = defaults).
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_benchmark_options` whose strings are NULL or
    /// NUL-terminated.
    unsafe fn to_core(p: *const nps_benchmark_options) -> Result<BenchmarkOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        // SAFETY: as the caller guarantees.
        let (method, comparison) = unsafe {
            (
                method_with(o.method, &o.method_options)?,
                comparison_or(o.comparison, BenchmarkOptions::default().comparison)?,
            )
        };
        Ok(BenchmarkOptions {
            method,
            comparison,
            level: o.level,
            rate: o.rate,
            min_n: o.min_n,
        })
    }
}

/// Fills `*out` with the default benchmark options: adjusted Wald estimates and gap tests, 95 %,
/// false discovery rate 0.05, groups under 30 answers flagged small.
///
/// # Safety
/// `out` must point to a writable `nps_benchmark_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_options_default(
    out: *mut nps_benchmark_options,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// The own brand's lead over one competitor in one group, with its test.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_gap {
    /// NPS(own) - NPS(competitor): `nps_a` is the own brand's, `nps_b` the competitor's;
    /// positive when the own brand leads.
    pub comparison: nps_comparison,
    /// Benjamini-Hochberg q-value over every gap of the benchmark.
    pub q_value: f64,
    /// Whether the q-value is below the rate.
    pub significant: bool,
}

impl From<Option<Gap>> for nps_gap {
    fn from(g: Option<Gap>) -> Self {
        match g {
            Some(g) => nps_gap {
                comparison: g.comparison.into(),
                q_value: g.q_value,
                significant: g.significant,
            },
            None => nps_gap {
                comparison: nps_comparison::NAN,
                q_value: f64::NAN,
                significant: false,
            },
        }
    }
}

/// One brand in one group of a benchmark.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_brand_row {
    /// The key of the group (a dimension's name or a period unit), NULL for the overall rows.
    /// Lent until the benchmark is freed, as are the other strings.
    pub dimension: *const c_char,
    /// The group's value; NULL for the overall rows (`segment_kind` `NPS_LEVEL_ALL`) and for the
    /// rows missing the dimension (`NPS_LEVEL_MISSING`).
    pub segment: *const c_char,
    /// Whether the segment is a value, the missing rows or overall.
    pub segment_kind: nps_level_kind,
    /// The brand.
    pub brand: *const c_char,
    /// Whether `estimate` holds the brand's NPS in the group (false without answers).
    pub has_estimate: bool,
    /// The estimate (NaN numbers when `has_estimate` is false).
    pub estimate: nps_estimate,
    /// Fewer answered responses than `min_n`.
    pub small: bool,
    /// Rank by NPS among the brands with answers in the group (1 = highest; ties share the
    /// better rank); 0 without answers.
    pub rank: u32,
    /// Whether `gap` holds the own brand's lead over this brand (false for the own brand, and
    /// without answers on either side).
    pub has_gap: bool,
    /// The gap (NaN numbers when `has_gap` is false).
    pub gap: nps_gap,
}

/// The strings of one row as C reads them.
struct CRow {
    dimension: Option<CString>,
    segment: CLevel,
    brand: CString,
}

/// An opaque benchmark: every brand overall, then per value of each key, with its estimate,
/// rank and the own brand's gap; competitor gains and driver means are in the JSON text. Made by
/// `nps_benchmark`, read with the `nps_benchmark_result_*` accessors, freed with
/// `nps_benchmark_result_free`. Strings it lends stay valid until it is freed.
pub struct nps_benchmark_result {
    benchmark: Benchmark,
    rows: Vec<CRow>,
}

impl nps_benchmark_result {
    fn new(benchmark: Benchmark) -> Result<Self, Failure> {
        let rows = (benchmark.rows.iter())
            .map(|r| {
                Ok(CRow {
                    dimension: r
                        .dimension
                        .as_deref()
                        .map(|d| c_text(d, "a dimension"))
                        .transpose()?,
                    segment: CLevel::of(&r.segment)?,
                    brand: c_text(&r.brand, "a brand")?,
                })
            })
            .collect::<Result<_, Failure>>()?;
        Ok(nps_benchmark_result { benchmark, rows })
    }
}

/// The strategic study: the own brand `own` (a value of the dimension `brand`) against every
/// other brand, overall and per value of each of the `n_by` dimensions named in `by` (each
/// separately), plus per period of `by_unit` when it is not NULL ("quarter": one group per
/// quarter). Each gap NPS(own) - NPS(competitor) is tested; all gaps form one family adjusted by
/// Benjamini-Hochberg. With `trend_unit` (NULL = none), every brand's trend over periods of that
/// unit is computed overall and per segment, and the competitors rising significantly are
/// reported as gains (in the JSON text). Driver means use every driver of the table. `options`
/// NULL = defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for an unknown dimension or an `own` brand the table does not
/// have, `NPS_ERR_UNKNOWN_METHOD` for an unknown unit or method, `NPS_ERR_UNSUPPORTED_METHOD`,
/// `NPS_ERR_INVALID_ARGUMENT`, `NPS_ERR_INVALID_LEVEL`. The caller owns `*out`
/// (`nps_benchmark_result_free`).
///
/// # Safety
/// `table` must be a live table; `brand` and `own` NUL-terminated strings; `by` must point to
/// `n_by` pointers to NUL-terminated strings (or be NULL with `n_by` 0); `by_unit` and
/// `trend_unit` NULL or NUL-terminated strings; `options` NULL or a readable
/// `nps_benchmark_options`; `out` must point to a writable `nps_benchmark_result *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_benchmark(
    table: *const nps_table,
    brand: *const c_char,
    own: *const c_char,
    by: *const *const c_char,
    n_by: usize,
    by_unit: *const c_char,
    trend_unit: *const c_char,
    options: *const nps_benchmark_options,
    out: *mut *mut nps_benchmark_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, brand, own, by, trend_unit, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                try_str(brand, "brand")?,
                try_str(own, "own")?,
                keys(by, n_by, "by", by_unit, "by_unit")?,
                unit_named(trend_unit, "trend_unit")?,
                nps_benchmark_options::to_core(options)?,
            )
        };
        let b = benchmark(table, brand, own, &by, trend_unit, &options)?;
        give(out, nps_benchmark_result::new(b)?);
        Ok(())
    })
}

/// Frees a benchmark. NULL is allowed and does nothing.
///
/// # Safety
/// `benchmark` must be NULL or a benchmark from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_result_free(benchmark: *mut nps_benchmark_result) {
    // SAFETY: as the caller guarantees.
    unsafe { free(benchmark) }
}

/// Stores in `*out` the number of rows (brands × groups, the overall rows first).
///
/// # Safety
/// `benchmark` must be a live benchmark; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_result_len(
    benchmark: *const nps_benchmark_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(benchmark, "benchmark", out, |b| Ok(b.rows.len())) }
}

/// Row `row` into `*out`: dimension, segment, brand, estimate, rank and gap. A row out of range
/// gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `benchmark` must be a live benchmark; `out` must point to a writable `nps_brand_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_result_row(
    benchmark: *const nps_benchmark_result,
    row: usize,
    out: *mut nps_brand_row,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(benchmark, "benchmark", out, |b| {
            let r = at(&b.benchmark.rows, row, "row", "rows")?;
            let c = &b.rows[row];
            let (has_estimate, estimate) = nps_estimate::optional(r.estimate);
            Ok(nps_brand_row {
                dimension: lend(c.dimension.as_ref()),
                segment: c.segment.value(),
                segment_kind: c.segment.kind(),
                brand: c.brand.as_ptr(),
                has_estimate,
                estimate,
                small: r.small,
                rank: r.rank.unwrap_or(0),
                has_gap: r.gap.is_some(),
                gap: r.gap.into(),
            })
        })
    }
}

/// Stores in `*out` the number of competitor gains (competitor series rising significantly,
/// overall or per segment; 0 without a `trend_unit`). Their details are in the JSON text.
///
/// # Safety
/// `benchmark` must be a live benchmark; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_result_gains(
    benchmark: *const nps_benchmark_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(benchmark, "benchmark", out, |b| Ok(b.benchmark.gains.len())) }
}

/// Stores in `*json_out` the whole benchmark as JSON text (rows, gap adjustment, gains, driver
/// means with the own brand's gap to the best competitor, options), a new string the caller
/// frees with `nps_string_free`.
///
/// # Safety
/// `benchmark` must be a live benchmark; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_benchmark_result_to_json(
    benchmark: *const nps_benchmark_result,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(benchmark, "benchmark", json_out, |b| {
            serde_json::to_string(&b.benchmark)
        })
    }
}
