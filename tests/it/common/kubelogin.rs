//! The real kubelogin (v1.36.3, built by the test command from tests/go/kubelogin), logging in
//! to a test provider as a person would: its `--browser-command`, which kubelogin runs with the
//! URL as its only argument and no shell, is a script that hands the URL to the scripted
//! browser. Its cache is its own: the files (or keyring items) it writes.

use std::process::Command;

use super::*;

/// `kubelogin get-token <args>` for `login`, as argv (the program first), so a test can run it
/// as it is or inside a wrapper (a D-Bus session). Pair it with [`kubelogin_env`].
pub fn kubelogin_argv(s: &TlsLogin, login: &str, args: &[String]) -> Vec<String> {
    let script = s.home.dir.path().join(format!("browser-{login}.sh"));
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec node {} --login {login} \"$1\"\n",
            idp_dir().join("browser.js").display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut argv = vec![
        k8s_tool("kubelogin").display().to_string(),
        "get-token".to_owned(),
    ];
    argv.extend(args.iter().cloned());
    argv.push(format!("--browser-command={}", script.display()));
    argv.push("--listen-address=127.0.0.1:0".to_owned());
    argv
}

/// The environment kubelogin's run needs besides the scrubbed one: the scripted browser trusts
/// the provider's CA.
pub fn kubelogin_env(cmd: &mut Command, s: &TlsLogin) {
    scrub(cmd, s.home.dir.path());
    cmd.env("NODE_EXTRA_CA_CERTS", s.tls.ca())
        .stdin(std::process::Stdio::null());
}

/// kubelogin's login, run directly; it must succeed.
pub fn kubelogin(s: &TlsLogin, login: &str, args: &[String]) -> std::process::Output {
    let argv = kubelogin_argv(s, login, args);
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    kubelogin_env(&mut cmd, s);
    let out = cmd.output().unwrap();
    assert_success(&out);
    out
}
