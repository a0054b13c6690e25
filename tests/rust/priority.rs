//! The priority matrix (改善优先排序): hand-computed performance, intervals, gap tests and
//! q-values; quadrants under each cut; the action list; bootstrap quadrant probabilities; the
//! journey roll-up; bad input; and proptest invariants.

use nps_core::{
    Dimension, DriverMethod, DriverOptions, Error, Journey, NodeKind, Performance, PriorityOptions,
    Quadrant, Reference, Table, Threshold, journey_priorities, priorities,
};
use proptest::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// z_{0.975}.
const Z975: f64 = 1.959_963_984_540_054;

/// A small deterministic generator (64-bit LCG), uniform in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Ten respondents, two drivers (the example of the `priorities` docs).
fn small() -> Table {
    let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
    Table::new(&scores)
        .unwrap()
        .with_driver(
            "speed",
            vec![5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0],
        )
        .unwrap()
        .with_driver(
            "price",
            vec![3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0],
        )
        .unwrap()
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v)
}

#[test]
fn mean_and_t_interval_by_hand() {
    let r = priorities(&small(), &PriorityOptions::default()).unwrap();
    let speed = &r.rows[0];
    // speed: Σ = 34, mean 3.4; Σ(x − 3.4)² = 14.4, s² = 1.6; t_{9, 0.975} = 2.262157162740991.
    assert_eq!(speed.n, 10);
    assert!((speed.performance - 3.4).abs() < 1e-12);
    let half = 2.262_157_162_740_991 * (1.6f64 / 10.0).sqrt();
    assert!((speed.performance_low - (3.4 - half)).abs() < 1e-9);
    assert!((speed.performance_high - (3.4 + half)).abs() < 1e-9);
    assert!((r.rows[1].performance - 3.0).abs() < 1e-12);
    // No reference: no gap, no test.
    assert!(speed.gap.is_none() && speed.gap_p.is_none() && speed.reference.is_none());
    assert!(speed.probabilities.is_none() && speed.importance_low.is_none());
    // Importance as the driver module gives it.
    let d = nps_core::drivers(&small(), &DriverOptions::default()).unwrap();
    assert!((speed.share - d.rows[0].share).abs() < 1e-12);
    assert!((speed.importance - d.rows[0].importance).abs() < 1e-12);
    assert_eq!(speed.sign, f64::from(d.rows[0].sign));
}

#[test]
fn wilson_interval_by_hand() {
    // Top box ≥ 4: speed has 5 of 10 (5,4,4,5,4), price 3 of 10 (4,4,5).
    let options = PriorityOptions {
        performance: Performance::TopBox { min: 4.0 },
        ..PriorityOptions::default()
    };
    let r = priorities(&small(), &options).unwrap();
    for (row, p) in r.rows.iter().zip([0.5, 0.3]) {
        let n = 10.0;
        let z2 = Z975 * Z975;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = Z975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
        assert!((row.performance - p).abs() < 1e-12);
        assert!(
            (row.performance_low - (centre - half)).abs() < 1e-9,
            "{row:?}"
        );
        assert!((row.performance_high - (centre + half)).abs() < 1e-9);
    }
    // p = 0.5, n = 10: (0.5 + 0.19207)/1.38415 ± 1.95996·√(0.025 + 0.0096)/1.38415.
    assert!((r.rows[0].performance_low - 0.236_593).abs() < 1e-5);
    assert!((r.rows[0].performance_high - 0.763_407).abs() < 1e-5);
}

/// Own and Rival brands, 6 rows each, with two drivers.
fn brands() -> (Table, [Vec<f64>; 4]) {
    let own_a = vec![4.0, 5.0, 3.0, 4.0, 5.0, 4.0];
    let riv_a = vec![3.0, 2.0, 3.0, 4.0, 2.0, 3.0];
    let own_b = vec![2.0, 3.0, 2.0, 3.0, 1.0, 2.0];
    let riv_b = vec![3.0, 4.0, 3.0, 5.0, 4.0, 4.0];
    let scores = [9.0, 10.0, 6.0, 8.0, 10.0, 7.0, 5.0, 3.0, 6.0, 8.0, 2.0, 5.0];
    let brand: Vec<Option<&str>> = (0..12)
        .map(|i| Some(if i < 6 { "Own" } else { "Rival" }))
        .collect();
    let cat = |a: &[f64], b: &[f64]| a.iter().chain(b).copied().collect::<Vec<_>>();
    let table = Table::new(&scores)
        .unwrap()
        .with_dimension(Dimension::from_values("brand", &brand))
        .unwrap()
        .with_driver("a", cat(&own_a, &riv_a))
        .unwrap()
        .with_driver("b", cat(&own_b, &riv_b))
        .unwrap();
    (table, [own_a, riv_a, own_b, riv_b])
}

fn welch_by_hand(x: &[f64], y: &[f64]) -> f64 {
    let (mx, vx) = mean_var(x);
    let (my, vy) = mean_var(y);
    let (a, b) = (vx / x.len() as f64, vy / y.len() as f64);
    let df = (a + b).powi(2) / (a * a / (x.len() as f64 - 1.0) + b * b / (y.len() as f64 - 1.0));
    let t = (mx - my) / (a + b).sqrt();
    2.0 * StudentsT::new(0.0, 1.0, df).unwrap().sf(t.abs())
}

#[test]
fn welch_gap_and_bh_q_by_hand() {
    let (table, [own_a, riv_a, own_b, riv_b]) = brands();
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::Johnson,
            ..DriverOptions::default()
        },
        focus: Some(("brand".into(), "Own".into())),
        reference: Some(Reference::Group {
            dimension: "brand".into(),
            value: "Rival".into(),
        }),
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    let pa = welch_by_hand(&own_a, &riv_a);
    let pb = welch_by_hand(&own_b, &riv_b);
    let (a, b) = (&r.rows[0], &r.rows[1]);
    assert_eq!(a.n, 6);
    assert!((a.reference.unwrap() - 17.0 / 6.0).abs() < 1e-12);
    assert!((a.gap.unwrap() - (25.0 / 6.0 - 17.0 / 6.0)).abs() < 1e-12);
    assert!((b.gap.unwrap() - (13.0 / 6.0 - 23.0 / 6.0)).abs() < 1e-12);
    assert!((a.gap_p.unwrap() - pa).abs() < 1e-10);
    assert!((b.gap_p.unwrap() - pb).abs() < 1e-10);
    // BH with m = 2: the smaller p doubled, the larger kept, then the running minimum.
    let (lo, hi) = if pa < pb { (pa, pb) } else { (pb, pa) };
    let q_hi = hi.min(1.0);
    let q_lo = (2.0 * lo).min(q_hi);
    let (qa, qb) = if pa < pb { (q_lo, q_hi) } else { (q_hi, q_lo) };
    assert!((a.gap_q.unwrap() - qa).abs() < 1e-12);
    assert!((b.gap_q.unwrap() - qb).abs() < 1e-12);
    assert_eq!(a.gap_significant, Some(qa < 0.05));
    // Only the own brand's rows were analysed.
    assert_eq!(r.importance.n, 6);
    // b is the one below the rival: the only action.
    assert_eq!((a.action_rank, b.action_rank), (None, Some(1)));
}

#[test]
fn two_proportion_and_one_sample_tests_by_hand() {
    let (table, [own_a, ..]) = brands();
    let focus = Some(("brand".to_owned(), "Own".to_owned()));
    // Top box ≥ 4 on a: Own 5/6, Rival 1/6; pooled 0.5.
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::Johnson,
            ..DriverOptions::default()
        },
        focus: focus.clone(),
        performance: Performance::TopBox { min: 4.0 },
        reference: Some(Reference::Group {
            dimension: "brand".into(),
            value: "Rival".into(),
        }),
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    let z = (5.0 / 6.0 - 1.0 / 6.0) / (0.25f64 * (2.0 / 6.0)).sqrt();
    let p = nps_core::p_value_two_sided(z);
    assert!((r.rows[0].gap_p.unwrap() - p).abs() < 1e-12);
    // One-sample t against a target of 3.5 on a.
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::Johnson,
            ..DriverOptions::default()
        },
        focus,
        reference: Some(Reference::Target(3.5)),
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    let (m, v) = mean_var(&own_a);
    let t = (m - 3.5) / (v / 6.0).sqrt();
    let p = 2.0 * StudentsT::new(0.0, 1.0, 5.0).unwrap().sf(t.abs());
    assert!((r.rows[0].gap_p.unwrap() - p).abs() < 1e-12);
    assert_eq!(r.rows[0].reference, Some(3.5));
}

/// Four drivers of clearly different importance and performance.
fn four(n: usize, seed: u64) -> Table {
    let mut g = Lcg(seed);
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 4];
    let mut scores = Vec::with_capacity(n);
    for _ in 0..n {
        let x: Vec<f64> = (0..4).map(|_| (g.next() * 5.0).floor() + 1.0).collect();
        let y = 0.9 * x[0] + 0.8 * x[1] + 0.15 * x[2] + 0.1 * x[3] + 2.0 * g.next();
        scores.push(y.round().clamp(0.0, 10.0));
        for (c, v) in cols.iter_mut().zip(&x) {
            c.push(*v);
        }
    }
    // Shift performances: d0 high, d1 low, d2 high, d3 low (not changing correlations).
    let shift = [3.0, 0.0, 2.0, 0.5];
    let mut t = Table::new(&scores).unwrap();
    for (j, c) in cols.into_iter().enumerate() {
        t = t
            .with_driver(
                format!("d{j}"),
                c.into_iter().map(|v| v + shift[j]).collect(),
            )
            .unwrap();
    }
    t
}

#[test]
fn quadrants_under_each_cut() {
    let table = four(400, 7);
    for (it, pt) in [
        (Threshold::Mean, Threshold::Mean),
        (Threshold::Median, Threshold::Median),
        (Threshold::Value(0.3), Threshold::Value(4.5)),
    ] {
        let options = PriorityOptions {
            importance_threshold: it,
            performance_threshold: pt,
            ..PriorityOptions::default()
        };
        let r = priorities(&table, &options).unwrap();
        let shares: Vec<f64> = r.rows.iter().map(|x| x.share).collect();
        let perfs: Vec<f64> = r.rows.iter().map(|x| x.performance).collect();
        let expect = |v: &[f64], t: Threshold| match t {
            Threshold::Mean => v.iter().sum::<f64>() / 4.0,
            Threshold::Median => {
                let mut s = v.to_vec();
                s.sort_by(f64::total_cmp);
                (s[1] + s[2]) / 2.0
            }
            Threshold::Value(c) => c,
        };
        assert!((r.importance_cut - expect(&shares, it)).abs() < 1e-12);
        assert!((r.performance_cut - expect(&perfs, pt)).abs() < 1e-12);
        for row in &r.rows {
            let q = Quadrant::of(
                row.share >= r.importance_cut,
                row.performance >= r.performance_cut,
            );
            assert_eq!(row.quadrant, q, "{row:?}");
        }
        // The design: d0 important and high, d1 important and low, d2 less and high, d3 low.
        let q: Vec<Quadrant> = r.rows.iter().map(|x| x.quadrant).collect();
        assert_eq!(
            q,
            [
                Quadrant::Exceed,
                Quadrant::ImproveNow,
                Quadrant::Maintain,
                Quadrant::LowPriority
            ],
            "{it:?} {pt:?} shares {shares:?} perf {perfs:?}"
        );
    }
    // The serde names.
    assert_eq!(
        serde_json::to_string(&Quadrant::ImproveNow).unwrap(),
        "\"improve_now\""
    );
    assert_eq!(
        serde_json::to_string(&Quadrant::LowPriority).unwrap(),
        "\"low_priority\""
    );
}

#[test]
fn action_list_ranks_by_share_times_gap() {
    let table = four(400, 11);
    let options = PriorityOptions {
        reference: Some(Reference::Targets(vec![
            ("d0".into(), 10.0),
            ("d1".into(), 4.0),
            ("d3".into(), 3.0),
        ])),
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    assert!(r.rows[2].reference.is_none() && r.rows[2].action_rank.is_none());
    let mut below: Vec<(usize, f64)> = r
        .rows
        .iter()
        .enumerate()
        .filter(|(_, x)| x.gap.is_some_and(|g| g < 0.0))
        .map(|(j, x)| (j, x.share * x.gap.unwrap().abs()))
        .collect();
    // d0 (≈ 6 vs 10) and d1 (≈ 3 vs 4) are below; d3 (≈ 3.5 vs 3) above.
    assert_eq!(below.len(), 2);
    assert!(r.rows[3].gap.unwrap() > 0.0 && r.rows[3].action_rank.is_none());
    below.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (rank, (j, _)) in below.iter().enumerate() {
        assert_eq!(r.rows[*j].action_rank, Some(rank as u32 + 1));
    }
    // Without a reference: below the performance cut, gap to the cut.
    let r = priorities(&table, &PriorityOptions::default()).unwrap();
    let ranked: Vec<Option<u32>> = r.rows.iter().map(|x| x.action_rank).collect();
    for row in &r.rows {
        assert_eq!(
            row.action_rank.is_some(),
            row.performance < r.performance_cut
        );
    }
    assert!(ranked.contains(&Some(1)));
}

#[test]
fn probabilities_sum_to_one_and_are_certain_when_separated() {
    let table = four(600, 3);
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::Johnson,
            replicates: 200,
            ..DriverOptions::default()
        },
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    assert_eq!(r.importance.replicates, 200);
    assert_eq!(r.importance.level, Some(0.95));
    for row in &r.rows {
        let p = row.probabilities.unwrap();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let (lo, hi) = (row.importance_low.unwrap(), row.importance_high.unwrap());
        assert!(lo <= row.importance && row.importance <= hi, "{row:?}");
    }
    // d0: by far the most important and the best rated.
    assert_eq!(r.rows[0].probabilities.unwrap(), [0.0, 1.0, 0.0, 0.0]);
    // Same seed, same draws.
    let again = priorities(&table, &options).unwrap();
    assert_eq!(again, r);
}

#[test]
fn reference_group_without_ratings_gives_no_gap() {
    let (mut table, _) = brands();
    // c: rated by Own only.
    let c: Vec<f64> = (0..12)
        .map(|i| {
            if i < 6 {
                (i % 3) as f64 + 2.0
            } else {
                f64::NAN
            }
        })
        .collect();
    table.add_driver("c", c).unwrap();
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::First,
            ..DriverOptions::default()
        },
        focus: Some(("brand".into(), "Own".into())),
        reference: Some(Reference::Group {
            dimension: "brand".into(),
            value: "Rival".into(),
        }),
        ..PriorityOptions::default()
    };
    let r = priorities(&table, &options).unwrap();
    let c = &r.rows[2];
    assert!(c.reference.is_none() && c.gap.is_none() && c.gap_q.is_none());
    assert!(r.rows[0].gap.is_some());
}

#[test]
fn bad_input() {
    let (table, _) = brands();
    let with = |f: fn(&mut PriorityOptions)| {
        let mut o = PriorityOptions::default();
        o.importance.method = DriverMethod::Johnson;
        f(&mut o);
        priorities(&table, &o).unwrap_err()
    };
    let e = with(|o| o.reference = Some(Reference::Targets(vec![("zz".into(), 3.0)])));
    assert!(
        matches!(e, Error::UnknownColumn { ref name, .. } if name == "zz"),
        "{e}"
    );
    let e = with(|o| o.focus = Some(("brand".into(), "Acme".into())));
    assert!(matches!(e, Error::UnknownValue { .. }), "{e}");
    let e = with(|o| o.focus = Some(("brnad".into(), "Own".into())));
    assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
    let e = with(|o| {
        o.reference = Some(Reference::Group {
            dimension: "brand".into(),
            value: "Nobody".into(),
        })
    });
    assert!(matches!(e, Error::UnknownValue { .. }), "{e}");
    let e = with(|o| o.importance.drivers = Some(vec!["a".into(), "nope".into()]));
    assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
    let e = with(|o| o.rate = 0.0);
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
    let e = with(|o| o.level = 1.5);
    assert!(matches!(e, Error::InvalidLevel { .. }), "{e}");
    let e = with(|o| o.importance_threshold = Threshold::Value(f64::NAN));
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
}

fn claim_journey() -> Journey {
    Journey::from_json(
        r#"{"stages": [
        {"id": "buy", "scenes": [
            {"id": "buy.quote", "touchpoints": [{"id": "web"}, {"id": "agent"}]},
            {"id": "buy.pay", "touchpoints": [{"id": "card"}]}]},
        {"id": "claim", "scenes": [
            {"id": "claim.report", "touchpoints": [{"id": "phone"}, {"id": "app"}]}]}]}"#,
    )
    .unwrap()
}

#[test]
fn journey_roll_up_sums() {
    let base = four(500, 5);
    let mut table = Table::new(
        &base
            .score_codes()
            .iter()
            .map(|&c| f64::from(c))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    // d0..d3 become web, agent, phone, app; "card" has no column; "buy.pay" neither.
    for (d, id) in base.drivers().iter().zip(["web", "agent", "phone", "app"]) {
        table.add_driver(id, d.ratings().to_vec()).unwrap();
    }
    table.add_driver("unrelated", vec![1.0; 500]).unwrap();
    let options = PriorityOptions {
        importance: DriverOptions {
            method: DriverMethod::Johnson,
            ..DriverOptions::default()
        },
        ..PriorityOptions::default()
    };
    let rows = journey_priorities(&table, &claim_journey(), &options).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "buy",
            "buy.quote",
            "web",
            "agent",
            "buy.pay",
            "card",
            "claim",
            "claim.report",
            "phone",
            "app"
        ]
    );
    let get = |id: &str| rows.iter().find(|r| r.id == id).unwrap();
    let share = |id: &str| get(id).share.unwrap();
    assert!((share("buy.quote") - share("web") - share("agent")).abs() < 1e-12);
    assert!((share("claim.report") - share("phone") - share("app")).abs() < 1e-12);
    assert!((share("buy") - share("buy.quote")).abs() < 1e-12);
    assert!((share("claim") - share("claim.report")).abs() < 1e-12);
    assert!((share("buy") + share("claim") - 1.0).abs() < 1e-12);
    assert!(get("card").share.is_none() && get("card").quadrant.is_none());
    assert!(get("buy.pay").share.is_none() && get("buy.pay").performance.is_none());
    assert_eq!(get("buy").kind, NodeKind::Stage);
    assert_eq!(get("web").parent.as_deref(), Some("buy.quote"));
    // Pooled performance of a scene: all of its touchpoints' ratings.
    let pooled = |a: &str, b: &str| {
        let (x, y) = (table.driver(a).unwrap(), table.driver(b).unwrap());
        (x.ratings().iter().sum::<f64>() + y.ratings().iter().sum::<f64>()) / 1000.0
    };
    assert!((get("buy.quote").performance.unwrap() - pooled("web", "agent")).abs() < 1e-12);
    assert!(get("buy.quote").quadrant.is_some() && get("web").quadrant.is_some());
}

#[test]
fn journey_without_matching_columns_is_an_error() {
    let e =
        journey_priorities(&small(), &claim_journey(), &PriorityOptions::default()).unwrap_err();
    match e {
        Error::UnknownColumn { name, .. } => {
            assert!(
                name.contains("web") && name.contains("claim.report"),
                "{name}"
            )
        }
        other => panic!("{other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn quadrant_probabilities_sum_to_one(seed in any::<u64>(), it in 0usize..3, pt in 0usize..3) {
        let table = four(60, seed);
        let threshold = |k: usize, v: f64| [Threshold::Mean, Threshold::Median, Threshold::Value(v)][k];
        let options = PriorityOptions {
            importance: DriverOptions {
                method: DriverMethod::Johnson,
                replicates: 30,
                seed,
                ..DriverOptions::default()
            },
            importance_threshold: threshold(it, 0.25),
            performance_threshold: threshold(pt, 4.0),
            ..PriorityOptions::default()
        };
        let r = priorities(&table, &options).unwrap();
        for row in &r.rows {
            let p = row.probabilities.unwrap();
            prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)));
        }
    }

    #[test]
    fn permuting_drivers_permutes_rows(seed in any::<u64>(), perm in Just([0usize, 1, 2, 3]).prop_shuffle()) {
        let table = four(80, seed);
        let names: Vec<String> = (0..4).map(|j| format!("d{j}")).collect();
        let run = |order: Vec<String>| {
            let options = PriorityOptions {
                importance: DriverOptions {
                    drivers: Some(order),
                    ..DriverOptions::default()
                },
                reference: Some(Reference::Target(3.0)),
                ..PriorityOptions::default()
            };
            priorities(&table, &options).unwrap()
        };
        let a = run(names.clone());
        let b = run(perm.iter().map(|&j| names[j].clone()).collect());
        prop_assert!((a.importance_cut - b.importance_cut).abs() < 1e-12);
        prop_assert!((a.performance_cut - b.performance_cut).abs() < 1e-12);
        for (k, &j) in perm.iter().enumerate() {
            let (x, y) = (&a.rows[j], &b.rows[k]);
            prop_assert_eq!(&x.driver, &y.driver);
            prop_assert!((x.share - y.share).abs() < 1e-9);
            prop_assert!((x.performance - y.performance).abs() < 1e-12);
            prop_assert!((x.gap_q.unwrap() - y.gap_q.unwrap()).abs() < 1e-12);
            prop_assert_eq!(x.action_rank, y.action_rank);
            // Quadrants agree unless a share sits on the cut within rounding.
            if (x.share - a.importance_cut).abs() > 1e-9 {
                prop_assert_eq!(x.quadrant, y.quadrant);
            }
        }
    }
}

#[test]
fn weights_give_weighted_means_and_unit_weights_change_nothing() {
    let plain = priorities(&small(), &PriorityOptions::default()).unwrap();
    let unit = small().with_weights(vec![1.0; 10]).unwrap();
    let r = priorities(&unit, &PriorityOptions::default()).unwrap();
    for (a, b) in plain.rows.iter().zip(&r.rows) {
        assert!((a.performance - b.performance).abs() < 1e-12);
        assert!((a.performance_low - b.performance_low).abs() < 1e-9);
        assert!((a.share - b.share).abs() < 1e-9);
    }
    // Weight 3 on the first row: speed mean (3·5 + 29)/12.
    let mut w = vec![1.0; 10];
    w[0] = 3.0;
    let r = priorities(
        &small().with_weights(w).unwrap(),
        &PriorityOptions::default(),
    )
    .unwrap();
    assert!((r.rows[0].performance - 44.0 / 12.0).abs() < 1e-12);
    assert_eq!(r.rows[0].n, 10);
}
