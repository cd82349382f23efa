//! PURE. Replay the API server's JWT authenticator (spec §1, `oidc.go`) on one token, in its
//! order, with its error texts: issuer selection, audience, exp (no leeway), nbf (one minute),
//! algorithm, signature, distributed claims, username, groups, uid, extra, required claims,
//! claim validation rules, user validation rules, then the `system:authenticated` adder.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::cel;
use super::config::{Authenticator, ClaimRule, Source};

/// What we know about the signature (checked by [`super::signature`] or not at all).
#[derive(Debug, Clone, PartialEq)]
pub enum Signature {
    Verified,
    /// The JWKS has no key with the token's `kid`.
    UnknownKid(String),
    Invalid(String),
    /// `--offline`, or the keys could not be fetched: a warning, not a refusal.
    Unchecked(String),
}

/// What fetching the discovery document said (the API server does this at startup).
#[derive(Debug, Clone, PartialEq)]
pub enum Discovery {
    Ok,
    /// The document's `issuer` differs from the configured URL.
    IssuerMismatch(String),
    /// Unreachable, TLS failure, not JSON, ...
    Failed(String),
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserInfo {
    pub username: String,
    pub uid: String,
    pub groups: Vec<String>,
    pub extra: std::collections::BTreeMap<String, Vec<String>>,
}

/// How far the replay got.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The authenticator whose issuer matched, if any.
    pub authenticator: Option<usize>,
    /// The user the API server would see (set even when a later check refuses the token,
    /// so that the near-miss analysis can use it); `None` when mapping failed.
    pub user: Option<UserInfo>,
    /// The API server's error, exactly as it logs it, when it would refuse the token.
    pub error: Option<String>,
    /// Which step refused the token (a stable id, see findings).
    pub failed_check: Option<&'static str>,
    /// The signature was not checked (offline); everything else passed.
    pub signature_unchecked: Option<String>,
}

impl Replay {
    pub fn authenticated(&self) -> bool {
        self.error.is_none()
    }
}

/// The token's parts, decoded without verification.
#[derive(Debug, Clone)]
pub struct Token {
    pub header: Map<String, Json>,
    pub claims: Map<String, Json>,
}

/// `iss` as the API server's pre-check reads it, with the Google quirk (spec §1.1).
pub fn issuer_matches(url: &str, iss: &str) -> bool {
    iss == url || (iss == "accounts.google.com" && url == "https://accounts.google.com")
}

/// Go's `%q` of a string slice: `["a" "b"]`.
pub fn go_quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(" "))
}

/// Go's `%v` of a UTC time.Time.
pub fn go_time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string())
        .unwrap_or_else(|| unix.to_string())
}

/// A JSON number claim as seconds (integers or floats, fraction truncated).
pub fn time_claim(claims: &Map<String, Json>, name: &str) -> Option<i64> {
    claims.get(name)?.as_f64().map(|f| f.trunc() as i64)
}

/// The audiences in `aud` (string or array).
pub fn audiences(claims: &Map<String, Json>) -> Vec<String> {
    match claims.get("aud") {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Go's `json: cannot unmarshal X into Go value of type T` for a JSON value.
fn go_unmarshal_error(v: &Json, into: &str) -> String {
    let kind = match v {
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
        Json::Null => "null",
    };
    format!("json: cannot unmarshal {kind} into Go value of type {into}")
}

/// Decode a claim as a Go string: absent is an error, null is "", other types fail.
fn string_claim(claims: &Map<String, Json>, name: &str) -> Result<String, String> {
    match claims.get(name) {
        None => Err("claim not present".into()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(Json::Null) => Ok(String::new()),
        Some(v) => Err(go_unmarshal_error(v, "string")),
    }
}

/// Go's `stringOrArray`: a string or an array of strings (null elements become "").
fn string_or_array(v: &Json) -> Result<Vec<String>, String> {
    match v {
        Json::Null => Ok(Vec::new()),
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(a) if a.iter().all(|x| x.is_string() || x.is_null()) => Ok(a
            .iter()
            .map(|x| x.as_str().unwrap_or("").to_owned())
            .collect()),
        other => Err(go_unmarshal_error(other, "string")),
    }
}

/// `convertCELValueToStringList`: "", [] and null are no value; "" inside a list is dropped.
fn cel_string_list(v: &Json) -> Result<Vec<String>, String> {
    let bad = || "expression must return a string or a list of strings".to_owned();
    match v {
        Json::Null => Ok(Vec::new()),
        Json::String(s) if s.is_empty() => Ok(Vec::new()),
        Json::String(s) => Ok(vec![s.clone()]),
        Json::Array(a) => a
            .iter()
            .filter(|x| x.as_str() != Some(""))
            .map(|x| x.as_str().map(str::to_owned).ok_or_else(bad))
            .collect(),
        _ => Err(bad()),
    }
}

fn with_prefix(prefix: &Option<String>, value: String) -> String {
    match prefix {
        Some(p) if !p.is_empty() => format!("{p}{value}"),
        _ => value,
    }
}

/// Replay the API server on `token`, at time `now` (unix seconds).
pub fn replay(
    token: &Token,
    authenticators: &[Authenticator],
    discovery: &Discovery,
    signature: &Signature,
    now: i64,
) -> Replay {
    let mut r = Replay {
        authenticator: None,
        user: None,
        error: None,
        failed_check: None,
        signature_unchecked: None,
    };
    let fail = |mut r: Replay, check: &'static str, error: String| {
        r.error = Some(error);
        r.failed_check = Some(check);
        r
    };
    let claims = &token.claims;
    // §1.1: the authenticator whose issuer byte-matches `iss`; the others abstain.
    let iss = claims.get("iss").and_then(Json::as_str).unwrap_or("");
    let Some(index) = authenticators
        .iter()
        .position(|a| issuer_matches(&a.issuer_url, iss))
    else {
        let check = if authenticators.is_empty() {
            "oidc-not-configured"
        } else {
            "issuer-mismatch"
        };
        return fail(r, check, "invalid bearer token".into());
    };
    r.authenticator = Some(index);
    let a = &authenticators[index];
    // §1.2: until discovery works, every token fails.
    match discovery {
        Discovery::Ok | Discovery::Skipped => {}
        Discovery::IssuerMismatch(_) | Discovery::Failed(_) => {
            return fail(
                r,
                "discovery-failed",
                "oidc: authenticator not initialized".into(),
            );
        }
    }
    let verify = |e: String| format!("oidc: verify token: {e}");
    // §1.3 step 1: distributed-claim names must point at existing sources.
    if let Some(Json::Object(names)) = claims.get("_claim_names") {
        let sources = claims.get("_claim_sources").and_then(Json::as_object);
        for src in names.values() {
            let ok = src
                .as_str()
                .is_some_and(|s| sources.is_some_and(|m| m.contains_key(s)));
            if !ok {
                return fail(
                    r,
                    "malformed-token",
                    verify("oidc: source does not exist".into()),
                );
            }
        }
    }
    // §1.3 steps 2-3: issuer (already equal), audience.
    let aud = audiences(claims);
    if a.audiences.len() == 1 && !aud.contains(&a.audiences[0]) {
        return fail(
            r,
            "audience-mismatch",
            verify(format!(
                "oidc: expected audience {:?} got {}",
                a.audiences[0],
                go_quote_list(&aud)
            )),
        );
    }
    // §1.3 step 4: exp, no leeway; a missing exp is the zero time.
    let exp = time_claim(claims, "exp");
    if exp.is_none_or(|e| now > e) {
        let when = exp
            .map(go_time)
            .unwrap_or_else(|| "0001-01-01 00:00:00 +0000 UTC".into());
        return fail(
            r,
            "token-expired",
            verify(format!("oidc: token is expired (Token Expiry: {when})")),
        );
    }
    // step 5: nbf with one minute of leeway.
    if let Some(nbf) = time_claim(claims, "nbf")
        && now + 60 < nbf
    {
        return fail(
            r,
            "token-not-yet-valid",
            verify(format!(
                "oidc: current time {} before the nbf (not before) time: {}",
                go_time(now),
                go_time(nbf)
            )),
        );
    }
    // step 8: algorithm.
    let alg = token.header.get("alg").and_then(Json::as_str).unwrap_or("");
    if !a.signing_algs.iter().any(|x| x == alg) {
        return fail(
            r,
            "unsupported-alg",
            verify(format!(
                "oidc: id token signed with unsupported algorithm, expected {} got {alg:?}",
                go_quote_list(&a.signing_algs)
            )),
        );
    }
    // step 9: signature.
    match signature {
        Signature::Verified => {}
        Signature::Unchecked(why) => r.signature_unchecked = Some(why.clone()),
        Signature::UnknownKid(_) => {
            return fail(
                r,
                "unknown-kid",
                verify("failed to verify signature: failed to verify id token signature".into()),
            );
        }
        Signature::Invalid(_) => {
            return fail(
                r,
                "signature-invalid",
                verify("failed to verify signature: failed to verify id token signature".into()),
            );
        }
    }
    // step 10: several audiences, any one must match.
    if a.audiences.len() > 1 && !aud.iter().any(|x| a.audiences.contains(x)) {
        return fail(
            r,
            "audience-mismatch",
            verify(format!(
                "oidc: expected audience in {} got {}",
                go_quote_list(&a.audiences),
                go_quote_list(&aud)
            )),
        );
    }
    // §1.4: distributed groups (Azure overage): the API server fetches the endpoint without
    // the user's credentials; Microsoft Graph answers 401, which fails the whole login.
    if let Some(g) = &a.groups
        && let Source::Claim(name) = &g.source
        && !claims.contains_key(name)
        && let Some(endpoint) = distributed_endpoint(claims, name)
        && is_microsoft_graph(&endpoint)
    {
        return fail(
            r,
            "azure-group-overage",
            format!(
                "oidc: could not expand distributed claims: while getting distributed claim {name:?}: error while getting distributed claim JWT: 401 Unauthorized"
            ),
        );
    }
    // §1.5: username.
    let username = match &a.username.source {
        Source::Expression(e) => match cel::eval_claims(e, claims) {
            Err(err) => return fail(r, "cel-rule-failed", format!("oidc: error evaluating username claim expression: {err}")),
            Ok(Json::String(s)) if s.is_empty() => {
                return fail(r, "cel-rule-failed", "oidc: empty username via CEL expression is not allowed".into());
            }
            Ok(Json::String(s)) => s,
            Ok(_) => return fail(r, "cel-rule-failed", "oidc: error evaluating username claim expression: username claim expression must return a string".into()),
        },
        Source::Claim(name) => {
            let value = match string_claim(claims, name) {
                Ok(v) => v,
                Err(e) => return fail(r, "username-claim", format!("oidc: parse username claims {name:?}: {e}")),
            };
            if name == "email"
                && let Some(v) = claims.get("email_verified")
            {
                match v {
                    Json::Bool(true) => {}
                    Json::Bool(false) | Json::Null => return fail(r, "email-not-verified", "oidc: email not verified".into()),
                    other => return fail(r, "email-not-verified", format!(
                        "oidc: parse 'email_verified' claim: {}", go_unmarshal_error(other, "bool")
                    )),
                }
            }
            with_prefix(&a.username.prefix, value)
        }
    };
    // groups
    let groups = match &a.groups {
        None => Vec::new(),
        Some(g) => match &g.source {
            Source::Claim(name) => match claims.get(name) {
                None => Vec::new(),
                Some(v) => match string_or_array(v) {
                    Ok(list) => list
                        .into_iter()
                        .map(|x| with_prefix(&g.prefix, x))
                        .collect(),
                    Err(e) => {
                        return fail(
                            r,
                            "groups-claim-shape",
                            format!("oidc: parse groups claim {name:?}: {e}"),
                        );
                    }
                },
            },
            Source::Expression(e) => {
                match cel::eval_claims(e, claims).and_then(|v| cel_string_list(&v)) {
                    Ok(list) => list,
                    Err(err) => {
                        return fail(
                            r,
                            "cel-rule-failed",
                            format!("oidc: error evaluating group claim expression: {err}"),
                        );
                    }
                }
            }
        },
    };
    // uid
    let uid = match &a.uid {
        None => String::new(),
        Some(Source::Claim(name)) => match string_claim(claims, name) {
            Ok(v) => v,
            Err(e) => return fail(r, "uid-claim", format!("oidc: parse uid claim {name:?}: {e}")),
        },
        Some(Source::Expression(e)) => match cel::eval_claims(e, claims) {
            Ok(Json::String(s)) => s,
            Ok(_) => return fail(r, "cel-rule-failed", "oidc: error evaluating uid claim expression: uid claim expression must return a string".into()),
            Err(err) => return fail(r, "cel-rule-failed", format!("oidc: error evaluating uid claim expression: {err}")),
        },
    };
    // extra, plus the credential id from `jti` (1.32+).
    let mut extra = std::collections::BTreeMap::new();
    for (key, expression) in &a.extra {
        match cel::eval_claims(expression, claims) {
            Err(err) => return fail(r, "cel-rule-failed", err),
            Ok(v) => match cel_string_list(&v) {
                Ok(values) if values.is_empty() => {}
                Ok(values) => {
                    extra.insert(key.clone(), values);
                }
                Err(e) => {
                    return fail(
                        r,
                        "cel-rule-failed",
                        format!("oidc: error evaluating extra claim expression: {expression}: {e}"),
                    );
                }
            },
        }
    }
    if let Some(Json::String(jti)) = claims.get("jti") {
        extra.insert(
            "authentication.kubernetes.io/credential-id".into(),
            vec![format!("JTI={jti}")],
        );
    }
    let user = UserInfo {
        username,
        uid,
        groups,
        extra,
    };
    // The user as the API server reports it (the group adder runs last, after the rules);
    // kept even if a rule refuses the token, for the near-miss analysis.
    r.user = Some(user_with_adder(&user));
    // §1.6: required claims, claim validation expressions, user validation expressions.
    for rule in &a.claim_rules {
        match rule {
            ClaimRule::Required { claim, value } => {
                let got = match claims.get(claim) {
                    None => {
                        return fail(
                            r,
                            "required-claim",
                            format!("oidc: required claim {claim} not present in ID token"),
                        );
                    }
                    Some(Json::String(s)) => s.clone(),
                    Some(Json::Null) => String::new(),
                    Some(other) => {
                        return fail(
                            r,
                            "required-claim",
                            format!(
                                "oidc: parse claim {claim}: {}",
                                go_unmarshal_error(other, "string")
                            ),
                        );
                    }
                };
                if got != *value {
                    return fail(
                        r,
                        "required-claim",
                        format!(
                            "oidc: required claim {claim} value does not match. Got = {got}, want = {value}"
                        ),
                    );
                }
            }
            ClaimRule::Expression { .. } => {}
        }
    }
    for rule in &a.claim_rules {
        if let ClaimRule::Expression {
            expression,
            message,
        } = rule
        {
            let prefix = "oidc: error evaluating claim validation expression";
            match cel::eval_claims(expression, claims) {
                Err(e) => return fail(r, "cel-rule-failed", format!("{prefix}: {e}")),
                Ok(Json::Bool(true)) => {}
                Ok(Json::Bool(false)) => {
                    return fail(
                        r,
                        "cel-rule-failed",
                        format!("{prefix}: validation expression '{expression}' failed: {message}"),
                    );
                }
                Ok(_) => {
                    return fail(
                        r,
                        "cel-rule-failed",
                        format!("{prefix}: validation expression must return a boolean"),
                    );
                }
            }
        }
    }
    if !a.user_rules.is_empty() {
        let as_json = serde_json::json!({
            "username": user.username, "uid": user.uid, "groups": user.groups, "extra": user.extra,
        });
        for rule in &a.user_rules {
            let prefix = "oidc: error evaluating user info validation rule";
            match cel::eval_user(&rule.expression, &as_json) {
                Err(e) => return fail(r, "cel-rule-failed", format!("{prefix}: {e}")),
                Ok(Json::Bool(true)) => {}
                Ok(Json::Bool(false)) => {
                    return fail(
                        r,
                        "cel-rule-failed",
                        format!(
                            "{prefix}: validation expression '{}' failed: {}",
                            rule.expression, rule.message
                        ),
                    );
                }
                Ok(_) => {
                    return fail(
                        r,
                        "cel-rule-failed",
                        format!("{prefix}: validation expression must return a boolean"),
                    );
                }
            }
        }
    }
    r
}

/// `AuthenticatedGroupAdder` (spec §1.7).
pub fn user_with_adder(user: &UserInfo) -> UserInfo {
    let mut u = user.clone();
    let has = |g: &str| u.groups.iter().any(|x| x == g);
    if u.username != "system:anonymous"
        && !has("system:authenticated")
        && !has("system:unauthenticated")
    {
        u.groups.push("system:authenticated".into());
    }
    u
}

/// The endpoint of the distributed claim `name`, if the token names one.
pub fn distributed_endpoint(claims: &Map<String, Json>, name: &str) -> Option<String> {
    let source = claims.get("_claim_names")?.get(name)?.as_str()?;
    let endpoint = claims
        .get("_claim_sources")?
        .get(source)?
        .get("endpoint")?
        .as_str()?;
    Some(endpoint.to_owned())
}

fn is_microsoft_graph(endpoint: &str) -> bool {
    url::Url::parse(endpoint)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| {
            h == "graph.microsoft.com"
                || h == "graph.windows.net"
                || h.ends_with(".graph.microsoft.com")
        })
}
