//! The keyboard login (`--grant-type=authcode-keyboard`): print the authorization URL, open
//! it where a browser can, and read the code (or the whole URL the browser was sent to) from
//! the terminal. For jump hosts where no browser can reach a loopback listener here.
//!
//! The code is read from the controlling terminal (/dev/tty), never from stdin: kubectl owns
//! the plugin's stdin and stdout, and a code must not be echoed into a pipe or a log.

use anyhow::Context as _;

use super::attempt::Attempt;
use super::terminal::Terminal;
use crate::error::{Error, Kind};
use crate::oidc::callback::{self, Callback};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::settings::Settings;
use crate::ui;

/// kubelogin's default redirect for this flow: the provider shows the code on a page.
pub const OOB_REDIRECT: &str = "urn:ietf:wg:oauth:2.0:oob";

pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    let redirect = settings
        .browser
        .redirect_url
        .as_ref()
        .map_or_else(|| OOB_REDIRECT.to_owned(), |u| u.to_string());
    let path = url::Url::parse(&redirect)
        .ok()
        .filter(url::Url::has_host)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let attempt = Attempt::new(settings, provider, config, &redirect)?;
    let mut tty = Terminal::open("--grant-type=authcode-keyboard reads the code")?;
    super::authcode::preflight(settings, config, http, &attempt.url, &redirect)?;
    ui::info(&format!(
        "Log in to {} in a browser on any machine:\n\n    {}\n",
        config.issuer, attempt.url
    ));
    if let Err(e) = settings.browser.open(attempt.url.as_str()) {
        ui::warn(&format!("{e:#}; open the URL above yourself"));
    }
    let line = tty.prompt("Then paste the code, or the whole URL the browser ended at: ")?;
    match callback::pasted(line.expose(), &path, attempt.state.expose(), &config.issuer) {
        Callback::Code(code) => provider
            .exchange_code(
                config,
                http,
                &redirect,
                code,
                attempt.verifier,
                &attempt.nonce,
            )
            .context("login failed"),
        Callback::ProviderError { error, description } => {
            Err(callback::refusal(&config.issuer, error, description.as_deref()).into())
        }
        Callback::Rejected(why) => Err(Error::new(
            Kind::LoginNeeded,
            format!("the pasted text cannot complete this login: {why}; run the command again"),
        )),
        Callback::NotCallback => Err(Error::new(
            Kind::LoginNeeded,
            format!(
                "the pasted URL is not the redirect URL of this login ({redirect}); paste the URL \
                 the browser ended at, or the code alone"
            ),
        )),
    }
}
