//! The estimation core from Rust: tally answers, estimate with every interval method, compare
//! two waves, plan the next survey. Run with `cargo run -p nps-core --example basic`.

use nps_core::{Method, Tally, compare, margin_of_error, sample_size};

fn main() -> Result<(), nps_core::Error> {
    // Last month's and this month's answers to "How likely are you to recommend us?" (0–10);
    // NaN is a customer who skipped the question.
    let last: Vec<f64> = [
        10.0, 9.0, 8.0, 6.0, 10.0, 7.0, 9.0, 3.0, 10.0, 9.0, 5.0, 8.0,
    ]
    .repeat(20);
    let this: Vec<f64> = [
        10.0,
        9.0,
        9.0,
        6.0,
        10.0,
        8.0,
        9.0,
        f64::NAN,
        10.0,
        9.0,
        7.0,
    ]
    .repeat(20);
    let (a, b) = (Tally::from_scores(&this)?, Tally::from_scores(&last)?);

    println!("this month: n = {} ({} missing)", a.n(), a.missing());
    for name in ["wald", "adjusted_wald", "score", "bayes", "bootstrap"] {
        let e = a.estimate(name.parse()?, 0.95)?;
        println!(
            "  {name:<14} NPS {:6.2}  95 % [{:6.2}, {:6.2}]",
            e.nps, e.low, e.high
        );
    }

    let c = compare(&a, &b, Method::AdjustedWald, 0.95)?;
    println!(
        "change: {:+.2} points (SE {:.2}, p = {:.4}), 95 % [{:.2}, {:.2}]",
        c.difference, c.se, c.p_value, c.low, c.high
    );

    println!(
        "margin with n = {}: ±{:.2} points; for ±3 points we need {} answers",
        a.n(),
        margin_of_error(a.n(), 0.95, None, None)?,
        sample_size(3.0, 0.95, None, None)?
    );
    Ok(())
}
