//! The response table: one row per respondent, stored by column.
//!
//! Columns: the recommend score (validated once, stored as a byte: 0..=10, or the missing-answer
//! code), optional weights, any number of dictionary-encoded dimensions (brand, region, age band,
//! channel, touchpoint…), optional dates, and optional driver ratings (驱动要素评分; NaN = not
//! rated). Every analysis of the segment, trend, journey and driver modules reads a table and
//! never copies its rows.

use serde::{Deserialize, Serialize};

use crate::period::{Date, Period, PeriodUnit, period_codes};
use crate::scale::Scale;
use crate::tally::{ScoreValue, Tally, check_weights, score_codes, tally_codes};
use crate::{Error, Result};

/// The code of a missing value in a [`Dimension`].
pub const NA: u32 = u32::MAX;

/// The error of code `code` at position `index` of dimension `name`.
fn bad_code(name: &str, code: impl std::fmt::Display, index: usize) -> Error {
    Error::InvalidArgument {
        field: "dimension codes",
        value: format!("{code} at index {index} of {name:?}"),
        expected: "each code indexes the dimension's levels (or is the missing code: NA, or -1)",
    }
}

/// A categorical column, dictionary encoded: `levels[codes[i]]` is row i's value ([`NA`] when
/// the row has none).
///
/// # Examples
/// ```
/// use nps_core::Dimension;
/// let d = Dimension::from_values("brand", &[Some("Own"), Some("Rival"), None, Some("Own")]);
/// assert_eq!(d.levels(), ["Own", "Rival"]);
/// assert_eq!(d.value(3), Some("Own"));
/// assert_eq!(d.value(2), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    name: String,
    levels: Vec<String>,
    codes: Vec<u32>,
}

/// An integer type of per-row dictionary codes that [`Dimension::from_codes`] reads: `u32`
/// with [`NA`] for a missing value (the core's own codes), or a signed type with −1 for a
/// missing value (pandas' `Categorical.codes`, R's factors minus one).
pub trait Code: Copy + Send + Sync + std::fmt::Display + sealed::Sealed {
    /// The core's code: the level index, or [`NA`] for the type's missing code.
    fn to_code(self) -> u32;
    /// Whether the value is a level index below `levels`, or the type's missing code.
    fn is_valid(self, levels: u64) -> bool;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! signed_code {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Code for $t {
            #[inline]
            fn to_code(self) -> u32 {
                // −1 (and, rejected by `is_valid`, any other negative) is NA; a valid index
                // fits in u32 because the levels are counted in u64 below 2³² (checked).
                if self < 0 { NA } else { self as u32 }
            }
            #[inline]
            fn is_valid(self, levels: u64) -> bool {
                self == -1 || (self >= 0 && (self as u64) < levels)
            }
        }
    )*};
}
signed_code!(i8, i16, i32, i64);

impl sealed::Sealed for u32 {}
impl Code for u32 {
    #[inline]
    fn to_code(self) -> u32 {
        self
    }
    #[inline]
    fn is_valid(self, levels: u64) -> bool {
        self == NA || u64::from(self) < levels
    }
}

impl Dimension {
    /// A dimension from its levels and per-row codes (an index into `levels`, or [`NA`]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when a code is neither a level's index nor [`NA`] (naming the
    /// position) or when two levels are equal.
    pub fn new(name: impl Into<String>, levels: Vec<String>, codes: Vec<u32>) -> Result<Self> {
        let name = name.into();
        let n_levels = levels.len() as u64;
        if let Some((i, &c)) = codes
            .iter()
            .enumerate()
            .find(|&(_, &c)| !c.is_valid(n_levels))
        {
            return Err(bad_code(&name, c, i));
        }
        Dimension::checked(name, levels, codes)
    }

    /// A dimension from its levels and per-row codes of any [`Code`] type, converted to the
    /// core's `u32` codes (−1 of a signed type becomes [`NA`]) in one pass, in parallel parts
    /// for a large column, into memory advised for huge pages. This is how a wrapper hands
    /// over a DataFrame's categorical column: pandas stores its codes as `int8` up to 127
    /// categories, `int16` up to 32,767, and so on.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when a code is neither a level's index nor the missing code
    /// (naming the first such position), when two levels are equal, or when there are 2³² − 1
    /// levels or more.
    ///
    /// # Examples
    /// ```
    /// use nps_core::Dimension;
    /// let levels = vec!["Own".to_string(), "Rival".to_string()];
    /// let d = Dimension::from_codes("brand", levels, &[0i8, 1, -1, 0])?;
    /// assert_eq!(d.codes(), [0, 1, nps_core::NA, 0]);
    /// assert_eq!(d.value(1), Some("Rival"));
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn from_codes<C: Code>(
        name: impl Into<String>,
        levels: Vec<String>,
        codes: &[C],
    ) -> Result<Self> {
        let name = name.into();
        if levels.len() >= NA as usize {
            return Err(Error::InvalidArgument {
                field: "dimension levels",
                value: format!("{} levels in {name:?}", levels.len()),
                expected: "fewer than 2³² − 1 levels",
            });
        }
        let n_levels = levels.len() as u64;
        let codes = crate::memory::convert(codes, C::to_code, |c| c.is_valid(n_levels))
            .map_err(|i| bad_code(&name, codes[i], i))?;
        Dimension::checked(name, levels, codes)
    }

    /// The dimension, once its levels are checked to be distinct (the codes are).
    fn checked(name: String, levels: Vec<String>, codes: Vec<u32>) -> Result<Self> {
        let mut sorted: Vec<&String> = levels.iter().collect();
        sorted.sort();
        if let Some(pair) = sorted.windows(2).find(|p| p[0] == p[1]) {
            return Err(Error::InvalidArgument {
                field: "dimension levels",
                value: format!("{:?} twice in {name:?}", pair[0]),
                expected: "the levels of a dimension are distinct",
            });
        }
        Ok(Dimension {
            name,
            levels,
            codes,
        })
    }

    /// A dimension from per-row values (`None` = missing); levels sorted.
    pub fn from_values<S: AsRef<str>>(name: impl Into<String>, values: &[Option<S>]) -> Self {
        let mut levels: Vec<String> = values
            .iter()
            .flatten()
            .map(|v| v.as_ref().to_owned())
            .collect();
        levels.sort();
        levels.dedup();
        let codes = values
            .iter()
            .map(|v| match v {
                Some(v) => levels
                    .binary_search_by(|l| l.as_str().cmp(v.as_ref()))
                    .map_or(NA, |i| i as u32),
                None => NA,
            })
            .collect();
        Dimension {
            name: name.into(),
            levels,
            codes,
        }
    }

    /// The dimension's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The distinct values, indexed by code.
    pub fn levels(&self) -> &[String] {
        &self.levels
    }

    /// Per-row codes into [`Dimension::levels`] ([`NA`] = missing).
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Row `row`'s value (`None` when missing).
    ///
    /// # Panics
    /// When `row` is out of range.
    pub fn value(&self, row: usize) -> Option<&str> {
        self.levels
            .get(self.codes[row] as usize)
            .map(String::as_str)
    }

    /// The code of `value`, a value some row has.
    ///
    /// # Errors
    /// [`Error::UnknownValue`] when the dimension has no such value, or no row has it (an
    /// unused category): asking for the responses of a value without any is an error, not an
    /// empty group.
    pub fn code_of(&self, value: &str) -> Result<u32> {
        self.levels
            .iter()
            .position(|l| l == value)
            .map(|i| i as u32)
            .filter(|code| self.codes.contains(code))
            .ok_or_else(|| Error::UnknownValue {
                dimension: self.name.clone(),
                value: value.to_owned(),
            })
    }
}

/// A driver's ratings (one per row; NaN = not rated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    name: String,
    ratings: Vec<f64>,
}

impl Driver {
    /// The driver's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Per-row ratings, NaN where not rated.
    pub fn ratings(&self) -> &[f64] {
        &self.ratings
    }
}

/// A table of survey responses, by column. Built from the scores, then extended column by
/// column; every column has one value per response.
///
/// # Examples
/// ```
/// use nps_core::{Date, Dimension, Table};
/// let table = Table::new(&[10.0, 9.0, f64::NAN, 3.0])?
///     .with_dimension(Dimension::from_values("brand", &[Some("A"), Some("B"), Some("A"), Some("B")]))?
///     .with_dates(Date::parse_all(&["2024-01-05", "2024-02-11", "2024-02-12", "2024-03-30"])?)?;
/// assert_eq!(table.len(), 4);
/// assert_eq!(table.tally().n(), 3);
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    scale: Scale,
    scores: Vec<u8>,
    weights: Option<Vec<f64>>,
    dimensions: Vec<Dimension>,
    dates: Option<Vec<Date>>,
    drivers: Vec<Driver>,
}

impl Table {
    /// A table of `scores` on the standard 0–10 scale (NaN = not answered).
    ///
    /// # Errors
    /// [`Error::InvalidScore`] naming the first bad position.
    pub fn new<T: ScoreValue>(scores: &[T]) -> Result<Self> {
        Self::with_scale(Scale::STANDARD, scores)
    }

    /// A table of `scores` on `scale`.
    ///
    /// # Errors
    /// [`Error::InvalidScore`] naming the first bad position.
    pub fn with_scale<T: ScoreValue>(scale: Scale, scores: &[T]) -> Result<Self> {
        Ok(Table {
            scale,
            scores: score_codes(scale, scores)?,
            weights: None,
            dimensions: Vec::new(),
            dates: None,
            drivers: Vec::new(),
        })
    }

    /// Checks that a new column named `name` has one value per row.
    fn check_length(&self, name: &str, len: usize) -> Result<()> {
        if len == self.len() {
            Ok(())
        } else {
            Err(Error::LengthMismatch {
                field: name.to_owned(),
                found: len,
                other: "scores".into(),
                expected: self.len(),
            })
        }
    }

    /// Checks that no column is called `name` yet.
    fn check_new_name(&self, name: &str) -> Result<()> {
        let taken = self.dimensions.iter().any(|d| d.name == name)
            || self.drivers.iter().any(|d| d.name == name);
        if taken {
            return Err(Error::InvalidArgument {
                field: "column name",
                value: format!("{name:?}"),
                expected: "each dimension and driver has its own name",
            });
        }
        Ok(())
    }

    /// Adds weights (finite, non-negative), replacing any set before.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidWeight`] naming the first bad position.
    pub fn with_weights(mut self, weights: Vec<f64>) -> Result<Self> {
        self.set_weights(weights)?;
        Ok(self)
    }

    /// Adds a dimension.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidArgument`] when the name is taken.
    pub fn with_dimension(mut self, dimension: Dimension) -> Result<Self> {
        self.add_dimension(dimension)?;
        Ok(self)
    }

    /// Adds the response dates, replacing any set before.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    pub fn with_dates(mut self, dates: Vec<Date>) -> Result<Self> {
        self.set_dates(dates)?;
        Ok(self)
    }

    /// Adds a driver's ratings (NaN = not rated).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidArgument`] when the name is taken or a
    /// rating is infinite (naming the position).
    pub fn with_driver(mut self, name: impl Into<String>, ratings: Vec<f64>) -> Result<Self> {
        self.add_driver(name, ratings)?;
        Ok(self)
    }

    /// [`Table::with_weights`] in place; on error the table is unchanged.
    ///
    /// # Errors
    /// As [`Table::with_weights`].
    pub fn set_weights(&mut self, weights: Vec<f64>) -> Result<()> {
        self.check_length("weights", weights.len())?;
        check_weights(&weights)?;
        self.weights = Some(weights);
        Ok(())
    }

    /// [`Table::with_dimension`] in place; on error the table is unchanged.
    ///
    /// # Errors
    /// As [`Table::with_dimension`].
    pub fn add_dimension(&mut self, dimension: Dimension) -> Result<()> {
        self.check_length(&dimension.name, dimension.len())?;
        self.check_new_name(&dimension.name)?;
        self.dimensions.push(dimension);
        Ok(())
    }

    /// [`Table::with_dates`] in place; on error the table is unchanged.
    ///
    /// # Errors
    /// As [`Table::with_dates`].
    pub fn set_dates(&mut self, dates: Vec<Date>) -> Result<()> {
        self.check_length("dates", dates.len())?;
        self.dates = Some(dates);
        Ok(())
    }

    /// [`Table::with_driver`] in place; on error the table is unchanged.
    ///
    /// # Errors
    /// As [`Table::with_driver`].
    pub fn add_driver(&mut self, name: impl Into<String>, ratings: Vec<f64>) -> Result<()> {
        let name = name.into();
        self.check_length(&name, ratings.len())?;
        self.check_new_name(&name)?;
        if let Some(i) = ratings.iter().position(|r| r.is_infinite()) {
            return Err(Error::InvalidArgument {
                field: "driver rating",
                value: format!("{} at index {i} of {name:?}", ratings[i]),
                expected: "ratings are finite numbers (NaN = not rated)",
            });
        }
        self.drivers.push(Driver { name, ratings });
        Ok(())
    }

    /// The scale of the scores.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Number of responses (rows).
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The score codes: 0..=10, or 11 for a missing answer.
    pub fn score_codes(&self) -> &[u8] {
        &self.scores
    }

    /// The weights, if any.
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }

    /// The dimensions, in the order added.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// The dimension called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] listing the dimensions the table has.
    pub fn dimension(&self, name: &str) -> Result<&Dimension> {
        self.dimensions
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| Error::UnknownColumn {
                kind: "dimension",
                name: name.to_owned(),
                available: names(self.dimensions.iter().map(|d| d.name.as_str())),
            })
    }

    /// The dates, if any.
    pub fn dates(&self) -> Option<&[Date]> {
        self.dates.as_deref()
    }

    /// The drivers, in the order added.
    pub fn drivers(&self) -> &[Driver] {
        &self.drivers
    }

    /// The driver called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] listing the drivers the table has.
    pub fn driver(&self, name: &str) -> Result<&Driver> {
        self.drivers
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| Error::UnknownColumn {
                kind: "driver",
                name: name.to_owned(),
                available: names(self.drivers.iter().map(|d| d.name.as_str())),
            })
    }

    /// The tally of every row.
    pub fn tally(&self) -> Tally {
        tally_codes(self.scale, &self.scores, self.weights())
    }

    /// The period of each row's date as a dimension whose levels are every period from the
    /// first to the last (empty ones included, so gaps show), labelled as [`Period`] does.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`] when the table has no dates.
    pub fn period_dimension(&self, unit: PeriodUnit) -> Result<(Vec<Period>, Dimension)> {
        let dates = self.dates().ok_or_else(|| Error::UnknownColumn {
            kind: "column",
            name: "dates".into(),
            available: "no dates (add them with with_dates)".into(),
        })?;
        let (first, codes) = period_codes(unit, dates);
        let count = codes.iter().max().map_or(0, |&m| m as usize + 1);
        let periods: Vec<Period> = (0..count as i64).map(|k| first.offset(k)).collect();
        let levels = periods.iter().map(|p| p.label()).collect();
        Ok((
            periods,
            Dimension {
                name: unit.to_string(),
                levels,
                codes,
            },
        ))
    }
}

/// `"a", "b"` or "none" for an error message.
fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<String> = names.map(|n| format!("{n:?}")).collect();
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_must_match_the_scores() {
        let t = Table::new(&[1u8, 2, 3]).unwrap();
        let e = t.clone().with_weights(vec![1.0, 2.0]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::LengthMismatch {
                    found: 2,
                    expected: 3,
                    ..
                }
            ),
            "{e}"
        );
        let e = t
            .clone()
            .with_dimension(Dimension::from_values("brand", &[Some("a")]))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "brand has 1 elements but scores has 3; they must have the same length"
        );
        let e = t
            .clone()
            .with_weights(vec![1.0, f64::NAN, 1.0])
            .unwrap_err();
        assert!(matches!(e, Error::InvalidWeight { index: 1, .. }));
        let e = t
            .clone()
            .with_driver("price", vec![1.0, f64::INFINITY, 2.0])
            .unwrap_err();
        assert!(e.to_string().contains("index 1"), "{e}");
    }

    #[test]
    fn bad_scores_and_names_are_named() {
        let e = Table::new(&[1.0, 7.5]).unwrap_err();
        assert!(matches!(e, Error::InvalidScore { index: 1, .. }));
        let t = Table::new(&[1u8])
            .unwrap()
            .with_dimension(Dimension::from_values("brand", &[Some("a")]))
            .unwrap();
        let e = t.dimension("region").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown dimension \"region\"; the table has \"brand\""
        );
        let e = t.clone().with_driver("brand", vec![1.0]).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }));
        let e = t.dimension("brand").unwrap().code_of("z").unwrap_err();
        assert!(matches!(e, Error::UnknownValue { .. }));
    }

    #[test]
    fn dimension_codes_are_checked() {
        let e = Dimension::new("d", vec!["a".into()], vec![0, 1]).unwrap_err();
        assert!(e.to_string().contains("at index 1"), "{e}");
        let e = Dimension::new("d", vec!["a".into(), "a".into()], vec![0]).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }));
        assert!(Dimension::new("d", vec!["a".into()], vec![0, NA]).is_ok());
    }

    #[test]
    fn codes_of_any_width_give_the_same_dimension() {
        let levels = || vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let want = Dimension::new("d", levels(), vec![2, NA, 0, 1]).unwrap();
        assert_eq!(
            Dimension::from_codes("d", levels(), &[2i8, -1, 0, 1]).unwrap(),
            want
        );
        assert_eq!(
            Dimension::from_codes("d", levels(), &[2i16, -1, 0, 1]).unwrap(),
            want
        );
        assert_eq!(
            Dimension::from_codes("d", levels(), &[2i32, -1, 0, 1]).unwrap(),
            want
        );
        assert_eq!(
            Dimension::from_codes("d", levels(), &[2i64, -1, 0, 1]).unwrap(),
            want
        );
        assert_eq!(
            Dimension::from_codes("d", levels(), &[2u32, NA, 0, 1]).unwrap(),
            want
        );
        // Out of range, a negative code other than -1, an i64 beyond u32: errors naming the
        // first bad position and its value.
        for (codes, message) in [
            (vec![0i64, 3, 9], "3 at index 1 of \"d\""),
            (vec![0, -2], "-2 at index 1"),
            (vec![1 << 32, 0], "4294967296 at index 0"),
        ] {
            let e = Dimension::from_codes("d", levels(), &codes).unwrap_err();
            assert!(e.to_string().contains(message), "{e}");
        }
        let e = Dimension::from_codes("d", vec!["a".into(), "a".into()], &[0i8]).unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
    }

    #[test]
    fn table_tally_equals_the_scores_tally() {
        let scores = [10.0, 9.0, f64::NAN, 3.0, 7.0];
        let t = Table::new(&scores).unwrap();
        assert_eq!(t.tally(), Tally::from_scores(&scores).unwrap());
        let w = vec![1.0, 2.0, 3.0, 0.5, 1.5];
        let t = t.with_weights(w.clone()).unwrap();
        assert_eq!(t.tally(), Tally::from_weighted(&scores, &w).unwrap());
    }

    #[test]
    fn period_dimension_keeps_empty_periods() {
        let dates = Date::parse_all(&["2024-01-31", "2024-04-01", "2024-01-01"]).unwrap();
        let t = Table::new(&[1u8, 2, 3]).unwrap().with_dates(dates).unwrap();
        let (periods, d) = t.period_dimension(PeriodUnit::Month).unwrap();
        assert_eq!(periods.len(), 4);
        assert_eq!(d.levels(), ["2024-01", "2024-02", "2024-03", "2024-04"]);
        assert_eq!(d.codes(), [0, 3, 0]);
        let e = Table::new(&[1u8])
            .unwrap()
            .period_dimension(PeriodUnit::Month)
            .unwrap_err();
        assert!(matches!(e, Error::UnknownColumn { .. }));
    }
}
