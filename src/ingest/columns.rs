//! Header detection: finds the header record and assigns a role to each column it recognises
//! (order id, customer, date, amount, status, ...), for a Shopify orders export or a generic file.

use super::records::Record;
use super::values::bounded_text;

/// The kind of export recognised from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Shopify Admin → Orders → Export: one row per line item, grouped by `Name`.
    Shopify,
    /// Any file whose columns are recognised by name.
    Generic,
}

impl Format {
    /// The name used in the Report.
    pub fn name(self) -> &'static str {
        match self {
            Format::Shopify => "shopify",
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
    /// Customer name (for customer lists only).
    Name,
}

const ROLES: [Role; 12] = [
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
            Role::Name => &["customername", "fullname", "billingname", "buyername", "氏名", "お名前", "注文者名",
                "購入者名", "顧客名"],
        }
    }

    /// The Shopify export's own header for this role (normalized).
    fn shopify_name(self) -> Option<&'static str> {
        Some(match self {
            Role::OrderId => "name",
            Role::CustomerId => return None,
            Role::Email => "email",
            Role::Date => "createdat",
            Role::Total => "total",
            Role::LinePrice => "lineitemprice",
            Role::Quantity => "lineitemquantity",
            Role::Status => "financialstatus",
            Role::Cancelled => "cancelledat",
            Role::Refunded => "refundedamount",
            Role::Currency => "currency",
            Role::Name => "billingname",
        })
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
    /// Header names as written in the file.
    pub names: Vec<String>,
    index: [Option<usize>; ROLES.len()],
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
    let has = |n: &str| normalized.iter().any(|x| x == n);
    let format = if ["name", "createdat", "financialstatus", "lineitemquantity"]
        .iter()
        .all(|n| has(n))
    {
        Format::Shopify
    } else {
        Format::Generic
    };

    let mut index = [None; ROLES.len()];
    for role in ROLES {
        index[role as usize] = match format {
            Format::Shopify => role
                .shopify_name()
                .and_then(|want| normalized.iter().position(|n| n == want)),
            Format::Generic => find_alias(&normalized, role.aliases()),
        };
    }
    let columns = Columns {
        format,
        names,
        index,
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

/// The first column whose name is an alias, exactly or once a bracketed suffix such as `(請求先)` is
/// dropped.
fn find_alias(normalized: &[String], aliases: &[&str]) -> Option<usize> {
    normalized
        .iter()
        .position(|n| aliases.contains(&n.as_str()))
        .or_else(|| {
            normalized
                .iter()
                .position(|n| aliases.contains(&strip_bracketed_suffix(n)))
        })
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
