//! PURE. What `setup --migrate` makes of a kubeconfig's users: kubelogin's exec entries
//! (`kubectl oidc-login get-token ...`, `kubelogin get-token ...`) and the legacy
//! `auth-provider: oidc` entries kubectl removed in 1.26 become `kubectl-oidc get-token`
//! entries that change nothing at the provider:
//! - kubelogin's redirect is kept (`http://localhost:PORT`, no path, ports 8000 then 18000)
//!   unless the entry set its own, so the redirect URIs registered for kubelogin still work;
//! - kubelogin's logging flags (`-v1`, `--logtostderr`, ...) become our verbosity or go;
//! - a client secret leaves the arguments for a 0600 file the caller writes;
//! - the refresh token an auth-provider entry holds leaves the kubeconfig, to be imported
//!   into our cache (so is kubelogin's, found by the caller in kubelogin's token cache).

use serde_json::Value as Json;

use super::{Exec, Plugin};
use crate::secret::Secret;

/// Where a migrated user came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A kubelogin exec entry: its apiVersion, interactiveMode and env stay.
    Kubelogin,
    /// An `auth-provider: oidc` entry: replaced by an exec entry.
    AuthProvider,
}

/// One user to migrate.
#[derive(Debug)]
pub struct Migration {
    pub user: String,
    pub source: Source,
    /// The entry as it was, for people (no value that may be secret).
    pub before: String,
    /// get-token's arguments of the new entry, without the client secret.
    pub args: Vec<String>,
    /// kubelogin's logging flags left out.
    pub dropped: Vec<String>,
    /// The entry's log level (`-v1` as `--v=1`), left out: in an entry it makes every kubectl
    /// call print the plugin's trace, cache hits too.
    pub log_level: Option<String>,
    pub issuer: String,
    pub client_id: String,
    /// kubelogin's `--token-cache-dir`, where its cache may hold a refresh token.
    pub kubelogin_cache_dir: Option<String>,
    /// The client secret the entry carried (kubelogin's argument or the auth-provider's
    /// `client-secret`): it goes to a 0600 file, referenced by --oidc-client-secret-file.
    pub client_secret: Option<Secret<String>>,
    /// The auth-provider's `refresh-token`, to import.
    pub refresh_token: Option<Secret<String>>,
    /// kubelogin's `--password` (the password grant): it goes to a 0600 file, referenced by
    /// --password-file.
    pub password: Option<Secret<String>>,
    /// Who the entry logs in as, where it says so: its `login_hint`, `--username` or
    /// `--account` (kubelogin's cache key holds the first two), to tell apart the sessions of
    /// one issuer and client in kubelogin's cache.
    pub accounts: Vec<String>,
}

/// The flags whose value is a secret, in kubelogin's entries and ours: never printed, never
/// kept in the arguments.
pub const SECRET_FLAGS: [&str; 3] = ["oidc-client-secret", "password", "subject-token"];

/// A user that looked like one to migrate but cannot be, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Skipped {
    pub user: String,
    pub why: String,
}

/// The users of a kubeconfig (`kubectl config view --raw -o json`) to migrate.
pub fn plan(doc: &Json) -> (Vec<Migration>, Vec<Skipped>) {
    let mut migrations = Vec::new();
    let mut skipped = Vec::new();
    for u in doc["users"].as_array().into_iter().flatten() {
        let Some(name) = u["name"].as_str() else {
            continue;
        };
        let user = &u["user"];
        let result = if user["exec"].is_object() {
            let exec = super::Context::from_view(&serde_json::json!({"users": [u]})).exec;
            match exec.as_ref().and_then(|e| Some((e, e.get_token()?))) {
                Some((e, (Plugin::Kubelogin, args))) => Some(from_kubelogin(name, e, args)),
                _ => None,
            }
        } else if user["auth-provider"]["name"] == "oidc" {
            Some(from_auth_provider(name, user))
        } else {
            None
        };
        match result {
            Some(Ok(m)) => migrations.push(m),
            Some(Err(why)) => skipped.push(Skipped {
                user: name.to_owned(),
                why,
            }),
            None => {}
        }
    }
    (migrations, skipped)
}

/// The value of `--name` in `args` (`--name=v` or `--name v`).
fn value_of<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let eq = format!("--{name}=");
    args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix(&eq)
            .or_else(|| (a == &format!("--{name}")).then(|| args.get(i + 1).map(String::as_str))?)
    })
}

/// Every value of `--name` in `args` (`--name=v` or `--name v`), in order.
fn values_of<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    let eq = format!("--{name}=");
    let bare = format!("--{name}");
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(v) = a.strip_prefix(&eq) {
            out.push(v);
        } else if *a == bare
            && let Some(v) = it.next()
        {
            out.push(v);
        }
    }
    out
}

/// The command line for people: the value of every [`SECRET_FLAGS`] flag, in either spelling
/// (`--name=v`, `--name v`), as `…`.
pub fn redacted(command: &str, args: &[String]) -> String {
    let mut out = vec![command.to_owned()];
    let mut hide_next = false;
    for a in args {
        if std::mem::take(&mut hide_next) {
            out.push("…".to_owned());
            continue;
        }
        let flag = a.strip_prefix("--").unwrap_or("");
        match flag.split_once('=') {
            Some((name, _)) if SECRET_FLAGS.contains(&name) => out.push(format!("--{name}=…")),
            None if SECRET_FLAGS.contains(&flag) => {
                hide_next = true;
                out.push(a.clone());
            }
            _ => out.push(a.clone()),
        }
    }
    out.join(" ")
}

/// Who an entry logs in as, where its arguments say: `login_hint` among its authorization
/// parameters, `--username`, `--account`.
fn accounts_of(args: &[String]) -> Vec<String> {
    let mut out: Vec<String> = values_of(args, "oidc-auth-request-extra-params")
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix("login_hint="))
        .chain(values_of(args, "username"))
        .chain(values_of(args, "account"))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    out.dedup();
    out
}

/// `args` without `--name` and its value.
fn without(args: Vec<String>, name: &str) -> Vec<String> {
    let eq = format!("--{name}=");
    let bare = format!("--{name}");
    let mut out = Vec::with_capacity(args.len());
    let mut skip_next = false;
    for a in args {
        if skip_next {
            skip_next = false;
        } else if a == bare {
            skip_next = true;
        } else if !a.starts_with(&eq) {
            out.push(a);
        }
    }
    out
}

/// kubelogin's redirect (`http://localhost:PORT`) unless the entry sets one itself.
pub fn keep_kubelogin_redirect(args: &mut Vec<String>) {
    if value_of(args, "oidc-redirect-url").is_none()
        && value_of(args, "oidc-redirect-url-hostname").is_none()
    {
        args.push("--oidc-redirect-url-hostname=localhost".to_owned());
    }
}

fn from_kubelogin(name: &str, exec: &Exec, args: &[String]) -> Result<Migration, String> {
    let (normalized, dropped) = crate::cli::klog::normalize_strings(args);
    let (levels, normalized): (Vec<String>, Vec<String>) =
        normalized.into_iter().partition(|a| a.starts_with("--v="));
    let env = |k: &str| {
        exec.env
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let issuer = value_of(&normalized, "oidc-issuer-url")
        .or_else(|| env("KUBECTL_OIDC_ISSUER_URL"))
        .ok_or("its kubelogin entry has no --oidc-issuer-url")?
        .to_owned();
    let client_id = value_of(&normalized, "oidc-client-id")
        .or_else(|| env("KUBECTL_OIDC_CLIENT_ID"))
        .ok_or("its kubelogin entry has no --oidc-client-id")?
        .to_owned();
    let secret = |flag: &str| value_of(&normalized, flag).map(|s| Secret::new(s.to_owned()));
    let client_secret = secret("oidc-client-secret");
    let password = secret("password");
    if value_of(&normalized, "subject-token").is_some() {
        return Err(
            "its arguments carry a secret (--subject-token); move it to a file by hand \
             (--subject-token-file) and migrate again"
                .to_owned(),
        );
    }
    let kubelogin_cache_dir = value_of(&normalized, "token-cache-dir").map(str::to_owned);
    let accounts = accounts_of(&normalized);
    let mut args = without(without(normalized, "oidc-client-secret"), "password");
    keep_kubelogin_redirect(&mut args);
    Ok(Migration {
        user: name.to_owned(),
        source: Source::Kubelogin,
        before: redacted(&exec.command, &exec.args),
        args,
        dropped,
        log_level: levels.last().cloned(),
        issuer,
        client_id,
        kubelogin_cache_dir,
        client_secret,
        refresh_token: None,
        password,
        accounts,
    })
}

fn from_auth_provider(name: &str, user: &Json) -> Result<Migration, String> {
    if let Some(other) = user
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .find(|k| *k != "auth-provider")
    {
        return Err(format!(
            "it has {other:?} beside its auth-provider; move it by hand (see the README's migration section)"
        ));
    }
    let config = &user["auth-provider"]["config"];
    let text = |k: &str| {
        config[k]
            .as_str()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let issuer = text("idp-issuer-url").ok_or("its auth-provider has no idp-issuer-url")?;
    let client_id = text("client-id").ok_or("its auth-provider has no client-id")?;
    let mut args = vec![
        format!("--oidc-issuer-url={issuer}"),
        format!("--oidc-client-id={client_id}"),
    ];
    for scope in text("extra-scopes")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        args.push(format!("--oidc-extra-scope={scope}"));
    }
    if let Some(ca) = text("idp-certificate-authority") {
        args.push(format!("--certificate-authority={ca}"));
    }
    if let Some(data) = text("idp-certificate-authority-data") {
        args.push(format!("--certificate-authority-data={data}"));
    }
    keep_kubelogin_redirect(&mut args);
    Ok(Migration {
        user: name.to_owned(),
        source: Source::AuthProvider,
        before: format!("auth-provider oidc (idp-issuer-url {issuer}, client-id {client_id})"),
        args,
        dropped: Vec::new(),
        log_level: None,
        issuer,
        client_id,
        kubelogin_cache_dir: None,
        client_secret: text("client-secret").map(Secret::new),
        refresh_token: text("refresh-token").map(Secret::new),
        password: None,
        accounts: Vec::new(),
    })
}

/// Whether a kubelogin cache's id_token is for this issuer and client: its `iss` (a trailing
/// slash aside) and its `aud` (or one of them).
pub fn token_is_for(claims: &Json, issuer: &str, client_id: &str) -> bool {
    let same_issuer = claims["iss"]
        .as_str()
        .is_some_and(|iss| iss.trim_end_matches('/') == issuer.trim_end_matches('/'));
    let audience = match &claims["aud"] {
        Json::String(a) => a == client_id,
        Json::Array(a) => a.iter().any(|x| x == client_id),
        _ => false,
    };
    same_issuer && audience
}

/// What a migrated user asks of kubelogin's token cache: its issuer, client and accounts
/// ([`Migration::accounts`]), and its cache entry of ours (`key`).
pub struct Wants<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub accounts: &'a [String],
    pub key: &'a str,
}

/// The session of kubelogin's cache a migrated user imports.
#[derive(Debug, PartialEq, Eq)]
pub enum Pick {
    /// This one (an index into the cached sessions' claims).
    Session(usize),
    /// None is for it.
    Nothing,
    /// Which one is its own cannot be told: none is imported, and why.
    Ambiguous(String),
}

/// The claims that name an account, as a login hint or a username would.
const ACCOUNT_CLAIMS: [&str; 4] = ["email", "preferred_username", "upn", "sub"];

/// A session's account, for people.
fn account_label(claims: &Json) -> String {
    ACCOUNT_CLAIMS
        .iter()
        .find_map(|c| claims[c].as_str())
        .unwrap_or("an account without sub")
        .to_owned()
}

/// Which cached session each migrated user takes, from the claims of the id_tokens kubelogin
/// cached: one of its issuer and client (`iss`, `aud`) and, when the entry names its account,
/// of that account (email, preferred_username, upn or sub); the newest (`iat`) of that one
/// account. Sessions of several accounts, or one session wanted by two users of different
/// cache entries, are ambiguous: importing would make one user act as another, and with
/// rotating refresh tokens spend one token twice.
pub fn pick_sessions(wants: &[Wants<'_>], cached: &[Json]) -> Vec<Pick> {
    let mut picks: Vec<Pick> = wants
        .iter()
        .map(|w| {
            let mine: Vec<usize> = (0..cached.len())
                .filter(|&i| token_is_for(&cached[i], w.issuer, w.client_id))
                .filter(|&i| {
                    w.accounts.is_empty()
                        || ACCOUNT_CLAIMS.iter().any(|c| {
                            cached[i][c].as_str().is_some_and(|v| {
                                w.accounts.iter().any(|a| a.eq_ignore_ascii_case(v))
                            })
                        })
                })
                .collect();
            let mut subjects: Vec<&str> = mine
                .iter()
                .map(|&i| cached[i]["sub"].as_str().unwrap_or(""))
                .collect();
            subjects.sort();
            subjects.dedup();
            if subjects.len() > 1 {
                let mut labels: Vec<String> =
                    mine.iter().map(|&i| account_label(&cached[i])).collect();
                labels.sort();
                labels.dedup();
                return Pick::Ambiguous(format!(
                    "kubelogin's token cache holds sessions of {} accounts of this issuer and \
                     client ({}), and the entry does not say which is its own (no login_hint \
                     or --username)",
                    subjects.len(),
                    labels.join(", ")
                ));
            }
            mine.into_iter()
                .max_by_key(|&i| cached[i]["iat"].as_i64().unwrap_or(0))
                .map_or(Pick::Nothing, Pick::Session)
        })
        .collect();
    // One session for two users of different entries: whose it is cannot be told either.
    for i in 0..picks.len() {
        let Pick::Session(s) = picks[i] else { continue };
        let sharing: Vec<usize> = (0..picks.len())
            .filter(|&j| picks[j] == Pick::Session(s) && wants[j].key != wants[i].key)
            .collect();
        if !sharing.is_empty() {
            for j in sharing.into_iter().chain([i]) {
                picks[j] = Pick::Ambiguous(format!(
                    "the one session kubelogin's token cache holds for this issuer and client \
                     ({}) would serve several users of different settings, and the entries do \
                     not say whose it is (no login_hint or --username)",
                    account_label(&cached[s])
                ));
            }
        }
    }
    picks
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;
