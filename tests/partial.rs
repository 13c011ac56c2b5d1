//! Partial states (README "Partial states"): an export split by customer into shards, each read into a
//! partial state, the states merged in a random order and grouping, gives the Report (and the customer
//! list) of the export read whole, field for field.
//!
//! The exports are the generated ones (`ltv_lens::sample`, orders and subscriptions, several seeds and
//! sizes) and every fixture of `tests/fixtures/`. The split is made here, independently of the
//! analyzer: each record goes to the shard of its order's customer (the first non-empty customer id
//! or e-mail among the order's rows, trimmed and lower-cased; guests to the shard of the empty key),
//! the header (and any title rows above it) copied to every shard, the records' relative order kept.
//! The shard count (2 to 6), the hash seed and the merge tree are drawn from a fixed seed ([`SEED`]), so every
//! run tries the same cases. Also here: the byte round trip, merges that must be refused, and bytes
//! that are not a state (truncated, foreign, of a future or older version, damaged or made up) giving an
//! error, never a panic, and the shard names that the located warnings of merged states carry.

use ltv_lens::sample::{self, SampleSpec};
use ltv_lens::{
    Analysis, Analyzer, CsvEncoding, CustomerFilter, ErrorCode, ListLanguage, Options,
    PartialState, STATE_FORMAT_VERSION,
};
use serde_json::Value;
use std::path::Path;
use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::UnicodeNormalization;

/// The seed of every random choice in this file.
const SEED: u64 = 0x17_0b17;

/// SplitMix64: a small, fixed pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The records of a CSV as byte ranges (a record ends at a line feed outside quotes).
fn records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                out.push(&bytes[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        out.push(&bytes[start..]);
    }
    out
}

/// The fields of a record, unquoted.
fn fields(record: &[u8], delimiter: u8) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new()];
    let mut quoted = false;
    let mut i = 0;
    while i < record.len() {
        let b = record[i];
        match b {
            b'"' if quoted && record.get(i + 1) == Some(&b'"') => {
                out.last_mut().unwrap().push(b'"');
                i += 1;
            }
            b'"' => quoted = !quoted,
            b'\r' | b'\n' if !quoted => {}
            _ if b == delimiter && !quoted => out.push(Vec::new()),
            _ => out.last_mut().unwrap().push(b),
        }
        i += 1;
    }
    out
}

/// A header as text: UTF-8 (a byte-order mark dropped), else Shift_JIS.
fn header_text(field: &[u8]) -> String {
    let field = field.strip_prefix(b"\xef\xbb\xbf").unwrap_or(field);
    match std::str::from_utf8(field) {
        Ok(text) => text.to_lowercase(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(field).0.to_lowercase(),
    }
}

/// `csv` split by customer into `shards` files (see the module docs), with `seed` in the hash; and the
/// length of the lines every shard begins with (the header and any title rows).
fn split(csv: &[u8], shards: usize, seed: u64) -> (Vec<Vec<u8>>, usize) {
    let records = records(csv);
    // The header: the first record of three fields or more; title rows above it go to every shard.
    let Some(at) = records
        .iter()
        .position(|r| [b',', b';', b'\t'].iter().any(|&d| fields(r, d).len() >= 3))
    else {
        return (vec![csv.to_vec()], 0);
    };
    let header = records[at];
    let delimiter = *[b',', b';', b'\t']
        .iter()
        .max_by_key(|&&d| fields(header, d).len())
        .unwrap();
    let names: Vec<String> = fields(header, delimiter)
        .iter()
        .map(|f| header_text(f))
        .collect();
    let find = |words: &[&str]| -> Vec<usize> {
        let mut columns: Vec<usize> = Vec::new();
        for word in words {
            for (i, name) in names.iter().enumerate() {
                if name.contains(word) && !columns.contains(&i) {
                    columns.push(i);
                }
            }
        }
        columns
    };
    // Customer ids before e-mails; the order id: the first column naming an order number or id.
    let customer_columns = find(&[
        "customer id",
        "customer-id",
        "customer_id",
        "member",
        "会員",
        "email",
        "e-mail",
        "メール",
    ]);
    let order_column = find(&[
        "order id",
        "order_id",
        "order no",
        "order number",
        "order #",
        "注文番号",
        "注文id",
    ])
    .first()
    .copied()
    .or_else(|| (names.first().map(String::as_str) == Some("name")).then_some(0));
    let rows: Vec<Vec<Vec<u8>>> = records[at + 1..]
        .iter()
        .map(|r| fields(r, delimiter))
        .collect();
    // Normalised as customer keys are (README "Definitions"): NFKC, case-folded, White_Space and
    // format characters trimmed; a customer id and an e-mail that read alike go to one shard.
    let text = |row: &Vec<Vec<u8>>, column: usize| -> Vec<u8> {
        let raw = String::from_utf8_lossy(row.get(column).map_or(&[][..], |v| v));
        let nfkc: String = raw.nfkc().collect();
        let folded: String = caseless::default_case_fold_str(&nfkc).nfkc().collect();
        folded
            .trim_matches(|c: char| {
                c.is_whitespace() || get_general_category(c) == GeneralCategory::Format
            })
            .as_bytes()
            .to_vec()
    };
    let key_of_row = |row: &Vec<Vec<u8>>| -> Vec<u8> {
        customer_columns
            .iter()
            .map(|&c| text(row, c))
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    // Each order's key: its first row's with a customer.
    let mut order_keys: std::collections::HashMap<Vec<u8>, Vec<u8>> = Default::default();
    if let Some(column) = order_column {
        for row in &rows {
            let key = key_of_row(row);
            let entry = order_keys.entry(text(row, column)).or_default();
            if entry.is_empty() {
                *entry = key;
            }
        }
    }
    let hash = |key: &[u8]| {
        key.iter().fold(seed ^ 0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let mut out: Vec<Vec<u8>> = vec![records[..=at].concat(); shards];
    for (record, row) in records[at + 1..].iter().zip(&rows) {
        let key = match order_column {
            Some(column) if !text(row, column).is_empty() => order_keys[&text(row, column)].clone(),
            _ => key_of_row(row),
        };
        out[(hash(&key) % shards as u64) as usize].extend_from_slice(record);
    }
    let prefix = records[..=at].concat().len();
    (out, prefix)
}

fn options() -> Options {
    Options::default()
}

fn analyzer(bytes: &[u8], options: &Options) -> Analyzer {
    let mut analyzer = Analyzer::new(options.clone()).unwrap();
    for chunk in bytes.chunks(7919) {
        analyzer.push(chunk).unwrap();
    }
    analyzer
}

/// The states merged by a random tree: a random run of two or three neighbours merged at a time, after
/// a shuffle.
fn merge_randomly(mut states: Vec<PartialState>, rng: &mut Rng) -> PartialState {
    for i in (1..states.len()).rev() {
        states.swap(i, rng.below(i + 1));
    }
    while states.len() > 1 {
        let at = rng.below(states.len() - 1);
        let len = (2 + rng.below(2)).min(states.len() - at);
        let group: Vec<PartialState> = states.drain(at..at + len).collect();
        // Through bytes now and then, as between machines.
        let mut merged = PartialState::merge(group).unwrap();
        if rng.below(2) == 0 {
            merged = PartialState::from_bytes(&merged.to_bytes()).unwrap();
        }
        states.insert(at, merged);
    }
    states.pop().unwrap()
}

fn json(analysis: &Analysis) -> Value {
    serde_json::to_value(analysis.report()).unwrap()
}

fn has_located_warnings(report: &Value) -> bool {
    report["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| !w["row"].is_null())
}

/// Checks that `csv` split into shards and merged gives the Report of `csv` read whole; answers how
/// many shards had a data row.
#[track_caller]
fn check_split(name: &str, csv: &[u8], options: &Options, rng: &mut Rng) -> usize {
    let whole = analyzer(csv, options).finish();
    let (shards, header) = split(csv, 2 + rng.below(5), rng.next());
    let filled = shards.iter().filter(|s| s.len() > header).count();
    let states: Vec<PartialState> = shards
        .iter()
        .map(|shard| analyzer(shard, options).finish_partial().unwrap())
        .collect();
    let merged = merge_randomly(states.clone(), rng);
    // Merged again in another order and grouping: the same state, byte for byte.
    let again = merge_randomly(states, rng);
    assert_eq!(
        merged.to_bytes(),
        again.to_bytes(),
        "{name}: merge order shows"
    );
    let merged = merged.into_analysis(options.clone());
    let (whole, merged) = match (whole, merged) {
        (Ok(whole), Ok(merged)) => (whole, merged),
        (Err(a), Err(b)) => {
            assert_eq!(a.code(), b.code(), "{name}: {a} / {b}");
            return filled;
        }
        (a, b) => panic!(
            "{name}: whole {:?}, merged {:?}",
            a.err().map(|e| e.to_string()),
            b.err().map(|e| e.to_string())
        ),
    };
    let (mut a, mut b) = (json(&whole), json(&merged));
    if has_located_warnings(&a) || shards.len() == 1 {
        // Lines are lines of each shard's file (README "Partial states"); everything else is exact.
        assert_eq!(
            a["input"]["warnings"].as_array().unwrap().is_empty(),
            b["input"]["warnings"].as_array().unwrap().is_empty(),
            "{name}"
        );
        a["input"]["warnings"] = Value::Null;
        b["input"]["warnings"] = Value::Null;
    }
    assert_eq!(a, b, "{name}: {} shards", shards.len());
    let list = |analysis: &Analysis| {
        analysis
            .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
            .bytes
    };
    assert_eq!(list(&whole), list(&merged), "{name}: customer list");
    filled
}

#[test]
fn generated_exports_split_by_customer_merge_into_the_whole_report() {
    let mut rng = Rng(SEED);
    for (customers, seed) in [(40, 1), (300, 2), (1500, 3)] {
        let spec = SampleSpec { customers, seed };
        let filled = check_split(
            &format!("sample {customers}"),
            sample::generate(&spec).as_bytes(),
            &options(),
            &mut rng,
        );
        let subscriptions = sample::subscriptions::generate(&spec);
        let filled_too = check_split(
            &format!("subscriptions {customers}"),
            subscriptions.as_bytes(),
            &options(),
            &mut rng,
        );
        assert!(filled + filled_too >= 3, "{filled} and {filled_too} shards");
    }
    // Analysis options act on the merged state as on the whole file.
    let spec = SampleSpec {
        customers: 400,
        seed: 4,
    };
    let weeks = Options {
        as_of: Some(chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()),
        f2_window_days: 90,
        time_unit: ltv_lens::TimeUnit::Week,
        margin: 0.4,
        annual_discount_rate: 0.1,
        ..Options::default()
    };
    check_split(
        "sample 400, options",
        sample::generate(&spec).as_bytes(),
        &weeks,
        &mut rng,
    );
}

#[test]
fn every_fixture_split_by_customer_merges_into_the_whole_report() {
    let mut rng = Rng(SEED ^ 1);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".csv") && !n.starts_with("error_"))
        .collect();
    names.sort();
    assert!(names.len() > 25);
    let mut split_files = 0;
    for name in &names {
        let csv = std::fs::read(dir.join(name)).unwrap();
        let most = (0..5)
            .map(|_| check_split(name, &csv, &options(), &mut rng))
            .max();
        split_files += usize::from(most >= Some(2));
    }
    // The split is not idle: every fixture went to several shards at least once, but the one of a
    // single customer (order_fields_first_non_empty.csv).
    assert!(
        split_files + 1 == names.len(),
        "{split_files} of {} split",
        names.len()
    );
}

/// A shard of a generic export.
fn state(csv: &str, options: &Options) -> Result<PartialState, ltv_lens::Error> {
    let mut analyzer = Analyzer::new(options.clone())?;
    analyzer.push(csv.as_bytes())?;
    analyzer.finish_partial()
}

#[test]
fn the_day_month_order_is_decided_over_every_shard() {
    // Shard a has only dates that read both ways; shard b settles day-first (13/02/2024). The whole
    // file reads 01/02/2024 as 1 February, so must the merge: 3 orders, A's two occasions 1 and 3
    // February (2 days), not 2 January and 2 March.
    let header = "order id,customer id,order date,total\n";
    let a = format!("{header}1,A,01/02/2024,10\n2,A,03/02/2024,10\n");
    let b = format!("{header}3,B,13/02/2024,10\n");
    let whole = format!("{header}1,A,01/02/2024,10\n2,A,03/02/2024,10\n3,B,13/02/2024,10\n");
    let merged = PartialState::merge(vec![
        state(&a, &options()).unwrap(),
        state(&b, &options()).unwrap(),
    ])
    .unwrap()
    .into_analysis(options())
    .unwrap();
    let mut analyzer = Analyzer::new(options()).unwrap();
    analyzer.push(whole.as_bytes()).unwrap();
    let whole = analyzer.finish().unwrap();
    assert_eq!(json(&merged), json(&whole));
    assert_eq!(merged.report().kpis.days_to_second.median, Some(2.0));
    assert_eq!(merged.report().as_of.as_deref(), Some("2024-02-13"));
}

#[test]
fn bytes_round_trip_to_the_same_state() {
    let csv = sample::generate(&SampleSpec {
        customers: 200,
        seed: 5,
    });
    let state = analyzer(csv.as_bytes(), &options())
        .finish_partial()
        .unwrap();
    let bytes = state.to_bytes();
    let back = PartialState::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    assert_eq!(
        (back.customers(), back.orders()),
        (state.customers(), state.orders())
    );
    let whole = analyzer(csv.as_bytes(), &options()).finish().unwrap();
    assert_eq!(json(&back.into_analysis(options()).unwrap()), json(&whole));
    // The state is far smaller than the export it comes from.
    assert!(
        bytes.len() * 5 < csv.len(),
        "{} bytes of state for {} of CSV",
        bytes.len(),
        csv.len()
    );
}

#[track_caller]
fn refused(bytes: &[u8], code: ErrorCode, words: &str) {
    match PartialState::from_bytes(bytes) {
        Ok(_) => panic!("{} bytes were read as a state", bytes.len()),
        Err(e) => {
            assert_eq!(e.code(), code, "{e}");
            assert!(e.to_string().contains(words), "{e:?} lacks {words:?}");
        }
    }
}

/// FNV-1a 64, as the format's checksum (README "Partial state format").
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `bytes` with its checksum made right again.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let end = bytes.len() - 8;
    let sum = fnv1a(&bytes[..end]);
    bytes[end..].copy_from_slice(&sum.to_le_bytes());
    bytes
}

#[test]
fn bytes_that_are_not_a_state_give_an_error_not_a_panic() {
    let csv = "order id,customer id,order date,total,product,source\n1,A,2024-01-05,100,Tea,web\n\
               2,A,2024-03-01 10:00,50,Cup,ads\n3,,2024-02-10,80,,\n";
    let bytes = state(csv, &options()).unwrap().to_bytes();
    let invalid = ErrorCode::InvalidState;
    refused(b"", invalid, "signature");
    refused(csv.as_bytes(), invalid, "signature");
    refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", invalid, "signature");
    // Every truncation.
    for len in 0..bytes.len() {
        assert_eq!(
            PartialState::from_bytes(&bytes[..len]).unwrap_err().code(),
            invalid
        );
    }
    refused(&bytes[..bytes.len() - 1], invalid, "truncated or damaged");
    refused(&bytes[..10], invalid, "truncated");
    // A future version: refused by its number, before anything else is read.
    let mut future = bytes.clone();
    future[8..12].copy_from_slice(&(STATE_FORMAT_VERSION + 1).to_le_bytes());
    refused(
        &future,
        invalid,
        &format!("format version {}", STATE_FORMAT_VERSION + 1),
    );
    refused(&future, invalid, "newer");
    // A state of format version 2 (before shard names): refused too, as an older version.
    let mut older = bytes.clone();
    older[8..12].copy_from_slice(&2u32.to_le_bytes());
    refused(&older, invalid, "format version 2, an older version");
    // One flipped bit anywhere after the version: the checksum.
    let mut rng = Rng(SEED ^ 2);
    for _ in 0..200 {
        let mut damaged = bytes.clone();
        let at = 12 + rng.below(damaged.len() - 12);
        damaged[at] ^= 1 << rng.below(8);
        refused(&damaged, invalid, "truncated or damaged");
    }
    // Made up: bytes changed and the checksum made right. Read or refused, and a state read has a
    // Report; never a panic.
    for _ in 0..3000 {
        let mut made_up = bytes.clone();
        for _ in 0..1 + rng.below(4) {
            let at = 12 + rng.below(made_up.len() - 20);
            made_up[at] = rng.next() as u8;
        }
        if let Ok(state) = PartialState::from_bytes(&resealed(made_up)) {
            if let Ok(analysis) = state.into_analysis(options()) {
                let _ = analysis.report();
                let _ = analysis.customers_csv(
                    &CustomerFilter::All,
                    CsvEncoding::Utf8,
                    ListLanguage::En,
                );
            }
        }
    }
}

#[test]
fn merges_that_would_mix_what_a_whole_file_keeps_apart_are_refused() {
    let header = "order id,customer id,order date,total\n";
    let a = state(&format!("{header}1,A,2024-01-05,100\n"), &options()).unwrap();
    let disagree = |states: Vec<PartialState>, words: &str| {
        let e = PartialState::merge(states).unwrap_err();
        assert_eq!(e.code(), ErrorCode::StatesDisagree, "{e}");
        assert!(e.to_string().contains(words), "{e} lacks {words:?}");
    };
    // A customer in two shards.
    let a_again = state(&format!("{header}2,A,2024-02-05,100\n"), &options()).unwrap();
    disagree(vec![a.clone(), a_again], "customer 'A' is in more than one");
    // Two currencies.
    let with_currency = |currency: &str| {
        let csv = format!("order id,customer id,order date,total,currency\n1,{currency},2024-01-05,1,{currency}\n");
        state(&csv, &options()).unwrap()
    };
    disagree(vec![with_currency("USD"), with_currency("EUR")], "'USD'");
    // Other columns, or other reading options.
    let other_columns = state(
        "order id,email,order date,total\n2,b@x,2024-01-05,1\n",
        &options(),
    )
    .unwrap();
    disagree(vec![a.clone(), other_columns], "columns differ");
    let day_first = Options {
        date_order: Some(ltv_lens::DayOrder::DayFirst),
        ..Options::default()
    };
    let b = state(&format!("{header}2,B,2024-01-05,100\n"), &day_first).unwrap();
    disagree(vec![a.clone(), b.clone()], "reading options");
    // The input encoding is a reading option: a shard read as chosen UTF-8 and one whose encoding
    // was detected (UTF-8 too) are not merged, nor is the Report asked in another encoding.
    let utf8 = Options {
        encoding: Some(ltv_lens::TextEncoding::Utf8),
        ..Options::default()
    };
    let chosen = state(
        &format!(
            "{header}3,C,2024-01-05,100
"
        ),
        &utf8,
    )
    .unwrap();
    disagree(vec![a.clone(), chosen.clone()], "input encoding");
    assert!(chosen.into_analysis(utf8.clone()).is_ok());
    let e = a.clone().into_analysis(utf8).err().unwrap();
    assert_eq!(e.code(), ErrorCode::InvalidOption, "{e}");
    disagree(Vec::new(), "no state");
    // Reading options are not analysis options.
    // A state keeps the reading options it was read with.
    assert!(b.into_analysis(options()).is_ok());
    let e = a.clone().into_analysis(day_first).err().unwrap();
    assert_eq!(e.code(), ErrorCode::InvalidOption, "{e}");
    // Guests are no customer: they may be anywhere.
    let guests = |id: u32| state(&format!("{header}{id},,2024-01-05,100\n"), &options()).unwrap();
    let merged = PartialState::merge(vec![guests(1), a, guests(2)]).unwrap();
    let report = merged.into_analysis(options()).unwrap().report();
    assert_eq!((report.kpis.customers, report.kpis.orders), (1, 3));
}

#[test]
fn shards_without_rows_merge_and_a_whole_without_rows_is_refused_as_a_file_is() {
    let header = "order id,customer id,order date,total\n";
    let empty = || state(header, &options()).unwrap();
    let one = state(&format!("{header}1,A,2024-01-05,100\n"), &options()).unwrap();
    let merged = PartialState::merge(vec![empty(), one, empty()]).unwrap();
    assert_eq!(
        merged
            .into_analysis(options())
            .unwrap()
            .report()
            .kpis
            .orders,
        1
    );
    let nothing = PartialState::merge(vec![empty(), empty()]).unwrap();
    let e = nothing.into_analysis(options()).err().unwrap();
    assert_eq!(e.code(), ErrorCode::NoRows, "{e}");
}

/// The codes and arguments of a Report's warnings (their lines are each shard's own), sorted.
fn warning_findings(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].to_string(), w["args"].to_string()))
        .collect();
    found.sort();
    found
}

/// `csv` read whole and as `shards` merged, with `options` for both.
fn whole_and_merged(csv: &str, shards: &[String], options: &Options) -> (Analysis, Analysis) {
    let whole = analyzer(csv.as_bytes(), options).finish().unwrap();
    let states = shards
        .iter()
        .map(|shard| {
            analyzer(shard.as_bytes(), options)
                .finish_partial()
                .unwrap()
        })
        .collect();
    let merged = PartialState::merge(states)
        .unwrap()
        .into_analysis(options.clone())
        .unwrap();
    (whole, merged)
}

#[test]
fn outlier_dates_are_decided_over_the_merged_state() {
    // Shard a holds the history (A: 2024-01-05 and 2024-03-01; B: 2024-02-10); shard b holds C's
    // order typed as 1924 and D's orders of 2025-06-01 and 2026-12-31, after today (2026-12-03).
    // Read whole: 2026-12-31 is after today; the other dates sorted split into runs where they are
    // more than 731 days apart: [1924-05-01] and [2024-01-05 .. 2025-06-01] (457 days from 2024-03-01
    // to 2025-06-01), 1 order against 4, so 1924 is isolated. 2 orders are left out, 4 stay (A's two,
    // B's, D's first) of 3 customers. Shard b alone would keep 1924: its runs are [1924] and
    // [2025-06-01], 1 against 1, and a run is isolated only at half the history's size or less.
    let header = "order id,customer id,order date,total\n";
    let a = format!("{header}1,A,2024-01-05,100\n2,A,2024-03-01,50\n3,B,2024-02-10,80\n");
    let b = format!("{header}4,C,1924-05-01,70\n5,D,2025-06-01,20\n6,D,2026-12-31,30\n");
    let whole = format!("{a}{}", &b[header.len()..]);
    let today = Options {
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 3),
        ..options()
    };
    let (whole_read, merged) = whole_and_merged(&whole, &[a.clone(), b.clone()], &today);
    let (mut x, mut y) = (json(&whole_read), json(&merged));
    assert_eq!(x["input"]["outlier_orders"], 2);
    assert_eq!(
        (x["kpis"]["customers"].clone(), x["kpis"]["orders"].clone()),
        (3.into(), 4.into())
    );
    assert_eq!(warning_findings(&x), warning_findings(&y));
    let codes: Vec<String> = warning_findings(&y).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["\"date_after_today\"", "\"date_isolated\""]);
    x["input"]["warnings"] = Value::Null;
    y["input"]["warnings"] = Value::Null;
    assert_eq!(x, y);
    assert_eq!(
        whole_read
            .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
            .bytes,
        merged
            .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
            .bytes
    );
    // `today` and `keep_outlier_dates` act when the Report is made: the same states kept whole.
    let kept = Options {
        keep_outlier_dates: true,
        ..today.clone()
    };
    let states = [&a, &b].map(|shard| analyzer(shard.as_bytes(), &today).finish_partial().unwrap());
    let merged = PartialState::merge(states.to_vec()).unwrap();
    let kept_report = json(&merged.clone().into_analysis(kept.clone()).unwrap());
    let whole_kept = json(&analyzer(whole.as_bytes(), &kept).finish().unwrap());
    assert_eq!(kept_report, whole_kept);
    assert_eq!(kept_report["input"]["outlier_orders"], 0);
    assert_eq!(kept_report["kpis"]["orders"], 6);
    // Without a today, only the 1924 order is left out.
    let no_today = json(&merged.into_analysis(options()).unwrap());
    assert_eq!(no_today["input"]["outlier_orders"], 1);
    assert_eq!(no_today["kpis"]["orders"], 5);
}

#[test]
fn a_customer_id_and_a_guest_e_mail_that_read_alike_in_two_shards_show_apart() {
    // Customer id b@x.com in shard a, the guest e-mail B@X.com in shard b: two customers, the
    // e-mail shown as email:b@x.com as in the whole file; shard b alone shows it as b@x.com.
    let header = "order id,customer id,email,order date,total\n";
    let a = format!("{header}1,b@x.com,,2024-01-09,11\n2,A,,2024-01-10,5\n");
    let b = format!("{header}3,,B@X.com,2024-02-09,12\n4,,B@X.com,2024-03-09,13\n");
    let whole = format!("{a}{}", &b[header.len()..]);
    let (whole, merged) = whole_and_merged(&whole, &[a, b.clone()], &options());
    assert_eq!(json(&whole), json(&merged));
    let list = |analysis: &Analysis| {
        String::from_utf8(
            analysis
                .customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En)
                .bytes,
        )
        .unwrap()
    };
    let merged_list = list(&merged);
    assert_eq!(list(&whole), merged_list);
    assert!(merged_list.contains("\nemail:b@x.com,"), "{merged_list}");
    assert!(merged_list.contains("\nb@x.com,"), "{merged_list}");
    assert_eq!(merged.report().kpis.customers, 3);
    let alone = analyzer(b.as_bytes(), &options())
        .finish_partial()
        .unwrap()
        .into_analysis(options())
        .unwrap();
    assert!(list(&alone).contains("\nb@x.com,"));
    assert!(!list(&alone).contains("email:"));
}

#[test]
fn the_exact_sum_limit_is_checked_over_the_merged_state() {
    // Amounts with one decimal may add up to 10^14 units (README "Definitions"): two shards of
    // 60000000000000.5 each are within it, together 120000000000001 past it, so the merged state is
    // refused as the whole file is.
    let header = "order id,customer id,order date,total\n";
    let a = format!("{header}1,A,2024-01-05,60000000000000.5\n");
    let b = format!("{header}2,B,2024-01-06,60000000000000.5\n");
    let whole = format!("{a}{}", &b[header.len()..]);
    let whole = analyzer(whole.as_bytes(), &options()).finish();
    assert_eq!(
        whole.err().map(|e| e.code()),
        Some(ErrorCode::AmountsTooLarge)
    );
    let states: Vec<PartialState> = [&a, &b]
        .iter()
        .map(|s| analyzer(s.as_bytes(), &options()).finish_partial().unwrap())
        .collect();
    for state in &states {
        assert!(state.clone().into_analysis(options()).is_ok());
    }
    let merged = PartialState::merge(states)
        .unwrap()
        .into_analysis(options());
    assert_eq!(
        merged.err().map(|e| e.code()),
        Some(ErrorCode::AmountsTooLarge)
    );
}

#[test]
fn counted_warnings_of_several_shards_add_up() {
    // Rows with an empty field past the header and rows with a byte that is not UTF-8: 2 + 1 and
    // 1 + 2 in the shards, one warning each with 3 in the whole file and in the merged state. The
    // encoding is given: the weighing of UTF-8 against the legacy encodings is a shard's own.
    let options = Options {
        encoding: Some(ltv_lens::TextEncoding::Utf8),
        ..options()
    };
    let header = "order id,customer id,order date,total\n";
    let mut a = header.as_bytes().to_vec();
    a.extend_from_slice(b"1,A,2024-01-05,100,\n2,A,2024-02-05,100,\n3,A\xff,2024-03-05,10\n");
    let mut b = header.as_bytes().to_vec();
    b.extend_from_slice(b"4,B,2024-01-07,100,\n5,B\xfe,2024-02-07,100\n6,C\xfd,2024-02-08,1\n");
    let mut whole = a.clone();
    whole.extend_from_slice(&b[header.len()..]);
    let whole = json(&analyzer(&whole, &options).finish().unwrap());
    let states: Vec<PartialState> = [&a, &b]
        .iter()
        .map(|s| analyzer(s, &options).finish_partial().unwrap())
        .collect();
    let merged = json(
        &PartialState::merge(states)
            .unwrap()
            .into_analysis(options.clone())
            .unwrap(),
    );
    let counts = |report: &Value| warning_findings(report);
    assert_eq!(counts(&whole), counts(&merged));
    assert_eq!(
        counts(&merged),
        [
            (
                "\"extra_empty_fields\"".to_string(),
                "{\"count\":\"3\"}".to_string()
            ),
            ("\"not_utf8\"".to_string(), "{\"count\":\"3\"}".to_string()),
        ]
    );
}

#[test]
fn bad_files_of_the_corpus_split_by_customer_merge_into_the_whole_report() {
    let mut rng = Rng(SEED ^ 2);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_files");
    for name in [
        "identity_variants.csv",
        "invisible_characters_in_ids.csv",
        "nul_bytes_near_the_top.csv",
        "one_bad_byte_in_utf8.csv",
        "unquoted_thousands_separator.csv",
    ] {
        let csv = std::fs::read(dir.join(name)).unwrap();
        for _ in 0..3 {
            check_split(name, &csv, &options(), &mut rng);
        }
    }
}

/// The line, code and shard name of each warning of a Report, in its order.
fn located_shards(report: &Value) -> Vec<(Option<u64>, String, Option<String>)> {
    report["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let shard = w["args"]
                .get("shard")
                .map(|s| s.as_str().unwrap().to_string());
            (
                w["row"].as_u64(),
                w["code"].as_str().unwrap().to_string(),
                shard,
            )
        })
        .collect()
}

#[test]
fn located_warnings_of_merged_states_name_their_shard() {
    // Shard north: a date that cannot be read on its line 3. Shard south: an amount that cannot be
    // read on its line 2, and C's only order typed as 1924 on its line 4, isolated over the merged
    // history (1 order against the 4 of 2024; shard south alone has 1 against 1 and keeps it).
    // Shard east has no name: its date that cannot be read (line 2) carries no shard.
    let header = "order id,customer id,order date,total\n";
    let north = format!("{header}1,A,2024-01-05,100\n2,A,2024-13-45,50\n3,A,2024-03-01,50\n");
    let south = format!("{header}4,B,2024-02-10,abc\n5,B,2024-02-11,80\n6,C,1924-05-01,70\n");
    let east = format!("{header}7,D,2024-99-01,10\n8,D,2024-04-01,10\n");
    let read = |csv: &str, name: &str| state(csv, &options()).unwrap().named(name);
    let states = vec![
        read(&north, "north.csv"),
        read(&south, "south.csv"),
        read(&east, ""),
    ];
    let merged = PartialState::merge(states.clone()).unwrap();
    // Sorted by line, then column (`order date` before `total`), as README "Partial states" says.
    let want = [
        (Some(2), "not_a_date", None),
        (Some(2), "not_an_amount", Some("south.csv")),
        (Some(3), "not_a_date", Some("north.csv")),
        (Some(4), "date_isolated", Some("south.csv")),
    ]
    .map(|(row, code, shard)| (row, code.to_string(), shard.map(str::to_string)));
    let report = json(&merged.clone().into_analysis(options()).unwrap());
    assert_eq!(located_shards(&report), want);
    assert_eq!(report["input"]["outlier_orders"], 1);
    // In any order and grouping, and through bytes: the same state.
    let [n, s, e]: [PartialState; 3] = states.clone().try_into().unwrap();
    let south_east = PartialState::from_bytes(&PartialState::merge(vec![e, s]).unwrap().to_bytes());
    let again = PartialState::merge(vec![south_east.unwrap(), n]).unwrap();
    assert_eq!(again.to_bytes(), merged.to_bytes());
    let back = PartialState::from_bytes(&merged.to_bytes()).unwrap();
    assert_eq!(json(&back.into_analysis(options()).unwrap()), report);
    // A named shard's own Report, and the whole file's, name no shard.
    let alone = json(&read(&south, "south.csv").into_analysis(options()).unwrap());
    assert!(located_shards(&alone)
        .iter()
        .all(|(_, _, shard)| shard.is_none()));
    let whole = format!("{north}{}{}", &south[header.len()..], &east[header.len()..]);
    let whole = json(&analyzer(whole.as_bytes(), &options()).finish().unwrap());
    assert!(located_shards(&whole)
        .iter()
        .all(|(row, _, shard)| row.is_some() && shard.is_none()));
    // Unnamed shards merged: no shard either.
    let unnamed = PartialState::merge(vec![read(&north, ""), read(&south, "")]).unwrap();
    let unnamed = json(&unnamed.into_analysis(options()).unwrap());
    assert!(located_shards(&unnamed)
        .iter()
        .all(|(_, _, shard)| shard.is_none()));
    assert_eq!(located_shards(&unnamed).len(), 3);
}
