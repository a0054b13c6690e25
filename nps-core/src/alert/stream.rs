//! Streaming evaluation: one response at a time, in bounded memory.

use std::collections::{HashMap, VecDeque};

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
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone)]
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
    scratch: Scratch,
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
    /// earlier run).
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
