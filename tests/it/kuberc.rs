//! Issue 32 item 1: kubectl's credential plugin policy (kuberc `credentialPluginPolicy:
//! Allowlist`), enforced by the real kubectl 1.37: what refuses the plugin, what status and
//! debug-token say of it, and `setup --kuberc-allow` adding kubectl-oidc to the allowlist,
//! through `kubectl kuberc set` and, for a kubectl without it, in the file.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::clusters::{audience, person, plugin, setup};
use crate::common::*;

const HEAD: &str = "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n";

/// A person logged in with `setup --write` (context `real`), and their kuberc's path.
fn allowlisted(idp: &Idp, kuberc: &str) -> (Home, PathBuf, PathBuf) {
    let (home, kubeconfig) = person(idp);
    assert_success(&setup(&home, &kubeconfig, "real", &[]));
    assert_eq!(
        audience(&home, &kubeconfig, "real").unwrap(),
        r#"["kubernetes"]"#
    );
    let path = home.dir.path().join(".kube").join("kuberc");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, format!("{HEAD}{kuberc}")).unwrap();
    (home, kubeconfig, path)
}

/// `setup --kuberc-allow` alone, with `path` (a directory of commands) first on PATH.
fn kuberc_allow(home: &Home, path_first: Option<&Path>) -> Output {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["setup", "--kuberc-allow"]);
    scrub(&mut cmd, home.dir.path());
    let path = std::env::join_paths(
        path_first
            .map(Path::to_owned)
            .into_iter()
            .chain(std::env::split_paths(&path_with_plugin())),
    )
    .unwrap();
    cmd.env("PATH", path)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// The allowlist entry for the plugin: where kubectl finds it on PATH.
fn plugin_path() -> String {
    BIN.to_owned()
}

#[test]
fn an_allowlist_without_us_is_said_and_fixed_through_kubectl_kuberc_set() {
    let idp = lease();
    let (home, kubeconfig, kuberc) = allowlisted(
        &idp,
        "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- command: other-plugin\n- name: /usr/bin/env\n",
    );
    // The real kubectl refuses the plugin.
    let err = audience(&home, &kubeconfig, "real").unwrap_err();
    assert!(
        err.contains("is not permitted by the credential plugin allowlist"),
        "{err}"
    );

    // status says so, with the fix.
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let out = plugin(&home, false, &["status".into(), kc.clone()]);
    assert_success(&out);
    let said = stderr(&out);
    assert!(said.contains("kubectl will not run kubectl-oidc"), "{said}");
    assert!(said.contains("setup --kuberc-allow"), "{said}");
    assert!(said.contains(&kuberc.display().to_string()), "{said}");

    // debug-token, reading the cluster through the context, recognises kubectl's refusal.
    let out = plugin(
        &home,
        false,
        &[
            "debug-token".into(),
            kc.clone(),
            "--context=real".into(),
            "--from-cluster".into(),
        ],
    );
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        said.contains("not permitted by the credential plugin allowlist"),
        "{said}"
    );
    assert!(said.contains("setup --kuberc-allow"), "{said}");

    // The fix: through kubectl kuberc set, every other entry kept (the deprecated name too).
    let out = kuberc_allow(&home, None);
    assert_success(&out);
    assert!(
        stderr(&out).contains("through kubectl kuberc set"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&kuberc).unwrap();
    for entry in ["other-plugin", "/usr/bin/env", &plugin_path()] {
        assert!(
            text.contains(&format!("command: {entry}")),
            "{entry}: {text}"
        );
    }
    assert_eq!(
        audience(&home, &kubeconfig, "real").unwrap(),
        r#"["kubernetes"]"#
    );
    let out = kuberc_allow(&home, None);
    assert_success(&out);
    assert!(
        stderr(&out).contains("lets kubectl run kubectl-oidc"),
        "{}",
        stderr(&out)
    );
    let out = plugin(&home, false, &["status".into(), kc]);
    assert!(!stderr(&out).contains("will not run"), "{}", stderr(&out));
}

#[test]
fn without_kuberc_set_the_entry_goes_into_the_file_and_deny_all_is_left_alone() {
    let idp = lease();
    let (home, kubeconfig, kuberc) = allowlisted(
        &idp,
        "# the team's preferences\ndefaults:\n- command: get\n  options:\n  - name: output\n    default: wide\ncredentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- command: other-plugin\n",
    );
    let before = std::fs::read_to_string(&kuberc).unwrap();
    // A stand-in for a kubectl that enforces the policy but has no `kuberc set` for it (the
    // command came after the policy): the real kubectl 1.37 with its kuberc command taken away.
    let old = home.dir.path().join("old-kubectl");
    std::fs::create_dir_all(&old).unwrap();
    let wrapper = old.join("kubectl");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n[ \"$1\" = kuberc ] && {{ echo 'error: unknown command \"kuberc\"' >&2; exit 1; }}\nexec {} \"$@\"\n",
            k8s_tool("kubectl").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = kuberc_allow(&home, Some(&old));
    assert_success(&out);
    let said = stderr(&out);
    assert!(said.contains("written into the file"), "{said}");
    let backup = PathBuf::from(format!("{}.kubectl-oidc.bak", kuberc.display()));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), before);
    // The real kubectl reads the file: its defaults kept, the plugin allowed.
    let view = kubectl(&home, &["kuberc", "view", "-o", "json"]);
    assert_success(&view);
    let v: serde_json::Value = serde_json::from_slice(&view.stdout).unwrap();
    assert_eq!(v["defaults"][0]["command"], "get", "{v}");
    assert_eq!(
        v["credentialPluginAllowlist"],
        serde_json::json!([{"command": "other-plugin"}, {"command": plugin_path()}]),
        "{v}"
    );
    assert_eq!(
        audience(&home, &kubeconfig, "real").unwrap(),
        r#"["kubernetes"]"#
    );

    // DenyAll is the organisation's: refused, the file unchanged.
    std::fs::write(&kuberc, format!("{HEAD}credentialPluginPolicy: DenyAll\n")).unwrap();
    let out = kuberc_allow(&home, None);
    assert_failure(&out, 3, &["DenyAll", "nothing was changed", "command: "]);
    assert_eq!(
        std::fs::read_to_string(&kuberc).unwrap(),
        format!("{HEAD}credentialPluginPolicy: DenyAll\n")
    );
    let err = audience(&home, &kubeconfig, "real").unwrap_err();
    assert!(
        err.contains("not allowed: policy set to \"DenyAll\""),
        "{err}"
    );
}
