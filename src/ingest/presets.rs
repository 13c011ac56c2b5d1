//! Platform presets: the order exports of the shop platforms LTV Lens knows by name, each recognised by
//! a few of its own header names, with the columns it reads for each role, how it identifies a
//! customer, the status values that take an order out, and the currency when the file has no currency
//! column. What is known of each format, with sources, is summarised in the README ("Input formats");
//! where a detail is unconfirmed, the preset accepts the plausible alternatives.
//!
//! Header names here are in the form [`super::columns::normalize`] gives them: lower case, full-width
//! ASCII folded, spaces, `_`, `-` and `.` dropped.

use super::columns::{Format, Role};

/// How a preset identifies a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The customer-id column, else the e-mail.
    Standard,
    /// The values of these columns together (each part: alternative header names); the e-mail is kept
    /// for customer lists only. For exports whose e-mails are masked per order.
    Composite(&'static [&'static [&'static str]]),
    /// The export carries no customer identity at all: every order is a guest order.
    None,
}

/// One platform's export.
#[derive(Debug)]
pub struct Preset {
    /// The format named in `input.format`.
    pub format: Format,
    /// Header groups that recognise the export: each group must have one of its names present.
    pub signature: &'static [&'static [&'static str]],
    /// For each role the preset knows, its header names, the first present one winning; other roles
    /// fall back to the generic aliases.
    pub roles: &'static [(Role, &'static [&'static str])],
    /// How a customer is identified.
    pub identity: Identity,
    /// The currency when the file has no currency column.
    pub currency: Option<&'static str>,
    /// Status values (exact) that take an order out, besides the status words every format knows.
    pub excluding_status_ids: &'static [&'static str],
    /// The line price column is the line's total (price × quantity already), as in Amazon reports.
    pub line_price_is_line_total: bool,
    /// Invoice-style rules: quantities may be negative; an invoice number starting with `C` (a credit
    /// note) or an invoice whose lines all have negative quantities is a cancellation.
    pub invoice: bool,
    /// Customer-id values (normalised as identity keys are) that mean "no member": the e-mail then
    /// decides, and without one the order is a guest order. EC-CUBE and BigCommerce write 0.
    pub guest_ids: &'static [&'static str],
}

const GENERIC: Preset = Preset {
    format: Format::Generic,
    signature: &[],
    roles: &[],
    identity: Identity::Standard,
    currency: None,
    excluding_status_ids: &[],
    line_price_is_line_total: false,
    invoice: false,
    guest_ids: &[],
};

/// The presets, most specific first; the generic reading comes last.
pub static PRESETS: [Preset; 15] = [
    // Shopify Admin → Orders → Export: one row per line item; order fields on the first row only.
    Preset {
        format: Format::Shopify,
        signature: &[
            &["name"],
            &["createdat"],
            &["financialstatus"],
            &["lineitemquantity"],
        ],
        roles: &[
            (Role::OrderId, &["name"]),
            (Role::Email, &["email"]),
            (Role::Date, &["createdat"]),
            (Role::Total, &["total"]),
            (Role::LinePrice, &["lineitemprice"]),
            (Role::Quantity, &["lineitemquantity"]),
            (Role::Status, &["financialstatus"]),
            (Role::Cancelled, &["cancelledat"]),
            (Role::Refunded, &["refundedamount"]),
            (Role::Currency, &["currency"]),
            (Role::Name, &["billingname"]),
            (Role::CustomerId, &[]),
        ],
        ..GENERIC
    },
    // 楽天 RMS, 楽天ペイ受注管理 (current): 注文番号, 注文日時, 合計金額 (before points), masked e-mails.
    Preset {
        format: Format::RakutenPay,
        signature: &[
            &["注文番号"],
            &["注文日時"],
            &["注文者姓"],
            &["注文者電話番号1"],
        ],
        roles: &[
            (Role::OrderId, &["注文番号"]),
            (Role::Date, &["注文日時", "注文日"]),
            (Role::Total, &["合計金額"]),
            (Role::LinePrice, &["単価"]),
            (Role::Quantity, &["個数"]),
            (Role::Status, &["ステータス"]),
            (Role::Email, &["注文者メールアドレス"]),
            (Role::Name, &["注文者姓"]),
            (Role::GivenName, &["注文者名"]),
            (Role::CustomerId, &[]),
        ],
        identity: Identity::Composite(&[
            &["注文者姓"],
            &["注文者名"],
            &["注文者電話番号1"],
            &["注文者電話番号2"],
            &["注文者電話番号3"],
        ]),
        currency: Some("JPY"),
        ..GENERIC
    },
    // 楽天 RMS legacy 通常購入データ: 受注番号, 受注ステータス, 合計金額(-99999=無効値).
    Preset {
        format: Format::Rakuten,
        signature: &[&["受注番号"], &["受注ステータス"], &["注文者名字"]],
        roles: &[
            (Role::OrderId, &["受注番号"]),
            (Role::Date, &["注文日時", "注文日"]),
            (Role::Total, &["合計金額", "合計"]),
            (Role::LinePrice, &["単価"]),
            (Role::Quantity, &["個数"]),
            (Role::Status, &["受注ステータス"]),
            (Role::Email, &["メールアドレス"]),
            (Role::Name, &["注文者名字"]),
            (Role::GivenName, &["注文者名前"]),
            (Role::CustomerId, &[]),
        ],
        identity: Identity::Composite(&[
            &["注文者名字"],
            &["注文者名前"],
            &["注文者電話番号1"],
            &["注文者電話番号2"],
            &["注文者電話番号3"],
        ]),
        currency: Some("JPY"),
        ..GENERIC
    },
    // Yahoo!ショッピング order file (ストアクリエイターPro): OrderStatus 4 is a cancellation.
    Preset {
        format: Format::Yahoo,
        signature: &[&["orderid"], &["ordertime"], &["billmailaddress"]],
        roles: &[
            (Role::OrderId, &["orderid"]),
            (Role::Date, &["ordertime"]),
            (Role::Email, &["billmailaddress"]),
            (Role::Total, &["totalprice", "total"]),
            (Role::Status, &["orderstatus"]),
            (Role::Name, &["billlastname", "billname"]),
            (Role::GivenName, &["billfirstname"]),
            (Role::LinePrice, &["unitprice"]),
            (Role::Quantity, &["quantity"]),
        ],
        currency: Some("JPY"),
        excluding_status_ids: &["4"],
        ..GENERIC
    },
    // EC-CUBE 受注CSV (2.x and 4): 会員ID, 対応状況 as a name and/or an id (3 キャンセル, 9 返品).
    Preset {
        format: Format::EcCube,
        signature: &[
            &["注文id", "注文番号"],
            &["会員id"],
            &["対応状況(名称)", "対応状況(id)", "対応状況"],
        ],
        roles: &[
            (Role::OrderId, &["注文id", "注文番号"]),
            (Role::CustomerId, &["会員id"]),
            (Role::Email, &["メールアドレス"]),
            (Role::Date, &["受注日", "注文日", "注文日時", "受注日時"]),
            (
                Role::Total,
                &["合計", "合計金額", "お支払い合計", "支払合計"],
            ),
            (Role::LinePrice, &["価格", "単価", "販売価格"]),
            (Role::Quantity, &["個数", "数量"]),
            (
                Role::Status,
                &["対応状況(名称)", "対応状況", "対応状況(id)"],
            ),
            (Role::Name, &["お名前(姓)", "名前(姓)"]),
            (Role::GivenName, &["お名前(名)", "名前(名)"]),
        ],
        currency: Some("JPY"),
        excluding_status_ids: &["3", "9"],
        guest_ids: &["0"],
        ..GENERIC
    },
    // BASE: Shift_JIS, one row per product or option, e-mail only, 発送状況 doubles as status.
    Preset {
        format: Format::Base,
        signature: &[&["注文id"], &["注文日時"], &["発送状況"], &["氏(請求先)"]],
        roles: &[
            (Role::OrderId, &["注文id"]),
            (Role::Date, &["注文日時"]),
            (Role::Email, &["メールアドレス(請求先)"]),
            (Role::Total, &["合計金額"]),
            (Role::LinePrice, &["価格"]),
            (Role::Quantity, &["数量"]),
            (Role::Status, &["発送状況"]),
            (Role::Name, &["氏(請求先)"]),
            (Role::GivenName, &["名(請求先)"]),
            (Role::CustomerId, &[]),
        ],
        currency: Some("JPY"),
        ..GENERIC
    },
    // MakeShop 注文出力用テンプレート: 日付 2022/8/10, a separate 注文時間, 処理状況 注文キャンセル.
    Preset {
        format: Format::MakeShop,
        signature: &[&["注文番号"], &["日付"], &["処理状況"]],
        excluding_status_ids: &["返送"],
        roles: &[
            (Role::OrderId, &["注文番号"]),
            (Role::Date, &["日付", "注文日"]),
            (Role::Status, &["処理状況"]),
            (
                Role::Total,
                &[
                    "合計金額",
                    "総合計",
                    "注文金額",
                    "決済金額",
                    "購入金額",
                    "合計",
                ],
            ),
            (Role::Name, &["注文者"]),
            (Role::CustomerId, &["会員id", "会員番号"]),
            (
                Role::Email,
                &["メールアドレス", "注文者メールアドレス", "eメール"],
            ),
        ],
        currency: Some("JPY"),
        ..GENERIC
    },
    // futureshop 受注データ: 受注コード, 請求合計金額.
    Preset {
        format: Format::Futureshop,
        signature: &[&["受注コード"], &["注文日時"]],
        roles: &[
            (Role::OrderId, &["受注コード"]),
            (Role::Date, &["注文日時"]),
            (Role::Total, &["請求合計金額", "商品合計金額"]),
            (Role::LinePrice, &["販売単価"]),
            (Role::Quantity, &["購入数量"]),
            (Role::Email, &["メールアドレス"]),
            (Role::Name, &["氏名(姓)"]),
            (Role::GivenName, &["氏名(名)"]),
            (Role::CustomerId, &["会員id", "顧客id", "会員番号"]),
        ],
        currency: Some("JPY"),
        ..GENERIC
    },
    // カラーミーショップ: 売上ID (headers unconfirmed: plausible alternatives).
    Preset {
        format: Format::ColorMe,
        signature: &[&["売上id", "売上番号"]],
        roles: &[
            (Role::OrderId, &["売上id", "売上番号"]),
            (
                Role::Date,
                &["受注日", "注文日", "受注日時", "注文日時", "売上日"],
            ),
            (
                Role::Total,
                &["合計金額", "売上合計", "総合計金額", "請求金額"],
            ),
            (Role::CustomerId, &["顧客id", "会員id"]),
            (Role::Email, &["購入者メールアドレス", "メールアドレス"]),
            (Role::Name, &["購入者名前", "購入者名", "購入者氏名"]),
            (Role::Status, &["ステータス", "受注ステータス", "対応状況"]),
        ],
        currency: Some("JPY"),
        ..GENERIC
    },
    // Amazon Order Report (seller-fulfilled, tab-separated): item-price is the line's total.
    Preset {
        format: Format::Amazon,
        signature: &[
            &["orderid"],
            &["orderitemid"],
            &["purchasedate"],
            &["buyeremail"],
        ],
        roles: &[
            (Role::OrderId, &["orderid"]),
            (Role::Date, &["purchasedate"]),
            (Role::Email, &["buyeremail"]),
            (Role::Name, &["buyername"]),
            (Role::LinePrice, &["itemprice"]),
            (Role::Quantity, &["quantitypurchased"]),
            (Role::Currency, &["currency"]),
            (Role::CustomerId, &[]),
            (Role::Total, &[]),
        ],
        line_price_is_line_total: true,
        ..GENERIC
    },
    // Amazon All Orders report: no customer-identifying information.
    Preset {
        format: Format::AmazonAllOrders,
        signature: &[&["amazonorderid"], &["purchasedate"], &["orderstatus"]],
        roles: &[
            (Role::OrderId, &["amazonorderid"]),
            (Role::Date, &["purchasedate"]),
            (Role::Status, &["orderstatus"]),
            (Role::LinePrice, &["itemprice"]),
            (Role::Quantity, &["quantity"]),
            (Role::Currency, &["currency"]),
            (Role::CustomerId, &[]),
            (Role::Email, &[]),
            (Role::Total, &[]),
        ],
        identity: Identity::None,
        line_price_is_line_total: true,
        ..GENERIC
    },
    // BigCommerce order export (Shift template / historical import).
    Preset {
        format: Format::BigCommerce,
        signature: &[
            &["orderid"],
            &["datecreated", "orderdate"],
            &["subtotalinctax", "ordertotalinctax", "subtotalextax"],
        ],
        roles: &[
            (Role::OrderId, &["orderid"]),
            (Role::CustomerId, &["customerid"]),
            (Role::Email, &["billingemail", "customeremail", "email"]),
            (Role::Date, &["datecreated", "orderdate"]),
            (
                Role::Total,
                &[
                    "ordertotalinctax",
                    "ordertotal",
                    "totalinctax",
                    "subtotalinctax",
                ],
            ),
            (Role::Status, &["orderstatus", "status"]),
            (Role::Refunded, &["refundedamount", "refundamount"]),
        ],
        // The Orders API's `customer_id` is 0 for a guest checkout.
        guest_ids: &["0"],
        ..GENERIC
    },
    // WooCommerce Analytics → Orders download: the customer is a name only (weak identity).
    Preset {
        format: Format::WooCommerce,
        signature: &[&["order#"], &["customertype"], &["netsales"]],
        roles: &[
            (Role::OrderId, &["order#"]),
            (Role::Date, &["date"]),
            (Role::Status, &["status"]),
            (Role::CustomerId, &["customer"]),
            (Role::Name, &["customer"]),
            (Role::Total, &["netsales"]),
        ],
        ..GENERIC
    },
    // Invoice-style transaction exports (UCI Online Retail, many ERP/POS tools): one row per line.
    Preset {
        format: Format::Invoice,
        signature: &[
            &["invoiceno", "invoice", "invoicenumber"],
            &["invoicedate"],
            &["unitprice", "price"],
        ],
        roles: &[
            (Role::OrderId, &["invoiceno", "invoice", "invoicenumber"]),
            (Role::Date, &["invoicedate"]),
            (Role::LinePrice, &["unitprice", "price"]),
            (Role::Quantity, &["quantity"]),
            (Role::CustomerId, &["customerid"]),
            (Role::Total, &[]),
        ],
        invoice: true,
        ..GENERIC
    },
    GENERIC,
];
