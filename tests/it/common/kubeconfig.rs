//! Kubeconfigs for the real kubectl.

use std::path::{Path, PathBuf};

use super::{BIN, Home, TlsLogin, assert_success, scrub};

/// A kubeconfig with context `oidc` (this plugin as the exec entry, with `home.args`) for the
/// API server at `server`, and context `admin` (a static token; [`write_cluster_kubeconfig`]
/// gives it the real cluster's admin certificate).
pub fn write_kubeconfig(home: &Home, server: &str, ca: &Path) -> PathBuf {
    let mut args = String::new();
    for a in std::iter::once("get-token".to_owned()).chain(home.args.iter().cloned()) {
        args.push_str(&format!("\n      - {}", serde_json::to_string(&a).unwrap()));
    }
    let path = home.dir.path().join("kubeconfig");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
             users:\n- name: oidc\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: IfAvailable\n      command: {bin}\n      args:{args}\n\
             - name: admin\n  user:\n    token: admin-token\n\
             contexts:\n- name: oidc\n  context: {{cluster: test, user: oidc}}\n- name: admin\n  context: {{cluster: test, user: admin}}\ncurrent-context: oidc\n",
            ca = ca.display(),
            bin = BIN,
        ),
    )
    .unwrap();
    path
}

/// A kubeconfig for the real cluster (common/cluster.rs): context `oidc` (this plugin as the
/// exec entry, with `home.args`) and context `admin` (the cluster's admin certificate, which
/// may list RBAC bindings).
pub fn write_cluster_kubeconfig(home: &Home) -> PathBuf {
    let c = super::cluster();
    let path = write_kubeconfig(home, &c.server, &c.ca);
    let d = c.dir.display();
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "    token: admin-token\n",
        &format!("    client-certificate: {d}/admin.pem\n    client-key: {d}/admin.key\n"),
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `kubectl get --raw /api/v1/namespaces/default/pods` with this kubeconfig, the home's
/// scrubbed environment plus `envs`, stdin closed (kubectl runs the plugin non-interactively).
pub fn kubectl_get_pods(
    home: &Home,
    kubeconfig: &Path,
    envs: &[(&str, &str)],
) -> std::process::Output {
    let mut kubectl = std::process::Command::new(super::k8s_tool("kubectl"));
    kubectl.args([
        "--kubeconfig",
        kubeconfig.to_str().unwrap(),
        "get",
        "--raw",
        "/api/v1/namespaces/default/pods",
    ]);
    super::scrub(&mut kubectl, home.dir.path());
    kubectl.envs(envs.iter().copied());
    kubectl
        .stdin(std::process::Stdio::null())
        .output()
        .expect("kubectl on PATH")
}

/// `PATH` with the plugin's directory first, then the real Kubernetes parts' (kubectl 1.37): kubeconfig entries run `kubectl-oidc` from it.
pub fn path_with_plugin() -> std::ffi::OsString {
    let dir = Path::new(BIN).parent().unwrap().to_owned();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&super::test_path())))
        .unwrap()
}

/// A kubeconfig at `path` whose one context, `context` (the current one), has a user whose exec
/// entry runs this plugin with `args` and the entry's `env`, for a cluster nobody answers at.
pub fn write_exec_kubeconfig(path: &Path, context: &str, args: &[String], env: &[(&str, &str)]) {
    let env: String = match env {
        [] => String::new(),
        vars => std::iter::once("\n      env:".to_owned())
            .chain(
                vars.iter()
                    .map(|(k, v)| format!("\n      - name: {k}\n        value: {v:?}")),
            )
            .collect(),
    };
    std::fs::write(
        path,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: https://127.0.0.1:1}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl-oidc{env}\n      args:{}\n\
             contexts:\n- name: {context}\n  context: {{cluster: c, user: u}}\ncurrent-context: {context}\n",
            yaml_args(args)
        ),
    )
    .unwrap();
}

/// The plugin with the home's scrubbed environment, `kubeconfig` as `KUBECONFIG`, and the
/// plugin on PATH (its exec entries run `kubectl-oidc`).
pub fn plugin_with_kubeconfig(
    home: &Home,
    kubeconfig: &Path,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(args);
    scrub(&mut cmd, home.dir.path());
    cmd.env("KUBECONFIG", kubeconfig)
        .env("PATH", path_with_plugin())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// kubectl with the home's scrubbed environment and the plugin on PATH.
pub fn kubectl(home: &Home, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(super::k8s_tool("kubectl"));
    cmd.args(args);
    super::scrub(&mut cmd, home.dir.path());
    cmd.env("PATH", path_with_plugin())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The kubeconfig at `path` as kubectl reads it (`config view --raw -o json`).
pub fn kubeconfig_view(home: &Home, path: &Path) -> serde_json::Value {
    let out = kubectl(
        home,
        &[
            "--kubeconfig",
            &path.display().to_string(),
            "config",
            "view",
            "--raw",
            "-o",
            "json",
        ],
    );
    super::assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The id_token and refresh token of a login by the plugin itself with these flags, in a
/// cache of its own that is then removed: what another tool (kubelogin, an auth-provider
/// entry) would hold for that client.
pub fn tokens_of_a_login(s: &TlsLogin, flags: &[&str]) -> (String, String) {
    let cache = s.home.dir.path().join("fixture-cache");
    let mut args: Vec<String> = vec![
        format!("--oidc-issuer-url={}", s.idp.issuer),
        format!("--certificate-authority={}", s.tls.ca().display()),
        "--listen-address=127.0.0.1:0".to_owned(),
        format!("--token-cache-dir={}", cache.display()),
        "--token-cache-storage=disk".to_owned(),
        s.home.browser(""),
    ];
    args.extend(flags.iter().map(|f| f.to_string()));
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg("login").args(&args);
    scrub(&mut cmd, s.home.dir.path());
    cmd.env("NODE_EXTRA_CA_CERTS", s.tls.ca());
    assert_success(&cmd.output().unwrap());
    let read = |ext: &str| -> serde_json::Value {
        let file = std::fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap();
        serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap()
    };
    let tokens = (
        read("id_token")["data"]["id_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        read("session")["data"]["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    std::fs::remove_dir_all(&cache).unwrap();
    tokens
}

/// An exec entry's `args:` as YAML list items (indented for `users[].user.exec`).
pub fn yaml_args(args: &[String]) -> String {
    args.iter()
        .map(|a| format!("\n      - {}", serde_json::to_string(a).unwrap()))
        .collect()
}

/// A user's `user:` object in a kubeconfig read as JSON (`kubeconfig_view`).
pub fn user_of<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    &doc["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no user {name}"))["user"]
}
