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
//! The holdout check refits BG/NBD on the orders up to a split date (default: the day that leaves the
//! last third of the history from the first order to as_of, when that is at least 28 days) and compares,
//! for the customers who had bought by then, the purchase occasions they made after the split with what
//! the model expected: by calibration frequency x (0 … 7, 7 meaning 7 or more) and as a cumulative
//! curve by week.

use super::rfm::{self, Segment};
use super::Context;
use crate::customers::Customer;
use crate::ingest::values::{date_to_day, format_day, Day, MONEY_SCALE};
use crate::models::bgnbd::{self, BgNbdFit};
use crate::models::det::Det;
use crate::models::gamma_gamma::{self, GammaGammaFit};
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
    /// Plain sentences: why a model was not fitted, or what to be careful about.
    pub notes: Vec<String>,
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
    /// What the model fitted on the calibration period expected.
    pub predicted_purchases: f64,
    /// `None` when the calibration fit is refused (see `note`).
    pub note: Option<String>,
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

/// One customer's predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CustomerValue {
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub expected_value: Option<f64>,
    pub clv: Option<f64>,
}

/// The fits and per-customer predictions of one analysis (computed once, shared by the Report and the
/// customer lists).
pub(crate) struct Fitted {
    bgnbd: Result<BgNbdFit, ModelError>,
    gamma_gamma: Result<GammaGammaFit, ModelError>,
    /// In customer-table order; empty without a BG/NBD fit.
    pub values: Vec<CustomerValue>,
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

/// Fits both models on the whole history and predicts every customer.
pub(crate) fn fit(ctx: &Context<'_>) -> Fitted {
    let options = ctx.options;
    let unit = options.time_unit.days();
    let summaries: Vec<CustomerSummary> = ctx
        .customers
        .customers()
        .iter()
        .filter_map(|c| summary(ctx, c, ctx.as_of, unit))
        .collect();
    let bgnbd = bgnbd::fit(&summaries);
    let gamma_gamma = gamma_gamma::fit(&summaries);
    let values = match &bgnbd {
        Ok(model) => predict(ctx, model, gamma_gamma.as_ref().ok(), &summaries),
        Err(_) => Vec::new(),
    };
    Fitted {
        bgnbd,
        gamma_gamma,
        values,
        holdout: holdout(ctx),
    }
}

fn predict(
    ctx: &Context<'_>,
    model: &BgNbdFit,
    spend: Option<&GammaGammaFit>,
    summaries: &[CustomerSummary],
) -> Vec<CustomerValue> {
    let options = ctx.options;
    let unit = options.time_unit.days();
    let horizon_days = f64::from(options.horizon_days);
    let at_horizon = model.predict(horizon_days / unit, summaries);
    // Discounting: expected purchases at the end of each step, each step's increment discounted.
    let discounted_purchases: Option<Vec<f64>> = (options.annual_discount_rate > 0.0).then(|| {
        let steps = (horizon_days / DISCOUNT_STEP_DAYS).ceil().max(1.0) as usize;
        let mut previous = vec![0.0; summaries.len()];
        let mut total = vec![0.0; summaries.len()];
        for step in 1..=steps {
            let end = (step as f64 * DISCOUNT_STEP_DAYS).min(horizon_days);
            let factor = (1.0 + options.annual_discount_rate).powf_d(-end / 365.0);
            let at = model.predict(end / unit, summaries);
            for ((prev, sum), now) in previous.iter_mut().zip(total.iter_mut()).zip(&at) {
                *sum += (now.expected_purchases - *prev).max(0.0) * factor;
                *prev = now.expected_purchases;
            }
        }
        total
    });
    summaries
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
                expected_value,
                clv: expected_value.map(|v| (purchases_for_clv * v * options.margin).max(0.0)),
            }
        })
        .collect()
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
    let bgnbd = match &fitted.bgnbd {
        Ok(m) => Some(BgNbdSection {
            customers: m.customers as u64,
            repeat_customers: m.repeat_customers as u64,
            r: m.r,
            alpha: m.alpha,
            a: m.a,
            b: m.b,
            log_likelihood: m.log_likelihood,
            se: BgNbdErrors {
                r: m.se_r,
                alpha: m.se_alpha,
                a: m.se_a,
                b: m.se_b,
            },
        }),
        Err(e) => {
            notes.push(format!("Purchases are not predicted. {e}"));
            None
        }
    };
    let gamma_gamma = match &fitted.gamma_gamma {
        Ok(g) => {
            if g.spend_frequency_correlation.abs() > CORRELATION_WARNING {
                notes.push(format!(
                    "Spend and purchase frequency are correlated (r = {:.2}); the spend model assumes \
                     they are independent, so read the expected values and CLV with caution.",
                    g.spend_frequency_correlation
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
            notes.push(format!("Spend is not predicted, so there is no CLV. {e}"));
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
            notes.push(format!(
                "There is no holdout check: the split date {split} is not before the analysis date."
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

/// The holdout check.
fn holdout(ctx: &Context<'_>) -> Option<Holdout> {
    let split = split_day(ctx)?;
    let unit = ctx.options.time_unit.days();
    let holdout_days = ctx.as_of - split;
    let table = ctx.customers;
    // Calibration customers, their summaries at the split and their occasions after it.
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
    let actual_purchases: usize = after.iter().map(Vec::len).sum();
    let mut check = Holdout {
        split: format_day(split),
        holdout_days: holdout_days.max(0) as u32,
        calibration_customers: summaries.len() as u64,
        actual_purchases: actual_purchases as f64,
        predicted_purchases: 0.0,
        note: None,
        by_frequency: Vec::new(),
        tracking: Vec::new(),
    };
    let model = match bgnbd::fit(&summaries) {
        Ok(model) => model,
        Err(e) => {
            check.note = Some(format!("The holdout check cannot be made. {e}"));
            return Some(check);
        }
    };
    let predicted = model.predict(f64::from(holdout_days) / unit, &summaries);
    check.predicted_purchases = sum(predicted.iter().map(|p| p.expected_purchases));
    let mut groups: HashMap<u32, (u64, f64, f64)> = HashMap::new();
    for ((s, p), days) in summaries.iter().zip(&predicted).zip(&after) {
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
    let horizons: Vec<f64> = days.iter().map(|&day| f64::from(day) / unit).collect();
    let expected = model.expected_totals(&horizons, &summaries);
    let mut all_days: Vec<Day> = after.iter().flatten().copied().collect();
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
    Some(check)
}
