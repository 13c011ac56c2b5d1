//! The recoverable problems ingest reports in `input.warnings`, each with a stable code and its
//! arguments, so that the page can word them in Japanese or English; `Display` is the English sentence
//! the command line prints. The codes and arguments are listed in the README ("Warnings").

use crate::error::quote;
use crate::report::Warning;
use crate::string_enum::string_enum;
use std::collections::BTreeMap;
use std::fmt;

string_enum! {
    /// The kind of a warning in `input.warnings`, stable across versions (README "Warnings and errors").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum WarningCode {
        /// A date that could not be read; the row is skipped.
        NotADate = "not_a_date",
        /// An amount that could not be read; the row is skipped.
        NotAnAmount = "not_an_amount",
        /// A quantity that is not a whole number; the row is skipped.
        NotAQuantity = "not_a_quantity",
        /// Price × quantity does not fit; the row is skipped.
        LineTooLarge = "line_too_large",
        /// The order's line items would not fit; the row is skipped.
        LineSumTooLarge = "line_sum_too_large",
        /// An order with no date on any row; its rows are skipped.
        OrderWithoutDate = "order_without_date",
        /// An order with no amount on any row; its rows are skipped.
        OrderWithoutAmount = "order_without_amount",
        /// The order's amount less its refund does not fit; its rows are skipped.
        RefundTooLarge = "refund_too_large",
        /// A later row of an order has another date; the first row's is used.
        DateDisagrees = "date_disagrees",
        /// A later row of an order has another total; the first row's is used.
        TotalDisagrees = "total_disagrees",
        /// A later row of an order names another customer; the first row's is used.
        CustomerDisagrees = "customer_disagrees",
        /// How many rows disagreed in all, when more than the listed ones.
        DisagreementsInAll = "disagreements_in_all",
        /// A quote opened on this line and ran on; its lines were read as rows of their own.
        RunawayQuote = "runaway_quote",
        /// The currency column holds more than one currency.
        MixedCurrency = "mixed_currency",
        /// The platform's export carries no customer identity.
        NoIdentity = "no_identity",
        /// The file has no customer id or e-mail column.
        NoCustomerColumn = "no_customer_column",
        /// Year-last dates of both day/month orders; the majority's order is used.
        MixedDayOrder = "mixed_day_order",
        /// Year-last dates that no date of the column settles; read month-first.
        AmbiguousDates = "ambiguous_dates",
        /// A subscription delivery number that is not a whole number from 1; the row is skipped.
        NotADeliveryNumber = "not_a_delivery_number",
        /// An order dated after today; left out as an outlier.
        DateAfterToday = "date_after_today",
        /// An order more than two years from the file's history; left out as an outlier.
        DateIsolated = "date_isolated",
        /// How many orders were left out for outlier dates, when more than the listed ones.
        OutlierDatesInAll = "outlier_dates_in_all",
        /// A row with more fields than the header, the extra ones not empty; the row is skipped.
        ExtraFields = "extra_fields",
        /// Rows with empty fields beyond the header's; they are read, the first one located.
        ExtraEmptyFields = "extra_empty_fields",
        /// A row holding a NUL byte; the row is skipped.
        NulByte = "nul_byte",
        /// Rows holding bytes that are not UTF-8 (read as U+FFFD); the first one located.
        NotUtf8 = "not_utf8",
        /// The encoding was a close call between the one chosen and another.
        EncodingCloseCall = "encoding_close_call",
    }
}

/// One recoverable problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// A date that could not be read; the row is skipped.
    NotADate { value: String },
    /// An amount that could not be read; the row is skipped.
    NotAnAmount { value: String },
    /// A quantity that is not a whole number; the row is skipped.
    NotAQuantity { value: String },
    /// Price × quantity does not fit; the row is skipped.
    LineTooLarge,
    /// The order's line items would not fit; the row is skipped.
    LineSumTooLarge,
    /// An order with no date on any row; its rows are skipped.
    OrderWithoutDate,
    /// An order with no amount on any row; its rows are skipped.
    OrderWithoutAmount,
    /// The order's amount less its refund does not fit; its rows are skipped.
    RefundTooLarge,
    /// A later row of an order has another date; the first row's is used.
    DateDisagrees { value: String, first: String },
    /// A later row of an order has another total; the first row's is used.
    TotalDisagrees { value: String, first: String },
    /// A later row of an order names another customer; the first row's is used.
    CustomerDisagrees { value: String },
    /// How many rows disagreed in all, when more than the listed ones.
    DisagreementsInAll { count: u64 },
    /// A quote opened on this line and ran on; its lines were read as rows of their own.
    RunawayQuote { lines: u64 },
    /// The currency column holds more than one currency.
    MixedCurrency { first: String, other: String },
    /// The platform's export carries no customer identity.
    NoIdentity { platform: &'static str },
    /// The file has no customer id or e-mail column.
    NoCustomerColumn,
    /// Year-last dates of both day/month orders; the majority's order is used.
    MixedDayOrder {
        month_first: u64,
        day_first: u64,
        chosen: &'static str,
    },
    /// Year-last dates that no date of the column settles; read month-first.
    AmbiguousDates { count: u64 },
    /// A subscription delivery number that is not a whole number from 1; the row is skipped.
    NotADeliveryNumber { value: String },
    /// An order dated after today; left out as an outlier.
    DateAfterToday { value: String, today: String },
    /// An order more than two years from the file's history; left out as an outlier.
    DateIsolated { value: String },
    /// How many orders were left out for outlier dates, when more than the listed ones.
    OutlierDatesInAll { count: u64 },
    /// A row with more fields than the header, the extra ones not empty; the row is skipped.
    ExtraFields { fields: u64, header: u64 },
    /// Rows with empty fields beyond the header's; they are read, the first one located.
    ExtraEmptyFields { count: u64 },
    /// A row holding a NUL byte; the row is skipped.
    NulByte,
    /// Rows holding bytes that are not UTF-8 (read as U+FFFD); the first one located.
    NotUtf8 { count: u64 },
    /// The encoding was a close call: `chosen` over `other`, for what the first 64 KiB held.
    EncodingCloseCall {
        chosen: &'static str,
        other: &'static str,
        utf8_chars: u64,
        not_utf8: u64,
    },
}

/// Every argument name of every notice, and `shard`, which a merged partial state adds to located
/// warnings (a partial state's warnings are read back by them).
pub(crate) const ARG_NAMES: &[&str] = &[
    "chosen",
    "count",
    "day_first",
    "fields",
    "first",
    "header",
    "lines",
    "month_first",
    "not_utf8",
    "other",
    "platform",
    "shard",
    "today",
    "utf8_chars",
    "value",
];

impl Notice {
    /// The stable code.
    pub fn code(&self) -> WarningCode {
        match self {
            Notice::NotADate { .. } => WarningCode::NotADate,
            Notice::NotAnAmount { .. } => WarningCode::NotAnAmount,
            Notice::NotAQuantity { .. } => WarningCode::NotAQuantity,
            Notice::LineTooLarge => WarningCode::LineTooLarge,
            Notice::LineSumTooLarge => WarningCode::LineSumTooLarge,
            Notice::OrderWithoutDate => WarningCode::OrderWithoutDate,
            Notice::OrderWithoutAmount => WarningCode::OrderWithoutAmount,
            Notice::RefundTooLarge => WarningCode::RefundTooLarge,
            Notice::DateDisagrees { .. } => WarningCode::DateDisagrees,
            Notice::TotalDisagrees { .. } => WarningCode::TotalDisagrees,
            Notice::CustomerDisagrees { .. } => WarningCode::CustomerDisagrees,
            Notice::DisagreementsInAll { .. } => WarningCode::DisagreementsInAll,
            Notice::RunawayQuote { .. } => WarningCode::RunawayQuote,
            Notice::MixedCurrency { .. } => WarningCode::MixedCurrency,
            Notice::NoIdentity { .. } => WarningCode::NoIdentity,
            Notice::NoCustomerColumn => WarningCode::NoCustomerColumn,
            Notice::MixedDayOrder { .. } => WarningCode::MixedDayOrder,
            Notice::AmbiguousDates { .. } => WarningCode::AmbiguousDates,
            Notice::NotADeliveryNumber { .. } => WarningCode::NotADeliveryNumber,
            Notice::DateAfterToday { .. } => WarningCode::DateAfterToday,
            Notice::DateIsolated { .. } => WarningCode::DateIsolated,
            Notice::OutlierDatesInAll { .. } => WarningCode::OutlierDatesInAll,
            Notice::ExtraFields { .. } => WarningCode::ExtraFields,
            Notice::ExtraEmptyFields { .. } => WarningCode::ExtraEmptyFields,
            Notice::NulByte => WarningCode::NulByte,
            Notice::NotUtf8 { .. } => WarningCode::NotUtf8,
            Notice::EncodingCloseCall { .. } => WarningCode::EncodingCloseCall,
        }
    }

    /// The arguments of the message, by name.
    pub fn args(&self) -> BTreeMap<&'static str, String> {
        let pairs: Vec<(&'static str, String)> = match self {
            Notice::NotADate { value }
            | Notice::NotAnAmount { value }
            | Notice::NotAQuantity { value }
            | Notice::CustomerDisagrees { value }
            | Notice::NotADeliveryNumber { value }
            | Notice::DateIsolated { value } => vec![("value", value.clone())],
            Notice::DateAfterToday { value, today } => {
                vec![("value", value.clone()), ("today", today.clone())]
            }
            Notice::DateDisagrees { value, first } | Notice::TotalDisagrees { value, first } => {
                vec![("value", value.clone()), ("first", first.clone())]
            }
            Notice::DisagreementsInAll { count }
            | Notice::AmbiguousDates { count }
            | Notice::OutlierDatesInAll { count }
            | Notice::ExtraEmptyFields { count }
            | Notice::NotUtf8 { count } => {
                vec![("count", count.to_string())]
            }
            Notice::ExtraFields { fields, header } => {
                vec![
                    ("fields", fields.to_string()),
                    ("header", header.to_string()),
                ]
            }
            Notice::EncodingCloseCall {
                chosen,
                other,
                utf8_chars,
                not_utf8,
            } => vec![
                ("chosen", (*chosen).to_string()),
                ("other", (*other).to_string()),
                ("utf8_chars", utf8_chars.to_string()),
                ("not_utf8", not_utf8.to_string()),
            ],
            Notice::RunawayQuote { lines } => vec![("lines", lines.to_string())],
            Notice::MixedCurrency { first, other } => {
                vec![("first", first.clone()), ("other", other.clone())]
            }
            Notice::NoIdentity { platform } => vec![("platform", (*platform).to_string())],
            Notice::MixedDayOrder {
                month_first,
                day_first,
                chosen,
            } => vec![
                ("month_first", month_first.to_string()),
                ("day_first", day_first.to_string()),
                ("chosen", (*chosen).to_string()),
            ],
            Notice::LineTooLarge
            | Notice::LineSumTooLarge
            | Notice::OrderWithoutDate
            | Notice::OrderWithoutAmount
            | Notice::RefundTooLarge
            | Notice::NoCustomerColumn
            | Notice::NulByte => Vec::new(),
        };
        pairs.into_iter().collect()
    }
}

impl Notice {
    /// The warning the Report lists for this notice.
    pub fn warning(&self, row: Option<u64>, column: Option<String>) -> Warning {
        Warning {
            row,
            column,
            message: self.to_string(),
            code: self.code(),
            args: self.args(),
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::NotADate { value } => write!(f, "{} is not a date", quote(value)),
            Notice::NotAnAmount { value } => write!(f, "{} is not an amount", quote(value)),
            Notice::NotAQuantity { value } => write!(f, "{} is not a whole quantity", quote(value)),
            Notice::LineTooLarge => write!(f, "price × quantity is too large"),
            Notice::LineSumTooLarge => write!(f, "the sum of the order's line items is too large"),
            Notice::OrderWithoutDate => write!(f, "the order has no date"),
            Notice::OrderWithoutAmount => write!(f, "the order has no amount"),
            Notice::RefundTooLarge => write!(f, "the order's amount less its refund is too large"),
            Notice::DateDisagrees { value, first } => write!(
                f,
                "this row's date {value} differs from the first row of its order ({first}); the first row's is used"
            ),
            Notice::TotalDisagrees { value, first } => write!(
                f,
                "this row's total {value} differs from the first row of its order ({first}); the first row's is used"
            ),
            Notice::CustomerDisagrees { value } => write!(
                f,
                "this row names customer {} but the first row of its order names another; the first row's is used",
                quote(value)
            ),
            Notice::DisagreementsInAll { count } => write!(
                f,
                "{count} rows in all disagree with the first row of their order (date, total or customer); \
                 the first row's values are used"
            ),
            Notice::RunawayQuote { lines } => write!(
                f,
                "a quote opens a value on this line and is not closed where the row ends; the next {lines} \
                 lines would have been read as part of that value, so each line was read as a row of its own \
                 (check the quotes on this line)"
            ),
            Notice::MixedCurrency { first, other } => write!(
                f,
                "more than one currency ({first} and {other}): amounts are added up as they are"
            ),
            Notice::NoIdentity { platform } => write!(
                f,
                "this {platform} export carries no customer identity (no customer id, e-mail or name): every \
                 order counts as a guest order and repeat purchases cannot be analysed; use a report that \
                 names the buyer"
            ),
            Notice::NoCustomerColumn => write!(
                f,
                "the file has no customer id or e-mail column: every order counts as a guest order and \
                 repeat purchases cannot be analysed"
            ),
            Notice::MixedDayOrder {
                month_first,
                day_first,
                chosen,
            } => write!(
                f,
                "the dates mix month-first ({month_first} values such as 12/13) and day-first ({day_first} \
                 values such as 13/12) orders; the {chosen} order is used"
            ),
            Notice::AmbiguousDates { count } => write!(
                f,
                "{count} dates such as 1/5 could be month-first or day-first and no date settles it; they \
                 are read month-first (January 5)"
            ),
            Notice::NotADeliveryNumber { value } => write!(
                f,
                "{} is not a delivery number (a whole number from 1)",
                quote(value)
            ),
            Notice::DateAfterToday { value, today } => write!(
                f,
                "{} is after today ({today}): the order is left out as a likely typo (keep such dates \
                 with the keep-outlier-dates option)",
                quote(value)
            ),
            Notice::DateIsolated { value } => write!(
                f,
                "{} is more than two years away from every other order date: the order is left out as a \
                 likely typo (keep such dates with the keep-outlier-dates option)",
                quote(value)
            ),
            Notice::OutlierDatesInAll { count } => write!(
                f,
                "{count} orders in all were left out for outlier dates (after today, or more than two \
                 years away from every other order date)"
            ),
            Notice::ExtraFields { fields, header } => write!(
                f,
                "this row has {fields} fields where the header has {header}: a value holds an unquoted \
                 delimiter (such as the thousands separator in 1,200), so no column can be trusted; the \
                 row is skipped"
            ),
            Notice::ExtraEmptyFields { count } => write!(
                f,
                "rows ending in empty fields beyond the header's: {count} (the first on this line); they \
                 are read without them"
            ),
            Notice::NulByte => write!(
                f,
                "this row holds a NUL byte, which text does not: the file is damaged here; the row is \
                 skipped"
            ),
            Notice::NotUtf8 { count } => write!(
                f,
                "rows holding bytes that are not UTF-8, read as \u{FFFD}: {count} (the first on this \
                 line); if names look wrong, read the file again in its encoding"
            ),
            Notice::EncodingCloseCall {
                chosen,
                other,
                utf8_chars,
                not_utf8,
            } => write!(
                f,
                "the file is read as {chosen}, not {other}: its first 64 KiB hold characters that read \
                 as UTF-8 ({utf8_chars}) and bytes that do not ({not_utf8}); if the text looks wrong, read \
                 it again as {other}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_has_its_own_code_and_its_arguments_appear_in_the_english_sentence() {
        let notices = [
            Notice::NotADate {
                value: "2024-13-45".into(),
            },
            Notice::NotAnAmount { value: "x".into() },
            Notice::NotAQuantity {
                value: "1.5".into(),
            },
            Notice::LineTooLarge,
            Notice::LineSumTooLarge,
            Notice::OrderWithoutDate,
            Notice::OrderWithoutAmount,
            Notice::RefundTooLarge,
            Notice::DateDisagrees {
                value: "2024-01-02".into(),
                first: "2024-01-01".into(),
            },
            Notice::TotalDisagrees {
                value: "12".into(),
                first: "10".into(),
            },
            Notice::CustomerDisagrees {
                value: "b@x.com".into(),
            },
            Notice::DisagreementsInAll { count: 7 },
            Notice::RunawayQuote { lines: 95 },
            Notice::MixedCurrency {
                first: "JPY".into(),
                other: "USD".into(),
            },
            Notice::NoIdentity {
                platform: "Amazon All Orders report",
            },
            Notice::NoCustomerColumn,
            Notice::MixedDayOrder {
                month_first: 3,
                day_first: 2,
                chosen: "month-first",
            },
            Notice::AmbiguousDates { count: 4 },
            Notice::NotADeliveryNumber {
                value: "first".into(),
            },
            Notice::DateAfterToday {
                value: "2124-01-05".into(),
                today: "2026-12-03".into(),
            },
            Notice::DateIsolated {
                value: "1900-01-01".into(),
            },
            Notice::OutlierDatesInAll { count: 9 },
            Notice::ExtraFields {
                fields: 5,
                header: 4,
            },
            Notice::ExtraEmptyFields { count: 12 },
            Notice::NulByte,
            Notice::NotUtf8 { count: 3 },
            Notice::EncodingCloseCall {
                chosen: "UTF-8",
                other: "Shift_JIS",
                utf8_chars: 40,
                not_utf8: 6,
            },
        ];
        let codes: Vec<WarningCode> = notices.iter().map(Notice::code).collect();
        assert_eq!(codes, WarningCode::ALL, "every notice, one code each");
        let mut distinct: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), notices.len(), "codes are distinct");
        for notice in &notices {
            let sentence = notice.to_string();
            for name in notice.args().keys() {
                assert!(ARG_NAMES.contains(name), "ARG_NAMES lacks {name:?}");
            }
            for value in notice.args().values() {
                assert!(
                    sentence.contains(value.as_str()),
                    "{sentence:?} lacks {value:?}"
                );
            }
        }
    }
}
