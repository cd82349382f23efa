//! What a request to the loopback listener means. Pure: the transport is in `loopback.rs`.
//!
//! The `state` check comes before anything else in the query, so a forged or stale callback
//! can neither complete a login nor inject an error message (as in codex's login server).
//! The request head itself is parsed here too, so the listener only moves bytes.

use crate::error::{Endpoint, Failure, ProviderError};
use crate::secret::Secret;

/// The provider's error at the callback (RFC 6749 §4.1.2.1) as a classified failure: built
/// here alone, whether the browser brought it to the listener or the user pasted it.
pub fn refusal(issuer: &str, error: String, description: Option<&str>) -> ProviderError {
    let message = match description {
        Some(d) => format!("{error}: {d}"),
        None => error.clone(),
    };
    ProviderError::new(Endpoint::Callback, Failure::OAuth(error), message)
        .about(|verb| format!("the provider {issuer} {verb} the login"))
}

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
        // Provider text, shown at the terminal and on our page: one line, no controls.
        (Some(error), _) => Callback::ProviderError {
            error: crate::text::one_line(&error),
            description: description.map(|d| crate::text::one_line(&d)),
        },
        (None, Some(code)) => Callback::Code(Secret::new(code)),
        (None, None) => Callback::Rejected(Rejection::NoCode),
    }
}

/// Interpret what the user pasted in a keyboard login: the whole URL the browser was sent to
/// (checked like a callback: path, state, issuer), its query, or the bare code a provider
/// shows on an out-of-band page (no state to check then; PKCE and the nonce still bind it).
pub fn pasted(input: &str, path: &str, state: &str, issuer: &str) -> Callback {
    match pasted_target(input, path, state) {
        Some(target) => parse(&target, path, state, issuer),
        None => Callback::Rejected(Rejection::NoCode),
    }
}

/// The callback request target a paste stands for: the URL's own path and query, a query on
/// the expected `path`, or a bare code with this attempt's `state`. `None` for nothing usable.
/// Shared by the keyboard login and the paste relayed to the loopback listener.
pub fn pasted_target(input: &str, path: &str, state: &str) -> Option<String> {
    let input = input.trim();
    if let Ok(url) = url::Url::parse(input)
        && url.has_host()
    {
        return Some(format!("{}?{}", url.path(), url.query().unwrap_or("")));
    }
    if let Some(query) = input
        .strip_prefix('?')
        .or_else(|| (input.contains("code=") || input.contains("error=")).then_some(input))
    {
        return Some(format!("{path}?{query}"));
    }
    if input.is_empty() || input.chars().any(char::is_whitespace) {
        return None;
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("code", input)
        .append_pair("state", state)
        .finish();
    Some(format!("{path}?{query}"))
}

/// The largest request head the listener reads; a browser's callback is a few hundred bytes.
pub const MAX_HEAD: usize = 16 * 1024;

/// What the listener needs from an HTTP request head.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// The Host header's host name, lower-cased, without the port or brackets.
    pub host: Option<String>,
}

/// Parse an HTTP/1.x request head (request line and headers, up to the blank line).
pub fn parse_head(head: &[u8]) -> Result<Head, &'static str> {
    let text = std::str::from_utf8(head).map_err(|_| "the request head is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) = (
        request_line.next(),
        request_line.next(),
        request_line.next(),
        request_line.next(),
    ) else {
        return Err("not an HTTP request line");
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err("not an HTTP/1 request for a path");
    }
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| host_name(v.trim()));
    Ok(Head {
        method: method.to_owned(),
        target: target.to_owned(),
        host,
    })
}

/// `127.0.0.1:8000` -> `127.0.0.1`, `[::1]:8000` -> `::1`, `LocalHost` -> `localhost`.
pub fn host_name(host: &str) -> String {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.to_ascii_lowercase()
}

/// Whether a Host header names this machine's loopback (or the host of a redirect URL the
/// user configured): a page elsewhere that resolves its own name to 127.0.0.1 (DNS
/// rebinding) cannot complete or disturb the login.
pub fn host_is_allowed(host: Option<&str>, redirect_host: Option<&str>) -> bool {
    let Some(host) = host else {
        return false;
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
        || redirect_host.is_some_and(|r| r.eq_ignore_ascii_case(host))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISS: &str = "https://idp.example.com";

    #[test]
    fn pasted_codes_and_urls() {
        let code = |c: &str| Callback::Code(Secret::new(c.to_owned()));
        let p = |input: &str| pasted(input, "/callback", "st", ISS);
        for (input, want) in [
            // The bare code of an out-of-band page.
            ("  abc-123\n", code("abc-123")),
            // The whole URL from the address bar, checked like a callback.
            (
                "http://127.0.0.1:8000/callback?code=xyz&state=st",
                code("xyz"),
            ),
            (
                "http://localhost:8000/callback?code=xyz&state=st&iss=https%3A%2F%2Fidp.example.com",
                code("xyz"),
            ),
            (
                "http://127.0.0.1:8000/callback?code=xyz&state=forged",
                Callback::Rejected(Rejection::WrongState),
            ),
            (
                "http://127.0.0.1:8000/callback?code=xyz",
                Callback::Rejected(Rejection::MissingState),
            ),
            (
                "http://127.0.0.1:8000/elsewhere?code=xyz&state=st",
                Callback::NotCallback,
            ),
            // Its query alone.
            ("?code=q&state=st", code("q")),
            ("code=q&state=st", code("q")),
            (
                "error=access_denied&state=st",
                Callback::ProviderError {
                    error: "access_denied".into(),
                    description: None,
                },
            ),
            // Nothing usable.
            ("", Callback::Rejected(Rejection::NoCode)),
            ("two words", Callback::Rejected(Rejection::NoCode)),
        ] {
            assert_eq!(p(input), want, "{input:?}");
        }
    }

    #[test]
    fn request_heads() {
        let head = |s: &str| parse_head(s.as_bytes());
        assert_eq!(
            head("GET /callback?code=a&state=b HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept: */*"),
            Ok(Head {
                method: "GET".into(),
                target: "/callback?code=a&state=b".into(),
                host: Some("127.0.0.1".into()),
            })
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nhost: [::1]:18000")
                .unwrap()
                .host
                .as_deref(),
            Some("::1")
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nHOST: LocalHost")
                .unwrap()
                .host
                .as_deref(),
            Some("localhost")
        );
        assert_eq!(head("GET / HTTP/1.0").unwrap().host, None);
        for bad in [
            "",
            "GET",
            "GET /x",
            "GET x HTTP/1.1",
            "GET /x SPDY/3",
            "GET /x HTTP/1.1 extra",
        ] {
            assert!(head(bad).is_err(), "{bad:?}");
        }
        assert!(parse_head(b"GET /\xff HTTP/1.1").is_err());
    }

    #[test]
    fn only_loopback_hosts_reach_the_callback() {
        for ok in ["127.0.0.1", "127.8.9.1", "localhost", "::1"] {
            assert!(host_is_allowed(Some(ok), None), "{ok}");
        }
        for bad in [
            "evil.example",
            "10.0.0.1",
            "0.0.0.0",
            "localhost.evil.example",
        ] {
            assert!(!host_is_allowed(Some(bad), None), "{bad}");
        }
        assert!(!host_is_allowed(None, None));
        assert!(host_is_allowed(
            Some("devbox.internal"),
            Some("devbox.internal")
        ));
    }

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
