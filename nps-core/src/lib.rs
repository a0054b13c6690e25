//! # nps-core
//!
//! The engine of **nps**: Net Promoter Score (净推荐值) estimation that is fast and
//! statistically careful, with no I/O, no FFI and no Python. The C library (`nps-ffi`) and the
//! Python module (`nps-py`) wrap this crate and add no algorithm of their own.
//!
//! - [`Scale`]: the 0–10 question and its cut-points (detractor 贬损者 0–6, passive 被动者 7–8,
//!   promoter 推荐者 9–10), or other cut-points for other scales.
//! - [`Tally`]: the sufficient statistic of a set of answers (score counts; Σw, Σw² per category
//!   when weighted). Tallies merge exactly, so a map-reduce gives the single-machine answer.
//! - [`Tally::estimate`]: NPS, shares, standard error and an interval by [`Method`]: `wald`,
//!   `adjusted_wald` (the default), `score`, `bayes`, `bootstrap`.
//! - [`compare`]: the difference between two independent samples with its test.
//! - [`margin_of_error`] and [`sample_size`]: planning a survey.
//!
//! Conventions: NPS, standard errors and bounds in points (−100..100); shares as fractions;
//! confidence levels as fractions (0.95). Every result serializes with serde.
//!
//! ```
//! use nps_core::{Method, Tally};
//! let tally = Tally::from_scores(&[10u8, 9, 9, 8, 7, 6, 10, 3, 9, 10])?;
//! let e = tally.estimate(Method::AdjustedWald, 0.95)?;
//! assert_eq!(e.n, 10);
//! assert!((e.nps - 40.0).abs() < 1e-12);
//! assert!(e.low < e.nps && e.nps < e.high);
//! # Ok::<(), nps_core::Error>(())
//! ```

mod alert;
mod attribution;
mod benchmark;
mod compare;
mod count;
mod cube;
mod drivers;
mod error;
mod fdr;
mod group;
mod interval;
mod journey;
mod level;
mod memory;
mod monitor;
mod period;
mod planning;
mod priority;
mod scale;
mod solve;
mod table;
mod tally;
mod text;
mod trend;

pub use alert::{
    Alert, AlertUpdate, Alerter, Callback, CallbackReport, CallbackStats, Callbacks, Conditions,
    MAX_HOURS, NOT_CONTACTED, Policy, PolicySpec, Proportion, Queue, Response, Responses, Rule,
    ScoreRange, evaluate, outcomes,
};
pub use attribution::{Attribution, Decomposition, SegmentEffect, Split, attribute};
pub use benchmark::{Benchmark, BenchmarkOptions, BrandRow, DriverMean, Gain, Gap, benchmark};
pub use compare::{Comparison, compare};
pub use cube::Cube;
pub use drivers::{
    Correlation, DEFAULT_MAX_EXACT, DriverGroup, DriverGrouping, DriverImportance, DriverMethod,
    DriverMoments, DriverOptions, DriverRow, MAX_EXACT_LIMIT, Missing, Outcome, correlate, drivers,
    drivers_by, importance,
};
pub use error::{Error, Result};
pub use fdr::{Adjustment, BENJAMINI_HOCHBERG, benjamini_hochberg};
pub use group::{DEFAULT_MIN_N, Group, GroupOptions, Grouping, Key, Level, group_by};
pub use interval::{
    ADJUSTED_WALD_PSEUDO, DEFAULT_PRIOR, DEFAULT_REPLICATES, DEFAULT_SEED, Estimate, Method,
};
pub use journey::{Journey, JourneyRow, Node, NodeKind, journey};
pub use level::{p_value_two_sided, z_critical};
pub use memory::copy_column;
pub use monitor::{
    Alarm, Baseline, BaselineSource, CusumChart, DEFAULT_ARL0, DEFAULT_SHIFT_POINTS,
    DEFAULT_WARMUP, GUARANTEE_REPLICATES, Monitor, MonitorOptions, Monitoring, OVERSHOOT, Shift,
    TouchpointState, cusum_arl, guaranteed_threshold, monitor,
};
pub use period::{Date, Period, PeriodUnit, period_codes, period_span};
pub use planning::{margin_of_error, sample_size};
pub use priority::{
    JourneyPriority, Performance, Priorities, PriorityOptions, PriorityRow, Quadrant, Reference,
    Threshold, journey_priorities, priorities,
};
pub use scale::{BINS, Category, MAX_SCORE, Scale};
pub use table::{Code, Dimension, Driver, NA, Table};
pub use tally::{ScoreValue, Shares, Tally, WeightSums};
pub use text::{
    DEFAULT_ALPHA0, DEFAULT_MIN_COUNT, DistinctiveWords, Impact, Language, Taxonomy,
    TokenizeOptions, Tokenizer, Tokens, Topic, TopicAnalysis, TopicGroup, TopicIndicators,
    TopicOptions, TopicRow, Utf8Policy, WordGroup, WordOptions, WordRow, add_topic_drivers,
    comments_from_buffer, comments_from_bytes, distinctive_words, tokenize, topic_indicators,
    topics,
};
pub use trend::{
    Change, Direction, Point, Series, Slope, StudyTrigger, Trend, TrendOptions, study_trigger,
    trend,
};
