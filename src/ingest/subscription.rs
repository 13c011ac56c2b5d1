//! Subscription (定期購入) values of an order, read from the roles `subscription_id`, `delivery_number`,
//! `subscription` (a flag or the order's tags) and `cancelled_on` (解約日): which orders are
//! subscription deliveries, which subscription each belongs to, its delivery number and the
//! subscription's cancellation date. The `subscriptions` analysis starts from the
//! [`SubscriptionMark`] each such order carries.

use super::values::{trim, Day};

/// [`super::Order::subscription`] of an order that is not a subscription delivery.
pub(crate) const NO_SUBSCRIPTION: u32 = u32::MAX;
/// [`SubscriptionMark::id`] of a delivery without a subscription id (its unit is its customer).
pub(crate) const NO_SUBSCRIPTION_ID: u32 = u32::MAX;

/// What a subscription delivery carries besides the order's own day, customer and revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubscriptionMark {
    /// Interned subscription id ([`super::OrderTraits::subscription_ids`]), or [`NO_SUBSCRIPTION_ID`].
    pub id: u32,
    /// The delivery number written in the file (1 for the first delivery), if any.
    pub delivery: Option<u32>,
    /// The subscription's cancellation date written on this order, if any.
    pub cancelled_on: Option<Day>,
}

/// The subscription values of one order, gathered from its rows (the first non-empty value of each
/// wins; the order is flagged when any row is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PendingMark {
    /// A row's flag says subscription.
    pub flagged: bool,
    /// The mark as read so far.
    pub mark: SubscriptionMark,
}

impl Default for PendingMark {
    fn default() -> Self {
        PendingMark {
            flagged: false,
            mark: SubscriptionMark {
                id: NO_SUBSCRIPTION_ID,
                delivery: None,
                cancelled_on: None,
            },
        }
    }
}

impl PendingMark {
    /// Whether the order is a subscription delivery: flagged, or with a subscription id or a delivery
    /// number.
    pub fn is_delivery(&self) -> bool {
        self.flagged || self.mark.id != NO_SUBSCRIPTION_ID || self.mark.delivery.is_some()
    }
}

/// Whether a `subscription` value says "subscription order": 定期, yes, y, true, 1 (case and full-width
/// aside), or any text containing "subscription" (Shopify subscription apps' tags such as
/// "Subscription First Order, vip") or 定期 (定期購入, 定期便). 通常, no, false, 0, empty and any other
/// text say no.
pub fn is_subscription_flag(raw: &[u8]) -> bool {
    let raw = trim(raw);
    // Most values (Shopify's tags on every row) are plain ASCII: answered without allocating.
    if raw.is_ascii() {
        return [&b"yes"[..], b"y", b"true", b"1"]
            .iter()
            .any(|word| raw.eq_ignore_ascii_case(word))
            || raw
                .windows(b"subscription".len())
                .any(|w| w.eq_ignore_ascii_case(b"subscription"));
    }
    let text = String::from_utf8_lossy(raw);
    let folded: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let folded = folded.trim();
    matches!(folded, "yes" | "y" | "true" | "1" | "○" | "〇")
        || folded.contains("subscription")
        || folded.contains("定期")
}

/// A delivery number: a whole number from 1, optionally written `第3回`, `3回`, `3回目` (full-width
/// digits too); `None` otherwise.
pub fn parse_delivery_number(raw: &[u8]) -> Option<u32> {
    let text = String::from_utf8_lossy(trim(raw));
    let text = text.trim();
    let text = text.strip_prefix('第').unwrap_or(text);
    let text = text
        .strip_suffix("回目")
        .or_else(|| text.strip_suffix('回'))
        .unwrap_or(text)
        .trim();
    if text.is_empty() || text.chars().count() > 9 {
        return None;
    }
    let mut number: u32 = 0;
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        number = number * 10 + digit;
    }
    (number >= 1).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_say_yes_for_subscription_words_and_no_for_everything_else() {
        for yes in [
            "定期",
            "定期購入",
            "Yes",
            "TRUE",
            "1",
            "１",
            "Subscription First Order",
            "vip, subscription recurring order",
        ] {
            assert!(is_subscription_flag(yes.as_bytes()), "{yes}");
        }
        for no in ["通常", "no", "false", "0", "", "vip, wholesale", "2"] {
            assert!(!is_subscription_flag(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn delivery_numbers_are_whole_numbers_from_one() {
        assert_eq!(parse_delivery_number(b"3"), Some(3));
        assert_eq!(parse_delivery_number(" 12 ".as_bytes()), Some(12));
        assert_eq!(parse_delivery_number("３回目".as_bytes()), Some(3));
        assert_eq!(parse_delivery_number("第2回".as_bytes()), Some(2));
        assert_eq!(parse_delivery_number(b"0"), None);
        assert_eq!(parse_delivery_number(b"1.5"), None);
        assert_eq!(parse_delivery_number(b"-1"), None);
        assert_eq!(parse_delivery_number(b"first"), None);
        assert_eq!(parse_delivery_number(b"9999999999"), None);
    }
}
