//! Comments (评论 / 文本): what customers write under "请详述原因", read at scale.
//!
//! Seed 002 describes an insurer collecting 14 million ratings and 1.6 million comments a year
//! and finding "the most common, key requests" in them. This module does that with two tools,
//! both columnar (a slice of comments, a slice of scores, optionally a dictionary-encoded
//! [`Dimension`](crate::Dimension) such as the touchpoint 触点 or a segment), so the C and
//! Python wrappers pass their arrays straight through:
//!
//! - **Distinctive words** ([`distinctive_words`]): which words detractors (贬损者, 0–6) use
//!   more than promoters (推荐者, 9–10) and the reverse, by the log-odds ratio with an
//!   informative Dirichlet prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words",
//!   *Political Analysis* 16(4):372–403, eq. 16–22.
//! - **Topics** (话题, [`topics`]): a taxonomy the user writes (keywords and regular
//!   expressions per topic, [`Taxonomy`]), the NPS of those who mention each topic with its
//!   interval, and its impact on the overall NPS, weighted by survey weights when given (as
//!   every NPS of the crate); and 0/1 indicator columns
//!   ([`topic_indicators`], [`add_topic_drivers`]) so topics enter the driver analysis.
//!
//! Underneath: [`Tokenizer`] (jieba for Chinese, Unicode word boundaries for the rest,
//! stop-word lists for English, French and Chinese) and [`comments_from_bytes`] (text from
//! bytes under a [`Utf8Policy`]).
//!
//! # Conventions
//! - **No comment**: a missing comment (`None`), an empty one, or one of white space only
//!   (including the ideographic space U+3000) is "no comment": it is skipped by every
//!   analysis, has no words and mentions no topic. An analysis where no comment at all has
//!   text is an error ([`Error::InvalidText`](crate::Error::InvalidText) naming the field
//!   `comment`).
//! - **Scores** as everywhere in the crate: any [`ScoreValue`](crate::ScoreValue) type, NaN =
//!   not answered. A comment whose score is missing counts as a comment (mentions, shares) but
//!   enters no NPS and no word count.
//! - Everything runs on one thread: a year of comments (10⁶ short comments) is tokenized,
//!   scored for distinctive words and matched against a 10-topic taxonomy in a few seconds
//!   (`benches/comments.rs`).

mod comments;
mod keywords;
mod stopwords;
mod tokenize;
mod topics;
mod words;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub use comments::{Utf8Policy, comments_from_buffer, comments_from_bytes};
pub(crate) use keywords::Keywords;
pub use tokenize::{Language, TokenizeOptions, Tokenizer, Tokens, tokenize};
pub use topics::{
    Impact, Taxonomy, Topic, TopicAnalysis, TopicGroup, TopicIndicators, TopicOptions, TopicRow,
    add_topic_drivers, topic_indicators, topics,
};
pub use words::{
    DEFAULT_ALPHA0, DEFAULT_MIN_COUNT, DistinctiveWords, WordGroup, WordOptions, WordRow,
    distinctive_words,
};

/// The multiply-rotate hash of rustc (FxHash): several times faster than SipHash on the short
/// keys of a vocabulary, and the keys are words, not adversarial input worth SipHash's
/// protection against collisions chosen on purpose.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by words or word ids.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A hash set of words.
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;
