//! `cargo bench --features bench --bench recovery`: how fast a generated export is read when it is
//! clean and when one quote near its top never closes (a runaway quote, read line by line), at sizes
//! below and above the 64 MiB a single record may take (`LTV_BENCH_RECOVERY_MIB`, default `60,130`).
//! Reads from memory in 4 MiB chunks, as the CLI does from a file; prints MiB/s; asserts nothing
//! about time.

use ltv_lens::{Analyzer, Options};
use std::time::Instant;

/// A generic export of about `mib` MiB: 1,000 customers, a note on every row.
fn export(mib: usize) -> Vec<u8> {
    let mut csv = b"order id,email,order date,amount,note\n".to_vec();
    let mut i = 0u64;
    while csv.len() < mib << 20 {
        i += 1;
        let line = format!(
            "{i},c{}@example.com,2024-{:02}-{:02},{}.{:02},gift wrap\n",
            i * 7919 % 1000,
            1 + i % 12,
            1 + i % 28,
            10 + i % 90,
            i % 100
        );
        csv.extend_from_slice(line.as_bytes());
    }
    csv
}

/// Reads `bytes` in 4 MiB chunks: the best of three times in seconds, or the error.
fn best_read(bytes: &[u8]) -> Result<(f64, u64, usize), String> {
    let mut best = f64::INFINITY;
    let mut outcome = (0, 0);
    for _ in 0..3 {
        let start = Instant::now();
        let mut analyzer = Analyzer::new(Options::default()).map_err(|e| e.to_string())?;
        for chunk in bytes.chunks(4 << 20) {
            analyzer.push(chunk).map_err(|e| e.to_string())?;
        }
        let analysis = analyzer.finish().map_err(|e| e.to_string())?;
        best = best.min(start.elapsed().as_secs_f64());
        let input = analysis.report().input;
        outcome = (input.rows, input.warnings.len());
    }
    Ok((best, outcome.0, outcome.1))
}

fn main() {
    let sizes = std::env::var("LTV_BENCH_RECOVERY_MIB").unwrap_or_else(|_| "60,130".into());
    for mib in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let mut bytes = export(mib);
        let size = bytes.len() as f64 / (1 << 20) as f64;
        let clean = best_read(&bytes);
        // Row 3's note opens a quote that never closes: `"ift wrap` (the same size).
        let line_start = bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(2)
            .map_or(0, |(at, _)| at + 1);
        let note = line_start
            + bytes[line_start..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(0)
            - "gift wrap".len();
        bytes[note] = b'"';
        let stray = best_read(&bytes);
        for (what, outcome) in [("clean", &clean), ("one stray quote", &stray)] {
            match outcome {
                Ok((secs, rows, warnings)) => println!(
                    "{size:.1} MiB, {what}: read in {secs:.3} s = {:.0} MiB/s ({rows} rows, {warnings} warnings)",
                    size / secs
                ),
                Err(error) => println!("{size:.1} MiB, {what}: refused: {error}"),
            }
        }
        if let (Ok(clean), Ok(stray)) = (&clean, &stray) {
            println!(
                "{size:.1} MiB: the stray quote takes {:.2}× the clean time",
                stray.0 / clean.0
            );
        }
    }
}
