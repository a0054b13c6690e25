//! Driver importance benches (issue 4).

use criterion::{Criterion, criterion_group, criterion_main};

fn drivers(_c: &mut Criterion) {}

criterion_group!(benches, drivers);
criterion_main!(benches);
