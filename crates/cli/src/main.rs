//! `ltv-lens`: the command-line shell over the core. `analyze` reads an order export (a file or
//! standard input) in chunks (a file one chunk ahead, on a second thread: `chunks`) and prints the Report as a
//! table or JSON; `customers` writes a customer list as CSV; `partial`, `merge` and `report` read shards of
//! an export into partial states, merge them and print their Report as `analyze` does (`partial`); `sample`
//! writes a synthetic Shopify-style export. Reading shows its progress on standard
//! error (`progress`); each kind of failure has its own exit status (`exit`). Text from the file reaches a
//! terminal escaped (`table`, `terminal`, `json`).

mod chunks;
mod exit;
mod json;
mod partial;
mod progress;
mod table;
mod terminal;

use clap::{Args, Parser, Subcommand};
use exit::Status;
use ltv_lens::models::repeat::ModelKind;
use ltv_lens::sample::{self, SampleSpec};
use ltv_lens::{
    Analysis, Analyzer, CsvEncoding, CustomerFilter, DayOrder, ErrorKind, ListLanguage, Options,
    Role, TextEncoding, TimeUnit,
};
use progress::Progress;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Repeat-purchase analytics for e-commerce order exports.
#[derive(Parser)]
#[command(
    name = "ltv-lens",
    version,
    about = "Repeat-purchase analytics (F2 conversion, repeat rate, LTV) for e-commerce order exports, in the browser or on the command line",
    after_help = exit::help()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse an order export and print repeat-purchase KPIs, cohorts, segments and lapse.
    #[command(after_help = exit::help())]
    Analyze {
        #[command(flatten)]
        input: Input,
        /// Print the Report as JSON.
        #[arg(long)]
        json: bool,
        /// Leave out the prediction models (BG/NBD, Gamma-Gamma, the holdout check): the Report's
        /// `models` is null and nothing is fitted, which makes a large file's Report quicker.
        #[arg(long)]
        no_models: bool,
    },
    /// Write the customer list of an order export as CSV (every customer, or one segment, lapse state,
    /// cohort, first product or first channel).
    #[command(after_help = exit::help())]
    Customers {
        #[command(flatten)]
        input: Box<Input>,
        /// Only the customers of this RFM segment (champions, loyal, promising, new,
        /// needs_attention, at_risk, cant_lose, about_to_sleep, lost).
        #[arg(long, value_name = "KEY", group = "filter")]
        segment: Option<String>,
        /// Only the customers in this lapse state (overdue, dormant or active).
        #[arg(long, value_name = "STATE", group = "filter")]
        lapse: Option<String>,
        /// Only the customers whose first purchase is in this month.
        #[arg(long, value_name = "YYYY-MM", group = "filter")]
        cohort: Option<String>,
        /// Only the N customers with the highest predicted CLV, highest first.
        #[arg(long, value_name = "N", group = "filter")]
        top_clv: Option<usize>,
        /// Only the customers whose first purchase included this product (the name as in the file).
        #[arg(long, value_name = "NAME", group = "filter")]
        first_product: Option<String>,
        /// Only the customers whose first order came through this channel (any case; a URL counts as
        /// its host).
        #[arg(long, value_name = "NAME", group = "filter")]
        first_channel: Option<String>,
        /// Only the customers whose probability of no purchase in the horizon is above P (0.8: likely
        /// gone).
        #[arg(long, value_name = "P", group = "filter")]
        no_purchase_above: Option<f64>,
        /// Only the customers whose subscriptions are active (at_risk included), churned, or at_risk
        /// (active, but more than the median cycle since the last delivery).
        #[arg(long, value_name = "STATE", group = "filter")]
        subscription: Option<String>,
        /// Text encoding of the CSV: utf-8 (with a byte-order mark) or shift_jis.
        #[arg(long, value_name = "NAME", default_value = "utf-8")]
        encoding: String,
        /// Language of the header row and of the segment and lapse cells: en (the Report's keys) or ja.
        #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_language)]
        lang: ListLanguage,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show how the columns of an order export are read: the header row found, each header with its
    /// role and example values, and what is missing (reads the first 64 KiB).
    #[command(after_help = exit::help())]
    Columns {
        /// The CSV file; `-` reads standard input.
        file: PathBuf,
        /// Use this column for a role, as with `analyze` (repeatable).
        #[arg(long = "column", value_name = "ROLE=HEADER", value_parser = parse_column)]
        columns: Vec<(Role, Option<String>)>,
        /// Print the preview as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read one shard of an order export (every order of each of its customers) into a partial state
    /// file, to merge with the other shards' (`merge`) and report on (`report`).
    #[command(after_help = exit::help())]
    Partial {
        /// The CSV file; `-` reads standard input.
        file: PathBuf,
        #[command(flatten)]
        reading: ReadingArgs,
        #[command(flatten)]
        progress: ProgressArgs,
        /// The partial state file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// The shard's name, carried by each of its located warnings once merged (argument `shard`);
        /// default: the file's name (none for standard input); `--name ''` for none.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Merge partial states (of `partial` or `merge`) into one partial state file.
    #[command(after_help = exit::help())]
    Merge {
        /// The partial state files.
        #[arg(required = true, value_name = "STATE")]
        states: Vec<PathBuf>,
        /// The merged partial state file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Print the Report of a partial state (of `partial` or `merge`), as `analyze` prints a file's.
    #[command(after_help = exit::help())]
    Report {
        /// The partial state file.
        state: PathBuf,
        #[command(flatten)]
        analysis: AnalysisArgs,
        /// Print the Report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a synthetic, deterministic Shopify-style orders export (or, with --subscriptions, a
    /// Japanese subscription-shop export).
    #[command(after_help = exit::help())]
    Sample {
        /// Number of customers.
        #[arg(long, default_value_t = 1000)]
        customers: u32,
        /// Write a subscription (定期購入) export drawn from the shifted-beta-geometric model instead.
        #[arg(long)]
        subscriptions: bool,
        /// Seed of the pseudo-random sequence.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// The file and the analysis options, shared by `analyze` and `customers`.
#[derive(Args)]
struct Input {
    /// The CSV file; `-` reads standard input.
    file: PathBuf,
    #[command(flatten)]
    analysis: AnalysisArgs,
    #[command(flatten)]
    reading: ReadingArgs,
    #[command(flatten)]
    progress: ProgressArgs,
}

/// The options that act on the analysis, not on reading the file (`analyze`, `customers`, `report`).
#[derive(Args)]
struct AnalysisArgs {
    /// The F2 window in days.
    #[arg(long, value_name = "DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    f2_window: u32,
    /// The analysis date (default: the latest order date); later orders are left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<chrono::NaiveDate>,
    /// Purchase occasions at which RFM F bands 1..5 start.
    #[arg(long, value_name = "N,N,N,N,N", default_value = "1,2,3,4,6", value_parser = parse_f_bands)]
    f_bands: [u32; 5],
    /// The horizon of predicted purchases and CLV, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    horizon_days: u32,
    /// Gross margin applied to predicted CLV, a fraction (0.4 for 40 %).
    #[arg(long, value_name = "FRACTION", default_value_t = 1.0)]
    margin: f64,
    /// Annual discount rate of predicted CLV, a fraction (0.1 for 10 %).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.0)]
    discount_rate: f64,
    /// The time unit the models are fitted in: day or week.
    #[arg(long, value_name = "UNIT", default_value = "day", value_parser = parse_time_unit)]
    time_unit: TimeUnit,
    /// The last day of the holdout check's calibration period (default: the last third of the
    /// history is held out).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    holdout_split: Option<chrono::NaiveDate>,
    /// The repeat-purchase model of the predictions: bgnbd, mbgnbd or pareto_nbd (default: the
    /// candidate with the lowest holdout error).
    #[arg(long, value_name = "MODEL", value_parser = parse_model)]
    model: Option<ModelKind>,
    /// Days after a subscription's last delivery past which it has churned (default: 1.5 × the
    /// median days between deliveries, rounded up).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=3650))]
    subscription_lapse_days: Option<u32>,
    /// Keep orders whose dates are outliers (after today, or more than two years away from every
    /// other order date) instead of leaving them out with a warning.
    #[arg(long)]
    keep_outlier_dates: bool,
}

impl AnalysisArgs {
    /// The analysis options (the reading options at their defaults).
    fn options(&self) -> Options {
        Options {
            f2_window_days: self.f2_window,
            as_of: self.as_of,
            f_band_starts: self.f_bands,
            horizon_days: self.horizon_days,
            margin: self.margin,
            annual_discount_rate: self.discount_rate,
            time_unit: self.time_unit,
            holdout_split: self.holdout_split,
            model: self.model,
            subscription_lapse_days: self.subscription_lapse_days,
            // The machine's local date: orders dated after it are outliers.
            today: Some(chrono::Local::now().date_naive()),
            keep_outlier_dates: self.keep_outlier_dates,
            ..Options::default()
        }
    }
}

/// The options that act when a file is read (`analyze`, `customers`, `partial`).
#[derive(Args)]
struct ReadingArgs {
    /// The day/month order of slash dates such as 1/5/2024 when no date of the file settles it:
    /// month-first or day-first (default: decided by the file, month-first when nothing decides).
    #[arg(long, value_name = "ORDER", value_parser = parse_date_order)]
    date_order: Option<DayOrder>,
    #[arg(long = "column", value_name = "ROLE=HEADER", value_parser = parse_column, help = column_help())]
    columns: Vec<(Role, Option<String>)>,
    /// Read the file in this text encoding instead of detecting it: utf-8, shift_jis, euc-jp,
    /// utf-16le, utf-16be or windows-1252.
    #[arg(long, value_name = "NAME", value_parser = parse_input_encoding)]
    input_encoding: Option<TextEncoding>,
}

impl ReadingArgs {
    /// `options` with these reading options.
    fn apply(&self, options: Options) -> Options {
        Options {
            date_order: self.date_order,
            columns: self.columns.clone(),
            encoding: self.input_encoding,
            ..options
        }
    }
}

/// How reading shows its progress.
#[derive(Args)]
struct ProgressArgs {
    /// Show no progress on standard error (errors are still reported).
    #[arg(long, short, conflicts_with = "progress")]
    quiet: bool,
    /// Show the progress of reading on standard error for any input, as plain lines when standard
    /// error is not a terminal (default: a bar on a terminal for inputs of 8 MiB or more).
    #[arg(long)]
    progress: bool,
}

impl ProgressArgs {
    fn mode(&self) -> progress::Mode {
        match (self.quiet, self.progress) {
            (true, _) => progress::Mode::Quiet,
            (_, true) => progress::Mode::Forced,
            _ => progress::Mode::Auto,
        }
    }
}

/// The help of `--column`, naming every role.
fn column_help() -> String {
    let roles: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
    format!(
        "Use the column named HEADER for ROLE ({}), or no column with `ROLE=`; repeatable. Other roles \
         keep the detected columns",
        roles.join(", ")
    )
}

/// A column override written `role=header` (`role=` for "not used").
fn parse_column(value: &str) -> Result<(Role, Option<String>), String> {
    let Some((key, header)) = value.split_once('=') else {
        return Err(ltv_lens::Error::from(ErrorKind::InvalidOption(format!(
            "column override {value:?} is not written role=header (or role= for not used)"
        )))
        .to_string());
    };
    let role: Role = key.parse().map_err(|e: ltv_lens::Error| e.to_string())?;
    let header = header.trim();
    Ok((role, (!header.is_empty()).then(|| header.to_string())))
}

fn parse_as_of(value: &str) -> Result<chrono::NaiveDate, String> {
    Options::parse_as_of(value).map_err(|e| e.to_string())
}

fn parse_input_encoding(value: &str) -> Result<TextEncoding, String> {
    value.parse().map_err(|e: ltv_lens::Error| e.to_string())
}

fn parse_date_order(value: &str) -> Result<DayOrder, String> {
    value.parse().map_err(|e: ltv_lens::Error| e.to_string())
}

fn parse_language(value: &str) -> Result<ListLanguage, String> {
    ListLanguage::parse(value).map_err(|e| e.to_string())
}

fn parse_model(value: &str) -> Result<ModelKind, String> {
    ModelKind::parse(value)
        .ok_or_else(|| format!("{value:?} is not a model; use bgnbd, mbgnbd or pareto_nbd"))
}

fn parse_time_unit(value: &str) -> Result<TimeUnit, String> {
    TimeUnit::parse(value).ok_or_else(|| format!("{value:?} is not a time unit; use day or week"))
}

/// F band starts written `1,2,3,4,6`: five whole numbers, checked as the core checks them.
fn parse_f_bands(value: &str) -> Result<[u32; 5], String> {
    let numbers: Option<Vec<u32>> = value.split(',').map(|n| n.trim().parse().ok()).collect();
    let starts = numbers
        .and_then(|n| <[u32; 5]>::try_from(n).ok())
        .ok_or_else(|| {
            ltv_lens::Error::from(ErrorKind::InvalidOption(format!(
                "F band starts {value:?} are not five whole numbers such as 1,2,3,4,6"
            )))
            .to_string()
        })?;
    let options = Options {
        f_band_starts: starts,
        ..Options::default()
    };
    options.validate().map_err(|e| e.to_string())?;
    Ok(starts)
}

/// A failure: the message for standard error and the exit status.
struct Failure(String, Status);

/// Prints the Report of `analysis` as a table, or as JSON, showing the models' fitting on `fitting`.
fn print_report(
    analysis: &Analysis,
    json: bool,
    fitting: Option<progress::Fitting>,
) -> Result<(), Failure> {
    let report = match fitting {
        Some(mut shown) => {
            let report = analysis.report_with_progress(&mut |step| shown.step(step));
            shown.finish();
            report
        }
        None => analysis.report(),
    };
    let text = if json {
        json::to_string(&report)
            .map_err(|e| Failure(format!("cannot write the JSON: {e}"), Status::Io))?
    } else {
        table::render(&report)
    };
    write_output(None, text.as_bytes())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze {
            input,
            json,
            no_models,
        } => analyze(&input, !no_models, false)
            .and_then(|analysis| print_report(&analysis, json, fitting(&input))),
        Command::Partial {
            file,
            reading,
            progress,
            output,
            name,
        } => partial::partial(&file, &reading, &progress, &output, name.as_deref()),
        Command::Merge { states, output } => partial::merge(&states, &output),
        Command::Report {
            state,
            analysis,
            json,
        } => partial::report(&state, &analysis, json),
        Command::Customers {
            input,
            segment,
            lapse,
            cohort,
            top_clv,
            first_product,
            first_channel,
            no_purchase_above,
            subscription,
            encoding,
            lang,
            output,
        } => {
            let filter = match no_purchase_above {
                Some(threshold) => CustomerFilter::no_purchase_above(threshold),
                None => match (
                    segment,
                    lapse,
                    cohort,
                    top_clv,
                    first_product,
                    first_channel,
                    subscription,
                ) {
                    (Some(key), ..) => CustomerFilter::segment(&key),
                    (_, Some(state), ..) => CustomerFilter::lapse(&state),
                    (_, _, Some(month), ..) => CustomerFilter::cohort(&month),
                    (_, _, _, Some(count), ..) => Ok(CustomerFilter::top_clv(count)),
                    (.., Some(name), _, _) => CustomerFilter::first_product(&name),
                    (.., Some(name), _) => CustomerFilter::first_channel(&name),
                    (.., Some(state)) => CustomerFilter::subscription(&state),
                    _ => Ok(CustomerFilter::All),
                },
            };
            filter
                .map_err(|e| Failure(e.to_string(), Status::Usage))
                .and_then(|filter| customer_list(&input, filter, &encoding, lang, output))
        }
        Command::Columns {
            file,
            columns,
            json,
        } => show_columns(&file, columns, json),
        Command::Sample {
            customers,
            subscriptions,
            seed,
            output,
        } => {
            // Streamed through a 64 KiB buffer: memory does not grow with the size of the export.
            const BUFFER: usize = 64 << 10;
            let spec = SampleSpec { customers, seed };
            let write = |out: &mut dyn std::io::Write| {
                if subscriptions {
                    sample::subscriptions::write_io(&spec, out)
                } else {
                    sample::write_io(&spec, out)
                }
            };
            match output.as_deref() {
                Some(path) => std::fs::File::create(path)
                    .and_then(|file| {
                        let mut out = std::io::BufWriter::with_capacity(BUFFER, file);
                        write(&mut out)?;
                        out.flush()
                    })
                    .map_err(|e| {
                        Failure(format!("cannot write {}: {e}", path.display()), Status::Io)
                    }),
                None => {
                    let mut out =
                        std::io::BufWriter::with_capacity(BUFFER, std::io::stdout().lock());
                    match write(&mut out).and_then(|()| out.flush()) {
                        // A closed pipe (`| head`) is not an error worth reporting.
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            Err(Failure(format!("cannot write output: {e}"), Status::Io))
                        }
                        _ => Ok(()),
                    }
                }
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, status)) => {
            eprintln!("error: {}", table::escape(&message));
            ExitCode::from(status.code())
        }
    }
}

fn customer_list(
    input: &Input,
    filter: CustomerFilter,
    encoding: &str,
    language: ListLanguage,
    output: Option<PathBuf>,
) -> Result<(), Failure> {
    let encoding =
        CsvEncoding::parse(encoding).map_err(|e| Failure(e.to_string(), Status::Usage))?;
    if let Some(output) = &output {
        refuse_overwriting(&input.file, output)?;
    }
    let analysis = analyze(input, true, true)?;
    if let Some(mut shown) = fitting(input) {
        analysis.fit_models(&mut |step| shown.step(step));
        shown.finish();
    }
    let list = analysis.customers_csv(&filter, encoding, language);
    if list.unwritable > 0 {
        let values = if list.unwritable == 1 {
            "value"
        } else {
            "values"
        };
        eprintln!(
            "warning: {} {values} could not be written in Shift_JIS: use UTF-8 (each is written with \
             &#x…; references to the characters Shift_JIS lacks)",
            list.unwritable
        );
    }
    if output.is_none() && terminal::stdout_is_terminal() {
        return write_output(None, &terminal::escape_csv(&list.bytes, encoding));
    }
    write_output(output.as_deref(), &list.bytes)
}

/// Refuses an output file that is the input itself (by another name too: `./`, a symbolic or a hard
/// link), which writing would destroy before it is read.
fn refuse_overwriting(input: &Path, output: &Path) -> Result<(), Failure> {
    if input.as_os_str() == "-" {
        return Ok(());
    }
    if same_file(input, output) {
        return Err(Failure(
            format!(
                "the output file {} is the input file {}: write the list to another file",
                output.display(),
                input.display()
            ),
            Status::Usage,
        ));
    }
    Ok(())
}

/// Whether two paths name one existing file: the same device and inode.
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        // An output that does not exist yet cannot be the input.
        _ => false,
    }
}

/// Whether two paths name one existing file: the same canonical path.
#[cfg(not(unix))]
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The display of the models' fitting after `input` is read: shown when reading's progress was.
fn fitting(input: &Input) -> Option<progress::Fitting> {
    let size = std::fs::metadata(&input.file)
        .ok()
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len());
    progress::Fitting::new(input.progress.mode(), size)
}

/// Reads the input file through the analyzer and analyses it; `models` says whether the Report has its
/// `models` section, `contacts` whether the customers' e-mails and names are kept (only customer lists
/// show them).
fn analyze(input: &Input, models: bool, contacts: bool) -> Result<Analysis, Failure> {
    let options = Options {
        models,
        ..input.reading.apply(input.analysis.options())
    };
    let mut analyzer = read(&input.file, options, contacts, &input.progress)?;
    analyzer.finish().map_err(failure)
}

/// Reads `path` in 4 MiB chunks (`chunks`) through a new analyzer with `options` (keeping the
/// customers' e-mails and names when `contacts` says so), showing the progress; the analyzer is left to
/// be finished.
fn read(
    path: &Path,
    options: Options,
    contacts: bool,
    progress: &ProgressArgs,
) -> Result<Analyzer, Failure> {
    let failed = failure;
    let analyzer = Analyzer::new(options).map_err(|e| Failure(e.to_string(), Status::Usage))?;
    let mut analyzer = if contacts {
        analyzer
    } else {
        analyzer.without_contacts()
    };
    let (mut reader, size) = open(path)?;
    let mut progress = Progress::new(progress.mode(), size);
    // A file is read one chunk ahead, on a second thread; standard input in turn.
    let ahead = size.is_some();
    chunks::each(&mut *reader, ahead, |chunk| {
        analyzer.push(chunk)?;
        if let Some(progress) = &mut progress {
            progress.advance(chunk.len());
        }
        Ok(())
    })
    .map_err(|stop| match stop {
        chunks::Stop::Read(e) => {
            Failure(format!("cannot read {}: {e}", path.display()), Status::Io)
        }
        chunks::Stop::Take(e) => failed(e),
    })?;
    if let Some(progress) = progress {
        progress.finish();
    }
    Ok(analyzer)
}

/// An analyzer error: an option error (a column override naming no column) is bad usage, anything
/// else a refused input.
fn failure(error: ltv_lens::Error) -> Failure {
    let status = match error.kind() {
        ErrorKind::InvalidOption(_) => Status::Usage,
        _ => Status::Refused,
    };
    Failure(error.to_string(), status)
}

/// Opens the input file, or standard input for `-`, with its size when it is known (a file's).
fn open(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>), Failure> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let cannot_open = |e| Failure(format!("cannot open {}: {e}", path.display()), Status::Io);
    let file = std::fs::File::open(path).map_err(cannot_open)?;
    let size = file.metadata().map_err(cannot_open)?.len();
    Ok((Box::new(file), Some(size)))
}

/// The `columns` command: the preview of the first 64 KiB of `file`.
fn show_columns(
    file: &Path,
    columns: Vec<(Role, Option<String>)>,
    json: bool,
) -> Result<(), Failure> {
    let mut head = Vec::with_capacity(ltv_lens::SNIFF_BYTES);
    open(file)?
        .0
        .take(ltv_lens::SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display()), Status::Io))?;
    let options = Options {
        columns,
        ..Options::default()
    };
    let preview = ltv_lens::preview(&head, &options).map_err(failure)?;
    let text = if json {
        json::to_string(&preview)
            .map_err(|e| Failure(format!("cannot write the JSON: {e}"), Status::Io))?
    } else {
        render_preview(&preview)
    };
    write_output(None, text.as_bytes())
}

/// The preview for people: the header row, each column with its roles and examples, what is missing.
fn render_preview(preview: &ltv_lens::Preview) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let delimiter = match preview.delimiter.as_str() {
        "\t" => "tab",
        ";" => "semicolon",
        _ => "comma",
    };
    let _ = writeln!(
        out,
        "{} ({}, {delimiter}-separated), {} on line {}",
        preview.format,
        preview.encoding,
        if preview.header_found {
            "header"
        } else {
            "no header found; first record"
        },
        preview.header_line
    );
    for column in &preview.columns {
        let roles = if column.roles.is_empty() {
            "-".to_string()
        } else {
            keys(&column.roles)
        };
        let _ = writeln!(
            out,
            "{:>3}  {:<28} {:<22} {}",
            column.index + 1,
            table::escape(&column.name),
            roles,
            table::escape(&column.examples.join(" | "))
        );
    }
    if let Some(problem) = &preview.problem {
        let _ = writeln!(out, "missing: {}", keys(&preview.missing));
        let _ = writeln!(out, "{}", table::escape(problem));
    }
    out
}

/// Role keys joined with commas.
fn keys(roles: &[Role]) -> String {
    let keys: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
    keys.join(", ")
}

/// Writes to `path`, or to standard output.
fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(path) = path {
        return std::fs::write(path, bytes)
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display()), Status::Io));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure(format!("cannot write output: {e}"), Status::Io))
        }
        _ => Ok(()),
    }
}
