//! PURE. The API server's authenticator, one function per step (spec §1), each returning
//! `Err(Refusal)` with the API server's own text when it refuses the token.

use serde_json::{Map, Value as Json};

use super::go::{
    self, cel_string_list, quote_list, string_claim, string_or_array, unmarshal_error,
};
use super::{
    Check, Discovery, Refusal, Signature, Token, distributed_endpoint, is_microsoft_graph,
    issuer_matches, refuse,
};
use crate::doctor::cel::{self, CelError};
use crate::doctor::config::{Authenticator, ClaimRule, Source};

pub(super) fn verify_error(e: impl std::fmt::Display) -> String {
    format!("oidc: verify token: {e}")
}

pub(super) fn with_prefix(prefix: &Option<String>, value: String) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}{value}"),
        _ => value,
    }
}

/// §1.1: the authenticator whose issuer byte-matches `iss`; the others abstain.
pub(super) fn select_issuer(
    claims: &Map<String, Json>,
    authenticators: &[Authenticator],
) -> Result<usize, Refusal> {
    let iss = claims.get("iss").and_then(Json::as_str).unwrap_or("");
    match authenticators
        .iter()
        .position(|a| issuer_matches(&a.issuer_url, iss))
    {
        Some(i) => Ok(i),
        None if authenticators.is_empty() => refuse(Check::NotConfigured, "invalid bearer token"),
        None => refuse(Check::Issuer, "invalid bearer token"),
    }
}

/// §1.2: until discovery works, every token fails.
pub(super) fn initialized(discovery: &Discovery) -> Result<(), Refusal> {
    match discovery {
        Discovery::Ok | Discovery::Skipped => Ok(()),
        Discovery::IssuerMismatch(_) | Discovery::Failed(_) => {
            refuse(Check::Discovery, "oidc: authenticator not initialized")
        }
    }
}

/// §1.3 step 1: distributed-claim names must point at existing sources.
pub(super) fn distributed_claim_names(claims: &Map<String, Json>) -> Result<(), Refusal> {
    let Some(Json::Object(names)) = claims.get("_claim_names") else {
        return Ok(());
    };
    let sources = claims.get("_claim_sources").and_then(Json::as_object);
    for src in names.values() {
        let ok = src
            .as_str()
            .is_some_and(|s| sources.is_some_and(|m| m.contains_key(s)));
        if !ok {
            return refuse(
                Check::DistributedClaims,
                verify_error("oidc: source does not exist"),
            );
        }
    }
    Ok(())
}

/// The configured audiences as a set, sorted (Go's `sets.New`, `sets.List`).
fn audience_set(a: &Authenticator) -> Vec<String> {
    let mut set = a.audiences.clone();
    set.sort();
    set.dedup();
    set
}

/// §1.3 steps 2-3: issuer (already equal), then one configured audience (go-oidc's ClientID).
pub(super) fn single_audience(a: &Authenticator, aud: &[String]) -> Result<(), Refusal> {
    let set = audience_set(a);
    if set.len() == 1 && !aud.contains(&a.audiences[0]) {
        return refuse(
            Check::Audience,
            verify_error(format!(
                "oidc: expected audience {:?} got {}",
                a.audiences[0],
                quote_list(aud)
            )),
        );
    }
    Ok(())
}

/// §1.3 step 4: exp, no leeway; a missing exp is the zero time.
pub(super) fn expiry(exp: Option<i64>, now: i64) -> Result<(), Refusal> {
    if exp.is_none_or(|e| now > e) {
        let when = exp
            .map(go::time)
            .unwrap_or_else(|| "0001-01-01 00:00:00 +0000 UTC".into());
        return refuse(
            Check::Expiry,
            verify_error(format!("oidc: token is expired (Token Expiry: {when})")),
        );
    }
    Ok(())
}

/// §1.3 step 5: nbf with one minute of leeway.
pub(super) fn not_before(nbf: Option<i64>, now: i64) -> Result<(), Refusal> {
    match nbf {
        Some(nbf) if now + 60 < nbf => refuse(
            Check::NotBefore,
            verify_error(format!(
                "oidc: current time {} before the nbf (not before) time: {}",
                go::time(now),
                go::time(nbf)
            )),
        ),
        _ => Ok(()),
    }
}

/// §1.3 step 8: the signing algorithm.
pub(super) fn algorithm(token: &Token, a: &Authenticator) -> Result<(), Refusal> {
    let alg = token.header.get("alg").and_then(Json::as_str).unwrap_or("");
    if !a.signing_algs.iter().any(|x| x == alg) {
        return refuse(
            Check::Algorithm,
            verify_error(format!(
                "oidc: id token signed with unsupported algorithm, expected {} got {alg:?}",
                quote_list(&a.signing_algs)
            )),
        );
    }
    Ok(())
}

/// §1.3 step 9: the signature; `Ok(Some(why))` when it was not checked.
pub(super) fn verify_signature(signature: &Signature) -> Result<Option<String>, Refusal> {
    let failed = || verify_error("failed to verify signature: failed to verify id token signature");
    match signature {
        Signature::Verified => Ok(None),
        Signature::Unchecked(why) => Ok(Some(why.clone())),
        Signature::UnknownKid(_) => refuse(Check::UnknownKid, failed()),
        Signature::Invalid(_) => refuse(Check::Signature, failed()),
    }
}

/// §1.3 step 10: several audiences, any one must match.
pub(super) fn any_audience(a: &Authenticator, aud: &[String]) -> Result<(), Refusal> {
    let set = audience_set(a);
    if set.len() > 1 && !aud.iter().any(|x| set.contains(x)) {
        return refuse(
            Check::Audience,
            verify_error(format!(
                "oidc: expected audience in {} got {}",
                quote_list(&set),
                quote_list(aud)
            )),
        );
    }
    Ok(())
}

/// §1.4: distributed groups (Azure overage): the API server fetches the endpoint without
/// the user's credentials; Microsoft Graph answers 401, which fails the whole login.
pub(super) fn distributed_groups(
    claims: &Map<String, Json>,
    a: &Authenticator,
) -> Result<(), Refusal> {
    if let Some(g) = &a.groups
        && let Source::Claim(name) = &g.source
        && !claims.contains_key(name)
        && let Some(endpoint) = distributed_endpoint(claims, name)
        && is_microsoft_graph(&endpoint)
    {
        return refuse(
            Check::GroupOverage,
            format!(
                "oidc: could not expand distributed claims: while getting distributed claim {name:?}: error while getting distributed claim JWT: 401 Unauthorized"
            ),
        );
    }
    Ok(())
}

/// A CEL failure as the refusal it causes: the API server's text under `prefix`; for a function
/// this evaluator lacks, a refusal that says so (the verdict is then unverified, not refused).
pub(super) fn cel_refusal(prefix: &str, err: CelError) -> Refusal {
    match err {
        CelError::Failed(e) => Refusal {
            check: Check::Cel,
            error: format!("{prefix}: {e}"),
        },
        CelError::NotSimulated(e) => Refusal {
            check: Check::NotSimulated,
            error: e,
        },
    }
}

/// A CEL expression that must yield one string.
pub(super) fn cel_string(
    expression: &str,
    claims: &Map<String, Json>,
    what: &str,
    a: &Authenticator,
) -> Result<String, Refusal> {
    let prefix = format!("oidc: error evaluating {what} claim expression");
    match cel::eval_claims(expression, claims, a.version) {
        Err(err) => Err(cel_refusal(&prefix, err)),
        Ok(Json::String(s)) => Ok(s),
        Ok(_) => refuse(
            Check::Cel,
            format!("{prefix}: {what} claim expression must return a string"),
        ),
    }
}

/// §1.5: the username.
pub(super) fn username(claims: &Map<String, Json>, a: &Authenticator) -> Result<String, Refusal> {
    let name = match &a.username.source {
        Source::Expression(e) => {
            let s = cel_string(e, claims, "username", a)?;
            if s.is_empty() {
                return refuse(
                    Check::Cel,
                    "oidc: empty username via CEL expression is not allowed",
                );
            }
            return Ok(s);
        }
        Source::Claim(name) => name,
    };
    let value = string_claim(claims, name).or_else(|e| {
        refuse(
            Check::UsernameClaim,
            format!("oidc: parse username claims {name:?}: {e}"),
        )
    })?;
    if name == "email"
        && let Some(v) = claims.get("email_verified")
    {
        match v {
            Json::Bool(true) => {}
            Json::Bool(false) | Json::Null => {
                return refuse(Check::EmailVerified, "oidc: email not verified");
            }
            other => {
                return refuse(
                    Check::EmailVerified,
                    format!(
                        "oidc: parse 'email_verified' claim: {}",
                        unmarshal_error(other, "bool")
                    ),
                );
            }
        }
    }
    Ok(with_prefix(&a.username.prefix, value))
}

/// §1.5: the groups.
pub(super) fn groups(
    claims: &Map<String, Json>,
    a: &Authenticator,
) -> Result<Vec<String>, Refusal> {
    let Some(g) = &a.groups else {
        return Ok(Vec::new());
    };
    match &g.source {
        Source::Claim(name) => match claims.get(name) {
            None => Ok(Vec::new()),
            Some(v) => match string_or_array(v) {
                Ok(list) => Ok(list
                    .into_iter()
                    .map(|x| with_prefix(&g.prefix, x))
                    .collect()),
                Err(e) => refuse(
                    Check::GroupsClaim,
                    format!("oidc: parse groups claim {name:?}: {e}"),
                ),
            },
        },
        Source::Expression(e) => {
            let prefix = "oidc: error evaluating group claim expression";
            let v =
                cel::eval_claims(e, claims, a.version).map_err(|err| cel_refusal(prefix, err))?;
            cel_string_list(e, &v).or_else(|err| refuse(Check::Cel, format!("{prefix}: {err}")))
        }
    }
}

/// §1.5: the uid.
pub(super) fn uid(claims: &Map<String, Json>, a: &Authenticator) -> Result<String, Refusal> {
    match &a.uid {
        None => Ok(String::new()),
        Some(Source::Claim(name)) => string_claim(claims, name).or_else(|e| {
            refuse(
                Check::UidClaim,
                format!("oidc: parse uid claim {name:?}: {e}"),
            )
        }),
        Some(Source::Expression(e)) => cel_string(e, claims, "uid", a),
    }
}

/// §1.5: extra, plus the credential id from `jti` (1.32+).
pub(super) fn extra(
    claims: &Map<String, Json>,
    a: &Authenticator,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, Refusal> {
    let mut extra = std::collections::BTreeMap::new();
    for (key, expression) in &a.extra {
        // An evaluation error is the API server's as it is, with no prefix (`getExtra`).
        let value = cel::eval_claims(expression, claims, a.version).map_err(|err| match err {
            CelError::Failed(e) => Refusal {
                check: Check::Cel,
                error: e,
            },
            other => cel_refusal("", other),
        })?;
        match cel_string_list(expression, &value) {
            Ok(values) if values.is_empty() => {}
            Ok(values) => {
                extra.insert(key.clone(), values);
            }
            Err(e) => {
                return refuse(
                    Check::Cel,
                    format!("oidc: error evaluating extra claim expression: {expression}: {e}"),
                );
            }
        }
    }
    if let Some(Json::String(jti)) = claims
        .get("jti")
        .filter(|j| a.version.at_least(32) && j.as_str() != Some(""))
    {
        extra.insert(
            "authentication.kubernetes.io/credential-id".into(),
            vec![format!("JTI={jti}")],
        );
    }
    Ok(extra)
}

/// §1.6: required claims (`--oidc-required-claim`, `claimValidationRules[].claim`).
pub(super) fn required_claims(
    claims: &Map<String, Json>,
    a: &Authenticator,
) -> Result<(), Refusal> {
    for rule in &a.claim_rules {
        let ClaimRule::Required { claim, value } = rule else {
            continue;
        };
        let got = match claims.get(claim) {
            None => {
                return refuse(
                    Check::RequiredClaim,
                    format!("oidc: required claim {claim} not present in ID token"),
                );
            }
            Some(Json::String(s)) => s.clone(),
            Some(Json::Null) => String::new(),
            Some(other) => {
                return refuse(
                    Check::RequiredClaim,
                    format!(
                        "oidc: parse claim {claim}: {}",
                        unmarshal_error(other, "string")
                    ),
                );
            }
        };
        if got != *value {
            return refuse(
                Check::RequiredClaim,
                format!(
                    "oidc: required claim {claim} value does not match. Got = {got}, want = {value}"
                ),
            );
        }
    }
    Ok(())
}
