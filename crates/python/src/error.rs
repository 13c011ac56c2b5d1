//! Errors for Python: a core [`ltv_lens::Error`] becomes `ltv_lens.LtvLensError` (defined in
//! `python/ltv_lens/_error.py`) with the core's sentence as its message and its stable `code` and `args`
//! (README "Warnings and errors"), so that a caller can branch on the code and word it in its own
//! language. A model that cannot be fitted is the code `model_not_fitted` with the model's sentence.

use ltv_lens::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// `ltv_lens.LtvLensError(message, code, args)` as a Python exception.
pub fn ltv_lens_error(message: &str, code: &str, args: &[(&str, String)]) -> PyErr {
    Python::attach(|py| {
        let raised = (|| -> PyResult<PyErr> {
            let class = py.import("ltv_lens._error")?.getattr("LtvLensError")?;
            let dict = PyDict::new(py);
            for (name, value) in args {
                dict.set_item(name, value)?;
            }
            Ok(PyErr::from_value(class.call1((message, code, dict))?))
        })();
        raised.unwrap_or_else(|failure| failure)
    })
}

/// A core error.
pub fn core_error(error: Error) -> PyErr {
    ltv_lens_error(&error.to_string(), error.code().as_str(), &error.args())
}

/// An invalid option, worded as the core words its own (`invalid option: …`).
pub fn invalid_option(message: &str) -> PyErr {
    core_error(ErrorKind::InvalidOption(message.to_string()).into())
}
