//! Maximum likelihood for every model: a model supplies its log-likelihood (with gradient) over N
//! positive parameters and a start; [`fit_log_parameters`] does the rest: the search on the logarithms
//! of the parameters (so they stay positive), the refusals when the data cannot identify the model, and
//! the standard errors. A new model is its likelihood and its predictions on top of this.

use super::det::Det;
use super::optimize::{self, NelderMeadOptions};
use super::ModelError;

/// Parameters are searched on their logarithms within ±LOG_BOUND (about 1e-13 to 1e13) unless a model
/// bounds one closer ([`Search::log_bounds`]).
pub const LOG_BOUND: f64 = 30.0;

/// A model's log-likelihood of its data as a function of its N parameters, all positive.
pub trait LogLikelihood<const N: usize> {
    /// ln L at θ and, when `with_gradient`, its gradient with respect to θ (zeros otherwise, so the
    /// Nelder–Mead search does not pay for it).
    fn evaluate(&self, theta: [f64; N], with_gradient: bool) -> (f64, [f64; N]);

    /// ln L at θ, its gradient and its Hessian with respect to θ (for the Newton steps and the standard
    /// errors).
    fn second_order(&self, theta: [f64; N]) -> (f64, [f64; N], [[f64; N]; N]);

    /// Customers the likelihood sums over: the gradient at the optimum is a sum of that many rounded
    /// terms, so the tolerance on it grows with them.
    fn customers(&self) -> f64;
}

/// What differs between the models' searches besides the likelihood.
#[derive(Debug, Clone, Copy)]
pub struct Search<const N: usize> {
    /// The model's name in its errors.
    pub model: &'static str,
    /// Logarithms of the parameters to start from.
    pub start: [f64; N],
    /// Most likelihood evaluations of the Nelder–Mead search.
    pub max_evaluations: usize,
    /// The bound on the logarithm of each parameter (at most [`LOG_BOUND`]): a maximum within 2 of it
    /// has run off. A shape parameter past e^±10 describes a population without heterogeneity (or
    /// with no mass), which the data cannot tell from the limit.
    pub log_bounds: [f64; N],
    /// Why the data cannot identify the model when a parameter runs off to 0 or infinity, in the
    /// user's terms (the end of a sentence).
    pub runs_off: &'static str,
}

/// The maximum likelihood estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate<const N: usize> {
    /// The parameters.
    pub theta: [f64; N],
    /// The log-likelihood there.
    pub log_likelihood: f64,
    /// Standard error of each parameter, `None` when the Hessian is not positive definite.
    pub standard_errors: [Option<f64>; N],
    /// Covariance of the logarithms of the parameters (the inverse of the Hessian of −ln L with respect
    /// to them), the sampling distribution the prediction intervals draw from; `None` when that Hessian
    /// is not positive definite.
    pub log_covariance: Option<[[f64; N]; N]>,
    /// How the search ended.
    pub convergence: Convergence,
}

/// How a fit's search ended: the evidence that it reached a maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Convergence {
    /// Likelihood evaluations of the search (Nelder–Mead and Newton steps together).
    pub iterations: u64,
    /// Largest absolute component of the gradient of ln L with respect to the logarithms of the
    /// parameters at the estimate (0 at an exact maximum); `None` when it is not a finite number.
    pub gradient_norm: Option<f64>,
}

/// Whether every parameter is finite and positive, the domain of every model's likelihood.
pub fn valid_parameters(theta: &[f64]) -> bool {
    theta.iter().all(|v| v.is_finite() && *v > 0.0)
}

/// The parameters at logarithms `u`, `None` outside ±`bounds` (where the parameter has run off and
/// ln L would overflow).
fn from_logs<const N: usize>(u: &[f64], bounds: &[f64; N]) -> Option<[f64; N]> {
    let u: [f64; N] = u.try_into().ok()?;
    u.iter()
        .zip(bounds)
        .all(|(v, bound)| v.abs() <= *bound)
        .then(|| u.map(|v| v.exp_d()))
}

/// Most Newton steps from parameters given as near the maximum (see [`fit_log_parameters`]).
const NEAR_NEWTON_STEPS: usize = 20;

/// Why a repeat-purchase model (BG/NBD, MBG/NBD, Pareto/NBD) whose search runs off is refused.
pub const REPEAT_RUNS_OFF: &str =
    "a parameter runs off to zero or infinity, which happens when the \
                                   history is too short or too regular to tell how often customers \
                                   buy and how soon they stop";

/// Customers above which a fit first searches a systematic subsample of them (every k-th, about
/// SUBSAMPLE customers): the Nelder–Mead search needs hundreds of likelihood evaluations, and from the
/// subsample's maximum, close to the full one, a few Newton steps on all customers suffice.
pub const SUBSAMPLE: usize = 5_000;

/// Every k-th row, k chosen so that about [`SUBSAMPLE`] remain; `None` when there are not more than
/// twice that many (the subsample would save little).
pub fn subsample<T: Copy>(rows: &[T]) -> Option<Vec<T>> {
    let stride = rows.len() / SUBSAMPLE;
    (stride >= 2).then(|| rows.iter().step_by(stride).copied().collect())
}

/// Maximises `likelihood` over the logarithms of its parameters. When a `subsample` of the data is given,
/// its maximum (found as below) is the start of damped Newton steps on all the data, with analytic
/// derivatives; when that does not converge, or without a subsample, the search is Nelder–Mead with
/// restarts from `search.start` (robust from a rough start), then the same Newton steps (precise at the
/// end). Standard errors come from the inverse of the Hessian of −ln L in the original parameters.
/// With `near`, parameters close to the maximum (a fit of the same model on much the same data, such as
/// the full history's for a calibration refit), Newton steps on all the data start there first, and the
/// search above is made only when they do not converge.
///
/// Refused when the likelihood is not finite at the best point, a parameter runs off to 0 or infinity
/// (`search.runs_off`), or the Newton steps do not converge.
pub fn fit_log_parameters<const N: usize, L: LogLikelihood<N>>(
    likelihood: &L,
    subsample: Option<&L>,
    search: &Search<N>,
    near: Option<[f64; N]>,
) -> Result<Estimate<N>, ModelError> {
    let newton_from = |u: [f64; N]| {
        let start = Search {
            start: u,
            ..*search
        };
        maximise(likelihood, &start, false).ok()
    };
    let near = near
        .filter(|theta| valid_parameters(theta))
        .map(|theta| theta.map(|t| t.ln_d()));
    let from_near = near.and_then(newton_from);
    // A search, when needed, starts from the parameters near the maximum when there are some.
    let search = &Search {
        start: near.unwrap_or(search.start),
        ..*search
    };
    let from_subsample = from_near.or_else(|| {
        subsample
            .and_then(|s| maximise(s, search, true).ok())
            .and_then(|(u, _, _)| newton_from(u))
    });
    let (u, value, iterations) = match from_subsample {
        Some(found) => found,
        None => maximise(likelihood, search, true)?,
    };
    let Some(theta) = from_logs::<N>(&u, &search.log_bounds) else {
        return Err(ModelError::NotConverged {
            model: search.model,
        });
    };
    let (_, g, h) = likelihood.second_order(theta);
    let negative: optimize::Matrix = h
        .iter()
        .map(|row| row.iter().map(|v| -v).collect())
        .collect();
    let finite = negative.iter().flatten().all(|v| v.is_finite());
    let se = optimize::standard_errors(finite.then_some(&negative), N);
    let negative_log = negative_log_hessian(&theta, &g, &h);
    let log_covariance = negative_log
        .iter()
        .flatten()
        .all(|v| v.is_finite())
        .then(|| optimize::invert_spd(&negative_log))
        .flatten()
        .and_then(|m| {
            let rows: Vec<[f64; N]> = m
                .iter()
                .map(|row| row.as_slice().try_into().ok())
                .collect::<Option<_>>()?;
            rows.try_into().ok()
        });
    let gradient_norm = g
        .iter()
        .zip(theta)
        .fold(0.0f64, |m, (d, t)| m.max((d * t).abs()));
    Ok(Estimate {
        theta,
        log_likelihood: -value,
        standard_errors: std::array::from_fn(|i| se.get(i).copied().flatten()),
        log_covariance,
        convergence: Convergence {
            iterations,
            gradient_norm: gradient_norm.is_finite().then_some(gradient_norm),
        },
    })
}

/// The logarithms of the parameters at the maximum of `likelihood` and −ln L there: Nelder–Mead from
/// `search.start` then Newton steps when `nelder_mead`, else Newton steps from `search.start` alone.
fn maximise<const N: usize>(
    likelihood: &impl LogLikelihood<N>,
    search: &Search<N>,
    nelder_mead: bool,
) -> Result<([f64; N], f64, u64), ModelError> {
    let model = search.model;
    let objective = |u: &[f64]| -> f64 {
        match from_logs(u, &search.log_bounds) {
            Some(theta) => -likelihood.evaluate(theta, false).0,
            None => f64::INFINITY,
        }
    };
    // The chain rule: d/d(ln θ) = θ · d/dθ (see `negative_log_hessian` for the second derivatives).
    let derivatives = |u: &[f64]| -> Option<optimize::Derivatives> {
        let theta: [f64; N] = from_logs(u, &search.log_bounds)?;
        let (_, g, h) = likelihood.second_order(theta);
        let gradient: Vec<f64> = g.iter().zip(theta).map(|(d, t)| -d * t).collect();
        let hessian = negative_log_hessian(&theta, &g, &h);
        (gradient
            .iter()
            .chain(hessian.iter().flatten())
            .all(|v| v.is_finite()))
        .then_some((gradient, hessian))
    };

    // A point within 2 of a bound has run off: the search gives up there, and Newton steps would only
    // follow it.
    let run_off = |x: &[f64]| {
        x.iter()
            .zip(&search.log_bounds)
            .any(|(u, bound)| u.abs() > bound - 2.0)
    };
    let coarse = if nelder_mead {
        let options = NelderMeadOptions {
            initial_step: 0.7,
            x_tolerance: 1e-3,
            f_tolerance: 1e-7,
            max_evaluations: search.max_evaluations,
            restarts: 2,
            restart_step: 0.1,
        };
        optimize::nelder_mead_until(&objective, &search.start, &options, &run_off)
    } else {
        optimize::Minimum {
            x: search.start.to_vec(),
            value: objective(&search.start),
            evaluations: 1,
            converged: true,
        }
    };
    if !coarse.value.is_finite() {
        return Err(ModelError::NonFiniteLikelihood { model });
    }
    let not_identified = ModelError::NotIdentified {
        model,
        reason: search.runs_off,
    };
    if run_off(&coarse.x) {
        return Err(not_identified);
    }
    let tolerance = 1e-9 * likelihood.customers().max(1.0);
    // From a start near the maximum Newton steps converge in a few steps: more mean a ridge, where the
    // search from scratch is quicker than steps along it.
    let steps = if nelder_mead { 100 } else { NEAR_NEWTON_STEPS };
    let polished = optimize::newton_polish(
        &objective,
        &derivatives,
        &coarse.x,
        tolerance,
        steps,
        &run_off,
    );
    let converged = polished.converged;
    let iterations = (coarse.evaluations + polished.evaluations) as u64;
    // A converged polish may end a rounding error above the start (see `newton_polish`).
    let best = if converged || polished.value <= coarse.value {
        polished
    } else {
        coarse
    };
    if !best.value.is_finite() {
        return Err(ModelError::NonFiniteLikelihood { model });
    }
    if run_off(&best.x) {
        return Err(not_identified);
    }
    if !converged {
        return Err(ModelError::NotConverged { model });
    }
    let u: [f64; N] = best
        .x
        .as_slice()
        .try_into()
        .map_err(|_| ModelError::NotConverged { model })?;
    Ok((u, best.value, iterations))
}

/// The Hessian of −ln L in the logarithms of the parameters from the gradient `g` and Hessian `h` of
/// ln L in the parameters `theta`, by the chain rule: d²/d(ln θᵢ)d(ln θⱼ) = θᵢθⱼ · d²/dθᵢdθⱼ, plus
/// θᵢ · d/dθᵢ when i = j.
fn negative_log_hessian<const N: usize>(
    theta: &[f64; N],
    g: &[f64; N],
    h: &[[f64; N]; N],
) -> optimize::Matrix {
    (0..N)
        .map(|i| {
            (0..N)
                .map(|j| {
                    let diagonal = if i == j { g[i] * theta[i] } else { 0.0 };
                    -(h[i][j] * theta[i] * theta[j] + diagonal)
                })
                .collect()
        })
        .collect()
}

/// Asserts that `data`'s analytic gradient and Hessian at `theta` agree with central differences of its
/// value and of its gradient, and that `second_order` gives the same value and gradient as `evaluate`.
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_derivatives<const N: usize>(data: &impl LogLikelihood<N>, theta: [f64; N]) {
    let (_, g) = data.evaluate(theta, true);
    for i in 0..N {
        let h = 1e-6 * theta[i];
        let (mut plus, mut minus) = (theta, theta);
        plus[i] += h;
        minus[i] -= h;
        let numeric = (data.evaluate(plus, false).0 - data.evaluate(minus, false).0) / (2.0 * h);
        assert!(
            (numeric - g[i]).abs() <= 1e-5 * numeric.abs().max(1.0),
            "{theta:?} {i}: {numeric} vs {}",
            g[i]
        );
    }
    let (ll, g2, h) = data.second_order(theta);
    assert_eq!(
        (ll.to_bits(), g2),
        (data.evaluate(theta, false).0.to_bits(), g)
    );
    let gradient = |p: &[f64]| -> Option<Vec<f64>> {
        Some(data.evaluate(p.try_into().ok()?, true).1.to_vec())
    };
    let steps: Vec<f64> = theta.iter().map(|t| 1e-5 * t).collect();
    let numeric = optimize::hessian_from_gradient(&gradient, &theta, &steps)
        .expect("a Hessian from finite differences");
    for i in 0..N {
        for j in 0..N {
            let scale = (numeric[i][i].abs() * numeric[j][j].abs()).sqrt().max(1.0);
            assert!(
                (numeric[i][j] - h[i][j]).abs() <= 1e-5 * scale,
                "{theta:?} {i} {j}: {} vs {}",
                numeric[i][j],
                h[i][j]
            );
        }
    }
}
