//! Results as columns: the analyses return a dict of column name → numpy array (numbers, flags)
//! or list (texts, `None` where missing), which `nps._frames` hands to `pandas.DataFrame`.
//!
//! The loops here run over the result's rows (groups, periods, segments), never over responses.

use nps_core::{Adjustment, Direction, Estimate, Level, Method, PeriodUnit, Slope, Tally};
use numpy::{Element, PyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::errors::OrRaise;
use crate::estimate;

/// How a margin (all values of a key together) shows in key columns.
pub(crate) const ALL: &str = "All";

/// A dict of columns, in insertion order.
pub(crate) struct Columns<'py>(Bound<'py, PyDict>);

impl<'py> Columns<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Columns(PyDict::new(py))
    }

    /// A numeric or boolean column, as a numpy array (the vector's buffer, not copied).
    pub(crate) fn array<T: Element>(&self, name: &str, values: Vec<T>) -> PyResult<()> {
        self.0
            .set_item(name, PyArray1::from_vec(self.0.py(), values))
    }

    /// A column of texts (`None` where missing), as a list.
    pub(crate) fn text(&self, name: &str, values: Vec<Option<String>>) -> PyResult<()> {
        self.0.set_item(name, values)
    }

    /// Any other column, as given.
    pub(crate) fn any<T: IntoPyObject<'py>>(&self, name: &str, values: T) -> PyResult<()> {
        self.0.set_item(name, values)
    }

    pub(crate) fn into_dict(self) -> Bound<'py, PyDict> {
        self.0
    }

    /// `{"columns": …, "attrs": …}`: the columns with the result's attributes.
    pub(crate) fn with_attrs(self, attrs: Bound<'py, PyDict>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(self.0.py());
        out.set_item("columns", self.0)?;
        out.set_item("attrs", attrs)?;
        Ok(out)
    }
}

/// A key's value as shown: the value, "All" for a margin, `None` when missing.
pub(crate) fn level(l: &Level) -> Option<String> {
    match l {
        Level::Value(v) => Some(v.clone()),
        Level::Missing => None,
        Level::All => Some(ALL.to_owned()),
    }
}

/// Key columns: one per key name, from each row's levels.
pub(crate) fn keys(columns: &Columns<'_>, names: &[String], rows: &[&[Level]]) -> PyResult<()> {
    for (k, name) in names.iter().enumerate() {
        let values = rows.iter().map(|r| r.get(k).and_then(level)).collect();
        columns.text(name, values)?;
    }
    Ok(())
}

/// A count as pandas' default integer (int64; counts beyond 2⁶³ do not occur).
pub(crate) fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A count column: `get` of each row, as [`count`]s.
pub(crate) fn counts<R>(rows: &[R], get: impl Fn(&R) -> u64) -> Vec<i64> {
    rows.iter().map(|r| count(get(r))).collect()
}

/// The name of a direction: "rising", "falling" or "flat".
pub(crate) fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Rising => "rising",
        Direction::Falling => "falling",
        Direction::Flat => "flat",
    }
}

/// A numeric column of a part some rows lack (an estimate, a change, a slope, a gap): `get` of
/// each row's part, NaN where the row has none.
pub(crate) fn or_nan<'r, R, P: 'r>(
    rows: &'r [R],
    part: impl Fn(&'r R) -> Option<&'r P>,
    get: fn(&P) -> f64,
) -> Vec<f64> {
    rows.iter().map(|r| part(r).map_or(f64::NAN, get)).collect()
}

/// A slope as a dict (`None` → `None`).
pub(crate) fn slope<'py>(
    py: Python<'py>,
    s: Option<&Slope>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(s) = s else { return Ok(None) };
    let d = PyDict::new(py);
    d.set_item("per_period", s.per_period)?;
    d.set_item("se", s.se)?;
    d.set_item("low", s.low)?;
    d.set_item("high", s.high)?;
    d.set_item("p_value", s.p_value)?;
    d.set_item("q_value", s.q_value)?;
    d.set_item("direction", direction(s.direction))?;
    d.set_item("periods", s.periods)?;
    Ok(Some(d))
}

/// A multiplicity adjustment as a dict: `method`, `rate`, `tests`.
pub(crate) fn adjustment<'py>(py: Python<'py>, a: &Adjustment) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("method", &a.method)?;
    d.set_item("rate", a.rate)?;
    d.set_item("tests", a.tests)?;
    Ok(d)
}

/// A group's values on its keys as a label: the value for one key, a tuple for several.
pub(crate) fn label<'py>(py: Python<'py>, levels: &[Level]) -> PyResult<Bound<'py, PyAny>> {
    let values: Vec<Option<String>> = levels.iter().map(level).collect();
    if let [one] = values.as_slice() {
        Ok(one.clone().into_pyobject(py)?.into_any())
    } else {
        PyTuple::new(py, values).map(Bound::into_any)
    }
}

/// The estimate columns of a sequence of groups: counts from the tally, the rest from the
/// estimate (NaN where the group has no answered response).
#[derive(Default)]
pub(crate) struct EstimateColumns {
    n: Vec<i64>,
    n_missing: Vec<i64>,
    promoters: Vec<f64>,
    passives: Vec<f64>,
    detractors: Vec<f64>,
    nps: Vec<f64>,
    se: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
    small: Vec<bool>,
    n_eff: Vec<f64>,
    design_effect: Vec<f64>,
}

impl EstimateColumns {
    pub(crate) fn push(&mut self, tally: &Tally, estimate: Option<&Estimate>, small: bool) {
        let field = |f: fn(&Estimate) -> f64| estimate.map_or(f64::NAN, f);
        self.n.push(count(tally.n()));
        self.n_missing.push(count(tally.missing()));
        self.promoters.push(field(|e| e.promoters));
        self.passives.push(field(|e| e.passives));
        self.detractors.push(field(|e| e.detractors));
        self.nps.push(field(|e| e.nps));
        self.se.push(field(|e| e.se));
        self.low.push(field(|e| e.low));
        self.high.push(field(|e| e.high));
        self.small.push(small);
        self.n_eff.push(field(|e| e.n_eff));
        self.design_effect.push(field(|e| e.design_effect));
    }

    /// Adds `n`, `n_missing`, the shares, `nps`, `se`, `low`, `high`, `small`, and `n_eff`,
    /// `design_effect` when `weighted`.
    pub(crate) fn write(self, columns: &Columns<'_>, weighted: bool) -> PyResult<()> {
        columns.array("n", self.n)?;
        columns.array("n_missing", self.n_missing)?;
        columns.array("promoters", self.promoters)?;
        columns.array("passives", self.passives)?;
        columns.array("detractors", self.detractors)?;
        columns.array("nps", self.nps)?;
        columns.array("se", self.se)?;
        columns.array("low", self.low)?;
        columns.array("high", self.high)?;
        columns.array("small", self.small)?;
        if weighted {
            columns.array("n_eff", self.n_eff)?;
            columns.array("design_effect", self.design_effect)?;
        }
        Ok(())
    }
}

/// The interval method and the comparison method by name (`prior`, `replicates` and `seed` go
/// to the methods that take them).
pub(crate) fn methods(
    method: &str,
    comparison: &str,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<(Method, Method)> {
    Ok((
        estimate::method(method, prior, replicates, seed)?,
        Method::from_name(comparison).or_raise()?,
    ))
}

/// The period unit by name ("day", "week", "month", "quarter", "year", or "D", "W", "M", "Q",
/// "Y"); `UnknownMethodError` otherwise (the core's message).
pub(crate) fn unit(name: &str) -> PyResult<PeriodUnit> {
    PeriodUnit::from_name(name).or_raise()
}
