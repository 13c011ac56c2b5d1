//! A real export as a user would drop it: the UCI Online Retail data set (tests/data/online_retail,
//! 541,909 invoice lines, ISO-8859-1, `M/D/YYYY H:MM` dates, credit notes, guest lines). LTV Lens must
//! read it as an invoice-style export and agree with an independent computation of the invoice rules
//! (tests/reference/online_retail_check.py): invoices, cancellations, customers, guest orders, revenue
//! and the analysis date. The day/month order is decided by the data (12/13/2010 is month-first).

use ltv_lens::{Analyzer, Options};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn python(args: &[&str]) -> Vec<u8> {
    let out = Command::new("python3")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): this test needs Python 3 on PATH"));
    assert!(
        out.status.success(),
        "python3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_uci_online_retail_file_is_read_as_an_invoice_export_with_the_right_numbers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("tests/data/online_retail/orders.csv.xz");
    let data = data.to_str().unwrap_or_default();
    let csv = python(&[
        "-c",
        "import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())",
        data,
    ]);
    let check = root.join("tests/reference/online_retail_check.py");
    let expected: Value =
        serde_json::from_slice(&python(&[check.to_str().unwrap_or_default(), data])).unwrap();

    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    for chunk in csv.chunks(4 << 20) {
        analyzer.push(chunk).unwrap();
    }
    let report = analyzer.finish().unwrap().report();
    let input = &report.input;
    assert_eq!(input.format, "invoice");
    assert_eq!(input.skipped_rows, 0, "{:?}", input.warnings);
    let int = |key: &str| expected[key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(input.rows, int("rows"));
    assert_eq!(input.orders_seen, int("orders_seen"));
    assert_eq!(input.excluded_orders, int("excluded_orders"));
    assert_eq!(report.kpis.orders, int("orders"));
    assert_eq!(
        input.orders_without_customer,
        int("orders_without_customer")
    );
    assert_eq!(report.kpis.customers, int("customers"));
    assert_eq!(report.funnel[1].customers, int("repeat_customers"));
    let revenue: f64 = expected["revenue"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .unwrap();
    assert!(
        (report.kpis.revenue - revenue).abs() < 1e-6,
        "{} vs {revenue}",
        report.kpis.revenue
    );
    assert_eq!(report.as_of.as_deref(), expected["as_of"].as_str());
    // The published count of the data set's invoices.
    assert_eq!(input.orders_seen, 25_900);
}
