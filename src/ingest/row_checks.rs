//! The checks a data row passes before its values are read: a row with more fields than the header
//! and a row whose bytes are not text. The rule (README "Input formats"):
//!
//! - a row holding a NUL byte is skipped, with a located warning (`nul_byte`), wherever it lies;
//! - a row with more fields than the header whose extra fields are not all empty is skipped with a
//!   located warning (`extra_fields`): an unquoted delimiter inside a value (the thousands separator
//!   of `1,200`, a comma in a note) shifts every column after it, and which one it was cannot be told,
//!   so no value of the row is taken;
//! - a row whose extra fields are all empty (trailing delimiters, as some exports write) is read
//!   without them, and counted in one warning located at the first such row (`extra_empty_fields`);
//! - a row holding bytes that are not UTF-8 is read (those bytes as U+FFFD, so an amount with one is
//!   not an amount and skips its row as such) and counted in one warning located at the first
//!   (`not_utf8`).
//!
//! It also places the runaway-quote warning, listed when the quote opens and worded when its lines
//! are over, so that it keeps the place it would have had if its count had been known at once.

use super::notices::Notice;
use super::orders::OrderBook;
use super::records::{Record, Runaway};
use crate::report::Warning;

/// Rows counted into one warning: how many, and the place of that warning in the list.
#[derive(Default)]
struct Counted {
    rows: u64,
    place: Option<usize>,
}

impl Counted {
    fn count(&mut self, book: &mut OrderBook, line: u64, notice: fn(u64) -> Notice) {
        self.rows += 1;
        if self.rows == 1 {
            self.place = book.warn_for_now(line, notice(1));
        }
    }

    fn reword(&self, warnings: &mut [Warning], notice: fn(u64) -> Notice) {
        if let Some(warning) = self.place.and_then(|place| warnings.get_mut(place)) {
            *warning = notice(self.rows).warning(warning.row, None);
        }
    }
}

fn extra_empty(count: u64) -> Notice {
    Notice::ExtraEmptyFields { count }
}

fn not_utf8(count: u64) -> Notice {
    Notice::NotUtf8 { count }
}

/// The row checks of one file.
pub(crate) struct RowChecks {
    /// The header's number of fields.
    header: usize,
    extra_empty: Counted,
    not_utf8: Counted,
    /// The place of the warning of a runaway quote whose lines are being read.
    runaway: Option<usize>,
}

impl RowChecks {
    /// Checks for a header of `header` fields.
    pub(crate) fn new(header: usize) -> Self {
        RowChecks {
            header,
            extra_empty: Counted::default(),
            not_utf8: Counted::default(),
            runaway: None,
        }
    }

    /// Takes one data record into `book`: read, or skipped with its warning. Blank records are not
    /// rows, but a runaway quote may open or close on one.
    pub(crate) fn take(&mut self, record: &Record<'_>, book: &mut OrderBook) {
        match record.runaway {
            Some(Runaway::Opens) => {
                self.runaway = book.warn_for_now(record.line, Notice::RunawayQuote { lines: 0 });
            }
            Some(Runaway::Closes { lines }) => {
                if let Some(place) = self.runaway.take() {
                    let lines = lines.saturating_sub(1);
                    book.reword(place, &Notice::RunawayQuote { lines });
                }
            }
            None => {}
        }
        if record.is_blank() {
            return;
        }
        if record.damage.nul {
            return book.skip_row(record.line, Notice::NulByte);
        }
        if record.len() > self.header {
            let extra = (self.header..record.len()).map(|i| record.field(i));
            if extra.clone().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                self.extra_empty.count(book, record.line, extra_empty);
            } else {
                let notice = Notice::ExtraFields {
                    fields: record.len() as u64,
                    header: self.header as u64,
                };
                return book.skip_row(record.line, notice);
            }
        }
        if record.damage.not_utf8 {
            self.not_utf8.count(book, record.line, not_utf8);
        }
        book.add_row(record);
    }

    /// Words the counted warnings with their counts, in the finished list.
    pub(crate) fn finish(&self, warnings: &mut [Warning]) {
        self.extra_empty.reword(warnings, extra_empty);
        self.not_utf8.reword(warnings, not_utf8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::columns::detect;
    use crate::ingest::decode::TextEncoding;
    use crate::ingest::notices::WarningCode;
    use crate::ingest::orders::Dataset;
    use crate::ingest::records::RecordReader;

    /// Runs `csv` (header first, in chunks of `chunk` bytes) through the checks into an OrderBook.
    fn read(csv: &[u8], chunk: usize) -> Dataset {
        let mut reader = RecordReader::new(b',');
        let mut book: Option<(OrderBook, RowChecks)> = None;
        let mut take = |r: Record<'_>| {
            match book.as_mut() {
                None => {
                    book = Some((OrderBook::new(detect(&r).unwrap()), RowChecks::new(r.len())));
                    return Ok(Some(r.len()));
                }
                Some((book, checks)) => checks.take(&r, book),
            }
            Ok(None)
        };
        for piece in csv.chunks(chunk) {
            reader.push(piece, &mut take).unwrap();
        }
        reader.finish(&mut take).unwrap();
        let (book, checks) = book.unwrap();
        let mut dataset = book.finish(TextEncoding::Utf8, None, Default::default());
        checks.finish(&mut dataset.warnings);
        dataset
    }

    #[test]
    fn an_unclosed_quote_loses_no_row_and_says_where_it_opened() {
        let mut csv = String::from("id,customer,date,amount,note\n");
        for i in 1..=20 {
            let note = if i == 5 { "\"gift for mom" } else { "ok" };
            csv.push_str(&format!("{i},c{i}@x.com,2024-01-{i:02},10,{note}\n"));
        }
        for chunk in [1, 7, csv.len()] {
            let orders = read(csv.as_bytes(), chunk);
            assert_eq!((orders.rows, orders.skipped_rows), (20, 0));
            assert_eq!(orders.orders.len(), 20);
            assert_eq!(orders.warnings.len(), 1);
            assert_eq!(orders.warnings[0].row, Some(6)); // data row 5 is line 6
                                                         // Lines 6 to 21 would have been one value: the 15 after line 6.
            assert!(
                orders.warnings[0].message.contains("next 15 lines"),
                "{}",
                orders.warnings[0].message
            );
        }
    }

    #[test]
    fn extra_fields_skip_their_row_unless_they_are_empty() {
        let csv = b"order id,customer id,order date,amount\n\
            O1,C1,2024-01-01,1,200\n\
            O2,C1,2024-01-02,300,,\n\
            O3,C2,2024-01-03,50, ,\n\
            O4,C2,2024-01-04,70\n";
        let orders = read(csv, csv.len());
        // O1 (line 2) is skipped: 1 or 1,200 cannot be told. O2 and O3 end in empty fields: read.
        assert_eq!((orders.rows, orders.skipped_rows), (4, 1));
        let revenue: i64 = orders.orders.iter().map(|o| o.revenue).sum();
        assert_eq!(
            revenue,
            (300 + 50 + 70) * crate::ingest::values::MONEY_SCALE
        );
        let got: Vec<_> = orders
            .warnings
            .iter()
            .map(|w| (w.row, w.code, w.args.get("count").cloned()))
            .collect();
        assert_eq!(
            got,
            [
                (Some(2), WarningCode::ExtraFields, None),
                (
                    Some(3),
                    WarningCode::ExtraEmptyFields,
                    Some("2".to_string())
                ),
            ]
        );
        assert_eq!(orders.warnings[0].args["fields"], "5");
        assert_eq!(orders.warnings[0].args["header"], "4");
    }

    #[test]
    fn a_nul_skips_its_row_and_bytes_that_are_not_utf8_are_counted() {
        let csv = b"order id,customer id,order date,amount\n\
            O1,C1,2024-01-01,100\n\
            O2,C\xff1,2024-01-02,300\n\
            O3,C2\0,2024-01-03,50\n\
            O4,C\xfe2,2024-01-04,70\n";
        for chunk in [1, 5, csv.len()] {
            let orders = read(csv, chunk);
            assert_eq!((orders.rows, orders.skipped_rows), (4, 1));
            let got: Vec<_> = orders
                .warnings
                .iter()
                .map(|w| (w.row, w.code, w.args.get("count").cloned()))
                .collect();
            assert_eq!(
                got,
                [
                    (Some(3), WarningCode::NotUtf8, Some("2".to_string())),
                    (Some(4), WarningCode::NulByte, None),
                ]
            );
        }
    }
}
