//! An `AuthenticationConfiguration` file (spec §3), decoded strictly like the API server's
//! strict decoder for the release simulated, and validated as `validation.go` validates it:
//! every rule, every error collected with its field path and text, and every CEL expression
//! compiled with the release's environment (spec §3.2, §3.3).

use super::file::{FileClaimRule, FileConfig, FileIssuer, FileJwt, FileMappings, FilePrefixed};
use super::{ALL_ALGS, Authenticator, ClaimRule, ConfigError, Mapping, Source, Style, UserRule};
use crate::doctor::cel::{self, Returns, Var};
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
    let authenticators = validate(file.jwt, version, disallowed, &mut errs);
    errs.into_result(authenticators)
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

/// The API server's field errors, collected in its order.
#[derive(Default)]
pub(super) struct Errs(Vec<String>);

impl Errs {
    pub(super) fn push(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(format!("{path}: {message}"));
    }

    fn invalid(&mut self, path: &str, value: &str, detail: &str) {
        self.push(path, format!("Invalid value: {value:?}: {detail}"));
    }

    fn required(&mut self, path: &str, detail: &str) {
        match detail {
            "" => self.push(path, "Required value"),
            d => self.push(path, format!("Required value: {d}")),
        }
    }

    fn duplicate(&mut self, path: &str, value: &str) {
        self.push(path, format!("Duplicate value: {value:?}"));
    }

    /// `field.ErrorList.ToAggregate()` under the API server's prefix; the authenticators are
    /// kept in the error for callers that show what the configuration would do anyway.
    pub(super) fn into_result(
        self,
        a: Vec<Authenticator>,
    ) -> Result<Vec<Authenticator>, ConfigError> {
        let listed = match self.0.as_slice() {
            [] => return Ok(a),
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        Err(ConfigError {
            message: format!("invalid authentication configuration: {listed}"),
            partial: a,
        })
    }
}

/// `jwt[*]`: each authenticator, then duplicates across them (`ValidateAuthenticationConfiguration`).
pub(super) fn validate(
    jwts: Vec<FileJwt>,
    version: KubeVersion,
    disallowed: &[String],
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
        let a = validate_jwt(jwt, &path, version, disallowed, errs);
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
fn validate_jwt(
    jwt: FileJwt,
    path: &str,
    version: KubeVersion,
    disallowed: &[String],
    errs: &mut Errs,
) -> Authenticator {
    let issuer = jwt.issuer;
    validate_issuer(
        &issuer,
        &format!("{path}.issuer"),
        version,
        disallowed,
        errs,
    );
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
        signing_algs: ALL_ALGS.iter().map(|a| (*a).to_owned()).collect(),
    }
}

fn validate_url(path: &str, raw: &str, disallowed: &[String], errs: &mut Errs) {
    if disallowed.iter().any(|d| d == raw) {
        let mut listed = disallowed.to_vec();
        listed.sort();
        listed.dedup();
        errs.invalid(
            path,
            raw,
            &format!(
                "URL must not overlap with disallowed issuers: [{}]",
                listed.join(" ")
            ),
        );
    }
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
fn validate_issuer(
    issuer: &FileIssuer,
    path: &str,
    version: KubeVersion,
    disallowed: &[String],
    errs: &mut Errs,
) {
    if issuer.url.is_empty() {
        errs.required(&format!("{path}.url"), "");
    } else {
        validate_url(&format!("{path}.url"), &issuer.url, disallowed, errs);
    }
    if let Some(d) = issuer.discovery_url.as_deref().filter(|d| !d.is_empty()) {
        let p = format!("{path}.discoveryURL");
        if !issuer.url.is_empty() && d.trim_end_matches('/') == issuer.url.trim_end_matches('/') {
            errs.invalid(&p, d, "discoveryURL must be different from URL");
        }
        validate_url(&p, d, &[], errs);
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

/// Compile one expression; its error under the field path.
fn compiled(
    path: &str,
    e: &str,
    var: Var,
    returns: Returns,
    version: KubeVersion,
    errs: &mut Errs,
) {
    if let Err(detail) = cel::compile(e, var, returns, version) {
        errs.invalid(path, e, &detail);
    }
}

fn source(
    path: &str,
    claim: Option<String>,
    expression: Option<String>,
) -> Result<Option<Source>, String> {
    match (
        claim.filter(|c| !c.is_empty()),
        expression.filter(|e| !e.is_empty()),
    ) {
        (Some(_), Some(_)) => Err(format!(
            "{path}: Invalid value: \"\": claim and expression can't both be set"
        )),
        (Some(c), None) => Ok(Some(Source::Claim(c))),
        (None, Some(e)) => Ok(Some(Source::Expression(e))),
        (None, None) => Ok(None),
    }
}

/// A `PrefixedClaimOrExpression` (username, groups).
fn prefixed(
    m: FilePrefixed,
    path: &str,
    required: bool,
    version: KubeVersion,
    errs: &mut Errs,
) -> Option<Mapping> {
    let source = match source(path, m.claim, m.expression) {
        Err(e) => {
            errs.0.push(e);
            return None;
        }
        Ok(None) if required => {
            errs.required(path, "claim or expression is required");
            return None;
        }
        Ok(None) => return None,
        Ok(Some(s)) => s,
    };
    match (&source, &m.prefix) {
        (Source::Claim(_), None) => errs.required(
            &format!("{path}.prefix"),
            "prefix is required when claim is set. It can be set to an empty string to disable prefixing",
        ),
        (Source::Expression(e), p) => {
            if let Some(p) = p {
                errs.invalid(&format!("{path}.prefix"), p, "may not be specified when expression is set");
            }
            compiled(&format!("{path}.expression"), e, Var::Claims, Returns::Any, version, errs);
        }
        _ => {}
    }
    Some(Mapping {
        source,
        prefix: m.prefix,
    })
}

/// `claimMappings`, validated.
struct Mappings {
    username: Mapping,
    groups: Option<Mapping>,
    uid: Option<Source>,
    extra: Vec<(String, String)>,
}

/// `claimMappings`: username, groups, uid and extra.
fn mappings(m: FileMappings, path: &str, version: KubeVersion, errs: &mut Errs) -> Mappings {
    let username = prefixed(m.username, &format!("{path}.username"), true, version, errs);
    let groups = m
        .groups
        .and_then(|g| prefixed(g, &format!("{path}.groups"), false, version, errs));
    let uid = m.uid.and_then(
        |u| match source(&format!("{path}.uid"), u.claim, u.expression) {
            Err(e) => {
                errs.0.push(e);
                None
            }
            Ok(s) => {
                if let Some(Source::Expression(e)) = &s {
                    compiled(
                        &format!("{path}.uid.expression"),
                        e,
                        Var::Claims,
                        Returns::Any,
                        version,
                        errs,
                    );
                }
                s
            }
        },
    );
    let mut extra: Vec<(String, String)> = Vec::new();
    for (i, e) in m.extra.into_iter().enumerate() {
        let p = format!("{path}.extra[{i}]");
        extra_key(&e.key, &format!("{p}.key"), errs);
        if extra.iter().any(|(k, _)| *k == e.key) {
            errs.duplicate(&format!("{p}.key"), &e.key);
            continue;
        }
        if e.value_expression.is_empty() {
            errs.required(&format!("{p}.valueExpression"), "");
            continue;
        }
        compiled(
            &format!("{p}.valueExpression"),
            &e.value_expression,
            Var::Claims,
            Returns::Any,
            version,
            errs,
        );
        extra.push((e.key, e.value_expression));
    }
    Mappings {
        username: username.unwrap_or(Mapping {
            source: Source::Claim(String::new()),
            prefix: None,
        }),
        groups,
        uid,
        extra,
    }
}

/// An extra key: a lowercase domain-prefixed path outside Kubernetes' domains.
fn extra_key(key: &str, path: &str, errs: &mut Errs) {
    let (domain, rest) = key.split_once('/').unwrap_or(("", ""));
    let dns = |d: &str| {
        !d.is_empty()
            && d.len() <= 253
            && d.split('.').all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            })
    };
    if key.is_empty() {
        errs.required(path, "");
    } else if !key.contains('/') || rest.is_empty() {
        errs.invalid(
            path,
            key,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        );
    } else if !dns(domain) {
        errs.invalid(path, domain, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    if key != key.to_lowercase() {
        errs.invalid(path, key, "must be lowercase");
    }
    if ["k8s.io", "kubernetes.io"]
        .iter()
        .any(|r| domain == *r || domain.ends_with(&format!(".{r}")))
    {
        errs.invalid(
            path,
            key,
            "k8s.io, kubernetes.io and their subdomains are reserved for Kubernetes use",
        );
    }
}

/// `claimValidationRules`: a required claim or an expression, never both, no duplicates.
fn claim_rules(
    rules: Vec<FileClaimRule>,
    path: &str,
    version: KubeVersion,
    errs: &mut Errs,
) -> Vec<ClaimRule> {
    let mut out = Vec::new();
    for (i, r) in rules.into_iter().enumerate() {
        let p = format!("{path}.claimValidationRules[{i}]");
        let claim = r.claim.filter(|c| !c.is_empty());
        let expression = r.expression.filter(|e| !e.is_empty());
        match (claim, expression) {
            (Some(c), Some(_)) => errs.invalid(&p, &c, "claim and expression can't both be set"),
            (None, None) => errs.required(&p, "claim or expression is required"),
            (Some(claim), None) => {
                if let Some(m) = r.message.filter(|m| !m.is_empty()) {
                    errs.invalid(
                        &format!("{p}.message"),
                        &m,
                        "may not be specified when claim is set",
                    );
                }
                if out
                    .iter()
                    .any(|o| matches!(o, ClaimRule::Required { claim: c, .. } if *c == claim))
                {
                    errs.duplicate(&format!("{p}.claim"), &claim);
                }
                out.push(ClaimRule::Required {
                    claim,
                    value: r.required_value.unwrap_or_default(),
                });
            }
            (None, Some(expression)) => {
                if let Some(v) = r.required_value.filter(|v| !v.is_empty()) {
                    errs.invalid(
                        &format!("{p}.requiredValue"),
                        &v,
                        "may not be specified when expression is set",
                    );
                }
                if out.iter().any(|o| matches!(o, ClaimRule::Expression { expression: e, .. } if *e == expression)) {
                    errs.duplicate(&format!("{p}.expression"), &expression);
                    continue;
                }
                compiled(
                    &format!("{p}.expression"),
                    &expression,
                    Var::Claims,
                    Returns::Bool,
                    version,
                    errs,
                );
                out.push(ClaimRule::Expression {
                    expression,
                    message: r.message.unwrap_or_default(),
                });
            }
        }
    }
    out
}

/// `userValidationRules`: expressions over `user`, no duplicates.
fn user_rules(
    rules: Vec<super::file::FileUserRule>,
    path: &str,
    version: KubeVersion,
    errs: &mut Errs,
) -> Vec<UserRule> {
    let mut out: Vec<UserRule> = Vec::new();
    for (i, r) in rules.into_iter().enumerate() {
        let p = format!("{path}.userValidationRules[{i}].expression");
        if r.expression.is_empty() {
            errs.required(&p, "");
            continue;
        }
        if out.iter().any(|o| o.expression == r.expression) {
            errs.duplicate(&p, &r.expression);
            continue;
        }
        compiled(&p, &r.expression, Var::User, Returns::Bool, version, errs);
        out.push(UserRule {
            expression: r.expression,
            message: r.message.unwrap_or_default(),
        });
    }
    out
}

/// 1.30+: a username expression that selects `claims.email` must select
/// `claims.email_verified` somewhere (the username expression, an extra, a claim rule).
fn email_verified_rule(m: &Mappings, claim_rules: &[ClaimRule], path: &str, errs: &mut Errs) {
    let Source::Expression(e) = &m.username.source else {
        return;
    };
    if !cel::selects_claim(e, "email") {
        return;
    }
    let seen = cel::selects_claim(e, "email_verified")
        || m.extra.iter().any(|(_, x)| cel::selects_claim(x, "email_verified"))
        || claim_rules.iter().any(|r| matches!(r, ClaimRule::Expression { expression, .. } if cel::selects_claim(expression, "email_verified")));
    if !seen {
        errs.invalid(
            &format!("{path}.claimMappings.username.expression"),
            e,
            "claims.email_verified must be used in claimMappings.username.expression or claimMappings.extra[*].valueExpression or claimValidationRules[*].expression when claims.email is used in claimMappings.username.expression",
        );
    }
}
