//! An `AuthenticationConfiguration` file (spec §3), decoded strictly like the API server's
//! strict decoder and validated section by section, with its field paths and texts (§3.2).

use super::file::{
    FileClaimRule, FileConfig, FileIssuer, FileJwt, FileMappings, FilePrefixed, VERSIONS,
};
use super::{ALL_ALGS, Authenticator, ClaimRule, ConfigError, Mapping, Source, Style, UserRule};

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

/// One `jwt[i]` entry, section by section, as the API server validates it.
fn validate_jwt(jwt: FileJwt, path: &str) -> Result<Authenticator, ConfigError> {
    let issuer = jwt.issuer;
    validate_issuer(&issuer, &format!("{path}.issuer"))?;
    let mappings = validate_mappings(jwt.claim_mappings, &format!("{path}.claimMappings"))?;
    let claim_rules = validate_claim_rules(jwt.claim_validation_rules, path)?;
    email_verified_rule(&mappings, &claim_rules, path)?;
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
        username: mappings.username,
        groups: mappings.groups,
        uid: mappings.uid,
        extra: mappings.extra,
        claim_rules,
        user_rules,
        signing_algs: ALL_ALGS.iter().map(|a| (*a).to_owned()).collect(),
    })
}

/// `issuer`: url, discoveryURL, audiences, audienceMatchPolicy, certificateAuthority.
fn validate_issuer(issuer: &FileIssuer, path: &str) -> Result<(), ConfigError> {
    validate_url(&format!("{path}.url"), &issuer.url)?;
    if let Some(d) = &issuer.discovery_url {
        validate_url(&format!("{path}.discoveryURL"), d)?;
        if d.trim_end_matches('/') == issuer.url.trim_end_matches('/') {
            return Err(err(
                &format!("{path}.discoveryURL"),
                format!("Invalid value: {d:?}: discoveryURL must be different from URL"),
            ));
        }
    }
    if issuer.audiences.is_empty() {
        return Err(err(
            &format!("{path}.audiences"),
            "Required value: at least one issuer.audiences is required",
        ));
    }
    for (i, a) in issuer.audiences.iter().enumerate() {
        if a.is_empty() {
            return Err(err(
                &format!("{path}.audiences[{i}]"),
                "Required value: audience can't be empty",
            ));
        }
        if issuer.audiences[..i].contains(a) {
            return Err(err(
                &format!("{path}.audiences[{i}]"),
                format!("Duplicate value: {a:?}"),
            ));
        }
    }
    match issuer.audience_match_policy.as_deref() {
        None | Some("") if issuer.audiences.len() > 1 => {
            return Err(err(
                &format!("{path}.audienceMatchPolicy"),
                "Invalid value: \"\": audienceMatchPolicy must be MatchAny for multiple audiences",
            ));
        }
        None | Some("") | Some("MatchAny") => {}
        Some(other) => {
            return Err(err(
                &format!("{path}.audienceMatchPolicy"),
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
            &format!("{path}.certificateAuthority"),
            "Invalid value: \"<omitted>\": data does not contain any valid RSA or ECDSA certificates (certificateAuthority is the PEM text, not a file path)",
        ));
    }
    Ok(())
}

/// `claimMappings`, validated.
struct Mappings {
    username: Mapping,
    groups: Option<Mapping>,
    uid: Option<Source>,
    extra: Vec<(String, String)>,
}

/// `claimMappings`: username, groups, uid and extra keys.
fn validate_mappings(m: FileMappings, path: &str) -> Result<Mappings, ConfigError> {
    let username = prefixed(&format!("{path}.username"), m.username)?;
    let groups = m
        .groups
        .filter(|g| g.claim.is_some() || g.expression.is_some() || g.prefix.is_some())
        .map(|g| prefixed(&format!("{path}.groups"), g))
        .transpose()?;
    let uid = m
        .uid
        .filter(|u| u.claim.is_some() || u.expression.is_some())
        .map(|u| source(&format!("{path}.uid"), u.claim, u.expression))
        .transpose()?;
    let mut extra = Vec::new();
    for (i, e) in m.extra.into_iter().enumerate() {
        let p = format!("{path}.extra[{i}].key");
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
    Ok(Mappings {
        username,
        groups,
        uid,
        extra,
    })
}

/// `claimValidationRules`: a required claim or an expression, never both.
fn validate_claim_rules(
    rules: Vec<FileClaimRule>,
    path: &str,
) -> Result<Vec<ClaimRule>, ConfigError> {
    let mut claim_rules = Vec::new();
    for (i, r) in rules.into_iter().enumerate() {
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
    Ok(claim_rules)
}

/// 1.30+: a username expression that reads `claims.email` must look at `email_verified`
/// somewhere.
fn email_verified_rule(
    m: &Mappings,
    claim_rules: &[ClaimRule],
    path: &str,
) -> Result<(), ConfigError> {
    if let Source::Expression(e) = &m.username.source
        && references_claim(e, "email")
    {
        let seen = references_claim(e, "email_verified")
            || m.extra.iter().any(|(_, x)| references_claim(x, "email_verified"))
            || claim_rules.iter().any(|r| matches!(r, ClaimRule::Expression { expression, .. } if references_claim(expression, "email_verified")));
        if !seen {
            return Err(err(
                &format!("{path}.claimMappings.username.expression"),
                "Invalid value: claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
            ));
        }
    }
    Ok(())
}
