//! The result classes `nps.Estimate` and `nps.Comparison`, and the interval method argument.

use nps_core::{Method, Tally};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use crate::display;
use crate::errors::{InvalidArgumentError, OrRaise, bad_state};

/// The interval method called `name`, with the Bayes prior or the bootstrap's replicates and
/// seed where the method takes them.
pub(crate) fn method(name: &str, prior: f64, replicates: u32, seed: u64) -> PyResult<Method> {
    Ok(match Method::from_name(name).or_raise()? {
        Method::Bayes { .. } => Method::Bayes { prior },
        Method::Bootstrap { .. } => Method::Bootstrap { replicates, seed },
        other => other,
    })
}

/// The estimate of `tally` by `method` at `level`, computed without the GIL.
pub(crate) fn estimate(
    py: Python<'_>,
    tally: &Tally,
    method: Method,
    level: f64,
) -> PyResult<Estimate> {
    py.detach(|| tally.estimate(method, level))
        .or_raise()
        .map(Estimate)
}

/// `Name(key=repr(value), ...)` from a dict of attributes.
fn repr(name: &str, attributes: &Bound<'_, PyDict>) -> PyResult<String> {
    let items = attributes
        .iter()
        .map(|(k, v)| Ok(format!("{k}={}", v.repr()?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(format!("{name}({})", items.join(", ")))
}

/// A frozen Python class over a core result struct whose fields, but for `method`, are plain
/// numbers: read-only attributes, `method` by name, `to_dict`, `repr`, `==` and pickling (the
/// method as the core's JSON, the numbers as a dict, so infinite values survive).
macro_rules! result_class {
    (
        $(#[doc = $doc:literal])*
        $name:ident($core:ident) {
            $($(#[doc = $field_doc:literal])* $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[doc = $doc])*
        #[pyclass(module = "nps", frozen, eq)]
        #[derive(Clone, PartialEq)]
        pub struct $name(pub(crate) nps_core::$core);

        #[pymethods]
        impl $name {
            $(
                $(#[doc = $field_doc])*
                #[getter]
                fn $field(&self) -> $ty {
                    self.0.$field
                }
            )*

            /// Name of the method: one of ``nps.METHODS``.
            #[getter]
            fn method(&self) -> &'static str {
                self.0.method.name()
            }

            /// The attributes as a dict (``method`` by name), e.g. a row of a pandas DataFrame.
            ///
            /// >>> import nps
            /// >>> d = nps.score([10, 9, 0], method="wald").to_dict()
            /// >>> d["n"], round(d["nps"], 6), d["method"]
            /// (3, 33.333333, 'wald')
            /// >>> list(nps.compare([10, 9], [0, 7]).to_dict())[:3]
            /// ['nps_a', 'nps_b', 'difference']
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $(d.set_item(stringify!($field), self.0.$field)?;)*
                d.set_item("method", self.0.method.name())?;
                Ok(d)
            }

            /// The result as a one-row pandas DataFrame whose columns and values are
            /// ``to_dict()``'s (needs pandas; ``pd.concat`` of several makes a table).
            ///
            /// >>> import nps
            /// >>> nps.score([10, 9, 0], method="wald").to_pandas()[["n", "nps", "method"]].round(2)
            ///    n    nps method
            /// 0  3  33.33   wald
            /// >>> c = nps.compare([10, 10, 9, 7, 3], [10, 6, 5, 2, 8], method="wald")
            /// >>> c.to_pandas()[["difference", "p_value"]].round(3)
            ///    difference  p_value
            /// 0        80.0    0.114
            fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
                display::to_pandas(slf.as_any())
            }

            fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
                display::html(slf.as_any())
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                repr(stringify!($name), &self.to_dict(py)?)
            }

            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (String, Bound<'py, PyDict>))> {
                let this = slf.get();
                let method = serde_json::to_string(&this.0.method).map_err(bad_state)?;
                let fields = this.to_dict(slf.py())?;
                Ok((slf.get_type().getattr("_from_state")?, (method, fields)))
            }

            /// Rebuilds a result from what ``__reduce__`` saved (for pickle).
            #[classmethod]
            fn _from_state(
                _cls: &Bound<'_, PyType>,
                method: &str,
                fields: &Bound<'_, PyDict>,
            ) -> PyResult<Self> {
                let field = |key: &str| {
                    fields.get_item(key)?.ok_or_else(|| {
                        InvalidArgumentError::new_err(format!("state has no {key:?}"))
                    })
                };
                Ok($name(nps_core::$core {
                    $($field: field(stringify!($field))?.extract()?,)*
                    method: serde_json::from_str(method).map_err(bad_state)?,
                }))
            }
        }
    };
}

result_class! {
    /// An NPS (净推荐值) with its standard error and interval: what ``nps.score`` and
    /// ``Tally.estimate`` return.
    ///
    /// NPS = 100·(pP − pD), the share of promoters (推荐者, 9–10) minus the share of detractors
    /// (贬损者, 0–6); passives (被动者, 7–8) count in n only. NPS, ``se``, ``low`` and ``high``
    /// are in points (−100..100), shares are fractions (0..1). ``se`` is the multinomial
    /// standard error 100·√((pP + pD − (pP − pD)²)/n) (Taylor linearization when weighted),
    /// whatever the interval method.
    ///
    /// >>> import nps
    /// >>> e = nps.score([10, 9, 9, 8, 7, 6, 10, 3, 9, 10], method="wald")
    /// >>> e.n, e.promoters, e.detractors, e.nps
    /// (10, 0.6, 0.2, 40.0)
    /// >>> round(e.low, 2), round(e.high, 2)
    /// (-9.58, 89.58)
    Estimate(Estimate) {
        /// Number of answered responses.
        n: u64,
        /// Number of missing answers (NaN, None, NA) dropped.
        n_missing: u64,
        /// Whether weights were used.
        weighted: bool,
        /// Kish effective sample size (Σw)²/Σw² (= n unweighted).
        n_eff: f64,
        /// Kish design effect n/n_eff (= 1 unweighted).
        design_effect: f64,
        /// Share of promoters (推荐者), 0..1.
        promoters: f64,
        /// Share of passives (被动者), 0..1.
        passives: f64,
        /// Share of detractors (贬损者), 0..1.
        detractors: f64,
        /// NPS in points: 100·(pP − pD).
        nps: f64,
        /// Standard error of the NPS in points.
        se: f64,
        /// Lower bound of the interval in points.
        low: f64,
        /// Upper bound of the interval in points.
        high: f64,
        /// Confidence level as a fraction (0.95).
        level: f64,
    }
}

result_class! {
    /// The difference between the NPS (净推荐值) of two independent samples, with its test:
    /// what ``nps.compare`` returns. Points throughout.
    ///
    /// difference = NPS_a − NPS_b, se = √(se_a² + se_b²), z = difference/se,
    /// p_value = 2·(1 − Φ(|z|)) (two-sided, H₀: equal NPS), interval difference ± z_crit·se.
    /// Under ``adjusted_wald`` each sample first gets 0.75 promoters (推荐者), 1.5 passives
    /// (被动者) and 0.75 detractors (贬损者) added (Rocks 2016), and ``nps_a``/``nps_b`` are the
    /// adjusted estimates.
    ///
    /// >>> import nps
    /// >>> a = nps.Tally.from_counts([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])
    /// >>> b = nps.Tally.from_counts([30, 0, 0, 0, 0, 0, 0, 30, 0, 0, 40])
    /// >>> c = nps.compare(a, b, method="wald")
    /// >>> round(c.difference, 6), round(c.p_value, 4)
    /// (20.0, 0.0794)
    Comparison(Comparison) {
        /// NPS of the first sample in points.
        nps_a: f64,
        /// NPS of the second sample in points.
        nps_b: f64,
        /// NPS(a) − NPS(b) in points.
        difference: f64,
        /// Standard error of the difference in points.
        se: f64,
        /// Test statistic difference/se.
        z: f64,
        /// Two-sided p-value of H₀: equal NPS.
        p_value: f64,
        /// Lower bound of the difference in points.
        low: f64,
        /// Upper bound of the difference in points.
        high: f64,
        /// Confidence level as a fraction (0.95).
        level: f64,
    }
}
