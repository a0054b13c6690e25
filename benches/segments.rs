//! Segments and trends over a large response table.
//!
//! Targets (issue 3): NPS with intervals for 10⁷ responses grouped by 3 dimensions (1,000
//! groups) under 100 ms on one core; a trend over 10⁷ timestamped responses by month and brand
//! under 200 ms. The table is built once, outside the timing (building it validates the scores
//! and encodes the columns; that cost is timed separately).

use criterion::{Criterion, criterion_group, criterion_main};
use nps_core::{
    Date, Dimension, GroupOptions, Key, Method, NA, PeriodUnit, Table, TrendOptions, group_by,
    trend,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

const N: usize = 10_000_000;

fn dimension(rng: &mut StdRng, name: &str, levels: u32) -> Dimension {
    let names = (0..levels).map(|l| format!("{name}{l}")).collect();
    let codes = (0..N).map(|_| rng.random_range(0..levels)).collect();
    Dimension::new(name, names, codes).expect("valid codes")
}

fn table() -> Table {
    let mut rng = StdRng::seed_from_u64(7);
    let scores: Vec<u8> = (0..N).map(|_| rng.random_range(0..=10u8)).collect();
    let dates: Vec<Date> = (0..N)
        .map(|_| Date::from_days(19_000 + rng.random_range(0..730)))
        .collect();
    let mut t = Table::new(&scores).expect("valid scores");
    for (name, levels) in [("brand", 10), ("region", 10), ("age", 10)] {
        t = t
            .with_dimension(dimension(&mut rng, name, levels))
            .expect("same length");
    }
    t.with_dates(dates).expect("same length")
}

fn segments(c: &mut Criterion) {
    let mut group = c.benchmark_group("segments");
    group.sample_size(10);
    let mut rng = StdRng::seed_from_u64(1);
    let scores: Vec<u8> = (0..N).map(|_| rng.random_range(0..=10u8)).collect();
    group.bench_function("build table 1e7 (scores + 1 dimension)", |b| {
        b.iter(|| {
            let codes = vec![NA; N];
            Table::new(black_box(&scores))
                .and_then(|t| t.with_dimension(Dimension::new("d", vec![], codes)?))
                .expect("valid")
        })
    });
    let t = table();
    let keys: Vec<Key> = ["brand", "region", "age"].map(Key::from).to_vec();
    let options = GroupOptions {
        method: Method::Wald,
        ..GroupOptions::default()
    };
    group.bench_function("group_by 1e7 x 3 dims (1000 groups), wald", |b| {
        b.iter(|| group_by(black_box(&t), &keys, &options).expect("groups"))
    });
    let adjusted = GroupOptions::default();
    group.bench_function("group_by 1e7 x 3 dims, adjusted wald + margins", |b| {
        let with_margins = GroupOptions {
            margins: true,
            ..adjusted
        };
        b.iter(|| group_by(black_box(&t), &keys, &with_margins).expect("groups"))
    });
    let monthly = TrendOptions {
        unit: PeriodUnit::Month,
        ..TrendOptions::default()
    };
    group.bench_function("trend 1e7 by month and brand", |b| {
        b.iter(|| trend(black_box(&t), &[Key::from("brand")], &monthly).expect("trend"))
    });
    group.finish();
}

criterion_group!(benches, segments);
criterion_main!(benches);
