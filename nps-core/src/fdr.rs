//! Many tests at once: the Benjamini–Hochberg false discovery rate.
//!
//! When every segment, period and touchpoint is tested, some p-values fall under 0.05 by chance
//! alone. Results that report many tests carry BH-adjusted p-values (q-values) and call a test
//! significant when its q-value is below the chosen rate, so that among the results called
//! significant the expected share of false ones is at most that rate.

use serde::{Deserialize, Serialize};

/// The name the results give the adjustment.
pub const BENJAMINI_HOCHBERG: &str = "benjamini-hochberg";

/// How a family of tests was adjusted: reported with every result that tests many things.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    /// The procedure ("benjamini-hochberg").
    pub method: String,
    /// The false discovery rate controlled (a test is significant when its q-value is below).
    pub rate: f64,
    /// Number of tests in the family.
    pub tests: usize,
}

impl Adjustment {
    /// The Benjamini–Hochberg adjustment of `tests` tests at false discovery rate `rate`.
    pub fn benjamini_hochberg(rate: f64, tests: usize) -> Self {
        Adjustment {
            method: BENJAMINI_HOCHBERG.into(),
            rate,
            tests,
        }
    }
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the order of `p_values`.
///
/// # Formula
/// With the m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎:
/// q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎ / j) (Benjamini & Hochberg 1995, J. R. Stat. Soc. B
/// 57:289; the adjusted form of R's `p.adjust(method = "BH")`). Rejecting every test with
/// q < α controls the false discovery rate at α for independent or positively dependent tests.
/// NaN p-values are left NaN and do not count in m.
///
/// # Examples
/// ```
/// use nps_core::benjamini_hochberg;
/// // By hand: sorted 0.01, 0.03, 0.04, 0.20 give 4·0.01/1, min(4·0.03/2, 4·0.04/3), …
/// let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.20]);
/// assert!((q[0] - 0.04).abs() < 1e-15);
/// assert!((q[1] - 0.16 / 3.0).abs() < 1e-15);
/// assert!((q[2] - 0.16 / 3.0).abs() < 1e-15);
/// assert!((q[3] - 0.20).abs() < 1e-15);
/// ```
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = order.len() as f64;
    let mut q = vec![f64::NAN; p_values.len()];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p_values[i] * m / (rank + 1) as f64);
        q[i] = running;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_p_adjust() {
        // Checked against the definition, and by hand: q₍₁₎ = min(25·0.001/1, …) = 0.025,
        // q₍₂₎ = min(25·0.008/2, 25·0.041/4, …) = 0.1, q₍₂₅₎ = 0.986.
        let p = [
            0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251,
            0.269, 0.275, 0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975,
            0.986,
        ];
        let q = benjamini_hochberg(&p);
        // Hand check of the definition: q_(i) = min_{j>=i} m p_(j) / j.
        let m = p.len() as f64;
        for (i, &qi) in q.iter().enumerate() {
            let expect = (i..p.len())
                .map(|j| (m * p[j] / (j + 1) as f64).min(1.0))
                .fold(f64::INFINITY, f64::min);
            assert!((qi - expect).abs() < 1e-15, "{i}");
        }
        assert!((q[0] - 0.025).abs() < 1e-15);
        assert!((q[1] - 0.1).abs() < 1e-15);
        assert!((q[24] - 0.986).abs() < 1e-15);
    }

    #[test]
    fn benjamini_hochberg_1995_example() {
        // The 15 p-values of Benjamini & Hochberg (1995, §4.2): at q* = 0.05 the procedure
        // rejects the four smallest (p₍₄₎ = 0.0095 ≤ 4/15·0.05; p₍₅₎ = 0.0201 > 5/15·0.05).
        let p = [
            0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
            0.5719, 0.6528, 0.7590, 1.000,
        ];
        let rejected = benjamini_hochberg(&p)
            .iter()
            .filter(|&&q| q <= 0.05)
            .count();
        assert_eq!(rejected, 4);
    }

    #[test]
    fn nan_and_empty() {
        assert!(benjamini_hochberg(&[]).is_empty());
        let q = benjamini_hochberg(&[f64::NAN, 0.02, 0.04]);
        assert!(q[0].is_nan());
        assert!((q[1] - 0.04).abs() < 1e-15 && (q[2] - 0.04).abs() < 1e-15);
    }
}
