//! Header detection: finds the header record and assigns a role to each column it recognises
//! (order id, customer, date, amount, status, ...), for a platform's export known by name (see
//! [`super::presets`]) or a generic file.

use super::presets::{Identity, Preset, PRESETS};
use super::records::Record;
use super::values::bounded_text;
use crate::error::{quote, Error, ErrorKind};
use crate::string_enum::string_enum;

string_enum! {
    /// The kind of export recognised from the header.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Format {
        /// Shopify Admin → Orders → Export.
        Shopify = "shopify",
        /// BASE 注文データ.
        Base = "base",
        /// 楽天 RMS 通常購入データ (legacy).
        Rakuten = "rakuten",
        /// 楽天ペイ受注管理 (current).
        RakutenPay = "rakuten_pay",
        /// Yahoo!ショッピング order file.
        Yahoo = "yahoo",
        /// EC-CUBE 受注CSV.
        EcCube = "ec_cube",
        /// MakeShop 注文出力.
        MakeShop = "makeshop",
        /// futureshop 受注データ.
        Futureshop = "futureshop",
        /// カラーミーショップ 受注データ.
        ColorMe = "colorme",
        /// BigCommerce orders.
        BigCommerce = "bigcommerce",
        /// WooCommerce Analytics orders.
        WooCommerce = "woocommerce",
        /// Amazon Order Report (seller-fulfilled).
        Amazon = "amazon",
        /// Amazon All Orders report (no customer identity).
        AmazonAllOrders = "amazon_all_orders",
        /// Invoice-style transactions (InvoiceNo, InvoiceDate, UnitPrice, Quantity, CustomerID).
        Invoice = "invoice",
        /// Any file whose columns are recognised by name.
        Generic = "generic",
    }
}

impl Format {
    /// The platform's name for people, in messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Shopify => "Shopify",
            Format::Base => "BASE",
            Format::Rakuten => "楽天 RMS",
            Format::RakutenPay => "楽天ペイ",
            Format::Yahoo => "Yahoo!ショッピング",
            Format::EcCube => "EC-CUBE",
            Format::MakeShop => "MakeShop",
            Format::Futureshop => "futureshop",
            Format::ColorMe => "カラーミーショップ",
            Format::BigCommerce => "BigCommerce",
            Format::WooCommerce => "WooCommerce",
            Format::Amazon => "Amazon order report",
            Format::AmazonAllOrders => "Amazon All Orders report",
            Format::Invoice => "invoice",
            Format::Generic => "order",
        }
    }
}

string_enum! {
    /// The meaning of a column.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Role {
        /// Order id: rows sharing it are line items of one order.
        OrderId = "order_id",
        /// Customer id.
        CustomerId = "customer_id",
        /// Customer e-mail, used when there is no customer id.
        Email = "email",
        /// Order date.
        Date = "date",
        /// Order total.
        Total = "total",
        /// Line item unit price.
        LinePrice = "line_price",
        /// Line item quantity.
        Quantity = "quantity",
        /// Order or payment status.
        Status = "status",
        /// Cancellation timestamp.
        Cancelled = "cancelled",
        /// Refunded amount.
        Refunded = "refunded",
        /// Currency code.
        Currency = "currency",
        /// Customer name, or its family-name part (for customer lists only).
        Name = "name",
        /// The given-name part when the name comes in two columns.
        GivenName = "given_name",
        /// Line item product name (for `drivers` and customer lists).
        Product = "product",
        /// Discount or coupon code of the order.
        DiscountCode = "discount_code",
        /// Discount amount of the order (points used are not a discount).
        DiscountAmount = "discount_amount",
        /// Sales channel or referrer of the order (a URL counts as its host).
        Channel = "channel",
        /// Subscription (定期購入) id: a subscription's orders share it.
        SubscriptionId = "subscription_id",
        /// Delivery number of a subscription order (定期回数, お届け回数): 1 for the first delivery.
        DeliveryNumber = "delivery_number",
        /// Subscription flag (定期/通常, yes/no, true/false, 1/0) or order tags containing "Subscription".
        Subscription = "subscription",
        /// The date a subscription was cancelled (解約日).
        CancelledOn = "cancelled_on",
    }
}

/// Roles chosen by the user, applied after the preset's choice: each role with the header name of
/// its column (as written in the file, or in any form [`normalize`] makes equal), or `None` for "not
/// used".
pub type ColumnOverrides = [(Role, Option<String>)];

impl Role {
    /// The role whose [`Role::key`] is `key`.
    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL
            .iter()
            .copied()
            .find(|role| role.as_str() == key.trim())
    }

    /// The roles whose override names the header row: the order date and the amounts.
    fn is_anchor(self) -> bool {
        matches!(self, Role::Date | Role::Total | Role::LinePrice)
    }

    /// Header names (in [`normalize`]d form) that take this role in a generic file. The README's
    /// "Input formats" table lists the same names.
    #[rustfmt::skip] // one role per line reads as the table it is
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Role::OrderId => &["orderid", "ordernumber", "orderno", "order", "order#", "ordercode", "transactionid",
                "注文番号", "受注番号", "注文id", "受注id", "注文コード", "受注コード"],
            Role::CustomerId => &["customerid", "customer", "customernumber", "customerno", "memberid", "userid",
                "buyerid", "clientid", "会員id", "顧客id", "会員番号", "顧客番号"],
            Role::Email => &["email", "emailaddress", "customeremail", "buyeremail", "billingemail", "mailaddress",
                "メールアドレス", "注文者メールアドレス"],
            Role::Date => &["orderdate", "date", "createdat", "created", "datecreated", "orderedat", "purchasedate",
                "purchasedat", "orderdatetime", "transactiondate", "注文日", "注文日時", "受注日", "受注日時", "購入日"],
            Role::Total => &["total", "ordertotal", "amount", "totalamount", "grandtotal", "orderamount",
                "ordervalue", "revenue", "totalprice", "sales", "合計", "合計金額", "注文金額", "請求金額", "売上金額"],
            Role::LinePrice => &["price", "unitprice", "lineitemprice", "itemprice", "単価", "価格"],
            Role::Quantity => &["quantity", "qty", "lineitemquantity", "数量", "個数"],
            Role::Status => &["status", "financialstatus", "orderstatus", "ステータス", "注文ステータス",
                "受注ステータス", "対応状況"],
            Role::Cancelled => &["cancelledat", "canceledat", "キャンセル日"],
            Role::Refunded => &["refundedamount", "refund", "refunds", "返金額"],
            Role::Currency => &["currency", "通貨"],
            Role::Name => &["customername", "fullname", "billingname", "buyername", "lastname", "familyname",
                "氏名", "お名前", "注文者名", "購入者名", "顧客名", "氏名(姓)", "お名前(姓)", "姓"],
            Role::GivenName => &["firstname", "givenname", "氏名(名)", "お名前(名)", "名"],
            Role::Product => &["product", "productname", "products", "product(s)", "lineitemname", "itemname",
                "producttitle", "description", "商品名", "品名"],
            Role::DiscountCode => &["discountcode", "discountcodes", "couponcode", "coupon", "coupons", "coupon(s)",
                "promocode", "promotioncode", "クーポン", "クーポンコード", "クーポン名", "割引コード"],
            Role::DiscountAmount => &["discountamount", "discount", "discounts", "totaldiscount", "totaldiscounts",
                "couponamount", "値引き", "値引", "値引額", "値引き額", "値引金額", "割引", "割引額", "割引金額",
                "割引合計金額(商品)", "クーポン利用額", "クーポン利用総額", "クーポン値引額"],
            Role::Channel => &["channel", "saleschannel", "source", "ordersource", "utmsource", "referringsite",
                "referrer", "referer", "購入元", "流入元", "媒体", "販売チャネル", "チャネル"],
            Role::SubscriptionId => &["subscriptionid", "subscriptioncontractid", "subscriptionnumber",
                "定期購入id", "定期id", "定期購入番号", "定期番号", "定期受注番号", "申込番号"],
            Role::DeliveryNumber => &["deliverynumber", "deliverycount", "subscriptioncycle", "billingcycle",
                "定期回数", "お届け回数", "定期購入回数", "配送回数", "申込お届け回数"],
            Role::Subscription => &["subscription", "issubscription", "subscriptionorder", "tags", "ordertags",
                "定期", "定期フラグ", "定期購入", "定期購入フラグ", "定期区分", "注文種別"],
            Role::CancelledOn => &["subscriptioncancelledat", "subscriptioncanceledat", "subscriptioncancelledon",
                "subscriptioncancellationdate", "解約日", "定期解約日", "解約日時", "定期購入解約日"],
        }
    }

    /// The role as messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Date => "order date",
            Role::Total => "amount (order total or line price)",
            other => other.as_str(),
        }
    }
}

/// The recognised header: which column has which role.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The kind of export.
    pub format: Format,
    /// The platform preset the file was read with (the generic one when none matched).
    pub preset: &'static Preset,
    /// Header names as written in the file.
    pub names: Vec<String>,
    index: [Option<usize>; Role::ALL.len()],
    /// The columns that together identify a customer, for presets whose e-mails are masked.
    pub identity: Vec<usize>,
}

impl Columns {
    /// The column with `role`, if any.
    pub fn get(&self, role: Role) -> Option<usize> {
        self.index[role as usize]
    }

    /// The header name of the column with `role`, if any.
    pub fn name_of(&self, role: Role) -> Option<&str> {
        self.get(role)
            .and_then(|i| self.names.get(i))
            .map(String::as_str)
    }

    /// The header name of column `i` (for warnings).
    pub fn name_at(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(String::as_str)
    }

    /// The columns an analysis reads, in file order: those with a role, those that identify a
    /// customer together, and those that recognise the preset (so that these columns alone are read
    /// as the same format, with the same roles).
    pub fn read(&self) -> Vec<usize> {
        let normalized: Vec<String> = self.names.iter().map(|n| normalize(n)).collect();
        let signature = self
            .preset
            .signature
            .iter()
            .flat_map(|group| group.iter())
            .filter_map(|name| find(&normalized, &[name]));
        let mut read: Vec<usize> = self
            .index
            .iter()
            .flatten()
            .copied()
            .chain(self.identity.iter().copied())
            .chain(signature)
            .collect();
        read.sort_unstable();
        read.dedup();
        read
    }

    /// Every role with its header name, for the Report.
    pub fn roles(&self) -> impl Iterator<Item = (Role, Option<&str>)> + '_ {
        Role::ALL.iter().map(|&role| (role, self.name_of(role)))
    }
}

/// Why a record is not a usable header.
#[derive(Debug, Clone)]
pub struct NotHeader {
    /// How many roles it did match (to pick the best candidate for the error message).
    pub matched: usize,
    /// The required roles it lacks.
    pub missing: Vec<&'static str>,
    /// The first column override naming a header this record does not have (an anchor role first).
    pub unknown: Option<(Role, String)>,
    /// The record's fields, as header names.
    pub names: Vec<String>,
}

/// Why a record cannot be read as the header with the column overrides.
#[derive(Debug, Clone)]
pub enum Rejected {
    /// It is not the header row: the search goes on.
    NotHeader(NotHeader),
    /// It is the header row, but a column override names a header it does not have.
    UnknownColumn {
        /// The overridden role.
        role: Role,
        /// The header name the override gave.
        name: String,
        /// The header's names.
        names: Vec<String>,
    },
}

/// The option error for an override of `role` naming `name`, a column that is not among `names`.
pub fn unknown_column(role: Role, name: &str, names: &[String]) -> Error {
    const SHOWN: usize = 20;
    let mut list: Vec<String> = names.iter().take(SHOWN).map(|n| quote(n)).collect();
    if names.len() > SHOWN {
        list.push(format!("and {} more", names.len() - SHOWN));
    }
    let list = if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    };
    ErrorKind::InvalidOption(format!(
        "column {}: there is no column {}; the columns are {list}",
        role.as_str(),
        quote(name),
    ))
    .into()
}

/// Tries to read `record` as the header row, without overrides (for tests).
#[cfg(test)]
pub fn detect(record: &Record<'_>) -> Result<Columns, NotHeader> {
    match detect_with(record, &[]) {
        Ok(columns) => Ok(columns),
        Err(Rejected::NotHeader(not_header)) => Err(not_header),
        // Only an override can name a missing column.
        Err(Rejected::UnknownColumn { names, .. }) => Err(NotHeader {
            matched: 0,
            missing: Vec::new(),
            unknown: None,
            names,
        }),
    }
}

/// Tries to read `record` as the header row, with the user's column `overrides` applied after the
/// preset's choice. A record lacking a header that an override names for the order date or an amount
/// is not the header; once a record is the header, any other override naming a header it lacks is
/// [`Rejected::UnknownColumn`].
pub fn detect_with(record: &Record<'_>, overrides: &ColumnOverrides) -> Result<Columns, Rejected> {
    let names: Vec<String> = record.fields().map(bounded_text).collect();
    let (columns, unknown) = assign(names, overrides);
    let missing = columns.missing();
    match unknown {
        None if missing.is_empty() => Ok(columns),
        Some((role, name)) if missing.is_empty() && !role.is_anchor() => {
            Err(Rejected::UnknownColumn {
                role,
                name,
                names: columns.names,
            })
        }
        unknown => Err(Rejected::NotHeader(NotHeader {
            matched: columns.index.iter().flatten().count(),
            missing,
            unknown,
            names: columns.names,
        })),
    }
}

/// The roles of `names` read as a header: the preset's (or the generic) choice, then the overrides.
/// Answers with the first override naming a header that is not among `names` (an anchor role first).
pub fn assign(
    names: Vec<String>,
    overrides: &ColumnOverrides,
) -> (Columns, Option<(Role, String)>) {
    let mut columns = preset_columns(names);
    let mut unknown: Option<(Role, String)> = None;
    if !overrides.is_empty() {
        let normalized: Vec<String> = columns.names.iter().map(|n| normalize(n)).collect();
        for (role, choice) in overrides {
            let column = choice.as_deref().and_then(|name| {
                let found = column_named(&columns.names, &normalized, name);
                let replaces = match &unknown {
                    None => true,
                    Some((earlier, _)) => role.is_anchor() && !earlier.is_anchor(),
                };
                if found.is_none() && replaces {
                    unknown = Some((*role, name.to_string()));
                }
                found
            });
            columns.index[*role as usize] = column;
            // A customer id chosen by the user is the identity, even where the preset combines columns.
            if *role == Role::CustomerId && column.is_some() {
                columns.identity.clear();
            }
        }
    }
    (columns, unknown)
}

impl Columns {
    /// The required roles the columns lack, as messages name them.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.get(Role::Date).is_none() {
            missing.push(Role::Date.label());
        }
        if self.get(Role::Total).is_none() && self.get(Role::LinePrice).is_none() {
            missing.push(Role::Total.label());
        }
        missing
    }
}

/// The column an override names: the header written exactly so (spaces around it aside), else the
/// first one equal to it once both are [`normalize`]d.
fn column_named(names: &[String], normalized: &[String], want: &str) -> Option<usize> {
    let want = want.trim();
    names.iter().position(|n| n.trim() == want).or_else(|| {
        let want = normalize(want);
        normalized.iter().position(|n| *n == want)
    })
}

/// The preset's (or the generic) reading of a header row.
fn preset_columns(names: Vec<String>) -> Columns {
    let normalized: Vec<String> = names.iter().map(|n| normalize(n)).collect();
    let present = |n: &str| find(&normalized, &[n]).is_some();
    let preset = PRESETS
        .iter()
        .find(|p| {
            !p.signature.is_empty()
                && p.signature
                    .iter()
                    .all(|group| group.iter().any(|n| present(n)))
        })
        .unwrap_or(&PRESETS[PRESETS.len() - 1]);

    let mut index = [None; Role::ALL.len()];
    for &role in Role::ALL {
        index[role as usize] = match preset.roles.iter().find(|(r, _)| *r == role) {
            // A preset lists its names in order of preference.
            Some((_, own)) => own.iter().find_map(|name| find(&normalized, &[name])),
            None => find(&normalized, role.aliases()),
        };
    }
    let identity = match preset.identity {
        Identity::Composite(parts) => parts
            .iter()
            .filter_map(|part| part.iter().find_map(|name| find(&normalized, &[name])))
            .collect(),
        Identity::Standard | Identity::None => Vec::new(),
    };
    Columns {
        format: preset.format,
        preset,
        names,
        index,
        identity,
    }
}

/// The leftmost column named one of `names`, exactly, else once a bracketed note such as `(請求先)` is
/// dropped; among notes, a name (`(名称)`) is preferred to an id (`(ID)`), so that a status written both
/// ways is read by its name.
fn find(normalized: &[String], names: &[&str]) -> Option<usize> {
    if let Some(exact) = normalized.iter().position(|n| names.contains(&n.as_str())) {
        return Some(exact);
    }
    let stripped = |i: &usize| names.contains(&strip_bracketed_suffix(&normalized[*i]));
    let mut candidates = (0..normalized.len()).filter(stripped);
    let first = candidates.next()?;
    let is_id_note = |i: usize| {
        let name = &normalized[i];
        name[strip_bracketed_suffix(name).len()..].contains("id")
    };
    if is_id_note(first) {
        if let Some(named) = (0..normalized.len())
            .filter(stripped)
            .find(|&i| !is_id_note(i))
        {
            return Some(named);
        }
    }
    Some(first)
}

fn strip_bracketed_suffix(name: &str) -> &str {
    name.find(['(', '（']).map_or(name, |i| &name[..i])
}

/// Lower-cases, folds full-width ASCII to ASCII, and drops spaces, `_`, `-` and `.`, so that
/// `Order ID`, `order_id` and `ＯＲＤＥＲ－ＩＤ` compare equal.
pub fn normalize(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::records::RecordReader;

    fn header(line: &str) -> Result<Columns, NotHeader> {
        let mut reader = RecordReader::new(b',');
        let mut result = None;
        let mut keep = |r: Record<'_>| {
            result = Some(detect(&r));
            Ok(None)
        };
        reader.push(line.as_bytes(), &mut keep).unwrap();
        reader.finish(&mut keep).unwrap();
        result.unwrap()
    }

    #[test]
    fn shopify_header_maps_its_own_column_names() {
        let cols = header(
            "Name,Email,Financial Status,Paid at,Currency,Subtotal,Total,Created at,Lineitem quantity,\
             Lineitem name,Lineitem price,Cancelled at,Refunded Amount,Id",
        )
        .unwrap();
        assert_eq!(cols.format, Format::Shopify);
        assert_eq!(cols.name_of(Role::OrderId), Some("Name"));
        assert_eq!(cols.name_of(Role::Total), Some("Total"));
        assert_eq!(cols.name_of(Role::Date), Some("Created at"));
        assert_eq!(cols.name_of(Role::Status), Some("Financial Status"));
        assert_eq!(cols.name_of(Role::CustomerId), None);
    }

    #[test]
    fn product_discount_and_channel_roles_are_read_in_presets_and_generic_files() {
        let shopify = header(
            "Name,Email,Financial Status,Total,Discount Code,Discount Amount,Created at,\
             Lineitem quantity,Lineitem name,Lineitem price,Lineitem discount,Source",
        )
        .unwrap();
        assert_eq!(shopify.format, Format::Shopify);
        assert_eq!(shopify.name_of(Role::Product), Some("Lineitem name"));
        assert_eq!(shopify.name_of(Role::DiscountCode), Some("Discount Code"));
        assert_eq!(
            shopify.name_of(Role::DiscountAmount),
            Some("Discount Amount")
        );
        assert_eq!(shopify.name_of(Role::Channel), Some("Source"));
        // BASE: 商品名 and 購入元; points used are not a discount
        let base = header("注文ID,注文日時,発送状況,氏(請求先),メールアドレス(請求先),商品名,合計金額,購入元,ポイント利用額").unwrap();
        assert_eq!(base.format, Format::Base);
        assert_eq!(base.name_of(Role::Product), Some("商品名"));
        assert_eq!(base.name_of(Role::Channel), Some("購入元"));
        assert_eq!(base.get(Role::DiscountAmount), None);
        let generic = header("order date,amount,Product(s),Coupon(s),値引き,utm_source").unwrap();
        assert_eq!(generic.get(Role::Product), Some(2));
        assert_eq!(generic.get(Role::DiscountCode), Some(3));
        assert_eq!(generic.get(Role::DiscountAmount), Some(4));
        assert_eq!(generic.get(Role::Channel), Some(5));
        let without = header("order date,amount").unwrap();
        assert_eq!(without.get(Role::Product), None);
    }

    #[test]
    fn generic_names_match_whatever_their_case_and_separators() {
        let cols = header("ORDER_ID, Customer-Id ,E-mail,Order Date,Amount").unwrap();
        assert_eq!(cols.format, Format::Generic);
        assert_eq!(cols.get(Role::OrderId), Some(0));
        assert_eq!(cols.get(Role::CustomerId), Some(1));
        assert_eq!(cols.get(Role::Email), Some(2));
        assert_eq!(cols.get(Role::Date), Some(3));
        assert_eq!(cols.get(Role::Total), Some(4));
    }

    #[test]
    fn japanese_names_with_bracketed_suffixes_are_recognised() {
        let cols = header("注文ID,注文日時,メールアドレス(請求先),価格,数量").unwrap();
        assert_eq!(cols.get(Role::OrderId), Some(0));
        assert_eq!(cols.get(Role::Date), Some(1));
        assert_eq!(cols.get(Role::Email), Some(2));
        assert_eq!(cols.get(Role::LinePrice), Some(3));
        assert_eq!(cols.get(Role::Quantity), Some(4));
    }

    #[test]
    fn a_row_without_a_date_or_amount_is_not_a_header() {
        let err = header("order id,email,amount").unwrap_err();
        assert_eq!(err.missing, vec!["order date"]);
        let err = header("Orders report 2024").unwrap_err();
        assert_eq!(err.missing.len(), 2);
    }

    #[test]
    fn full_width_letters_fold_to_ascii() {
        assert_eq!(normalize("ＯＲＤＥＲ－ＩＤ"), "orderid");
        assert_eq!(normalize("Order #"), "order#");
    }
}
