//! Alerts and the closed loop (闭环): every rule kind on hand-made responses, owners, merging
//! inside and outside the window, queue order, stream == batch (proptest), call-back outcomes
//! computed by hand, and every bad input.

use std::collections::BTreeMap;

use nps_core::{
    Alert, AlertUpdate, Alerter, Callback, Callbacks, Conditions, Dimension, Error, NOT_CONTACTED,
    Policy, PolicySpec, Queue, Response, Responses, Rule, Scale, ScoreRange, evaluate, outcomes,
};
use proptest::prelude::*;

const HOUR: i64 = 3_600;

/// z_{0.975}.
const Z975: f64 = 1.959_963_984_540_054;

/// The Wilson (1927) interval, written out independently of the crate.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let p = k / n;
    let z2 = Z975 * Z975;
    let d = 1.0 + z2 / n;
    let c = (p + z2 / (2.0 * n)) / d;
    let h = Z975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / d;
    ((c - h).max(0.0), (c + h).min(1.0))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// A policy with one rule (owner "O", priority 1, service level 24 h) on `when` (JSON).
fn one_rule(when: &str) -> Policy {
    Policy::from_json(&format!(
        r#"{{"rules": [{{"name": "r", "when": {when}, "priority": 1, "owner": "O",
            "service_level_hours": 24}}]}}"#
    ))
    .unwrap()
}

/// One response per row for customers c0, c1, … (all distinct, so nothing merges), all at
/// time 0 unless `at` is given.
#[derive(Default)]
struct Rows {
    scores: Vec<f64>,
    touchpoints: Vec<Option<&'static str>>,
    previous: Vec<f64>,
    value: Vec<f64>,
    comments: Vec<Option<&'static str>>,
    customers: Vec<String>,
    at: Vec<i64>,
}

impl Rows {
    fn scores(scores: &[f64]) -> Rows {
        let n = scores.len();
        Rows {
            scores: scores.to_vec(),
            touchpoints: vec![Some("app"); n],
            previous: vec![f64::NAN; n],
            value: vec![f64::NAN; n],
            comments: vec![None; n],
            customers: (0..n).map(|i| format!("c{i}")).collect(),
            at: vec![0; n],
        }
    }

    /// The row positions of the alerts raised, sorted.
    fn fired(&self, policy: &Policy) -> Vec<u64> {
        let mut rows: Vec<u64> = self
            .evaluate(policy)
            .unwrap()
            .alerts()
            .iter()
            .flat_map(|a| a.responses.clone())
            .collect();
        rows.sort();
        rows
    }

    fn evaluate(&self, policy: &Policy) -> Result<Queue, Error> {
        let customers: Vec<Option<&str>> =
            self.customers.iter().map(|c| Some(c.as_str())).collect();
        let customers = Dimension::from_values("customer", &customers);
        let touchpoints = Dimension::from_values("touchpoint", &self.touchpoints);
        let batch = Responses::new(&self.at, &customers, &touchpoints, &self.scores)
            .with_previous(&self.previous)
            .with_value(&self.value)
            .with_comments(&self.comments);
        evaluate(policy, &batch)
    }
}

// ---------------------------------------------------------------------------------------------
// Each rule kind, by hand.

#[test]
fn touchpoint_rule() {
    let policy = one_rule(r#"{"touchpoints": ["claims", "branch"]}"#);
    let mut rows = Rows::scores(&[3.0, 3.0, 10.0, f64::NAN, 3.0]);
    rows.touchpoints = vec![
        Some("claims"),
        Some("app"),
        Some("branch"),
        Some("claims"),
        None,
    ];
    // Rows 0, 2 and 3 are at a listed touchpoint (whatever the score, even missing); row 4 has
    // no touchpoint.
    assert_eq!(rows.fired(&policy), [0, 2, 3]);
}

#[test]
fn score_range_rule() {
    let policy = one_rule(r#"{"score": {"min": 3, "max": 6}}"#);
    let rows = Rows::scores(&[2.0, 3.0, 6.0, 7.0, f64::NAN, 10.0, 0.0, 4.0]);
    assert_eq!(rows.fired(&policy), [1, 2, 7]);
    // Open ends.
    let max_only = one_rule(r#"{"score": {"max": 6}}"#);
    assert_eq!(rows.fired(&max_only), [0, 1, 2, 6, 7]);
    let any = one_rule(r#"{"score": {}}"#);
    assert_eq!(rows.fired(&any), [0, 1, 2, 3, 5, 6, 7]); // every answered score
}

#[test]
fn category_rule() {
    let rows = Rows::scores(&[0.0, 6.0, 7.0, 8.0, 9.0, 10.0, f64::NAN]);
    assert_eq!(
        rows.fired(&one_rule(r#"{"category": ["passive"]}"#)),
        [2, 3]
    );
    assert_eq!(
        rows.fired(&one_rule(r#"{"category": ["detractor"]}"#)),
        [0, 1]
    );
    assert_eq!(
        rows.fired(&one_rule(r#"{"category": ["detractor", "promoter"]}"#)),
        [0, 1, 4, 5]
    );
    // Categories follow the policy's scale: with detractors 0–4, a 6 is a passive.
    let five = Policy::from_json(
        r#"{"scale": {"min": 0, "max": 10, "detractor_max": 4, "promoter_min": 8},
            "rules": [{"name": "d", "when": {"category": ["detractor"]}, "priority": 1,
                       "owner": "O", "service_level_hours": 1}]}"#,
    )
    .unwrap();
    assert_eq!(rows.fired(&five), [0]);
}

#[test]
fn drop_rule() {
    let policy = one_rule(r#"{"drop": 3}"#);
    let mut rows = Rows::scores(&[6.0, 7.0, 0.0, 5.0, f64::NAN, 9.0]);
    rows.previous = vec![9.0, 9.0, 3.0, f64::NAN, 10.0, 10.0];
    // 9−6 = 3 ≥ 3 fires; 9−7 = 2 does not; 3−0 = 3 fires; no previous; no score; a 10 → 9 drop
    // of 1 does not.
    assert_eq!(rows.fired(&policy), [0, 2]);
}

#[test]
fn customer_value_rule() {
    let policy = one_rule(r#"{"min_value": 1000, "score": {"max": 8}}"#);
    let mut rows = Rows::scores(&[5.0, 5.0, 5.0, 9.0, 8.0]);
    rows.value = vec![1000.0, 999.99, f64::NAN, 5000.0, 1e6];
    // Value ≥ 1000 and score ≤ 8: rows 0 and 4 (row 3 is a 9).
    assert_eq!(rows.fired(&policy), [0, 4]);
}

#[test]
fn keyword_rule_chinese_and_latin_case_insensitive() {
    let policy = one_rule(r#"{"keywords": ["投诉", "Lawyer", "ÄRGER", "媒体曝光", "sue", "APP"]}"#);
    let mut rows = Rows::scores(&[10.0; 12]);
    rows.comments = vec![
        Some("我要投诉你们的理赔员"),     // Chinese keyword inside a sentence
        Some("I will call my LAWYER"),    // ASCII, other case
        Some("Großer Ärger mit dem Amt"), // non-ASCII Latin, other case
        Some("the law is clear"),         // a prefix of a keyword only
        Some("准备找媒体"),               // half of a keyword only
        None,
        Some(""),
        Some("lawyers everywhere"), // a Latin keyword is a whole word: not the plural
        Some("已经媒体曝光了"),
        Some("a known issue"), // "sue" inside a word
        Some("用app上传失败"), // a Latin keyword glued to Chinese is a word
        Some("We will sue."),
    ];
    assert_eq!(rows.fired(&policy), [0, 1, 2, 8, 10, 11]);
}

#[test]
fn pattern_rule() {
    let policy = one_rule(r#"{"pattern": "(?i)\\brefund\\b|退[款费]"}"#);
    let mut rows = Rows::scores(&[3.0; 6]);
    rows.comments = vec![
        Some("I want a REFUND now"),
        Some("要求退费"),
        Some("退货很麻烦"),
        Some("refunded already"), // \b after refund fails
        None,
        Some("please refund."),
    ];
    assert_eq!(rows.fired(&policy), [0, 1, 5]);
    // Case-sensitive without (?i).
    let strict = one_rule(r#"{"pattern": "refund"}"#);
    assert_eq!(rows.fired(&strict), [3, 5]);
}

#[test]
fn conditions_combine_with_and() {
    // Detractor AND at claims AND a keyword.
    let policy =
        one_rule(r#"{"category": ["detractor"], "touchpoints": ["claims"], "keywords": ["slow"]}"#);
    let mut rows = Rows::scores(&[3.0, 3.0, 9.0, 3.0]);
    rows.touchpoints = vec![Some("claims"), Some("claims"), Some("claims"), Some("app")];
    rows.comments = vec![Some("too slow"), Some("fine"), Some("slow"), Some("slow")];
    assert_eq!(rows.fired(&policy), [0]);
}

#[test]
fn rule_built_in_code() {
    let spec = PolicySpec {
        scale: Scale::STANDARD,
        merge_window_hours: 0.0,
        departments: BTreeMap::new(),
        default_owner: None,
        rules: vec![Rule {
            name: "low".into(),
            when: Conditions {
                score: Some(ScoreRange {
                    min: None,
                    max: Some(4),
                }),
                ..Conditions::default()
            },
            priority: 1,
            owner: Some("Team".into()),
            service_level_hours: 1.5,
        }],
    };
    let policy = Policy::new(spec.clone()).unwrap();
    assert_eq!(policy.spec(), &spec);
    let mut rows = Rows::scores(&[4.0, 5.0]);
    rows.at = vec![1_000, 1_000];
    let queue = rows.evaluate(&policy).unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue.alerts()[0].due_at, 1_000 + 5_400); // 1.5 h
    // The JSON form reads back to the same policy.
    assert_eq!(Policy::from_json(&policy.to_json()).unwrap(), policy);
}

// ---------------------------------------------------------------------------------------------
// Owners, priorities, several rules on one response.

const OWNERS: &str = r#"{
  "departments": {"claims": "理赔部", "app": "Digital"},
  "default_owner": "CX",
  "rules": [
    {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 3, "service_level_hours": 24},
    {"name": "claims_low", "when": {"touchpoints": ["claims"], "score": {"max": 4}}, "priority": 2, "service_level_hours": 8},
    {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1, "owner": "危机处理小组", "service_level_hours": 2}
  ]
}"#;

#[test]
fn owners_priorities_and_due_times() {
    let policy = Policy::from_json(OWNERS).unwrap();
    let mut rows = Rows::scores(&[5.0, 5.0, 5.0, 3.0, 3.0, 10.0]);
    rows.touchpoints = vec![
        Some("claims"),
        Some("app"),
        Some("shop"),
        Some("claims"),
        Some("claims"),
        None,
    ];
    rows.comments = vec![None, None, None, None, Some("我要投诉"), Some("投诉!")];
    rows.at = vec![100; 6];
    let queue = rows.evaluate(&policy).unwrap();
    let by_row = |row: u64| {
        queue
            .alerts()
            .iter()
            .find(|a| a.responses == [row])
            .unwrap()
            .clone()
    };
    // The touchpoint's department, else the default owner.
    assert_eq!(by_row(0).owner, "理赔部");
    assert_eq!(by_row(1).owner, "Digital");
    assert_eq!(by_row(2).owner, "CX");
    // Two rules: the more urgent one gives priority and owner; the earliest due time wins.
    let a = by_row(3);
    assert_eq!(a.rules, ["detractor", "claims_low"]);
    assert_eq!((a.priority, a.owner.as_str()), (2, "理赔部"));
    assert_eq!(a.due_at, 100 + 8 * HOUR);
    // Three rules: crisis is the most urgent.
    let a = by_row(4);
    assert_eq!(a.rules, ["detractor", "claims_low", "crisis"]);
    assert_eq!((a.priority, a.owner.as_str()), (1, "危机处理小组"));
    assert_eq!(a.due_at, 100 + 2 * HOUR);
    // A promoter with a crisis keyword and no touchpoint.
    let a = by_row(5);
    assert_eq!(
        (a.rules.clone(), a.score, a.touchpoint.clone()),
        (vec!["crisis".to_owned()], Some(10), None)
    );
}

// ---------------------------------------------------------------------------------------------
// Merging.

fn merging_policy(window: f64) -> Policy {
    Policy::from_json(&format!(
        r#"{{"merge_window_hours": {window}, "default_owner": "CX", "departments": {{"claims": "Claims"}},
            "rules": [
              {{"name": "low", "when": {{"score": {{"max": 6}}}}, "priority": 2, "service_level_hours": 24}},
              {{"name": "crisis", "when": {{"keywords": ["lawyer"]}}, "priority": 1, "owner": "Crisis", "service_level_hours": 1}}
            ]}}"#
    ))
    .unwrap()
}

#[test]
fn merging_within_and_outside_the_window() {
    let policy = merging_policy(24.0);
    let mut rows = Rows::scores(&[3.0, 5.0, 2.0, 4.0, 1.0, 6.0]);
    rows.customers = ["A", "A", "B", "A", "A", "A"].map(String::from).to_vec();
    rows.at = vec![
        0,
        10 * HOUR,     // A, within 24 h of the alert created at 0: merged
        11 * HOUR,     // B: its own alert
        24 * HOUR - 1, // A, one second inside the window: merged
        24 * HOUR,     // A, exactly 24 h after creation: a new alert
        30 * HOUR,     // A, 6 h after the new alert: merged into it
    ];
    rows.touchpoints = vec![
        Some("app"),
        Some("claims"),
        Some("app"),
        Some("app"),
        Some("app"),
        Some("app"),
    ];
    let queue = rows.evaluate(&policy).unwrap();
    assert_eq!(queue.len(), 3);
    let ids: Vec<(u64, &str, Vec<u64>)> = queue
        .alerts()
        .iter()
        .map(|a| (a.id, a.customer.as_str(), a.responses.clone()))
        .collect();
    // Queue order: all priority 2; due 24 h, 35 h (B), 48 h.
    assert_eq!(
        ids,
        [
            (1, "A", vec![0, 1, 3]),
            (2, "B", vec![2]),
            (3, "A", vec![4, 5]),
        ]
    );
    let first = &queue.alerts()[0];
    assert_eq!(first.merged(), 3);
    assert_eq!((first.created_at, first.due_at), (0, 24 * HOUR));
    assert_eq!(
        (
            first.touchpoint.as_deref(),
            first.owner.as_str(),
            first.score
        ),
        (Some("app"), "CX", Some(3))
    );

    // The window is measured from the alert's creation, not the last merged response.
    let mut chain = Rows::scores(&[3.0, 3.0, 3.0]);
    chain.customers = vec!["A".into(); 3];
    chain.at = vec![0, 20 * HOUR, 30 * HOUR];
    let q = chain.evaluate(&policy).unwrap();
    let merged: Vec<Vec<u64>> = q.alerts().iter().map(|a| a.responses.clone()).collect();
    assert_eq!(merged, [vec![0, 1], vec![2]]);

    // A window of 0 never merges.
    let q = chain.evaluate(&merging_policy(0.0)).unwrap();
    assert_eq!(q.len(), 3);
}

#[test]
fn merged_alert_keeps_most_urgent_priority_and_earliest_due() {
    let policy = merging_policy(24.0);
    let mut rows = Rows::scores(&[5.0, 9.0, 4.0]);
    rows.customers = vec!["A".into(); 3];
    rows.at = vec![0, 2 * HOUR, 30 * 60 * 10]; // 0, 2 h, 5 h
    rows.comments = vec![None, Some("my Lawyer will call"), None];
    let queue = rows.evaluate(&policy).unwrap();
    assert_eq!(queue.len(), 1);
    let a = &queue.alerts()[0];
    assert_eq!(a.rules, ["low", "crisis"]);
    assert_eq!(a.priority, 1);
    assert_eq!(a.owner, "Crisis"); // escalated with the priority
    assert_eq!(a.due_at, 3 * HOUR); // the crisis firing: 2 h + 1 h, before 0 + 24 h
    assert_eq!(a.responses, [0, 1, 2]);
    assert_eq!(a.score, Some(5)); // the opening response's score
}

#[test]
fn queue_order_priority_then_due_then_id() {
    let policy = Policy::from_json(
        r#"{"default_owner": "CX", "rules": [
          {"name": "p1", "when": {"score": {"max": 1}}, "priority": 1, "service_level_hours": 10},
          {"name": "p2", "when": {"score": {"min": 2, "max": 6}}, "priority": 2, "service_level_hours": 1}
        ]}"#,
    )
    .unwrap();
    let mut rows = Rows::scores(&[5.0, 0.0, 5.0, 1.0, 6.0]);
    rows.at = vec![0, 0, 0, -5 * HOUR, 0];
    let queue = rows.evaluate(&policy).unwrap();
    // Processed in time order: row 3 (t = −5 h) opens alert 1, then rows 0, 1, 2, 4 → 2..5.
    let order: Vec<(u64, u8, i64)> = queue
        .alerts()
        .iter()
        .map(|a| (a.id, a.priority, a.due_at))
        .collect();
    assert_eq!(
        order,
        [
            (1, 1, 5 * HOUR),  // row 3: priority 1, due −5 h + 10 h
            (3, 1, 10 * HOUR), // row 1
            (2, 2, HOUR),      // rows 0, 2, 4: priority 2, same due time: by id
            (4, 2, HOUR),
            (5, 2, HOUR),
        ]
    );
    // Positions are input rows whatever the processing order.
    assert_eq!(queue.alerts()[0].responses, [3]);
    // Queue::new sorts alerts given in any order into the same queue.
    let mut reversed = queue.clone().into_alerts();
    reversed.reverse();
    assert_eq!(Queue::new(queue.scale(), reversed).unwrap(), queue);
    assert_eq!(queue.get(3).unwrap().responses, [1]);
    assert!(queue.get(99).is_none());
}

#[test]
fn unsorted_batch_is_processed_in_time_order() {
    let policy = merging_policy(24.0);
    let mut rows = Rows::scores(&[3.0, 4.0, 5.0]);
    rows.customers = vec!["A".into(); 3];
    rows.at = vec![30 * HOUR, 0, HOUR];
    let queue = rows.evaluate(&policy).unwrap();
    let alerts: Vec<(u64, Vec<u64>, i64)> = queue
        .alerts()
        .iter()
        .map(|a| (a.id, a.responses.clone(), a.created_at))
        .collect();
    assert_eq!(alerts, [(1, vec![1, 2], 0), (2, vec![0], 30 * HOUR)]);
}

#[test]
fn results_serialize_and_read_back() {
    let policy = Policy::from_json(OWNERS).unwrap();
    let mut rows = Rows::scores(&[3.0, 9.0]);
    rows.comments = vec![None, Some("投诉")];
    let queue = rows.evaluate(&policy).unwrap();
    let json = serde_json::to_string(&queue).unwrap();
    assert_eq!(serde_json::from_str::<Queue>(&json).unwrap(), queue);
    let back: Policy = serde_json::from_str(&serde_json::to_string(&policy).unwrap()).unwrap();
    assert_eq!(back, policy);
    let report = outcomes(&queue, &[], 0.9).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(
        serde_json::from_str::<nps_core::CallbackReport>(&json).unwrap(),
        report
    );
    let update = AlertUpdate::Opened(queue.alerts()[0].clone());
    let json = serde_json::to_string(&update).unwrap();
    assert_eq!(serde_json::from_str::<AlertUpdate>(&json).unwrap(), update);
}

// ---------------------------------------------------------------------------------------------
// The stream.

#[test]
fn stream_opens_merges_and_evicts() {
    let policy = merging_policy(24.0);
    let mut alerter = Alerter::new(policy);
    let r = |at: i64, customer: &'static str, score: u8| Response {
        at,
        customer,
        touchpoint: Some("app"),
        score: Some(score),
        ..Response::default()
    };
    assert!(
        matches!(alerter.push(&r(0, "A", 3)).unwrap(), Some(AlertUpdate::Opened(ref a)) if a.id == 1)
    );
    assert!(
        matches!(alerter.push(&r(HOUR, "B", 3)).unwrap(), Some(AlertUpdate::Opened(ref a)) if a.id == 2)
    );
    assert_eq!(alerter.open_alerts(), 2);
    let held: Vec<(u64, &str)> = alerter
        .open()
        .map(|a| (a.id, a.customer.as_str()))
        .collect();
    assert_eq!(held, [(1, "A"), (2, "B")]);
    let Some(AlertUpdate::Merged(a)) = alerter.push(&r(2 * HOUR, "A", 1)).unwrap() else {
        panic!("merged")
    };
    assert_eq!((a.id, a.responses), (1, vec![0, 2]));
    assert!(alerter.push(&r(3 * HOUR, "A", 10)).unwrap().is_none());
    // At 24 h A's alert leaves memory; B's (created at 1 h) stays until 25 h.
    assert!(alerter.push(&r(24 * HOUR, "C", 10)).unwrap().is_none());
    assert_eq!(alerter.open_alerts(), 1);
    assert!(alerter.push(&r(25 * HOUR, "C", 10)).unwrap().is_none());
    assert_eq!(alerter.open_alerts(), 0);
    assert_eq!((alerter.pushed(), alerter.next_id()), (6, 3));
    // Equal times are accepted; an earlier time is not.
    assert!(alerter.push(&r(25 * HOUR, "A", 2)).unwrap().is_some());
    let err = alerter.push(&r(25 * HOUR - 1, "A", 2)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { field: "at", .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains(&format!("{}", 25 * HOUR - 1)),
        "{err}"
    );
    assert!(err.to_string().contains("index 7"), "{err}");
    assert_eq!(alerter.pushed(), 7); // the rejected response changed nothing

    // Numbering can continue an earlier run.
    let mut later = Alerter::new(merging_policy(0.0)).starting_at(1_000);
    let update = later.push(&r(0, "A", 3)).unwrap().unwrap();
    assert_eq!(update.alert().id, 1_000);
    assert_eq!(later.open_alerts(), 0); // window 0: nothing is kept
}

const STREAM_POLICY: &str = r#"{
  "merge_window_hours": WINDOW,
  "departments": {"claims": "Claims", "app": "Digital"},
  "default_owner": "CX",
  "rules": [
    {"name": "crisis", "when": {"keywords": ["投诉", "lawyer", "ÄRGER"]}, "priority": 1, "owner": "Crisis", "service_level_hours": 2},
    {"name": "vip", "when": {"score": {"max": 6}, "min_value": 500}, "priority": 1, "service_level_hours": 4},
    {"name": "drop", "when": {"drop": 3}, "priority": 2, "service_level_hours": 12},
    {"name": "claims_detractor", "when": {"category": ["detractor"], "touchpoints": ["claims"]}, "priority": 2, "service_level_hours": 24},
    {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 3, "service_level_hours": 48},
    {"name": "refund", "when": {"pattern": "(?i)refund|退款", "score": {"max": 8}}, "priority": 3, "service_level_hours": 72}
  ]
}"#;

const COMMENTS: [Option<&str>; 8] = [
    None,
    Some("我要投诉"),
    Some("all fine"),
    Some("ask my LAWYER"),
    Some("Refund please"),
    Some("没有退款"),
    Some("großer Ärger"),
    Some(""),
];
const TOUCHPOINTS: [Option<&str>; 4] = [Some("claims"), Some("app"), Some("shop"), None];
const CUSTOMERS: [&str; 6] = ["c0", "c1", "c2", "c3", "c4", "张三"];

#[derive(Debug, Clone)]
struct GenRow {
    step: i64,
    customer: usize,
    touchpoint: usize,
    score: Option<u8>,
    previous: Option<u8>,
    value: Option<f64>,
    comment: usize,
}

fn gen_row() -> impl Strategy<Value = GenRow> {
    (
        // Exact half hours and hours make alerts fall exactly on the window's edge.
        prop_oneof![
            Just(0i64),
            Just(HOUR / 2),
            Just(HOUR),
            Just(6 * HOUR),
            0..6 * HOUR,
            0..30 * HOUR
        ],
        0..CUSTOMERS.len(),
        0..TOUCHPOINTS.len(),
        proptest::option::weighted(0.9, 0u8..=10),
        proptest::option::of(0u8..=10),
        proptest::option::of(prop_oneof![Just(500.0), 0.0..1000.0]),
        0..COMMENTS.len(),
    )
        .prop_map(
            |(step, customer, touchpoint, score, previous, value, comment)| GenRow {
                step,
                customer,
                touchpoint,
                score,
                previous,
                value,
                comment,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Pushing the responses one by one and keeping the last update of each alert gives the
    /// batch queue; the stream's memory is exactly the customers alerted within one window.
    #[test]
    fn stream_equals_batch(
        rows in proptest::collection::vec(gen_row(), 0..80),
        window in prop_oneof![Just(0.0), Just(1.0), Just(6.0), Just(24.0), Just(0.5)],
        start in -1_000_000i64..1_000_000,
    ) {
        let policy = Policy::from_json(&STREAM_POLICY.replace("WINDOW", &window.to_string())).unwrap();
        let w = policy.merge_window_seconds();
        let mut at = Vec::with_capacity(rows.len());
        let mut t = start;
        for r in &rows {
            t += r.step;
            at.push(t);
        }
        // Batch.
        let customers = Dimension::from_values(
            "customer",
            &rows.iter().map(|r| Some(CUSTOMERS[r.customer])).collect::<Vec<_>>(),
        );
        let touchpoints = Dimension::from_values(
            "touchpoint",
            &rows.iter().map(|r| TOUCHPOINTS[r.touchpoint]).collect::<Vec<_>>(),
        );
        let scores: Vec<f64> = rows.iter().map(|r| r.score.map_or(f64::NAN, f64::from)).collect();
        let previous: Vec<f64> = rows.iter().map(|r| r.previous.map_or(f64::NAN, f64::from)).collect();
        let value: Vec<f64> = rows.iter().map(|r| r.value.unwrap_or(f64::NAN)).collect();
        let comments: Vec<Option<&str>> = rows.iter().map(|r| COMMENTS[r.comment]).collect();
        let batch = Responses::new(&at, &customers, &touchpoints, &scores)
            .with_previous(&previous)
            .with_value(&value)
            .with_comments(&comments);
        let queue = evaluate(&policy, &batch).unwrap();

        // Stream.
        let mut alerter = Alerter::new(policy.clone());
        let mut last: BTreeMap<u64, Alert> = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            let response = Response {
                at: at[i],
                customer: CUSTOMERS[r.customer],
                touchpoint: TOUCHPOINTS[r.touchpoint],
                score: r.score,
                previous: r.previous,
                value: r.value,
                comment: COMMENTS[r.comment],
            };
            match alerter.push(&response).unwrap() {
                None => {}
                Some(AlertUpdate::Opened(a)) => {
                    prop_assert_eq!(a.id, last.len() as u64 + 1);
                    prop_assert!(last.insert(a.id, a).is_none());
                }
                Some(AlertUpdate::Merged(a)) => {
                    prop_assert!(last.contains_key(&a.id));
                    last.insert(a.id, a);
                }
            }
            let open = last.values().filter(|a| at[i] - a.created_at < w).count();
            prop_assert_eq!(alerter.open_alerts(), open);
        }
        let streamed = Queue::new(policy.scale(), last.into_values().collect()).unwrap();
        prop_assert_eq!(&streamed, &queue);

        // Every response is in at most one alert; merged ones lie inside their alert's window.
        let mut seen = vec![false; rows.len()];
        for a in queue.alerts() {
            for &p in &a.responses {
                prop_assert!(!std::mem::replace(&mut seen[p as usize], true));
                prop_assert!(at[p as usize] - a.created_at < w.max(1));
            }
            prop_assert!(a.due_at >= a.created_at);
        }
    }
}

/// The responses of generated rows, at their cumulated times from `start`.
fn generated(rows: &[GenRow], start: i64) -> Vec<Response<'static>> {
    let mut t = start;
    rows.iter()
        .map(|r| {
            t += r.step;
            Response {
                at: t,
                customer: CUSTOMERS[r.customer],
                touchpoint: TOUCHPOINTS[r.touchpoint],
                score: r.score,
                previous: r.previous,
                value: r.value,
                comment: COMMENTS[r.comment],
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Saving the alerter anywhere in the stream (as JSON), reading it back and pushing the
    /// rest gives the updates and the final state of an uninterrupted run.
    #[test]
    fn a_saved_stream_resumes_exactly(
        rows in proptest::collection::vec(gen_row(), 0..60),
        window in prop_oneof![Just(0.0), Just(1.0), Just(6.0), Just(24.0), Just(0.5)],
        start in -1_000_000i64..1_000_000,
        first_id in prop_oneof![Just(1u64), 0u64..1_000],
        cut in any::<prop::sample::Index>(),
    ) {
        let policy = Policy::from_json(&STREAM_POLICY.replace("WINDOW", &window.to_string())).unwrap();
        let responses = generated(&rows, start);
        let cut = cut.index(responses.len() + 1);

        let mut whole = Alerter::new(policy.clone()).starting_at(first_id);
        let expected: Vec<Option<AlertUpdate>> =
            responses.iter().map(|r| whole.push(r).unwrap()).collect();

        let mut first = Alerter::new(policy).starting_at(first_id);
        let mut updates: Vec<Option<AlertUpdate>> =
            responses[..cut].iter().map(|r| first.push(r).unwrap()).collect();
        let saved = serde_json::to_string(&first).unwrap();
        let mut resumed: Alerter = serde_json::from_str(&saved).unwrap();
        prop_assert_eq!(&resumed, &first);
        prop_assert_eq!(serde_json::to_string(&resumed).unwrap(), saved);
        updates.extend(responses[cut..].iter().map(|r| resumed.push(r).unwrap()));

        prop_assert_eq!(&updates, &expected);
        prop_assert_eq!(&resumed, &whole);
        prop_assert_eq!(
            (resumed.pushed(), resumed.next_id(), resumed.open_alerts()),
            (whole.pushed(), whole.next_id(), whole.open_alerts())
        );
        // The final open alerts are those of the uninterrupted run, oldest first.
        let open: Vec<&Alert> = resumed.open().collect();
        prop_assert_eq!(&open, &whole.open().collect::<Vec<_>>());
        prop_assert!(open.is_sorted_by_key(|a| (a.created_at, a.id)));
        prop_assert_eq!(
            serde_json::to_value(&resumed).unwrap(),
            serde_json::to_value(&whole).unwrap()
        );
    }
}

/// An alerter (window 24 h) with three open alerts: A (id 1, merged: positions 0 and 2),
/// B (id 2, position 1) and C (id 3, position 4), after 5 responses.
fn saved_alerter() -> serde_json::Value {
    let mut alerter = Alerter::new(merging_policy(24.0));
    let r = |at: i64, customer: &'static str, score: u8, comment: Option<&'static str>| Response {
        at,
        customer,
        touchpoint: Some("claims"),
        score: Some(score),
        comment,
        ..Response::default()
    };
    for response in [
        r(0, "A", 3, None),
        r(HOUR, "B", 5, None),
        r(2 * HOUR, "A", 8, Some("my lawyer")),
        r(3 * HOUR, "D", 10, None),
        r(4 * HOUR, "C", 0, None),
    ] {
        alerter.push(&response).unwrap();
    }
    assert_eq!((alerter.open_alerts(), alerter.next_id()), (3, 4));
    serde_json::to_value(&alerter).unwrap()
}

#[test]
fn the_saved_form_is_plain_and_reads_back() {
    let json = saved_alerter();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys, // sorted by serde_json's map
        ["expiry", "last_at", "next_id", "open", "policy", "pushed"]
    );
    assert_eq!(json["policy"]["merge_window_hours"], 24.0);
    let ids: Vec<u64> = (json["open"].as_array().unwrap().iter())
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(json["open"][0]["responses"], serde_json::json!([0, 2]));
    assert_eq!(json["open"][0]["owner"], "Crisis");
    assert_eq!(
        json["expiry"],
        serde_json::json!([
            {"created_at": 0, "customer": "A"},
            {"created_at": HOUR, "customer": "B"},
            {"created_at": 4 * HOUR, "customer": "C"}
        ])
    );
    assert_eq!(
        (&json["last_at"], &json["next_id"], &json["pushed"]),
        (
            &serde_json::json!(4 * HOUR),
            &serde_json::json!(4),
            &serde_json::json!(5)
        )
    );
    let mut back: Alerter = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&back).unwrap(), json);
    // A fresh alerter round-trips too.
    let fresh = Alerter::new(merging_policy(0.0));
    let again: Alerter = serde_json::from_str(&serde_json::to_string(&fresh).unwrap()).unwrap();
    assert_eq!(again, fresh);
    // The state read back is live: B's next low score merges, A's window has not passed.
    let update = back
        .push(&Response {
            at: 5 * HOUR,
            customer: "B",
            score: Some(1),
            ..Response::default()
        })
        .unwrap();
    assert!(
        matches!(update, Some(AlertUpdate::Merged(ref a)) if a.id == 2 && a.responses == [1, 5])
    );
}

#[test]
fn a_tampered_saved_alerter_is_refused() {
    use serde_json::json;
    let json = saved_alerter();
    let refused = |edit: &dyn Fn(&mut serde_json::Value), what: &str| {
        let mut tampered = json.clone();
        edit(&mut tampered);
        let err = serde_json::from_value::<Alerter>(tampered)
            .unwrap_err()
            .to_string();
        assert!(err.contains(what), "{what:?} not in {err:?}");
    };
    let alerter = "alerter is ";
    refused(
        &|j| j["pushed"] = json!(0),
        "last_at Some(14400) with 0 responses pushed",
    );
    refused(&|j| j["last_at"] = json!(null), alerter);
    refused(
        &|j| j["open"][1]["customer"] = json!("A"),
        "customer \"A\" with two open alerts",
    );
    refused(
        &|j| j["open"][1]["id"] = json!(1),
        "id 1 on two open alerts",
    );
    refused(
        &|j| j["next_id"] = json!(3),
        "open alert 3 (customer \"C\"): id not below next_id 3",
    );
    // Older than the merge window before the latest response: it would have been evicted.
    refused(
        &|j| j["last_at"] = json!(24 * HOUR),
        "would have been evicted",
    );
    refused(
        &|j| j["open"][2]["created_at"] = json!(5 * HOUR),
        "would have been evicted",
    );
    refused(
        &|j| j["open"][1]["due_at"] = json!(0),
        "before its creation",
    );
    refused(
        &|j| j["open"][0]["rules"] = json!(["low", "nope"]),
        "rule \"nope\" is not in the policy",
    );
    refused(
        &|j| j["open"][0]["rules"] = json!(["crisis", "crisis"]),
        "rule \"crisis\" twice",
    );
    refused(&|j| j["open"][0]["rules"] = json!([]), "no rule fired");
    refused(
        &|j| j["open"][0]["priority"] = json!(2),
        "priority 2, but the most urgent of its rules is 1",
    );
    refused(
        &|j| j["open"][0]["owner"] = json!("Nobody"),
        "owner \"Nobody\" is not one the policy gives",
    );
    refused(
        &|j| j["open"][0]["score"] = json!(11),
        "score 11 off the policy's scale",
    );
    refused(
        &|j| j["open"][0]["responses"] = json!([2, 0]),
        "response positions [2, 0]",
    );
    refused(
        &|j| j["open"][0]["responses"] = json!([]),
        "response positions []",
    );
    refused(
        &|j| j["open"][0]["responses"] = json!([0, 5]),
        "below the 5 responses pushed",
    );
    refused(
        &|j| j["open"][1]["responses"] = json!([2]),
        "response position 2 in two open alerts",
    );
    refused(
        &|j| {
            j["expiry"].as_array_mut().unwrap().pop();
        },
        "2 expiry entries for 3 open alerts",
    );
    refused(
        &|j| j["expiry"][2]["customer"] = json!("B"),
        "expiry entry 2 (customer \"B\", created at 14400) does not match an open alert",
    );
    refused(
        &|j| j["expiry"][1]["created_at"] = json!(2 * HOUR),
        "does not match",
    );
    refused(
        &|j| {
            let e = j["expiry"].as_array_mut().unwrap();
            e.swap(0, 1);
        },
        "not in time order",
    );
    refused(
        &|j| {
            j["open"].as_array_mut().unwrap().pop();
            j["expiry"].as_array_mut().unwrap().pop();
            j["open"].as_array_mut().unwrap().push(json!({"id": 3}));
        },
        "missing field",
    );
    refused(&|j| j["extra"] = json!(1), "unknown field `extra`");
    refused(
        &|j| j["policy"]["merge_window_hours"] = json!(-1),
        "merge_window_hours -1",
    );
    // A policy without merging keeps nothing open.
    refused(
        &|j| j["policy"]["merge_window_hours"] = json!(0),
        "would have been evicted",
    );
    assert!(serde_json::from_str::<Alerter>("{not json").is_err());
    assert!(serde_json::from_str::<Alerter>("[]").is_err());
}

// ---------------------------------------------------------------------------------------------
// Outcomes.

/// Five alerts (window 0, all at t = 0):
/// 1: A claims 2 → Claims, due 24 h; 2: B claims 5 → Claims; 3: C app 6 → Digital;
/// 4: D app 9 + "投诉" → Crisis, priority 1, due 2 h; 5: E (no touchpoint) 0 → CX.
fn outcome_queue() -> Queue {
    let policy = Policy::from_json(
        r#"{"departments": {"claims": "Claims", "app": "Digital"}, "default_owner": "CX",
            "rules": [
              {"name": "detractor", "when": {"category": ["detractor"]}, "priority": 2, "service_level_hours": 24},
              {"name": "crisis", "when": {"keywords": ["投诉"]}, "priority": 1, "owner": "Crisis", "service_level_hours": 2}
            ]}"#,
    )
    .unwrap();
    let mut rows = Rows::scores(&[2.0, 5.0, 6.0, 9.0, 0.0]);
    rows.customers = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
    rows.touchpoints = vec![
        Some("claims"),
        Some("claims"),
        Some("app"),
        Some("app"),
        None,
    ];
    rows.comments = vec![None, None, None, Some("我要投诉"), None];
    let queue = rows.evaluate(&policy).unwrap();
    let ids: Vec<u64> = queue.alerts().iter().map(|a| a.id).collect();
    assert_eq!(ids, [4, 1, 2, 3, 5]);
    queue
}

fn outcome_records() -> Vec<Callback> {
    let cb = |alert, contacted_at, resolved, later_score| Callback {
        alert,
        contacted_at,
        resolved,
        later_score,
    };
    vec![
        cb(1, Some(HOUR), true, Some(9)), // on time (1 h ≤ 24 h), recovered
        cb(2, Some(28 * HOUR), false, None), // late
        cb(2, Some(30 * HOUR), true, Some(4)), // second attempt: still a detractor
        cb(3, Some(2 * HOUR), false, None), // on time, no later score
        cb(4, Some(10 * HOUR), false, Some(10)), // late (due 2 h); not a detractor alert
    ]
}

#[test]
fn outcomes_by_hand() {
    let queue = outcome_queue();
    let report = outcomes(&queue, &outcome_records(), 0.95).unwrap();
    assert_eq!(report.level, 0.95);

    let o = &report.overall;
    assert_eq!(o.name, None);
    assert_eq!((o.alerts, o.contacted, o.resolved), (5, 4, 2));
    // On time: alerts 1 and 3 of 5.
    assert_eq!((o.on_time.count, o.on_time.n), (2, 5));
    assert_eq!(o.on_time.share, Some(0.4));
    let (lo, hi) = wilson(2.0, 5.0);
    assert!(close(o.on_time.low.unwrap(), lo) && close(o.on_time.high.unwrap(), hi));
    // Published-style check of the Wilson interval for 2/5: (0.1176, 0.7693).
    assert!((o.on_time.low.unwrap() - 0.117_62).abs() < 1e-5);
    assert!((o.on_time.high.unwrap() - 0.769_28).abs() < 1e-5);
    // Waits 1, 28 (earliest of 28 and 30), 2, 10 h → sorted 1, 2, 10, 28.
    // p50: h = 3·0.5 = 1.5 → 2 + 0.5·(10 − 2) = 6; p90: h = 2.7 → 10 + 0.7·(28 − 10) = 22.6.
    assert!(close(o.hours_to_contact_p50.unwrap(), 6.0));
    assert!(close(o.hours_to_contact_p90.unwrap(), 22.6));
    // Recovery: detractor alerts 1, 2, 3, 5; with a later score 1 (9: recovered), 2 (4: not).
    assert_eq!(
        (o.recovery.count, o.recovery.n, o.recovery.share),
        (1, 2, Some(0.5))
    );
    let (lo, hi) = wilson(1.0, 2.0);
    assert!(close(o.recovery.low.unwrap(), lo) && close(o.recovery.high.unwrap(), hi));
    assert!((o.recovery.low.unwrap() - 0.094_53).abs() < 1e-5);

    let owners: Vec<&str> = report
        .by_owner
        .iter()
        .map(|r| r.name.as_deref().unwrap())
        .collect();
    assert_eq!(owners, ["CX", "Claims", "Crisis", "Digital"]);
    let cx = &report.by_owner[0];
    assert_eq!((cx.alerts, cx.contacted, cx.on_time.count), (1, 0, 0));
    assert_eq!((cx.hours_to_contact_p50, cx.recovery.share), (None, None));
    assert_eq!(cx.on_time.share, Some(0.0));
    let claims = &report.by_owner[1];
    assert_eq!(
        (claims.alerts, claims.contacted, claims.resolved),
        (2, 2, 2)
    );
    assert_eq!((claims.on_time.count, claims.on_time.n), (1, 2));
    assert!(close(claims.hours_to_contact_p50.unwrap(), 14.5)); // (1 + 28) / 2
    assert!(close(claims.hours_to_contact_p90.unwrap(), 25.3)); // 1 + 0.9·27
    assert_eq!((claims.recovery.count, claims.recovery.n), (1, 2));
    let crisis = &report.by_owner[2];
    assert_eq!((crisis.on_time.count, crisis.on_time.n), (0, 1));
    assert_eq!(crisis.hours_to_contact_p90, Some(10.0));
    assert_eq!(crisis.recovery.n, 0); // a promoter's alert is not a detractor alert
    let (lo, hi) = wilson(0.0, 1.0);
    assert!(close(crisis.on_time.low.unwrap(), lo) && close(crisis.on_time.high.unwrap(), hi));
    let digital = &report.by_owner[3];
    assert_eq!((digital.on_time.share, digital.recovery.n), (Some(1.0), 0));

    let tps: Vec<Option<&str>> = report
        .by_touchpoint
        .iter()
        .map(|r| r.name.as_deref())
        .collect();
    assert_eq!(tps, [Some("app"), Some("claims"), None]);
    let app = &report.by_touchpoint[0];
    assert_eq!((app.alerts, app.on_time.count), (2, 1));
    assert!(close(app.hours_to_contact_p50.unwrap(), 6.0)); // (2 + 10) / 2
    assert!(close(app.hours_to_contact_p90.unwrap(), 9.2)); // 2 + 0.9·8
    assert_eq!(report.by_touchpoint[1].alerts, 2);
    assert_eq!(report.by_touchpoint[2].alerts, 1);
}

#[test]
fn outcomes_from_columns_and_contact_exactly_at_due() {
    let queue = outcome_queue();
    let alerts = [1, 2, 5];
    let contacted = [24 * HOUR, NOT_CONTACTED, 24 * HOUR + 1];
    let resolved = [true, false, false];
    let later = [7.0, f64::NAN, 3.0];
    let callbacks = Callbacks {
        alerts: &alerts,
        contacted_at: &contacted,
        resolved: &resolved,
        later_scores: &later,
    };
    let records = callbacks.records(queue.scale()).unwrap();
    assert_eq!(
        records[1],
        Callback {
            alert: 2,
            contacted_at: None,
            resolved: false,
            later_score: None
        }
    );
    let report = outcomes(&queue, &records, 0.95).unwrap();
    // Contact at exactly the due time counts as on time; one second later does not.
    assert_eq!(
        (report.overall.on_time.count, report.overall.contacted),
        (1, 2)
    );
    // Detractor alerts with a later score: 1 (7, recovered), 5 (3, not).
    assert_eq!(
        (report.overall.recovery.count, report.overall.recovery.n),
        (1, 2)
    );
    // An empty queue: no alerts, no shares.
    let empty = Queue::new(Scale::STANDARD, vec![]).unwrap();
    let report = outcomes(&empty, &[], 0.95).unwrap();
    assert_eq!(
        (report.overall.alerts, report.overall.on_time.share),
        (0, None)
    );
    assert!(report.by_owner.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Bad input.

fn policy_error(json: &str) -> (String, String) {
    match Policy::from_json(json).unwrap_err() {
        Error::InvalidPolicy { name, problem, .. } => (name, problem),
        other => panic!("expected InvalidPolicy, got {other:?}"),
    }
}

#[test]
fn unknown_fields_are_named() {
    // In a rule's conditions.
    let (name, problem) = policy_error(
        r#"{"rules": [{"name": "low", "when": {"scor": {"max": 6}}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#,
    );
    assert_eq!(name, "low");
    assert!(problem.contains("unknown field `scor`"), "{problem}");
    // On a rule itself; a rule with no name is named by position.
    let (name, problem) = policy_error(
        r#"{"rules": [{"name": "ok", "when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": 1},
                      {"when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": 1, "sla": 3}]}"#,
    );
    assert_eq!(name, "rules[1]");
    assert!(problem.contains("sla"), "{problem}");
    // In a score range.
    let (_, problem) = policy_error(
        r#"{"rules": [{"name": "r", "when": {"score": {"maximum": 6}}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#,
    );
    assert!(problem.contains("maximum"), "{problem}");
    // At the policy level.
    let (name, problem) = policy_error(r#"{"merge_window": 24, "rules": []}"#);
    assert_eq!(name, "(policy)");
    assert!(problem.contains("merge_window"), "{problem}");
    // An unknown category and bad JSON.
    let (name, problem) = policy_error(
        r#"{"rules": [{"name": "r", "when": {"category": ["critic"]}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#,
    );
    assert_eq!(name, "r");
    assert!(problem.contains("critic"), "{problem}");
    let (name, _) = policy_error(r#"{"rules": [}"#);
    assert_eq!(name, "(policy)");
    // Through serde directly, the same checks apply.
    assert!(serde_json::from_str::<Policy>(r#"{"rules": [{"name": "r", "when": {}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#).is_err());
}

fn rule_error(rule: &str) -> String {
    let json = format!(r#"{{"rules": [{rule}]}}"#);
    let (name, problem) = policy_error(&json);
    assert_eq!(name, "r", "{problem}");
    problem
}

#[test]
fn invalid_rules_are_named() {
    let cases: &[(&str, &[&str])] = &[
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": -2}"#,
            &["negative service level -2"],
        ),
        (
            r#"{"name": "r", "when": {"pattern": "refund(("}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["invalid pattern", "unclosed group"],
        ),
        (
            r#"{"name": "r", "when": {}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["no condition"],
        ),
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": 0, "owner": "O", "service_level_hours": 1}"#,
            &["priority 0"],
        ),
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": -1, "owner": "O", "service_level_hours": 1}"#,
            &["-1"],
        ),
        (
            r#"{"name": "r", "when": {"keywords": []}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["empty keywords list"],
        ),
        (
            r#"{"name": "r", "when": {"keywords": ["ok", " "]}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["empty keyword"],
        ),
        (
            r#"{"name": "r", "when": {"score": {"min": 7, "max": 3}}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["7..=3"],
        ),
        (
            r#"{"name": "r", "when": {"score": {"max": 11}}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["0..=11"],
        ),
        (
            r#"{"name": "r", "when": {"score": {"max": 6}, "category": ["promoter"]}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["never fire"],
        ),
        (
            r#"{"name": "r", "when": {"drop": 0}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["drop 0"],
        ),
        (
            r#"{"name": "r", "when": {"touchpoints": []}, "priority": 1, "owner": "O", "service_level_hours": 1}"#,
            &["empty touchpoints"],
        ),
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": 1, "service_level_hours": 1}"#,
            &["no owner"],
        ),
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": 1, "owner": "", "service_level_hours": 1}"#,
            &["empty \"owner\""],
        ),
        (
            r#"{"name": "r", "when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": 2000000}"#,
            &["service level 2000000"],
        ),
    ];
    for (rule, expected) in cases {
        let p = rule_error(rule);
        assert!(expected.iter().all(|e| p.contains(e)), "{p}");
    }

    // Owner from departments: every listed touchpoint must be mapped.
    let (name, p) = policy_error(
        r#"{"departments": {"claims": "Claims"},
            "rules": [{"name": "r", "when": {"touchpoints": ["claims", "app"]}, "priority": 1, "service_level_hours": 1}]}"#,
    );
    assert_eq!(name, "r");
    assert!(p.contains("no owner for touchpoint \"app\""), "{p}");
    assert!(Policy::from_json(
        r#"{"departments": {"claims": "Claims", "app": "Digital"},
            "rules": [{"name": "r", "when": {"touchpoints": ["claims", "app"]}, "priority": 1, "service_level_hours": 1}]}"#,
    )
    .is_ok());

    // Policy level.
    let (name, p) = policy_error(r#"{"rules": []}"#);
    assert_eq!(
        (name.as_str(), p.contains("no rule")),
        ("(policy)", true),
        "{p}"
    );
    let (_, p) = policy_error(
        r#"{"merge_window_hours": -1, "rules": [{"name": "r", "when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#,
    );
    assert!(p.contains("merge_window_hours -1"), "{p}");
    let (name, p) = policy_error(
        r#"{"rules": [{"name": "r", "when": {"drop": 2}, "priority": 1, "owner": "O", "service_level_hours": 1},
                      {"name": "r", "when": {"drop": 3}, "priority": 1, "owner": "O", "service_level_hours": 1}]}"#,
    );
    assert_eq!(name, "r");
    assert!(p.contains("twice"), "{p}");

    // From code: a non-finite service level.
    let spec = PolicySpec {
        scale: Scale::STANDARD,
        merge_window_hours: 0.0,
        departments: BTreeMap::new(),
        default_owner: Some("CX".into()),
        rules: vec![Rule {
            name: "r".into(),
            when: Conditions {
                min_value: Some(1.0),
                ..Conditions::default()
            },
            priority: 1,
            owner: None,
            service_level_hours: f64::NAN,
        }],
    };
    assert!(matches!(
        Policy::new(spec),
        Err(Error::InvalidPolicy {
            kind: "alert rule",
            ..
        })
    ));
}

#[test]
fn bad_batches_are_named() {
    let policy = one_rule(r#"{"score": {"max": 6}}"#);
    let customers = Dimension::from_values("customer", &[Some("A"), Some("B"), Some("C")]);
    let touchpoints = Dimension::from_values("touchpoint", &[Some("app"); 3]);
    let at = [0i64, 1, 2];

    // Unequal column lengths, named.
    let short = Dimension::from_values("touchpoint", &[Some("app"); 2]);
    let err = evaluate(
        &policy,
        &Responses::new(&at, &customers, &short, &[1.0, 2.0, 3.0]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::LengthMismatch {
            field: "touchpoints".into(),
            found: 2,
            other: "at".into(),
            expected: 3
        }
    );
    let err = evaluate(
        &policy,
        &Responses::new(&at, &customers, &touchpoints, &[1.0, 2.0]),
    )
    .unwrap_err();
    assert!(matches!(err, Error::LengthMismatch { ref field, found: 2, .. } if field == "scores"));
    let comments = [None];
    let batch =
        Responses::new(&at, &customers, &touchpoints, &[1.0, 2.0, 3.0]).with_comments(&comments);
    let err = evaluate(&policy, &batch).unwrap_err();
    assert!(
        matches!(err, Error::LengthMismatch { ref field, found: 1, .. } if field == "comments")
    );
    let batch = Responses::new(&at, &customers, &touchpoints, &[1.0, 2.0, 3.0]).with_value(&[1.0]);
    assert!(
        matches!(evaluate(&policy, &batch), Err(Error::LengthMismatch { ref field, .. }) if field == "value")
    );

    // A score off the scale, a fractional one.
    for (scores, bad) in [([1.0, 11.0, 3.0], 1), ([1.0, 2.0, 6.5], 2)] {
        let batch = Responses::new(&at, &customers, &touchpoints, &scores);
        let err = evaluate(&policy, &batch).unwrap_err();
        assert!(
            matches!(err, Error::InvalidScore { index, value, .. } if index == bad && value == scores[bad]),
            "{err:?}"
        );
    }
    // A missing customer.
    let anonymous = Dimension::from_values("customer", &[Some("A"), None, Some("C")]);
    let err = evaluate(
        &policy,
        &Responses::new(&at, &anonymous, &touchpoints, &[1u8, 2, 3]),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { field: "customers", ref value, .. } if value.contains("index 1"))
    );
    // A previous score off the scale; an infinite value.
    let scored = Responses::new(&at, &customers, &touchpoints, &[1u8, 2, 3]);
    let previous = scored.with_previous(&[f64::NAN, 9.0, 12.0]);
    let value = scored.with_value(&[f64::INFINITY, 1.0, 1.0]);
    for (batch, column, index) in [(previous, "previous", 2), (value, "value", 0)] {
        let err = evaluate(&policy, &batch).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { field, ref value, .. } if field == column && value.contains(&format!("index {index}"))),
            "{err:?}"
        );
    }
}

#[test]
fn bad_stream_responses_are_named() {
    let mut alerter = Alerter::new(one_rule(r#"{"score": {"max": 6}}"#));
    let ok = Response {
        at: 100,
        customer: "A",
        score: Some(3),
        ..Response::default()
    };
    alerter.push(&ok).unwrap();
    // Out of order.
    let early = Response { at: 99, ..ok };
    let err = alerter.push(&early).unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { field: "at", ref value, .. } if value.contains("99") && value.contains("100")),
        "{err}"
    );
    // Off-scale values.
    let mut rejected = |edit: fn(&mut Response)| {
        let mut bad = ok;
        edit(&mut bad);
        alerter.push(&bad).unwrap_err()
    };
    let err = rejected(|r| r.score = Some(11));
    assert!(
        matches!(err, Error::InvalidScore { index: 1, value, .. } if value == 11.0),
        "{err:?}"
    );
    let err = rejected(|r| r.previous = Some(12));
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                field: "previous",
                ..
            }
        ),
        "{err:?}"
    );
    let err = rejected(|r| r.value = Some(f64::NAN));
    assert!(
        matches!(err, Error::InvalidArgument { field: "value", .. }),
        "{err:?}"
    );
    assert_eq!(alerter.pushed(), 1);
}

#[test]
fn bad_callbacks_are_named() {
    let queue = outcome_queue();
    let cb = |alert, contacted_at, later_score| Callback {
        alert,
        contacted_at,
        resolved: false,
        later_score,
    };
    // A call-back for an unknown alert.
    let err = outcomes(&queue, &[cb(1, None, None), cb(42, Some(0), None)], 0.95).unwrap_err();
    assert_eq!(
        err,
        Error::UnknownAlert {
            index: 1,
            id: "42".into()
        }
    );
    // A contact before the alert's creation (alerts are created at 0).
    let err = outcomes(&queue, &[cb(3, Some(-60), None)], 0.95).unwrap_err();
    match err {
        Error::InvalidArgument {
            field: "contacted_at",
            value,
            ..
        } => assert!(
            value.contains("record 0") && value.contains("alert 3") && value.contains("-60"),
            "{value}"
        ),
        other => panic!("{other:?}"),
    }
    // A later score off the scale.
    let err = outcomes(&queue, &[cb(1, None, Some(9)), cb(1, None, Some(11))], 0.95).unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidScore {
            index: 1,
            value: 11.0,
            ..
        }
    ));
    // A bad level.
    assert!(matches!(
        outcomes(&queue, &[], 1.0),
        Err(Error::InvalidLevel(_))
    ));
    // Columns: unequal lengths; a fractional later score.
    let callbacks = Callbacks {
        alerts: &[1, 2],
        contacted_at: &[0],
        resolved: &[true, true],
        later_scores: &[1.0, 2.0],
    };
    assert!(
        matches!(callbacks.records(Scale::STANDARD), Err(Error::LengthMismatch { ref field, .. }) if field == "contacted_at")
    );
    let callbacks = Callbacks {
        alerts: &[1, 2],
        contacted_at: &[0, 0],
        resolved: &[true, true],
        later_scores: &[1.0, 2.5],
    };
    assert!(matches!(
        callbacks.records(Scale::STANDARD),
        Err(Error::InvalidScore { index: 1, .. })
    ));
    // A queue with a duplicated id.
    let mut alerts = queue.clone().into_alerts();
    alerts.push(alerts[0].clone());
    assert!(matches!(
        Queue::new(Scale::STANDARD, alerts),
        Err(Error::InvalidArgument {
            field: "alerts",
            ..
        })
    ));
}

#[test]
fn an_empty_or_blank_comment_is_no_comment() {
    let policy = Policy::from_json(
        r#"{"default_owner": "desk", "rules": [{"name": "blank", "when": {"pattern": "^\\s*$"},
            "priority": 1, "service_level_hours": 1}]}"#,
    )
    .unwrap();
    let customers = Dimension::from_values("customer", &[Some("a"), Some("b"), Some("c")]);
    let touchpoints = Dimension::from_values("touchpoint", &[Some("t"), Some("t"), Some("t")]);
    let comments = [Some(""), Some(" \u{3000} "), None];
    let responses =
        Responses::new(&[1, 2, 3], &customers, &touchpoints, &[3u8, 3, 3]).with_comments(&comments);
    assert_eq!(evaluate(&policy, &responses).unwrap().len(), 0);
}
