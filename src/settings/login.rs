//! The login's flags that need more than a copy: listen addresses, the browser opener, the
//! redirect URL, the page after the login, extra request headers. Each is checked here, with
//! the flag named in its usage error.

use std::net::SocketAddr;

use super::grants::BrowserLogin;
use super::sources::removed_kubelogin_flags;
use super::{BrowserPolicy, Opener, choices, usage};
use crate::cli::{OrAuto, TokenArgs};
use crate::grants::Grant;
use crate::oidc::{browser, loopback};

impl BrowserLogin {
    pub(super) fn resolve(
        args: &TokenArgs,
        preset: &crate::presets::Preset,
        env: &super::Env,
        browser_env: Option<String>,
    ) -> anyhow::Result<Self> {
        let mut listen = listen_addresses(args)?;
        removed_kubelogin_flags(args, &mut listen);
        let when = choices::browser(args.browser, args.skip_open_browser);
        let (redirect_host, redirect_path) = redirect_parts(args, preset);
        Ok(Self {
            redirect_url: redirect_url(args)?,
            listen,
            opener: opener(args, when, browser_env)?,
            when,
            notify: choices::notify(args.notify),
            redirect_host,
            redirect_path,
            local_server_tls: local_server_tls(args),
            open_url_after_authentication: open_url_after_authentication(args)?,
            env: env.entry_vars().to_vec(),
        })
    }
}

/// `--listen-address` (repeatable).
fn listen_addresses(args: &TokenArgs) -> anyhow::Result<Vec<SocketAddr>> {
    args.listen_address
        .iter()
        .map(|a| {
            loopback::parse_listen_address(a).map_err(|e| usage(format!("--listen-address {e}")))
        })
        .collect()
}

/// How the browser is opened: not at all, `--browser-command`, or the system's (`$BROWSER`).
fn opener(
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
fn redirect_parts(
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
fn local_server_tls(args: &TokenArgs) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    args.local_server_cert
        .as_deref()
        .zip(args.local_server_key.as_deref())
        .map(|(c, k)| (super::expand_home(c), super::expand_home(k)))
}

fn redirect_url(args: &TokenArgs) -> anyhow::Result<Option<url::Url>> {
    let keyboard_redirect = match (args.grant_type, &args.oidc_redirect_url) {
        (OrAuto::Is(Grant::Keyboard), None) => args.oidc_redirect_url_authcode_keyboard.as_deref(),
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
fn open_url_after_authentication(args: &TokenArgs) -> anyhow::Result<Option<url::Url>> {
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
