//! Invariants of the v2 sections and the customer lists, on generated exports of several sizes and
//! seeds, at the default analysis date and at earlier ones, with default and other F bands:
//! segments and the R×F grid partition the customers and their revenue, cohorts start at full
//! retention and their cumulative revenue never falls, lapse groups and thresholds are consistent,
//! and every list holds exactly the customers its section counts, with the same revenue; the drivers'
//! value bands and discount groups partition the F2-eligible customers, and timing agrees with the
//! funnel; no number of the Report is a negative zero. On generated subscription exports: survival by
//! delivery never rises and is the product of the rates, the monthly active counts follow
//! active(m + 1) = active(m) + new(m) − churned(m), and the units, deliveries and churn add up.

use chrono::NaiveDate;
use ltv_lens::sample::{generate, SampleSpec};
use ltv_lens::{Analysis, Analyzer, CustomerFilter, CustomerRow, DriverGroup, Options};
use ltv_lens::{LapseState, Segment, Subscriptions};

fn analysis(csv: &str, options: Options) -> Analysis {
    let mut analyzer = Analyzer::new(options).unwrap();
    analyzer.push(csv.as_bytes()).unwrap();
    analyzer.finish().unwrap()
}

#[track_caller]
fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0),
        "{what}: {a} vs {b}"
    );
}

fn revenue(rows: &[CustomerRow]) -> f64 {
    rows.iter().map(|r| r.revenue).sum()
}

/// The JSON numbers of `value` that are a negative zero, by their JSON pointer.
fn negative_zeros(value: &serde_json::Value, pointer: String, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Number(n)
            if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) =>
        {
            found.push(pointer)
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                negative_zeros(item, format!("{pointer}/{i}"), found);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                negative_zeros(field, format!("{pointer}/{key}"), found);
            }
        }
        _ => {}
    }
}

fn check(analysis: &Analysis, label: &str) {
    let report = analysis.report();
    let mut found = Vec::new();
    negative_zeros(
        &serde_json::to_value(&report).unwrap(),
        String::new(),
        &mut found,
    );
    assert!(found.is_empty(), "{label}: negative zeros at {found:?}");
    let customers = report.kpis.customers;
    let everyone = analysis.customers(&CustomerFilter::All);
    assert_eq!(
        everyone.len() as u64,
        customers,
        "{label}: one row per customer"
    );
    let customer_revenue = revenue(&everyone);

    let rfm = &report.rfm;
    let segment_customers: u64 = rfm.segments.iter().map(|s| s.customers).sum();
    let segment_revenue: f64 = rfm.segments.iter().map(|s| s.revenue).sum();
    let grid_customers: u64 = rfm.rf_grid.iter().flatten().map(|c| c.customers).sum();
    let grid_revenue: f64 = rfm.rf_grid.iter().flatten().map(|c| c.revenue).sum();
    assert_eq!(
        segment_customers, customers,
        "{label}: segments partition customers"
    );
    assert_eq!(
        grid_customers, customers,
        "{label}: the grid holds every customer"
    );
    close(
        segment_revenue,
        customer_revenue,
        &format!("{label}: segment revenue"),
    );
    close(
        grid_revenue,
        customer_revenue,
        &format!("{label}: grid revenue"),
    );
    for counts in [&rfm.r_counts, &rfm.f_counts, &rfm.m_counts] {
        assert_eq!(
            counts.iter().sum::<u64>(),
            customers,
            "{label}: score counts"
        );
    }
    assert!(rfm.recency_cut_points_days.windows(2).all(|w| w[0] <= w[1]));
    assert!(rfm.monetary_cut_points.windows(2).all(|w| w[0] <= w[1]));
    for summary in &rfm.segments {
        let rows = analysis.customers(&CustomerFilter::Segment(summary.key));
        assert_eq!(
            rows.len() as u64,
            summary.customers,
            "{label}: {:?} list",
            summary.key
        );
        assert!(rows
            .iter()
            .all(|r| r.segment == summary.key && Segment::of(r.r, r.f) == r.segment));
        close(
            revenue(&rows),
            summary.revenue,
            &format!("{label}: {:?} revenue", summary.key),
        );
    }

    let cohort_customers: u64 = report.cohorts.iter().map(|c| c.customers).sum();
    assert_eq!(
        cohort_customers, customers,
        "{label}: cohorts partition customers"
    );
    let mut cohort_revenue = 0.0;
    for cohort in &report.cohorts {
        assert_eq!(
            cohort.retention.first(),
            Some(&1.0),
            "{label}: {} retention[0]",
            cohort.cohort
        );
        assert_eq!(cohort.active_customers.first(), Some(&cohort.customers));
        let cumulative = &cohort.cumulative_revenue_per_customer;
        assert!(
            cumulative.windows(2).all(|w| w[1] >= w[0] - 1e-9),
            "{label}: {} cumulative revenue falls: {cumulative:?}",
            cohort.cohort
        );
        cohort_revenue += cohort.revenue.iter().sum::<f64>();
        let rows = analysis.customers(&CustomerFilter::cohort(&cohort.cohort).unwrap());
        assert_eq!(
            rows.len() as u64,
            cohort.customers,
            "{label}: {} list",
            cohort.cohort
        );
        assert!(rows
            .iter()
            .all(|r| r.first_purchase.starts_with(&cohort.cohort)));
    }
    close(
        cohort_revenue,
        customer_revenue,
        &format!("{label}: cohort revenue"),
    );

    let lapse = &report.lapse;
    for (state, group) in [
        (LapseState::Overdue, &lapse.overdue),
        (LapseState::Dormant, &lapse.dormant),
    ] {
        let rows = analysis.customers(&CustomerFilter::Lapse(state));
        assert_eq!(
            rows.len() as u64,
            group.customers,
            "{label}: {state:?} list"
        );
        close(
            revenue(&rows),
            group.revenue_all_time,
            &format!("{label}: {state:?} revenue"),
        );
        assert!(group.revenue_last_365_days <= group.revenue_all_time + 1e-6);
        if let (Some(p75), Some(p90)) = (lapse.gap_days.p75, lapse.gap_days.p90) {
            let (low, high) = match state {
                LapseState::Overdue => (p75, p90),
                _ => (p90, f64::INFINITY),
            };
            assert!(rows
                .iter()
                .all(|r| (r.recency_days as f64) > low && (r.recency_days as f64) <= high));
        }
    }
    let over = &lapse.days_since_last_over;
    let counts = [
        over.over_30,
        over.over_60,
        over.over_90,
        over.over_180,
        over.over_365,
    ];
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "{label}: {counts:?}"
    );
    for (count, days) in counts.iter().zip([30, 60, 90, 180, 365]) {
        let n = everyone.iter().filter(|r| r.recency_days > days).count() as u64;
        assert_eq!(*count, n, "{label}: over {days} days");
    }

    let ltv = &report.historical_ltv;
    assert!(ltv
        .windows(2)
        .all(|w| w[0].eligible_customers >= w[1].eligible_customers));

    // drivers: the overall figures are kpis.f2; the value bands partition the eligible customers and
    // the discount groups too; a product or channel group never holds more than the eligible ones
    let drivers = &report.drivers;
    let f2 = &report.kpis.f2;
    assert_eq!(
        (
            drivers.window_days,
            drivers.eligible,
            drivers.converted,
            drivers.rate
        ),
        (f2.window_days, f2.eligible, f2.converted, f2.rate),
        "{label}: drivers overall = kpis.f2"
    );
    let sum = |groups: &[DriverGroup]| -> (u64, u64) {
        groups
            .iter()
            .fold((0, 0), |(e, c), g| (e + g.eligible, c + g.converted))
    };
    assert_eq!(drivers.by_first_value.len(), 5, "{label}");
    assert_eq!(
        sum(&drivers.by_first_value),
        (f2.eligible, f2.converted),
        "{label}: value bands sum to kpis.f2"
    );
    if let Some(discount) = &drivers.by_first_discount {
        assert_eq!(
            sum(discount),
            (f2.eligible, f2.converted),
            "{label}: discount groups"
        );
    }
    let channels = drivers.by_first_channel.as_deref().unwrap_or_default();
    assert!(sum(channels).0 <= f2.eligible, "{label}: channel groups");
    for group in drivers
        .by_first_product
        .iter()
        .chain(drivers.by_first_channel.iter())
        .flatten()
        .chain(&drivers.by_first_value)
    {
        assert!(group.eligible <= f2.eligible, "{label}: {}", group.key);
        assert!(group.converted <= group.eligible, "{label}: {}", group.key);
        assert_eq!(group.small, group.eligible < u64::from(drivers.min_group));
        if let (Some(rate), Some(low), Some(high)) = (group.rate, group.low, group.high) {
            assert!(
                low <= rate && rate <= high,
                "{label}: {} interval",
                group.key
            );
        }
    }

    // timing: step n counts the customers with at least n + 1 occasions (the funnel's stage n + 1,
    // stage 5 being 5 or more), its buckets sum to them, and its p25 ≤ median ≤ p75
    let timing = &report.timing;
    for (step, stage) in timing.steps.iter().zip(report.funnel.iter().skip(1)) {
        assert_eq!(step.counts.iter().sum::<u64>(), step.customers, "{label}");
        assert_eq!(
            step.customers, stage.customers,
            "{label}: step {}",
            step.from
        );
        if let (Some(p25), Some(median), Some(p75)) = (step.p25, step.median, step.p75) {
            assert!(p25 <= median && median <= p75, "{label}");
        }
    }
    assert_eq!(
        timing.follow_up_day, report.kpis.days_to_second.p25,
        "{label}"
    );
}

#[test]
fn sections_and_lists_agree_on_generated_exports() {
    for (customers, seed) in [(40, 1), (300, 2), (1500, 3)] {
        let csv = generate(&SampleSpec { customers, seed });
        let base = analysis(&csv, Options::default());
        check(&base, &format!("{customers}/{seed}"));
        let as_of =
            NaiveDate::parse_from_str(base.report().as_of.as_deref().unwrap(), "%Y-%m-%d").unwrap();
        for (days_back, bands) in [(90, [1, 2, 3, 4, 6]), (400, [1, 3, 5, 8, 13])] {
            let options = Options {
                as_of: Some(as_of - chrono::Days::new(days_back)),
                f_band_starts: bands,
                ..Options::default()
            };
            let label = format!("{customers}/{seed} as of −{days_back} days, F bands {bands:?}");
            check(&analysis(&csv, options.clone()), &label);
            // Changing the options of a finished analysis gives the same as reading with them.
            let mut again = analysis(&csv, Options::default());
            again.set_options(options.clone()).unwrap();
            assert_eq!(again.report(), analysis(&csv, options).report(), "{label}");
        }
    }
}

#[test]
fn earlier_analysis_dates_only_remove_orders() {
    let csv = generate(&SampleSpec {
        customers: 500,
        seed: 9,
    });
    let full = analysis(&csv, Options::default()).report();
    let as_of = NaiveDate::parse_from_str(full.as_of.as_deref().unwrap(), "%Y-%m-%d").unwrap();
    let earlier = analysis(
        &csv,
        Options {
            as_of: Some(as_of - chrono::Days::new(180)),
            ..Options::default()
        },
    )
    .report();
    assert!(earlier.input.orders_after_as_of > 0);
    assert_eq!(
        earlier.kpis.orders + earlier.input.orders_after_as_of,
        full.kpis.orders,
        "every order is either counted or after as_of"
    );
    assert!(earlier.kpis.customers <= full.kpis.customers);
    assert!(earlier.monthly.len() <= full.monthly.len());
}

#[test]
fn segments_without_customers_predict_an_unsigned_zero() {
    // F bands starting at 1,000 occasions put every customer in F band 1, so the segments that need
    // F 2 or more (champions, loyal, promising, at risk, can't lose) have no customers: their predicted
    // purchases and CLV are an empty sum, which must be +0 (serialised `0.0`), not −0 (`-0.0`).
    let csv = generate(&SampleSpec {
        customers: 300,
        seed: 2,
    });
    let options = Options {
        f_band_starts: [1, 1000, 1001, 1002, 1003],
        ..Options::default()
    };
    let report = analysis(&csv, options).report();
    let models = report.models.expect("models requested");
    let empty: Vec<_> = models
        .by_segment
        .iter()
        .filter(|s| s.customers == 0)
        .collect();
    let keys: Vec<&str> = empty.iter().map(|s| s.key.key()).collect();
    assert_eq!(
        keys,
        ["champions", "loyal", "promising", "at_risk", "cant_lose"]
    );
    for segment in empty {
        let json = serde_json::to_string(segment).unwrap();
        assert!(
            json.contains("\"expected_purchases\":0.0,\"clv\":0.0,"),
            "{json}"
        );
    }
}

/// The subscription invariants of one Report's section.
fn check_subscriptions(subs: &Subscriptions, label: &str) {
    assert_eq!(subs.active + subs.churned, subs.units, "{label}: units");
    assert!(
        subs.deliveries >= subs.units,
        "{label}: a unit has a delivery"
    );
    // Survival never rises, is the product of the rates, and a reached count never rises.
    let mut product = 1.0;
    let mut previous: Option<&ltv_lens::RetentionStep> = None;
    for step in &subs.retention {
        assert!(
            step.continued <= step.at_risk && step.at_risk <= step.reached,
            "{label}: {step:?}"
        );
        if let Some(before) = previous {
            assert_eq!(
                before.continued, step.reached,
                "{label}: continued(n) = reached(n + 1)"
            );
            match (before.survival, step.survival) {
                (Some(a), Some(b)) => {
                    assert!(b <= a, "{label}: survival rises at {}", step.delivery)
                }
                (None, Some(_)) => panic!("{label}: survival comes back after null"),
                _ => {}
            }
        }
        match step.rate {
            Some(rate) => {
                product *= rate;
                close(step.survival.unwrap_or(f64::NAN), product, label);
            }
            None => assert_eq!(step.at_risk, 0, "{label}"),
        }
        previous = Some(step);
    }
    // active_at_start(m + 1) = active_at_start(m) + new(m) − churned(m); the first month starts empty.
    let months = &subs.monthly;
    if let Some(first) = months.first() {
        assert_eq!(first.active_at_start, 0, "{label}");
    }
    for pair in months.windows(2) {
        assert_eq!(
            pair[1].active_at_start + pair[0].churned,
            pair[0].active_at_start + pair[0].new,
            "{label}: {} → {}",
            pair[0].month,
            pair[1].month
        );
    }
    assert_eq!(
        months.iter().map(|m| m.new).sum::<u64>(),
        subs.units,
        "{label}: new"
    );
    assert_eq!(
        months.iter().map(|m| m.churned).sum::<u64>(),
        subs.churned,
        "{label}: churned"
    );
    if let Some(last) = months.last() {
        assert_eq!(
            last.active_at_start + last.new - last.churned,
            subs.active,
            "{label}"
        );
    }
    if let Some(sbg) = &subs.sbg {
        assert_eq!(sbg.projected_survival.len(), 24);
        let mut before = 1.0;
        for &s in &sbg.projected_survival {
            assert!(s > 0.0 && s <= before, "{label}: projected survival rises");
            before = s;
        }
        let expected = sbg.expected_deliveries_first_24;
        assert!((1.0..=24.0).contains(&expected), "{label}: {expected}");
    }
}

#[test]
fn subscription_retention_and_monthly_churn_are_consistent() {
    for (customers, seed) in [(30, 1), (400, 2), (1500, 3)] {
        let csv = ltv_lens::sample::subscriptions::generate(&SampleSpec { customers, seed });
        let base = analysis(&csv, Options::default());
        let report = base.report();
        let label = format!("{customers}/{seed}");
        check_subscriptions(report.subscriptions.as_ref().expect("a section"), &label);
        let as_of =
            NaiveDate::parse_from_str(report.as_of.as_deref().unwrap(), "%Y-%m-%d").unwrap();
        for (days_back, lapse) in [(120, None), (300, Some(20)), (0, Some(90))] {
            let options = Options {
                as_of: Some(as_of - chrono::Days::new(days_back)),
                subscription_lapse_days: lapse,
                ..Options::default()
            };
            let label = format!("{label} as of −{days_back} days, lapse {lapse:?}");
            let report = analysis(&csv, options).report();
            check_subscriptions(report.subscriptions.as_ref().expect("a section"), &label);
        }
    }
}
