//! Group-by: the NPS of every combination of dimensions and periods (brand × quarter × region),
//! with margins (totals), small groups flagged rather than hidden.
//!
//! One pass over the rows builds a tally per combination (a [`Cube`]); every number afterwards
//! is a function of those tallies: margins are sums of tallies, never a second pass.

use serde::{Deserialize, Serialize};

use crate::cube::Cube;
use crate::interval::{Estimate, Method};
use crate::level::z_critical;
use crate::period::PeriodUnit;
use crate::table::Table;
use crate::tally::Tally;
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
    Cube::build(table, keys)?.group_by(options)
}

impl Cube {
    /// NPS with intervals for every combination of the cube's keys that has responses, plus
    /// margins when asked: [`group_by`] on the rows the cube was built from (or merged from).
    ///
    /// # Errors
    /// The options' errors ([`GroupOptions::validate`]).
    pub fn group_by(&self, options: &GroupOptions) -> Result<Grouping> {
        options.validate()?;
        let mut cells: Vec<(Vec<Level>, Tally)> = self
            .tallies()
            .map(|(levels, t)| (levels, t.clone()))
            .collect();
        if options.margins && !self.axes.is_empty() {
            cells.extend(self.margins());
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
            keys: self.axes.iter().map(|a| a.name.clone()).collect(),
            groups,
            options: *options,
        })
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
