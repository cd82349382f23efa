//! `login`: run the browser login now, store the result, say who is logged in.

use std::ffi::OsString;

use super::get_token::{Mode, obtain};
use super::unix_now;
use crate::cache::Cache;
use crate::cli::TokenArgs;
use crate::exec_credential::rfc3339;
use crate::settings::Settings;
use crate::ui;

pub fn run(args: &TokenArgs, argv: &[OsString]) -> anyhow::Result<()> {
    let settings = Settings::resolve(args, std::env::var("BROWSER").ok())?;
    let cache = Cache::new(
        settings.cache_dir.clone(),
        settings.key.digest(),
        settings.storage,
    );
    let tokens = obtain(&settings, &cache, Mode::Login, argv)?
        .ok_or_else(|| anyhow::anyhow!("the login produced no token"))?;
    let left = (tokens.expires_at - unix_now()).max(0);
    let who = match &tokens.email {
        Some(email) => format!("{} ({email})", tokens.subject),
        None => tokens.subject.clone(),
    };
    ui::info(&format!(
        "Logged in to {} as {who}; the id_token expires at {} (in {}m{}s)",
        settings.issuer,
        rfc3339(tokens.expires_at),
        left / 60,
        left % 60
    ));
    Ok(())
}
