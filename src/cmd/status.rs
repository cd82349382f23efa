//! `status` (alias `list`): every cached session, without a token in the output.

use serde::{Deserialize, Serialize};

use crate::cache::{Backend, Store};
use crate::cli::{OutputFormat, StatusArgs};
use crate::error::ExitStatus;
use crate::exec_credential::rfc3339;
use crate::settings;
use crate::text::duration;
use crate::token::jwt;

/// One session, with stable field names (`-o json`).
#[derive(Debug, Serialize)]
pub struct Row {
    /// The entry's file name stem in the cache directory.
    pub id: String,
    /// The cache directory that holds it.
    pub cache_dir: std::path::PathBuf,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub account: Option<String>,
    pub subject: Option<String>,
    pub email: Option<String>,
    /// The id_token's `exp`, RFC 3339.
    pub expires_at: Option<String>,
    /// Seconds until `exp` (negative: expired).
    pub expires_in: Option<i64>,
    /// Whether a refresh token is held (`null` when the session cannot be read).
    pub refresh_token: Option<bool>,
    /// `keyring` (everything sealed), `sealed-file` (the refresh token sealed by a keyring
    /// key), `plain-file`, or `unreadable`.
    pub store: &'static str,
    /// When a login or refresh last wrote the id_token, RFC 3339.
    pub last_refreshed: Option<String>,
    /// When `setup --migrate` imported the session (not refreshed since), RFC 3339.
    pub imported_at: Option<String>,
    /// The kubeconfig contexts whose exec entry (ours or kubelogin's) uses this session.
    pub contexts: Vec<String>,
}

#[derive(Deserialize, Default)]
struct Claims {
    iss: Option<String>,
    sub: Option<String>,
    email: Option<String>,
    exp: Option<serde_json::Number>,
}

/// Every session in the store, oldest issuer first.
pub fn rows_of(store: &Store, now: i64) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    for id in store.list_sessions()? {
        let d = store.entry(id.clone()).describe();
        let claims: Claims = d
            .id_token
            .as_ref()
            .and_then(|t| jwt::decode_payload(t.expose()).ok())
            .unwrap_or_default();
        let exp = claims.exp.and_then(|n| n.as_f64()).map(|f| f as i64);
        let about = d.about;
        rows.push(Row {
            id,
            cache_dir: store.dir().to_owned(),
            issuer: about.as_ref().map(|a| a.issuer.clone()).or(claims.iss),
            client_id: about.as_ref().map(|a| a.client_id.clone()),
            account: about.as_ref().and_then(|a| a.account.clone()),
            subject: claims.sub,
            email: claims.email,
            expires_at: exp.map(rfc3339),
            expires_in: exp.map(|e| e - now),
            refresh_token: about.as_ref().map(|a| a.refresh_token),
            store: match (d.id_token_sealed, d.session_sealed) {
                (Some(true), _) => "keyring",
                (_, Some(true)) => "sealed-file",
                (Some(false), _) | (_, Some(false)) => "plain-file",
                _ => "unreadable",
            },
            last_refreshed: d.refreshed_at.map(rfc3339),
            imported_at: d
                .imported_at
                .filter(|_| d.refreshed_at.is_none())
                .map(rfc3339),
            contexts: Vec::new(),
        });
    }
    rows.sort_by(|a, b| {
        (&a.issuer, &a.client_id, &a.account).cmp(&(&b.issuer, &b.client_id, &b.account))
    });
    Ok(rows)
}

fn text(rows: &[Row], dirs: &[std::path::PathBuf], context: Option<&str>) -> String {
    let shown = |dirs: &[std::path::PathBuf]| {
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (rows.is_empty(), context) {
        (true, None) => {
            return crate::text::sanitize(
                &format!("No cached sessions in {}.\n", shown(dirs)),
                false,
            );
        }
        (true, Some(c)) => {
            return crate::text::sanitize(
                &format!(
                    "No cached session of kubeconfig context {:?} in {} (not logged in yet, or its \
                     user is not an exec entry of kubectl-oidc or kubelogin).\n",
                    crate::text::one_line(c),
                    shown(dirs)
                ),
                false,
            );
        }
        _ => {}
    }
    let mut o = String::new();
    for dir in dirs {
        let here: Vec<&Row> = rows.iter().filter(|r| &r.cache_dir == dir).collect();
        if here.is_empty() {
            continue;
        }
        if !o.is_empty() {
            o.push('\n');
        }
        o.push_str(&format!(
            "{} cached session{} in {}:\n",
            here.len(),
            if here.len() == 1 { "" } else { "s" },
            dir.display()
        ));
        for r in here {
            o.push_str(&row_text(r, dir));
        }
    }
    crate::text::sanitize(&o, true)
}

/// One session's lines.
fn row_text(r: &Row, dir: &std::path::Path) -> String {
    let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_owned());
    let account = r
        .account
        .as_ref()
        .map(|a| format!("  account {a}"))
        .unwrap_or_default();
    // Claims are the provider's text: on one line.
    let who = match (&r.subject, &r.email) {
        (Some(s), Some(e)) => crate::text::one_line(&format!("{s} ({e})")),
        (Some(s), None) => crate::text::one_line(s),
        _ if r.imported_at.is_some() => {
            "no id_token yet (the next kubectl call refreshes the imported session)".to_owned()
        }
        _ => "unknown subject (the id_token cannot be read)".to_owned(),
    };
    let expiry = match (r.expires_in, &r.expires_at) {
        (Some(s), Some(at)) if s >= 0 => format!("id_token expires in {} ({at})", duration(s)),
        (Some(s), Some(at)) => format!("id_token expired {} ago ({at})", duration(s)),
        _ => "no id_token".to_owned(),
    };
    let contexts = match r.contexts.as_slice() {
        [] => String::new(),
        names => format!(
            "\n  used by kubeconfig context{} {}",
            if names.len() == 1 { "" } else { "s" },
            crate::text::one_line(&names.join(", "))
        ),
    };
    let refresh = match r.refresh_token {
        Some(true) => "refresh token held",
        Some(false) => "no refresh token",
        None => "refresh token unknown",
    };
    let store = match r.store {
        "keyring" => "OS keyring (sealed)",
        "sealed-file" => "0600 file sealed by an OS keyring key",
        "plain-file" => "plain 0600 file",
        _ => "unreadable",
    };
    let last = match (&r.last_refreshed, &r.imported_at) {
        (Some(at), _) => at.clone(),
        (None, Some(at)) => format!("never (imported by setup --migrate {at})"),
        (None, None) => "never".to_owned(),
    };
    // An entry whose files cannot be read: what replaces them, or how to remove them.
    let fix = match &r.issuer {
        Some(_) => String::new(),
        None => format!(
            "\n  its files cannot be read: the next login of its issuer and client replaces \
             them, or remove them with: rm {}",
            crate::text::shell_quote(&dir.join(&r.id).display().to_string()) + ".*"
        ),
    };
    format!(
        "\n{}  client {}{account}\n  {who}; {expiry}\n  {refresh}; store: {store}; last refreshed {last}{contexts}{fix}\n",
        crate::text::one_line(&or(&r.issuer, "unknown issuer")),
        crate::text::one_line(&or(&r.client_id, "?")),
    )
}

pub fn run(args: &StatusArgs, now: i64) -> anyhow::Result<ExitStatus> {
    let default_dir = settings::cache_dir(args.token_cache_dir.as_deref())?;
    let sessions = super::by_context::contexts_by_session(args.kubeconfig.as_deref()).0;
    // The cache directories: the one given (or the default), and, unless one was given, each
    // kubeconfig entry's own (its --token-cache-dir), as login and logout read them.
    let mut dirs = vec![default_dir];
    if args.token_cache_dir.is_none() {
        for (dir, _) in sessions.keys() {
            if !dirs.contains(dir) {
                dirs.push(dir.clone());
            }
        }
    }
    if let Some(context) = &args.context {
        // Only where that context's session is.
        let of_context: Vec<_> = sessions
            .iter()
            .filter(|(_, contexts)| contexts.contains(context))
            .map(|((dir, _), _)| dir.clone())
            .collect();
        if !of_context.is_empty() {
            dirs.retain(|d| of_context.contains(d));
        }
    }
    let mut rows = Vec::new();
    for dir in &dirs {
        let store = Store::new(dir.clone(), Backend::SealedSession);
        let mut here = match rows_of(&store, now) {
            Ok(r) => r,
            // Another entry's directory that cannot be read is said, and the rest shown.
            Err(e) if Some(dir) != dirs.first() => {
                crate::ui::warn(&format!("{e:#}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        for r in &mut here {
            r.contexts = sessions
                .get(&(dir.clone(), r.id.clone()))
                .cloned()
                .unwrap_or_default();
        }
        rows.extend(here);
    }
    if let Some(context) = &args.context {
        rows.retain(|r| r.contexts.iter().any(|c| c == context));
    }
    let out = match args.output {
        // serde_json escapes the C0 controls only; the rest a terminal would act on too.
        OutputFormat::Json => {
            crate::text::json_for_terminal(&serde_json::to_string_pretty(&rows)?) + "\n"
        }
        OutputFormat::Text => text(&rows, &dirs, args.context.as_deref()),
    };
    super::print("status", out.as_bytes())?;
    if !sessions.is_empty() {
        warn_if_kubectl_refuses();
    }
    Ok(ExitStatus::Success)
}

/// Sessions of kubeconfig contexts that kubectl cannot use: its credential plugin policy
/// (kuberc) refuses the plugin. Said, with the fix.
fn warn_if_kubectl_refuses() {
    if let Some((kuberc, why)) = crate::kubeconfig::policy::refusal() {
        crate::ui::warn(&format!(
            "kubectl will not run kubectl-oidc for these contexts: {why} ({}); `kubectl oidc \
             setup --kuberc-allow` adds it to the credentialPluginAllowlist",
            kuberc.display()
        ));
    }
}
