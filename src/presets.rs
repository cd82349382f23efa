//! The provider profiles (`--provider`): what each OpenID provider needs beyond the standard
//! (scopes, parameters, PKCE, redirect host), what it does that people trip on (where its
//! groups are, when it sends a refresh token), and its detection from the issuer URL. One
//! table, read by settings (the login), auth's messages and the doctor alike. Pure: no I/O.
//!
//! Precedence: a flag or variable beats a preset, which beats the default. For scopes and
//! authorization parameters a preset adds what the provider needs to what the user asked
//! for; only a scope the provider refuses outright is taken away (with a notice).

/// A provider with a preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Generic,
    Cognito,
    Entra,
    Google,
    Okta,
    Keycloak,
    Dex,
}

impl Provider {
    pub const ALL: [Provider; 7] = [
        Provider::Generic,
        Provider::Cognito,
        Provider::Entra,
        Provider::Google,
        Provider::Okta,
        Provider::Keycloak,
        Provider::Dex,
    ];

    /// The provider of this name (`--provider`'s spelling).
    pub fn from_name(name: &str) -> Option<Provider> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The provider's name in prose.
    pub fn title(self) -> &'static str {
        match self {
            Provider::Generic => "the provider",
            Provider::Cognito => "Cognito",
            Provider::Entra => "Entra ID",
            Provider::Google => "Google",
            Provider::Okta => "Okta",
            Provider::Keycloak => "Keycloak",
            Provider::Dex => "Dex",
        }
    }

    /// What its preset does, for `--provider`'s help.
    pub fn help(self) -> &'static str {
        match self {
            Provider::Generic => "No preset",
            Provider::Cognito => {
                "Amazon Cognito: no offline_access (it answers invalid_scope); localhost redirect URI"
            }
            Provider::Entra => "Microsoft Entra ID: offline_access, PKCE S256",
            Provider::Google => {
                "Google: access_type=offline and prompt=consent, for a refresh token"
            }
            Provider::Okta => "Okta: offline_access",
            Provider::Keycloak => "Keycloak: nothing beyond the standard",
            Provider::Dex => "Dex: offline_access and groups",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::Generic => "generic",
            Provider::Cognito => "cognito",
            Provider::Entra => "entra",
            Provider::Google => "google",
            Provider::Okta => "okta",
            Provider::Keycloak => "keycloak",
            Provider::Dex => "dex",
        }
    }
}

/// What a preset sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Preset {
    /// Scopes added to the request.
    pub add_scopes: &'static [&'static str],
    /// Scopes the provider refuses (`invalid_scope`): removed, with a notice.
    pub refused_scopes: &'static [&'static str],
    /// Authorization request parameters added unless the user set the same key.
    pub params: &'static [(&'static str, &'static str)],
    /// PKCE S256 even though discovery does not advertise it.
    pub pkce_s256: bool,
    /// The host of the default redirect URI when the provider accepts plain http only for it.
    pub redirect_host: Option<&'static str>,
    /// The claim its id_tokens carry groups in; `None`: its id_tokens carry no groups at all.
    pub groups_claim: Option<&'static str>,
    /// When it sends a refresh token: `(asked for offline_access, not asked)`; `None` for the
    /// general advice.
    pub refresh_token: (Option<&'static str>, Option<&'static str>),
    /// It may send groups as full paths (`/parent/child`): where that is turned off.
    pub group_paths: Option<&'static str>,
}

const GROUPS: Option<&str> = Some("groups");

/// What a preset changed of the user's request: the scopes it added, the scopes it removed
/// (the provider refuses them), the parameters it added.
pub type Added = (Vec<String>, Vec<String>, Vec<(String, String)>);

impl Preset {
    /// Add the preset's scopes and parameters below the user's own (a parameter the user set
    /// is kept), and remove the scopes the provider refuses; what changed, for the notes.
    /// Pure.
    pub fn apply(&self, scopes: &mut Vec<String>, params: &mut Vec<(String, String)>) -> Added {
        let mut added_scopes = Vec::new();
        for scope in self.add_scopes {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push((*scope).to_owned());
                added_scopes.push((*scope).to_owned());
            }
        }
        let refused = |s: &String| self.refused_scopes.contains(&s.as_str());
        let refused_scopes: Vec<String> = scopes.iter().filter(|s| refused(s)).cloned().collect();
        scopes.retain(|s| !refused(s));
        let mut added_params = Vec::new();
        for (k, v) in self.params {
            if !params.iter().any(|(key, _)| key == k) {
                params.push(((*k).to_owned(), (*v).to_owned()));
                added_params.push(((*k).to_owned(), (*v).to_owned()));
            }
        }
        (added_scopes, refused_scopes, added_params)
    }
}

pub fn preset(provider: Provider) -> Preset {
    match provider {
        Provider::Generic => Preset {
            groups_claim: GROUPS,
            ..Preset::default()
        },
        Provider::Keycloak => Preset {
            groups_claim: GROUPS,
            group_paths: Some("turn off \"Full group path\" in the Keycloak mapper"),
            refresh_token: (
                Some(
                    "Keycloak sends one unless the client's Advanced settings turn \"Use refresh tokens\" off; for offline_access the user needs the offline_access role",
                ),
                Some(
                    "Keycloak sends one unless the client's Advanced settings turn \"Use refresh tokens\" off",
                ),
            ),
            ..Preset::default()
        },
        // Cognito answers invalid_scope for offline_access, yet issues refresh tokens to the
        // authorization code grant; it takes http callback URLs only on localhost.
        Provider::Cognito => Preset {
            refused_scopes: &["offline_access"],
            redirect_host: Some("localhost"),
            groups_claim: Some("cognito:groups"),
            refresh_token: (COGNITO_REFRESH, COGNITO_REFRESH),
            ..Preset::default()
        },
        // Entra ID: refresh tokens for offline_access; PKCE required of public clients but not
        // advertised in discovery.
        Provider::Entra => Preset {
            add_scopes: &["offline_access"],
            pkce_s256: true,
            groups_claim: GROUPS,
            refresh_token: (
                Some(
                    "Entra ID sends one for offline_access unless the app registration or a conditional access policy prevents it",
                ),
                None,
            ),
            ..Preset::default()
        },
        // Google: a refresh token only with access_type=offline, and again on a later login only
        // with prompt=consent.
        Provider::Google => Preset {
            params: &[("access_type", "offline"), ("prompt", "consent")],
            groups_claim: None,
            refresh_token: (GOOGLE_REFRESH, GOOGLE_REFRESH),
            ..Preset::default()
        },
        Provider::Okta => Preset {
            add_scopes: &["offline_access"],
            groups_claim: GROUPS,
            refresh_token: (
                Some(
                    "Okta sends one only when the app integration allows the Refresh Token grant type (General Settings) and the authorization server's access policy rule allows it",
                ),
                None,
            ),
            ..Preset::default()
        },
        // Dex: refresh tokens for offline_access, the groups claim for groups.
        Provider::Dex => Preset {
            add_scopes: &["offline_access", "groups"],
            groups_claim: GROUPS,
            refresh_token: (
                Some("Dex sends one for offline_access when the connector supports refresh"),
                None,
            ),
            ..Preset::default()
        },
    }
}

const COGNITO_REFRESH: Option<&str> = Some(
    "Cognito sends one when the app client allows it: in the user pool's app client, enable ALLOW_REFRESH_TOKEN_AUTH and set a refresh token expiration (never ask for offline_access, which Cognito refuses)",
);
const GOOGLE_REFRESH: Option<&str> = Some(
    "Google sends one only with access_type=offline, and again on a later login only with prompt=consent: --provider=google sets both",
);

/// One line saying what the preset set, for a login (None when it set nothing): the scopes
/// and parameters it really added (not those the user had set), the scopes it dropped.
pub fn summary(
    provider: Provider,
    added_scopes: &[String],
    refused: &[String],
    added_params: &[(String, String)],
) -> Option<String> {
    let p = preset(provider);
    let mut parts = Vec::new();
    if !added_scopes.is_empty() {
        parts.push(format!("requests scope {}", added_scopes.join(" ")));
    }
    if !refused.is_empty() {
        parts.push(format!(
            "does not request {} (the provider answers invalid_scope for it)",
            refused.join(" ")
        ));
    }
    for (k, v) in added_params {
        parts.push(format!("sends {k}={v}"));
    }
    if p.pkce_s256 {
        parts.push("uses PKCE S256".to_owned());
    }
    if let Some(host) = p.redirect_host {
        parts.push(format!("redirects to http://{host}:PORT/callback"));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "provider preset {} (--provider to change): {}",
            provider.name(),
            parts.join(", ")
        )
    })
}

/// Who sent a group as a full path (`/parent/child`), and where that is turned off: the
/// issuer's provider when its profile says it may, else the one provider known to. Pure.
pub fn group_paths(issuer: &str) -> (&'static str, &'static str) {
    let detected = detect(issuer);
    let provider = match preset(detected).group_paths {
        Some(_) => detected,
        None => Provider::ALL
            .into_iter()
            .find(|p| preset(*p).group_paths.is_some())
            .unwrap_or(detected),
    };
    (
        provider.title(),
        preset(provider)
            .group_paths
            .unwrap_or("send the groups' names"),
    )
}

/// The claim a token carries only as a reference, which the API server never follows (§1.4):
/// a `_claim_names` entry for a claim the token lacks (Entra ID, for a user in more than 200
/// groups), or Entra ID's `hasgroups` (implicit flow). One detection, for the login's warning
/// and the doctor's finding. Pure.
pub fn overage_claim(claims: &serde_json::Map<String, serde_json::Value>) -> Option<&str> {
    if claims.get("hasgroups").is_some_and(|v| v == true) && !claims.contains_key("groups") {
        return Some("groups");
    }
    let names = claims.get("_claim_names")?.as_object()?;
    names
        .keys()
        .find(|k| !claims.contains_key(k.as_str()))
        .map(String::as_str)
}

/// The provider an issuer URL belongs to, by its well-known shapes.
pub fn detect(issuer: &str) -> Provider {
    // Google's id_tokens may carry the bare host as their iss.
    if issuer == "accounts.google.com" {
        return Provider::Google;
    }
    let Ok(url) = url::Url::parse(issuer) else {
        return Provider::Generic;
    };
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let path = url.path();
    if host.starts_with("cognito-idp.") && host.ends_with(".amazonaws.com") {
        Provider::Cognito
    } else if host == "login.microsoftonline.com"
        || host == "sts.windows.net"
        || host.ends_with(".ciamlogin.com")
    {
        Provider::Entra
    } else if host == "accounts.google.com" {
        Provider::Google
    } else if host.ends_with(".okta.com") || host.ends_with(".oktapreview.com") {
        Provider::Okta
    } else if path.starts_with("/realms/") || path.starts_with("/auth/realms/") {
        Provider::Keycloak
    } else if path.trim_end_matches('/').ends_with("/dex") || host.starts_with("dex.") {
        Provider::Dex
    } else {
        Provider::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_adds_below_the_users_flags_and_drops_what_the_provider_refuses() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        // Google: its parameters, but the user's own prompt is kept.
        let mut scopes = strings(&["email"]);
        let mut params = vec![pair("prompt", "select_account")];
        let added = preset(Provider::Google).apply(&mut scopes, &mut params);
        assert_eq!(
            params,
            [
                pair("prompt", "select_account"),
                pair("access_type", "offline")
            ]
        );
        assert_eq!(added.2, [pair("access_type", "offline")]);
        // Cognito refuses offline_access.
        let mut scopes = strings(&["email", "offline_access"]);
        let added = preset(Provider::Cognito).apply(&mut scopes, &mut Vec::new());
        assert_eq!(scopes, strings(&["email"]));
        assert_eq!(added.1, strings(&["offline_access"]));
        // Okta adds offline_access once.
        let mut scopes = strings(&["offline_access"]);
        let added = preset(Provider::Okta).apply(&mut scopes, &mut Vec::new());
        assert_eq!((scopes, added.0), (strings(&["offline_access"]), vec![]));
    }

    #[test]
    fn group_paths_are_the_profiles_keycloak_where_no_other_says_so() {
        let keycloak = (
            "Keycloak",
            "turn off \"Full group path\" in the Keycloak mapper",
        );
        assert_eq!(
            group_paths("https://sso.example.com/realms/staff"),
            keycloak
        );
        assert_eq!(group_paths("https://idp.example.com"), keycloak);
    }

    #[test]
    fn an_overage_is_a_reference_to_a_claim_the_token_lacks() {
        use serde_json::json;
        for (claims, want) in [
            (
                json!({"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {}}}),
                Some("groups"),
            ),
            (json!({"hasgroups": true}), Some("groups")),
            // A distributed claim that is also present is not an overage.
            (
                json!({"_claim_names": {"groups": "src1"}, "groups": ["a"]}),
                None,
            ),
            (json!({"hasgroups": true, "groups": ["a"]}), None),
            (json!({"hasgroups": false}), None),
            (json!({"groups": ["a"]}), None),
        ] {
            assert_eq!(overage_claim(claims.as_object().unwrap()), want, "{claims}");
        }
    }

    #[test]
    fn detection_by_issuer() {
        for (issuer, want) in [
            (
                "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI",
                Provider::Cognito,
            ),
            (
                "https://login.microsoftonline.com/0000-tenant/v2.0",
                Provider::Entra,
            ),
            ("https://sts.windows.net/0000-tenant/", Provider::Entra),
            ("https://accounts.google.com", Provider::Google),
            ("accounts.google.com", Provider::Google),
            ("https://example.okta.com/oauth2/default", Provider::Okta),
            ("https://example.oktapreview.com", Provider::Okta),
            ("https://sso.example.com/realms/staff", Provider::Keycloak),
            (
                "https://sso.example.com/auth/realms/staff",
                Provider::Keycloak,
            ),
            ("https://example.com/dex", Provider::Dex),
            ("https://dex.example.com", Provider::Dex),
            ("https://idp.example.com", Provider::Generic),
            ("http://127.0.0.1:5556", Provider::Generic),
            ("not a url", Provider::Generic),
        ] {
            assert_eq!(detect(issuer), want, "{issuer}");
        }
    }
}
