//! Generic numerics behind the intervals: Brent's root finder and adaptive Gauss–Kronrod
//! quadrature.
//!
//! Special functions (gamma, incomplete beta…) come from `statrs`; only the two numerical
//! methods that `statrs` lacks live here.

/// Evaluations after which [`brent`] gives up. Brent's method needs at most about
/// (log₂((hi − lo)/xtol))² evaluations (≈ 2,500 for [−1, 1] at 1e-15) and far fewer in practice
/// (10–40); the cap only bounds the work when `f` returns NaN.
const MAX_EVALUATIONS: usize = 2_500;

/// A root of `f` in [`lo`, `hi`] by Brent's method.
///
/// `f(lo)` and `f(hi)` must have opposite signs (or one of them be zero). If `f(lo) == 0` the
/// result is `lo`, if `f(hi) == 0` it is `hi`, so a root at an endpoint is returned exactly. If
/// both have the same sign there is no bracketed root and the endpoint with the smaller |f| is
/// returned.
///
/// The result b satisfies |b − root| ≤ 4·ε·|b| + `xtol` (ε the machine epsilon).
///
/// # Formula
/// Brent's zeroin: the bracket [b, c] with f(b)·f(c) < 0 and |f(b)| ≤ |f(c)| always holds. Each
/// step tries inverse quadratic interpolation through (a, f(a)), (b, f(b)), (c, f(c)) (the
/// secant through a and b when a = c) and falls back to bisection m = (c − b)/2 whenever the
/// interpolated step leaves the bracket's first three quarters or fails to shrink at least
/// half as fast as the step before last. It stops when |m| ≤ 2ε|b| + xtol/2. Convergence is
/// superlinear for smooth f and never slower than about the square of bisection's.
///
/// Source: R. P. Brent (1973), *Algorithms for Minimization without Derivatives*, Prentice-Hall,
/// ch. 4 (procedure `zero`); as transcribed in Forsythe, Malcolm & Moler (1977), *Computer
/// Methods for Mathematical Computations*, §7.2 (`zeroin`).
pub(crate) fn brent(mut f: impl FnMut(f64) -> f64, lo: f64, hi: f64, xtol: f64) -> f64 {
    let (mut a, mut b) = (lo, hi);
    let (mut fa, mut fb) = (f(a), f(b));
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    if fa.signum() == fb.signum() {
        return if fa.abs() <= fb.abs() { a } else { b };
    }
    let (mut c, mut fc) = (b, fb);
    let (mut step, mut previous_step) = (b - a, b - a);
    for _ in 0..MAX_EVALUATIONS {
        // Keep the root between b and c.
        if fb.signum() == fc.signum() {
            (c, fc) = (a, fa);
            step = b - a;
            previous_step = step;
        }
        // Keep b the best estimate.
        if fc.abs() < fb.abs() {
            (a, fa) = (b, fb);
            (b, fb) = (c, fc);
            (c, fc) = (a, fa);
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * xtol;
        let half = 0.5 * (c - b);
        if half.abs() <= tol || fb == 0.0 {
            return b;
        }
        if previous_step.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q) = if a == c {
                // Secant.
                (2.0 * half * s, 1.0 - s)
            } else {
                // Inverse quadratic interpolation.
                let (qa, r) = (fa / fc, fb / fc);
                (
                    s * (2.0 * half * qa * (qa - r) - (b - a) * (r - 1.0)),
                    (qa - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * half * q - (tol * q).abs()).min((previous_step * q).abs()) {
                previous_step = step;
                step = p / q;
            } else {
                step = half;
                previous_step = half;
            }
        } else {
            step = half;
            previous_step = half;
        }
        (a, fa) = (b, fb);
        b += if step.abs() > tol {
            step
        } else {
            tol.copysign(half)
        };
        fb = f(b);
    }
    b
}

/// Most sub-intervals [`integrate`] creates before returning its best estimate.
const MAX_SEGMENTS: usize = 500;

/// Abscissae of the 15-point Kronrod rule on [−1, 1] (non-negative half, descending); the odd
/// entries (1, 3, 5, 7) are the 7-point Gauss nodes.
#[expect(
    clippy::excessive_precision,
    reason = "digits as published in QUADPACK's QK15"
)]
const KRONROD_NODES: [f64; 8] = [
    0.991_455_371_120_812_639_206_854_697_526_329,
    0.949_107_912_342_758_524_526_189_684_047_851,
    0.864_864_423_359_769_072_789_712_788_640_926,
    0.741_531_185_599_394_439_863_864_773_280_788,
    0.586_087_235_467_691_130_294_144_845_693_013,
    0.405_845_151_377_397_166_906_606_412_076_961,
    0.207_784_955_007_898_467_600_689_403_773_245,
    0.0,
];

/// Weights of the 15-point Kronrod rule, matching [`KRONROD_NODES`].
#[expect(
    clippy::excessive_precision,
    reason = "digits as published in QUADPACK's QK15"
)]
const KRONROD_WEIGHTS: [f64; 8] = [
    0.022_935_322_010_529_224_963_732_008_058_970,
    0.063_092_092_629_978_553_290_700_663_189_204,
    0.104_790_010_322_250_183_839_876_322_541_518,
    0.140_653_259_715_525_918_745_189_590_510_238,
    0.169_004_726_639_267_902_826_583_426_598_550,
    0.190_350_578_064_785_409_913_256_402_421_014,
    0.204_432_940_075_298_892_414_161_999_234_649,
    0.209_482_141_084_727_828_012_999_174_891_714,
];

/// Weights of the 7-point Gauss rule at `KRONROD_NODES[1]`, `[3]`, `[5]`, `[7]`.
#[expect(
    clippy::excessive_precision,
    reason = "digits as published in QUADPACK's QK15"
)]
const GAUSS_WEIGHTS: [f64; 4] = [
    0.129_484_966_168_869_693_270_611_432_679_082,
    0.279_705_391_489_276_667_901_467_771_423_780,
    0.381_830_050_505_118_944_950_369_775_488_975,
    0.417_959_183_673_469_387_755_102_040_816_327,
];

/// One sub-interval of [`integrate`] with its Kronrod estimate and error bound.
#[derive(Debug, Clone, Copy)]
struct Segment {
    lo: f64,
    hi: f64,
    value: f64,
    error: f64,
}

impl Segment {
    /// The 15-point Gauss–Kronrod estimate of ∫ f over [`lo`, `hi`].
    ///
    /// The error is |K15 − G7|, floored at 50·ε·∫|f| (QUADPACK's allowance for rounding in the
    /// sums).
    fn new(f: &mut impl FnMut(f64) -> f64, lo: f64, hi: f64) -> Self {
        let centre = 0.5 * (lo + hi);
        let half = 0.5 * (hi - lo);
        let f_centre = f(centre);
        let mut kronrod = KRONROD_WEIGHTS[7] * f_centre;
        let mut gauss = GAUSS_WEIGHTS[3] * f_centre;
        let mut absolute = KRONROD_WEIGHTS[7] * f_centre.abs();
        for (j, (&node, &weight)) in KRONROD_NODES[..7]
            .iter()
            .zip(&KRONROD_WEIGHTS[..7])
            .enumerate()
        {
            let (left, right) = (f(centre - half * node), f(centre + half * node));
            kronrod += weight * (left + right);
            absolute += weight * (left.abs() + right.abs());
            if j % 2 == 1 {
                gauss += GAUSS_WEIGHTS[j / 2] * (left + right);
            }
        }
        let scale = half.abs();
        Segment {
            lo,
            hi,
            value: kronrod * half,
            error: ((kronrod - gauss).abs() * scale).max(50.0 * f64::EPSILON * absolute * scale),
        }
    }
}

/// ∫ f over [`points[0]`, `points[last]`] by globally adaptive Gauss–Kronrod (G7/K15)
/// quadrature, to an estimated absolute error of `abs_tol`.
///
/// `points` are increasing breakpoints: the range starts split there, so put them where f
/// peaks or bends sharply and the first estimates cannot miss it. Fewer than two points give 0.
/// f is never evaluated at the breakpoints or the ends, so integrable endpoint singularities
/// are allowed (they converge slowly; remove them by a change of variables where possible).
///
/// # Formula
/// On each sub-interval [a, b] the 15-point Kronrod rule K15 (exact for polynomials of degree
/// 22) estimates the integral and |K15 − G7|, against the embedded 7-point Gauss rule (degree
/// 13), its error. While the summed error exceeds `abs_tol`, the sub-interval with the largest
/// error is bisected (QUADPACK's QAG strategy, without extrapolation). It stops early, with its
/// best estimate, when rounding in f dominates (QUADPACK's test: 6 bisections that left the
/// integral unchanged to 1e-5 yet cut the error by less than 1 %, or 20 that raised it), after
/// 500 sub-intervals, or when a sub-interval can no longer be split in floating point.
///
/// Sources: A. S. Kronrod (1965), *Nodes and Weights of Quadrature Formulas*, Consultants
/// Bureau; R. Piessens, E. de Doncker-Kapenga, C. W. Überhuber & D. K. Kahaner (1983),
/// *QUADPACK*, Springer, §2.2 and routines QK15/QAG (nodes and weights copied from QK15).
pub(crate) fn integrate(mut f: impl FnMut(f64) -> f64, points: &[f64], abs_tol: f64) -> f64 {
    let mut segments: Vec<Segment> = points
        .windows(2)
        .map(|w| Segment::new(&mut f, w[0], w[1]))
        .collect();
    let (mut stalled, mut worsened) = (0, 0);
    while segments.len() < MAX_SEGMENTS && stalled < 6 && worsened < 20 {
        let total_error: f64 = segments.iter().map(|s| s.error).sum();
        if total_error <= abs_tol {
            break;
        }
        let Some(worst) = segments
            .iter()
            .enumerate()
            .max_by(|(_, s), (_, t)| s.error.total_cmp(&t.error))
            .map(|(i, _)| i)
        else {
            break;
        };
        let parent = segments[worst];
        let split = 0.5 * (parent.lo + parent.hi);
        if !(parent.lo < split && split < parent.hi) {
            break;
        }
        let left = Segment::new(&mut f, parent.lo, split);
        let right = Segment::new(&mut f, split, parent.hi);
        let (value, error) = (left.value + right.value, left.error + right.error);
        if (parent.value - value).abs() <= 1e-5 * value.abs() && error >= 0.99 * parent.error {
            stalled += 1;
        }
        if segments.len() > 10 && error > parent.error {
            worsened += 1;
        }
        segments[worst] = left;
        segments.push(right);
    }
    segments.iter().map(|s| s.value).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2.0945514815423265…, the root of x³ − 2x − 5 (Wallis' equation).
    const WALLIS: f64 = 2.094_551_481_542_326_5;
    /// 0.7390851332151607…, the Dottie number, fixed point of cos.
    const DOTTIE: f64 = 0.739_085_133_215_160_6;

    #[test]
    fn brent_finds_classic_roots() {
        let wallis = brent(|x| x * x * x - 2.0 * x - 5.0, 2.0, 3.0, 1e-15);
        assert!((wallis - WALLIS).abs() < 1e-14, "{wallis}");
        let dottie = brent(|x| x.cos() - x, 0.0, 1.0, 1e-15);
        assert!((dottie - DOTTIE).abs() < 1e-14, "{dottie}");
        // Reversed bracket and a decreasing function.
        let reversed = brent(|x| x - x.cos(), 1.0, 0.0, 1e-15);
        assert!((reversed - DOTTIE).abs() < 1e-14, "{reversed}");
    }

    #[test]
    fn brent_is_economical() {
        let mut calls = 0;
        let root = brent(
            |x| {
                calls += 1;
                x.cos() - x
            },
            -10.0,
            10.0,
            1e-15,
        );
        assert!((root - DOTTIE).abs() < 1e-14);
        assert!(calls < 30, "{calls} evaluations");
    }

    #[test]
    fn brent_handles_steps_and_flat_tails() {
        // A root where f is nearly a step: bisection must take over from interpolation.
        let root = brent(|x| (1e4 * (x - 0.3)).tanh(), -1.0, 1.0, 1e-15);
        assert!((root - 0.3).abs() < 1e-14, "{root}");
    }

    #[test]
    fn brent_returns_an_endpoint_root_exactly() {
        assert_eq!(brent(|x| x * (x + 1.0), 0.0, 1.0, 1e-15), 0.0);
        assert_eq!(brent(|x| x - 1.0, 0.0, 1.0, 1e-15), 1.0);
    }

    #[test]
    fn brent_without_a_sign_change_returns_the_closer_endpoint() {
        assert_eq!(brent(|x| x * x + 1.0, -0.5, 2.0, 1e-15), -0.5);
    }

    #[test]
    fn kronrod_is_exact_for_degree_22() {
        // ∫₋₁² x²² dx = (2²³ + 1)/23 in one segment: no adaptation needed.
        let mut calls = 0;
        let value = integrate(
            |x| {
                calls += 1;
                x.powi(22)
            },
            &[-1.0, 2.0],
            1e300,
        );
        let exact = (2f64.powi(23) + 1.0) / 23.0;
        assert!((value / exact - 1.0).abs() < 1e-14, "{value}");
        assert_eq!(calls, 15);
    }

    #[test]
    fn gauss_weights_are_exact_for_degree_13() {
        // K15 − G7 vanishes for x¹³ + x¹² (G7 is exact up to degree 13).
        let s = Segment::new(&mut |x: f64| x.powi(13) + x.powi(12), 0.0, 1.0);
        assert!((s.value - (1.0 / 14.0 + 1.0 / 13.0)).abs() < 1e-15);
        assert!(s.error < 1e-14, "{}", s.error);
    }

    #[test]
    fn integrate_handles_endpoint_singularities() {
        let root = integrate(f64::sqrt, &[0.0, 1.0], 1e-13);
        assert!((root - 2.0 / 3.0).abs() < 1e-13, "{root}");
        let inverse_root = integrate(|x| 1.0 / x.sqrt(), &[0.0, 1.0], 1e-10);
        assert!((inverse_root - 2.0).abs() < 1e-9, "{inverse_root}");
    }

    #[test]
    fn integrate_resolves_a_narrow_peak_given_a_breakpoint() {
        // A normal density with sd 1e-3 at 0.4 on [0, 1]: mass 1 (to 1e-300).
        let sd = 1e-3;
        let density = |x: f64| {
            let u = (x - 0.4) / sd;
            (-0.5 * u * u).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt())
        };
        let mass = integrate(density, &[0.0, 0.4, 1.0], 1e-13);
        assert!((mass - 1.0).abs() < 1e-13, "{mass}");
    }

    #[test]
    fn integrate_stops_when_rounding_dominates() {
        // Noise of relative size 1e-12 can never meet a 1e-20 tolerance: the roundoff test
        // must end the bisections long before the cap on sub-intervals.
        let mut calls = 0u32;
        let noisy = |x: f64| {
            calls += 1;
            let hash = (x * 1e9).to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            1.0 + 1e-12 * (hash as f64 / (1u64 << 24) as f64 - 0.5)
        };
        let value = integrate(noisy, &[0.0, 1.0], 1e-20);
        assert!((value - 1.0).abs() < 1e-11, "{value}");
        assert!(calls < 15 * 2 * 100, "{calls} evaluations");
    }

    #[test]
    fn integrate_of_nothing_is_zero() {
        assert_eq!(integrate(|x| x, &[0.5], 1e-13), 0.0);
    }
}
