//! The `subscriptions` section through the whole product: generated subscription exports whose units'
//! delivery counts are exactly the two survivor series published by Fader & Hardie (2007, "How to
//! project customer retention"), read by `ltv-lens analyze --json`, must give back the published sBG
//! parameters (regular: α 0.704, β 1.182; high end: α 0.668, β 3.806) and the Kaplan–Meier table and
//! monthly churn worked out by hand from the series; and `--subscription-lapse-days`.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// `YYYY-MM-DD` of 2024-01-01 + `days` (2024 is a leap year; every date here is in 2024).
fn day_2024(days: u32) -> String {
    let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut left = days;
    for (month, length) in lengths.iter().enumerate() {
        if left < *length {
            return format!("2024-{:02}-{:02}", month + 1, left + 1);
        }
        left -= length;
    }
    panic!("{days} days is past 2024");
}

/// Writes `text` to a file of the test's own temporary directory.
fn write(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn analyze(path: &PathBuf, extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .arg("analyze")
        .arg(path)
        .arg("--json")
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Units by delivery count from a survivor series (units at delivery 1, 2, …): survivors[t − 1] −
/// survivors[t] units stop after t deliveries; the last survivors have as many deliveries as the series
/// has entries and are still active. Every unit starts on 2024-01-01 and gets a delivery every 30 days.
fn units(survivors: &[u32]) -> Vec<(u32, bool)> {
    let mut units = Vec::new();
    for t in 1..survivors.len() {
        for _ in 0..survivors[t - 1] - survivors[t] {
            units.push((t as u32, true));
        }
    }
    for _ in 0..survivors[survivors.len() - 1] {
        units.push((survivors.len() as u32, false));
    }
    units
}

const REGULAR: [u32; 8] = [1000, 631, 468, 382, 326, 289, 262, 241];
const HIGH_END: [u32; 8] = [1000, 869, 743, 653, 593, 551, 517, 491];

#[track_caller]
fn close(report: &Value, pointer: &str, expected: f64, tolerance: f64) {
    let actual = report
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer}"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{pointer}: {actual} vs {expected}"
    );
}

#[test]
fn the_regular_series_gives_the_published_fit_through_lapses() {
    // English headers, one row per delivery; the stopped units simply receive nothing more. The
    // deliveries are 30 days apart, so cycle median 30 and lapse_days = ceil(1.5 × 30) = 45. The
    // latest delivery is day 210 (the 8th of the active units); as of day 240 (2024-08-28) the units
    // that stopped after 7 deliveries (last day 180) are 60 > 45 days past, so churned, and the active
    // ones (last day 210) 30 ≤ 45, so active.
    let mut csv = String::from("Subscription ID,Customer ID,Order date,Total\n");
    for (i, (deliveries, _)) in units(&REGULAR).iter().enumerate() {
        for d in 0..*deliveries {
            let _ = writeln!(csv, "S{i},C{i},{},3000", day_2024(30 * d));
        }
    }
    let path = write("subscriptions_regular.csv", &csv);
    let report = analyze(&path, &["--as-of", &day_2024(240)]);
    assert_eq!(day_2024(240), "2024-08-28");
    let subs = &report["subscriptions"];
    assert_eq!(subs["unit"], "subscription");
    assert_eq!(subs["units"], 1000);
    // Σ survivors = 1000 + 631 + … + 241 = 3599 deliveries.
    assert_eq!(subs["deliveries"], 3599);
    assert_eq!(subs["active"], 241);
    assert_eq!(subs["churned"], 759);
    assert_eq!(subs["cycle_days"]["median"], 30.0);
    assert_eq!(subs["lapse_days"], 45);
    assert_eq!(subs["mean_delivery_revenue"], 3000.0);
    // Delivery 1: reached 1000, continued 631, at risk 631 + 369 churned after 1 = 1000.
    let first = &subs["retention"][0];
    assert_eq!(
        (&first["reached"], &first["continued"], &first["at_risk"]),
        (&Value::from(1000), &Value::from(631), &Value::from(1000))
    );
    close(&report, "/subscriptions/retention/0/rate", 0.631, 1e-12);
    // Delivery 7: 262 reached, 241 continued, 21 churned after 7: rate 241/262; survival 241/1000.
    close(
        &report,
        "/subscriptions/retention/6/rate",
        241.0 / 262.0,
        1e-12,
    );
    close(&report, "/subscriptions/retention/6/survival", 0.241, 1e-12);
    // Delivery 8: nobody has 9 and the 241 with 8 are active (censored): at risk 0, no rate.
    assert_eq!(subs["retention"][7]["at_risk"], 0);
    assert_eq!(subs["retention"][7]["rate"], Value::Null);
    assert_eq!(subs["retention"][7]["survival"], Value::Null);
    // Monthly: every unit is new in 2024-01. The 369 one-delivery units churn on day 0 + 45
    // (2024-02-15): February starts with 1000 active and loses 369. The 163 two-delivery units churn
    // on day 30 + 45 = 75 (2024-03-16): March starts with 631.
    let monthly = &subs["monthly"];
    assert_eq!(monthly[0]["month"], "2024-01");
    assert_eq!(monthly[0]["new"], 1000);
    assert_eq!(monthly[1]["active_at_start"], 1000);
    assert_eq!(monthly[1]["churned"], 369);
    assert_eq!(monthly[2]["active_at_start"], 631);
    assert_eq!(monthly[2]["churned"], 163);
    // Fader & Hardie (2007): α 0.704, β 1.182.
    close(&report, "/subscriptions/sbg/alpha", 0.704, 0.0005);
    close(&report, "/subscriptions/sbg/beta", 1.182, 0.0005);
    assert!(subs["sbg"]["se"]["alpha"]
        .as_f64()
        .is_some_and(|se| se > 0.0));
    assert_eq!(
        subs["sbg"]["projected_survival"].as_array().unwrap().len(),
        24
    );
}

#[test]
fn the_high_end_series_gives_the_published_fit_through_cancellation_dates() {
    // Japanese headers (定期購入ID, 定期回数, 解約日); a stopped unit's rows carry its cancellation
    // date, 10 days after its last delivery. The analysis date is the latest order (day 210): every
    // cancellation (at most day 180 + 10) is on or before it.
    let mut csv = String::from("注文番号,会員ID,注文日,合計金額,定期購入ID,定期回数,解約日\n");
    let mut order = 0;
    for (i, (deliveries, stopped)) in units(&HIGH_END).iter().enumerate() {
        let cancelled = if *stopped {
            day_2024(30 * (deliveries - 1) + 10)
        } else {
            String::new()
        };
        for d in 0..*deliveries {
            order += 1;
            let _ = writeln!(
                csv,
                "{order},M{i},{},4980,T{i},{},{cancelled}",
                day_2024(30 * d),
                d + 1
            );
        }
    }
    let path = write("subscriptions_high_end.csv", &csv);
    let report = analyze(&path, &[]);
    let subs = &report["subscriptions"];
    assert_eq!(report["input"]["columns"]["subscription_id"], "定期購入ID");
    assert_eq!(report["input"]["columns"]["delivery_number"], "定期回数");
    assert_eq!(report["input"]["columns"]["cancelled_on"], "解約日");
    assert_eq!(subs["units"], 1000);
    assert_eq!(subs["churned"], 509);
    // Delivery 2: 869 reached, 743 continued, 126 churned after 2.
    close(
        &report,
        "/subscriptions/retention/1/rate",
        743.0 / 869.0,
        1e-12,
    );
    // Fader & Hardie (2007): α 0.668, β 3.806.
    close(&report, "/subscriptions/sbg/alpha", 0.668, 0.0005);
    close(&report, "/subscriptions/sbg/beta", 3.806, 0.0005);
}

#[test]
fn the_lapse_option_replaces_the_cycle_rule() {
    // Two units, monthly: A delivered days 0, 30, 60; B days 0, 30. As of day 100: with the default
    // lapse 45, B (last day 30, 70 days ago) has churned and A (40 days ago) is active; with
    // --subscription-lapse-days 80 both are active; with 35 both have churned.
    let csv = "subscription id,email,order date,total\n\
               A,a@example.com,2024-01-01,10\nA,a@example.com,2024-01-31,10\n\
               A,a@example.com,2024-03-01,10\nB,b@example.com,2024-01-01,10\n\
               B,b@example.com,2024-01-31,10\n";
    let path = write("subscriptions_lapse.csv", csv);
    let churned = |extra: &[&str]| {
        let mut args = vec!["--as-of", "2024-04-10"];
        args.extend_from_slice(extra);
        let report = analyze(&path, &args);
        (
            report["subscriptions"]["lapse_days"].clone(),
            report["subscriptions"]["churned"].clone(),
        )
    };
    assert_eq!(day_2024(100), "2024-04-10");
    assert_eq!(churned(&[]), (Value::from(45), Value::from(1)));
    assert_eq!(
        churned(&["--subscription-lapse-days", "80"]),
        (Value::from(80), Value::from(0))
    );
    assert_eq!(
        churned(&["--subscription-lapse-days", "35"]),
        (Value::from(35), Value::from(2))
    );
}

/// `tests/fixtures/NAME`.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

#[test]
fn the_definitions_fixture_is_worked_out_by_hand() {
    // tests/fixtures/subscriptions_definitions.csv; as_of = the latest order, 2024-05-20 (a one-off
    // order of C1 without subscription values: it counts in kpis, not as a delivery).
    // Deliveries (days apart): S1 01-10, 02-09, 03-10, 04-09, 05-09 (30, 30, 30, 30; numbered 1..5);
    // S2 01-15, 02-14, 04-14 (30, 60: skips March); S3 01-05, 02-04, 03-05 (30, 30; cancelled
    // 2024-02-20, before its last delivery); S4 02-01, 03-02 (30; numbered 3, 4: began before the
    // file); S5 01-20, 02-19 (30) and S6 03-01, 03-31, 04-30 (30, 30), both of customer C5; S7
    // 2023-10-01 only, cancelled 2023-10-20.
    let report = analyze(&fixture("subscriptions_definitions.csv"), &[]);
    assert_eq!(report["as_of"], "2024-05-20");
    assert_eq!(report["kpis"]["orders"], 20);
    let subs = &report["subscriptions"];
    // Two subscriptions of one customer are two units: 7 units; 5+3+3+2+2+3+1 = 19 deliveries.
    assert_eq!(subs["unit"], "subscription");
    assert_eq!(subs["units"], 7);
    assert_eq!(subs["deliveries"], 19);
    // Gaps: eleven of 30 days and one of 60: median 30, p75 30; lapse ceil(1.5 × 30) = 45.
    assert_eq!(subs["cycle_days"]["median"], 30.0);
    assert_eq!(subs["cycle_days"]["p75"], 30.0);
    assert_eq!(subs["lapse_days"], 45);
    assert_eq!(subs["mean_delivery_revenue"], 2000.0);
    // Active: S1 (11 days since 05-09), S2 (36 days since 04-14: skipped March, not past 45), S6 (20
    // days). Churned: S3 at its cancellation 02-20, S4 at 03-02 + 45 = 04-16 (79 days past), S5 at
    // 02-19 + 45 = 04-04 (91 days past), S7 at 2023-10-20.
    assert_eq!(
        (&subs["active"], &subs["churned"]),
        (&Value::from(3), &Value::from(4))
    );
    // Retention over S1 (5, active), S2 (3, active), S3 (3, churned), S5 (2, churned), S6 (3,
    // active), S7 (1, churned); S4 is left out.
    // n: (reached, at_risk, continued, rate, survival)
    // 1: 6, 5 + S7 = 6, 5, 5/6, 5/6
    // 2: 5, 4 + S5 = 5, 4, 4/5, 2/3
    // 3: 4, 1 + S3 = 2 (S2, S6 censored), 1, 1/2, 1/3
    // 4: 1, 1, 1, 1, 1/3
    // 5: 1, 0, 0, null, null (S1 active with 5: censored); 6..12 empty.
    let expected = [
        (1, 6, 6, 5, Some(5.0 / 6.0), Some(5.0 / 6.0)),
        (2, 5, 5, 4, Some(0.8), Some(2.0 / 3.0)),
        (3, 4, 2, 1, Some(0.5), Some(1.0 / 3.0)),
        (4, 1, 1, 1, Some(1.0), Some(1.0 / 3.0)),
        (5, 1, 0, 0, None, None),
        (6, 0, 0, 0, None, None),
    ];
    let retention = subs["retention"].as_array().unwrap();
    assert_eq!(retention.len(), 12);
    for (delivery, reached, at_risk, continued, rate, survival) in expected {
        let step = &retention[delivery - 1];
        assert_eq!(step["delivery"], delivery);
        assert_eq!(step["reached"], reached, "reached at {delivery}");
        assert_eq!(step["at_risk"], at_risk, "at_risk at {delivery}");
        assert_eq!(step["continued"], continued, "continued at {delivery}");
        for (name, value) in [("rate", rate), ("survival", survival)] {
            match value {
                Some(v) => close(
                    &report,
                    &format!("/subscriptions/retention/{}/{name}", delivery - 1),
                    v,
                    1e-12,
                ),
                None => assert_eq!(step[name], Value::Null, "{name} at {delivery}"),
            }
        }
    }
    // Monthly from 2023-10 (S7) to 2024-05: (month, active_at_start, new, churned, churn_rate).
    // 2023-10: S7 new and cancelled; November to January start with nobody active (no rate).
    // 2024-02: S1, S2, S3, S5 active; S4 new; S3 churned: 1/4. 2024-03: 4 + 1 − 1 = 4; S6 new.
    // 2024-04: 5; S4 and S5 churned: 2/5. 2024-05: 3.
    let expected = [
        ("2023-10", 0, 1, 1, None),
        ("2023-11", 0, 0, 0, None),
        ("2023-12", 0, 0, 0, None),
        ("2024-01", 0, 4, 0, None),
        ("2024-02", 4, 1, 1, Some(0.25)),
        ("2024-03", 4, 1, 0, Some(0.0)),
        ("2024-04", 5, 0, 2, Some(0.4)),
        ("2024-05", 3, 0, 0, Some(0.0)),
    ];
    let monthly = subs["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), expected.len());
    for (row, (month, active, new, churned, rate)) in monthly.iter().zip(expected) {
        assert_eq!(row["month"], month);
        assert_eq!(
            (&row["active_at_start"], &row["new"], &row["churned"]),
            (
                &Value::from(active),
                &Value::from(new),
                &Value::from(churned)
            ),
            "{month}"
        );
        assert_eq!(
            row["churn_rate"],
            rate.map_or(Value::Null, Value::from),
            "{month}"
        );
    }
    // Three churned units of those that began in the file: no projection, a note instead; and the note
    // on S4.
    assert_eq!(subs["sbg"], Value::Null);
    let codes: Vec<&str> = subs["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["started_before_file"]);
    assert_eq!(subs["notes"][0]["args"]["count"], "1");
    assert_eq!(subs["sbg_note"]["code"], "too_few_churned");
    assert_eq!(subs["sbg_note"]["args"]["found"], "3");
    assert_eq!(subs["sbg_note"]["args"]["needed"], "10");
}

#[test]
fn flags_tags_and_customers_as_units() {
    // Shopify-style tags: only tagged orders are deliveries; without an id column the unit is the
    // customer. a@: 2024-01-01, 01-31 (tagged), 02-15 (untagged, a one-off); b@: 2024-01-10 tagged.
    // Gaps: 30 → lapse 45. As of 02-15: a@ last delivery 01-31 (15 days) active; b@ 01-10 (36 days)
    // active. 2 units, 3 deliveries.
    let csv = "Email,Order date,Total,Tags\n\
               a@example.com,2024-01-01,10,Subscription First Order\n\
               a@example.com,2024-01-31,10,\"vip, Subscription Recurring Order\"\n\
               a@example.com,2024-02-15,50,vip\n\
               b@example.com,2024-01-10,10,subscription first order\n";
    let report = analyze(&write("subscriptions_tags.csv", csv), &[]);
    assert_eq!(report["input"]["columns"]["subscription"], "Tags");
    let subs = &report["subscriptions"];
    assert_eq!(subs["unit"], "customer");
    assert_eq!(
        (&subs["units"], &subs["deliveries"]),
        (&Value::from(2), &Value::from(3))
    );
    assert_eq!(subs["active"], 2);
    // A tags column that marks no order: no subscriptions section.
    let plain = "Email,Order date,Total,Tags\na@example.com,2024-01-01,10,vip\n";
    let report = analyze(&write("subscriptions_no_tags.csv", plain), &[]);
    assert_eq!(report["subscriptions"], Value::Null);
    // 定期/通常 flags, and the role set with --column on a header the detection does not know.
    let flags = "注文番号,会員ID,注文日,合計金額,区分\n1,M1,2024-01-01,10,定期\n2,M1,2024-01-31,10,定期\n3,M1,2024-02-05,10,通常\n";
    let path = write("subscriptions_flags.csv", flags);
    assert_eq!(analyze(&path, &[])["subscriptions"], Value::Null);
    let report = analyze(&path, &["--column", "subscription=区分"]);
    assert_eq!(report["subscriptions"]["deliveries"], 2);
}

#[test]
fn an_unreadable_delivery_number_skips_its_row_with_a_warning() {
    let csv = "order id,email,order date,total,delivery number\n\
               1,a@example.com,2024-01-01,10,1\n2,a@example.com,2024-01-31,10,second\n";
    let report = analyze(&write("subscriptions_bad_number.csv", csv), &[]);
    assert_eq!(report["input"]["skipped_rows"], 1);
    assert_eq!(
        report["input"]["warnings"][0]["code"],
        "not_a_delivery_number"
    );
    assert_eq!(report["input"]["warnings"][0]["row"], 3);
    assert_eq!(report["subscriptions"]["deliveries"], 1);
}

/// `(customer_key, subscription, subscription_deliveries, last_delivery)` of each row of
/// `ltv-lens customers FIXTURE EXTRA...`, by key.
fn subscription_rows(extra: &[&str]) -> Vec<(String, String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .arg("customers")
        .arg(fixture("subscriptions_definitions.csv"))
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (key, state, count, last) = (
        at("customer_key"),
        at("subscription"),
        at("subscription_deliveries"),
        at("last_delivery"),
    );
    let mut rows: Vec<(String, String, String, String)> = lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (
                cells[key].to_string(),
                cells[state].to_string(),
                cells[count].to_string(),
                cells[last].to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn customer_lists_carry_each_units_deliveries_and_filter_by_subscription_state() {
    // As of 2024-05-20, cycle median 30 days. C1: S1 active, last 05-09 (11 days): active. C2: S2
    // active, last 04-14 (36 days > 30): at risk. C3: S3 cancelled: churned. C4: S4 (numbered 3, 4)
    // lapsed: churned, 4 deliveries. C5: S5 churned (2 deliveries) and S6 active (3, last 04-30, 20
    // days): active, "2;3". C6: S7 cancelled: churned.
    let row = |k: &str, s: &str, n: &str, d: &str| (k.into(), s.into(), n.into(), d.into());
    let every = [
        row("C1", "active", "5", "2024-05-09"),
        row("C2", "at_risk", "3", "2024-04-14"),
        row("C3", "churned", "3", "2024-03-05"),
        row("C4", "churned", "4", "2024-03-02"),
        row("C5", "active", "2;3", "2024-04-30"),
        row("C6", "churned", "1", "2023-10-01"),
    ];
    assert_eq!(subscription_rows(&[]), every);
    let keys = |extra: &[&str]| -> Vec<String> {
        subscription_rows(extra).into_iter().map(|r| r.0).collect()
    };
    // Active includes the at-risk customer.
    assert_eq!(keys(&["--subscription", "active"]), ["C1", "C2", "C5"]);
    assert_eq!(keys(&["--subscription", "at_risk"]), ["C2"]);
    assert_eq!(keys(&["--subscription", "churned"]), ["C3", "C4", "C6"]);
    let bad = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .arg("customers")
        .arg(fixture("subscriptions_definitions.csv"))
        .args(["--subscription", "paused"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
