//! Historical LTV at 3, 6, 12 and 24 months. For m months: *eligible* = customers whose first purchase
//! date plus m calendar months (the day clamped to the month's end: Jan 31 + 1 month = Feb 28/29) is on
//! or before as_of; the value is the revenue of their orders dated strictly before first purchase + m
//! months, averaged over the eligible customers (`None` when none are eligible).

use super::{money, Context};
use crate::ingest::values::{date_to_day, day_to_date};
use chrono::Months;
use serde::Serialize;

/// The horizons reported, in months.
pub const HORIZONS_MONTHS: [u32; 4] = [3, 6, 12, 24];

/// Average revenue per customer within m months of the first purchase.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct HistoricalLtv {
    /// m.
    pub months: u32,
    /// Customers whose first purchase + m months is on or before as_of.
    pub eligible_customers: u64,
    /// Revenue of their orders before first purchase + m months, per eligible customer.
    pub avg_revenue_per_customer: Option<f64>,
}

/// Historical LTV at each horizon.
pub(crate) fn compute(ctx: &Context<'_>) -> Vec<HistoricalLtv> {
    let table = ctx.customers;
    HORIZONS_MONTHS
        .iter()
        .map(|&months| {
            let (mut eligible, mut revenue) = (0u64, 0i128);
            for c in table.customers() {
                let end = day_to_date(table.first_day(c))
                    .and_then(|d| d.checked_add_months(Months::new(months)))
                    .map(date_to_day);
                let Some(end) = end.filter(|&end| end <= ctx.as_of) else {
                    continue;
                };
                eligible += 1;
                revenue += table
                    .occasions(c)
                    .iter()
                    .take_while(|o| o.day < end)
                    .map(|o| o.revenue)
                    .sum::<i128>();
            }
            HistoricalLtv {
                months,
                eligible_customers: eligible,
                avg_revenue_per_customer: (eligible > 0).then(|| money(revenue) / eligible as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn month_ends_clamp_and_the_horizon_end_is_exclusive() {
        let fixture = Fixture::new(
            vec![
                // 2023-11-30 + 3 months = 2024-02-29 (clamped, leap year): eligible at as_of 2024-02-29;
                // the order on 2024-02-28 counts, the one on 2024-02-29 does not.
                order(Some(0), "2023-11-30", 10),
                order(Some(0), "2024-02-28", 5),
                order(Some(0), "2024-02-29", 100),
                // 2023-12-01 + 3 months = 2024-03-01, after as_of: not eligible.
                order(Some(1), "2023-12-01", 50),
            ],
            "2024-02-29",
        );
        let ltv = compute(&fixture.context());
        assert_eq!(
            ltv.iter().map(|l| l.months).collect::<Vec<_>>(),
            [3, 6, 12, 24]
        );
        assert_eq!(ltv[0].eligible_customers, 1);
        assert_eq!(ltv[0].avg_revenue_per_customer, Some(15.0));
        assert_eq!(
            (ltv[1].eligible_customers, ltv[1].avg_revenue_per_customer),
            (0, None)
        );
    }

    #[test]
    fn the_value_averages_over_every_eligible_customer() {
        let fixture = Fixture::new(
            vec![
                order(Some(0), "2024-01-15", 10),
                order(Some(0), "2024-03-01", 20),
                order(Some(1), "2024-01-20", 6),
            ],
            "2024-04-20",
        );
        let ltv = compute(&fixture.context());
        // both eligible at 3 months (Apr 15, Apr 20 ≤ Apr 20): (30 + 6) / 2
        assert_eq!(
            (ltv[0].eligible_customers, ltv[0].avg_revenue_per_customer),
            (2, Some(18.0))
        );
    }
}
