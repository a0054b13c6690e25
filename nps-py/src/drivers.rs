//! Driver importance (`nps.drivers`) and improvement priorities (`nps.priorities`), as columns.
//!
//! Types and errors are translated here, nothing is computed: the loops run over the result's
//! rows (drivers, groups), never over responses. Shares come from the core as fractions
//! summing to 1 and are written here in percent (× 100), as the Python functions document.

use nps_core::{
    DriverImportance, DriverMethod, DriverOptions, DriverRow, Error, Level, Missing, Outcome,
    Performance, PriorityOptions, PriorityRow, Quadrant, Reference, Threshold,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::columns::{self, Columns};
use crate::errors;
use crate::journey::Journey;
use crate::segments;
use crate::table::Table;

/// The core's options from the Python arguments (method, outcome and missing by name).
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn options(
    drivers: Option<Vec<String>>,
    method: &str,
    outcome: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    replicates: u32,
    level: f64,
    seed: u64,
) -> PyResult<DriverOptions> {
    Ok(DriverOptions {
        drivers,
        outcome: Outcome::from_name(outcome).map_err(errors::raise)?,
        method: DriverMethod::from_name(method).map_err(errors::raise)?,
        missing: Missing::from_name(missing).map_err(errors::raise)?,
        spearman,
        rating_scale: scale,
        max_exact,
        shapley_samples: samples,
        replicates,
        level,
        seed,
    })
}

/// The per-driver columns of one or more results (one block of rows per result).
#[derive(Default)]
struct RowColumns {
    driver: Vec<Option<String>>,
    importance: Vec<f64>,
    share: Vec<f64>,
    sign: Vec<i8>,
    se: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
    includes_zero: Vec<bool>,
}

impl RowColumns {
    fn push(&mut self, r: &DriverRow) {
        self.driver.push(Some(r.driver.clone()));
        self.importance.push(r.importance);
        self.share.push(r.share * 100.0);
        self.sign.push(r.sign);
        self.se.push(r.se.unwrap_or(f64::NAN));
        self.low.push(r.low.unwrap_or(f64::NAN));
        self.high.push(r.high.unwrap_or(f64::NAN));
        self.includes_zero.push(r.includes_zero.unwrap_or(false));
    }

    /// A row of a driver without a result (a group whose data allow no analysis).
    fn push_missing(&mut self, driver: &str) {
        self.driver.push(Some(driver.to_owned()));
        self.importance.push(f64::NAN);
        self.share.push(f64::NAN);
        self.sign.push(0);
        self.se.push(f64::NAN);
        self.low.push(f64::NAN);
        self.high.push(f64::NAN);
        self.includes_zero.push(false);
    }

    /// `driver`, `importance`, `share` (percent), `sign`, then `se` for sampled Shapley and
    /// `low`, `high`, `includes_zero` when bootstrapped.
    fn write(self, columns: &Columns<'_>, options: &DriverOptions) -> PyResult<()> {
        columns.text("driver", self.driver)?;
        columns.array("importance", self.importance)?;
        columns.array("share", self.share)?;
        columns.array("sign", self.sign)?;
        if sampled(options) {
            columns.array("se", self.se)?;
        }
        if options.replicates > 0 {
            columns.array("low", self.low)?;
            columns.array("high", self.high)?;
            columns.array("includes_zero", self.includes_zero)?;
        }
        Ok(())
    }
}

/// Whether Shapley values are estimated from sampled permutations (results carry an `se`).
fn sampled(options: &DriverOptions) -> bool {
    options.method == DriverMethod::Shapley && options.shapley_samples.is_some()
}

/// The attributes shared by every result of the options: `method`, `missing`, `spearman`,
/// `outcome`, and `level` when bootstrapped.
fn option_attrs<'py>(py: Python<'py>, options: &DriverOptions) -> PyResult<Bound<'py, PyDict>> {
    let attrs = PyDict::new(py);
    attrs.set_item("method", options.method.name())?;
    attrs.set_item("missing", options.missing.name())?;
    attrs.set_item("outcome", options.outcome.name())?;
    attrs.set_item("spearman", options.spearman)?;
    if options.replicates > 0 {
        attrs.set_item("level", options.level)?;
    }
    if sampled(options) {
        attrs.set_item("samples", options.shapley_samples)?;
    }
    Ok(attrs)
}

/// `{"columns": …, "attrs": …}` of one result.
pub(crate) fn single<'py>(
    py: Python<'py>,
    result: &DriverImportance,
    options: &DriverOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let columns = Columns::new(py);
    let mut rows = RowColumns::default();
    for r in &result.rows {
        rows.push(r);
    }
    rows.write(&columns, options)?;
    columns.with_attrs(result_attrs(py, result, options)?)
}

/// The attributes of one result: those of the options, then `r2`, `n`, and `replicates` when
/// bootstrapped.
fn result_attrs<'py>(
    py: Python<'py>,
    result: &DriverImportance,
    options: &DriverOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let attrs = option_attrs(py, options)?;
    attrs.set_item("r2", result.r2)?;
    attrs.set_item("n", result.n)?;
    if options.replicates > 0 {
        attrs.set_item("replicates", result.replicates)?;
    }
    Ok(attrs)
}

/// Driver importance of a target column and driver rating columns (float64 arrays, NaN =
/// missing) with optional weights: the target's values are the outcome, whatever their scale
/// (no bootstrap: that needs a table). Returns ``{"columns": …, "attrs": …}``; ``share`` is in
/// percent. Use ``nps.drivers``.
///
/// >>> import numpy as np
/// >>> from nps import _nps
/// >>> y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])
/// >>> x = [("a", np.array([1.0, 2.0, 3.0, 3.0, 5.0, 5.0])),
/// ...      ("b", np.array([2.0, 1.0, 2.0, 1.0, 2.0, 1.0]))]
/// >>> out = _nps.drivers_of_columns(y, x, method="johnson")
/// >>> out["columns"]["driver"], round(float(out["columns"]["share"].sum()), 9)
/// (['a', 'b'], 100.0)
#[pyfunction]
#[pyo3(signature = (
    target, drivers, weights=None, *, method="shapley", missing="listwise", spearman=false,
    scale=None, samples=None, max_exact=24, level=0.95, seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn drivers_of_columns<'py>(
    py: Python<'py>,
    target: PyReadonlyArray1<'py, f64>,
    drivers: Vec<(String, PyReadonlyArray1<'py, f64>)>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    method: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    level: f64,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let names: Vec<String> = drivers.iter().map(|(n, _)| n.clone()).collect();
    let options = options(
        Some(names),
        method,
        "score",
        missing,
        spearman,
        scale,
        samples,
        max_exact,
        0,
        level,
        seed,
    )?;
    let y = target.as_slice()?;
    let mut cols: Vec<(&str, &[f64])> = vec![("target", y)];
    for (name, ratings) in &drivers {
        cols.push((name.as_str(), ratings.as_slice()?));
    }
    let w = weights.as_ref().map(|w| w.as_slice()).transpose()?;
    let result = py
        .detach(|| {
            let correlation = nps_core::correlate(&cols, w, &options)?;
            nps_core::importance(&correlation, &options)
        })
        .map_err(errors::raise)?;
    single(py, &result, &options)
}

/// Driver importance of the drivers of a table (its own drivers, or ``drivers`` by name), for
/// the whole table or, with ``keys`` (dimension names), per combination of their values.
///
/// Returns ``{"columns": …, "attrs": …}``. Columns: one per key (grouped), ``driver``,
/// ``importance``, ``share`` (percent), ``sign``, ``se`` (sampled Shapley), ``low``, ``high``,
/// ``includes_zero`` (bootstrapped) and, grouped, ``n``, ``r2`` and ``problem`` (why a group
/// has no result; its numbers are NaN). Use ``nps.drivers``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
/// ...     drivers={"speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3], "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1]})
/// >>> out = _nps.drivers_of_table(t, [])
/// >>> out["columns"]["driver"], out["attrs"]["n"]
/// (['speed', 'price'], 10)
#[pyfunction]
#[pyo3(signature = (
    table, keys, *, drivers=None, method="shapley", outcome="score", missing="listwise",
    spearman=false, scale=None, samples=None, max_exact=24, replicates=0, level=0.95,
    seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn drivers_of_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    keys: Vec<String>,
    drivers: Option<Vec<String>>,
    method: &str,
    outcome: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    replicates: u32,
    level: f64,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let table = &table.get().0;
    let names = driver_names(table, drivers.as_deref());
    let options = options(
        drivers, method, outcome, missing, spearman, scale, samples, max_exact, replicates, level,
        seed,
    )?;
    if keys.is_empty() {
        let result = py
            .detach(|| nps_core::drivers(table, &options))
            .map_err(errors::raise)?;
        return single(py, &result, &options);
    }
    let keys = segments::keys(&keys, None)?;
    let grouping = py
        .detach(|| nps_core::drivers_by(table, &keys, &options))
        .map_err(errors::raise)?;

    let mut levels: Vec<&[Level]> = Vec::new();
    let mut rows = RowColumns::default();
    let (mut n, mut r2, mut problem) = (Vec::new(), Vec::new(), Vec::new());
    for g in &grouping.groups {
        let block = match &g.result {
            Some(result) => {
                for r in &result.rows {
                    rows.push(r);
                }
                result.rows.len()
            }
            None => {
                for d in &names {
                    rows.push_missing(d);
                }
                names.len()
            }
        };
        let group_n = g.result.as_ref().map_or(0, |r| columns::count(r.n));
        let group_r2 = g.result.as_ref().map_or(f64::NAN, |r| r.r2);
        for _ in 0..block {
            levels.push(&g.levels);
            n.push(group_n);
            r2.push(group_r2);
            problem.push(g.problem.clone());
        }
    }
    let columns = Columns::new(py);
    columns::keys(&columns, &grouping.keys, &levels)?;
    rows.write(&columns, &options)?;
    columns.array("n", n)?;
    columns.array("r2", r2)?;
    columns.text("problem", problem)?;
    columns.with_attrs(option_attrs(py, &options)?)
}

/// A quadrant cut by name (`"mean"`, `"median"`) or value (a float).
fn threshold(cut: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Threshold> {
    if let Ok(v) = cut.extract::<f64>() {
        return Ok(Threshold::Value(v));
    }
    match cut.extract::<String>().ok().as_deref() {
        Some("mean") => Ok(Threshold::Mean),
        Some("median") => Ok(Threshold::Median),
        _ => Err(errors::raise(Error::InvalidArgument {
            field,
            value: cut.repr().map_or_else(|_| "?".into(), |r| r.to_string()),
            expected: "\"mean\", \"median\" or a number",
        })),
    }
}

/// The priority options from the Python arguments: the importance options (as in
/// [`options`]), then the focus rows, the reference (one of a target, per-driver targets, or
/// the rows of a dimension value), the top-box minimum (mean rating without) and the two cuts
/// (`"mean"` when not given).
#[allow(clippy::too_many_arguments)] // the Python signature
fn priority_options(
    py: Python<'_>,
    drivers: Option<Vec<String>>,
    method: &str,
    outcome: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    replicates: u32,
    level: f64,
    seed: u64,
    focus: Option<(String, String)>,
    target: Option<f64>,
    targets: Option<Vec<(String, f64)>>,
    group: Option<(String, String)>,
    top_box: Option<f64>,
    importance_cut: Option<&Bound<'_, PyAny>>,
    performance_cut: Option<&Bound<'_, PyAny>>,
    rate: f64,
) -> PyResult<PriorityOptions> {
    let importance = options(
        drivers, method, outcome, missing, spearman, scale, samples, max_exact, replicates, level,
        seed,
    )?;
    let mean = "mean".into_pyobject(py)?.into_any();
    let reference = match (target, targets, group) {
        (None, None, None) => None,
        (Some(t), None, None) => Some(Reference::Target(t)),
        (None, Some(ts), None) => Some(Reference::Targets(ts)),
        (None, None, Some((dimension, value))) => Some(Reference::Group { dimension, value }),
        _ => {
            return Err(errors::raise(Error::InvalidArgument {
                field: "reference",
                value: "several references".into(),
                expected: "one of a target, per-driver targets or a reference group",
            }));
        }
    };
    Ok(PriorityOptions {
        importance,
        focus,
        performance: top_box.map_or(Performance::Mean, |min| Performance::TopBox { min }),
        reference,
        importance_threshold: threshold(importance_cut.unwrap_or(&mean), "importance_cut")?,
        performance_threshold: threshold(performance_cut.unwrap_or(&mean), "performance_cut")?,
        level,
        rate,
    })
}

/// Improvement priorities of the drivers of a table: importance against performance, the gap
/// to a reference, the quadrant and the action rank.
///
/// Returns ``{"columns": …, "attrs": …}``. Columns: ``driver``, ``importance``, ``share``
/// (percent), ``sign``, ``importance_low``, ``importance_high`` (bootstrapped),
/// ``performance``, ``performance_low``, ``performance_high``, ``n``, ``reference``, ``gap``,
/// ``gap_p``, ``gap_q`` (NaN without a reference), ``gap_significant``, ``quadrant``,
/// ``p_improve_now``, ``p_exceed``, ``p_maintain``, ``p_low_priority`` (bootstrapped) and
/// ``action_rank`` (a list, None off the action list). ``attrs``: the cuts (``importance_cut``
/// in percent), ``r2``, ``n``, ``method``… Use ``nps.priorities``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 9, 3, 8, 6, 10, 2, 7, 9, 5],
/// ...     drivers={"speed": [5, 4, 2, 4, 3, 5, 1, 3, 4, 3], "price": [3, 4, 2, 3, 2, 4, 3, 3, 5, 1]})
/// >>> out = _nps.priorities_of_table(t, target=3.5)
/// >>> out["columns"]["quadrant"], out["columns"]["action_rank"]
/// (['exceed', 'low_priority'], [2, 1])
#[pyfunction]
#[pyo3(signature = (
    table, *, drivers=None, method="johnson", outcome="score", missing="listwise",
    spearman=false, scale=None, samples=None, max_exact=24, replicates=0, level=0.95,
    seed=20240601, focus=None, target=None, targets=None, group=None, top_box=None,
    importance_cut=None, performance_cut=None, rate=0.05,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn priorities_of_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    drivers: Option<Vec<String>>,
    method: &str,
    outcome: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    replicates: u32,
    level: f64,
    seed: u64,
    focus: Option<(String, String)>,
    target: Option<f64>,
    targets: Option<Vec<(String, f64)>>,
    group: Option<(String, String)>,
    top_box: Option<f64>,
    importance_cut: Option<&Bound<'py, PyAny>>,
    performance_cut: Option<&Bound<'py, PyAny>>,
    rate: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let table = &table.get().0;
    let options = priority_options(
        py,
        drivers,
        method,
        outcome,
        missing,
        spearman,
        scale,
        samples,
        max_exact,
        replicates,
        level,
        seed,
        focus,
        target,
        targets,
        group,
        top_box,
        importance_cut,
        performance_cut,
        rate,
    )?;
    let result = py
        .detach(|| nps_core::priorities(table, &options))
        .map_err(errors::raise)?;

    let rows = &result.rows;
    let f = |get: fn(&PriorityRow) -> f64| -> Vec<f64> { rows.iter().map(get).collect() };
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let bootstrapped = replicates > 0;
    let columns = Columns::new(py);
    columns.text(
        "driver",
        rows.iter().map(|r| Some(r.driver.clone())).collect(),
    )?;
    columns.array("importance", f(|r| r.importance))?;
    columns.array("share", f(|r| r.share * 100.0))?;
    columns.array("sign", rows.iter().map(|r| r.sign as i8).collect())?;
    if bootstrapped {
        columns.array(
            "importance_low",
            rows.iter().map(|r| nan(r.importance_low)).collect(),
        )?;
        columns.array(
            "importance_high",
            rows.iter().map(|r| nan(r.importance_high)).collect(),
        )?;
    }
    columns.array("performance", f(|r| r.performance))?;
    columns.array("performance_low", f(|r| r.performance_low))?;
    columns.array("performance_high", f(|r| r.performance_high))?;
    columns.array("n", rows.iter().map(|r| columns::count(r.n)).collect())?;
    columns.array("reference", rows.iter().map(|r| nan(r.reference)).collect())?;
    columns.array("gap", rows.iter().map(|r| nan(r.gap)).collect())?;
    columns.array("gap_p", rows.iter().map(|r| nan(r.gap_p)).collect())?;
    columns.array("gap_q", rows.iter().map(|r| nan(r.gap_q)).collect())?;
    columns.array(
        "gap_significant",
        rows.iter()
            .map(|r| r.gap_significant == Some(true))
            .collect(),
    )?;
    columns.text(
        "quadrant",
        rows.iter()
            .map(|r| Some(r.quadrant.name().to_owned()))
            .collect(),
    )?;
    if bootstrapped {
        for (k, q) in Quadrant::ALL.iter().enumerate() {
            let p = rows
                .iter()
                .map(|r| r.probabilities.map_or(f64::NAN, |p| p[k]))
                .collect();
            columns.array(&format!("p_{}", q.name()), p)?;
        }
    }
    columns.any(
        "action_rank",
        rows.iter().map(|r| r.action_rank).collect::<Vec<_>>(),
    )?;

    let attrs = result_attrs(py, &result.importance, &options.importance)?;
    attrs.set_item("importance_cut", result.importance_cut * 100.0)?;
    attrs.set_item("performance_cut", result.performance_cut)?;
    attrs.set_item("rate", rate)?;
    columns.with_attrs(attrs)
}

/// Priorities of the nodes of a customer journey whose ids are driver columns of the table,
/// rolled up to scenes and stages (options as in ``priorities_of_table``).
///
/// Returns ``{"columns": …, "attrs": …}``: ``kind``, ``id``, ``name``, ``parent``,
/// ``importance``, ``share`` (percent), ``performance`` (NaN for a node without rated
/// descendants) and ``quadrant`` (among nodes of the same kind; None without one). Use
/// ``nps.journey_priorities``.
#[pyfunction]
#[pyo3(signature = (
    table, journey, *, drivers=None, method="johnson", outcome="score", missing="listwise",
    spearman=false, scale=None, samples=None, max_exact=24, replicates=0, level=0.95,
    seed=20240601, focus=None, target=None, targets=None, group=None, top_box=None,
    importance_cut=None, performance_cut=None, rate=0.05,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn journey_priorities_of_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    journey: &Bound<'py, Journey>,
    drivers: Option<Vec<String>>,
    method: &str,
    outcome: &str,
    missing: &str,
    spearman: bool,
    scale: Option<(f64, f64)>,
    samples: Option<u32>,
    max_exact: usize,
    replicates: u32,
    level: f64,
    seed: u64,
    focus: Option<(String, String)>,
    target: Option<f64>,
    targets: Option<Vec<(String, f64)>>,
    group: Option<(String, String)>,
    top_box: Option<f64>,
    importance_cut: Option<&Bound<'py, PyAny>>,
    performance_cut: Option<&Bound<'py, PyAny>>,
    rate: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let table = &table.get().0;
    let journey = &journey.get().0;
    let options = priority_options(
        py,
        drivers,
        method,
        outcome,
        missing,
        spearman,
        scale,
        samples,
        max_exact,
        replicates,
        level,
        seed,
        focus,
        target,
        targets,
        group,
        top_box,
        importance_cut,
        performance_cut,
        rate,
    )?;
    let nodes = py
        .detach(|| nps_core::journey_priorities(table, journey, &options))
        .map_err(errors::raise)?;
    let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let columns = Columns::new(py);
    columns.text(
        "kind",
        nodes
            .iter()
            .map(|n| Some(crate::journey::kind(n.kind).to_owned()))
            .collect(),
    )?;
    columns.text("id", nodes.iter().map(|n| Some(n.id.clone())).collect())?;
    columns.text("name", nodes.iter().map(|n| Some(n.name.clone())).collect())?;
    columns.text("parent", nodes.iter().map(|n| n.parent.clone()).collect())?;
    columns.array(
        "importance",
        nodes.iter().map(|n| nan(n.importance)).collect(),
    )?;
    columns.array(
        "share",
        nodes.iter().map(|n| nan(n.share) * 100.0).collect(),
    )?;
    columns.array(
        "performance",
        nodes.iter().map(|n| nan(n.performance)).collect(),
    )?;
    columns.text(
        "quadrant",
        nodes
            .iter()
            .map(|n| n.quadrant.map(|q| q.name().to_owned()))
            .collect(),
    )?;
    columns.with_attrs(option_attrs(py, &options.importance)?)
}

/// The drivers named, or every driver of the table (the rows of a group without a result).
fn driver_names(table: &nps_core::Table, drivers: Option<&[String]>) -> Vec<String> {
    drivers.map_or_else(
        || {
            table
                .drivers()
                .iter()
                .map(|d| d.name().to_owned())
                .collect()
        },
        <[String]>::to_vec,
    )
}
