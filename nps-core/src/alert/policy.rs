//! The alert policy: which responses raise a call-back (回访) alert, how urgent it is, who owns
//! it and by when it must be handled.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::condition::Compiled;
use crate::scale::{Category, Scale};
use crate::{Error, Result};

/// The longest service level or merge window accepted, in hours (about 114 years): large enough
/// for any programme, small enough that every time stamp arithmetic stays exact in `i64`
/// seconds.
pub const MAX_HOURS: f64 = 1_000_000.0;

/// The `name` of [`Error::InvalidPolicy`] when the problem is the policy as a whole.
pub(crate) const WHOLE_POLICY: &str = "(policy)";

/// A range of scores `min..=max` (either end open). `{}` matches any answered score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRange {
    /// Lowest matching score (the scale's minimum when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u8>,
    /// Highest matching score (the scale's maximum when `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u8>,
}

/// The conditions of a [`Rule`]: **all** the conditions given must hold (an `AND`); within a
/// list (touchpoints, categories, keywords) **any** element suffices (an `OR`). At least one
/// condition must be given.
///
/// A response with no score matches no score, category or drop condition; one with no previous
/// score matches no drop condition; one with no customer value matches no `min_value`; one with
/// no comment matches no `keywords` or `pattern`; one with no touchpoint matches no
/// `touchpoints`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// The response's touchpoint (触点) is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touchpoints: Option<Vec<String>>,
    /// The score lies in this range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreRange>,
    /// The score's category on the policy's scale is one of these (JSON key `category`, values
    /// `"detractor"`, `"passive"`, `"promoter"`).
    #[serde(default, rename = "category", skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    /// The score fell by at least this many points since the customer's previous score:
    /// previous − score ≥ `drop` (1 or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<u8>,
    /// The customer's value (annual premium, revenue, tier points…) is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// The comment contains any of these keywords, matched as the keywords of a topic
    /// ([`Taxonomy`](crate::Taxonomy)): case-insensitively (Unicode lowercase, ’ read as ');
    /// a Latin keyword as a whole word ("sue" does not fire on "issue", "app" fires on
    /// "用APP下单"), a Chinese keyword as a substring ("投诉" in "我要投诉").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<String>>,
    /// The comment matches this regular expression (syntax of the `regex` crate; searched
    /// anywhere in the comment; case-sensitive unless it starts with `(?i)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Conditions {
    /// Whether no condition is given.
    pub fn is_empty(&self) -> bool {
        let Conditions {
            touchpoints,
            score,
            categories,
            drop,
            min_value,
            keywords,
            pattern,
        } = self;
        touchpoints.is_none()
            && score.is_none()
            && categories.is_none()
            && drop.is_none()
            && min_value.is_none()
            && keywords.is_none()
            && pattern.is_none()
    }
}

/// One alert rule: when its [`Conditions`] hold for a response, an alert is raised with the
/// rule's priority, owner and service level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A unique, non-empty name; alerts list the names of the rules that fired.
    pub name: String,
    /// The conditions, all of which must hold.
    pub when: Conditions,
    /// Urgency: 1 is the most urgent (危机处理, crisis handling), larger numbers less urgent.
    pub priority: u8,
    /// Who calls back. When `None`, the policy's `departments` entry for the response's
    /// touchpoint, else the policy's `default_owner`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Hours from the alert's creation to its due time: due = created + service level (finite,
    /// 0 ≤ hours ≤ [`MAX_HOURS`]; fractions allowed, rounded to the second).
    pub service_level_hours: f64,
}

/// The plain description of an alert [`Policy`], as written in JSON; [`Policy::new`] validates
/// and compiles it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// The scale of the scores and its cut-points (the standard 0–10 scale when absent).
    #[serde(default)]
    pub scale: Scale,
    /// Alerts for the same customer within this many hours of the customer's open alert are
    /// merged into it (0, the default, never merges). See [`Alert`](super::Alert).
    #[serde(default)]
    pub merge_window_hours: f64,
    /// Touchpoint → owning department, for rules with no explicit `owner`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub departments: BTreeMap<String, String>,
    /// The owner when neither the rule nor `departments` gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_owner: Option<String>,
    /// The rules, at least one.
    pub rules: Vec<Rule>,
}

/// A validated, compiled alert policy for the closed loop (闭环): the rules deciding which
/// responses raise a call-back (回访) alert, with priority, owner and service level.
///
/// Built from a [`PolicySpec`] by [`Policy::new`] or from JSON by [`Policy::from_json`]; both
/// check everything up front (see [`Policy::new`]), compile all keywords of all rules into one
/// Aho–Corasick automaton and each pattern into a regular expression, so evaluation never fails
/// on the policy.
///
/// # JSON format
///
/// ```json
/// {
///   "scale": {"min": 0, "max": 10, "detractor_max": 6, "promoter_min": 9},
///   "merge_window_hours": 24,
///   "departments": {"claims": "理赔部 Claims", "call_centre": "客服中心 Service centre"},
///   "default_owner": "客户体验部 CX office",
///   "rules": [
///     {"name": "crisis", "when": {"keywords": ["投诉", "媒体", "lawyer"]},
///      "priority": 1, "owner": "危机处理 Crisis team", "service_level_hours": 2},
///     {"name": "detractor", "when": {"category": ["detractor"]},
///      "priority": 2, "service_level_hours": 24}
///   ]
/// }
/// ```
///
/// Policy keys: `rules` (required, at least one); `scale` (default 0–10, detractors 0–6,
/// promoters 9–10); `merge_window_hours` (default 0: no merging); `departments` (touchpoint →
/// owner); `default_owner`. Rule keys: `name`, `when`, `priority` (1 = most urgent),
/// `service_level_hours` (all required) and `owner`. Condition keys (inside `when`, at least
/// one): `touchpoints` (list), `score` (`{"min": 0, "max": 6}`, either end optional),
/// `category` (list of `"detractor"`, `"passive"`, `"promoter"`), `drop` (previous − score ≥
/// drop), `min_value` (customer value ≥), `keywords` (list, any, case-insensitive; Latin
/// keywords as whole words, Chinese ones as substrings) and `pattern` (a regular expression). An
/// unknown key anywhere is an error naming it.
///
/// # Examples
/// ```
/// use nps_core::Policy;
/// let policy = Policy::from_json(r#"{
///   "merge_window_hours": 24,
///   "departments": {"claims": "理赔部 Claims", "call_centre": "客服中心 Service centre"},
///   "default_owner": "客户体验部 CX office",
///   "rules": [
///     {"name": "crisis", "when": {"keywords": ["投诉", "媒体", "lawyer"]},
///      "priority": 1, "owner": "危机处理 Crisis team", "service_level_hours": 2},
///     {"name": "vip_drop", "when": {"drop": 3, "min_value": 50000},
///      "priority": 1, "service_level_hours": 4},
///     {"name": "detractor", "when": {"category": ["detractor"], "touchpoints": ["claims", "call_centre"]},
///      "priority": 2, "service_level_hours": 24},
///     {"name": "refund", "when": {"score": {"max": 8}, "pattern": "(?i)refund|退[款费]"},
///      "priority": 3, "service_level_hours": 48}
///   ]
/// }"#)?;
/// assert_eq!(policy.spec().rules.len(), 4);
/// assert_eq!(policy.spec().merge_window_hours, 24.0);
///
/// // An unknown key is an error naming the rule and the key.
/// let err = Policy::from_json(r#"{"rules": [
///   {"name": "low", "when": {"scor": {"max": 6}}, "priority": 1, "service_level_hours": 24}
/// ]}"#).unwrap_err();
/// assert!(err.to_string().contains("\"low\"") && err.to_string().contains("scor"));
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PolicySpec", into = "PolicySpec")]
pub struct Policy {
    spec: PolicySpec,
    pub(crate) compiled: Compiled,
}

impl PartialEq for Policy {
    /// Policies are equal when their specifications are (the compiled parts follow from them).
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

impl TryFrom<PolicySpec> for Policy {
    type Error = Error;
    fn try_from(spec: PolicySpec) -> Result<Self> {
        Policy::new(spec)
    }
}

impl From<Policy> for PolicySpec {
    fn from(p: Policy) -> Self {
        p.spec
    }
}

/// The top level of the JSON form, with the rules left as JSON values so that an error inside
/// a rule can name the rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    scale: Scale,
    #[serde(default)]
    merge_window_hours: f64,
    #[serde(default)]
    departments: BTreeMap<String, String>,
    #[serde(default)]
    default_owner: Option<String>,
    rules: Vec<serde_json::Value>,
}

pub(crate) fn invalid_policy(problem: impl Into<String>) -> Error {
    Error::InvalidPolicy {
        kind: "alert policy",
        name: WHOLE_POLICY.to_owned(),
        problem: problem.into(),
    }
}

pub(crate) fn invalid_rule(name: &str, problem: impl Into<String>) -> Error {
    Error::InvalidPolicy {
        kind: "alert rule",
        name: name.to_owned(),
        problem: problem.into(),
    }
}

/// A duration in hours, checked (finite, 0..=[`MAX_HOURS`]) and converted to whole seconds.
fn seconds(hours: f64) -> Option<i64> {
    (hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours))
        .then(|| (hours * 3600.0).round() as i64)
}

impl Policy {
    /// Validates and compiles a policy.
    ///
    /// Checks, each failure an [`Error::InvalidPolicy`] naming the rule (kind `"alert rule"`,
    /// its name, or `rules[i]` when the name is empty) or the policy (kind `"alert policy"`,
    /// name `"(policy)"`):
    /// - the policy: `merge_window_hours` finite and in 0..=[`MAX_HOURS`]; at least one rule;
    ///   rule names unique; no empty owner in `departments` or `default_owner`;
    /// - each rule: a non-empty name; priority ≥ 1; `service_level_hours` finite and in
    ///   0..=[`MAX_HOURS`] (a negative service level is an error); at least one condition; no
    ///   empty list (touchpoints, category, keywords), touchpoint or keyword; a score range on
    ///   the scale with min ≤ max; score range and categories not disjoint (the rule could never
    ///   fire); `drop` between 1 and the scale's width; `min_value` finite; a `pattern` that
    ///   compiles (the message carries the regex error); an owner for every response it can
    ///   match: an explicit `owner`, or every one of its `touchpoints` in `departments`, or the
    ///   policy's `default_owner`.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`] as above.
    pub fn new(spec: PolicySpec) -> Result<Policy> {
        validate(&spec)?;
        let compiled = Compiled::new(&spec)?;
        Ok(Policy { spec, compiled })
    }

    /// Reads, validates and compiles a policy written in the JSON format above.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`]: for JSON that does not parse or a policy-level key that is
    /// unknown or of the wrong type, naming `"(policy)"`; for a rule that cannot be read (an
    /// unknown key such as `"scor"`, a negative priority…), naming the rule (its `"name"`, or
    /// `rules[i]`) with serde's message; then every check of [`Policy::new`].
    pub fn from_json(json: &str) -> Result<Policy> {
        let raw: RawPolicy = serde_json::from_str(json)
            .map_err(|e| invalid_policy(format!("cannot be read: {e}")))?;
        let rules = raw
            .rules
            .iter()
            .enumerate()
            .map(|(i, value)| {
                Rule::deserialize(value).map_err(|e| {
                    let name = value
                        .get("name")
                        .and_then(serde_json::Value::as_str)
                        .filter(|n| !n.is_empty())
                        .map_or_else(|| format!("rules[{i}]"), str::to_owned);
                    invalid_rule(&name, format!("cannot be read: {e}"))
                })
            })
            .collect::<Result<Vec<Rule>>>()?;
        Policy::new(PolicySpec {
            scale: raw.scale,
            merge_window_hours: raw.merge_window_hours,
            departments: raw.departments,
            default_owner: raw.default_owner,
            rules,
        })
    }

    /// The policy in its JSON form (pretty-printed); [`Policy::from_json`] reads it back.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.spec).expect("a policy always serializes")
    }

    /// The specification the policy was built from.
    pub fn spec(&self) -> &PolicySpec {
        &self.spec
    }

    /// The scale of the scores.
    pub fn scale(&self) -> Scale {
        self.spec.scale
    }

    /// The merge window in whole seconds.
    pub fn merge_window_seconds(&self) -> i64 {
        self.compiled.window
    }

    /// The owner of an alert raised by rule `rule` for a response at `touchpoint`: the rule's
    /// owner, else the department of the touchpoint, else the default owner (validation
    /// guarantees one of them exists for every response the rule can match).
    pub(crate) fn owner(&self, rule: usize, touchpoint: Option<&str>) -> &str {
        let spec = &self.spec;
        spec.rules[rule]
            .owner
            .as_deref()
            .or_else(|| touchpoint.and_then(|t| spec.departments.get(t).map(String::as_str)))
            .or(spec.default_owner.as_deref())
            .expect("validation guarantees an owner")
    }
}

/// The score bits (bit s = score s) of the scale.
pub(crate) fn scale_mask(scale: Scale) -> u16 {
    (scale.min()..=scale.max()).fold(0, |m, s| m | 1 << s)
}

fn validate(spec: &PolicySpec) -> Result<()> {
    if seconds(spec.merge_window_hours).is_none() {
        return Err(invalid_policy(format!(
            "has merge_window_hours {}; it must be finite, between 0 and {MAX_HOURS} hours",
            spec.merge_window_hours
        )));
    }
    if spec.rules.is_empty() {
        return Err(invalid_policy(
            "has no rule; give at least one in \"rules\"",
        ));
    }
    if let Some((t, _)) = spec.departments.iter().find(|(_, o)| o.trim().is_empty()) {
        return Err(invalid_policy(format!(
            "has an empty owner for touchpoint {t:?} in \"departments\""
        )));
    }
    if spec
        .default_owner
        .as_deref()
        .is_some_and(|o| o.trim().is_empty())
    {
        return Err(invalid_policy("has an empty \"default_owner\""));
    }
    let mut names = HashSet::new();
    for (i, rule) in spec.rules.iter().enumerate() {
        let name = if rule.name.trim().is_empty() {
            let label = format!("rules[{i}]");
            return Err(invalid_rule(&label, "has an empty name"));
        } else {
            rule.name.as_str()
        };
        if !names.insert(name) {
            return Err(invalid_rule(
                name,
                "is defined twice; rule names must be unique",
            ));
        }
        validate_rule(spec, rule)?;
    }
    Ok(())
}

fn validate_rule(spec: &PolicySpec, rule: &Rule) -> Result<()> {
    let name = rule.name.as_str();
    let bad = |problem: String| Err(invalid_rule(name, problem));
    if rule.priority == 0 {
        return bad("has priority 0; priorities start at 1 (the most urgent)".into());
    }
    if seconds(rule.service_level_hours).is_none() {
        let h = rule.service_level_hours;
        return bad(if h < 0.0 {
            format!(
                "has a negative service level {h} h; it must be between 0 and {MAX_HOURS} hours"
            )
        } else {
            format!("has service level {h} h; it must be finite, between 0 and {MAX_HOURS} hours")
        });
    }
    if rule.owner.as_deref().is_some_and(|o| o.trim().is_empty()) {
        return bad("has an empty \"owner\"".into());
    }
    let when = &rule.when;
    if when.is_empty() {
        return bad(
            "has no condition; give at least one of touchpoints, score, category, drop, \
             min_value, keywords, pattern in \"when\""
                .into(),
        );
    }
    let scale = spec.scale;
    if let Some(tps) = &when.touchpoints {
        if tps.is_empty() {
            return bad("has an empty touchpoints list (it could never fire)".into());
        }
        if tps.iter().any(|t| t.is_empty()) {
            return bad("has an empty touchpoint in its touchpoints list".into());
        }
    }
    let mut mask = scale_mask(scale);
    if let Some(range) = when.score {
        let (lo, hi) = (
            range.min.unwrap_or(scale.min()),
            range.max.unwrap_or(scale.max()),
        );
        if lo > hi || !scale.contains(lo) || !scale.contains(hi) {
            return bad(format!(
                "has score range {lo}..={hi}; it must lie on the scale {}..={} with min <= max",
                scale.min(),
                scale.max()
            ));
        }
        mask &= (lo..=hi).fold(0, |m, s| m | 1 << s);
    }
    if let Some(categories) = &when.categories {
        if categories.is_empty() {
            return bad("has an empty category list (it could never fire)".into());
        }
        let allowed = (scale.min()..=scale.max())
            .filter(|&s| categories.contains(&scale.category(s)))
            .fold(0u16, |m, s| m | 1 << s);
        if mask & allowed == 0 {
            return bad("can never fire: no score of its score range is in its categories".into());
        }
    }
    if let Some(k) = when.drop {
        let width = scale.max() - scale.min();
        if k == 0 || k > width {
            return bad(format!(
                "has drop {k}; a drop is between 1 and {width} points on this scale"
            ));
        }
    }
    if let Some(v) = when.min_value
        && !v.is_finite()
    {
        return bad(format!("has min_value {v}; it must be finite"));
    }
    if let Some(keywords) = &when.keywords {
        if keywords.is_empty() {
            return bad("has an empty keywords list (it could never fire)".into());
        }
        if keywords.iter().any(|k| k.trim().is_empty()) {
            return bad("has an empty keyword".into());
        }
    }
    // The pattern is compiled (and its error reported) by `Compiled::new`.
    if rule.owner.is_none() && spec.default_owner.is_none() {
        match &when.touchpoints {
            None => {
                return bad(
                    "has no owner: give \"owner\", list its \"touchpoints\" (each in the \
                     policy's \"departments\"), or set the policy's \"default_owner\""
                        .into(),
                );
            }
            Some(tps) => {
                if let Some(t) = tps.iter().find(|t| !spec.departments.contains_key(*t)) {
                    return bad(format!(
                        "has no owner for touchpoint {t:?}: give \"owner\", add {t:?} to the \
                         policy's \"departments\", or set the policy's \"default_owner\""
                    ));
                }
            }
        }
    }
    Ok(())
}

pub(crate) fn hours_to_seconds(hours: f64) -> i64 {
    seconds(hours).expect("validated")
}
