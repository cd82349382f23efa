//! PURE. How the API server is configured for JWT authentication, from either the legacy
//! `--oidc-*` flags (spec §2, translated as in §2.3) or an `AuthenticationConfiguration`
//! (spec §3, apiserver.config.k8s.io v1alpha1/v1beta1/v1), with the API server's own
//! validation rules and error texts.

use serde::Deserialize;

use super::findings::{Finding, Severity};

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

/// The kube-apiserver flags, as strings (spec §2.1).
#[derive(Debug, Clone, Default)]
pub struct ApiserverFlags {
    pub issuer_url: Option<String>,
    pub client_id: Option<String>,
    pub username_claim: Option<String>,
    pub username_prefix: Option<String>,
    pub groups_claim: Option<String>,
    pub groups_prefix: Option<String>,
    pub required_claims: Vec<String>,
    pub signing_algs: Option<String>,
    pub ca_file: Option<String>,
}

impl ApiserverFlags {
    /// Set one kube-apiserver flag by its name without dashes (`oidc-username-claim`);
    /// `false` when it is not one of the `--oidc-*` flags.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let v = Some(value.to_owned());
        match name {
            "oidc-issuer-url" => self.issuer_url = v,
            "oidc-client-id" => self.client_id = v,
            "oidc-username-claim" => self.username_claim = v,
            "oidc-username-prefix" => self.username_prefix = v,
            "oidc-groups-claim" => self.groups_claim = v,
            "oidc-groups-prefix" => self.groups_prefix = v,
            "oidc-required-claim" => self.required_claims.push(value.to_owned()),
            "oidc-signing-algs" => self.signing_algs = v,
            "oidc-ca-file" => self.ca_file = v,
            _ => return false,
        }
        true
    }
}

/// An unusable configuration: what the API server would say at startup.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Translate the legacy flags exactly as kube-apiserver does (spec §2.3), with its defaults:
/// username claim `sub`, and the `<issuer>#` prefix unless the claim is `email` or the
/// prefix is `-`.
pub fn from_flags(f: &ApiserverFlags) -> Result<Authenticator, ConfigError> {
    let (issuer, client_id) = match (&f.issuer_url, &f.client_id) {
        (Some(i), Some(c)) if !i.is_empty() && !c.is_empty() => (i.clone(), c.clone()),
        _ => {
            return Err(ConfigError(
                "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set"
                    .into(),
            ));
        }
    };
    let username_claim = f.username_claim.clone().unwrap_or_else(|| "sub".into());
    let prefix = match f.username_prefix.as_deref() {
        None | Some("") if username_claim != "email" => format!("{issuer}#"),
        None | Some("") | Some("-") => String::new(),
        Some(p) => p.to_owned(),
    };
    let mut claim_rules = Vec::new();
    for kv in &f.required_claims {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            ConfigError(format!(
                "--oidc-required-claim {kv:?} is not of the form key=value"
            ))
        })?;
        claim_rules.push(ClaimRule::Required {
            claim: k.to_owned(),
            value: v.to_owned(),
        });
    }
    let signing_algs: Vec<String> = match &f.signing_algs {
        None => vec!["RS256".into()],
        Some(s) => s.split(',').map(|a| a.trim().to_owned()).collect(),
    };
    for alg in &signing_algs {
        if !ALL_ALGS.contains(&alg.as_str()) {
            return Err(ConfigError(format!("oidc: unsupported signing alg: {alg}")));
        }
    }
    Ok(Authenticator {
        style: Style::Flags,
        issuer_url: issuer,
        discovery_url: None,
        certificate_authority: f.ca_file.clone(),
        audiences: vec![client_id],
        username: Mapping {
            source: Source::Claim(username_claim),
            prefix: Some(prefix),
        },
        groups: f.groups_claim.as_ref().map(|c| Mapping {
            source: Source::Claim(c.clone()),
            prefix: f.groups_prefix.clone(),
        }),
        uid: None,
        extra: Vec::new(),
        claim_rules,
        user_rules: Vec::new(),
        signing_algs,
    })
}

// The file format, decoded strictly like the API server's strict decoder.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileConfig {
    api_version: String,
    kind: String,
    #[serde(default)]
    jwt: Vec<FileJwt>,
    /// Decoded so that the strict decoder accepts it; anonymous auth is not replayed.
    #[serde(default)]
    #[expect(dead_code, reason = "accepted, not replayed")]
    anonymous: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileJwt {
    issuer: FileIssuer,
    #[serde(default)]
    claim_validation_rules: Vec<FileClaimRule>,
    claim_mappings: FileMappings,
    #[serde(default)]
    user_validation_rules: Vec<FileUserRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileIssuer {
    url: String,
    #[serde(default, rename = "discoveryURL")]
    discovery_url: Option<String>,
    #[serde(default)]
    certificate_authority: Option<String>,
    #[serde(default)]
    audiences: Vec<String>,
    #[serde(default)]
    audience_match_policy: Option<String>,
    /// Routes the API server's fetches (1.34+); no effect on the replay.
    #[serde(default)]
    #[expect(dead_code, reason = "accepted, not replayed")]
    egress_selector_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileClaimRule {
    #[serde(default)]
    claim: Option<String>,
    #[serde(default)]
    required_value: Option<String>,
    #[serde(default)]
    expression: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileMappings {
    username: FilePrefixed,
    #[serde(default)]
    groups: Option<FilePrefixed>,
    #[serde(default)]
    uid: Option<FileSource>,
    #[serde(default)]
    extra: Vec<FileExtra>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilePrefixed {
    #[serde(default)]
    claim: Option<String>,
    #[serde(default)]
    expression: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSource {
    #[serde(default)]
    claim: Option<String>,
    #[serde(default)]
    expression: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileExtra {
    key: String,
    value_expression: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileUserRule {
    expression: String,
    #[serde(default)]
    message: Option<String>,
}

const VERSIONS: [&str; 3] = [
    "apiserver.config.k8s.io/v1alpha1",
    "apiserver.config.k8s.io/v1beta1",
    "apiserver.config.k8s.io/v1",
];

/// Parse and validate an AuthenticationConfiguration (YAML or JSON). Validation errors carry
/// the field path and the API server's text (spec §3.2).
pub fn from_authentication_config(text: &str) -> Result<Vec<Authenticator>, ConfigError> {
    let file: FileConfig = serde_saphyr::from_str(text)
        .map_err(|e| ConfigError(format!("not a valid AuthenticationConfiguration: {e}")))?;
    if !VERSIONS.contains(&file.api_version.as_str()) {
        return Err(ConfigError(format!(
            "apiVersion {:?} is not one of {}",
            file.api_version,
            VERSIONS.join(", ")
        )));
    }
    if file.kind != "AuthenticationConfiguration" {
        return Err(ConfigError(format!(
            "kind {:?} is not AuthenticationConfiguration",
            file.kind
        )));
    }
    let alpha = file.api_version.ends_with("v1alpha1");
    if alpha && file.jwt.len() > 1 {
        return Err(ConfigError(
            "jwt: Too many: only one jwt authenticator is allowed in v1alpha1".into(),
        ));
    }
    if file.jwt.len() > 64 {
        return Err(ConfigError(
            "jwt: Too many: must have at most 64 items".into(),
        ));
    }
    let mut out = Vec::new();
    for (i, jwt) in file.jwt.into_iter().enumerate() {
        let path = format!("jwt[{i}]");
        if out
            .iter()
            .any(|a: &Authenticator| a.issuer_url == jwt.issuer.url)
        {
            return Err(ConfigError(format!(
                "{path}.issuer.url: Duplicate value: {:?}",
                jwt.issuer.url
            )));
        }
        out.push(validate_jwt(jwt, &path)?);
    }
    Ok(out)
}

fn err(path: &str, message: impl std::fmt::Display) -> ConfigError {
    ConfigError(format!("{path}: {message}"))
}

fn validate_url(path: &str, raw: &str) -> Result<(), ConfigError> {
    let u = url::Url::parse(raw).map_err(|e| err(path, format!("Invalid value: {raw:?}: {e}")))?;
    if u.scheme() != "https" {
        return Err(err(
            path,
            format!("Invalid value: {raw:?}: URL scheme must be https"),
        ));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(err(
            path,
            format!("Invalid value: {raw:?}: URL must not contain a username or password"),
        ));
    }
    if u.query().is_some() {
        return Err(err(
            path,
            format!("Invalid value: {raw:?}: URL must not contain a query"),
        ));
    }
    if u.fragment().is_some() {
        return Err(err(
            path,
            format!("Invalid value: {raw:?}: URL must not contain a fragment"),
        ));
    }
    Ok(())
}

fn source(
    path: &str,
    claim: Option<String>,
    expression: Option<String>,
) -> Result<Source, ConfigError> {
    match (
        claim.filter(|c| !c.is_empty()),
        expression.filter(|e| !e.is_empty()),
    ) {
        (Some(_), Some(_)) => Err(err(
            path,
            "Invalid value: \"\": claim and expression can't both be set",
        )),
        (Some(c), None) => Ok(Source::Claim(c)),
        (None, Some(e)) => Ok(Source::Expression(e)),
        (None, None) => Err(err(path, "Required value: claim or expression is required")),
    }
}

fn prefixed(path: &str, m: FilePrefixed) -> Result<Mapping, ConfigError> {
    let source = source(path, m.claim, m.expression)?;
    match (&source, &m.prefix) {
        (Source::Claim(_), None) => Err(err(
            &format!("{path}.prefix"),
            "Required value: prefix is required when claim is set. It can be set to an empty string to disable prefixing",
        )),
        (Source::Expression(_), Some(_)) => Err(err(
            &format!("{path}.prefix"),
            "Invalid value: prefix can't be set when expression is set",
        )),
        _ => Ok(Mapping {
            source,
            prefix: m.prefix,
        }),
    }
}

/// Does a CEL expression read `claims.<name>` (or `claims["<name>"]`)? A textual check, as
/// the API server's own email_verified rule is a check on the compiled references.
pub fn references_claim(expression: &str, name: &str) -> bool {
    let dotted = format!("claims.{name}");
    let optional = format!("claims.?{name}");
    let indexed = [format!("claims[\"{name}\"]"), format!("claims['{name}']")];
    let ident = |rest: &str| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    [dotted, optional].iter().any(|p| {
        expression
            .match_indices(p.as_str())
            .any(|(i, m)| ident(&expression[i + m.len()..]))
    }) || indexed.iter().any(|p| expression.contains(p.as_str()))
}

fn validate_jwt(jwt: FileJwt, path: &str) -> Result<Authenticator, ConfigError> {
    let issuer = jwt.issuer;
    validate_url(&format!("{path}.issuer.url"), &issuer.url)?;
    if let Some(d) = &issuer.discovery_url {
        validate_url(&format!("{path}.issuer.discoveryURL"), d)?;
        if d.trim_end_matches('/') == issuer.url.trim_end_matches('/') {
            return Err(err(
                &format!("{path}.issuer.discoveryURL"),
                format!("Invalid value: {d:?}: discoveryURL must be different from URL"),
            ));
        }
    }
    if issuer.audiences.is_empty() {
        return Err(err(
            &format!("{path}.issuer.audiences"),
            "Required value: at least one issuer.audiences is required",
        ));
    }
    for (i, a) in issuer.audiences.iter().enumerate() {
        if a.is_empty() {
            return Err(err(
                &format!("{path}.issuer.audiences[{i}]"),
                "Required value: audience can't be empty",
            ));
        }
        if issuer.audiences[..i].contains(a) {
            return Err(err(
                &format!("{path}.issuer.audiences[{i}]"),
                format!("Duplicate value: {a:?}"),
            ));
        }
    }
    match issuer.audience_match_policy.as_deref() {
        None | Some("") if issuer.audiences.len() > 1 => {
            return Err(err(
                &format!("{path}.issuer.audienceMatchPolicy"),
                "Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences",
            ));
        }
        None | Some("") | Some("MatchAny") => {}
        Some(other) => {
            return Err(err(
                &format!("{path}.issuer.audienceMatchPolicy"),
                format!(
                    "Invalid value: {other:?}: audienceMatchPolicy must be empty or MatchAny for single audience and MatchAny for multiple audiences"
                ),
            ));
        }
    }
    if let Some(ca) = &issuer.certificate_authority
        && !ca.contains("-----BEGIN CERTIFICATE-----")
    {
        return Err(err(
            &format!("{path}.issuer.certificateAuthority"),
            "Invalid value: \"<omitted>\": data does not contain any valid RSA or ECDSA certificates (certificateAuthority is the PEM text, not a file path)",
        ));
    }
    let m = jwt.claim_mappings;
    let username = prefixed(&format!("{path}.claimMappings.username"), m.username)?;
    let groups = m
        .groups
        .filter(|g| g.claim.is_some() || g.expression.is_some() || g.prefix.is_some())
        .map(|g| prefixed(&format!("{path}.claimMappings.groups"), g))
        .transpose()?;
    let uid = m
        .uid
        .filter(|u| u.claim.is_some() || u.expression.is_some())
        .map(|u| source(&format!("{path}.claimMappings.uid"), u.claim, u.expression))
        .transpose()?;
    let mut extra = Vec::new();
    for (i, e) in m.extra.into_iter().enumerate() {
        let p = format!("{path}.claimMappings.extra[{i}].key");
        let domain = e.key.split('/').next().unwrap_or("");
        if !e.key.contains('/') {
            return Err(err(
                &p,
                format!(
                    "Invalid value: {:?}: must be a domain-prefixed path (such as \"acme.io/foo\")",
                    e.key
                ),
            ));
        }
        if e.key != e.key.to_lowercase() {
            return Err(err(
                &p,
                format!("Invalid value: {:?}: key must be lowercase", e.key),
            ));
        }
        if ["k8s.io", "kubernetes.io"]
            .iter()
            .any(|r| domain == *r || domain.ends_with(&format!(".{r}")))
        {
            return Err(err(
                &p,
                format!(
                    "Invalid value: {:?}: k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
                    e.key
                ),
            ));
        }
        if extra.iter().any(|(k, _): &(String, String)| *k == e.key) {
            return Err(err(&p, format!("Duplicate value: {:?}", e.key)));
        }
        extra.push((e.key, e.value_expression));
    }
    let mut claim_rules = Vec::new();
    for (i, r) in jwt.claim_validation_rules.into_iter().enumerate() {
        let p = format!("{path}.claimValidationRules[{i}]");
        claim_rules.push(match (r.claim, r.expression) {
            (Some(_), Some(_)) => {
                return Err(err(
                    &p,
                    "Invalid value: \"\": claim and expression can't both be set",
                ));
            }
            (Some(claim), None) => {
                if r.message.is_some() {
                    return Err(err(
                        &format!("{p}.message"),
                        "Invalid value: message can't be set when claim is set",
                    ));
                }
                ClaimRule::Required {
                    claim,
                    value: r.required_value.unwrap_or_default(),
                }
            }
            (None, Some(expression)) => {
                if r.required_value.is_some() {
                    return Err(err(
                        &format!("{p}.requiredValue"),
                        "Invalid value: requiredValue can't be set when expression is set",
                    ));
                }
                ClaimRule::Expression {
                    expression,
                    message: r.message.unwrap_or_default(),
                }
            }
            (None, None) => return Err(err(&p, "Required value: claim or expression is required")),
        });
    }
    // 1.30+: an email username expression must look at email_verified somewhere.
    if let Source::Expression(e) = &username.source
        && references_claim(e, "email")
    {
        let seen = references_claim(e, "email_verified")
            || extra.iter().any(|(_, x)| references_claim(x, "email_verified"))
            || claim_rules.iter().any(|r| matches!(r, ClaimRule::Expression { expression, .. } if references_claim(expression, "email_verified")));
        if !seen {
            return Err(err(
                &format!("{path}.claimMappings.username.expression"),
                "Invalid value: claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
            ));
        }
    }
    let user_rules = jwt
        .user_validation_rules
        .into_iter()
        .map(|r| UserRule {
            expression: r.expression,
            message: r.message.unwrap_or_default(),
        })
        .collect();
    Ok(Authenticator {
        style: Style::Structured,
        issuer_url: issuer.url,
        discovery_url: issuer.discovery_url,
        certificate_authority: issuer.certificate_authority,
        audiences: issuer.audiences,
        username,
        groups,
        uid,
        extra,
        claim_rules,
        user_rules,
        signing_algs: ALL_ALGS.iter().map(|a| (*a).to_owned()).collect(),
    })
}

/// Findings about a configuration that starts but is risky (spec §6 rows 3, 24, 25 are hard
/// errors above; this is the soft part).
pub fn config_findings(a: &Authenticator) -> Vec<Finding> {
    let mut out = Vec::new();
    if a.style == Style::Flags && !a.issuer_url.starts_with("https://") {
        out.push(Finding::new(
            "http-issuer",
            Severity::Error,
            format!("the issuer {} is not https; kube-apiserver refuses to start with it (URL scheme must be https)", a.issuer_url),
            "serve the provider over https and use that URL in --oidc-issuer-url",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(extra: &[(&str, &str)]) -> ApiserverFlags {
        let mut f = ApiserverFlags {
            issuer_url: Some("https://idp.example.com".into()),
            client_id: Some("kubernetes".into()),
            ..Default::default()
        };
        for (k, v) in extra {
            assert!(f.set(&format!("oidc-{k}"), v), "{k}");
        }
        f
    }

    /// spec §2.1: the username prefix defaults.
    #[test]
    fn legacy_username_prefix_defaults() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Case] = &[
            (&[], "sub", "https://idp.example.com#"),
            (&[("username-claim", "email")], "email", ""),
            (
                &[("username-claim", "email"), ("username-prefix", "oidc:")],
                "email",
                "oidc:",
            ),
            (&[("username-prefix", "-")], "sub", ""),
            (
                &[("username-claim", "email"), ("username-prefix", "-")],
                "email",
                "",
            ),
            (
                &[("username-claim", "preferred_username")],
                "preferred_username",
                "https://idp.example.com#",
            ),
        ];
        for (extra, claim, prefix) in cases {
            let a = from_flags(&flags(extra)).unwrap();
            assert_eq!(
                a.username.source,
                Source::Claim((*claim).into()),
                "{extra:?}"
            );
            assert_eq!(a.username.prefix.as_deref(), Some(*prefix), "{extra:?}");
            assert_eq!(a.signing_algs, vec!["RS256"]);
            assert_eq!(a.audiences, vec!["kubernetes"]);
        }
    }

    #[test]
    fn legacy_flag_errors_use_the_apiserver_text() {
        let mut f = flags(&[]);
        f.client_id = None;
        assert!(
            from_flags(&f)
                .unwrap_err()
                .0
                .contains("must be specified together")
        );
        let e = from_flags(&flags(&[("signing-algs", "RS256,HS256")])).unwrap_err();
        assert_eq!(e.0, "oidc: unsupported signing alg: HS256");
        let a = from_flags(&flags(&[("required-claim", "hd=example.com=x")])).unwrap();
        assert_eq!(
            a.claim_rules,
            vec![ClaimRule::Required {
                claim: "hd".into(),
                value: "example.com=x".into()
            }]
        );
    }

    const BASE: &str = "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [kubernetes]\n";

    /// spec §3.2: the validation rules and their texts.
    #[test]
    fn structured_config_validation() {
        let cases: &[(&str, &str)] = &[
            (
                "  claimMappings:\n    username: {claim: sub}\n",
                "prefix is required when claim is set. It can be set to an empty string to disable prefixing",
            ),
            (
                "  claimMappings:\n    username: {claim: sub, expression: claims.sub}\n",
                "claim and expression can't both be set",
            ),
            (
                "  claimMappings:\n    username: {}\n",
                "claim or expression is required",
            ),
            (
                "  claimMappings:\n    username: {expression: claims.email}\n",
                "claims.email_verified must be used in claimMappings.username.expression",
            ),
            (
                "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n    extra:\n    - key: kubernetes.io/x\n      valueExpression: claims.x\n",
                "k8s.io, kubernetes.io and their subdomains are reserved",
            ),
            (
                "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n  unknownField: 1\n",
                "unknownField",
            ),
        ];
        for (tail, want) in cases {
            let e = from_authentication_config(&format!("{BASE}{tail}")).unwrap_err();
            assert!(e.0.contains(want), "{tail}: {e}");
        }
        let multi = "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: https://idp.example.com\n    audiences: [a, b]\n  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
        assert!(
            from_authentication_config(multi)
                .unwrap_err()
                .0
                .contains("audienceMatchPolicy must be MatchAny for multiple audiences")
        );
        let http = BASE.replace("https://idp", "http://idp")
            + "  claimMappings:\n    username: {claim: sub, prefix: \"\"}\n";
        assert!(
            from_authentication_config(&http)
                .unwrap_err()
                .0
                .contains("URL scheme must be https")
        );
        let ok = format!(
            "{BASE}  claimMappings:\n    username:\n      expression: 'claims.email'\n  claimValidationRules:\n  - expression: 'claims.?email_verified.orValue(true) == true'\n"
        );
        let a = &from_authentication_config(&ok).unwrap()[0];
        assert_eq!(a.signing_algs.len(), 9);
        assert_eq!(a.style, Style::Structured);
    }

    #[test]
    fn claim_references() {
        assert!(references_claim("claims.email", "email"));
        assert!(!references_claim("claims.email_verified", "email"));
        assert!(references_claim(
            "claims.?email_verified.orValue(true)",
            "email_verified"
        ));
        assert!(references_claim("claims[\"email\"] + ':x'", "email"));
        assert!(!references_claim("claims.emails", "email"));
    }
}
