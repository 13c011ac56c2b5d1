//! The WebAssembly binding: an `Analyzer` class for JavaScript that only converts values between
//! JS and the core. Options come in as a plain object (`{f2WindowDays, asOf}`), the Report goes out
//! as a plain object with the README's snake_case keys, and core errors become JS `Error`s.

use crate::{Analyzer as CoreAnalyzer, Options};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// TypeScript shapes of the options and of the Report (the README's "Report" section in types).
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Analysis options; both optional. */
export interface AnalyzerOptions {
  /** F2 window W in days, 1..3650 (default 365). */
  f2WindowDays?: number;
  /** Analysis date "YYYY-MM-DD" (default: the latest order date). */
  asOf?: string;
}

export interface F2 { window_days: number; eligible: number; converted: number; rate: number | null; }

export interface Report {
  schema_version: 1;
  as_of: string | null;
  currency: string | null;
  input: {
    format: "shopify" | "generic";
    encoding: "UTF-8" | "Shift_JIS";
    columns: Record<"order_id" | "customer_id" | "email" | "date" | "total" | "line_price" | "quantity"
      | "status" | "cancelled" | "refunded" | "currency", string | null>;
    rows: number;
    orders_seen: number;
    excluded_orders: number;
    orders_without_customer: number;
    skipped_rows: number;
    warnings: { row: number | null; column: string | null; message: string }[];
  };
  kpis: {
    customers: number;
    orders: number;
    revenue: number;
    aov: number | null;
    orders_per_customer: number | null;
    repeat_rate: number | null;
    f2: F2;
    days_to_second: { count: number; median: number | null; p25: number | null; p75: number | null };
  };
  f2_by_window: F2[];
  funnel: { stage: number; customers: number; next_rate: number | null }[];
  days_to_second_histogram: { from: number; to: number | null; customers: number }[];
  monthly: {
    month: string; orders: number; revenue: number;
    new_orders: number; new_revenue: number;
    returning_orders: number; returning_revenue: number;
    guest_orders: number; guest_revenue: number;
    new_customers: number;
  }[];
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
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AnalyzerOptions | undefined")] options: JsValue,
    ) -> Result<WasmAnalyzer, JsError> {
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
    #[wasm_bindgen(unchecked_return_type = "Report")]
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
