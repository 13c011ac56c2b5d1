//! Analysis options ([`Options`]), their checks, and the parsing of the option values both shells take as
//! text (an ISO date, a column role, a day/month order). Each shell maps its own form onto them: the
//! command line's flags, the wasm binding's camelCase object, and the Python binding's keyword
//! arguments, which deserialise into [`NamedOptions`] (the fields of [`Options`] by their own names).

use crate::analysis::predicted_value::TimeUnit;
use crate::analysis::rfm::DEFAULT_F_BAND_STARTS;
use crate::error::{Error, ErrorKind};
use crate::ingest::columns::Role;
use crate::ingest::decode::TextEncoding;
use crate::ingest::values::DayOrder;
use crate::models::repeat::ModelKind;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

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
    /// The repeat-purchase model the predictions use; default: the candidate with the lowest holdout
    /// error.
    pub model: Option<ModelKind>,
    /// The day/month order of year-last slash dates (`1/5/2024`) when the file does not settle it;
    /// default: decided by the file, month-first when nothing decides. Applies when the file is read.
    pub date_order: Option<DayOrder>,
    /// Column overrides, applied after the detected columns: each role with the header name of its
    /// column, or `None` for "not used" (default none: the columns as detected). With an override for
    /// the order date or an amount, the header is the first record naming that column; an override
    /// naming a column the header does not have is an [`ErrorKind::InvalidOption`]. They apply when the
    /// file is read: changing them needs a new [`crate::Analyzer`].
    pub columns: Vec<(Role, Option<String>)>,
    /// Days after a subscription's last delivery past which it has churned (0..=3650); default
    /// ceil(1.5 × the median days between deliveries).
    pub subscription_lapse_days: Option<u32>,
    /// Today's date, for the outlier-date check: orders dated after it are left out as outliers
    /// (README "Definitions", **Outlier dates**). Default none: no date is "after today" (the core never
    /// reads the clock; the command line and the page pass the machine's date). Applies when the file is
    /// read, or when a partial state becomes an analysis (`PartialState::into_analysis`).
    pub today: Option<NaiveDate>,
    /// Keep orders whose dates are outliers (after `today`, or isolated from the file's history by more
    /// than two years) instead of leaving them out (default false). Applies when the file is read, or
    /// when a partial state becomes an analysis.
    pub keep_outlier_dates: bool,
    /// The text encoding to read the file in (default: detected). Applies when the file is read.
    pub encoding: Option<TextEncoding>,
    /// Whether the Report has its `models` section (default true). Without it the section is `None`
    /// (`null`) and nothing is fitted for the Report; customer lists still carry the predictions, fitted
    /// when a list is first made.
    pub models: bool,
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
            model: None,
            date_order: None,
            columns: Vec::new(),
            subscription_lapse_days: None,
            today: None,
            keep_outlier_dates: false,
            encoding: None,
            models: true,
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
        if let Some(days) = self.subscription_lapse_days.filter(|d| *d > 3650) {
            return invalid(format!(
                "the subscription lapse must be 0 to 3650 days, not {days}"
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
                return invalid(format!("column {} is given twice", role.as_str()));
            }
        }
        Ok(())
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
}

/// [`Options`] by the names of their fields, every one optional (left out: the default), with dates
/// and the day/month order as text and the column overrides as a map from role key to header name
/// (`None` for "not used"). A shell that takes options by name deserialises them into this (unknown
/// names are refused) and converts it with `Options::try_from`, which parses and checks every value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedOptions {
    /// [`Options::f2_window_days`].
    pub f2_window_days: Option<u32>,
    /// [`Options::as_of`], written `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// [`Options::f_band_starts`]: five numbers.
    pub f_band_starts: Option<Vec<u32>>,
    /// [`Options::horizon_days`].
    pub horizon_days: Option<u32>,
    /// [`Options::margin`].
    pub margin: Option<f64>,
    /// [`Options::annual_discount_rate`].
    pub annual_discount_rate: Option<f64>,
    /// [`Options::time_unit`]: `day` or `week`.
    pub time_unit: Option<String>,
    /// [`Options::holdout_split`], written `YYYY-MM-DD`.
    pub holdout_split: Option<String>,
    /// [`Options::model`]: `bgnbd`, `mbgnbd` or `pareto_nbd`.
    pub model: Option<String>,
    /// [`Options::date_order`]: `month-first` or `day-first`.
    pub date_order: Option<String>,
    /// [`Options::subscription_lapse_days`].
    pub subscription_lapse_days: Option<u32>,
    /// [`Options::columns`]: role key → header name, or `None` (or an empty name) for "not used".
    pub columns: Option<BTreeMap<String, Option<String>>>,
    /// [`Options::today`], written `YYYY-MM-DD`.
    pub today: Option<String>,
    /// [`Options::keep_outlier_dates`].
    pub keep_outlier_dates: Option<bool>,
    /// [`Options::encoding`], a [`TextEncoding`] name (`utf-8`, `shift_jis`, ...).
    pub encoding: Option<String>,
    /// [`Options::models`].
    pub models: Option<bool>,
}

impl TryFrom<NamedOptions> for Options {
    type Error = Error;

    fn try_from(named: NamedOptions) -> Result<Options, Error> {
        let invalid = |message: String| Error::from(ErrorKind::InvalidOption(message));
        let date = |value: Option<String>| {
            value
                .filter(|s| !s.trim().is_empty())
                .map(|s| Options::parse_as_of(&s))
                .transpose()
        };
        let defaults = Options::default();
        let f_band_starts = match named.f_band_starts {
            None => defaults.f_band_starts,
            Some(starts) => <[u32; 5]>::try_from(starts.as_slice()).map_err(|_| {
                invalid(format!(
                    "f_band_starts must hold five numbers, not {}",
                    starts.len()
                ))
            })?,
        };
        let time_unit = match named.time_unit.as_deref() {
            None => defaults.time_unit,
            Some(unit) => TimeUnit::parse(unit)
                .ok_or_else(|| invalid(format!("time unit {unit:?} is neither day nor week")))?,
        };
        let mut columns = Vec::new();
        for (key, header) in named.columns.unwrap_or_default() {
            let header = header.filter(|h| !h.trim().is_empty());
            columns.push((key.parse()?, header));
        }
        let options = Options {
            f2_window_days: named.f2_window_days.unwrap_or(defaults.f2_window_days),
            as_of: date(named.as_of)?,
            f_band_starts,
            horizon_days: named.horizon_days.unwrap_or(defaults.horizon_days),
            margin: named.margin.unwrap_or(defaults.margin),
            annual_discount_rate: named
                .annual_discount_rate
                .unwrap_or(defaults.annual_discount_rate),
            time_unit,
            holdout_split: date(named.holdout_split)?,
            model: match named.model.as_deref().filter(|s| !s.trim().is_empty()) {
                None => None,
                Some(name) => Some(ModelKind::parse(name).ok_or_else(|| {
                    invalid(format!("model {name:?} is not bgnbd, mbgnbd or pareto_nbd"))
                })?),
            },
            date_order: named
                .date_order
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.parse())
                .transpose()?,
            columns,
            subscription_lapse_days: named.subscription_lapse_days,
            today: date(named.today)?,
            keep_outlier_dates: named
                .keep_outlier_dates
                .unwrap_or(defaults.keep_outlier_dates),
            encoding: named
                .encoding
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.parse())
                .transpose()?,
            models: named.models.unwrap_or(defaults.models),
        };
        options.validate()?;
        Ok(options)
    }
}

impl FromStr for Role {
    type Err = Error;

    /// The role named `key` (`order_id`, `date`, …, as in `input.columns`).
    fn from_str(key: &str) -> Result<Role, Error> {
        Role::parse(key).ok_or_else(|| {
            let keys: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
            ErrorKind::InvalidOption(format!(
                "{:?} is not a column role; the roles are {}",
                key.trim(),
                keys.join(", ")
            ))
            .into()
        })
    }
}

impl FromStr for DayOrder {
    type Err = Error;

    /// A day/month order written `month-first` or `day-first`.
    fn from_str(value: &str) -> Result<DayOrder, Error> {
        DayOrder::parse(value).ok_or_else(|| {
            ErrorKind::InvalidOption(format!(
                "date order {value:?} is neither month-first nor day-first"
            ))
            .into()
        })
    }
}

impl FromStr for TextEncoding {
    type Err = Error;

    /// An input encoding by its name as `input.encoding` writes it (`UTF-8`, `Shift_JIS`, `EUC-JP`,
    /// `UTF-16LE`, `UTF-16BE`, `windows-1252`), in any case, with or without `-` and `_`; also `sjis`,
    /// `cp932` and `latin1`.
    fn from_str(value: &str) -> Result<TextEncoding, Error> {
        let fold = |name: &str| {
            name.chars()
                .filter(|c| !matches!(c, '-' | '_' | ' '))
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = fold(value);
        let alias = match wanted.as_str() {
            "sjis" | "cp932" | "windows31j" => Some(TextEncoding::ShiftJis),
            "latin1" | "iso88591" | "cp1252" => Some(TextEncoding::Windows1252),
            _ => None,
        };
        alias
            .or_else(|| {
                TextEncoding::ALL
                    .iter()
                    .copied()
                    .find(|e| fold(e.as_str()) == wanted)
            })
            .ok_or_else(|| {
                let names: Vec<&str> = TextEncoding::ALL.iter().map(|e| e.as_str()).collect();
                ErrorKind::InvalidOption(format!(
                    "{:?} is not an encoding the file can be read in; they are {}",
                    value.trim(),
                    names.join(", ")
                ))
                .into()
            })
    }
}

fn join(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
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
    }

    #[test]
    fn encodings_are_named_as_the_report_names_them_or_by_a_common_alias() {
        let parse = |name: &str| name.parse::<TextEncoding>().ok();
        assert_eq!(parse("utf-8"), Some(TextEncoding::Utf8));
        assert_eq!(parse("Shift_JIS"), Some(TextEncoding::ShiftJis));
        assert_eq!(parse("shift-jis"), Some(TextEncoding::ShiftJis));
        assert_eq!(parse("cp932"), Some(TextEncoding::ShiftJis));
        assert_eq!(parse("euc-jp"), Some(TextEncoding::EucJp));
        assert_eq!(parse("UTF-16LE"), Some(TextEncoding::Utf16Le));
        assert_eq!(parse("latin1"), Some(TextEncoding::Windows1252));
        assert_eq!(parse("ebcdic"), None);
    }

    #[test]
    fn named_options_are_parsed_and_checked() {
        let named = NamedOptions {
            f2_window_days: Some(90),
            as_of: Some("2024-06-30".to_string()),
            f_band_starts: Some(vec![1, 3, 5, 8, 13]),
            time_unit: Some("week".to_string()),
            model: Some("Pareto_NBD".to_string()),
            date_order: Some("day-first".to_string()),
            columns: Some(BTreeMap::from([
                ("date".to_string(), Some("shipped on".to_string())),
                ("status".to_string(), None),
                ("email".to_string(), Some(" ".to_string())),
            ])),
            ..NamedOptions::default()
        };
        let options = Options::try_from(named).unwrap();
        assert_eq!(options.f2_window_days, 90);
        assert_eq!(options.as_of, NaiveDate::from_ymd_opt(2024, 6, 30));
        assert_eq!(options.f_band_starts, [1, 3, 5, 8, 13]);
        assert_eq!(options.time_unit, TimeUnit::Week);
        assert_eq!(options.model, Some(ModelKind::ParetoNbd));
        assert_eq!(options.date_order, Some(DayOrder::DayFirst));
        assert_eq!(
            options.columns,
            vec![
                (Role::Date, Some("shipped on".to_string())),
                (Role::Email, None),
                (Role::Status, None),
            ]
        );
        assert_eq!(
            Options::try_from(NamedOptions::default()).unwrap(),
            Options::default()
        );
    }

    #[test]
    fn named_options_out_of_range_are_invalid_options() {
        let bad = [
            NamedOptions {
                f2_window_days: Some(0),
                ..NamedOptions::default()
            },
            NamedOptions {
                f_band_starts: Some(vec![1, 2]),
                ..NamedOptions::default()
            },
            NamedOptions {
                as_of: Some("30/06/2024".to_string()),
                ..NamedOptions::default()
            },
            NamedOptions {
                time_unit: Some("month".to_string()),
                ..NamedOptions::default()
            },
            NamedOptions {
                columns: Some(BTreeMap::from([("day".to_string(), None)])),
                ..NamedOptions::default()
            },
            NamedOptions {
                model: Some("gamma_gamma".to_string()),
                ..NamedOptions::default()
            },
        ];
        for named in bad {
            let error = Options::try_from(named.clone()).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidOption(_)),
                "{named:?}: {error}"
            );
        }
    }
}
