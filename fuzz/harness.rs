//! The fuzz target's logic, shared with `tests/bad_files.rs` (which replays `tests/fuzz_crashers/`
//! through it without libFuzzer): how an input is split into a file and a chunking, and the
//! invariants every analysis must keep.
//!
//! Input layout: byte 0 is a control byte; its low 3 bits say how many chunk-size bytes follow
//! (0..=7), bit 3 asks for the file to be grown past the 64 KiB sniffing window (its data lines are
//! repeated), bit 4 asks for a second run in 1-byte chunks (small files only). The rest is the file.
//! Chunk-size bytes are used in a cycle: 0 pushes an empty chunk, 1..=239 that many bytes, 240..=255
//! (b − 239) × 8 KiB.

use ltv_lens::{Analyzer, CsvEncoding, CustomerFilter, ListLanguage, Options, Report, SNIFF_BYTES};

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
    let customers_csv =
        analysis.customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En);
    let _ = analysis.customers_csv(
        &CustomerFilter::All,
        CsvEncoding::ShiftJis,
        ListLanguage::Ja,
    );
    Outcome::Analysed {
        json: serde_json::to_string(&report).expect("the Report serializes"),
        customers_csv,
    }
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
