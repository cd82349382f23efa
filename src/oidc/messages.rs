//! Token endpoint and verification failures described for people: the OAuth error and its
//! description, an error page's status and first words, or the exact reason an id_token fails
//! verification (never the token itself).

use openidconnect::{ClaimsVerificationError, SignatureVerificationError};

use crate::error::{Endpoint, Failure, Kind, ProviderError, classify};
use crate::secret::Secret;

/// The `refresh_token` of a token response body that did not parse as a whole.
pub(super) fn refresh_token_in(body: &[u8]) -> Option<Secret<String>> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(Secret::new(v.get("refresh_token")?.as_str()?.to_owned()))
}

/// Why an id_token failed verification, named as the API server would name it, with what to
/// do about it.
pub(super) fn verification_error(
    e: &ClaimsVerificationError,
    issuer: &str,
    client_id: &str,
    jwks_uri: &str,
    id_token: &str,
) -> String {
    let header: serde_json::Map<String, serde_json::Value> =
        crate::token::jwt::decode_header(id_token).unwrap_or_default();
    let field = |k: &str| {
        header
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    match e {
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => format!(
            "the id_token from {issuer} is signed with key {:?}, which is not in the provider's JWKS ({}) even after fetching it again",
            field("kid"),
            jwks_uri
        ),
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::DisallowedAlg(_)
            | SignatureVerificationError::UnsupportedAlg(_)
            | SignatureVerificationError::NoSignature,
        ) => format!(
            "the id_token from {issuer} is signed with algorithm {:?}, which is not accepted (an unsigned token, alg \"none\", never is)",
            field("alg")
        ),
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::CryptoError(_),
        ) => format!(
            "the id_token from {issuer} has a signature that does not verify with the provider's key {:?}: it was altered, or signed by someone else",
            field("kid")
        ),
        ClaimsVerificationError::SignatureVerification(other) => {
            format!("the id_token's signature from {issuer} cannot be verified: {other}")
        }
        ClaimsVerificationError::InvalidAudience(d) => format!(
            "the id_token from {issuer} is not for client {} ({d}); the client id must be the one the provider issued it to",
            client_id
        ),
        ClaimsVerificationError::InvalidIssuer(d) => format!(
            "the id_token says another issuer than {issuer} issued it ({d}); the issuer URL must be exactly the provider's"
        ),
        ClaimsVerificationError::Expired(d) => format!(
            "the id_token from {issuer} has already expired ({d}); is this machine's clock right?"
        ),
        ClaimsVerificationError::InvalidNonce(d) => format!(
            "the id_token from {issuer} carries another nonce than this login sent ({d}): a replayed or injected token"
        ),
        other => format!(
            "the id_token from {issuer} failed verification: {}",
            error_chain(other)
        ),
    }
}

/// An error and its causes on one line.
pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// An OAuth error and its description, as a provider sent them: provider text, so on one
/// line and with anything token-shaped left out ([`provider_text`]).
pub(super) fn describe_oauth_error(error: &str, description: Option<&str>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!("{} ({})", provider_text(error), provider_text(d)),
        _ => provider_text(error),
    }
}

/// Text a provider sent, for a message: one line, no terminal controls, no token-shaped word
/// (a provider may quote what it was sent), at most 300 characters.
pub fn provider_text(s: &str) -> String {
    const MAX: usize = 300;
    let text = crate::text::redact_tokens(&crate::text::one_line(s));
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// What an answer's body says, for a message, with nothing secret in it. A JSON object
/// shows its `error` and `error_description` and only the names and types of the other
/// fields (a token response that failed to parse still carries tokens); a form-encoded body
/// its field names; anything else (an error page) its first 200 characters, one line, with
/// token-shaped words left out.
pub(super) fn body_excerpt(body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        return json_outline(&value);
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let form_encoded = !text.is_empty()
        && !text.contains(char::is_whitespace)
        && text.split('&').all(|pair| pair.contains('='));
    if form_encoded {
        let names: Vec<String> = url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, _)| format!("{}=…", provider_text(&k)))
            .collect();
        return format!("a form-encoded body: {}", names.join("&"));
    }
    let start: String = text.chars().take(200).collect();
    format!("{:?}", provider_text(&start))
}

/// A JSON value's outline: the type of anything but an object's `error` and
/// `error_description`.
fn json_outline(value: &serde_json::Value) -> String {
    use serde_json::Value;
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    let Value::Object(fields) = value else {
        return format!("JSON that is {} where an object belongs", kind(value));
    };
    let shown: Vec<String> = fields
        .iter()
        .map(|(k, v)| match (k.as_str(), v) {
            ("error" | "error_description", Value::String(s)) => {
                format!("{}: {:?}", provider_text(k), provider_text(s))
            }
            _ => format!("{}: {}", provider_text(k), kind(v)),
        })
        .collect();
    format!("{{{}}}", shown.join(", "))
}

/// Why a token response did not parse, without what it quotes: serde's reason (with the
/// field it failed at) with the literals it quotes left out unless they are a field name or
/// a number, and any string of the body still in it (a deserializer's own message) removed;
/// for an id_token whose claims did not parse, the claim at fault.
pub(super) fn parse_error(err: &dyn std::fmt::Display, body: &[u8]) -> String {
    let strings = body_strings(body);
    let mut reason = crate::text::redact_tokens(&crate::text::one_line(&redact_literals(
        &err.to_string(),
        &strings,
    )));
    for secret in &strings {
        reason = reason.replace(secret.as_str(), "…");
    }
    match id_token_claim_problem(body) {
        Some(problem) => format!("{problem}: {reason}"),
        None => reason,
    }
}

/// serde's message with each quoted literal (`"..."` and `` `...` ``) replaced by `…`,
/// unless it is a field name (`token_type`) or a number (`1e300`) and no string of the body
/// (serde quotes values whole).
fn redact_literals(message: &str, body_strings: &[String]) -> String {
    let harmless = |literal: &str| {
        let name = !literal.is_empty()
            && literal.len() <= 40
            && literal
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
        let number = literal.parse::<f64>().is_ok();
        (name || number) && !body_strings.iter().any(|s| s == literal)
    };
    let mut out = String::with_capacity(message.len());
    let mut literal: Option<(char, String)> = None;
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        match &mut literal {
            // An escaped quote (`\"` in a Debug string) is part of the literal.
            Some((_, text)) if c == '\\' => {
                text.push(c);
                text.extend(chars.next());
            }
            Some((q, text)) if c == *q => {
                out.push_str(if harmless(text) { text } else { "…" });
                out.push(c);
                literal = None;
            }
            Some((_, text)) => text.push(c),
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    literal = Some((c, String::new()));
                }
            }
        }
    }
    if literal.is_some() {
        out.push('…');
    }
    out
}

/// The claim of a token response's id_token that makes it unusable, when its payload is
/// JSON: a time claim that is not a number of seconds a date can have, an `aud` that is
/// neither a string nor strings, an `iss` or `sub` that is not a string. Claim values are
/// shown only for numbers.
fn id_token_claim_problem(body: &[u8]) -> Option<String> {
    use serde_json::Value;
    let doc: Value = serde_json::from_slice(body).ok()?;
    let claims: serde_json::Map<String, Value> =
        crate::token::jwt::decode_payload(doc.get("id_token")?.as_str()?).ok()?;
    // 9999-12-31T23:59:59Z: the last second RFC 3339 (and so kubectl) can write.
    const LAST: f64 = 253_402_300_799.0;
    for name in ["exp", "iat", "nbf", "auth_time"] {
        match claims.get(name) {
            None => {}
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| (0.0..=LAST).contains(&f)) => {}
            Some(Value::Number(n)) => {
                return Some(format!(
                    "the id_token's {name} claim is {n}, not a time between 1970 and 9999"
                ));
            }
            Some(_) => {
                return Some(format!(
                    "the id_token's {name} claim is not a number of seconds"
                ));
            }
        }
    }
    let strings = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
    match claims.get("aud") {
        None | Some(Value::String(_)) => {}
        Some(v) if strings(v) => {}
        Some(_) => return Some("the id_token's aud claim is neither a string nor strings".into()),
    }
    ["iss", "sub"].into_iter().find_map(|name| {
        claims
            .get(name)
            .filter(|v| !v.is_string())
            .map(|_| format!("the id_token's {name} claim is not a string"))
    })
}

/// Every string in a JSON body of 6 or more characters (keys left out), and the body's
/// pieces between quotes when it is not JSON: what a message must not quote.
fn body_strings(body: &[u8]) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.len() >= 6 => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => walk(&v, &mut out),
        Err(_) => out.extend(
            String::from_utf8_lossy(body)
                .split(['"', '\'', ' ', '&', '=', '<', '>'])
                .filter(|s| s.len() >= 6)
                .map(str::to_owned),
        ),
    }
    // The longest first, so a token is removed whole before any part of it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// The fix for a failed discovery: a document that is not there (a 4xx, a page that is not
/// JSON) or that names another issuer (`named`) is an issuer URL to fix (the hint says which);
/// a 5xx, a timeout or a broken JSON document is the provider failing, with no hint. Pure.
pub(super) fn discovery_hint(
    issuer: &str,
    e: &ProviderError,
    named: Option<&str>,
) -> Option<String> {
    if e.endpoint != Endpoint::Discovery {
        return None;
    }
    if let (Failure::Verification, Some(theirs)) = (&e.failure, named) {
        return Some(format!(
            "the provider names itself {theirs}: pass exactly that, --oidc-issuer-url={theirs} \
             (the API server's issuer URL must be the same, trailing slash included)"
        ));
    }
    let not_there = matches!(e.failure, Failure::Status(_) | Failure::NotJson)
        && classify(Endpoint::Discovery, &e.failure) == Kind::Config;
    not_there.then(|| {
        format!(
            "{}/.well-known/openid-configuration is not an OpenID discovery document, so {issuer} \
             is not the issuer: check --oidc-issuer-url, the issuer exactly as the provider \
             publishes it (Keycloak: https://HOST/realms/REALM; Entra ID: \
             https://login.microsoftonline.com/TENANT/v2.0; Okta: \
             https://ORG.okta.com/oauth2/default; Cognito: \
             https://cognito-idp.REGION.amazonaws.com/POOL_ID)",
            issuer.trim_end_matches('/')
        )
    })
}

#[cfg(test)]
#[path = "messages_tests.rs"]
mod tests;
