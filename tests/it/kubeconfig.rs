//! Issue 18 end to end with the real kubectl: a kubeconfig as kubelogin's README writes it
//! (`kubectl oidc-login get-token ... -v1`) and a legacy `auth-provider: oidc` entry with a live
//! refresh token, against a provider that registered only kubelogin's redirect URIs. After
//! `setup --migrate`, kubectl uses both entries with no browser and no provider change;
//! `login`, `logout` and `status` act by context.

use std::path::{Path, PathBuf};

use crate::common::*;

/// kubelogin's token cache file for these tokens, named as kubelogin names them (a digest).
fn kubelogin_cache_file(home: &Path, name: &str, id_token: &str, refresh_token: &str) -> PathBuf {
    let dir = home.join(".kube/cache/oidc-login");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(
        &file,
        serde_json::json!({"id_token": id_token, "refresh_token": refresh_token}).to_string(),
    )
    .unwrap();
    file
}

fn plugin(s: &TlsLogin, command: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(BIN);
    cmd.arg(command).args(args);
    scrub(&mut cmd, s.home.dir.path());
    cmd.env("NODE_EXTRA_CA_CERTS", s.tls.ca())
        .env("PATH", path_with_plugin())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_kubelogin_kubeconfig_migrates_with_no_provider_change_and_no_new_login() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    // A provider of the real cluster's pool: its counts and last request are this test's.
    let s = TlsLogin::leased("alice");
    let c = cluster();
    let home = s.home.dir.path();
    let issuer = s.idp.issuer.clone();
    let ca = s.tls.ca().display().to_string();

    // kubelogin's session (client `kubelogin`, registered with kubelogin's redirect URIs only),
    // in its token cache; beside it, another client's (not to be taken).
    let (kl_id, kl_refresh) = tokens_of_a_login(
        &s,
        &[
            "--oidc-client-id=kubelogin",
            "--oidc-redirect-url-hostname=localhost",
        ],
    );
    let kl_file = kubelogin_cache_file(home, &"ab".repeat(32), &kl_id, &kl_refresh);
    let (other_id, _) = tokens_of_a_login(&s, &["--oidc-client-id=kubernetes"]);
    kubelogin_cache_file(home, &"cd".repeat(32), &other_id, "not-this-one");
    // A legacy auth-provider entry of a confidential client, with its live refresh token.
    let (ap_id, ap_refresh) = tokens_of_a_login(
        &s,
        &[
            "--oidc-client-id=confidential",
            "--oidc-client-secret=test-client-secret",
            "--oidc-extra-scope=email",
        ],
    );

    let kubelogin_args: Vec<String> = vec![
        "oidc-login".into(),
        "get-token".into(),
        format!("--oidc-issuer-url={issuer}"),
        "--oidc-client-id=kubelogin".into(),
        format!("--certificate-authority={ca}"),
        "-v1".into(),
        "--logtostderr".into(),
    ];
    let kubeconfig = home.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {cluster_ca}\n\
             users:\n- name: oidc\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      interactiveMode: Never\n      args:{kl}\n\
             - name: legacy\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        idp-issuer-url: {issuer}\n        client-id: confidential\n        client-secret: test-client-secret\n        extra-scopes: email\n        idp-certificate-authority: {ca}\n        id-token: {ap_id}\n        refresh-token: {ap_refresh}\n\
             - name: admin\n  user:\n    token: admin-token\n\
             contexts:\n- name: kubelogin\n  context: {{cluster: test, user: oidc}}\n- name: legacy\n  context: {{cluster: test, user: legacy}}\n- name: admin\n  context: {{cluster: test, user: admin}}\ncurrent-context: kubelogin\n",
            server = c.server,
            cluster_ca = c.ca.display(),
            kl = yaml_args(&kubelogin_args),
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let original = std::fs::read(&kubeconfig).unwrap();

    // --dry-run says everything and changes nothing.
    let out = plugin(&s, "setup", &["--migrate", "--dry-run", &kc]);
    assert_success(&out);
    let err = stderr(&out);
    for says in [
        "user oidc:\n  - kubectl oidc-login get-token",
        "+ kubectl-oidc get-token",
        "left out the log level (--v=1): in the entry it would print kubectl-oidc's trace",
        "--oidc-redirect-url-hostname=localhost",
        "left out kubelogin's logging flags: --logtostderr",
        &format!(
            "would import the refresh token from kubelogin's token cache {}",
            kl_file.display()
        ),
        "user legacy:\n  - auth-provider oidc",
        "the client secret would move to the 0600 file",
        "would import the refresh token from the kubeconfig's auth-provider entry",
        "is unchanged",
    ] {
        assert!(err.contains(says), "{says:?} in {err}");
    }
    for secret in [
        kl_refresh.as_str(),
        ap_refresh.as_str(),
        "test-client-secret",
    ] {
        assert!(!err.contains(secret), "a secret was printed: {err}");
    }
    assert_eq!(std::fs::read(&kubeconfig).unwrap(), original);

    // The migration.
    let out = plugin(&s, "setup", &["--migrate", &kc]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(err.contains("Migrated 2 users"), "{err}");
    // Without --remove-kubelogin-cache kubelogin's copy stays, and the risk is said.
    assert!(
        err.contains(&format!(
            "kubelogin's copy stays in kubelogin's token cache {}: once kubectl-oidc refreshes, a \
             provider that rotates refresh tokens refuses kubelogin's (invalid_grant)",
            kl_file.display()
        )) && err.contains("--remove-kubelogin-cache moves it aside"),
        "{err}"
    );
    assert!(kl_file.exists());
    assert_eq!(
        err.matches("session: imported the refresh token").count(),
        2,
        "{err}"
    );
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    for secret in [ap_refresh.as_str(), ap_id.as_str(), "test-client-secret"] {
        assert!(
            !written.contains(secret),
            "a secret stayed in the kubeconfig"
        );
    }
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    let exec = |user: &str| user_of(&doc, user)["exec"].clone();
    let kl = exec("oidc");
    assert_eq!(kl["command"], "kubectl-oidc");
    assert_eq!(
        kl["interactiveMode"], "Never",
        "kubelogin's interactiveMode is kept"
    );
    assert!(kl["installHint"].is_string());
    let kl_args: Vec<&str> = kl["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        kl_args,
        [
            "get-token",
            &format!("--oidc-issuer-url={issuer}"),
            "--oidc-client-id=kubelogin",
            &format!("--certificate-authority={ca}"),
            "--oidc-redirect-url-hostname=localhost"
        ]
    );
    // Only what the entries had or need: no nulls or defaults from kubectl's view (issue 31
    // item 10), and an installHint that says only what exists.
    for absent in ["env: null", "provideClusterInfo", "release archive"] {
        assert!(!written.contains(absent), "{absent}: {written}");
    }
    let legacy = exec("legacy");
    assert_eq!(legacy["command"], "kubectl-oidc");
    assert_eq!(legacy["interactiveMode"], "IfAvailable");
    assert!(user_of(&doc, "legacy")["auth-provider"].is_null());
    let secret_file = legacy["args"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|a| a.as_str()?.strip_prefix("--oidc-client-secret-file="))
        .expect("the client secret's file")
        .to_owned();
    assert_eq!(
        std::fs::read_to_string(&secret_file).unwrap(),
        "test-client-secret"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&secret_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // kubectl through both entries: each refreshes its imported refresh token, no login, and
    // the real API server takes the token.
    let logins = s.idp.grants("authorization_code");
    let refreshes = s.idp.grants("refresh_token");
    for context in ["legacy", "kubelogin"] {
        let out = kubectl(
            &s.home,
            &[
                &kc,
                &format!("--context={context}"),
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
        );
        assert_success(&out);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "oidc:alice",
            "{context}"
        );
        // A refresh through the migrated entry is a success: nothing on stderr (no -v1 trace).
        assert_eq!(stderr(&out), "", "{context}");
    }
    assert_eq!(
        s.idp.grants("authorization_code"),
        logins,
        "a browser login ran"
    );
    assert_eq!(
        s.idp.grants("refresh_token"),
        refreshes + 2,
        "{}",
        s.idp.stats()["grants"]
    );

    // status names the contexts that use each session.
    let out = plugin(&s, "status", &["-o", "json", &kc]);
    assert_success(&out);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let contexts_of = |client: &str| -> Vec<String> {
        rows.iter()
            .find(|r| r["client_id"] == client)
            .unwrap_or_else(|| panic!("no session of {client}: {rows:?}"))["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(contexts_of("kubelogin"), ["kubelogin"]);
    assert_eq!(contexts_of("confidential"), ["legacy"]);
    let out = plugin(&s, "status", &[&kc]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("used by kubeconfig context legacy"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // --context: that context's session only.
    let out = plugin(&s, "status", &["-o", "json", &kc, "--context=legacy"]);
    let only: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!(only[0]["client_id"], "confidential");

    // login by context, with no flag but a browser: the current context's entry (the migrated
    // kubelogin one), kubelogin's redirect on port 8000 (or 18000), which the provider takes.
    let out = plugin(&s, "login", &[&kc, &s.home.browser("")]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("(context \"kubelogin\", user \"oidc\")"),
        "{err}"
    );
    let redirect = s.idp.stats()["last_auth"]["redirect_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        ["http://localhost:8000", "http://localhost:18000"].contains(&redirect.as_str()),
        "{redirect}"
    );
    assert_eq!(s.idp.grants("authorization_code"), logins + 1);

    // logout by context removes exactly that session.
    let out = plugin(&s, "logout", &[&kc, "--context=legacy"]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("context \"legacy\""),
        "{}",
        stderr(&out)
    );
    let out = plugin(&s, "status", &["-o", "json", &kc]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        rows.iter().all(|r| r["client_id"] != "confidential"),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r["client_id"] == "kubelogin"),
        "{rows:?}"
    );

    // A context whose user is not an OIDC exec entry: a clear error naming what it has.
    let out = plugin(&s, "login", &[&kc, "--context=admin"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the user \"admin\" of context \"admin\" has a static token"),
        "{}",
        stderr(&out)
    );
    // A context that is not there: said so, with the command that lists the contexts (issue
    // 21 item 4), by login and debug-token alike.
    for command in ["login", "debug-token"] {
        let out = plugin(&s, command, &[&kc, "--context=prdo"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{command}: {err}");
        assert!(
            err.contains("has no context \"prdo\"")
                && err.contains(&format!(
                    "{} config get-contexts` lists",
                    kc.replace('=', " ")
                )),
            "{command}: {err}"
        );
    }
}

/// A login by the context of a kubelogin entry that was never migrated: its flags (and
/// `-v1`) work as they are, with kubelogin's redirect, against the provider registered for
/// kubelogin. Flags on the command line win.
#[test]
fn login_by_the_context_of_an_unmigrated_kubelogin_entry_uses_its_flags_and_redirect() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::new();
    let home = s.home.dir.path();
    let kubeconfig = home.join("kubeconfig");
    let args: Vec<String> = vec![
        "oidc-login".into(),
        "get-token".into(),
        format!("--oidc-issuer-url={}", s.idp.issuer),
        "--oidc-client-id=kubelogin".into(),
        format!("--certificate-authority={}", s.tls.ca().display()),
        format!("--token-cache-dir={}", s.home.cache_dir().display()),
        "--token-cache-storage=disk".into(),
        "-v1".into(),
    ];
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: https://127.0.0.1:1\n\
             users:\n- name: kl\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      interactiveMode: IfAvailable\n      args:{}\n\
             contexts:\n- name: dev\n  context: {{cluster: test, user: kl}}\ncurrent-context: dev\n",
            yaml_args(&args)
        ),
    )
    .unwrap();
    let out = plugin(
        &s,
        "login",
        &[
            &format!("--kubeconfig={}", kubeconfig.display()),
            "--context=dev",
            "--listen-address=127.0.0.1:0",
            &s.home.browser(""),
        ],
    );
    assert_success(&out);
    let err = stderr(&out);
    assert!(err.contains("its kubelogin entry"), "{err}");
    // -v1 from the entry: the verbose trace is on.
    assert!(err.contains("[v1]"), "{err}");
    let redirect = s.idp.stats()["last_auth"]["redirect_uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        redirect.starts_with("http://localhost:") && !redirect.ends_with("/callback"),
        "{redirect}"
    );
    // The session is the one the entry's get-token serves (same cache key): a cache hit.
    let mut get = vec!["get-token".to_owned()];
    get.extend(args[2..].iter().cloned());
    let out = plugin(
        &s,
        &get[0],
        &get[1..].iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_success(&out);
    assert_eq!(s.idp.grants("refresh_token"), 0);
}

/// Issue 18 item 3: an entry switched from kubelogin by editing one word (`oidc-login` ->
/// `oidc`) keeps kubelogin's logging flags, in every spelling Go takes, and works through
/// kubectl; on success nothing of them reaches stderr.
#[test]
fn an_entry_with_kubelogins_logging_flags_works_through_kubectl() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::on_cluster("judy");
    let c = cluster();
    let kubeconfig_of = |klog: &[&str]| {
        let mut args = vec!["oidc".to_owned(), "get-token".to_owned()];
        args.extend(s.home.args.iter().cloned());
        args.extend(klog.iter().map(|a| a.to_string()));
        let path = s.home.dir.path().join("kubeconfig");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
                 users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      interactiveMode: IfAvailable\n      args:{args}\n\
                 contexts:\n- name: c\n  context: {{cluster: test, user: u}}\ncurrent-context: c\n",
                server = c.server,
                ca = c.ca.display(),
                args = yaml_args(&args),
            ),
        )
        .unwrap();
        path
    };
    let get_version = |kubeconfig: PathBuf| {
        let path = kubeconfig.display().to_string();
        let out = kubectl(
            &s.home,
            &[
                "--kubeconfig",
                &path,
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
        );
        assert_success(&out);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("oidc:judy@example.com"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        out
    };
    for klog in [
        &[
            "--logtostderr",
            "--alsologtostderr=false",
            "--stderrthreshold",
            "INFO",
        ][..],
        &[
            "-logtostderr",
            "-log_dir=/tmp",
            "--vmodule=x=2",
            "--skip_headers",
            "--one_output",
            "--add_dir_header",
        ],
        &["--log_file", "/tmp/kubelogin.log", "--log_file_max_size=5"],
    ] {
        let out = get_version(kubeconfig_of(klog));
        assert!(
            !stderr(&out).contains("kubectl-oidc"),
            "{klog:?}: {}",
            stderr(&out)
        );
    }
    // -v1 (and its other spellings) is our verbosity: kubectl shows the plugin's trace.
    for v in ["-v1", "-v=1", "--v=1"] {
        let out = get_version(kubeconfig_of(&[v]));
        assert!(
            stderr(&out).contains("kubectl-oidc: [v1] cache:"),
            "{v}: {}",
            stderr(&out)
        );
    }
}

/// Issue 28 item 4 and issue 27 item 2: two kubelogin users of one provider (told apart by
/// their `login_hint`, as kubelogin's own cache key tells them apart) logged in by the real
/// kubelogin, and a third that names no account. `setup --migrate` gives alice's and bob's
/// entries each their own session (814054a gave both the newest: bob's), and the third none:
/// which account it is cannot be told. The first call of each refreshes, no browser.
#[test]
fn kubelogin_users_of_one_provider_keep_their_own_identities() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::new();
    let issuer = s.idp.issuer.clone();
    let ca = s.tls.ca().display().to_string();
    let entry_args = |hint: Option<&str>| -> Vec<String> {
        let mut a = vec![
            format!("--oidc-issuer-url={issuer}"),
            "--oidc-client-id=kubelogin".to_owned(),
            "--oidc-extra-scope=email".to_owned(),
            format!("--certificate-authority={ca}"),
        ];
        if let Some(h) = hint {
            a.push(format!("--oidc-auth-request-extra-params=login_hint={h}"));
        }
        a
    };
    // bob logs in last: his session is the newest.
    for (login, hint) in [("alice", "alice@example.com"), ("bob", "bob@example.com")] {
        let out = kubelogin(&s, login, &entry_args(Some(hint)));
        let token =
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["status"]["token"]
                .as_str()
                .unwrap()
                .to_owned();
        assert_eq!(claims(&token)["sub"], login);
        std::thread::sleep(std::time::Duration::from_millis(1100)); // distinct iat
    }
    let cache = s.home.dir.path().join(".kube/cache/oidc-login");
    let files = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_none())
        .count();
    assert_eq!(
        files,
        2,
        "kubelogin's own cache files in {}",
        cache.display()
    );

    let exec = |hint: Option<&str>| {
        let mut args = vec!["oidc-login".to_owned(), "get-token".to_owned()];
        args.extend(entry_args(hint));
        format!(
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubectl\n      interactiveMode: IfAvailable\n      args:{}\n",
            yaml_args(&args)
        )
    };
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: alice\n  user:\n{}- name: bob\n  user:\n{}- name: nohint\n  user:\n{}",
            exec(Some("alice@example.com")),
            exec(Some("bob@example.com")),
            exec(None),
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let out = plugin(&s, "setup", &["--migrate", "--remove-kubelogin-cache", &kc]);
    assert_success(&out);
    let err = stderr(&out);
    assert_eq!(
        err.matches("session: imported the refresh token from kubelogin's token cache")
            .count(),
        2,
        "{err}"
    );
    // Issue 31 item 2: kubelogin's copies of the two imported refresh tokens are moved aside
    // (0600 backups beside them), so kubelogin never presents a token kubectl-oidc rotated.
    assert_eq!(
        err.matches("kubelogin's copy moved aside to ").count(),
        2,
        "{err}"
    );
    let names: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        assert!(name.ends_with(".kubectl-oidc.bak"), "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(cache.join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
    assert!(
        err.contains("session: nothing imported: kubelogin's token cache holds sessions of 2 accounts of this issuer and client (alice@example.com, bob@example.com)"),
        "{err}"
    );
    // No OS keyring here (no session bus): said once for the cache directory, not once per
    // imported session (issue 31 item 9).
    assert_eq!(
        err.lines().filter(|l| l.contains("0600 file")).count(),
        1,
        "{err}"
    );

    // Each migrated entry, run as kubectl runs it: its own account, by a refresh.
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    let logins = s.idp.grants("authorization_code");
    for user in ["alice", "bob"] {
        let args: Vec<String> = user_of(&doc, user)["exec"]["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        let mut cmd = std::process::Command::new(BIN);
        cmd.args(&args);
        scrub(&mut cmd, s.home.dir.path());
        let out = cmd
            .env("KUBERNETES_EXEC_INFO", EXEC_V1_NONINTERACTIVE)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_success(&out);
        assert_eq!(claims(&token_of(&out))["sub"], user, "{user}'s entry");
    }
    assert_eq!(
        s.idp.grants("authorization_code"),
        logins,
        "a browser login ran"
    );
    assert!(s.idp.grants("refresh_token") >= 2);
}

/// Issue 31 item 6: a failure of a call kubectl made through a context suggests the short fix,
/// `kubectl oidc login --context NAME`, not the entry's every flag; a call that no context
/// uses keeps the long command.
#[test]
fn a_failure_through_a_context_names_the_context_in_its_fix() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let kubeconfig = write_cluster_kubeconfig(&home);
    let path = kubeconfig.display().to_string();
    // Not logged in, stdin closed: kubectl runs the plugin non-interactively, and it fails.
    let out = kubectl_get_pods(&home, &kubeconfig, &[("KUBECONFIG", &path)]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("log in with: kubectl oidc login --context oidc\n")
            && !err.contains("--oidc-issuer-url"),
        "{err}"
    );
    // The same call with no kubeconfig naming it: the whole command, as before.
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("log in with: kubectl oidc login --oidc-issuer-url="),
        "{err}"
    );
}
