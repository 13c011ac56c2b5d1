//! Chunk-boundary invariance: the Report must not depend on where the input is split, whatever
//! falls on the boundary (a BOM, a CRLF, a quoted newline, a multi-byte UTF-8 or Shift_JIS
//! character, the end of the encoding-sniffing window), at every byte of small files and at seeded
//! random chunk sizes (single bytes to twice the window) on files larger than the window.
//!
//! The thousands of Reports of those loops are made without the models section (`Options.models`
//! false), whose three fits and intervals would cost a second each; the models are a function of the
//! customers' summaries the other sections are built from, and are compared whole on a few splits of
//! the sample export (`the_models_do_not_depend_on_chunking`).

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::SNIFF_BYTES;
use ltv_lens::{Analyzer, Options, Report};

/// The Report of `chunks` without its models section.
fn analyze(chunks: &[&[u8]]) -> Result<Report, ltv_lens::Error> {
    analyze_with(chunks, false)
}

fn analyze_with(chunks: &[&[u8]], models: bool) -> Result<Report, ltv_lens::Error> {
    let options = Options {
        models,
        ..Options::default()
    };
    let mut analyzer = Analyzer::new(options)?;
    for chunk in chunks {
        analyzer.push(chunk)?;
    }
    analyzer.finish().map(|analysis| analysis.report())
}

/// Tiny deterministic generator for chunk sizes.
fn lcg(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[track_caller]
fn assert_split_invariant(input: &[u8], positions: impl Iterator<Item = usize>) {
    let whole = analyze(&[input]).expect("the fixture is a valid order file");
    for at in positions {
        let split = analyze(&[&input[..at], &input[at..]]).unwrap();
        assert_eq!(split, whole, "split at byte {at}");
    }
}

#[track_caller]
fn assert_random_chunking_invariant(input: &[u8], runs: u64, max_chunk: u64) {
    let whole = analyze(&[input]).unwrap();
    for seed in 0..runs {
        let mut state = seed;
        let mut chunks = Vec::new();
        let mut rest = input;
        while !rest.is_empty() {
            let n = (1 + lcg(&mut state) % max_chunk) as usize;
            let (head, tail) = rest.split_at(n.min(rest.len()));
            chunks.push(head);
            rest = tail;
        }
        assert_eq!(analyze(&chunks).unwrap(), whole, "chunking seed {seed}");
    }
}

/// Seeded random chunk sizes of every scale: single bytes, a few KiB, around the 64 KiB sniffing
/// window and beyond it, so that chunks start, end and straddle the window anywhere.
#[track_caller]
fn assert_mixed_chunking_invariant(input: &[u8], runs: u64) {
    let whole = analyze(&[input]).unwrap();
    for seed in 0..runs {
        let mut state = seed ^ 0x5eed;
        let mut chunks = Vec::new();
        let mut rest = input;
        while !rest.is_empty() {
            let r = lcg(&mut state);
            let n = match r % 4 {
                0 => 1 + (r >> 2) % 16,
                1 => 1 + (r >> 2) % 4096,
                2 => SNIFF_BYTES as u64 - 64 + (r >> 2) % 128,
                _ => 1 + (r >> 2) % (2 * SNIFF_BYTES as u64),
            } as usize;
            let (head, tail) = rest.split_at(n.min(rest.len()));
            chunks.push(head);
            rest = tail;
        }
        assert_eq!(
            analyze(&chunks).unwrap(),
            whole,
            "mixed chunking seed {seed}"
        );
    }
}

/// A small file with every tricky boundary: BOM, title row, CRLF, quoted delimiters and newlines,
/// multi-byte characters, a blank line, no final newline.
const TRICKY: &str = "\u{FEFF}Orders report, 2024\r\n\r\n\
order id,customer id,email,product,order date,amount,status\r\n\
1,C1,a@example.com,\"緑茶, 100g\",2024-01-05 10:00:00 +0900,\"1,200\",paid\r\n\
2,C2,,\"Gift \"\"box\"\"\nwith card\",2024/1/9,980,paid\r\n\
\r\n\
3,C1,A@example.com,抹茶,2024年2月1日,¥2500,paid\r\n\
4,C3,c@example.com,ほうじ茶,20240203,500,cancelled\r\n\
5,,,ゲスト,2024-02-04,700,paid\r\n\
6,C2,b@example.com,煎茶,2024-03-15,bad,paid\r\n\
7,C2,b@example.com,煎茶,2024-03-16,1500,paid";

#[test]
fn a_tricky_file_gives_the_same_report_split_at_every_byte() {
    let input = TRICKY.as_bytes();
    let report = analyze(&[input]).unwrap();
    // Orders 1, 2, 3, 5, 7 count; 4 is cancelled; 6 has an unreadable amount.
    assert_eq!(report.kpis.orders, 5);
    assert_eq!(report.input.excluded_orders, 1);
    assert_eq!(report.input.skipped_rows, 1);
    assert_split_invariant(input, 0..=input.len());
    assert_random_chunking_invariant(input, 50, 8);
}

#[test]
fn the_same_file_in_shift_jis_gives_the_same_numbers_split_at_every_byte() {
    let (sjis, _, unmappable) =
        encoding_rs::SHIFT_JIS.encode(TRICKY.trim_start_matches('\u{FEFF}'));
    assert!(!unmappable);
    let utf8 = analyze(&[TRICKY.as_bytes()]).unwrap();
    let shift_jis = analyze(&[&sjis]).unwrap();
    assert_eq!(shift_jis.input.encoding, "Shift_JIS");
    assert_eq!(shift_jis.kpis, utf8.kpis);
    assert_eq!(shift_jis.input.warnings, utf8.input.warnings);
    assert_split_invariant(&sjis, 0..=sjis.len());
}

#[test]
fn a_sample_export_larger_than_the_sniffing_window_is_split_invariant() {
    let sample = generate(&SampleSpec {
        customers: 150,
        seed: 5,
    });
    let input = sample.as_bytes();
    assert!(
        input.len() > SNIFF_BYTES + 1000,
        "the sample must cross the sniffing window"
    );
    let near = |p: usize| p.saturating_sub(200)..(p + 200).min(input.len());
    let positions = (0..200)
        .chain(near(SNIFF_BYTES))
        .chain(near(input.len()))
        .chain((0..input.len()).step_by(997));
    assert_split_invariant(input, positions);
    assert_random_chunking_invariant(input, 20, 5000);
    assert_mixed_chunking_invariant(input, 20);
}

#[test]
fn the_models_do_not_depend_on_chunking() {
    let sample = generate(&SampleSpec {
        customers: 150,
        seed: 5,
    });
    let input = sample.as_bytes();
    let whole = analyze_with(&[input], true).unwrap();
    assert!(whole.models.is_some(), "the models section is computed");
    for at in [1, SNIFF_BYTES, input.len() / 2, input.len() - 1] {
        let split = analyze_with(&[&input[..at], &input[at..]], true).unwrap();
        assert_eq!(split, whole, "split at byte {at}");
    }
}

#[test]
fn a_large_shift_jis_file_is_split_invariant_around_the_sniffing_window() {
    let mut text = String::from("注文番号,会員ID,注文日時,商品名,合計金額,対応状況\n");
    let mut n = 0;
    while text.len() < SNIFF_BYTES * 2 {
        n += 1;
        let status = if n % 17 == 0 {
            "注文キャンセル"
        } else {
            "発送済み"
        };
        text.push_str(&format!(
            "{n},M{},2024-{:02}-{:02} 12:00:00,有機緑茶「やぶきた」,{},{status}\n",
            n % 97,
            1 + n % 12,
            1 + n % 28,
            1000 + n % 7 * 100
        ));
    }
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
    let report = analyze(&[&sjis]).unwrap();
    assert_eq!(report.input.encoding, "Shift_JIS");
    assert_eq!(report.input.excluded_orders, n / 17);
    assert_eq!(report.kpis.orders, n - n / 17);
    let near = |p: usize| p - 100..p + 100;
    assert_split_invariant(
        &sjis,
        near(SNIFF_BYTES).chain((0..sjis.len()).step_by(1009)),
    );
    assert_random_chunking_invariant(&sjis, 10, 3000);
    assert_mixed_chunking_invariant(&sjis, 10);
}
