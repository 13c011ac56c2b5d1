//! The analyses: each module computes one section of the [`Report`](crate::Report) from the
//! per-customer table and the counted orders, with its definition in its module doc and its unit
//! tests beside it. They are registered in one place, the `report_sections!` list in `report.rs`:
//! adding an analysis is a new module here plus one line there.

pub mod cohorts;
pub mod days_to_second_histogram;
pub mod drivers;
pub mod f2;
pub mod funnel;
pub mod historical_ltv;
pub mod kpis;
pub mod lapse;
pub mod model_notes;
pub mod monthly;
pub mod predicted_value;
pub mod rfm;
pub mod subscriptions;
pub mod timing;

use crate::customers::CustomerTable;
use crate::ingest::values::{Day, MONEY_SCALE};
use crate::ingest::{Order, OrderTraits};
use crate::options::Options;
use std::sync::OnceLock;

/// What every analysis reads.
pub(crate) struct Context<'a> {
    /// Orders that count, none dated after `as_of` (guest orders included).
    pub orders: &'a [Order],
    /// Customers of those orders.
    pub customers: &'a CustomerTable,
    /// The analysis date.
    pub as_of: Day,
    /// The options the analysis runs with.
    pub options: &'a Options,
    /// The fitted models, computed on first use.
    pub fitted: &'a OnceLock<predicted_value::Fitted>,
    /// Product names and channel keys of the orders.
    pub traits: &'a OrderTraits,
}

impl Context<'_> {
    /// The fitted models and per-customer predictions (fitted on first use).
    pub fn fitted(&self) -> &predicted_value::Fitted {
        self.fitted_with(&mut |_| {})
    }

    /// The fitted models, fitted now if they were not, telling `progress` how far the fitting has come.
    pub fn fitted_with(
        &self,
        progress: &mut dyn FnMut(predicted_value::FitProgress),
    ) -> &predicted_value::Fitted {
        self.fitted
            .get_or_init(|| predicted_value::fit(self, progress))
    }

    /// Days from a customer's last purchase to as_of.
    pub fn recency_days(&self, customer: &crate::customers::Customer) -> i64 {
        i64::from(self.as_of) - i64::from(self.customers.last_day(customer))
    }
}

/// Minor units → currency units: the double nearest to the exact value (which prints as the exact
/// decimal within the limits of `crate::ingest::exact_sums`). Below 2^53 minor units the conversion and
/// the division are exact and rounded once; beyond, the exact decimal is parsed.
pub(crate) fn money(units: i128) -> f64 {
    const EXACT: i128 = 1 << 53;
    if units.abs() <= EXACT {
        return units as f64 / MONEY_SCALE as f64;
    }
    let scale = i128::from(MONEY_SCALE);
    let sign = if units < 0 { "-" } else { "" };
    let (whole, fraction) = (
        (units / scale).unsigned_abs(),
        (units % scale).unsigned_abs(),
    );
    format!("{sign}{whole}.{fraction:04}")
        .parse()
        .unwrap_or(units as f64 / MONEY_SCALE as f64)
}

/// `numerator / denominator`, `None` when the denominator is zero.
pub(crate) fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// A quantile of integer values (days, minor units), kept exact so that a value equal to it compares
/// equal: `lower + (upper − lower) × hundredths / 100`. Linear interpolation between closest ranks at
/// position p·(n−1), the spreadsheet/pandas default, with the position computed in whole hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quantile {
    lower: i128,
    upper: i128,
    hundredths: i128,
}

impl Quantile {
    /// The `percent` % quantile of ascending `sorted`, `None` for no values.
    pub fn of(sorted: &[i128], percent: u32) -> Option<Quantile> {
        let last = sorted.len().checked_sub(1)?;
        let position = u128::from(percent) * last as u128; // in hundredths of a rank
        let index = (position / 100) as usize;
        Some(Quantile {
            lower: sorted[index],
            upper: sorted[(index + 1).min(last)],
            hundredths: (position % 100) as i128,
        })
    }

    /// The quantile times 100, exactly.
    fn hundredfold(self) -> i128 {
        self.lower * 100 + (self.upper - self.lower) * self.hundredths
    }

    /// The value, rounded once to the nearest float.
    pub fn value(self) -> f64 {
        self.hundredfold() as f64 / 100.0
    }

    /// The value of a quantile of minor units, in currency units.
    pub fn money(self) -> f64 {
        self.hundredfold() as f64 / (100.0 * MONEY_SCALE as f64)
    }

    /// Whether the quantile is strictly below `value`.
    pub fn is_below(self, value: i128) -> bool {
        self.hundredfold() < value * 100
    }
}

/// `values` sorted ascending, for [`Quantile::of`].
pub(crate) fn sorted(values: impl Iterator<Item = i128>) -> Vec<i128> {
    let mut v: Vec<i128> = values.collect();
    v.sort_unstable();
    v
}

/// The `percent` % quantile's value, `None` for no values.
pub(crate) fn quantile(sorted: &[i128], percent: u32) -> Option<f64> {
    Quantile::of(sorted, percent).map(Quantile::value)
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builds a [`Context`] from a compact list of orders, for the analyses' unit tests.
    use super::*;
    use crate::ingest::values::parse_date;

    pub fn day(s: &str) -> Day {
        parse_date(s.as_bytes()).unwrap()
    }

    /// An order of `amount` currency units.
    pub fn order(customer: Option<u32>, date: &str, amount: i64) -> Order {
        Order::plain(day(date), customer, amount * MONEY_SCALE)
    }

    /// The orders, their customer table, as_of and options, ready for a [`Context`].
    pub struct Fixture {
        pub orders: Vec<Order>,
        pub customers: CustomerTable,
        pub as_of: Day,
        pub options: Options,
        pub fitted: OnceLock<predicted_value::Fitted>,
        pub traits: OrderTraits,
    }

    impl Fixture {
        pub fn new(orders: Vec<Order>, as_of: &str) -> Self {
            let interned = orders
                .iter()
                .filter_map(|o| o.customer)
                .max()
                .map_or(0, |c| c as usize + 1);
            let customers = CustomerTable::build(&orders, interned);
            Fixture {
                orders,
                customers,
                as_of: day(as_of),
                options: Options::default(),
                fitted: OnceLock::new(),
                traits: OrderTraits::default(),
            }
        }

        pub fn context(&self) -> Context<'_> {
            Context {
                orders: &self.orders,
                customers: &self.customers,
                as_of: self.as_of,
                options: &self.options,
                fitted: &self.fitted,
                traits: &self.traits,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_closest_ranks() {
        assert_eq!(quantile(&[], 50), None);
        assert_eq!(quantile(&[7], 25), Some(7.0));
        // n = 4: positions 0.75, 1.5, 2.25
        let v = [1, 2, 4, 10];
        assert_eq!(quantile(&v, 25), Some(1.75));
        assert_eq!(quantile(&v, 50), Some(3.0));
        assert_eq!(quantile(&v, 75), Some(5.5));
        // n = 5: positions 1, 2, 3
        assert_eq!(quantile(&[1, 3, 5, 7, 9], 75), Some(7.0));
    }

    #[test]
    fn money_is_the_double_nearest_to_the_exact_decimal() {
        // 922337203685577 units: dividing the rounded 9.22e18 minor units gave 922337203685576.9.
        let units = 922_337_203_685_577i128 * 10_000;
        assert_eq!(money(units).to_string(), "922337203685577");
        assert_eq!(money(-units).to_string(), "-922337203685577");
        assert_eq!(money(25_000).to_string(), "2.5");
        assert_eq!(
            money(1_234_567_890_123_456).to_string(),
            "123456789012.3456"
        );
    }

    #[test]
    fn quantile_positions_are_exact() {
        // n = 10, 60 %: position 5.4 exactly (0.6 × 9 in floating point is 5.3999…).
        let v: Vec<i128> = (0..10).map(|i| i * 10).collect();
        let q = Quantile::of(&v, 60).unwrap();
        assert_eq!(q.value(), 54.0);
        assert!(!q.is_below(54));
        assert!(q.is_below(55));
        assert_eq!(Quantile::of(&[0, 30_000], 50).unwrap().money(), 1.5);
    }
}
