//! The Python module `nps._nps` over nps-core (built by maturin; the package `nps` around it is
//! in `python/nps`).
//!
//! Types and errors are translated here, nothing is computed: array-likes arrive as contiguous
//! numpy arrays (`nps._convert`), their buffers go to the core as slices with the GIL released,
//! and core errors become `NpsError` subclasses.

mod alert;
mod benchmark;
mod columns;
mod compare;
mod display;
mod drivers;
mod errors;
mod estimate;
mod input;
mod journey;
mod json;
mod mergeable;
mod monitor;
mod planning;
mod scale;
mod segments;
mod table;
mod tally;
mod text;
mod trend;
mod values;

use nps_core::{DEFAULT_PRIOR, DEFAULT_REPLICATES, DEFAULT_SEED, Method};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Net Promoter Score (净推荐值) engine: tallies, intervals, comparisons, survey planning, and
/// the segment, trend, attribution, benchmark and journey analyses of a response table, and the
/// closed loop's (闭环) alerts and call-backs (回访).
///
/// Promoters (推荐者) score 9–10, passives (被动者) 7–8, detractors (贬损者) 0–6;
/// NPS = %promoters − %detractors, in points from −100 to 100. Shares are fractions, confidence
/// levels fractions (0.95).
#[pymodule]
#[pyo3(name = "_nps")]
fn nps_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<scale::Scale>()?;
    m.add_class::<tally::Tally>()?;
    m.add_class::<estimate::Estimate>()?;
    m.add_class::<estimate::Comparison>()?;
    m.add_class::<table::Table>()?;
    m.add_class::<journey::Journey>()?;
    m.add_class::<mergeable::Cube>()?;
    m.add_class::<mergeable::DriverMoments>()?;
    m.add_class::<alert::AlertPolicy>()?;
    m.add_class::<alert::AlertQueue>()?;
    m.add_class::<alert::Alerter>()?;
    m.add_class::<monitor::Monitor>()?;
    m.add_class::<text::Taxonomy>()?;
    m.add_function(wrap_pyfunction!(tally::score, m)?)?;
    m.add_function(wrap_pyfunction!(compare::compare, m)?)?;
    m.add_function(wrap_pyfunction!(planning::sample_size, m)?)?;
    m.add_function(wrap_pyfunction!(planning::margin_of_error, m)?)?;
    m.add_function(wrap_pyfunction!(segments::group_by_columns, m)?)?;
    m.add_function(wrap_pyfunction!(segments::attribute_columns, m)?)?;
    m.add_function(wrap_pyfunction!(trend::trend_columns, m)?)?;
    m.add_function(wrap_pyfunction!(trend::study_trigger_dict, m)?)?;
    m.add_function(wrap_pyfunction!(benchmark::benchmark_columns, m)?)?;
    m.add_function(wrap_pyfunction!(journey::journey_columns, m)?)?;
    m.add_function(wrap_pyfunction!(drivers::drivers_of_columns, m)?)?;
    m.add_function(wrap_pyfunction!(drivers::drivers_of_table, m)?)?;
    m.add_function(wrap_pyfunction!(drivers::priorities_of_table, m)?)?;
    m.add_function(wrap_pyfunction!(drivers::journey_priorities_of_table, m)?)?;
    m.add_function(wrap_pyfunction!(alert::alerts_columns, m)?)?;
    m.add_function(wrap_pyfunction!(alert::callback_outcomes_columns, m)?)?;
    m.add_function(wrap_pyfunction!(monitor::monitor_columns, m)?)?;
    m.add_function(wrap_pyfunction!(text::tokenize_texts, m)?)?;
    m.add_function(wrap_pyfunction!(text::distinctive_words_columns, m)?)?;
    m.add_function(wrap_pyfunction!(text::topics_columns, m)?)?;
    m.add_function(wrap_pyfunction!(text::topic_indicator_columns, m)?)?;
    errors::register(m)?;
    m.add(
        "METHODS",
        PyTuple::new(py, Method::NAMES.split(", ").collect::<Vec<_>>())?,
    )?;
    m.add("DEFAULT_PRIOR", DEFAULT_PRIOR)?;
    m.add("DEFAULT_REPLICATES", DEFAULT_REPLICATES)?;
    m.add("DEFAULT_SEED", DEFAULT_SEED)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
