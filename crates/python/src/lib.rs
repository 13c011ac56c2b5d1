//! The Python binding of the LTV Lens core: the native module `ltv_lens._ltv_lens`, which only converts
//! values between Python and the core. The public API is the pure-Python package around it
//! (`python/ltv_lens/__init__.py`): `analyze`, `customers`, `fit`, and `partial`, `merge` and `report`
//! for a history sharded by customer, with `columns_read`. Sources are a file path (read here
//! in 4 MiB chunks) or `bytes`; options come as a dict of keyword arguments checked by the core's
//! [`ltv_lens::NamedOptions`]; the Report is handed over as the JSON the command line's `--json` prints;
//! core errors become `ltv_lens.LtvLensError` with their stable `code` and `args`. The interpreter is
//! released (`Python::detach`) while the core reads, analyses or fits, so that other Python threads run.
//! Built by `make python` with maturin (`pyproject.toml`).

mod error;
mod fit;
mod partial;
mod source;

use error::{core_error, invalid_option};
use ltv_lens::{CustomerFilter, NamedOptions, Options};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use source::Source;

/// The Report of `source` as JSON (the command line's `analyze --json`).
#[pyfunction]
fn analyze_json(py: Python<'_>, source: Source, options: &Bound<'_, PyDict>) -> PyResult<String> {
    let options = options_from(options)?;
    let report = py.detach(|| source.analyze(options).map(|analysis| analysis.report()))?;
    report_to_json(&report)
}

/// The Report as JSON.
fn report_to_json(report: &ltv_lens::Report) -> PyResult<String> {
    serde_json::to_string(report)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("cannot write the JSON: {e}")))
}

/// The customer rows of `source` passing the filter (`{"segment": KEY}`, …, or empty for everyone), as
/// dicts keyed by `customer_columns()`, highest revenue first.
#[pyfunction]
fn customer_rows<'py>(
    py: Python<'py>,
    source: Source,
    filter: &Bound<'py, PyDict>,
    options: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyAny>> {
    let filter = filter_from(filter)?;
    let options = options_from(options)?;
    let rows = py.detach(|| {
        source
            .analyze(options)
            .map(|analysis| analysis.customers(&filter))
    })?;
    Ok(pythonize::pythonize(py, &rows)?)
}

/// The header names of the columns the core reads in `source` (its first 64 KiB are enough), in file
/// order: what an engine must keep of each row for the same Report.
#[pyfunction]
fn columns_read(
    py: Python<'_>,
    source: Source,
    options: &Bound<'_, PyDict>,
) -> PyResult<Vec<String>> {
    let options = options_from(options)?;
    let read = py.detach(|| -> Result<_, source::ReadError> {
        Ok(ltv_lens::columns_read(&source.head()?, &options)?)
    })?;
    Ok(read)
}

/// The columns of a customer list, in order (the header the command line writes).
#[pyfunction]
fn customer_columns() -> Vec<&'static str> {
    ltv_lens::ListLanguage::En.columns().to_vec()
}

/// Keyword arguments as [`Options`]: unknown names and out-of-range values are invalid options.
fn options_from(options: &Bound<'_, PyDict>) -> PyResult<Options> {
    let named: NamedOptions =
        pythonize::depythonize(options).map_err(|e| invalid_option(&e.to_string()))?;
    Options::try_from(named).map_err(core_error)
}

/// A customer filter: one of `segment`, `lapse`, `cohort`, `top_clv`, `first_product`,
/// `first_channel`, `subscription`, `no_purchase_above`, or none for every customer.
fn filter_from(filter: &Bound<'_, PyDict>) -> PyResult<CustomerFilter> {
    if filter.is_empty() {
        return Ok(CustomerFilter::All);
    }
    let (key, value) = match filter.len() {
        1 => filter
            .iter()
            .next()
            .ok_or_else(|| invalid_option("empty filter"))?,
        _ => return Err(invalid_option(FILTER_KINDS)),
    };
    let key: String = key.extract()?;
    let text = || value.extract::<String>();
    let parsed = match key.as_str() {
        "segment" => CustomerFilter::segment(&text()?),
        "lapse" => CustomerFilter::lapse(&text()?),
        "cohort" => CustomerFilter::cohort(&text()?),
        "top_clv" => Ok(CustomerFilter::top_clv(value.extract()?)),
        "first_product" => CustomerFilter::first_product(&text()?),
        "first_channel" => CustomerFilter::first_channel(&text()?),
        "subscription" => CustomerFilter::subscription(&text()?),
        "no_purchase_above" => CustomerFilter::no_purchase_above(value.extract()?),
        _ => return Err(invalid_option(FILTER_KINDS)),
    };
    parsed.map_err(core_error)
}

const FILTER_KINDS: &str = "a customer filter takes one of segment, lapse, cohort, top_clv, \
                            first_product, first_channel, subscription or no_purchase_above";

/// The native module.
#[pymodule]
#[pyo3(name = "_ltv_lens")]
fn ltv_lens_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(analyze_json, module)?)?;
    module.add_function(wrap_pyfunction!(customer_rows, module)?)?;
    module.add_function(wrap_pyfunction!(customer_columns, module)?)?;
    module.add_function(wrap_pyfunction!(columns_read, module)?)?;
    module.add_function(wrap_pyfunction!(fit::fit, module)?)?;
    module.add_function(wrap_pyfunction!(partial::partial, module)?)?;
    module.add_function(wrap_pyfunction!(partial::merge, module)?)?;
    module.add_function(wrap_pyfunction!(partial::report_json, module)?)?;
    module.add("SCHEMA_VERSION", ltv_lens::SCHEMA_VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
