//! Why did it move: the change in NPS between two periods (or two groups) split, along a
//! dimension, into a mix effect (the segments' shares changed) and a rate effect (the NPS within
//! segments changed), segment by segment, with a standard error for each segment's part.
//!
//! The seed's worked example (seed 000) is this question: which region or age band pulled the
//! average down.

use serde::{Deserialize, Serialize};

use crate::compare::{Comparison, compare};
use crate::cube::Cube;
use crate::group::{Key, Level};
use crate::interval::Method;
use crate::level::z_critical;
use crate::period::PeriodUnit;
use crate::scale::Category;
use crate::table::Table;
use crate::tally::Tally;
use crate::{Error, Result};

/// The two sets of rows compared: `from` is the baseline, `to` the one explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// Two periods of a unit, by label ("2024-Q2" to "2024-Q3").
    Periods {
        /// The period unit.
        unit: PeriodUnit,
        /// The baseline period's label.
        from: String,
        /// The later period's label.
        to: String,
    },
    /// Two values of a dimension ("brand": "Rival A" to "Own").
    Values {
        /// The dimension.
        dimension: String,
        /// The baseline value.
        from: String,
        /// The value explained.
        to: String,
    },
}

impl Split {
    fn key(&self) -> Key {
        match self {
            Split::Periods { unit, .. } => Key::Period(*unit),
            Split::Values { dimension, .. } => Key::Dimension(dimension.clone()),
        }
    }

    fn labels(&self) -> (&str, &str) {
        match self {
            Split::Periods { from, to, .. } | Split::Values { from, to, .. } => (from, to),
        }
    }
}

/// One segment's part of the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentEffect {
    /// The segment (a value of the dimension).
    pub segment: Level,
    /// Its share of responses (of weight when weighted) in `from`.
    pub share_from: f64,
    /// Its share in `to`.
    pub share_to: f64,
    /// Its NPS in `from`; `None` when it had no answers there.
    pub nps_from: Option<f64>,
    /// Its NPS in `to`; `None` when it had no answers there.
    pub nps_to: Option<f64>,
    /// Mix effect: (s_to − s_from)·(N̄_g − N̄), points.
    pub mix: f64,
    /// Rate effect: s̄_g·(N_to,g − N_from,g), points.
    pub rate: f64,
    /// mix + rate: the segment's part of the change, points.
    pub contribution: f64,
    /// Standard error of the contribution (delta method), points.
    pub se: f64,
    /// Lower bound of the contribution's interval.
    pub low: f64,
    /// Upper bound of the contribution's interval.
    pub high: f64,
}

/// The change split along one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decomposition {
    /// The dimension.
    pub dimension: String,
    /// Σ mix.
    pub mix: f64,
    /// Σ rate.
    pub rate: f64,
    /// The segments, ranked from the one that pulled the NPS up most to the one that pulled it
    /// down most (by contribution).
    pub segments: Vec<SegmentEffect>,
}

/// The result of [`attribute`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// What was compared.
    pub split: Split,
    /// The overall change, to − from, with its test (Wald).
    pub change: Comparison,
    /// One decomposition per dimension asked; in each, mix + rate = the change exactly.
    pub decompositions: Vec<Decomposition>,
}

/// Splits the NPS change between the two sides of `split` along each of `dimensions`.
///
/// # Formula
/// With segment shares s (of responses, or of weight) and segment NPS N on each side, NPS =
/// Σ s_g N_g. The symmetric (midpoint) decomposition, bars denoting the mean of the two sides:
///
/// - mix_g = (s_to,g − s_from,g)·(N̄_g − N̄), N̄ the mean overall NPS;
/// - rate_g = s̄_g·(N_to,g − N_from,g);
///
/// and Σ(mix_g + rate_g) = NPS_to − NPS_from exactly, with no residual (an interaction term is
/// what the one-sided, Laspeyres-style forms leave over; the midpoint shares it evenly). Centring
/// the mix on N̄ does not change the total (Σ Δs = 0) but makes each segment's mix read
/// naturally: a segment below average that grows pulls the total down. A segment without
/// answers on one side takes its other side's NPS there (its rate effect is 0; its whole
/// contribution is mix).
///
/// The standard error of each contribution is the delta method on the multinomial of
/// segment × category cells of each side (sides independent): Var = Σ_side ∇ᵀ(diag q − q qᵀ)∇/n,
/// with the gradient taken numerically. Weighted tallies use weighted cell shares and the
/// side's Kish effective sample size.
///
/// # Errors
/// [`Error::UnknownColumn`] for an unknown dimension, [`Error::UnknownValue`] when a side's
/// label is not a value of the split's key, [`Error::Empty`] when a side has no answers,
/// [`Error::InvalidLevel`].
pub fn attribute(
    table: &Table,
    dimensions: &[&str],
    split: &Split,
    level: f64,
) -> Result<Attribution> {
    let z = z_critical(level)?;
    let key = split.key();
    let mut decompositions = Vec::with_capacity(dimensions.len());
    let mut change = None;
    for &dimension in dimensions {
        let cube = Cube::build(table, &[key.clone(), Key::Dimension(dimension.to_owned())])?;
        // A side is a value some response has (an unused category is unknown).
        let side = |label: &str| -> Result<u32> {
            cube.axes[0]
                .labels
                .iter()
                .position(|l| l.value() == Some(label))
                .map(|i| i as u32)
                .filter(|&i| cube.cells().any(|(idx, _)| idx[0] == i))
                .ok_or_else(|| Error::UnknownValue {
                    dimension: cube.axes[0].name.clone(),
                    value: label.to_owned(),
                })
        };
        let (from, to) = split.labels();
        let (from, to) = (side(from)?, side(to)?);
        let empty = Tally::new(table.scale());
        let segments = &cube.axes[1].labels;
        let tallies = |s: u32| -> Vec<Tally> {
            (0..segments.len() as u32)
                .map(|g| cube.get(&[s, g]).unwrap_or(&empty).clone())
                .collect()
        };
        let (a, b) = (tallies(from), tallies(to));
        if change.is_none() {
            let total = |t: &[Tally]| t.iter().sum::<Tally>();
            change = Some(compare(&total(&b), &total(&a), Method::Wald, level)?);
        }
        decompositions.push(decompose(dimension, segments, &a, &b, z)?);
    }
    let change = match change {
        Some(c) => c,
        None => {
            return Err(Error::InvalidArgument {
                field: "dimensions",
                value: "[]".into(),
                expected: "at least one dimension to split the change along",
            });
        }
    };
    Ok(Attribution {
        split: split.clone(),
        change,
        decompositions,
    })
}

/// Cell shares of one side: per segment, (detractor, passive, promoter) share of the side's
/// total weight, and the side's effective sample size.
fn cells(tallies: &[Tally]) -> Result<(Vec<[f64; 3]>, f64)> {
    let total: Tally = tallies.iter().sum();
    let n = total.n_eff()?;
    let w: Vec<[f64; 3]> = tallies.iter().map(|t| t.weight_sums().sum_w).collect();
    let sum: f64 = w.iter().flatten().sum();
    Ok((w.iter().map(|c| c.map(|x| x / sum)).collect(), n))
}

/// Per segment (share, NPS or NaN when empty) of a side, from cell shares (any positive scale).
fn shares_and_nps(q: &[[f64; 3]]) -> Vec<(f64, f64)> {
    let total: f64 = q.iter().flatten().sum();
    q.iter()
        .map(|c| {
            let s: f64 = c.iter().sum();
            let nps =
                100.0 * (c[Category::Promoter as usize] - c[Category::Detractor as usize]) / s;
            (s / total, if s > 0.0 { nps } else { f64::NAN })
        })
        .collect()
}

/// (mix_g, rate_g) for every segment from the two sides' cell shares.
fn effects(a: &[[f64; 3]], b: &[[f64; 3]]) -> Vec<(f64, f64)> {
    let (sa, sb) = (shares_and_nps(a), shares_and_nps(b));
    let overall =
        |s: &[(f64, f64)]| -> f64 { s.iter().filter(|x| x.0 > 0.0).map(|x| x.0 * x.1).sum() };
    let mean = (overall(&sa) + overall(&sb)) / 2.0;
    sa.iter()
        .zip(&sb)
        .map(|(&(s1, n1), &(s2, n2))| {
            let (n1, n2) = match (n1.is_nan(), n2.is_nan()) {
                (true, true) => (0.0, 0.0),
                (true, false) => (n2, n2),
                (false, true) => (n1, n1),
                (false, false) => (n1, n2),
            };
            let mix = (s2 - s1) * ((n1 + n2) / 2.0 - mean);
            let rate = (s1 + s2) / 2.0 * (n2 - n1);
            (mix, rate)
        })
        .collect()
}

/// The decomposition of one dimension from the per-segment tallies of the two sides.
fn decompose(
    dimension: &str,
    segments: &[Level],
    from: &[Tally],
    to: &[Tally],
    z: f64,
) -> Result<Decomposition> {
    let (qa, na) = cells(from)?;
    let (qb, nb) = cells(to)?;
    let base = effects(&qa, &qb);
    let variances = contribution_variances(&qa, &qb, na, nb);
    let (sa, sb) = (shares_and_nps(&qa), shares_and_nps(&qb));
    let mut out: Vec<SegmentEffect> = segments
        .iter()
        .enumerate()
        .filter(|&(g, _)| sa[g].0 > 0.0 || sb[g].0 > 0.0)
        .map(|(g, level)| {
            let (mix, rate) = base[g];
            let contribution = mix + rate;
            let se = variances[g].sqrt();
            let known = |x: f64| (!x.is_nan()).then_some(x);
            SegmentEffect {
                segment: level.clone(),
                share_from: sa[g].0,
                share_to: sb[g].0,
                nps_from: known(sa[g].1),
                nps_to: known(sb[g].1),
                mix,
                rate,
                contribution,
                se,
                low: contribution - z * se,
                high: contribution + z * se,
            }
        })
        .collect();
    out.sort_by(|x, y| y.contribution.total_cmp(&x.contribution));
    Ok(Decomposition {
        dimension: dimension.to_owned(),
        mix: out.iter().map(|s| s.mix).sum(),
        rate: out.iter().map(|s| s.rate).sum(),
        segments: out,
    })
}

/// Delta-method variance of every segment's contribution: Σ over the two independent sides of
/// ∇ᵀ(diag q − q qᵀ)∇ / n, the gradient by central differences on each non-empty cell.
fn contribution_variances(qa: &[[f64; 3]], qb: &[[f64; 3]], na: f64, nb: f64) -> Vec<f64> {
    let g = qa.len();
    let mut variance = vec![0.0; g];
    for (side, n) in [(0, na), (1, nb)] {
        let q = if side == 0 { qa } else { qb };
        let cells: Vec<(usize, usize)> = (0..g)
            .flat_map(|s| (0..3).map(move |c| (s, c)))
            .filter(|&(s, c)| q[s][c] > 0.0)
            .collect();
        // grad[cell][segment]
        let grad: Vec<Vec<f64>> = cells
            .iter()
            .map(|&(s, c)| {
                let h = 1e-4 * q[s][c];
                let at = |delta: f64| {
                    let mut moved = q.to_vec();
                    moved[s][c] += delta;
                    let e = if side == 0 {
                        effects(&moved, qb)
                    } else {
                        effects(qa, &moved)
                    };
                    e.into_iter().map(|(m, r)| m + r).collect::<Vec<f64>>()
                };
                let (up, down) = (at(h), at(-h));
                up.iter()
                    .zip(&down)
                    .map(|(u, d)| (u - d) / (2.0 * h))
                    .collect()
            })
            .collect();
        for (seg, v) in variance.iter_mut().enumerate() {
            let d: Vec<f64> = grad.iter().map(|row| row[seg]).collect();
            let p: Vec<f64> = cells.iter().map(|&(s, c)| q[s][c]).collect();
            let mean: f64 = d.iter().zip(&p).map(|(d, p)| d * p).sum();
            let second: f64 = d.iter().zip(&p).map(|(d, p)| d * d * p).sum();
            *v += (second - mean * mean) / n;
        }
    }
    variance
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Dimension;

    /// Rows: (period, region, score), repeated `times`.
    fn table(rows: &[(&str, &str, u8, usize)]) -> Table {
        let mut scores = Vec::new();
        let mut period = Vec::new();
        let mut region = Vec::new();
        for &(p, r, s, times) in rows {
            for _ in 0..times {
                scores.push(s);
                period.push(Some(p));
                region.push(Some(r));
            }
        }
        Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("wave", &period))
            .unwrap()
            .with_dimension(Dimension::from_values("region", &region))
            .unwrap()
    }

    fn waves() -> Split {
        Split::Values {
            dimension: "wave".into(),
            from: "1".into(),
            to: "2".into(),
        }
    }

    #[test]
    fn a_pure_rate_change_in_one_segment() {
        // Same shares; South falls from NPS 60 to 0; North unchanged at 20.
        let t = table(&[
            ("1", "North", 10, 60),
            ("1", "North", 0, 40),
            ("1", "South", 10, 80),
            ("1", "South", 0, 20),
            ("2", "North", 10, 60),
            ("2", "North", 0, 40),
            ("2", "South", 10, 50),
            ("2", "South", 0, 50),
        ]);
        let a = attribute(&t, &["region"], &waves(), 0.95).unwrap();
        assert!((a.change.difference - (-30.0)).abs() < 1e-9);
        let d = &a.decompositions[0];
        assert!((d.mix + d.rate - a.change.difference).abs() < 1e-9);
        assert!(d.mix.abs() < 1e-12);
        let south = d.segments.last().unwrap();
        assert_eq!(south.segment, Level::Value("South".into()));
        assert!((south.rate - (-30.0)).abs() < 1e-9);
        assert!(south.high < 0.0, "{south:?}");
        let north = &d.segments[0];
        assert!(north.contribution.abs() < 1e-9 && north.low < 0.0 && north.high > 0.0);
    }

    #[test]
    fn a_pure_mix_change() {
        // NPS within regions fixed (North 20, South 60); South's share falls from 50 % to 20 %.
        let t = table(&[
            ("1", "North", 10, 60),
            ("1", "North", 0, 40),
            ("1", "South", 10, 80),
            ("1", "South", 0, 20),
            ("2", "North", 10, 240),
            ("2", "North", 0, 160),
            ("2", "South", 10, 80),
            ("2", "South", 0, 20),
        ]);
        let a = attribute(&t, &["region"], &waves(), 0.95).unwrap();
        let d = &a.decompositions[0];
        // Overall 40 → 0.8·20 + 0.2·60 = 28.
        assert!((a.change.difference - (-12.0)).abs() < 1e-9);
        assert!(d.rate.abs() < 1e-9);
        assert!((d.mix - (-12.0)).abs() < 1e-9);
        let total: f64 = d.segments.iter().map(|s| s.contribution).sum();
        assert!((total - a.change.difference).abs() < 1e-9);
    }

    #[test]
    fn the_delta_method_matches_the_exact_variance_of_a_segment_total() {
        // With no mix and identical shares the contribution of segment g is s̄·ΔN_g; compare
        // the numeric gradient with the closed form on a single-segment table, where the
        // contribution is the NPS change itself and its variance the sum of the two Wald ones.
        let t = table(&[
            ("1", "All", 10, 50),
            ("1", "All", 8, 30),
            ("1", "All", 3, 20),
            ("2", "All", 10, 40),
            ("2", "All", 8, 30),
            ("2", "All", 3, 30),
        ]);
        let a = attribute(&t, &["region"], &waves(), 0.95).unwrap();
        let s = &a.decompositions[0].segments[0];
        assert!((s.contribution - a.change.difference).abs() < 1e-9);
        assert!(
            (s.se - a.change.se).abs() < 1e-6 * a.change.se,
            "{} {}",
            s.se,
            a.change.se
        );
    }

    #[test]
    fn segments_missing_on_one_side_and_bad_input() {
        let t = table(&[
            ("1", "North", 10, 10),
            ("1", "South", 0, 10),
            ("2", "North", 10, 10),
            ("2", "East", 9, 10),
        ]);
        let a = attribute(&t, &["region"], &waves(), 0.95).unwrap();
        let d = &a.decompositions[0];
        let sum: f64 = d.segments.iter().map(|s| s.contribution).sum();
        assert!((sum - a.change.difference).abs() < 1e-9);
        assert!(
            d.segments
                .iter()
                .all(|s| s.rate.is_finite() && s.mix.is_finite())
        );
        let e = attribute(&t, &["regoin"], &waves(), 0.95).unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }));
        let bad = Split::Values {
            dimension: "wave".into(),
            from: "1".into(),
            to: "3".into(),
        };
        let e = attribute(&t, &["region"], &bad, 0.95).unwrap_err();
        assert!(matches!(e, Error::UnknownValue { .. }), "{e}");
        let e = attribute(&t, &[], &waves(), 0.95).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }));
    }
}
