//! The JavaScript forms of the core's inputs: [`AnalyzerOptions`] (camelCase, every field optional) and
//! [`CustomerFilterOptions`], deserialised from plain objects and checked into the core's [`Options`] and
//! [`CustomerFilter`]. The TypeScript declarations of both are generated with the Report's (`schema.rs`).

use ltv_lens::models::repeat::ModelKind;
use ltv_lens::{CustomerFilter, Error, ErrorKind, NamedOptions, Options, TimeUnit};
use serde::Deserialize;
use std::collections::BTreeMap;

/// [`Options`] as JavaScript passes them: `{f2WindowDays, asOf, fBandStarts}`, all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS, schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnalyzerOptions {
    /// F2 window W in days, 1..3650 (default 365).
    #[cfg_attr(test, ts(optional))]
    pub f2_window_days: Option<u32>,
    /// Analysis date "YYYY-MM-DD" (default: the latest order date).
    #[cfg_attr(test, ts(optional))]
    pub as_of: Option<String>,
    /// Occasions at which F bands 1..5 start (default [1, 2, 3, 4, 6]).
    #[cfg_attr(test, ts(optional))]
    pub f_band_starts: Option<Vec<u32>>,
    /// Predicted-value horizon in days, 1..3650 (default 365).
    #[cfg_attr(test, ts(optional))]
    pub horizon_days: Option<u32>,
    /// Gross margin for predicted CLV, a fraction in (0, 1] (default 1).
    #[cfg_attr(test, ts(optional))]
    pub margin: Option<f64>,
    /// Annual discount rate for predicted CLV, a fraction (default 0).
    #[cfg_attr(test, ts(optional))]
    pub annual_discount_rate: Option<f64>,
    /// Time unit of the models: "day" (default) or "week".
    #[cfg_attr(test, ts(optional))]
    pub time_unit: Option<TimeUnit>,
    /// Holdout check split date "YYYY-MM-DD" (default: the last third of the history is held out).
    #[cfg_attr(test, ts(optional))]
    pub holdout_split: Option<String>,
    /// The repeat-purchase model of the predictions: "bgnbd", "mbgnbd" or "pareto_nbd" (default: the
    /// candidate with the lowest holdout error).
    #[cfg_attr(test, ts(optional))]
    pub model: Option<ModelKind>,
    /// Day/month order of year-last slash dates the file does not settle: "month-first" or "day-first".
    #[cfg_attr(test, ts(optional))]
    pub date_order: Option<String>,
    /// Days after a subscription's last delivery past which it has churned, 0..3650 (default: 1.5 ×
    /// the median days between deliveries, rounded up).
    #[cfg_attr(test, ts(optional))]
    pub subscription_lapse_days: Option<u32>,
    /// Column overrides, role key (a `Role`, as in `input.columns`) → the header name of its column as
    /// written in the file, or null for "not used".
    /// Roles left out keep the detected column. They apply when the file is read (`new Analyzer`),
    /// not to `report()`.
    #[cfg_attr(test, ts(optional, type = "Partial<Record<Role, string | null>>"))]
    pub columns: Option<BTreeMap<String, Option<String>>>,
    /// Today "YYYY-MM-DD": orders dated after it are outlier dates (default none; `analyze()` passes the
    /// browser's local date). Applies when the file is read.
    #[cfg_attr(test, ts(optional))]
    pub today: Option<String>,
    /// Keep orders whose dates are outliers instead of leaving them out (default false). Applies when
    /// the file is read.
    #[cfg_attr(test, ts(optional))]
    pub keep_outlier_dates: Option<bool>,
    /// The text encoding to read the file in instead of detecting it, named as `input.encoding`
    /// names it (a `TextEncoding`, such as the `other` of an `encoding_close_call` warning). It applies
    /// when the file is read (`new Analyzer`).
    #[cfg_attr(test, ts(optional, type = "TextEncoding"))]
    pub encoding: Option<String>,
    /// Whether the Report has its `models` section (default true); with false it is null and nothing
    /// is fitted for it (customer lists still carry the predictions).
    #[cfg_attr(test, ts(optional))]
    pub models: Option<bool>,
}

impl TryFrom<AnalyzerOptions> for Options {
    type Error = Error;

    /// Checked as every shell's options are: through [`NamedOptions`].
    fn try_from(js: AnalyzerOptions) -> Result<Options, Error> {
        let named = NamedOptions {
            f2_window_days: js.f2_window_days,
            as_of: js.as_of,
            f_band_starts: js.f_band_starts,
            horizon_days: js.horizon_days,
            margin: js.margin,
            annual_discount_rate: js.annual_discount_rate,
            time_unit: js.time_unit.map(|unit| {
                match unit {
                    TimeUnit::Day => "day",
                    TimeUnit::Week => "week",
                }
                .to_string()
            }),
            holdout_split: js.holdout_split,
            model: js.model.map(|model| model.key().to_string()),
            date_order: js.date_order,
            subscription_lapse_days: js.subscription_lapse_days,
            columns: js.columns,
            today: js.today,
            keep_outlier_dates: js.keep_outlier_dates,
            encoding: js.encoding,
            models: js.models,
        };
        Options::try_from(named)
    }
}

/// A [`CustomerFilter`] as JavaScript and JSON write it: `{segment}`, `{lapse}`, `{cohort}`, or nothing
/// for every customer.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(
    test,
    derive(ts_rs::TS, schemars::JsonSchema),
    ts(rename = "CustomerFilter")
)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CustomerFilterOptions {
    /// A segment key such as `"champions"`.
    #[cfg_attr(test, ts(optional))]
    pub segment: Option<String>,
    /// `"overdue"`, `"dormant"` or `"active"`.
    #[cfg_attr(test, ts(optional))]
    pub lapse: Option<String>,
    /// A first-purchase month `"YYYY-MM"`.
    #[cfg_attr(test, ts(optional))]
    pub cohort: Option<String>,
    /// The customers with the highest predicted CLV, at most this many.
    #[cfg_attr(test, ts(optional))]
    pub top_clv: Option<usize>,
    /// The customers whose first purchase included this product (the name as in the file).
    #[cfg_attr(test, ts(optional))]
    pub first_product: Option<String>,
    /// The customers whose first order came through this channel (any case; a URL as its host).
    #[cfg_attr(test, ts(optional))]
    pub first_channel: Option<String>,
    /// `"active"` (at risk included), `"churned"` or `"at_risk"`: the customers whose subscriptions
    /// stand so.
    #[cfg_attr(test, ts(optional))]
    pub subscription: Option<String>,
    /// The customers whose probability of no purchase in the horizon is above this (0 to below 1).
    #[cfg_attr(test, ts(optional))]
    pub no_purchase_above: Option<f64>,
}

impl TryFrom<CustomerFilterOptions> for CustomerFilter {
    type Error = Error;

    fn try_from(options: CustomerFilterOptions) -> Result<CustomerFilter, Error> {
        let one_criterion = || -> Error {
            ErrorKind::InvalidOption(
                "a customer filter takes one of segment, lapse, cohort, topClv, firstProduct, \
                 firstChannel, subscription or noPurchaseAbove"
                    .to_string(),
            )
            .into()
        };
        if let Some(threshold) = options.no_purchase_above {
            let others = CustomerFilterOptions {
                no_purchase_above: None,
                ..options
            };
            return match CustomerFilter::try_from(others)? {
                CustomerFilter::All => CustomerFilter::no_purchase_above(threshold),
                _ => Err(one_criterion()),
            };
        }
        if let Some(state) = &options.subscription {
            let others = options.segment.is_some()
                || options.lapse.is_some()
                || options.cohort.is_some()
                || options.top_clv.is_some()
                || options.first_product.is_some()
                || options.first_channel.is_some();
            if !others {
                return CustomerFilter::subscription(state);
            }
        }
        match (
            options.segment,
            options.lapse,
            options.cohort,
            options.top_clv,
            options.first_product,
            options.first_channel,
        ) {
            (None, None, None, None, None, None) if options.subscription.is_none() => {
                Ok(CustomerFilter::All)
            }
            (Some(key), None, None, None, None, None) => CustomerFilter::segment(&key),
            (None, Some(state), None, None, None, None) => CustomerFilter::lapse(&state),
            (None, None, Some(month), None, None, None) => CustomerFilter::cohort(&month),
            (None, None, None, Some(count), None, None) => Ok(CustomerFilter::top_clv(count)),
            (None, None, None, None, Some(name), None) => CustomerFilter::first_product(&name),
            (None, None, None, None, None, Some(name)) => CustomerFilter::first_channel(&name),
            _ => Err(one_criterion()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_lens::Role;

    fn options(json: &str) -> Result<Options, Error> {
        Options::try_from(serde_json::from_str::<AnalyzerOptions>(json).unwrap())
    }

    #[test]
    fn javascript_options_name_roles_by_key() {
        let chosen = options(r#"{"columns": {"date": "shipped on", "status": null, "email": ""}}"#);
        assert_eq!(
            chosen.unwrap().columns,
            vec![
                (Role::Date, Some("shipped on".to_string())),
                (Role::Email, None),
                (Role::Status, None),
            ]
        );
        let error = options(r#"{"columns": {"day": "when"}}"#).unwrap_err();
        assert!(
            error.to_string().starts_with(
                "invalid option: \"day\" is not a column role; the roles are order_id, "
            ),
            "{error}"
        );
    }

    #[test]
    fn javascript_options_are_checked_like_the_core_s() {
        let set = options(r#"{"f2WindowDays": 90, "asOf": "2024-06-30", "fBandStarts": [1, 3, 5, 8, 13], "timeUnit": "week", "dateOrder": "day-first"}"#).unwrap();
        assert_eq!(set.f2_window_days, 90);
        assert_eq!(set.as_of, chrono::NaiveDate::from_ymd_opt(2024, 6, 30));
        assert_eq!(set.f_band_starts, [1, 3, 5, 8, 13]);
        assert_eq!(set.time_unit, TimeUnit::Week);
        assert_eq!(options(r#"{"asOf": ""}"#).unwrap(), Options::default());
        for bad in [
            r#"{"f2WindowDays": 0}"#,
            r#"{"fBandStarts": [1, 2]}"#,
            r#"{"fBandStarts": [2, 3, 4, 5, 6]}"#,
            r#"{"asOf": "30/06/2024"}"#,
            r#"{"dateOrder": "year-first"}"#,
        ] {
            assert!(options(bad).is_err(), "{bad}");
        }
        assert!(
            serde_json::from_str::<AnalyzerOptions>(r#"{"f2Window": 90}"#).is_err(),
            "unknown fields are refused"
        );
    }

    #[test]
    fn a_customer_filter_takes_one_criterion() {
        let filter = |json: &str| {
            CustomerFilter::try_from(serde_json::from_str::<CustomerFilterOptions>(json).unwrap())
        };
        assert_eq!(filter("{}").unwrap(), CustomerFilter::All);
        assert_eq!(
            filter(r#"{"noPurchaseAbove": 0.8}"#).unwrap(),
            CustomerFilter::NoPurchaseAbove(800_000)
        );
        assert!(filter(r#"{"noPurchaseAbove": 1.5}"#).is_err());
        assert!(filter(r#"{"noPurchaseAbove": 0.8, "topClv": 5}"#).is_err());
        assert_eq!(
            filter(r#"{"topClv": 5}"#).unwrap(),
            CustomerFilter::top_clv(5)
        );
        assert!(filter(r#"{"segment": "champions"}"#).is_ok());
        assert!(filter(r#"{"segment": "heroes"}"#).is_err());
        assert!(filter(r#"{"segment": "champions", "topClv": 5}"#).is_err());
        assert_eq!(
            filter(r#"{"firstProduct": " Tea "}"#).unwrap(),
            CustomerFilter::FirstProduct("Tea".to_string())
        );
        assert_eq!(
            filter(r#"{"firstChannel": "https://www.Instagram.com/p/1"}"#).unwrap(),
            CustomerFilter::FirstChannel("instagram.com".to_string())
        );
        assert!(filter(r#"{"firstChannel": "  "}"#).is_err());
        assert!(filter(r#"{"firstProduct": "Tea", "firstChannel": "web"}"#).is_err());
    }
}
