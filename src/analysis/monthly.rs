//! Orders and revenue per calendar month, from the first to the last order month (months without
//! orders included), split into *new* (an order on its customer's first occasion), *returning* (a
//! later occasion) and *guest* (no customer), with the customers whose first occasion falls in the month.

use super::{money, Context};
use crate::ingest::values::{month_index, month_name};
use serde::Serialize;

/// One calendar month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Orders that count.
    pub orders: u64,
    /// Their revenue.
    pub revenue: f64,
    /// Orders on their customer's first occasion.
    pub new_orders: u64,
    /// Revenue of those.
    pub new_revenue: f64,
    /// Orders on a later occasion.
    pub returning_orders: u64,
    /// Revenue of those.
    pub returning_revenue: f64,
    /// Orders without a customer.
    pub guest_orders: u64,
    /// Revenue of those.
    pub guest_revenue: f64,
    /// Customers whose first occasion is in this month.
    pub new_customers: u64,
}

/// Orders and revenue per month, split new / returning / guest.
pub(crate) fn compute(ctx: &Context<'_>) -> Vec<Month> {
    let table = ctx.customers;
    let (Some(first), Some(last)) = (
        ctx.orders.iter().map(|o| month_index(o.day)).min(),
        ctx.orders.iter().map(|o| month_index(o.day)).max(),
    ) else {
        return Vec::new();
    };
    #[derive(Default, Clone)]
    struct Acc {
        orders: [u64; 3],
        revenue: [i128; 3],
        new_customers: u64,
    }
    const NEW: usize = 0;
    const RETURNING: usize = 1;
    const GUEST: usize = 2;
    let mut months = vec![Acc::default(); (last - first + 1) as usize];
    for o in ctx.orders {
        let kind = match o.customer.and_then(|c| table.get(c)) {
            None => GUEST,
            Some(c) if table.first_day(c) == o.day => NEW,
            Some(_) => RETURNING,
        };
        let m = &mut months[(month_index(o.day) - first) as usize];
        m.orders[kind] += 1;
        m.revenue[kind] += i128::from(o.revenue);
    }
    for c in table.customers() {
        if let Some(m) = months.get_mut((month_index(table.first_day(c)) - first) as usize) {
            m.new_customers += 1;
        }
    }
    months
        .into_iter()
        .zip(first..)
        .map(|(m, index)| Month {
            month: month_name(index),
            orders: m.orders.iter().sum(),
            revenue: money(m.revenue.iter().sum()),
            new_orders: m.orders[NEW],
            new_revenue: money(m.revenue[NEW]),
            returning_orders: m.orders[RETURNING],
            returning_revenue: money(m.revenue[RETURNING]),
            guest_orders: m.orders[GUEST],
            guest_revenue: money(m.revenue[GUEST]),
            new_customers: m.new_customers,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn splits_new_returning_and_guest_and_fills_gaps() {
        let fixture = Fixture::new(
            vec![
                order(Some(0), "2024-01-05", 10),
                order(Some(0), "2024-01-05", 5), // same first day: new too
                order(None, "2024-01-20", 7),
                order(Some(0), "2024-03-02", 20),
            ],
            "2024-03-02",
        );
        let m = compute(&fixture.context());
        let names: Vec<&str> = m.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(names, ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(
            (m[0].new_orders, m[0].new_revenue, m[0].guest_orders),
            (2, 15.0, 1)
        );
        assert_eq!(
            (m[0].orders, m[0].revenue, m[0].new_customers),
            (3, 22.0, 1)
        );
        assert_eq!(m[1].orders, 0);
        assert_eq!((m[2].returning_orders, m[2].returning_revenue), (1, 20.0));
    }
}
