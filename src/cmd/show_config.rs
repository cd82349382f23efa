//! `get-token/login --show-config`: every effective setting and where it came from, secrets
//! redacted; nothing is logged in, read from the cache or sent anywhere.

use clap::CommandFactory as _;

use crate::cli::{GetTokenOnly, Origin, TokenArgs};
use crate::error::ExitStatus;
use crate::settings::EntrySettings;

pub fn run(args: &TokenArgs) -> anyhow::Result<ExitStatus> {
    if let Some(issuer) = &args.entry.oidc_issuer_url {
        crate::oidc::transport::no_credentials("--oidc-issuer-url", issuer)
            .map_err(|e| crate::error::Error::new(crate::error::Kind::Usage, e))?;
    }
    let mut rows: Vec<[String; 3]> = Vec::new();
    let cmd = GetTokenOnly::command();
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "help" | "show-config") {
            continue;
        }
        let (value, origin) = match args.given.0.get(long) {
            // The secrets are the flags whose variables' values clap hides too
            // (--oidc-client-secret, --password).
            Some((_, origin)) if arg.is_hide_env_values_set() => {
                ("(set, redacted)".to_owned(), origin.to_string())
            }
            Some((values, origin)) => (values.join(","), origin.to_string()),
            None => ("(unset)".to_owned(), Origin::Default.to_string()),
        };
        rows.push([format!("--{long}"), value, origin]);
    }
    // What the flags add up to.
    rows.extend(derived_rows(args));
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1).min(60));
    let mut out = format!("{:w0$}  {:w1$}  {}\n", "setting", "value", "from");
    for [name, value, origin] in &rows {
        // Values come from flags, the environment and presets: shown, never acted on.
        let value = crate::text::one_line(value);
        out.push_str(&format!("{name:w0$}  {value:w1$}  {origin}\n"));
    }
    super::print("configuration", out.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The rows the flags add up to: the provider preset and what it sets, the scopes, the cache
/// directory (none when the entry's flags do not resolve).
fn derived_rows(args: &TokenArgs) -> Vec<[String; 3]> {
    let Ok(entry) = EntrySettings::resolve(&args.entry) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let preset_origin = match args.given.origin("provider") {
        Some(crate::cli::Origin::Default) | None => "detected from the issuer".to_owned(),
        Some(origin) => origin.to_string(),
    };
    rows.push([
        "provider preset".into(),
        entry.provider.name().into(),
        preset_origin,
    ]);
    if let Some(note) = entry.preset_note() {
        rows.push([
            "preset sets".into(),
            note,
            format!("preset {}", entry.provider.name()),
        ]);
    }
    rows.push([
        "scopes requested".into(),
        entry.scopes.join(" "),
        "derived".into(),
    ]);
    rows.push([
        "token cache directory".into(),
        entry.cache_dir.display().to_string(),
        "derived".into(),
    ]);
    rows
}
