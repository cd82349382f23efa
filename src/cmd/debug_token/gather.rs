//! debug-token's I/O: the token (argument, stdin, cache), the API server's configuration
//! (flags, a file, or the kube-apiserver pod), the provider's discovery document and JWKS,
//! and the cluster's own answers. Every conclusion is drawn in `doctor/`.

use std::io::Read as _;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use serde_json::{Map, Value as Json, json};

use crate::cli::{DebugArgs, EntryArgs, TlsArgs};
use crate::doctor::authn::{self, Discovery, Signature, UserInfo};
use crate::doctor::config::{self, ApiserverFlags, Authenticator, ConfigError, Style};
use crate::doctor::findings::Finding;
use crate::doctor::report::ClusterReport;
use crate::doctor::version::KubeVersion;
use crate::doctor::{cluster, input, rbac, signature};
use crate::error::{Endpoint, Error, Kind, ResultExt as _};
use crate::kubeconfig::{Context, Kubectl};
use crate::oidc::http::{HttpClient, TlsSettings};
use crate::settings::{self, EntrySettings};

/// The raw input and where it came from; the text is not yet known to be a JWT. An empty
/// one is a usage error, with the ways to give a token.
pub fn read_input(args: &DebugArgs, entry_args: &EntryArgs) -> anyhow::Result<(String, String)> {
    let given = |text: String, source: &str| {
        if text.trim().is_empty() {
            return Err(Error::new(
                Kind::Usage,
                format!(
                    "the token ({source}) is empty: pass the token as TOKEN, `-` to read it \
                     from stdin, or no TOKEN to check the cached one (with the get-token flags or \
                     --context)"
                ),
            ));
        }
        Ok((text, source.to_owned()))
    };
    match args.token.as_ref().map(|t| t.expose().as_str()) {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the token from stdin")?;
            given(s, "stdin")
        }
        Some(t) => given(t.to_owned(), "argument"),
        None => {
            let settings = EntrySettings::resolve(entry_args).context(
                "no TOKEN was given, so the cached token is used, which needs the get-token flags (or --context)",
            )?;
            let store = settings.store();
            let token = store
                .entry(settings.key.digest())
                .load_id_token()
                .ok_or_else(|| {
                    anyhow!(
                        "no cached id_token for {} (client {}) in {}; log in first: kubectl oidc login --oidc-issuer-url={} --oidc-client-id={}",
                        settings.issuer, settings.client_id, settings.cache_dir.display(), settings.issuer, settings.client_id
                    )
                })
                .kind(Kind::LoginNeeded)?;
            let source = format!(
                "the cache for {} ({})",
                settings.issuer,
                settings.cache_dir.display()
            );
            Ok((token.expose().clone(), source))
        }
    }
}

/// A pasted input as a compact JWT.
pub fn normalize(raw: &str) -> Result<String, String> {
    input::normalize(raw).map_err(|e| e.to_string())
}

/// The configuration to replay, and a one-line description of it.
pub fn configuration(
    args: &DebugArgs,
    entry_args: &EntryArgs,
    kubectl: &Kubectl,
    claims: &Map<String, Json>,
    version: KubeVersion,
) -> anyhow::Result<(Result<Vec<Authenticator>, ConfigError>, String)> {
    if let Some(path) = &args.apiserver.authentication_config {
        return Ok((
            settings::authentication_config(path, &args.apiserver, version)?,
            format!("AuthenticationConfiguration {}", path.display()),
        ));
    }
    let mut f = settings::apiserver_flags(
        &args.apiserver,
        entry_args.oidc_issuer_url.clone(),
        entry_args.oidc_client_id.clone(),
    );
    let mut described = "kube-apiserver flags".to_owned();
    if args.from_cluster {
        let reader = args.admin_context.as_deref().or(args.context.as_deref());
        let pods = kubectl.get_raw(
            reader,
            "/api/v1/namespaces/kube-system/pods?labelSelector=component%3Dkube-apiserver",
        )?;
        let (cluster, auth_config) = ApiserverFlags::from_pod(&pods).map_err(anyhow::Error::msg)?;
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
    Ok((
        config::from_flags(&f, version).map(|a| vec![a]),
        format!("{described}: {}", f.describe()),
    ))
}

/// Discovery and JWKS for the authenticator, fetched as the API server fetches them.
pub fn provider_checks(
    a: &Authenticator,
    tls_args: &TlsArgs,
    token: &str,
) -> (Discovery, Signature, Vec<Finding>) {
    let timeout = Duration::from_secs(tls_args.http_timeout_sec);
    let tls = issuer_tls(a, tls_args);
    let unchecked = |why: String| (Discovery::Failed(why.clone()), Signature::Unchecked(why));
    let http = match HttpClient::new(&tls, timeout) {
        Ok(h) => h,
        Err(e) => {
            let (d, s) = unchecked(format!("{e:#}"));
            return (d, s, Vec::new());
        }
    };
    let url = a.discovery_url.clone().unwrap_or_else(|| {
        format!(
            "{}/.well-known/openid-configuration",
            a.issuer_url.trim_end_matches('/')
        )
    });
    // The one request path of every GET to a provider, as a login fetches these documents.
    let get = |endpoint, url: &str, what| {
        crate::oidc::endpoint::get::<Json>(&http, endpoint, url, what)
            .map_err(|e| e.about(|_| format!("GET {url}")))
    };
    let doc = match get(Endpoint::Discovery, &url, "an OpenID discovery document") {
        Ok(d) => d,
        Err(e) => {
            let msg = e.to_string();
            let findings = cluster::discovery_findings(&e.failure, &msg);
            let (d, _) = unchecked(msg.clone());
            return (
                d,
                Signature::Unchecked(format!("discovery failed: {msg}")),
                findings,
            );
        }
    };
    let discovery = match doc["issuer"].as_str() {
        Some(i) if i == a.issuer_url => Discovery::Ok,
        other => Discovery::IssuerMismatch(other.unwrap_or("").to_owned()),
    };
    let sig = match doc["jwks_uri"].as_str() {
        None => Signature::Unchecked("the discovery document has no jwks_uri".into()),
        Some(jwks_uri) => match get(Endpoint::Jwks, jwks_uri, "a JSON Web Key Set") {
            Ok(jwks) => signature::check(token, &jwks),
            Err(e) => Signature::Unchecked(format!("{e:#}")),
        },
    };
    (discovery, sig, Vec::new())
}

/// The trust for the issuer, as the API server has it: its CA (a file with the flags, PEM text
/// in an AuthenticationConfiguration) over the plugin's TLS flags.
fn issuer_tls(a: &Authenticator, tls_args: &TlsArgs) -> TlsSettings {
    let mut tls = settings::tls(tls_args);
    match (&a.certificate_authority, a.style) {
        (Some(path), Style::Flags) => tls.ca_files.push(path.into()),
        (Some(pem), Style::Structured) => tls
            .ca_data
            .push(base64::engine::general_purpose::STANDARD.encode(pem)),
        (None, _) => {}
    }
    tls
}

/// The cluster's TLS trust, from the kubeconfig context.
fn cluster_tls(k: &Context) -> TlsSettings {
    TlsSettings {
        ca_files: k.ca_file.iter().map(Into::into).collect(),
        ca_data: k.ca_data.iter().cloned().collect(),
        insecure_skip_verify: k.insecure_skip_tls_verify,
        entry_env: Default::default(),
    }
}

/// POST a review to the API server with the token (never in kubectl's argv); (status, body).
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

/// The token the cluster is asked about, and what the doctor made of it.
pub struct Judged<'a> {
    pub token: &'a str,
    pub claims: &'a Map<String, Json>,
    /// The user the API server's configuration maps the token to, when it would accept it.
    pub predicted: Option<&'a UserInfo>,
    /// The username and groups prefixes in force, for the RBAC comparison.
    pub prefixes: &'a [String],
}

/// What the cluster says: a SelfSubjectReview with the token, a SelfSubjectAccessReview with
/// `--verb/--resource`, and the RBAC bindings read with the (admin) context's credentials.
pub fn cluster_checks(
    args: &DebugArgs,
    kubectl: &Kubectl,
    kube: &Context,
    judged: Judged<'_>,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<ClusterReport> {
    let Judged {
        token,
        claims,
        predicted,
        prefixes,
    } = judged;
    let server = kube
        .server
        .clone()
        .context("the kubeconfig context has no cluster server")
        .kind(Kind::Config)?;
    let http = HttpClient::new(&cluster_tls(kube), Duration::from_secs(30))?;
    let mut c = ClusterReport {
        server: server.clone(),
        ..Default::default()
    };
    // No answer at all: said among the findings, and the rest reported.
    let (status, user) = match self_subject_review(&http, &server, token) {
        Ok(answer) => answer,
        Err(e) => {
            findings.push(cluster::cluster_unreachable(
                &server,
                &unreachable_cause(&e),
            ));
            return Ok(c);
        }
    };
    c.status = Some(status);
    c.user = user;
    findings.extend(cluster::self_subject_review(
        &server,
        status,
        c.user.as_ref(),
        predicted,
    ));
    let who = c.user.as_ref().or(predicted);
    c.access_review = access_check(args, &http, &server, token, who, findings)?;
    let Some(user) = c.user.clone().or_else(|| predicted.cloned()) else {
        return Ok(c);
    };
    let reader = args.admin_context.as_deref().or(args.context.as_deref());
    let bindings = rbac_bindings(kubectl, reader, findings);
    c.bindings = rbac::analyze(&bindings, &user, claims, prefixes);
    findings.extend(cluster::rbac_findings(
        &c.bindings,
        &user,
        !bindings.is_empty(),
    ));
    let denied = c
        .access_review
        .as_ref()
        .is_some_and(|r| r["allowed"] == false);
    if let (true, Some(ns)) = (denied, &args.namespace) {
        findings.extend(cluster::other_namespaces(&c.bindings, ns));
    }
    Ok(c)
}

/// `--verb`/`--resource`: the SelfSubjectAccessReview's answer, and the finding when it is
/// denied to `who`.
fn access_check(
    args: &DebugArgs,
    http: &HttpClient,
    server: &str,
    token: &str,
    who: Option<&UserInfo>,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<Option<Json>> {
    let (Some(verb), Some(resource)) = (&args.verb, &args.resource) else {
        return Ok(None);
    };
    let review = access_review(args, http, server, token, verb, resource)?;
    let denied = review.as_ref().is_some_and(|r| r["allowed"] == false);
    if denied && let Some(u) = who {
        findings.push(cluster::access_denied(
            verb,
            resource,
            args.namespace.as_deref(),
            u,
        ));
    }
    Ok(review)
}

/// A SelfSubjectReview made with the token (v1, else v1beta1): the HTTP status, and what the
/// server made of the token.
fn self_subject_review(
    http: &HttpClient,
    server: &str,
    token: &str,
) -> anyhow::Result<(u16, Option<UserInfo>)> {
    let mut status = 0;
    for version in ["v1", "v1beta1"] {
        let (s, body) = review(
            http,
            server,
            &format!("/apis/authentication.k8s.io/{version}/selfsubjectreviews"),
            token,
            &json!({"apiVersion": format!("authentication.k8s.io/{version}"), "kind": "SelfSubjectReview"}),
        )?;
        status = s;
        if s != 404 {
            return Ok((s, cluster::user_info(&body["status"]["userInfo"])));
        }
    }
    Ok((status, None))
}

/// A SelfSubjectAccessReview for `--verb` on `--resource` (`-n`): `{verb, resource, namespace,
/// allowed, reason}` when the server answered it.
fn access_review(
    args: &DebugArgs,
    http: &HttpClient,
    server: &str,
    token: &str,
    verb: &str,
    resource: &str,
) -> anyhow::Result<Option<Json>> {
    let (res, group) = resource.split_once('.').unwrap_or((resource, ""));
    let mut attrs = json!({"verb": verb, "resource": res, "group": group});
    if let Some(ns) = &args.namespace {
        attrs["namespace"] = json!(ns);
    }
    let (s, body) = review(
        http,
        server,
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        token,
        &json!({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {"resourceAttributes": attrs}}),
    )?;
    Ok((s == 200 || s == 201).then(|| {
        let allowed = body["status"]["allowed"] == true;
        json!({"verb": verb, "resource": resource, "namespace": args.namespace, "allowed": allowed, "reason": body["status"]["reason"]})
    }))
}

/// The cluster's ClusterRoleBindings and RoleBindings, read with the context's own
/// credentials or `--admin-context`; a read that fails is a finding.
fn rbac_bindings(
    kubectl: &Kubectl,
    reader: Option<&str>,
    findings: &mut Vec<Finding>,
) -> Vec<Json> {
    let mut bindings = Vec::new();
    for (kind, path) in [
        (
            "ClusterRoleBinding",
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        ),
        (
            "RoleBinding",
            "/apis/rbac.authorization.k8s.io/v1/rolebindings",
        ),
    ] {
        match kubectl.get_raw(reader, path) {
            Ok(list) => {
                for mut item in list["items"].as_array().cloned().unwrap_or_default() {
                    item["kind"] = json!(kind);
                    bindings.push(item);
                }
            }
            Err(e) => {
                findings.push(cluster::rbac_unreadable(&format!("{e:#}")));
                break;
            }
        }
    }
    bindings
}

/// The innermost cause of a failed request, once (its outer layers repeat the URL).
fn unreachable_cause(e: &anyhow::Error) -> String {
    let root = e.root_cause().to_string();
    crate::text::one_line(root.trim_start_matches("io: "))
}
