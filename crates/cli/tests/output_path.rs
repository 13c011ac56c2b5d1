//! `ltv-lens customers FILE -o OUT` refuses an OUT that is FILE itself, under any name (as written, with
//! `./`, through a symbolic link, a hard link), with exit status 2 and the input left as it was; an OUT
//! that is another file is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory of this test's own holding a copy of an order export.
fn workspace(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/funnel.csv");
    std::fs::copy(fixture, dir.join("orders.csv")).unwrap();
    dir
}

fn customers(dir: &Path, input: &str, output: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ltv-lens"))
        .current_dir(dir)
        .args(["customers", input, "-o", output])
        .output()
        .unwrap()
}

#[test]
fn an_output_file_that_is_the_input_is_refused() {
    let dir = workspace("output_path_refused");
    let before = std::fs::read(dir.join("orders.csv")).unwrap();
    let absolute = dir.join("orders.csv");
    #[allow(unused_mut)]
    let mut names = vec![
        "orders.csv".to_string(),
        "./orders.csv".to_string(),
        absolute.to_str().unwrap().to_string(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&absolute, dir.join("link.csv")).unwrap();
        std::fs::hard_link(&absolute, dir.join("hard.csv")).unwrap();
        names.extend(["link.csv".to_string(), "hard.csv".to_string()]);
    }
    for output in &names {
        let out = customers(&dir, "orders.csv", output);
        assert_eq!(out.status.code(), Some(2), "-o {output}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with("error: the output file ") && stderr.contains("is the input file"),
            "-o {output}: {stderr}"
        );
        assert!(out.stdout.is_empty());
        assert_eq!(
            std::fs::read(dir.join("orders.csv")).unwrap(),
            before,
            "-o {output}"
        );
    }
    // The input named through the link, the output as written: the same file.
    #[cfg(unix)]
    assert_eq!(
        customers(&dir, "link.csv", "orders.csv").status.code(),
        Some(2)
    );
}

#[test]
fn an_output_file_beside_the_input_is_written() {
    let dir = workspace("output_path_written");
    let out = customers(&dir, "orders.csv", "./list.csv");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = std::fs::read_to_string(dir.join("list.csv")).unwrap();
    assert!(list.starts_with("\u{feff}customer_key,"), "{list}");
}
