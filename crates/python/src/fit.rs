//! `fit`: the core's BG/NBD or Gamma-Gamma fit on a summary table a caller already has (one value per
//! customer of frequency x, recency t_x and age T, in one time unit, and for Gamma-Gamma the mean value
//! of the repeat purchases), as `lifetimes`-style columns. Returns the parameters, their standard
//! errors (None where the Hessian is not positive definite), the log-likelihood and the counts.

use crate::error::{invalid_option, ltv_lens_error};
use ltv_lens::models::{bgnbd, gamma_gamma, CustomerSummary, ModelError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Fits `model` (`"bgnbd"` or `"gamma_gamma"`) by maximum likelihood.
#[pyfunction]
#[pyo3(signature = (model, frequency, recency, t, monetary_value=None))]
pub fn fit<'py>(
    py: Python<'py>,
    model: &str,
    frequency: Vec<f64>,
    recency: Vec<f64>,
    t: Vec<f64>,
    monetary_value: Option<Vec<f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let n = frequency.len();
    let monetary_len = monetary_value.as_ref().map_or(n, Vec::len);
    if recency.len() != n || t.len() != n || monetary_len != n {
        return Err(invalid_option(&format!(
            "frequency, recency, T and monetary_value need one value per customer, not {n}, {}, {} \
             and {monetary_len}",
            recency.len(),
            t.len()
        )));
    }
    if model == "gamma_gamma" && monetary_value.is_none() {
        return Err(invalid_option(
            "the gamma_gamma model needs monetary_value: the mean value of each customer's repeat \
             purchases",
        ));
    }
    let monetary = monetary_value.unwrap_or_else(|| vec![0.0; n]);
    let rows: Vec<CustomerSummary> = (0..n)
        .map(|i| CustomerSummary {
            x: frequency[i],
            t_x: recency[i],
            t: t[i],
            monetary: monetary[i],
        })
        .collect();
    let out = PyDict::new(py);
    out.set_item("model", model)?;
    match model {
        "bgnbd" => {
            let fit = py.detach(|| bgnbd::fit(&rows)).map_err(model_error)?;
            let parameters = [
                ("r", fit.r, fit.se_r),
                ("alpha", fit.alpha, fit.se_alpha),
                ("a", fit.a, fit.se_a),
                ("b", fit.b, fit.se_b),
            ];
            set_fit(&out, &parameters, fit.log_likelihood, fit.customers)?;
            out.set_item("repeat_customers", fit.repeat_customers)?;
        }
        "gamma_gamma" => {
            let fit = py.detach(|| gamma_gamma::fit(&rows)).map_err(model_error)?;
            let parameters = [
                ("p", fit.p, fit.se_p),
                ("q", fit.q, fit.se_q),
                ("gamma", fit.gamma, fit.se_gamma),
            ];
            set_fit(&out, &parameters, fit.log_likelihood, fit.customers)?;
            out.set_item("population_mean_value", fit.population_mean_value)?;
            out.set_item(
                "spend_frequency_correlation",
                fit.spend_frequency_correlation,
            )?;
        }
        _ => {
            return Err(invalid_option(&format!(
                "model {model:?} is neither bgnbd nor gamma_gamma"
            )))
        }
    }
    Ok(out)
}

/// Sets what every fit answers: `params` and `standard_errors` by parameter name (from `(name, value,
/// standard error)`), `log_likelihood` and `customers`.
fn set_fit<E: for<'py> IntoPyObject<'py> + Copy, C: for<'py> IntoPyObject<'py>>(
    out: &Bound<'_, PyDict>,
    parameters: &[(&str, f64, E)],
    log_likelihood: f64,
    customers: C,
) -> PyResult<()> {
    let py = out.py();
    let params = PyDict::new(py);
    let errors = PyDict::new(py);
    for &(name, value, error) in parameters {
        params.set_item(name, value)?;
        errors.set_item(name, error)?;
    }
    out.set_item("params", params)?;
    out.set_item("standard_errors", errors)?;
    out.set_item("log_likelihood", log_likelihood)?;
    out.set_item("customers", customers)
}

/// A model the data cannot fit: the code `model_not_fitted` with the model's sentence.
fn model_error(error: ModelError) -> PyErr {
    let message = error.to_string();
    ltv_lens_error(
        &message,
        "model_not_fitted",
        &[("message", message.clone())],
    )
}
