//! `ltv-lens analyze --column role=header` and `ltv-lens columns`: the overrides change the numbers as
//! the core's `Options.columns` do (tests/columns_override.rs has the hand-checked figures), bad
//! overrides exit 2 with one sentence, and the preview prints each header with its role.

use ltv_lens::Role;
use std::path::PathBuf;
use std::process::{Command, Output};

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

fn ltv_lens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ltv-lens {args:?}: {e}"))
}

fn file(name: &str, contents: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_command_line_takes_column_overrides() {
    let two = file("two-dates.csv", TWO_DATES);
    let two = two.to_str().unwrap();
    let shipped = json(&ltv_lens(&[
        "analyze",
        two,
        "--json",
        "--column",
        "date=shipped on",
        "--column",
        "status=",
    ]));
    // Shipped dates and order 3 counted: A one occasion (03-10), B on 02-03 and 04-01: repeat rate 1/3;
    // revenue 330.
    assert_eq!(shipped["input"]["columns"]["date"], "shipped on");
    assert_eq!(
        shipped["input"]["columns"]["status"],
        serde_json::Value::Null
    );
    assert_eq!(shipped["kpis"]["revenue"], 330.0);
    assert_eq!(shipped["kpis"]["repeat_rate"], 1.0 / 3.0);

    let odd = file("unrecognised.csv", UNRECOGNISED);
    let odd = odd.to_str().unwrap();
    let out = ltv_lens(&["analyze", odd, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let read = json(&ltv_lens(&[
        "analyze",
        odd,
        "--json",
        "--column",
        "date=when",
        "--column",
        "total=how much",
        "--column",
        "customer_id=who",
    ]));
    assert_eq!(read["kpis"]["revenue"], 170.0);
    assert_eq!(read["kpis"]["customers"], 2);

    // `customers` takes them too.
    let out = ltv_lens(&[
        "customers",
        odd,
        "--column",
        "date=when",
        "--column",
        "total=how much",
        "--column",
        "customer_id=who",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("C1"));

    // Bad role, unknown header, a role twice: option errors, status 2.
    for bad in [
        &["--column", "day=when"][..],
        &["--column", "when"],
        &["--column", "date=wann", "--column", "total=how much"],
        &["--column", "date=when", "--column", "date=who"],
    ] {
        let mut args = vec!["analyze", odd, "--json"];
        args.extend_from_slice(bad);
        let out = ltv_lens(&args);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }
    let out = ltv_lens(&["analyze", odd, "--column", "date=wann"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: invalid option: column date: there is no column 'wann'; the columns are 'when', \
         'who', 'how much'"
    );
}

#[test]
fn the_columns_command_prints_the_preview() {
    let odd = file("unrecognised-preview.csv", UNRECOGNISED);
    let odd = odd.to_str().unwrap();
    let p = json(&ltv_lens(&["columns", odd, "--json"]));
    assert_eq!(p["header_found"], false);
    assert_eq!(p["columns"][2]["name"], "how much");
    assert_eq!(
        p["columns"][2]["examples"],
        serde_json::json!(["100", "50", "20"])
    );
    let p = json(&ltv_lens(&[
        "columns",
        odd,
        "--json",
        "--column",
        "date=when",
        "--column",
        "total=how much",
    ]));
    assert_eq!(p["header_found"], true);
    assert_eq!(p["roles"]["date"], "when");
    let out = ltv_lens(&["columns", odd]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no header found"), "{text}");
    assert!(text.contains("how much"), "{text}");
}

/// `role=header` parsing, through the command line's own parser.
#[test]
fn a_column_override_is_written_role_equals_header() {
    let two = file("two-dates-parse.csv", TWO_DATES);
    let two = two.to_str().unwrap();
    let spaced = json(&ltv_lens(&[
        "analyze",
        two,
        "--json",
        "--column",
        "date = shipped on ",
    ]));
    assert_eq!(
        spaced["input"]["columns"][Role::Date.as_str()],
        "shipped on"
    );
    let unused = json(&ltv_lens(&[
        "analyze", two, "--json", "--column", "status=",
    ]));
    assert_eq!(
        unused["input"]["columns"]["status"],
        serde_json::Value::Null
    );
    let out = ltv_lens(&["analyze", two, "--column", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not written role=header"));
}
