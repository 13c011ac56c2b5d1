//! Fatal errors: the input cannot be analysed at all. Row-level problems are not errors but
//! [`crate::Warning`]s in the Report.

use crate::string_enum::string_enum;
use std::fmt;

/// A fatal problem with the input or the options. Its `Display` is one plain sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// What made the input unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No bytes at all.
    Empty,
    /// A known binary file type (an image, a spreadsheet, a PDF...).
    NotText {
        /// What the file looks like, e.g. "a PNG image".
        looks_like: &'static str,
    },
    /// No record in the first rows names an order date and an amount column.
    NoHeader {
        /// The fields of the first non-empty record, as found.
        found: Vec<String>,
        /// Roles the best candidate row lacked, e.g. "order date".
        missing: Vec<&'static str>,
    },
    /// A header row and nothing after it.
    NoRows {
        /// 1-based line of the header.
        header_line: u64,
    },
    /// Every data row was skipped.
    NoUsableRows {
        /// Number of data rows.
        rows: u64,
        /// The first problem found, already located ("line 2, column Created at: ...").
        first_problem: String,
    },
    /// A single record grew past the limit; the file is most likely not CSV.
    RecordTooLarge {
        /// 1-based line where the record starts.
        line: u64,
    },
    /// The line-items file of a platform that exports orders in two files: it has no dates or buyers.
    ItemsFile {
        /// The platform, e.g. "Yahoo!ショッピング".
        platform: &'static str,
        /// Headers of the orders file to drop instead.
        orders_file: &'static str,
    },
    /// An option value is out of range or malformed.
    InvalidOption(String),
    /// `push` or `finish` after `finish`.
    AlreadyFinished,
    /// Bytes that are not a partial state this build can read (another kind of file, a truncated or
    /// damaged state, or one written by a newer format version).
    InvalidState(String),
    /// Partial states that cannot be merged into one Report: read with different reading options, of
    /// different exports or currencies, or sharing a customer.
    StatesDisagree(String),
    /// The amounts add up past what the Report's numbers state exactly (see README "Definitions").
    AmountsTooLarge {
        /// 1-based first line of the order at which the sum passes the limit.
        line: u64,
        /// The limit, in currency units.
        limit: String,
    },
}

string_enum! {
    /// The kind of an [`Error`], stable across versions (README "Warnings and errors"), to word it in
    /// another language.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ErrorCode {
        /// No bytes at all.
        Empty = "empty",
        /// A known binary file type (an image, a spreadsheet, a PDF...).
        NotText = "not_text",
        /// No record in the first rows names an order date and an amount column.
        NoHeader = "no_header",
        /// A header row and nothing after it.
        NoRows = "no_rows",
        /// Every data row was skipped.
        NoUsableRows = "no_usable_rows",
        /// A single record grew past the limit; the file is most likely not CSV.
        RecordTooLarge = "record_too_large",
        /// The line-items file of a platform that exports orders in two files: it has no dates or buyers.
        ItemsFile = "items_file",
        /// An option value is out of range or malformed.
        InvalidOption = "invalid_option",
        /// `push` or `finish` after `finish`.
        AlreadyFinished = "already_finished",
        /// Bytes that are not a partial state this build can read.
        InvalidState = "invalid_state",
        /// Partial states that cannot be merged into one Report.
        StatesDisagree = "states_disagree",
        /// The amounts add up past what the Report's numbers state exactly.
        AmountsTooLarge = "amounts_too_large",
    }
}

impl Error {
    /// The kind of problem.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// A stable code for the kind of problem, to word it in another language (README "Errors").
    pub fn code(&self) -> ErrorCode {
        match self.kind() {
            ErrorKind::Empty => ErrorCode::Empty,
            ErrorKind::NotText { .. } => ErrorCode::NotText,
            ErrorKind::NoHeader { .. } => ErrorCode::NoHeader,
            ErrorKind::NoRows { .. } => ErrorCode::NoRows,
            ErrorKind::NoUsableRows { .. } => ErrorCode::NoUsableRows,
            ErrorKind::RecordTooLarge { .. } => ErrorCode::RecordTooLarge,
            ErrorKind::ItemsFile { .. } => ErrorCode::ItemsFile,
            ErrorKind::InvalidOption(_) => ErrorCode::InvalidOption,
            ErrorKind::AlreadyFinished => ErrorCode::AlreadyFinished,
            ErrorKind::InvalidState(_) => ErrorCode::InvalidState,
            ErrorKind::StatesDisagree(_) => ErrorCode::StatesDisagree,
            ErrorKind::AmountsTooLarge { .. } => ErrorCode::AmountsTooLarge,
        }
    }

    /// The arguments of the message, by name.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self.kind() {
            ErrorKind::NotText { looks_like } => vec![("looks_like", (*looks_like).to_string())],
            ErrorKind::NoHeader { found, missing } => vec![
                ("found", shorten_list(found)),
                ("missing", missing.join(", ")),
            ],
            ErrorKind::NoRows { header_line } => vec![("line", header_line.to_string())],
            ErrorKind::NoUsableRows {
                rows,
                first_problem,
            } => vec![
                ("rows", rows.to_string()),
                ("first_problem", first_problem.clone()),
            ],
            ErrorKind::RecordTooLarge { line } => vec![("line", line.to_string())],
            ErrorKind::ItemsFile {
                platform,
                orders_file,
            } => vec![
                ("platform", (*platform).to_string()),
                ("orders_file", (*orders_file).to_string()),
            ],
            ErrorKind::InvalidOption(message)
            | ErrorKind::InvalidState(message)
            | ErrorKind::StatesDisagree(message) => vec![("message", message.clone())],
            ErrorKind::AmountsTooLarge { line, limit } => {
                vec![("line", line.to_string()), ("limit", limit.clone())]
            }
            ErrorKind::Empty | ErrorKind::AlreadyFinished => Vec::new(),
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

const EXPECTED: &str =
    "expected an order export CSV (UTF-8, Shift_JIS or another text encoding) with a header row naming an \
                        order date and an amount column";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            ErrorKind::Empty => write!(f, "the file is empty: {EXPECTED}"),
            ErrorKind::NotText { looks_like } => {
                write!(f, "this is {looks_like}, not a CSV file: {EXPECTED}")
            }
            ErrorKind::NoHeader { found, missing } => {
                write!(
                    f,
                    "no header row with an order date and an amount column was found (missing: {}); \
                     expected columns such as 'Created at' or 'order date', and 'Total' or 'amount'; ",
                    missing.join(", ")
                )?;
                if found.is_empty() {
                    write!(f, "the file has no columns")
                } else {
                    write!(f, "found columns: {}", shorten_list(found))
                }
            }
            ErrorKind::NoRows { header_line } => {
                write!(
                    f,
                    "the file has a header row (line {header_line}) but no order rows"
                )
            }
            ErrorKind::NoUsableRows {
                rows,
                first_problem,
            } => {
                write!(
                    f,
                    "none of the {rows} rows could be read; the first problem: {first_problem}"
                )
            }
            ErrorKind::RecordTooLarge { line } => write!(
                f,
                "line {line}: a record longer than {} MiB; is this a CSV file?",
                crate::ingest::records::MAX_RECORD_BYTES >> 20
            ),
            ErrorKind::ItemsFile {
                platform,
                orders_file,
            } => write!(
                f,
                "this is the items file of a {platform} export: it has no order dates or buyers; drop the \
                 orders file ({orders_file}, …) instead"
            ),
            ErrorKind::InvalidOption(message) => write!(f, "invalid option: {message}"),
            ErrorKind::AlreadyFinished => write!(f, "the analyzer has already finished"),
            ErrorKind::InvalidState(message) => write!(f, "not a readable partial state: {message}"),
            ErrorKind::StatesDisagree(message) => {
                write!(f, "the partial states cannot be merged: {message}")
            }
            ErrorKind::AmountsTooLarge { line, limit } => write!(
                f,
                "line {line}: the amounts of the orders up to this one add up to more than {limit} (in \
                 the file's currency), beyond what the Report's numbers can state exactly"
            ),
        }
    }
}

fn shorten_list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut list: Vec<String> = items.iter().take(SHOWN).map(|s| quote(s)).collect();
    if items.len() > SHOWN {
        list.push(format!("and {} more", items.len() - SHOWN));
    }
    list.join(", ")
}

/// A value quoted for a message, cut short when long.
pub(crate) fn quote(value: &str) -> String {
    const MAX_CHARS: usize = 40;
    if value.chars().count() > MAX_CHARS {
        let head: String = value.chars().take(MAX_CHARS).collect();
        format!("'{head}…'")
    } else {
        format!("'{value}'")
    }
}

impl std::error::Error for Error {}
