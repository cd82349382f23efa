//! The AuthenticationConfiguration file format (spec §3.1), decoded strictly like the API
//! server's strict decoder: an unknown field is an error.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileConfig {
    pub(super) api_version: String,
    pub(super) kind: String,
    #[serde(default)]
    pub(super) jwt: Vec<FileJwt>,
    /// 1.31+; validated, not replayed (anonymous requests carry no token).
    #[serde(default)]
    pub(super) anonymous: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileJwt {
    pub(super) issuer: FileIssuer,
    #[serde(default)]
    pub(super) claim_validation_rules: Vec<FileClaimRule>,
    pub(super) claim_mappings: FileMappings,
    #[serde(default)]
    pub(super) user_validation_rules: Vec<FileUserRule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileIssuer {
    pub(super) url: String,
    #[serde(default, rename = "discoveryURL")]
    pub(super) discovery_url: Option<String>,
    #[serde(default)]
    pub(super) certificate_authority: Option<String>,
    #[serde(default)]
    pub(super) audiences: Vec<String>,
    #[serde(default)]
    pub(super) audience_match_policy: Option<String>,
    /// Routes the API server's fetches (1.34+); validated, no effect on the replay.
    #[serde(default)]
    pub(super) egress_selector_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileClaimRule {
    #[serde(default)]
    pub(super) claim: Option<String>,
    #[serde(default)]
    pub(super) required_value: Option<String>,
    #[serde(default)]
    pub(super) expression: Option<String>,
    #[serde(default)]
    pub(super) message: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileMappings {
    pub(super) username: FilePrefixed,
    #[serde(default)]
    pub(super) groups: Option<FilePrefixed>,
    #[serde(default)]
    pub(super) uid: Option<FileSource>,
    #[serde(default)]
    pub(super) extra: Vec<FileExtra>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FilePrefixed {
    #[serde(default)]
    pub(super) claim: Option<String>,
    #[serde(default)]
    pub(super) expression: Option<String>,
    #[serde(default)]
    pub(super) prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileSource {
    #[serde(default)]
    pub(super) claim: Option<String>,
    #[serde(default)]
    pub(super) expression: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct FileExtra {
    pub(super) key: String,
    pub(super) value_expression: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileUserRule {
    pub(super) expression: String,
    #[serde(default)]
    pub(super) message: Option<String>,
}
