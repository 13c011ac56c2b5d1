//! The bad-file corpus: one small hostile file per case in `tests/bad_files/` (big ones are generated
//! here instead of committed), each with its outcome pinned: the error sentence, or the rows, skipped
//! rows, exclusions, orders, customers and warnings. Every case is also read in several chunkings and
//! must give the same outcome, and the inputs that once broke the fuzz target (`tests/fuzz_crashers/`)
//! are replayed through the fuzz target's own checks (`fuzz/harness.rs`), without libFuzzer.

use ltv_lens::{
    Analysis, Analyzer, CsvEncoding, CustomerFilter, ListLanguage, Options, Report, SNIFF_BYTES,
};
use std::path::{Path, PathBuf};

#[path = "../fuzz/harness.rs"]
#[allow(dead_code)]
mod harness;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad_files");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const CRASHERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz_crashers");

fn analyze(bytes: &[u8]) -> Result<Analysis, ltv_lens::Error> {
    let mut analyzer = Analyzer::new(Options::default())?;
    analyzer.push(bytes)?;
    analyzer.finish()
}

/// Every customer's list key and revenue, in the list's order.
fn keys_and_revenue(analysis: &Analysis) -> Vec<(String, f64)> {
    analysis
        .customers(&CustomerFilter::All)
        .into_iter()
        .map(|c| (c.customer_key, c.revenue))
        .collect()
}

#[track_caller]
fn read_report(bytes: &[u8]) -> Report {
    match analyze(bytes) {
        Ok(analysis) => analysis.report(),
        Err(error) => panic!("refused: {error}"),
    }
}

#[track_caller]
fn refusal(bytes: &[u8]) -> String {
    match analyze(bytes) {
        Ok(analysis) => panic!("analysed: {:?}", analysis.report().input),
        Err(error) => error.to_string(),
    }
}

/// The same outcome (Report, customer list or error sentence) in one chunk, in small chunks, byte by
/// byte (small files) and in chunks that cross the sniffing window unevenly.
#[track_caller]
fn assert_chunking_invariant(bytes: &[u8]) {
    let whole = harness::run(&[bytes]);
    let mut sizes = vec![7, 4096, SNIFF_BYTES - 1, SNIFF_BYTES + 3];
    if bytes.len() <= 4096 {
        sizes.push(1);
    }
    for size in sizes {
        let chunks: Vec<&[u8]> = bytes.chunks(size).collect();
        assert!(harness::run(&chunks) == whole, "chunks of {size}");
    }
}

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(CORPUS).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file() && path.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

/// What a corpus file must give.
enum Expect {
    /// Refused; the sentence contains this.
    Refused(&'static str),
    /// Read, with these counts.
    Read {
        rows: u64,
        skipped: u64,
        excluded: u64,
        orders: u64,
        customers: u64,
        /// Each warning: its line, its column and a part of its message.
        warnings: &'static [(Option<u64>, Option<&'static str>, &'static str)],
    },
}

use Expect::{Read, Refused};

/// The UTF-16 files: `order id,email,order date,amount` and two orders of two customers.
const UTF16_READ: Expect = Read {
    rows: 2,
    skipped: 0,
    excluded: 0,
    orders: 2,
    customers: 2,
    warnings: &[],
};

const NOT_CSV: &str = "not a CSV file: expected an order export CSV";

/// Every file of `tests/bad_files/`, with its outcome.
const CASES: &[(&str, Expect)] = &[
    // 100 rows, an unclosed quote in row 5's note: no row lost, one warning on the line where the
    // quote opened (row 5 is line 6), counting the 95 lines it would have swallowed.
    (
        "unclosed_quote_in_note.csv",
        Read {
            rows: 100,
            skipped: 0,
            excluded: 0,
            orders: 100,
            customers: 100,
            warnings: &[(Some(6), None, "the next 95 lines would have been read")],
        },
    ),
    // 20 rows, `"1,200` (unclosed) in row 3's amount: the line is read alone (its amount is 1,200),
    // and the 17 lines after it are rows of their own.
    (
        "unclosed_quote_in_amount.csv",
        Read {
            rows: 20,
            skipped: 0,
            excluded: 0,
            orders: 20,
            customers: 7,
            warnings: &[(Some(4), None, "the next 17 lines would have been read")],
        },
    ),
    // 13 rows: a quote opens in row 4's note (line 5) and closes in row 7's; row 10 is cancelled,
    // row 12 has the date 2024-05-41. 11 counted + 1 excluded + 1 skipped = 13.
    (
        "thirteen_rows_stray_quote.csv",
        Read {
            rows: 13,
            skipped: 1,
            excluded: 1,
            orders: 11,
            customers: 5,
            warnings: &[
                (Some(5), None, "the next 3 lines would have been read"),
                (Some(13), Some("order date"), "'2024-05-41' is not a date"),
            ],
        },
    ),
    // ESC sequences: in an amount (row skipped, the value quoted in the warning as it is; the CLI
    // escapes it, JSON too), in a customer id (kept as the key).
    (
        "terminal_escapes.csv",
        Read {
            rows: 3,
            skipped: 1,
            excluded: 0,
            orders: 2,
            customers: 2,
            warnings: &[(
                Some(3),
                Some("amount"),
                "'\u{1b}[2J\u{1b}]0;owned\u{7}' is not an amount",
            )],
        },
    ),
    // Lone-CR line ends: warnings count the CRs (a bad date on line 4; after a blank line 6, a bad
    // amount on line 7).
    (
        "lone_cr_line_ends.csv",
        Read {
            rows: 6,
            skipped: 2,
            excluded: 0,
            orders: 4,
            customers: 3,
            warnings: &[
                (Some(4), Some("order date"), "'2024-02-30' is not a date"),
                (Some(7), Some("amount"), "'x' is not an amount"),
            ],
        },
    ),
    // UTF-16, with and without a byte-order mark, little- and big-endian: decoded (two orders of two
    // customers, as the same text in UTF-8 gives).
    ("utf16le_with_bom.csv", UTF16_READ),
    ("utf16le_without_bom.csv", UTF16_READ),
    ("utf16be_without_bom.csv", UTF16_READ),
    // BOM, zero-width and ideographic spaces around customer ids, e-mails and order ids are trimmed:
    // C001 ×4, kim@example.com ×2 and C002 (order 7's two rows are one order).
    (
        "invisible_characters_in_ids.csv",
        Read {
            rows: 8,
            skipped: 0,
            excluded: 0,
            orders: 7,
            customers: 3,
            warnings: &[],
        },
    ),
    // One customer id written three ways (C001, C001 + NBSP, full-width Ｃ００１), one e-mail four ways
    // (a leading NBSP, full-width letters, other case, a trailing ZWSP), one e-mail in Unicode case
    // (STRAßE folds to strasse), and a customer id `b@x.com` beside a guest e-mail `b@x.com`: 10
    // orders of 5 customers.
    (
        "identity_variants.csv",
        Read {
            rows: 10,
            skipped: 0,
            excluded: 0,
            orders: 10,
            customers: 5,
            warnings: &[],
        },
    ),
    // Order A1's row on line 4 names another date, total and customer: three located warnings, the
    // first row wins; a later row with empty values (line 6) and one with another time of day on the
    // same date (line 3) say nothing.
    (
        "disagreeing_order_rows.csv",
        Read {
            rows: 5,
            skipped: 0,
            excluded: 0,
            orders: 2,
            customers: 2,
            warnings: &[
                (
                    Some(4),
                    Some("order date"),
                    "date 2024-01-02 differs from the first row",
                ),
                (
                    Some(4),
                    Some("total"),
                    "total 150 differs from the first row of its order (100)",
                ),
                (
                    Some(4),
                    Some("customer id"),
                    "names customer 'C2' but the first row",
                ),
            ],
        },
    ),
    // Amounts that do not fit: a 23-digit price (unreadable), a second 9e14 line item of order 2 (its
    // row skipped), 5e14 × 1000, −9e14 less a 9e14 refund; 9e14 + 9e14 over two orders of one customer
    // do fit (128-bit totals).
    (
        "amounts_that_overflow.csv",
        Read {
            rows: 8,
            skipped: 4,
            excluded: 0,
            orders: 4,
            customers: 2,
            warnings: &[
                (
                    Some(2),
                    Some("price"),
                    "'99999999999999999999999' is not an amount",
                ),
                (
                    Some(4),
                    Some("price"),
                    "the sum of the order's line items is too large",
                ),
                (Some(5), Some("price"), "price × quantity is too large"),
                (
                    Some(6),
                    Some("price"),
                    "the order's amount less its refund is too large",
                ),
            ],
        },
    ),
    // Names, ids and e-mails for other programs: a formula after a `;`, a tab before `+1`, a
    // full-width ＝, terminal escapes (OSC, BEL, backspace, CR, C1 CSI, RLO), emoji and 𠮷 (not in
    // Shift_JIS), ids `'=x` and `=x`, a yen sign. Nine clean orders of nine customers; what the lists
    // make of them is `lists_keep_cells_from_running_as_formulas_and_every_key_distinct`.
    (
        "list_cells_for_spreadsheets_and_terminals.csv",
        Read {
            rows: 9,
            skipped: 0,
            excluded: 0,
            orders: 9,
            customers: 9,
            warnings: &[],
        },
    ),
    // CRLF lines, then lone CRs (lines 4 to 7), a quote that never closes in row 4's amount (line 5),
    // a bad date on line 7 and a bad amount on line 9: each CR is a line, no line is swallowed. Row 4
    // is read alone (amount 40): 6 orders of 8 rows (10 + 20 + 30 + 40 + 50 + 70), 2 skipped.
    (
        "mixed_line_endings.csv",
        Read {
            rows: 8,
            skipped: 2,
            excluded: 0,
            orders: 6,
            customers: 3,
            warnings: &[
                (Some(5), None, "the next 4 lines would have been read"),
                (Some(7), Some("order date"), "'2024-02-30' is not a date"),
                (Some(9), Some("amount"), "'x' is not an amount"),
            ],
        },
    ),
    // More fields than the header's 5: `1,200` unquoted (line 2) and `red, blue` in the note
    // (line 7) shift the columns, so those rows are skipped; rows ending in empty fields (lines 3
    // and 5) are read, counted in one warning; the quoted "1,200" (line 4) is 1,200. Orders 2 to 5.
    (
        "unquoted_thousands_separator.csv",
        Read {
            rows: 6,
            skipped: 2,
            excluded: 0,
            orders: 4,
            customers: 3,
            warnings: &[
                (Some(2), None, "this row has 6 fields where the header has 5"),
                (
                    Some(3),
                    None,
                    "rows ending in empty fields beyond the header's: 2 (the first on this line)",
                ),
                (Some(7), None, "this row has 6 fields where the header has 5"),
            ],
        },
    ),
    // NULs in the first rows (an amount on line 3, an e-mail on line 4): each row is skipped where
    // it is, as further down the file; the file is text, not binary.
    (
        "nul_bytes_near_the_top.csv",
        Read {
            rows: 4,
            skipped: 2,
            excluded: 0,
            orders: 2,
            customers: 1,
            warnings: &[
                (Some(3), None, "this row holds a NUL byte"),
                (Some(4), None, "this row holds a NUL byte"),
            ],
        },
    ),
    // A BOM-less UTF-8 file of Japanese names with one byte that is not UTF-8 (0x8E, the Shift_JIS
    // lead byte of 山, on line 41): UTF-8 still, the row read and located; 100 orders of M0..M6.
    (
        "one_bad_byte_in_utf8.csv",
        Read {
            rows: 100,
            skipped: 0,
            excluded: 0,
            orders: 100,
            customers: 7,
            warnings: &[(
                Some(41),
                None,
                "rows holding bytes that are not UTF-8, read as \u{FFFD}: 1 (the first on this line)",
            )],
        },
    ),
    // 20 UTF-8 characters (ten two-character names) against one byte that is not UTF-8 (0x93, line
    // 12): read as UTF-8 (20 ≥ 8 × 1 and 20 ≥ 16), a close call (20 < 64 × 1) that names the other
    // encoding; the row is read and counted.
    (
        "encoding_close_call.csv",
        Read {
            rows: 11,
            skipped: 0,
            excluded: 0,
            orders: 11,
            customers: 2,
            warnings: &[
                (
                    None,
                    None,
                    "the file is read as UTF-8, not Shift_JIS: its first 64 KiB hold characters \
                     that read as UTF-8 (20) and bytes that do not (1)",
                ),
                (Some(12), None, "rows holding bytes that are not UTF-8"),
            ],
        },
    ),
    ("image.png", Refused("this is a PNG image, not a CSV file")),
    (
        "workbook.xlsx",
        Refused("this is a ZIP archive (an Excel .xlsx workbook is one; save it as CSV)"),
    ),
];

#[test]
fn every_corpus_file_gives_its_pinned_outcome_in_any_chunking() {
    let on_disk: Vec<String> = files_in(CORPUS)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut pinned: Vec<String> = CASES.iter().map(|(name, _)| name.to_string()).collect();
    pinned.sort();
    assert_eq!(
        on_disk, pinned,
        "every file in tests/bad_files/ has a case here"
    );

    for (name, expect) in CASES {
        let bytes = corpus(name);
        assert_chunking_invariant(&bytes);
        match expect {
            Refused(part) => {
                let sentence = refusal(&bytes);
                assert!(sentence.contains(part), "{name}: {sentence}");
                if part.starts_with("this is") {
                    assert!(sentence.contains(NOT_CSV), "{name}: {sentence}");
                }
            }
            Read {
                rows,
                skipped,
                excluded,
                orders,
                customers,
                warnings,
            } => {
                let report = read_report(&bytes);
                let input = &report.input;
                let counts = (
                    input.rows,
                    input.skipped_rows,
                    input.excluded_orders,
                    report.kpis.orders,
                    report.kpis.customers,
                );
                assert_eq!(
                    counts,
                    (*rows, *skipped, *excluded, *orders, *customers),
                    "{name}: (rows, skipped, excluded, orders, customers)"
                );
                let got: Vec<_> = input
                    .warnings
                    .iter()
                    .map(|w| (w.row, w.column.as_deref(), w.message.as_str()))
                    .collect();
                assert_eq!(got.len(), warnings.len(), "{name}: {got:#?}");
                for (got, want) in got.iter().zip(warnings.iter()) {
                    assert_eq!((got.0, got.1), (want.0, want.1), "{name}: {got:?}");
                    assert!(got.2.contains(want.2), "{name}: {got:?}");
                }
            }
        }
    }
}

#[test]
fn the_error_fixtures_give_their_sentences() {
    let fixture = |name: &str| std::fs::read(Path::new(FIXTURES).join(name)).unwrap();
    let cases = [
        ("error_empty.csv", "the file is empty"),
        ("error_header_only.csv", "but no order rows"),
        ("error_no_amount_column.csv", "(missing: amount"),
        ("error_no_date_column.csv", "(missing: order date"),
    ];
    for (name, part) in cases {
        let bytes = fixture(name);
        assert_chunking_invariant(&bytes);
        let sentence = refusal(&bytes);
        assert!(sentence.contains(part), "{name}: {sentence}");
    }
    // A header row followed only by blank lines and lines of bare delimiters has no rows either.
    let sentence = refusal(b"order id,order date,amount\r\n\r\n,,\r\n  ,\t, \r\n");
    assert!(
        sentence.contains("header row (line 1) but no order rows"),
        "{sentence}"
    );
}

/// Rows of `order id,email,order date,amount,currency` with `currency` in every row.
fn with_currency(currency: &str, rows: usize) -> Vec<u8> {
    let mut csv = String::from("order id,email,order date,amount,currency\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "{i},c{}@example.com,2024-01-{:02},{},{currency}\n",
            i % 5,
            1 + i % 28,
            100 + i
        ));
    }
    csv.into_bytes()
}

#[test]
fn a_10_kib_currency_value_is_cut_to_200_characters() {
    let long = "JPY".repeat(10 * 1024 / 3 + 1);
    let bytes = with_currency(&long, 50);
    let analysis = analyze(&bytes).unwrap();
    let report = analysis.report();
    let currency = report.currency.as_deref().unwrap();
    assert_eq!(
        currency.chars().count(),
        201,
        "200 characters and an ellipsis"
    );
    assert!(currency.starts_with("JPYJPY") && currency.ends_with('…'));
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() < 20_000, "the Report is {} bytes", json.len());

    // Another long currency further down: one warning, its values cut short too.
    let mut bytes = with_currency("USD", 3);
    bytes.extend_from_slice(format!("9,z@example.com,2024-02-01,5,{long}\n").as_bytes());
    let report = read_report(&bytes);
    assert_eq!(report.currency.as_deref(), Some("USD"));
    assert_eq!(report.input.warnings.len(), 1);
    let message = &report.input.warnings[0].message;
    assert!(
        message.contains("more than one currency (USD and JPYJPY"),
        "{message}"
    );
    assert!(message.chars().count() < 300, "{message}");
}

#[test]
fn a_10_kib_header_name_is_cut_short_in_errors_columns_and_warnings() {
    let long_name = "x".repeat(10 * 1024);
    // No date column: the sentence lists the header names found, each cut short.
    let bytes = format!("order id,{long_name},amount\n1,a,5\n");
    let sentence = refusal(bytes.as_bytes());
    assert!(sentence.contains("(missing: order date)"), "{sentence}");
    assert!(sentence.len() < 1000, "{} bytes", sentence.len());

    // An amount column whose name carries a 10 KiB bracketed note, and 25 unreadable amounts: the
    // name in input.columns and in each of the 20 warnings is cut to 200 characters.
    let amount = format!("amount({long_name})");
    let mut csv = format!("order id,order date,{amount}\n");
    for i in 0..30 {
        let value = if i < 25 { "n/a" } else { "10" };
        csv.push_str(&format!("{i},2024-01-01,{value}\n"));
    }
    let report = read_report(csv.as_bytes());
    assert_eq!((report.input.rows, report.input.skipped_rows), (30, 25));
    let total = report.input.columns["total"].as_deref().unwrap();
    assert_eq!(total.chars().count(), 201);
    assert_eq!(report.input.warnings.len(), 20);
    for warning in &report.input.warnings {
        assert_eq!(warning.column.as_deref(), Some(total));
    }
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() < 20_000, "the Report is {} bytes", json.len());
}

/// A valid UTF-8 order file just over `min_len` bytes, Japanese headers and text.
fn japanese_file(min_len: usize) -> Vec<u8> {
    let mut csv = String::from("注文番号,会員ID,注文日,合計金額,備考\n");
    let mut i = 0;
    while csv.len() < min_len {
        i += 1;
        csv.push_str(&format!(
            "{i},M{},2024-{:02}-{:02},{},有機緑茶「やぶきた」\n",
            i % 50,
            1 + i % 12,
            1 + i % 28,
            1000 + i % 9 * 100
        ));
    }
    csv.into_bytes()
}

#[test]
fn a_nul_is_a_located_skip_inside_and_after_the_sniffing_window_whatever_the_chunking() {
    let mut file = japanese_file(SNIFF_BYTES + 100);
    let rows = file.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    // A NUL in a note and a NUL in an amount, both after the window: both rows are skipped.
    file.extend_from_slice("99998,M1,2024-03-01,500,メモ\0\n".as_bytes());
    file.extend_from_slice("99999,M2,2024-03-02,5\x000,\n".as_bytes());
    assert_chunking_invariant(&file);
    let report = read_report(&file);
    assert_eq!(report.input.encoding, "UTF-8");
    assert_eq!(
        (report.input.rows, report.input.skipped_rows),
        (rows + 2, 2)
    );
    let located: Vec<_> = report
        .input
        .warnings
        .iter()
        .map(|w| (w.row, w.code.as_str()))
        .collect();
    assert_eq!(
        located,
        [(Some(rows + 2), "nul_byte"), (Some(rows + 3), "nul_byte")]
    );
    // Inside the window the same NUL is the same located skip.
    let mut early = japanese_file(100);
    let rows = early.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    early.extend_from_slice(b"7,M1,2024-03-01,5\x000,\n");
    let report = read_report(&early);
    assert_eq!(
        (report.input.rows, report.input.skipped_rows),
        (rows + 1, 1)
    );
    assert_eq!(report.input.warnings[0].row, Some(rows + 2));
    assert_eq!(report.input.warnings[0].code.as_str(), "nul_byte");
}

#[test]
fn a_stray_byte_at_the_end_of_a_large_utf8_japanese_file_stays_utf8_whatever_the_chunking() {
    let mut file = japanese_file(900 * 1024);
    let rows = file.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    // One byte that is not UTF-8 at the very end: in a note (read as U+FFFD), then in an amount.
    file.extend_from_slice("99998,M1,2024-03-01,500,メモ\u{FF}".as_bytes());
    file.push(0xFF);
    file.extend_from_slice(b"\n99999,M2,2024-03-02,5\xFF\n");
    let whole = read_report(&file);
    assert_eq!(whole.input.encoding, "UTF-8");
    assert_eq!((whole.input.rows, whole.input.skipped_rows), (rows + 2, 1));
    // Both rows counted in one warning on the first; the amount is not an amount.
    let not_utf8 = &whole.input.warnings[0];
    assert_eq!(not_utf8.code.as_str(), "not_utf8");
    assert_eq!(
        (not_utf8.row, not_utf8.args["count"].as_str()),
        (Some(rows + 2), "2")
    );
    assert!(whole.input.warnings[1].message.contains('\u{FFFD}'));
    // One chunk (a path read in 4 MiB chunks), 64 KiB (a stream) and odd sizes agree.
    for size in [4 << 20, SNIFF_BYTES, 1000, 65_537] {
        let chunks: Vec<&[u8]> = file.chunks(size).collect();
        assert!(
            harness::run(&chunks) == harness::run(&[&file]),
            "chunks of {size}"
        );
    }
}

#[test]
fn invisible_characters_around_ids_make_no_new_customer_or_order() {
    let analysis = analyze(&corpus("invisible_characters_in_ids.csv")).unwrap();
    let keys: Vec<(String, f64)> = keys_and_revenue(&analysis);
    assert_eq!(
        keys,
        [
            ("kim@example.com".to_string(), 110.0),
            ("C001".to_string(), 100.0),
            ("C002".to_string(), 70.0)
        ]
    );
    assert_eq!(analysis.report().input.orders_seen, 7);
}

/// The orders of `csv` read with `options`.
fn analyze_with(csv: &str, options: Options) -> Result<Analysis, ltv_lens::Error> {
    let mut analyzer = Analyzer::new(options)?;
    analyzer.push(csv.as_bytes())?;
    analyzer.finish()
}

#[test]
fn a_typo_d_year_is_left_out_with_a_located_warning_unless_kept() {
    // Eight orders in 2024, one dated 1900 (line 10) and one 2124 (line 11): each is more than two
    // years from every other order date, so both are outliers; as_of stays 2024-08-01.
    let mut csv = String::from("order id,email,order date,amount\n");
    for i in 1..=8 {
        csv.push_str(&format!("{i},c{i}@x.jp,2024-{i:02}-01,10\n"));
    }
    csv.push_str("9,c1@x.jp,1900-01-01,10\n10,c2@x.jp,2124-05-01,10\n");
    let report = analyze_with(&csv, Options::default()).unwrap().report();
    assert_eq!(report.as_of.as_deref(), Some("2024-08-01"));
    assert_eq!((report.kpis.orders, report.input.outlier_orders), (8, 2));
    assert_eq!(report.input.rows, 10);
    let located: Vec<(Option<u64>, &str, &str)> = report
        .input
        .warnings
        .iter()
        .map(|w| (w.row, w.code.as_str(), w.args["value"].as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (Some(10), "date_isolated", "1900-01-01"),
            (Some(11), "date_isolated", "2124-05-01")
        ]
    );
    assert_eq!(report.cohorts.len(), 8);
    // Kept: the analysis runs to 2124 (and cohorts stay within their caps).
    let kept = Options {
        keep_outlier_dates: true,
        ..Options::default()
    };
    let report = analyze_with(&csv, kept).unwrap().report();
    assert_eq!(report.as_of.as_deref(), Some("2124-05-01"));
    assert_eq!((report.kpis.orders, report.input.outlier_orders), (10, 0));
    assert!(report.input.warnings.is_empty());
}

#[test]
fn orders_after_an_injected_today_are_outliers() {
    let csv = "order id,email,order date,amount\n1,a@x.jp,2024-06-01,10\n2,b@x.jp,2024-06-30,10\n\
               3,a@x.jp,2024-07-01,10\n";
    let options = Options {
        today: chrono::NaiveDate::from_ymd_opt(2024, 6, 30),
        ..Options::default()
    };
    let report = analyze_with(csv, options).unwrap().report();
    assert_eq!(report.as_of.as_deref(), Some("2024-06-30"));
    assert_eq!(report.input.outlier_orders, 1);
    let w = &report.input.warnings[0];
    assert_eq!((w.row, w.code.as_str()), (Some(4), "date_after_today"));
    assert_eq!(
        (w.args["value"].as_str(), w.args["today"].as_str()),
        ("2024-07-01", "2024-06-30")
    );
}

#[test]
fn one_first_purchase_a_month_for_three_centuries_makes_a_bounded_report() {
    // The 76 KB file: one customer's first purchase a month, 1900-01 .. 2199-12 (3,600
    // cohorts), kept with keep-outlier-dates. Unbounded, its cohorts made 326 MB of JSON.
    let mut csv = String::from("order id,customer id,order date,amount\n");
    for m in 0..3600 {
        csv.push_str(&format!(
            "{m},C{m},{}-{:02}-01,1\n",
            1900 + m / 12,
            1 + m % 12
        ));
    }
    assert!(csv.len() < 100_000);
    let kept = Options {
        keep_outlier_dates: true,
        ..Options::default()
    };
    let report = analyze_with(&csv, kept).unwrap().report();
    assert_eq!(report.as_of.as_deref(), Some("2199-12-01"));
    // The latest 120 cohorts (2190-01 .. 2199-12), each over at most 120 months.
    assert_eq!(report.cohorts.len(), 120);
    assert_eq!(report.cohorts[0].cohort, "2190-01");
    assert_eq!(report.cohorts[0].active_customers.len(), 120);
    assert_eq!(report.cohorts[119].active_customers, [1]);
    assert_eq!(report.cohort_limits.cohorts_left_out, 3480);
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.len() < 3_000_000, "the Report is {} bytes", json.len());
}

#[test]
fn a_sum_a_double_prints_exactly_is_exact_in_json_and_one_beyond_is_refused_where_it_passes() {
    // The file summing to 922337203685577: it was printed 922337203685576.9.
    let csv =
        "order id,order date,amount\n1,2024-01-01,900000000000000\n2,2024-01-02,22337203685577\n";
    let report = analyze_with(csv, Options::default()).unwrap().report();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["kpis"]["revenue"].to_string(), "922337203685577.0");
    // Whole amounts may add up to 2^53 = 9007199254740992 (ten orders of 9 × 10^14 on lines 2-11 and
    // 7199254740992 on line 12); one more unit, on line 13, is refused there.
    let mut csv = String::from("order id,order date,amount\n");
    for i in 1..=10 {
        csv.push_str(&format!("{i},2024-01-{i:02},900000000000000\n"));
    }
    csv.push_str("11,2024-01-11,7199254740992\n");
    let report = analyze_with(&csv, Options::default()).unwrap().report();
    assert_eq!(report.kpis.revenue, 9_007_199_254_740_992.0);
    csv.push_str("12,2024-01-12,1\n");
    let error = analyze_with(&csv, Options::default()).err().unwrap();
    assert_eq!(error.code(), "amounts_too_large");
    assert!(error.to_string().starts_with("line 13: "), "{error}");
}

#[test]
fn identity_keys_are_normalised_one_way_and_roles_never_share_a_key() {
    let analysis = analyze(&corpus("identity_variants.csv")).unwrap();
    let keys: Vec<(String, f64)> = keys_and_revenue(&analysis);
    // C001: 10 + 20 + 30; abc@: 5 + 6 + 7; strasse@: 8 + 9; the e-mail b@x.com (12) is shown apart
    // from the customer id b@x.com (11).
    assert_eq!(
        keys,
        [
            ("C001".to_string(), 60.0),
            ("abc@example.com".to_string(), 18.0),
            ("strasse@x.de".to_string(), 17.0),
            ("email:b@x.com".to_string(), 12.0),
            ("b@x.com".to_string(), 11.0),
        ]
    );
}

#[test]
fn sums_beyond_i64_minor_units_are_kept_exactly_in_128_bits() {
    let analysis = analyze(&corpus("amounts_that_overflow.csv")).unwrap();
    let report = analysis.report();
    // Counted: order 2 (its first line item, 9e14), orders 5 and 6 (9e14 each), order 7 (12.5 × 2).
    assert_eq!(report.kpis.revenue, 2_700_000_000_000_025.0);
    let revenue: Vec<(String, f64)> = keys_and_revenue(&analysis);
    assert_eq!(
        revenue,
        [
            ("C3".to_string(), 1_800_000_000_000_025.0),
            ("C1".to_string(), 900_000_000_000_000.0)
        ]
    );
}

#[test]
fn escape_sequences_from_the_file_are_escaped_in_json() {
    let report = read_report(&corpus("terminal_escapes.csv"));
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains('\u{1b}') && !json.contains('\u{7}'));
    assert!(json.contains("\\u001b[2J\\u001b]0;owned\\u0007"), "{json}");
}

#[test]
fn lists_keep_cells_from_running_as_formulas_and_every_key_distinct() {
    let analysis = analyze(&corpus("list_cells_for_spreadsheets_and_terminals.csv")).unwrap();
    let list = |encoding| analysis.customers_csv(&CustomerFilter::All, encoding, ListLanguage::En);
    let utf8 = list(CsvEncoding::Utf8);
    assert_eq!(utf8.unwritable, 0);
    let text = String::from_utf8(utf8.bytes).unwrap();
    // Rows by revenue (900 … 100); the name cells of C4, C3 and a😀, and the ids of 800 and 700.
    for line in [
        "\r\n'=x,h@x.com,,",
        "\r\n''=x,g@x.com,''Tis,",
        "\r\nC4,d@x.com,'＝1+1,",
        "\r\nC3,😀@x.com,\"a\t'+1\",",
        "\r\na😀,smile@x.com,\"x;'=HYPERLINK(\"\"http://x.example\"\");\",",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }

    let sjis = list(CsvEncoding::ShiftJis);
    // Cells holding what Shift_JIS lacks: a😀's key; a😁's key and its 𠮷 name; C3's 😀 e-mail; C6's
    // name (U+009B, U+202E); C9's ¥ name (¥ would read back as `\`). 1 + 2 + 1 + 1 + 1 = 6.
    assert_eq!(sjis.unwritable, 6);
    let (decoded, _, malformed) = encoding_rs::SHIFT_JIS.decode(&sjis.bytes);
    assert!(!malformed);
    for line in [
        "\r\nC9,i@x.com,\"&#xA5; shop\",",
        "\r\nC6,f@x.com,\"Eve&#x9B;31m&#x202E;evil\",",
        "\r\nC3,\"&#x1F600;@x.com\",",
        "\r\n\"a&#x1F601;\",grin@x.com,\"&#x20BB7;野 家\",",
        "\r\n\"a&#x1F600;\",smile@x.com,",
    ] {
        assert!(decoded.contains(line), "{line:?} in\n{decoded}");
    }
    assert!(!decoded.contains('?'), "{decoded}");
}

#[test]
fn fuzz_crashers_replay_without_a_failure() {
    let files = files_in(CRASHERS);
    assert!(
        !files.is_empty(),
        "tests/fuzz_crashers/ holds the crashers found so far"
    );
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| harness::check(&data));
        assert!(outcome.is_ok(), "{} fails the fuzz checks", path.display());
    }
}

#[test]
fn the_first_fuzz_crasher_is_a_header_field_with_a_line_break_quoted_in_the_error() {
    // The fuzz target first required error sentences without line breaks; a quoted header field
    // holding "\n" is quoted as found (the CLI escapes control characters when it prints it).
    let data = std::fs::read(
        Path::new(CRASHERS).join("error_quoting_a_header_field_with_a_line_break.bin"),
    )
    .unwrap();
    let case = harness::Case::from_input(&data);
    match harness::run(&[&case.file]) {
        harness::Outcome::Refused(sentence) => {
            assert!(sentence.starts_with("no header row"), "{sentence}");
            assert!(sentence.contains('\n'), "{sentence}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stray_quote_with_more_than_64_mib_after_it_is_read_line_by_line() {
    // Row 1 (line 2) opens a quote in its amount that never closes; then 66 MiB of rows of one
    // order (one line item repeated), streamed in 1 MiB chunks and never held whole.
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    analyzer
        .push(b"order id,email,order date,amount\n2,b@x.com,2024-01-02,\"20\n")
        .unwrap();
    let line = b"1,a@x.com,2024-01-01,10\n";
    let per_chunk = (1 << 20) / line.len();
    let chunk = line.repeat(per_chunk);
    let chunks = 66;
    for _ in 0..chunks {
        analyzer.push(&chunk).unwrap();
    }
    let report = analyzer.finish().unwrap().report();
    let after = (chunks * per_chunk) as u64;
    assert!(after * line.len() as u64 > 64 << 20);
    assert_eq!(
        (report.input.rows, report.input.skipped_rows),
        (after + 1, 0)
    );
    // Order 2 read alone (20) and order 1 (10, its rows agreeing).
    assert_eq!((report.kpis.orders, report.kpis.revenue), (2, 30.0));
    assert_eq!(report.input.warnings.len(), 1);
    let warning = &report.input.warnings[0];
    assert_eq!(
        (warning.row, warning.code.as_str()),
        (Some(2), "runaway_quote")
    );
    assert_eq!(warning.args["lines"], after.to_string());
}
