//! `nps.Scale`: the recommend question's scale and its cut-points.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::display;
use crate::errors::OrRaise;

/// The scale of the recommend question and its two cut-points.
///
/// Scores ``min..=detractor_max`` are detractors (贬损者), ``promoter_min..=max`` promoters
/// (推荐者), the scores between them passives (被动者). The standard NPS scale (净推荐值) is
/// 0–10 with detractors 0–6, passives 7–8 and promoters 9–10, the default. Scales must lie
/// inside 0..=10 with ``min <= detractor_max < promoter_min <= max``; otherwise
/// ``nps.ScaleError``.
///
/// Scales compare equal by value, hash, and pickle.
///
/// >>> import nps
/// >>> five = nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5)
/// >>> nps.score([5, 5, 4, 1], scale=five).nps
/// 25.0
/// >>> nps.Scale() == nps.Tally().scale
/// True
#[pyclass(module = "nps", frozen, eq, hash, from_py_object)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scale(pub(crate) nps_core::Scale);

/// A cut-point as the byte the core takes, or `ScaleError` naming it.
fn cut_point(field: &str, value: i64) -> PyResult<u8> {
    u8::try_from(value)
        .map_err(|_| {
            nps_core::Error::InvalidScale(format!(
                "{field} is {value}; scales must lie inside 0..=10"
            ))
        })
        .or_raise()
}

#[pymethods]
impl Scale {
    #[new]
    #[pyo3(signature = (min=0, max=10, detractor_max=6, promoter_min=9))]
    fn new(min: i64, max: i64, detractor_max: i64, promoter_min: i64) -> PyResult<Self> {
        nps_core::Scale::new(
            cut_point("min", min)?,
            cut_point("max", max)?,
            cut_point("detractor_max", detractor_max)?,
            cut_point("promoter_min", promoter_min)?,
        )
        .or_raise()
        .map(Scale)
    }

    /// Lowest score of the scale.
    #[getter]
    fn min(&self) -> u8 {
        self.0.min()
    }

    /// Highest score of the scale.
    #[getter]
    fn max(&self) -> u8 {
        self.0.max()
    }

    /// Highest detractor (贬损者) score: 6 on the standard scale.
    #[getter]
    fn detractor_max(&self) -> u8 {
        self.0.detractor_max()
    }

    /// Lowest promoter (推荐者) score: 9 on the standard scale.
    #[getter]
    fn promoter_min(&self) -> u8 {
        self.0.promoter_min()
    }

    /// The cut-points as a dict: ``min``, ``max``, ``detractor_max``, ``promoter_min``
    /// (``nps.Scale(**d)`` builds the scale back).
    ///
    /// >>> import nps
    /// >>> nps.Scale().to_dict()
    /// {'min': 0, 'max': 10, 'detractor_max': 6, 'promoter_min': 9}
    #[allow(clippy::wrong_self_convention)] // a Python method: pyo3 passes `&self`
    pub(crate) fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, value) in self.fields() {
            d.set_item(name, value)?;
        }
        Ok(d)
    }

    /// The cut-points as a one-row pandas DataFrame, columns and values as ``to_dict()``
    /// (needs pandas).
    ///
    /// >>> import nps
    /// >>> nps.Scale(min=1, max=5, detractor_max=3, promoter_min=5).to_pandas()
    ///    min  max  detractor_max  promoter_min
    /// 0    1    5              3             5
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        display::to_pandas(slf.as_any())
    }

    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        display::html(slf.as_any())
    }

    fn __getnewargs__(&self) -> (u8, u8, u8, u8) {
        let [min, max, detractor_max, promoter_min] = self.fields().map(|(_, v)| v);
        (min, max, detractor_max, promoter_min)
    }

    pub(crate) fn __repr__(&self) -> String {
        let fields: Vec<String> = self
            .fields()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        format!("Scale({})", fields.join(", "))
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}

impl Scale {
    /// The constructor's arguments with their values, in order.
    pub(crate) fn fields(&self) -> [(&'static str, u8); 4] {
        [
            ("min", self.0.min()),
            ("max", self.0.max()),
            ("detractor_max", self.0.detractor_max()),
            ("promoter_min", self.0.promoter_min()),
        ]
    }
}

/// The scale argument, or the standard scale when none was given.
pub(crate) fn or_standard(scale: Option<Scale>) -> nps_core::Scale {
    scale.map_or(nps_core::Scale::STANDARD, |s| s.0)
}
