//! Alert evaluation over a large batch.
//!
//! Target (closed loop, issue 6): batch evaluation of 10⁶ responses with a realistic policy
//! (7 rules: crisis keywords, a comment pattern, score range, category, drop, customer value,
//! touchpoints) at ≥ 1 million responses per second on one core. 30 % of the rows carry a
//! 40-character comment (Chinese or Latin; 5 % of the comments with a crisis keyword or a refund
//! phrase); scores 20 % detractors, 30 % passives; 200,000 customers over 30 days, so repeat
//! alerts merge inside the 24-hour window. The queue's drop is inside the timing. The columns are built once, outside the timing. The stream
//! (`Alerter::push`) is timed on the same rows.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nps_core::{Alerter, Dimension, Policy, Response, Responses, evaluate};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::hint::black_box;

const N: usize = 1_000_000;
const CUSTOMERS: u32 = 200_000;

const POLICY: &str = r#"{
  "merge_window_hours": 24,
  "departments": {"claims": "理赔部", "call_centre": "客服中心", "app": "数字渠道", "branch": "网点"},
  "default_owner": "客户体验部",
  "rules": [
    {"name": "crisis", "when": {"keywords": ["投诉", "媒体", "律师", "曝光", "监管", "lawyer", "complaint", "regulator", "lawsuit", "fraud"]},
     "priority": 1, "owner": "危机处理小组", "service_level_hours": 2},
    {"name": "vip_detractor", "when": {"category": ["detractor"], "min_value": 50000}, "priority": 1, "service_level_hours": 4},
    {"name": "sharp_drop", "when": {"drop": 4}, "priority": 2, "service_level_hours": 12},
    {"name": "claims_low", "when": {"touchpoints": ["claims", "call_centre"], "score": {"max": 4}}, "priority": 2, "service_level_hours": 24},
    {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 3, "service_level_hours": 24},
    {"name": "refund", "when": {"score": {"max": 8}, "pattern": "(?i)refund|退[款费]|cancel"}, "priority": 3, "service_level_hours": 48},
    {"name": "passive_vip", "when": {"category": ["passive"], "min_value": 200000}, "priority": 4, "service_level_hours": 72}
  ]
}"#;

const ZH: &[&str] = &[
    "理赔", "速度", "太慢", "服务", "态度", "很好", "客服", "电话", "等待", "时间", "流程", "复杂",
    "满意", "一般", "保单", "续期", "交费", "方便", "系统", "问题", "退保", "收费",
];
#[rustfmt::skip]
const EN: &[&str] = &[
    "the", "claim", "was", "slow", "agent", "very", "helpful", "app", "crashed", "waited", "long",
    "on", "phone", "great", "service", "price", "too", "high", "renew", "policy", "thanks",
];
/// Phrases that trip the crisis keywords or the refund pattern, put into 5 % of the comments.
#[rustfmt::skip]
const ALARMS: &[&str] = &[
    "我要投诉", "找媒体曝光", "要求退款", "找律师", "file a complaint", "my lawyer",
    "want a refund", "cancel it",
];

/// A comment of 40 characters, Chinese or Latin; 5 % of them alarming.
fn comment(rng: &mut StdRng) -> String {
    let mut s = String::new();
    if rng.random_bool(0.05) {
        s.push_str(ALARMS[rng.random_range(0..ALARMS.len())]);
    }
    if rng.random_bool(0.5) {
        while s.chars().count() < 40 {
            s.push_str(ZH[rng.random_range(0..ZH.len())]);
        }
    } else {
        while s.chars().count() < 40 {
            s.push_str(EN[rng.random_range(0..EN.len())]);
            s.push(' ');
        }
    }
    s.chars().take(40).collect()
}

struct Data {
    at: Vec<i64>,
    customers: Dimension,
    touchpoints: Dimension,
    scores: Vec<u8>,
    previous: Vec<f64>,
    value: Vec<f64>,
    comments: Vec<Option<String>>,
}

fn data() -> Data {
    let mut rng = StdRng::seed_from_u64(6);
    let start = 1_700_000_000i64;
    let mut at: Vec<i64> = (0..N)
        .map(|_| start + rng.random_range(0..30 * 86_400))
        .collect();
    at.sort_unstable();
    let customer_names = (0..CUSTOMERS).map(|c| format!("C{c:07}")).collect();
    let customer_codes: Vec<u32> = (0..N).map(|_| rng.random_range(0..CUSTOMERS)).collect();
    let customer_values: Vec<f64> = (0..CUSTOMERS)
        .map(|_| rng.random_range(0.0..1.0f64).powi(4) * 500_000.0)
        .collect();
    let tps = [
        "claims",
        "call_centre",
        "app",
        "branch",
        "web",
        "mail",
        "agent",
        "renewal",
    ];
    let touchpoints = Dimension::new(
        "touchpoint",
        tps.iter().map(|t| t.to_string()).collect(),
        (0..N)
            .map(|_| rng.random_range(0..tps.len() as u32))
            .collect(),
    )
    .expect("valid codes");
    // About 50 % promoters, 30 % passives, 20 % detractors.
    let scores: Vec<u8> = (0..N)
        .map(|_| match rng.random_range(0..100) {
            0..20 => rng.random_range(0..=6),
            20..50 => rng.random_range(7..=8),
            _ => rng.random_range(9..=10),
        })
        .collect();
    let previous: Vec<f64> = (0..N)
        .map(|_| {
            if rng.random_bool(0.5) {
                f64::from(rng.random_range(0..=10u8))
            } else {
                f64::NAN
            }
        })
        .collect();
    let value = customer_codes
        .iter()
        .map(|&c| customer_values[c as usize])
        .collect();
    let comments = (0..N)
        .map(|_| rng.random_bool(0.3).then(|| comment(&mut rng)))
        .collect();
    Data {
        at,
        customers: Dimension::new("customer", customer_names, customer_codes).expect("valid"),
        touchpoints,
        scores,
        previous,
        value,
        comments,
    }
}

fn alerts(c: &mut Criterion) {
    let policy = Policy::from_json(POLICY).expect("valid policy");
    let d = data();
    let comments: Vec<Option<&str>> = d.comments.iter().map(|c| c.as_deref()).collect();
    let batch = Responses::new(&d.at, &d.customers, &d.touchpoints, &d.scores)
        .with_previous(&d.previous)
        .with_value(&d.value)
        .with_comments(&comments);
    let queue = evaluate(&policy, &batch).expect("valid batch");
    let merged: usize = queue.alerts().iter().map(|a| a.merged()).sum();
    eprintln!(
        "alerts: {} alerts from {N} responses ({merged} responses alerted, {:.1} % with a comment)",
        queue.len(),
        100.0 * comments.iter().filter(|c| c.is_some()).count() as f64 / N as f64
    );

    let mut group = c.benchmark_group("alerts");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("evaluate 1e6 responses, 7 rules, 30% comments", |b| {
        b.iter(|| evaluate(black_box(&policy), black_box(&batch)).expect("valid"))
    });
    group.bench_function("Alerter::push 1e6 responses, 7 rules, 30% comments", |b| {
        b.iter(|| {
            let mut alerter = Alerter::new(policy.clone());
            let mut fired = 0usize;
            for (i, &comment) in comments.iter().enumerate() {
                let response = Response {
                    at: d.at[i],
                    customer: d.customers.value(i).expect("customer"),
                    touchpoint: d.touchpoints.value(i),
                    score: Some(d.scores[i]),
                    previous: Some(d.previous[i]).filter(|p| !p.is_nan()).map(|p| p as u8),
                    value: Some(d.value[i]),
                    comment,
                };
                fired += usize::from(alerter.push(&response).expect("valid").is_some());
            }
            fired
        })
    });
    group.finish();
}

criterion_group!(benches, alerts);
criterion_main!(benches);
