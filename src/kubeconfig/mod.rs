//! Kubeconfig access: what a context says (its cluster, its user's exec entry), read through
//! `kubectl config view` so that every kubeconfig rule (KUBECONFIG merging, relative paths)
//! is kubectl's own, and `kubectl get --raw` with a context's own credentials.
//!
//! [`Context::from_view`] is pure; [`Kubectl`] runs kubectl; [`write`] edits a kubeconfig
//! through `kubectl config`, atomically and with a backup.

mod data;
mod kubectl;
pub mod kuberc;
mod lock;
pub mod migrate;
pub mod policy;
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
    /// The context's name (the current one's when none was asked for), and its user's.
    pub name: Option<String>,
    pub user: Option<String>,
    /// What else authenticates the user, for a message: `auth-provider oidc`, a client
    /// certificate, basic auth.
    pub other_auth: Option<String>,
    /// The cluster's `client.authentication.k8s.io/exec` extension: what kubectl passes an
    /// exec entry with `provideClusterInfo: true` (`cli::cluster`).
    pub exec_extension: Option<Json>,
}

/// A `users[].user.exec` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exec {
    pub api_version: String,
    pub interactive_mode: Option<String>,
    pub command: String,
    pub args: Vec<String>,
    /// `env`: what kubectl adds to the plugin's environment.
    pub env: Vec<(String, String)>,
    /// `provideClusterInfo`: kubectl passes the cluster (and its exec extension).
    pub provide_cluster_info: bool,
}

/// Whose `get-token` an exec entry runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plugin {
    /// kubectl-oidc: `kubectl-oidc get-token`, or `kubectl oidc get-token`.
    Ours,
    /// int128/kubelogin: `kubectl oidc-login get-token` or `kubelogin get-token`, with
    /// kubelogin's flags (which are ours).
    Kubelogin,
}

impl Exec {
    /// The plugin this entry runs and its get-token arguments, when it runs ours or
    /// kubelogin's (an Azure/kubelogin entry, also a `kubelogin get-token`, has no
    /// `--oidc-issuer-url` and is neither).
    pub fn get_token(&self) -> Option<(Plugin, &[String])> {
        let base = self
            .command
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .trim_end_matches(".exe");
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let (plugin, rest) = match (base, args.as_slice()) {
            ("kubectl-oidc", ["get-token", ..]) => (Plugin::Ours, &self.args[1..]),
            ("kubectl", ["oidc", "get-token", ..]) => (Plugin::Ours, &self.args[2..]),
            ("kubectl", ["oidc-login", "get-token", ..]) => (Plugin::Kubelogin, &self.args[2..]),
            ("kubelogin" | "kubectl-oidc_login" | "kubectl-oidc-login", ["get-token", ..]) => {
                (Plugin::Kubelogin, &self.args[1..])
            }
            _ => return None,
        };
        let int128 = plugin == Plugin::Ours
            || rest.iter().any(|a| a.starts_with("--oidc-issuer-url"))
            || self.env.iter().any(|(k, _)| k == "KUBECTL_OIDC_ISSUER_URL");
        int128.then_some((plugin, rest))
    }

    /// The command line, for a message (`kubectl oidc-login get-token ...`); its values are
    /// left out after the first few words (a client secret may be one).
    pub fn describe(&self) -> String {
        let mut words = vec![self.command.clone()];
        words.extend(self.args.iter().take(2).cloned());
        if self.args.len() > 2 {
            words.push("...".into());
        }
        words.join(" ")
    }
}

impl Context {
    /// The minified view's first cluster and user.
    pub fn from_view(doc: &Json) -> Self {
        let cluster = &doc["clusters"][0]["cluster"];
        let user = &doc["users"][0]["user"];
        let text = |v: &Json| v.as_str().map(str::to_owned);
        let exec = &user["exec"];
        let other_auth = if user["auth-provider"].is_object() {
            Some(format!(
                "auth-provider {}",
                user["auth-provider"]["name"].as_str().unwrap_or("?")
            ))
        } else if user["client-certificate"].is_string()
            || user["client-certificate-data"].is_string()
        {
            Some("a client certificate".to_owned())
        } else if user["username"].is_string() {
            Some("basic auth".to_owned())
        } else {
            None
        };
        Self {
            name: text(&doc["current-context"]).filter(|c| !c.is_empty()),
            user: text(&doc["users"][0]["name"]),
            other_auth,
            server: text(&cluster["server"]),
            ca_file: text(&cluster["certificate-authority"]),
            ca_data: text(&cluster["certificate-authority-data"]),
            insecure_skip_tls_verify: cluster["insecure-skip-tls-verify"] == true,
            exec_extension: cluster["extensions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| e["name"] == crate::cli::cluster::EXTENSION)
                .map(|e| e["extension"].clone()),
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
                env: exec["env"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        Some((text(&e["name"])?, text(&e["value"]).unwrap_or_default()))
                    })
                    .collect(),
                provide_cluster_info: exec["provideClusterInfo"] == true,
            }),
        }
    }

    /// What this context's cluster chooses for the user's get-token (`cli::cluster`): nothing
    /// unless the exec entry has `provideClusterInfo: true`, as kubectl passes nothing then.
    pub fn cluster_choice(&self) -> Result<crate::cli::cluster::Choice, String> {
        match &self.exec {
            Some(e) if e.provide_cluster_info => {
                crate::cli::cluster::Choice::from_config(self.exec_extension.as_ref())
            }
            _ => Ok(Default::default()),
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
        assert_eq!(c.cluster_choice(), Ok(Default::default()));
        assert_eq!(c.server.as_deref(), Some("https://k:6443"));
        assert_eq!(c.ca_data.as_deref(), Some("QUJD"));
        assert!(c.has_user && c.static_token);
        let exec = c.exec.unwrap();
        assert_eq!(exec.interactive_mode, None);
        assert_eq!(
            exec.get_token(),
            Some((
                Plugin::Ours,
                &[
                    "--oidc-issuer-url=https://idp".to_owned(),
                    "--oidc-client-id=k".to_owned()
                ][..]
            ))
        );
        assert_eq!(
            Context::from_view(&serde_json::json!({})),
            Context::default()
        );
        // The cluster's exec extension counts only with provideClusterInfo.
        let mut doc = doc;
        doc["clusters"][0]["cluster"]["extensions"] = serde_json::json!([
            {"name": "other", "extension": {"oidc-client-id": "no"}},
            {"name": "client.authentication.k8s.io/exec", "extension": {"oidc-client-id": "b"}},
        ]);
        assert_eq!(
            Context::from_view(&doc).cluster_choice(),
            Ok(Default::default())
        );
        doc["users"][0]["user"]["exec"]["provideClusterInfo"] = true.into();
        let choice = Context::from_view(&doc).cluster_choice().unwrap();
        assert_eq!(choice.client_id.as_deref(), Some("b"));
    }

    #[test]
    fn whose_get_token_an_entry_runs() {
        let exec = |command: &str, args: &[&str]| Exec {
            command: command.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            ..Exec::default()
        };
        let iss = "--oidc-issuer-url=https://idp";
        for (e, want) in [
            (
                exec("kubectl-oidc", &["get-token", iss]),
                Some(Plugin::Ours),
            ),
            (
                exec("/usr/local/bin/kubectl-oidc", &["get-token", iss]),
                Some(Plugin::Ours),
            ),
            (
                exec("C:\\bin\\kubectl-oidc.exe", &["get-token"]),
                Some(Plugin::Ours),
            ),
            (
                exec("kubectl", &["oidc", "get-token", iss]),
                Some(Plugin::Ours),
            ),
            (
                exec("kubectl", &["oidc-login", "get-token", iss, "-v1"]),
                Some(Plugin::Kubelogin),
            ),
            (
                exec("kubelogin", &["get-token", iss]),
                Some(Plugin::Kubelogin),
            ),
            (
                exec("kubectl-oidc_login", &["get-token", iss]),
                Some(Plugin::Kubelogin),
            ),
            // Azure/kubelogin, and others' get-token.
            (
                exec(
                    "kubelogin",
                    &["get-token", "--login", "devicecode", "--server-id", "x"],
                ),
                None,
            ),
            (
                exec("aws", &["eks", "get-token", "--cluster-name", "c"]),
                None,
            ),
            (exec("kubectl", &["oidc-login", "setup", iss]), None),
        ] {
            assert_eq!(e.get_token().map(|(p, _)| p), want, "{e:?}");
        }
        let (_, args) = exec("kubectl", &["oidc-login", "get-token", iss, "-v1"])
            .get_token()
            .map(|(p, a)| (p, a.to_vec()))
            .unwrap();
        assert_eq!(args, [iss, "-v1"]);
    }
}
