//! The byte format of a partial state (README "Partial state format"): an 8-byte signature, the format
//! version (u32, little-endian), sections (an id byte, a u64 little-endian length, the body) in a fixed
//! order, and an FNV-1a 64-bit checksum of everything before it (u64, little-endian).
//!
//! Inside the sections, whole numbers are LEB128 varints (signed ones zigzag-encoded first), texts a
//! varint byte length and UTF-8, an optional value a varint 0 for none or the value + 1. Orders are
//! stored grouped by customer, each customer and day as the difference from the previous order's, so
//! that a typical order costs about ten bytes. Reading checks everything it reads (numbers in range,
//! the canonical order of customers and orders, valid dates), so that no bytes, however damaged or
//! made up, can make a state the analyses would trip over.

use super::{pack, unpack, PartialState, Reading, Shards, MAX_LINE};
use crate::error::{Error, ErrorKind};
use crate::ingest::columns::{Format, Role};
use crate::ingest::decode::TextEncoding;
use crate::ingest::notices::{Notice, WarningCode, ARG_NAMES};
use crate::ingest::orders::{DateReading, Identities, Order, OrderTraits, NO_CHANNEL};
use crate::ingest::subscription::{SubscriptionMark, NO_SUBSCRIPTION, NO_SUBSCRIPTION_ID};
use crate::ingest::values::{date_to_day, Day, DayOrder};
use crate::ingest::Dataset;
use crate::report::Warning;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The version of the byte format this build writes and reads.
pub const STATE_FORMAT_VERSION: u32 = 3;

/// The signature: a byte above ASCII (a transfer that strips the eighth bit changes it), the name, and
/// a CR LF pair (a transfer that rewrites line ends changes it), as PNG's does.
const MAGIC: [u8; 8] = *b"\x89LTVp\r\n\x1a";

/// The sections, in the order they are written.
const SECTIONS: [(u8, &str); 8] = [
    (1, "summary"),
    (2, "warnings"),
    (3, "customers"),
    (4, "products"),
    (5, "channels"),
    (6, "subscription ids"),
    (7, "orders"),
    (8, "shards"),
];

/// Bits of an order's flag byte.
const GUEST: u8 = 1;
const SAME_CUSTOMER: u8 = 2;
const DISCOUNT: u8 = 4;
const HAS_TIME: u8 = 8;
const HAS_CHANNEL: u8 = 16;
const HAS_PRODUCTS: u8 = 32;
const HAS_SUBSCRIPTION: u8 = 64;
const OTHER_READING: u8 = 128;

/// The seconds of a day, a leap second included.
const MAX_TIME: u32 = 86_400;

// ---------------------------------------------------------------------------------------------------
// Writing

/// The bytes of `state`.
pub(super) fn write(state: &PartialState) -> Vec<u8> {
    let d = &state.dataset;
    let mut out = Vec::with_capacity(64 + d.orders.len() * 12);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&STATE_FORMAT_VERSION.to_le_bytes());
    let merged = matches!(&state.shards, Shards::Merged(names) if !names.is_empty());
    let bodies: [Vec<u8>; 8] = [
        summary(state),
        warnings(&d.warnings),
        customers(&d.identities),
        texts(&d.traits.products),
        texts(&d.traits.channels),
        texts(&d.traits.subscription_ids),
        orders(d, merged),
        shards(&state.shards),
    ];
    for ((id, _), body) in SECTIONS.iter().zip(bodies) {
        out.push(*id);
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
    }
    let checksum = fnv1a(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

fn summary(state: &PartialState) -> Vec<u8> {
    let d = &state.dataset;
    let mut w = Writer::default();
    w.uint(state.reading.columns.len() as u64);
    for (role, header) in &state.reading.columns {
        w.text(role.as_str());
        w.opt_text(header.as_deref());
    }
    w.uint(match state.reading.date_order {
        None => 0,
        Some(order) => day_order_code(order),
    });
    w.opt_text(state.reading.encoding.map(TextEncoding::as_str));
    w.uint(state.header_line);
    w.text(d.format.as_str());
    w.text(d.encoding.as_str());
    w.uint(d.columns.len() as u64);
    for (role, header) in &d.columns {
        w.text(role);
        w.opt_text(header.as_deref());
    }
    w.opt_text(d.currency.as_deref());
    for count in [
        d.rows,
        d.orders_seen,
        d.excluded_orders,
        d.skipped_rows,
        d.rows_in_orders,
        d.disagreements,
        d.dates.month_first_votes,
        d.dates.day_first_votes,
        d.dates.ambiguous_values,
    ] {
        w.uint(count);
    }
    w.uint(day_order_code(d.dates.applied));
    w.uint(u64::from(d.dates.chosen));
    w.uint(match d.missing_identity {
        None => 0,
        Some(Notice::NoIdentity { .. }) => 1,
        Some(_) => 2,
    });
    let t = &d.traits;
    let flags = [
        t.has_product,
        t.has_discount,
        t.has_channel,
        t.has_subscription_id,
        t.has_subscription_column,
    ];
    w.uint(
        flags
            .iter()
            .enumerate()
            .fold(0, |bits, (i, &on)| bits | (u64::from(on) << i)),
    );
    w.bytes
}

fn day_order_code(order: DayOrder) -> u64 {
    match order {
        DayOrder::MonthFirst => 1,
        DayOrder::DayFirst => 2,
    }
}

fn warnings(list: &[Warning]) -> Vec<u8> {
    let mut w = Writer::default();
    w.uint(list.len() as u64);
    for warning in list {
        w.opt_uint(warning.row);
        w.opt_text(warning.column.as_deref());
        w.text(warning.code.as_str());
        w.text(&warning.message);
        w.uint(warning.args.len() as u64);
        for (name, value) in &warning.args {
            w.text(name);
            w.text(value);
        }
    }
    w.bytes
}

fn customers(identities: &Identities) -> Vec<u8> {
    let mut w = Writer::default();
    w.uint(identities.keys.len() as u64);
    for (i, key) in identities.keys.iter().enumerate() {
        w.text(key);
        w.uint(u64::from(
            identities.from_id.get(i).copied().unwrap_or(false),
        ));
        w.opt_text(identities.emails.get(i).and_then(Option::as_deref));
        w.opt_text(identities.names.get(i).and_then(Option::as_deref));
    }
    w.bytes
}

fn texts(list: &[Box<str>]) -> Vec<u8> {
    let mut w = Writer::default();
    w.uint(list.len() as u64);
    for text in list {
        w.text(text);
    }
    w.bytes
}

/// 0 and the shard's optional name, or 1 and the merged shards' names.
fn shards(shards: &Shards) -> Vec<u8> {
    let mut w = Writer::default();
    match shards {
        Shards::One(name) => {
            w.uint(0);
            w.opt_text(name.as_deref());
        }
        Shards::Merged(names) => {
            w.uint(1);
            w.uint(names.len() as u64);
            for name in names {
                w.text(name);
            }
        }
    }
    w.bytes
}

/// The orders; in a `merged` state of named shards each line is followed by the order's shard
/// ([`pack`]).
fn orders(d: &Dataset, merged: bool) -> Vec<u8> {
    let mut w = Writer::default();
    w.uint(d.orders.len() as u64);
    let mut readings = d.dates.other_readings.iter().peekable();
    let mut previous_customer: Option<u32> = None;
    let mut previous_day: Day = 0;
    for (index, order) in d.orders.iter().enumerate() {
        let other = readings
            .next_if(|(at, _)| *at as usize == index)
            .map(|&(_, day)| day);
        let products = d.traits.products_of(order);
        let mark = d.traits.subscription_of(order);
        let same = order.customer.is_some() && order.customer == previous_customer;
        let flags = [
            (order.customer.is_none(), GUEST),
            (same, SAME_CUSTOMER),
            (order.discount, DISCOUNT),
            (order.time != 0, HAS_TIME),
            (order.channel != NO_CHANNEL, HAS_CHANNEL),
            (!products.is_empty(), HAS_PRODUCTS),
            (mark.is_some(), HAS_SUBSCRIPTION),
            (other.is_some(), OTHER_READING),
        ]
        .iter()
        .fold(0u8, |bits, &(on, bit)| if on { bits | bit } else { bits });
        w.bytes.push(flags);
        if let (Some(customer), false) = (order.customer, same) {
            // Customers ascend: the step from the previous one, less one.
            let step = match previous_customer {
                Some(previous) => customer - previous - 1,
                None => customer,
            };
            w.uint(u64::from(step));
            previous_customer = Some(customer);
        }
        w.int(i64::from(order.day) - i64::from(previous_day));
        previous_day = order.day;
        w.int(order.revenue);
        if order.time != 0 {
            w.uint(u64::from(order.time));
        }
        if order.channel != NO_CHANNEL {
            w.uint(u64::from(order.channel));
        }
        if !products.is_empty() {
            w.uint(products.len() as u64);
            let mut previous = 0;
            for (i, &p) in products.iter().enumerate() {
                // Ascending and distinct: each the step from the one before.
                w.uint(u64::from(if i == 0 { p } else { p - previous - 1 }));
                previous = p;
            }
        }
        if let Some(mark) = mark {
            w.opt_uint((mark.id != NO_SUBSCRIPTION_ID).then_some(u64::from(mark.id)));
            w.opt_uint(mark.delivery.map(u64::from));
            w.opt_int(
                mark.cancelled_on
                    .map(|c| i64::from(c) - i64::from(order.day)),
            );
        }
        if let Some(other) = other {
            w.int(i64::from(other) - i64::from(order.day));
        }
        let (line, shard) = unpack(d.first_lines.get(index).copied().unwrap_or(0));
        w.uint(line);
        if merged {
            w.uint(shard);
        }
    }
    w.bytes
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    fn uint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    fn int(&mut self, value: i64) {
        self.uint(((value << 1) ^ (value >> 63)) as u64);
    }

    fn opt_uint(&mut self, value: Option<u64>) {
        match value {
            None => self.uint(0),
            Some(v) => self.uint(v.saturating_add(1)),
        }
    }

    fn opt_int(&mut self, value: Option<i64>) {
        self.opt_uint(value.map(|v| ((v << 1) ^ (v >> 63)) as u64));
    }

    fn text(&mut self, text: &str) {
        self.uint(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    fn opt_text(&mut self, text: Option<&str>) {
        match text {
            None => self.uint(0),
            Some(t) => {
                self.uint(t.len() as u64 + 1);
                self.bytes.extend_from_slice(t.as_bytes());
            }
        }
    }
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------------------------------
// Reading

fn invalid(message: String) -> Error {
    ErrorKind::InvalidState(message).into()
}

/// The state in `bytes`.
pub(super) fn read(bytes: &[u8]) -> Result<PartialState, Error> {
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(invalid(
            "the bytes do not begin with the signature of an LTV Lens partial state (write one with \
             `ltv-lens partial`)"
                .into(),
        ));
    }
    let header = MAGIC.len() + 4;
    let Some(version) = bytes.get(MAGIC.len()..header) else {
        return Err(invalid(
            "the state is truncated: it ends after its signature".into(),
        ));
    };
    let version = u32::from_le_bytes([version[0], version[1], version[2], version[3]]);
    if version != STATE_FORMAT_VERSION {
        let which = if version > STATE_FORMAT_VERSION {
            "a newer"
        } else {
            "an older"
        };
        return Err(invalid(format!(
            "the state is in format version {version}, {which} version; this build reads version \
             {STATE_FORMAT_VERSION} (write the states and read them with the same ltv-lens version)"
        )));
    }
    if bytes.len() < header + 8 {
        return Err(invalid(format!(
            "the state is truncated: {} bytes, too short for any state",
            bytes.len()
        )));
    }
    let (content, checksum) = bytes.split_at(bytes.len() - 8);
    let mut stored = [0u8; 8];
    stored.copy_from_slice(checksum);
    if fnv1a(content) != u64::from_le_bytes(stored) {
        return Err(invalid(format!(
            "the state is truncated or damaged: its checksum does not match its {} bytes",
            bytes.len()
        )));
    }
    let mut sections = Reader::new(&content[header..], "state");
    let mut bodies: Vec<Reader<'_>> = Vec::with_capacity(SECTIONS.len());
    for (id, name) in SECTIONS {
        let found = sections.byte()?;
        if found != id {
            return Err(invalid(format!(
                "section {name} was expected at byte {}, not section {found}",
                header + sections.at - 1
            )));
        }
        let mut length = [0u8; 8];
        length.copy_from_slice(sections.take(8)?);
        let length = usize::try_from(u64::from_le_bytes(length)).unwrap_or(usize::MAX);
        bodies.push(Reader::new(sections.take(length)?, name));
    }
    if sections.at != sections.bytes.len() {
        return Err(invalid(format!(
            "{} bytes follow the last section",
            sections.bytes.len() - sections.at
        )));
    }
    let [mut summary, mut warnings, mut customers, mut products, mut channels, mut ids, mut orders, mut shards_body] =
        <[Reader<'_>; 8]>::try_from(bodies).map_err(|_| invalid("a section is missing".into()))?;
    let (reading, header_line, mut dataset) = read_summary(&mut summary)?;
    dataset.warnings = read_warnings(&mut warnings)?;
    dataset.identities = read_customers(&mut customers)?;
    dataset.traits.products = read_texts(&mut products)?;
    dataset.traits.channels = read_texts(&mut channels)?;
    dataset.traits.subscription_ids = read_texts(&mut ids)?;
    let shards = read_shards(&mut shards_body)?;
    let merged = match &shards {
        Shards::Merged(names) if !names.is_empty() => Some(names.len() as u64),
        Shards::Merged(_) | Shards::One(_) => None,
    };
    read_orders(&mut orders, &mut dataset, merged)?;
    for body in [
        &summary,
        &warnings,
        &customers,
        &products,
        &channels,
        &ids,
        &orders,
        &shards_body,
    ] {
        body.finished()?;
    }
    Ok(PartialState {
        dataset,
        reading,
        header_line,
        shards,
    })
}

fn read_shards(r: &mut Reader<'_>) -> Result<Shards, Error> {
    match r.uint()? {
        0 => Ok(Shards::One(r.opt_text()?)),
        1 => {
            let count = r.count()?;
            let mut names: Vec<String> = Vec::with_capacity(count);
            for _ in 0..count {
                let name = r.text()?;
                if names.last().is_some_and(|last| *last >= name) {
                    return Err(r.error(format!("shard {name:?} is out of order")));
                }
                names.push(name);
            }
            Ok(Shards::Merged(names))
        }
        other => Err(r.error(format!("unknown kind of shards {other}"))),
    }
}

fn read_summary(r: &mut Reader<'_>) -> Result<(Reading, u64, Dataset), Error> {
    let overrides = r.count()?;
    let mut columns = Vec::with_capacity(overrides);
    for _ in 0..overrides {
        let role = r.role()?;
        columns.push((role, r.opt_text()?));
    }
    let date_order = match r.uint()? {
        0 => None,
        code => Some(day_order(r, code)?),
    };
    let chosen_encoding = match r.opt_text()? {
        None => None,
        Some(name) => Some(encoding_named(r, &name)?),
    };
    let header_line = r.uint()?;
    let format = r.text()?;
    let format = *Format::ALL
        .iter()
        .find(|f| f.as_str() == format)
        .ok_or_else(|| r.error(format!("unknown export format {format:?}")))?;
    let encoding = r.text()?;
    let encoding = encoding_named(r, &encoding)?;
    let roles = r.count()?;
    let mut column_names = BTreeMap::new();
    for _ in 0..roles {
        let role = r.role()?;
        column_names.insert(role.as_str(), r.opt_text()?);
    }
    let currency = r.opt_text()?;
    let mut counts = [0u64; 9];
    for count in &mut counts {
        *count = r.uint()?;
    }
    let [rows, orders_seen, excluded_orders, skipped_rows, rows_in_orders, disagreements, month_first_votes, day_first_votes, ambiguous_values] =
        counts;
    let code = r.uint()?;
    let applied = day_order(r, code)?;
    let chosen = match r.uint()? {
        0 => false,
        1 => true,
        other => return Err(r.error(format!("{other} is not a yes or no"))),
    };
    let missing_identity = match r.uint()? {
        0 => None,
        1 => Some(Notice::NoIdentity {
            platform: format.label(),
        }),
        2 => Some(Notice::NoCustomerColumn),
        other => return Err(r.error(format!("unknown identity note {other}"))),
    };
    let flags = r.uint()?;
    if flags >= 1 << 5 {
        return Err(r.error(format!("unknown column flags {flags:#x}")));
    }
    let flag = |i: u32| flags & (1 << i) != 0;
    let traits = OrderTraits {
        has_product: flag(0),
        has_discount: flag(1),
        has_channel: flag(2),
        has_subscription_id: flag(3),
        has_subscription_column: flag(4),
        ..OrderTraits::default()
    };
    let dataset = Dataset {
        orders: Vec::new(),
        identities: Identities::default(),
        format,
        encoding,
        columns: column_names,
        rows,
        orders_seen,
        excluded_orders,
        outlier_orders: 0,
        beyond_exact: None,
        first_lines: Vec::new(),
        skipped_rows,
        rows_in_orders,
        warnings: Vec::new(),
        currency,
        traits,
        dates: DateReading {
            applied,
            chosen,
            month_first_votes,
            day_first_votes,
            ambiguous_values,
            other_readings: Vec::new(),
        },
        disagreements,
        missing_identity,
    };
    Ok((
        Reading {
            columns,
            date_order,
            encoding: chosen_encoding,
        },
        header_line,
        dataset,
    ))
}

fn encoding_named(r: &Reader<'_>, name: &str) -> Result<TextEncoding, Error> {
    TextEncoding::ALL
        .iter()
        .find(|e| e.as_str() == name)
        .copied()
        .ok_or_else(|| r.error(format!("unknown text encoding {name:?}")))
}

fn day_order(r: &Reader<'_>, code: u64) -> Result<DayOrder, Error> {
    match code {
        1 => Ok(DayOrder::MonthFirst),
        2 => Ok(DayOrder::DayFirst),
        other => Err(r.error(format!("unknown day/month order {other}"))),
    }
}

fn read_warnings(r: &mut Reader<'_>) -> Result<Vec<Warning>, Error> {
    let count = r.count()?;
    let mut list = Vec::with_capacity(count);
    for _ in 0..count {
        let row = r.opt_uint()?;
        let column = r.opt_text()?;
        let code = r.text()?;
        let code = *WarningCode::ALL
            .iter()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| r.error(format!("unknown warning code {code:?}")))?;
        let message = r.text()?;
        let mut args = BTreeMap::new();
        for _ in 0..r.count()? {
            let name = r.text()?;
            let name = *ARG_NAMES
                .iter()
                .find(|n| **n == name)
                .ok_or_else(|| r.error(format!("unknown warning argument {name:?}")))?;
            args.insert(name, r.text()?);
        }
        list.push(Warning {
            row,
            column,
            message,
            code,
            args,
        });
    }
    Ok(list)
}

fn read_customers(r: &mut Reader<'_>) -> Result<Identities, Error> {
    let count = r.count()?;
    let mut identities = Identities {
        keys: Vec::with_capacity(count),
        emails: Vec::with_capacity(count),
        names: Vec::with_capacity(count),
        from_id: Vec::with_capacity(count),
    };
    for _ in 0..count {
        let key: Box<str> = r.text()?.into();
        let from_id = match r.uint()? {
            0 => false,
            1 => true,
            other => return Err(r.error(format!("{other} is not a kind of customer key"))),
        };
        if let (Some(previous), Some(&previous_id)) =
            (identities.keys.last(), identities.from_id.last())
        {
            if (previous, previous_id) > (&key, from_id) {
                return Err(r.error("the customers are not in the order of their keys".into()));
            }
        }
        identities.keys.push(key);
        identities.from_id.push(from_id);
        identities.emails.push(r.opt_text()?.map(Into::into));
        identities.names.push(r.opt_text()?.map(Into::into));
    }
    Ok(identities)
}

fn read_texts(r: &mut Reader<'_>) -> Result<Vec<Box<str>>, Error> {
    let count = r.count()?;
    let mut list: Vec<Box<str>> = Vec::with_capacity(count);
    for _ in 0..count {
        let text: Box<str> = r.text()?.into();
        if list.last().is_some_and(|previous| *previous >= text) {
            return Err(r.error("the texts are not in order".into()));
        }
        list.push(text);
    }
    Ok(list)
}

/// The orders; `merged`: the number of named shards of a merged state that has some, whose orders
/// carry their shard.
fn read_orders(r: &mut Reader<'_>, d: &mut Dataset, merged: Option<u64>) -> Result<(), Error> {
    let count = r.count()?;
    let customers = d.identities.keys.len() as u64;
    let products = d.traits.products.len() as u64;
    let channels = d.traits.channels.len() as u64;
    let subscription_ids = d.traits.subscription_ids.len() as u64;
    let (first_day, last_day) = (day_of(1900, 1, 1), day_of(2199, 12, 31));
    let mut orders = Vec::with_capacity(count);
    let mut customer_orders = vec![false; customers as usize];
    let mut previous_customer: Option<u32> = None;
    let mut guests_began = false;
    let mut previous_day: i64 = 0;
    for index in 0..count {
        let flags = r.byte()?;
        let customer = if flags & GUEST != 0 {
            guests_began = true;
            None
        } else if guests_began {
            return Err(r.error(format!("order {index} of a customer follows a guest order")));
        } else if flags & SAME_CUSTOMER != 0 {
            Some(previous_customer.ok_or_else(|| {
                r.error(format!("order {index} has the same customer as no order"))
            })?)
        } else {
            let step = r.uint()?;
            let customer = match previous_customer {
                Some(previous) => u64::from(previous).saturating_add(step).saturating_add(1),
                None => step,
            };
            if customer >= customers {
                return Err(r.error(format!(
                    "order {index} names customer {customer} of {customers}"
                )));
            }
            Some(customer as u32)
        };
        if let Some(c) = customer {
            customer_orders[c as usize] = true;
            previous_customer = Some(c);
        }
        let day = previous_day.saturating_add(r.int()?);
        if !(i64::from(first_day)..=i64::from(last_day)).contains(&day) {
            return Err(r.error(format!(
                "order {index} has a date outside the years 1900 to 2199"
            )));
        }
        previous_day = day;
        let day = day as Day;
        let revenue = r.int()?;
        let time = if flags & HAS_TIME != 0 {
            let time = r.uint()?;
            if time == 0 || time > u64::from(MAX_TIME) {
                return Err(r.error(format!("order {index} has a time of {time} seconds")));
            }
            time as u32
        } else {
            0
        };
        let channel = if flags & HAS_CHANNEL != 0 {
            r.below(channels, "channel")? as u32
        } else {
            NO_CHANNEL
        };
        let products_start = d.traits.product_lists.len() as u32;
        if flags & HAS_PRODUCTS != 0 {
            let n = r.count()?;
            let mut next: u64 = 0;
            for i in 0..n {
                let step = r.uint()?;
                let product = if i == 0 {
                    step
                } else {
                    next.saturating_add(step)
                };
                if product >= products {
                    return Err(r.error(format!(
                        "order {index} names product {product} of {products}"
                    )));
                }
                d.traits.product_lists.push(product as u32);
                next = product + 1;
            }
        }
        let products_len = d.traits.product_lists.len() as u32 - products_start;
        if flags & HAS_PRODUCTS != 0 && products_len == 0 {
            return Err(r.error(format!("order {index} has an empty product list")));
        }
        let subscription = if flags & HAS_SUBSCRIPTION != 0 {
            let id = match r.opt_uint()? {
                None => NO_SUBSCRIPTION_ID,
                Some(id) if id < subscription_ids => id as u32,
                Some(id) => {
                    return Err(r.error(format!(
                        "order {index} names subscription {id} of {subscription_ids}"
                    )))
                }
            };
            let delivery = match r.opt_uint()? {
                None => None,
                Some(n) if (1..=u64::from(u32::MAX)).contains(&n) => Some(n as u32),
                Some(n) => return Err(r.error(format!("order {index} has delivery number {n}"))),
            };
            let cancelled_on = match r.opt_int()? {
                None => None,
                Some(offset) => {
                    let c = i64::from(day).saturating_add(offset);
                    if !(i64::from(first_day)..=i64::from(last_day)).contains(&c) {
                        return Err(r.error(format!(
                            "order {index} has a cancellation date outside the years 1900 to 2199"
                        )));
                    }
                    Some(c as Day)
                }
            };
            d.traits.subscriptions.push(SubscriptionMark {
                id,
                delivery,
                cancelled_on,
            });
            (d.traits.subscriptions.len() - 1) as u32
        } else {
            NO_SUBSCRIPTION
        };
        if flags & OTHER_READING != 0 {
            let other = i64::from(day).saturating_add(r.int()?);
            if !(i64::from(first_day)..=i64::from(last_day)).contains(&other) {
                return Err(r.error(format!(
                    "order {index} has another reading outside the years 1900 to 2199"
                )));
            }
            d.dates.other_readings.push((index as u32, other as Day));
        }
        let line = r.uint()?;
        if line == 0 || line > MAX_LINE {
            return Err(r.error(format!("order {index} has no line or line {line}")));
        }
        let shard = match merged {
            Some(names) => match r.uint()? {
                shard if shard <= names => shard,
                shard => {
                    return Err(r.error(format!("order {index} is of shard {shard}, of {names}")))
                }
            },
            None => 0,
        };
        d.first_lines.push(pack(line, shard));
        orders.push(Order {
            day,
            customer,
            revenue,
            time,
            channel,
            products_start,
            products_len,
            discount: flags & DISCOUNT != 0,
            subscription,
        });
    }
    if let Some(c) = customer_orders.iter().position(|has| !has) {
        return Err(r.error(format!("customer {c} has no order")));
    }
    d.orders = orders;
    Ok(())
}

fn day_of(year: i32, month: u32, day: u32) -> Day {
    NaiveDate::from_ymd_opt(year, month, day).map_or(0, date_to_day)
}

/// Reads one section's body, with the section's name for its errors.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    section: &'static str,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], section: &'static str) -> Self {
        Reader {
            bytes,
            at: 0,
            section,
        }
    }

    fn error(&self, problem: String) -> Error {
        invalid(format!(
            "section {} at byte {}: {problem}",
            self.section, self.at
        ))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(self.error(format!(
                "{n} bytes are needed and {} are left",
                self.bytes.len() - self.at
            )));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn uint(&mut self) -> Result<u64, Error> {
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 || shift > 63 {
                return Err(self.error("a number is too large".into()));
            }
            value |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.error("a number is too large".into()))
    }

    fn int(&mut self) -> Result<i64, Error> {
        let v = self.uint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn opt_uint(&mut self) -> Result<Option<u64>, Error> {
        Ok(self.uint()?.checked_sub(1))
    }

    fn opt_int(&mut self) -> Result<Option<i64>, Error> {
        Ok(self
            .opt_uint()?
            .map(|v| (v >> 1) as i64 ^ -((v & 1) as i64)))
    }

    /// A count of items that follow, each at least one byte long.
    fn count(&mut self) -> Result<usize, Error> {
        let n = self.uint()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n > left {
            return Err(self.error(format!("{n} items cannot fit in the {left} bytes left")));
        }
        Ok(n as usize)
    }

    /// A number below `limit`, naming `what` in the error.
    fn below(&mut self, limit: u64, what: &str) -> Result<u64, Error> {
        let n = self.uint()?;
        if n >= limit {
            return Err(self.error(format!("{what} {n} of {limit}")));
        }
        Ok(n)
    }

    fn text(&mut self) -> Result<String, Error> {
        let n = self.count()?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.error("a text is not UTF-8".into()))
    }

    fn opt_text(&mut self) -> Result<Option<String>, Error> {
        match self.uint()?.checked_sub(1) {
            None => Ok(None),
            Some(n) => {
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                let bytes = self.take(n)?;
                String::from_utf8(bytes.to_vec())
                    .map(Some)
                    .map_err(|_| self.error("a text is not UTF-8".into()))
            }
        }
    }

    fn role(&mut self) -> Result<Role, Error> {
        let key = self.text()?;
        Role::parse(&key).ok_or_else(|| self.error(format!("unknown column role {key:?}")))
    }

    fn finished(&self) -> Result<(), Error> {
        if self.at != self.bytes.len() {
            return Err(self.error(format!(
                "{} bytes are left over",
                self.bytes.len() - self.at
            )));
        }
        Ok(())
    }
}
