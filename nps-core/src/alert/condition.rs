//! Rules compiled for evaluation: each rule's score conditions folded into one bit mask, all
//! keywords of all rules in one automaton (the same matcher as the topics of a taxonomy),
//! patterns as regular expressions.

use regex::Regex;

use super::policy::{PolicySpec, hours_to_seconds, invalid_policy, invalid_rule, scale_mask};
use crate::Result;
use crate::tally::MISSING;
use crate::text::Keywords;

/// A policy compiled for evaluation.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) rules: Vec<Matcher>,
    /// All keywords of all rules; `None` when no rule has keywords.
    keywords: Option<Keywords>,
    /// The merge window in seconds.
    pub(crate) window: i64,
}

/// One rule, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    /// Bit s set when score code s matches (scores on the scale; bit [`MISSING`] when a response
    /// with no score matches, i.e. when the rule has no score, category or drop condition).
    scores: u16,
    drop: Option<u8>,
    min_value: Option<f64>,
    /// The touchpoints of the condition, if any.
    pub(crate) touchpoints: Option<Vec<String>>,
    /// Index of the rule among the rules with keywords.
    keyword_slot: Option<usize>,
    pattern: Option<Regex>,
    pub(crate) priority: u8,
    /// Service level in seconds.
    pub(crate) service: i64,
}

/// One response as the matchers see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row<'r> {
    /// The score code: 0..=10, or [`MISSING`].
    pub(crate) score: u8,
    pub(crate) previous: Option<u8>,
    pub(crate) value: Option<f64>,
    pub(crate) comment: Option<&'r str>,
}

/// Reusable buffers of an evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// The rules that fired, in policy order.
    pub(crate) fired: Vec<usize>,
    keyword_hits: Vec<bool>,
    /// The lowercased comment, when the keywords need one.
    folded: String,
}

/// What the rules that fired on one response decide.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Firing {
    /// The most urgent priority among them.
    pub(crate) priority: u8,
    /// The earliest due time among them.
    pub(crate) due_at: i64,
    /// The first (in policy order) of the most urgent rules: it gives the owner.
    pub(crate) lead: usize,
}

impl Compiled {
    pub(crate) fn new(spec: &PolicySpec) -> Result<Compiled> {
        let full = scale_mask(spec.scale);
        let mut keyword_lists: Vec<&[String]> = Vec::new();
        let mut rules = Vec::with_capacity(spec.rules.len());
        for rule in &spec.rules {
            let when = &rule.when;
            let mut scores = full | 1 << MISSING;
            if let Some(range) = when.score {
                let lo = range.min.unwrap_or(spec.scale.min());
                let hi = range.max.unwrap_or(spec.scale.max());
                scores &= (lo..=hi).fold(0, |m, s| m | 1 << s);
            }
            if let Some(categories) = &when.categories {
                scores &= (spec.scale.min()..=spec.scale.max())
                    .filter(|&s| categories.contains(&spec.scale.category(s)))
                    .fold(0, |m, s| m | 1 << s);
            }
            if when.drop.is_some() {
                scores &= !(1 << MISSING);
            }
            let keyword_slot = when.keywords.as_ref().map(|k| {
                keyword_lists.push(k);
                keyword_lists.len() - 1
            });
            let pattern = match &when.pattern {
                None => None,
                Some(p) => Some(Regex::new(p).map_err(|e| {
                    invalid_rule(&rule.name, format!("has an invalid pattern {p:?}: {e}"))
                })?),
            };
            rules.push(Matcher {
                scores,
                drop: when.drop,
                min_value: when.min_value,
                touchpoints: when.touchpoints.clone(),
                keyword_slot,
                pattern,
                priority: rule.priority,
                service: hours_to_seconds(rule.service_level_hours),
            });
        }
        Ok(Compiled {
            rules,
            keywords: Keywords::new(&keyword_lists).map_err(|e| {
                invalid_policy(format!(
                    "has keywords that cannot be compiled together: {e}"
                ))
            })?,
            window: hours_to_seconds(spec.merge_window_hours),
        })
    }

    /// A scratch sized for this policy.
    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            fired: Vec::with_capacity(self.rules.len()),
            keyword_hits: vec![false; self.keywords.as_ref().map_or(0, Keywords::lists)],
            folded: String::new(),
        }
    }

    /// The rules that fire on `row` at time `at` (into `scratch.fired`, in policy order), with
    /// what they decide; `None` when no rule fires. `touchpoint_ok(r)` says whether rule r's
    /// touchpoint condition holds (called only for rules that have one).
    ///
    /// The cheap conditions (score, drop, value, touchpoint) are tested first; a comment is
    /// searched for keywords at most once, and only when a rule with keywords passed them.
    #[inline]
    pub(crate) fn fire(
        &self,
        at: i64,
        row: Row<'_>,
        touchpoint_ok: impl Fn(usize) -> bool,
        scratch: &mut Scratch,
    ) -> Option<Firing> {
        scratch.fired.clear();
        let mut searched = false;
        let mut best: Option<Firing> = None;
        for (r, m) in self.rules.iter().enumerate() {
            if m.scores >> row.score & 1 == 0 {
                continue;
            }
            if let Some(k) = m.drop {
                match row.previous {
                    Some(p) if i16::from(p) - i16::from(row.score) >= i16::from(k) => {}
                    _ => continue,
                }
            }
            if let Some(min) = m.min_value {
                match row.value {
                    Some(v) if v >= min => {}
                    _ => continue,
                }
            }
            if m.touchpoints.is_some() && !touchpoint_ok(r) {
                continue;
            }
            if m.keyword_slot.is_some() || m.pattern.is_some() {
                // An empty or blank comment is no comment (as in the comment analyses).
                let Some(comment) = row.comment.filter(|c| !c.trim().is_empty()) else {
                    continue;
                };
                if let Some(slot) = m.keyword_slot {
                    let keywords = self.keywords.as_ref().expect("a slot has an automaton");
                    if !searched {
                        keywords.search(comment, &mut scratch.folded, &mut scratch.keyword_hits);
                        searched = true;
                    }
                    if !scratch.keyword_hits[slot] {
                        continue;
                    }
                }
                if let Some(re) = &m.pattern
                    && !re.is_match(comment)
                {
                    continue;
                }
            }
            scratch.fired.push(r);
            let due_at = at.saturating_add(m.service);
            best = Some(match best {
                None => Firing {
                    priority: m.priority,
                    due_at,
                    lead: r,
                },
                Some(b) => Firing {
                    priority: b.priority.min(m.priority),
                    due_at: b.due_at.min(due_at),
                    lead: if m.priority < b.priority { r } else { b.lead },
                },
            });
        }
        best
    }
}
