//! Each kind of bad input gives a typed error whose message names the field and the position.

use nps_core::{Error, Method, Scale, Shares, Tally, compare, margin_of_error, sample_size};

fn message(r: Result<impl std::fmt::Debug, Error>) -> (Error, String) {
    let e = r.expect_err("bad input must fail");
    let text = e.to_string();
    (e, text)
}

#[test]
fn scores_off_the_scale() {
    let (e, m) = message(Tally::from_scores(&[10i64, 9, 11]));
    assert!(matches!(e, Error::InvalidScore { index: 2, .. }));
    assert_eq!(
        m,
        "score at index 2 is 11; scores are whole numbers in 0..=10"
    );

    let (_, m) = message(Tally::from_scores(&[-1i32]));
    assert_eq!(
        m,
        "score at index 0 is -1; scores are whole numbers in 0..=10"
    );

    let (_, m) = message(Tally::from_scores(&[1.0, 7.5]));
    assert_eq!(
        m,
        "score at index 1 is 7.5; scores are whole numbers in 0..=10"
    );

    let (_, m) = message(Tally::from_scores(&[f64::INFINITY]));
    assert!(m.starts_with("score at index 0 is inf"), "{m}");

    let (e, _) = message(Tally::from_weighted(&[3.0, 12.0], &[1.0, 1.0]));
    assert!(matches!(e, Error::InvalidScore { index: 1, .. }));
}

#[test]
fn bad_weights() {
    for (w, shown) in [(f64::NAN, "NaN"), (-0.5, "-0.5"), (f64::INFINITY, "inf")] {
        let (e, m) = message(Tally::from_weighted(&[9u8, 9, 9], &[1.0, w, 1.0]));
        assert!(matches!(e, Error::InvalidWeight { index: 1, .. }));
        assert_eq!(
            m,
            format!("weight at index 1 is {shown}; weights must be finite and non-negative")
        );
    }
    let zero = Tally::from_weighted(&[9u8, 3], &[0.0, 0.0]).unwrap();
    let (e, m) = message(zero.estimate(Method::Wald, 0.95));
    assert!(matches!(e, Error::ZeroTotalWeight { n: 2 }));
    assert!(m.contains("sum to zero"), "{m}");
}

#[test]
fn unequal_lengths() {
    let (e, m) = message(Tally::from_weighted(&[9u8, 9, 9], &[1.0, 1.0]));
    assert!(matches!(e, Error::LengthMismatch { .. }));
    assert_eq!(
        m,
        "weights has 2 elements but scores has 3; they must have the same length"
    );
}

#[test]
fn empty_tallies() {
    let only_missing = Tally::from_scores(&[f64::NAN, f64::NAN]).unwrap();
    assert_eq!(only_missing.missing(), 2);
    for t in [Tally::default(), only_missing] {
        let (e, m) = message(t.estimate(Method::AdjustedWald, 0.95));
        assert!(matches!(e, Error::Empty { n: 0, .. }));
        assert!(m.contains("needs at least 1 answered response"), "{m}");
        assert!(matches!(
            compare(&t, &Tally::from_scores(&[9u8]).unwrap(), Method::Wald, 0.9),
            Err(Error::Empty { .. })
        ));
    }
    let (_, m) = message(Tally::from_weighted(&[9u8], &[2.0]).unwrap().se());
    assert!(m.contains("needs at least 2"), "{m}");
    assert!(matches!(
        margin_of_error(0, 0.95, None, None),
        Err(Error::Empty { .. })
    ));
}

#[test]
fn bad_levels() {
    let t = Tally::from_scores(&[9u8, 3]).unwrap();
    for level in [0.0, 1.0, 1.5, -0.2, f64::NAN] {
        let (e, m) = message(t.estimate(Method::Wald, level));
        assert!(matches!(e, Error::InvalidLevel(_)));
        assert!(m.contains("strictly between 0 and 1"), "{m}");
        assert!(compare(&t, &t, Method::Wald, level).is_err());
        assert!(sample_size(5.0, level, None, None).is_err());
    }
    let (_, m) = message(t.estimate(Method::Wald, 1.5));
    assert!(m.starts_with("confidence level is 1.5"), "{m}");
}

#[test]
fn unknown_and_unsupported_methods() {
    let (e, m) = message(Method::from_name("walds"));
    assert!(matches!(e, Error::UnknownMethod { .. }));
    assert_eq!(
        m,
        "unknown interval method \"walds\"; expected one of wald, adjusted_wald, score, bayes, bootstrap"
    );
    let t = Tally::from_scores(&[9u8, 3]).unwrap();
    let (e, _) = message(compare(&t, &t, Method::Score, 0.95));
    assert!(matches!(e, Error::UnsupportedMethod { .. }));
}

#[test]
fn bad_method_parameters() {
    let t = Tally::from_scores(&[9u8, 3]).unwrap();
    let zero = Method::Bootstrap {
        replicates: 0,
        seed: 1,
    };
    let (e, m) = message(t.estimate(zero, 0.95));
    assert!(matches!(
        e,
        Error::InvalidArgument {
            field: "replicates",
            ..
        }
    ));
    assert!(m.starts_with("replicates is 0"), "{m}");
    for prior in [0.0, -1.0, f64::NAN] {
        let (_, m) = message(t.estimate(Method::Bayes { prior }, 0.95));
        assert!(m.starts_with("prior is"), "{m}");
    }
}

#[test]
fn bad_cut_points() {
    let (e, m) = message(Scale::new(0, 10, 9, 6));
    assert!(matches!(e, Error::InvalidScale(_)));
    assert!(m.contains("detractor_max 9, promoter_min 6"), "{m}");
    assert!(Scale::new(0, 11, 6, 9).is_err());
    assert!(Scale::new(3, 10, 2, 9).is_err());
    assert!(Scale::new(0, 8, 6, 9).is_err());
    // Deserialization validates too.
    let bad = r#"{"min":0,"max":10,"detractor_max":9,"promoter_min":6}"#;
    assert!(serde_json::from_str::<Scale>(bad).is_err());
}

#[test]
fn mixing_scales() {
    let five = Scale::new(1, 5, 3, 5).unwrap();
    let mut a = Tally::new(five);
    let b = Tally::from_scores(&[9u8]).unwrap();
    let (e, _) = message(a.merge(&b));
    assert!(matches!(e, Error::ScaleMismatch { .. }));
    assert!(matches!(
        compare(&a, &b, Method::Wald, 0.9),
        Err(Error::ScaleMismatch { .. })
    ));
}

#[test]
fn bad_planning_arguments() {
    for margin in [0.0, -5.0, 250.0, f64::NAN] {
        let (_, m) = message(sample_size(margin, 0.95, None, None));
        assert!(m.starts_with("margin is"), "{m}");
    }
    let (_, m) = message(margin_of_error(100, 0.95, None, Some(50)));
    assert!(m.starts_with("population is 50"), "{m}");
    assert!(Shares::from_promoters_detractors(0.7, 0.5).is_err());
    assert!(Shares::from_promoters_detractors(-0.1, 0.5).is_err());
    assert!(Shares::from_promoters_detractors(f64::NAN, 0.5).is_err());
}
