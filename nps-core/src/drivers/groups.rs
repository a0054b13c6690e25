//! Driver importance per group (brand, segment, touchpoint, period…).

use serde::{Deserialize, Serialize};

use super::{
    DriverImportance, DriverOptions, analyse, check_ratings, chosen_drivers, outcome_name,
};
use crate::group::{Key, Level};
use crate::table::{NA, Table};
use crate::{Error, Result};

/// One group's driver importance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverGroup {
    /// The group's value on each key, in the order of the keys ([`Level::Missing`] for rows
    /// without a value).
    pub levels: Vec<Level>,
    /// Rows in the group (before missing ratings are dropped).
    pub rows: usize,
    /// The analysis, when the group's data allow one.
    pub result: Option<DriverImportance>,
    /// Why there is no result (too few complete rows, a driver constant within the group…):
    /// the message of the error the whole-table analysis would give.
    pub problem: Option<String>,
}

/// The result of [`drivers_by`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverGrouping {
    /// The keys' names.
    pub keys: Vec<String>,
    /// One entry per combination of key values that has rows, in key order.
    pub groups: Vec<DriverGroup>,
}

/// Driver importance within every combination of `keys` that has rows (e.g. per brand, or per
/// brand × quarter). Each group is analysed on its own rows exactly as [`drivers`](super::drivers)
/// analyses a table; a group whose data do not allow an analysis gets a `problem` instead of
/// failing the whole call.
///
/// # Errors
/// [`Error::UnknownColumn`] for a key or driver the table lacks; the options' errors;
/// [`Error::InvalidArgument`] for no drivers, a driver named twice, or more than 2⁶⁴
/// combinations; [`Error::TooManyDrivers`]; [`Error::InvalidDriver`] for a driver with no
/// rating in the whole table or one off the declared scale.
///
/// # Examples
/// ```
/// use nps_core::{Dimension, DriverOptions, Key, Level, Table, drivers_by};
/// let brand: Vec<Option<&str>> = (0..40).map(|i| Some(if i % 2 == 0 { "A" } else { "B" })).collect();
/// let speed: Vec<f64> = (0..40).map(|i| f64::from(i % 5 + 1)).collect();
/// let price: Vec<f64> = (0..40).map(|i| f64::from((i / 3) % 5 + 1)).collect();
/// let scores: Vec<f64> = (0..40).map(|i| f64::from((2 * (i % 5) + (i / 3) % 5).min(10))).collect();
/// let table = Table::new(&scores)?
///     .with_dimension(Dimension::from_values("brand", &brand))?
///     .with_driver("speed", speed)?
///     .with_driver("price", price)?;
/// let by = drivers_by(&table, &[Key::from("brand")], &DriverOptions::default())?;
/// assert_eq!(by.groups.len(), 2);
/// assert_eq!(by.groups[0].levels, [Level::Value("A".into())]);
/// assert!(by.groups.iter().all(|g| g.result.is_some()));
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn drivers_by(table: &Table, keys: &[Key], options: &DriverOptions) -> Result<DriverGrouping> {
    options.validate()?;
    let chosen = chosen_drivers(table, options)?;
    let whole: Vec<(&str, &[f64])> = chosen.iter().map(|d| (d.name(), d.ratings())).collect();
    check_ratings(&whole, options.rating_scale)?;
    // Per key: the labels and each row's index into them.
    let mut columns: Vec<(Vec<Level>, Vec<u32>)> = Vec::with_capacity(keys.len());
    for key in keys {
        columns.push(match key {
            Key::Dimension(name) => {
                let d = table.dimension(name)?;
                let mut labels: Vec<Level> = d.levels().iter().cloned().map(Level::Value).collect();
                let missing = labels.len() as u32;
                labels.push(Level::Missing);
                let codes = d
                    .codes()
                    .iter()
                    .map(|&c| if c == NA { missing } else { c })
                    .collect();
                (labels, codes)
            }
            Key::Period(unit) => {
                let (_, d) = table.period_dimension(*unit)?;
                let labels = d.levels().iter().cloned().map(Level::Value).collect();
                (labels, d.codes().to_vec())
            }
        });
    }
    let too_many = || Error::InvalidArgument {
        field: "keys",
        value: format!("{} keys", keys.len()),
        expected: "fewer than 2^64 combinations of key values",
    };
    columns
        .iter()
        .try_fold(1u64, |acc, (labels, _)| {
            acc.checked_mul(labels.len().max(1) as u64)
        })
        .ok_or_else(too_many)?;
    let mut rows: Vec<(u64, u32)> = (0..table.len())
        .map(|i| {
            let combo = columns.iter().fold(0u64, |acc, (labels, codes)| {
                acc * labels.len() as u64 + u64::from(codes[i])
            });
            (combo, i as u32)
        })
        .collect();
    rows.sort_unstable();

    let outcome = options.outcome.values(table);
    let name = outcome_name(options.outcome);
    let weights = table.weights();
    let mut groups = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let combo = rows[start].0;
        let end = start + rows[start..].partition_point(|r| r.0 == combo);
        let idx: Vec<usize> = rows[start..end].iter().map(|r| r.1 as usize).collect();
        let gather = |col: &[f64]| -> Vec<f64> { idx.iter().map(|&i| col[i]).collect() };
        let y = gather(&outcome);
        let x: Vec<Vec<f64>> = chosen.iter().map(|d| gather(d.ratings())).collect();
        let w = weights.map(gather);
        let mut cols: Vec<(&str, &[f64])> = vec![(name.as_str(), &y)];
        cols.extend(
            chosen
                .iter()
                .map(|d| d.name())
                .zip(x.iter().map(Vec::as_slice)),
        );
        let (result, problem) = match analyse(&cols, w.as_deref(), options) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e.to_string())),
        };
        // Decode the combination into per-key levels.
        let mut rest = combo;
        let mut levels = vec![Level::All; columns.len()];
        for (slot, (labels, _)) in levels.iter_mut().zip(&columns).rev() {
            let size = labels.len().max(1) as u64;
            *slot = labels[(rest % size) as usize].clone();
            rest /= size;
        }
        groups.push(DriverGroup {
            levels,
            rows: idx.len(),
            result,
            problem,
        });
        start = end;
    }
    Ok(DriverGrouping {
        keys: keys.iter().map(Key::name).collect(),
        groups,
    })
}
