//! Kubeconfig access: what a context says (its cluster, its user's exec entry), read through
//! `kubectl config view` so that every kubeconfig rule (KUBECONFIG merging, relative paths)
//! is kubectl's own, and `kubectl get --raw` with a context's own credentials.
//!
//! [`Context::from_view`] is pure; [`Kubectl`] runs kubectl; [`write`] edits a kubeconfig
//! through `kubectl config`, atomically and with a backup.

mod kubectl;
pub mod write;

pub use self::kubectl::Kubectl;
use serde_json::Value as Json;

/// A context as `kubectl config view --minify --raw -o json` shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// The cluster's API server URL.
    pub server: Option<String>,
    /// `certificate-authority` (a path) of the cluster.
    pub ca_file: Option<String>,
    /// `certificate-authority-data` (base64 PEM) of the cluster.
    pub ca_data: Option<String>,
    pub insecure_skip_tls_verify: bool,
    /// The context's user has any entry at all.
    pub has_user: bool,
    /// A static `token` or `tokenFile` beside (or instead of) exec.
    pub static_token: bool,
    pub exec: Option<Exec>,
}

/// A `users[].user.exec` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exec {
    pub api_version: String,
    pub interactive_mode: Option<String>,
    pub command: String,
    pub args: Vec<String>,
}

impl Exec {
    /// The arguments after `get-token`, when this entry runs `... get-token ARGS`.
    pub fn get_token_args(&self) -> Option<Vec<String>> {
        let i = self.args.iter().position(|a| a == "get-token")?;
        Some(self.args[i + 1..].to_vec())
    }
}

impl Context {
    /// The minified view's first cluster and user.
    pub fn from_view(doc: &Json) -> Self {
        let cluster = &doc["clusters"][0]["cluster"];
        let user = &doc["users"][0]["user"];
        let text = |v: &Json| v.as_str().map(str::to_owned);
        let exec = &user["exec"];
        Self {
            server: text(&cluster["server"]),
            ca_file: text(&cluster["certificate-authority"]),
            ca_data: text(&cluster["certificate-authority-data"]),
            insecure_skip_tls_verify: cluster["insecure-skip-tls-verify"] == true,
            has_user: user.is_object(),
            static_token: user["token"].is_string() || user["tokenFile"].is_string(),
            exec: exec.is_object().then(|| Exec {
                api_version: text(&exec["apiVersion"]).unwrap_or_default(),
                interactive_mode: text(&exec["interactiveMode"]),
                command: text(&exec["command"]).unwrap_or_default(),
                args: exec["args"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minified_view_becomes_a_context() {
        let doc = serde_json::json!({
            "clusters": [{"name": "c", "cluster": {"server": "https://k:6443", "certificate-authority-data": "QUJD"}}],
            "users": [{"name": "u", "user": {"token": "t", "exec": {
                "apiVersion": "client.authentication.k8s.io/v1", "command": "kubectl",
                "args": ["oidc", "get-token", "--oidc-issuer-url=https://idp", "--oidc-client-id=k"]}}}]
        });
        let c = Context::from_view(&doc);
        assert_eq!(c.server.as_deref(), Some("https://k:6443"));
        assert_eq!(c.ca_data.as_deref(), Some("QUJD"));
        assert!(c.has_user && c.static_token);
        let exec = c.exec.unwrap();
        assert_eq!(exec.interactive_mode, None);
        assert_eq!(
            exec.get_token_args().unwrap(),
            ["--oidc-issuer-url=https://idp", "--oidc-client-id=k"]
        );
        assert_eq!(
            Context::from_view(&serde_json::json!({})),
            Context::default()
        );
    }
}
