//! The transactional-NPS drop monitor (lower CUSUM per touchpoint): hand-computed steps, the
//! realised false-alarm rate against the stated one, detection of a planted drop, batch equal to
//! stream, independence of touchpoints, and every kind of bad input.

use std::collections::BTreeMap;

use nps_core::{
    Alarm, Baseline, BaselineSource, CusumChart, Dimension, Error, Monitor, MonitorOptions, NA,
    Scale, Shift, cusum_arl, monitor,
};
use proptest::prelude::*;

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, so the simulations do not
/// depend on any crate's stream.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A 0–10 score from a population with promoter share `p` and detractor share `d`.
    fn score(&mut self, p: f64, d: f64) -> u8 {
        let u = self.uniform();
        let r = self.next_u64();
        if u < p {
            9 + (r % 2) as u8
        } else if u < p + d {
            (r % 7) as u8
        } else {
            7 + (r % 2) as u8
        }
    }
}

fn shares(promoters: f64, detractors: f64) -> Baseline {
    Baseline::Shares {
        promoters,
        detractors,
    }
}

fn given(p: f64, d: f64, shift: Shift, arl0: f64) -> MonitorOptions {
    MonitorOptions {
        arl0,
        shift,
        baseline: Some(shares(p, d)),
        ..MonitorOptions::default()
    }
}

fn field_of(e: &Error) -> &'static str {
    match e {
        Error::InvalidArgument { field, .. } => field,
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The statistic, by hand.

#[test]
fn cusum_steps_match_a_hand_computation() {
    // p = 0.6, d = 0.2: μ₀ = 0.4, σ₀² = 0.8 − 0.16 = 0.64, σ₀ = 0.8.
    // z = (x − 0.4)/0.8: detractor −1.75, passive −0.5, promoter 0.75. Shift 0.5 sd: k = 0.25.
    // C's increments −z − k: detractor +1.5, passive +0.25, promoter −1.0.
    let options = given(0.6, 0.2, Shift::Sd(0.5), 1_000.0);
    let mut m = Monitor::new(options).unwrap();
    let chart = m.state("desk").map(|s| s.chart);
    assert!(chart.is_none(), "not registered yet");
    m.code("desk");
    let chart = m.state("desk").unwrap().chart.unwrap();
    assert!((chart.nps - 40.0).abs() < 1e-12);
    assert!((chart.sd - 80.0).abs() < 1e-12);
    assert!((chart.k - 0.25).abs() < 1e-15);
    for (got, want) in chart.increments.iter().zip([1.5, 0.25, -1.0]) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    let h = chart.h;
    assert!(h > 6.25 && h < 40.0, "h = {h}");

    // (score, C after it): D 1.5, A 1.75, P 0.75, P 0 (max(0, −0.25)), missing (no change),
    // D 1.5, A 1.75, D 3.25.
    let steps: [(f64, f64); 8] = [
        (3.0, 1.5),
        (7.0, 1.75),
        (10.0, 0.75),
        (9.0, 0.0),
        (f64::NAN, 0.0),
        (0.0, 1.5),
        (8.0, 1.75),
        (6.0, 3.25),
    ];
    let mut t = 1_700_000_000;
    for (i, &(score, c)) in steps.iter().enumerate() {
        t += 10;
        assert_eq!(m.observe("desk", score, t).unwrap(), None);
        let s = m.state("desk").unwrap();
        assert!(
            (s.cusum - c).abs() < 1e-12,
            "step {i}: C = {} not {c}",
            s.cusum
        );
    }
    let s = m.state("desk").unwrap();
    assert_eq!((s.responses, s.missing, s.monitored, s.run), (7, 1, 7, 3));

    // Detractors until C > h: each adds 1.5.
    let mut c = 3.25;
    let mut alarm = None;
    let mut extra = 0u64;
    while alarm.is_none() {
        t += 10;
        c += 1.5;
        extra += 1;
        alarm = m.observe("desk", 4u8, t).unwrap();
        if alarm.is_none() {
            assert!(c <= h + 1e-9);
            assert!((m.state("desk").unwrap().cusum - c).abs() < 1e-9);
        }
    }
    let a = alarm.unwrap();
    assert!(c > h && c - 1.5 <= h + 1e-9);
    assert!((a.cusum - c).abs() < 1e-9);
    assert_eq!(a.index, 7 + extra);
    assert_eq!(a.time, t);
    // The last zero was after response 3 (the second promoter); the run starts at response 5
    // (position 4 is the missing answer, which does not move C).
    assert_eq!(a.change_index, 5);
    assert_eq!(a.change_time, 1_700_000_000 + 60);
    // The run: D, A, D, then `extra` detractors.
    let j = 2 + extra;
    assert_eq!(
        (a.n, a.promoters, a.passives, a.detractors),
        (j + 1, 0, 1, j)
    );
    let nj = j as f64;
    assert!((a.nps - (-100.0 * nj / (nj + 1.0))).abs() < 1e-12);
    // Adjusted Wald (Rocks 2016) by hand: +0.75 promoters, +1.5 passives, +0.75 detractors.
    let z = 1.959_963_984_540_054;
    let (pa, da, na) = (0.75, nj + 0.75, nj + 4.0);
    let centre = (pa - da) / na;
    let se = (((pa + da) / na - centre * centre) / na).sqrt();
    assert!(
        (a.low - 100.0 * (centre - z * se)).abs() < 1e-9,
        "{}",
        a.low
    );
    assert!(
        (a.high - 100.0 * (centre + z * se)).abs() < 1e-9,
        "{}",
        a.high
    );
    assert!((a.baseline_nps - 40.0).abs() < 1e-12);
    assert!((a.drop - (a.nps - 40.0)).abs() < 1e-12);
    assert!((a.drop_low - (a.low - 40.0)).abs() < 1e-9);
    assert!((a.drop_high - (a.high - 40.0)).abs() < 1e-9);
    assert_eq!((a.k, a.h, a.level), (chart.k, h, 0.95));
    assert_eq!(a.touchpoint, "desk");

    // Restarted.
    let s = m.state("desk").unwrap();
    assert_eq!((s.cusum, s.run, s.alarms), (0.0, 0, 1));
}

#[test]
fn threshold_solves_siegmunds_approximation_and_matches_montgomery() {
    // Montgomery §9.1.3: k = 1/2, h = 5, one-sided: ARL₀ ≈ 938.2, ARL₁(δ = 1) ≈ 10.34.
    assert!((cusum_arl(0.5, 5.0, 0.0) - 938.2).abs() < 0.1);
    assert!((cusum_arl(0.5, 5.0, 1.0) - 10.34).abs() < 0.01);
    // Two-sided h = 4 (Montgomery Table 9.3 lists 168 by Markov chain): 1/(2/ARL⁺).
    assert!((cusum_arl(0.5, 4.0, 0.0) / 2.0 - 169.0).abs() < 1.0);

    for &(p, d) in &[(0.5, 0.2), (0.3, 0.3), (0.9, 0.02), (0.05, 0.8)] {
        for &(shift, arl0) in &[(Shift::Points(10.0), 1e4), (Shift::Sd(0.5), 500.0)] {
            let c = CusumChart::new(&shares(p, d), shift, arl0).unwrap();
            let x = c.theta * (c.h + 1.166);
            let approx = (x.exp_m1() - x) / (c.theta * c.k);
            assert!((approx / arl0 - 1.0).abs() < 1e-9, "{p} {d}: {approx}");
            // θ solves E[exp(θw)] = 1 for the three-point increments.
            let probs = [d, 1.0 - p - d, p];
            let mgf: f64 = probs
                .iter()
                .zip(c.increments)
                .map(|(q, w)| q * (c.theta * w).exp())
                .sum();
            assert!((mgf - 1.0).abs() < 1e-12, "{mgf}");
            assert_eq!(c.source, BaselineSource::Given);
            assert!((c.false_alarm_rate() - 1.0 / arl0).abs() < 1e-18);
        }
    }
    // A given NPS with its spread is the same chart as the shares it implies.
    let from_nps = CusumChart::new(
        &Baseline::Nps {
            nps: 30.0,
            sd: 100.0 * 0.61f64.sqrt(),
        },
        Shift::Points(10.0),
        1e4,
    )
    .unwrap();
    let from_shares = CusumChart::new(&shares(0.5, 0.2), Shift::Points(10.0), 1e4).unwrap();
    assert!((from_nps.promoters - 0.5).abs() < 1e-12);
    assert!((from_nps.detractors - 0.2).abs() < 1e-12);
    assert!((from_nps.h - from_shares.h).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------------
// The stated false-alarm rate, checked by simulation.

const GRID: [(f64, f64); 5] = [(0.5, 0.2), (0.3, 0.3), (0.7, 0.05), (0.2, 0.5), (0.9, 0.02)];

/// Realised alarms × ARL₀ / monitored responses, per baseline of `grid`, for in-control streams
/// of `per` responses each (all touchpoints interleaved in one batch call).
fn realised_ratios(
    grid: &[(f64, f64)],
    shift: Shift,
    arl0: f64,
    per: usize,
    seed: u64,
) -> Vec<f64> {
    let mut rng = SplitMix(seed);
    let names: Vec<String> = (0..grid.len()).map(|i| format!("tp{i}")).collect();
    let baselines: BTreeMap<String, Baseline> = names
        .iter()
        .zip(grid)
        .map(|(n, &(p, d))| (n.clone(), shares(p, d)))
        .collect();
    let options = MonitorOptions {
        arl0,
        shift,
        baselines,
        ..MonitorOptions::default()
    };
    let rows = per * grid.len();
    let mut codes = Vec::with_capacity(rows);
    let mut scores = Vec::with_capacity(rows);
    for _ in 0..per {
        for (c, &(p, d)) in grid.iter().enumerate() {
            codes.push(c as u32);
            scores.push(rng.score(p, d));
        }
    }
    let times: Vec<i64> = (0..rows as i64).collect();
    let tp = Dimension::new("touchpoint", names, codes).unwrap();
    let result = monitor(&tp, &scores, &times, &options).unwrap();
    assert_eq!(result.false_alarm_rate, 1.0 / arl0);
    result
        .touchpoints
        .iter()
        .map(|s| {
            assert_eq!(s.monitored, per as u64);
            s.alarms as f64 * arl0 / s.monitored as f64
        })
        .collect()
}

#[test]
fn realised_false_alarm_rate_is_within_a_factor_of_two_of_the_stated_one() {
    // 2×10⁵ in-control responses per baseline in debug builds (≈ 200–400 alarms each), 2×10⁶
    // in release.
    let per = if cfg!(debug_assertions) {
        200_000
    } else {
        2_000_000
    };
    for (shift, arl0) in [(Shift::Points(10.0), 1_000.0), (Shift::Sd(0.5), 500.0)] {
        let ratios = realised_ratios(&GRID, shift, arl0, per, 2024);
        println!("{shift:?}, ARL0 {arl0}: realised rate × ARL0 {ratios:.3?}");
        for (&(p, d), ratio) in GRID.iter().zip(&ratios) {
            assert!(
                (0.5..=2.0).contains(ratio),
                "p {p}, d {d}, {shift:?}, ARL0 {arl0}: realised rate × ARL0 = {ratio:.3}"
            );
        }
    }
}

/// The table of the module documentation (release only: `cargo test --release -p nps-core
/// --test monitor -- --ignored --nocapture`).
#[test]
#[ignore = "heavy: 4×10⁶ responses per cell; run in release"]
fn false_alarm_rate_table() {
    let grid = [
        (0.5, 0.2),
        (0.3, 0.3),
        (0.7, 0.05),
        (0.2, 0.5),
        (0.9, 0.02),
        (0.05, 0.8),
    ];
    let configs = [
        (Shift::Points(10.0), 10_000.0),
        (Shift::Points(5.0), 5_000.0),
        (Shift::Sd(0.5), 500.0),
        (Shift::Points(20.0), 1_000.0),
        (Shift::Sd(1.0), 1_000.0),
        // Beyond the approximation's reach (reported, not asserted).
        (Shift::Sd(2.0), 1_000.0),
    ];
    let columns: Vec<Vec<f64>> = configs
        .iter()
        .map(|&(shift, arl0)| realised_ratios(&grid, shift, arl0, 4_000_000, 7))
        .collect();
    println!("p / d | {configs:?}");
    for (i, (p, d)) in grid.iter().enumerate() {
        let row: Vec<String> = columns.iter().map(|c| format!("{:.2}", c[i])).collect();
        println!("{p:.2} / {d:.2} | {}", row.join(" | "));
    }
    for c in &columns[..5] {
        assert!(c.iter().all(|r| (0.5..=2.0).contains(r)), "{c:?}");
    }
}

/// The false-alarm rate when each touchpoint's baseline is estimated from a warm-up (release
/// only): pooled over 400 touchpoints per cell, with the nominal threshold and with the
/// guaranteed one (probability 0.9), and the share of touchpoints whose realised rate is within
/// the stated one.
#[test]
#[ignore = "heavy; run in release"]
fn false_alarm_rate_with_an_estimated_baseline() {
    let (p, d) = (0.5, 0.2);
    for arl0 in [1_000.0, 10_000.0] {
        for warmup in [200u64, 500, 1_000, 5_000] {
            for guarantee in [None, Some(0.9)] {
                let touchpoints = 400usize;
                let per = warmup as usize + (20.0 * arl0) as usize;
                let mut rng = SplitMix(warmup ^ arl0 as u64);
                let options = MonitorOptions {
                    arl0,
                    warmup,
                    guarantee,
                    ..MonitorOptions::default()
                };
                let mut m = Monitor::new(options).unwrap();
                for t in 0..touchpoints {
                    let name = format!("tp{t}");
                    for _ in 0..per {
                        m.observe(&name, rng.score(p, d), 0).unwrap();
                    }
                }
                let states = m.states();
                let alarms: u64 = states.iter().map(|s| s.alarms).sum();
                let monitored: u64 = states.iter().map(|s| s.monitored).sum();
                let mut each: Vec<f64> = states
                    .iter()
                    .map(|s| s.alarms as f64 * arl0 / s.monitored as f64)
                    .collect();
                each.sort_by(f64::total_cmp);
                let within = each.iter().filter(|&&r| r <= 1.0).count() as f64 / each.len() as f64;
                println!(
                    "ARL0 {arl0}, warm-up {warmup}, guarantee {guarantee:?}: pooled {:.2}, median \
                 {:.2}, 90th percentile {:.2}, within the stated rate {:.0} %",
                    alarms as f64 * arl0 / monitored as f64,
                    each[each.len() / 2],
                    each[each.len() * 9 / 10],
                    100.0 * within
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Detection of a planted drop.

#[test]
fn a_planted_drop_of_15_points_is_detected_at_about_the_predicted_delay() {
    // Baseline NPS 30 (p 0.5, d 0.2); after the change NPS 15 (p 0.4, d 0.25). Defaults:
    // tuned for a 10-point drop, ARL₀ 10 000.
    let options = given(0.5, 0.2, Shift::Points(10.0), 10_000.0);
    let chart = CusumChart::new(&shares(0.5, 0.2), options.shift, options.arl0).unwrap();
    let sigma = chart.sd / 100.0;
    let predicted = cusum_arl(chart.k, chart.h, 0.15 / sigma);
    let mut rng = SplitMix(99);

    // Zero-state delay: out of control from the first response.
    let reps = 200;
    let mut delays = Vec::with_capacity(reps);
    for _ in 0..reps {
        let mut m = Monitor::new(options.clone()).unwrap();
        let mut delay = None;
        for i in 0..20_000u64 {
            if let Some(a) = m.observe("app", rng.score(0.4, 0.25), i as i64).unwrap() {
                delay = Some(a.index + 1);
                break;
            }
        }
        delays.push(delay.expect("a 15-point drop is detected within 20 000 responses") as f64);
    }
    let mean = delays.iter().sum::<f64>() / reps as f64;
    println!("15-point drop: mean delay {mean:.0} responses, Siegmund {predicted:.0}");
    assert!(
        mean > predicted / 1.5 && mean < predicted * 1.5,
        "mean delay {mean:.0}, predicted {predicted:.0}"
    );

    // A change after 3000 in-control responses: the first alarm after it, and its change point.
    let mut errors = Vec::new();
    let mut late = Vec::new();
    for _ in 0..100 {
        let mut m = Monitor::new(options.clone()).unwrap();
        let mut found: Option<Alarm> = None;
        for i in 0..20_000u64 {
            let (p, d) = if i < 3_000 { (0.5, 0.2) } else { (0.4, 0.25) };
            if let Some(a) = m.observe("app", rng.score(p, d), i as i64).unwrap()
                && i >= 3_000
            {
                found = Some(a);
                break;
            }
        }
        let a = found.expect("detected");
        assert!(a.drop < 0.0 && a.nps < a.baseline_nps);
        assert!(a.change_index <= a.index && a.change_time <= a.time);
        errors.push((a.change_index as f64 - 3_000.0).abs());
        late.push((a.index - 3_000) as f64);
    }
    errors.sort_by(f64::total_cmp);
    late.sort_by(f64::total_cmp);
    let median_error = errors[errors.len() / 2];
    let median_delay = late[late.len() / 2];
    println!("change point: median |error| {median_error}, median delay {median_delay}");
    assert!(median_error < predicted / 2.0, "{median_error}");
}

// ---------------------------------------------------------------------------------------------
// Warm-up, missing answers and rows without a touchpoint.

#[test]
fn the_warm_up_estimates_the_baseline_with_pseudo_answers() {
    let options = MonitorOptions {
        warmup: 10,
        ..MonitorOptions::default()
    };
    let mut m = Monitor::new(options).unwrap();
    // 10 answered: 6 promoters, 3 passives, 1 detractor; one missing in between.
    let scores = [
        10.0,
        9.0,
        f64::NAN,
        10.0,
        8.0,
        10.0,
        7.0,
        9.0,
        2.0,
        8.0,
        10.0,
    ];
    for (i, &s) in scores.iter().enumerate() {
        assert_eq!(m.observe("mail", s, i as i64).unwrap(), None);
    }
    let s = m.state("mail").unwrap();
    assert_eq!(
        (s.responses, s.missing, s.monitored, s.warmup_n),
        (10, 1, 0, 10)
    );
    let c = s.chart.unwrap();
    assert_eq!((c.source, c.baseline_n), (BaselineSource::Warmup, 10));
    assert!((c.promoters - 6.75 / 13.0).abs() < 1e-15);
    assert!((c.detractors - 1.75 / 13.0).abs() < 1e-15);
    assert!((c.nps - 100.0 * 5.0 / 13.0).abs() < 1e-12);
    // The next response is monitored.
    m.observe("mail", 0u8, 20).unwrap();
    let s = m.state("mail").unwrap();
    assert_eq!(s.monitored, 1);
    assert!((s.cusum - c.increments[0]).abs() < 1e-15);
    // NA rows count for the position only.
    assert_eq!(m.observe_code(NA, 3u8, 21).unwrap(), None);
    assert_eq!((m.position(), m.unassigned()), (13, 1));
}

#[test]
fn an_alarm_against_a_warm_up_baseline_compares_two_samples() {
    let options = MonitorOptions {
        warmup: 100,
        arl0: 200.0,
        ..MonitorOptions::default()
    };
    let mut m = Monitor::new(options).unwrap();
    let mut rng = SplitMix(5);
    let mut alarm = None;
    for i in 0..100_000i64 {
        let (p, d) = if i < 100 { (0.6, 0.1) } else { (0.3, 0.4) };
        if let Some(a) = m.observe("shop", rng.score(p, d), i).unwrap() {
            alarm = Some(a);
            break;
        }
    }
    let a = alarm.unwrap();
    let s = m.state("shop").unwrap();
    let c = s.chart.unwrap();
    // Two-sample adjusted Wald (as `compare`): the warm-up's counts back out of the shares.
    let warm_p = c.promoters * 103.0 - 0.75;
    let warm_d = c.detractors * 103.0 - 0.75;
    let warm_a = 100.0 - warm_p - warm_d;
    let before = nps_core::Tally::from_counts(
        Scale::STANDARD,
        [
            warm_d.round() as u64,
            0,
            0,
            0,
            0,
            0,
            0,
            warm_a.round() as u64,
            0,
            0,
            warm_p.round() as u64,
        ],
    )
    .unwrap();
    let after = nps_core::Tally::from_counts(
        Scale::STANDARD,
        [
            a.detractors,
            0,
            0,
            0,
            0,
            0,
            0,
            a.passives,
            0,
            0,
            a.promoters,
        ],
    )
    .unwrap();
    let cmp = nps_core::compare(&after, &before, nps_core::Method::AdjustedWald, 0.95).unwrap();
    assert!(
        (a.drop_low - cmp.low).abs() < 1e-9,
        "{} {}",
        a.drop_low,
        cmp.low
    );
    assert!((a.drop_high - cmp.high).abs() < 1e-9);
    assert!(a.drop_high < 0.0);
}

// ---------------------------------------------------------------------------------------------
// Independence of touchpoints.

#[test]
fn a_drop_at_one_touchpoint_does_not_alarm_another() {
    let options = MonitorOptions {
        arl0: 1e6,
        baseline: Some(shares(0.5, 0.2)),
        ..MonitorOptions::default()
    };
    let mut rng = SplitMix(11);
    let (mut names, mut scores, mut times) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..16_000i64 {
        let app = i % 2 == 0;
        let broken = app && i >= 4_000;
        let (p, d) = if broken { (0.3, 0.35) } else { (0.5, 0.2) };
        names.push(Some(if app { "app" } else { "branch" }));
        scores.push(rng.score(p, d));
        times.push(i / 3);
    }
    let tp = Dimension::from_values("touchpoint", &names);
    let both = monitor(&tp, &scores, &times, &options).unwrap();
    assert!(!both.alarms.is_empty());
    assert!(both.alarms.iter().all(|a| a.touchpoint == "app"));
    assert!(both.alarms[0].index >= 4_000);

    // The branch alone: the same state, as if the app did not exist.
    let rows: Vec<usize> = (0..names.len())
        .filter(|&i| names[i] == Some("branch"))
        .collect();
    let alone = monitor(
        &Dimension::from_values("touchpoint", &vec![Some("branch"); rows.len()]),
        &rows.iter().map(|&i| scores[i]).collect::<Vec<_>>(),
        &rows.iter().map(|&i| times[i]).collect::<Vec<_>>(),
        &options,
    )
    .unwrap();
    let branch = both
        .touchpoints
        .iter()
        .find(|s| s.touchpoint == "branch")
        .unwrap();
    let mut expected = alone.touchpoints[0].clone();
    expected.code = branch.code;
    assert_eq!(branch, &expected);
    assert_eq!(branch.alarms, 0);
}

// ---------------------------------------------------------------------------------------------
// Batch equals stream.

type Row = (Option<u8>, Option<u8>, u8);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            prop::option::weighted(0.95, 0u8..3),
            prop::option::weighted(0.9, 0u8..=10),
            0u8..3,
        ),
        0..400,
    )
}

fn options() -> impl Strategy<Value = MonitorOptions> {
    (
        2.0f64..300.0,
        prop_oneof![
            (0.0f64..60.0).prop_map(Shift::Points),
            (0.0f64..2.0).prop_map(Shift::Sd)
        ],
        1u64..40,
        prop::option::of((0.05f64..0.6, 0.05f64..0.35)),
    )
        .prop_map(|(arl0, shift, warmup, given)| {
            let mut baselines = BTreeMap::new();
            if let Some((p, d)) = given {
                baselines.insert("t1".to_owned(), shares(p, d));
            }
            MonitorOptions {
                arl0,
                shift,
                warmup,
                baselines,
                ..MonitorOptions::default()
            }
        })
}

fn columns(rows: &[Row]) -> (Dimension, Vec<f64>, Vec<i64>) {
    let names: Vec<Option<String>> = rows.iter().map(|r| r.0.map(|t| format!("t{t}"))).collect();
    let scores = rows
        .iter()
        .map(|r| r.1.map_or(f64::NAN, f64::from))
        .collect();
    let mut t = 1_700_000_000i64;
    let times = rows
        .iter()
        .map(|r| {
            t += i64::from(r.2);
            t
        })
        .collect();
    (Dimension::from_values("touchpoint", &names), scores, times)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn batch_equals_stream(rows in rows(), options in options(), cut in 0usize..400) {
        let (tp, scores, times) = columns(&rows);
        let batch = monitor(&tp, &scores, &times, &options).unwrap();

        // One response at a time, by name (levels registered first so codes agree).
        let mut stream = Monitor::new(options.clone()).unwrap();
        for level in tp.levels() {
            stream.code(level);
        }
        let mut alarms = Vec::new();
        for i in 0..rows.len() {
            let alarm = match tp.value(i) {
                Some(name) => stream.observe(name, scores[i], times[i]).unwrap(),
                None => stream.observe_code(NA, scores[i], times[i]).unwrap(),
            };
            alarms.extend(alarm);
        }
        prop_assert_eq!(&batch.alarms, &alarms);
        prop_assert_eq!(&batch.touchpoints, &stream.states());
        prop_assert_eq!(batch.rows, stream.position());
        prop_assert_eq!(batch.unassigned, stream.unassigned());

        // Two chunks, with a save and restore (serde) in between.
        let cut = cut.min(rows.len());
        let (head, tail) = (columns(&rows[..cut]), columns(&rows[cut..]));
        let mut chunked = Monitor::new(options.clone()).unwrap();
        for level in tp.levels() {
            chunked.code(level);
        }
        let mut alarms = chunked.observe_columns(&head.0, &head.1, &head.2).unwrap();
        let saved = serde_json::to_string(&chunked).unwrap();
        let mut restored: Monitor = serde_json::from_str(&saved).unwrap();
        prop_assert_eq!(&restored, &chunked);
        // The tail's times continue the head's (columns() restarts the clock): shift them.
        let offset = head.2.last().copied().unwrap_or(0);
        let tail_times: Vec<i64> = tail.2.iter().map(|t| t - 1_700_000_000 + offset).collect();
        let expected_times: Vec<i64> = head.2.iter().copied().chain(tail_times.iter().copied()).collect();
        alarms.extend(restored.observe_columns(&tail.0, &tail.1, &tail_times).unwrap());
        let whole = monitor(&tp, &scores, &expected_times, &options).unwrap();
        prop_assert_eq!(&whole.alarms, &alarms);
        prop_assert_eq!(&whole.touchpoints, &restored.states());
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input.

#[test]
fn bad_options_name_the_field() {
    for arl0 in [1.0, 0.5, -3.0, 0.0, f64::NAN, f64::INFINITY] {
        let o = MonitorOptions {
            arl0,
            ..MonitorOptions::default()
        };
        assert_eq!(field_of(&o.validate().unwrap_err()), "arl0", "{arl0}");
        assert_eq!(field_of(&Monitor::new(o).unwrap_err()), "arl0");
    }
    for shift in [
        Shift::Points(-1.0),
        Shift::Sd(-0.1),
        Shift::Points(f64::NAN),
        Shift::Points(250.0),
        Shift::Sd(f64::INFINITY),
    ] {
        let o = MonitorOptions {
            shift,
            ..MonitorOptions::default()
        };
        assert_eq!(field_of(&o.validate().unwrap_err()), "shift", "{shift:?}");
    }
    let o = MonitorOptions {
        warmup: 0,
        ..MonitorOptions::default()
    };
    assert_eq!(field_of(&o.validate().unwrap_err()), "warmup");
    for level in [0.0, 1.0, 1.5, f64::NAN] {
        let o = MonitorOptions {
            level,
            ..MonitorOptions::default()
        };
        assert!(
            matches!(o.validate(), Err(Error::InvalidLevel(_))),
            "{level}"
        );
    }
    let bad_baselines = [
        shares(0.7, 0.5),
        shares(-0.1, 0.2),
        shares(0.0, 0.0),
        shares(1.0, 0.0),
        shares(0.0, 1.0),
        shares(f64::NAN, 0.1),
        Baseline::Nps {
            nps: 30.0,
            sd: 10.0,
        },
        Baseline::Nps {
            nps: 30.0,
            sd: 99.0,
        },
        Baseline::Nps {
            nps: 120.0,
            sd: 50.0,
        },
        Baseline::Nps { nps: 0.0, sd: 0.0 },
        Baseline::Nps {
            nps: 10.0,
            sd: f64::NAN,
        },
    ];
    for b in bad_baselines {
        let o = MonitorOptions {
            baseline: Some(b),
            ..MonitorOptions::default()
        };
        assert_eq!(field_of(&o.validate().unwrap_err()), "baseline", "{b:?}");
        assert!(CusumChart::new(&b, Shift::Points(10.0), 1e4).is_err());
        let o = MonitorOptions {
            baselines: [("phone".to_owned(), b)].into(),
            ..MonitorOptions::default()
        };
        match o.validate().unwrap_err() {
            Error::InvalidArgument { field, value, .. } => {
                assert_eq!(field, "baseline");
                assert!(value.contains("\"phone\""), "{value}");
            }
            other => panic!("{other:?}"),
        }
    }
    // Edges that are fine: an NPS at the edge of its spread, zero shift, ARL₀ just above 1.
    for b in [
        Baseline::Nps {
            nps: 30.0,
            sd: 100.0 * 0.21f64.sqrt(),
        },
        Baseline::Nps {
            nps: 30.0,
            sd: 100.0 * 0.91f64.sqrt(),
        },
        shares(0.5, 0.0),
    ] {
        assert!(b.shares().is_ok(), "{b:?}");
    }
    let edge = MonitorOptions {
        arl0: 1.0001,
        shift: Shift::Points(0.0),
        warmup: 1,
        ..MonitorOptions::default()
    };
    edge.validate().unwrap();
    assert_eq!(
        field_of(&CusumChart::new(&shares(0.5, 0.2), Shift::Sd(1.0), 1.0).unwrap_err()),
        "arl0"
    );
}

#[test]
fn bad_columns_name_the_position() {
    let o = MonitorOptions::default();
    let tp = Dimension::from_values("touchpoint", &[Some("a"), Some("b"), Some("a")]);
    // Scores off the scale, in any type.
    match monitor(&tp, &[10u8, 11, 3], &[1, 2, 3], &o).unwrap_err() {
        Error::InvalidScore { index, value, .. } => assert_eq!((index, value), (1, 11.0)),
        other => panic!("{other:?}"),
    }
    match monitor(&tp, &[10.0, 9.0, 2.5], &[1, 2, 3], &o).unwrap_err() {
        Error::InvalidScore { index, value, .. } => assert_eq!((index, value), (2, 2.5)),
        other => panic!("{other:?}"),
    }
    match monitor(&tp, &[-1i32, 9, 2], &[1, 2, 3], &o).unwrap_err() {
        Error::InvalidScore { index, .. } => assert_eq!(index, 0),
        other => panic!("{other:?}"),
    }
    // Off a custom scale (1–5): a 0.
    let five = MonitorOptions {
        scale: Scale::new(1, 5, 3, 5).unwrap(),
        ..MonitorOptions::default()
    };
    match monitor(&tp, &[5u8, 0, 3], &[1, 2, 3], &five).unwrap_err() {
        Error::InvalidScore {
            index, min, max, ..
        } => assert_eq!((index, min, max), (1, 1, 5)),
        other => panic!("{other:?}"),
    }
    // Lengths.
    match monitor(&tp, &[10u8, 9], &[1, 2, 3], &o).unwrap_err() {
        Error::LengthMismatch {
            field,
            found,
            expected,
            ..
        } => {
            assert_eq!((field.as_str(), found, expected), ("scores", 2, 3))
        }
        other => panic!("{other:?}"),
    }
    match monitor(&tp, &[10u8, 9, 8], &[1, 2], &o).unwrap_err() {
        Error::LengthMismatch { field, .. } => assert_eq!(field, "times"),
        other => panic!("{other:?}"),
    }
    // Times out of order.
    match monitor(&tp, &[10u8, 9, 8], &[5, 6, 4], &o).unwrap_err() {
        Error::InvalidArgument { field, value, .. } => {
            assert_eq!(field, "times");
            assert!(value.contains("index 2"), "{value}");
        }
        other => panic!("{other:?}"),
    }
    // Equal times are fine; NaN is a missing answer.
    let ok = monitor(&tp, &[10.0, f64::NAN, 8.0], &[5, 5, 5], &o).unwrap();
    assert_eq!(
        (ok.touchpoints[0].responses, ok.touchpoints[1].missing),
        (2, 1)
    );
}

#[test]
fn a_rejected_response_changes_nothing() {
    let mut m = Monitor::new(given(0.5, 0.2, Shift::Points(10.0), 100.0)).unwrap();
    for i in 0..50 {
        m.observe("phone", if i % 3 == 0 { 2u8 } else { 9 }, 100 + i)
            .unwrap();
    }
    let before = m.clone();
    // Earlier time.
    let e = m.observe("phone", 9u8, 99).unwrap_err();
    assert_eq!(field_of(&e), "time");
    assert!(e.to_string().contains("index 50"), "{e}");
    // Bad score, also for a new touchpoint (not registered).
    assert!(matches!(
        m.observe("new", 12u8, 200),
        Err(Error::InvalidScore { index: 50, .. })
    ));
    assert!(m.state("new").is_none());
    // Unknown code.
    assert_eq!(
        field_of(&m.observe_code(7, 9u8, 200).unwrap_err()),
        "touchpoint"
    );
    // A chunk with one bad row (the last).
    let tp = Dimension::from_values("touchpoint", &[Some("phone"), Some("mail"), Some("phone")]);
    let e = m
        .observe_columns(&tp, &[9u8, 9, 9], &[200, 201, 150])
        .unwrap_err();
    assert_eq!(field_of(&e), "times");
    assert!(e.to_string().contains("index 2"), "{e}");
    // The chunk's first row is checked against the stream's last time.
    let e = m
        .observe_columns(&tp, &[9u8, 9, 9], &[10, 201, 202])
        .unwrap_err();
    assert!(e.to_string().contains("index 0"), "{e}");
    assert_eq!(m, before);
}

#[test]
fn a_new_baseline_restarts_the_chart() {
    let mut m = Monitor::new(MonitorOptions {
        warmup: 5,
        ..MonitorOptions::default()
    })
    .unwrap();
    for (i, s) in [10u8, 9, 8, 3, 10, 0, 2].into_iter().enumerate() {
        m.observe("store", s, i as i64).unwrap();
    }
    let before = m.state("store").unwrap();
    assert!(before.cusum > 0.0);
    assert_eq!(
        before.chart.as_ref().unwrap().source,
        BaselineSource::Warmup
    );
    // A bad baseline changes nothing (and registers nothing).
    assert_eq!(
        field_of(&m.set_baseline("kiosk", &shares(0.9, 0.3)).unwrap_err()),
        "baseline"
    );
    assert!(m.state("kiosk").is_none());
    // After the crisis (危机处理) the new level is the baseline.
    m.set_baseline("store", &shares(0.3, 0.4)).unwrap();
    let after = m.state("store").unwrap();
    let chart = after.chart.unwrap();
    assert_eq!((after.cusum, after.run, after.warmup_n), (0.0, 0, 0));
    assert_eq!(chart.source, BaselineSource::Given);
    assert!((chart.nps + 10.0).abs() < 1e-12);
    assert_eq!(after.responses, before.responses);
    // Or learnt again from the next responses.
    m.rebaseline("store");
    let again = m.state("store").unwrap();
    assert!(again.chart.is_none());
    for i in 0..5 {
        m.observe("store", 9u8, 100 + i).unwrap();
    }
    assert_eq!(m.state("store").unwrap().warmup_n, 5);
}

#[test]
fn a_tampered_saved_monitor_is_rejected() {
    let mut m = Monitor::new(given(0.5, 0.2, Shift::Points(10.0), 100.0)).unwrap();
    for i in 0..20 {
        m.observe("phone", if i % 2 == 0 { 2u8 } else { 9 }, i)
            .unwrap();
    }
    let json = serde_json::to_value(&m).unwrap();
    let back: Monitor = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, m);

    let mut negative = json.clone();
    negative["tracks"][0]["cusum"] = serde_json::json!(-1.0);
    assert!(serde_json::from_value::<Monitor>(negative).is_err());
    let mut above = json.clone();
    above["tracks"][0]["cusum"] = serde_json::json!(1e6);
    assert!(serde_json::from_value::<Monitor>(above).is_err());
    let mut bad_options = json.clone();
    bad_options["options"]["arl0"] = serde_json::json!(0.5);
    assert!(serde_json::from_value::<Monitor>(bad_options).is_err());
    let mut twice = json.clone();
    let track = twice["tracks"][0].clone();
    twice["tracks"].as_array_mut().unwrap().push(track);
    assert!(serde_json::from_value::<Monitor>(twice).is_err());
    let mut behind = json;
    behind["position"] = serde_json::json!(3);
    assert!(serde_json::from_value::<Monitor>(behind).is_err());
}

#[test]
fn results_serialize() {
    let tp = Dimension::from_values("touchpoint", &[Some("a"); 40]);
    let scores: Vec<u8> = (0..40).map(|i| if i < 10 { 9 } else { 1 }).collect();
    let times: Vec<i64> = (0..40).collect();
    let o = MonitorOptions {
        warmup: 10,
        arl0: 50.0,
        ..MonitorOptions::default()
    };
    let r = monitor(&tp, &scores, &times, &o).unwrap();
    assert!(!r.alarms.is_empty());
    let json = serde_json::to_string(&r).unwrap();
    let back: nps_core::Monitoring = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    let o: MonitorOptions =
        serde_json::from_str(r#"{"arl0": 500, "shift": {"unit": "sd", "value": 0.5}}"#).unwrap();
    assert_eq!(
        (o.arl0, o.shift, o.warmup),
        (500.0, Shift::Sd(0.5), nps_core::DEFAULT_WARMUP)
    );
}
