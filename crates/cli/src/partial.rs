//! The partial-state commands: `partial` reads one shard of an export into a partial state file,
//! `merge` merges state files into one, `report` prints a state's Report exactly as `analyze` prints a
//! file's (the same table and JSON code).

use crate::exit::Status;
use crate::{
    failure, print_report, read, refuse_overwriting, write_output, AnalysisArgs, Failure,
    ProgressArgs, ReadingArgs,
};
use ltv_lens::{Options, PartialState};
use std::path::{Path, PathBuf};

/// `ltv-lens partial FILE -o STATE [--name NAME]`: the shard is named `name`, else after its file.
pub fn partial(
    file: &Path,
    reading: &ReadingArgs,
    progress: &ProgressArgs,
    output: &Path,
    name: Option<&str>,
) -> Result<(), Failure> {
    refuse_overwriting(file, output)?;
    let mut analyzer = read(file, reading.apply(Options::default()), true, progress)?;
    let file_name = match file.to_str() {
        Some("-") => None,
        _ => file.file_name().map(|n| n.to_string_lossy()),
    };
    let name = name.or(file_name.as_deref()).unwrap_or_default();
    let state = analyzer
        .finish_partial()
        .map_err(|e| located(file, failure(e)))?
        .named(name);
    write_output(Some(output), &state.to_bytes())
}

/// `ltv-lens merge STATE... -o STATE`.
pub fn merge(inputs: &[PathBuf], output: &Path) -> Result<(), Failure> {
    for input in inputs {
        refuse_overwriting(input, output)?;
    }
    let states = inputs
        .iter()
        .map(|path| load(path))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = PartialState::merge(states).map_err(failure)?;
    write_output(Some(output), &merged.to_bytes())
}

/// `ltv-lens report STATE [--json]`.
pub fn report(state: &Path, analysis: &AnalysisArgs, json: bool) -> Result<(), Failure> {
    let analysis = load(state)?
        .into_analysis(analysis.options())
        .map_err(|e| located(state, failure(e)))?;
    print_report(&analysis, json, None)
}

/// The partial state in the file at `path`.
fn load(path: &Path) -> Result<PartialState, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure(format!("cannot read {}: {e}", path.display()), Status::Io))?;
    PartialState::from_bytes(&bytes).map_err(|e| located(path, failure(e)))
}

/// `failure` with the file it is about.
fn located(path: &Path, Failure(message, status): Failure) -> Failure {
    Failure(format!("{}: {message}", path.display()), status)
}
