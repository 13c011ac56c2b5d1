//! `make bench`: analysis throughput and memory on a generated Shopify-style export, read from disk
//! in 4 MiB chunks exactly as the CLI does. Prints figures; asserts nothing about time.
//!
//! The file comes from `LTV_BENCH_FILE` (default `target/bench/orders.csv`, written by `make bench`).

use ltv_lens::{Analyzer, Options};
use std::io::Read;
use std::time::Instant;

fn main() {
    let path = std::env::var("LTV_BENCH_FILE").unwrap_or_else(|_| "target/bench/orders.csv".into());
    let size = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("bench: cannot read {path}: {e} (run `make bench`, which generates it)");
            std::process::exit(1);
        }
    };
    let mut best = f64::INFINITY;
    let mut orders = 0;
    let mut rows = 0;
    let mut customers = 0;
    for run in 1..=3 {
        let start = Instant::now();
        let report = match analyze(&path) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("bench: {e}");
                std::process::exit(1);
            }
        };
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        (orders, rows, customers) = (
            report.input.orders_seen,
            report.input.rows,
            report.kpis.customers,
        );
        println!("run {run}: {secs:.3} s");
    }
    let mib = size as f64 / (1 << 20) as f64;
    println!("file: {path}: {mib:.1} MiB, {rows} rows, {orders} orders, {customers} customers");
    println!(
        "best: {best:.3} s = {:.0} MiB/s, {:.2} M orders/s",
        mib / best,
        orders as f64 / best / 1e6
    );
    println!(
        "time per 1,000,000 orders: {:.3} s",
        best / orders as f64 * 1e6
    );
    if let Some(peak) = peak_rss_mib() {
        println!("peak resident memory: {peak:.0} MiB (input streamed in 4 MiB chunks)");
    }
}

fn analyze(path: &str) -> Result<ltv_lens::Report, String> {
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
