//! Agreement between `ltv-lens analyze --json` / `ltv-lens customers` and the independent Python
//! implementation in tests/reference/ltv_reference.py (written from README.md "Definitions", "Report"
//! and "Customer lists", not from the Rust code),
//! on generated Shopify exports, generated generic files and every valid fixture.
//!
//! Every field the reference prints must be in the Report with the same value: integers and strings
//! exactly, ratios and quantiles within 1e-9 (relative), money within 1e-6 (absolute). Warning
//! messages are free text and are not compared (their row and column are).
//!
//! The customer export is parsed on both sides and compared row by row: `revenue` numerically
//! (within 1e-6), every other cell exactly; the header, the UTF-8 byte-order mark and the CRLF line
//! ends too. The Shift_JIS export is decoded on both sides and the texts compared exactly.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Keys whose numbers (or arrays of numbers) are money: compared within 1e-6 absolute.
const MONEY_KEYS: [&str; 10] = [
    "revenue",
    "aov",
    "new_revenue",
    "returning_revenue",
    "guest_revenue",
    "cumulative_revenue_per_customer",
    "avg_revenue_per_customer",
    "monetary_cut_points",
    "revenue_last_365_days",
    "revenue_all_time",
];

/// A non-default F band setting used alongside the default `1,2,3,4,6`.
const OTHER_F_BANDS: &str = "1,2,4,7,10";

/// The repository's root, whose `tests/` holds the fixtures and the reference implementation.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn work_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reference");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("non-UTF-8 path {}", path.display()))
}

fn python3(args: &[&str]) -> Output {
    Command::new("python3")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): tests/reference.rs compares ltv-lens with \
             tests/reference/ltv_reference.py and needs Python 3.11 or later on PATH"
            )
        })
}

fn ltv_lens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ltv-lens {args:?}: {e}"))
}

fn parse(what: &str, out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{what} failed with {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what} did not print JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn reference_report(file: &Path, options: &[&str]) -> Value {
    let script = repository().join("tests/reference/ltv_reference.py");
    let mut args = vec![path_str(&script), path_str(file)];
    args.extend_from_slice(options);
    parse(&format!("python3 {args:?}"), &python3(&args))
}

/// `ltv-lens analyze --json` with `options`, without the models (`/models` is not compared, see
/// [`NOT_IN_REFERENCE`]).
fn rust_report(file: &Path, options: &[&str]) -> Value {
    let mut args = vec!["analyze", path_str(file), "--json", "--no-models"];
    args.extend_from_slice(options);
    parse(&format!("ltv-lens {args:?}"), &ltv_lens(&args))
}

fn numbers_agree(key: &str, reference: &Value, actual: &Value) -> bool {
    if let (Some(a), Some(b)) = (reference.as_i64(), actual.as_i64()) {
        return a == b;
    }
    let (Some(a), Some(b)) = (reference.as_f64(), actual.as_f64()) else {
        return false;
    };
    if MONEY_KEYS.contains(&key) {
        (a - b).abs() <= 1e-6
    } else {
        a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
    }
}

/// Report fields the reference implementation does not compute (JSON pointers, `*` for any array index),
/// and why. Every other field of ltv-lens's Report must be in the reference's, and the reverse.
const NOT_IN_REFERENCE: &[&str] = &[
    // The predicted-value models are checked against published fits instead (tests/cdnow.rs, tests/models.rs).
    "/models",
    // The reference reads a customer's name from one column; names in two columns are pinned by
    // tests/presets.rs and tests/cli.rs.
    "/input/columns/given_name",
    // The reference words its warnings in English only; codes and arguments are pinned by the notices'
    // unit tests and tests/bad_files.rs.
    "/input/warnings/*/code",
    "/input/warnings/*/args",
    // The sBG fit is checked against the published fits instead (crates/cli/tests/subscriptions.rs),
    // and the reference does not word the subscription notes.
    "/subscriptions/sbg",
    "/subscriptions/sbg_note",
    "/subscriptions/notes/*/message",
];

/// Whether `pointer` is one of [`NOT_IN_REFERENCE`].
fn not_in_reference(pointer: &str) -> bool {
    let pattern: Vec<&str> = pointer
        .split('/')
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                part
            }
        })
        .collect();
    NOT_IN_REFERENCE.contains(&pattern.join("/").as_str())
}

/// Every field of `reference` must be in `actual` with an agreeing value, and every field of `actual` in
/// `reference` unless [`NOT_IN_REFERENCE`] lists it.
fn compare(pointer: &str, key: &str, reference: &Value, actual: &Value, errors: &mut Vec<String>) {
    match reference {
        Value::Object(fields) => {
            let Some(actual_fields) = actual.as_object() else {
                errors.push(format!("{pointer}: expected an object, got {actual}"));
                return;
            };
            for name in actual_fields.keys() {
                let child = format!("{pointer}/{name}");
                if !fields.contains_key(name) && !not_in_reference(&child) {
                    errors.push(format!("{child}: not computed by the reference"));
                }
            }
            for (name, value) in fields {
                // warning messages are free text
                if name == "message" && pointer.starts_with("/input/warnings/") {
                    continue;
                }
                let child = format!("{pointer}/{name}");
                match actual_fields.get(name) {
                    Some(a) => compare(&child, name, value, a, errors),
                    None => errors.push(format!("{child}: missing (reference: {value})")),
                }
            }
        }
        Value::Array(items) => {
            let Some(actual_items) = actual.as_array() else {
                errors.push(format!("{pointer}: expected an array, got {actual}"));
                return;
            };
            if pointer == "/f2_by_window" {
                // the order of the windows is not part of the contract: match by window_days
                if items.len() != actual_items.len() {
                    errors.push(format!(
                        "{pointer}: {} windows, reference has {}",
                        actual_items.len(),
                        items.len()
                    ));
                }
                for item in items {
                    let w = &item["window_days"];
                    match actual_items.iter().find(|a| &a["window_days"] == w) {
                        Some(a) => {
                            compare(&format!("{pointer}[window_days={w}]"), "", item, a, errors)
                        }
                        None => errors.push(format!("{pointer}: no window_days {w}")),
                    }
                }
                return;
            }
            if items.len() != actual_items.len() {
                errors.push(format!(
                    "{pointer}: {} entries, reference has {}",
                    actual_items.len(),
                    items.len()
                ));
            }
            for (i, (item, a)) in items.iter().zip(actual_items).enumerate() {
                compare(&format!("{pointer}/{i}"), key, item, a, errors);
            }
        }
        Value::Number(_) => {
            if !numbers_agree(key, reference, actual) {
                errors.push(format!(
                    "{pointer}: ltv-lens {actual}, reference {reference}"
                ));
            }
        }
        _ => {
            if reference != actual {
                errors.push(format!(
                    "{pointer}: ltv-lens {actual}, reference {reference}"
                ));
            }
        }
    }
}

/// Runs both on `file` with `options` and returns the disagreements, labelled.
fn disagreements(label: &str, file: &Path, options: &[&str]) -> Vec<String> {
    let reference = reference_report(file, options);
    let actual = rust_report(file, options);
    let mut errors = Vec::new();
    compare("", "", &reference, &actual, &mut errors);
    errors
        .into_iter()
        .map(|e| format!("{label} {options:?}: {e}"))
        .collect()
}

#[track_caller]
fn assert_no_disagreements(errors: &[String]) {
    assert!(
        errors.is_empty(),
        "{} disagreement(s) between ltv-lens and tests/reference/ltv_reference.py:\n{}{}",
        errors.len(),
        errors
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        if errors.len() > 60 { "\n..." } else { "" }
    );
}

/// Writes `ltv-lens sample [--subscriptions] --customers N --seed S` to `name` in the work directory;
/// answers its path and a label naming the command.
fn generated_sample(
    name: &str,
    subscriptions: bool,
    customers: u32,
    seed: u64,
) -> (PathBuf, String) {
    let file = work_dir().join(name);
    let (customers_arg, seed_arg) = (customers.to_string(), seed.to_string());
    let mut args = vec!["sample"];
    if subscriptions {
        args.push("--subscriptions");
    }
    args.extend([
        "--customers",
        &customers_arg,
        "--seed",
        &seed_arg,
        "-o",
        path_str(&file),
    ]);
    let label = format!(
        "{} --customers {customers} --seed {seed}",
        args[..args.len() - 6].join(" ")
    );
    let out = ltv_lens(&args);
    assert!(
        out.status.success(),
        "ltv-lens {label} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (file, label)
}

#[test]
fn python3_is_available_for_the_reference_implementation() {
    let out = python3(&["--version"]);
    assert!(
        out.status.success(),
        "python3 --version failed: tests/reference.rs needs Python 3.11 or later on PATH"
    );
}

#[test]
fn generated_subscription_exports_agree_with_the_reference() {
    let mut errors = Vec::new();
    for (customers, seed) in [(60, 2), (700, 5)] {
        let (file, label) = generated_sample(
            &format!("subscriptions-{customers}-{seed}.csv"),
            true,
            customers,
            seed,
        );
        for options in [
            &[][..],
            &["--subscription-lapse-days", "20"][..],
            &["--as-of", "2024-03-15"][..],
        ] {
            errors.extend(disagreements(&label, &file, options));
        }
    }
    assert_no_disagreements(&errors);
}

#[test]
fn generated_shopify_exports_agree_with_the_reference() {
    let mut errors = Vec::new();
    for (customers, seed) in [(40, 3), (300, 1), (800, 7), (1500, 42)] {
        let (file, label) = generated_sample(
            &format!("sample-{customers}-{seed}.csv"),
            false,
            customers,
            seed,
        );
        let default = reference_report(&file, &[]);
        let as_of = default["as_of"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: the reference finds no counted order"))
            .to_string();
        // a later analysis date: 30 June of the year after the latest order
        let year: i32 = as_of[..4]
            .parse()
            .unwrap_or_else(|e| panic!("{label}: as_of {as_of}: {e}"));
        let later = format!("{}-06-30", year + 1);
        // an earlier one: the orders after it are left out of everything
        let earlier = shift_date(&as_of, -200);
        let option_sets: [&[&str]; 9] = [
            &[],
            &["--f2-window", "90"],
            &["--f2-window", "45"],
            &["--as-of", &as_of],
            &["--as-of", &later],
            &["--as-of", &later, "--f2-window", "200"],
            &["--as-of", &earlier],
            &["--f-bands", OTHER_F_BANDS],
            &["--as-of", &earlier, "--f-bands", OTHER_F_BANDS],
        ];
        for options in option_sets {
            errors.extend(disagreements(&label, &file, options));
        }
    }
    assert_no_disagreements(&errors);
}

/// A small deterministic generator (xorshift64*), so the generated files are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// (year, month, day) of a day number counted from 1970-01-01 (H. Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day number (from 1970-01-01) of a civil date (H. Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `date` ("YYYY-MM-DD") moved by `days`.
fn shift_date(date: &str, days: i64) -> String {
    let part = |range: std::ops::Range<usize>| -> i64 {
        date.get(range)
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("'{date}' is not a YYYY-MM-DD date"))
    };
    let (y, m, d) = civil(days_from_civil(part(0..4), part(5..7), part(8..10)) + days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One of the date spellings README "Input formats" accepts.
fn date_text(days: i64, rng: &mut Rng) -> String {
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (rng.below(24), rng.below(60), rng.below(60));
    match rng.below(8) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}/{m}/{d}"),
        2 => format!("{y}.{m:02}.{d:02}"),
        3 => format!("{y}{m:02}{d:02}"),
        4 => format!("{y}年{m}月{d}日"),
        5 => {
            let offset = rng.pick(&["+0900", "-0500", "+0000"]);
            format!("{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02} {offset}")
        }
        6 => {
            let offset = rng.pick(&["Z", "+09:00", "-05:00"]);
            format!("{y}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{offset}")
        }
        _ => {
            const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
            let month = MONTHS[(m - 1) as usize];
            format!("{weekday}, {d} {month} {y} {hh:02}:{mm:02}:{ss:02} +0000")
        }
    }
}

fn with_thousands(whole: u64) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in one of the spellings README accepts (currency sign, thousands separators).
fn amount_text(cents: u64, rng: &mut Rng) -> String {
    let (whole, frac) = (cents / 100, cents % 100);
    match rng.below(8) {
        0 => format!("{whole}.{frac:02}"),
        1 => format!("${}.{frac:02}", with_thousands(whole)),
        2 => format!("¥{}", with_thousands(whole)),
        3 => format!("{}.{frac:02}", with_thousands(whole)),
        // accounting negative
        4 => format!("({whole}.{frac:02})"),
        // five decimals ending in 5: a tie, rounded half away from zero to four
        5 => format!("{whole}.{frac:02}{:02}5", rng.below(100)),
        6 => format!("-{whole}.{frac:02}{:03}", rng.below(1000)),
        _ => format!("{whole}"),
    }
}

fn csv_field(value: &str, delimiter: char) -> String {
    if value.contains([delimiter, '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Customer names for the `name` column: CSV quoting, formula-injection starts (`=`, `+`, `-`,
/// `@`), surrounding spaces, Japanese (with characters Shift_JIS writes from the IBM rows, half-width
/// katakana and U+2212) and characters Shift_JIS cannot encode.
const NAMES: [&str; 16] = [
    "山田 太郎",
    "Sato, Ken",
    "=HYPERLINK(\"http://example.com\")",
    "+81 90 1234 5678",
    "-Smith",
    "@kim",
    "O'Brien \"Bob\"",
    "髙橋 ①",
    "Émile Zola",
    "Line one\nline two",
    "ｶﾀｶﾅ ﾀﾛｳ",
    "  Padded Name  ",
    "A−B 株式会社",
    "😀 Emoji",
    "佐藤 花子",
    "plain name",
];

/// The name a customer's row carries: usually the customer's own, sometimes empty, sometimes
/// another spelling (the export takes the first non-empty one).
fn name_cell(customer: Option<usize>, rng: &mut Rng) -> String {
    let Some(c) = customer else {
        return if rng.chance(50) {
            "Guest Buyer".to_string()
        } else {
            String::new()
        };
    };
    match rng.below(10) {
        0 | 1 => String::new(),
        2 => format!("{} (alt)", NAMES[c % NAMES.len()].trim()),
        _ => NAMES[c % NAMES.len()].to_string(),
    }
}

/// An amount from a small set of round values written in a few spellings, so that customers tie
/// on revenue and land exactly on the monetary cut points.
fn round_amount_text(rng: &mut Rng) -> String {
    let whole = rng.pick(&["1000", "2000", "3000", "1500"]);
    match rng.below(3) {
        0 => whole.to_string(),
        1 => format!("{whole}.00"),
        _ => format!("¥{}", with_thousands(whole.parse().unwrap_or(0))),
    }
}

/// A generic order file with randomly chosen header spellings (some with a bracketed note), a
/// comma, tab or semicolon delimiter, optional columns (a customer name among them), line items
/// (sometimes interleaved), guests, folded e-mails, statuses, unreadable dates, blank lines, quoted
/// delimiters and newlines, CRLF, a BOM and title rows. Orders spread over about two years, so
/// cohorts span many months, repeat gaps are long and short, and some files use round amounts so
/// that customers sit exactly on the cut points.
///
/// The first order is always readable, so the file is never "every row unreadable".
fn generic_file(seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let has_order_id = rng.chance(80);
    let has_customer_id = rng.chance(30);
    let has_price = rng.chance(40);
    let has_total = !has_price || rng.chance(60);
    let has_quantity = has_price && rng.chance(70);
    let has_status = rng.chance(50);
    let has_refund = rng.chance(30);
    let has_cancelled = rng.chance(20);
    let has_name = rng.chance(60);
    let round_amounts = rng.chance(40);
    // customer ids and e-mails that start like a spreadsheet formula in some files
    let id_pattern = rng.pick(&["C", "C", "-", "=A", "@u", "+", "会員", "C,"]);
    let email_prefix = rng.pick(&["", "", "", "", "=", "+", "-", "@"]);

    let mut header = Vec::new();
    if has_order_id {
        header.push(rng.pick(&[
            "Order ID",
            "order_number",
            "ORDER NO",
            "Order #",
            "注文番号",
        ]));
    }
    if has_customer_id {
        header.push(rng.pick(&["Customer ID", "member-id", "会員ID"]));
    }
    header.push(rng.pick(&[
        "Email",
        "E-mail",
        "customer email",
        "メールアドレス(請求先)",
    ]));
    header.push(rng.pick(&["Order Date", "date", "Created At", "購入日"]));
    if has_total {
        header.push(rng.pick(&["Total", "Amount", "order_total", "合計金額"]));
    }
    if has_price {
        header.push(rng.pick(&["Price", "Unit Price", "単価"]));
    }
    if has_quantity {
        header.push(rng.pick(&["Qty", "Quantity", "数量"]));
    }
    if has_status {
        header.push(rng.pick(&["Status", "Order Status"]));
    }
    if has_refund {
        header.push("Refunded Amount");
    }
    if has_cancelled {
        header.push("Cancelled At");
    }
    if has_name {
        header.push(rng.pick(&[
            "Customer Name",
            "氏名",
            "お名前",
            "Billing Name",
            "buyer_name",
            "購入者名",
            "顧客名",
            "Full Name",
            "注文者名",
        ]));
    }
    header.push("Note");

    let customers = 1 + rng.below(20);
    let mut lines = Vec::new(); // (order, customer, day, first line of its order)
    for order in 0..1 + rng.below(60) {
        let customer = if order == 0 || rng.chance(85) {
            Some(rng.below(customers))
        } else {
            None
        };
        let day = 19_358 + rng.below(700) as i64; // from 2023-01-01
        let items = if has_order_id { 1 + rng.below(3) } else { 1 };
        for item in 0..items {
            lines.push((order, customer, day, item == 0));
        }
    }
    if rng.chance(50) {
        // interleave the line items of different orders; an order's first row in the file is the
        // one that carries its order-level fields
        for i in (1..lines.len()).rev() {
            let j = rng.below(i + 1);
            lines.swap(i, j);
        }
        let mut seen = std::collections::HashSet::new();
        for line in &mut lines {
            line.3 = seen.insert(line.0);
        }
    }

    let eol = if rng.chance(50) { "\r\n" } else { "\n" };
    let delimiter = match rng.below(4) {
        0 => '\t',
        1 => ';',
        _ => ',',
    };
    let mut text = String::new();
    if rng.chance(30) {
        text.push_str(&format!(
            "Order report{eol}Generated{delimiter}2024-01-01{eol}{eol}"
        ));
    }
    let row = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| csv_field(c, delimiter))
            .collect::<Vec<_>>()
            .join(&delimiter.to_string())
    };
    text.push_str(&row(header.iter().map(|h| h.to_string()).collect()));
    text.push_str(eol);
    for (order, customer, day, first) in lines {
        let mut cells = Vec::new();
        if has_order_id {
            cells.push(format!("X{order}"));
        }
        if has_customer_id {
            cells.push(
                customer
                    .map(|c| format!("{id_pattern}{c}"))
                    .unwrap_or_default(),
            );
        }
        let email = customer
            .map(|c| {
                let e = format!("{email_prefix}user{c}@example.com");
                match rng.below(5) {
                    0 => e.to_uppercase(),
                    1 => format!("  {e} "),
                    2 => format!("{email_prefix}User{c}@Example.COM"),
                    3 if order != 0 => "   ".to_string(),
                    _ => e,
                }
            })
            .unwrap_or_default();
        cells.push(if first || rng.chance(70) {
            email
        } else {
            String::new()
        });
        let date = if first && order != 0 && rng.chance(5) {
            "2024-02-30".to_string()
        } else if first || rng.chance(30) {
            date_text(day, &mut rng)
        } else {
            String::new()
        };
        cells.push(date);
        let mut total = String::new();
        if has_total && first && (order == 0 || rng.chance(90)) {
            total = if round_amounts {
                round_amount_text(&mut rng)
            } else {
                amount_text(100 + rng.below(100_000) as u64, &mut rng)
            };
        }
        if has_total {
            cells.push(total.clone());
        }
        if has_price {
            cells.push(if round_amounts {
                round_amount_text(&mut rng)
            } else {
                amount_text(100 + rng.below(20_000) as u64, &mut rng)
            });
        }
        if has_quantity {
            cells.push((1 + rng.below(4)).to_string());
        }
        if has_status {
            let statuses = [
                "paid",
                "shipped",
                "Cancelled",
                "refunded",
                "VOIDED",
                "返品",
                "partially_refunded",
                "キャンセル",
                "canceled",
                "pending",
            ];
            cells.push(if first {
                rng.pick(&statuses).to_string()
            } else {
                String::new()
            });
        }
        if has_refund {
            let refund = rng.pick(&["0", "5.00", "", "1,000"]);
            cells.push(if first && !total.is_empty() {
                refund.to_string()
            } else {
                String::new()
            });
        }
        if has_cancelled {
            let cancelled = first && rng.chance(15);
            cells.push(if cancelled {
                "2024-01-01 10:00".to_string()
            } else {
                String::new()
            });
        }
        if has_name {
            cells.push(name_cell(customer, &mut rng));
        }
        cells.push(
            rng.pick(&["", "plain", "a, b", "line one\nline two", "say \"hi\""])
                .to_string(),
        );
        text.push_str(&row(cells));
        text.push_str(eol);
        if rng.chance(5) {
            text.push_str(eol);
        }
    }
    let mut bytes = Vec::new();
    if rng.chance(30) {
        bytes.extend_from_slice(b"\xef\xbb\xbf");
    }
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// The analysis options of generated generic file `seed`: defaults, another F2 window and F bands,
/// a later analysis date, and an earlier one (orders after it are left out).
fn generic_options(seed: u64) -> &'static [&'static str] {
    match seed % 4 {
        0 => &[],
        1 => &["--f2-window", "60", "--f-bands", "1,2,3,5,8"],
        2 => &["--as-of", "2025-03-01", "--f2-window", "100"],
        _ => &["--as-of", "2024-01-15", "--f-bands", OTHER_F_BANDS],
    }
}

/// Writes generated generic file `seed` as `{prefix}-{seed}.csv` (tests running at the same time use
/// different prefixes).
fn write_generic_file(prefix: &str, seed: u64) -> PathBuf {
    let file = work_dir().join(format!("{prefix}-{seed}.csv"));
    std::fs::write(&file, generic_file(seed))
        .unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    file
}

#[test]
fn generated_generic_files_agree_with_the_reference() {
    let mut errors = Vec::new();
    for seed in 1..=80u64 {
        let file = write_generic_file("generic", seed);
        let label = format!("generated generic file {} (seed {seed})", file.display());
        errors.extend(disagreements(&label, &file, generic_options(seed)));
    }
    assert_no_disagreements(&errors);
}

/// `(y, m, d)` plus `months` calendar months, the day clamped to the target month's end.
fn add_months((y, m, d): (i64, i64, i64), months: i64) -> (i64, i64, i64) {
    let index = y * 12 + (m - 1) + months;
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let month_days = days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1);
    (y, m, d.min(month_days))
}

/// First purchases on month ends (and on days that only some months have), each customer with
/// orders the day before and on each historical-LTV horizon (first purchase + 3, 6, 12, 24
/// calendar months, clamped: 2023-11-30 + 3 months = 2024-02-29): the order on the horizon is
/// outside the window, the one before it inside.
const MONTH_END_FIRSTS: [(i64, i64, i64); 12] = [
    (2023, 1, 31),
    (2023, 3, 31),
    (2023, 5, 31),
    (2023, 8, 31),
    (2023, 10, 31),
    (2023, 11, 30),
    (2023, 11, 29),
    (2023, 12, 31),
    (2024, 2, 29),
    (2022, 12, 31),
    (2023, 2, 28),
    (2024, 1, 30),
];

fn month_end_file() -> String {
    let mut text = String::from("Order ID,Email,Order Date,Total\n");
    let mut order = 0;
    let mut push = |customer: usize, (y, m, d): (i64, i64, i64), amount: usize| {
        order += 1;
        text.push_str(&format!(
            "M{order},c{customer}@example.com,{y}-{m:02}-{d:02},{amount}\n"
        ));
    };
    for (c, &first) in MONTH_END_FIRSTS.iter().enumerate() {
        push(c, first, 1000 + c);
        for (k, months) in [3, 6, 12, 24].into_iter().enumerate() {
            let horizon = add_months(first, months);
            let (y, m, d) = horizon;
            let before = civil(days_from_civil(y, m, d) - 1);
            push(c, before, 10 * (k + 1) + c);
            push(c, horizon, 100 * (k + 1) + c);
        }
    }
    text
}

#[test]
fn month_end_horizons_agree_with_the_reference() {
    let file = work_dir().join("month-ends.csv");
    std::fs::write(&file, month_end_file())
        .unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    let label = format!("month-end file {}", file.display());
    let mut errors = Vec::new();
    errors.extend(disagreements(&label, &file, &[]));
    // analysis dates on clamped horizons, the days around them, and month ends
    for as_of in [
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2023-11-30",
        "2024-04-30",
        "2024-05-31",
        "2024-06-30",
        "2024-11-30",
        "2025-02-28",
        "2025-03-01",
    ] {
        errors.extend(disagreements(&label, &file, &["--as-of", as_of]));
        errors.extend(export_disagreements(&label, &file, &["--as-of", as_of]));
    }
    assert_no_disagreements(&errors);
}

fn fixtures() -> Vec<PathBuf> {
    let dir = repository().join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

fn is_error_fixture(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("error_"))
}

#[test]
fn every_valid_fixture_agrees_with_the_reference() {
    let mut errors = Vec::new();
    for file in fixtures().iter().filter(|f| !is_error_fixture(f)) {
        let label = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        for options in [
            &[][..],
            &["--f2-window", "30"],
            &["--as-of", "2025-06-30"],
            &["--f-bands", OTHER_F_BANDS],
        ] {
            errors.extend(disagreements(&label, file, options));
        }
        // an analysis date before the latest order (20 days, then 75 days earlier)
        if let Some(as_of) = reference_report(file, &[])["as_of"].as_str() {
            for days in [-20, -75] {
                let earlier = shift_date(as_of, days);
                errors.extend(disagreements(&label, file, &["--as-of", &earlier]));
            }
        }
    }
    assert_no_disagreements(&errors);
}

#[test]
fn unusable_fixtures_are_rejected_by_both() {
    let script = repository().join("tests/reference/ltv_reference.py");
    for file in fixtures().iter().filter(|f| is_error_fixture(f)) {
        let reference = python3(&[path_str(&script), path_str(file)]);
        assert_eq!(
            reference.status.code(),
            Some(1),
            "reference on {}",
            file.display()
        );
        let actual = ltv_lens(&["analyze", path_str(file), "--json"]);
        assert_eq!(
            actual.status.code(),
            Some(1),
            "ltv-lens on {}: {}",
            file.display(),
            String::from_utf8_lossy(&actual.stderr)
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Customer export (`ltv-lens customers`)
// ------------------------------------------------------------------------------------------------

const EXPORT_HEADER: [&str; 15] = [
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
];

fn reference_export(file: &Path, options: &[&str]) -> Vec<u8> {
    let script = repository().join("tests/reference/ltv_reference.py");
    let mut args = vec![path_str(&script), "customers", path_str(file)];
    args.extend_from_slice(options);
    let out = python3(&args);
    assert!(
        out.status.success(),
        "python3 {args:?} failed with {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn rust_export(file: &Path, options: &[&str]) -> Result<Vec<u8>, String> {
    let mut args = vec!["customers", path_str(file)];
    args.extend_from_slice(options);
    let out = ltv_lens(&args);
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "ltv-lens {args:?} failed with {:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        ))
    }
}

/// RFC 4180 records of a CSV text whose records all end in CRLF (a bare CR or LF outside quotes
/// is an error, as is text after the last CRLF).
fn parse_export(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut in_quotes = false;
    let mut quoted = false; // the current field was quoted
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            '"' => return Err(format!("line {line}: a quote inside an unquoted field")),
            ',' => {
                record.push(std::mem::take(&mut field));
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                quoted = false;
                line += 1;
            }
            '\r' | '\n' => return Err(format!("line {line}: a line end that is not CRLF")),
            _ if quoted => return Err(format!("line {line}: text after a closing quote")),
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err("an unterminated quoted field".to_string());
    }
    if !field.is_empty() || !record.is_empty() {
        return Err(format!("line {line}: the last record does not end in CRLF"));
    }
    Ok(records)
}

/// Decodes an export: UTF-8 after its byte-order mark (required), or Shift_JIS (no mark).
fn decode_export(bytes: &[u8], shift_jis: bool) -> Result<String, String> {
    if shift_jis {
        if bytes.starts_with(b"\xef\xbb\xbf") {
            return Err("a Shift_JIS export starts with a UTF-8 byte-order mark".to_string());
        }
        let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
        if had_errors {
            return Err("the Shift_JIS export is not valid Shift_JIS".to_string());
        }
        return Ok(text.into_owned());
    }
    let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") else {
        return Err(format!(
            "the UTF-8 export does not start with a byte-order mark (starts {:?})",
            String::from_utf8_lossy(&bytes[..bytes.len().min(20)])
        ));
    };
    String::from_utf8(rest.to_vec()).map_err(|e| format!("the export is not UTF-8: {e}"))
}

fn cells_agree(column: &str, reference: &str, actual: &str) -> bool {
    if column != "revenue" || reference == actual {
        return reference == actual;
    }
    match (reference.parse::<f64>(), actual.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() <= 1e-6,
        _ => false,
    }
}

/// Runs `customers` on both with `options` and returns the disagreements, labelled. A Shift_JIS
/// export (`--encoding shift_jis` in `options`) must also decode to exactly the same text.
fn export_disagreements(label: &str, file: &Path, options: &[&str]) -> Vec<String> {
    let what = format!("{label} customers {options:?}");
    let shift_jis = options.windows(2).any(|w| w == ["--encoding", "shift_jis"]);
    let reference_bytes = reference_export(file, options);
    let reference_text = decode_export(&reference_bytes, shift_jis)
        .unwrap_or_else(|e| panic!("{what}: the reference's export: {e}"));
    let reference = parse_export(&reference_text)
        .unwrap_or_else(|e| panic!("{what}: the reference's export: {e}"));
    let actual_bytes = match rust_export(file, options) {
        Ok(bytes) => bytes,
        Err(e) => return vec![format!("{what}: {e}")],
    };
    let actual = match decode_export(&actual_bytes, shift_jis)
        .and_then(|text| parse_export(&text).map(|rows| (text, rows)))
    {
        Ok((text, rows)) => {
            // The reference writes the v2 columns; ltv-lens appends the model columns
            // (pinned by tests/cdnow.rs): each reference line must begin ltv-lens's line.
            let same_line = |a: &str, r: &str| a == r || a.starts_with(&format!("{r},"));
            let lines_agree = text.split("\r\n").count() == reference_text.split("\r\n").count()
                && text
                    .split("\r\n")
                    .zip(reference_text.split("\r\n"))
                    .all(|(a, r)| same_line(a, r));
            if shift_jis && !lines_agree {
                let line = text
                    .split("\r\n")
                    .zip(reference_text.split("\r\n"))
                    .enumerate()
                    .find(|(_, (a, r))| !same_line(a, r));
                let mut errors = vec![match line {
                    Some((i, (a, r))) => format!(
                        "{what}: decoded text differs first on line {}: ltv-lens {a:?}, reference {r:?}",
                        i + 1
                    ),
                    None => format!(
                        "{what}: decoded text differs in length: ltv-lens {} bytes, reference {}",
                        actual_bytes.len(),
                        reference_bytes.len()
                    ),
                }];
                errors.extend(rows_disagreements(&what, &reference, &rows));
                return errors;
            }
            rows
        }
        Err(e) => return vec![format!("{what}: ltv-lens's export: {e}")],
    };
    rows_disagreements(&what, &reference, &actual)
}

/// Header and rows, cell by cell; at most 10 differing rows are reported.
fn rows_disagreements(
    what: &str,
    reference: &[Vec<String>],
    actual: &[Vec<String>],
) -> Vec<String> {
    let mut errors = Vec::new();
    let (Some(ref_header), Some(header)) = (reference.first(), actual.first()) else {
        return vec![format!("{what}: no header row")];
    };
    assert_eq!(
        ref_header, &EXPORT_HEADER,
        "{what}: the reference's export header"
    );
    // ltv-lens appends the predicted-value columns, which the reference does not compute.
    if header.get(..ref_header.len()) != Some(ref_header.as_slice()) {
        return vec![format!(
            "{what}: header {header:?}, reference {ref_header:?}"
        )];
    }
    if reference.len() != actual.len() {
        errors.push(format!(
            "{what}: {} customer rows, reference has {}",
            actual.len() - 1,
            reference.len() - 1
        ));
    }
    let mut bad_rows = 0;
    for (i, (r, a)) in reference.iter().zip(actual).enumerate().skip(1) {
        if a.len() != header.len() {
            errors.push(format!(
                "{what}: row {i} has {} cells, reference {} (ltv-lens {a:?})",
                a.len(),
                header.len()
            ));
        } else {
            let diffs: Vec<String> = EXPORT_HEADER
                .iter()
                .zip(r.iter().zip(a))
                .filter(|(column, (rv, av))| !cells_agree(column, rv, av))
                .map(|(column, (rv, av))| format!("{column}: ltv-lens {av:?}, reference {rv:?}"))
                .collect();
            if diffs.is_empty() {
                continue;
            }
            errors.push(format!(
                "{what}: row {i} (reference customer_key {:?}): {}",
                r[0],
                diffs.join("; ")
            ));
        }
        bad_rows += 1;
        if bad_rows >= 10 {
            errors.push(format!("{what}: (further rows not compared)"));
            break;
        }
    }
    errors
}

/// The filters to export with, chosen from the reference's Report under `options`: none, the
/// largest segment, the largest of dormant / overdue / active (in that order of preference when
/// they tie), and the middle cohort.
fn export_filters(file: &Path, options: &[&str]) -> Vec<Vec<String>> {
    let report = reference_report(file, options);
    let mut filters = vec![Vec::new()];
    let segments = report["rfm"]["segments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let largest = segments
        .iter()
        .rev()
        .max_by_key(|s| s["customers"].as_u64().unwrap_or(0));
    if let Some(key) = largest.and_then(|s| s["key"].as_str()) {
        filters.push(vec!["--segment".to_string(), key.to_string()]);
    }
    let customers = report["kpis"]["customers"].as_u64().unwrap_or(0);
    let count = |kind: &str| report["lapse"][kind]["customers"].as_u64().unwrap_or(0);
    let (dormant, overdue) = (count("dormant"), count("overdue"));
    let active = customers.saturating_sub(dormant + overdue);
    let lapse = [
        ("dormant", dormant),
        ("overdue", overdue),
        ("active", active),
    ]
    .into_iter()
    .rev()
    .max_by_key(|&(_, n)| n)
    .map_or("dormant", |(k, _)| k);
    filters.push(vec!["--lapse".to_string(), lapse.to_string()]);
    let cohorts = report["cohorts"].as_array().cloned().unwrap_or_default();
    if let Some(month) = cohorts
        .get(cohorts.len() / 2)
        .and_then(|c| c["cohort"].as_str())
    {
        filters.push(vec!["--cohort".to_string(), month.to_string()]);
    }
    filters
}

/// The export of `file` under the analysis `options`, with no filter and each filter of
/// `export_filters`, in UTF-8; and with no filter in Shift_JIS when `shift_jis`. (`--f2-window`
/// does not change the export and `customers` does not take it.)
fn all_export_disagreements(
    label: &str,
    file: &Path,
    analysis_options: &[&str],
    shift_jis: bool,
) -> Vec<String> {
    let mut options: Vec<&str> = Vec::new();
    let mut rest = analysis_options.iter();
    while let Some(&option) = rest.next() {
        if option == "--f2-window" {
            rest.next();
        } else {
            options.push(option);
        }
    }
    let mut errors = Vec::new();
    for filter in export_filters(file, analysis_options) {
        let mut args: Vec<&str> = options.clone();
        args.extend(filter.iter().map(String::as_str));
        errors.extend(export_disagreements(label, file, &args));
    }
    if shift_jis {
        let mut args: Vec<&str> = options.clone();
        args.extend(["--encoding", "shift_jis"]);
        errors.extend(export_disagreements(label, file, &args));
    }
    errors
}

#[test]
fn customer_exports_of_text_meant_for_other_programs_agree_with_the_reference() {
    // Formulas after `;` and tabs, full-width formula characters, terminal escapes, emoji, 𠮷 and a
    // yen sign in keys, e-mails and names: neutralised, quoted and (in Shift_JIS) written as
    // references alike.
    let file = repository().join("tests/bad_files/list_cells_for_spreadsheets_and_terminals.csv");
    let errors = all_export_disagreements(
        "list_cells_for_spreadsheets_and_terminals",
        &file,
        &[],
        true,
    );
    assert_no_disagreements(&errors);
}

#[test]
fn customer_exports_of_every_valid_fixture_agree_with_the_reference() {
    let mut errors = Vec::new();
    for file in fixtures().iter().filter(|f| !is_error_fixture(f)) {
        let label = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        errors.extend(all_export_disagreements(&label, file, &[], true));
        if let Some(as_of) = reference_report(file, &[])["as_of"].as_str() {
            let earlier = shift_date(as_of, -20);
            let options = ["--as-of", &earlier, "--f-bands", OTHER_F_BANDS];
            errors.extend(all_export_disagreements(&label, file, &options, false));
        }
    }
    assert_no_disagreements(&errors);
}

#[test]
fn customer_exports_of_generated_shopify_exports_agree_with_the_reference() {
    let mut errors = Vec::new();
    for (customers, seed) in [(40, 3), (300, 1)] {
        let (file, label) = generated_sample(
            &format!("export-sample-{customers}-{seed}.csv"),
            false,
            customers,
            seed,
        );
        let as_of = reference_report(&file, &[])["as_of"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: the reference finds no counted order"))
            .to_string();
        let earlier = shift_date(&as_of, -200);
        errors.extend(all_export_disagreements(&label, &file, &[], true));
        errors.extend(all_export_disagreements(
            &label,
            &file,
            &["--as-of", &earlier, "--f-bands", OTHER_F_BANDS],
            false,
        ));
    }
    assert_no_disagreements(&errors);
}

#[test]
fn customer_exports_of_generated_generic_files_agree_with_the_reference() {
    let mut errors = Vec::new();
    // Fewer seeds than the Report comparison: each seed runs both programs once per list.
    for seed in 1..=24u64 {
        let file = write_generic_file("export-generic", seed);
        let label = format!("generated generic file {} (seed {seed})", file.display());
        errors.extend(all_export_disagreements(
            &label,
            &file,
            generic_options(seed),
            true,
        ));
    }
    assert_no_disagreements(&errors);
}
