//! The sessions kubelogin keeps (its token cache files and keyring items), matched to the
//! kubelogin users being migrated by issuer, client and account (`kubeconfig::migrate::
//! pick_sessions`): a user gets its own session or none, never another's.

use std::path::{Path, PathBuf};

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
fn kubelogin_sessions(prepared: &[Prepared]) -> Vec<(serde_json::Value, Secret<String>, String)> {
    let mut cached = Vec::new();
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
                consider(
                    &bytes,
                    format!("kubelogin's token cache {}", path.display()),
                );
            }
        }
    }
    if !kubelogin.is_empty() {
        for (name, bytes) in cache::keyring::kubelogin_items() {
            consider(&bytes, format!("kubelogin's keyring item {name}"));
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
