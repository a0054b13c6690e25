//! Percentile bootstrap from multinomial resamples of the tally.
//!
//! A resample of n responses only matters through its category counts, which are
//! Multinomial(n; pP, pPa, pD). Drawing them as P* ~ Bin(n, pP) and D* ~ Bin(n − P*, pD/(1 − pP))
//! gives exactly that distribution (the same as resampling the 11-bin histogram and collapsing
//! it) with two O(1) binomial draws (BTPE) per replicate, so the cost does not grow with n.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Binomial, Distribution};

use super::Counts;

/// Percentile interval on the [−1, 1] scale.
///
/// # Formula
/// NPS*ᵦ = (P*ᵦ − D*ᵦ)/n for b = 1..B; bounds are the order statistics at ranks ⌈B·α/2⌉ and
/// ⌈B·(1 − α/2)⌉ with α = 1 − level (the inverse of the empirical CDF). Effective counts
/// (weighted tallies) are rounded to the nearest whole n ≥ 1.
pub(crate) fn percentile(counts: &Counts, replicates: u32, seed: u64, level: f64) -> (f64, f64) {
    let n_real = counts.n();
    let n = n_real.round().max(1.0) as u64;
    let resample = Resampler::new(n, counts.promoters / n_real, counts.detractors / n_real);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut draws: Vec<i64> = (0..replicates)
        .map(|_| {
            let (p, d) = resample.draw(&mut rng);
            p as i64 - d as i64
        })
        .collect();
    let alpha = 1.0 - level;
    let b = replicates as f64;
    let rank = |q: f64| ((b * q).ceil() as usize).clamp(1, draws.len()) - 1;
    let (lo_rank, hi_rank) = (rank(alpha / 2.0), rank(1.0 - alpha / 2.0));
    let lo = *draws.select_nth_unstable(lo_rank).1;
    let hi = *draws.select_nth_unstable(hi_rank).1;
    (lo as f64 / n as f64, hi as f64 / n as f64)
}

/// Multinomial(n; promoters, passives, detractors) draws of category counts, as
/// P* ~ Bin(n, p) and D* ~ Bin(n − P*, d/(1 − p)): two O(1) binomial draws (BTPE) whatever n.
pub(crate) struct Resampler {
    n: u64,
    promoters: Binomial,
    detractors_among_rest: f64,
}

impl Resampler {
    /// Draws of `n` responses with promoter share `p` and detractor share `d` (clamped to
    /// [0, 1]).
    pub(crate) fn new(n: u64, p: f64, d: f64) -> Self {
        let p = p.clamp(0.0, 1.0);
        let rest = if p < 1.0 {
            (d / (1.0 - p)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        Resampler {
            n,
            promoters: Binomial::new(n, p).expect("p lies in [0, 1]"),
            detractors_among_rest: rest,
        }
    }

    /// One draw: (promoters, detractors).
    pub(crate) fn draw(&self, rng: &mut StdRng) -> (u64, u64) {
        let p = self.promoters.sample(rng);
        let d = Binomial::new(self.n - p, self.detractors_among_rest)
            .expect("p lies in [0, 1]")
            .sample(rng);
        (p, d)
    }
}
