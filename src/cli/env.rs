//! Configuration from the environment: every get-token/login flag also reads
//! `KUBECTL_OIDC_<NAME>` (the long name without a leading `oidc-`, upper case, dashes as
//! underscores), and where each value came from is kept for `--show-config`.
//! Precedence: flag > environment > provider preset > default.

use std::collections::BTreeMap;

use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};

/// Flags that are not configuration: no variable.
const NOT_FROM_ENV: &[&str] = &["help", "verbose", "v", "show-config"];

/// `--oidc-issuer-url` -> `KUBECTL_OIDC_ISSUER_URL`, `--token-cache-dir` ->
/// `KUBECTL_OIDC_TOKEN_CACHE_DIR`.
pub fn env_name(long: &str) -> String {
    let name = long.strip_prefix("oidc-").unwrap_or(long);
    format!(
        "KUBECTL_OIDC_{}",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

/// `mut_args` of get-token, login and logout: give each flag its variable. List flags take
/// comma-separated values (as kubelogin's do on its command line too); switches take
/// true/false, 1/0, yes/no, on/off.
pub(super) fn token_arg(arg: Arg) -> Arg {
    let Some(long) = arg.get_long() else {
        return arg;
    };
    if NOT_FROM_ENV.contains(&long) || arg.is_hide_set() {
        return arg;
    }
    // clap keeps 'static names (without its "string" feature): a few dozen short strings,
    // made once per process.
    let name: &'static str = Box::leak(env_name(long).into_boxed_str());
    let arg = arg.env(name);
    match arg.get_action() {
        ArgAction::SetTrue => arg.value_parser(clap::builder::FalseyValueParser::new()),
        ArgAction::Append => arg.value_delimiter(','),
        _ => arg,
    }
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag,
    /// The variable's name.
    Env(String),
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag => f.write_str("flag"),
            Origin::Env(name) => f.write_str(name),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// Each given flag's raw values and origin, by long name (`oidc-issuer-url`).
#[derive(Debug, Clone, Default)]
pub struct Given(pub BTreeMap<String, (Vec<String>, Origin)>);

impl Given {
    pub fn of(cmd: &clap::Command, matches: &ArgMatches) -> Self {
        let mut given = BTreeMap::new();
        for arg in cmd.get_arguments() {
            let (Some(long), id) = (arg.get_long(), arg.get_id().as_str()) else {
                continue;
            };
            let origin = match matches.value_source(id) {
                Some(ValueSource::CommandLine) => Origin::Flag,
                Some(ValueSource::EnvVariable) => Origin::Env(
                    arg.get_env()
                        .map_or_else(String::new, |e| e.to_string_lossy().into_owned()),
                ),
                Some(ValueSource::DefaultValue) => Origin::Default,
                _ => continue,
            };
            let values = matches
                .get_raw(id)
                .map(|v| v.map(|s| s.to_string_lossy().into_owned()).collect())
                .unwrap_or_default();
            given.insert(long.to_owned(), (values, origin));
        }
        Self(given)
    }

    /// Where `--long` came from, if it was given at all (or has a default).
    pub fn origin(&self, long: &str) -> Option<&Origin> {
        self.0.get(long).map(|(_, o)| o)
    }

    /// True when the user set `--long`, by flag or variable.
    pub fn is_set(&self, long: &str) -> bool {
        matches!(self.origin(long), Some(Origin::Flag | Origin::Env(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule() {
        for (long, name) in [
            ("oidc-issuer-url", "KUBECTL_OIDC_ISSUER_URL"),
            ("oidc-client-id", "KUBECTL_OIDC_CLIENT_ID"),
            ("oidc-client-secret-file", "KUBECTL_OIDC_CLIENT_SECRET_FILE"),
            ("oidc-extra-scope", "KUBECTL_OIDC_EXTRA_SCOPE"),
            ("token-cache-dir", "KUBECTL_OIDC_TOKEN_CACHE_DIR"),
            ("token-cache-storage", "KUBECTL_OIDC_TOKEN_CACHE_STORAGE"),
            ("listen-address", "KUBECTL_OIDC_LISTEN_ADDRESS"),
            ("skip-open-browser", "KUBECTL_OIDC_SKIP_OPEN_BROWSER"),
        ] {
            assert_eq!(env_name(long), name);
        }
    }
}
