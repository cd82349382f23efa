//! PURE. The report: one JSON document (`-o json`) or text for people.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use super::authn::{Check, Replay, UserInfo};
use super::findings::{Finding, FindingId, Severity};
use super::rbac::BindingMatch;
use crate::text::duration as human;

#[derive(Debug, Clone, Default, Serialize)]
pub struct ClusterReport {
    /// The API server's URL.
    pub server: String,
    /// HTTP status of the SelfSubjectReview made with the token.
    pub status: Option<u16>,
    /// What the server made of the token (SelfSubjectReview `status.userInfo`).
    pub user: Option<UserInfo>,
    /// SelfSubjectAccessReview: `{verb, resource, namespace, allowed, reason}`.
    pub access_review: Option<Json>,
    /// Bindings whose subjects match or nearly match.
    pub bindings: Vec<BindingMatch>,
}

/// What the API server would do with the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Accept it, and nothing found is an error.
    Accepted,
    /// Accept it only if what was not checked passes: its signature (`--offline`), or a CEL
    /// function this replay does not evaluate.
    Unverified,
    /// Refuse it, or a finding is an error.
    Refused,
    /// Not start: the configuration is invalid, so no token authenticates.
    ConfigError,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub verdict: Verdict,
    /// The API server would accept the token (its signature verified).
    pub authenticated: bool,
    pub user: Option<UserInfo>,
    pub findings: Vec<Finding>,
    pub header: Map<String, Json>,
    pub claims: Map<String, Json>,
    /// The API server's error when it would refuse the token.
    pub error: Option<String>,
    /// Where the token came from and which configuration was replayed.
    pub source: String,
    pub config: String,
    /// The kube-apiserver release simulated (`--kube-version`).
    pub kube_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip)]
    pub now: i64,
}

impl Verdict {
    /// From the replay's outcome and the findings.
    pub fn of(replay: &Replay, findings: &[Finding]) -> Self {
        let check = replay.refusal.as_ref().map(|r| r.check);
        let error_found = findings.iter().any(|f| f.severity == Severity::Error);
        match check {
            Some(Check::Config) => Verdict::ConfigError,
            Some(Check::NotSimulated) if !error_found => Verdict::Unverified,
            Some(_) => Verdict::Refused,
            None if error_found => Verdict::Refused,
            None if replay.signature_unchecked.is_some() => Verdict::Unverified,
            None => Verdict::Accepted,
        }
    }
}

impl Report {
    /// The report for an input that is not a token at all: the same document, with the
    /// reason in `error` and a `malformed-token` finding.
    pub fn unreadable(source: String, error: String, now: i64) -> Self {
        Self {
            verdict: Verdict::Refused,
            authenticated: false,
            user: None,
            findings: vec![Finding::new(
                FindingId::MalformedToken,
                Severity::Error,
                format!("the input is not a token the API server can read: {error}"),
                "pass the id_token itself (kubectl oidc get-token prints it in status.token), or no TOKEN to use the cached one",
            )],
            header: Map::new(),
            claims: Map::new(),
            error: Some(error),
            source,
            config: String::new(),
            kube_version: String::new(),
            cluster: None,
            token: None,
            now,
        }
    }
}

/// Strip control characters (claims are untrusted and may carry terminal escapes).
fn clean(s: &str) -> String {
    crate::text::sanitize(s, false)
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_f64() => "number (float)",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

const TIME_CLAIMS: [&str; 4] = ["exp", "nbf", "iat", "auth_time"];

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

fn claim_line(name: &str, v: &Json, now: i64) -> String {
    let mut value = clean(&v.to_string());
    if value.len() > 200 {
        value = format!(
            "{}... ({} bytes)",
            &value[..value
                .char_indices()
                .nth(200)
                .map_or(value.len(), |(i, _)| i)],
            v.to_string().len()
        );
    }
    let mut line = format!("  {:<18} {value}  ({})", clean(name), type_name(v));
    if TIME_CLAIMS.contains(&name)
        && let Some(t) = v.as_f64()
    {
        let t = t.trunc() as i64;
        let abs = chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default();
        let rel = if t >= now {
            format!("in {}", human(t - now))
        } else {
            format!("{} ago", human(now - t))
        };
        line.push_str(&format!(" = {abs}, {rel}"));
    }
    line
}

/// The first line of the verdict, and the API server's error under it.
fn headline(r: &Report, st: &Style) -> String {
    let error = r.error.as_deref().map(clean);
    match (r.verdict, error) {
        (Verdict::ConfigError, e) => format!(
            "{} kube-apiserver {} does not start with this configuration, so it accepts no token:\n  {}\n",
            st.paint("1;31", "CONFIG ERROR:"),
            r.kube_version,
            e.unwrap_or_default()
        ),
        (Verdict::Refused, Some(e)) => format!(
            "{} 401 Unauthorized; the API server would log:\n  \"Unable to authenticate the request\" err=\"[invalid bearer token, {e}]\"\n",
            st.paint("1;31", "REFUSED:")
        ),
        (Verdict::Refused, None) => format!(
            "{} the token passes the replay, but a finding below is an error\n",
            st.paint("1;31", "REFUSED:")
        ),
        (Verdict::Unverified, Some(e)) => format!(
            "{} the API server would accept this token only if what was not evaluated passes: {e}\n",
            st.paint("1;33", "UNVERIFIED:")
        ),
        (Verdict::Unverified, None) => format!(
            "{} the API server would accept this token only if its signature verifies, which was not checked\n",
            st.paint("1;33", "UNVERIFIED:")
        ),
        (Verdict::Accepted, _) => format!(
            "{} the API server would accept this token\n",
            st.paint("1;32", "AUTHENTICATED:")
        ),
    }
}

pub fn render_text(r: &Report, color: bool) -> String {
    let st = Style { color };
    let mut o = String::new();
    o.push_str(&format!("Token: {}\n", clean(&r.source)));
    o.push_str("Header:\n");
    for (k, v) in &r.header {
        o.push_str(&claim_line(k, v, r.now));
        o.push('\n');
    }
    o.push_str("Claims:\n");
    for (k, v) in &r.claims {
        o.push_str(&claim_line(k, v, r.now));
        o.push('\n');
    }
    if let Some(t) = &r.token {
        o.push_str(&format!("Raw token:\n  {t}\n"));
    }
    o.push_str(&format!(
        "\nAPI server (kube-apiserver {}): {}\n",
        clean(&r.kube_version),
        clean(&r.config)
    ));
    o.push_str(&headline(r, &st));
    if let Some(u) = &r.user {
        let label = if r.authenticated {
            "User (as `kubectl auth whoami` shows it):"
        } else {
            "User it would map to, were it accepted:"
        };
        o.push_str(&format!("{label}\n"));
        o.push_str(&user_lines(u));
    }
    if let Some(c) = &r.cluster {
        o.push_str(&cluster_text(c, &st));
    }
    o.push_str(&findings_text(&r.findings, &st));
    o
}

/// The cluster's answers: the SelfSubjectReview, the access review, the bindings.
fn cluster_text(c: &ClusterReport, st: &Style) -> String {
    let mut o = String::new();
    o.push_str(&format!("\nCluster {}:\n", clean(&c.server)));
    match c.status {
        Some(200 | 201) => {
            o.push_str("  SelfSubjectReview: the server authenticated the token as\n")
        }
        Some(s) => o.push_str(&format!("  SelfSubjectReview: HTTP {s}\n")),
        None => {}
    }
    if let Some(u) = &c.user {
        o.push_str(
            &user_lines(u)
                .replace("\n  ", "\n    ")
                .replacen("  ", "    ", 1),
        );
    }
    if let Some(a) = &c.access_review {
        o.push_str(&format!(
            "  can-i {} {}{}: {}{}\n",
            a["verb"].as_str().unwrap_or(""),
            a["resource"].as_str().unwrap_or(""),
            a["namespace"]
                .as_str()
                .map(|n| format!(" -n {n}"))
                .unwrap_or_default(),
            if a["allowed"] == true {
                st.paint("32", "yes")
            } else {
                st.paint("31", "no")
            },
            a["reason"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(|s| format!(" ({})", clean(s)))
                .unwrap_or_default()
        ));
    }
    for b in &c.bindings {
        match &b.near_miss {
            None => o.push_str(&format!(
                "  {} {} -> {} matches\n",
                st.paint("32", "match"),
                clean(&b.binding),
                clean(&b.subject)
            )),
            Some(why) => o.push_str(&format!(
                "  {} {} ({}) {}: {}\n    fix: {}\n",
                st.paint("33", "near miss"),
                clean(&b.binding),
                clean(&b.role),
                clean(&b.subject),
                clean(why),
                clean(b.fix.as_deref().unwrap_or(""))
            )),
        }
    }
    o
}

/// The findings, errors first, each with its fix.
fn findings_text(findings: &[Finding], st: &Style) -> String {
    let mut o = String::new();
    if !findings.is_empty() {
        o.push_str("\nFindings:\n");
        for f in findings {
            let sev = match f.severity {
                Severity::Error => st.paint("1;31", "error  "),
                Severity::Warning => st.paint("33", "warning"),
                Severity::Info => st.paint("36", "info   "),
            };
            o.push_str(&format!(
                "  {sev} [{}] {}\n          fix: {}\n",
                f.id,
                clean(&f.message),
                clean(&f.fix)
            ));
        }
    }
    o
}

fn user_lines(u: &UserInfo) -> String {
    let mut o = format!("  username: {}\n", clean(&u.username));
    if !u.uid.is_empty() {
        o.push_str(&format!("  uid:      {}\n", clean(&u.uid)));
    }
    o.push_str(&format!(
        "  groups:   [{}]\n",
        u.groups
            .iter()
            .map(|g| clean(g))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for (k, v) in &u.extra {
        o.push_str(&format!(
            "  extra:    {} = [{}]\n",
            clean(k),
            v.iter().map(|x| clean(x)).collect::<Vec<_>>().join(", ")
        ));
    }
    o
}
