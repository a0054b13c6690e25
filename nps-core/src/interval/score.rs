//! Tango's score interval for the difference pP − pD of one multinomial sample.
//!
//! Each answer is coded s = +1 (promoter), 0 (passive), −1 (detractor), so the NPS is the mean
//! of s. The interval collects every hypothesised difference Δ that the score test does not
//! reject, the variance being re-estimated under each Δ; unlike Wald it stays inside [−1, 1],
//! is not degenerate when every answer falls in one category, and keeps close to nominal
//! coverage in small samples.

use super::Counts;
use crate::solve::brent;

/// Absolute tolerance of the bounds handed to Brent's method (the result is good to ~1e-15).
const XTOL: f64 = 1e-15;

/// Tango's score interval for pP − pD on the [−1, 1] scale; `z` is the two-sided critical
/// value (1.959963984540054 at 95 %). Counts may be real (effective counts of weighted data).
///
/// # Formula
/// With counts P, Pa, D, n = P + Pa + D and Δ̂ = (P − D)/n, the maximum likelihood estimate of
/// q = pD restricted to pP − pD = Δ solves 2n·q² − B·q − D·Δ(1 − Δ) = 0 with
/// B = (P + D) − Δ(2n − (P − D)), i.e. q(Δ) = (B + √(B² + 8n·D·Δ(1 − Δ)))/(4n). The variance
/// of one answer's code under that restriction is v(Δ) = 2q + Δ − Δ², and the score statistic is
/// Z(Δ) = (P − D − nΔ)/√(n·v(Δ)). The interval is {Δ : |Z(Δ)| ≤ z}: the lower bound is the root
/// of g₋(Δ) = (P − D − nΔ) − z√(n·v(Δ)) on [−1, Δ̂] and the upper the root of
/// g₊(Δ) = (P − D − nΔ) + z√(n·v(Δ)) on [Δ̂, 1], both found by Brent's method (the forms avoid
/// Z's division by zero at Δ = ±1, where v = 0).
///
/// When every answer falls in one category, v(Δ̂) = 0 and g± vanish at Δ̂ itself, so the root
/// that matters is not bracketed; there the equation reduces to a quadratic whose solution is
/// Δ̂ − (1 + Δ̂)·z²/(n + z²) and Δ̂ + (1 − Δ̂)·z²/(n + z²) (e.g. [(n − z²)/(n + z²), 1] for n
/// promoters), which is used directly ([`one_category`]).
///
/// Source: T. Tango (1998), "Equivalence test and confidence interval for the difference in
/// proportions for the paired-sample design", *Statistics in Medicine* 17:891–908, applied with
/// the discordant cells b = P, c = D and the concordant ones a + d = Pa.
pub(crate) fn tango(counts: &Counts, z: f64) -> (f64, f64) {
    let estimate = counts.difference();
    if counts.variance() <= 0.0 {
        return one_category(estimate, counts.n(), z);
    }
    let lower = if estimate <= -1.0 {
        -1.0
    } else {
        brent(|delta| score_gap(counts, delta, -z), -1.0, estimate, XTOL)
    };
    let upper = if estimate >= 1.0 {
        1.0
    } else {
        brent(|delta| score_gap(counts, delta, z), estimate, 1.0, XTOL)
    };
    (lower, upper)
}

/// g(Δ) = (P − D − nΔ) + `signed_z`·√(n·v(Δ)): zero where the score statistic Z(Δ) equals
/// −`signed_z`.
fn score_gap(counts: &Counts, delta: f64, signed_z: f64) -> f64 {
    let n = counts.n();
    let surplus = counts.promoters - counts.detractors - n * delta;
    surplus + signed_z * (n * restricted_variance(counts, delta)).sqrt()
}

/// v(Δ) = 2q + Δ − Δ², the variance of one answer's −1/0/+1 code at the maximum likelihood
/// estimate q of pD restricted to pP − pD = Δ (Tango 1998); never negative.
fn restricted_variance(counts: &Counts, delta: f64) -> f64 {
    let n = counts.n();
    let (p, d) = (counts.promoters, counts.detractors);
    let b = (p + d) - delta * (2.0 * n - (p - d));
    let discriminant = (b * b + 8.0 * n * d * delta * (1.0 - delta)).max(0.0);
    let q = (b + discriminant.sqrt()) / (4.0 * n);
    (2.0 * q + delta - delta * delta).max(0.0)
}

/// The score interval when all n answers fall in one category (Δ̂ = −1, 0 or 1).
///
/// # Formula
/// There Z(Δ)² reduces to n(1 − Δ)/(1 + Δ) for n promoters, n(1 + Δ)/(1 − Δ) for n detractors
/// and n|Δ|/(1 − |Δ|) for n passives; solving Z² = z² gives
/// [Δ̂ − (1 + Δ̂)·w, Δ̂ + (1 − Δ̂)·w] with w = z²/(n + z²) in all three cases.
fn one_category(estimate: f64, n: f64, z: f64) -> (f64, f64) {
    let w = z * z / (n + z * z);
    (
        estimate - (1.0 + estimate) * w,
        estimate + (1.0 - estimate) * w,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z95: f64 = 1.959_963_984_540_054;
    /// Tolerance of the `score_tango_iterative` records.
    const TOL: f64 = 1e-10;

    fn check(counts: [f64; 3], z: f64, lower: f64, upper: f64) {
        let (lo, hi) = tango(&Counts::new(counts[0], counts[1], counts[2]), z);
        assert!(
            (lo - lower).abs() < TOL,
            "{counts:?}: lower {lo} vs {lower}"
        );
        assert!(
            (hi - upper).abs() < TOL,
            "{counts:?}: upper {hi} vs {upper}"
        );
    }

    #[test]
    fn matches_reference_records() {
        // c01_50_30_20/score_tango/0.95
        check(
            [50.0, 30.0, 20.0],
            Z95,
            0.139_551_416_141_956_96,
            0.443_393_066_335_859_4,
        );
        // c01_50_30_20/score_tango/0.99
        check(
            [50.0, 30.0, 20.0],
            2.575_829_303_548_900_4,
            0.086_954_025_735_041_3,
            0.484_007_564_190_492_4,
        );
        // c02_220_580_200/score_tango/0.9
        check(
            [220.0, 580.0, 200.0],
            1.644_853_626_951_472_2,
            -0.013_727_503_734_441_185,
            0.053_693_690_419_766_95,
        );
        // c10_small_3_1_1/score_tango/0.95
        check(
            [3.0, 1.0, 1.0],
            Z95,
            -0.349_281_864_386_434_2,
            0.826_420_963_707_876_2,
        );
        // c13_4000_3500_2500/score_tango/0.95
        check(
            [4000.0, 3500.0, 2500.0],
            Z95,
            0.134_433_856_540_535_58,
            0.165_483_051_783_481,
        );
    }

    #[test]
    fn matches_reference_edge_cases() {
        // c06_single_promoter_n1/score_tango/0.95: n = 1.
        check([1.0, 0.0, 0.0], Z95, -0.586_901_371_245_525_2, 1.0);
        // c04_all_detractors_n10/score_tango/0.95.
        check([0.0, 0.0, 10.0], Z95, -1.0, -0.444_934_400_274_221_4);
        // c08_half_P_half_D_n10/score_tango/0.95: no passives.
        check(
            [5.0, 0.0, 5.0],
            Z95,
            -0.526_813_818_974_871_9,
            0.526_813_818_974_872,
        );
    }

    #[test]
    fn all_passives_give_a_symmetric_interval_that_solves_the_score_equation() {
        let counts = Counts::new(0.0, 12.0, 0.0);
        let (lo, hi) = tango(&counts, Z95);
        assert!((lo + hi).abs() < 1e-15 && hi > 0.0);
        // |Z(Δ)| = z at the bound, from the general formula.
        let n = counts.n();
        let z_at = |delta: f64| -n * delta / (n * restricted_variance(&counts, delta)).sqrt();
        assert!((z_at(hi) + Z95).abs() < 1e-12, "{}", z_at(hi));
        assert!((z_at(lo) - Z95).abs() < 1e-12, "{}", z_at(lo));
    }

    #[test]
    fn one_category_limit_is_continuous() {
        // A sliver of passives barely moves the all-promoter bound.
        let (pure, _) = tango(&Counts::new(20.0, 0.0, 0.0), Z95);
        let (near, _) = tango(&Counts::new(20.0, 1e-9, 0.0), Z95);
        assert!((pure - near).abs() < 1e-8, "{pure} vs {near}");
    }

    #[test]
    fn contains_the_estimate_and_widens_with_the_level() {
        for counts in [[50.0, 30.0, 20.0], [3.0, 1.0, 1.0], [0.0, 2.5, 7.25]] {
            let c = Counts::new(counts[0], counts[1], counts[2]);
            let (lo90, hi90) = tango(&c, 1.644_853_626_951_472_2);
            let (lo95, hi95) = tango(&c, Z95);
            assert!(
                lo90 <= c.difference() && c.difference() <= hi90,
                "{counts:?}"
            );
            assert!(lo95 < lo90 && hi90 < hi95, "{counts:?}");
        }
    }

    #[test]
    fn restricted_variance_is_the_sample_variance_at_the_estimate() {
        let c = Counts::new(50.0, 30.0, 20.0);
        let at_estimate = restricted_variance(&c, c.difference());
        assert!((at_estimate - c.n() * c.variance()).abs() < 1e-15);
    }
}
