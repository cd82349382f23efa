//! Each grant's own options, apart from what every login shares: the browser login's (its
//! listener, redirect and opener, which the keyboard and device flows use too), the password
//! grant's, token exchange's.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::sources::{SecretOrFile, secret_or_file, subject_digest, subject_token};
use super::{BrowserPolicy, EntrySettings, Opener};
use crate::cache::key::Served;
use crate::cli::TokenArgs;
use crate::secret::Secret;

/// The browser login's options.
pub struct BrowserLogin {
    pub redirect_url: Option<url::Url>,
    pub listen: Vec<SocketAddr>,
    pub opener: Opener,
    /// `--browser` (`--skip-open-browser` is `Never`): whether a call without a terminal may
    /// open the browser login (auth/desktop.rs).
    pub when: BrowserPolicy,
    /// `--notify=auto`: a desktop notification when the browser opens without a terminal.
    pub notify: bool,
    /// The host of the default redirect URI (`--oidc-redirect-url-hostname`, else the
    /// preset's, else the listener's address).
    pub redirect_host: Option<String>,
    /// The path of the default redirect URI: `/callback`, or none at all in kubelogin's
    /// `http://HOST:PORT` (`--oidc-redirect-url-hostname`).
    pub redirect_path: &'static str,
    /// `--local-server-cert`, `--local-server-key`: the listener serves HTTPS.
    pub local_server_tls: Option<(PathBuf, PathBuf)>,
    /// `--open-url-after-authentication`: where the success page sends the browser.
    pub open_url_after_authentication: Option<url::Url>,
    /// A kubeconfig entry's variables, for the browser too (login and logout through a
    /// context).
    pub(super) env: Vec<(String, String)>,
}

impl BrowserLogin {
    /// Open `url` in the browser ([`Opener::open`]), with the entry's variables.
    pub fn open(&self, url: &str) -> anyhow::Result<()> {
        self.opener.open(url, &self.env)
    }

    /// [`Opener::open_quietly`], with the entry's variables.
    pub fn open_quietly(&self, url: &str) -> anyhow::Result<()> {
        self.opener.open_quietly(url, &self.env)
    }
}

/// The password grant's options: `--username`, and the password or its file.
pub struct PasswordGrant {
    pub username: Option<String>,
    pub(super) password: SecretOrFile,
}

impl PasswordGrant {
    /// The password from the flag, the environment or the file, if any was given.
    pub fn password(&self) -> anyhow::Result<Option<Secret<String>>> {
        let (password, file) = &self.password;
        secret_or_file(password, file.as_deref(), "--password-file")
    }

    /// Whether the username and a password were given (without reading its file).
    pub fn complete(&self) -> bool {
        self.username.is_some() && (self.password.0.is_some() || self.password.1.is_some())
    }
}

/// Token exchange's options: the token to exchange, read when the settings are resolved (the
/// entry's key depends on it), and the token types.
pub struct ExchangeGrant {
    pub subject_token: Secret<String>,
    pub subject_token_type: String,
    pub requested_token_type: String,
}

impl ExchangeGrant {
    /// For a grant keyed by its subject (token exchange): its subject token, read now, and the
    /// entry's key made one per subject (each subject token is exchanged for a token of its
    /// own).
    pub(super) fn resolve(
        args: &TokenArgs,
        entry: &mut EntrySettings,
    ) -> anyhow::Result<Option<Self>> {
        if !args.grant_type.per_subject() {
            return Ok(None);
        }
        let subject = subject_token(args)?;
        entry.key = entry
            .key
            .clone()
            .serving(Served::Exchanged(subject_digest(&subject)));
        Ok(Some(Self {
            subject_token: subject,
            subject_token_type: args.subject_token_type.clone(),
            requested_token_type: args.requested_token_type.clone(),
        }))
    }
}
