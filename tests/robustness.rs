//! Hostile input never panics: random bytes, and a valid export with random bytes overwritten,
//! cut short or chunked oddly, each end in a Report or a one-sentence Error.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analyzer, Options};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Runs the analyzer to the end, returning the error text if any.
fn run(chunks: &[&[u8]]) -> Result<u64, String> {
    let mut analyzer = Analyzer::new(Options::default()).map_err(|e| e.to_string())?;
    for chunk in chunks {
        analyzer.push(chunk).map_err(|e| e.to_string())?;
    }
    analyzer
        .finish()
        .map(|a| a.report().kpis.orders)
        .map_err(|e| e.to_string())
}

#[test]
fn random_bytes_give_an_error_sentence_not_a_panic() {
    let mut rng = Lcg(7);
    for len in [1usize, 2, 3, 17, 500, 70_000] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            if let Err(message) = run(&[&bytes]) {
                assert!(
                    !message.is_empty() && !message.contains('\n'),
                    "{message:?}"
                );
            }
        }
    }
}

#[test]
fn a_corrupted_export_is_analysed_or_refused_without_a_panic() {
    let sample = generate(&SampleSpec {
        customers: 60,
        seed: 9,
    })
    .into_bytes();
    let mut rng = Lcg(11);
    for round in 0..200 {
        let mut bytes = sample.clone();
        // Overwrite a few bytes with anything, quotes and line breaks included.
        for _ in 0..1 + round % 8 {
            let at = (rng.next() as usize) % bytes.len();
            bytes[at] = *[b'"', b'\n', b'\r', b',', 0xFF, 0xE3, b'0', rng.next() as u8]
                .get((rng.next() % 8) as usize)
                .unwrap_or(&b'x');
        }
        // Sometimes cut it short, and push it in uneven chunks.
        let end = if round % 3 == 0 {
            (rng.next() as usize) % bytes.len()
        } else {
            bytes.len()
        };
        let bytes = &bytes[..end];
        let cut = (rng.next() as usize) % (bytes.len() + 1);
        let _ = run(&[&bytes[..cut], &bytes[cut..]]);
    }
}

#[test]
fn after_an_error_the_analyzer_keeps_reporting_it() {
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    let first = analyzer
        .push(b"\x89PNG\r\n\x1a\n")
        .and_then(|()| analyzer.finish().map(|_| ()));
    let again = analyzer.finish().map(|_| ());
    assert!(first.is_err());
    assert_eq!(first, again);
}
