//! Topics (话题) from a user taxonomy: who mentions what, their NPS, and what each topic costs
//! or brings the overall NPS.

use std::borrow::Cow;
use std::fmt;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

use super::comments::{check_inputs, require_text, text_of};
use super::keywords::Keywords;
use crate::interval::{Estimate, Method};
use crate::scale::{BINS, Scale};
use crate::table::{Dimension, NA, Table};
use crate::tally::{MISSING, ScoreValue, Tally, check_weights, check_weights_length};
use crate::{Error, Result, level};

/// One topic of a [`Taxonomy`]: a name, keywords and regular expressions. A comment mentions
/// the topic when any keyword or any pattern matches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The topic's name (unique within the taxonomy, not empty).
    pub name: String,
    /// Keywords, case-insensitive. A keyword starting (ending) with a letter or digit that is
    /// not Chinese must start (end) on a word boundary: "price" matches "Price!" and "the
    /// price's", not "priceless"; Chinese keywords match as substrings ("贵" in "太贵了").
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Regular expressions (Rust `regex` syntax, case-insensitive, Unicode), matched against
    /// the comment as written, e.g. `\bcher(e|s)?\b`.
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// The JSON form of a taxonomy.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    topics: Vec<Topic>,
}

/// A user's taxonomy of topics (话题), validated and compiled: keywords of every topic into one
/// Aho–Corasick automaton (one pass over a comment finds them all), patterns into regular
/// expressions.
///
/// # JSON
/// ```json
/// {"topics": [
///   {"name": "price", "keywords": ["price", "expensive", "价格", "贵"], "patterns": ["\\bcher(e|s)?\\b"]},
///   {"name": "claims speed", "keywords": ["理赔慢", "slow claim"]}
/// ]}
/// ```
/// `keywords` and `patterns` may each be left out, not both. Unknown fields are errors.
///
/// # Matching
/// The same rules as the `keywords` of an alert rule ([`Conditions`](crate::Conditions)). Keywords
/// and comments are compared in Unicode NFC, lowercased (Unicode case mapping, ’ read as '), with
/// leading and trailing spaces of a keyword ignored. A keyword edge that is a letter or digit of a
/// script written with spaces (Latin, Cyrillic…) must lie on a word boundary: the neighbouring
/// character of the comment is not a letter, digit or `_`, or is Chinese. So "app" matches "用APP下单"
/// and "app," but not "happy"; a keyword edge that is Chinese, or punctuation, has no such
/// condition, so Chinese keywords match as substrings (which also means "贵" matches in "贵宾", "VIP":
/// write the longer word, or a pattern, when that matters). Patterns are regular expressions
/// compiled case-insensitive with Unicode classes; `\b` is a Unicode word boundary.
///
/// # Examples
/// ```
/// use nps_core::Taxonomy;
/// let taxonomy = Taxonomy::from_json(r#"{"topics": [
///     {"name": "price", "keywords": ["price", "价格", "贵"], "patterns": ["\\bcher(e|s)?\\b"]},
///     {"name": "app", "keywords": ["app", "appli"]}
/// ]}"#)?;
/// assert_eq!(taxonomy.mentioned("APP太贵了"), ["price", "app"]);
/// assert_eq!(taxonomy.mentioned("Trop chers pour moi"), ["price"]);
/// assert!(taxonomy.mentioned("happy with the pricing").is_empty());
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "TaxonomyFile", into = "TaxonomyFile")]
pub struct Taxonomy {
    topics: Vec<Topic>,
    keywords: Option<Keywords>,
    patterns: Vec<(Regex, usize)>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("topics", &self.topics)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Taxonomy {
    fn eq(&self, other: &Self) -> bool {
        self.topics == other.topics
    }
}

impl TryFrom<TaxonomyFile> for Taxonomy {
    type Error = Error;
    fn try_from(file: TaxonomyFile) -> Result<Self> {
        Taxonomy::new(file.topics)
    }
}

impl From<Taxonomy> for TaxonomyFile {
    fn from(t: Taxonomy) -> Self {
        TaxonomyFile { topics: t.topics }
    }
}

/// An [`Error::InvalidPolicy`] about a topic.
fn topic_error(name: &str, problem: String) -> Error {
    Error::InvalidPolicy {
        kind: "topic",
        name: name.to_owned(),
        problem,
    }
}

impl Taxonomy {
    /// A taxonomy of `topics`, validated and compiled.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`] with kind `"taxonomy"` when there is no topic, and with kind
    /// `"topic"` (naming the topic, or `#k` for the k-th, 1-based, when its name is empty) for
    /// an empty name, a name used twice, a topic with no keyword and no pattern, an empty
    /// keyword or pattern, or a pattern that does not compile.
    pub fn new(topics: Vec<Topic>) -> Result<Self> {
        if topics.is_empty() {
            return Err(Error::InvalidPolicy {
                kind: "taxonomy",
                name: "topics".into(),
                problem: "is empty: a taxonomy needs at least one topic".into(),
            });
        }
        let mut patterns = Vec::new();
        for (t, topic) in topics.iter().enumerate() {
            let name = topic.name.as_str();
            if name.trim().is_empty() {
                return Err(topic_error(
                    &format!("#{}", t + 1),
                    "has an empty name".into(),
                ));
            }
            if let Some(first) = topics[..t].iter().position(|o| o.name == name) {
                return Err(topic_error(
                    name,
                    format!("is defined twice (topics #{} and #{})", first + 1, t + 1),
                ));
            }
            if topic.keywords.is_empty() && topic.patterns.is_empty() {
                return Err(topic_error(
                    name,
                    "has no keyword and no pattern, so no comment can mention it".into(),
                ));
            }
            if let Some(k) = topic.keywords.iter().position(|k| k.trim().is_empty()) {
                return Err(topic_error(
                    name,
                    format!("has an empty keyword (keyword #{})", k + 1),
                ));
            }
            for pattern in &topic.patterns {
                if pattern.is_empty() {
                    return Err(topic_error(
                        name,
                        "has an empty pattern, which would match every comment".into(),
                    ));
                }
                let regex = RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| {
                        topic_error(
                            name,
                            format!("has a pattern {pattern:?} that does not compile: {e}"),
                        )
                    })?;
                patterns.push((regex, t));
            }
        }
        let lists: Vec<&[String]> = topics.iter().map(|t| t.keywords.as_slice()).collect();
        let keywords = Keywords::new(&lists).map_err(|e| Error::InvalidPolicy {
            kind: "taxonomy",
            name: "topics".into(),
            problem: format!("has keywords that cannot be compiled together: {e}"),
        })?;
        Ok(Taxonomy {
            topics,
            keywords,
            patterns,
        })
    }

    /// A taxonomy read from JSON (see the type's documentation for the format).
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`] with kind `"taxonomy"` for JSON that does not parse or has
    /// unknown fields; the errors of [`Taxonomy::new`].
    pub fn from_json(json: &str) -> Result<Self> {
        let file: TaxonomyFile = serde_json::from_str(json).map_err(|e| Error::InvalidPolicy {
            kind: "taxonomy",
            name: "json".into(),
            problem: format!("cannot be read: {e}"),
        })?;
        Taxonomy::new(file.topics)
    }

    /// The taxonomy as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&TaxonomyFile {
            topics: self.topics.clone(),
        })
        .expect("a taxonomy serializes")
    }

    /// The topics, in order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// The topics' names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.name.as_str()).collect()
    }

    /// The names of the topics `text` mentions, in the taxonomy's order.
    pub fn mentioned(&self, text: &str) -> Vec<&str> {
        let mut found = vec![false; self.topics.len()];
        self.scan(text, &mut String::new(), &mut found);
        self.topics
            .iter()
            .zip(&found)
            .filter(|(_, f)| **f)
            .map(|(t, _)| t.name.as_str())
            .collect()
    }

    /// Sets `found[t]` for each topic t that `text` mentions (`found` is cleared first).
    fn scan(&self, text: &str, scratch: &mut String, found: &mut [bool]) {
        match &self.keywords {
            Some(keywords) => keywords.search(text, scratch, found),
            None => found.fill(false),
        }
        for (regex, t) in &self.patterns {
            if !found[*t] && regex.is_match(text) {
                found[*t] = true;
            }
        }
    }
}

/// Options of [`topics`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicOptions {
    /// Interval method of the NPS estimates (default `adjusted_wald`).
    pub method: Method,
    /// Confidence level (default 0.95).
    pub level: f64,
    /// The scale and cut-points (default 0–10, 0–6 / 9–10).
    pub scale: Scale,
}

impl Default for TopicOptions {
    fn default() -> Self {
        TopicOptions {
            method: Method::default(),
            level: 0.95,
            scale: Scale::STANDARD,
        }
    }
}

/// A topic's impact on the overall NPS, in points, with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// overall NPS − NPS of those who do not mention the topic.
    pub value: f64,
    /// Its standard error (see [`topics`]).
    pub se: f64,
    /// Lower bound: value − z·se.
    pub low: f64,
    /// Upper bound: value + z·se.
    pub high: f64,
}

/// One topic within one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicRow {
    /// The topic's name.
    pub topic: String,
    /// Comments that mention the topic (whether or not their score is answered).
    pub mentions: u64,
    /// mentions / comments with text in the group (0 when there is none).
    pub share: f64,
    /// NPS of those who mention the topic, with its interval (`None` when none of them
    /// answered the score). Its `n_missing` counts mentions with no score.
    pub estimate: Option<Estimate>,
    /// NPS of the other respondents of the group (`None` when there are none).
    pub rest_nps: Option<f64>,
    /// The topic's impact on the group's NPS (`None` unless both the mentioners and the rest
    /// have answered scores).
    pub impact: Option<Impact>,
}

/// The topics of one group (all respondents, or one level of a dimension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicGroup {
    /// The level of the dimension, or `None` for all respondents.
    pub group: Option<String>,
    /// Respondents of the group (rows, with or without a comment).
    pub responses: u64,
    /// Comments with text in the group.
    pub comments: u64,
    /// The group's NPS over every answered score, with or without a comment (`None` when no
    /// score is answered).
    pub overall: Option<Estimate>,
    /// One row per topic, in the taxonomy's order.
    pub topics: Vec<TopicRow>,
}

/// The result of [`topics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicAnalysis {
    /// The dimension the groups are levels of, if any.
    pub dimension: Option<String>,
    /// The interval method.
    pub method: Method,
    /// The confidence level.
    pub level: f64,
    /// All respondents first (`group: None`), then one group per level of the dimension, in
    /// the order of its levels.
    pub groups: Vec<TopicGroup>,
}

/// Counts per score code (0..=10, then missing) of one set of respondents.
type Codes = [u64; BINS + 1];

/// Σw and Σw² per score code (0..=10, then missing) of one set of weighted respondents: the
/// accumulators of [`Tally::add_weighted`], kept per set so one pass fills every group and
/// topic. A missing score's weight lands in the last slot, which no tally reads.
#[derive(Clone, Copy)]
struct Sums {
    w: [f64; BINS + 1],
    w2: [f64; BINS + 1],
}

impl Sums {
    const ZERO: Sums = Sums {
        w: [0.0; BINS + 1],
        w2: [0.0; BINS + 1],
    };

    fn add(&mut self, code: u8, w: f64) {
        self.w[usize::from(code)] += w;
        self.w2[usize::from(code)] += w * w;
    }
}

/// The weight sums of a weighted analysis, per group slot: everyone, and for each topic those
/// who mention it and the others (each accumulated row by row rather than taken as a
/// difference, which would leave rounding residue in categories without respondents).
struct WeightedSlots {
    all: Vec<Sums>,
    mine: Vec<Vec<Sums>>,
    rest: Vec<Vec<Sums>>,
}

/// The tally of `codes` (validated score codes), weighted by `sums` when given.
fn tally_of(scale: Scale, codes: &Codes, sums: Option<&Sums>) -> Tally {
    Tally::from_code_counts(scale, codes, sums.map(|s| (&s.w[..], &s.w2[..])))
}

/// Total weight of the answered scores of `tally`: Σw, or n when unweighted (exactly, as a
/// sum of whole numbers).
fn total_weight(tally: &Tally) -> f64 {
    tally.weight_sums().sum_w.iter().sum()
}

/// Whether `tally` has an NPS: an answered score and, when weighted, positive total weight.
fn has_nps(tally: &Tally) -> bool {
    tally.n() > 0 && total_weight(tally) > 0.0
}

/// The tally the estimates of a set of respondents come from: `tally` itself, except that a
/// weighted set with a single answered score is read as that answer unweighted. A single weight
/// cancels out of every share: the NPS, the shares, n_eff = 1 and the design effect 1 are the
/// same either way. Only the Taylor SE, n/(n − 1)·Σuᵢ², is not defined for n = 1; the answer
/// gets the SE of one unweighted answer (0, as any unanimous sample under `wald`), so a topic
/// that one weighted respondent mentions has an NPS, as it has unweighted.
fn estimable(tally: &Tally) -> Result<Cow<'_, Tally>> {
    if tally.is_weighted() && tally.n() == 1 {
        Ok(Cow::Owned(Tally::from_counts(
            tally.scale(),
            *tally.counts(),
        )?))
    } else {
        Ok(Cow::Borrowed(tally))
    }
}

/// The estimate of `tally`, `None` when it has no NPS.
fn estimate_of(tally: &Tally, options: &TopicOptions) -> Result<Option<Estimate>> {
    if !has_nps(tally) {
        return Ok(None);
    }
    let mut e = estimable(tally)?.estimate(options.method, options.level)?;
    e.n_missing = tally.missing();
    e.weighted = tally.is_weighted();
    Ok(Some(e))
}

/// The standard error in points that the impact uses for `tally`: under `wald` the multinomial
/// SE, or for a weighted tally the Taylor-linearization one ([`Tally::se`]); under any other
/// method Rocks' adjusted SE (counts plus 0.75/1.5/0.75), on the Kish effective counts for a
/// weighted tally ([`compare`](crate::compare) does the same). A weighted tally with a single
/// answered score is read as in [`estimable`].
fn impact_se(tally: &Tally, method: Method) -> Result<f64> {
    let tally = estimable(tally)?;
    match method {
        Method::Wald => tally.se(),
        _ => Ok(crate::compare::adjusted(&tally)?.1),
    }
}

/// The NPS of those who mention each topic of `taxonomy` in their comment (评论), with its
/// interval, and the topic's (话题) impact on the overall NPS; overall and, with `groups`,
/// per level of a dimension (touchpoint 触点, segment). With `weights`, every NPS is weighted.
///
/// # Definitions
/// Within a group of N respondents with an answered score, n_t mention topic t:
///
/// - NPS_t: the NPS of the n_t, with the interval of `options.method` (adjusted Wald by
///   default, Rocks 2016) — [`Tally::estimate`];
/// - NPS_rest: the NPS of the N − n_t others (respondents without a comment included: the
///   overall NPS is everyone's);
/// - **impact** = (n_t/N)(NPS_t − NPS_rest) = NPS − NPS_rest = n_t(NPS_t − NPS)/(N − n_t):
///   how much the overall NPS moves because of those who mention t, i.e. the points it would
///   gain (or lose) if they scored like everyone else. Negative: the topic drags the NPS down.
///
/// The impact's standard error treats the mentioners and the rest as independent samples and
/// holds the share n_t/N fixed (a delta-method approximation that ignores the sampling
/// variation of the share itself): SE = (n_t/N)·√(SE_t² + SE_rest²), where SE_t and SE_rest
/// are the multinomial standard errors of the two NPS under `wald`, and Rocks' adjusted ones
/// (counts plus 0.75/1.5/0.75 pseudo-answers, which never vanish for a small unanimous group)
/// under every other method. The interval is impact ± z_{1−α/2}·SE.
///
/// # Weights
/// `weights` holds one survey weight per respondent (finite, non-negative; the weight of a
/// missing score is ignored), validated as [`Tally::add_weighted`] validates them. Every NPS
/// is then weighted, as [`Tally::add_weighted`] weighs it: with W_X the total weight of the
/// respondents X with an answered score, NPS_t, NPS_rest and the overall NPS are
/// 100·(W_promoters − W_detractors)/W of their respondents, and the share in the impact is
/// the weighted share: impact = (W_t/W)(NPS_t − NPS_rest) = NPS − NPS_rest, where W_t is the
/// mentioners' weight and W the group's. SE = (W_t/W)·√(SE_t² + SE_rest²), with the standard
/// errors this crate gives a weighted sample: under `wald` the Taylor-linearization SE of
/// [`Tally::se`] (as R `survey::svymean` on a with-replacement design); under every other
/// method Rocks' adjusted SE computed on the effective counts n_eff × weighted share plus
/// 0.75/1.5/0.75, with Kish's (1965) effective sample size n_eff = (Σw)²/Σw² — the adjusted
/// Wald of a weighted sample in [`compare`](crate::compare) and in the intervals
/// ([`Method`]). The estimates carry `weighted`, `n_eff` and `design_effect`. `mentions`,
/// `share`, `responses` and `comments` stay counts of respondents. Integer weights give the
/// NPS and impact of the data with each row repeated that many times.
///
/// A weighted set of respondents with a single answered score is estimated as that answer
/// unweighted: its weight cancels out of every share, and the Taylor SE, which needs two
/// answers, is replaced by the SE of one unweighted answer (0), so a topic that one weighted
/// respondent mentions keeps its NPS and impact ([`group_by`](crate::group_by) gives such a
/// group no estimate). A group, topic or rest whose answered respondents all weigh zero has no
/// NPS (`None`).
///
/// A comment mentions a topic when a keyword or pattern of the topic matches (see
/// [`Taxonomy`]); missing and blank comments mention nothing.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidScore`]; [`Error::InvalidWeight`] naming the
/// first bad weight (NaN, infinite or negative); [`Error::ZeroTotalWeight`] when the weights of
/// all answered scores add up to zero; [`Error::InvalidLevel`]; [`Error::InvalidArgument`] for
/// a bad method parameter; [`Error::InvalidText`] when no comment has text.
///
/// # Examples
/// ```
/// use nps_core::{Taxonomy, TopicOptions, topics};
/// let taxonomy = Taxonomy::from_json(
///     r#"{"topics": [{"name": "price", "keywords": ["price", "贵", "cher"]}]}"#,
/// )?;
/// let texts = [Some("太贵了"), Some("price is too high"), None, Some("很好"), Some("super")];
/// let scores = [2u8, 5, 10, 9, 10];
/// let result = topics(&texts, &scores, None, None, &taxonomy, &TopicOptions::default())?;
/// let all = &result.groups[0];
/// let price = &all.topics[0];
/// assert_eq!(price.mentions, 2);
/// assert_eq!(price.estimate.unwrap().nps, -100.0);
/// let overall = all.overall.unwrap().nps; // 20: three promoters, two detractors
/// let impact = price.impact.unwrap();
/// assert!((impact.value - (overall - price.rest_nps.unwrap())).abs() < 1e-12); // 20 − 100
/// assert!(impact.low < impact.value && impact.value < impact.high);
///
/// // Weighted: the two detractors weigh 2 each, the three promoters 1.
/// let weights = [2.0, 2.0, 1.0, 1.0, 1.0];
/// let weighted = topics(&texts, &scores, Some(&weights), None, &taxonomy, &Default::default())?;
/// let price = &weighted.groups[0].topics[0];
/// assert_eq!(price.mentions, 2); // still a count
/// let impact = price.impact.unwrap().value; // (W_t/W)(NPS_t − NPS_rest) = (4/7)(−100 − 100)
/// assert!((impact - 4.0 / 7.0 * -200.0).abs() < 1e-12);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn topics<S: AsRef<str>, T: ScoreValue>(
    texts: &[Option<S>],
    scores: &[T],
    weights: Option<&[f64]>,
    groups: Option<&Dimension>,
    taxonomy: &Taxonomy,
    options: &TopicOptions,
) -> Result<TopicAnalysis> {
    let z = level::z_critical(options.level)?;
    options.method.validate()?;
    let scale = options.scale;
    let codes = check_inputs(texts, scores, groups, scale)?;
    if let Some(w) = weights {
        // The tally's checks: the length, then the first NaN, infinite or negative weight (the
        // scores were checked above, so a bad score is named first).
        check_weights_length(scores.len(), w)?;
        check_weights(w)?;
    }
    let k = taxonomy.topics.len();
    let slots = 1 + groups.map_or(0, |d| d.levels().len());
    let mut all = vec![[0u64; BINS + 1]; slots];
    let mut by_topic = vec![vec![[0u64; BINS + 1]; k]; slots];
    let mut responses = vec![0u64; slots];
    let mut comments = vec![0u64; slots];
    let mut mentions = vec![vec![0u64; k]; slots];
    let mut sums = weights.map(|_| WeightedSlots {
        all: vec![Sums::ZERO; slots],
        mine: vec![vec![Sums::ZERO; k]; slots],
        rest: vec![vec![Sums::ZERO; k]; slots],
    });
    let mut found = vec![false; k];
    let mut scratch = String::new();

    for (i, (text, &code)) in texts.iter().zip(&codes).enumerate() {
        let level = groups.map(|d| d.codes()[i]).filter(|&l| l != NA);
        let row_slots = [Some(0), level.map(|l| l as usize + 1)];
        let row_slots = row_slots.iter().flatten().copied();
        let text = text_of(text);
        if let Some(text) = text {
            taxonomy.scan(text, &mut scratch, &mut found);
        }
        for s in row_slots {
            responses[s] += 1;
            all[s][usize::from(code)] += 1;
            if text.is_some() {
                comments[s] += 1;
                for t in (0..k).filter(|&t| found[t]) {
                    mentions[s][t] += 1;
                    by_topic[s][t][usize::from(code)] += 1;
                }
            }
            if let (Some(sums), Some(weights)) = (&mut sums, weights) {
                let w = weights[i];
                sums.all[s].add(code, w);
                let sides = sums.mine[s].iter_mut().zip(&mut sums.rest[s]);
                for (&f, (mine, rest)) in found.iter().zip(sides) {
                    if text.is_some() && f {
                        mine.add(code, w);
                    } else {
                        rest.add(code, w);
                    }
                }
            }
        }
    }
    debug_assert_eq!(usize::from(MISSING), BINS);

    let mut result = Vec::with_capacity(slots);
    for s in 0..slots {
        let everyone = tally_of(scale, &all[s], sums.as_ref().map(|w| &w.all[s]));
        if s == 0 && everyone.n() > 0 && !has_nps(&everyone) {
            return Err(Error::ZeroTotalWeight { n: everyone.n() });
        }
        let overall = estimate_of(&everyone, options)?;
        let mut rows = Vec::with_capacity(k);
        for (t, topic) in taxonomy.topics.iter().enumerate() {
            let mentioned = &by_topic[s][t];
            let mut rest = all[s];
            for (r, m) in rest.iter_mut().zip(mentioned) {
                *r -= m;
            }
            let mine = tally_of(scale, mentioned, sums.as_ref().map(|w| &w.mine[s][t]));
            let others = tally_of(scale, &rest, sums.as_ref().map(|w| &w.rest[s][t]));
            let rest_nps = has_nps(&others).then(|| others.nps()).transpose()?;
            let impact = if has_nps(&mine) && has_nps(&others) {
                let share = total_weight(&mine) / total_weight(&everyone);
                let value = share * (mine.nps()? - others.nps()?);
                let se = share
                    * impact_se(&mine, options.method)?.hypot(impact_se(&others, options.method)?);
                Some(Impact {
                    value,
                    se,
                    low: value - z * se,
                    high: value + z * se,
                })
            } else {
                None
            };
            rows.push(TopicRow {
                topic: topic.name.clone(),
                mentions: mentions[s][t],
                share: if comments[s] > 0 {
                    mentions[s][t] as f64 / comments[s] as f64
                } else {
                    0.0
                },
                estimate: estimate_of(&mine, options)?,
                rest_nps,
                impact,
            });
        }
        result.push(TopicGroup {
            group: match (s, groups) {
                (0, _) | (_, None) => None,
                (s, Some(d)) => Some(d.levels()[s - 1].clone()),
            },
            responses: responses[s],
            comments: comments[s],
            overall,
            topics: rows,
        });
    }
    Ok(TopicAnalysis {
        dimension: groups.map(|d| d.name().to_owned()),
        method: options.method,
        level: options.level,
        groups: result,
    })
}

/// Topic indicator columns: for each topic, one value per comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicIndicators {
    /// The topics' names, in the taxonomy's order.
    pub topics: Vec<String>,
    /// One column per topic: 1.0 where the comment mentions the topic, 0.0 where it has text
    /// and does not, NaN where there is no comment (missing or blank).
    pub columns: Vec<Vec<f64>>,
}

/// 0/1 indicators of each topic (话题) over the comments (评论), so topics can enter a driver
/// analysis ([`drivers`](crate::drivers)) like rated experiences.
///
/// A respondent who wrote nothing has NaN, not 0: silence says nothing about whether the topic
/// mattered to them. In a driver analysis the NaN is a missing rating, so listwise deletion
/// (the default) relates topics to the score among those who commented, and pairwise deletion
/// does so for each topic's correlations.
///
/// # Errors
/// [`Error::InvalidText`] when no comment has text.
///
/// # Examples
/// ```
/// use nps_core::{Taxonomy, topic_indicators};
/// let taxonomy = Taxonomy::from_json(r#"{"topics": [{"name": "price", "keywords": ["贵"]}]}"#)?;
/// let ind = topic_indicators(&[Some("太贵"), Some("好"), None], &taxonomy)?;
/// assert_eq!(ind.columns[0][..2], [1.0, 0.0]);
/// assert!(ind.columns[0][2].is_nan());
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn topic_indicators<S: AsRef<str>>(
    texts: &[Option<S>],
    taxonomy: &Taxonomy,
) -> Result<TopicIndicators> {
    require_text(texts)?;
    let k = taxonomy.topics.len();
    let mut columns = vec![Vec::with_capacity(texts.len()); k];
    let mut found = vec![false; k];
    let mut scratch = String::new();
    for text in texts {
        match text_of(text) {
            Some(text) => {
                taxonomy.scan(text, &mut scratch, &mut found);
                for (column, &f) in columns.iter_mut().zip(&found) {
                    column.push(if f { 1.0 } else { 0.0 });
                }
            }
            None => columns.iter_mut().for_each(|c| c.push(f64::NAN)),
        }
    }
    Ok(TopicIndicators {
        topics: taxonomy.topics.iter().map(|t| t.name.clone()).collect(),
        columns,
    })
}

/// Adds the [`topic_indicators`] of `texts` to `table` as drivers named `prefix` + topic name
/// (e.g. `"topic:price"`), one row per comment; returns the names added. All are added or, on
/// error, none.
///
/// # Errors
/// [`Error::LengthMismatch`] when `texts` and the table differ in length;
/// [`Error::InvalidArgument`] when a name is already a column of the table;
/// [`Error::InvalidText`] when no comment has text.
///
/// # Examples
/// ```
/// use nps_core::{DriverOptions, Table, Taxonomy, add_topic_drivers, drivers};
/// let taxonomy = Taxonomy::from_json(r#"{"topics": [
///     {"name": "price", "keywords": ["贵", "expensive"]},
///     {"name": "speed", "keywords": ["慢", "slow"]}
/// ]}"#)?;
/// let texts = [
///     Some("太贵了"), Some("理赔太慢"), Some("又贵又慢"), Some("服务很好"), Some("fast and cheap"),
///     Some("slow claims"), Some("expensive"), Some("很满意"), None, Some("slow and expensive"),
/// ];
/// let scores = [4.0, 5.0, 1.0, 10.0, 9.0, 6.0, 7.0, 10.0, 8.0, 2.0];
/// let mut table = Table::new(&scores)?;
/// let names = add_topic_drivers(&mut table, &texts, &taxonomy, "topic:")?;
/// assert_eq!(names, ["topic:price", "topic:speed"]);
/// let result = drivers(&table, &DriverOptions::default())?; // the 9 rows with a comment
/// assert_eq!(result.n, 9);
/// assert!(result.rows.iter().all(|r| r.sign < 0)); // both topics pull the score down
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn add_topic_drivers<S: AsRef<str>>(
    table: &mut Table,
    texts: &[Option<S>],
    taxonomy: &Taxonomy,
    prefix: &str,
) -> Result<Vec<String>> {
    if texts.len() != table.len() {
        return Err(Error::LengthMismatch {
            field: "comments".into(),
            found: texts.len(),
            other: "scores".into(),
            expected: table.len(),
        });
    }
    let names: Vec<String> = taxonomy
        .topics
        .iter()
        .map(|t| format!("{prefix}{}", t.name))
        .collect();
    let taken = |n: &str| {
        table.drivers().iter().any(|d| d.name() == n)
            || table.dimensions().iter().any(|d| d.name() == n)
    };
    if let Some(n) = names.iter().find(|n| taken(n)) {
        return Err(Error::InvalidArgument {
            field: "column name",
            value: format!("{n:?}"),
            expected: "each dimension and driver has its own name (choose another topic prefix)",
        });
    }
    let indicators = topic_indicators(texts, taxonomy)?;
    for (name, column) in names.iter().zip(indicators.columns) {
        table.add_driver(name.clone(), column)?;
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(name: &str, keywords: &[&str], patterns: &[&str]) -> Topic {
        Topic {
            name: name.into(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            patterns: patterns.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn keyword_boundaries() {
        let t = Taxonomy::new(vec![
            topic("app", &["app"], &[]),
            topic("crash", &["闪退", "plante"], &[]),
            topic("wait", &["wait time", "attente"], &[]),
        ])
        .unwrap();
        assert_eq!(t.mentioned("用APP下单经常闪退"), ["app", "crash"]);
        assert_eq!(t.mentioned("happy app_store"), Vec::<&str>::new());
        assert_eq!(t.mentioned("L'APP plante"), ["app", "crash"]);
        assert_eq!(t.mentioned("the WAIT TIME was long; l’attente"), ["wait"]);
        assert_eq!(t.mentioned("plantes vertes"), Vec::<&str>::new());
    }

    #[test]
    fn shared_keywords_and_overlaps() {
        let t = Taxonomy::new(vec![
            topic("a", &["cher", "prix"], &[]),
            topic("b", &["prix"], &[]),
            topic("c", &["chers"], &[]),
        ])
        .unwrap();
        // "cher" fails its end boundary inside "chers"; the overlapping "chers" matches.
        assert_eq!(t.mentioned("trop chers"), ["c"]);
        assert_eq!(t.mentioned("le prix"), ["a", "b"]);
    }

    #[test]
    fn json_round_trip() {
        let json = r#"{"topics":[{"name":"price","keywords":["price","贵"],"patterns":["\\bcher(e|s)?\\b"]}]}"#;
        let t = Taxonomy::from_json(json).unwrap();
        assert_eq!(t.to_json(), json);
        let back: Taxonomy = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(back, t);
        assert!(format!("{t:?}").contains("price"));
    }
}
