//! Table tests for the doctor, built from the spec (kubernetes-oidc.md §1, §2.1, §3, §5, §6,
//! §7): the replay in its order, the catalog of findings, RBAC near misses and the report.

mod catalog;
mod config;
mod replay;
mod report;

use serde_json::{Json, json};

use super::authn::{Discovery, Replay, Signature, Token, replay};
use super::config::{ApiserverFlags, Authenticator, from_authentication_config, from_flags};
use super::version::KubeVersion;

pub(super) mod serde_json {
    pub use ::serde_json::{Value as Json, json};
}

pub(super) const NOW: i64 = 1_800_000_000;
pub(super) const ISS: &str = "https://idp.example.com";

pub(super) fn token(claims: Json) -> Token {
    let mut base =
        json!({"iss": ISS, "aud": "kubernetes", "sub": "1234", "exp": NOW + 600, "iat": NOW - 10});
    for (k, v) in claims.as_object().unwrap() {
        if v.is_null() && k.starts_with('-') {
            base.as_object_mut().unwrap().remove(&k[1..]);
        } else {
            base[k] = v.clone();
        }
    }
    Token {
        header: json!({"alg": "RS256", "kid": "k1", "typ": "JWT"})
            .as_object()
            .unwrap()
            .clone(),
        claims: base.as_object().unwrap().clone(),
    }
}

/// The §7 payload.
pub(super) fn section7() -> Json {
    json!({"email": "Alice@Example.com", "email_verified": true, "groups": ["dev", "ops"]})
}

pub(super) fn flags(args: &[&str]) -> Authenticator {
    let mut f = ApiserverFlags {
        issuer_url: Some(ISS.into()),
        client_id: Some("kubernetes".into()),
        ..Default::default()
    };
    for a in args {
        let (k, v) = a.trim_start_matches("--").split_once('=').unwrap();
        assert!(f.set(k, v), "{k}");
    }
    from_flags(&f, KubeVersion::NEWEST).unwrap()
}

pub(super) fn structured(mappings: &str) -> Authenticator {
    let text = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {ISS}\n    audiences: [kubernetes]\n{mappings}"
    );
    from_authentication_config(&text, KubeVersion::NEWEST, &[])
        .unwrap()
        .remove(0)
}

pub(super) fn run(t: &Token, a: &[Authenticator]) -> Replay {
    replay(t, a, &Discovery::Ok, &Signature::Verified, NOW)
}

/// Expected outcome: Ok((username, groups after the adder)) or Err(API server error).
pub(super) type Want = Result<(&'static str, &'static [&'static str]), &'static str>;

pub(super) fn check(label: &str, t: &Token, a: Authenticator, want: Want) {
    let r = run(t, &[a]);
    match want {
        Ok((user, groups)) => {
            assert_eq!(r.error(), None, "{label}");
            let u = r.user.unwrap();
            assert_eq!(
                (
                    u.username.as_str(),
                    u.groups.iter().map(String::as_str).collect::<Vec<_>>()
                ),
                (user, groups.to_vec()),
                "{label}"
            );
        }
        Err(e) => assert_eq!(r.error(), Some(e), "{label}"),
    }
}
