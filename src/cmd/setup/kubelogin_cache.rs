//! The sessions kubelogin keeps (its token cache files and keyring items), matched to the
//! kubelogin users being migrated by issuer, client and account (`kubeconfig::migrate::
//! pick_sessions`): a user gets its own session or none, never another's. What becomes of
//! kubelogin's copy of an imported token (it stays, said with its risk, or is moved aside
//! with `--remove-kubelogin-cache`) is decided here too.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::migrate::{Found, Prepared};
use crate::cache;
use crate::kubeconfig::migrate::{self, Migration, Source};
use crate::secret::Secret;
use crate::settings;
use crate::token::jwt;

/// The sessions kubelogin keeps, for the kubelogin users being migrated: in each user's token
/// cache directory (its `--token-cache-dir`, else `$KUBECACHEDIR/oidc-login`, else
/// `~/.kube/cache/oidc-login`; files of `{"id_token", "refresh_token"}`) and kubelogin's
/// keyring items. kubelogin names them by a digest of Go's gob encoding of its key, which
/// changes with kubelogin's and Go's versions, so they are matched by content
/// ([`migrate::pick_sessions`]: issuer, client and account; ambiguous ones go to nobody).
pub(super) fn pick_sessions(prepared: &mut [Prepared]) {
    let cached = kubelogin_sessions(prepared);
    let kubelogin: Vec<usize> = (0..prepared.len())
        .filter(|&i| prepared[i].migration.source == Source::Kubelogin)
        .collect();
    let digests: Vec<String> = kubelogin
        .iter()
        .map(|&i| prepared[i].entry.key.digest())
        .collect();
    let wants: Vec<migrate::Wants<'_>> = kubelogin
        .iter()
        .zip(&digests)
        .map(|(&i, key)| migrate::Wants {
            issuer: &prepared[i].migration.issuer,
            client_id: &prepared[i].migration.client_id,
            accounts: &prepared[i].migration.accounts,
            key,
        })
        .collect();
    let claims: Vec<serde_json::Value> = cached.iter().map(|(c, ..)| c.clone()).collect();
    let picks = migrate::pick_sessions(&wants, &claims);
    for (&i, pick) in kubelogin.iter().zip(picks) {
        prepared[i].refresh_token = match pick {
            migrate::Pick::Session(s) => Found::Token(cached[s].1.clone(), cached[s].2.clone()),
            migrate::Pick::Nothing => Found::Nothing,
            migrate::Pick::Ambiguous(why) => Found::Ambiguous(why),
        };
    }
}

/// The sessions in kubelogin's cache directories of these migrations and its keyring items:
/// each id_token's claims, its refresh token, and where it was found.
fn kubelogin_sessions(prepared: &[Prepared]) -> Vec<(serde_json::Value, Secret<String>, Origin)> {
    let mut cached = Vec::new();
    let mut consider = |bytes: &[u8], from: Origin| {
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
        if !c.refresh_token.is_empty() {
            cached.push((claims, Secret::new(c.refresh_token), from));
        }
    };
    let kubelogin: Vec<&Prepared> = prepared
        .iter()
        .filter(|p| p.migration.source == Source::Kubelogin)
        .collect();
    let mut dirs: Vec<PathBuf> = kubelogin
        .iter()
        .filter_map(|p| kubelogin_cache_dir(&p.migration))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = file.path();
            // Its lock files are `<key>.lock`; the caches have no extension.
            if path.extension().is_some() || !path.is_file() {
                continue;
            }
            if let Ok(Some(bytes)) = cache::file::read(&path) {
                consider(&bytes, Origin::KubeloginFile(path));
            }
        }
    }
    if !kubelogin.is_empty() {
        for (name, bytes) in cache::keyring::kubelogin_items() {
            consider(&bytes, Origin::KubeloginKeyring(name));
        }
    }
    cached
}

/// Where kubelogin keeps the token cache of this entry.
fn kubelogin_cache_dir(m: &Migration) -> Option<PathBuf> {
    Some(match &m.kubelogin_cache_dir {
        Some(d) => settings::expand_home(Path::new(d)),
        None => match crate::settings::kube_cache_dir_env() {
            Some(d) => d.join("oidc-login"),
            None => directories::BaseDirs::new()?
                .home_dir()
                .join(".kube/cache/oidc-login"),
        },
    })
}

/// Where an imported refresh token was found.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    /// The kubeconfig's auth-provider entry (which the migration replaces).
    AuthProvider,
    /// A kubelogin token cache file, and a kubelogin keyring item (its name): kubelogin's
    /// copy, which stays unless `--remove-kubelogin-cache`.
    KubeloginFile(PathBuf),
    KubeloginKeyring(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AuthProvider => f.write_str("the kubeconfig's auth-provider entry"),
            Self::KubeloginFile(p) => write!(f, "kubelogin's token cache {}", p.display()),
            Self::KubeloginKeyring(n) => write!(f, "kubelogin's keyring item {n}"),
        }
    }
}

/// kubelogin's copy of a refresh token found in its cache: said to stay, with the risk (a
/// provider that rotates refresh tokens refuses the one kubectl-oidc has spent, and some then
/// revoke the whole grant, ending both sessions), or, with `--remove-kubelogin-cache`, moved
/// aside (`act`: now; else what would be done). `None` for a token not from kubelogin.
pub(super) fn kubelogin_copy(found: &Found, remove: bool, act: bool) -> Option<String> {
    let Found::Token(_, origin) = found else {
        return None;
    };
    let aside = |path: &Path| {
        path.with_file_name(format!(
            "{}.kubectl-oidc.bak",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("cache")
        ))
    };
    let line = match (origin, remove, act) {
        (Origin::AuthProvider, ..) => return None,
        (_, false, _) => format!(
            "  kubelogin's copy stays in {origin}: once kubectl-oidc refreshes, a provider that \
             rotates refresh tokens refuses kubelogin's (invalid_grant) and may revoke the session \
             for both; --remove-kubelogin-cache moves it aside"
        ),
        (Origin::KubeloginFile(path), true, false) => format!(
            "  kubelogin's copy would move aside to {} (0600)",
            aside(path).display()
        ),
        (Origin::KubeloginKeyring(_), true, false) => {
            format!("  kubelogin's copy would be removed from {origin}")
        }
        (Origin::KubeloginFile(path), true, true) => match move_aside(path, &aside(path)) {
            Ok(()) => format!(
                "  kubelogin's copy moved aside to {} (0600): kubelogin logs in anew if it is used",
                aside(path).display()
            ),
            Err(e) => format!("  kubelogin's copy stays in {origin}: {e:#}"),
        },
        (Origin::KubeloginKeyring(name), true, true) => {
            match cache::keyring::remove_kubelogin_item(name) {
                Ok(()) => format!("  kubelogin's copy removed from {origin}"),
                Err(e) => format!("  kubelogin's copy stays in {origin}: {e}"),
            }
        }
    };
    Some(line)
}

/// kubelogin's cache file renamed to `backup`, readable by its owner alone.
fn move_aside(path: &Path, backup: &Path) -> anyhow::Result<()> {
    std::fs::rename(path, backup)
        .with_context(|| format!("cannot move {} to {}", path.display(), backup.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(backup, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} 0600", backup.display()))?;
    }
    Ok(())
}
