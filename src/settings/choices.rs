//! The choices the login makes, as the code below `settings/` sees them: domain types, mapped
//! once here from the clap values (the clap enums stop at `settings/`; `--grant-type` and `--provider` are the tables' own types, `auto` resolved here).

use crate::cli::{BrowserWhen, NotifyWhen, OrAuto, PkceMethod};
use crate::grants::Grant;
use crate::presets::Provider;

/// Whether the browser login may open without a terminal (`--browser`; `--skip-open-browser`
/// is `Never`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserPolicy {
    /// On a desktop, not in CI, not over SSH.
    Auto,
    Always,
    Never,
}

/// PKCE: `--oidc-pkce-method`, `--oidc-use-pkce` and the provider's preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkce {
    /// S256 when the provider advertises it.
    IfAdvertised,
    Always,
    Never,
}

/// `--grant-type` resolved: `auto` is the password grant when a username is given (as in
/// kubelogin), else the browser flow, which `auth::flow` may still change by the place (the
/// `bool`: `Settings::grant_auto`).
pub fn grant(g: OrAuto<Grant>, has_username: bool) -> (Grant, bool) {
    match g {
        OrAuto::Auto if has_username => (Grant::Password, false),
        OrAuto::Auto => (Grant::AuthCode, true),
        OrAuto::Is(grant) => (grant, false),
    }
}

pub fn browser(b: BrowserWhen, skip_open_browser: bool) -> BrowserPolicy {
    match (b, skip_open_browser) {
        (_, true) | (BrowserWhen::Never, _) => BrowserPolicy::Never,
        (BrowserWhen::Always, false) => BrowserPolicy::Always,
        (BrowserWhen::Auto, false) => BrowserPolicy::Auto,
    }
}

pub fn notify(n: NotifyWhen) -> bool {
    n == NotifyWhen::Auto
}

/// `--oidc-use-pkce`, or `--oidc-pkce-method` (the preset's S256 unless it was given).
pub fn pkce(method: PkceMethod, use_pkce: bool, method_given: bool, preset_s256: bool) -> Pkce {
    match method {
        _ if use_pkce || (!method_given && preset_s256) => Pkce::Always,
        PkceMethod::S256 => Pkce::Always,
        PkceMethod::No => Pkce::Never,
        PkceMethod::Auto => Pkce::IfAdvertised,
    }
}

/// `--provider`, with `auto` resolved from the issuer URL.
pub fn provider(arg: OrAuto<Provider>, issuer: &str) -> Provider {
    match arg {
        OrAuto::Auto => crate::presets::detect(issuer),
        OrAuto::Is(provider) => provider,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices() {
        assert_eq!(grant(OrAuto::Auto, true), (Grant::Password, false));
        assert_eq!(grant(OrAuto::Auto, false), (Grant::AuthCode, true));
        assert_eq!(
            grant(OrAuto::Is(Grant::DeviceCode), true),
            (Grant::DeviceCode, false)
        );
        assert_eq!(browser(BrowserWhen::Always, true), BrowserPolicy::Never);
        assert_eq!(pkce(PkceMethod::No, false, true, true), Pkce::Never);
        assert_eq!(pkce(PkceMethod::No, false, false, true), Pkce::Always);
        assert_eq!(
            provider(OrAuto::Auto, "https://accounts.google.com"),
            Provider::Google
        );
        assert_eq!(
            provider(OrAuto::Is(Provider::Dex), "https://x"),
            Provider::Dex
        );
    }
}
