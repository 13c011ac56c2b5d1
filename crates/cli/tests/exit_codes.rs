//! The exit statuses `--help` documents, each produced by a real case: success, a refused file, bad
//! usage, and a file that cannot be opened or written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    path.to_str().expect("a UTF-8 path").to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(args)
        .output()
        .expect("the CLI runs")
}

/// The codes listed under "Exit status:" in `help`, with their first words.
fn documented(help: &str) -> Vec<(i32, String)> {
    let (_, list) = help
        .split_once("Exit status:\n")
        .expect("an Exit status paragraph");
    list.lines()
        .map_while(|line| {
            let (code, meaning) = line.trim().split_once("  ")?;
            Some((code.parse().ok()?, meaning.to_string()))
        })
        .collect()
}

#[test]
fn help_documents_one_code_per_outcome_and_each_is_what_the_command_returns() {
    let help = String::from_utf8(run(&["--help"]).stdout).unwrap();
    let codes = documented(&help);
    let numbers: Vec<i32> = codes.iter().map(|(code, _)| *code).collect();
    assert_eq!(numbers, [0, 1, 2, 3], "{help}");
    // Every subcommand's help has the same paragraph.
    for command in ["analyze", "customers", "columns", "sample"] {
        let help = String::from_utf8(run(&[command, "--help"]).stdout).unwrap();
        assert_eq!(documented(&help), codes, "{command} --help");
    }

    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exit-codes-no-such-file.csv");
    let missing = missing.to_str().unwrap();
    let unwritable =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("exit-codes-no-such-dir/list.csv");
    let funnel = fixture("funnel.csv");
    let (empty, no_date) = (
        fixture("error_empty.csv"),
        fixture("error_no_date_column.csv"),
    );
    let cases: [(&str, Vec<&str>, i32); 8] = [
        ("success", vec!["analyze", &funnel, "--json"], 0),
        ("the input cannot be analysed", vec!["analyze", &empty], 1),
        (
            "the input cannot be analysed",
            vec!["customers", &no_date],
            1,
        ),
        (
            "bad usage",
            vec!["analyze", &funnel, "--f2-window", "abc"],
            2,
        ),
        (
            "bad usage",
            vec!["customers", &funnel, "--segment", "vip"],
            2,
        ),
        (
            "bad usage",
            vec!["analyze", &funnel, "--column", "date=no such header"],
            2,
        ),
        ("a file cannot be opened", vec!["analyze", missing], 3),
        (
            "a file cannot be opened, read or written",
            vec!["customers", &funnel, "-o", unwritable.to_str().unwrap()],
            3,
        ),
    ];
    for (meaning, args, code) in cases {
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "ltv-lens {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (_, documented_meaning) = codes.iter().find(|(c, _)| *c == code).unwrap();
        assert!(
            documented_meaning.starts_with(meaning),
            "{code}: {documented_meaning}"
        );
        if code != 0 {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?}");
        }
    }
}
