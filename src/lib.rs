//! LTV Lens: repeat-purchase analytics for e-commerce order exports.
//!
//! Push the bytes of an order CSV (a shop platform's export, such as Shopify, BASE, 楽天 or EC-CUBE, or
//! a generic file with an order date and an amount) into an [`Analyzer`] in chunks of any size, then call [`Analyzer::finish`] for an
//! [`Analysis`]: its [`Report`] (customers, orders, revenue, repeat rate, F2 conversion, the purchase
//! funnel, monthly cohorts, historical LTV, RFM segments, overdue and dormant customers) and its
//! customer lists. The same core runs natively (the `ltv-lens` command) and in the browser (the `wasm`
//! module, compiled for `wasm32-unknown-unknown`).
//!
//! Pipeline, one direction: `ingest` (bytes → orders) → `customers` (the per-customer table) →
//! `analysis` (one module per Report section) → [`report`] and [`export`] (customer lists).

// A panic in wasm kills the module and the page: library code returns errors instead.
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod analysis;
mod analyzer;
mod customers;
pub mod error;
pub mod export;
mod ingest;
mod models;
mod options;
pub mod report;
pub mod sample;
#[cfg(test)]
mod schema;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use analyzer::{Analysis, Analyzer};
pub use error::{Error, ErrorKind};
pub use export::{CsvEncoding, CustomerFilter, CustomerRow};
pub use ingest::columns::Role;
pub use ingest::decode::SNIFF_BYTES;
pub use ingest::preview::{preview, Preview, PreviewColumn};
pub use ingest::values::DayOrder;
pub use options::{AnalyzerOptions, Options};
pub use report::{Report, Warning};
