//! Tallying scores: the pass over the data that every analysis starts with.
//!
//! Target (issue 2): 10⁸ `u8` scores at ≥ 4 GB/s on one core (`u8 x 1e8 one core`; inputs of a
//! million scores or more are otherwise split across cores).

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
    // Parts below the parallel threshold run on the calling thread only: the one-core figure.
    group.bench_function("u8 x 1e8 one core", |b| {
        b.iter(|| {
            let mut t = Tally::default();
            for part in black_box(&bytes).chunks(1 << 19) {
                t.add_scores(part).unwrap();
            }
            t
        })
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
    let mut with_nan = floats.clone();
    with_nan.iter_mut().step_by(33).for_each(|s| *s = f64::NAN); // 3 % unanswered
    group.bench_function("f64 with NaN x 1e7", |b| {
        b.iter(|| Tally::from_scores(black_box(&with_nan)).unwrap())
    });
    let weights = vec![1.5; n];
    group.bench_function("f64 weighted x 1e7", |b| {
        b.iter(|| Tally::from_weighted(black_box(&floats), black_box(&weights)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, tally);
criterion_main!(benches);
