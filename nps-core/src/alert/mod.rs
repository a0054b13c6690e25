//! Alerts and the closed loop (闭环, DESIGN §1): a low score or an alarming comment at a
//! touchpoint raises an alert at once, someone calls the customer back (回访) within a service
//! level, and the outcomes are tracked.
//!
//! The seeds describe the practice: transactional NPS (场景NPS) surveys sent the day after the
//! interaction, a call-back on every low score ("对于打低分的用户进行及时回访，了解贬损原因"),
//! crisis handling (危机处理) in real time ("一发现用户成为贬低者立刻回报并请相关单位服务"), and
//! the case closed after the call-back (回访/投诉关闭).
//!
//! - [`Policy`]: the rules (from code, [`PolicySpec`], or JSON, [`Policy::from_json`]), each
//!   over a response's touchpoint, score, category, drop since the previous score, customer
//!   value, comment keywords (one Aho–Corasick automaton for all rules, Chinese and Latin,
//!   case-insensitive) or comment pattern (a regular expression), with a priority, an owner and
//!   a service level; a merge window for repeated alerts of one customer. Validated up front.
//! - [`evaluate`]: a batch of responses by column ([`Responses`]) to the prioritised call-back
//!   [`Queue`] of [`Alert`]s (priority, then due time, then id).
//! - [`Alerter`]: the same one response ([`Response`]) at a time, in time order, in memory
//!   bounded by the customers alerted within one merge window; the batch equals the stream. It
//!   serializes (serde) and is checked when read back, so a stream resumes after a restart.
//! - [`outcomes`]: call-back records ([`Callback`], or by column [`Callbacks`]) against the
//!   queue: per owner, per touchpoint and overall, the share contacted within the service level
//!   and the recovery rate of detractors (Wilson 1927 intervals), time-to-contact percentiles
//!   (Hyndman & Fan 1996 type 7).
//!
//! Times are `i64` seconds since the Unix epoch (UTC); service levels and the merge window are
//! given in hours and rounded to the second.

mod condition;
mod evaluate;
mod outcome;
mod policy;
mod queue;
mod response;
mod stream;

pub use evaluate::evaluate;
pub use outcome::{
    Callback, CallbackReport, CallbackStats, Callbacks, NOT_CONTACTED, Proportion, outcomes,
};
pub use policy::{Conditions, MAX_HOURS, Policy, PolicySpec, Rule, ScoreRange};
pub use queue::{Alert, AlertUpdate, Queue};
pub use response::{Response, Responses};
pub use stream::Alerter;
