//! The Report in parts (the head, then each registered section on its own, as the page receives it)
//! is the whole Report: the same keys with the same values, on generated exports and at another
//! analysis date and F2 window.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analysis, Analyzer, Options, SECTIONS};
use serde_json::Value;

fn analyze(csv: &str, options: Options) -> Analysis {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap()
}

/// The head and every section, serialised one by one and put together in registry order.
fn in_parts(analysis: &Analysis) -> Value {
    let Value::Object(mut report) = serde_json::to_value(analysis.report_head()).unwrap() else {
        panic!("the head is not an object");
    };
    for section in SECTIONS {
        let value = analysis
            .serialize_section(section.name, serde_json::value::Serializer)
            .unwrap_or_else(|| panic!("{} is not a section", section.name))
            .unwrap();
        report.insert(section.name.to_string(), value);
    }
    Value::Object(report)
}

#[test]
fn the_report_in_parts_is_the_whole_report() {
    for seed in [1, 2] {
        let csv = generate(&SampleSpec {
            customers: 300,
            seed,
        });
        for options in [
            Options::default(),
            Options {
                f2_window_days: 90,
                as_of: chrono::NaiveDate::from_ymd_opt(2024, 6, 30),
                ..Options::default()
            },
        ] {
            let analysis = analyze(&csv, options);
            let whole = serde_json::to_value(analysis.report()).unwrap();
            let parts = in_parts(&analysis);
            assert_eq!(parts, whole, "seed {seed}");
        }
    }
}

#[test]
fn a_name_that_is_not_a_section_is_none() {
    let analysis = analyze(
        "order id,customer id,order date,total\n1,A,2024-01-05,100\n",
        Options::default(),
    );
    for name in ["input", "as_of", "kpi", ""] {
        assert!(analysis
            .serialize_section(name, serde_json::value::Serializer)
            .is_none());
    }
}
