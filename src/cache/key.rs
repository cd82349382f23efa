//! The cache key: a digest of what determines *who* the token is for.
//!
//! Issuer, client id, scopes (set semantics, `openid` always in) and the extra authorization
//! parameters decide the identity a login produces. Secrets (the client secret), TLS and
//! network settings, timeouts, ports and browser flags do not, so changing them does not log
//! the user out (kubelogin hashes everything, and every flag change is a new login).

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    pub issuer: String,
    pub client_id: String,
    pub scopes: BTreeSet<String>,
    pub extra_params: Vec<(String, String)>,
    pub served: Served,
}

/// Which token the entry keeps for kubectl: different tokens of one login are different
/// entries, so a switch of flags never serves the other kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Served {
    #[default]
    IdToken,
    /// `--oidc-use-access-token`.
    AccessToken,
    /// `--grant-type=token-exchange`: the token exchanged for one subject token (its SHA-256,
    /// hex), so that another subject (the next CI job) is never served this one's token.
    Exchanged(String),
}

impl CacheKey {
    pub fn new(
        issuer: &str,
        client_id: &str,
        extra_scopes: &[String],
        extra_params: &[(String, String)],
    ) -> Self {
        let mut scopes: BTreeSet<String> = extra_scopes
            .iter()
            .flat_map(|s| s.split([',', ' ']))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        scopes.insert("openid".to_owned());
        let mut params = extra_params.to_vec();
        params.sort();
        params.dedup();
        Self {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            scopes,
            extra_params: params,
            served: Served::IdToken,
        }
    }

    pub fn serving(self, served: Served) -> Self {
        Self { served, ..self }
    }

    /// A stable 32-hex-character name for files and keyring entries.
    pub fn digest(&self) -> String {
        // Length-prefix every field so that no two different keys serialize the same.
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        field("kubectl-oidc cache key v1");
        field(&self.issuer);
        field(&self.client_id);
        for s in &self.scopes {
            field(s);
        }
        field("params");
        for (k, v) in &self.extra_params {
            field(k);
            field(v);
        }
        // Nothing for an id_token: the keys of existing caches stay as they were.
        match &self.served {
            Served::IdToken => {}
            Served::AccessToken => field("served access_token"),
            Served::Exchanged(subject) => {
                field("served exchanged");
                field(subject);
            }
        }
        crate::text::hex(&h.finalize()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(issuer: &str, client: &str, scopes: &[&str], params: &[(&str, &str)]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CacheKey::new(issuer, client, &scopes, &params).digest()
    }

    #[test]
    fn same_identity_same_key() {
        let base = key(
            "https://idp",
            "kube",
            &["email", "groups"],
            &[("prompt", "login")],
        );
        let same = [
            key(
                "https://idp",
                "kube",
                &["groups", "email"],
                &[("prompt", "login")],
            ),
            key(
                "https://idp",
                "kube",
                &["groups,email", "openid"],
                &[("prompt", "login")],
            ),
            key(
                "https://idp",
                "kube",
                &["email groups", "email"],
                &[("prompt", "login"), ("prompt", "login")],
            ),
        ];
        for k in same {
            assert_eq!(k, base);
        }
        assert_eq!(base.len(), 32);
    }

    #[test]
    fn different_identity_different_key() {
        let base = key("https://idp", "kube", &["email"], &[]);
        let different = [
            key("https://idp/", "kube", &["email"], &[]), // trailing slash is another issuer
            key("https://idp", "kube2", &["email"], &[]),
            key("https://idp", "kube", &["email", "groups"], &[]),
            key("https://idp", "kube", &["email"], &[("login_hint", "bob")]),
            // field boundaries are unambiguous
            key("https://idpk", "ube", &["email"], &[]),
        ];
        let k = |served| {
            CacheKey::new("https://idp", "kube", &["email".into()], &[])
                .serving(served)
                .digest()
        };
        assert_eq!(
            k(Served::IdToken),
            base,
            "an id_token entry keeps its old key"
        );
        let different = different.into_iter().chain([
            k(Served::AccessToken),
            k(Served::Exchanged("a".into())),
            k(Served::Exchanged("b".into())),
        ]);
        let mut all: Vec<String> = different.collect();
        all.push(base.clone());
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "every key differs from every other");
    }
}
