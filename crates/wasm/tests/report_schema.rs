//! The Report that the analyzer produces, checked against `schema/report.schema.json` by a JSON Schema
//! validator (the `jsonschema` crate): the Report of every fixture in `tests/fixtures/` that the
//! analyzer accepts, and of generated sample exports (the only inputs here with fitted models and a
//! holdout check). `schema.rs` keeps the schema file current with the Rust types; this checks that the
//! types' JSON and the schema agree, and that the schema is strict enough to catch a field too many or
//! too few.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analyzer, Options};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repository().join("schema/report.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// The Report of `bytes` as JSON, or `None` when the analyzer refuses the file.
fn report(bytes: &[u8], options: Options) -> Option<Value> {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(bytes).ok()?;
    let analysis = analyzer.finish().ok()?;
    Some(serde_json::to_value(analysis.report()).unwrap())
}

/// The validator's complaints about `report`, one line each.
fn errors(validator: &jsonschema::Validator, report: &Value) -> Vec<String> {
    validator
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A sample export's Report: models fitted, a holdout check, every segment.
fn sample_report() -> Value {
    let csv = generate(&SampleSpec {
        customers: 400,
        seed: 1,
    });
    report(csv.as_bytes(), Options::default()).unwrap()
}

#[test]
fn the_report_of_every_fixture_and_of_the_sample_is_valid() {
    let validator = validator();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(repository().join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv"))
        .collect();
    fixtures.sort();
    let mut checked = 0;
    for path in &fixtures {
        let name = path.file_name().unwrap().to_string_lossy();
        let Some(report) = report(&std::fs::read(path).unwrap(), Options::default()) else {
            assert!(name.starts_with("error_"), "{name} is refused");
            continue;
        };
        let errors = errors(&validator, &report);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} fixtures were analysed");

    let sample = sample_report();
    assert!(
        sample["models"]["bgnbd"].is_object(),
        "the sample's models are fitted"
    );
    assert!(sample["models"]["holdout"].is_object());
    assert!(
        errors(&validator, &sample).is_empty(),
        "{:#?}",
        errors(&validator, &sample)
    );
    // Other options: weeks, a margin and a discount rate, a holdout split, an earlier as_of, other F
    // bands.
    let csv = generate(&SampleSpec {
        customers: 400,
        seed: 1,
    });
    let options = Options {
        time_unit: ltv_lens::TimeUnit::Week,
        annual_discount_rate: 0.1,
        margin: 0.4,
        f_band_starts: [1, 3, 5, 8, 13],
        as_of: chrono::NaiveDate::from_ymd_opt(2024, 10, 31),
        holdout_split: chrono::NaiveDate::from_ymd_opt(2024, 4, 30),
        ..Options::default()
    };
    let other = report(csv.as_bytes(), options).unwrap();
    assert!(
        other["models"]["gamma_gamma"].is_object(),
        "fitted in weeks too"
    );
    assert!(other["models"]["holdout"]["tracking"].is_array());
    assert!(
        errors(&validator, &other).is_empty(),
        "{:#?}",
        errors(&validator, &other)
    );
}

/// A change to a valid Report.
type Mutation = fn(&mut Value);

#[test]
fn a_field_too_many_or_too_few_or_of_another_type_is_rejected() {
    let validator = validator();
    let sample = sample_report();
    assert!(validator.is_valid(&sample));
    let mutations: [(&str, Mutation); 8] = [
        ("an unknown top-level field", |r| {
            r["extra"] = Value::from(1);
        }),
        ("an unknown field in a section", |r| {
            r["kpis"]["lifetime_value"] = Value::from(1.5);
        }),
        ("an unknown field deep in the models", |r| {
            r["models"]["by_segment"][0]["median_clv"] = Value::from(0.0);
        }),
        ("a required section missing", |r| {
            r.as_object_mut().unwrap().remove("rfm");
        }),
        ("a required field missing", |r| {
            r["kpis"].as_object_mut().unwrap().remove("revenue");
        }),
        ("a number as a string", |r| {
            r["kpis"]["orders"] = Value::from("12");
        }),
        ("an unknown segment key", |r| {
            r["rfm"]["segments"][0]["key"] = Value::from("vip");
        }),
        ("null where a value is required", |r| {
            r["input"]["rows"] = Value::Null;
        }),
    ];
    for (what, mutate) in mutations {
        let mut report = sample.clone();
        mutate(&mut report);
        assert!(!validator.is_valid(&report), "{what} is accepted");
    }
}
