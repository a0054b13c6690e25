//! Algebraic invariants of tallies and intervals, checked by proptest.

use nps_core::{Method, Scale, Tally};
use proptest::prelude::*;

fn scores() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(0u8..=10, 1..300)
}

fn weighted() -> impl Strategy<Value = (Vec<u8>, Vec<f64>)> {
    prop::collection::vec((0u8..=10, 0.01f64..10.0), 2..200).prop_map(|v| v.into_iter().unzip())
}

fn tally(s: &[u8]) -> Tally {
    Tally::from_scores(s).unwrap()
}

/// Category counts (promoters, passives, detractors) of a tally.
fn pdp(t: &Tally) -> (f64, f64, f64) {
    let [d, pa, p] = t.category_counts().map(|c| c as f64);
    (p, pa, d)
}

const ALL_METHODS: [Method; 5] = [
    Method::Wald,
    Method::AdjustedWald,
    Method::Score,
    Method::Bayes { prior: 0.5 },
    Method::Bootstrap {
        replicates: 2_000,
        seed: 7,
    },
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn nps_lies_in_range(s in scores()) {
        let t = tally(&s);
        let nps = t.nps().unwrap();
        prop_assert!((-100.0..=100.0).contains(&nps));
        let (p, pa, d) = pdp(&t);
        prop_assert!((t.shares().unwrap().passives - pa / (p + pa + d)).abs() < 1e-12);
    }

    #[test]
    fn merge_is_commutative_and_associative(a in scores(), b in scores(), c in scores()) {
        let (ta, tb, tc) = (tally(&a), tally(&b), tally(&c));
        prop_assert_eq!(ta.clone() + tb.clone(), tb.clone() + ta.clone());
        prop_assert_eq!((ta.clone() + tb.clone()) + tc.clone(), ta.clone() + (tb.clone() + tc.clone()));
        let all: Vec<u8> = a.iter().chain(&b).chain(&c).copied().collect();
        prop_assert_eq!([ta, tb, tc].into_iter().sum::<Tally>(), tally(&all));
    }

    #[test]
    fn weighted_merge_matches_one_pass((s, w) in weighted(), split in 0usize..200) {
        let k = split.min(s.len());
        let whole = Tally::from_weighted(&s, &w).unwrap();
        let parts = Tally::from_weighted(&s[..k], &w[..k]).unwrap()
            + Tally::from_weighted(&s[k..], &w[k..]).unwrap();
        prop_assert_eq!(whole.counts(), parts.counts());
        prop_assert!((whole.nps().unwrap() - parts.nps().unwrap()).abs() < 1e-9);
        prop_assert!((whole.se().unwrap() - parts.se().unwrap()).abs() < 1e-9);
    }

    /// Unit weights give the unweighted NPS, shares and n; n_eff = n and a design effect of 1.
    /// The Taylor SE is the with-replacement one, so it is the multinomial SE times √(n/(n−1)).
    #[test]
    fn unit_weights_give_the_unweighted_answers(s in prop::collection::vec(0u8..=10, 2..300)) {
        let plain = tally(&s);
        let unit = Tally::from_weighted(&s, &vec![1.0; s.len()]).unwrap();
        let n = s.len() as f64;
        prop_assert!((plain.nps().unwrap() - unit.nps().unwrap()).abs() < 1e-9);
        prop_assert!((plain.shares().unwrap().passives - unit.shares().unwrap().passives).abs() < 1e-12);
        prop_assert!((unit.n_eff().unwrap() - n).abs() < 1e-9);
        prop_assert!((unit.design_effect().unwrap() - 1.0).abs() < 1e-12);
        let expected_se = plain.se().unwrap() * (n / (n - 1.0)).sqrt();
        prop_assert!((unit.se().unwrap() - expected_se).abs() < 1e-9);
        for m in [Method::AdjustedWald, Method::Score] {
            let a = plain.estimate(m, 0.95).unwrap();
            let b = unit.estimate(m, 0.95).unwrap();
            prop_assert!((a.low - b.low).abs() < 1e-7 && (a.high - b.high).abs() < 1e-7);
        }
    }

    /// Scaling all weights by a constant changes nothing.
    #[test]
    fn weights_are_scale_free((s, w) in weighted(), k in 0.01f64..100.0) {
        let a = Tally::from_weighted(&s, &w).unwrap();
        let scaled: Vec<f64> = w.iter().map(|x| x * k).collect();
        let b = Tally::from_weighted(&s, &scaled).unwrap();
        prop_assert!((a.nps().unwrap() - b.nps().unwrap()).abs() < 1e-9);
        prop_assert!((a.se().unwrap() - b.se().unwrap()).abs() < 1e-9);
        prop_assert!((a.n_eff().unwrap() - b.n_eff().unwrap()).abs() < 1e-7);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Each interval contains its own centre: the NPS for wald, score and bootstrap; the adjusted
    /// estimate (P − D)/(n + 3) for adjusted_wald; the posterior mean (P − D)/(n + 3a) for bayes.
    /// (At the edges, e.g. one promoter, the last two rightly exclude the raw NPS of 100.)
    #[test]
    fn intervals_contain_their_estimate(s in scores(), level in 0.5f64..0.999) {
        let t = tally(&s);
        let (p, _, d) = pdp(&t);
        let n = t.n() as f64;
        for m in ALL_METHODS {
            let e = t.estimate(m, level).unwrap();
            let centre = match m {
                Method::AdjustedWald => 100.0 * (p - d) / (n + 3.0),
                Method::Bayes { prior } => 100.0 * (p - d) / (n + 3.0 * prior),
                _ => e.nps,
            };
            prop_assert!(e.low <= centre + 1e-9 && centre <= e.high + 1e-9,
                "{m}: {} not in [{}, {}]", centre, e.low, e.high);
            prop_assert!(-100.0 <= e.low && e.high <= 100.0);
        }
    }

    #[test]
    fn intervals_widen_with_confidence(s in scores(), lo in 0.5f64..0.9, extra in 0.01f64..0.09) {
        let t = tally(&s);
        for m in ALL_METHODS {
            let narrow = t.estimate(m, lo).unwrap();
            let wide = t.estimate(m, lo + extra).unwrap();
            prop_assert!(wide.low <= narrow.low + 1e-9 && narrow.high <= wide.high + 1e-9,
                "{m}: [{}, {}] at {} vs [{}, {}] at {}", wide.low, wide.high, lo + extra,
                narrow.low, narrow.high, lo);
        }
    }

    /// Relabelling scores within a category changes no estimate.
    #[test]
    fn only_categories_matter(s in scores()) {
        let coarse: Vec<u8> = s.iter().map(|&x| match Scale::STANDARD.category(x) {
            nps_core::Category::Detractor => 0,
            nps_core::Category::Passive => 7,
            nps_core::Category::Promoter => 10,
        }).collect();
        for m in ALL_METHODS {
            prop_assert_eq!(tally(&s).estimate(m, 0.9).unwrap(), tally(&coarse).estimate(m, 0.9).unwrap());
        }
    }

    /// The same seed gives the same bootstrap interval.
    #[test]
    fn bootstrap_is_reproducible(s in scores(), seed in any::<u64>()) {
        let m = Method::Bootstrap { replicates: 500, seed };
        prop_assert_eq!(tally(&s).estimate(m, 0.95).unwrap(), tally(&s).estimate(m, 0.95).unwrap());
    }
}
