//! Editing a kubeconfig: atomic, locked, backed up, with the install hint.

use super::*;
use crate::kubeconfig::lock::FileLock;

#[test]
fn the_kubeconfig_files_and_where_a_new_entry_goes() {
    let home = Path::new("/home/u");
    assert_eq!(
        files(Some(Path::new("/k")), Some(OsStr::new("/a:/b")), Some(home)),
        [PathBuf::from("/k")]
    );
    assert_eq!(
        files(None, Some(OsStr::new(":/a::/b")), Some(home)),
        [PathBuf::from("/a"), PathBuf::from("/b")]
    );
    assert_eq!(
        files(None, None, Some(home)),
        [PathBuf::from("/home/u/.kube/config")]
    );
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(default_file(&[a.clone(), b.clone()]), Some(b.clone()));
    std::fs::write(&b, "").unwrap();
    assert_eq!(default_file(&[a.clone(), b.clone()]), Some(b.clone()));
    std::fs::write(&a, "").unwrap();
    assert_eq!(default_file(&[a.clone(), b.clone()]), Some(a.clone()));
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles/kubeconfig");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "").unwrap();
    let link = dir.path().join("config");
    std::os::unix::fs::symlink("dotfiles/kubeconfig", &link).unwrap();
    let chain = dir.path().join("chain");
    std::os::unix::fs::symlink(&link, &chain).unwrap();
    assert_eq!(resolve(&chain).unwrap(), real);
    assert_eq!(resolve(&real).unwrap(), real);
    let loop_ = dir.path().join("loop");
    std::os::unix::fs::symlink(&loop_, &loop_).unwrap();
    assert!(resolve(&loop_).is_err());
}

#[cfg(unix)]
#[test]
fn the_lock_excludes_takes_over_a_dead_holder_and_names_a_live_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config");
    let lock = dir.path().join("config.lock");
    let held = FileLock::take(&file, Duration::from_secs(1)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&lock).unwrap(),
        std::process::id().to_string()
    );
    let err = FileLock::take(&file, Duration::from_millis(200))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains(&format!("process {}", std::process::id()))
            && err.contains(&lock.display().to_string()),
        "{err}"
    );
    drop(held);
    assert!(!lock.exists());
    // kubectl's own lock (empty) is waited for, then named.
    std::fs::write(&lock, "").unwrap();
    let err = FileLock::take(&file, Duration::from_millis(200))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("another program"), "{err}");
    // A killed kubectl-oidc's lock (a pid that no longer runs) is taken over.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    std::fs::write(&lock, dead.to_string()).unwrap();
    drop(FileLock::take(&file, Duration::from_millis(200)).unwrap());
}

#[test]
fn an_exec_entry_that_runs_the_plugin() {
    let cmd = set_credentials(
        "oidc",
        &[
            "--oidc-issuer-url=https://idp".into(),
            "--oidc-extra-scope=email,groups".into(),
            "--oidc-auth-request-extra-params=a=\"b\"".into(),
        ],
    );
    assert_eq!(
        cmd,
        [
            "set-credentials",
            "oidc",
            "--exec-api-version=client.authentication.k8s.io/v1",
            "--exec-interactive-mode=IfAvailable",
            "--exec-command=kubectl-oidc",
            "--exec-arg=get-token",
            "--exec-arg=--oidc-issuer-url=https://idp",
            "--exec-arg=\"--oidc-extra-scope=email,groups\"",
            "--exec-arg=\"--oidc-auth-request-extra-params=a=\"\"b\"\"\"",
        ]
    );
}

#[test]
fn an_exec_user_keeps_a_kubelogin_entrys_own_fields_and_nothing_else() {
    let args = ["--oidc-extra-scope=email,groups".to_owned()];
    let fresh = exec_user(&args, None);
    assert_eq!(
        fresh["exec"]["args"],
        serde_json::json!(["get-token", "--oidc-extra-scope=email,groups"])
    );
    assert_eq!(fresh["exec"]["interactiveMode"], "IfAvailable");
    let kubelogin = serde_json::json!({"exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": "kubectl",
        "args": ["oidc-login", "get-token"],
        "env": [{"name": "A", "value": "1"}],
        "interactiveMode": "Never",
    }});
    let kept = exec_user(&args, Some(&kubelogin));
    assert_eq!(
        kept["exec"]["apiVersion"],
        "client.authentication.k8s.io/v1beta1"
    );
    assert_eq!(kept["exec"]["interactiveMode"], "Never");
    assert_eq!(kept["exec"]["env"], kubelogin["exec"]["env"]);
    assert_eq!(kept["exec"]["command"], COMMAND);
    assert_eq!(kept["exec"]["installHint"], INSTALL_HINT);
    // kubectl's view of an entry shows nulls and defaults it never had: none is written
    // (issue 31 item 10).
    let viewed = serde_json::json!({"exec": {
        "command": "kubectl",
        "args": ["oidc-login", "get-token"],
        "env": null,
        "provideClusterInfo": false,
    }});
    let written = exec_user(&args, Some(&viewed));
    let keys: Vec<&String> = written["exec"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "apiVersion",
            "args",
            "command",
            "installHint",
            "interactiveMode"
        ]
    );
    // An auth-provider (anything but an exec entry) is replaced whole.
    let legacy = serde_json::json!({"auth-provider": {"name": "oidc"}});
    assert_eq!(exec_user(&args, Some(&legacy)), fresh);
}
