//! Terminal safety of `ltv-lens analyze`'s table: text taken from the file (the currency, header names
//! and values quoted in warnings) must not reach the terminal as control characters, which could clear
//! the screen, set the window title or reorder what is shown. The JSON output escapes every control and
//! bidirectional character as `\uXXXX` and parses back to the same text; `ltv-lens customers` escapes a
//! list written to a terminal (the decision is set here through `LTV_LENS_TERMINAL`, as no test runs
//! on a terminal) and writes it unchanged elsewhere.

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
    let text = analyze(&path, true);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
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

    // Not one control or bidirectional character raw in the JSON text: the C1 CSI and the override of
    // the second currency are `\u009b` and `\u202e` (serde_json alone writes them raw); the only line
    // breaks are the pretty-printer's.
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || is_bidi_control(c)))
        .collect();
    assert!(raw.is_empty(), "{raw:?} raw in the JSON");
    assert!(text.contains("USD\\u009b31m\\u202e"), "{text}");
    assert!(text.contains("Cur\\u000b\\f\\u0085rency"), "{text}");
    // And it reads back as the same values: written again by serde_json, parsed, equal.
    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&json).unwrap()).unwrap();
    assert_eq!(again, json);
    let currencies = json["input"]["warnings"].to_string();
    assert!(currencies.contains("USD\u{9b}31m\u{202e}"), "{currencies}");

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

/// The Unicode bidirectional controls (marks, embeddings, overrides and isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The bad-file corpus's list case: names with an OSC title sequence, BEL, backspaces and a lone CR (C5, read as a line break),
/// a C1 CSI and a right-to-left override (C6), a tab (C3).
fn list_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/bad_files/list_cells_for_spreadsheets_and_terminals.csv")
}

/// `ltv-lens customers FILE ARGS` with standard output a terminal or not (as `LTV_LENS_TERMINAL` says).
fn customers(terminal: Option<&str>, args: &[&str]) -> Vec<u8> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ltv-lens"));
    command.arg("customers").arg(list_file()).args(args);
    match terminal {
        Some(value) => command.env("LTV_LENS_TERMINAL", value),
        None => command.env_remove("LTV_LENS_TERMINAL"),
    };
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn a_customer_list_on_a_terminal_shows_its_controls_escaped() {
    let shown = String::from_utf8(customers(Some("1"), &[])).unwrap();
    let raw: Vec<char> = shown
        .chars()
        .filter(|&c| c != '\r' && c != '\n' && (c.is_control() || is_bidi_control(c)))
        .collect();
    assert!(raw.is_empty(), "{raw:?} raw on the terminal:\n{shown}");
    // The only line breaks are the records' CRLFs: a header and nine customers.
    assert_eq!(shown.matches("\r\n").count(), 10, "{shown}");
    assert!(!shown.replace("\r\n", "").contains(['\r', '\n']), "{shown}");
    // Each escape where its name is, as the table shows them.
    for part in [
        // The CR is a lone CR, which reads as a line break (an LF) like every lone CR of the file.
        "C5,e@x.com,\"\\x1b]0;owned\\x07Bob\\x08\\x08\\x0aMallory\"",
        "C6,f@x.com,Eve\\u{9b}31m\\u{202e}evil,",
        "C3,😀@x.com,\"a\\x09'+1\",",
    ] {
        assert!(shown.contains(part), "{part} in\n{shown}");
    }

    // Shift_JIS on a terminal: the same escapes, in Shift_JIS.
    let bytes = customers(Some("1"), &["--encoding", "shift_jis"]);
    let (sjis, _, malformed) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!malformed);
    assert!(!sjis.contains(['\x1b', '\x07', '\x08']), "{sjis}");
    assert!(sjis.contains("\\x1b]0;owned\\x07Bob"), "{sjis}");
}

#[test]
fn a_customer_list_elsewhere_is_written_unchanged() {
    // Not a terminal (detected: the output is a pipe here; or said so): the bytes of `-o FILE`.
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_terminal_list.csv");
    let _ = customers(None, &["-o", path.to_str().unwrap()]);
    let written = std::fs::read(&path).unwrap();
    assert_eq!(customers(None, &[]), written);
    assert_eq!(customers(Some("0"), &[]), written);
    // The file keeps the name's controls: a list is data, escaped only for a terminal.
    let text = String::from_utf8(written).unwrap();
    assert!(
        text.contains("\"\x1b]0;owned\x07Bob\x08\x08\nMallory\""),
        "{text}"
    );
}
