//! `Options::models` off: the Report's `models` is `None` (`null` in JSON), in the whole Report and in
//! parts, while every other field is the one the full Report has; turning it on again with
//! `set_options` brings the section back, equal to a fresh full analysis's.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analysis, Analyzer, Options};
use serde_json::Value;

fn analyze(csv: &str, options: Options) -> Analysis {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap()
}

fn without_models() -> Options {
    Options {
        models: false,
        ..Options::default()
    }
}

/// The Report as a JSON object.
fn object(analysis: &Analysis) -> serde_json::Map<String, Value> {
    match serde_json::to_value(analysis.report()).unwrap() {
        Value::Object(map) => map,
        other => panic!("the Report is not an object: {other}"),
    }
}

#[test]
fn without_models_the_section_is_null_and_every_other_field_is_the_full_reports() {
    for seed in [1, 2] {
        let csv = generate(&SampleSpec {
            customers: 300,
            seed,
        });
        let mut full = object(&analyze(&csv, Options::default()));
        let lean_analysis = analyze(&csv, without_models());
        assert!(lean_analysis.report().models.is_none());
        let mut lean = object(&lean_analysis);
        // The full Report has a fitted section, so the comparison below is not between two nulls.
        assert!(
            full["models"]["bgnbd"].is_object(),
            "seed {seed}: {}",
            full["models"]
        );
        assert_eq!(lean.get("models"), Some(&Value::Null), "seed {seed}");
        assert_eq!(
            lean_analysis
                .serialize_section("models", serde_json::value::Serializer)
                .unwrap()
                .unwrap(),
            Value::Null
        );
        full.remove("models");
        lean.remove("models");
        assert_eq!(lean, full, "seed {seed}");
    }
}

#[test]
fn the_models_come_back_when_asked_for_again() {
    let csv = generate(&SampleSpec {
        customers: 200,
        seed: 3,
    });
    let mut analysis = analyze(&csv, without_models());
    assert!(analysis.report().models.is_none());
    analysis.set_options(Options::default()).unwrap();
    let fresh = analyze(&csv, Options::default());
    assert!(analysis.report().models.is_some());
    assert_eq!(analysis.report(), fresh.report());
}
