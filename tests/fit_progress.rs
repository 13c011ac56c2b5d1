//! The models' fitting reports its steps: 0 first, then one more after each step up to the total (with a
//! holdout period 3 × 2 + 2 = 8: each of BG/NBD, MBG/NBD and Pareto/NBD fitted and refitted on the
//! calibration period, the spend model, the predictions; without one 3 + 2 = 5); once per analysis, so
//! a second Report or a fit after it reports nothing; nothing without the models; and the Report made
//! with progress is the Report made without.

use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analysis, Analyzer, FitProgress, Options};

fn analyze(csv: &str, options: Options) -> Analysis {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap()
}

fn steps(total: u32) -> Vec<FitProgress> {
    (0..=total)
        .map(|done| FitProgress { done, total })
        .collect()
}

#[test]
fn every_step_is_reported_once_in_order_and_the_report_is_unchanged() {
    let csv = generate(&SampleSpec {
        customers: 300,
        seed: 6,
    });
    let analysis = analyze(&csv, Options::default());
    let mut seen = Vec::new();
    let report = analysis.report_with_progress(&mut |step| seen.push(step));
    assert!(report.models.as_ref().unwrap().holdout.is_some());
    assert_eq!(seen, steps(8));
    // Fitted once: asking again reports nothing, and gives the same Report.
    let mut again = Vec::new();
    assert_eq!(
        analysis.report_with_progress(&mut |step| again.push(step)),
        report
    );
    analysis.fit_models(&mut |step| again.push(step));
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(analyze(&csv, Options::default()).report(), report);
}

#[test]
fn fit_models_first_then_the_report_uses_those_fits() {
    let csv = generate(&SampleSpec {
        customers: 300,
        seed: 6,
    });
    let analysis = analyze(&csv, Options::default());
    let mut seen = Vec::new();
    analysis.fit_models(&mut |step| seen.push(step));
    assert_eq!(seen, steps(8));
    assert_eq!(
        analysis.report(),
        analyze(&csv, Options::default()).report()
    );
}

#[test]
fn without_a_holdout_period_there_are_five_steps_and_without_models_none() {
    // A split after the analysis date leaves nothing to hold out: no holdout check, no refits.
    let csv = generate(&SampleSpec {
        customers: 300,
        seed: 7,
    });
    let analysis = analyze(
        &csv,
        Options {
            holdout_split: chrono::NaiveDate::from_ymd_opt(2100, 1, 1),
            ..Options::default()
        },
    );
    let mut seen = Vec::new();
    let report = analysis.report_with_progress(&mut |step| seen.push(step));
    assert!(report.models.as_ref().unwrap().holdout.is_none());
    assert_eq!(seen, steps(5));

    let lean = analyze(
        &csv,
        Options {
            models: false,
            ..Options::default()
        },
    );
    let mut none = Vec::new();
    assert!(lean
        .report_with_progress(&mut |step| none.push(step))
        .models
        .is_none());
    lean.fit_models(&mut |step| none.push(step));
    assert!(none.is_empty(), "{none:?}");
}
