//! Cutting comments (评论) into words: jieba for Chinese, Unicode word boundaries for the
//! languages written with spaces, lowercase, stop words removed.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;

use super::comments::text_of;
use super::{FastSet, stopwords};
use crate::{Error, Result};

/// A language with an embedded stop-word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Language {
    /// English (`en`): the Snowball list.
    #[serde(rename = "en")]
    English,
    /// French (`fr`): the Snowball list with a few additions.
    #[serde(rename = "fr")]
    French,
    /// Chinese (`zh`): particles, pronouns and function words (的 了 是 我 在 和 …).
    #[serde(rename = "zh")]
    Chinese,
}

impl Language {
    /// The accepted names, for messages.
    pub const NAMES: &'static str = "en, fr, zh";

    /// Every language with a list.
    pub const ALL: [Language; 3] = [Language::English, Language::French, Language::Chinese];

    /// The language's code: `en`, `fr` or `zh`.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
            Language::Chinese => "zh",
        }
    }

    /// The language with code `name` (`en`, `fr`, `zh`).
    ///
    /// # Errors
    /// [`Error::UnknownMethod`].
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "en" => Ok(Language::English),
            "fr" => Ok(Language::French),
            "zh" => Ok(Language::Chinese),
            _ => Err(Error::UnknownMethod {
                kind: "stop-word language",
                name: name.to_owned(),
                expected: Self::NAMES,
            }),
        }
    }

    /// The embedded stop words of the language (lowercase; see the module `stopwords` of the
    /// source for where each list comes from).
    ///
    /// ```
    /// use nps_core::Language;
    /// assert!(Language::French.stop_words().contains(&"était"));
    /// assert!(Language::Chinese.stop_words().contains(&"的"));
    /// ```
    pub fn stop_words(self) -> &'static [&'static str] {
        stopwords::list(self)
    }
}

impl FromStr for Language {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Language::from_name(s)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How comments are cut into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenizeOptions {
    /// The stop-word lists to apply (default: all three, `en`, `fr` and `zh`; empty: none).
    pub stop_words: Vec<Language>,
    /// Shortest word kept, in characters (default 1: a single Chinese character is often a
    /// word, 贵 "expensive", 慢 "slow"; 0 and 1 keep every word).
    pub min_length: usize,
    /// Keep words made only of digits and separators ("10", "3.5", "1,000"); default `false`.
    /// Words mixing letters and digits ("4g", "iphone15") are always kept.
    pub keep_numbers: bool,
    /// Let jieba find words missing from its dictionary with its hidden Markov model (default
    /// `true`, jieba's own default): customer slang such as 闪退 ("crashes") is then one
    /// word instead of 闪 / 退. Without it, segmentation uses the dictionary alone.
    pub hmm: bool,
}

impl Default for TokenizeOptions {
    fn default() -> Self {
        TokenizeOptions {
            stop_words: Language::ALL.to_vec(),
            min_length: 1,
            keep_numbers: false,
            hmm: true,
        }
    }
}

/// The one jieba segmenter of the process, with its default dictionary, loaded on first use
/// (about a quarter of a second) and shared by every thread.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Whether `c` is a Han character (CJK Unified Ideographs and their extensions, compatibility
/// ideographs): the ranges jieba segments.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}')
}

/// `text` in Unicode normalization form C (NFC: "é" written as e + U+0301 becomes the one
/// character é, as most keyboards type it), lowercased (Unicode full case mapping), with the
/// typographic apostrophes ’ (U+2019) and ʼ (U+02BC) replaced by the ASCII one, into `out`.
/// The same word then counts once whichever way a system encoded its accents.
pub(crate) fn fold(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else if is_nfc(text) {
        fold_chars(text.chars(), out);
    } else {
        fold_chars(text.nfc(), out);
    }
}

/// Whether `text` is certainly in NFC (the quick check; "maybe" counts as no, and the text is
/// then normalized, which changes nothing when it was NFC after all).
pub(crate) fn is_nfc(text: &str) -> bool {
    is_nfc_quick(text.chars()) == IsNormalized::Yes
}

fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        match c {
            '\u{2019}' | '\u{02BC}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c if is_han(c) => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// French elided words split off before an apostrophe (l'accueil → l + accueil): the articles
/// and pronouns of Snowball's single-letter forms, qu', and the conjunctions ending in qu'.
const ELISIONS: [&str; 13] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

/// Whether `word` is a number: digits, possibly with separators ("3.5", "1,000").
fn is_number(word: &str) -> bool {
    let mut digits = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            digits = true;
        } else if matches!(c, '.' | ',' | '\'') {
            continue;
        } else if c.is_ascii() || is_han(c) || !c.is_numeric() {
            return false;
        } else {
            digits = true;
        }
    }
    digits
}

/// A configured tokenizer: build it once, cut many comments.
///
/// # Rules
/// 1. The comment is put in Unicode normalization form C (é typed as e + U+0301 becomes é),
///    lowercased (Unicode full case mapping), and ’ becomes '.
/// 2. It is split into runs of Han characters and runs of other letters and digits
///    (punctuation and spaces stay with the run they follow).
/// 3. Han runs are cut by jieba (`cut`, HMM per [`TokenizeOptions::hmm`]); the dictionary is
///    jieba's default one, loaded once per process.
/// 4. Other runs are cut at Unicode word boundaries (UAX #29, `unicode_words`: punctuation,
///    symbols and emoji are dropped). A word with an apostrophe is kept whole when it is a
///    stop word (don't, it's); otherwise French elisions are split off (l'accueil → l +
///    accueil, qu'il → qu + il), an English possessive 's is dropped (customer's → customer),
///    and the rest is kept (aujourd'hui).
/// 5. Words that are numbers (unless kept), shorter than the minimum length, or stop words are
///    dropped.
///
/// Text is not Unicode-normalized: "é" precomposed (NFC, what keyboards produce) and "e" plus
/// a combining accent are different words.
///
/// # Examples
/// ```
/// use nps_core::{TokenizeOptions, Tokenizer};
/// let t = Tokenizer::new(&TokenizeOptions::default());
/// assert_eq!(t.tokens("L’accueil était TRÈS agréable !"), ["accueil", "agréable"]);
/// assert_eq!(t.tokens("理赔速度太慢了"), ["理赔", "速度", "太慢"]);
/// assert_eq!(t.tokens("The app keeps crashing"), ["app", "keeps", "crashing"]);
/// ```
#[derive(Debug, Clone)]
pub struct Tokenizer {
    stop: FastSet<&'static str>,
    min_length: usize,
    keep_numbers: bool,
    hmm: bool,
}

impl Tokenizer {
    /// A tokenizer with `options`.
    pub fn new(options: &TokenizeOptions) -> Self {
        let stop = options
            .stop_words
            .iter()
            .flat_map(|&l| l.stop_words().iter().copied())
            .collect();
        Tokenizer {
            stop,
            min_length: options.min_length,
            keep_numbers: options.keep_numbers,
            hmm: options.hmm,
        }
    }

    /// The words of one comment, in order.
    pub fn tokens(&self, text: &str) -> Vec<String> {
        let mut words = Vec::new();
        self.each(text, &mut String::new(), |w| words.push(w.to_owned()));
        words
    }

    /// Calls `f` on each word of `text` in order; `scratch` is a buffer reused across calls.
    pub(crate) fn each(&self, text: &str, scratch: &mut String, mut f: impl FnMut(&str)) {
        fold(text, scratch);
        let s = scratch.as_str();
        // Runs change script at a Han character or at a letter or digit of another script;
        // punctuation and spaces stay in the current run, so a Chinese comment with commas is
        // one call to jieba (which splits at punctuation itself) rather than one per clause.
        let mut start = 0;
        let mut han = false;
        for (i, c) in s.char_indices() {
            let h = if is_han(c) {
                true
            } else if c.is_alphanumeric() {
                false
            } else {
                continue;
            };
            if h != han {
                if i > start {
                    self.run(&s[start..i], han, &mut f);
                }
                start = i;
                han = h;
            }
        }
        if s.len() > start {
            self.run(&s[start..], han, &mut f);
        }
    }

    /// The words of one run: Han characters and punctuation, or any other script.
    fn run(&self, run: &str, han: bool, f: &mut impl FnMut(&str)) {
        if han {
            for w in jieba().cut(run, self.hmm) {
                // jieba passes punctuation and spaces through as tokens of their own.
                if w.starts_with(is_han) {
                    self.emit(w, f);
                }
            }
        } else {
            for w in run.unicode_words() {
                self.word(w, f);
            }
        }
    }

    /// One Unicode word, with the apostrophe rules.
    fn word(&self, word: &str, f: &mut impl FnMut(&str)) {
        if !word.contains('\'') || self.stop.contains(word) {
            return self.emit(word, f);
        }
        let mut rest = word;
        while let Some((head, tail)) = rest.split_once('\'') {
            if tail.is_empty() || !ELISIONS.contains(&head) {
                break;
            }
            self.emit(head, f);
            rest = tail;
        }
        if !self.stop.contains(rest)
            && let Some(stem) = rest.strip_suffix("'s")
            && !stem.is_empty()
        {
            rest = stem;
        }
        self.emit(rest, f);
    }

    /// Passes `word` on unless a filter drops it.
    fn emit(&self, word: &str, f: &mut impl FnMut(&str)) {
        let keep = !word.is_empty()
            && (self.keep_numbers || !is_number(word))
            && (self.min_length <= 1 || word.chars().count() >= self.min_length)
            && !self.stop.contains(word);
        if keep {
            f(word);
        }
    }
}

/// The words of many comments, flattened: comment i's words are
/// `words[offsets[i]..offsets[i + 1]]` (none for a missing or blank comment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    /// Where each comment's words start in `words`; one more element than there are comments.
    pub offsets: Vec<usize>,
    /// Every comment's words, comment after comment.
    pub words: Vec<String>,
}

impl Tokens {
    /// Number of comments.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no comments.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The words of comment `i`.
    ///
    /// # Panics
    /// When `i` is out of range.
    pub fn comment(&self, i: usize) -> &[String] {
        &self.words[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Cuts every comment into words (see [`Tokenizer`] for the rules). Missing, empty and
/// white-space-only comments have no words.
///
/// # Examples
/// ```
/// use nps_core::{TokenizeOptions, tokenize};
/// let texts = [Some("价格太贵了"), None, Some("Trop cher, l'appli plante")];
/// let tokens = tokenize(&texts, &TokenizeOptions::default());
/// assert_eq!(tokens.len(), 3);
/// assert_eq!(tokens.comment(0), ["价格", "太贵"]);
/// assert!(tokens.comment(1).is_empty());
/// assert_eq!(tokens.comment(2), ["trop", "cher", "appli", "plante"]);
/// ```
pub fn tokenize<S: AsRef<str>>(texts: &[Option<S>], options: &TokenizeOptions) -> Tokens {
    let tokenizer = Tokenizer::new(options);
    let mut offsets = Vec::with_capacity(texts.len() + 1);
    let mut words = Vec::new();
    let mut scratch = String::new();
    offsets.push(0);
    for t in texts {
        if let Some(text) = text_of(t) {
            tokenizer.each(text, &mut scratch, |w| words.push(w.to_owned()));
        }
        offsets.push(words.len());
    }
    Tokens { offsets, words }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(options: &TokenizeOptions, text: &str) -> Vec<String> {
        Tokenizer::new(options).tokens(text)
    }

    #[test]
    fn apostrophes_and_elisions() {
        let all = TokenizeOptions::default();
        assert_eq!(
            words(&all, "qu'il l'a dit aujourd'hui"),
            ["dit", "aujourd'hui"]
        );
        assert_eq!(
            words(&all, "the customer's view, don't"),
            ["customer", "view"]
        );
        let none = TokenizeOptions {
            stop_words: vec![],
            ..TokenizeOptions::default()
        };
        assert_eq!(words(&none, "l’accueil"), ["l", "accueil"]);
        assert_eq!(words(&none, "don't"), ["don't"]);
    }

    #[test]
    fn accents_count_once_however_encoded() {
        let all = TokenizeOptions::default();
        // Precomposed é (U+00E9) and e + combining acute (U+0301): one word.
        assert_eq!(
            words(&all, "Personnel agr\u{e9}able"),
            ["personnel", "agréable"]
        );
        assert_eq!(
            words(&all, "PERSONNEL AGRE\u{301}ABLE"),
            ["personnel", "agréable"]
        );
        // A compatibility ideograph is its unified form (U+F900 → 豈, U+8C48).
        assert_eq!(words(&all, "\u{f900}"), ["\u{8c48}"]);
    }

    #[test]
    fn numbers_and_length() {
        let all = TokenizeOptions::default();
        assert_eq!(words(&all, "10/10 3.5 1,000 4g"), ["4g"]);
        let keep = TokenizeOptions {
            keep_numbers: true,
            min_length: 3,
            ..TokenizeOptions::default()
        };
        assert_eq!(words(&keep, "10/10 3.5 1,000 4g 价格贵"), ["3.5", "1,000"]);
    }

    #[test]
    fn scripts_are_split_into_runs() {
        let all = TokenizeOptions::default();
        assert_eq!(words(&all, "APP经常闪退"), ["app", "经常", "闪退"]);
        let no_hmm = TokenizeOptions {
            hmm: false,
            ..TokenizeOptions::default()
        };
        assert_eq!(words(&no_hmm, "APP经常闪退"), ["app", "经常", "闪", "退"]);
        assert!(is_han('理') && !is_han('a') && !is_han('，'));
    }
}
