//! Outcomes of the call-backs (回访): was the customer contacted within the service level, how
//! fast, and did a detractor recover — the measuring end of the closed loop (闭环).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::queue::{Alert, Queue};
use crate::level::z_critical;
use crate::priority::wilson;
use crate::scale::{Category, MAX_SCORE, Scale};
use crate::{Error, Result};

/// `contacted_at` of a [`Callbacks`] row when the customer was not reached: `i64::MIN`, which
/// is also numpy's `NaT` for `datetime64[s]`.
pub const NOT_CONTACTED: i64 = i64::MIN;

/// One call-back record (回访记录) against an alert of the queue.
///
/// Several records may name the same alert (several attempts): the alert counts as contacted
/// at the earliest contact time of its records, as resolved when any record says so, and its
/// later score is that of the last record (in input order) that has one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Callback {
    /// The alert's id.
    pub alert: u64,
    /// When the customer was reached (seconds since the Unix epoch, UTC); `None` if not.
    pub contacted_at: Option<i64>,
    /// Whether the case was closed as resolved (投诉关闭).
    pub resolved: bool,
    /// The customer's recommend score after the call-back (e.g. the next tNPS), if known.
    pub later_score: Option<u8>,
}

/// Call-back records by column (one element per record), as C and Python callers hold them.
#[derive(Debug, Clone, Copy)]
pub struct Callbacks<'a> {
    /// The alert ids.
    pub alerts: &'a [u64],
    /// Contact times; [`NOT_CONTACTED`] when the customer was not reached.
    pub contacted_at: &'a [i64],
    /// Whether each case was resolved.
    pub resolved: &'a [bool],
    /// Later scores; NaN when unknown.
    pub later_scores: &'a [f64],
}

impl Callbacks<'_> {
    /// The records, checked.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming the first column whose length differs from `alerts`';
    /// [`Error::InvalidScore`] for a later score that is not a whole score on `scale` (nor
    /// NaN), naming the record.
    pub fn records(&self, scale: Scale) -> Result<Vec<Callback>> {
        let n = self.alerts.len();
        for (field, found) in [
            ("contacted_at", self.contacted_at.len()),
            ("resolved", self.resolved.len()),
            ("later_scores", self.later_scores.len()),
        ] {
            if found != n {
                return Err(Error::LengthMismatch {
                    field: field.into(),
                    found,
                    other: "alerts".into(),
                    expected: n,
                });
            }
        }
        (0..n)
            .map(|i| {
                let s = self.later_scores[i];
                let later_score = if s.is_nan() {
                    None
                } else if s >= 0.0 && s <= f64::from(MAX_SCORE) && s.fract() == 0.0 {
                    Some(s as u8)
                } else {
                    return Err(invalid_later(scale, i, s));
                };
                Ok(Callback {
                    alert: self.alerts[i],
                    contacted_at: Some(self.contacted_at[i]).filter(|&t| t != NOT_CONTACTED),
                    resolved: self.resolved[i],
                    later_score,
                })
            })
            .collect()
    }
}

fn invalid_later(scale: Scale, index: usize, value: f64) -> Error {
    Error::InvalidScore {
        index,
        value,
        min: scale.min(),
        max: scale.max(),
    }
}

/// A proportion `count / n` with its Wilson (1927) score interval.
///
/// With p̂ = count/n and z = z_{1−α/2} (α = 1 − level), the interval is
/// (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)
/// (Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
/// JASA 22(158), 209–212). Unlike the Wald interval it stays inside [0, 1] and is not empty at
/// p̂ = 0 or 1. `share`, `low` and `high` are `None` when n = 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// The numerator.
    pub count: u64,
    /// The denominator.
    pub n: u64,
    /// count / n.
    pub share: Option<f64>,
    /// Lower bound of the Wilson interval.
    pub low: Option<f64>,
    /// Upper bound of the Wilson interval.
    pub high: Option<f64>,
}

impl Proportion {
    /// `count / n` with its Wilson interval at `level` (a validated level).
    fn new(count: u64, n: u64, level: f64) -> Result<Proportion> {
        if n == 0 {
            return Ok(Proportion {
                count,
                n,
                share: None,
                low: None,
                high: None,
            });
        }
        let p = count as f64 / n as f64;
        let (low, high) = wilson(p, n as f64, level)?;
        Ok(Proportion {
            count,
            n,
            share: Some(p),
            low: Some(low),
            high: Some(high),
        })
    }
}

/// The call-back outcomes of a group of alerts (one owner, one touchpoint, or all).
///
/// - `on_time`: alerts contacted at or before their due time (contacted_at ≤ due_at), among all
///   alerts of the group, with a Wilson interval.
/// - `hours_to_contact_p50`, `_p90`: percentiles of contacted_at − created_at, in hours, over
///   the contacted alerts, by Hyndman & Fan (1996) type 7 (the default of R's `quantile` and
///   numpy's `percentile`): with the n sorted times x₁ ≤ … ≤ xₙ and h = (n − 1)·p + 1,
///   Q(p) = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋). `None` when no alert was contacted.
/// - `recovery`: detractor alerts (opening score a detractor, 贬损者) whose later score is passive
///   or promoter, among the detractor alerts with a later score, with a Wilson interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackStats {
    /// The owner or touchpoint; `None` for the overall row and for alerts with no touchpoint.
    pub name: Option<String>,
    /// Number of alerts.
    pub alerts: u64,
    /// Alerts whose customer was reached (at any time).
    pub contacted: u64,
    /// Alerts resolved.
    pub resolved: u64,
    /// Alerts contacted within the service level, among all alerts.
    pub on_time: Proportion,
    /// Median hours from creation to contact (type 7).
    pub hours_to_contact_p50: Option<f64>,
    /// 90th percentile of hours from creation to contact (type 7).
    pub hours_to_contact_p90: Option<f64>,
    /// Detractor alerts whose later score is passive or promoter, among detractor alerts with
    /// a later score.
    pub recovery: Proportion,
}

/// The outcomes of the call-backs of a queue: overall, per owner (sorted by name) and per
/// touchpoint (sorted by name; alerts with no touchpoint last, with `name` `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackReport {
    /// The confidence level of the intervals.
    pub level: f64,
    /// All alerts.
    pub overall: CallbackStats,
    /// One row per owner.
    pub by_owner: Vec<CallbackStats>,
    /// One row per touchpoint.
    pub by_touchpoint: Vec<CallbackStats>,
}

/// What the records say about one alert.
#[derive(Debug, Clone, Copy, Default)]
struct Status {
    contacted_at: Option<i64>,
    resolved: bool,
    later_score: Option<u8>,
}

/// Running counts of a group.
#[derive(Debug, Clone, Default)]
struct Acc {
    alerts: u64,
    contacted: u64,
    resolved: u64,
    on_time: u64,
    /// Seconds from creation to contact.
    waits: Vec<i64>,
    detractors_followed: u64,
    recovered: u64,
}

impl Acc {
    fn add(&mut self, alert: &Alert, status: &Status, scale: Scale) {
        self.alerts += 1;
        if let Some(t) = status.contacted_at {
            self.contacted += 1;
            self.waits.push(t - alert.created_at);
            if t <= alert.due_at {
                self.on_time += 1;
            }
        }
        if status.resolved {
            self.resolved += 1;
        }
        if alert.score.map(|s| scale.category(s)) == Some(Category::Detractor)
            && let Some(later) = status.later_score
        {
            self.detractors_followed += 1;
            if scale.category(later) != Category::Detractor {
                self.recovered += 1;
            }
        }
    }

    fn finish(mut self, name: Option<String>, level: f64) -> Result<CallbackStats> {
        self.waits.sort_unstable();
        let hours: Vec<f64> = self.waits.iter().map(|&s| s as f64 / 3600.0).collect();
        Ok(CallbackStats {
            name,
            alerts: self.alerts,
            contacted: self.contacted,
            resolved: self.resolved,
            on_time: Proportion::new(self.on_time, self.alerts, level)?,
            hours_to_contact_p50: percentile(&hours, 0.5),
            hours_to_contact_p90: percentile(&hours, 0.9),
            recovery: Proportion::new(self.recovered, self.detractors_followed, level)?,
        })
    }
}

/// Hyndman & Fan (1996) type 7 percentile of sorted values: with h = (n − 1)p (0-based),
/// x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]).
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The outcomes of the call-backs (回访) of a queue: per owner, per touchpoint and overall, the
/// share of alerts contacted within their service level, the time to contact, and the recovery
/// rate of detractors (see [`CallbackStats`] for the definitions and formulas).
///
/// Alerts with no record count as not contacted, not resolved, with no later score.
///
/// # Errors
/// - [`Error::InvalidLevel`] unless 0 < `level` < 1;
/// - [`Error::UnknownAlert`] for a record naming an alert not in the queue (with the record's
///   index);
/// - [`Error::InvalidScore`] for a later score off the queue's scale (with the record's index);
/// - [`Error::InvalidArgument`] naming `contacted_at` for a contact before the alert's creation
///   (the value names the record, the alert and both times).
///
/// # Examples
/// ```
/// use nps_core::{Callback, Dimension, Policy, Responses, evaluate, outcomes};
/// let policy = Policy::from_json(r#"{"default_owner": "CX", "rules": [
///   {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 1, "service_level_hours": 24}
/// ]}"#)?;
/// let customers = Dimension::from_values("customer", &[Some("A"), Some("B")]);
/// let touchpoints = Dimension::from_values("touchpoint", &[Some("app"), Some("app")]);
/// let queue = evaluate(&policy, &Responses::new(&[0, 0], &customers, &touchpoints, &[2u8, 5]))?;
/// let records = [
///     Callback { alert: 1, contacted_at: Some(3_600), resolved: true, later_score: Some(9) },
///     Callback { alert: 2, contacted_at: Some(2 * 86_400), resolved: false, later_score: Some(4) },
/// ];
/// let report = outcomes(&queue, &records, 0.95)?;
/// assert_eq!(report.overall.on_time.count, 1); // alert 2 was reached after 48 h > 24 h
/// assert_eq!(report.overall.recovery.share, Some(0.5));
/// assert_eq!(report.overall.hours_to_contact_p50, Some(24.5));
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn outcomes(queue: &Queue, callbacks: &[Callback], level: f64) -> Result<CallbackReport> {
    z_critical(level)?;
    let scale = queue.scale();
    let alerts = queue.alerts();
    let index: HashMap<u64, usize> = alerts.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let mut status = vec![Status::default(); alerts.len()];
    for (i, record) in callbacks.iter().enumerate() {
        let Some(&k) = index.get(&record.alert) else {
            return Err(Error::UnknownAlert {
                index: i,
                id: record.alert.to_string(),
            });
        };
        let alert = &alerts[k];
        if let Some(s) = record.later_score
            && !scale.contains(s)
        {
            return Err(invalid_later(scale, i, f64::from(s)));
        }
        if let Some(t) = record.contacted_at
            && t < alert.created_at
        {
            return Err(Error::InvalidArgument {
                field: "contacted_at",
                value: format!(
                    "{t} in call-back record {i}, before alert {} was created at {}",
                    alert.id, alert.created_at
                ),
                expected: "a contact at or after the alert's creation",
            });
        }
        let s = &mut status[k];
        s.contacted_at = match (s.contacted_at, record.contacted_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        s.resolved |= record.resolved;
        if record.later_score.is_some() {
            s.later_score = record.later_score;
        }
    }

    let mut overall = Acc::default();
    let mut by_owner: BTreeMap<&str, Acc> = BTreeMap::new();
    let mut by_touchpoint: BTreeMap<(bool, &str), Acc> = BTreeMap::new();
    for (alert, s) in alerts.iter().zip(&status) {
        overall.add(alert, s, scale);
        by_owner
            .entry(alert.owner.as_str())
            .or_default()
            .add(alert, s, scale);
        let tp = alert.touchpoint.as_deref();
        by_touchpoint
            .entry((tp.is_none(), tp.unwrap_or("")))
            .or_default()
            .add(alert, s, scale);
    }
    Ok(CallbackReport {
        level,
        overall: overall.finish(None, level)?,
        by_owner: by_owner
            .into_iter()
            .map(|(name, acc)| acc.finish(Some(name.to_owned()), level))
            .collect::<Result<_>>()?,
        by_touchpoint: by_touchpoint
            .into_iter()
            .map(|((missing, name), acc)| acc.finish((!missing).then(|| name.to_owned()), level))
            .collect::<Result<_>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_type_7() {
        // numpy.percentile([1, 2, 4, 10], [0, 50, 90, 100]) = [1, 3, 8.2, 10].
        let x = [1.0, 2.0, 4.0, 10.0];
        assert_eq!(percentile(&x, 0.0), Some(1.0));
        assert_eq!(percentile(&x, 0.5), Some(3.0));
        assert!((percentile(&x, 0.9).unwrap() - 8.2).abs() < 1e-12);
        assert_eq!(percentile(&x, 1.0), Some(10.0));
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn proportion_edges() {
        let none = Proportion::new(0, 0, 0.95).unwrap();
        assert_eq!((none.share, none.low, none.high), (None, None, None));
        let all = Proportion::new(4, 4, 0.95).unwrap();
        assert_eq!((all.share, all.high), (Some(1.0), Some(1.0)));
        assert!(all.low.unwrap() > 0.5 && all.low.unwrap() < 1.0);
    }
}
