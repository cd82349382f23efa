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
    pub issuer: String,
    pub client_id: String,
    /// kubelogin's `--token-cache-dir`, where its cache may hold a refresh token.
    pub kubelogin_cache_dir: Option<String>,
    /// The client secret the entry carried (kubelogin's argument or the auth-provider's
    /// `client-secret`): it goes to a 0600 file, referenced by --oidc-client-secret-file.
    pub client_secret: Option<Secret<String>>,
    /// The auth-provider's `refresh-token`, to import.
    pub refresh_token: Option<Secret<String>>,
}

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
    let client_secret =
        value_of(&normalized, "oidc-client-secret").map(|s| Secret::new(s.to_owned()));
    let kubelogin_cache_dir = value_of(&normalized, "token-cache-dir").map(str::to_owned);
    let mut args = without(normalized, "oidc-client-secret");
    keep_kubelogin_redirect(&mut args);
    let mut before = vec![exec.command.clone()];
    before.extend(exec.args.iter().map(|a| match a.split_once('=') {
        Some((k, _)) if k == "--oidc-client-secret" => format!("{k}=…"),
        _ => a.clone(),
    }));
    Ok(Migration {
        user: name.to_owned(),
        source: Source::Kubelogin,
        before: before.join(" "),
        args,
        dropped,
        issuer,
        client_id,
        kubelogin_cache_dir,
        client_secret,
        refresh_token: None,
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
        issuer,
        client_id,
        kubelogin_cache_dir: None,
        client_secret: text("client-secret").map(Secret::new),
        refresh_token: text("refresh-token").map(Secret::new),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubelogin_and_auth_provider_entries_are_planned() {
        let doc = serde_json::json!({"users": [
            {"name": "kl", "user": {"exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1",
                "command": "kubectl",
                "args": ["oidc-login", "get-token", "--oidc-issuer-url=https://idp", "--oidc-client-id=k",
                         "--oidc-client-secret=s3cret", "-v1", "--logtostderr", "--token-cache-dir=~/kl"]}}},
            {"name": "own-redirect", "user": {"exec": {
                "command": "kubelogin",
                "args": ["get-token", "--oidc-issuer-url=https://idp", "--oidc-client-id=k",
                         "--oidc-redirect-url=http://localhost:9000/cb"]}}},
            {"name": "ap", "user": {"auth-provider": {"name": "oidc", "config": {
                "idp-issuer-url": "https://idp", "client-id": "k", "client-secret": "apsecret",
                "extra-scopes": "email, groups", "idp-certificate-authority": "/ca.pem",
                "refresh-token": "rt-1", "id-token": "x.y.z"}}}},
            {"name": "ap-cert", "user": {"client-certificate": "/c.pem",
                "auth-provider": {"name": "oidc", "config": {"idp-issuer-url": "https://idp", "client-id": "k"}}}},
            {"name": "azure", "user": {"exec": {"command": "kubelogin",
                "args": ["get-token", "--login", "devicecode", "--server-id", "x"]}}},
            {"name": "gcp", "user": {"auth-provider": {"name": "gcp"}}},
            {"name": "ours", "user": {"exec": {"command": "kubectl-oidc", "args": ["get-token", "--oidc-issuer-url=https://idp"]}}}
        ]});
        let (m, skipped) = plan(&doc);
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m[0].user, "kl");
        assert_eq!(m[0].source, Source::Kubelogin);
        assert_eq!(
            m[0].args,
            [
                "--oidc-issuer-url=https://idp",
                "--oidc-client-id=k",
                "--v=1",
                "--token-cache-dir=~/kl",
                "--oidc-redirect-url-hostname=localhost"
            ]
        );
        assert_eq!(m[0].dropped, ["--logtostderr"]);
        assert_eq!(m[0].client_secret.as_ref().unwrap().expose(), "s3cret");
        assert_eq!(m[0].kubelogin_cache_dir.as_deref(), Some("~/kl"));
        assert!(!m[0].before.contains("s3cret") && m[0].before.contains("--oidc-client-secret=…"));
        assert_eq!(m[1].user, "own-redirect");
        assert!(
            !m[1].args.iter().any(|a| a.contains("hostname")),
            "{:?}",
            m[1].args
        );
        assert_eq!(m[2].source, Source::AuthProvider);
        assert_eq!(
            m[2].args,
            [
                "--oidc-issuer-url=https://idp",
                "--oidc-client-id=k",
                "--oidc-extra-scope=email",
                "--oidc-extra-scope=groups",
                "--certificate-authority=/ca.pem",
                "--oidc-redirect-url-hostname=localhost"
            ]
        );
        assert_eq!(m[2].client_secret.as_ref().unwrap().expose(), "apsecret");
        assert_eq!(m[2].refresh_token.as_ref().unwrap().expose(), "rt-1");
        assert!(!m[2].before.contains("apsecret") && !m[2].before.contains("rt-1"));
        assert_eq!(
            skipped,
            [Skipped {
                user: "ap-cert".into(),
                why: "it has \"client-certificate\" beside its auth-provider; move it by hand (see the README's migration section)".into()
            }]
        );
    }

    #[test]
    fn a_cached_token_is_matched_by_issuer_and_audience() {
        let c = |iss: &str, aud: Json| serde_json::json!({"iss": iss, "aud": aud});
        assert!(token_is_for(
            &c("https://idp/", "k".into()),
            "https://idp",
            "k"
        ));
        assert!(token_is_for(
            &c("https://idp", serde_json::json!(["a", "k"])),
            "https://idp/",
            "k"
        ));
        assert!(!token_is_for(
            &c("https://idp", "other".into()),
            "https://idp",
            "k"
        ));
        assert!(!token_is_for(
            &c("https://evil", "k".into()),
            "https://idp",
            "k"
        ));
        assert!(!token_is_for(&serde_json::json!({}), "https://idp", "k"));
    }
}
