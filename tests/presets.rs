//! One small export per platform preset, written from the documented headers (README "Input formats"
//! and the sources it names), in the platform's encoding, each with line items, a repeat customer and
//! cancelled or returned orders. Every expectation is worked out by hand in the comment beside it. Each
//! file is also pushed split at every byte position, and must give the same Report.

use ltv_lens::{Analyzer, CustomerFilter, Options, Report};

#[derive(Clone, Copy)]
enum Encoding {
    Utf8,
    ShiftJis,
}

struct Case {
    name: &'static str,
    encoding: Encoding,
    text: &'static str,
    format: &'static str,
    currency: Option<&'static str>,
    customers: u64,
    orders: u64,
    excluded: u64,
    revenue: f64,
    repeat_customers: u64,
}

fn bytes(case: &Case) -> Vec<u8> {
    match case.encoding {
        Encoding::Utf8 => case.text.as_bytes().to_vec(),
        Encoding::ShiftJis => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(case.text);
            assert!(!unmappable, "{}: not all Shift_JIS", case.name);
            bytes.into_owned()
        }
    }
}

fn analyze(chunks: &[&[u8]]) -> ltv_lens::Analysis {
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    for chunk in chunks {
        analyzer.push(chunk).unwrap();
    }
    analyzer.finish().unwrap()
}

const CASES: [Case; 13] = [
    // BASE (Shift_JIS; e-mail only; option rows; 発送状況 as status): B1 = 2,500 (its option row
    // repeats the order total), B2 = 3,500 (the same buyer, e-mail in another case), B3 キャンセル and
    // B4 返品 excluded, B5 = 1,500. Customers hanako, saburo; 7,500.
    Case {
        name: "base",
        encoding: Encoding::ShiftJis,
        text: "注文ID,注文日時,氏(請求先),名(請求先),メールアドレス(請求先),商品名,価格,数量,合計金額,発送状況\n\
               B1,2024-01-05 10:00:00,山田,花子,hanako@example.jp,緑茶,1000,2,2500,発送済み\n\
               B1,2024-01-05 10:00:00,山田,花子,hanako@example.jp,商品オプション「ギフト包装」,300,1,2500,発送済み\n\
               B2,2024-02-10 09:00:00,山田,花子,HANAKO@example.jp,抹茶,3000,1,3500,発送済み\n\
               B3,2024-02-11 09:00:00,佐藤,一郎,ichiro@example.jp,緑茶,1000,1,1500,キャンセル\n\
               B4,2024-03-01 12:00:00,鈴木,次郎,jiro@example.jp,抹茶,3000,1,3500,返品\n\
               B5,2024-03-02 12:00:00,田中,三郎,saburo@example.jp,緑茶,1000,1,1500,未発送\n",
        format: "base",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 2,
        revenue: 7500.0,
        repeat_customers: 1,
    },
    // 楽天ペイ (Shift_JIS; masked e-mails differ per order, so the buyer is name + phone): R1 = 3,300,
    // R2 = 2,000 (楽天 太郎 again, another masked e-mail), R3 キャンセル, R4 = 5,000 (市場 花子).
    Case {
        name: "rakuten_pay",
        encoding: Encoding::ShiftJis,
        text: "注文番号,ステータス,注文日時,合計金額,注文者姓,注文者名,注文者電話番号1,注文者電話番号2,注文者電話番号3,注文者メールアドレス,商品名,単価,個数\n\
               R1,発送済み,2024-01-05 10:00:00,3300,楽天,太郎,090,1111,2222,815db15ff6ee7c02@pc.fw.rakuten.ne.jp,茶,1500,2\n\
               R1,発送済み,2024-01-05 10:00:00,3300,楽天,太郎,090,1111,2222,815db15ff6ee7c02@pc.fw.rakuten.ne.jp,器,300,1\n\
               R2,発送済み,2024-03-01 08:00:00,2000,楽天,太郎,090,1111,2222,aa11bb22cc33dd44@pc.fw.rakuten.ne.jp,茶,2000,1\n\
               R3,キャンセル,2024-03-02 08:00:00,1000,市場,花子,080,3333,4444,x1@pc.fw.rakuten.ne.jp,茶,1000,1\n\
               R4,発送済み,2024-03-03 08:00:00,5000,市場,花子,080,3333,4444,y2@pc.fw.rakuten.ne.jp,器,5000,1\n",
        format: "rakuten_pay",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 1,
        revenue: 10300.0,
        repeat_customers: 1,
    },
    // 楽天 RMS legacy (Shift_JIS; full-width digits and a bracketed note in the headers): L1 = 4,000,
    // L2 = 1,000 by the same buyer, L3 キャンセル確定.
    Case {
        name: "rakuten",
        encoding: Encoding::ShiftJis,
        text: "受注番号,受注ステータス,注文日時,合計金額(-99999=無効値),注文者名字,注文者名前,注文者電話番号１,注文者電話番号２,注文者電話番号３,メールアドレス,商品名,単価,個数\n\
               L1,発送後,2024/01/05 10:00,4000,楽天,一郎,03,1234,5678,m1@pc.fw.rakuten.ne.jp,茶,2000,2\n\
               L2,発送後,2024/02/05 10:00,1000,楽天,一郎,03,1234,5678,m2@pc.fw.rakuten.ne.jp,茶,1000,1\n\
               L3,キャンセル確定,2024/02/06 10:00,9000,別人,二郎,03,9999,0000,m3@pc.fw.rakuten.ne.jp,器,9000,1\n",
        format: "rakuten",
        currency: Some("JPY"),
        customers: 1,
        orders: 2,
        excluded: 1,
        revenue: 5000.0,
        repeat_customers: 1,
    },
    // Yahoo!ショッピング order file: OrderStatus 4 is a cancellation; Y1 3,000 + Y2 2,000 (a@, in another
    // case) + Y4 1,000.
    Case {
        name: "yahoo",
        encoding: Encoding::Utf8,
        text: "OrderId,OrderTime,OrderStatus,BillMailAddress,BillLastName,BillFirstName,TotalPrice\n\
               Y1,2024/01/05 10:00:00,5,a@yahoo.example,山本,太郎,3000\n\
               Y2,2024/02/05 10:00:00,5,A@yahoo.example,山本,太郎,2000\n\
               Y3,2024/02/06 10:00:00,4,b@yahoo.example,川口,次郎,5000\n\
               Y4,2024/02/07 10:00:00,2,c@yahoo.example,川口,三郎,1000\n",
        format: "yahoo",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 1,
        revenue: 6000.0,
        repeat_customers: 1,
    },
    // EC-CUBE (Shift_JIS): the status comes as an id (first) and a name; the name decides (キャンセル,
    // 返品). 合計 (before points) is the revenue, not 支払合計: E1 3,300 + E2 2,000 (member 101) + E3
    // 1,500 (会員ID 0: a guest, identified by e-mail) + E6 1,000 (会員ID ０ full-width: another guest,
    // another e-mail; not one "member 0" with two orders).
    Case {
        name: "ec_cube",
        encoding: Encoding::ShiftJis,
        text: "注文ID,会員ID,お名前(姓),お名前(名),メールアドレス,合計,支払合計,対応状況(ID),対応状況(名称),受注日,商品名,価格,個数\n\
               E1,101,高橋,一,t@example.jp,3300,3000,5,発送済み,2024-01-05 10:00:00,茶,1500,2\n\
               E1,101,高橋,一,t@example.jp,3300,3000,5,発送済み,2024-01-05 10:00:00,器,300,1\n\
               E2,101,高橋,一,t@example.jp,2000,2000,5,発送済み,2024-02-05 10:00:00,茶,2000,1\n\
               E3,0,ゲスト,様,guest@example.jp,1500,1500,5,発送済み,2024-02-06 10:00:00,茶,1500,1\n\
               E4,102,伊藤,二,i@example.jp,4000,4000,5,キャンセル,2024-02-07 10:00:00,器,4000,1\n\
               E5,103,渡辺,三,w@example.jp,2500,2500,5,返品,2024-02-08 10:00:00,器,2500,1\n\
               E6,０,ゲスト,二,guest2@example.jp,1000,1000,5,発送済み,2024-02-09 10:00:00,茶,1000,1\n",
        format: "ec_cube",
        currency: Some("JPY"),
        customers: 3,
        orders: 4,
        excluded: 2,
        revenue: 7800.0,
        repeat_customers: 1,
    },
    // MakeShop (Shift_JIS): 日付 2022/8/10 with the time in another column, amounts with thousands
    // separators, 注文キャンセル and 返送 out: 5,400 + 1,200 (M01 twice) + 2,000 (M03).
    Case {
        name: "makeshop",
        encoding: Encoding::ShiftJis,
        text: "注文番号,日付,注文時間,処理状況,注文者,会員ID,メールアドレス,合計金額\n\
               P171323551145213731,2022/8/10,103309,配送,山田 太郎,M01,yamada@example.jp,\"5,400\"\n\
               P171323551145213732,2022/9/10,090000,配送,山田 太郎,M01,yamada@example.jp,\"1,200\"\n\
               P171323551145213733,2022/9/11,090000,注文キャンセル,佐藤 花子,M02,sato@example.jp,\"3,000\"\n\
               P171323551145213734,2022/9/12,090000,返送,鈴木 一,M03,suzuki@example.jp,\"2,000\"\n\
               P171323551145213735,2022/9/13,090000,未処理,鈴木 一,M03,suzuki@example.jp,\"2,000\"\n",
        format: "makeshop",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 2,
        revenue: 8600.0,
        repeat_customers: 1,
    },
    // futureshop (Shift_JIS): 請求合計金額; F1 3,000 + F2 1,500 (k@ twice) + F4 1,000; F3 キャンセル.
    Case {
        name: "futureshop",
        encoding: Encoding::ShiftJis,
        text: "受注コード,注文日時,請求合計金額,氏名(姓),氏名(名),メールアドレス,商品番号,販売単価,購入数量,ステータス\n\
               F1,2024/01/05 10:00:00,3000,木村,一,k@example.jp,T1,1500,2,発送済\n\
               F2,2024/03/05 10:00:00,1500,木村,一,k@example.jp,T1,1500,1,発送済\n\
               F3,2024/03/06 10:00:00,9000,林,二,h@example.jp,T2,9000,1,キャンセル\n\
               F4,2024/03/07 10:00:00,1000,森,三,m@example.jp,T3,1000,1,発送済\n",
        format: "futureshop",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 1,
        revenue: 5500.0,
        repeat_customers: 1,
    },
    // カラーミーショップ (Shift_JIS; headers unconfirmed, the preset's plausible names): 2,000 + 3,000.
    Case {
        name: "colorme",
        encoding: Encoding::ShiftJis,
        text: "売上ID,受注日,購入者名前,購入者メールアドレス,合計金額,ステータス\n\
               C1,2024-01-05,色見 太郎,c1@example.jp,2000,発送済み\n\
               C2,2024-02-05,色見 太郎,c1@example.jp,3000,発送済み\n\
               C3,2024-02-06,別 人,c2@example.jp,4000,キャンセル\n",
        format: "colorme",
        currency: Some("JPY"),
        customers: 1,
        orders: 2,
        excluded: 1,
        revenue: 5000.0,
        repeat_customers: 1,
    },
    // BigCommerce: RFC 2822 dates; the order total including tax, not the subtotal: 99 + 10
    // (customer 5 twice) + 33 (customer 8); Cancelled and Refunded out. Customer ID 0 is a guest (the
    // Orders API's `customer_id` is 0 for a guest checkout): 105 and 106 are two guests known by their
    // e-mails, 107 a guest order without one: + 11 + 12 + 13, two more customers, no repeat.
    Case {
        name: "bigcommerce",
        encoding: Encoding::Utf8,
        text: "Order ID,Customer ID,Order Status,Date Created,Subtotal Inc Tax,Order Total (inc tax),Billing Email\n\
               100,5,Shipped,\"Mon, 23 Sep 2024 14:21:24 +0000\",90.00,99.00,a@bc.example\n\
               101,5,Completed,\"Tue, 24 Sep 2024 10:00:00 +0000\",9.00,10.00,a@bc.example\n\
               102,6,Cancelled,\"Wed, 25 Sep 2024 10:00:00 +0000\",50.00,55.00,b@bc.example\n\
               103,7,Refunded,\"Thu, 26 Sep 2024 10:00:00 +0000\",20.00,22.00,c@bc.example\n\
               104,8,Shipped,\"Fri, 27 Sep 2024 10:00:00 +0000\",30.00,33.00,d@bc.example\n\
               105,0,Shipped,\"Sat, 28 Sep 2024 10:00:00 +0000\",10.00,11.00,g1@bc.example\n\
               106,0,Shipped,\"Sun, 29 Sep 2024 10:00:00 +0000\",10.00,12.00,g2@bc.example\n\
               107,0,Shipped,\"Mon, 30 Sep 2024 10:00:00 +0000\",10.00,13.00,\n",
        format: "bigcommerce",
        currency: None,
        customers: 4,
        orders: 6,
        excluded: 2,
        revenue: 178.0,
        repeat_customers: 1,
    },
    // WooCommerce Analytics orders: the customer is a name (weak, but all there is): Jane Doe 20 + 15.50,
    // Ann Poe 7.75; a cancelled and a refunded order out.
    Case {
        name: "woocommerce",
        encoding: Encoding::Utf8,
        text: "Date,Order #,Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net Sales\n\
               2024-05-01,5001,Completed,Jane Doe,new,Mug,1,,20.00\n\
               2024-06-01,5002,Completed,Jane Doe,returning,Tea,2,,15.50\n\
               2024-06-02,5003,Cancelled,John Roe,new,Mug,1,,20.00\n\
               2024-06-03,5004,Refunded,Ann Poe,new,Tea,1,,7.75\n\
               2024-06-04,5005,Processing,Ann Poe,new,Tea,1,,7.75\n",
        format: "woocommerce",
        currency: None,
        customers: 2,
        orders: 3,
        excluded: 2,
        revenue: 43.25,
        repeat_customers: 1,
    },
    // Amazon Order Report (tab-separated): item-price is the line's total, not a unit price: A1 = 3,000
    // + 500 (not 2 × 3,000), A2 = 1,500 by the same buyer, A3 = 1,500.
    Case {
        name: "amazon",
        encoding: Encoding::Utf8,
        text: "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\n\
               A1\ti1\t2024-01-05T01:00:00+00:00\t2024-01-05T01:00:00+00:00\tx@marketplace.amazon.co.jp\t山田\tS1\t茶\t2\tJPY\t3000\n\
               A1\ti2\t2024-01-05T01:00:00+00:00\t2024-01-05T01:00:00+00:00\tx@marketplace.amazon.co.jp\t山田\tS2\t器\t1\tJPY\t500\n\
               A2\ti3\t2024-02-05T01:00:00+00:00\t2024-02-05T01:00:00+00:00\tx@marketplace.amazon.co.jp\t山田\tS1\t茶\t1\tJPY\t1500\n\
               A3\ti4\t2024-02-06T01:00:00+00:00\t2024-02-06T01:00:00+00:00\ty@marketplace.amazon.co.jp\t佐藤\tS1\t茶\t1\tJPY\t1500\n",
        format: "amazon",
        currency: Some("JPY"),
        customers: 2,
        orders: 3,
        excluded: 0,
        revenue: 6500.0,
        repeat_customers: 1,
    },
    // Amazon All Orders report: no customer at all (every order a guest); Cancelled out: 2,000 + 1,000.
    Case {
        name: "amazon_all_orders",
        encoding: Encoding::Utf8,
        text: "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\tsku\tquantity\tcurrency\titem-price\n\
               B-1\t\t2024-01-05T01:00:00+00:00\t2024-01-06T01:00:00+00:00\tShipped\tAmazon\tAmazon.co.jp\tS1\t1\tJPY\t2000\n\
               B-2\t\t2024-01-07T01:00:00+00:00\t2024-01-08T01:00:00+00:00\tCancelled\tAmazon\tAmazon.co.jp\tS1\t1\tJPY\t2000\n\
               B-3\t\t2024-01-09T01:00:00+00:00\t2024-01-10T01:00:00+00:00\tShipped\tMerchant\tAmazon.co.jp\tS2\t2\tJPY\t1000\n",
        format: "amazon_all_orders",
        currency: Some("JPY"),
        customers: 0,
        orders: 2,
        excluded: 1,
        revenue: 3000.0,
        repeat_customers: 0,
    },
    // Invoice-style lines (the UCI Online Retail layout): 536365 = 6 × 2.55 + 6 × 3.39 = 35.64;
    // 536366 has only a returned line (excluded); 536367 = 32 × 1.69 − 4 × 2.10 = 45.68 (a return nets
    // off); C536379 is a credit note (excluded); 536368 = 25.50 with no customer (a guest);
    // 536369 = 17.85 by 17850 again. Customers 17850 (Dec 1 and Dec 6: a repeat) and 13047;
    // revenue 35.64 + 45.68 + 25.50 + 17.85 = 124.67.
    Case {
        name: "invoice",
        encoding: Encoding::Utf8,
        text: "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
               536365,85123A,HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom\n\
               536365,71053,LANTERN,6,2010-12-01 08:26,3.39,17850,United Kingdom\n\
               536366,22633,HAND WARMER,-2,2010-12-02 08:28,1.85,17850,United Kingdom\n\
               536367,84879,BIRD,32,2010-12-03 08:34,1.69,13047,United Kingdom\n\
               536367,22745,POPPY,-4,2010-12-03 08:34,2.10,13047,United Kingdom\n\
               C536379,D,Discount,-1,2010-12-04 09:41,27.50,14527,United Kingdom\n\
               536368,22960,JAM,6,2010-12-05 08:34,4.25,,United Kingdom\n\
               536369,21756,BATH,3,2010-12-06 08:35,5.95,17850,United Kingdom\n",
        format: "invoice",
        currency: None,
        customers: 2,
        orders: 4,
        excluded: 2,
        revenue: 124.67,
        repeat_customers: 1,
    },
];

#[track_caller]
fn check(case: &Case, report: &Report) {
    let name = case.name;
    assert_eq!(report.input.format, case.format, "{name}: format");
    assert_eq!(
        report.currency.as_deref(),
        case.currency,
        "{name}: currency"
    );
    assert_eq!(report.kpis.customers, case.customers, "{name}: customers");
    assert_eq!(report.kpis.orders, case.orders, "{name}: orders");
    assert_eq!(
        report.input.excluded_orders, case.excluded,
        "{name}: excluded orders"
    );
    assert!(
        (report.kpis.revenue - case.revenue).abs() < 1e-9,
        "{name}: revenue {} (expected {})",
        report.kpis.revenue,
        case.revenue
    );
    let repeaters = report.funnel.get(1).map_or(0, |stage| stage.customers);
    assert_eq!(repeaters, case.repeat_customers, "{name}: repeat customers");
    assert_eq!(
        report.input.skipped_rows, 0,
        "{name}: {:?}",
        report.input.warnings
    );
}

#[test]
fn every_preset_is_recognised_and_read_as_its_platform_means() {
    for case in &CASES {
        let bytes = bytes(case);
        let analysis = analyze(&[&bytes]);
        check(case, &analysis.report());
    }
}

#[test]
fn every_preset_gives_the_same_report_split_at_every_byte() {
    for case in &CASES {
        let bytes = bytes(case);
        let whole = analyze(&[&bytes]).report();
        for split in 1..bytes.len() {
            let (a, b) = bytes.split_at(split);
            assert_eq!(
                analyze(&[a, b]).report(),
                whole,
                "{} split at byte {split}",
                case.name
            );
        }
    }
}

#[test]
fn names_in_two_columns_and_masked_emails_reach_the_customer_list() {
    let base = &CASES[0];
    let rows = analyze(&[&bytes(base)]).customers(&CustomerFilter::All);
    let hanako = rows
        .iter()
        .find(|r| r.customer_key == "hanako@example.jp")
        .unwrap();
    assert_eq!(hanako.name.as_deref(), Some("山田 花子"));
    // 楽天: the key is the buyer's name and phone; the first (masked) e-mail is kept as contact only.
    let rakuten = &CASES[1];
    let rows = analyze(&[&bytes(rakuten)]).customers(&CustomerFilter::All);
    let taro = rows
        .iter()
        .find(|r| r.customer_key == "楽天 太郎 090 1111 2222")
        .unwrap();
    assert_eq!((taro.orders, taro.occasions), (2, 2));
    assert_eq!(
        taro.email.as_deref(),
        Some("815db15ff6ee7c02@pc.fw.rakuten.ne.jp")
    );
}

#[test]
fn an_export_without_customer_identity_says_repeat_analysis_is_impossible() {
    let case = CASES
        .iter()
        .find(|c| c.name == "amazon_all_orders")
        .unwrap();
    let report = analyze(&[&bytes(case)]).report();
    assert_eq!(report.input.orders_without_customer, 2);
    assert!(
        report
            .input
            .warnings
            .iter()
            .any(|w| w.row.is_none() && w.message.contains("repeat purchases cannot be analysed")),
        "{:?}",
        report.input.warnings
    );
}

#[test]
fn a_yahoo_items_file_alone_is_refused_with_what_to_drop_instead() {
    let items =
        "OrderId,LineId,Quantity,ItemId,SubCode,Title,UnitPrice\nY1,1,2,tea,,Green tea,1000\n";
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    analyzer.push(items.as_bytes()).unwrap();
    let error = analyzer.finish().err().expect("refused");
    assert_eq!(error.code(), "items_file");
    let message = error.to_string();
    assert!(
        message.contains("Yahoo!ショッピング") && message.contains("OrderTime"),
        "{message}"
    );
}
