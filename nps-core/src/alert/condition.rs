//! Rules compiled for evaluation: each rule's score conditions folded into one bit mask, all
//! keywords of all rules in one Aho–Corasick automaton, patterns as regular expressions.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

use super::policy::{PolicySpec, hours_to_seconds, invalid_rule, scale_mask};
use crate::Result;
use crate::tally::MISSING;

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

/// All keywords, lowercased and deduplicated, in one automaton.
#[derive(Debug, Clone)]
struct Keywords {
    automaton: AhoCorasick,
    /// For each pattern of the automaton, the keyword slots (rules) it belongs to.
    slots: Vec<Vec<u32>>,
    n_slots: usize,
    /// Whether some keyword has a cased non-ASCII letter ("É", "Ä"), so that a non-ASCII comment
    /// must be lowercased before the search (ASCII case is folded by the automaton itself;
    /// Chinese has no case).
    unicode_case: bool,
}

impl Keywords {
    fn new(lists: &[&[String]]) -> Option<Keywords> {
        if lists.is_empty() {
            return None;
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut slots: Vec<Vec<u32>> = Vec::new();
        for (slot, list) in lists.iter().enumerate() {
            for keyword in *list {
                let lower = keyword.to_lowercase();
                let p = *index.entry(lower.clone()).or_insert_with(|| {
                    patterns.push(lower);
                    slots.push(Vec::new());
                    patterns.len() - 1
                });
                if !slots[p].contains(&(slot as u32)) {
                    slots[p].push(slot as u32);
                }
            }
        }
        let unicode_case = patterns
            .iter()
            .flat_map(|p| p.chars())
            .any(|c| !c.is_ascii() && (c.is_lowercase() || c.is_uppercase()));
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("keyword automaton within size limits");
        Some(Keywords {
            automaton,
            slots,
            n_slots: lists.len(),
            unicode_case,
        })
    }

    /// Marks in `hit` (one flag per slot, all false on entry) the slots with a keyword in
    /// `comment`.
    fn search(&self, comment: &str, hit: &mut [bool]) {
        let lowered;
        let haystack = if self.unicode_case && !comment.is_ascii() {
            lowered = comment.to_lowercase();
            lowered.as_str()
        } else {
            comment
        };
        let mut found = 0;
        for m in self.automaton.find_overlapping_iter(haystack) {
            for &slot in &self.slots[m.pattern().as_usize()] {
                let flag = &mut hit[slot as usize];
                if !*flag {
                    *flag = true;
                    found += 1;
                }
            }
            if found == self.n_slots {
                break;
            }
        }
    }
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
            keywords: Keywords::new(&keyword_lists),
            window: hours_to_seconds(spec.merge_window_hours),
        })
    }

    /// A scratch sized for this policy.
    pub(crate) fn scratch(&self) -> Scratch {
        Scratch {
            fired: Vec::with_capacity(self.rules.len()),
            keyword_hits: vec![false; self.keywords.as_ref().map_or(0, |k| k.n_slots)],
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
                        scratch.keyword_hits.fill(false);
                        keywords.search(comment, &mut scratch.keyword_hits);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(keywords: &Keywords, comment: &str) -> Vec<bool> {
        let mut hit = vec![false; keywords.n_slots];
        keywords.search(comment, &mut hit);
        hit
    }

    #[test]
    fn keywords_fold_case_and_share_patterns() {
        let a = vec!["投诉".to_owned(), "Lawyer".to_owned()];
        let b = vec!["LAWYER".to_owned(), "Ärger".to_owned()];
        let k = Keywords::new(&[&a, &b]).unwrap();
        // "lawyer" is one pattern serving both slots.
        assert_eq!(k.slots.len(), 3);
        assert!(k.unicode_case);
        assert_eq!(hits(&k, "my lawyer"), [true, true]);
        assert_eq!(hits(&k, "我要投诉"), [true, false]);
        assert_eq!(hits(&k, "GROSSER ÄRGER"), [false, true]);
        assert_eq!(hits(&k, "nothing"), [false, false]);
        // Chinese and ASCII only: no lowercasing pass is needed.
        let c = vec!["投诉".to_owned(), "Refund".to_owned()];
        assert!(!Keywords::new(&[&c]).unwrap().unicode_case);
        assert!(Keywords::new(&[]).is_none());
    }
}
