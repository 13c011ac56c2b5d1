//! Monthly acquisition cohorts. A customer's cohort is the calendar month of its first purchase. For
//! k = 0 .. (as_of's month − cohort month):
//!
//! - `active_customers[k]`: cohort customers with an order in month cohort + k (k = 0 is the whole
//!   cohort);
//! - `retention[k]` = active_customers[k] / customers;
//! - `revenue[k]`: revenue of the cohort's orders in that month;
//! - `cumulative_revenue_per_customer[k]` = (revenue[0] + … + revenue[k]) / customers.
//!
//! Only months in which at least one customer made a first purchase are listed, oldest first. So that a
//! chart can show them (and a file spanning centuries makes no Report of hundreds of megabytes), the list
//! holds the latest [`MAX_COHORTS`] cohorts and each array the first [`MAX_COHORT_MONTHS`] months; the
//! section `cohort_limits` states both caps and how many cohorts were left out.

use super::{money, Context};
use crate::ingest::values::{month_index, month_name};
use serde::Serialize;

/// At most this many cohorts are listed: the latest ones (ten years of months).
pub const MAX_COHORTS: usize = 120;

/// Each cohort's arrays run over at most this many months (k = 0 .. 119: ten years).
pub const MAX_COHORT_MONTHS: usize = 120;

/// The caps on `cohorts`, and what they left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct CohortLimits {
    /// At most this many cohorts are listed: the latest.
    pub max_cohorts: u64,
    /// Each cohort's arrays cover at most this many months from its first.
    pub max_months: u64,
    /// Cohorts (months with a first purchase) older than the listed ones.
    pub cohorts_left_out: u64,
}

/// The caps on `cohorts` and how many cohorts they left out.
pub(crate) fn limits(ctx: &Context<'_>) -> CohortLimits {
    let table = ctx.customers;
    let months: std::collections::BTreeSet<i32> = table
        .customers()
        .iter()
        .map(|c| month_index(table.first_day(c)))
        .collect();
    CohortLimits {
        max_cohorts: MAX_COHORTS as u64,
        max_months: MAX_COHORT_MONTHS as u64,
        cohorts_left_out: months.len().saturating_sub(MAX_COHORTS) as u64,
    }
}

/// One monthly cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Cohort {
    /// `YYYY-MM` of the first purchase.
    pub cohort: String,
    /// Customers whose first purchase is in that month.
    pub customers: u64,
    /// By months since the cohort month: customers with an order in that month.
    pub active_customers: Vec<u64>,
    /// active_customers[k] / customers.
    pub retention: Vec<f64>,
    /// Revenue of the cohort's orders in month k.
    pub revenue: Vec<f64>,
    /// Cumulative revenue up to month k, per cohort customer.
    pub cumulative_revenue_per_customer: Vec<f64>,
}

/// The cohorts, oldest first.
pub(crate) fn compute(ctx: &Context<'_>) -> Vec<Cohort> {
    let table = ctx.customers;
    let as_of_month = month_index(ctx.as_of);
    struct Acc {
        customers: u64,
        active: Vec<u64>,
        revenue: Vec<i128>,
    }
    let mut cohorts: std::collections::BTreeMap<i32, Acc> = Default::default();
    for c in table.customers() {
        let start = month_index(table.first_day(c));
        let months = usize::try_from(as_of_month - start + 1)
            .unwrap_or(0)
            .min(MAX_COHORT_MONTHS);
        let acc = cohorts.entry(start).or_insert_with(|| Acc {
            customers: 0,
            active: vec![0; months],
            revenue: vec![0; months],
        });
        acc.customers += 1;
        let mut last_month = None;
        for occasion in table.occasions(c) {
            let k = (month_index(occasion.day) - start) as usize;
            let (Some(active), Some(revenue)) = (acc.active.get_mut(k), acc.revenue.get_mut(k))
            else {
                continue; // past the months listed (no order is dated after as_of)
            };
            *revenue += occasion.revenue;
            if last_month != Some(k) {
                *active += 1;
                last_month = Some(k);
            }
        }
    }
    let left_out = cohorts.len().saturating_sub(MAX_COHORTS);
    cohorts
        .into_iter()
        .skip(left_out)
        .map(|(month, acc)| {
            let n = acc.customers as f64;
            let mut running = 0i128;
            Cohort {
                cohort: month_name(month),
                customers: acc.customers,
                retention: acc.active.iter().map(|&a| a as f64 / n).collect(),
                active_customers: acc.active,
                revenue: acc.revenue.iter().map(|&r| money(r)).collect(),
                cumulative_revenue_per_customer: acc
                    .revenue
                    .iter()
                    .map(|&r| {
                        running += r;
                        money(running) / n
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn cohort_months_follow_calendar_boundaries_and_run_to_the_as_of_month() {
        let fixture = Fixture::new(
            vec![
                // January cohort: customer 0 (Jan 31, then Feb 1 and Feb 20), customer 1 (Jan 1 only)
                order(Some(0), "2024-01-31", 10),
                order(Some(0), "2024-02-01", 20),
                order(Some(0), "2024-02-20", 5),
                order(Some(1), "2024-01-01", 30),
                // March cohort: customer 2, back in April
                order(Some(2), "2024-03-01", 8),
                order(Some(2), "2024-04-30", 4),
                order(None, "2024-02-01", 100), // guests are in no cohort
            ],
            "2024-04-30",
        );
        let cohorts = compute(&fixture.context());
        assert_eq!(cohorts.len(), 2); // February had no first purchase: not listed
        let jan = &cohorts[0];
        assert_eq!((jan.cohort.as_str(), jan.customers), ("2024-01", 2));
        assert_eq!(jan.active_customers, [2, 1, 0, 0]); // Jan..Apr
        assert_eq!(jan.retention, [1.0, 0.5, 0.0, 0.0]);
        assert_eq!(jan.revenue, [40.0, 25.0, 0.0, 0.0]);
        assert_eq!(
            jan.cumulative_revenue_per_customer,
            [20.0, 32.5, 32.5, 32.5]
        );
        let mar = &cohorts[1];
        assert_eq!((mar.cohort.as_str(), mar.customers), ("2024-03", 1));
        assert_eq!(mar.active_customers, [1, 1]);
        assert_eq!(mar.cumulative_revenue_per_customer, [8.0, 12.0]);
    }
}
