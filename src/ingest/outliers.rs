//! Outlier dates: orders whose date is most likely a typo (2124 for 2024, 1900 for a missing date),
//! which would otherwise move `as_of` or stretch every monthly series across centuries.
//!
//! The rule (README "Definitions", **Outlier dates**), over the orders that count once the file is read
//! (so that it does not depend on how the input was chunked):
//!
//! 1. An order dated after `today` (the machine's date, given by the shell; none in the library's
//!    default options) is an outlier.
//! 2. The other orders, sorted by date, are split into runs wherever two consecutive order dates are
//!    more than [`MAX_GAP_DAYS`] apart. The run with the most orders (the later one on a tie) is the
//!    file's history. Another run is an outlier run when it is a handful: at most [`HANDFUL`] orders or
//!    fewer than 1 % of these orders, and at most half as many orders as the history's run.
//!
//! A history with orders in most months has no gap of two years, so it is never split.

use super::notices::Notice;
use super::orders::Order;
use super::values::{format_day, Day};

/// Two consecutive order dates further apart than this (two years, a leap day included) split runs.
pub const MAX_GAP_DAYS: i32 = 731;

/// A run of at most this many orders apart from the history is an outlier run.
pub const HANDFUL: usize = 5;

/// The outlier-date check's settings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DateChecks {
    /// Today: orders dated after it are outliers (none: no such check).
    pub today: Option<Day>,
    /// Keep outlier orders in the analysis (no check at all).
    pub keep: bool,
}

/// Why an order's date is an outlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outlier {
    /// Dated after today.
    AfterToday,
    /// More than [`MAX_GAP_DAYS`] from every order of the file's history.
    Isolated,
}

/// The outlier among orders dated `days` (by the orders' positions): `None` for an order that stays.
pub(crate) fn find(days: &[Day], today: Option<Day>) -> Vec<Option<Outlier>> {
    let mut found: Vec<Option<Outlier>> = days
        .iter()
        .map(|&day| {
            today
                .is_some_and(|t| day > t)
                .then_some(Outlier::AfterToday)
        })
        .collect();
    let mut order: Vec<usize> = (0..days.len()).filter(|&i| found[i].is_none()).collect();
    order.sort_by_key(|&i| (days[i], i));
    // Runs as ranges of `order`.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for k in 1..=order.len() {
        let split = k == order.len() || days[order[k]] - days[order[k - 1]] > MAX_GAP_DAYS;
        if split {
            runs.push(start..k);
            start = k;
        }
    }
    let Some(history) = runs
        .iter()
        .enumerate()
        .max_by_key(|(i, run)| (run.len(), *i))
        .map(|(i, _)| i)
    else {
        return found;
    };
    let total = order.len();
    let history_len = runs[history].len();
    for (i, run) in runs.iter().enumerate() {
        let len = run.len();
        let handful = len <= HANDFUL || len * 100 < total;
        if i != history && handful && len * 2 <= history_len {
            for &index in &order[run.clone()] {
                found[index] = Some(Outlier::Isolated);
            }
        }
    }
    found
}

/// How many orders left out for outlier dates are listed among the warnings.
const MAX_OUTLIER_WARNINGS: u64 = 5;

/// Leaves the orders with outlier dates ([`find`]) out of `orders` (whose first lines are
/// `first_lines`, and whose dates read the other way are `other_readings`, by position); answers how
/// many, with the notices to list (a located one for the first few, then the count of all).
pub(crate) fn leave_out(
    orders: &mut Vec<Order>,
    first_lines: &mut Vec<u64>,
    other_readings: &mut Vec<(u32, Day)>,
    today: Option<Day>,
) -> (u64, Vec<(Option<u64>, Notice)>) {
    let days: Vec<Day> = orders.iter().map(|o| o.day).collect();
    let found = find(&days, today);
    let mut count = 0;
    let mut notices = Vec::new();
    for ((order, line), outlier) in orders.iter().zip(first_lines.iter()).zip(&found) {
        let Some(outlier) = outlier else { continue };
        count += 1;
        if count <= MAX_OUTLIER_WARNINGS {
            let value = format_day(order.day);
            let notice = match (outlier, today) {
                (Outlier::AfterToday, Some(today)) => Notice::DateAfterToday {
                    value,
                    today: format_day(today),
                },
                _ => Notice::DateIsolated { value },
            };
            notices.push((Some(*line), notice));
        }
    }
    if count > MAX_OUTLIER_WARNINGS {
        notices.push((None, Notice::OutlierDatesInAll { count }));
    }
    if count > 0 {
        // The new position of each order that stays.
        let mut kept = 0u32;
        let place: Vec<Option<u32>> = found
            .iter()
            .map(|o| {
                o.is_none().then(|| {
                    kept += 1;
                    kept - 1
                })
            })
            .collect();
        other_readings.retain_mut(|(index, _)| match place.get(*index as usize) {
            Some(Some(new)) => {
                *index = *new;
                true
            }
            _ => false,
        });
        let mut flags = found.iter();
        orders.retain(|_| flags.next().is_some_and(Option::is_none));
        let mut flags = found.iter();
        first_lines.retain(|_| flags.next().is_some_and(Option::is_none));
    }
    (count, notices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::values::parse_date;

    fn day(s: &str) -> Day {
        parse_date(s.as_bytes()).unwrap()
    }

    fn outliers(dates: &[&str], today: Option<&str>) -> Vec<(usize, Outlier)> {
        let days: Vec<Day> = dates.iter().map(|d| day(d)).collect();
        find(&days, today.map(day))
            .into_iter()
            .enumerate()
            .filter_map(|(i, o)| o.map(|o| (i, o)))
            .collect()
    }

    #[test]
    fn a_typo_far_before_or_after_the_history_is_isolated() {
        let mut dates = vec!["2024-01-05", "2024-02-01", "2024-03-01", "2023-12-24"];
        dates.push("1900-01-01");
        dates.push("2124-05-01");
        assert_eq!(
            outliers(&dates, None),
            [(4, Outlier::Isolated), (5, Outlier::Isolated)]
        );
        // After today: an outlier whatever the gap.
        assert_eq!(
            outliers(
                &["2024-01-05", "2024-02-01", "2024-02-02"],
                Some("2024-02-01")
            ),
            [(2, Outlier::AfterToday)]
        );
        // On today: not after it.
        assert_eq!(
            outliers(&["2024-01-05", "2024-02-01"], Some("2024-02-01")),
            []
        );
    }

    #[test]
    fn the_gap_must_be_more_than_731_days() {
        // 2022-01-01 → 2024-01-02 is 731 days (2023 has no leap day; 2024-01-01 is day 730 + 1).
        let base = ["2024-01-02", "2024-01-03", "2024-01-04"];
        let mut at_edge = base.to_vec();
        at_edge.push("2022-01-01");
        assert_eq!(outliers(&at_edge, None), []);
        let mut past_edge = base.to_vec();
        past_edge.push("2021-12-31"); // 732 days
        assert_eq!(outliers(&past_edge, None), [(3, Outlier::Isolated)]);
    }

    #[test]
    fn runs_of_comparable_size_are_all_history() {
        // Three orders in 2019 and three in 2024: neither is a handful beside the other.
        let dates = [
            "2019-01-01",
            "2019-02-01",
            "2019-03-01",
            "2024-01-01",
            "2024-02-01",
            "2024-03-01",
        ];
        assert_eq!(outliers(&dates, None), []);
        // Six isolated orders among 1,000 (under 1 %) are outliers; twelve among 1,000 are not.
        let history: Vec<String> = (0..1000)
            .map(|i| {
                let d = day("2020-01-01") + i;
                crate::ingest::values::format_day(d)
            })
            .collect();
        let mut dates: Vec<&str> = history.iter().map(String::as_str).collect();
        dates.extend(["1990-05-05"; 6]);
        assert_eq!(outliers(&dates, None).len(), 6);
        dates.extend(["1990-05-05"; 6]);
        assert_eq!(outliers(&dates, None), []);
    }

    #[test]
    fn twenty_years_of_orders_in_most_months_are_never_outliers() {
        // Orders in 3 of every 4 months (a gap of at most two months) for 20 years, one to three a
        // month.
        let mut days = Vec::new();
        for month in 0..240 {
            if month % 4 == 3 {
                continue;
            }
            let first = day(&format!("{}-{:02}-01", 2004 + month / 12, 1 + month % 12));
            for k in 0..(1 + month % 3) {
                days.push(first + 9 * k);
            }
        }
        assert!(find(&days, Some(day("2024-12-31")))
            .iter()
            .all(Option::is_none));
        // Even with one order alone in its first year and a pause of 23 months after it.
        days.push(day("2002-01-31"));
        assert!(find(&days, None).iter().all(Option::is_none));
    }
}
