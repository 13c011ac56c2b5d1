//! Hand-checked expectations for `ltv-lens analyze --json` on the files in tests/fixtures.
//!
//! Every number below was worked out by hand from README.md "Definitions" (the arithmetic is in the
//! comment next to it), not taken from the program's output. tests/fixtures/README.md says what each
//! fixture pins.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A file of the repository's `tests/fixtures/` (shared by the core's tests and these).
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn ltv_lens() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
}

fn run(args: &[&str]) -> Output {
    ltv_lens()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ltv-lens {args:?}: {e}"))
}

/// `ltv-lens analyze tests/fixtures/NAME --json EXTRA...`, which must succeed, parsed.
fn analyze(name: &str, extra: &[&str]) -> Value {
    let path = fixture(name);
    let path = path.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    let mut args = vec!["analyze", path, "--json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "ltv-lens {args:?} failed with {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout of ltv-lens {args:?} is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[track_caller]
fn at<'a>(report: &'a Value, pointer: &str) -> &'a Value {
    report
        .pointer(pointer)
        .unwrap_or_else(|| panic!("the report has no {pointer}: {report}"))
}

#[track_caller]
fn num(report: &Value, pointer: &str, expected: f64) {
    let value = at(report, pointer);
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("{pointer} is {value}, expected the number {expected}"));
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{pointer}: got {actual}, expected {expected}"
    );
}

#[track_caller]
fn int(report: &Value, pointer: &str, expected: i64) {
    let value = at(report, pointer);
    assert_eq!(
        value.as_i64(),
        Some(expected),
        "{pointer}: got {value}, expected {expected}"
    );
}

#[track_caller]
fn null(report: &Value, pointer: &str) {
    let value = at(report, pointer);
    assert!(value.is_null(), "{pointer}: got {value}, expected null");
}

#[track_caller]
fn text(report: &Value, pointer: &str, expected: &str) {
    let value = at(report, pointer);
    assert_eq!(
        value.as_str(),
        Some(expected),
        "{pointer}: got {value}, expected {expected:?}"
    );
}

#[track_caller]
fn array<'a>(report: &'a Value, pointer: &str) -> &'a Vec<Value> {
    let value = at(report, pointer);
    value
        .as_array()
        .unwrap_or_else(|| panic!("{pointer} is {value}, expected an array"))
}

/// `input.warnings` holds exactly these (row, column) pairs, each with a message.
#[track_caller]
fn assert_warnings(report: &Value, expected: &[(i64, &str)]) {
    let warnings = array(report, "/input/warnings");
    let got: Vec<(Option<i64>, Option<&str>)> = warnings
        .iter()
        .map(|w| (w["row"].as_i64(), w["column"].as_str()))
        .collect();
    let want: Vec<(Option<i64>, Option<&str>)> = expected
        .iter()
        .map(|&(row, column)| (Some(row), Some(column)))
        .collect();
    assert_eq!(got, want, "{warnings:?}");
    for w in warnings {
        assert!(w["message"].as_str().is_some_and(|m| !m.is_empty()), "{w}");
    }
}

/// The `f2_by_window` entry for window W (the order of the entries is not part of the contract).
#[track_caller]
fn f2_window(report: &Value, window: i64) -> &Value {
    array(report, "/f2_by_window")
        .iter()
        .find(|f| f["window_days"].as_i64() == Some(window))
        .unwrap_or_else(|| panic!("f2_by_window has no window_days {window}: {report}"))
}

#[track_caller]
fn month<'a>(report: &'a Value, month: &str) -> &'a Value {
    array(report, "/monthly")
        .iter()
        .find(|m| m["month"].as_str() == Some(month))
        .unwrap_or_else(|| panic!("monthly has no {month}: {report}"))
}

#[track_caller]
fn months(report: &Value) -> Vec<String> {
    array(report, "/monthly")
        .iter()
        .map(|m| m["month"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// Customers per histogram bin, as (from, customers) for the bins that are not empty.
#[track_caller]
fn histogram(report: &Value) -> Vec<(i64, i64)> {
    array(report, "/days_to_second_histogram")
        .iter()
        .filter(|b| b["customers"].as_i64() != Some(0))
        .map(|b| {
            (
                b["from"].as_i64().unwrap_or(-1),
                b["customers"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

/// Funnel as (customers, next_rate) per stage 1..5, next_rate None for null.
#[track_caller]
fn funnel(report: &Value) -> Vec<(i64, Option<f64>)> {
    let stages = array(report, "/funnel");
    for (i, s) in stages.iter().enumerate() {
        assert_eq!(s["stage"].as_i64(), Some(i as i64 + 1), "funnel: {report}");
    }
    stages
        .iter()
        .map(|s| {
            (
                s["customers"].as_i64().unwrap_or(-1),
                s["next_rate"].as_f64(),
            )
        })
        .collect()
}

#[track_caller]
fn assert_funnel(report: &Value, expected: &[(i64, Option<f64>)]) {
    let actual = funnel(report);
    assert_eq!(actual.len(), expected.len(), "funnel: {actual:?}");
    for (stage, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a.0, e.0, "funnel stage {} customers: {actual:?}", stage + 1);
        match (a.1, e.1) {
            (None, None) => {}
            (Some(x), Some(y)) if (x - y).abs() <= 1e-9 => {}
            _ => panic!(
                "funnel stage {} next_rate: got {:?}, expected {:?}",
                stage + 1,
                a.1,
                e.1
            ),
        }
    }
}

#[track_caller]
fn assert_month(report: &Value, name: &str, expected: [f64; 9]) {
    let m = month(report, name);
    let keys = [
        "orders",
        "revenue",
        "new_orders",
        "new_revenue",
        "returning_orders",
        "returning_revenue",
        "guest_orders",
        "guest_revenue",
        "new_customers",
    ];
    for (key, want) in keys.iter().zip(expected) {
        let got = m[*key]
            .as_f64()
            .unwrap_or_else(|| panic!("monthly {name}.{key} is {}", m[*key]));
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "monthly {name}.{key}: got {got}, expected {want}"
        );
    }
}

/// The error contract: exit status 1 and one line on stderr starting with `error:`.
#[track_caller]
fn assert_unusable(path: &Path) -> String {
    let path = path.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    let out = run(&["analyze", path, "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(1),
        "analyze {path} should exit 1; stderr: {stderr}"
    );
    let line = stderr.trim_end_matches(['\n', '\r']);
    assert!(
        !line.is_empty() && !line.contains('\n'),
        "stderr should be exactly one line, got {stderr:?}"
    );
    assert!(
        line.starts_with("error:"),
        "stderr should start with `error:`, got {line:?}"
    );
    line.to_lowercase()
}

#[track_caller]
fn assert_mentions_any(message: &str, words: &[&str]) {
    assert!(
        words.iter().any(|w| message.contains(w)),
        "the error {message:?} should say what was expected (one of {words:?})"
    );
}

// ------------------------------------------------------------------------------------------------
// Shopify exports
// ------------------------------------------------------------------------------------------------

#[test]
fn shopify_line_items_are_collapsed_into_one_order_per_name() {
    let r = analyze("shopify_line_items.csv", &[]);
    int(&r, "/schema_version", i64::from(ltv_lens::SCHEMA_VERSION));
    text(&r, "/input/format", "shopify");
    text(&r, "/input/encoding", "UTF-8");
    text(&r, "/currency", "USD");
    // 9 line-item rows: #1005 (1) + #1004 (2) + #1003 (3) + #1002 (1) + #1001 (2).
    int(&r, "/input/rows", 9);
    // 5 distinct Names: #1001..#1005.
    int(&r, "/input/orders_seen", 5);
    int(&r, "/input/excluded_orders", 0);
    int(&r, "/input/orders_without_customer", 0);
    int(&r, "/input/skipped_rows", 0);
    assert!(array(&r, "/input/warnings").is_empty());
    int(&r, "/kpis/orders", 5);
    // Revenue is `Total` from each order's first row, not the line items:
    // 8.25 + 15.00 + 55.50 + 19.50 + 37.40 = 135.65
    // (the line items would give 7.50 + 12.00 + 53.00 + 20.00 + 30.00 = 122.50).
    num(&r, "/kpis/revenue", 135.65);
    // aov = 135.65 / 5 = 27.13
    num(&r, "/kpis/aov", 27.13);
    // customers: alice, bob, carol = 3
    int(&r, "/kpis/customers", 3);
    // orders_per_customer = 5 / 3
    num(&r, "/kpis/orders_per_customer", 5.0 / 3.0);
    // alice (01-10, 02-15) and bob (01-20, 03-01) have 2 occasions, carol 1: 2 / 3
    num(&r, "/kpis/repeat_rate", 2.0 / 3.0);
    // as_of = latest counted order date, #1005 "2024-03-01 23:59:59 -0800" as written
    text(&r, "/as_of", "2024-03-01");
}

#[test]
fn shopify_days_to_second_and_monthly_follow_the_collapsed_orders() {
    let r = analyze("shopify_line_items.csv", &[]);
    // alice 2024-01-10 -> 2024-02-15 = 21 + 15 = 36 days;
    // bob 2024-01-20 -> 2024-03-01 = 11 (to Jan 31) + 29 (Feb 2024) + 1 = 41 days.
    int(&r, "/kpis/days_to_second/count", 2);
    // sorted [36, 41]: median pos 0.5 -> 36 + 0.5*5 = 38.5; p25 pos 0.25 -> 37.25; p75 pos 0.75 -> 39.75
    num(&r, "/kpis/days_to_second/median", 38.5);
    num(&r, "/kpis/days_to_second/p25", 37.25);
    num(&r, "/kpis/days_to_second/p75", 39.75);
    // both 36 and 41 fall into the bin 36-42
    assert_eq!(histogram(&r), vec![(36, 2)]);
    // funnel: >=1: 3, >=2: 2, >=3: 0 -> next 2/3, 0/2 = 0, then 0/0 = null
    assert_funnel(
        &r,
        &[
            (3, Some(2.0 / 3.0)),
            (2, Some(0.0)),
            (0, None),
            (0, None),
            (0, None),
        ],
    );
    assert_eq!(months(&r), ["2024-01", "2024-02", "2024-03"]);
    // [orders, revenue, new_orders, new_revenue, returning_orders, returning_revenue,
    //  guest_orders, guest_revenue, new_customers]
    // Jan: #1001 alice new 37.40, #1002 bob new 19.50 -> 2, 56.90
    assert_month(
        &r,
        "2024-01",
        [2.0, 56.9, 2.0, 56.9, 0.0, 0.0, 0.0, 0.0, 2.0],
    );
    // Feb: #1003 alice returning 55.50, #1004 carol new 15.00 -> 2, 70.50
    assert_month(
        &r,
        "2024-02",
        [2.0, 70.5, 1.0, 15.0, 1.0, 55.5, 0.0, 0.0, 1.0],
    );
    // Mar: #1005 bob returning 8.25
    assert_month(
        &r,
        "2024-03",
        [1.0, 8.25, 0.0, 0.0, 1.0, 8.25, 0.0, 0.0, 0.0],
    );
}

#[test]
fn shopify_f2_with_a_short_window_counts_eligible_and_converted_customers() {
    // as_of 2024-03-01, W = 40: cutoff = 2024-01-21. Eligible: alice (01-10), bob (01-20);
    // carol (02-20) is not. Converted: alice 36 <= 40 yes, bob 41 > 40 no. 1 / 2 = 0.5
    let r = analyze("shopify_line_items.csv", &["--f2-window", "40"]);
    int(&r, "/kpis/f2/window_days", 40);
    int(&r, "/kpis/f2/eligible", 2);
    int(&r, "/kpis/f2/converted", 1);
    num(&r, "/kpis/f2/rate", 0.5);
    // W = 30: cutoff 2024-01-31: alice, bob eligible; 36 > 30 and 41 > 30: 0 / 2 = 0
    let w30 = f2_window(&r, 30);
    assert_eq!(w30["eligible"].as_i64(), Some(2), "{w30}");
    assert_eq!(w30["converted"].as_i64(), Some(0), "{w30}");
    assert_eq!(w30["rate"].as_f64(), Some(0.0), "{w30}");
    // W = 60: cutoff 2024-01-01, before every first occasion: nobody eligible, rate null
    let w60 = f2_window(&r, 60);
    assert_eq!(w60["eligible"].as_i64(), Some(0), "{w60}");
    assert!(w60["rate"].is_null(), "{w60}");
}

#[test]
fn input_columns_name_the_header_used_for_each_role() {
    let r = analyze("shopify_line_items.csv", &[]);
    text(&r, "/input/columns/order_id", "Name");
    text(&r, "/input/columns/email", "Email");
    text(&r, "/input/columns/date", "Created at");
    text(&r, "/input/columns/total", "Total");
    text(&r, "/input/columns/line_price", "Lineitem price");
    text(&r, "/input/columns/quantity", "Lineitem quantity");
    text(&r, "/input/columns/status", "Financial Status");
    text(&r, "/input/columns/cancelled", "Cancelled at");
    text(&r, "/input/columns/refunded", "Refunded Amount");
    text(&r, "/input/columns/currency", "Currency");
    null(&r, "/input/columns/customer_id");
}

#[test]
fn refunded_voided_and_cancelled_orders_are_excluded() {
    let r = analyze("shopify_exclusions.csv", &[]);
    // The file starts with a byte-order mark; `Name` must still be recognised.
    text(&r, "/input/format", "shopify");
    text(&r, "/input/columns/order_id", "Name");
    // rows: #2001 1, #2002 2, #2003 1, #2004 2, #2005 2, #2006 1, #2007 1, #2009 1 = 11
    int(&r, "/input/rows", 11);
    int(&r, "/input/orders_seen", 8);
    // excluded: #2002 refunded, #2003 voided, #2004 `Cancelled at` set (status paid),
    // #2007 refunded = 4; #2005 partially_refunded and #2009 pending count.
    int(&r, "/input/excluded_orders", 4);
    int(&r, "/kpis/orders", 4);
    // customers with a counted order: dana (#2001, #2005), erin (#2006), gina (#2009);
    // frank has only excluded orders.
    int(&r, "/kpis/customers", 3);
    // dana 2024-04-01 and 2024-04-10: 2 occasions; erin's refunded #2002 does not count: 1 / 3
    num(&r, "/kpis/repeat_rate", 1.0 / 3.0);
    int(&r, "/kpis/days_to_second/count", 1);
    num(&r, "/kpis/days_to_second/median", 9.0);
}

#[test]
fn a_partial_refund_is_subtracted_from_the_total() {
    let r = analyze("shopify_exclusions.csv", &[]);
    // #2005: Total 80.00 - Refunded Amount 25.50 = 54.50
    // revenue = 100.00 (#2001) + 54.50 (#2005) + 20.00 (#2006) + 10.00 (#2009) = 184.50
    num(&r, "/kpis/revenue", 184.5);
    // aov = 184.50 / 4 = 46.125
    num(&r, "/kpis/aov", 46.125);
    // April: new #2001 dana 100, #2006 erin 20, #2009 gina 10 = 3, 130; returning #2005 54.50
    assert_month(
        &r,
        "2024-04",
        [4.0, 184.5, 3.0, 130.0, 1.0, 54.5, 0.0, 0.0, 3.0],
    );
}

#[test]
fn an_excluded_order_does_not_set_as_of_or_add_a_month() {
    let r = analyze("shopify_exclusions.csv", &[]);
    // #2007 (2024-05-30) is refunded; the latest counted order is #2006/#2009 on 2024-04-12.
    text(&r, "/as_of", "2024-04-12");
    assert_eq!(months(&r), ["2024-04"]);
}

// ------------------------------------------------------------------------------------------------
// Occasions, customers, guests
// ------------------------------------------------------------------------------------------------

#[test]
fn orders_of_one_customer_on_the_same_day_are_one_occasion() {
    let r = analyze("same_day_occasions.csv", &[]);
    // orders and revenue count orders: 7 orders, 10+15+20+30+5+12+8 = 100
    int(&r, "/kpis/orders", 7);
    num(&r, "/kpis/revenue", 100.0);
    int(&r, "/kpis/customers", 3);
    // occasions: hank {06-01 (2 orders), 06-11}, ivy {06-05 (2 orders)}, jack {06-03, 06-04}
    // repeat = hank, jack = 2 / 3 (ivy's two same-day orders are one occasion)
    num(&r, "/kpis/repeat_rate", 2.0 / 3.0);
    // days to second: hank 10, jack 1 -> sorted [1, 10]
    // median = 5.5; p25 = 1 + 0.25*9 = 3.25; p75 = 1 + 0.75*9 = 7.75
    int(&r, "/kpis/days_to_second/count", 2);
    num(&r, "/kpis/days_to_second/median", 5.5);
    num(&r, "/kpis/days_to_second/p25", 3.25);
    num(&r, "/kpis/days_to_second/p75", 7.75);
    assert_eq!(histogram(&r), vec![(1, 1), (8, 1)]);
    // funnel on occasions: >=1 3, >=2 2, >=3 0
    assert_funnel(
        &r,
        &[
            (3, Some(2.0 / 3.0)),
            (2, Some(0.0)),
            (0, None),
            (0, None),
            (0, None),
        ],
    );
    // every order on a first occasion is new: O1+O2 (25), O4+O5 (35), O6 (12) = 5 orders, 72;
    // returning O3 (20) + O7 (8) = 2 orders, 28
    assert_month(
        &r,
        "2024-06",
        [7.0, 100.0, 5.0, 72.0, 2.0, 28.0, 0.0, 0.0, 3.0],
    );
}

#[test]
fn guest_orders_count_in_orders_and_revenue_only() {
    let r = analyze("guests_and_email_folding.csv", &[]);
    // 7 orders, 25+30+5+40+10+60+15 = 185, of which orders 4 and 6 have no e-mail
    int(&r, "/kpis/orders", 7);
    num(&r, "/kpis/revenue", 185.0);
    int(&r, "/input/orders_without_customer", 2);
    // aov = 185 / 7 over all orders, guests included
    num(&r, "/kpis/aov", 185.0 / 7.0);
    // orders_per_customer = orders with a customer / customers = 5 / 2
    num(&r, "/kpis/orders_per_customer", 2.5);
    // Jul: new 1 (25) + 5 (10) = 35; returning 2 (30) + 3 (5) = 35; guest 4 (40)
    assert_month(
        &r,
        "2024-07",
        [5.0, 110.0, 2.0, 35.0, 2.0, 35.0, 1.0, 40.0, 2.0],
    );
    // Aug: returning 7 (15), guest 6 (60)
    assert_month(
        &r,
        "2024-08",
        [2.0, 75.0, 0.0, 0.0, 1.0, 15.0, 1.0, 60.0, 0.0],
    );
}

#[test]
fn email_case_and_surrounding_spaces_are_folded() {
    let r = analyze("guests_and_email_folding.csv", &[]);
    // "Kim@Example.COM", "  kim@example.com  ", "KIM@EXAMPLE.COM " are one customer,
    // "lee@example.com" and "Lee@example.com" another: 2 customers
    int(&r, "/kpis/customers", 2);
    // kim: 07-01, 07-15 (two orders) -> 2 occasions, 14 days; lee: 07-03, 08-01 -> 29 days
    num(&r, "/kpis/repeat_rate", 1.0);
    int(&r, "/kpis/days_to_second/count", 2);
    // sorted [14, 29]: median 21.5, p25 14 + 0.25*15 = 17.75, p75 14 + 0.75*15 = 25.25
    num(&r, "/kpis/days_to_second/median", 21.5);
    num(&r, "/kpis/days_to_second/p25", 17.75);
    num(&r, "/kpis/days_to_second/p75", 25.25);
    assert_eq!(histogram(&r), vec![(8, 1), (29, 1)]);
}

#[test]
fn as_of_defaults_to_the_latest_counted_order_including_guest_orders() {
    let r = analyze("guests_and_email_folding.csv", &[]);
    // the latest order is the guest order 6 on 2024-08-20 (the latest customer order is 08-01)
    text(&r, "/as_of", "2024-08-20");
    // W = 30: cutoff 2024-07-21; kim (07-01) and lee (07-03) eligible; 14 and 29 <= 30: 2 / 2
    let w30 = f2_window(&r, 30);
    assert_eq!(w30["eligible"].as_i64(), Some(2), "{w30}");
    assert_eq!(w30["converted"].as_i64(), Some(2), "{w30}");
    assert_eq!(w30["rate"].as_f64(), Some(1.0), "{w30}");
}

#[test]
fn an_explicit_as_of_is_reported_and_used_for_f2() {
    let r = analyze(
        "guests_and_email_folding.csv",
        &["--as-of", "2024-12-31", "--f2-window", "90"],
    );
    text(&r, "/as_of", "2024-12-31");
    // cutoff 2024-12-31 - 90 = 2024-10-02: kim and lee eligible, 14 and 29 <= 90: 2 / 2
    int(&r, "/kpis/f2/window_days", 90);
    int(&r, "/kpis/f2/eligible", 2);
    int(&r, "/kpis/f2/converted", 2);
    num(&r, "/kpis/f2/rate", 1.0);
    // W = 365: cutoff 2024-01-01 (2024 is a leap year): nobody eligible
    let w365 = f2_window(&r, 365);
    assert_eq!(w365["eligible"].as_i64(), Some(0), "{w365}");
    assert!(w365["rate"].is_null(), "{w365}");
    // monthly still runs from the first to the last order month
    assert_eq!(months(&r), ["2024-07", "2024-08"]);
}

// ------------------------------------------------------------------------------------------------
// F2 window edges
// ------------------------------------------------------------------------------------------------

#[test]
fn f2_eligibility_and_conversion_are_inclusive_at_the_window_edge() {
    let r = analyze(
        "f2_window_edges.csv",
        &["--f2-window", "30", "--as-of", "2024-12-31"],
    );
    text(&r, "/as_of", "2024-12-31");
    // cutoff = 2024-12-31 - 30 = 2024-12-01.
    // A first 12-01 (= cutoff): eligible, single occasion -> not converted
    // B first 12-02 (cutoff + 1): not eligible (its 3-day second occasion does not count)
    // C 10-01 -> 10-31 = 30 days: eligible, converted (exactly W)
    // D 10-01 -> 11-01 = 31 days: eligible, not converted (W + 1)
    // E 11-01 -> 11-30 = 29 days: eligible, converted
    // F 12-01 -> 12-31 = 30 days: eligible at the edge and converted at the edge
    // eligible = A, C, D, E, F = 5; converted = C, E, F = 3; rate 0.6
    int(&r, "/kpis/f2/window_days", 30);
    int(&r, "/kpis/f2/eligible", 5);
    int(&r, "/kpis/f2/converted", 3);
    num(&r, "/kpis/f2/rate", 0.6);
}

#[test]
fn f2_one_day_past_either_edge_changes_the_counts() {
    // W = 29: cutoff 2024-12-02; everyone is eligible (A, B, C, D, E, F = 6);
    // converted when the gap <= 29: B (3), E (29) = 2; C and F (30) and D (31) are one day over
    let r = analyze(
        "f2_window_edges.csv",
        &["--f2-window", "29", "--as-of", "2024-12-31"],
    );
    int(&r, "/kpis/f2/eligible", 6);
    int(&r, "/kpis/f2/converted", 2);
    num(&r, "/kpis/f2/rate", 2.0 / 6.0);
    // W = 31: cutoff 2024-11-30; eligible C, D (10-01), E (11-01) = 3; A, B, F (12-0x) are not;
    // converted C (30), D (31), E (29) = 3
    let r = analyze(
        "f2_window_edges.csv",
        &["--f2-window", "31", "--as-of", "2024-12-31"],
    );
    int(&r, "/kpis/f2/eligible", 3);
    int(&r, "/kpis/f2/converted", 3);
    num(&r, "/kpis/f2/rate", 1.0);
}

#[test]
fn f2_by_window_lists_the_standard_windows_and_the_chosen_one() {
    let r = analyze(
        "f2_window_edges.csv",
        &["--f2-window", "29", "--as-of", "2024-12-31"],
    );
    let mut windows: Vec<i64> = array(&r, "/f2_by_window")
        .iter()
        .map(|f| f["window_days"].as_i64().unwrap_or(-1))
        .collect();
    windows.sort_unstable();
    assert_eq!(windows, [29, 30, 60, 90, 180, 365]);
    // W = 30: see f2_eligibility_and_conversion_are_inclusive_at_the_window_edge: 5, 3
    let w = f2_window(&r, 30);
    assert_eq!(
        (w["eligible"].as_i64(), w["converted"].as_i64()),
        (Some(5), Some(3)),
        "{w}"
    );
    // W = 60: cutoff 2024-11-01: C, D (10-01), E (11-01); gaps 30, 31, 29 <= 60: 3 / 3
    let w = f2_window(&r, 60);
    assert_eq!(
        (w["eligible"].as_i64(), w["converted"].as_i64()),
        (Some(3), Some(3)),
        "{w}"
    );
    // W = 90: cutoff 2024-10-02: C, D; both converted: 2 / 2
    let w = f2_window(&r, 90);
    assert_eq!(
        (w["eligible"].as_i64(), w["converted"].as_i64()),
        (Some(2), Some(2)),
        "{w}"
    );
    // W = 180: cutoff 2024-07-04: nobody -> rate null
    let w = f2_window(&r, 180);
    assert_eq!(w["eligible"].as_i64(), Some(0), "{w}");
    assert!(w["rate"].is_null(), "{w}");
    // the chosen window is in the list too and equals kpis.f2
    assert_eq!(f2_window(&r, 29), at(&r, "/kpis/f2"));
    // with the default window only the five standard ones
    let r = analyze("f2_window_edges.csv", &[]);
    let mut windows: Vec<i64> = array(&r, "/f2_by_window")
        .iter()
        .map(|f| f["window_days"].as_i64().unwrap_or(-1))
        .collect();
    windows.sort_unstable();
    assert_eq!(windows, [30, 60, 90, 180, 365]);
}

#[test]
fn f2_rate_is_null_when_nobody_is_eligible() {
    // default W = 365, as_of = latest order 2024-12-31, cutoff 2024-01-01: no first occasion
    // that early
    let r = analyze("f2_window_edges.csv", &[]);
    text(&r, "/as_of", "2024-12-31");
    int(&r, "/kpis/f2/window_days", 365);
    int(&r, "/kpis/f2/eligible", 0);
    int(&r, "/kpis/f2/converted", 0);
    null(&r, "/kpis/f2/rate");
}

// ------------------------------------------------------------------------------------------------
// Days to second purchase, funnel
// ------------------------------------------------------------------------------------------------

#[test]
fn quantiles_interpolate_linearly_on_an_even_count() {
    let r = analyze("quantiles_even.csv", &[]);
    // gaps: P 3, Q 10, R 20, S 2024-01-01 -> 2024-07-19 = 200; T has one occasion
    int(&r, "/kpis/days_to_second/count", 4);
    // sorted [3, 10, 20, 200], n = 4
    // p25: pos 0.25*3 = 0.75 -> 3 + 0.75*(10-3) = 8.25
    // median: pos 1.5 -> 10 + 0.5*(20-10) = 15
    // p75: pos 2.25 -> 20 + 0.25*(200-20) = 65
    num(&r, "/kpis/days_to_second/p25", 8.25);
    num(&r, "/kpis/days_to_second/median", 15.0);
    num(&r, "/kpis/days_to_second/p75", 65.0);
    // 3 -> 1-7, 10 -> 8-14, 20 -> 15-21, 200 -> 183+
    assert_eq!(histogram(&r), vec![(1, 1), (8, 1), (15, 1), (183, 1)]);
    num(&r, "/kpis/repeat_rate", 4.0 / 5.0);
    // months Jan..Jul 2024 with the empty ones in between
    assert_eq!(
        months(&r),
        ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"]
    );
}

#[test]
fn quantiles_interpolate_linearly_on_an_odd_count() {
    let r = analyze("quantiles_odd.csv", &[]);
    // gaps from 2023-01-01: 1, 7, 8, 14, 15, 182 (07-02), 183 (07-03); n = 7
    int(&r, "/kpis/days_to_second/count", 7);
    // p25: pos 0.25*6 = 1.5 -> 7 + 0.5*(8-7) = 7.5
    // median: pos 3 -> 14
    // p75: pos 4.5 -> 15 + 0.5*(182-15) = 98.5
    num(&r, "/kpis/days_to_second/p25", 7.5);
    num(&r, "/kpis/days_to_second/median", 14.0);
    num(&r, "/kpis/days_to_second/p75", 98.5);
}

#[test]
fn days_to_second_histogram_has_weekly_bins_and_an_open_last_bin() {
    let r = analyze("quantiles_odd.csv", &[]);
    let bins = array(&r, "/days_to_second_histogram");
    // 1-7, 8-14, ..., 176-182 (26 bins), then 183+
    assert_eq!(bins.len(), 27, "{bins:?}");
    for (i, bin) in bins.iter().take(26).enumerate() {
        let from = 7 * i as i64 + 1;
        assert_eq!(bin["from"].as_i64(), Some(from), "bin {i}: {bin}");
        assert_eq!(bin["to"].as_i64(), Some(from + 6), "bin {i}: {bin}");
    }
    assert_eq!(bins[26]["from"].as_i64(), Some(183), "{}", bins[26]);
    assert!(bins[26]["to"].is_null(), "{}", bins[26]);
    // gaps 1, 7 -> 1-7 (2); 8, 14 -> 8-14 (2); 15 -> 15-21; 182 -> 176-182; 183 -> 183+
    assert_eq!(
        histogram(&r),
        vec![(1, 2), (8, 2), (15, 1), (176, 1), (183, 1)]
    );
}

#[test]
fn funnel_counts_customers_with_at_least_n_occasions() {
    let r = analyze("funnel.csv", &[]);
    // occasions: a 1, b 2, c 3, d 5 (6 orders, two on 09-01), e 6, f 1, g 4
    // >=1: 7; >=2: b c d e g = 5; >=3: c d e g = 4; >=4: d e g = 3; >=5: d e = 2
    // next_rate: 5/7, 4/5, 3/4, 2/3, null for stage 5
    assert_funnel(
        &r,
        &[
            (7, Some(5.0 / 7.0)),
            (5, Some(0.8)),
            (4, Some(0.75)),
            (3, Some(2.0 / 3.0)),
            (2, None),
        ],
    );
    // orders count orders, not occasions: 1+2+3+6+6+1+4 = 23
    int(&r, "/kpis/orders", 23);
    num(&r, "/kpis/repeat_rate", 5.0 / 7.0);
    // new orders: the 7 first occasions hold 8 orders (d has two on 09-01): 8 new, 15 returning
    assert_month(
        &r,
        "2024-09",
        [23.0, 230.0, 8.0, 80.0, 15.0, 150.0, 0.0, 0.0, 7.0],
    );
}

// ------------------------------------------------------------------------------------------------
// Timing: days between consecutive occasions
// ------------------------------------------------------------------------------------------------

/// `timing.steps[i].counts` of a Report.
fn timing_counts(report: &Value, step: usize) -> Vec<i64> {
    array(report, &format!("/timing/steps/{step}/counts"))
        .iter()
        .map(|v| v.as_i64().unwrap_or(-1))
        .collect()
}

#[test]
fn timing_buckets_each_step_between_consecutive_occasions() {
    let r = analyze("timing_steps.csv", &[]);
    let buckets: Vec<&str> = array(&r, "/timing/buckets")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        buckets,
        ["1-10", "11-30", "31-60", "61-90", "91-180", "181-360", "361+"]
    );
    // occasions (T1 and T2 are one occasion on 2024-01-01):
    //   ann 01-01, 01-11 (+10), 02-10 (+30), 05-10 (+90: 29 + 31 + 30), 11-06 (+180)
    //   bob 01-01, 01-12 (+11), 01-13 (+1)
    //   cat 2023-01-01, 2024-01-01 (+365)
    //   dan one occasion
    //   eve 02-01, 03-02 (+30: February 2024 has 29 days), 05-01 (+60: 31 + 30 − 1)
    assert_eq!(array(&r, "/timing/steps").len(), 4);
    for (i, (from, customers)) in [(1, 4), (2, 3), (3, 1), (4, 1)].into_iter().enumerate() {
        int(&r, &format!("/timing/steps/{i}/from"), from);
        int(&r, &format!("/timing/steps/{i}/to"), from + 1);
        int(&r, &format!("/timing/steps/{i}/customers"), customers);
    }
    // 1 → 2: [10, 11, 30, 365]; 10 is the last day of 1-10, 11 the first of 11-30, 30 its last
    assert_eq!(timing_counts(&r, 0), [1, 2, 0, 0, 0, 0, 1]);
    // p25: pos 0.75 → 10 + 0.75 × 1 = 10.75; median: pos 1.5 → 11 + 0.5 × 19 = 20.5;
    // p75: pos 2.25 → 30 + 0.25 × 335 = 113.75
    num(&r, "/timing/steps/0/p25", 10.75);
    num(&r, "/timing/steps/0/median", 20.5);
    num(&r, "/timing/steps/0/p75", 113.75);
    // the follow-up day is that p25, the same as kpis.days_to_second.p25
    num(&r, "/timing/follow_up_day", 10.75);
    num(&r, "/kpis/days_to_second/p25", 10.75);
    // 2 → 3: [1, 30, 60]; p25 pos 0.5 → 15.5; median 30; p75 pos 1.5 → 45
    assert_eq!(timing_counts(&r, 1), [1, 1, 1, 0, 0, 0, 0]);
    num(&r, "/timing/steps/1/p25", 15.5);
    num(&r, "/timing/steps/1/median", 30.0);
    num(&r, "/timing/steps/1/p75", 45.0);
    // 3 → 4: [90], the last day of 61-90; 4 → 5: [180], the last day of 91-180
    assert_eq!(timing_counts(&r, 2), [0, 0, 0, 1, 0, 0, 0]);
    num(&r, "/timing/steps/2/median", 90.0);
    assert_eq!(timing_counts(&r, 3), [0, 0, 0, 0, 1, 0, 0]);
    num(&r, "/timing/steps/3/p25", 180.0);
}

#[test]
fn timing_quantiles_are_null_when_no_customer_reached_the_step() {
    // same_day_occasions.csv: hank 06-01, 06-11 (+10); jack 06-03, 06-04 (+1); ivy one occasion
    let r = analyze("same_day_occasions.csv", &[]);
    int(&r, "/timing/steps/0/customers", 2);
    assert_eq!(timing_counts(&r, 0), [2, 0, 0, 0, 0, 0, 0]);
    num(&r, "/timing/follow_up_day", 1.0 + 0.25 * 9.0);
    int(&r, "/timing/steps/1/customers", 0);
    assert_eq!(timing_counts(&r, 1), [0; 7]);
    null(&r, "/timing/steps/1/median");
    null(&r, "/timing/steps/1/p25");
    null(&r, "/timing/steps/1/p75");
}

// ------------------------------------------------------------------------------------------------
// Drivers: F2 by what the first purchase was (drivers_first_purchase.csv, --as-of 2024-12-31
// --f2-window 30, so eligible = first occasion on or before 2024-12-01)
//
// first occasion (all orders on the first day)          value  second occasion        converted
// ann 01-10: A1 Tea, Cup, Pot; no discount; Instagram     30    01-20 (+10)            yes
// bob 02-01: B2 15:00 "Cup " instagram, B1 09:00 Tea       30    04-01 (+60)            no
//            WELCOME google URL → discount; channel of B1
// cat 03-05: C1 Tea, discount amount 5, google.com         10    03-20 (+15)            yes
// dan 04-01: D1 Cup, discount amount 0, " INSTAGRAM "      30    none                   no
// eve 05-01: E1 Pot, discount amount 0.00, no channel      50    05-31 (+30, the edge)  yes
// fay 12-15: not eligible (after 12-01)
// ------------------------------------------------------------------------------------------------

/// `(key, eligible, converted)` of each group of a drivers list, in order.
fn driver_groups(report: &Value, list: &str) -> Vec<(String, i64, i64)> {
    array(report, &format!("/drivers/{list}"))
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap_or("?").to_string(),
                g["eligible"].as_i64().unwrap_or(-1),
                g["converted"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn groups(expected: &[(&str, i64, i64)]) -> Vec<(String, i64, i64)> {
    expected
        .iter()
        .map(|&(k, e, c)| (k.to_string(), e, c))
        .collect()
}

#[test]
fn drivers_split_f2_by_the_first_occasion() {
    let r = analyze(
        "drivers_first_purchase.csv",
        &["--as-of", "2024-12-31", "--f2-window", "30"],
    );
    // overall = kpis.f2: 5 eligible, 3 converted (ann, cat, eve)
    int(&r, "/drivers/window_days", 30);
    int(&r, "/drivers/eligible", 5);
    int(&r, "/drivers/converted", 3);
    num(&r, "/drivers/rate", 0.6);
    int(&r, "/kpis/f2/eligible", 5);
    int(&r, "/drivers/min_group", 30);
    // products of the first occasion ("Cup " trimmed; ann's three products each count; ann's Kettle is
    // on her second occasion): Tea ann, bob, cat (2 converted); Cup ann, bob, dan (1); Pot ann, eve (2).
    // By eligible, then key.
    assert_eq!(
        driver_groups(&r, "by_first_product"),
        groups(&[("Cup", 3, 1), ("Tea", 3, 2), ("Pot", 2, 2)])
    );
    // discount: bob (a code on one of his two first-day orders) and cat (amount 5.00); amounts 0 and
    // 0.00 are no discount
    assert_eq!(
        driver_groups(&r, "by_first_discount"),
        groups(&[("without_discount", 3, 2), ("with_discount", 2, 1)])
    );
    // channel of the earliest first-day order: bob's B1 at 09:00 (listed after B2 at 15:00) gives
    // google.com, as cat's "google.com"; "Instagram" and " INSTAGRAM " are one channel; eve has none
    assert_eq!(
        driver_groups(&r, "by_first_channel"),
        groups(&[("google.com", 2, 1), ("instagram", 2, 1)])
    );
    // value bands over the eligible first-occasion values [10, 30, 30, 30, 50] (bob 20 + 10):
    // positions 0.8, 1.6, 2.4, 3.2 → cut points 26, 30, 30, 34 (tied); a value on a cut point takes
    // the lower band: 10 → 1; 30 → 2 (only 26 is below it); 50 → 5
    let cuts: Vec<f64> = array(&r, "/drivers/first_value_cut_points")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(cuts, [26.0, 30.0, 30.0, 34.0]);
    assert_eq!(
        driver_groups(&r, "by_first_value"),
        groups(&[
            ("2", 3, 1),
            ("1", 1, 1),
            ("5", 1, 1),
            ("3", 0, 0),
            ("4", 0, 0)
        ])
    );
    // Wilson 95 %, z = 1.959964: for k of n, centre (p + z²/2n) / (1 + z²/n),
    // half-width z·sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n).
    // Tea 2 of 3: p = 0.6667, z²/n = 1.2805, centre 0.5731, half 0.3654 → 0.2077 … 0.9385
    num(&r, "/drivers/by_first_product/1/rate", 2.0 / 3.0);
    assert!(
        (at(&r, "/drivers/by_first_product/1/low")
            .as_f64()
            .unwrap_or(0.0)
            - 0.2077)
            .abs()
            < 1e-4
    );
    assert!(
        (at(&r, "/drivers/by_first_product/1/high")
            .as_f64()
            .unwrap_or(0.0)
            - 0.9385)
            .abs()
            < 1e-4
    );
    assert_eq!(
        at(&r, "/drivers/by_first_product/1/small"),
        &Value::Bool(true)
    );
    // an empty band: no rate and no interval
    null(&r, "/drivers/by_first_value/3/rate");
    null(&r, "/drivers/by_first_value/3/low");
    null(&r, "/drivers/by_first_value/3/high");
}

#[test]
fn drivers_lists_are_null_without_their_column() {
    // same_day_occasions.csv has no product, discount or channel column
    let r = analyze("same_day_occasions.csv", &[]);
    null(&r, "/drivers/by_first_product");
    null(&r, "/drivers/by_first_discount");
    null(&r, "/drivers/by_first_channel");
    assert_eq!(array(&r, "/drivers/by_first_value").len(), 5);
    // as_of 2024-06-11, W = 365: nobody is eligible, so no cut points and five empty bands
    int(&r, "/drivers/eligible", 0);
    assert!(array(&r, "/drivers/first_value_cut_points").is_empty());
    null(&r, "/drivers/rate");
}

// ------------------------------------------------------------------------------------------------
// Generic files
// ------------------------------------------------------------------------------------------------

#[test]
fn a_generic_customer_id_column_wins_over_the_email() {
    let r = analyze("generic_customer_id.csv", &[]);
    text(&r, "/input/format", "generic");
    null(&r, "/currency");
    // headers `ORDER_ID`, `customer-id`, `E-Mail`, `Amount` match case-, '_'- and '-'-insensitively
    text(&r, "/input/columns/order_id", "ORDER_ID");
    text(&r, "/input/columns/customer_id", "customer-id");
    text(&r, "/input/columns/email", "E-Mail");
    text(&r, "/input/columns/total", "Amount");
    // customers by id: C-1 (5001, 5003), C-2, C-3 = 3 (by e-mail it would be 2 plus a guest)
    int(&r, "/kpis/customers", 3);
    int(&r, "/input/orders_without_customer", 0);
    // "1,200" + 800 + 500 + 300 = 2800
    num(&r, "/kpis/revenue", 2800.0);
    // C-1: 02-01 -> 02-10 = 9 days
    int(&r, "/kpis/days_to_second/count", 1);
    num(&r, "/kpis/days_to_second/median", 9.0);
    num(&r, "/kpis/repeat_rate", 1.0 / 3.0);
    num(&r, "/kpis/orders_per_customer", 4.0 / 3.0);
}

#[test]
fn a_generic_file_without_an_order_id_treats_each_row_as_an_order() {
    let r = analyze("generic_no_order_id.csv", &[]);
    null(&r, "/input/columns/order_id");
    int(&r, "/input/rows", 7);
    // rows 1 and 2 are identical (mia, 2024-03-05, $29.33) and still two orders
    int(&r, "/input/orders_seen", 7);
    int(&r, "/kpis/orders", 7);
    int(&r, "/input/skipped_rows", 0);
    // 29.33 + 29.33 + 1000.50 + 12.3456 + 10 + (-5.00) + 20 = 1096.5056
    num(&r, "/kpis/revenue", 1096.5056);
    int(&r, "/kpis/customers", 3);
}

#[test]
fn every_documented_date_and_amount_format_is_read() {
    let r = analyze("generic_no_order_id.csv", &[]);
    // mia: 2024/3/5, 20240305 (same day), 2024.03.20 -> 15 days
    // ned: RFC 2822 "Tue, 5 Mar 2024 ...", 2024年3月25日 -> 20 days
    // oli: 2024-03-05T23:30:00-05:00 and 2024-03-06 10:00:00 +0000 -> 1 day as written
    //      (converted to UTC both would be 2024-03-06, one occasion)
    int(&r, "/kpis/days_to_second/count", 3);
    num(&r, "/kpis/repeat_rate", 1.0);
    // sorted [1, 15, 20]: p25 pos 0.5 -> 8; median 15; p75 pos 1.5 -> 17.5
    num(&r, "/kpis/days_to_second/p25", 8.0);
    num(&r, "/kpis/days_to_second/median", 15.0);
    num(&r, "/kpis/days_to_second/p75", 17.5);
    text(&r, "/as_of", "2024-03-25");
    // new: mia 29.33 + 29.33, ned 10, oli -5.00 = 4 orders, 63.66;
    // returning: 1000.50 + 12.3456 + 20 = 3 orders, 1032.8456
    assert_month(
        &r,
        "2024-03",
        [7.0, 1096.5056, 4.0, 63.66, 3.0, 1032.8456, 0.0, 0.0, 3.0],
    );
}

#[test]
fn without_a_total_column_revenue_is_line_price_times_quantity() {
    let r = analyze("generic_line_items.csv", &[]);
    null(&r, "/input/columns/total");
    text(&r, "/input/columns/line_price", "Unit Price");
    text(&r, "/input/columns/quantity", "Qty");
    text(&r, "/input/columns/customer_id", "Member ID");
    // 8 rows, orders L1..L6
    int(&r, "/input/rows", 8);
    int(&r, "/input/orders_seen", 6);
    // statuses `Cancelled` (L2), `キャンセル` (L3), `返品` (L5) exclude; shipped/completed count
    int(&r, "/input/excluded_orders", 3);
    int(&r, "/kpis/orders", 3);
    // L1 = 12.50*2 + 3.00*1 = 28.00; L4 = 9.99*3 + 0.01*1 = 29.98; L6 = 20.00*1
    // revenue = 77.98
    num(&r, "/kpis/revenue", 77.98);
    // m1 (L1), m2 (L4), m3 (L6; its L5 is excluded): 3 customers, one occasion each
    int(&r, "/kpis/customers", 3);
    num(&r, "/kpis/repeat_rate", 0.0);
    int(&r, "/kpis/days_to_second/count", 0);
    null(&r, "/kpis/days_to_second/median");
    null(&r, "/kpis/days_to_second/p25");
    null(&r, "/kpis/days_to_second/p75");
    // later line-item rows have an empty date: not a problem
    int(&r, "/input/skipped_rows", 0);
    text(&r, "/as_of", "2024-10-08");
}

#[test]
fn an_order_without_a_total_value_falls_back_to_its_line_items() {
    let r = analyze("generic_total_or_lines.csv", &[]);
    // T1 has Total 50.00 (its lines would give 40.00): 50.00
    // T2 has no Total: 15.00*2 + 1.50*2 = 33.00
    // T3 Total 7.00, no lines
    // revenue = 90.00
    num(&r, "/kpis/revenue", 90.0);
    int(&r, "/kpis/orders", 3);
    int(&r, "/input/rows", 5);
    // Nov: new T1 (ann) 50 + T2 (ben) 33 = 83; returning T3 (ann, 11-09) 7
    assert_month(
        &r,
        "2024-11",
        [3.0, 90.0, 2.0, 83.0, 1.0, 7.0, 0.0, 0.0, 2.0],
    );
}

#[test]
fn title_rows_quotes_crlf_and_a_bom_are_read() {
    let r = analyze("bom_crlf_title_rows.csv", &[]);
    text(&r, "/input/format", "generic");
    text(&r, "/currency", "JPY");
    text(&r, "/input/columns/order_id", "Order No");
    text(&r, "/input/columns/email", "Customer Email");
    // two title rows and a blank line are above the header: 5 data records A-1..A-5,
    // though span several lines (quoted CRLFs)
    int(&r, "/input/rows", 5);
    int(&r, "/input/orders_seen", 5);
    // A-3 has 2024/09/31 (September has 30 days): skipped; it starts on line 8
    // (1 title, 2 "Exported at", 3 blank, 4 header, 5-6 A-1, 7 A-2, 8-10 A-3)
    int(&r, "/input/skipped_rows", 1);
    assert_warnings(&r, &[(8, "Order Date")]);
    // counted: A-1 ¥1,200, A-2 ¥800, A-4 ¥2,000, A-5 ¥300 (guest) = 4300
    int(&r, "/kpis/orders", 4);
    num(&r, "/kpis/revenue", 4300.0);
    int(&r, "/input/orders_without_customer", 1);
    // rin (A-1 09-01, A-4 09-15) and sam: 2 customers; opc = 3 / 2
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/orders_per_customer", 1.5);
    num(&r, "/kpis/repeat_rate", 0.5);
    num(&r, "/kpis/days_to_second/median", 14.0);
    // the guest order A-5 is the latest
    text(&r, "/as_of", "2024-09-20");
    // new A-1 1200 + A-2 800; returning A-4 2000; guest A-5 300
    assert_month(
        &r,
        "2024-09",
        [4.0, 4300.0, 2.0, 2000.0, 1.0, 2000.0, 1.0, 300.0, 2.0],
    );
}

#[test]
fn an_unreadable_date_or_amount_skips_the_row_and_says_where() {
    let r = analyze("unreadable_date.csv", &[]);
    // line 1 header, 2 order 1, 3 blank (not a row), 4 order 2 "2024-13-45",
    // 5 order 3 "abc", 6 order 4, 7 order 5
    int(&r, "/input/rows", 5);
    int(&r, "/input/skipped_rows", 2);
    assert_warnings(&r, &[(4, "Order Date"), (5, "Total")]);
    // "distinct orders among [the rows read]": the two skipped rows are orders 2 and 3
    int(&r, "/input/orders_seen", 5);
    // counted: 1 (10), 4 (30), 5 (15)
    int(&r, "/kpis/orders", 3);
    num(&r, "/kpis/revenue", 55.0);
    // pat 05-01, 05-08 (7 days); quinn 05-09 (order 3 skipped)
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/repeat_rate", 0.5);
    num(&r, "/kpis/days_to_second/median", 7.0);
    text(&r, "/as_of", "2024-05-09");
}

#[test]
fn warnings_list_the_first_twenty_problems_and_skipped_rows_counts_all() {
    let r = analyze("many_bad_rows.csv", &[]);
    // 25 rows dated 2024-02-30 (lines 2..26) and one good row (line 27)
    int(&r, "/input/rows", 26);
    int(&r, "/input/skipped_rows", 25);
    let first_twenty: Vec<(i64, &str)> = (2..22).map(|line| (line, "Order Date")).collect();
    assert_warnings(&r, &first_twenty);
    int(&r, "/kpis/orders", 1);
    num(&r, "/kpis/revenue", 10.0);
}

#[test]
fn monthly_splits_new_returning_and_guest_orders_and_keeps_empty_months() {
    let r = analyze("monthly_split.csv", &[]);
    assert_eq!(months(&r), ["2024-01", "2024-02", "2024-03", "2024-04"]);
    // Jan: M1 uma new 100, M2 guest 50, M3 uma returning 40 (same month, later occasion)
    assert_month(
        &r,
        "2024-01",
        [3.0, 190.0, 1.0, 100.0, 1.0, 40.0, 1.0, 50.0, 1.0],
    );
    // Feb: no orders
    assert_month(&r, "2024-02", [0.0; 9]);
    // Mar: M4 + M6 vic new (same first day) 80, M5 uma returning 30, M7 guest 20
    assert_month(
        &r,
        "2024-03",
        [4.0, 130.0, 2.0, 80.0, 1.0, 30.0, 1.0, 20.0, 1.0],
    );
    // Apr: M8 wes new 25
    assert_month(
        &r,
        "2024-04",
        [1.0, 25.0, 1.0, 25.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    );
    // totals: 8 orders, 345, guests 2; orders_per_customer = 6 / 3
    int(&r, "/kpis/orders", 8);
    num(&r, "/kpis/revenue", 345.0);
    int(&r, "/input/orders_without_customer", 2);
    num(&r, "/kpis/orders_per_customer", 2.0);
}

#[test]
fn a_file_whose_orders_are_all_excluded_reports_nulls_not_errors() {
    let r = analyze("all_excluded.csv", &[]);
    // refunded, VOIDED, canceled (any case)
    int(&r, "/input/rows", 3);
    int(&r, "/input/orders_seen", 3);
    int(&r, "/input/excluded_orders", 3);
    null(&r, "/as_of");
    int(&r, "/kpis/customers", 0);
    int(&r, "/kpis/orders", 0);
    num(&r, "/kpis/revenue", 0.0);
    null(&r, "/kpis/aov");
    null(&r, "/kpis/orders_per_customer");
    null(&r, "/kpis/repeat_rate");
    int(&r, "/kpis/f2/eligible", 0);
    null(&r, "/kpis/f2/rate");
    int(&r, "/kpis/days_to_second/count", 0);
    null(&r, "/kpis/days_to_second/median");
    assert_funnel(&r, &[(0, None), (0, None), (0, None), (0, None), (0, None)]);
    assert!(array(&r, "/monthly").is_empty());
}

#[test]
fn outlier_dates_are_left_out_with_located_warnings_unless_kept() {
    let r = analyze("outlier_dates.csv", &[]);
    // Orders 1-6 and 8 (2024-01-10 .. 2024-06-01) are the history; order 7 (line 8, 1900-01-01) is
    // more than two years from it and alone; order 9 (line 10, 2124-05-01) is after today and isolated.
    int(&r, "/input/rows", 9);
    int(&r, "/input/outlier_orders", 2);
    assert_warnings(&r, &[(8, "order date"), (10, "order date")]);
    text(&r, "/as_of", "2024-06-01");
    int(&r, "/kpis/orders", 7);
    num(&r, "/kpis/revenue", 420.0); // 100 + 50 + 80 + 40 + 60 + 70 + 20
    int(&r, "/kpis/customers", 4); // C1, C2, C3, g@x.jp
    assert_eq!(months(&r).first().map(String::as_str), Some("2024-01"));
    // Kept: every order counts and the analysis runs to 2124.
    let kept = analyze("outlier_dates.csv", &["--keep-outlier-dates"]);
    int(&kept, "/input/outlier_orders", 0);
    assert!(array(&kept, "/input/warnings").is_empty());
    text(&kept, "/as_of", "2124-05-01");
    int(&kept, "/kpis/orders", 9);
    num(&kept, "/kpis/revenue", 540.0); // + 30 + 90
}

#[test]
fn identity_keys_are_normalised_and_a_customer_id_is_never_an_email() {
    let r = analyze("identity_normalisation.csv", &[]);
    // C001 three ways (orders 1-3), abc@example.com four ways (4-6), strasse@x.de (7, 8), the customer
    // id b@x.com (9) and the e-mail b@x.com (10): five customers; C001, abc@ and strasse@ repeat.
    int(&r, "/kpis/customers", 5);
    num(&r, "/kpis/repeat_rate", 0.6);
    let path = fixture("identity_normalisation.csv");
    let out = run(&["customers", path.to_str().unwrap()]);
    assert!(out.status.success());
    let list = String::from_utf8_lossy(&out.stdout);
    let keys: Vec<&str> = list
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "C001",
            "abc@example.com",
            "strasse@x.de",
            "email:b@x.com",
            "b@x.com"
        ]
    );
}

#[test]
fn a_shift_jis_file_with_japanese_headers_is_read() {
    let r = analyze("generic_shift_jis.csv", &[]);
    text(&r, "/input/encoding", "Shift_JIS");
    text(&r, "/input/format", "generic");
    text(&r, "/input/columns/order_id", "注文番号");
    text(&r, "/input/columns/customer_id", "会員ID");
    text(&r, "/input/columns/email", "メールアドレス");
    text(&r, "/input/columns/date", "注文日時");
    text(&r, "/input/columns/total", "合計金額");
    text(&r, "/input/columns/status", "ステータス");
    int(&r, "/input/rows", 6);
    int(&r, "/input/orders_seen", 6);
    // J-4 has status キャンセル
    int(&r, "/input/excluded_orders", 1);
    // J-5 "2024/3/40" on line 6 (header line 1, J-1 line 2, ... J-5 line 6)
    int(&r, "/input/skipped_rows", 1);
    assert_warnings(&r, &[(6, "注文日時")]);
    // counted: J-1 "1,200", J-2 800, J-3 "2,400", J-6 900 = 5300
    int(&r, "/kpis/orders", 4);
    num(&r, "/kpis/revenue", 5300.0);
    // M001, M002 (M003 has only the cancelled J-4)
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/repeat_rate", 1.0);
    // M001 03-05 -> 03-20 = 15; M002 03-06 -> 04-06 = 25 + 6 = 31 (J-5 skipped)
    // sorted [15, 31]: median 23, p25 15 + 0.25*16 = 19, p75 15 + 0.75*16 = 27
    num(&r, "/kpis/days_to_second/median", 23.0);
    num(&r, "/kpis/days_to_second/p25", 19.0);
    num(&r, "/kpis/days_to_second/p75", 27.0);
    text(&r, "/as_of", "2024-04-06");
    null(&r, "/currency");
    // Mar: J-1 new 1200, J-2 new 800, J-3 returning 2400; Apr: J-6 returning 900
    assert_month(
        &r,
        "2024-03",
        [3.0, 4400.0, 2.0, 2000.0, 1.0, 2400.0, 0.0, 0.0, 2.0],
    );
    assert_month(
        &r,
        "2024-04",
        [1.0, 900.0, 0.0, 0.0, 1.0, 900.0, 0.0, 0.0, 0.0],
    );
}

#[test]
fn line_items_of_one_order_need_not_be_adjacent() {
    let r = analyze("order_rows_interleaved.csv", &[]);
    // N1 on lines 2 and 4 with N2 between, N3 on lines 5 and 6: 3 orders from 5 rows
    int(&r, "/input/rows", 5);
    int(&r, "/input/orders_seen", 3);
    int(&r, "/input/skipped_rows", 0);
    int(&r, "/kpis/orders", 3);
    // N1 Total 30.00; N2 Total 12.00; N3 no Total: 6.00*2 + 4.00*1 = 16.00 -> 58.00
    num(&r, "/kpis/revenue", 58.0);
    // nia (N1 05-01, N3 05-10: 9 days), oz
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/repeat_rate", 0.5);
    num(&r, "/kpis/days_to_second/median", 9.0);
    // new: N1 30 + N2 12; returning N3 16
    assert_month(
        &r,
        "2024-05",
        [3.0, 58.0, 2.0, 42.0, 1.0, 16.0, 0.0, 0.0, 2.0],
    );
}

#[test]
fn order_level_fields_come_from_the_first_row_where_they_are_filled() {
    let r = analyze("order_fields_first_non_empty.csv", &[]);
    // K1 row 1: no e-mail, date 2024-06-01, no Total; row 2: kai, date 2024-06-20, Total 30.00.
    // E-mail: first non-empty is row 2's -> K1 belongs to kai, no guest order
    int(&r, "/input/orders_without_customer", 0);
    int(&r, "/kpis/customers", 1);
    // Total: first non-empty is row 2's 30.00 (the lines would give 10.00 + 5.00*2 = 20.00);
    // revenue = 30.00 + K2 15.00 = 45.00
    num(&r, "/kpis/revenue", 45.0);
    // Date: row 1's 2024-06-01 (row 2's 06-20 is ignored): kai 06-01 -> K2 06-08 = 7 days,
    // as_of = 2024-06-08
    num(&r, "/kpis/days_to_second/median", 7.0);
    text(&r, "/as_of", "2024-06-08");
    assert_month(
        &r,
        "2024-06",
        [2.0, 45.0, 1.0, 30.0, 1.0, 15.0, 0.0, 0.0, 1.0],
    );
}

#[test]
fn title_rows_naming_only_one_role_are_not_the_header() {
    let r = analyze("title_rows_with_role_words.csv", &[]);
    // line 2 "Date,2024-10-31" names only a date column, line 3 "Sales,..." only an amount
    // column; the header is line 5
    text(&r, "/input/columns/date", "Order Date");
    text(&r, "/input/columns/total", "Total");
    // R1..R4; the two blank lines at the end are not rows
    int(&r, "/input/rows", 4);
    int(&r, "/kpis/orders", 4);
    // 100 + 50 + 25 + 10 = 185
    num(&r, "/kpis/revenue", 185.0);
    // R2's e-mail is only spaces: trimmed it is empty, a guest order
    int(&r, "/input/orders_without_customer", 1);
    // rae (R1, R3 "RAE@example.com "), sol
    int(&r, "/kpis/customers", 2);
    // rae 10-01 -> 10-03 = 2 days
    num(&r, "/kpis/days_to_second/median", 2.0);
    text(&r, "/as_of", "2024-10-31");
}

#[test]
fn a_refund_column_and_a_cancelled_at_date_work_in_generic_files() {
    let r = analyze("generic_refunds_and_cancelled_at.csv", &[]);
    text(&r, "/input/columns/refunded", "Refund");
    text(&r, "/input/columns/cancelled", "Canceled At");
    // G3 has a `Canceled At` date
    int(&r, "/input/excluded_orders", 1);
    // G1 100.00; G2 60.00 - 15.25 = 44.75; G4 1,000.00 - 1000.00 = 0.00 (fully refunded
    // by amount, but exclusion goes by status, and there is no status column, so it counts)
    int(&r, "/kpis/orders", 3);
    num(&r, "/kpis/revenue", 144.75);
    // c1 (G1, G2), c2 (G4)
    int(&r, "/kpis/customers", 2);
    // c1 08-01 -> 08-05 = 4 days
    num(&r, "/kpis/repeat_rate", 0.5);
    num(&r, "/kpis/days_to_second/median", 4.0);
    // new: G1 100 + G4 0; returning G2 44.75
    assert_month(
        &r,
        "2024-08",
        [3.0, 144.75, 2.0, 100.0, 1.0, 44.75, 0.0, 0.0, 2.0],
    );
}

#[test]
fn a_semicolon_separated_file_is_read_with_semicolons() {
    let r = analyze("semicolon_delimited.csv", &[]);
    text(&r, "/input/columns/order_id", "Order ID");
    text(&r, "/input/columns/total", "Total");
    int(&r, "/input/rows", 4);
    int(&r, "/input/skipped_rows", 0);
    int(&r, "/kpis/orders", 4);
    // S1 1,200 (a thousands separator: not a delimiter here) = 1200
    // S2 (5.00) = -5.00 (accounting negative)
    // S3 12.34565 -> 12.3457 (five decimals, the tie rounded half away from zero)
    // S4 (0.00005) -> -0.0001 (tie away from zero, then negative)
    // revenue = 1200 - 5 + 12.3457 - 0.0001 = 1207.3456
    num(&r, "/kpis/revenue", 1207.3456);
    // sue 03-01 -> 03-04 = 3; tom 03-05 -> 03-09 = 4: median 3.5
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/days_to_second/median", 3.5);
    num(&r, "/kpis/days_to_second/p25", 3.25);
    num(&r, "/kpis/days_to_second/p75", 3.75);
}

#[test]
fn a_tab_separated_file_with_bracketed_header_notes_is_read() {
    let r = analyze("tab_delimited_bracketed_headers.csv", &[]);
    // `メールアドレス(請求先)` is the e-mail column (the note is ignored for matching, and the
    // header name is reported as written); `氏(請求先)` is no role
    text(&r, "/input/columns/email", "メールアドレス(請求先)");
    text(&r, "/input/columns/order_id", "注文ID");
    text(&r, "/input/columns/date", "注文日時");
    text(&r, "/input/columns/line_price", "価格");
    text(&r, "/input/columns/quantity", "数量");
    text(&r, "/input/columns/total", "合計金額");
    null(&r, "/input/columns/customer_id");
    int(&r, "/input/rows", 4);
    int(&r, "/input/orders_seen", 3);
    // B-1 合計金額 2,800 (not its lines 1,000*2 + 500 = 2,500); B-2 3,300;
    // B-3 has no total: 800*3 = 2,400 -> 2,800 + 3,300 + 2,400 = 8,500
    num(&r, "/kpis/revenue", 8500.0);
    // yamada (B-1 05-01, B-3 05-25 "YAMADA@example.jp"), sato
    int(&r, "/kpis/customers", 2);
    int(&r, "/input/orders_without_customer", 0);
    // 05-01 -> 05-25 = 24 days
    num(&r, "/kpis/days_to_second/median", 24.0);
}

#[test]
fn a_backslash_yen_sign_in_a_shift_jis_file_is_read_as_an_amount() {
    let r = analyze("shift_jis_yen_backslash.csv", &[]);
    text(&r, "/input/encoding", "Shift_JIS");
    // "\1,200", "\800", "\1000" (0x5C, the yen sign in Shift_JIS) = 3000
    int(&r, "/input/skipped_rows", 0);
    int(&r, "/kpis/orders", 3);
    num(&r, "/kpis/revenue", 3000.0);
    // hana 2024/6/1 -> 2024/6/11 = 10 days; ken
    int(&r, "/kpis/customers", 2);
    num(&r, "/kpis/days_to_second/median", 10.0);
}

#[test]
fn a_name_column_is_not_an_order_id_outside_shopify_exports() {
    let r = analyze("generic_name_column_is_not_an_order_id.csv", &[]);
    text(&r, "/input/format", "generic");
    null(&r, "/input/columns/order_id");
    // without an order-id column each row is an order: the two "Alice Example" rows are two
    int(&r, "/input/orders_seen", 3);
    int(&r, "/kpis/orders", 3);
    // 10 + 20 + 5
    num(&r, "/kpis/revenue", 35.0);
    // alice 07-01 -> 07-08 = 7 days; Bob has no e-mail: a guest
    int(&r, "/kpis/customers", 1);
    int(&r, "/input/orders_without_customer", 1);
    num(&r, "/kpis/days_to_second/median", 7.0);
}

// ------------------------------------------------------------------------------------------------
// Unusable files and bad options
// ------------------------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_an_error() {
    let message = assert_unusable(&fixture("error_empty.csv"));
    assert_mentions_any(&message, &["empty", "csv", "date", "header"]);
}

#[test]
fn a_png_image_is_an_error() {
    // a complete 1x1 PNG
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-image.png");
    std::fs::write(&path, PNG).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    let message = assert_unusable(&path);
    assert_mentions_any(&message, &["csv", "date", "text", "image", "header"]);
}

#[test]
fn a_csv_without_a_date_column_is_an_error_naming_the_columns_found() {
    let message = assert_unusable(&fixture("error_no_date_column.csv"));
    assert_mentions_any(&message, &["date"]);
    // DESIGN.md: "one plain sentence saying what was expected and which columns were found"
    assert_mentions_any(&message, &["order id", "email", "total", "product"]);
}

#[test]
fn a_csv_without_an_amount_column_is_an_error() {
    let message = assert_unusable(&fixture("error_no_amount_column.csv"));
    assert_mentions_any(&message, &["amount", "total", "price"]);
}

#[test]
fn a_file_with_nothing_but_a_header_is_an_error() {
    let message = assert_unusable(&fixture("error_header_only.csv"));
    assert_mentions_any(&message, &["row", "order", "data", "header", "empty"]);
}

#[test]
fn a_missing_file_is_an_error() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-file.csv");
    let path = path.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    let out = run(&["analyze", path, "--json"]);
    assert!(!out.status.success(), "{:?}", out.status);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error:"), "{stderr:?}");
}

#[test]
fn bad_options_exit_with_status_2() {
    let file = fixture("same_day_occasions.csv");
    let file = file.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    for args in [
        vec!["analyze", file, "--f2-window", "abc"],
        vec!["analyze", file, "--f2-window", "-5"],
        vec!["analyze", file, "--as-of", "2024-13-45"],
        vec!["analyze", file, "--as-of", "yesterday"],
        vec!["analyze", file, "--no-such-option"],
    ] {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "ltv-lens {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_zero_day_f2_window_is_a_bad_option_with_status_2() {
    // ltv-lens rejects a zero-day window as an invalid option; README: "bad options exit with
    // status 2" (status 1 is for unusable files)
    let file = fixture("same_day_occasions.csv");
    let file = file.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    let out = run(&["analyze", file, "--json", "--f2-window", "0"]);
    if !out.status.success() {
        assert_eq!(
            out.status.code(),
            Some(2),
            "--f2-window 0 was refused, so it is a bad option: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Report v2: cohorts, historical LTV, RFM, lapse (segments_cohorts_lapse.csv, as_of 2024-06-30)
//
// Customers (occasions; revenue; last purchase → recency_days at 2024-06-30):
//   C01 Jan 31, Feb 29, Jun 30            3 occasions, 180, recency 0
//   C02 Jan 15                            1 occasion,   40, recency 167
//   C03 Feb 1 (two orders), May 1         2 occasions,  90, recency 60
//   C04 Mar 10                            1 occasion,  200, recency 112
//   C05 Mar 31, Apr 10/20/30, May 10, Jun 29  6 occasions, 60, recency 1
//   C06 2023-12-31, Jun 1                 2 occasions, 505, recency 29
//   guest Apr 1, 999 (in no v2 section)
// ------------------------------------------------------------------------------------------------

const V2: &str = "segments_cohorts_lapse.csv";

#[test]
fn cohorts_follow_first_purchase_months_up_to_the_as_of_month() {
    let r = analyze(V2, &[]);
    text(&r, "/as_of", "2024-06-30");
    // Cohorts: 2023-12 (C06), 2024-01 (C01, C02), 2024-02 (C03), 2024-03 (C04, C05); no 2024-04
    // cohort although a guest ordered then.
    let cohorts = array(&r, "/cohorts");
    let months: Vec<&str> = cohorts
        .iter()
        .filter_map(|c| c["cohort"].as_str())
        .collect();
    assert_eq!(months, ["2023-12", "2024-01", "2024-02", "2024-03"]);
    // 2023-12: K = 6 (Dec … Jun); C06 back in June (k = 6).
    int(&r, "/cohorts/0/customers", 1);
    ints(&r, "/cohorts/0/active_customers", &[1, 0, 0, 0, 0, 0, 1]);
    nums(
        &r,
        "/cohorts/0/revenue",
        &[500.0, 0.0, 0.0, 0.0, 0.0, 0.0, 5.0],
    );
    nums(
        &r,
        "/cohorts/0/cumulative_revenue_per_customer",
        &[500.0, 500.0, 500.0, 500.0, 500.0, 500.0, 505.0],
    );
    // 2024-01: C01 (Jan 31 is still January, Feb 29 is k = 1, Jun 30 is k = 5) and C02.
    ints(&r, "/cohorts/1/active_customers", &[2, 1, 0, 0, 0, 1]);
    nums(&r, "/cohorts/1/retention", &[1.0, 0.5, 0.0, 0.0, 0.0, 0.5]);
    nums(
        &r,
        "/cohorts/1/revenue",
        &[140.0, 50.0, 0.0, 0.0, 0.0, 30.0],
    );
    // (140) / 2, (140 + 50) / 2, …, (190 + 30) / 2
    nums(
        &r,
        "/cohorts/1/cumulative_revenue_per_customer",
        &[70.0, 95.0, 95.0, 95.0, 95.0, 110.0],
    );
    // 2024-02: C03's two orders on Feb 1 are one active customer; May 1 is k = 3.
    ints(&r, "/cohorts/2/active_customers", &[1, 0, 0, 1, 0]);
    nums(&r, "/cohorts/2/revenue", &[80.0, 0.0, 0.0, 10.0, 0.0]);
    // 2024-03: C04 and C05 (Mar 31); C05 in Apr, May, Jun.
    ints(&r, "/cohorts/3/active_customers", &[2, 1, 1, 1]);
    nums(&r, "/cohorts/3/retention", &[1.0, 0.5, 0.5, 0.5]);
    nums(
        &r,
        "/cohorts/3/cumulative_revenue_per_customer",
        &[105.0, 120.0, 125.0, 130.0],
    );
}

#[test]
fn historical_ltv_clamps_month_ends_and_ends_before_the_horizon_day() {
    let r = analyze(V2, &[]);
    // 3 months: C01 Jan 31 → Apr 30 (clamped): 100 + 50; C02 → Apr 15: 40; C03 Feb 1 → May 1: the
    // May 1 order is not before May 1: 80; C04 → Jun 10: 200; C05 Mar 31 → Jun 30 (clamped, = as_of,
    // eligible): all six orders before Jun 30: 60; C06 2023-12-31 → 2024-03-31: 500.
    // (150 + 40 + 80 + 200 + 60 + 500) / 6 = 1030 / 6
    int(&r, "/historical_ltv/0/months", 3);
    int(&r, "/historical_ltv/0/eligible_customers", 6);
    num(
        &r,
        "/historical_ltv/0/avg_revenue_per_customer",
        1030.0 / 6.0,
    );
    // 6 months: only C06 (2023-12-31 → 2024-06-30, clamped): 500 + 5.
    int(&r, "/historical_ltv/1/months", 6);
    int(&r, "/historical_ltv/1/eligible_customers", 1);
    num(&r, "/historical_ltv/1/avg_revenue_per_customer", 505.0);
    for (i, months) in [(2, 12), (3, 24)] {
        int(&r, &format!("/historical_ltv/{i}/months"), months);
        int(&r, &format!("/historical_ltv/{i}/eligible_customers"), 0);
        null(&r, &format!("/historical_ltv/{i}/avg_revenue_per_customer"));
    }
}

#[test]
fn rfm_cut_points_scores_grid_and_segments() {
    let r = analyze(V2, &[]);
    // recency sorted [0, 1, 29, 60, 112, 167]: positions 1, 2, 3, 4 (q × 5) → 1, 29, 60, 112.
    nums(
        &r,
        "/rfm/recency_cut_points_days",
        &[1.0, 29.0, 60.0, 112.0],
    );
    // revenue sorted [40, 60, 90, 180, 200, 505] → 60, 90, 180, 200.
    nums(&r, "/rfm/monetary_cut_points", &[60.0, 90.0, 180.0, 200.0]);
    ints(&r, "/rfm/f_band_starts", &[1, 2, 3, 4, 6]);
    // R (values on a cut point take the lower bin): C01 0 → 5; C05 1 (= cut 1) → 5; C06 29 (= cut 2)
    // → 4; C03 60 → 3; C04 112 → 2; C02 167 → 1.
    ints(&r, "/rfm/r_counts", &[1, 1, 1, 1, 2]);
    // F: C02, C04 1 → F1; C03, C06 2 → F2; C01 3 → F3; C05 6 → F5.
    ints(&r, "/rfm/f_counts", &[2, 2, 1, 0, 1]);
    // M: C02 40, C05 60 (= cut) → 1; C03 90 (= cut) → 2; C01 180 → 3; C04 200 → 4; C06 505 → 5.
    ints(&r, "/rfm/m_counts", &[2, 1, 1, 1, 1]);
    // rf_grid[r-1][f-1]
    for (r_score, f_score, customers, revenue) in [
        (5, 3, 1, 180.0), // C01
        (1, 1, 1, 40.0),  // C02
        (3, 2, 1, 90.0),  // C03
        (2, 1, 1, 200.0), // C04
        (5, 5, 1, 60.0),  // C05
        (4, 2, 1, 505.0), // C06
    ] {
        let cell = format!("/rfm/rf_grid/{}/{}", r_score - 1, f_score - 1);
        int(&r, &format!("{cell}/customers"), customers);
        num(&r, &format!("{cell}/revenue"), revenue);
    }
    let grid_total: i64 = array(&r, "/rfm/rf_grid")
        .iter()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .filter_map(|cell| cell["customers"].as_i64())
        .sum();
    assert_eq!(grid_total, 6);
    assert_segments(
        &r,
        &[
            ("champions", 1, 60.0),       // C05 R5 F5
            ("loyal", 1, 180.0),          // C01 R5 F3
            ("promising", 1, 505.0),      // C06 R4 F2
            ("new", 0, 0.0),              //
            ("needs_attention", 1, 90.0), // C03 R3 F2
            ("at_risk", 0, 0.0),          //
            ("cant_lose", 0, 0.0),        //
            ("about_to_sleep", 1, 200.0), // C04 R2 F1
            ("lost", 1, 40.0),            // C02 R1 F1
        ],
    );
}

#[test]
fn f_band_starts_change_the_f_scores_and_segments() {
    let r = analyze(V2, &["--f-bands", "1,3,4,5,6"]);
    ints(&r, "/rfm/f_band_starts", &[1, 3, 4, 5, 6]);
    // 1 or 2 occasions → F1 (C02, C03, C04, C06); 3 → F2 (C01); 6 → F5 (C05).
    ints(&r, "/rfm/f_counts", &[4, 1, 0, 0, 1]);
    assert_segments(
        &r,
        &[
            ("champions", 1, 60.0),       // C05 R5 F5
            ("loyal", 0, 0.0),            //
            ("promising", 1, 180.0),      // C01 R5 F2
            ("new", 1, 505.0),            // C06 R4 F1
            ("needs_attention", 1, 90.0), // C03 R3 F1
            ("at_risk", 0, 0.0),          //
            ("cant_lose", 0, 0.0),        //
            ("about_to_sleep", 1, 200.0), // C04 R2 F1
            ("lost", 1, 40.0),            // C02 R1 F1
        ],
    );
    let out = run(&["analyze", "x.csv", "--f-bands", "2,3,4,5,6"]);
    assert_eq!(out.status.code(), Some(2), "F bands must start at 1");
}

#[test]
fn lapse_uses_the_pooled_gaps_between_occasions() {
    let r = analyze(V2, &[]);
    // Gaps: C01 29 (Jan 31 → Feb 29), 122 (→ Jun 30); C03 90; C05 10, 10, 10, 10, 50; C06 153.
    // Sorted [10, 10, 10, 10, 29, 50, 90, 122, 153]: median (position 4) 29, p75 (6) 90,
    // p90 (7.2) 122 + 0.2 × 31 = 128.2.
    int(&r, "/lapse/gap_days/count", 9);
    num(&r, "/lapse/gap_days/median", 29.0);
    num(&r, "/lapse/gap_days/p75", 90.0);
    num(&r, "/lapse/gap_days/p90", 128.2);
    // Overdue: 90 < recency ≤ 128.2 → C04 (112). Dormant: > 128.2 → C02 (167). C03 (60) is active.
    // as_of − 365 days = 2023-07-01: every order is within the last 365 days.
    int(&r, "/lapse/overdue/customers", 1);
    num(&r, "/lapse/overdue/revenue_last_365_days", 200.0);
    num(&r, "/lapse/overdue/revenue_all_time", 200.0);
    int(&r, "/lapse/dormant/customers", 1);
    num(&r, "/lapse/dormant/revenue_all_time", 40.0);
    // recency [0, 167, 60, 112, 1, 29]: > 30: 3; > 60: 2 (60 itself is not over); > 90: 2; none over 180.
    int(&r, "/lapse/days_since_last_over/30", 3);
    int(&r, "/lapse/days_since_last_over/60", 2);
    int(&r, "/lapse/days_since_last_over/90", 2);
    int(&r, "/lapse/days_since_last_over/180", 0);
    int(&r, "/lapse/days_since_last_over/365", 0);
}

#[test]
fn orders_after_a_user_set_as_of_are_left_out_of_every_figure() {
    // a: Jan 1, Mar 1 (after as_of); b: Jan 10, Jan 20; c: Mar 5 only (after as_of).
    let r = analyze(
        "as_of_leaves_later_orders_out.csv",
        &["--as-of", "2024-02-15"],
    );
    text(&r, "/as_of", "2024-02-15");
    int(&r, "/input/rows", 5);
    int(&r, "/input/orders_after_as_of", 2);
    int(&r, "/kpis/customers", 2); // c is not a customer yet
    int(&r, "/kpis/orders", 3);
    num(&r, "/kpis/revenue", 20.0);
    num(&r, "/kpis/repeat_rate", 0.5); // a's second purchase has not happened yet
    int(&r, "/kpis/days_to_second/count", 1);
    num(&r, "/kpis/days_to_second/median", 10.0);
    int(&r, "/funnel/1/customers", 1);
    let months: Vec<&str> = array(&r, "/monthly")
        .iter()
        .filter_map(|m| m["month"].as_str())
        .collect();
    assert_eq!(months, ["2024-01"]);
    ints(&r, "/cohorts/0/active_customers", &[2, 0]); // January cohort, Jan … Feb
                                                      // Without --as-of every order counts.
    let all = analyze("as_of_leaves_later_orders_out.csv", &[]);
    int(&all, "/input/orders_after_as_of", 0);
    int(&all, "/kpis/customers", 3);
}

#[track_caller]
fn ints(report: &Value, pointer: &str, expected: &[i64]) {
    let got: Vec<Option<i64>> = array(report, pointer).iter().map(Value::as_i64).collect();
    let want: Vec<Option<i64>> = expected.iter().copied().map(Some).collect();
    assert_eq!(got, want, "{pointer}");
}

#[track_caller]
fn nums(report: &Value, pointer: &str, expected: &[f64]) {
    let got = array(report, pointer);
    assert_eq!(
        got.len(),
        expected.len(),
        "{pointer}: {got:?}, expected {expected:?}"
    );
    for (i, &want) in expected.iter().enumerate() {
        num(report, &format!("{pointer}/{i}"), want);
    }
}

/// `rfm.segments` holds exactly these (key, customers, revenue), in this order.
#[track_caller]
fn assert_segments(report: &Value, expected: &[(&str, i64, f64)]) {
    let segments = array(report, "/rfm/segments");
    assert_eq!(segments.len(), expected.len());
    for (i, &(key, customers, revenue)) in expected.iter().enumerate() {
        text(report, &format!("/rfm/segments/{i}/key"), key);
        int(report, &format!("/rfm/segments/{i}/customers"), customers);
        num(report, &format!("/rfm/segments/{i}/revenue"), revenue);
    }
}

// ------------------------------------------------------------------------------------------------
// Customer lists (`ltv-lens customers`)
// ------------------------------------------------------------------------------------------------

/// The list of segments_cohorts_lapse.csv, by revenue: text cells that start with = + - @ carry a
/// leading apostrophe; "Sato, Hanako" is quoted; lines end with CRLF.
const V2_ROWS: [&str; 6] = [
    "C06,'+c06@example.com,'+C06,2023-12-31,2024-06-01,2024-06-01,2,2,505,29,4,2,5,promising,active",
    "C04,'-x@example.com,'@SUM(1+1),2024-03-10,,2024-03-10,1,1,200,112,2,1,4,about_to_sleep,overdue",
    "C01,taka@example.com,髙橋 ①,2024-01-31,2024-02-29,2024-06-30,3,3,180,0,5,3,3,loyal,active",
    "C03,shoji@example.com,㈱テスト商事,2024-02-01,2024-05-01,2024-05-01,2,3,90,60,3,2,2,needs_attention,active",
    "C05,hanako@example.com,\"Sato, Hanako\",2024-03-31,2024-04-10,2024-06-29,6,6,60,1,5,5,1,champions,active",
    "C02,x@example.com,'=cmd|' /C calc'!A0,2024-01-15,,2024-01-15,1,1,40,167,1,1,1,lost,dormant",
];

const LIST_HEADER: &str = "customer_key,email,name,first_purchase,second_purchase,last_purchase,\
                           occasions,orders,revenue,recency_days,r,f,m,segment,lapse,\
                           p_alive,expected_purchases,expected_value,clv,\
                           first_product,first_channel,first_discount,\
                           subscription,subscription_deliveries,last_delivery,\
                           p_no_purchase,p_alive_low,p_alive_high,p_no_purchase_low,p_no_purchase_high,\
                           expected_purchases_low,expected_purchases_high,clv_low,clv_high";

/// The 19 empty cells after the lapse column of a fixture's row (see [`csv_text`]).
const EMPTY_CELLS: &str = ",,,,,,,,,,,,,,,,,,,";

/// `ltv-lens customers FIXTURE EXTRA...`, which must succeed: its stdout bytes.
fn customers(name: &str, extra: &[&str]) -> Vec<u8> {
    let path = fixture(name);
    let mut args = vec!["customers", path.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "ltv-lens {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A CSV file text: the header, then `rows`, each line ending with CRLF. The fixtures here have
/// fewer than 10 repeat customers, so no model is fitted and the four model columns are empty, and so
/// are the nine of the probability of no purchase and the intervals; they have no product, channel or
/// discount column, so the three first-purchase columns are empty too, and no subscription column, so
/// the three subscription columns are empty.
fn csv_text(rows: &[&str]) -> String {
    let mut text = format!("{LIST_HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str(EMPTY_CELLS);
        text.push_str("\r\n");
    }
    text
}

#[test]
fn the_customer_list_is_utf8_with_a_bom_and_neutralises_formulas() {
    let bytes = customers(V2, &[]);
    let expected = format!("\u{FEFF}{}", csv_text(&V2_ROWS));
    assert_eq!(String::from_utf8_lossy(&bytes), expected);
}

#[test]
fn customer_lists_filter_by_segment_lapse_and_cohort() {
    let list = |extra: &[&str]| String::from_utf8_lossy(&customers(V2, extra)).into_owned();
    let bom = |rows: &[&str]| format!("\u{FEFF}{}", csv_text(rows));
    assert_eq!(list(&["--segment", "lost"]), bom(&[V2_ROWS[5]]));
    assert_eq!(list(&["--segment", "at_risk"]), bom(&[]));
    assert_eq!(list(&["--lapse", "overdue"]), bom(&[V2_ROWS[1]]));
    assert_eq!(list(&["--lapse", "dormant"]), bom(&[V2_ROWS[5]]));
    assert_eq!(
        list(&["--lapse", "active"]),
        bom(&[V2_ROWS[0], V2_ROWS[2], V2_ROWS[3], V2_ROWS[4]])
    );
    assert_eq!(
        list(&["--cohort", "2024-03"]),
        bom(&[V2_ROWS[1], V2_ROWS[4]])
    );
    for bad in [
        &["--segment", "vip"][..],
        &["--lapse", "asleep"],
        &["--cohort", "2024-3x"],
        &["--encoding", "latin1"],
        &["--segment", "lost", "--lapse", "dormant"],
    ] {
        let path = fixture(V2);
        let mut args = vec!["customers", path.to_str().unwrap_or_default()];
        args.extend_from_slice(bad);
        assert_eq!(run(&args).status.code(), Some(2), "{bad:?} is a bad option");
    }
}

#[test]
fn a_shift_jis_customer_list_round_trips_cp932_characters() {
    let bytes = customers(V2, &["--encoding", "shift_jis"]);
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM in Shift_JIS");
    // CP932: 髙 FB FC, ① 87 40, ㈱ 87 8A.
    for (what, code) in [
        ("髙", &b"\xFB\xFC"[..]),
        ("①", b"\x87\x40"),
        ("㈱", b"\x87\x8A"),
    ] {
        assert!(
            bytes.windows(2).any(|w| w == code),
            "{what} is not encoded as {code:02X?}"
        );
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    assert_eq!(text, csv_text(&V2_ROWS));
}

/// The Japanese header row (`--lang ja`), column for column with LIST_HEADER.
const LIST_HEADER_JA: &str = "顧客キー,メールアドレス,氏名,初回購入日,2回目購入日,最終購入日,\
                              購入回数,注文数,累計売上,最終購入からの日数,Rスコア,Fスコア,Mスコア,\
                              セグメント,離反・休眠,生存確率,予測購入回数,予測購入額,予測LTV,\
                              初回購入商品,初回流入元,初回割引利用,\
                              定期購入の状態,定期お届け回数,最終お届け日,\
                              非購入確率,生存確率_下限,生存確率_上限,非購入確率_下限,非購入確率_上限,\
                              予測購入回数_下限,予測購入回数_上限,予測LTV_下限,予測LTV_上限";

/// V2_ROWS with `--lang ja`: the segment and lapse cells in the page's Japanese names (promising
/// 育成顧客 (2回目購入), about_to_sleep 休眠予備軍, loyal 安定顧客, needs_attention 要注意顧客,
/// champions 優良顧客, lost 離脱顧客; active アクティブ, overdue 購入遅れ, dormant 休眠顧客).
const V2_ROWS_JA: [&str; 6] = [
    "C06,'+c06@example.com,'+C06,2023-12-31,2024-06-01,2024-06-01,2,2,505,29,4,2,5,育成顧客 (2回目購入),アクティブ",
    "C04,'-x@example.com,'@SUM(1+1),2024-03-10,,2024-03-10,1,1,200,112,2,1,4,休眠予備軍,購入遅れ",
    "C01,taka@example.com,髙橋 ①,2024-01-31,2024-02-29,2024-06-30,3,3,180,0,5,3,3,安定顧客,アクティブ",
    "C03,shoji@example.com,㈱テスト商事,2024-02-01,2024-05-01,2024-05-01,2,3,90,60,3,2,2,要注意顧客,アクティブ",
    "C05,hanako@example.com,\"Sato, Hanako\",2024-03-31,2024-04-10,2024-06-29,6,6,60,1,5,5,1,優良顧客,アクティブ",
    "C02,x@example.com,'=cmd|' /C calc'!A0,2024-01-15,,2024-01-15,1,1,40,167,1,1,1,離脱顧客,休眠顧客",
];

#[test]
fn a_japanese_list_has_japanese_headers_and_segment_and_lapse_names() {
    let bytes = customers(V2, &["--lang", "ja", "--segment", "lost"]);
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        format!(
            "\u{FEFF}{LIST_HEADER_JA}\r\n{}{EMPTY_CELLS}\r\n",
            V2_ROWS_JA[5]
        )
    );
    // `en` is the default and the English list.
    assert_eq!(
        customers(V2, &["--lang", "en"]),
        customers(V2, &[]),
        "--lang en"
    );
    let path = fixture(V2);
    let out = run(&[
        "customers",
        path.to_str().unwrap_or_default(),
        "--lang",
        "jp",
    ]);
    assert_eq!(out.status.code(), Some(2), "jp is not a list language");
}

#[test]
fn a_japanese_shift_jis_list_round_trips() {
    let bytes = customers(V2, &["--lang", "ja", "--encoding", "shift_jis"]);
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM in Shift_JIS");
    // CP932: 顧 is 8C DA.
    assert!(bytes.starts_with(b"\x8C\xDA"), "{:02X?}", &bytes[..4]);
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!had_errors);
    let mut expected = format!("{LIST_HEADER_JA}\r\n");
    for row in V2_ROWS_JA {
        expected.push_str(&format!("{row}{EMPTY_CELLS}\r\n"));
    }
    assert_eq!(text, expected);
}

/// `(customer_key, first_product, first_channel, first_discount)` of each row of a list.
fn first_purchase_cells(bytes: &[u8]) -> Vec<[String; 4]> {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_default();
    text.trim_start_matches('\u{FEFF}')
        .split("\r\n")
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            // the fixture's cells hold no comma or quote
            let cells: Vec<&str> = line.split(',').collect();
            // the three first-purchase columns come before the three subscription columns and the
            // nine of the probability of no purchase and the intervals
            let last = cells.len().saturating_sub(15);
            [cells[0], cells[last], cells[last + 1], cells[last + 2]].map(str::to_string)
        })
        .collect()
}

#[test]
fn customer_lists_carry_the_first_purchase_and_filter_by_it() {
    let as_of = ["--as-of", "2024-12-31"];
    // revenue: bob 20 + 10 + 20 = 50, ann 30 + 12 = 42, fay 40, eve 100, dan 30, cat 20
    let every = customers("drivers_first_purchase.csv", &as_of);
    let row = |key: &str, product: &str, channel: &str, discount: &str| {
        [key, product, channel, discount].map(str::to_string)
    };
    assert_eq!(
        first_purchase_cells(&every),
        [
            // eve: no channel on her first order; a discount amount of 0.00 is none
            row("eve@example.com", "Pot", "", "false"),
            // bob: Cup (from "Cup ") and Tea on his first day, the code WELCOME, the channel of
            // B1 (09:00) reduced to its host; quoted for its `;` (a list separator in other locales)
            row("bob@example.com", "\"Cup;Tea\"", "google.com", "true"),
            // ann: three products sorted by code point; her second occasion's Kettle is not listed
            row("ann@example.com", "\"Cup;Pot;Tea\"", "instagram", "false"),
            row("fay@example.com", "Tea", "instagram", "false"),
            row("dan@example.com", "Cup", "instagram", "false"),
            row("cat@example.com", "Tea", "google.com", "true"),
        ]
    );
    let keys = |bytes: Vec<u8>| -> Vec<String> {
        first_purchase_cells(&bytes)
            .into_iter()
            .map(|[key, ..]| key)
            .collect()
    };
    // Tea was in the first purchase of bob, ann, fay and cat (not an F2 question: fay counts)
    let tea = customers(
        "drivers_first_purchase.csv",
        &["--as-of", "2024-12-31", "--first-product", "Tea"],
    );
    assert_eq!(
        keys(tea),
        [
            "bob@example.com",
            "ann@example.com",
            "fay@example.com",
            "cat@example.com"
        ]
    );
    // Kettle was only ever bought on a second occasion
    let kettle = customers("drivers_first_purchase.csv", &["--first-product", "Kettle"]);
    assert!(keys(kettle).is_empty());
    // the channel is compared as a key: any case, a URL as its host
    let instagram = customers(
        "drivers_first_purchase.csv",
        &["--as-of", "2024-12-31", "--first-channel", "Instagram"],
    );
    assert_eq!(
        keys(instagram),
        ["ann@example.com", "fay@example.com", "dan@example.com"]
    );
    let google = customers(
        "drivers_first_purchase.csv",
        &["--first-channel", "https://www.Google.com/"],
    );
    assert_eq!(keys(google), ["bob@example.com", "cat@example.com"]);
    // one filter at a time
    let path = fixture("drivers_first_purchase.csv");
    let out = run(&[
        "customers",
        path.to_str().unwrap_or_default(),
        "--first-product",
        "Tea",
        "--first-channel",
        "web",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_customer_list_has_one_row_per_customer_and_sums_to_the_segments() {
    let report = analyze("shopify_line_items.csv", &[]);
    for segment in array(&report, "/rfm/segments") {
        let key = segment["key"].as_str().unwrap_or_default();
        let bytes = customers("shopify_line_items.csv", &["--segment", key]);
        let text = String::from_utf8_lossy(&bytes);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            rows.len() as i64,
            segment["customers"].as_i64().unwrap_or(-1),
            "{key}"
        );
        let revenue: f64 = rows
            .iter()
            .filter_map(|row| row.split(',').nth(8)?.parse::<f64>().ok())
            .sum();
        let expected = segment["revenue"].as_f64().unwrap_or(f64::NAN);
        assert!(
            (revenue - expected).abs() < 1e-6,
            "{key}: {revenue} vs {expected}"
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Other command-line behaviour
// ------------------------------------------------------------------------------------------------

#[test]
fn standard_input_gives_the_same_report_as_the_file() {
    let name = "shopify_line_items.csv";
    let file = std::fs::File::open(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let out = ltv_lens()
        .args(["analyze", "-", "--json"])
        .stdin(Stdio::from(file))
        .output()
        .unwrap_or_else(|e| panic!("cannot run ltv-lens: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_stdin: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON: {e}"));
    assert_eq!(from_stdin, analyze(name, &[]));
}

#[test]
fn the_readable_table_is_printed_without_json() {
    let file = fixture("shopify_line_items.csv");
    let file = file.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
    let out = run(&["analyze", file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.trim().is_empty());
    assert!(
        serde_json::from_str::<Value>(&stdout).is_err(),
        "without --json the output should be a table, not JSON"
    );
}

#[test]
fn sample_gives_the_same_bytes_for_the_same_seed() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let paths = ["cli-sample-a.csv", "cli-sample-b.csv", "cli-sample-c.csv"].map(|n| dir.join(n));
    for (path, seed) in paths.iter().zip(["7", "7", "8"]) {
        let p = path.to_str().unwrap_or_else(|| panic!("non-UTF-8 path"));
        let out = run(&["sample", "--customers", "50", "--seed", seed, "-o", p]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let bytes = paths
        .each_ref()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())));
    assert!(!bytes[0].is_empty());
    assert_eq!(bytes[0], bytes[1], "same seed, different bytes");
    assert_ne!(bytes[0], bytes[2], "different seeds, same bytes");
    // and the sample is a Shopify export the analyzer reads
    let out = run(&["analyze", paths[0].to_str().unwrap_or_default(), "--json"]);
    assert!(out.status.success());
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON: {e}"));
    text(&report, "/input/format", "shopify");
}

#[test]
fn models_that_the_data_cannot_identify_are_refused_with_a_sentence_not_nan() {
    // Four repeat customers: fewer than the ten either model needs.
    let r = analyze(V2, &[]);
    null(&r, "/models/bgnbd");
    null(&r, "/models/gamma_gamma");
    null(&r, "/models/totals");
    text(&r, "/models/time_unit", "day");
    let notes = array(&r, "/models/notes");
    assert_eq!(notes.len(), 2, "{notes:?}");
    // Each candidate's note, and the spend model's inside the second section note.
    let candidates = array(&r, "/models/candidates");
    assert_eq!(candidates.len(), 3, "{candidates:?}");
    for candidate in candidates {
        null(candidate, "/params");
        text(candidate, "/note/code", "too_few_repeat_customers");
        text(candidate, "/note/args/found", "4");
        text(candidate, "/note/args/needed", "10");
    }
    text(&r, "/models/notes/0/code", "purchases_not_predicted");
    text(&r, "/models/notes/1/code", "spend_not_predicted");
    text(
        &r,
        "/models/notes/1/args/reason_code",
        "too_few_repeat_customers",
    );
    for note in notes
        .iter()
        .skip(1)
        .chain(candidates.iter().map(|c| &c["note"]))
    {
        let message = note["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("at least 10") && message.contains("only 4"),
            "{message}"
        );
    }
    let out = run(&["analyze", "x.csv", "--margin", "1.5"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a margin above 1 is a bad option"
    );
    let out = run(&["analyze", "x.csv", "--time-unit", "month"]);
    assert_eq!(out.status.code(), Some(2), "months are not a time unit");
}

#[test]
fn slash_dates_that_nothing_settles_are_month_first_unless_the_user_says_otherwise() {
    // 1/5/2024, 2/6/2024, 3/7/2024: every value reads as a date both ways, so the file cannot decide.
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ambiguous-dates.csv");
    std::fs::write(
        &path,
        "order id,email,date,amount\n1,a@x.com,1/5/2024,10\n2,a@x.com,2/6/2024,20\n3,b@x.com,3/7/2024,5\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let file = path.to_str().unwrap_or_default();
    let parse = |args: &[&str]| -> Value {
        let out = run(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    };
    // Month-first: the latest is March 7, with a note that nothing settled the order.
    let r = parse(&["analyze", file, "--json"]);
    text(&r, "/as_of", "2024-03-07");
    text(&r, "/input/warnings/0/code", "ambiguous_dates");
    text(&r, "/input/warnings/0/args/count", "3");
    // Day-first on request: 3/7/2024 is July 3; nothing to note.
    let r = parse(&["analyze", file, "--json", "--date-order", "day-first"]);
    text(&r, "/as_of", "2024-07-03");
    assert_eq!(array(&r, "/input/warnings").len(), 0);
    assert_eq!(
        run(&["analyze", file, "--date-order", "ymd"]).status.code(),
        Some(2)
    );
}
