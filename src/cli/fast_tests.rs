//! The fast parser knows exactly clap's flags, and never disagrees with clap.
#![allow(
    clippy::disallowed_methods,
    reason = "the fast parser is tested against the real environment"
)]

use std::ffi::OsString;

use clap::CommandFactory as _;

use super::*;
use crate::cli::{GetTokenOnly, parse_get_token};

#[test]
fn knows_exactly_claps_flags_and_their_variables() {
    let cmd = GetTokenOnly::command();
    let mut clap_flags: Vec<(String, bool)> = cmd
        .get_arguments()
        .filter_map(|a| Some((a.get_long()?.to_owned(), a.get_env().is_some())))
        .filter(|(l, _)| !["help", "verbose", "show-config"].contains(&l.as_str()))
        .collect();
    clap_flags.sort();
    let mut ours: Vec<(String, bool)> = FLAGS.iter().map(|(n, _, e)| (n.to_string(), *e)).collect();
    ours.sort();
    assert_eq!(ours, clap_flags);
    for (name, shape, _) in FLAGS {
        let arg = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(name))
            .unwrap();
        let clap_shape = match arg.get_action() {
            clap::ArgAction::SetTrue => Shape::Switch,
            clap::ArgAction::Append => Shape::List(any),
            _ => Shape::Value(any),
        };
        assert_eq!(
            std::mem::discriminant(shape),
            std::mem::discriminant(&clap_shape),
            "--{name}"
        );
    }
}

const I: &str = "--oidc-issuer-url=https://idp.example.com";
const C: &str = "--oidc-client-id=kubernetes";

#[test]
fn agrees_with_clap() {
    let cases: &[&[&str]] = &[
        &[I, C],
        &[
            "--oidc-issuer-url",
            "https://idp.example.com",
            "--oidc-client-id",
            "kubernetes",
        ],
        &[
            I,
            C,
            "--oidc-extra-scope=email",
            "--oidc-extra-scope=groups",
        ],
        &[
            I,
            C,
            "--oidc-extra-scope=email,groups",
            "--oidc-extra-scope",
            "profile",
        ],
        &[
            I,
            C,
            "--oidc-auth-request-extra-params=prompt=login",
            "--account=work",
        ],
        &[
            I,
            C,
            "--username=alice",
            "--token-cache-dir=/tmp/c",
            "--token-cache-storage=disk",
        ],
        &[
            I,
            C,
            "--oidc-pkce-method=s256",
            "--grant-type=device-code",
            "--force-refresh",
        ],
        &[
            I,
            C,
            "--listen-address=127.0.0.1:0",
            "--skip-open-browser",
            "--v=0",
        ],
        &[
            I,
            C,
            "--authentication-timeout-sec=60",
            "--http-timeout-sec=5",
        ],
        &[
            I,
            C,
            "--browser-command=node browser.js",
            "--insecure-skip-tls-verify",
        ],
        &["--oidc-issuer-url= https://idp.example.com ", C],
        &[I, C, "--listen-port=8000,18000", "--tls-renegotiation-once"],
        &[I, C, "--oidc-use-access-token", "--subject-token-type=jwt"],
        &[
            I,
            C,
            "--local-server-cert=c.pem",
            "--local-server-key=k.pem",
        ],
        // What clap refuses, or what needs its full path.
        &[I],
        &[C],
        &[I, C, "--oidc-isuer-url=x"],
        &["--oidc-issuer-url=idp.example.com", C],
        &[I, C, "--http-timeout-sec=0"],
        &[I, C, "--http-timeout-sec=abc"],
        &[I, C, "--authentication-timeout-sec=999999"],
        &[I, C, "--token-cache-storage=cloud"],
        &[I, C, "--grant-type=magic"],
        &[I, C, "--force-refresh=true"],
        &[I, C, "--oidc-client-id=other"],
        &[I, C, "--help"],
        &[I, C, "-v"],
        &[I, C, "--v=2"],
        &[I, C, "--show-config"],
        &[I, "--oidc-client-id", "--force-refresh"],
        &[I, C, "extra"],
        &[I, C, "--oidc-extra-scope"],
        &[I, C, "--listen-port=99999"],
        &[I, C, "--listen-port=8000,x"],
        &[I, C, "--local-server-cert=c.pem"],
        &[I, C, "--subject-token-type=no such type"],
        // An exchanged token's entry depends on the subject token: the full path.
        &[I, C, "--grant-type=token-exchange"],
    ];
    let real_env = |name: &str| std::env::var_os(name);
    for case in cases {
        let argv: Vec<OsString> = case.iter().map(OsString::from).collect();
        let clap = parse_get_token(&argv);
        match (parse(&argv, real_env), clap) {
            (Some(fast), Ok(clap)) => {
                assert_eq!(
                    format!("{:?}", fast.entry),
                    format!("{:?}", clap.args.entry),
                    "{case:?}"
                );
                assert_eq!(fast.force_refresh, clap.args.force_refresh, "{case:?}");
            }
            (Some(fast), Err(e)) => panic!("{case:?}: fast accepted {fast:?}, clap said {e}"),
            (None, _) => {}
        }
    }
    let fast = |case: &[&str]| {
        let argv: Vec<OsString> = case.iter().map(OsString::from).collect();
        parse(&argv, |_| None)
    };
    assert!(fast(&[I, C, "--grant-type=token-exchange"]).is_none());
    assert!(fast(&[I, C, "--local-server-cert=c.pem"]).is_none());
    let access = fast(&[I, C, "--oidc-use-access-token"]).unwrap();
    assert!(access.entry.oidc_use_access_token);
    // And the common shapes are really taken by the fast path, whatever this process's
    // environment holds (issue 33: a KUBECTL_OIDC_* variable skipped this silently).
    for case in &cases[..12] {
        let argv: Vec<OsString> = case.iter().map(OsString::from).collect();
        assert!(parse(&argv, |_| None).is_some(), "{case:?} went to clap");
    }
}

#[test]
fn reads_the_environment_below_the_flags() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    };
    let vars: &[(&str, &str)] = &[
        ("KUBECTL_OIDC_ISSUER_URL", "https://env.example.com"),
        ("KUBECTL_OIDC_CLIENT_ID", "from-env"),
        ("KUBECTL_OIDC_EXTRA_SCOPE", "email,groups"),
        ("KUBECTL_OIDC_TOKEN_CACHE_STORAGE", "disk"),
        ("KUBECTL_OIDC_FORCE_REFRESH", "no"),
    ];
    let fast = parse(&[OsString::from(C)], env(vars)).unwrap();
    assert_eq!(
        fast.entry.oidc_issuer_url.as_deref(),
        Some("https://env.example.com")
    );
    assert_eq!(fast.entry.oidc_client_id.as_deref(), Some("kubernetes"));
    assert_eq!(fast.entry.oidc_extra_scope, ["email", "groups"]);
    assert_eq!(fast.entry.token_cache_storage, StorageMode::Disk);
    assert!(!fast.force_refresh);
    assert!(
        parse(
            &[],
            env(&[
                ("KUBECTL_OIDC_ISSUER_URL", "https://e"),
                ("KUBECTL_OIDC_CLIENT_ID", "c"),
                ("KUBECTL_OIDC_FORCE_REFRESH", "1")
            ])
        )
        .unwrap()
        .force_refresh
    );
    // What clap would refuse or treat specially goes to clap.
    assert!(
        parse(
            &[OsString::from(I), OsString::from(C)],
            env(&[("KUBECTL_OIDC_HTTP_TIMEOUT_SEC", "0")])
        )
        .is_none()
    );
    assert!(
        parse(
            &[OsString::from(I), OsString::from(C)],
            env(&[("KUBECTL_OIDC_ACCOUNT", "")])
        )
        .is_none()
    );
}
