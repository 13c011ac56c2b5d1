//! LTV Lens: repeat-purchase analytics for e-commerce order exports.
//!
//! Push the bytes of an order CSV (a shop platform's export, such as Shopify, BASE, 楽天 or EC-CUBE, or
//! a generic file with an order date and an amount) into an [`Analyzer`] in chunks of any size, then
//! call [`Analyzer::finish`] for an [`Analysis`]: its [`Report`] (customers, orders, revenue, repeat
//! rate, F2 conversion, the purchase funnel, monthly cohorts, historical LTV, RFM segments, overdue and
//! dormant customers, predicted value) and its customer lists.
//!
//! ```
//! use ltv_lens::{Analyzer, CustomerFilter, CsvEncoding, ListLanguage, Options};
//!
//! let mut analyzer = Analyzer::new(Options::default())?;
//! analyzer.push(b"order id,customer id,order date,total\n1,A,2024-01-05,100\n2,A,")?;
//! analyzer.push(b"2024-03-01,50\n3,B,2024-02-10,80\n")?;
//! let analysis = analyzer.finish()?;
//! let report = analysis.report();
//! assert_eq!((report.kpis.customers, report.kpis.orders), (2, 3));
//! assert_eq!(report.kpis.repeat_rate, Some(0.5));
//! let csv = analysis.customers_csv(&CustomerFilter::All, CsvEncoding::Utf8, ListLanguage::En);
//! assert!(csv.bytes.starts_with("\u{feff}".as_bytes()));
//! assert_eq!(csv.unwritable, 0);
//! # Ok::<(), ltv_lens::Error>(())
//! ```
//!
//! The core is plain Rust with no clock, no I/O and no platform dependency: the command line
//! (`crates/cli`) and the WebAssembly binding (`crates/wasm`) are thin shells over this API.
//!
//! Pipeline, one direction: `ingest` (bytes → orders) → `customers` (the per-customer table) →
//! `analysis` (one module per Report section, registered in `report`) → [`Report`] and customer lists.

// A panic in wasm kills the module and the page: library code returns errors instead.
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod analysis;
mod analyzer;
mod customers;
mod error;
mod export;
mod ingest;
pub mod models;
mod options;
mod partial;
mod report;
pub mod sample;
mod string_enum;

// Reading a file and its results.
pub use analyzer::{Analysis, Analyzer};
pub use error::{Error, ErrorCode, ErrorKind};
pub use export::{CsvEncoding, CsvList, CustomerFilter, CustomerRow, ListLanguage};
pub use options::{NamedOptions, Options};
pub use partial::{PartialState, STATE_FORMAT_VERSION};

// How a file's columns are read.
pub use ingest::columns::{Format, Role};
pub use ingest::decode::{TextEncoding, SNIFF_BYTES};
pub use ingest::notices::WarningCode;
pub use ingest::preview::{columns_read, preview, Preview, PreviewColumn};
pub use ingest::values::DayOrder;

// The Report and its parts.
pub use analysis::cohorts::Cohort;
pub use analysis::days_to_second_histogram::HistogramBin;
pub use analysis::drivers::{DriverGroup, Drivers};
pub use analysis::f2::F2;
pub use analysis::funnel::FunnelStage;
pub use analysis::historical_ltv::HistoricalLtv;
pub use analysis::kpis::{DaysToSecond, Kpis};
pub use analysis::lapse::{DaysSinceLastOver, GapDays, Lapse, LapseGroup, LapseState};
pub use analysis::model_notes::{ModelNote, ModelNoteCode};
pub use analysis::monthly::Month;
pub use analysis::predicted_value::{
    BgNbdErrors, BgNbdSection, FrequencyCheck, GammaGammaErrors, GammaGammaSection, Holdout,
    ModelTotals, Models, SegmentValue, TimeUnit, TrackingPoint,
};
pub use analysis::predicted_value::{
    Candidate, CandidateHoldout, ChosenBy, FitProgress, Interval, ModelConvergence, ParamErrors,
    Params, TotalIntervals,
};
pub use analysis::rfm::{RfCell, Rfm, Segment, SegmentSummary};
pub use analysis::subscriptions::{
    CycleDays, RetentionStep, Sbg, SbgErrors, SubscriptionMonth, SubscriptionNote,
    SubscriptionNoteCode, SubscriptionState, SubscriptionUnit, Subscriptions,
};
pub use analysis::timing::{Timing, TimingStep, TIMING_BUCKETS};
pub use report::{InputSummary, Report, ReportHead, Section, Warning, SCHEMA_VERSION, SECTIONS};
