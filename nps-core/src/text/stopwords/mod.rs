//! Stop-word lists (停用词), embedded in the library.
//!
//! - English (`en.txt`): the Snowball project's list
//!   (<https://snowballstem.org/algorithms/english/stop.txt>, BSD licence), plus five fillers
//!   frequent in survey answers (also, can, will, just, us).
//! - French (`fr.txt`): the Snowball project's list
//!   (<https://snowballstem.org/algorithms/french/stop.txt>, BSD licence), plus the verb and
//!   article forms Snowball leaves out as homonyms of nouns (est, a, été, son…), the elided
//!   forms jusqu', lorsqu', puisqu', quoiqu', and "très" and a few connectives.
//! - Chinese (`zh.txt`): a short list written for this crate: particles (的 了 吗 呢 吧…),
//!   pronouns (我 你 他 这 那…), the most frequent prepositions and conjunctions (和 在 对
//!   把 被 因为 所以 但是…), 是 and 有, and 很. Negations (不 没 没有) and degree words
//!   such as 太 and 非常 are kept, since they change what a comment says.
//!
//! Each file is in the Snowball format: words separated by white space, `|` starts a comment.
//! Every word is already lowercase, with the ASCII apostrophe.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::tokenize::Language;

const ENGLISH: &str = include_str!("en.txt");
const FRENCH: &str = include_str!("fr.txt");
const CHINESE: &str = include_str!("zh.txt");

/// The words of a list in the Snowball format, in file order, without duplicates.
fn parse(source: &'static str) -> Vec<&'static str> {
    let mut seen = HashSet::new();
    source
        .lines()
        .map(|line| line.split('|').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .filter(|w| seen.insert(*w))
        .collect()
}

/// The stop words of `language`, parsed once.
pub(crate) fn list(language: Language) -> &'static [&'static str] {
    static LISTS: [OnceLock<Vec<&'static str>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let (slot, source) = match language {
        Language::English => (0, ENGLISH),
        Language::French => (1, FRENCH),
        Language::Chinese => (2, CHINESE),
    };
    LISTS[slot].get_or_init(|| parse(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_lowercase_and_parsed() {
        for language in [Language::English, Language::French, Language::Chinese] {
            let words = list(language);
            assert!(words.len() > 20, "{language:?}");
            for w in words {
                assert_eq!(*w, w.to_lowercase(), "{language:?}");
                assert!(!w.contains('|') && !w.contains('’'));
            }
        }
        let en = list(Language::English);
        assert_eq!(en[0], "i");
        assert!(en.contains(&"don't") && en.contains(&"very") && !en.contains(&"price"));
        let fr = list(Language::French);
        assert!(fr.contains(&"était") && fr.contains(&"très") && fr.contains(&"l"));
        assert!(!fr.contains(&"accueil"));
        let zh = list(Language::Chinese);
        assert!(zh.contains(&"的") && zh.contains(&"了") && !zh.contains(&"不"));
    }
}
