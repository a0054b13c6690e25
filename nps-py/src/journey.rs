//! `nps.Journey` (the stage → scene → touchpoint tree) and the journey roll-up of a table
//! (`nps.journey`), as columns.

use nps_core::{GroupOptions, NodeKind};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::columns::{self, Columns};
use crate::display;
use crate::errors::OrRaise;
use crate::estimate;
use crate::json::{self, json_text, json_value};
use crate::table::Table;

/// A customer journey (客户旅程): stages (阶段) → scenes (场景) → touchpoints (触点), checked to
/// be a tree (unique ids, known parents, no cycle, right levels, at least one touchpoint;
/// otherwise ``nps.JourneyError`` naming the node).
///
/// ``Journey(spec)`` takes a dict or its JSON text, in the nested form
/// ``{"stages": [{"id", "name", "scenes": [{"id", "name", "touchpoints": [{"id", "name"}]}]}]}``
/// or the flat form ``{"nodes": [{"id", "name", "kind", "parent"}]}`` (names default to ids).
/// Transactional NPS (the NPS, 净推荐值, asked right after a contact) is collected at
/// touchpoints; ``nps.journey`` rolls it up to scenes and stages. Promoters (推荐者) score
/// 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6. Journeys compare equal by value and
/// pickle.
///
/// >>> import nps
/// >>> j = nps.Journey({"stages": [{"id": "claim", "name": "Claim", "scenes": [
/// ...     {"id": "claim.report", "name": "Reporting", "touchpoints": [
/// ...         {"id": "claim.phone", "name": "By phone"}, {"id": "claim.app"}]}]}]})
/// >>> j.touchpoints
/// ['claim.phone', 'claim.app']
/// >>> j.nodes[3]
/// {'id': 'claim.app', 'name': 'claim.app', 'kind': 'touchpoint', 'parent': 'claim.report'}
/// >>> nps.Journey.from_json(j.to_json()) == j
/// True
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq)]
pub struct Journey(pub(crate) nps_core::Journey);

/// The name of a node kind: "stage", "scene" or "touchpoint".
pub(crate) fn kind(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Stage => "stage",
        NodeKind::Scene => "scene",
        NodeKind::Touchpoint => "touchpoint",
    }
}

#[pymethods]
impl Journey {
    #[new]
    fn new(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::parse(&json_text(py, spec)?)
    }

    /// The journey of a JSON text (nested or flat form).
    ///
    /// >>> import nps
    /// >>> j = nps.Journey.from_json('{"nodes": [{"id": "s", "kind": "stage", "parent": null},'
    /// ...     ' {"id": "c", "kind": "scene", "parent": "s"},'
    /// ...     ' {"id": "t", "kind": "touchpoint", "parent": "c"}]}')
    /// >>> [n["kind"] for n in j.nodes]
    /// ['stage', 'scene', 'touchpoint']
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Self::parse(text)
    }

    /// The journey as compact JSON in the nested form (``from_json`` reads it back).
    ///
    /// >>> import nps
    /// >>> nps.Journey({"nodes": [{"id": "s", "kind": "stage", "parent": None},
    /// ...     {"id": "c", "kind": "scene", "parent": "s"},
    /// ...     {"id": "t", "kind": "touchpoint", "parent": "c"}]}).to_json()[:40]
    /// '{"stages":[{"id":"s","name":"s","scenes"'
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The journey as a dict in the nested form (``to_json`` read by ``json.loads``;
    /// ``nps.Journey(d)`` builds it back).
    ///
    /// >>> import nps
    /// >>> j = nps.Journey({"stages": [{"id": "s", "scenes": [{"id": "c", "touchpoints": [
    /// ...     {"id": "t", "name": "Phone"}]}]}]})
    /// >>> j.to_dict()["stages"][0]["scenes"][0]["touchpoints"]
    /// [{'id': 't', 'name': 'Phone'}]
    /// >>> nps.Journey(j.to_dict()) == j
    /// True
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.0.to_json())
    }

    /// The nodes as a tidy pandas DataFrame, one row per node in tree order: ``id``, ``name``,
    /// ``kind`` ("stage" 阶段, "scene" 场景 or "touchpoint" 触点) and ``parent`` (None for a
    /// stage), as ``nodes`` gives them (needs pandas).
    ///
    /// >>> import nps
    /// >>> j = nps.Journey({"stages": [{"id": "s", "name": "Claim", "scenes": [
    /// ...     {"id": "c", "touchpoints": [{"id": "t", "name": "Phone"}]}]}]})
    /// >>> j.to_pandas()
    ///   id   name        kind parent
    /// 0  s  Claim       stage   None
    /// 1  c      c       scene      s
    /// 2  t  Phone  touchpoint      c
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    /// The nodes in tree order (a stage, each of its scenes followed by the scene's
    /// touchpoints, then the next stage), as dicts with ``id``, ``name``, ``kind`` and
    /// ``parent`` (None for a stage).
    #[getter]
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.0
            .nodes()
            .iter()
            .map(|n| {
                let d = PyDict::new(py);
                d.set_item("id", &n.id)?;
                d.set_item("name", &n.name)?;
                d.set_item("kind", kind(n.kind))?;
                d.set_item("parent", n.parent.as_deref())?;
                Ok(d)
            })
            .collect()
    }

    /// The touchpoint ids, in tree order.
    #[getter]
    fn touchpoints(&self) -> Vec<String> {
        self.0.touchpoints().map(|n| n.id.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.0.nodes().len()
    }

    fn __repr__(&self) -> String {
        format!("Journey.from_json({:?})", self.0.to_json())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.get().0.to_json())
    }
}

impl Journey {
    fn parse(text: &str) -> PyResult<Self> {
        nps_core::Journey::from_json(text).or_raise().map(Journey)
    }
}

/// The columns of ``nps.journey`` for a table: one row per node of ``journey`` in tree order,
/// each touchpoint from the responses whose dimension ``touchpoint`` holds its id, each scene
/// and stage from its children's.
///
/// Returns a dict: ``kind``, ``id``, ``name``, ``parent`` (lists), ``n``, ``share`` (of the
/// journey's answered responses), ``nps``, ``se``, ``low``, ``high`` (NaN without answers) and
/// ``small``. Use ``nps.journey``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> j = nps.Journey({"stages": [{"id": "s", "scenes": [{"id": "c", "touchpoints": [
/// ...     {"id": "t1"}, {"id": "t2"}]}]}]})
/// >>> t = nps.Table.from_columns([10, 0, 9], dimensions={"touchpoint": ["t1", "t1", "t2"]})
/// >>> _nps.journey_columns(t, j, "touchpoint")["n"].tolist()
/// [3, 3, 2, 1]
#[pyfunction]
#[pyo3(signature = (
    table, journey, touchpoint="touchpoint", *, method="adjusted_wald", level=0.95, min_n=30,
    prior=0.5, replicates=10000, seed=20240601,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn journey_columns<'py>(
    py: Python<'py>,
    table: &Bound<'py, Table>,
    journey: &Bound<'py, Journey>,
    touchpoint: &str,
    method: &str,
    level: f64,
    min_n: u64,
    prior: f64,
    replicates: u32,
    seed: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let options = GroupOptions {
        method: estimate::method(method, prior, replicates, seed)?,
        level,
        min_n,
        margins: false,
    };
    let (table, journey) = (&table.get().0, &journey.get().0);
    let rows = py
        .detach(|| nps_core::journey(table, journey, touchpoint, &options))
        .or_raise()?;
    let c = Columns::new(py);
    let estimate =
        |get: fn(&nps_core::Estimate) -> f64| columns::or_nan(&rows, |r| r.estimate.as_ref(), get);
    c.text(
        "kind",
        rows.iter().map(|r| Some(kind(r.kind).to_owned())).collect(),
    )?;
    c.text("id", rows.iter().map(|r| Some(r.id.clone())).collect())?;
    c.text("name", rows.iter().map(|r| Some(r.name.clone())).collect())?;
    c.text("parent", rows.iter().map(|r| r.parent.clone()).collect())?;
    c.array(
        "n",
        rows.iter()
            .map(|r| columns::count(r.tally.n()))
            .collect::<Vec<i64>>(),
    )?;
    c.array("share", rows.iter().map(|r| r.share).collect::<Vec<f64>>())?;
    c.array("nps", estimate(|e| e.nps))?;
    c.array("se", estimate(|e| e.se))?;
    c.array("low", estimate(|e| e.low))?;
    c.array("high", estimate(|e| e.high))?;
    c.array("small", rows.iter().map(|r| r.small).collect::<Vec<bool>>())?;
    Ok(c.into_dict())
}
