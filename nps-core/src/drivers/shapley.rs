//! Shapley value regression (LMG) over all 2ᵖ subsets of drivers, without a solve per subset;
//! and a sampled-permutation estimate beyond the exact limit.
//!
//! # Formula
//! φⱼ = Σ_{S ∌ j} w(|S|)·(R²(S ∪ j) − R²(S)) with w(s) = s!(p − s − 1)!/p! (Lindeman, Merenda
//! & Gold 1980; Grömping 2006). Writing A_s = Σ_{|S| = s} R²(S) and B_{s,j} = Σ_{|S| = s, S ∋ j}
//! R²(S), φⱼ = Σ_s w(s − 1)·B_{s,j} − Σ_s w(s)·(A_s − B_{s,j}): only per-size sums are needed,
//! never the 2ᵖ values themselves.
//!
//! # Enumeration
//! R² of a subset S is 1 − (the outcome's residual variance after sweeping S on the
//! correlation matrix), SWEEP being Goodnight's (1979) operator. Subsets are visited in a
//! subset tree: a node S with largest driver k has children S ∪ {j}, j > k, and the child's
//! matrix is the parent's swept on j. Drivers ≤ j never enter the child's subtree, so only the
//! outcome and drivers > j are updated: the sweep that creates a node whose last driver is j
//! costs (p − j)²/2, and the whole tree Σⱼ 2ʲ(p − j)²/2 ≈ 3·2ᵖ operations — about three per
//! subset, against p² per subset for a Gray-code walk that adds and removes variables.
//!
//! The sums per size come up the tree the same way: a node's subtree sums (by size) are added
//! to B_{·,j} for the driver j the node added, since every subset containing j lies in exactly
//! one such subtree. That costs (p − j) per node, ~2 per subset.
//!
//! # Numerical stability
//! Every R²(S) comes from at most |S| forward sweeps, pivots taken in increasing order, of
//! a positive definite matrix — Gaussian elimination without unsweeping, as stable as a
//! Cholesky factorization of R_SS (pivots are residual variances, bounded below by the
//! smallest eigenvalue, which [`super::importance`] has checked against collinearity). There
//! is no add/remove drift to correct, hence no periodic re-sweep: each work item starts from a
//! fresh copy of the matrix.
//!
//! # Parallelism
//! Deciding the first d drivers (in or out) splits the 2ᵖ subsets into 2ᵈ work items of
//! exactly 2^{p−d} subsets and equal cost; threads take items from a shared counter, each
//! starting from a from-scratch sweep of its prefix.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Below this many drivers the tree is walked on one thread (2¹² subsets take ~50 µs).
const PARALLEL_MIN_DRIVERS: usize = 13;

/// Drivers decided per work item: 2⁶ = 64 items.
const PREFIX: usize = 6;

fn cores(threads: usize) -> usize {
    if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
}

/// Per-size sums: `a[s]` = A_s, `b[j·(p+1) + s]` = B_{s,j}.
struct Sums {
    a: Vec<f64>,
    b: Vec<f64>,
}

impl Sums {
    fn new(p: usize) -> Self {
        Sums {
            a: vec![0.0; p + 1],
            b: vec![0.0; p * (p + 1)],
        }
    }

    fn add(&mut self, o: &Sums) {
        self.a.iter_mut().zip(&o.a).for_each(|(x, y)| *x += y);
        self.b.iter_mut().zip(&o.b).for_each(|(x, y)| *x += y);
    }
}

/// Per-thread buffers: one matrix and one per-size vector per tree level.
struct Workspace {
    mats: Vec<Vec<f64>>,
    tmps: Vec<Vec<f64>>,
    total: Vec<f64>,
}

impl Workspace {
    fn new(m: usize) -> Self {
        Workspace {
            mats: vec![vec![0.0; m * m]; m],
            tmps: vec![vec![0.0; m]; m],
            total: vec![0.0; m],
        }
    }
}

/// Exact Shapley values (LMG) of the p = m − 1 drivers of the m × m correlation matrix
/// `corr` (outcome first); `threads` 0 = every core.
pub(crate) fn exact(corr: &[f64], m: usize, threads: usize) -> Vec<f64> {
    let p = m - 1;
    let d = if p >= PARALLEL_MIN_DRIVERS {
        PREFIX.min(p)
    } else {
        0
    };
    let items = 1usize << d;
    let workers = if d == 0 { 1 } else { cores(threads).min(items) };
    let next = AtomicUsize::new(0);
    let work = || {
        let mut sums = Sums::new(p);
        let mut ws = Workspace::new(m);
        loop {
            let item = next.fetch_add(1, Ordering::Relaxed);
            if item >= items {
                break;
            }
            run_item(corr, m, d, item, &mut sums, &mut ws);
        }
        sums
    };
    let sums = if workers == 1 {
        work()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers).map(|_| s.spawn(work)).collect();
            let mut total = Sums::new(p);
            for h in handles {
                total.add(&h.join().expect("the subset walk does not panic"));
            }
            total
        })
    };
    finish(&sums, p)
}

/// φⱼ from the per-size sums.
fn finish(sums: &Sums, p: usize) -> Vec<f64> {
    // w(s) = s!(p − s − 1)!/p! = 1/(p·C(p − 1, s)).
    let mut binom = vec![1.0f64; p];
    for s in 1..p {
        binom[s] = binom[s - 1] * (p - s) as f64 / s as f64;
    }
    let w: Vec<f64> = binom.iter().map(|c| 1.0 / (p as f64 * c)).collect();
    (0..p)
        .map(|j| {
            let b = &sums.b[j * (p + 1)..(j + 1) * (p + 1)];
            let mut gain = 0.0;
            for s in 1..=p {
                gain += w[s - 1] * b[s];
            }
            for s in 0..p {
                gain -= w[s] * (sums.a[s] - b[s]);
            }
            gain
        })
        .collect()
}

/// The subsets whose intersection with the first `d` drivers is `prefix` (a bit mask).
fn run_item(corr: &[f64], m: usize, d: usize, prefix: usize, sums: &mut Sums, ws: &mut Workspace) {
    let p = m - 1;
    let base = &mut ws.mats[0];
    base.copy_from_slice(corr);
    let members: Vec<usize> = (0..d).filter(|i| prefix >> i & 1 == 1).collect();
    for &i in &members {
        sweep_in_place(base, m, i + 1);
    }
    let size = members.len();
    // total[t] ↔ subsets of size `size + t` in this item.
    let total = &mut ws.total[..p - d + 1];
    total.fill(0.0);
    total[0] = if size == 0 { 0.0 } else { 1.0 - base[0] };
    grow(
        &mut ws.mats,
        &mut ws.tmps,
        m,
        d,
        size,
        &mut total[1..],
        &mut sums.b,
    );
    for (t, v) in total.iter().enumerate() {
        sums.a[size + t] += v;
        for &i in &members {
            sums.b[i * (p + 1) + size + t] += v;
        }
    }
}

/// Visits the subtree below the node whose swept matrix is `mats[0]` (subset of `size`
/// drivers, next candidate `first`): adds the R² of each subset below it to `out` by size
/// (`out[t]` ↔ size + 1 + t) and to B of the driver that created its node.
fn grow(
    mats: &mut [Vec<f64>],
    tmps: &mut [Vec<f64>],
    m: usize,
    first: usize,
    size: usize,
    out: &mut [f64],
    b: &mut [f64],
) {
    let p = m - 1;
    let (cur, rest_m) = mats.split_first_mut().expect("one matrix per level");
    let (tmp, rest_t) = tmps.split_first_mut().expect("one buffer per level");
    let residual = cur[0];
    for j in first..p {
        let q = j + 1;
        let e = cur[q];
        let r2 = 1.0 - (residual - e * e / cur[q * m + q]);
        let len = p - j;
        let t = &mut tmp[..len];
        t[0] = r2;
        if len > 1 {
            t[1..].fill(0.0);
            sweep_into(cur, &mut rest_m[0], m, q);
            grow(rest_m, rest_t, m, j + 1, size + 1, &mut t[1..], b);
        }
        let row = &mut b[j * (p + 1) + size + 1..][..len];
        for ((o, r), v) in out[..len].iter_mut().zip(row).zip(t.iter()) {
            *o += v;
            *r += v;
        }
    }
}

/// `dst` = `src` swept on pivot q, on the upper triangle of the outcome (0) and the variables
/// after q only (the rest of `dst` is left as it was).
#[inline]
fn sweep_into(src: &[f64], dst: &mut [f64], m: usize, q: usize) {
    let inv = 1.0 / src[q * m + q];
    let e0 = src[q];
    let row_q = &src[q * m + q + 1..q * m + m];
    let f0 = e0 * inv;
    dst[0] = src[0] - e0 * f0;
    for ((d, s), e) in dst[q + 1..m].iter_mut().zip(&src[q + 1..m]).zip(row_q) {
        *d = s - f0 * e;
    }
    for a in q + 1..m {
        let k = a - q - 1;
        let fa = row_q[k] * inv;
        let span = a * m + a..a * m + m;
        for ((d, s), e) in dst[span.clone()]
            .iter_mut()
            .zip(&src[span])
            .zip(&row_q[k..])
        {
            *d = s - fa * e;
        }
    }
}

/// [`sweep_into`] in place (row q is read, never written).
fn sweep_in_place(a: &mut [f64], m: usize, q: usize) {
    let inv = 1.0 / a[q * m + q];
    let e0 = a[q];
    let row_q: Vec<f64> = a[q * m + q + 1..q * m + m].to_vec();
    let f0 = e0 * inv;
    a[0] -= e0 * f0;
    for (d, e) in a[q + 1..m].iter_mut().zip(&row_q) {
        *d -= f0 * e;
    }
    for r in q + 1..m {
        let k = r - q - 1;
        let fa = row_q[k] * inv;
        for (d, e) in a[r * m + r..r * m + m].iter_mut().zip(&row_q[k..]) {
            *d -= fa * e;
        }
    }
}

/// Shapley values estimated from `samples` random orderings of the drivers, each also taken
/// reversed (antithetic pairs), with the standard error of each estimate: the standard
/// deviation of the pair means over √samples. The estimates sum to R² exactly (each ordering's
/// gains do). The orderings depend only on `seed` and their index, not on the threads.
///
/// # Formula
/// For an ordering π, driver j's gain is R²(Pⱼ ∪ j) − R²(Pⱼ), Pⱼ the drivers before j; the
/// Shapley value is its mean over all p! orderings (Castro, Gómez & Tejada 2009, *Computers &
/// Operations Research* 36(5), for sampling them). Each ordering costs p sweeps, ~p³/6.
pub(crate) fn sampled(
    corr: &[f64],
    m: usize,
    samples: u32,
    seed: u64,
    threads: usize,
) -> (Vec<f64>, Vec<f64>) {
    let p = m - 1;
    let k = samples as usize;
    let mut gains = vec![0.0; k * p];
    let workers = cores(threads).min(k.div_ceil(64)).max(1);
    let chunk = k.div_ceil(workers);
    let run = |start: usize, out: &mut [f64]| {
        let mut a = vec![0.0; m * m];
        let mut order: Vec<usize> = (0..p).collect();
        let mut g = vec![0.0; p];
        for (i, slot) in out.chunks_exact_mut(p).enumerate() {
            let index = (start + i) as u64;
            let mut rng = StdRng::seed_from_u64(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            order.iter_mut().enumerate().for_each(|(i, o)| *o = i);
            order.shuffle(&mut rng);
            ordering_gains(corr, m, &order, &mut a, &mut g);
            slot.copy_from_slice(&g);
            order.reverse();
            ordering_gains(corr, m, &order, &mut a, &mut g);
            slot.iter_mut()
                .zip(&g)
                .for_each(|(s, v)| *s = 0.5 * (*s + v));
        }
    };
    if workers == 1 {
        run(0, &mut gains);
    } else {
        std::thread::scope(|s| {
            for (w, part) in gains.chunks_mut(chunk * p).enumerate() {
                let run = &run;
                s.spawn(move || run(w * chunk, part));
            }
        });
    }
    let n = k as f64;
    let mut mean = vec![0.0; p];
    for row in gains.chunks_exact(p) {
        mean.iter_mut().zip(row).for_each(|(m, v)| *m += v / n);
    }
    let mut se = vec![0.0; p];
    if k > 1 {
        for row in gains.chunks_exact(p) {
            se.iter_mut()
                .zip(row.iter().zip(&mean))
                .for_each(|(s, (v, m))| *s += (v - m) * (v - m));
        }
        se.iter_mut().for_each(|s| *s = (*s / (n - 1.0) / n).sqrt());
    }
    (mean, se)
}

/// Each driver's R² gain when the drivers enter in `order`.
fn ordering_gains(corr: &[f64], m: usize, order: &[usize], a: &mut [f64], gains: &mut [f64]) {
    // The matrix with the drivers permuted into `order` (outcome stays first).
    let at = |t: usize| if t == 0 { 0 } else { order[t - 1] + 1 };
    for r in 0..m {
        let src = at(r) * m;
        for c in r..m {
            a[r * m + c] = corr[src + at(c)];
        }
    }
    let mut previous = 0.0;
    for (t, &j) in order.iter().enumerate() {
        sweep_in_place(a, m, t + 1);
        let r2 = 1.0 - a[0];
        gains[j] = r2 - previous;
        previous = r2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{DMatrix, DVector};

    /// R² of every subset by a Cholesky solve, and φ straight from the definition.
    fn brute(corr: &[f64], m: usize) -> Vec<f64> {
        let p = m - 1;
        let r2 = |mask: usize| -> f64 {
            let idx: Vec<usize> = (0..p).filter(|j| mask >> j & 1 == 1).collect();
            if idx.is_empty() {
                return 0.0;
            }
            let k = idx.len();
            let rxx = DMatrix::from_fn(k, k, |a, b| corr[(idx[a] + 1) * m + idx[b] + 1]);
            let rxy = DVector::from_fn(k, |a, _| corr[(idx[a] + 1) * m]);
            let b = rxx.cholesky().unwrap().solve(&rxy);
            rxy.dot(&b)
        };
        let fact = |n: usize| (1..=n).map(|v| v as f64).product::<f64>();
        (0..p)
            .map(|j| {
                (0..1usize << p)
                    .filter(|s| s >> j & 1 == 0)
                    .map(|s| {
                        let size = s.count_ones() as usize;
                        let w = fact(size) * fact(p - size - 1) / fact(p);
                        w * (r2(s | 1 << j) - r2(s))
                    })
                    .sum()
            })
            .collect()
    }

    /// A random correlation matrix of m columns from simulated data.
    fn random_corr(m: usize, seed: u64) -> Vec<f64> {
        let mut s = seed | 1;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 100_000) as f64 / 100_000.0 - 0.5
        };
        let n = 200;
        let mut x = vec![vec![0.0; n]; m];
        let common: Vec<f64> = (0..n).map(|_| next()).collect();
        for col in x.iter_mut().skip(1) {
            for (v, c) in col.iter_mut().zip(&common) {
                *v = next() + 0.5 * c;
            }
        }
        let y: Vec<f64> = (0..n)
            .map(|i| {
                (1..m)
                    .map(|k| x[k][i] * (k as f64 % 3.0 - 0.7))
                    .sum::<f64>()
                    + next()
            })
            .collect();
        x[0] = y;
        let mean: Vec<f64> = x.iter().map(|c| c.iter().sum::<f64>() / n as f64).collect();
        let cov = |a: usize, b: usize| -> f64 {
            (0..n)
                .map(|i| (x[a][i] - mean[a]) * (x[b][i] - mean[b]))
                .sum()
        };
        let mut c = vec![0.0; m * m];
        for a in 0..m {
            for b in 0..m {
                c[a * m + b] = cov(a, b) / (cov(a, a) * cov(b, b)).sqrt();
            }
        }
        c
    }

    #[test]
    fn tree_matches_the_definition() {
        for m in [2, 3, 6, 9] {
            let c = random_corr(m, m as u64);
            let (fast, slow) = (exact(&c, m, 1), brute(&c, m));
            for (a, b) in fast.iter().zip(&slow) {
                assert!((a - b).abs() < 1e-12, "{m}: {a} {b}");
            }
        }
    }

    #[test]
    fn parallel_items_match_one_thread() {
        let m = 16;
        let c = random_corr(m, 3);
        let one = {
            // d = 0 path: the whole tree from the root.
            let p = m - 1;
            let mut sums = Sums::new(p);
            let mut ws = Workspace::new(m);
            run_item(&c, m, 0, 0, &mut sums, &mut ws);
            finish(&sums, p)
        };
        let many = exact(&c, m, 2);
        let total: f64 = many.iter().sum();
        let mut a = c.clone();
        for q in 1..m {
            sweep_in_place(&mut a, m, q);
        }
        assert!((total - (1.0 - a[0])).abs() < 1e-12);
        for (x, y) in one.iter().zip(&many) {
            assert!((x - y).abs() < 1e-12, "{x} {y}");
        }
    }

    #[test]
    fn sampling_converges_to_exact() {
        let m = 7;
        let c = random_corr(m, 11);
        let truth = exact(&c, m, 1);
        let (est, se) = sampled(&c, m, 4000, 5, 2);
        let r2: f64 = truth.iter().sum();
        assert!((est.iter().sum::<f64>() - r2).abs() < 1e-12);
        for ((e, s), t) in est.iter().zip(&se).zip(&truth) {
            assert!((e - t).abs() < 5.0 * s + 1e-12, "{e} {t} {s}");
        }
        // Same seed, other thread count: same numbers.
        assert_eq!(sampled(&c, m, 300, 9, 1), sampled(&c, m, 300, 9, 2));
    }
}
