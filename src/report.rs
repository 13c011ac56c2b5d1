//! The Report: the one output of the analyzer, serialized with snake_case keys for the CLI's `--json`
//! and for JavaScript. Field meanings are documented in the README ("Report"); the TypeScript
//! declarations and JSON Schema in `schema/` are generated from these types (see the tests below).
//!
//! The sections after `input` are the analyses, registered in the one list below: each line names the
//! Report field, its type and the function in `crate::analysis` that computes it.

use crate::analysis::{
    cohorts, days_to_second_histogram, f2, funnel, historical_ltv, kpis, lapse, monthly,
    predicted_value, rfm, Context,
};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::analysis::cohorts::Cohort;
pub use crate::analysis::days_to_second_histogram::HistogramBin;
pub use crate::analysis::f2::F2;
pub use crate::analysis::funnel::FunnelStage;
pub use crate::analysis::historical_ltv::HistoricalLtv;
pub use crate::analysis::kpis::{DaysToSecond, Kpis};
pub use crate::analysis::lapse::{DaysSinceLastOver, GapDays, Lapse, LapseGroup, LapseState};
pub use crate::analysis::monthly::Month;
pub use crate::analysis::predicted_value::{
    BgNbdErrors, BgNbdSection, FrequencyCheck, GammaGammaErrors, GammaGammaSection, Holdout,
    ModelTotals, Models, SegmentValue, TimeUnit, TrackingPoint,
};
pub use crate::analysis::rfm::{RfCell, Rfm, Segment, SegmentSummary};

/// Bumped only when a field changes meaning or disappears, or a section is added.
pub const SCHEMA_VERSION: u32 = 3;

macro_rules! report_sections {
    ($( $(#[$doc:meta])* $field:ident: $ty:ty = $compute:path; )*) => {
        /// Everything the analysis found.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[cfg_attr(test, derive(ts_rs::TS, schemars::JsonSchema))]
        pub struct Report {
            /// [`SCHEMA_VERSION`].
            #[cfg_attr(test, ts(type = "3"))]
            pub schema_version: u32,
            /// The analysis date, `YYYY-MM-DD`; `None` only when no order counts.
            pub as_of: Option<String>,
            /// Currency code from a currency column.
            pub currency: Option<String>,
            /// What was read and what was left out.
            pub input: InputSummary,
            $( $(#[$doc])* pub $field: $ty, )*
        }

        /// Runs every analysis on `ctx`.
        pub(crate) fn build(as_of: Option<String>, currency: Option<String>, input: InputSummary, ctx: &Context<'_>) -> Report {
            Report { schema_version: SCHEMA_VERSION, as_of, currency, input, $( $field: $compute(ctx), )* }
        }

        /// Runs every analysis on `ctx` and measures each, for `make bench`.
        #[cfg(not(target_arch = "wasm32"))]
        pub(crate) fn time_sections(ctx: &Context<'_>) -> Vec<(&'static str, std::time::Duration)> {
            vec![$( {
                let start = std::time::Instant::now();
                std::hint::black_box($compute(ctx));
                (stringify!($field), start.elapsed())
            }, )*]
        }
    };
}

report_sections! {
    /// Headline numbers.
    kpis: kpis::Kpis = kpis::compute;
    /// F2 conversion for each standard window (and the chosen one).
    f2_by_window: Vec<f2::F2> = f2::by_window;
    /// Customers by number of purchase occasions, stages 1..5 (5 = 5 or more).
    funnel: Vec<funnel::FunnelStage> = funnel::compute;
    /// Weekly bins of days from first to second purchase.
    days_to_second_histogram: Vec<days_to_second_histogram::HistogramBin> = days_to_second_histogram::compute;
    /// Orders and revenue per calendar month, split into new, returning and guest.
    monthly: Vec<monthly::Month> = monthly::compute;
    /// Monthly acquisition cohorts: retention and revenue by months since the first purchase.
    cohorts: Vec<cohorts::Cohort> = cohorts::compute;
    /// Average revenue per customer within 3, 6, 12 and 24 months of the first purchase.
    historical_ltv: Vec<historical_ltv::HistoricalLtv> = historical_ltv::compute;
    /// RFM cut points, scores, the R×F grid and the named segments.
    rfm: rfm::Rfm = rfm::compute;
    /// The shop's buying cycle, overdue and dormant customers.
    lapse: lapse::Lapse = lapse::compute;
    /// Predicted value: BG/NBD and Gamma-Gamma fits, totals, by segment, and the holdout check.
    models: predicted_value::Models = predicted_value::compute;
}

/// What was read from the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS, schemars::JsonSchema))]
pub struct InputSummary {
    /// The platform preset (`shopify`, `base`, `rakuten`, …) or `generic`.
    pub format: &'static str,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `Shift_JIS`, `EUC-JP` or `windows-1252`.
    pub encoding: &'static str,
    /// Header name used for each role (`None` when the file has no such column).
    #[cfg_attr(test, ts(type = "Record<string, string | null>"))]
    pub columns: BTreeMap<&'static str, Option<String>>,
    /// Data rows read.
    pub rows: u64,
    /// Distinct orders among the rows, before any exclusion.
    pub orders_seen: u64,
    /// Cancelled, voided or refunded orders.
    pub excluded_orders: u64,
    /// Orders dated after a user-set as_of, left out of every figure.
    pub orders_after_as_of: u64,
    /// Counted orders without a customer id or e-mail.
    pub orders_without_customer: u64,
    /// Rows left out because a value could not be read.
    pub skipped_rows: u64,
    /// The first problems, located.
    pub warnings: Vec<Warning>,
}

/// A located, recoverable problem in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Warning {
    /// 1-based line where the record starts; `None` for file-wide notes.
    pub row: Option<u64>,
    /// Header name of the column concerned.
    pub column: Option<String>,
    /// What is wrong, in English.
    pub message: String,
    /// The kind of problem, stable across versions (README "Warnings"), to word it in another language.
    pub code: &'static str,
    /// The message's arguments by name (`value`, `first`, `count`, …).
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub args: BTreeMap<&'static str, String>,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(row) = self.row {
            write!(f, "line {row}, ")?;
        }
        if let Some(column) = &self.column {
            write!(f, "column {column}: ")?;
        }
        f.write_str(&self.message)
    }
}
