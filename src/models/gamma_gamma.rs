//! The Gamma-Gamma model of spend (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value",
//! <http://brucehardie.com/notes/025/>), fitted by maximum likelihood on the customers with at least one
//! repeat purchase and a positive mean repeat value.
//!
//! A customer's transaction values are Gamma(p, ν) (shape p, rate ν), ν ~ Gamma(q, γ) across customers,
//! independently of the purchase process. The mean m_x of x transactions has the density (eq. 3 of the
//! note)
//!
//! f(m_x | x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + m_x·x)^(px+q),
//!
//! and the expected transaction value of a customer given x and m_x is (eq. 5)
//! E[Z | x, m_x] = (γ + m_x·x)·p / (p·x + q − 1), a weighted mean of the population mean p·γ/(q−1) and
//! the customer's own mean m_x. The population mean exists only when q > 1; a fit with q ≤ 1 is refused.
//! The model assumes spend is independent of purchase frequency: the Pearson correlation between x and
//! m_x is reported so the caller can warn when it is far from 0.

use super::det::Det;
use super::mle::{self, LogLikelihood, Search};
use super::special::{digamma, ln_gamma, trigamma};
use super::{CustomerSummary, ModelError, MIN_REPEAT_CUSTOMERS};

const MODEL: &str = "Gamma-Gamma";

/// A fitted Gamma-Gamma model. Values are in the currency of the data it was fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct GammaGammaFit {
    /// Shape of the Gamma distribution of a customer's transaction values.
    pub p: f64,
    /// Shape of the Gamma distribution of the rate ν across customers.
    pub q: f64,
    /// Rate of the Gamma distribution of ν across customers (in currency units).
    pub gamma: f64,
    /// Log-likelihood at the fitted parameters (natural log, summed over customers).
    pub log_likelihood: f64,
    /// Standard error of `p` (None when the Hessian is not positive definite).
    pub se_p: Option<f64>,
    /// Standard error of `q`.
    pub se_q: Option<f64>,
    /// Standard error of `gamma`.
    pub se_gamma: Option<f64>,
    /// Customers the model was fitted on (x > 0 and a positive mean repeat value).
    pub customers: usize,
    /// Pearson correlation between x and the mean repeat value over those customers (0 when either does
    /// not vary). The model assumes independence; a value far from 0 makes it doubtful.
    pub spend_frequency_correlation: f64,
    /// Mean transaction value in the population, p·γ/(q − 1).
    pub population_mean_value: f64,
}

/// Distinct (x, m) rows with counts.
#[derive(Debug, Clone)]
struct Grouped {
    /// Distinct x values.
    xs: Vec<f64>,
    /// Customers per distinct x.
    x_counts: Vec<f64>,
    rows: Vec<Row>,
    total: f64,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    /// Index into `xs`.
    x_index: usize,
    x: f64,
    /// m·x.
    mx: f64,
    ln_m: f64,
    /// ln m + ln x.
    ln_mx: f64,
    count: f64,
}

impl Grouped {
    fn new(pairs: &[(f64, f64)]) -> Grouped {
        // The bits of a positive f64 sort as its value, so pairs sort as integer pairs, far faster than
        // comparing floats.
        let mut keys: Vec<[u64; 2]> = pairs
            .iter()
            .map(|&(x, m)| [x.to_bits(), m.to_bits()])
            .collect();
        keys.sort_unstable();
        let sorted: Vec<(f64, f64)> = keys
            .iter()
            .map(|&[x, m]| (f64::from_bits(x), f64::from_bits(m)))
            .collect();
        let mut xs: Vec<f64> = sorted.iter().map(|&(x, _)| x).collect();
        xs.dedup_by(|a, b| a.to_bits() == b.to_bits());
        let mut x_counts = vec![0.0; xs.len()];
        let mut rows: Vec<Row> = Vec::new();
        let mut previous: Option<(u64, u64)> = None;
        for &(x, m) in &sorted {
            let key = (x.to_bits(), m.to_bits());
            let x_index = xs
                .binary_search_by(|probe| probe.total_cmp(&x))
                .unwrap_or_else(|i| i);
            if let Some(n) = x_counts.get_mut(x_index) {
                *n += 1.0;
            }
            match rows.last_mut() {
                Some(last) if previous == Some(key) => last.count += 1.0,
                _ => rows.push(Row {
                    x_index,
                    x,
                    mx: m * x,
                    ln_m: m.ln_d(),
                    ln_mx: m.ln_d() + x.ln_d(),
                    count: 1.0,
                }),
            }
            previous = Some(key);
        }
        Grouped {
            xs,
            x_counts,
            rows,
            total: pairs.len() as f64,
        }
    }
}

/// θ = (p, q, γ).
impl LogLikelihood<3> for Grouped {
    fn customers(&self) -> f64 {
        self.total
    }

    fn evaluate(&self, theta: [f64; 3], with_gradient: bool) -> (f64, [f64; 3]) {
        let [p, q, gamma] = theta;
        let ln_gamma_rate = gamma.ln_d();
        let lg_q = ln_gamma(q);
        let dg_q = if with_gradient { digamma(q) } else { 0.0 };
        // Per distinct x: ln Γ(px+q) − ln Γ(px), and ψ(px+q) − ψ(px), ψ(px+q).
        let mut per_x: Vec<(f64, f64, f64)> = Vec::with_capacity(self.xs.len());
        let mut ll = 0.0;
        let mut grad = [0.0; 3];
        for (&x, &n) in self.xs.iter().zip(&self.x_counts) {
            let px = p * x;
            let lg = ln_gamma(px + q) - ln_gamma(px);
            ll += n * (lg - lg_q + q * ln_gamma_rate);
            let (d_diff, d_sum) = if with_gradient {
                let d_sum = digamma(px + q);
                (d_sum - digamma(px), d_sum)
            } else {
                (0.0, 0.0)
            };
            if with_gradient {
                grad[1] += n * (d_sum - dg_q + ln_gamma_rate);
                grad[2] += n * q / gamma;
            }
            per_x.push((lg, d_diff, d_sum));
        }
        for row in &self.rows {
            let Some(&(_, d_diff, _)) = per_x.get(row.x_index) else {
                continue;
            };
            let px = p * row.x;
            let ln_denominator = (gamma + row.mx).ln_d();
            ll += row.count * (px * row.ln_mx - row.ln_m - (px + q) * ln_denominator);
            if with_gradient {
                grad[0] += row.count * row.x * (d_diff + row.ln_mx - ln_denominator);
                grad[1] -= row.count * ln_denominator;
                grad[2] -= row.count * (px + q) / (gamma + row.mx);
            }
        }
        (ll, grad)
    }

    fn second_order(&self, theta: [f64; 3]) -> (f64, [f64; 3], [[f64; 3]; 3]) {
        let [p, q, gamma] = theta;
        let (ll, grad) = self.evaluate(theta, true);
        let mut h = [[0.0; 3]; 3];
        let tg_q = trigamma(q);
        // The per-x terms ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ.
        for (&x, &n) in self.xs.iter().zip(&self.x_counts) {
            let px = p * x;
            let tg_sum = trigamma(px + q);
            h[0][0] += n * x * x * (tg_sum - trigamma(px));
            h[0][1] += n * x * tg_sum;
            h[1][1] += n * (tg_sum - tg_q);
            h[1][2] += n / gamma;
            h[2][2] -= n * q / (gamma * gamma);
        }
        // Per row, px ln(m x) − ln m − (px+q) ln(γ + m x).
        for row in &self.rows {
            let inv = 1.0 / (gamma + row.mx);
            let n = row.count;
            h[0][2] -= n * row.x * inv;
            h[1][2] -= n * inv;
            h[2][2] += n * (p * row.x + q) * inv * inv;
        }
        // Only the upper triangle was summed.
        let h = std::array::from_fn(|i| std::array::from_fn(|j| h[i.min(j)][i.max(j)]));
        (ll, grad, h)
    }
}

/// The customers the model uses, as (x, m): x > 0 and a positive, finite mean repeat value; an error
/// for a summary whose x is not a whole number ≥ 0.
fn usable(customers: &[CustomerSummary]) -> Result<Vec<(f64, f64)>, ModelError> {
    let mut pairs = Vec::new();
    for (index, c) in customers.iter().enumerate() {
        if !c.x.is_finite() || c.x < 0.0 || c.x.fract() != 0.0 {
            return Err(ModelError::InvalidCustomer {
                index,
                problem: "the number of repeat purchases is not a whole number of zero or more",
            });
        }
        if c.x > 0.0 && c.monetary.is_finite() && c.monetary > 0.0 {
            pairs.push((c.x, c.monetary));
        }
    }
    Ok(pairs)
}

/// The Gamma-Gamma log-likelihood at (p, q, γ) of the customers with x > 0 and a positive mean repeat
/// value (the others are left out, as in the fit). Non-positive parameters give −∞.
pub fn log_likelihood(
    p: f64,
    q: f64,
    gamma: f64,
    customers: &[CustomerSummary],
) -> Result<f64, ModelError> {
    let pairs = usable(customers)?;
    if !mle::valid_parameters(&[p, q, gamma]) {
        return Ok(f64::NEG_INFINITY);
    }
    let (ll, _) = Grouped::new(&pairs).evaluate([p, q, gamma], false);
    Ok(if ll.is_nan() { f64::NEG_INFINITY } else { ll })
}

/// Weighted Pearson correlation of the pairs; 0 when either coordinate does not vary.
fn correlation(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean_x = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_m = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut smm, mut sxm) = (0.0, 0.0, 0.0);
    for &(x, m) in pairs {
        let (dx, dm) = (x - mean_x, m - mean_m);
        sxx += dx * dx;
        smm += dm * dm;
        sxm += dx * dm;
    }
    let r = sxm / (sxx * smm).sqrt();
    if r.is_finite() {
        r.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// Fits the Gamma-Gamma model by maximum likelihood ([`mle::fit_log_parameters`]) on the customers
/// with x > 0 and a positive mean repeat value (`monetary`), starting from p = 1, q = 3 and γ giving the
/// observed mean.
///
/// Refused when fewer than [`MIN_REPEAT_CUSTOMERS`] customers qualify, the optimiser does not
/// converge, a parameter runs off to 0 or infinity, or q ≤ 1 (the population mean would not exist).
pub fn fit(customers: &[CustomerSummary]) -> Result<GammaGammaFit, ModelError> {
    let pairs = usable(customers)?;
    if pairs.len() < MIN_REPEAT_CUSTOMERS {
        return Err(ModelError::TooFewRepeatCustomers {
            model: MODEL,
            found: pairs.len(),
            needed: MIN_REPEAT_CUSTOMERS,
        });
    }
    let mean_m = pairs.iter().map(|p| p.1).sum::<f64>() / pairs.len() as f64;
    let subsample = mle::subsample(&pairs).map(|rows| Grouped::new(&rows));
    let estimate = mle::fit_log_parameters(
        &Grouped::new(&pairs),
        subsample.as_ref(),
        &Search {
            model: MODEL,
            // p·γ/(q − 1) = mean at p = 1, q = 3.
            start: [0.0, 3f64.ln_d(), (2.0 * mean_m).ln_d()],
            max_evaluations: 3_000,
            log_bounds: [mle::LOG_BOUND; _],
            runs_off:
                "a parameter runs off to zero or infinity, which happens when the customers' \
                       average spends hardly differ",
        },
        None,
    )?;
    let [p, q, gamma] = estimate.theta;
    if q <= 1.0 {
        return Err(ModelError::NotIdentified {
            model: MODEL,
            reason: "the average spends vary so widely between customers that the model has no \
                     finite population mean (its q parameter is not above 1)",
        });
    }
    let [se_p, se_q, se_gamma] = estimate.standard_errors;
    Ok(GammaGammaFit {
        p,
        q,
        gamma,
        log_likelihood: estimate.log_likelihood,
        se_p,
        se_q,
        se_gamma,
        customers: pairs.len(),
        spend_frequency_correlation: correlation(&pairs),
        population_mean_value: p * gamma / (q - 1.0),
    })
}

impl GammaGammaFit {
    /// Expected value of a transaction of a customer with x repeat purchases of mean value `monetary`:
    /// (γ + m·x)·p / (p·x + q − 1). The population mean when x = 0 or the mean value is not a finite
    /// number; a negative mean value (refunds) counts as 0. Never negative.
    pub fn conditional_expected_value(&self, x: f64, monetary: f64) -> f64 {
        let x = if x.is_finite() && x > 0.0 {
            x.floor()
        } else {
            0.0
        };
        if x == 0.0 || !monetary.is_finite() {
            return self.population_mean_value;
        }
        let m = monetary.max(0.0);
        let value = (self.gamma + m * x) * self.p / (self.p * x + self.q - 1.0);
        if value.is_finite() {
            value.max(0.0)
        } else {
            self.population_mean_value
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_derivatives_match_differences() {
        let pairs: Vec<(f64, f64)> = (1..200)
            .map(|i| (f64::from(1 + i % 7), 5.0 + f64::from(i * 37 % 101)))
            .collect();
        let data = Grouped::new(&pairs);
        for theta in [[6.0, 3.7, 15.0], [0.5, 1.5, 300.0], [40.0, 20.0, 2.0]] {
            super::super::mle::assert_derivatives(&data, theta);
        }
    }
}
