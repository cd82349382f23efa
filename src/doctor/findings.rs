//! PURE. A finding: one thing `debug-token` noticed, with a stable id, a severity, a one-line
//! message and the fix. The ids are stable across releases (support tickets quote them); the
//! table in README.md maps each to its row of the spec's misconfiguration catalog (§6).

use serde::Serialize;

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    pub fn new(
        id: &'static str,
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

/// Every id this program can emit, with the spec §6 catalog row it implements (0: not a row).
pub const CATALOG: &[(&str, u8)] = &[
    ("default-username-prefix", 1),
    ("prefix-mismatch", 2),
    ("config-invalid", 3),
    ("email-not-verified", 4),
    ("groups-claim-missing", 5),
    ("groups-claim-shape", 6),
    ("group-name-form", 7),
    ("audience-mismatch", 8),
    ("access-token", 9),
    ("issuer-mismatch", 10),
    ("azure-issuer-version", 11),
    ("azure-group-overage", 12),
    ("cognito-groups", 13),
    ("google-no-groups", 14),
    ("dex-encoded-sub", 15),
    ("issuer-tls", 16),
    ("token-expired", 17),
    ("token-not-yet-valid", 17),
    ("clock-skew", 17),
    ("unsupported-alg", 18),
    ("unknown-kid", 19),
    ("signature-invalid", 19),
    ("required-claim", 20),
    ("cel-rule-failed", 21),
    ("system-prefix", 22),
    ("oidc-not-configured", 23),
    ("http-issuer", 24),
    ("token-not-sent", 26),
    ("exec-config", 27),
    ("invalid-bearer-token-only", 28),
    ("malformed-token", 0),
    ("username-claim", 0),
    ("uid-claim", 0),
    ("signature-unchecked", 0),
    ("discovery-failed", 16),
    ("rbac-near-miss", 1),
    ("rbac-no-binding", 0),
    ("server-disagrees", 0),
    ("unauthorized", 0),
    ("forbidden", 0),
];
