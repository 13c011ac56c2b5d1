//! The public CDNOW sample (tests/data/cdnow, 2,357 customers, 6,919 records) against figures
//! published with it: every customer made a first purchase in 1997 Q1, and in the calibration period
//! up to 1997-09-30, 946 customers made at least one repeat transaction (purchases on one day are one
//! transaction), the count the Gamma-Gamma fits of Fader & Hardie use; and the published model fits.
//!
//! Published fits on the 39-week calibration period in weeks: BG/NBD r = 0.2425945, α = 4.4136019,
//! a = 0.7929199, b = 2.4258881, LL = −9582.429 (Fader, Hardie & Lee 2005, reproduced by independent
//! implementations); Gamma-Gamma on the 946 repeaters p = 6.2496, q = 3.7442, γ = 15.4435 (Fader &
//! Hardie 2013). The product reaches them through its own options: `as_of` 1997-09-30 leaves the later
//! orders out, and the models are fitted in weeks.

use chrono::NaiveDate;
use ltv_lens::models::repeat::ModelKind;
use ltv_lens::TimeUnit;
use ltv_lens::{Analysis, Analyzer, CustomerFilter, Options};
use std::path::Path;

/// The CDNOW records as a generic CSV (customer id, order date, amount), optionally cut at a date.
fn cdnow_csv(last_day: Option<&str>) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cdnow/CDNOW_sample.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut csv = String::from("customer id,order date,amount\n");
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [customer, _sample_id, date, _cds, dollars] = fields[..] else {
            panic!("unexpected CDNOW line {line:?}");
        };
        if last_day.is_none_or(|last| date <= last) {
            csv.push_str(&format!("{customer},{date},{dollars}\n"));
        }
    }
    csv
}

fn analyze(csv: &str) -> ltv_lens::Report {
    analysis(csv, Options::default()).report()
}

fn analysis(csv: &str, options: Options) -> Analysis {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap()
}

#[track_caller]
fn within_percent(got: f64, want: f64, percent: f64, what: &str) {
    assert!(
        ((got - want) / want).abs() <= percent / 100.0,
        "{what}: {got}, published {want}"
    );
}

#[test]
fn the_published_bgnbd_and_gamma_gamma_fits_are_reproduced_in_weeks() {
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(1997, 9, 30),
        time_unit: TimeUnit::Week,
        ..Options::default()
    };
    let report = analysis(&cdnow_csv(None), options).report();
    // 4,960 records fall on or before 1997-09-30, 1,959 after (counted with awk on the data file).
    assert_eq!(report.input.orders_after_as_of, 1959);
    let models = report.models.as_ref().expect("models requested");
    assert_eq!(models.time_unit, TimeUnit::Week);
    let m = models.bgnbd.as_ref().expect("BG/NBD fitted");
    assert_eq!((m.customers, m.repeat_customers), (2357, 946));
    within_percent(m.r, 0.2425945, 1.0, "r");
    within_percent(m.alpha, 4.4136019, 1.0, "alpha");
    within_percent(m.a, 0.7929199, 1.0, "a");
    within_percent(m.b, 2.4258881, 1.0, "b");
    assert!(
        (m.log_likelihood - -9582.429).abs() <= 0.1,
        "LL {}",
        m.log_likelihood
    );
    let g = models.gamma_gamma.as_ref().expect("Gamma-Gamma fitted");
    assert_eq!(g.customers, 946);
    within_percent(g.p, 6.2496, 1.0, "p");
    within_percent(g.q, 3.7442, 1.0, "q");
    within_percent(g.gamma, 15.4435, 1.0, "gamma");
}

/// Asserts `got` rounds to `want`'s 3 significant digits (within half a unit of the third digit).
#[track_caller]
fn three_significant_digits(got: f64, want: f64, what: &str) {
    let unit = 10f64.powf(want.abs().log10().floor() - 2.0);
    assert!(
        (got - want).abs() <= 0.5 * unit,
        "{what}: {got}, reference {want}"
    );
}

#[test]
fn the_reference_pareto_nbd_and_mbgnbd_fits_are_reproduced_in_weeks() {
    // Pareto/NBD r 0.5533, α 10.578, s 0.6061, β 11.665 (Fader, Hardie & Lee's note; BTYD);
    // MBG/NBD r 0.5248, α 6.1831, a 0.8914, b 1.6140 (Batislam et al.'s model, the lifetimes fit).
    let options = Options {
        as_of: NaiveDate::from_ymd_opt(1997, 9, 30),
        time_unit: TimeUnit::Week,
        ..Options::default()
    };
    let report = analysis(&cdnow_csv(None), options).report();
    let models = report.models.as_ref().expect("models requested");
    let kinds: Vec<ModelKind> = models.candidates.iter().map(|c| c.model).collect();
    assert_eq!(
        kinds,
        [ModelKind::BgNbd, ModelKind::MbgNbd, ModelKind::ParetoNbd]
    );
    let json = serde_json::to_value(&models.candidates).unwrap();
    let param = |i: usize, name: &str| json[i]["params"][name].as_f64().unwrap();
    three_significant_digits(param(0, "r"), 0.2426, "BG/NBD r");
    three_significant_digits(param(1, "r"), 0.5248, "MBG/NBD r");
    three_significant_digits(param(1, "alpha"), 6.1831, "MBG/NBD alpha");
    three_significant_digits(param(1, "a"), 0.8914, "MBG/NBD a");
    three_significant_digits(param(1, "b"), 1.6140, "MBG/NBD b");
    three_significant_digits(param(2, "r"), 0.5533, "Pareto/NBD r");
    three_significant_digits(param(2, "alpha"), 10.578, "Pareto/NBD alpha");
    three_significant_digits(param(2, "s"), 0.6061, "Pareto/NBD s");
    three_significant_digits(param(2, "beta"), 11.665, "Pareto/NBD beta");
    for (i, c) in json.as_array().unwrap().iter().enumerate() {
        // BIC = 4 ln(2357) − 2 ln L, ln 2357 = 7.7652.
        let ll = c["log_likelihood"].as_f64().unwrap();
        let bic = c["bic"].as_f64().unwrap();
        assert!((bic - (4.0 * 7.765_145 - 2.0 * ll)).abs() < 1e-3, "{i}");
        assert!(c["se"]["r"].as_f64().unwrap() > 0.0);
        assert!(c["note"].is_null());
        let holdout = &c["holdout"];
        let (predicted, actual) = (
            holdout["predicted"].as_f64().unwrap(),
            holdout["actual"].as_f64().unwrap(),
        );
        let error = holdout["error"].as_f64().unwrap();
        assert!((error - (predicted - actual).abs() / actual).abs() < 1e-12);
    }
    // The chosen model has the lowest holdout error.
    let chosen = models.chosen.unwrap();
    let error_of = |kind: ModelKind| {
        models
            .candidates
            .iter()
            .find(|c| c.model == kind)
            .and_then(|c| c.holdout.as_ref()?.error)
            .unwrap()
    };
    for kind in kinds {
        assert!(error_of(chosen) <= error_of(kind));
    }
}

#[test]
fn predictions_on_the_full_history_in_days_are_consistent_with_the_customer_list() {
    // BG/NBD picked, so that a customer without a repeat purchase is alive for certain.
    let bgnbd = Options {
        model: Some(ModelKind::BgNbd),
        ..Options::default()
    };
    let full = analysis(&cdnow_csv(None), bgnbd.clone());
    let report = full.report();
    let models = report.models.as_ref().expect("models requested");
    assert_eq!(models.time_unit, TimeUnit::Day);
    assert!(
        models.bgnbd.is_some() && models.gamma_gamma.is_some(),
        "{:?}",
        models.notes
    );
    let rows = full.customers(&CustomerFilter::All);
    assert_eq!(rows.len(), 2357);
    let mut sum_purchases = 0.0;
    let mut sum_clv = 0.0;
    for row in &rows {
        let (p_alive, purchases, value, clv) = (
            row.p_alive.unwrap(),
            row.expected_purchases.unwrap(),
            row.expected_value.unwrap(),
            row.clv.unwrap(),
        );
        assert!((0.0..=1.0).contains(&p_alive) && purchases >= 0.0 && value >= 0.0);
        if row.occasions == 1 {
            assert_eq!(
                p_alive, 1.0,
                "{}: no repeat purchase, P(alive) is 1",
                row.customer_key
            );
        }
        assert!((clv - purchases * value).abs() <= 1e-9 * clv.max(1.0));
        sum_purchases += purchases;
        sum_clv += clv;
    }
    let totals = models.totals.as_ref().unwrap();
    assert_eq!(totals.horizon_days, 365);
    assert!((totals.expected_purchases - sum_purchases).abs() < 1e-6 * sum_purchases);
    assert!((totals.clv.unwrap() - sum_clv).abs() < 1e-6 * sum_clv);
    let histogram: u64 = models.p_alive_histogram.iter().sum();
    assert_eq!((models.p_alive_histogram.len(), histogram), (10, 2357));
    let certain = rows.iter().filter(|r| r.p_alive == Some(1.0)).count() as u64;
    assert!(models.p_alive_histogram[9] >= certain);
    let by_segment: f64 = models.by_segment.iter().map(|s| s.expected_purchases).sum();
    assert!((by_segment - sum_purchases).abs() < 1e-6 * sum_purchases);
    // The top list is the customers with the highest CLV, highest first.
    let top = full.customers(&CustomerFilter::TopClv(10));
    let mut best: Vec<f64> = rows.iter().filter_map(|r| r.clv).collect();
    best.sort_by(|a, b| b.total_cmp(a));
    let top_clv: Vec<f64> = top.iter().filter_map(|r| r.clv).collect();
    assert_eq!(top_clv, best[..10]);

    // A longer horizon never expects fewer purchases; a margin and a discount rate lower CLV.
    let mut longer = analysis(&cdnow_csv(None), Options::default());
    longer
        .set_options(Options {
            horizon_days: 730,
            ..bgnbd.clone()
        })
        .unwrap();
    let longer_rows = longer.customers(&CustomerFilter::All);
    for (short, long) in rows.iter().zip(&longer_rows) {
        assert_eq!(short.customer_key, long.customer_key);
        assert!(long.expected_purchases.unwrap() >= short.expected_purchases.unwrap());
    }
    longer
        .set_options(Options {
            margin: 0.4,
            annual_discount_rate: 0.1,
            ..bgnbd.clone()
        })
        .unwrap();
    let discounted = longer.report().models.unwrap().totals.unwrap().clv.unwrap();
    assert!(
        discounted < 0.4 * sum_clv && discounted > 0.3 * sum_clv,
        "{discounted} vs {sum_clv}"
    );

    // The holdout check holds out the last third of the history and accounts for every customer.
    let holdout = models.holdout.as_ref().expect("a holdout check");
    assert!(holdout.note.is_none(), "{:?}", holdout.note);
    let by_frequency: u64 = holdout.by_frequency.iter().map(|f| f.customers).sum();
    assert_eq!(by_frequency, holdout.calibration_customers);
    let last = holdout.tracking.last().unwrap();
    assert_eq!(last.day, holdout.holdout_days);
    assert_eq!(last.actual, holdout.actual_purchases);
    assert!((last.expected - holdout.predicted_purchases).abs() < 1e-6 * last.expected);
    assert!(holdout
        .tracking
        .windows(2)
        .all(|w| w[1].actual >= w[0].actual && w[1].expected >= w[0].expected));
}

#[test]
fn the_whole_sample_has_its_published_customer_and_record_counts() {
    let report = analyze(&cdnow_csv(None));
    assert_eq!(report.kpis.customers, 2357);
    assert_eq!(report.kpis.orders, 6919);
    assert_eq!(report.input.skipped_rows, 0);
    // First purchases all fall in 1997 Q1.
    let new_customers: u64 = report.monthly.iter().map(|m| m.new_customers).sum();
    let q1: u64 = report
        .monthly
        .iter()
        .filter(|m| m.month.as_str() <= "1997-03")
        .map(|m| m.new_customers)
        .sum();
    assert_eq!((new_customers, q1), (2357, 2357));
}

#[test]
fn the_calibration_period_has_946_repeat_customers() {
    let report = analyze(&cdnow_csv(Some("19970930")));
    assert_eq!(report.kpis.customers, 2357);
    assert_eq!(report.funnel[1].customers, 946);
}

#[test]
fn the_likely_gone_list_and_the_intervals_of_the_customer_list() {
    let full = analysis(&cdnow_csv(None), Options::default());
    let report = full.report();
    let models = report.models.as_ref().expect("models requested");
    let rows = full.customers(&CustomerFilter::All);
    // The filter keeps exactly the customers whose p_no_purchase is above 0.8.
    let gone = full.customers(&CustomerFilter::no_purchase_above(0.8).unwrap());
    let above: Vec<&str> = rows
        .iter()
        .filter(|r| r.p_no_purchase.unwrap() > 0.8)
        .map(|r| r.customer_key.as_str())
        .collect();
    let listed: Vec<&str> = gone.iter().map(|r| r.customer_key.as_str()).collect();
    assert_eq!(listed, above);
    assert!(!listed.is_empty() && listed.len() < rows.len());
    for row in &rows {
        let p = row.p_no_purchase.unwrap();
        // No purchase is at least as likely as having dropped out, and a one-time buyer's is below 1.
        assert!(
            p >= 1.0 - row.p_alive.unwrap() - 1e-12 && p <= 1.0,
            "{row:?}"
        );
        if row.occasions == 1 {
            assert!(p < 1.0, "{row:?}");
        }
        for (low, high) in [
            (row.p_alive_low, row.p_alive_high),
            (row.p_no_purchase_low, row.p_no_purchase_high),
            (row.expected_purchases_low, row.expected_purchases_high),
            (row.clv_low, row.clv_high),
        ] {
            let (low, high) = (low.unwrap(), high.unwrap());
            assert!(low.is_finite() && low >= 0.0 && low <= high, "{row:?}");
        }
        assert!(row.p_alive_high.unwrap() <= 1.0 && row.p_no_purchase_high.unwrap() <= 1.0);
    }
    // The totals' intervals hold the sums of the customers' predictions, and the echo of the settings.
    let totals = models.totals.as_ref().unwrap();
    let intervals = totals.intervals.as_ref().unwrap();
    assert_eq!(intervals.draws, 200);
    let e = intervals.expected_purchases;
    assert!(e.low < totals.expected_purchases && totals.expected_purchases < e.high);
    let clv = intervals.clv.unwrap();
    assert!(clv.low < totals.clv.unwrap() && totals.clv.unwrap() < clv.high);
    assert_eq!(
        (
            models.horizon_days,
            models.margin,
            models.annual_discount_rate
        ),
        (365, 1.0, 0.0)
    );
    // The same file gives the same intervals.
    let again = analysis(&cdnow_csv(None), Options::default()).report();
    assert_eq!(
        again.models.unwrap().totals.unwrap().intervals.unwrap(),
        *intervals
    );
}
