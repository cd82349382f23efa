//! `debug-token` (alias `doctor`): the I/O around the pure `doctor` modules. It gathers the
//! token (argument, stdin, cache, or a kubeconfig context's exec entry), the API server's
//! configuration (flags, AuthenticationConfiguration, or the kube-apiserver pod), the
//! provider's discovery document and JWKS, and the cluster's own answers (SelfSubjectReview,
//! SelfSubjectAccessReview, RBAC bindings through kubectl), then prints the report.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use clap::Parser as _;
use serde_json::{Map, Value as Json, json};

use crate::cli::{DebugArgs, EntryArgs, GetTokenOnly, OutputFormat, TlsArgs};
use crate::doctor::authn::{self, Discovery, Signature, Token, UserInfo};
use crate::doctor::config::{self, ApiserverFlags, Authenticator, Style};
use crate::doctor::findings::{Finding, Severity};
use crate::doctor::report::{ClusterReport, Report};
use crate::doctor::{diagnose, input, rbac, report, signature};
use crate::error::ExitStatus;
use crate::oidc::http::{HttpClient, TlsSettings};
use crate::settings::{self, EntrySettings};
use crate::token::jwt;

/// What the kubeconfig says about the context (from `kubectl config view --minify`).
#[derive(Default)]
struct KubeContext {
    server: Option<String>,
    tls: TlsSettings,
    exec_args: Option<Vec<String>>,
    findings: Vec<Finding>,
}

fn kubectl(args: &DebugArgs, context: Option<&str>) -> Command {
    let mut cmd = Command::new("kubectl");
    if let Some(k) = &args.kubeconfig {
        cmd.arg("--kubeconfig").arg(k);
    }
    if let Some(c) = context {
        cmd.args(["--context", c]);
    }
    cmd.stdin(Stdio::null());
    cmd
}

fn run_kubectl(mut cmd: Command) -> anyhow::Result<Vec<u8>> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .with_context(|| format!("cannot run kubectl ({shown}); is it on PATH?"))?;
    if !out.status.success() {
        bail!(
            "{shown} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

fn read_context(args: &DebugArgs) -> anyhow::Result<KubeContext> {
    let mut cmd = kubectl(args, args.context.as_deref());
    cmd.args(["config", "view", "--raw", "--minify", "-o", "json"]);
    let doc: Json = serde_json::from_slice(&run_kubectl(cmd)?)
        .context("kubectl config view printed something that is not JSON")?;
    let mut k = KubeContext::default();
    let cluster = &doc["clusters"][0]["cluster"];
    k.server = cluster["server"].as_str().map(str::to_owned);
    if let Some(ca) = cluster["certificate-authority"].as_str() {
        k.tls.ca_files.push(ca.into());
    }
    if let Some(data) = cluster["certificate-authority-data"].as_str() {
        k.tls.ca_data.push(data.to_owned());
    }
    k.tls.insecure_skip_verify = cluster["insecure-skip-tls-verify"] == true;
    let user = &doc["users"][0]["user"];
    let exec = &user["exec"];
    if exec.is_object() {
        // spec §4.1 / catalog row 26-27.
        if user["token"].is_string() || user["tokenFile"].is_string() {
            k.findings.push(Finding::new("token-not-sent", Severity::Error,
                "the kubeconfig user has a static token (token/tokenFile) next to exec, so kubectl sends that token and never runs the plugin",
                "remove token/tokenFile from the user entry"));
        }
        if exec["apiVersion"] == "client.authentication.k8s.io/v1"
            && exec["interactiveMode"].is_null()
        {
            k.findings.push(Finding::new("exec-config", Severity::Error,
                "exec apiVersion client.authentication.k8s.io/v1 requires interactiveMode; kubectl refuses the entry",
                "add `interactiveMode: IfAvailable` to the exec entry"));
        }
        let mut exec_args: Vec<String> =
            std::iter::once(exec["command"].as_str().unwrap_or("").to_owned())
                .chain(
                    exec["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a.as_str().map(str::to_owned)),
                )
                .collect();
        if let Some(i) = exec_args.iter().position(|a| a == "get-token") {
            exec_args.drain(..=i);
            k.exec_args = Some(exec_args);
        }
    } else if user.is_object() {
        k.findings.push(Finding::new("token-not-sent", Severity::Info,
            "the context's user has no exec entry, so kubectl does not run a credential plugin for it",
            "add a users[].user.exec entry that runs `kubectl oidc get-token` (see the README)"));
    }
    Ok(k)
}

fn read_token(args: &DebugArgs, entry_args: &EntryArgs) -> anyhow::Result<(String, String)> {
    match args.token.as_ref().map(|t| t.expose().as_str()) {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the token from stdin")?;
            Ok((input::normalize(&s)?, "stdin".into()))
        }
        Some(t) => Ok((input::normalize(t)?, "argument".into())),
        None => {
            let settings = EntrySettings::resolve(entry_args).context(
                "no TOKEN was given, so the cached token is used, which needs the get-token flags (or --context)",
            )?;
            let store = settings.store();
            let token = store.entry(settings.key.digest()).load_id_token().ok_or_else(|| {
                anyhow!(
                    "no cached id_token for {} (client {}) in {}; log in first: kubectl oidc login --oidc-issuer-url={} --oidc-client-id={}",
                    settings.issuer, settings.client_id, settings.cache_dir.display(), settings.issuer, settings.client_id
                )
            })?;
            Ok((
                token.expose().clone(),
                format!(
                    "the cache for {} ({})",
                    settings.issuer,
                    settings.cache_dir.display()
                ),
            ))
        }
    }
}

/// `--oidc-*` and `--authentication-config` from the kube-apiserver pod (catalog row 23).
fn flags_from_cluster(args: &DebugArgs) -> anyhow::Result<(ApiserverFlags, Option<String>)> {
    let mut cmd = kubectl(
        args,
        args.admin_context.as_deref().or(args.context.as_deref()),
    );
    cmd.args([
        "get",
        "--raw",
        "/api/v1/namespaces/kube-system/pods?labelSelector=component%3Dkube-apiserver",
    ]);
    let pods: Json =
        serde_json::from_slice(&run_kubectl(cmd)?).context("the pod list is not JSON")?;
    let container = &pods["items"][0]["spec"]["containers"][0];
    if container.is_null() {
        bail!(
            "no kube-apiserver pod (label component=kube-apiserver) in kube-system; managed clusters hide it: pass the flags or --authentication-config"
        );
    }
    let argv: Vec<&str> = container["command"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(container["args"].as_array().into_iter().flatten())
        .filter_map(Json::as_str)
        .collect();
    let mut f = ApiserverFlags::default();
    let mut auth_config = None;
    for a in argv {
        let Some((k, v)) = a.strip_prefix("--").and_then(|a| a.split_once('=')) else {
            continue;
        };
        if k == "authentication-config" {
            auth_config = Some(v.to_owned());
        } else {
            f.set(k, v);
        }
    }
    Ok((f, auth_config))
}

/// The configuration to replay and a one-line description of it.
fn configuration(
    args: &DebugArgs,
    entry_args: &EntryArgs,
    claims: &Map<String, Json>,
) -> anyhow::Result<(Result<Vec<Authenticator>, config::ConfigError>, String)> {
    if let Some(path) = &args.authentication_config {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --authentication-config {}", path.display()))?;
        return Ok((
            config::from_authentication_config(&text),
            format!("AuthenticationConfiguration {}", path.display()),
        ));
    }
    let mut f = ApiserverFlags {
        issuer_url: entry_args.oidc_issuer_url.clone(),
        client_id: entry_args.oidc_client_id.clone(),
        username_claim: args.oidc_username_claim.clone(),
        username_prefix: args.oidc_username_prefix.clone(),
        groups_claim: args.oidc_groups_claim.clone(),
        groups_prefix: args.oidc_groups_prefix.clone(),
        required_claims: args.oidc_required_claim.clone(),
        signing_algs: args.oidc_signing_algs.clone(),
        ca_file: args.oidc_ca_file.as_ref().map(|p| p.display().to_string()),
    };
    let mut described = "kube-apiserver flags".to_owned();
    if args.from_cluster {
        let (cluster, auth_config) = flags_from_cluster(args)?;
        if let Some(path) = auth_config {
            bail!(
                "the kube-apiserver pod uses --authentication-config={path}, a file on the control-plane node; copy it here and pass --authentication-config"
            );
        }
        if cluster.issuer_url.is_none() {
            return Ok((
                Ok(Vec::new()),
                "the kube-apiserver pod (no --oidc-* flags)".into(),
            ));
        }
        f = cluster;
        described = "the kube-apiserver pod's flags".into();
    } else if f.issuer_url.is_none() {
        f.issuer_url = claims.get("iss").and_then(Json::as_str).map(str::to_owned);
        described =
            "kube-apiserver flags, issuer taken from the token (pass --oidc-issuer-url)".into();
    }
    if f.client_id.is_none() {
        f.client_id = authn::audiences(claims).into_iter().next();
        described.push_str(", audience taken from the token (pass --oidc-client-id)");
    }
    let mut shown = vec![
        format!(
            "--oidc-issuer-url={}",
            f.issuer_url.as_deref().unwrap_or("")
        ),
        format!("--oidc-client-id={}", f.client_id.as_deref().unwrap_or("")),
    ];
    for (name, v) in [
        ("username-claim", &f.username_claim),
        ("username-prefix", &f.username_prefix),
        ("groups-claim", &f.groups_claim),
        ("groups-prefix", &f.groups_prefix),
        ("signing-algs", &f.signing_algs),
    ] {
        if let Some(v) = v {
            shown.push(format!("--oidc-{name}={v}"));
        }
    }
    shown.extend(
        f.required_claims
            .iter()
            .map(|c| format!("--oidc-required-claim={c}")),
    );
    Ok((
        config::from_flags(&f).map(|a| vec![a]),
        format!("{described}: {}", shown.join(" ")),
    ))
}

/// Discovery and JWKS for the authenticator, as the API server fetches them.
fn provider_checks(
    a: &Authenticator,
    tls_args: &TlsArgs,
    token: &str,
) -> (Discovery, Signature, Vec<Finding>) {
    let mut findings = Vec::new();
    let timeout = Duration::from_secs(tls_args.http_timeout_sec.max(1));
    let mut tls = settings::tls(tls_args);
    match (&a.certificate_authority, a.style) {
        (Some(path), Style::Flags) => tls.ca_files.push(path.into()),
        (Some(pem), Style::Structured) => tls
            .ca_data
            .push(base64::engine::general_purpose::STANDARD.encode(pem)),
        (None, _) => {}
    }
    let http = match HttpClient::new(&tls, timeout) {
        Ok(h) => h,
        Err(e) => {
            return (
                Discovery::Failed(format!("{e:#}")),
                Signature::Unchecked(format!("{e:#}")),
                findings,
            );
        }
    };
    let url = a.discovery_url.clone().unwrap_or_else(|| {
        format!(
            "{}/.well-known/openid-configuration",
            a.issuer_url.trim_end_matches('/')
        )
    });
    let get = |url: &str| -> anyhow::Result<Json> {
        let (status, body) =
            http.send("GET", url, &[("Accept", "application/json")], Vec::new())?;
        if status != 200 {
            bail!("GET {url}: HTTP {status}");
        }
        serde_json::from_slice(&body).with_context(|| format!("GET {url}: not JSON"))
    };
    let doc = match get(&url) {
        Ok(d) => d,
        Err(e) => {
            let msg = format!("{e:#}");
            if msg.to_lowercase().contains("certificate") {
                findings.push(Finding::new("issuer-tls", Severity::Error, format!("TLS to the provider failed: {msg}"), "give the CA that signed the provider's certificate: --oidc-ca-file (flags) or issuer.certificateAuthority (PEM text); the CA needs CA:TRUE"));
            }
            return (
                Discovery::Failed(msg.clone()),
                Signature::Unchecked(format!("discovery failed: {msg}")),
                findings,
            );
        }
    };
    let discovery = match doc["issuer"].as_str() {
        Some(i) if i == a.issuer_url => Discovery::Ok,
        other => Discovery::IssuerMismatch(other.unwrap_or("").to_owned()),
    };
    let Some(jwks_uri) = doc["jwks_uri"].as_str() else {
        return (
            discovery,
            Signature::Unchecked("the discovery document has no jwks_uri".into()),
            findings,
        );
    };
    let sig = match get(jwks_uri) {
        Ok(jwks) => signature::check(token, &jwks),
        Err(e) => Signature::Unchecked(format!("{e:#}")),
    };
    (discovery, sig, findings)
}

/// POST a review to the API server with the token; (status, body).
fn review(
    http: &HttpClient,
    server: &str,
    path: &str,
    token: &str,
    body: &Json,
) -> anyhow::Result<(u16, Json)> {
    let bearer = format!("Bearer {token}");
    let (status, bytes) = http.send(
        "POST",
        &format!("{}{path}", server.trim_end_matches('/')),
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ],
        serde_json::to_vec(body)?,
    )?;
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Json::Null)))
}

fn user_from(v: &Json) -> Option<UserInfo> {
    Some(UserInfo {
        username: v.get("username")?.as_str()?.to_owned(),
        uid: v["uid"].as_str().unwrap_or("").to_owned(),
        groups: v["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g.as_str().map(str::to_owned))
            .collect(),
        extra: serde_json::from_value(v["extra"].clone()).unwrap_or_default(),
    })
}

fn cluster_checks(
    args: &DebugArgs,
    kube: &KubeContext,
    token: &str,
    predicted: Option<&UserInfo>,
    claims: &Map<String, Json>,
    prefixes: &[String],
    findings: &mut Vec<Finding>,
) -> anyhow::Result<ClusterReport> {
    let server = kube
        .server
        .clone()
        .context("the kubeconfig context has no cluster server")?;
    let http = HttpClient::new(&kube.tls, Duration::from_secs(30))?;
    let mut c = ClusterReport {
        server: server.clone(),
        ..Default::default()
    };
    let mut status = 0;
    for version in ["v1", "v1beta1"] {
        let (s, body) = review(
            &http,
            &server,
            &format!("/apis/authentication.k8s.io/{version}/selfsubjectreviews"),
            token,
            &json!({"apiVersion": format!("authentication.k8s.io/{version}"), "kind": "SelfSubjectReview"}),
        )?;
        status = s;
        if s != 404 {
            c.user = user_from(&body["status"]["userInfo"]);
            break;
        }
    }
    c.status = Some(status);
    match status {
        200 | 201 => {
            if let (Some(server_user), Some(p)) = (&c.user, predicted)
                && (server_user.username != p.username || server_user.groups != p.groups)
            {
                findings.push(Finding::new("server-disagrees", Severity::Warning,
                    format!("the cluster made this token {:?} with groups {:?}, but the replayed configuration predicts {:?} with {:?}", server_user.username, server_user.groups, p.username, p.groups),
                    "the API server runs another configuration: read it with --from-cluster, or pass its flags or --authentication-config"));
            }
            if predicted.is_none() {
                findings.push(Finding::new("server-disagrees", Severity::Warning, "the cluster accepted a token that the replayed configuration refuses", "the API server runs another configuration: read it with --from-cluster, or pass its flags or --authentication-config"));
            }
        }
        401 => findings.push(Finding::new("unauthorized", Severity::Error,
            format!("{server} answered 401 Unauthorized to the token (kubectl: `error: You must be logged in to the server (Unauthorized)`); the reason is only in the API server's log"),
            if predicted.is_some() { "the replay accepts the token, so the cluster is configured differently: compare with --from-cluster (an unconfigured API server logs only `invalid bearer token`)".to_owned() } else { "fix the first error above".to_owned() })),
        403 => findings.push(Finding::new("forbidden", Severity::Warning,
            format!("{server} authenticated the token but forbids SelfSubjectReview (403)"),
            "bind the system:basic-user ClusterRole to system:authenticated again (it is there by default)")),
        404 => findings.push(Finding::new("forbidden", Severity::Info, format!("{server} does not serve SelfSubjectReview (Kubernetes < 1.27)"), "compare with the API server's log instead")),
        s => findings.push(Finding::new("unauthorized", Severity::Warning, format!("{server} answered HTTP {s} to the SelfSubjectReview"), "check the cluster URL and that it is reachable")),
    }
    if let (Some(verb), Some(resource)) = (&args.verb, &args.resource) {
        let (res, group) = resource.split_once('.').unwrap_or((resource.as_str(), ""));
        let mut attrs = json!({"verb": verb, "resource": res, "group": group});
        if let Some(ns) = &args.namespace {
            attrs["namespace"] = json!(ns);
        }
        let (s, body) = review(
            &http,
            &server,
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            token,
            &json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": attrs}}),
        )?;
        if s == 200 || s == 201 {
            let allowed = body["status"]["allowed"] == true;
            c.access_review = Some(
                json!({"verb": verb, "resource": resource, "namespace": args.namespace, "allowed": allowed, "reason": body["status"]["reason"]}),
            );
            if !allowed && let Some(u) = c.user.as_ref().or(predicted) {
                // spec §5.3: the 403 text names the exact username the server derived.
                let scope = match &args.namespace {
                    Some(ns) => format!("in the namespace {ns:?}"),
                    None => "at the cluster scope".to_owned(),
                };
                let binding = match &args.namespace {
                    Some(ns) => format!(
                        "kubectl create rolebinding NAME -n {ns} --clusterrole=ROLE --user={}",
                        rbac::shell(&u.username)
                    ),
                    None => format!(
                        "kubectl create clusterrolebinding NAME --clusterrole=ROLE --user={}",
                        rbac::shell(&u.username)
                    ),
                };
                findings.push(Finding::new("forbidden", Severity::Warning,
                    format!("authenticated, but not authorized: kubectl would print `Error from server (Forbidden): {res} is forbidden: User {:?} cannot {verb} resource {res:?} in API group {group:?} {scope}`", u.username),
                    format!("bind a role to the exact username or one of the groups {:?}: {binding} (see the near misses)", u.groups)));
            }
        }
    }
    // RBAC bindings, read with the admin context's (or the context's) own credentials.
    let user = c.user.clone().or_else(|| predicted.cloned());
    if let Some(user) = user {
        let reader = args.admin_context.as_deref().or(args.context.as_deref());
        let mut bindings = Vec::new();
        for path in [
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "/apis/rbac.authorization.k8s.io/v1/rolebindings",
        ] {
            let mut cmd = kubectl(args, reader);
            cmd.args(["get", "--raw", path]);
            match run_kubectl(cmd).and_then(|b| Ok(serde_json::from_slice::<Json>(&b)?)) {
                Ok(list) => {
                    let kind = if path.ends_with("clusterrolebindings") {
                        "ClusterRoleBinding"
                    } else {
                        "RoleBinding"
                    };
                    for mut item in list["items"].as_array().cloned().unwrap_or_default() {
                        item["kind"] = json!(kind);
                        bindings.push(item);
                    }
                }
                Err(e) => {
                    findings.push(Finding::new(
                        "rbac-no-binding",
                        Severity::Info,
                        format!("cannot list RBAC bindings: {e:#}"),
                        "pass --admin-context with a context that may list (cluster)rolebindings",
                    ));
                    break;
                }
            }
        }
        c.bindings = rbac::analyze(&bindings, &user, claims, prefixes);
        let exact = c
            .bindings
            .iter()
            .any(|b| b.near_miss.is_none() && !b.subject.ends_with(":system:authenticated"));
        for b in c.bindings.iter().filter(|b| b.near_miss.is_some()) {
            findings.push(Finding::new(
                "rbac-near-miss",
                Severity::Warning,
                format!(
                    "{} grants {} to {}, which nearly matches: {}",
                    b.binding,
                    b.role,
                    b.subject,
                    b.near_miss.as_deref().unwrap_or("")
                ),
                b.fix.clone().unwrap_or_default(),
            ));
        }
        if !exact && !bindings.is_empty() && !c.bindings.iter().any(|b| b.near_miss.is_some()) {
            findings.push(Finding::new(
                "rbac-no-binding",
                Severity::Info,
                format!(
                    "no RoleBinding or ClusterRoleBinding names {:?} or its groups",
                    user.username
                ),
                format!(
                    "kubectl create clusterrolebinding NAME --clusterrole=view --user={}",
                    user.username
                ),
            ));
        }
    }
    Ok(c)
}

pub fn run(args: &DebugArgs, now: i64) -> anyhow::Result<ExitStatus> {
    let mut findings = Vec::new();
    let wants_cluster = !args.offline
        && (args.context.is_some()
            || args.kubeconfig.is_some()
            || args.cluster
            || args.admin_context.is_some()
            || args.verb.is_some());
    let kube = if wants_cluster || args.context.is_some() || args.kubeconfig.is_some() {
        let k = read_context(args)?;
        findings.extend(k.findings.clone());
        Some(k)
    } else {
        None
    };
    // The plugin's flags: the command line's, else the context's exec entry.
    let (mut entry_args, mut tls_args) =
        (args.token_args.entry.clone(), args.token_args.tls.clone());
    if entry_args.oidc_issuer_url.is_none()
        && let Some(exec) = kube.as_ref().and_then(|k| k.exec_args.clone())
    {
        let parsed = GetTokenOnly::try_parse_from(&exec)
            .map_err(|e| {
                anyhow!("the context's exec args are not kubectl-oidc get-token args: {e}")
            })?
            .args;
        (entry_args, tls_args) = (parsed.entry, parsed.tls);
    }
    let (raw, source) = read_token(args, &entry_args)?;
    let header: Map<String, Json> = jwt::decode_header(&raw)
        .map_err(|e| anyhow!("the token's header cannot be decoded: {e}"))?;
    let claims: Map<String, Json> = jwt::decode_payload(&raw)
        .map_err(|e| anyhow!("the token's payload cannot be decoded: {e}"))?;
    let token = Token { header, claims };
    let (authenticators, config_desc) = configuration(args, &entry_args, &token.claims)?;
    let (authenticators, startup_error) = match authenticators {
        Ok(a) => (a, None),
        Err(e) => (Vec::new(), Some(e.0)),
    };
    let iss = token.claims.get("iss").and_then(Json::as_str).unwrap_or("");
    let selected = authenticators
        .iter()
        .find(|a| authn::issuer_matches(&a.issuer_url, iss));
    let (discovery, sig) = match (selected, args.offline) {
        (_, true) => (Discovery::Skipped, Signature::Unchecked("--offline".into())),
        (None, false) => (
            Discovery::Skipped,
            Signature::Unchecked("no configured issuer matches the token".into()),
        ),
        (Some(a), false) => {
            let (d, s, f) = provider_checks(a, &tls_args, &raw);
            findings.extend(f);
            (d, s)
        }
    };
    let mut replay = authn::replay(&token, &authenticators, &discovery, &sig, now);
    if let Some(e) = &startup_error {
        replay.error = Some(format!("the API server does not start: {e}"));
        replay.failed_check = Some("config-invalid");
    }
    findings.extend(diagnose::diagnose(&diagnose::Inputs {
        token: &token,
        authenticators: &authenticators,
        discovery: &discovery,
        signature: &sig,
        replay: &replay,
        now,
    }));
    let predicted = replay
        .authenticated()
        .then(|| replay.user.clone())
        .flatten();
    let prefixes: Vec<String> = selected
        .map(|a| {
            [
                a.username.prefix.clone(),
                a.groups.as_ref().and_then(|g| g.prefix.clone()),
            ]
            .into_iter()
            .flatten()
            .collect()
        })
        .unwrap_or_default();
    let cluster = match (&kube, wants_cluster) {
        (Some(k), true) => Some(cluster_checks(
            args,
            k,
            &raw,
            predicted.as_ref(),
            &token.claims,
            &prefixes,
            &mut findings,
        )?),
        _ => None,
    };
    findings.sort_by_key(|f| f.severity);
    let report = Report {
        authenticated: replay.authenticated(),
        user: predicted,
        findings,
        header: token.header,
        claims: token.claims,
        error: replay.error.clone(),
        source,
        config: config_desc,
        cluster,
        token: args.show_token.then(|| raw.clone()),
        now,
    };
    let text = match args.output {
        OutputFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        OutputFormat::Text => {
            let color = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let mut t = report::render_text(&report, color);
            if !report.authenticated
                && let Some(u) = &replay.user
            {
                t.push_str(&format!(
                    "\n(Were it accepted, the user would be {:?} with groups {:?}.)\n",
                    u.username, u.groups
                ));
            }
            t
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the report")?;
    Ok(if report.ok() {
        ExitStatus::Success
    } else {
        ExitStatus::Refused
    })
}
