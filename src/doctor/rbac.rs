//! PURE. RBAC subjects against the user the API server would see (spec §5.1): exact
//! matches, and near misses (missing or extra prefix, `issuer#` form, case, leading `/`,
//! User vs Group kind, email vs sub), each with the command that fixes it.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::authn::UserInfo;
use crate::text::shell_quote;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BindingMatch {
    /// `ClusterRoleBinding/name` or `RoleBinding/namespace/name`.
    pub binding: String,
    /// `ClusterRole/name` or `Role/name`.
    pub role: String,
    /// `User:name` or `Group:name`.
    pub subject: String,
    /// `None` for an exact match, else why it nearly matches.
    pub near_miss: Option<String>,
    /// The command that makes it match (near misses only).
    pub fix: Option<String>,
}

fn strip_known_prefix<'a>(name: &'a str, prefixes: &[String]) -> Option<&'a str> {
    prefixes
        .iter()
        .filter(|p| !p.is_empty())
        .find_map(|p| name.strip_prefix(p.as_str()))
}

/// The `kubectl create (cluster)rolebinding` that grants `role` to a user or group: a
/// RoleBinding in `namespace`, else a ClusterRoleBinding. `role_kind` is `Role` or
/// `ClusterRole`; `subject_flag` is `user` or `group`. Every value is shell-quoted.
pub fn binding_command(
    name: &str,
    namespace: Option<&str>,
    role_kind: &str,
    role: &str,
    subject_flag: &str,
    subject: &str,
) -> String {
    let role_flag = if role_kind == "Role" {
        "role"
    } else {
        "clusterrole"
    };
    let (kind, ns) = match namespace {
        Some(ns) => ("rolebinding", format!(" -n {}", shell_quote(ns))),
        None => ("clusterrolebinding", String::new()),
    };
    format!(
        "kubectl create {kind} {}{ns} --{role_flag}={} --{subject_flag}={}",
        shell_quote(name),
        shell_quote(role),
        shell_quote(subject)
    )
}

/// Why `subject` (of `kind`) nearly names this user, if it does.
fn near(
    kind: &str,
    name: &str,
    user: &UserInfo,
    claims: &Map<String, Json>,
    prefixes: &[String],
) -> Option<(String, &'static str, String)> {
    match kind {
        "User" => near_user(name, user, claims, prefixes),
        "Group" => near_group(name, user, prefixes),
        _ => None,
    }
}

/// A User subject that nearly names the user: what differs, and the subject that would match.
fn near_user(
    name: &str,
    user: &UserInfo,
    claims: &Map<String, Json>,
    prefixes: &[String],
) -> Option<(String, &'static str, String)> {
    let username = &user.username;
    if user.groups.iter().any(|g| g == name) {
        return Some((
            "a User subject names one of your groups; it needs kind Group".into(),
            "group",
            name.to_owned(),
        ));
    }
    let reason = if strip_known_prefix(username, prefixes) == Some(name) {
        format!(
            "the binding lacks the username prefix {:?}",
            &username[..username.len() - name.len()]
        )
    } else if strip_known_prefix(name, prefixes) == Some(username.as_str()) {
        "the binding has a prefix the username does not".into()
    } else if username
        .split_once('#')
        .is_some_and(|(_, tail)| tail == name)
    {
        "the username is in the issuer#claim form, the binding is not".into()
    } else if name.eq_ignore_ascii_case(username) {
        "names compare case-sensitively".into()
    } else {
        let (claim, v) = ["email", "preferred_username", "sub", "name"]
            .iter()
            .find_map(|claim| {
                let v = claims.get(*claim).and_then(Json::as_str)?;
                (v == name || v.eq_ignore_ascii_case(name)).then_some((*claim, v))
            })?;
        format!("the binding uses the {claim} claim ({v:?}), but the username is {username:?}")
    };
    Some((reason, "user", username.clone()))
}

/// A Group subject that nearly names one of the user's groups (or names the user).
fn near_group(
    name: &str,
    user: &UserInfo,
    prefixes: &[String],
) -> Option<(String, &'static str, String)> {
    if name == user.username {
        return Some((
            "a Group subject names your username; it needs kind User".into(),
            "user",
            user.username.clone(),
        ));
    }
    user.groups.iter().find_map(|g| {
        let reason = if g.trim_start_matches('/') == name.trim_start_matches('/') {
            "the names differ in a leading / (Keycloak full group path)".to_owned()
        } else if g.eq_ignore_ascii_case(name) {
            "names compare case-sensitively".to_owned()
        } else if strip_known_prefix(g, prefixes) == Some(name) {
            format!(
                "the binding lacks the groups prefix {:?}",
                &g[..g.len() - name.len()]
            )
        } else if strip_known_prefix(name, prefixes) == Some(g.as_str()) {
            "the binding has a prefix the group does not".to_owned()
        } else {
            return None;
        };
        Some((reason, "group", g.clone()))
    })
}

/// Match every User/Group subject of `bindings` (RoleBinding and ClusterRoleBinding objects).
/// `prefixes` are the configured username and groups prefixes.
pub fn analyze(
    bindings: &[Json],
    user: &UserInfo,
    claims: &Map<String, Json>,
    prefixes: &[String],
) -> Vec<BindingMatch> {
    bindings
        .iter()
        .flat_map(|b| binding_matches(b, user, claims, prefixes))
        .collect()
}

/// One binding's subjects that name the user or one of its groups, exactly or nearly (with
/// the binding that would match).
fn binding_matches(
    b: &Json,
    user: &UserInfo,
    claims: &Map<String, Json>,
    prefixes: &[String],
) -> Vec<BindingMatch> {
    let ns = b["metadata"]["namespace"].as_str();
    let kind = b["kind"].as_str().unwrap_or(match ns {
        Some(_) => "RoleBinding",
        None => "ClusterRoleBinding",
    });
    let name = b["metadata"]["name"].as_str().unwrap_or("");
    let binding = match ns {
        Some(ns) => format!("RoleBinding/{ns}/{name}"),
        None => format!("{kind}/{name}"),
    };
    let role_kind = b["roleRef"]["kind"].as_str().unwrap_or("ClusterRole");
    let role_name = b["roleRef"]["name"].as_str().unwrap_or("");
    let mut out = Vec::new();
    for s in b["subjects"].as_array().into_iter().flatten() {
        let (skind, sname) = (
            s["kind"].as_str().unwrap_or(""),
            s["name"].as_str().unwrap_or(""),
        );
        let exact = match skind {
            "User" => sname == user.username,
            "Group" => user.groups.iter().any(|g| g == sname),
            _ => false,
        };
        let (near_miss, fix) = match exact {
            true => (None, None),
            false => {
                let Some((reason, flag, exact_name)) = near(skind, sname, user, claims, prefixes)
                else {
                    continue;
                };
                let name = format!("{name}-oidc");
                let fix = binding_command(&name, ns, role_kind, role_name, flag, &exact_name);
                (Some(reason), Some(fix))
            }
        };
        out.push(BindingMatch {
            binding: binding.clone(),
            role: format!("{role_kind}/{role_name}"),
            subject: format!("{skind}:{sname}"),
            near_miss,
            fix,
        });
    }
    out
}
