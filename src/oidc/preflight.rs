//! The authorization request, sent once by us before the browser opens it. A provider that
//! refuses the request outright (an unknown client, a redirect URI it does not know) shows
//! that on a page, never to the loopback listener (RFC 6749 4.1.2.1: it must not redirect to an
//! unverified URI), so without this the CLI would wait out its timeout while the user reads an
//! error page, or, without a terminal, while nobody does. Pure: the answer in, the verdict out
//! (the request itself is in `auth/authcode.rs`).
//!
//! Only a clear refusal stops the login: a 400 (what an authorization endpoint answers a
//! request it will not serve), another 4xx naming an OAuth error, or a redirect carrying
//! `error=`. Anything else (a login page, a redirect to one, 401 from a Kerberos proxy, 403 from
//! a bot filter, 429, 5xx, no answer) lets the browser go on as before.

use crate::error::{Endpoint, Failure, ProviderError};

/// What the refusal is about, for the hint the caller adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// The redirect URI is not registered for the client.
    RedirectUri,
    /// The client is unknown, or may not use this flow.
    Client,
    /// Something else (a scope, a parameter).
    Other,
}

/// A refusal of the authorization request: the HTTP status, the OAuth error code and
/// description when the provider gave them, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: Option<String>,
    pub description: Option<String>,
    pub about: About,
}

impl Refusal {
    /// The refusal as a classified failure of the authorization request.
    pub fn error(&self, issuer: &str, client_id: &str) -> ProviderError {
        let failure = match &self.code {
            Some(code) => Failure::OAuth(code.clone()),
            None => Failure::Status(self.status),
        };
        let code = self.code.as_deref().map(|c| format!(", {c}"));
        let description = self.description.as_deref().map(|d| format!(": {d}"));
        let detail = format!(
            "HTTP {}{}{}",
            self.status,
            code.unwrap_or_default(),
            description.unwrap_or_default()
        );
        ProviderError::new(Endpoint::Authorization, failure, detail).about(|verb| {
            format!(
                "{issuer} {verb} the login request of the client {client_id} before any browser \
                 opened"
            )
        })
    }
}

/// OAuth error codes (and Entra's AADSTS numbers) that say the request itself was refused,
/// and what each is about.
const CODES: [(&str, About); 12] = [
    ("invalid_redirect_uri", About::RedirectUri),
    ("redirect_uri_mismatch", About::RedirectUri),
    ("redirect_mismatch", About::RedirectUri),
    ("AADSTS50011", About::RedirectUri),
    ("AADSTS500113", About::RedirectUri),
    ("invalid_client", About::Client),
    ("unauthorized_client", About::Client),
    ("AADSTS700016", About::Client),
    ("invalid_request", About::Other),
    ("invalid_scope", About::Other),
    ("unsupported_response_type", About::Other),
    ("access_denied", About::Other),
];

/// The longest description kept from a provider's page.
const MAX_DESCRIPTION: usize = 200;

/// The verdict on the provider's answer to the authorization request (`location`: its
/// Location header; `redirect`: the redirect URI the request carried). `None`: go on.
pub fn judge(status: u16, location: Option<&str>, body: &[u8], redirect: &str) -> Option<Refusal> {
    match status {
        300..=399 => location.and_then(|l| redirected_error(status, l, redirect)),
        401 | 407 | 429 => None,
        400..=499 => {
            let text = page_text(body);
            let refusal = from_page(status, &text);
            match refusal.code {
                None if status != 400 => None,
                _ => Some(refusal),
            }
        }
        _ => None,
    }
}

/// A redirect whose query (or fragment) carries `error=`: to our redirect URI (the provider
/// verified it: an error of the request, such as `invalid_scope`), or to the provider's own
/// error page (Cognito's `/error?error=redirect_mismatch`).
fn redirected_error(status: u16, location: &str, redirect: &str) -> Option<Refusal> {
    let target = url::Url::parse(location)
        .or_else(|_| url::Url::parse(redirect).and_then(|r| r.join(location)))
        .ok()?;
    let mut pairs: Vec<(String, String)> = target.query_pairs().into_owned().collect();
    if let Some(fragment) = target.fragment() {
        pairs.extend(url::form_urlencoded::parse(fragment.as_bytes()).into_owned());
    }
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let code = get("error")?;
    let about = CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(About::Other, |(_, a)| *a);
    Some(Refusal {
        status,
        description: get("error_description").map(|d| clip(&d)),
        code: Some(code),
        about,
    })
}

/// What a refusal page says: the first OAuth error code on it, an `error_description` after
/// it, and whether it is about the redirect URI (a page naming `redirect_uri` without a code:
/// Keycloak's "Invalid parameter: redirect_uri", Dex's "Unregistered redirect_uri").
fn from_page(status: u16, text: &str) -> Refusal {
    let found = CODES
        .iter()
        .filter_map(|(c, a)| text.find(c).map(|at| (at, *c, *a)))
        .min_by_key(|(at, ..)| *at);
    let redirect_named = text.to_ascii_lowercase().contains("redirect_uri")
        || text.to_ascii_lowercase().contains("redirect uri");
    let about = match found {
        Some((.., a)) => a,
        None if redirect_named => About::RedirectUri,
        None => About::Other,
    };
    Refusal {
        status,
        code: found.map(|(_, c, _)| c.to_owned()),
        description: described(text),
        about,
    }
}

/// The text after `error_description` (`: ...`, `=...`, `":"..."`), up to the line's end.
fn described(text: &str) -> Option<String> {
    let at = text.find("error_description")? + "error_description".len();
    let rest = text[at..].trim_start_matches(['"', ':', '=', ' ', '\n']);
    let line = rest
        .lines()
        .next()?
        .trim()
        .trim_end_matches(['"', ',', '}']);
    (!line.is_empty()).then(|| clip(line))
}

/// Tags that end a line of a page's text.
const BLOCKS: [&str; 14] = [
    "br", "div", "p", "pre", "li", "tr", "td", "h1", "h2", "h3", "title", "section", "main", "form",
];

/// A page's text: tags dropped (a block's one ends a line, so one field's words never run into
/// the next's), entities of HTML's escaping undone, lossy UTF-8.
fn page_text(body: &[u8]) -> String {
    let html = String::from_utf8_lossy(body);
    let mut text = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("");
                if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) {
                    text.push('\n');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => text.push(c),
        }
    }
    [
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |t, (from, to)| t.replace(from, to))
}

/// At most [`MAX_DESCRIPTION`] characters of a provider's words, control characters dropped.
fn clip(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    match clean.char_indices().nth(MAX_DESCRIPTION) {
        Some((at, _)) => format!("{}...", &clean[..at]),
        None => clean,
    }
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
