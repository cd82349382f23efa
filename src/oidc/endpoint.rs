//! The one request path to the provider's endpoints: [`post`] for those that take a form
//! (every grant's token request: code, refresh, password, client credentials, device code,
//! token exchange; the device authorization and revocation), [`get`] for the documents
//! (discovery, the JWKS; debug-token's too). Each answer is classified here, once, as a
//! [`ProviderError`]: not sent, no answer, an OAuth error, an HTTP status, or an answer that is
//! not what the protocol says.

use openidconnect::core::CoreTokenResponse;
use serde::de::DeserializeOwned;

use super::http::{HttpClient, HttpError};
use super::messages::{body_excerpt, describe_oauth_error, error_chain, parse_error};
use crate::error::{Endpoint, Failure, ProviderError};
use crate::secret::Secret;

/// Who the client is: what every request to the provider is made as.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<Secret<String>>,
    /// `--oidc-use-access-token`: the token kept and served is the (JWT) access token.
    pub use_access_token: bool,
    /// `--insecure-skip-tls-verify`: endpoints may be plain http to another machine.
    pub insecure: bool,
}

/// A 200 answer.
pub(super) struct Answer {
    pub body: Vec<u8>,
    content_type: Option<String>,
}

/// POST `form` to `url` with the client's authentication: client_secret_basic for a
/// confidential client (RFC 6749 §2.3.1), else `client_id` in the form. A 200 is the answer;
/// anything else is the provider's failure, classified.
pub(super) fn post(
    config: &ClientConfig,
    http: &HttpClient,
    endpoint: Endpoint,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Answer, ProviderError> {
    let response = send_form(config, http, url, form)
        .map_err(|e| ProviderError::new(endpoint, e.failure(), error_chain(&e)))?;
    answer(endpoint, response)
}

/// GET the JSON document at `url` (`what` it should be): a 200 with it is the document;
/// anything else is the provider's failure, classified.
pub fn get<T: DeserializeOwned>(
    http: &HttpClient,
    endpoint: Endpoint,
    url: &str,
    what: &str,
) -> Result<T, ProviderError> {
    let response = http
        .request("GET", url, &[("Accept", "application/json")], Vec::new())
        .map_err(|e| ProviderError::new(endpoint, e.failure(), error_chain(&e)))?;
    parse(endpoint, &answer(endpoint, response)?, what)
}

/// A 200 is the answer; anything else the provider's failure.
fn answer(
    endpoint: Endpoint,
    response: openidconnect::HttpResponse,
) -> Result<Answer, ProviderError> {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(openidconnect::http::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let body = response.into_body();
    match status {
        200 => Ok(Answer { body, content_type }),
        _ => Err(refusal(endpoint, status, &body)),
    }
}

/// A token response (RFC 6749 §5.1) from a 200, or why it is not one: serde's reason at the
/// field it failed at, and the body's outline (never a token it carries).
pub(super) fn token_response(answer: &Answer) -> Result<CoreTokenResponse, ProviderError> {
    parse(Endpoint::Token, answer, "a valid token response")
}

/// A 200's JSON body (or one that says no type) as `T` (`what` it should be), or an invalid
/// answer.
pub(super) fn parse<T: DeserializeOwned>(
    endpoint: Endpoint,
    answer: &Answer,
    what: &str,
) -> Result<T, ProviderError> {
    let body = &answer.body;
    let invalid = |why: String| ProviderError::new(endpoint, Failure::InvalidResponse, why);
    if let Some(other) = answer.content_type.as_deref().filter(|t| !is_json(t)) {
        return Err(ProviderError::new(
            endpoint,
            Failure::NotJson,
            format!(
                "an answer of type {} where application/json belongs: {}",
                super::messages::provider_text(other),
                body_excerpt(body)
            ),
        ));
    }
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body)).map_err(|e| {
        invalid(format!(
            "an answer that is not {what} ({}): {}",
            parse_error(&e, body),
            body_excerpt(body)
        ))
    })
}

/// A token endpoint's answer as bytes, read as every grant reads it: a token response from a
/// 200, the OAuth error or the status otherwise, and the refresh token a failure keeps. For
/// the fuzz targets (`fuzz_targets.rs`); never a panic.
pub fn read_token_answer(status: u16, content_type: Option<&str>, body: &[u8]) -> bool {
    let kept = super::messages::refresh_token_in(body).is_some();
    let answer = Answer {
        body: body.to_vec(),
        content_type: content_type.map(str::to_owned),
    };
    let read = match status {
        200 => token_response(&answer).map(drop),
        _ => Err(refusal(Endpoint::Token, status, body)),
    };
    kept && read.is_ok()
}

/// A failing answer: the OAuth error it carries (RFC 6749 §5.2), with the fix it calls for;
/// else its HTTP status and the start of its body.
fn refusal(endpoint: Endpoint, status: u16, body: &[u8]) -> ProviderError {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: String,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => {
            let described = describe_oauth_error(&e.error, e.error_description.as_deref());
            let detail = match client_fix(&e.error) {
                Some(fix) => format!("{described}; {fix}"),
                None => described,
            };
            ProviderError::new(endpoint, Failure::OAuth(e.error), detail)
        }
        Err(_) if body.is_empty() => ProviderError::new(
            endpoint,
            Failure::Status(status),
            format!("HTTP {status} with an empty body"),
        ),
        Err(_) => ProviderError::new(
            endpoint,
            Failure::Status(status),
            format!("HTTP {status}: {}", body_excerpt(body)),
        ),
    }
}

/// The fix an OAuth error calls for: one about the client itself, which no login changes, or
/// a device code that expired unapproved. Pure.
fn client_fix(error: &str) -> Option<&'static str> {
    match error {
        // RFC 8628 §3.5 (`error::classify`: a login is needed).
        "expired_token" => {
            Some("the code was not approved in time; run the command again for a new one")
        }
        "invalid_client" => Some(
            "the provider does not accept this client's credentials: check --oidc-client-id and \
             the client secret (--oidc-client-secret-file, or KUBECTL_OIDC_CLIENT_SECRET; a public \
             client sends none)",
        ),
        "unauthorized_client" => Some(
            "this client may not use this grant at the provider: allow it in the client's \
             settings there, or choose another --grant-type",
        ),
        _ => None,
    }
}

/// `application/json` or a JSON type of its own (`application/jwk-set+json`), whatever its
/// parameters.
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|essence| {
        let essence = essence.trim().to_ascii_lowercase();
        essence == "application/json"
            || essence.starts_with("application/") && essence.ends_with("+json")
    })
}

fn send_form(
    config: &ClientConfig,
    http: &HttpClient,
    url: &str,
    form: &[(&str, &str)],
) -> Result<openidconnect::HttpResponse, HttpError> {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    body.extend_pairs(form);
    let basic;
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Accept", "application/json"),
    ];
    match &config.client_secret {
        Some(secret) => {
            use base64::Engine as _;
            basic = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!(
                    "{}:{}",
                    enc(&config.client_id),
                    enc(secret.expose())
                ))
            );
            headers.push(("Authorization", basic.as_str()));
        }
        None => {
            body.append_pair("client_id", &config.client_id);
        }
    }
    http.request("POST", url, &headers, body.finish().into_bytes())
}

/// The scopes of a request, space-separated (RFC 6749 §3.3); `openid` first when `openid`
/// (openidconnect adds it to device authorization requests, and only there), else left out.
pub(super) fn scope(scopes: &[String], openid: bool) -> String {
    let rest = scopes.iter().map(String::as_str).filter(|s| *s != "openid");
    match openid {
        true => std::iter::once("openid").chain(rest).collect::<Vec<_>>(),
        false => rest.collect(),
    }
    .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn a_failing_answer_is_its_oauth_error_else_its_status() {
        let cases: [(u16, &str, Failure, Kind, &str); 6] = [
            (
                400,
                r#"{"error":"invalid_grant","error_description":"expired"}"#,
                Failure::OAuth("invalid_grant".into()),
                Kind::ProviderRefused,
                "invalid_grant (expired)",
            ),
            (
                401,
                r#"{"error":"invalid_client"}"#,
                Failure::OAuth("invalid_client".into()),
                Kind::ProviderRefused,
                "invalid_client; the provider does not accept this client's credentials",
            ),
            (
                503,
                r#"{"error":"temporarily_unavailable"}"#,
                Failure::OAuth("temporarily_unavailable".into()),
                Kind::ProviderUnavailable,
                "temporarily_unavailable",
            ),
            (
                502,
                "<html>Bad Gateway</html>",
                Failure::Status(502),
                Kind::ProviderUnavailable,
                "HTTP 502: \"<html>Bad Gateway</html>\"",
            ),
            (
                403,
                "",
                Failure::Status(403),
                Kind::ProviderRefused,
                "HTTP 403 with an empty body",
            ),
            (
                400,
                r#"{"message":"no"}"#,
                Failure::Status(400),
                Kind::ProviderRefused,
                "HTTP 400: {message: a string}",
            ),
        ];
        for (status, body, failure, kind, says) in cases {
            let e = refusal(Endpoint::Token, status, body.as_bytes());
            assert_eq!(e.failure, failure, "{body}");
            assert_eq!(e.kind(), kind, "{body}");
            assert!(e.to_string().starts_with(says), "{e}");
        }
    }

    #[test]
    fn only_json_is_a_token_answer() {
        for (t, json) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("text/html; charset=utf-8", false),
            ("application/x-www-form-urlencoded", false),
        ] {
            assert_eq!(is_json(t), json, "{t}");
        }
    }

    #[test]
    fn scopes_are_space_separated_with_openid_first_where_asked() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            scope(&s(&["openid", "email", "groups"]), true),
            "openid email groups"
        );
        assert_eq!(scope(&s(&["email", "openid"]), false), "email");
        assert_eq!(scope(&s(&[]), true), "openid");
        assert_eq!(scope(&s(&[]), false), "");
    }
}
