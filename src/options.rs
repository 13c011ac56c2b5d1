//! Analysis options: the Rust [`Options`] and [`AnalyzerOptions`], the same settings as JavaScript and
//! JSON write them (camelCase, every field optional), as the wasm `Analyzer` takes them.

use crate::analysis::predicted_value::TimeUnit;
use crate::analysis::rfm::DEFAULT_F_BAND_STARTS;
use crate::error::{Error, ErrorKind};
use crate::ingest::columns::Role;
use crate::ingest::values::DayOrder;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Analysis settings. The core never reads the clock: without `as_of` the analysis date is the
/// latest order date, so results depend on the input alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The F2 window W in days (1..=3650, default 365).
    pub f2_window_days: u32,
    /// The analysis date; default: the latest date of an order that counts. Orders dated after it are
    /// left out of every figure.
    pub as_of: Option<NaiveDate>,
    /// Purchase occasions at which RFM F bands 1..5 start: 1 first, strictly increasing (default 1, 2,
    /// 3, 4, 6).
    pub f_band_starts: [u32; 5],
    /// The predicted-value horizon in days (1..=3650, default 365).
    pub horizon_days: u32,
    /// Gross margin applied to predicted CLV, a fraction in (0, 1] (default 1: revenue).
    pub margin: f64,
    /// Annual discount rate for predicted CLV, a fraction ≥ 0 (default 0: undiscounted).
    pub annual_discount_rate: f64,
    /// The time unit the models are fitted in (default days).
    pub time_unit: TimeUnit,
    /// The holdout check's split date; default: the last third of the history is held out.
    pub holdout_split: Option<NaiveDate>,
    /// The day/month order of year-last slash dates (`1/5/2024`) when the file does not settle it;
    /// default: decided by the file, month-first when nothing decides. Applies when the file is read.
    pub date_order: Option<DayOrder>,
    /// Column overrides, applied after the detected columns: each role with the header name of its
    /// column, or `None` for "not used" (default none: the columns as detected). With an override for
    /// the order date or an amount, the header is the first record naming that column; an override
    /// naming a column the header does not have is an [`ErrorKind::InvalidOption`]. They apply when the
    /// file is read: changing them needs a new [`crate::Analyzer`].
    pub columns: Vec<(Role, Option<String>)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            f2_window_days: 365,
            as_of: None,
            f_band_starts: DEFAULT_F_BAND_STARTS,
            horizon_days: 365,
            margin: 1.0,
            annual_discount_rate: 0.0,
            time_unit: TimeUnit::Day,
            holdout_split: None,
            date_order: None,
            columns: Vec::new(),
        }
    }
}

impl Options {
    /// Checks the values are in range.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |message: String| Err(ErrorKind::InvalidOption(message).into());
        if !(1..=3650).contains(&self.f2_window_days) {
            return invalid(format!(
                "the F2 window must be 1 to 3650 days, not {}",
                self.f2_window_days
            ));
        }
        if !(1..=3650).contains(&self.horizon_days) {
            return invalid(format!(
                "the prediction horizon must be 1 to 3650 days, not {}",
                self.horizon_days
            ));
        }
        if !(self.margin > 0.0 && self.margin <= 1.0) {
            return invalid(format!(
                "the margin must be a fraction above 0 and at most 1, not {}",
                self.margin
            ));
        }
        if !(self.annual_discount_rate >= 0.0 && self.annual_discount_rate <= 10.0) {
            return invalid(format!(
                "the annual discount rate must be a fraction from 0 to 10, not {}",
                self.annual_discount_rate
            ));
        }
        let starts = self.f_band_starts;
        if starts[0] != 1 || starts.windows(2).any(|w| w[0] >= w[1]) {
            return invalid(format!(
                "F band starts must begin at 1 and increase, not {}",
                join(&starts)
            ));
        }
        for (i, (role, _)) in self.columns.iter().enumerate() {
            if self.columns[..i].iter().any(|(earlier, _)| earlier == role) {
                return invalid(format!("column {} is given twice", role.key()));
            }
        }
        Ok(())
    }

    /// Parses a column override written `role=header` (`role=` for "not used"), as the command line
    /// takes it.
    pub fn parse_column(value: &str) -> Result<(Role, Option<String>), Error> {
        let Some((key, header)) = value.split_once('=') else {
            return Err(ErrorKind::InvalidOption(format!(
                "column override {value:?} is not written role=header (or role= for not used)"
            ))
            .into());
        };
        let role = parse_role(key)?;
        let header = header.trim();
        Ok((role, (!header.is_empty()).then(|| header.to_string())))
    }

    /// Parses an `as_of` value written `YYYY-MM-DD`.
    pub fn parse_as_of(value: &str) -> Result<NaiveDate, Error> {
        NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
            ErrorKind::InvalidOption(format!(
                "as-of date {value:?} is not a date written YYYY-MM-DD"
            ))
            .into()
        })
    }

    /// Parses a day/month order written `month-first` or `day-first`.
    pub fn parse_date_order(value: &str) -> Result<DayOrder, Error> {
        DayOrder::parse(value).ok_or_else(|| {
            ErrorKind::InvalidOption(format!(
                "date order {value:?} is neither month-first nor day-first"
            ))
            .into()
        })
    }

    /// Parses F band starts written `1,2,3,4,6` (five whole numbers).
    pub fn parse_f_band_starts(value: &str) -> Result<[u32; 5], Error> {
        let numbers: Option<Vec<u32>> = value.split(',').map(|n| n.trim().parse().ok()).collect();
        numbers
            .and_then(|n| <[u32; 5]>::try_from(n).ok())
            .ok_or_else(|| {
                ErrorKind::InvalidOption(format!(
                    "F band starts {value:?} are not five whole numbers such as 1,2,3,4,6"
                ))
                .into()
            })
    }
}

/// The role named `key` (`order_id`, `date`, …).
fn parse_role(key: &str) -> Result<Role, Error> {
    Role::parse(key).ok_or_else(|| {
        let keys: Vec<&str> = Role::ALL.iter().map(|role| role.key()).collect();
        ErrorKind::InvalidOption(format!(
            "{:?} is not a column role; the roles are {}",
            key.trim(),
            keys.join(", ")
        ))
        .into()
    })
}

fn join(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

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
    /// Day/month order of year-last slash dates the file does not settle: "month-first" or "day-first".
    #[cfg_attr(test, ts(optional))]
    pub date_order: Option<String>,
    /// Column overrides, role key (as in `input.columns`: "order_id", "customer_id", "email", "date",
    /// "total", "line_price", "quantity", "status", "cancelled", "refunded", "currency", "name",
    /// "given_name") → the header name of its column as written in the file, or null for "not used".
    /// Roles left out keep the detected column. They apply when the file is read (`new Analyzer`),
    /// not to `report()`.
    #[cfg_attr(test, ts(optional, type = "Record<string, string | null>"))]
    pub columns: Option<BTreeMap<String, Option<String>>>,
}

impl TryFrom<AnalyzerOptions> for Options {
    type Error = Error;

    fn try_from(js: AnalyzerOptions) -> Result<Options, Error> {
        let mut options = Options::default();
        if let Some(days) = js.f2_window_days {
            options.f2_window_days = days;
        }
        if let Some(as_of) = js.as_of.as_deref().filter(|s| !s.is_empty()) {
            options.as_of = Some(Options::parse_as_of(as_of)?);
        }
        if let Some(days) = js.horizon_days {
            options.horizon_days = days;
        }
        if let Some(margin) = js.margin {
            options.margin = margin;
        }
        if let Some(rate) = js.annual_discount_rate {
            options.annual_discount_rate = rate;
        }
        if let Some(unit) = js.time_unit {
            options.time_unit = unit;
        }
        if let Some(split) = js.holdout_split.as_deref().filter(|s| !s.is_empty()) {
            options.holdout_split = Some(Options::parse_as_of(split)?);
        }
        if let Some(order) = js.date_order.as_deref().filter(|s| !s.is_empty()) {
            options.date_order = Some(Options::parse_date_order(order)?);
        }
        if let Some(columns) = js.columns {
            for (key, header) in columns {
                let header = header.filter(|h| !h.trim().is_empty());
                options.columns.push((parse_role(&key)?, header));
            }
        }
        if let Some(starts) = js.f_band_starts {
            options.f_band_starts = <[u32; 5]>::try_from(starts.as_slice()).map_err(|_| {
                ErrorKind::InvalidOption(format!(
                    "fBandStarts must hold five numbers, not {}",
                    starts.len()
                ))
            })?;
        }
        options.validate()?;
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_band_starts_must_begin_at_one_and_increase() {
        let with = |starts| Options {
            f_band_starts: starts,
            ..Options::default()
        };
        assert!(with([1, 2, 3, 4, 6]).validate().is_ok());
        assert!(with([1, 3, 5, 8, 13]).validate().is_ok());
        assert!(with([2, 3, 4, 5, 6]).validate().is_err());
        assert!(with([1, 2, 2, 4, 6]).validate().is_err());
        assert_eq!(
            Options::parse_f_band_starts(" 1, 2,3,5,8").unwrap(),
            [1, 2, 3, 5, 8]
        );
        assert!(Options::parse_f_band_starts("1,2,3").is_err());
        assert!(Options::parse_f_band_starts("1,2,x,4,5").is_err());
    }
}
