//! `group_by` from columns in Rust: the reference figure for `nps.by` on a DataFrame
//! (`benches/compare_by_rust.py` runs this and prints both, with the ratio).
//!
//! 10⁷ responses, `u8` scores, three dimensions of 10 levels given as per-row codes: builds the
//! response table from the columns (scores validated; the code columns converted by
//! `Dimension::from_codes`, since the table owns its columns and the caller keeps its own, as a
//! DataFrame does — and, for comparison, moved in) and groups by the three dimensions with the Wald
//! interval. Prints the best of 5 runs of each as JSON. Run with `cargo run --release -p nps-core
//! --example by_columns [rows]`.

use std::time::Instant;

use nps_core::{Dimension, GroupOptions, Key, Method, Table, group_by};
use rand::{RngExt, SeedableRng, rngs::StdRng};

const LEVELS: u32 = 10;
const KEYS: [&str; 3] = ["a", "b", "c"];
const REPEATS: usize = 5;

fn main() -> Result<(), nps_core::Error> {
    let rows: usize = std::env::args()
        .nth(1)
        .map_or(10_000_000, |n| n.parse().expect("a number of rows"));
    let mut rng = StdRng::seed_from_u64(2024);
    // The same score distribution as the Python script's.
    let cumulative = [1, 2, 3, 4, 5, 7, 14, 29, 44, 64, 100];
    let scores: Vec<u8> = (0..rows)
        .map(|_| {
            let u = rng.random_range(0..100);
            cumulative.iter().position(|&c| u < c).unwrap_or(10) as u8
        })
        .collect();
    let codes: Vec<Vec<u32>> = KEYS
        .iter()
        .map(|_| (0..rows).map(|_| rng.random_range(0..LEVELS)).collect())
        .collect();
    let levels = |key: &str| (0..LEVELS).map(|i| format!("{key}{i}")).collect::<Vec<_>>();
    let keys: Vec<Key> = KEYS.iter().map(|&k| Key::from(k)).collect();
    let options = GroupOptions {
        method: Method::Wald,
        ..GroupOptions::default()
    };

    // Borrowed: the caller keeps its columns (as a DataFrame does), the table converts them
    // (`Dimension::from_codes`, which nps-py calls on pandas' codes). Moved: the caller hands
    // its code columns over (copied before the clock starts).
    let mut copied = (f64::INFINITY, f64::INFINITY);
    let mut moved = (f64::INFINITY, f64::INFINITY);
    let mut groups = 0;
    for _ in 0..REPEATS {
        for (keep, best) in [(true, &mut copied), (false, &mut moved)] {
            let mut owned: Vec<Vec<u32>> = if keep { Vec::new() } else { codes.clone() };
            let start = Instant::now();
            let mut table = Table::new(&scores)?;
            for (k, key) in KEYS.iter().enumerate() {
                let dimension = if keep {
                    Dimension::from_codes(*key, levels(key), &codes[k])?
                } else {
                    Dimension::new(*key, levels(key), std::mem::take(&mut owned[k]))?
                };
                table.add_dimension(dimension)?;
            }
            let built = start.elapsed().as_secs_f64();
            let grouping = group_by(&table, &keys, &options)?;
            let total = start.elapsed().as_secs_f64();
            groups = grouping.groups.len();
            if total < best.1 {
                *best = (built, total);
            }
        }
    }
    println!(
        "{{\"rows\": {rows}, \"groups\": {groups}, \"build_ms\": {:.2}, \"total_ms\": {:.2}, \
         \"moved_build_ms\": {:.2}, \"moved_total_ms\": {:.2}}}",
        copied.0 * 1e3,
        copied.1 * 1e3,
        moved.0 * 1e3,
        moved.1 * 1e3
    );
    Ok(())
}
