//! `setup` end to end with the real kubectl: onboarding writes a kubeconfig entry that kubectl
//! then uses, keeps everything else in the file, is idempotent, refuses to clobber a different
//! user, prints the commands without --write, and migrates kubelogin entries.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::*;

fn setup(home: &Home, extra: &[&str]) -> Output {
    let mut cmd = home.command("setup", extra, None);
    cmd.env("PATH", path_with_plugin());
    cmd.output().unwrap()
}

fn named<'a>(doc: &'a serde_json::Value, list: &str, name: &str) -> Option<&'a serde_json::Value> {
    doc[list].as_array()?.iter().find(|x| x["name"] == name)
}

const OTHERS: &str = "apiVersion: v1
kind: Config
preferences:
  extensions:
  - name: pref-ext
    extension: {a: 1}
clusters:
- name: other
  cluster:
    server: https://other.example.com
    extensions:
    - name: cluster-ext
      extension: {b: 2}
users:
- name: someone
  user: {token: someone-token}
contexts:
- name: other
  context: {cluster: other, user: someone}
current-context: other
extensions:
- name: top-ext
  extension: {c: 3}
";

fn kubeconfig_with_others(home: &Home) -> PathBuf {
    let path = home.dir.path().join("kubeconfig");
    std::fs::write(&path, OTHERS).unwrap();
    path
}

#[test]
fn setup_writes_an_entry_kubectl_uses_and_keeps_everything_else() {
    let s = TlsLogin::on_cluster("heidi");
    let c = cluster();
    let kubeconfig = kubeconfig_with_others(&s.home);
    let before = kubeconfig_view(&s.home, &kubeconfig);
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let cluster = [
        "--cluster=test".to_owned(),
        format!("--server={}", c.server),
        format!("--cluster-certificate-authority={}", c.ca.display()),
    ];
    let authn = format!("--authentication-config={}", c.authn_config.display());
    let mut args: Vec<&str> = vec!["--write", &kc, &authn];
    args.extend(cluster.iter().map(String::as_str));
    let out = setup(&s.home, &args);
    assert_success(&out);
    let err = stderr(&out);
    // Who the API server will see (its AuthenticationConfiguration: email, prefix oidc:), and
    // the binding.
    let username = "oidc:heidi@example.com";
    assert!(
        err.contains(&format!("will see you as {username:?}")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "kubectl create clusterrolebinding oidc-NAME --clusterrole=view --user={username}"
        )),
        "{err}"
    );
    assert!(err.contains("Wrote user \"oidc\""), "{err}");
    let after = kubeconfig_view(&s.home, &kubeconfig);
    // Everything that was there is there as it was.
    for (list, name) in [
        ("clusters", "other"),
        ("users", "someone"),
        ("contexts", "other"),
    ] {
        assert_eq!(
            named(&after, list, name),
            named(&before, list, name),
            "{list}/{name}"
        );
    }
    for key in ["preferences", "extensions", "current-context"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    // The new entry: kubectl-oidc get-token with the flags (the plugin itself, not kubectl
    // running it: issue 18), v1, IfAvailable, an installHint, no secret.
    let exec = &named(&after, "users", "oidc").unwrap()["user"]["exec"];
    assert_eq!(exec["command"], "kubectl-oidc");
    assert_eq!(exec["apiVersion"], "client.authentication.k8s.io/v1");
    assert_eq!(exec["interactiveMode"], "IfAvailable");
    assert!(
        exec["installHint"].as_str().is_some_and(
            |h| h.contains("cargo install --locked --path .") && !h.contains("release archive")
        ),
        "{exec}"
    );
    let exec_args: Vec<&str> = exec["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(exec_args[0], "get-token");
    assert!(
        exec_args.contains(&format!("--oidc-issuer-url={}", s.idp.issuer).as_str()),
        "{exec_args:?}"
    );
    assert!(
        named(&after, "clusters", "test").unwrap()["cluster"]["certificate-authority-data"]
            .is_string()
    );
    assert_eq!(
        named(&after, "contexts", "test").unwrap()["context"]["user"],
        "oidc"
    );
    // The backup is the file as it was.
    let backup = s.home.dir.path().join("kubeconfig.kubectl-oidc.bak");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), OTHERS);

    // kubectl uses the written entry: the real API server takes the token as that person.
    let out = kubectl(
        &s.home,
        &[
            &kc,
            "--context=test",
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_success(&out);
    assert_eq!(String::from_utf8_lossy(&out.stdout), username);

    // A second run changes nothing.
    assert_success(&setup(&s.home, &args));
    assert_eq!(kubeconfig_view(&s.home, &kubeconfig), after);
    let out = setup(&s.home, &["--write", &kc]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("nothing to change"),
        "{}",
        stderr(&out)
    );

    // A different user of that name is not clobbered without --force.
    let out = setup(&s.home, &["--write", &kc, "--user=someone"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        named(&kubeconfig_view(&s.home, &kubeconfig), "users", "someone"),
        named(&before, "users", "someone")
    );
    let out = setup(&s.home, &["--write", &kc, "--user=someone", "--force"]);
    assert_success(&out);
    let replaced = named(&kubeconfig_view(&s.home, &kubeconfig), "users", "someone")
        .unwrap()
        .clone();
    assert!(
        replaced["user"]["token"].is_null() && replaced["user"]["exec"].is_object(),
        "{replaced}"
    );
}

/// Issue 21 item 4: what `--write` cannot do (a kubeconfig kubectl cannot read, a different
/// user of that name without --force) is said before the login, with the fix, and the file is
/// left as it was.
#[test]
fn setup_says_what_it_cannot_write_before_the_login() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let (marker, browser) = home.marked_browser();
    let broken = home.dir.path().join("broken");
    std::fs::write(&broken, "users: [\n").unwrap();
    let others = kubeconfig_with_others(&home);
    for (file, extra, says) in [
        (&broken, None, "kubectl cannot read the kubeconfig"),
        (
            &others,
            Some("--user=someone"),
            "already has a different user \"someone\"",
        ),
    ] {
        let before = std::fs::read(file).unwrap();
        let kc = format!("--kubeconfig={}", file.display());
        let mut args = vec!["--write", &kc, &browser];
        args.extend(extra);
        let out = setup(&home, &args);
        let err = assert_failure(&out, 3, &[]);
        assert!(
            err.contains(says) && err.contains(&file.display().to_string()),
            "{err}"
        );
        assert!(
            err.contains("nothing was changed") || err.contains("--force"),
            "{err}"
        );
        assert!(!marker.exists(), "a login was started: {err}");
        assert_eq!(idp.grants("authorization_code"), 0);
        assert_eq!(std::fs::read(file).unwrap(), before);
    }
}

/// Issue 31 item 4: setup with a client registered for kubelogin (http://localhost:8000, no
/// path) and the Quick start's flags: oidc-provider refuses the redirect URI on its page; setup
/// says so at once, with the flag that keeps kubelogin's registration, and opens no browser.
/// With that flag the same setup logs in.
#[test]
fn setup_for_a_client_registered_for_kubelogin_says_the_redirect_it_needs_at_once() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args.retain(|a| !a.starts_with("--oidc-client-id"));
    home.args.push("--oidc-client-id=kubelogin".to_owned());
    let (marker, browser) = home.marked_browser();
    let started = std::time::Instant::now();
    let out = setup(&home, &[&browser, "--authentication-timeout-sec=60"]);
    let err = assert_failure(
        &out,
        5,
        &[
            &format!(
                "{} refused the login request of the client kubelogin before any browser \
                 opened: HTTP 400, invalid_redirect_uri: redirect_uri did not match any of the \
                 client's registered redirect_uris",
                idp.issuer
            ),
            "/callback is not registered for the client kubelogin there",
            "takes --oidc-redirect-url-hostname=localhost",
        ],
    );
    assert!(err.contains("the redirect URI http://127.0.0.1:"), "{err}");
    assert!(
        !err.contains("state:"),
        "the page's next field was taken in: {err}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{err}"
    );
    assert!(!marker.exists(), "a browser was opened: {err}");

    let out = setup(&home, &[&browser, "--oidc-redirect-url-hostname=localhost"]);
    assert_success(&out);
    assert!(
        std::fs::read_to_string(&marker)
            .unwrap()
            .contains("redirect_uri=http%3A%2F%2Flocalhost%3A")
    );
    assert_eq!(idp.grants("authorization_code"), 1);
}

#[test]
fn setup_without_write_prints_the_kubectl_commands_that_do_it() {
    let s = TlsLogin::new();
    let out = setup(&s.home, &["--user=dev"]);
    assert_success(&out);
    let printed = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        printed.contains("kubectl config set-credentials dev"),
        "{printed}"
    );
    // The printed commands are exact: run them against an empty kubeconfig.
    let kubeconfig = s.home.dir.path().join("fresh");
    let script = printed.replace(
        "kubectl config ",
        &format!("kubectl --kubeconfig {} config ", kubeconfig.display()),
    );
    let mut sh = Command::new("sh");
    sh.args(["-ec", &script]);
    scrub(&mut sh, s.home.dir.path());
    assert_success(&sh.output().unwrap());
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    let exec = &named(&doc, "users", "dev").unwrap()["user"]["exec"];
    assert_eq!(exec["command"], "kubectl-oidc");
    assert_eq!(exec["args"][0], "get-token");

    // With --kubeconfig, the printed commands edit that file, not ~/.kube/config (issue 21
    // item 7): run as printed, they fill it.
    let named_file = s.home.dir.path().join("named");
    let out = setup(
        &s.home,
        &[
            "--user=dev",
            &format!("--kubeconfig={}", named_file.display()),
        ],
    );
    assert_success(&out);
    let printed = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        printed.contains(&format!(
            "kubectl --kubeconfig {} config set-credentials dev",
            named_file.display()
        )),
        "{printed}"
    );
    let mut sh = Command::new("sh");
    sh.args(["-ec", &printed]);
    scrub(&mut sh, s.home.dir.path());
    assert_success(&sh.output().unwrap());
    assert!(named(&kubeconfig_view(&s.home, &named_file), "users", "dev").is_some());
    assert!(!s.home.dir.path().join(".kube/config").exists());
}

#[test]
fn migrate_moves_kubelogin_entries_to_kubectl_oidc() {
    // kubelogin's fixed redirect ports (8000, 18000).
    let _ports = kubelogin_ports();
    let s = TlsLogin::on_cluster("ivan");
    let c = cluster();
    let flags: Vec<String> = std::iter::once("get-token".to_owned())
        .chain(s.home.args.iter().cloned())
        .collect();
    let yaml_list = |words: &[String]| {
        words
            .iter()
            .map(|w| format!("\n      - {}", serde_json::to_string(w).unwrap()))
            .collect::<String>()
    };
    let kubeconfig = s.home.dir.path().join("kubeconfig");
    let with_plugin = |first: &str| {
        let mut v = vec![first.to_owned()];
        v.extend(flags.iter().cloned());
        v
    };
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {server}\n    certificate-authority: {ca}\n\
             users:\n- name: plugin-form\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubectl\n      args:{plugin}\n\
             - name: binary-form\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args:{binary}\n\
             - name: eks\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token]\n\
             contexts:\n- name: plugin-form\n  context: {{cluster: test, user: plugin-form}}\n- name: binary-form\n  context: {{cluster: test, user: binary-form}}\n",
            server = c.server,
            ca = c.ca.display(),
            plugin = yaml_list(&with_plugin("oidc-login")),
            binary = yaml_list(&flags),
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let original = std::fs::read(&kubeconfig).unwrap();
    let bare = Home {
        dir: tempfile::tempdir().unwrap(),
        args: Vec::new(),
    };
    let out = setup(&bare, &["--migrate", "--dry-run", &kc]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("user plugin-form:\n  - kubectl oidc-login get-token")
            && err.contains("+ kubectl-oidc get-token")
            && err.contains("user binary-form:")
            && !err.contains("user eks"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&kubeconfig).unwrap(),
        original,
        "--dry-run changed the file"
    );
    let out = setup(&bare, &["--migrate", &kc]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("Migrated 2 users"),
        "{}",
        stderr(&out)
    );
    let doc = kubeconfig_view(&s.home, &kubeconfig);
    for user in ["plugin-form", "binary-form"] {
        let exec = &named(&doc, "users", user).unwrap()["user"]["exec"];
        assert_eq!(exec["command"], "kubectl-oidc", "{user}");
        assert!(exec["installHint"].is_string(), "{user}");
        let args: Vec<String> = exec["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        // kubelogin's flags as they were, and its redirect kept (no provider change).
        let mut want = flags.clone();
        want.push("--oidc-redirect-url-hostname=localhost".to_owned());
        assert_eq!(args, want, "{user}");
        // kubectl runs the migrated entry: the plugin serves the session kubelogin's flags
        // name, and the real API server takes it.
        let out = kubectl(
            &s.home,
            &[
                &kc,
                &format!("--context={user}"),
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
        );
        assert_success(&out);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "oidc:ivan@example.com"
        );
    }
    assert_eq!(
        named(&doc, "users", "eks").unwrap()["user"]["exec"]["command"],
        "aws"
    );
}

/// Issue 17 item 2: two `setup --write` at once, each adding its own user, lose nothing:
/// writers take the kubeconfig's lock (kubectl's `<file>.lock`), decide on the file as it is
/// under the lock, and write through a temp file of their own.
#[test]
fn concurrent_setups_keep_every_user_and_everything_else() {
    let s = TlsLogin::new();
    let kubeconfig = kubeconfig_with_others(&s.home);
    let before = kubeconfig_view(&s.home, &kubeconfig);
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    for round in 0..6 {
        let users = [format!("a{round}"), format!("b{round}")];
        let children: Vec<_> = users
            .iter()
            .map(|u| {
                let mut cmd =
                    s.home
                        .command("setup", &["--write", &kc, &format!("--user={u}")], None);
                cmd.env("PATH", path_with_plugin());
                cmd.stderr(std::process::Stdio::piped()).spawn().unwrap()
            })
            .collect();
        for child in children {
            assert_success(&child.wait_with_output().unwrap());
        }
        let doc = kubeconfig_view(&s.home, &kubeconfig);
        for r in 0..=round {
            for u in [format!("a{r}"), format!("b{r}")] {
                assert!(
                    named(&doc, "users", &u).is_some(),
                    "round {round}: user {u} was lost: {doc}"
                );
            }
        }
        for (list, name) in [
            ("clusters", "other"),
            ("users", "someone"),
            ("contexts", "other"),
        ] {
            assert_eq!(
                named(&doc, list, name),
                named(&before, list, name),
                "round {round}: {list}/{name}"
            );
        }
    }
    let leftovers: Vec<String> = std::fs::read_dir(s.home.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Issue 17 item 7: a kubeconfig that is a symbolic link (a dotfile manager's) is written
/// through the link, which stays a link; with several files in `KUBECONFIG`, the entry goes
/// to the file that defines the user, as kubectl would write it, and setup says which.
#[cfg(unix)]
#[test]
fn a_linked_kubeconfig_stays_a_link_and_the_file_that_defines_the_user_is_written() {
    let s = TlsLogin::new();
    let dotfiles = s.home.dir.path().join("dotfiles");
    std::fs::create_dir(&dotfiles).unwrap();
    let real = dotfiles.join("kubeconfig");
    std::fs::write(&real, OTHERS).unwrap();
    let link = s.home.dir.path().join("config");
    std::os::unix::fs::symlink("dotfiles/kubeconfig", &link).unwrap();
    let out = setup(
        &s.home,
        &[
            "--write",
            &format!("--kubeconfig={}", link.display()),
            "--user=linked",
        ],
    );
    assert_success(&out);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert!(named(&kubeconfig_view(&s.home, &real), "users", "linked").is_some());
    assert!(dotfiles.join("kubeconfig.kubectl-oidc.bak").exists());

    // KUBECONFIG=first:second, the user defined in the second: the second is written.
    let first = s.home.dir.path().join("first");
    let second = s.home.dir.path().join("second");
    std::fs::write(&first, OTHERS).unwrap();
    std::fs::write(
        &second,
        "apiVersion: v1\nkind: Config\nusers:\n- name: dev\n  user: {token: old}\n",
    )
    .unwrap();
    let kubeconfig_env = std::env::join_paths([&first, &second]).unwrap();
    let setup_both = |args: &[&str], says: String| {
        let mut cmd = s.home.command("setup", args, None);
        cmd.env("PATH", path_with_plugin())
            .env("KUBECONFIG", &kubeconfig_env);
        let out = cmd.output().unwrap();
        assert_success(&out);
        assert!(stderr(&out).contains(&says), "{}", stderr(&out));
    };
    setup_both(
        &["--write", "--user=dev", "--force"],
        format!("Writing {} (it defines user \"dev\")", second.display()),
    );
    assert!(named(&kubeconfig_view(&s.home, &first), "users", "dev").is_none());
    assert!(
        named(&kubeconfig_view(&s.home, &second), "users", "dev").unwrap()["user"]["exec"]
            .is_object()
    );
    // A new user goes to the first file, as kubectl adds it.
    setup_both(
        &["--write", "--user=new"],
        format!("Writing {} (the first existing file", first.display()),
    );
    assert!(named(&kubeconfig_view(&s.home, &first), "users", "new").is_some());
}
