//! Comments (issue 6): a year of comments read on one core.
//!
//! Target: tokenizing and scoring 10⁶ short comments (about 40 characters, half French, half
//! Chinese, generated deterministically) — distinctive words of detractors against promoters
//! plus a 10-topic taxonomy — under 10 s on one core. The comments are generated once,
//! outside the timing; the jieba dictionary is loaded before timing starts (a one-off quarter
//! of a second per process).

use criterion::{Criterion, criterion_group, criterion_main};
use nps_core::{
    Dimension, Taxonomy, TokenizeOptions, TopicOptions, WordOptions, distinctive_words, tokenize,
    topics,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

const N: usize = 1_000_000;

const FRENCH: [&str; 24] = [
    "l'accueil était très agréable",
    "trop cher pour ce que c'est",
    "conseiller au téléphone très patient",
    "attente interminable au guichet",
    "le remboursement a pris trois semaines",
    "application qui plante souvent",
    "personne ne rappelle jamais",
    "tarifs en hausse chaque année",
    "service rapide et efficace",
    "dossier perdu deux fois",
    "merci pour votre réactivité",
    "l'agence est fermée le samedi",
    "site internet difficile à utiliser",
    "bon suivi de mon sinistre",
    "frais cachés sur le contrat",
    "interlocuteur compétent et poli",
    "délais de traitement trop longs",
    "je recommande sans hésiter",
    "impossible de joindre le service client",
    "prix corrects, équipe sympathique",
    "résiliation compliquée",
    "expert venu rapidement",
    "cotisation chère",
    "très satisfait du conseiller",
];

const CHINESE: [&str; 24] = [
    "理赔速度太慢了",
    "客服态度很好",
    "价格有点贵",
    "保费每年都涨",
    "电话一直打不通",
    "等了半个小时没人接电话",
    "空中客服帮我解决了问题",
    "续期交费很方便",
    "APP经常闪退",
    "柜台服务人员很耐心",
    "排队时间太长",
    "保单借款额度不够",
    "业务员推销太频繁",
    "理赔材料要求太多",
    "线上办理很方便",
    "回访及时",
    "条款看不懂",
    "退保手续太复杂",
    "服务周到，值得推荐",
    "短信通知太多了",
    "理赔到账很快",
    "网点太少",
    "客服专业耐心",
    "手续简单",
];

/// About 40 characters: fragments of one language joined while the comment stays within 50.
fn comment(rng: &mut StdRng) -> String {
    let french = rng.random_range(0..2) == 0;
    let (pool, sep) = if french {
        (&FRENCH[..], ", ")
    } else {
        (&CHINESE[..], "，")
    };
    let mut s = String::new();
    loop {
        let next = pool[rng.random_range(0..pool.len())];
        let len = s.chars().count() + sep.chars().count() + next.chars().count();
        if !s.is_empty() && len > 50 {
            return s;
        }
        if !s.is_empty() {
            s.push_str(sep);
        }
        s.push_str(next);
    }
}

const TAXONOMY: &str = r#"{"topics": [
  {"name": "price", "keywords": ["prix", "tarif", "tarifs", "cotisation", "价格", "贵", "保费"], "patterns": ["\\bch[eè]r(e|s)?\\b"]},
  {"name": "claims", "keywords": ["remboursement", "sinistre", "expert", "理赔"]},
  {"name": "waiting", "keywords": ["attente", "délais", "longs", "排队", "等了", "太慢"]},
  {"name": "phone", "keywords": ["téléphone", "joindre", "rappelle", "电话", "打不通"]},
  {"name": "staff", "keywords": ["conseiller", "interlocuteur", "équipe", "客服", "业务员", "服务人员"]},
  {"name": "app", "keywords": ["application", "site internet", "app", "线上"], "patterns": ["闪退|plante"]},
  {"name": "paperwork", "keywords": ["dossier", "résiliation", "contrat", "手续", "材料", "条款"]},
  {"name": "branch", "keywords": ["agence", "guichet", "柜台", "网点"]},
  {"name": "speed", "keywords": ["rapide", "rapidement", "réactivité", "很快", "及时"]},
  {"name": "praise", "keywords": ["merci", "recommande", "satisfait", "推荐", "方便"], "patterns": ["\\btr[eè]s (agréable|satisfait)\\b"]}
]}"#;

fn comments(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(6);
    let texts: Vec<Option<String>> = (0..N).map(|_| Some(comment(&mut rng))).collect();
    let scores: Vec<u8> = (0..N).map(|_| rng.random_range(0..=10u8)).collect();
    let touchpoint = Dimension::new(
        "touchpoint",
        (0..8).map(|t| format!("tp{t}")).collect(),
        (0..N).map(|_| rng.random_range(0..8u32)).collect(),
    )
    .expect("valid codes");
    // Survey weights of a relationship programme, 0.5 to 2, drawn last so the other columns
    // stay what they were.
    let weights: Vec<f64> = (0..N).map(|_| rng.random_range(0.5..2.0)).collect();
    let chars: usize = texts.iter().flatten().map(|t| t.chars().count()).sum();
    println!(
        "{N} comments, {:.1} characters on average",
        chars as f64 / N as f64
    );
    let taxonomy = Taxonomy::from_json(TAXONOMY).expect("valid taxonomy");
    let words = WordOptions::default();
    let topic_options = TopicOptions::default();
    // Load jieba's dictionary outside the timing.
    tokenize(&[Some("理赔")], &TokenizeOptions::default());

    let mut group = c.benchmark_group("comments");
    group.sample_size(10);
    group.bench_function("tokenize 1e6", |b| {
        b.iter(|| tokenize(black_box(&texts), &TokenizeOptions::default()))
    });
    group.bench_function("distinctive words 1e6", |b| {
        b.iter(|| distinctive_words(black_box(&texts), &scores, None, &words).expect("words"))
    });
    group.bench_function("topics 1e6 x 10", |b| {
        b.iter(|| {
            topics(
                black_box(&texts),
                &scores,
                None,
                None,
                &taxonomy,
                &topic_options,
            )
            .expect("topics")
        })
    });
    group.bench_function("topics 1e6 x 10, weighted", |b| {
        b.iter(|| {
            topics(
                black_box(&texts),
                &scores,
                Some(&weights),
                None,
                &taxonomy,
                &topic_options,
            )
            .expect("topics")
        })
    });
    group.bench_function("distinctive words + 10 topics 1e6 (target < 10 s)", |b| {
        b.iter(|| {
            let w = distinctive_words(black_box(&texts), &scores, None, &words).expect("words");
            let t = topics(&texts, &scores, None, None, &taxonomy, &topic_options).expect("topics");
            (w, t)
        })
    });
    group.bench_function("distinctive words + 10 topics 1e6, by 8 touchpoints", |b| {
        b.iter(|| {
            let w = distinctive_words(black_box(&texts), &scores, Some(&touchpoint), &words)
                .expect("words");
            let t = topics(
                &texts,
                &scores,
                None,
                Some(&touchpoint),
                &taxonomy,
                &topic_options,
            )
            .expect("topics");
            (w, t)
        })
    });
    group.finish();
}

criterion_group!(benches, comments);
criterion_main!(benches);
