//! One user entry for many clusters: what a cluster chooses for itself.
//!
//! With `provideClusterInfo: true` in the exec entry, kubectl passes the cluster's extension
//! named `client.authentication.k8s.io/exec` as `KUBERNETES_EXEC_INFO.spec.cluster.config`.
//! Its keys are get-token flags, as written on the command line without the dashes; only the
//! flags that decide who the token is for may be chosen per cluster ([`KEYS`]). A cluster's
//! client ID replaces the entry's; its scopes and parameters are added to the entry's (a
//! parameter it names replaces the entry's values of that parameter). What the cluster chose is
//! thus part of the entry's flags, so of its cache key: the fast path still reads one entry.
//! Pure: the caller passes the config as kubectl gave it.

use serde_json::Value as Json;

use super::EntryArgs;

/// The extension's name in a kubeconfig cluster (client-go's `clusterExtensionKey`).
pub const EXTENSION: &str = "client.authentication.k8s.io/exec";

/// The flags a cluster may choose, and whether each takes a list.
pub const KEYS: &[(&str, bool)] = &[
    ("oidc-client-id", false),
    ("oidc-extra-scope", true),
    ("oidc-auth-request-extra-params", true),
];

/// The authorization request's parameters that kubectl-oidc sets itself.
const PROTOCOL_PARAMS: &[&str] = &[
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "request",
    "request_uri",
];

/// What one cluster chose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    pub client_id: Option<String>,
    pub extra_scopes: Vec<String>,
    /// `KEY=VALUE`, as the flag takes them.
    pub extra_params: Vec<String>,
}

impl Choice {
    /// The cluster's config (`spec.cluster.config`; absent or `null`: no choice). An unknown
    /// key or a value of the wrong type is refused with what the cluster may say.
    pub fn from_config(config: Option<&Json>) -> Result<Self, String> {
        let object = match config {
            None | Some(Json::Null) => return Ok(Self::default()),
            Some(Json::Object(o)) => o,
            Some(other) => {
                return Err(format!(
                    "the cluster's {EXTENSION} extension is {}, not an object of get-token flags",
                    kind(other)
                ));
            }
        };
        let mut choice = Self::default();
        for (key, value) in object {
            let values = strings(value).ok_or_else(|| {
                format!(
                    "the cluster's {EXTENSION} extension sets {key:?} to {}: give a string or a \
                     list of strings",
                    kind(value)
                )
            })?;
            match key.as_str() {
                "oidc-client-id" => match values.as_slice() {
                    [one] if !one.is_empty() => choice.client_id = Some(one.clone()),
                    _ => {
                        return Err(format!(
                            "the cluster's {EXTENSION} extension sets \"oidc-client-id\" to \
                             {value}: give one client ID"
                        ));
                    }
                },
                "oidc-extra-scope" => choice.extra_scopes = split(values),
                "oidc-auth-request-extra-params" => {
                    let values = split(values);
                    if let Some(bad) = values.iter().find(|p| !p.contains('=')) {
                        return Err(format!(
                            "the cluster's {EXTENSION} extension gives the parameter {bad:?}: \
                             write KEY=VALUE"
                        ));
                    }
                    // The request's own parameters are the plugin's: a cluster's entry (often
                    // a file from someone else) must not send the code elsewhere or replace
                    // the state, nonce or PKCE challenge.
                    if let Some(own) = values.iter().find_map(|p| {
                        let key = p.split_once('=').map_or("", |(k, _)| k);
                        PROTOCOL_PARAMS.contains(&key).then_some(key)
                    }) {
                        return Err(format!(
                            "the cluster's {EXTENSION} extension sets the authorization \
                             request's own parameter {own:?}, which only kubectl-oidc sets"
                        ));
                    }
                    choice.extra_params = values;
                }
                _ => {
                    return Err(format!(
                        "the cluster's {EXTENSION} extension sets {key:?}, which a cluster cannot \
                         choose; it may set {}",
                        names()
                    ));
                }
            }
        }
        Ok(choice)
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The entry's flags with this cluster's choice on top.
    pub fn apply(&self, entry: &mut EntryArgs) {
        if let Some(id) = &self.client_id {
            entry.oidc_client_id = Some(id.clone());
        }
        entry
            .oidc_extra_scope
            .extend(self.extra_scopes.iter().cloned());
        let named = |p: &String| p.split_once('=').map(|(k, _)| k.to_owned());
        let chosen: Vec<String> = self.extra_params.iter().filter_map(named).collect();
        entry
            .oidc_auth_request_extra_params
            .retain(|p| named(p).is_none_or(|k| !chosen.contains(&k)));
        entry
            .oidc_auth_request_extra_params
            .extend(self.extra_params.iter().cloned());
    }

    /// The extension's config for `setup --cluster-setting KEY=VALUE ...`: a list key's
    /// values as a list, in the order given.
    pub fn config_of(settings: &[String]) -> Result<Json, String> {
        let mut object = serde_json::Map::new();
        for setting in settings {
            let Some((key, value)) = setting.split_once('=') else {
                return Err(format!("--cluster-setting {setting:?}: write FLAG=VALUE"));
            };
            let key = key.trim_start_matches("--");
            let Some(&(_, list)) = KEYS.iter().find(|(k, _)| *k == key) else {
                return Err(format!(
                    "--cluster-setting {setting:?}: a cluster cannot choose {key:?}; it may set {}",
                    names()
                ));
            };
            match (list, object.get_mut(key)) {
                (true, Some(Json::Array(values))) => values.push(value.into()),
                (true, _) => {
                    object.insert(key.to_owned(), Json::Array(vec![value.into()]));
                }
                (false, Some(_)) => {
                    return Err(format!("--cluster-setting gives {key:?} twice"));
                }
                (false, None) => {
                    object.insert(key.to_owned(), value.into());
                }
            }
        }
        let config = Json::Object(object);
        Self::from_config(Some(&config))?;
        Ok(config)
    }
}

fn names() -> String {
    KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
}

/// A string, or a list of strings.
fn strings(value: &Json) -> Option<Vec<String>> {
    match value {
        Json::String(s) => Some(vec![s.clone()]),
        Json::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => None,
    }
}

/// A list flag's values split at commas, as clap splits the flag's.
fn split(values: Vec<String>) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
