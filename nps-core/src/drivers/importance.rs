//! Importance measures from the correlation matrix.

use nalgebra::{Cholesky, DMatrix, DVector, SymmetricEigen};

use super::{Correlation, DriverImportance, DriverMethod, DriverOptions, DriverRow, shapley};
use crate::{Error, Result};

/// A driver whose residual variance given the drivers before it (the SWEEP pivot, on the
/// correlation scale where the variance is 1) is below this is perfectly collinear with them:
/// 1 − R²ⱼ < 10⁻¹⁰, a condition number beyond 10¹⁰, where rounding of the correlations alone
/// (~10⁻¹⁵) already moves the coefficients.
pub(crate) const COLLINEAR_TOL: f64 = 1e-10;

/// Coefficients smaller than this do not name a driver in a collinearity error.
const COEFFICIENT_TOL: f64 = 1e-6;

/// Tolerance of the checks on a given matrix: unit diagonal, symmetry, |r| ≤ 1.
const MATRIX_TOL: f64 = 1e-9;

/// The full standardized regression: R_xx, r_xy, b = R_xx⁻¹r_xy, diag(R_xx⁻¹), R² = r_xyᵀb.
pub(crate) struct Model {
    pub(crate) p: usize,
    pub(crate) rxx: DMatrix<f64>,
    pub(crate) rxy: DVector<f64>,
    pub(crate) beta: DVector<f64>,
    pub(crate) inv_diag: Vec<f64>,
    pub(crate) r2: f64,
}

impl Model {
    /// Checks `c` and fits the full model.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a matrix that is not a correlation matrix (or, pairwise,
    /// not positive definite); [`Error::TooFewRows`] with fewer rows than drivers + 2;
    /// [`Error::CollinearDrivers`].
    pub(crate) fn fit(c: &Correlation) -> Result<Model> {
        check_matrix(c)?;
        let m = c.dimension();
        let p = m - 1;
        let needed = m as u64 + 1;
        if c.n < needed {
            return Err(Error::TooFewRows {
                drivers: c.names[1..].to_vec(),
                needed,
                n: c.n,
            });
        }
        check_collinearity(c)?;
        let rxx = DMatrix::from_fn(p, p, |i, j| c.matrix[(i + 1) * m + j + 1]);
        let rxy = DVector::from_fn(p, |i, _| c.matrix[(i + 1) * m]);
        let chol = Cholesky::new(rxx.clone()).ok_or_else(|| not_positive_definite(c, None))?;
        let beta = chol.solve(&rxy);
        let inverse = chol.inverse();
        let inv_diag = (0..p).map(|j| inverse[(j, j)]).collect();
        let r2 = rxy.dot(&beta);
        Ok(Model {
            p,
            rxx,
            rxy,
            beta,
            inv_diag,
            r2,
        })
    }
}

/// Driver importance from a correlation matrix (the outcome first, then the drivers), by
/// `options.method`.
///
/// # Formula
/// With R_xx the drivers' correlations, r = r_xy their correlations with the outcome,
/// b = R_xx⁻¹r the standardized coefficients and R² = rᵀb:
/// - `r`: rⱼ; `first`: rⱼ² (the R² of driver j alone).
/// - `beta`: bⱼ; `betasq`: bⱼ².
/// - `pratt`: bⱼrⱼ, which sums to R² (Pratt 1987, "Dividing the indivisible", in *Proc. 2nd
///   Tampere Conference in Statistics*).
/// - `last`: R² − R²₋ⱼ = bⱼ²/(R_xx⁻¹)ⱼⱼ, the R² lost when j is dropped (Darlington 1968).
/// - `car`: ωⱼ² with ω = R_xx^{-1/2}r, the squared correlation-adjusted marginal correlations
///   (Zuber & Strimmer 2011, *Statistical Applications in Genetics and Molecular Biology*
///   10(1):34); Σωⱼ² = R².
/// - `johnson`: relative weights (Johnson 2000, *Multivariate Behavioral Research* 35(1):1–19):
///   with R_xx = VΛVᵀ and Z = VΛ^{1/2}Vᵀ (the loadings of the drivers on their closest
///   orthonormal variables), ω = Z⁻¹r and εⱼ = Σₖ Zⱼₖ²ωₖ², summing to R². Equal to Genizi's
///   (1993) decomposition, relaimpo's `genizi`.
/// - `shapley`: LMG (Lindeman, Merenda & Gold 1980, *Introduction to Bivariate and
///   Multivariate Analysis*, p. 119ff; Grömping 2006, *Journal of Statistical Software*
///   17(1), relaimpo's `lmg`): φⱼ = Σ_{S ∌ j} |S|!(p − |S| − 1)!/p! · (R²(S ∪ j) − R²(S)), the
///   R² gain of j averaged over all p! orderings, which sums to R² (see the `shapley` module for
///   the subset enumeration).
///
/// Shares are raw/Σraw (relaimpo's `rela = TRUE`), raw/Σ|raw| for `beta` and `r`; the sign is
/// that of bⱼ.
///
/// A driver that duplicates another (or any exact linear combination of drivers) makes b
/// undefined, so every measure refuses it with [`Error::CollinearDrivers`] rather than
/// picking one of infinitely many answers. A near-duplicate is fine: Shapley values and
/// relative weights then split the pair's share between the two (exactly in half when the
/// other drivers are uncorrelated with them; see the tests).
///
/// # Errors
/// [`Error::InvalidArgument`] for a matrix that is not a correlation matrix or,
/// pairwise, not positive definite; [`Error::TooFewRows`] with fewer rows than drivers + 2;
/// [`Error::CollinearDrivers`]; for exact Shapley over more than `max_exact` drivers,
/// [`Error::TooManyDrivers`]; the options' errors; [`Error::InvalidArgument`] when bootstrap
/// replicates are asked of a matrix (they need the rows: use [`drivers`](super::drivers)).
///
/// # Examples
/// ```
/// use nps_core::{Correlation, DriverMethod, DriverOptions, Missing, importance};
/// // Two uncorrelated drivers: every measure gives r².
/// let c = Correlation {
///     names: vec!["nps".into(), "a".into(), "b".into()],
///     matrix: vec![1.0, 0.6, 0.3, 0.6, 1.0, 0.0, 0.3, 0.0, 1.0],
///     n: 100,
///     missing: Missing::Listwise,
///     spearman: false,
/// };
/// let options = DriverOptions { method: DriverMethod::Johnson, ..DriverOptions::default() };
/// let result = importance(&c, &options)?;
/// assert!((result.r2 - 0.45).abs() < 1e-12);
/// assert!((result.rows[0].importance - 0.36).abs() < 1e-12);
/// assert!((result.rows[1].share - 0.2).abs() < 1e-12);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn importance(correlation: &Correlation, options: &DriverOptions) -> Result<DriverImportance> {
    options.validate()?;
    if options.replicates > 0 {
        return Err(Error::InvalidArgument {
            field: "replicates",
            value: options.replicates.to_string(),
            expected: "0 for importance from a matrix: bootstrap intervals need the rows (use drivers)",
        });
    }
    point(correlation, options)
}

/// [`importance`] without the check on `replicates` (the caller bootstraps).
pub(crate) fn point(
    correlation: &Correlation,
    options: &DriverOptions,
) -> Result<DriverImportance> {
    let model = Model::fit(correlation)?;
    let (raw, se) = raw(&model, correlation, options, 0)?;
    Ok(result(correlation, &model, options, &raw, se.as_deref()))
}

/// The result rows of raw importances.
pub(crate) fn result(
    c: &Correlation,
    model: &Model,
    options: &DriverOptions,
    raw: &[f64],
    se: Option<&[f64]>,
) -> DriverImportance {
    let signed = matches!(options.method, DriverMethod::Beta | DriverMethod::R);
    let total: f64 = if signed {
        raw.iter().map(|v| v.abs()).sum()
    } else {
        raw.iter().sum()
    };
    let rows = raw
        .iter()
        .enumerate()
        .map(|(j, &v)| {
            let b = model.beta[j];
            DriverRow {
                driver: c.names[j + 1].clone(),
                importance: v,
                share: if total != 0.0 { v / total } else { 0.0 },
                sign: if b > 0.0 {
                    1
                } else if b < 0.0 {
                    -1
                } else {
                    0
                },
                se: se.map(|s| s[j]),
                low: None,
                high: None,
                includes_zero: None,
            }
        })
        .collect();
    DriverImportance {
        method: options.method,
        outcome: None,
        missing: c.missing,
        spearman: c.spearman,
        r2: model.r2,
        n: c.n,
        shapley_samples: (options.method == DriverMethod::Shapley)
            .then_some(options.shapley_samples)
            .flatten(),
        replicates: 0,
        level: None,
        rows,
    }
}

/// Raw importances (and standard errors of a sampled Shapley estimate) by `options.method`;
/// `threads` 0 = automatic.
pub(crate) fn raw(
    model: &Model,
    c: &Correlation,
    options: &DriverOptions,
    threads: usize,
) -> Result<(Vec<f64>, Option<Vec<f64>>)> {
    let p = model.p;
    let (b, r) = (&model.beta, &model.rxy);
    let values = match options.method {
        DriverMethod::R => r.iter().copied().collect(),
        DriverMethod::First => r.iter().map(|v| v * v).collect(),
        DriverMethod::Beta => b.iter().copied().collect(),
        DriverMethod::Betasq => b.iter().map(|v| v * v).collect(),
        DriverMethod::Pratt => b.iter().zip(r.iter()).map(|(b, r)| b * r).collect(),
        DriverMethod::Last => (0..p).map(|j| b[j] * b[j] / model.inv_diag[j]).collect(),
        DriverMethod::Car => car(model).iter().map(|w| w * w).collect(),
        DriverMethod::Johnson => johnson(model),
        DriverMethod::Shapley => {
            return match options.shapley_samples {
                Some(samples) => {
                    let (phi, se) =
                        shapley::sampled(&c.matrix, c.dimension(), samples, options.seed, threads);
                    Ok((phi, Some(se)))
                }
                None if p > options.max_exact => Err(Error::TooManyDrivers {
                    drivers: p,
                    limit: options.max_exact,
                }),
                None => Ok((shapley::exact(&c.matrix, c.dimension(), threads), None)),
            };
        }
    };
    Ok((values, None))
}

/// ω = R_xx^{-1/2} r (CAR scores).
fn car(model: &Model) -> DVector<f64> {
    let eigen = SymmetricEigen::new(model.rxx.clone());
    let v = &eigen.eigenvectors;
    let scale = eigen
        .eigenvalues
        .map(|l| 1.0 / l.max(f64::MIN_POSITIVE).sqrt());
    // V Λ^{-1/2} Vᵀ r
    let t = v.tr_mul(&model.rxy).component_mul(&scale);
    v * t
}

/// Johnson's relative weights εⱼ = Σₖ Zⱼₖ² ωₖ² with Z = VΛ^{1/2}Vᵀ, ω = Z⁻¹r.
fn johnson(model: &Model) -> Vec<f64> {
    let eigen = SymmetricEigen::new(model.rxx.clone());
    let v = &eigen.eigenvectors;
    let lambda = eigen.eigenvalues.map(|l| l.max(f64::MIN_POSITIVE));
    let root = lambda.map(f64::sqrt);
    // ω = V Λ^{-1/2} Vᵀ r;  Z = V Λ^{1/2} Vᵀ.
    let omega = v * v.tr_mul(&model.rxy).component_div(&root);
    let z = v * DMatrix::from_diagonal(&root) * v.transpose();
    let omega2 = omega.map(|w| w * w);
    let z2 = z.map(|x| x * x);
    (z2 * omega2).iter().copied().collect()
}

/// Checks that `c` is a correlation matrix: square, finite, symmetric, unit diagonal.
fn check_matrix(c: &Correlation) -> Result<()> {
    let m = c.dimension();
    let bad = |value: String, expected: &'static str| Error::InvalidArgument {
        field: "correlation matrix",
        value,
        expected,
    };
    if m < 2 {
        return Err(bad(
            format!("{m} column(s)"),
            "the outcome and at least one driver",
        ));
    }
    if c.matrix.len() != m * m {
        return Err(bad(
            format!("{} values for {m} names", c.matrix.len()),
            "one value per pair of names (names² values, row-major)",
        ));
    }
    for i in 0..m {
        for j in 0..m {
            let v = c.matrix[i * m + j];
            let ok = v.is_finite()
                && v.abs() <= 1.0 + MATRIX_TOL
                && (i != j || (v - 1.0).abs() <= MATRIX_TOL)
                && (v - c.matrix[j * m + i]).abs() <= MATRIX_TOL;
            if !ok {
                return Err(bad(
                    format!("{v} at ({i}, {j}) ({:?}, {:?})", c.names[i], c.names[j]),
                    "a symmetric matrix of finite correlations in [-1, 1] with a unit diagonal",
                ));
            }
        }
    }
    Ok(())
}

/// Sweeps the drivers' correlations in order (Goodnight 1979, "A tutorial on the SWEEP
/// operator", *The American Statistician* 33(3):149–158): the pivot of driver j is its
/// residual variance given the drivers before it, and the swept rows above hold its regression
/// coefficients on them. A pivot below [`COLLINEAR_TOL`] names j and the drivers it depends
/// on; a clearly negative one (pairwise deletion, or a matrix given by the caller) is not
/// positive definite.
fn check_collinearity(c: &Correlation) -> Result<()> {
    let m = c.dimension();
    let p = m - 1;
    let mut a: Vec<f64> = (0..p * p)
        .map(|k| c.matrix[(k / p + 1) * m + k % p + 1])
        .collect();
    for k in 0..p {
        let d = a[k * p + k];
        if d < -COLLINEAR_TOL {
            return Err(not_positive_definite(c, Some(k)));
        }
        if d <= COLLINEAR_TOL {
            // Coefficients of k on the drivers swept before it.
            return Err(Error::CollinearDrivers {
                driver: c.names[k + 1].clone(),
                with: (0..k)
                    .filter(|i| a[i * p + k].abs() > COEFFICIENT_TOL)
                    .map(|i| c.names[i + 1].clone())
                    .collect(),
            });
        }
        sweep(&mut a, p, k);
    }
    Ok(())
}

/// Goodnight's SWEEP on pivot k of the p × p matrix `a`, in place.
fn sweep(a: &mut [f64], p: usize, k: usize) {
    let d = a[k * p + k];
    for j in 0..p {
        a[k * p + j] /= d;
    }
    for i in 0..p {
        if i == k {
            continue;
        }
        let b = a[i * p + k];
        if b == 0.0 {
            continue;
        }
        for j in 0..p {
            a[i * p + j] -= b * a[k * p + j];
        }
        a[i * p + k] = -b / d;
    }
    a[k * p + k] = 1.0 / d;
}

fn not_positive_definite(c: &Correlation, at: Option<usize>) -> Error {
    Error::InvalidArgument {
        field: "driver correlation matrix",
        value: match at {
            Some(k) => format!(
                "not positive definite ({} pairwise deletion, at driver {:?})",
                c.missing,
                c.names[k + 1]
            ),
            None => format!("not positive definite ({} deletion)", c.missing),
        },
        expected: "a positive definite matrix: use listwise deletion, or drop a driver",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::Missing;

    fn corr(matrix: Vec<f64>, m: usize) -> Correlation {
        Correlation {
            names: (0..m).map(|k| format!("c{k}")).collect(),
            matrix,
            n: 1000,
            missing: Missing::Listwise,
            spearman: false,
        }
    }

    #[test]
    fn sweep_inverts() {
        let mut a = vec![2.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 1.5];
        let orig = a.clone();
        for k in 0..3 {
            sweep(&mut a, 3, k);
        }
        // Fully swept: a = −A⁻¹ up to Goodnight's sign convention (+A⁻¹ here).
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| orig[i * 3 + k] * a[k * 3 + j]).sum();
                let e = if i == j { 1.0 } else { 0.0 };
                assert!((v - e).abs() < 1e-12, "{v}");
            }
        }
    }

    #[test]
    fn a_matrix_that_is_not_positive_definite() {
        // r12 = r13 = 0.9 but r23 = −0.9: impossible for one data set (pairwise deletion).
        #[rustfmt::skip]
        let m = vec![
            1.0, 0.3, 0.2, 0.1,
            0.3, 1.0, 0.9, 0.9,
            0.2, 0.9, 1.0, -0.9,
            0.1, 0.9, -0.9, 1.0,
        ];
        let mut c = corr(m, 4);
        c.missing = Missing::Pairwise;
        let e = Model::fit(&c).err().unwrap();
        assert!(e.to_string().contains("not positive definite"), "{e}");
        assert!(e.to_string().contains("\"c3\""), "{e}");
    }

    #[test]
    fn three_way_collinearity_names_all() {
        // c3 = (c1 + c2)/√(2 + 2ρ) with corr(c1, c2) = ρ.
        let rho: f64 = 0.3;
        let s = (2.0 + 2.0 * rho).sqrt();
        let r13 = (1.0 + rho) / s;
        let y3 = (0.5 + 0.4) / s;
        #[rustfmt::skip]
        let m = vec![
            1.0, 0.5, 0.4, y3,
            0.5, 1.0, rho, r13,
            0.4, rho, 1.0, r13,
            y3, r13, r13, 1.0,
        ];
        let e = Model::fit(&corr(m, 4)).err().unwrap();
        assert_eq!(
            e,
            Error::CollinearDrivers {
                driver: "c3".into(),
                with: vec!["c1".into(), "c2".into()]
            },
        );
    }
}
