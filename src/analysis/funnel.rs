//! The purchase funnel: stage n (1..5, 5 meaning 5 or more) counts customers with ≥ n occasions;
//! next_rate = customers(≥ n+1) / customers(≥ n) (`None` for stage 5).

use super::{ratio, Context};
use serde::Serialize;

/// One funnel stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct FunnelStage {
    /// n = 1..5 (5 = 5 or more occasions).
    pub stage: u32,
    /// Customers with ≥ n occasions.
    pub customers: u64,
    /// customers(≥ n+1) / customers(≥ n); `None` for the last stage.
    pub next_rate: Option<f64>,
}

/// Customers with ≥ n occasions for n = 1..5, with the rate of moving on to the next stage.
pub(crate) fn compute(ctx: &Context<'_>) -> Vec<FunnelStage> {
    let table = ctx.customers;
    let mut at_least = [0u64; 7];
    for c in table.customers() {
        at_least[table.occasion_count(c).min(6) as usize] += 1;
    }
    // Turn "exactly n" into "at least n".
    for n in (1..6).rev() {
        at_least[n] += at_least[n + 1];
    }
    (1..=5)
        .map(|n| FunnelStage {
            stage: n as u32,
            customers: at_least[n],
            next_rate: (n < 5)
                .then(|| ratio(at_least[n + 1], at_least[n]))
                .flatten(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{order, Fixture};
    use super::*;

    #[test]
    fn counts_customers_with_at_least_n_occasions() {
        let mut orders = Vec::new();
        // customer c has c+1 occasions on distinct days: 1, 2, 3, 4, 5, 6 occasions
        for c in 0..6u32 {
            for d in 0..=c {
                orders.push(order(Some(c), &format!("2024-01-{:02}", d + 1), 1));
            }
        }
        let fixture = Fixture::new(orders, "2024-01-31");
        let f = compute(&fixture.context());
        let counts: Vec<u64> = f.iter().map(|s| s.customers).collect();
        assert_eq!(counts, vec![6, 5, 4, 3, 2]);
        assert_eq!(f[0].next_rate, Some(5.0 / 6.0));
        assert_eq!(f[3].next_rate, Some(2.0 / 3.0));
        assert_eq!(f[4].next_rate, None);
    }
}
