//! Survey planning: the margin of error of a sample, and the sample a margin needs.

use crate::tally::Shares;
use crate::{Error, Result, level};

impl Shares {
    /// Expected shares from the promoter and detractor shares (passives are the rest).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless both lie in [0, 1] and add up to at most 1.
    pub fn from_promoters_detractors(promoters: f64, detractors: f64) -> Result<Shares> {
        for (field, v) in [("promoters", promoters), ("detractors", detractors)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::InvalidArgument {
                    field,
                    value: v.to_string(),
                    expected: "an expected share is a fraction in [0, 1]",
                });
            }
        }
        if promoters + detractors > 1.0 + 1e-12 {
            return Err(Error::InvalidArgument {
                field: "promoters + detractors",
                value: (promoters + detractors).to_string(),
                expected: "expected shares of promoters and detractors add up to at most 1",
            });
        }
        Ok(Shares {
            promoters,
            passives: (1.0 - promoters - detractors).max(0.0),
            detractors,
        })
    }
}

/// Unit variance V = pP + pD − (pP − pD)²; the worst case V = 1 (half promoters, half
/// detractors) when no shares are expected.
fn unit_variance(expected: Option<Shares>) -> f64 {
    expected.map_or(1.0, |s| s.unit_variance())
}

fn check_population(population: Option<u64>, n: u64) -> Result<()> {
    match population {
        Some(big_n) if big_n == 0 || big_n < n => Err(Error::InvalidArgument {
            field: "population",
            value: big_n.to_string(),
            expected: "the population must be positive and at least the sample size",
        }),
        _ => Ok(()),
    }
}

/// Half-width, in points, of the Wald interval a sample of `n` gives.
///
/// # Formula
/// E = 100·z·√(V/n), V = pP + pD − (pP − pD)² (V = 1 worst case); with a finite population N,
/// E is multiplied by √((N − n)/(N − 1)).
///
/// # Errors
/// [`Error::InvalidLevel`]; [`Error::Empty`] for n = 0; [`Error::InvalidArgument`] for a
/// population smaller than n.
///
/// # Examples
/// ```
/// // 385 answers give ±10 points at 95 % in the worst case.
/// let e = nps_core::margin_of_error(385, 0.95, None, None)?;
/// assert!(e < 10.0 && e > 9.9);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn margin_of_error(
    n: u64,
    level: f64,
    expected: Option<Shares>,
    population: Option<u64>,
) -> Result<f64> {
    let z = level::z_critical(level)?;
    if n == 0 {
        return Err(Error::Empty {
            what: "a margin of error",
            needed: 1,
            n,
        });
    }
    check_population(population, n)?;
    let fpc = population.map_or(1.0, |big_n| {
        if big_n > 1 {
            (big_n - n) as f64 / (big_n - 1) as f64
        } else {
            0.0
        }
    });
    Ok(100.0 * z * (unit_variance(expected) / n as f64 * fpc).sqrt())
}

/// Number of answers needed for a Wald half-width of `margin` points.
///
/// # Formula
/// n₀ = z²·V/E² with E = margin/100 and V as in [`margin_of_error`]; with a finite population N,
/// n = n₀/(1 + (n₀ − 1)/N). The result is rounded up.
///
/// # Errors
/// [`Error::InvalidLevel`]; [`Error::InvalidArgument`] for a margin outside (0, 200] or a zero
/// population.
///
/// # Examples
/// ```
/// // ±5 points at 95 %, worst case: 1,537 answers.
/// assert_eq!(nps_core::sample_size(5.0, 0.95, None, None)?, 1537);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn sample_size(
    margin: f64,
    level: f64,
    expected: Option<Shares>,
    population: Option<u64>,
) -> Result<u64> {
    let z = level::z_critical(level)?;
    if !(margin > 0.0 && margin <= 200.0) {
        return Err(Error::InvalidArgument {
            field: "margin",
            value: margin.to_string(),
            expected: "the margin is a half-width in NPS points, in (0, 200]",
        });
    }
    check_population(population, 0)?;
    let e = margin / 100.0;
    let n0 = z * z * unit_variance(expected) / (e * e);
    let n = population.map_or(n0, |big_n| n0 / (1.0 + (n0 - 1.0) / big_n as f64));
    // Guard against 1536.0000000000002 becoming 1537 when n₀ is an exact integer.
    Ok(((n - 1e-9).ceil() as u64).max(1))
}
