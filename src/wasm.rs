//! The WebAssembly binding: an `Analyzer` class for JavaScript that only converts values between JS
//! and the core. Options come in as a plain object (`{f2WindowDays, asOf, fBandStarts}`), the Report
//! and customer rows go out as plain objects with the README's snake_case keys, customer lists as CSV
//! bytes, and core errors become JS `Error`s. The TypeScript declarations are generated from the Rust
//! types (`schema/report.d.ts`).

use crate::export::CustomerFilterOptions;
use crate::{
    Analysis, Analyzer as CoreAnalyzer, AnalyzerOptions, CsvEncoding, CustomerFilter, Options,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("../schema/report.d.ts");

/// Streams an order export, then gives its Report and customer lists.
#[wasm_bindgen(js_name = Analyzer)]
pub struct WasmAnalyzer {
    reader: CoreAnalyzer,
    /// Kept after `finish` so that reports with other options and customer lists need no re-read.
    analysis: Option<Analysis>,
}

#[wasm_bindgen(js_class = Analyzer)]
impl WasmAnalyzer {
    /// `new Analyzer({f2WindowDays, asOf, fBandStarts})`; throws on invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AnalyzerOptions | undefined")] options: JsValue,
    ) -> Result<WasmAnalyzer, JsError> {
        console_error_panic_hook::set_once();
        Ok(WasmAnalyzer {
            reader: CoreAnalyzer::new(options_from(options)?).map_err(to_js)?,
            analysis: None,
        })
    }

    /// Feeds the next chunk of the file (any size; splits anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.reader.push(chunk).map_err(to_js)
    }

    /// Ends the input and returns the Report as a plain object. The analyzer keeps the customers for
    /// `report`, `customers` and `customersCsv`.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let analysis = self.reader.finish().map_err(to_js)?;
        let report = to_value(&analysis.report());
        self.analysis = Some(analysis);
        report
    }

    /// The Report again with other options (F2 window, as_of, F bands), without re-reading the file.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AnalyzerOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let options = options_from(options)?;
        let analysis = self.analysis.as_mut().ok_or_else(not_finished)?;
        analysis.set_options(options).map_err(to_js)?;
        to_value(&analysis.report())
    }

    /// The customers passing `filter` (`{segment}`, `{lapse}`, `{cohort}` or nothing for everyone),
    /// highest revenue first.
    #[wasm_bindgen(unchecked_return_type = "CustomerRow[]")]
    pub fn customers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerFilter | undefined")] filter: JsValue,
    ) -> Result<JsValue, JsError> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        to_value(&analysis.customers(&filter_from(filter)?))
    }

    /// The customer list as CSV bytes: `"utf-8"` (with a byte-order mark, the default) or `"shift_jis"`.
    #[wasm_bindgen(js_name = customersCsv)]
    pub fn customers_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerFilter | undefined")] filter: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"utf-8\" | \"shift_jis\" | undefined")]
        encoding: Option<String>,
    ) -> Result<Vec<u8>, JsError> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        let encoding = match encoding.as_deref() {
            None => CsvEncoding::Utf8,
            Some(name) => CsvEncoding::parse(name).map_err(to_js)?,
        };
        Ok(analysis.customers_csv(&filter_from(filter)?, encoding))
    }
}

fn options_from(value: JsValue) -> Result<Options, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    let js: AnalyzerOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid option: {e}")))?;
    Options::try_from(js).map_err(to_js)
}

fn filter_from(value: JsValue) -> Result<CustomerFilter, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(CustomerFilter::All);
    }
    let js: CustomerFilterOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("invalid customer filter: {e}")))?;
    CustomerFilter::try_from(js).map_err(to_js)
}

fn to_value<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn not_finished() -> JsError {
    JsError::new("the analyzer has not finished reading a file")
}

fn to_js(error: crate::Error) -> JsError {
    JsError::new(&error.to_string())
}
