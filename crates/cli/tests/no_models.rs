//! `ltv-lens analyze --no-models`: the Report's `models` is null and every other field is the one the
//! full run prints; the table says the models were not requested.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

#[track_caller]
fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ltv-lens {args:?}: {e}"));
    assert!(
        out.status.success(),
        "ltv-lens {args:?} failed with {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn no_models_prints_null_models_and_the_rest_of_the_full_report() {
    let path = fixture("segments_cohorts_lapse.csv");
    let path = path.to_str().unwrap();
    let json = |extra: &[&str]| -> serde_json::Map<String, Value> {
        let mut args = vec!["analyze", path, "--json"];
        args.extend_from_slice(extra);
        match serde_json::from_slice(&run(&args).stdout).unwrap() {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    };
    let mut full = json(&[]);
    let mut lean = json(&["--no-models"]);
    assert!(full["models"].is_object(), "{}", full["models"]);
    assert_eq!(lean.get("models"), Some(&Value::Null));
    full.remove("models");
    lean.remove("models");
    assert_eq!(lean, full);

    let table = String::from_utf8(run(&["analyze", path, "--no-models"]).stdout).unwrap();
    assert!(
        table.contains("not requested: --no-models"),
        "the table does not say so:\n{table}"
    );
}
