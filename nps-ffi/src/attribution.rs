//! Why did it move: the change in NPS between two periods or two values of a dimension, split
//! along dimensions into mix and rate effects, segment by segment.

use std::ffi::{CString, c_char};

use nps_core::{Attribution, Decomposition, Error, Split, attribute};

use crate::compare::nps_comparison;
use crate::failure::Failure;
use crate::group::{CLevel, nps_level_kind, unit_named};
use crate::panic;
use crate::ptr::{Out, at, free, give, opt_str, str_array, try_ref, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::c_text;

/// The two sets of rows an attribution compares: `from` (the baseline) and `to` (the one
/// explained). Set exactly one of `dimension` and `unit`: with `dimension`, `from` and `to` are
/// two of its values ("Rival A" to "Own"); with `unit` ("month", "quarter"…), two period labels
/// ("2024-Q2" to "2024-Q3"). The strings are read during the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_split {
    /// A dimension whose values are compared, or NULL.
    pub dimension: *const c_char,
    /// A period unit whose periods are compared, or NULL.
    pub unit: *const c_char,
    /// The baseline value or period label.
    pub from: *const c_char,
    /// The value or period label explained.
    pub to: *const c_char,
}

impl nps_split {
    /// The core split of `p`.
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_split` whose strings are NULL or
    /// NUL-terminated.
    unsafe fn to_core(p: *const nps_split) -> Result<Split, Failure> {
        // SAFETY: as the caller guarantees.
        let s = unsafe { try_ref(p, "split")? };
        // SAFETY: as the caller guarantees.
        let (dimension, unit, from, to) = unsafe {
            (
                opt_str(s.dimension, "split.dimension")?,
                unit_named(s.unit, "split.unit")?,
                try_str(s.from, "split.from")?.to_owned(),
                try_str(s.to, "split.to")?.to_owned(),
            )
        };
        match (dimension, unit) {
            (Some(dimension), None) => Ok(Split::Values {
                dimension: dimension.to_owned(),
                from,
                to,
            }),
            (None, Some(unit)) => Ok(Split::Periods { unit, from, to }),
            (d, _) => Err(Error::InvalidArgument {
                field: "split",
                value: if d.is_some() {
                    "both a dimension and a unit".into()
                } else {
                    "neither a dimension nor a unit".into()
                },
                expected: "set exactly one of split.dimension and split.unit",
            }
            .into()),
        }
    }
}

/// The change split along one dimension.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_decomposition {
    /// The dimension, lent until the attribution is freed.
    pub dimension: *const c_char,
    /// Sum of the segments' mix effects, in points.
    pub mix: f64,
    /// Sum of the segments' rate effects, in points; mix + rate = the overall change.
    pub rate: f64,
    /// Number of segments (`nps_attribution_segment`).
    pub segments: usize,
}

/// One segment's part of the change; every effect in NPS points.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_segment_effect {
    /// The segment's value, lent until the attribution is freed; NULL for the rows without a
    /// value on the dimension (`kind` `NPS_LEVEL_MISSING`).
    pub segment: *const c_char,
    /// Whether the segment is a value or the missing rows.
    pub kind: nps_level_kind,
    /// Its share of responses (of weight when weighted) in `from`, a fraction.
    pub share_from: f64,
    /// Its share in `to`.
    pub share_to: f64,
    /// Its NPS in `from`; NaN when it had no answers there.
    pub nps_from: f64,
    /// Its NPS in `to`; NaN when it had no answers there.
    pub nps_to: f64,
    /// Mix effect: (share_to - share_from) * (its mean NPS - the mean overall NPS).
    pub mix: f64,
    /// Rate effect: its mean share * (nps_to - nps_from).
    pub rate: f64,
    /// mix + rate: the segment's part of the change.
    pub contribution: f64,
    /// Standard error of the contribution (delta method).
    pub se: f64,
    /// Lower bound of the contribution's interval.
    pub low: f64,
    /// Upper bound of the contribution's interval.
    pub high: f64,
}

/// One decomposition as C reads it.
struct CDecomposition {
    dimension: CString,
    segments: Vec<CLevel>,
}

/// An opaque attribution: the overall change and, per dimension asked, its split into segment
/// contributions (ranked from the one that pulled the NPS up most to the one that pulled it down
/// most). Made by `nps_attribute`, read with the `nps_attribution_*` accessors, freed with
/// `nps_attribution_free`. Strings it lends stay valid until it is freed.
pub struct nps_attribution {
    attribution: Attribution,
    decompositions: Vec<CDecomposition>,
}

impl nps_attribution {
    fn new(attribution: Attribution) -> Result<Self, Failure> {
        let decompositions = (attribution.decompositions.iter())
            .map(|d| {
                Ok(CDecomposition {
                    dimension: c_text(&d.dimension, "a dimension")?,
                    segments: (d.segments.iter())
                        .map(|s| CLevel::of(&s.segment))
                        .collect::<Result<_, Failure>>()?,
                })
            })
            .collect::<Result<_, Failure>>()?;
        Ok(nps_attribution {
            attribution,
            decompositions,
        })
    }

    /// Decomposition `index` of the core result; out of range names the argument `index`.
    fn decomposition(&self, index: usize) -> Result<&Decomposition, Failure> {
        at(
            &self.attribution.decompositions,
            index,
            "index",
            "decompositions",
        )
    }
}

/// Splits the NPS change between the two sides of `split` along each of the `n_dimensions`
/// dimensions named in `dimensions`: per segment a mix effect (its share changed) and a rate
/// effect (its NPS changed), which add up to the overall change exactly, each with a standard
/// error and a `level` interval (e.g. 0.95).
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for an unknown dimension or a `from`/`to` the split's key does
/// not have, `NPS_ERR_UNKNOWN_METHOD` for an unknown unit, `NPS_ERR_INVALID_ARGUMENT` for no
/// dimensions or a split with both or neither of dimension and unit, `NPS_ERR_EMPTY` when a
/// side has no answers, `NPS_ERR_INVALID_LEVEL`. The caller owns `*out`
/// (`nps_attribution_free`).
///
/// # Safety
/// `table` must be a live table; `dimensions` must point to `n_dimensions` pointers to
/// NUL-terminated strings; `split` must point to a readable `nps_split`; `out` must point to a
/// writable `nps_attribution *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribute(
    table: *const nps_table,
    dimensions: *const *const c_char,
    n_dimensions: usize,
    split: *const nps_split,
    level: f64,
    out: *mut *mut nps_attribution,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, dimensions, split) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                str_array(dimensions, n_dimensions, "dimensions")?,
                nps_split::to_core(split)?,
            )
        };
        let attribution = attribute(table, &dimensions, &split, level)?;
        give(out, nps_attribution::new(attribution)?);
        Ok(())
    })
}

/// Frees an attribution. NULL is allowed and does nothing.
///
/// # Safety
/// `attribution` must be NULL or an attribution from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_free(attribution: *mut nps_attribution) {
    // SAFETY: as the caller guarantees.
    unsafe { free(attribution) }
}

/// Stores in `*out` the overall change, NPS(to) - NPS(from), with its Wald test: `nps_a` is
/// the NPS of `to`, `nps_b` that of `from`.
///
/// # Safety
/// `attribution` must be a live attribution; `out` must point to a writable `nps_comparison`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_change(
    attribution: *const nps_attribution,
    out: *mut nps_comparison,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(attribution, "attribution", out, |a| {
            Ok(a.attribution.change.into())
        })
    }
}

/// Stores in `*out` the number of decompositions (one per dimension asked, in that order).
///
/// # Safety
/// `attribution` must be a live attribution; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_len(
    attribution: *const nps_attribution,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(attribution, "attribution", out, |a| {
            Ok(a.decompositions.len())
        })
    }
}

/// Decomposition `index` into `*out` (its dimension, total mix and rate, number of segments).
/// An index out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `attribution` must be a live attribution; `out` must point to a writable
/// `nps_decomposition`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_decomposition(
    attribution: *const nps_attribution,
    index: usize,
    out: *mut nps_decomposition,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(attribution, "attribution", out, |a| {
            let d = a.decomposition(index)?;
            Ok(nps_decomposition {
                dimension: a.decompositions[index].dimension.as_ptr(),
                mix: d.mix,
                rate: d.rate,
                segments: d.segments.len(),
            })
        })
    }
}

/// Segment `segment` of decomposition `index` into `*out`. Segments are ranked by contribution,
/// highest first. An index or segment out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `attribution` must be a live attribution; `out` must point to a writable
/// `nps_segment_effect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_segment(
    attribution: *const nps_attribution,
    index: usize,
    segment: usize,
    out: *mut nps_segment_effect,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(attribution, "attribution", out, |a| {
            let d = a.decomposition(index)?;
            let s = at(&d.segments, segment, "segment", "segments")?;
            let level = &a.decompositions[index].segments[segment];
            Ok(nps_segment_effect {
                segment: level.value(),
                kind: level.kind(),
                share_from: s.share_from,
                share_to: s.share_to,
                nps_from: s.nps_from.unwrap_or(f64::NAN),
                nps_to: s.nps_to.unwrap_or(f64::NAN),
                mix: s.mix,
                rate: s.rate,
                contribution: s.contribution,
                se: s.se,
                low: s.low,
                high: s.high,
            })
        })
    }
}

/// Stores in `*json_out` the whole attribution as JSON text (the split, the change and every
/// decomposition), a new string the caller frees with `nps_string_free`.
///
/// # Safety
/// `attribution` must be a live attribution; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_attribution_to_json(
    attribution: *const nps_attribution,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(attribution, "attribution", json_out, |a| {
            serde_json::to_string(&a.attribution)
        })
    }
}
