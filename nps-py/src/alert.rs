//! The closed loop (闭环) in Python: `nps.AlertPolicy`, `nps.AlertQueue`, `nps.Alerter`, and the
//! column functions behind `nps.alerts` and `nps.callback_outcomes` (`nps._alerts`).
//!
//! As for tables, the Python side converts the caller's columns with numpy, pandas or polars
//! (`nps._convert`: times as `int64` seconds, customers and touchpoints dictionary encoded as
//! categories and `uint32` codes, comments as a list of str/None); this side hands them to the
//! core with the GIL released and names the DataFrame's column in the core's errors.

use std::collections::HashMap;

use nps_core::{
    Alert, AlertUpdate, Callbacks, Dimension, Error, Policy, Queue, Response, Responses, ScoreValue,
};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyType};

use crate::columns::{ALL, Columns, count};
use crate::display;
use crate::errors::{self, OrRaise, in_column};
use crate::json::{self, json_text, json_value};
use crate::scale::Scale as PyScale;
use crate::values::{is_missing, time_of, type_name};

/// An alert policy for the closed loop (闭环): which responses raise a call-back (回访) alert,
/// how urgent it is (priority 1 = 危机处理, crisis handling), who owns it and by when it must be
/// handled (its service level).
///
/// ``AlertPolicy(spec)`` takes a dict or its JSON text (``AlertPolicy.from_json``), checked up
/// front: an unknown key, a negative service level, a pattern that does not compile, a rule with
/// no condition or no owner raise ``nps.PolicyError`` naming the rule. The format:
///
/// - policy keys: ``rules`` (required), ``scale`` (default 0–10, detractors 0–6, promoters
///   9–10), ``merge_window_hours`` (default 0: no merging), ``departments`` (touchpoint →
///   owner), ``default_owner``;
/// - rule keys: ``name``, ``when``, ``priority`` (1 = most urgent), ``service_level_hours``
///   (all required; due = created + service level), ``owner`` (else the touchpoint's
///   department, else ``default_owner``);
/// - conditions (in ``when``, all must hold; within a list any element suffices):
///   ``touchpoints`` (触点), ``score`` (``{"min": 0, "max": 6}``), ``category`` (``"detractor"``
///   贬损者, ``"passive"`` 被动者, ``"promoter"`` 推荐者), ``drop`` (previous − score ≥ drop),
///   ``min_value`` (customer value ≥), ``keywords`` (any, case-insensitive; Latin keywords as
/// whole words, so "sue" does not fire on "issue"; Chinese ones as substrings) and ``pattern`` (a
/// regular expression, Rust ``regex`` syntax).
///
/// Policies compare equal by value and pickle (as JSON).
///
/// >>> import nps
/// >>> policy = nps.AlertPolicy({
/// ...     "merge_window_hours": 24,
/// ...     "departments": {"claim.app_upload": "理赔部 Claims"},
/// ...     "default_owner": "客户体验部 CX",
/// ...     "rules": [
/// ...         {"name": "crisis", "when": {"keywords": ["投诉", "媒体"]}, "priority": 1,
/// ...          "owner": "危机处理 Crisis team", "service_level_hours": 2},
/// ...         {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
/// ...          "service_level_hours": 24}]})
/// >>> policy
/// AlertPolicy(rules=['crisis', 'detractor'], merge_window_hours=24.0)
/// >>> nps.AlertPolicy.from_json(policy.to_json()) == policy
/// True
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq, Clone)]
pub struct AlertPolicy(pub(crate) Policy);

#[pymethods]
impl AlertPolicy {
    #[new]
    fn new(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        policy_of(py, spec).map(AlertPolicy)
    }

    /// The policy of a JSON text (the format above); ``nps.PolicyError`` naming the rule for
    /// anything wrong in it.
    ///
    /// >>> import nps
    /// >>> nps.AlertPolicy.from_json('{"default_owner": "CX", "rules": [{"name": "low",'
    /// ...     ' "when": {"scor": {"max": 6}}, "priority": 1, "service_level_hours": 24}]}')
    /// Traceback (most recent call last):
    /// ...
    /// nps.PolicyError: alert rule "low" cannot be read: unknown field `scor`, expected one of ...
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Policy::from_json(text).or_raise().map(AlertPolicy)
    }

    /// The policy as JSON text, pretty-printed, every default written out (``from_json`` reads
    /// it back).
    ///
    /// >>> import nps
    /// >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
    /// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    /// >>> p.to_json().splitlines()[:3]
    /// ['{', '  "scale": {', '    "min": 0,']
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The policy as a dict (``to_json`` read by ``json.loads``; ``nps.AlertPolicy(d)`` builds
    /// it back).
    ///
    /// >>> import nps
    /// >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
    /// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    /// >>> p.to_dict()["rules"]
    /// [{'name': 'low', 'when': {'score': {'max': 6}}, 'priority': 1, 'service_level_hours': 24.0}]
    /// >>> nps.AlertPolicy(p.to_dict()) == p
    /// True
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.0.to_json())
    }

    /// The names of the rules, in policy order.
    #[getter]
    fn rules(&self) -> Vec<String> {
        self.0.spec().rules.iter().map(|r| r.name.clone()).collect()
    }

    /// Responses of one customer less than this many hours after the customer's open alert
    /// was created are merged into it (0: never).
    #[getter]
    fn merge_window_hours(&self) -> f64 {
        self.0.spec().merge_window_hours
    }

    /// The scale of the scores (``nps.Scale``).
    #[getter]
    fn scale(&self) -> PyScale {
        PyScale(self.0.scale())
    }

    /// One row per rule, in policy order: ``name``, ``priority``, ``owner`` (the rule's own, or
    /// None when the touchpoint's department or the default owner takes the call-back),
    /// ``service_level_hours`` and ``when`` (the conditions, a dict). Needs pandas.
    ///
    /// >>> import nps
    /// >>> p = nps.AlertPolicy({"default_owner": "CX", "rules": [
    /// ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
    /// ...      "owner": "危机处理", "service_level_hours": 2},
    /// ...     {"name": "low", "when": {"score": {"max": 6}}, "priority": 2,
    /// ...      "service_level_hours": 24}]})
    /// >>> p.to_pandas()[["name", "priority", "owner", "service_level_hours"]]
    ///      name  priority owner  service_level_hours
    /// 0  crisis         1  危机处理                  2.0
    /// 1     low         2  None                 24.0
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "AlertPolicy(rules={}, merge_window_hours={})",
            self.rules().into_pyobject(py)?.repr()?,
            PyFloat::new(py, self.merge_window_hours()).repr()?,
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.get().0.to_json())
    }
}

/// A policy from an `AlertPolicy`, a JSON text or anything `json.dumps` writes (a dict).
pub(crate) fn policy_of(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Policy> {
    if let Ok(p) = spec.cast::<AlertPolicy>() {
        return Ok(p.get().0.clone());
    }
    Policy::from_json(&json_text(py, spec)?).or_raise()
}

/// The prioritised call-back (回访) queue of the closed loop (闭环): one alert per customer to
/// call back, sorted by priority (1 = 危机处理, crisis handling, first), then due time, then id;
/// what ``nps.alerts`` returns.
///
/// Each alert (iterating gives dicts; ``to_pandas`` a DataFrame) has ``id`` (1, 2, 3… in the
/// order alerts were opened), ``customer``, ``touchpoint`` (触点) and ``score`` of the opening
/// response, ``owner``, ``priority``, ``created_at`` (the opening response's time) and
/// ``due_at`` = the earliest (response time + service level) of its firings, ``rules`` (the
/// rules fired, in order of first firing) and ``responses`` (row positions of the responses
/// merged into it, the opening one first). In the dicts and ``to_dict`` times are whole
/// seconds since 1970-01-01 UTC; ``to_pandas`` gives pandas Timestamps (naive, in UTC).
///
/// Queues compare equal by value and pickle (as JSON); ``len`` is the number of alerts.
///
/// >>> import pandas as pd, nps
/// >>> policy = {"merge_window_hours": 24, "default_owner": "CX", "rules": [
/// ...     {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
/// ...      "service_level_hours": 24},
/// ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
/// ...      "owner": "危机处理", "service_level_hours": 2}]}
/// >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:00",
/// ...                                          "2025-01-01 10:00"]),
/// ...                    "customer": ["A", "B", "A"], "touchpoint": "claim",
/// ...                    "ltr": [3, 9, 2], "comment": [None, "很好", "我要投诉"]})
/// >>> queue = nps.alerts(df, policy, comment="comment")
/// >>> len(queue)
/// 1
/// >>> a = next(iter(queue))
/// >>> a["customer"], a["owner"], a["priority"], a["rules"], a["responses"]
/// ('A', '危机处理', 1, ['detractor', 'crisis'], [0, 2])
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq)]
pub struct AlertQueue(pub(crate) Queue);

#[pymethods]
impl AlertQueue {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.list(py)?.into_any().try_iter()?.into_any())
    }

    /// The alert with id ``id`` as a dict (as iterating gives it), or None.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"at": [0, 60], "customer": ["A", "B"], "touchpoint": "web",
    /// ...                    "ltr": [3, 1]})
    /// >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
    /// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    /// >>> q.get(2)["customer"], q.get(2)["due_at"], q.get(3)
    /// ('B', 86460, None)
    fn get<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.0.get(id).map(|a| alert_dict(py, a)).transpose()
    }

    /// The scale of the scores (``nps.Scale``), needed to tell detractor alerts.
    #[getter]
    fn scale(&self) -> PyScale {
        PyScale(self.0.scale())
    }

    /// The queue as a dict: ``scale`` (as ``nps.Scale.to_dict``) and ``alerts`` (a list of
    /// dicts in queue order, as iterating gives them; times in seconds since 1970-01-01 UTC);
    /// what ``to_json`` writes.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"at": [0], "customer": ["A"], "touchpoint": "web", "ltr": [3]})
    /// >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
    /// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    /// >>> q.to_dict()["alerts"]  # doctest: +NORMALIZE_WHITESPACE
    /// [{'id': 1, 'customer': 'A', 'touchpoint': 'web', 'owner': 'CX', 'priority': 1,
    ///   'created_at': 0, 'due_at': 86400, 'rules': ['low'], 'responses': [0], 'score': 3}]
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("scale", PyScale(self.0.scale()).to_dict(py)?)?;
        d.set_item("alerts", self.list(py)?)?;
        Ok(d)
    }

    /// The queue as compact JSON text (``AlertQueue.from_json`` reads it back, checking it).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(errors::bad_state)
    }

    /// A queue from ``to_json`` text (alerts in any order are sorted into queue order; two
    /// alerts with one id, or a score off the scale, raise ``InvalidArgumentError``).
    ///
    /// >>> import nps
    /// >>> q = nps.AlertQueue.from_json('{"scale": {"min": 0, "max": 10, "detractor_max": 6,'
    /// ...     ' "promoter_min": 9}, "alerts": []}')
    /// >>> len(q), nps.AlertQueue.from_json(q.to_json()) == q
    /// (0, True)
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(AlertQueue)
            .map_err(errors::bad_state)
    }

    /// One row per alert, in queue order: ``id``, ``customer``, ``touchpoint``, ``owner``,
    /// ``priority``, ``created_at`` and ``due_at`` (pandas Timestamps, naive, in UTC),
    /// ``score`` (nullable Int64: NA for an alert opened by an unanswered question), ``rules``
    /// (list of names), ``merged`` (number of responses merged into the alert) and
    /// ``responses`` (their row positions). Needs pandas.
    ///
    /// >>> import pandas as pd, nps
    /// >>> df = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 08:00", "2025-01-01 09:30"]),
    /// ...                    "customer": ["A", "B"], "touchpoint": ["web", "app"],
    /// ...                    "ltr": [5, 0]})
    /// >>> q = nps.alerts(df, {"default_owner": "CX", "rules": [
    /// ...     {"name": "low", "when": {"score": {"max": 6}}, "priority": 2,
    /// ...      "service_level_hours": 24},
    /// ...     {"name": "zero", "when": {"score": {"max": 0}}, "priority": 1,
    /// ...      "service_level_hours": 4}]})
    /// >>> q.to_pandas()[["id", "customer", "priority", "due_at", "rules"]]
    ///    id customer  priority              due_at        rules
    /// 0   2        B         1 2025-01-01 13:30:00  [low, zero]
    /// 1   1        A         2 2025-01-02 08:00:00        [low]
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    /// The alerts by column, for ``to_pandas`` and the HTML view: numbers as numpy arrays
    /// (``created_at``, ``due_at`` in seconds; ``score`` float, NaN for none), texts and lists
    /// as lists.
    fn _columns<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let alerts = self.0.alerts();
        let c = Columns::new(py);
        let numbers = |f: fn(&Alert) -> i64| alerts.iter().map(f).collect::<Vec<i64>>();
        c.array("id", numbers(|a| i64::try_from(a.id).unwrap_or(i64::MAX)))?;
        // Owners, touchpoints and rule names repeat: one Python string each.
        let mut texts = Texts::new(py);
        let customer = PyList::empty(py);
        let touchpoint = PyList::empty(py);
        let owner = PyList::empty(py);
        let rules = PyList::empty(py);
        let responses = PyList::empty(py);
        for a in alerts {
            customer.append(PyString::new(py, &a.customer))?;
            touchpoint.append(a.touchpoint.as_deref().map(|t| texts.get(t)))?;
            owner.append(texts.get(&a.owner))?;
            rules.append(PyList::new(py, a.rules.iter().map(|r| texts.get(r)))?)?;
            responses.append(PyList::new(py, &a.responses)?)?;
        }
        c.any("customer", customer)?;
        c.any("touchpoint", touchpoint)?;
        c.any("owner", owner)?;
        c.array("priority", numbers(|a| i64::from(a.priority)))?;
        c.array("created_at", numbers(|a| a.created_at))?;
        c.array("due_at", numbers(|a| a.due_at))?;
        c.array(
            "score",
            alerts
                .iter()
                .map(|a| a.score.map_or(f64::NAN, f64::from))
                .collect::<Vec<_>>(),
        )?;
        c.any("rules", rules)?;
        c.array("merged", numbers(|a| count(a.merged() as u64)))?;
        c.any("responses", responses)?;
        Ok(c.into_dict())
    }

    fn __repr__(&self) -> String {
        let mut priorities: Vec<(u8, usize)> = Vec::new();
        for a in self.0.alerts() {
            // Alerts are in priority order: each priority is one run.
            match priorities.last_mut() {
                Some((p, n)) if *p == a.priority => *n += 1,
                _ => priorities.push((a.priority, 1)),
            }
        }
        let by: Vec<String> = priorities
            .iter()
            .map(|(p, n)| format!("{p}: {n}"))
            .collect();
        format!(
            "AlertQueue(alerts={}, by_priority={{{}}})",
            self.0.len(),
            by.join(", ")
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.get().to_json()?)
    }
}

impl AlertQueue {
    /// The alerts as dicts, in queue order.
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for a in self.0.alerts() {
            list.append(alert_dict(py, a)?)?;
        }
        Ok(list)
    }
}

/// Python strings of repeated texts, made once each.
struct Texts<'py, 's> {
    py: Python<'py>,
    made: HashMap<&'s str, Bound<'py, PyString>>,
}

impl<'py, 's> Texts<'py, 's> {
    fn new(py: Python<'py>) -> Self {
        Texts {
            py,
            made: HashMap::new(),
        }
    }

    fn get(&mut self, text: &'s str) -> Bound<'py, PyString> {
        let py = self.py;
        self.made
            .entry(text)
            .or_insert_with(|| PyString::new(py, text))
            .clone()
    }
}

/// An alert as a dict, keys in the order of its JSON form.
fn alert_dict<'py>(py: Python<'py>, a: &Alert) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    fill(&d, a)?;
    Ok(d)
}

fn fill(d: &Bound<'_, PyDict>, a: &Alert) -> PyResult<()> {
    d.set_item("id", a.id)?;
    d.set_item("customer", &a.customer)?;
    d.set_item("touchpoint", a.touchpoint.as_deref())?;
    d.set_item("owner", &a.owner)?;
    d.set_item("priority", a.priority)?;
    d.set_item("created_at", a.created_at)?;
    d.set_item("due_at", a.due_at)?;
    d.set_item("rules", &a.rules)?;
    d.set_item("responses", &a.responses)?;
    d.set_item("score", a.score)?;
    Ok(())
}

/// Raises call-back (回访) alerts from a stream of responses, one at a time, as they arrive:
/// the real-time side of the closed loop (闭环; 危机处理, crisis handling, is real time).
///
/// ``push`` each response in time order (an earlier time than the previous response raises
/// ``InvalidArgumentError`` and changes nothing); it returns None when no rule fires, else a dict
/// describing the alert as it now is: ``event`` ("opened" or "merged") and the alert's keys as
/// ``nps.AlertQueue`` gives them (times in seconds since 1970-01-01 UTC; ``responses`` are push
/// positions, 0 for the first response pushed). Pushing a batch in time order and keeping the
/// last event of each alert id gives exactly ``nps.alerts`` of the batch.
///
/// Memory is bounded by the alerts still open for merging (``open_alerts``: customers alerted
/// within one merge window of the latest response), whatever the length of the stream.
/// Alerters pickle (``to_json`` / ``Alerter.from_json``), so a stream resumes exactly after a
/// restart (same ids, merges and positions as without it), and compare equal by state.
///
/// >>> import nps
/// >>> alerter = nps.Alerter({"merge_window_hours": 24, "default_owner": "CX", "rules": [
/// ...     {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2,
/// ...      "service_level_hours": 24},
/// ...     {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1,
/// ...      "owner": "危机处理", "service_level_hours": 2}]})
/// >>> e = alerter.push("2025-01-01T08:00:00", "C-1", "claim", 3)
/// >>> e["event"], e["id"], e["owner"], e["due_at"] - e["created_at"]
/// ('opened', 1, 'CX', 86400)
/// >>> alerter.push("2025-01-01T08:05:00", "C-2", "claim", 10) is None
/// True
/// >>> e = alerter.push("2025-01-01T09:00:00", "C-1", "claim", 2, comment="我要投诉")
/// >>> e["event"], e["id"], e["owner"], e["priority"], e["rules"], e["responses"]
/// ('merged', 1, '危机处理', 1, ['detractor', 'crisis'], [0, 2])
/// >>> alerter.open_alerts, alerter.pushed
/// (1, 3)
/// >>> import pickle
/// >>> resumed = pickle.loads(pickle.dumps(alerter))   # e.g. saved before a restart
/// >>> resumed == alerter
/// True
/// >>> e = resumed.push("2025-01-01T10:00:00", "C-1", "claim", 1)
/// >>> e["event"], e["id"], e["responses"]
/// ('merged', 1, [0, 2, 3])
#[pyclass(module = "nps", eq)]
#[derive(PartialEq)]
pub struct Alerter(nps_core::Alerter);

#[pymethods]
impl Alerter {
    #[new]
    #[pyo3(signature = (policy, *, first_id=1))]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>, first_id: u64) -> PyResult<Self> {
        let policy = policy_of(py, policy)?;
        Ok(Alerter(
            nps_core::Alerter::new(policy).starting_at(first_id),
        ))
    }

    /// Evaluates one response; None when no rule fires, else the opened or merged alert as a
    /// dict with ``event`` ("opened" or "merged").
    ///
    /// Parameters
    /// ----------
    /// at : int, datetime, numpy.datetime64, pandas Timestamp or ISO 8601 text
    ///     When the response was given: whole seconds since 1970-01-01 UTC, or a time (naive
    ///     times are taken as UTC, aware ones converted; fractions of a second are floored).
    ///     Not earlier than the previous response's.
    /// customer : str
    ///     The customer to call back (other values are taken as ``str(value)``).
    /// touchpoint : str or None
    ///     The touchpoint (触点) the response is about.
    /// score : int, float or None
    ///     The recommend score (None or NaN: not answered).
    /// previous : int, float or None
    ///     The customer's previous score, for ``drop`` rules.
    /// value : float or None
    ///     The customer's value, for ``min_value`` rules.
    /// comment : str or None
    ///     The free-text comment; an empty or blank comment counts as none (as in
    ///     ``nps.alerts``).
    ///
    /// Errors name the response's position (the number of responses pushed before it): an
    /// earlier time (``InvalidArgumentError``), a score off the scale (``InvalidScoreError``), a
    /// previous score off the scale or an infinite value (``InvalidArgumentError``), a NaT time
    /// (``InvalidDateError``); nothing changes on error.
    ///
    /// >>> import nps
    /// >>> a = nps.Alerter({"default_owner": "CX", "rules": [{"name": "low",
    /// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
    /// >>> a.push(100, "C-1", "web", 4)["due_at"]
    /// 86500
    /// >>> a.push(50, "C-2", "web", 4)
    /// Traceback (most recent call last):
    /// ...
    /// nps.InvalidArgumentError: at is 50 at index 1, earlier than the previous response's 100; ...
    #[pyo3(signature = (at, customer, touchpoint, score, previous=None, value=None, comment=None))]
    #[allow(clippy::too_many_arguments)] // the Python signature
    fn push<'py>(
        &mut self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        customer: &Bound<'py, PyAny>,
        touchpoint: &Bound<'py, PyAny>,
        score: &Bound<'py, PyAny>,
        previous: Option<&Bound<'py, PyAny>>,
        value: Option<&Bound<'py, PyAny>>,
        comment: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let index = self.0.pushed();
        let scale = self.0.policy().scale();
        let at = time_of(py, at, index)?;
        let customer = match text_of(customer)? {
            Some(c) => c,
            None => {
                return Err(errors::raise(Error::InvalidArgument {
                    field: "customer",
                    value: format!("missing at index {index}"),
                    expected: "every response names its customer (the one to call back)",
                }));
            }
        };
        let touchpoint = text_of(touchpoint)?;
        let score = match number_of(score, "score")? {
            None => None,
            Some(s) => Some(whole(s).ok_or_else(|| {
                errors::raise(Error::InvalidScore {
                    index: index as usize,
                    value: s,
                    min: scale.min(),
                    max: scale.max(),
                })
            })?),
        };
        let previous = match previous.map(|p| number_of(p, "previous")).transpose()? {
            None | Some(None) => None,
            Some(Some(p)) => Some(whole(p).ok_or_else(|| {
                errors::raise(Error::InvalidArgument {
                    field: "previous",
                    value: format!("{p} at index {index}"),
                    expected: "a whole score on the policy's scale, or None",
                })
            })?),
        };
        let value = value.map(|v| number_of(v, "value")).transpose()?.flatten();
        let comment = match comment {
            None => None,
            Some(c) if is_missing(c) => None,
            Some(c) => Some(
                c.cast::<PyString>()
                    .map_err(|_| {
                        PyTypeError::new_err(format!(
                            "comment must be a str or None, got {}",
                            type_name(c)
                        ))
                    })?
                    .to_cow()?
                    .into_owned(),
            ),
        };
        let response = Response {
            at,
            customer: &customer,
            touchpoint: touchpoint.as_deref(),
            score,
            previous,
            value,
            comment: comment.as_deref().filter(|c| !c.trim().is_empty()),
        };
        let Some(update) = self.0.push(&response).or_raise()? else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        let event = match update {
            AlertUpdate::Opened(_) => "opened",
            AlertUpdate::Merged(_) => "merged",
        };
        d.set_item("event", event)?;
        fill(&d, update.alert())?;
        Ok(Some(d))
    }

    /// Number of alerts held open for merging: the customers alerted less than one merge
    /// window before the latest response (0 when the policy never merges).
    #[getter]
    fn open_alerts(&self) -> usize {
        self.0.open_alerts()
    }

    /// Number of responses pushed successfully (the position of the next one).
    #[getter]
    fn pushed(&self) -> u64 {
        self.0.pushed()
    }

    /// The id the next alert opened will get.
    #[getter]
    fn next_id(&self) -> u64 {
        self.0.next_id()
    }

    /// The policy (``nps.AlertPolicy``).
    #[getter]
    fn policy(&self) -> AlertPolicy {
        AlertPolicy(self.0.policy().clone())
    }

    /// The alerter's whole state as JSON text: the policy, the alerts still open for merging,
    /// their expiry queue, the latest time, the next id and the number of responses pushed.
    /// ``Alerter.from_json`` resumes the stream exactly.
    ///
    /// >>> import nps
    /// >>> a = nps.Alerter({"merge_window_hours": 24, "default_owner": "CX",
    /// ...     "rules": [{"name": "low", "when": {"score": {"max": 6}}, "priority": 1,
    /// ...                "service_level_hours": 24}]})
    /// >>> _ = a.push(100, "C-1", "web", 4)
    /// >>> nps.Alerter.from_json(a.to_json()) == a
    /// True
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(errors::bad_state)
    }

    /// An alerter from ``to_json`` text, checked (a valid policy, and a state the alerter could
    /// have reached: each open alert's customer once and inside the merge window of the latest
    /// response, ids below the next one, one expiry entry per open alert in time order…);
    /// ``InvalidArgumentError`` saying what is wrong otherwise.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(Alerter)
            .map_err(errors::bad_state)
    }

    fn __repr__(&self) -> String {
        format!(
            "Alerter(pushed={}, open_alerts={}, next_id={})",
            self.0.pushed(),
            self.0.open_alerts(),
            self.0.next_id()
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.borrow().to_json()?)
    }
}

/// A text argument as `str(v)`, `None` when missing.
fn text_of(v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if is_missing(v) {
        return Ok(None);
    }
    Ok(Some(v.str()?.to_cow()?.into_owned()))
}

/// A number argument as `f64`, `None` when missing (NaN included); `TypeError` naming the
/// argument for booleans, texts and other objects.
fn number_of(v: &Bound<'_, PyAny>, name: &str) -> PyResult<Option<f64>> {
    if is_missing(v) {
        return Ok(None);
    }
    let not_a_number = || {
        PyTypeError::new_err(format!(
            "{name} must be a number (None or NaN when missing), got {}",
            type_name(v)
        ))
    };
    if v.is_instance_of::<pyo3::types::PyBool>() || type_name(v) == "bool" {
        return Err(not_a_number());
    }
    if v.is_instance_of::<PyString>() {
        return Err(not_a_number());
    }
    let x: f64 = v.extract().map_err(|_| not_a_number())?;
    Ok((!x.is_nan()).then_some(x))
}

/// A score as a byte when it is a whole number 0..=255 (the core checks the scale).
fn whole(x: f64) -> Option<u8> {
    (x.fract() == 0.0 && (0.0..=255.0).contains(&x)).then_some(x as u8)
}

// --- Column functions ---------------------------------------------------------------------------

/// A dictionary-encoded column from `(categories, uint32 codes)` (`nps._convert.dimension_codes`).
fn dimension(name: &str, part: &Bound<'_, PyAny>) -> PyResult<Dimension> {
    let (levels, codes): (Vec<String>, Bound<'_, PyAny>) = part.extract()?;
    let codes = codes.cast::<PyArray1<u32>>()?.try_readonly()?;
    Dimension::new(name, levels, codes.as_slice()?.to_vec()).or_raise()
}

/// The call-back queue of a batch of responses by column (what ``nps.alerts`` computes).
///
/// ``at``: int64 seconds since 1970-01-01 UTC; ``customer`` and ``touchpoint``: (categories,
/// uint32 codes), missing = 2³² − 1; ``score``: a numeric array (NaN = not answered);
/// ``previous`` and ``value``: float64 arrays (NaN = none) or None; ``comment``: a list of str
/// or None, or None; ``names``: argument → DataFrame column name, for errors. Use
/// ``nps.alerts``.
///
/// >>> import numpy as np, nps
/// >>> from nps import _nps
/// >>> policy = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
/// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
/// >>> q = _nps.alerts_columns(policy, np.array([0, 60]),
/// ...                         (["A", "B"], np.array([0, 1], np.uint32)),
/// ...                         (["web"], np.array([0, 0], np.uint32)), np.array([3.0, 9.0]))
/// >>> [a["customer"] for a in q]
/// ['A']
#[pyfunction]
#[pyo3(signature = (
    policy, at, customer, touchpoint, score, previous=None, value=None, comment=None, names=None,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn alerts_columns(
    py: Python<'_>,
    policy: &Bound<'_, AlertPolicy>,
    at: &Bound<'_, PyAny>,
    customer: &Bound<'_, PyAny>,
    touchpoint: &Bound<'_, PyAny>,
    score: &Bound<'_, PyAny>,
    previous: Option<&Bound<'_, PyAny>>,
    value: Option<&Bound<'_, PyAny>>,
    comment: Option<Vec<Option<String>>>,
    names: Option<&Bound<'_, PyDict>>,
) -> PyResult<AlertQueue> {
    let names = names.cloned().unwrap_or_else(|| PyDict::new(py));
    let at = at.cast::<PyArray1<i64>>()?.try_readonly()?;
    let customers = dimension("customer", customer)?;
    let touchpoints = dimension("touchpoint", touchpoint)?;
    let previous = previous
        .map(|p| p.cast::<PyArray1<f64>>().map(|a| a.try_readonly()))
        .transpose()?
        .transpose()?;
    let value = value
        .map(|v| v.cast::<PyArray1<f64>>().map(|a| a.try_readonly()))
        .transpose()?
        .transpose()?;
    let comments: Option<Vec<Option<&str>>> = comment
        .as_ref()
        .map(|c| c.iter().map(Option::as_deref).collect());
    let columns = Batch {
        policy: &policy.get().0,
        at: at.as_slice()?,
        customers: &customers,
        touchpoints: &touchpoints,
        previous: previous.as_ref().map(|p| p.as_slice()).transpose()?,
        value: value.as_ref().map(|v| v.as_slice()).transpose()?,
        comments: comments.as_deref(),
    };
    macro_rules! by_dtype {
        ($($t:ty),*) => {$(
            if let Ok(array) = score.cast::<PyArray1<$t>>() {
                let array = array.try_readonly()?;
                let scores = array.as_slice()?;
                return py
                    .detach(|| columns.evaluate(scores))
                    .map(AlertQueue)
                    .map_err(|e| {
                        let key = match &e {
                            Error::InvalidScore { .. } => "score",
                            Error::InvalidArgument { field: "customers", .. } => "customer",
                            Error::InvalidArgument { field: "previous", .. } => "previous",
                            Error::InvalidArgument { field: "value", .. } => "value",
                            _ => "",
                        };
                        in_column(py, &names, key, errors::raise(e))
                    });
            }
        )*};
    }
    by_dtype!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);
    Err(PyTypeError::new_err(format!(
        "score must be a 1-D contiguous array of an integer or float dtype, got {}",
        score.repr()?
    )))
}

/// The columns of a batch other than the scores.
struct Batch<'a> {
    policy: &'a Policy,
    at: &'a [i64],
    customers: &'a Dimension,
    touchpoints: &'a Dimension,
    previous: Option<&'a [f64]>,
    value: Option<&'a [f64]>,
    comments: Option<&'a [Option<&'a str>]>,
}

impl Batch<'_> {
    fn evaluate<S: ScoreValue>(&self, scores: &[S]) -> nps_core::Result<Queue> {
        let mut responses = Responses::new(self.at, self.customers, self.touchpoints, scores);
        responses.previous = self.previous;
        responses.value = self.value;
        responses.comments = self.comments;
        nps_core::evaluate(self.policy, &responses)
    }
}

/// The call-back (回访) outcomes of a queue by column (what ``nps.callback_outcomes``
/// computes): one row overall, one per owner, one per touchpoint.
///
/// ``alert``: uint64 ids; ``contacted_at``: int64 seconds since 1970-01-01 UTC, −2⁶³ (NaT)
/// when not contacted; ``resolved``: bool; ``later_score``: float64 (NaN = unknown); ``names``:
/// argument → DataFrame column name, for errors. Returns a dict of columns (see
/// ``nps.callback_outcomes``). Use ``nps.callback_outcomes``.
///
/// >>> import numpy as np, nps
/// >>> from nps import _nps
/// >>> policy = nps.AlertPolicy({"default_owner": "CX", "rules": [{"name": "low",
/// ...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
/// >>> q = _nps.alerts_columns(policy, np.array([0, 60]),
/// ...                         (["A", "B"], np.array([0, 1], np.uint32)),
/// ...                         (["web"], np.array([0, 0], np.uint32)), np.array([3.0, 2.0]))
/// >>> c = _nps.callback_outcomes_columns(q, np.array([1], np.uint64), np.array([3600]),
/// ...                                    np.array([True]), np.array([9.0]))
/// >>> c["by"], c["alerts"].tolist(), c["on_time"].tolist(), c["recovered"].tolist()
/// (['overall', 'owner', 'touchpoint'], [2, 2, 2], [1, 1, 1], [1, 1, 1])
#[pyfunction]
#[pyo3(signature = (queue, alert, contacted_at, resolved, later_score, level=0.95, names=None))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn callback_outcomes_columns<'py>(
    py: Python<'py>,
    queue: &Bound<'py, AlertQueue>,
    alert: &Bound<'py, PyAny>,
    contacted_at: &Bound<'py, PyAny>,
    resolved: &Bound<'py, PyAny>,
    later_score: &Bound<'py, PyAny>,
    level: f64,
    names: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let names = names.cloned().unwrap_or_else(|| PyDict::new(py));
    let alert = alert.cast::<PyArray1<u64>>()?.try_readonly()?;
    let contacted_at = contacted_at.cast::<PyArray1<i64>>()?.try_readonly()?;
    let resolved = resolved.cast::<PyArray1<bool>>()?.try_readonly()?;
    let later_score = later_score.cast::<PyArray1<f64>>()?.try_readonly()?;
    let callbacks = Callbacks {
        alerts: alert.as_slice()?,
        contacted_at: contacted_at.as_slice()?,
        resolved: resolved.as_slice()?,
        later_scores: later_score.as_slice()?,
    };
    let queue = &queue.get().0;
    let report = py
        .detach(|| {
            let records = callbacks.records(queue.scale())?;
            nps_core::outcomes(queue, &records, level)
        })
        .map_err(|e| {
            let key = match &e {
                Error::InvalidScore { .. } => "later_score",
                Error::UnknownAlert { .. } => "alert",
                Error::InvalidArgument {
                    field: "contacted_at",
                    ..
                } => "contacted_at",
                _ => "",
            };
            in_column(py, &names, key, errors::raise(e))
        })?;
    let rows: Vec<(&str, Option<String>, &nps_core::CallbackStats)> =
        std::iter::once(("overall", Some(ALL.to_owned()), &report.overall))
            .chain(report.by_owner.iter().map(|s| ("owner", s.name.clone(), s)))
            .chain(
                report
                    .by_touchpoint
                    .iter()
                    .map(|s| ("touchpoint", s.name.clone(), s)),
            )
            .collect();
    let c = Columns::new(py);
    let counts = |f: fn(&nps_core::CallbackStats) -> u64| -> Vec<i64> {
        rows.iter().map(|(_, _, s)| count(f(s))).collect()
    };
    let numbers = |f: fn(&nps_core::CallbackStats) -> Option<f64>| -> Vec<f64> {
        rows.iter()
            .map(|(_, _, s)| f(s).unwrap_or(f64::NAN))
            .collect()
    };
    c.text(
        "by",
        rows.iter()
            .map(|(by, _, _)| Some((*by).to_owned()))
            .collect(),
    )?;
    c.text(
        "name",
        rows.iter().map(|(_, name, _)| name.clone()).collect(),
    )?;
    c.array("alerts", counts(|s| s.alerts))?;
    c.array("contacted", counts(|s| s.contacted))?;
    c.array("resolved", counts(|s| s.resolved))?;
    c.array("on_time", counts(|s| s.on_time.count))?;
    c.array("on_time_share", numbers(|s| s.on_time.share))?;
    c.array("on_time_low", numbers(|s| s.on_time.low))?;
    c.array("on_time_high", numbers(|s| s.on_time.high))?;
    c.array("hours_to_contact_p50", numbers(|s| s.hours_to_contact_p50))?;
    c.array("hours_to_contact_p90", numbers(|s| s.hours_to_contact_p90))?;
    c.array("detractors_followed", counts(|s| s.recovery.n))?;
    c.array("recovered", counts(|s| s.recovery.count))?;
    c.array("recovery_share", numbers(|s| s.recovery.share))?;
    c.array("recovery_low", numbers(|s| s.recovery.low))?;
    c.array("recovery_high", numbers(|s| s.recovery.high))?;
    Ok(c.into_dict())
}
