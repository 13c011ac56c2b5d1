//! The Report: the one output of the analyzer, serialized with snake_case keys for the CLI's `--json`
//! and for JavaScript. Field meanings are documented in the README ("Report").

use serde::Serialize;
use std::collections::BTreeMap;

/// Bumped only when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the analysis found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The analysis date, `YYYY-MM-DD`; `None` only when no order counts.
    pub as_of: Option<String>,
    /// Currency code from a currency column.
    pub currency: Option<String>,
    /// What was read and what was left out.
    pub input: InputSummary,
    /// Headline numbers.
    pub kpis: Kpis,
    /// F2 conversion for each standard window (and the chosen one).
    pub f2_by_window: Vec<F2>,
    /// Customers by number of purchase occasions, stages 1..5 (5 = 5 or more).
    pub funnel: Vec<FunnelStage>,
    /// Weekly bins of days from first to second purchase.
    pub days_to_second_histogram: Vec<HistogramBin>,
    /// Orders and revenue per calendar month, split into new, returning and guest.
    pub monthly: Vec<Month>,
}

/// What was read from the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSummary {
    /// `shopify` or `generic`.
    pub format: &'static str,
    /// `UTF-8` or `Shift_JIS`.
    pub encoding: &'static str,
    /// Header name used for each role (`None` when the file has no such column).
    pub columns: BTreeMap<&'static str, Option<String>>,
    /// Data rows read.
    pub rows: u64,
    /// Distinct orders among the rows, before any exclusion.
    pub orders_seen: u64,
    /// Cancelled, voided or refunded orders.
    pub excluded_orders: u64,
    /// Counted orders without a customer id or e-mail.
    pub orders_without_customer: u64,
    /// Rows left out because a value could not be read.
    pub skipped_rows: u64,
    /// The first problems, located.
    pub warnings: Vec<Warning>,
}

/// A located, recoverable problem in the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based line where the record starts; `None` for file-wide notes.
    pub row: Option<u64>,
    /// Header name of the column concerned.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
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

/// Headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// Distinct customers with an order that counts.
    pub customers: u64,
    /// Orders that count (guest orders included).
    pub orders: u64,
    /// Sum of order revenue.
    pub revenue: f64,
    /// revenue / orders.
    pub aov: Option<f64>,
    /// Orders with a customer / customers.
    pub orders_per_customer: Option<f64>,
    /// Customers with ≥ 2 occasions / customers.
    pub repeat_rate: Option<f64>,
    /// F2 conversion for the chosen window.
    pub f2: F2,
    /// Days from first to second occasion.
    pub days_to_second: DaysToSecond,
}

/// F2 conversion within a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct F2 {
    /// W, in days.
    pub window_days: u32,
    /// Customers whose first occasion is on or before as_of − W.
    pub eligible: u64,
    /// Eligible customers whose second occasion is at most W days after the first.
    pub converted: u64,
    /// converted / eligible.
    pub rate: Option<f64>,
}

/// Distribution of days from first to second occasion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaysToSecond {
    /// Customers with ≥ 2 occasions.
    pub count: u64,
    /// Median.
    pub median: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
}

/// One funnel stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStage {
    /// n = 1..5 (5 = 5 or more occasions).
    pub stage: u32,
    /// Customers with ≥ n occasions.
    pub customers: u64,
    /// customers(≥ n+1) / customers(≥ n); `None` for the last stage.
    pub next_rate: Option<f64>,
}

/// One bin of the days-to-second-purchase histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistogramBin {
    /// First day of the bin (inclusive).
    pub from: u32,
    /// Last day of the bin (inclusive); `None` for the open last bin.
    pub to: Option<u32>,
    /// Customers whose second occasion fell in the bin.
    pub customers: u64,
}

/// One calendar month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Orders that count.
    pub orders: u64,
    /// Their revenue.
    pub revenue: f64,
    /// Orders on their customer's first occasion.
    pub new_orders: u64,
    /// Revenue of those.
    pub new_revenue: f64,
    /// Orders on a later occasion.
    pub returning_orders: u64,
    /// Revenue of those.
    pub returning_revenue: f64,
    /// Orders without a customer.
    pub guest_orders: u64,
    /// Revenue of those.
    pub guest_revenue: f64,
    /// Customers whose first occasion is in this month.
    pub new_customers: u64,
}
