//! Segments, periods, trends and attribution: invariants (proptest) and every kind of bad input
//! the issue lists, each a typed error naming the field and the position.

use nps_core::{
    Cube, Date, Dimension, Error, GroupOptions, Journey, Key, Level, PeriodUnit, Split, Table,
    Tally, TrendOptions, attribute, benjamini_hochberg, group_by, journey, trend,
};
use proptest::prelude::*;

/// Rows of (score, brand 0..3, region 0..4 or missing, day offset 0..400).
fn rows() -> impl Strategy<Value = Vec<(u8, u8, Option<u8>, u16)>> {
    prop::collection::vec(
        (0u8..=10, 0u8..3, prop::option::of(0u8..4), 0u16..400),
        1..300,
    )
}

fn table(rows: &[(u8, u8, Option<u8>, u16)]) -> Table {
    let scores: Vec<u8> = rows.iter().map(|r| r.0).collect();
    let brand: Vec<Option<String>> = rows.iter().map(|r| Some(format!("b{}", r.1))).collect();
    let region: Vec<Option<String>> = rows.iter().map(|r| r.2.map(|x| format!("r{x}"))).collect();
    let dates = rows
        .iter()
        .map(|r| Date::from_days(19_700 + i32::from(r.3)))
        .collect();
    Table::new(&scores)
        .unwrap()
        .with_dimension(Dimension::from_values("brand", &brand))
        .unwrap()
        .with_dimension(Dimension::from_values("region", &region))
        .unwrap()
        .with_dates(dates)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn groups_partition_the_rows_and_each_margin_sums_its_groups(r in rows()) {
        let t = table(&r);
        let keys = [Key::from("brand"), Key::from("region"), Key::Period(PeriodUnit::Quarter)];
        let options = GroupOptions { margins: true, ..GroupOptions::default() };
        let g = group_by(&t, &keys, &options).unwrap();
        let (fine, margins): (Vec<_>, Vec<_>) =
            g.groups.iter().partition(|g| !g.levels.contains(&Level::All));
        prop_assert_eq!(fine.iter().map(|g| &g.tally).sum::<Tally>(), t.tally());
        for m in &margins {
            let members: Tally = fine
                .iter()
                .filter(|f| f.levels.iter().zip(&m.levels).all(|(a, b)| *b == Level::All || a == b))
                .map(|f| &f.tally)
                .sum();
            prop_assert_eq!(&members, &m.tally);
        }
        let grand = margins.last().unwrap();
        prop_assert!(grand.levels.iter().all(|l| *l == Level::All));
    }

    #[test]
    fn a_trend_has_every_period_and_its_points_sum_to_the_group(r in rows()) {
        let t = table(&r);
        let options = TrendOptions { unit: PeriodUnit::Month, ..TrendOptions::default() };
        let tr = trend(&t, &[Key::from("brand")], &options).unwrap();
        let months = 1 + {
            let days: Vec<i32> = t.dates().unwrap().iter().map(|d| d.days()).collect();
            let (lo, hi) = (days.iter().min().unwrap(), days.iter().max().unwrap());
            let m = |d: i32| { let (y, m, _) = Date::from_days(d).ymd(); y * 12 + m as i32 };
            m(*hi) - m(*lo)
        };
        let all: Tally = tr.series.iter().flat_map(|s| s.points.iter().map(|p| &p.tally)).sum();
        prop_assert_eq!(all, t.tally());
        for s in &tr.series {
            prop_assert_eq!(s.points.len() as i32, months);
            for p in &s.points {
                prop_assert_eq!(p.gap, p.estimate.is_none());
            }
        }
    }

    #[test]
    fn cubes_of_parts_merge_into_the_single_machine_answer(
        r in rows(),
        cuts in prop::collection::vec(0usize..300, 0..4),
    ) {
        // Split the rows at the cut points (parts may be empty), build a cube per part and
        // merge them last part first, so that dictionaries and periods differ from part to part.
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (r.len() + 1)).collect();
        bounds.extend([0, r.len()]);
        bounds.sort_unstable();
        let keys = [Key::from("brand"), Key::from("region"), Key::Period(PeriodUnit::Month)];
        let mut parts: Vec<Cube> = bounds
            .windows(2)
            .filter(|w| w[0] < w[1])
            .map(|w| Cube::build(&table(&r[w[0]..w[1]]), &keys).unwrap())
            .collect();
        let mut merged = parts.pop().unwrap();
        for part in parts.iter().rev() {
            merged.merge(part).unwrap();
        }
        let t = table(&r);
        let options = GroupOptions { margins: true, ..GroupOptions::default() };
        // Text dimensions are sorted dictionaries: the merged cube keeps them sorted, so even
        // the order of the groups is the single machine's.
        prop_assert_eq!(merged.group_by(&options).unwrap(), group_by(&t, &keys, &options).unwrap());
        let monthly = TrendOptions { unit: PeriodUnit::Month, ..TrendOptions::default() };
        prop_assert_eq!(merged.trend(&monthly).unwrap(), trend(&t, &keys[..2], &monthly).unwrap());
    }

    #[test]
    fn mix_plus_rate_is_the_change(r in rows()) {
        let t = table(&r);
        let split = Split::Values { dimension: "brand".into(), from: "b0".into(), to: "b1".into() };
        let has = |b: u8| r.iter().any(|x| x.1 == b);
        prop_assume!(has(0) && has(1));
        let a = attribute(&t, &["region"], &split, 0.95).unwrap();
        let d = &a.decompositions[0];
        prop_assert!((d.mix + d.rate - a.change.difference).abs() < 1e-9);
        let sum: f64 = d.segments.iter().map(|s| s.contribution).sum();
        prop_assert!((sum - a.change.difference).abs() < 1e-9);
        prop_assert!(d.segments.iter().all(|s| s.se >= 0.0 && s.low <= s.high));
    }

    #[test]
    fn q_values_are_at_least_the_p_values_and_keep_their_order(
        p in prop::collection::vec(0.0f64..=1.0, 0..50)
    ) {
        let q = benjamini_hochberg(&p);
        for i in 0..p.len() {
            prop_assert!(q[i] >= p[i] * (1.0 - 1e-15) && q[i] <= 1.0);
            for j in 0..p.len() {
                if p[i] <= p[j] {
                    prop_assert!(q[i] <= q[j]);
                }
            }
        }
    }
}

fn small_table() -> Table {
    table(&[(10, 0, Some(0), 0), (3, 1, Some(1), 40), (8, 2, None, 90)])
}

#[test]
fn an_unknown_dimension_is_named() {
    let e = group_by(&small_table(), &["regoin".into()], &GroupOptions::default()).unwrap_err();
    assert!(matches!(e, Error::UnknownColumn { .. }));
    assert_eq!(
        e.to_string(),
        "unknown dimension \"regoin\"; the table has \"brand\", \"region\""
    );
}

#[test]
fn an_impossible_or_unparseable_date_is_named() {
    let e = Date::parse_all(&["2024-01-05", "2024-13-01"]).unwrap_err();
    assert!(
        matches!(e, Error::InvalidDate { index: Some(1), .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with("date at index 1 is \"2024-13-01\""),
        "{e}"
    );
    let e = Date::parse_all(&["yesterday"]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("date at index 0 is \"yesterday\""),
        "{e}"
    );
    assert!(Date::parse("2023-02-29").is_err());
}

#[test]
fn columns_of_unequal_length_are_named() {
    let e = Table::new(&[1u8, 2])
        .unwrap()
        .with_dimension(Dimension::from_values("brand", &[Some("a")]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "brand has 1 elements but scores has 2; they must have the same length"
    );
    let e = Table::new(&[1u8, 2])
        .unwrap()
        .with_dates(vec![Date::from_days(0)])
        .unwrap_err();
    assert!(matches!(e, Error::LengthMismatch { .. }));
}

#[test]
fn a_period_unit_that_does_not_exist() {
    let e: Error = "fortnight".parse::<PeriodUnit>().unwrap_err();
    assert!(matches!(e, Error::UnknownMethod { .. }));
    assert!(e.to_string().contains("\"fortnight\""), "{e}");
}

#[test]
fn journeys_with_duplicate_ids_cycles_or_unknown_touchpoints() {
    let dup =
        r#"{"stages": [{"id": "buy", "scenes": [{"id": "buy", "touchpoints": [{"id": "web"}]}]}]}"#;
    let e = Journey::from_json(dup).unwrap_err();
    assert!(
        matches!(e, Error::InvalidJourney { ref id, .. } if id == "buy"),
        "{e}"
    );

    let cycle = r#"{"nodes": [
        {"id": "a", "kind": "scene", "parent": "b"},
        {"id": "b", "kind": "scene", "parent": "a"},
        {"id": "t", "kind": "touchpoint", "parent": "a"}]}"#;
    let e = Journey::from_json(cycle).unwrap_err();
    assert!(matches!(e, Error::InvalidJourney { .. }), "{e}");
    assert!(e.to_string().contains("cycle"), "{e}");

    let j = Journey::from_json(
        r#"{"stages": [{"id": "claim", "scenes": [{"id": "claim.report", "touchpoints": [{"id": "claim.app"}]}]}]}"#,
    )
    .unwrap();
    let touch = [Some("claim.app"), Some("claim.fax"), Some("claim.app")];
    let t = Table::new(&[9u8, 3, 10])
        .unwrap()
        .with_dimension(Dimension::from_values("touchpoint", &touch))
        .unwrap();
    let e = journey(&t, &j, "touchpoint", &GroupOptions::default()).unwrap_err();
    assert!(
        matches!(e, Error::UnknownTouchpoint { index: 1, ref touchpoint } if touchpoint == "claim.fax"),
        "{e}"
    );
}

#[test]
fn a_value_no_response_has_is_unknown() {
    // "C" is a level of brand (an unused category) that no row has.
    let brand = Dimension::new(
        "brand",
        vec!["A".into(), "B".into(), "C".into()],
        vec![0, 1, 0, 1],
    )
    .unwrap();
    let region = Dimension::from_values("region", &[Some("N"), Some("S"), Some("N"), Some("S")]);
    let t = Table::new(&[10u8, 3, 9, 8])
        .unwrap()
        .with_dimension(brand)
        .unwrap()
        .with_dimension(region)
        .unwrap();
    let unknown = |e: Error| matches!(e, Error::UnknownValue { ref value, .. } if value == "C");
    let split = Split::Values {
        dimension: "brand".into(),
        from: "A".into(),
        to: "C".into(),
    };
    assert!(unknown(
        attribute(&t, &["region"], &split, 0.95).unwrap_err()
    ));
    let options = nps_core::BenchmarkOptions::default();
    assert!(unknown(
        nps_core::benchmark(&t, "brand", "C", &[], None, &options).unwrap_err()
    ));
}
