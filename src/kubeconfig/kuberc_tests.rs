use super::*;

const HEAD: &str = "apiVersion: kubectl.config.k8s.io/v1beta1\nkind: Preference\n";

#[test]
fn what_a_kuberc_says() {
    let list = |l: &[&str]| Ok(Policy::Allowlist(l.iter().map(|s| s.to_string()).collect()));
    let table: &[(&str, Result<Policy, &str>)] = &[
        ("", Ok(Policy::AllowAll)),
        ("aliases: []\n", Ok(Policy::AllowAll)),
        ("credentialPluginPolicy: AllowAll\n", Ok(Policy::AllowAll)),
        ("credentialPluginPolicy: DenyAll\n", Ok(Policy::DenyAll)),
        (
            "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- command: aws\n- name: /usr/bin/gke-gcloud-auth-plugin\n- name: x\n  command: x\n",
            Ok(Policy::Allowlist(vec![
                "aws".into(),
                "/usr/bin/gke-gcloud-auth-plugin".into(),
                "x".into(),
            ])),
        ),
        (
            "credentialPluginPolicy: Allowlist\n",
            Err("allowlist is unspecified"),
        ),
        (
            "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist: []\n",
            Err("allowlist is empty"),
        ),
        (
            "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- {}\n",
            Err("empty allowlist entry #1"),
        ),
        (
            "credentialPluginPolicy: DenyAll\ncredentialPluginAllowlist:\n- command: a\n",
            Err("allowlist is non-nil"),
        ),
        (
            "credentialPluginPolicy: Some\n",
            Err("unknown plugin policy"),
        ),
        (
            "credentialPluginPolicy: Allowlist\ncredentialPluginAllowlist:\n- name: a\n  command: b\n",
            Err("both name"),
        ),
        ("- a list\n", Err("not a kuberc file")),
    ];
    for (text, want) in table {
        let got = parse(&format!("{HEAD}{text}"));
        match (want, &got) {
            (Ok(w), Ok(g)) => assert_eq!(w, g, "{text}"),
            (Err(w), Err(g)) => assert!(g.contains(w), "{text}: {g}"),
            _ => panic!("{text}: {got:?}"),
        }
    }
    assert_eq!(parse(""), list(&[]).map(|_| Policy::AllowAll));
}

#[test]
fn judged_as_client_go_judges() {
    // PATH has /opt/bin/kubectl-oidc; /usr/local/bin/kubectl-oidc exists too, off PATH.
    let look_path = |c: &str| -> Option<PathBuf> {
        match c {
            "kubectl-oidc" | "/opt/bin/kubectl-oidc" => Some("/opt/bin/kubectl-oidc".into()),
            "/usr/local/bin/kubectl-oidc" => Some(c.into()),
            "aws" => Some("/usr/bin/aws".into()),
            _ => None,
        }
    };
    let allow = |l: &[&str]| Policy::Allowlist(l.iter().map(|s| s.to_string()).collect());
    let table: &[(Policy, &str, Option<&str>)] = &[
        (Policy::AllowAll, "kubectl-oidc", None),
        (
            Policy::DenyAll,
            "kubectl-oidc",
            Some(r#"plugin "kubectl-oidc" not allowed: policy set to "DenyAll""#),
        ),
        (allow(&["kubectl-oidc"]), "kubectl-oidc", None),
        (allow(&["/opt/bin/kubectl-oidc"]), "kubectl-oidc", None),
        (allow(&["kubectl-oidc"]), "/opt/bin/kubectl-oidc", None),
        (
            allow(&["aws"]),
            "kubectl-oidc",
            Some(
                r#"plugin path "/opt/bin/kubectl-oidc" is not permitted by the credential plugin allowlist"#,
            ),
        ),
        // Another file of the same name is another plugin.
        (
            allow(&["/usr/local/bin/kubectl-oidc"]),
            "kubectl-oidc",
            Some("is not permitted"),
        ),
        (
            allow(&["kubectl-oidc"]),
            "not-installed",
            Some("cannot be resolved"),
        ),
    ];
    for (policy, command, refused) in table {
        let got = judge(policy, command, look_path);
        match refused {
            None => assert_eq!(got, Verdict::Allowed, "{policy:?} {command}"),
            Some(text) => match &got {
                Verdict::Refused(why) => {
                    assert!(why.contains(text), "{why}");
                    assert!(is_refusal(why), "{why}");
                }
                Verdict::Allowed => panic!("{policy:?} {command}: allowed"),
            },
        }
    }
    assert_eq!(with_entry(&["a".into()], "b"), ["a", "b"]);
    assert_eq!(with_entry(&["a".into(), "b".into()], "b"), ["a", "b"]);
}
