//! Every record of `tests/reference/nps_intervals.json` checked against nps-core.
//!
//! Provenance (see `tests/reference/README.md`): values from an independent Python
//! implementation (numpy/scipy/mpmath), cross-checked against the R packages NPS 1.1 and
//! 2.0.999 and survey 4.1.1 on R 4.2.2. The file is on the [−1, 1] scale; nps-core reports
//! points, so values and tolerances are multiplied by 100.

use nps_core::{Method, Scale, Shares, Tally, compare, sample_size};
use serde_json::Value;

fn records() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/reference/nps_intervals.json"
    );
    let text = std::fs::read_to_string(path).expect("reference file is in the repository");
    let file: Value = serde_json::from_str(&text).expect("reference file is JSON");
    file["records"].as_array().expect("records").clone()
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// A tally with the record's category counts (detractors at 0, passives at 7, promoters at 10).
fn tally(inputs: &Value) -> Tally {
    let mut counts = [0u64; 11];
    counts[0] = num(inputs, "detractors") as u64;
    counts[7] = num(inputs, "passives") as u64;
    counts[10] = num(inputs, "promoters") as u64;
    Tally::from_counts(Scale::STANDARD, counts).unwrap()
}

fn close(id: &str, what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{id}: {what} is {got}, reference {want} (tolerance {tol})"
    );
}

/// Runs `check` on each record of `method` and returns how many there were.
fn each(method: &str, mut check: impl FnMut(&str, &Value, f64)) -> usize {
    let recs: Vec<Value> = records()
        .into_iter()
        .filter(|r| r["method"] == method)
        .collect();
    for r in &recs {
        check(r["id"].as_str().unwrap(), r, 100.0 * num(r, "tolerance"));
    }
    recs.len()
}

fn one_sample(method: &str, m: Method, lower: &str, upper: &str) -> usize {
    each(method, |id, r, tol| {
        let e = tally(&r["inputs"]).estimate(m, num(r, "conf")).unwrap();
        close(id, "low", e.low, 100.0 * num(r, lower), tol);
        close(id, "high", e.high, 100.0 * num(r, upper), tol);
    })
}

#[test]
fn point_estimates() {
    let n = each("point_estimate", |id, r, tol| {
        let t = tally(&r["inputs"]);
        close(id, "nps", t.nps().unwrap(), 100.0 * num(r, "estimate"), tol);
        close(id, "se", t.se().unwrap(), 100.0 * num(r, "se"), tol);
        let s = t.shares().unwrap();
        close(
            id,
            "promoters",
            s.promoters,
            num(r, "p_promoter"),
            tol / 100.0,
        );
        close(id, "passives", s.passives, num(r, "p_passive"), tol / 100.0);
        close(
            id,
            "detractors",
            s.detractors,
            num(r, "p_detractor"),
            tol / 100.0,
        );
    });
    assert_eq!(n, 7);
}

#[test]
fn wald() {
    let n = one_sample("wald", Method::Wald, "lower_clipped", "upper_clipped");
    assert_eq!(n, 12);
}

#[test]
fn adjusted_wald() {
    let n = one_sample(
        "adjusted_wald_rocks",
        Method::AdjustedWald,
        "lower_clipped",
        "upper_clipped",
    );
    assert_eq!(n, 12);
}

#[test]
fn score_tango() {
    let n = one_sample("score_tango_iterative", Method::Score, "lower", "upper");
    assert_eq!(n, 12);
}

#[test]
fn bayes_dirichlet() {
    let n = each("bayes_dirichlet_equal_tailed", |id, r, tol| {
        let prior = num(r, "prior_dirichlet_alpha_each");
        let e = tally(&r["inputs"])
            .estimate(Method::Bayes { prior }, num(r, "conf"))
            .unwrap();
        close(id, "low", e.low, 100.0 * num(r, "lower"), tol);
        close(id, "high", e.high, 100.0 * num(r, "upper"), tol);
    });
    assert_eq!(n, 14);
}

/// The reference gives the exact B → ∞ bootstrap; 10,000 multinomial resamples must land within
/// one grid step 1/n of it (the file's stated acceptance).
#[test]
fn bootstrap_percentile() {
    let n = each("bootstrap_percentile_ideal", |id, r, _| {
        let t = tally(&r["inputs"]);
        let step = 100.0 / t.n() as f64 + 1e-9;
        for seed in [1, 2, 3] {
            let m = Method::Bootstrap {
                replicates: 10_000,
                seed,
            };
            let e = t.estimate(m, num(r, "conf")).unwrap();
            close(id, "low", e.low, 100.0 * num(r, "lower"), step);
            close(id, "high", e.high, 100.0 * num(r, "upper"), step);
        }
    });
    assert_eq!(n, 6);
}

fn two_sample(method: &str, m: Method) -> usize {
    each(method, |id, r, tol| {
        let (a, b) = (tally(&r["inputs"]["x"]), tally(&r["inputs"]["y"]));
        let c = compare(&a, &b, m, num(r, "conf")).unwrap();
        close(
            id,
            "difference",
            c.difference,
            100.0 * num(r, "estimate"),
            tol,
        );
        close(id, "se", c.se, 100.0 * num(r, "se"), tol);
        close(id, "z", c.z, num(r, "z_stat"), tol);
        close(id, "p", c.p_value, num(r, "p_value_two_sided"), tol / 100.0);
        close(id, "low", c.low, 100.0 * num(r, "lower"), tol);
        close(id, "high", c.high, 100.0 * num(r, "upper"), tol);
    })
}

#[test]
fn two_sample_wald() {
    assert_eq!(two_sample("two_sample_wald_z_independent", Method::Wald), 3);
}

#[test]
fn two_sample_adjusted_wald() {
    let n = two_sample("two_sample_adjusted_wald_rocks", Method::AdjustedWald);
    assert_eq!(n, 3);
}

#[test]
fn sample_sizes() {
    let n = each("sample_size_wald_margin", |id, r, _| {
        let inputs = &r["inputs"];
        let got = sample_size(
            100.0 * num(inputs, "margin"),
            num(inputs, "conf"),
            None,
            None,
        );
        assert_eq!(got.unwrap(), r["n0_ceiling"].as_u64().unwrap(), "{id}");
    });
    assert_eq!(n, 3);
}

/// Published: the R package NPS 2.0.999 on the bundled garden-centre survey
/// (examples/data/README.md): n = 13,612; 8,465 / 3,953 / 1,194; NPS 53.42; Wald [52.32, 54.51].
#[test]
fn garden_centre_published_figures() {
    let mut counts = [0u64; 11];
    counts[10] = 8465;
    counts[7] = 3953;
    counts[0] = 1194;
    let t = Tally::from_counts(Scale::STANDARD, counts).unwrap();
    let e = t.estimate(Method::Wald, 0.95).unwrap();
    assert_eq!(e.n, 13_612);
    assert!((e.nps - 53.42).abs() < 0.005);
    assert!((e.low - 52.32).abs() < 0.005 && (e.high - 54.51).abs() < 0.005);
}

/// With expected shares the variance shrinks; with a finite population the FPC applies:
/// n = n₀/(1 + (n₀ − 1)/N) (the reference file's stated formula).
#[test]
fn sample_size_with_shares_and_population() {
    let shares = Shares::from_promoters_detractors(0.5, 0.2).unwrap();
    let v: f64 = 0.5 + 0.2 - 0.09;
    let z: f64 = 1.959963984540054;
    let n0 = z * z * v / (0.05 * 0.05);
    assert_eq!(
        sample_size(5.0, 0.95, Some(shares), None).unwrap(),
        n0.ceil() as u64
    );
    let fpc: f64 = 1536.5835282776497 / (1.0 + (1536.5835282776497 - 1.0) / 2000.0);
    assert_eq!(
        sample_size(5.0, 0.95, None, Some(2000)).unwrap(),
        fpc.ceil() as u64
    );
}
