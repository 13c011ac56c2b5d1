//! `ltv-lens partial`, `merge` and `report`: a generated export (`ltv-lens sample`) split here by
//! customer e-mail into three shard files, each read into a partial state, the states merged (in two
//! steps and in another order at once), and the merged state's Report printed as `analyze` prints the
//! whole export's, as JSON and as the table, with analysis options too. Failures are located and
//! have their exit status: a file that is not a state (1, with its name), a customer in two states
//! (1), an output that is an input (2), a reading option given to `report` (2), a missing file (3).
//! The located warnings of merged states name their shard: the file's name, or `--name`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "ltv-lens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[track_caller]
fn fails(dir: &Path, args: &[&str], status: i32, words: &[&str]) {
    let out = run(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(status),
        "ltv-lens {args:?}: {stderr}"
    );
    for word in words {
        assert!(stderr.contains(word), "{stderr:?} lacks {word:?}");
    }
}

/// The records of a CSV (a record ends at a line feed outside quotes).
fn records(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                out.push(&text[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// A directory with `all.csv` (a generated Shopify-style export) and `shard-0.csv` … `shard-2.csv`, its
/// records split by the e-mail (the second column, on every row of an order).
fn workspace() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("partial_commands");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    ok(
        &dir,
        &[
            "sample",
            "--customers",
            "400",
            "--seed",
            "7",
            "-o",
            "all.csv",
        ],
    );
    let text = std::fs::read_to_string(dir.join("all.csv")).unwrap();
    let records = records(&text);
    let mut shards = vec![records[0].to_string(); 3];
    for record in &records[1..] {
        let email = record.split(',').nth(1).unwrap();
        let shard = email.bytes().map(usize::from).sum::<usize>() % 3;
        shards[shard].push_str(record);
    }
    for (i, shard) in shards.iter().enumerate() {
        assert!(
            shard.len() > records[0].len() * 50,
            "shard {i} is nearly empty"
        );
        std::fs::write(dir.join(format!("shard-{i}.csv")), shard).unwrap();
    }
    dir
}

#[test]
fn merged_shards_report_what_the_whole_export_does() {
    let dir = workspace();
    for i in 0..3 {
        let (shard, state) = (format!("shard-{i}.csv"), format!("shard-{i}.lls"));
        ok(&dir, &["partial", &shard, "-o", &state, "--quiet"]);
    }
    ok(
        &dir,
        &["merge", "shard-0.lls", "shard-2.lls", "-o", "a.lls"],
    );
    ok(&dir, &["merge", "a.lls", "shard-1.lls", "-o", "merged.lls"]);
    ok(
        &dir,
        &[
            "merge",
            "shard-1.lls",
            "shard-2.lls",
            "shard-0.lls",
            "-o",
            "at-once.lls",
        ],
    );
    let merged = std::fs::read(dir.join("merged.lls")).unwrap();
    assert_eq!(merged, std::fs::read(dir.join("at-once.lls")).unwrap());
    let csv = std::fs::metadata(dir.join("all.csv")).unwrap().len();
    assert!(
        (merged.len() as u64) * 5 < csv,
        "{} bytes for {csv}",
        merged.len()
    );

    let whole = ok(&dir, &["analyze", "all.csv", "--json", "--quiet"]);
    assert_eq!(ok(&dir, &["report", "merged.lls", "--json"]), whole);
    let table = ok(&dir, &["analyze", "all.csv", "--quiet"]);
    assert_eq!(ok(&dir, &["report", "merged.lls"]), table);
    let options = [
        "--as-of",
        "2024-03-31",
        "--f2-window",
        "60",
        "--time-unit",
        "week",
    ];
    let whole = ok(
        &dir,
        &[&["analyze", "all.csv", "--json", "--quiet"][..], &options].concat(),
    );
    let merged = ok(
        &dir,
        &[&["report", "merged.lls", "--json"][..], &options].concat(),
    );
    assert_eq!(merged, whole);
}

#[test]
fn failures_are_located_and_have_their_exit_status() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("partial_failures");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.csv"),
        "order id,customer id,order date,total\n1,A,2024-01-05,100\n",
    )
    .unwrap();
    ok(&dir, &["partial", "a.csv", "-o", "a.lls", "-q"]);
    fails(
        &dir,
        &["report", "a.csv"],
        1,
        &["a.csv: not a readable partial state", "signature"],
    );
    fails(
        &dir,
        &["merge", "a.lls", "a.lls", "-o", "b.lls"],
        1,
        &["cannot be merged", "customer 'A' is in more than one"],
    );
    fails(
        &dir,
        &["merge", "a.lls", "-o", "a.lls"],
        2,
        &["is the input"],
    );
    fails(
        &dir,
        &["partial", "a.csv", "-o", "a.csv"],
        2,
        &["is the input"],
    );
    fails(
        &dir,
        &["report", "a.lls", "--column", "date=x"],
        2,
        &["--column"],
    );
    fails(
        &dir,
        &["report", "missing.lls"],
        3,
        &["cannot read missing.lls"],
    );
    fails(
        &dir,
        &["partial", "missing.csv", "-o", "m.lls"],
        3,
        &["missing.csv"],
    );
    let bytes = std::fs::read(dir.join("a.lls")).unwrap();
    std::fs::write(dir.join("cut.lls"), &bytes[..bytes.len() / 2]).unwrap();
    fails(
        &dir,
        &["report", "cut.lls"],
        1,
        &["cut.lls: not a readable partial state", "truncated"],
    );
}

#[test]
fn located_warnings_of_merged_states_name_their_shard_file() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("partial_shard_names");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let header = "order id,customer id,order date,total\n";
    // north.csv: a date that cannot be read on line 3; south.csv: an amount on line 2.
    let north = format!("{header}1,A,2024-01-05,100\n2,A,2024-13-45,50\n");
    let south = format!("{header}3,B,2024-02-10,abc\n4,B,2024-02-11,80\n");
    std::fs::write(dir.join("north.csv"), &north).unwrap();
    std::fs::write(dir.join("south.csv"), &south).unwrap();
    ok(&dir, &["partial", "north.csv", "-o", "n.lls", "-q"]);
    ok(
        &dir,
        &[
            "partial",
            "south.csv",
            "-o",
            "s.lls",
            "-q",
            "--name",
            "shop B",
        ],
    );
    ok(&dir, &["merge", "n.lls", "s.lls", "-o", "all.lls"]);
    let report: serde_json::Value =
        serde_json::from_slice(&ok(&dir, &["report", "all.lls", "--json"])).unwrap();
    let located: Vec<(u64, &str, &str)> = report["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            let shard = w["args"]["shard"].as_str().unwrap();
            (
                w["row"].as_u64().unwrap(),
                w["code"].as_str().unwrap(),
                shard,
            )
        })
        .collect();
    assert_eq!(
        located,
        [
            (2, "not_an_amount", "shop B"),
            (3, "not_a_date", "north.csv")
        ]
    );
    // The table names the shard before the line.
    let table = String::from_utf8(ok(&dir, &["report", "all.lls"])).unwrap();
    let stderr = String::from_utf8(run(&dir, &["report", "all.lls"]).stderr).unwrap();
    let printed = format!("{table}{stderr}");
    assert!(
        printed
            .contains("warning: north.csv, line 3, column order date: '2024-13-45' is not a date"),
        "{printed}"
    );
    // `--name ''`: no name; one state's own Report names no shard.
    ok(
        &dir,
        &["partial", "north.csv", "-o", "n0.lls", "-q", "--name", ""],
    );
    ok(&dir, &["merge", "n0.lls", "s.lls", "-o", "all0.lls"]);
    let report: serde_json::Value =
        serde_json::from_slice(&ok(&dir, &["report", "all0.lls", "--json"])).unwrap();
    let shards: Vec<&serde_json::Value> = report["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["args"]["shard"])
        .collect();
    assert_eq!(
        shards,
        [&serde_json::json!("shop B"), &serde_json::Value::Null]
    );
    let alone: serde_json::Value =
        serde_json::from_slice(&ok(&dir, &["report", "n.lls", "--json"])).unwrap();
    assert!(alone["input"]["warnings"][0]["args"].get("shard").is_none());
}
