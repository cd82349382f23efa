//! The client-go exec credential protocol (spec §4): `KUBERNETES_EXEC_INFO` in, one
//! `ExecCredential` JSON document out. Pure: callers pass the variable's value and `now`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

pub const V1: &str = "client.authentication.k8s.io/v1";
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";

/// What kubectl told us about this call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecInfo {
    /// The apiVersion to answer with.
    pub api_version: &'static str,
    /// `spec.interactive`; `None` when the variable is absent (not run by client-go).
    pub interactive: Option<bool>,
    /// `spec.cluster.config`: the cluster's `client.authentication.k8s.io/exec` extension,
    /// given with `provideClusterInfo: true` (`cli::cluster` reads it).
    pub cluster_config: Option<serde_json::Value>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExecInfoError {
    #[error(
        "KUBERNETES_EXEC_INFO asks for apiVersion {0:?}; kubectl-oidc speaks {V1} and {V1BETA1}: set users[].user.exec.apiVersion to one of them in your kubeconfig"
    )]
    UnsupportedVersion(String),
    #[error(
        "KUBERNETES_EXEC_INFO is not an ExecCredential JSON document ({0}); kubectl sets it for \
         the plugin: unset it where you set it by hand"
    )]
    Malformed(String),
}

#[derive(Deserialize)]
struct RawInfo {
    #[serde(rename = "apiVersion", default)]
    api_version: String,
    #[serde(default)]
    spec: RawSpec,
}

#[derive(Deserialize, Default)]
struct RawSpec {
    interactive: Option<bool>,
    cluster: Option<RawCluster>,
}

#[derive(Deserialize)]
struct RawCluster {
    config: Option<serde_json::Value>,
}

/// Parse `KUBERNETES_EXEC_INFO`. An absent (or empty) variable means v1beta1, as kubelogin
/// and Azure/kubelogin do.
pub fn parse_exec_info(value: Option<&str>) -> Result<ExecInfo, ExecInfoError> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(ExecInfo {
            api_version: V1BETA1,
            interactive: None,
            cluster_config: None,
        });
    };
    let raw: RawInfo =
        serde_json::from_str(value).map_err(|e| ExecInfoError::Malformed(e.to_string()))?;
    let api_version = match raw.api_version.as_str() {
        V1 => V1,
        V1BETA1 => V1BETA1,
        other => return Err(ExecInfoError::UnsupportedVersion(other.to_string())),
    };
    Ok(ExecInfo {
        api_version,
        interactive: raw.spec.interactive,
        cluster_config: raw.spec.cluster.and_then(|c| c.config),
    })
}

#[derive(Serialize)]
struct Output<'a> {
    #[serde(rename = "apiVersion")]
    api_version: &'a str,
    kind: &'static str,
    spec: Spec,
    status: Status<'a>,
}

#[derive(Serialize)]
struct Spec {}

#[derive(Serialize)]
struct Status<'a> {
    #[serde(rename = "expirationTimestamp")]
    expiration_timestamp: String,
    token: &'a str,
}

/// 9999-12-31T23:59:59Z: the last second RFC 3339 writes with a four-digit year. A later
/// one (`+10000-...`) is what kubectl cannot parse, so every call would fail.
const LAST_RFC3339_SECOND: i64 = 253_402_300_799;

/// RFC 3339, second precision, UTC `Z` (what `metav1.Time` expects), within the years 1970 to
/// 9999: an id_token valid beyond is reported valid until the end of 9999.
pub fn rfc3339(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix.clamp(0, LAST_RFC3339_SECOND), 0)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The ExecCredential document for `token`, valid until `expires_at` (unix seconds).
pub fn render(api_version: &str, token: &str, expires_at: i64) -> String {
    let out = Output {
        api_version,
        kind: "ExecCredential",
        spec: Spec {},
        status: Status {
            expiration_timestamp: rfc3339(expires_at),
            token,
        },
    };
    // Serializing plain strings into JSON cannot fail.
    serde_json::to_string(&out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_info_table() {
        let ok = |v, i| {
            Ok(ExecInfo {
                api_version: v,
                interactive: i,
                cluster_config: None,
            })
        };
        let cases: &[(Option<&str>, Result<ExecInfo, ExecInfoError>)] = &[
            (None, ok(V1BETA1, None)),
            (Some(""), ok(V1BETA1, None)),
            (
                Some(
                    r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
                ),
                ok(V1, Some(false)),
            ),
            (
                Some(
                    r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":true,"cluster":{"server":"https://x"}}}"#,
                ),
                ok(V1BETA1, Some(true)),
            ),
            (
                Some(r#"{"apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{}}"#),
                Err(ExecInfoError::UnsupportedVersion(
                    "client.authentication.k8s.io/v1alpha1".into(),
                )),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(&parse_exec_info(*input), want, "{input:?}");
        }
        assert!(matches!(
            parse_exec_info(Some("{")),
            Err(ExecInfoError::Malformed(_))
        ));
        // provideClusterInfo: the cluster's extension, as kubectl 1.37 passes it.
        let with = parse_exec_info(Some(
            r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false,"cluster":{"server":"https://x","certificate-authority-data":"LS0t","config":{"oidc-client-id":"b"}}}}"#,
        ))
        .unwrap();
        assert_eq!(
            with.cluster_config,
            Some(serde_json::json!({"oidc-client-id": "b"}))
        );
    }

    #[test]
    fn render_is_exact_json() {
        assert_eq!(
            render(V1, "a.b.c", 1_700_000_000),
            r#"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{},"status":{"expirationTimestamp":"2023-11-14T22:13:20Z","token":"a.b.c"}}"#
        );
        assert!(
            render(V1BETA1, "t", 0)
                .contains(r#""apiVersion":"client.authentication.k8s.io/v1beta1""#)
        );
    }

    /// Issue 17 item 9: what kubectl reads is always a four-digit year.
    #[test]
    fn timestamps_stay_within_what_rfc3339_writes() {
        for (unix, want) in [
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (253_402_300_800, "9999-12-31T23:59:59Z"),
            (i64::MAX, "9999-12-31T23:59:59Z"),
            (-5, "1970-01-01T00:00:00Z"),
            (i64::MIN, "1970-01-01T00:00:00Z"),
        ] {
            assert_eq!(rfc3339(unix), want, "{unix}");
        }
    }
}
