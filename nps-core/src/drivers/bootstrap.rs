//! Percentile bootstrap intervals of driver importances, resampling respondents.
//!
//! # Formula
//! A resample of the n eligible respondents (listwise: the complete rows; pairwise: every row)
//! is a vector of multinomial counts cᵢ ~ Multinomial(n; 1/n, …, 1/n); the resample's
//! moments are the moments of the original rows with weights wᵢ·cᵢ, so no row is copied and
//! the resampled correlation pass is the ordinary weighted one (Spearman re-ranks with the
//! weights, which ranks a resample exactly as its repeated rows would). Each replicate gives
//! the importance of every driver; the bounds are the order statistics at ranks ⌈B·α/2⌉ and
//! ⌈B·(1 − α/2)⌉ of the B replicates that gave a result, α = 1 − level (Efron & Tibshirani
//! 1993, ch. 13). A resample in which a driver is constant or collinear gives none and is not
//! counted.
//!
//! Replicate b draws from its own generator seeded by (seed, b), so the intervals do not depend
//! on the number of threads.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::importance::{Model, raw};
use super::{DriverImportance, DriverOptions, Prepared};
use crate::{Error, Result};

/// The seed of replicate `b`.
pub(crate) fn replicate_seed(seed: u64, b: u64) -> u64 {
    seed ^ b.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Fills `low`, `high` and `includes_zero` of every row of `result`.
pub(crate) fn intervals(
    prepared: &Prepared,
    weights: Option<&[f64]>,
    options: &DriverOptions,
    result: &mut DriverImportance,
) -> Result<()> {
    let n = prepared.len();
    let eligible: Vec<usize> = (0..n)
        .filter(|&i| weights.is_none_or(|w| w[i] > 0.0) && prepared.eligible(i))
        .collect();
    let replicates = options.replicates as usize;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(replicates).max(1);
    let chunk = replicates.div_ceil(workers);
    let one = |b: usize, omega: &mut Vec<f64>| -> Option<Vec<f64>> {
        let mut rng = StdRng::seed_from_u64(replicate_seed(options.seed, b as u64));
        omega.clear();
        omega.resize(n, 0.0);
        for _ in 0..eligible.len() {
            let i = eligible[rng.random_range(0..eligible.len())];
            omega[i] += weights.map_or(1.0, |w| w[i]);
        }
        let correlation = prepared.correlation(Some(omega), 1).ok()?;
        let model = Model::fit(&correlation).ok()?;
        let opts = DriverOptions {
            seed: replicate_seed(options.seed ^ 0x5EED, b as u64),
            ..options.clone()
        };
        raw(&model, &correlation, &opts, 1).ok().map(|(v, _)| v)
    };
    let run = |start: usize, end: usize| -> Vec<Option<Vec<f64>>> {
        let mut omega = Vec::new();
        (start..end).map(|b| one(b, &mut omega)).collect()
    };
    let draws: Vec<Option<Vec<f64>>> = if workers == 1 {
        run(0, replicates)
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let run = &run;
                    s.spawn(move || run(w * chunk, ((w + 1) * chunk).min(replicates)))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("a bootstrap replicate does not panic"))
                .collect()
        })
    };
    let good: Vec<Vec<f64>> = draws.into_iter().flatten().collect();
    if good.is_empty() {
        return Err(Error::InvalidArgument {
            field: "bootstrap",
            value: format!("no usable resample out of {replicates}"),
            expected: "resamples in which every driver varies: more rows, or fewer drivers",
        });
    }
    let alpha = 1.0 - options.level;
    let b = good.len();
    let rank = |q: f64| ((b as f64 * q).ceil() as usize).clamp(1, b) - 1;
    let (lo_rank, hi_rank) = (rank(alpha / 2.0), rank(1.0 - alpha / 2.0));
    let mut column = vec![0.0; b];
    for (j, row) in result.rows.iter_mut().enumerate() {
        column.iter_mut().zip(&good).for_each(|(c, g)| *c = g[j]);
        column.sort_unstable_by(f64::total_cmp);
        let (low, high) = (column[lo_rank], column[hi_rank]);
        row.low = Some(low);
        row.high = Some(high);
        row.includes_zero = Some(low <= 0.0 && 0.0 <= high);
    }
    result.replicates = b as u32;
    result.level = Some(options.level);
    Ok(())
}
