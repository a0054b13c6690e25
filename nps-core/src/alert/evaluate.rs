//! Batch evaluation: a column batch of responses to the call-back queue.

use super::condition::Row;
use super::policy::Policy;
use super::queue::{Alert, Queue};
use super::response::{Responses, previous_code};
use crate::Result;
use crate::table::NA;
use crate::tally::{MISSING, ScoreValue};

/// No open alert for a customer.
const NONE: usize = usize::MAX;

/// Evaluates a batch of responses against a policy: the prioritised call-back (回访) queue.
///
/// The responses are processed in time order (ties in input order; the batch may come in any
/// order). On each, every rule is tested ([`Conditions`](super::Conditions)); if any fires, the
/// response opens an alert, or is merged into its customer's open alert when it comes less than
/// the merge window after that alert's creation (see [`Alert`] for what a merged alert keeps).
/// Alert ids are 1, 2, 3… in the order alerts are opened.
///
/// The result equals pushing the responses one by one, in time order, through an
/// [`Alerter`](super::Alerter) and keeping the last update of each alert.
///
/// # Errors
/// - [`Error::LengthMismatch`](crate::Error::LengthMismatch) naming the first column whose
///   length differs from `at`'s;
/// - [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `customers` and the index
///   of a missing customer;
/// - [`Error::InvalidScore`](crate::Error::InvalidScore) for a score off the policy's scale,
///   naming the index;
/// - [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `previous` (not a whole
///   score on the scale, nor NaN) or `value` (infinite) and the index.
///
/// # Examples
/// ```
/// use nps_core::{Dimension, Policy, Responses, evaluate};
/// let policy = Policy::from_json(r#"{"merge_window_hours": 24, "default_owner": "CX", "rules": [
///   {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2, "service_level_hours": 24},
///   {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1, "service_level_hours": 2}
/// ]}"#)?;
/// let customers = Dimension::from_values("customer", &[Some("A"), Some("B"), Some("A")]);
/// let touchpoints = Dimension::from_values("touchpoint", &[Some("app"); 3]);
/// let comments = [None, None, Some("我要投诉")];
/// let at = [0, 3_600, 7_200];
/// let batch = Responses::new(&at, &customers, &touchpoints, &[3u8, 9, 2]).with_comments(&comments);
/// let queue = evaluate(&policy, &batch)?;
/// // Customer A's two responses (2 h apart, within 24 h) make one alert, escalated to priority 1.
/// assert_eq!(queue.len(), 1);
/// let a = &queue.alerts()[0];
/// assert_eq!((a.id, a.customer.as_str(), a.priority), (1, "A", 1));
/// assert_eq!(a.rules, ["detractor", "crisis"]);
/// assert_eq!(a.responses, [0, 2]);
/// assert_eq!(a.due_at, 7_200 + 2 * 3_600); // the crisis firing's due time is the earliest
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn evaluate<S: ScoreValue>(policy: &Policy, responses: &Responses<'_, S>) -> Result<Queue> {
    let scale = policy.scale();
    let scores = responses.validate(scale)?;
    let at = responses.at;
    let n = at.len();
    let order: Option<Vec<usize>> = if at.is_sorted() {
        None
    } else {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by_key(|&i| (at[i], i));
        Some(order)
    };

    let compiled = &policy.compiled;
    let customers = responses.customers;
    let touchpoints = responses.touchpoints;
    let tp_codes = touchpoints.codes();
    let cust_codes = customers.codes();
    // Per rule with a touchpoint condition, whether each touchpoint level matches.
    let tp_allowed: Vec<Option<Vec<bool>>> = compiled
        .rules
        .iter()
        .map(|m| {
            m.touchpoints.as_ref().map(|list| {
                touchpoints
                    .levels()
                    .iter()
                    .map(|l| list.contains(l))
                    .collect()
            })
        })
        .collect();
    let window = compiled.window;
    let mut open = if window > 0 {
        vec![NONE; customers.levels().len()]
    } else {
        Vec::new()
    };
    let mut alerts: Vec<Alert> = Vec::new();
    let mut scratch = compiled.scratch();

    for k in 0..n {
        let i = order.as_ref().map_or(k, |o| o[k]);
        let score = scores[i];
        let row = Row {
            score,
            previous: responses.previous.and_then(|p| previous_code(scale, p[i])),
            value: responses.value.map(|v| v[i]).filter(|v| !v.is_nan()),
            comment: responses.comments.and_then(|c| c[i]),
        };
        let tp = tp_codes[i];
        let t = at[i];
        let touchpoint_ok = |r: usize| {
            tp != NA
                && tp_allowed[r]
                    .as_ref()
                    .is_none_or(|allowed| allowed[tp as usize])
        };
        let Some(firing) = compiled.fire(t, row, touchpoint_ok, &mut scratch) else {
            continue;
        };
        let customer = cust_codes[i] as usize;
        let touchpoint = touchpoints.levels().get(tp as usize).map(String::as_str);
        if window > 0 {
            let slot = open[customer];
            if slot != NONE {
                let alert = &mut alerts[slot];
                if t.saturating_sub(alert.created_at) < window {
                    alert.absorb(policy, touchpoint, i as u64, firing, &scratch);
                    continue;
                }
            }
            open[customer] = alerts.len();
        }
        alerts.push(Alert::open(
            policy,
            alerts.len() as u64 + 1,
            &customers.levels()[customer],
            touchpoint,
            t,
            (score != MISSING).then_some(score),
            i as u64,
            firing,
            &scratch,
        ));
    }
    Ok(Queue::sorted(scale, alerts))
}
