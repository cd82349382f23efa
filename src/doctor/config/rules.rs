//! The rules of `validation.go` for what a `jwt` authenticator maps and checks: claim
//! mappings (username, groups, uid, extra), claim and user validation rules, and the
//! email_verified rule; every CEL expression compiled with the release's environment.

use super::errs::Errs;
use super::file::{FileClaimRule, FileExtra, FileMappings, FilePrefixed, FileUserRule};
use super::{ClaimRule, Mapping, Source, UserRule};
use crate::doctor::cel::{self, Returns, Var};
use crate::doctor::version::KubeVersion;

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
pub(super) struct Mappings {
    pub(super) username: Mapping,
    pub(super) groups: Option<Mapping>,
    pub(super) uid: Option<Source>,
    pub(super) extra: Vec<(String, String)>,
}

/// `claimMappings`: username, groups, uid and extra.
pub(super) fn mappings(
    m: FileMappings,
    path: &str,
    version: KubeVersion,
    errs: &mut Errs,
) -> Mappings {
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
    let extra = extras(m.extra, path, version, errs);
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

/// `claimMappings.extra`: valid keys, each once, each with an expression that compiles.
fn extras(
    mappings: Vec<FileExtra>,
    path: &str,
    version: KubeVersion,
    errs: &mut Errs,
) -> Vec<(String, String)> {
    let mut extra: Vec<(String, String)> = Vec::new();
    for (i, e) in mappings.into_iter().enumerate() {
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
        let at = format!("{p}.valueExpression");
        compiled(
            &at,
            &e.value_expression,
            Var::Claims,
            Returns::Any,
            version,
            errs,
        );
        extra.push((e.key, e.value_expression));
    }
    extra
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
pub(super) fn claim_rules(
    rules: Vec<FileClaimRule>,
    path: &str,
    version: KubeVersion,
    errs: &mut Errs,
) -> Vec<ClaimRule> {
    let mut out = Vec::new();
    for (i, r) in rules.into_iter().enumerate() {
        let p = format!("{path}.claimValidationRules[{i}]");
        if let Some(rule) = claim_rule(r, &p, &out, version, errs) {
            out.push(rule);
        }
    }
    out
}

/// One claim validation rule, given the ones before it (`None` when it is not kept).
fn claim_rule(
    r: FileClaimRule,
    p: &str,
    before: &[ClaimRule],
    version: KubeVersion,
    errs: &mut Errs,
) -> Option<ClaimRule> {
    let claim = r.claim.filter(|c| !c.is_empty());
    match (claim, r.expression.filter(|e| !e.is_empty())) {
        (Some(c), Some(_)) => errs.invalid(p, &c, "claim and expression can't both be set"),
        (None, None) => errs.required(p, "claim or expression is required"),
        (Some(claim), None) => {
            if let Some(m) = r.message.filter(|m| !m.is_empty()) {
                let at = format!("{p}.message");
                errs.invalid(&at, &m, "may not be specified when claim is set");
            }
            if before
                .iter()
                .any(|o| matches!(o, ClaimRule::Required { claim: c, .. } if *c == claim))
            {
                errs.duplicate(&format!("{p}.claim"), &claim);
            }
            let value = r.required_value.unwrap_or_default();
            return Some(ClaimRule::Required { claim, value });
        }
        (None, Some(expression)) => {
            if let Some(v) = r.required_value.filter(|v| !v.is_empty()) {
                let at = format!("{p}.requiredValue");
                errs.invalid(&at, &v, "may not be specified when expression is set");
            }
            let seen = |o: &ClaimRule| matches!(o, ClaimRule::Expression { expression: e, .. } if *e == expression);
            if before.iter().any(seen) {
                errs.duplicate(&format!("{p}.expression"), &expression);
                return None;
            }
            let at = format!("{p}.expression");
            compiled(&at, &expression, Var::Claims, Returns::Bool, version, errs);
            let message = r.message.unwrap_or_default();
            return Some(ClaimRule::Expression {
                expression,
                message,
            });
        }
    }
    None
}

/// `userValidationRules`: expressions over `user`, no duplicates.
pub(super) fn user_rules(
    rules: Vec<FileUserRule>,
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
pub(super) fn email_verified_rule(
    m: &Mappings,
    claim_rules: &[ClaimRule],
    path: &str,
    errs: &mut Errs,
) {
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
