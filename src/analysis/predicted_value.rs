//! Predicted value: BG/NBD (Fader, Hardie & Lee 2005) for purchase counts and Gamma-Gamma (Fader &
//! Hardie 2013) for spend, fitted on the per-customer table (the mathematics is in `crate::models`).
//!
//! Per customer, over its full history, in the chosen time unit (days unless set to weeks):
//! x = purchase occasions − 1; t_x = time from the first to the last occasion; T = time from the first
//! occasion to as_of; value = mean revenue of the repeat occasions (an occasion's revenue is the sum of
//! its orders). BG/NBD is fitted on (x, t_x, T) of all customers, Gamma-Gamma on the customers with
//! x > 0 and value > 0. Per customer: `p_alive`; `expected_purchases` in the next `horizon_days`;
//! `expected_value`, the Gamma-Gamma conditional mean (the population mean for x = 0); and
//! `clv` = expected_purchases × expected_value × margin, discounted at the annual rate when one is set
//! (the expected purchases of each 30-day step discounted from the step's end). Totals sum them over
//! customers, `by_segment` over each RFM segment; `p_alive_histogram` counts customers by P(alive) in
//! bins of 0.1 ([0, 0.1), …, [0.9, 1]).
//!
//! Three repeat-purchase models are candidates (BG/NBD, MBG/NBD, Pareto/NBD, see `crate::models::repeat`),
//! each fitted on the same (x, t_x, T). The holdout check refits each on the orders up to a split date
//! (default: the day that leaves the last third of the history from the first order to as_of, when that
//! is at least 28 days) and compares, for the customers who had bought by then, the purchase occasions
//! they made after the split with what the model expected: `error` = |predicted − actual| / actual. The
//! chosen model (the one the totals, segments and customers use) is the user's `model` option when it
//! could be fitted, else the candidate with the lowest holdout error, else (no holdout) the lowest BIC.
//! The detailed check (by calibration frequency x = 0 … 7, 7 meaning 7 or more, and a cumulative curve
//! by week) is the chosen model's.
//!
//! `p_no_purchase` is the probability of no purchase in the next `horizon_days`. Intervals: 90 % intervals
//! (5th and 95th percentiles) over [`DRAWS`] parameter sets drawn from the asymptotic normal of the chosen
//! model's log-parameters (fixed seed: the same file gives the same interval), every prediction and total
//! recomputed for each set without refitting. CLV intervals scale each customer's discounted CLV with the
//! drawn expected purchases (the Gamma-Gamma expected value is held at its estimate).

use super::model_notes::{ModelNote, ModelNoteCode};
use super::rfm::{self, Segment};
use super::Context;
use crate::customers::Customer;
use crate::ingest::values::{date_to_day, format_day, Day, MONEY_SCALE};
use crate::models::det::Det;
use crate::models::gamma_gamma::{self, GammaGammaFit};
use crate::models::repeat::{self, ModelKind, RepeatFit, RepeatModel};
use crate::models::{sum, CustomerSummary, ModelError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The unit of time the models are fitted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days (the default).
    #[default]
    Day,
    /// Weeks of 7 days.
    Week,
}

impl TimeUnit {
    /// Days in one unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
        }
    }

    /// The unit written `day` or `week`.
    pub fn parse(name: &str) -> Option<TimeUnit> {
        match name.trim().to_ascii_lowercase().as_str() {
            "day" | "days" => Some(TimeUnit::Day),
            "week" | "weeks" => Some(TimeUnit::Week),
            _ => None,
        }
    }
}

/// Calibration frequencies shown by the holdout check: 0 … 7, the last meaning 7 or more.
const HOLDOUT_FREQUENCIES: u32 = 8;
/// Shortest default holdout period.
const MIN_HOLDOUT_DAYS: i64 = 28;
/// Most points of the holdout tracking curve.
const MAX_TRACKING_POINTS: i64 = 52;
/// Above this spend/frequency correlation the Gamma-Gamma independence assumption is doubtful.
const CORRELATION_WARNING: f64 = 0.3;
/// Days per step when discounting CLV.
const DISCOUNT_STEP_DAYS: f64 = 30.0;

/// The `models` section of the Report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Models {
    /// The time unit of `alpha` and of the fitted times.
    pub time_unit: TimeUnit,
    /// The BG/NBD fit; `None` when the data cannot identify it (see `notes`).
    pub bgnbd: Option<BgNbdSection>,
    /// The Gamma-Gamma fit; `None` when the data cannot identify it (see `notes`).
    pub gamma_gamma: Option<GammaGammaSection>,
    /// Sums over customers; `None` without a BG/NBD fit.
    pub totals: Option<ModelTotals>,
    /// Sums over each RFM segment (empty without a BG/NBD fit).
    pub by_segment: Vec<SegmentValue>,
    /// Customers by P(alive) in ten bins of 0.1 (the last includes 1); empty without a BG/NBD fit.
    pub p_alive_histogram: Vec<u64>,
    /// The holdout check; `None` when the history is too short to hold part of it out.
    pub holdout: Option<Holdout>,
    /// Why a model was not fitted, or what to be careful about.
    pub notes: Vec<ModelNote>,
    /// The horizon of the predictions, in days (as used).
    pub horizon_days: u32,
    /// The gross margin applied to CLV (as used).
    pub margin: f64,
    /// The annual discount rate of CLV (as used; 0: undiscounted).
    pub annual_discount_rate: f64,
    /// The repeat-purchase models fitted, in the order bgnbd, mbgnbd, pareto_nbd.
    pub candidates: Vec<Candidate>,
    /// The model the totals, segments and customer figures use; `None` when none could be fitted.
    pub chosen: Option<ModelKind>,
    /// Why it was chosen; `None` with no chosen model.
    pub chosen_by: Option<ChosenBy>,
}

/// Why a model is the chosen one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// The user picked it (`--model`).
    User,
    /// The lowest holdout error among the fitted candidates.
    Holdout,
    /// No holdout error to compare: the lowest BIC.
    Bic,
}

/// One candidate repeat-purchase model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Candidate {
    /// Which model.
    pub model: ModelKind,
    /// Its parameters; `None` when it could not be fitted (see `note`).
    pub params: Option<Params>,
    /// Their standard errors (each `None` where the Hessian is not positive definite).
    pub se: Option<ParamErrors>,
    /// Log-likelihood at the estimates.
    pub log_likelihood: Option<f64>,
    /// BIC = 4 ln(customers) − 2 log_likelihood (lower is better).
    pub bic: Option<f64>,
    /// Predicted against actual purchases after the split (refit on the calibration period).
    pub holdout: Option<CandidateHoldout>,
    /// How the fit's search ended.
    pub convergence: Option<ModelConvergence>,
    /// Why it was not fitted; `None` when it was.
    pub note: Option<ModelNote>,
}

/// A candidate's parameters: (r, alpha, a, b) for BG/NBD and MBG/NBD, (r, alpha, s, beta) for
/// Pareto/NBD.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(untagged)]
pub enum Params {
    /// BG/NBD and MBG/NBD.
    Beta {
        /// Shape of the purchase-rate distribution.
        r: f64,
        /// Rate of the purchase-rate distribution, in the time unit.
        alpha: f64,
        /// Dropout-probability Beta a.
        a: f64,
        /// Dropout-probability Beta b.
        b: f64,
    },
    /// Pareto/NBD.
    Pareto {
        /// Shape of the purchase-rate distribution.
        r: f64,
        /// Rate of the purchase-rate distribution, in the time unit.
        alpha: f64,
        /// Shape of the dropout-rate distribution.
        s: f64,
        /// Rate of the dropout-rate distribution, in the time unit.
        beta: f64,
    },
}

/// Standard errors of a candidate's parameters, named as its `params`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(untagged)]
pub enum ParamErrors {
    /// BG/NBD and MBG/NBD.
    Beta {
        /// Of r.
        r: Option<f64>,
        /// Of alpha.
        alpha: Option<f64>,
        /// Of a.
        a: Option<f64>,
        /// Of b.
        b: Option<f64>,
    },
    /// Pareto/NBD.
    Pareto {
        /// Of r.
        r: Option<f64>,
        /// Of alpha.
        alpha: Option<f64>,
        /// Of s.
        s: Option<f64>,
        /// Of beta.
        beta: Option<f64>,
    },
}

/// A candidate's holdout check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct CandidateHoldout {
    /// Purchase occasions the calibration fit expected after the split.
    pub predicted: f64,
    /// Purchase occasions made after the split by the calibration customers.
    pub actual: f64,
    /// |predicted − actual| / actual; `None` when nobody bought after the split.
    pub error: Option<f64>,
}

/// How a fit's search ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModelConvergence {
    /// Likelihood evaluations of the search.
    pub iterations: u64,
    /// Largest gradient component of ln L in the log-parameters at the estimate (0 at the maximum).
    pub gradient_norm: Option<f64>,
}

/// A 90 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Interval {
    /// The 5th percentile.
    pub low: f64,
    /// The 95th percentile.
    pub high: f64,
}

/// 90 % intervals of the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct TotalIntervals {
    /// Of `expected_purchases`.
    pub expected_purchases: Interval,
    /// Of `clv` (`None` without CLV).
    pub clv: Option<Interval>,
    /// Of `mean_p_alive`.
    pub mean_p_alive: Interval,
    /// Of `mean_p_no_purchase`.
    pub mean_p_no_purchase: Interval,
    /// Parameter draws the intervals come from.
    pub draws: u32,
}

/// BG/NBD parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct BgNbdSection {
    /// Customers fitted.
    pub customers: u64,
    /// Those with at least one repeat purchase.
    pub repeat_customers: u64,
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the time unit.
    pub alpha: f64,
    /// Dropout-probability Beta a.
    pub a: f64,
    /// Dropout-probability Beta b.
    pub b: f64,
    /// Log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Standard errors (`None` where the Hessian is not positive definite).
    pub se: BgNbdErrors,
}

/// Standard errors of the BG/NBD parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct BgNbdErrors {
    /// Of r.
    pub r: Option<f64>,
    /// Of alpha.
    pub alpha: Option<f64>,
    /// Of a.
    pub a: Option<f64>,
    /// Of b.
    pub b: Option<f64>,
}

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct GammaGammaSection {
    /// Customers fitted (x > 0 and value > 0).
    pub customers: u64,
    /// Shape of a transaction's value.
    pub p: f64,
    /// Shape of the value-scale distribution.
    pub q: f64,
    /// Scale of the value-scale distribution.
    pub gamma: f64,
    /// Log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Standard errors.
    pub se: GammaGammaErrors,
    /// Pearson correlation of x and value over the fitted customers.
    pub spend_frequency_correlation: f64,
    /// p·γ / (q − 1): the expected transaction value of a new customer.
    pub population_mean_value: f64,
}

/// Standard errors of the Gamma-Gamma parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct GammaGammaErrors {
    /// Of p.
    pub p: Option<f64>,
    /// Of q.
    pub q: Option<f64>,
    /// Of gamma.
    pub gamma: Option<f64>,
}

/// Predictions summed over customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModelTotals {
    /// The horizon of the predictions.
    pub horizon_days: u32,
    /// Expected purchase occasions in the horizon.
    pub expected_purchases: f64,
    /// Predicted CLV; `None` without a Gamma-Gamma fit.
    pub clv: Option<f64>,
    /// Mean P(alive).
    pub mean_p_alive: f64,
    /// Mean probability of no purchase in the horizon.
    pub mean_p_no_purchase: f64,
    /// 90 % intervals; `None` when the chosen model's parameters have no usable covariance.
    pub intervals: Option<TotalIntervals>,
}

/// Predictions summed over one RFM segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SegmentValue {
    /// The segment.
    pub key: Segment,
    /// Its customers.
    pub customers: u64,
    /// Expected purchase occasions in the horizon.
    pub expected_purchases: f64,
    /// Predicted CLV; `None` without a Gamma-Gamma fit.
    pub clv: Option<f64>,
    /// Mean P(alive) (`None` for an empty segment).
    pub mean_p_alive: Option<f64>,
}

/// Predicted against actual purchases after a split date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Holdout {
    /// The last day of the calibration period, `YYYY-MM-DD`.
    pub split: String,
    /// Days from the split to as_of.
    pub holdout_days: u32,
    /// Customers whose first purchase is on or before the split.
    pub calibration_customers: u64,
    /// Their purchase occasions after the split.
    pub actual_purchases: f64,
    /// What the chosen model fitted on the calibration period expected.
    pub predicted_purchases: f64,
    /// Why the calibration fit was refused; `None` when it was made.
    pub note: Option<ModelNote>,
    /// By calibration frequency x = 0 … 7 (7 = 7 or more): customers, mean actual, mean predicted.
    pub by_frequency: Vec<FrequencyCheck>,
    /// Cumulative actual and expected purchases after the split, by week.
    pub tracking: Vec<TrackingPoint>,
}

/// Holdout purchases of the customers with one calibration frequency.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct FrequencyCheck {
    /// Repeat purchases in the calibration period (7 = 7 or more).
    pub x: u32,
    /// Customers.
    pub customers: u64,
    /// Mean purchase occasions after the split.
    pub actual: Option<f64>,
    /// Mean expected purchases after the split.
    pub predicted: Option<f64>,
}

/// One point of the holdout tracking curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct TrackingPoint {
    /// Days after the split.
    pub day: u32,
    /// Purchase occasions from the day after the split to this day.
    pub actual: f64,
    /// Expected purchases over the same days.
    pub expected: f64,
}

/// Parameter draws behind the intervals.
pub const DRAWS: usize = 200;
/// Seed of the draws (fixed: the same file gives the same intervals).
const DRAW_SEED: u64 = 0x4c54_565f_4c45_4e53;

/// One customer's predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CustomerValue {
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub p_no_purchase: f64,
    pub expected_value: Option<f64>,
    pub clv: Option<f64>,
    /// 90 % intervals; `None` without draws.
    pub intervals: Option<CustomerIntervals>,
}

/// One customer's 90 % intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CustomerIntervals {
    pub p_alive: Interval,
    pub expected_purchases: Interval,
    pub p_no_purchase: Interval,
    pub clv: Option<Interval>,
}

/// One candidate's fit and holdout.
struct CandidateFit {
    kind: ModelKind,
    fit: Result<RepeatFit, ModelError>,
    /// The holdout check with the calibration fit it was made with.
    holdout: Option<Result<(CandidateHoldout, RepeatModel), ModelError>>,
}

/// The fits and per-customer predictions of one analysis (computed once, shared by the Report and the
/// customer lists).
pub(crate) struct Fitted {
    candidates: Vec<CandidateFit>,
    chosen: Option<(ModelKind, ChosenBy)>,
    /// The user's model, when it could not be fitted.
    picked_failed: Option<ModelKind>,
    gamma_gamma: Result<GammaGammaFit, ModelError>,
    /// In customer-table order; empty without a chosen model.
    pub values: Vec<CustomerValue>,
    total_intervals: Option<TotalIntervals>,
    holdout: Option<Holdout>,
}

/// The summary of a customer up to `end` (as_of or a split), in `unit` days; `None` when the customer
/// had not bought by then.
fn summary(ctx: &Context<'_>, c: &Customer, end: Day, unit: f64) -> Option<CustomerSummary> {
    let occasions = ctx.customers.occasions(c);
    let first = occasions.first().filter(|o| o.day <= end)?;
    let mut last = first;
    let mut repeats = 0u32;
    let mut repeat_revenue = 0i128;
    for o in occasions.iter().skip(1).take_while(|o| o.day <= end) {
        last = o;
        repeats += 1;
        repeat_revenue += o.revenue;
    }
    Some(CustomerSummary {
        x: f64::from(repeats),
        t_x: f64::from(last.day - first.day) / unit,
        t: f64::from(end - first.day) / unit,
        monetary: if repeats == 0 {
            0.0
        } else {
            repeat_revenue as f64 / MONEY_SCALE as f64 / f64::from(repeats)
        },
    })
}

/// How far the models' fitting has come: `done` of `total` steps (each candidate's fit and its holdout
/// refit, the spend model, and the predictions with their intervals). Reported after each step, and
/// once with `done` 0 before the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitProgress {
    /// Steps finished.
    pub done: u32,
    /// Steps in all.
    pub total: u32,
}

/// Fits every candidate and the spend model on the whole history, chooses a model and predicts every
/// customer, telling `progress` after each step.
pub(crate) fn fit(ctx: &Context<'_>, progress: &mut dyn FnMut(FitProgress)) -> Fitted {
    let options = ctx.options;
    let unit = options.time_unit.days();
    let summaries: Vec<CustomerSummary> = ctx
        .customers
        .customers()
        .iter()
        .filter_map(|c| summary(ctx, c, ctx.as_of, unit))
        .collect();
    let calibration = holdout_data(ctx);
    let per_candidate = if calibration.is_some() { 2 } else { 1 };
    let mut step = FitProgress {
        done: 0,
        total: per_candidate * ModelKind::ALL.len() as u32 + 2,
    };
    progress(step);
    let mut advance = |progress: &mut dyn FnMut(FitProgress)| {
        step.done += 1;
        progress(step);
    };
    let candidates: Vec<CandidateFit> = ModelKind::ALL
        .into_iter()
        .map(|kind| {
            let fit = repeat::fit(kind, &summaries);
            advance(progress);
            let holdout = calibration.as_ref().map(|data| {
                let check = data.check(kind, fit.as_ref().ok());
                advance(progress);
                check
            });
            CandidateFit { kind, fit, holdout }
        })
        .collect();
    let fitted_ones = || candidates.iter().filter(|c| c.fit.is_ok());
    let picked = options.model;
    let picked_ok = picked.filter(|&k| fitted_ones().any(|c| c.kind == k));
    let by_holdout = fitted_ones()
        .filter_map(|c| Some((c.kind, c.holdout.as_ref()?.as_ref().ok()?.0.error?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k);
    let by_bic = fitted_ones()
        .filter_map(|c| Some((c.kind, c.fit.as_ref().ok()?.bic())))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k);
    let chosen = match (picked_ok, by_holdout, by_bic) {
        (Some(k), ..) => Some((k, ChosenBy::User)),
        (None, Some(k), _) => Some((k, ChosenBy::Holdout)),
        (None, None, Some(k)) => Some((k, ChosenBy::Bic)),
        _ => None,
    };
    let gamma_gamma = gamma_gamma::fit(&summaries);
    advance(progress);
    let chosen_fit = chosen.and_then(|(kind, _)| {
        candidates
            .iter()
            .find(|c| c.kind == kind)
            .and_then(|c| c.fit.as_ref().ok())
    });
    let (values, total_intervals) = match chosen_fit {
        Some(model) => predict(ctx, model, gamma_gamma.as_ref().ok(), &summaries),
        None => (Vec::new(), None),
    };
    advance(progress);
    // The detailed check is the chosen model's (BG/NBD's when none is chosen).
    let detail_kind = chosen.map_or(ModelKind::BgNbd, |(k, _)| k);
    let holdout = calibration.as_ref().map(|data| {
        let calibration_fit = candidates
            .iter()
            .find(|c| c.kind == detail_kind)
            .and_then(|c| c.holdout.clone())
            .unwrap_or(Err(ModelError::NoCustomers));
        data.detail(calibration_fit.map(|(_, model)| model))
    });
    Fitted {
        candidates,
        chosen,
        picked_failed: picked.filter(|_| picked_ok.is_none()),
        gamma_gamma,
        values,
        total_intervals,
        holdout,
    }
}

/// The 90 % interval of draws `values` (reordered).
fn interval(values: &mut [f64]) -> Interval {
    let (low, high) = repeat::interval_90(values);
    Interval { low, high }
}

/// Every customer's predictions with the chosen model, and the intervals of the totals.
fn predict(
    ctx: &Context<'_>,
    fit: &RepeatFit,
    spend: Option<&GammaGammaFit>,
    summaries: &[CustomerSummary],
) -> (Vec<CustomerValue>, Option<TotalIntervals>) {
    let options = ctx.options;
    let unit = options.time_unit.days();
    let horizon_days = f64::from(options.horizon_days);
    let model = &fit.model;
    // P(alive) does not depend on the horizon: once for the horizon and every discounting step.
    let p_alive = model.p_alive_all(summaries);
    let at_horizon = model.predict_with(&p_alive, horizon_days / unit, summaries);
    // Discounting: expected purchases at the end of each step, each step's increment discounted.
    let discounted_purchases: Option<Vec<f64>> = (options.annual_discount_rate > 0.0).then(|| {
        let steps = (horizon_days / DISCOUNT_STEP_DAYS).ceil().max(1.0) as usize;
        let mut previous = vec![0.0; summaries.len()];
        let mut total = vec![0.0; summaries.len()];
        for step in 1..=steps {
            let end = (step as f64 * DISCOUNT_STEP_DAYS).min(horizon_days);
            let factor = (1.0 + options.annual_discount_rate).powf_d(-end / 365.0);
            let at = model.expected_purchases_with(&p_alive, end / unit, summaries);
            for ((prev, sum), now) in previous.iter_mut().zip(total.iter_mut()).zip(at) {
                *sum += (now - *prev).max(0.0) * factor;
                *prev = now;
            }
        }
        total
    });
    let mut values: Vec<CustomerValue> = summaries
        .iter()
        .zip(&at_horizon)
        .enumerate()
        .map(|(i, (s, p))| {
            let expected_value = spend.map(|g| g.conditional_expected_value(s.x, s.monetary));
            let purchases_for_clv = discounted_purchases
                .as_ref()
                .and_then(|d| d.get(i).copied())
                .unwrap_or(p.expected_purchases);
            CustomerValue {
                p_alive: p.p_alive,
                expected_purchases: p.expected_purchases,
                p_no_purchase: p.p_no_purchase,
                expected_value,
                clv: expected_value.map(|v| (purchases_for_clv * v * options.margin).max(0.0)),
                intervals: None,
            }
        })
        .collect();
    let totals = intervals(fit, horizon_days / unit, summaries, &mut values);
    (values, totals)
}

/// Fills every customer's intervals and returns those of the totals: the predictions of each distinct
/// (x, t_x, T) under every parameter draw, the CLV of a draw being the customer's CLV scaled by the
/// draw's expected purchases over the estimate's.
fn intervals(
    fit: &RepeatFit,
    horizon: f64,
    summaries: &[CustomerSummary],
    values: &mut [CustomerValue],
) -> Option<TotalIntervals> {
    let draws = fit.draws(DRAWS, DRAW_SEED);
    if draws.is_empty() || summaries.is_empty() {
        return None;
    }
    let has_clv = values.iter().any(|v| v.clv.is_some());
    // Customers grouped by their sanitised summary (the predictions depend on nothing else), the groups
    // sorted by x, then T, then t_x: the alive expectations of one (x, T) serve its run of groups, and
    // the Pareto/NBD tails of one x its runs.
    let key_of = |s: &CustomerSummary| -> [u64; 3] {
        let (x, t_x, t) = crate::models::bgnbd::sanitize(s.x, s.t_x, s.t);
        [x, t, t_x].map(|v| (v + 0.0).to_bits())
    };
    let keys: Vec<[u64; 3]> = summaries.iter().map(key_of).collect();
    let mut order: Vec<usize> = (0..summaries.len()).collect();
    order.sort_unstable_by_key(|&i| keys[i]);
    let groups: Vec<&[usize]> = order.chunk_by(|&i, &j| keys[i] == keys[j]).collect();
    // The distinct x and times (t_x, T and T + horizon) the per-draw terms of P(alive) and of no
    // purchase are tabled over.
    let distinct = |mut v: Vec<u64>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    let xs = distinct(keys.iter().map(|k| k[0]).collect());
    let end_of = |t_bits: u64| (f64::from_bits(t_bits) + horizon).to_bits();
    let times = distinct(
        keys.iter()
            .flat_map(|k| [k[1], k[2], end_of(k[1])])
            .collect(),
    );
    let x_values: Vec<f64> = xs.iter().map(|&b| f64::from_bits(b)).collect();
    let time_values: Vec<f64> = times.iter().map(|&b| f64::from_bits(b)).collect();
    let at = |values: &[u64], bits: u64| values.binary_search(&bits).unwrap_or(0);
    let wanted = repeat::wanted_tails(
        xs.len(),
        groups
            .iter()
            .filter_map(|members| keys.get(*members.first()?))
            .flat_map(|key| {
                let xi = at(&xs, key[0]);
                [key[1], key[2], end_of(key[1])].map(|bits| [xi, at(&times, bits)])
            }),
    );
    let mut terms: Vec<_> = draws
        .iter()
        .map(|m| m.alive_terms(&x_values, &time_values, &wanted))
        .collect();
    let n = summaries.len() as f64;
    let d = draws.len();
    let mut total_purchases = vec![0.0; d];
    let mut total_clv = vec![0.0; d];
    let mut total_alive = vec![0.0; d];
    let mut total_none = vec![0.0; d];
    let (mut alive, mut purchases, mut none) = (vec![0.0; d], vec![0.0; d], vec![0.0; d]);
    let mut if_alive: Vec<(f64, f64)> = vec![(0.0, 1.0); d];
    let mut if_alive_of: Option<[u64; 2]> = None;
    for members in groups {
        let Some(&key) = members.first().and_then(|&i| keys.get(i)) else {
            continue;
        };
        let [x, t, t_x] = key.map(f64::from_bits);
        let (xi, ti, txi) = (at(&xs, key[0]), at(&times, key[1]), at(&times, key[2]));
        if if_alive_of != Some([key[0], key[1]]) {
            let end = (at(&times, end_of(key[1])), t + horizon);
            for ((slot, model), terms) in if_alive.iter_mut().zip(&draws).zip(terms.iter_mut()) {
                *slot = (
                    model.expected_if_alive(horizon, x, t),
                    model.no_purchase_from(terms, horizon, (xi, x), (ti, t), end),
                );
            }
            if_alive_of = Some([key[0], key[1]]);
        }
        for (k, (model, terms)) in draws.iter().zip(terms.iter_mut()).enumerate() {
            let p_alive = model.p_alive_from(terms, (xi, x), (txi, t_x), (ti, t));
            let (expected, no_purchase) = if_alive[k];
            alive[k] = p_alive;
            purchases[k] = p_alive * expected;
            none[k] = (1.0 - p_alive + p_alive * no_purchase).clamp(0.0, 1.0);
        }
        let count = members.len() as f64;
        // The CLV per expected purchase of the members together.
        let clv_weight: f64 = sum(members.iter().filter_map(|&i| {
            let v = values.get(i)?;
            Some(v.clv? / v.expected_purchases.max(f64::MIN_POSITIVE))
        }));
        for k in 0..d {
            total_purchases[k] += count * purchases[k];
            total_clv[k] += clv_weight * purchases[k];
            total_alive[k] += count * alive[k];
            total_none[k] += count * none[k];
        }
        // The draws of this group are not needed once their totals are added: selected in place.
        let (p_alive, expected, p_none) = (
            interval(&mut alive),
            interval(&mut purchases),
            interval(&mut none),
        );
        for &i in members {
            if let Some(v) = values.get_mut(i) {
                let ratio = v
                    .clv
                    .map(|c| c / v.expected_purchases.max(f64::MIN_POSITIVE));
                v.intervals = Some(CustomerIntervals {
                    p_alive,
                    expected_purchases: expected,
                    p_no_purchase: p_none,
                    clv: ratio.map(|r| Interval {
                        low: expected.low * r,
                        high: expected.high * r,
                    }),
                });
            }
        }
    }
    let mean = |totals: &mut Vec<f64>| {
        for t in totals.iter_mut() {
            *t /= n;
        }
        interval(totals)
    };
    Some(TotalIntervals {
        expected_purchases: interval(&mut total_purchases),
        clv: has_clv.then(|| interval(&mut total_clv)),
        mean_p_alive: mean(&mut total_alive),
        mean_p_no_purchase: mean(&mut total_none),
        draws: d as u32,
    })
}

fn params(model: &RepeatModel) -> Params {
    let [r, alpha, c, d] = model.theta;
    match model.kind {
        ModelKind::ParetoNbd => Params::Pareto {
            r,
            alpha,
            s: c,
            beta: d,
        },
        _ => Params::Beta {
            r,
            alpha,
            a: c,
            b: d,
        },
    }
}

fn param_errors(kind: ModelKind, se: [Option<f64>; 4]) -> ParamErrors {
    let [r, alpha, c, d] = se;
    match kind {
        ModelKind::ParetoNbd => ParamErrors::Pareto {
            r,
            alpha,
            s: c,
            beta: d,
        },
        _ => ParamErrors::Beta {
            r,
            alpha,
            a: c,
            b: d,
        },
    }
}

/// The `models` section when the options ask for it ([`Options::models`](crate::Options::models)),
/// `None` without fitting anything when they do not.
pub(crate) fn compute_if_requested(ctx: &Context<'_>) -> Option<Models> {
    ctx.options.models.then(|| compute(ctx))
}

/// The `models` section.
pub(crate) fn compute(ctx: &Context<'_>) -> Models {
    let fitted = ctx.fitted();
    let mut notes = Vec::new();
    let candidates: Vec<Candidate> = fitted
        .candidates
        .iter()
        .map(|c| {
            let holdout = match &c.holdout {
                Some(Ok((h, _))) => Some(h.clone()),
                _ => None,
            };
            match &c.fit {
                Ok(f) => Candidate {
                    model: c.kind,
                    params: Some(params(&f.model)),
                    se: Some(param_errors(c.kind, f.standard_errors)),
                    log_likelihood: Some(f.log_likelihood),
                    bic: Some(f.bic()),
                    holdout,
                    convergence: Some(ModelConvergence {
                        iterations: f.convergence.iterations,
                        gradient_norm: f.convergence.gradient_norm,
                    }),
                    note: None,
                },
                Err(e) => Candidate {
                    model: c.kind,
                    params: None,
                    se: None,
                    log_likelihood: None,
                    bic: None,
                    holdout,
                    convergence: None,
                    note: Some(ModelNote::from_error(e, "")),
                },
            }
        })
        .collect();
    let bgnbd = fitted
        .candidates
        .iter()
        .find(|c| c.kind == ModelKind::BgNbd)
        .and_then(|c| c.fit.as_ref().ok())
        .map(|m| {
            let [r, alpha, a, b] = m.model.theta;
            let [se_r, se_alpha, se_a, se_b] = m.standard_errors;
            BgNbdSection {
                customers: m.customers as u64,
                repeat_customers: m.repeat_customers as u64,
                r,
                alpha,
                a,
                b,
                log_likelihood: m.log_likelihood,
                se: BgNbdErrors {
                    r: se_r,
                    alpha: se_alpha,
                    a: se_a,
                    b: se_b,
                },
            }
        });
    if let Some(kind) = fitted.picked_failed {
        let message = match fitted.chosen {
            Some((chosen, _)) => format!(
                "The {} model you picked could not be fitted on these data; the predictions use {} \
                 instead.",
                kind.label(),
                chosen.label()
            ),
            None => format!(
                "The {} model you picked could not be fitted on these data.",
                kind.label()
            ),
        };
        let mut args = vec![("model", kind.label().to_string())];
        if let Some((chosen, _)) = fitted.chosen {
            args.push(("chosen", chosen.label().to_string()));
        }
        notes.push(ModelNote::new(
            ModelNoteCode::PickedModelNotFitted,
            args,
            message,
        ));
    }
    if fitted.chosen.is_none() {
        notes.push(ModelNote::new(
            ModelNoteCode::PurchasesNotPredicted,
            [],
            "Purchases are not predicted: none of the repeat-purchase models could be fitted (see \
             each candidate's note)."
                .to_string(),
        ));
    } else if fitted.total_intervals.is_none() {
        if let Some((kind, _)) = fitted.chosen {
            notes.push(ModelNote::new(
                ModelNoteCode::NoIntervals,
                [("model", kind.label().to_string())],
                format!(
                    "The predictions have no intervals: the {} fit's parameters have no usable \
                     covariance (the likelihood is flat in some direction).",
                    kind.label()
                ),
            ));
        }
    }
    let gamma_gamma = match &fitted.gamma_gamma {
        Ok(g) => {
            if g.spend_frequency_correlation.abs() > CORRELATION_WARNING {
                let r = format!("{:.2}", g.spend_frequency_correlation);
                notes.push(ModelNote::new(
                    ModelNoteCode::SpendFrequencyCorrelated,
                    [("r", r.clone())],
                    format!(
                        "Spend and purchase frequency are correlated (r = {r}); the spend model \
                         assumes they are independent, so read the expected values and CLV with \
                         caution."
                    ),
                ));
            }
            Some(GammaGammaSection {
                customers: g.customers as u64,
                p: g.p,
                q: g.q,
                gamma: g.gamma,
                log_likelihood: g.log_likelihood,
                se: GammaGammaErrors {
                    p: g.se_p,
                    q: g.se_q,
                    gamma: g.se_gamma,
                },
                spend_frequency_correlation: g.spend_frequency_correlation,
                population_mean_value: g.population_mean_value,
            })
        }
        Err(e) => {
            let reason = ModelNote::from_error(e, "");
            let mut args = reason.args.clone();
            args.insert("reason_code", reason.code.as_str().to_string());
            notes.push(ModelNote {
                code: ModelNoteCode::SpendNotPredicted,
                args,
                message: format!("Spend is not predicted, so there is no CLV. {e}"),
            });
            None
        }
    };
    let values = &fitted.values;
    let has_clv = gamma_gamma.is_some();
    let totals = (!values.is_empty()).then(|| ModelTotals {
        horizon_days: ctx.options.horizon_days,
        expected_purchases: sum(values.iter().map(|v| v.expected_purchases)),
        clv: has_clv.then(|| sum(values.iter().filter_map(|v| v.clv))),
        mean_p_alive: sum(values.iter().map(|v| v.p_alive)) / values.len() as f64,
        mean_p_no_purchase: sum(values.iter().map(|v| v.p_no_purchase)) / values.len() as f64,
        intervals: fitted.total_intervals.clone(),
    });
    let by_segment = if values.is_empty() {
        Vec::new()
    } else {
        let scores = rfm::score(ctx).scores;
        Segment::ALL
            .iter()
            .map(|&key| {
                let members: Vec<&CustomerValue> = values
                    .iter()
                    .zip(&scores)
                    .filter(|(_, s)| s.segment() == key)
                    .map(|(v, _)| v)
                    .collect();
                let n = members.len();
                SegmentValue {
                    key,
                    customers: n as u64,
                    expected_purchases: sum(members.iter().map(|v| v.expected_purchases)),
                    clv: has_clv.then(|| sum(members.iter().filter_map(|v| v.clv))),
                    mean_p_alive: (n > 0)
                        .then(|| sum(members.iter().map(|v| v.p_alive)) / n as f64),
                }
            })
            .collect()
    };
    if fitted.holdout.is_none() {
        if let Some(split) = ctx.options.holdout_split {
            notes.push(ModelNote::new(
                ModelNoteCode::SplitNotBeforeAsOf,
                [("split", split.to_string())],
                format!(
                    "There is no holdout check: the split date {split} is not before the analysis \
                     date."
                ),
            ));
        }
    }
    let mut p_alive_histogram = vec![0u64; if values.is_empty() { 0 } else { 10 }];
    for v in values {
        let bin = ((v.p_alive * 10.0).floor().max(0.0) as usize).min(9);
        if let Some(count) = p_alive_histogram.get_mut(bin) {
            *count += 1;
        }
    }
    Models {
        time_unit: ctx.options.time_unit,
        bgnbd,
        gamma_gamma,
        totals,
        by_segment,
        p_alive_histogram,
        holdout: fitted.holdout.clone(),
        notes,
        horizon_days: ctx.options.horizon_days,
        margin: ctx.options.margin,
        annual_discount_rate: ctx.options.annual_discount_rate,
        candidates,
        chosen: fitted.chosen.map(|(k, _)| k),
        chosen_by: fitted.chosen.map(|(_, by)| by),
    }
}

/// The split date: the option, else the day that leaves the last third of the history.
fn split_day(ctx: &Context<'_>) -> Option<Day> {
    if let Some(split) = ctx.options.holdout_split {
        let split = date_to_day(split);
        return (split < ctx.as_of).then_some(split);
    }
    let first = ctx.orders.iter().map(|o| o.day).min()?;
    let holdout = (i64::from(ctx.as_of) - i64::from(first)) / 3;
    (holdout >= MIN_HOLDOUT_DAYS).then(|| ctx.as_of - holdout as Day)
}

/// The calibration customers at the split and their occasions after it.
struct HoldoutData {
    split: Day,
    holdout_days: Day,
    unit: f64,
    summaries: Vec<CustomerSummary>,
    /// Days after the split of each calibration customer's later occasions.
    after: Vec<Vec<Day>>,
}

fn holdout_data(ctx: &Context<'_>) -> Option<HoldoutData> {
    let split = split_day(ctx)?;
    let unit = ctx.options.time_unit.days();
    let table = ctx.customers;
    let mut summaries = Vec::new();
    let mut after: Vec<Vec<Day>> = Vec::new();
    for c in table.customers() {
        if let Some(s) = summary(ctx, c, split, unit) {
            summaries.push(s);
            after.push(
                table
                    .occasions(c)
                    .iter()
                    .filter(|o| o.day > split)
                    .map(|o| o.day - split)
                    .collect(),
            );
        }
    }
    Some(HoldoutData {
        split,
        holdout_days: ctx.as_of - split,
        unit,
        summaries,
        after,
    })
}

impl HoldoutData {
    fn actual(&self) -> f64 {
        self.after.iter().map(Vec::len).sum::<usize>() as f64
    }

    fn horizon(&self) -> f64 {
        f64::from(self.holdout_days) / self.unit
    }

    /// The calibration refit of `kind` (from the full history's fit `full` when there is one) and its
    /// totals after the split.
    fn check(
        &self,
        kind: ModelKind,
        full: Option<&RepeatFit>,
    ) -> Result<(CandidateHoldout, RepeatModel), ModelError> {
        let fit = match full {
            Some(full) => repeat::refit(kind, &self.summaries, &full.model)?,
            None => repeat::fit(kind, &self.summaries)?,
        };
        let predicted = sum(fit
            .model
            .expected_totals(&[self.horizon()], &self.summaries));
        let actual = self.actual();
        let check = CandidateHoldout {
            predicted,
            actual,
            error: (actual > 0.0).then(|| (predicted - actual).abs() / actual),
        };
        Ok((check, fit.model))
    }

    /// The detailed check of the calibration fit `calibration`, or the note of its refusal.
    fn detail(&self, calibration: Result<RepeatModel, ModelError>) -> Holdout {
        let holdout_days = self.holdout_days;
        let mut check = Holdout {
            split: format_day(self.split),
            holdout_days: holdout_days.max(0) as u32,
            calibration_customers: self.summaries.len() as u64,
            actual_purchases: self.actual(),
            predicted_purchases: 0.0,
            note: None,
            by_frequency: Vec::new(),
            tracking: Vec::new(),
        };
        let model = match calibration {
            Ok(model) => model,
            Err(e) => {
                let mut note = ModelNote::from_error(&e, "The holdout check cannot be made. ");
                note.args
                    .insert("reason_code", note.code.as_str().to_string());
                note.code = ModelNoteCode::HoldoutNotPossible;
                check.note = Some(note);
                return check;
            }
        };
        let summaries = &self.summaries;
        let predicted = model.predict(self.horizon(), summaries);
        check.predicted_purchases = sum(predicted.iter().map(|p| p.expected_purchases));
        let mut groups: HashMap<u32, (u64, f64, f64)> = HashMap::new();
        for ((s, p), days) in summaries.iter().zip(&predicted).zip(&self.after) {
            let x = (s.x as u32).min(HOLDOUT_FREQUENCIES - 1);
            let group = groups.entry(x).or_default();
            group.0 += 1;
            group.1 += days.len() as f64;
            group.2 += p.expected_purchases;
        }
        check.by_frequency = (0..HOLDOUT_FREQUENCIES)
            .map(|x| {
                let (customers, actual, predicted) = groups.get(&x).copied().unwrap_or_default();
                let mean = |total: f64| (customers > 0).then(|| total / customers as f64);
                FrequencyCheck {
                    x,
                    customers,
                    actual: mean(actual),
                    predicted: mean(predicted),
                }
            })
            .collect();
        // Weekly points, thinned to at most MAX_TRACKING_POINTS.
        let weeks = (i64::from(holdout_days) + 6) / 7;
        let stride = ((weeks + MAX_TRACKING_POINTS - 1) / MAX_TRACKING_POINTS).max(1);
        let days: Vec<Day> = (1..=weeks)
            .filter(|w| w % stride == 0 || *w == weeks)
            .map(|w| (w * 7).min(i64::from(holdout_days)) as Day)
            .collect();
        let horizons: Vec<f64> = days.iter().map(|&day| f64::from(day) / self.unit).collect();
        let expected = model.expected_totals(&horizons, summaries);
        let mut all_days: Vec<Day> = self.after.iter().flatten().copied().collect();
        all_days.sort_unstable();
        check.tracking = days
            .iter()
            .zip(expected)
            .map(|(&day, expected)| TrackingPoint {
                day: day as u32,
                actual: all_days.partition_point(|&d| d <= day) as f64,
                expected,
            })
            .collect();
        check
    }
}
