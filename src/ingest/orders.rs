//! Order assembly: rows in, orders out. Line-item rows are collapsed by order id (order-level fields
//! from the first row where non-empty), cancelled / voided / refunded orders are set aside, customer
//! keys are interned once (with the first e-mail and name seen for each customer, for customer lists),
//! and unreadable values become located warnings.

use super::columns::{Columns, Format, Role};
use super::decode::TextEncoding;
use super::exact_sums;
use super::identity::{push_normalised, KeyRole};
use super::interner::Interner;
use super::notices::Notice;
use super::outliers::{self, DateChecks};
use super::presets::Identity;
use super::records::Record;
use super::subscription::{
    is_subscription_flag, parse_delivery_number, PendingMark, SubscriptionMark, NO_SUBSCRIPTION,
};
use super::values::{
    bounded_text, format_day, parse_date, parse_date_candidates, parse_money, parse_quantity,
    parse_signed_quantity, trim, Day, DayOrder, MAX_TEXT_CHARS, MONEY_SCALE,
};
use crate::report::Warning;
use hashbrown::HashMap;

/// How much of a currency value is kept (and compared): far more than any currency code.
const CURRENCY_BYTES_KEPT: usize = 64;

/// How many rows disagreeing with their order's first row are listed among the warnings.
pub(crate) const MAX_DISAGREEMENT_WARNINGS: u64 = 5;

/// How many warnings the Report lists; the rest are only counted.
pub const MAX_WARNINGS: usize = 20;

/// Sentinel for "no value yet".
const NO_DAY: Day = Day::MIN;
const NO_CUSTOMER: u32 = u32::MAX;

const HAS_TOTAL: u8 = 1;
const HAS_REFUND: u8 = 2;
const HAS_LINES: u8 = 4;
const STATUS_SEEN: u8 = 8;
const EXCLUDED: u8 = 16;
const CUSTOMER_FROM_ID: u8 = 32;
const POSITIVE_LINE: u8 = 64;
const DISCOUNTED: u8 = 128;

/// Sentinel for "no channel".
pub(crate) const NO_CHANNEL: u32 = u32::MAX;

/// An order being assembled from its rows.
#[derive(Debug, Clone)]
struct PendingOrder {
    first_line: u64,
    total: i64,
    refunded: i64,
    line_sum: i64,
    date: Day,
    /// The day-first reading of an ambiguous year-last date (`date` holds the month-first one);
    /// `NO_DAY` otherwise.
    day_first: Day,
    customer: u32,
    /// Interned channel key (from the first row where non-empty), or [`NO_CHANNEL`].
    channel: u32,
    /// Seconds since midnight of the order's time, 0 when the date has none.
    time: u32,
    rows_read: u32,
    flags: u8,
}

impl PendingOrder {
    fn new(first_line: u64) -> Self {
        PendingOrder {
            first_line,
            total: 0,
            refunded: 0,
            line_sum: 0,
            date: NO_DAY,
            day_first: NO_DAY,
            customer: NO_CUSTOMER,
            channel: NO_CHANNEL,
            time: 0,
            rows_read: 0,
            flags: 0,
        }
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// An order that counts: not excluded, with a date and an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// Calendar day of the order.
    pub day: Day,
    /// Interned customer, `None` for a guest order.
    pub customer: Option<u32>,
    /// Revenue in minor units ([`super::values::MONEY_SCALE`] per unit).
    pub revenue: i64,
    /// Seconds since midnight, 0 when the date has no time (orders of a day are ordered by it).
    pub time: u32,
    /// Interned channel key ([`OrderTraits::channels`]), [`NO_CHANNEL`] when none.
    pub channel: u32,
    /// Where the order's distinct products start in [`OrderTraits::product_lists`].
    pub products_start: u32,
    /// How many distinct products the order has.
    pub products_len: u32,
    /// A non-empty discount code or a discount amount above 0.
    pub discount: bool,
    /// Where the order's subscription values are in [`OrderTraits::subscriptions`], or
    /// [`NO_SUBSCRIPTION`] when it is not a subscription delivery.
    pub subscription: u32,
}

impl Order {
    /// An order with no product, channel, time or discount.
    #[cfg(test)]
    pub(crate) fn plain(day: Day, customer: Option<u32>, revenue: i64) -> Order {
        Order {
            day,
            customer,
            revenue,
            time: 0,
            channel: NO_CHANNEL,
            products_start: 0,
            products_len: 0,
            discount: false,
            subscription: NO_SUBSCRIPTION,
        }
    }
}

/// What orders carry besides day, customer and revenue, by interned number: product names, channel keys,
/// and which of the roles behind them the file has.
#[derive(Debug, Clone, Default)]
pub(crate) struct OrderTraits {
    /// Product names (trimmed), by interned number.
    pub products: Vec<Box<str>>,
    /// Every order's distinct product numbers, sorted, back to back (see [`Order::products_start`]).
    pub product_lists: Vec<u32>,
    /// Channel keys (trimmed, case-folded, a URL reduced to its host), by interned number.
    pub channels: Vec<Box<str>>,
    /// The file has a product column.
    pub has_product: bool,
    /// The file has a discount code or discount amount column.
    pub has_discount: bool,
    /// The file has a channel column.
    pub has_channel: bool,
    /// The subscription values of the subscription deliveries (see [`Order::subscription`]).
    pub subscriptions: Vec<SubscriptionMark>,
    /// The file has a subscription id column.
    pub has_subscription_id: bool,
    /// Subscription ids as written, by interned number ([`SubscriptionMark::id`]).
    pub subscription_ids: Vec<Box<str>>,
    /// The file has a subscription id or delivery number column, or a subscription flag column that
    /// marks an order.
    pub has_subscription_column: bool,
}

impl OrderTraits {
    /// The distinct product numbers of `order`, ascending.
    pub fn products_of(&self, order: &Order) -> &[u32] {
        let start = order.products_start as usize;
        self.product_lists
            .get(start..start + order.products_len as usize)
            .unwrap_or_default()
    }

    /// The subscription values of `order`, `None` when it is not a subscription delivery.
    pub fn subscription_of(&self, order: &Order) -> Option<&SubscriptionMark> {
        self.subscriptions.get(order.subscription as usize)
    }
}

/// An e-mail and a name, each kept when first seen.
type Contact = (Option<Box<str>>, Option<Box<str>>);

/// Who a customer is, by interned customer number: the key and the first e-mail and name seen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Identities {
    /// The key shown for each customer ([`super::identity::shown_keys`]): its normalised customer id
    /// or e-mail.
    pub keys: Vec<Box<str>>,
    /// The first non-empty e-mail value seen for the customer.
    pub emails: Vec<Option<Box<str>>>,
    /// The first non-empty name value seen for the customer.
    pub names: Vec<Option<Box<str>>>,
    /// Whether the key is a customer id (`true`) or an e-mail (`false`): two customers whose key
    /// texts are equal are still told apart.
    pub from_id: Vec<bool>,
}

/// How the file's year-last slash dates were read: what decided the day/month order, and the other
/// reading of every counted order whose date could be read both ways, so that the order can be decided
/// again over several files (partial states).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateReading {
    /// The order the counted orders' days are read in.
    pub applied: DayOrder,
    /// Whether the user chose it (`Options::date_order`); then `other_readings` is empty.
    pub chosen: bool,
    /// Dates that can be read month-first only / day-first only.
    pub month_first_votes: u64,
    pub day_first_votes: u64,
    /// Date values that could be read both ways.
    pub ambiguous_values: u64,
    /// (index in [`Dataset::orders`], the day in the order not applied) of each counted order whose
    /// date could be read both ways.
    pub other_readings: Vec<(u32, Day)>,
}

/// Everything ingest hands to the analyses: the orders that count plus what was left out and why.
#[derive(Debug, Clone)]
pub(crate) struct Dataset {
    /// Orders that count (not excluded, with a date and an amount), in file order.
    pub orders: Vec<Order>,
    /// Customers by interned number (`Order::customer`); some may own only excluded orders.
    pub identities: Identities,
    /// The kind of export.
    pub format: Format,
    /// The text encoding.
    pub encoding: TextEncoding,
    /// The header name used for each role.
    pub columns: std::collections::BTreeMap<&'static str, Option<String>>,
    /// Data rows read.
    pub rows: u64,
    /// Distinct orders among the rows.
    pub orders_seen: u64,
    /// Cancelled / voided / refunded orders.
    pub excluded_orders: u64,
    /// Orders left out for outlier dates (`Options::keep_outlier_dates` keeps them).
    pub outlier_orders: u64,
    /// The first line of the order at which the amounts add up past what the Report states exactly,
    /// with that limit ([`exact_sums`]); the file is then refused.
    pub beyond_exact: Option<(u64, String)>,
    /// The first line of each order of `orders` (by position), for the outlier-date warnings and
    /// [`exact_sums`]; in a partial state, lines of the shard's own file.
    pub first_lines: Vec<u64>,
    /// Rows left out.
    pub skipped_rows: u64,
    /// Rows that belong to an order that counts or is excluded: `rows` = this + `skipped_rows`.
    pub rows_in_orders: u64,
    /// The first problems.
    pub warnings: Vec<Warning>,
    /// The first currency code seen.
    pub currency: Option<String>,
    /// Product names, channel keys and the roles behind them.
    pub traits: OrderTraits,
    /// How year-last dates were read.
    pub dates: DateReading,
    /// Rows whose date, total or customer disagree with their order's first row.
    pub disagreements: u64,
    /// The note that the file cannot tell customers apart, when it cannot.
    pub missing_identity: Option<Notice>,
}

/// The day/month order that `month_first` and `day_first` votes decide (month-first when nothing
/// decides), with the note that goes with it: both orders seen, or only dates no vote settles.
pub(crate) fn decide_day_order(
    month_first: u64,
    day_first: u64,
    ambiguous: u64,
) -> (DayOrder, Option<Notice>) {
    let order = if day_first > month_first {
        DayOrder::DayFirst
    } else {
        DayOrder::MonthFirst
    };
    let notice = if month_first > 0 && day_first > 0 {
        Some(Notice::MixedDayOrder {
            month_first,
            day_first,
            chosen: if order == DayOrder::DayFirst {
                "day-first"
            } else {
                "month-first"
            },
        })
    } else if month_first == 0 && day_first == 0 && ambiguous > 0 {
        Some(Notice::AmbiguousDates { count: ambiguous })
    } else {
        None
    };
    (order, notice)
}

/// The count of disagreeing rows, when more rows disagreed than are listed.
pub(crate) fn disagreements_in_all(count: u64) -> Option<Notice> {
    (count > MAX_DISAGREEMENT_WARNINGS).then_some(Notice::DisagreementsInAll { count })
}

/// Collects rows into orders.
pub struct OrderBook {
    columns: Columns,
    orders: Vec<PendingOrder>,
    order_ids: Interner,
    last_order_id: Vec<u8>,
    last_order: Option<u32>,
    customers: Interner,
    emails: Vec<Option<Box<str>>>,
    names: Vec<Option<Box<str>>>,
    /// Whether the customers' e-mails and names are kept (for customer lists; the Report uses neither).
    contacts: bool,
    /// E-mail and name seen on rows of an order before its customer is known, by order index.
    pending_contacts: HashMap<u32, Contact>,
    /// The last customer value found to match its order's customer.
    last_customer_value: Vec<u8>,
    /// The row's customer id (or composite identity) normalised (reused).
    composite: Vec<u8>,
    /// The row's e-mail normalised (reused).
    email_key: Vec<u8>,
    /// Rows whose date, total or customer disagree with their order's first row.
    disagreements: u64,
    /// Year-last dates that can be read only month-first / only day-first, and ones that could be both.
    month_first_votes: u64,
    day_first_votes: u64,
    ambiguous_dates: u64,
    /// The current row's disagreements: (column, what).
    row_disagreements: Vec<(Option<usize>, Notice)>,
    key: Vec<u8>,
    rows: u64,
    skipped_rows: u64,
    warnings: Vec<Warning>,
    currency: Option<Vec<u8>>,
    /// The first currency value as the Report shows it (cut to 200 characters with an ellipsis).
    currency_text: Option<String>,
    mixed_currency_noted: bool,
    /// Product names by interned number.
    products: Interner,
    /// (order index, product number) of every row with a product.
    order_products: Vec<(u32, u32)>,
    /// Channel keys by interned number.
    channels: Interner,
    /// A channel key being built (reused).
    channel_key: Vec<u8>,
    /// Subscription ids by interned number.
    subscription_ids: Interner,
    /// The subscription values read so far, by order index (only orders with one).
    pending_subscriptions: HashMap<u32, PendingMark>,
}

/// A value that could not be read: the column and what is wrong.
struct Problem {
    column: Option<usize>,
    notice: Notice,
}

impl OrderBook {
    /// An empty book for files with these columns.
    pub fn new(columns: Columns) -> Self {
        OrderBook {
            columns,
            orders: Vec::new(),
            order_ids: Interner::default(),
            last_order_id: Vec::new(),
            last_order: None,
            customers: Interner::default(),
            emails: Vec::new(),
            names: Vec::new(),
            contacts: true,
            pending_contacts: HashMap::new(),
            last_customer_value: Vec::new(),
            composite: Vec::new(),
            email_key: Vec::new(),
            disagreements: 0,
            month_first_votes: 0,
            day_first_votes: 0,
            ambiguous_dates: 0,
            row_disagreements: Vec::new(),
            key: Vec::new(),
            rows: 0,
            skipped_rows: 0,
            warnings: Vec::new(),
            currency: None,
            currency_text: None,
            mixed_currency_noted: false,
            products: Interner::default(),
            order_products: Vec::new(),
            channels: Interner::default(),
            channel_key: Vec::new(),
            subscription_ids: Interner::default(),
            pending_subscriptions: HashMap::new(),
        }
    }

    /// A book that keeps no customer's e-mail or name (`Identities::emails` and `names` stay empty).
    pub fn without_contacts(mut self) -> Self {
        self.contacts = false;
        self
    }

    /// Adds one data row.
    pub fn add_row(&mut self, row: &Record<'_>) {
        self.rows += 1;
        let index = self.order_index(row);
        self.row_disagreements.clear();
        match self.read_row(index, row) {
            Ok(()) => {
                self.orders[index].rows_read += 1;
                for (column, notice) in std::mem::take(&mut self.row_disagreements) {
                    self.disagreements += 1;
                    if self.disagreements <= MAX_DISAGREEMENT_WARNINGS {
                        let column = column
                            .and_then(|i| self.columns.name_at(i))
                            .map(str::to_string);
                        self.warn(Some(row.line), column, notice);
                    }
                }
            }
            Err(problem) => {
                self.skipped_rows += 1;
                let column = problem
                    .column
                    .and_then(|i| self.columns.name_at(i))
                    .map(str::to_string);
                self.warn(Some(row.line), column, problem.notice);
            }
        }
    }

    fn order_index(&mut self, row: &Record<'_>) -> usize {
        let id = trim(row.get(self.columns.get(Role::OrderId)));
        let line = row.line;
        if id.is_empty() {
            // No order id: the row is an order of its own.
            self.last_order = None;
            self.orders.push(PendingOrder::new(line));
            return self.orders.len() - 1;
        }
        // Line items of one order are usually adjacent: skip the hash lookup for them.
        if let Some(last) = self.last_order {
            if self.last_order_id == id {
                return last as usize;
            }
        }
        let next = u32::try_from(self.orders.len()).unwrap_or(u32::MAX);
        let index = self.order_ids.intern(id, next);
        if index == next {
            self.orders.push(PendingOrder::new(line));
        }
        self.last_order_id.clear();
        self.last_order_id.extend_from_slice(id);
        self.last_order = Some(index);
        index as usize
    }

    /// Reads the values this row contributes to its order; on a problem the order is left untouched.
    fn read_row(&mut self, index: usize, row: &Record<'_>) -> Result<(), Problem> {
        let cols = &self.columns;
        let order = &self.orders[index];

        let date_col = cols.get(Role::Date);
        let date = match order.date {
            NO_DAY => self.read_date(row, date_col)?,
            first => {
                // Later rows may repeat the date; one that says otherwise is noted, not used.
                if let Ok(Some(day)) = read(row, date_col, parse_date, |value| Notice::NotADate {
                    value,
                }) {
                    if day != first {
                        let notice = Notice::DateDisagrees {
                            value: format_day(day),
                            first: format_day(first),
                        };
                        self.disagree(date_col, notice);
                    }
                }
                None
            }
        };
        let cols = &self.columns;
        let order = &self.orders[index];
        let total_col = cols.get(Role::Total);
        let total = match order.has(HAS_TOTAL) {
            false => read(row, total_col, parse_money, |value| Notice::NotAnAmount {
                value,
            })?,
            true => {
                let first = order.total;
                if let Ok(Some(total)) = read(row, total_col, parse_money, |value| {
                    Notice::NotAnAmount { value }
                }) {
                    if total != first {
                        let notice = Notice::TotalDisagrees {
                            value: money_text(total),
                            first: money_text(first),
                        };
                        self.disagree(total_col, notice);
                    }
                }
                None
            }
        };
        let cols = &self.columns;
        let order = &self.orders[index];
        let refund_col = cols.get(Role::Refunded);
        let refunded = match order.has(HAS_REFUND) {
            false => read(row, refund_col, parse_money, |value| Notice::NotAnAmount {
                value,
            })?,
            true => None,
        };
        let preset = cols.preset;
        let mut positive_line = false;
        // Line items matter only while the order has no total.
        let line_amount = match (
            order.has(HAS_TOTAL) || total.is_some(),
            cols.get(Role::LinePrice),
        ) {
            (false, Some(price_col)) => {
                let price = read(row, Some(price_col), parse_money, |value| {
                    Notice::NotAnAmount { value }
                })?;
                let qty_col = cols.get(Role::Quantity);
                let quantity = if preset.invoice {
                    read(row, qty_col, parse_signed_quantity, |value| {
                        Notice::NotAQuantity { value }
                    })?
                } else {
                    read(row, qty_col, parse_quantity, |value| Notice::NotAQuantity {
                        value,
                    })?
                };
                if quantity.is_some_and(|q| q > 0) {
                    positive_line = true;
                }
                match price {
                    // Some reports give the line's total, not a unit price.
                    Some(price) if preset.line_price_is_line_total => Some(price),
                    Some(price) => {
                        Some(price.checked_mul(quantity.unwrap_or(1)).ok_or(Problem {
                            column: Some(price_col),
                            notice: Notice::LineTooLarge,
                        })?)
                    }
                    None => None,
                }
            }
            _ => None,
        };

        let excluded_by_status = match order.has(STATUS_SEEN) {
            false => {
                let status = trim(row.get(cols.get(Role::Status)));
                (!status.is_empty()).then(|| {
                    is_excluding_status(status)
                        || preset
                            .excluding_status_ids
                            .iter()
                            .any(|id| id.as_bytes() == status)
                })
            }
            true => None,
        };
        let cancelled = !trim(row.get(cols.get(Role::Cancelled))).is_empty()
            // An invoice numbered with a C is a credit note.
            || (preset.invoice
                && trim(row.get(cols.get(Role::OrderId)))
                    .first()
                    .is_some_and(|b| b.eq_ignore_ascii_case(&b'C')));
        let line_sum = match line_amount {
            Some(amount) => order.line_sum.checked_add(amount).ok_or(Problem {
                column: cols.get(Role::LinePrice),
                notice: Notice::LineSumTooLarge,
            })?,
            None => order.line_sum,
        };
        let subscription = self.read_subscription(row)?;
        let customer = self.read_customer(index, row);
        self.note_currency(row);
        if let Some(values) = subscription {
            self.keep_subscription(index, row, values);
        }
        let discounted = self.read_discount(row);
        let time = match (date, cols_has(&self.columns, Role::Channel)) {
            (Some(_), true) => Some(time_of_day(row.get(self.columns.get(Role::Date)))),
            _ => None,
        };
        self.read_product(index, row);
        let channel = self.read_channel(index, row);

        let order = &mut self.orders[index];
        if let Some((day, day_first)) = date {
            order.date = day;
            order.day_first = day_first;
        }
        if let Some(total) = total {
            order.total = total;
            order.flags |= HAS_TOTAL;
        }
        if let Some(refunded) = refunded {
            order.refunded = refunded;
            order.flags |= HAS_REFUND;
        }
        if positive_line {
            order.flags |= POSITIVE_LINE;
        }
        if line_amount.is_some() {
            order.line_sum = line_sum;
            order.flags |= HAS_LINES;
        }
        if let Some(excluded) = excluded_by_status {
            order.flags |= STATUS_SEEN | if excluded { EXCLUDED } else { 0 };
        }
        if cancelled {
            order.flags |= EXCLUDED;
        }
        if discounted {
            order.flags |= DISCOUNTED;
        }
        if let Some(time) = time {
            order.time = time;
        }
        if let Some(channel) = channel {
            order.channel = channel;
        }
        if let Some((customer, from_id)) = customer {
            order.customer = customer;
            if from_id {
                order.flags |= CUSTOMER_FROM_ID;
            }
        }
        Ok(())
    }

    /// The customer this row names, when it improves on what the order has: a customer id wins over an
    /// e-mail; the first non-empty value of each wins over later rows. The row's e-mail and name are
    /// kept for the customer when it has none yet.
    fn read_customer(&mut self, index: usize, row: &Record<'_>) -> Option<(u32, bool)> {
        let order = &self.orders[index];
        let known = (order.customer != NO_CUSTOMER).then_some(order.customer);
        let preset = self.columns.preset;
        let mut id = std::mem::take(&mut self.composite);
        id.clear();
        if preset.identity == Identity::None {
            // No identity: every order is a guest order.
        } else if !self.columns.identity.is_empty() {
            // Masked e-mails: the customer is the listed columns together (name and phone).
            for &column in &self.columns.identity {
                let start = id.len();
                if start > 0 {
                    id.push(b' ');
                }
                let part_start = id.len();
                push_normalised(KeyRole::Id, row.field(column), &mut id);
                if id.len() == part_start {
                    id.truncate(start);
                }
            }
        } else {
            push_normalised(
                KeyRole::Id,
                row.get(self.columns.get(Role::CustomerId)),
                &mut id,
            );
            if preset.guest_ids.iter().any(|g| g.as_bytes() == id) {
                id.clear();
            }
        }
        let mut email = std::mem::take(&mut self.email_key);
        email.clear();
        if preset.identity == Identity::Standard {
            let raw = row.get(self.columns.get(Role::Email));
            push_normalised(KeyRole::Email, raw, &mut email);
        }
        let found = self.resolve_customer(index, row, known, &id, &email);
        self.composite = id;
        self.email_key = email;
        found
    }

    /// The customer of normalised `id` and `email` (see [`Self::read_customer`]).
    fn resolve_customer(
        &mut self,
        index: usize,
        row: &Record<'_>,
        known: Option<u32>,
        id: &[u8],
        email: &[u8],
    ) -> Option<(u32, bool)> {
        let order = &self.orders[index];
        if let Some(customer) = known {
            let from_id = order.has(CUSTOMER_FROM_ID);
            self.check_same_customer(customer, if from_id { id } else { email }, from_id);
        }
        let order = &self.orders[index];
        let found = if order.has(CUSTOMER_FROM_ID) {
            None
        } else if !id.is_empty() {
            self.key.clear();
            self.key.push(KeyRole::Id.tag());
            self.key.extend_from_slice(id);
            Some((self.intern_key(), true))
        } else if known.is_none() && !email.is_empty() {
            self.key.clear();
            self.key.push(KeyRole::Email.tag());
            self.key.extend_from_slice(email);
            Some((self.intern_key(), false))
        } else {
            None
        };
        if !self.contacts {
            return found;
        }
        let contact_email = trim(row.get(self.columns.get(Role::Email)));
        let family = trim(row.get(self.columns.get(Role::Name)));
        let given = trim(row.get(self.columns.get(Role::GivenName)));
        let joined;
        let name: &[u8] = match (family.is_empty(), given.is_empty()) {
            (_, true) => family,
            (true, false) => given,
            (false, false) => {
                joined = [family, b" ", given].concat();
                &joined
            }
        };
        let email = contact_email;
        match found.map(|(c, _)| c).or(known) {
            Some(customer) => {
                // Nearly always empty: no hashing then.
                let pending = if self.pending_contacts.is_empty() {
                    None
                } else {
                    self.pending_contacts.remove(&(index as u32))
                };
                if let Some((email, name)) = pending {
                    self.keep_contact(customer, email, name);
                }
                // Text is made only for a detail the customer lacks (most rows add nothing).
                let slot = customer as usize;
                let lacks =
                    |values: &[Option<Box<str>>]| values.get(slot).is_some_and(Option::is_none);
                let email = if lacks(&self.emails) {
                    text(email)
                } else {
                    None
                };
                let name = if lacks(&self.names) { text(name) } else { None };
                if email.is_some() || name.is_some() {
                    self.keep_contact(customer, email, name);
                }
            }
            None if !email.is_empty() || !name.is_empty() => {
                let pending = self.pending_contacts.entry(index as u32).or_default();
                pending.0 = pending.0.take().or_else(|| text(email));
                pending.1 = pending.1.take().or_else(|| text(name));
            }
            None => {}
        }
        found
    }

    /// Notes a row that names another customer than its order's first row did (`value` normalised).
    fn check_same_customer(&mut self, customer: u32, value: &[u8], from_id: bool) {
        // Line items usually repeat the same value row after row: compare bytes before hashing.
        if value.is_empty() || value == self.last_customer_value.as_slice() {
            return;
        }
        self.key.clear();
        let role = if from_id { KeyRole::Id } else { KeyRole::Email };
        self.key.push(role.tag());
        self.key.extend_from_slice(value);
        if self.customers.get(&self.key) == Some(customer) {
            self.last_customer_value.clear();
            self.last_customer_value.extend_from_slice(value);
            return;
        }
        let role = if from_id {
            Role::CustomerId
        } else {
            Role::Email
        };
        let notice = Notice::CustomerDisagrees {
            value: shown(value),
        };
        self.disagree(self.columns.get(role), notice);
    }

    /// Reads an order's date: (the date, or the month-first reading of an ambiguous year-last date;
    /// its day-first reading or `NO_DAY`). Year-last dates that can be read one way only vote for
    /// the column's day/month order.
    fn read_date(
        &mut self,
        row: &Record<'_>,
        column: Option<usize>,
    ) -> Result<Option<(Day, Day)>, Problem> {
        let raw = trim(row.get(column));
        if raw.is_empty() {
            return Ok(None);
        }
        if let Some(day) = parse_date(raw) {
            return Ok(Some((day, NO_DAY)));
        }
        let candidates = parse_date_candidates(raw, None);
        match (candidates.month_first, candidates.day_first) {
            (Some(month_first), Some(day_first)) if month_first != day_first => {
                self.ambiguous_dates += 1;
                Ok(Some((month_first, day_first)))
            }
            (Some(day), _) | (None, Some(day)) => {
                match candidates.decides() {
                    Some(DayOrder::MonthFirst) => self.month_first_votes += 1,
                    Some(DayOrder::DayFirst) => self.day_first_votes += 1,
                    None => {}
                }
                Ok(Some((day, NO_DAY)))
            }
            (None, None) => Err(Problem {
                column,
                notice: Notice::NotADate { value: shown(raw) },
            }),
        }
    }

    /// The day/month order of the file's year-last dates, decided by the dates that can be read one way
    /// only (month-first when nothing decides), with a note when the column did not decide. A user's
    /// choice (`Options::date_order`) replaces it.
    fn day_order(&mut self) -> DayOrder {
        let column = self.columns.name_of(Role::Date).map(str::to_string);
        let (order, notice) = decide_day_order(
            self.month_first_votes,
            self.day_first_votes,
            self.ambiguous_dates,
        );
        if let Some(notice) = notice {
            self.warn(None, column, notice);
        }
        order
    }

    /// Notes that the row being read disagrees with its order's first row; [`Self::add_row`] reports
    /// it once the row is read (the first few are listed).
    fn disagree(&mut self, column: Option<usize>, notice: Notice) {
        self.row_disagreements.push((column, notice));
    }

    /// Says so when the file cannot tell customers apart: every order is then a guest order and no
    /// repeat purchase can be seen.
    fn note_missing_identity(&mut self) -> Option<Notice> {
        let columns = &self.columns;
        let notice = if columns.preset.identity == Identity::None {
            Notice::NoIdentity {
                platform: columns.format.label(),
            }
        } else if columns.get(Role::CustomerId).is_none()
            && columns.get(Role::Email).is_none()
            && columns.identity.is_empty()
        {
            Notice::NoCustomerColumn
        } else {
            return None;
        };
        self.warn(None, None, notice.clone());
        Some(notice)
    }

    /// Keeps an e-mail and a name for `customer` where it has none yet.
    fn keep_contact(&mut self, customer: u32, email: Option<Box<str>>, name: Option<Box<str>>) {
        let customer = customer as usize;
        if let Some(slot) = self.emails.get_mut(customer).filter(|e| e.is_none()) {
            *slot = email;
        }
        if let Some(slot) = self.names.get_mut(customer).filter(|n| n.is_none()) {
            *slot = name;
        }
    }

    fn intern_key(&mut self) -> u32 {
        let next = u32::try_from(self.customers.len()).unwrap_or(NO_CUSTOMER - 1);
        let id = self.customers.intern(&self.key, next);
        if self.contacts && id == next && self.emails.len() <= id as usize {
            self.emails.push(None);
            self.names.push(None);
        }
        id
    }

    fn note_currency(&mut self, row: &Record<'_>) {
        let code = trim(row.get(self.columns.get(Role::Currency)));
        if code.is_empty() {
            return;
        }
        match &self.currency {
            None => {
                self.currency = Some(code[..code.len().min(CURRENCY_BYTES_KEPT)].to_vec());
                self.currency_text = Some(bounded_text(code));
            }
            Some(first)
                if first.as_slice() != &code[..code.len().min(CURRENCY_BYTES_KEPT)]
                    && !self.mixed_currency_noted =>
            {
                self.mixed_currency_noted = true;
                let notice = Notice::MixedCurrency {
                    first: self.currency_text.clone().unwrap_or_default(),
                    other: bounded_text(code),
                };
                let column = self.columns.name_of(Role::Currency).map(str::to_string);
                self.warn(Some(row.line), column, notice);
            }
            Some(_) => {}
        }
    }

    /// Whether this row shows a discount: a non-empty discount code or a discount amount above 0 (an
    /// unreadable amount is no discount; the row still counts).
    fn read_discount(&self, row: &Record<'_>) -> bool {
        let code = trim(row.get(self.columns.get(Role::DiscountCode)));
        if !code.is_empty() {
            return true;
        }
        let amount = trim(row.get(self.columns.get(Role::DiscountAmount)));
        // Some exports write a discount as a negative amount.
        !amount.is_empty() && parse_money(amount).is_some_and(|a| a != 0)
    }

    /// The row's subscription values: (flagged, delivery number, cancellation date), `None` when the row
    /// has none; a [`Problem`] when a delivery number or cancellation date cannot be read.
    fn read_subscription(&self, row: &Record<'_>) -> Result<Option<RowSubscription>, Problem> {
        let cols = &self.columns;
        let (id, number, flag, cancelled) = (
            cols.get(Role::SubscriptionId),
            cols.get(Role::DeliveryNumber),
            cols.get(Role::Subscription),
            cols.get(Role::CancelledOn),
        );
        if id.is_none() && number.is_none() && flag.is_none() && cancelled.is_none() {
            return Ok(None);
        }
        let delivery = read(row, number, parse_delivery_number, |value| {
            Notice::NotADeliveryNumber { value }
        })?;
        let cancelled_on = read(row, cancelled, parse_date, |value| Notice::NotADate {
            value,
        })?;
        let flagged = is_subscription_flag(row.get(flag));
        Ok(Some((flagged, delivery, cancelled_on)))
    }

    /// Keeps the row's subscription values for its order: the first non-empty value of each.
    fn keep_subscription(&mut self, index: usize, row: &Record<'_>, values: RowSubscription) {
        let (flagged, delivery, cancelled_on) = values;
        let id = trim(row.get(self.columns.get(Role::SubscriptionId)));
        if !flagged && delivery.is_none() && cancelled_on.is_none() && id.is_empty() {
            return;
        }
        let interned = (!id.is_empty()).then(|| {
            let next = u32::try_from(self.subscription_ids.len()).unwrap_or(u32::MAX - 1);
            self.subscription_ids.intern(id, next)
        });
        let pending = self.pending_subscriptions.entry(index as u32).or_default();
        pending.flagged |= flagged;
        let mark = &mut pending.mark;
        if let Some(id) = interned.filter(|_| mark.id == super::subscription::NO_SUBSCRIPTION_ID) {
            mark.id = id;
        }
        mark.delivery = mark.delivery.or(delivery);
        mark.cancelled_on = mark.cancelled_on.or(cancelled_on);
    }

    /// Notes the row's product (trimmed) for its order.
    fn read_product(&mut self, index: usize, row: &Record<'_>) {
        let name = trim(row.get(self.columns.get(Role::Product)));
        if name.is_empty() {
            return;
        }
        let next = u32::try_from(self.products.len()).unwrap_or(u32::MAX);
        let product = self.products.intern(name, next);
        let pair = (index as u32, product);
        // Line items repeat: skip a pair just seen.
        if self.order_products.last() != Some(&pair) {
            self.order_products.push(pair);
        }
    }

    /// The row's channel key, when its order has none yet.
    fn read_channel(&mut self, index: usize, row: &Record<'_>) -> Option<u32> {
        if self.orders[index].channel != NO_CHANNEL {
            return None;
        }
        let raw = trim(row.get(self.columns.get(Role::Channel)));
        if raw.is_empty() {
            return None;
        }
        channel_key(raw, &mut self.channel_key);
        if self.channel_key.is_empty() {
            return None;
        }
        let next = u32::try_from(self.channels.len()).unwrap_or(NO_CHANNEL - 1);
        Some(self.channels.intern(&self.channel_key, next))
    }

    fn warn(&mut self, row: Option<u64>, column: Option<String>, notice: Notice) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(notice.warning(row, column));
        }
    }

    /// Counts a data row that is skipped before its values are read, with its warning.
    pub fn skip_row(&mut self, line: u64, notice: Notice) {
        self.rows += 1;
        self.skipped_rows += 1;
        self.warn(Some(line), None, notice);
    }

    /// Lists a warning now, to be reworded once what it counts is known ([`Self::reword`]); answers
    /// its place, `None` when the list is full.
    pub fn warn_for_now(&mut self, line: u64, notice: Notice) -> Option<usize> {
        let listed = self.warnings.len() < MAX_WARNINGS;
        self.warn(Some(line), None, notice);
        listed.then(|| self.warnings.len() - 1)
    }

    /// Rewords the warning listed at `place` by [`Self::warn_for_now`].
    pub fn reword(&mut self, place: usize, notice: &Notice) {
        if let Some(warning) = self.warnings.get_mut(place) {
            *warning = notice.warning(warning.row, None);
        }
    }

    /// Settles every order: counted, excluded, or left out for want of a date or an amount.
    pub fn finish(
        mut self,
        encoding: TextEncoding,
        date_order: Option<DayOrder>,
        date_checks: DateChecks,
    ) -> Dataset {
        // What only reading needed goes before the orders are settled, so that the peak memory of
        // settling them is not added to it: the order-id keys, the contacts waiting for a customer.
        self.order_ids = Interner::default();
        self.pending_contacts = HashMap::new();
        let mut orders = Vec::with_capacity(self.orders.len());
        // The first line of each order in `orders`, for the outlier-date warnings.
        let mut first_lines = Vec::with_capacity(self.orders.len());
        let mut excluded_orders = 0;
        let mut rows_in_orders = 0;
        let day_order = date_order.unwrap_or_else(|| self.day_order());
        let mut pending = std::mem::take(&mut self.orders);
        if day_order == DayOrder::DayFirst {
            // Swapped: `day_first` then holds the reading not applied.
            for order in pending.iter_mut().filter(|o| o.day_first != NO_DAY) {
                std::mem::swap(&mut order.date, &mut order.day_first);
            }
        }
        let mut other_readings = Vec::new();
        let date_name = self.columns.name_of(Role::Date).map(str::to_string);
        let amount_name = self
            .columns
            .name_of(Role::Total)
            .or_else(|| self.columns.name_of(Role::LinePrice))
            .map(str::to_string);
        // Each order's distinct products, in order of order index.
        let mut order_products = std::mem::take(&mut self.order_products);
        order_products.sort_unstable();
        order_products.dedup();
        let mut product_lists: Vec<u32> = Vec::new();
        let mut subscriptions: Vec<SubscriptionMark> = Vec::new();
        let mut next_pair = 0;
        for (index, order) in pending.iter().enumerate() {
            let products_start = product_lists.len() as u32;
            while let Some(&(owner, product)) = order_products.get(next_pair) {
                if owner as usize != index {
                    break;
                }
                if order.rows_read > 0 && !order.has(EXCLUDED) {
                    product_lists.push(product);
                }
                next_pair += 1;
            }
            let products_len = product_lists.len() as u32 - products_start;
            if order.rows_read == 0 {
                continue; // every row was skipped, and counted as such
            }
            // An invoice whose lines are all returns is a cancellation too.
            let all_returns =
                self.columns.preset.invoice && order.has(HAS_LINES) && !order.has(POSITIVE_LINE);
            if order.has(EXCLUDED) || all_returns {
                excluded_orders += 1;
                rows_in_orders += u64::from(order.rows_read);
                continue;
            }
            let revenue = if order.has(HAS_TOTAL) {
                Some(order.total.checked_sub(order.refunded))
            } else if order.has(HAS_LINES) {
                Some(order.line_sum.checked_sub(order.refunded))
            } else {
                None
            };
            let missing = match (order.date, revenue) {
                (NO_DAY, _) => Some((date_name.clone(), Notice::OrderWithoutDate)),
                (_, None) => Some((amount_name.clone(), Notice::OrderWithoutAmount)),
                (_, Some(None)) => Some((amount_name.clone(), Notice::RefundTooLarge)),
                (day, Some(Some(revenue))) => {
                    let customer = (order.customer != NO_CUSTOMER).then_some(order.customer);
                    let subscription = match self.pending_subscriptions.get(&(index as u32)) {
                        Some(pending) if pending.is_delivery() => {
                            subscriptions.push(pending.mark);
                            (subscriptions.len() - 1) as u32
                        }
                        _ => NO_SUBSCRIPTION,
                    };
                    if date_order.is_none() && order.day_first != NO_DAY {
                        other_readings.push((orders.len() as u32, order.day_first));
                    }
                    orders.push(Order {
                        day,
                        customer,
                        revenue,
                        time: order.time,
                        channel: order.channel,
                        products_start,
                        products_len,
                        discount: order.has(DISCOUNTED),
                        subscription,
                    });
                    first_lines.push(order.first_line);
                    None
                }
            };
            match missing {
                Some((column, notice)) => {
                    self.skipped_rows += u64::from(order.rows_read);
                    self.warn(Some(order.first_line), column, notice);
                }
                None => rows_in_orders += u64::from(order.rows_read),
            }
        }
        let orders_seen = pending.len() as u64;
        drop(pending);
        drop(order_products);
        let outlier_orders = if date_checks.keep {
            0
        } else {
            let (count, notices) = outliers::leave_out(
                &mut orders,
                &mut first_lines,
                &mut other_readings,
                date_checks.today,
            );
            for (line, notice) in notices {
                self.warn(line, date_name.clone(), notice);
            }
            count
        };
        let beyond_exact = exact_sums::first_beyond(&orders, &first_lines);
        let missing_identity = self.note_missing_identity();
        if let Some(notice) = disagreements_in_all(self.disagreements) {
            self.warn(None, None, notice);
        }
        let mut keys: Vec<Box<str>> = vec![Box::from(""); self.customers.len()];
        let mut from_id = vec![false; self.customers.len()];
        for (key, id) in self.customers.iter() {
            let (role, value) = KeyRole::split(key);
            if let Some(tag) = from_id.get_mut(id as usize) {
                *tag = role == KeyRole::Id;
            }
            if let Some(slot) = keys.get_mut(id as usize) {
                *slot = String::from_utf8_lossy(value).into();
            }
        }
        self.customers = Interner::default();
        let traits = OrderTraits {
            products: interned_texts(&self.products),
            product_lists,
            channels: interned_texts(&self.channels),
            has_product: self.columns.get(Role::Product).is_some(),
            has_discount: self.columns.get(Role::DiscountCode).is_some()
                || self.columns.get(Role::DiscountAmount).is_some(),
            has_channel: self.columns.get(Role::Channel).is_some(),
            has_subscription_column: !subscriptions.is_empty()
                || cols_has(&self.columns, Role::SubscriptionId)
                || cols_has(&self.columns, Role::DeliveryNumber),
            subscriptions,
            has_subscription_id: cols_has(&self.columns, Role::SubscriptionId),
            subscription_ids: exact_texts(&self.subscription_ids),
        };
        Dataset {
            traits,
            orders,
            identities: Identities {
                keys,
                emails: self.emails,
                names: self.names,
                from_id,
            },
            dates: DateReading {
                applied: day_order,
                chosen: date_order.is_some(),
                month_first_votes: self.month_first_votes,
                day_first_votes: self.day_first_votes,
                ambiguous_values: self.ambiguous_dates,
                other_readings,
            },
            disagreements: self.disagreements,
            missing_identity,
            format: self.columns.format,
            encoding,
            columns: super::column_names(&self.columns),
            rows: self.rows,
            orders_seen,
            excluded_orders,
            outlier_orders,
            beyond_exact,
            first_lines,
            skipped_rows: self.skipped_rows,
            rows_in_orders,
            warnings: self.warnings,
            // Without a currency column, the platform's own currency (JPY for the Japanese ones).
            currency: self
                .currency_text
                .or_else(|| self.columns.preset.currency.map(str::to_string)),
        }
    }
}

/// A row's subscription values: flagged, delivery number, cancellation date.
type RowSubscription = (bool, Option<u32>, Option<Day>);

/// Whether the columns have `role`.
fn cols_has(columns: &Columns, role: Role) -> bool {
    columns.get(role).is_some()
}

/// Every interned key as its whole text (an invalid UTF-8 sequence replaced), by number.
fn exact_texts(interner: &Interner) -> Vec<Box<str>> {
    let mut texts: Vec<Box<str>> = vec![Box::from(""); interner.len()];
    for (key, id) in interner.iter() {
        if let Some(slot) = texts.get_mut(id as usize) {
            *slot = String::from_utf8_lossy(key).into();
        }
    }
    texts
}

/// Every interned key as text, by number.
fn interned_texts(interner: &Interner) -> Vec<Box<str>> {
    let mut texts: Vec<Box<str>> = vec![Box::from(""); interner.len()];
    for (key, id) in interner.iter() {
        if let Some(slot) = texts.get_mut(id as usize) {
            *slot = bounded_text(key).into();
        }
    }
    texts
}

/// Seconds since midnight of the first `H:MM[:SS]` in a date value, 0 when it has none.
fn time_of_day(raw: &[u8]) -> u32 {
    let Some(colon) = raw.iter().position(|&b| b == b':') else {
        return 0;
    };
    let digits = |bytes: &[u8]| -> Option<u32> {
        if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        bytes.iter().try_fold(0u32, |n, &b| {
            n.checked_mul(10)?.checked_add(u32::from(b - b'0'))
        })
    };
    let hour_start = raw[..colon]
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let field = |from: usize| raw.get(from..from + 2).and_then(digits);
    let (Some(hour), Some(minute)) = (digits(&raw[hour_start..colon]), field(colon + 1)) else {
        return 0;
    };
    let second = match raw.get(colon + 3) {
        Some(b':') => field(colon + 4).unwrap_or(0),
        _ => 0,
    };
    if hour > 23 || minute > 59 || second > 60 {
        return 0;
    }
    hour * 3600 + minute * 60 + second
}

/// The channel key of a value, into `key`: trimmed and case-folded; a URL (with a scheme, or starting
/// with `www.`) reduced to its host without a leading `www.`.
pub(crate) fn channel_key(raw: &[u8], key: &mut Vec<u8>) {
    key.clear();
    let raw = trim(raw);
    match std::str::from_utf8(raw) {
        // Short ASCII, nearly every value: folded as `to_lowercase` folds it, without allocating.
        Ok(text) if raw.len() <= MAX_TEXT_CHARS && raw.is_ascii() => {
            key.extend(text.trim().bytes().map(|b| b.to_ascii_lowercase()));
        }
        _ => key.extend_from_slice(bounded_text(raw).trim().to_lowercase().as_bytes()),
    }
    let folded = std::str::from_utf8(key).unwrap_or_default();
    let (is_url, rest) = match folded.find("://") {
        Some(i)
            if i > 0
                && folded[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (true, i + 3)
        }
        _ => (folded.starts_with("www."), 0),
    };
    if !is_url {
        return;
    }
    let host = folded[rest..]
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let host = match host.rfind(':') {
        Some(i) if host[i + 1..].bytes().all(|b| b.is_ascii_digit()) => &host[..i],
        _ => host,
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    // `host` lies within `key`: keep only its bytes.
    let start = host.as_ptr() as usize - folded.as_ptr() as usize;
    let end = start + host.len();
    key.truncate(end);
    key.drain(..start);
}

/// Minor units as a plain decimal for messages (`12.5`).
fn money_text(units: i64) -> String {
    (units as f64 / MONEY_SCALE as f64).to_string()
}

/// A field value kept as text (`None` when empty).
fn text(raw: &[u8]) -> Option<Box<str>> {
    (!raw.is_empty()).then(|| bounded_text(raw).into())
}

/// Reads an optional column: `Ok(None)` when absent or empty, a [`Problem`] when unreadable.
fn read<T>(
    row: &Record<'_>,
    column: Option<usize>,
    parse: fn(&[u8]) -> Option<T>,
    what: fn(String) -> Notice,
) -> Result<Option<T>, Problem> {
    let raw = trim(row.get(column));
    if raw.is_empty() {
        return Ok(None);
    }
    match parse(raw) {
        Some(value) => Ok(Some(value)),
        None => Err(Problem {
            column,
            notice: what(shown(raw)),
        }),
    }
}

/// A value as a notice quotes it: text, cut to 40 characters.
fn shown(raw: &[u8]) -> String {
    const SHOWN_CHARS: usize = 40;
    let text = bounded_text(raw);
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Statuses that take an order out of the analysis. `partially_refunded` is not one of them.
fn is_excluding_status(status: &[u8]) -> bool {
    const EXACT: [&[u8]; 4] = [b"cancelled", b"canceled", b"voided", b"refunded"];
    const CONTAINED: [&str; 3] = ["キャンセル", "返品", "取消"];
    EXACT.iter().any(|s| s.eq_ignore_ascii_case(status))
        || CONTAINED
            .iter()
            .any(|s| status.windows(s.len()).any(|w| w == s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::columns::detect;
    use crate::ingest::records::RecordReader;
    use crate::ingest::values::MONEY_SCALE;

    /// Runs `csv` (header first) through an OrderBook.
    fn book(csv: &str) -> Dataset {
        let mut reader = RecordReader::new(b',');
        let mut book: Option<OrderBook> = None;
        let mut take = |r: Record<'_>| {
            match book.as_mut() {
                None => {
                    book = Some(OrderBook::new(detect(&r).unwrap()));
                    return Ok(Some(r.len()));
                }
                Some(b) => b.add_row(&r),
            }
            Ok(None)
        };
        reader.push(csv.as_bytes(), &mut take).unwrap();
        reader.finish(&mut take).unwrap();
        book.unwrap()
            .finish(TextEncoding::Utf8, None, DateChecks::default())
    }

    #[test]
    fn channel_keys_fold_case_and_reduce_urls_to_their_host() {
        let key = |raw: &str| {
            let mut key = Vec::new();
            channel_key(raw.as_bytes(), &mut key);
            String::from_utf8(key).unwrap()
        };
        assert_eq!(key(" Instagram "), "instagram");
        assert_eq!(key("https://www.Google.com/search?q=tea"), "google.com");
        assert_eq!(
            key("http://user@shop.example.jp:8080/x#y"),
            "shop.example.jp"
        );
        assert_eq!(key("www.facebook.com/ads"), "facebook.com");
        assert_eq!(key("google.com"), "google.com");
        assert_eq!(key("LINE広告"), "line広告");
        assert_eq!(key("a:b://c"), "a:b://c"); // not a scheme
                                               // Text that is not ASCII is folded as Unicode; a long value is cut as the Report cuts text.
        assert_eq!(key("\u{3000}HTTPS://ÉTÉ.example/x"), "été.example");
        assert_eq!(key(&"A".repeat(300)), format!("{}…", "a".repeat(200)));
        assert_eq!(key("\u{b}Web\u{b}"), "web"); // a vertical tab is trimmed as `str::trim` does
    }

    #[test]
    fn the_time_of_day_is_the_first_h_mm_ss_of_a_date() {
        for (raw, seconds) in [
            ("2024-03-05 09:50:26 +0200", 9 * 3600 + 50 * 60 + 26),
            ("2024-03-05T23:59Z", 23 * 3600 + 59 * 60),
            ("12/13/2010 8:26", 8 * 3600 + 26 * 60),
            ("Tue, 5 Mar 2024 09:50:26 +0000", 9 * 3600 + 50 * 60 + 26),
            ("2024-03-05", 0),
            ("2024-03-05 25:00", 0),
            ("2024-03-05 :30", 0),
        ] {
            assert_eq!(time_of_day(raw.as_bytes()), seconds, "{raw}");
        }
    }

    #[test]
    fn products_discounts_and_channels_are_carried_per_order() {
        let d = book(
            "order id,email,order date,total,product,discount code,discount amount,source\n\
             1,a@x,2024-01-01 10:00,10,Tea,,,\n\
             1,a@x,,,Cup,,,Instagram\n\
             1,a@x,,,Tea,,,web\n\
             2,b@x,2024-01-02,5,,,oops,\n\
             3,c@x,2024-01-03,5,Pot,,-2,\n",
        );
        let t = &d.traits;
        assert!(t.has_product && t.has_discount && t.has_channel);
        let names = |o: &Order| -> Vec<&str> {
            t.products_of(o)
                .iter()
                .map(|&p| &*t.products[p as usize])
                .collect()
        };
        let o = &d.orders;
        // Tea twice is one product; the channel comes from the first row that has one
        assert_eq!(names(&o[0]), ["Tea", "Cup"]);
        assert_eq!(&*t.channels[o[0].channel as usize], "instagram");
        assert_eq!((o[0].time, o[0].discount), (36_000, false));
        // an unreadable discount amount is no discount, and the row counts
        assert_eq!(
            (o[1].products_len, o[1].discount, o[1].channel),
            (0, false, NO_CHANNEL)
        );
        // a negative amount is a discount
        assert!(o[2].discount);
        assert_eq!(d.skipped_rows, 0);
    }

    const SHOPIFY: &str = "Name,Email,Financial Status,Total,Created at,Lineitem quantity,Lineitem price,Cancelled at,Refunded Amount\n";

    #[test]
    fn shopify_line_items_collapse_into_one_order_with_first_row_fields() {
        let orders = book(&format!(
            "{SHOPIFY}\
             #1,A@x.com,paid,30.50,2024-01-05 10:00:00 +0900,1,10,,0\n\
             #1,A@x.com,,,2024-01-05 10:00:00 +0900,2,10.25,,\n\
             #2,a@x.com ,paid,12,2024-01-06 09:00:00 +0900,1,12,,\n"
        ));
        assert_eq!((orders.rows, orders.orders_seen), (3, 2));
        // Total of #1 comes from its first row (30.50), not the line items (10 + 2 × 10.25).
        assert_eq!(orders.orders[0].revenue, 305_000);
        // The e-mail is case- and space-folded: both orders belong to one customer.
        assert_eq!(orders.identities.keys.len(), 1);
        assert_eq!(orders.orders[0].customer, orders.orders[1].customer);
    }

    #[test]
    fn refunded_voided_and_cancelled_orders_are_excluded_but_partial_refunds_count_net() {
        let orders = book(&format!(
            "{SHOPIFY}\
             #1,a@x.com,refunded,10,2024-01-01,1,10,,10\n\
             #2,a@x.com,voided,10,2024-01-01,1,10,,\n\
             #3,a@x.com,paid,10,2024-01-01,1,10,2024-01-02 10:00,\n\
             #4,a@x.com,partially_refunded,10,2024-01-01,1,10,,4\n\
             #5,a@x.com,paid,10,2024-01-01,1,10,,\n\
             #5,a@x.com,,,,1,10,2024-01-03,\n"
        ));
        // #5 is cancelled by its second row's Cancelled at.
        assert_eq!(orders.excluded_orders, 4);
        assert_eq!(orders.orders.len(), 1);
        assert_eq!(orders.orders[0].revenue, 6 * MONEY_SCALE); // 10 − 4
    }

    #[test]
    fn guest_orders_count_without_a_customer() {
        let orders =
            book("order id,email,order date,amount\n1,,2024-01-01,5\n2,b@x.com,2024-01-01,7\n");
        assert_eq!(orders.orders[0].customer, None);
        assert!(orders.orders[1].customer.is_some());
        assert_eq!(orders.identities.keys.len(), 1);
    }

    #[test]
    fn a_customer_id_wins_over_an_email_and_ids_and_emails_never_collide() {
        let orders = book(
            "order id,customer id,email,order date,amount\n\
             1,a@x.com,,2024-01-01,5\n\
             2,,a@x.com,2024-01-02,5\n\
             3,C9,a@x.com,2024-01-03,5\n",
        );
        // Customer id "a@x.com" and e-mail "a@x.com" are different keys; order 3 is C9.
        assert_eq!(orders.identities.keys.len(), 3);
    }

    #[test]
    fn customers_keep_their_key_and_the_first_email_and_name_seen() {
        let orders = book(
            "order id,customer id,email,customer name,order date,amount\n\
             1,C1,,,2024-01-01,5\n\
             1,,First@X.com,,2024-01-01,\n\
             2,C1,later@x.com,Hanako Sato,2024-01-02,5\n\
             3,,B@Y.com , Bob ,2024-01-03,5\n",
        );
        let ids = &orders.identities;
        assert_eq!(ids.keys.len(), 2);
        assert_eq!((&*ids.keys[0], &*ids.keys[1]), ("C1", "b@y.com"));
        // C1's e-mail comes from a later line item of its first order; its name from its second order.
        assert_eq!(ids.emails[0].as_deref(), Some("First@X.com"));
        assert_eq!(ids.names[0].as_deref(), Some("Hanako Sato"));
        assert_eq!(ids.emails[1].as_deref(), Some("B@Y.com"));
        assert_eq!(ids.names[1].as_deref(), Some("Bob"));

        // A name on an order's first row counts even when the customer is known only from a later row.
        let orders = book(
            "order id,email,order date,amount,customer name\n\
             A1,,2024-01-01,10,Kim Lee\n\
             A1,kim@example.com,,,\n\
             A2,kim@example.com,2024-02-01,5,Kim L.\n",
        );
        assert_eq!(orders.identities.names[0].as_deref(), Some("Kim Lee"));
    }

    #[test]
    fn rows_that_disagree_with_their_orders_first_row_are_noted_and_the_first_wins() {
        let orders = book(
            "order id,email,order date,amount\n\
             1,a@x.com,2024-01-01,10\n\
             1,A@X.com ,2024-01-01 23:00,10\n\
             1,b@x.com,2024-01-02,12\n\
             2,c@x.com,2024-01-05,7\n",
        );
        // Line 3 repeats the order's values (case, spaces and time of day aside): nothing to say.
        // Line 4 disagrees three times.
        let lines: Vec<Option<u64>> = orders.warnings.iter().map(|w| w.row).collect();
        assert_eq!(lines, [Some(4), Some(4), Some(4)]);
        let columns: Vec<Option<&str>> = orders
            .warnings
            .iter()
            .map(|w| w.column.as_deref())
            .collect();
        assert_eq!(columns, [Some("order date"), Some("amount"), Some("email")]);
        assert_eq!(orders.skipped_rows, 0);
        assert_eq!(orders.orders[0].revenue, 10 * MONEY_SCALE);
        assert_eq!(orders.identities.keys.len(), 2); // b@x.com is not a customer
    }

    #[test]
    fn sums_that_do_not_fit_are_a_located_problem_not_a_clamp() {
        let big = "900000000000000"; // 9e14 units: × 10^4 minor units is near the i64 limit
        let orders = book(&format!(
            "order id,order date,price,qty\n1,2024-01-01,{big},1\n1,2024-01-01,{big},1\n2,2024-01-01,5,1\n"
        ));
        assert_eq!(orders.orders.len(), 2);
        assert_eq!(orders.skipped_rows, 1);
        assert!(
            orders.warnings[0].message.contains("too large"),
            "{:?}",
            orders.warnings
        );
    }

    #[test]
    fn every_row_is_in_an_order_or_skipped() {
        for csv in [
            "order id,order date,amount,status\n1,2024-01-01,5,\n1,2024-01-01,,\n2,x,5,\n3,2024-01-02,5,cancelled\n",
            "order id,order date,amount\n1,,5\n1,,\n2,2024-01-01,x\n2,2024-01-01,5\n",
            "id,customer,date,amount,note\n1,a,2024-01-01,5,\"open\n2,b,2024-01-02,5,ok\n3,c,2024-01-03,\"7,x\n",
            "order id,order date,price,qty\n1,2024-01-01,900000000000000,1\n1,2024-01-01,900000000000000,1\n",
        ] {
            let orders = book(csv);
            assert_eq!(orders.rows, orders.rows_in_orders + orders.skipped_rows, "{csv:?}");
        }
    }

    #[test]
    fn a_long_currency_value_is_cut_to_200_characters_with_an_ellipsis() {
        // It was cut to its first 64 bytes without a word (and, mid-character, with a U+FFFD).
        let long = "円".repeat(1000);
        let orders = book(&format!(
            "order id,order date,amount,currency\n1,2024-01-01,5,{long}\n2,2024-01-01,5,{long}\n"
        ));
        let currency = orders.currency.unwrap();
        assert_eq!(currency, format!("{}…", "円".repeat(200)));
        assert!(orders
            .warnings
            .iter()
            .all(|w| !w.message.contains("currency")));
    }

    #[test]
    fn without_an_order_id_column_every_row_is_an_order() {
        let orders = book("email,order date,amount\na@x.com,2024-01-01,5\na@x.com,2024-01-01,5\n");
        assert_eq!((orders.orders_seen, orders.orders.len()), (2, 2));
    }

    #[test]
    fn line_price_times_quantity_is_the_revenue_without_a_total() {
        let orders = book("order id,order date,price,qty\n1,2024-01-01,100,2\n1,2024-01-01,50,1\n");
        assert_eq!(orders.orders[0].revenue, 250 * MONEY_SCALE);
    }

    #[test]
    fn an_unreadable_value_skips_its_row_with_a_located_warning() {
        let orders =
            book("order id,order date,amount\n1,2024-13-45,5\n2,2024-01-01,x\n3,2024-01-02,5\n");
        assert_eq!(orders.skipped_rows, 2);
        assert_eq!(orders.orders.len(), 1);
        let w = &orders.warnings[0];
        assert_eq!((w.row, w.column.as_deref()), (Some(2), Some("order date")));
        assert_eq!(w.message, "'2024-13-45' is not a date");
        assert_eq!(
            orders.warnings[1].to_string(),
            "line 3, column amount: 'x' is not an amount"
        );
    }

    #[test]
    fn an_order_without_a_date_is_left_out_and_its_rows_counted_as_skipped() {
        let orders = book("order id,order date,amount\n1,,5\n1,,\n2,2024-01-01,5\n");
        assert_eq!(orders.skipped_rows, 2);
        assert_eq!(orders.orders.len(), 1);
        assert_eq!(orders.warnings[0].message, "the order has no date");
    }

    #[test]
    fn excluding_statuses_are_exact_in_english_and_contained_in_japanese() {
        for s in [
            "refunded",
            "Voided",
            "CANCELLED",
            "canceled",
            "注文キャンセル",
            "返品",
        ] {
            assert!(is_excluding_status(s.as_bytes()), "{s}");
        }
        for s in ["paid", "partially_refunded", "pending", "配送"] {
            assert!(!is_excluding_status(s.as_bytes()), "{s}");
        }
    }
}
