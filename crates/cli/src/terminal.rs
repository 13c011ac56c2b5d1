//! What `ltv-lens` writes to a terminal: a customer list on standard output is shown with its control
//! characters escaped as the table escapes them ([`table::escape`]), since a name from the file could
//! otherwise retitle the window, plant a link or hide text; written to a file or a pipe it stays byte
//! for byte the list. Whether standard output is a terminal is detected, or set by the environment
//! variable `LTV_LENS_TERMINAL` (`1` a terminal, `0` not), which scripts and tests use.

use crate::table;
use ltv_lens::CsvEncoding;
use std::io::IsTerminal;

/// The environment variable that overrides the detection.
pub const OVERRIDE: &str = "LTV_LENS_TERMINAL";

/// Whether standard output is shown on a terminal.
pub fn stdout_is_terminal() -> bool {
    match std::env::var_os(OVERRIDE) {
        Some(value) => value == "1",
        None => std::io::stdout().is_terminal(),
    }
}

/// A CSV file for a terminal, in the file's encoding: the CRLF that ends each record kept, every other
/// control character (line breaks and tabs inside cells included) escaped.
pub fn escape_csv(bytes: &[u8], encoding: CsvEncoding) -> Vec<u8> {
    let text = match encoding {
        CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes).0,
        _ => String::from_utf8_lossy(bytes),
    };
    let mut shown = String::with_capacity(text.len());
    let mut quoted = false;
    let mut record = 0;
    for (i, c) in text.char_indices() {
        // A doubled quote inside a quoted cell toggles twice: the state stays right.
        quoted ^= c == '"';
        if !quoted && text[i..].starts_with("\r\n") {
            shown.push_str(&table::escape(&text[record..i]));
            shown.push_str("\r\n");
            record = i + 2;
        }
    }
    shown.push_str(&table::escape(text.get(record..).unwrap_or("")));
    match encoding {
        CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS.encode(&shown).0.into_owned(),
        _ => shown.into_bytes(),
    }
}
