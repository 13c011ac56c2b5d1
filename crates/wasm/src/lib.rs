//! The WebAssembly binding of the LTV Lens core: an `Analyzer` class and a `preview` function for
//! JavaScript that only convert values between JS and the core. Options come in as a plain object
//! (`{f2WindowDays, asOf, fBandStarts, …}`, see [`interop`]), the Report and customer rows go out as plain
//! objects with the README's snake_case keys, customer lists as CSV bytes, and core errors become JS
//! `Error`s with their stable `code`. The TypeScript declarations are generated from the Rust types
//! (`schema/report.d.ts`, kept current by `schema.rs`). Built by `make wasm` into the top-level `pkg/`.

pub mod interop;
#[cfg(test)]
mod schema;

use interop::{AnalyzerOptions, CustomerFilterOptions};
use ltv_lens::{
    Analysis, Analyzer as CoreAnalyzer, CsvEncoding, CustomerFilter, ListLanguage, Options,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("../../../schema/report.d.ts");

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
    ) -> Result<WasmAnalyzer, JsValue> {
        console_error_panic_hook::set_once();
        Ok(WasmAnalyzer {
            reader: CoreAnalyzer::new(options_from(options)?).map_err(to_js)?,
            analysis: None,
        })
    }

    /// Feeds the next chunk of the file (any size; splits anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.reader.push(chunk).map_err(to_js)
    }

    /// Ends the input and returns the Report as a plain object. The analyzer keeps the customers for
    /// `report`, `customers` and `customersCsv`.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let analysis = self.reader.finish().map_err(to_js)?;
        let report = to_value(&analysis.report());
        self.analysis = Some(analysis);
        report
    }

    /// Ends the input like `finish`, but returns only the Report's head (`schema_version`, `as_of`,
    /// `currency`, `input`): the sections then come one at a time from `section`, so that a page can show
    /// each as soon as it is computed.
    #[wasm_bindgen(
        js_name = finishInput,
        unchecked_return_type = "Pick<Report, \"schema_version\" | \"as_of\" | \"currency\" | \"input\">"
    )]
    pub fn finish_input(&mut self) -> Result<JsValue, JsValue> {
        let analysis = self.reader.finish().map_err(to_js)?;
        let head = to_value(&analysis.report_head());
        self.analysis = Some(analysis);
        head
    }

    /// Computes one section of the Report (a name of `sectionNames()`), as it appears in the Report.
    #[wasm_bindgen(unchecked_return_type = "Report[keyof Report]")]
    pub fn section(&self, name: &str) -> Result<JsValue, JsValue> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        analysis
            .serialize_section(name, &serde_wasm_bindgen::Serializer::json_compatible())
            .ok_or_else(|| js_error(&format!("{name:?} is not a section of the Report")))?
            .map_err(|e| js_error(&e.to_string()))
    }

    /// Fits the prediction models now (when the options request them and they were not fitted yet),
    /// calling `onProgress(done, total)` before the first step and after each (each candidate's fit
    /// and holdout refit, the spend model, the predictions); `section("models")` then uses the fits.
    #[wasm_bindgen(js_name = fitModels)]
    pub fn fit_models(
        &self,
        #[wasm_bindgen(js_name = onProgress, unchecked_param_type = "(done: number, total: number) => void")]
        on_progress: &js_sys::Function,
    ) -> Result<(), JsValue> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        // Progress is a courtesy: a callback that throws does not stop the fitting.
        analysis.fit_models(&mut |step| {
            let _ = on_progress.call2(&JsValue::NULL, &step.done.into(), &step.total.into());
        });
        Ok(())
    }

    /// The Report again with other options (F2 window, as_of, F bands), without re-reading the file.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AnalyzerOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
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
    ) -> Result<JsValue, JsValue> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        to_value(&analysis.customers(&filter_from(filter)?))
    }

    /// The customer list as CSV bytes: `"utf-8"` (with a byte-order mark, the default) or `"shift_jis"`;
    /// the header row and the segment and lapse cells in `"en"` (the Report's keys, the default) or
    /// `"ja"`.
    #[wasm_bindgen(js_name = customersCsv)]
    pub fn customers_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerFilter | undefined")] filter: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"utf-8\" | \"shift_jis\" | undefined")]
        encoding: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "ListLanguage | undefined")] lang: Option<String>,
    ) -> Result<Vec<u8>, JsValue> {
        Ok(self.csv_list(filter, encoding, lang)?.bytes)
    }

    /// The customer list as `customersCsv` writes it, with the count of values Shift_JIS could not
    /// hold as they are (written as `&#xHEX;` references): `{bytes, unwritable}`.
    #[wasm_bindgen(
        js_name = customersList,
        unchecked_return_type = "{ bytes: Uint8Array; unwritable: number }"
    )]
    pub fn customers_list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerFilter | undefined")] filter: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"utf-8\" | \"shift_jis\" | undefined")]
        encoding: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "ListLanguage | undefined")] lang: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let list = self.csv_list(filter, encoding, lang)?;
        let object = js_sys::Object::new();
        let bytes = js_sys::Uint8Array::from(list.bytes.as_slice());
        let _ = js_sys::Reflect::set(&object, &"bytes".into(), &bytes);
        // A count of cells fits a double exactly.
        let unwritable = list.unwritable as f64;
        let _ = js_sys::Reflect::set(&object, &"unwritable".into(), &unwritable.into());
        Ok(object.into())
    }
}

impl WasmAnalyzer {
    /// The customer list of `customersCsv` and `customersList`.
    fn csv_list(
        &self,
        filter: JsValue,
        encoding: Option<String>,
        lang: Option<String>,
    ) -> Result<ltv_lens::CsvList, JsValue> {
        let analysis = self.analysis.as_ref().ok_or_else(not_finished)?;
        let encoding = match encoding.as_deref() {
            None => CsvEncoding::Utf8,
            Some(name) => CsvEncoding::parse(name).map_err(to_js)?,
        };
        let language = match lang.as_deref() {
            None => ListLanguage::En,
            Some(name) => ListLanguage::parse(name).map_err(to_js)?,
        };
        Ok(analysis.customers_csv(&filter_from(filter)?, encoding, language))
    }
}

/// `preview(bytes, options?)`: how the columns of a file are read, from its first bytes (up to 64 KiB;
/// pass fewer only when the file is shorter), with the column overrides of `options.columns`: the
/// encoding and delimiter, the header row found (or the first record, with the roles missing), each
/// header with its roles and example values. Throws on bytes that are not a CSV file and on invalid
/// options.
#[wasm_bindgen(unchecked_return_type = "Preview")]
pub fn preview(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzerOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    console_error_panic_hook::set_once();
    let options = options_from(options)?;
    to_value(&ltv_lens::preview(bytes, &options).map_err(to_js)?)
}

/// The Report's sections after `input`, in the order `finish` computes them.
#[wasm_bindgen(js_name = sectionNames, unchecked_return_type = "(keyof Report)[]")]
pub fn section_names() -> Vec<String> {
    ltv_lens::SECTIONS
        .iter()
        .map(|section| section.name.to_string())
        .collect()
}

fn options_from(value: JsValue) -> Result<Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    let js: AnalyzerOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error(&format!("invalid option: {e}")))?;
    Options::try_from(js).map_err(to_js)
}

fn filter_from(value: JsValue) -> Result<CustomerFilter, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(CustomerFilter::All);
    }
    let js: CustomerFilterOptions = serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error(&format!("invalid customer filter: {e}")))?;
    CustomerFilter::try_from(js).map_err(to_js)
}

fn to_value<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(&e.to_string()))
}

fn not_finished() -> JsValue {
    js_error("the analyzer has not finished reading a file")
}

/// A JS `Error` with this message.
fn js_error(message: &str) -> JsValue {
    JsError::new(message).into()
}

/// A JS `Error` with the core's sentence as its message, and its stable `code` and `args` (README
/// "Warnings and errors") as properties, so that a page can word it in its own language.
fn to_js(error: ltv_lens::Error) -> JsValue {
    let js = js_error(&error.to_string());
    let args = js_sys::Object::new();
    for (name, value) in error.args() {
        let _ = js_sys::Reflect::set(&args, &name.into(), &value.into());
    }
    let _ = js_sys::Reflect::set(&js, &"code".into(), &error.code().as_str().into());
    let _ = js_sys::Reflect::set(&js, &"args".into(), &args);
    js
}
