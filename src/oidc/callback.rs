//! What a request to the loopback listener means. Pure: the transport is in `loopback.rs`.
//!
//! The `state` check comes before anything else in the query, so a forged or stale callback
//! can neither complete a login nor inject an error message (as in codex's login server).

use crate::secret::Secret;

#[derive(Debug, PartialEq, Eq)]
pub enum Callback {
    /// Not the callback path (favicon, a stray request): answer 404 and keep waiting.
    NotCallback,
    /// The provider sent the user back with a code.
    Code(Secret<String>),
    /// The provider sent the user back with an error (RFC 6749 §4.1.2.1).
    ProviderError {
        error: String,
        description: Option<String>,
    },
    /// The callback cannot be trusted or used.
    Rejected(Rejection),
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the callback carried no state parameter")]
    MissingState,
    #[error(
        "the callback's state parameter does not match this login attempt (a stale browser tab, or a forged request)"
    )]
    WrongState,
    #[error(
        "the callback says it comes from issuer {got:?}, not {expected:?} (RFC 9207 mix-up protection)"
    )]
    WrongIssuer { expected: String, got: String },
    #[error("the callback carried neither a code nor an error")]
    NoCode,
}

/// Interpret `target` (the request's path and query) against the expected callback `path`,
/// the `state` of this attempt and the `issuer`.
pub fn parse(target: &str, path: &str, state: &str, issuer: &str) -> Callback {
    let (req_path, query) = target.split_once('?').unwrap_or((target, ""));
    if req_path != path {
        return Callback::NotCallback;
    }
    let mut got_state = None;
    let (mut code, mut error, mut description, mut iss) = (None, None, None, None);
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let v = Some(v.into_owned());
        match k.as_ref() {
            "state" => got_state = v,
            "code" => code = v,
            "error" => error = v,
            "error_description" => description = v,
            "iss" => iss = v,
            _ => {}
        }
    }
    match got_state {
        None => return Callback::Rejected(Rejection::MissingState),
        Some(s) if !constant_time_eq(s.as_bytes(), state.as_bytes()) => {
            return Callback::Rejected(Rejection::WrongState);
        }
        Some(_) => {}
    }
    if let Some(got) = iss.filter(|got| got != issuer) {
        return Callback::Rejected(Rejection::WrongIssuer {
            expected: issuer.to_owned(),
            got,
        });
    }
    match (error, code) {
        (Some(error), _) => Callback::ProviderError { error, description },
        (None, Some(code)) => Callback::Code(Secret::new(code)),
        (None, None) => Callback::Rejected(Rejection::NoCode),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "https://idp.example.com";

    #[test]
    fn callback_table() {
        let code = |c: &str| Callback::Code(Secret::new(c.to_string()));
        let cases: Vec<(&str, Callback)> = vec![
            ("/callback?code=abc&state=S", code("abc")),
            ("/callback?state=S&code=a%2Fb", code("a/b")),
            (
                "/callback?code=abc&state=S&iss=https%3A%2F%2Fidp.example.com",
                code("abc"),
            ),
            ("/favicon.ico", Callback::NotCallback),
            ("/callback/?code=abc&state=S", Callback::NotCallback),
            (
                "/callback?code=abc",
                Callback::Rejected(Rejection::MissingState),
            ),
            (
                "/callback?code=abc&state=T",
                Callback::Rejected(Rejection::WrongState),
            ),
            (
                "/callback?code=abc&state=SS",
                Callback::Rejected(Rejection::WrongState),
            ),
            // a wrong state wins over an error: an attacker cannot inject messages
            (
                "/callback?error=access_denied&state=X",
                Callback::Rejected(Rejection::WrongState),
            ),
            (
                "/callback?error=access_denied&error_description=User+said+no&state=S",
                Callback::ProviderError {
                    error: "access_denied".into(),
                    description: Some("User said no".into()),
                },
            ),
            (
                "/callback?error=login_required&state=S",
                Callback::ProviderError {
                    error: "login_required".into(),
                    description: None,
                },
            ),
            ("/callback?state=S", Callback::Rejected(Rejection::NoCode)),
            (
                "/callback?code=abc&state=S&iss=https%3A%2F%2Fevil",
                Callback::Rejected(Rejection::WrongIssuer {
                    expected: ISS.into(),
                    got: "https://evil".into(),
                }),
            ),
        ];
        for (target, want) in cases {
            assert_eq!(parse(target, "/callback", "S", ISS), want, "{target}");
        }
    }
}
