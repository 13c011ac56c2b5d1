//! Partial states: one shard of an export read into what the Report needs from it, merged with the
//! other shards' into the Report the whole export gives, when every order of each customer is in one
//! shard (the export split by customer, as Spark or Dask partition it by the hash of the customer).
//!
//! A state holds, per customer, the counted orders (day, time, revenue in minor units, channel,
//! distinct products, discount, subscription values) and the customer's key, e-mail and name; the guest
//! orders; the product, channel and subscription-id texts; the ingest summary (rows, orders seen,
//! excluded, skipped, the warnings, the format, encoding, columns and currency); the votes that decide
//! the day/month order of year-last dates with the other reading of every date that can be read both
//! ways; and the reading options it was read with. Everything is kept whole (no value is summarised
//! into something that cannot be merged), so the merge is exact: [`PartialState::merge`] is
//! associative and commutative, and the Report of the merged state equals the Report of the whole
//! export field for field, except `input.warnings` when the shards have located warnings (each
//! shard's lines are lines of its own file; see `merge`).
//!
//! What a whole file decides over all its orders is decided when the merged state becomes an analysis
//! ([`PartialState::into_analysis`]): the outlier dates (a state keeps every order, with its line), the
//! exact-sum limit, and the keys shown for customers (`email:` on a collision that may span shards).
//!
//! The reading options (`columns`, `date_order`, `encoding`) act when a file is read: they are fixed in
//! the state, and states read with different ones are not merged. The analysis options (as_of, the F2
//! window, F bands, the models' options, `today` and `keep_outlier_dates`, …) are given to
//! [`PartialState::into_analysis`]. The byte format is in `format` and the README ("Partial state
//! format").

mod format;
mod merge;

use crate::analyzer::Analysis;
use crate::error::{Error, ErrorKind};
use crate::ingest::canonical::canonical;
use crate::ingest::columns::Role;
use crate::ingest::decode::TextEncoding;
use crate::ingest::outliers::{self, DateChecks};
use crate::ingest::values::{date_to_day, DayOrder};
use crate::ingest::{check_exact_sums, check_rows, exact_sums, Dataset};
use crate::options::Options;

pub use format::STATE_FORMAT_VERSION;

/// Leaves the orders with outlier dates out of the merged `dataset` as [`outliers::leave_out`] does
/// for a file read whole, with their warnings among the located ones (`merge::with_located`).
fn leave_out_outliers(dataset: &mut Dataset, checks: DateChecks) {
    if checks.keep {
        return;
    }
    let (count, notices) = outliers::leave_out(
        &mut dataset.orders,
        &mut dataset.first_lines,
        &mut dataset.dates.other_readings,
        checks.today,
    );
    if count == 0 {
        return;
    }
    dataset.outlier_orders = count;
    let date_column = dataset.columns.get(Role::Date.as_str()).cloned().flatten();
    let warnings = notices
        .into_iter()
        .map(|(line, notice)| notice.warning(line, date_column.clone()));
    merge::with_located(&mut dataset.warnings, warnings);
}

/// What the Report needs from one shard of an export, or from several merged; see the module docs.
///
/// ```
/// use ltv_lens::{Analyzer, Options, PartialState};
///
/// let header = "order id,customer id,order date,total\n";
/// let shard = |rows: &str| -> Result<PartialState, ltv_lens::Error> {
///     let mut analyzer = Analyzer::new(Options::default())?;
///     analyzer.push(header.as_bytes())?;
///     analyzer.push(rows.as_bytes())?;
///     analyzer.finish_partial()
/// };
/// let a = shard("1,A,2024-01-05,100\n2,A,2024-03-01,50\n")?;
/// let b = shard("3,B,2024-02-10,80\n")?;
/// let bytes = a.to_bytes(); // to another machine and back
/// let merged = PartialState::merge(vec![PartialState::from_bytes(&bytes)?, b])?;
/// let report = merged.into_analysis(Options::default())?.report();
/// assert_eq!((report.kpis.customers, report.kpis.orders), (2, 3));
/// assert_eq!(report.kpis.repeat_rate, Some(0.5));
/// # Ok::<(), ltv_lens::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PartialState {
    /// The shard's orders and customers, numbered canonically with the orders grouped by customer
    /// (`crate::ingest::canonical`).
    dataset: Dataset,
    /// The options the shard was read with.
    reading: Reading,
    /// The line of the header row (the first shard's when merged), for the error of an export without
    /// rows.
    header_line: u64,
}

/// The options that act when a file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reading {
    columns: Vec<(Role, Option<String>)>,
    date_order: Option<DayOrder>,
    encoding: Option<TextEncoding>,
}

impl PartialState {
    /// The state of a shard read with `options`.
    pub(crate) fn new(dataset: Dataset, options: &Options, header_line: u64) -> PartialState {
        PartialState {
            dataset,
            reading: Reading {
                columns: options.columns.clone(),
                date_order: options.date_order,
                encoding: options.encoding,
            },
            header_line,
        }
    }

    /// Merges states into one (associative and commutative: any grouping and order of the same states
    /// gives the same state, byte for byte). Refused when the states were read with different reading
    /// options, are of exports with different columns, formats, encodings or currencies, or share a
    /// customer (every order of a customer must be in one shard); also refused for no state at all.
    pub fn merge(states: Vec<PartialState>) -> Result<PartialState, Error> {
        merge::merge(states)
    }

    /// The analysis of the state with the analysis `options`: then [`Analysis::report`],
    /// [`Analysis::customers`], … as for a file read whole. The orders with outlier dates are left out
    /// here (`options.today`, `options.keep_outlier_dates`), over every shard's. `options.columns`,
    /// `options.date_order` and `options.encoding` act when a file is read: they must be left empty or
    /// be the ones the state was read with. Refused, as a whole file would be, when the amounts add up
    /// past the exact limit, no data row was read or every row was skipped.
    pub fn into_analysis(self, options: Options) -> Result<Analysis, Error> {
        options.validate()?;
        let reading = &self.reading;
        if !options.columns.is_empty() && options.columns != reading.columns {
            return Err(ErrorKind::InvalidOption(
                "column overrides act when a file is read: give them when the partial state is \
                 made, not to its Report"
                    .to_string(),
            )
            .into());
        }
        if options.date_order.is_some() && options.date_order != reading.date_order {
            return Err(ErrorKind::InvalidOption(
                "the date order acts when a file is read: give it when the partial state is made, \
                 not to its Report"
                    .to_string(),
            )
            .into());
        }
        if options.encoding.is_some() && options.encoding != reading.encoding {
            return Err(ErrorKind::InvalidOption(
                "the input encoding acts when a file is read: give it when the partial state is \
                 made, not to its Report"
                    .to_string(),
            )
            .into());
        }
        let mut dataset = self.dataset;
        let checks = DateChecks {
            today: options.today.map(date_to_day),
            keep: options.keep_outlier_dates,
        };
        leave_out_outliers(&mut dataset, checks);
        dataset.beyond_exact = exact_sums::first_beyond(&dataset.orders, &dataset.first_lines);
        check_exact_sums(&dataset)?;
        check_rows(&dataset, self.header_line)?;
        dataset.first_lines = Vec::new();
        let options = Options {
            columns: self.reading.columns,
            date_order: self.reading.date_order,
            encoding: self.reading.encoding,
            ..options
        };
        Ok(Analysis::new(canonical(dataset, true), options))
    }

    /// The state as bytes (the format of the README's "Partial state format", version
    /// [`STATE_FORMAT_VERSION`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        format::write(self)
    }

    /// A state from the bytes [`PartialState::to_bytes`] wrote; an [`ErrorKind::InvalidState`] for
    /// bytes of another kind, a truncated or damaged state, or one of another format version.
    pub fn from_bytes(bytes: &[u8]) -> Result<PartialState, Error> {
        format::read(bytes)
    }

    /// Customers with a counted order.
    pub fn customers(&self) -> usize {
        self.dataset.identities.keys.len()
    }

    /// Counted orders (guest orders included).
    pub fn orders(&self) -> usize {
        self.dataset.orders.len()
    }

    /// Data rows read.
    pub fn rows(&self) -> u64 {
        self.dataset.rows
    }
}
