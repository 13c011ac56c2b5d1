//! The Pareto/NBD model of repeat purchases (Schmittlein, Morrison & Colombo 1987, "Counting your
//! customers: who are they and what will they do next?", *Management Science* 33(1)), with the
//! likelihood as in Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model and related
//! expressions" (<http://brucehardie.com/notes/009/>).
//!
//! While alive a customer buys at the times of a Poisson process of rate λ ~ Gamma(r, α) and dies after
//! an exponential lifetime of rate μ ~ Gamma(s, β), independent of λ. For x repeat purchases, the last
//! at t_x, observed up to T:
//!
//! L = Γ(r+x) α^r β^s / Γ(r) · [ 1 / ((α+T)^(r+x) (β+T)^s) + s · I(t_x, T) ],
//! I(lo, hi) = ∫_lo^hi (α+u)^−(r+x) (β+u)^−(s+1) du
//!
//! (the note's (s/(r+s+x))·A₀ is s·I). P(alive at T) = 1 / (1 + s·I(t_x, T)·(α+T)^(r+x) (β+T)^s); an
//! alive customer has λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T), independent, so the expected purchases
//! in the next t are P(alive) · (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^(s−1)] and the
//! probability of no purchase in the next t is 1 − P(alive) + P(alive) · [((α+T)/(α+T+t))^(r+x)
//! ((β+T)/(β+T+t))^s + s (α+T)^(r+x) (β+T)^s ∫_0^t (α+T+u)^−(r+x) (β+T+u)^−(s+1) du] (survive the whole
//! horizon without buying, or die at u without having bought before); that integral is I(T, T+t), so
//! the predictions of a customer share the tails of I at t_x, T and T+t.
//!
//! The integral I and its gradient are computed in [`power_integral`](super::power_integral), which
//! handles the regime where the ₂F₁ of the closed form converges slowly (z close to 1).

use super::bgnbd::{self, check, Checked, FitData};
use super::det::Det;
use super::mle::{self, Estimate, LogLikelihood, Search};
use super::optimize;
use super::power_integral::{
    ln_add_exp, ln_between, ln_power_integral, ln_tail, ln_tails, LnIntegral, DIFFERENCE_MARGIN,
};
use super::special::{digamma, ln_gamma};
use super::{CustomerSummary, ModelError};

const MODEL: &str = "Pareto/NBD";

/// The bound on ln r and ln s (see [`Search::log_bounds`]).
const SHAPE_LOG_BOUND: f64 = 12.0;

/// Step of the central differences of the gradient that give the Hessian, relative to each parameter.
const HESSIAN_STEP: f64 = 1e-5;

/// Largest ln T(t_x) − ln T(T) for which P(alive) is taken from the ratio of the tails (e^700 is finite);
/// beyond, from the logarithm of the odds.
const LARGEST_TAIL_RATIO: f64 = 700.0;

/// Pareto/NBD parameters (times in the unit of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoNbd {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Rate of the Gamma distribution of purchase rates.
    pub alpha: f64,
    /// Shape of the Gamma distribution of dropout rates.
    pub s: f64,
    /// Rate of the Gamma distribution of dropout rates.
    pub beta: f64,
}

impl ParetoNbd {
    /// The parameters as an array (r, α, s, β).
    fn theta(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    /// Probability that the customer is alive at T. Inputs are sanitised as in
    /// [`bgnbd::BgNbdFit::p_alive`].
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = bgnbd::sanitize(x, t_x, t);
        let [r, alpha, s, beta] = self.theta();
        let tail = |tau: f64| ln_tail(alpha, beta, r + x, s + 1.0, tau, false);
        let (ln_alpha_t, ln_beta_t) = ((alpha + t).ln_d(), (beta + t).ln_d());
        let tail_t = tail(t);
        let scale = self.odds_scale(x, ln_alpha_t, ln_beta_t, tail_t);
        self.p_alive_from_tails(
            (x, t_x, t),
            (tail(t_x), tail_t),
            scale,
            (ln_alpha_t, ln_beta_t),
        )
    }

    /// e^K, K = ln s + (r+x) ln(α+T) + s ln(β+T) + ln T(T), of x and T (given ln(α+T), ln(β+T) and the
    /// tail T(T) of the integral with exponents (r+x, s+1)): the odds of having dropped out by T are
    /// e^K (T(t_x)/T(T) − 1), the same for every t_x.
    pub(crate) fn odds_scale(
        &self,
        x: f64,
        ln_alpha_t: f64,
        ln_beta_t: f64,
        tail_t: LnIntegral,
    ) -> f64 {
        let (r, s) = (self.r, self.s);
        (s.ln_d() + (r + x) * ln_alpha_t + s * ln_beta_t + tail_t.value).exp_d()
    }

    /// P(alive at T) of sanitised (x, t_x, T) from the tails of the integral at t_x and T, the odds'
    /// scale [`Self::odds_scale`] and ln(α+T), ln(β+T): 1 / (1 + e^K (e^d − 1)) with d the difference
    /// of the logarithms of the tails, when that is safe from cancellation and overflow; otherwise from
    /// the logarithm of the odds, the integral taken by quadrature where the tails are too close.
    pub(crate) fn p_alive_from_tails(
        &self,
        (x, t_x, t): (f64, f64, f64),
        (tail_tx, tail_t): (LnIntegral, LnIntegral),
        odds_scale: f64,
        (ln_alpha_t, ln_beta_t): (f64, f64),
    ) -> f64 {
        let d = tail_tx.value - tail_t.value;
        let normal = odds_scale.is_finite() && odds_scale >= f64::MIN_POSITIVE;
        if normal && (DIFFERENCE_MARGIN..=LARGEST_TAIL_RATIO).contains(&d) {
            return 1.0 / (1.0 + odds_scale * d.exp_m1_d());
        }
        let [r, alpha, s, beta] = self.theta();
        let integral = ln_between(
            alpha,
            beta,
            r + x,
            s + 1.0,
            (t_x, t),
            Some((tail_tx, tail_t)),
            false,
        )
        .value;
        super::alive_from_ln_odds(s.ln_d() + integral + (r + x) * ln_alpha_t + s * ln_beta_t)
    }

    /// Expected purchases in `horizon` after T of a customer alive at T (sanitised x and T); 0 for a
    /// horizon that is not a positive finite number.
    pub fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 0.0;
        }
        let [r, alpha, s, beta] = self.theta();
        let ln_ratio = (horizon / (beta + t)).ln_1p_d();
        let k = (s - 1.0) * ln_ratio;
        // (1 − e^(−k))/k → 1 as s → 1.
        let shrink = if k == 0.0 { 1.0 } else { -(-k).exp_m1_d() / k };
        let value = (r + x) / (alpha + t) * (beta + t) * ln_ratio * shrink;
        if value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        }
    }

    /// Expected purchases in `horizon` after T.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = bgnbd::sanitize(x, t_x, t);
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }

    /// Probability of no purchase in `horizon` after T for a customer alive at T (sanitised x and T).
    pub fn no_purchase_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 1.0;
        }
        let [r, alpha, s, beta] = self.theta();
        let integral = ln_power_integral(alpha, beta, r + x, s + 1.0, t, t + horizon);
        self.no_purchase_with(horizon, x, t, integral)
    }

    /// [`Self::no_purchase_if_alive`] from the tails of the integral at T and T + horizon (`t_end`), the
    /// odds' scale e^K of (x, T) ([`Self::odds_scale`]) and [ln(α+τ), ln(β+τ)] at T and at T + horizon:
    /// e^survive + e^K (1 − e^−d), d = ln T(T) − ln T(T + horizon), survive = −(r+x) ln((α+T+h)/(α+T))
    /// − s ln((β+T+h)/(β+T)); the logarithmic form where the scale is not a normal number or d too small.
    pub(crate) fn no_purchase_from_tails(
        &self,
        (horizon, x): (f64, f64),
        (t, t_end): (f64, f64),
        (tail_t, tail_end): (LnIntegral, LnIntegral),
        odds_scale: f64,
        [[ln_alpha_t, ln_beta_t], [ln_alpha_end, ln_beta_end]]: [[f64; 2]; 2],
    ) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 1.0;
        }
        let d = tail_t.value - tail_end.value;
        let normal = odds_scale.is_finite() && odds_scale >= f64::MIN_POSITIVE;
        if normal && d >= DIFFERENCE_MARGIN {
            let survive =
                -(self.r + x) * (ln_alpha_end - ln_alpha_t) - self.s * (ln_beta_end - ln_beta_t);
            let p = survive.exp_d() - odds_scale * (-d).exp_m1_d();
            if p.is_finite() {
                return p.clamp(0.0, 1.0);
            }
        }
        let [r, alpha, s, beta] = self.theta();
        let tails = Some((tail_t, tail_end));
        let integral = ln_between(alpha, beta, r + x, s + 1.0, (t, t_end), tails, false).value;
        self.no_purchase_with(horizon, x, t, integral)
    }

    /// [`Self::no_purchase_if_alive`] given ln I(T, T + horizon) of the integral with exponents
    /// (r + x, s + 1): alive throughout, or dropping out at some τ in the horizon with no purchase
    /// before, s (α+T)^(r+x) (β+T)^s · I(T, T + horizon).
    pub(crate) fn no_purchase_with(&self, horizon: f64, x: f64, t: f64, ln_integral: f64) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 1.0;
        }
        let [r, alpha, s, beta] = self.theta();
        let (a1, b1, r1) = (alpha + t, beta + t, r + x);
        let survive = -r1 * (horizon / a1).ln_1p_d() - s * (horizon / b1).ln_1p_d();
        let die = s.ln_d() + r1 * a1.ln_d() + s * b1.ln_d() + ln_integral;
        let p = ln_add_exp(survive, die).exp_d();
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            1.0
        }
    }
}

/// Distinct (x, t_x, T) rows with their counts, sorted by (x, t_x, T), and the distinct (x, time) pairs
/// their integrals' tails are taken at, so that an evaluation computes each tail once without hashing.
struct Grouped {
    rows: Vec<GroupedRow>,
    /// Distinct (x, τ) pairs: the tails at t_x and at T of every row.
    pairs: Vec<[f64; 2]>,
    /// Distinct T values.
    ts: Vec<f64>,
    total: f64,
}

/// One distinct row: (x, t_x, T), its count and the positions of its two tails in `pairs`.
struct GroupedRow {
    x: f64,
    t_x: f64,
    t: f64,
    count: f64,
    tail_tx: usize,
    tail_t: usize,
    /// Position of T in `ts`.
    t_index: usize,
}

impl Grouped {
    fn new(rows: &[Checked]) -> Grouped {
        let mut keys: Vec<[u64; 3]> = rows
            .iter()
            .map(|c| [c.x, c.t_x, c.t].map(|v| (v + 0.0).to_bits()))
            .collect();
        keys.sort_unstable();
        let mut grouped: Vec<([u64; 3], f64)> = Vec::new();
        for key in keys {
            match grouped.last_mut() {
                Some(last) if last.0 == key => last.1 += 1.0,
                _ => grouped.push((key, 1.0)),
            }
        }
        // The bits of a non-negative f64 sort as its value: the pairs sort as integer pairs.
        let mut pairs: Vec<[u64; 2]> = grouped
            .iter()
            .flat_map(|([x, t_x, t], _)| [[*x, *t_x], [*x, *t]])
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let at = |pair: [u64; 2]| pairs.binary_search(&pair).unwrap_or(0);
        let mut ts: Vec<u64> = grouped.iter().map(|(key, _)| key[2]).collect();
        ts.sort_unstable();
        ts.dedup();
        let distinct = grouped
            .iter()
            .map(|&([x, t_x, t], count)| GroupedRow {
                x: f64::from_bits(x),
                t_x: f64::from_bits(t_x),
                t: f64::from_bits(t),
                count,
                tail_tx: at([x, t_x]),
                tail_t: at([x, t]),
                t_index: ts.binary_search(&t).unwrap_or(0),
            })
            .collect();
        Grouped {
            rows: distinct,
            pairs: pairs.iter().map(|p| p.map(f64::from_bits)).collect(),
            ts: ts.into_iter().map(f64::from_bits).collect(),
            total: rows.len() as f64,
        }
    }

    /// ln L at θ = (r, α, s, β) and, when `with_gradient`, its gradient (zeros otherwise); −∞ outside
    /// the domain or where it is not a number.
    fn evaluate(&self, theta: [f64; 4], with_gradient: bool) -> (f64, [f64; 4]) {
        if !mle::valid_parameters(&theta) {
            return (f64::NEG_INFINITY, [0.0; 4]);
        }
        let [r, alpha, s, beta] = theta;
        let q = s + 1.0;
        // The integral I(t_x, T) is the difference of the tails at t_x and at T, each depending on
        // (x, time) only: computed once per distinct pair (most customers share x = 0 and a day).
        let mut tails: Vec<LnIntegral> = Vec::with_capacity(self.pairs.len());
        let mut of_x = Vec::new();
        for run in self.pairs.chunk_by(|a, b| a[0] == b[0]) {
            let x = run.first().map_or(0.0, |pair| pair[0]);
            let taus: Vec<f64> = run.iter().map(|pair| pair[1]).collect();
            ln_tails(alpha, beta, r + x, q, &taus, with_gradient, &mut of_x);
            tails.append(&mut of_x);
        }
        // ln(α+T) and ln(β+T) once per distinct T.
        let ln_t: Vec<[f64; 2]> = self
            .ts
            .iter()
            .map(|t| [(alpha + t).ln_d(), (beta + t).ln_d()])
            .collect();
        let (ln_alpha, ln_beta, ln_s) = (alpha.ln_d(), beta.ln_d(), s.ln_d());
        let common = -ln_gamma(r) + r * ln_alpha + s * ln_beta;
        let digamma_r = if with_gradient { digamma(r) } else { 0.0 };
        // Rows are sorted by x: ln Γ(r+x) and ψ(r+x) once per distinct x.
        let mut last_x: Option<(u64, f64, f64)> = None;
        let mut gamma_terms = |x: f64| -> (f64, f64) {
            match last_x {
                Some((bits, ln_g, psi)) if bits == x.to_bits() => (ln_g, psi),
                _ => {
                    let psi = if with_gradient { digamma(r + x) } else { 0.0 };
                    let ln_g = ln_gamma(r + x);
                    last_x = Some((x.to_bits(), ln_g, psi));
                    (ln_g, psi)
                }
            }
        };
        // e^K = s·T(T)/e^A per (x, T), by the position of the tail at T (see `by_tail_ratio`).
        let mut scales = vec![f64::NAN; self.pairs.len()];
        let mut ll = 0.0;
        let mut gradient = [0.0; 4];
        for row in &self.rows {
            let (x, t_x, t) = (row.x, row.t_x, row.t);
            let tails = tails.get(row.tail_tx).zip(tails.get(row.tail_t));
            let [ln_alpha_t, ln_beta_t] = ln_t.get(row.t_index).copied().unwrap_or([f64::NAN; 2]);
            // ln L = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln(e^A + s·I), A = −(r+x) ln(α+T) − s ln(β+T).
            let alive = -(r + x) * ln_alpha_t - s * ln_beta_t;
            let from_ratio = tails.and_then(|(lo, hi)| {
                let scale = scales.get_mut(row.tail_t)?;
                if scale.is_nan() {
                    *scale = (ln_s + hi.value - alive).exp_d();
                }
                by_tail_ratio(lo, hi, *scale, with_gradient)
            });
            let (ln_e, w_alive, w_gone, d_integral) = match from_ratio {
                Some(e) => (alive + e.ln_sum, e.w_alive, e.w_gone, e.d_integral),
                None => {
                    let integral = ln_between(
                        alpha,
                        beta,
                        r + x,
                        q,
                        (t_x, t),
                        tails.map(|(lo, hi)| (*lo, *hi)),
                        with_gradient,
                    );
                    let gone = ln_s + integral.value;
                    let ln_e = ln_add_exp(alive, gone);
                    let w_gone = if integral.value == f64::NEG_INFINITY {
                        0.0
                    } else {
                        (gone - ln_e).exp_d()
                    };
                    (ln_e, (alive - ln_e).exp_d(), w_gone, integral.gradient)
                }
            };
            let (ln_g, psi) = gamma_terms(x);
            ll += row.count * (ln_g + common + ln_e);
            if with_gradient {
                let d_alive = [
                    -ln_alpha_t,
                    -(r + x) / (alpha + t),
                    -ln_beta_t,
                    -s / (beta + t),
                ];
                let mut d_gone = d_integral;
                d_gone[2] += 1.0 / s;
                let d_common = [psi - digamma_r + ln_alpha, r / alpha, ln_beta, s / beta];
                for i in 0..4 {
                    let d_gone_i = if w_gone == 0.0 {
                        0.0
                    } else {
                        w_gone * d_gone[i]
                    };
                    gradient[i] += row.count * (d_common[i] + w_alive * d_alive[i] + d_gone_i);
                }
            }
        }
        if ll.is_nan() || gradient.iter().any(|g| g.is_nan()) {
            (f64::NEG_INFINITY, [0.0; 4])
        } else {
            (ll, gradient)
        }
    }
}

/// A row's ln(e^A + s·I(t_x, T)) − A with I = T(t_x) − T(T), taken from the ratio of the tails: with
/// d = ln T(t_x) − ln T(T) and e^K = s·T(T)/e^A (`scale`), it is ln(1 + u), u = e^K (e^d − 1); the weights
/// of the two terms are 1/(1+u) and u/(1+u), and ∂ ln I = (∂ ln T(t_x) − e^−d ∂ ln T(T)) / (1 − e^−d).
/// Two transcendental functions instead of six; `None` where d is too small for the difference to keep
/// its digits (the caller then takes I by quadrature) or u would not be a finite number.
fn by_tail_ratio(
    lo: &LnIntegral,
    hi: &LnIntegral,
    scale: f64,
    with_gradient: bool,
) -> Option<RowTerms> {
    let d = lo.value - hi.value;
    let normal = scale.is_finite() && scale >= f64::MIN_POSITIVE;
    if !normal || !(DIFFERENCE_MARGIN..=LARGEST_TAIL_RATIO).contains(&d) {
        return None;
    }
    let grown = d.exp_m1_d();
    let u = scale * grown;
    if !u.is_finite() {
        return None;
    }
    let (w_alive, w_gone) = (1.0 / (1.0 + u), u / (1.0 + u));
    let d_integral = if with_gradient {
        let ratio = 1.0 / (1.0 + grown);
        let keep = grown * ratio;
        std::array::from_fn(|i| (lo.gradient[i] - ratio * hi.gradient[i]) / keep)
    } else {
        [0.0; 4]
    };
    Some(RowTerms {
        ln_sum: u.ln_1p_d(),
        w_alive,
        w_gone,
        d_integral,
    })
}

/// What [`by_tail_ratio`] gives for one row.
struct RowTerms {
    ln_sum: f64,
    w_alive: f64,
    w_gone: f64,
    d_integral: [f64; 4],
}

/// θ = (r, α, s, β); the gradient analytic, the Hessian by central differences of it.
impl LogLikelihood<4> for Grouped {
    fn customers(&self) -> f64 {
        self.total
    }

    fn evaluate(&self, theta: [f64; 4], with_gradient: bool) -> (f64, [f64; 4]) {
        Grouped::evaluate(self, theta, with_gradient)
    }

    fn second_order(&self, theta: [f64; 4]) -> (f64, [f64; 4], [[f64; 4]; 4]) {
        let (value, gradient) = Grouped::evaluate(self, theta, true);
        let at = |p: &[f64]| -> Option<Vec<f64>> {
            let theta: [f64; 4] = p.try_into().ok()?;
            let (v, g) = Grouped::evaluate(self, theta, true);
            v.is_finite().then(|| g.to_vec())
        };
        let steps = theta.map(|t| HESSIAN_STEP * t);
        let hessian = optimize::hessian_from_gradient(&at, &theta, &steps)
            .and_then(|h| {
                let rows: Vec<[f64; 4]> = h
                    .iter()
                    .map(|row| row.as_slice().try_into().ok())
                    .collect::<Option<_>>()?;
                rows.try_into().ok()
            })
            .unwrap_or([[f64::NAN; 4]; 4]);
        (value, gradient, hessian)
    }
}

/// The Pareto/NBD log-likelihood of the customers at (r, α, s, β), or an error when a summary is
/// invalid. Non-positive parameters give −∞.
pub fn log_likelihood(theta: [f64; 4], customers: &[CustomerSummary]) -> Result<f64, ModelError> {
    let checked = customers
        .iter()
        .enumerate()
        .map(|(i, c)| check(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Grouped::new(&checked).evaluate(theta, false).0)
}

/// Fits Pareto/NBD by maximum likelihood ([`mle::fit_log_parameters`]), starting from r = s = 1 and
/// α = β = the mean time per repeat purchase; the estimate of (r, α, s, β), the customers and the repeat
/// customers. Refused as [`bgnbd::fit`] is.
pub fn fit(customers: &[CustomerSummary]) -> Result<(Estimate<4>, usize, usize), ModelError> {
    fit_near(customers, None)
}

/// [`fit`], trying the parameters `near` first (see [`mle::fit_log_parameters`]).
pub(crate) fn fit_near(
    customers: &[CustomerSummary],
    near: Option<[f64; 4]>,
) -> Result<(Estimate<4>, usize, usize), ModelError> {
    let FitData {
        checked,
        repeat_customers,
        alpha0,
    } = FitData::prepare(MODEL, customers)?;
    let alpha0 = alpha0.ln_d();
    let subsample = mle::subsample(&checked).map(|rows| Grouped::new(&rows));
    let estimate = mle::fit_log_parameters(
        &Grouped::new(&checked),
        subsample.as_ref(),
        &Search {
            model: MODEL,
            start: [0.0, alpha0, 0.0, alpha0],
            max_evaluations: 4_000,
            // The shapes r and s past e^±10: purchase or dropout rates without heterogeneity (such as
            // a subscription's regular deliveries), the limit the likelihood approaches, not a maximum.
            log_bounds: [
                SHAPE_LOG_BOUND,
                mle::LOG_BOUND,
                SHAPE_LOG_BOUND,
                mle::LOG_BOUND,
            ],
            runs_off: mle::REPEAT_RUNS_OFF,
        },
        near,
    )?;
    Ok((estimate, checked.len(), repeat_customers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Customers drawn by hand across the regimes of the integral: one-time buyers (t_x = 0) with long
    /// and short T, repeat buyers, one who bought on the last day (t_x = T, an empty integral).
    fn customers() -> Vec<Checked> {
        let mut rows = Vec::new();
        for (i, &(x, t_x, t)) in [
            (0.0, 0.0, 38.0),
            (0.0, 0.0, 12.0),
            (1.0, 2.5, 30.0),
            (2.0, 30.0, 31.0),
            (5.0, 20.0, 39.0),
            (12.0, 36.0, 36.0),
            (30.0, 38.5, 39.0),
        ]
        .iter()
        .enumerate()
        {
            for _ in 0..=i {
                rows.push(Checked { x, t_x, t });
            }
        }
        rows
    }

    #[test]
    fn the_gradient_is_the_derivative_of_the_likelihood() {
        // Central differences of ln L in each parameter, at the CDNOW optimum and where α ≫ β or β ≫ α
        // (z close to 1 for the one-time buyers).
        let data = Grouped::new(&customers());
        for theta in [
            [0.5533, 10.578, 0.6061, 11.669],
            [0.5, 1e4, 0.6, 0.5],
            [2.0, 0.3, 0.2, 5e3],
            [40.0, 3.0, 3.0, 0.01],
        ] {
            let (_, g) = data.evaluate(theta, true);
            for i in 0..4 {
                let h = 1e-6 * theta[i];
                let (mut up, mut down) = (theta, theta);
                up[i] += h;
                down[i] -= h;
                let numeric =
                    (data.evaluate(up, false).0 - data.evaluate(down, false).0) / (2.0 * h);
                assert!(
                    (numeric - g[i]).abs() <= 1e-6 * numeric.abs().max(1.0),
                    "{theta:?} ∂{i}: {numeric} vs {}",
                    g[i]
                );
            }
        }
    }

    #[test]
    fn p_alive_is_the_definition_by_simpson() {
        // 1 / (1 + s (α+T)^(r+x) (β+T)^s ∫_t_x^T (α+u)^−(r+x) (β+u)^−(s+1) du), the integral by Simpson's
        // rule in plain numbers, through both branches: the tails' ratio and, with t_x close to T, the
        // quadrature.
        let simpson = |f: &dyn Fn(f64) -> f64, a: f64, b: f64| {
            let n = 20_000;
            let h = (b - a) / n as f64;
            let inner: f64 = (1..n)
                .map(|i| f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
                .sum();
            (f(a) + f(b) + inner) * h / 3.0
        };
        for m in [
            ParetoNbd {
                r: 0.55,
                alpha: 10.6,
                s: 0.61,
                beta: 11.7,
            },
            ParetoNbd {
                r: 2.0,
                alpha: 0.3,
                s: 0.2,
                beta: 40.0,
            },
            ParetoNbd {
                r: 0.1,
                alpha: 60.0,
                s: 3.0,
                beta: 0.8,
            },
        ] {
            for (x, t_x, t) in [
                (1.0, 3.0, 30.0),
                (4.0, 29.0, 30.0),
                (2.0, 29.999_999_9, 30.0),
                (6.0, 1.0, 60.0),
            ] {
                let (p, q) = (m.r + x, m.s + 1.0);
                let integral = simpson(&|u| (m.alpha + u).powf(-p) * (m.beta + u).powf(-q), t_x, t);
                let odds = m.s * (m.alpha + t).powf(p) * (m.beta + t).powf(m.s) * integral;
                let expected = 1.0 / (1.0 + odds);
                let got = m.p_alive(x, t_x, t);
                assert!(
                    (got - expected).abs() <= 1e-9 * expected,
                    "{m:?} {x} {t_x} {t}: {got} {expected}"
                );
            }
        }
    }

    #[test]
    fn no_purchase_and_expectation_are_consistent_at_short_horizons() {
        // For a tiny horizon h, P(a purchase in h | alive) ≈ E[λ]·h = (r+x)/(α+T)·h, and the expected
        // purchases ≈ the same.
        let m = ParetoNbd {
            r: 0.55,
            alpha: 10.6,
            s: 0.61,
            beta: 11.7,
        };
        let h = 1e-4;
        let (x, t) = (3.0, 30.0);
        let rate = (m.r + x) / (m.alpha + t);
        let p_buy = 1.0 - m.no_purchase_if_alive(h, x, t);
        assert!((p_buy / h - rate).abs() <= 1e-3 * rate, "{p_buy}");
        let e = m.expected_purchases_if_alive(h, x, t);
        assert!((e / h - rate).abs() <= 1e-3 * rate, "{e}");
    }
}
