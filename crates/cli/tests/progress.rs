//! The progress of reading on standard error: `--progress` writes it (as plain lines when standard error
//! is not a terminal, as here) without changing standard output; `--quiet` and the default on a
//! non-terminal write nothing, even for an input large enough for the bar on a terminal.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn run(args: &[&str], file: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(args)
        .arg(file)
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "ltv-lens {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A fixture followed by 9 MiB of blank lines (which the reader skips): larger than the 8 MiB from which
/// a terminal shows the bar without a flag, with the fixture's Report. Written once per test run, so that
/// tests running in parallel never read it while another rewrites it.
fn large_file() -> PathBuf {
    static LARGE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    LARGE
        .get_or_init(|| {
            let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("progress-large.csv");
            let mut bytes = std::fs::read(fixture("same_day_occasions.csv")).unwrap();
            bytes.resize(bytes.len() + (9 << 20), b'\n');
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .clone()
}

#[test]
fn progress_goes_to_standard_error_and_leaves_the_output_unchanged() {
    let file = fixture("segments_cohorts_lapse.csv");
    let size = std::fs::metadata(&file).unwrap().len();
    for command in [&["analyze", "--json"][..], &["analyze"], &["customers"]] {
        let plain = run(command, &file);
        let with = run(&[command, &["--progress"]].concat(), &file);
        assert_eq!(with.stdout, plain.stdout, "{command:?}");
        assert!(plain.stderr.is_empty(), "{command:?}");
        // A small file is read at once: only the last line, with the exact byte count; then the fitting.
        let stderr = String::from_utf8(with.stderr).unwrap();
        assert!(
            stderr.starts_with(&format!("ltv-lens: read {size} bytes (")),
            "{command:?}: {stderr:?}"
        );
        let (reading, fitting) = split_fitting(&stderr);
        assert_eq!(reading.len(), 1, "{stderr:?}");
        assert_fitting_lines(&fitting);
    }
}

/// The lines of reading's progress and the fitting's lines after them.
fn split_fitting(stderr: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.starts_with("ltv-lens: fitt"))
        .unwrap_or(lines.len());
    (lines[..start].to_vec(), lines[start..].to_vec())
}

/// Asserts that `stderr` holds reading's "read" lines, then the fitting's lines
/// ([`assert_fitting_lines`]); returns the reading lines.
fn assert_reading_then_fitting(stderr: &str) -> Vec<&str> {
    let (reading, fitting) = split_fitting(stderr);
    assert!(
        reading
            .iter()
            .all(|line| line.starts_with("ltv-lens: read ")),
        "{stderr:?}"
    );
    assert_fitting_lines(&fitting);
    reading
}

/// The fitting's lines: steps counted up to one total (at most one line a second, so how many depends on
/// the machine), then the last line with that total: 8 steps with a holdout period (three candidates,
/// each fitted and refitted on the calibration period, the spend model, the predictions), 5 without.
fn assert_fitting_lines(lines: &[&str]) {
    let (last, steps) = lines.split_last().expect("the fitting's lines");
    let total: u32 = last
        .strip_prefix("ltv-lens: fitted the models in ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{last:?}"));
    assert!(total == 8 || total == 5, "{last:?}");
    let mut previous = 0;
    for line in steps {
        let done: u32 = line
            .strip_prefix("ltv-lens: fitting the models: ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line:?}"));
        assert!(done >= previous && done <= total, "{line:?}");
        let percent = f64::from(done) / f64::from(total) * 100.0;
        assert!(
            line.ends_with(&format!(" of {total} steps ({percent:.0}%)")),
            "{line:?}"
        );
        previous = done;
    }
}

#[test]
fn without_the_models_nothing_is_fitted_and_only_reading_is_shown() {
    let file = fixture("segments_cohorts_lapse.csv");
    let out = run(&["analyze", "--json", "--no-models", "--progress"], &file);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(split_fitting(&stderr), (stderr.lines().collect(), vec![]));
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
}

#[test]
fn a_model_file_shows_the_fitting_after_reading() {
    let file = fixture("funnel.csv");
    for command in [&["analyze", "--json"][..], &["customers"]] {
        let out = run(&[command, &["--progress"]].concat(), &file);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_reading_then_fitting(&stderr);
    }
}

#[test]
fn progress_of_a_large_file_ends_with_its_size_and_the_same_report() {
    let large = large_file();
    let size = std::fs::metadata(&large).unwrap().len();
    let small = run(&["analyze", "--json"], &fixture("same_day_occasions.csv"));
    let with = run(&["analyze", "--json", "--progress"], &large);
    assert_eq!(with.stdout, small.stdout);
    let stderr = String::from_utf8(with.stderr).unwrap();
    // Lines while reading come at most once a second, so how many there are depends on the machine;
    // every line is a "read" line, and the last one is the total; the fitting's lines follow.
    let reading = assert_reading_then_fitting(&stderr);
    let last = reading.last().unwrap();
    assert!(
        last.starts_with(&format!("ltv-lens: read {size} bytes (9.0 MiB) in ")),
        "{last:?}"
    );
}

#[test]
fn standard_input_gets_progress_too() {
    let file = fixture("funnel.csv");
    let size = std::fs::metadata(&file).unwrap().len();
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(["analyze", "--json", "--progress", "-"])
        .stdin(Stdio::from(std::fs::File::open(&file).unwrap()))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, run(&["analyze", "--json"], &file).stdout);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("ltv-lens: read {size} bytes (")),
        "{stderr:?}"
    );
}

#[test]
fn without_a_terminal_or_with_quiet_nothing_is_written_to_standard_error() {
    let large = large_file();
    for args in [
        &["analyze", "--json"][..],
        &["analyze", "--json", "--quiet"],
        &["customers", "-q"],
    ] {
        let out = run(args, &large);
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn quiet_and_progress_together_are_bad_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(["analyze", "--quiet", "--progress"])
        .arg(fixture("funnel.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_last_progress_line_comes_before_the_error_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .args(["analyze", "--progress"])
        .arg(fixture("error_no_date_column.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr:?}");
    assert!(lines[0].starts_with("ltv-lens: read "), "{stderr:?}");
    assert!(lines[1].starts_with("error: "), "{stderr:?}");
}
