//! The API server's field errors for a configuration, collected in its order and listed as
//! `field.ErrorList.ToAggregate()` lists them.

use super::{Authenticator, ConfigError};

/// The API server's field errors, collected in its order.
#[derive(Default)]
pub(super) struct Errs(pub(super) Vec<String>);

impl Errs {
    pub(super) fn push(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{path}: {message}"));
    }

    pub(super) fn invalid(&mut self, path: &str, value: &str, detail: &str) {
        self.push(path, format!("Invalid value: {value:?}: {detail}"));
    }

    pub(super) fn required(&mut self, path: &str, detail: &str) {
        match detail {
            "" => self.push(path, "Required value"),
            d => self.push(path, format!("Required value: {d}")),
        }
    }

    pub(super) fn duplicate(&mut self, path: &str, value: &str) {
        self.push(path, format!("Duplicate value: {value:?}"));
    }

    /// `field.ErrorList.ToAggregate()` under the API server's prefix; the authenticators are
    /// kept in the error for callers that show what the configuration would do anyway.
    pub(super) fn into_result(
        self,
        a: Vec<Authenticator>,
    ) -> Result<Vec<Authenticator>, ConfigError> {
        let listed = match self.0.as_slice() {
            [] => return Ok(a),
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        Err(ConfigError {
            message: format!("invalid authentication configuration: {listed}"),
            partial: a,
        })
    }
}
