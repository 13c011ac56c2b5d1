//! Terminal safety of `ltv-lens analyze`'s table: text taken from the file (the currency, header names
//! and values quoted in warnings) must not reach the terminal as control characters, which could clear
//! the screen, set the window title or reorder what is shown. The JSON output is escaped by serde_json.

use std::path::PathBuf;
use std::process::Command;

/// Clears the screen and sets the terminal's title (an OSC sequence ended by BEL).
const ATTACK: &str = "\x1b[2J\x1b]0;title\x07";
/// The same as a visible escape.
const ATTACK_SHOWN: &str = "\\x1b[2J\\x1b]0;title\\x07";

/// Writes `contents` to a file of this test's own under CARGO_TARGET_TMPDIR.
fn fixture(name: &str, contents: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_terminal");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn analyze(path: &PathBuf, json: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ltv-lens"));
    command.arg("analyze").arg(path);
    if json {
        command.arg("--json");
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "ltv-lens analyze failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the output is UTF-8")
}

#[test]
fn file_text_reaches_the_terminal_escaped() {
    // The currency column's header has controls inside that header matching ignores as white space
    // (VT, FF and the C1 NEL; an ESC would make the column unknown, and unknown names are not shown).
    // The orders' currencies carry escape sequences (ESC, BEL, the C1 CSI, a right-to-left override);
    // order 2's amount is the escape sequence itself, so it is quoted in a "not an amount" warning. Two
    // currencies make a warning that quotes both and names the column.
    let csv = format!(
        "Order ID,Email,Order Date,Total,\"Cur\x0b\x0c\u{85}rency\"\n\
         1,pat@example.com,2024-05-01,10,JPY{ATTACK}\n\
         2,pat@example.com,2024-05-02,{ATTACK},JPY{ATTACK}\n\
         3,quinn@example.com,2024-05-03,20,JPY{ATTACK}\n\
         4,quinn@example.com,2024-05-04,30,USD\u{9b}31m\u{202e}\n"
    );
    let path = fixture("controls.csv", &csv);

    // The JSON carries the file's text as it is (escaped by JSON): the fixture does reach the Report.
    let json: serde_json::Value = serde_json::from_str(&analyze(&path, true)).unwrap();
    assert_eq!(json["currency"], format!("JPY{ATTACK}"), "{json}");
    let columns: Vec<&serde_json::Value> = json["input"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["column"])
        .collect();
    assert!(
        columns.contains(&&serde_json::json!("Cur\x0b\x0c\u{85}rency")),
        "{json}"
    );

    let table = analyze(&path, false);
    let bytes = table.as_bytes();
    for (byte, name) in [(0x1b, "ESC"), (0x07, "BEL"), (0x0b, "VT"), (0x0c, "FF")] {
        assert!(!bytes.contains(&byte), "raw {name} in the table:\n{table}");
    }
    for (c, name) in [
        ('\u{9b}', "C1 CSI"),
        ('\u{85}', "C1 NEL"),
        ('\u{202e}', "RIGHT-TO-LEFT OVERRIDE"),
    ] {
        assert!(!table.contains(c), "raw {name} in the table:\n{table}");
    }
    let controls: Vec<char> = table
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || ('\u{2066}'..='\u{2069}').contains(&c)))
        .collect();
    assert!(controls.is_empty(), "{controls:?} in the table:\n{table}");

    // The escaped form is shown instead, where each text appears.
    let has_line = |start: &str, part: &str| {
        table
            .lines()
            .any(|line| line.starts_with(start) && line.contains(part))
    };
    assert!(
        has_line("revenue", &format!("JPY{ATTACK_SHOWN}")),
        "currency after the revenue:\n{table}"
    );
    assert!(
        has_line("warning: line 3", ATTACK_SHOWN),
        "the unreadable amount in its warning:\n{table}"
    );
    assert!(
        has_line(
            "warning: line 5",
            "column Cur\\x0b\\x0c\\u{85}rency: more than one currency"
        ),
        "the header name in the currency warning:\n{table}"
    );
    assert!(
        has_line("warning: line 5", "USD\\u{9b}31m\\u{202e}"),
        "the second currency in its warning:\n{table}"
    );
    // Nothing else changes: one line per label, and every line break is the table's own.
    assert_eq!(
        table.lines().filter(|l| l.starts_with("warning: ")).count(),
        2,
        "{table}"
    );
}

#[test]
fn error_messages_quoting_the_file_reach_the_terminal_escaped() {
    // No date column: the error lists the columns found, one of which carries the attack.
    let path = fixture("no-date.csv", &format!("id,{ATTACK},amount\n1,x,5\n"));
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .arg("analyze")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\x1b') && !stderr.contains('\x07'),
        "{stderr:?}"
    );
    assert!(stderr.contains(ATTACK_SHOWN), "{stderr:?}");
}
