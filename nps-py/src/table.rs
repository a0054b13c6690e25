//! `nps.Table`: the core's response table, built from a pandas or polars DataFrame (or from
//! arrays) by column names.
//!
//! `nps._convert.frame_columns` and `table_columns` turn the caller's columns into arrays the
//! core reads (scores and weights as for `nps.score`, each dimension as its categories and
//! `uint32` codes, dates as `int32` days or texts, drivers as `float64`), with numpy, pandas
//! and polars doing the work. This side copies the buffers into the core's table (the table
//! owns its columns) and lets the core validate each column, so errors carry the core's
//! messages; for a DataFrame, those about the score, weight and date columns say which column
//! (`in column "visited": date at index 3 is "soon"; …`).

use nps_core::{Date, Dimension, Error, PeriodUnit, Scale};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyType};

use crate::errors::{InvalidArgumentError, OrRaise, in_argument};
use crate::input::convert;
use crate::scale::{self, Scale as PyScale};
use crate::tally::Tally;

/// A table of survey responses, stored by column in Rust: the recommend score (0–10), optional
/// weights, categorical dimensions (brand, region, touchpoint…), optional response dates and
/// optional driver ratings (驱动要素评分).
///
/// ``nps.by``, ``nps.trend``, ``nps.attribute``, ``nps.benchmark`` and ``nps.journey`` build one
/// from a DataFrame (pandas or polars) on each call; build it once with ``Table.from_frame`` to run several
/// analyses on the same data (they take a table in place of the DataFrame). Promoters
/// (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6; the NPS (净推荐值) is
/// %promoters − %detractors.
///
/// Positions in error messages are row positions (0-based), not index labels. Tables compare
/// equal by value (NaN ratings compare unequal, as NaN does) and pickle (column by column, as
/// numpy arrays).
///
/// >>> import pandas as pd, nps
/// >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8], "brand": ["A", "A", "B", "B"],
/// ...                    "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-02-03",
/// ...                                            "2024-03-30"])})
/// >>> t = nps.Table.from_frame(df, date="date")
/// >>> len(t), t.dimensions, t.levels("brand"), t.has_dates
/// (4, ['brand'], ['A', 'B'], True)
/// >>> round(t.tally().nps, 9)
/// 25.0
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq)]
pub struct Table(pub(crate) nps_core::Table);

#[pymethods]
impl Table {
    /// An empty table (no rows, no columns); build tables with ``from_frame`` or
    /// ``from_columns``.
    #[new]
    fn new() -> PyResult<Self> {
        nps_core::Table::new::<u8>(&[]).or_raise().map(Table)
    }

    /// A table from the columns of a pandas or polars DataFrame, by name.
    ///
    /// Parameters
    /// ----------
    /// df : pandas or polars DataFrame
    ///     polars columns are read without pyarrow: numbers through ``to_numpy`` (null =
    ///     missing), an Enum through its physical codes and categories, a Categorical or
    ///     String column by its distinct values (lexical order), Date and Datetime columns as
    ///     datetime64, booleans as in pandas.
    /// score : str
    ///     The recommend score column (numbers 0–10; NaN/None/NA = not answered).
    /// weight : str, optional
    ///     A column of survey weights (finite, non-negative).
    /// dimensions : list of str, optional
    ///     Categorical columns to group by. By default every categorical, object, string and
    ///     boolean column other than the score, weight, date and driver columns. Values are
    ///     compared as text (``str``); NaN/None are missing values. The levels of a pandas
    ///     Categorical (or a polars Enum) are its categories, unused ones included; the
    ///     analyses report only groups that have rows.
    /// date : str, optional
    ///     The response date: a datetime64 column (any unit; time-zone-aware columns are taken
    ///     in UTC; ``NaT`` raises ``InvalidDateError``) or a column of texts ("2024-03-05",
    ///     "2024-03-05T10:22:00Z"; a text that is not a date raises ``InvalidDateError``).
    /// drivers : list of str, optional
    ///     Driver rating columns (numbers; NaN = not rated).
    /// scale : nps.Scale, optional
    ///     Other cut-points; the standard 0–10 scale by default.
    ///
    /// A name that is not a column of ``df`` raises ``UnknownNameError`` listing the columns; a
    /// frame without rows raises ``EmptyError``; a score, weight or driver column that is not
    /// numbers raises ``TypeError`` naming it; core errors in the score, weight and date
    /// columns name the column (``in column "ltr": score at index 4 is 11; …``).
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"ltr": [10, None, 3], "region": ["N", "S", None]})
    /// >>> t = nps.Table.from_frame(df)
    /// >>> t.dimensions, t.tally().n
    /// (['region'], 2)
    #[classmethod]
    #[pyo3(signature = (
        df, score="ltr", weight=None, dimensions=None, date=None, drivers=None, *, scale=None,
    ))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn from_frame(
        cls: &Bound<'_, PyType>,
        df: &Bound<'_, PyAny>,
        score: &str,
        weight: Option<&str>,
        dimensions: Option<&Bound<'_, PyAny>>,
        date: Option<&str>,
        drivers: Option<&Bound<'_, PyAny>>,
        scale: Option<PyScale>,
    ) -> PyResult<Self> {
        let py = cls.py();
        let parts = convert(
            py,
            "frame_columns",
            (df, score, weight, dimensions, date, drivers),
        )?;
        build(py, parts.cast()?, scale::or_standard(scale)).map(Table)
    }

    /// A table from arrays: ``score`` (as ``nps.score`` takes it), optional ``weight``, dicts
    /// of dimension and driver columns by name, and optional dates (datetime64 values or
    /// texts). Every column must have one value per score (``LengthMismatchError``).
    ///
    /// >>> import nps
    /// >>> t = nps.Table.from_columns([10, 9, 0], dimensions={"brand": ["A", "B", "A"]},
    /// ...                            date=["2024-01-01", "2024-01-02", "2024-02-01"])
    /// >>> len(t), t.levels("brand")
    /// (3, ['A', 'B'])
    #[classmethod]
    #[pyo3(signature = (score, weight=None, dimensions=None, date=None, drivers=None, *, scale=None))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn from_columns(
        cls: &Bound<'_, PyType>,
        score: &Bound<'_, PyAny>,
        weight: Option<&Bound<'_, PyAny>>,
        dimensions: Option<&Bound<'_, PyAny>>,
        date: Option<&Bound<'_, PyAny>>,
        drivers: Option<&Bound<'_, PyAny>>,
        scale: Option<PyScale>,
    ) -> PyResult<Self> {
        let py = cls.py();
        let parts = convert(
            py,
            "table_columns",
            (score, weight, dimensions, date, drivers),
        )?;
        build(py, parts.cast()?, scale::or_standard(scale)).map(Table)
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// The names of the dimensions, in order.
    #[getter]
    fn dimensions(&self) -> Vec<String> {
        self.0
            .dimensions()
            .iter()
            .map(|d| d.name().to_owned())
            .collect()
    }

    /// The names of the driver columns, in order.
    #[getter]
    fn drivers(&self) -> Vec<String> {
        self.0
            .drivers()
            .iter()
            .map(|d| d.name().to_owned())
            .collect()
    }

    /// Whether the table has weights.
    #[getter]
    fn weighted(&self) -> bool {
        self.0.weights().is_some()
    }

    /// Whether the table has response dates.
    #[getter]
    fn has_dates(&self) -> bool {
        self.0.dates().is_some()
    }

    /// The scale of the scores.
    #[getter]
    fn scale(&self) -> PyScale {
        PyScale(self.0.scale())
    }

    /// The distinct values of dimension ``name`` (``UnknownNameError`` for an unknown name).
    fn levels(&self, name: &str) -> PyResult<Vec<String>> {
        Ok(self.0.dimension(name).or_raise()?.levels().to_vec())
    }

    /// The tally of every row (a ``nps.Tally``).
    fn tally(&self, py: Python<'_>) -> Tally {
        Tally(py.detach(|| self.0.tally()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Table(rows={}, dimensions={:?}, weighted={}, dates={}, drivers={:?})",
            self.0.len(),
            self.dimensions(),
            if self.weighted() { "True" } else { "False" },
            if self.has_dates() { "True" } else { "False" },
            self.drivers(),
        )
    }

    /// Pickles the columns as numpy arrays (exact, NaN ratings included): the score codes, the
    /// weights, each dimension's levels and codes, the dates as the core's day dimension (first
    /// day and per-row offsets), and the driver ratings.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let py = slf.py();
        let table = &slf.get().0;
        let state = PyDict::new(py);
        state.set_item("scale", PyScale(table.scale()))?;
        state.set_item("score", PyArray1::from_slice(py, table.score_codes()))?;
        state.set_item(
            "weight",
            table.weights().map(|w| PyArray1::from_slice(py, w)),
        )?;
        let dimensions = PyList::empty(py);
        for d in table.dimensions() {
            dimensions.append((d.name(), d.levels(), PyArray1::from_slice(py, d.codes())))?;
        }
        state.set_item("dimensions", dimensions)?;
        if table.dates().is_some() {
            let (periods, days) = py
                .detach(|| table.period_dimension(PeriodUnit::Day))
                .or_raise()?;
            let first = periods.first().map_or(0, |p| p.start().days());
            state.set_item("date", (first, PyArray1::from_slice(py, days.codes())))?;
        }
        let drivers = PyList::empty(py);
        for d in table.drivers() {
            drivers.append((d.name(), PyArray1::from_slice(py, d.ratings())))?;
        }
        state.set_item("drivers", drivers)?;
        Ok((slf.get_type().getattr("_from_state")?, (state,)))
    }

    /// Rebuilds a table from what ``__reduce__`` saved (for pickle).
    #[classmethod]
    fn _from_state(cls: &Bound<'_, PyType>, state: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = cls.py();
        let scale = state
            .get_item("scale")?
            .ok_or_else(|| InvalidArgumentError::new_err("state has no \"scale\""))?
            .extract::<PyScale>()?;
        let parts = convert(py, "table_state_columns", (state,))?;
        build(py, parts.cast()?, scale.0).map(Table)
    }
}

/// The core table from the converted columns (`nps._convert.table_columns`).
fn build(py: Python<'_>, parts: &Bound<'_, PyDict>, scale: Scale) -> PyResult<nps_core::Table> {
    let part = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        Ok(parts.get_item(key)?.filter(|v| !v.is_none()))
    };
    // The DataFrame's names of the score, weight and date columns (`frame_columns`), for
    // errors in them.
    let names = part("names")?;
    let in_column = |key: &str, err: PyErr| -> PyErr {
        let name = names
            .as_ref()
            .and_then(|n| n.get_item(key).ok())
            .and_then(|n| n.extract::<String>().ok());
        match name {
            Some(name) => in_argument(py, err, &format!("column {name:?}")),
            None => err,
        }
    };
    let scores = part("score")?.ok_or_else(|| PyTypeError::new_err("score is required"))?;
    let mut table = scores_table(py, scale, &scores).map_err(|e| in_column("score", e))?;
    if let Some(w) = part("weight")? {
        let weights = owned::<f64>(&w)?;
        table = py
            .detach(|| table.with_weights(weights))
            .or_raise()
            .map_err(|e| in_column("weight", e))?;
    }
    if let Some(dimensions) = part("dimensions")? {
        for item in dimensions.cast::<PyList>()?.iter() {
            let (name, levels, codes): (String, Vec<String>, Bound<'_, PyAny>) = item.extract()?;
            let dimension = dimension(py, name, levels, &codes)?;
            table = table.with_dimension(dimension).or_raise()?;
        }
    }
    if let Some(date) = part("date")? {
        let dates = dates(py, date.cast()?).map_err(|e| in_column("date", e))?;
        table = table.with_dates(dates).or_raise()?;
    }
    if let Some(drivers) = part("drivers")? {
        for item in drivers.cast::<PyList>()?.iter() {
            let (name, ratings): (String, Bound<'_, PyAny>) = item.extract()?;
            let ratings = owned::<f64>(&ratings)?;
            table = py.detach(|| table.with_driver(name, ratings)).or_raise()?;
        }
    }
    Ok(table)
}

/// A copy of a 1-D contiguous numpy array of `T` (what `nps._convert` returns), for a core
/// table column (the table owns its columns).
fn owned<T: numpy::Element + Copy>(array: &Bound<'_, PyAny>) -> PyResult<Vec<T>> {
    let array = array.cast::<PyArray1<T>>()?.try_readonly()?;
    Ok(nps_core::copy_column(array.as_slice()?))
}

/// The dimension `name` of a categorical column's levels and codes as `nps._convert` gives
/// them: pandas' own signed codes (−1 = missing; `int8` up to 127 categories, wider beyond) or
/// `uint32` codes with `NA`, converted by the core in one pass.
fn dimension(
    py: Python<'_>,
    name: String,
    levels: Vec<String>,
    codes: &Bound<'_, PyAny>,
) -> PyResult<Dimension> {
    macro_rules! by_dtype {
        ($($t:ty),*) => {$(
            if let Ok(array) = codes.cast::<PyArray1<$t>>() {
                let array = array.try_readonly()?;
                let codes = array.as_slice()?;
                return py.detach(|| Dimension::from_codes(name, levels, codes)).or_raise();
            }
        )*};
    }
    by_dtype!(i8, i16, i32, i64, u32);
    Err(PyTypeError::new_err(format!(
        "the codes of dimension {name:?} must be a 1-D array of int8, int16, int32, int64 or \
         uint32, got {}",
        codes
            .getattr("dtype")
            .map_or_else(|_| codes.get_type().to_string(), |d| d.to_string())
    )))
}

/// The core table of a converted scores array, one branch per dtype the core reads.
fn scores_table(
    py: Python<'_>,
    scale: Scale,
    scores: &Bound<'_, PyAny>,
) -> PyResult<nps_core::Table> {
    macro_rules! by_dtype {
        ($($t:ty),*) => {$(
            if let Ok(array) = scores.cast::<PyArray1<$t>>() {
                let array = array.try_readonly()?;
                let slice = array.as_slice()?;
                return py.detach(|| nps_core::Table::with_scale(scale, slice)).or_raise();
            }
        )*};
    }
    by_dtype!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);
    Err(PyTypeError::new_err(format!(
        "score must be a 1-D contiguous array of an integer or float dtype, got {}",
        scores.repr()?
    )))
}

/// The dates of a converted date column: `{"days": int32 array, "nat": first NaT or None}` or
/// `{"text": list of str}`.
fn dates(py: Python<'_>, date: &Bound<'_, PyDict>) -> PyResult<Vec<Date>> {
    if let Some(text) = date.get_item("text")? {
        let text: Vec<String> = text.extract()?;
        return py.detach(|| Date::parse_all(&text)).or_raise();
    }
    let days = date
        .get_item("days")?
        .ok_or_else(|| PyTypeError::new_err("date conversion gave neither days nor text"))?;
    if let Some(index) = date.get_item("nat")?.filter(|v| !v.is_none()) {
        return Err(not_a_time(index.extract()?)).or_raise();
    }
    let days = days.cast::<PyArray1<i32>>()?.try_readonly()?;
    let days = days.as_slice()?;
    py.detach(|| Date::from_days_all(days)).or_raise()
}

/// The core's error for `NaT` at `index`: what parsing the text "NaT" gives, at that position.
fn not_a_time(index: usize) -> Error {
    match Date::parse("NaT") {
        Err(Error::InvalidDate { value, reason, .. }) => Error::InvalidDate {
            index: Some(index),
            value,
            reason,
        },
        Err(other) => other,
        Ok(_) => Error::InvalidDate {
            index: Some(index),
            value: "NaT".into(),
            reason: "not a time",
        },
    }
}
