//! The messages of the stale path that tell the user what to run: they name flags and
//! commands, so they live here and not in `oidc/`.

use std::ffi::OsString;

use crate::error::{Error, Failure, Kind, ProviderError, find, kind_of};
use crate::presets::Provider;
use crate::settings::Settings;
use crate::text::shell_quote;

/// The error for a login that this call may not run: what happened and the command that
/// fixes it. `who` says who made the call non-interactive.
pub fn need_login(settings: &Settings, why: &str, who: &str, argv: &[OsString]) -> anyhow::Error {
    Error::new(
        Kind::LoginNeeded,
        format!(
            "a browser login to {} is needed ({why}), but {who}, so no browser was opened; log in with:{}",
            settings.entry.issuer,
            command_to_run(&login_command(argv))
        ),
    )
}

/// The command that fixes a failure, after "log in with:": on a line of its own, set off, where
/// a person reads stderr on a terminal (kubectl there); on the same line where an app captures
/// it (an IDE or Lens shows it in one line). Pure but for where stderr goes.
pub fn command_to_run(command: &str) -> String {
    use std::io::IsTerminal as _;
    command_display(command, std::io::stderr().is_terminal())
}

fn command_display(command: &str, terminal: bool) -> String {
    match terminal {
        true => format!("\n\n    {command}\n"),
        false => format!(" {command}"),
    }
}

/// A refresh that failed for a reason a login would not fix (the provider is down, failing,
/// or refused something other than the refresh token): say so, keep the kind.
pub fn refresh_failed(e: anyhow::Error, issuer: &str) -> anyhow::Error {
    let host = url::Url::parse(issuer)
        .ok()
        .and_then(|u| {
            Some(format!(
                "{}{}",
                u.host_str()?,
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            ))
        })
        .unwrap_or_else(|| issuer.to_owned());
    if let Some(hint) = untrusted_certificate(&e, issuer) {
        return Error::hint(e, format!("the cached session is kept; {hint}"));
    }
    let advice = match kind_of(&e) {
        Kind::ProviderUnavailable => format!(
            "the provider at {host} could not refresh the token; the cached session is kept, so \
             run the command again when {host} answers (a login would not help; check the network, \
             HTTPS_PROXY, or raise --http-timeout-sec)"
        ),
        _ => format!(
            "the cached session is kept; this is a problem of the client's setup at {host}, not of \
             your login"
        ),
    };
    Error::hint(e, advice)
}

/// The refresh succeeded at the provider, but its answer is unusable; the new refresh token
/// was kept (or, when even that failed, say so).
pub fn refresh_unusable(
    e: anyhow::Error,
    issuer: &str,
    store_error: Option<anyhow::Error>,
) -> anyhow::Error {
    let kept = match store_error {
        None => {
            "the new refresh token it sent was kept, so the next call tries again without a login"
                .to_owned()
        }
        Some(s) => format!(
            "the new refresh token it sent could not be stored either ({s:#}), so the next call needs a login"
        ),
    };
    Error::hint(
        e,
        format!("{kept}; if it happens again, tell the administrators of {issuer}"),
    )
}

/// The cache cannot take a refresh's result: say so before the refresh token is spent.
pub fn cannot_store(e: anyhow::Error) -> anyhow::Error {
    Error::hint(
        e,
        "the refresh token was not used, so nothing is lost: free space or fix the permissions of \
         the token cache (or move it with --token-cache-dir)",
    )
}

/// Another process holds the login lock while this one may not log in (or waited for it
/// long enough).
pub fn login_in_progress(
    settings: &Settings,
    why: &str,
    pid: Option<u32>,
    argv: &[OsString],
) -> anyhow::Error {
    let pid = pid.map(|p| format!(" in pid {p}")).unwrap_or_default();
    Error::new(
        Kind::LoginNeeded,
        format!(
            "a login to {} is needed ({why}), and one is in progress{pid}: finish it in the browser, \
             and the next kubectl call will use its token; or log in here with:{}",
            settings.entry.issuer,
            command_to_run(&login_command(argv))
        ),
    )
}

/// A call without a terminal after the browser login opened for one went unanswered: no
/// browser opens again until a person logs in.
pub fn browser_login_unanswered(
    settings: &Settings,
    why: &str,
    opened_at: i64,
    argv: &[OsString],
) -> anyhow::Error {
    Error::new(
        Kind::LoginNeeded,
        format!(
            "a browser login to {} is needed ({why}); the one opened at {} for a call without a \
             terminal was not finished, so no browser opens again for such calls until you log in \
             with:{}",
            settings.entry.issuer,
            crate::exec_credential::rfc3339(opened_at),
            command_to_run(&login_command(argv))
        ),
    )
}

/// Tell the user why we wait, once a lock has been busy for a second.
pub fn waiting(pid: Option<u32>, path: &std::path::Path, what: &str, issuer: &str) {
    let who = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
    crate::ui::info(&format!(
        "Waiting for another kubectl-oidc{who} that is {what} to {issuer} (lock {})",
        path.display()
    ));
}

/// The warning when a login brought no refresh token.
/// A failed discovery at a provider that is OAuth 2.0 only (no discovery document, no
/// id_token): say so, and what gives Kubernetes an id_token instead.
pub fn login_discovery_failed(e: anyhow::Error, issuer: &str) -> anyhow::Error {
    if let Some(hint) = untrusted_certificate(&e, issuer) {
        return Error::hint(e, hint);
    }
    match not_openid_connect(issuer) {
        Some(hint) => Error::wrap(kind_of(&e), e.context(hint)),
        None => e,
    }
}

/// When the provider's TLS certificate is what failed, the fix: its CA, which a private or
/// corporate provider needs, given with the flags.
pub fn untrusted_certificate(e: &anyhow::Error, issuer: &str) -> Option<String> {
    find::<ProviderError>(e)
        .is_some_and(|p| p.failure == Failure::UntrustedCertificate)
        .then(|| {
            format!(
                "this machine does not trust the TLS certificate of {issuer}: pass the CA that signed it \
                 with --certificate-authority=FILE (PEM) or --certificate-authority-data=BASE64, or add \
                 it to the system's trust store"
            )
        })
}

/// The hint for issuers known to be plain OAuth 2.0 providers. Pure.
pub fn not_openid_connect(issuer: &str) -> Option<&'static str> {
    let host = url::Url::parse(issuer)
        .ok()?
        .host_str()?
        .to_ascii_lowercase();
    matches!(host.as_str(), "github.com" | "www.github.com" | "api.github.com").then_some(
        "GitHub OAuth apps are OAuth 2.0, not OpenID Connect: no discovery document and no id_token, \
         which the API server needs. Put an OpenID provider in front of GitHub (Dex with its GitHub \
         connector, Keycloak, or your IdP's GitHub federation) and use its issuer URL",
    )
}

/// A refresh answer without an id_token, while the cached one is still valid for `left` s.
pub fn refresh_without_id_token(issuer: &str, left: i64) -> String {
    format!(
        "{issuer} refreshed without sending an id_token (it renews only the access token); the \
         cached id_token stays valid for {}, then a login is due (`kubectl oidc login ...`)",
        crate::text::duration(left)
    )
}

/// An id_token whose groups are only a reference ([`crate::presets::overage_claim`]): the API
/// server never follows it. Pure.
pub fn groups_overage(issuer: &str, claims: &serde_json::Value) -> Option<String> {
    let claim = crate::presets::overage_claim(claims.as_object()?)?;
    Some(format!(
        "{issuer} sent no `{claim}` claim but a reference to it (_claim_names: the user is in more \
         groups than fit in a token; Entra ID: over 200); the API server does not follow it, so no \
         binding to a group matches. At the provider, emit only the groups assigned to the \
         application (Entra ID: Token configuration > groups claim), or bind RBAC to the user"
    ))
}

/// A login that brought no refresh token: what the provider needs for one. Pure.
pub fn no_refresh_token(issuer: &str, provider: Provider, scopes: &[String]) -> String {
    let offline = scopes.iter().any(|x| x == "offline_access");
    let (with_offline, without) = crate::presets::preset(provider).refresh_token;
    let fix = match (offline, with_offline, without) {
        (true, Some(advice), _) | (false, _, Some(advice)) => advice.to_owned(),
        (true, None, _) => "the provider ignored offline_access; check that the client may use \
             the refresh_token grant"
            .to_owned(),
        (false, _, None) => format!(
            "most providers send one only for --oidc-extra-scope=offline_access{}",
            match provider {
                Provider::Generic => String::new(),
                p => format!(" (--provider={} adds it)", p.name()),
            }
        ),
    };
    format!(
        "{issuer} issued no refresh token, so a new login is due when this id_token expires; {fix}"
    )
}

/// `kubectl oidc login` with the same flags as this call, minus secrets and one-off flags.
pub fn login_command(argv: &[OsString]) -> String {
    let args: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let start = args
        .iter()
        .position(|a| a == "get-token")
        .map(|i| i + 1)
        .unwrap_or(args.len());
    let mut out = vec!["kubectl".to_owned(), "oidc".to_owned(), "login".to_owned()];
    let mut skip_value = false;
    for a in &args[start..] {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if a == "--force-refresh" {
            continue;
        }
        if a == "--oidc-client-secret" {
            skip_value = true;
            out.push("--oidc-client-secret=<your client secret>".to_owned());
            continue;
        }
        if a.starts_with("--oidc-client-secret=") {
            out.push("--oidc-client-secret=<your client secret>".to_owned());
            continue;
        }
        out.push(shell_quote(a));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untrusted_certificate_names_the_flags_that_fix_it_on_login_and_refresh() {
        let tls = || {
            anyhow::Error::from(ProviderError::new(
                crate::error::Endpoint::Discovery,
                Failure::UntrustedCertificate,
                "GET https://idp/x: tls: invalid peer certificate: UnknownIssuer",
            ))
        };
        for e in [
            login_discovery_failed(tls(), "https://idp"),
            refresh_failed(tls(), "https://idp"),
        ] {
            assert_eq!(kind_of(&e), Kind::Config);
            let text = format!("{e:#}");
            assert!(
                text.contains("--certificate-authority=FILE") && text.contains("https://idp"),
                "{text}"
            );
        }
        let other = refresh_failed(
            Error::new(Kind::ProviderUnavailable, "GET https://idp/x: timed out"),
            "https://idp",
        );
        assert_eq!(kind_of(&other), Kind::ProviderUnavailable);
        assert!(!format!("{other:#}").contains("certificate-authority"));
    }

    #[test]
    fn the_command_to_run_stands_out_on_a_terminal_and_stays_on_the_line_for_an_app() {
        assert_eq!(
            command_display("kubectl oidc login --x", true),
            "\n\n    kubectl oidc login --x\n"
        );
        assert_eq!(
            command_display("kubectl oidc login --x", false),
            " kubectl oidc login --x"
        );
    }

    #[test]
    fn oauth_only_issuers_are_named() {
        for (issuer, hint) in [
            ("https://github.com", true),
            ("https://github.com/login/oauth", true),
            ("https://api.github.com/", true),
            // GitHub Actions' workload identity is OpenID Connect.
            ("https://token.actions.githubusercontent.com", false),
            ("https://idp.example.com", false),
            ("not a url", false),
        ] {
            assert_eq!(not_openid_connect(issuer).is_some(), hint, "{issuer}");
        }
        let e = login_discovery_failed(
            Error::new(
                Kind::ProviderUnavailable,
                "OpenID discovery failed for issuer https://github.com: 404",
            ),
            "https://github.com",
        );
        assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
        let text = format!("{e:#}");
        assert!(
            text.contains("not OpenID Connect") && text.contains("Dex"),
            "{text}"
        );
        assert!(text.contains("404"), "{text}");
    }

    #[test]
    fn login_command_keeps_flags_and_drops_secrets() {
        let argv: Vec<OsString> = [
            "/usr/bin/kubectl-oidc",
            "get-token",
            "--oidc-issuer-url=https://idp",
            "--oidc-client-id",
            "kube",
            "--oidc-client-secret",
            "s3cret",
            "--oidc-client-secret=s3cret2",
            "--force-refresh",
            "--browser-command=open -a Firefox",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let cmd = login_command(&argv);
        assert!(!cmd.contains("s3cret"), "{cmd}");
        assert_eq!(
            cmd,
            "kubectl oidc login --oidc-issuer-url=https://idp --oidc-client-id kube \
             --oidc-client-secret=<your client secret> --oidc-client-secret=<your client secret> \
             '--browser-command=open -a Firefox'"
        );
    }

    #[test]
    fn a_failing_provider_is_named_and_never_told_to_log_in() {
        let e = Error::new(
            Kind::ProviderUnavailable,
            "POST https://idp.example.com:8443/token: connection refused",
        );
        let e = refresh_failed(e, "https://idp.example.com:8443/realms/x");
        assert_eq!(kind_of(&e), Kind::ProviderUnavailable);
        let text = format!("{e:#}");
        assert!(
            text.contains("idp.example.com:8443") && text.contains("session is kept"),
            "{text}"
        );
        assert!(!text.contains("kubectl oidc login"), "{text}");
    }

    #[test]
    fn no_refresh_token_names_what_each_provider_needs() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for (provider, scopes, want) in [
            (Provider::Google, s(&[]), "access_type=offline"),
            (Provider::Cognito, s(&[]), "ALLOW_REFRESH_TOKEN_AUTH"),
            (
                Provider::Okta,
                s(&["offline_access"]),
                "Refresh Token grant type",
            ),
            (Provider::Okta, s(&[]), "--provider=okta adds it"),
            (Provider::Keycloak, s(&[]), "Use refresh tokens"),
            (
                Provider::Entra,
                s(&["offline_access"]),
                "conditional access",
            ),
            (Provider::Dex, s(&["offline_access"]), "connector"),
            (
                Provider::Generic,
                s(&[]),
                "--oidc-extra-scope=offline_access",
            ),
            (
                Provider::Generic,
                s(&["offline_access"]),
                "ignored offline_access",
            ),
        ] {
            let m = no_refresh_token("https://idp", provider, &scopes);
            assert!(m.starts_with("https://idp issued no refresh token"), "{m}");
            assert!(m.contains(want), "{provider:?} {scopes:?}: {m}");
        }
    }

    #[test]
    fn a_groups_overage_reference_is_named_with_its_fix() {
        let overage = serde_json::json!({
            "sub": "alice",
            "_claim_names": {"groups": "src1"},
            "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/..."}},
        });
        let m = groups_overage("https://login.microsoftonline.com/t/v2.0", &overage).unwrap();
        assert!(
            m.contains("no `groups` claim") && m.contains("Token configuration"),
            "{m}"
        );
        for fine in [
            serde_json::json!({"sub": "alice", "groups": ["dev"]}),
            serde_json::json!({"sub": "alice"}),
            // a distributed claim that is also present is not an overage
            serde_json::json!({"groups": ["dev"], "_claim_names": {"groups": "src1"}}),
        ] {
            assert_eq!(groups_overage("https://idp", &fine), None, "{fine}");
        }
    }
}
