//! Trends (`nps.trend`) and the study trigger (`nps.study_trigger`) of tables, as columns.

use nps_core::{Key, Level, Point, Series, TrendOptions};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::columns::{self, Columns};
use crate::errors::OrRaise;
use crate::mergeable::Cube;
use crate::table::Table;

/// The trend options from the Python arguments.
#[allow(clippy::too_many_arguments)] // one per Python argument
fn options(
    unit: &str,
    window: u32,
    method: &str,
    comparison: &str,
    level: f64,
    rate: f64,
    min_n: u64,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<TrendOptions> {
    let (method, comparison) = columns::methods(method, comparison, prior, replicates, seed)?;
    Ok(TrendOptions {
        unit: columns::unit(unit)?,
        window,
        method,
        comparison,
        level,
        rate,
        min_n,
    })
}

/// The columns of ``nps.trend`` for a table with dates, or for a cube (``nps.Cube``) keyed by
/// ``keys`` then the period of ``unit``: one row per group of ``keys`` × period, from the first
/// period to the last.
///
/// Returns a dict: ``columns`` (one list per key; ``period`` labels; ``start``, the first day
/// of each period in days since 1970-01-01; ``n``, ``nps``, ``low``, ``high``, ``gap``,
/// ``small``; ``change``, ``change_low``, ``change_high``, ``change_p``, ``change_q``,
/// ``change_significant`` against the previous window; the group's ``slope``, ``slope_se``,
/// ``slope_low``, ``slope_high``, ``slope_p``, ``slope_q`` and ``direction`` repeated on its
/// rows) and ``adjustment`` (``{"changes": {...}, "slopes": {...}}``, each with ``method``,
/// ``rate`` and ``tests``). Use ``nps.trend``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 0, 10, 10], date=["2024-01-02", "2024-01-09",
/// ...                                                   "2024-03-01", "2024-03-05"])
/// >>> c = _nps.trend_columns(t, [], unit="month")["columns"]
/// >>> c["period"], c["gap"].tolist()
/// (['2024-01', '2024-02', '2024-03'], [False, True, False])
#[pyfunction]
#[pyo3(signature = (
    source, keys, *, unit="month", window=1, method="adjusted_wald", comparison="adjusted_wald",
    level=0.95, rate=0.05, min_n=30, prior=0.5, replicates=10000, seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn trend_columns<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    keys: Vec<String>,
    unit: &str,
    window: u32,
    method: &str,
    comparison: &str,
    level: f64,
    rate: f64,
    min_n: u64,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let options = options(
        unit, window, method, comparison, level, rate, min_n, prior, replicates, seed,
    )?;
    let trend = match source.cast::<Cube>() {
        Ok(cube) => cube.get().trend(&keys, &options)?,
        Err(_) => {
            let keys: Vec<Key> = keys.into_iter().map(Key::Dimension).collect();
            let table = &source.cast::<Table>()?.get().0;
            py.detach(|| nps_core::trend(table, &keys, &options))
                .or_raise()?
        }
    };

    let rows: Vec<(&Series, &Point)> = trend
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(move |p| (s, p)))
        .collect();
    let columns = Columns::new(py);
    let levels: Vec<&[Level]> = rows.iter().map(|(s, _)| &s.levels[..]).collect();
    columns::keys(&columns, &trend.keys, &levels)?;
    let estimate = |get: fn(&nps_core::Estimate) -> f64| {
        columns::or_nan(&rows, |(_, p)| p.estimate.as_ref(), get)
    };
    let change =
        |get: fn(&nps_core::Change) -> f64| columns::or_nan(&rows, |(_, p)| p.change.as_ref(), get);
    let slope =
        |get: fn(&nps_core::Slope) -> f64| columns::or_nan(&rows, |(s, _)| s.slope.as_ref(), get);
    columns.text(
        "period",
        rows.iter().map(|(_, p)| Some(p.label.clone())).collect(),
    )?;
    columns.array(
        "start",
        rows.iter()
            .map(|(_, p)| p.period.start().days())
            .collect::<Vec<i32>>(),
    )?;
    columns.array(
        "n",
        rows.iter()
            .map(|(_, p)| columns::count(p.tally.n()))
            .collect::<Vec<i64>>(),
    )?;
    columns.array("nps", estimate(|e| e.nps))?;
    columns.array("low", estimate(|e| e.low))?;
    columns.array("high", estimate(|e| e.high))?;
    columns.array(
        "gap",
        rows.iter().map(|(_, p)| p.gap).collect::<Vec<bool>>(),
    )?;
    columns.array(
        "small",
        rows.iter().map(|(_, p)| p.small).collect::<Vec<bool>>(),
    )?;
    columns.array("change", change(|c| c.comparison.difference))?;
    columns.array("change_low", change(|c| c.comparison.low))?;
    columns.array("change_high", change(|c| c.comparison.high))?;
    columns.array("change_p", change(|c| c.comparison.p_value))?;
    columns.array("change_q", change(|c| c.q_value))?;
    columns.array(
        "change_significant",
        rows.iter()
            .map(|(_, p)| p.change.is_some_and(|c| c.significant))
            .collect::<Vec<bool>>(),
    )?;
    columns.array("slope", slope(|s| s.per_period))?;
    columns.array("slope_se", slope(|s| s.se))?;
    columns.array("slope_low", slope(|s| s.low))?;
    columns.array("slope_high", slope(|s| s.high))?;
    columns.array("slope_p", slope(|s| s.p_value))?;
    columns.array("slope_q", slope(|s| s.q_value))?;
    columns.text(
        "direction",
        rows.iter()
            .map(|(s, _)| s.slope.map(|b| columns::direction(b.direction).to_owned()))
            .collect(),
    )?;

    let adjustment = PyDict::new(py);
    adjustment.set_item(
        "changes",
        columns::adjustment(py, &trend.changes_adjustment)?,
    )?;
    adjustment.set_item("slopes", columns::adjustment(py, &trend.slopes_adjustment)?)?;
    let out = PyDict::new(py);
    out.set_item("columns", columns.into_dict())?;
    out.set_item("adjustment", adjustment)?;
    Ok(out)
}

/// The seed's trigger for an analytical (strategic) NPS study: due when transactional NPS
/// (场景NPS) rises, overall or in a group of ``by`` (slopes adjusted by Benjamini–Hochberg
/// across the groups), while relationship NPS (关系NPS) is flat.
///
/// Returns a dict: ``due`` (bool), ``reason`` (the verdict with its numbers),
/// ``transactional`` and ``relationship`` (the overall slopes as dicts with ``per_period``,
/// ``se``, ``low``, ``high``, ``p_value``, ``q_value``, ``direction``, ``periods``; ``None``
/// with fewer than two periods with answers), ``rising`` (the labels of the rising groups: the
/// value for one key, a tuple for several) and ``adjustment``. Use ``nps.study_trigger``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> days = ["2024-01-01", "2024-02-01", "2024-03-01"]
/// >>> t = nps.Table.from_columns([0, 10, 10], dimensions={"touchpoint": ["a"] * 3}, date=days)
/// >>> _nps.study_trigger_dict(t, t, ["touchpoint"], unit="month")["due"]
/// False
#[pyfunction]
#[pyo3(signature = (
    transactional, relationship, by, *, unit="quarter", window=1, method="adjusted_wald",
    comparison="adjusted_wald", level=0.95, rate=0.05, min_n=30, prior=0.5, replicates=10000,
    seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn study_trigger_dict<'py>(
    py: Python<'py>,
    transactional: &Bound<'py, Table>,
    relationship: &Bound<'py, Table>,
    by: Vec<String>,
    unit: &str,
    window: u32,
    method: &str,
    comparison: &str,
    level: f64,
    rate: f64,
    min_n: u64,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let options = options(
        unit, window, method, comparison, level, rate, min_n, prior, replicates, seed,
    )?;
    let by: Vec<Key> = by.into_iter().map(Key::Dimension).collect();
    let (t, r) = (&transactional.get().0, &relationship.get().0);
    let trigger = py
        .detach(|| nps_core::study_trigger(t, r, &by, &options))
        .or_raise()?;
    let out = PyDict::new(py);
    out.set_item("due", trigger.due)?;
    out.set_item("reason", &trigger.reason)?;
    out.set_item(
        "transactional",
        columns::slope(py, trigger.transactional.slope.as_ref())?,
    )?;
    out.set_item(
        "relationship",
        columns::slope(py, trigger.relationship.slope.as_ref())?,
    )?;
    let rising = PyList::empty(py);
    for s in &trigger.rising {
        rising.append(columns::label(py, &s.levels)?)?;
    }
    out.set_item("rising", rising)?;
    out.set_item("adjustment", columns::adjustment(py, &trigger.adjustment)?)?;
    Ok(out)
}
