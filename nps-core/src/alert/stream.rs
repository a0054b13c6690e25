//! Streaming evaluation: one response at a time, in bounded memory, resumable after a restart.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::condition::{Row, Scratch};
use super::policy::Policy;
use super::queue::{Alert, AlertUpdate};
use super::response::Response;
use crate::tally::MISSING;
use crate::{Error, Result};

/// Raises alerts from a stream of responses, one at a time, as they arrive: the real-time side
/// of the closed loop (闭环; 危机处理 "crisis handling is real time").
///
/// **Order.** Responses must be pushed in time order: a response earlier than the previous one
/// is an error (and changes nothing); equal times are fine and keep push order.
///
/// **Memory.** The alerter remembers, per customer, only the open alert that later responses
/// could still be merged into: the one created less than the merge window before the latest
/// response time. Older ones are evicted as time advances (each alert is evicted once, so the
/// work is O(1) amortised per push). Memory is therefore bounded by the number of customers
/// alerted within one merge window (each entry holds its alert with the positions of its merged
/// responses), whatever the length of the stream; with a merge window of 0 nothing is kept.
///
/// **Equivalence.** Pushing a batch's responses in time order and keeping the last
/// [`AlertUpdate`] of each alert id gives exactly [`evaluate`](super::evaluate)'s queue (ids,
/// merges, positions: the n-th successful push has position n − 1).
///
/// **Saving and resuming.** The alerter serializes (serde) and is checked when read back, so a
/// stream can be resumed after a restart: save it between pushes, read it back, push the rest,
/// and the updates (ids, merges, positions) are exactly those of an uninterrupted run. Its form
/// is `{"policy", "open", "expiry", "last_at", "next_id", "pushed"}`: the policy (its JSON
/// form, [`Policy::to_json`]), the alerts still open for merging (by id, as [`Alert`]), their
/// expiry queue (`{"created_at", "customer"}`, oldest first), the time of the latest response,
/// the next id and the number of responses pushed. Reading it back checks the policy and that
/// the rest is a state the alerter could have reached ([`Error::InvalidArgument`] naming
/// `alerter` and what is wrong otherwise; see the `TryFrom` below).
///
/// # Examples
/// ```
/// use nps_core::{AlertUpdate, Alerter, Policy, Response};
/// let policy = Policy::from_json(r#"{"merge_window_hours": 24, "default_owner": "CX", "rules": [
///   {"name": "detractor", "when": {"score": {"max": 6}}, "priority": 2, "service_level_hours": 24}
/// ]}"#)?;
/// let mut alerter = Alerter::new(policy);
/// let r = |at, score| Response { at, customer: "C-1", score: Some(score), ..Response::default() };
/// assert!(matches!(alerter.push(&r(0, 3))?, Some(AlertUpdate::Opened(_))));
/// assert!(alerter.push(&r(60, 9))?.is_none()); // a promoter: no rule fires
/// let Some(AlertUpdate::Merged(a)) = alerter.push(&r(3_600, 5))? else { panic!() };
/// assert_eq!((a.id, a.responses.clone()), (1, vec![0, 2]));
/// // A day after the alert's creation the window has passed: a new alert.
/// let update = alerter.push(&r(86_400, 4))?.unwrap();
/// assert!(matches!(update, AlertUpdate::Opened(ref a) if a.id == 2));
/// assert!(alerter.push(&r(10, 4)).is_err()); // earlier than the previous response
///
/// // Saved and read back (e.g. after a restart), it carries on where it was.
/// let saved = serde_json::to_string(&alerter)?;
/// let mut resumed: Alerter = serde_json::from_str(&saved)?;
/// assert_eq!(resumed, alerter);
/// let Some(AlertUpdate::Merged(a)) = resumed.push(&r(86_400 + 60, 1))? else { panic!() };
/// assert_eq!((a.id, a.responses.clone()), (2, vec![3, 4]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "AlerterState", try_from = "AlerterState")]
pub struct Alerter {
    policy: Policy,
    /// Per customer, the alert still open for merging.
    open: HashMap<String, Alert>,
    /// (creation time, customer) of the open alerts, oldest first.
    expiry: VecDeque<(i64, String)>,
    /// Time of the latest response pushed.
    last_at: Option<i64>,
    /// Id of the next alert opened.
    next_id: u64,
    /// Responses pushed successfully so far (the next position).
    pushed: u64,
    /// Reusable buffers of an evaluation (rebuilt from the policy when read back).
    scratch: Scratch,
}

impl PartialEq for Alerter {
    /// Alerters are equal when their policies and states are (the scratch space aside): the same
    /// responses pushed into both give the same updates.
    fn eq(&self, other: &Self) -> bool {
        self.policy == other.policy
            && self.open == other.open
            && self.expiry == other.expiry
            && self.last_at == other.last_at
            && self.next_id == other.next_id
            && self.pushed == other.pushed
    }
}

/// The serialized form of an [`Alerter`]: everything but the scratch space, checked on the way
/// in.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlerterState {
    policy: Policy,
    /// The alerts still open for merging, by id.
    open: Vec<Alert>,
    /// Their creation times and customers, oldest first.
    expiry: Vec<Expiry>,
    last_at: Option<i64>,
    next_id: u64,
    pushed: u64,
}

/// An entry of the expiry queue.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expiry {
    created_at: i64,
    customer: String,
}

impl From<Alerter> for AlerterState {
    fn from(a: Alerter) -> Self {
        let mut open: Vec<Alert> = a.open.into_values().collect();
        open.sort_unstable_by_key(|alert| alert.id);
        AlerterState {
            policy: a.policy,
            open,
            expiry: (a.expiry.into_iter())
                .map(|(created_at, customer)| Expiry {
                    created_at,
                    customer,
                })
                .collect(),
            last_at: a.last_at,
            next_id: a.next_id,
            pushed: a.pushed,
        }
    }
}

impl TryFrom<AlerterState> for Alerter {
    type Error = Error;

    /// Checks, besides the policy (its own checks, [`Policy::new`]), that the state is one the
    /// alerter could have reached:
    /// - `last_at` is given exactly when responses were pushed (`pushed` > 0);
    /// - every open alert: its customer appears once; created at or before `last_at` and less
    ///   than the merge window before it (older ones would have been evicted; none with a
    ///   window of 0); an id below `next_id`, distinct; due at or after its creation; rules of
    ///   the policy, at least one, without repeats, its priority the most urgent of theirs; an
    ///   owner the policy can give; a score on the policy's scale; response positions
    ///   increasing, below `pushed`, in no other open alert;
    /// - the expiry queue has exactly one entry per open alert, with its creation time and
    ///   customer, in time order.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `alerter`, the value saying what is wrong; the policy's
    /// [`Error::InvalidPolicy`].
    fn try_from(state: AlerterState) -> Result<Self> {
        let bad = |value: String| Error::InvalidArgument {
            field: "alerter",
            value,
            expected: "an alerter as serialized by nps (a consistent state)",
        };
        let AlerterState {
            policy,
            open,
            expiry,
            last_at,
            next_id,
            pushed,
        } = state;
        if last_at.is_some() != (pushed > 0) {
            return Err(bad(format!(
                "last_at {last_at:?} with {pushed} responses pushed (a time is kept exactly \
                 when responses were pushed)"
            )));
        }
        let spec = policy.spec();
        let window = policy.compiled.window;
        let scale = policy.scale();
        let priorities: HashMap<&str, u8> = (spec.rules.iter())
            .map(|r| (r.name.as_str(), r.priority))
            .collect();
        let owners: HashSet<&str> = (spec.rules.iter())
            .filter_map(|r| r.owner.as_deref())
            .chain(spec.departments.values().map(String::as_str))
            .chain(spec.default_owner.as_deref())
            .collect();
        let mut ids = HashSet::with_capacity(open.len());
        let mut positions = HashSet::new();
        let mut by_customer: HashMap<String, Alert> = HashMap::with_capacity(open.len());
        for alert in open {
            let name = format!("open alert {} (customer {:?})", alert.id, alert.customer);
            if by_customer.contains_key(&alert.customer) {
                return Err(bad(format!(
                    "customer {:?} with two open alerts",
                    alert.customer
                )));
            }
            if !ids.insert(alert.id) {
                return Err(bad(format!("id {} on two open alerts", alert.id)));
            }
            if alert.id >= next_id {
                return Err(bad(format!("{name}: id not below next_id {next_id}")));
            }
            let live = last_at.is_some_and(|last| {
                alert.created_at <= last && last.saturating_sub(alert.created_at) < window
            });
            if !live {
                return Err(bad(format!(
                    "{name}: created at {} but the latest response is at {last_at:?} and the \
                     merge window is {window} s (it would have been evicted)",
                    alert.created_at
                )));
            }
            if alert.due_at < alert.created_at {
                return Err(bad(format!(
                    "{name}: due at {}, before its creation at {}",
                    alert.due_at, alert.created_at
                )));
            }
            let mut most_urgent = None;
            for (i, rule) in alert.rules.iter().enumerate() {
                let Some(&priority) = priorities.get(rule.as_str()) else {
                    return Err(bad(format!("{name}: rule {rule:?} is not in the policy")));
                };
                if alert.rules[..i].contains(rule) {
                    return Err(bad(format!("{name}: rule {rule:?} twice")));
                }
                most_urgent = Some(most_urgent.map_or(priority, |p: u8| p.min(priority)));
            }
            match most_urgent {
                None => return Err(bad(format!("{name}: no rule fired"))),
                Some(p) if p != alert.priority => {
                    return Err(bad(format!(
                        "{name}: priority {}, but the most urgent of its rules is {p}",
                        alert.priority
                    )));
                }
                Some(_) => {}
            }
            if !owners.contains(alert.owner.as_str()) {
                return Err(bad(format!(
                    "{name}: owner {:?} is not one the policy gives",
                    alert.owner
                )));
            }
            if let Some(s) = alert.score
                && !scale.contains(s)
            {
                return Err(bad(format!("{name}: score {s} off the policy's scale")));
            }
            if alert.responses.is_empty()
                || !alert.responses.is_sorted_by(|a, b| a < b)
                || alert.responses.iter().any(|&p| p >= pushed)
            {
                return Err(bad(format!(
                    "{name}: response positions {:?} (at least one, increasing, below the \
                     {pushed} responses pushed)",
                    alert.responses
                )));
            }
            if let Some(p) = alert.responses.iter().find(|&&p| !positions.insert(p)) {
                return Err(bad(format!(
                    "{name}: response position {p} in two open alerts"
                )));
            }
            by_customer.insert(alert.customer.clone(), alert);
        }
        if expiry.len() != by_customer.len() {
            return Err(bad(format!(
                "{} expiry entries for {} open alerts",
                expiry.len(),
                by_customer.len()
            )));
        }
        let mut queued = HashSet::with_capacity(expiry.len());
        let mut previous = i64::MIN;
        for (i, e) in expiry.iter().enumerate() {
            let matches = by_customer
                .get(&e.customer)
                .is_some_and(|a| a.created_at == e.created_at);
            if !matches || !queued.insert(e.customer.as_str()) {
                return Err(bad(format!(
                    "expiry entry {i} (customer {:?}, created at {}) does not match an open \
                     alert (or repeats one)",
                    e.customer, e.created_at
                )));
            }
            if e.created_at < previous {
                return Err(bad(format!(
                    "expiry entry {i} created at {}, before the entry ahead of it ({previous}): \
                     not in time order",
                    e.created_at
                )));
            }
            previous = e.created_at;
        }
        let scratch = policy.compiled.scratch();
        Ok(Alerter {
            policy,
            open: by_customer,
            expiry: (expiry.into_iter())
                .map(|e| (e.created_at, e.customer))
                .collect(),
            last_at,
            next_id,
            pushed,
            scratch,
        })
    }
}

impl Alerter {
    /// An alerter with no history; its first alert has id 1.
    pub fn new(policy: Policy) -> Alerter {
        let scratch = policy.compiled.scratch();
        Alerter {
            policy,
            open: HashMap::new(),
            expiry: VecDeque::new(),
            last_at: None,
            next_id: 1,
            pushed: 0,
            scratch,
        }
    }

    /// The same alerter numbering its alerts from `first_id` (to continue the numbering of an
    /// earlier run whose state was not kept; an alerter saved and read back, see above, resumes
    /// with its numbering, its open alerts and its positions).
    pub fn starting_at(mut self, first_id: u64) -> Alerter {
        self.next_id = first_id;
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Number of responses pushed successfully.
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    /// The id the next alert opened will get.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Number of alerts held open for merging (the memory bound: customers alerted within one
    /// merge window of the latest response).
    pub fn open_alerts(&self) -> usize {
        self.open.len()
    }

    /// The alerts held open for merging, oldest first (ties in id order), as they are now.
    pub fn open(&self) -> impl ExactSizeIterator<Item = &Alert> {
        self.expiry.iter().map(|(_, customer)| &self.open[customer])
    }

    /// Evaluates one response: `Some(Opened)` when it opens an alert, `Some(Merged)` when it is
    /// merged into its customer's open alert, `None` when no rule fires.
    ///
    /// # Errors
    /// Nothing changes on error.
    /// - [`Error::InvalidArgument`] naming `at` when the response is earlier than the previous
    ///   one (the value gives both times and the response's position);
    /// - [`Error::InvalidScore`] for a score off the policy's scale;
    /// - [`Error::InvalidArgument`] naming `previous` (off the scale) or `value` (not finite).
    ///
    /// The index in these errors is the response's position: the number of responses pushed
    /// successfully before it.
    pub fn push(&mut self, response: &Response<'_>) -> Result<Option<AlertUpdate>> {
        let position = self.pushed;
        let at = response.at;
        if let Some(last) = self.last_at
            && at < last
        {
            return Err(Error::InvalidArgument {
                field: "at",
                value: format!(
                    "{at} at index {position}, earlier than the previous response's {last}"
                ),
                expected: "responses pushed in time order (each at or after the previous one)",
            });
        }
        let scale = self.policy.scale();
        response.validate(scale, position)?;
        self.last_at = Some(at);
        self.pushed += 1;
        let window = self.policy.compiled.window;
        while let Some((created, _)) = self.expiry.front()
            && at.saturating_sub(*created) >= window
        {
            let (_, customer) = self.expiry.pop_front().expect("front exists");
            self.open.remove(&customer);
        }

        let row = Row {
            score: response.score.unwrap_or(MISSING),
            previous: response.previous,
            value: response.value,
            comment: response.comment,
        };
        let touchpoint = response.touchpoint;
        let rules = &self.policy.compiled.rules;
        let touchpoint_ok = |r: usize| {
            touchpoint.is_some_and(|t| {
                rules[r]
                    .touchpoints
                    .as_ref()
                    .is_none_or(|list| list.iter().any(|l| l == t))
            })
        };
        let Some(firing) = self
            .policy
            .compiled
            .fire(at, row, touchpoint_ok, &mut self.scratch)
        else {
            return Ok(None);
        };
        if let Some(alert) = self.open.get_mut(response.customer) {
            alert.absorb(&self.policy, touchpoint, position, firing, &self.scratch);
            return Ok(Some(AlertUpdate::Merged(alert.clone())));
        }
        let alert = Alert::open(
            &self.policy,
            self.next_id,
            response.customer,
            touchpoint,
            at,
            response.score,
            position,
            firing,
            &self.scratch,
        );
        self.next_id += 1;
        if window > 0 {
            self.open
                .insert(response.customer.to_owned(), alert.clone());
            self.expiry.push_back((at, response.customer.to_owned()));
        }
        Ok(Some(AlertUpdate::Opened(alert)))
    }
}
