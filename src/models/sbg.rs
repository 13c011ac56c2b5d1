//! The shifted-beta-geometric (sBG) model of subscription retention (Fader, P. S. & Hardie, B. G. S.
//! (2007), "How to project customer retention", *Journal of Interactive Marketing* 21(1), 76–90),
//! fitted by maximum likelihood with [`mle::fit_log_parameters`].
//!
//! Each subscriber renews at the end of every period with a constant probability 1 − θ until the first
//! time it does not; θ ~ Beta(α, β) across subscribers. Counting periods by deliveries, the chance that
//! a unit churns after exactly t deliveries is P(T = t) = B(α + 1, β + t − 1) / B(α, β), and the share
//! still there after t renewals (so reaching delivery t + 1) is S(t) = B(α, β + t) / B(α, β)
//! = Π_{i=1..t} (β + i − 1) / (α + β + i − 1). A unit that churned after n deliveries contributes
//! P(T = n) to the likelihood; one still active with n deliveries has renewed n − 1 times and
//! contributes S(n − 1).

use super::mle::{self, LogLikelihood, Search};
use super::special::{digamma, ln_beta, trigamma};
use super::{sum, ModelError};

const MODEL: &str = "sBG";

/// A fitted sBG model.
#[derive(Debug, Clone, PartialEq)]
pub struct SbgFit {
    /// α of the Beta distribution of the churn probability θ.
    pub alpha: f64,
    /// β of the Beta distribution of θ.
    pub beta: f64,
    /// ln L at the fitted parameters.
    pub log_likelihood: f64,
    /// Standard error of α (`None` when the Hessian is not positive definite).
    pub se_alpha: Option<f64>,
    /// Standard error of β.
    pub se_beta: Option<f64>,
}

impl SbgFit {
    /// S(t): the share of new units still there after `t` renewals (reaching delivery t + 1).
    pub fn survival(&self, t: u32) -> f64 {
        survival(self.alpha, self.beta, t)
    }

    /// Expected deliveries of a new unit within its first `n`: Σ_{t=0..n−1} S(t).
    pub fn expected_deliveries(&self, n: u32) -> f64 {
        sum((0..n).map(|t| self.survival(t)))
    }
}

/// S(t) = Π_{i=1..t} (β + i − 1) / (α + β + i − 1).
fn survival(alpha: f64, beta: f64, t: u32) -> f64 {
    (1..=t).fold(1.0, |s, i| {
        let i = f64::from(i);
        s * (beta + i - 1.0) / (alpha + beta + i - 1.0)
    })
}

/// Units by number of deliveries: (deliveries n ≥ 1, units, churned after n or still active).
#[derive(Debug, Clone)]
struct Lifetimes {
    rows: Vec<(f64, f64, bool)>,
    units: f64,
}

/// θ = (α, β). Each row is ln B(α + a₀, β + b₀) − ln B(α, β) times its count, with (a₀, b₀) = (1, n − 1)
/// for a churned unit and (0, n − 1) for an active one.
impl LogLikelihood<2> for Lifetimes {
    fn customers(&self) -> f64 {
        self.units
    }

    fn evaluate(&self, theta: [f64; 2], with_gradient: bool) -> (f64, [f64; 2]) {
        let [alpha, beta] = theta;
        let base = ln_beta(alpha, beta);
        let (dg_a, dg_b, dg_ab) = if with_gradient {
            (digamma(alpha), digamma(beta), digamma(alpha + beta))
        } else {
            (0.0, 0.0, 0.0)
        };
        let mut ll = 0.0;
        let mut grad = [0.0; 2];
        for &(n, count, churned) in &self.rows {
            let a0 = if churned { 1.0 } else { 0.0 };
            let b0 = n - 1.0;
            ll += count * (ln_beta(alpha + a0, beta + b0) - base);
            if with_gradient {
                let dg_s = digamma(alpha + beta + a0 + b0);
                grad[0] += count * (digamma(alpha + a0) - dg_s - dg_a + dg_ab);
                grad[1] += count * (digamma(beta + b0) - dg_s - dg_b + dg_ab);
            }
        }
        (ll, grad)
    }

    fn second_order(&self, theta: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        let (ll, grad) = self.evaluate(theta, true);
        let [alpha, beta] = theta;
        let (tg_a, tg_b, tg_ab) = (trigamma(alpha), trigamma(beta), trigamma(alpha + beta));
        let mut h = [[0.0; 2]; 2];
        for &(n, count, churned) in &self.rows {
            let a0 = if churned { 1.0 } else { 0.0 };
            let b0 = n - 1.0;
            let tg_s = trigamma(alpha + beta + a0 + b0);
            h[0][0] += count * (trigamma(alpha + a0) - tg_s - tg_a + tg_ab);
            h[0][1] += count * (tg_ab - tg_s);
            h[1][1] += count * (trigamma(beta + b0) - tg_s - tg_b + tg_ab);
        }
        h[1][0] = h[0][1];
        (ll, grad, h)
    }
}

/// Fits the sBG model to units counted by deliveries: `churned[n]` units churned after exactly n
/// deliveries and `active[n]` units still active with n (index 0 unused). Refused with a
/// [`ModelError`] when there is no unit, none has churned, or the likelihood does not settle.
pub fn fit(churned: &[u64], active: &[u64]) -> Result<SbgFit, ModelError> {
    let mut rows = Vec::new();
    for (counts, is_churned) in [(churned, true), (active, false)] {
        for (n, &count) in counts.iter().enumerate().skip(1) {
            if count > 0 {
                rows.push((n as f64, count as f64, is_churned));
            }
        }
    }
    let units = sum(rows.iter().map(|r| r.1));
    if units == 0.0 {
        return Err(ModelError::NoCustomers);
    }
    if !rows.iter().any(|r| r.2) {
        return Err(ModelError::NotIdentified {
            model: MODEL,
            reason: "no unit has churned yet, so there is no churn to learn from",
        });
    }
    let data = Lifetimes { rows, units };
    let estimate = mle::fit_log_parameters(
        &data,
        None,
        &Search {
            model: MODEL,
            start: [0.0, 0.0],
            max_evaluations: 2_000,
            log_bounds: [mle::LOG_BOUND; _],
            runs_off:
                "a parameter runs off to zero or infinity, which happens when nearly every unit \
                       churns at the same delivery or hardly any churns",
        },
        None,
    )?;
    let [alpha, beta] = estimate.theta;
    let [se_alpha, se_beta] = estimate.standard_errors;
    Ok(SbgFit {
        alpha,
        beta,
        log_likelihood: estimate.log_likelihood,
        se_alpha,
        se_beta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Churned and active counts of a survivor series (survivors at the start of delivery 1, 2, …):
    /// the difference of consecutive survivors churned after that many deliveries; the last survivors
    /// are active with as many deliveries as the series has entries.
    fn from_survivors(survivors: &[u64]) -> (Vec<u64>, Vec<u64>) {
        let n = survivors.len();
        let mut churned = vec![0; n + 1];
        let mut active = vec![0; n + 1];
        for t in 1..n {
            churned[t] = survivors[t - 1] - survivors[t];
        }
        active[n] = survivors[n - 1];
        (churned, active)
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let (churned, active) = from_survivors(&[1000, 631, 468, 382, 326, 289, 262, 241]);
        let mut rows = Vec::new();
        for (n, &c) in churned.iter().enumerate().skip(1) {
            rows.push((n as f64, c as f64, true));
        }
        rows.push((8.0, active[8] as f64, false));
        let data = Lifetimes {
            rows,
            units: 1000.0,
        };
        mle::assert_derivatives(&data, [0.7, 1.2]);
        mle::assert_derivatives(&data, [2.5, 0.3]);
    }

    #[test]
    fn the_published_regular_and_high_end_examples_are_reproduced() {
        // Fader & Hardie (2007), table 1 / section 4: α 0.704, β 1.182 and α 0.668, β 3.806.
        let (c, a) = from_survivors(&[1000, 631, 468, 382, 326, 289, 262, 241]);
        let regular = fit(&c, &a).unwrap();
        assert_eq!(
            (
                format!("{:.3}", regular.alpha),
                format!("{:.3}", regular.beta)
            ),
            ("0.704".into(), "1.182".into())
        );
        let (c, a) = from_survivors(&[1000, 869, 743, 653, 593, 551, 517, 491]);
        let high_end = fit(&c, &a).unwrap();
        assert_eq!(
            (
                format!("{:.3}", high_end.alpha),
                format!("{:.3}", high_end.beta)
            ),
            ("0.668".into(), "3.806".into())
        );
        assert!(high_end.se_alpha.is_some() && high_end.se_beta.is_some());
    }

    #[test]
    fn survival_is_the_product_of_renewal_probabilities() {
        // α 1, β 1: S(t) = Π (i)/(i+1) = 1/(t+1): S(0) 1, S(1) 1/2, S(3) 1/4.
        let fit = SbgFit {
            alpha: 1.0,
            beta: 1.0,
            log_likelihood: 0.0,
            se_alpha: None,
            se_beta: None,
        };
        assert_eq!(fit.survival(0), 1.0);
        assert_eq!(fit.survival(1), 0.5);
        assert!((fit.survival(3) - 0.25).abs() < 1e-15);
        // 1 + 1/2 + 1/3: the expected deliveries within the first 3.
        assert!((fit.expected_deliveries(3) - 11.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn no_churn_at_all_is_refused_not_fitted() {
        let active = [0, 0, 0, 50];
        assert!(fit(&[0, 0, 0, 0], &active).is_err());
        assert_eq!(fit(&[], &[]), Err(ModelError::NoCustomers));
    }
}
