//! The tally: the sufficient statistic of a set of recommend answers.
//!
//! Every NPS, share, standard error, interval and test in this crate is a function of a
//! [`Tally`], never of the rows. Tallies merge exactly (`+`, `+=`, [`Sum`](std::iter::Sum)), so a
//! map-reduce over partitions gives the single-machine answer bit for bit (the weight sums up to
//! floating-point addition order).

use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use crate::count::{CODES, count_bytes};
use crate::interval::{self, Estimate, Method};
use crate::scale::{BINS, Category, Scale};
use crate::{Error, Result, level};

/// Σw and Σw² per category (indexed by `Category as usize`: detractor, passive, promoter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WeightSums {
    /// Σw per category.
    pub sum_w: [f64; 3],
    /// Σw² per category.
    pub sum_w2: [f64; 3],
}

impl WeightSums {
    /// Per-category sums from sums per score code (`sum_w[code]`, `sum_w2[code]`).
    fn by_category(scale: Scale, sum_w: &[f64], sum_w2: &[f64]) -> WeightSums {
        let mut sums = WeightSums::default();
        for code in scale.min()..=scale.max() {
            let c = scale.category(code) as usize;
            sums.sum_w[c] += sum_w[usize::from(code)];
            sums.sum_w2[c] += sum_w2[usize::from(code)];
        }
        sums
    }
}

/// Shares of the three categories, as fractions that sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    /// Share of promoters (推荐者).
    pub promoters: f64,
    /// Share of passives (被动者).
    pub passives: f64,
    /// Share of detractors (贬损者).
    pub detractors: f64,
}

impl Shares {
    /// NPS on the [−1, 1] scale: pP − pD.
    pub fn difference(&self) -> f64 {
        self.promoters - self.detractors
    }

    /// Variance of one response's −1/0/+1 code: pP + pD − (pP − pD)².
    pub fn unit_variance(&self) -> f64 {
        (self.promoters + self.detractors - self.difference().powi(2)).max(0.0)
    }
}

/// The sufficient statistic of a set of responses on one [`Scale`].
///
/// Unweighted: the count of each score 0..=10 and the number of missing answers.
/// Weighted: also Σw and Σw² per category ([`WeightSums`]); merging a weighted with an unweighted
/// tally treats the unweighted responses as having unit weights.
///
/// # Examples
/// ```
/// use nps_core::Tally;
/// let t = Tally::from_scores(&[10u8, 9, 8, 7, 3, 10])?;
/// assert_eq!(t.n(), 6);
/// assert!((t.nps()? - 100.0 * (3.0 - 1.0) / 6.0).abs() < 1e-12);
///
/// // Tallies merge exactly.
/// let more = Tally::from_scores(&[f64::NAN, 0.0, 10.0])?;
/// let all = t + more;
/// assert_eq!((all.n(), all.missing()), (8, 1));
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TallyFields")]
pub struct Tally {
    scale: Scale,
    counts: [u64; BINS],
    missing: u64,
    weights: Option<WeightSums>,
}

/// The serialized form of a [`Tally`], validated on the way in (a tally read from JSON or a
/// pickle obeys the same rules as one built from scores).
#[derive(Deserialize)]
struct TallyFields {
    scale: Scale,
    counts: [u64; BINS],
    missing: u64,
    weights: Option<WeightSums>,
}

impl TryFrom<TallyFields> for Tally {
    type Error = Error;
    fn try_from(f: TallyFields) -> Result<Self> {
        let mut t = Tally::from_counts(f.scale, f.counts)?;
        t.missing = f.missing;
        if let Some(sums) = f.weights {
            let counts = t.category_counts();
            for ((&w, &w2), &count) in sums.sum_w.iter().zip(&sums.sum_w2).zip(&counts) {
                let valid = w.is_finite() && w2.is_finite() && w >= 0.0 && w2 >= 0.0;
                if !valid || (count == 0 && (w > 0.0 || w2 > 0.0)) {
                    return Err(Error::InvalidArgument {
                        field: "weights",
                        value: format!("Σw {w}, Σw² {w2} for {count} responses"),
                        expected: "weight sums are finite, non-negative, and zero for an empty category",
                    });
                }
            }
            t.weights = Some(sums);
        }
        Ok(t)
    }
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new(Scale::STANDARD)
    }
}

/// A value that can be read as a recommend score: the integer types, and the float types where
/// NaN means "not answered".
pub trait ScoreValue: Copy + Send + Sync + sealed::Sealed {
    /// The score as a byte on the 0..=10 grid, [`MISSING`] for NaN, [`INVALID`] otherwise.
    #[doc(hidden)]
    fn to_code(self) -> u8;
    /// The value as f64, for error messages.
    #[doc(hidden)]
    fn as_f64(self) -> f64;
    /// Whether the type can hold a missing answer (NaN).
    #[doc(hidden)]
    const MAY_BE_MISSING: bool = false;
    /// The scores themselves when they already are bytes (no conversion pass needed).
    #[doc(hidden)]
    fn as_bytes(scores: &[Self]) -> Option<&[u8]> {
        let _ = scores;
        None
    }
}

/// Code of a missing answer in the byte buffer the tally counts: the first code after the
/// scores, so the counting kernel counts it with them.
#[doc(hidden)]
pub const MISSING: u8 = BINS as u8;
/// Code of a value that is not a score.
#[doc(hidden)]
pub const INVALID: u8 = 0xFF;

mod sealed {
    pub trait Sealed {}
}

macro_rules! unsigned_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn to_code(self) -> u8 {
                if self <= 10 { self as u8 } else { INVALID }
            }
            fn as_f64(self) -> f64 { self as f64 }
        }
    )*};
}
macro_rules! signed_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            #[inline(always)]
            fn to_code(self) -> u8 {
                if (0..=10).contains(&self) { self as u8 } else { INVALID }
            }
            fn as_f64(self) -> f64 { self as f64 }
        }
    )*};
}
macro_rules! float_score {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl ScoreValue for $t {
            const MAY_BE_MISSING: bool = true;
            #[inline(always)]
            fn to_code(self) -> u8 {
                // Written as masks and selects rather than branches so the conversion
                // vectorizes (a branch per value mispredicts on scattered NaN).
                #[allow(clippy::manual_range_contains)] // `contains` compiles to branches
                let clamped = if self >= 0.0 && self <= 10.0 { self } else { 0.0 };
                // SAFETY: `clamped` lies in [0, 10], which i32 represents exactly.
                let whole = unsafe { clamped.to_int_unchecked::<i32>() };
                // Off the scale, `whole` is 0 and `self` is not: only whole scores are exact.
                let exact = whole as $t == self;
                #[allow(clippy::eq_op)] // `self != self` is the NaN test that vectorizes
                let off_code = if self != self { MISSING } else { INVALID };
                (if exact { whole as u8 } else { 0 }) | (if exact { 0 } else { off_code })
            }
            fn as_f64(self) -> f64 { self as f64 }
        }
    )*};
}
unsigned_score!(u16, u32, u64, usize);

impl sealed::Sealed for u8 {}
impl ScoreValue for u8 {
    #[inline(always)]
    fn to_code(self) -> u8 {
        if self <= 10 { self } else { INVALID }
    }
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
    fn as_bytes(scores: &[u8]) -> Option<&[u8]> {
        Some(scores)
    }
}
signed_score!(i8, i16, i32, i64, isize);
float_score!(f32, f64);

/// Scores converted per block into bytes, so the counting kernel runs on bytes whatever the input.
const CONVERT_BLOCK: usize = 4096;

/// `scores` as validated codes: the score 0..=10, or [`MISSING`] for NaN (what a response
/// table stores).
///
/// # Errors
/// [`Error::InvalidScore`] naming the first bad position.
pub(crate) fn score_codes<T: ScoreValue>(scale: Scale, scores: &[T]) -> Result<Vec<u8>> {
    let mut codes = match T::as_bytes(scores) {
        Some(bytes) => bytes.to_vec(),
        None => vec![0u8; scores.len()],
    };
    // Convert and validate block by block (the block is still in cache when it is counted).
    let mut check = Tally::new(scale);
    for (b, out) in codes.chunks_mut(CONVERT_BLOCK).enumerate() {
        let start = b * CONVERT_BLOCK;
        let block = &scores[start..start + out.len()];
        if T::as_bytes(scores).is_none() {
            to_codes(block, out);
        }
        check.count_codes(out, T::MAY_BE_MISSING, |i| start + i, |i| block[i].as_f64())?;
    }
    Ok(codes)
}

/// One tally per group in a single pass over validated `codes` (from [`score_codes`]):
/// `groups[k]` tallies the rows whose key is k. `keys(start, out)` writes the keys of rows
/// `start..start + out.len()` (all below `groups`); rows go by blocks, so no per-row key column
/// is ever materialized.
///
/// The pass keeps a 12-slot histogram (and Σw, Σw² per slot when weighted) per group, so its
/// cost is one increment per row whatever the number of groups.
pub(crate) fn tally_groups(
    scale: Scale,
    codes: &[u8],
    weights: Option<&[f64]>,
    groups: usize,
    mut keys: impl FnMut(usize, &mut [u32]),
) -> Vec<Tally> {
    let mut counts = vec![[0u64; CODES]; groups];
    let mut sums = weights.map(|_| (vec![[0.0f64; CODES]; groups], vec![[0.0f64; CODES]; groups]));
    let mut block = [0u32; CONVERT_BLOCK];
    for (b, codes) in codes.chunks(CONVERT_BLOCK).enumerate() {
        let start = b * CONVERT_BLOCK;
        let block = &mut block[..codes.len()];
        keys(start, block);
        for (&k, &c) in block.iter().zip(codes) {
            counts[k as usize][usize::from(c)] += 1;
        }
        if let (Some((w1, w2)), Some(weights)) = (&mut sums, weights) {
            let weights = &weights[start..start + codes.len()];
            for ((&k, &c), &w) in block.iter().zip(codes).zip(weights) {
                w1[k as usize][usize::from(c)] += w;
                w2[k as usize][usize::from(c)] += w * w;
            }
        }
    }
    (0..groups)
        .map(|g| {
            let sums = sums.as_ref().map(|(w1, w2)| (&w1[g][..], &w2[g][..]));
            Tally::from_code_counts(scale, &counts[g], sums)
        })
        .collect()
}

/// The tally of validated `codes` (from [`score_codes`]), counted by the SIMD kernel.
pub(crate) fn tally_codes(scale: Scale, codes: &[u8], weights: Option<&[f64]>) -> Tally {
    match weights {
        Some(w) => tally_groups(scale, codes, Some(w), 1, |_, keys| keys.fill(0))
            .pop()
            .expect("one group"),
        None => {
            let mut counts = [0u64; CODES];
            count_bytes(codes, &mut counts);
            Tally::from_code_counts(scale, &counts, None)
        }
    }
}

/// Calls `f(codes, at)` on `scores` converted to codes, block by block (`at`: where the block
/// starts in `scores`); bytes are passed as they are, in one block.
fn in_code_blocks<T: ScoreValue>(
    scores: &[T],
    mut f: impl FnMut(&[u8], usize) -> Result<()>,
) -> Result<()> {
    if let Some(bytes) = T::as_bytes(scores) {
        return f(bytes, 0);
    }
    let mut buf = [0u8; CONVERT_BLOCK];
    for (b, block) in scores.chunks(CONVERT_BLOCK).enumerate() {
        let codes = &mut buf[..block.len()];
        to_codes(block, codes);
        f(codes, b * CONVERT_BLOCK)?;
    }
    Ok(())
}

/// Converts `scores` to codes into `codes` (same length), with AVX2 when the CPU has it: the
/// conversion is branch-free, so the compiler vectorizes it for whichever width it is built for.
fn to_codes<T: ScoreValue>(scores: &[T], codes: &mut [u8]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { to_codes_avx2(scores, codes) };
    }
    to_codes_portable(scores, codes);
}

#[inline(always)]
fn to_codes_portable<T: ScoreValue>(scores: &[T], codes: &mut [u8]) {
    for (code, &s) in codes.iter_mut().zip(scores) {
        *code = s.to_code();
    }
}

/// [`to_codes_portable`] compiled for AVX2.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn to_codes_avx2<T: ScoreValue>(scores: &[T], codes: &mut [u8]) {
    to_codes_portable(scores, codes);
}

/// Inputs shorter than this per core are tallied on one thread (a thread costs ~50 µs; a
/// million scores take ~1 ms).
const PARALLEL_MIN: usize = 1 << 20;

/// Whether `w` can weigh a response: finite and non-negative.
pub(crate) fn valid_weight(w: f64) -> bool {
    w.is_finite() && w >= 0.0
}

/// [`Error::LengthMismatch`] unless there is one weight per score (`n` scores).
pub(crate) fn check_weights_length(n: usize, weights: &[f64]) -> Result<()> {
    if weights.len() == n {
        return Ok(());
    }
    Err(Error::LengthMismatch {
        field: "weights".into(),
        found: weights.len(),
        other: "scores".into(),
        expected: n,
    })
}

/// [`Error::InvalidWeight`] naming the first weight that is not finite and non-negative.
pub(crate) fn check_weights(weights: &[f64]) -> Result<()> {
    match weights.iter().position(|&w| !valid_weight(w)) {
        Some(index) => Err(Error::InvalidWeight {
            index,
            value: weights[index],
        }),
        None => Ok(()),
    }
}

/// Tallies `0..len` in contiguous parts, one per available core when the input is large, and
/// merges them in order. `part(start, end)` tallies one range; the error of the earliest part
/// wins, so the first bad position is named whatever the split.
fn in_parts(
    scale: Scale,
    len: usize,
    part: impl Fn(usize, usize) -> Result<Tally> + Sync,
) -> Result<Tally> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = cores.min(len / PARALLEL_MIN).max(1);
    if parts == 1 {
        return part(0, len);
    }
    let bounds: Vec<usize> = (0..=parts).map(|k| k * len / parts).collect();
    let results: Vec<Result<Tally>> = std::thread::scope(|scope| {
        let part = &part;
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| scope.spawn(move || part(w[0], w[1])))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("tallying a slice does not panic"))
            .collect()
    });
    results
        .into_iter()
        .try_fold(Tally::new(scale), |mut acc, t| {
            acc.merge(&t?)?;
            Ok(acc)
        })
}

impl Tally {
    /// A tally from counts per code (scores, then missing answers) and, when weighted, Σw and
    /// Σw² per code.
    pub(crate) fn from_code_counts(
        scale: Scale,
        counts: &[u64; CODES],
        sums: Option<(&[f64], &[f64])>,
    ) -> Self {
        let mut t = Tally::new(scale);
        t.counts.copy_from_slice(&counts[..BINS]);
        t.missing = counts[usize::from(MISSING)];
        t.weights = sums.map(|(w1, w2)| WeightSums::by_category(scale, w1, w2));
        t
    }

    /// An empty tally on `scale`.
    pub fn new(scale: Scale) -> Self {
        Tally {
            scale,
            counts: [0; BINS],
            missing: 0,
            weights: None,
        }
    }

    /// Tally of unweighted scores on the standard 0–10 scale; NaN (float input) is a missing answer.
    ///
    /// # Errors
    /// [`Error::InvalidScore`] naming the first bad position: a value off the scale, not whole,
    /// or infinite.
    pub fn from_scores<T: ScoreValue>(scores: &[T]) -> Result<Self> {
        let mut t = Tally::default();
        t.add_scores(scores)?;
        Ok(t)
    }

    /// Tally of weighted scores on the standard 0–10 scale; see [`Tally::add_weighted`].
    ///
    /// # Errors
    /// As [`Tally::add_weighted`].
    pub fn from_weighted<T: ScoreValue>(scores: &[T], weights: &[f64]) -> Result<Self> {
        let mut t = Tally::default();
        t.add_weighted(scores, weights)?;
        Ok(t)
    }

    /// A tally from the count of each score 0..=10 (index = score).
    ///
    /// # Errors
    /// [`Error::InvalidScore`] when a score off the scale has a non-zero count.
    pub fn from_counts(scale: Scale, counts: [u64; BINS]) -> Result<Self> {
        if let Some(score) = (0..BINS).find(|&s| counts[s] > 0 && !scale.contains(s as u8)) {
            return Err(Error::InvalidScore {
                index: score,
                value: score as f64,
                min: scale.min(),
                max: scale.max(),
            });
        }
        Ok(Tally {
            counts,
            ..Tally::new(scale)
        })
    }

    /// Adds unweighted scores. On error the tally is left unchanged.
    ///
    /// Bytes are counted by a SIMD kernel at memory speed; other types are converted to bytes
    /// block by block on the way. Inputs of a million scores or more are split across the
    /// available cores and the parts merged (exactly: counts are integers).
    ///
    /// # Errors
    /// [`Error::InvalidScore`] naming the first bad position.
    pub fn add_scores<T: ScoreValue>(&mut self, scores: &[T]) -> Result<()> {
        let scale = self.scale;
        let part = in_parts(scale, scores.len(), |start, end| {
            let mut part = Tally::new(scale);
            part.count_scores(&scores[start..end], start)?;
            Ok(part)
        })?;
        self.merge(&part)
    }

    /// Adds weighted scores. Weights must be finite and non-negative; a missing score (NaN)
    /// ignores its weight. On error the tally is left unchanged.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::InvalidWeight`] or [`Error::InvalidScore`] naming the
    /// first bad position.
    pub fn add_weighted<T: ScoreValue>(&mut self, scores: &[T], weights: &[f64]) -> Result<()> {
        check_weights_length(scores.len(), weights)?;
        let scale = self.scale;
        let part = in_parts(scale, scores.len(), |start, end| {
            let mut part = Tally::new(scale);
            part.count_weighted(&scores[start..end], &weights[start..end], start)?;
            Ok(part)
        })?;
        self.merge(&part)
    }

    /// Counts `scores` (which start at position `offset` of the caller's input) into `self`.
    /// Counts `scores` (which start at position `offset` of the caller's input) into `self`.
    fn count_scores<T: ScoreValue>(&mut self, scores: &[T], offset: usize) -> Result<()> {
        in_code_blocks(scores, |codes, at| {
            self.count_codes(
                codes,
                T::MAY_BE_MISSING,
                |i| offset + at + i,
                |i| scores[at + i].as_f64(),
            )
        })
    }

    /// Counts weighted `scores` (starting at position `offset` of the input) into `self`.
    ///
    /// Σw and Σw² are accumulated per code (one add each, no branch), then per category.
    fn count_weighted<T: ScoreValue>(
        &mut self,
        scores: &[T],
        weights: &[f64],
        offset: usize,
    ) -> Result<()> {
        // Indexed by any byte, so the accumulation needs no bounds check.
        let mut sum_w = [0.0f64; 256];
        let mut sum_w2 = [0.0f64; 256];
        in_code_blocks(scores, |codes, at| {
            let weights = &weights[at..at + codes.len()];
            let bad_weight = weights.iter().position(|&w| !valid_weight(w));
            // A bad score before the first bad weight is the first bad position.
            self.count_codes(
                &codes[..bad_weight.unwrap_or(codes.len())],
                T::MAY_BE_MISSING,
                |i| offset + at + i,
                |i| scores[at + i].as_f64(),
            )?;
            if let Some(i) = bad_weight {
                return Err(Error::InvalidWeight {
                    index: offset + at + i,
                    value: weights[i],
                });
            }
            for (&c, &w) in codes.iter().zip(weights) {
                sum_w[usize::from(c)] += w;
                sum_w2[usize::from(c)] += w * w;
            }
            Ok(())
        })?;
        self.weights = Some(WeightSums::by_category(self.scale, &sum_w, &sum_w2));
        Ok(())
    }

    /// Counts a buffer of score codes into `self`, or names the first bad one. `MISSING` codes
    /// count as missing answers when `may_be_missing` (float input), as bad values otherwise.
    fn count_codes(
        &mut self,
        codes: &[u8],
        may_be_missing: bool,
        position: impl Fn(usize) -> usize,
        value: impl Fn(usize) -> f64,
    ) -> Result<()> {
        let mut counts = [0u64; CODES];
        count_bytes(codes, &mut counts);
        let on_scale: u64 = (self.scale.min()..=self.scale.max())
            .map(|s| counts[usize::from(s)])
            .sum();
        let missing = if may_be_missing {
            counts[usize::from(MISSING)]
        } else {
            0
        };
        if (on_scale + missing) as usize != codes.len() {
            let valid = |c: u8| self.scale.contains(c) || (may_be_missing && c == MISSING);
            let i = codes
                .iter()
                .position(|&c| !valid(c))
                .expect("a code off the scale exists when the counts fall short");
            return Err(self.invalid_score(position(i), value(i)));
        }
        self.missing += missing;
        for (total, c) in self.counts.iter_mut().zip(counts) {
            *total += c;
        }
        Ok(())
    }

    fn invalid_score(&self, index: usize, value: f64) -> Error {
        Error::InvalidScore {
            index,
            value,
            min: self.scale.min(),
            max: self.scale.max(),
        }
    }

    /// Adds `other` into `self`.
    ///
    /// # Errors
    /// [`Error::ScaleMismatch`] when the scales differ (the tally is then unchanged).
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        if self.scale != other.scale {
            return Err(Error::ScaleMismatch {
                left: self.scale.to_string(),
                right: other.scale.to_string(),
            });
        }
        if self.weights.is_some() || other.weights.is_some() {
            let mine = self.weight_sums();
            let theirs = other.weight_sums();
            let mut sums = WeightSums::default();
            for c in 0..3 {
                sums.sum_w[c] = mine.sum_w[c] + theirs.sum_w[c];
                sums.sum_w2[c] = mine.sum_w2[c] + theirs.sum_w2[c];
            }
            self.weights = Some(sums);
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.missing += other.missing;
        Ok(())
    }

    /// The scale the tally counts on.
    pub fn scale(&self) -> Scale {
        self.scale
    }
    /// Count of each score 0..=10 (index = score).
    pub fn counts(&self) -> &[u64; BINS] {
        &self.counts
    }
    /// Number of answered responses.
    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }
    /// Number of missing answers (NaN scores) seen.
    pub fn missing(&self) -> u64 {
        self.missing
    }
    /// Whether weights were given.
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// Number of responses per category, indexed by `Category as usize`.
    pub fn category_counts(&self) -> [u64; 3] {
        let mut out = [0u64; 3];
        for (score, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                out[self.scale.category(score as u8) as usize] += c;
            }
        }
        out
    }

    /// Σw and Σw² per category; unit weights when the tally is unweighted.
    pub fn weight_sums(&self) -> WeightSums {
        self.weights.unwrap_or_else(|| {
            let c = self.category_counts().map(|c| c as f64);
            WeightSums {
                sum_w: c,
                sum_w2: c,
            }
        })
    }

    /// Checks there are answers and, when weighted, positive total weight.
    fn check_answered(&self, what: &'static str, needed: u64) -> Result<()> {
        let n = self.n();
        if n < needed {
            return Err(Error::Empty { what, needed, n });
        }
        if self.weight_sums().sum_w.iter().sum::<f64>() <= 0.0 {
            return Err(Error::ZeroTotalWeight { n });
        }
        Ok(())
    }

    /// Shares of promoters, passives and detractors (weighted when weights were given).
    ///
    /// # Errors
    /// [`Error::Empty`] with no answers; [`Error::ZeroTotalWeight`].
    pub fn shares(&self) -> Result<Shares> {
        self.check_answered("shares", 1)?;
        let w = self.weight_sums().sum_w;
        let total: f64 = w.iter().sum();
        Ok(Shares {
            promoters: w[Category::Promoter as usize] / total,
            passives: w[Category::Passive as usize] / total,
            detractors: w[Category::Detractor as usize] / total,
        })
    }

    /// NPS in points: 100 × (pP − pD), from −100 to 100.
    ///
    /// # Errors
    /// As [`Tally::shares`].
    pub fn nps(&self) -> Result<f64> {
        Ok(100.0 * self.shares()?.difference())
    }

    /// Standard error of the NPS, in points.
    ///
    /// # Formula
    /// Unweighted: 100·√((pP + pD − (pP − pD)²)/n) (multinomial, MLE variance).
    /// Weighted: Taylor linearization of the ratio mean of sᵢ ∈ {−1, 0, +1},
    /// var = n/(n−1)·Σuᵢ², uᵢ = wᵢ(sᵢ − NPS_w)/Σw, as R `survey::svymean` on a with-replacement
    /// design. Summed per category it is n/(n−1)·Σ_c Σw²_c (s_c − NPS_w)²/(Σw)², so it comes from
    /// the tally, not the rows.
    ///
    /// # Errors
    /// As [`Tally::shares`]; a weighted tally also needs two answers.
    pub fn se(&self) -> Result<f64> {
        let shares = self.shares()?;
        let n = self.n() as f64;
        let Some(sums) = self.weights else {
            return Ok(100.0 * (shares.unit_variance() / n).sqrt());
        };
        self.check_answered("the weighted standard error", 2)?;
        let total: f64 = sums.sum_w.iter().sum();
        let m = shares.difference();
        let sum_u2: f64 = [Category::Detractor, Category::Passive, Category::Promoter]
            .iter()
            .map(|&c| sums.sum_w2[c as usize] * (c.sign() - m).powi(2))
            .sum::<f64>()
            / (total * total);
        Ok(100.0 * (sum_u2 * n / (n - 1.0)).sqrt())
    }

    /// Kish effective sample size (Σw)²/Σw²; `n` when unweighted.
    ///
    /// # Errors
    /// As [`Tally::shares`].
    pub fn n_eff(&self) -> Result<f64> {
        self.check_answered("the effective sample size", 1)?;
        let s = self.weight_sums();
        let total: f64 = s.sum_w.iter().sum();
        Ok(total * total / s.sum_w2.iter().sum::<f64>())
    }

    /// Kish design effect of weighting, n/n_eff = n·Σw²/(Σw)² (1 when unweighted).
    ///
    /// # Errors
    /// As [`Tally::shares`].
    pub fn design_effect(&self) -> Result<f64> {
        Ok(self.n() as f64 / self.n_eff()?)
    }

    /// Category counts the interval methods work on: the real counts, or for a weighted tally
    /// the effective counts n_eff × weighted share (Kish's approximation).
    pub(crate) fn effective_counts(&self) -> Result<interval::Counts> {
        self.check_answered("an interval", 1)?;
        if self.weights.is_none() {
            let [d, pa, p] = self.category_counts().map(|c| c as f64);
            return Ok(interval::Counts::new(p, pa, d));
        }
        let s = self.shares()?;
        let n = self.n_eff()?;
        Ok(interval::Counts::new(
            n * s.promoters,
            n * s.passives,
            n * s.detractors,
        ))
    }

    /// The NPS with its standard error and an interval by `method` at confidence `level`.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`], [`Error::Empty`], [`Error::ZeroTotalWeight`], or an invalid
    /// method parameter ([`Error::InvalidArgument`]).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{Method, Tally};
    /// let t = Tally::from_counts(Default::default(), [20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])?;
    /// let e = t.estimate(Method::Wald, 0.95)?;
    /// assert!((e.nps - 30.0).abs() < 1e-12);
    /// assert!((e.low - 14.69219192495733).abs() < 1e-10);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn estimate(&self, method: Method, level: f64) -> Result<Estimate> {
        level::check(level)?;
        method.validate()?;
        let shares = self.shares()?;
        let nps = 100.0 * shares.difference();
        let se = self.se()?;
        let (low, high) = interval::bounds(self, method, level, nps, se)?;
        Ok(Estimate {
            n: self.n(),
            n_missing: self.missing,
            weighted: self.is_weighted(),
            n_eff: self.n_eff()?,
            design_effect: self.design_effect()?,
            promoters: shares.promoters,
            passives: shares.passives,
            detractors: shares.detractors,
            nps,
            se,
            method,
            level,
            low,
            high,
        })
    }
}

impl AddAssign<&Tally> for Tally {
    /// # Panics
    /// When the scales differ; use [`Tally::merge`] to get an error instead.
    fn add_assign(&mut self, rhs: &Tally) {
        if let Err(e) = self.merge(rhs) {
            panic!("{e}");
        }
    }
}

impl AddAssign for Tally {
    /// # Panics
    /// When the scales differ; use [`Tally::merge`] to get an error instead.
    fn add_assign(&mut self, rhs: Tally) {
        *self += &rhs;
    }
}

impl Add for Tally {
    type Output = Tally;
    /// # Panics
    /// When the scales differ; use [`Tally::merge`] to get an error instead.
    fn add(mut self, rhs: Tally) -> Tally {
        self += &rhs;
        self
    }
}

impl<'a> Sum<&'a Tally> for Tally {
    /// The merge of all tallies (an empty standard tally for none).
    ///
    /// # Panics
    /// When the scales differ.
    fn sum<I: Iterator<Item = &'a Tally>>(mut iter: I) -> Tally {
        let Some(first) = iter.next() else {
            return Tally::default();
        };
        iter.fold(first.clone(), |mut acc, t| {
            acc += t;
            acc
        })
    }
}

impl Sum for Tally {
    /// The merge of all tallies (an empty standard tally for none).
    ///
    /// # Panics
    /// When the scales differ.
    fn sum<I: Iterator<Item = Tally>>(mut iter: I) -> Tally {
        let Some(first) = iter.next() else {
            return Tally::default();
        };
        iter.fold(first, |acc, t| acc + t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_codes() {
        assert_eq!(7.0f64.to_code(), 7);
        assert_eq!((-0.0f64).to_code(), 0);
        assert_eq!(7.5f64.to_code(), INVALID);
        assert_eq!((-1.0f32).to_code(), INVALID);
        assert_eq!(11.0f64.to_code(), INVALID);
        assert_eq!(f64::INFINITY.to_code(), INVALID);
        assert_eq!(f64::NAN.to_code(), MISSING);
        assert_eq!((-3i64).to_code(), INVALID);
        assert_eq!(300u16.to_code(), INVALID);
    }

    #[test]
    fn first_bad_position_is_named() {
        let mut scores = vec![5u16; 9000];
        scores[8000] = 11;
        scores[8500] = 12;
        let e = Tally::from_scores(&scores).unwrap_err();
        assert_eq!(
            e.to_string(),
            "score at index 8000 is 11; scores are whole numbers in 0..=10"
        );
    }

    #[test]
    fn first_bad_score_or_weight_is_named() {
        let mut scores = vec![5.0; 9000];
        let mut weights = vec![1.0; 9000];
        scores[5000] = 10.5;
        weights[6000] = -1.0;
        let e = Tally::from_weighted(&scores, &weights).unwrap_err();
        assert!(matches!(e, Error::InvalidScore { index: 5000, .. }), "{e}");
        weights[4999] = f64::NAN;
        let e = Tally::from_weighted(&scores, &weights).unwrap_err();
        assert!(matches!(e, Error::InvalidWeight { index: 4999, .. }), "{e}");
    }

    #[test]
    fn large_inputs_split_across_cores_name_the_first_bad_position() {
        let mut scores = vec![7u32; 3 * PARALLEL_MIN + 5];
        let t = Tally::from_scores(&scores).unwrap();
        assert_eq!(t.counts()[7], scores.len() as u64);
        scores[2 * PARALLEL_MIN + 3] = 11;
        scores[3 * PARALLEL_MIN] = 12;
        let e = Tally::from_scores(&scores).unwrap_err();
        assert!(matches!(e, Error::InvalidScore { index, .. } if index == 2 * PARALLEL_MIN + 3));
        let weights = vec![1.0; scores.len()];
        let e = Tally::from_weighted(&scores, &weights).unwrap_err();
        assert!(matches!(e, Error::InvalidScore { index, .. } if index == 2 * PARALLEL_MIN + 3));
    }

    #[test]
    fn deserialization_validates() {
        let t = Tally::from_weighted(&[9u8, 3, 7], &[1.0, 2.0, 0.5]).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Tally>(&json).unwrap(), t);
        let off_scale = json.replace(r#""max":10"#, r#""max":8"#);
        assert!(serde_json::from_str::<Tally>(&off_scale).is_err());
        let negative = json.replace(r#""sum_w":[2.0"#, r#""sum_w":[-2.0"#);
        assert_ne!(negative, json);
        assert!(serde_json::from_str::<Tally>(&negative).is_err());
        let phantom = serde_json::to_string(&Tally::from_weighted(&[9u8], &[1.0]).unwrap())
            .unwrap()
            .replace(r#""sum_w":[0.0"#, r#""sum_w":[3.0"#);
        assert!(serde_json::from_str::<Tally>(&phantom).is_err());
    }

    #[test]
    fn scores_off_a_narrow_scale_are_rejected() {
        let five = Scale::new(1, 5, 3, 5).unwrap();
        let mut t = Tally::new(five);
        let e = t.add_scores(&[1u8, 5, 0]).unwrap_err();
        assert!(matches!(e, Error::InvalidScore { index: 2, .. }));
        assert_eq!(t.n(), 0, "a failed add leaves the tally unchanged");
        t.add_scores(&[1u8, 4, 5, 5]).unwrap();
        assert_eq!(t.category_counts(), [1, 1, 2]);
    }
}
