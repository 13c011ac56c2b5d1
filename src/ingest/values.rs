//! Parsing of single field values: calendar dates and money amounts, straight from bytes.
//!
//! The parsers are allocation-free; they run once per order on the ingest hot path. Full-width text is
//! narrowed into a stack buffer, and only when the bytes as they are did not parse.

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
/// Accepts the forms whose field order is never in doubt:
/// - year first: `2024-03-05`, `2024/3/5`, `2024.03.05`, `20240305`, each optionally followed by a time
///   (`2024-03-05 09:50:26 +0200`, `2024-03-05T09:50:26Z`);
/// - kanji: `2024年3月5日`, with anything after `日` (`2024年1月5日 12時34分`, `2024年1月5日12時`,
///   `2024年1月5日(金)`);
/// - RFC 2822: `Tue, 5 Mar 2024 09:50:26 +0000`, `5 Mar 2024`;
/// - 和暦 (Japanese era): an era letter (`M`, `T`, `S`, `H`, `R`, either case) or name (`明治`, `大正`, `昭和`,
///   `平成`, `令和`, or the one-character ligatures `㍾`, `㍽`, `㍼`, `㍻`, `㋿`), then the era year (`元` is
///   year 1), month and day separated by `.`, `/`, `-` or `年`/`月`/`日`: `R6.1.5`, `R06/01/05`, `H31.4.30`,
///   `令和6年1月5日`, `令和元年5月1日`. See [`ERAS`] for the years each era takes.
///
/// Full-width digits, letters and separators (`２０２４／１／５`, `Ｒ６．１．５`) and the ideographic space
/// read as their ASCII counterparts. Years must lie in 1900–2199, era dates included.
///
/// Slash dates that are not year-first (`1/5/2024`) are refused here: their day/month order needs the
/// whole column, see [`parse_date_candidates`].
pub fn parse_date(raw: &[u8]) -> Option<Day> {
    let s = trim(raw);
    // The common case (ASCII, year first) is decided by the first parser; full-width text is narrowed
    // into a stack buffer only when the bytes as they are did not parse.
    parse_unambiguous_date(s).or_else(|| parse_unambiguous_date_narrowed(s))
}

/// [`parse_unambiguous_date`] of the value with full-width characters narrowed, out of line.
#[cold]
#[inline(never)]
fn parse_unambiguous_date_narrowed(s: &[u8]) -> Option<Day> {
    let mut buf = [0; NARROW_CAPACITY];
    parse_unambiguous_date(narrow(s, &mut buf)?)
}

fn parse_unambiguous_date(s: &[u8]) -> Option<Day> {
    parse_year_first(s)
        .or_else(|| parse_rfc2822_date(s))
        .or_else(|| parse_era_date(s))
}

/// Which of the first two numbers of a year-last date (`1/5/2024`) is the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayOrder {
    /// `M/D/Y`, as in the United States: `12/13/10` is 13 December 2010.
    MonthFirst,
    /// `D/M/Y`, as in most of Europe: `13/12/10` is 13 December 2010.
    DayFirst,
}

impl DayOrder {
    /// The order written `month-first` or `day-first` (also with `_`).
    pub fn parse(name: &str) -> Option<DayOrder> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "month-first" | "mdy" => Some(DayOrder::MonthFirst),
            "day-first" | "dmy" => Some(DayOrder::DayFirst),
            _ => None,
        }
    }
}

/// The readings of one date value, for a column whose day/month order is not known yet.
///
/// A year-last value (`05/01/24`) has a month-first and a day-first reading, each present only when it
/// is a valid date. A value in any other accepted form (year-first, kanji, 和暦, RFC 2822) has a single
/// reading, given as both. So a value whose first number is above 12 decides day-first (it has no
/// month-first reading); one whose second number is above 12 decides month-first; one with both numbers
/// at most 12 and different (`1/5/2024`) decides nothing, and keeps both readings until the column
/// decides; see [`DateCandidates::decides`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DateCandidates {
    /// The reading as `M/D/Y`.
    pub month_first: Option<Day>,
    /// The reading as `D/M/Y`.
    pub day_first: Option<Day>,
}

impl DateCandidates {
    /// No reading: not a date.
    pub const NONE: Self = Self {
        month_first: None,
        day_first: None,
    };

    /// One reading for both orders.
    pub const fn single(day: Day) -> Self {
        Self {
            month_first: Some(day),
            day_first: Some(day),
        }
    }

    #[cfg(test)]
    /// The reading under `order`.
    pub const fn get(self, order: DayOrder) -> Option<Day> {
        match order {
            DayOrder::MonthFirst => self.month_first,
            DayOrder::DayFirst => self.day_first,
        }
    }

    /// Whether the value is no date in either order.
    pub const fn is_none(self) -> bool {
        self.month_first.is_none() && self.day_first.is_none()
    }

    #[cfg(test)]
    /// The date when both orders read the same one (every form but year-last, and `5/5/2024`).
    pub fn agreed(self) -> Option<Day> {
        self.month_first
            .filter(|_| self.month_first == self.day_first)
    }

    /// The order this value settles for its column: the only order in which it is a date.
    pub const fn decides(self) -> Option<DayOrder> {
        match (self.month_first, self.day_first) {
            (Some(_), None) => Some(DayOrder::MonthFirst),
            (None, Some(_)) => Some(DayOrder::DayFirst),
            _ => None,
        }
    }
}

/// Parses a date value whose day/month order may be unknown, giving every reading (see
/// [`DateCandidates`]).
///
/// Year-last dates are two numbers of one or two digits and a year of two or four, separated by `/`
/// (or, the same in both places, `-` or `.`), optionally followed by a time: `12/13/10 8:26`, `1/5/2024`,
/// `05/01/24`, `05.01.2024`. A two-digit year `yy` is 20yy, unless that is after `today_year` (when given),
/// then 19yy. Every form [`parse_date`] accepts has its single reading as both; full-width characters are
/// read as there.
pub fn parse_date_candidates(raw: &[u8], today_year: Option<i32>) -> DateCandidates {
    let s = trim(raw);
    let parse = |s: &[u8]| {
        parse_year_last(s, today_year)
            .or_else(|| parse_unambiguous_date(s).map(DateCandidates::single))
    };
    parse(s)
        .or_else(|| {
            let mut buf = [0; NARROW_CAPACITY];
            parse(narrow(s, &mut buf)?)
        })
        .unwrap_or(DateCandidates::NONE)
}

/// `M/D/Y` and `D/M/Y`, both readings; `None` when the value is not of that shape, or is in neither order
/// a date.
fn parse_year_last(s: &[u8], today_year: Option<i32>) -> Option<DateCandidates> {
    let (first, rest) = take_digits(s, 1, 2)?;
    let (sep @ (b'/' | b'-' | b'.'), rest) = (*rest.first()?, &rest[1..]) else {
        return None;
    };
    let (second, rest) = take_digits(rest, 1, 2)?;
    let rest = rest.strip_prefix(&[sep])?;
    let digits = rest
        .iter()
        .take(5)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let (year, rest) = match digits {
        2 => {
            let (yy, rest) = take_digits(rest, 2, 2)?;
            let year = 2000 + yy;
            let future = today_year.is_some_and(|today| i64::from(year) > i64::from(today));
            (if future { year - 100 } else { year }, rest)
        }
        4 => take_digits(rest, 4, 4)?,
        _ => return None,
    };
    date_tail(rest, Sep::Byte(sep))?;
    let candidates = DateCandidates {
        month_first: ymd(year, first, second),
        day_first: ymd(year, second, first),
    };
    (!candidates.is_none()).then_some(candidates)
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
    let (month, day) = if let Some((month, rest)) = compact_two(rest) {
        // YYYYMMDD
        let (day, rest) = compact_two(rest)?;
        date_tail(rest, Sep::Byte(0))?;
        (month, day)
    } else {
        take_month_day(rest)?
    };
    ymd(year, month, day)
}

/// A separator, month, the same separator, day and what may follow a date: the part of a date after
/// its year.
fn take_month_day(s: &[u8]) -> Option<(u32, u32)> {
    let (sep, rest) = take_separator(s)?;
    let (month, rest) = take_digits(rest, 1, 2)?;
    let rest = expect_separator(rest, sep)?;
    let (day, rest) = take_digits(rest, 1, 2)?;
    date_tail(rest, sep)?;
    Some((month, day))
}

/// What may follow the day: after `日`, anything (a time such as `12時34分`, a weekday such as `(金)`);
/// after a numeric date, nothing or a time part, not more digits of something else.
fn date_tail(rest: &[u8], sep: Sep) -> Option<()> {
    match sep {
        Sep::Kanji => rest.starts_with("日".as_bytes()).then_some(()),
        Sep::Byte(_) => match rest.first() {
            None | Some(b' ' | b'T' | b't' | b'\t' | b'(' | b'Z') => Some(()),
            Some(_) => None,
        },
    }
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

/// A Japanese era (元号): how its dates are written and which years it has.
#[derive(Debug)]
pub struct Era {
    /// The romanised initial (`R`), accepted in either case.
    pub letter: u8,
    /// The name (`令和`).
    pub name: &'static str,
    /// The one-character ligature (`㋿`), as some fonts and systems write it.
    pub ligature: &'static str,
    /// The Gregorian year of the era's year 1 (元年).
    pub first_year: u32,
    /// The era's last year number; later years are refused rather than carried over into the next era.
    pub last: u32,
}

/// The eras whose dates are read: year = `first_year` + n − 1, for n in 1..=`last`.
///
/// An era year past the era's end is refused (`H32.1.1`, which a few systems wrote for 2020, is not
/// read: the era is over, and such a value is as likely a typing error). Within the era's years the
/// day is not checked against the day the era began or ended (`H31.5.1` and `R1.4.30` are read as the
/// Gregorian dates they name), since systems kept printing the old era for a while. 令和 has no end.
/// Meiji and early Taishō dates are recognised but fall before 1900, outside the accepted years.
pub const ERAS: [Era; 5] = [
    Era {
        letter: b'M',
        name: "明治",
        ligature: "\u{337E}",
        first_year: 1868,
        last: 45,
    },
    Era {
        letter: b'T',
        name: "大正",
        ligature: "\u{337D}",
        first_year: 1912,
        last: 15,
    },
    Era {
        letter: b'S',
        name: "昭和",
        ligature: "\u{337C}",
        first_year: 1926,
        last: 64,
    },
    Era {
        letter: b'H',
        name: "平成",
        ligature: "\u{337B}",
        first_year: 1989,
        last: 31,
    },
    Era {
        letter: b'R',
        name: "令和",
        ligature: "\u{32FF}",
        first_year: 2019,
        last: u32::MAX,
    },
];

/// `R6.1.5`, `令和6年1月5日`, `令和元年5月1日` and the like.
fn parse_era_date(s: &[u8]) -> Option<Day> {
    let (era, rest) = take_era(s)?;
    let rest = rest.trim_ascii_start();
    let (n, rest) = match rest.strip_prefix("元".as_bytes()) {
        Some(rest) => (1, rest),
        None => take_digits(rest, 1, 3)?,
    };
    if !(1..=era.last).contains(&n) {
        return None;
    }
    let (month, day) = take_month_day(rest)?;
    ymd(era.first_year + n - 1, month, day)
}

fn take_era(s: &[u8]) -> Option<(&'static Era, &[u8])> {
    let first = *s.first()?;
    if first.is_ascii_alphabetic() {
        let letter = first.to_ascii_uppercase();
        let era = ERAS.iter().find(|era| era.letter == letter)?;
        return Some((era, &s[1..]));
    }
    ERAS.iter().find_map(|era| {
        let rest = s
            .strip_prefix(era.name.as_bytes())
            .or_else(|| s.strip_prefix(era.ligature.as_bytes()))?;
        Some((era, rest))
    })
}

/// The longest value (in bytes, after narrowing) that is narrowed for a second reading; anything longer
/// is no date or amount.
const NARROW_CAPACITY: usize = 128;

/// Copies `s` into `buf` with the full-width forms of ASCII characters (U+FF01–U+FF5E: `２`, `／`, `－`,
/// `，`, `Ｒ`, …) and the ideographic space (U+3000) replaced by their ASCII counterparts, as NFKC does.
///
/// `None` when there is nothing to replace (the value as it is has been read already), or when the
/// result would not fit.
fn narrow<'b>(s: &[u8], buf: &'b mut [u8; NARROW_CAPACITY]) -> Option<&'b [u8]> {
    if s.is_ascii() {
        return None;
    }
    let (mut i, mut n, mut replaced) = (0, 0, false);
    while i < s.len() {
        let (byte, width) = match s[i..] {
            // U+FF01..=U+FF5E are EF BC 81..=BF and EF BD 80..=9E.
            [0xEF, b1 @ (0xBC | 0xBD), b2 @ 0x80..=0xBF, ..] => {
                let code = 0xF000 | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
                match u8::try_from(code.wrapping_sub(0xFEE0)) {
                    Ok(ascii @ 0x21..=0x7E) => (ascii, 3),
                    _ => (s[i], 1),
                }
            }
            [0xE3, 0x80, 0x80, ..] => (b' ', 3),
            _ => (s[i], 1),
        };
        replaced |= width == 3;
        *buf.get_mut(n)? = byte;
        n += 1;
        i += width;
    }
    replaced.then_some(trim(&buf[..n]))
}

/// Parses an amount into minor units ([`MONEY_SCALE`] per unit), rounding half away from zero past four decimals.
///
/// Accepts an optional sign (or accounting parentheses), one currency sign or code before the number
/// and one after (`¥`, `￥`, `$`, `€`, `£`, `￡`, `円`, `JPY`, `USD`, `EUR`, `GBP`; in Shift_JIS files the yen
/// sign reads as `\`), `,` thousands separators (in groups of three) and `.` as the decimal point:
/// `¥1,234`, `1,234 円`, `$1,234.56`, `1,234 JPY`, `(1,234)`, `-1234`. Full-width digits, signs, commas
/// and periods (`１，２３４`, `－１２３`, `＋５`) read as their ASCII counterparts.
pub fn parse_money(raw: &[u8]) -> Option<i64> {
    let s = trim(raw);
    parse_amount(s).or_else(|| parse_amount_narrowed(s))
}

/// [`parse_amount`] of the value with full-width characters narrowed: the rare second reading, kept out
/// of line so that it does not weigh on the common one.
#[cold]
#[inline(never)]
fn parse_amount_narrowed(s: &[u8]) -> Option<i64> {
    let mut buf = [0; NARROW_CAPACITY];
    parse_amount(narrow(s, &mut buf)?)
}

fn parse_amount(s: &[u8]) -> Option<i64> {
    // A plain number (the common case) has at most a sign to take off.
    let (negative, digits) = match take_sign(s) {
        (negative, digits) if plain_end(digits.first()) && plain_end(s.last()) => {
            (negative, digits)
        }
        _ => undecorate(s)?,
    };
    let units = parse_unsigned(digits)?;
    Some(if negative { -units } else { units })
}

/// A leading `-` or `+`: whether it was a minus, and the rest.
fn take_sign(s: &[u8]) -> (bool, &[u8]) {
    match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    }
}

/// Accounting parentheses, a sign, and one currency sign or code before the number and one after:
/// whether the amount is negative, and the number.
fn undecorate(s: &[u8]) -> Option<(bool, &[u8])> {
    let (parenthesised, s) = match s.strip_prefix(b"(").and_then(|r| r.strip_suffix(b")")) {
        Some(inner) => (true, trim(inner)),
        None => (false, s),
    };
    let s = strip_currency_suffix(s);
    let (had_prefix, s) = strip_currency_prefix(s);
    let (minus, s) = take_sign(s);
    let s = if had_prefix {
        s
    } else {
        strip_currency_prefix(s).1
    };
    Some((parenthesised != minus, s))
}

/// The digits, thousands separators and decimal point of an amount, in minor units.
fn parse_unsigned(s: &[u8]) -> Option<i64> {
    let mut units: i64 = 0;
    let mut fraction_digits = 0u32;
    let mut seen_point = false;
    let mut seen_digit = false;
    let mut round_up = false;
    let mut grouped = false;
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
            b',' if !seen_point && seen_digit => grouped = true,
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit || (grouped && !thousands_grouped(s)) {
        return None;
    }
    let kept = fraction_digits.min(4);
    units = units.checked_mul(10i64.pow(4 - kept))?;
    if round_up {
        units = units.checked_add(1)?;
    }
    Some(units)
}

/// Whether the commas of a number (digits, commas and at most one point, commas only before the point)
/// separate thousands: the first group has one to three digits, every later one three. Checked apart
/// from the digits, and only when there is a comma, to keep plain numbers fast.
fn thousands_grouped(number: &[u8]) -> bool {
    let (mut group, mut first) = (0usize, true);
    for &b in number {
        match b {
            b',' if group == 3 || (first && (1..3).contains(&group)) => {
                (group, first) = (0, false);
            }
            b',' => return false,
            b'.' => break,
            _ => group += 1,
        }
    }
    group == 3
}

/// Parses a whole, non-negative quantity (`3`, `3.0`, ` 12 `, `１２`).
pub fn parse_quantity(raw: &[u8]) -> Option<i64> {
    parse_signed_quantity(raw).filter(|&q| q >= 0)
}

/// A whole quantity that may be negative (a returned line on an invoice).
pub fn parse_signed_quantity(raw: &[u8]) -> Option<i64> {
    let units = parse_money(raw)?;
    (units % MONEY_SCALE == 0).then_some(units / MONEY_SCALE)
}

/// Currency signs and codes taken before or after an amount. Shift_JIS has the yen sign at 0x5C, which
/// decodes as a backslash.
const CURRENCY_SIGNS: [&str; 12] = [
    "¥", "￥", "\\", "$", "€", "£", "￡", "円", "JPY", "USD", "EUR", "GBP",
];

/// Whether a byte can start or end a plain number, so that there is no currency sign to look for.
fn plain_end(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'))
}

/// One currency sign or code at the start, and whether there was one.
fn strip_currency_prefix(s: &[u8]) -> (bool, &[u8]) {
    if plain_end(s.first()) {
        return (false, s);
    }
    CURRENCY_SIGNS
        .iter()
        .find_map(|sign| s.strip_prefix(sign.as_bytes()))
        .map_or((false, s), |rest| (true, trim(rest)))
}

/// One currency sign or code at the end.
fn strip_currency_suffix(s: &[u8]) -> &[u8] {
    if plain_end(s.last()) {
        return s;
    }
    CURRENCY_SIGNS
        .iter()
        .find_map(|sign| s.strip_suffix(sign.as_bytes()))
        .map_or(s, trim)
}

/// The most characters of file text (a header name, a currency, a customer's e-mail or name) that
/// the Report and customer lists carry; longer text is cut, with an ellipsis.
pub const MAX_TEXT_CHARS: usize = 200;

/// A field as text: invalid UTF-8 replaced, trimmed, at most [`MAX_TEXT_CHARS`] characters.
pub fn bounded_text(raw: &[u8]) -> String {
    // Nearly every value is short valid UTF-8, which has no more characters than bytes: nothing to
    // replace or cut.
    if raw.len() <= MAX_TEXT_CHARS {
        if let Ok(text) = std::str::from_utf8(trim(raw)) {
            return text.trim().to_string();
        }
    }
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
    // Most values have nothing to trim, which a look at each end settles.
    let trimmable = |b: Option<&u8>| b.is_some_and(u8::is_ascii_whitespace) || invisible_lead(b);
    if !trimmable(s.first())
        && !trimmable(s.last())
        && !invisible_lead(s.len().checked_sub(3).and_then(|i| s.get(i)))
    {
        return s;
    }
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

    #[track_caller]
    fn assert_dates(cases: &[(&str, &str)]) {
        for &(raw, want) in cases {
            assert_eq!(date(raw).as_deref(), Some(want), "{raw}");
        }
    }

    #[track_caller]
    fn assert_not_dates(raws: &[&str]) {
        for &raw in raws {
            assert_eq!(date(raw), None, "{raw}");
        }
    }

    #[test]
    fn dates_in_every_documented_form_give_the_written_calendar_day() {
        assert_dates(&[
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
        ]);
    }

    #[test]
    fn kanji_dates_ignore_whatever_follows_the_day() {
        assert_dates(&[
            ("2024年1月5日 12時34分", "2024-01-05"),
            ("2024年1月5日12時", "2024-01-05"),
            ("2024年01月05日 12時34分56秒", "2024-01-05"),
            ("2024年1月5日(金)", "2024-01-05"),
            ("2024年1月5日\u{3000}12:34", "2024-01-05"),
        ]);
    }

    #[test]
    fn full_width_digits_and_separators_read_as_ascii() {
        assert_dates(&[
            ("２０２４／１／５", "2024-01-05"),
            ("２０２４－０１－０５", "2024-01-05"),
            ("２０２４．０１．０５", "2024-01-05"),
            ("２０２４０１０５", "2024-01-05"),
            ("２０２４年１月５日", "2024-01-05"),
            ("２０２４年１月５日　１２時３４分", "2024-01-05"),
            ("２０２４－０１－０５Ｔ１２：３４：５６Ｚ", "2024-01-05"),
            ("２０２４/1/５ 12:34", "2024-01-05"),
            ("2024/1/5\u{3000}12:34", "2024-01-05"),
            ("\u{3000}２０２４／１／５\u{3000}", "2024-01-05"),
            ("Ｒ６．１．５", "2024-01-05"),
            ("ｒ６/１/５", "2024-01-05"),
            ("令和６年１月５日", "2024-01-05"),
        ]);
    }

    #[test]
    fn japanese_era_dates_count_from_the_era_start() {
        assert_dates(&[
            ("R6.1.5", "2024-01-05"),
            ("R06/01/05", "2024-01-05"),
            ("R6-1-5", "2024-01-05"),
            ("R6年1月5日", "2024-01-05"),
            ("r6.1.5", "2024-01-05"),
            ("R6.1.5 12:34", "2024-01-05"),
            ("R1.5.1", "2019-05-01"),
            ("R100.1.1", "2118-01-01"),
            ("H31.4.30", "2019-04-30"),
            ("h31.4.30", "2019-04-30"),
            ("H1.1.8", "1989-01-08"),
            ("S64.1.7", "1989-01-07"),
            ("s64/01/07", "1989-01-07"),
            ("T15.12.24", "1926-12-24"),
            ("T1.7.30", "1912-07-30"),
            ("M45.7.29", "1912-07-29"),
            ("M33.1.1", "1900-01-01"),
            ("令和6年1月5日", "2024-01-05"),
            ("令和元年5月1日", "2019-05-01"),
            ("令和 6年1月5日", "2024-01-05"),
            ("令和6年1月5日 12時34分", "2024-01-05"),
            ("令和6.1.5", "2024-01-05"),
            ("平成31年4月30日", "2019-04-30"),
            ("平成元年1月8日", "1989-01-08"),
            ("昭和64年1月7日", "1989-01-07"),
            ("大正15年12月24日", "1926-12-24"),
            ("明治45年7月29日", "1912-07-29"),
            ("\u{32FF}6年1月5日", "2024-01-05"),
            ("\u{337B}31年4月30日", "2019-04-30"),
            // Within the era's years the day is not checked against the change of era.
            ("H31.5.1", "2019-05-01"),
            ("R1.4.30", "2019-04-30"),
        ]);
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_rejected() {
        assert_not_dates(&[
            "",
            "2024",
            "2024-13-45",
            "2024-13-01",
            "2023-02-29",
            "03/05/2024",
            "1/5/2024",
            "12/13/10 8:26",
            "32/13/2024",
            "5.3.2024",
            "2024-03",
            "2024-03-05x",
            "202403051",
            "abc",
            "Mon, 32 Sep 2024",
            "2024/3/5/6",
            "2024/3-5",
            "2024年1月5",
            "2024年1月",
            "2024年1月5 日",
            "１９９９/13/01",
            "２０２４／１３／０１",
            "2024／1/5x",
        ]);
    }

    #[test]
    fn era_dates_outside_their_era_or_malformed_are_rejected() {
        assert_not_dates(&[
            "R0.1.1",
            "R00.1.1",
            "令和0年1月1日",
            "H32.1.1",
            "平成32年1月1日",
            "S65.1.1",
            "T16.1.1",
            "M46.1.1",
            // Meiji 1 is 1868, before the accepted years.
            "M1.1.1",
            "明治元年1月1日",
            "R6.13.1",
            "R6.2.30",
            "R6.1.5x",
            "R6.1/5",
            "R6年1月5",
            "R1000.1.1",
            "X6.1.5",
            "R",
            "令和",
            "令和年1月1日",
            "R.1.5",
            "Sat 5 Mar",
        ]);
    }

    #[track_caller]
    fn candidates(raw: &str, today_year: Option<i32>) -> (Option<String>, Option<String>) {
        let found = parse_date_candidates(raw.as_bytes(), today_year);
        (
            found.month_first.map(format_day),
            found.day_first.map(format_day),
        )
    }

    /// A value, the current year, and its expected month-first and day-first readings.
    type CandidateCase<'a> = (&'a str, Option<i32>, Option<&'a str>, Option<&'a str>);

    #[track_caller]
    fn assert_candidates(cases: &[CandidateCase]) {
        for &(raw, today, month_first, day_first) in cases {
            let (m, d) = candidates(raw, today);
            assert_eq!(
                (m.as_deref(), d.as_deref()),
                (month_first, day_first),
                "{raw} (today {today:?})"
            );
        }
    }

    #[test]
    fn year_last_dates_give_each_valid_reading() {
        assert_candidates(&[
            ("12/13/10 8:26", None, Some("2010-12-13"), None),
            ("13/12/10 8:26", None, None, Some("2010-12-13")),
            ("1/5/2024", None, Some("2024-01-05"), Some("2024-05-01")),
            ("05/01/24", None, Some("2024-05-01"), Some("2024-01-05")),
            ("5/5/2024", None, Some("2024-05-05"), Some("2024-05-05")),
            (
                "1/5/2024 12:34:56",
                None,
                Some("2024-01-05"),
                Some("2024-05-01"),
            ),
            ("1-5-2024", None, Some("2024-01-05"), Some("2024-05-01")),
            ("05.01.2024", None, Some("2024-05-01"), Some("2024-01-05")),
            ("２/２９/２０２４", None, Some("2024-02-29"), None),
            ("１２／１３／１０", None, Some("2010-12-13"), None),
            (
                "12/1/2010\u{3000}8:26",
                None,
                Some("2010-12-01"),
                Some("2010-01-12"),
            ),
        ]);
    }

    #[test]
    fn two_digit_years_are_this_century_unless_that_is_in_the_future() {
        assert_candidates(&[
            ("12/13/99", None, Some("2099-12-13"), None),
            ("12/13/99", Some(2025), Some("1999-12-13"), None),
            ("12/13/25", Some(2025), Some("2025-12-13"), None),
            ("12/13/26", Some(2025), Some("1926-12-13"), None),
            ("12/13/00", Some(2025), Some("2000-12-13"), None),
            (
                "05/01/24",
                Some(2023),
                Some("1924-05-01"),
                Some("1924-01-05"),
            ),
        ]);
    }

    #[test]
    fn unambiguous_forms_give_their_single_reading_as_both() {
        for raw in [
            "2024-01-05",
            "2024/1/5 12:34",
            "20240105",
            "2024年1月5日 12時34分",
            "Fri, 5 Jan 2024 09:50:26 +0000",
            "R6.1.5",
            "令和6年1月5日",
            "２０２４／１／５",
        ] {
            let want = Some("2024-01-05");
            let (m, d) = candidates(raw, Some(2025));
            assert_eq!((m.as_deref(), d.as_deref()), (want, want), "{raw}");
        }
    }

    #[test]
    fn values_that_are_no_date_in_either_order_have_no_reading() {
        for raw in [
            "",
            "abc",
            "32/13/2024",
            "13/13/2024",
            "2/30/2024",
            "31/4/2024",
            "2/29/2023",
            "1/5/202",
            "1/5/20245",
            "1/5/2",
            "1/5/2024x",
            "1/5-2024",
            "123/5/2024",
            "1/5",
            "0/5/2024",
            "1.2.3",
            "2024-13-01",
            "H32.1.1",
        ] {
            let found = parse_date_candidates(raw.as_bytes(), Some(2025));
            assert_eq!(found, DateCandidates::NONE, "{raw}");
            assert!(found.is_none());
        }
    }

    #[test]
    fn a_number_above_twelve_decides_the_order() {
        let decides = |raw: &str| parse_date_candidates(raw.as_bytes(), None).decides();
        // First number above 12: only the day-first reading exists.
        assert_eq!(decides("13/1/2024"), Some(DayOrder::DayFirst));
        // Second number above 12: only the month-first reading exists.
        assert_eq!(decides("12/13/10 8:26"), Some(DayOrder::MonthFirst));
        assert_eq!(decides("1/5/2024"), None);
        assert_eq!(decides("5/5/2024"), None);
        assert_eq!(decides("2024-01-05"), None);
        assert_eq!(decides("nonsense"), None);

        let both = parse_date_candidates(b"1/5/2024", None);
        assert_eq!(both.agreed(), None);
        assert_eq!(both.get(DayOrder::MonthFirst), parse_date(b"2024-01-05"));
        assert_eq!(both.get(DayOrder::DayFirst), parse_date(b"2024-05-01"));
        let single = parse_date_candidates(b"R6.1.5", None);
        assert_eq!(single.agreed(), parse_date(b"2024-01-05"));
        assert_eq!(single, DateCandidates::single(single.agreed().unwrap()));
    }

    #[test]
    fn day_numbers_subtract_to_calendar_days() {
        let a = parse_date(b"2024-02-28").unwrap();
        let b = parse_date(b"2024-03-01").unwrap();
        assert_eq!(b - a, 2);
        assert_eq!(month_index(b) - month_index(a), 1);
    }

    #[track_caller]
    fn assert_amounts(cases: &[(&str, i64)]) {
        for &(raw, want) in cases {
            assert_eq!(parse_money(raw.as_bytes()), Some(want), "{raw}");
        }
    }

    #[track_caller]
    fn assert_not_amounts(raws: &[&str]) {
        for &raw in raws {
            assert_eq!(parse_money(raw.as_bytes()), None, "{raw}");
        }
    }

    #[test]
    fn amounts_keep_four_decimals_and_accept_signs_and_separators() {
        assert_amounts(&[
            ("29.33", 293_300),
            ("1,200", 12_000_000),
            ("1,234,567", 12_345_670_000),
            ("1,234.5678", 12_345_678),
            ("¥1,200", 12_000_000),
            ("￥ 1,200 ", 12_000_000),
            ("1200円", 12_000_000),
            ("\\1,200", 12_000_000),
            ("$1,234.5", 12_345_000),
            ("-5.00", -50_000),
            ("$-5.00", -50_000),
            ("-$5.00", -50_000),
            ("(5.00)", -50_000),
            ("(1,234)", -12_340_000),
            ("-1234", -12_340_000),
            ("+3", 30_000),
            ("0", 0),
            ("0.12345", 1_235),
            ("0.12344", 1_234),
            ("30.299999999999997", 303_000),
            (".5", 5_000),
        ]);
    }

    #[test]
    fn amounts_with_japanese_and_other_currency_marks() {
        assert_amounts(&[
            ("￥1,234", 12_340_000),
            ("1,234円", 12_340_000),
            ("1,234 円", 12_340_000),
            ("¥1,234円", 12_340_000),
            ("-1,234円", -12_340_000),
            ("€5", 50_000),
            ("5 €", 50_000),
            ("£1,234.50", 12_345_000),
            ("-£5", -50_000),
            ("￡5", 50_000),
            ("1,234 JPY", 12_340_000),
            ("JPY 1,234", 12_340_000),
            ("USD 5.5", 55_000),
            ("5.5USD", 55_000),
            ("EUR 1,234.50", 12_345_000),
            ("1,234.50 EUR", 12_345_000),
            ("GBP 5", 50_000),
        ]);
    }

    #[test]
    fn full_width_amounts_read_as_ascii() {
        assert_amounts(&[
            ("１２３４", 12_340_000),
            ("－１２３", -1_230_000),
            ("＋５", 50_000),
            ("１，２３４", 12_340_000),
            ("１，２３４．５", 12_345_000),
            ("￥１，２３４", 12_340_000),
            ("１，２３４円", 12_340_000),
            ("１２３４\u{3000}円", 12_340_000),
            ("\u{3000}２８７４\u{3000}", 28_740_000),
            ("（１，２３４）", -12_340_000),
            ("－￥１，２３４", -12_340_000),
            ("＄１２．５", 125_000),
            ("１２３４ ＪＰＹ", 12_340_000),
            ("1２34", 12_340_000),
        ]);
    }

    #[test]
    fn non_numbers_are_not_amounts() {
        assert_not_amounts(&[
            "",
            "-",
            "abc",
            "1.2.3",
            "1 200",
            "12a",
            ",5",
            "99999999999999999999",
            "1,2,3",
            "1,23",
            "1,2345",
            "1234,567",
            "1,234,56",
            "12,34.5",
            "1,234.5,6",
            "1,",
            "12円34",
            "¥",
            "円",
            "JPY",
            "--5",
            "+-5",
            "-+5",
            "¥¥5",
            "5$$",
            "1,234 円 円",
            "(5",
            "5 CHF",
            "jpy 5",
            "－－５",
            "１．２．３",
            "１，２，３",
            "１２円３４",
            "▲1,234",
            "\u{2212}5",
            &"１".repeat(100),
        ]);
    }

    #[test]
    fn quantities_are_whole_and_not_negative() {
        assert_eq!(parse_quantity(b"3"), Some(3));
        assert_eq!(parse_quantity(b"3.0"), Some(3));
        assert_eq!(parse_quantity(b"1.5"), None);
        assert_eq!(parse_quantity(b"-1"), None);
        assert_eq!(parse_quantity("１２".as_bytes()), Some(12));
        assert_eq!(parse_quantity("３．０".as_bytes()), Some(3));
        assert_eq!(parse_quantity("－１".as_bytes()), None);
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
