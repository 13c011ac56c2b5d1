//! Partial states for one history sharded by customer: `partial` reads one shard (every order of each
//! of its customers) into the core's serialised [`PartialState`], `merge` combines any number of them
//! (associative and commutative, so an engine may merge in any grouping and order), and `report_json`
//! finishes one into the Report, which equals the single-machine Report of the whole history.

use crate::error::core_error;
use crate::options_from;
use crate::source::Source;
use ltv_lens::PartialState;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict};

/// The serialised partial state of one shard, named `name` (the label of its located warnings once
/// merged) when given.
#[pyfunction]
#[pyo3(signature = (source, options, name=None))]
pub fn partial<'py>(
    py: Python<'py>,
    source: Source,
    options: &Bound<'py, PyDict>,
    name: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = options_from(options)?;
    let state = py.detach(|| -> Result<Vec<u8>, crate::source::ReadError> {
        let mut analyzer = source.read(options)?;
        let state = analyzer
            .finish_partial()?
            .named(name.as_deref().unwrap_or(""));
        Ok(state.to_bytes())
    })?;
    Ok(PyBytes::new(py, &state))
}

/// Serialised partial states merged into one.
#[pyfunction]
pub fn merge<'py>(py: Python<'py>, states: Vec<PyBackedBytes>) -> PyResult<Bound<'py, PyBytes>> {
    let merged = py
        .detach(|| -> Result<Vec<u8>, ltv_lens::Error> {
            let states = states
                .iter()
                .map(|bytes| PartialState::from_bytes(bytes))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(PartialState::merge(states)?.to_bytes())
        })
        .map_err(core_error)?;
    Ok(PyBytes::new(py, &merged))
}

/// The Report of a serialised partial state, as JSON (the command line's `analyze --json`).
#[pyfunction]
pub fn report_json(
    py: Python<'_>,
    state: PyBackedBytes,
    options: &Bound<'_, PyDict>,
) -> PyResult<String> {
    let options = options_from(options)?;
    let report = py
        .detach(|| -> Result<ltv_lens::Report, ltv_lens::Error> {
            Ok(PartialState::from_bytes(&state)?
                .into_analysis(options)?
                .report())
        })
        .map_err(core_error)?;
    crate::report_to_json(&report)
}
