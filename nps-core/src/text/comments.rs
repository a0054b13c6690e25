//! Reading comments (评论): text from bytes under a stated UTF-8 policy, the "no comment"
//! rule, and the checks every comment analysis shares.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::scale::Scale;
use crate::table::Dimension;
use crate::tally::{ScoreValue, score_codes};
use crate::{Error, Result};

/// What to do with bytes that are not valid UTF-8 (the C interface passes comments as bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Utf8Policy {
    /// Refuse the input: [`Error::InvalidText`] naming the comment's index and the byte offset,
    /// within that comment, of the first invalid sequence. The default.
    #[default]
    Error,
    /// Replace each invalid sequence by U+FFFD (�), the replacement character, as
    /// [`String::from_utf8_lossy`] does: one U+FFFD per maximal invalid subpart (the practice
    /// the Unicode Standard recommends, §3.9 "U+FFFD Substitution of Maximal Subparts"). The
    /// replacement character is not a letter, so it never becomes part of a word.
    Replace,
}

impl Utf8Policy {
    /// The accepted names, for messages.
    pub const NAMES: &'static str = "error, replace";

    /// The policy's name: `error` or `replace`.
    pub fn name(self) -> &'static str {
        match self {
            Utf8Policy::Error => "error",
            Utf8Policy::Replace => "replace",
        }
    }

    /// The policy called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownMethod`].
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "error" => Ok(Utf8Policy::Error),
            "replace" => Ok(Utf8Policy::Replace),
            _ => Err(Error::UnknownMethod {
                kind: "UTF-8 policy",
                name: name.to_owned(),
                expected: Self::NAMES,
            }),
        }
    }
}

impl FromStr for Utf8Policy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Utf8Policy::from_name(s)
    }
}

impl fmt::Display for Utf8Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One comment read from bytes: borrowed when valid, owned when characters were replaced.
fn decode(bytes: &[u8], index: usize, policy: Utf8Policy) -> Result<Cow<'_, str>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => match policy {
            Utf8Policy::Replace => Ok(String::from_utf8_lossy(bytes)),
            Utf8Policy::Error => Err(Error::InvalidText {
                field: "comment",
                index,
                problem: format!(
                    "is not valid UTF-8 (byte {} of {}); pass the text as UTF-8, or use the \
                     \"replace\" policy to substitute U+FFFD",
                    e.valid_up_to(),
                    bytes.len()
                ),
            }),
        },
    }
}

/// Comments read from bytes (`None` = no comment), for callers that hold text as bytes (the
/// C interface). Valid comments are borrowed, not copied. The result is what the comment
/// analyses ([`distinctive_words`](crate::distinctive_words), [`topics`](crate::topics),
/// [`tokenize`](crate::tokenize)) take.
///
/// # Errors
/// Under [`Utf8Policy::Error`], [`Error::InvalidText`] for the first comment that is not valid
/// UTF-8, naming its index and the byte offset of the first invalid sequence within it.
///
/// # Examples
/// ```
/// use nps_core::{Error, Utf8Policy, comments_from_bytes};
/// let raw: [Option<&[u8]>; 3] = [Some("très bien".as_bytes()), None, Some(b"caf\xE9")];
/// let err = comments_from_bytes(&raw, Utf8Policy::Error).unwrap_err();
/// assert!(matches!(err, Error::InvalidText { index: 2, .. }));
/// let texts = comments_from_bytes(&raw, Utf8Policy::Replace)?;
/// assert_eq!(texts[2].as_deref(), Some("caf\u{FFFD}"));
/// assert_eq!(texts[1], None);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn comments_from_bytes<B: AsRef<[u8]>>(
    texts: &[Option<B>],
    policy: Utf8Policy,
) -> Result<Vec<Option<Cow<'_, str>>>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.as_ref()
                .map(|b| decode(b.as_ref(), i, policy))
                .transpose()
        })
        .collect()
}

/// Comments packed in one buffer, Arrow style: comment i is `buffer[offsets[i]..offsets[i + 1]]`
/// (so `offsets` has one more element than there are comments); an empty slice is no comment.
/// Read under `policy` as in [`comments_from_bytes`].
///
/// # Errors
/// [`Error::InvalidArgument`] when `offsets` is empty, decreases, or points past the buffer
/// (naming the position); [`Error::InvalidText`] as in [`comments_from_bytes`].
///
/// # Examples
/// ```
/// use nps_core::{Utf8Policy, comments_from_buffer};
/// let buffer = "理赔太慢good".as_bytes();
/// let texts = comments_from_buffer(buffer, &[0, 12, 12, 16], Utf8Policy::Error)?;
/// assert_eq!(texts.len(), 3);
/// assert_eq!(texts[0].as_deref(), Some("理赔太慢"));
/// assert_eq!(texts[1].as_deref(), Some(""));
/// assert_eq!(texts[2].as_deref(), Some("good"));
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn comments_from_buffer<'a>(
    buffer: &'a [u8],
    offsets: &[usize],
    policy: Utf8Policy,
) -> Result<Vec<Option<Cow<'a, str>>>> {
    if offsets.is_empty() {
        return Err(Error::InvalidArgument {
            field: "offsets",
            value: "empty".into(),
            expected: "one offset more than there are comments (0 for no comment at all)",
        });
    }
    if let Some(i) = (1..offsets.len()).find(|&i| offsets[i] < offsets[i - 1]) {
        return Err(Error::InvalidArgument {
            field: "offsets",
            value: format!("{} at index {i} after {}", offsets[i], offsets[i - 1]),
            expected: "offsets never decrease",
        });
    }
    if let Some(i) = offsets.iter().position(|&o| o > buffer.len()) {
        return Err(Error::InvalidArgument {
            field: "offsets",
            value: format!(
                "{} at index {i} for a buffer of {} bytes",
                offsets[i],
                buffer.len()
            ),
            expected: "offsets lie within the buffer",
        });
    }
    offsets
        .windows(2)
        .enumerate()
        .map(|(i, w)| decode(&buffer[w[0]..w[1]], i, policy).map(Some))
        .collect()
}

/// The text of a comment, or `None` when there is no comment: missing, empty, or only white
/// space (Unicode `White_Space`, which includes the ideographic space U+3000).
pub(crate) fn text_of<S: AsRef<str>>(comment: &Option<S>) -> Option<&str> {
    comment
        .as_ref()
        .map(AsRef::as_ref)
        .filter(|t| !t.trim().is_empty())
}

/// Fails unless at least one comment has text.
pub(crate) fn require_text<S: AsRef<str>>(texts: &[Option<S>]) -> Result<()> {
    if texts.iter().any(|t| text_of(t).is_some()) {
        return Ok(());
    }
    Err(Error::InvalidText {
        field: "comment",
        index: 0,
        problem: if texts.is_empty() {
            "does not exist: no comment was given, and the analysis needs at least one".into()
        } else {
            format!(
                "is missing or blank, as are all {} comments; the analysis needs at least one \
                 comment with text (missing, empty and white-space-only comments are skipped)",
                texts.len()
            )
        },
    })
}

/// The checks of an analysis of `texts` against `scores` (and `groups`): equal lengths, valid
/// scores, at least one comment with text. Returns the score codes (0..=10, or
/// [`MISSING`](crate::tally::MISSING)).
pub(crate) fn check_inputs<S: AsRef<str>, T: ScoreValue>(
    texts: &[Option<S>],
    scores: &[T],
    groups: Option<&Dimension>,
    scale: Scale,
) -> Result<Vec<u8>> {
    if scores.len() != texts.len() {
        return Err(Error::LengthMismatch {
            field: "scores".into(),
            found: scores.len(),
            other: "comments".into(),
            expected: texts.len(),
        });
    }
    if let Some(d) = groups
        && d.len() != texts.len()
    {
        return Err(Error::LengthMismatch {
            field: d.name().to_owned(),
            found: d.len(),
            other: "comments".into(),
            expected: texts.len(),
        });
    }
    let codes = score_codes(scale, scores)?;
    require_text(texts)?;
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_comments_are_no_comment() {
        for blank in ["", " ", "\t\n", "\u{3000}", "\u{a0} "] {
            assert_eq!(text_of(&Some(blank)), None, "{blank:?}");
        }
        assert_eq!(text_of::<&str>(&None), None);
        assert_eq!(text_of(&Some(" ok ")), Some(" ok "));
    }

    #[test]
    fn invalid_utf8_names_index_and_byte() {
        let raw: Vec<Option<Vec<u8>>> = vec![Some(b"fine".to_vec()), Some(b"ab\xFFcd".to_vec())];
        match comments_from_bytes(&raw, Utf8Policy::Error) {
            Err(Error::InvalidText {
                field,
                index,
                problem,
            }) => {
                assert_eq!((field, index), ("comment", 1));
                assert!(problem.contains("byte 2 of 5"), "{problem}");
            }
            other => panic!("{other:?}"),
        }
        let fixed = comments_from_bytes(&raw, Utf8Policy::Replace).unwrap();
        assert_eq!(fixed[1].as_deref(), Some("ab\u{FFFD}cd"));
        assert!(matches!(fixed[0], Some(Cow::Borrowed("fine"))));
    }

    #[test]
    fn buffer_offsets_are_checked() {
        let bad = |o: &[usize]| comments_from_buffer(b"abc", o, Utf8Policy::Error).is_err();
        assert!(bad(&[]) && bad(&[0, 2, 1]) && bad(&[0, 4]));
        assert_eq!(
            comments_from_buffer(b"abc", &[0], Utf8Policy::Error)
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            Utf8Policy::from_name("replace").unwrap(),
            Utf8Policy::Replace
        );
        assert!(Utf8Policy::from_name("lossy").is_err());
    }
}
