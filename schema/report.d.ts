// Generated from the Rust types by `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`; do not edit.

/**
 * [`Options`] as JavaScript passes them: `{f2WindowDays, asOf, fBandStarts}`, all optional.
 */
export type AnalyzerOptions = { 
/**
 * F2 window W in days, 1..3650 (default 365).
 */
f2WindowDays?: number, 
/**
 * Analysis date "YYYY-MM-DD" (default: the latest order date).
 */
asOf?: string, 
/**
 * Occasions at which F bands 1..5 start (default [1, 2, 3, 4, 6]).
 */
fBandStarts?: Array<number>, 
/**
 * Predicted-value horizon in days, 1..3650 (default 365).
 */
horizonDays?: number, 
/**
 * Gross margin for predicted CLV, a fraction in (0, 1] (default 1).
 */
margin?: number, 
/**
 * Annual discount rate for predicted CLV, a fraction (default 0).
 */
annualDiscountRate?: number, 
/**
 * Time unit of the models: "day" (default) or "week".
 */
timeUnit?: TimeUnit, 
/**
 * Holdout check split date "YYYY-MM-DD" (default: the last third of the history is held out).
 */
holdoutSplit?: string, 
/**
 * The repeat-purchase model of the predictions: "bgnbd", "mbgnbd" or "pareto_nbd" (default: the
 * candidate with the lowest holdout error).
 */
model?: ModelKind, 
/**
 * Day/month order of year-last slash dates the file does not settle: "month-first" or "day-first".
 */
dateOrder?: string, 
/**
 * Days after a subscription's last delivery past which it has churned, 0..3650 (default: 1.5 ×
 * the median days between deliveries, rounded up).
 */
subscriptionLapseDays?: number, 
/**
 * Column overrides, role key (a `Role`, as in `input.columns`) → the header name of its column as
 * written in the file, or null for "not used".
 * Roles left out keep the detected column. They apply when the file is read (`new Analyzer`),
 * not to `report()`.
 */
columns?: Partial<Record<Role, string | null>>, 
/**
 * Today "YYYY-MM-DD": orders dated after it are outlier dates (default none; `analyze()` passes the
 * browser's local date). Applies when the file is read.
 */
today?: string, 
/**
 * Keep orders whose dates are outliers instead of leaving them out (default false). Applies when
 * the file is read.
 */
keepOutlierDates?: boolean, 
/**
 * The text encoding to read the file in instead of detecting it, named as `input.encoding`
 * names it (a `TextEncoding`, such as the `other` of an `encoding_close_call` warning). It applies
 * when the file is read (`new Analyzer`).
 */
encoding?: TextEncoding, 
/**
 * Whether the Report has its `models` section (default true); with false it is null and nothing
 * is fitted for it (customer lists still carry the predictions).
 */
models?: boolean, };

/**
 * Standard errors of the BG/NBD parameters.
 */
export type BgNbdErrors = { 
/**
 * Of r.
 */
r: number | null, 
/**
 * Of alpha.
 */
alpha: number | null, 
/**
 * Of a.
 */
a: number | null, 
/**
 * Of b.
 */
b: number | null, };

/**
 * BG/NBD parameters.
 */
export type BgNbdSection = { 
/**
 * Customers fitted.
 */
customers: number, 
/**
 * Those with at least one repeat purchase.
 */
repeat_customers: number, 
/**
 * Shape of the purchase-rate distribution.
 */
r: number, 
/**
 * Scale of the purchase-rate distribution, in the time unit.
 */
alpha: number, 
/**
 * Dropout-probability Beta a.
 */
a: number, 
/**
 * Dropout-probability Beta b.
 */
b: number, 
/**
 * Log-likelihood at the estimates.
 */
log_likelihood: number, 
/**
 * Standard errors (`None` where the Hessian is not positive definite).
 */
se: BgNbdErrors, };

/**
 * One candidate repeat-purchase model.
 */
export type Candidate = { 
/**
 * Which model.
 */
model: ModelKind, 
/**
 * Its parameters; `None` when it could not be fitted (see `note`).
 */
params: Params | null, 
/**
 * Their standard errors (each `None` where the Hessian is not positive definite).
 */
se: ParamErrors | null, 
/**
 * Log-likelihood at the estimates.
 */
log_likelihood: number | null, 
/**
 * BIC = 4 ln(customers) − 2 log_likelihood (lower is better).
 */
bic: number | null, 
/**
 * Predicted against actual purchases after the split (refit on the calibration period).
 */
holdout: CandidateHoldout | null, 
/**
 * How the fit's search ended.
 */
convergence: ModelConvergence | null, 
/**
 * Why it was not fitted; `None` when it was.
 */
note: ModelNote | null, };

/**
 * A candidate's holdout check.
 */
export type CandidateHoldout = { 
/**
 * Purchase occasions the calibration fit expected after the split.
 */
predicted: number, 
/**
 * Purchase occasions made after the split by the calibration customers.
 */
actual: number, 
/**
 * |predicted − actual| / actual; `None` when nobody bought after the split.
 */
error: number | null, };

/**
 * Why a model is the chosen one.
 */
export type ChosenBy = "user" | "holdout" | "bic";

/**
 * One monthly cohort.
 */
export type Cohort = { 
/**
 * `YYYY-MM` of the first purchase.
 */
cohort: string, 
/**
 * Customers whose first purchase is in that month.
 */
customers: number, 
/**
 * By months since the cohort month: customers with an order in that month.
 */
active_customers: Array<number>, 
/**
 * active_customers[k] / customers.
 */
retention: Array<number>, 
/**
 * Revenue of the cohort's orders in month k.
 */
revenue: Array<number>, 
/**
 * Cumulative revenue up to month k, per cohort customer.
 */
cumulative_revenue_per_customer: Array<number>, };

/**
 * The caps on `cohorts`, and what they left out.
 */
export type CohortLimits = { 
/**
 * At most this many cohorts are listed: the latest.
 */
max_cohorts: number, 
/**
 * Each cohort's arrays cover at most this many months from its first.
 */
max_months: number, 
/**
 * Cohorts (months with a first purchase) older than the listed ones.
 */
cohorts_left_out: number, };

/**
 * A [`CustomerFilter`] as JavaScript and JSON write it: `{segment}`, `{lapse}`, `{cohort}`, or nothing
 * for every customer.
 */
export type CustomerFilter = { 
/**
 * A segment key such as `"champions"`.
 */
segment?: string, 
/**
 * `"overdue"`, `"dormant"` or `"active"`.
 */
lapse?: string, 
/**
 * A first-purchase month `"YYYY-MM"`.
 */
cohort?: string, 
/**
 * The customers with the highest predicted CLV, at most this many.
 */
topClv?: number, 
/**
 * The customers whose first purchase included this product (the name as in the file).
 */
firstProduct?: string, 
/**
 * The customers whose first order came through this channel (any case; a URL as its host).
 */
firstChannel?: string, 
/**
 * `"active"` (at risk included), `"churned"` or `"at_risk"`: the customers whose subscriptions
 * stand so.
 */
subscription?: string, 
/**
 * The customers whose probability of no purchase in the horizon is above this (0 to below 1).
 */
noPurchaseAbove?: number, };

/**
 * One customer in a list.
 */
export type CustomerRow = { 
/**
 * The key the customer was identified by: its normalised customer id, else its normalised e-mail
 * (`email:` in front when it reads the same as a customer id of the file).
 */
customer_key: string, 
/**
 * The first e-mail seen for the customer.
 */
email: string | null, 
/**
 * The first name seen for the customer.
 */
name: string | null, 
/**
 * `YYYY-MM-DD` of the first purchase occasion.
 */
first_purchase: string, 
/**
 * `YYYY-MM-DD` of the second occasion, if any.
 */
second_purchase: string | null, 
/**
 * `YYYY-MM-DD` of the last occasion.
 */
last_purchase: string, 
/**
 * Purchase occasions (distinct order days).
 */
occasions: number, 
/**
 * Orders.
 */
orders: number, 
/**
 * Revenue of the customer's orders.
 */
revenue: number, 
/**
 * as_of − last purchase, in days.
 */
recency_days: number, 
/**
 * RFM recency score 1..5.
 */
r: number, 
/**
 * RFM frequency score 1..5.
 */
f: number, 
/**
 * RFM monetary score 1..5.
 */
m: number, 
/**
 * The named segment.
 */
segment: Segment, 
/**
 * Active, overdue or dormant.
 */
lapse: LapseState, 
/**
 * Probability that the customer is still active (the chosen model); `None` without a fit.
 */
p_alive: number | null, 
/**
 * Expected purchase occasions in the prediction horizon; `None` without a fit.
 */
expected_purchases: number | null, 
/**
 * Expected value of a purchase (Gamma-Gamma); `None` without a fit.
 */
expected_value: number | null, 
/**
 * Predicted CLV over the horizon; `None` without both fits.
 */
clv: number | null, 
/**
 * The first occasion's distinct product names, sorted by code point, joined with `;`; `None`
 * without a product column or when the first occasion names none.
 */
first_product: string | null, 
/**
 * The channel key of the first occasion's earliest order (never `other`); `None` without one.
 */
first_channel: string | null, 
/**
 * Whether the first occasion used a discount; `None` without a discount column.
 */
first_discount: boolean | null, 
/**
 * The state of the customer's subscriptions; `None` without a `subscriptions` section or a
 * subscription of the customer.
 */
subscription: SubscriptionState | null, 
/**
 * The delivery count of each of the customer's subscription units, by first delivery, joined
 * with `;`.
 */
subscription_deliveries: string | null, 
/**
 * `YYYY-MM-DD` of the customer's latest subscription delivery.
 */
last_delivery: string | null, 
/**
 * Probability of no purchase in the prediction horizon; `None` without a fit.
 */
p_no_purchase: number | null, 
/**
 * 5th percentile of `p_alive` over the parameter draws; `None` without intervals.
 */
p_alive_low: number | null, 
/**
 * 95th percentile of `p_alive`.
 */
p_alive_high: number | null, 
/**
 * 5th percentile of `p_no_purchase`.
 */
p_no_purchase_low: number | null, 
/**
 * 95th percentile of `p_no_purchase`.
 */
p_no_purchase_high: number | null, 
/**
 * 5th percentile of `expected_purchases`.
 */
expected_purchases_low: number | null, 
/**
 * 95th percentile of `expected_purchases`.
 */
expected_purchases_high: number | null, 
/**
 * 5th percentile of `clv`; `None` without CLV.
 */
clv_low: number | null, 
/**
 * 95th percentile of `clv`.
 */
clv_high: number | null, };

/**
 * Median and p75 of the days between consecutive deliveries.
 */
export type CycleDays = { 
/**
 * Median.
 */
median: number | null, 
/**
 * 75th percentile.
 */
p75: number | null, };

/**
 * Customers with recency_days greater than 30, 60, 90, 180 and 365 days.
 */
export type DaysSinceLastOver = { 
/**
 * recency_days > 30.
 */
"30": number, 
/**
 * recency_days > 60.
 */
"60": number, 
/**
 * recency_days > 90.
 */
"90": number, 
/**
 * recency_days > 180.
 */
"180": number, 
/**
 * recency_days > 365.
 */
"365": number, };

/**
 * Distribution of days from first to second occasion.
 */
export type DaysToSecond = { 
/**
 * Customers with ≥ 2 occasions.
 */
count: number, 
/**
 * Median.
 */
median: number | null, 
/**
 * 25th percentile.
 */
p25: number | null, 
/**
 * 75th percentile.
 */
p75: number | null, };

/**
 * The F2 conversion of one group of eligible customers.
 */
export type DriverGroup = { 
/**
 * The product name, `with_discount` / `without_discount`, the channel key or `other`, or the
 * value band `"1"`..`"5"`.
 */
key: string, 
/**
 * Eligible customers in the group.
 */
eligible: number, 
/**
 * Of them, converted.
 */
converted: number, 
/**
 * converted / eligible (`None` when nobody is eligible).
 */
rate: number | null, 
/**
 * Lower end of the 95 % Wilson score interval.
 */
low: number | null, 
/**
 * Upper end of the 95 % Wilson score interval.
 */
high: number | null, 
/**
 * Fewer than `min_group` eligible customers.
 */
small: boolean, };

/**
 * F2 conversion by what the first purchase was.
 */
export type Drivers = { 
/**
 * W, in days (as `kpis.f2`).
 */
window_days: number, 
/**
 * Customers whose first occasion is on or before as_of − W (= `kpis.f2.eligible`).
 */
eligible: number, 
/**
 * Eligible customers with a second occasion within W days (= `kpis.f2.converted`).
 */
converted: number, 
/**
 * converted / eligible (= `kpis.f2.rate`).
 */
rate: number | null, 
/**
 * Groups with fewer eligible customers are `small`.
 */
min_group: number, 
/**
 * By product of the first occasion (top 20 by eligible); `None` without a product column.
 */
by_first_product: Array<DriverGroup> | null, 
/**
 * `with_discount` / `without_discount`; `None` without a discount code or amount column.
 */
by_first_discount: Array<DriverGroup> | null, 
/**
 * By channel of the first order (top 10 by eligible, then `other`); `None` without a channel
 * column.
 */
by_first_channel: Array<DriverGroup> | null, 
/**
 * By quintile band `"1"`..`"5"` of the first occasion's revenue.
 */
by_first_value: Array<DriverGroup>, 
/**
 * The four cut points of the value bands (empty when nobody is eligible).
 */
first_value_cut_points: Array<number>, };

/**
 * The kind of an [`Error`], stable across versions (README "Warnings and errors"), to word it in
 * another language.
 */
export type ErrorCode = "empty" | "not_text" | "no_header" | "no_rows" | "no_usable_rows" | "record_too_large" | "items_file" | "invalid_option" | "already_finished" | "invalid_state" | "states_disagree" | "amounts_too_large";

/**
 * F2 conversion within a window.
 */
export type F2 = { 
/**
 * W, in days.
 */
window_days: number, 
/**
 * Customers whose first occasion is on or before as_of − W.
 */
eligible: number, 
/**
 * Eligible customers whose second occasion is at most W days after the first.
 */
converted: number, 
/**
 * converted / eligible.
 */
rate: number | null, };

/**
 * The kind of export recognised from the header.
 */
export type Format = "shopify" | "base" | "rakuten" | "rakuten_pay" | "yahoo" | "ec_cube" | "makeshop" | "futureshop" | "colorme" | "bigcommerce" | "woocommerce" | "amazon" | "amazon_all_orders" | "invoice" | "generic";

/**
 * Holdout purchases of the customers with one calibration frequency.
 */
export type FrequencyCheck = { 
/**
 * Repeat purchases in the calibration period (7 = 7 or more).
 */
x: number, 
/**
 * Customers.
 */
customers: number, 
/**
 * Mean purchase occasions after the split.
 */
actual: number | null, 
/**
 * Mean expected purchases after the split.
 */
predicted: number | null, };

/**
 * One funnel stage.
 */
export type FunnelStage = { 
/**
 * n = 1..5 (5 = 5 or more occasions).
 */
stage: number, 
/**
 * Customers with ≥ n occasions.
 */
customers: number, 
/**
 * customers(≥ n+1) / customers(≥ n); `None` for the last stage.
 */
next_rate: number | null, };

/**
 * Standard errors of the Gamma-Gamma parameters.
 */
export type GammaGammaErrors = { 
/**
 * Of p.
 */
p: number | null, 
/**
 * Of q.
 */
q: number | null, 
/**
 * Of gamma.
 */
gamma: number | null, };

/**
 * Gamma-Gamma parameters.
 */
export type GammaGammaSection = { 
/**
 * Customers fitted (x > 0 and value > 0).
 */
customers: number, 
/**
 * Shape of a transaction's value.
 */
p: number, 
/**
 * Shape of the value-scale distribution.
 */
q: number, 
/**
 * Scale of the value-scale distribution.
 */
gamma: number, 
/**
 * Log-likelihood at the estimates.
 */
log_likelihood: number, 
/**
 * Standard errors.
 */
se: GammaGammaErrors, 
/**
 * Pearson correlation of x and value over the fitted customers.
 */
spend_frequency_correlation: number, 
/**
 * p·γ / (q − 1): the expected transaction value of a new customer.
 */
population_mean_value: number, };

/**
 * The distribution of days between consecutive occasions.
 */
export type GapDays = { 
/**
 * Number of gaps.
 */
count: number, 
/**
 * Median.
 */
median: number | null, 
/**
 * 75th percentile.
 */
p75: number | null, 
/**
 * 90th percentile.
 */
p90: number | null, };

/**
 * One bin of the days-to-second-purchase histogram.
 */
export type HistogramBin = { 
/**
 * First day of the bin (inclusive).
 */
from: number, 
/**
 * Last day of the bin (inclusive); `None` for the open last bin.
 */
to: number | null, 
/**
 * Customers whose second occasion fell in the bin.
 */
customers: number, };

/**
 * Average revenue per customer within m months of the first purchase.
 */
export type HistoricalLtv = { 
/**
 * m.
 */
months: number, 
/**
 * Customers whose first purchase + m months is on or before as_of.
 */
eligible_customers: number, 
/**
 * Revenue of their orders before first purchase + m months, per eligible customer.
 */
avg_revenue_per_customer: number | null, };

/**
 * Predicted against actual purchases after a split date.
 */
export type Holdout = { 
/**
 * The last day of the calibration period, `YYYY-MM-DD`.
 */
split: string, 
/**
 * Days from the split to as_of.
 */
holdout_days: number, 
/**
 * Customers whose first purchase is on or before the split.
 */
calibration_customers: number, 
/**
 * Their purchase occasions after the split.
 */
actual_purchases: number, 
/**
 * What the chosen model fitted on the calibration period expected.
 */
predicted_purchases: number, 
/**
 * Why the calibration fit was refused; `None` when it was made.
 */
note: ModelNote | null, 
/**
 * By calibration frequency x = 0 … 7 (7 = 7 or more): customers, mean actual, mean predicted.
 */
by_frequency: Array<FrequencyCheck>, 
/**
 * Cumulative actual and expected purchases after the split, by week.
 */
tracking: Array<TrackingPoint>, };

/**
 * What was read from the input.
 */
export type InputSummary = { 
/**
 * The platform preset (`shopify`, `base`, `rakuten`, …) or `generic`.
 */
format: Format, 
/**
 * The text encoding the file was read in.
 */
encoding: TextEncoding, 
/**
 * Header name used for each role (`None` when the file has no such column).
 */
columns: Record<Role, string | null>, 
/**
 * Data rows read.
 */
rows: number, 
/**
 * Distinct orders among the rows, before any exclusion.
 */
orders_seen: number, 
/**
 * Cancelled, voided or refunded orders.
 */
excluded_orders: number, 
/**
 * Orders dated after a user-set as_of, left out of every figure.
 */
orders_after_as_of: number, 
/**
 * Orders left out for outlier dates (after today, or isolated from the file's history by more
 * than two years), unless kept by the keep-outlier-dates option.
 */
outlier_orders: number, 
/**
 * Counted orders without a customer id or e-mail.
 */
orders_without_customer: number, 
/**
 * Rows left out because a value could not be read.
 */
skipped_rows: number, 
/**
 * The first problems, located.
 */
warnings: Array<Warning>, };

/**
 * A 90 % interval.
 */
export type Interval = { 
/**
 * The 5th percentile.
 */
low: number, 
/**
 * The 95th percentile.
 */
high: number, };

/**
 * Headline numbers.
 */
export type Kpis = { 
/**
 * Distinct customers with an order that counts.
 */
customers: number, 
/**
 * Orders that count (guest orders included).
 */
orders: number, 
/**
 * Sum of order revenue.
 */
revenue: number, 
/**
 * revenue / orders.
 */
aov: number | null, 
/**
 * Orders with a customer / customers.
 */
orders_per_customer: number | null, 
/**
 * Customers with ≥ 2 occasions / customers.
 */
repeat_rate: number | null, 
/**
 * F2 conversion for the chosen window.
 */
f2: F2, 
/**
 * Days from first to second occasion.
 */
days_to_second: DaysToSecond, };

/**
 * Lapse section of the Report.
 */
export type Lapse = { 
/**
 * Days between consecutive purchase occasions, pooled over customers.
 */
gap_days: GapDays, 
/**
 * Customers with p75 < recency_days ≤ p90.
 */
overdue: LapseGroup, 
/**
 * Customers with recency_days > p90.
 */
dormant: LapseGroup, 
/**
 * Customers with recency_days above each threshold.
 */
days_since_last_over: DaysSinceLastOver, };

/**
 * Customers in a lapse state and what they brought in.
 */
export type LapseGroup = { 
/**
 * Customers.
 */
customers: number, 
/**
 * Revenue of their orders dated after as_of − 365 days.
 */
revenue_last_365_days: number, 
/**
 * Revenue of all their orders.
 */
revenue_all_time: number, };

/**
 * Where a customer stands against the shop's buying cycle.
 */
export type LapseState = "active" | "overdue" | "dormant";

/**
 * The language of a customer list's header row and of its segment and lapse cells.
 */
export type ListLanguage = "en" | "ja";

/**
 * How a fit's search ended.
 */
export type ModelConvergence = { 
/**
 * Likelihood evaluations of the search.
 */
iterations: number, 
/**
 * Largest gradient component of ln L in the log-parameters at the estimate (0 at the maximum).
 */
gradient_norm: number | null, };

/**
 * Which repeat-purchase model.
 */
export type ModelKind = "bgnbd" | "mbgnbd" | "pareto_nbd";

/**
 * A note of the `models` section.
 */
export type ModelNote = { 
/**
 * The kind of note (README "Model notes").
 */
code: ModelNoteCode, 
/**
 * Its arguments by name (`model`, `found`, `needed`, …).
 */
args: Record<string, string>, 
/**
 * The note in English.
 */
message: string, };

/**
 * The kind of a note of the `models` section, stable across versions (README "Model notes").
 */
export type ModelNoteCode = "no_customers" | "invalid_customer" | "no_observation_time" | "too_few_repeat_customers" | "not_converged" | "non_finite_likelihood" | "not_identified" | "purchases_not_predicted" | "spend_not_predicted" | "spend_frequency_correlated" | "split_not_before_as_of" | "holdout_not_possible" | "picked_model_not_fitted" | "no_intervals";

/**
 * Predictions summed over customers.
 */
export type ModelTotals = { 
/**
 * The horizon of the predictions.
 */
horizon_days: number, 
/**
 * Expected purchase occasions in the horizon.
 */
expected_purchases: number, 
/**
 * Predicted CLV; `None` without a Gamma-Gamma fit.
 */
clv: number | null, 
/**
 * Mean P(alive).
 */
mean_p_alive: number, 
/**
 * Mean probability of no purchase in the horizon.
 */
mean_p_no_purchase: number, 
/**
 * 90 % intervals; `None` when the chosen model's parameters have no usable covariance.
 */
intervals: TotalIntervals | null, };

/**
 * The `models` section of the Report.
 */
export type Models = { 
/**
 * The time unit of `alpha` and of the fitted times.
 */
time_unit: TimeUnit, 
/**
 * The BG/NBD fit; `None` when the data cannot identify it (see `notes`).
 */
bgnbd: BgNbdSection | null, 
/**
 * The Gamma-Gamma fit; `None` when the data cannot identify it (see `notes`).
 */
gamma_gamma: GammaGammaSection | null, 
/**
 * Sums over customers; `None` without a BG/NBD fit.
 */
totals: ModelTotals | null, 
/**
 * Sums over each RFM segment (empty without a BG/NBD fit).
 */
by_segment: Array<SegmentValue>, 
/**
 * Customers by P(alive) in ten bins of 0.1 (the last includes 1); empty without a BG/NBD fit.
 */
p_alive_histogram: Array<number>, 
/**
 * The holdout check; `None` when the history is too short to hold part of it out.
 */
holdout: Holdout | null, 
/**
 * Why a model was not fitted, or what to be careful about.
 */
notes: Array<ModelNote>, 
/**
 * The horizon of the predictions, in days (as used).
 */
horizon_days: number, 
/**
 * The gross margin applied to CLV (as used).
 */
margin: number, 
/**
 * The annual discount rate of CLV (as used; 0: undiscounted).
 */
annual_discount_rate: number, 
/**
 * The repeat-purchase models fitted, in the order bgnbd, mbgnbd, pareto_nbd.
 */
candidates: Array<Candidate>, 
/**
 * The model the totals, segments and customer figures use; `None` when none could be fitted.
 */
chosen: ModelKind | null, 
/**
 * Why it was chosen; `None` with no chosen model.
 */
chosen_by: ChosenBy | null, };

/**
 * One calendar month.
 */
export type Month = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Orders that count.
 */
orders: number, 
/**
 * Their revenue.
 */
revenue: number, 
/**
 * Orders on their customer's first occasion.
 */
new_orders: number, 
/**
 * Revenue of those.
 */
new_revenue: number, 
/**
 * Orders on a later occasion.
 */
returning_orders: number, 
/**
 * Revenue of those.
 */
returning_revenue: number, 
/**
 * Orders without a customer.
 */
guest_orders: number, 
/**
 * Revenue of those.
 */
guest_revenue: number, 
/**
 * Customers whose first occasion is in this month.
 */
new_customers: number, };

/**
 * Standard errors of a candidate's parameters, named as its `params`.
 */
export type ParamErrors = { 
/**
 * Of r.
 */
r: number | null, 
/**
 * Of alpha.
 */
alpha: number | null, 
/**
 * Of a.
 */
a: number | null, 
/**
 * Of b.
 */
b: number | null, } | { 
/**
 * Of r.
 */
r: number | null, 
/**
 * Of alpha.
 */
alpha: number | null, 
/**
 * Of s.
 */
s: number | null, 
/**
 * Of beta.
 */
beta: number | null, };

/**
 * A candidate's parameters: (r, alpha, a, b) for BG/NBD and MBG/NBD, (r, alpha, s, beta) for
 * Pareto/NBD.
 */
export type Params = { 
/**
 * Shape of the purchase-rate distribution.
 */
r: number, 
/**
 * Rate of the purchase-rate distribution, in the time unit.
 */
alpha: number, 
/**
 * Dropout-probability Beta a.
 */
a: number, 
/**
 * Dropout-probability Beta b.
 */
b: number, } | { 
/**
 * Shape of the purchase-rate distribution.
 */
r: number, 
/**
 * Rate of the purchase-rate distribution, in the time unit.
 */
alpha: number, 
/**
 * Shape of the dropout-rate distribution.
 */
s: number, 
/**
 * Rate of the dropout-rate distribution, in the time unit.
 */
beta: number, };

/**
 * The start of a file as the column-mapping screen shows it.
 */
export type Preview = { 
/**
 * The text encoding, as `input.encoding`.
 */
encoding: TextEncoding, 
/**
 * The field delimiter: `","`, `"\t"` or `";"`.
 */
delimiter: string, 
/**
 * The platform preset the header is read with, as `input.format` (`generic` when none matched).
 */
format: Format, 
/**
 * Whether a header row with an order date and an amount column was found (overrides applied).
 */
header_found: boolean, 
/**
 * 1-based line of the header row, or of the first record when no header was found.
 */
header_line: number, 
/**
 * The header row's columns in file order (the first record's when no header was found).
 */
columns: Array<PreviewColumn>, 
/**
 * Header name used for each role (`None` when no column has it), as `input.columns`.
 */
roles: Record<Role, string | null>, 
/**
 * Required roles the header lacks: `date`, and `total` when there is neither an order total nor
 * a line price.
 */
missing: Array<Role>, 
/**
 * When no header was found, the sentence an analysis of the file ends in.
 */
problem: string | null, 
/**
 * Whether these bytes are the whole file (otherwise its first 64 KiB were looked at).
 */
whole_file: boolean, };

/**
 * One column of the header row.
 */
export type PreviewColumn = { 
/**
 * 0-based position in the row.
 */
index: number, 
/**
 * The header name as written (trimmed, at most 200 characters).
 */
name: string, 
/**
 * The roles this column has (role keys as in `input.columns`; usually one, none when unused).
 */
roles: Array<Role>, 
/**
 * Up to three non-empty values of the column from the first data rows, as text.
 */
examples: Array<string>, };

/**
 * Everything the analysis found.
 */
export type Report = { 
/**
 * [`5`].
 */
schema_version: 5, 
/**
 * The analysis date, `YYYY-MM-DD`; `None` only when no order counts.
 */
as_of: string | null, 
/**
 * Currency code from a currency column.
 */
currency: string | null, 
/**
 * What was read and what was left out.
 */
input: InputSummary, 
/**
 * Headline numbers.
 */
kpis: Kpis, 
/**
 * F2 conversion for each standard window (and the chosen one).
 */
f2_by_window: Array<F2>, 
/**
 * Customers by number of purchase occasions, stages 1..5 (5 = 5 or more).
 */
funnel: Array<FunnelStage>, 
/**
 * Weekly bins of days from first to second purchase.
 */
days_to_second_histogram: Array<HistogramBin>, 
/**
 * Orders and revenue per calendar month, split into new, returning and guest.
 */
monthly: Array<Month>, 
/**
 * Monthly acquisition cohorts: retention and revenue by months since the first purchase.
 */
cohorts: Array<Cohort>, 
/**
 * The caps on `cohorts` (the latest cohorts, the first months of each) and the cohorts left out.
 */
cohort_limits: CohortLimits, 
/**
 * Average revenue per customer within 3, 6, 12 and 24 months of the first purchase.
 */
historical_ltv: Array<HistoricalLtv>, 
/**
 * RFM cut points, scores, the R×F grid and the named segments.
 */
rfm: Rfm, 
/**
 * The shop's buying cycle, overdue and dormant customers.
 */
lapse: Lapse, 
/**
 * Predicted value: BG/NBD, MBG/NBD and Pareto/NBD candidates chosen by the holdout check, the
 * Gamma-Gamma fit, totals with 90 % intervals, by segment, and the holdout check; `null` when not
 * requested (`--no-models`, `models: false`).
 */
models: Models | null, 
/**
 * F2 conversion by first product, first-order discount, channel and first-occasion value band.
 */
drivers: Drivers, 
/**
 * Days between each purchase occasion and the next, in fixed buckets, and the follow-up day.
 */
timing: Timing, 
/**
 * Subscriptions: retention by delivery count, monthly churn and the sBG projection; `null` without a subscription column.
 */
subscriptions: Subscriptions | null, };

/**
 * Retention at delivery n.
 */
export type RetentionStep = { 
/**
 * n.
 */
delivery: number, 
/**
 * Units with at least n deliveries.
 */
reached: number, 
/**
 * continued + units churned with exactly n deliveries.
 */
at_risk: number, 
/**
 * Units with at least n + 1 deliveries.
 */
continued: number, 
/**
 * continued / at_risk.
 */
rate: number | null, 
/**
 * Product of the rates up to n: the share of units reaching delivery n + 1.
 */
survival: number | null, };

/**
 * One cell of the R×F grid, or one segment's totals.
 */
export type RfCell = { 
/**
 * Customers.
 */
customers: number, 
/**
 * Their revenue.
 */
revenue: number, };

/**
 * RFM scoring of every customer, summarised.
 */
export type Rfm = { 
/**
 * The 20/40/60/80 % quantiles of recency_days (empty when there are no customers).
 */
recency_cut_points_days: Array<number>, 
/**
 * The 20/40/60/80 % quantiles of customer revenue (empty when there are no customers).
 */
monetary_cut_points: Array<number>, 
/**
 * Occasions at which F bands 1..5 start.
 */
f_band_starts: Array<number>, 
/**
 * Customers with R score 1..5 (index 0 = score 1).
 */
r_counts: Array<number>, 
/**
 * Customers with F score 1..5.
 */
f_counts: Array<number>, 
/**
 * Customers with M score 1..5.
 */
m_counts: Array<number>, 
/**
 * `rf_grid[r-1][f-1]`: the customers and revenue of each R×F cell.
 */
rf_grid: Array<Array<RfCell>>, 
/**
 * The named segments, in [`Segment::ALL`] order.
 */
segments: Array<SegmentSummary>, };

/**
 * The meaning of a column.
 */
export type Role = "order_id" | "customer_id" | "email" | "date" | "total" | "line_price" | "quantity" | "status" | "cancelled" | "refunded" | "currency" | "name" | "given_name" | "product" | "discount_code" | "discount_amount" | "channel" | "subscription_id" | "delivery_number" | "subscription" | "cancelled_on";

/**
 * The fitted shifted-beta-geometric model and its projection.
 */
export type Sbg = { 
/**
 * α of the Beta distribution of the churn probability.
 */
alpha: number, 
/**
 * β of the Beta distribution of the churn probability.
 */
beta: number, 
/**
 * ln L at the fit.
 */
log_likelihood: number, 
/**
 * Standard errors.
 */
se: SbgErrors, 
/**
 * S(n) for n = 1..24: the share of new units reaching delivery n + 1.
 */
projected_survival: Array<number>, 
/**
 * Σ S(t) for t = 0..23: the expected deliveries of a new unit within its first 24.
 */
expected_deliveries_first_24: number, };

/**
 * Standard errors of the sBG parameters (`None` when the Hessian is not positive definite).
 */
export type SbgErrors = { 
/**
 * Of α.
 */
alpha: number | null, 
/**
 * Of β.
 */
beta: number | null, };

/**
 * The named RFM segments (keys as in the Report).
 */
export type Segment = "champions" | "loyal" | "promising" | "new" | "needs_attention" | "at_risk" | "cant_lose" | "about_to_sleep" | "lost";

/**
 * A named segment's totals.
 */
export type SegmentSummary = { 
/**
 * The segment.
 */
key: Segment, 
/**
 * Customers in it.
 */
customers: number, 
/**
 * Their revenue.
 */
revenue: number, };

/**
 * Predictions summed over one RFM segment.
 */
export type SegmentValue = { 
/**
 * The segment.
 */
key: Segment, 
/**
 * Its customers.
 */
customers: number, 
/**
 * Expected purchase occasions in the horizon.
 */
expected_purchases: number, 
/**
 * Predicted CLV; `None` without a Gamma-Gamma fit.
 */
clv: number | null, 
/**
 * Mean P(alive) (`None` for an empty segment).
 */
mean_p_alive: number | null, };

/**
 * One calendar month of subscription churn.
 */
export type SubscriptionMonth = { 
/**
 * `YYYY-MM`.
 */
month: string, 
/**
 * Units whose first delivery is before the month and whose churn date is not.
 */
active_at_start: number, 
/**
 * Units whose first delivery is in the month.
 */
new: number, 
/**
 * Units whose churn date is in the month.
 */
churned: number, 
/**
 * churned / active_at_start (解約率).
 */
churn_rate: number | null, };

/**
 * A note of the section: its code, its arguments and the English sentence.
 */
export type SubscriptionNote = { 
/**
 * The kind of note, stable across versions.
 */
code: SubscriptionNoteCode, 
/**
 * The sentence's arguments by name (`count`, `found`, `needed`, `reason`).
 */
args: Record<string, string>, 
/**
 * In English.
 */
message: string, };

/**
 * The kind of a note of the `subscriptions` section, stable across versions (README "Warnings").
 */
export type SubscriptionNoteCode = "started_before_file" | "deliveries_without_unit" | "no_cycle" | "too_few_churned" | "sbg_not_fitted";

/**
 * Where a customer's subscriptions stand at as_of, for customer lists.
 */
export type SubscriptionState = "active" | "at_risk" | "churned";

/**
 * What a subscription unit is.
 */
export type SubscriptionUnit = "subscription" | "customer";

/**
 * Subscription retention and churn.
 */
export type Subscriptions = { 
/**
 * What a unit is: a subscription id, else a customer.
 */
unit: SubscriptionUnit, 
/**
 * Units with a delivery.
 */
units: number, 
/**
 * Subscription deliveries (counted subscription orders with a unit).
 */
deliveries: number, 
/**
 * Units active at as_of.
 */
active: number, 
/**
 * Units churned by as_of.
 */
churned: number, 
/**
 * Days between consecutive deliveries of a unit.
 */
cycle_days: CycleDays, 
/**
 * Days after the last delivery past which a unit has churned (the option, else ceil(1.5 × median
 * cycle)); `None` when there is no cycle.
 */
lapse_days: number | null, 
/**
 * Revenue of the deliveries / deliveries.
 */
mean_delivery_revenue: number | null, 
/**
 * Kaplan–Meier retention by delivery, n = 1..12.
 */
retention: Array<RetentionStep>, 
/**
 * Active units, new units and churn by calendar month.
 */
monthly: Array<SubscriptionMonth>, 
/**
 * The shifted-beta-geometric projection; `None` when it cannot be fitted (see `sbg_note`).
 */
sbg: Sbg | null, 
/**
 * Why there is no projection (`too_few_churned` or `sbg_not_fitted`); `None` with one.
 */
sbg_note: SubscriptionNote | null, 
/**
 * What was left out of the other figures, with codes for the page's wording.
 */
notes: Array<SubscriptionNote>, };

/**
 * The text encoding of the input.
 */
export type TextEncoding = "UTF-8" | "Shift_JIS" | "EUC-JP" | "UTF-16LE" | "UTF-16BE" | "windows-1252";

/**
 * The unit of time the models are fitted in.
 */
export type TimeUnit = "day" | "week";

/**
 * The time between purchases.
 */
export type Timing = { 
/**
 * The bucket labels, `"1-10"` … `"361+"` (days, both ends inclusive).
 */
buckets: Array<string>, 
/**
 * One entry per step, 1 → 2 … 4 → 5.
 */
steps: Array<TimingStep>, 
/**
 * p25 of the days from the first to the second occasion: the day by which a quarter of the
 * eventual second purchases have happened.
 */
follow_up_day: number | null, };

/**
 * Days from one purchase occasion to the next.
 */
export type TimingStep = { 
/**
 * n: the occasion the gap starts at.
 */
from: number, 
/**
 * n + 1.
 */
to: number, 
/**
 * Customers with at least n + 1 occasions.
 */
customers: number, 
/**
 * Customers per bucket, in the order of `buckets`.
 */
counts: Array<number>, 
/**
 * Median of the days.
 */
median: number | null, 
/**
 * 25th percentile.
 */
p25: number | null, 
/**
 * 75th percentile.
 */
p75: number | null, };

/**
 * 90 % intervals of the totals.
 */
export type TotalIntervals = { 
/**
 * Of `expected_purchases`.
 */
expected_purchases: Interval, 
/**
 * Of `clv` (`None` without CLV).
 */
clv: Interval | null, 
/**
 * Of `mean_p_alive`.
 */
mean_p_alive: Interval, 
/**
 * Of `mean_p_no_purchase`.
 */
mean_p_no_purchase: Interval, 
/**
 * Parameter draws the intervals come from.
 */
draws: number, };

/**
 * One point of the holdout tracking curve.
 */
export type TrackingPoint = { 
/**
 * Days after the split.
 */
day: number, 
/**
 * Purchase occasions from the day after the split to this day.
 */
actual: number, 
/**
 * Expected purchases over the same days.
 */
expected: number, };

/**
 * A located, recoverable problem in the input.
 */
export type Warning = { 
/**
 * 1-based line where the record starts; `None` for file-wide notes.
 */
row: number | null, 
/**
 * Header name of the column concerned.
 */
column: string | null, 
/**
 * What is wrong, in English.
 */
message: string, 
/**
 * The kind of problem, stable across versions (README "Warnings"), to word it in another language.
 */
code: WarningCode, 
/**
 * The message's arguments by name (`value`, `first`, `count`, …).
 */
args: Record<string, string>, };

/**
 * The kind of a warning in `input.warnings`, stable across versions (README "Warnings and errors").
 */
export type WarningCode = "not_a_date" | "not_an_amount" | "not_a_quantity" | "line_too_large" | "line_sum_too_large" | "order_without_date" | "order_without_amount" | "refund_too_large" | "date_disagrees" | "total_disagrees" | "customer_disagrees" | "disagreements_in_all" | "runaway_quote" | "mixed_currency" | "no_identity" | "no_customer_column" | "mixed_day_order" | "ambiguous_dates" | "not_a_delivery_number" | "date_after_today" | "date_isolated" | "outlier_dates_in_all" | "extra_fields" | "extra_empty_fields" | "nul_byte" | "not_utf8" | "encoding_close_call";
