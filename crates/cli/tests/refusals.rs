//! Every file the core refuses (the bad-file corpus and the `error_*` fixtures) makes the command line
//! exit 1 with nothing on standard output and one `error: ` line on standard error: the core's sentence.

use ltv_lens::{Analyzer, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The core's refusal of `bytes`, if it refuses them.
fn refusal(bytes: &[u8]) -> Option<String> {
    let mut analyzer = Analyzer::new(Options::default()).unwrap();
    analyzer
        .push(bytes)
        .and_then(|()| analyzer.finish().map(drop))
        .err()
        .map(|error| error.to_string())
}

#[test]
fn refused_files_exit_1_with_the_core_s_sentence_on_one_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut files = files_in(&root.join("bad_files"));
    files.extend(files_in(&root.join("fixtures")).into_iter().filter(|p| {
        p.file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("error_"))
    }));
    let mut refused = Vec::new();
    for path in files {
        let Some(sentence) = refusal(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        refused.push(path.file_name().unwrap().to_string_lossy().into_owned());
        let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
            .arg("analyze")
            .arg(&path)
            .output()
            .expect("the CLI runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
        assert!(out.stdout.is_empty(), "{}", path.display());
        assert!(
            stderr.starts_with("error: ") && stderr.ends_with('\n') && stderr.lines().count() == 1,
            "{}: {stderr:?}",
            path.display()
        );
        // Control characters from the file are escaped on the terminal (cli_terminal.rs); the sentence
        // is otherwise the core's.
        if !sentence.chars().any(char::is_control) {
            assert_eq!(stderr, format!("error: {sentence}\n"), "{}", path.display());
        }
    }
    // Every error fixture is refused, and so is some of the hostile corpus.
    for fixture in [
        "error_empty.csv",
        "error_header_only.csv",
        "error_no_amount_column.csv",
        "error_no_date_column.csv",
    ] {
        assert!(
            refused.iter().any(|name| name == fixture),
            "{fixture}: {refused:?}"
        );
    }
    assert!(refused.len() > 4, "{refused:?}");
}
