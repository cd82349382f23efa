//! The command line parses kubelogin's arguments, validates early, and shows each command
//! only its own flags.

use super::debug::LOGIN_ONLY;
use super::*;
use crate::cli::token::issuer_url;
use clap::CommandFactory as _;

#[test]
fn cli_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn kubelogin_args_parse_unchanged() {
    // A real kubelogin exec entry's args, with `oidc-login` replaced by `oidc`.
    let cli = Cli::try_parse_from([
        "kubectl-oidc",
        "get-token",
        "--oidc-issuer-url=https://issuer.example.com",
        "--oidc-client-id=YOUR_CLIENT_ID",
        "--oidc-client-secret=YOUR_CLIENT_SECRET",
        "--oidc-extra-scope=email",
        "--oidc-extra-scope=groups",
        "--oidc-pkce-method=S256",
        "--oidc-auth-request-extra-params=prompt=login",
        "--listen-address=127.0.0.1:12345",
        "--skip-open-browser",
        "--token-cache-storage=disk",
        "--certificate-authority=/tmp/ca.pem",
        "--grant-type=authcode",
    ])
    .unwrap();
    let Command::GetToken(args) = cli.command else {
        panic!()
    };
    assert_eq!(args.entry.oidc_extra_scope, ["email", "groups"]);
    assert_eq!(args.oidc_pkce_method, PkceMethod::S256);
    assert_eq!(args.listen_address, ["127.0.0.1:12345"]);
    assert_eq!(args.entry.token_cache_storage, StorageMode::Disk);
    assert_eq!(args.grant_type, OrAuto::Is(crate::grants::Grant::AuthCode));
    assert_eq!(format!("{:?}", args.oidc_client_secret), "Some(<redacted>)");
}

/// Every flag of int128/kubelogin v1.36's get-token, with every value it takes, and the
/// removed ones old kubeconfigs still carry (spec/peers.md §1.2).
#[test]
fn every_kubelogin_get_token_flag_and_value_parses() {
    let cases: &[&[&str]] = &[
        &["--oidc-client-secret=s"],
        &["--oidc-redirect-url=http://localhost:8000"],
        &["--oidc-extra-scope=email", "--oidc-extra-scope=groups"],
        &["--oidc-use-access-token"],
        &["--oidc-request-header=Origin=http://localhost"],
        &["--force-refresh"],
        &["--token-cache-dir=~/.kube/cache/oidc-login"],
        &["--token-cache-storage=disk"],
        &["--token-cache-storage=keyring"],
        &["--token-cache-storage=none"],
        &["--certificate-authority=/ca.pem"],
        &["--certificate-authority-data=LS0t"],
        &["--insecure-skip-tls-verify"],
        &["--tls-renegotiation-once"],
        &["--tls-renegotiation-freely"],
        &["--oidc-pkce-method=auto"],
        &["--oidc-pkce-method=no"],
        &["--oidc-pkce-method=S256"],
        &["--oidc-use-pkce"],
        &["--grant-type=auto"],
        &["--grant-type=authcode"],
        &["--grant-type=authcode-keyboard"],
        &["--grant-type=password", "--username=u", "--password=p"],
        &["--grant-type=device-code"],
        &["--grant-type=client-credentials"],
        &[
            "--listen-address=127.0.0.1:8000",
            "--listen-address=127.0.0.1:18000",
        ],
        &["--skip-open-browser"],
        &["--browser-command=firefox"],
        &["--authentication-timeout-sec=60"],
        &["--local-server-cert=c.pem", "--local-server-key=k.pem"],
        &["--open-url-after-authentication=https://example.com"],
        &["--oidc-auth-request-extra-params=prompt=login"],
        &["--v=1"],
        &["--listen-port=8000"],
        &["--oidc-redirect-url-hostname=localhost"],
        &["--oidc-redirect-url-authcode-keyboard=urn:ietf:wg:oauth:2.0:oob"],
    ];
    for case in cases {
        let argv = [
            "kubectl-oidc",
            "get-token",
            "--oidc-issuer-url=https://issuer.example.com",
            "--oidc-client-id=kubernetes",
        ]
        .iter()
        .chain(case.iter());
        if let Err(e) = Cli::try_parse_from(argv) {
            panic!("{case:?}: {e}");
        }
    }
}

#[test]
fn issuer_urls_are_validated_when_parsing() {
    for ok in [
        "https://idp.example.com",
        "https://login.microsoftonline.com/tenant/v2.0",
        "http://127.0.0.1:5556/dex",
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",
    ] {
        assert_eq!(issuer_url(ok).as_deref(), Ok(ok), "{ok}");
    }
    for bad in [
        "not-a-url",
        "idp.example.com",
        "https://",
        "https:///x",
        "ftp://x",
        "https://a b",
    ] {
        assert!(issuer_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn debug_token_needs_neither_issuer_nor_client_and_hides_login_flags() {
    let cli = Cli::try_parse_from(["kubectl-oidc", "debug-token", "--context", "prod"]).unwrap();
    assert!(matches!(cli.command, Command::DebugToken(_)));
    let mut cmd = Cli::command();
    let help = cmd
        .find_subcommand_mut("debug-token")
        .unwrap()
        .render_long_help()
        .to_string();
    assert!(!help.contains("[required]"), "{help}");
    for login_only in [
        "--browser-command",
        "--listen-address",
        "--skip-open-browser",
        "--oidc-client-secret",
    ] {
        assert!(!help.contains(login_only), "{login_only} in {help}");
    }
    assert!(Cli::try_parse_from(["kubectl-oidc", "get-token"]).is_err());
    // Every id in LOGIN_ONLY is a real flag (a rename would silently unhide it).
    let get_token = cmd.find_subcommand("get-token").unwrap().clone();
    for id in LOGIN_ONLY {
        assert!(get_token.get_arguments().any(|a| a.get_id() == *id), "{id}");
    }
}

#[test]
fn examples_never_wrap_and_usage_names_kubectl() {
    // A 40-column terminal wraps every description, but no example line: each line of a
    // subcommand's examples appears whole in its --help (and -h).
    for name in [
        "get-token",
        "login",
        "debug-token",
        "status",
        "logout",
        "clean",
        "setup",
        "completion",
    ] {
        let examples = Cli::command()
            .find_subcommand(name)
            .and_then(|s| s.get_after_help())
            .map(|e| e.to_string())
            .unwrap_or_else(|| panic!("{name} has examples"));
        for flag in ["--help", "-h"] {
            let err = command()
                .term_width(40)
                .color(clap::ColorChoice::Never)
                .try_get_matches_from(["kubectl-oidc", name, flag])
                .unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
            let help = err.render().to_string();
            let lines: Vec<&str> = help.lines().collect();
            for line in examples.lines().filter(|l| !l.is_empty()) {
                assert!(
                    lines.contains(&line),
                    "{name} {flag}: {line:?} is not a whole line of\n{help}"
                );
            }
            assert!(
                help.contains(&format!("Usage: kubectl oidc {name} ")),
                "{help}"
            );
        }
    }
}

/// Issue 21 item 8: every help text fits 100 columns (clap wraps its own text there; the
/// examples are ours and are never wrapped, so a longer line breaks when copied).
#[test]
fn help_texts_fit_100_columns() {
    let mut root = super::command();
    let mut pages = vec![root.render_long_help().to_string()];
    for sub in root.get_subcommands_mut() {
        pages.push(sub.render_long_help().to_string());
    }
    for page in pages {
        for line in page.lines() {
            assert!(
                line.chars().count() <= 100,
                "{} columns: {line}",
                line.chars().count()
            );
        }
    }
}

/// `--grant-type` and `--provider` are their tables' entries, read by name, `auto` first: a new
/// grant or preset is its line in its table (ARCHITECTURE.md), never a value here.
#[test]
fn grant_and_provider_values_are_the_tables() {
    use crate::grants::Grant;
    use crate::presets::Provider;
    let get_token = Cli::command();
    let get_token = get_token.find_subcommand("get-token").unwrap();
    let values = |long: &str| -> Vec<String> {
        let arg = get_token
            .get_arguments()
            .find(|a| a.get_long() == Some(long))
            .unwrap();
        arg.get_possible_values()
            .iter()
            .map(|v| v.get_name().to_owned())
            .collect()
    };
    let expected = |names: Vec<&str>| -> Vec<String> {
        std::iter::once("auto")
            .chain(names)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        values("grant-type"),
        expected(Grant::ALL.iter().map(|g| g.name()).collect())
    );
    assert_eq!(
        values("provider"),
        expected(Provider::ALL.iter().map(|p| p.name()).collect())
    );
    for p in Provider::ALL {
        assert_eq!(OrAuto::parse(p.name()), Some(OrAuto::Is(p)));
        assert!(!p.help().is_empty());
    }
    assert_eq!(OrAuto::<Grant>::parse("auto"), Some(OrAuto::Auto));
    assert_eq!(OrAuto::<Grant>::parse("implicit"), None);
}
