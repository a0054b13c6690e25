//! The cube: a tally per combination of key values (brand × region × quarter…), the one pass
//! over the rows behind group-by, trends, attributions and benchmarks.
//!
//! A cube is also the unit of distributed work. Tallies are sums, so the cube of a whole table
//! is the merge of the cubes of any partition of its rows: build one per partition wherever the
//! rows live, ship them (they serialize with serde), [`merge`](Cube::merge) them, and
//! [`Cube::group_by`] or [`Cube::trend`] gives the single-machine answer — exactly, since the
//! counts are integers (weighted sums agree to the last bits of floating-point addition).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

use crate::group::{Key, Level};
use crate::period::Period;
use crate::scale::Scale;
use crate::table::Table;
use crate::tally::{Tally, tally_groups};
use crate::{Error, Result};

/// One key of a cube: its labels, in the order their cells are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Axis {
    /// The key.
    pub key: Key,
    /// The key's name ("brand", "quarter").
    pub name: String,
    /// The labels: a dimension's values then [`Level::Missing`] (the label of
    /// [`NA`](crate::NA)); a period key's labels from the first period to the last, every
    /// period in between included.
    pub labels: Vec<Level>,
    /// For a period key, the period of each label.
    pub periods: Option<Vec<Period>>,
}

impl Axis {
    /// The axis of `key` in `table`, with the per-row label indices (borrowed for a dimension).
    fn of<'t>(table: &'t Table, key: &Key) -> Result<(Axis, Cow<'t, [u32]>)> {
        match key {
            Key::Dimension(name) => {
                let d = table.dimension(name)?;
                let mut labels: Vec<Level> = d.levels().iter().cloned().map(Level::Value).collect();
                labels.push(Level::Missing);
                let axis = Axis {
                    key: key.clone(),
                    name: key.name(),
                    labels,
                    periods: None,
                };
                Ok((axis, Cow::Borrowed(d.codes())))
            }
            Key::Period(unit) => {
                let (periods, d) = table.period_dimension(*unit)?;
                let axis = Axis {
                    key: key.clone(),
                    name: key.name(),
                    labels: d.levels().iter().cloned().map(Level::Value).collect(),
                    periods: Some(periods),
                };
                Ok((axis, Cow::Owned(d.codes().to_vec())))
            }
        }
    }

    /// The number of labels (at least 1, so that mixed-radix indices stay defined).
    fn size(&self) -> u64 {
        self.labels.len().max(1) as u64
    }

    /// The union of two axes of the same key, with where each side's labels land in it.
    ///
    /// A dimension keeps `self`'s values in order, then `other`'s new ones, then Missing (when
    /// both sides' values are sorted, as a text column's are, the union is sorted instead); a
    /// period key spans from the earlier first period to the later last one.
    fn union(&self, other: &Axis) -> (Axis, Vec<u32>, Vec<u32>) {
        match (&self.periods, &other.periods) {
            (Some(a), Some(b)) => {
                let ends = a
                    .iter()
                    .chain(b)
                    .fold(None, |acc: Option<(Period, Period)>, &p| {
                        Some(acc.map_or((p, p), |(lo, hi)| (lo.min(p), hi.max(p))))
                    });
                let periods: Vec<Period> = ends.map_or_else(Vec::new, |(lo, hi)| {
                    (0..=hi.index() - lo.index())
                        .map(|k| lo.offset(k))
                        .collect()
                });
                let at = |ps: &[Period]| -> Vec<u32> {
                    ps.iter()
                        .map(|p| (p.index() - periods[0].index()) as u32)
                        .collect()
                };
                let (ma, mb) = (at(a), at(b));
                let axis = Axis {
                    labels: periods.iter().map(|p| Level::Value(p.label())).collect(),
                    periods: Some(periods),
                    ..self.clone()
                };
                (axis, ma, mb)
            }
            _ => {
                let values = |a: &'_ Axis| -> Vec<Level> {
                    let (_, values) = a.labels.split_last().unwrap_or((&Level::Missing, &[]));
                    values.to_vec()
                };
                let (a, b) = (values(self), values(other));
                let mut labels: Vec<Level> = a.iter().chain(&b).cloned().collect();
                if a.is_sorted() && b.is_sorted() {
                    // Sorted dictionaries (text columns) stay sorted, as one table's would be.
                    labels.sort();
                }
                let mut seen = std::collections::HashSet::new();
                labels.retain(|l| seen.insert(l.clone()));
                let position: HashMap<Level, u32> = labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.clone(), i as u32))
                    .collect();
                let missing = labels.len() as u32;
                let map = |axis: &Axis| -> Vec<u32> {
                    axis.labels
                        .iter()
                        .map(|l| position.get(l).copied().unwrap_or(missing))
                        .collect()
                };
                let (ma, mb) = (map(self), map(other));
                labels.push(Level::Missing);
                let axis = Axis {
                    labels,
                    ..self.clone()
                };
                (axis, ma, mb)
            }
        }
    }

    /// Checks a deserialized axis: a dimension's labels are distinct values then Missing; a
    /// period key's labels are the labels of consecutive periods of its unit.
    fn check(&self) -> Result<()> {
        let bad = |problem: String| Error::InvalidArgument {
            field: "cube key",
            value: format!("{:?}: {problem}", self.name),
            expected: "a cube as serialized by nps",
        };
        if self.name != self.key.name() {
            return Err(bad(format!("named after key {:?}", self.key.name())));
        }
        match (&self.key, &self.periods) {
            (Key::Period(unit), Some(periods)) => {
                let consecutive = periods.windows(2).all(|w| w[1].index() == w[0].index() + 1);
                let labelled = periods.len() == self.labels.len()
                    && periods
                        .iter()
                        .zip(&self.labels)
                        .all(|(p, l)| p.unit() == *unit && l.value() == Some(p.label().as_str()));
                if !consecutive || !labelled {
                    return Err(bad(
                        "periods that are not consecutive or not labelled".into()
                    ));
                }
            }
            (Key::Dimension(_), None) => {
                let (last, values) = self
                    .labels
                    .split_last()
                    .ok_or_else(|| bad("no labels".into()))?;
                let mut seen = std::collections::HashSet::new();
                if *last != Level::Missing
                    || !values
                        .iter()
                        .all(|l| matches!(l, Level::Value(_)) && seen.insert(l))
                {
                    return Err(bad(
                        "labels that are not distinct values then missing".into()
                    ));
                }
            }
            _ => return Err(bad("periods on a dimension, or none on a period key".into())),
        }
        Ok(())
    }
}

/// A tally per combination of key values that has responses: the sufficient statistic of a
/// group-by, a trend, an attribution or a benchmark, and the unit of map-reduce.
///
/// Cells are stored by their mixed-radix index over the keys' labels (row-major, ascending);
/// combinations without responses are not stored.
///
/// # Examples
/// The cube of a table equals the merge of the cubes of its parts:
/// ```
/// use nps_core::{Cube, Dimension, GroupOptions, Key, Table};
/// let table = |scores: &[u8], brands: &[&str]| -> nps_core::Result<Table> {
///     let brands: Vec<Option<&str>> = brands.iter().copied().map(Some).collect();
///     Table::new(scores)?.with_dimension(Dimension::from_values("brand", &brands))
/// };
/// let keys = [Key::from("brand")];
/// let whole = Cube::build(&table(&[10, 9, 3, 8, 10, 0], &["A", "A", "A", "B", "B", "C"])?, &keys)?;
/// let mut merged = Cube::build(&table(&[10, 9, 3], &["A", "A", "A"])?, &keys)?;
/// merged.merge(&Cube::build(&table(&[8, 10, 0], &["B", "B", "C"])?, &keys)?)?;
/// let options = GroupOptions::default();
/// assert_eq!(merged.group_by(&options)?, whole.group_by(&options)?);
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CubeFields")]
pub struct Cube {
    /// The scale of every tally.
    scale: Scale,
    /// The keys, in order.
    pub(crate) axes: Vec<Axis>,
    /// The mixed-radix index of each stored cell, ascending.
    combos: Vec<u64>,
    /// The tallies, one per combo.
    tallies: Vec<Tally>,
}

/// The serialized form of a [`Cube`], checked on the way in.
#[derive(Deserialize)]
struct CubeFields {
    scale: Scale,
    axes: Vec<Axis>,
    combos: Vec<u64>,
    tallies: Vec<Tally>,
}

impl TryFrom<CubeFields> for Cube {
    type Error = Error;
    fn try_from(f: CubeFields) -> Result<Self> {
        f.axes.iter().try_for_each(Axis::check)?;
        let total = combinations(&f.axes)?;
        let ordered = f.combos.windows(2).all(|w| w[0] < w[1]);
        if !ordered
            || f.combos.last().is_some_and(|&c| c >= total)
            || f.combos.len() != f.tallies.len()
            || f.tallies.iter().any(|t| t.scale() != f.scale)
        {
            return Err(Error::InvalidArgument {
                field: "cube",
                value: format!("{} cells, {} tallies", f.combos.len(), f.tallies.len()),
                expected: "ascending cells within the keys' labels, one tally of the cube's scale each",
            });
        }
        Ok(Cube {
            scale: f.scale,
            axes: f.axes,
            combos: f.combos,
            tallies: f.tallies,
        })
    }
}

/// Combinations up to this many are counted in a dense array; beyond, only those that occur.
const DENSE_MAX: u64 = 1 << 16;

/// The number of combinations of the axes' labels, if it fits in a u64.
fn combinations(axes: &[Axis]) -> Result<u64> {
    axes.iter()
        .try_fold(1u64, |acc, a| acc.checked_mul(a.size()))
        .ok_or_else(|| Error::InvalidArgument {
            field: "keys",
            value: format!("{} keys", axes.len()),
            expected: "fewer than 2^64 combinations of key values",
        })
}

impl Cube {
    /// One pass over `table` grouping its rows by `keys` (dimensions or periods of the dates).
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] for a dimension the table lacks, or a period key without dates;
    /// [`Error::InvalidArgument`] for keys with 2^64 combinations or more.
    pub fn build(table: &Table, keys: &[Key]) -> Result<Cube> {
        let (axes, columns): (Vec<Axis>, Vec<Cow<'_, [u32]>>) = keys
            .iter()
            .map(|k| Axis::of(table, k))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .unzip();
        let sizes: Vec<u64> = axes.iter().map(Axis::size).collect();
        let total = combinations(&axes)?;
        let codes = table.score_codes();
        let weights = table.weights();
        let (combos, tallies) = if total <= DENSE_MAX {
            let tallies = tally_groups(
                table.scale(),
                codes,
                weights,
                total as usize,
                |start, out| {
                    out.fill(0);
                    for (column, &size) in columns.iter().zip(&sizes) {
                        let size = size as u32; // at most DENSE_MAX
                        for (k, &c) in out.iter_mut().zip(&column[start..]) {
                            *k = *k * size + c.min(size - 1);
                        }
                    }
                },
            );
            ((0..total).collect(), tallies)
        } else {
            // Sparse: number the combinations that occur, in order of first appearance.
            let mut ids: HashMap<u64, u32> = HashMap::new();
            let row_keys: Vec<u32> = (0..table.len())
                .map(|row| {
                    let key = columns
                        .iter()
                        .zip(&sizes)
                        .fold(0u64, |k, (c, &s)| k * s + u64::from(c[row]).min(s - 1));
                    let next = ids.len() as u32;
                    *ids.entry(key).or_insert(next)
                })
                .collect();
            let tallies = tally_groups(table.scale(), codes, weights, ids.len(), |start, out| {
                out.copy_from_slice(&row_keys[start..start + out.len()]);
            });
            let mut order: Vec<(u64, u32)> = ids.into_iter().collect();
            order.sort_unstable();
            let combos = order.iter().map(|&(k, _)| k).collect();
            let tallies = order
                .into_iter()
                .map(|(_, id)| tallies[id as usize].clone())
                .collect();
            (combos, tallies)
        };
        Ok(Cube::from_cells(table.scale(), axes, combos, tallies))
    }

    /// A cube of the cells with responses among `combos` and `tallies`.
    fn from_cells(scale: Scale, axes: Vec<Axis>, combos: Vec<u64>, tallies: Vec<Tally>) -> Cube {
        let (combos, tallies) = combos
            .into_iter()
            .zip(tallies)
            .filter(|(_, t)| t.n() + t.missing() > 0)
            .unzip();
        Cube {
            scale,
            axes,
            combos,
            tallies,
        }
    }

    /// The keys, in order.
    pub fn keys(&self) -> Vec<Key> {
        self.axes.iter().map(|a| a.key.clone()).collect()
    }

    /// The scale of the tallies.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The combinations with responses: each one's value on every key, and its tally.
    pub fn tallies(&self) -> impl Iterator<Item = (Vec<Level>, &Tally)> {
        self.cells().map(|(idx, t)| (self.levels(&idx), t))
    }

    /// The tally of all the responses.
    pub fn total(&self) -> Tally {
        self.tallies
            .iter()
            .fold(Tally::new(self.scale), |acc, t| acc + t.clone())
    }

    /// Adds the cube of other responses grouped by the same keys: afterwards this is the cube
    /// of both sets of responses. Dimension values are matched by name (the parts need not
    /// share a dictionary; new values come after this cube's); periods extend to cover both.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the keys or the scales differ, or the merged keys would
    /// have 2^64 combinations or more.
    pub fn merge(&mut self, other: &Cube) -> Result<()> {
        if self.keys() != other.keys() || self.scale != other.scale {
            let describe = |c: &Cube| format!("{:?} on {:?}", c.key_names(), c.scale);
            return Err(Error::InvalidArgument {
                field: "cube",
                value: format!("{} merged with {}", describe(self), describe(other)),
                expected: "cubes merge only over the same keys and scale",
            });
        }
        // Per key: the union axis, and where each side's labels land in it.
        let unions: Vec<(Axis, [Vec<u32>; 2])> = self
            .axes
            .iter()
            .zip(&other.axes)
            .map(|(a, b)| {
                let (axis, ma, mb) = a.union(b);
                (axis, [ma, mb])
            })
            .collect();
        let axes: Vec<Axis> = unions.iter().map(|u| u.0.clone()).collect();
        combinations(&axes)?;
        let mut cells: BTreeMap<u64, Tally> = BTreeMap::new();
        for (side, cube) in [&*self, other].into_iter().enumerate() {
            for (idx, tally) in cube.cells() {
                let combo = unions.iter().zip(&idx).fold(0u64, |k, ((axis, maps), &i)| {
                    k * axis.size() + u64::from(maps[side][i as usize])
                });
                match cells.get_mut(&combo) {
                    Some(t) => *t += tally,
                    None => {
                        cells.insert(combo, tally.clone());
                    }
                }
            }
        }
        let (combos, tallies) = cells.into_iter().unzip();
        *self = Cube::from_cells(self.scale, axes, combos, tallies);
        Ok(())
    }

    /// The keys' names.
    fn key_names(&self) -> Vec<String> {
        self.axes.iter().map(|a| a.name.clone()).collect()
    }

    /// The per-key indices of a combo.
    fn indices(&self, mut combo: u64) -> Vec<u32> {
        let mut idx = vec![0u32; self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            idx[i] = (combo % axis.size()) as u32;
            combo /= axis.size();
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

    /// The tally at per-key indices (`None` for a combination without responses).
    pub(crate) fn get(&self, indices: &[u32]) -> Option<&Tally> {
        let combo = self
            .axes
            .iter()
            .zip(indices)
            .fold(0u64, |k, (a, &i)| k * a.size() + u64::from(i));
        self.combos
            .binary_search(&combo)
            .ok()
            .map(|i| &self.tallies[i])
    }

    /// The levels of per-key indices.
    pub(crate) fn levels(&self, indices: &[u32]) -> Vec<Level> {
        self.axes
            .iter()
            .zip(indices)
            .map(|(a, &i)| a.labels[i as usize].clone())
            .collect()
    }

    /// Margin cells: for every non-empty set of keys (in order of the set's bit mask), the
    /// tallies summed over those keys, which show as [`Level::All`].
    pub(crate) fn margins(&self) -> Vec<(Vec<Level>, Tally)> {
        let k = self.axes.len();
        let mut out = Vec::new();
        for mask in 1u32..(1 << k) {
            let mut sums: BTreeMap<Vec<u32>, Tally> = BTreeMap::new();
            for (mut idx, t) in self.cells() {
                for (i, v) in idx.iter_mut().enumerate() {
                    if mask & (1 << i) != 0 {
                        *v = u32::MAX;
                    }
                }
                match sums.get_mut(&idx) {
                    Some(s) => *s += t,
                    None => {
                        sums.insert(idx, t.clone());
                    }
                }
            }
            out.extend(sums.into_iter().map(|(idx, t)| {
                let levels = self
                    .axes
                    .iter()
                    .zip(&idx)
                    .map(|(a, &i)| a.labels.get(i as usize).cloned().unwrap_or(Level::All))
                    .collect();
                (levels, t)
            }));
        }
        out
    }
}

impl AddAssign<&Cube> for Cube {
    /// [`Cube::merge`].
    ///
    /// # Panics
    /// When the keys or scales differ; use [`Cube::merge`] to get the error instead.
    fn add_assign(&mut self, other: &Cube) {
        if let Err(e) = self.merge(other) {
            panic!("{e}");
        }
    }
}

impl Add for Cube {
    type Output = Cube;
    /// [`Cube::merge`].
    ///
    /// # Panics
    /// When the keys or scales differ; use [`Cube::merge`] to get the error instead.
    fn add(mut self, other: Cube) -> Cube {
        self += &other;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::{Date, PeriodUnit};
    use crate::table::Dimension;

    fn table(scores: &[u8], brands: &[&str], dates: &[&str]) -> Table {
        let brands: Vec<Option<&str>> = brands
            .iter()
            .map(|b| (!b.is_empty()).then_some(*b))
            .collect();
        Table::new(scores)
            .unwrap()
            .with_dimension(Dimension::from_values("brand", &brands))
            .unwrap()
            .with_dates(Date::parse_all(dates).unwrap())
            .unwrap()
    }

    #[test]
    fn merging_parts_gives_the_cube_of_the_whole() {
        let keys = [Key::from("brand"), Key::Period(PeriodUnit::Month)];
        let a = table(
            &[10, 9, 3],
            &["A", "", "B"],
            &["2024-03-02", "2024-03-09", "2024-05-01"],
        );
        let b = table(
            &[8, 0, 7],
            &["C", "A", ""],
            &["2024-01-05", "2024-05-30", "2024-02-01"],
        );
        let whole = table(
            &[10, 9, 3, 8, 0, 7],
            &["A", "", "B", "C", "A", ""],
            &[
                "2024-03-02",
                "2024-03-09",
                "2024-05-01",
                "2024-01-05",
                "2024-05-30",
                "2024-02-01",
            ],
        );
        let mut merged = Cube::build(&a, &keys).unwrap();
        merged.merge(&Cube::build(&b, &keys).unwrap()).unwrap();
        let whole = Cube::build(&whole, &keys).unwrap();
        assert_eq!(merged, whole);
        assert_eq!(merged.axes[1].labels.len(), 5); // January to May
        assert_eq!(merged.total().n(), 6);
    }

    #[test]
    fn different_keys_do_not_merge_and_bad_serializations_are_refused() {
        let t = table(&[10, 9], &["A", "B"], &["2024-03-02", "2024-03-09"]);
        let mut by_brand = Cube::build(&t, &[Key::from("brand")]).unwrap();
        let by_month = Cube::build(&t, &[Key::Period(PeriodUnit::Month)]).unwrap();
        let e = by_brand.merge(&by_month).unwrap_err();
        assert!(e.to_string().contains("same keys"), "{e}");
        let json = serde_json::to_string(&by_brand).unwrap();
        let back: Cube = serde_json::from_str(&json).unwrap();
        assert_eq!(back, by_brand);
        for (from, to) in [
            ("\"combos\":[0,1]", "\"combos\":[1,0]"),
            ("\"combos\":[0,1]", "\"combos\":[0,7]"),
            ("{\"value\":\"B\"}", "{\"value\":\"A\"}"),
        ] {
            assert!(json.contains(from), "{json}");
            let bad = json.replace(from, to);
            assert!(serde_json::from_str::<Cube>(&bad).is_err(), "{bad}");
        }
    }
}
