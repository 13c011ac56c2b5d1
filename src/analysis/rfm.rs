//! RFM scores and named segments.
//!
//! - R and M cut points are the 20/40/60/80 % quantiles of recency_days (as_of − last purchase) and of
//!   customer revenue over all customers (linear interpolation between closest ranks). A value's bin is
//!   how many cut points are strictly below it, so a value equal to a cut point takes the lower bin;
//!   R = 5 − bin (the most recent are 5), M = 1 + bin.
//! - F comes from purchase occasions by band starts, default 1, 2, 3, 4, 6 (F 1..5 = 1, 2, 3, 4–5,
//!   6+ occasions): F is the highest band whose start the customer reaches.
//! - `rf_grid[r-1][f-1]` holds the customers and revenue of each R×F cell.
//! - Segments partition the R×F grid (every customer in exactly one): see [`Segment::of`].

use super::{money, sorted, Context, Quantile};
use serde::Serialize;

/// The quantiles (in %) that cut R and M into five bins.
const CUT_PERCENTS: [u32; 4] = [20, 40, 60, 80];

/// Default F band starts: 1, 2, 3, 4–5, 6+ occasions.
pub const DEFAULT_F_BAND_STARTS: [u32; 5] = [1, 2, 3, 4, 6];

/// RFM scoring of every customer, summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct Rfm {
    /// The 20/40/60/80 % quantiles of recency_days (empty when there are no customers).
    pub recency_cut_points_days: Vec<f64>,
    /// The 20/40/60/80 % quantiles of customer revenue (empty when there are no customers).
    pub monetary_cut_points: Vec<f64>,
    /// Occasions at which F bands 1..5 start.
    pub f_band_starts: Vec<u32>,
    /// Customers with R score 1..5 (index 0 = score 1).
    pub r_counts: Vec<u64>,
    /// Customers with F score 1..5.
    pub f_counts: Vec<u64>,
    /// Customers with M score 1..5.
    pub m_counts: Vec<u64>,
    /// `rf_grid[r-1][f-1]`: the customers and revenue of each R×F cell.
    pub rf_grid: Vec<Vec<RfCell>>,
    /// The named segments, in [`Segment::ALL`] order.
    pub segments: Vec<SegmentSummary>,
}

/// One cell of the R×F grid, or one segment's totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct RfCell {
    /// Customers.
    pub customers: u64,
    /// Their revenue.
    pub revenue: f64,
}

/// A named segment's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct SegmentSummary {
    /// The segment.
    pub key: Segment,
    /// Customers in it.
    pub customers: u64,
    /// Their revenue.
    pub revenue: f64,
}

/// The named RFM segments (keys as in the Report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// R 4–5, F 4–5 (優良顧客).
    Champions,
    /// R 3–5 with F 3, or R 3 with F 4–5 (安定顧客).
    Loyal,
    /// R 4–5, F 2 (育成顧客).
    Promising,
    /// R 4–5, F 1 (新規顧客).
    New,
    /// R 3, F 1–2 (要注意顧客).
    NeedsAttention,
    /// R 2, F 2–3 (離反予備軍).
    AtRisk,
    /// R 1–2, F 4–5 (離反しかけの優良顧客).
    CantLose,
    /// R 2, F 1 (休眠予備軍).
    AboutToSleep,
    /// R 1, F 1–3 (離脱顧客).
    Lost,
}

impl Segment {
    /// Every segment, in Report order.
    pub const ALL: [Segment; 9] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::Promising,
        Segment::New,
        Segment::NeedsAttention,
        Segment::AtRisk,
        Segment::CantLose,
        Segment::AboutToSleep,
        Segment::Lost,
    ];

    /// The segment of an R×F cell (scores 1..5).
    pub fn of(r: u8, f: u8) -> Segment {
        match (r, f) {
            (4..=5, 4..=5) => Segment::Champions,
            (3..=5, 3) | (3, 4..=5) => Segment::Loyal,
            (4..=5, 2) => Segment::Promising,
            (4..=5, _) => Segment::New,
            (3, _) => Segment::NeedsAttention,
            (2, 2..=3) => Segment::AtRisk,
            (_, 4..=5) => Segment::CantLose,
            (2, _) => Segment::AboutToSleep,
            _ => Segment::Lost,
        }
    }

    /// The key used in the Report and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::Loyal => "loyal",
            Segment::Promising => "promising",
            Segment::New => "new",
            Segment::NeedsAttention => "needs_attention",
            Segment::AtRisk => "at_risk",
            Segment::CantLose => "cant_lose",
            Segment::AboutToSleep => "about_to_sleep",
            Segment::Lost => "lost",
        }
    }

    /// The segment with this key.
    pub fn from_key(key: &str) -> Option<Segment> {
        Segment::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One customer's scores, each 1..5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scores {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

impl Scores {
    pub fn segment(self) -> Segment {
        Segment::of(self.r, self.f)
    }
}

/// The cut points and every customer's scores, in customer-table order.
pub(crate) struct Scoring {
    /// Of recency in days.
    recency_cuts: Vec<Quantile>,
    /// Of customer revenue in minor units.
    monetary_cuts: Vec<Quantile>,
    pub scores: Vec<Scores>,
}

/// How many cut points are strictly below `value`.
fn bin(cuts: &[Quantile], value: i128) -> u8 {
    cuts.iter().filter(|cut| cut.is_below(value)).count() as u8
}

/// Scores every customer.
pub(crate) fn score(ctx: &Context<'_>) -> Scoring {
    let table = ctx.customers;
    let recency = |c| i128::from(ctx.recency_days(c));
    let cuts = |sorted: Vec<i128>| -> Vec<Quantile> {
        CUT_PERCENTS
            .iter()
            .filter_map(|&p| Quantile::of(&sorted, p))
            .collect()
    };
    let recency_cuts = cuts(sorted(table.customers().iter().map(recency)));
    let monetary_cuts = cuts(sorted(table.customers().iter().map(|c| c.revenue)));
    let starts = &ctx.options.f_band_starts;
    let scores = table
        .customers()
        .iter()
        .map(|c| {
            let occasions = table.occasion_count(c);
            Scores {
                r: 5 - bin(&recency_cuts, recency(c)),
                f: starts.iter().filter(|&&s| occasions >= s).count().max(1) as u8,
                m: 1 + bin(&monetary_cuts, c.revenue),
            }
        })
        .collect();
    Scoring {
        recency_cuts,
        monetary_cuts,
        scores,
    }
}

/// The RFM section.
pub(crate) fn compute(ctx: &Context<'_>) -> Rfm {
    let table = ctx.customers;
    let scoring = score(ctx);
    let mut r_counts = vec![0u64; 5];
    let mut f_counts = vec![0u64; 5];
    let mut m_counts = vec![0u64; 5];
    let mut grid = [[(0u64, 0i128); 5]; 5];
    let mut segments = [(0u64, 0i128); Segment::ALL.len()];
    for (c, s) in table.customers().iter().zip(&scoring.scores) {
        r_counts[usize::from(s.r - 1)] += 1;
        f_counts[usize::from(s.f - 1)] += 1;
        m_counts[usize::from(s.m - 1)] += 1;
        let cell = &mut grid[usize::from(s.r - 1)][usize::from(s.f - 1)];
        cell.0 += 1;
        cell.1 += c.revenue;
        let segment = &mut segments[s.segment() as usize];
        segment.0 += 1;
        segment.1 += c.revenue;
    }
    Rfm {
        recency_cut_points_days: scoring.recency_cuts.iter().map(|q| q.value()).collect(),
        monetary_cut_points: scoring.monetary_cuts.iter().map(|q| q.money()).collect(),
        f_band_starts: ctx.options.f_band_starts.to_vec(),
        r_counts,
        f_counts,
        m_counts,
        rf_grid: grid
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&(customers, revenue)| RfCell {
                        customers,
                        revenue: money(revenue),
                    })
                    .collect()
            })
            .collect(),
        segments: Segment::ALL
            .iter()
            .zip(segments)
            .map(|(&key, (customers, revenue))| SegmentSummary {
                key,
                customers,
                revenue: money(revenue),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn every_cell_of_the_grid_has_the_documented_segment() {
        use Segment::*;
        // Rows R 5..1, columns F 1..5, as DESIGN.md's table reads.
        let expected = [
            [New, Promising, Loyal, Champions, Champions], // R 5
            [New, Promising, Loyal, Champions, Champions], // R 4
            [NeedsAttention, NeedsAttention, Loyal, Loyal, Loyal], // R 3
            [AboutToSleep, AtRisk, AtRisk, CantLose, CantLose], // R 2
            [Lost, Lost, Lost, CantLose, CantLose],        // R 1
        ];
        for (row, r) in expected.iter().zip([5u8, 4, 3, 2, 1]) {
            for (&segment, f) in row.iter().zip(1u8..) {
                assert_eq!(Segment::of(r, f), segment, "R {r} F {f}");
            }
        }
        for segment in Segment::ALL {
            assert_eq!(Segment::from_key(segment.key()), Some(segment));
        }
    }

    /// Ten customers with recency 0, 10, …, 90 days and revenue 10, 20, …, 100: the 20 % quantile of
    /// recency is at position 0.2 × 9 = 1.8 → 18 days, and so on (18, 36, 54, 72); revenue cuts are 28,
    /// 46, 64, 82.
    fn ten_customers() -> Fixture {
        let as_of = chrono::NaiveDate::from_ymd_opt(2024, 4, 10).unwrap();
        let orders = (0..10u32)
            .map(|i| {
                let date = as_of - chrono::Days::new(u64::from(i) * 10);
                order(Some(i), &date.to_string(), i64::from(i + 1) * 10)
            })
            .collect();
        Fixture::new(orders, &as_of.to_string())
    }

    #[test]
    fn cut_points_are_quantiles_and_a_value_on_a_cut_point_takes_the_lower_bin() {
        let fixture = ten_customers();
        let rfm = compute(&fixture.context());
        assert_eq!(rfm.recency_cut_points_days, [18.0, 36.0, 54.0, 72.0]);
        assert_eq!(rfm.monetary_cut_points, [28.0, 46.0, 64.0, 82.0]);
        // Recency 0, 10 → R 5; 20, 30 → R 4; ... 80, 90 → R 1. Two per score.
        assert_eq!(rfm.r_counts, [2, 2, 2, 2, 2]);
        assert_eq!(rfm.m_counts, [2, 2, 2, 2, 2]);
        assert_eq!(rfm.f_counts, [10, 0, 0, 0, 0]);

        // Cut points that equal a value: recency 0, 0, 0, 0, 10 → cuts 0, 0, 0, 2 (positions 0.8,
        // 1.6, 2.4, 3.2). The customers at 0 days are equal to three cut points, below none: bin 0, R 5.
        let mut orders = Vec::new();
        for i in 0..4u32 {
            orders.push(order(Some(i), "2024-04-10", 10));
        }
        orders.push(order(Some(4), "2024-03-31", 10));
        let fixture = Fixture::new(orders, "2024-04-10");
        let rfm = compute(&fixture.context());
        assert_eq!(rfm.recency_cut_points_days, [0.0, 0.0, 0.0, 2.0]);
        assert_eq!(rfm.r_counts, [1, 0, 0, 0, 4]); // 10 days is above all four cuts: R 1
                                                   // Every revenue equals every cut point (10): bin 0, M 1 for all.
        assert_eq!(rfm.m_counts, [5, 0, 0, 0, 0]);
    }

    #[test]
    fn f_bands_follow_the_band_starts() {
        let mut orders = Vec::new();
        // customer c has c + 1 occasions, c = 0..7
        for c in 0..8u32 {
            for d in 0..=c {
                orders.push(order(Some(c), &format!("2024-01-{:02}", d + 1), 1));
            }
        }
        let mut fixture = Fixture::new(orders, "2024-01-31");
        // default 1, 2, 3, 4, 6: occasions 1→F1, 2→F2, 3→F3, 4,5→F4, 6,7,8→F5
        assert_eq!(compute(&fixture.context()).f_counts, [1, 1, 1, 2, 3]);
        fixture.options.f_band_starts = [1, 3, 5, 7, 8];
        // 1,2→F1, 3,4→F2, 5,6→F3, 7→F4, 8→F5
        assert_eq!(compute(&fixture.context()).f_counts, [2, 2, 2, 1, 1]);
    }

    #[test]
    fn grid_and_segments_partition_customers_and_revenue() {
        let fixture = ten_customers();
        let rfm = compute(&fixture.context());
        let grid_customers: u64 = rfm.rf_grid.iter().flatten().map(|c| c.customers).sum();
        let segment_customers: u64 = rfm.segments.iter().map(|s| s.customers).sum();
        let segment_revenue: f64 = rfm.segments.iter().map(|s| s.revenue).sum();
        assert_eq!((grid_customers, segment_customers), (10, 10));
        assert_eq!(segment_revenue, 550.0);
        // All have F 1: R 5 and 4 → new (4 customers), R 3 → needs_attention, R 2 → about_to_sleep, R 1 → lost.
        let count = |key: Segment| {
            rfm.segments
                .iter()
                .find(|s| s.key == key)
                .unwrap()
                .customers
        };
        assert_eq!(count(Segment::New), 4);
        assert_eq!(count(Segment::NeedsAttention), 2);
        assert_eq!(count(Segment::AboutToSleep), 2);
        assert_eq!(count(Segment::Lost), 2);
    }

    #[test]
    fn no_customers_give_empty_cut_points_and_zero_counts() {
        let fixture = Fixture::new(vec![order(None, "2024-01-01", 5)], "2024-01-01");
        let rfm = compute(&fixture.context());
        assert!(rfm.recency_cut_points_days.is_empty());
        assert_eq!(rfm.segments.len(), 9);
        assert!(rfm.segments.iter().all(|s| s.customers == 0));
    }
}
