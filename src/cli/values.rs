//! The values of the command line: what `--token-cache-storage`, `--oidc-pkce-method`,
//! `--browser`, `--notify` and `completion` accept (clap's own enums), and `--provider` and
//! `--grant-type`, read by name from the tables below (`presets.rs`, `grants.rs`), whose
//! entries and help they are.

use clap::ValueEnum;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::grants::Grant;
use crate::presets::Provider;

/// Where tokens are kept (`--token-cache-storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StorageMode {
    /// Refresh token sealed by the OS keyring; falls back to `disk` (with a notice) without one.
    Auto,
    /// Everything sealed by the OS keyring; fails if there is none. Every call reads the keyring.
    Keyring,
    /// Plain 0600 files, like kubelogin's default.
    Disk,
    /// Keep nothing: every call logs in.
    None,
}

/// `--oidc-pkce-method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PkceMethod {
    /// S256 when the provider advertises it in code_challenge_methods_supported.
    Auto,
    #[value(name = "S256")]
    S256,
    No,
}

/// `completion SHELL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// `--browser`: whether a login may open the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BrowserWhen {
    /// From a terminal, always; without one (an IDE, Lens, Headlamp), once per session and
    /// only on a desktop: not in CI, not over SSH.
    Auto,
    /// Also without a terminal, wherever it runs (once per session still).
    Always,
    /// Never: the login URL is printed (as --skip-open-browser), and a call without a
    /// terminal fails at once with the command that logs in.
    Never,
}

/// `--notify`: a desktop notification when the browser opens without a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyWhen {
    /// When a call without a terminal opens the browser (once per such login), where the
    /// desktop has a notification service.
    Auto,
    Never,
}

/// `--provider` and `--grant-type`: `auto`, or an entry of their table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrAuto<T> {
    Auto,
    Is(T),
}

/// A table's entries (`auto` first), their names and help.
pub trait Table: Copy + Send + Sync + 'static {
    const ALL: &'static [Self];
    const AUTO: &'static str;
    fn name(self) -> &'static str;
    fn help(self) -> &'static str;
}

impl Table for Grant {
    const ALL: &'static [Self] = Grant::ALL;
    const AUTO: &'static str = "The browser flow, or the password grant with --username; \
        without a browser here, the device flow (or the pasted code)";
    fn name(self) -> &'static str {
        Grant::name(self)
    }
    fn help(self) -> &'static str {
        Grant::help(self)
    }
}

impl Table for Provider {
    const ALL: &'static [Self] = &Provider::ALL;
    const AUTO: &'static str =
        "Detect from the issuer URL (Cognito, Entra ID, Google, Okta, Keycloak, Dex), else generic";
    fn name(self) -> &'static str {
        Provider::name(self)
    }
    fn help(self) -> &'static str {
        Provider::help(self)
    }
}

impl<T: Table> OrAuto<T> {
    /// `auto`, or the entry of this name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "auto" => Some(OrAuto::Auto),
            _ => T::ALL
                .iter()
                .find(|t| t.name() == name)
                .map(|t| OrAuto::Is(*t)),
        }
    }

    /// Its spelling on the command line.
    pub fn name(self) -> &'static str {
        match self {
            OrAuto::Auto => "auto",
            OrAuto::Is(t) => t.name(),
        }
    }
}

impl OrAuto<Grant> {
    /// A grant keyed by its subject (token exchange) was chosen: the cache entry depends on
    /// the subject token (`auto` never is one).
    pub fn per_subject(self) -> bool {
        matches!(self, OrAuto::Is(g) if g.per_subject())
    }
}

/// clap's parser for a table's values, with their help.
fn table<T: Table>() -> impl TypedValueParser<Value = OrAuto<T>> {
    let values = std::iter::once(PossibleValue::new("auto").help(T::AUTO)).chain(
        T::ALL
            .iter()
            .map(|t| PossibleValue::new(t.name()).help(t.help())),
    );
    PossibleValuesParser::new(values).map(|name| OrAuto::parse(&name).unwrap_or(OrAuto::Auto))
}

/// `--grant-type`.
pub fn grant_type() -> impl TypedValueParser<Value = OrAuto<Grant>> {
    table::<Grant>()
}

/// `--provider`.
pub fn provider() -> impl TypedValueParser<Value = OrAuto<Provider>> {
    table::<Provider>()
}
