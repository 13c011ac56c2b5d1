//! Ingest: the bytes of an order export in, counted orders and customer identities out.
//!
//! Stages, one direction: [`decode`] (encoding, delimiter) → [`records`] (CSV records with line
//! numbers) → [`columns`] (the header and the role of each column) → [`orders`] (rows collapsed into
//! orders, exclusions, customer keys). [`values`] parses single field values. Nothing here knows about
//! the analyses; they start from the [`Dataset`] this module hands over.

pub(crate) mod canonical;
pub(crate) mod columns;
pub(crate) mod decode;
pub(crate) mod exact_sums;
pub(crate) mod identity;
pub(crate) mod interner;
pub(crate) mod notices;
pub(crate) mod orders;
pub(crate) mod outliers;
pub(crate) mod presets;
pub(crate) mod preview;
pub(crate) mod records;
pub(crate) mod row_checks;
pub(crate) mod subscription;
pub(crate) mod values;

use crate::error::{Error, ErrorKind};
use columns::{Columns, NotHeader, Rejected, Role};
use decode::{Decoder, Detected, TextEncoding};
use notices::Notice;
use orders::OrderBook;
pub(crate) use orders::{Dataset, Order, OrderTraits};
use records::{Record, RecordReader};
use row_checks::RowChecks;

/// How many non-blank records may come before the header (title rows, notes).
pub const MAX_RECORDS_BEFORE_HEADER: u32 = 30;

enum Stage {
    /// Looking for the header among the first records.
    SeekingHeader {
        records: u32,
        first: Option<Vec<String>>,
        best: Option<NotHeader>,
    },
    /// Reading data rows.
    Reading {
        book: Box<OrderBook>,
        header_line: u64,
        checks: RowChecks,
    },
}

impl Stage {
    fn start() -> Self {
        Stage::SeekingHeader {
            records: 0,
            first: None,
            best: None,
        }
    }
}

/// Streams an export into a [`Dataset`]: push chunks of any size, then finish.
pub(crate) struct Ingest {
    decoder: Decoder,
    records: Option<RecordReader>,
    stage: Stage,
    /// The user's column overrides (see [`columns::detect_with`]).
    overrides: Vec<(Role, Option<String>)>,
    /// The user's day/month order for year-last dates that the column does not settle.
    date_order: Option<values::DayOrder>,
    /// Which order dates are outliers, and whether they are kept.
    date_checks: outliers::DateChecks,
    /// Whether the customers' e-mails and names are kept ([`Ingest::without_contacts`]).
    contacts: bool,
}

impl Ingest {
    /// An ingest reading the columns as detected, then as `overrides` say, in the `encoding` chosen
    /// (detected when `None`).
    pub(crate) fn new(
        overrides: &columns::ColumnOverrides,
        date_order: Option<values::DayOrder>,
        date_checks: outliers::DateChecks,
        encoding: Option<TextEncoding>,
    ) -> Self {
        Ingest {
            decoder: Decoder::with_encoding(encoding),
            records: None,
            stage: Stage::start(),
            overrides: overrides.to_vec(),
            date_order,
            date_checks,
            contacts: true,
        }
    }

    /// Keeps no customer's e-mail or name, which the Report does not use: for a Report alone, with
    /// less memory for a large file. Call before the first chunk.
    pub(crate) fn without_contacts(&mut self) {
        self.contacts = false;
    }

    /// Feeds a chunk; `last` marks the end of the input.
    pub(crate) fn feed(&mut self, chunk: &[u8], last: bool) -> Result<(), Error> {
        let (text, detected) = self.decoder.feed(chunk, last)?;
        let Some(Detected { delimiter, .. }) = detected else {
            return Ok(());
        };
        let records = self
            .records
            .get_or_insert_with(|| RecordReader::new(delimiter));
        let stage = &mut self.stage;
        let overrides = &self.overrides;
        let contacts = self.contacts;
        let mut on_record = |record: Record<'_>| take_record(stage, overrides, contacts, &record);
        records.push(text, &mut on_record)?;
        if last {
            records.finish(&mut on_record)?;
        }
        Ok(())
    }

    /// Ends the input (after a last `feed(.., true)`) and settles every order.
    pub(crate) fn finish(&mut self) -> Result<Dataset, Error> {
        let (mut dataset, header_line) = self.finish_rows(self.date_checks)?;
        check_exact_sums(&dataset)?;
        check_rows(&dataset, header_line)?;
        // Needed no further: only a partial state keeps them.
        dataset.first_lines = Vec::new();
        Ok(dataset)
    }

    /// Like [`Ingest::finish`], with the line of the header, the outlier dates checked with
    /// `date_checks`, and without refusing a file (one shard of a file may have no rows, or amounts
    /// that add up past the limit before its outliers are left out: [`check_exact_sums`] and
    /// [`check_rows`] are applied to the merged whole).
    pub(crate) fn finish_rows(
        &mut self,
        date_checks: outliers::DateChecks,
    ) -> Result<(Dataset, u64), Error> {
        let stage = std::mem::replace(&mut self.stage, Stage::start());
        let detected = self.decoder.detected().ok_or(ErrorKind::Empty)?;
        let (book, header_line, checks) = match stage {
            Stage::SeekingHeader { first, best, .. } => return Err(no_header(first, best)),
            Stage::Reading {
                book,
                header_line,
                checks,
            } => (book, header_line, checks),
        };
        let mut dataset = book.finish(detected.encoding, self.date_order, date_checks);
        checks.finish(&mut dataset.warnings);
        if let Some(call) = detected.close_call {
            // File-wide and first to read: at the top of the list.
            let notice = Notice::EncodingCloseCall {
                chosen: detected.encoding.as_str(),
                other: call.other.as_str(),
                utf8_chars: call.utf8_chars,
                not_utf8: call.not_utf8,
            };
            dataset.warnings.insert(0, notice.warning(None, None));
            dataset.warnings.truncate(orders::MAX_WARNINGS);
        }
        // Every data row is in an order (counted or excluded) or skipped; the fuzz target runs with
        // debug assertions to hold the code to it.
        debug_assert_eq!(dataset.rows, dataset.rows_in_orders + dataset.skipped_rows);
        Ok((dataset, header_line))
    }
}

/// Refuses a file whose amounts add up past what the Report states exactly ([`exact_sums`]).
pub(crate) fn check_exact_sums(dataset: &Dataset) -> Result<(), Error> {
    match &dataset.beyond_exact {
        Some((line, limit)) => Err(ErrorKind::AmountsTooLarge {
            line: *line,
            limit: limit.clone(),
        }
        .into()),
        None => Ok(()),
    }
}

/// Refuses a file with no data rows, or whose every row was skipped.
pub(crate) fn check_rows(dataset: &Dataset, header_line: u64) -> Result<(), Error> {
    if dataset.rows == 0 {
        return Err(ErrorKind::NoRows { header_line }.into());
    }
    if dataset.skipped_rows == dataset.rows {
        let first_problem = dataset
            .warnings
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(ErrorKind::NoUsableRows {
            rows: dataset.rows,
            first_problem,
        }
        .into());
    }
    Ok(())
}

/// Takes one record; answers the header's width when `record` is the header. The book made at the
/// header keeps the customers' e-mails and names when `contacts` says so.
fn take_record(
    stage: &mut Stage,
    overrides: &columns::ColumnOverrides,
    contacts: bool,
    record: &Record<'_>,
) -> Result<Option<usize>, Error> {
    if let Stage::Reading { book, checks, .. } = stage {
        checks.take(record, book);
        return Ok(None);
    }
    if record.is_blank() {
        return Ok(None);
    }
    match stage {
        Stage::Reading { .. } => {}
        Stage::SeekingHeader {
            records,
            first,
            best,
        } => match columns::detect_with(record, overrides) {
            Ok(columns) => {
                let book = OrderBook::new(columns);
                *stage = Stage::Reading {
                    book: Box::new(if contacts {
                        book
                    } else {
                        book.without_contacts()
                    }),
                    header_line: record.line,
                    checks: RowChecks::new(record.len()),
                };
                return Ok(Some(record.len()));
            }
            Err(Rejected::UnknownColumn { role, name, names }) => {
                return Err(columns::unknown_column(role, &name, &names));
            }
            Err(Rejected::NotHeader(not_header)) => {
                if first.is_none() {
                    *first = Some(record.fields().map(values::bounded_text).collect());
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
    Ok(None)
}

/// The error when no record is the header: an override naming a column no record has, else the
/// roles missing from the best candidate.
fn no_header(first: Option<Vec<String>>, best: Option<NotHeader>) -> Error {
    if let Some(NotHeader {
        unknown: Some((role, name)),
        names,
        ..
    }) = &best
    {
        return columns::unknown_column(*role, name, names);
    }
    // Yahoo!ショッピング exports its orders in two files; the items file alone has no date or buyer.
    let is_yahoo_items = first.as_ref().is_some_and(|names| {
        let has = |want: &str| names.iter().any(|n| columns::normalize(n) == want);
        ["orderid", "lineid", "itemid", "unitprice"]
            .iter()
            .all(|n| has(n))
            && !has("ordertime")
    });
    if is_yahoo_items {
        return ErrorKind::ItemsFile {
            platform: "Yahoo!ショッピング",
            orders_file: "OrderId, OrderTime, BillMailAddress",
        }
        .into();
    }
    let missing = best
        .map(|b| b.missing)
        .unwrap_or_else(|| vec!["order date", "amount"]);
    ErrorKind::NoHeader {
        found: first.unwrap_or_default(),
        missing,
    }
    .into()
}

/// The header name used for each role, for `input.columns`.
pub(crate) fn column_names(
    columns: &Columns,
) -> std::collections::BTreeMap<&'static str, Option<String>> {
    columns
        .roles()
        .map(|(role, name): (Role, _)| (role.as_str(), name.map(str::to_string)))
        .collect()
}
