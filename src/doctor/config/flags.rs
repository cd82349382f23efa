//! The legacy kube-apiserver `--oidc-*` flags (spec §2.1) and their translation (§2.3).

use super::errs::Errs;
use super::file::{FileClaimRule, FileIssuer, FileJwt, FileMappings, FilePrefixed};
use super::structured::validate;
use super::{Authenticator, ConfigError, Style};
use crate::doctor::version::KubeVersion;

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
    /// `--service-account-issuer` (repeatable): issuers no JWT authenticator may have.
    pub service_account_issuers: Vec<String>,
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
            "service-account-issuer" => self.service_account_issuers.push(value.to_owned()),
            _ => return false,
        }
        true
    }

    /// The `--oidc-*` flags and `--authentication-config` path of the kube-apiserver pod in a
    /// pod list (label component=kube-apiserver in kube-system, catalog row 23).
    pub fn from_pod(pods: &serde_json::Value) -> Result<(Self, Option<String>), String> {
        let container = &pods["items"][0]["spec"]["containers"][0];
        if container.is_null() {
            return Err("no kube-apiserver pod (label component=kube-apiserver) in kube-system; managed clusters hide it: pass the flags or --authentication-config".into());
        }
        let argv = container["command"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(container["args"].as_array().into_iter().flatten())
            .filter_map(serde_json::Value::as_str);
        let mut flags = Self::default();
        let mut auth_config = None;
        for a in argv {
            let Some((k, v)) = a.strip_prefix("--").and_then(|a| a.split_once('=')) else {
                continue;
            };
            if k == "authentication-config" {
                auth_config = Some(v.to_owned());
            } else {
                flags.set(k, v);
            }
        }
        Ok((flags, auth_config))
    }

    /// The flags as kube-apiserver's command line would show them.
    pub fn describe(&self) -> String {
        let mut shown = vec![
            format!(
                "--oidc-issuer-url={}",
                self.issuer_url.as_deref().unwrap_or("")
            ),
            format!(
                "--oidc-client-id={}",
                self.client_id.as_deref().unwrap_or("")
            ),
        ];
        for (name, v) in [
            ("username-claim", &self.username_claim),
            ("username-prefix", &self.username_prefix),
            ("groups-claim", &self.groups_claim),
            ("groups-prefix", &self.groups_prefix),
            ("signing-algs", &self.signing_algs),
        ] {
            if let Some(v) = v {
                shown.push(format!("--oidc-{name}={v}"));
            }
        }
        shown.extend(
            self.required_claims
                .iter()
                .map(|c| format!("--oidc-required-claim={c}")),
        );
        shown.extend(
            self.service_account_issuers
                .iter()
                .map(|i| format!("--service-account-issuer={i}")),
        );
        shown.join(" ")
    }
}

/// The flags as the API server reads them (spec §2.3, `ToAuthenticationConfig`): translated to
/// one `jwt` authenticator and validated by the same rules as a configuration file, under the
/// same message (`invalid authentication configuration: jwt[0].issuer.url: ...`). The
/// `--oidc-ca-file` stays a path (its contents are the API server host's).
pub fn from_flags(f: &ApiserverFlags, version: KubeVersion) -> Result<Authenticator, ConfigError> {
    // In kube-apiserver's order: the flags parsed (--oidc-required-claim's pairs), the
    // options validated (issuer and client together), the translation validated, then each
    // authenticator built (`build_checks`: service-account issuers, signing algorithms).
    let required = required_claims(f)?;
    let jwt = translated(f, required)?;
    let mut errs = Errs::default();
    let mut authenticators = validate(vec![jwt], version, &mut errs);
    for a in &mut authenticators {
        a.style = Style::Flags;
        a.certificate_authority = f.ca_file.clone();
        a.signing_algs = signing_algs(f);
        if let Some(g) = &mut a.groups {
            g.prefix = f.groups_prefix.clone();
        }
    }
    errs.into_result(authenticators)
        .and_then(|a| super::build_checks(a, &f.service_account_issuers))
        .map(|mut a| a.remove(0))
        .map_err(|mut e| {
            for a in &mut e.partial {
                a.style = Style::Flags;
            }
            e
        })
}

/// `ToAuthenticationConfig`'s translation of the flags into one `jwt` authenticator.
fn translated(f: &ApiserverFlags, required: Vec<FileClaimRule>) -> Result<FileJwt, ConfigError> {
    let (issuer, client_id) = match (&f.issuer_url, &f.client_id) {
        (Some(i), Some(c)) if !i.is_empty() && !c.is_empty() => (i.clone(), c.clone()),
        _ => {
            return Err(ConfigError::new(
                "oidc-issuer-url and oidc-client-id must be specified together when any oidc-* flags are set",
            ));
        }
    };
    let username_claim = f.username_claim.clone().unwrap_or_else(|| "sub".into());
    let prefix = match f.username_prefix.as_deref() {
        None | Some("") if username_claim != "email" => format!("{issuer}#"),
        None | Some("") | Some("-") => String::new(),
        Some(p) => p.to_owned(),
    };
    let claimed = |claim: String, prefix: String| FilePrefixed {
        claim: Some(claim),
        expression: None,
        prefix: Some(prefix),
    };
    Ok(FileJwt {
        issuer: FileIssuer {
            url: issuer,
            audiences: vec![client_id],
            ..FileIssuer::default()
        },
        claim_validation_rules: required,
        claim_mappings: FileMappings {
            username: claimed(username_claim, prefix),
            groups: f
                .groups_claim
                .as_ref()
                .map(|c| claimed(c.clone(), f.groups_prefix.clone().unwrap_or_default())),
            uid: None,
            extra: Vec::new(),
        },
        user_validation_rules: Vec::new(),
    })
}

/// `--oidc-required-claim key=value` as claim validation rules, parsed as the flag's
/// `MapStringString` (no split) parses each: at the first `=`, key and value trimmed, a later
/// value of a key replacing an earlier one.
fn required_claims(f: &ApiserverFlags) -> Result<Vec<FileClaimRule>, ConfigError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for kv in &f.required_claims {
        let (k, v) = kv.split_once('=').ok_or_else(|| {
            ConfigError::new(format!(
                "invalid argument {kv:?} for \"--oidc-required-claim\" flag: malformed pair, expect string=string"
            ))
        })?;
        let (k, v) = (k.trim().to_owned(), v.trim().to_owned());
        match pairs.iter_mut().find(|(key, _)| *key == k) {
            Some(pair) => pair.1 = v,
            None => pairs.push((k, v)),
        }
    }
    Ok(pairs
        .into_iter()
        .map(|(k, v)| FileClaimRule {
            claim: Some(k),
            required_value: Some(v),
            expression: None,
            message: None,
        })
        .collect())
}

/// `--oidc-signing-algs` (a string slice: split at commas; RS256 by default).
fn signing_algs(f: &ApiserverFlags) -> Vec<String> {
    match &f.signing_algs {
        None => vec!["RS256".into()],
        Some(s) => s.split(',').map(str::to_owned).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::config::{ClaimRule, Source};

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
            let a = from_flags(&flags(extra), KubeVersion::NEWEST).unwrap();
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
            from_flags(&f, KubeVersion::NEWEST)
                .unwrap_err()
                .message
                .contains("must be specified together")
        );
        let e = from_flags(
            &flags(&[("signing-algs", "RS256,HS256")]),
            KubeVersion::NEWEST,
        )
        .unwrap_err();
        assert_eq!(e.message, "oidc: unsupported signing alg: \"HS256\"");
        let a = from_flags(
            &flags(&[("required-claim", "hd=example.com=x")]),
            KubeVersion::NEWEST,
        )
        .unwrap();
        assert_eq!(
            a.claim_rules,
            vec![ClaimRule::Required {
                claim: "hd".into(),
                value: "example.com=x".into()
            }]
        );
    }
}
