//! Group-by: the NPS of every combination of dimensions and periods (brand × quarter × region),
//! with margins (totals), small groups flagged rather than hidden.
//!
//! One pass over the rows builds a tally per combination (a [`Cube`]); every number afterwards
//! is a function of those tallies: margins are sums of tallies, never a second pass.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::interval::{Estimate, Method};
use crate::level::z_critical;
use crate::period::{Period, PeriodUnit};
use crate::table::Table;
use crate::tally::{Tally, tally_groups};
use crate::{Error, Result};

/// Groups with fewer answered responses than this are flagged `small` by default.
pub const DEFAULT_MIN_N: u64 = 30;

/// What to group by: a dimension of the table, or the period of each response's date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Key {
    /// A dimension, by name.
    Dimension(String),
    /// The period (day, ISO week, month, quarter, year) of the response date.
    Period(PeriodUnit),
}

impl Key {
    /// The key's column name in results: the dimension's name, or the unit ("quarter").
    pub fn name(&self) -> String {
        match self {
            Key::Dimension(name) => name.clone(),
            Key::Period(unit) => unit.to_string(),
        }
    }
}

impl From<&str> for Key {
    fn from(name: &str) -> Self {
        Key::Dimension(name.to_owned())
    }
}

/// A group's value on one key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A value of the dimension (or a period's label, "2024-Q3").
    Value(String),
    /// The rows with no value on this dimension.
    Missing,
    /// A margin: all values of this key together.
    All,
}

impl Level {
    /// The value, `None` for [`Level::Missing`] and [`Level::All`].
    pub fn value(&self) -> Option<&str> {
        match self {
            Level::Value(v) => Some(v),
            Level::Missing | Level::All => None,
        }
    }
}

/// How to estimate each group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupOptions {
    /// The interval method (default adjusted Wald).
    pub method: Method,
    /// The confidence level (default 0.95).
    pub level: f64,
    /// Groups with fewer answered responses are flagged `small` (default 30).
    pub min_n: u64,
    /// Whether to add margins: every key, and every set of keys, replaced by [`Level::All`].
    pub margins: bool,
}

impl Default for GroupOptions {
    fn default() -> Self {
        GroupOptions {
            method: Method::default(),
            level: 0.95,
            min_n: DEFAULT_MIN_N,
            margins: false,
        }
    }
}

impl GroupOptions {
    /// Checks the method and the level.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`]; the method's parameter errors.
    pub fn validate(&self) -> Result<()> {
        z_critical(self.level)?;
        self.method.validate()
    }

    /// The estimate of `tally` (`None` when it has no answered response) and whether it is small.
    pub(crate) fn estimate(&self, tally: &Tally) -> Result<(Option<Estimate>, bool)> {
        let estimate = match tally.estimate(self.method, self.level) {
            Ok(e) => Some(e),
            Err(Error::Empty { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok((estimate, tally.n() < self.min_n))
    }
}

/// One group: its levels (one per key), its tally and estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The group's value on each key, in the order of the keys.
    pub levels: Vec<Level>,
    /// The group's tally.
    pub tally: Tally,
    /// NPS, shares, SE and interval; `None` when no response of the group answered.
    pub estimate: Option<Estimate>,
    /// Fewer answered responses than `min_n`: reported, but not to be read as a result.
    pub small: bool,
}

/// The result of [`group_by`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    /// The keys' names ("brand", "quarter"…).
    pub keys: Vec<String>,
    /// One row per combination with at least one response, then the margins.
    pub groups: Vec<Group>,
    /// The options used.
    pub options: GroupOptions,
}

/// NPS with intervals for every combination of `keys` that has responses, plus margins when
/// asked, in one pass over the table.
///
/// # Errors
/// [`Error::UnknownColumn`] for a key the table lacks (or a period without dates); the
/// options' errors ([`GroupOptions::validate`]).
///
/// # Examples
/// ```
/// use nps_core::{Dimension, GroupOptions, Key, Level, Table, group_by};
/// let table = Table::new(&[10u8, 9, 3, 8, 10, 0])?
///     .with_dimension(Dimension::from_values("brand", &[Some("A"), Some("A"), Some("A"), Some("B"), Some("B"), Some("B")]))?;
/// let options = GroupOptions { margins: true, ..GroupOptions::default() };
/// let g = group_by(&table, &[Key::from("brand")], &options)?;
/// assert_eq!(g.groups.len(), 3); // A, B and the total
/// assert_eq!(g.groups[2].levels, [Level::All]);
/// let a = g.groups[0].estimate.unwrap();
/// assert!((a.nps - 100.0 / 3.0).abs() < 1e-12);
/// assert!(g.groups[0].small); // 3 responses < 30
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn group_by(table: &Table, keys: &[Key], options: &GroupOptions) -> Result<Grouping> {
    options.validate()?;
    let cube = Cube::build(table, keys)?;
    let mut cells: Vec<(Vec<Level>, Tally)> = cube
        .cells()
        .filter(|(_, t)| t.n() + t.missing() > 0)
        .map(|(idx, t)| (cube.levels(&idx), t.clone()))
        .collect();
    if options.margins && !keys.is_empty() {
        cells.extend(cube.margins());
    }
    let groups = cells
        .into_iter()
        .map(|(levels, tally)| {
            let (estimate, small) = options.estimate(&tally)?;
            Ok(Group {
                levels,
                tally,
                estimate,
                small,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Grouping {
        keys: keys.iter().map(Key::name).collect(),
        groups,
        options: *options,
    })
}

/// One key's column: per-row indices into its labels.
#[derive(Debug, Clone)]
pub(crate) struct KeyColumn<'t> {
    /// The key's name.
    pub name: String,
    /// The labels, indexed by the codes; a dimension's end with [`Level::Missing`], the label of
    /// [`NA`](crate::NA) (which `code.min(labels.len() - 1)` maps there).
    pub labels: Vec<Level>,
    /// Per-row codes (borrowed from the table for a dimension).
    codes: Cow<'t, [u32]>,
    /// For a period key, the period of each label.
    pub periods: Option<Vec<Period>>,
}

impl<'t> KeyColumn<'t> {
    /// The column of `key` in `table`.
    fn of(table: &'t Table, key: &Key) -> Result<Self> {
        match key {
            Key::Dimension(name) => {
                let d = table.dimension(name)?;
                let mut labels: Vec<Level> = d.levels().iter().cloned().map(Level::Value).collect();
                labels.push(Level::Missing);
                Ok(KeyColumn {
                    name: key.name(),
                    labels,
                    codes: Cow::Borrowed(d.codes()),
                    periods: None,
                })
            }
            Key::Period(unit) => {
                let (periods, d) = table.period_dimension(*unit)?;
                let labels = d.levels().iter().cloned().map(Level::Value).collect();
                Ok(KeyColumn {
                    name: key.name(),
                    labels,
                    codes: Cow::Owned(d.codes().to_vec()),
                    periods: Some(periods),
                })
            }
        }
    }

    /// Row `row`'s index into the labels ([`NA`](crate::NA) mapped to the trailing Missing label).
    #[inline(always)]
    fn code(&self, row: usize) -> u32 {
        self.codes[row].min(self.labels.len() as u32 - 1)
    }
}

/// Combinations up to this many are counted in a dense array; beyond, only those that occur.
const DENSE_MAX: u64 = 1 << 16;

/// A tally per occurring combination of keys (dense when small, so empty cells exist).
#[derive(Debug, Clone)]
pub(crate) struct Cube<'t> {
    /// The keys.
    pub keys: Vec<KeyColumn<'t>>,
    /// The mixed-radix index (row-major over the keys) of each tally, ascending.
    combos: Vec<u64>,
    /// The tallies, one per combo.
    tallies: Vec<Tally>,
}

impl<'t> Cube<'t> {
    /// One pass over `table` grouping by `keys`.
    pub(crate) fn build(table: &'t Table, keys: &[Key]) -> Result<Self> {
        let columns = keys
            .iter()
            .map(|k| KeyColumn::of(table, k))
            .collect::<Result<Vec<_>>>()?;
        let sizes: Vec<u64> = columns.iter().map(|c| c.labels.len() as u64).collect();
        let total = sizes
            .iter()
            .try_fold(1u64, |acc, &s| acc.checked_mul(s.max(1)));
        let codes = table.score_codes();
        let weights = table.weights();
        if let Some(total) = total.filter(|&t| t <= DENSE_MAX) {
            let tallies = tally_groups(
                table.scale(),
                codes,
                weights,
                total as usize,
                |start, out| {
                    out.fill(0);
                    for (column, &size) in columns.iter().zip(&sizes) {
                        let size = size as u32;
                        let labels = size - 1;
                        for (k, &c) in out.iter_mut().zip(&column.codes[start..]) {
                            *k = *k * size + c.min(labels);
                        }
                    }
                },
            );
            return Ok(Cube {
                keys: columns,
                combos: (0..total).collect(),
                tallies,
            });
        }
        // Sparse: number the combinations that occur, in order of first appearance, then sort.
        let mut ids: HashMap<u128, u32> = HashMap::new();
        let mut row_keys = Vec::with_capacity(table.len());
        for row in 0..table.len() {
            let key = columns.iter().zip(&sizes).fold(0u128, |k, (c, &s)| {
                k * u128::from(s) + u128::from(c.code(row))
            });
            let next = ids.len() as u32;
            row_keys.push(*ids.entry(key).or_insert(next));
        }
        let tallies = tally_groups(table.scale(), codes, weights, ids.len(), |start, out| {
            out.copy_from_slice(&row_keys[start..start + out.len()]);
        });
        let mut pairs: Vec<(u128, Tally)> = ids
            .into_iter()
            .map(|(key, id)| (key, tallies[id as usize].clone()))
            .collect();
        pairs.sort_by_key(|(key, _)| *key);
        let too_many = || Error::InvalidArgument {
            field: "keys",
            value: format!("{} keys", columns.len()),
            expected: "fewer than 2^64 combinations of key values",
        };
        let combos = pairs
            .iter()
            .map(|(k, _)| u64::try_from(*k).map_err(|_| too_many()))
            .collect::<Result<_>>()?;
        Ok(Cube {
            keys: columns,
            combos,
            tallies: pairs.into_iter().map(|(_, t)| t).collect(),
        })
    }

    /// The per-key indices of a combo.
    fn indices(&self, mut combo: u64) -> Vec<u32> {
        let mut idx = vec![0u32; self.keys.len()];
        for (i, key) in self.keys.iter().enumerate().rev() {
            let size = key.labels.len().max(1) as u64;
            idx[i] = (combo % size) as u32;
            combo /= size;
        }
        idx
    }

    /// Every stored cell: per-key indices and tally, in key order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (Vec<u32>, &Tally)> {
        self.combos
            .iter()
            .zip(&self.tallies)
            .map(|(&c, t)| (self.indices(c), t))
    }

    /// The tally at per-key indices (`None` for a combination with no rows in a sparse cube).
    pub(crate) fn get(&self, indices: &[u32]) -> Option<&Tally> {
        let combo = self.keys.iter().zip(indices).fold(0u64, |k, (key, &i)| {
            k * key.labels.len().max(1) as u64 + u64::from(i)
        });
        self.combos
            .binary_search(&combo)
            .ok()
            .map(|i| &self.tallies[i])
    }

    /// The levels of per-key indices.
    pub(crate) fn levels(&self, indices: &[u32]) -> Vec<Level> {
        self.keys
            .iter()
            .zip(indices)
            .map(|(k, &i)| k.labels[i as usize].clone())
            .collect()
    }

    /// Margin cells: for every non-empty set of keys (in order of the set's bit mask), the
    /// tallies summed over those keys, which show as [`Level::All`].
    fn margins(&self) -> Vec<(Vec<Level>, Tally)> {
        let k = self.keys.len();
        let mut out = Vec::new();
        for mask in 1u32..(1 << k) {
            let mut sums: Vec<(Vec<u32>, Tally)> = Vec::new();
            let mut position: HashMap<Vec<u32>, usize> = HashMap::new();
            for (mut idx, t) in self.cells() {
                if t.n() + t.missing() == 0 {
                    continue;
                }
                for (i, v) in idx.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *v = u32::MAX;
                    }
                }
                match position.get(&idx) {
                    Some(&p) => sums[p].1 += t,
                    None => {
                        position.insert(idx.clone(), sums.len());
                        sums.push((idx, t.clone()));
                    }
                }
            }
            sums.sort_by(|a, b| a.0.cmp(&b.0));
            out.extend(sums.into_iter().map(|(idx, t)| {
                let levels = self
                    .keys
                    .iter()
                    .zip(&idx)
                    .map(|(key, &i)| key.labels.get(i as usize).cloned().unwrap_or(Level::All))
                    .collect();
                (levels, t)
            }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Dimension;

    fn table() -> Table {
        let scores = [10u8, 9, 3, 8, 10, 0, 7, 9];
        let brand = ["A", "A", "A", "B", "B", "B", "A", "B"].map(Some);
        let region = [
            Some("N"),
            Some("S"),
            Some("N"),
            Some("N"),
            None,
            Some("S"),
            Some("S"),
            Some("N"),
        ];
        Table::new(&scores)
            .unwrap()
            .with_dimension(Dimension::from_values("brand", &brand))
            .unwrap()
            .with_dimension(Dimension::from_values("region", &region))
            .unwrap()
    }

    #[test]
    fn groups_partition_the_rows_and_margins_add_up() {
        let t = table();
        let options = GroupOptions {
            margins: true,
            ..GroupOptions::default()
        };
        let g = group_by(&t, &["brand".into(), "region".into()], &options).unwrap();
        let fine: Vec<&Group> = g
            .groups
            .iter()
            .filter(|g| !g.levels.contains(&Level::All))
            .collect();
        // A×N, A×S, B×N, B×S, B×missing
        assert_eq!(fine.len(), 5);
        let sum: Tally = fine.iter().map(|g| &g.tally).sum();
        assert_eq!(sum, t.tally());
        let total = g.groups.last().unwrap();
        assert_eq!(total.levels, [Level::All, Level::All]);
        assert_eq!(total.tally, t.tally());
        let b_missing = fine
            .iter()
            .find(|g| g.levels == [Level::Value("B".into()), Level::Missing])
            .unwrap();
        assert_eq!(b_missing.tally.n(), 1);
        // brand margin (region = All): A and B
        let a_all = g
            .groups
            .iter()
            .find(|g| g.levels == [Level::Value("A".into()), Level::All])
            .unwrap();
        assert_eq!(a_all.tally.n(), 4);
    }

    #[test]
    fn unknown_keys_and_bad_options_are_errors() {
        let t = table();
        let e = group_by(&t, &["brnad".into()], &GroupOptions::default()).unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
        let bad = GroupOptions {
            level: 1.5,
            ..GroupOptions::default()
        };
        assert!(matches!(
            group_by(&t, &["brand".into()], &bad).unwrap_err(),
            Error::InvalidLevel(_)
        ));
        let e = group_by(
            &t,
            &[Key::Period(PeriodUnit::Month)],
            &GroupOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }), "{e}");
    }

    #[test]
    fn sparse_cube_agrees_with_dense() {
        // Five dimensions of 12 levels: 248,832 combinations, beyond the dense limit.
        let n = 5000;
        let scores: Vec<u8> = (0..n).map(|i| (i * 7 % 11) as u8).collect();
        let mut t = Table::new(&scores).unwrap();
        for d in 0..5 {
            let values: Vec<Option<String>> = (0..n)
                .map(|i| Some(format!("v{}", (i * (d + 3) + d) % 12)))
                .collect();
            t = t
                .with_dimension(Dimension::from_values(format!("d{d}"), &values))
                .unwrap();
        }
        let keys: Vec<Key> = (0..5).map(|d| Key::Dimension(format!("d{d}"))).collect();
        let sparse = group_by(&t, &keys, &GroupOptions::default()).unwrap();
        let sum: Tally = sparse.groups.iter().map(|g| &g.tally).sum();
        assert_eq!(sum, t.tally());
        // Each group equals the tally of its rows computed directly.
        for g in sparse.groups.iter().take(20) {
            let rows: Vec<u8> = (0..n)
                .filter(|&i| {
                    (0..5).all(|d| {
                        let dim = t.dimension(&format!("d{d}")).unwrap();
                        Some(dim.value(i)) == Some(g.levels[d].value())
                    })
                })
                .map(|i| scores[i])
                .collect();
            assert_eq!(g.tally, Tally::from_scores(&rows).unwrap());
        }
    }
}
