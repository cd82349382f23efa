//! Flags and environment, resolved once into validated settings. Cheap: the cache-hit path
//! runs this, so nothing it reaches reads a file or touches the network (the client secret and
//! CA files are read only on the stale path, an AuthenticationConfiguration only by
//! debug-token and setup).
//!
//! This module is where the environment is read (clippy.toml disallows it elsewhere, but for
//! the few snapshots that say why at their place).
#![allow(
    clippy::disallowed_methods,
    reason = "settings/ is where the environment is read"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;

use crate::cache::Store;
use crate::cache::key::{CacheKey, Served};
use crate::cli::{EntryArgs, StorageMode, TlsArgs, TokenArgs};
use crate::error::{Error, Kind, ResultExt as _};
use crate::grants::Grant;
use crate::oidc::browser::Opener;
use crate::oidc::http::TlsSettings;
use crate::oidc::transport;
use crate::presets::{self, Provider};
use crate::secret::Secret;

mod apiserver;
mod choices;
mod environment;
mod grants;
mod login;
mod sources;

pub use self::apiserver::{apiserver_flags, authentication_config, kube_version};
pub use self::choices::{BrowserPolicy, Pkce};
pub use self::environment::Env;
pub use self::grants::{BrowserLogin, ExchangeGrant, PasswordGrant};
use self::sources::{one_secret, secret_or_file};

/// Which cache entry, and where it is kept: what get-token and debug-token share.
pub struct EntrySettings {
    pub issuer: String,
    pub client_id: String,
    /// `--provider`, resolved (auto: detected from the issuer).
    pub provider: Provider,
    /// What the preset changed: scopes added, scopes dropped, parameters added (for
    /// [`EntrySettings::preset_note`], built only when it is said).
    preset_added: presets::Added,
    /// Every scope to request, `openid` first.
    pub scopes: Vec<String>,
    pub extra_params: Vec<(String, String)>,
    /// `--account`: one of several identities at this issuer and client.
    pub account: Option<String>,
    pub cache_dir: PathBuf,
    pub storage: StorageMode,
    pub key: CacheKey,
    /// `--oidc-use-access-token`: kubectl gets the access token.
    pub use_access_token: bool,
}

pub struct Settings {
    pub entry: EntrySettings,
    client_secret: Option<Secret<String>>,
    client_secret_file: Option<PathBuf>,
    pub pkce: Pkce,
    pub grant: Grant,
    /// `--grant-type=auto` chose the browser flow: the place may still choose another.
    pub grant_auto: bool,
    /// `--grant-type` as given, for messages.
    pub grant_name: &'static str,
    /// The browser login's options (the keyboard and device flows use its opener too).
    pub browser: BrowserLogin,
    pub password: PasswordGrant,
    /// A grant keyed by its subject (token exchange): its subject token and token types.
    pub exchange: Option<ExchangeGrant>,
    pub auth_timeout: Duration,
    /// `--authentication-timeout-sec` was given (else the device flow waits as long as its
    /// code lives).
    pub auth_timeout_explicit: bool,
    pub http_timeout: Duration,
    pub tls: TlsSettings,
    pub force_refresh: bool,
    /// `--oidc-request-header`: sent with every request to the provider.
    pub request_headers: Vec<(String, String)>,
    /// The environment the login sees (a kubeconfig entry's variables over this process's).
    pub env: Env,
}

fn usage(message: impl std::fmt::Display) -> anyhow::Error {
    Error::new(Kind::Usage, message)
}

fn parse_pair(s: &str) -> anyhow::Result<(String, String)> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(usage(format!(
            "--oidc-auth-request-extra-params {s:?} is not KEY=VALUE"
        ))),
    }
}

/// The user cache directory, e.g. `~/.cache/kubectl-oidc`.
pub fn default_cache_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "kubectl-oidc")
        .map(|d| d.cache_dir().to_path_buf())
        .context("cannot find a home directory for the token cache; pass --token-cache-dir")
        .kind(Kind::Config)
}

/// `--token-cache-dir` (or `KUBECTL_OIDC_TOKEN_CACHE_DIR`) with `~` expanded, else
/// `KUBECTL_OIDC_CACHE_DIR` (its older name), else the user cache directory.
pub fn cache_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    match flag {
        Some(d) => Ok(expand_home(d)),
        None => match std::env::var_os("KUBECTL_OIDC_CACHE_DIR").filter(|d| !d.is_empty()) {
            Some(d) => Ok(expand_home(Path::new(&d))),
            None => default_cache_dir(),
        },
    }
}

/// A required flag's trimmed value.
fn required(value: Option<&str>, message: impl FnOnce() -> String) -> anyhow::Result<String> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v.to_owned()),
        _ => Err(usage(message())),
    }
}

impl EntrySettings {
    pub fn resolve(args: &EntryArgs) -> anyhow::Result<Self> {
        let issuer = required(args.oidc_issuer_url.as_deref(), || {
            "--oidc-issuer-url is required: the issuer URL of your OpenID provider, as the API server's --oidc-issuer-url".into()
        })?;
        transport::no_credentials("--oidc-issuer-url", &issuer).map_err(usage)?;
        let client_id = required(args.oidc_client_id.as_deref(), || {
            format!("--oidc-client-id is required: the client ID registered at {issuer}")
        })?;
        let mut extra_params = args
            .oidc_auth_request_extra_params
            .iter()
            .map(|p| parse_pair(p))
            .collect::<anyhow::Result<Vec<_>>>()?;
        // An account is its own cache entry (the hint is part of the key), and a hint to the
        // provider which identity to log in with.
        let account = args
            .account
            .as_deref()
            .or(args.username.as_deref())
            .map(str::trim)
            .filter(|a| !a.is_empty());
        if let Some(a) = account
            && !extra_params.iter().any(|(k, _)| k == "login_hint")
        {
            extra_params.push(("login_hint".to_owned(), a.to_owned()));
        }
        // The provider's preset adds what it needs below the user's own flags.
        let provider = choices::provider(args.provider, &issuer);
        let mut asked = args.oidc_extra_scope.clone();
        let preset_added = presets::preset(provider).apply(&mut asked, &mut extra_params);
        let key = CacheKey::new(&issuer, &client_id, &asked, &extra_params).serving(
            match args.oidc_use_access_token {
                true => Served::AccessToken,
                false => Served::IdToken,
            },
        );
        let mut scopes = vec!["openid".to_owned()];
        scopes.extend(key.scopes.iter().filter(|s| *s != "openid").cloned());
        let cache_dir = cache_dir(args.token_cache_dir.as_deref())?;
        Ok(Self {
            issuer,
            client_id,
            provider,
            preset_added,
            scopes,
            extra_params,
            account: account.map(str::to_owned),
            cache_dir,
            storage: args.token_cache_storage,
            key,
            use_access_token: args.oidc_use_access_token,
        })
    }

    /// What the preset set, said on a login and by --show-config.
    pub fn preset_note(&self) -> Option<String> {
        let (added, refused, params) = &self.preset_added;
        presets::summary(self.provider, added, refused, params)
    }

    /// What the entry is for, kept beside its id_token for `status`.
    pub fn about(&self, refresh_token: bool) -> crate::cache::About {
        crate::cache::About {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            scopes: self.scopes.clone(),
            account: self.account.clone(),
            refresh_token,
        }
    }

    /// The store these settings select (constructed here only).
    pub fn store(&self) -> Store {
        Store::new(self.cache_dir.clone(), backend(self.storage))
    }
}

/// The client secret and the password, each from its flag or its file's (not both).
fn secrets(args: &TokenArgs) -> anyhow::Result<(sources::SecretOrFile, sources::SecretOrFile)> {
    let client_secret = one_secret(
        args,
        ("oidc-client-secret", &args.oidc_client_secret),
        ("oidc-client-secret-file", &args.oidc_client_secret_file),
    )?;
    let password = one_secret(
        args,
        ("password", &args.password),
        ("password-file", &args.password_file),
    )?;
    Ok((client_secret, password))
}

/// TLS trust for the provider from `--certificate-authority(-data)` and
/// `--insecure-skip-tls-verify`.
pub fn tls(args: &TlsArgs) -> TlsSettings {
    TlsSettings {
        ca_files: args
            .certificate_authority
            .iter()
            .map(|p| expand_home(p))
            .collect(),
        ca_data: args.certificate_authority_data.clone(),
        insecure_skip_verify: args.insecure_skip_tls_verify,
        entry_env: Default::default(),
    }
}

impl Settings {
    pub fn resolve(args: &TokenArgs, browser_env: Option<String>) -> anyhow::Result<Self> {
        Self::complete(EntrySettings::resolve(&args.entry)?, args, browser_env)
    }

    /// The rest of the settings, for an entry resolved already (get-token resolves the entry
    /// alone first: a cache hit needs nothing else).
    pub fn complete(
        mut entry: EntrySettings,
        args: &TokenArgs,
        browser_env: Option<String>,
    ) -> anyhow::Result<Self> {
        transport::check(
            &format!("--oidc-issuer-url {}", entry.issuer),
            &entry.issuer,
            args.tls.insecure_skip_tls_verify,
        )
        .map_err(usage)?;
        let preset = presets::preset(entry.provider);
        let (grant, grant_auto) = choices::grant(args.grant_type, args.entry.username.is_some());
        let ((client_secret, client_secret_file), password) = secrets(args)?;
        let exchange = ExchangeGrant::resolve(args, &mut entry)?;
        let env = Env::with_entry(&args.entry_env);
        let browser_env = env.entry_or("BROWSER", browser_env);
        Ok(Self {
            entry,
            client_secret,
            client_secret_file,
            pkce: choices::pkce(
                args.oidc_pkce_method,
                args.oidc_use_pkce,
                args.given.is_set("oidc-pkce-method"),
                preset.pkce_s256,
            ),
            grant,
            grant_auto,
            grant_name: args.grant_type.name(),
            browser: BrowserLogin::resolve(args, &preset, &env, browser_env)?,
            password: PasswordGrant {
                username: args.entry.username.clone(),
                password,
            },
            exchange,
            auth_timeout: Duration::from_secs(args.authentication_timeout_sec),
            auth_timeout_explicit: args.given.is_set("authentication-timeout-sec"),
            http_timeout: Duration::from_secs(args.tls.http_timeout_sec),
            tls: TlsSettings {
                entry_env: env.connection(),
                ..tls(&args.tls)
            },
            force_refresh: args.force_refresh,
            request_headers: login::request_headers(args)?,
            env,
        })
    }

    /// The client secret from the flag, the environment or the file (read now, on the slow path).
    pub fn client_secret(&self) -> anyhow::Result<Option<Secret<String>>> {
        secret_or_file(
            &self.client_secret,
            self.client_secret_file.as_deref(),
            "--oidc-client-secret-file",
        )
    }

    /// The HTTP client for the provider: TLS trust, timeout, extra headers.
    pub fn http_client(&self) -> anyhow::Result<crate::oidc::http::HttpClient> {
        crate::oidc::http::HttpClient::new(&self.tls, self.http_timeout)?
            .with_headers(&self.request_headers)
            .map_err(|e| usage(format!("--oidc-request-header: {e:#}")))
    }
}

/// `--token-cache-storage` as the store's backend.
fn backend(mode: StorageMode) -> crate::cache::Backend {
    use crate::cache::Backend;
    match mode {
        StorageMode::Auto => Backend::SealedSession,
        StorageMode::Keyring => Backend::Keyring,
        StorageMode::Disk => Backend::Plain,
        StorageMode::None => Backend::Nothing,
    }
}

/// `$BROWSER`, the browser command when `--browser-command` is not given.
pub fn browser_env() -> Option<String> {
    std::env::var("BROWSER").ok()
}

/// `$KUBERNETES_EXEC_INFO`, set by kubectl for a credential plugin.
pub fn exec_info_env() -> Option<String> {
    std::env::var("KUBERNETES_EXEC_INFO").ok()
}

/// `$PATH`, where kubectl finds a credential plugin.
pub fn path_env() -> Option<std::ffi::OsString> {
    std::env::var_os("PATH")
}

/// `$KUBERC` and the `KUBECTL_KUBERC` feature gate: where kubectl reads its preferences, and
/// whether it reads them.
pub fn kuberc_env() -> (Option<std::ffi::OsString>, Option<std::ffi::OsString>) {
    (
        std::env::var_os("KUBERC"),
        std::env::var_os("KUBECTL_KUBERC"),
    )
}

/// `$KUBECONFIG`, as kubectl reads it.
pub fn kubeconfig_env() -> Option<std::ffi::OsString> {
    std::env::var_os("KUBECONFIG")
}

/// `$KUBECACHEDIR`, where kubelogin keeps its cache when set.
pub fn kube_cache_dir_env() -> Option<PathBuf> {
    std::env::var_os("KUBECACHEDIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// `$NO_COLOR` is set to something.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// `~/x` as kubelogin accepts it in --token-cache-dir.
pub fn expand_home(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(base)) => base.home_dir().join(rest),
        _ => p.to_path_buf(),
    }
}
