//! When customers come back: for n = 1..4, the days from a customer's n-th to its (n+1)-th purchase
//! occasion, over the customers with at least n + 1 occasions (occasions are days, so a gap is at least
//! 1), counted in fixed buckets of whole days (1–10, 11–30, 31–60, 61–90, 91–180, 181–360, 361+, both
//! ends inclusive) with the median, p25 and p75 (linear interpolation between closest ranks, as
//! `kpis.days_to_second`).
//!
//! `follow_up_day` is the p25 of the days from the first to the second occasion over every customer
//! with a second occasion: the day after the first purchase by which a quarter of the eventual second
//! purchases have happened ("send the follow-up around day N"). It equals `kpis.days_to_second.p25`.

use super::{quantile, Context};
use serde::Serialize;

/// The buckets' labels, in order.
pub const TIMING_BUCKETS: [&str; 7] = [
    "1-10", "11-30", "31-60", "61-90", "91-180", "181-360", "361+",
];

/// The last day of each bucket but the open last one.
const BUCKET_ENDS: [i128; 6] = [10, 30, 60, 90, 180, 360];

/// The last step's `from`: steps run 1 → 2, …, 4 → 5.
const LAST_STEP: u32 = 4;

/// The time between purchases.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Timing {
    /// The bucket labels, `"1-10"` … `"361+"` (days, both ends inclusive).
    pub buckets: Vec<String>,
    /// One entry per step, 1 → 2 … 4 → 5.
    pub steps: Vec<TimingStep>,
    /// p25 of the days from the first to the second occasion: the day by which a quarter of the
    /// eventual second purchases have happened.
    pub follow_up_day: Option<f64>,
}

/// Days from one purchase occasion to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct TimingStep {
    /// n: the occasion the gap starts at.
    pub from: u32,
    /// n + 1.
    pub to: u32,
    /// Customers with at least n + 1 occasions.
    pub customers: u64,
    /// Customers per bucket, in the order of `buckets`.
    pub counts: Vec<u64>,
    /// Median of the days.
    pub median: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
}

/// The bucket a gap of `days` (≥ 1) falls in.
fn bucket(days: i128) -> usize {
    BUCKET_ENDS
        .iter()
        .position(|&end| days <= end)
        .unwrap_or(BUCKET_ENDS.len())
}

/// The time between purchases.
pub(crate) fn compute(ctx: &Context<'_>) -> Timing {
    let table = ctx.customers;
    let mut gaps: Vec<Vec<i128>> = vec![Vec::new(); LAST_STEP as usize];
    for customer in table.customers() {
        let occasions = table.occasions(customer);
        for (step, pair) in gaps.iter_mut().zip(occasions.windows(2)) {
            step.push(i128::from(pair[1].day - pair[0].day));
        }
    }
    let mut follow_up_day = None;
    let steps = gaps
        .into_iter()
        .zip(1u32..)
        .map(|(mut days, from)| {
            days.sort_unstable();
            let mut counts = vec![0u64; TIMING_BUCKETS.len()];
            for &d in &days {
                counts[bucket(d)] += 1;
            }
            let p25 = quantile(&days, 25);
            if from == 1 {
                follow_up_day = p25;
            }
            TimingStep {
                from,
                to: from + 1,
                customers: days.len() as u64,
                counts,
                median: quantile(&days, 50),
                p25,
                p75: quantile(&days, 75),
            }
        })
        .collect();
    Timing {
        buckets: TIMING_BUCKETS.iter().map(|b| (*b).to_string()).collect(),
        steps,
        follow_up_day,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn buckets_are_inclusive_ranges_of_whole_days() {
        let edges = [
            (1, 0),
            (10, 0),
            (11, 1),
            (30, 1),
            (31, 2),
            (60, 2),
            (61, 3),
            (90, 3),
            (91, 4),
            (180, 4),
            (181, 5),
            (360, 5),
            (361, 6),
            (5000, 6),
        ];
        for (days, expected) in edges {
            assert_eq!(bucket(days), expected, "{days} days");
        }
    }

    #[test]
    fn each_step_counts_the_customers_who_reached_the_next_occasion() {
        let fixture = Fixture::new(
            vec![
                // customer 0: occasions Jan 1, Jan 11 (+10), Feb 10 (+30), May 10 (+90), Nov 6 (+180)
                order(Some(0), "2024-01-01", 1),
                order(Some(0), "2024-01-01", 1), // same day: one occasion
                order(Some(0), "2024-01-11", 1),
                order(Some(0), "2024-02-10", 1),
                order(Some(0), "2024-05-10", 1),
                order(Some(0), "2024-11-06", 1),
                // customer 1: Jan 1, Jan 12 (+11), Jan 13 (+1)
                order(Some(1), "2024-01-01", 1),
                order(Some(1), "2024-01-12", 1),
                order(Some(1), "2024-01-13", 1),
                // customer 2: 2023-01-01, 2024-01-01 (+365)
                order(Some(2), "2023-01-01", 1),
                order(Some(2), "2024-01-01", 1),
                // customer 3: one occasion only
                order(Some(3), "2024-03-01", 1),
            ],
            "2024-12-31",
        );
        let t = compute(&fixture.context());
        assert_eq!(t.buckets, TIMING_BUCKETS);
        let shape: Vec<(u32, u32, u64)> = t
            .steps
            .iter()
            .map(|s| (s.from, s.to, s.customers))
            .collect();
        assert_eq!(shape, [(1, 2, 3), (2, 3, 2), (3, 4, 1), (4, 5, 1)]);
        // step 1: 10, 11, 365 → buckets 1-10, 11-30, 361+; p25 at position 0.5 = 10.5, median 11,
        // p75 at position 1.5 = (11 + 365) / 2 = 188
        let s1 = &t.steps[0];
        assert_eq!(s1.counts, [1, 1, 0, 0, 0, 0, 1]);
        assert_eq!(
            (s1.p25, s1.median, s1.p75),
            (Some(10.5), Some(11.0), Some(188.0))
        );
        assert_eq!(t.follow_up_day, Some(10.5));
        // step 2: 1, 30 → p25 = 1 + 29 × 0.25 = 8.25, median 15.5, p75 22.75
        let s2 = &t.steps[1];
        assert_eq!(s2.counts, [1, 1, 0, 0, 0, 0, 0]);
        assert_eq!(
            (s2.p25, s2.median, s2.p75),
            (Some(8.25), Some(15.5), Some(22.75))
        );
        assert_eq!(t.steps[2].counts, [0, 0, 0, 1, 0, 0, 0]); // 90
        assert_eq!(t.steps[3].counts, [0, 0, 0, 0, 1, 0, 0]); // 180
        assert_eq!(t.steps[3].median, Some(180.0));
    }

    #[test]
    fn without_repeat_purchases_every_step_is_empty() {
        let fixture = Fixture::new(vec![order(Some(0), "2024-01-01", 1)], "2024-01-01");
        let t = compute(&fixture.context());
        assert_eq!(t.steps.len(), 4);
        assert!(t
            .steps
            .iter()
            .all(|s| s.customers == 0 && s.median.is_none() && s.counts == [0; 7]));
        assert_eq!(t.follow_up_day, None);
    }
}
