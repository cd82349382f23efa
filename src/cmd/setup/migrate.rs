//! `setup --migrate`: kubelogin's exec entries and the legacy `auth-provider: oidc` entries
//! become kubectl-oidc entries (`kubeconfig::migrate` decides how), and their sessions come
//! along: the refresh token of the auth-provider entry, or the user's own one in kubelogin's
//! token cache (kubelogin_cache.rs), is imported into ours first, so the first kubectl call
//! refreshes instead of opening a browser; then the entries of the users made ready are
//! written under the kubeconfig's lock. `--dry-run` says all of it and changes nothing. No
//! token or secret is ever printed.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::kubelogin_cache::{Origin, kubelogin_copy};
use crate::cache::{self, Session};
use crate::cli::SetupArgs;
use crate::error::{Error, ExitStatus, Kind, ResultExt as _};
use crate::kubeconfig::migrate::{self, Migration, Source};
use crate::kubeconfig::write;
use crate::secret::Secret;
use crate::settings::EntrySettings;
use crate::ui;

pub fn run(args: &SetupArgs, now: i64) -> anyhow::Result<ExitStatus> {
    let files = super::kubeconfig_files(args)?;
    let (mut total, mut failed) = (0, Vec::new());
    for path in files.iter().filter(|p| p.exists() || files.len() == 1) {
        let (migrated, not) = migrate_file(path, args, now)?;
        total += migrated;
        failed.extend(not);
    }
    if !failed.is_empty() {
        return Err(Error::new(
            Kind::Cache,
            format!(
                "user{} {} not migrated (above): {} kubeconfig entr{} unchanged; fix what is said \
                 and run `kubectl oidc setup --migrate` again",
                if failed.len() == 1 { "" } else { "s" },
                failed.join(", "),
                if failed.len() == 1 { "its" } else { "their" },
                if failed.len() == 1 { "y is" } else { "ies are" },
            ),
        ));
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

/// One user's migration, made ready: the new entry's arguments (with the client secret's and
/// the password's files), its cache entry, and the refresh token found for it.
pub(super) struct Prepared {
    pub(super) migration: Migration,
    args: Vec<String>,
    pub(super) entry: EntrySettings,
    secret_file: Option<PathBuf>,
    password_file: Option<PathBuf>,
    pub(super) refresh_token: Found,
}

/// The refresh token a migration brings along.
pub(super) enum Found {
    Token(Secret<String>, Origin),
    Nothing,
    /// kubelogin's cache holds sessions, but which is this user's cannot be told.
    Ambiguous(String),
}

/// Migrate the users of one kubeconfig file: each made ready (its secrets to files, its
/// session imported) first, outside the kubeconfig's lock; then the entries of those that
/// are ready written at once under the lock. A user whose secrets or session cannot be stored
/// keeps its entry as it was (its refresh token stays in it). The users migrated, and those
/// not.
fn migrate_file(path: &Path, args: &SetupArgs, now: i64) -> anyhow::Result<(usize, Vec<String>)> {
    let doc = write::view(path)?;
    let (plans, skipped) = migrate::plan(&doc);
    say_skipped(path, &skipped);
    let mut prepared = Vec::new();
    for m in plans {
        match prepare(m) {
            Ok(p) => prepared.push(p),
            Err((user, e)) => ui::warn(&format!("user {user}: not migrated: {e:#}")),
        }
    }
    super::kubelogin_cache::pick_sessions(&mut prepared);
    if args.dry_run {
        for p in &prepared {
            let copy = kubelogin_copy(&p.refresh_token, args.remove_kubelogin_cache, false);
            say(p, None, copy);
        }
        if !prepared.is_empty() {
            ui::info(&format!("--dry-run: {} is unchanged", path.display()));
        }
        return Ok((prepared.len(), Vec::new()));
    }
    let (ready, failed) = make_ready(prepared, now);
    if ready.is_empty() {
        return Ok((0, failed));
    }
    let migrated = write_ready(path, &doc, ready, args.remove_kubelogin_cache)?;
    Ok((migrated, failed))
}

/// Store each migration's secrets and import its session; those that failed are said and
/// named (their entries stay as they are).
fn make_ready(prepared: Vec<Prepared>, now: i64) -> (Vec<(Prepared, Imported)>, Vec<String>) {
    let (mut ready, mut failed) = (Vec::new(), Vec::new());
    for p in prepared {
        match store_secrets(&p).and_then(|()| import(&p, now)) {
            Ok(imported) => ready.push((p, imported)),
            Err(e) => {
                let user = crate::text::one_line(&p.migration.user);
                ui::warn(&format!(
                    "user {user}: not migrated, its entry is unchanged: {e:#}"
                ));
                failed.push(user);
            }
        }
    }
    (ready, failed)
}

/// Write the entries of the migrations made ready, under the kubeconfig's lock, on the file
/// as it is then: a user changed since `doc` was read is left alone. How many were written.
fn write_ready(
    path: &Path,
    doc: &serde_json::Value,
    mut ready: Vec<(Prepared, Imported)>,
    remove_kubelogin_cache: bool,
) -> anyhow::Result<usize> {
    let edited = write::edit(path, |now_doc| {
        ready.retain(|(p, _)| {
            let user = &p.migration.user;
            let same = write::user(now_doc, user) == write::user(doc, user);
            if !same {
                ui::warn(&format!(
                    "user {}: not migrated: its entry changed in {} while migrating; run setup --migrate again",
                    crate::text::one_line(user),
                    path.display()
                ));
            }
            same
        });
        Ok(write::Changes {
            commands: Vec::new(),
            users: ready.iter().map(|(p, _)| user_of(p, now_doc)).collect(),
            ..Default::default()
        })
    })?;
    let write::Edited::Written { backup } = edited else {
        return Ok(0);
    };
    // kubelogin's copy goes (when asked) only now that the entries no longer run kubelogin.
    for (p, imported) in &ready {
        let copy = imported
            .taken
            .then(|| kubelogin_copy(&p.refresh_token, remove_kubelogin_cache, true))
            .flatten();
        say(p, Some(&imported.text), copy);
    }
    ui::info(&format!(
        "Migrated {} user{} in {}{}",
        ready.len(),
        if ready.len() == 1 { "" } else { "s" },
        path.display(),
        backup
            .map(|b| format!(" (the previous file is kept as {}, 0600)", b.display()))
            .unwrap_or_default()
    ));
    Ok(ready.len())
}

fn say_skipped(path: &Path, skipped: &[migrate::Skipped]) {
    for s in skipped {
        ui::warn(&format!(
            "{}: user {}: not migrated: {}",
            path.display(),
            crate::text::one_line(&s.user),
            s.why
        ));
    }
}

/// Make one migration ready: check its arguments, name the 0600 files its client secret and
/// password go to (beside the cache, by its entry), take the auth-provider's refresh token.
fn prepare(m: Migration) -> Result<Prepared, (String, anyhow::Error)> {
    let user = m.user.clone();
    let fail = |e: anyhow::Error| (crate::text::one_line(&user), e);
    let parsed = crate::cli::parse_get_token(&m.args).map_err(|e| {
        fail(anyhow::anyhow!(
            "its arguments are not kubectl-oidc's: {}",
            e.to_string().lines().next().unwrap_or_default()
        ))
    })?;
    let entry = EntrySettings::resolve(&parsed.args.entry).map_err(fail)?;
    let mut args = m.args.clone();
    let file_of = |kind: &str, secret: &Option<Secret<String>>| {
        secret
            .as_ref()
            .map(|_| entry.cache_dir.join(kind).join(entry.key.digest()))
    };
    let secret_file = file_of("client-secrets", &m.client_secret);
    let password_file = file_of("passwords", &m.password);
    if let Some(file) = &secret_file {
        args.push(format!("--oidc-client-secret-file={}", file.display()));
    }
    if let Some(file) = &password_file {
        args.push(format!("--password-file={}", file.display()));
    }
    let refresh_token = match &m.refresh_token {
        Some(t) => Found::Token(t.clone(), Origin::AuthProvider),
        None => Found::Nothing,
    };
    Ok(Prepared {
        migration: m,
        args,
        entry,
        secret_file,
        password_file,
        refresh_token,
    })
}

/// The user object of one migration: a kubelogin entry keeps its apiVersion,
/// interactiveMode and env, and runs kubectl-oidc; an auth-provider one is replaced by an exec
/// entry.
fn user_of(p: &Prepared, doc: &serde_json::Value) -> (String, serde_json::Value) {
    let name = &p.migration.user;
    let base = match p.migration.source {
        Source::Kubelogin => write::user(doc, name),
        Source::AuthProvider => None,
    };
    (name.clone(), write::exec_user(&p.args, base))
}

/// The client secret and the password, each in a 0600 file of its own.
fn store_secrets(p: &Prepared) -> anyhow::Result<()> {
    let m = &p.migration;
    for (file, secret) in [
        (&p.secret_file, &m.client_secret),
        (&p.password_file, &m.password),
    ] {
        if let (Some(file), Some(secret)) = (file, secret) {
            write_secret(file, secret)?;
        }
    }
    Ok(())
}

/// The client secret in a 0600 file of its own, in a 0700 directory beside the cache.
fn write_secret(file: &Path, secret: &Secret<String>) -> anyhow::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    cache::file::ensure_dir(dir).kind(Kind::Cache)?;
    cache::file::write_atomic(file, secret.expose().as_bytes()).kind(Kind::Cache)
}

/// Put the refresh token found into our cache entry, unless that entry already has a session
/// of its own (a newer one, from kubectl-oidc), with a record of what it is for (issuer,
/// client, when it was imported) for `status` and `clean`. What happened, for people.
fn import(p: &Prepared, now: i64) -> anyhow::Result<Imported> {
    let (token, from) = match &p.refresh_token {
        Found::Token(token, from) => (token, from),
        Found::Nothing => {
            return Ok(Imported::not(
                "no refresh token was found for it (the first kubectl call opens a browser login)"
                    .to_owned(),
            ));
        }
        Found::Ambiguous(why) => {
            return Ok(Imported::not(format!(
                "nothing imported: {why}; its first kubectl call opens a browser login"
            )));
        }
    };
    let store = p.entry.store();
    if store.backend() == cache::store::Backend::Nothing {
        return Ok(Imported::not(format!(
            "the refresh token in {from} was not imported: --token-cache-storage=none keeps nothing"
        )));
    }
    let entry = store.entry(p.entry.key.digest());
    let _lock = entry.lock(std::time::Duration::from_secs(30), |_, _| {})?;
    if entry
        .load_session()
        .is_some_and(|s| s.refresh_token.is_some())
    {
        return Ok(Imported::not(format!(
            "kubectl-oidc already has a session for it, which is kept (the refresh token in {from} was not imported)"
        )));
    }
    let session = Session {
        refresh_token: Some(token.clone()),
        provider: None,
    };
    entry
        .save_session(&session, None, None)
        .context("cannot store the imported refresh token")?;
    entry
        .record_import(&p.entry.about(true), now)
        .context("cannot store the imported session's record")?;
    Ok(Imported {
        text: format!(
            "imported the refresh token from {from}: the next kubectl call refreshes it, no browser"
        ),
        taken: true,
    })
}

/// What the import of one migration did, for people, and whether it took the token.
pub(super) struct Imported {
    text: String,
    taken: bool,
}

impl Imported {
    fn not(text: String) -> Self {
        Self { text, taken: false }
    }
}

/// What one migration does, for people.
fn say(p: &Prepared, imported: Option<&String>, kubelogin_copy: Option<String>) {
    let m = &p.migration;
    let mut lines = vec![
        format!("user {}:", crate::text::one_line(&m.user)),
        format!("  - {}", crate::text::one_line(&m.before)),
        format!(
            "  + {} get-token {}",
            write::COMMAND,
            crate::text::one_line(&p.args.join(" "))
        ),
    ];
    if !m.dropped.is_empty() {
        lines.push(format!(
            "  left out kubelogin's logging flags: {}",
            crate::text::one_line(&m.dropped.join(" "))
        ));
    }
    if let Some(level) = &m.log_level {
        lines.push(format!(
            "  left out the log level ({}): in the entry it would print kubectl-oidc's trace on \
             every kubectl call; to debug, run `kubectl oidc login {}` or add it back",
            crate::text::one_line(level),
            crate::text::one_line(level)
        ));
    }
    for (what, file, flag) in [
        ("client secret", &p.secret_file, "oidc-client-secret-file"),
        ("password", &p.password_file, "password-file"),
    ] {
        if let Some(file) = file {
            lines.push(format!(
                "  the {what} {} the 0600 file {} (--{flag}), not the arguments",
                if imported.is_some() {
                    "moved to"
                } else {
                    "would move to"
                },
                file.display()
            ));
        }
    }
    if m.source == Source::AuthProvider {
        lines.push("  its id-token and refresh-token leave the kubeconfig".to_owned());
    }
    lines.push(match imported {
        None => match &p.refresh_token {
            Found::Token(_, from) => format!("  session: would import the refresh token from {from}"),
            Found::Nothing => "  session: no refresh token found for it (its first kubectl call opens a browser login)".to_owned(),
            Found::Ambiguous(why) => format!("  session: would import nothing: {why}; its first kubectl call opens a browser login"),
        },
        Some(what) => format!("  session: {what}"),
    });
    lines.extend(kubelogin_copy);
    ui::info(&lines.join("\n"));
}
