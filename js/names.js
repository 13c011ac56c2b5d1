// Generated from the Rust types by `UPDATE_SCHEMA=1 cargo test -p ltv-lens-wasm schema`; do not edit.

/** The Report's schema_version. */
export const SCHEMA_VERSION = 5;

/** The Report's sections after `input`, in order, with the schema version that added each. */
export const SECTIONS = [
  { name: "kpis", since: 1 },
  { name: "f2_by_window", since: 1 },
  { name: "funnel", since: 1 },
  { name: "days_to_second_histogram", since: 1 },
  { name: "monthly", since: 1 },
  { name: "cohorts", since: 2 },
  { name: "cohort_limits", since: 4 },
  { name: "historical_ltv", since: 2 },
  { name: "rfm", since: 2 },
  { name: "lapse", since: 2 },
  { name: "models", since: 5 },
  { name: "drivers", since: 4 },
  { name: "timing", since: 4 },
  { name: "subscriptions", since: 4 },
];

/** Column roles (the keys of `input.columns`), in the core's order. */
export const ROLES = [
  "order_id",
  "customer_id",
  "email",
  "date",
  "total",
  "line_price",
  "quantity",
  "status",
  "cancelled",
  "refunded",
  "currency",
  "name",
  "given_name",
  "product",
  "discount_code",
  "discount_amount",
  "channel",
  "subscription_id",
  "delivery_number",
  "subscription",
  "cancelled_on",
];

/** Every `input.format`. */
export const FORMATS = [
  "shopify",
  "base",
  "rakuten",
  "rakuten_pay",
  "yahoo",
  "ec_cube",
  "makeshop",
  "futureshop",
  "colorme",
  "bigcommerce",
  "woocommerce",
  "amazon",
  "amazon_all_orders",
  "invoice",
  "generic",
];

/** Every `input.encoding`. */
export const ENCODINGS = [
  "UTF-8",
  "Shift_JIS",
  "EUC-JP",
  "UTF-16LE",
  "UTF-16BE",
  "windows-1252",
];

/** Every `input.warnings[].code`. */
export const WARNING_CODES = [
  "not_a_date",
  "not_an_amount",
  "not_a_quantity",
  "line_too_large",
  "line_sum_too_large",
  "order_without_date",
  "order_without_amount",
  "refund_too_large",
  "date_disagrees",
  "total_disagrees",
  "customer_disagrees",
  "disagreements_in_all",
  "runaway_quote",
  "mixed_currency",
  "no_identity",
  "no_customer_column",
  "mixed_day_order",
  "ambiguous_dates",
  "not_a_delivery_number",
  "date_after_today",
  "date_isolated",
  "outlier_dates_in_all",
  "extra_fields",
  "extra_empty_fields",
  "nul_byte",
  "not_utf8",
  "encoding_close_call",
];

/** Every `code` of a thrown error. */
export const ERROR_CODES = [
  "empty",
  "not_text",
  "no_header",
  "no_rows",
  "no_usable_rows",
  "record_too_large",
  "items_file",
  "invalid_option",
  "already_finished",
  "invalid_state",
  "states_disagree",
  "amounts_too_large",
];

/** Every `code` of a note of the `models` section. */
export const MODEL_NOTE_CODES = [
  "no_customers",
  "invalid_customer",
  "no_observation_time",
  "too_few_repeat_customers",
  "not_converged",
  "non_finite_likelihood",
  "not_identified",
  "purchases_not_predicted",
  "spend_not_predicted",
  "spend_frequency_correlated",
  "split_not_before_as_of",
  "holdout_not_possible",
  "picked_model_not_fitted",
  "no_intervals",
];
