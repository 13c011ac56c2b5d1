//! Parsing of single field values: calendar dates and money amounts, straight from bytes.
//!
//! Both parsers are allocation-free; they run once per order on the ingest hot path.

use chrono::{Datelike, NaiveDate};

/// A calendar date as a day number (days since 0001-01-01, which is day 1), cheap to compare and subtract.
pub type Day = i32;

/// Number of minor units in one currency unit: amounts keep four decimals exactly.
pub const MONEY_SCALE: i64 = 10_000;

/// Converts a day number back to a date.
pub fn day_to_date(day: Day) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day)
}

/// Converts a date to its day number.
pub fn date_to_day(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

/// `YYYY-MM-DD` for a day number.
pub fn format_day(day: Day) -> String {
    match day_to_date(day) {
        // Plain formatting: chrono's `format` parses its pattern on every call (customer lists write
        // three dates per customer).
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        None => String::from("invalid date"),
    }
}

/// The month index (year × 12 + month − 1) of a day number.
pub fn month_index(day: Day) -> i32 {
    day_to_date(day).map_or(0, |d| d.year() * 12 + d.month0() as i32)
}

/// `YYYY-MM` for a month index.
pub fn month_name(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

/// The month index of a `YYYY-MM` value, if it is one.
pub fn parse_month(value: &str) -> Option<i32> {
    let (year, month) = value.trim().split_once('-')?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(year, 4..=4) || !digits(month, 1..=2) {
        return None;
    }
    let (year, month): (i32, i32) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then(|| year * 12 + month - 1)
}

/// Parses the calendar date at the start of a date or date-time value, ignoring any time and offset.
///
/// Accepts `2024-03-05`, `2024/3/5`, `2024.03.05`, `20240305`, `2024年3月5日`, each optionally followed by a
/// time (`2024-03-05 09:50:26 +0200`, `2024-03-05T09:50:26Z`), and RFC 2822 (`Tue, 5 Mar 2024 09:50:26 +0000`).
pub fn parse_date(raw: &[u8]) -> Option<Day> {
    let s = trim(raw);
    parse_year_first(s).or_else(|| parse_rfc2822_date(s))
}

/// `YYYY-MM-DD` and its variants.
fn parse_year_first(s: &[u8]) -> Option<Day> {
    let (year, rest) = (s.get(..4)?, &s[4..]);
    if !year.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year = year
        .iter()
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    let (month, day, rest) = if let Some((month, rest)) = compact_two(rest) {
        // YYYYMMDD
        let (day, rest) = compact_two(rest)?;
        (month, day, rest)
    } else {
        let (sep, rest) = take_separator(rest)?;
        let (month, rest) = take_digits(rest, 1, 2)?;
        let rest = expect_separator(rest, sep)?;
        let (day, rest) = take_digits(rest, 1, 2)?;
        let rest = if sep == Sep::Kanji {
            rest.strip_prefix("日".as_bytes())?
        } else {
            rest
        };
        (month, day, rest)
    };
    // Whatever follows must be a time part, not more digits of something else.
    match rest.first() {
        None | Some(b' ' | b'T' | b't' | b'\t' | b'(' | b'Z') => {}
        Some(_) => return None,
    }
    ymd(year, month, day)
}

/// Years outside this range are taken as typing errors rather than order dates.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

fn ymd(year: u32, month: u32, day: u32) -> Option<Day> {
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day).map(date_to_day)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Byte(u8),
    Kanji,
}

fn take_separator(s: &[u8]) -> Option<(Sep, &[u8])> {
    match s.first()? {
        b @ (b'-' | b'/' | b'.') => Some((Sep::Byte(*b), &s[1..])),
        _ => s
            .strip_prefix("年".as_bytes())
            .map(|rest| (Sep::Kanji, rest)),
    }
}

fn expect_separator(s: &[u8], sep: Sep) -> Option<&[u8]> {
    match sep {
        Sep::Byte(b) => s.strip_prefix(&[b]),
        Sep::Kanji => s.strip_prefix("月".as_bytes()),
    }
}

/// Exactly two digits, for the compact `YYYYMMDD` form.
fn compact_two(s: &[u8]) -> Option<(u32, &[u8])> {
    match s {
        [a, b, rest @ ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some((u32::from(a - b'0') * 10 + u32::from(b - b'0'), rest))
        }
        _ => None,
    }
}

fn take_digits(s: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let n = s
        .iter()
        .take(max + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n < min || n > max {
        return None;
    }
    let value = s[..n]
        .iter()
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((value, &s[n..]))
}

/// `[Day-name, ] D Mon YYYY ...` (RFC 2822), the form BigCommerce exports use.
fn parse_rfc2822_date(s: &[u8]) -> Option<Day> {
    let s = match s.iter().position(|&b| b == b',') {
        Some(comma) => trim(&s[comma + 1..]),
        None => s,
    };
    let mut parts = s.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let (day, rest) = take_digits(parts.next()?, 1, 2)?;
    if !rest.is_empty() {
        return None;
    }
    let month = month_from_name(parts.next()?)?;
    let (year, rest) = take_digits(parts.next()?, 4, 4)?;
    if !rest.is_empty() {
        return None;
    }
    ymd(year, month, day)
}

fn month_from_name(name: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let prefix = name.get(..3)?;
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(prefix))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Parses an amount into minor units ([`MONEY_SCALE`] per unit), rounding half away from zero past four decimals.
///
/// Accepts an optional sign (or accounting parentheses), currency signs and codes around the number
/// (`¥`, `￥`, `$`, `€`, `£`, `円`, `JPY`), `,` thousands separators and `.` as the decimal point.
pub fn parse_money(raw: &[u8]) -> Option<i64> {
    let mut s = trim(raw);
    let mut negative = false;
    if let Some(inner) = s.strip_prefix(b"(").and_then(|r| r.strip_suffix(b")")) {
        negative = true;
        s = trim(inner);
    }
    s = strip_currency(s);
    match s.first() {
        Some(b'-') => {
            negative = !negative;
            s = &s[1..];
        }
        Some(b'+') => s = &s[1..],
        _ => {}
    }
    s = strip_currency(s);

    let mut units: i64 = 0;
    let mut fraction_digits = 0u32;
    let mut seen_point = false;
    let mut seen_digit = false;
    let mut round_up = false;
    for &b in s {
        match b {
            b'0'..=b'9' if seen_point && fraction_digits >= 4 => {
                // Only the first dropped digit decides the rounding.
                if fraction_digits == 4 {
                    round_up = b >= b'5';
                    fraction_digits += 1;
                }
            }
            b'0'..=b'9' => {
                units = units.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                seen_digit = true;
                if seen_point {
                    fraction_digits += 1;
                }
            }
            b',' if !seen_point && seen_digit => {}
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let kept = fraction_digits.min(4);
    units = units.checked_mul(10i64.pow(4 - kept))?;
    if round_up {
        units = units.checked_add(1)?;
    }
    Some(if negative { -units } else { units })
}

/// Parses a whole, non-negative quantity (`3`, `3.0`, ` 12 `).
pub fn parse_quantity(raw: &[u8]) -> Option<i64> {
    let units = parse_money(raw)?;
    (units >= 0 && units % MONEY_SCALE == 0).then_some(units / MONEY_SCALE)
}

fn strip_currency(s: &[u8]) -> &[u8] {
    // Shift_JIS has the yen sign at 0x5C, which decodes as a backslash.
    const SIGNS: [&str; 9] = ["¥", "￥", "\\", "$", "€", "£", "円", "JPY", "USD"];
    let plain =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
    if plain(s.first()) && plain(s.last()) {
        return s;
    }
    let mut s = s;
    for sign in SIGNS {
        if let Some(rest) = s.strip_prefix(sign.as_bytes()) {
            s = trim(rest);
        }
        if let Some(rest) = s.strip_suffix(sign.as_bytes()) {
            s = trim(rest);
        }
    }
    s
}

/// The most characters of file text (a header name, a currency, a customer's e-mail or name) that
/// the Report and customer lists carry; longer text is cut, with an ellipsis.
pub const MAX_TEXT_CHARS: usize = 200;

/// A field as text: invalid UTF-8 replaced, trimmed, at most [`MAX_TEXT_CHARS`] characters.
pub fn bounded_text(raw: &[u8]) -> String {
    // Decoding at most 4 bytes per character keeps a huge value from being copied whole.
    let head = &raw[..raw.len().min(4 * MAX_TEXT_CHARS + 4)];
    let text = String::from_utf8_lossy(trim(head));
    let text = text.trim();
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None if head.len() < raw.len() => format!("{text}…"),
        None => text.to_string(),
    }
}

/// Characters trimmed like spaces besides ASCII white space: the ideographic space (U+3000), the
/// byte-order mark / zero-width no-break space (U+FEFF), zero-width space, non-joiner and joiner
/// (U+200B–U+200D) and the word joiner (U+2060). All are three bytes in UTF-8, starting E2 or E3 or EF.
const INVISIBLE: [&[u8]; 6] = [
    "\u{3000}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    "\u{200B}".as_bytes(),
    "\u{200C}".as_bytes(),
    "\u{200D}".as_bytes(),
    "\u{2060}".as_bytes(),
];

/// Trims ASCII white space and the [`INVISIBLE`] characters from both ends.
pub fn trim(s: &[u8]) -> &[u8] {
    let invisible_lead = |b: Option<&u8>| matches!(b, Some(0xE2 | 0xE3 | 0xEF));
    let mut s = s.trim_ascii();
    // The lead-byte checks keep the common case (plain text) to one comparison per end.
    while invisible_lead(s.first()) {
        match INVISIBLE.iter().find(|c| s.starts_with(c)) {
            Some(c) => s = s[c.len()..].trim_ascii(),
            None => break,
        }
    }
    while s.len() >= 3 && invisible_lead(s.get(s.len() - 3)) {
        match INVISIBLE.iter().find(|c| s.ends_with(c)) {
            Some(c) => s = s[..s.len() - c.len()].trim_ascii(),
            None => break,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn date(raw: &str) -> Option<String> {
        parse_date(raw.as_bytes()).map(format_day)
    }

    #[test]
    fn dates_in_every_documented_form_give_the_written_calendar_day() {
        for (raw, want) in [
            ("2024-03-05", "2024-03-05"),
            ("2024/3/5", "2024-03-05"),
            ("2024.03.05", "2024-03-05"),
            ("20240305", "2024-03-05"),
            ("2024年3月5日", "2024-03-05"),
            ("2024年3月5日 10:00", "2024-03-05"),
            (" 2025-10-07 09:50:26 +0200 ", "2025-10-07"),
            ("2025-10-07 23:59:59 -1100", "2025-10-07"),
            ("2024-03-05T09:50:26Z", "2024-03-05"),
            ("2024-03-05T09:50:26.123+09:00", "2024-03-05"),
            ("Mon, 23 Sep 2024 14:21:24 +0000", "2024-09-23"),
            ("5 Mar 2024", "2024-03-05"),
            ("2024-02-29", "2024-02-29"),
        ] {
            assert_eq!(date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_rejected() {
        for raw in [
            "",
            "2024",
            "2024-13-45",
            "2023-02-29",
            "03/05/2024",
            "5.3.2024",
            "2024-03",
            "2024-03-05x",
            "202403051",
            "abc",
            "Mon, 32 Sep 2024",
            "2024/3/5/6",
        ] {
            assert_eq!(date(raw), None, "{raw}");
        }
    }

    #[test]
    fn day_numbers_subtract_to_calendar_days() {
        let a = parse_date(b"2024-02-28").unwrap();
        let b = parse_date(b"2024-03-01").unwrap();
        assert_eq!(b - a, 2);
        assert_eq!(month_index(b) - month_index(a), 1);
    }

    #[test]
    fn amounts_keep_four_decimals_and_accept_signs_and_separators() {
        for (raw, want) in [
            ("29.33", 293_300),
            ("1,200", 12_000_000),
            ("¥1,200", 12_000_000),
            ("￥ 1,200 ", 12_000_000),
            ("1200円", 12_000_000),
            ("\\1,200", 12_000_000),
            ("$1,234.5", 12_345_000),
            ("-5.00", -50_000),
            ("$-5.00", -50_000),
            ("-$5.00", -50_000),
            ("(5.00)", -50_000),
            ("+3", 30_000),
            ("0", 0),
            ("0.12345", 1_235),
            ("0.12344", 1_234),
            ("30.299999999999997", 303_000),
            (".5", 5_000),
        ] {
            assert_eq!(parse_money(raw.as_bytes()), Some(want), "{raw}");
        }
    }

    #[test]
    fn non_numbers_are_not_amounts() {
        for raw in [
            "",
            "-",
            "abc",
            "1.2.3",
            "1 200",
            "12a",
            ",5",
            "99999999999999999999",
        ] {
            assert_eq!(parse_money(raw.as_bytes()), None, "{raw}");
        }
    }

    #[test]
    fn quantities_are_whole_and_not_negative() {
        assert_eq!(parse_quantity(b"3"), Some(3));
        assert_eq!(parse_quantity(b"3.0"), Some(3));
        assert_eq!(parse_quantity(b"1.5"), None);
        assert_eq!(parse_quantity(b"-1"), None);
    }

    #[test]
    fn trim_removes_ideographic_spaces_byte_order_marks_and_zero_width_characters() {
        assert_eq!(trim("\u{3000} a \u{3000}".as_bytes()), b"a");
        assert_eq!(trim(" \u{3000}\u{3000}".as_bytes()), b"");
        assert_eq!(trim("値\u{3000}".as_bytes()), "値".as_bytes());
        assert_eq!(trim("\u{FEFF}C001\u{200B}".as_bytes()), b"C001");
        assert_eq!(
            trim("\u{2060} a@x.com \u{200D}\u{200C}".as_bytes()),
            b"a@x.com"
        );
        // Inside a value they stay; other characters with the same lead bytes are kept.
        assert_eq!(trim("a\u{200B}b".as_bytes()), "a\u{200B}b".as_bytes());
        assert_eq!(trim("＄5 €".as_bytes()), "＄5 €".as_bytes());
    }

    #[test]
    fn text_from_the_file_is_bounded() {
        assert_eq!(bounded_text(b" USD "), "USD");
        let long = "あ".repeat(10_000);
        let shown = bounded_text(long.as_bytes());
        assert_eq!(shown.chars().count(), MAX_TEXT_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(
            bounded_text(&[b'x'; 5000]).chars().count(),
            MAX_TEXT_CHARS + 1
        );
        assert_eq!(bounded_text(b"a\xFFb"), "a\u{FFFD}b");
    }
}
