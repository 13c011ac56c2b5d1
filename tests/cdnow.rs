//! The public CDNOW sample (tests/data/cdnow, 2,357 customers, 6,919 records) against figures
//! published with it: every customer made a first purchase in 1997 Q1, and in the calibration period
//! up to 1997-09-30, 946 customers made at least one repeat transaction (purchases on one day are one
//! transaction), the count the Gamma-Gamma fits of Fader & Hardie use.

use ltv_lens::{Analyzer, Options};
use std::path::Path;

/// The CDNOW records as a generic CSV (customer id, order date, amount), optionally cut at a date.
fn cdnow_csv(last_day: Option<&str>) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cdnow/CDNOW_sample.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut csv = String::from("customer id,order date,amount\n");
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [customer, _sample_id, date, _cds, dollars] = fields[..] else {
            panic!("unexpected CDNOW line {line:?}");
        };
        if last_day.is_none_or(|last| date <= last) {
            csv.push_str(&format!("{customer},{date},{dollars}\n"));
        }
    }
    csv
}

fn analyze(csv: &str) -> ltv_lens::Report {
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap().report()
}

#[test]
fn the_whole_sample_has_its_published_customer_and_record_counts() {
    let report = analyze(&cdnow_csv(None));
    assert_eq!(report.kpis.customers, 2357);
    assert_eq!(report.kpis.orders, 6919);
    assert_eq!(report.input.skipped_rows, 0);
    // First purchases all fall in 1997 Q1.
    let new_customers: u64 = report.monthly.iter().map(|m| m.new_customers).sum();
    let q1: u64 = report
        .monthly
        .iter()
        .filter(|m| m.month.as_str() <= "1997-03")
        .map(|m| m.new_customers)
        .sum();
    assert_eq!((new_customers, q1), (2357, 2357));
}

#[test]
fn the_calibration_period_has_946_repeat_customers() {
    let report = analyze(&cdnow_csv(Some("19970930")));
    assert_eq!(report.kpis.customers, 2357);
    assert_eq!(report.funnel[1].customers, 946);
}
