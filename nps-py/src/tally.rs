//! `nps.Tally` (the mergeable sufficient statistic) and `nps.score` (tally and estimate at once).

use nps_core::{BINS, Error};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::display;
use crate::errors::{OrRaise, bad_state};
use crate::estimate::{self, Estimate};
use crate::input::{self, SCORES};
use crate::scale::{self, Scale};

/// The NPS (净推荐值) of scores, with its standard error and interval.
///
/// NPS = 100·(pP − pD) in points (−100..100): the share of promoters (推荐者, 9–10) minus the
/// share of detractors (贬损者, 0–6); passives (被动者, 7–8) count in n only. With weights the
/// shares are weighted, pX = Σw over X / Σw.
///
/// Parameters
/// ----------
/// scores : array-like of numbers
///     A list (None = missing answer), a numpy array of any integer or float dtype (NaN =
///     missing; read in place when contiguous), or a pandas Series (NA = missing; nullable
///     Int64/Float64 included). Whole numbers on the scale, else ``InvalidScoreError`` naming
///     the position. Booleans, strings and other objects raise ``TypeError``.
/// weights : array-like of float, optional
///     One finite, non-negative weight per score (``InvalidWeightError``,
///     ``LengthMismatchError``). Missing scores ignore their weight.
/// method : str
///     Interval method, one of ``nps.METHODS``: ``wald`` (NPS ± z·se), ``adjusted_wald``
///     (Rocks 2016: Wald after adding 0.75/1.5/0.75 pseudo-answers; the default), ``score``
///     (Tango 1998), ``bayes`` (Dirichlet credible interval), ``bootstrap`` (percentile).
/// level : float
///     Confidence level as a fraction in (0, 1), e.g. 0.95.
/// prior : float
///     Dirichlet prior per category for ``bayes`` (0.5 = Jeffreys).
/// replicates, seed : int
///     Number of resamples and random seed for ``bootstrap`` (same seed, same interval).
/// scale : nps.Scale, optional
///     Other cut-points or another scale; the standard 0–10 scale by default.
///
/// Returns
/// -------
/// nps.Estimate
///
/// >>> import nps
/// >>> e = nps.score([10, 9, 8, 7, 3, 10, None], method="wald")
/// >>> e.n, e.n_missing, round(e.nps, 9)
/// (6, 1, 33.333333333)
// The defaults are nps_core's DEFAULT_PRIOR, DEFAULT_REPLICATES and DEFAULT_SEED, written out so
// `help()` shows them (tests/python/test_api.py checks they agree).
#[pyfunction]
#[pyo3(signature = (
    scores, weights=None, method="adjusted_wald", level=0.95, *,
    prior=0.5, replicates=10000, seed=20240601, scale=None,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn score(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    method: &str,
    level: f64,
    prior: f64,
    replicates: u32,
    seed: u64,
    scale: Option<Scale>,
) -> PyResult<Estimate> {
    let method = estimate::method(method, prior, replicates, seed)?;
    let tally = input::tally(
        py,
        scale::or_standard(scale),
        Some(scores),
        weights,
        &SCORES,
    )?;
    estimate::estimate(py, &tally, method, level)
}

/// The sufficient statistic of a set of recommend answers: the count of each score 0..=10, the
/// number of missing answers, and Σw, Σw² per category when weighted.
///
/// Every NPS (净推荐值), share, standard error and interval is a function of the tally, and
/// tallies merge exactly: ``t1 + t2``, ``t += t2``, ``sum([t1, t2, t3])`` give what one tally of
/// all the answers gives, so per-partition tallies (one per file, per day, per worker) combine
/// into the single-machine answer. Merging a weighted with an unweighted tally gives the
/// unweighted answers unit weights. Promoters (推荐者) score 9–10, passives (被动者) 7–8,
/// detractors (贬损者) 0–6 on the standard scale.
///
/// From the tally: NPS = 100·(pP − pD) with pX = Σw over X / Σw (counts when unweighted), the
/// standard error (see ``se``), Kish's effective size n_eff = (Σw)²/Σw², and every interval.
/// ``to_pandas()`` gives the histogram (one row per score); in Jupyter a tally shows as a table.
///
/// ``Tally(scores, weights)`` takes the same inputs as ``nps.score``; ``Tally()`` is empty.
/// Tallies compare equal by value and pickle.
///
/// >>> import nps
/// >>> t = nps.Tally([10, 9, 8, 7, 3, 10])
/// >>> t += nps.Tally([float("nan"), 0, 10])
/// >>> t.n, t.n_missing, t.counts[10]
/// (8, 1, 3)
/// >>> round(t.nps, 9)
/// 25.0
/// >>> round(t.estimate("wald").low, 2)
/// -32.46
#[pyclass(module = "nps", eq)]
#[derive(Clone, PartialEq)]
pub struct Tally(pub(crate) nps_core::Tally);

#[pymethods]
impl Tally {
    #[new]
    #[pyo3(signature = (scores=None, weights=None, *, scale=None))]
    fn new(
        py: Python<'_>,
        scores: Option<&Bound<'_, PyAny>>,
        weights: Option<&Bound<'_, PyAny>>,
        scale: Option<Scale>,
    ) -> PyResult<Self> {
        input::tally(py, scale::or_standard(scale), scores, weights, &SCORES).map(Tally)
    }

    /// A tally from the count of each score: ``counts[s]`` answers scored ``s``, s = 0..10.
    ///
    /// >>> import nps
    /// >>> t = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    /// >>> t.n, t.promoters, t.passives, t.detractors
    /// (100, 0.5, 0.3, 0.2)
    #[classmethod]
    #[pyo3(signature = (counts, scale=None))]
    fn from_counts(
        _cls: &Bound<'_, PyType>,
        counts: &Bound<'_, PyAny>,
        scale: Option<Scale>,
    ) -> PyResult<Self> {
        let bad = || Error::InvalidArgument {
            field: "counts",
            value: counts.repr().map_or_else(|_| "?".into(), |r| r.to_string()),
            expected: "counts are 11 non-negative whole numbers, the count of each score 0..=10",
        };
        let counts: Vec<u64> = counts.extract().map_err(|_| bad()).or_raise()?;
        let counts: [u64; BINS] = counts.try_into().map_err(|_| bad()).or_raise()?;
        nps_core::Tally::from_counts(scale::or_standard(scale), counts)
            .or_raise()
            .map(Tally)
    }

    /// Adds scores (and weights) in place; same inputs as ``nps.score``. On error the tally is
    /// unchanged.
    ///
    /// >>> import nps
    /// >>> t = nps.Tally()
    /// >>> t.add([10, 9, 0])
    /// >>> t.add([7, 8], weights=[1.0, 3.0])
    /// >>> t.n, t.weighted
    /// (5, True)
    #[pyo3(signature = (scores, weights=None))]
    fn add(
        slf: &Bound<'_, Self>,
        scores: &Bound<'_, PyAny>,
        weights: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let scale = slf.borrow().0.scale();
        let part = input::tally(slf.py(), scale, Some(scores), weights, &SCORES)?;
        slf.borrow_mut().0.merge(&part).or_raise()
    }

    fn __add__(&self, other: PyRef<'_, Self>) -> PyResult<Self> {
        let mut sum = self.0.clone();
        sum.merge(&other.0).or_raise()?;
        Ok(Tally(sum))
    }

    /// ``0 + tally`` is the tally, so ``sum(tallies)`` works.
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let zero = other.extract::<i64>().is_ok_and(|v| v == 0);
        if zero {
            Ok(self.clone().into_pyobject(py)?.into_any().unbind())
        } else {
            Ok(py.NotImplemented())
        }
    }

    fn __iadd__(slf: &Bound<'_, Self>, other: &Bound<'_, Self>) -> PyResult<()> {
        let other = other.borrow().0.clone(); // `t += t` borrows the same object twice
        slf.borrow_mut().0.merge(&other).or_raise()
    }

    /// Number of answered responses.
    #[getter]
    fn n(&self) -> u64 {
        self.0.n()
    }

    /// Number of missing answers (NaN, None, NA) seen and dropped.
    #[getter]
    fn n_missing(&self) -> u64 {
        self.0.missing()
    }

    /// The count of each score 0..=10 (a list of 11; index = score).
    #[getter]
    fn counts(&self) -> [u64; BINS] {
        *self.0.counts()
    }

    /// Whether weights were given.
    #[getter]
    fn weighted(&self) -> bool {
        self.0.is_weighted()
    }

    /// The scale the tally counts on.
    #[getter]
    fn scale(&self) -> Scale {
        Scale(self.0.scale())
    }

    /// Share of promoters (推荐者), 0..1 (weighted when weighted); ``EmptyError`` when empty.
    #[getter]
    fn promoters(&self) -> PyResult<f64> {
        Ok(self.0.shares().or_raise()?.promoters)
    }

    /// Share of passives (被动者), 0..1.
    #[getter]
    fn passives(&self) -> PyResult<f64> {
        Ok(self.0.shares().or_raise()?.passives)
    }

    /// Share of detractors (贬损者), 0..1.
    #[getter]
    fn detractors(&self) -> PyResult<f64> {
        Ok(self.0.shares().or_raise()?.detractors)
    }

    /// NPS (净推荐值) in points: 100·(pP − pD).
    #[getter]
    fn nps(&self) -> PyResult<f64> {
        self.0.nps().or_raise()
    }

    /// Standard error of the NPS in points: 100·√((pP + pD − (pP − pD)²)/n), or the Taylor
    /// linearization n/(n−1)·Σ_c Σw²_c (s_c − NPS)²/(Σw)² when weighted (as R ``survey``).
    #[getter]
    fn se(&self) -> PyResult<f64> {
        self.0.se().or_raise()
    }

    /// Kish effective sample size (Σw)²/Σw² (= n unweighted).
    #[getter]
    fn n_eff(&self) -> PyResult<f64> {
        self.0.n_eff().or_raise()
    }

    /// Kish design effect of weighting n/n_eff = n·Σw²/(Σw)² (= 1 unweighted).
    #[getter]
    fn design_effect(&self) -> PyResult<f64> {
        self.0.design_effect().or_raise()
    }

    /// The NPS with its standard error and an interval; parameters as in ``nps.score``.
    ///
    /// >>> import nps
    /// >>> t = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    /// >>> e = t.estimate("adjusted_wald", 0.95)
    /// >>> round(e.low, 4), round(e.high, 4)
    /// (14.0511, 44.2013)
    #[pyo3(signature = (
        method="adjusted_wald", level=0.95, *,
        prior=0.5, replicates=10000, seed=20240601,
    ))]
    fn estimate(
        slf: &Bound<'_, Self>,
        method: &str,
        level: f64,
        prior: f64,
        replicates: u32,
        seed: u64,
    ) -> PyResult<Estimate> {
        let method = estimate::method(method, prior, replicates, seed)?;
        // A copy (a few dozen bytes), so no borrow is held while the GIL is released.
        let tally = slf.borrow().0.clone();
        estimate::estimate(slf.py(), &tally, method, level)
    }

    /// The tally as a dict: ``n``, ``n_missing``, ``counts``, ``weighted`` and ``scale`` (a dict
    /// of the cut-points, as ``Scale.to_dict``).
    ///
    /// >>> import nps
    /// >>> d = nps.Tally([10, 9, 0, None]).to_dict()
    /// >>> d["n"], d["n_missing"], d["counts"][9:], d["scale"]["promoter_min"]
    /// (3, 1, [1, 1], 9)
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("n", self.n())?;
        d.set_item("n_missing", self.n_missing())?;
        d.set_item("counts", self.counts())?;
        d.set_item("weighted", self.weighted())?;
        d.set_item("scale", self.scale().to_dict(py)?)?;
        Ok(d)
    }

    /// The tally as a tidy pandas DataFrame, one row per score of the scale: ``score``,
    /// ``category`` ("detractor" 贬损者, "passive" 被动者 or "promoter" 推荐者) and ``count``
    /// (``to_dict()["counts"]`` over the scale); ``attrs`` holds ``n``, ``n_missing`` and
    /// ``weighted``. Needs pandas.
    ///
    /// >>> import nps
    /// >>> f = nps.Tally([10, 9, 9, 7, 3]).to_pandas()
    /// >>> f.groupby("category")["count"].sum().to_dict()
    /// {'detractor': 1, 'passive': 1, 'promoter': 3}
    /// >>> f.tail(2)
    ///     score  category  count
    /// 9       9  promoter      2
    /// 10     10  promoter      1
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    fn __repr__(&self) -> String {
        format!(
            "Tally(n={}, n_missing={}, counts={:?}, weighted={}, scale={})",
            self.n(),
            self.n_missing(),
            self.counts(),
            if self.weighted() { "True" } else { "False" },
            self.scale().__repr__()
        )
    }

    /// The tally as the core's JSON (for pickle and copy).
    fn __getstate__(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(bad_state)
    }

    fn __setstate__(&mut self, state: &str) -> PyResult<()> {
        self.0 = serde_json::from_str(state).map_err(bad_state)?;
        Ok(())
    }
}
