//! `setup --migrate`: kubelogin's exec entries and the legacy `auth-provider: oidc` entries
//! become kubectl-oidc entries (`kubeconfig::migrate` decides how), written under the
//! kubeconfig's lock, and their sessions come along: the refresh token of the auth-provider
//! entry, or the newest one in kubelogin's token cache for the same issuer and client, is
//! imported into ours, so the first kubectl call refreshes instead of opening a browser.
//! `--dry-run` says all of it and changes nothing. No token or secret is ever printed.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cache::{self, Session};
use crate::cli::SetupArgs;
use crate::error::{ExitStatus, Kind, ResultExt as _};
use crate::kubeconfig::migrate::{self, Migration, Source};
use crate::kubeconfig::write;
use crate::secret::Secret;
use crate::settings::{self, EntrySettings};
use crate::token::jwt;
use crate::ui;

pub fn run(args: &SetupArgs) -> anyhow::Result<ExitStatus> {
    let files = super::kubeconfig_files(args)?;
    let mut total = 0;
    for path in files.iter().filter(|p| p.exists() || files.len() == 1) {
        total += migrate_file(path, args.dry_run)?;
    }
    if total == 0 {
        let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        ui::info(&format!(
            "{}: no kubelogin or auth-provider oidc entry to migrate",
            shown.join(", ")
        ));
    }
    Ok(ExitStatus::Success)
}

/// One user's migration, made ready: the new entry's arguments (with the client secret's
/// file), its cache entry, and the refresh token found for it.
struct Prepared {
    migration: Migration,
    args: Vec<String>,
    entry: EntrySettings,
    secret_file: Option<PathBuf>,
    refresh_token: Option<(Secret<String>, String)>,
}

fn migrate_file(path: &Path, dry_run: bool) -> anyhow::Result<usize> {
    if dry_run {
        let (plans, skipped) = migrate::plan(&write::view(path)?);
        say_skipped(path, &skipped);
        let mut n = 0;
        for m in plans {
            match prepare(m, true) {
                Ok(p) => {
                    say(&p, None);
                    n += 1;
                }
                Err((user, e)) => ui::warn(&format!("user {user}: not migrated: {e:#}")),
            }
        }
        if n > 0 {
            ui::info(&format!("--dry-run: {} is unchanged", path.display()));
        }
        return Ok(n);
    }
    let mut prepared = Vec::new();
    let edited = write::edit(path, |doc| {
        let (plans, skipped) = migrate::plan(doc);
        say_skipped(path, &skipped);
        for m in plans {
            match prepare(m, false) {
                Ok(p) => prepared.push(p),
                Err((user, e)) => ui::warn(&format!("user {user}: not migrated: {e:#}")),
            }
        }
        Ok(write::Changes {
            commands: prepared.iter().flat_map(commands).collect(),
            install_hint_for: prepared.iter().map(|p| p.migration.user.clone()).collect(),
        })
    })?;
    let write::Edited::Written { backup } = edited else {
        return Ok(0);
    };
    for p in &prepared {
        let imported = import(p);
        say(p, Some(imported));
    }
    ui::info(&format!(
        "Migrated {} user{} in {}{}",
        prepared.len(),
        if prepared.len() == 1 { "" } else { "s" },
        path.display(),
        backup
            .map(|b| format!(" (the previous file is kept as {})", b.display()))
            .unwrap_or_default()
    ));
    Ok(prepared.len())
}

fn say_skipped(path: &Path, skipped: &[migrate::Skipped]) {
    for s in skipped {
        ui::warn(&format!(
            "{}: user {}: not migrated: {}",
            path.display(),
            s.user,
            s.why
        ));
    }
}

/// Make one migration ready: check its arguments, put the client secret in a 0600 file beside
/// the cache (not with `dry_run`), find the refresh token to import.
fn prepare(m: Migration, dry_run: bool) -> Result<Prepared, (String, anyhow::Error)> {
    let user = m.user.clone();
    let fail = |e: anyhow::Error| (user.clone(), e);
    let parsed = crate::cli::parse_get_token(&m.args).map_err(|e| {
        fail(anyhow::anyhow!(
            "its arguments are not kubectl-oidc's: {}",
            e.to_string().lines().next().unwrap_or_default()
        ))
    })?;
    let entry = EntrySettings::resolve(&parsed.args.entry).map_err(fail)?;
    let mut args = m.args.clone();
    let secret_file = m.client_secret.as_ref().map(|_| {
        entry
            .cache_dir
            .join("client-secrets")
            .join(entry.key.digest())
    });
    if let (Some(file), Some(secret)) = (&secret_file, &m.client_secret) {
        if !dry_run {
            write_secret(file, secret).map_err(fail)?;
        }
        args.push(format!("--oidc-client-secret-file={}", file.display()));
    }
    let refresh_token = match &m.refresh_token {
        Some(t) => Some((t.clone(), "the kubeconfig's auth-provider entry".to_owned())),
        None => kubelogin_refresh_token(&m),
    };
    Ok(Prepared {
        migration: m,
        args,
        entry,
        secret_file,
        refresh_token,
    })
}

/// The `kubectl config` commands of one migration: a kubelogin entry keeps its apiVersion,
/// interactiveMode and env, and runs kubectl-oidc; an auth-provider one is replaced by an exec
/// entry.
fn commands(p: &Prepared) -> Vec<Vec<String>> {
    let user = &p.migration.user;
    match p.migration.source {
        Source::Kubelogin => {
            let mut set = vec!["set-credentials".to_owned(), user.clone()];
            set.extend(write::exec_command(&p.args));
            vec![set]
        }
        Source::AuthProvider => vec![
            vec!["delete-user".to_owned(), user.clone()],
            write::set_credentials(user, &p.args),
        ],
    }
}

/// The client secret in a 0600 file of its own, in a 0700 directory beside the cache.
fn write_secret(file: &Path, secret: &Secret<String>) -> anyhow::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    cache::file::ensure_dir(dir).kind(Kind::Cache)?;
    cache::file::write_atomic(file, secret.expose().as_bytes()).kind(Kind::Cache)
}

/// Put the refresh token found into our cache entry, unless that entry already has a session
/// of its own (a newer one, from kubectl-oidc). What happened, for people.
fn import(p: &Prepared) -> anyhow::Result<String> {
    let Some((token, from)) = &p.refresh_token else {
        return Ok(
            "no refresh token was found for it (the first kubectl call opens a browser login)"
                .to_owned(),
        );
    };
    let store = p.entry.store();
    if store.backend() == cache::store::Backend::Nothing {
        return Ok(format!(
            "the refresh token in {from} was not imported: --token-cache-storage=none keeps nothing"
        ));
    }
    let entry = store.entry(p.entry.key.digest());
    let _lock = entry.lock(std::time::Duration::from_secs(30), |_, _| {})?;
    if entry
        .load_session()
        .is_some_and(|s| s.refresh_token.is_some())
    {
        return Ok(format!(
            "kubectl-oidc already has a session for it, which is kept (the refresh token in {from} was not imported)"
        ));
    }
    let session = Session {
        refresh_token: Some(token.clone()),
        provider: None,
    };
    entry
        .save_session(&session, None, None)
        .context("cannot store the imported refresh token")?;
    Ok(format!(
        "imported the refresh token from {from}: the next kubectl call refreshes it, no browser"
    ))
}

/// What one migration does, for people.
fn say(p: &Prepared, imported: Option<anyhow::Result<String>>) {
    let m = &p.migration;
    let mut lines = vec![
        format!("user {}:", m.user),
        format!("  - {}", m.before),
        format!("  + {} get-token {}", write::COMMAND, p.args.join(" ")),
    ];
    if !m.dropped.is_empty() {
        lines.push(format!(
            "  left out kubelogin's logging flags: {}",
            m.dropped.join(" ")
        ));
    }
    if let Some(file) = &p.secret_file {
        lines.push(format!(
            "  the client secret {} the 0600 file {} (--oidc-client-secret-file), not the arguments",
            if imported.is_some() { "moved to" } else { "would move to" },
            file.display()
        ));
    }
    if m.source == Source::AuthProvider {
        lines.push("  its id-token and refresh-token leave the kubeconfig".to_owned());
    }
    lines.push(match imported {
        None => match &p.refresh_token {
            Some((_, from)) => format!("  session: would import the refresh token from {from}"),
            None => "  session: no refresh token found for it (its first kubectl call opens a browser login)".to_owned(),
        },
        Some(Ok(what)) => format!("  session: {what}"),
        Some(Err(e)) => format!("  session: not imported: {e:#}"),
    });
    ui::info(&lines.join("\n"));
}

/// The newest refresh token kubelogin keeps for this issuer and client: in its token cache
/// directory (the entry's `--token-cache-dir`, else `$KUBECACHEDIR/oidc-login`, else
/// `~/.kube/cache/oidc-login`; files of `{"id_token", "refresh_token"}`) and its keyring
/// items. kubelogin names them by a digest of Go's gob encoding of its key, which changes
/// with kubelogin's and Go's versions, so they are matched by content: the id_token's `iss`
/// and `aud`; the newest `iat` wins.
fn kubelogin_refresh_token(m: &Migration) -> Option<(Secret<String>, String)> {
    let dir = match &m.kubelogin_cache_dir {
        Some(d) => settings::expand_home(Path::new(d)),
        None => match crate::settings::kube_cache_dir_env() {
            Some(d) => d.join("oidc-login"),
            None => directories::BaseDirs::new()?
                .home_dir()
                .join(".kube/cache/oidc-login"),
        },
    };
    let mut found: Vec<(i64, Secret<String>, String)> = Vec::new();
    let mut consider = |bytes: &[u8], from: String| {
        #[derive(serde::Deserialize)]
        struct Cached {
            #[serde(default)]
            id_token: String,
            #[serde(default)]
            refresh_token: String,
        }
        let Ok(c) = serde_json::from_slice::<Cached>(bytes) else {
            return;
        };
        let Ok(claims) = jwt::decode_payload::<serde_json::Value>(&c.id_token) else {
            return;
        };
        if c.refresh_token.is_empty() || !migrate::token_is_for(&claims, &m.issuer, &m.client_id) {
            return;
        }
        let iat = claims["iat"].as_i64().unwrap_or(0);
        found.push((iat, Secret::new(c.refresh_token), from));
    };
    for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = file.path();
        // Its lock files are `<key>.lock`; the caches have no extension.
        if path.extension().is_some() || !path.is_file() {
            continue;
        }
        if let Ok(Some(bytes)) = cache::file::read(&path) {
            consider(
                &bytes,
                format!("kubelogin's token cache {}", path.display()),
            );
        }
    }
    for (name, bytes) in cache::keyring::kubelogin_items() {
        consider(&bytes, format!("kubelogin's keyring item {name}"));
    }
    found.sort_by_key(|(iat, _, _)| std::cmp::Reverse(*iat));
    found.into_iter().next().map(|(_, t, from)| (t, from))
}
