//! PURE. A finding: one thing `debug-token` noticed, with a stable id, a severity, a one-line
//! message and the fix. The ids are stable across releases (support tickets quote them); each
//! is a [`FindingId`] with the spec §6 catalog row it implements, and README.md lists them.

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The catalog: every finding id and its spec §6 row (0: not a row of its own). The texts are
/// written where a finding is detected (one id may carry several, by situation); a refusal's
/// fixed fix is its check's (`authn::Check::fix`).
macro_rules! catalog {
    ($($variant:ident = $id:literal, row $row:literal;)*) => {
        /// A finding's stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FindingId { $($variant),* }

        impl FindingId {
            /// Every id, in catalog order.
            pub const ALL: &[FindingId] = &[$(FindingId::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(FindingId::$variant => $id),* }
            }

            /// The spec §6 row this id implements (0: none of its own).
            pub fn catalog_row(self) -> u8 {
                match self { $(FindingId::$variant => $row),* }
            }
        }
    };
}

catalog! {
    DefaultUsernamePrefix = "default-username-prefix", row 1;
    RbacNearMiss = "rbac-near-miss", row 2;
    ConfigInvalid = "config-invalid", row 3;
    EmailNotVerified = "email-not-verified", row 4;
    GroupsClaimMissing = "groups-claim-missing", row 5;
    GroupsClaimShape = "groups-claim-shape", row 6;
    GroupNameForm = "group-name-form", row 7;
    AudienceMismatch = "audience-mismatch", row 8;
    AccessToken = "access-token", row 9;
    IssuerMismatch = "issuer-mismatch", row 10;
    AzureIssuerVersion = "azure-issuer-version", row 11;
    AzureGroupOverage = "azure-group-overage", row 12;
    CognitoGroups = "cognito-groups", row 13;
    GoogleNoGroups = "google-no-groups", row 14;
    DexEncodedSub = "dex-encoded-sub", row 15;
    IssuerTls = "issuer-tls", row 16;
    DiscoveryFailed = "discovery-failed", row 16;
    TokenExpired = "token-expired", row 17;
    TokenNotYetValid = "token-not-yet-valid", row 17;
    ClockSkew = "clock-skew", row 17;
    UnsupportedAlg = "unsupported-alg", row 18;
    UnknownKid = "unknown-kid", row 19;
    SignatureInvalid = "signature-invalid", row 19;
    RequiredClaim = "required-claim", row 20;
    CelRuleFailed = "cel-rule-failed", row 21;
    SystemPrefix = "system-prefix", row 22;
    OidcNotConfigured = "oidc-not-configured", row 23;
    HttpIssuer = "http-issuer", row 24;
    TokenNotSent = "token-not-sent", row 26;
    ExecConfig = "exec-config", row 27;
    Unauthorized = "unauthorized", row 28;
    ServerDisagrees = "server-disagrees", row 28;
    MalformedToken = "malformed-token", row 0;
    UsernameClaim = "username-claim", row 0;
    UidClaim = "uid-claim", row 0;
    SignatureUnchecked = "signature-unchecked", row 0;
    RbacNoBinding = "rbac-no-binding", row 0;
    Forbidden = "forbidden", row 0;
    ClusterUnreachable = "cluster-unreachable", row 0;
    CelNotSimulated = "cel-not-simulated", row 0;
}

impl Serialize for FindingId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    pub fn new(
        id: FindingId,
        severity: Severity,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            id,
            severity,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's finding table and the catalog list the same ids, with the same rows.
    #[test]
    fn the_readme_table_is_the_catalog() {
        let readme = include_str!("../../README.md");
        let table = readme
            .split("Finding ids are stable.")
            .nth(1)
            .unwrap()
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'));
        let mut listed = std::collections::BTreeMap::new();
        for line in table {
            // `| id, id | row(s) | | id | row(s) |`: two columns of (ids, rows) pairs.
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            for pair in cells[1..].chunks(3) {
                let [ids, rows, ..] = pair else { continue };
                for id in ids.split('`').skip(1).step_by(2) {
                    listed.insert(id.to_owned(), rows.to_string());
                }
            }
        }
        for id in FindingId::ALL {
            let rows = listed
                .remove(id.as_str())
                .unwrap_or_else(|| panic!("{id} is missing from the README's table"));
            let row = id.catalog_row();
            let want = if row == 0 {
                "-".to_owned()
            } else {
                row.to_string()
            };
            assert!(
                rows.split(", ").any(|r| r == want),
                "the README gives {id} row(s) {rows}, the catalog {want}"
            );
        }
        assert!(
            listed.is_empty(),
            "the README lists ids the catalog lacks: {listed:?}"
        );
    }
}
