//! Driver importance: reference values (R relaimpo 2.2-7 on R's `swiss` data), invariants
//! checked by proptest, and every bad input the issue lists.

use std::collections::HashMap;

use nps_core::{
    Correlation, Dimension, DriverImportance, DriverMethod, DriverMoments, DriverOptions, Error,
    Key, Level, Missing, Outcome, Table, correlate, drivers, drivers_by, importance,
};
use proptest::prelude::*;

/// Agreement with relaimpo asked by the issue.
const REFERENCE_TOL: f64 = 1e-10;

// ---------------------------------------------------------------------------------------------
// Reference: relaimpo on swiss
// ---------------------------------------------------------------------------------------------

/// The swiss data: column names (Fertility first) and columns.
fn swiss() -> (Vec<String>, Vec<Vec<f64>>) {
    let text = include_str!("../reference/swiss.csv");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("a header")
        .split(',')
        .skip(1)
        .map(|h| h.trim_matches('"').to_owned())
        .collect();
    let mut cols = vec![Vec::new(); header.len()];
    for line in lines.filter(|l| !l.trim().is_empty()) {
        for (col, field) in cols.iter_mut().zip(line.split(',').skip(1)) {
            col.push(field.parse::<f64>().expect("a number"));
        }
    }
    (header, cols)
}

fn swiss_correlation() -> Correlation {
    let (names, cols) = swiss();
    let columns: Vec<(&str, &[f64])> = names
        .iter()
        .zip(&cols)
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    correlate(&columns, None, &DriverOptions::default()).expect("swiss correlates")
}

fn reference() -> serde_json::Value {
    serde_json::from_str(include_str!("../reference/driver_importance_swiss.json"))
        .expect("valid JSON")
}

fn run(c: &Correlation, method: DriverMethod) -> DriverImportance {
    let options = DriverOptions {
        method,
        ..DriverOptions::default()
    };
    importance(c, &options).expect("importance")
}

#[test]
fn swiss_matches_relaimpo() {
    let reference = reference();
    let swiss = &reference["datasets"]["swiss"];
    let c = swiss_correlation();
    assert_eq!(c.n, 47);
    let measures = swiss["relaimpo"].as_object().expect("measures");
    let mut checked = 0;
    let mut report = Vec::new();
    for (name, values) in measures {
        let method = match name.as_str() {
            "lmg" => DriverMethod::Shapley,
            "genizi" => DriverMethod::Johnson,
            other => DriverMethod::from_name(other).expect("a method name"),
        };
        let result = run(&c, method);
        let rows: HashMap<&str, (f64, f64)> = result
            .rows
            .iter()
            .map(|r| (r.driver.as_str(), (r.importance, r.share)))
            .collect();
        let (mut raw_diff, mut share_diff) = (0.0f64, 0.0f64);
        for (driver, want) in values["raw"].as_object().expect("raw") {
            let got = rows[driver.as_str()].0;
            raw_diff = raw_diff.max((got - want.as_f64().unwrap()).abs());
        }
        for (driver, want) in values["normalized_sum1"].as_object().expect("normalized") {
            let got = rows[driver.as_str()].1;
            share_diff = share_diff.max((got - want.as_f64().unwrap()).abs());
        }
        let total: f64 = result.rows.iter().map(|r| r.importance).sum();
        let sum_diff = (total - values["sum_raw"].as_f64().unwrap()).abs();
        report.push(format!(
            "{name}: raw {raw_diff:.1e}, share {share_diff:.1e}, sum {sum_diff:.1e}"
        ));
        assert!(raw_diff < REFERENCE_TOL, "{name} raw off by {raw_diff}");
        assert!(
            share_diff < REFERENCE_TOL,
            "{name} share off by {share_diff}"
        );
        assert!(sum_diff < REFERENCE_TOL, "{name} sum off by {sum_diff}");
        assert!((result.r2 - swiss["R2"].as_f64().unwrap()).abs() < REFERENCE_TOL);
        checked += 1;
    }
    println!(
        "max |difference| against relaimpo 2.2-7:\n  {}",
        report.join("\n  ")
    );
    assert_eq!(checked, 7, "lmg, pratt, first, last, betasq, car, genizi");
}

/// The independent numpy values in the same file (Johnson's relative weights, dominance
/// analysis' general dominance = LMG) agree too.
#[test]
fn swiss_matches_numpy() {
    let reference = reference();
    let numpy = &reference["datasets"]["swiss"]["numpy"];
    let c = swiss_correlation();
    for (name, method) in [
        ("johnson_rw", DriverMethod::Johnson),
        ("dominance_general", DriverMethod::Shapley),
    ] {
        let result = run(&c, method);
        for row in &result.rows {
            let want = numpy[name]["raw"][&row.driver].as_f64().unwrap();
            assert!(
                (row.importance - want).abs() < REFERENCE_TOL,
                "{name} {}",
                row.driver
            );
        }
    }
}

/// The signs are those of the full-model coefficients; `beta`'s raw values are the
/// standardized coefficients (betasq's square roots with that sign), `r` the correlations
/// (first's square roots).
#[test]
fn swiss_signs_beta_and_r() {
    let c = swiss_correlation();
    let beta = run(&c, DriverMethod::Beta);
    let betasq = run(&c, DriverMethod::Betasq);
    let r = run(&c, DriverMethod::R);
    let first = run(&c, DriverMethod::First);
    // Fertility ~ …: Agriculture, Examination and Education have negative coefficients.
    let signs: Vec<i8> = beta.rows.iter().map(|r| r.sign).collect();
    assert_eq!(signs, [-1, -1, -1, 1, 1]);
    for j in 0..5 {
        let b = beta.rows[j].importance;
        assert!((b * b - betasq.rows[j].importance).abs() < 1e-14);
        assert_eq!(b.signum() as i8, beta.rows[j].sign);
        assert!((r.rows[j].importance.powi(2) - first.rows[j].importance).abs() < 1e-14);
    }
    let abs: f64 = beta.rows.iter().map(|r| r.share.abs()).sum();
    assert!((abs - 1.0).abs() < 1e-14);
}

/// A Correlation round-trips through JSON and gives the same importances.
#[test]
fn correlation_and_result_serialize() {
    let c = swiss_correlation();
    // serde_json's default float parsing may move the last bit: compare to 1e-15.
    let back: Correlation = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(
        (&back.names, back.n, back.missing),
        (&c.names, c.n, c.missing)
    );
    for (x, y) in back.matrix.iter().zip(&c.matrix) {
        assert!((x - y).abs() < 1e-15);
    }
    let result = run(&c, DriverMethod::Shapley);
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["method"], "shapley");
    assert_eq!(json["rows"][2]["driver"], "Education");
    let back: DriverImportance = serde_json::from_value(json).unwrap();
    assert_eq!(back.rows.len(), 5);
    for (x, y) in back.rows.iter().zip(&result.rows) {
        assert_eq!((&x.driver, x.sign, x.low), (&y.driver, y.sign, y.low));
        assert!((x.importance - y.importance).abs() < 1e-15);
    }
}

// ---------------------------------------------------------------------------------------------
// The table entry point
// ---------------------------------------------------------------------------------------------

/// A small xorshift generator: tests need no RNG crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (sum of uniforms).
    fn normal(&mut self) -> f64 {
        (0..6).map(|_| self.next()).sum::<f64>() - 3.0
    }
}

/// A survey: scores 0..=10 driven by `p` ratings on 1..=5, some unrated.
fn survey(n: usize, p: usize, seed: u64, missing_rate: f64) -> Table {
    let mut rng = Rng(seed.wrapping_mul(2_654_435_761) | 1);
    let common: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let latent: Vec<Vec<f64>> = (0..p)
        .map(|_| (0..n).map(|i| 0.6 * common[i] + rng.normal()).collect())
        .collect();
    let scores: Vec<f64> = (0..n)
        .map(|i| {
            let s: f64 = (0..p).map(|k| latent[k][i] * (0.2 + 0.1 * k as f64)).sum();
            (6.0 + s + rng.normal()).round().clamp(0.0, 10.0)
        })
        .collect();
    let mut table = Table::new(&scores).unwrap();
    for (k, lat) in latent.iter().enumerate() {
        let ratings = lat
            .iter()
            .map(|&v| {
                if rng.next() < missing_rate {
                    f64::NAN
                } else {
                    (3.0 + v).round().clamp(1.0, 5.0)
                }
            })
            .collect();
        table = table.with_driver(format!("d{k}"), ratings).unwrap();
    }
    table
}

#[test]
fn every_method_runs_on_a_table_and_shares_sum_to_one() {
    let table = survey(2_000, 6, 1, 0.05);
    for method in DriverMethod::ALL {
        let options = DriverOptions {
            method,
            ..DriverOptions::default()
        };
        let result = drivers(&table, &options).unwrap();
        assert_eq!(result.rows.len(), 6);
        assert_eq!(result.outcome, Some(Outcome::Score));
        assert!(result.n < 2_000 && result.n > 1_000, "{}", result.n);
        let shares: f64 = result.rows.iter().map(|r| r.share.abs()).sum();
        if method.sums_to_r2() {
            let total: f64 = result.rows.iter().map(|r| r.importance).sum();
            assert!((total - result.r2).abs() < 1e-12, "{method}");
        }
        if method != DriverMethod::Pratt {
            assert!((shares - 1.0).abs() < 1e-12, "{method}");
        }
    }
}

#[test]
fn weights_and_outcomes() {
    let table = survey(1_500, 4, 2, 0.0);
    let unit = table.clone().with_weights(vec![1.0; 1_500]).unwrap();
    let options = DriverOptions::default();
    let (a, b) = (
        drivers(&table, &options).unwrap(),
        drivers(&unit, &options).unwrap(),
    );
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert!((x.importance - y.importance).abs() < 1e-12);
    }
    // Weight 2 on a row is the row twice.
    let scores: Vec<f64> = table.score_codes().iter().map(|&c| f64::from(c)).collect();
    let doubled_rows: Vec<usize> = (0..1_500).chain(0..100).collect();
    let mut doubled =
        Table::new(&doubled_rows.iter().map(|&i| scores[i]).collect::<Vec<_>>()).unwrap();
    for d in table.drivers() {
        let r = doubled_rows.iter().map(|&i| d.ratings()[i]).collect();
        doubled = doubled.with_driver(d.name(), r).unwrap();
    }
    let w: Vec<f64> = (0..1_500)
        .map(|i| if i < 100 { 2.0 } else { 1.0 })
        .collect();
    let weighted = table.clone().with_weights(w).unwrap();
    let (x, y) = (
        drivers(&weighted, &options).unwrap(),
        drivers(&doubled, &options).unwrap(),
    );
    assert!((x.r2 - y.r2).abs() < 1e-12);
    for (p, q) in x.rows.iter().zip(&y.rows) {
        assert!((p.importance - q.importance).abs() < 1e-12);
    }
    // Promoter and detractor indicators give other, valid analyses.
    for outcome in [Outcome::Promoter, Outcome::Detractor] {
        let o = DriverOptions {
            outcome,
            method: DriverMethod::Johnson,
            ..DriverOptions::default()
        };
        let r = drivers(&table, &o).unwrap();
        assert_eq!(r.outcome, Some(outcome));
        assert!(r.r2 > 0.0 && r.r2 < 1.0);
        let signs: Vec<i8> = r.rows.iter().map(|r| r.sign).collect();
        let expected = if outcome == Outcome::Promoter { 1 } else { -1 };
        assert!(
            signs.iter().filter(|&&s| s == expected).count() >= 3,
            "{signs:?}"
        );
    }
}

#[test]
fn driver_subset_in_the_order_asked() {
    let table = survey(500, 5, 3, 0.0);
    let options = DriverOptions {
        drivers: Some(vec!["d3".into(), "d0".into()]),
        ..DriverOptions::default()
    };
    let r = drivers(&table, &options).unwrap();
    let names: Vec<&str> = r.rows.iter().map(|r| r.driver.as_str()).collect();
    assert_eq!(names, ["d3", "d0"]);
}

#[test]
fn pairwise_equals_listwise_without_missing_ratings() {
    let table = survey(800, 5, 4, 0.0);
    let list = drivers(&table, &DriverOptions::default()).unwrap();
    let pair = drivers(
        &table,
        &DriverOptions {
            missing: Missing::Pairwise,
            ..DriverOptions::default()
        },
    )
    .unwrap();
    assert_eq!(pair.missing, Missing::Pairwise);
    for (a, b) in list.rows.iter().zip(&pair.rows) {
        assert!((a.importance - b.importance).abs() < 1e-12);
    }
    // With missing ratings pairwise uses more rows per pair.
    let table = survey(800, 5, 4, 0.2);
    let list = drivers(&table, &DriverOptions::default()).unwrap();
    let pair = drivers(
        &table,
        &DriverOptions {
            missing: Missing::Pairwise,
            ..DriverOptions::default()
        },
    )
    .unwrap();
    assert!(pair.n > list.n, "{} {}", pair.n, list.n);
}

/// Spearman equals Pearson on average ranks, and ignores monotone transformations.
#[test]
fn spearman_is_pearson_on_ranks() {
    let mut rng = Rng(9);
    let n = 300;
    let y: Vec<f64> = (0..n).map(|_| (rng.next() * 11.0).floor()).collect();
    let x: Vec<f64> = y.iter().map(|v| (v / 2.0 + rng.normal()).round()).collect();
    let ranks = |v: &[f64]| -> Vec<f64> {
        (0..v.len())
            .map(|i| {
                let below = v.iter().filter(|&&u| u < v[i]).count() as f64;
                let ties = v.iter().filter(|&&u| u == v[i]).count() as f64;
                below + (ties + 1.0) / 2.0
            })
            .collect()
    };
    let spearman = DriverOptions {
        spearman: true,
        ..DriverOptions::default()
    };
    let s = correlate(&[("y", &y), ("x", &x)], None, &spearman).unwrap();
    assert!(s.spearman);
    let (ry, rx) = (ranks(&y), ranks(&x));
    let p = correlate(&[("y", &ry), ("x", &rx)], None, &DriverOptions::default()).unwrap();
    assert!((s.get(0, 1) - p.get(0, 1)).abs() < 1e-12);
    let cubed: Vec<f64> = x.iter().map(|v| v.powi(3) + 7.0).collect();
    let t = correlate(&[("y", &y), ("x", &cubed)], None, &spearman).unwrap();
    assert!((s.get(0, 1) - t.get(0, 1)).abs() < 1e-12);
    // Continuous values (ranked by sorting rather than counting levels).
    let z: Vec<f64> = y.iter().map(|v| v / 3.0 + rng.normal()).collect();
    let s = correlate(&[("y", &y), ("z", &z)], None, &spearman).unwrap();
    let p = correlate(
        &[("y", &ry), ("z", &ranks(&z))],
        None,
        &DriverOptions::default(),
    )
    .unwrap();
    assert!((s.get(0, 1) - p.get(0, 1)).abs() < 1e-12);
}

#[test]
fn bootstrap_intervals_are_seeded_and_flag_zero() {
    let mut table = survey(600, 4, 5, 0.0);
    // A driver unrelated to anything: its interval should include 0 for signed measures.
    let mut rng = Rng(77);
    let noise = (0..600).map(|_| (rng.next() * 5.0).ceil()).collect();
    table = table.with_driver("noise", noise).unwrap();
    let options = DriverOptions {
        method: DriverMethod::Beta,
        replicates: 300,
        seed: 42,
        ..DriverOptions::default()
    };
    let a = drivers(&table, &options).unwrap();
    let b = drivers(&table, &options).unwrap();
    assert_eq!(a, b, "same seed, same intervals");
    assert_eq!(a.replicates, 300);
    assert_eq!(a.level, Some(0.95));
    for row in &a.rows {
        let (low, high) = (row.low.unwrap(), row.high.unwrap());
        assert!(low <= row.importance && row.importance <= high, "{row:?}");
        assert_eq!(row.includes_zero, Some(low <= 0.0 && high >= 0.0));
    }
    let noise = a.rows.iter().find(|r| r.driver == "noise").unwrap();
    assert_eq!(noise.includes_zero, Some(true));
    assert!(a.rows.iter().any(|r| r.includes_zero == Some(false)));
    // Every method bootstraps, Spearman and pairwise too.
    for (method, spearman, missing) in [
        (DriverMethod::Johnson, true, Missing::Listwise),
        (DriverMethod::Shapley, false, Missing::Pairwise),
    ] {
        let o = DriverOptions {
            method,
            spearman,
            missing,
            replicates: 50,
            ..DriverOptions::default()
        };
        let r = drivers(&table, &o).unwrap();
        assert!(r.rows.iter().all(|r| r.low.unwrap() <= r.high.unwrap()));
    }
}

#[test]
fn sampled_shapley_has_a_standard_error() {
    let table = survey(1_000, 8, 6, 0.0);
    let exact = drivers(&table, &DriverOptions::default()).unwrap();
    let sampled = drivers(
        &table,
        &DriverOptions {
            shapley_samples: Some(2_000),
            ..DriverOptions::default()
        },
    )
    .unwrap();
    assert_eq!(sampled.shapley_samples, Some(2_000));
    let total: f64 = sampled.rows.iter().map(|r| r.importance).sum();
    assert!((total - exact.r2).abs() < 1e-12);
    for (e, s) in exact.rows.iter().zip(&sampled.rows) {
        let se = s.se.unwrap();
        assert!(e.se.is_none());
        assert!(
            (e.importance - s.importance).abs() <= 5.0 * se + 1e-12,
            "{e:?} {s:?}"
        );
    }
}

/// Per group = the same analysis on the group's rows; a group too small for one gets a problem.
#[test]
fn per_group_equals_the_group_alone() {
    let n = 900;
    let t = survey(n, 3, 12, 0.05);
    let brand: Vec<Option<&str>> = (0..n)
        .map(|i| match i % 10 {
            0 => None,
            1..=5 => Some("Own"),
            6..=8 => Some("Rival"),
            _ if i < 30 => Some("Tiny"),
            _ => Some("Rival"),
        })
        .collect();
    let table = t
        .clone()
        .with_dimension(Dimension::from_values("brand", &brand))
        .unwrap();
    let options = DriverOptions {
        method: DriverMethod::Johnson,
        ..DriverOptions::default()
    };
    let by = drivers_by(&table, &[Key::from("brand")], &options).unwrap();
    assert_eq!(by.keys, ["brand"]);
    let levels: Vec<&Level> = by.groups.iter().map(|g| &g.levels[0]).collect();
    assert_eq!(
        levels,
        [
            &Level::Value("Own".into()),
            &Level::Value("Rival".into()),
            &Level::Value("Tiny".into()),
            &Level::Missing
        ]
    );
    assert_eq!(by.groups.iter().map(|g| g.rows).sum::<usize>(), n);
    let tiny = &by.groups[2];
    assert!(tiny.result.is_none());
    assert!(
        tiny.problem.as_deref().unwrap().contains("at least 5"),
        "{tiny:?}"
    );
    // "Own" alone.
    let rows: Vec<usize> = (0..n).filter(|i| (1..=5).contains(&(i % 10))).collect();
    let scores: Vec<f64> = rows
        .iter()
        .map(|&i| f64::from(t.score_codes()[i]))
        .collect();
    let mut own = Table::new(&scores).unwrap();
    for d in t.drivers() {
        own = own
            .with_driver(d.name(), rows.iter().map(|&i| d.ratings()[i]).collect())
            .unwrap();
    }
    let alone = drivers(&own, &options).unwrap();
    assert_eq!(by.groups[0].result.as_ref().unwrap(), &alone);
    let e = drivers_by(&table, &[Key::from("region")], &options).unwrap_err();
    assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Bad input: each a clear error naming the driver
// ---------------------------------------------------------------------------------------------

fn small() -> Table {
    survey(200, 3, 8, 0.0)
}

#[test]
fn constant_driver_is_named() {
    let table = small().with_driver("flat", vec![4.0; 200]).unwrap();
    let e = drivers(&table, &DriverOptions::default()).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidDriver { driver, .. } if driver == "flat"),
        "{e}"
    );
    assert!(e.to_string().contains("constant"), "{e}");
}

#[test]
fn collinear_drivers_are_named() {
    let t = small();
    let copy = t.driver("d1").unwrap().ratings().to_vec();
    let table = t.with_driver("d1_again", copy.clone()).unwrap();
    let e = drivers(&table, &DriverOptions::default()).unwrap_err();
    assert_eq!(
        e,
        Error::CollinearDrivers {
            driver: "d1_again".into(),
            with: vec!["d1".into()]
        }
    );
    assert_eq!(
        e.to_string(),
        "driver \"d1_again\" is perfectly collinear with \"d1\"; drop or combine one of them"
    );
    // A linear combination of two names both.
    let t = small();
    let (a, b) = (
        t.driver("d0").unwrap().ratings(),
        t.driver("d2").unwrap().ratings(),
    );
    let sum: Vec<f64> = a.iter().zip(b).map(|(x, y)| 2.0 * x - y + 1.0).collect();
    let table = t.clone().with_driver("combo", sum).unwrap();
    let e = drivers(&table, &DriverOptions::default()).unwrap_err();
    assert!(e.to_string().contains("\"d0\" and \"d2\""), "{e}");
}

#[test]
fn all_missing_driver_is_named() {
    let table = small().with_driver("unrated", vec![f64::NAN; 200]).unwrap();
    let e = drivers(&table, &DriverOptions::default()).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidDriver { driver, .. } if driver == "unrated"),
        "{e}"
    );
    assert!(e.to_string().contains("no ratings"), "{e}");
}

#[test]
fn too_few_complete_rows() {
    // 3 drivers need 5 complete rows; only 4 rows have every rating.
    let mut ratings = vec![vec![f64::NAN; 10]; 3];
    let mut rng = Rng(3);
    for i in 0..10 {
        for (k, r) in ratings.iter_mut().enumerate() {
            if i < 4 || (i + k) % 3 == 0 {
                r[i] = (rng.next() * 5.0).ceil();
            }
        }
    }
    let scores: Vec<f64> = (0..10).map(|i| f64::from(i % 11)).collect();
    let mut table = Table::new(&scores).unwrap();
    for (k, r) in ratings.into_iter().enumerate() {
        table = table.with_driver(format!("d{k}"), r).unwrap();
    }
    let e = drivers(&table, &DriverOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::TooFewRows {
                needed: 5,
                n: 4,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn too_many_drivers_for_exact_shapley_names_the_alternatives() {
    let table = survey(400, 6, 10, 0.0);
    let options = DriverOptions {
        max_exact: 5,
        ..DriverOptions::default()
    };
    let e = drivers(&table, &options).unwrap_err();
    assert_eq!(
        e,
        Error::TooManyDrivers {
            drivers: 6,
            limit: 5
        }
    );
    let message = e.to_string();
    assert!(
        message.contains("johnson") && message.contains("shapley_samples"),
        "{message}"
    );
    // The alternatives it names work.
    for options in [
        DriverOptions {
            method: DriverMethod::Johnson,
            ..options.clone()
        },
        DriverOptions {
            shapley_samples: Some(100),
            ..options.clone()
        },
    ] {
        assert!(drivers(&table, &options).is_ok());
    }
    let e = drivers(
        &table,
        &DriverOptions {
            max_exact: 31,
            ..DriverOptions::default()
        },
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidArgument {
            field: "max_exact",
            ..
        }
    ));
}

#[test]
fn rating_outside_the_scale_names_driver_and_row() {
    let t = small();
    let mut r = t.driver("d2").unwrap().ratings().to_vec();
    r[17] = 7.0;
    let table = t.with_driver("d2b", r).unwrap();
    let options = DriverOptions {
        rating_scale: Some((1.0, 5.0)),
        ..DriverOptions::default()
    };
    let e = drivers(&table, &options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "driver \"d2b\" has rating 7 at index 17, outside the rating scale 1..=5"
    );
}

#[test]
fn names_and_outcomes_are_checked() {
    let t = small();
    let options = DriverOptions {
        drivers: Some(vec!["d0".into(), "speed".into()]),
        ..DriverOptions::default()
    };
    let e = drivers(&t, &options).unwrap_err();
    assert!(
        matches!(e, Error::UnknownColumn { kind: "driver", .. }),
        "{e}"
    );
    let e = DriverMethod::from_name("lmg").unwrap_err();
    assert!(
        matches!(
            e,
            Error::UnknownMethod {
                kind: "driver importance",
                ..
            }
        ),
        "{e}"
    );
    assert!(Missing::from_name("casewise").is_err());
    assert!(Outcome::from_name("passive").is_err());
    // Everyone a promoter: the promoter indicator is constant.
    let table = Table::new(&[9.0, 10.0, 9.0, 10.0, 9.0, 10.0])
        .unwrap()
        .with_driver("a", vec![1.0, 2.0, 3.0, 4.0, 5.0, 1.0])
        .unwrap();
    let e = drivers(
        &table,
        &DriverOptions {
            outcome: Outcome::Promoter,
            ..DriverOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                field: "outcome",
                ..
            }
        ),
        "{e}"
    );
    // A table without drivers.
    let e = drivers(&Table::new(&[1.0, 2.0]).unwrap(), &DriverOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                field: "drivers",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_matrix_that_is_not_a_correlation_matrix() {
    let mut c = swiss_correlation();
    c.matrix[1] = 0.9; // no longer symmetric
    let e = importance(&c, &DriverOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                field: "correlation matrix",
                ..
            }
        ),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------

/// Columns of a random regression problem: outcome first, `p` drivers, `n` rows.
fn problem() -> impl Strategy<Value = (usize, Vec<Vec<f64>>)> {
    (2usize..8, 30usize..120, any::<u64>()).prop_map(|(p, n, seed)| {
        let mut rng = Rng(seed | 1);
        let common: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mut cols = vec![vec![0.0; n]; p + 1];
        let mix = rng.next();
        for col in cols.iter_mut().skip(1) {
            for (i, v) in col.iter_mut().enumerate() {
                *v = mix * common[i] + rng.normal();
            }
        }
        let coef: Vec<f64> = (0..p).map(|_| rng.normal()).collect();
        cols[0] = (0..n)
            .map(|i| (0..p).map(|k| coef[k] * cols[k + 1][i]).sum::<f64>() + 2.0 * rng.normal())
            .collect();
        (p, cols)
    })
}

fn correlation_of(cols: &[Vec<f64>]) -> Correlation {
    let names: Vec<String> = (0..cols.len()).map(|k| format!("c{k}")).collect();
    let columns: Vec<(&str, &[f64])> = names
        .iter()
        .zip(cols)
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    correlate(&columns, None, &DriverOptions::default()).unwrap()
}

fn values(c: &Correlation, method: DriverMethod) -> Vec<f64> {
    run(c, method).rows.iter().map(|r| r.importance).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shapley_and_johnson_sum_to_r2((_p, cols) in problem()) {
        let c = correlation_of(&cols);
        for method in [DriverMethod::Shapley, DriverMethod::Johnson, DriverMethod::Pratt, DriverMethod::Car] {
            let r = run(&c, method);
            let total: f64 = r.rows.iter().map(|r| r.importance).sum();
            prop_assert!((total - r.r2).abs() < 1e-10, "{} {} {}", method, total, r.r2);
        }
        // Shapley and Johnson values lie in [0, R²].
        let r = run(&c, DriverMethod::Shapley);
        prop_assert!(r.rows.iter().all(|row| row.importance >= -1e-12 && row.importance <= r.r2 + 1e-12));
        let r = run(&c, DriverMethod::Johnson);
        prop_assert!(r.rows.iter().all(|row| row.importance >= -1e-12 && row.importance <= r.r2 + 1e-12));
    }

    #[test]
    fn permuting_drivers_permutes_the_result((p, cols) in problem(), seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let mut order: Vec<usize> = (0..p).collect();
        for i in (1..p).rev() {
            let j = (rng.next() * (i + 1) as f64) as usize;
            order.swap(i, j.min(i));
        }
        let mut permuted = vec![cols[0].clone()];
        permuted.extend(order.iter().map(|&k| cols[k + 1].clone()));
        let (a, b) = (correlation_of(&cols), correlation_of(&permuted));
        for method in DriverMethod::ALL {
            let (x, y) = (values(&a, method), values(&b, method));
            for (t, &k) in order.iter().enumerate() {
                prop_assert!((y[t] - x[k]).abs() < 1e-10, "{} {} {}", method, y[t], x[k]);
            }
        }
    }

    /// Merged moments of two parts give the correlation of the whole.
    #[test]
    fn moments_merge((_p, cols) in problem(), split in 0usize..120, gap in 0usize..30) {
        let n = cols[0].len();
        let k = split.min(n);
        // Some missing values, so listwise and pairwise differ.
        let mut cols = cols;
        for (c, col) in cols.iter_mut().enumerate().skip(1) {
            for i in (c + gap..n).step_by(17) {
                col[i] = f64::NAN;
            }
        }
        for missing in [Missing::Listwise, Missing::Pairwise] {
            let names: Vec<String> = (0..cols.len()).map(|c| format!("c{c}")).collect();
            let part = |range: std::ops::Range<usize>| {
                let columns: Vec<(&str, &[f64])> = names
                    .iter()
                    .zip(&cols)
                    .map(|(nm, c)| (nm.as_str(), &c[range.clone()]))
                    .collect();
                DriverMoments::from_columns(&columns, None, missing).unwrap()
            };
            let whole = part(0..n);
            let merged = part(0..k) + part(k..n);
            prop_assert_eq!(whole.rows(), merged.rows());
            if let (Ok(a), Ok(b)) = (whole.correlation(), merged.correlation()) {
                for (x, y) in a.matrix.iter().zip(&b.matrix) {
                    prop_assert!((x - y).abs() < 1e-12);
                }
            }
            // JSON keeps the moments (to the last bit or two of serde_json's float parsing).
            let back: DriverMoments = serde_json::from_str(&serde_json::to_string(&merged).unwrap()).unwrap();
            prop_assert_eq!(back.rows(), merged.rows());
            if let (Ok(a), Ok(b)) = (back.correlation(), merged.correlation()) {
                for (x, y) in a.matrix.iter().zip(&b.matrix) {
                    prop_assert!((x - y).abs() < 1e-14);
                }
            }
        }
    }

    /// Duplicating a driver splits its share. A driver and its exact copy are perfectly
    /// collinear, which is an error (the regression is not identified); a copy with a tiny
    /// independent perturbation (correlation cos θ, θ = 10⁻³) stands for it. With
    /// uncorrelated drivers the Shapley values of the driver and its copy are equal and add up
    /// to the driver's value alone (r²), the others keep theirs; Johnson's weights split too.
    #[test]
    fn duplicating_a_driver_splits_its_share(r in prop::collection::vec(-0.4f64..0.4, 2..6)) {
        let p = r.len();
        let theta: f64 = 1e-3;
        let (cos, m) = (theta.cos(), p + 2);
        let mut matrix = vec![0.0; m * m];
        let mut set = |i: usize, j: usize, v: f64| {
            matrix[i * m + j] = v;
            matrix[j * m + i] = v;
        };
        for i in 0..m {
            set(i, i, 1.0);
        }
        for (k, &rk) in r.iter().enumerate() {
            set(0, k + 1, rk);
        }
        // Column p + 1 = x₁·cos θ + e·sin θ, e independent of everything.
        set(0, p + 1, r[0] * cos);
        set(1, p + 1, cos);
        let mut names = vec!["y".to_owned()];
        names.extend((0..=p).map(|k| format!("x{k}")));
        let c = Correlation { names, matrix, n: 1_000, missing: Missing::Listwise, spearman: false };
        let phi = values(&c, DriverMethod::Shapley);
        let tol = 1e-5;
        prop_assert!((phi[0] - phi[p]).abs() < tol, "{:?}", phi);
        prop_assert!((phi[0] + phi[p] - r[0] * r[0]).abs() < tol, "{:?}", phi);
        for k in 1..p {
            prop_assert!((phi[k] - r[k] * r[k]).abs() < tol);
        }
        let eps = values(&c, DriverMethod::Johnson);
        prop_assert!((eps[0] - eps[p]).abs() < tol, "{:?}", eps);
        prop_assert!((eps[0] + eps[p] - r[0] * r[0]).abs() < tol, "{:?}", eps);
    }
}

// ---------------------------------------------------------------------------------------------
// Map-reduce: moments of parts of the rows give the analysis of all of them
// ---------------------------------------------------------------------------------------------

/// The swiss rows `range` as a table: Fertility / 10 as the score (0–10), the others as drivers.
fn swiss_table(range: std::ops::Range<usize>) -> Table {
    let (names, cols) = swiss();
    let scores: Vec<f64> = cols[0][range.clone()]
        .iter()
        .map(|f| (f / 10.0).round())
        .collect();
    names[1..]
        .iter()
        .zip(&cols[1..])
        .fold(Table::new(&scores).unwrap(), |t, (name, col)| {
            t.with_driver(name.as_str(), col[range.clone()].to_vec())
                .unwrap()
        })
}

#[test]
fn moments_of_parts_give_the_whole_analysis() {
    for method in DriverMethod::ALL {
        let options = DriverOptions {
            method,
            ..DriverOptions::default()
        };
        let mut moments = DriverMoments::from_table(&swiss_table(30..47), &options).unwrap();
        for part in [0..12, 12..30] {
            moments
                .merge(&DriverMoments::from_table(&swiss_table(part), &options).unwrap())
                .unwrap();
        }
        let merged = moments.importance(&options).unwrap();
        let whole = drivers(&swiss_table(0..47), &options).unwrap();
        assert_eq!((merged.n, merged.outcome), (whole.n, whole.outcome));
        assert!((merged.r2 - whole.r2).abs() < 1e-12);
        for (a, b) in merged.rows.iter().zip(&whole.rows) {
            assert_eq!(a.driver, b.driver);
            assert!(
                (a.importance - b.importance).abs() < 1e-12,
                "{method} {a:?} {b:?}"
            );
        }
    }
}

#[test]
fn moments_refuse_options_that_do_not_merge() {
    let table = swiss_table(0..20);
    for (options, field) in [
        (
            DriverOptions {
                spearman: true,
                ..DriverOptions::default()
            },
            "spearman",
        ),
        (
            DriverOptions {
                replicates: 100,
                ..DriverOptions::default()
            },
            "replicates",
        ),
    ] {
        let e = DriverMoments::from_table(&table, &options).unwrap_err();
        assert!(e.to_string().contains(field), "{e}");
    }
    let moments = DriverMoments::from_table(&table, &DriverOptions::default()).unwrap();
    let other = DriverOptions {
        outcome: Outcome::Detractor,
        ..DriverOptions::default()
    };
    let e = moments.importance(&other).unwrap_err();
    assert!(e.to_string().contains("driver moments"), "{e}");
}

#[test]
fn moments_that_do_not_fit_their_columns_are_refused_when_read() {
    let table = swiss_table(0..20);
    let moments = DriverMoments::from_table(&table, &DriverOptions::default()).unwrap();
    let json = serde_json::to_string(&moments).unwrap();
    let back: DriverMoments = serde_json::from_str(&json).unwrap();
    assert_eq!(back, moments);
    // One mean fewer than columns.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["kind"]["listwise"]["mean"]
        .as_array_mut()
        .unwrap()
        .pop();
    let e = serde_json::from_value::<DriverMoments>(value).unwrap_err();
    assert!(e.to_string().contains("driver moments"), "{e}");
}
