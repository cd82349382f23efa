//! An `AuthenticationConfiguration` file (spec §3), decoded strictly like the API server's
//! strict decoder for the release simulated, and validated as `validation.go` validates it:
//! every rule, every error collected with its field path and text, and every CEL expression
//! compiled with the release's environment (spec §3.2, §3.3).

use super::errs::Errs;
use super::file::{FileConfig, FileIssuer, FileJwt};
use super::rules::{claim_rules, email_verified_rule, mappings, user_rules};
use super::{ALL_ALGS, Authenticator, ConfigError, Style};
use crate::doctor::version::KubeVersion;

/// The API versions of AuthenticationConfiguration, by the release that serves them.
const VERSIONS: [(&str, u8); 3] = [
    ("apiserver.config.k8s.io/v1alpha1", 29),
    ("apiserver.config.k8s.io/v1beta1", 30),
    ("apiserver.config.k8s.io/v1", 34),
];

/// Parse and validate an AuthenticationConfiguration (YAML or JSON) as `version` would.
/// `disallowed` are the API server's `--service-account-issuer`s, which no JWT issuer may be.
pub fn from_authentication_config(
    text: &str,
    version: KubeVersion,
    disallowed: &[String],
) -> Result<Vec<Authenticator>, ConfigError> {
    let file: FileConfig = serde_saphyr::from_str(text)
        .map_err(|e| ConfigError::new(format!("not a valid AuthenticationConfiguration: {e}")))?;
    let served: Vec<&str> = VERSIONS
        .iter()
        .filter(|(_, since)| version.at_least(*since))
        .map(|(v, _)| *v)
        .collect();
    if !served.contains(&file.api_version.as_str()) {
        return Err(ConfigError::new(format!(
            "no kind \"AuthenticationConfiguration\" is registered for version {:?} (Kubernetes {version} serves {})",
            file.api_version,
            served.join(", ")
        )));
    }
    if file.kind != "AuthenticationConfiguration" {
        return Err(ConfigError::new(format!(
            "kind {:?} is not AuthenticationConfiguration",
            file.kind
        )));
    }
    unknown_fields(&file, version)?;
    let mut errs = Errs::default();
    if let Some(anonymous) = &file.anonymous
        && anonymous["enabled"] != serde_json::Value::Bool(true)
        && anonymous["conditions"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    {
        errs.push(
            "anonymous.conditions",
            format!(
                "Invalid value: {}: enabled should be set to true when conditions are defined",
                anonymous["conditions"]
            ),
        );
    }
    // Validated first without the service-account issuers, which the API server checks only
    // as it builds each authenticator (`build_checks`).
    let authenticators = validate(file.jwt, version, &mut errs);
    super::build_checks(errs.into_result(authenticators)?, disallowed)
}

/// Fields the release's strict decoder does not know.
fn unknown_fields(file: &FileConfig, version: KubeVersion) -> Result<(), ConfigError> {
    let mut unknown = Vec::new();
    if file.anonymous.is_some() && !version.at_least(31) {
        unknown.push("anonymous".to_owned());
    }
    for (i, j) in file.jwt.iter().enumerate() {
        let fields = [
            (
                j.issuer.egress_selector_type.is_some(),
                34,
                "egressSelectorType",
            ),
            (j.issuer.discovery_url.is_some(), 30, "discoveryURL"),
            (
                j.issuer.audience_match_policy.is_some(),
                30,
                "audienceMatchPolicy",
            ),
        ];
        for (set, since, name) in fields {
            if set && !version.at_least(since) {
                unknown.push(format!("jwt[{i}].issuer.{name}"));
            }
        }
    }
    match unknown.as_slice() {
        [] => Ok(()),
        fields => Err(ConfigError::new(format!(
            "strict decoding error: unknown field {} (Kubernetes {version})",
            fields
                .iter()
                .map(|f| format!("{f:?}"))
                .collect::<Vec<_>>()
                .join(", unknown field ")
        ))),
    }
}

/// `jwt[*]`: each authenticator, then duplicates across them (`ValidateAuthenticationConfiguration`).
pub(super) fn validate(
    jwts: Vec<FileJwt>,
    version: KubeVersion,
    errs: &mut Errs,
) -> Vec<Authenticator> {
    let max = if version.at_least(30) { 64 } else { 1 };
    if jwts.len() > max {
        errs.push(
            "jwt",
            format!("Too many: {}: must have at most {max} items", jwts.len()),
        );
        return Vec::new();
    }
    let mut out: Vec<Authenticator> = Vec::new();
    for (i, jwt) in jwts.into_iter().enumerate() {
        let path = format!("jwt[{i}]");
        let a = validate_jwt(jwt, &path, version, errs);
        if out.iter().any(|o| o.issuer_url == a.issuer_url) {
            errs.duplicate(&format!("{path}.issuer.url"), &a.issuer_url);
        }
        if let Some(d) = &a.discovery_url
            && out.iter().any(|o| o.discovery_url.as_ref() == Some(d))
        {
            errs.duplicate(&format!("{path}.issuer.discoveryURL"), d);
        }
        out.push(a);
    }
    out
}

/// One `jwt[i]`, section by section, as `validateJWTAuthenticator` does.
fn validate_jwt(jwt: FileJwt, path: &str, version: KubeVersion, errs: &mut Errs) -> Authenticator {
    let issuer = jwt.issuer;
    validate_issuer(&issuer, &format!("{path}.issuer"), version, errs);
    let claim_rules = claim_rules(jwt.claim_validation_rules, path, version, errs);
    let mappings = mappings(
        jwt.claim_mappings,
        &format!("{path}.claimMappings"),
        version,
        errs,
    );
    let user_rules = user_rules(jwt.user_validation_rules, path, version, errs);
    if version.at_least(30) {
        email_verified_rule(&mappings, &claim_rules, path, errs);
    }
    Authenticator {
        style: Style::Structured,
        version,
        issuer_url: issuer.url,
        discovery_url: issuer.discovery_url.filter(|d| !d.is_empty()),
        certificate_authority: issuer.certificate_authority.filter(|c| !c.is_empty()),
        audiences: issuer.audiences,
        username: mappings.username,
        groups: mappings.groups,
        uid: mappings.uid,
        extra: mappings.extra,
        claim_rules,
        user_rules,
        // All it knows, as Go lists a set: sorted.
        signing_algs: {
            let mut all: Vec<String> = ALL_ALGS.iter().map(|a| (*a).to_owned()).collect();
            all.sort();
            all
        },
    }
}

fn validate_url(path: &str, raw: &str, errs: &mut Errs) {
    let u = match url::Url::parse(raw) {
        Ok(u) => u,
        Err(e) => return errs.invalid(path, raw, &e.to_string()),
    };
    let rules = [
        (u.scheme() != "https", "URL scheme must be https"),
        (
            !u.username().is_empty() || u.password().is_some(),
            "URL must not contain a username or password",
        ),
        (
            u.query().is_some_and(|q| !q.is_empty()),
            "URL must not contain a query",
        ),
        (
            u.fragment().is_some_and(|f| !f.is_empty()),
            "URL must not contain a fragment",
        ),
    ];
    for (broken, detail) in rules {
        if broken {
            errs.invalid(path, raw, detail);
        }
    }
}

/// `issuer`: url, discoveryURL, audiences and audienceMatchPolicy, certificateAuthority,
/// egressSelectorType.
fn validate_issuer(issuer: &FileIssuer, path: &str, version: KubeVersion, errs: &mut Errs) {
    if issuer.url.is_empty() {
        errs.required(&format!("{path}.url"), "");
    } else {
        validate_url(&format!("{path}.url"), &issuer.url, errs);
    }
    if let Some(d) = issuer.discovery_url.as_deref().filter(|d| !d.is_empty()) {
        let p = format!("{path}.discoveryURL");
        if !issuer.url.is_empty() && d.trim_end_matches('/') == issuer.url.trim_end_matches('/') {
            errs.invalid(&p, d, "discoveryURL must be different from URL");
        }
        validate_url(&p, d, errs);
    }
    audiences(issuer, path, version, errs);
    if let Some(ca) = issuer
        .certificate_authority
        .as_deref()
        .filter(|c| !c.is_empty())
        && !ca.contains("-----BEGIN CERTIFICATE-----")
    {
        errs.invalid(
            &format!("{path}.certificateAuthority"),
            "<omitted>",
            "data does not contain any valid RSA or ECDSA certificates (certificateAuthority is the PEM text, not a file path)",
        );
    }
    if let Some(e) = issuer
        .egress_selector_type
        .as_deref()
        .filter(|e| !e.is_empty())
        && !["controlplane", "cluster"].contains(&e)
    {
        errs.invalid(
            &format!("{path}.egressSelectorType"),
            e,
            "egress selector must be either controlplane or cluster",
        );
    }
}

fn audiences(issuer: &FileIssuer, path: &str, version: KubeVersion, errs: &mut Errs) {
    let p = format!("{path}.audiences");
    let a = &issuer.audiences;
    if a.is_empty() {
        return errs.required(&p, &format!("at least one {p} is required"));
    }
    if !version.at_least(30) && a.len() > 1 {
        errs.push(
            &p,
            format!("Too many: {}: must have at most 1 items", a.len()),
        );
    }
    for (i, aud) in a.iter().enumerate() {
        if aud.is_empty() {
            errs.required(&format!("{p}[{i}]"), "");
        }
        if a[..i].contains(aud) {
            errs.duplicate(&format!("{p}[{i}]"), aud);
        }
    }
    let policy = issuer.audience_match_policy.as_deref().unwrap_or("");
    let pp = format!("{path}.audienceMatchPolicy");
    if a.len() > 1 && policy != "MatchAny" {
        errs.invalid(
            &pp,
            policy,
            "audienceMatchPolicy must be MatchAny for multiple audiences",
        );
    }
    if a.len() == 1 && !policy.is_empty() && policy != "MatchAny" {
        errs.invalid(
            &pp,
            policy,
            "audienceMatchPolicy must be empty or MatchAny for single audience",
        );
    }
}
