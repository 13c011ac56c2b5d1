//! Histogram of days from the first to the second purchase occasion: weekly bins (1–7, 8–14, …,
//! 176–182), then one open bin from 183 days.

use super::Context;
use serde::Serialize;

/// Width and count of the regular bins; one open bin follows them.
const BIN_DAYS: u32 = 7;
const BINS: u32 = 26;

/// One bin of the days-to-second-purchase histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct HistogramBin {
    /// First day of the bin (inclusive).
    pub from: u32,
    /// Last day of the bin (inclusive); `None` for the open last bin.
    pub to: Option<u32>,
    /// Customers whose second occasion fell in the bin.
    pub customers: u64,
}

/// Weekly bins of days to second purchase, then one open bin.
pub(crate) fn compute(ctx: &Context<'_>) -> Vec<HistogramBin> {
    let mut counts = vec![0u64; BINS as usize + 1];
    for gap in ctx.customers.second_purchase_gaps() {
        let bin = ((gap.max(1) - 1) / i128::from(BIN_DAYS)).min(i128::from(BINS));
        counts[bin as usize] += 1;
    }
    counts
        .into_iter()
        .zip(0u32..)
        .map(|(customers, i)| HistogramBin {
            from: i * BIN_DAYS + 1,
            to: (i < BINS).then_some((i + 1) * BIN_DAYS),
            customers,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn bins_are_weekly_with_an_open_end() {
        let fixture = Fixture::new(
            vec![
                order(Some(0), "2024-01-01", 1),
                order(Some(0), "2024-01-08", 1), // 7 days: bin 1-7
                order(Some(1), "2024-01-01", 1),
                order(Some(1), "2024-01-09", 1), // 8 days: bin 8-14
                order(Some(2), "2024-01-01", 1),
                order(Some(2), "2024-12-01", 1), // 335 days: open bin
            ],
            "2024-12-31",
        );
        let bins = compute(&fixture.context());
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
}
