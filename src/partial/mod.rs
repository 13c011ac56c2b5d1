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
//! A shard may be named ([`PartialState::named`]: the command line names it after its file). When
//! states are merged, each located warning of the merged Report carries its shard's name as the
//! argument `shard`: the warnings the shards read are labelled when they are merged, and the ones
//! decided over the merged state (outlier dates) from the shard of their order, which a merged state
//! keeps with the order's line ([`pack`]). A state of one shard, and a whole file, label nothing.
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

/// Bits of an order's line in a merged state's `first_lines`; the bits above hold its shard ([`pack`]).
const LINE_BITS: u32 = 40;
/// The largest line a state holds.
const MAX_LINE: u64 = (1 << LINE_BITS) - 1;

/// An order's line in its shard's file with its shard, as a merged state keeps them in `first_lines`:
/// `shard` 0 for a shard without a name, else 1 + the name's place in [`Shards::Merged`].
fn pack(line: u64, shard: u64) -> u64 {
    line | (shard << LINE_BITS)
}

/// The line and the shard of a [`pack`]ed line (shard 0 for a state of one shard).
fn unpack(packed: u64) -> (u64, u64) {
    (packed & MAX_LINE, packed >> LINE_BITS)
}

/// The shard or shards a state holds, for the shard label of located warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shards {
    /// One shard read by `finish_partial`, with its name if it was given one.
    One(Option<String>),
    /// States merged: the distinct names of their named shards, sorted; the shard of each order is
    /// [`pack`]ed with its line.
    Merged(Vec<String>),
}

/// Leaves the orders with outlier dates out of the merged `dataset` as [`outliers::leave_out`] does
/// for a file read whole, with their warnings among the located ones (`merge::with_located`), each
/// labelled with the shard of its order (`names`: [`Shards::Merged`]); the lines are unpacked.
fn leave_out_outliers(dataset: &mut Dataset, checks: DateChecks, names: &[String]) {
    // The orders' positions stand for their lines while outliers are found.
    let packed = std::mem::take(&mut dataset.first_lines);
    dataset.first_lines = (0..packed.len() as u64).collect();
    let (count, notices) = if checks.keep {
        (0, Vec::new())
    } else {
        outliers::leave_out(
            &mut dataset.orders,
            &mut dataset.first_lines,
            &mut dataset.dates.other_readings,
            checks.today,
        )
    };
    let line_of = |position: u64| unpack(packed[position as usize]);
    let date_column = dataset.columns.get(Role::Date.as_str()).cloned().flatten();
    let warnings: Vec<_> = notices
        .into_iter()
        .map(|(position, notice)| {
            let (line, shard) = position.map(line_of).unzip();
            let mut warning = notice.warning(line, date_column.clone());
            let name = shard.and_then(|s| names.get((s as usize).checked_sub(1)?));
            if let Some(name) = name {
                warning.args.insert(merge::SHARD, name.clone());
            }
            warning
        })
        .collect();
    dataset.first_lines = dataset
        .first_lines
        .iter()
        .map(|&position| line_of(position).0)
        .collect();
    if count == 0 {
        return;
    }
    dataset.outlier_orders = count;
    merge::with_located(&mut dataset.warnings, warnings.into_iter());
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
    /// The shard's name, or the names of the shards merged.
    shards: Shards,
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
            shards: Shards::One(None),
        }
    }

    /// The state of one shard with the shard's `name` (a file name, say; empty for none), which each
    /// of its located warnings carries as the argument `shard` once it is merged with others. A merged
    /// state keeps the names of its shards and is returned as it is.
    pub fn named(mut self, name: &str) -> PartialState {
        if let Shards::One(own) = &mut self.shards {
            *own = (!name.is_empty()).then(|| name.to_string());
        }
        self
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
        let names = match &self.shards {
            Shards::Merged(names) => names.as_slice(),
            Shards::One(_) => &[],
        };
        leave_out_outliers(&mut dataset, checks, names);
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
