//! Comments (评论): `nps.Taxonomy` and the columns behind `nps.tokenize`,
//! `nps.distinctive_words`, `nps.topics` and `nps.topic_indicators` (in `nps._comments`).
//!
//! Types are translated here, nothing is computed. A set of comments arrives as a Python list
//! (`nps._comments` makes one of a pandas or polars column): each element `str`, `bytes` (or
//! `bytearray`), or missing (None, NaN, pandas NA); the core reads every element as bytes under
//! the decoding policy (`errors="strict"` → [`Utf8Policy::Error`], `"replace"` →
//! [`Utf8Policy::Replace`]), so a `str` is borrowed as its UTF-8 bytes and never copied, and
//! invalid bytes are reported (or replaced) with their row. The analyses run with the GIL
//! released.

use std::borrow::Cow;

use nps_core::{
    Dimension, Error, Language, TokenizeOptions, TopicOptions, Utf8Policy, WordOptions,
    comments_from_bytes,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList, PyString, PyType};

use crate::columns::{self, Columns};
use crate::errors::{self, OrRaise};
use crate::estimate;
use crate::json::{self, json_text, json_value};
use crate::values::{is_missing, type_name};

/// One comment as the caller gave it, readable as bytes without the GIL.
enum Raw {
    /// A `str`, borrowed as UTF-8.
    Str(PyBackedStr),
    /// `bytes` or `bytearray`, to be decoded under the policy.
    Bytes(PyBackedBytes),
    /// A `str` with unpaired surrogates, replaced under the "replace" policy.
    Replaced(String),
}

impl AsRef<[u8]> for Raw {
    fn as_ref(&self) -> &[u8] {
        match self {
            Raw::Str(s) => s.as_bytes(),
            Raw::Bytes(b) => b,
            Raw::Replaced(s) => s.as_bytes(),
        }
    }
}

/// The decoding policy of a Python `errors=` argument: "strict" or "replace", as in
/// `bytes.decode`.
pub(crate) fn policy(errors: &str) -> PyResult<Utf8Policy> {
    match errors {
        "strict" => Ok(Utf8Policy::Error),
        "replace" => Ok(Utf8Policy::Replace),
        _ => Err(errors::raise(Error::UnknownMethod {
            kind: "decoding policy (errors=)",
            name: errors.to_owned(),
            expected: "strict, replace",
        })),
    }
}

/// The comments of the list `texts` (`name` is the column, for messages).
fn raw_comments(
    texts: &Bound<'_, PyList>,
    policy: Utf8Policy,
    name: &str,
) -> PyResult<Vec<Option<Raw>>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if is_missing(&v) {
                return Ok(None);
            }
            if let Ok(s) = v.cast::<PyString>() {
                return match s.extract::<PyBackedStr>() {
                    Ok(s) => Ok(Some(Raw::Str(s))),
                    // Unpaired surrogates (text decoded with "surrogateescape"): not Unicode.
                    Err(_) if policy == Utf8Policy::Replace => {
                        Ok(Some(Raw::Replaced(s.to_string_lossy().into_owned())))
                    }
                    Err(_) => Err(errors::raise(Error::InvalidText {
                        field: "comment",
                        index: i,
                        problem: "is a str with unpaired surrogates, which is not valid \
                                  Unicode; use errors=\"replace\" to substitute U+FFFD"
                            .into(),
                    })),
                };
            }
            match v.extract::<PyBackedBytes>() {
                Ok(b) => Ok(Some(Raw::Bytes(b))),
                Err(_) => Err(PyTypeError::new_err(format!(
                    "{name} must hold texts (str or bytes; None or NaN for no comment), got {} \
                     at index {i}",
                    type_name(&v)
                ))),
            }
        })
        .collect()
}

/// The tokenize options of the Python keyword arguments.
fn tokenize_options(
    stop_words: Vec<String>,
    min_length: usize,
    keep_numbers: bool,
    hmm: bool,
) -> PyResult<TokenizeOptions> {
    Ok(TokenizeOptions {
        stop_words: stop_words
            .iter()
            .map(|l| Language::from_name(l))
            .collect::<nps_core::Result<_>>()
            .or_raise()?,
        min_length,
        keep_numbers,
        hmm,
    })
}

/// The optional groups: `(name, levels, codes)` as a core dimension.
fn dimension(
    groups: Option<(String, Vec<String>, PyReadonlyArray1<'_, u32>)>,
) -> PyResult<Option<Dimension>> {
    groups
        .map(|(name, levels, codes)| {
            Dimension::new(name, levels, codes.as_slice()?.to_vec()).or_raise()
        })
        .transpose()
}

/// A group's position as the result columns give it: -1 for all comments, else the index of
/// its level.
fn position(g: usize) -> i64 {
    g as i64 - 1
}

/// A user's taxonomy of topics (话题) to find in comments (评论): each topic a name with
/// keywords and regular expressions; a comment mentions a topic when any of them matches.
///
/// ``Taxonomy(spec)`` takes a dict or its JSON text:
/// ``{"topics": [{"name": "price", "keywords": ["price", "贵", "cher"], "patterns":
/// ["\\bchers?\\b"]}, …]}`` (``keywords`` and ``patterns`` may each be left out, not both).
/// Keywords match case-insensitively; a keyword edge that is a Latin (or other spaced-script)
/// letter or digit must lie on a word boundary ("app" does not match "happy"), while Chinese
/// keywords match as substrings ("贵" in "太贵了"). Patterns are regular expressions (Rust
/// ``regex`` syntax: no look-around or back-references), case-insensitive, Unicode. A
/// taxonomy that cannot be used (no topic, an empty or repeated name, a topic with nothing to
/// match, an unknown field, a pattern that does not compile) raises ``nps.PolicyError`` naming
/// the topic. Taxonomies compare equal by value and pickle. Used by ``nps.topics`` (the NPS of
/// those who mention each topic: promoters 推荐者 9–10, detractors 贬损者 0–6) and
/// ``nps.topic_indicators``.
///
/// >>> import nps
/// >>> t = nps.Taxonomy({"topics": [
/// ...     {"name": "price", "keywords": ["price", "价格", "贵"], "patterns": [r"\bchers?\b"]},
/// ...     {"name": "app", "keywords": ["app", "appli"]}]})
/// >>> t.names
/// ['price', 'app']
/// >>> t.mentioned("APP太贵了"), t.mentioned("Trop chers pour moi"), t.mentioned("happy")
/// (['price', 'app'], ['price'], [])
/// >>> nps.Taxonomy.from_json(t.to_json()) == t
/// True
#[pyclass(module = "nps", frozen, eq)]
#[derive(PartialEq)]
pub struct Taxonomy(pub(crate) nps_core::Taxonomy);

#[pymethods]
impl Taxonomy {
    #[new]
    fn new(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::parse(&json_text(py, spec)?)
    }

    /// The taxonomy of a JSON text (``{"topics": [...]}``).
    ///
    /// >>> import nps
    /// >>> nps.Taxonomy.from_json('{"topics": [{"name": "wait", "keywords": ["attente"]}]}').names
    /// ['wait']
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Self::parse(text)
    }

    /// The taxonomy as compact JSON, every field written (``from_json`` reads it back).
    ///
    /// >>> import nps
    /// >>> nps.Taxonomy({"topics": [{"name": "wait", "keywords": ["attente"]}]}).to_json()
    /// '{"topics":[{"name":"wait","keywords":["attente"],"patterns":[]}]}'
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The taxonomy as a dict (``to_json`` read by ``json.loads``; ``nps.Taxonomy(d)`` builds it
    /// back).
    ///
    /// >>> import nps
    /// >>> t = nps.Taxonomy({"topics": [{"name": "排队", "keywords": ["排队", "等了"]}]})
    /// >>> t.to_dict()
    /// {'topics': [{'name': '排队', 'keywords': ['排队', '等了'], 'patterns': []}]}
    /// >>> nps.Taxonomy(t.to_dict()) == t
    /// True
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_value(py, &self.0.to_json())
    }

    /// The topics' names, in order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.0.names().into_iter().map(str::to_owned).collect()
    }

    /// The names of the topics ``text`` mentions, in the taxonomy's order.
    ///
    /// >>> import nps
    /// >>> t = nps.Taxonomy({"topics": [{"name": "wait", "keywords": ["attente", "排队"]},
    /// ...                              {"name": "staff", "patterns": [r"\bpersonnel\b"]}]})
    /// >>> t.mentioned("L'attente était longue, le personnel aimable")
    /// ['wait', 'staff']
    fn mentioned(&self, text: &str) -> Vec<String> {
        self.0
            .mentioned(text)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    fn __len__(&self) -> usize {
        self.0.topics().len()
    }

    fn __repr__(&self) -> String {
        format!("Taxonomy.from_json({:?})", self.0.to_json())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        json::reduce(slf.as_any(), slf.get().0.to_json())
    }
}

impl Taxonomy {
    fn parse(text: &str) -> PyResult<Self> {
        nps_core::Taxonomy::from_json(text).or_raise().map(Taxonomy)
    }
}

/// The words of each comment of ``texts`` (a list of str, bytes or None/NaN), cut by the
/// core's tokenizer: a list of lists of str (empty for a missing or blank comment). Use
/// ``nps.tokenize``.
///
/// >>> from nps import _nps
/// >>> _nps.tokenize_texts(["理赔速度太慢了", None, b"Tr\xe8s cher"], errors="replace")
/// [['理赔', '速度', '太慢'], [], ['tr', 'cher']]
#[pyfunction]
#[pyo3(signature = (
    texts, *, stop_words=vec!["en".to_owned(), "fr".to_owned(), "zh".to_owned()], min_length=1,
    keep_numbers=false, hmm=true, errors="strict", name="texts",
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn tokenize_texts(
    py: Python<'_>,
    texts: &Bound<'_, PyList>,
    stop_words: Vec<String>,
    min_length: usize,
    keep_numbers: bool,
    hmm: bool,
    errors: &str,
    name: &str,
) -> PyResult<Vec<Vec<String>>> {
    let policy = policy(errors)?;
    let options = tokenize_options(stop_words, min_length, keep_numbers, hmm)?;
    let raw = raw_comments(texts, policy, name)?;
    let tokens = py
        .detach(|| {
            let texts = comments_from_bytes(&raw, policy)?;
            Ok::<_, Error>(nps_core::tokenize(&texts, &options))
        })
        .or_raise()?;
    let mut words = tokens.words.into_iter();
    Ok(tokens
        .offsets
        .windows(2)
        .map(|w| words.by_ref().take(w[1] - w[0]).collect())
        .collect())
}

/// The distinctive words of detractors (贬损者) against promoters (推荐者) in ``texts`` (a
/// list of str, bytes or None/NaN) scored ``scores`` (float64, NaN = not answered), overall
/// and, with ``groups`` = ``(name, levels, uint32 codes)`` (``u32::MAX`` = no group), per
/// level. Returns ``{"columns", "attrs", "groups"}``: word rows with ``_group`` (-1 = all
/// comments, else the level's index), and one row of counts per group. Use
/// ``nps.distinctive_words``.
///
/// >>> import numpy as np
/// >>> from nps import _nps
/// >>> out = _nps.distinctive_words_columns(["理赔太慢", "理赔慢", "服务好", "服务很好"],
/// ...     np.array([2.0, 3.0, 10.0, 9.0]), None, min_count=2)
/// >>> out["columns"]["word"], bool(out["columns"]["z"][0] > 0)
/// (['理赔', '好', '服务'], True)
#[pyfunction]
#[pyo3(signature = (
    texts, scores, groups, *, alpha0=1000.0, min_count=3,
    stop_words=vec!["en".to_owned(), "fr".to_owned(), "zh".to_owned()], min_length=1,
    keep_numbers=false, hmm=true, errors="strict", name="texts",
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn distinctive_words_columns<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyList>,
    scores: PyReadonlyArray1<'py, f64>,
    groups: Option<(String, Vec<String>, PyReadonlyArray1<'py, u32>)>,
    alpha0: f64,
    min_count: u64,
    stop_words: Vec<String>,
    min_length: usize,
    keep_numbers: bool,
    hmm: bool,
    errors: &str,
    name: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let policy = policy(errors)?;
    let options = WordOptions {
        tokenize: tokenize_options(stop_words, min_length, keep_numbers, hmm)?,
        alpha0,
        min_count,
        ..WordOptions::default()
    };
    let raw = raw_comments(texts, policy, name)?;
    let groups = dimension(groups)?;
    let scores = scores.as_slice()?;
    let result = py
        .detach(|| {
            let texts = comments_from_bytes(&raw, policy)?;
            nps_core::distinctive_words(&texts, scores, groups.as_ref(), &options)
        })
        .or_raise()?;

    let rows: usize = result.groups.iter().map(|g| g.rows.len()).sum();
    let (mut group, mut word) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    let (mut d, mut pa, mut p) = (Vec::new(), Vec::new(), Vec::new());
    let (mut delta, mut se, mut z) = (Vec::new(), Vec::new(), Vec::new());
    for (g, wg) in result.groups.iter().enumerate() {
        for r in &wg.rows {
            group.push(position(g));
            word.push(Some(r.word.clone()));
            d.push(columns::count(r.detractors));
            pa.push(columns::count(r.passives));
            p.push(columns::count(r.promoters));
            delta.push(r.delta);
            se.push(r.se);
            z.push(r.z);
        }
    }
    let c = Columns::new(py);
    c.array("_group", group)?;
    c.text("word", word)?;
    c.array("detractors", d)?;
    c.array("passives", pa)?;
    c.array("promoters", p)?;
    c.array("delta", delta)?;
    c.array("se", se)?;
    c.array("z", z)?;

    let g = Columns::new(py);
    let count = |f: fn(&nps_core::WordGroup) -> u64| columns::counts(&result.groups, f);
    g.array(
        "_group",
        (0..result.groups.len()).map(position).collect::<Vec<i64>>(),
    )?;
    g.array("detractor_comments", count(|w| w.detractor_comments))?;
    g.array("passive_comments", count(|w| w.passive_comments))?;
    g.array("promoter_comments", count(|w| w.promoter_comments))?;
    g.array("detractor_words", count(|w| w.detractor_words))?;
    g.array("passive_words", count(|w| w.passive_words))?;
    g.array("promoter_words", count(|w| w.promoter_words))?;

    let attrs = PyDict::new(py);
    attrs.set_item("alpha0", result.alpha0)?;
    attrs.set_item("min_count", result.min_count)?;
    let out = c.with_attrs(attrs)?;
    out.set_item("groups", g.into_dict())?;
    Ok(out)
}

/// The topics (话题) of ``taxonomy`` in ``texts`` (a list of str, bytes or None/NaN) against
/// ``scores`` (float64, NaN = not answered), overall and, with ``groups`` = ``(name, levels,
/// uint32 codes)``, per level; weighted by ``weights`` (float64, one per text) when given.
/// Returns ``{"columns", "attrs", "groups"}``: one row per group and topic with ``_group`` (-1
/// = all respondents, else the level's index), and one row per group with its respondents,
/// comments and NPS. ``weights_name`` (e.g. ``'column "w"'``) prefixes the message of an
/// ``InvalidWeightError``. Use ``nps.topics``.
///
/// >>> import numpy as np, nps
/// >>> from nps import _nps
/// >>> t = nps.Taxonomy({"topics": [{"name": "price", "keywords": ["贵"]}]})
/// >>> out = _nps.topics_columns(t, ["太贵了", "很好", None], np.array([2.0, 10.0, 9.0]), None)
/// >>> out["columns"]["mentions"].tolist(), out["columns"]["impact"].round(2).tolist()
/// ([1], [-66.67])
/// >>> w = np.array([2.0, 1.0, 1.0])  # (W_t/W)(NPS_t − NPS_rest) = (2/4)(−100 − 100)
/// >>> _nps.topics_columns(t, ["太贵了", "很好", None], np.array([2.0, 10.0, 9.0]), None,
/// ...                     w)["columns"]["impact"].tolist()
/// [-100.0]
#[pyfunction]
#[pyo3(signature = (
    taxonomy, texts, scores, groups, weights=None, *, method="adjusted_wald", level=0.95,
    prior=0.5, replicates=10000, seed=20240601, errors="strict", name="texts", weights_name=None,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn topics_columns<'py>(
    py: Python<'py>,
    taxonomy: &Bound<'py, Taxonomy>,
    texts: &Bound<'py, PyList>,
    scores: PyReadonlyArray1<'py, f64>,
    groups: Option<(String, Vec<String>, PyReadonlyArray1<'py, u32>)>,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    method: &str,
    level: f64,
    prior: f64,
    replicates: u32,
    seed: u64,
    errors: &str,
    name: &str,
    weights_name: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let policy = policy(errors)?;
    let options = TopicOptions {
        method: estimate::method(method, prior, replicates, seed)?,
        level,
        ..TopicOptions::default()
    };
    let raw = raw_comments(texts, policy, name)?;
    let groups = dimension(groups)?;
    let scores = scores.as_slice()?;
    let weights = weights.as_ref().map(|w| w.as_slice()).transpose()?;
    let taxonomy = &taxonomy.get().0;
    let result = py
        .detach(|| {
            let texts = comments_from_bytes(&raw, policy)?;
            nps_core::topics(&texts, scores, weights, groups.as_ref(), taxonomy, &options)
        })
        .map_err(|e| {
            let about_weights = matches!(
                e,
                Error::InvalidWeight { .. } | Error::ZeroTotalWeight { .. }
            );
            match weights_name {
                Some(weights_name) if about_weights => {
                    errors::in_argument(py, errors::raise(e), weights_name)
                }
                _ => errors::raise(e),
            }
        })?;

    let mut group = Vec::new();
    let mut rows = Vec::new();
    for (g, tg) in result.groups.iter().enumerate() {
        for r in &tg.topics {
            group.push(position(g));
            rows.push(r);
        }
    }
    let estimate =
        |get: fn(&nps_core::Estimate) -> f64| columns::or_nan(&rows, |r| r.estimate.as_ref(), get);
    let impact =
        |get: fn(&nps_core::Impact) -> f64| columns::or_nan(&rows, |r| r.impact.as_ref(), get);
    let c = Columns::new(py);
    c.array("_group", group)?;
    c.text(
        "topic",
        rows.iter().map(|r| Some(r.topic.clone())).collect(),
    )?;
    c.array("mentions", columns::counts(&rows, |r| r.mentions))?;
    c.array("share", rows.iter().map(|r| r.share).collect::<Vec<f64>>())?;
    c.array(
        "n",
        columns::counts(&rows, |r| r.estimate.as_ref().map_or(0, |e| e.n)),
    )?;
    c.array("nps", estimate(|e| e.nps))?;
    c.array("se", estimate(|e| e.se))?;
    c.array("low", estimate(|e| e.low))?;
    c.array("high", estimate(|e| e.high))?;
    c.array(
        "rest_nps",
        rows.iter()
            .map(|r| r.rest_nps.unwrap_or(f64::NAN))
            .collect::<Vec<f64>>(),
    )?;
    c.array("impact", impact(|i| i.value))?;
    c.array("impact_se", impact(|i| i.se))?;
    c.array("impact_low", impact(|i| i.low))?;
    c.array("impact_high", impact(|i| i.high))?;

    let g = Columns::new(py);
    let count = |f: fn(&nps_core::TopicGroup) -> u64| columns::counts(&result.groups, f);
    let overall = |get: fn(&nps_core::Estimate) -> f64| {
        columns::or_nan(&result.groups, |tg| tg.overall.as_ref(), get)
    };
    g.array(
        "_group",
        (0..result.groups.len()).map(position).collect::<Vec<i64>>(),
    )?;
    g.array("responses", count(|tg| tg.responses))?;
    g.array("comments", count(|tg| tg.comments))?;
    g.array("n", count(|tg| tg.overall.as_ref().map_or(0, |e| e.n)))?;
    g.array("nps", overall(|e| e.nps))?;
    g.array("low", overall(|e| e.low))?;
    g.array("high", overall(|e| e.high))?;

    let attrs = PyDict::new(py);
    attrs.set_item("method", result.method.name())?;
    attrs.set_item("level", result.level)?;
    let out = c.with_attrs(attrs)?;
    out.set_item("groups", g.into_dict())?;
    Ok(out)
}

/// The 0/1 indicator of each topic (话题) of ``taxonomy`` over ``texts`` (a list of str, bytes
/// or None/NaN): a list of ``(topic name, float64 array)``, 1.0 where the comment mentions the
/// topic, 0.0 where it has text and does not, NaN where there is no comment. Use
/// ``nps.topic_indicators``.
///
/// >>> import nps
/// >>> from nps import _nps
/// >>> t = nps.Taxonomy({"topics": [{"name": "price", "keywords": ["贵"]}]})
/// >>> columns = _nps.topic_indicator_columns(t, ["太贵", "好", None])
/// >>> [(name, column.tolist()) for name, column in columns]
/// [('price', [1.0, 0.0, nan])]
#[pyfunction]
#[pyo3(signature = (taxonomy, texts, *, errors="strict", name="texts"))]
pub(crate) fn topic_indicator_columns<'py>(
    py: Python<'py>,
    taxonomy: &Bound<'py, Taxonomy>,
    texts: &Bound<'py, PyList>,
    errors: &str,
    name: &str,
) -> PyResult<Vec<(String, Bound<'py, PyArray1<f64>>)>> {
    let policy = policy(errors)?;
    let raw = raw_comments(texts, policy, name)?;
    let taxonomy = &taxonomy.get().0;
    let indicators = py
        .detach(|| {
            let texts: Vec<Option<Cow<'_, str>>> = comments_from_bytes(&raw, policy)?;
            nps_core::topic_indicators(&texts, taxonomy)
        })
        .or_raise()?;
    Ok(indicators
        .topics
        .into_iter()
        .zip(indicators.columns)
        .map(|(name, column)| (name, PyArray1::from_vec(py, column)))
        .collect())
}
