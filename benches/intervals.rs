//! Interval methods on a tally. The cost depends on the tally, never on the rows behind it.
//!
//! Target (issue 2): a bootstrap interval with 10,000 replicates in under 5 ms whatever n is.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nps_core::{Method, Scale, Tally, compare};
use std::hint::black_box;

/// A tally of `n` answers with shares 45 % promoters, 30 % passives, 25 % detractors.
fn tally(n: u64) -> Tally {
    let mut counts = [0u64; 11];
    counts[10] = n * 45 / 100;
    counts[8] = n * 30 / 100;
    counts[3] = n - counts[10] - counts[8];
    Tally::from_counts(Scale::STANDARD, counts).unwrap()
}

fn intervals(c: &mut Criterion) {
    let mut group = c.benchmark_group("interval");
    for n in [100u64, 10_000, 10_000_000] {
        let t = tally(n);
        let methods = [
            Method::Wald,
            Method::AdjustedWald,
            Method::Score,
            Method::Bayes { prior: 0.5 },
            Method::Bootstrap {
                replicates: 10_000,
                seed: 1,
            },
        ];
        for m in methods {
            group.bench_with_input(BenchmarkId::new(m.name(), n), &t, |b, t| {
                b.iter(|| black_box(t).estimate(m, 0.95).unwrap())
            });
        }
    }
    let (a, b) = (tally(5_000), tally(7_000));
    group.bench_function("compare adjusted_wald", |bench| {
        bench.iter(|| compare(black_box(&a), black_box(&b), Method::AdjustedWald, 0.95).unwrap())
    });
    group.finish();
}

criterion_group!(benches, intervals);
criterion_main!(benches);
