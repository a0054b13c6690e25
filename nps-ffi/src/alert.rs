//! Alerts and the closed loop (闭环): an alert policy; a batch of responses evaluated into the
//! prioritised call-back (回访) queue; the same one response at a time (the alerter); the
//! outcomes of the call-backs against the queue.
//!
//! Texts from C. Customer ids, touchpoints and comments are NUL-terminated UTF-8. A customer id
//! or touchpoint that is not UTF-8 is always an error (`NPS_ERR_INVALID_UTF8` naming the field
//! and the row): an identifier is never altered. A comment is read under a UTF-8 policy,
//! `"error"` by default (`NPS_ERR_INVALID_TEXT` naming the row and the byte offset), or
//! `"replace"` (each invalid sequence becomes U+FFFD, so that a garbled comment still raises
//! its alert on the rest of its text). An empty comment (`""`) is no comment, as NULL is; so is
//! an empty touchpoint.

use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};

use nps_core::{
    Alert, AlertUpdate, Alerter, CallbackReport, CallbackStats, Callbacks, Dimension, Error,
    MAX_SCORE, Policy, Proportion, Queue, Response, Responses, Scale, Utf8Policy,
    comments_from_bytes, evaluate, outcomes,
};

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{
    Out, at, free, give, opt_str, opt_str_array, str_array, try_mut, try_ref, try_slice, try_str,
};
use crate::result;
use crate::status::nps_status;
use crate::text::{c_opt_text, c_text, c_texts, lend};

/// An opaque, validated and compiled alert policy: rules on a response's touchpoint, score,
/// category, drop since the previous score, customer value, comment keywords and comment
/// pattern, each with a priority, an owner and a service level; a merge window for repeated
/// alerts of one customer. Made by `nps_alert_policy_from_json`, used by `nps_alerts_evaluate`
/// and `nps_alerter_new`, freed with `nps_alert_policy_free`. It may be shared by threads.
pub struct nps_alert_policy(Policy);

/// Every text of the policy an alert can lend to C (owners and rule names), checked once so
/// that handing out an alert never fails.
fn check_lendable(policy: &Policy) -> Result<(), Failure> {
    let spec = policy.spec();
    let mut texts = (spec.rules.iter())
        .flat_map(|r| std::iter::once(r.name.as_str()).chain(r.owner.as_deref()))
        .chain(spec.departments.values().map(String::as_str))
        .chain(spec.default_owner.as_deref());
    if texts.any(|t| t.contains('\0')) {
        return Err(Failure::InteriorNul {
            field: "an owner or rule name of the policy",
        });
    }
    Ok(())
}

/// Reads an alert policy from NUL-terminated UTF-8 JSON text:
///
/// ```json
/// {"merge_window_hours": 24,
///  "departments": {"claim.settlement": "理赔部"},
///  "default_owner": "客户服务部",
///  "rules": [
///    {"name": "crisis", "when": {"keywords": ["投诉", "律师"]}, "priority": 1,
///     "owner": "危机处理小组", "service_level_hours": 2},
///    {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 3,
///     "service_level_hours": 24}]}
/// ```
///
/// Policy keys: `rules` (required, at least one), `scale` (`{"min", "max", "detractor_max",
/// "promoter_min"}`, default 0-10 with detractors 0-6 and promoters 9-10), `merge_window_hours`
/// (default 0: never merge), `departments` (touchpoint → owner), `default_owner`. Rule keys:
/// `name`, `when`, `priority` (1 = most urgent), `service_level_hours` (all required), `owner`
/// (else the touchpoint's department, else the default owner). Conditions in `when` (all must
/// hold, at least one given): `touchpoints` (list, any), `score` (`{"min": 0, "max": 6}`),
/// `category` (list of "detractor", "passive", "promoter"), `drop` (previous score − score ≥
/// drop), `min_value` (customer value ≥), `keywords` (list, any, case-insensitive:
/// Latin keywords as whole words, Chinese ones as substrings, as the topics of a taxonomy),
/// `pattern` (a regular expression searched in the comment).
///
/// Errors: `NPS_ERR_INVALID_JSON` for text that is not JSON; `NPS_ERR_INVALID_POLICY` for
/// everything else that makes a policy unusable, the message naming the rule (or "(policy)"):
/// an unknown key (a rule on a field such as "scor"), a negative service level, a pattern that
/// does not compile (with the regex error), no condition, no owner, a score range off the
/// scale, two rules with one name…; `NPS_ERR_INVALID_ARGUMENT` for an owner or rule name with
/// a NUL character (`\u0000`). The caller owns `*out` (`nps_alert_policy_free`) and keeps
/// ownership of `json`.
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_alert_policy *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_policy_from_json(
    json: *const c_char,
    out: *mut *mut nps_alert_policy,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let policy = Policy::from_json(json).map_err(|e| {
            // Text that is not JSON at all: the status C callers expect for bad JSON (the
            // message is the core's).
            if serde_json::from_str::<serde_json::Value>(json).is_err() {
                Failure::JsonDocument(e)
            } else {
                Failure::Core(e)
            }
        })?;
        check_lendable(&policy)?;
        give(out, nps_alert_policy(policy));
        Ok(())
    })
}

/// Stores in `*json_out` the policy as pretty-printed JSON (every key written, defaults
/// included), a new string the caller frees with `nps_string_free`;
/// `nps_alert_policy_from_json` reads it back.
///
/// # Safety
/// `policy` must be a live policy; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_policy_to_json(
    policy: *const nps_alert_policy,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::to_json(policy, "policy", json_out, |p| Ok(p.0.to_json())) }
}

/// Frees a policy. NULL is allowed and does nothing. Queues and alerters made with it stay
/// valid.
///
/// # Safety
/// `policy` must be NULL or a policy from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_policy_free(policy: *mut nps_alert_policy) {
    // SAFETY: as the caller guarantees.
    unsafe { free(policy) }
}

/// A batch of responses by column, for `nps_alerts_evaluate`: every non-NULL array has `n`
/// elements, one per response (row). Zero-initialise it (`nps_alert_responses r = {0};`) and
/// set the columns you have; the optional ones stay NULL.
///
/// Text columns are arrays of NUL-terminated UTF-8 strings (see `utf8_policy` for comments).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nps_alert_responses {
    /// Number of responses.
    pub n: usize,
    /// Required: when each response was given, seconds since 1970-01-01 UTC, in any order
    /// (responses are processed in time order, ties in row order).
    pub at: *const i64,
    /// Required: the customer of each response (the one to call back); a NULL element is an
    /// error (`NPS_ERR_NULL_POINTER` naming the row).
    pub customers: *const *const c_char,
    /// The touchpoint (触点) of each response; a NULL or empty element is no touchpoint (it
    /// matches no `touchpoints` condition). NULL: no response has one.
    pub touchpoints: *const *const c_char,
    /// Required: the recommend scores, whole numbers on the policy's scale; NaN = not answered
    /// (matches no score, category or drop condition).
    pub scores: *const f64,
    /// Each customer's previous score (for `drop` conditions); NaN = none. NULL: none known.
    pub previous: *const f64,
    /// Each customer's value (premium, revenue…, for `min_value`); NaN = none. NULL: none known.
    pub value: *const f64,
    /// Each response's free-text comment (for `keywords` and `pattern`); a NULL or empty
    /// element is no comment. NULL: no comments.
    pub comments: *const *const c_char,
    /// How a comment that is not valid UTF-8 is read: NULL or "error" (`NPS_ERR_INVALID_TEXT`
    /// naming the row and the byte), or "replace" (each invalid sequence becomes U+FFFD, the
    /// rest of the comment is searched as usual). Customers and touchpoints are never replaced.
    pub utf8_policy: *const c_char,
}

/// The UTF-8 policy called `name` (NULL = the default, "error").
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
unsafe fn utf8_policy(name: *const c_char, field: &'static str) -> Result<Utf8Policy, Failure> {
    // SAFETY: as the caller guarantees.
    Ok(match unsafe { opt_str(name, field)? } {
        None => Utf8Policy::default(),
        Some(name) => Utf8Policy::from_name(name)?,
    })
}

/// An optional column: NULL = absent.
///
/// # Safety
/// As [`try_slice`].
unsafe fn opt_column<'a, T>(
    p: *const T,
    n: usize,
    field: &'static str,
) -> Result<Option<&'a [T]>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: as the caller guarantees.
        unsafe { try_slice(p, n, field) }.map(Some)
    }
}

/// The bytes of a C string, `None` for NULL or an empty string (no text).
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string that lives for `'a`.
unsafe fn text_bytes<'a>(p: *const c_char) -> Option<&'a [u8]> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL and NUL-terminated, as the caller guarantees.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    (!bytes.is_empty()).then_some(bytes)
}

/// One comment read under `policy`; `index` is the response's position, for the error.
fn decode_comment(bytes: &[u8], policy: Utf8Policy, index: usize) -> Result<Cow<'_, str>, Failure> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let one = [Some(bytes)];
    let mut decoded = comments_from_bytes(&one, policy).map_err(|e| match e {
        Error::InvalidText { field, problem, .. } => Error::InvalidText {
            field,
            index,
            problem,
        },
        e => e,
    })?;
    let text = decoded.pop().flatten().map(Cow::into_owned);
    Ok(Cow::Owned(text.unwrap_or_default()))
}

/// The strings of one alert as C reads them.
struct CAlert {
    customer: CString,
    touchpoint: Option<CString>,
    owner: CString,
    rules: Vec<CString>,
}

impl CAlert {
    fn new(a: &Alert) -> Result<Self, Failure> {
        Ok(CAlert {
            customer: c_text(&a.customer, "a customer")?,
            touchpoint: c_opt_text(a.touchpoint.as_deref(), "a touchpoint")?,
            owner: c_text(&a.owner, "an owner")?,
            rules: c_texts(a.rules.iter().map(String::as_str), "a rule name")?,
        })
    }

    /// The C row of `a`, lending these strings.
    fn row(&self, a: &Alert) -> nps_alert {
        nps_alert {
            id: a.id,
            customer: self.customer.as_ptr(),
            touchpoint: lend(self.touchpoint.as_ref()),
            owner: self.owner.as_ptr(),
            priority: a.priority,
            created_at: a.created_at,
            due_at: a.due_at,
            score: a.score.map_or(f64::NAN, f64::from),
            n_rules: a.rules.len(),
            n_responses: a.responses.len(),
        }
    }
}

/// One call-back (回访) alert: a customer to call back, by whom, how urgently and by when.
///
/// When later responses of the same customer are merged into it (within the policy's merge
/// window of its creation), the alert keeps the most urgent priority of all its firings (and
/// the owner of the rule that set it), the earliest due time, every rule fired and every
/// response merged; `customer`, `touchpoint`, `created_at` and `score` are those of the
/// response that opened it. Strings are lent: by the queue until it is freed, by the alerter
/// until its next push or free.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_alert {
    /// The alert's id: 1, 2, 3… in the order alerts are opened (responses in time order, ties
    /// in row order), so the same responses and policy always give the same ids.
    pub id: u64,
    /// The customer to call back.
    pub customer: *const c_char,
    /// The touchpoint of the opening response; NULL when it had none.
    pub touchpoint: *const c_char,
    /// Who calls back (a department or team).
    pub owner: *const c_char,
    /// Urgency: 1 is the most urgent.
    pub priority: u8,
    /// Time of the opening response, seconds since 1970-01-01 UTC.
    pub created_at: i64,
    /// When the call-back is due: the earliest response time + service level of its firings.
    pub due_at: i64,
    /// The score of the opening response; NaN when it had none.
    pub score: f64,
    /// Number of rules fired (read them with `nps_alert_queue_rule` / `nps_alerter_rule`).
    pub n_rules: usize,
    /// Number of responses merged into the alert (1 when none was merged).
    pub n_responses: usize,
}

/// An opaque call-back queue: alerts sorted by priority (1 first), then due time (earliest
/// first), then id. Made by `nps_alerts_evaluate` or `nps_alert_queue_from_json`, read with the
/// `nps_alert_queue_*` accessors, freed with `nps_alert_queue_free`. Strings it lends stay
/// valid until it is freed.
pub struct nps_alert_queue {
    queue: Queue,
    strings: Vec<CAlert>,
}

impl nps_alert_queue {
    fn new(queue: Queue) -> Result<Self, Failure> {
        let strings = (queue.alerts().iter())
            .map(CAlert::new)
            .collect::<Result<_, _>>()?;
        Ok(nps_alert_queue { queue, strings })
    }
}

/// Evaluates a batch of responses against `policy`: the prioritised call-back (回访) queue.
///
/// Responses are processed in time order (ties in row order). On each, every rule is tested;
/// if any fires, the response opens an alert with the most urgent priority of the rules that
/// fired, the owner of the first of those (in policy order) and the earliest due time
/// (response time + the rule's service level), or it is merged into its customer's open alert
/// when it comes less than the merge window after that alert's creation. The result is the
/// same as pushing the responses in time order through an alerter (`nps_alerter_push`) and
/// keeping the last version of each alert.
///
/// Errors: `NPS_ERR_NULL_POINTER` for a required column (or a customer) that is NULL, naming
/// it (and the row); `NPS_ERR_INVALID_UTF8` for a customer or touchpoint that is not UTF-8,
/// naming the field and row; `NPS_ERR_INVALID_TEXT` for a comment that is not UTF-8 under the
/// "error" policy, naming the row and byte; `NPS_ERR_UNKNOWN_METHOD` for an unknown
/// `utf8_policy`; `NPS_ERR_INVALID_SCORE` for a score off the policy's scale, naming the row;
/// `NPS_ERR_INVALID_ARGUMENT` for a previous score that is not a whole score on the scale (nor
/// NaN) or an infinite value, naming the row. The caller owns `*out` (`nps_alert_queue_free`);
/// every column is copied or read during the call only.
///
/// # Safety
/// `policy` must be a live policy; `responses` must point to a readable `nps_alert_responses`
/// whose non-NULL arrays hold `n` elements, each string element NULL or NUL-terminated; `out`
/// must point to a writable `nps_alert_queue *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerts_evaluate(
    policy: *const nps_alert_policy,
    responses: *const nps_alert_responses,
    out: *mut *mut nps_alert_queue,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, policy, r) = unsafe {
            (
                Out::new(out, "out")?,
                try_ref(policy, "policy")?,
                try_ref(responses, "responses")?,
            )
        };
        let n = r.n;
        // SAFETY: the caller guarantees the columns as documented.
        let (utf8, at, customers, touchpoints, scores, previous, value) = unsafe {
            (
                utf8_policy(r.utf8_policy, "utf8_policy")?,
                try_slice(r.at, n, "at")?,
                str_array(r.customers, n, "customers")?,
                if r.touchpoints.is_null() {
                    vec![None; n]
                } else {
                    opt_str_array(r.touchpoints, n, "touchpoints")?
                },
                try_slice(r.scores, n, "scores")?,
                opt_column(r.previous, n, "previous")?,
                opt_column(r.value, n, "value")?,
            )
        };
        // SAFETY: `n` pointers, each NULL or NUL-terminated, as the caller guarantees.
        let raw: Option<Vec<Option<&[u8]>>> = unsafe { opt_column(r.comments, n, "comments")? }
            .map(|pointers| {
                // SAFETY: as above.
                (pointers.iter())
                    .map(|&p| unsafe { text_bytes(p) })
                    .collect()
            });
        let decoded = raw
            .as_ref()
            .map(|raw| comments_from_bytes(raw, utf8))
            .transpose()?;
        let comments: Option<Vec<Option<&str>>> = decoded
            .as_ref()
            .map(|d| d.iter().map(|c| c.as_deref()).collect());

        let customers: Vec<Option<&str>> = customers.into_iter().map(Some).collect();
        let customers = Dimension::from_values("customer", &customers);
        let touchpoints: Vec<Option<&str>> = (touchpoints.into_iter())
            .map(|t| t.filter(|t| !t.is_empty()))
            .collect();
        let touchpoints = Dimension::from_values("touchpoint", &touchpoints);
        let mut batch = Responses::new(at, &customers, &touchpoints, scores);
        if let Some(previous) = previous {
            batch = batch.with_previous(previous);
        }
        if let Some(value) = value {
            batch = batch.with_value(value);
        }
        if let Some(comments) = &comments {
            batch = batch.with_comments(comments);
        }
        give(out, nps_alert_queue::new(evaluate(&policy.0, &batch)?)?);
        Ok(())
    })
}

/// Reads a queue back from the JSON text of `nps_alert_queue_to_json` (for instance the queue
/// saved yesterday, to report today's call-backs against it with `nps_callback_outcomes`).
/// Text that is not such a queue (or has two alerts with one id, or a score off its scale)
/// gives `NPS_ERR_INVALID_JSON`. The caller owns `*out` (`nps_alert_queue_free`).
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_alert_queue *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_from_json(
    json: *const c_char,
    out: *mut *mut nps_alert_queue,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let queue: Queue =
            serde_json::from_str(json).map_err(Failure::invalid_json("a valid alert queue"))?;
        give(out, nps_alert_queue::new(queue)?);
        Ok(())
    })
}

/// Frees a queue. NULL is allowed and does nothing.
///
/// # Safety
/// `queue` must be NULL or a queue from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_free(queue: *mut nps_alert_queue) {
    // SAFETY: as the caller guarantees.
    unsafe { free(queue) }
}

/// Stores in `*out` the number of alerts of the queue.
///
/// # Safety
/// `queue` must be a live queue; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_len(
    queue: *const nps_alert_queue,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(queue, "queue", out, |q| Ok(q.queue.len())) }
}

/// Stores in `*out` the alert at position `i` of the queue (0 = the first to call back). Its
/// strings are lent until the queue is freed. `i` past the alerts gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `queue` must be a live queue; `out` must point to a writable `nps_alert`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_get(
    queue: *const nps_alert_queue,
    i: usize,
    out: *mut nps_alert,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(queue, "queue", out, |q| {
            let a = at(q.queue.alerts(), i, "i", "alerts")?;
            Ok(q.strings[i].row(a))
        })
    }
}

/// Stores in `*name_out` the name of rule `r` (0..n_rules, in order of first firing) of the
/// alert at position `i`, lent until the queue is freed. `i` or `r` out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `queue` must be a live queue; `name_out` must point to a writable `const char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_rule(
    queue: *const nps_alert_queue,
    i: usize,
    r: usize,
    name_out: *mut *const c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(queue, "queue", name_out, |q| {
            let strings = at(&q.strings, i, "i", "alerts")?;
            Ok(at(&strings.rules, r, "r", "rules")?.as_ptr())
        })
    }
}

/// Stores in `*position_out` the position of response `k` (0..n_responses; 0 = the response
/// that opened it) merged into the alert at position `i`: its row in the batch given to
/// `nps_alerts_evaluate` (0-based), to find the comments and scores behind an alert. `i` or `k`
/// out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `queue` must be a live queue; `position_out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_response(
    queue: *const nps_alert_queue,
    i: usize,
    k: usize,
    position_out: *mut u64,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(queue, "queue", position_out, |q| {
            let a = at(q.queue.alerts(), i, "i", "alerts")?;
            Ok(*at(&a.responses, k, "k", "responses")?)
        })
    }
}

/// Stores in `*json_out` the queue as JSON text (`{"scale": {...}, "alerts": [{"id",
/// "customer", "touchpoint", "owner", "priority", "created_at", "due_at", "rules",
/// "responses", "score"}, ...]}`, alerts in queue order, null for no touchpoint or score), a new
/// string the caller frees with `nps_string_free`; `nps_alert_queue_from_json` reads it back.
///
/// # Safety
/// `queue` must be a live queue; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alert_queue_to_json(
    queue: *const nps_alert_queue,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(queue, "queue", json_out, |q| {
            serde_json::to_string(&q.queue)
        })
    }
}

/// What a response pushed into an alerter did.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_alert_event {
    /// No rule fired: no alert.
    NPS_ALERT_NONE = 0,
    /// The response opened a new alert.
    NPS_ALERT_OPENED = 1,
    /// The response was merged into its customer's open alert (same id as when opened).
    NPS_ALERT_MERGED = 2,
}

/// An opaque alerter: evaluates responses one at a time, as they arrive, in time order (the
/// real-time side of the closed loop: 危机处理). It remembers, per customer, only the alert
/// later responses could still be merged into (opened less than the merge window before the
/// latest response), so its memory is bounded by the customers alerted within one merge
/// window, whatever the length of the stream. Made by `nps_alerter_new` or
/// `nps_alerter_from_json`, fed by `nps_alerter_push`, saved by `nps_alerter_to_json` (to
/// resume the stream after a restart), freed with `nps_alerter_free`; not to be used by two
/// threads at once.
pub struct nps_alerter {
    alerter: Alerter,
    utf8: Utf8Policy,
    /// The alert most recently reported, with the strings lent for it.
    last: Option<(Alert, CAlert)>,
}

/// Creates an alerter with no history (its first alert has id 1) for a copy of `policy` (the
/// policy may be freed afterwards). Comments are read under the "error" UTF-8 policy until
/// `nps_alerter_set_utf8_policy` says otherwise. The caller owns `*out` (`nps_alerter_free`).
///
/// # Safety
/// `policy` must be a live policy; `out` must point to a writable `nps_alerter *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_new(
    policy: *const nps_alert_policy,
    out: *mut *mut nps_alerter,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, policy) = unsafe { (Out::new(out, "out")?, try_ref(policy, "policy")?) };
        give(
            out,
            nps_alerter {
                alerter: Alerter::new(policy.0.clone()),
                utf8: Utf8Policy::default(),
                last: None,
            },
        );
        Ok(())
    })
}

/// Sets how the alerter reads a comment that is not valid UTF-8: NULL or "error" (the default;
/// the push fails with `NPS_ERR_INVALID_TEXT`) or "replace" (each invalid sequence becomes
/// U+FFFD), as `utf8_policy` of `nps_alert_responses`. An unknown name gives
/// `NPS_ERR_UNKNOWN_METHOD` and changes nothing.
///
/// # Safety
/// `alerter` must be a live alerter not used elsewhere during the call; `name` NULL or a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_set_utf8_policy(
    alerter: *mut nps_alerter,
    name: *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (a, utf8) = unsafe { (try_mut(alerter, "alerter")?, utf8_policy(name, "name")?) };
        a.utf8 = utf8;
        Ok(())
    })
}

/// The score of a pushed response: NaN = none; a whole number in 0..=10 goes to the core, which
/// checks it against the policy's scale; anything else is an invalid score at `index`.
fn push_score(scale: Scale, score: f64, index: usize) -> Result<Option<u8>, Failure> {
    if score.is_nan() {
        Ok(None)
    } else if (0.0..=f64::from(MAX_SCORE)).contains(&score) && score.fract() == 0.0 {
        Ok(Some(score as u8))
    } else {
        Err(Error::InvalidScore {
            index,
            value: score,
            min: scale.min(),
            max: scale.max(),
        }
        .into())
    }
}

/// The previous score of a pushed response (NaN = none), with the batch's message when it is
/// not a whole score on the scale.
fn push_previous(scale: Scale, previous: f64, index: usize) -> Result<Option<u8>, Failure> {
    if previous.is_nan() {
        return Ok(None);
    }
    let whole = (0.0..=f64::from(MAX_SCORE)).contains(&previous) && previous.fract() == 0.0;
    if whole && scale.contains(previous as u8) {
        Ok(Some(previous as u8))
    } else {
        Err(Error::InvalidArgument {
            field: "previous",
            value: format!("{previous} at index {index}"),
            expected: "a whole score on the policy's scale, or NaN for none",
        }
        .into())
    }
}

/// The customer value of a pushed response (NaN = none), with the batch's message when it is
/// infinite.
fn push_value(value: f64, index: usize) -> Result<Option<f64>, Failure> {
    if value.is_nan() {
        Ok(None)
    } else if value.is_infinite() {
        Err(Error::InvalidArgument {
            field: "value",
            value: format!("{value} at index {index}"),
            expected: "a finite customer value, or NaN for none",
        }
        .into())
    } else {
        Ok(Some(value))
    }
}

/// Evaluates one response, which must not be earlier than the previous one pushed. Arguments
/// as the columns of `nps_alert_responses`: `at` in seconds since 1970-01-01 UTC; `customer`
/// required; `touchpoint` and `comment` NULL or "" for none; `score` NaN when not answered;
/// `previous` and `value` NaN when unknown.
///
/// `*event` says what happened: `NPS_ALERT_NONE` (no rule fired), `NPS_ALERT_OPENED` or
/// `NPS_ALERT_MERGED` (into the customer's alert opened less than the merge window before).
/// When it is not `NPS_ALERT_NONE` and `out_alert` is not NULL, `*out_alert` receives the alert
/// as it is now; its strings (and the rules read with `nps_alerter_rule`) are lent by the
/// alerter until the next `nps_alerter_push` on it or `nps_alerter_free`: copy what you keep.
///
/// Pushing a batch's responses in time order and keeping the last version of each alert id
/// gives exactly `nps_alerts_evaluate`'s queue (the position of a response is the number of
/// responses pushed successfully before it).
///
/// Errors (nothing changes, nothing is written): `NPS_ERR_INVALID_ARGUMENT` for a response
/// earlier than the previous one (the message gives both times and the position), a previous
/// score that is not a whole score on the scale, or an infinite value; `NPS_ERR_INVALID_SCORE`
/// for a score off the scale; `NPS_ERR_NULL_POINTER` for a NULL `alerter`, `customer` or
/// `event`; `NPS_ERR_INVALID_UTF8` for a customer or touchpoint that is not UTF-8;
/// `NPS_ERR_INVALID_TEXT` for a comment that is not UTF-8 under the "error" policy. The index
/// in these messages is the response's position.
///
/// # Safety
/// `alerter` must be a live alerter not used elsewhere during the call; `customer` a
/// NUL-terminated string; `touchpoint` and `comment` NULL or NUL-terminated strings; `event`
/// must point to a writable `nps_alert_event`; `out_alert` NULL or a writable `nps_alert`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_alerter_push(
    alerter: *mut nps_alerter,
    at: i64,
    customer: *const c_char,
    touchpoint: *const c_char,
    score: f64,
    previous: f64,
    value: f64,
    comment: *const c_char,
    event: *mut nps_alert_event,
    out_alert: *mut nps_alert,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (event, out_alert, a) = unsafe {
            (
                Out::new(event, "event")?,
                Out::optional(out_alert),
                try_mut(alerter, "alerter")?,
            )
        };
        let index = usize::try_from(a.alerter.pushed()).unwrap_or(usize::MAX);
        let scale = a.alerter.policy().scale();
        // SAFETY: as above.
        let (customer, touchpoint, comment) = unsafe {
            (
                try_str(customer, "customer")?,
                opt_str(touchpoint, "touchpoint")?.filter(|t| !t.is_empty()),
                text_bytes(comment),
            )
        };
        let comment = match comment {
            None => None,
            Some(bytes) => Some(decode_comment(bytes, a.utf8, index)?),
        };
        let response = Response {
            at,
            customer,
            touchpoint,
            score: push_score(scale, score, index)?,
            previous: push_previous(scale, previous, index)?,
            value: push_value(value, index)?,
            comment: comment.as_deref(),
        };
        let Some(update) = a.alerter.push(&response)? else {
            event.write(nps_alert_event::NPS_ALERT_NONE);
            return Ok(());
        };
        let kind = match update {
            AlertUpdate::Opened(_) => nps_alert_event::NPS_ALERT_OPENED,
            AlertUpdate::Merged(_) => nps_alert_event::NPS_ALERT_MERGED,
        };
        let alert = update.into_alert();
        // Cannot fail: the customer and touchpoint came as C strings (or, for an alert read
        // back by `nps_alerter_from_json`, were checked there), and the policy's owners and rule
        // names were checked when it was read.
        let strings = CAlert::new(&alert)?;
        let (alert, strings) = a.last.insert((alert, strings));
        if let Some(out_alert) = out_alert {
            out_alert.write(strings.row(alert));
        }
        event.write(kind);
        Ok(())
    })
}

/// Stores in `*name_out` the name of rule `r` (0..n_rules) of the alert the alerter reported
/// last (the last push whose event was not `NPS_ALERT_NONE`), lent until the next push or
/// free. `NPS_ERR_EMPTY` when no alert was reported yet; `r` out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `alerter` must be a live alerter; `name_out` must point to a writable `const char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_rule(
    alerter: *const nps_alerter,
    r: usize,
    name_out: *mut *const c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(alerter, "alerter", name_out, |a| {
            let (_, strings) = a.last.as_ref().ok_or_else(|| {
                Failure::Unavailable("the alerter has reported no alert yet".to_owned())
            })?;
            Ok(at(&strings.rules, r, "r", "rules")?.as_ptr())
        })
    }
}

/// Stores in `*json_out` the alerter's whole state as JSON text, a new string the caller frees
/// with `nps_string_free`: save it, and after a restart `nps_alerter_from_json` resumes the
/// stream exactly where it was (the next push gets the next position, alerts still open merge
/// as before, ids continue). The text is `{"policy": {...}, "open": [...], "expiry": [...],
/// "last_at", "next_id", "pushed"}`: the policy (as `nps_alert_policy_to_json` writes it), the
/// alerts still open for merging (by id, each as in `nps_alert_queue_to_json`), their creation
/// times and customers oldest first (`{"created_at", "customer"}`), the time of the latest
/// response (null before the first), the id of the next alert and the responses pushed. The
/// UTF-8 policy for comments (`nps_alerter_set_utf8_policy`) and the alert last reported are
/// not part of it.
///
/// # Safety
/// `alerter` must be a live alerter; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_to_json(
    alerter: *const nps_alerter,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(alerter, "alerter", json_out, |a| {
            serde_json::to_string(&a.alerter)
        })
    }
}

/// Reads an alerter from the NUL-terminated UTF-8 JSON text written by `nps_alerter_to_json`
/// and stores it in `*out`, owned by the caller (`nps_alerter_free`). The state is checked: a
/// valid policy, and a state the alerter could have reached (each open alert's customer once,
/// still inside the merge window of the latest response, with an id below the next one, rules
/// and an owner of the policy, response positions below the responses pushed; one expiry entry
/// per open alert, in time order…). Comments are read under the "error" UTF-8 policy until
/// `nps_alerter_set_utf8_policy` says otherwise; no alert has been reported yet
/// (`nps_alerter_rule` gives `NPS_ERR_EMPTY` until the next alert).
///
/// Errors (nothing written): `NPS_ERR_INVALID_UTF8` for text that is not UTF-8;
/// `NPS_ERR_INVALID_JSON` for text that is not JSON, or not a valid alerter (the message says
/// what is wrong and where); `NPS_ERR_INVALID_ARGUMENT` for an owner, rule name, customer or
/// touchpoint with a NUL character (`\u0000`); `NPS_ERR_NULL_POINTER` for a NULL `json` or
/// `out`.
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_alerter *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_from_json(
    json: *const c_char,
    out: *mut *mut nps_alerter,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let alerter: Alerter =
            serde_json::from_str(json).map_err(Failure::invalid_json("a valid alerter"))?;
        // Every text a later push could lend to C, checked now so that a push never fails
        // after the state changed: the policy's owners and rule names, and the customers and
        // touchpoints of the open alerts.
        check_lendable(alerter.policy())?;
        for a in alerter.open() {
            CAlert::new(a)?;
        }
        give(
            out,
            nps_alerter {
                alerter,
                utf8: Utf8Policy::default(),
                last: None,
            },
        );
        Ok(())
    })
}

/// Frees an alerter (with the strings it lends). NULL is allowed and does nothing.
///
/// # Safety
/// `alerter` must be NULL or an alerter from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_alerter_free(alerter: *mut nps_alerter) {
    // SAFETY: as the caller guarantees.
    unsafe { free(alerter) }
}

/// A proportion `count / n` with its Wilson (1927) score interval; `share`, `low` and `high`
/// are fractions, NaN when `n` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_proportion {
    /// The numerator.
    pub count: u64,
    /// The denominator.
    pub n: u64,
    /// count / n.
    pub share: f64,
    /// Lower bound of the Wilson interval.
    pub low: f64,
    /// Upper bound of the Wilson interval.
    pub high: f64,
}

impl From<Proportion> for nps_proportion {
    fn from(p: Proportion) -> Self {
        nps_proportion {
            count: p.count,
            n: p.n,
            share: p.share.unwrap_or(f64::NAN),
            low: p.low.unwrap_or(f64::NAN),
            high: p.high.unwrap_or(f64::NAN),
        }
    }
}

/// The call-back outcomes of a group of alerts: all of them, one owner, or one touchpoint.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_callback_stats {
    /// The owner or touchpoint, lent by the report until it is freed; NULL for the overall
    /// figures and for the alerts with no touchpoint.
    pub name: *const c_char,
    /// Number of alerts.
    pub alerts: u64,
    /// Alerts whose customer was reached (at any time).
    pub contacted: u64,
    /// Alerts resolved (投诉关闭).
    pub resolved: u64,
    /// Alerts contacted at or before their due time, among all alerts.
    pub on_time: nps_proportion,
    /// Median hours from creation to contact over the contacted alerts (Hyndman & Fan type 7,
    /// as R's `quantile` and numpy's `percentile`); NaN when none was contacted.
    pub hours_to_contact_p50: f64,
    /// 90th percentile of hours from creation to contact (type 7); NaN when none was contacted.
    pub hours_to_contact_p90: f64,
    /// Detractor alerts (opening score a detractor) whose later score is passive or promoter,
    /// among the detractor alerts with a later score.
    pub recovery: nps_proportion,
}

/// How the rows of a call-back report are grouped.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_callback_group {
    /// One row per owner (the department responsible), sorted by name.
    NPS_CALLBACKS_BY_OWNER = 0,
    /// One row per touchpoint (触点), sorted by name; the alerts with no touchpoint last
    /// (name NULL).
    NPS_CALLBACKS_BY_TOUCHPOINT = 1,
}

/// One row of a report with its name as a C string.
struct CRow {
    name: Option<CString>,
    stats: CallbackStats,
}

impl CRow {
    fn new(stats: &CallbackStats) -> Result<Self, Failure> {
        Ok(CRow {
            name: c_opt_text(stats.name.as_deref(), "an owner or touchpoint")?,
            stats: stats.clone(),
        })
    }

    /// The C row, lending the name.
    fn row(&self) -> nps_callback_stats {
        let s = &self.stats;
        nps_callback_stats {
            name: lend(self.name.as_ref()),
            alerts: s.alerts,
            contacted: s.contacted,
            resolved: s.resolved,
            on_time: s.on_time.into(),
            hours_to_contact_p50: s.hours_to_contact_p50.unwrap_or(f64::NAN),
            hours_to_contact_p90: s.hours_to_contact_p90.unwrap_or(f64::NAN),
            recovery: s.recovery.into(),
        }
    }
}

/// An opaque call-back report: the outcomes of a queue's call-backs overall, per owner and
/// per touchpoint. Made by `nps_callback_outcomes`, read with the `nps_callback_report_*`
/// accessors, freed with `nps_callback_report_free`. Names it lends stay valid until it is
/// freed.
pub struct nps_callback_report {
    report: CallbackReport,
    overall: CRow,
    by_owner: Vec<CRow>,
    by_touchpoint: Vec<CRow>,
}

impl nps_callback_report {
    fn new(report: CallbackReport) -> Result<Self, Failure> {
        let rows = |stats: &[CallbackStats]| stats.iter().map(CRow::new).collect::<Result<_, _>>();
        Ok(nps_callback_report {
            overall: CRow::new(&report.overall)?,
            by_owner: rows(&report.by_owner)?,
            by_touchpoint: rows(&report.by_touchpoint)?,
            report,
        })
    }

    fn rows(&self, group: nps_callback_group) -> &[CRow] {
        match group {
            nps_callback_group::NPS_CALLBACKS_BY_OWNER => &self.by_owner,
            nps_callback_group::NPS_CALLBACKS_BY_TOUCHPOINT => &self.by_touchpoint,
        }
    }
}

/// The outcomes of the call-backs (回访) of a queue, from `n` call-back records by column:
/// `alert_ids[i]` the alert, `contacted_at[i]` when the customer was reached (seconds since
/// 1970-01-01 UTC; `INT64_MIN` = not reached), `resolved[i]` whether the case was closed as
/// resolved (NULL: none was), `later_scores[i]` the customer's score after the call-back (NaN =
/// unknown; NULL: none known). Several records may name one alert (several attempts): it counts
/// as contacted at the earliest contact, resolved if any record says so, with the later score
/// of the last record that has one. Alerts with no record count as not contacted.
///
/// Stores in `*out` a report, which the caller frees with `nps_callback_report_free`: the
/// figures over all alerts (`nps_callback_report_overall`), per owner and per touchpoint
/// (`nps_callback_report_len` / `nps_callback_report_get`), and all of it as JSON
/// (`nps_callback_report_to_json`). Each figure: the share of alerts contacted within the
/// service level, hours to contact (median and 90th percentile), the recovery rate of
/// detractors; intervals are Wilson intervals at `level`.
///
/// Errors (nothing written): `NPS_ERR_INVALID_LEVEL` unless 0 < level < 1;
/// `NPS_ERR_UNKNOWN_ALERT` for a record naming an alert not in the queue (the message gives
/// the record's index and the id); `NPS_ERR_INVALID_SCORE` for a later score off the queue's
/// scale; `NPS_ERR_INVALID_ARGUMENT` for a contact before the alert's creation;
/// `NPS_ERR_NULL_POINTER` for a NULL `queue`, `out`, `alert_ids` or `contacted_at` (with `n`
/// > 0).
///
/// # Safety
/// `queue` must be a live queue; `alert_ids`, `contacted_at` and (unless NULL) `resolved` and
/// `later_scores` must point to `n` readable elements (or be NULL with `n` 0); `out` must point
/// to a writable `nps_callback_report *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_callback_outcomes(
    queue: *const nps_alert_queue,
    n: usize,
    alert_ids: *const u64,
    contacted_at: *const i64,
    resolved: *const bool,
    later_scores: *const f64,
    level: f64,
    out: *mut *mut nps_callback_report,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, q, alerts, contacted_at, resolved, later_scores) = unsafe {
            (
                Out::new(out, "out")?,
                try_ref(queue, "queue")?,
                try_slice(alert_ids, n, "alert_ids")?,
                try_slice(contacted_at, n, "contacted_at")?,
                opt_column(resolved, n, "resolved")?,
                opt_column(later_scores, n, "later_scores")?,
            )
        };
        let none_resolved;
        let resolved = match resolved {
            Some(r) => r,
            None => {
                none_resolved = vec![false; n];
                &none_resolved
            }
        };
        let no_scores;
        let later_scores = match later_scores {
            Some(s) => s,
            None => {
                no_scores = vec![f64::NAN; n];
                &no_scores
            }
        };
        let records = Callbacks {
            alerts,
            contacted_at,
            resolved,
            later_scores,
        }
        .records(q.queue.scale())?;
        let report = outcomes(&q.queue, &records, level)?;
        give(out, nps_callback_report::new(report)?);
        Ok(())
    })
}

/// Frees a call-back report. NULL is allowed and does nothing.
///
/// # Safety
/// `report` must be NULL or a report from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_callback_report_free(report: *mut nps_callback_report) {
    // SAFETY: as the caller guarantees.
    unsafe { free(report) }
}

/// Stores in `*out` the figures over all the queue's alerts (`name` NULL).
///
/// # Safety
/// `report` must be a live report; `out` must point to a writable `nps_callback_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_callback_report_overall(
    report: *const nps_callback_report,
    out: *mut nps_callback_stats,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(report, "report", out, |r| Ok(r.overall.row())) }
}

/// Stores in `*out` the number of rows of `group` (owners, or touchpoints with the alerts
/// without a touchpoint as one more row).
///
/// # Safety
/// `report` must be a live report; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_callback_report_len(
    report: *const nps_callback_report,
    group: nps_callback_group,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(report, "report", out, |r| Ok(r.rows(group).len())) }
}

/// Stores in `*out` row `i` of `group` (sorted by name; for touchpoints, the alerts without
/// one last, `name` NULL). Its name is lent until the report is freed. `i` past the rows gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `report` must be a live report; `out` must point to a writable `nps_callback_stats`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_callback_report_get(
    report: *const nps_callback_report,
    group: nps_callback_group,
    i: usize,
    out: *mut nps_callback_stats,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(report, "report", out, |r| {
            Ok(at(r.rows(group), i, "i", "rows")?.row())
        })
    }
}

/// Stores in `*json_out` the whole report as JSON text, a new string the caller frees with
/// `nps_string_free`: `{"level", "overall", "by_owner": [...], "by_touchpoint": [...]}`, each
/// row `{"name", "alerts", "contacted", "resolved", "on_time": {"count", "n", "share", "low",
/// "high"}, "hours_to_contact_p50", "hours_to_contact_p90", "recovery": {...}}` (null where
/// there is nothing to measure), in the order of `nps_callback_report_get`.
///
/// # Safety
/// `report` must be a live report; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_callback_report_to_json(
    report: *const nps_callback_report,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(report, "report", json_out, |r| {
            serde_json::to_string(&r.report)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::testing::{last_error, row};
    use crate::text::nps_string_free;

    const POLICY: &CStr = c"{\"merge_window_hours\": 24, \"default_owner\": \"CX\",
      \"departments\": {\"claims\": \"理赔部\"},
      \"rules\": [
        {\"name\": \"detractor\", \"when\": {\"category\": [\"detractor\"]}, \"priority\": 2,
         \"service_level_hours\": 24},
        {\"name\": \"crisis\", \"when\": {\"keywords\": [\"投诉\"]}, \"priority\": 1,
         \"owner\": \"危机处理小组\", \"service_level_hours\": 2}]}";

    fn policy() -> *mut nps_alert_policy {
        let mut p = ptr::null_mut();
        // SAFETY: a NUL-terminated text and a valid out-parameter.
        let status = unsafe { nps_alert_policy_from_json(POLICY.as_ptr(), &mut p) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        p
    }

    fn text(p: *const c_char) -> &'static str {
        // SAFETY: a string lent by a live handle.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn policy_errors_have_their_statuses() {
        let cases: [(&CStr, nps_status, &str); 4] = [
            (c"{not json", nps_status::NPS_ERR_INVALID_JSON, "cannot be read"),
            (
                c"{\"default_owner\": \"CX\", \"rules\": [{\"name\": \"low\", \"when\": {\"scor\": {}},
                   \"priority\": 1, \"service_level_hours\": 1}]}",
                nps_status::NPS_ERR_INVALID_POLICY,
                "alert rule \"low\" cannot be read: unknown field `scor`",
            ),
            (
                c"{\"default_owner\": \"CX\", \"rules\": [{\"name\": \"late\", \"when\": {\"score\": {\"max\": 6}},
                   \"priority\": 1, \"service_level_hours\": -2}]}",
                nps_status::NPS_ERR_INVALID_POLICY,
                "alert rule \"late\" has a negative service level -2 h",
            ),
            (
                c"{\"default_owner\": \"C\\u0000X\", \"rules\": [{\"name\": \"low\",
                   \"when\": {\"score\": {\"max\": 6}}, \"priority\": 1, \"service_level_hours\": 1}]}",
                nps_status::NPS_ERR_INVALID_ARGUMENT,
                "contains a NUL byte",
            ),
        ];
        for (json, status, message) in cases {
            let mut p = ptr::null_mut();
            // SAFETY: as above.
            assert_eq!(
                unsafe { nps_alert_policy_from_json(json.as_ptr(), &mut p) },
                status
            );
            assert!(last_error().contains(message), "{}", last_error());
            assert!(p.is_null());
        }
    }

    #[test]
    fn batch_equals_stream_and_outcomes_come_through() {
        let p = policy();
        let at = [7_200i64, 0, 3_600];
        let customers = [c"A".as_ptr(), c"A".as_ptr(), c"B".as_ptr()];
        let touchpoints = [c"claims".as_ptr(), c"app".as_ptr(), c"".as_ptr()];
        let scores = [2.0, 3.0, f64::NAN];
        let comments = [c"我要投诉".as_ptr(), ptr::null(), c"".as_ptr()];
        let responses = nps_alert_responses {
            n: 3,
            at: at.as_ptr(),
            customers: customers.as_ptr(),
            touchpoints: touchpoints.as_ptr(),
            scores: scores.as_ptr(),
            previous: ptr::null(),
            value: ptr::null(),
            comments: comments.as_ptr(),
            utf8_policy: ptr::null(),
        };
        let (mut q, mut s) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: live handles, arrays of the lengths given, valid out-parameters.
        unsafe {
            let status = nps_alerts_evaluate(p, &responses, &mut q);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let mut len = 0;
            assert_eq!(nps_alert_queue_len(q, &mut len), nps_status::NPS_OK);
            assert_eq!(len, 1);
            let a = row(nps_alert_queue_get, q, 0);
            assert_eq!((a.id, a.priority, a.n_rules, a.n_responses), (1, 1, 2, 2));
            assert_eq!((text(a.customer), text(a.owner)), ("A", "危机处理小组"));
            assert_eq!(text(a.touchpoint), "app");
            assert_eq!((a.created_at, a.due_at, a.score), (0, 7_200 + 7_200, 3.0));
            let mut name = ptr::null();
            assert_eq!(nps_alert_queue_rule(q, 0, 1, &mut name), nps_status::NPS_OK);
            assert_eq!(text(name), "crisis");
            assert_eq!(
                nps_alert_queue_rule(q, 0, 2, &mut name),
                nps_status::NPS_ERR_INVALID_ARGUMENT
            );
            assert_eq!(last_error(), "r is 2, but there are 2 rules (0..2)");
            let mut position = 9;
            assert_eq!(
                nps_alert_queue_response(q, 0, 1, &mut position),
                nps_status::NPS_OK
            );
            assert_eq!(position, 0);

            // The same responses one at a time, in time order.
            assert_eq!(nps_alerter_new(p, &mut s), nps_status::NPS_OK);
            let mut event = nps_alert_event::NPS_ALERT_NONE;
            let mut last = std::mem::MaybeUninit::<nps_alert>::uninit();
            for &i in &[1usize, 2, 0] {
                let status = nps_alerter_push(
                    s,
                    at[i],
                    customers[i],
                    touchpoints[i],
                    scores[i],
                    f64::NAN,
                    f64::NAN,
                    comments[i],
                    &mut event,
                    last.as_mut_ptr(),
                );
                assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            }
            assert_eq!(event, nps_alert_event::NPS_ALERT_MERGED);
            let stream = last.assume_init();
            assert_eq!(
                (
                    stream.id,
                    stream.priority,
                    stream.due_at,
                    stream.n_responses
                ),
                (a.id, a.priority, a.due_at, a.n_responses)
            );
            assert_eq!(text(stream.owner), text(a.owner));
            assert_eq!(nps_alerter_rule(s, 1, &mut name), nps_status::NPS_OK);
            assert_eq!(text(name), "crisis");
            let status = nps_alerter_push(
                s,
                10,
                c"C".as_ptr(),
                ptr::null(),
                1.0,
                f64::NAN,
                f64::NAN,
                ptr::null(),
                &mut event,
                ptr::null_mut(),
            );
            assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
            assert!(last_error().contains("earlier than the previous response's 7200"));
            nps_alerter_free(s);

            let (ids, contacted, later) = ([1u64], [3_600i64], [9.0]);
            let mut report = ptr::null_mut();
            let status = nps_callback_outcomes(
                q,
                1,
                ids.as_ptr(),
                contacted.as_ptr(),
                ptr::null(),
                later.as_ptr(),
                0.95,
                &mut report,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let mut stats = std::mem::MaybeUninit::<nps_callback_stats>::uninit();
            assert_eq!(
                nps_callback_report_overall(report, stats.as_mut_ptr()),
                nps_status::NPS_OK
            );
            let overall = stats.assume_init();
            assert!(overall.name.is_null());
            assert_eq!(
                (overall.alerts, overall.contacted, overall.on_time.count),
                (1, 1, 1)
            );
            assert_eq!((overall.recovery.count, overall.recovery.n), (1, 1));
            assert_eq!(overall.hours_to_contact_p50, 1.0);
            let mut len = 0;
            let by_owner = nps_callback_group::NPS_CALLBACKS_BY_OWNER;
            assert_eq!(
                nps_callback_report_len(report, by_owner, &mut len),
                nps_status::NPS_OK
            );
            assert_eq!(len, 1);
            assert_eq!(
                nps_callback_report_get(report, by_owner, 0, stats.as_mut_ptr()),
                nps_status::NPS_OK
            );
            let owner = stats.assume_init();
            assert_eq!(text(owner.name), "危机处理小组");
            assert_eq!(
                nps_callback_stats {
                    name: ptr::null(),
                    ..owner
                },
                overall
            );
            assert_eq!(
                nps_callback_report_get(report, by_owner, 1, stats.as_mut_ptr()),
                nps_status::NPS_ERR_INVALID_ARGUMENT
            );
            let mut json = ptr::null_mut();
            assert_eq!(
                nps_callback_report_to_json(report, &mut json),
                nps_status::NPS_OK
            );
            assert!(text(json).contains("\"by_owner\":[{\"name\":\"危机处理小组\""));
            nps_string_free(json);
            nps_callback_report_free(report);
            let unknown = [7u64];
            let mut report = ptr::null_mut();
            let status = nps_callback_outcomes(
                q,
                1,
                unknown.as_ptr(),
                contacted.as_ptr(),
                ptr::null(),
                ptr::null(),
                0.95,
                &mut report,
            );
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_ALERT);
            assert!(report.is_null());
            assert_eq!(
                last_error(),
                "call-back record at index 0 refers to alert \"7\", which is not in the queue"
            );

            // The queue survives a round trip through JSON.
            assert_eq!(nps_alert_queue_to_json(q, &mut json), nps_status::NPS_OK);
            let mut back = ptr::null_mut();
            assert_eq!(
                nps_alert_queue_from_json(json, &mut back),
                nps_status::NPS_OK
            );
            assert_eq!((*back).queue, (*q).queue);
            nps_string_free(json);
            nps_alert_queue_free(back);
            nps_alert_queue_free(q);
            nps_alert_policy_free(p);
        }
    }

    #[test]
    fn comments_follow_the_utf8_policy() {
        let p = policy();
        let at = [0i64, 1];
        let customers = [c"A".as_ptr(), c"B".as_ptr()];
        let scores = [9.0, 9.0];
        let comments = [c"ok".as_ptr(), c"\xE6\x8A\x95\xE8\xAF\x89\xFF".as_ptr()];
        let mut responses = nps_alert_responses {
            n: 2,
            at: at.as_ptr(),
            customers: customers.as_ptr(),
            touchpoints: ptr::null(),
            scores: scores.as_ptr(),
            previous: ptr::null(),
            value: ptr::null(),
            comments: comments.as_ptr(),
            utf8_policy: ptr::null(),
        };
        let mut q = ptr::null_mut();
        // SAFETY: live handles, arrays of the lengths given, valid out-parameters.
        unsafe {
            let status = nps_alerts_evaluate(p, &responses, &mut q);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_TEXT);
            assert!(
                last_error().starts_with("comment at index 1 is not valid UTF-8 (byte 6 of 7)"),
                "{}",
                last_error()
            );
            responses.utf8_policy = c"replace".as_ptr();
            let status = nps_alerts_evaluate(p, &responses, &mut q);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            // "投诉" survives the replacement: the crisis rule fires on B.
            let a = row(nps_alert_queue_get, q, 0);
            assert_eq!((text(a.customer), a.priority), ("B", 1));
            nps_alert_queue_free(q);
            responses.utf8_policy = c"lenient".as_ptr();
            let status = nps_alerts_evaluate(p, &responses, &mut q);
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_METHOD);
            nps_alert_policy_free(p);
        }
    }
}
