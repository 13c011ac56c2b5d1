//! Minimisation for the model fits: Nelder–Mead with restarts (robust from a rough start, needs no
//! derivative), then damped Newton steps on a gradient and Hessian (fast, precise convergence at the
//! end), a Hessian from differences of a gradient (to check analytic ones, in tests) and the inverse of a
//! symmetric positive definite matrix (for standard errors).
//!
//! Nelder–Mead uses the dimension-adaptive coefficients of Gao & Han (2012), "Implementing the
//! Nelder-Mead simplex algorithm with adaptive parameters", *Computational Optimization and
//! Applications* 51, 259–277. Objective values that are NaN count as +∞, so an objective can refuse a
//! point by returning +∞.

/// A square matrix as rows.
pub type Matrix = Vec<Vec<f64>>;

/// A gradient and a Hessian at one point.
pub type Derivatives = (Vec<f64>, Matrix);

/// Settings for [`nelder_mead`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NelderMeadOptions {
    /// Distance from the start to the other vertices of the initial simplex, along each axis.
    pub initial_step: f64,
    /// Stop when every vertex is within this distance of the best along every axis...
    pub x_tolerance: f64,
    /// ...and the values at the vertices differ by at most this times (1 + |best value|).
    pub f_tolerance: f64,
    /// Most objective evaluations over all runs.
    pub max_evaluations: usize,
    /// Most restarts from the best point with a fresh simplex, each run after a converged one; the
    /// restarts stop as soon as one no longer improves the value.
    pub restarts: usize,
    /// Size of the fresh simplex of a restart (smaller than the first: it only has to escape a
    /// collapsed simplex, not to find the basin).
    pub restart_step: f64,
}

impl Default for NelderMeadOptions {
    fn default() -> Self {
        NelderMeadOptions {
            initial_step: 0.5,
            x_tolerance: 1e-6,
            f_tolerance: 1e-12,
            max_evaluations: 5_000,
            restarts: 3,
            restart_step: 0.1,
        }
    }
}

/// The best point an optimiser found.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The point.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Objective evaluations used.
    pub evaluations: usize,
    /// Whether the stopping rule was met (rather than the evaluation budget running out).
    pub converged: bool,
}

/// The objective with NaN mapped to +∞.
fn evaluate(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> f64 {
    let v = f(x);
    if v.is_nan() {
        f64::INFINITY
    } else {
        v
    }
}

/// Minimises `f` from `x0` by Nelder–Mead, restarting from the best point while that still improves it.
pub fn nelder_mead(f: &dyn Fn(&[f64]) -> f64, x0: &[f64], options: &NelderMeadOptions) -> Minimum {
    nelder_mead_until(f, x0, options, &|_| false)
}

/// [`nelder_mead`], abandoned (not converged) as soon as the best vertex satisfies `give_up`: a search
/// that has run off where no maximum can be need not be followed to its end.
pub fn nelder_mead_until(
    f: &dyn Fn(&[f64]) -> f64,
    x0: &[f64],
    options: &NelderMeadOptions,
    give_up: &dyn Fn(&[f64]) -> bool,
) -> Minimum {
    let run = |x0: &[f64], options: &NelderMeadOptions, budget: usize| {
        nelder_mead_run(f, x0, options, budget, give_up)
    };
    let mut best = run(x0, options, options.max_evaluations);
    let mut evaluations = best.evaluations;
    for _ in 0..options.restarts {
        if !best.converged || evaluations >= options.max_evaluations {
            break;
        }
        let restart = NelderMeadOptions {
            initial_step: options.restart_step,
            ..*options
        };
        let next = run(&best.x, &restart, options.max_evaluations - evaluations);
        evaluations += next.evaluations;
        let improvement = best.value - next.value;
        let significant = improvement > options.f_tolerance * (1.0 + best.value.abs());
        if next.value < best.value {
            best = Minimum {
                evaluations,
                ..next
            };
        }
        if !significant {
            break;
        }
    }
    best.evaluations = evaluations;
    best
}

/// One Nelder–Mead run with at most `budget` evaluations, abandoned when the best vertex satisfies
/// `give_up`.
fn nelder_mead_run(
    f: &dyn Fn(&[f64]) -> f64,
    x0: &[f64],
    options: &NelderMeadOptions,
    budget: usize,
    give_up: &dyn Fn(&[f64]) -> bool,
) -> Minimum {
    let n = x0.len();
    let dim = n.max(1) as f64;
    // Gao & Han's adaptive coefficients (reflection, expansion, contraction, shrink).
    let rho = 1.0;
    let chi = 1.0 + 2.0 / dim;
    let gamma = 0.75 - 0.5 / dim;
    let sigma = 1.0 - 1.0 / dim;

    let mut evaluations = 0;
    let mut points: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut values: Vec<f64> = Vec::with_capacity(n + 1);
    points.push(x0.to_vec());
    values.push(evaluate(f, x0));
    evaluations += 1;
    for i in 0..n {
        let mut p = x0.to_vec();
        if let Some(c) = p.get_mut(i) {
            *c += options.initial_step;
        }
        values.push(evaluate(f, &p));
        points.push(p);
        evaluations += 1;
    }

    let mut converged = false;
    while evaluations < budget {
        // Order the vertices, best first.
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
        points = order.iter().map(|&i| points[i].clone()).collect();
        values = order.iter().map(|&i| values[i]).collect();

        let (Some(&f_best), Some(&f_worst)) = (values.first(), values.last()) else {
            break;
        };
        if give_up(&points[0]) {
            break;
        }
        let spread_x = points
            .iter()
            .skip(1)
            .flat_map(|p| p.iter().zip(&points[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if f_worst.is_finite()
            && f_worst - f_best <= options.f_tolerance * (1.0 + f_best.abs())
            && spread_x <= options.x_tolerance
        {
            converged = true;
            break;
        }
        if n == 0 {
            converged = true;
            break;
        }

        let f_second_worst = values[n - 1];
        let centroid: Vec<f64> = (0..n)
            .map(|j| points[..n].iter().map(|p| p[j]).sum::<f64>() / n as f64)
            .collect();
        let worst = points[n].clone();
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&worst)
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };

        let reflected = along(rho);
        let f_reflected = evaluate(f, &reflected);
        evaluations += 1;
        if f_reflected < f_best {
            let expanded = along(rho * chi);
            let f_expanded = evaluate(f, &expanded);
            evaluations += 1;
            if f_expanded < f_reflected {
                points[n] = expanded;
                values[n] = f_expanded;
            } else {
                points[n] = reflected;
                values[n] = f_reflected;
            }
            continue;
        }
        if f_reflected < f_second_worst {
            points[n] = reflected;
            values[n] = f_reflected;
            continue;
        }
        let (contracted, f_contracted, accept) = if f_reflected < f_worst {
            let c = along(rho * gamma);
            let fc = evaluate(f, &c);
            (c, fc, fc <= f_reflected)
        } else {
            let c = along(-gamma);
            let fc = evaluate(f, &c);
            (c, fc, fc < f_worst)
        };
        evaluations += 1;
        if accept {
            points[n] = contracted;
            values[n] = f_contracted;
            continue;
        }
        // Shrink towards the best vertex.
        let best = points[0].clone();
        for i in 1..=n {
            let shrunk: Vec<f64> = best
                .iter()
                .zip(&points[i])
                .map(|(b, p)| b + sigma * (p - b))
                .collect();
            values[i] = evaluate(f, &shrunk);
            points[i] = shrunk;
            evaluations += 1;
        }
    }

    let best_index = (0..values.len())
        .min_by(|&i, &j| values[i].total_cmp(&values[j]))
        .unwrap_or(0);
    Minimum {
        x: points
            .get(best_index)
            .cloned()
            .unwrap_or_else(|| x0.to_vec()),
        value: values.get(best_index).copied().unwrap_or(f64::INFINITY),
        evaluations,
        converged,
    }
}

/// Polishes a minimum of `f` by damped Newton steps: `derivatives` gives the gradient and the Hessian,
/// the Hessian is made positive definite by adding a multiple of the identity when needed, and each step
/// is shortened until the Armijo condition holds. Converged when the largest gradient component is at
/// most `gradient_tolerance`, or when the decrease the Newton step predicts is below the rounding error
/// of f (the gradient of a sum over many customers cannot be driven to zero in floating point).
/// Abandoned (not converged) as soon as a step lands where `give_up` holds.
pub fn newton_polish(
    f: &dyn Fn(&[f64]) -> f64,
    derivatives: &dyn Fn(&[f64]) -> Option<Derivatives>,
    x0: &[f64],
    gradient_tolerance: f64,
    max_iterations: usize,
    give_up: &dyn Fn(&[f64]) -> bool,
) -> Minimum {
    let mut x = x0.to_vec();
    let mut fx = evaluate(f, &x);
    let mut evaluations = 1;
    let mut converged = false;
    for _ in 0..max_iterations {
        let Some((g, h)) = derivatives(&x) else { break };
        evaluations += 1;
        let g_norm = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if !g_norm.is_finite() || g.len() != x.len() {
            break;
        }
        let Some(direction) = damped_newton_direction(&h, &g) else {
            converged = g_norm <= gradient_tolerance;
            break;
        };
        let slope: f64 = g.iter().zip(&direction).map(|(a, b)| a * b).sum();
        // Converged when the gradient is negligible or the decrease a full Newton step promises is at the
        // rounding level of f. There f can no longer tell the step from its rounding error, but the
        // gradient still points at the minimum: the full step is taken unless f clearly rises, so the
        // point found does not depend on where the search happened to stop.
        let rounding = 1e-13 * (1.0 + fx.abs());
        if g_norm <= gradient_tolerance || (slope < 0.0 && -slope <= rounding) {
            if slope < 0.0 {
                let trial: Vec<f64> = x.iter().zip(&direction).map(|(a, d)| a + d).collect();
                let f_trial = evaluate(f, &trial);
                evaluations += 1;
                if f_trial <= fx + rounding {
                    x = trial;
                    fx = f_trial;
                }
            }
            converged = true;
            break;
        }
        if slope >= 0.0 {
            break;
        }
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            let trial: Vec<f64> = x.iter().zip(&direction).map(|(a, d)| a + t * d).collect();
            let f_trial = evaluate(f, &trial);
            evaluations += 1;
            if f_trial <= fx + 1e-4 * t * slope {
                x = trial;
                fx = f_trial;
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if give_up(&x) {
            break;
        }
        if !accepted {
            // No decrease left at machine precision: converged if the gradient is close to zero.
            converged = g_norm <= 1e3 * gradient_tolerance;
            break;
        }
    }
    Minimum {
        x,
        value: fx,
        evaluations,
        converged,
    }
}

/// −(H + μI)⁻¹ g with the smallest μ ≥ 0 (0, then growing tenfold) that makes H + μI positive definite.
fn damped_newton_direction(h: &Matrix, g: &[f64]) -> Option<Vec<f64>> {
    let scale = h
        .iter()
        .enumerate()
        .filter_map(|(i, row)| row.get(i))
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(1e-12);
    let mut mu = 0.0;
    for _ in 0..40 {
        let mut damped = h.clone();
        for (i, row) in damped.iter_mut().enumerate() {
            if let Some(d) = row.get_mut(i) {
                *d += mu;
            }
        }
        if let Some(l) = cholesky(&damped) {
            let negative: Vec<f64> = g.iter().map(|v| -v).collect();
            return solve_cholesky(&l, &negative);
        }
        mu = if mu == 0.0 { 1e-10 * scale } else { mu * 10.0 };
    }
    None
}

/// The Hessian as the central difference of the gradient `grad` with steps `steps`, symmetrised;
/// `None` when a gradient is unavailable or not finite. Pareto/NBD's Hessian is made so; the tests check
/// the other models' analytic Hessians with it.
pub(crate) fn hessian_from_gradient(
    grad: &dyn Fn(&[f64]) -> Option<Vec<f64>>,
    x: &[f64],
    steps: &[f64],
) -> Option<Matrix> {
    let n = x.len();
    if steps.len() != n {
        return None;
    }
    let mut columns: Matrix = Vec::with_capacity(n);
    for (j, &hj) in steps.iter().enumerate() {
        let mut plus = x.to_vec();
        let mut minus = x.to_vec();
        plus[j] += hj;
        minus[j] -= hj;
        let gp = grad(&plus)?;
        let gm = grad(&minus)?;
        if gp.len() != n || gm.len() != n {
            return None;
        }
        columns.push(
            gp.iter()
                .zip(&gm)
                .map(|(a, b)| (a - b) / (2.0 * hj))
                .collect(),
        );
    }
    let h: Matrix = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| 0.5 * (columns[j][i] + columns[i][j]))
                .collect()
        })
        .collect();
    h.iter().flatten().all(|v| v.is_finite()).then_some(h)
}

/// The lower Cholesky factor L (A = L·Lᵀ) of a symmetric matrix, or `None` when it is not positive
/// definite.
pub fn cholesky(a: &Matrix) -> Option<Matrix> {
    let n = a.len();
    if a.iter().any(|row| row.len() != n) {
        return None;
    }
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            let v = a[i][j] - dot;
            if i == j {
                if v.is_nan() || v <= 0.0 || !v.is_finite() {
                    return None;
                }
                l[i][i] = v.sqrt();
            } else {
                l[i][j] = v / l[j][j];
            }
        }
    }
    Some(l)
}

/// Solves L·Lᵀ·x = b for a Cholesky factor L.
pub fn solve_cholesky(l: &Matrix, b: &[f64]) -> Option<Vec<f64>> {
    let n = l.len();
    if b.len() != n {
        return None;
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let dot: f64 = (0..i).map(|k| l[i][k] * y[k]).sum();
        y[i] = (b[i] - dot) / l[i][i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let dot: f64 = (i + 1..n).map(|k| l[k][i] * x[k]).sum();
        x[i] = (y[i] - dot) / l[i][i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The inverse of a symmetric positive definite matrix, or `None` when it is not positive definite.
pub fn invert_spd(a: &Matrix) -> Option<Matrix> {
    let l = cholesky(a)?;
    let n = a.len();
    let mut columns = Vec::with_capacity(n);
    for j in 0..n {
        let mut e = vec![0.0; n];
        e[j] = 1.0;
        columns.push(solve_cholesky(&l, &e)?);
    }
    Some(
        (0..n)
            .map(|i| (0..n).map(|j| columns[j][i]).collect())
            .collect(),
    )
}

/// Standard errors from the Hessian of a negative log-likelihood: the square roots of the diagonal of its
/// inverse, each `None` when the Hessian is not positive definite or the variance is not positive.
pub fn standard_errors(h: Option<&Matrix>, n: usize) -> Vec<Option<f64>> {
    let inverse = h.and_then(invert_spd);
    (0..n)
        .map(|i| {
            inverse
                .as_ref()
                .and_then(|m| m.get(i).and_then(|row| row.get(i)).copied())
                .filter(|v| *v > 0.0 && v.is_finite())
                .map(f64::sqrt)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64]) -> f64 {
        (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
    }

    fn rosenbrock_derivatives(x: &[f64]) -> Option<Derivatives> {
        let gradient = vec![
            -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]),
            200.0 * (x[1] - x[0] * x[0]),
        ];
        let hessian = vec![
            vec![2.0 - 400.0 * x[1] + 1200.0 * x[0] * x[0], -400.0 * x[0]],
            vec![-400.0 * x[0], 200.0],
        ];
        Some((gradient, hessian))
    }

    #[test]
    fn a_search_gives_up_where_it_is_told_to() {
        // Falls without end along x: the search would walk on until its budget ran out.
        let falling = |x: &[f64]| -x[0] + (x[1] - 1.0).powi(2);
        let options = NelderMeadOptions::default();
        let walked = nelder_mead(&falling, &[0.0, 0.0], &options);
        assert!(!walked.converged && walked.evaluations >= options.max_evaluations);
        assert!(walked.x[0] > 1e6, "{walked:?}");
        let given_up = nelder_mead_until(&falling, &[0.0, 0.0], &options, &|x| x[0] > 10.0);
        assert!(!given_up.converged);
        assert!(given_up.x[0] > 10.0 && given_up.x[0] < 40.0, "{given_up:?}");
        assert!(given_up.evaluations < 100, "{given_up:?}");
        // A condition never met changes nothing.
        let minimum = nelder_mead_until(&rosenbrock, &[-1.2, 1.0], &options, &|x| x[0] > 10.0);
        assert_eq!(minimum, nelder_mead(&rosenbrock, &[-1.2, 1.0], &options));
    }

    #[test]
    fn nelder_mead_then_newton_finds_the_rosenbrock_minimum() {
        let nm = nelder_mead(&rosenbrock, &[-1.2, 1.0], &NelderMeadOptions::default());
        assert!(nm.converged);
        assert!(
            (nm.x[0] - 1.0).abs() < 1e-4 && (nm.x[1] - 1.0).abs() < 1e-4,
            "{nm:?}"
        );
        let polished = newton_polish(
            &rosenbrock,
            &rosenbrock_derivatives,
            &nm.x,
            1e-10,
            50,
            &|_| false,
        );
        assert!(polished.converged);
        assert!((polished.x[0] - 1.0).abs() < 1e-9 && (polished.x[1] - 1.0).abs() < 1e-9);
    }

    #[test]
    fn nan_counts_as_infinity() {
        let f = |x: &[f64]| {
            if x[0] < 0.0 {
                f64::NAN
            } else {
                (x[0] - 2.0).powi(2)
            }
        };
        let nm = nelder_mead(&f, &[0.5], &NelderMeadOptions::default());
        assert!((nm.x[0] - 2.0).abs() < 1e-5);
    }

    #[test]
    fn hessians_and_inverse() {
        // f = x² + 3xy + 5y², Hessian [[2, 3], [3, 10]], inverse [[10, −3], [−3, 2]] / 11.
        let g = |x: &[f64]| Some(vec![2.0 * x[0] + 3.0 * x[1], 3.0 * x[0] + 10.0 * x[1]]);
        let h2 = hessian_from_gradient(&g, &[0.3, -0.2], &[1e-3, 1e-3]).unwrap();
        assert!((h2[0][0] - 2.0).abs() < 1e-6 && (h2[0][1] - 3.0).abs() < 1e-6);
        assert!((h2[1][0] - 3.0).abs() < 1e-6 && (h2[1][1] - 10.0).abs() < 1e-6);
        let inv = invert_spd(&h2).unwrap();
        assert!((inv[0][0] - 10.0 / 11.0).abs() < 1e-6 && (inv[0][1] + 3.0 / 11.0).abs() < 1e-6);
        let se = standard_errors(Some(&h2), 2);
        assert!((se[1].unwrap() - (2.0f64 / 11.0).sqrt()).abs() < 1e-6);
        // Indefinite: no standard errors.
        let indefinite = vec![vec![1.0, 2.0], vec![2.0, 1.0]];
        assert_eq!(standard_errors(Some(&indefinite), 2), vec![None, None]);
    }
}
