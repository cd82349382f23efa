//! PURE. Verdicts on what the kubeconfig and the cluster said: the kubeconfig mistakes that
//! keep the token from being sent (spec §4.1, rows 26-27), the SelfSubjectReview made with the
//! token against the replay's prediction (row 28), a denied SelfSubjectAccessReview (§5.3),
//! the RBAC near misses (§5.1), and a provider the API server cannot reach over TLS (row 16).
//! The command gathers the answers; everything it concludes is here.

use serde_json::Value as Json;

use super::authn::UserInfo;
use super::findings::{Finding, FindingId, Severity};
use super::rbac::{BindingMatch, binding_command};
use crate::error::Failure;
use crate::kubeconfig::Context;

const OTHER_CONFIG: &str = "the API server runs another configuration: read it with --from-cluster, or pass its flags or --authentication-config";

/// rows 26-27: a context whose user does not run the plugin, or runs it in a way kubectl
/// refuses.
pub fn kubeconfig_findings(c: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    match &c.exec {
        Some(exec) => {
            if c.static_token {
                out.push(Finding::new(FindingId::TokenNotSent, Severity::Error,
                    "the kubeconfig user has a static token (token/tokenFile) next to exec, so kubectl sends that token and never runs the plugin",
                    "remove token/tokenFile from the user entry"));
            }
            if exec.api_version == "client.authentication.k8s.io/v1" && exec.interactive_mode.is_none() {
                out.push(Finding::new(FindingId::ExecConfig, Severity::Error,
                    "exec apiVersion client.authentication.k8s.io/v1 requires interactiveMode; kubectl refuses the entry",
                    "add `interactiveMode: IfAvailable` to the exec entry"));
            }
        }
        None if c.has_user => out.push(Finding::new(FindingId::TokenNotSent, Severity::Info,
            "the context's user has no exec entry, so kubectl does not run a credential plugin for it",
            "add a users[].user.exec entry that runs `kubectl-oidc get-token` (see the README)")),
        None => {}
    }
    out
}

/// row 16: discovery that fails on TLS (a certificate this machine does not trust, typed by
/// the one request path) fails every token at the API server too.
pub fn discovery_findings(failure: &Failure, error: &str) -> Vec<Finding> {
    if *failure != Failure::UntrustedCertificate {
        return Vec::new();
    }
    vec![Finding::new(
        FindingId::IssuerTls,
        Severity::Error,
        format!("TLS to the provider failed: {error}"),
        "give the CA that signed the provider's certificate: --oidc-ca-file (flags) or issuer.certificateAuthority (PEM text); the CA needs CA:TRUE",
    )]
}

/// `status.userInfo` of a SelfSubjectReview.
pub fn user_info(v: &Json) -> Option<UserInfo> {
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

/// row 28: the HTTP status of the SelfSubjectReview made with the token, the user the server
/// reported, and the user the replay predicts (`None`: the replay refuses the token).
pub fn self_subject_review(
    server: &str,
    status: u16,
    server_user: Option<&UserInfo>,
    predicted: Option<&UserInfo>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    match status {
        200 | 201 => match (server_user, predicted) {
            (Some(s), Some(p)) if s.username != p.username || s.groups != p.groups => {
                out.push(Finding::new(FindingId::ServerDisagrees, Severity::Warning,
                    format!("the cluster made this token {:?} with groups {:?}, but the replayed configuration predicts {:?} with {:?}", s.username, s.groups, p.username, p.groups),
                    OTHER_CONFIG));
            }
            (_, None) => out.push(Finding::new(
                FindingId::ServerDisagrees,
                Severity::Warning,
                "the cluster accepted a token that the replayed configuration refuses",
                OTHER_CONFIG,
            )),
            _ => {}
        },
        401 => out.push(Finding::new(FindingId::Unauthorized, Severity::Error,
            format!("{server} answered 401 Unauthorized to the token (kubectl: `error: You must be logged in to the server (Unauthorized)`); the reason is only in the API server's log"),
            if predicted.is_some() { "the replay accepts the token, so the cluster is configured differently: compare with --from-cluster (an unconfigured API server logs only `invalid bearer token`)" } else { "fix the first error above" })),
        403 => out.push(Finding::new(FindingId::Forbidden, Severity::Warning,
            format!("{server} authenticated the token but forbids SelfSubjectReview (403)"),
            "bind the system:basic-user ClusterRole to system:authenticated again (it is there by default)")),
        404 => out.push(Finding::new(FindingId::Forbidden, Severity::Info,
            format!("{server} does not serve SelfSubjectReview (Kubernetes < 1.27)"),
            "compare with the API server's log instead")),
        s => out.push(Finding::new(FindingId::Unauthorized, Severity::Warning,
            format!("{server} answered HTTP {s} to the SelfSubjectReview"),
            "check the cluster URL and that it is reachable")),
    }
    out
}

/// §5.3: a denied SelfSubjectAccessReview, with kubectl's 403 text (it names the exact
/// username the server derived) and the binding that grants it.
pub fn access_denied(
    verb: &str,
    resource: &str,
    namespace: Option<&str>,
    user: &UserInfo,
) -> Finding {
    let (res, group) = resource.split_once('.').unwrap_or((resource, ""));
    let scope = match namespace {
        Some(ns) => format!("in the namespace {ns:?}"),
        None => "at the cluster scope".to_owned(),
    };
    let binding = binding_command(
        "NAME",
        namespace,
        "ClusterRole",
        "ROLE",
        "user",
        &user.username,
    );
    Finding::new(
        FindingId::Forbidden,
        Severity::Warning,
        format!(
            "authenticated, but not authorized: kubectl would print `Error from server (Forbidden): {res} is forbidden: User {:?} cannot {verb} resource {res:?} in API group {group:?} {scope}`",
            user.username
        ),
        format!(
            "bind a role to the exact username or one of the groups {:?}: {binding} (see the near misses)",
            user.groups
        ),
    )
}

/// §5.1: a finding per near miss, or the binding to create when nothing names the user.
/// `listed` says whether any binding could be read at all.
pub fn rbac_findings(matches: &[BindingMatch], user: &UserInfo, listed: bool) -> Vec<Finding> {
    let mut out: Vec<Finding> = matches
        .iter()
        .filter_map(|b| {
            let why = b.near_miss.as_deref()?;
            Some(Finding::new(
                FindingId::RbacNearMiss,
                Severity::Warning,
                format!(
                    "{} grants {} to {}, which nearly matches: {why}",
                    b.binding, b.role, b.subject
                ),
                b.fix.clone().unwrap_or_default(),
            ))
        })
        .collect();
    let exact = matches
        .iter()
        .any(|b| b.near_miss.is_none() && !b.subject.ends_with(":system:authenticated"));
    if !exact && listed && out.is_empty() {
        out.push(Finding::new(
            FindingId::RbacNoBinding,
            Severity::Info,
            format!(
                "no RoleBinding or ClusterRoleBinding names {:?} or its groups",
                user.username
            ),
            binding_command("NAME", None, "ClusterRole", "view", "user", &user.username),
        ));
    }
    out
}

/// Access denied in `namespace`: the RoleBindings that name the user (or a group of theirs)
/// exactly but in another namespace, each with the binding that grants the same role here.
/// (RBAC grants a RoleBinding's role in its own namespace only.)
pub fn other_namespaces(matches: &[BindingMatch], namespace: &str) -> Vec<Finding> {
    matches
        .iter()
        .filter(|b| b.near_miss.is_none() && !b.subject.ends_with(":system:authenticated"))
        .filter_map(|b| {
            let (ns, name) = b.binding.strip_prefix("RoleBinding/")?.split_once('/')?;
            let (role_kind, role) = b.role.split_once('/')?;
            let (kind, subject) = b.subject.split_once(':')?;
            if ns == namespace {
                return None;
            }
            let flag = if kind == "Group" { "group" } else { "user" };
            let fix = binding_command(name, Some(namespace), role_kind, role, flag, subject);
            let fix = match role_kind {
                // A Role lives in one namespace: it must be made in this one too.
                "Role" => format!(
                    "make Role {role:?} in {namespace:?} as it is in {ns:?}, then: {fix}"
                ),
                _ => fix,
            };
            Some(Finding::new(
                FindingId::RbacNearMiss,
                Severity::Warning,
                format!(
                    "{} grants {} to {}, which names you, but in the namespace {ns:?} only, not in {namespace:?}",
                    b.binding, b.role, b.subject
                ),
                fix,
            ))
        })
        .collect()
}

/// The bindings could not be read with the given credentials.
pub fn rbac_unreadable(error: &str) -> Finding {
    Finding::new(
        FindingId::RbacNoBinding,
        Severity::Info,
        format!("cannot list RBAC bindings: {error}"),
        "pass --admin-context with a context that may list (cluster)rolebindings",
    )
}

/// The cluster did not answer the token's SelfSubjectReview at all (no DNS, no route, TLS):
/// what is judged without it is still reported.
pub fn cluster_unreachable(server: &str, error: &str) -> Finding {
    Finding::new(
        FindingId::ClusterUnreachable,
        Severity::Warning,
        format!(
            "the cluster at {server} cannot be reached ({error}), so what the API server says of the token is not known"
        ),
        "check the context's server URL, your network or VPN; the rest of this report is judged without the cluster (--offline skips the cluster and the provider)",
    )
}
