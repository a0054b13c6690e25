//! Alerts and the prioritised call-back (回访) queue.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::condition::{Firing, Scratch};
use super::policy::Policy;
use crate::scale::Scale;
use crate::{Error, Result};

/// One call-back alert: a customer to call back (回访), by whom, how urgently and by when.
///
/// An alert is opened by a response on which at least one rule fires. Later responses of the
/// same customer on which rules fire, at a time t with t − `created_at` < the policy's merge
/// window, are merged into it rather than opening a new alert: the alert then keeps
/// - the most urgent (smallest) `priority` of all its firings, and the `owner` of the first
///   rule (in policy order) with that priority, taken from the first response that reached it;
/// - the earliest `due_at` of all its firings (each firing is due at its response's time plus
///   the service level of the rule);
/// - the names of all rules fired, in order of first firing, without repeats;
/// - the positions of all responses merged (the opening one first).
///
/// `customer`, `touchpoint`, `created_at` and `score` are those of the opening response.
///
/// **Ids** are `u64`, numbered 1, 2, 3… in the order alerts are opened (responses processed in
/// time order; ties in input order), so the same responses and policy always give the same ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The alert's id (1 for the first alert opened).
    pub id: u64,
    /// The customer to call back.
    pub customer: String,
    /// The touchpoint (触点) of the opening response, if it had one.
    pub touchpoint: Option<String>,
    /// Who calls back: a department or team.
    pub owner: String,
    /// Urgency, 1 the most urgent.
    pub priority: u8,
    /// Time of the opening response (seconds since the Unix epoch, UTC).
    pub created_at: i64,
    /// When the call-back is due: the earliest response time + service level of its firings.
    pub due_at: i64,
    /// The names of the rules fired, in order of first firing.
    pub rules: Vec<String>,
    /// The positions of the responses merged into the alert (row index of the batch, or
    /// sequence number of the push, from 0); their number is `responses.len()`.
    pub responses: Vec<u64>,
    /// The score of the opening response (`None` when it had none, e.g. a keyword alert on an
    /// unanswered question).
    pub score: Option<u8>,
}

impl Alert {
    /// Number of responses merged into the alert (1 when nothing was merged).
    pub fn merged(&self) -> usize {
        self.responses.len()
    }

    /// A new alert from a firing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn open(
        policy: &Policy,
        id: u64,
        customer: &str,
        touchpoint: Option<&str>,
        at: i64,
        score: Option<u8>,
        position: u64,
        firing: Firing,
        scratch: &Scratch,
    ) -> Alert {
        let rules = &policy.spec().rules;
        Alert {
            id,
            customer: customer.to_owned(),
            touchpoint: touchpoint.map(str::to_owned),
            owner: policy.owner(firing.lead, touchpoint).to_owned(),
            priority: firing.priority,
            created_at: at,
            due_at: firing.due_at,
            rules: scratch
                .fired
                .iter()
                .map(|&r| rules[r].name.clone())
                .collect(),
            responses: vec![position],
            score,
        }
    }

    /// Merges a later firing of the same customer into the alert.
    pub(crate) fn absorb(
        &mut self,
        policy: &Policy,
        touchpoint: Option<&str>,
        position: u64,
        firing: Firing,
        scratch: &Scratch,
    ) {
        if firing.priority < self.priority {
            self.priority = firing.priority;
            self.owner = policy.owner(firing.lead, touchpoint).to_owned();
        }
        self.due_at = self.due_at.min(firing.due_at);
        let rules = &policy.spec().rules;
        for &r in &scratch.fired {
            let name = &rules[r].name;
            if !self.rules.contains(name) {
                self.rules.push(name.clone());
            }
        }
        self.responses.push(position);
    }

    /// The queue order: priority, then due time, then id.
    fn order_key(&self) -> (u8, i64, u64) {
        (self.priority, self.due_at, self.id)
    }
}

/// What a response pushed into an [`Alerter`](super::Alerter) did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertUpdate {
    /// A new alert was opened (the alert as it is now).
    Opened(Alert),
    /// The response was merged into the customer's open alert (the alert as it is now, with
    /// the same id as when it was opened).
    Merged(Alert),
}

impl AlertUpdate {
    /// The alert, as it is after the response.
    pub fn alert(&self) -> &Alert {
        match self {
            AlertUpdate::Opened(a) | AlertUpdate::Merged(a) => a,
        }
    }

    /// The alert, as it is after the response.
    pub fn into_alert(self) -> Alert {
        match self {
            AlertUpdate::Opened(a) | AlertUpdate::Merged(a) => a,
        }
    }
}

/// The prioritised call-back (回访) queue: alerts sorted by priority (1 first), then due time
/// (earliest first), then id; with the scale of the scores (needed to tell detractor alerts in
/// [`outcomes`](super::outcomes)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "QueueFields")]
pub struct Queue {
    scale: Scale,
    alerts: Vec<Alert>,
}

#[derive(Deserialize)]
struct QueueFields {
    scale: Scale,
    alerts: Vec<Alert>,
}

impl TryFrom<QueueFields> for Queue {
    type Error = Error;
    fn try_from(f: QueueFields) -> Result<Self> {
        Queue::new(f.scale, f.alerts)
    }
}

impl Queue {
    /// A queue of alerts in any order (for instance those an [`Alerter`](super::Alerter)
    /// emitted, the last update of each id), sorted into queue order.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when two alerts have the same id or an alert's score is off
    /// the scale.
    pub fn new(scale: Scale, alerts: Vec<Alert>) -> Result<Queue> {
        let mut ids = HashSet::with_capacity(alerts.len());
        for a in &alerts {
            if !ids.insert(a.id) {
                return Err(Error::InvalidArgument {
                    field: "alerts",
                    value: format!("id {} twice", a.id),
                    expected: "the alerts of a queue have distinct ids",
                });
            }
            if let Some(s) = a.score
                && !scale.contains(s)
            {
                return Err(Error::InvalidArgument {
                    field: "alerts",
                    value: format!("score {s} of alert {}", a.id),
                    expected: "alert scores on the queue's scale",
                });
            }
        }
        Ok(Queue::sorted(scale, alerts))
    }

    /// Sorts alerts known to be valid.
    pub(crate) fn sorted(scale: Scale, alerts: Vec<Alert>) -> Queue {
        // Sort small keys, then move each alert once (sorting the alerts themselves would move
        // each of these large structs O(log n) times).
        let mut keys: Vec<((u8, i64, u64), usize)> = alerts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.order_key(), i))
            .collect();
        if keys.is_sorted() {
            return Queue { scale, alerts };
        }
        keys.sort_unstable();
        let mut slots: Vec<Option<Alert>> = alerts.into_iter().map(Some).collect();
        let alerts = keys
            .iter()
            .map(|&(_, i)| slots[i].take().expect("each alert is taken once"))
            .collect();
        Queue { scale, alerts }
    }

    /// The alerts, in queue order.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// The alerts, in queue order.
    pub fn into_alerts(self) -> Vec<Alert> {
        self.alerts
    }

    /// The scale of the scores.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Number of alerts.
    pub fn len(&self) -> usize {
        self.alerts.len()
    }

    /// Whether the queue has no alert.
    pub fn is_empty(&self) -> bool {
        self.alerts.is_empty()
    }

    /// The alert with id `id`.
    pub fn get(&self, id: u64) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.id == id)
    }
}
