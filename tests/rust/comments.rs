//! Comments (评论): tokenizing Chinese, French and English, UTF-8 policies, distinctive words
//! checked against the Fightin' Words formula computed by hand, topics (话题) with their NPS
//! and impact (identities as proptests), indicators for the driver analysis, and bad input.

use nps_core::{
    Dimension, DriverOptions, Error, Language, Method, NA, ScoreValue, Table, Tally, Taxonomy,
    TokenizeOptions, Tokenizer, Topic, TopicAnalysis, TopicOptions, Utf8Policy, WordOptions,
    add_topic_drivers, comments_from_buffer, comments_from_bytes, distinctive_words, drivers,
    tokenize, topic_indicators, topics,
};
use proptest::prelude::*;

fn words(text: &str) -> Vec<String> {
    Tokenizer::new(&TokenizeOptions::default()).tokens(text)
}

fn no_stop_words() -> TokenizeOptions {
    TokenizeOptions {
        stop_words: vec![],
        ..TokenizeOptions::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenizing

#[test]
fn chinese_is_cut_by_jieba_and_particles_dropped() {
    assert_eq!(words("理赔速度太慢了"), ["理赔", "速度", "太慢"]);
    // Without stop words the particle 了 is a word of its own.
    let all = Tokenizer::new(&no_stop_words()).tokens("理赔速度太慢了");
    assert_eq!(all, ["理赔", "速度", "太慢", "了"]);
    let w = words("等了半个小时没人接电话");
    for meaningful in ["小时", "电话"] {
        assert!(w.iter().any(|x| x == meaningful), "{w:?}");
    }
    assert!(!w.iter().any(|x| x == "了"));
    assert_eq!(
        words("价格有点贵，保费每年都涨"),
        ["价格", "有点", "贵", "保费", "每年", "涨"]
    );
    // Negations are not stop words: 不够 survives.
    assert!(words("保单借款额度不够").contains(&"不够".to_string()));
}

#[test]
fn french_accents_apostrophes_and_stop_words() {
    assert_eq!(
        words("l'accueil était très agréable"),
        ["accueil", "agréable"]
    );
    // Typographic apostrophe and capitals give the same words.
    assert_eq!(
        words("L’ACCUEIL était TRÈS agréable !"),
        ["accueil", "agréable"]
    );
    assert_eq!(
        words("Très déçu : l’attente au téléphone était interminable"),
        ["déçu", "attente", "téléphone", "interminable"]
    );
    // qu' and jusqu' are split off; aujourd'hui stays whole.
    assert_eq!(words("jusqu'à aujourd'hui qu'il"), ["aujourd'hui"]);
    // Without the French list the elided article is a word.
    let fr_off = TokenizeOptions {
        stop_words: vec![Language::English, Language::Chinese],
        ..TokenizeOptions::default()
    };
    assert_eq!(
        Tokenizer::new(&fr_off).tokens("l'accueil"),
        ["l", "accueil"]
    );
}

#[test]
fn english_words() {
    assert_eq!(
        words("The claims process was slow and the agent didn't call back"),
        ["claims", "process", "slow", "agent", "call", "back"]
    );
    assert_eq!(words("The customer's view: 10/10!"), ["customer", "view"]);
    let numbers = TokenizeOptions {
        keep_numbers: true,
        ..TokenizeOptions::default()
    };
    assert_eq!(
        Tokenizer::new(&numbers).tokens("rated 10/10"),
        ["rated", "10", "10"]
    );
    let long = TokenizeOptions {
        min_length: 5,
        ..TokenizeOptions::default()
    };
    assert_eq!(
        Tokenizer::new(&long).tokens("slow agent, terrible wait"),
        ["agent", "terrible"]
    );
}

#[test]
fn mixed_scripts_are_split_into_runs() {
    assert_eq!(
        words("APP经常闪退, l'appli plante and the login is slow"),
        ["app", "经常", "闪退", "appli", "plante", "login", "slow"]
    );
    assert_eq!(
        words("客服态度非常好，理赔很快"),
        ["客服", "态度", "非常", "好", "理赔", "很快"]
    );
    // Without the HMM, jieba keeps to its dictionary: 闪退 falls apart.
    let dictionary_only = TokenizeOptions {
        hmm: false,
        ..TokenizeOptions::default()
    };
    assert_eq!(
        Tokenizer::new(&dictionary_only).tokens("APP经常闪退"),
        ["app", "经常", "闪", "退"]
    );
}

#[test]
fn tokenize_is_columnar_and_skips_blank_comments() {
    let texts = [
        Some("价格太贵了"),
        None,
        Some("  \u{3000} "),
        Some("Slow claims"),
    ];
    let t = tokenize(&texts, &TokenizeOptions::default());
    assert_eq!(t.len(), 4);
    assert_eq!(t.offsets, [0, 2, 2, 2, 4]);
    assert_eq!(t.comment(0), ["价格", "太贵"]);
    assert!(t.comment(1).is_empty() && t.comment(2).is_empty());
    assert_eq!(t.comment(3), ["slow", "claims"]);
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<nps_core::Tokens>(&json).unwrap(), t);
}

// ---------------------------------------------------------------------------------------------
// Bytes

#[test]
fn invalid_utf8_under_both_policies() {
    // "très" in Latin-1 (0xE8 for è) inside otherwise valid UTF-8.
    let raw: Vec<Option<Vec<u8>>> = vec![
        Some("理赔太慢".as_bytes().to_vec()),
        None,
        Some(b"tr\xE8s lent".to_vec()),
    ];
    match comments_from_bytes(&raw, Utf8Policy::Error) {
        Err(Error::InvalidText {
            field,
            index,
            problem,
        }) => {
            assert_eq!((field, index), ("comment", 2));
            assert!(problem.contains("byte 2 of 9"), "{problem}");
            assert!(problem.contains("UTF-8"), "{problem}");
        }
        other => panic!("expected InvalidText, got {other:?}"),
    }
    let texts = comments_from_bytes(&raw, Utf8Policy::Replace).unwrap();
    assert_eq!(texts[2].as_deref(), Some("tr\u{FFFD}s lent"));
    assert_eq!(texts[1], None);
    // U+FFFD is not a letter: it splits the word and never becomes one.
    let t = tokenize(&texts, &no_stop_words());
    assert_eq!(t.comment(2), ["tr", "s", "lent"]);
    // The decoded column goes straight into an analysis.
    let result = distinctive_words(&texts, &[2u8, 9, 10], None, &WordOptions::default()).unwrap();
    assert_eq!(result.groups[0].detractor_comments, 1);

    // The buffer form: same rule, index of the comment, offset within it.
    let buffer = b"ok\xC3(";
    match comments_from_buffer(buffer, &[0, 2, 4], Utf8Policy::Error) {
        Err(Error::InvalidText {
            index: 1, problem, ..
        }) => {
            assert!(problem.contains("byte 0 of 2"), "{problem}")
        }
        other => panic!("expected InvalidText, got {other:?}"),
    }
    let fixed = comments_from_buffer(buffer, &[0, 2, 4], Utf8Policy::Replace).unwrap();
    assert_eq!(fixed[1].as_deref(), Some("\u{FFFD}("));
}

// ---------------------------------------------------------------------------------------------
// Distinctive words: Monroe, Colaresi & Quinn (2008), eq. 16–22, written out again here.

/// δ, √σ², z for word counts y_i (detractors), y_j (promoters), totals n_i, n_j, the word's
/// background count b_w of a background of b words, and prior size a0.
fn fightin_words(y_i: f64, y_j: f64, n_i: f64, n_j: f64, b_w: f64, b: f64, a0: f64) -> [f64; 3] {
    let alpha_w = a0 * b_w / b;
    let odds_i = (y_i + alpha_w) / (n_i + a0 - y_i - alpha_w);
    let odds_j = (y_j + alpha_w) / (n_j + a0 - y_j - alpha_w);
    let delta = odds_i.ln() - odds_j.ln();
    let var = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w);
    [delta, var.sqrt(), delta / var.sqrt()]
}

#[test]
fn log_odds_match_a_hand_computation() {
    // Detractors: slow ×3, price, agent (n_i = 5). Passives: price, agent (2).
    // Promoters: friendly ×3, agent, price (n_j = 5). Background: 12 words, each word 3 times.
    let texts = [
        Some("slow slow price"),
        Some("slow agent"),
        Some("price agent"),
        Some("friendly agent"),
        Some("friendly price friendly"),
    ];
    let scores = [2.0, 5.0, 7.0, 10.0, 9.0];
    let options = WordOptions {
        alpha0: 6.0,
        min_count: 1,
        ..WordOptions::default()
    };
    let result = distinctive_words(&texts, &scores, None, &options).unwrap();
    let g = &result.groups[0];
    assert_eq!(g.group, None);
    assert_eq!(
        (
            g.detractor_comments,
            g.passive_comments,
            g.promoter_comments
        ),
        (2, 1, 2)
    );
    assert_eq!(
        (g.detractor_words, g.passive_words, g.promoter_words),
        (5, 2, 5)
    );
    let order: Vec<&str> = g.rows.iter().map(|r| r.word.as_str()).collect();
    // slow (δ > 0), then agent and price (δ = 0, tie broken by the word), then friendly.
    assert_eq!(order, ["slow", "agent", "price", "friendly"]);
    let expected = [
        ("slow", 3.0, 0.0),
        ("agent", 1.0, 1.0),
        ("price", 1.0, 1.0),
        ("friendly", 0.0, 3.0),
    ];
    for (row, (word, y_i, y_j)) in g.rows.iter().zip(expected) {
        assert_eq!(row.word, word);
        assert_eq!((row.detractors as f64, row.promoters as f64), (y_i, y_j));
        let [delta, se, z] = fightin_words(y_i, y_j, 5.0, 5.0, 3.0, 12.0, 6.0);
        assert!(
            (row.delta - delta).abs() < 1e-12,
            "{word}: {} vs {delta}",
            row.delta
        );
        assert!((row.se - se).abs() < 1e-12, "{word}");
        assert!((row.z - z).abs() < 1e-12, "{word}");
    }
    // The numbers themselves, for the record: slow has α_w = 1.5,
    // δ = ln(4.5/6.5) − ln(1.5/9.5) = 1.478101910373…, σ² = 1/4.5 + 1/1.5.
    let slow = &g.rows[0];
    assert!((slow.delta - 1.478_101_910_373_013_5).abs() < 1e-12);
    assert!((slow.se - (1.0f64 / 4.5 + 1.0 / 1.5).sqrt()).abs() < 1e-12);
}

#[test]
fn without_a_prior_and_equal_totals_delta_is_the_observed_log_odds_ratio() {
    // Monroe et al. (2008): as α₀ → 0 the estimate tends to the observed log-odds ratio
    // log[(y_i/(n_i − y_i)) / (y_j/(n_j − y_j))] (their eq. 15). Detractors: slow ×3, price,
    // friendly, agent; promoters: slow, price, friendly ×3, agent (6 words each).
    let texts = [
        Some("slow slow slow price friendly agent"),
        Some("slow price friendly friendly friendly agent"),
    ];
    let options = WordOptions {
        alpha0: 1e-9,
        min_count: 1,
        ..WordOptions::default()
    };
    let g = &distinctive_words(&texts, &[0u8, 10], None, &options)
        .unwrap()
        .groups[0];
    let delta = |w: &str| g.rows.iter().find(|r| r.word == w).unwrap().delta;
    let observed = |y_i: f64, y_j: f64| (y_i / (6.0 - y_i) / (y_j / (6.0 - y_j))).ln();
    assert!((delta("slow") - observed(3.0, 1.0)).abs() < 1e-6);
    assert!((delta("slow") - 5f64.ln()).abs() < 1e-6); // (3/3)/(1/5)
    assert!((delta("friendly") + 5f64.ln()).abs() < 1e-6);
    assert!(delta("price").abs() < 1e-12 && delta("agent").abs() < 1e-12);
    // σ² → 1/y_i + 1/y_j.
    let slow = g.rows.iter().find(|r| r.word == "slow").unwrap();
    assert!((slow.se - (1.0f64 / 3.0 + 1.0).sqrt()).abs() < 1e-6);
}

#[test]
fn swapping_detractors_and_promoters_flips_every_sign() {
    let texts = [
        Some("理赔太慢 客服态度差"),
        Some("理赔慢 等了很久"),
        Some("服务很好 理赔快"),
        Some("客服态度好 很满意"),
        Some("还行"),
    ];
    let options = WordOptions {
        min_count: 1,
        ..WordOptions::default()
    };
    let a = distinctive_words(&texts, &[1u8, 3, 10, 9, 8], None, &options).unwrap();
    let b = distinctive_words(&texts, &[10u8, 9, 1, 3, 8], None, &options).unwrap();
    let (a, b) = (&a.groups[0], &b.groups[0]);
    assert_eq!(a.rows.len(), b.rows.len());
    for row in &a.rows {
        let other = b.rows.iter().find(|r| r.word == row.word).unwrap();
        assert!((row.delta + other.delta).abs() < 1e-12, "{}", row.word);
        assert!((row.z + other.z).abs() < 1e-12 && (row.se - other.se).abs() < 1e-12);
        assert_eq!(
            (row.detractors, row.promoters),
            (other.promoters, other.detractors)
        );
    }
    // Sorted by z, detractors' words first.
    assert!(a.rows.windows(2).all(|w| w[0].z >= w[1].z));
}

#[test]
fn min_count_and_skipped_comments() {
    let texts = [
        Some("slow slow"),
        Some("  "),
        None,
        Some("slow friendly"),
        Some("friendly"),
        Some("unanswered words"),
    ];
    let scores = [0.0, 3.0, 4.0, 9.0, 10.0, f64::NAN];
    let options = WordOptions {
        min_count: 2,
        ..WordOptions::default()
    };
    let g = &distinctive_words(&texts, &scores, None, &options)
        .unwrap()
        .groups[0];
    // The blank, the missing and the unanswered comments are skipped.
    assert_eq!((g.detractor_comments, g.promoter_comments), (1, 2));
    assert_eq!((g.detractor_words, g.promoter_words), (2, 3));
    let listed: Vec<&str> = g.rows.iter().map(|r| r.word.as_str()).collect();
    assert_eq!(listed, ["slow", "friendly"]); // "unanswered", "words" never counted
    let strict = WordOptions {
        min_count: 3,
        ..WordOptions::default()
    };
    let g = &distinctive_words(&texts, &scores, None, &strict)
        .unwrap()
        .groups[0];
    assert_eq!(g.rows.len(), 1);
    assert_eq!(g.rows[0].word, "slow");
}

/// Comments of a touchpoint survey: (text, score, touchpoint or missing).
fn survey() -> (Vec<Option<String>>, Vec<f64>, Dimension) {
    let pool = [
        "理赔速度太慢了",
        "客服态度很好",
        "app经常闪退",
        "l'accueil était très agréable",
        "trop cher",
        "slow claim, rude agent",
        "服务周到 理赔快",
        "价格太贵",
        "",
    ];
    let mut texts = Vec::new();
    let mut scores = Vec::new();
    let mut codes = Vec::new();
    for i in 0..300u32 {
        let k = (i * 7 + i / 5) as usize % pool.len();
        texts.push(if i % 11 == 0 {
            None
        } else {
            Some(pool[k].to_string())
        });
        scores.push(if i % 13 == 0 {
            f64::NAN
        } else {
            f64::from((i * 3 + k as u32 * 5) % 11)
        });
        codes.push(if i % 17 == 0 { NA } else { i % 3 });
    }
    let levels = vec!["app".into(), "phone".into(), "store".into()];
    (
        texts,
        scores,
        Dimension::new("touchpoint", levels, codes).unwrap(),
    )
}

#[test]
fn each_group_is_the_analysis_of_its_own_rows() {
    let (texts, scores, touchpoint) = survey();
    let options = WordOptions {
        min_count: 1,
        ..WordOptions::default()
    };
    let grouped = distinctive_words(&texts, &scores, Some(&touchpoint), &options).unwrap();
    assert_eq!(grouped.dimension.as_deref(), Some("touchpoint"));
    assert_eq!(grouped.groups.len(), 4);
    let alone = distinctive_words(&texts, &scores, None, &options).unwrap();
    assert_eq!(grouped.groups[0], alone.groups[0]);
    for (l, level) in touchpoint.levels().iter().enumerate() {
        let rows: Vec<usize> = (0..texts.len())
            .filter(|&i| touchpoint.codes()[i] == l as u32)
            .collect();
        let t: Vec<Option<String>> = rows.iter().map(|&i| texts[i].clone()).collect();
        let s: Vec<f64> = rows.iter().map(|&i| scores[i]).collect();
        let mut own = distinctive_words(&t, &s, None, &options).unwrap().groups[0].clone();
        own.group = Some(level.clone());
        let got = &grouped.groups[l + 1];
        assert_eq!(got.rows.len(), own.rows.len(), "{level}");
        for (a, b) in got.rows.iter().zip(&own.rows) {
            assert_eq!(a.word, b.word);
            assert!((a.z - b.z).abs() < 1e-12);
        }
        assert_eq!(got.detractor_words, own.detractor_words);
    }
}

// ---------------------------------------------------------------------------------------------
// Topics

const TAXONOMY: &str = r#"{"topics": [
    {"name": "price", "keywords": ["price", "expensive", "价格", "贵"], "patterns": ["\\bcher(e|s)?\\b"]},
    {"name": "speed", "keywords": ["慢", "slow"]},
    {"name": "staff", "keywords": ["客服", "agent", "accueil"]}
]}"#;

/// A pool of comments and the topics each mentions (price, speed, staff), by construction.
const POOL: [(Option<&str>, [bool; 3]); 9] = [
    (Some("太贵了"), [true, false, false]),
    (Some("理赔太慢"), [false, true, false]),
    (Some("客服很慢"), [false, true, true]),
    (Some("Trop CHER"), [true, false, false]),
    (
        Some("the agent was slow and the price high"),
        [true, true, true],
    ),
    (Some("很好"), [false, false, false]),
    (Some("l’accueil était parfait"), [false, false, true]),
    (Some(" \t "), [false, false, false]),
    (None, [false, false, false]),
];

fn nps_of(scores: &[u8]) -> f64 {
    let p = scores.iter().filter(|&&s| s >= 9).count() as f64;
    let d = scores.iter().filter(|&&s| s <= 6).count() as f64;
    100.0 * (p - d) / scores.len() as f64
}

fn wald_se(scores: &[u8]) -> f64 {
    let n = scores.len() as f64;
    let p = scores.iter().filter(|&&s| s >= 9).count() as f64 / n;
    let d = scores.iter().filter(|&&s| s <= 6).count() as f64 / n;
    100.0 * ((p + d - (p - d).powi(2)) / n).sqrt()
}

#[test]
fn topic_counts_nps_and_impact_by_hand() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let texts = [
        Some("太贵了"),
        Some("price too high, slow agent"),
        Some("理赔太慢"),
        Some("很好"),
        Some("great"),
        None,
        Some("   "),
        Some("Trop chers"),
    ];
    let scores = [3.0, 6.0, 8.0, 10.0, 9.0, 10.0, 9.0, f64::NAN];
    let options = TopicOptions {
        method: Method::Wald,
        ..TopicOptions::default()
    };
    let result = topics(&texts, &scores, None, None, &taxonomy, &options).unwrap();
    let g = &result.groups[0];
    assert_eq!((g.responses, g.comments), (8, 6));
    let overall = g.overall.unwrap();
    assert_eq!((overall.n, overall.n_missing), (7, 1));
    assert!((overall.nps - nps_of(&[3, 6, 8, 10, 9, 10, 9])).abs() < 1e-12);

    let price = &g.topics[0];
    assert_eq!(price.topic, "price");
    assert_eq!(price.mentions, 3); // 太贵了, price too high, Trop chers (no score)
    assert!((price.share - 0.5).abs() < 1e-12);
    let e = price.estimate.unwrap();
    assert_eq!((e.n, e.n_missing), (2, 1));
    assert_eq!(e.nps, -100.0);
    let rest = [8u8, 10, 9, 10, 9];
    assert!((price.rest_nps.unwrap() - nps_of(&rest)).abs() < 1e-12);
    let impact = price.impact.unwrap();
    // (n_t/N)(NPS_t − NPS_rest) = (2/7)(−100 − 80).
    assert!((impact.value - 2.0 / 7.0 * (-100.0 - 80.0)).abs() < 1e-12);
    assert!((impact.value - (overall.nps - 80.0)).abs() < 1e-12);
    // Wald: SE_t = 0 (both detractors), SE_rest from the five others.
    let se = 2.0 / 7.0 * (0.0f64.powi(2) + wald_se(&rest).powi(2)).sqrt();
    assert!((impact.se - se).abs() < 1e-12);
    assert!((impact.low - (impact.value - 1.959_963_984_540_054 * se)).abs() < 1e-9);

    let speed = &g.topics[1];
    assert_eq!(speed.mentions, 2);
    assert!((speed.estimate.unwrap().nps - nps_of(&[6, 8])).abs() < 1e-12);
    let staff = &g.topics[2];
    assert_eq!(staff.mentions, 1);

    // Under the default adjusted Wald, the centre is the same; the SE is Rocks' adjusted one,
    // which does not vanish for the two unanimous detractors.
    let adjusted = topics(
        &texts,
        &scores,
        None,
        None,
        &taxonomy,
        &TopicOptions::default(),
    )
    .unwrap();
    let a = adjusted.groups[0].topics[0].impact.unwrap();
    assert!((a.value - impact.value).abs() < 1e-12);
    assert!(a.se > impact.se);
}

#[test]
fn a_topic_everyone_or_no_one_mentions_has_no_impact() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let texts = [Some("太贵"), Some("贵")];
    let result = topics(
        &texts,
        &[1u8, 10],
        None,
        None,
        &taxonomy,
        &TopicOptions::default(),
    )
    .unwrap();
    let g = &result.groups[0];
    assert_eq!(g.topics[0].mentions, 2);
    assert!(g.topics[0].impact.is_none() && g.topics[0].rest_nps.is_none());
    assert!(g.topics[1].estimate.is_none() && g.topics[1].impact.is_none());
    assert_eq!(g.topics[1].rest_nps, Some(0.0));
}

fn rows() -> impl Strategy<Value = Vec<(Option<u8>, usize, Option<u32>)>> {
    prop::collection::vec(
        (
            prop::option::weighted(0.9, 0u8..=10),
            0..POOL.len(),
            prop::option::of(0u32..3),
        ),
        1..200,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Mentions, NPS of mentioners and of the rest, and the identities of the impact:
    /// impact = overall − rest = count·(NPS_t − overall)/(N − count), and its Wald SE
    /// (n_t/N)·√(SE_t² + SE_rest²), in every group.
    #[test]
    fn topic_impact_identities(r in rows()) {
        prop_assume!(r.iter().any(|row| POOL[row.1].0.is_some_and(|t| !t.trim().is_empty())));
        let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
        let texts: Vec<Option<&str>> = r.iter().map(|row| POOL[row.1].0).collect();
        let scores: Vec<f64> = r.iter().map(|row| row.0.map_or(f64::NAN, f64::from)).collect();
        let codes: Vec<u32> = r.iter().map(|row| row.2.unwrap_or(NA)).collect();
        let levels = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let dim = Dimension::new("segment", levels, codes.clone()).unwrap();
        let options = TopicOptions { method: Method::Wald, ..TopicOptions::default() };
        let result = topics(&texts, &scores, None, Some(&dim), &taxonomy, &options).unwrap();
        prop_assert_eq!(result.groups.len(), 4);
        for (s, group) in result.groups.iter().enumerate() {
            let in_group = |i: usize| s == 0 || codes[i] == (s - 1) as u32;
            let members: Vec<usize> = (0..r.len()).filter(|&i| in_group(i)).collect();
            prop_assert_eq!(group.responses, members.len() as u64);
            let answered: Vec<u8> = members.iter().filter_map(|&i| r[i].0).collect();
            if answered.is_empty() {
                prop_assert!(group.overall.is_none());
            } else {
                let overall = group.overall.unwrap();
                prop_assert!((overall.nps - nps_of(&answered)).abs() < 1e-9);
            }
            for (t, row) in group.topics.iter().enumerate() {
                let mentioners: Vec<usize> =
                    members.iter().copied().filter(|&i| POOL[r[i].1].1[t]).collect();
                prop_assert_eq!(row.mentions, mentioners.len() as u64);
                let mine: Vec<u8> = mentioners.iter().filter_map(|&i| r[i].0).collect();
                let rest: Vec<u8> = members
                    .iter()
                    .filter(|&&i| !POOL[r[i].1].1[t])
                    .filter_map(|&i| r[i].0)
                    .collect();
                prop_assert_eq!(row.estimate.map(|e| e.n), (!mine.is_empty()).then_some(mine.len() as u64));
                if let Some(e) = row.estimate {
                    prop_assert!((e.nps - nps_of(&mine)).abs() < 1e-9);
                    prop_assert_eq!(e.n_missing, (mentioners.len() - mine.len()) as u64);
                }
                match row.impact {
                    None => prop_assert!(mine.is_empty() || rest.is_empty()),
                    Some(impact) => {
                        let overall = group.overall.unwrap().nps;
                        let (n_t, n) = (mine.len() as f64, answered.len() as f64);
                        let rest_nps = row.rest_nps.unwrap();
                        prop_assert!((rest_nps - nps_of(&rest)).abs() < 1e-9);
                        prop_assert!((impact.value - (overall - rest_nps)).abs() < 1e-9);
                        let via_overall = n_t * (nps_of(&mine) - overall) / (n - n_t);
                        prop_assert!((impact.value - via_overall).abs() < 1e-9);
                        let se = n_t / n * wald_se(&mine).hypot(wald_se(&rest));
                        prop_assert!((impact.se - se).abs() < 1e-9);
                        prop_assert!(impact.low <= impact.value && impact.value <= impact.high);
                    }
                }
            }
        }
    }
}

#[test]
fn topics_per_touchpoint() {
    let (texts, scores, touchpoint) = survey();
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let result = topics(
        &texts,
        &scores,
        None,
        Some(&touchpoint),
        &taxonomy,
        &TopicOptions::default(),
    )
    .unwrap();
    assert_eq!(result.dimension.as_deref(), Some("touchpoint"));
    let names: Vec<Option<&str>> = result.groups.iter().map(|g| g.group.as_deref()).collect();
    assert_eq!(names, [None, Some("app"), Some("phone"), Some("store")]);
    // Rows without a touchpoint count in the overall group only.
    let per_level: u64 = result.groups[1..].iter().map(|g| g.responses).sum();
    let na = touchpoint.codes().iter().filter(|&&c| c == NA).count() as u64;
    assert_eq!(result.groups[0].responses, per_level + na);
    for t in 0..3 {
        let sum: u64 = result.groups[1..]
            .iter()
            .map(|g| g.topics[t].mentions)
            .sum();
        assert!(sum <= result.groups[0].topics[t].mentions);
    }
    let json = serde_json::to_string(&result).unwrap();
    assert_eq!(
        serde_json::from_str::<nps_core::TopicAnalysis>(&json).unwrap(),
        result
    );
}

// ---------------------------------------------------------------------------------------------
// Weighted topics

/// NPS in points of weighted answers (score, weight): 100·(Σw promoters − Σw detractors)/Σw.
fn weighted_nps(rows: &[(u8, f64)]) -> f64 {
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let net: f64 = rows
        .iter()
        .map(|&(s, w)| match s {
            9.. => w,
            7 | 8 => 0.0,
            _ => -w,
        })
        .sum();
    100.0 * net / total
}

/// Taylor-linearization SE in points of the weighted NPS, row by row from its definition:
/// var = n/(n−1)·Σuᵢ², uᵢ = wᵢ(sᵢ − m)/Σw, sᵢ ∈ {−1, 0, 1}, m the weighted mean of s
/// (R `survey::svymean` on a with-replacement design).
fn taylor_se(rows: &[(u8, f64)]) -> f64 {
    let n = rows.len() as f64;
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let m = weighted_nps(rows) / 100.0;
    let sign = |s: u8| match s {
        9.. => 1.0,
        7 | 8 => 0.0,
        _ => -1.0,
    };
    let sum_u2: f64 = rows
        .iter()
        .map(|&(s, w)| (w * (sign(s) - m) / total).powi(2))
        .sum();
    100.0 * (n / (n - 1.0) * sum_u2).sqrt()
}

/// Rocks' adjusted SE in points on Kish's effective counts: n_eff = (Σw)²/Σw², counts
/// n_eff·(weighted share) plus 0.75 promoters, 1.5 passives, 0.75 detractors.
fn kish_adjusted_se(rows: &[(u8, f64)]) -> f64 {
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let sum_w2: f64 = rows.iter().map(|r| r.1 * r.1).sum();
    let n_eff = total * total / sum_w2;
    let weight = |keep: fn(u8) -> bool| -> f64 {
        rows.iter().filter(|r| keep(r.0)).map(|r| r.1).sum::<f64>() / total
    };
    let n = n_eff + 3.0;
    let p = (n_eff * weight(|s| s >= 9) + 0.75) / n;
    let d = (n_eff * weight(|s| s <= 6) + 0.75) / n;
    100.0 * ((p + d - (p - d).powi(2)) / n).sqrt()
}

/// Eight respondents with survey weights: (comment, score, weight).
const WEIGHTED: [(Option<&str>, f64, f64); 8] = [
    (Some("太贵了"), 3.0, 2.0),
    (Some("price too high, slow agent"), 6.0, 0.5),
    (Some("理赔太慢"), 8.0, 1.5),
    (Some("很好"), 10.0, 1.0),
    (Some("great"), 9.0, 3.0),
    (None, 10.0, 0.5),
    (Some("   "), 9.0, 2.0),
    (Some("Trop chers"), f64::NAN, 4.0), // mentions price; no score, so its weight is ignored
];

fn weighted_columns() -> (Vec<Option<&'static str>>, Vec<f64>, Vec<f64>) {
    (
        WEIGHTED.iter().map(|r| r.0).collect(),
        WEIGHTED.iter().map(|r| r.1).collect(),
        WEIGHTED.iter().map(|r| r.2).collect(),
    )
}

#[test]
fn weighted_topic_nps_and_impact_by_hand() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let (texts, scores, weights) = weighted_columns();
    let wald = TopicOptions {
        method: Method::Wald,
        ..TopicOptions::default()
    };
    let result = topics(&texts, &scores, Some(&weights), None, &taxonomy, &wald).unwrap();
    let g = &result.groups[0];
    // Counts stay counts.
    assert_eq!((g.responses, g.comments), (8, 6));
    let overall = g.overall.unwrap();
    assert!(overall.weighted);
    assert_eq!((overall.n, overall.n_missing), (7, 1));
    // W = 10.5: promoters 1 + 3 + 0.5 + 2 = 6.5, detractors 2 + 0.5 = 2.5.
    assert!((overall.nps - 100.0 * (6.5 - 2.5) / 10.5).abs() < 1e-12);

    let price = &g.topics[0];
    assert_eq!((price.mentions, price.share), (3, 0.5));
    let mine = [(3u8, 2.0), (6, 0.5)];
    let rest = [(8u8, 1.5), (10, 1.0), (9, 3.0), (10, 0.5), (9, 2.0)];
    let e = price.estimate.unwrap();
    assert!(e.weighted);
    assert_eq!((e.n, e.n_missing, e.nps), (2, 1, -100.0));
    assert!((e.n_eff - 2.5f64.powi(2) / (4.0 + 0.25)).abs() < 1e-12);
    assert_eq!(e.se, 0.0); // two detractors: s − m = 0 for both
    // The rest: 6.5 of 8 promoters, 1.5 passives.
    assert!((price.rest_nps.unwrap() - 81.25).abs() < 1e-12);
    assert!((weighted_nps(&rest) - 81.25).abs() < 1e-12);
    let impact = price.impact.unwrap();
    // (W_t/W)(NPS_t − NPS_rest) = (2.5/10.5)(−100 − 81.25) = NPS − NPS_rest.
    let value = 2.5 / 10.5 * (-100.0 - 81.25);
    assert!((impact.value - value).abs() < 1e-12);
    assert!((impact.value - (overall.nps - 81.25)).abs() < 1e-12);
    // Wald: the Taylor SEs of the two sides.
    let se = 2.5 / 10.5 * taylor_se(&mine).hypot(taylor_se(&rest));
    assert!(se > 0.0);
    assert!((impact.se - se).abs() < 1e-12, "{} vs {se}", impact.se);
    assert!((impact.low - (value - 1.959_963_984_540_054 * se)).abs() < 1e-9);
    assert!((impact.high - (value + 1.959_963_984_540_054 * se)).abs() < 1e-9);

    // Speed: "price too high, slow agent" (6, 0.5) and 理赔太慢 (8, 1.5).
    let speed = &g.topics[1];
    let mine_speed = [(6u8, 0.5), (8, 1.5)];
    let speed_e = speed.estimate.unwrap();
    assert!((speed_e.nps - weighted_nps(&mine_speed)).abs() < 1e-12); // −25
    assert!((speed_e.nps + 25.0).abs() < 1e-12);
    assert!((speed_e.se - taylor_se(&mine_speed)).abs() < 1e-12);

    // Adjusted Wald (the default): Rocks' SE on Kish's effective counts, for both sides.
    let adjusted = topics(
        &texts,
        &scores,
        Some(&weights),
        None,
        &taxonomy,
        &TopicOptions::default(),
    )
    .unwrap();
    let a = adjusted.groups[0].topics[0].impact.unwrap();
    assert!((a.value - value).abs() < 1e-12);
    let se = 2.5 / 10.5 * kish_adjusted_se(&mine).hypot(kish_adjusted_se(&rest));
    assert!((a.se - se).abs() < 1e-12, "{} vs {se}", a.se);
}

/// `weights[i]` copies of row i: the data a whole-number weight stands for.
fn repeated<T: Clone>(column: &[T], weights: &[f64]) -> Vec<T> {
    column
        .iter()
        .zip(weights)
        .flat_map(|(x, &w)| std::iter::repeat_n(x.clone(), w as usize))
        .collect()
}

/// The topics of the weighted rows, and of the rows repeated as the whole-number weights say.
fn weighted_and_repeated<S: AsRef<str> + Clone, T: ScoreValue + Clone>(
    texts: &[Option<S>],
    scores: &[T],
    weights: &[f64],
    group: &Dimension,
    method: Method,
) -> (TopicAnalysis, TopicAnalysis) {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let options = TopicOptions {
        method,
        ..TopicOptions::default()
    };
    let codes = repeated(group.codes(), weights);
    let copies_group = Dimension::new(group.name(), group.levels().to_vec(), codes).unwrap();
    let weighted = topics(
        texts,
        scores,
        Some(weights),
        Some(group),
        &taxonomy,
        &options,
    );
    let copies = topics(
        &repeated(texts, weights),
        &repeated(scores, weights),
        None,
        Some(&copies_group),
        &taxonomy,
        &options,
    );
    (weighted.unwrap(), copies.unwrap())
}

#[test]
fn whole_number_weights_are_repeated_rows() {
    let (texts, scores, touchpoint) = survey();
    let weights: Vec<f64> = (0..texts.len())
        .map(|i| f64::from(1 + (i as u32 * 5) % 4))
        .collect();
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    for method in [Method::AdjustedWald, Method::Wald] {
        let (weighted, copies) =
            weighted_and_repeated(&texts, &scores, &weights, &touchpoint, method);
        let options = TopicOptions {
            method,
            ..TopicOptions::default()
        };
        let plain = topics(
            &texts,
            &scores,
            None,
            Some(&touchpoint),
            &taxonomy,
            &options,
        )
        .unwrap();
        assert_eq!(weighted.groups.len(), copies.groups.len());
        for ((w, c), p) in weighted
            .groups
            .iter()
            .zip(&copies.groups)
            .zip(&plain.groups)
        {
            // Sums of whole numbers are exact: the same NPS to the last bit.
            assert_eq!(w.overall.unwrap().nps, c.overall.unwrap().nps);
            assert_eq!((w.responses, w.comments), (p.responses, p.comments));
            for ((wt, ct), pt) in w.topics.iter().zip(&c.topics).zip(&p.topics) {
                assert_eq!(wt.mentions, pt.mentions); // counts, not weights
                assert_eq!(
                    wt.estimate.map(|e| e.nps),
                    ct.estimate.map(|e| e.nps),
                    "{}",
                    wt.topic
                );
                assert_eq!(wt.rest_nps, ct.rest_nps);
                assert_eq!(wt.impact.map(|i| i.value), ct.impact.map(|i| i.value));
                assert!(wt.impact.is_some());
            }
        }
    }
}

#[test]
fn whole_number_weights_are_repeated_rows_in_small_groups() {
    // One price mentioner per group, of weight 2 and 1: each group's topic NPS rests on one
    // weighted answer.
    let texts = [
        Some("太贵了"),
        Some("price too high"),
        None,
        Some("很好"),
        Some("super"),
    ];
    let scores = [2u8, 5, 10, 9, 10];
    let weights = [2.0, 1.0, 3.0, 1.0, 2.0];
    let group = Dimension::from_values(
        "group",
        &[Some("A"), Some("B"), Some("A"), Some("A"), Some("B")],
    );
    for method in [Method::AdjustedWald, Method::Wald] {
        let (weighted, copies) = weighted_and_repeated(&texts, &scores, &weights, &group, method);
        for (w, c) in weighted.groups.iter().zip(&copies.groups) {
            assert_eq!(w.overall.map(|e| e.nps), c.overall.map(|e| e.nps));
            let (wt, ct) = (&w.topics[0], &c.topics[0]);
            assert_eq!(wt.estimate.map(|e| e.nps), ct.estimate.map(|e| e.nps));
            assert!(wt.estimate.is_some());
            assert_eq!(wt.rest_nps, ct.rest_nps);
            assert_eq!(wt.impact.map(|i| i.value), ct.impact.map(|i| i.value));
        }
    }
}

#[test]
fn unit_weights_are_unweighted() {
    let (texts, scores, touchpoint) = survey();
    let ones = vec![1.0; texts.len()];
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let options = TopicOptions::default(); // adjusted Wald
    let unit = topics(
        &texts,
        &scores,
        Some(&ones),
        Some(&touchpoint),
        &taxonomy,
        &options,
    );
    let plain = topics(
        &texts,
        &scores,
        None,
        Some(&touchpoint),
        &taxonomy,
        &options,
    )
    .unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let same = |u: &nps_core::Estimate, p: &nps_core::Estimate| {
        assert!(u.weighted && !p.weighted);
        assert_eq!((u.n, u.n_missing), (p.n, p.n_missing));
        assert_eq!((u.n_eff, u.design_effect), (p.n_eff, p.design_effect));
        assert_eq!(
            (u.nps, u.promoters, u.passives, u.detractors),
            (p.nps, p.promoters, p.passives, p.detractors)
        );
        // The interval comes from the effective counts, here the counts themselves.
        assert!(close(u.low, p.low) && close(u.high, p.high));
        // The Taylor SE of a weighted sample carries the with-replacement factor n/(n − 1).
        let n = p.n as f64;
        assert!(close(u.se, p.se * (n / (n - 1.0)).sqrt()));
    };
    for (u, p) in unit.unwrap().groups.iter().zip(&plain.groups) {
        same(&u.overall.unwrap(), &p.overall.unwrap());
        for (ut, pt) in u.topics.iter().zip(&p.topics) {
            assert_eq!((ut.mentions, ut.share), (pt.mentions, pt.share));
            same(&ut.estimate.unwrap(), &pt.estimate.unwrap());
            assert_eq!(ut.rest_nps, pt.rest_nps);
            let (ui, pi) = (ut.impact.unwrap(), pt.impact.unwrap());
            assert_eq!(ui.value, pi.value);
            assert!(close(ui.se, pi.se) && close(ui.low, pi.low) && close(ui.high, pi.high));
        }
    }
}

#[test]
fn weighted_sets_of_one_answer_or_no_weight() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let texts = [
        Some("太贵了"),
        Some("slow"),
        Some("很好"),
        Some("great"),
        None,
    ];
    let scores = [2u8, 5, 10, 9, 8];
    // The one price mentioner weighs 0; the one speed mentioner weighs 3.
    let weights = [0.0, 3.0, 1.0, 2.0, 1.0];
    let rest = [(2u8, 0.0), (10, 1.0), (9, 2.0), (8, 1.0)];
    for method in [Method::AdjustedWald, Method::Wald] {
        let options = TopicOptions {
            method,
            ..TopicOptions::default()
        };
        let result = topics(&texts, &scores, Some(&weights), None, &taxonomy, &options).unwrap();
        let g = &result.groups[0];
        let (price, speed) = (&g.topics[0], &g.topics[1]);
        // No weight, no NPS: the rest is everyone.
        assert_eq!(price.mentions, 1);
        assert!(price.estimate.is_none() && price.impact.is_none());
        assert_eq!(price.rest_nps, g.overall.map(|e| e.nps));
        // One weighted answer: its weight cancels, so it is the unweighted answer (NPS -100,
        // n_eff 1, SE 0), as the same answer repeated 3 times has NPS -100 too.
        let e = speed.estimate.unwrap();
        let plain = Tally::from_scores(&[5u8])
            .unwrap()
            .estimate(method, 0.95)
            .unwrap();
        assert!(e.weighted && !plain.weighted);
        assert_eq!(
            nps_core::Estimate {
                weighted: false,
                ..e
            },
            plain
        );
        assert_eq!((e.nps, e.se, e.n_eff), (-100.0, 0.0, 1.0));
        assert!((speed.rest_nps.unwrap() - 75.0).abs() < 1e-12);
        let impact = speed.impact.unwrap();
        // (3/7)(−100 − 75)
        assert!((impact.value - 3.0 / 7.0 * (-100.0 - 75.0)).abs() < 1e-12);
        let se_rest = match method {
            Method::Wald => taylor_se(&rest),
            _ => kish_adjusted_se(&rest),
        };
        let se_one = match method {
            Method::Wald => 0.0,
            _ => kish_adjusted_se(&[(5, 3.0)]),
        };
        assert!((impact.se - 3.0 / 7.0 * se_one.hypot(se_rest)).abs() < 1e-12);
    }
}

#[test]
fn bad_weights_are_named() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let (texts, scores, weights) = weighted_columns();
    let o = TopicOptions::default();
    let run = |w: &[f64]| topics(&texts, &scores, Some(w), None, &taxonomy, &o).unwrap_err();
    match run(&weights[..7]) {
        Error::LengthMismatch {
            field,
            found,
            other,
            expected,
        } => assert_eq!(
            (field.as_str(), found, other.as_str(), expected),
            ("weights", 7, "scores", 8)
        ),
        e => panic!("{e:?}"),
    }
    for (at, bad) in [(2, f64::NAN), (5, -1.0), (0, f64::INFINITY), (7, -0.5)] {
        let mut w = weights.clone();
        w[at] = bad;
        match run(&w) {
            Error::InvalidWeight { index, value } => {
                assert_eq!(index, at);
                assert!(value.is_nan() == bad.is_nan() && (bad.is_nan() || value == bad));
            }
            e => panic!("{e:?}"),
        }
    }
    // The first bad one is named.
    let mut w = weights.clone();
    w[6] = -2.0;
    w[3] = f64::NAN;
    assert!(matches!(run(&w), Error::InvalidWeight { index: 3, .. }));
    // Weights that are all zero for the answered scores leave no NPS at all.
    let mut w = vec![0.0; 8];
    w[7] = 4.0; // the unanswered respondent's weight does not count
    assert_eq!(run(&w), Error::ZeroTotalWeight { n: 7 });
    // A bad score is still found first.
    let mut bad_score = scores.clone();
    bad_score[4] = 11.0;
    let err = topics(
        &texts,
        &bad_score,
        Some(&[f64::NAN; 8]),
        None,
        &taxonomy,
        &o,
    )
    .unwrap_err();
    assert!(matches!(err, Error::InvalidScore { index: 4, .. }), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With weights: the weighted NPS of mentioners and rest, impact = overall − rest, and its
    /// Wald SE (W_t/W)·√(SE_t² + SE_rest²) with Taylor SEs, all from the rows.
    #[test]
    fn weighted_topic_impact_identities(
        r in rows(),
        w in prop::collection::vec(prop_oneof![Just(0.0), 0.1f64..5.0], 200),
    ) {
        prop_assume!(r.iter().any(|row| POOL[row.1].0.is_some_and(|t| !t.trim().is_empty())));
        let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
        let texts: Vec<Option<&str>> = r.iter().map(|row| POOL[row.1].0).collect();
        let scores: Vec<f64> = r.iter().map(|row| row.0.map_or(f64::NAN, f64::from)).collect();
        let weights = &w[..r.len()];
        let answered: Vec<(u8, f64)> =
            r.iter().zip(weights).filter_map(|(row, &w)| row.0.map(|s| (s, w))).collect();
        let total: f64 = answered.iter().map(|a| a.1).sum();
        let options = TopicOptions { method: Method::Wald, ..TopicOptions::default() };
        let result = topics(&texts, &scores, Some(weights), None, &taxonomy, &options);
        if !answered.is_empty() && total == 0.0 {
            let zero = matches!(result, Err(Error::ZeroTotalWeight { .. }));
            prop_assert!(zero, "{:?}", result);
            return Ok(());
        }
        let result = result.unwrap();
        let group = &result.groups[0];
        for (t, row) in group.topics.iter().enumerate() {
            let side = |mention: bool| -> Vec<(u8, f64)> {
                r.iter()
                    .zip(weights)
                    .filter(|(row, _)| POOL[row.1].1[t] == mention)
                    .filter_map(|(row, &w)| row.0.map(|s| (s, w)))
                    .collect()
            };
            let (mine, rest) = (side(true), side(false));
            let weight = |rows: &[(u8, f64)]| rows.iter().map(|a| a.1).sum::<f64>();
            // One answer is read unweighted: SE 0.
            let se = |rows: &[(u8, f64)]| if rows.len() > 1 { taylor_se(rows) } else { 0.0 };
            prop_assert_eq!(row.estimate.is_some(), weight(&mine) > 0.0);
            if let Some(e) = row.estimate {
                prop_assert!(e.weighted);
                prop_assert!((e.nps - weighted_nps(&mine)).abs() < 1e-9);
                prop_assert!((e.se - se(&mine)).abs() < 1e-9);
            }
            prop_assert_eq!(row.rest_nps.is_some(), weight(&rest) > 0.0);
            prop_assert_eq!(row.impact.is_some(), weight(&mine) > 0.0 && weight(&rest) > 0.0);
            if let Some(impact) = row.impact {
                let overall = group.overall.unwrap().nps;
                let rest_nps = row.rest_nps.unwrap();
                prop_assert!((rest_nps - weighted_nps(&rest)).abs() < 1e-9);
                prop_assert!((impact.value - (overall - rest_nps)).abs() < 1e-9);
                let share = weight(&mine) / total;
                let value = share * (weighted_nps(&mine) - weighted_nps(&rest));
                prop_assert!((impact.value - value).abs() < 1e-9);
                let expected = share * se(&mine).hypot(se(&rest));
                prop_assert!((impact.se - expected).abs() < 1e-9);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Indicators and drivers

#[test]
fn indicators_are_one_zero_or_nan() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let texts: Vec<Option<&str>> = POOL.iter().map(|p| p.0).collect();
    let ind = topic_indicators(&texts, &taxonomy).unwrap();
    assert_eq!(ind.topics, ["price", "speed", "staff"]);
    for (i, (text, expected)) in POOL.iter().enumerate() {
        let blank = text.is_none_or(|t| t.trim().is_empty());
        for (t, (column, &mentioned)) in ind.columns.iter().zip(expected).enumerate() {
            let v = column[i];
            if blank {
                assert!(v.is_nan(), "comment {i}, topic {t}");
            } else {
                assert_eq!(v, f64::from(u8::from(mentioned)), "comment {i}, topic {t}");
            }
        }
    }
}

#[test]
fn topic_drivers_enter_the_driver_analysis() {
    let (texts, scores, _) = survey();
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let mut table = Table::new(&scores).unwrap();
    let names = add_topic_drivers(&mut table, &texts, &taxonomy, "topic:").unwrap();
    assert_eq!(names, ["topic:price", "topic:speed", "topic:staff"]);
    assert_eq!(table.drivers().len(), 3);
    let result = drivers(&table, &DriverOptions::default()).unwrap();
    // Listwise: the rows with an answered score and a comment with text.
    let expected = (0..texts.len())
        .filter(|&i| {
            !scores[i].is_nan() && texts[i].as_deref().is_some_and(|t| !t.trim().is_empty())
        })
        .count() as u64;
    assert_eq!(result.n, expected);
    // Adding again clashes on the names and adds nothing.
    let err = add_topic_drivers(&mut table, &texts, &taxonomy, "topic:").unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                field: "column name",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(table.drivers().len(), 3);
    // Another prefix is fine; a table of another length is not.
    add_topic_drivers(&mut table, &texts, &taxonomy, "t2:").unwrap();
    let err =
        add_topic_drivers(&mut Table::new(&[1u8, 2]).unwrap(), &texts, &taxonomy, "").unwrap_err();
    assert!(matches!(err, Error::LengthMismatch { .. }), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Bad input

fn policy_error(result: Result<Taxonomy, Error>) -> (&'static str, String, String) {
    match result {
        Err(Error::InvalidPolicy {
            kind,
            name,
            problem,
        }) => (kind, name, problem),
        other => panic!("expected InvalidPolicy, got {other:?}"),
    }
}

#[test]
fn bad_taxonomies_are_invalid_policies() {
    let (kind, name, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "price", "patterns": ["(cher"]}]}"#,
    ));
    assert_eq!((kind, name.as_str()), ("topic", "price"));
    assert!(
        problem.contains("(cher") && problem.contains("does not compile"),
        "{problem}"
    );

    let (kind, name, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "price", "keywords": ["a"]}, {"name": "speed", "keywords": ["b"]},
                      {"name": "price", "keywords": ["c"]}]}"#,
    ));
    assert_eq!((kind, name.as_str()), ("topic", "price"));
    assert!(
        problem.contains("twice") && problem.contains("#1 and #3"),
        "{problem}"
    );

    let (kind, name, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "price", "keywords": ["a"], "colour": "red"}]}"#,
    ));
    assert_eq!((kind, name.as_str()), ("taxonomy", "json"));
    assert!(
        problem.contains("unknown field") && problem.contains("colour"),
        "{problem}"
    );
    let (kind, _, problem) = policy_error(Taxonomy::from_json(r#"{"topics": [], "version": 2}"#));
    assert_eq!(kind, "taxonomy");
    assert!(problem.contains("version"), "{problem}");
    let (kind, _, _) = policy_error(Taxonomy::from_json("not json"));
    assert_eq!(kind, "taxonomy");

    let (kind, name, problem) =
        policy_error(Taxonomy::from_json(r#"{"topics": [{"name": "empty"}]}"#));
    assert_eq!((kind, name.as_str()), ("topic", "empty"));
    assert!(problem.contains("no keyword and no pattern"), "{problem}");

    let (_, name, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "ok", "keywords": ["x"]}, {"name": " ", "keywords": ["y"]}]}"#,
    ));
    assert_eq!(name, "#2");
    assert!(problem.contains("empty name"), "{problem}");

    let (_, name, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "price", "keywords": ["price", "  "]}]}"#,
    ));
    assert_eq!(name, "price");
    assert!(problem.contains("empty keyword (keyword #2)"), "{problem}");

    let (_, _, problem) = policy_error(Taxonomy::from_json(
        r#"{"topics": [{"name": "all", "patterns": [""]}]}"#,
    ));
    assert!(problem.contains("empty pattern"), "{problem}");

    let (kind, _, problem) = policy_error(Taxonomy::new(vec![]));
    assert_eq!(kind, "taxonomy");
    assert!(problem.contains("at least one topic"), "{problem}");

    // The same rules apply to a taxonomy deserialized as part of something else.
    assert!(serde_json::from_str::<Taxonomy>(r#"{"topics": [{"name": "x"}]}"#).is_err());
    let ok = Taxonomy::new(vec![Topic {
        name: "x".into(),
        keywords: vec!["x".into()],
        patterns: vec![],
    }]);
    assert!(ok.is_ok());
}

fn no_text_error(err: Error) {
    match err {
        Error::InvalidText {
            field,
            index,
            problem,
        } => {
            assert_eq!((field, index), ("comment", 0));
            assert!(problem.contains("at least one"), "{problem}");
        }
        other => panic!("expected InvalidText, got {other:?}"),
    }
}

#[test]
fn an_analysis_without_any_comment_is_an_error() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let blank = [None, Some(""), Some(" \n\u{3000}")];
    let scores = [1u8, 9, 10];
    let o = WordOptions::default();
    no_text_error(distinctive_words(&blank, &scores, None, &o).unwrap_err());
    no_text_error(
        topics(
            &blank,
            &scores,
            None,
            None,
            &taxonomy,
            &TopicOptions::default(),
        )
        .unwrap_err(),
    );
    no_text_error(topic_indicators(&blank, &taxonomy).unwrap_err());
    let mut table = Table::new(&scores).unwrap();
    no_text_error(add_topic_drivers(&mut table, &blank, &taxonomy, "").unwrap_err());
    assert!(table.drivers().is_empty());
    let none: [Option<&str>; 0] = [];
    let err = distinctive_words(&none, &[0u8; 0], None, &o).unwrap_err();
    assert!(err.to_string().contains("no comment was given"), "{err}");
    // Tokenizing is not an analysis: blank comments simply have no words.
    assert!(
        tokenize(&blank, &TokenizeOptions::default())
            .words
            .is_empty()
    );
}

#[test]
fn other_bad_input_is_named() {
    let taxonomy = Taxonomy::from_json(TAXONOMY).unwrap();
    let texts = [Some("slow"), Some("贵")];
    let o = WordOptions::default();
    let t = TopicOptions::default();
    match distinctive_words(&texts, &[1u8], None, &o).unwrap_err() {
        Error::LengthMismatch {
            field,
            found,
            other,
            expected,
        } => {
            assert_eq!(
                (field.as_str(), found, other.as_str(), expected),
                ("scores", 1, "comments", 2)
            );
        }
        e => panic!("{e:?}"),
    }
    let dim = Dimension::from_values("touchpoint", &[Some("app")]);
    match topics(&texts, &[1u8, 2], None, Some(&dim), &taxonomy, &t).unwrap_err() {
        Error::LengthMismatch { field, .. } => assert_eq!(field, "touchpoint"),
        e => panic!("{e:?}"),
    }
    match topics(&texts, &[1.0, 11.0], None, None, &taxonomy, &t).unwrap_err() {
        Error::InvalidScore { index, .. } => assert_eq!(index, 1),
        e => panic!("{e:?}"),
    }
    let bad_alpha = WordOptions {
        alpha0: -1.0,
        ..WordOptions::default()
    };
    assert!(matches!(
        distinctive_words(&texts, &[1u8, 2], None, &bad_alpha).unwrap_err(),
        Error::InvalidArgument {
            field: "alpha0",
            ..
        }
    ));
    let bad_level = TopicOptions {
        level: 1.5,
        ..TopicOptions::default()
    };
    assert!(matches!(
        topics(&texts, &[1u8, 2], None, None, &taxonomy, &bad_level).unwrap_err(),
        Error::InvalidLevel(_)
    ));
    // Unknown option fields and names are refused too.
    assert!(serde_json::from_str::<WordOptions>(r#"{"alpha": 5}"#).is_err());
    assert!(serde_json::from_str::<TokenizeOptions>(r#"{"stop_words": ["de"]}"#).is_err());
    assert!(matches!(
        Language::from_name("de"),
        Err(Error::UnknownMethod { .. })
    ));
    assert!(matches!(
        Utf8Policy::from_name("ignore"),
        Err(Error::UnknownMethod { .. })
    ));
}
