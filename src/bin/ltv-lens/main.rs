//! `ltv-lens`: the command-line shell over the core. `analyze` reads an order export (a file or
//! standard input) in chunks and prints the Report as a table or JSON; `sample` writes a synthetic
//! Shopify-style export.

mod table;

use clap::{Parser, Subcommand};
use ltv_lens::sample::{self, SampleSpec};
use ltv_lens::{Analyzer, Options};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Repeat-purchase analytics for e-commerce order exports.
#[derive(Parser)]
#[command(name = "ltv-lens", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse an order export and print repeat-purchase KPIs.
    Analyze {
        /// The CSV file; `-` reads standard input.
        file: PathBuf,
        /// Print the Report as JSON.
        #[arg(long)]
        json: bool,
        /// The F2 window in days.
        #[arg(long, value_name = "DAYS", default_value_t = 365,
              value_parser = clap::value_parser!(u32).range(1..=3650))]
        f2_window: u32,
        /// The analysis date (default: the latest order date).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Write a synthetic, deterministic Shopify-style orders export.
    Sample {
        /// Number of customers.
        #[arg(long, default_value_t = 1000)]
        customers: u32,
        /// Seed of the pseudo-random sequence.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn parse_as_of(value: &str) -> Result<chrono::NaiveDate, String> {
    Options::parse_as_of(value).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze {
            file,
            json,
            f2_window,
            as_of,
        } => analyze(
            &file,
            json,
            Options {
                f2_window_days: f2_window,
                as_of,
            },
        ),
        Command::Sample {
            customers,
            seed,
            output,
        } => write_sample(&SampleSpec { customers, seed }, output),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn analyze(path: &Path, json: bool, options: Options) -> Result<(), String> {
    let mut analyzer = Analyzer::new(options).map_err(|e| e.to_string())?;
    let mut input: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|e| format!("cannot open {}: {e}", path.display()))?,
        )
    };
    let mut buf = vec![0u8; 4 << 20];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        analyzer.push(&buf[..n]).map_err(|e| e.to_string())?;
    }
    let report = analyzer.finish().map_err(|e| e.to_string())?;
    let text = if json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        table::render(&report)
    };
    write_stdout(text.as_bytes())
}

fn write_sample(spec: &SampleSpec, output: Option<PathBuf>) -> Result<(), String> {
    let text = sample::generate(spec);
    match output {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => write_stdout(text.as_bytes()),
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write output: {e}"))
        }
        _ => Ok(()),
    }
}
