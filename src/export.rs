//! Customer lists: one row per customer (who, when, how much, and where the RFM and lapse analyses put
//! them), filtered by segment, lapse state or cohort, and written as a CSV file for e-mail and LINE
//! tools: UTF-8 with a byte-order mark (so that Excel opens it as UTF-8) or Shift_JIS (CP932), with the
//! header row and the segment and lapse cells in English (the Report's keys) or Japanese (the page's
//! Japanese names). Text cells that a spreadsheet would run as a formula are neutralised (OWASP "CSV
//! injection"), also after a `,`, `;` or tab inside the cell (the list separators of other locales); in
//! Shift_JIS, characters it cannot hold are written as numeric character references (`&#x1F600;`) and
//! counted, so that no key or e-mail turns into another.

use crate::analysis::drivers::FirstOccasions;
use crate::analysis::lapse::{Cycle, LapseState};
use crate::analysis::rfm::{self, Segment};
use crate::analysis::subscriptions::{SubscriptionLists, SubscriptionState};
use crate::analysis::Context;
use crate::error::{Error, ErrorKind};
use crate::ingest::orders::{channel_key, Identities, NO_CHANNEL};
use crate::ingest::values::{format_day, month_index, parse_month, MONEY_SCALE};
use crate::string_enum::string_enum;
use serde::Serialize;

/// The CSV header: the columns of a customer list, in order.
pub const COLUMNS: [&str; 25] = [
    "customer_key",
    "email",
    "name",
    "first_purchase",
    "second_purchase",
    "last_purchase",
    "occasions",
    "orders",
    "revenue",
    "recency_days",
    "r",
    "f",
    "m",
    "segment",
    "lapse",
    "p_alive",
    "expected_purchases",
    "expected_value",
    "clv",
    "first_product",
    "first_channel",
    "first_discount",
    "subscription",
    "subscription_deliveries",
    "last_delivery",
];

/// The Japanese header row, column for column with [`COLUMNS`].
const COLUMNS_JA: [&str; 25] = [
    "顧客キー",
    "メールアドレス",
    "氏名",
    "初回購入日",
    "2回目購入日",
    "最終購入日",
    "購入回数",
    "注文数",
    "累計売上",
    "最終購入からの日数",
    "Rスコア",
    "Fスコア",
    "Mスコア",
    "セグメント",
    "離反・休眠",
    "生存確率",
    "予測購入回数",
    "予測購入額",
    "予測LTV",
    "初回購入商品",
    "初回流入元",
    "初回割引利用",
    "定期購入の状態",
    "定期お届け回数",
    "最終お届け日",
];

string_enum! {
    /// The language of a customer list's header row and of its segment and lapse cells.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub enum ListLanguage {
        /// English: the column names and the segment and lapse keys of the Report (the default).
        #[default]
        En = "en",
        /// Japanese: the names the page shows in Japanese (`www/views/segments.js`, `lapse.js`).
        Ja = "ja",
    }
}

impl ListLanguage {
    /// `en` or `ja` (any case).
    pub fn parse(name: &str) -> Result<Self, Error> {
        ListLanguage::ALL
            .iter()
            .copied()
            .find(|language| language.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| invalid(format!("unknown list language {name:?}; use en or ja")))
    }

    /// The header row.
    pub fn columns(self) -> &'static [&'static str; 25] {
        match self {
            ListLanguage::En => &COLUMNS,
            ListLanguage::Ja => &COLUMNS_JA,
        }
    }

    /// A segment's cell.
    pub fn segment(self, segment: Segment) -> &'static str {
        if self == ListLanguage::En {
            return segment.key();
        }
        match segment {
            Segment::Champions => "優良顧客",
            Segment::Loyal => "安定顧客",
            Segment::Promising => "育成顧客 (2回目購入)",
            Segment::New => "新規顧客",
            Segment::NeedsAttention => "要注意顧客",
            Segment::AtRisk => "離反予備軍",
            Segment::CantLose => "離反しかけの優良顧客",
            Segment::AboutToSleep => "休眠予備軍",
            Segment::Lost => "離脱顧客",
        }
    }

    /// A lapse state's cell.
    pub fn lapse(self, state: LapseState) -> &'static str {
        match (self, state) {
            (ListLanguage::En, state) => state.key(),
            (ListLanguage::Ja, LapseState::Active) => "アクティブ",
            (ListLanguage::Ja, LapseState::Overdue) => "購入遅れ",
            (ListLanguage::Ja, LapseState::Dormant) => "休眠顧客",
        }
    }

    /// A subscription state's cell.
    pub fn subscription(self, state: SubscriptionState) -> &'static str {
        match (self, state) {
            (ListLanguage::En, state) => state.as_str(),
            (ListLanguage::Ja, SubscriptionState::Active) => "継続中",
            (ListLanguage::Ja, SubscriptionState::AtRisk) => "解約懸念",
            (ListLanguage::Ja, SubscriptionState::Churned) => "解約済み",
        }
    }
}

/// One customer in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct CustomerRow {
    /// The key the customer was identified by: its normalised customer id, else its normalised e-mail
    /// (`email:` in front when it reads the same as a customer id of the file).
    pub customer_key: String,
    /// The first e-mail seen for the customer.
    pub email: Option<String>,
    /// The first name seen for the customer.
    pub name: Option<String>,
    /// `YYYY-MM-DD` of the first purchase occasion.
    pub first_purchase: String,
    /// `YYYY-MM-DD` of the second occasion, if any.
    pub second_purchase: Option<String>,
    /// `YYYY-MM-DD` of the last occasion.
    pub last_purchase: String,
    /// Purchase occasions (distinct order days).
    pub occasions: u32,
    /// Orders.
    pub orders: u32,
    /// Revenue of the customer's orders.
    pub revenue: f64,
    /// as_of − last purchase, in days.
    pub recency_days: i64,
    /// RFM recency score 1..5.
    pub r: u8,
    /// RFM frequency score 1..5.
    pub f: u8,
    /// RFM monetary score 1..5.
    pub m: u8,
    /// The named segment.
    pub segment: Segment,
    /// Active, overdue or dormant.
    pub lapse: LapseState,
    /// Probability that the customer is still active (BG/NBD); `None` without a fit.
    pub p_alive: Option<f64>,
    /// Expected purchase occasions in the prediction horizon; `None` without a fit.
    pub expected_purchases: Option<f64>,
    /// Expected value of a purchase (Gamma-Gamma); `None` without a fit.
    pub expected_value: Option<f64>,
    /// Predicted CLV over the horizon; `None` without both fits.
    pub clv: Option<f64>,
    /// The first occasion's distinct product names, sorted by code point, joined with `;`; `None`
    /// without a product column or when the first occasion names none.
    pub first_product: Option<String>,
    /// The channel key of the first occasion's earliest order (never `other`); `None` without one.
    pub first_channel: Option<String>,
    /// Whether the first occasion used a discount; `None` without a discount column.
    pub first_discount: Option<bool>,
    /// The state of the customer's subscriptions; `None` without a `subscriptions` section or a
    /// subscription of the customer.
    pub subscription: Option<SubscriptionState>,
    /// The delivery count of each of the customer's subscription units, by first delivery, joined
    /// with `;`.
    pub subscription_deliveries: Option<String>,
    /// `YYYY-MM-DD` of the customer's latest subscription delivery.
    pub last_delivery: Option<String>,
    #[serde(skip)]
    revenue_units: i128,
}

/// Which customers a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CustomerFilter {
    /// Every customer.
    #[default]
    All,
    /// The customers of one RFM segment.
    Segment(Segment),
    /// The customers in one lapse state.
    Lapse(LapseState),
    /// The customers whose first purchase is in this month (year × 12 + month − 1).
    Cohort(i32),
    /// The customers with the highest predicted CLV, at most this many, highest first.
    TopClv(usize),
    /// The customers whose first occasion holds this product (the name as written, trimmed).
    FirstProduct(String),
    /// The customers whose first order came through this channel (compared as a channel key: trimmed,
    /// case-folded, a URL as its host).
    FirstChannel(String),
    /// The customers whose subscriptions are in this state (`Active` includes `AtRisk`).
    Subscription(SubscriptionState),
}

impl CustomerFilter {
    /// The filter for `--segment KEY`.
    pub fn segment(key: &str) -> Result<Self, Error> {
        Segment::from_key(key)
            .map(CustomerFilter::Segment)
            .ok_or_else(|| {
                let keys: Vec<&str> = Segment::ALL.iter().map(|s| s.key()).collect();
                invalid(format!(
                    "unknown segment {key:?}; segments are {}",
                    keys.join(", ")
                ))
            })
    }

    /// The filter for `--lapse overdue|dormant|active`.
    pub fn lapse(key: &str) -> Result<Self, Error> {
        LapseState::from_key(key)
            .map(CustomerFilter::Lapse)
            .ok_or_else(|| {
                invalid(format!(
                    "unknown lapse state {key:?}; use overdue, dormant or active"
                ))
            })
    }

    /// The filter for `--top-clv N`.
    pub fn top_clv(count: usize) -> Self {
        CustomerFilter::TopClv(count)
    }

    /// The filter for `--first-product NAME`.
    pub fn first_product(name: &str) -> Result<Self, Error> {
        let name = name.trim();
        if name.is_empty() {
            return Err(invalid("a first product needs a name".to_string()));
        }
        Ok(CustomerFilter::FirstProduct(name.to_string()))
    }

    /// The filter for `--first-channel NAME`.
    pub fn first_channel(name: &str) -> Result<Self, Error> {
        let mut key = Vec::new();
        channel_key(name.as_bytes(), &mut key);
        if key.is_empty() {
            return Err(invalid("a first channel needs a name".to_string()));
        }
        Ok(CustomerFilter::FirstChannel(
            String::from_utf8_lossy(&key).into_owned(),
        ))
    }

    /// The filter for `--subscription active|churned|at_risk`.
    pub fn subscription(key: &str) -> Result<Self, Error> {
        SubscriptionState::ALL
            .iter()
            .copied()
            .find(|state| state.as_str() == key.trim())
            .map(CustomerFilter::Subscription)
            .ok_or_else(|| {
                invalid(format!(
                    "unknown subscription state {key:?}; use active, churned or at_risk"
                ))
            })
    }

    /// The filter for `--cohort YYYY-MM`.
    pub fn cohort(month: &str) -> Result<Self, Error> {
        parse_month(month)
            .map(CustomerFilter::Cohort)
            .ok_or_else(|| invalid(format!("cohort {month:?} is not a month written YYYY-MM")))
    }
}

/// The text encoding of a customer-list CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    #[default]
    Utf8,
    /// Shift_JIS (CP932); a text cell holding a character it cannot represent is written with numeric
    /// character references (see [`CsvList::unwritable`]).
    ShiftJis,
}

impl CsvEncoding {
    /// `utf-8` or `shift_jis` (also `sjis`, `cp932`, any case).
    pub fn parse(name: &str) -> Result<Self, Error> {
        match name.to_ascii_lowercase().replace('-', "_").as_str() {
            "utf_8" | "utf8" => Ok(CsvEncoding::Utf8),
            "shift_jis" | "sjis" | "cp932" | "windows_31j" => Ok(CsvEncoding::ShiftJis),
            _ => Err(invalid(format!(
                "unknown encoding {name:?}; use utf-8 or shift_jis"
            ))),
        }
    }
}

fn invalid(message: String) -> Error {
    ErrorKind::InvalidOption(message).into()
}

/// The rows of every customer passing `filter`, by revenue (highest first), then key.
pub(crate) fn rows(
    ctx: &Context<'_>,
    identities: &Identities,
    filter: &CustomerFilter,
) -> Vec<CustomerRow> {
    let table = ctx.customers;
    let scoring = rfm::score(ctx);
    let cycle = Cycle::measure(ctx);
    let values = &ctx.fitted().values;
    // The top-CLV list picks its customers before any row is built.
    let top: Option<std::collections::HashSet<usize>> = match *filter {
        CustomerFilter::TopClv(limit) => {
            let mut ranked: Vec<(usize, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((i, v.clv?)))
                .collect();
            // Highest CLV first, then the key, as the list is sorted: the set is the list's head.
            let key = |i: usize| {
                let id = table.customers().get(i).map_or(0, |c| c.id as usize);
                identities.keys.get(id).map_or("", |k| &**k)
            };
            let by_clv = |a: &(usize, f64), b: &(usize, f64)| {
                b.1.total_cmp(&a.1).then_with(|| key(a.0).cmp(key(b.0)))
            };
            if limit < ranked.len() {
                ranked.select_nth_unstable_by(limit, by_clv);
                ranked.truncate(limit);
            }
            Some(ranked.into_iter().map(|(i, _)| i).collect())
        }
        _ => None,
    };
    let traits = ctx.traits;
    let firsts = FirstOccasions::of(ctx);
    let first_products = |i: usize| -> Option<String> {
        let mut names: Vec<&str> = firsts
            .products_of(i)
            .iter()
            .filter_map(|&(_, p)| traits.products.get(p as usize).map(|n| &**n))
            .collect();
        names.sort_unstable();
        names.dedup();
        (!names.is_empty()).then(|| names.join(";"))
    };
    let first_channel = |i: usize| -> Option<&str> {
        let channel = *firsts.channel.get(i)?;
        (channel != NO_CHANNEL)
            .then(|| traits.channels.get(channel as usize).map(|c| &**c))
            .flatten()
    };
    let subscriptions = SubscriptionLists::of(ctx);
    let text = |values: &[Option<Box<str>>], id: u32| {
        values
            .get(id as usize)
            .and_then(Option::as_deref)
            .map(str::to_string)
    };
    let mut rows: Vec<CustomerRow> = table
        .customers()
        .iter()
        .zip(&scoring.scores)
        .enumerate()
        .filter_map(|(i, (c, scores))| {
            let lapse = cycle.state(ctx, c);
            let first = table.first_day(c);
            let value = values.get(i);
            let keep = match filter {
                CustomerFilter::All => true,
                CustomerFilter::FirstProduct(name) => {
                    firsts.products_of(i).iter().any(|&(_, p)| {
                        traits
                            .products
                            .get(p as usize)
                            .is_some_and(|n| **n == **name)
                    })
                }
                CustomerFilter::FirstChannel(key) => first_channel(i) == Some(key.as_str()),
                CustomerFilter::TopClv(_) => top.as_ref().is_some_and(|top| top.contains(&i)),
                CustomerFilter::Segment(segment) => scores.segment() == *segment,
                CustomerFilter::Lapse(state) => lapse == *state,
                CustomerFilter::Cohort(month) => month_index(first) == *month,
                CustomerFilter::Subscription(wanted) => {
                    let state = subscriptions.as_ref().and_then(|s| s.state(c.id));
                    match wanted {
                        SubscriptionState::Active => {
                            state.is_some_and(|s| s != SubscriptionState::Churned)
                        }
                        _ => state == Some(*wanted),
                    }
                }
            };
            keep.then(|| CustomerRow {
                customer_key: identities
                    .keys
                    .get(c.id as usize)
                    .map(|k| k.to_string())
                    .unwrap_or_default(),
                email: text(&identities.emails, c.id),
                name: text(&identities.names, c.id),
                first_purchase: format_day(first),
                second_purchase: table.second_day(c).map(format_day),
                last_purchase: format_day(table.last_day(c)),
                occasions: table.occasion_count(c),
                orders: c.orders,
                revenue: crate::analysis::money(c.revenue),
                recency_days: ctx.recency_days(c),
                r: scores.r,
                f: scores.f,
                m: scores.m,
                segment: scores.segment(),
                lapse,
                p_alive: value.map(|v| v.p_alive),
                expected_purchases: value.map(|v| v.expected_purchases),
                expected_value: value.and_then(|v| v.expected_value),
                clv: value.and_then(|v| v.clv),
                first_product: first_products(i),
                first_channel: first_channel(i).map(str::to_string),
                first_discount: traits
                    .has_discount
                    .then(|| firsts.discount.get(i).copied().unwrap_or(false)),
                subscription: subscriptions.as_ref().and_then(|s| s.state(c.id)),
                subscription_deliveries: subscriptions.as_ref().and_then(|s| s.deliveries(c.id)),
                last_delivery: subscriptions
                    .as_ref()
                    .and_then(|s| s.last_delivery(c.id))
                    .map(format_day),
                revenue_units: c.revenue,
            })
        })
        .collect();
    if let CustomerFilter::TopClv(limit) = *filter {
        rows.sort_unstable_by(|a, b| {
            b.clv
                .unwrap_or(0.0)
                .total_cmp(&a.clv.unwrap_or(0.0))
                .then_with(|| a.customer_key.cmp(&b.customer_key))
        });
        rows.truncate(limit);
        return rows;
    }
    rows.sort_unstable_by(|a, b| {
        b.revenue_units
            .cmp(&a.revenue_units)
            .then_with(|| a.customer_key.cmp(&b.customer_key))
    });
    rows
}

/// A customer list written as a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvList {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// How many text cells hold a character that the encoding cannot represent (only Shift_JIS has
    /// such characters: emoji, rarer kanji such as 𠮷). Each such cell is written losslessly, every
    /// such character as a numeric character reference `&#xHEX;` and every `&` as `&#x26;` (as is a
    /// cell holding the text `&#`, so that no written cell reads as another's); a reader that decodes
    /// the references gets the value back. A count above zero is reported: "N values could not be
    /// written in Shift_JIS: use UTF-8".
    pub unwritable: u64,
}

/// The rows as a CSV file: the header of `language`, CRLF line ends, RFC 4180 quoting.
pub(crate) fn csv(rows: &[CustomerRow], encoding: CsvEncoding, language: ListLanguage) -> CsvList {
    let mut unwritable = 0;
    let mut cell = |value: &str| text_cell(value, encoding, &mut unwritable);
    let mut text = String::with_capacity(128 * (rows.len() + 1));
    if encoding == CsvEncoding::Utf8 {
        text.push('\u{FEFF}'); // the byte-order mark, EF BB BF
    }
    text.push_str(&language.columns().join(","));
    text.push_str("\r\n");
    for row in rows {
        let fields: [String; 25] = [
            cell(&row.customer_key),
            cell(row.email.as_deref().unwrap_or("")),
            cell(row.name.as_deref().unwrap_or("")),
            row.first_purchase.clone(),
            row.second_purchase.clone().unwrap_or_default(),
            row.last_purchase.clone(),
            row.occasions.to_string(),
            row.orders.to_string(),
            decimal(row.revenue_units),
            row.recency_days.to_string(),
            row.r.to_string(),
            row.f.to_string(),
            row.m.to_string(),
            language.segment(row.segment).to_string(),
            language.lapse(row.lapse).to_string(),
            fixed(row.p_alive, 4),
            fixed(row.expected_purchases, 4),
            fixed(row.expected_value, 2),
            fixed(row.clv, 2),
            cell(row.first_product.as_deref().unwrap_or("")),
            cell(row.first_channel.as_deref().unwrap_or("")),
            row.first_discount
                .map_or_else(String::new, |d| d.to_string()),
            row.subscription
                .map_or_else(String::new, |s| language.subscription(s).to_string()),
            row.subscription_deliveries.clone().unwrap_or_default(),
            row.last_delivery.clone().unwrap_or_default(),
        ];
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    let bytes = match encoding {
        CsvEncoding::Utf8 => text.into_bytes(),
        CsvEncoding::ShiftJis => shift_jis(&text),
    };
    CsvList { bytes, unwritable }
}

/// A model output with `decimals` decimals; empty when there is none.
fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

/// A text cell: neutralised when a spreadsheet would read it (or a part of it) as a formula, written
/// so that `encoding` holds it (counting the cells that needed references in `unwritable`), then
/// quoted if needed.
fn text_cell(value: &str, encoding: CsvEncoding, unwritable: &mut u64) -> String {
    let neutral = neutralise(value);
    let written = match encoding {
        CsvEncoding::Utf8 => neutral,
        CsvEncoding::ShiftJis => shift_jis_cell(neutral, unwritable),
    };
    // `;` and tab are the list separators of other locales (Excel in most of Europe splits on `;`).
    if written.contains([',', ';', '\t', '"', '\r', '\n']) {
        format!("\"{}\"", written.replace('"', "\"\""))
    } else {
        written
    }
}

/// The characters that make a spreadsheet read a cell as a formula (or that some tools strip before
/// reading one): `= + - @`, their full-width forms, tab and CR.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '＝', '＋', '－', '＠', '\t', '\r'];

/// `value` with a `'` before every formula character that starts it or follows a `,`, `;` or tab: each
/// part a list separator could make a cell of its own starts as text. A part that starts with `'` gets
/// one more, so that distinct values stay distinct (removing the first `'` of every part that starts
/// with one gives the value back).
fn neutralise(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 1);
    let mut part_start = true;
    for c in value.chars() {
        if part_start && (c == '\'' || FORMULA_STARTS.contains(&c)) {
            out.push('\'');
        }
        out.push(c);
        part_start = matches!(c, ',' | ';' | '\t');
    }
    out
}

/// A cell written for Shift_JIS: as it is when every character survives the round trip, else (and
/// when it holds the text `&#`) with `&` as `&#x26;` and each character that does not survive as
/// `&#xHEX;`; the first case is counted in `unwritable`.
fn shift_jis_cell(value: String, unwritable: &mut u64) -> String {
    let lossy = !value.chars().all(shift_jis_holds);
    if !lossy && !value.contains("&#") {
        return value;
    }
    if lossy {
        *unwritable += 1;
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        if c == '&' || !shift_jis_holds(c) {
            out.push_str(&format!("&#x{:X};", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether Shift_JIS (CP932) writes `c` so that it reads back as `c` (the yen sign, for one, is
/// written as the byte of `\` and reads back as `\`).
fn shift_jis_holds(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buffer));
    if unmappable {
        return false;
    }
    let (back, malformed) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(&bytes);
    !malformed && back.chars().eq(std::iter::once(c))
}

/// Minor units as a plain decimal: no thousands separator, no trailing zeros (`1200`, `29.5`, `-3.25`).
fn decimal(units: i128) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    let scale = MONEY_SCALE as u128;
    let (whole, fraction) = (abs / scale, abs % scale);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{fraction:04}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// Encodes as Shift_JIS (CP932): the cells were written with [`shift_jis_cell`] and the labels are
/// all Shift_JIS characters, so nothing is replaced.
fn shift_jis(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell of a UTF-8 list.
    fn cell(value: &str) -> String {
        let mut unwritable = 0;
        let cell = text_cell(value, CsvEncoding::Utf8, &mut unwritable);
        assert_eq!(unwritable, 0, "UTF-8 holds every character");
        cell
    }

    /// A cell of a Shift_JIS list, and whether it was counted as unwritable.
    fn sjis_cell(value: &str) -> (String, u64) {
        let mut unwritable = 0;
        let cell = text_cell(value, CsvEncoding::ShiftJis, &mut unwritable);
        (cell, unwritable)
    }

    #[test]
    fn formula_cells_are_neutralised_then_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+81 90"), "'+81 90");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@sum"), "'@sum");
        // A tab is a list separator: the cell is quoted as well.
        assert_eq!(cell("\tx"), "\"'\tx\"");
        assert_eq!(cell("\rx"), "\"'\rx\"");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("山田 太郎"), "山田 太郎");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn formulas_after_a_list_separator_are_neutralised_and_the_cell_quoted() {
        // Excel with `;` as its list separator would split `x;=HYPERLINK(...);` into a formula cell.
        assert_eq!(
            cell("x;=HYPERLINK(\"http://x.example\");"),
            "\"x;'=HYPERLINK(\"\"http://x.example\"\");\""
        );
        assert_eq!(cell("a\t+1"), "\"a\t'+1\"");
        assert_eq!(cell("a,@b"), "\"a,'@b\"");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("a\tb"), "\"a\tb\"");
        // The full-width forms, which Excel reads as formulas too.
        assert_eq!(cell("＝1+1"), "'＝1+1");
        assert_eq!(cell("＋81"), "'＋81");
        assert_eq!(cell("－1"), "'－1");
        assert_eq!(cell("＠x"), "'＠x");
        assert_eq!(cell("商品A;＝1"), "\"商品A;'＝1\"");
        // Only at the start of a part: a formula character inside one is text.
        assert_eq!(cell("a-b;c=d"), "\"a-b;c=d\"");
        assert_eq!(cell("x; =1"), "\"x; =1\"");
        // A value that looks neutralised already is told apart from the one neutralised.
        assert_eq!(cell("'=x"), "''=x");
        assert_ne!(cell("'=x"), cell("=x"));
        assert_eq!(cell("a;'b"), "\"a;''b\"");
        assert_eq!(cell("O'Brien"), "O'Brien");
    }

    #[test]
    fn shift_jis_cells_keep_what_it_cannot_hold_as_references_and_count_them() {
        assert_eq!(sjis_cell("山田①㈱髙"), ("山田①㈱髙".to_string(), 0));
        assert_eq!(sjis_cell("Tom & Jerry"), ("Tom & Jerry".to_string(), 0));
        // U+1F600 and U+20BB7 are not in CP932; the `;` of the reference makes the cell quoted.
        assert_eq!(
            sjis_cell("a😀@x.com"),
            ("\"a&#x1F600;@x.com\"".to_string(), 1)
        );
        assert_eq!(sjis_cell("𠮷野"), ("\"&#x20BB7;野\"".to_string(), 1));
        // Two customers told apart only by an emoji keep distinct keys (not both `a?`).
        assert_ne!(sjis_cell("a😀").0, sjis_cell("a😁").0);
        // The yen sign and U+2212 MINUS SIGN are written as characters that read back otherwise (`\`,
        // U+FF0D): they are references too.
        assert_eq!(sjis_cell("¥100"), ("\"&#xA5;100\"".to_string(), 1));
        assert_eq!(sjis_cell("a−b"), ("\"a&#x2212;b\"".to_string(), 1));
        // A cell written as references has its `&` as a reference, and so has a cell holding the text
        // `&#`, which therefore never reads as the references of another cell.
        assert_eq!(sjis_cell("&😀"), ("\"&#x26;&#x1F600;\"".to_string(), 1));
        assert_eq!(
            sjis_cell("a&#x1F600;"),
            ("\"a&#x26;#x1F600;\"".to_string(), 0)
        );
        assert_ne!(sjis_cell("a&#x1F600;").0, sjis_cell("a😀").0);
        // Neutralised on the value itself, before the references are written.
        assert_eq!(sjis_cell("=😀"), ("\"'=&#x1F600;\"".to_string(), 1));
    }

    #[test]
    fn money_is_a_plain_decimal() {
        assert_eq!(decimal(12_000_000), "1200");
        assert_eq!(decimal(295_000), "29.5");
        assert_eq!(decimal(-32_500), "-3.25");
        assert_eq!(decimal(1), "0.0001");
        assert_eq!(decimal(0), "0");
    }

    #[test]
    fn shift_jis_keeps_cp932_characters() {
        let bytes = shift_jis("①㈱髙a");
        let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!had_errors);
        assert_eq!(decoded, "①㈱髙a");
    }

    #[test]
    fn filters_and_encodings_parse_from_their_names() {
        assert_eq!(
            CustomerFilter::segment("cant_lose").unwrap(),
            CustomerFilter::Segment(Segment::CantLose)
        );
        assert!(CustomerFilter::segment("vip").is_err());
        assert_eq!(
            CustomerFilter::lapse("dormant").unwrap(),
            CustomerFilter::Lapse(LapseState::Dormant)
        );
        assert_eq!(
            CustomerFilter::cohort("2024-03").unwrap(),
            CustomerFilter::Cohort(2024 * 12 + 2)
        );
        assert!(CustomerFilter::cohort("2024-13").is_err());
        assert_eq!(
            CsvEncoding::parse("Shift_JIS").unwrap(),
            CsvEncoding::ShiftJis
        );
        assert_eq!(CsvEncoding::parse("utf-8").unwrap(), CsvEncoding::Utf8);
        assert!(CsvEncoding::parse("latin1").is_err());
        assert_eq!(ListLanguage::parse("ja").unwrap(), ListLanguage::Ja);
        assert_eq!(ListLanguage::parse("EN").unwrap(), ListLanguage::En);
        assert!(ListLanguage::parse("jp").is_err());
    }

    #[test]
    fn every_japanese_label_is_distinct_and_shift_jis_can_hold_it() {
        let labels: Vec<&str> = Segment::ALL
            .iter()
            .map(|&s| ListLanguage::Ja.segment(s))
            .chain(
                [LapseState::Active, LapseState::Overdue, LapseState::Dormant]
                    .map(|s| ListLanguage::Ja.lapse(s)),
            )
            .chain(COLUMNS_JA)
            .collect();
        for (i, label) in labels.iter().enumerate() {
            assert!(!labels[..i].contains(label), "{label} twice");
            let bytes = shift_jis(label);
            let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
            assert!(!had_errors && decoded == *label, "{label}");
        }
    }
}
