//! The group-by (`nps.by`) and the mix/rate attribution (`nps.attribute`) of a table, as columns.

use nps_core::{Error, GroupOptions, Key, Split};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::columns::{self, Columns, EstimateColumns};
use crate::errors::OrRaise;
use crate::estimate::{self, Comparison};
use crate::mergeable::Cube;
use crate::table::Table;

/// The keys of a group-by: the dimensions, then the period of `unit` when given.
pub(crate) fn keys(dimensions: &[String], period: Option<&str>) -> PyResult<Vec<Key>> {
    let mut keys: Vec<Key> = dimensions
        .iter()
        .map(|d| Key::Dimension(d.clone()))
        .collect();
    if let Some(unit) = period {
        keys.push(Key::Period(columns::unit(unit)?));
    }
    Ok(keys)
}

/// The columns of ``nps.by`` for a table or a cube (``nps.Cube``, whose keys must then be
/// ``keys`` and ``period``): one row per combination of ``keys`` (then the period of
/// ``period``, a unit name) that has responses, then the margins when ``margins``.
///
/// Returns a dict: one list per key (values; ``"All"`` in margins; ``None`` for missing
/// values), then the arrays ``n``, ``n_missing``, ``promoters``, ``passives``, ``detractors``,
/// ``nps``, ``se``, ``low``, ``high``, ``small`` and, for a weighted table, ``n_eff`` and
/// ``design_effect``. Numbers are NaN for a group without answered responses. Use ``nps.by``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 9, 3, 8], dimensions={"brand": ["A", "A", "B", "B"]})
/// >>> _nps.group_by_columns(t, ["brand"], method="wald")["nps"].tolist()
/// [100.0, -50.0]
#[pyfunction]
#[pyo3(signature = (
    source, keys, *, period=None, method="adjusted_wald", level=0.95, min_n=30, margins=false,
    prior=0.5, replicates=10000, seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn group_by_columns<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    keys: Vec<String>,
    period: Option<&str>,
    method: &str,
    level: f64,
    min_n: u64,
    margins: bool,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let options = GroupOptions {
        method: estimate::method(method, prior, replicates, seed)?,
        level,
        min_n,
        margins,
    };
    let grouping = match source.cast::<Cube>() {
        Ok(cube) => {
            let cube = cube.get();
            cube.expect(&keys, period)?;
            py.detach(|| cube.0.group_by(&options))
        }
        Err(_) => {
            let keys = self::keys(&keys, period)?;
            let table = &source.cast::<Table>()?.get().0;
            py.detach(|| nps_core::group_by(table, &keys, &options))
        }
    }
    .or_raise()?;
    let weighted = grouping.groups.iter().any(|g| g.tally.is_weighted());
    let columns = Columns::new(py);
    let levels: Vec<&[nps_core::Level]> = grouping.groups.iter().map(|g| &g.levels[..]).collect();
    columns::keys(&columns, &grouping.keys, &levels)?;
    let mut numbers = EstimateColumns::default();
    for g in &grouping.groups {
        numbers.push(&g.tally, g.estimate.as_ref(), g.small);
    }
    numbers.write(&columns, weighted)?;
    Ok(columns.into_dict())
}

/// The parts of ``nps.attribute`` for a table: the NPS change between two periods (``unit``
/// and the period labels ``start``, ``end``) or two values of dimension ``column``, split along
/// each of ``dimensions`` into mix and rate effects.
///
/// Returns a dict: ``columns`` (``dimension``, ``segment``, ``share_from``, ``share_to``,
/// ``nps_from``, ``nps_to``, ``mix``, ``rate``, ``contribution``, ``se``, ``low``, ``high``;
/// segments ranked by contribution within each dimension), ``change`` (an ``nps.Comparison``,
/// end − start) and ``effects`` (per dimension, ``{"mix": …, "rate": …}``). Use
/// ``nps.attribute``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Table.from_columns([10, 0, 10, 10], dimensions={"wave": ["1", "1", "2", "2"],
/// ...                                                          "region": ["N", "S", "N", "S"]})
/// >>> a = _nps.attribute_columns(t, ["region"], column="wave", start="1", end="2")
/// >>> a["change"].difference, a["effects"]["region"]["rate"]
/// (100.0, 100.0)
#[pyfunction]
#[pyo3(signature = (table, dimensions, *, start, end, column=None, unit=None, level=0.95))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn attribute_columns<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    dimensions: Vec<String>,
    start: String,
    end: String,
    column: Option<String>,
    unit: Option<&str>,
    level: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let split = match (column, unit) {
        (Some(dimension), None) => Split::Values {
            dimension,
            from: start,
            to: end,
        },
        (None, Some(unit)) => Split::Periods {
            unit: columns::unit(unit)?,
            from: start,
            to: end,
        },
        (column, _) => {
            return Err(Error::InvalidArgument {
                field: "split",
                value: if column.is_some() {
                    "both column and unit".into()
                } else {
                    "neither column nor unit".into()
                },
                expected: "compare two periods (date and unit, start and end period labels) or \
                           two values of a column (column, start and end values)",
            })
            .or_raise();
        }
    };
    let table = &table.get().0;
    let dims: Vec<&str> = dimensions.iter().map(String::as_str).collect();
    let a = py
        .detach(|| nps_core::attribute(table, &dims, &split, level))
        .or_raise()?;

    let columns = Columns::new(py);
    let rows: Vec<(&str, &nps_core::SegmentEffect)> = a
        .decompositions
        .iter()
        .flat_map(|d| d.segments.iter().map(move |s| (d.dimension.as_str(), s)))
        .collect();
    let f = |get: fn(&nps_core::SegmentEffect) -> f64| -> Vec<f64> {
        rows.iter().map(|(_, s)| get(s)).collect()
    };
    columns.text(
        "dimension",
        rows.iter().map(|(d, _)| Some((*d).to_owned())).collect(),
    )?;
    columns.text(
        "segment",
        rows.iter()
            .map(|(_, s)| columns::level(&s.segment))
            .collect(),
    )?;
    columns.array("share_from", f(|s| s.share_from))?;
    columns.array("share_to", f(|s| s.share_to))?;
    columns.array("nps_from", f(|s| s.nps_from.unwrap_or(f64::NAN)))?;
    columns.array("nps_to", f(|s| s.nps_to.unwrap_or(f64::NAN)))?;
    columns.array("mix", f(|s| s.mix))?;
    columns.array("rate", f(|s| s.rate))?;
    columns.array("contribution", f(|s| s.contribution))?;
    columns.array("se", f(|s| s.se))?;
    columns.array("low", f(|s| s.low))?;
    columns.array("high", f(|s| s.high))?;

    let effects = PyDict::new(py);
    for d in &a.decompositions {
        let e = PyDict::new(py);
        e.set_item("mix", d.mix)?;
        e.set_item("rate", d.rate)?;
        effects.set_item(&d.dimension, e)?;
    }
    let out = PyDict::new(py);
    out.set_item("columns", columns.into_dict())?;
    out.set_item("change", Comparison(a.change))?;
    out.set_item("effects", effects)?;
    Ok(out)
}
