//! `login`: run the browser login now, store the result, say who is logged in.

use std::ffi::OsString;

use serde::Deserialize;

use crate::auth::{self, Interaction, Mode};
use crate::cli::LoginArgs;
use crate::error::ExitStatus;
use crate::exec_credential::rfc3339;
use crate::settings::Settings;
use crate::token::jwt;
use crate::ui;

/// Who the id_token names (it was verified before it was stored).
#[derive(Deserialize)]
struct Who {
    #[serde(default)]
    sub: String,
    email: Option<String>,
}

pub fn run(args: &LoginArgs, argv: &[OsString], now: i64) -> anyhow::Result<ExitStatus> {
    ui::set_verbosity(args.token_args.verbosity());
    let (args, from) = super::by_context::token_args(&args.kube, &args.token_args)?;
    let args = &args;
    // The entry's own verbosity (kubelogin's -v1) counts too.
    ui::set_verbosity(args.verbosity());
    if args.show_config {
        return super::show_config::run(args);
    }
    if let Some(notice) = crate::cli::klog::notice() {
        ui::info(&format!("kubectl-oidc: notice: {notice}"));
    }
    let settings = Settings::resolve(args, crate::settings::browser_env())?;
    let store = settings.entry.store();
    let entry = store.entry(settings.entry.key.digest());
    let credential = auth::obtain(
        &settings,
        &entry,
        Mode::Login,
        Interaction::Allowed,
        argv,
        now,
    )?;
    // Claims are the provider's text: on one line.
    let who = jwt::decode_payload::<Who>(credential.id_token.expose())
        .map(|w| match w.email {
            Some(email) => format!("{} ({email})", w.sub),
            None => w.sub,
        })
        .map(|who| crate::text::one_line(&who))
        .unwrap_or_default();
    let left = (credential.exp - now).max(0);
    let context = from
        .map(|f| {
            let kubelogin = match f.plugin {
                crate::kubeconfig::Plugin::Kubelogin => ", its kubelogin entry",
                crate::kubeconfig::Plugin::Ours => "",
            };
            format!(" (context {:?}, user {:?}{kubelogin})", f.context, f.user)
        })
        .unwrap_or_default();
    ui::info(&format!(
        "Logged in to {}{context} as {who}; the id_token expires at {} (in {}m{}s)",
        settings.entry.issuer,
        rfc3339(credential.exp),
        left / 60,
        left % 60
    ));
    Ok(ExitStatus::Success)
}
