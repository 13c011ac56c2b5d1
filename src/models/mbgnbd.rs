//! The MBG/NBD model of repeat purchases (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
//! comparison of models for customer base analysis", *International Journal of Research in Marketing*
//! 24(3), 201–209): the BG/NBD in which a customer can also drop out right after the first purchase, so
//! a customer who never came back is not certainly alive.
//!
//! For a customer with x repeat purchases, the last at t_x, observed up to T (from the first purchase):
//! - likelihood: B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)) + B(a+1, b+x)/B(a, b) ·
//!   Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)), the second term for every x (the BG/NBD's likelihood with
//!   x + 1 dropout chances, computed by the same grouped code in [`super::bgnbd`]);
//! - P(alive at T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), below 1 also for x = 0;
//! - expected purchases in the next t: P(alive) times the BG/NBD's alive expectation with b + 1 in place
//!   of b (a customer alive at T has dropout probability p ~ Beta(a, b+x+1) and rate
//!   λ ~ Gamma(r+x, α+T));
//! - no purchase in the next t: 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x) (an alive customer drops
//!   out only right after a purchase, so none in the next t means no Poisson event in it).

use super::bgnbd::{self, BgNbdFit, Variant};
use super::det::Det;
use super::mle::Estimate;
use super::{CustomerSummary, ModelError};

/// MBG/NBD parameters (times in the unit of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MbgNbd {
    /// Shape of the Gamma distribution of purchase rates.
    pub r: f64,
    /// Rate of the Gamma distribution of purchase rates.
    pub alpha: f64,
    /// First shape of the Beta distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of the Beta distribution of dropout probabilities.
    pub b: f64,
}

/// Fits MBG/NBD by maximum likelihood; the estimate of (r, α, a, b), the customers and the repeat
/// customers. Refused as [`bgnbd::fit`] is.
pub fn fit(customers: &[CustomerSummary]) -> Result<(Estimate<4>, usize, usize), ModelError> {
    bgnbd::fit_variant(customers, Variant::Modified, None)
}

impl MbgNbd {
    /// ln of the odds of having dropped out against being alive at T (sanitised inputs).
    fn ln_odds_gone(&self, x: f64, t_x: f64, t: f64) -> f64 {
        self.a.ln_d() - (self.b + x).ln_d()
            + (self.r + x) * ((self.alpha + t).ln_d() - (self.alpha + t_x).ln_d())
    }

    /// Probability that the customer is alive at T. Inputs are sanitised as in [`BgNbdFit::p_alive`].
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = bgnbd::sanitize(x, t_x, t);
        super::alive_from_ln_odds(self.ln_odds_gone(x, t_x, t))
    }

    /// Expected purchases in `horizon` after T of a customer alive at T (sanitised x and T).
    pub fn expected_purchases_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        BgNbdFit::with_params([self.r, self.alpha, self.a, self.b + 1.0])
            .expected_purchases_if_alive(horizon, x, t)
    }

    /// Expected purchases in `horizon` after T.
    pub fn expected_purchases(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        let (x, t_x, t) = bgnbd::sanitize(x, t_x, t);
        self.p_alive(x, t_x, t) * self.expected_purchases_if_alive(horizon, x, t)
    }
}
