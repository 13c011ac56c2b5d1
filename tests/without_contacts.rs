//! `Analyzer::without_contacts`: the customers' e-mails and names are not kept while reading. The
//! Report is the same as the full analysis's, field for field, on every fixture and on generated
//! exports; the customer list is the same with its e-mail and name left empty.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analysis, Analyzer, CustomerFilter, Options};
use serde_json::Value;

fn analyze(csv: &[u8], contacts: bool) -> Analysis {
    let analyzer = Analyzer::new(Options::default()).unwrap();
    let mut analyzer = if contacts {
        analyzer
    } else {
        analyzer.without_contacts()
    };
    // Small chunks: the choice holds across chunk boundaries.
    for chunk in csv.chunks(97) {
        analyzer.push(chunk).unwrap();
    }
    analyzer.finish().unwrap()
}

/// The customer list as JSON values, with the e-mail and the name emptied when `blank` says so.
fn list(analysis: &Analysis, blank: bool) -> Vec<Value> {
    analysis
        .customers(&CustomerFilter::All)
        .into_iter()
        .map(|mut row| {
            if blank {
                row.email = None;
                row.name = None;
            }
            serde_json::to_value(row).unwrap()
        })
        .collect()
}

/// Every fixture that reads into a Report, and two generated exports.
fn exports() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "csv"))
        .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
        .collect();
    files.sort();
    for seed in [1, 2] {
        let csv = generate(&SampleSpec {
            customers: 300,
            seed,
        });
        files.push((format!("generated, seed {seed}"), csv.into_bytes()));
    }
    files
}

#[test]
fn without_contacts_the_report_is_the_same_and_the_list_lacks_only_emails_and_names() {
    let mut compared = 0;
    let mut emails_seen = 0;
    for (name, csv) in exports() {
        let mut full = Analyzer::new(Options::default()).unwrap();
        if full.push(&csv).and_then(|()| full.finish()).is_err() {
            continue; // an error fixture: no Report either way
        }
        let (full, lean) = (analyze(&csv, true), analyze(&csv, false));
        assert_eq!(
            serde_json::to_value(lean.report()).unwrap(),
            serde_json::to_value(full.report()).unwrap(),
            "{name}"
        );
        assert_eq!(list(&lean, false), list(&full, true), "{name}");
        assert!(lean
            .customers(&CustomerFilter::All)
            .iter()
            .all(|row| row.email.is_none() && row.name.is_none()));
        emails_seen += full
            .customers(&CustomerFilter::All)
            .iter()
            .filter(|row| row.email.is_some())
            .count();
        compared += 1;
    }
    // The comparison covered files whose customers have e-mails to leave out.
    assert!(compared > 20, "{compared} exports compared");
    assert!(emails_seen > 500, "{emails_seen} e-mails in the full lists");
}
