//! A look at the start of a file for the column-mapping screen: what the bytes are (encoding,
//! delimiter), which record is the header (with the user's column overrides), the role each header
//! has, and a few values of each column from the first data rows. It reads at most [`SNIFF_BYTES`],
//! the same window that decides the encoding and delimiter of the whole file, so what it shows is
//! what an analysis of the whole file starts with.

use super::columns::{self, Columns, Format, NotHeader, Rejected, Role};
use super::decode::{Decoder, TextEncoding, SNIFF_BYTES};
use super::records::{Record, RecordReader};
use super::values::bounded_text;
use super::MAX_RECORDS_BEFORE_HEADER;
use crate::error::{Error, ErrorKind};
use crate::options::Options;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many example values each column shows.
pub const EXAMPLES: usize = 3;
/// How many data rows the examples come from.
const DATA_ROWS: usize = 20;
/// Example values are cut to this many characters.
const EXAMPLE_CHARS: usize = 60;

/// The start of a file as the column-mapping screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct Preview {
    /// The text encoding, as `input.encoding`.
    pub encoding: TextEncoding,
    /// The field delimiter: `","`, `"\t"` or `";"`.
    pub delimiter: String,
    /// The platform preset the header is read with, as `input.format` (`generic` when none matched).
    pub format: Format,
    /// Whether a header row with an order date and an amount column was found (overrides applied).
    pub header_found: bool,
    /// 1-based line of the header row, or of the first record when no header was found.
    pub header_line: u64,
    /// The header row's columns in file order (the first record's when no header was found).
    pub columns: Vec<PreviewColumn>,
    /// Header name used for each role (`None` when no column has it), as `input.columns`.
    #[cfg_attr(feature = "schema", ts(type = "Record<Role, string | null>"))]
    pub roles: BTreeMap<&'static str, Option<String>>,
    /// Required roles the header lacks: `date`, and `total` when there is neither an order total nor
    /// a line price.
    pub missing: Vec<Role>,
    /// When no header was found, the sentence an analysis of the file ends in.
    pub problem: Option<String>,
    /// Whether these bytes are the whole file (otherwise its first 64 KiB were looked at).
    pub whole_file: bool,
}

/// One column of the header row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct PreviewColumn {
    /// 0-based position in the row.
    pub index: u32,
    /// The header name as written (trimmed, at most 200 characters).
    pub name: String,
    /// The roles this column has (role keys as in `input.columns`; usually one, none when unused).
    pub roles: Vec<Role>,
    /// Up to three non-empty values of the column from the first data rows, as text.
    pub examples: Vec<String>,
}

/// The [`Preview`] of a file from its first bytes (up to [`SNIFF_BYTES`] are read; pass fewer only
/// when the file is shorter), with the column overrides of `options`. Fails as an analysis would on
/// bytes that are not a CSV file (empty, binary), on invalid options, and on an override naming a
/// column the header does not have.
pub fn preview(first_bytes: &[u8], options: &Options) -> Result<Preview, Error> {
    let (detected, mut seen, whole_file) = read_head(first_bytes, options)?;
    let (start, columns, problem) = match seen.header.take() {
        Some((at, columns)) => (at, columns, None),
        None => {
            let names = seen
                .records
                .first()
                .map(|(_, names)| names.clone())
                .unwrap_or_default();
            let first = seen.records.first().map(|(_, names)| names.clone());
            let problem = super::no_header(first, seen.best.take()).to_string();
            (0, columns::assign(names, &options.columns).0, Some(problem))
        }
    };
    let header_line = seen.records.get(start).map_or(1, |(line, _)| *line);
    let data = seen.records.get(start + 1..).unwrap_or_default();
    let preview_columns = columns
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| PreviewColumn {
            index: i as u32,
            name: name.clone(),
            roles: Role::ALL
                .iter()
                .copied()
                .filter(|role| columns.get(*role) == Some(i))
                .collect(),
            examples: data
                .iter()
                .filter_map(|(_, row)| row.get(i).filter(|value| !value.is_empty()))
                .take(EXAMPLES)
                .map(|value| shorten(value))
                .collect(),
        })
        .collect();
    let mut missing = Vec::new();
    if columns.get(Role::Date).is_none() {
        missing.push(Role::Date);
    }
    if columns.get(Role::Total).is_none() && columns.get(Role::LinePrice).is_none() {
        missing.push(Role::Total);
    }
    Ok(Preview {
        encoding: detected.encoding,
        delimiter: char::from(detected.delimiter).to_string(),
        format: columns.format,
        header_found: problem.is_none(),
        header_line,
        columns: preview_columns,
        roles: super::column_names(&columns),
        missing,
        problem,
        whole_file,
    })
}

/// The header names of the columns an analysis of the file reads, in file order (see
/// [`Columns::read`]): a file of these columns alone, in this order, is read as the same format with
/// the same roles, so an engine that moves the rows of a large history need carry no other column.
/// Reads the first bytes as [`preview`] does; fails as an analysis would when no header is found.
pub fn columns_read(first_bytes: &[u8], options: &Options) -> Result<Vec<String>, Error> {
    let (_, mut seen, _) = read_head(first_bytes, options)?;
    match seen.header.take() {
        Some((_, columns)) => Ok(columns
            .read()
            .into_iter()
            .filter_map(|i| columns.name_at(i).map(str::to_string))
            .collect()),
        None => {
            let first = seen.records.first().map(|(_, names)| names.clone());
            Err(super::no_header(first, seen.best.take()))
        }
    }
}

/// The encoding and delimiter of `first_bytes` (up to [`SNIFF_BYTES`]), the records up to the header's
/// first data rows, and whether the bytes are the whole file.
fn read_head<'a>(
    first_bytes: &[u8],
    options: &'a Options,
) -> Result<(super::decode::Detected, Seen<'a>, bool), Error> {
    options.validate()?;
    let whole_file = first_bytes.len() < SNIFF_BYTES;
    let head = &first_bytes[..first_bytes.len().min(SNIFF_BYTES)];
    let mut decoder = Decoder::with_encoding(options.encoding);
    let (text, detected) = decoder.feed(head, whole_file)?;
    let detected = detected.ok_or(ErrorKind::Empty)?;
    let mut seen = Seen {
        overrides: &options.columns,
        records: Vec::new(),
        header: None,
        best: None,
        seeking: true,
    };
    let mut reader = RecordReader::new(detected.delimiter);
    let mut on_record = |record: Record<'_>| seen.take(&record);
    reader.push(text, &mut on_record)?;
    // A cut-off last record is not shown: it may be a part of a row.
    if whole_file {
        reader.finish(&mut on_record)?;
    }
    Ok((detected, seen, whole_file))
}

/// The records the preview keeps while the header is sought and the first data rows come.
struct Seen<'a> {
    overrides: &'a columns::ColumnOverrides,
    /// Non-blank records, line and fields, up to the header's data rows.
    records: Vec<(u64, Vec<String>)>,
    /// The header: its position in `records` and its columns.
    header: Option<(usize, Columns)>,
    best: Option<NotHeader>,
    seeking: bool,
}

impl Seen<'_> {
    fn take(&mut self, record: &Record<'_>) -> Result<Option<usize>, Error> {
        if record.is_blank() {
            return Ok(None);
        }
        let limit = match self.header {
            Some((at, _)) => at + 1 + DATA_ROWS,
            None => MAX_RECORDS_BEFORE_HEADER as usize + DATA_ROWS,
        };
        if self.records.len() >= limit {
            return Ok(None);
        }
        self.records
            .push((record.line, record.fields().map(bounded_text).collect()));
        if !self.seeking {
            return Ok(None);
        }
        match columns::detect_with(record, self.overrides) {
            Ok(columns) => {
                self.header = Some((self.records.len() - 1, columns));
                self.seeking = false;
                return Ok(Some(record.len()));
            }
            Err(Rejected::UnknownColumn { role, name, names }) => {
                return Err(columns::unknown_column(role, &name, &names));
            }
            Err(Rejected::NotHeader(not_header)) => {
                if self
                    .best
                    .as_ref()
                    .is_none_or(|b| not_header.matched > b.matched)
                {
                    self.best = Some(not_header);
                }
                if self.records.len() >= MAX_RECORDS_BEFORE_HEADER as usize {
                    self.seeking = false;
                }
            }
        }
        Ok(None)
    }
}

fn shorten(value: &str) -> String {
    match value.char_indices().nth(EXAMPLE_CHARS) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(columns: &[(Role, Option<&str>)]) -> Options {
        Options {
            columns: columns
                .iter()
                .map(|(role, name)| (*role, name.map(str::to_string)))
                .collect(),
            ..Options::default()
        }
    }

    #[test]
    fn a_recognised_file_shows_its_header_roles_and_examples() {
        let csv = "Orders 2024\n\norder id,email,order date,amount\n1,a@x.jp,2024-01-05,100\n\
                   2,,2024-01-06,200\n3,c@x.jp,2024-01-07,300\n4,d@x.jp,2024-01-08,400\n";
        let p = preview(csv.as_bytes(), &Options::default()).unwrap();
        assert!(p.header_found && p.whole_file);
        assert_eq!(
            (p.header_line, p.encoding, p.delimiter.as_str()),
            (3, TextEncoding::Utf8, ",")
        );
        assert_eq!(p.format, "generic");
        assert_eq!(p.columns.len(), 4);
        assert_eq!(p.columns[1].name, "email");
        assert_eq!(p.columns[1].roles, vec![Role::Email]);
        assert_eq!(p.columns[1].examples, vec!["a@x.jp", "c@x.jp", "d@x.jp"]);
        assert_eq!(p.columns[3].examples, vec!["100", "200", "300"]);
        assert_eq!(p.roles["date"].as_deref(), Some("order date"));
        assert!(p.missing.is_empty() && p.problem.is_none());
    }

    #[test]
    fn without_a_header_the_first_record_is_shown_with_what_is_missing() {
        let csv = "when,who,how much\n2024-01-05,C1,100\n2024-02-05,C1,50\n";
        let p = preview(csv.as_bytes(), &Options::default()).unwrap();
        assert!(!p.header_found);
        assert_eq!(p.header_line, 1);
        assert_eq!(p.missing, vec![Role::Date, Role::Total]);
        assert!(p.problem.as_deref().unwrap().contains("no header row"));
        assert_eq!(p.columns[0].examples, vec!["2024-01-05", "2024-02-05"]);
        assert!(p.columns.iter().all(|c| c.roles.is_empty()));

        let chosen = with(&[(Role::Date, Some("when")), (Role::Total, Some("how much"))]);
        let p = preview(csv.as_bytes(), &chosen).unwrap();
        assert!(p.header_found && p.missing.is_empty());
        assert_eq!(p.columns[0].roles, vec![Role::Date]);
        assert_eq!(p.columns[2].roles, vec![Role::Total]);
    }

    #[test]
    fn only_the_first_64_kib_are_read_and_a_cut_row_is_left_out() {
        let mut csv = String::from("order id,order date,total\n");
        let mut i = 0;
        while csv.len() < 2 * SNIFF_BYTES {
            csv.push_str(&format!("{i},2024-01-05,{i}\n"));
            i += 1;
        }
        let p = preview(csv.as_bytes(), &Options::default()).unwrap();
        assert!(!p.whole_file && p.header_found);
        assert_eq!(p.columns[0].examples, vec!["0", "1", "2"]);
    }

    #[test]
    fn an_override_naming_no_column_is_an_option_error() {
        let csv = "order id,order date,total\n1,2024-01-05,10\n";
        let error = preview(csv.as_bytes(), &with(&[(Role::Status, Some("state"))])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid option: column status: there is no column 'state'; the columns are \
             'order id', 'order date', 'total'"
        );
        assert!(preview(b"", &Options::default()).is_err());
    }
}
