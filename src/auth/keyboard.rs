//! The keyboard login (`--grant-type=authcode-keyboard`): print the authorization URL, open
//! it where a browser can, and read the code (or the whole URL the browser was sent to) from
//! the terminal. For jump hosts where no browser can reach a loopback listener here.
//!
//! The code is read from the controlling terminal (/dev/tty), never from stdin: kubectl owns
//! the plugin's stdin and stdout, and a code must not be echoed into a pipe or a log.

use std::io::{BufRead as _, Write as _};

use anyhow::Context as _;

use super::authcode::Attempt;
use crate::error::{Error, Kind};
use crate::oidc::callback::{self, Callback};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::secret::Secret;
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
        .redirect_url
        .as_ref()
        .map_or_else(|| OOB_REDIRECT.to_owned(), |u| u.to_string());
    let path = url::Url::parse(&redirect)
        .ok()
        .filter(url::Url::has_host)
        .map(|u| u.path().to_owned())
        .unwrap_or_default();
    let attempt = Attempt::new(settings, provider, config, &redirect)?;
    let mut tty = Terminal::open()?;
    ui::info(&format!(
        "Log in to {} in a browser on any machine:\n\n    {}\n",
        config.issuer, attempt.url
    ));
    if let Err(e) = settings.opener.open(attempt.url.as_str()) {
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
        Callback::ProviderError { error, description } => Err(Error::new(
            Kind::ProviderRefused,
            format!(
                "{} refused the login: {error}{}",
                config.issuer,
                description.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        )),
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

/// The controlling terminal, for a prompt and one line of input.
struct Terminal {
    input: std::io::BufReader<std::fs::File>,
    output: std::fs::File,
}

impl Terminal {
    fn open() -> anyhow::Result<Self> {
        #[cfg(windows)]
        let (input, output) = ("CONIN$", "CONOUT$");
        #[cfg(not(windows))]
        let (input, output) = ("/dev/tty", "/dev/tty");
        let no_terminal = |e: std::io::Error| {
            Error::new(
                Kind::LoginNeeded,
                format!(
                    "--grant-type=authcode-keyboard reads the code from a terminal, and there is none \
                     ({input}: {e}); run `kubectl oidc login` with the same flags in a terminal, or use \
                     --grant-type=device-code"
                ),
            )
        };
        let read = std::fs::File::open(input).map_err(no_terminal)?;
        let write = std::fs::OpenOptions::new()
            .write(true)
            .open(output)
            .map_err(no_terminal)?;
        Ok(Self {
            input: std::io::BufReader::new(read),
            output: write,
        })
    }

    fn prompt(&mut self, text: &str) -> anyhow::Result<Secret<String>> {
        self.output.write_all(text.as_bytes())?;
        self.output.flush()?;
        let mut line = String::new();
        self.input
            .read_line(&mut line)
            .context("cannot read the code from the terminal")?;
        Ok(Secret::new(line))
    }
}
