//! The competitor benchmark (`nps.benchmark`) of a table, as columns.

use nps_core::{BenchmarkOptions, BrandRow, DriverMean, Gain};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::columns::{self, Columns};
use crate::errors::OrRaise;
use crate::segments;
use crate::table::Table;

/// The parts of ``nps.benchmark`` for a table: the own brand ``own`` (a value of dimension
/// ``brand``) against every other brand, overall and per value of each key of ``by`` (then of
/// the period of ``period``, a unit name); with ``unit``, the competitors whose NPS rises; and
/// the mean rating of every driver of the table per brand.
///
/// Returns a dict: ``rows`` (``dimension``, ``segment``, ``brand``, ``n``, ``nps``, ``low``,
/// ``high``, ``small``, ``rank``, ``gap``, ``gap_low``, ``gap_high``, ``gap_p``, ``gap_q``,
/// ``gap_significant``), ``gains`` (``brand``, ``dimension``, ``segment``, ``slope``,
/// ``slope_low``, ``slope_high``, ``slope_q``, ``own_slope``), ``drivers`` (``driver``,
/// ``brand``, ``n``, ``mean``, ``sd``, ``low``, ``high``, ``gap_to_best``,
/// ``best_competitor``, ``gap_p``) and ``adjustment`` (of the gaps). Use ``nps.benchmark``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 10, 0, 10], dimensions={"brand": ["Own", "Own", "B", "B"]})
/// >>> b = _nps.benchmark_columns(t, "brand", "Own", [], comparison="wald")
/// >>> b["rows"]["brand"], b["rows"]["gap"].tolist()
/// (['B', 'Own'], [100.0, nan])
#[pyfunction]
#[pyo3(signature = (
    table, brand, own, by, *, period=None, unit=None, method="adjusted_wald",
    comparison="adjusted_wald", level=0.95, rate=0.05, min_n=30, prior=0.5, replicates=10000,
    seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn benchmark_columns<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    brand: &str,
    own: &str,
    by: Vec<String>,
    period: Option<&str>,
    unit: Option<&str>,
    method: &str,
    comparison: &str,
    level: f64,
    rate: f64,
    min_n: u64,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let (method, comparison) = columns::methods(method, comparison, prior, replicates, seed)?;
    let options = BenchmarkOptions {
        method,
        comparison,
        level,
        rate,
        min_n,
    };
    let by = segments::keys(&by, period)?;
    let unit = unit.map(columns::unit).transpose()?;
    let table = &table.get().0;
    let b = py
        .detach(|| nps_core::benchmark(table, brand, own, &by, unit, &options))
        .or_raise()?;
    let out = PyDict::new(py);
    out.set_item("rows", rows(py, &b.rows)?)?;
    out.set_item("gains", gains(py, &b.gains)?)?;
    out.set_item("drivers", drivers(py, &b.drivers)?)?;
    out.set_item("adjustment", columns::adjustment(py, &b.gaps_adjustment)?)?;
    Ok(out)
}

fn rows<'py>(py: Python<'py>, rows: &[BrandRow]) -> PyResult<Bound<'py, PyDict>> {
    let c = Columns::new(py);
    let estimate =
        |get: fn(&nps_core::Estimate) -> f64| columns::or_nan(rows, |r| r.estimate.as_ref(), get);
    let gap = |get: fn(&nps_core::Gap) -> f64| columns::or_nan(rows, |r| r.gap.as_ref(), get);
    c.text(
        "dimension",
        rows.iter().map(|r| r.dimension.clone()).collect(),
    )?;
    c.text(
        "segment",
        rows.iter().map(|r| columns::level(&r.segment)).collect(),
    )?;
    c.text(
        "brand",
        rows.iter().map(|r| Some(r.brand.clone())).collect(),
    )?;
    c.array(
        "n",
        rows.iter()
            .map(|r| r.estimate.map_or(0, |e| columns::count(e.n)))
            .collect::<Vec<i64>>(),
    )?;
    c.array("nps", estimate(|e| e.nps))?;
    c.array("low", estimate(|e| e.low))?;
    c.array("high", estimate(|e| e.high))?;
    c.array("small", rows.iter().map(|r| r.small).collect::<Vec<bool>>())?;
    c.any(
        "rank",
        rows.iter().map(|r| r.rank).collect::<Vec<Option<u32>>>(),
    )?;
    c.array("gap", gap(|g| g.comparison.difference))?;
    c.array("gap_low", gap(|g| g.comparison.low))?;
    c.array("gap_high", gap(|g| g.comparison.high))?;
    c.array("gap_p", gap(|g| g.comparison.p_value))?;
    c.array("gap_q", gap(|g| g.q_value))?;
    c.array(
        "gap_significant",
        rows.iter()
            .map(|r| r.gap.is_some_and(|g| g.significant))
            .collect::<Vec<bool>>(),
    )?;
    Ok(c.into_dict())
}

fn gains<'py>(py: Python<'py>, gains: &[Gain]) -> PyResult<Bound<'py, PyDict>> {
    let c = Columns::new(py);
    let slope = |get: fn(&nps_core::Slope) -> f64| -> Vec<f64> {
        gains.iter().map(|g| get(&g.slope)).collect()
    };
    c.text(
        "brand",
        gains.iter().map(|g| Some(g.brand.clone())).collect(),
    )?;
    c.text(
        "dimension",
        gains.iter().map(|g| g.dimension.clone()).collect(),
    )?;
    c.text(
        "segment",
        gains.iter().map(|g| columns::level(&g.segment)).collect(),
    )?;
    c.array("slope", slope(|s| s.per_period))?;
    c.array("slope_low", slope(|s| s.low))?;
    c.array("slope_high", slope(|s| s.high))?;
    c.array("slope_q", slope(|s| s.q_value))?;
    c.array(
        "own_slope",
        gains
            .iter()
            .map(|g| g.own_slope.map_or(f64::NAN, |s| s.per_period))
            .collect::<Vec<f64>>(),
    )?;
    Ok(c.into_dict())
}

fn drivers<'py>(py: Python<'py>, drivers: &[DriverMean]) -> PyResult<Bound<'py, PyDict>> {
    let c = Columns::new(py);
    let f = |get: fn(&DriverMean) -> f64| -> Vec<f64> { drivers.iter().map(get).collect() };
    c.text(
        "driver",
        drivers.iter().map(|d| Some(d.driver.clone())).collect(),
    )?;
    c.text(
        "brand",
        drivers.iter().map(|d| Some(d.brand.clone())).collect(),
    )?;
    c.array(
        "n",
        drivers
            .iter()
            .map(|d| columns::count(d.n))
            .collect::<Vec<i64>>(),
    )?;
    c.array("mean", f(|d| d.mean))?;
    c.array("sd", f(|d| d.sd))?;
    c.array("low", f(|d| d.low))?;
    c.array("high", f(|d| d.high))?;
    c.array("gap_to_best", f(|d| d.gap_to_best.unwrap_or(f64::NAN)))?;
    c.text(
        "best_competitor",
        drivers.iter().map(|d| d.best_competitor.clone()).collect(),
    )?;
    c.array("gap_p", f(|d| d.gap_p_value.unwrap_or(f64::NAN)))?;
    Ok(c.into_dict())
}
