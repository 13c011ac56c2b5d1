//! The limit on what a file's amounts may add up to, so that every sum of money in the Report (revenue
//! of all orders, of a month, of a cohort, of a customer, …) is the exact total of its orders' minor
//! units as a JSON number: the CLI's `--json` and the page (a JavaScript number) carry a double, and a
//! double prints a decimal exactly when the decimal has at most 15 significant digits, or is a whole
//! number of at most 2^53.
//!
//! The limit is on the sum of the orders' absolute amounts, which bounds every such sum. When every
//! amount is whole, it is 2^53 currency units; otherwise, when every amount is a multiple of 10^-d
//! currency units (d = 1 to 4 decimals), it is 10^(15 − d) units. A file beyond it is refused, naming the
//! line of the order at which the running sum passes it.

use super::orders::Order;
use super::values::MONEY_SCALE;

/// The largest whole number a double holds with every smaller one: 2^53.
const EXACT_WHOLE: i128 = 1 << 53;

/// The limit for `orders`, in minor units, and as the Report would write it.
fn limit(orders: &[Order]) -> (i128, String) {
    // The fewest trailing zeros of any amount in minor units (4: every amount is whole).
    let zeros = orders
        .iter()
        .map(|o| {
            let mut r = o.revenue;
            let mut z = 0;
            while z < 4 && r % 10 == 0 {
                r /= 10;
                z += 1;
            }
            z
        })
        .min()
        .unwrap_or(4);
    if zeros == 4 {
        (
            EXACT_WHOLE * i128::from(MONEY_SCALE),
            EXACT_WHOLE.to_string(),
        )
    } else {
        let decimals = 4 - zeros;
        // 10^(15 − d) units = 10^(15 − d + 4) minor units.
        let units = 10i128.pow(15 - decimals);
        (units * i128::from(MONEY_SCALE), units.to_string())
    }
}

/// The first line of the order (`first_lines` by order) at which the sum of the absolute amounts passes
/// the limit, with the limit as text; `None` when the sums stay within it.
pub(crate) fn first_beyond(orders: &[Order], first_lines: &[u64]) -> Option<(u64, String)> {
    let (limit, text) = limit(orders);
    let mut sum: i128 = 0;
    for (order, &line) in orders.iter().zip(first_lines) {
        sum += i128::from(order.revenue).abs();
        if sum > limit {
            return Some((line, text));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders(minor_units: &[i64]) -> Vec<Order> {
        minor_units
            .iter()
            .map(|&r| Order::plain(0, None, r))
            .collect()
    }

    #[test]
    fn whole_amounts_may_add_up_to_2_pow_53_and_decimals_to_15_digits() {
        let lines: Vec<u64> = (2..20).collect();
        let unit = MONEY_SCALE;
        // Ten orders of 9 × 10^14 and one of 7199254740992 add up to 2^53 = 9007199254740992 exactly.
        let big = 900_000_000_000_000 * unit;
        let mut amounts = vec![big; 10];
        amounts.push(7_199_254_740_992 * unit);
        assert_eq!(first_beyond(&orders(&amounts), &lines), None);
        amounts.push(unit);
        assert_eq!(
            first_beyond(&orders(&amounts), &lines),
            Some((13, "9007199254740992".to_string()))
        );
        // Negative amounts count by their size.
        amounts.pop();
        amounts.push(-unit);
        assert_eq!(
            first_beyond(&orders(&amounts), &lines),
            Some((13, "9007199254740992".to_string()))
        );
        // With cents (12.5 has one decimal, 0.01 two): 10^13 currency units.
        let cents = orders(&[10_000_000_000_000 * unit - 100, 100]);
        assert_eq!(first_beyond(&cents, &lines), None);
        let cents = orders(&[10_000_000_000_000 * unit - 100, 200]);
        assert_eq!(
            first_beyond(&cents, &lines),
            Some((3, "10000000000000".to_string()))
        );
        assert_eq!(limit(&orders(&[125_000])).1, "100000000000000");
        assert_eq!(limit(&orders(&[1])).1, "100000000000");
    }
}
