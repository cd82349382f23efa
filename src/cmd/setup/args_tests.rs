//! Issue 30 item 1: the exec entry setup writes keeps every get-token flag the user gave.

use clap::CommandFactory as _;

use super::{NOT_KEPT, exec_args};
use crate::cli::{GetTokenOnly, TokenArgs, parse_get_token};

const BASE: [&str; 2] = [
    "--oidc-issuer-url=https://idp.example",
    "--oidc-client-id=kube",
];

/// A value clap takes for `arg` that is not its default (`None`: a switch).
fn sample(arg: &clap::Arg) -> Option<String> {
    if matches!(
        arg.get_action(),
        clap::ArgAction::SetTrue | clap::ArgAction::Count
    ) {
        return None;
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if let Some(p) = arg
        .get_possible_values()
        .iter()
        .map(|p| p.get_name().to_owned())
        .find(|p| !defaults.contains(p))
    {
        return Some(p);
    }
    let name = arg
        .get_value_names()
        .and_then(|n| n.first())
        .map(|n| n.to_string())
        .unwrap_or_default();
    Some(
        match (arg.get_long().unwrap_or(""), name.as_str()) {
            ("oidc-issuer-url", _) => "https://other.example/realms/x",
            ("subject-token-type" | "requested-token-type", _) => {
                "urn:ietf:params:oauth:token-type:jwt"
            }
            (_, "PATH") => "/srv/kubectl-oidc/a file",
            (_, "SECONDS") => "7",
            (_, "LEVEL") => "1",
            (_, "PORT") => "9000",
            (_, "ADDRESS") => "127.0.0.1:9000",
            (_, "KEY=VALUE") => "tenant=blue,green",
            (_, "URL") => "http://localhost:9000/callback",
            (_, "HOST") => "localhost",
            (_, "BASE64") => "QUJD",
            (_, "COMMAND") => "firefox --new-window",
            _ => "value with spaces",
        }
        .to_owned(),
    )
}

/// Parsed flags, without where each came from (a written entry's are all flags).
fn shown(args: &TokenArgs) -> String {
    let mut a = args.clone();
    a.given = Default::default();
    format!("{a:?}")
}

#[test]
fn every_flag_the_user_gave_survives_the_written_entry() {
    let cmd = GetTokenOnly::command();
    let mut tried = 0;
    for arg in cmd.get_arguments() {
        let Some(long) = arg.get_long() else {
            continue;
        };
        let mut argv: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
        argv.retain(|a| !a.starts_with(&format!("--{long}=")));
        match sample(arg) {
            Some(v) => argv.push(format!("--{long}={v}")),
            None => argv.push(format!("--{long}")),
        }
        // clap's `requires` of one another.
        match long {
            "local-server-cert" => argv.push("--local-server-key=/srv/key.pem".into()),
            "local-server-key" => argv.push("--local-server-cert=/srv/cert.pem".into()),
            _ => {}
        }
        let Ok(given) = parse_get_token(&argv) else {
            // --help and the like end the parse.
            assert!(matches!(long, "help"), "{long}: {argv:?}");
            continue;
        };
        let written = exec_args(&given.args).unwrap();
        if NOT_KEPT.contains(&long) {
            assert!(
                !written.iter().any(|w| w.starts_with(&format!("--{long}"))
                    && !w.starts_with(&format!("--{long}-"))),
                "{long} written: {written:?}"
            );
            continue;
        }
        let again =
            parse_get_token(&written).unwrap_or_else(|e| panic!("{long}: {written:?}: {e}"));
        assert_eq!(
            shown(&again.args),
            shown(&given.args),
            "{long}: {written:?}"
        );
        tried += 1;
    }
    assert!(tried > 35, "only {tried} flags tried");
}

#[test]
fn the_examples_of_the_issue_are_written() {
    let argv = [
        BASE[0],
        BASE[1],
        "--oidc-request-header=X-Tenant=blue",
        "--oidc-request-header",
        "X-Second=2",
        "--notify=never",
        "--oidc-client-secret=s3cret",
        "--token-cache-dir=~/.cache/k",
    ];
    let given = parse_get_token(argv).unwrap();
    let written = exec_args(&given.args).unwrap();
    for w in [
        "--oidc-request-header=X-Tenant=blue",
        "--oidc-request-header=X-Second=2",
        "--notify=never",
        "--token-cache-dir=~/.cache/k",
    ] {
        assert!(written.contains(&w.to_owned()), "{w}: {written:?}");
    }
    assert!(!written.join(" ").contains("s3cret"), "{written:?}");
    // Defaults the user did not give are not written.
    assert!(
        !written.iter().any(|w| w.starts_with("--listen-address")),
        "{written:?}"
    );
}
