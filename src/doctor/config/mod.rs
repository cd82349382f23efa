//! PURE. How the API server is configured for JWT authentication, from either the legacy
//! `--oidc-*` flags ([`flags`], spec §2, translated as in §2.3) or an
//! `AuthenticationConfiguration` ([`structured`], spec §3, apiserver.config.k8s.io
//! v1alpha1/v1beta1/v1), with the API server's own validation rules and error texts. Both end
//! as the same [`Authenticator`], which `authn` replays.

mod errs;
mod file;
mod flags;
mod rules;
mod structured;

pub use self::flags::{ApiserverFlags, from_flags};
pub use self::structured::from_authentication_config;
use super::findings::{Finding, FindingId, Severity};
use super::version::KubeVersion;

/// The nine asymmetric algorithms the API server knows (spec §1.3 step 8).
pub const ALL_ALGS: [&str; 9] = [
    "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
];

/// Where a claim mapping takes its value from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Claim(String),
    Expression(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub source: Source,
    /// Only with a claim; `None` and `Some("")` both mean no prefix.
    pub prefix: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ClaimRule {
    Required { claim: String, value: String },
    Expression { expression: String, message: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserRule {
    pub expression: String,
    pub message: String,
}

/// Which configuration style produced an authenticator (it changes defaults and fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Flags,
    Structured,
}

/// One JWT authenticator, as `oidc.go` runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticator {
    pub style: Style,
    /// The release whose rules and CEL environment apply.
    pub version: KubeVersion,
    pub issuer_url: String,
    pub discovery_url: Option<String>,
    /// PEM text (structured `certificateAuthority`) or the `--oidc-ca-file` path.
    pub certificate_authority: Option<String>,
    pub audiences: Vec<String>,
    pub username: Mapping,
    pub groups: Option<Mapping>,
    pub uid: Option<Source>,
    pub extra: Vec<(String, String)>,
    pub claim_rules: Vec<ClaimRule>,
    pub user_rules: Vec<UserRule>,
    pub signing_algs: Vec<String>,
}

/// An unusable configuration: what the API server would say at startup, and the authenticators
/// it describes (for a preview of what the configuration means; the API server runs none).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    pub partial: Vec<Authenticator>,
}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            partial: Vec::new(),
        }
    }
}

/// What kube-apiserver checks of a valid configuration as it builds each JWT authenticator
/// (`oidc.New`), in its order: the issuer against the service-account issuers
/// (`CompileAndValidateJWTAuthenticator`, with field paths relative to the authenticator),
/// then the signing algorithms (Go's `%q` of the first it does not know).
pub(super) fn build_checks(
    authenticators: Vec<Authenticator>,
    disallowed: &[String],
) -> Result<Vec<Authenticator>, ConfigError> {
    let mut listed = disallowed.to_vec();
    listed.sort();
    listed.dedup();
    let failed = authenticators.iter().find_map(|a| {
        if listed.contains(&a.issuer_url) {
            return Some(format!(
                "issuer.url: Invalid value: {:?}: URL must not overlap with disallowed issuers: [{}]",
                a.issuer_url,
                listed.join(" ")
            ));
        }
        let unknown = a.signing_algs.iter().find(|x| !ALL_ALGS.contains(&x.as_str()))?;
        Some(format!("oidc: unsupported signing alg: {unknown:?}"))
    });
    match failed {
        None => Ok(authenticators),
        Some(message) => Err(ConfigError {
            message,
            partial: authenticators,
        }),
    }
}

/// Findings that name the fix for a configuration the API server refuses at start (spec §6
/// row 24: an http issuer).
pub fn config_findings(a: &Authenticator) -> Vec<Finding> {
    let mut out = Vec::new();
    if a.issuer_url.starts_with("http://") {
        let field = match a.style {
            Style::Flags => "--oidc-issuer-url",
            Style::Structured => "issuer.url",
        };
        out.push(Finding::new(
            FindingId::HttpIssuer,
            Severity::Error,
            format!("the issuer {} is not https; kube-apiserver refuses to start with it (URL scheme must be https)", a.issuer_url),
            format!("serve the provider over https and use that URL in {field}"),
        ));
    }
    out
}
