//! The choices the login makes, as the code below `settings/` sees them: domain types, mapped
//! once here from the clap values (the clap enums stop at `settings/`).

use crate::cli::{BrowserWhen, GrantType, NotifyWhen, PkceMethod, ProviderArg};
use crate::presets::Provider;

/// How to log in: `--grant-type`, with `auto` resolved (the password grant when a username is
/// given, as in kubelogin, else the browser flow, which `auth::flow` may still change by the
/// place: `Settings::grant_auto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    AuthCode,
    Keyboard,
    Password,
    DeviceCode,
    ClientCredentials,
    TokenExchange,
}

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

/// `--grant-type` resolved; `has_username`: `--username` was given.
pub fn grant(g: GrantType, has_username: bool) -> (Grant, bool) {
    match g {
        GrantType::Auto if has_username => (Grant::Password, false),
        GrantType::Auto => (Grant::AuthCode, true),
        GrantType::Authcode => (Grant::AuthCode, false),
        GrantType::AuthcodeKeyboard => (Grant::Keyboard, false),
        GrantType::Password => (Grant::Password, false),
        GrantType::DeviceCode => (Grant::DeviceCode, false),
        GrantType::ClientCredentials => (Grant::ClientCredentials, false),
        GrantType::TokenExchange => (Grant::TokenExchange, false),
    }
}

/// `--grant-type`'s spelling on the command line.
pub fn grant_name(g: GrantType) -> &'static str {
    match g {
        GrantType::Auto => "auto",
        GrantType::Authcode => "authcode",
        GrantType::AuthcodeKeyboard => "authcode-keyboard",
        GrantType::Password => "password",
        GrantType::DeviceCode => "device-code",
        GrantType::ClientCredentials => "client-credentials",
        GrantType::TokenExchange => "token-exchange",
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
pub fn provider(arg: ProviderArg, issuer: &str) -> Provider {
    use clap::ValueEnum as _;
    match arg {
        ProviderArg::Auto => crate::presets::detect(issuer),
        // `--provider`'s values are the presets' names (a test holds every value to one), so
        // a new preset is its profile in presets.rs and its value in cli/values.rs.
        other => other
            .to_possible_value()
            .and_then(|v| Provider::from_name(v.get_name()))
            .unwrap_or(Provider::Generic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum as _;

    /// The spellings are clap's own.
    #[test]
    fn grant_names_are_claps() {
        for g in GrantType::value_variants() {
            let clap = g.to_possible_value().unwrap();
            assert_eq!(grant_name(*g), clap.get_name());
        }
        assert_eq!(grant(GrantType::Auto, true), (Grant::Password, false));
        assert_eq!(grant(GrantType::Auto, false), (Grant::AuthCode, true));
        assert_eq!(browser(BrowserWhen::Always, true), BrowserPolicy::Never);
        assert_eq!(pkce(PkceMethod::No, false, true, true), Pkce::Never);
        assert_eq!(pkce(PkceMethod::No, false, false, true), Pkce::Always);
    }

    /// Every `--provider` value but `auto` is a preset of the same name.
    #[test]
    fn every_provider_value_is_a_preset() {
        for arg in ProviderArg::value_variants() {
            let name = arg.to_possible_value().unwrap().get_name().to_owned();
            let provider = provider(*arg, "https://idp.example");
            match name.as_str() {
                "auto" => assert_eq!(provider, Provider::Generic),
                _ => assert_eq!(provider.name(), name),
            }
        }
    }
}
