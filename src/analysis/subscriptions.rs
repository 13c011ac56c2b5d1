//! Subscriptions (定期購入): retention by delivery count (継続率), monthly churn (解約率) and the
//! shifted-beta-geometric projection of how long subscribers stay. `null` unless the file has a
//! `subscription_id` or `delivery_number` column, or a `subscription` flag column that marks at least
//! one order.
//!
//! - A **delivery** is a counted order marked as a subscription order: flagged, or with a subscription id
//!   or a delivery number. A **unit** is a subscription id (`unit: "subscription"`, when the file has an
//!   id column; a delivery without an id falls back to its customer), else a customer. A delivery with
//!   neither is left out, with the note `deliveries_without_unit`.
//! - A unit's deliveries are taken in date order (then time, then file order) and numbered 1, 2, …; a
//!   `delivery_number` value numbers its delivery instead (a delivery without one is numbered one more
//!   than the previous). The unit's **delivery count** is the highest number. A unit whose first
//!   delivery in the file is numbered above 1 began before the file: it is left out of `retention`
//!   and `sbg` (note `started_before_file`) but counts in units, deliveries, cycle_days and monthly.
//! - **cycle_days**: median and p75 of the days between consecutive deliveries of every unit, pooled
//!   (linear interpolation between closest ranks). **lapse_days**: the option, else ceil(1.5 × median)
//!   (`null`, with the note `no_cycle`, when no unit has two deliveries; only cancellations churn then).
//! - A unit has **churned** at its cancellation date when an order of it carries one (the latest such
//!   value) on or before as_of, even one before the last delivery; otherwise when its last delivery is
//!   more than lapse_days before as_of, at last delivery + lapse_days. A churn date is never before the
//!   unit's first delivery (an earlier cancellation date counts as that day). Every other unit is active.
//! - **retention** at n = 1..12: reached = units with ≥ n deliveries; continued = with ≥ n + 1;
//!   at_risk = continued + units churned with exactly n (active units with exactly n are censored);
//!   rate = continued / at_risk; survival = the product of the rates up to n (Kaplan–Meier; `null`
//!   from the first n where at_risk is 0).
//! - **monthly**, from the month of the first delivery to as_of's month: active_at_start = units whose
//!   first delivery is before the month and whose churn date is not; new = first delivery in the month;
//!   churned = churn date in the month; churn_rate = churned / active_at_start.
//! - **sbg**: [`crate::models::sbg`] fitted to the retention units' delivery counts (churned or active);
//!   `null` with `sbg_note` `too_few_churned` when fewer than [`MIN_CHURNED_UNITS`] have churned, or
//!   `sbg_not_fitted` when the fit is refused. projected_survival[n − 1] = S(n), the share reaching
//!   delivery n + 1 (n = 1..24); expected_deliveries_first_24 = Σ_{t=0..23} S(t).
//! - **mean_delivery_revenue**: revenue of the deliveries / deliveries, for what a new subscriber is
//!   worth (expected deliveries × mean delivery revenue).

use super::{quantile, ratio, Context};
use crate::ingest::subscription::NO_SUBSCRIPTION_ID;
use crate::ingest::values::{month_index, month_name, Day, MONEY_SCALE};
use crate::models::sbg;
use crate::string_enum::string_enum;
use serde::Serialize;
use std::collections::BTreeMap;

/// Deliveries the retention table runs to.
pub const RETENTION_DELIVERIES: u32 = 12;
/// Deliveries the sBG projection runs to.
pub const PROJECTED_DELIVERIES: u32 = 24;
/// Churned units the sBG fit asks for.
pub const MIN_CHURNED_UNITS: u64 = 10;

string_enum! {
    /// What a subscription unit is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SubscriptionUnit {
        /// A subscription id.
        Subscription = "subscription",
        /// A customer (the file has no subscription id column).
        Customer = "customer",
    }
}

string_enum! {
    /// The kind of a note of the `subscriptions` section, stable across versions (README "Warnings").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SubscriptionNoteCode {
        /// Units whose first delivery in the file is numbered above 1 are left out of retention and sbg.
        StartedBeforeFile = "started_before_file",
        /// Subscription deliveries with neither a subscription id nor a customer are left out.
        DeliveriesWithoutUnit = "deliveries_without_unit",
        /// No unit has two deliveries: no cycle, no lapse_days; only cancellations count as churn.
        NoCycle = "no_cycle",
        /// Too few units have churned for the sBG projection.
        TooFewChurned = "too_few_churned",
        /// The sBG fit was refused.
        SbgNotFitted = "sbg_not_fitted",
    }
}

/// Subscription retention and churn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Subscriptions {
    /// What a unit is: a subscription id, else a customer.
    pub unit: SubscriptionUnit,
    /// Units with a delivery.
    pub units: u64,
    /// Subscription deliveries (counted subscription orders with a unit).
    pub deliveries: u64,
    /// Units active at as_of.
    pub active: u64,
    /// Units churned by as_of.
    pub churned: u64,
    /// Days between consecutive deliveries of a unit.
    pub cycle_days: CycleDays,
    /// Days after the last delivery past which a unit has churned (the option, else ceil(1.5 × median
    /// cycle)); `None` when there is no cycle.
    pub lapse_days: Option<u32>,
    /// Revenue of the deliveries / deliveries.
    pub mean_delivery_revenue: Option<f64>,
    /// Kaplan–Meier retention by delivery, n = 1..12.
    pub retention: Vec<RetentionStep>,
    /// Active units, new units and churn by calendar month.
    pub monthly: Vec<SubscriptionMonth>,
    /// The shifted-beta-geometric projection; `None` when it cannot be fitted (see `sbg_note`).
    pub sbg: Option<Sbg>,
    /// Why there is no projection (`too_few_churned` or `sbg_not_fitted`); `None` with one.
    pub sbg_note: Option<SubscriptionNote>,
    /// What was left out of the other figures, with codes for the page's wording.
    pub notes: Vec<SubscriptionNote>,
}

/// Median and p75 of the days between consecutive deliveries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct CycleDays {
    /// Median.
    pub median: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
}

/// Retention at delivery n.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct RetentionStep {
    /// n.
    pub delivery: u32,
    /// Units with at least n deliveries.
    pub reached: u64,
    /// continued + units churned with exactly n deliveries.
    pub at_risk: u64,
    /// Units with at least n + 1 deliveries.
    pub continued: u64,
    /// continued / at_risk.
    pub rate: Option<f64>,
    /// Product of the rates up to n: the share of units reaching delivery n + 1.
    pub survival: Option<f64>,
}

/// One calendar month of subscription churn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SubscriptionMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Units whose first delivery is before the month and whose churn date is not.
    pub active_at_start: u64,
    /// Units whose first delivery is in the month.
    pub new: u64,
    /// Units whose churn date is in the month.
    pub churned: u64,
    /// churned / active_at_start (解約率).
    pub churn_rate: Option<f64>,
}

/// The fitted shifted-beta-geometric model and its projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Sbg {
    /// α of the Beta distribution of the churn probability.
    pub alpha: f64,
    /// β of the Beta distribution of the churn probability.
    pub beta: f64,
    /// ln L at the fit.
    pub log_likelihood: f64,
    /// Standard errors.
    pub se: SbgErrors,
    /// S(n) for n = 1..24: the share of new units reaching delivery n + 1.
    pub projected_survival: Vec<f64>,
    /// Σ S(t) for t = 0..23: the expected deliveries of a new unit within its first 24.
    pub expected_deliveries_first_24: f64,
}

/// Standard errors of the sBG parameters (`None` when the Hessian is not positive definite).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SbgErrors {
    /// Of α.
    pub alpha: Option<f64>,
    /// Of β.
    pub beta: Option<f64>,
}

/// A note of the section: its code, its arguments and the English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SubscriptionNote {
    /// The kind of note, stable across versions.
    pub code: SubscriptionNoteCode,
    /// The sentence's arguments by name (`count`, `found`, `needed`, `reason`).
    #[cfg_attr(feature = "schema", ts(type = "Record<string, string>"))]
    pub args: BTreeMap<&'static str, String>,
    /// In English.
    pub message: String,
}

impl SubscriptionNote {
    fn new(code: SubscriptionNoteCode, args: &[(&'static str, String)]) -> SubscriptionNote {
        let arg = |name: &str| {
            args.iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let message = match code {
            SubscriptionNoteCode::StartedBeforeFile => format!(
                "{} units began before the file (their first delivery in it is numbered above 1): they \
                 are left out of the retention table and the projection",
                arg("count")
            ),
            SubscriptionNoteCode::DeliveriesWithoutUnit => format!(
                "{} subscription deliveries have neither a subscription id nor a customer and are left out",
                arg("count")
            ),
            SubscriptionNoteCode::NoCycle => "no unit has two deliveries, so there is no delivery cycle \
                 to tell a lapse by; only cancellation dates count as churn"
                .to_string(),
            SubscriptionNoteCode::TooFewChurned => format!(
                "the projection needs at least {} churned units and {} have churned",
                arg("needed"),
                arg("found")
            ),
            SubscriptionNoteCode::SbgNotFitted => {
                format!("the projection could not be made: {}", arg("reason"))
            }
        };
        SubscriptionNote {
            code,
            args: args.iter().cloned().collect(),
            message,
        }
    }
}

/// One unit's deliveries, summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// The customer of its first delivery.
    pub customer: Option<u32>,
    /// Its first and last delivery days.
    pub first: Day,
    pub last: Day,
    /// The number of its first delivery in the file.
    pub first_number: u32,
    /// Its delivery count (the highest number).
    pub deliveries: u32,
    /// The churn date, `None` while active.
    pub churned_on: Option<Day>,
}

/// Every unit of `ctx`, with the pooled days between deliveries and the lapse used.
pub(crate) struct Units {
    pub units: Vec<Unit>,
    /// Days between consecutive deliveries of a unit, ascending.
    pub gaps: Vec<i128>,
    pub lapse_days: Option<u32>,
    /// Deliveries with a unit, and their revenue in minor units.
    pub deliveries: u64,
    pub revenue: i128,
    /// Deliveries with neither a subscription id nor a customer.
    pub without_unit: u64,
}

impl Units {
    /// The units of `ctx`; `None` when the section is `null`.
    pub fn of(ctx: &Context<'_>) -> Option<Units> {
        let traits = ctx.traits;
        if !traits.has_subscription_column {
            return None;
        }
        // (unit key, day, time, file position, delivery number, cancelled on, customer, revenue).
        type Delivery = (
            u64,
            Day,
            u32,
            usize,
            Option<u32>,
            Option<Day>,
            Option<u32>,
            i64,
        );
        let mut deliveries: Vec<Delivery> = Vec::new();
        let mut without_unit = 0;
        for (position, order) in ctx.orders.iter().enumerate() {
            let Some(mark) = traits.subscription_of(order) else {
                continue;
            };
            let key = match (mark.id, order.customer) {
                (id, _) if id != NO_SUBSCRIPTION_ID => u64::from(id),
                (_, Some(customer)) => (1 << 32) | u64::from(customer),
                (_, None) => {
                    without_unit += 1;
                    continue;
                }
            };
            deliveries.push((
                key,
                order.day,
                order.time,
                position,
                mark.delivery,
                mark.cancelled_on,
                order.customer,
                order.revenue,
            ));
        }
        deliveries.sort_unstable_by_key(|d| (d.0, d.1, d.2, d.3));
        let mut gaps = Vec::new();
        // Per unit: the summary without its churn date, and its latest cancellation date.
        let mut drafts: Vec<(Unit, Option<Day>)> = Vec::new();
        let mut revenue: i128 = 0;
        let mut previous_key = None;
        for d in &deliveries {
            revenue += i128::from(d.7);
            match drafts.last_mut() {
                Some((unit, cancelled)) if previous_key == Some(d.0) => {
                    gaps.push(i128::from(d.1 - unit.last));
                    let number = d.4.unwrap_or(unit.deliveries.saturating_add(1));
                    unit.deliveries = unit.deliveries.max(number);
                    unit.last = d.1;
                    *cancelled = (*cancelled).max(d.5);
                }
                _ => {
                    let number = d.4.unwrap_or(1);
                    drafts.push((
                        Unit {
                            customer: d.6,
                            first: d.1,
                            last: d.1,
                            first_number: number,
                            deliveries: number,
                            churned_on: None,
                        },
                        d.5,
                    ));
                }
            }
            previous_key = Some(d.0);
        }
        gaps.sort_unstable();
        let lapse_days = ctx
            .options
            .subscription_lapse_days
            .or_else(|| lapse_from_cycle(&gaps));
        let as_of = ctx.as_of;
        let units = drafts
            .into_iter()
            .map(|(mut unit, cancelled)| {
                unit.churned_on = match (cancelled, lapse_days) {
                    (Some(day), _) if day <= as_of => Some(day.max(unit.first)),
                    (Some(_), _) => None,
                    (None, Some(lapse)) => {
                        let churn = i64::from(unit.last) + i64::from(lapse);
                        (churn < i64::from(as_of)).then(|| Day::try_from(churn).unwrap_or(as_of))
                    }
                    (None, None) => None,
                };
                unit
            })
            .collect();
        Some(Units {
            units,
            gaps,
            lapse_days,
            deliveries: deliveries.len() as u64,
            revenue,
            without_unit,
        })
    }
}

string_enum! {
    /// Where a customer's subscriptions stand at as_of, for customer lists.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SubscriptionState {
        /// A subscription is active, and one has had a delivery within the median cycle.
        Active = "active",
        /// Active, but every active subscription's last delivery is more than the median cycle ago.
        AtRisk = "at_risk",
        /// Every subscription of the customer has churned.
        Churned = "churned",
    }
}

/// Each customer's subscription units, for the customer lists' columns and the `--subscription` filter.
pub(crate) struct SubscriptionLists {
    /// (customer, first delivery, delivery count, last delivery, state) of every unit with a
    /// customer, by customer then first delivery.
    units: Vec<(u32, Day, u32, Day, SubscriptionState)>,
}

impl SubscriptionLists {
    /// The lists' view of the units of `ctx`; `None` when the section is `null`.
    pub fn of(ctx: &Context<'_>) -> Option<SubscriptionLists> {
        let units = Units::of(ctx)?;
        // At risk: past one cycle (the median days between deliveries) since the last delivery.
        let cycle = quantile(&units.gaps, 50);
        let mut rows: Vec<(u32, Day, u32, Day, SubscriptionState)> = units
            .units
            .iter()
            .filter_map(|u| {
                let state = match (u.churned_on, cycle) {
                    (Some(_), _) => SubscriptionState::Churned,
                    (None, Some(cycle)) if f64::from(ctx.as_of - u.last) > cycle => {
                        SubscriptionState::AtRisk
                    }
                    (None, _) => SubscriptionState::Active,
                };
                Some((u.customer?, u.first, u.deliveries, u.last, state))
            })
            .collect();
        rows.sort_unstable_by_key(|r| (r.0, r.1, r.3));
        Some(SubscriptionLists { units: rows })
    }

    fn of_customer(&self, customer: u32) -> &[(u32, Day, u32, Day, SubscriptionState)] {
        let start = self.units.partition_point(|r| r.0 < customer);
        let end = self.units.partition_point(|r| r.0 <= customer);
        &self.units[start..end]
    }

    /// The customer's state: active when a unit is active and not at risk, at risk when its active
    /// units all are, churned when every unit has; `None` without a unit.
    pub fn state(&self, customer: u32) -> Option<SubscriptionState> {
        let units = self.of_customer(customer);
        let has = |state| units.iter().any(|u| u.4 == state);
        if units.is_empty() {
            None
        } else if has(SubscriptionState::Active) {
            Some(SubscriptionState::Active)
        } else if has(SubscriptionState::AtRisk) {
            Some(SubscriptionState::AtRisk)
        } else {
            Some(SubscriptionState::Churned)
        }
    }

    /// The delivery count of each unit of the customer, by first delivery, joined with `;`.
    pub fn deliveries(&self, customer: u32) -> Option<String> {
        let units = self.of_customer(customer);
        (!units.is_empty()).then(|| {
            let counts: Vec<String> = units.iter().map(|u| u.2.to_string()).collect();
            counts.join(";")
        })
    }

    /// The customer's latest delivery.
    pub fn last_delivery(&self, customer: u32) -> Option<Day> {
        self.of_customer(customer).iter().map(|u| u.3).max()
    }
}

/// ceil(1.5 × median gap), computed exactly: with m2 = twice the median, ceil(3·m2 / 4).
fn lapse_from_cycle(gaps: &[i128]) -> Option<u32> {
    let n = gaps.len();
    if n == 0 {
        return None;
    }
    let twice_median = if n % 2 == 1 {
        2 * gaps[n / 2]
    } else {
        gaps[n / 2 - 1] + gaps[n / 2]
    };
    let lapse = (3 * twice_median + 3).div_euclid(4);
    u32::try_from(lapse).ok()
}

/// The `subscriptions` section.
pub fn compute(ctx: &Context<'_>) -> Option<Subscriptions> {
    let units = Units::of(ctx)?;
    let mut notes = Vec::new();
    let count = |n: u64| vec![("count", n.to_string())];
    let before_file = units.units.iter().filter(|u| u.first_number > 1).count() as u64;
    if before_file > 0 {
        let note =
            SubscriptionNote::new(SubscriptionNoteCode::StartedBeforeFile, &count(before_file));
        notes.push(note);
    }
    if units.without_unit > 0 {
        let args = count(units.without_unit);
        notes.push(SubscriptionNote::new(
            SubscriptionNoteCode::DeliveriesWithoutUnit,
            &args,
        ));
    }
    if units.lapse_days.is_none() && !units.units.is_empty() {
        notes.push(SubscriptionNote::new(SubscriptionNoteCode::NoCycle, &[]));
    }
    // Delivery counts of the units that began in the file: churned after n, active with n.
    let from_start: Vec<&Unit> = units.units.iter().filter(|u| u.first_number == 1).collect();
    let longest = from_start.iter().map(|u| u.deliveries).max().unwrap_or(0) as usize;
    let mut churned_after = vec![0u64; longest + 1];
    let mut active_with = vec![0u64; longest + 1];
    for unit in &from_start {
        let counts = if unit.churned_on.is_some() {
            &mut churned_after
        } else {
            &mut active_with
        };
        counts[unit.deliveries as usize] += 1;
    }
    let retention = retention(&from_start, &churned_after);
    let churned_total: u64 = churned_after.iter().sum();
    let mut sbg_note = None;
    let sbg = if churned_total < MIN_CHURNED_UNITS {
        let args = [
            ("found", churned_total.to_string()),
            ("needed", MIN_CHURNED_UNITS.to_string()),
        ];
        sbg_note = Some(SubscriptionNote::new(
            SubscriptionNoteCode::TooFewChurned,
            &args,
        ));
        None
    } else {
        match sbg::fit(&churned_after, &active_with) {
            Ok(fit) => Some(Sbg {
                alpha: fit.alpha,
                beta: fit.beta,
                log_likelihood: fit.log_likelihood,
                se: SbgErrors {
                    alpha: fit.se_alpha,
                    beta: fit.se_beta,
                },
                projected_survival: (1..=PROJECTED_DELIVERIES)
                    .map(|n| fit.survival(n))
                    .collect(),
                expected_deliveries_first_24: fit.expected_deliveries(PROJECTED_DELIVERIES),
            }),
            Err(e) => {
                let args = [("reason", e.to_string())];
                sbg_note = Some(SubscriptionNote::new(
                    SubscriptionNoteCode::SbgNotFitted,
                    &args,
                ));
                None
            }
        }
    };
    let churned = units
        .units
        .iter()
        .filter(|u| u.churned_on.is_some())
        .count() as u64;
    Some(Subscriptions {
        unit: if ctx.traits.has_subscription_id {
            SubscriptionUnit::Subscription
        } else {
            SubscriptionUnit::Customer
        },
        units: units.units.len() as u64,
        deliveries: units.deliveries,
        active: units.units.len() as u64 - churned,
        churned,
        cycle_days: CycleDays {
            median: quantile(&units.gaps, 50),
            p75: quantile(&units.gaps, 75),
        },
        lapse_days: units.lapse_days,
        mean_delivery_revenue: (units.deliveries > 0)
            .then(|| units.revenue as f64 / (MONEY_SCALE as f64 * units.deliveries as f64)),
        retention,
        monthly: monthly(&units.units, ctx.as_of),
        sbg,
        sbg_note,
        notes,
    })
}

/// The Kaplan–Meier table for n = 1..12.
fn retention(units: &[&Unit], churned_after: &[u64]) -> Vec<RetentionStep> {
    let mut survival = Some(1.0);
    (1..=RETENTION_DELIVERIES)
        .map(|n| {
            let reached = units.iter().filter(|u| u.deliveries >= n).count() as u64;
            let continued = units.iter().filter(|u| u.deliveries > n).count() as u64;
            let at_risk = continued + churned_after.get(n as usize).copied().unwrap_or(0);
            let rate = ratio(continued, at_risk);
            survival = match (survival, rate) {
                (Some(s), Some(r)) => Some(s * r),
                _ => None,
            };
            RetentionStep {
                delivery: n,
                reached,
                at_risk,
                continued,
                rate,
                survival,
            }
        })
        .collect()
}

/// Active units at the start of each month, new and churned units, from the first delivery's month
/// to as_of's.
fn monthly(units: &[Unit], as_of: Day) -> Vec<SubscriptionMonth> {
    let Some(start) = units.iter().map(|u| month_index(u.first)).min() else {
        return Vec::new();
    };
    let end = month_index(as_of).max(start);
    let len = (end - start + 1) as usize;
    let mut new = vec![0u64; len];
    let mut churned = vec![0u64; len];
    // A unit is active at the start of months first+1 ..= churn month (every later month when active).
    let mut active_change = vec![0i64; len + 1];
    for unit in units {
        let first = (month_index(unit.first) - start) as usize;
        new[first] += 1;
        active_change[first + 1] += 1;
        if let Some(day) = unit.churned_on {
            let month = ((month_index(day) - start) as usize).min(len - 1);
            churned[month] += 1;
            active_change[month + 1] -= 1;
        }
    }
    let mut active = 0i64;
    (0..len)
        .map(|i| {
            active += active_change[i];
            let active_at_start = active.max(0) as u64;
            SubscriptionMonth {
                month: month_name(start + i as i32),
                active_at_start,
                new: new[i],
                churned: churned[i],
                churn_rate: ratio(churned[i], active_at_start),
            }
        })
        .collect()
}
