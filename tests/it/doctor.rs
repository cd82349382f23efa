//! debug-token end to end: tokens from the real test provider, its real JWKS, the cache,
//! a kubeconfig context, and the real kube-apiserver 1.37 (common/cluster.rs) answering
//! SelfSubjectReview, SelfSubjectAccessReview and the RBAC lists.

use std::io::Write as _;
use std::process::Stdio;

use crate::common::*;
use base64::Engine as _;

fn debug(
    home: &Home,
    extra: &[&str],
    stdin: Option<&str>,
) -> (std::process::Output, serde_json::Value) {
    let mut cmd = home.command("debug-token", extra, None);
    cmd.arg("-o").arg("json");
    let out = match stdin {
        Some(input) => with_stdin(&mut cmd, input),
        None => cmd.output().unwrap(),
    };
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON document ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    (out, doc)
}

/// Run `cmd` with `input` on its stdin.
fn with_stdin(cmd: &mut std::process::Command, input: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `--kubeconfig=...` for the real cluster, with contexts `oidc` and `admin`, and a home
/// without the plugin's flags (they come from the context's exec entry).
fn with_kubeconfig(s: &TlsLogin) -> (String, Home) {
    let kubeconfig = write_cluster_kubeconfig(&s.home);
    let bare = Home {
        dir: tempfile::tempdir().unwrap(),
        args: Vec::new(),
    };
    (format!("--kubeconfig={}", kubeconfig.display()), bare)
}

fn ids(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_cached_token_verifies_against_the_providers_jwks_and_maps_like_the_api_server() {
    let s = TlsLogin::new();
    // No TOKEN: the cache entry the same get-token flags select; spec §2.1 defaults.
    let (out, doc) = debug(&s.home, &[], None);
    assert_success(&out);
    assert_eq!(doc["authenticated"], true, "{doc:#}");
    assert_eq!(doc["user"]["username"], format!("{}#alice", s.idp.issuer));
    assert_eq!(
        doc["user"]["groups"],
        serde_json::json!(["system:authenticated"])
    );
    assert!(
        !ids(&doc).contains(&"signature-unchecked".to_owned()),
        "{doc:#}"
    );
    assert!(ids(&doc).contains(&"default-username-prefix".to_owned()));
    assert_eq!(doc["claims"]["sub"], "alice");
    assert!(doc["header"]["kid"].is_string());
    assert!(
        doc.get("token").is_none(),
        "the raw token is shown only with --show-token"
    );

    // With the API server's flags: email username and groups.
    let (out, doc) = debug(
        &s.home,
        &["--oidc-username-claim=email", "--oidc-groups-claim=groups"],
        None,
    );
    assert_success(&out);
    assert_eq!(doc["user"]["username"], "alice@example.com");
    assert_eq!(
        doc["user"]["groups"],
        serde_json::json!(["dev", "ops", "system:authenticated"])
    );
}

#[test]
fn a_tampered_token_fails_the_signature_check_and_offline_only_warns() {
    let s = TlsLogin::new();
    let token = s.home.cached_id_token().unwrap();
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = claims(&token);
    claims["sub"] = "mallory".into();
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(&claims).unwrap());
    let forged = parts.join(".");

    // Pasted the way people paste: a Bearer header on stdin.
    let (out, doc) = debug(
        &s.home,
        &["-"],
        Some(&format!("Authorization: Bearer {forged}\n")),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(doc["authenticated"], false);
    assert!(doc["user"].is_null());
    assert_eq!(
        doc["error"],
        "oidc: verify token: failed to verify signature: failed to verify id token signature"
    );
    assert!(
        ids(&doc).contains(&"signature-invalid".to_owned()),
        "{doc:#}"
    );
    let text = serde_json::to_string(&doc).unwrap();
    assert!(!text.contains(&parts[2]), "the signature was printed");

    // --offline: no request, the signature is a warning, the rest decides: the token would be
    // accepted only if its signature verifies (exit 8), never "authenticated".
    let before = s.idp.stats()["requests"].as_u64().unwrap();
    let (out, doc) = debug(&s.home, &[&forged, "--offline"], None);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert_eq!(doc["authenticated"], false);
    assert_eq!(doc["verdict"], "unverified");
    assert_eq!(doc["user"]["username"], format!("{}#mallory", s.idp.issuer));
    assert!(ids(&doc).contains(&"signature-unchecked".to_owned()));
    let text = s.home.run("debug-token", &[&forged, "--offline"], None);
    assert_eq!(text.status.code(), Some(8));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("UNVERIFIED:") && !text.contains("AUTHENTICATED"),
        "{text}"
    );
    assert_eq!(
        s.idp.stats()["requests"].as_u64().unwrap(),
        before,
        "--offline made a request"
    );
}

#[test]
fn an_issuer_with_a_trailing_slash_is_explained() {
    let s = TlsLogin::new();
    let token = s.home.cached_id_token().unwrap();
    let mut args = s.home.args.clone();
    for a in &mut args {
        if a.starts_with("--oidc-issuer-url=") {
            a.push('/');
        }
    }
    let slash = Home {
        dir: tempfile::tempdir().unwrap(),
        args,
    };
    let (out, doc) = debug(&slash, &[&token], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(doc["error"], "invalid bearer token");
    let f = &doc["findings"][0];
    assert_eq!(f["id"], "issuer-mismatch");
    assert!(
        f["message"].as_str().unwrap().contains("trailing slash"),
        "{f}"
    );
}

#[test]
fn the_cluster_says_who_the_token_is_and_which_binding_nearly_matches() {
    let s = TlsLogin::on_cluster("kim");
    let c = cluster();
    // A binding for the email without the configuration's prefix: a near miss.
    c.apply(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: kim-view}\n\
         roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n\
         subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: kim@example.com}]\n",
    );
    let (kc, bare) = with_kubeconfig(&s);
    let authn = format!("--authentication-config={}", c.authn_config.display());
    let username = "oidc:kim@example.com";
    let started = std::time::Instant::now();
    let (out, doc) = debug(
        &bare,
        &[
            &kc,
            &authn,
            "--context=oidc",
            "--admin-context=admin",
            "--verb=get",
            "--resource=pods",
            "-n",
            "dev",
        ],
        None,
    );
    // Not asserted (a timed test is flaky); shown with --nocapture.
    eprintln!(
        "debug-token with every cluster check took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(0), "{doc:#}\n{}", stderr(&out));
    let cluster = &doc["cluster"];
    assert_eq!(cluster["status"], 201);
    assert_eq!(cluster["user"]["username"], username);
    assert_eq!(
        cluster["user"]["username"], doc["user"]["username"],
        "the prediction matches the server"
    );
    assert_eq!(cluster["access_review"]["allowed"], false);
    let near: Vec<&serde_json::Value> = cluster["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| !b["near_miss"].is_null())
        .collect();
    assert_eq!(near.len(), 1, "{cluster:#}");
    assert_eq!(near[0]["binding"], "ClusterRoleBinding/kim-view");
    assert_eq!(
        near[0]["fix"],
        format!(
            "kubectl create clusterrolebinding kim-view-oidc --clusterrole=view --user={username}"
        )
    );
    assert!(ids(&doc).contains(&"rbac-near-miss".to_owned()));
    let forbidden = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "forbidden")
        .expect("the 403 explained");
    assert!(forbidden["message"].as_str().unwrap().contains(&format!("pods is forbidden: User \"{username}\" cannot get resource \"pods\" in API group \"\" in the namespace \"dev\"")), "{forbidden}");
    // What kubectl itself prints for that call is what the finding quotes.
    let kubectl_says = kubectl(
        &s.home,
        &[&kc, "--context=oidc", "get", "pod", "x", "-n", "dev"],
    );
    assert!(
        stderr(&kubectl_says).contains(&format!("pods \"x\" is forbidden: User \"{username}\" cannot get resource \"pods\" in API group \"\" in the namespace \"dev\"")),
        "{}",
        stderr(&kubectl_says)
    );

    // The same in text, for people.
    let out = bare
        .command(
            "debug-token",
            &[&kc, &authn, "--context=oidc", "--admin-context=admin"],
            None,
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("AUTHENTICATED") && text.contains("near miss") && !text.contains('\x1b'),
        "{text}"
    );

    // A forged token: the real cluster answers 401, like the replay.
    let token = s.home.cached_id_token().unwrap();
    let forged = format!("{}x", &token[..token.len() - 2]);
    let (out, doc) = debug(&bare, &[&forged, &kc, &authn, "--context=oidc"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(doc["cluster"]["status"], 401);
    assert!(ids(&doc).contains(&"unauthorized".to_owned()));
}

#[test]
fn a_structured_configuration_is_replayed_with_cel() {
    let s = TlsLogin::new();
    let config = s.home.dir.path().join("auth.yaml");
    std::fs::write(&config, format!(
        "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {}\n    audiences: [kubernetes]\n  claimValidationRules:\n  - expression: 'claims.email_verified == true'\n    message: verify your email\n  claimMappings:\n    username:\n      expression: '\"oidc:\" + claims.email'\n    groups:\n      expression: 'dyn(claims.groups).map(g, \"team-\" + g)'\n  userValidationRules:\n  - expression: \"!user.username.startsWith('system:')\"\n    message: no system users\n",
        s.idp.issuer)).unwrap();
    let arg = format!("--authentication-config={}", config.display());
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_success(&out);
    assert_eq!(doc["user"]["username"], "oidc:alice@example.com");
    assert_eq!(
        doc["user"]["groups"],
        serde_json::json!(["team-dev", "team-ops", "system:authenticated"])
    );

    // Without dyn(): a claim is `any`, which the API server's CEL does not iterate; it
    // refuses the configuration at start, and the fix says how to write it.
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("dyn(claims.groups)", "claims.groups")).unwrap();
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_eq!(out.status.code(), Some(9), "{doc:#}");
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("expression of type 'any' cannot be range of a comprehension"),
        "{doc:#}"
    );
    assert!(
        doc["findings"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("wrap it in dyn()"),
        "{doc:#}"
    );

    // An invalid configuration: the API server's startup error.
    std::fs::write(&config, format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {}\n    audiences: [kubernetes]\n  claimMappings:\n    username: {{claim: sub}}\n", s.idp.issuer)).unwrap();
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_eq!(out.status.code(), Some(9));
    assert_eq!(doc["verdict"], "config-error");
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("prefix is required when claim is set"),
        "{doc:#}"
    );
    assert_eq!(doc["findings"][0]["id"], "config-invalid");
}

/// Issue 20: the configuration is judged as the API server judges it when it starts, with its
/// CEL environment, for the release simulated; a configuration it refuses is its own verdict.
#[test]
fn the_configuration_is_judged_as_the_api_server_does_at_start() {
    let s = TlsLogin::new();
    let config = s.home.dir.path().join("auth.yaml");
    let arg = format!("--authentication-config={}", config.display());
    let write = |api: &str, issuer_extra: &str, rules: &str| {
        std::fs::write(&config, format!(
            "apiVersion: apiserver.config.k8s.io/{api}\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: {}\n    audiences: [kubernetes]\n{issuer_extra}  claimMappings:\n    username: {{claim: sub, prefix: \"\"}}\n    groups: {{expression: claims.groups}}\n{rules}",
            s.idp.issuer)).unwrap();
    };
    // The sets library (as in oidc_test.go's "nuanced audience validation"; this provider's
    // aud is a string): accepted.
    write(
        "v1",
        "",
        "  claimValidationRules:\n  - expression: \"sets.contains(['kubernetes', 'other'], [claims.aud])\"\n",
    );
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_success(&out);
    assert_eq!(doc["verdict"], "accepted", "{doc:#}");
    assert_eq!(doc["kube_version"], "1.37");

    // An expression that does not compile: the API server does not start, whatever the token.
    write(
        "v1",
        "",
        "  userValidationRules:\n  - expression: \"claim.groups.size() > 0\"\n",
    );
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_eq!(out.status.code(), Some(9), "{doc:#}");
    assert_eq!(doc["verdict"], "config-error");
    assert!(doc["user"].is_null());
    assert_eq!(
        doc["error"],
        "the API server does not start: invalid authentication configuration: jwt[0].userValidationRules[0].expression: Invalid value: \"claim.groups.size() > 0\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'claim' (in container '')\n | claim.groups.size() > 0\n | ^"
    );
    let text = s.home.run("debug-token", &[&arg], None);
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains("CONFIG ERROR: kube-apiserver 1.37 does not start"),
        "{shown}"
    );
    assert!(
        !shown.contains("AUTHENTICATED") && !shown.contains("User"),
        "{shown}"
    );

    // egressSelectorType: only controlplane or cluster, and only from 1.34.
    write("v1", "    egressSelectorType: etcd\n", "");
    let (out, doc) = debug(&s.home, &[&arg], None);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("egress selector must be either controlplane or cluster"),
        "{doc:#}"
    );
    write("v1beta1", "    egressSelectorType: cluster\n", "");
    assert_success(&debug(&s.home, &[&arg], None).0);
    let (out, doc) = debug(&s.home, &[&arg, "--kube-version=1.33"], None);
    assert_eq!(out.status.code(), Some(9));
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("unknown field \"jwt[0].issuer.egressSelectorType\""),
        "{doc:#}"
    );
    assert_eq!(doc["kube_version"], "1.33");
    let out = s
        .home
        .run("debug-token", &[&arg, "--kube-version=1.20"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--kube-version: Kubernetes 1.20 is not simulated"),
        "{}",
        stderr(&out)
    );

    // Legacy flags with an http issuer: the same path, the same verdict, also offline.
    let token = s.home.cached_id_token().unwrap();
    let bare = Home {
        dir: tempfile::tempdir().unwrap(),
        args: Vec::new(),
    };
    for offline in [false, true] {
        let mut extra = vec![
            "-",
            "--oidc-issuer-url=http://idp.example.com",
            "--oidc-client-id=kubernetes",
        ];
        if offline {
            extra.push("--offline");
        }
        let (out, doc) = debug(&bare, &extra, Some(&token));
        assert_eq!(out.status.code(), Some(9), "{doc:#}");
        assert_eq!(doc["verdict"], "config-error");
        assert!(doc["user"].is_null());
        assert!(doc["error"].as_str().unwrap().ends_with("jwt[0].issuer.url: Invalid value: \"http://idp.example.com\": URL scheme must be https"), "{doc:#}");
        let http = ids(&doc).iter().filter(|i| *i == "http-issuer").count();
        assert_eq!(http, 1, "{doc:#}");
        let mut text = bare.command("debug-token", &extra, None);
        let text = with_stdin(&mut text, &token);
        let shown = String::from_utf8_lossy(&text.stdout);
        assert!(
            shown.contains("CONFIG ERROR:")
                && !shown.contains("AUTHENTICATED")
                && !shown.contains("UNVERIFIED"),
            "{shown}"
        );
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let s = TlsLogin::new();
    let out = s.home.run("debug-token", &["ya29.not-a-jwt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("not a JWT"), "{}", stderr(&out));
    // -o json: still the one document the README promises, with the reason in "error".
    let (out, doc) = debug(&s.home, &["ya29.not-a-jwt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(doc["authenticated"], false);
    assert!(doc["user"].is_null());
    assert!(
        doc["error"].as_str().unwrap().contains("not a JWT"),
        "{doc}"
    );
    assert_eq!(ids(&doc), ["malformed-token"]);
    // No cache entry for other flags: the login command that makes one.
    let other = Home {
        dir: tempfile::tempdir().unwrap(),
        args: vec![
            format!("--oidc-issuer-url={}", s.idp.issuer),
            "--oidc-client-id=other".into(),
        ],
    };
    let out = other.run("debug-token", &[], None);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("kubectl oidc login"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_api_server_pods_flags_are_read_from_the_cluster_and_compared_with_what_it_does() {
    let s = TlsLogin::on_cluster("lena");
    let c = cluster();
    // A kubeadm control plane's static pod, as the API shows its mirror: configured with
    // flags other than what this API server does (its AuthenticationConfiguration), so that
    // debug-token's comparison with SelfSubjectReview shows the gap. (No node runs it here:
    // the object is what --from-cluster reads.)
    c.apply(&format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: default, namespace: kube-system}}\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver-cp1\n  namespace: kube-system\n  labels: {{component: kube-apiserver, tier: control-plane}}\n\
         spec:\n  automountServiceAccountToken: false\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.37.2\n    command: [kube-apiserver, --advertise-address=10.0.0.10, --authorization-mode=Node\\,RBAC, --oidc-issuer-url={}, --oidc-client-id=kubernetes, --oidc-username-claim=email, --oidc-groups-claim=groups, --oidc-groups-prefix=oidc:, --secure-port=6443]\n",
        s.idp.issuer
    ));
    let (kc, bare) = with_kubeconfig(&s);
    let (_, doc) = debug(
        &bare,
        &[
            &kc,
            "--context=oidc",
            "--admin-context=admin",
            "--from-cluster",
        ],
        None,
    );
    assert!(
        doc["config"]
            .as_str()
            .unwrap()
            .contains("--oidc-username-claim=email"),
        "{doc:#}"
    );
    assert_eq!(doc["user"]["username"], "lena@example.com");
    assert_eq!(
        doc["user"]["groups"],
        serde_json::json!(["oidc:dev", "oidc:ops", "system:authenticated"])
    );
    // The real API server maps tokens with its AuthenticationConfiguration: the review shows
    // the gap (the username prefix).
    assert_eq!(doc["cluster"]["user"]["username"], "oidc:lena@example.com");
    assert!(
        ids(&doc).contains(&"server-disagrees".to_owned()),
        "{doc:#}"
    );
}

#[test]
fn a_provider_the_api_server_cannot_reach_over_tls_fails_every_token() {
    let s = TlsLogin::new();
    let token = s.home.cached_id_token().unwrap();
    // The API server's view without the provider's CA (spec §6 row 16): discovery fails.
    let no_ca = Home {
        dir: tempfile::tempdir().unwrap(),
        args: vec![
            format!("--oidc-issuer-url={}", s.idp.issuer),
            "--oidc-client-id=kubernetes".into(),
        ],
    };
    let (out, doc) = debug(&no_ca, &[&token], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(doc["error"], "oidc: authenticator not initialized");
    assert!(ids(&doc).contains(&"issuer-tls".to_owned()), "{doc:#}");
    // With --oidc-ca-file, as kube-apiserver would be given it, it works.
    let ca = format!("--oidc-ca-file={}", s.tls.ca().display());
    let (out, doc) = debug(&no_ca, &[&token, &ca], None);
    assert_success(&out);
    assert_eq!(doc["authenticated"], true);
}

#[test]
fn kubeconfig_mistakes_that_keep_the_token_from_being_sent_are_found() {
    let s = TlsLogin::new();
    let (kc, bare) = with_kubeconfig(&s);
    let path = kc.trim_start_matches("--kubeconfig=");
    let text = std::fs::read_to_string(path).unwrap();
    // spec §6 rows 26 and 27: a static token next to exec; v1 without interactiveMode.
    let broken = text
        .replacen(
            "  user:\n    exec:",
            "  user:\n    token: stale-static-token\n    exec:",
            1,
        )
        .replacen("      interactiveMode: IfAvailable\n", "", 1);
    assert_ne!(broken, text);
    std::fs::write(path, broken).unwrap();
    let (out, doc) = debug(&bare, &[&kc, "--context=oidc", "--offline"], None);
    assert_eq!(out.status.code(), Some(1), "{doc:#}");
    let found = ids(&doc);
    assert!(
        found.contains(&"token-not-sent".to_owned()) && found.contains(&"exec-config".to_owned()),
        "{found:?}"
    );
    // The token itself is fine: the exec entry's args still select the cache, and the replay
    // (signature unchecked: --offline) finds nothing wrong with it.
    assert!(doc["error"].is_null(), "{doc:#}");
    assert!(doc["user"]["username"].is_string(), "{doc:#}");
}

/// Issue 21 item 4: a context whose cluster cannot be reached still gets the token's report,
/// with a finding that names the server and the cause once, and says --offline skips it.
#[test]
fn an_unreachable_cluster_is_a_finding_not_a_lost_report() {
    let s = TlsLogin::new();
    let kubeconfig = s.home.dir.path().join("unreachable");
    let (_, bare) = with_kubeconfig(&s);
    let mut args = String::new();
    for a in std::iter::once("get-token".to_owned()).chain(s.home.args.iter().cloned()) {
        args.push_str(&format!("\n      - {}", serde_json::to_string(&a).unwrap()));
    }
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {{server: \"https://prod.cluster.invalid:6443\"}}\n\
             users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: IfAvailable\n      command: kubectl-oidc\n      args:{args}\n\
             contexts:\n- name: prod\n  context: {{cluster: prod, user: u}}\ncurrent-context: prod\n"
        ),
    )
    .unwrap();
    let kc = format!("--kubeconfig={}", kubeconfig.display());
    let (out, doc) = debug(&bare, &[&kc, "--context=prod"], None);
    assert_eq!(doc["claims"]["sub"], "alice", "{doc:#}");
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cluster-unreachable")
        .unwrap_or_else(|| panic!("{doc:#}"))
        .clone();
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("https://prod.cluster.invalid:6443"),
        "{message}"
    );
    assert_eq!(
        message.matches("prod.cluster.invalid").count(),
        1,
        "{message}"
    );
    assert!(
        finding["fix"].as_str().unwrap().contains("--offline"),
        "{finding}"
    );
    assert!(!stderr(&out).contains("error:"), "{}", stderr(&out));
}

/// Issue 21 item 4: an empty token (an empty paste on stdin, an empty argument) is a usage
/// error that says how to give one, not a report about a token that is not there.
#[test]
fn an_empty_token_says_how_to_give_one() {
    for (args, stdin) in [(["-"], "\n  \n"), ([" "], "")] {
        let out = with_stdin(
            std::process::Command::new(BIN)
                .arg("debug-token")
                .args(args),
            stdin,
        );
        let err = assert_failure(&out, 2, &[]);
        assert!(out.stdout.is_empty());
        assert!(
            err.contains("is empty: pass the token as TOKEN, `-` to read it from stdin"),
            "{err}"
        );
    }
}
