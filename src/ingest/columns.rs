//! Header detection: finds the header record and assigns a role to each column it recognises
//! (order id, customer, date, amount, status, ...), for a platform's export known by name (see
//! [`super::presets`]) or a generic file.

use super::presets::{Identity, Preset, PRESETS};
use super::records::Record;
use super::values::bounded_text;

/// The kind of export recognised from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Shopify Admin → Orders → Export.
    Shopify,
    /// BASE 注文データ.
    Base,
    /// 楽天 RMS 通常購入データ (legacy).
    Rakuten,
    /// 楽天ペイ受注管理 (current).
    RakutenPay,
    /// Yahoo!ショッピング order file.
    Yahoo,
    /// EC-CUBE 受注CSV.
    EcCube,
    /// MakeShop 注文出力.
    MakeShop,
    /// futureshop 受注データ.
    Futureshop,
    /// カラーミーショップ 受注データ.
    ColorMe,
    /// BigCommerce orders.
    BigCommerce,
    /// WooCommerce Analytics orders.
    WooCommerce,
    /// Amazon Order Report (seller-fulfilled).
    Amazon,
    /// Amazon All Orders report (no customer identity).
    AmazonAllOrders,
    /// Invoice-style transactions (InvoiceNo, InvoiceDate, UnitPrice, Quantity, CustomerID).
    Invoice,
    /// Any file whose columns are recognised by name.
    Generic,
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

    /// The name used in the Report.
    pub fn name(self) -> &'static str {
        match self {
            Format::Shopify => "shopify",
            Format::Base => "base",
            Format::Rakuten => "rakuten",
            Format::RakutenPay => "rakuten_pay",
            Format::Yahoo => "yahoo",
            Format::EcCube => "ec_cube",
            Format::MakeShop => "makeshop",
            Format::Futureshop => "futureshop",
            Format::ColorMe => "colorme",
            Format::BigCommerce => "bigcommerce",
            Format::WooCommerce => "woocommerce",
            Format::Amazon => "amazon",
            Format::AmazonAllOrders => "amazon_all_orders",
            Format::Invoice => "invoice",
            Format::Generic => "generic",
        }
    }
}

/// The meaning of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Order id: rows sharing it are line items of one order.
    OrderId,
    /// Customer id.
    CustomerId,
    /// Customer e-mail, used when there is no customer id.
    Email,
    /// Order date.
    Date,
    /// Order total.
    Total,
    /// Line item unit price.
    LinePrice,
    /// Line item quantity.
    Quantity,
    /// Order or payment status.
    Status,
    /// Cancellation timestamp.
    Cancelled,
    /// Refunded amount.
    Refunded,
    /// Currency code.
    Currency,
    /// Customer name, or its family-name part (for customer lists only).
    Name,
    /// The given-name part when the name comes in two columns.
    GivenName,
}

const ROLES: [Role; 13] = [
    Role::OrderId,
    Role::CustomerId,
    Role::Email,
    Role::Date,
    Role::Total,
    Role::LinePrice,
    Role::Quantity,
    Role::Status,
    Role::Cancelled,
    Role::Refunded,
    Role::Currency,
    Role::Name,
    Role::GivenName,
];

impl Role {
    /// The key used in `input.columns` of the Report.
    pub fn key(self) -> &'static str {
        match self {
            Role::OrderId => "order_id",
            Role::CustomerId => "customer_id",
            Role::Email => "email",
            Role::Date => "date",
            Role::Total => "total",
            Role::LinePrice => "line_price",
            Role::Quantity => "quantity",
            Role::Status => "status",
            Role::Cancelled => "cancelled",
            Role::Refunded => "refunded",
            Role::Currency => "currency",
            Role::Name => "name",
            Role::GivenName => "given_name",
        }
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
        }
    }

    fn label(self) -> &'static str {
        match self {
            Role::Date => "order date",
            Role::Total => "amount (order total or line price)",
            other => other.key(),
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
    index: [Option<usize>; ROLES.len()],
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

    /// Every role with its header name, for the Report.
    pub fn roles(&self) -> impl Iterator<Item = (Role, Option<&str>)> + '_ {
        ROLES.iter().map(|&role| (role, self.name_of(role)))
    }
}

/// Why a record is not a usable header.
#[derive(Debug, Clone)]
pub struct NotHeader {
    /// How many roles it did match (to pick the best candidate for the error message).
    pub matched: usize,
    /// The required roles it lacks.
    pub missing: Vec<&'static str>,
}

/// Tries to read `record` as the header row.
pub fn detect(record: &Record<'_>) -> Result<Columns, NotHeader> {
    let names: Vec<String> = record.fields().map(bounded_text).collect();
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

    let mut index = [None; ROLES.len()];
    for role in ROLES {
        index[role as usize] = match preset.roles.iter().find(|(r, _)| *r == role) {
            Some((_, own)) => find(&normalized, own),
            None => find(&normalized, role.aliases()),
        };
    }
    let identity = match preset.identity {
        Identity::Composite(parts) => parts
            .iter()
            .filter_map(|part| find(&normalized, part))
            .collect(),
        Identity::Standard | Identity::None => Vec::new(),
    };
    let columns = Columns {
        format: preset.format,
        preset,
        names,
        index,
        identity,
    };

    let mut missing = Vec::new();
    if columns.get(Role::Date).is_none() {
        missing.push(Role::Date.label());
    }
    if columns.get(Role::Total).is_none() && columns.get(Role::LinePrice).is_none() {
        missing.push(Role::Total.label());
    }
    if missing.is_empty() {
        Ok(columns)
    } else {
        Err(NotHeader {
            matched: index.iter().flatten().count(),
            missing,
        })
    }
}

/// The first column named one of `names`, exactly or once a bracketed note such as `(請求先)` is
/// dropped; among notes, a name (`(名称)`) is preferred to an id (`(ID)`), so that a status written both
/// ways is read by its name.
fn find(normalized: &[String], names: &[&str]) -> Option<usize> {
    if let Some(exact) = names
        .iter()
        .find_map(|want| normalized.iter().position(|n| n == want))
    {
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
