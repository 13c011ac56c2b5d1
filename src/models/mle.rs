//! Maximum likelihood for every model: a model supplies its log-likelihood (with gradient) over N
//! positive parameters and a start; [`fit_log_parameters`] does the rest: the search on the logarithms
//! of the parameters (so they stay positive), the refusals when the data cannot identify the model, and
//! the standard errors. A new model is its likelihood and its predictions on top of this.

use super::det::Det;
use super::optimize::{self, NelderMeadOptions};
use super::ModelError;

/// Parameters are searched on their logarithms within ±LOG_BOUND (about 1e-13 to 1e13).
const LOG_BOUND: f64 = 30.0;

/// A model's log-likelihood of its data as a function of its N parameters, all positive.
pub trait LogLikelihood<const N: usize> {
    /// ln L at θ and, when `with_gradient`, its gradient with respect to θ (zeros otherwise, so the
    /// Nelder–Mead search does not pay for it).
    fn evaluate(&self, theta: [f64; N], with_gradient: bool) -> (f64, [f64; N]);

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
}

/// Whether every parameter is finite and positive, the domain of every model's likelihood.
pub fn valid_parameters(theta: &[f64]) -> bool {
    theta.iter().all(|v| v.is_finite() && *v > 0.0)
}

/// The parameters at logarithms `u`, `None` outside ±LOG_BOUND (where the parameter has run off and
/// ln L would overflow).
fn from_logs<const N: usize>(u: &[f64]) -> Option<[f64; N]> {
    let u: [f64; N] = u.try_into().ok()?;
    u.iter()
        .all(|v| v.abs() <= LOG_BOUND)
        .then(|| u.map(|v| v.exp_d()))
}

/// Maximises `likelihood` over the logarithms of its parameters: Nelder–Mead with restarts from
/// `search.start` (robust from a rough start), then damped Newton steps on the gradient (precise at the
/// end). Standard errors come from the inverse of the Hessian of −ln L in the original parameters, by
/// central differences of the gradient.
///
/// Refused when the likelihood is not finite at the best point, a parameter runs off to 0 or infinity
/// (`search.runs_off`), or the Newton steps do not converge.
pub fn fit_log_parameters<const N: usize>(
    likelihood: &impl LogLikelihood<N>,
    search: &Search<N>,
) -> Result<Estimate<N>, ModelError> {
    let model = search.model;
    let objective = |u: &[f64]| -> f64 {
        match from_logs(u) {
            Some(theta) => -likelihood.evaluate(theta, false).0,
            None => f64::INFINITY,
        }
    };
    // The chain rule: d/d(ln θ) = θ · d/dθ.
    let gradient = |u: &[f64]| -> Option<Vec<f64>> {
        let theta: [f64; N] = from_logs(u)?;
        let (_, g) = likelihood.evaluate(theta, true);
        let g: Vec<f64> = g.iter().zip(theta).map(|(d, t)| -d * t).collect();
        g.iter().all(|v| v.is_finite()).then_some(g)
    };

    let options = NelderMeadOptions {
        initial_step: 0.7,
        x_tolerance: 1e-3,
        f_tolerance: 1e-7,
        max_evaluations: search.max_evaluations,
        restarts: 2,
        restart_step: 0.1,
    };
    let coarse = optimize::nelder_mead(&objective, &search.start, &options);
    if !coarse.value.is_finite() {
        return Err(ModelError::NonFiniteLikelihood { model });
    }
    let tolerance = 1e-9 * likelihood.customers().max(1.0);
    let polished = optimize::newton_polish(&objective, &gradient, &coarse.x, 1e-5, tolerance, 100);
    let converged = polished.converged;
    let best = if polished.value <= coarse.value {
        polished
    } else {
        coarse
    };
    if !best.value.is_finite() {
        return Err(ModelError::NonFiniteLikelihood { model });
    }
    if best.x.iter().any(|u| u.abs() > LOG_BOUND - 2.0) {
        return Err(ModelError::NotIdentified {
            model,
            reason: search.runs_off,
        });
    }
    if !converged {
        return Err(ModelError::NotConverged { model });
    }
    let Some(theta) = from_logs::<N>(&best.x) else {
        return Err(ModelError::NotConverged { model });
    };

    let negative_gradient = |p: &[f64]| -> Option<Vec<f64>> {
        let theta: [f64; N] = p.try_into().ok()?;
        if !valid_parameters(&theta) {
            return None;
        }
        let (_, g) = likelihood.evaluate(theta, true);
        Some(g.iter().map(|v| -v).collect())
    };
    let steps: Vec<f64> = theta.iter().map(|t| 1e-5 * t).collect();
    let hessian = optimize::hessian_from_gradient(&negative_gradient, &theta, &steps);
    let se = optimize::standard_errors(hessian.as_ref(), N);
    Ok(Estimate {
        theta,
        log_likelihood: -best.value,
        standard_errors: std::array::from_fn(|i| se.get(i).copied().flatten()),
    })
}
