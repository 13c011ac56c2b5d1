//! Headline KPIs.
//!
//! - **customers**: distinct customers with at least one order that counts; **orders**, **revenue**:
//!   count and sum over orders that count (guest orders included).
//! - **aov** = revenue / orders; **orders_per_customer** = orders with a customer / customers.
//! - **repeat_rate** = customers with ≥ 2 purchase occasions / customers.
//! - **f2**: F2 conversion for the chosen window (see [`super::f2`]).
//! - **days_to_second**: days from the first to the second occasion over customers with ≥ 2
//!   occasions: count, median, p25, p75 (linear interpolation between closest ranks).

use super::f2::{self, F2};
use super::{money, quantile, ratio, Context};
use serde::Serialize;

/// Headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Kpis {
    /// Distinct customers with an order that counts.
    pub customers: u64,
    /// Orders that count (guest orders included).
    pub orders: u64,
    /// Sum of order revenue.
    pub revenue: f64,
    /// revenue / orders.
    pub aov: Option<f64>,
    /// Orders with a customer / customers.
    pub orders_per_customer: Option<f64>,
    /// Customers with ≥ 2 occasions / customers.
    pub repeat_rate: Option<f64>,
    /// F2 conversion for the chosen window.
    pub f2: F2,
    /// Days from first to second occasion.
    pub days_to_second: DaysToSecond,
}

/// Distribution of days from first to second occasion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct DaysToSecond {
    /// Customers with ≥ 2 occasions.
    pub count: u64,
    /// Median.
    pub median: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
}

/// The headline KPIs.
pub(crate) fn compute(ctx: &Context<'_>) -> Kpis {
    let table = ctx.customers;
    let customers = table.len() as u64;
    let orders = ctx.orders.len() as u64;
    let revenue: i128 = ctx.orders.iter().map(|o| i128::from(o.revenue)).sum();
    let with_customer = ctx.orders.iter().filter(|o| o.customer.is_some()).count() as u64;
    let repeaters = table
        .customers()
        .iter()
        .filter(|c| table.occasion_count(c) >= 2)
        .count() as u64;
    let gaps = table.second_purchase_gaps();
    Kpis {
        customers,
        orders,
        revenue: money(revenue),
        aov: (orders > 0).then(|| money(revenue) / orders as f64),
        orders_per_customer: ratio(with_customer, customers),
        repeat_rate: ratio(repeaters, customers),
        f2: f2::f2(ctx, ctx.options.f2_window_days),
        days_to_second: DaysToSecond {
            count: gaps.len() as u64,
            median: quantile(&gaps, 50),
            p25: quantile(&gaps, 25),
            p75: quantile(&gaps, 75),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn same_day_orders_are_one_occasion() {
        let fixture = Fixture::new(
            vec![
                order(Some(0), "2024-01-01", 10),
                order(Some(0), "2024-01-01", 20),
                order(Some(1), "2024-01-01", 5),
                order(Some(1), "2024-01-03", 5),
            ],
            "2024-01-03",
        );
        let k = compute(&fixture.context());
        assert_eq!((k.customers, k.orders, k.revenue), (2, 4, 40.0));
        assert_eq!(k.repeat_rate, Some(0.5)); // customer 1 only
        assert_eq!(k.orders_per_customer, Some(2.0)); // 4 orders / 2 customers
        assert_eq!(k.aov, Some(10.0));
        assert_eq!(
            (k.days_to_second.count, k.days_to_second.median),
            (1, Some(2.0))
        );
    }

    #[test]
    fn guest_orders_count_in_orders_and_revenue_only() {
        let fixture = Fixture::new(
            vec![
                order(None, "2024-01-01", 8),
                order(Some(0), "2024-01-02", 2),
            ],
            "2024-01-02",
        );
        let k = compute(&fixture.context());
        assert_eq!((k.customers, k.orders, k.revenue), (1, 2, 10.0));
        assert_eq!(k.orders_per_customer, Some(1.0));
    }
}
