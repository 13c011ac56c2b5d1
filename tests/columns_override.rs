//! Column overrides (`Options.columns`) and the preview the page's Columns screen shows. The command
//! line's `--column` is tested in `crates/cli/tests/columns.rs`, the JavaScript form in
//! `crates/wasm/src/interop.rs`.
//!
//! The numbers are worked out by hand from README.md "Definitions" (the arithmetic is in the comments),
//! not taken from the program's output.

use ltv_lens::{preview, Analyzer, ErrorKind, Options, Report, Role};

/// Two candidate date columns: `order date` (detected) and `shipped on`; order 3 is cancelled.
const TWO_DATES: &str = "\
order id,customer id,order date,shipped on,total,status
1,A,2024-01-05,2024-03-10,100,paid
2,A,2024-01-20,2024-03-10,50,paid
3,B,2024-02-01,2024-02-03,80,cancelled
4,B,2024-02-10,2024-04-01,70,paid
5,C,2024-03-01,2024-03-02,30,paid
";

/// Nothing a generic file recognises: the date and the amount must be chosen.
const UNRECOGNISED: &str = "\
when,who,how much
2024-01-05,C1,100
2024-02-05,C1,50
2024-02-07,C2,20
";

fn options(columns: &[(Role, Option<&str>)]) -> Options {
    Options {
        columns: columns
            .iter()
            .map(|(role, name)| (*role, name.map(str::to_string)))
            .collect(),
        ..Options::default()
    }
}

fn report(csv: &str, columns: &[(Role, Option<&str>)]) -> Result<Report, ltv_lens::Error> {
    let mut analyzer = Analyzer::new(options(columns))?;
    for chunk in csv.as_bytes().chunks(7) {
        analyzer.push(chunk)?;
    }
    Ok(analyzer.finish()?.report())
}

fn column(report: &Report, role: &str) -> Option<String> {
    report.input.columns[role].clone()
}

#[test]
fn choosing_the_other_date_column_changes_the_numbers() {
    // Detected: `order date`. Counted orders 1, 2, 4, 5 (3 is cancelled): revenue 100 + 50 + 70 + 30 =
    // 250; customers A, B, C. A bought on 01-05 and 01-20 (two occasions), B and C once: repeat rate
    // 1/3, days to second 15. as_of = the latest counted order date, 2024-03-01.
    let detected = report(TWO_DATES, &[]).unwrap();
    assert_eq!(column(&detected, "date").as_deref(), Some("order date"));
    assert_eq!((detected.kpis.customers, detected.kpis.orders), (3, 4));
    assert_eq!(detected.kpis.revenue, 250.0);
    assert_eq!(detected.kpis.repeat_rate, Some(1.0 / 3.0));
    assert_eq!(detected.kpis.days_to_second.median, Some(15.0));
    assert_eq!(detected.as_of.as_deref(), Some("2024-03-01"));

    // `shipped on`: A's two orders both ship 2024-03-10, one occasion; B's counted order ships 04-01,
    // C's 03-02: nobody repeats, as_of 2024-04-01. Orders and revenue do not depend on the date.
    let shipped = report(TWO_DATES, &[(Role::Date, Some("shipped on"))]).unwrap();
    assert_eq!(column(&shipped, "date").as_deref(), Some("shipped on"));
    assert_eq!((shipped.kpis.customers, shipped.kpis.orders), (3, 4));
    assert_eq!(shipped.kpis.revenue, 250.0);
    assert_eq!(shipped.kpis.repeat_rate, Some(0.0));
    assert_eq!(shipped.kpis.days_to_second.median, None);
    assert_eq!(shipped.as_of.as_deref(), Some("2024-04-01"));

    // The header name matches whatever its case and separators, as detection does.
    let loose = report(TWO_DATES, &[(Role::Date, Some(" Shipped_On "))]).unwrap();
    assert_eq!(column(&loose, "date").as_deref(), Some("shipped on"));
}

#[test]
fn status_not_used_turns_exclusions_off() {
    // Order 3 counts too: 5 orders, revenue 330; B now bought on 02-01 and 02-10: A and B repeat,
    // repeat rate 2/3; nothing is excluded.
    let all = report(TWO_DATES, &[(Role::Status, None)]).unwrap();
    assert_eq!(column(&all, "status"), None);
    assert_eq!(all.input.excluded_orders, 0);
    assert_eq!((all.kpis.customers, all.kpis.orders), (3, 5));
    assert_eq!(all.kpis.revenue, 330.0);
    assert_eq!(all.kpis.repeat_rate, Some(2.0 / 3.0));
}

#[test]
fn an_unrecognised_file_reads_with_its_columns_chosen() {
    let error = report(UNRECOGNISED, &[]).unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::NoHeader { .. }),
        "{error}"
    );

    // C1 on 01-05 and 02-05 (100 + 50), C2 on 02-07 (20): 2 customers, 3 orders, revenue 170, repeat
    // rate 1/2, days to second 31.
    let chosen = [
        (Role::Date, Some("when")),
        (Role::Total, Some("how much")),
        (Role::CustomerId, Some("who")),
    ];
    let read = report(UNRECOGNISED, &chosen).unwrap();
    assert_eq!((read.kpis.customers, read.kpis.orders), (2, 3));
    assert_eq!(read.kpis.revenue, 170.0);
    assert_eq!(read.kpis.repeat_rate, Some(0.5));
    assert_eq!(read.kpis.days_to_second.median, Some(31.0));
    assert_eq!(column(&read, "customer_id").as_deref(), Some("who"));
    assert_eq!(column(&read, "total").as_deref(), Some("how much"));
    // Without a customer column every order is a guest order.
    let guests = report(UNRECOGNISED, &chosen[..2]).unwrap();
    assert_eq!((guests.kpis.customers, guests.kpis.orders), (0, 3));
}

#[test]
fn the_header_is_the_record_naming_the_overridden_columns() {
    // The summary line on top would be the header by itself (`date`, `total`); with the date and the
    // amount chosen, line 3 is, and the summary is skipped as a title row.
    let csv = format!("date,total\n2024-06-30,999\n{UNRECOGNISED}");
    let detected = report(&csv, &[]).unwrap();
    assert_eq!(detected.kpis.revenue, 999.0);
    let chosen = report(
        &csv,
        &[(Role::Date, Some("when")), (Role::Total, Some("how much"))],
    )
    .unwrap();
    assert_eq!(chosen.kpis.orders, 3);
    assert_eq!(chosen.kpis.revenue, 170.0);
    assert_eq!(chosen.input.rows, 3);
}

#[test]
fn an_override_naming_no_column_is_an_option_error() {
    let error = report(TWO_DATES, &[(Role::Status, Some("state"))]).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::InvalidOption(_)));
    assert_eq!(
        error.to_string(),
        "invalid option: column status: there is no column 'state'; the columns are 'order id', \
         'customer id', 'order date', 'shipped on', 'total', 'status'"
    );
    // An anchor (date or amount) that no record names: the header is never found.
    let error = report(UNRECOGNISED, &[(Role::Date, Some("wann"))]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid option: column date: there is no column 'wann'; the columns are 'when', 'who', \
         'how much'"
    );
    // A role given twice.
    let error = Analyzer::new(options(&[(Role::Date, Some("a")), (Role::Date, None)]))
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "invalid option: column date is given twice"
    );
}

#[test]
fn the_preview_shows_each_header_with_its_role_and_examples() {
    let p = preview(TWO_DATES.as_bytes(), &Options::default()).unwrap();
    assert!(p.header_found && p.whole_file);
    let roles: Vec<(&str, Vec<&str>)> = p
        .columns
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.roles.iter().map(|r| r.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("order id", vec!["order_id"]),
            ("customer id", vec!["customer_id"]),
            ("order date", vec!["date"]),
            ("shipped on", vec![]),
            ("total", vec!["total"]),
            ("status", vec!["status"]),
        ]
    );
    assert_eq!(
        p.columns[3].examples,
        vec!["2024-03-10", "2024-03-10", "2024-02-03"]
    );

    let p = preview(UNRECOGNISED.as_bytes(), &Options::default()).unwrap();
    assert!(!p.header_found);
    assert_eq!(p.missing, vec![Role::Date, Role::Total]);
    assert_eq!(
        p.problem.as_deref(),
        Some(report(UNRECOGNISED, &[]).unwrap_err().to_string().as_str())
    );
}
