//! The password login (`--grant-type=password`, ROPC): for CI and legacy providers. The
//! username comes from `--username` (or the terminal), the password from `--password-file`,
//! `KUBECTL_OIDC_PASSWORD` or `--password`, else from the terminal without echo. The password
//! goes into the token request body and nowhere else.

use super::terminal::Terminal;
use crate::error::{Error, Kind};
use crate::oidc::http::HttpClient;
use crate::oidc::provider::{ClientConfig, ProviderState, Tokens};
use crate::secret::Secret;
use crate::settings::Settings;

pub fn login(
    settings: &Settings,
    provider: &mut ProviderState,
    config: &ClientConfig,
    http: &HttpClient,
) -> anyhow::Result<Tokens> {
    let given = settings.password.password()?;
    let terminal =
        || Terminal::open("--grant-type=password without --username and a password reads them");
    let mut tty = None;
    let username = match settings.password.username.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => u.to_owned(),
        _ => tty
            .insert(terminal()?)
            .prompt(&format!("Username at {}: ", config.issuer))?
            .expose()
            .trim()
            .to_owned(),
    };
    if username.is_empty() {
        return Err(Error::new(
            Kind::Usage,
            "--grant-type=password needs a username (--username)",
        ));
    }
    let password = match given {
        Some(p) => p,
        None => {
            let tty = match tty.as_mut() {
                Some(t) => t,
                None => tty.insert(terminal()?),
            };
            let line = tty.prompt_hidden(&format!("Password of {username}: "))?;
            Secret::new(line.expose().trim_end_matches(['\r', '\n']).to_owned())
        }
    };
    provider.exchange_password(config, http, &username, &password, &settings.entry.scopes)
}
