//! End-to-end: the real binary against a real OpenID provider (oidc-provider), with a scripted
//! browser playing the user, and kubectl itself driving the exec plugin.

use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn first_call_logs_in_second_is_served_from_cache_without_a_request() {
    let (idp, home, first) = logged_in(IdpOptions::default());
    let cred = exec_credential(&first);
    // spec §4.3: answer with the apiVersion kubectl asked for.
    assert_eq!(cred["apiVersion"], "client.authentication.k8s.io/v1");
    let token = token_of(&first);
    let c = claims(&token);
    assert_eq!(
        (c["sub"].as_str(), c["aud"].as_str()),
        (Some("alice"), Some("kubernetes"))
    );
    assert_eq!(c["groups"], serde_json::json!(["dev", "ops"]));
    // spec §4.4 / kubelogin#754: expirationTimestamp is exp minus the 60 s margin.
    let exp = c["exp"].as_i64().unwrap();
    let want = chrono::DateTime::from_timestamp(exp - 60, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(cred["status"]["expirationTimestamp"], want);
    assert_eq!(idp.grants("authorization_code"), 1);
    let requests = idp.stats()["requests"].as_u64().unwrap();

    // No KUBERNETES_EXEC_INFO: v1beta1, and a non-interactive call is fine on a cache hit.
    let second = home.run("get-token", &[], None);
    assert_success(&second);
    assert_eq!(
        exec_credential(&second)["apiVersion"],
        "client.authentication.k8s.io/v1beta1"
    );
    assert_eq!(token_of(&second), token);
    assert!(
        second.stderr.is_empty(),
        "a cache hit is silent: {}",
        stderr(&second)
    );
    assert_eq!(
        idp.stats()["requests"].as_u64().unwrap(),
        requests,
        "the cache hit made a request"
    );
}

#[test]
fn ten_concurrent_calls_after_expiry_make_exactly_one_refresh() {
    // oidc-provider rotates refresh tokens and revokes the grant when a rotated one is reused
    // (notes/test-idp.md), so a second refresh would also break the session.
    let (idp, home, first) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        token_delay_ms: Some(300),
        ..Default::default()
    });
    let old = token_of(&first);
    sleep_until_stale(&first);
    let children: Vec<_> = (0..10)
        .map(|_| {
            home.command("get-token", &[], Some(EXEC_V1_NONINTERACTIVE))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let tokens: Vec<String> = outputs
        .iter()
        .map(|o| {
            assert_success(o);
            token_of(o)
        })
        .collect();
    assert_ne!(tokens[0], old, "the stale token was served");
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "all calls print the same new token"
    );
    assert_eq!(
        idp.grants("refresh_token"),
        1,
        "exactly one refresh_token grant"
    );
    assert_eq!(idp.grants("authorization_code"), 1, "no second login");
    // The refresh used the discovery document and JWKS cached with the entry.
    let paths = &idp.stats()["paths"];
    assert_eq!(paths["/.well-known/openid-configuration"], 1, "{paths}");
    assert_eq!(paths["/jwks"], 1, "{paths}");
    // And the rotated refresh token still works.
    sleep_until_stale(&outputs[0]);
    let again = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&again);
    assert_eq!(idp.grants("refresh_token"), 2);
}

#[test]
fn non_interactive_call_with_empty_cache_fails_fast_without_a_browser() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let (marker, browser) = home.marked_browser();
    let started = Instant::now();
    let out = home.run("get-token", &[&browser], Some(EXEC_V1_NONINTERACTIVE));
    // Fast means no login was waited for (180 s by default): no authorization request reached
    // the provider, and the call ended far sooner (a loaded machine's second is no proof).
    assert_eq!(idp.stats()["paths"]["/auth"].as_u64().unwrap_or(0), 0);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert!(!out.status.success());
    assert!(
        out.stdout.is_empty(),
        "stdout is only for the ExecCredential"
    );
    assert_eq!(out.status.code(), Some(4), "exit code for 'login needed'");
    let err = stderr(&out);
    assert!(
        err.contains("kubectl oidc login")
            && err.contains(&idp.issuer)
            && err.contains("kubectl ran this plugin non-interactively"),
        "{err}"
    );
    // Run by hand from a script (no KUBERNETES_EXEC_INFO, stdin not a terminal): the message
    // says who decided.
    let out = home.run("get-token", &[&browser], None);
    assert_eq!(out.status.code(), Some(4));
    let err = stderr(&out);
    assert!(
        err.contains("this command ran non-interactively (stdin is not a terminal)"),
        "{err}"
    );
    assert!(!marker.exists(), "a browser was opened");
    assert!(
        idp.stats()["paths"]["/auth"].is_null(),
        "an authorization request was made"
    );
}

#[test]
fn access_denied_at_the_provider_is_shown_with_its_description() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let out = home.run("login", &[&home.browser("--deny")], None);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("access_denied") && err.contains("End-User aborted interaction"),
        "{err}"
    );
}

/// Issue 19: an OAuth error means the same wherever it arrives. At the callback,
/// `temporarily_unavailable` and `server_error` are the provider failing (exit 6, as from the
/// token endpoint), `access_denied` a refusal (exit 5).
#[test]
fn an_oauth_error_at_the_callback_is_classified_as_at_the_token_endpoint() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    for (code, exit, says) in [
        ("temporarily_unavailable", 6, "could not complete the login"),
        ("server_error", 6, "could not complete the login"),
        ("access_denied", 5, "refused the login"),
    ] {
        let browser = home.browser(&format!("--callback-error {code}"));
        let out = home.run("login", &[&browser], None);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(exit), "{code}: {err}");
        assert!(err.contains(says) && err.contains(code), "{code}: {err}");
    }
}

#[test]
fn login_says_who_is_logged_in_and_prints_nothing_on_stdout() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let out = home.run("login", &[&home.browser("--login bob")], None);
    assert_success(&out);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("Logged in to") && err.contains("as bob (bob@example.com)"),
        "{err}"
    );
    // login runs even with a valid cache
    let again = home.run("login", &[&home.browser("--login carol")], None);
    assert_success(&again);
    assert_eq!(idp.grants("authorization_code"), 2);
    assert_eq!(claims(&home.cached_id_token().unwrap())["sub"], "carol");
}

#[test]
fn https_issuer_with_a_private_ca() {
    let tls = Tls::new();
    let idp = Idp::start(IdpOptions {
        tls: Some(&tls),
        ..Default::default()
    });
    let home = Home::new(&idp);
    // Without the CA: a TLS failure that names the issuer's URL and the flag that fixes it
    // (issue 21 item 4), a configuration error (exit 3).
    let out = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    let err = assert_failure(&out, 3, &[]);
    assert!(
        err.contains(&idp.issuer)
            && err.contains("UnknownIssuer")
            && err.contains("--certificate-authority=FILE"),
        "{err}"
    );
    // setup says the same.
    let setup = home.run("setup", &[&home.browser("")], None);
    assert_eq!(setup.status.code(), Some(3), "{}", stderr(&setup));
    assert!(
        stderr(&setup).contains("--certificate-authority=FILE"),
        "{}",
        stderr(&setup)
    );
    // With it: the login works (the browser trusts the CA through NODE_EXTRA_CA_CERTS).
    let ca = format!("--certificate-authority={}", tls.ca().display());
    let out = home
        .command(
            "get-token",
            &[&ca, &home.browser("")],
            Some(EXEC_V1_INTERACTIVE),
        )
        .env("NODE_EXTRA_CA_CERTS", tls.ca())
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(claims(&token_of(&out))["iss"], idp.issuer.as_str());
}

/// kubectl runs the exec entry, the plugin serves the cached id_token (no request to the
/// provider), and the real API server (common/cluster.rs) takes it as the person it maps to.
#[test]
fn kubectl_sends_the_cached_id_token_to_the_api_server() {
    let s = TlsLogin::on_cluster("grace");
    let c = cluster();
    let cached = s.home.cached_id_token().unwrap();
    let kubeconfig = write_kubeconfig(&s.home, &c.server, &c.ca);
    let out = kubectl(
        &s.home,
        &[
            &format!("--kubeconfig={}", kubeconfig.display()),
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_success(&out);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "oidc:grace@example.com"
    );
    // A cache hit: the token the server took is the cached one, not refreshed.
    assert_eq!(s.home.cached_id_token().unwrap(), cached);
    let out = kubectl_get_pods(&s.home, &kubeconfig, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("User \"oidc:grace@example.com\" cannot list resource \"pods\""),
        "the real server's RBAC speaks: {}",
        stderr(&out)
    );
}

#[test]
fn busy_listen_addresses_are_reported_and_skipped() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();
    home.args.retain(|a| !a.starts_with("--listen-address"));
    home.args.push(format!("--listen-address={busy}"));
    let all_busy = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert!(!all_busy.status.success());
    let err = stderr(&all_busy);
    assert!(
        err.contains(&busy) && err.contains("--listen-address"),
        "{err}"
    );
    home.args.push("--listen-address=127.0.0.1:0".into());
    let out = home.run("get-token", &[&home.browser("")], Some(EXEC_V1_INTERACTIVE));
    assert_success(&out);
    assert!(
        stderr(&out).contains(&format!("cannot listen on {busy}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_confidential_client_reads_its_secret_from_a_file() {
    let idp = Idp::start(IdpOptions::default());
    let mut home = Home::new(&idp);
    home.args.retain(|a| a != "--oidc-client-id=kubernetes");
    home.args.push("--oidc-client-id=confidential".into());
    let secret = home.dir.path().join("secret");
    std::fs::write(&secret, "test-client-secret\n").unwrap();
    let arg = format!("--oidc-client-secret-file={}", secret.display());
    let out = home.run(
        "get-token",
        &[&arg, &home.browser("")],
        Some(EXEC_V1_INTERACTIVE),
    );
    assert_success(&out);
    assert!(!stderr(&out).contains("test-client-secret"));
    std::fs::write(&secret, "wrong\n").unwrap();
    let out = home.run("login", &[&arg, &home.browser("")], None);
    let err = assert_failure(&out, 5, &[]);
    assert!(
        err.contains("invalid_client")
            && err.contains(
                "check --oidc-client-id and the client secret (--oidc-client-secret-file"
            ),
        "{err}"
    );
    assert!(!err.contains("wrong"), "{err}");
}

#[test]
fn https_proxy_carries_every_request_and_no_proxy_bypasses_it() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let target = idp.issuer.trim_start_matches("http://").to_owned();
    let out = home
        .command("login", &[&home.browser("")], None)
        .env("HTTPS_PROXY", &idp.proxy)
        .output()
        .unwrap();
    assert_success(&out);
    let connects = idp.stats()["proxy"]["connects"].clone();
    let connects: Vec<&str> = connects
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        !connects.is_empty() && connects.iter().all(|c| *c == target),
        "tunnels: {connects:?}"
    );
    let before = connects.len();
    let out = home
        .command("login", &[&home.browser("")], None)
        .env("HTTPS_PROXY", &idp.proxy)
        .env("NO_PROXY", "example.com,127.0.0.1")
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        idp.stats()["proxy"]["connects"].as_array().unwrap().len(),
        before,
        "NO_PROXY=127.0.0.1 still went through the proxy"
    );
    // A proxy that is down: the error names the proxy's failure and the issuer's URL.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let out = home
        .command("login", &[&home.browser("")], None)
        .env("HTTPS_PROXY", &dead_url)
        .output()
        .unwrap();
    // Unreachable (exit 6), not any failure (issue 33).
    let err = assert_failure(&out, 6, &[&idp.issuer]);
    assert!(
        err.contains(&format!(
            "through the proxy {}",
            dead_url.trim_start_matches("http://")
        )),
        "{err}"
    );
}

/// Issue 30 item 4: `login --context` takes the exec entry's own variables (its proxy and
/// the proxy's exceptions, and what the browser gets) as kubectl would set them for the
/// plugin, read over this process's environment instead of written into it.
#[test]
fn login_through_a_context_uses_the_entrys_proxy_variables() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let kubeconfig = home.dir.path().join("kubeconfig");
    let mut args = vec!["get-token".to_owned()];
    args.extend(home.args.iter().cloned());
    let write = |env: &[(&str, &str)]| write_exec_kubeconfig(&kubeconfig, "dev", &args, env);
    // A browser that records its environment, then logs in.
    let recorded = home.dir.path().join("browser-env");
    let browser = format!(
        "--browser-command=sh -c 'env > {}; exec node {} \"$@\"' sh",
        recorded.display(),
        idp_dir().join("browser.js").display()
    );
    let login = || {
        plugin_with_kubeconfig(
            &home,
            &kubeconfig,
            &["login", "--context=dev", "--force-refresh", &browser],
        )
    };
    let connects = || idp.stats()["proxy"]["connects"].as_array().unwrap().len();
    write(&[("HTTPS_PROXY", &idp.proxy), ("TEAM_PROFILE", "blue")]);
    assert_success(&login());
    let through = connects();
    assert!(through > 0, "the entry's HTTPS_PROXY carried no request");
    // The browser gets the entry's variables too, as it would under kubectl.
    let env = std::fs::read_to_string(&recorded).unwrap();
    assert!(env.lines().any(|l| l == "TEAM_PROFILE=blue"), "{env}");
    write(&[("HTTPS_PROXY", &idp.proxy), ("NO_PROXY", "127.0.0.1")]);
    assert_success(&login());
    assert_eq!(connects(), through, "the entry's NO_PROXY was not applied");
    // The entry's proxy is down: the failure names it.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_at = dead.local_addr().unwrap().to_string();
    drop(dead);
    write(&[("HTTPS_PROXY", &format!("http://{dead_at}"))]);
    let err = assert_failure(&login(), 6, &[&idp.issuer]);
    assert!(
        err.contains(&format!("through the proxy {dead_at}")),
        "{err}"
    );
}

#[test]
fn a_refreshed_token_signed_by_a_key_missing_from_the_cached_jwks_refetches_it_once() {
    let (idp, home, login) = logged_in(IdpOptions {
        id_token_ttl: Some(6),
        ..Default::default()
    });
    // The provider rotated its keys since the login: the cached JWKS knows only a retired kid.
    let session = home.cache_path("session");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&session).unwrap()).unwrap();
    let keys = doc["data"]["provider"]["jwks"]["keys"]
        .as_array_mut()
        .expect("a plain session with the provider's JWKS");
    assert_eq!(keys.len(), 1);
    keys[0]["kid"] = "retired-key".into();
    std::fs::write(&session, serde_json::to_vec(&doc).unwrap()).unwrap();

    sleep_until_stale(&login);
    let out = home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE));
    assert_success(&out);
    assert_ne!(token_of(&out), token_of(&login));
    let paths = &idp.stats()["paths"];
    assert_eq!(
        paths["/jwks"], 2,
        "one fetch at login, one for the new kid: {paths}"
    );
    assert_eq!(paths["/.well-known/openid-configuration"], 1, "{paths}");
    // The new JWKS is kept, so the next refresh fetches nothing.
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&session).unwrap()).unwrap();
    assert_eq!(
        doc["data"]["provider"]["jwks"]["keys"][0]["kid"],
        "test-key-1"
    );
    sleep_until_stale(&out);
    assert_success(&home.run("get-token", &[], Some(EXEC_V1_NONINTERACTIVE)));
    assert_eq!(idp.stats()["paths"]["/jwks"], 2);
    assert_eq!(idp.grants("refresh_token"), 2);
}

#[test]
fn help_and_usage_errors_come_from_the_full_parser() {
    // get-token has a parser of its own on the hot path; --help and mistakes fall through.
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(BIN);
        scrub(&mut cmd, home.path());
        cmd.args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let help = run(&["get-token", "--help"]);
    assert_success(&help);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("Usage: kubectl oidc get-token") && text.contains("Examples:"),
        "{text}"
    );
    let typo = run(&["get-token", "--oidc-isuer-url=x"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("--oidc-issuer-url"),
        "{}",
        stderr(&typo)
    );
    // A missing or malformed required flag is a usage error (2), reported before anything runs.
    let missing = run(&["get-token"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("--oidc-issuer-url"),
        "{}",
        stderr(&missing)
    );
    assert!(missing.stdout.is_empty());
    let bad = run(&[
        "get-token",
        "--oidc-issuer-url=not-a-url",
        "--oidc-client-id=k",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("not-a-url") && stderr(&bad).contains("https://"),
        "{}",
        stderr(&bad)
    );
    // Timeouts are bounded when parsing (a huge one used to overflow: exit 101).
    for flag in ["--authentication-timeout-sec", "--http-timeout-sec"] {
        let huge = run(&[
            "get-token",
            "--oidc-issuer-url=https://idp.example.com",
            "--oidc-client-id=k",
            &format!("{flag}=18446744073709551615"),
        ]);
        assert_eq!(huge.status.code(), Some(2), "{flag}: {}", stderr(&huge));
        assert!(stderr(&huge).contains(flag), "{}", stderr(&huge));
    }
    // Plain http to another machine is refused before any connection; loopback http and the
    // explicit insecure flag are not.
    let http = [
        "get-token",
        "--oidc-issuer-url=http://idp.example.com",
        "--oidc-client-id=k",
    ];
    let out = run(&http);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("plain http") && stderr(&out).contains("https"),
        "{}",
        stderr(&out)
    );
    let insecure = run(&[&http[..], &["--insecure-skip-tls-verify"]].concat());
    assert_eq!(insecure.status.code(), Some(4), "{}", stderr(&insecure));
    let doctor = run(&["doctor", "--help"]);
    assert_success(&doctor);
    assert!(String::from_utf8_lossy(&doctor.stdout).contains("debug-token"));
}

#[test]
fn a_progress_line_counts_down_on_a_terminal_and_stays_off_a_pipe() {
    let idp = Idp::start(IdpOptions::default());
    let home = Home::new(&idp);
    let args: Vec<String> = std::iter::once("login".to_owned())
        .chain(home.args.iter().cloned())
        .chain([
            home.browser("--never"),
            "--authentication-timeout-sec=3".to_owned(),
        ])
        .collect();
    let line = std::iter::once(BIN.to_owned())
        .chain(args)
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ");
    // On a terminal (script(1) gives the plugin a pty): the time left, rewritten in place.
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]);
    scrub(&mut cmd, home.dir.path());
    let out = cmd.output().expect("script (util-linux) is needed");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(
        tty.contains("Waiting for the login in the browser: 2s left") && tty.contains("\r\x1b[2K"),
        "{tty:?}"
    );
    // Off a terminal (a pipe, a log file): no progress line at all.
    let out = home.run(
        "login",
        &[&home.browser("--never"), "--authentication-timeout-sec=2"],
        None,
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(!stderr(&out).contains("left"), "{}", stderr(&out));
}
