//! The streaming analyzer: `push` byte chunks, then `finish` for an [`Analysis`], which gives the
//! [`Report`] and the customer lists, and can be re-run with other options without re-reading.

use crate::analysis::predicted_value::{FitProgress, Fitted};
use crate::analysis::Context;
use crate::customers::CustomerTable;
use crate::error::{Error, ErrorKind};
use crate::export::{self, CsvEncoding, CsvList, CustomerFilter, CustomerRow, ListLanguage};
use crate::ingest::canonical::canonical;
use crate::ingest::identity::show_keys;
use crate::ingest::outliers::DateChecks;
use crate::ingest::values::{date_to_day, format_day, Day};
use crate::ingest::{Dataset, Ingest, Order};
use crate::options::Options;
use crate::partial::PartialState;
use crate::report::{self, InputSummary, Report, ReportHead, SCHEMA_VERSION};
use std::sync::OnceLock;

/// Streams an order export and produces its [`Analysis`].
///
/// ```
/// use ltv_lens::{Analyzer, Options};
///
/// let csv = "order id,email,order date,amount\n\
///            1,a@example.com,2024-01-05,30\n\
///            2,b@example.com,2024-01-09,20\n\
///            3,A@example.com,2024-02-01,25\n";
/// let mut analyzer = Analyzer::new(Options::default())?;
/// for chunk in csv.as_bytes().chunks(16) {
///     analyzer.push(chunk)?;
/// }
/// let analysis = analyzer.finish()?;
/// let report = analysis.report();
/// assert_eq!(report.kpis.customers, 2);
/// assert_eq!(report.kpis.repeat_rate, Some(0.5));
/// # Ok::<(), ltv_lens::Error>(())
/// ```
pub struct Analyzer {
    options: Options,
    ingest: Ingest,
    failed: Option<Error>,
    finished: bool,
}

impl Analyzer {
    /// A new analyzer; fails on out-of-range options.
    pub fn new(options: Options) -> Result<Self, Error> {
        options.validate()?;
        Ok(Analyzer {
            ingest: Ingest::new(
                &options.columns,
                options.date_order,
                DateChecks {
                    today: options.today.map(date_to_day),
                    keep: options.keep_outlier_dates,
                },
                options.encoding,
            ),
            options,
            failed: None,
            finished: false,
        })
    }

    /// An analyzer that keeps no customer's e-mail or name while reading: the Report, which uses
    /// neither, is the same, with less memory for a large file (about 80 bytes a customer); the
    /// customer lists of its [`Analysis`] have those two columns empty. For a Report alone (the
    /// command line's `analyze`). Call before the first chunk.
    pub fn without_contacts(mut self) -> Self {
        self.ingest.without_contacts();
        self
    }

    /// Feeds the next chunk of the file. Chunks may split lines and characters anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), Error> {
        self.feed(chunk, false)
    }

    /// Ends the input and settles the orders and customers.
    pub fn finish(&mut self) -> Result<Analysis, Error> {
        self.feed(&[], true)?;
        self.finished = true;
        let dataset = canonical(self.ingest.finish()?, false);
        Ok(Analysis::new(dataset, self.options.clone()))
    }

    /// Ends the input of one shard of an export (every order of each of its customers, read with the
    /// reading options: columns and date order) and keeps what the Report needs from it, to merge
    /// with the other shards' ([`PartialState::merge`]). A shard without data rows, or whose rows are
    /// all skipped, is a state too; the whole is checked when the Report is made.
    pub fn finish_partial(&mut self) -> Result<PartialState, Error> {
        self.feed(&[], true)?;
        self.finished = true;
        // Outlier dates are decided over the merged states ([`PartialState::into_analysis`]).
        let every_date = DateChecks {
            today: None,
            keep: true,
        };
        let (dataset, header_line) = self.ingest.finish_rows(every_date)?;
        let dataset = canonical(dataset, true);
        Ok(PartialState::new(dataset, &self.options, header_line))
    }

    fn feed(&mut self, chunk: &[u8], last: bool) -> Result<(), Error> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.finished {
            return Err(ErrorKind::AlreadyFinished.into());
        }
        let result = self.ingest.feed(chunk, last);
        if let Err(error) = &result {
            self.failed = Some(error.clone());
        }
        result
    }
}

/// A file's orders and customers, read once: the [`Report`] and customer lists for any options.
pub struct Analysis {
    dataset: Dataset,
    options: Options,
    view: View,
    /// The fitted models for `options` and `view`, computed on first use.
    fitted: OnceLock<Fitted>,
}

/// The orders an analysis date leaves in, and their customers.
struct View {
    as_of: Option<Day>,
    /// The orders dated on or before a user-set as_of; `None` when that is every counted order.
    orders: Option<Vec<Order>>,
    after_as_of: u64,
    customers: CustomerTable,
}

impl View {
    fn new(dataset: &Dataset, user_as_of: Option<Day>) -> View {
        let (orders, after_as_of) = match user_as_of {
            Some(as_of) if dataset.orders.iter().any(|o| o.day > as_of) => {
                let kept: Vec<Order> = dataset
                    .orders
                    .iter()
                    .filter(|o| o.day <= as_of)
                    .copied()
                    .collect();
                let after = (dataset.orders.len() - kept.len()) as u64;
                (Some(kept), after)
            }
            _ => (None, 0),
        };
        let in_view = orders.as_deref().unwrap_or(&dataset.orders);
        let customers = CustomerTable::build(in_view, dataset.identities.keys.len());
        let as_of = user_as_of.or_else(|| in_view.iter().map(|o| o.day).max());
        View {
            as_of,
            orders,
            after_as_of,
            customers,
        }
    }
}

impl Analysis {
    /// The analysis of a canonical dataset ([`canonical`]).
    pub(crate) fn new(mut dataset: Dataset, options: Options) -> Analysis {
        show_keys(&mut dataset.identities.keys, &dataset.identities.from_id);
        let view = View::new(&dataset, options.as_of.map(date_to_day));
        Analysis {
            dataset,
            options,
            view,
            fitted: OnceLock::new(),
        }
    }

    /// The options the Report and lists are computed with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Changes the options (F2 window, as_of, F bands) without re-reading the file.
    pub fn set_options(&mut self, options: Options) -> Result<(), Error> {
        options.validate()?;
        if options.as_of != self.options.as_of {
            self.view = View::new(&self.dataset, options.as_of.map(date_to_day));
        }
        // The models depend on the analysis date and the model options, not on F bands or F2 windows.
        let model_options = |o: &Options| {
            (
                o.as_of,
                o.time_unit,
                o.horizon_days,
                o.margin.to_bits(),
                o.annual_discount_rate.to_bits(),
                o.holdout_split,
                o.model,
            )
        };
        if model_options(&options) != model_options(&self.options) {
            self.fitted = OnceLock::new();
        }
        self.options = options;
        Ok(())
    }

    fn context(&self) -> Context<'_> {
        Context {
            orders: self.view.orders.as_deref().unwrap_or(&self.dataset.orders),
            customers: &self.view.customers,
            // With no counted order there is no date to measure from; every count is then zero.
            as_of: self.view.as_of.unwrap_or_default(),
            options: &self.options,
            fitted: &self.fitted,
            traits: &self.dataset.traits,
        }
    }

    /// The Report. Natively the models are fitted while a second thread computes the other sections
    /// (the WebAssembly build has one thread, and computes them in turn).
    pub fn report(&self) -> Report {
        self.report_with_progress(&mut |_| {})
    }

    /// The Report, telling `progress` how far the models' fitting has come (nothing when the models
    /// are not requested or were fitted before).
    pub fn report_with_progress(&self, progress: &mut dyn FnMut(FitProgress)) -> Report {
        let ctx = self.context();
        #[cfg(not(target_arch = "wasm32"))]
        if self.options.models {
            return std::thread::scope(|scope| {
                // The fits, the larger allocations, stay on this thread, whose memory the file's reading
                // freed; the sections' thread waits for them at the models section.
                // The sections' thread starts once the fitting has (its first step reported), so that
                // this thread, not that one, fits the models and reports the steps; at once when the
                // models were fitted before.
                let (started, start) = std::sync::mpsc::channel::<()>();
                let shared = &ctx;
                let sections = std::thread::Builder::new().spawn_scoped(scope, move || {
                    let _ = start.recv();
                    report::build(self.report_head(), shared)
                });
                let mut started = Some(started);
                ctx.fitted_with(&mut |step| {
                    if let Some(started) = started.take() {
                        let _ = started.send(());
                    }
                    progress(step);
                });
                drop(started);
                match sections.map(|thread| thread.join()) {
                    Ok(Ok(report)) => report,
                    Ok(Err(panic)) => std::panic::resume_unwind(panic),
                    // No second thread could be started: the sections are computed here.
                    Err(_) => report::build(self.report_head(), &ctx),
                }
            });
        }
        self.fit_models(progress);
        report::build(self.report_head(), &ctx)
    }

    /// Fits the models now (when the options request them and they were not fitted yet), telling
    /// `progress` how far the fitting has come: the Report or its `models` section then uses these fits.
    pub fn fit_models(&self, progress: &mut dyn FnMut(FitProgress)) {
        if self.options.models {
            self.context().fitted_with(progress);
        }
    }

    /// The Report's `schema_version`, `as_of`, `currency` and `input`, without computing any section:
    /// with [`Analysis::serialize_section`], the Report in parts, each shown as soon as it is ready.
    pub fn report_head(&self) -> ReportHead {
        let d = &self.dataset;
        let orders = self.view.orders.as_deref().unwrap_or(&d.orders);
        ReportHead {
            schema_version: SCHEMA_VERSION,
            as_of: self.view.as_of.map(format_day),
            currency: d.currency.clone(),
            input: InputSummary {
                format: d.format,
                encoding: d.encoding,
                columns: d.columns.clone(),
                rows: d.rows,
                orders_seen: d.orders_seen,
                excluded_orders: d.excluded_orders,
                orders_after_as_of: self.view.after_as_of,
                outlier_orders: d.outlier_orders,
                orders_without_customer: orders.iter().filter(|o| o.customer.is_none()).count()
                    as u64,
                skipped_rows: d.skipped_rows,
                warnings: d.warnings.clone(),
            },
        }
    }

    /// Computes the section `name` (one of [`SECTIONS`](crate::SECTIONS)) and serialises it with
    /// `serializer`, as it appears in the Report; `None` when `name` is not a section. A section costs
    /// the same whether it is computed here or in [`Analysis::report`], and the models are fitted once
    /// for both.
    pub fn serialize_section<S: serde::Serializer>(
        &self,
        name: &str,
        serializer: S,
    ) -> Option<Result<S::Ok, S::Error>> {
        report::serialize_section(name, &self.context(), serializer)
    }

    /// Time taken by each Report section, for `make bench` (feature `bench`).
    #[cfg(feature = "bench")]
    pub fn section_timings(&self) -> Vec<(crate::Section, std::time::Duration)> {
        report::time_sections(&self.context())
    }

    /// One row per customer passing `filter`, sorted by revenue (highest first), then key.
    pub fn customers(&self, filter: &CustomerFilter) -> Vec<CustomerRow> {
        export::rows(&self.context(), &self.dataset.identities, filter)
    }

    /// The customer list as a CSV file in `encoding`, with the header row and the segment and lapse
    /// cells in `language`, and the count of cells the encoding could not hold as they are.
    pub fn customers_csv(
        &self,
        filter: &CustomerFilter,
        encoding: CsvEncoding,
        language: ListLanguage,
    ) -> CsvList {
        export::csv(&self.customers(filter), encoding, language)
    }
}
