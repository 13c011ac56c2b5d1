//! The JSON that `ltv-lens` writes (`analyze --json`, `columns --json`): pretty-printed, with every
//! control and bidirectional character escaped as `\uXXXX` (serde_json escapes only C0 controls), so
//! that text from the file (a C1 CSI U+009B, a right-to-left override U+202E) never reaches a terminal
//! raw. The escapes are JSON's own: the text parses back to the same values.

use crate::table;
use serde::Serialize;
use std::fmt::Write as _;

/// `value` as pretty-printed JSON with a final line break, every control character escaped.
pub fn to_string<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        // What serde_json left raw can only stand inside a string (the structure is ASCII and
        // without controls), where `\uXXXX` is the character itself; every such character is in
        // the Basic Multilingual Plane, so one escape holds it.
        // The line breaks are the pretty-printer's (serde_json writes a string's as `\n`).
        if c != '\n' && table::is_control(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    Ok(out)
}
