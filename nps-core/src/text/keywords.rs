//! Lists of keywords (关键词) found in comments in one pass: the matcher behind the topics of a
//! [`Taxonomy`](crate::Taxonomy) and the `keywords` condition of an alert rule, so that a
//! keyword means the same thing in both.
//!
//! # Matching
//! Keywords and comments are compared in Unicode normalization form C and lowercased (ASCII
//! letters always; other letters by Unicode lowercase, and ’ read as '), with leading and trailing
//! spaces of a keyword ignored. A keyword edge that is a letter or digit of a script written with
//! spaces (Latin, Cyrillic…) must lie on a word boundary: the neighbouring character of the comment
//! is not a letter, digit or `_`, or is Chinese. So "app" matches "用APP下单" and "app," but not
//! "happy", and "sue" does not match "issue"; a keyword edge that is Chinese, or punctuation, has
//! no such condition, so Chinese keywords match as substrings (which also means "贵" matches in
//! "贵宾": write the longer word, or a pattern, when that matters).
//!
//! All keywords of all lists go into one Aho–Corasick automaton (a keyword shared by several
//! lists once), folding ASCII case itself, so an ASCII comment is searched as written, and a
//! non-ASCII comment is folded first only when it is not in NFC or some keyword needs it (a
//! cased non-ASCII letter, or an apostrophe).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, BuildError, MatchKind};

use super::tokenize::{fold, is_han, is_nfc};

/// What one keyword of the automaton stands for.
#[derive(Debug, Clone)]
struct Entry {
    /// The lists that hold it.
    lists: Vec<u32>,
    /// Whether a match must start on a word boundary.
    start: bool,
    /// Whether a match must end on a word boundary.
    end: bool,
}

/// Several lists of keywords, compiled into one automaton.
#[derive(Debug, Clone)]
pub(crate) struct Keywords {
    automaton: AhoCorasick,
    /// One entry per keyword of the automaton.
    entries: Vec<Entry>,
    n_lists: usize,
    /// Whether a non-ASCII comment must be folded before the search.
    fold_non_ascii: bool,
}

/// Whether `c` is part of a word of a script written with spaces: the characters a Latin
/// keyword may not be glued to.
fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !is_han(c)
}

/// Whether a folded keyword can only be found in a folded comment: it has a cased non-ASCII
/// letter ("ä" must match "Ä"), or an apostrophe (' must match ’).
fn needs_folding(keyword: &str) -> bool {
    keyword
        .chars()
        .any(|c| c == '\'' || (!c.is_ascii() && (c.is_lowercase() || c.is_uppercase())))
}

impl Keywords {
    /// The keyword lists `lists` (list i is slot i of [`Keywords::search`]); `None` when there
    /// is no keyword at all. The callers reject blank keywords first: a blank keyword would match
    /// everywhere.
    ///
    /// # Errors
    /// The automaton's error when the keywords exceed its size limits.
    pub(crate) fn new<S: AsRef<str>>(lists: &[&[S]]) -> Result<Option<Keywords>, BuildError> {
        if lists.iter().all(|l| l.is_empty()) {
            return Ok(None);
        }
        let mut keywords: Vec<String> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        // Each keyword's position in `keywords`, so a long policy is read in linear time.
        let mut index: HashMap<String, usize> = HashMap::new();
        for (list, words) in lists.iter().enumerate() {
            let list = u32::try_from(list).expect("fewer than 2³² keyword lists");
            for keyword in *words {
                let mut folded = String::new();
                fold(keyword.as_ref().trim(), &mut folded);
                debug_assert!(!folded.is_empty(), "blank keywords are rejected by callers");
                match index.get(&folded) {
                    Some(&k) if !entries[k].lists.contains(&list) => entries[k].lists.push(list),
                    Some(_) => {}
                    None => {
                        entries.push(Entry {
                            lists: vec![list],
                            start: folded.chars().next().is_some_and(is_word_char),
                            end: folded.chars().next_back().is_some_and(is_word_char),
                        });
                        index.insert(folded.clone(), keywords.len());
                        keywords.push(folded);
                    }
                }
            }
        }
        let fold_non_ascii = keywords.iter().any(|k| needs_folding(k));
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keywords)?;
        Ok(Some(Keywords {
            automaton,
            entries,
            n_lists: lists.len(),
            fold_non_ascii,
        }))
    }

    /// The number of lists.
    pub(crate) fn lists(&self) -> usize {
        self.n_lists
    }

    /// Sets `hit[i]` (one flag per list; all cleared first) for each list i with a keyword in
    /// `text`. `scratch` holds the folded comment when one is needed.
    pub(crate) fn search(&self, text: &str, scratch: &mut String, hit: &mut [bool]) {
        hit.fill(false);
        let haystack = if !text.is_ascii() && (self.fold_non_ascii || !is_nfc(text)) {
            fold(text, scratch);
            scratch.as_str()
        } else {
            text
        };
        let mut found = 0;
        for m in self.automaton.find_overlapping_iter(haystack) {
            let entry = &self.entries[m.pattern().as_usize()];
            if entry.lists.iter().all(|&l| hit[l as usize]) {
                continue;
            }
            let glued_before = entry.start
                && haystack[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char);
            let glued_after =
                entry.end && haystack[m.end()..].chars().next().is_some_and(is_word_char);
            if glued_before || glued_after {
                continue;
            }
            for &l in &entry.lists {
                let flag = &mut hit[l as usize];
                if !*flag {
                    *flag = true;
                    found += 1;
                }
            }
            if found == self.n_lists {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(keywords: &Keywords, text: &str) -> Vec<bool> {
        let mut hit = vec![true; keywords.lists()];
        keywords.search(text, &mut String::new(), &mut hit);
        hit
    }

    fn lists(lists: &[&[&str]]) -> Keywords {
        Keywords::new(lists).unwrap().unwrap()
    }

    #[test]
    fn case_is_folded_and_keywords_are_shared() {
        let k = lists(&[&["投诉", "Lawyer"], &["LAWYER", "Ärger"]]);
        // "lawyer" is one keyword serving both lists.
        assert_eq!(k.entries.len(), 3);
        assert!(k.fold_non_ascii);
        assert_eq!(hits(&k, "my lawyer"), [true, true]);
        assert_eq!(hits(&k, "我要投诉"), [true, false]);
        assert_eq!(hits(&k, "GROSSER ÄRGER"), [false, true]);
        assert_eq!(hits(&k, "nothing"), [false, false]);
        // Decomposed accents (e + U+0301, as macOS writes file names) match composed ones.
        let k = lists(&[&["café"], &["cafe"]]);
        assert_eq!(hits(&k, "un cafe\u{301} froid"), [true, false]);
        assert_eq!(hits(&k, "UN CAFÉ"), [true, false]);
        // Chinese and ASCII keywords: a non-ASCII comment is searched as written.
        assert!(!lists(&[&["投诉", "Refund"]]).fold_non_ascii);
        assert!(Keywords::new::<&str>(&[]).unwrap().is_none());
        assert!(Keywords::new::<&str>(&[&[], &[]]).unwrap().is_none());
    }

    #[test]
    fn latin_edges_lie_on_word_boundaries() {
        let k = lists(&[&["sue"], &["app"], &["贵"], &["l'accueil"], &["c++"]]);
        assert_eq!(hits(&k, "an issue"), [false, false, false, false, false]);
        assert_eq!(
            hits(&k, "I will SUE you"),
            [true, false, false, false, false]
        );
        assert_eq!(
            hits(&k, "用APP下单太贵了"),
            [false, true, true, false, false]
        );
        assert_eq!(hits(&k, "happy, apps"), [false, false, false, false, false]);
        assert_eq!(
            hits(&k, "L’Accueil était top"),
            [false, false, false, true, false]
        );
        // A punctuation edge has no boundary condition; a letter edge keeps its own.
        assert_eq!(hits(&k, "c++11"), [false, false, false, false, true]);
        assert_eq!(hits(&k, "ec++"), [false, false, false, false, false]);
        // A longer overlapping keyword still counts when a shorter one fails its boundary.
        let k = lists(&[&["cher", "chers"]]);
        assert_eq!(hits(&k, "trop chers"), [true]);
        assert_eq!(hits(&k, "chercher"), [false]);
    }
}
