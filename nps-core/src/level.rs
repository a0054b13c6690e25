//! Confidence levels and the normal quantiles behind them.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::{Error, Result};

/// Checks a confidence level lies strictly inside (0, 1).
///
/// # Errors
/// [`Error::InvalidLevel`] otherwise (0, 1, 1.5, NaN…).
pub(crate) fn check(level: f64) -> Result<()> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Error::InvalidLevel(level))
    }
}

/// Two-sided critical value z = Φ⁻¹(1 − (1 − level)/2), from the exact normal quantile
/// (1.959963984540054 at 95 %, not 1.96).
///
/// # Errors
/// [`Error::InvalidLevel`].
pub fn z_critical(level: f64) -> Result<f64> {
    check(level)?;
    Ok(standard_normal().inverse_cdf(0.5 + level / 2.0))
}

/// Two-sided p-value of a standard normal statistic.
///
/// # Formula
/// p = 2(1 − Φ(|z|)) = P(χ²₁ > z²) = Q(½, z²/2), the regularized upper incomplete gamma
/// function (Abramowitz & Stegun 26.4.19 with 6.5.3). Computed that way because statrs' `erfc`
/// loses about 1e-11 here while its incomplete gamma holds 1e-16.
pub fn p_value_two_sided(z: f64) -> f64 {
    if z.is_nan() {
        f64::NAN
    } else if z.is_infinite() {
        0.0
    } else if z == 0.0 {
        1.0
    } else {
        statrs::function::gamma::gamma_ur(0.5, z * z / 2.0)
    }
}

fn standard_normal() -> Normal {
    Normal::standard()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_is_the_exact_quantile() {
        assert!((z_critical(0.95).unwrap() - 1.959963984540054).abs() < 1e-14);
        assert!((z_critical(0.9).unwrap() - 1.6448536269514722).abs() < 1e-14);
    }

    #[test]
    fn p_values_match_the_normal_tail() {
        assert!((p_value_two_sided(1.7541160386140582) - 0.07941062599894229).abs() < 1e-15);
        assert_eq!(p_value_two_sided(0.0), 1.0);
        assert_eq!(p_value_two_sided(f64::NEG_INFINITY), 0.0);
        assert!((p_value_two_sided(-1.959963984540054) - 0.05).abs() < 1e-15);
    }

    #[test]
    fn levels_outside_the_open_unit_interval_fail() {
        for bad in [0.0, 1.0, 1.5, -0.1, f64::NAN] {
            assert!(z_critical(bad).is_err());
        }
    }
}
