//! The streaming analyzer: `push` byte chunks, then `finish` for the [`Report`]. It wires the
//! pipeline stages together: decode → CSV records → header detection → orders → metrics.

use crate::columns::{self, Columns, Role};
use crate::decode::{Decoder, Detected};
use crate::error::{Error, ErrorKind};
use crate::metrics;
use crate::orders::OrderBook;
use crate::records::{Record, RecordReader};
use crate::report::{InputSummary, Report, SCHEMA_VERSION};
use crate::value::{date_to_day, format_day};
use chrono::NaiveDate;

/// How many non-blank records may come before the header (title rows, notes).
pub const MAX_RECORDS_BEFORE_HEADER: u32 = 30;

/// Analysis settings. The core never reads the clock: without `as_of` the analysis date is the
/// latest order date, so results depend on the input alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The F2 window W in days (1..=3650, default 365).
    pub f2_window_days: u32,
    /// The analysis date; default: the latest date of an order that counts.
    pub as_of: Option<NaiveDate>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            f2_window_days: 365,
            as_of: None,
        }
    }
}

impl Options {
    /// Checks the values are in range.
    pub fn validate(&self) -> Result<(), Error> {
        if !(1..=3650).contains(&self.f2_window_days) {
            return Err(ErrorKind::InvalidOption(format!(
                "the F2 window must be 1 to 3650 days, not {}",
                self.f2_window_days
            ))
            .into());
        }
        Ok(())
    }

    /// Parses an `as_of` value written `YYYY-MM-DD`.
    pub fn parse_as_of(value: &str) -> Result<NaiveDate, Error> {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
            ErrorKind::InvalidOption(format!(
                "as-of date {value:?} is not a date written YYYY-MM-DD"
            ))
            .into()
        })
    }
}

enum Stage {
    /// Looking for the header among the first records.
    SeekingHeader {
        records: u32,
        first: Option<Vec<String>>,
        best: Option<columns::NotHeader>,
    },
    /// Reading data rows.
    Reading {
        book: Box<OrderBook>,
        header_line: u64,
    },
}

/// Streams an order export and produces its [`Report`].
///
/// ```
/// use ltv_lens::{Analyzer, Options};
///
/// let csv = "order id,email,order date,amount\n\
///            1,a@example.com,2024-01-05,30\n\
///            2,b@example.com,2024-01-09,20\n\
///            3,A@example.com,2024-02-01,25\n";
/// let mut analyzer = Analyzer::new(Options::default())?;
/// for chunk in csv.as_bytes().chunks(16) {
///     analyzer.push(chunk)?;
/// }
/// let report = analyzer.finish()?;
/// assert_eq!(report.kpis.customers, 2);
/// assert_eq!(report.kpis.repeat_rate, Some(0.5));
/// # Ok::<(), ltv_lens::Error>(())
/// ```
pub struct Analyzer {
    options: Options,
    decoder: Decoder,
    records: Option<RecordReader>,
    stage: Stage,
    failed: Option<Error>,
    finished: bool,
}

impl Analyzer {
    /// A new analyzer; fails on out-of-range options.
    pub fn new(options: Options) -> Result<Self, Error> {
        options.validate()?;
        Ok(Analyzer {
            options,
            decoder: Decoder::new(),
            records: None,
            stage: Stage::SeekingHeader {
                records: 0,
                first: None,
                best: None,
            },
            failed: None,
            finished: false,
        })
    }

    /// Feeds the next chunk of the file. Chunks may split lines and characters anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Error> {
        self.feed(chunk, false)
    }

    /// Ends the input and computes the Report.
    pub fn finish(&mut self) -> Result<Report, Error> {
        self.feed(&[], true)?;
        self.finished = true;
        let stage = std::mem::replace(
            &mut self.stage,
            Stage::SeekingHeader {
                records: 0,
                first: None,
                best: None,
            },
        );
        let detected = self.decoder.detected().ok_or(ErrorKind::Empty)?;
        match stage {
            Stage::SeekingHeader { first, best, .. } => Err(no_header(first, best)),
            Stage::Reading { book, header_line } => {
                build_report(*book, header_line, detected, &self.options)
            }
        }
    }

    fn feed(&mut self, chunk: &[u8], last: bool) -> Result<(), Error> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.finished {
            return Err(ErrorKind::AlreadyFinished.into());
        }
        let result = self.feed_inner(chunk, last);
        if let Err(error) = &result {
            self.failed = Some(error.clone());
        }
        result
    }

    fn feed_inner(&mut self, chunk: &[u8], last: bool) -> Result<(), Error> {
        let (text, detected) = self.decoder.feed(chunk, last)?;
        let Some(Detected { delimiter, .. }) = detected else {
            return Ok(());
        };
        let records = self
            .records
            .get_or_insert_with(|| RecordReader::new(delimiter));
        let stage = &mut self.stage;
        let mut on_record = |record: Record<'_>| take_record(stage, &record);
        records.push(text, &mut on_record)?;
        if last {
            records.finish(&mut on_record)?;
        }
        Ok(())
    }
}

fn take_record(stage: &mut Stage, record: &Record<'_>) -> Result<(), Error> {
    if record.is_blank() {
        return Ok(());
    }
    match stage {
        Stage::Reading { book, .. } => book.add_row(record),
        Stage::SeekingHeader {
            records,
            first,
            best,
        } => match columns::detect(record) {
            Ok(columns) => {
                *stage = Stage::Reading {
                    book: Box::new(OrderBook::new(columns)),
                    header_line: record.line,
                };
            }
            Err(not_header) => {
                if first.is_none() {
                    *first = Some(
                        record
                            .fields()
                            .map(|f| String::from_utf8_lossy(f).trim().to_string())
                            .collect(),
                    );
                }
                if best.as_ref().is_none_or(|b| not_header.matched > b.matched) {
                    *best = Some(not_header);
                }
                *records += 1;
                if *records >= MAX_RECORDS_BEFORE_HEADER {
                    return Err(no_header(first.take(), best.take()));
                }
            }
        },
    }
    Ok(())
}

fn no_header(first: Option<Vec<String>>, best: Option<columns::NotHeader>) -> Error {
    let missing = best
        .map(|b| b.missing)
        .unwrap_or_else(|| vec!["order date", "amount"]);
    ErrorKind::NoHeader {
        found: first.unwrap_or_default(),
        missing,
    }
    .into()
}

fn build_report(
    book: OrderBook,
    header_line: u64,
    detected: Detected,
    options: &Options,
) -> Result<Report, Error> {
    let columns: Columns = book.columns().clone();
    let orders = book.finish();
    if orders.rows == 0 {
        return Err(ErrorKind::NoRows { header_line }.into());
    }
    if orders.skipped_rows == orders.rows {
        let first_problem = orders
            .warnings
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(ErrorKind::NoUsableRows {
            rows: orders.rows,
            first_problem,
        }
        .into());
    }
    let as_of = options
        .as_of
        .map(date_to_day)
        .or_else(|| orders.orders.iter().map(|o| o.day).max());
    let histories = metrics::histories(&orders.orders, orders.customer_count);
    let gaps = metrics::second_purchase_gaps(&histories);
    let window = options.f2_window_days;
    // With no counted order there is no date to measure from; every count below is then zero.
    let as_of_day = as_of.unwrap_or_default();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        as_of: as_of.map(format_day),
        currency: orders.currency.clone(),
        input: InputSummary {
            format: columns.format.name(),
            encoding: detected.encoding.name(),
            columns: columns
                .roles()
                .map(|(role, name): (Role, _)| (role.key(), name.map(str::to_string)))
                .collect(),
            rows: orders.rows,
            orders_seen: orders.orders_seen,
            excluded_orders: orders.excluded_orders,
            orders_without_customer: orders
                .orders
                .iter()
                .filter(|o| o.customer.is_none())
                .count() as u64,
            skipped_rows: orders.skipped_rows,
            warnings: orders.warnings,
        },
        kpis: metrics::kpis(&orders.orders, &histories, &gaps, as_of_day, window),
        f2_by_window: metrics::f2_by_window(&histories, as_of_day, window),
        funnel: metrics::funnel(&histories),
        days_to_second_histogram: metrics::histogram(&gaps),
        monthly: metrics::monthly(&orders.orders, &histories),
    })
}
