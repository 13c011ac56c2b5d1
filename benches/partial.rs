//! `make bench`: partial states on the bench export split by customer into 4 shards, beside reading the
//! export whole. Prints figures; asserts nothing about time.
//!
//! The shards (`<file>.shard-N-of-4.csv`, each record sent by its e-mail, the second column of the
//! generated Shopify-style export, the header copied to each) are written next to the file on first
//! use. Then, best of two runs: the whole export read and reported (as `ltv-lens analyze`); each shard
//! read into a partial state (as `ltv-lens partial`, in 4 MiB chunks), the sum of the four and the
//! slowest (what four workers in parallel would take); the states written as bytes (their size against
//! the CSV's); read back, merged and reported (as `ltv-lens merge` and `report`). The two Reports are
//! compared, so that the figures are of the same result.

use ltv_lens::{Analyzer, Options, PartialState};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::time::Instant;

const SHARDS: usize = 4;

fn main() {
    let path = std::env::var("LTV_BENCH_FILE").unwrap_or_else(|_| "target/bench/orders.csv".into());
    let size = match std::fs::metadata(&path) {
        Ok(m) => m.len(),
        Err(e) => {
            eprintln!("bench: cannot read {path}: {e} (run `make bench`, which generates it)");
            std::process::exit(1);
        }
    };
    let shards: Vec<String> = (0..SHARDS)
        .map(|i| format!("{path}.shard-{i}-of-{SHARDS}.csv"))
        .collect();
    if !shards.iter().all(|s| std::path::Path::new(s).exists()) {
        if let Err(e) = split(&path, &shards) {
            eprintln!("bench: cannot split {path}: {e}");
            std::process::exit(1);
        }
    }
    let mib = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    let (mut whole_best, mut partial_sum_best, mut partial_max_best) =
        (f64::MAX, f64::MAX, f64::MAX);
    let (mut bytes_best, mut merge_best, mut report_best) = (f64::MAX, f64::MAX, f64::MAX);
    let (mut state_sizes, mut merged_size) = (Vec::new(), 0);
    for run in 1..=2 {
        let start = Instant::now();
        let whole = read(&path).and_then(|mut a| a.finish()).map(|a| a.report());
        let whole_secs = start.elapsed().as_secs_f64();

        let mut times = Vec::new();
        let mut states = Vec::new();
        for shard in &shards {
            let start = Instant::now();
            match read(shard).and_then(|mut a| a.finish_partial()) {
                Ok(state) => states.push(state),
                Err(e) => fail(&e),
            }
            times.push(start.elapsed().as_secs_f64());
        }
        let start = Instant::now();
        let bytes: Vec<Vec<u8>> = states.iter().map(PartialState::to_bytes).collect();
        let bytes_secs = start.elapsed().as_secs_f64();
        state_sizes = bytes.iter().map(Vec::len).collect();
        drop(states);

        let start = Instant::now();
        let states = bytes
            .iter()
            .map(|b| PartialState::from_bytes(b))
            .collect::<Result<Vec<_>, _>>()
            .and_then(PartialState::merge);
        let merged = match states {
            Ok(merged) => merged,
            Err(e) => fail(&e),
        };
        merged_size = merged.to_bytes().len();
        let merge_secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let report = merged.into_analysis(Options::default()).map(|a| a.report());
        let report_secs = start.elapsed().as_secs_f64();
        match (whole, report) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(_), Ok(_)) => fail(&"the merged Report differs from the whole export's"),
            (Err(e), _) | (_, Err(e)) => fail(&e),
        }
        let (sum, max) = (
            times.iter().sum::<f64>(),
            times.iter().cloned().fold(0.0, f64::max),
        );
        println!(
            "run {run}: whole {whole_secs:.3} s; partial {sum:.3} s (slowest shard {max:.3} s), bytes \
             {bytes_secs:.3} s, read back + merge {merge_secs:.3} s, report {report_secs:.3} s"
        );
        whole_best = whole_best.min(whole_secs);
        partial_sum_best = partial_sum_best.min(sum);
        partial_max_best = partial_max_best.min(max);
        bytes_best = bytes_best.min(bytes_secs);
        merge_best = merge_best.min(merge_secs);
        report_best = report_best.min(report_secs);
    }
    let states: usize = state_sizes.iter().sum();
    println!(
        "file: {path}: {:.1} MiB, split into {SHARDS} shards by customer",
        mib(size)
    );
    println!("analyze alone (read + report): {whole_best:.3} s");
    println!(
        "partial + merge + report: {:.3} s in one process ({partial_sum_best:.3} s reading the shards), \
         {:.3} s with the shards read in parallel (slowest {partial_max_best:.3} s); write {bytes_best:.3} s, \
         read back + merge {merge_best:.3} s, report {report_best:.3} s",
        partial_sum_best + bytes_best + merge_best + report_best,
        partial_max_best + bytes_best + merge_best + report_best
    );
    println!(
        "state size: the {SHARDS} shards' {:.1} MiB ({:.1} % of the CSV), merged {:.1} MiB ({:.1} %)",
        mib(states as u64),
        states as f64 / size as f64 * 100.0,
        mib(merged_size as u64),
        merged_size as f64 / size as f64 * 100.0
    );
}

fn fail(e: &dyn std::fmt::Display) -> ! {
    eprintln!("bench: {e}");
    std::process::exit(1);
}

/// A new analyzer that has read the file at `path` in 4 MiB chunks.
fn read(path: &str) -> Result<Analyzer, ltv_lens::Error> {
    let mut analyzer = Analyzer::new(Options::default())?;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => fail(&e),
    };
    let mut buf = vec![0u8; 4 << 20];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => fail(&e),
        };
        analyzer.push(&buf[..n])?;
    }
    Ok(analyzer)
}

/// Writes the records of the export at `path` into `shards` by the FNV-1a hash of the e-mail.
fn split(path: &str, shards: &[String]) -> std::io::Result<()> {
    let mut input = BufReader::with_capacity(4 << 20, std::fs::File::open(path)?);
    let mut outputs = shards
        .iter()
        .map(|s| std::fs::File::create(s).map(|f| BufWriter::with_capacity(1 << 20, f)))
        .collect::<std::io::Result<Vec<_>>>()?;
    let (mut record, mut line) = (Vec::new(), Vec::new());
    let mut header = true;
    while input.read_until(b'\n', &mut line)? > 0 {
        record.extend_from_slice(&line);
        line.clear();
        // A quoted field may hold a line break: the record goes on until the quotes are even.
        if record.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
            continue;
        }
        if header {
            for out in &mut outputs {
                out.write_all(&record)?;
            }
            header = false;
        } else {
            let email = record.split(|&b| b == b',').nth(1).unwrap_or_default();
            let hash = email.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            outputs[(hash % shards.len() as u64) as usize].write_all(&record)?;
        }
        record.clear();
    }
    for out in &mut outputs {
        out.flush()?;
    }
    Ok(())
}
