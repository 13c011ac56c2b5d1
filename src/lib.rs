//! LTV Lens: repeat-purchase analytics for e-commerce order exports.
//!
//! Push the bytes of an order CSV (a Shopify orders export or a generic file with an order date and an
//! amount) into an [`Analyzer`] in chunks of any size, then call [`Analyzer::finish`] for the
//! [`Report`]: customers, orders, revenue, repeat rate, F2 conversion, days to second purchase, the
//! purchase funnel and a monthly new/returning split. The same core runs natively (the `ltv-lens`
//! command) and in the browser (the `wasm` module, compiled for `wasm32-unknown-unknown`).
//!
//! Pipeline: [`decode`] → [`records`] → [`columns`] → [`orders`] → [`metrics`] → [`report`].

// A panic in wasm kills the module and the page: library code returns errors instead.
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod analyzer;
pub mod columns;
pub mod decode;
pub mod error;
pub mod metrics;
pub mod orders;
pub mod records;
pub mod report;
pub mod sample;
pub mod value;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use analyzer::{Analyzer, Options};
pub use error::{Error, ErrorKind};
pub use report::{Report, Warning};
