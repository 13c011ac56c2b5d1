//! The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, "'Counting Your Customers' the Easy
//! Way", *Marketing Science* 24(2)), fitted by maximum likelihood.
//!
//! While alive a customer buys at the times of a Poisson process of rate λ, λ ~ Gamma(r, α) (shape r,
//! rate α) across customers; after each repeat purchase the customer drops out for good with probability
//! p, p ~ Beta(a, b). For a customer with x repeat purchases, the last at t_x, observed up to T (all
//! measured from the first purchase), the likelihood is (eq. 6 of the paper)
//!
//! L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//!   + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
//!
//! evaluated in logs (log-gamma, log-beta and a log-sum-exp of the two terms). The probability of being
//! alive at T is (eq. 13) P(alive) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), exactly 1 when
//! x = 0. The expected number of purchases in the next t time units is (eq. 10)
//!
//! E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)] · P(alive),
//! z = t/(α+T+t).
//!
//! Evaluation of eq. 10: the Euler transformation turns ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; c; z), c =
//! a+b+x−1, into (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z), whose series terms no longer grow with x, and
//! writing ₂F₁(A, ε; c; z) = 1 + ε·S (ε = a−1) removes the 0/0 at a = 1:
//! E = c · [−expm1(ε ln(1−z))/ε − (1−z)^ε · S] · P(alive). When z > 0.95 (a horizon long against α+T, where
//! the series needs thousands of terms) or the series does not converge, the same expectation is computed
//! from its definition, E[(1 − (1 + p·t/(α+T))^(−(r+x)))/p] over p ~ Beta(a, b+x) (the posterior of p for
//! a customer alive at T, after integrating λ over its Gamma(r+x, α+T) posterior), by tanh-sinh
//! quadrature. Neither path returns NaN.

use super::det::Det;
use super::mle::{self, LogLikelihood, Search};
use super::special::{beta_expectation, digamma, ln_gamma, trigamma};
use super::{sum, CustomerSummary, ModelError, MIN_REPEAT_CUSTOMERS};
use std::collections::{BTreeMap, HashMap};

const MODEL: &str = "BG/NBD";

/// A fitted BG/NBD model. Times (`alpha`, the horizons, t_x and T) are in the unit of the data it was
/// fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct BgNbdFit {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Rate (inverse scale) of the Gamma distribution of purchase rates, in the data's time unit.
    pub alpha: f64,
    /// First shape of the Beta distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of the Beta distribution of dropout probabilities.
    pub b: f64,
    /// Log-likelihood at the fitted parameters (natural log, summed over customers).
    pub log_likelihood: f64,
    /// Standard error of `r` (None when the Hessian is not positive definite).
    pub se_r: Option<f64>,
    /// Standard error of `alpha`.
    pub se_alpha: Option<f64>,
    /// Standard error of `a`.
    pub se_a: Option<f64>,
    /// Standard error of `b`.
    pub se_b: Option<f64>,
    /// Customers the model was fitted on.
    pub customers: usize,
    /// Of those, customers with at least one repeat purchase.
    pub repeat_customers: usize,
}

/// One customer's predictions from [`BgNbdFit::predict`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbdPrediction {
    /// Probability that the customer is still alive at T.
    pub p_alive: f64,
    /// Expected purchases in the horizon after T.
    pub expected_purchases: f64,
}

/// A customer summary checked and normalised: x a whole number ≥ 0, 0 ≤ t_x ≤ T (t_x = 0 when x = 0).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked {
    pub(crate) x: f64,
    pub(crate) t_x: f64,
    pub(crate) t: f64,
}

pub(crate) fn check(index: usize, c: &CustomerSummary) -> Result<Checked, ModelError> {
    let invalid = |problem| ModelError::InvalidCustomer { index, problem };
    if !(c.x.is_finite() && c.t_x.is_finite() && c.t.is_finite()) {
        return Err(invalid("a count or time is not a finite number"));
    }
    if c.x < 0.0 || c.x.fract() != 0.0 {
        return Err(invalid(
            "the number of repeat purchases is not a whole number of zero or more",
        ));
    }
    if c.t < 0.0 {
        return Err(invalid("the time since the first purchase (T) is negative"));
    }
    if c.x == 0.0 {
        return Ok(Checked {
            x: 0.0,
            t_x: 0.0,
            t: c.t,
        });
    }
    if c.t_x < 0.0 {
        return Err(invalid("the time of the last purchase (t_x) is negative"));
    }
    if c.t_x > c.t {
        return Err(invalid(
            "the last purchase (t_x) is later than the end of the observation (T)",
        ));
    }
    Ok(Checked {
        x: c.x,
        t_x: c.t_x,
        t: c.t,
    })
}

/// Distinct (x, t_x, T) rows with counts, and the distinct values of each column, so that a likelihood
/// evaluation computes each logarithm once per distinct value.
#[derive(Debug, Clone)]
struct Grouped {
    /// Distinct x values, ascending.
    xs: Vec<f64>,
    /// Customers per distinct x.
    x_counts: Vec<f64>,
    /// Distinct T values.
    ts: Vec<f64>,
    /// Distinct t_x values.
    txs: Vec<f64>,
    /// Distinct rows.
    rows: Vec<Row>,
    /// Customers (sum of counts).
    total: f64,
    /// The variant: 0 for BG/NBD, 1 for MBG/NBD (see [`Variant`]).
    shift: f64,
}

/// BG/NBD or its modification. MBG/NBD (Batislam, Denizel & Filiztekin 2007) also lets a customer drop
/// out right after the first purchase, so every term of the BG/NBD that counts the x coin flips after
/// purchases counts x + 1: the likelihood is
/// B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)) + B(a+1, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
/// (the second term for every x), P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), and the
/// dropout probability of a customer alive at T is Beta(a, b+x+1), so the expected purchases of an alive
/// customer are eq. 10's with b + 1 in place of b.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// BG/NBD.
    Original,
    /// MBG/NBD.
    Modified,
}

impl Variant {
    /// The shift of b: 0 for BG/NBD, 1 for MBG/NBD.
    pub(crate) fn shift(self) -> f64 {
        match self {
            Variant::Original => 0.0,
            Variant::Modified => 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Row {
    x: usize,
    t: usize,
    t_x: usize,
    count: f64,
}

/// The sorted distinct values among `values`.
fn distinct(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_unstable_by(f64::total_cmp);
    values.dedup_by(|a, b| a.to_bits() == b.to_bits());
    values
}

fn position(values: &[f64], v: f64) -> usize {
    values
        .binary_search_by(|probe| probe.total_cmp(&v))
        .unwrap_or_else(|i| i)
}

impl Grouped {
    fn new(rows: &[Checked], variant: Variant) -> Grouped {
        // The bits of a non-negative f64 sort as its value (−0 made +0 first), so rows sort as integer
        // triples, far faster than comparing floats.
        let mut keys: Vec<[u64; 3]> = rows
            .iter()
            .map(|c| [c.x, c.t, c.t_x].map(|v| (v + 0.0).to_bits()))
            .collect();
        keys.sort_unstable();
        let mut distinct_rows: Vec<([f64; 3], f64)> = Vec::new();
        let mut previous = None;
        for key in keys {
            match distinct_rows.last_mut() {
                Some(last) if previous == Some(key) => last.1 += 1.0,
                _ => distinct_rows.push((key.map(f64::from_bits), 1.0)),
            }
            previous = Some(key);
        }
        let xs = distinct(distinct_rows.iter().map(|r| r.0[0]).collect());
        let ts = distinct(distinct_rows.iter().map(|r| r.0[1]).collect());
        let txs = distinct(distinct_rows.iter().map(|r| r.0[2]).collect());
        let mut x_counts = vec![0.0; xs.len()];
        let grouped: Vec<Row> = distinct_rows
            .iter()
            .map(|&([x, t, t_x], count)| {
                let xi = position(&xs, x);
                if let Some(n) = x_counts.get_mut(xi) {
                    *n += count;
                }
                Row {
                    x: xi,
                    t: position(&ts, t),
                    t_x: position(&txs, t_x),
                    count,
                }
            })
            .collect();
        Grouped {
            xs,
            x_counts,
            ts,
            txs,
            rows: grouped,
            total: rows.len() as f64,
            shift: variant.shift(),
        }
    }
}

/// How much of the likelihood's derivatives an evaluation computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Order {
    Value,
    Gradient,
    Hessian,
}

impl Grouped {
    /// ln L at θ = (r, α, a, b) with, as `order` asks, its gradient and Hessian (zeros otherwise).
    fn terms(&self, theta: [f64; 4], order: Order) -> (f64, [f64; 4], [[f64; 4]; 4]) {
        let [r, alpha, a, b] = theta;
        let with_gradient = order >= Order::Gradient;
        let with_hessian = order >= Order::Hessian;
        let ln_alpha = alpha.ln_d();
        let (lg_r, lg_ab, lg_b) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b));
        let ln_a = a.ln_d();

        // Per distinct x: r + x, the log of the second term's coefficient and 1/(b+x−1).
        struct PerX {
            s: f64,
            c4: f64,
            inv_bx1: f64,
        }
        let mut per_x = Vec::with_capacity(self.xs.len());
        let mut ll = 0.0;
        let mut grad = [0.0; 4];
        let mut h = [[0.0; 4]; 4];
        let (dg_r, dg_ab, dg_b) = if with_gradient {
            (digamma(r), digamma(a + b), digamma(b))
        } else {
            (0.0, 0.0, 0.0)
        };
        let (tg_r, tg_ab, tg_b) = if with_hessian {
            (trigamma(r), trigamma(a + b), trigamma(b))
        } else {
            (0.0, 0.0, 0.0)
        };
        // The per-x terms ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x).
        // MBG/NBD: x + 1 in place of x in the dropout terms (`m`).
        let m = self.shift;
        for (&x, &n) in self.xs.iter().zip(&self.x_counts) {
            let a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
            let a2 = lg_ab + ln_gamma(b + x + m) - lg_b - ln_gamma(a + b + x + m);
            ll += n * (a1 + a2);
            if with_gradient {
                let dg_abx = digamma(a + b + x + m);
                grad[0] += n * (digamma(r + x) - dg_r + ln_alpha);
                grad[1] += n * r / alpha;
                grad[2] += n * (dg_ab - dg_abx);
                grad[3] += n * (dg_ab + digamma(b + x + m) - dg_b - dg_abx);
            }
            if with_hessian {
                let tg_abx = trigamma(a + b + x + m);
                h[0][0] += n * (trigamma(r + x) - tg_r);
                h[0][1] += n / alpha;
                h[1][1] -= n * r / (alpha * alpha);
                h[2][2] += n * (tg_ab - tg_abx);
                h[2][3] += n * (tg_ab - tg_abx);
                h[3][3] += n * (tg_ab + trigamma(b + x + m) - tg_b - tg_abx);
            }
            let (c4, inv_bx1) = if x + m > 0.0 {
                (ln_a - (b + x + m - 1.0).ln_d(), 1.0 / (b + x + m - 1.0))
            } else {
                (f64::NEG_INFINITY, 0.0)
            };
            per_x.push(PerX {
                s: r + x,
                c4,
                inv_bx1,
            });
        }
        let ln_t: Vec<f64> = self.ts.iter().map(|t| (alpha + t).ln_d()).collect();
        let ln_tx: Vec<f64> = self.txs.iter().map(|t| (alpha + t).ln_d()).collect();
        let (inv_t, inv_tx): (Vec<f64>, Vec<f64>) = if with_gradient {
            (
                self.ts.iter().map(|t| 1.0 / (alpha + t)).collect(),
                self.txs.iter().map(|t| 1.0 / (alpha + t)).collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };

        // Per row, ln(e^a3 + e^a4) with a3 = −s ln(α+T), a4 = c4 − s ln(α+t_x): its gradient is
        // w3·g3 + w4·g4 and its Hessian w3·H3 + w4·H4 + w3·w4·(g3 − g4)(g3 − g4)ᵀ, the w the weights of
        // the two terms in the sum.
        for row in &self.rows {
            let (Some(px), Some(&lt)) = (per_x.get(row.x), ln_t.get(row.t)) else {
                continue;
            };
            let a3 = -px.s * lt;
            let n = row.count;
            let it = inv_t.get(row.t).copied().unwrap_or(0.0);
            if px.c4 == f64::NEG_INFINITY {
                // x = 0: only the first term.
                ll += n * a3;
                if with_gradient {
                    grad[0] -= n * lt;
                    grad[1] -= n * px.s * it;
                }
                if with_hessian {
                    h[0][1] -= n * it;
                    h[1][1] += n * px.s * it * it;
                }
                continue;
            }
            let ltx = ln_tx.get(row.t_x).copied().unwrap_or(0.0);
            let a4 = px.c4 - px.s * ltx;
            let (hi, lo) = if a3 >= a4 { (a3, a4) } else { (a4, a3) };
            let e = (lo - hi).exp_d();
            ll += n * (hi + e.ln_1p_d());
            if with_gradient {
                let w_hi = 1.0 / (1.0 + e);
                let w_lo = e * w_hi;
                let (w3, w4) = if a3 >= a4 { (w_hi, w_lo) } else { (w_lo, w_hi) };
                let itx = inv_tx.get(row.t_x).copied().unwrap_or(0.0);
                grad[0] -= n * (w3 * lt + w4 * ltx);
                grad[1] -= n * px.s * (w3 * it + w4 * itx);
                grad[2] += n * w4 / a;
                grad[3] -= n * w4 * px.inv_bx1;
                if with_hessian {
                    // g3 − g4 = (ln(α+t_x) − ln(α+T), s/(α+t_x) − s/(α+T), −1/a, 1/(b+x−1)).
                    let d = [ltx - lt, px.s * (itx - it), -1.0 / a, px.inv_bx1];
                    let ww = n * w3 * w4;
                    h[0][1] -= n * (w3 * it + w4 * itx);
                    h[1][1] += n * px.s * (w3 * it * it + w4 * itx * itx);
                    h[2][2] -= n * w4 / (a * a);
                    h[3][3] += n * w4 * px.inv_bx1 * px.inv_bx1;
                    for i in 0..4 {
                        for j in i..4 {
                            h[i][j] += ww * d[i] * d[j];
                        }
                    }
                }
            }
        }
        // Only the upper triangle was summed.
        let h = std::array::from_fn(|i| std::array::from_fn(|j| h[i.min(j)][i.max(j)]));
        (ll, grad, h)
    }
}

/// θ = (r, α, a, b).
impl LogLikelihood<4> for Grouped {
    fn customers(&self) -> f64 {
        self.total
    }

    fn evaluate(&self, theta: [f64; 4], with_gradient: bool) -> (f64, [f64; 4]) {
        let order = if with_gradient {
            Order::Gradient
        } else {
            Order::Value
        };
        let (ll, grad, _) = self.terms(theta, order);
        (ll, grad)
    }

    fn second_order(&self, theta: [f64; 4]) -> (f64, [f64; 4], [[f64; 4]; 4]) {
        self.terms(theta, Order::Hessian)
    }
}

/// The BG/NBD log-likelihood of the customers at (r, α, a, b), or an error when a summary is invalid.
/// Non-positive parameters give −∞.
pub fn log_likelihood(
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    customers: &[CustomerSummary],
) -> Result<f64, ModelError> {
    let checked = customers
        .iter()
        .enumerate()
        .map(|(i, c)| check(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    if !mle::valid_parameters(&[r, alpha, a, b]) {
        return Ok(f64::NEG_INFINITY);
    }
    let (ll, _) = Grouped::new(&checked, Variant::Original).evaluate([r, alpha, a, b], false);
    Ok(if ll.is_nan() { f64::NEG_INFINITY } else { ll })
}

/// One customer's log-likelihood (eq. 6 of the paper, in logs), without any grouping: the reference the
/// grouped evaluation is tested against. NaN-free: invalid input gives −∞.
pub fn customer_log_likelihood(
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    x: f64,
    t_x: f64,
    t: f64,
) -> f64 {
    let Ok(c) = check(
        0,
        &CustomerSummary {
            x,
            t_x,
            t,
            monetary: 0.0,
        },
    ) else {
        return f64::NEG_INFINITY;
    };
    if !mle::valid_parameters(&[r, alpha, a, b]) {
        return f64::NEG_INFINITY;
    }
    let x = c.x;
    let common =
        ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln_d() + ln_gamma(a + b) + ln_gamma(b + x)
            - ln_gamma(b)
            - ln_gamma(a + b + x);
    let first = -(r + x) * (alpha + c.t).ln_d();
    let ll = if x > 0.0 {
        let second = a.ln_d() - (b + x - 1.0).ln_d() - (r + x) * (alpha + c.t_x).ln_d();
        let hi = first.max(second);
        common + hi + ((first - hi).exp_d() + (second - hi).exp_d()).ln_d()
    } else {
        common + first
    };
    if ll.is_nan() {
        f64::NEG_INFINITY
    } else {
        ll
    }
}

/// Fits the BG/NBD model by maximum likelihood ([`mle::fit_log_parameters`]), starting from r = 1,
/// a = 1, b = 3 and r/α equal to the mean purchase rate.
///
/// Refused (with a plain sentence) when there are no customers, a summary is invalid, every T is 0,
/// fewer than [`MIN_REPEAT_CUSTOMERS`] customers bought again, the optimiser does not converge, the
/// likelihood is not finite, or a parameter runs off to 0 or infinity.
pub fn fit(customers: &[CustomerSummary]) -> Result<BgNbdFit, ModelError> {
    let (estimate, customers, repeat_customers) = fit_variant(customers, Variant::Original, None)?;
    let [r, alpha, a, b] = estimate.theta;
    let [se_r, se_alpha, se_a, se_b] = estimate.standard_errors;
    Ok(BgNbdFit {
        r,
        alpha,
        a,
        b,
        log_likelihood: estimate.log_likelihood,
        se_r,
        se_alpha,
        se_a,
        se_b,
        customers,
        repeat_customers,
    })
}

/// The maximum likelihood estimate of (r, α, a, b) of BG/NBD or MBG/NBD (`variant`), with the customers
/// and repeat customers it was fitted on; refused as [`fit`] says. `near`: parameters close to the
/// maximum to try first (see [`mle::fit_log_parameters`]).
pub(crate) fn fit_variant(
    customers: &[CustomerSummary],
    variant: Variant,
    near: Option<[f64; 4]>,
) -> Result<(mle::Estimate<4>, usize, usize), ModelError> {
    let model = match variant {
        Variant::Original => MODEL,
        Variant::Modified => "MBG/NBD",
    };
    let FitData {
        checked,
        repeat_customers,
        alpha0,
    } = FitData::prepare(model, customers)?;
    let subsample = mle::subsample(&checked).map(|rows| Grouped::new(&rows, variant));
    let estimate = mle::fit_log_parameters(
        &Grouped::new(&checked, variant),
        subsample.as_ref(),
        &Search {
            model,
            start: [0.0, alpha0.ln_d(), 0.0, 3f64.ln_d()],
            max_evaluations: 4_000,
            log_bounds: [mle::LOG_BOUND; _],
            runs_off: mle::REPEAT_RUNS_OFF,
        },
        near,
    )?;
    Ok((estimate, checked.len(), repeat_customers))
}

/// The customers of a fit, checked, with what the start of a search needs.
pub(crate) struct FitData {
    pub(crate) checked: Vec<Checked>,
    /// Customers with x > 0.
    pub(crate) repeat_customers: usize,
    /// The mean time per repeat purchase (within [10⁻⁶, 10⁶]), the start of the rate parameter.
    pub(crate) alpha0: f64,
}

impl FitData {
    /// `customers` checked for a fit of `model` (BG/NBD, MBG/NBD or Pareto/NBD): refused when there are
    /// none, when a summary is invalid, when no customer has observation time, or when fewer than
    /// [`MIN_REPEAT_CUSTOMERS`] made a repeat purchase.
    pub(crate) fn prepare(
        model: &'static str,
        customers: &[CustomerSummary],
    ) -> Result<FitData, ModelError> {
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
                model,
                found: repeat_customers,
                needed: MIN_REPEAT_CUSTOMERS,
            });
        }
        let n = checked.len() as f64;
        let mean_x = checked.iter().map(|c| c.x).sum::<f64>() / n;
        let mean_t = checked.iter().map(|c| c.t).sum::<f64>() / n;
        let alpha0 = (mean_t / mean_x.max(1e-3)).clamp(1e-6, 1e6);
        Ok(FitData {
            checked,
            repeat_customers,
            alpha0,
        })
    }
}

/// Inputs of the predictions made usable: x rounded down to a whole number ≥ 0, T ≥ 0, t_x within
/// [0, T]; anything not finite counts as 0.
pub(crate) fn sanitize(x: f64, t_x: f64, t: f64) -> (f64, f64, f64) {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let x = clean(x).floor();
    let t = clean(t);
    let t_x = if x > 0.0 { clean(t_x).min(t) } else { 0.0 };
    (x, t_x, t)
}

impl BgNbdFit {
    /// The model with parameters (r, α, a, b) and no fit behind it (no log-likelihood, standard errors
    /// or customers), for predicting with given parameters.
    pub fn with_params([r, alpha, a, b]: [f64; 4]) -> BgNbdFit {
        BgNbdFit {
            r,
            alpha,
            a,
            b,
            log_likelihood: 0.0,
            se_r: None,
            se_alpha: None,
            se_a: None,
            se_b: None,
            customers: 0,
            repeat_customers: 0,
        }
    }

    /// Probability that a customer with x repeat purchases, the last at t_x, observed up to T (`t`), is
    /// still alive at T (eq. 13). Exactly 1 when x = 0. Inputs are sanitised (x rounded down to a whole
    /// number ≥ 0, t_x clamped to [0, T]; non-finite values count as 0).
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = sanitize(x, t_x, t);
        if x == 0.0 {
            return 1.0;
        }
        super::alive_from_ln_odds(
            self.a.ln_d() - (self.b + x - 1.0).ln_d()
                + (self.r + x) * ((self.alpha + t).ln_d() - (self.alpha + t_x).ln_d()),
        )
    }

    /// Expected purchases in the `horizon` time units after T for a customer with x repeat purchases,
    /// the last at t_x, observed up to T (`t`) (eq. 10). Never negative or NaN; 0 for a horizon that is
    /// not a positive finite number. Inputs are sanitised as in [`BgNbdFit::p_alive`].
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = sanitize(x, t_x, t);
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }

    /// Expected repeat purchases of a new customer in the `horizon` time units after the first purchase:
    /// the unconditional E[X(t)] of the paper (eq. 9).
    pub fn expected_purchases_new(&self, horizon: f64) -> f64 {
        self.expected_purchases_if_alive(horizon, 0.0, 0.0)
    }

    /// P(alive) and expected purchases in `horizon` for each customer, computing the expectation once
    /// per distinct (x, T).
    pub fn predict(&self, horizon: f64, customers: &[CustomerSummary]) -> Vec<BgNbdPrediction> {
        let mut cache: HashMap<(u64, u64), f64> = HashMap::new();
        customers
            .iter()
            .map(|c| {
                let (x, t_x, t) = sanitize(c.x, c.t_x, c.t);
                let p_alive = self.p_alive(x, t_x, t);
                let if_alive = *cache
                    .entry((x.to_bits(), t.to_bits()))
                    .or_insert_with(|| self.expected_purchases_if_alive(horizon, x, t));
                BgNbdPrediction {
                    p_alive,
                    expected_purchases: p_alive * if_alive,
                }
            })
            .collect()
    }

    /// The expected purchases of all `customers` together within each of `horizons` after their T: the
    /// sums of [`BgNbdFit::predict`]'s `expected_purchases`, with P(alive) computed once per customer and
    /// summed per distinct (x, T), and the expectation once per distinct (x, T) and horizon (a tracking
    /// curve over many horizons costs little more than one prediction). Summed in a fixed order.
    pub fn expected_totals(&self, horizons: &[f64], customers: &[CustomerSummary]) -> Vec<f64> {
        let mut alive: BTreeMap<(u64, u64), (f64, f64, f64)> = BTreeMap::new();
        for c in customers {
            let (x, t_x, t) = sanitize(c.x, c.t_x, c.t);
            alive
                .entry((x.to_bits(), t.to_bits()))
                .or_insert((x, t, 0.0))
                .2 += self.p_alive(x, t_x, t);
        }
        horizons
            .iter()
            .map(|&horizon| {
                sum(alive.values().map(|&(x, t, p_alive)| {
                    p_alive * self.expected_purchases_if_alive(horizon, x, t)
                }))
            })
            .collect()
    }

    /// E[Y(horizon) | x, T, alive at T] (sanitised x and T).
    pub(crate) fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 0.0;
        }
        let k = horizon / (self.alpha + t);
        let z = k / (1.0 + k);
        let c = self.a + self.b + x - 1.0;
        if z <= 0.95 && c >= 0.5 {
            if let Some(v) = self.series(k, z, x) {
                return v;
            }
        }
        self.quadrature(k, x).unwrap_or(0.0)
    }

    /// Eq. 10 (without P(alive)) by the Euler-transformed ₂F₁ series; `None` when it does not converge.
    fn series(&self, k: f64, z: f64, x: f64) -> Option<f64> {
        let (r, a, b) = (self.r, self.a, self.b);
        let c = a + b + x - 1.0;
        let eps = a - 1.0;
        let upper = a + b - 1.0 - r;
        let ln_1mz = -k.ln_1p_d();
        // S = Σ_{n≥1} (A)_n (1+ε)_{n−1} zⁿ / ((c)_n n!), so that ₂F₁(A, ε; c; z) = 1 + ε·S.
        let mut term = upper * z / c;
        let mut sum = term;
        let mut converged = term == 0.0;
        let mut n = 1.0;
        while !converged && n < 20_000.0 {
            term *= (upper + n) * (eps + n) * z / ((c + n) * (n + 1.0));
            sum += term;
            n += 1.0;
            let ratio = ((upper + n) * (eps + n) * z / ((c + n) * (n + 1.0))).abs();
            converged = term == 0.0 || (ratio < 1.0 && term.abs() <= 1e-15 * sum.abs() * (1.0 - z));
        }
        if !converged {
            return None;
        }
        let q = eps * ln_1mz;
        let expm1_ratio = if q == 0.0 { 1.0 } else { q.exp_m1_d() / q };
        let g = -ln_1mz * expm1_ratio - q.exp_d() * sum;
        let value = c * g;
        (value.is_finite() && value >= 0.0).then_some(value)
    }

    /// Eq. 10 (without P(alive)) from its definition, E[(1 − (1 + p·k)^(−(r+x)))/p], p ~ Beta(a, b+x).
    fn quadrature(&self, k: f64, x: f64) -> Option<f64> {
        let s = self.r + x;
        let value = beta_expectation(self.a, self.b + x, |p, _| {
            let pk = p * k;
            if pk < 1e-8 {
                s * k * (1.0 - 0.5 * (s + 1.0) * pk)
            } else {
                -(-s * pk.ln_1p_d()).exp_m1_d() / p
            }
        })?;
        (value.is_finite()).then_some(value.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::special::hyp2f1;
    use super::*;

    fn cdnow_like() -> BgNbdFit {
        BgNbdFit::with_params([0.2425945, 4.4136019, 0.7929199, 2.4258881])
    }

    /// Eq. 10 as printed, with the library ₂F₁.
    fn eq10(m: &BgNbdFit, horizon: f64, x: f64, t: f64) -> f64 {
        let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b);
        let z = horizon / (alpha + t + horizon);
        let f = hyp2f1(r + x, b + x, a + b + x - 1.0, z).unwrap();
        (a + b + x - 1.0) / (a - 1.0)
            * (1.0 - ((alpha + t) / (alpha + t + horizon)).powf_d(r + x) * f)
    }

    #[test]
    fn series_quadrature_and_printed_formula_agree() {
        for m in [
            cdnow_like(),
            BgNbdFit {
                a: 3.5,
                ..cdnow_like()
            },
            BgNbdFit {
                a: 1.0 + 1e-9,
                ..cdnow_like()
            },
            BgNbdFit {
                r: 2.0,
                alpha: 0.5,
                a: 0.2,
                b: 0.3,
                ..cdnow_like()
            },
        ] {
            for &(horizon, x, t) in &[
                (10.0, 0.0, 30.0),
                (39.0, 2.0, 38.0),
                (52.0, 7.0, 20.0),
                (5.0, 30.0, 35.0),
            ] {
                let k = horizon / (m.alpha + t);
                let z = k / (1.0 + k);
                let series = m.series(k, z, x).unwrap();
                let quadrature = m.quadrature(k, x).unwrap();
                assert!(
                    (series - quadrature).abs() <= 1e-8 * series.max(1.0),
                    "{m:?} {horizon} {x} {t}: {series} vs {quadrature}"
                );
                if (m.a - 1.0).abs() > 1e-3 {
                    let printed = eq10(&m, horizon, x, t);
                    assert!(
                        (series - printed).abs() <= 1e-9 * series.max(1.0),
                        "{series} vs {printed}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_horizons_use_the_quadrature_and_stay_finite() {
        let m = BgNbdFit {
            alpha: 0.01,
            ..cdnow_like()
        };
        let mut previous = 0.0;
        for &h in &[1.0, 10.0, 1e3, 1e5, 1e8] {
            let e = m.expected_purchases(h, 0.0, 0.0, 0.0);
            assert!(e.is_finite() && e > previous, "{h}: {e}");
            previous = e;
        }
    }

    #[test]
    fn expected_totals_are_the_sums_of_the_customers_predictions() {
        let m = cdnow_like();
        // Repeated and distinct summaries, and unusable inputs that predict() sanitises the same way.
        let customers: Vec<CustomerSummary> = (0..400)
            .map(|i| {
                let t = f64::from(i % 37) + 0.5;
                let x = f64::from(i % 7);
                CustomerSummary {
                    x,
                    t_x: if x > 0.0 {
                        t * f64::from(i % 3) / 3.0
                    } else {
                        0.0
                    },
                    t,
                    monetary: 0.0,
                }
            })
            .chain([CustomerSummary {
                x: f64::NAN,
                t_x: -1.0,
                t: f64::INFINITY,
                monetary: 0.0,
            }])
            .collect();
        let horizons = [0.0, 1.0, 13.0, 52.0, 400.0];
        let totals = m.expected_totals(&horizons, &customers);
        for (&horizon, total) in horizons.iter().zip(totals) {
            let summed: f64 = m
                .predict(horizon, &customers)
                .iter()
                .map(|p| p.expected_purchases)
                .sum();
            assert!(
                (total - summed).abs() <= 1e-12 * summed.max(1.0),
                "{horizon}: {total} vs {summed}"
            );
        }
    }
}

#[cfg(test)]
mod gradient_tests {
    use super::*;

    #[test]
    fn analytic_derivatives_match_differences() {
        let rows: Vec<Checked> = (0..300)
            .map(|i| {
                let t = f64::from(i % 40);
                let x = f64::from(i % 6);
                let t_x = if x > 0.0 {
                    (t * f64::from(i % 5) / 5.0).floor()
                } else {
                    0.0
                };
                Checked { x, t_x, t }
            })
            .collect();
        for variant in [Variant::Original, Variant::Modified] {
            let data = Grouped::new(&rows, variant);
            for theta in [
                [0.24, 4.4, 0.79, 2.4],
                [2.0, 0.3, 5.0, 0.2],
                [0.01, 100.0, 0.05, 30.0],
            ] {
                mle::assert_derivatives(&data, theta);
            }
        }
    }
}
