//! Against competitors: the strategic study (战略NPS) compares the own brand with each
//! competitor overall, per segment, product line and period; says where a competitor is gaining;
//! and compares the mean rating of each driver with the best competitor.

use serde::{Deserialize, Serialize};

use crate::Result;
use crate::compare::{Comparison, compare};
use crate::cube::Cube;
use crate::fdr::{Adjustment, benjamini_hochberg};
use crate::group::{GroupOptions, Key, Level};
use crate::interval::{Estimate, Method};
use crate::priority::{Sample, mean_interval, welch_p};
use crate::table::Table;
use crate::trend::{Direction, Slope, TrendOptions, trend};

/// Options of a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkOptions {
    /// Interval method of each NPS (default adjusted Wald).
    pub method: Method,
    /// Test of each gap: `wald` or `adjusted_wald` (default).
    pub comparison: Method,
    /// Confidence level (default 0.95).
    pub level: f64,
    /// False discovery rate over all gaps, and over all competitor trends (default 0.05).
    pub rate: f64,
    /// Groups with fewer answers are flagged `small` (default 30).
    pub min_n: u64,
}

impl Default for BenchmarkOptions {
    fn default() -> Self {
        BenchmarkOptions {
            method: Method::default(),
            comparison: Method::AdjustedWald,
            level: 0.95,
            rate: 0.05,
            min_n: crate::group::DEFAULT_MIN_N,
        }
    }
}

/// The own brand's lead over one competitor in one group, with its test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// NPS(own) − NPS(competitor): positive when the own brand leads.
    pub comparison: Comparison,
    /// Benjamini–Hochberg q-value over every gap of the benchmark.
    pub q_value: f64,
    /// q-value below the rate.
    pub significant: bool,
}

/// One brand in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandRow {
    /// The dimension of the group (`None` for overall).
    pub dimension: Option<String>,
    /// The group's value ([`Level::All`] for overall).
    pub segment: Level,
    /// The brand.
    pub brand: String,
    /// Its NPS; `None` without answers.
    pub estimate: Option<Estimate>,
    /// Fewer answers than `min_n`.
    pub small: bool,
    /// Rank by NPS among the brands with answers in this group (1 = highest).
    pub rank: Option<u32>,
    /// For a competitor: the own brand's lead over it (`None` for the own brand, or without
    /// answers on either side).
    pub gap: Option<Gap>,
}

/// A competitor whose NPS rises significantly in a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gain {
    /// The competitor.
    pub brand: String,
    /// The dimension of the segment (`None`: the competitor overall).
    pub dimension: Option<String>,
    /// The segment.
    pub segment: Level,
    /// The competitor's slope there (q-value over every brand × segment trend).
    pub slope: Slope,
    /// The own brand's slope in the same segment, for contrast.
    pub own_slope: Option<Slope>,
}

/// A driver's mean rating for one brand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverMean {
    /// The driver.
    pub driver: String,
    /// The brand.
    pub brand: String,
    /// Ratings given (NaN = not rated, excluded).
    pub n: u64,
    /// Mean rating.
    pub mean: f64,
    /// Standard deviation (n − 1).
    pub sd: f64,
    /// Lower bound of the t interval of the mean.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
    /// For the own brand: own mean − the best competitor's mean (negative = lagging).
    pub gap_to_best: Option<f64>,
    /// For the own brand: the best competitor.
    pub best_competitor: Option<String>,
    /// For the own brand: Welch two-sided p-value of the gap.
    pub gap_p_value: Option<f64>,
}

/// The result of [`benchmark`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// The brand dimension.
    pub brand_dimension: String,
    /// The own brand.
    pub own: String,
    /// Every brand overall, then per value of each key of `by`.
    pub rows: Vec<BrandRow>,
    /// How the gaps were adjusted for multiplicity.
    pub gaps_adjustment: Adjustment,
    /// Competitors rising significantly, overall or per segment (only with a period unit).
    pub gains: Vec<Gain>,
    /// Mean driver ratings per brand (every driver of the table).
    pub drivers: Vec<DriverMean>,
    /// The options used.
    pub options: BenchmarkOptions,
}

/// The strategic study: the own brand `own` (a value of dimension `brand`) against every other
/// brand, overall and per value of each key in `by` (each key separately: per region, per age
/// band, per quarter…).
///
/// Each gap is NPS(own) − NPS(competitor) tested by [`compare`]; all gaps form one family
/// adjusted by Benjamini–Hochberg. With `unit`, every brand's NPS trend is computed overall and
/// per value of each dimension in `by`, and the competitor series that rise significantly
/// (adjusted over all brand × segment series) are reported as gains, next to the own brand's
/// slope there. Driver means use every driver of the table, with t intervals and, for the own
/// brand, the gap to the best competitor with Welch's test.
///
/// # Errors
/// [`Error::UnknownColumn`](crate::Error::UnknownColumn), [`Error::UnknownValue`](crate::Error::UnknownValue) when `own` is not a brand; the options'
/// errors (as [`trend`] for the rate and comparison method).
pub fn benchmark(
    table: &Table,
    brand: &str,
    own: &str,
    by: &[Key],
    unit: Option<crate::period::PeriodUnit>,
    options: &BenchmarkOptions,
) -> Result<Benchmark> {
    let trend_options = TrendOptions {
        unit: unit.unwrap_or(crate::period::PeriodUnit::Month),
        method: options.method,
        comparison: options.comparison,
        level: options.level,
        rate: options.rate,
        min_n: options.min_n,
        window: 1,
    };
    let group = GroupOptions {
        method: options.method,
        level: options.level,
        min_n: options.min_n,
        margins: false,
    };
    group.validate()?;
    let brands = table.dimension(brand)?;
    let own_code = brands.code_of(own)?;
    let brand_key = Key::Dimension(brand.to_owned());

    let mut rows = Vec::new();
    let mut groupings: Vec<(Option<String>, Cube)> =
        vec![(None, Cube::build(table, std::slice::from_ref(&brand_key))?)];
    for key in by {
        groupings.push((
            Some(key.name()),
            Cube::build(table, &[key.clone(), brand_key.clone()])?,
        ));
    }
    for (dimension, cube) in &groupings {
        let segments: Vec<Option<u32>> = match dimension {
            None => vec![None],
            Some(_) => (0..cube.axes[0].labels.len() as u32).map(Some).collect(),
        };
        for segment in segments {
            let cell = |b: u32| match segment {
                None => cube.get(&[b]),
                Some(s) => cube.get(&[s, b]),
            };
            let own_tally = cell(own_code).filter(|t| t.n() > 0);
            let mut block = Vec::new();
            for (b, name) in brands.levels().iter().enumerate() {
                let Some(tally) = cell(b as u32).filter(|t| t.n() + t.missing() > 0) else {
                    continue;
                };
                let (estimate, small) = group.estimate(tally)?;
                let gap = match own_tally {
                    Some(o) if b as u32 != own_code && tally.n() > 0 => Some(Gap {
                        comparison: compare(o, tally, options.comparison, options.level)?,
                        q_value: f64::NAN,
                        significant: false,
                    }),
                    _ => None,
                };
                block.push(BrandRow {
                    dimension: dimension.clone(),
                    segment: segment
                        .map_or(Level::All, |s| cube.axes[0].labels[s as usize].clone()),
                    brand: name.clone(),
                    estimate,
                    small,
                    rank: None,
                    gap,
                });
            }
            rank(&mut block);
            rows.extend(block);
        }
    }
    let gaps: Vec<&mut Gap> = rows.iter_mut().filter_map(|r| r.gap.as_mut()).collect();
    let q = benjamini_hochberg(
        &gaps
            .iter()
            .map(|g| g.comparison.p_value)
            .collect::<Vec<_>>(),
    );
    let tested = gaps.len();
    for (g, q) in gaps.into_iter().zip(q) {
        g.q_value = q;
        g.significant = q < options.rate;
    }

    let gains = match unit {
        Some(_) => gains(table, &brand_key, own, by, &trend_options)?,
        None => Vec::new(),
    };
    Ok(Benchmark {
        brand_dimension: brand.to_owned(),
        own: own.to_owned(),
        rows,
        gaps_adjustment: Adjustment::benjamini_hochberg(options.rate, tested),
        gains,
        drivers: driver_means(table, brand, own, options.level)?,
        options: *options,
    })
}

/// Ranks a group's brands by NPS (1 = highest; ties share the better rank).
fn rank(block: &mut [BrandRow]) {
    let scores: Vec<Option<f64>> = block.iter().map(|r| r.estimate.map(|e| e.nps)).collect();
    for (row, score) in block.iter_mut().zip(&scores) {
        row.rank = score.map(|s| 1 + scores.iter().flatten().filter(|&&o| o > s).count() as u32);
    }
}

/// Competitor series (overall and per segment of each dimension key) that rise significantly.
fn gains(
    table: &Table,
    brand_key: &Key,
    own: &str,
    by: &[Key],
    options: &TrendOptions,
) -> Result<Vec<Gain>> {
    // One family of slopes: every brand overall and per segment.
    let mut families: Vec<(Option<String>, crate::trend::Trend)> = vec![(
        None,
        trend(table, std::slice::from_ref(brand_key), options)?,
    )];
    for key in by.iter().filter(|k| matches!(k, Key::Dimension(_))) {
        families.push((
            Some(key.name()),
            trend(table, &[brand_key.clone(), key.clone()], options)?,
        ));
    }
    let mut slopes: Vec<(usize, usize, Slope)> = Vec::new();
    for (f, (_, t)) in families.iter().enumerate() {
        for (s, series) in t.series.iter().enumerate() {
            if let Some(slope) = series.slope {
                slopes.push((f, s, slope));
            }
        }
    }
    let q = benjamini_hochberg(&slopes.iter().map(|x| x.2.p_value).collect::<Vec<_>>());
    let mut out = Vec::new();
    for ((f, s, mut slope), q) in slopes.into_iter().zip(q) {
        slope.q_value = q;
        let rising = q < options.rate && slope.per_period > 0.0;
        slope.direction = if rising {
            Direction::Rising
        } else {
            slope.direction
        };
        let (dimension, t) = &families[f];
        let series = &t.series[s];
        let brand = series.levels[0].value().unwrap_or_default();
        if !rising || brand == own {
            continue;
        }
        let segment = series.levels.get(1).cloned().unwrap_or(Level::All);
        let own_slope = t
            .series
            .iter()
            .find(|o| o.levels[0].value() == Some(own) && o.levels.get(1) == series.levels.get(1))
            .and_then(|o| o.slope);
        out.push(Gain {
            brand: brand.to_owned(),
            dimension: dimension.clone(),
            segment,
            slope,
            own_slope,
        });
    }
    Ok(out)
}

/// Mean rating of every driver per brand, with t intervals, and the own brand's gap to the
/// best competitor (Welch's t-test); the statistics are [`crate::priority`]'s (unweighted here).
///
/// # Formula
/// Mean x̄ = Σx/n and s² = Σ(x − x̄)²/(n − 1) over the rated rows; interval
/// x̄ ± t_{n−1, 1−α/2}·s/√n. Gap x̄_own − x̄_best with SE √(s²_own/n_own + s²_best/n_best) and
/// Welch–Satterthwaite degrees of freedom (Welch 1947).
fn driver_means(table: &Table, brand: &str, own: &str, level: f64) -> Result<Vec<DriverMean>> {
    let brands = table.dimension(brand)?;
    let own_code = brands.code_of(own)? as usize;
    let mut out = Vec::new();
    for driver in table.drivers() {
        let samples: Vec<Option<Sample>> = (0..brands.levels().len() as u32)
            .map(|b| {
                let rated = brands.codes().iter().zip(driver.ratings());
                Sample::new(rated.filter(move |(c, _)| **c == b).map(|(_, &x)| (x, 1.0)))
            })
            .collect();
        let best = samples
            .iter()
            .enumerate()
            .filter(|&(b, _)| b != own_code)
            .filter_map(|(b, s)| s.map(|s| (b, s)))
            .max_by(|x, y| x.1.mean.total_cmp(&y.1.mean));
        for (b, name) in brands.levels().iter().enumerate() {
            let Some(s) = samples[b] else {
                continue;
            };
            let (low, high) = mean_interval(&s, level);
            let gap = best.filter(|_| b == own_code).map(|(c, best)| {
                (
                    s.mean - best.mean,
                    brands.levels()[c].clone(),
                    welch_p(&s, &best),
                )
            });
            out.push(DriverMean {
                driver: driver.name().to_owned(),
                brand: name.clone(),
                n: s.n,
                mean: s.mean,
                sd: s.var.sqrt(),
                low,
                high,
                gap_to_best: gap.as_ref().map(|g| g.0),
                best_competitor: gap.as_ref().map(|g| g.1.clone()),
                gap_p_value: gap.as_ref().map(|g| g.2),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::period::Date;
    use crate::table::Dimension;

    fn table() -> Table {
        // Own: NPS 40 (70 % promoters, 30 % detractors); Rival: 0 (50/50); 100 each.
        let mut scores = Vec::new();
        let mut brand = Vec::new();
        let mut region = Vec::new();
        let mut rating = Vec::new();
        for (b, promoters) in [("Own", 70), ("Rival", 50)] {
            for i in 0..100 {
                scores.push(if i < promoters { 10u8 } else { 2 });
                brand.push(Some(b));
                region.push(Some(if i % 2 == 0 { "N" } else { "S" }));
                rating.push(if b == "Own" {
                    3.0 + (i % 3) as f64
                } else {
                    4.0 + (i % 3) as f64
                });
            }
        }
        let dates = (0..200)
            .map(|i| Date::from_ymd(2024, 1 + (i % 4) as u32, 1).unwrap())
            .collect();
        Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("brand", &brand))
            .unwrap()
            .with_dimension(Dimension::from_values("region", &region))
            .unwrap()
            .with_dates(dates)
            .unwrap()
            .with_driver("app_ease", rating)
            .unwrap()
    }

    #[test]
    fn gaps_ranks_and_driver_means() {
        let t = table();
        let b = benchmark(
            &t,
            "brand",
            "Own",
            &["region".into()],
            None,
            &BenchmarkOptions {
                comparison: Method::Wald,
                ..BenchmarkOptions::default()
            },
        )
        .unwrap();
        // Overall rows first: Own then Rival.
        let own = &b.rows[0];
        assert_eq!((own.brand.as_str(), own.rank), ("Own", Some(1)));
        let rival = &b.rows[1];
        assert_eq!(rival.rank, Some(2));
        let gap = rival.gap.unwrap();
        assert!((gap.comparison.difference - 40.0).abs() < 1e-9);
        assert!(gap.significant);
        assert!(own.gap.is_none());
        // Two regions × two brands follow.
        assert_eq!(b.rows.len(), 6);
        assert_eq!(b.gaps_adjustment.tests, 3);
        let own_app = b.drivers.iter().find(|d| d.brand == "Own").unwrap();
        assert!((own_app.gap_to_best.unwrap() - (-1.0)).abs() < 1e-12);
        assert_eq!(own_app.best_competitor.as_deref(), Some("Rival"));
        assert!(own_app.gap_p_value.unwrap() < 1e-10);
        // Ratings 3,4,5 repeated: mean 3.99, t interval around it.
        assert!(own_app.low < own_app.mean && own_app.mean < own_app.high);
    }

    #[test]
    fn unknown_own_brand_is_an_error() {
        let t = table();
        let e =
            benchmark(&t, "brand", "Acme", &[], None, &BenchmarkOptions::default()).unwrap_err();
        assert!(matches!(e, Error::UnknownValue { .. }), "{e}");
        let e = benchmark(&t, "brnad", "Own", &[], None, &BenchmarkOptions::default()).unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
    }
}
