//! The login's flags that need more than a copy: listen addresses, the browser opener, the
//! redirect URL, the page after the login, extra request headers. Each is checked here, with
//! the flag named in its usage error.

use std::net::SocketAddr;

use super::{BrowserPolicy, Opener, usage};
use crate::cli::{GrantType, TokenArgs};
use crate::oidc::{browser, loopback};

/// `--listen-address` (repeatable).
pub(super) fn listen_addresses(args: &TokenArgs) -> anyhow::Result<Vec<SocketAddr>> {
    args.listen_address
        .iter()
        .map(|a| {
            loopback::parse_listen_address(a).map_err(|e| usage(format!("--listen-address {e}")))
        })
        .collect()
}

/// How the browser is opened: not at all, `--browser-command`, or the system's (`$BROWSER`).
pub(super) fn opener(
    args: &TokenArgs,
    browser: BrowserPolicy,
    browser_env: Option<String>,
) -> anyhow::Result<Opener> {
    Ok(if browser == BrowserPolicy::Never {
        Opener::Skip
    } else if let Some(cmd) = &args.browser_command {
        Opener::Command(
            browser::parse_command(cmd).map_err(|e| usage(format!("--browser-command {e}")))?,
        )
    } else {
        Opener::System { browser_env }
    })
}

/// `--oidc-redirect-url`, or for the keyboard login `--oidc-redirect-url-authcode-keyboard`.
/// The redirect URL's host (the flag, else the provider's preset, else the loopback address)
/// and path (`/callback`, or none when the user names the host, as kubelogin does).
pub(super) fn redirect_parts(
    args: &TokenArgs,
    preset: &crate::presets::Preset,
) -> (Option<String>, &'static str) {
    let host = args
        .oidc_redirect_url_hostname
        .clone()
        .or(preset.redirect_host.map(str::to_owned));
    let path = match args.oidc_redirect_url_hostname {
        Some(_) => "",
        None => "/callback",
    };
    (host, path)
}

/// The HTTPS listener's certificate and key files (`--local-server-cert`, `--local-server-key`).
pub(super) fn local_server_tls(
    args: &TokenArgs,
) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    args.local_server_cert
        .as_deref()
        .zip(args.local_server_key.as_deref())
        .map(|(c, k)| (super::expand_home(c), super::expand_home(k)))
}

pub(super) fn redirect_url(args: &TokenArgs) -> anyhow::Result<Option<url::Url>> {
    let keyboard_redirect = match (args.grant_type, &args.oidc_redirect_url) {
        (GrantType::AuthcodeKeyboard, None) => args.oidc_redirect_url_authcode_keyboard.as_deref(),
        _ => None,
    };
    args.oidc_redirect_url
        .as_deref()
        .or(keyboard_redirect)
        .map(|u| {
            url::Url::parse(u)
                .map_err(|e| usage(format!("--oidc-redirect-url {u:?} is not a URL: {e}")))
        })
        .transpose()
}

/// `--open-url-after-authentication`: an http(s) URL.
pub(super) fn open_url_after_authentication(args: &TokenArgs) -> anyhow::Result<Option<url::Url>> {
    args.open_url_after_authentication
        .as_deref()
        .map(|u| {
            url::Url::parse(u)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    usage(format!(
                        "--open-url-after-authentication {u:?} is not an http(s) URL"
                    ))
                })
        })
        .transpose()
}

/// `--oidc-request-header KEY=VALUE` (repeatable).
pub(super) fn request_headers(args: &TokenArgs) -> anyhow::Result<Vec<(String, String)>> {
    args.oidc_request_header
        .iter()
        .map(|h| match h.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => Err(usage(format!(
                "--oidc-request-header {h:?} is not KEY=VALUE"
            ))),
        })
        .collect()
}
