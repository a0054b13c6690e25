//! Distinctive words of detractors (贬损者) against promoters (推荐者): the log-odds ratio with
//! an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words").

use serde::{Deserialize, Serialize};

use super::FastMap;
use super::comments::{check_inputs, text_of};
use super::tokenize::{TokenizeOptions, Tokenizer};
use crate::scale::{Category, Scale};
use crate::table::{Dimension, NA};
use crate::tally::{MISSING, ScoreValue};
use crate::{Error, Result};

/// Default prior size α₀ of [`distinctive_words`], in words.
///
/// Why 1000: the prior then weighs as much as about a hundred short comments (≈ 10 words each
/// after stop words). It steadies the log-odds of an analysis of a few hundred comments (one
/// touchpoint in one month, where a word seen 3 times against 0 would otherwise look
/// decisive) and fades against a year of comments (10⁷ words), where the data decide. Being a
/// fixed number of words rather than a multiple of the corpus, it is a prior in the usual
/// sense: its weight falls as data accumulate.
pub const DEFAULT_ALPHA0: f64 = 1000.0;

/// Default minimum count of a word (detractors + promoters) for it to get a row.
pub const DEFAULT_MIN_COUNT: u64 = 3;

/// Options of [`distinctive_words`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WordOptions {
    /// How comments are cut into words.
    pub tokenize: TokenizeOptions,
    /// Prior size α₀ (> 0, finite), in words; default [`DEFAULT_ALPHA0`].
    pub alpha0: f64,
    /// Words counted fewer times than this among detractors and promoters together get no row
    /// (default [`DEFAULT_MIN_COUNT`]; 0 acts as 1: a word only passives use compares nothing).
    pub min_count: u64,
    /// The scale and cut-points that make detractors and promoters (default 0–10, 0–6 / 9–10).
    pub scale: Scale,
}

impl Default for WordOptions {
    fn default() -> Self {
        WordOptions {
            tokenize: TokenizeOptions::default(),
            alpha0: DEFAULT_ALPHA0,
            min_count: DEFAULT_MIN_COUNT,
            scale: Scale::STANDARD,
        }
    }
}

impl WordOptions {
    /// Checks the options' values.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an `alpha0` that is not positive and finite.
    pub fn validate(&self) -> Result<()> {
        if !(self.alpha0 > 0.0 && self.alpha0.is_finite()) {
            return Err(Error::InvalidArgument {
                field: "alpha0",
                value: self.alpha0.to_string(),
                expected: "the prior size must be positive and finite (1000 words by default)",
            });
        }
        Ok(())
    }
}

/// One word's comparison of detractors (group i) with promoters (group j).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordRow {
    /// The word (lowercase).
    pub word: String,
    /// y_wi: occurrences in detractors' comments.
    pub detractors: u64,
    /// Occurrences in passives' comments (in the background only).
    pub passives: u64,
    /// y_wj: occurrences in promoters' comments.
    pub promoters: u64,
    /// δ_w: the log-odds ratio, detractors against promoters (> 0: a detractors' word).
    pub delta: f64,
    /// √σ²(δ_w).
    pub se: f64,
    /// z_w = δ_w / √σ²(δ_w).
    pub z: f64,
}

/// The distinctive words of one group of comments (all comments, or one level of a dimension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordGroup {
    /// The level of the dimension, or `None` for all comments.
    pub group: Option<String>,
    /// Detractors' comments with text.
    pub detractor_comments: u64,
    /// Passives' comments with text.
    pub passive_comments: u64,
    /// Promoters' comments with text.
    pub promoter_comments: u64,
    /// n_i: words in detractors' comments.
    pub detractor_words: u64,
    /// Words in passives' comments.
    pub passive_words: u64,
    /// n_j: words in promoters' comments.
    pub promoter_words: u64,
    /// Rows of the words counted at least `min_count` times among detractors and promoters,
    /// by z from the most detractor-like to the most promoter-like (ties by word).
    pub rows: Vec<WordRow>,
}

/// The result of [`distinctive_words`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistinctiveWords {
    /// The dimension the groups are levels of, if any.
    pub dimension: Option<String>,
    /// The prior size α₀ used.
    pub alpha0: f64,
    /// The minimum count used.
    pub min_count: u64,
    /// All comments first (`group: None`), then one group per level of the dimension, in the
    /// order of its levels.
    pub groups: Vec<WordGroup>,
}

/// Counts per category (detractor, passive, promoter) of one word.
type Trio = [u64; 3];

/// The counts of one group.
#[derive(Default)]
struct GroupCounts {
    comments: Trio,
    words: Trio,
}

/// δ_w, its standard error and z for counts `y` (by category) against totals `n` and a
/// background share `share` = background count of w / background words.
pub(crate) fn log_odds(y: Trio, n: Trio, share: f64, alpha0: f64) -> (f64, f64, f64) {
    let alpha_w = alpha0 * share;
    let (d, p) = (Category::Detractor as usize, Category::Promoter as usize);
    let a_i = y[d] as f64 + alpha_w;
    let a_j = y[p] as f64 + alpha_w;
    let b_i = n[d] as f64 + alpha0 - a_i;
    let b_j = n[p] as f64 + alpha0 - a_j;
    let delta = (a_i / b_i).ln() - (a_j / b_j).ln();
    let se = (1.0 / a_i + 1.0 / a_j).sqrt();
    (delta, se, delta / se)
}

/// Which words set detractors (贬损者) apart from promoters (推荐者) in their comments
/// (评论), overall and, with `groups`, per level of a dimension (touchpoint 触点, segment).
///
/// # Formula
/// Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection and Evaluation
/// for Identifying the Content of Political Conflict", *Political Analysis* 16(4):372–403,
/// eq. 16–22: the log-odds ratio with an informative Dirichlet prior. For word w, detractors
/// i and promoters j, with y_wi the occurrences of w in i's comments and n_i the words of i:
///
/// - α_w = α₀ · (background count of w / background words), the background being every
///   comment of the group analysed, passives (被动者) included;
/// - δ_w = log[(y_wi + α_w)/(n_i + α₀ − y_wi − α_w)] − log[(y_wj + α_w)/(n_j + α₀ − y_wj − α_w)];
/// - σ²(δ_w) ≈ 1/(y_wi + α_w) + 1/(y_wj + α_w);
/// - z_w = δ_w / √σ²(δ_w).
///
/// Rows are sorted by z: detractors' words first (z ≫ 0), promoters' words last (z ≪ 0).
/// With α₀ → 0 the prior vanishes and δ_w is the plain log-odds ratio.
///
/// # Counting
/// Words are cut by [`Tokenizer`] under `options.tokenize` and counted by occurrence (a word
/// twice in a comment counts twice). Comments without text, and comments whose score is
/// missing, are skipped. With `groups`, each level is analysed as if alone: its own counts and
/// its own background (the words of its own comments), so a level's rows equal those of the
/// analysis run on its rows only; rows whose level is missing ([`NA`]) count in the overall
/// group only. A word whose δ is not finite (a group whose every word is that word) gets no
/// row.
///
/// # Errors
/// [`Error::LengthMismatch`] (scores or dimension against comments); [`Error::InvalidScore`];
/// [`Error::InvalidArgument`] for a bad `alpha0`; [`Error::InvalidText`] when no comment has
/// text.
///
/// # Examples
/// ```
/// use nps_core::{WordOptions, distinctive_words};
/// let texts = [
///     Some("理赔太慢"), Some("理赔速度太慢了"), Some("等待太久,理赔慢"),
///     Some("服务很好"), Some("服务周到"), Some("客服服务好"), Some("还行"),
/// ];
/// let scores = [2u8, 4, 5, 10, 9, 10, 8];
/// let options = WordOptions { min_count: 2, ..WordOptions::default() };
/// let result = distinctive_words(&texts, &scores, None, &options)?;
/// let all = &result.groups[0];
/// assert_eq!(all.rows.first().unwrap().word, "理赔"); // the detractors' word
/// assert_eq!(all.rows.last().unwrap().word, "服务"); // the promoters' word
/// assert!(all.rows[0].z > 0.0 && all.rows.last().unwrap().z < 0.0);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn distinctive_words<S: AsRef<str>, T: ScoreValue>(
    texts: &[Option<S>],
    scores: &[T],
    groups: Option<&Dimension>,
    options: &WordOptions,
) -> Result<DistinctiveWords> {
    options.validate()?;
    let codes = check_inputs(texts, scores, groups, options.scale)?;
    let scale = options.scale;
    let tokenizer = Tokenizer::new(&options.tokenize);
    let levels = groups.map_or(0, |d| d.levels().len());

    let mut vocabulary: FastMap<Box<str>, u32> = FastMap::default();
    let mut words: Vec<Box<str>> = Vec::new();
    let mut all: Vec<Trio> = Vec::new();
    let mut by_level: Vec<FastMap<u32, Trio>> = (0..levels).map(|_| FastMap::default()).collect();
    let mut counts: Vec<GroupCounts> = (0..=levels).map(|_| GroupCounts::default()).collect();
    let mut scratch = String::new();

    for (i, (text, &code)) in texts.iter().zip(&codes).enumerate() {
        let Some(text) = text_of(text) else { continue };
        if code == MISSING {
            continue;
        }
        let c = scale.category(code) as usize;
        let level = groups
            .map(|d| d.codes()[i])
            .filter(|&l| l != NA)
            .map(|l| l as usize);
        counts[0].comments[c] += 1;
        if let Some(l) = level {
            counts[l + 1].comments[c] += 1;
        }
        let mut n_words = 0u64;
        tokenizer.each(text, &mut scratch, |w| {
            let id = match vocabulary.get(w) {
                Some(&id) => id,
                None => {
                    let id = words.len() as u32;
                    vocabulary.insert(w.into(), id);
                    words.push(w.into());
                    all.push([0; 3]);
                    id
                }
            };
            all[id as usize][c] += 1;
            if let Some(l) = level {
                by_level[l].entry(id).or_insert([0; 3])[c] += 1;
            }
            n_words += 1;
        });
        counts[0].words[c] += n_words;
        if let Some(l) = level {
            counts[l + 1].words[c] += n_words;
        }
    }

    let group_of =
        |name: Option<String>, counts: &GroupCounts, ys: &mut dyn Iterator<Item = (u32, Trio)>| {
            let background: u64 = counts.words.iter().sum();
            let (d, pa, p) = (
                Category::Detractor as usize,
                Category::Passive as usize,
                Category::Promoter as usize,
            );
            let mut rows: Vec<WordRow> = ys
                .filter(|(_, y)| y[d] + y[p] >= options.min_count.max(1))
                .filter_map(|(id, y)| {
                    let share = y.iter().sum::<u64>() as f64 / background as f64;
                    let (delta, se, z) = log_odds(y, counts.words, share, options.alpha0);
                    (delta.is_finite() && z.is_finite()).then(|| WordRow {
                        word: words[id as usize].to_string(),
                        detractors: y[d],
                        passives: y[pa],
                        promoters: y[p],
                        delta,
                        se,
                        z,
                    })
                })
                .collect();
            rows.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.word.cmp(&b.word)));
            WordGroup {
                group: name,
                detractor_comments: counts.comments[d],
                passive_comments: counts.comments[pa],
                promoter_comments: counts.comments[p],
                detractor_words: counts.words[d],
                passive_words: counts.words[pa],
                promoter_words: counts.words[p],
                rows,
            }
        };

    let mut result = Vec::with_capacity(levels + 1);
    let mut overall = all.iter().enumerate().map(|(id, &y)| (id as u32, y));
    result.push(group_of(None, &counts[0], &mut overall));
    if let Some(d) = groups {
        for (l, map) in by_level.iter().enumerate() {
            let mut ys = map.iter().map(|(&id, &y)| (id, y));
            result.push(group_of(
                Some(d.levels()[l].clone()),
                &counts[l + 1],
                &mut ys,
            ));
        }
    }
    Ok(DistinctiveWords {
        dimension: groups.map(|d| d.name().to_owned()),
        alpha0: options.alpha0,
        min_count: options.min_count,
        groups: result,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_odds_matches_the_formula() {
        // y = (3, 1, 1), n = (10, 5, 20), background share 5/35, α₀ = 7: α_w = 1.
        let (delta, se, z) = log_odds([3, 1, 1], [10, 5, 20], 5.0 / 35.0, 7.0);
        let want = (4.0f64 / 13.0).ln() - (2.0f64 / 25.0).ln();
        assert!((delta - want).abs() < 1e-12);
        assert!((se - (0.25f64 + 0.5).sqrt()).abs() < 1e-12);
        assert!((z - want / 0.75f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn alpha0_is_validated() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let o = WordOptions {
                alpha0: bad,
                ..WordOptions::default()
            };
            assert!(o.validate().is_err(), "{bad}");
        }
    }
}
