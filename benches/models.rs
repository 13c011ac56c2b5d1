//! `make bench` (predicted value): fits the three repeat-purchase models (BG/NBD, MBG/NBD, Pareto/NBD),
//! their holdout refits, Gamma-Gamma and the 90 % intervals to synthetic customers drawn from BG/NBD,
//! natively, and prints the times (the models section of the Report, and its parts); `benches/wasm.mjs --models` does the same in
//! V8. Asserts nothing about time.
//!
//! The order files (`customer id,order date,amount`, one row per purchase) are written to
//! `target/bench/` on first use, for each size in `LTV_BENCH_MODEL_CUSTOMERS` (default
//! `100000,1000000`). Each customer's first purchase falls in 2023, observation ends 2024-12-31; purchase
//! rates are Gamma(r = 0.25, α = 40 days), dropout probabilities Beta(0.8, 2.5) (a customer may drop
//! out after each repeat purchase), amounts Gamma(p = 6, ν) with ν ~ Gamma(q = 4, γ = 1500).

use ltv_lens::models::repeat::ModelKind;
use ltv_lens::{Analyzer, CsvEncoding, CustomerFilter, ListLanguage, Options};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let sizes =
        std::env::var("LTV_BENCH_MODEL_CUSTOMERS").unwrap_or_else(|_| "100000,1000000".into());
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
    {
        let path = PathBuf::from(format!("target/bench/customers-{size}.csv"));
        if !path.exists() {
            if let Err(e) = write_customers(&path, size) {
                eprintln!("bench: cannot write {}: {e}", path.display());
                std::process::exit(1);
            }
        }
        bench(&path);
    }
}

fn bench(path: &Path) {
    let start = Instant::now();
    let mut analyzer = Analyzer::new(Options::default()).unwrap_or_else(|e| fail(&e.to_string()));
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| fail(&e.to_string()));
    let mut buf = vec![0u8; 4 << 20];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => analyzer
                .push(&buf[..n])
                .unwrap_or_else(|e| fail(&e.to_string())),
            Err(e) => fail(&e.to_string()),
        }
    }
    let analysis = analyzer.finish().unwrap_or_else(|e| fail(&e.to_string()));
    let read = start.elapsed().as_secs_f64();
    // The fits step by step (the progress callback marks the end of each): every candidate's fit and
    // holdout refit, Gamma-Gamma, then the predictions with their intervals; the Report after them.
    let mut marks = Vec::new();
    let start = Instant::now();
    analysis.fit_models(&mut |p| marks.push((p.done, p.total, start.elapsed().as_secs_f64())));
    let fitting = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let report = analysis.report();
    let rest = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let list = analysis.customers_csv(
        &CustomerFilter::TopClv(100),
        CsvEncoding::Utf8,
        ListLanguage::En,
    );
    let top = start.elapsed().as_secs_f64();
    let Some(m) = &report.models else {
        fail("the models section is missing")
    };
    println!(
        "models: {} customers ({} orders) from {}",
        report.kpis.customers,
        report.kpis.orders,
        path.display()
    );
    println!(
        "  read {read:.3} s; the models {fitting:.3} s (chosen: {}), then the rest of the Report {rest:.3} s",
        m.chosen.map_or("none", |k| k.key())
    );
    let with_holdout = marks
        .last()
        .is_some_and(|&(_, total, _)| total as usize > ModelKind::ALL.len() + 2);
    let mut steps: Vec<String> = Vec::new();
    for kind in ModelKind::ALL {
        steps.push(format!("{} fit", kind.label()));
        if with_holdout {
            steps.push(format!("{} holdout refit", kind.label()));
        }
    }
    steps.push("Gamma-Gamma fit".into());
    steps.push("predictions and 90 % intervals".into());
    for (step, pair) in steps.iter().zip(marks.windows(2)) {
        println!("    {step:<32} {:.3} s", pair[1].2 - pair[0].2);
    }
    println!("  top-100 CLV list {top:.3} s ({} bytes)", list.bytes.len());
    match (&m.bgnbd, &m.gamma_gamma) {
        (Some(b), Some(g)) => println!(
            "  BG/NBD r {:.4} alpha {:.3} a {:.4} b {:.4} (LL {:.1}); Gamma-Gamma p {:.3} q {:.3} gamma {:.3}",
            b.r, b.alpha, b.a, b.b, b.log_likelihood, g.p, g.q, g.gamma
        ),
        _ => println!("  models refused: {:?}", m.notes),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(1)
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        (-2.0 * self.uniform().ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (boosted for shape < 1).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * self.uniform().powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v > 0.0 && self.uniform().ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        x / (x + self.gamma(b))
    }
}

/// Writes `customers` synthetic customers drawn from BG/NBD (see the module doc).
fn write_customers(path: &Path, customers: u64) -> std::io::Result<()> {
    const FIRST_DAYS: u64 = 365; // first purchases during 2023
    const OBSERVED_DAYS: f64 = 731.0; // 2023-01-01 .. 2024-12-31
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "customer id,order date,amount")?;
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for id in 0..customers {
        let rate = rng.gamma(0.25) / 40.0; // purchases per day
        let dropout = rng.beta(0.8, 2.5);
        let scale = rng.gamma(4.0) / 1500.0; // ν: the rate of the customer's spend distribution
        let mut day = (rng.next_u64() % FIRST_DAYS) as f64;
        let mut first = true;
        loop {
            let date = start + chrono::Days::new(day as u64);
            let amount = (rng.gamma(6.0) / scale).round().max(1.0);
            writeln!(out, "C{id},{date},{amount}")?;
            if !first && rng.uniform() < dropout {
                break;
            }
            first = false;
            day += -rng.uniform().ln() / rate.max(1e-9);
            if day >= OBSERVED_DAYS {
                break;
            }
        }
    }
    out.flush()
}
