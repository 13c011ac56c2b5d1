//! What drives a second purchase: the F2 conversion of `kpis.f2` (same window W and eligibility:
//! eligible = first occasion on or before as_of − W, converted = a second occasion within W days of the
//! first) split by what the customer's *first occasion* (every counted order on the first purchase day)
//! was:
//!
//! - **by_first_product**: every distinct product name (trimmed) of the first occasion; a customer with
//!   three products counts in three groups. The top 20 by eligible are listed.
//! - **by_first_discount**: `with_discount` when an order of the first occasion has a non-empty
//!   discount code or a discount amount other than 0, else `without_discount`.
//! - **by_first_channel**: the channel of the first occasion's earliest order (by time of day, then
//!   file order), trimmed and case-folded, a URL reduced to its host without a leading `www.`; the top
//!   10 by eligible, then `other` for the rest. A customer whose earliest first order has no channel
//!   value is in no channel group.
//! - **by_first_value**: quintile bands `"1"`..`"5"` of the first occasion's revenue over the eligible
//!   customers; the cut points are the 20/40/60/80 % quantiles (linear interpolation between closest
//!   ranks) and a value equal to a cut point takes the lower band, so the bands' eligible counts sum to
//!   `eligible`.
//!
//! Each group has its 95 % Wilson score interval (z = 1.959964) and `small` when fewer than
//! [`MIN_GROUP`] customers are eligible. Groups are listed by eligible (descending), then key (`other`
//! last); the product, discount and channel lists are `null` when the file has no such column.

use super::{ratio, Context, Quantile};
use crate::ingest::orders::NO_CHANNEL;
use serde::Serialize;
use std::collections::HashMap;

/// Groups with fewer eligible customers are `small`.
pub const MIN_GROUP: u32 = 30;
/// Products listed.
const TOP_PRODUCTS: usize = 20;
/// Channels listed before `other`.
const TOP_CHANNELS: usize = 10;
/// The normal quantile of a two-sided 95 % interval.
const Z95: f64 = 1.959964;
/// The channel group of the channels beyond the top ones.
pub const OTHER_CHANNEL: &str = "other";

/// F2 conversion by what the first purchase was.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Drivers {
    /// W, in days (as `kpis.f2`).
    pub window_days: u32,
    /// Customers whose first occasion is on or before as_of − W (= `kpis.f2.eligible`).
    pub eligible: u64,
    /// Eligible customers with a second occasion within W days (= `kpis.f2.converted`).
    pub converted: u64,
    /// converted / eligible (= `kpis.f2.rate`).
    pub rate: Option<f64>,
    /// Groups with fewer eligible customers are `small`.
    pub min_group: u32,
    /// By product of the first occasion (top 20 by eligible); `None` without a product column.
    pub by_first_product: Option<Vec<DriverGroup>>,
    /// `with_discount` / `without_discount`; `None` without a discount code or amount column.
    pub by_first_discount: Option<Vec<DriverGroup>>,
    /// By channel of the first order (top 10 by eligible, then `other`); `None` without a channel
    /// column.
    pub by_first_channel: Option<Vec<DriverGroup>>,
    /// By quintile band `"1"`..`"5"` of the first occasion's revenue.
    pub by_first_value: Vec<DriverGroup>,
    /// The four cut points of the value bands (empty when nobody is eligible).
    pub first_value_cut_points: Vec<f64>,
}

/// The F2 conversion of one group of eligible customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct DriverGroup {
    /// The product name, `with_discount` / `without_discount`, the channel key or `other`, or the
    /// value band `"1"`..`"5"`.
    pub key: String,
    /// Eligible customers in the group.
    pub eligible: u64,
    /// Of them, converted.
    pub converted: u64,
    /// converted / eligible (`None` when nobody is eligible).
    pub rate: Option<f64>,
    /// Lower end of the 95 % Wilson score interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % Wilson score interval.
    pub high: Option<f64>,
    /// Fewer than `min_group` eligible customers.
    pub small: bool,
}

/// The 95 % Wilson score interval of `converted` successes in `eligible` trials.
pub(crate) fn wilson(converted: u64, eligible: u64) -> Option<(f64, f64)> {
    if eligible == 0 {
        return None;
    }
    let n = eligible as f64;
    let p = converted as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(((center - half).max(0.0), (center + half).min(1.0)))
}

/// The first occasion of every customer, by place in the customer table.
pub(crate) struct FirstOccasions {
    /// (customer place, product number) pairs, sorted, distinct.
    pub products: Vec<(u32, u32)>,
    /// Whether an order of the first occasion had a discount.
    pub discount: Vec<bool>,
    /// The channel number of the first occasion's earliest order, [`NO_CHANNEL`] when none.
    pub channel: Vec<u32>,
}

impl FirstOccasions {
    /// The first occasions of the customers in `ctx`.
    pub fn of(ctx: &Context<'_>) -> FirstOccasions {
        let table = ctx.customers;
        let traits = ctx.traits;
        let n = table.len();
        let mut discount = vec![false; n];
        let mut channel = vec![NO_CHANNEL; n];
        // (time, file position) of the order the channel was taken from.
        let mut channel_from: Vec<(u32, usize)> = vec![(u32::MAX, usize::MAX); n];
        let mut products = Vec::new();
        for (i, order) in ctx.orders.iter().enumerate() {
            let Some(place) = order.customer.and_then(|id| table.position(id)) else {
                continue;
            };
            let customer = &table.customers()[place];
            if order.day != table.first_day(customer) {
                continue;
            }
            discount[place] |= order.discount;
            if traits.has_channel && (order.time, i) < channel_from[place] {
                channel_from[place] = (order.time, i);
                channel[place] = order.channel;
            }
            for &product in traits.products_of(order) {
                products.push((place as u32, product));
            }
        }
        products.sort_unstable();
        products.dedup();
        FirstOccasions {
            products,
            discount,
            channel,
        }
    }

    /// The product numbers of the customer at `place`, ascending.
    pub fn products_of(&self, place: usize) -> &[(u32, u32)] {
        let place = place as u32;
        let start = self.products.partition_point(|&(p, _)| p < place);
        let end = self.products.partition_point(|&(p, _)| p <= place);
        &self.products[start..end]
    }
}

/// Counts of one group.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    eligible: u64,
    converted: u64,
}

impl Tally {
    fn add(&mut self, converted: bool) {
        self.eligible += 1;
        self.converted += u64::from(converted);
    }

    fn group(self, key: String) -> DriverGroup {
        let interval = wilson(self.converted, self.eligible);
        DriverGroup {
            key,
            eligible: self.eligible,
            converted: self.converted,
            rate: ratio(self.converted, self.eligible),
            low: interval.map(|(low, _)| low),
            high: interval.map(|(_, high)| high),
            small: self.eligible < u64::from(MIN_GROUP),
        }
    }
}

/// Groups by eligible (descending), then key.
fn ranked(tallies: impl Iterator<Item = (String, Tally)>) -> Vec<DriverGroup> {
    let mut groups: Vec<DriverGroup> = tallies.map(|(key, t)| t.group(key)).collect();
    groups.sort_by(|a, b| b.eligible.cmp(&a.eligible).then_with(|| a.key.cmp(&b.key)));
    groups
}

/// F2 conversion by what the first purchase was.
pub(crate) fn compute(ctx: &Context<'_>) -> Drivers {
    let table = ctx.customers;
    let traits = ctx.traits;
    let w = ctx.options.f2_window_days;
    let cutoff = i64::from(ctx.as_of) - i64::from(w);
    let first = FirstOccasions::of(ctx);

    let mut overall = Tally::default();
    let mut products: HashMap<u32, Tally> = HashMap::new();
    let mut discount = [Tally::default(); 2];
    let mut channels: HashMap<u32, Tally> = HashMap::new();
    // (first occasion revenue, converted) of every eligible customer.
    let mut values: Vec<(i128, bool)> = Vec::new();
    for (place, customer) in table.customers().iter().enumerate() {
        let first_day = table.first_day(customer);
        if i64::from(first_day) > cutoff {
            continue;
        }
        let converted = table
            .second_day(customer)
            .is_some_and(|s| i64::from(s) - i64::from(first_day) <= i64::from(w));
        overall.add(converted);
        for &(_, product) in first.products_of(place) {
            products.entry(product).or_default().add(converted);
        }
        discount[usize::from(first.discount[place])].add(converted);
        if first.channel[place] != NO_CHANNEL {
            channels
                .entry(first.channel[place])
                .or_default()
                .add(converted);
        }
        values.push((table.occasions(customer)[0].revenue, converted));
    }

    let by_first_product = traits.has_product.then(|| {
        let name = |p: u32| {
            traits
                .products
                .get(p as usize)
                .map_or_else(String::new, |n| n.to_string())
        };
        let mut groups = ranked(products.into_iter().map(|(p, t)| (name(p), t)));
        groups.truncate(TOP_PRODUCTS);
        groups
    });
    let by_first_discount = traits.has_discount.then(|| {
        ranked(
            [
                ("without_discount", discount[0]),
                ("with_discount", discount[1]),
            ]
            .into_iter()
            .map(|(key, t)| (key.to_string(), t)),
        )
    });
    let by_first_channel = traits.has_channel.then(|| {
        let name = |c: u32| {
            traits
                .channels
                .get(c as usize)
                .map_or_else(String::new, |n| n.to_string())
        };
        let mut groups = ranked(channels.into_iter().map(|(c, t)| (name(c), t)));
        if groups.len() > TOP_CHANNELS {
            let mut other = Tally::default();
            for g in groups.drain(TOP_CHANNELS..) {
                other.eligible += g.eligible;
                other.converted += g.converted;
            }
            groups.push(other.group(OTHER_CHANNEL.to_string()));
        }
        groups
    });

    let mut sorted_values: Vec<i128> = values.iter().map(|&(v, _)| v).collect();
    sorted_values.sort_unstable();
    let cuts: Vec<Quantile> = [20, 40, 60, 80]
        .iter()
        .filter_map(|&p| Quantile::of(&sorted_values, p))
        .collect();
    let mut bands = [Tally::default(); 5];
    for &(value, converted) in &values {
        let band = cuts.iter().filter(|q| q.is_below(value)).count();
        bands[band].add(converted);
    }
    let by_first_value = ranked(
        bands
            .iter()
            .zip(1..)
            .map(|(t, band): (&Tally, u32)| (band.to_string(), *t)),
    );

    Drivers {
        window_days: w,
        eligible: overall.eligible,
        converted: overall.converted,
        rate: ratio(overall.converted, overall.eligible),
        min_group: MIN_GROUP,
        by_first_product,
        by_first_discount,
        by_first_channel,
        by_first_value,
        first_value_cut_points: cuts.into_iter().map(Quantile::money).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;
    use crate::ingest::Order;

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 5e-5,
            "got {actual}, expected {expected}"
        );
    }

    #[test]
    fn wilson_matches_newcombes_worked_examples() {
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
        // seven methods", Statistics in Medicine 17, Table I, method 3 (score interval).
        for (k, n, low, high) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let (l, h) = wilson(k, n).unwrap();
            close(l, low);
            close(h, high);
        }
        assert_eq!(wilson(0, 0), None);
        let (l, h) = wilson(10, 10).unwrap();
        // 10 of 10: the upper end is 1 (to rounding), the lower one z² / (n + z²) below it
        close(h, 1.0);
        close(l, 10.0 / (10.0 + Z95 * Z95));
    }

    /// An order with products, a discount flag and a channel.
    fn rich(
        customer: u32,
        date: &str,
        products: (u32, u32),
        discount: bool,
        channel: u32,
    ) -> Order {
        let mut o = order(Some(customer), date, 10);
        o.products_start = products.0;
        o.products_len = products.1;
        o.discount = discount;
        o.channel = channel;
        o
    }

    #[test]
    fn groups_follow_the_first_occasion_and_the_f2_eligibility() {
        // W = 365 (default), as_of 2025-01-01: cutoff 2024-01-02.
        let mut fixture = Fixture::new(
            vec![
                // 0: first day two orders: products {A, B} and {B, C}, a discount on the second;
                // second occasion 10 days later → converted
                rich(0, "2024-01-01", (0, 2), false, 0),
                rich(0, "2024-01-01", (1, 2), true, 1),
                rich(0, "2024-01-11", (3, 1), false, 1),
                // 1: product A, no discount, channel 1, never came back
                rich(1, "2023-06-01", (3, 1), false, 1),
                // 2: not eligible (first purchase after the cutoff)
                rich(2, "2024-06-01", (0, 1), true, 0),
                rich(2, "2024-06-02", (0, 1), true, 0),
            ],
            "2025-01-01",
        );
        // product lists: [A, B] at 0, [B, C] at 1..3 → start 1 covers [B, C]; [A] at 3
        fixture.traits.product_lists = vec![0, 1, 2, 0];
        fixture.traits.products = vec!["A".into(), "B".into(), "C".into()];
        fixture.traits.channels = vec!["web".into(), "instagram.com".into()];
        fixture.traits.has_product = true;
        fixture.traits.has_discount = true;
        fixture.traits.has_channel = true;
        let d = compute(&fixture.context());
        assert_eq!((d.eligible, d.converted, d.rate), (2, 1, Some(0.5)));
        let shape = |groups: &Option<Vec<DriverGroup>>| -> Vec<(String, u64, u64)> {
            groups
                .as_ref()
                .unwrap()
                .iter()
                .map(|g| (g.key.clone(), g.eligible, g.converted))
                .collect()
        };
        // customer 0 counts in A, B and C (B once); customer 1 in A
        assert_eq!(
            shape(&d.by_first_product),
            [("A".into(), 2, 1), ("B".into(), 1, 1), ("C".into(), 1, 1)]
        );
        assert_eq!(
            shape(&d.by_first_discount),
            [
                ("with_discount".into(), 1, 1),
                ("without_discount".into(), 1, 0)
            ]
        );
        // customer 0's earliest first order (same time, file order) has channel 0 ("web")
        assert_eq!(
            shape(&d.by_first_channel),
            [("instagram.com".into(), 1, 0), ("web".into(), 1, 1)]
        );
        let small = d.by_first_product.as_ref().unwrap()[0].clone();
        assert!(small.small);
        let (low, high) = wilson(1, 2).unwrap();
        assert_eq!((small.low, small.high), (Some(low), Some(high)));
    }

    #[test]
    fn the_earliest_order_by_time_gives_the_channel() {
        let mut later = rich(0, "2024-01-01", (0, 0), false, 0);
        later.time = 3600;
        let earlier = {
            let mut o = rich(0, "2024-01-01", (0, 0), false, 1);
            o.time = 60;
            o
        };
        let mut fixture = Fixture::new(vec![later, earlier], "2025-06-01");
        fixture.traits.channels = vec!["a".into(), "b".into()];
        fixture.traits.has_channel = true;
        let d = compute(&fixture.context());
        assert_eq!(d.by_first_channel.unwrap()[0].key, "b");
        assert_eq!((d.by_first_product, d.by_first_discount), (None, None));
    }

    #[test]
    fn value_bands_put_a_value_on_a_cut_point_in_the_lower_band() {
        // Eligible first-occasion values 10, 20, 20, 20, 30, 40 (n = 6): cut points at positions
        // 1, 2, 3, 4 → 20, 20, 20, 30. 10 → band 1; 20 is on the first three cuts → band 1;
        // 30 is above three and on the fourth → band 4; 40 → band 5.
        let orders = [10, 20, 20, 20, 30, 40]
            .iter()
            .zip(0..)
            .map(|(&v, c)| order(Some(c), "2023-01-01", v))
            .collect();
        let fixture = Fixture::new(orders, "2024-06-01");
        let d = compute(&fixture.context());
        assert_eq!(d.first_value_cut_points, [20.0, 20.0, 20.0, 30.0]);
        let bands: Vec<(&str, u64)> = d
            .by_first_value
            .iter()
            .map(|g| (g.key.as_str(), g.eligible))
            .collect();
        assert_eq!(bands, [("1", 4), ("4", 1), ("5", 1), ("2", 0), ("3", 0)]);
        assert_eq!(d.by_first_value.iter().map(|g| g.eligible).sum::<u64>(), 6);
        let empty = &d.by_first_value[3];
        assert_eq!(
            (empty.rate, empty.low, empty.high, empty.small),
            (None, None, None, true)
        );
    }

    #[test]
    fn channels_beyond_the_top_ten_are_other() {
        let mut orders = Vec::new();
        // channel c has c + 1 eligible customers, c = 0..12
        let mut customer = 0;
        for c in 0..12u32 {
            for _ in 0..=c {
                orders.push(rich(customer, "2023-01-01", (0, 0), false, c));
                customer += 1;
            }
        }
        let mut fixture = Fixture::new(orders, "2024-06-01");
        fixture.traits.channels = (0..12).map(|c| format!("c{c:02}").into()).collect();
        fixture.traits.has_channel = true;
        let d = compute(&fixture.context());
        let groups = d.by_first_channel.unwrap();
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(
            keys,
            ["c11", "c10", "c09", "c08", "c07", "c06", "c05", "c04", "c03", "c02", "other"]
        );
        // c00 and c01: 1 + 2 customers
        assert_eq!(groups[10].eligible, 3);
    }
}
