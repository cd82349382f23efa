//! PURE. A token as people paste it: `Bearer eyJ...`, `Authorization: Bearer ...`, quoted,
//! wrapped over lines, or base64 of the whole JWT (as browser tools show it).

use base64::Engine as _;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("there is no token in the input, only a `Bearer` or `Authorization:` prefix")]
    Empty,
    #[error(
        "this is not a JWT (a JWT is three base64url parts separated by dots; an opaque access token cannot be decoded, and the API server ignores it with only `invalid bearer token`)"
    )]
    NotJwt,
    #[error("this is a JWT in JSON serialization; the API server accepts only the compact form")]
    JsonSerialization,
}

fn looks_like_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| !p.is_empty())
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

pub fn normalize(input: &str) -> Result<String, InputError> {
    let mut s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
    for prefix in ["authorization:", "bearer "] {
        // `get`, not indexing: the input may have a multi-byte character at that offset.
        if let Some(rest) = s
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .and_then(|_| s.get(prefix.len()..))
        {
            s = rest.trim().to_owned();
        }
    }
    let s: String = s
        .trim_matches(|c| c == '"' || c == '\'')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Err(InputError::Empty);
    }
    if s.starts_with('{') {
        return Err(InputError::JsonSerialization);
    }
    if looks_like_jwt(&s) {
        return Ok(s);
    }
    for engine in [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::URL_SAFE,
    ] {
        let trimmed = s.trim_end_matches('=');
        let padded = format!("{trimmed}{}", "=".repeat((4 - trimmed.len() % 4) % 4));
        if let Ok(bytes) = engine.decode(padded)
            && let Ok(text) = String::from_utf8(bytes)
            && looks_like_jwt(text.trim())
        {
            return Ok(text.trim().to_owned());
        }
    }
    Err(InputError::NotJwt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_forms() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        let b64 = base64::engine::general_purpose::STANDARD.encode(jwt);
        let cases: Vec<(String, Result<String, InputError>)> = vec![
            (jwt.into(), Ok(jwt.into())),
            (format!("Bearer {jwt}\n"), Ok(jwt.into())),
            // A multi-byte character where a prefix would end (found by the fuzzer).
            ("eyJ'OiAiQlMy\u{ab98c}x".into(), Err(InputError::NotJwt)),
            ("bearer\u{e9}".into(), Err(InputError::NotJwt)),
            (format!("authorization: bearer {jwt}"), Ok(jwt.into())),
            (format!("\"{jwt}\""), Ok(jwt.into())),
            (format!("{}\n{}", &jwt[..10], &jwt[10..]), Ok(jwt.into())),
            (b64.clone(), Ok(jwt.into())),
            (b64.trim_end_matches('=').into(), Ok(jwt.into())),
            ("   ".into(), Err(InputError::Empty)),
            ("ya29.opaque-access-token".into(), Err(InputError::NotJwt)),
            (
                "{\"payload\":\"x\"}".into(),
                Err(InputError::JsonSerialization),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(&input), want, "{input:?}");
        }
    }
}
