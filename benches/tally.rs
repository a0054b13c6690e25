//! Tallying scores: the pass over the data that every analysis starts with.
//!
//! Target (issue 2): 10⁸ `u8` scores at ≥ 4 GB/s on one core.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nps_core::Tally;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

fn scores<T>(n: usize, f: impl Fn(u8) -> T) -> Vec<T> {
    let mut rng = StdRng::seed_from_u64(42);
    (0..n).map(|_| f(rng.random_range(0..=10u8))).collect()
}

fn tally(c: &mut Criterion) {
    let mut group = c.benchmark_group("tally");
    group.sample_size(10);
    let n = 100_000_000;
    let bytes = scores(n, |s| s);
    group.throughput(Throughput::Bytes(n as u64));
    group.bench_function("u8 x 1e8", |b| {
        b.iter(|| Tally::from_scores(black_box(&bytes)).unwrap())
    });
    drop(bytes);

    let n = 10_000_000;
    group.throughput(Throughput::Elements(n as u64));
    let ints = scores(n, i64::from);
    group.bench_function("i64 x 1e7", |b| {
        b.iter(|| Tally::from_scores(black_box(&ints)).unwrap())
    });
    let floats = scores(n, f64::from);
    group.bench_function("f64 x 1e7", |b| {
        b.iter(|| Tally::from_scores(black_box(&floats)).unwrap())
    });
    let weights = vec![1.5; n];
    group.bench_function("f64 weighted x 1e7", |b| {
        b.iter(|| Tally::from_weighted(black_box(&floats), black_box(&weights)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, tally);
criterion_main!(benches);
