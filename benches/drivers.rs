//! Driver importance (issue 4).
//!
//! Targets: exact Shapley over 16 drivers under 10 ms, 20 under 150 ms, 24 under 2 s; Johnson
//! weights for 100 drivers under 10 ms; the correlation pass over 10⁶ rows × 20 drivers under
//! 200 ms; 1,000 bootstrap replicates of Johnson weights on 10⁴ rows × 20 drivers under 2 s.
//! (R relaimpo's LMG: 5.9 s at 16 drivers, 182 s at 20, n = 5000.) Data are simulated with a
//! seeded RNG, outside the timing.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use nps_core::{
    Correlation, DriverMethod, DriverMoments, DriverOptions, Missing, Table, correlate, drivers,
    importance,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

/// Roughly normal draws (sum of four uniforms).
fn normal(rng: &mut StdRng) -> f64 {
    (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0
}

/// An outcome (score-like, 0..=10) and `p` correlated driver ratings (1..=5) for `n` rows.
fn simulate(n: usize, p: usize, seed: u64) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let common: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
    let latent: Vec<Vec<f64>> = (0..p)
        .map(|_| (0..n).map(|i| 0.7 * common[i] + normal(&mut rng)).collect())
        .collect();
    let coef: Vec<f64> = (0..p)
        .map(|k| 0.1 + 0.3 * ((k * 7) % 5) as f64 / 4.0)
        .collect();
    let outcome = (0..n)
        .map(|i| {
            let s: f64 = (0..p).map(|k| coef[k] * latent[k][i]).sum();
            (7.0 + s + normal(&mut rng)).round().clamp(0.0, 10.0)
        })
        .collect();
    let ratings = latent
        .into_iter()
        .map(|l| {
            l.into_iter()
                .map(|v| (3.0 + v).round().clamp(1.0, 5.0))
                .collect()
        })
        .collect();
    (outcome, ratings)
}

fn correlation(n: usize, p: usize, seed: u64) -> Correlation {
    let (y, x) = simulate(n, p, seed);
    let names: Vec<String> = (0..p).map(|k| format!("d{k}")).collect();
    let mut columns: Vec<(&str, &[f64])> = vec![("score", &y)];
    columns.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(x.iter().map(Vec::as_slice)),
    );
    correlate(&columns, None, &DriverOptions::default()).expect("a valid correlation matrix")
}

fn shapley(c: &mut Criterion) {
    let mut group = c.benchmark_group("drivers/shapley exact");
    group.sample_size(10);
    for p in [16, 20, 24] {
        let corr = correlation(5_000, p, p as u64);
        let options = DriverOptions::default();
        group.throughput(Throughput::Elements(1u64 << p));
        group.bench_with_input(BenchmarkId::from_parameter(p), &corr, |b, corr| {
            b.iter(|| importance(black_box(corr), &options).expect("shapley"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("drivers/shapley sampled");
    group.sample_size(10);
    let corr = correlation(5_000, 40, 40);
    let options = DriverOptions {
        shapley_samples: Some(1_000),
        ..DriverOptions::default()
    };
    group.bench_function("40 drivers, 1000 permutation pairs", |b| {
        b.iter(|| importance(black_box(&corr), &options).expect("shapley"))
    });
    group.finish();
}

fn johnson(c: &mut Criterion) {
    let mut group = c.benchmark_group("drivers/johnson");
    let corr = correlation(5_000, 100, 100);
    let options = DriverOptions {
        method: DriverMethod::Johnson,
        ..DriverOptions::default()
    };
    group.bench_function("100 drivers", |b| {
        b.iter(|| importance(black_box(&corr), &options).expect("johnson"))
    });
    group.finish();
}

fn pass(c: &mut Criterion) {
    let mut group = c.benchmark_group("drivers/correlation pass");
    group.sample_size(10);
    let (n, p) = (1_000_000, 20);
    let (y, mut x) = simulate(n, p, 1);
    let names: Vec<String> = (0..p).map(|k| format!("d{k}")).collect();
    let columns = |x: &[Vec<f64>]| -> Vec<(String, Vec<f64>)> {
        std::iter::once(("score".to_owned(), y.clone()))
            .chain(names.iter().cloned().zip(x.iter().cloned()))
            .collect()
    };
    let full = columns(&x);
    group.throughput(Throughput::Bytes((n * (p + 1) * 8) as u64));
    for (label, missing) in [
        ("1e6 x 20 listwise", Missing::Listwise),
        ("1e6 x 20 pairwise", Missing::Pairwise),
    ] {
        let cols: Vec<(&str, &[f64])> = full.iter().map(|(n, c)| (n.as_str(), &c[..])).collect();
        group.bench_function(label, |b| {
            b.iter(|| {
                DriverMoments::from_columns(black_box(&cols), None, missing)
                    .and_then(|m| m.correlation())
                    .expect("moments")
            })
        });
    }
    // 5 % of ratings missing: listwise compacts each block.
    let mut rng = StdRng::seed_from_u64(2);
    for col in &mut x {
        for v in col.iter_mut() {
            if rng.random::<f64>() < 0.05 {
                *v = f64::NAN;
            }
        }
    }
    let holes = columns(&x);
    let cols: Vec<(&str, &[f64])> = holes.iter().map(|(n, c)| (n.as_str(), &c[..])).collect();
    group.bench_function("1e6 x 20 listwise, 5% missing", |b| {
        b.iter(|| {
            DriverMoments::from_columns(black_box(&cols), None, Missing::Listwise)
                .and_then(|m| m.correlation())
                .expect("moments")
        })
    });
    let weights: Vec<f64> = (0..n).map(|_| 0.5 + rng.random::<f64>()).collect();
    let cols: Vec<(&str, &[f64])> = full.iter().map(|(n, c)| (n.as_str(), &c[..])).collect();
    group.bench_function("1e6 x 20 listwise, weighted", |b| {
        b.iter(|| {
            DriverMoments::from_columns(black_box(&cols), Some(&weights), Missing::Listwise)
                .and_then(|m| m.correlation())
                .expect("moments")
        })
    });
    let spearman = DriverOptions {
        spearman: true,
        ..DriverOptions::default()
    };
    group.bench_function("1e6 x 20 spearman", |b| {
        b.iter(|| correlate(black_box(&cols), None, &spearman).expect("ranks"))
    });
    group.finish();
}

fn bootstrap(c: &mut Criterion) {
    let mut group = c.benchmark_group("drivers/bootstrap");
    group.sample_size(10);
    let (y, x) = simulate(10_000, 20, 3);
    let mut table = Table::new(&y).expect("scores");
    for (k, r) in x.into_iter().enumerate() {
        table = table.with_driver(format!("d{k}"), r).expect("ratings");
    }
    let options = DriverOptions {
        method: DriverMethod::Johnson,
        replicates: 1_000,
        ..DriverOptions::default()
    };
    group.bench_function("johnson, 1000 replicates, 1e4 x 20", |b| {
        b.iter(|| drivers(black_box(&table), &options).expect("bootstrap"))
    });
    group.finish();
}

criterion_group!(benches, shapley, johnson, pass, bootstrap);
criterion_main!(benches);
