//! The WebAssembly binding: an `Analyzer` class for JavaScript that only converts values between
//! JS and the core. Options come in as a plain object (`{f2WindowDays, asOf}`), the Report goes out
//! as a plain object with the README's snake_case keys, and core errors become JS `Error`s.

use crate::{Analyzer as CoreAnalyzer, Options};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &'static str = r#"
/** Analysis options; both optional. */
export interface AnalyzerOptions {
  /** F2 window W in days, 1..3650 (default 365). */
  f2WindowDays?: number;
  /** Analysis date "YYYY-MM-DD" (default: the latest order date). */
  asOf?: string;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    f2_window_days: Option<u32>,
    as_of: Option<String>,
}

/// Streams an order export and produces its Report.
#[wasm_bindgen(js_name = Analyzer)]
pub struct WasmAnalyzer {
    inner: CoreAnalyzer,
}

#[wasm_bindgen(js_class = Analyzer)]
impl WasmAnalyzer {
    /// `new Analyzer({f2WindowDays, asOf})`; throws on invalid options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmAnalyzer, JsError> {
        console_error_panic_hook::set_once();
        let js: JsOptions = if options.is_undefined() || options.is_null() {
            JsOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| JsError::new(&format!("invalid option: {e}")))?
        };
        let mut core = Options::default();
        if let Some(days) = js.f2_window_days {
            core.f2_window_days = days;
        }
        if let Some(as_of) = js.as_of.as_deref().filter(|s| !s.is_empty()) {
            core.as_of = Some(Options::parse_as_of(as_of).map_err(to_js)?);
        }
        Ok(WasmAnalyzer {
            inner: CoreAnalyzer::new(core).map_err(to_js)?,
        })
    }

    /// Feeds the next chunk of the file (any size; splits anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        self.inner.push(chunk).map_err(to_js)
    }

    /// Ends the input and returns the Report as a plain object.
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let report = self.inner.finish().map_err(to_js)?;
        report
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

fn to_js(error: crate::Error) -> JsError {
    JsError::new(&error.to_string())
}
