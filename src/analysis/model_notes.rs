//! The notes and refusals of the `models` section: each a stable code, its arguments by name and the
//! English sentence, like `input.warnings`, so that the page words them in Japanese (js/messages.js)
//! and the README lists them ("Model notes").

use crate::models::ModelError;
use crate::string_enum::string_enum;
use serde::Serialize;
use std::collections::BTreeMap;

string_enum! {
    /// The kind of a note of the `models` section, stable across versions (README "Model notes").
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ModelNoteCode {
        /// No customer to fit a model on.
        NoCustomers = "no_customers",
        /// A customer summary is not a valid purchase history (`index`, `problem`).
        InvalidCustomer = "invalid_customer",
        /// Every customer's first purchase is on the analysis date.
        NoObservationTime = "no_observation_time",
        /// Too few customers bought again for `model` (`found`, `needed`).
        TooFewRepeatCustomers = "too_few_repeat_customers",
        /// The search for `model`'s parameters did not settle.
        NotConverged = "not_converged",
        /// `model`'s likelihood is not finite for these data.
        NonFiniteLikelihood = "non_finite_likelihood",
        /// A parameter of `model` runs off to 0 or infinity (`reason`).
        NotIdentified = "not_identified",
        /// No repeat-purchase model could be fitted: purchases are not predicted.
        PurchasesNotPredicted = "purchases_not_predicted",
        /// The spend model could not be fitted: there is no CLV.
        SpendNotPredicted = "spend_not_predicted",
        /// Spend and frequency are correlated (`r`).
        SpendFrequencyCorrelated = "spend_frequency_correlated",
        /// The user-set split date (`split`) is not before the analysis date.
        SplitNotBeforeAsOf = "split_not_before_as_of",
        /// The holdout refit of `model` failed, so its holdout error is unknown.
        HoldoutNotPossible = "holdout_not_possible",
        /// The model the user picked (`model`) could not be fitted; `chosen` is used instead.
        PickedModelNotFitted = "picked_model_not_fitted",
        /// `model`'s parameters have no usable covariance, so its predictions have no interval.
        NoIntervals = "no_intervals",
    }
}

/// A note of the `models` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(ts_rs::TS, schemars::JsonSchema))]
#[non_exhaustive]
pub struct ModelNote {
    /// The kind of note (README "Model notes").
    pub code: ModelNoteCode,
    /// Its arguments by name (`model`, `found`, `needed`, …).
    #[cfg_attr(feature = "schema", ts(type = "Record<string, string>"))]
    pub args: BTreeMap<&'static str, String>,
    /// The note in English.
    pub message: String,
}

impl ModelNote {
    /// A note from its parts.
    pub(crate) fn new(
        code: ModelNoteCode,
        args: impl IntoIterator<Item = (&'static str, String)>,
        message: String,
    ) -> ModelNote {
        ModelNote {
            code,
            args: args.into_iter().collect(),
            message,
        }
    }

    /// The note of a refused fit, its sentence after `lead` (empty or a sentence with its space).
    pub(crate) fn from_error(error: &ModelError, lead: &str) -> ModelNote {
        let message = format!("{lead}{error}");
        match error {
            ModelError::NoCustomers => ModelNote::new(ModelNoteCode::NoCustomers, [], message),
            ModelError::InvalidCustomer { index, problem } => ModelNote::new(
                ModelNoteCode::InvalidCustomer,
                [
                    ("index", (index + 1).to_string()),
                    ("problem", problem.to_string()),
                ],
                message,
            ),
            ModelError::NoObservationTime => {
                ModelNote::new(ModelNoteCode::NoObservationTime, [], message)
            }
            ModelError::TooFewRepeatCustomers {
                model,
                found,
                needed,
            } => ModelNote::new(
                ModelNoteCode::TooFewRepeatCustomers,
                [
                    ("model", model.to_string()),
                    ("found", found.to_string()),
                    ("needed", needed.to_string()),
                ],
                message,
            ),
            ModelError::NotConverged { model } => ModelNote::new(
                ModelNoteCode::NotConverged,
                [("model", model.to_string())],
                message,
            ),
            ModelError::NonFiniteLikelihood { model } => ModelNote::new(
                ModelNoteCode::NonFiniteLikelihood,
                [("model", model.to_string())],
                message,
            ),
            ModelError::NotIdentified { model, reason } => ModelNote::new(
                ModelNoteCode::NotIdentified,
                [("model", model.to_string()), ("reason", reason.to_string())],
                message,
            ),
            // `ModelError` is non-exhaustive for callers outside the crate only; a new variant gets
            // its own code here.
        }
    }
}
