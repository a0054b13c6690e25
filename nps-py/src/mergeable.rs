//! The mergeable parts of the analyses, for map-reduce on Dask, Spark or a process pool:
//! `nps.Cube` (a tally per combination of keys: group-by and trends) and `nps.DriverMoments`
//! (the weighted moments behind driver importance). Both are built from a table, add up with
//! `+` or `sum(...)`, pickle, and serialize to JSON text; the core does every step.

use nps_core::{Error, Key, TrendOptions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use pyo3::{PyClass, PyClassInitializer};

use crate::display;
use crate::drivers;
use crate::errors::{self, OrRaise};
use crate::segments;
use crate::table::Table;

/// The tallies of every combination of keys (dimensions, then optionally the period of the
/// response dates) that has responses: the sufficient statistic of ``nps.by`` and
/// ``nps.trend``, and the unit of distributed work.
///
/// Tallies are counts, so the cube of all the rows is the sum of the cubes of any partition
/// of them: build one cube per partition wherever the rows are (``nps.cube`` on each pandas
/// partition), add them (``a + b``, ``sum(cubes)``), and ``nps.by(cube)`` or
/// ``nps.trend(cube)`` gives exactly the single-machine answer. Dimension values are matched
/// by name, so partitions need not share categories; periods extend to cover every part.
/// Cubes pickle, and ``to_json`` / ``Cube.from_json`` carry them as text.
///
/// >>> import pandas as pd, nps
/// >>> df = pd.DataFrame({"brand": ["A", "A", "B", "B", "A", "B"], "ltr": [10, 9, 3, 8, 0, 10]})
/// >>> parts = [nps.cube(df.iloc[:3], "brand"), nps.cube(df.iloc[3:], "brand")]
/// >>> cube = sum(parts)
/// >>> cube.keys, len(cube), cube.total().n
/// (['brand'], 2, 6)
/// >>> nps.by(cube, method="wald")["nps"].round(2).tolist()
/// [33.33, 0.0]
/// >>> nps.by(df, "brand", method="wald").equals(nps.by(cube, method="wald"))
/// True
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq, Clone)]
pub struct Cube(pub(crate) nps_core::Cube);

#[pymethods]
impl Cube {
    /// The cube of ``table`` grouped by the dimensions ``keys`` and, with ``period`` ("day",
    /// "week", "month", "quarter", "year"), by the period of each response's date. Use
    /// ``nps.cube`` for a DataFrame.
    #[new]
    #[pyo3(signature = (table, keys, period=None))]
    fn new(
        py: Python<'_>,
        table: &Bound<'_, Table>,
        keys: Vec<String>,
        period: Option<&str>,
    ) -> PyResult<Self> {
        let keys = segments::keys(&keys, period)?;
        let table = &table.get().0;
        py.detach(|| nps_core::Cube::build(table, &keys))
            .or_raise()
            .map(Cube)
    }

    /// The dimension keys, in order (the period key is ``period``).
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.dimensions().map(|k| k.name()).collect()
    }

    /// The period unit of the last key, or ``None``.
    #[getter]
    fn period(&self) -> Option<String> {
        self.0.keys().into_iter().find_map(|k| match k {
            Key::Period(unit) => Some(unit.to_string()),
            Key::Dimension(_) => None,
        })
    }

    /// The tally of every response in the cube.
    fn total(&self) -> crate::tally::Tally {
        crate::tally::Tally(self.0.total())
    }

    /// The combinations with responses, in the cube's order: for each, its value on every key
    /// (``None`` for a missing value; a period key as its label, "2024-Q3") and its tally.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"brand": ["A", "B", None, "A"], "ltr": [10, 3, 8, 9]})
    /// >>> [(values, t.n, t.nps) for values, t in nps.cube(df, "brand").cells()]
    /// [(['A'], 2, 100.0), (['B'], 1, -100.0), ([None], 1, 0.0)]
    fn cells(&self) -> Vec<(Vec<Option<String>>, crate::tally::Tally)> {
        self.0
            .tallies()
            .map(|(levels, tally)| {
                let values = levels
                    .iter()
                    .map(|l| l.value().map(str::to_owned))
                    .collect();
                (values, crate::tally::Tally(tally.clone()))
            })
            .collect()
    }

    /// One row per combination with responses: the keys' values (the period key's column named
    /// by its unit, as in ``nps.by``), then ``n``, ``n_missing`` and the count of answers per
    /// score (columns ``0`` … ``10``): the cube's counts as a table
    /// (``attrs``: ``weighted``; a weighted cube's weight sums travel in ``to_json``). Needs
    /// pandas.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"brand": ["A", "B", "A"], "ltr": [10, 3, 9]})
    /// >>> nps.cube(df, "brand").to_pandas()[["brand", "n", 3, 9, 10]]
    ///   brand  n  3  9  10
    /// 0     A  2  0  1   1
    /// 1     B  1  1  0   0
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    /// The cube of both sets of responses (keys and scales must match).
    fn __add__(&self, other: &Self) -> PyResult<Self> {
        let mut sum = self.0.clone();
        sum.merge(&other.0).or_raise()?;
        Ok(Cube(sum))
    }

    /// ``0 + cube`` is the cube, so ``sum(cubes)`` works.
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        zero_plus(py, self.clone(), other)
    }

    /// Number of combinations with responses.
    fn __len__(&self) -> usize {
        self.0.tallies().count()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let cube = slf.get();
        let py = slf.py();
        Ok(format!(
            "Cube(keys={}, period={}, combinations={}, n={})",
            cube.keys().into_pyobject(py)?.repr()?,
            cube.period().into_pyobject(py)?.repr()?,
            cube.__len__(),
            cube.0.total().n()
        ))
    }

    /// The cube as JSON text (``Cube.from_json`` reads it back, checking it).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(errors::bad_state)
    }

    /// A cube from ``to_json`` text.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(Cube)
            .map_err(errors::bad_state)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.getattr("from_json")?, (slf.get().to_json()?,)))
    }
}

impl Cube {
    /// The dimension keys.
    fn dimensions(&self) -> impl Iterator<Item = Key> {
        self.0
            .keys()
            .into_iter()
            .filter(|k| matches!(k, Key::Dimension(_)))
    }

    /// Checks that the analysis asked for is the cube's: `keys` then the period of `period`.
    pub(crate) fn expect(&self, keys: &[String], period: Option<&str>) -> PyResult<()> {
        let asked = segments::keys(keys, period)?;
        if asked != self.0.keys() {
            let names = |keys: &[Key]| keys.iter().map(Key::name).collect::<Vec<_>>();
            return Err(errors::raise(Error::InvalidArgument {
                field: "by",
                value: format!(
                    "{:?} of a cube keyed by {:?}",
                    names(&asked),
                    names(&self.0.keys())
                ),
                expected: "the keys the cube was built with (its dimensions, then its period)",
            }));
        }
        Ok(())
    }

    /// The trend of the cube under `options` (its last key must be the period of the unit).
    pub(crate) fn trend(
        &self,
        keys: &[String],
        options: &TrendOptions,
    ) -> PyResult<nps_core::Trend> {
        self.expect(keys, Some(&options.unit.to_string()))?;
        self.0.trend(options).or_raise()
    }
}

/// `0 + x` is `x` (for `sum`); anything else is not supported.
fn zero_plus<T: PyClass + Into<PyClassInitializer<T>>>(
    py: Python<'_>,
    value: T,
    other: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    if other.extract::<i64>().is_ok_and(|v| v == 0) {
        Ok(Py::new(py, value)?.into_any())
    } else {
        Ok(py.NotImplemented())
    }
}

/// The weighted moments (means, co-moments) of the outcome and the driver ratings: the
/// sufficient statistic of a driver analysis (驱动因素分析) without bootstrap, and the unit of
/// distributed work.
///
/// Build them per partition (``nps.driver_moments``), add them (``a + b``,
/// ``sum(moments)``), and ``nps.drivers(moments)`` gives the analysis of all the rows, to the
/// last bits of floating-point addition (the merge, Chan et al.'s pairwise update of means
/// and co-moments, adds in another order than one pass). Pearson correlations only (ranks
/// need every row at once) and no bootstrap intervals (they resample rows). Moments pickle,
/// and ``to_json`` / ``DriverMoments.from_json`` carry them as text.
///
/// >>> import pandas as pd, nps
/// >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
/// ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3.0],
/// ...                    "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1.0]})
/// >>> m = nps.driver_moments(df.iloc[:4]) + nps.driver_moments(df.iloc[4:])
/// >>> m.drivers, m.rows
/// (['speed', 'price'], 10)
/// >>> a, b = nps.drivers(m), nps.drivers(df)
/// >>> bool(abs(a["importance"] - b["importance"]).max() < 1e-12)
/// True
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq, Clone)]
pub struct DriverMoments {
    moments: nps_core::DriverMoments,
    outcome: String,
}

#[pymethods]
impl DriverMoments {
    /// The moments of ``table``'s drivers (all, or ``drivers`` by name) against ``outcome``
    /// ("score", "promoter" or "detractor"), with ``missing`` ratings handled "listwise" or
    /// "pairwise"; ``scale`` (low, high) checks every rating. Use ``nps.driver_moments`` for a
    /// DataFrame.
    #[new]
    #[pyo3(signature = (table, drivers=None, *, outcome="score", missing="listwise", scale=None))]
    fn new(
        py: Python<'_>,
        table: &Bound<'_, Table>,
        drivers: Option<Vec<String>>,
        outcome: &str,
        missing: &str,
        scale: Option<(f64, f64)>,
    ) -> PyResult<Self> {
        let options = drivers::options(
            drivers, "shapley", outcome, missing, false, scale, None, 24, 0, 0.95, 0,
        )?;
        let table = &table.get().0;
        let moments = py
            .detach(|| nps_core::DriverMoments::from_table(table, &options))
            .map_err(errors::raise)?;
        Ok(DriverMoments {
            moments,
            outcome: options.outcome.name().to_owned(),
        })
    }

    /// The drivers, in order.
    #[getter]
    fn drivers(&self) -> Vec<String> {
        self.moments.names()[1..].to_vec()
    }

    /// The outcome the drivers are related to.
    #[getter]
    fn outcome(&self) -> String {
        self.outcome.clone()
    }

    /// "listwise" or "pairwise".
    #[getter]
    fn missing(&self) -> &'static str {
        self.moments.missing().name()
    }

    /// Rows used: complete rows (listwise) or the fewest rows any pair shares (pairwise).
    #[getter]
    fn rows(&self) -> u64 {
        self.moments.rows()
    }

    /// The correlation matrix of the outcome (first) and the drivers, as nested lists (Pearson,
    /// weighted when the table is): what every importance method of ``nps.drivers`` starts
    /// from. ``DriverError`` for a constant driver or fewer rows than
    /// drivers + 2.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7],
    /// ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3.0], "price": [3, 4, 2, 3, 2, 4, 3, 3.0]})
    /// >>> r = nps.driver_moments(df).correlation()
    /// >>> [round(x, 3) for x in r[0]]
    /// [1.0, 0.979, 0.621]
    fn correlation(&self) -> PyResult<Vec<Vec<f64>>> {
        let c = self.moments.correlation().or_raise()?;
        let m = c.names.len();
        Ok(c.matrix.chunks(m).map(<[f64]>::to_vec).collect())
    }

    /// The correlation matrix as a DataFrame, the outcome's row and column first (``attrs``:
    /// ``rows``, ``missing``). Needs pandas.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6, 10, 2, 7],
    /// ...                    "speed": [5, 4, 2, 4, 3, 5, 1, 3.0], "price": [3, 4, 2, 3, 2, 4, 3, 3.0]})
    /// >>> nps.driver_moments(df).to_pandas().round(3)
    ///        score  speed  price
    /// score  1.000  0.979  0.621
    /// speed  0.979  1.000  0.537
    /// price  0.621  0.537  1.000
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    /// The moments of both sets of rows (the same columns and handling).
    fn __add__(&self, other: &Self) -> PyResult<Self> {
        let mut sum = self.clone();
        sum.moments.merge(&other.moments).map_err(errors::raise)?;
        Ok(sum)
    }

    /// ``0 + moments`` is the moments, so ``sum(...)`` works.
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        zero_plus(py, self.clone(), other)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let m = slf.get();
        let py = slf.py();
        Ok(format!(
            "DriverMoments(drivers={}, outcome={}, missing={}, rows={})",
            m.drivers().into_pyobject(py)?.repr()?,
            m.outcome.as_str().into_pyobject(py)?.repr()?,
            m.missing().into_pyobject(py)?.repr()?,
            m.rows()
        ))
    }

    /// The moments as JSON text (``DriverMoments.from_json`` reads it back, checking it).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.moments).map_err(errors::bad_state)
    }

    /// Moments from ``to_json`` text.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        let moments: nps_core::DriverMoments =
            serde_json::from_str(text).map_err(errors::bad_state)?;
        let outcome = nps_core::Outcome::ALL
            .into_iter()
            .find(|o| moments.names()[0] == format!("outcome ({o})"))
            .ok_or_else(|| {
                errors::raise(Error::InvalidArgument {
                    field: "driver moments",
                    value: format!("{:?}", moments.names()[0]),
                    expected: "moments built by nps (an outcome column first)",
                })
            })?;
        Ok(DriverMoments {
            moments,
            outcome: outcome.name().to_owned(),
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.getattr("from_json")?, (slf.get().to_json()?,)))
    }

    /// Driver importance of the rows behind the moments, as ``nps.drivers`` returns it (use
    /// ``nps.drivers(moments, ...)``). Spearman correlations and bootstrap replicates are
    /// refused (``InvalidArgumentError``): neither can be computed from moments.
    #[pyo3(signature = (
        *, method="shapley", spearman=false, samples=None, max_exact=24, replicates=0,
        level=0.95, seed=20240601,
    ))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn importance<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        spearman: bool,
        samples: Option<u32>,
        max_exact: usize,
        replicates: u32,
        level: f64,
        seed: u64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let options = drivers::options(
            Some(self.drivers()),
            method,
            &self.outcome,
            self.missing(),
            spearman,
            None,
            samples,
            max_exact,
            replicates,
            level,
            seed,
        )?;
        let result = py
            .detach(|| self.moments.importance(&options))
            .map_err(errors::raise)?;
        drivers::single(py, &result, &options)
    }
}
