//! The correlation pass: weighted means and centred cross-products of the outcome and the
//! drivers, in blocks, mergeable, listwise or pairwise; Spearman through weighted mid-ranks.
//!
//! # Formula
//! For a block of rows with weights wᵢ (rows with a missing value or a zero weight dropped):
//! W = Σwᵢ, x̄ₖ = Σwᵢxᵢₖ/W, Cⱼₖ = Σwᵢ(xᵢⱼ − x̄ⱼ)(xᵢₖ − x̄ₖ) (two passes over the block, so the
//! products are of centred values). Two sets of moments merge exactly by Chan, Golub & LeVeque
//! (1979) / the weighted form of Welford's update: W = Wₐ + W_b, δ = x̄_b − x̄ₐ,
//! x̄ = x̄ₐ + δ·W_b/W, C = Cₐ + C_b + δδᵀ·WₐW_b/W. The correlation is rⱼₖ = Cⱼₖ/√(CⱼⱼCₖₖ).
//!
//! Pairwise deletion keeps these moments per pair of columns over the rows where both are
//! present (what R's `cor(use = "pairwise.complete.obs")` computes); within a block they come
//! from sums of values shifted by the block's column means, converted to centred moments
//! before the merge.

use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use super::{Correlation, Missing};
use crate::tally::check_weights;
use crate::{Error, Result};

/// Rows per block: the centred block (rows × columns) stays in the L2 cache.
const BLOCK: usize = 256;

/// Inputs with fewer rows than this per core are processed on one thread.
const PARALLEL_MIN_ROWS: usize = 1 << 16;

/// A standard deviation at most this times |mean| is a constant column (rounding of the block
/// means leaves ~1e-16·|mean|).
const CONSTANT_TOL: f64 = 1e-10;

/// Moments of all columns over the same rows (listwise deletion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Block {
    /// Rows with a positive weight.
    rows: u64,
    /// Σw.
    weight: f64,
    /// Weighted means.
    mean: Vec<f64>,
    /// Centred cross-products, m × m row-major (symmetric).
    cross: Vec<f64>,
}

impl Block {
    fn empty(m: usize) -> Self {
        Block {
            rows: 0,
            weight: 0.0,
            mean: vec![0.0; m],
            cross: vec![0.0; m * m],
        }
    }

    /// Chan's merge.
    fn merge(&mut self, other: &Block) {
        if other.weight == 0.0 {
            self.rows += other.rows;
            return;
        }
        if self.weight == 0.0 {
            let rows = self.rows;
            self.clone_from(other);
            self.rows += rows;
            return;
        }
        let m = self.mean.len();
        let w = self.weight + other.weight;
        let f = self.weight * other.weight / w;
        let g = other.weight / w;
        let delta: Vec<f64> = other
            .mean
            .iter()
            .zip(&self.mean)
            .map(|(b, a)| b - a)
            .collect();
        for (mean, d) in self.mean.iter_mut().zip(&delta) {
            *mean += d * g;
        }
        for j in 0..m {
            let fd = f * delta[j];
            let row = &mut self.cross[j * m..(j + 1) * m];
            for ((c, o), d) in row.iter_mut().zip(&other.cross[j * m..]).zip(&delta) {
                *c += o + fd * d;
            }
        }
        self.rows += other.rows;
        self.weight = w;
    }
}

/// Moments of two columns over the rows where both are present (pairwise deletion).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Pair {
    rows: u64,
    weight: f64,
    /// Means of the first and second column.
    mean: [f64; 2],
    /// Centred cross-products: aa, bb, ab.
    cross: [f64; 3],
}

impl Pair {
    fn merge(&mut self, o: &Pair) {
        if o.weight == 0.0 {
            self.rows += o.rows;
            return;
        }
        if self.weight == 0.0 {
            let rows = self.rows;
            *self = *o;
            self.rows += rows;
            return;
        }
        let w = self.weight + o.weight;
        let f = self.weight * o.weight / w;
        let (da, db) = (o.mean[0] - self.mean[0], o.mean[1] - self.mean[1]);
        self.mean[0] += da * o.weight / w;
        self.mean[1] += db * o.weight / w;
        self.cross[0] += o.cross[0] + f * da * da;
        self.cross[1] += o.cross[1] + f * db * db;
        self.cross[2] += o.cross[2] + f * da * db;
        self.rows += o.rows;
        self.weight = w;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Listwise(Block),
    /// Upper triangle j ≤ k, row by row.
    Pairwise(Vec<Pair>),
}

/// The mergeable sufficient statistic of a driver analysis: Σw, weighted means and centred
/// cross-products of the outcome (first column) and the drivers, over complete rows
/// (listwise) or per pair of columns (pairwise).
///
/// Moments of parts of the data merge ([`DriverMoments::merge`], `+`) into the moments of the
/// whole, so a map-reduce over partitions gives the single-machine correlation matrix up to
/// floating-point rounding. Spearman correlations need the ranks of the whole data and are not
/// mergeable: they are computed by [`correlate`](super::correlate).
///
/// # Examples
/// ```
/// use nps_core::{DriverMoments, Missing};
/// let y = [9.0, 7.0, 10.0, 3.0, 8.0, 6.0];
/// let x = [5.0, 4.0, 5.0, 1.0, 4.0, 2.0];
/// let cols = [("score", &y[..]), ("ease", &x[..])];
/// let whole = DriverMoments::from_columns(&cols, None, Missing::Listwise)?;
/// let head = [("score", &y[..3]), ("ease", &x[..3])];
/// let tail = [("score", &y[3..]), ("ease", &x[3..])];
/// let merged = DriverMoments::from_columns(&head, None, Missing::Listwise)?
///     + DriverMoments::from_columns(&tail, None, Missing::Listwise)?;
/// let (a, b) = (whole.correlation()?, merged.correlation()?);
/// assert!((a.get(0, 1) - b.get(0, 1)).abs() < 1e-12);
/// assert!((a.get(0, 1) - 0.955779).abs() < 1e-6);
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MomentsFields")]
pub struct DriverMoments {
    names: Vec<String>,
    kind: Kind,
}

/// The serialized form of [`DriverMoments`], checked on the way in.
#[derive(Deserialize)]
struct MomentsFields {
    names: Vec<String>,
    kind: Kind,
}

impl TryFrom<MomentsFields> for DriverMoments {
    type Error = Error;
    /// Checks that the moments fit their columns: at least two, one mean per column and a
    /// square cross-product matrix (listwise), one pair per pair of columns (pairwise), finite
    /// non-negative weights.
    fn try_from(f: MomentsFields) -> Result<Self> {
        let m = f.names.len();
        let fits = m >= 2
            && match &f.kind {
                Kind::Listwise(b) => {
                    b.mean.len() == m
                        && b.cross.len() == m * m
                        && b.weight.is_finite()
                        && b.weight >= 0.0
                }
                Kind::Pairwise(pairs) => {
                    pairs.len() == m * (m + 1) / 2
                        && pairs
                            .iter()
                            .all(|p| p.weight.is_finite() && p.weight >= 0.0)
                }
            };
        if !fits {
            return Err(Error::InvalidArgument {
                field: "driver moments",
                value: format!("{m} columns"),
                expected: "moments as serialized by nps (two columns or more, matching sizes)",
            });
        }
        Ok(DriverMoments {
            names: f.names,
            kind: f.kind,
        })
    }
}

impl DriverMoments {
    /// Moments of `columns` (the outcome first, then the drivers; NaN = missing) with optional
    /// weights. Rows with a zero weight are left out.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for fewer than two columns; [`Error::LengthMismatch`];
    /// [`Error::InvalidWeight`] naming the first bad weight; [`Error::InvalidArgument`] for an
    /// infinite value (naming column and row).
    pub fn from_columns(
        columns: &[(&str, &[f64])],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<Self> {
        check_columns(columns, weights)?;
        let cols: Vec<&[f64]> = columns.iter().map(|c| c.1).collect();
        let names = columns.iter().map(|c| c.0.to_owned()).collect();
        Ok(Self::compute(names, &cols, weights, missing, 0))
    }

    /// Moments of validated columns; `threads` 0 = as many as the input deserves.
    pub(crate) fn compute(
        names: Vec<String>,
        cols: &[&[f64]],
        weights: Option<&[f64]>,
        missing: Missing,
        threads: usize,
    ) -> Self {
        let len = cols.first().map_or(0, |c| c.len());
        let m = cols.len();
        let kind = match missing {
            Missing::Listwise => Kind::Listwise(in_parts(
                len,
                threads,
                Block::empty(m),
                |a, b| listwise_range(cols, weights, a, b),
                |acc, part| acc.merge(&part),
            )),
            Missing::Pairwise => Kind::Pairwise(in_parts(
                len,
                threads,
                vec![Pair::default(); m * (m + 1) / 2],
                |a, b| pairwise_range(cols, weights, a, b),
                |acc, part| acc.iter_mut().zip(&part).for_each(|(x, y)| x.merge(y)),
            )),
        };
        DriverMoments { names, kind }
    }

    /// The column names: the outcome, then the drivers.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How missing ratings are handled.
    pub fn missing(&self) -> Missing {
        match self.kind {
            Kind::Listwise(_) => Missing::Listwise,
            Kind::Pairwise(_) => Missing::Pairwise,
        }
    }

    /// Rows used: the complete rows (listwise), or the fewest rows any pair of columns shares
    /// (pairwise). Rows with zero weight are not counted.
    pub fn rows(&self) -> u64 {
        match &self.kind {
            Kind::Listwise(b) => b.rows,
            Kind::Pairwise(pairs) => pairs.iter().map(|p| p.rows).min().unwrap_or(0),
        }
    }

    /// Adds the moments of other rows of the same columns.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the columns or the missing-value handling differ.
    pub fn merge(&mut self, other: &DriverMoments) -> Result<()> {
        if self.names != other.names || self.missing() != other.missing() {
            return Err(Error::InvalidArgument {
                field: "driver moments",
                value: format!(
                    "{:?} ({}) merged with {:?} ({})",
                    self.names,
                    self.missing(),
                    other.names,
                    other.missing()
                ),
                expected: "moments merge only over the same columns and missing handling",
            });
        }
        match (&mut self.kind, &other.kind) {
            (Kind::Listwise(a), Kind::Listwise(b)) => a.merge(b),
            (Kind::Pairwise(a), Kind::Pairwise(b)) => {
                a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y));
            }
            _ => unreachable!("missing handling compared above"),
        }
        Ok(())
    }

    /// The correlation matrix (outcome first, then the drivers).
    ///
    /// # Errors
    /// [`Error::TooFewRows`] with fewer rows than drivers + 2; [`Error::InvalidDriver`] for a driver
    /// that is constant over the rows used (or, pairwise, never rated together with another);
    /// [`Error::InvalidArgument`] for a constant outcome.
    pub fn correlation(&self) -> Result<Correlation> {
        let m = self.names.len();
        let needed = m as u64 + 1;
        let rows = self.rows();
        match &self.kind {
            Kind::Listwise(b) => {
                if rows < needed {
                    return Err(Error::TooFewRows {
                        drivers: self.names[1..].to_vec(),
                        needed,
                        n: rows,
                    });
                }
                for k in 0..m {
                    self.check_spread(k, None, b.cross[k * m + k], b.weight, b.mean[k], b.rows)?;
                }
                let sd: Vec<f64> = (0..m).map(|k| b.cross[k * m + k].sqrt()).collect();
                let mut matrix = vec![0.0; m * m];
                for j in 0..m {
                    for k in 0..m {
                        matrix[j * m + k] = if j == k {
                            1.0
                        } else {
                            (b.cross[j * m + k] / (sd[j] * sd[k])).clamp(-1.0, 1.0)
                        };
                    }
                }
                Ok(Correlation {
                    names: self.names.clone(),
                    matrix,
                    n: rows,
                    missing: Missing::Listwise,
                    spearman: false,
                })
            }
            Kind::Pairwise(pairs) => {
                let mut matrix = vec![0.0; m * m];
                let mut at = 0;
                for j in 0..m {
                    for k in j..m {
                        let p = &pairs[at];
                        at += 1;
                        if p.rows < needed {
                            if p.rows == 0 && j != k {
                                return Err(self.never_together(j, k));
                            }
                            // Pairwise: the pair's columns (the outcome is column 0) lack rows.
                            let mut pair = vec![self.names[j].clone()];
                            if j != k {
                                pair.push(self.names[k].clone());
                            }
                            return Err(Error::TooFewRows {
                                drivers: pair,
                                needed,
                                n: p.rows,
                            });
                        }
                        let other = (j != k).then_some(k);
                        self.check_spread(j, other, p.cross[0], p.weight, p.mean[0], p.rows)?;
                        self.check_spread(k, Some(j), p.cross[1], p.weight, p.mean[1], p.rows)?;
                        let r = if j == k {
                            1.0
                        } else {
                            (p.cross[2] / (p.cross[0] * p.cross[1]).sqrt()).clamp(-1.0, 1.0)
                        };
                        matrix[j * m + k] = r;
                        matrix[k * m + j] = r;
                    }
                }
                Ok(Correlation {
                    names: self.names.clone(),
                    matrix,
                    n: rows,
                    missing: Missing::Pairwise,
                    spearman: false,
                })
            }
        }
    }

    /// The error for a pair of columns with no row in common.
    fn never_together(&self, j: usize, k: usize) -> Error {
        let (a, b) = if j == 0 { (k, j) } else { (j, k) };
        Error::InvalidDriver {
            driver: self.names[a].clone(),
            problem: format!("is never rated together with {:?}", self.names[b]),
        }
    }

    /// Checks that column `k` varies over the rows used (those where `other` is present too,
    /// pairwise).
    fn check_spread(
        &self,
        k: usize,
        other: Option<usize>,
        cross: f64,
        weight: f64,
        mean: f64,
        rows: u64,
    ) -> Result<()> {
        let sd = (cross.max(0.0) / weight).sqrt();
        if sd > CONSTANT_TOL * mean.abs() && sd > 0.0 {
            return Ok(());
        }
        let shown = (mean * 1e9).round() / 1e9;
        let scope = match other {
            Some(o) => format!(
                " on the {rows} rows where {:?} is also present",
                self.names[o]
            ),
            None => String::new(),
        };
        if k == 0 {
            return Err(Error::InvalidArgument {
                field: "outcome",
                value: format!("constant ({shown}){scope} over the {rows} rows used"),
                expected: "an outcome that varies over the rows used (a promoter or detractor indicator needs both kinds of respondent)",
            });
        }
        Err(Error::InvalidDriver {
            driver: self.names[k].clone(),
            problem: format!("is constant{scope}: every rating used is {shown}"),
        })
    }
}

impl AddAssign<&DriverMoments> for DriverMoments {
    /// # Panics
    /// When the columns or missing handling differ; use [`DriverMoments::merge`] for an error.
    fn add_assign(&mut self, rhs: &DriverMoments) {
        self.merge(rhs).expect("moments over the same columns");
    }
}

impl Add for DriverMoments {
    type Output = DriverMoments;
    /// # Panics
    /// When the columns or missing handling differ; use [`DriverMoments::merge`] for an error.
    fn add(mut self, rhs: DriverMoments) -> DriverMoments {
        self += &rhs;
        self
    }
}

/// Validates the shape and values of columns and weights.
pub(crate) fn check_columns(columns: &[(&str, &[f64])], weights: Option<&[f64]>) -> Result<()> {
    if columns.len() < 2 {
        return Err(Error::InvalidArgument {
            field: "driver columns",
            value: format!("{} column(s)", columns.len()),
            expected: "the outcome and at least one driver",
        });
    }
    let (first, len) = (columns[0].0, columns[0].1.len());
    for (name, col) in &columns[1..] {
        if col.len() != len {
            return Err(Error::LengthMismatch {
                field: (*name).to_owned(),
                found: col.len(),
                other: first.to_owned(),
                expected: len,
            });
        }
    }
    for (name, col) in columns {
        // A branch-free scan first (it vectorizes); the position only when there is one.
        let any = col.iter().fold(false, |acc, x| acc | x.is_infinite());
        if let Some(i) = col.iter().position(|x| any && x.is_infinite()) {
            return Err(Error::InvalidArgument {
                field: "driver analysis value",
                value: format!("{} at index {i} of {name:?}", col[i]),
                expected: "values are finite numbers (NaN = missing)",
            });
        }
    }
    if let Some(w) = weights {
        if w.len() != len {
            return Err(Error::LengthMismatch {
                field: "weights".into(),
                found: w.len(),
                other: first.to_owned(),
                expected: len,
            });
        }
        check_weights(w)?;
    }
    Ok(())
}

/// Runs `part` over contiguous ranges of `0..len` (one per thread when the input is large; a
/// multiple of the block size) and merges the results in order.
fn in_parts<T: Send>(
    len: usize,
    threads: usize,
    empty: T,
    part: impl Fn(usize, usize) -> T + Sync,
    merge: impl Fn(&mut T, T),
) -> T {
    let cores = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    let parts = cores.min(len / PARALLEL_MIN_ROWS).max(1);
    let mut acc = empty;
    if parts == 1 {
        merge(&mut acc, part(0, len));
        return acc;
    }
    let blocks = len.div_ceil(BLOCK);
    let bounds: Vec<usize> = (0..=parts)
        .map(|k| (k * blocks / parts * BLOCK).min(len))
        .collect();
    let results: Vec<T> = std::thread::scope(|scope| {
        let part = &part;
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| scope.spawn(move || part(w[0], w[1])))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a moments pass does not panic"))
            .collect()
    });
    for r in results {
        merge(&mut acc, r);
    }
    acc
}

/// Listwise moments of rows `start..end`.
fn listwise_range(cols: &[&[f64]], weights: Option<&[f64]>, start: usize, end: usize) -> Block {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        return unsafe { listwise_range_avx2(cols, weights, start, end) };
    }
    listwise_range_portable(cols, weights, start, end)
}

/// [`listwise_range_portable`] compiled for AVX2 and FMA.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn listwise_range_avx2(
    cols: &[&[f64]],
    weights: Option<&[f64]>,
    start: usize,
    end: usize,
) -> Block {
    listwise_range_portable(cols, weights, start, end)
}

/// Each block of rows is copied (one pass over the source), checked for missing values in
/// the cache, compacted in place when a row is incomplete, then centred and multiplied.
#[inline(always)]
fn listwise_range_portable(
    cols: &[&[f64]],
    weights: Option<&[f64]>,
    start: usize,
    end: usize,
) -> Block {
    let m = cols.len();
    let mut acc = Block::empty(m);
    let mut x = vec![0.0; BLOCK * m];
    let mut wx = vec![0.0; if weights.is_some() { BLOCK * m } else { 0 }];
    let mut w = vec![0.0; BLOCK];
    let mut keep = [0u8; BLOCK];
    let mut idx = Vec::with_capacity(BLOCK);
    let mut lo = start;
    while lo < end {
        let hi = (lo + BLOCK).min(end);
        let b = hi - lo;
        let keep = &mut keep[..b];
        match weights {
            Some(ws) => {
                w[..b].copy_from_slice(&ws[lo..hi]);
                keep.iter_mut()
                    .zip(&w[..b])
                    .for_each(|(k, &w)| *k = u8::from(w > 0.0));
            }
            None => keep.fill(1),
        }
        for (k, col) in cols.iter().enumerate() {
            let dst = &mut x[k * b..(k + 1) * b];
            dst.copy_from_slice(&col[lo..hi]);
            for (k, v) in keep.iter_mut().zip(&*dst) {
                *k &= u8::from(!v.is_nan());
            }
        }
        let complete = keep.iter().map(|&k| usize::from(k)).sum::<usize>();
        let r = if complete == b {
            b
        } else {
            idx.clear();
            idx.extend(
                keep.iter()
                    .enumerate()
                    .filter(|(_, k)| **k == 1)
                    .map(|(i, _)| i),
            );
            // In-place compaction from stride b to stride r: every write lands at or before
            // the position it reads from, and after every read it depends on.
            for k in 0..m {
                for (t, &i) in idx.iter().enumerate() {
                    x[k * complete + t] = x[k * b + i];
                }
            }
            for (t, &i) in idx.iter().enumerate() {
                w[t] = w[i];
            }
            complete
        };
        if r > 0 {
            let bw = weights.map(|_| &w[..r]);
            acc.merge(&block_moments(&mut x[..r * m], r, m, bw, &mut wx));
        }
        lo = hi;
    }
    acc
}

/// Moments of one dense block (`x` column-major, `r` rows × `m` columns), centred in place.
#[inline(always)]
fn block_moments(x: &mut [f64], r: usize, m: usize, w: Option<&[f64]>, wx: &mut [f64]) -> Block {
    let weight = w.map_or(r as f64, sum);
    let mut mean = vec![0.0; m];
    for (k, mk) in mean.iter_mut().enumerate() {
        let col = &mut x[k * r..(k + 1) * r];
        let s = match w {
            Some(w) => dot(w, col),
            None => sum(col),
        };
        *mk = s / weight;
        col.iter_mut().for_each(|v| *v -= *mk);
        if let Some(w) = w {
            for ((d, v), w) in wx[k * r..(k + 1) * r].iter_mut().zip(&*col).zip(w) {
                *d = v * w;
            }
        }
    }
    let mut cross = vec![0.0; m * m];
    let x = &*x;
    let left: &[f64] = if w.is_some() { wx } else { x };
    for j in 0..m {
        let a = &left[j * r..(j + 1) * r];
        for k in j..m {
            let c = dot(a, &x[k * r..(k + 1) * r]);
            cross[j * m + k] = c;
            cross[k * m + j] = c;
        }
    }
    Block {
        rows: r as u64,
        weight,
        mean,
        cross,
    }
}

/// Pairwise moments of rows `start..end`.
fn pairwise_range(cols: &[&[f64]], weights: Option<&[f64]>, start: usize, end: usize) -> Vec<Pair> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        return unsafe { pairwise_range_avx2(cols, weights, start, end) };
    }
    pairwise_range_portable(cols, weights, start, end)
}

/// [`pairwise_range_portable`] compiled for AVX2 and FMA.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn pairwise_range_avx2(
    cols: &[&[f64]],
    weights: Option<&[f64]>,
    start: usize,
    end: usize,
) -> Vec<Pair> {
    pairwise_range_portable(cols, weights, start, end)
}

/// Per block: indicators, shifted values and their squares per column, then six products
/// per pair of columns.
#[inline(always)]
fn pairwise_range_portable(
    cols: &[&[f64]],
    weights: Option<&[f64]>,
    start: usize,
    end: usize,
) -> Vec<Pair> {
    let m = cols.len();
    let mut acc = vec![Pair::default(); m * (m + 1) / 2];
    // Per column: present (0/1), w·present, shifted value z (0 where missing), z², w·z.
    let mut present = vec![0.0; BLOCK * m];
    let mut wp = vec![0.0; BLOCK * m];
    let mut z = vec![0.0; BLOCK * m];
    let mut z2 = vec![0.0; BLOCK * m];
    let mut wz = vec![0.0; BLOCK * m];
    let mut shift = vec![0.0; m];
    let mut dense = vec![0.0; BLOCK * m];
    let mut dense_w = vec![0.0; if weights.is_some() { BLOCK * m } else { 0 }];
    let mut lo = start;
    while lo < end {
        let hi = (lo + BLOCK).min(end);
        let b = hi - lo;
        // A block with every value present and positive weights: the pairs' moments are the
        // listwise block's, at a sixth of the cost.
        let complete = weights.is_none_or(|w| w[lo..hi].iter().all(|&w| w > 0.0))
            && cols
                .iter()
                .all(|c| !c[lo..hi].iter().fold(false, |acc, v| acc | v.is_nan()));
        if complete {
            for (k, col) in cols.iter().enumerate() {
                dense[k * b..(k + 1) * b].copy_from_slice(&col[lo..hi]);
            }
            let bw = weights.map(|w| &w[lo..hi]);
            let block = block_moments(&mut dense[..b * m], b, m, bw, &mut dense_w);
            let mut at = 0;
            for j in 0..m {
                for k in j..m {
                    acc[at].merge(&Pair {
                        rows: block.rows,
                        weight: block.weight,
                        mean: [block.mean[j], block.mean[k]],
                        cross: [
                            block.cross[j * m + j],
                            block.cross[k * m + k],
                            block.cross[j * m + k],
                        ],
                    });
                    at += 1;
                }
            }
            lo = hi;
            continue;
        }
        for (k, col) in cols.iter().enumerate() {
            let span = k * b..(k + 1) * b;
            let (p, q, zk) = (
                &mut present[span.clone()],
                &mut wp[span.clone()],
                &mut z[span.clone()],
            );
            for i in 0..b {
                let v = col[lo + i];
                let wi = weights.map_or(1.0, |w| w[lo + i]);
                let ok = !v.is_nan() && wi > 0.0;
                p[i] = if ok { 1.0 } else { 0.0 };
                q[i] = if ok { wi } else { 0.0 };
                zk[i] = if ok { v } else { 0.0 };
            }
            let sw: f64 = q.iter().sum();
            let s = if sw > 0.0 { dot(q, zk) / sw } else { 0.0 };
            shift[k] = s;
            for i in 0..b {
                zk[i] = if p[i] > 0.0 { zk[i] - s } else { 0.0 };
            }
            for ((d2, dw), (&v, &qi)) in z2[span.clone()]
                .iter_mut()
                .zip(&mut wz[span.clone()])
                .zip(zk.iter().zip(q.iter()))
            {
                *d2 = v * v;
                *dw = v * qi;
            }
        }
        fn col(buf: &[f64], k: usize, b: usize) -> &[f64] {
            &buf[k * b..(k + 1) * b]
        }
        let mut at = 0;
        for j in 0..m {
            for k in j..m {
                let rows = dot(col(&present, j, b), col(&present, k, b));
                if rows > 0.0 {
                    let w = dot(col(&wp, j, b), col(&present, k, b));
                    let sj = dot(col(&wp, k, b), col(&z, j, b));
                    let sk = dot(col(&wp, j, b), col(&z, k, b));
                    let qj = dot(col(&wp, k, b), col(&z2, j, b));
                    let qk = dot(col(&wp, j, b), col(&z2, k, b));
                    let pjk = dot(col(&wz, j, b), col(&z, k, b));
                    let part = Pair {
                        rows: rows as u64,
                        weight: w,
                        mean: [shift[j] + sj / w, shift[k] + sk / w],
                        cross: [
                            (qj - sj * sj / w).max(0.0),
                            (qk - sk * sk / w).max(0.0),
                            pjk - sj * sk / w,
                        ],
                    };
                    acc[at].merge(&part);
                }
                at += 1;
            }
        }
        lo = hi;
    }
    acc
}

/// Σ aᵢ with eight independent accumulators.
#[inline(always)]
fn sum(a: &[f64]) -> f64 {
    let (chunks, rest) = a.as_chunks::<8>();
    let mut acc = [0.0f64; 8];
    for x in chunks {
        for l in 0..8 {
            acc[l] += x[l];
        }
    }
    let tail: f64 = rest.iter().sum();
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// Σ aᵢbᵢ with eight independent accumulators (vectorizes without reassociation flags).
#[inline(always)]
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (ca, ra) = a.as_chunks::<8>();
    let (cb, rb) = b.as_chunks::<8>();
    let mut acc = [0.0f64; 8];
    for (x, y) in ca.iter().zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// At most this many distinct values are ranked by counting (ratings and scores have 5–11);
/// more are sorted.
const MAX_LEVELS: usize = 64;

/// How a column is ranked, prepared once so that each (bootstrap) reweighting ranks in O(n).
///
/// Ranks are weighted mid-ranks over the rows that take part: a tie group of total weight g
/// that follows total weight c below it gets rank c + g/2. With unit weights that is the usual
/// average rank minus ½ (a shift, which leaves correlations unchanged); with whole-number
/// weights it is the average rank in the data where row i is repeated wᵢ times, so a bootstrap
/// resample ranks as its expanded rows would.
pub(crate) enum Ranking {
    /// Few distinct values: each row's level (index into the sorted distinct values), or
    /// `u32::MAX` for a row that takes no part.
    Levels { count: usize, codes: Vec<u32> },
    /// The rows that take part, sorted by value.
    Sorted(Vec<u32>),
}

impl Ranking {
    /// The ranking of `values` over the rows where `include` holds (NaN rows never take part).
    pub(crate) fn new(values: &[f64], include: impl Fn(usize) -> bool) -> Self {
        let taking_part = |i: usize| include(i) && !values[i].is_nan();
        let find = |levels: &[f64], v: f64| {
            levels.binary_search_by(|l| l.partial_cmp(&v).expect("no NaN level"))
        };
        let mut levels: Vec<f64> = Vec::new();
        let mut few = true;
        for (i, &v) in values.iter().enumerate() {
            if taking_part(i)
                && let Err(at) = find(&levels, v)
            {
                if levels.len() == MAX_LEVELS {
                    few = false;
                    break;
                }
                levels.insert(at, v);
            }
        }
        if few {
            let codes = (0..values.len())
                .map(|i| {
                    if taking_part(i) {
                        find(&levels, values[i]).expect("every value is a level") as u32
                    } else {
                        u32::MAX
                    }
                })
                .collect();
            return Ranking::Levels {
                count: levels.len(),
                codes,
            };
        }
        let mut order: Vec<u32> = (0..values.len())
            .filter(|&i| taking_part(i))
            .map(|i| i as u32)
            .collect();
        order.sort_unstable_by(|&a, &b| values[a as usize].total_cmp(&values[b as usize]));
        Ranking::Sorted(order)
    }

    /// The weighted mid-ranks of `values` (NaN for rows that take no part) into `out`.
    pub(crate) fn ranks(&self, values: &[f64], weights: Option<&[f64]>, out: &mut Vec<f64>) {
        out.clear();
        out.resize(values.len(), f64::NAN);
        let w = |i: usize| weights.map_or(1.0, |w| w[i]);
        match self {
            Ranking::Levels { count, codes } => {
                let mut mass = vec![0.0; *count];
                for (i, &c) in codes.iter().enumerate() {
                    if c != u32::MAX {
                        mass[c as usize] += w(i);
                    }
                }
                let mut below = 0.0;
                for g in &mut mass {
                    let rank = below + *g / 2.0;
                    below += *g;
                    *g = rank;
                }
                for (o, &c) in out.iter_mut().zip(codes) {
                    if c != u32::MAX {
                        *o = mass[c as usize];
                    }
                }
            }
            Ranking::Sorted(order) => {
                let mut below = 0.0;
                let mut t = 0;
                while t < order.len() {
                    let v = values[order[t] as usize];
                    let mut e = t;
                    let mut g = 0.0;
                    while e < order.len() && values[order[e] as usize] == v {
                        g += w(order[e] as usize);
                        e += 1;
                    }
                    let rank = below + g / 2.0;
                    for &i in &order[t..e] {
                        out[i as usize] = rank;
                    }
                    below += g;
                    t = e;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook two-pass weighted moments.
    fn naive(cols: &[&[f64]], w: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let m = cols.len();
        let rows: Vec<usize> = (0..w.len())
            .filter(|&i| w[i] > 0.0 && cols.iter().all(|c| !c[i].is_nan()))
            .collect();
        let sw: f64 = rows.iter().map(|&i| w[i]).sum();
        let mean: Vec<f64> = cols
            .iter()
            .map(|c| rows.iter().map(|&i| w[i] * c[i]).sum::<f64>() / sw)
            .collect();
        let mut cross = vec![0.0; m * m];
        for j in 0..m {
            for k in 0..m {
                cross[j * m + k] = rows
                    .iter()
                    .map(|&i| w[i] * (cols[j][i] - mean[j]) * (cols[k][i] - mean[k]))
                    .sum();
            }
        }
        (sw, mean, cross)
    }

    fn data(n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let mut s = 12345u64;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 10_000) as f64 / 1000.0
        };
        let cols: Vec<Vec<f64>> = (0..4)
            .map(|k| {
                (0..n)
                    .map(|i| {
                        let v = next();
                        if (i + k) % 11 == 0 { f64::NAN } else { 1e6 + v }
                    })
                    .collect()
            })
            .collect();
        let w = (0..n)
            .map(|i| if i % 7 == 0 { 0.0 } else { next() })
            .collect();
        (cols, w)
    }

    #[test]
    fn blocked_listwise_matches_two_pass() {
        let (cols, w) = data(1000);
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let names = (0..4).map(|k| k.to_string()).collect();
        let got = DriverMoments::compute(names, &refs, Some(&w), Missing::Listwise, 1);
        let Kind::Listwise(b) = got.kind else {
            panic!()
        };
        let (sw, mean, cross) = naive(&refs, &w);
        assert!((b.weight - sw).abs() < 1e-9 * sw);
        for (got, want) in b.mean.iter().zip(&mean) {
            assert!((got - want).abs() < 1e-12 * want, "{got} {want}");
        }
        for (a, e) in b.cross.iter().zip(&cross) {
            assert!((a - e).abs() < 1e-9 * e.abs().max(1.0), "{a} {e}");
        }
    }

    #[test]
    fn pairwise_pairs_match_two_pass() {
        let (cols, w) = data(900);
        // The same with values missing in the first block only (the others take the dense
        // path), and unweighted.
        let mut later = cols.clone();
        for (k, col) in later.iter_mut().enumerate() {
            for (i, v) in col.iter_mut().enumerate() {
                if v.is_nan() && i >= BLOCK {
                    *v = 1e6 + (i % 7) as f64 + k as f64;
                }
            }
        }
        let unit = vec![1.0; 900];
        for (cols, w, weighted) in [
            (&cols, &w, true),
            (&later, &w, true),
            (&later, &unit, false),
        ] {
            let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            let names = (0..4).map(|k| k.to_string()).collect();
            let given = weighted.then_some(&w[..]);
            let got = DriverMoments::compute(names, &refs, given, Missing::Pairwise, 1);
            let Kind::Pairwise(pairs) = got.kind else {
                panic!()
            };
            let mut at = 0;
            for j in 0..4 {
                for k in j..4 {
                    let (sw, mean, cross) = naive(&[refs[j], refs[k]], w);
                    let p = pairs[at];
                    at += 1;
                    assert!((p.weight - sw).abs() < 1e-9 * sw);
                    assert!((p.mean[0] - mean[0]).abs() < 1e-12 * mean[0]);
                    assert!((p.mean[1] - mean[1]).abs() < 1e-12 * mean[1]);
                    assert!((p.cross[0] - cross[0]).abs() < 1e-8 * cross[0]);
                    assert!((p.cross[1] - cross[3]).abs() < 1e-8 * cross[3]);
                    assert!((p.cross[2] - cross[1]).abs() < 1e-8 * cross[0]);
                }
            }
        }
    }

    #[test]
    fn mid_ranks_average_ties() {
        let v = [3.0, 1.0, f64::NAN, 3.0, 2.0];
        // Counting (few levels) and sorting (many) rank alike.
        let many: Vec<f64> = (0..200).map(|i| f64::from(i % 100)).collect();
        for (values, expect_levels) in [(&v[..], true), (&many[..], false)] {
            let ranking = Ranking::new(values, |_| true);
            assert_eq!(matches!(ranking, Ranking::Levels { .. }), expect_levels);
            let mut r = Vec::new();
            ranking.ranks(values, None, &mut r);
            for (i, &x) in values.iter().enumerate() {
                if x.is_nan() {
                    assert!(r[i].is_nan());
                    continue;
                }
                let below = values.iter().filter(|&&u| u < x).count() as f64;
                let ties = values.iter().filter(|&&u| u == x).count() as f64;
                assert_eq!(r[i], below + ties / 2.0);
            }
        }
        // Whole-number weights rank like repeated rows: 1 (×2), 2, 3 (×2) → 1.5, 3, 4.5 (−½).
        let w = [1.0, 2.0, 0.0, 1.0, 1.0];
        let mut r = Vec::new();
        Ranking::new(&v, |_| true).ranks(&v, Some(&w), &mut r);
        assert_eq!((r[1], r[4], r[0]), (1.0, 2.5, 4.0));
        let mut order: Vec<u32> = vec![1, 4, 0, 3];
        order.sort_unstable();
        order.sort_unstable_by(|&a, &b| v[a as usize].total_cmp(&v[b as usize]));
        Ranking::Sorted(order).ranks(&v, Some(&w), &mut r);
        assert_eq!((r[1], r[4], r[0]), (1.0, 2.5, 4.0));
    }
}
