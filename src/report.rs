//! The Report: the one output of the analyzer, serialized with snake_case keys for the CLI's `--json`
//! and for JavaScript. Field meanings are documented in the README ("Report"); the TypeScript
//! declarations and JSON Schema in `schema/` are generated from these types (see the tests below).
//!
//! The sections after `input` are the analyses, registered in the one list below ([`SECTIONS`]): each
//! line names the Report field, its type, the function in `crate::analysis` that computes it and the
//! schema version that added it. [`SCHEMA_VERSION`], the README's section table and the benchmark's
//! labels are derived from that list.

use crate::analysis::{
    cohorts, days_to_second_histogram, drivers, f2, funnel, historical_ltv, kpis, lapse, monthly,
    predicted_value, rfm, subscriptions, timing, Context,
};
use crate::ingest::columns::Format;
use crate::ingest::decode::TextEncoding;
use crate::ingest::notices::WarningCode;
use serde::Serialize;
use std::collections::BTreeMap;

/// One section of the [`Report`], as the registry below declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Section {
    /// The Report field.
    pub name: &'static str,
    /// The schema version that added it.
    pub since: u32,
    /// What it holds, in one sentence (its doc comment).
    pub description: &'static str,
}

/// The highest `since` of `sections`.
const fn latest(sections: &[Section]) -> u32 {
    let mut version = 1;
    let mut i = 0;
    while i < sections.len() {
        if sections[i].since > version {
            version = sections[i].since;
        }
        i += 1;
    }
    version
}

/// The Report's `schema_version`: the latest version that added a section. Bumped (by registering a
/// section with a higher `since`) when a section is added, or a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = latest(SECTIONS);

macro_rules! report_sections {
    ($( $(#[doc = $doc:literal])* $field:ident: $ty:ty = $compute:path, since $since:literal; )*) => {
        /// Everything the analysis found.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
        #[non_exhaustive]
        pub struct Report {
            /// [`SCHEMA_VERSION`].
            #[cfg_attr(feature = "schema", ts(type = "SCHEMA_VERSION"))]
            pub schema_version: u32,
            /// The analysis date, `YYYY-MM-DD`; `None` only when no order counts.
            pub as_of: Option<String>,
            /// Currency code from a currency column.
            pub currency: Option<String>,
            /// What was read and what was left out.
            pub input: InputSummary,
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        /// Every section after `input`, in Report order.
        pub const SECTIONS: &[Section] = &[$(
            Section { name: stringify!($field), since: $since, description: concat!($($doc),*) },
        )*];

        /// Runs every analysis on `ctx`.
        pub(crate) fn build(head: ReportHead, ctx: &Context<'_>) -> Report {
            let ReportHead { schema_version, as_of, currency, input } = head;
            Report { schema_version, as_of, currency, input, $( $field: $compute(ctx), )* }
        }

        /// Computes the section called `name` on `ctx` and serialises it with `serializer`, exactly as it
        /// is serialised inside the Report; `None` for a name that is not a section.
        pub(crate) fn serialize_section<S: serde::Serializer>(
            name: &str,
            ctx: &Context<'_>,
            serializer: S,
        ) -> Option<Result<S::Ok, S::Error>> {
            match name {
                $( stringify!($field) => Some($compute(ctx).serialize(serializer)), )*
                _ => None,
            }
        }

        /// Runs every analysis on `ctx` and measures each, for `make bench`.
        #[cfg(feature = "bench")]
        pub(crate) fn time_sections(ctx: &Context<'_>) -> Vec<(Section, std::time::Duration)> {
            let mut timings = Vec::with_capacity(SECTIONS.len());
            let mut sections = SECTIONS.iter();
            $( {
                let start = std::time::Instant::now();
                std::hint::black_box($compute(ctx));
                let elapsed = start.elapsed();
                if let Some(section) = sections.next() {
                    timings.push((*section, elapsed));
                }
            } )*
            timings
        }
    };
}

// The one list of sections: each line is the Report field (with its doc comment, which the README's
// section table shows), its type, the function in `crate::analysis` that computes it, and the schema
// version that added it.
report_sections! {
    /// Headline numbers.
    kpis: kpis::Kpis = kpis::compute, since 1;
    /// F2 conversion for each standard window (and the chosen one).
    f2_by_window: Vec<f2::F2> = f2::by_window, since 1;
    /// Customers by number of purchase occasions, stages 1..5 (5 = 5 or more).
    funnel: Vec<funnel::FunnelStage> = funnel::compute, since 1;
    /// Weekly bins of days from first to second purchase.
    days_to_second_histogram: Vec<days_to_second_histogram::HistogramBin> = days_to_second_histogram::compute, since 1;
    /// Orders and revenue per calendar month, split into new, returning and guest.
    monthly: Vec<monthly::Month> = monthly::compute, since 1;
    /// Monthly acquisition cohorts: retention and revenue by months since the first purchase.
    cohorts: Vec<cohorts::Cohort> = cohorts::compute, since 2;
    /// The caps on `cohorts` (the latest cohorts, the first months of each) and the cohorts left out.
    cohort_limits: cohorts::CohortLimits = cohorts::limits, since 4;
    /// Average revenue per customer within 3, 6, 12 and 24 months of the first purchase.
    historical_ltv: Vec<historical_ltv::HistoricalLtv> = historical_ltv::compute, since 2;
    /// RFM cut points, scores, the R×F grid and the named segments.
    rfm: rfm::Rfm = rfm::compute, since 2;
    /// The shop's buying cycle, overdue and dormant customers.
    lapse: lapse::Lapse = lapse::compute, since 2;
    /// Predicted value: BG/NBD, MBG/NBD and Pareto/NBD candidates chosen by the holdout check, the
    /// Gamma-Gamma fit, totals with 90 % intervals, by segment, and the holdout check; `null` when not
    /// requested (`--no-models`, `models: false`).
    models: Option<predicted_value::Models> = predicted_value::compute_if_requested, since 5;
    /// F2 conversion by first product, first-order discount, channel and first-occasion value band.
    drivers: drivers::Drivers = drivers::compute, since 4;
    /// Days between each purchase occasion and the next, in fixed buckets, and the follow-up day.
    timing: timing::Timing = timing::compute, since 4;
    /// Subscriptions: retention by delivery count, monthly churn and the sBG projection; `null` without a subscription column.
    subscriptions: Option<subscriptions::Subscriptions> = subscriptions::compute, since 4;
}

/// The start of the [`Report`]: what every section is computed from, known as soon as the input is read.
/// Its fields serialise as the Report's own.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReportHead {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The analysis date, `YYYY-MM-DD`; `None` only when no order counts.
    pub as_of: Option<String>,
    /// Currency code from a currency column.
    pub currency: Option<String>,
    /// What was read and what was left out.
    pub input: InputSummary,
}

/// What was read from the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct InputSummary {
    /// The platform preset (`shopify`, `base`, `rakuten`, …) or `generic`.
    pub format: Format,
    /// The text encoding the file was read in.
    pub encoding: TextEncoding,
    /// Header name used for each role (`None` when the file has no such column).
    #[cfg_attr(feature = "schema", ts(type = "Record<Role, string | null>"))]
    pub columns: BTreeMap<&'static str, Option<String>>,
    /// Data rows read.
    pub rows: u64,
    /// Distinct orders among the rows, before any exclusion.
    pub orders_seen: u64,
    /// Cancelled, voided or refunded orders.
    pub excluded_orders: u64,
    /// Orders dated after a user-set as_of, left out of every figure.
    pub orders_after_as_of: u64,
    /// Orders left out for outlier dates (after today, or isolated from the file's history by more
    /// than two years), unless kept by the keep-outlier-dates option.
    pub outlier_orders: u64,
    /// Counted orders without a customer id or e-mail.
    pub orders_without_customer: u64,
    /// Rows left out because a value could not be read.
    pub skipped_rows: u64,
    /// The first problems, located.
    pub warnings: Vec<Warning>,
}

/// A located, recoverable problem in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
pub struct Warning {
    /// 1-based line where the record starts; `None` for file-wide notes.
    pub row: Option<u64>,
    /// Header name of the column concerned.
    pub column: Option<String>,
    /// What is wrong, in English.
    pub message: String,
    /// The kind of problem, stable across versions (README "Warnings"), to word it in another language.
    pub code: WarningCode,
    /// The message's arguments by name (`value`, `first`, `count`, …).
    #[cfg_attr(feature = "schema", ts(type = "Record<string, string>"))]
    pub args: BTreeMap<&'static str, String>,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The shard of a merged partial state's located warning (README "Partial states").
        if let Some(shard) = self.args.get("shard") {
            write!(f, "{shard}, ")?;
        }
        if let Some(row) = self.row {
            write!(f, "line {row}, ")?;
        }
        if let Some(column) = &self.column {
            write!(f, "column {column}: ")?;
        }
        f.write_str(&self.message)
    }
}
