//! The three repeat-purchase models (BG/NBD, MBG/NBD, Pareto/NBD) behind one interface: fit one by
//! name, predict P(alive), the expected purchases and the probability of no purchase in a horizon for
//! every customer, and draw parameter sets from the fit's sampling distribution for intervals.
//!
//! All three have four positive parameters and are fitted on the same (x, t_x, T), so a fit is its kind
//! and θ (BG/NBD and MBG/NBD: r, α, a, b; Pareto/NBD: r, α, s, β).
//!
//! # Probability of no purchase in the next t
//!
//! 1 − P(alive at T) + P(alive at T) · P(no purchase in t | alive at T). For BG/NBD and MBG/NBD an alive
//! customer drops out only right after a purchase, so no purchase in t means no event of the Poisson
//! process: ((α+T)/(α+T+t))^(r+x) (λ ~ Gamma(r+x, α+T)). For Pareto/NBD see [`super::pareto_nbd`].
//!
//! # Parameter draws
//!
//! The maximum likelihood estimate of the logarithms of the parameters is asymptotically normal with the
//! inverse of the Hessian of −ln L as covariance; [`RepeatFit::draws`] draws from that normal with a
//! fixed-seed generator (SplitMix64, Box–Muller), so the same data give the same draws.

use super::bgnbd::{self, BgNbdFit};
use super::det::Det;
use super::mbgnbd::MbgNbd;
use super::mle::{Convergence, Estimate};
use super::pareto_nbd::{self, ParetoNbd};
use super::power_integral::{self, LnIntegral};
use super::{alive_from_ln_odds, CustomerSummary, ModelError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which repeat-purchase model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub enum ModelKind {
    /// BG/NBD (Fader, Hardie & Lee 2005).
    #[serde(rename = "bgnbd")]
    BgNbd,
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    #[serde(rename = "mbgnbd")]
    MbgNbd,
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    #[serde(rename = "pareto_nbd")]
    ParetoNbd,
}

impl ModelKind {
    /// Every model, in the order the Report lists the candidates.
    pub const ALL: [ModelKind; 3] = [ModelKind::BgNbd, ModelKind::MbgNbd, ModelKind::ParetoNbd];

    /// The Report's key: `bgnbd`, `mbgnbd` or `pareto_nbd`.
    pub fn key(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "bgnbd",
            ModelKind::MbgNbd => "mbgnbd",
            ModelKind::ParetoNbd => "pareto_nbd",
        }
    }

    /// The model named by its key (any case).
    pub fn parse(name: &str) -> Option<ModelKind> {
        let name = name.trim();
        ModelKind::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(name))
    }

    /// The model's name in sentences: "BG/NBD", "MBG/NBD" or "Pareto/NBD".
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "BG/NBD",
            ModelKind::MbgNbd => "MBG/NBD",
            ModelKind::ParetoNbd => "Pareto/NBD",
        }
    }
}

/// One model with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatModel {
    /// Which model.
    pub kind: ModelKind,
    /// (r, α, a, b), or (r, α, s, β) for Pareto/NBD.
    pub theta: [f64; 4],
}

/// One customer's predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Probability that the customer is alive at T.
    pub p_alive: f64,
    /// Expected purchases in the horizon.
    pub expected_purchases: f64,
    /// Probability of no purchase in the horizon.
    pub p_no_purchase: f64,
}

impl RepeatModel {
    fn bgnbd(&self) -> BgNbdFit {
        BgNbdFit::with_params(self.theta)
    }

    fn pareto(&self) -> ParetoNbd {
        let [r, alpha, s, beta] = self.theta;
        ParetoNbd { r, alpha, s, beta }
    }

    fn mbgnbd(&self) -> MbgNbd {
        let [r, alpha, a, b] = self.theta;
        MbgNbd { r, alpha, a, b }
    }

    /// P(alive at T) (sanitised inputs).
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        match self.kind {
            ModelKind::BgNbd => self.bgnbd().p_alive(x, t_x, t),
            ModelKind::MbgNbd => self.mbgnbd().p_alive(x, t_x, t),
            ModelKind::ParetoNbd => self.pareto().p_alive(x, t_x, t),
        }
    }

    /// Expected purchases in `horizon` for a customer alive at T (sanitised x and T).
    pub(crate) fn expected_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        match self.kind {
            ModelKind::BgNbd => self.bgnbd().expected_purchases_if_alive(horizon, x, t),
            ModelKind::MbgNbd => self.mbgnbd().expected_purchases_if_alive(horizon, x, t),
            ModelKind::ParetoNbd => self.pareto().expected_purchases_if_alive(horizon, x, t),
        }
    }

    /// Probability of no purchase in `horizon` for a customer alive at T (sanitised x and T).
    pub(crate) fn no_purchase_if_alive(&self, horizon: f64, x: f64, t: f64) -> f64 {
        match self.kind {
            ModelKind::BgNbd | ModelKind::MbgNbd => self.no_event(horizon, x, t),
            ModelKind::ParetoNbd => self.pareto().no_purchase_if_alive(horizon, x, t),
        }
    }

    /// BG/NBD and MBG/NBD: no event of the Poisson process in `horizon`, ((α+T)/(α+T+t))^(r+x).
    fn no_event(&self, horizon: f64, x: f64, t: f64) -> f64 {
        if !(horizon.is_finite() && horizon > 0.0) {
            return 1.0;
        }
        let [r, alpha, ..] = self.theta;
        let none = (-(r + x) * (horizon / (alpha + t)).ln_1p_d()).exp_d();
        if none.is_finite() {
            none
        } else {
            1.0
        }
    }

    /// Every customer's predictions for `horizon` ([`RepeatModel::predict_with`] of
    /// [`RepeatModel::p_alive_all`]).
    pub fn predict(&self, horizon: f64, customers: &[CustomerSummary]) -> Vec<Prediction> {
        self.predict_with(&self.p_alive_all(customers), horizon, customers)
    }

    /// Every customer's predictions for `horizon` given their P(alive) (`p_alive`, in the order of
    /// `customers`), the alive expectations computed once per distinct (x, T).
    pub fn predict_with(
        &self,
        p_alive: &[f64],
        horizon: f64,
        customers: &[CustomerSummary],
    ) -> Vec<Prediction> {
        let mut if_alive_cache: HashMap<[u64; 2], (f64, f64)> = HashMap::new();
        customers
            .iter()
            .zip(p_alive)
            .map(|(c, &p_alive)| {
                let (x, _, t) = bgnbd::sanitize(c.x, c.t_x, c.t);
                let (expected, none) = *if_alive_cache
                    .entry([x, t].map(f64::to_bits))
                    .or_insert_with(|| {
                        (
                            self.expected_if_alive(horizon, x, t),
                            self.no_purchase_if_alive(horizon, x, t),
                        )
                    });
                Prediction {
                    p_alive,
                    expected_purchases: p_alive * expected,
                    p_no_purchase: (1.0 - p_alive + p_alive * none).clamp(0.0, 1.0),
                }
            })
            .collect()
    }

    /// Every customer's expected purchases in `horizon` given their P(alive) (`p_alive`, in the order of
    /// `customers`): the `expected_purchases` of [`RepeatModel::predict_with`] alone.
    pub fn expected_purchases_with(
        &self,
        p_alive: &[f64],
        horizon: f64,
        customers: &[CustomerSummary],
    ) -> Vec<f64> {
        customers
            .iter()
            .zip(p_alive)
            .map(|(c, &p_alive)| {
                let (x, _, t) = bgnbd::sanitize(c.x, c.t_x, c.t);
                p_alive * self.expected_if_alive(horizon, x, t)
            })
            .collect()
    }

    /// Every customer's P(alive at T), computed once per distinct (x, t_x, T) from the terms shared
    /// by all of them ([`RepeatModel::alive_terms`]; for Pareto/NBD the integral's tails once per
    /// distinct (x, time)): the values [`RepeatModel::p_alive`] gives.
    pub fn p_alive_all(&self, customers: &[CustomerSummary]) -> Vec<f64> {
        let keys: Vec<[u64; 3]> = customers
            .iter()
            .map(|c| {
                let (x, t_x, t) = bgnbd::sanitize(c.x, c.t_x, c.t);
                [x, t, t_x].map(|v| (v + 0.0).to_bits())
            })
            .collect();
        let distinct = |mut v: Vec<u64>| {
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut groups = keys.clone();
        groups.sort_unstable();
        groups.dedup();
        let xs = distinct(groups.iter().map(|k| k[0]).collect());
        let times = distinct(groups.iter().flat_map(|k| [k[1], k[2]]).collect());
        let floats = |bits: &[u64]| bits.iter().map(|&b| f64::from_bits(b)).collect::<Vec<_>>();
        let at = |values: &[u64], bits: u64| values.binary_search(&bits).unwrap_or(0);
        let time_values = floats(&times);
        let wanted = wanted_tails(
            xs.len(),
            groups.iter().flat_map(|&[x, t, t_x]| {
                let xi = at(&xs, x);
                [[xi, at(&times, t)], [xi, at(&times, t_x)]]
            }),
        );
        let mut terms = self.alive_terms(&floats(&xs), &time_values, &wanted);
        // Groups sorted by x: the Pareto/NBD tails of one x serve its run of groups.
        let per_group: Vec<f64> = groups
            .iter()
            .map(|&[x, t, t_x]| {
                self.p_alive_from(
                    &mut terms,
                    (at(&xs, x), f64::from_bits(x)),
                    (at(&times, t_x), f64::from_bits(t_x)),
                    (at(&times, t), f64::from_bits(t)),
                )
            })
            .collect();
        keys.iter()
            .map(|key| per_group.get(at_key(&groups, key)).copied().unwrap_or(1.0))
            .collect()
    }
}

/// The position of `key` in the sorted `keys` (0 when absent, which the callers exclude).
fn at_key(keys: &[[u64; 3]], key: &[u64; 3]) -> usize {
    keys.binary_search(key).unwrap_or(0)
}

impl RepeatModel {
    /// The expected purchases of all `customers` together within each of `horizons` after their T:
    /// the sums of [`RepeatModel::predict`]'s, P(alive) summed per distinct (x, T) and the alive
    /// expectation computed once per distinct (x, T) and horizon. Summed in a fixed order.
    pub fn expected_totals(&self, horizons: &[f64], customers: &[CustomerSummary]) -> Vec<f64> {
        let mut alive: std::collections::BTreeMap<[u64; 2], (f64, f64, f64)> =
            std::collections::BTreeMap::new();
        for (c, p) in customers.iter().zip(self.p_alive_all(customers)) {
            let (x, _, t) = bgnbd::sanitize(c.x, c.t_x, c.t);
            alive
                .entry([x, t].map(f64::to_bits))
                .or_insert((x, t, 0.0))
                .2 += p;
        }
        horizons
            .iter()
            .map(|&horizon| {
                super::sum(
                    alive
                        .values()
                        .map(|&(x, t, p_alive)| p_alive * self.expected_if_alive(horizon, x, t)),
                )
            })
            .collect()
    }
}

/// A fitted repeat-purchase model.
#[derive(Debug, Clone, PartialEq)]
pub struct RepeatFit {
    /// The model at its estimate.
    pub model: RepeatModel,
    /// ln L at the estimate.
    pub log_likelihood: f64,
    /// Standard errors of θ.
    pub standard_errors: [Option<f64>; 4],
    /// Covariance of ln θ (see [`Estimate::log_covariance`]).
    pub log_covariance: Option<[[f64; 4]; 4]>,
    /// How the search ended.
    pub convergence: Convergence,
    /// Customers fitted.
    pub customers: usize,
    /// Those with a repeat purchase.
    pub repeat_customers: usize,
}

/// Fits `kind` on `customers`.
pub fn fit(kind: ModelKind, customers: &[CustomerSummary]) -> Result<RepeatFit, ModelError> {
    fit_near(kind, customers, None)
}

/// Fits `kind` on `customers` from the parameters `near` (a fit of the same model on much the same data,
/// such as the full history's for the calibration refit of the holdout check): Newton steps from there,
/// the whole search only when they do not converge. The maximum is the one [`fit`] finds.
pub fn refit(
    kind: ModelKind,
    customers: &[CustomerSummary],
    near: &RepeatModel,
) -> Result<RepeatFit, ModelError> {
    fit_near(kind, customers, (near.kind == kind).then_some(near.theta))
}

fn fit_near(
    kind: ModelKind,
    customers: &[CustomerSummary],
    near: Option<[f64; 4]>,
) -> Result<RepeatFit, ModelError> {
    let (estimate, n, repeat): (Estimate<4>, usize, usize) = match kind {
        ModelKind::BgNbd => bgnbd::fit_variant(customers, bgnbd::Variant::Original, near)?,
        ModelKind::MbgNbd => bgnbd::fit_variant(customers, bgnbd::Variant::Modified, near)?,
        ModelKind::ParetoNbd => pareto_nbd::fit_near(customers, near)?,
    };
    Ok(RepeatFit {
        model: RepeatModel {
            kind,
            theta: estimate.theta,
        },
        log_likelihood: estimate.log_likelihood,
        standard_errors: estimate.standard_errors,
        log_covariance: estimate.log_covariance,
        convergence: estimate.convergence,
        customers: n,
        repeat_customers: repeat,
    })
}

/// SplitMix64: a small, fast generator with a fixed sequence for a seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal pair by Box–Muller.
    fn normal_pair(&mut self) -> (f64, f64) {
        let radius = (-2.0 * self.uniform().ln_d()).sqrt();
        let angle = 2.0 * std::f64::consts::PI * self.uniform();
        (radius * libm::cos(angle), radius * libm::sin(angle))
    }
}

/// `count` standard normal vectors of dimension N from `seed`.
pub(crate) fn standard_normals<const N: usize>(count: usize, seed: u64) -> Vec<[f64; N]> {
    let mut rng = SplitMix64(seed);
    let mut spare: Option<f64> = None;
    let mut next = move || match spare.take() {
        Some(v) => v,
        None => {
            let (a, b) = rng.normal_pair();
            spare = Some(b);
            a
        }
    };
    (0..count)
        .map(|_| std::array::from_fn(|_| next()))
        .collect()
}

/// exp(û + L·ε) for each ε in `normals`, L the Cholesky factor of `covariance`; `None` when the
/// covariance is not positive definite.
pub(crate) fn log_normal_draws<const N: usize>(
    theta: [f64; N],
    covariance: &[[f64; N]; N],
    normals: &[[f64; N]],
) -> Option<Vec<[f64; N]>> {
    let matrix: super::optimize::Matrix = covariance.iter().map(|row| row.to_vec()).collect();
    let l = super::optimize::cholesky(&matrix)?;
    let u = theta.map(|t| t.ln_d());
    Some(
        normals
            .iter()
            .map(|e| {
                std::array::from_fn(|i| {
                    let shift: f64 = (0..=i).map(|k| l[i][k] * e[k]).sum();
                    (u[i] + shift).exp_d()
                })
            })
            .filter(|t: &[f64; N]| t.iter().all(|v| v.is_finite() && *v > 0.0))
            .collect(),
    )
}

/// The 5th and 95th percentiles of `values` (reordered in place; linear interpolation between closest
/// ranks): a 90 % interval from draws. (0, 0) for no values. The order statistics are found by selection,
/// not by sorting: the same values in linear time.
pub fn interval_90(values: &mut [f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0.0, 0.0);
    }
    let ranks = |q: f64| -> (usize, usize, f64) {
        let position = q * (n - 1) as f64;
        let lower = position.floor() as usize;
        (lower, (lower + 1).min(n - 1), position - lower as f64)
    };
    // The value of rank `upper` by selection; that of rank `lower` (just below it) is the largest of
    // those selected before it.
    let pair = |values: &mut [f64], lower: usize, upper: usize| -> (f64, f64) {
        let (before, at, _) = values.select_nth_unstable_by(upper, f64::total_cmp);
        let at = *at;
        let below = if lower == upper {
            at
        } else {
            before.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        };
        (below, at)
    };
    let (high_lower, high_upper, high_fraction) = ranks(0.95);
    let (low_lower, low_upper, low_fraction) = ranks(0.05);
    let (h0, h1) = pair(values, high_lower, high_upper);
    // Every rank of the low percentile is below the high one's: select within the values before it.
    let (l0, l1) = pair(
        &mut values[..high_upper.max(low_upper + 1).min(n)],
        low_lower,
        low_upper,
    );
    (
        l0 + (l1 - l0) * low_fraction,
        h0 + (h1 - h0) * high_fraction,
    )
}

/// The parts of P(alive) that depend on the parameters and on one coordinate only, for evaluating one
/// model on many (x, t_x, T) at once: per distinct time τ (t_x or T) ln(α+τ) (and ln(β+τ) for
/// Pareto/NBD), per distinct x the constant of the odds (BG/NBD and MBG/NBD).
pub(crate) struct AliveTerms<'a> {
    ln_alpha: Vec<f64>,
    ln_beta: Vec<f64>,
    per_x: Vec<f64>,
    times: &'a [f64],
    /// Per x, the positions of the times whose tails are computed together.
    wanted: &'a [Vec<usize>],
    /// Pareto/NBD: the tails of the integral at each time for the current x (`tails_x`), a tail valid
    /// when its stamp is `tails_stamp` (a new x takes a new stamp instead of clearing the table).
    tails: Vec<(LnIntegral, u32)>,
    tails_x: Option<usize>,
    tails_stamp: u32,
    /// Pareto/NBD: the odds' scale of the last (x, T) by their positions.
    odds_scale: Option<([usize; 2], f64)>,
}

impl RepeatModel {
    /// The terms of P(alive) for the sorted distinct `xs` and `times` (sanitised values).
    ///
    /// `wanted[xi]` lists the positions in `times` whose tails x = xs[xi] will need (Pareto/NBD): they
    /// are computed together when x is first asked for ([`power_integral::ln_tails`]); any other is
    /// computed alone. [`wanted_tails`] makes the list.
    pub(crate) fn alive_terms<'a>(
        &self,
        xs: &[f64],
        times: &'a [f64],
        wanted: &'a [Vec<usize>],
    ) -> AliveTerms<'a> {
        let [_, alpha, c, d] = self.theta;
        let ln_alpha = times.iter().map(|t| (alpha + t).ln_d()).collect();
        let (ln_beta, per_x) = match self.kind {
            ModelKind::BgNbd => (
                Vec::new(),
                xs.iter().map(|x| c.ln_d() - (d + x - 1.0).ln_d()).collect(),
            ),
            ModelKind::MbgNbd => (
                Vec::new(),
                xs.iter().map(|x| c.ln_d() - (d + x).ln_d()).collect(),
            ),
            ModelKind::ParetoNbd => (times.iter().map(|t| (d + t).ln_d()).collect(), Vec::new()),
        };
        AliveTerms {
            ln_alpha,
            ln_beta,
            per_x,
            times,
            wanted,
            tails: vec![(LnIntegral::EMPTY, 0); times.len()],
            tails_x: None,
            tails_stamp: 0,
            odds_scale: None,
        }
    }

    /// P(alive at T) of (xs[xi], times[txi], times[ti]) from `terms` (made by [`Self::alive_terms`]
    /// with the same `xs` and `times`): the value [`Self::p_alive`] gives.
    pub(crate) fn p_alive_from(
        &self,
        terms: &mut AliveTerms,
        (xi, x): (usize, f64),
        (txi, t_x): (usize, f64),
        (ti, t): (usize, f64),
    ) -> f64 {
        match self.kind {
            ModelKind::BgNbd | ModelKind::MbgNbd => {
                let r = self.theta[0];
                let ln_at = |i: usize| terms.ln_alpha.get(i).copied().unwrap_or(f64::NAN);
                if self.kind == ModelKind::BgNbd && x == 0.0 {
                    return 1.0;
                }
                let c = terms.per_x.get(xi).copied().unwrap_or(f64::NAN);
                alive_from_ln_odds(c + (r + x) * (ln_at(ti) - ln_at(txi)))
            }
            ModelKind::ParetoNbd => {
                let model = self.pareto();
                let (Some(tail_tx), Some(tail_t)) = (
                    terms.tail(self.theta, (xi, x), (txi, t_x)),
                    terms.tail(self.theta, (xi, x), (ti, t)),
                ) else {
                    return 1.0;
                };
                let scale = terms.odds_scale(&model, (xi, x), ti, tail_t);
                model.p_alive_from_tails(
                    (x, t_x, t),
                    (tail_tx, tail_t),
                    scale,
                    (terms.ln_alpha_at(ti), terms.ln_beta_at(ti)),
                )
            }
        }
    }

    /// Probability of no purchase in `horizon` for a customer alive at T, of (xs[xi], times[ti]) with
    /// T + horizon = times[hi], from `terms`: the value [`Self::no_purchase_if_alive`] gives.
    pub(crate) fn no_purchase_from(
        &self,
        terms: &mut AliveTerms,
        horizon: f64,
        (xi, x): (usize, f64),
        (ti, t): (usize, f64),
        (hi, t_end): (usize, f64),
    ) -> f64 {
        match self.kind {
            ModelKind::BgNbd | ModelKind::MbgNbd => self.no_event(horizon, x, t),
            ModelKind::ParetoNbd => {
                let model = self.pareto();
                let (Some(tail_t), Some(tail_end)) = (
                    terms.tail(self.theta, (xi, x), (ti, t)),
                    terms.tail(self.theta, (xi, x), (hi, t_end)),
                ) else {
                    return 1.0;
                };
                let scale = terms.odds_scale(&model, (xi, x), ti, tail_t);
                model.no_purchase_from_tails(
                    (horizon, x),
                    (t, t_end),
                    (tail_t, tail_end),
                    scale,
                    [ti, hi].map(|i| [terms.ln_alpha_at(i), terms.ln_beta_at(i)]),
                )
            }
        }
    }
}

/// Per x position (of `x_count`), the sorted distinct time positions of the (x, time) `pairs`: the
/// `wanted` of [`RepeatModel::alive_terms`].
pub(crate) fn wanted_tails(
    x_count: usize,
    pairs: impl IntoIterator<Item = [usize; 2]>,
) -> Vec<Vec<usize>> {
    let mut wanted = vec![Vec::new(); x_count];
    for [xi, ti] in pairs {
        if let Some(list) = wanted.get_mut(xi) {
            list.push(ti);
        }
    }
    for list in &mut wanted {
        list.sort_unstable();
        list.dedup();
    }
    wanted
}

impl AliveTerms<'_> {
    /// ln(α + times[i]).
    fn ln_alpha_at(&self, i: usize) -> f64 {
        self.ln_alpha.get(i).copied().unwrap_or(f64::NAN)
    }

    /// Pareto/NBD: ln(β + times[i]).
    fn ln_beta_at(&self, i: usize) -> f64 {
        self.ln_beta.get(i).copied().unwrap_or(f64::NAN)
    }

    /// Pareto/NBD: the odds' scale e^K of x = xs[xi] and T = times[ti] with the tail at T
    /// ([`ParetoNbd::odds_scale`]), kept for the last (x, T).
    fn odds_scale(
        &mut self,
        model: &ParetoNbd,
        (xi, x): (usize, f64),
        ti: usize,
        tail_t: LnIntegral,
    ) -> f64 {
        match self.odds_scale {
            Some((at, scale)) if at == [xi, ti] => scale,
            _ => {
                let scale = model.odds_scale(x, self.ln_alpha_at(ti), self.ln_beta_at(ti), tail_t);
                self.odds_scale = Some(([xi, ti], scale));
                scale
            }
        }
    }

    /// Pareto/NBD (θ = (r, α, s, β)): the tail at τ = times[i] of the integral with exponents
    /// (r + x, s + 1), x = xs[xi], computed once while x stays the same (with the other wanted tails of
    /// x when x is first asked for).
    fn tail(
        &mut self,
        theta: [f64; 4],
        (xi, x): (usize, f64),
        (i, tau): (usize, f64),
    ) -> Option<LnIntegral> {
        let [r, alpha, s, beta] = theta;
        if self.tails_x != Some(xi) {
            self.tails_x = Some(xi);
            self.tails_stamp = self.tails_stamp.wrapping_add(1);
            if self.tails_stamp == 0 {
                // After 2³² values of x the stamps start again: clear the old ones once.
                self.tails.iter_mut().for_each(|(_, stamp)| *stamp = 0);
                self.tails_stamp = 1;
            }
            if let Some(wanted) = self.wanted.get(xi) {
                let taus: Vec<f64> = wanted
                    .iter()
                    .filter_map(|&i| self.times.get(i).copied())
                    .collect();
                let mut tails = Vec::with_capacity(taus.len());
                power_integral::ln_tails(alpha, beta, r + x, s + 1.0, &taus, false, &mut tails);
                for (&i, tail) in wanted.iter().zip(tails) {
                    if let Some(slot) = self.tails.get_mut(i) {
                        *slot = (tail, self.tails_stamp);
                    }
                }
            }
        }
        let stamp = self.tails_stamp;
        let slot = self.tails.get_mut(i)?;
        if slot.1 != stamp {
            *slot = (
                power_integral::ln_tail(alpha, beta, r + x, s + 1.0, tau, false),
                stamp,
            );
        }
        Some(slot.0)
    }
}

impl RepeatFit {
    /// BIC = 4 ln n − 2 ln L.
    pub fn bic(&self) -> f64 {
        4.0 * (self.customers.max(1) as f64).ln_d() - 2.0 * self.log_likelihood
    }

    /// `count` models with parameters drawn from the asymptotic normal of ln θ (fixed `seed`); empty
    /// without a covariance.
    pub fn draws(&self, count: usize, seed: u64) -> Vec<RepeatModel> {
        let Some(covariance) = &self.log_covariance else {
            return Vec::new();
        };
        let normals = standard_normals::<4>(count, seed);
        log_normal_draws(self.model.theta, covariance, &normals)
            .unwrap_or_default()
            .into_iter()
            .map(|theta| RepeatModel {
                kind: self.model.kind,
                theta,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_have_the_covariance_they_are_drawn_from() {
        let covariance = [[0.04, 0.01], [0.01, 0.09]];
        let normals = standard_normals::<2>(20_000, 7);
        let draws = log_normal_draws([1.0, 1.0], &covariance, &normals).unwrap();
        let n = draws.len() as f64;
        let logs: Vec<[f64; 2]> = draws.iter().map(|d| d.map(f64::ln)).collect();
        let mean = |i: usize| logs.iter().map(|l| l[i]).sum::<f64>() / n;
        let (m0, m1) = (mean(0), mean(1));
        let cov = |i: usize, j: usize, mi: f64, mj: f64| {
            logs.iter().map(|l| (l[i] - mi) * (l[j] - mj)).sum::<f64>() / n
        };
        // Sampling error of a variance of 20,000 normals: about 1 % of it.
        assert!((cov(0, 0, m0, m0) - 0.04).abs() < 0.002);
        assert!((cov(1, 1, m1, m1) - 0.09).abs() < 0.004);
        assert!((cov(0, 1, m0, m1) - 0.01).abs() < 0.002);
        assert!(m0.abs() < 0.01 && m1.abs() < 0.01);
    }

    #[test]
    fn the_interval_by_selection_is_the_one_of_the_sorted_values() {
        // Percentiles by linear interpolation between closest ranks of the sorted values, computed here
        // by sorting: position q·(n−1).
        let by_sorting = |values: &[f64]| {
            let mut sorted = values.to_vec();
            sorted.sort_by(f64::total_cmp);
            let at = |q: f64| {
                let position = q * (sorted.len() - 1) as f64;
                let lower = position.floor() as usize;
                let upper = (lower + 1).min(sorted.len() - 1);
                sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower as f64)
            };
            (at(0.05), at(0.95))
        };
        let normals = standard_normals::<1>(500, 3);
        for n in [1, 2, 3, 20, 21, 199, 200, 201, 500] {
            let values: Vec<f64> = normals[..n].iter().map(|v| v[0]).collect();
            assert_eq!(interval_90(&mut values.clone()), by_sorting(&values), "{n}");
        }
        // Ties and a constant.
        assert_eq!(interval_90(&mut [2.0; 200]), (2.0, 2.0));
        assert_eq!(interval_90(&mut []), (0.0, 0.0));
    }

    /// The predictions from tabled terms are the direct ones: to the bit for BG/NBD and MBG/NBD, and to
    /// 12 significant digits for Pareto/NBD, whose tabled tails are summed from pieces.
    #[test]
    fn predictions_from_tabled_terms_are_the_direct_ones() {
        let rows = [
            (0.0, 0.0, 30.0),
            (1.0, 3.0, 30.0),
            (3.0, 29.0, 30.0),
            (7.0, 12.5, 52.0),
            (40.0, 51.0, 52.0),
            (2.0, 52.0, 52.0),
        ];
        let horizon = 26.0;
        let mut xs: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let mut times: Vec<f64> = rows
            .iter()
            .flat_map(|r| [r.1, r.2, r.2 + horizon])
            .collect();
        for v in [&mut xs, &mut times] {
            v.sort_by(f64::total_cmp);
            v.dedup();
        }
        let at = |v: &[f64], x: f64| v.iter().position(|&y| y == x).unwrap();
        for (kind, theta) in [
            (ModelKind::BgNbd, [0.24, 4.4, 0.79, 2.4]),
            (ModelKind::MbgNbd, [0.52, 6.2, 0.89, 1.6]),
            (ModelKind::ParetoNbd, [0.55, 10.6, 0.61, 11.7]),
            (ModelKind::ParetoNbd, [0.55, 1e4, 0.61, 0.5]),
        ] {
            let m = RepeatModel { kind, theta };
            let wanted = wanted_tails(
                xs.len(),
                rows.iter().flat_map(|&(x, t_x, t)| {
                    [t_x, t, t + horizon].map(|tau| [at(&xs, x), at(&times, tau)])
                }),
            );
            let mut terms = m.alive_terms(&xs, &times, &wanted);
            for &(x, t_x, t) in &rows {
                let tabled = m.p_alive_from(
                    &mut terms,
                    (at(&xs, x), x),
                    (at(&times, t_x), t_x),
                    (at(&times, t), t),
                );
                let same = |a: f64, b: f64| match kind {
                    ModelKind::ParetoNbd => (a - b).abs() <= 1e-12 * a.abs().max(b.abs()),
                    _ => a.to_bits() == b.to_bits(),
                };
                let direct = m.p_alive(x, t_x, t);
                assert!(
                    same(tabled, direct),
                    "{kind:?} {x} {t_x} {t}: {tabled} {direct}"
                );
                let none = m.no_purchase_from(
                    &mut terms,
                    horizon,
                    (at(&xs, x), x),
                    (at(&times, t), t),
                    (at(&times, t + horizon), t + horizon),
                );
                let direct = m.no_purchase_if_alive(horizon, x, t);
                assert!(same(none, direct), "{kind:?} {x} {t}: {none} {direct}");
                assert!(direct > 0.0 && direct < 1.0, "{kind:?} {x} {t}: {direct}");
            }
        }
    }

    #[test]
    fn every_model_predicts_fewer_purchases_and_more_silence_for_the_long_quiet() {
        // A customer with 3 repeat purchases, the last long ago, against one whose last is recent.
        for (kind, theta) in [
            (ModelKind::BgNbd, [0.24, 4.4, 0.79, 2.4]),
            (ModelKind::MbgNbd, [0.52, 6.2, 0.89, 1.6]),
            (ModelKind::ParetoNbd, [0.55, 10.6, 0.61, 11.7]),
        ] {
            let m = RepeatModel { kind, theta };
            let rows = [
                CustomerSummary {
                    x: 3.0,
                    t_x: 5.0,
                    t: 38.0,
                    monetary: 0.0,
                },
                CustomerSummary {
                    x: 3.0,
                    t_x: 37.0,
                    t: 38.0,
                    monetary: 0.0,
                },
            ];
            let p = m.predict(52.0, &rows);
            assert!(p[0].p_alive < p[1].p_alive, "{kind:?}");
            assert!(p[0].expected_purchases < p[1].expected_purchases);
            assert!(p[0].p_no_purchase > p[1].p_no_purchase);
            for q in &p {
                assert!(q.p_no_purchase > 0.0 && q.p_no_purchase < 1.0);
            }
        }
    }
}
