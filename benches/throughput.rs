//! `make bench`: analysis throughput and memory on a generated Shopify-style export, read from disk
//! in 4 MiB chunks exactly as the CLI does. Prints figures; asserts nothing about time.
//!
//! Each run times reading (decode, CSV, orders, the per-customer table) and the Report apart, and
//! every Report section on its own, labelled with the schema version that added it (the section
//! registry's `since`), so that each version's cost shows beside the first one's. The file comes from `LTV_BENCH_FILE` (default
//! `target/bench/orders.csv`, written by `make bench`).

use ltv_lens::{Analysis, Analyzer, CsvEncoding, CustomerFilter, ListLanguage, Options, Section};
use std::collections::BTreeMap;
use std::io::Read;
use std::time::{Duration, Instant};

fn main() {
    let path = std::env::var("LTV_BENCH_FILE").unwrap_or_else(|_| "target/bench/orders.csv".into());
    let size = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("bench: cannot read {path}: {e} (run `make bench`, which generates it)");
            std::process::exit(1);
        }
    };
    let mut best_read = f64::INFINITY;
    let mut best_report = f64::INFINITY;
    let mut best_sections: Vec<(Section, Duration)> = Vec::new();
    let mut best_export = f64::INFINITY;
    let (mut orders, mut rows, mut customers) = (0, 0, 0);
    for run in 1..=3 {
        let start = Instant::now();
        let analysis = match read(&path) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("bench: {e}");
                std::process::exit(1);
            }
        };
        let read_secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let report = analysis.report();
        let report_secs = start.elapsed().as_secs_f64();
        for (i, (section, time)) in analysis.section_timings().into_iter().enumerate() {
            match best_sections.get_mut(i) {
                Some((_, best)) => *best = (*best).min(time),
                None => best_sections.push((section, time)),
            }
        }
        best_read = best_read.min(read_secs);
        best_report = best_report.min(report_secs);
        (orders, rows, customers) = (
            report.input.orders_seen,
            report.input.rows,
            report.kpis.customers,
        );
        println!("run {run}: read {read_secs:.3} s + report {report_secs:.3} s");
    }
    // Measured before any customer list is made: the analysis alone.
    let analysis_peak = peak_rss_mib();
    let mut list_bytes = 0;
    if let Ok(analysis) = read(&path) {
        for _ in 0..3 {
            let start = Instant::now();
            list_bytes = analysis
                .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
                .bytes
                .len();
            best_export = best_export.min(start.elapsed().as_secs_f64());
        }
    }
    let best = best_read + best_report;
    let mib = size as f64 / (1 << 20) as f64;
    println!("file: {path}: {mib:.1} MiB, {rows} rows, {orders} orders, {customers} customers");
    println!(
        "best: {best:.3} s = {:.0} MiB/s, {:.2} M orders/s (read {best_read:.3} s, report {best_report:.3} s)",
        mib / best,
        orders as f64 / best / 1e6
    );
    println!(
        "time per 1,000,000 orders: {:.3} s",
        best / orders as f64 * 1e6
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // Milliseconds of the sections added by each schema version.
    let mut by_version: BTreeMap<u32, f64> = BTreeMap::new();
    for (section, time) in &best_sections {
        *by_version.entry(section.since).or_default() += ms(*time);
        println!(
            "  section {:<26} v{} {:8.1} ms",
            section.name,
            section.since,
            ms(*time)
        );
    }
    let v1_total = best_read * 1e3 + by_version.get(&1).copied().unwrap_or(0.0);
    println!("v1 report (read + v1 sections): {v1_total:.0} ms");
    for (version, added) in by_version.range(2..) {
        println!(
            "v{version} sections add {added:.0} ms (+{:.1} %)",
            added / v1_total * 100.0
        );
    }
    println!("(the models section's fits are cached by the first Report: `cargo bench --bench models` times them)");
    if let Some(peak) = analysis_peak {
        println!("peak resident memory: {peak:.0} MiB (input streamed in 4 MiB chunks)");
    }
    println!(
        "customer list of all {customers} customers (UTF-8 CSV, {} KiB): best {:.0} ms",
        list_bytes >> 10,
        best_export * 1e3
    );
    if let Some(peak) = peak_rss_mib() {
        println!("peak resident memory with the list: {peak:.0} MiB");
    }
}

fn read(path: &str) -> Result<Analysis, String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut analyzer = Analyzer::new(Options::default()).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 4 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        analyzer.push(&buf[..n]).map_err(|e| e.to_string())?;
    }
    analyzer.finish().map_err(|e| e.to_string())
}

/// Peak resident set size of this process (Linux), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
