//! The environment a login sees: this process's, with a kubeconfig exec entry's variables over
//! it when login or logout act for a context (as kubectl would set them for the plugin), read
//! here and never written into the process.
#![allow(
    clippy::disallowed_methods,
    reason = "settings/ is where the environment is read"
)]

use std::path::PathBuf;

use crate::oidc::browser::OUR_ENV_PREFIX;
use crate::oidc::http::EntryEnv;

/// This process's environment with an entry's variables over it (no `Debug`: a proxy's URL
/// may hold a password).
#[derive(Clone, Default)]
pub struct Env {
    over: Vec<(String, String)>,
}

/// The proxy variables, in the order ureq reads them, and the exceptions.
const PROXY: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];
const NO_PROXY: [&str; 2] = ["NO_PROXY", "no_proxy"];
/// Where rustls-native-certs reads the system's roots from instead of the platform's store.
const CERTS: [&str; 2] = ["SSL_CERT_FILE", "SSL_CERT_DIR"];

impl Env {
    /// An entry's variables over this process's; ours (`KUBECTL_OIDC_*`) are flags instead
    /// ([`crate::cli::over_entry`]), and a name kubectl would not set is left out.
    pub fn with_entry(vars: &[(String, String)]) -> Self {
        let over = vars
            .iter()
            .filter(|(k, _)| !k.starts_with(OUR_ENV_PREFIX) && !k.is_empty() && !k.contains('='))
            .cloned()
            .collect();
        Self { over }
    }

    /// The entry's variables (for a child process: the browser).
    pub fn entry_vars(&self) -> &[(String, String)] {
        &self.over
    }

    /// The entry's value of `name`, if it sets it.
    fn entry(&self, name: &str) -> Option<&str> {
        self.over
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn sets_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.entry(n).is_some())
    }

    /// `name`, from the entry, else from this process.
    pub fn var(&self, name: &str) -> Option<String> {
        match self.entry(name) {
            Some(v) => Some(v.to_owned()),
            None => std::env::var(name).ok(),
        }
    }

    /// The entry's value of `name`, else `fallback` (this process's, read by the caller).
    pub fn entry_or(&self, name: &str, fallback: Option<String>) -> Option<String> {
        self.entry(name).map(str::to_owned).or(fallback)
    }

    /// `name` is set to something.
    pub fn is_set(&self, name: &str) -> bool {
        self.var(name).is_some_and(|v| !v.is_empty())
    }

    /// What the entry changes of the connection to the provider: the system's roots and the
    /// proxy, each only when the entry sets one of its variables (else ureq and
    /// rustls-native-certs read this process's environment themselves).
    pub fn connection(&self) -> EntryEnv {
        EntryEnv {
            cert_paths: self.sets_any(&CERTS).then(|| {
                let file = self.var(CERTS[0]).filter(|f| !f.is_empty());
                let dirs = self.var(CERTS[1]).unwrap_or_default();
                (
                    file.map(PathBuf::from),
                    std::env::split_paths(&dirs)
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect(),
                )
            }),
            proxy: (self.sets_any(&PROXY) || self.sets_any(&NO_PROXY)).then(|| {
                (
                    PROXY.iter().find_map(|n| self.var(n)),
                    NO_PROXY.iter().find_map(|n| self.var(n)),
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entrys_variables_win_and_ours_are_left_out() {
        let vars = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let env = Env::with_entry(&vars(&[
            ("KUBECTL_OIDC_TEST_ENTRY_VAR", "x"),
            ("A=B", "x"),
            ("ALL_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "internal"),
        ]));
        assert_eq!(env.entry("KUBECTL_OIDC_TEST_ENTRY_VAR"), None);
        assert_eq!(env.entry("A=B"), None);
        let connection = env.connection();
        assert_eq!(connection.cert_paths, None);
        assert_eq!(
            connection.proxy,
            Some((
                Some("http://proxy:3128".to_owned()),
                Some("internal".to_owned())
            ))
        );
        let env = Env::with_entry(&vars(&[
            ("SSL_CERT_FILE", "/c.pem"),
            ("SSL_CERT_DIR", "/a:/b"),
        ]));
        assert_eq!(
            env.connection().cert_paths,
            Some((
                Some(PathBuf::from("/c.pem")),
                vec![PathBuf::from("/a"), PathBuf::from("/b")]
            ))
        );
        assert_eq!(Env::default().connection(), EntryEnv::default());
    }
}
