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
//! horizon without buying, or die at u without having bought before).
//!
//! # The integral
//!
//! ∫_τ^∞ (α+u)^−p (β+u)^−q du = ₂F₁(p+q−1, q; p+q; (α−β)/(α+τ)) / ((p+q−1)(α+τ)^(p+q−1)) when α ≥ β,
//! and the same with (α, p) and (β, q) exchanged when α < β, so that the argument z is in [0, 1) (the
//! choice the lifetimes and BTYD implementations make). ₂F₁(a, b; a+1; z) is ill-conditioned there:
//! with b = r+x large its terms grow by orders of magnitude before they decay, and near z = 1 it
//! diverges like (1−z)^(1−b). The Euler transformation ₂F₁(a, b; a+1; z) = (1−z)^(1−b) ₂F₁(1, a+1−b; a+1; z)
//! leaves a series of positive terms whose ratios (a+1−b+n)/(a+1+n)·z are below z, so it never grows and
//! never cancels; everything is kept in logarithms. I(lo, hi) is the difference of two such tails (in
//! logs); when the series would need more than [`MAX_TERMS`] terms (z very close to 1) or the two tails
//! agree to rounding, the integral is computed directly by quadrature.

use super::bgnbd::{self, check, Checked};
use super::det::Det;
use super::mle::{self, Estimate, LogLikelihood, Search};
use super::special::{beta_expectation, ln_gamma};
use super::{CustomerSummary, ModelError, MIN_REPEAT_CUSTOMERS};

const MODEL: &str = "Pareto/NBD";

/// Most terms of the transformed series before the integral is computed by quadrature.
pub const MAX_TERMS: usize = 2_000;

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

/// ln(e^a + e^b) without overflow.
fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp_d().ln_1p_d()
}

/// ln ∫_τ^∞ (α+u)^−p (β+u)^−q du by the Euler-transformed ₂F₁ series (see the module docs), `None` when
/// it does not converge within [`MAX_TERMS`] terms. Needs p + q > 1 and α, β > 0.
pub(crate) fn ln_tail(alpha: f64, beta: f64, p: f64, q: f64, tau: f64) -> Option<f64> {
    // b: the exponent of the smaller of α and β.
    let (big, small, b) = if alpha >= beta {
        (alpha, beta, q)
    } else {
        (beta, alpha, p)
    };
    let a = p + q - 1.0;
    let ln_big = (big + tau).ln_d();
    let ln_1mz = (small + tau).ln_d() - ln_big;
    let z = (big - small) / (big + tau);
    // Σ_n Π_{k<n} (a+1−b+k)/(a+1+k) · zⁿ.
    let d = a + 1.0 - b;
    let c = a + 1.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut converged = z == 0.0;
    let mut n = 0.0;
    while !converged && n < MAX_TERMS as f64 {
        term *= (d + n) / (c + n) * z;
        sum += term;
        n += 1.0;
        converged = term <= 1e-16 * sum * (1.0 - z);
    }
    if !converged {
        return None;
    }
    let value = (1.0 - b) * ln_1mz + sum.ln_d() - a.ln_d() - a * ln_big;
    value.is_finite().then_some(value)
}

/// ln ∫_lo^hi (α+u)^−p (β+u)^−q du for 0 ≤ lo ≤ hi (−∞ for an empty range), p, q > 0, p + q > 1.
pub fn ln_power_integral(alpha: f64, beta: f64, p: f64, q: f64, lo: f64, hi: f64) -> f64 {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return f64::NEG_INFINITY;
    }
    if let (Some(l1), Some(l2)) = (
        ln_tail(alpha, beta, p, q, lo),
        ln_tail(alpha, beta, p, q, hi),
    ) {
        // Tails that agree to ~8 digits leave too few in their difference: quadrature instead.
        if l1 - l2 > 1e-8 {
            return l1 + (-(l2 - l1).exp_m1_d()).ln_d();
        }
    }
    ln_integral_by_quadrature(alpha, beta, p, q, lo, hi)
}

/// The same integral by tanh-sinh quadrature on v = ln(m + u), m = min(α, β), which turns the power
/// law's long tail into an exponential one; scaled by the larger end of the integrand so that nothing
/// underflows. −∞ when the quadrature fails (never for valid parameters).
fn ln_integral_by_quadrature(alpha: f64, beta: f64, p: f64, q: f64, lo: f64, hi: f64) -> f64 {
    let m = alpha.min(beta);
    let (da, db) = (alpha - m, beta - m);
    let ln_f = |v: f64| -> f64 {
        let e = v.exp_d();
        v - p * (da + e).ln_d() - q * (db + e).ln_d()
    };
    let (v0, v1) = ((m + lo).ln_d(), (m + hi).ln_d());
    let scale = ln_f(v0).max(ln_f(v1));
    let width = v1 - v0;
    let mean = beta_expectation(1.0, 1.0, |x, _| (ln_f(v0 + width * x) - scale).exp_d());
    match mean {
        Some(mean) if mean > 0.0 => width.ln_d() + mean.ln_d() + scale,
        _ => f64::NEG_INFINITY,
    }
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
        let ln_odds = s.ln_d()
            + ln_power_integral(alpha, beta, r + x, s + 1.0, t_x, t)
            + (r + x) * (alpha + t).ln_d()
            + s * (beta + t).ln_d();
        if ln_odds.is_nan() {
            return 1.0;
        }
        if ln_odds > 0.0 {
            let e = (-ln_odds).exp_d();
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + ln_odds.exp_d())
        }
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
        let (a1, b1, r1) = (alpha + t, beta + t, r + x);
        let survive = -r1 * (horizon / a1).ln_1p_d() - s * (horizon / b1).ln_1p_d();
        let die = s.ln_d()
            + r1 * a1.ln_d()
            + s * b1.ln_d()
            + ln_power_integral(a1, b1, r1, s + 1.0, 0.0, horizon);
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

    fn value(&self, theta: [f64; 4]) -> f64 {
        if !mle::valid_parameters(&theta) {
            return f64::NEG_INFINITY;
        }
        let [r, alpha, s, beta] = theta;
        // The integral I(t_x, T) is the difference of the tails at t_x and at T, each depending on
        // (x, time) only: computed once per distinct pair (most customers share x = 0 and a day).
        let tails: Vec<Option<f64>> = self
            .pairs
            .iter()
            .map(|&[x, tau]| ln_tail(alpha, beta, r + x, s + 1.0, tau))
            .collect();
        // ln(α+T) and ln(β+T) once per distinct T.
        let ln_t: Vec<[f64; 2]> = self
            .ts
            .iter()
            .map(|t| [(alpha + t).ln_d(), (beta + t).ln_d()])
            .collect();
        let common_r = -ln_gamma(r) + r * alpha.ln_d() + s * beta.ln_d();
        // Rows are sorted by x: ln Γ(r+x) once per distinct x.
        let mut last_x: Option<(u64, f64)> = None;
        let mut ln_gamma_rx = |x: f64| -> f64 {
            match last_x {
                Some((bits, value)) if bits == x.to_bits() => value,
                _ => {
                    let value = ln_gamma(r + x);
                    last_x = Some((x.to_bits(), value));
                    value
                }
            }
        };
        let ll = super::sum(self.rows.iter().map(|row| {
            let (x, t_x, t) = (row.x, row.t_x, row.t);
            let tail = |i: usize| tails.get(i).copied().flatten();
            let integral = match (tail(row.tail_tx), tail(row.tail_t)) {
                (Some(l1), Some(l2)) if l1 - l2 > 1e-8 => l1 + (-(l2 - l1).exp_m1_d()).ln_d(),
                _ => ln_power_integral(alpha, beta, r + x, s + 1.0, t_x, t),
            };
            let [ln_alpha_t, ln_beta_t] = ln_t.get(row.t_index).copied().unwrap_or([f64::NAN; 2]);
            let alive = -(r + x) * ln_alpha_t - s * ln_beta_t;
            row.count * (ln_gamma_rx(x) + common_r + ln_add_exp(alive, s.ln_d() + integral))
        }));
        if ll.is_nan() {
            f64::NEG_INFINITY
        } else {
            ll
        }
    }
}

/// θ = (r, α, s, β); derivatives by central differences ([`mle::numeric_derivatives`]).
impl LogLikelihood<4> for Grouped {
    fn customers(&self) -> f64 {
        self.total
    }

    fn evaluate(&self, theta: [f64; 4], with_gradient: bool) -> (f64, [f64; 4]) {
        if with_gradient {
            let (v, g, _) = mle::numeric_derivatives(&|t| self.value(t), theta, false);
            (v, g)
        } else {
            (self.value(theta), [0.0; 4])
        }
    }

    fn second_order(&self, theta: [f64; 4]) -> (f64, [f64; 4], [[f64; 4]; 4]) {
        mle::numeric_derivatives(&|t| self.value(t), theta, true)
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
    Ok(Grouped::new(&checked).value(theta))
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
    if customers.is_empty() {
        return Err(ModelError::NoCustomers);
    }
    let checked = customers
        .iter()
        .enumerate()
        .map(|(i, c)| check(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    if checked.iter().all(|c| c.t == 0.0) {
        return Err(ModelError::NoObservationTime);
    }
    let repeat_customers = checked.iter().filter(|c| c.x > 0.0).count();
    if repeat_customers < MIN_REPEAT_CUSTOMERS {
        return Err(ModelError::TooFewRepeatCustomers {
            model: MODEL,
            found: repeat_customers,
            needed: MIN_REPEAT_CUSTOMERS,
        });
    }
    let n = checked.len() as f64;
    let mean_x = checked.iter().map(|c| c.x).sum::<f64>() / n;
    let mean_t = checked.iter().map(|c| c.t).sum::<f64>() / n;
    let alpha0 = (mean_t / mean_x.max(1e-3)).clamp(1e-6, 1e6).ln_d();
    let subsample = mle::subsample(&checked).map(|rows| Grouped::new(&rows));
    let estimate = mle::fit_log_parameters(
        &Grouped::new(&checked),
        subsample.as_ref(),
        &Search {
            model: MODEL,
            start: [0.0, alpha0, 0.0, alpha0],
            max_evaluations: 4_000,
            runs_off: "a parameter runs off to zero or infinity, which happens when the history is \
                       too short or too regular to tell how often customers buy and how soon they stop",
        },
        near,
    )?;
    Ok((estimate, checked.len(), repeat_customers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ln ∫_lo^hi (α+u)^−p (β+u)^−q du by composite Simpson on v = ln(1 + u − lo) with many panels,
    /// scaled by the integrand at lo: an independent check of the series and the quadrature.
    fn ln_simpson(alpha: f64, beta: f64, p: f64, q: f64, lo: f64, hi: f64) -> f64 {
        let n = 200_000;
        let (v0, v1) = (0.0, (1.0 + hi - lo).ln());
        let h = (v1 - v0) / n as f64;
        let ln_f = |v: f64| {
            let u = lo + v.exp() - 1.0;
            v - p * (alpha + u).ln() - q * (beta + u).ln()
        };
        let scale = ln_f(v0);
        let f = |v: f64| (ln_f(v) - scale).exp();
        let mut sum = f(v0) + f(v1);
        for i in 1..n {
            sum += f(v0 + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        (sum * h / 3.0).ln() + scale
    }

    #[test]
    fn the_integral_agrees_with_simpson_far_into_the_tails() {
        // (α, β, p, q, lo, hi): α ≫ β and β ≫ α (z close to 1, where the series is slow and the
        // quadrature takes over), many repeat purchases (p = r + x large), long and tiny ranges.
        for &(alpha, beta, p, q, lo, hi) in &[
            (10.578, 11.665, 0.5533, 1.6061, 0.0, 39.0),
            (10.578, 11.665, 30.5533, 1.6061, 20.0, 39.0),
            (1e4, 0.5, 0.5, 1.6, 0.0, 500.0),
            (0.5, 1e4, 0.5, 1.6, 0.0, 500.0),
            (0.5, 1e4, 200.5, 1.6, 300.0, 500.0),
            (1e3, 1.0, 80.0, 1.1, 0.0, 10.0),
            (2.0, 2.0, 3.0, 2.0, 1.0, 5.0),
            (5.0, 7.0, 1.5, 1.2, 100.0, 100.001),
            (300.0, 0.01, 0.3, 1.05, 0.0, 1e4),
        ] {
            let got = ln_power_integral(alpha, beta, p, q, lo, hi);
            let want = ln_simpson(alpha, beta, p, q, lo, hi);
            assert!(
                (got - want).abs() <= 1e-7,
                "{alpha} {beta} {p} {q} {lo} {hi}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn series_and_quadrature_agree_where_both_apply() {
        for &(alpha, beta, p, q, lo, hi) in &[
            (10.0, 3.0, 2.5, 1.7, 0.0, 30.0),
            (3.0, 10.0, 12.5, 1.7, 5.0, 30.0),
            (50.0, 1.0, 0.7, 2.5, 0.0, 100.0),
        ] {
            let series = ln_power_integral(alpha, beta, p, q, lo, hi);
            let quadrature = ln_integral_by_quadrature(alpha, beta, p, q, lo, hi);
            assert!(
                (series - quadrature).abs() <= 1e-10,
                "{series} vs {quadrature}"
            );
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
