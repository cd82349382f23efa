//! `Secret<T>`: a value that must never reach a log, an error message or argv.
//!
//! `Debug` prints `<redacted>` and there is deliberately no `Display`; `expose()` marks the
//! few places where the bytes leave the process (stdout of get-token, the 0600 cache, the
//! token endpoint). Modelled on cargo-credential's `Secret`.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }
    /// The raw value. Every call site is a place where the secret leaves our control.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("eyJhbGciOi.secret-refresh-token".to_string());
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "eyJhbGciOi.secret-refresh-token");
    }
}
