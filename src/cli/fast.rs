//! get-token's command line without clap, for the cache hit only.
//!
//! Building clap's command for get-token and parsing with it is most of a cache hit's work
//! after process start: it allocates every argument's definition and touches ~20 more pages
//! of code and heap per call. This parser accepts the common, unambiguous shapes of get-token's
//! flags and environment variables, validates every value the way clap would, and answers
//! `None` for anything else (`-v`, `--help`, a typo, a repeated flag, an empty variable, a
//! value it cannot vouch for), which sends the call to clap. On a cache miss the call goes to
//! clap too. A unit test checks that it knows exactly clap's flags, and agrees with clap on a
//! table of command lines.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::ValueEnum as _;

use super::token::issuer_url;
use super::{BrowserWhen, EntryArgs, NotifyWhen, OrAuto, PkceMethod, StorageMode};
use crate::grants::Grant;
use crate::presets::Provider;

/// What a cache hit needs of the command line.
#[derive(Debug)]
pub struct Fast {
    pub entry: EntryArgs,
    pub force_refresh: bool,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// One value; `check` says whether clap would accept it.
    Value(fn(&str) -> bool),
    /// Repeatable, comma-separated; `check` for each value.
    List(fn(&str) -> bool),
    /// A switch (no value on the command line; yes/no in the environment).
    Switch,
}

fn any(_: &str) -> bool {
    true
}
fn issuer(v: &str) -> bool {
    issuer_url(v).is_ok()
}
fn storage(v: &str) -> bool {
    StorageMode::from_str(v, false).is_ok()
}
fn pkce(v: &str) -> bool {
    PkceMethod::from_str(v, true).is_ok()
}
fn provider(v: &str) -> bool {
    OrAuto::<Provider>::parse(v).is_some()
}
fn browser_when(v: &str) -> bool {
    BrowserWhen::from_str(v, false).is_ok()
}
fn notify_when(v: &str) -> bool {
    NotifyWhen::from_str(v, false).is_ok()
}
fn grant(v: &str) -> bool {
    OrAuto::<Grant>::parse(v).is_some()
}
fn token_type(v: &str) -> bool {
    super::token::token_type(v).is_ok()
}
fn auth_timeout(v: &str) -> bool {
    v.parse::<u64>().is_ok_and(|n| (1..=86_400).contains(&n))
}
fn http_timeout(v: &str) -> bool {
    v.parse::<u64>().is_ok_and(|n| (1..=3_600).contains(&n))
}
fn level(v: &str) -> bool {
    v.parse::<u8>().is_ok()
}
fn port(v: &str) -> bool {
    v.parse::<u16>().is_ok()
}

/// Every flag of get-token but those that always go to clap (`--help`, `-v`,
/// `--show-config`); `true` when it reads a `KUBECTL_OIDC_*` variable too.
const FLAGS: &[(&str, Shape, bool)] = &[
    ("oidc-issuer-url", Shape::Value(issuer), true),
    ("oidc-client-id", Shape::Value(any), true),
    ("oidc-extra-scope", Shape::List(any), true),
    ("oidc-auth-request-extra-params", Shape::List(any), true),
    ("account", Shape::Value(any), true),
    ("username", Shape::Value(any), true),
    ("oidc-use-access-token", Shape::Switch, true),
    ("provider", Shape::Value(provider), true),
    ("token-cache-dir", Shape::Value(any), true),
    ("token-cache-storage", Shape::Value(storage), true),
    ("oidc-client-secret", Shape::Value(any), true),
    ("oidc-client-secret-file", Shape::Value(any), true),
    ("password", Shape::Value(any), true),
    ("password-file", Shape::Value(any), true),
    ("subject-token", Shape::Value(any), true),
    ("subject-token-file", Shape::Value(any), true),
    ("subject-token-type", Shape::Value(token_type), true),
    ("requested-token-type", Shape::Value(token_type), true),
    ("oidc-request-header", Shape::List(any), true),
    ("oidc-pkce-method", Shape::Value(pkce), true),
    ("oidc-use-pkce", Shape::Switch, false),
    ("oidc-redirect-url", Shape::Value(any), true),
    ("listen-address", Shape::List(any), true),
    ("browser-command", Shape::Value(any), true),
    ("open-url-after-authentication", Shape::Value(any), true),
    ("local-server-cert", Shape::Value(any), true),
    ("local-server-key", Shape::Value(any), true),
    ("skip-open-browser", Shape::Switch, true),
    ("browser", Shape::Value(browser_when), true),
    ("notify", Shape::Value(notify_when), true),
    (
        "authentication-timeout-sec",
        Shape::Value(auth_timeout),
        true,
    ),
    ("certificate-authority", Shape::List(any), true),
    ("certificate-authority-data", Shape::List(any), true),
    ("insecure-skip-tls-verify", Shape::Switch, true),
    ("tls-renegotiation-once", Shape::Switch, true),
    ("tls-renegotiation-freely", Shape::Switch, true),
    ("listen-port", Shape::List(port), false),
    ("oidc-redirect-url-hostname", Shape::Value(any), true),
    (
        "oidc-redirect-url-authcode-keyboard",
        Shape::Value(any),
        false,
    ),
    ("http-timeout-sec", Shape::Value(http_timeout), true),
    ("force-refresh", Shape::Switch, true),
    ("grant-type", Shape::Value(grant), true),
    ("v", Shape::Value(level), false),
];

/// clap's FalseyValueParser: these mean false, anything else true.
pub(crate) fn falsey(v: &str) -> bool {
    ["n", "no", "f", "false", "off", "0"].contains(&v.to_ascii_lowercase().as_str())
}

/// Parse get-token's arguments (after `get-token`) with `env` for the variables, or `None`
/// when clap must decide.
pub fn parse(args: &[OsString], env: impl Fn(&str) -> Option<OsString>) -> Option<Fast> {
    let given = given_flags(args)?;
    let mut fast = Fast {
        entry: EntryArgs {
            oidc_issuer_url: None,
            oidc_client_id: None,
            oidc_extra_scope: Vec::new(),
            oidc_auth_request_extra_params: Vec::new(),
            account: None,
            username: None,
            oidc_use_access_token: false,
            provider: OrAuto::Auto,
            token_cache_dir: None,
            token_cache_storage: StorageMode::Auto,
        },
        force_refresh: false,
    };
    for &(name, shape, reads_env) in FLAGS {
        let Some(values) = values_of(name, shape, reads_env, &given, &env)? else {
            continue;
        };
        set(&mut fast, name, values)?;
    }
    // clap's `requires` of one another.
    let has = |n: &str| given.iter().any(|(name, _)| *name == n);
    if has("local-server-cert") != has("local-server-key") {
        return None;
    }
    // clap's required flags.
    if fast.entry.oidc_issuer_url.is_none() || fast.entry.oidc_client_id.is_none() {
        return None;
    }
    Some(fast)
}

/// The flags on the command line and their values (a list flag's occurrences together), or
/// `None` for anything clap must judge: an unknown flag, a switch with a value, a value that
/// looks like a flag, a flag given twice, kubelogin's `--v=N` above 0 (traces).
fn given_flags(args: &[OsString]) -> Option<Vec<(&'static str, Vec<String>)>> {
    let mut given: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_str()?.strip_prefix("--")?;
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (arg, None),
        };
        let &(name, shape, _) = FLAGS.iter().find(|(n, ..)| *n == name)?;
        let values = match (shape, inline) {
            (Shape::Switch, None) => vec![],
            (Shape::Switch, Some(_)) => return None,
            (_, Some(v)) => vec![v.to_owned()],
            (_, None) => {
                let v = args.next()?.to_str()?;
                if v.starts_with('-') {
                    return None;
                }
                vec![v.to_owned()]
            }
        };
        // kubelogin's --v=N asks for traces, which only the full path writes.
        if name == "v" && values.iter().any(|v| v != "0") {
            return None;
        }
        match (shape, given.iter_mut().find(|(n, _)| *n == name)) {
            (Shape::List(_), Some((_, all))) => all.extend(values),
            (_, Some(_)) => return None,
            (_, None) => given.push((name, values)),
        }
    }
    Some(given)
}

/// A flag's values: from the command line, else its `KUBECTL_OIDC_*` variable; a list's
/// split at commas; checked. `Some(None)`: not given; `None`: for clap to judge.
fn values_of(
    name: &str,
    shape: Shape,
    reads_env: bool,
    given: &[(&'static str, Vec<String>)],
    env: &impl Fn(&str) -> Option<OsString>,
) -> Option<Option<Vec<String>>> {
    let values: Vec<String> = match given.iter().find(|(n, _)| *n == name) {
        Some((_, v)) => v.clone(),
        None if reads_env => match env(&super::env_name(name)) {
            None => return Some(None),
            Some(v) => {
                let v = v.into_string().ok().filter(|v| !v.is_empty())?;
                match shape {
                    Shape::Switch if falsey(&v) => return Some(None),
                    Shape::Switch => vec![],
                    _ => vec![v],
                }
            }
        },
        None => return Some(None),
    };
    let values: Vec<String> = match shape {
        Shape::List(_) => values
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::to_owned)
            .collect(),
        _ => values,
    };
    if let Shape::Value(check) | Shape::List(check) = shape
        && !values.iter().all(|v| check(v))
    {
        return None;
    }
    Some(Some(values))
}

/// Set what a flag's values say; `None` for what clap must judge (a value it would refuse) or
/// the full path must serve (a token exchange).
fn set(fast: &mut Fast, name: &str, values: Vec<String>) -> Option<()> {
    let one = || values.first().cloned();
    let e = &mut fast.entry;
    match name {
        "oidc-issuer-url" => e.oidc_issuer_url = one().map(|v| v.trim().to_owned()),
        "oidc-client-id" => e.oidc_client_id = one(),
        "oidc-extra-scope" => e.oidc_extra_scope = values,
        "oidc-auth-request-extra-params" => e.oidc_auth_request_extra_params = values,
        "account" => e.account = one(),
        "username" => e.username = one(),
        "provider" => e.provider = OrAuto::parse(&one()?)?,
        "token-cache-dir" => e.token_cache_dir = one().map(PathBuf::from),
        "token-cache-storage" => {
            e.token_cache_storage = StorageMode::from_str(&one()?, false).ok()?;
        }
        "oidc-use-access-token" => e.oidc_use_access_token = true,
        "force-refresh" => fast.force_refresh = true,
        // The exchanged token's cache entry depends on the subject token, which only the
        // full path reads.
        "grant-type" if one()? == "token-exchange" => return None,
        _ => {}
    }
    Some(())
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
