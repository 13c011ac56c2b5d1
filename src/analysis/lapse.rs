//! Lapse, from the shop's own buying cycle. `gap_days` pools, over all customers, the days between each
//! pair of consecutive purchase occasions (count, median, p75, p90; linear interpolation). A customer is
//! *overdue* when p75 < recency_days ≤ p90 and *dormant* (休眠) when recency_days > p90; otherwise
//! *active* (also everyone when no customer has two occasions). `revenue_last_365_days` counts orders
//! dated after as_of − 365 days; `days_since_last_over[d]` counts customers with recency_days > d.

use super::{money, sorted, Context, Quantile};
use crate::customers::Customer;
use serde::Serialize;

/// Lapse section of the Report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Lapse {
    /// Days between consecutive purchase occasions, pooled over customers.
    pub gap_days: GapDays,
    /// Customers with p75 < recency_days ≤ p90.
    pub overdue: LapseGroup,
    /// Customers with recency_days > p90.
    pub dormant: LapseGroup,
    /// Customers with recency_days above each threshold.
    pub days_since_last_over: DaysSinceLastOver,
}

/// The distribution of days between consecutive occasions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct GapDays {
    /// Number of gaps.
    pub count: u64,
    /// Median.
    pub median: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

/// Customers in a lapse state and what they brought in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct LapseGroup {
    /// Customers.
    pub customers: u64,
    /// Revenue of their orders dated after as_of − 365 days.
    pub revenue_last_365_days: f64,
    /// Revenue of all their orders.
    pub revenue_all_time: f64,
}

/// Customers with recency_days greater than 30, 60, 90, 180 and 365 days.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct DaysSinceLastOver {
    /// recency_days > 30.
    #[serde(rename = "30")]
    #[cfg_attr(feature = "schema", ts(rename = "30"))]
    pub over_30: u64,
    /// recency_days > 60.
    #[serde(rename = "60")]
    #[cfg_attr(feature = "schema", ts(rename = "60"))]
    pub over_60: u64,
    /// recency_days > 90.
    #[serde(rename = "90")]
    #[cfg_attr(feature = "schema", ts(rename = "90"))]
    pub over_90: u64,
    /// recency_days > 180.
    #[serde(rename = "180")]
    #[cfg_attr(feature = "schema", ts(rename = "180"))]
    pub over_180: u64,
    /// recency_days > 365.
    #[serde(rename = "365")]
    #[cfg_attr(feature = "schema", ts(rename = "365"))]
    pub over_365: u64,
}

/// Where a customer stands against the shop's buying cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LapseState {
    /// Within the usual gap.
    Active,
    /// p75 < recency_days ≤ p90.
    Overdue,
    /// recency_days > p90.
    Dormant,
}

impl LapseState {
    /// The key used in customer lists and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            LapseState::Active => "active",
            LapseState::Overdue => "overdue",
            LapseState::Dormant => "dormant",
        }
    }

    /// The state with this key.
    pub fn from_key(key: &str) -> Option<LapseState> {
        [LapseState::Active, LapseState::Overdue, LapseState::Dormant]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// The p75 and p90 of the pooled gaps, which classify customers.
pub(crate) struct Cycle {
    count: u64,
    median: Option<Quantile>,
    p75: Option<Quantile>,
    p90: Option<Quantile>,
}

impl Cycle {
    /// Measures the shop's buying cycle.
    pub fn measure(ctx: &Context<'_>) -> Cycle {
        let table = ctx.customers;
        let gaps = sorted(table.customers().iter().flat_map(|c| {
            table
                .occasions(c)
                .windows(2)
                .map(|pair| i128::from(pair[1].day - pair[0].day))
        }));
        Cycle {
            count: gaps.len() as u64,
            median: Quantile::of(&gaps, 50),
            p75: Quantile::of(&gaps, 75),
            p90: Quantile::of(&gaps, 90),
        }
    }

    fn gap_days(&self) -> GapDays {
        GapDays {
            count: self.count,
            median: self.median.map(Quantile::value),
            p75: self.p75.map(Quantile::value),
            p90: self.p90.map(Quantile::value),
        }
    }

    /// A customer's state.
    pub fn state(&self, ctx: &Context<'_>, customer: &Customer) -> LapseState {
        let (Some(p75), Some(p90)) = (self.p75, self.p90) else {
            return LapseState::Active;
        };
        let recency = i128::from(ctx.recency_days(customer));
        if p90.is_below(recency) {
            LapseState::Dormant
        } else if p75.is_below(recency) {
            LapseState::Overdue
        } else {
            LapseState::Active
        }
    }
}

/// The lapse section.
pub(crate) fn compute(ctx: &Context<'_>) -> Lapse {
    let table = ctx.customers;
    let cycle = Cycle::measure(ctx);
    let recent_from = i64::from(ctx.as_of) - 365;
    // [overdue, dormant] × (customers, last 365 days, all time)
    let mut groups = [(0u64, 0i128, 0i128); 2];
    let mut over = [0u64; 5];
    const THRESHOLDS: [i64; 5] = [30, 60, 90, 180, 365];
    for c in table.customers() {
        let recency = ctx.recency_days(c);
        for (count, &d) in over.iter_mut().zip(&THRESHOLDS) {
            *count += u64::from(recency > d);
        }
        let group = match cycle.state(ctx, c) {
            LapseState::Active => continue,
            LapseState::Overdue => &mut groups[0],
            LapseState::Dormant => &mut groups[1],
        };
        group.0 += 1;
        group.2 += c.revenue;
        group.1 += table
            .occasions(c)
            .iter()
            .filter(|o| i64::from(o.day) > recent_from)
            .map(|o| o.revenue)
            .sum::<i128>();
    }
    let group = |(customers, last_365, all_time): (u64, i128, i128)| LapseGroup {
        customers,
        revenue_last_365_days: money(last_365),
        revenue_all_time: money(all_time),
    };
    Lapse {
        gap_days: cycle.gap_days(),
        overdue: group(groups[0]),
        dormant: group(groups[1]),
        days_since_last_over: DaysSinceLastOver {
            over_30: over[0],
            over_60: over[1],
            over_90: over[2],
            over_180: over[3],
            over_365: over[4],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn p75_and_p90_bound_overdue_and_dormant() {
        // Customer 0's gaps: 10, 20, 30, 40, 50 days (2024-01-01 → 01-11 → 01-31 → 03-01 → 04-10 →
        // 05-30). Pooled gaps: 10, 20, 30, 40, 50 → p75 = 40, p90 = 46 (position 3.6).
        let mut orders = vec![
            order(Some(0), "2024-01-01", 1),
            order(Some(0), "2024-01-11", 1),
            order(Some(0), "2024-01-31", 1),
            order(Some(0), "2024-03-01", 1),
            order(Some(0), "2024-04-10", 1),
            order(Some(0), "2024-05-30", 1),
        ];
        // as_of 2024-06-30. Customer 1: recency 40 (= p75) → active. Customer 2: 41 → overdue.
        // Customer 3: 46 (= p90) → overdue. Customer 4: 47 → dormant.
        orders.push(order(Some(1), "2024-05-21", 2));
        orders.push(order(Some(2), "2024-05-20", 3));
        orders.push(order(Some(3), "2024-05-15", 4));
        orders.push(order(Some(4), "2024-05-14", 5));
        let fixture = Fixture::new(orders, "2024-06-30");
        let lapse = compute(&fixture.context());
        assert_eq!(lapse.gap_days.count, 5);
        assert_eq!(lapse.gap_days.median, Some(30.0));
        assert_eq!(lapse.gap_days.p75, Some(40.0));
        assert_eq!(lapse.gap_days.p90, Some(46.0));
        assert_eq!(
            (lapse.overdue.customers, lapse.overdue.revenue_all_time),
            (2, 7.0)
        );
        assert_eq!(
            (lapse.dormant.customers, lapse.dormant.revenue_all_time),
            (1, 5.0)
        );
        // recency: customer 0 → 31, 1 → 40, 2 → 41, 3 → 46, 4 → 47: all over 30, none over 60.
        assert_eq!(lapse.days_since_last_over.over_30, 5);
        assert_eq!(lapse.days_since_last_over.over_60, 0);
    }

    #[test]
    fn revenue_last_365_days_starts_the_day_after_as_of_minus_365() {
        // as_of 2024-12-31; as_of − 365 = 2024-01-01 (2024 is a leap year): an order that day is out,
        // one on 2024-01-02 is in. Customer 1 makes the pooled gap 1 day, so customer 0 is dormant.
        let fixture = Fixture::new(
            vec![
                order(Some(0), "2024-01-01", 100),
                order(Some(0), "2024-01-02", 10),
                order(Some(1), "2024-12-30", 1),
                order(Some(1), "2024-12-31", 1),
            ],
            "2024-12-31",
        );
        let lapse = compute(&fixture.context());
        assert_eq!(lapse.dormant.customers, 1);
        assert_eq!(lapse.dormant.revenue_last_365_days, 10.0);
        assert_eq!(lapse.dormant.revenue_all_time, 110.0);
    }

    #[test]
    fn without_any_second_occasion_nobody_is_overdue_or_dormant() {
        let fixture = Fixture::new(vec![order(Some(0), "2020-01-01", 1)], "2024-01-01");
        let lapse = compute(&fixture.context());
        assert_eq!((lapse.gap_days.count, lapse.gap_days.p90), (0, None));
        assert_eq!((lapse.overdue.customers, lapse.dormant.customers), (0, 0));
        assert_eq!(lapse.days_since_last_over.over_365, 1);
    }
}
