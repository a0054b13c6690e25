//! Comments (评论): cutting them into words, the distinctive words of detractors (贬损者) against
//! promoters (推荐者), topics (话题) from a user taxonomy, and topics as drivers of a table.
//!
//! Comments from C. A set of comments is `const char *const *texts` with `n` elements, one per
//! response: NUL-terminated text, NULL for no comment. An empty or blank comment (white space
//! only, the ideographic space U+3000 included) is also no comment: it is skipped by every
//! analysis, and an analysis where no comment has text fails with `NPS_ERR_INVALID_TEXT`. The
//! bytes are read under a UTF-8 policy (`utf8_policy`): NULL or "error" (the default) refuses a
//! comment that is not valid UTF-8 with `NPS_ERR_INVALID_TEXT` naming its index and the byte
//! offset of the first invalid sequence; "replace" substitutes U+FFFD for each invalid sequence
//! (never part of a word). Another name gives `NPS_ERR_UNKNOWN_METHOD`.
//!
//! Scores are `const double *` with `n` elements (NaN = not answered; otherwise whole numbers
//! 0..=10). Optional groups (a touchpoint 触点, a segment) are `const char *const *group_values`
//! with `n` elements (NULL array = no groups; a NULL element = no group for that response, which
//! then counts in the overall results only), dictionary-encoded here into the core's dimension
//! "group" (levels sorted).
//!
//! The results come back as JSON text the caller frees with `nps_string_free`, in the core's
//! serialization (documented with each function).

use std::ffi::{CStr, c_char};

use nps_core::{
    DEFAULT_ALPHA0, DEFAULT_MIN_COUNT, Dimension, Taxonomy, TokenizeOptions, TopicOptions,
    Utf8Policy, WordOptions, add_topic_drivers, comments_from_bytes, distinctive_words, tokenize,
    topics,
};

use crate::estimate::{method_with, nps_method_options};
use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, free, give, opt_str, opt_str_array, try_ref, try_slice, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::give_json;

/// The default prior size α₀ of `nps_distinctive_words`, in words (1000).
pub const NPS_DEFAULT_ALPHA0: f64 = 1000.0;

/// The default minimum count of `nps_distinctive_words`: a word needs at least this many
/// occurrences among detractors and promoters together to get a row (3).
pub const NPS_DEFAULT_MIN_COUNT: u64 = 3;

const _: () = assert!(NPS_DEFAULT_ALPHA0 == DEFAULT_ALPHA0);
const _: () = assert!(NPS_DEFAULT_MIN_COUNT == DEFAULT_MIN_COUNT);

/// The UTF-8 policy called `name` (NULL = the default, "error").
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
unsafe fn utf8_policy(name: *const c_char) -> Result<Utf8Policy, Failure> {
    // SAFETY: as the caller guarantees.
    Ok(match unsafe { opt_str(name, "utf8_policy")? } {
        None => Utf8Policy::default(),
        Some(name) => Utf8Policy::from_name(name)?,
    })
}

/// The bytes of `n` comments (`None` for a NULL element), not yet decoded.
///
/// # Safety
/// Unless NULL or `n` is 0, `texts` must point to `n` readable pointers, each NULL or pointing
/// to a NUL-terminated string, all living for `'a`.
unsafe fn raw_comments<'a>(
    texts: *const *const c_char,
    n: usize,
) -> Result<Vec<Option<&'a [u8]>>, Failure> {
    // SAFETY: as the caller guarantees.
    let pointers = unsafe { try_slice(texts, n, "texts")? };
    Ok(pointers
        .iter()
        .map(|&p| {
            // SAFETY: each element NULL or NUL-terminated, as the caller guarantees.
            (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_bytes())
        })
        .collect())
}

/// The optional groups: `n` values dictionary-encoded into the dimension "group".
///
/// # Safety
/// `values` must be NULL or point to `n` readable pointers, each NULL or pointing to a
/// NUL-terminated string.
unsafe fn groups(values: *const *const c_char, n: usize) -> Result<Option<Dimension>, Failure> {
    if values.is_null() {
        return Ok(None);
    }
    // SAFETY: as the caller guarantees.
    let values = unsafe { opt_str_array(values, n, "group_values")? };
    Ok(Some(Dimension::from_values("group", &values)))
}

/// Cuts one comment into words and stores them in `*json_out` as a JSON array of strings
/// (`["accueil","agréable"]`), a new string the caller frees with `nps_string_free`.
///
/// The rules are the core's: Unicode NFC (é typed as e + U+0301 is é), lowercase; runs of
/// Chinese characters cut by jieba (its default dictionary and hidden Markov model), other scripts
/// at Unicode word boundaries; French elisions split off (l'accueil → accueil), an English
/// possessive 's dropped; numbers, words shorter than `min_length` characters and stop words
/// dropped. `options_json` NULL = the defaults, or a JSON object with any of `stop_words` (a list
/// of "en", "fr", "zh"; default all three; `[]` = none), `min_length` (default 1), `keep_numbers`
/// (default false) and `hmm` (default true). An empty or blank text gives `[]`.
///
/// The text is read under `utf8_policy`: NULL or "error" refuses a text that is not valid UTF-8;
/// "replace" substitutes U+FFFD for each invalid sequence, which is never part of a word (so
/// "caf\xE9" gives `["caf"]`).
///
/// Errors: `NPS_ERR_NULL_POINTER` for a NULL `text` or `json_out`; `NPS_ERR_INVALID_TEXT` for a
/// text that is not valid UTF-8 under the policy (the message gives the byte offset);
/// `NPS_ERR_UNKNOWN_METHOD` for an unknown `utf8_policy`; `NPS_ERR_INVALID_JSON` for options
/// that are not JSON, have an unknown field or a value of the wrong type (the message says
/// which); `NPS_ERR_INVALID_UTF8` for options text or a policy name that is not UTF-8.
///
/// # Safety
/// `text` must point to a NUL-terminated string; `options_json` and `utf8_policy` must each be
/// NULL or a NUL-terminated string; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tokenize(
    text: *const c_char,
    options_json: *const c_char,
    utf8_policy: *const c_char,
    json_out: *mut *mut c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, options, policy) = unsafe {
            (
                Out::new(json_out, "json_out")?,
                opt_str(options_json, "options_json")?,
                self::utf8_policy(utf8_policy)?,
            )
        };
        if text.is_null() {
            return Err(Failure::NullPointer("text"));
        }
        // SAFETY: non-NULL and NUL-terminated, as the caller guarantees.
        let bytes = unsafe { CStr::from_ptr(text) }.to_bytes();
        let options: TokenizeOptions = match options {
            None => TokenizeOptions::default(),
            Some(json) => serde_json::from_str(json)
                .map_err(Failure::invalid_json("valid tokenize options"))?,
        };
        let raw = [Some(bytes)];
        let texts = comments_from_bytes(&raw, policy)?;
        give_json(
            out,
            serde_json::to_string(&tokenize(&texts, &options).words),
        )
    })
}

/// Which words set detractors (贬损者, 0–6) apart from promoters (推荐者, 9–10) in their
/// comments, overall and, with `group_values`, per group: the log-odds ratio with an
/// informative Dirichlet prior (Monroe, Colaresi & Quinn 2008). For word w, detractors i and
/// promoters j, y_wi its occurrences in i's comments, n_i the words of i:
/// α_w = α₀·(count of w / words, over every comment of the group, passives included),
/// δ_w = log[(y_wi + α_w)/(n_i + α₀ − y_wi − α_w)] − log[(y_wj + α_w)/(n_j + α₀ − y_wj − α_w)],
/// σ²(δ_w) ≈ 1/(y_wi + α_w) + 1/(y_wj + α_w), z_w = δ_w/σ(δ_w). Positive z: a detractors' word.
///
/// `alpha0` is the prior size α₀ in words (`NPS_DEFAULT_ALPHA0`, 1000); words counted fewer than
/// `min_count` times among detractors and promoters together get no row
/// (`NPS_DEFAULT_MIN_COUNT`, 3). Words are cut as by `nps_tokenize` with its default options.
/// Comments without text, and comments whose score is NaN, are skipped; each group is analysed
/// on its own comments, with its own background.
///
/// Stores in `*json_out` (freed with `nps_string_free`):
/// `{"dimension": null | "group", "alpha0", "min_count", "groups": [{"group": null | value,
/// "detractor_comments", "passive_comments", "promoter_comments", "detractor_words",
/// "passive_words", "promoter_words", "rows": [{"word", "detractors", "passives", "promoters",
/// "delta", "se", "z"}]}]}`: all comments first (`"group": null`), then each group in sorted
/// order; rows by z from the most detractor-like to the most promoter-like.
///
/// Errors: `NPS_ERR_NULL_POINTER` (a NULL array with `n` > 0, or `json_out`);
/// `NPS_ERR_INVALID_TEXT` for a comment that is not UTF-8 under the policy, or when no comment
/// has text; `NPS_ERR_UNKNOWN_METHOD` for an unknown `utf8_policy`; `NPS_ERR_INVALID_SCORE`
/// naming the index; `NPS_ERR_INVALID_UTF8` for a group value that is not UTF-8;
/// `NPS_ERR_INVALID_ARGUMENT` for an `alpha0` that is not positive and finite.
///
/// # Safety
/// `texts` must point to `n` pointers, each NULL or to a NUL-terminated string; `scores` to `n`
/// readable doubles; `group_values` NULL or `n` pointers, each NULL or to a NUL-terminated
/// string (either array may be NULL when `n` is 0); `utf8_policy` NULL or a NUL-terminated
/// string; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn nps_distinctive_words(
    texts: *const *const c_char,
    scores: *const f64,
    group_values: *const *const c_char,
    n: usize,
    utf8_policy: *const c_char,
    alpha0: f64,
    min_count: u64,
    json_out: *mut *mut c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, policy, raw, scores, groups) = unsafe {
            (
                Out::new(json_out, "json_out")?,
                self::utf8_policy(utf8_policy)?,
                raw_comments(texts, n)?,
                try_slice(scores, n, "scores")?,
                groups(group_values, n)?,
            )
        };
        let texts = comments_from_bytes(&raw, policy)?;
        let options = WordOptions {
            alpha0,
            min_count,
            ..WordOptions::default()
        };
        let result = distinctive_words(&texts, scores, groups.as_ref(), &options)?;
        give_json(out, serde_json::to_string(&result))
    })
}

/// An opaque, validated and compiled taxonomy of topics (话题): each topic a name with keywords
/// and regular expressions. Made by `nps_taxonomy_from_json`, used by `nps_topics` and
/// `nps_table_add_topic_drivers`, freed with `nps_taxonomy_free`. A taxonomy may be moved
/// between threads and used by several threads at once.
pub struct nps_taxonomy(Taxonomy);

/// Reads a taxonomy from NUL-terminated UTF-8 JSON text:
/// `{"topics": [{"name": "price", "keywords": ["price", "贵", "cher"], "patterns":
/// ["\\bchers?\\b"]}, …]}` (`keywords` and `patterns` may each be left out, not both). Keywords
/// match case-insensitively; a keyword edge that is a Latin (or other spaced-script) letter or
/// digit must lie on a word boundary ("app" does not match "happy"), Chinese keywords match as
/// substrings ("贵" in "太贵了"). Patterns are regular expressions (Rust `regex` syntax,
/// case-insensitive, Unicode). A comment mentions a topic when any keyword or pattern matches.
///
/// Errors: `NPS_ERR_INVALID_JSON` for text that is not JSON at all; `NPS_ERR_INVALID_POLICY`
/// for JSON that is not a taxonomy (an unknown field, a wrong type: the message names it), no
/// topic, a topic with an empty or repeated name, no keyword and no pattern, an empty keyword
/// or pattern, or a pattern that does not compile (the message names the topic and quotes the
/// regex error); `NPS_ERR_INVALID_UTF8`. The caller owns `*out` (`nps_taxonomy_free`) and keeps
/// ownership of `json`.
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_taxonomy *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_taxonomy_from_json(
    json: *const c_char,
    out: *mut *mut nps_taxonomy,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let taxonomy = Taxonomy::from_json(json).map_err(|e| {
            // Text that is not JSON at all: the status C callers expect for bad JSON (the
            // message is the core's).
            if serde_json::from_str::<serde_json::Value>(json).is_err() {
                Failure::JsonDocument(e)
            } else {
                Failure::Core(e)
            }
        })?;
        give(out, nps_taxonomy(taxonomy));
        Ok(())
    })
}

/// Stores in `*json_out` the taxonomy as compact JSON (`{"topics": [{"name", "keywords",
/// "patterns"}]}`, every field written), a new string the caller frees with `nps_string_free`;
/// `nps_taxonomy_from_json` reads it back.
///
/// # Safety
/// `taxonomy` must be a live taxonomy; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_taxonomy_to_json(
    taxonomy: *const nps_taxonomy,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::to_json(taxonomy, "taxonomy", json_out, |t| Ok(t.0.to_json())) }
}

/// Frees a taxonomy. NULL is allowed and does nothing.
///
/// # Safety
/// `taxonomy` must be NULL or a taxonomy from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_taxonomy_free(taxonomy: *mut nps_taxonomy) {
    // SAFETY: as the caller guarantees.
    unsafe { free(taxonomy) }
}

/// The NPS of those who mention each topic (话题) of `taxonomy` in their comment, with its
/// interval at confidence `level` by `method`, and the topic's impact on the NPS; overall and,
/// with `group_values`, per group. `method` is "wald", "adjusted_wald" (NULL picks it: Rocks
/// 2016, the recommended default), "score", "bayes" or "bootstrap"; `method_options` holds the
/// prior and bootstrap parameters (NULL = defaults), as in `nps_tally_estimate`. Within a group
/// of N respondents with an answered score, n_t of whom mention topic t: impact =
/// (n_t/N)(NPS_t − NPS_rest) = NPS − NPS_rest, the points the NPS would gain (negative impact)
/// or lose if they scored like the others (respondents without a comment included); SE =
/// (n_t/N)·√(SE_t² + SE_rest²), interval impact ± z·SE, where SE_t and SE_rest are the
/// multinomial standard errors under "wald" and Rocks' adjusted ones (counts plus 0.75/1.5/0.75)
/// under every other method.
///
/// `weights` NULL = unweighted, else `n` survey weights (finite, non-negative; the weight of an
/// unanswered score is ignored). With weights every NPS is weighted (as in
/// `nps_tally_add_weighted_f64`) and the share in the impact is the weighted one: impact =
/// (W_t/W)(NPS_t − NPS_rest), W_t the total weight of the mentioners with an answered score
/// and W the group's; SE = (W_t/W)·√(SE_t² + SE_rest²) with the standard errors of a weighted
/// sample: Taylor linearization under "wald", Rocks' adjusted SE on the Kish effective counts
/// (n_eff = (Σw)²/Σw² times the weighted shares) under every other method. The estimates have
/// `"weighted": true`; `mentions`, `share`, `responses` and `comments` stay counts. A weighted
/// set with a single answered score is estimated as that answer unweighted (its weight cancels;
/// the Taylor SE needs two answers); a set whose answered respondents all weigh zero has no NPS
/// (null).
///
/// Stores in `*json_out` (freed with `nps_string_free`): `{"dimension": null | "group",
/// "method": method, "level", "groups": [{"group": null | value, "responses", "comments",
/// "overall": estimate | null, "topics": [{"topic", "mentions", "share", "estimate": estimate |
/// null, "rest_nps": number | null, "impact": {"value", "se", "low", "high"} | null}]}]}`, a
/// method being `{"name": "wald" | "adjusted_wald" | "score"}`, `{"name": "bayes", "prior"}` or
/// `{"name": "bootstrap", "replicates", "seed"}` and an estimate `{"n", "n_missing",
/// "weighted", "n_eff", "design_effect", "promoters", "passives", "detractors", "nps", "se",
/// "method", "level", "low", "high"}` (NPS, SE and bounds in points, shares as fractions).
/// `mentions` counts the comments that mention the topic (answered or not), `share` = mentions
/// / comments with text; all respondents first (`"group": null`), then each group in sorted
/// order; topics in the taxonomy's order.
///
/// Errors: `NPS_ERR_NULL_POINTER`; `NPS_ERR_INVALID_TEXT` (not UTF-8 under the policy, or no
/// comment with text); `NPS_ERR_UNKNOWN_METHOD` for an unknown `utf8_policy` or `method`;
/// `NPS_ERR_INVALID_ARGUMENT` for bad method parameters (e.g. 0 replicates);
/// `NPS_ERR_INVALID_SCORE`; `NPS_ERR_INVALID_WEIGHT` naming the first NaN, infinite or negative
/// weight; `NPS_ERR_ZERO_TOTAL_WEIGHT` when the weights of all answered scores add up to zero;
/// `NPS_ERR_INVALID_LEVEL`; `NPS_ERR_INVALID_UTF8` for a group value or a name that is not
/// UTF-8.
///
/// # Safety
/// `taxonomy` must be a live taxonomy; `texts`, `scores` and `group_values` as in
/// `nps_distinctive_words`; `weights` NULL or pointing to `n` readable doubles; `utf8_policy`
/// and `method` NULL or NUL-terminated strings; `method_options` NULL or a readable
/// `nps_method_options`; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)] // the C signature
pub unsafe extern "C" fn nps_topics(
    taxonomy: *const nps_taxonomy,
    texts: *const *const c_char,
    scores: *const f64,
    weights: *const f64,
    group_values: *const *const c_char,
    n: usize,
    utf8_policy: *const c_char,
    method: *const c_char,
    method_options: *const nps_method_options,
    level: f64,
    json_out: *mut *mut c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, taxonomy, policy, method, raw, scores, weights, groups) = unsafe {
            (
                Out::new(json_out, "json_out")?,
                try_ref(taxonomy, "taxonomy")?,
                self::utf8_policy(utf8_policy)?,
                method_with(method, method_options)?,
                raw_comments(texts, n)?,
                try_slice(scores, n, "scores")?,
                if weights.is_null() {
                    None
                } else {
                    Some(try_slice(weights, n, "weights")?)
                },
                groups(group_values, n)?,
            )
        };
        let texts = comments_from_bytes(&raw, policy)?;
        let options = TopicOptions {
            method,
            level,
            ..TopicOptions::default()
        };
        let result = topics(
            &texts,
            scores,
            weights,
            groups.as_ref(),
            &taxonomy.0,
            &options,
        )?;
        give_json(out, serde_json::to_string(&result))
    })
}

/// Adds one driver per topic of `taxonomy` to `table`, named `prefix` followed by the topic's
/// name (`prefix` NULL = ""), so topics enter `nps_drivers` like rated experiences: 1 where the
/// response's comment mentions the topic, 0 where it has text and does not, NaN where there is
/// no comment (silence says nothing about the topic: with the default listwise deletion the
/// drivers then relate topics to the score among those who commented). `texts` holds one
/// comment per row of the table.
///
/// All the drivers are added or, on error, none. Errors: `NPS_ERR_LENGTH_MISMATCH` when `n`
/// is not the number of rows; `NPS_ERR_INVALID_ARGUMENT` when a name is already a dimension or
/// driver of the table (choose another prefix); `NPS_ERR_INVALID_TEXT` (not UTF-8 under the
/// policy, or no comment with text); `NPS_ERR_UNKNOWN_METHOD` for an unknown `utf8_policy`;
/// `NPS_ERR_NULL_POINTER`; `NPS_ERR_INVALID_UTF8` for a prefix that is not UTF-8.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `taxonomy` a live
/// taxonomy; `texts` as in `nps_distinctive_words`; `utf8_policy` and `prefix` NULL or
/// NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_add_topic_drivers(
    table: *mut nps_table,
    taxonomy: *const nps_taxonomy,
    texts: *const *const c_char,
    n: usize,
    utf8_policy: *const c_char,
    prefix: *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (table, taxonomy, policy, raw, prefix) = unsafe {
            (
                nps_table::get_mut(table, "table")?,
                try_ref(taxonomy, "taxonomy")?,
                self::utf8_policy(utf8_policy)?,
                raw_comments(texts, n)?,
                opt_str(prefix, "prefix")?.unwrap_or(""),
            )
        };
        let texts = comments_from_bytes(&raw, policy)?;
        add_topic_drivers(table, &texts, &taxonomy.0, prefix)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::testing::last_error;

    /// The JSON text behind `*json` as a value, freeing it.
    fn take_json(json: *mut c_char) -> serde_json::Value {
        // SAFETY: a string from this library, freed once below.
        let text = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_owned();
        // SAFETY: as above.
        unsafe { crate::text::nps_string_free(json) };
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn tokenize_reads_options_and_refuses_bad_bytes() {
        let mut json = ptr::null_mut();
        // SAFETY: NUL-terminated strings and a writable out-parameter.
        unsafe {
            let status = nps_tokenize(
                c"L’accueil était TRÈS agréable".as_ptr(),
                ptr::null(),
                ptr::null(),
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            assert_eq!(take_json(json), serde_json::json!(["accueil", "agréable"]));
            let options = cr#"{"stop_words": [], "min_length": 2}"#;
            let status = nps_tokenize(
                c"l'a dit".as_ptr(),
                options.as_ptr(),
                ptr::null(),
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            assert_eq!(take_json(json), serde_json::json!(["dit"]));
            let status = nps_tokenize(c"caf\xE9".as_ptr(), ptr::null(), ptr::null(), &mut json);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_TEXT);
            assert!(last_error().contains("byte 3 of 4"), "{}", last_error());
            let status = nps_tokenize(
                c"ok".as_ptr(),
                cr#"{"stopwords": []}"#.as_ptr(),
                ptr::null(),
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_ERR_INVALID_JSON);
            assert!(last_error().contains("stopwords"), "{}", last_error());
        }
    }

    #[test]
    fn tokenize_reads_the_utf8_policy() {
        let mut json = ptr::null_mut();
        // Latin-1 "prix élevé": E9 is not UTF-8.
        let latin1 = c"prix \xE9lev\xE9 caf\xE9";
        // SAFETY: NUL-terminated strings and a writable out-parameter.
        unsafe {
            let status = nps_tokenize(latin1.as_ptr(), ptr::null(), c"error".as_ptr(), &mut json);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_TEXT);
            assert!(last_error().contains("byte 5 of 15"), "{}", last_error());
            assert!(json.is_null());
            // U+FFFD is never part of a word: it splits "élevé" and ends "café".
            let status = nps_tokenize(latin1.as_ptr(), ptr::null(), c"replace".as_ptr(), &mut json);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            assert_eq!(take_json(json), serde_json::json!(["prix", "lev", "caf"]));
            // Valid text reads the same under both policies.
            let status = nps_tokenize(
                c"APP经常闪退".as_ptr(),
                ptr::null(),
                c"replace".as_ptr(),
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            assert_eq!(take_json(json), serde_json::json!(["app", "经常", "闪退"]));
            json = ptr::null_mut();
            let status = nps_tokenize(c"ok".as_ptr(), ptr::null(), c"lossy".as_ptr(), &mut json);
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_METHOD);
            assert!(
                last_error().contains("unknown UTF-8 policy \"lossy\""),
                "{}",
                last_error()
            );
            assert!(json.is_null());
        }
    }

    /// Runs `nps_topics` on five respondents (three promoters, two detractors who mention
    /// price) with `method` and `options`; the JSON on success, the status otherwise.
    fn price_topics(
        method: *const c_char,
        options: *const nps_method_options,
    ) -> Result<serde_json::Value, nps_status> {
        weighted_price_topics(ptr::null(), method, options)
    }

    /// [`price_topics`] with `weights` (NULL or 5 weights).
    fn weighted_price_topics(
        weights: *const f64,
        method: *const c_char,
        options: *const nps_method_options,
    ) -> Result<serde_json::Value, nps_status> {
        let texts = [
            c"太贵了".as_ptr(),
            c"price is too high".as_ptr(),
            ptr::null(),
            c"很好".as_ptr(),
            c"super".as_ptr(),
        ];
        let scores = [2.0, 5.0, 10.0, 9.0, 10.0];
        let mut taxonomy = ptr::null_mut();
        let mut json = ptr::null_mut();
        // SAFETY: arrays of 5, NUL-terminated strings, writable out-parameters; `weights`,
        // `method` and `options` as the caller passes them (NULL or valid); the taxonomy is
        // freed once.
        unsafe {
            let taxonomy_json = cr#"{"topics": [{"name": "price", "keywords": ["price", "贵"]}]}"#;
            let status = nps_taxonomy_from_json(taxonomy_json.as_ptr(), &mut taxonomy);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_topics(
                taxonomy,
                texts.as_ptr(),
                scores.as_ptr(),
                weights,
                ptr::null(),
                5,
                ptr::null(),
                method,
                options,
                0.95,
                &mut json,
            );
            nps_taxonomy_free(taxonomy);
            match status {
                nps_status::NPS_OK => Ok(take_json(json)),
                status => {
                    assert!(json.is_null());
                    Err(status)
                }
            }
        }
    }

    #[test]
    fn topics_use_the_interval_method() {
        let number = |v: &serde_json::Value| v.as_f64().unwrap();
        // NULL: adjusted Wald.
        let default = price_topics(ptr::null(), ptr::null()).unwrap();
        assert_eq!(
            default["method"],
            serde_json::json!({"name": "adjusted_wald"})
        );
        let named = price_topics(c"adjusted_wald".as_ptr(), ptr::null()).unwrap();
        assert_eq!(named, default);

        // Wald: NPS 20 ± z·100·√((0.6 + 0.4 − 0.2²)/5), the upper bound clamped to 100; both
        // the mentioners (all detractors) and the rest (all promoters) are unanimous, so the
        // impact's Wald SE is 0.
        let wald = price_topics(c"wald".as_ptr(), ptr::null()).unwrap();
        assert_eq!(wald["method"], serde_json::json!({"name": "wald"}));
        let overall = &wald["groups"][0]["overall"];
        assert_eq!(overall["method"], serde_json::json!({"name": "wald"}));
        let se = 100.0 * ((1.0 - 0.04) / 5.0_f64).sqrt();
        let z = 1.959963984540054;
        assert!((number(&overall["se"]) - se).abs() < 1e-9);
        assert!((number(&overall["low"]) - (20.0 - z * se)).abs() < 1e-9);
        assert_eq!(number(&overall["high"]), 100.0);
        assert!(20.0 + z * se > 100.0);
        let impact = &wald["groups"][0]["topics"][0]["impact"];
        assert_eq!(number(&impact["value"]), -80.0);
        assert_eq!(number(&impact["se"]), 0.0);
        let default_impact = &default["groups"][0]["topics"][0]["impact"];
        assert!(number(&default_impact["se"]) > 1.0);

        // Bayes with a prior of 1: its own interval, the prior in the JSON.
        let options = nps_method_options {
            prior: 1.0,
            ..Default::default()
        };
        let bayes = price_topics(c"bayes".as_ptr(), &options).unwrap();
        let method = serde_json::json!({"name": "bayes", "prior": 1.0});
        assert_eq!(bayes["method"], method);
        let estimate = &bayes["groups"][0]["topics"][0]["estimate"];
        assert_eq!(estimate["method"], method);
        let adjusted = &default["groups"][0]["topics"][0]["estimate"];
        assert_eq!(estimate["nps"], adjusted["nps"]);
        assert!((number(&estimate["low"]) - number(&adjusted["low"])).abs() > 1e-3);
        assert!(number(&estimate["low"]) < -90.0 && number(&estimate["high"]) > -100.0);
        // The default prior is Jeffreys' 0.5.
        let jeffreys = price_topics(c"bayes".as_ptr(), ptr::null()).unwrap();
        assert_eq!(
            jeffreys["method"],
            serde_json::json!({"name": "bayes", "prior": 0.5})
        );

        // Bootstrap: its parameters in the JSON; the same seed, the same intervals.
        let options = nps_method_options {
            replicates: 2000,
            seed: 7,
            ..Default::default()
        };
        let bootstrap = price_topics(c"bootstrap".as_ptr(), &options).unwrap();
        assert_eq!(
            bootstrap["method"],
            serde_json::json!({"name": "bootstrap", "replicates": 2000, "seed": 7})
        );
        assert_eq!(
            price_topics(c"bootstrap".as_ptr(), &options).unwrap(),
            bootstrap
        );

        // Bad names and parameters.
        assert_eq!(
            price_topics(c"walds".as_ptr(), ptr::null()),
            Err(nps_status::NPS_ERR_UNKNOWN_METHOD)
        );
        assert!(last_error().contains("\"walds\""), "{}", last_error());
        let zero = nps_method_options {
            replicates: 0,
            ..Default::default()
        };
        assert_eq!(
            price_topics(c"bootstrap".as_ptr(), &zero),
            Err(nps_status::NPS_ERR_INVALID_ARGUMENT)
        );
        assert!(
            last_error().starts_with("replicates is 0"),
            "{}",
            last_error()
        );
        let bad_prior = nps_method_options {
            prior: -1.0,
            ..Default::default()
        };
        assert_eq!(
            price_topics(c"bayes".as_ptr(), &bad_prior),
            Err(nps_status::NPS_ERR_INVALID_ARGUMENT)
        );
        assert_eq!(
            price_topics(c"\xff".as_ptr(), ptr::null()),
            Err(nps_status::NPS_ERR_INVALID_UTF8)
        );
        assert!(
            last_error().starts_with("method is not valid UTF-8"),
            "{}",
            last_error()
        );
    }

    #[test]
    fn topics_take_weights() {
        let number = |v: &serde_json::Value| v.as_f64().unwrap();
        // The two detractors who mention price weigh 2 each, the three promoters 1: NPS
        // 100·(3 − 4)/7, impact (4/7)(−100 − 100) = NPS − 100.
        let weights = [2.0, 2.0, 1.0, 1.0, 1.0];
        let weighted = weighted_price_topics(weights.as_ptr(), ptr::null(), ptr::null()).unwrap();
        let all = &weighted["groups"][0];
        assert_eq!(all["overall"]["weighted"], serde_json::json!(true));
        assert!((number(&all["overall"]["nps"]) + 100.0 / 7.0).abs() < 1e-12);
        let price = &all["topics"][0];
        assert_eq!(price["mentions"], serde_json::json!(2));
        assert!((number(&price["impact"]["value"]) + 800.0 / 7.0).abs() < 1e-12);
        // Unit weights: the unweighted NPS and impact.
        let ones = [1.0; 5];
        let unit = weighted_price_topics(ones.as_ptr(), ptr::null(), ptr::null()).unwrap();
        let plain = price_topics(ptr::null(), ptr::null()).unwrap();
        let impact =
            |v: &serde_json::Value| number(&v["groups"][0]["topics"][0]["impact"]["value"]);
        assert_eq!(impact(&unit), impact(&plain));
        assert_eq!(
            plain["groups"][0]["overall"]["weighted"],
            serde_json::json!(false)
        );
        // A bad weight is named; weights that are all zero leave no NPS.
        let bad = [1.0, f64::NAN, 1.0, 1.0, 1.0];
        assert_eq!(
            weighted_price_topics(bad.as_ptr(), ptr::null(), ptr::null()),
            Err(nps_status::NPS_ERR_INVALID_WEIGHT)
        );
        assert!(
            last_error().starts_with("weight at index 1 is NaN"),
            "{}",
            last_error()
        );
        let zero = [0.0; 5];
        assert_eq!(
            weighted_price_topics(zero.as_ptr(), ptr::null(), ptr::null()),
            Err(nps_status::NPS_ERR_ZERO_TOTAL_WEIGHT)
        );
    }

    #[test]
    fn policies_and_groups() {
        let texts = [c"理赔太慢".as_ptr(), c"\xFF".as_ptr(), c"服务很好".as_ptr()];
        let scores = [2.0, 9.0, 10.0];
        let groups = [c"a".as_ptr(), ptr::null(), c"b".as_ptr()];
        let mut json = ptr::null_mut();
        // SAFETY: arrays of 3, NUL-terminated strings, a writable out-parameter.
        unsafe {
            let status = nps_distinctive_words(
                texts.as_ptr(),
                scores.as_ptr(),
                groups.as_ptr(),
                3,
                ptr::null(),
                NPS_DEFAULT_ALPHA0,
                1,
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_ERR_INVALID_TEXT);
            assert!(last_error().starts_with("comment at index 1 is not valid UTF-8"));
            let status = nps_distinctive_words(
                texts.as_ptr(),
                scores.as_ptr(),
                groups.as_ptr(),
                3,
                c"replace".as_ptr(),
                NPS_DEFAULT_ALPHA0,
                1,
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let v = take_json(json);
            assert_eq!(v["dimension"], "group");
            let names: Vec<&serde_json::Value> = v["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| &g["group"])
                .collect();
            assert_eq!(names, [&serde_json::Value::Null, &"a".into(), &"b".into()]);
            let status = nps_distinctive_words(
                texts.as_ptr(),
                scores.as_ptr(),
                ptr::null(),
                3,
                c"lossy".as_ptr(),
                NPS_DEFAULT_ALPHA0,
                1,
                &mut json,
            );
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_METHOD);
        }
    }
}
