//! F2 conversion (window W days): *eligible* = customers whose first occasion is on or before
//! as_of − W; *converted* = eligible customers whose second occasion is at most W days after the first;
//! *rate* = converted / eligible (`None` when nobody is eligible). The Report carries the standard
//! windows so a page can switch between them without re-reading the file.

use super::{ratio, Context};
use crate::ingest::values::Day;
use serde::Serialize;

/// F2 windows the Report always carries.
pub const STANDARD_F2_WINDOWS: [u32; 5] = [30, 60, 90, 180, 365];

/// F2 conversion within a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct F2 {
    /// W, in days.
    pub window_days: u32,
    /// Customers whose first occasion is on or before as_of − W.
    pub eligible: u64,
    /// Eligible customers whose second occasion is at most W days after the first.
    pub converted: u64,
    /// converted / eligible.
    pub rate: Option<f64>,
}

/// F2 conversion for window `w`.
pub(crate) fn f2(ctx: &Context<'_>, w: u32) -> F2 {
    let table = ctx.customers;
    let cutoff = i64::from(ctx.as_of) - i64::from(w);
    let (mut eligible, mut converted) = (0u64, 0u64);
    for c in table.customers() {
        let first: Day = table.first_day(c);
        if i64::from(first) > cutoff {
            continue;
        }
        eligible += 1;
        if table
            .second_day(c)
            .is_some_and(|s| i64::from(s) - i64::from(first) <= i64::from(w))
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

/// F2 for the standard windows plus the chosen one when it is not among them.
pub(crate) fn by_window(ctx: &Context<'_>) -> Vec<F2> {
    let chosen = ctx.options.f2_window_days;
    let mut windows = STANDARD_F2_WINDOWS.to_vec();
    if !windows.contains(&chosen) {
        windows.push(chosen);
        windows.sort_unstable();
    }
    windows.into_iter().map(|w| f2(ctx, w)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{day, order, Fixture};
    use super::*;

    #[test]
    fn eligibility_and_conversion_are_inclusive_at_the_window_edge() {
        // W = 30, as_of 2024-03-31 → cutoff 2024-03-01.
        let mut fixture = Fixture::new(
            vec![
                // first on the cutoff: eligible; second exactly 30 days later: converted
                order(Some(0), "2024-03-01", 1),
                order(Some(0), "2024-03-31", 1),
                // first before the cutoff; second 31 days later: eligible, not converted
                order(Some(1), "2024-01-01", 1),
                order(Some(1), "2024-02-01", 1),
                // first one day after the cutoff: not eligible even though it converted
                order(Some(2), "2024-03-02", 1),
                order(Some(2), "2024-03-03", 1),
            ],
            "2024-03-31",
        );
        let f = f2(&fixture.context(), 30);
        assert_eq!((f.eligible, f.converted, f.rate), (2, 1, Some(0.5)));
        fixture.as_of = day("2024-01-15");
        let none = f2(&fixture.context(), 30);
        assert_eq!((none.eligible, none.rate), (0, None));
    }

    #[test]
    fn a_chosen_window_outside_the_standard_ones_is_added_in_order() {
        let mut fixture = Fixture::new(vec![order(Some(0), "2024-01-01", 1)], "2024-12-31");
        fixture.options.f2_window_days = 45;
        let windows: Vec<u32> = by_window(&fixture.context())
            .iter()
            .map(|f| f.window_days)
            .collect();
        assert_eq!(windows, [30, 45, 60, 90, 180, 365]);
    }
}
