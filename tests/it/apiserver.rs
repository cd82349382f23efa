//! Issue 28: the real kube-apiserver v1.37.2 (and etcd), started once per run by the shared
//! fixture (common/cluster.rs), with structured authentication trusting the test providers.
//! Every token here goes from the real plugin through the real kubectl 1.37 to the real API
//! server, whose authenticator maps it and whose RBAC allows or forbids; what `setup` and
//! `debug-token` predict is held to what that server answers.

#![allow(
    clippy::disallowed_methods,
    reason = "clippy.toml holds the crate's rules; tests read the clock freely"
)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// A person of the test provider `idp` (a cluster's), logged in as `login` by `setup --write`
/// into a kubeconfig of their own: context `real` (their exec entry, the real API server) and
/// context `admin` (the cluster's admin certificate, for RBAC lists).
struct Person {
    home: Home,
    kubeconfig: PathBuf,
    /// setup's stderr: who it said the API server will see.
    setup: String,
}

fn person(idp: &Idp, login: &str, extra: &[&str]) -> Person {
    let c = cluster();
    let mut home = Home::new(idp);
    // A flag in `extra` replaces the home's own.
    home.args.retain(|a| {
        let name = a.split('=').next().unwrap_or(a);
        !extra.iter().any(|e| e.split('=').next() == Some(name))
    });
    home.args.push(format!(
        "--certificate-authority={}",
        c.idp_tls.ca().display()
    ));
    let kubeconfig = home.dir.path().join("kubeconfig");
    let browser = home.browser(&format!("--login {login}"));
    let mut args = vec![
        "--write".to_owned(),
        format!("--kubeconfig={}", kubeconfig.display()),
        "--cluster=real".to_owned(),
        format!("--server={}", c.server),
        format!("--cluster-certificate-authority={}", c.ca.display()),
        format!("--authentication-config={}", c.authn_config.display()),
        browser,
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let out = run(&home, "setup", &args);
    assert_success(&out);
    let d = c.dir.display();
    for config in [
        vec![
            "set-credentials".to_owned(),
            "admin".to_owned(),
            format!("--client-certificate={d}/admin.pem"),
            format!("--client-key={d}/admin.key"),
        ],
        vec![
            "set-context".to_owned(),
            "admin".to_owned(),
            "--cluster=real".to_owned(),
            "--user=admin".to_owned(),
        ],
    ] {
        let mut a = vec![
            format!("--kubeconfig={}", kubeconfig.display()),
            "config".to_owned(),
        ];
        a.extend(config);
        let args: Vec<&str> = a.iter().map(String::as_str).collect();
        assert_success(&kubectl(&home, &args));
    }
    Person {
        setup: stderr(&out),
        home,
        kubeconfig,
    }
}

/// The plugin, with the home's arguments and the provider's CA for the scripted browser.
fn run(home: &Home, command: &str, args: &[String]) -> Output {
    let mut cmd = home.command(command, &[], None);
    cmd.args(args)
        .env("NODE_EXTRA_CA_CERTS", cluster().idp_tls.ca())
        .env("PATH", path_with_plugin());
    cmd.output().unwrap()
}

impl Person {
    /// kubectl through the person's context `real`.
    fn kubectl(&self, args: &[&str]) -> Output {
        let kc = format!("--kubeconfig={}", self.kubeconfig.display());
        let mut all = vec![kc.as_str(), "--context=real"];
        all.extend(args);
        kubectl(&self.home, &all)
    }

    /// `kubectl auth whoami`: who the real API server says this is.
    fn whoami(&self) -> Result<(String, Vec<String>), String> {
        let out = self.kubectl(&["auth", "whoami", "-o", "json"]);
        if !out.status.success() {
            return Err(stderr(&out));
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let info = &v["status"]["userInfo"];
        Ok((
            info["username"].as_str().unwrap().to_owned(),
            info["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g.as_str().unwrap().to_owned())
                .collect(),
        ))
    }

    /// `debug-token -o json` for the person's context, with these flags.
    fn debug_token(&self, extra: &[&str]) -> (Output, serde_json::Value) {
        let kc = format!("--kubeconfig={}", self.kubeconfig.display());
        let mut cmd = Command::new(BIN);
        cmd.args(["debug-token", "-o", "json", &kc, "--context=real"])
            .args(extra);
        scrub(&mut cmd, self.home.dir.path());
        let out = cmd
            .env("PATH", path_with_plugin())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "debug-token printed no JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                stderr(&out)
            )
        });
        (out, doc)
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn finding_ids(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The real server starts (its version is the one built), and its start time is measured.
#[test]
fn the_real_control_plane_runs_the_pinned_versions() {
    let c = cluster();
    eprintln!("etcd and kube-apiserver ready in {:?}", c.started_in);
    let out = c.admin(&["version", "-o", "json"]);
    assert_success(&out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["serverVersion"]["gitVersion"], "v1.37.2");
    assert_eq!(v["clientVersion"]["gitVersion"], "v1.37.2");
    let named = |name: &str| {
        Command::new("pgrep")
            .args(["-x", name])
            .output()
            .unwrap()
            .status
            .success()
    };
    assert!(named("kube-apiserver") && named("etcd"));
}

/// `setup --write`, then `kubectl auth whoami`: exactly the username and groups (prefixes
/// included) that setup printed and debug-token predicts.
#[test]
fn whoami_is_who_setup_and_debug_token_said() {
    let c = cluster();
    let p = person(&c.main, "alice", &[]);
    let username = "oidc:alice@example.com";
    let groups = ["oidc:dev", "oidc:ops", "system:authenticated"];
    assert!(
        p.setup.contains(&format!(
            "will see you as {username:?} with groups {groups:?}"
        )),
        "{}",
        p.setup
    );
    let (name, got) = p.whoami().unwrap();
    assert_eq!(name, username);
    assert_eq!(got, groups);
    let authn = format!("--authentication-config={}", c.authn_config.display());
    let (out, doc) = p.debug_token(&[&authn]);
    assert_success(&out);
    assert_eq!(doc["user"]["username"], username, "{doc:#}");
    assert_eq!(strings(&doc["user"]["groups"]), groups);
    // The server's own SelfSubjectReview, as debug-token asked it, says the same.
    assert_eq!(doc["cluster"]["user"]["username"], username, "{doc:#}");
}

/// A RoleBinding to the group (of a ClusterRole of its own: the aggregated `view` gets its
/// rules from kube-controller-manager, which this control plane does not run): `get pods` allowed in its namespace, forbidden in another;
/// debug-token, asking the real server (SelfSubjectReview, SelfSubjectAccessReview, the RBAC
/// lists), names the missing binding when forbidden and finds nothing missing when allowed.
#[test]
fn rbac_allows_the_bound_group_and_debug_token_names_what_is_missing() {
    let c = cluster();
    let p = person(&c.main, "bob", &[]);
    c.apply(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\n\
         apiVersion: v1\nkind: Namespace\nmetadata: {name: elsewhere}\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: pod-reader}\n\
         rules: [{apiGroups: [\"\"], resources: [pods], verbs: [get, list, watch]}]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: devs-view, namespace: team}\n\
         roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}\n\
         subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: \"oidc:dev\"}]\n",
    );
    // RBAC's informers see a new binding within moments: wait for it, not for a guess.
    let bound = Instant::now();
    let out = loop {
        let out = p.kubectl(&["get", "pods", "-n", "team"]);
        if out.status.success() || bound.elapsed() > Duration::from_secs(30) {
            break out;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_success(&out);
    let out = p.kubectl(&["get", "pods", "-n", "elsewhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "pods is forbidden: User \"oidc:bob@example.com\" cannot list resource \"pods\" in API group \"\" in the namespace \"elsewhere\""
        ),
        "{}",
        stderr(&out)
    );
    let authn = format!("--authentication-config={}", c.authn_config.display());
    let check = |namespace: &str| {
        p.debug_token(&[
            &authn,
            "--admin-context=admin",
            "--verb=list",
            "--resource=pods",
            "-n",
            namespace,
        ])
    };
    // Forbidden: the real access review says no, and the fix names the binding to make.
    let (out, doc) = check("elsewhere");
    let cluster_doc = &doc["cluster"];
    assert_eq!(cluster_doc["access_review"]["allowed"], false, "{doc:#}");
    let ids = finding_ids(&doc);
    assert!(ids.contains(&"forbidden".to_owned()), "{ids:?}");
    // The binding that grants it in `team` is named, with the one that grants it here.
    let fixes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "rbac-near-miss")
        .map(|f| f["fix"].as_str().unwrap())
        .collect();
    assert_eq!(
        fixes,
        [
            "kubectl create rolebinding devs-view -n elsewhere --clusterrole=pod-reader --group=oidc:dev"
        ],
        "{doc:#}"
    );
    drop(out);
    // ... and that fix, run by the admin, is the fix: the same call is then allowed.
    assert_success(&c.admin(&[
        "create",
        "rolebinding",
        "devs-view",
        "-n",
        "elsewhere",
        "--clusterrole=pod-reader",
        "--group=oidc:dev",
    ]));
    let bound = Instant::now();
    while !p
        .kubectl(&["get", "pods", "-n", "elsewhere"])
        .status
        .success()
    {
        assert!(
            bound.elapsed() < Duration::from_secs(30),
            "the fix did not grant it"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Allowed: nothing missing.
    let (out, doc) = check("team");
    assert_success(&out);
    assert_eq!(doc["cluster"]["access_review"]["allowed"], true, "{doc:#}");
    let ids = finding_ids(&doc);
    assert!(
        !ids.iter()
            .any(|i| i == "forbidden" || i.starts_with("rbac")),
        "{ids:?}"
    );
    let bindings: Vec<&str> = doc["cluster"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["binding"].as_str().unwrap_or_default())
        .collect();
    assert!(
        bindings.contains(&"RoleBinding/team/devs-view"),
        "the binding that grants it: {bindings:?}"
    );
}

/// id_tokens of a few seconds: a run of kubectl calls keeps working across refreshes, each
/// new token accepted by the real server.
#[test]
fn short_lived_tokens_are_refreshed_and_each_is_accepted() {
    let c = cluster();
    let p = person(&c.short, "carol", &[]);
    let refreshes = c.short.grants("refresh_token");
    let until = Instant::now() + Duration::from_secs(SHORT_TTL * 3 + 2);
    let mut calls = 0;
    let mut tokens = std::collections::BTreeSet::new();
    while Instant::now() < until {
        let (name, _) = p.whoami().unwrap_or_else(|e| panic!("call {calls}: {e}"));
        assert_eq!(name, "oidc:carol@example.com");
        calls += 1;
        if let Some(t) = p.home.cached_id_token() {
            tokens.insert(t);
        }
        std::thread::sleep(Duration::from_millis(700));
    }
    let done = c.short.grants("refresh_token") - refreshes;
    eprintln!("{calls} calls, {done} refreshes, {} tokens", tokens.len());
    assert!(done >= 2, "{done} refreshes in {calls} calls");
    assert!(tokens.len() >= 3, "{} tokens", tokens.len());
}

/// A token for another audience, and one of an issuer the configuration does not list: the
/// real server answers 401, and debug-token predicts that refusal and its reason.
#[test]
fn the_server_refuses_another_audience_and_an_unlisted_issuer_as_predicted() {
    let c = cluster();
    let authn = format!("--authentication-config={}", c.authn_config.display());
    // Another application's client at the trusted provider.
    let p = person(&c.main, "dave", &["--oidc-client-id=other-app"]);
    let err = p.whoami().unwrap_err();
    assert!(
        err.contains("Unauthorized") || err.contains("must be logged in"),
        "{err}"
    );
    let (out, doc) = p.debug_token(&[&authn]);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    assert_eq!(doc["authenticated"], false, "{doc:#}");
    assert_eq!(doc["cluster"]["status"], 401, "{doc:#}");
    let said = serde_json::to_string(&doc).unwrap();
    assert!(
        said.contains("audience") && said.contains("other-app"),
        "{doc:#}"
    );

    // A provider the configuration does not list.
    let unlisted = Idp::start(IdpOptions {
        tls: Some(&c.idp_tls),
        ..Default::default()
    });
    let p = person(&unlisted, "erin", &[]);
    assert!(
        p.setup.contains("the API server would refuse this token"),
        "{}",
        p.setup
    );
    let err = p.whoami().unwrap_err();
    assert!(
        err.contains("Unauthorized") || err.contains("must be logged in"),
        "{err}"
    );
    let (out, doc) = p.debug_token(&[&authn]);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    assert_eq!(doc["authenticated"], false, "{doc:#}");
    assert_eq!(doc["cluster"]["status"], 401);
    let said = serde_json::to_string(&doc["findings"]).unwrap();
    assert!(said.contains(&unlisted.issuer), "{said}");
}

/// The API server reloads its AuthenticationConfiguration when the file changes: a new
/// username prefix changes `kubectl auth whoami`, and debug-token on the new file agrees.
#[test]
fn a_changed_configuration_is_reloaded_and_debug_token_agrees() {
    let c = cluster();
    let p = person(&c.reload, "frank", &[]);
    assert_eq!(p.whoami().unwrap().0, "reload-a:frank@example.com");
    // The same configuration, with the reload provider's prefix changed (the other issuers'
    // authenticators stay as they are for the tests running beside this one).
    let before = std::fs::read_to_string(&c.authn_config).unwrap();
    let after = before.replace("\"reload-a:\"", "\"reload-b:\"");
    assert_ne!(before, after);
    replace_file(&c.authn_config, &after);
    let started = Instant::now();
    let name = loop {
        let (name, _) = p.whoami().unwrap();
        if name != "reload-a:frank@example.com" {
            break name;
        }
        assert!(
            started.elapsed() < Duration::from_secs(150),
            "not reloaded in 150 s: {:?}",
            c.log_lines("authentication config")
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    eprintln!("reloaded after {:?}", started.elapsed());
    assert_eq!(name, "reload-b:frank@example.com");
    let authn = format!("--authentication-config={}", c.authn_config.display());
    let (out, doc) = p.debug_token(&[&authn]);
    assert_success(&out);
    assert_eq!(doc["user"]["username"], name, "{doc:#}");
}
