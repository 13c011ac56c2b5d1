//! The fuzz target's logic, shared with `tests/bad_files.rs` (which replays `tests/fuzz_crashers/`
//! through it without libFuzzer): how an input is split into a file and a chunking, and the
//! invariants every analysis must keep, among them those of the customer lists: every row there, no
//! text cell that a spreadsheet could read as a formula (also after a `;` or a tab), distinct keys
//! written distinct, and the Shift_JIS list the UTF-8 one once its `&#xHEX;` references are read.
//!
//! Input layout: byte 0 is a control byte; its low 3 bits say how many chunk-size bytes follow
//! (0..=7), bit 3 asks for the file to be grown past the 64 KiB sniffing window (its data lines are
//! repeated), bit 4 asks for a second run in 1-byte chunks (small files only). The rest is the file.
//! Chunk-size bytes are used in a cycle: 0 pushes an empty chunk, 1..=239 that many bytes, 240..=255
//! (b − 239) × 8 KiB.

use ltv_lens::{
    Analyzer, CsvEncoding, CustomerFilter, CustomerRow, ListLanguage, Options, Report, SNIFF_BYTES,
};

/// A fuzz input taken apart: the file and the chunk sizes to push it in.
pub struct Case {
    /// The file's bytes.
    pub file: Vec<u8>,
    /// Chunk sizes, used in a cycle until the file is pushed; empty means one chunk.
    pub sizes: Vec<usize>,
    /// Also push the file one byte at a time.
    pub bytewise: bool,
}

/// Upper bound for the grown file, so that one run stays fast.
const GROWN_MAX: usize = SNIFF_BYTES + 16 * 1024;

impl Case {
    /// Splits a fuzz input into a file and its chunking.
    pub fn from_input(data: &[u8]) -> Case {
        let Some((&control, rest)) = data.split_first() else {
            return Case {
                file: Vec::new(),
                sizes: Vec::new(),
                bytewise: false,
            };
        };
        let n = usize::from(control & 7).min(rest.len());
        let (size_bytes, body) = rest.split_at(n);
        let sizes = size_bytes
            .iter()
            .map(|&b| match b {
                0..=239 => usize::from(b),
                _ => usize::from(b - 239) * 8 * 1024,
            })
            .collect();
        let file = if control & 8 != 0 {
            grow(body)
        } else {
            body.to_vec()
        };
        Case {
            file,
            sizes,
            bytewise: control & 16 != 0,
        }
    }

    /// The file cut into chunks of the derived sizes.
    pub fn chunks(&self) -> Vec<&[u8]> {
        let mut chunks = Vec::new();
        let mut rest = self.file.as_slice();
        if self.sizes.is_empty() || self.sizes.iter().all(|&s| s == 0) {
            return vec![rest];
        }
        for &size in self.sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (head, tail) = rest.split_at(size.min(rest.len()));
            chunks.push(head);
            rest = tail;
        }
        chunks
    }
}

/// The body's first line, then the rest repeated until the file passes the sniffing window.
fn grow(body: &[u8]) -> Vec<u8> {
    let split = body
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |i| i + 1);
    let (head, tail) = body.split_at(split);
    let mut file = head.to_vec();
    if tail.is_empty() {
        return file;
    }
    while file.len() < SNIFF_BYTES + 1 && file.len() + tail.len() <= GROWN_MAX {
        file.extend_from_slice(tail);
    }
    file
}

/// What one run gives: the Report as JSON and the customer list, or the error sentence.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The file was analysed.
    Analysed {
        /// The Report, serialized (floats compare by their JSON text).
        json: String,
        /// The customer list CSV.
        customers_csv: Vec<u8>,
    },
    /// The file was refused.
    Refused(String),
}

/// Pushes `chunks` through a default analyzer and checks the invariants of a single run.
pub fn run(chunks: &[&[u8]]) -> Outcome {
    let mut analyzer = Analyzer::new(Options::default()).expect("default options are valid");
    let mut result = Ok(());
    for chunk in chunks {
        result = analyzer.push(chunk);
        if result.is_err() {
            break;
        }
    }
    let analysis = match result.and_then(|()| analyzer.finish()) {
        Ok(analysis) => analysis,
        Err(error) => {
            let sentence = error.to_string();
            // One sentence; it may quote a header field holding a line break (the CLI escapes it).
            assert!(!sentence.is_empty(), "an empty error sentence");
            return Outcome::Refused(sentence);
        }
    };
    let report = analysis.report();
    check_report(&report);
    let rows = analysis.customers(&CustomerFilter::All);
    assert_eq!(
        rows.len() as u64,
        report.kpis.customers,
        "customer list length"
    );
    let customers_csv = analysis
        .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
        .bytes;
    let shift_jis = analysis.customers_csv(
        &CustomerFilter::All,
        CsvEncoding::ShiftJis,
        ListLanguage::En,
    );
    check_lists(
        &rows,
        &customers_csv,
        &shift_jis.bytes,
        shift_jis.unwritable,
    );
    Outcome::Analysed {
        json: serde_json::to_string(&report).expect("the Report serializes"),
        customers_csv,
    }
}

/// The columns of a list that hold text from the file.
const TEXT_COLUMNS: [&str; 5] = [
    "customer_key",
    "email",
    "name",
    "first_product",
    "first_channel",
];

/// Invariants of the UTF-8 and Shift_JIS lists of `rows` (both with the English header).
pub fn check_lists(rows: &[CustomerRow], utf8: &[u8], shift_jis: &[u8], unwritable: u64) {
    let text = std::str::from_utf8(utf8).expect("a UTF-8 list is UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 list has a BOM");
    let records = parse_csv(text);
    assert_eq!(records.len(), rows.len() + 1, "one record per customer");
    let header = &records[0];
    assert!(
        records.iter().all(|r| r.len() == header.len()),
        "ragged list"
    );
    let text_columns: Vec<usize> = TEXT_COLUMNS
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h == name)
                .expect("a text column")
        })
        .collect();
    for record in &records[1..] {
        for &i in &text_columns {
            for part in record[i].split([',', ';', '\t']) {
                assert!(
                    !part.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠', '\r']),
                    "a formula part {part:?} in {:?}",
                    record[i]
                );
            }
        }
    }
    let key = text_columns[0];
    let distinct = |records: &[Vec<String>]| {
        let mut keys: Vec<&str> = records[1..].iter().map(|r| r[key].as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    };
    let mut row_keys: Vec<&str> = rows.iter().map(|r| r.customer_key.as_str()).collect();
    row_keys.sort_unstable();
    row_keys.dedup();
    assert_eq!(distinct(&records), row_keys.len(), "keys written alike");

    let (decoded, malformed) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(shift_jis);
    assert!(!malformed, "the Shift_JIS list is Shift_JIS");
    let sjis_records = parse_csv(&decoded);
    assert_eq!(sjis_records.len(), records.len(), "Shift_JIS records");
    assert_eq!(
        distinct(&sjis_records),
        row_keys.len(),
        "Shift_JIS keys alike"
    );
    let mut referenced = 0;
    for (sjis, utf8) in sjis_records.iter().zip(&records).skip(1) {
        for &i in &text_columns {
            let (value, lacking) = unreference(&sjis[i]);
            assert_eq!(value, utf8[i], "the Shift_JIS cell {:?}", sjis[i]);
            referenced += u64::from(lacking);
        }
    }
    assert_eq!(unwritable, referenced, "cells counted as unwritable");
}

/// A Shift_JIS list's cell with its `&#xHEX;` references read (a cell without `&#` has none), and
/// whether it referred to a character other than `&`.
fn unreference(cell: &str) -> (String, bool) {
    if !cell.contains("&#") {
        return (cell.to_string(), false);
    }
    let mut out = String::new();
    let mut lacking = false;
    let mut rest = cell;
    while let Some(start) = rest.find("&#x") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(';').expect("a reference ends with ;") + start;
        let code = u32::from_str_radix(&rest[start + 3..end], 16).expect("a hex reference");
        let c = char::from_u32(code).expect("a character");
        lacking |= c != '&';
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    assert!(
        !out.is_empty() && !rest.contains('&'),
        "a bare & in {cell:?}"
    );
    (out, lacking)
}

/// RFC 4180 records (CRLF-ended, quoted cells with doubled quotes), read independently of the core.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => {
                assert!(c != '"' && c != '\r' && c != '\n', "an unquoted {c:?}");
                cell.push(c);
            }
        }
    }
    assert!(
        !quoted && cell.is_empty() && record.is_empty(),
        "an unended record"
    );
    records
}

/// Invariants of one Report.
pub fn check_report(report: &Report) {
    let input = &report.input;
    assert!(
        input.skipped_rows <= input.rows,
        "skipped {} of {} rows",
        input.skipped_rows,
        input.rows
    );
    assert!(
        report.kpis.orders + input.excluded_orders <= input.orders_seen,
        "{} counted + {} excluded orders of {} seen",
        report.kpis.orders,
        input.excluded_orders,
        input.orders_seen
    );
    assert!(
        input.warnings.len() <= 21,
        "{} warnings",
        input.warnings.len()
    );
    let in_segments: u64 = report.rfm.segments.iter().map(|s| s.customers).sum();
    assert_eq!(in_segments, report.kpis.customers, "segments vs customers");
    let in_grid: u64 = report
        .rfm
        .rf_grid
        .iter()
        .flatten()
        .map(|c| c.customers)
        .sum();
    assert_eq!(in_grid, report.kpis.customers, "R×F grid vs customers");
    let funnel: Vec<u64> = report.funnel.iter().map(|s| s.customers).collect();
    assert!(funnel.windows(2).all(|w| w[0] >= w[1]), "funnel {funnel:?}");
    assert_eq!(
        funnel.first().copied().unwrap_or(0),
        report.kpis.customers,
        "funnel stage 1"
    );
}

/// The whole check for one fuzz input: no panic, single-run invariants, and the same outcome
/// whether the file is pushed whole, in the derived chunks or byte by byte.
pub fn check(data: &[u8]) {
    let case = Case::from_input(data);
    let whole = run(&[&case.file]);
    let chunked = run(&case.chunks());
    assert_eq!(chunked, whole, "chunked {:?} vs whole", case.sizes);
    if case.bytewise && case.file.len() <= 4096 {
        let bytes: Vec<&[u8]> = case.file.chunks(1).collect();
        assert_eq!(run(&bytes), whole, "byte by byte vs whole");
    }
}
