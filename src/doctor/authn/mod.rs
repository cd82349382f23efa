//! PURE. Replay the API server's JWT authenticator (spec §1, `oidc.go`, and go-oidc's
//! `Verify`) on one token, in its order, with its error texts: issuer selection, algorithm,
//! signature, the typed claims (go-oidc's decode), distributed claim names, audience, exp (no
//! leeway), nbf (one minute), username, groups, uid, extra, required claims, claim validation
//! rules, user validation rules, then the `system:authenticated` adder.

mod go;
mod rules;
mod steps;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use self::rules::{claim_validation_rules, user_validation_rules};
use self::steps::*;
use super::config::Authenticator;
use super::findings::FindingId;

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

/// The step of the API server's authenticator that refused a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// No JWT authenticator at all.
    NotConfigured,
    /// No authenticator's issuer is the token's `iss`.
    Issuer,
    /// The authenticator never initialized (discovery failed).
    Discovery,
    /// The configuration does not load.
    Config,
    /// `_claim_names` names a source that does not exist.
    DistributedClaims,
    /// A claim go-oidc types (`aud`, `exp`, `iat`, `nbf`, `iss`, `sub`, ...) has the wrong type.
    Claims,
    Audience,
    Expiry,
    NotBefore,
    Algorithm,
    UnknownKid,
    Signature,
    /// Distributed groups (Entra ID overage) that the API server cannot fetch.
    GroupOverage,
    UsernameClaim,
    EmailVerified,
    GroupsClaim,
    UidClaim,
    RequiredClaim,
    /// A CEL mapping or validation rule.
    Cel,
    /// A CEL function the API server has and this replay does not evaluate.
    NotSimulated,
}

impl Check {
    /// The finding that explains this refusal.
    pub fn finding(self) -> FindingId {
        match self {
            Check::NotConfigured => FindingId::OidcNotConfigured,
            Check::Issuer => FindingId::IssuerMismatch,
            Check::Discovery => FindingId::DiscoveryFailed,
            Check::Config => FindingId::ConfigInvalid,
            Check::DistributedClaims | Check::Claims => FindingId::MalformedToken,
            Check::Audience => FindingId::AudienceMismatch,
            Check::Expiry => FindingId::TokenExpired,
            Check::NotBefore => FindingId::TokenNotYetValid,
            Check::Algorithm => FindingId::UnsupportedAlg,
            Check::UnknownKid => FindingId::UnknownKid,
            Check::Signature => FindingId::SignatureInvalid,
            Check::GroupOverage => FindingId::AzureGroupOverage,
            Check::UsernameClaim => FindingId::UsernameClaim,
            Check::EmailVerified => FindingId::EmailNotVerified,
            Check::GroupsClaim => FindingId::GroupsClaimShape,
            Check::UidClaim => FindingId::UidClaim,
            Check::RequiredClaim => FindingId::RequiredClaim,
            Check::Cel => FindingId::CelRuleFailed,
            Check::NotSimulated => FindingId::CelNotSimulated,
        }
    }
}

impl Check {
    /// The fix of a refusal at this check, where it does not depend on the token (the
    /// doctor's `refusal_fix` has the others): with [`Check::finding`], this check's entry in
    /// the catalog.
    pub fn fix(self) -> Option<&'static str> {
        Some(match self {
            Check::NotConfigured => {
                "pass the API server's --oidc-* flags or --authentication-config, or check the kube-apiserver pod's arguments (--from-cluster)"
            }
            Check::Discovery => {
                "fix the issuer URL or the CA (--oidc-ca-file / issuer.certificateAuthority as PEM text) so that discovery works from the API server"
            }
            Check::UnknownKid => {
                "the provider rotated its keys, or the token is from another provider; log in again"
            }
            Check::Signature => "the token was altered or signed by someone else; log in again",
            Check::EmailVerified => {
                "verify the email at the provider, or make it send a boolean true, or use another username claim (--oidc-username-claim=sub)"
            }
            Check::GroupsClaim => {
                "change the provider's mapper to emit an array of strings, or map groups with a CEL expression"
            }
            Check::GroupOverage => {
                "assign fewer groups (or use app roles), emit only groups assigned to the application, or map groups with a CEL expression that does not need them"
            }
            Check::DistributedClaims | Check::Claims => {
                "the provider minted a malformed token; report it to the provider's administrators"
            }
            Check::NotSimulated => {
                "check this expression on a test cluster of the same release (kubectl auth whoami with the token)"
            }
            Check::Expiry => {
                "get a fresh token: kubectl oidc login (and check that this machine's clock is right; exp has no leeway)"
            }
            Check::NotBefore => {
                "the token is from the future: fix the clock of this machine or of the provider"
            }
            Check::Config => {
                "fix the configuration; kube-apiserver validates it at startup and on every reload"
            }
            Check::UsernameClaim | Check::UidClaim => {
                "the claim must be a JSON string in the id_token: add it at the provider (scope or mapper), or pick another --oidc-username-claim / claimMappings entry"
            }
            Check::RequiredClaim => {
                "fix the claim at the provider, or the --oidc-required-claim / claimValidationRules entry"
            }
            Check::Cel => {
                "fix the expression in the AuthenticationConfiguration (guard absent claims with has() or claims.?x.orValue(...))"
            }
            Check::Issuer | Check::Audience | Check::Algorithm => return None,
        })
    }
}

/// Why the API server would refuse the token: the step, and its error exactly as it logs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub check: Check,
    pub error: String,
}

pub(super) fn refuse<T>(check: Check, error: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        check,
        error: error.into(),
    })
}

/// The refusal when the configuration itself does not load: the API server does not start.
pub fn config_refusal(error: &str) -> Refusal {
    Refusal {
        check: Check::Config,
        error: format!("the API server does not start: {error}"),
    }
}

/// How far the replay got.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    /// The authenticator whose issuer matched, if any.
    pub authenticator: Option<usize>,
    /// The user the API server would see (set even when a later check refuses the token,
    /// so that the near-miss analysis can use it); `None` when mapping failed.
    pub user: Option<UserInfo>,
    /// Set when the API server would refuse the token.
    pub refusal: Option<Refusal>,
    /// The signature was not checked (offline); everything else passed.
    pub signature_unchecked: Option<String>,
}

impl Replay {
    pub fn authenticated(&self) -> bool {
        self.refusal.is_none()
    }

    /// The API server's error, when it would refuse the token.
    pub fn error(&self) -> Option<&str> {
        self.refusal.as_ref().map(|r| r.error.as_str())
    }

    /// The check that refused the token.
    pub fn check(&self) -> Option<Check> {
        self.refusal.as_ref().map(|r| r.check)
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

/// Replay the API server on `token`, at time `now` (unix seconds).
pub fn replay(
    token: &Token,
    authenticators: &[Authenticator],
    discovery: &Discovery,
    signature: &Signature,
    now: i64,
) -> Replay {
    let mut r = Replay::default();
    if let Err(refusal) = run(&mut r, token, authenticators, discovery, signature, now) {
        r.refusal = Some(refusal);
    }
    r
}

/// The API server's order (spec §1): each step returns `Err` when it refuses the token.
fn run(
    r: &mut Replay,
    token: &Token,
    authenticators: &[Authenticator],
    discovery: &Discovery,
    signature: &Signature,
    now: i64,
) -> Result<(), Refusal> {
    let claims = &token.claims;
    let index = select_issuer(claims, authenticators)?;
    r.authenticator = Some(index);
    let a = &authenticators[index];
    initialized(discovery)?;
    // go-oidc's Verify: from its v2.5.0 (Kubernetes 1.36), the algorithm and the signature
    // first, then the typed claims; before, the claims first and the signature last.
    let signature_first = a.version.at_least(36);
    if signature_first {
        algorithm(token, a)?;
        r.signature_unchecked = verify_signature(signature)?;
    }
    let typed = go::decode_id_token(claims).or_else(|e| {
        refuse(
            Check::Claims,
            verify_error(format!("oidc: failed to unmarshal claims: {e}")),
        )
    })?;
    distributed_claim_names(claims)?;
    single_audience(a, &typed.aud)?;
    expiry(typed.exp, now)?;
    not_before(typed.nbf, now)?;
    if !signature_first {
        algorithm(token, a)?;
        r.signature_unchecked = verify_signature(signature)?;
    }
    any_audience(a, &typed.aud)?;
    distributed_groups(claims, a)?;
    let user = UserInfo {
        username: username(claims, a)?,
        groups: groups(claims, a)?,
        uid: uid(claims, a)?,
        extra: extra(claims, a)?,
    };
    // The user as the API server reports it (the group adder runs last, after the rules);
    // kept even if a rule refuses the token, for the near-miss analysis.
    r.user = Some(user_with_adder(&user));
    required_claims(claims, a)?;
    claim_validation_rules(claims, a)?;
    user_validation_rules(&user, a)
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

pub(super) fn is_microsoft_graph(endpoint: &str) -> bool {
    url::Url::parse(endpoint)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| {
            h == "graph.microsoft.com"
                || h == "graph.windows.net"
                || h.ends_with(".graph.microsoft.com")
        })
}
