//! Error kinds, exit codes, and the one classification of a provider's failure.

use super::*;
use anyhow::Context as _;

#[test]
fn the_outermost_kind_wins_and_context_keeps_it() {
    let e = Error::new(Kind::ProviderUnavailable, "GET https://idp/x: timed out");
    let e = Err::<(), _>(e).context("refreshing").unwrap_err();
    assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
    assert_eq!(format!("{e:#}"), "refreshing: GET https://idp/x: timed out");
    let e = Err::<(), _>(e).kind(Kind::LoginNeeded).unwrap_err();
    assert_eq!(kind_of(&e), Kind::LoginNeeded);
    assert_eq!(kind_of(&anyhow::anyhow!("plain")), Kind::Internal);
}

#[test]
fn exit_codes_are_distinct_and_documented() {
    let kinds = [
        Kind::Internal,
        Kind::Usage,
        Kind::Config,
        Kind::LoginNeeded,
        Kind::ProviderRefused,
        Kind::ProviderUnavailable,
        Kind::Cache,
    ];
    let mut codes: Vec<u8> = kinds.iter().map(|k| k.exit_code()).collect();
    let statuses = [ExitStatus::Unverified, ExitStatus::ConfigError];
    codes.extend(statuses.iter().map(|s| s.code()));
    let n = codes.len();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), n, "two failure classes share an exit code");
    // The README's table, parsed (issue 33: a `| N |` anywhere in the README matched 7 of the
    // 9 codes with the table deleted): its rows are exactly success and these codes.
    let readme = include_str!("../README.md");
    let section = readme
        .split("\n## Exit codes\n")
        .nth(1)
        .expect("the README has an Exit codes section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let table: Vec<u8> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.split(" |").next()?.parse().ok())
        .collect();
    codes.insert(0, 0);
    assert_eq!(table, codes, "the README's exit-code table");
}

/// The classification table (issue 19): one row per answer, the same kind wherever it
/// arrives, but for discovery, where a document that is not there means the issuer URL is
/// wrong, and the JWKS, which the provider's own document names.
#[test]
fn the_same_answer_is_the_same_kind_everywhere() {
    use Failure::*;
    use Kind::{Config, ProviderRefused as Refused, ProviderUnavailable as Unavailable};
    let oauth = |c: &str| OAuth(c.to_owned());
    let everywhere = [
        (oauth("temporarily_unavailable"), Unavailable),
        (oauth("server_error"), Unavailable),
        (oauth("slow_down"), Unavailable),
        (oauth("access_denied"), Refused),
        (oauth("invalid_grant"), Refused),
        (oauth("invalid_client"), Refused),
        (oauth("unauthorized_client"), Refused),
        (oauth("invalid_scope"), Refused),
        (oauth("invalid_request"), Refused),
        (oauth("consent_required"), Refused),
        (oauth("anything_else"), Refused),
        (oauth("expired_token"), Kind::LoginNeeded),
        (NotSent, Config),
        (UntrustedCertificate, Config),
        (Unreachable, Unavailable),
        (Timeout, Unavailable),
        (InvalidResponse, Unavailable),
        (Unsupported, Refused),
        (Status(408), Unavailable),
        (Status(429), Unavailable),
        (Status(500), Unavailable),
        (Status(502), Unavailable),
        (Status(503), Unavailable),
    ];
    let all = [
        Endpoint::Token,
        Endpoint::Callback,
        Endpoint::DeviceAuthorization,
        Endpoint::Revocation,
        Endpoint::Discovery,
        Endpoint::Jwks,
    ];
    for endpoint in all {
        for (failure, kind) in &everywhere {
            assert_eq!(
                classify(endpoint, failure),
                *kind,
                "{endpoint:?} {failure:?}"
            );
        }
    }
    let by_endpoint = [
        (Status(400), Refused, Config, Unavailable),
        (Status(401), Refused, Config, Unavailable),
        (Status(403), Refused, Config, Unavailable),
        (Status(404), Refused, Config, Unavailable),
        (NotJson, Unavailable, Config, Unavailable),
        (Verification, Refused, Config, Refused),
    ];
    for (failure, elsewhere, discovery, jwks) in by_endpoint {
        for endpoint in &all[..4] {
            assert_eq!(
                classify(*endpoint, &failure),
                elsewhere,
                "{endpoint:?} {failure:?}"
            );
        }
        assert_eq!(
            classify(Endpoint::Discovery, &failure),
            discovery,
            "{failure:?}"
        );
        assert_eq!(classify(Endpoint::Jwks, &failure), jwks, "{failure:?}");
    }
}

#[test]
fn a_provider_error_is_classified_under_context_and_hints_and_found() {
    let p = ProviderError::new(
        Endpoint::Token,
        Failure::OAuth("temporarily_unavailable".into()),
        "temporarily_unavailable (busy)",
    )
    .about(|verb| format!("the token endpoint of https://idp {verb} the login"));
    assert_eq!(
        p.to_string(),
        "the token endpoint of https://idp could not complete the login: temporarily_unavailable (busy)"
    );
    let e = anyhow::Error::from(p).context("login failed");
    assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
    let e = Error::hint(e, "try again later");
    assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
    assert_eq!(
        format!("{e:#}"),
        "login failed: the token endpoint of https://idp could not complete the login: \
         temporarily_unavailable (busy); try again later"
    );
    let found = find::<ProviderError>(&e).expect("the typed error is kept");
    assert_eq!(found.oauth_error(), Some("temporarily_unavailable"));
    let e = Error::hint_as(Kind::Config, e, "fix it");
    assert_eq!(kind_of(&e), Kind::Config);
    assert!(find::<ProviderError>(&e).is_some());
    assert!(
        format!("{e:#}").ends_with("; try again later; fix it"),
        "{e:#}"
    );
}

#[test]
fn broken_pipe_is_found_under_context() {
    let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
    let e = Err::<(), _>(io).context("writing").unwrap_err();
    assert!(is_broken_pipe(&e));
    assert!(!is_broken_pipe(&anyhow::anyhow!("x")));
}
