//! Predicted value: the BG/NBD model of repeat purchases and the Gamma-Gamma model of spend, fitted by
//! maximum likelihood in plain Rust (no dependency; the same code runs natively and in wasm).
//!
//! # Per-customer summary
//!
//! Each customer is summarised by a [`CustomerSummary`] in one time unit chosen by the caller (days or
//! weeks; the fitted time parameters `alpha` and the horizons are in that unit):
//! - `x`: repeat purchase occasions (occasions after the first one; purchases on one day are one
//!   occasion, the caller decides);
//! - `t_x`: time from the first to the last occasion (0 when `x = 0`);
//! - `t` (T in the papers): time from the first occasion to the end of the observation (as_of);
//! - `monetary`: mean value of the repeat occasions (the first occasion left out; 0 when `x = 0`).
//!
//! # BG/NBD ([`bgnbd`])
//!
//! Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005), "'Counting Your Customers' the Easy Way: An
//! Alternative to the Pareto/NBD Model", *Marketing Science* 24(2), 275–284. While alive, a customer buys
//! as a Poisson process of rate λ ~ Gamma(r, α) (shape r, rate α); after each repeat purchase the customer
//! drops out for good with probability p ~ Beta(a, b). The likelihood of (x, t_x, T) is eq. 6 of the
//! paper, P(alive) is eq. 13 and the expected purchases in the next `t` time units are eq. 10 (with the
//! Gauss hypergeometric function ₂F₁, see [`special`]).
//!
//! # Gamma-Gamma ([`gamma_gamma`])
//!
//! Fader, P. S. & Hardie, B. G. S. (2013), "The Gamma-Gamma Model of Monetary Value" (note,
//! <http://brucehardie.com/notes/025/>), after Colombo & Jiang (1999). A customer's transaction values
//! are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process; the mean
//! `m_x` of `x` transactions then has the density of eq. 3 of the note, and the conditional expected
//! transaction value is (γ + m_x·x)·p / (p·x + q − 1).
//!
//! # Fitting ([`mle`], [`optimize`])
//!
//! Both models are fitted by the same routine, [`mle::fit_log_parameters`], on the logarithms of their
//! parameters (so they stay positive) by Nelder–Mead with restarts, polished by damped Newton steps on
//! the analytic gradient and Hessian; with many customers the Nelder–Mead search runs on a systematic
//! subsample and only the Newton steps on all of them. Standard errors come from the inverse of the
//! Hessian of the negative log-likelihood in the original parameters. A model supplies only its
//! log-likelihood with gradient and Hessian ([`mle::LogLikelihood`]) and a start. Identical rows are
//! grouped with counts, so the cost of a likelihood evaluation is proportional to the number of
//! distinct rows. A fit that the data cannot
//! identify is refused with a [`ModelError`] whose `Display` is one plain sentence; no public function
//! returns NaN.

pub mod bgnbd;
pub mod det;
pub mod gamma_gamma;
pub mod mbgnbd;
pub mod mle;
pub mod optimize;
pub mod pareto_nbd;
pub mod power_integral;
pub mod repeat;
pub mod sbg;
pub mod special;

use det::Det;
use std::fmt;

/// P(alive) = 1 / (1 + e^ln_odds) from the log-odds of having dropped out, without overflow; 1 when the
/// odds are not a number. The last step of every repeat-purchase model's P(alive).
pub(crate) fn alive_from_ln_odds(ln_odds: f64) -> f64 {
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

/// `values` added up from +0.0. The standard `Sum for f64` starts from −0.0 (the IEEE additive identity),
/// so an empty sum, such as the predicted CLV of a segment without customers, would be −0.0 and show as
/// `-0.0` in the Report's JSON and as "-$0.00" on a page; from +0.0 no sum is −0.0.
pub(crate) fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |total, value| total + value)
}

/// One customer's purchase history, summarised for the models (times in the caller's unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerSummary {
    /// Repeat purchase occasions: occasions after the first (a non-negative whole number).
    pub x: f64,
    /// Time from the first to the last occasion (0 when `x = 0`).
    pub t_x: f64,
    /// Time from the first occasion to the end of the observation period (T in the papers).
    pub t: f64,
    /// Mean value of the repeat occasions, the first occasion left out (0 when `x = 0`).
    pub monetary: f64,
}

/// Why a model cannot be fitted. Its `Display` is one plain sentence for the user.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ModelError {
    /// No customers at all.
    NoCustomers,
    /// A summary row is not a valid purchase history.
    InvalidCustomer {
        /// 0-based position of the row in the input.
        index: usize,
        /// What is wrong, e.g. "t_x is greater than T".
        problem: &'static str,
    },
    /// Every customer was observed for no time at all (T = 0 for everyone).
    NoObservationTime,
    /// Too few customers made a repeat purchase for the model to be identified.
    TooFewRepeatCustomers {
        /// Which model: "BG/NBD" or "Gamma-Gamma".
        model: &'static str,
        /// Customers with at least one repeat purchase (and, for Gamma-Gamma, a positive value).
        found: usize,
        /// The minimum the fit asks for.
        needed: usize,
    },
    /// The optimiser did not settle on a maximum of the likelihood.
    NotConverged {
        /// Which model.
        model: &'static str,
    },
    /// The likelihood is not a finite number at the best parameters found.
    NonFiniteLikelihood {
        /// Which model.
        model: &'static str,
    },
    /// The likelihood keeps increasing as a parameter runs off to 0 or infinity: the data do not
    /// identify the model.
    NotIdentified {
        /// Which model.
        model: &'static str,
        /// A plain explanation of what is missing.
        reason: &'static str,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NoCustomers => write!(f, "There are no customers to fit a model on."),
            ModelError::InvalidCustomer { index, problem } => write!(
                f,
                "Customer summary number {} is not a valid purchase history: {problem}.",
                index + 1
            ),
            ModelError::NoObservationTime => write!(
                f,
                "Every customer made the first purchase on the analysis date, so there is no history \
                 to learn repeat purchasing from."
            ),
            ModelError::TooFewRepeatCustomers {
                model,
                found,
                needed,
            } => {
                if *found == 0 {
                    write!(
                        f,
                        "The {model} model needs customers who bought again, and no customer has \
                         made a repeat purchase yet (at least {needed} are needed)."
                    )
                } else {
                    write!(
                        f,
                        "The {model} model needs at least {needed} customers with a repeat purchase, \
                         and only {found} have one."
                    )
                }
            }
            ModelError::NotConverged { model } => write!(
                f,
                "The {model} model could not be fitted: the search for the best parameters did not \
                 settle, so its predictions would not be trustworthy."
            ),
            ModelError::NonFiniteLikelihood { model } => write!(
                f,
                "The {model} model could not be fitted: its likelihood is not a finite number for \
                 these data."
            ),
            ModelError::NotIdentified { model, reason } => {
                write!(f, "The {model} model cannot be fitted on these data: {reason}.")
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// The minimum number of customers with a repeat purchase that either model accepts.
pub const MIN_REPEAT_CUSTOMERS: usize = 10;
