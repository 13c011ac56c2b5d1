//! The metrics: pure functions from counted orders to the Report's KPIs, funnel, histogram and
//! monthly series. Definitions are the README's ("Definitions"); tests below pin them on tiny inputs.

use crate::orders::Order;
use crate::report::{DaysToSecond, FunnelStage, HistogramBin, Kpis, Month, F2};
use crate::value::{month_index, Day, MONEY_SCALE};

/// F2 windows the Report always carries, so a page can switch between them without re-reading.
pub const STANDARD_F2_WINDOWS: [u32; 5] = [30, 60, 90, 180, 365];

/// Width and count of the regular histogram bins; one open bin follows them.
const HISTOGRAM_BIN_DAYS: u32 = 7;
const HISTOGRAM_BINS: u32 = 26;

/// A customer's purchase history reduced to what the metrics need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// Day of the first occasion.
    pub first: Day,
    /// Day of the second occasion, if any.
    pub second: Option<Day>,
    /// Number of occasions (distinct order days).
    pub occasions: u32,
}

/// Per-customer histories, indexed by interned customer id (`None` for customers without a counted order).
pub fn histories(orders: &[Order], customer_count: u32) -> Vec<Option<History>> {
    // One sort of (customer, day) pairs gives every customer's distinct days in order.
    let mut pairs: Vec<u64> = orders
        .iter()
        .filter_map(|o| {
            o.customer
                .map(|c| (u64::from(c) << 32) | u64::from(o.day as u32))
        })
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = vec![None; customer_count as usize];
    for pair in pairs {
        let (customer, day) = ((pair >> 32) as usize, pair as u32 as Day);
        let Some(slot) = out.get_mut(customer) else {
            continue;
        };
        match slot {
            None => {
                *slot = Some(History {
                    first: day,
                    second: None,
                    occasions: 1,
                })
            }
            Some(h) => {
                if h.second.is_none() {
                    h.second = Some(day);
                }
                h.occasions += 1;
            }
        }
    }
    out
}

/// The headline KPIs.
/// `gaps` are the days to second purchase from [`second_purchase_gaps`].
pub fn kpis(
    orders: &[Order],
    histories: &[Option<History>],
    gaps: &[u32],
    as_of: Day,
    f2_window: u32,
) -> Kpis {
    let customers = histories.iter().flatten().count() as u64;
    let order_count = orders.len() as u64;
    let revenue_units: i128 = orders.iter().map(|o| i128::from(o.revenue)).sum();
    let with_customer = orders.iter().filter(|o| o.customer.is_some()).count() as u64;
    let repeaters = histories
        .iter()
        .flatten()
        .filter(|h| h.occasions >= 2)
        .count() as u64;
    Kpis {
        customers,
        orders: order_count,
        revenue: money(revenue_units),
        aov: ratio_f(money(revenue_units), order_count),
        orders_per_customer: ratio(with_customer, customers),
        repeat_rate: ratio(repeaters, customers),
        f2: f2(histories, as_of, f2_window),
        days_to_second: days_to_second(gaps),
    }
}

/// F2 conversion for window `w` at `as_of`.
pub fn f2(histories: &[Option<History>], as_of: Day, w: u32) -> F2 {
    let cutoff = as_of.saturating_sub(Day::try_from(w).unwrap_or(Day::MAX));
    let (mut eligible, mut converted) = (0u64, 0u64);
    for h in histories.iter().flatten().filter(|h| h.first <= cutoff) {
        eligible += 1;
        if h.second
            .is_some_and(|s| i64::from(s) - i64::from(h.first) <= i64::from(w))
        {
            converted += 1;
        }
    }
    F2 {
        window_days: w,
        eligible,
        converted,
        rate: ratio(converted, eligible),
    }
}

/// F2 for the standard windows plus `chosen` when it is not one of them.
pub fn f2_by_window(histories: &[Option<History>], as_of: Day, chosen: u32) -> Vec<F2> {
    let mut windows = STANDARD_F2_WINDOWS.to_vec();
    if !windows.contains(&chosen) {
        windows.push(chosen);
        windows.sort_unstable();
    }
    windows
        .into_iter()
        .map(|w| f2(histories, as_of, w))
        .collect()
}

/// Days from the first to the second occasion of every customer who has one, sorted.
pub fn second_purchase_gaps(histories: &[Option<History>]) -> Vec<u32> {
    let mut gaps: Vec<u32> = histories
        .iter()
        .flatten()
        .filter_map(|h| h.second.map(|s| u32::try_from(s - h.first).unwrap_or(0)))
        .collect();
    gaps.sort_unstable();
    gaps
}

fn days_to_second(gaps: &[u32]) -> DaysToSecond {
    DaysToSecond {
        count: gaps.len() as u64,
        median: quantile(gaps, 0.5),
        p25: quantile(gaps, 0.25),
        p75: quantile(gaps, 0.75),
    }
}

/// Quantile `q` of sorted values, interpolating linearly between closest ranks (position q·(n−1)).
pub fn quantile(sorted: &[u32], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q * last as f64;
    let lower = pos.floor() as usize;
    let upper = (lower + 1).min(last);
    let (a, b) = (f64::from(sorted[lower]), f64::from(sorted[upper]));
    Some(a + (b - a) * (pos - lower as f64))
}

/// Weekly bins of days to second purchase, then one open bin.
pub fn histogram(gaps: &[u32]) -> Vec<HistogramBin> {
    let mut counts = vec![0u64; HISTOGRAM_BINS as usize + 1];
    for &gap in gaps {
        let bin = (gap.saturating_sub(1) / HISTOGRAM_BIN_DAYS).min(HISTOGRAM_BINS);
        counts[bin as usize] += 1;
    }
    counts
        .into_iter()
        .zip(0u32..)
        .map(|(customers, i)| HistogramBin {
            from: i * HISTOGRAM_BIN_DAYS + 1,
            to: (i < HISTOGRAM_BINS).then_some((i + 1) * HISTOGRAM_BIN_DAYS),
            customers,
        })
        .collect()
}

/// Customers with ≥ n occasions for n = 1..5, with the rate of moving on to the next stage.
pub fn funnel(histories: &[Option<History>]) -> Vec<FunnelStage> {
    let mut at_least = [0u64; 6];
    for h in histories.iter().flatten() {
        for (n, count) in at_least.iter_mut().enumerate().skip(1) {
            if h.occasions as usize >= n {
                *count += 1;
            }
        }
    }
    (1..=5)
        .map(|n| FunnelStage {
            stage: n as u32,
            customers: at_least[n],
            next_rate: if n < 5 {
                ratio(at_least[n + 1], at_least[n])
            } else {
                None
            },
        })
        .collect()
}

/// Orders and revenue per month from the first to the last order month, split new / returning / guest.
pub fn monthly(orders: &[Order], histories: &[Option<History>]) -> Vec<Month> {
    let Some(first) = orders.iter().map(|o| month_index(o.day)).min() else {
        return Vec::new();
    };
    let last = orders
        .iter()
        .map(|o| month_index(o.day))
        .max()
        .unwrap_or(first);
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
    for o in orders {
        let kind = match o
            .customer
            .and_then(|c| histories.get(c as usize).copied().flatten())
        {
            None => GUEST,
            Some(h) if h.first == o.day => NEW,
            Some(_) => RETURNING,
        };
        let m = &mut months[(month_index(o.day) - first) as usize];
        m.orders[kind] += 1;
        m.revenue[kind] += i128::from(o.revenue);
    }
    for h in histories.iter().flatten() {
        if let Some(m) = months.get_mut((month_index(h.first) - first) as usize) {
            m.new_customers += 1;
        }
    }
    months
        .into_iter()
        .zip(first..)
        .map(|(m, index)| Month {
            month: format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
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

fn money(units: i128) -> f64 {
    // Exact for sums below 2^53 minor units; the division then rounds once.
    units as f64 / MONEY_SCALE as f64
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

fn ratio_f(numerator: f64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator / denominator as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::parse_date;

    fn day(s: &str) -> Day {
        parse_date(s.as_bytes()).unwrap()
    }

    fn order(customer: Option<u32>, date: &str, amount: i64) -> Order {
        Order {
            day: day(date),
            customer,
            revenue: amount * MONEY_SCALE,
        }
    }

    #[test]
    fn same_day_orders_are_one_occasion() {
        let orders = [
            order(Some(0), "2024-01-01", 10),
            order(Some(0), "2024-01-01", 20),
            order(Some(1), "2024-01-01", 5),
            order(Some(1), "2024-01-03", 5),
        ];
        let h = histories(&orders, 2);
        assert_eq!(
            h[0],
            Some(History {
                first: day("2024-01-01"),
                second: None,
                occasions: 1
            })
        );
        assert_eq!(h[1].unwrap().occasions, 2);
        let k = kpis(
            &orders,
            &h,
            &second_purchase_gaps(&h),
            day("2024-01-03"),
            365,
        );
        assert_eq!((k.customers, k.orders, k.revenue), (2, 4, 40.0));
        assert_eq!(k.repeat_rate, Some(0.5)); // customer 1 only
        assert_eq!(k.orders_per_customer, Some(2.0)); // 4 orders / 2 customers
        assert_eq!(k.aov, Some(10.0));
    }

    #[test]
    fn f2_eligibility_and_conversion_are_inclusive_at_the_window_edge() {
        // W = 30, as_of 2024-03-31 → cutoff 2024-03-01.
        let orders = [
            // first on the cutoff: eligible; second exactly 30 days later: converted
            order(Some(0), "2024-03-01", 1),
            order(Some(0), "2024-03-31", 1),
            // first on the cutoff; second 31 days later: eligible, not converted
            order(Some(1), "2024-01-01", 1),
            order(Some(1), "2024-02-01", 1),
            // first one day after the cutoff: not eligible even though it converted
            order(Some(2), "2024-03-02", 1),
            order(Some(2), "2024-03-03", 1),
        ];
        let h = histories(&orders, 3);
        let f = f2(&h, day("2024-03-31"), 30);
        assert_eq!((f.eligible, f.converted, f.rate), (2, 1, Some(0.5)));
        let none = f2(&h, day("2024-01-15"), 30);
        assert_eq!((none.eligible, none.rate), (0, None));
    }

    #[test]
    fn quantiles_interpolate_between_closest_ranks() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.25), Some(7.0));
        // n = 4: positions 0.75, 1.5, 2.25
        let v = [1, 2, 4, 10];
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.5), Some(3.0));
        assert_eq!(quantile(&v, 0.75), Some(5.5));
        // n = 5: positions 1, 2, 3
        assert_eq!(quantile(&[1, 3, 5, 7, 9], 0.75), Some(7.0));
    }

    #[test]
    fn funnel_counts_customers_with_at_least_n_occasions() {
        let mut orders = Vec::new();
        // customer c has c+1 occasions on distinct days: 1, 2, 3, 4, 5, 6 occasions
        for c in 0..6u32 {
            for d in 0..=c {
                orders.push(order(Some(c), &format!("2024-01-{:02}", d + 1), 1));
            }
        }
        let f = funnel(&histories(&orders, 6));
        let counts: Vec<u64> = f.iter().map(|s| s.customers).collect();
        assert_eq!(counts, vec![6, 5, 4, 3, 2]);
        assert_eq!(f[0].next_rate, Some(5.0 / 6.0));
        assert_eq!(f[3].next_rate, Some(2.0 / 3.0));
        assert_eq!(f[4].next_rate, None);
    }

    #[test]
    fn histogram_bins_are_weekly_with_an_open_end() {
        let orders = [
            order(Some(0), "2024-01-01", 1),
            order(Some(0), "2024-01-08", 1), // 7 days: bin 1-7
            order(Some(1), "2024-01-01", 1),
            order(Some(1), "2024-01-09", 1), // 8 days: bin 8-14
            order(Some(2), "2024-01-01", 1),
            order(Some(2), "2024-12-01", 1), // 335 days: open bin
        ];
        let bins = histogram(&second_purchase_gaps(&histories(&orders, 3)));
        assert_eq!(bins.len(), 27);
        assert_eq!(
            (bins[0].from, bins[0].to, bins[0].customers),
            (1, Some(7), 1)
        );
        assert_eq!(
            (bins[1].from, bins[1].to, bins[1].customers),
            (8, Some(14), 1)
        );
        assert_eq!(
            (bins[26].from, bins[26].to, bins[26].customers),
            (183, None, 1)
        );
    }

    #[test]
    fn monthly_splits_new_returning_and_guest_and_fills_gaps() {
        let orders = [
            order(Some(0), "2024-01-05", 10),
            order(Some(0), "2024-01-05", 5), // same first day: new too
            order(None, "2024-01-20", 7),
            order(Some(0), "2024-03-02", 20),
        ];
        let m = monthly(&orders, &histories(&orders, 1));
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
