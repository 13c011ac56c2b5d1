//! Files and histories on which a repeat-purchase model cannot be fitted: each candidate that fails
//! carries a note with a code, the others still stand, and nothing is NaN (one customer; nobody
//! repeats; everyone on one day; a million identical histories).

use ltv_lens::models::repeat::{self, ModelKind};
use ltv_lens::models::CustomerSummary;
use ltv_lens::{Analyzer, ModelNoteCode, Options};

fn models(csv: &str) -> ltv_lens::Models {
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    let models = analyzer.finish().unwrap().report().models;
    models.expect("models requested")
}

/// Every candidate has either a fit (finite parameters, log-likelihood and BIC) or a note, never both,
/// and the whole section serialises without a non-finite number (serde_json would write it as null).
#[track_caller]
fn assert_fitted_or_noted(models: &ltv_lens::Models) -> Vec<Option<ModelNoteCode>> {
    assert_eq!(models.candidates.len(), 3);
    let json = serde_json::to_value(models).unwrap();
    models
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let fitted = &json["candidates"][i];
            match &c.note {
                Some(note) => {
                    assert!(c.params.is_none() && c.bic.is_none(), "{c:?}");
                    assert!(note.message.ends_with('.'), "{}", note.message);
                    Some(note.code)
                }
                None => {
                    for key in ["log_likelihood", "bic"] {
                        assert!(fitted[key].as_f64().unwrap().is_finite(), "{fitted}");
                    }
                    for value in fitted["params"].as_object().unwrap().values() {
                        assert!(value.as_f64().unwrap() > 0.0, "{fitted}");
                    }
                    None
                }
            }
        })
        .collect()
}

#[test]
fn one_customer_gives_a_note_per_candidate_and_no_prediction() {
    let m = models("customer,date,amount\nA,2024-01-05,10\nA,2024-03-05,20\nA,2024-06-05,30\n");
    let codes = assert_fitted_or_noted(&m);
    assert_eq!(codes, [Some(ModelNoteCode::TooFewRepeatCustomers); 3]);
    assert!(m.chosen.is_none() && m.totals.is_none());
    assert!(m
        .notes
        .iter()
        .any(|n| n.code == ModelNoteCode::PurchasesNotPredicted));
}

#[test]
fn nobody_repeating_gives_a_note_per_candidate() {
    let csv: String = std::iter::once("customer,date,amount\n".to_string())
        .chain((0..60).map(|i| format!("C{i},2024-{:02}-{:02},10\n", 1 + i % 12, 1 + i % 28)))
        .collect();
    let m = models(&csv);
    let codes = assert_fitted_or_noted(&m);
    assert_eq!(codes, [Some(ModelNoteCode::TooFewRepeatCustomers); 3]);
    let args = &m.candidates[2].note.as_ref().unwrap().args;
    assert_eq!(
        (args["model"].as_str(), args["found"].as_str()),
        ("Pareto/NBD", "0")
    );
}

#[test]
fn everyone_on_one_day_gives_a_note_per_candidate() {
    let csv: String = std::iter::once("order,customer,date,amount\n".to_string())
        .chain((0..40).flat_map(|i| {
            [
                format!("{i}a,C{i},2024-05-01,10\n"),
                format!("{i}b,C{i},2024-05-01,12\n"),
            ]
        }))
        .collect();
    let m = models(&csv);
    let codes = assert_fitted_or_noted(&m);
    // Two orders on one day are one occasion: nobody has a repeat purchase, and no time is observed.
    assert!(codes.iter().all(Option::is_some), "{codes:?}");
}

#[test]
fn a_million_identical_histories_are_refused_or_fitted_without_nan() {
    // The same summary a million times, and besides it a varied population: every model either refuses
    // the identical histories with a sentence or fits finite parameters, and each model's fit of the
    // varied data is untouched by what another model does.
    let identical = vec![
        CustomerSummary {
            x: 2.0,
            t_x: 10.0,
            t: 30.0,
            monetary: 5.0,
        };
        1_000_000
    ];
    for kind in ModelKind::ALL {
        match repeat::fit(kind, &identical) {
            Err(e) => {
                let text = e.to_string();
                assert!(text.ends_with('.') && !text.contains("NaN"), "{text}");
            }
            Ok(fit) => {
                assert!(fit.model.theta.iter().all(|v| v.is_finite() && *v > 0.0));
                assert!(fit.log_likelihood.is_finite());
                let p = fit.model.predict(52.0, &identical[..1])[0];
                assert!(p.p_alive.is_finite() && p.expected_purchases.is_finite());
                assert!((0.0..=1.0).contains(&p.p_no_purchase));
            }
        }
    }
}
