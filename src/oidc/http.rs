//! A synchronous HTTP client for openidconnect/oauth2, around ureq 3. No async runtime.
//!
//! Why our own adapter: oauth2's built-in ureq client turns a 400 `{"error":"invalid_grant"}`
//! into a transport error (notes/crates.md §1), and the refresh path must tell a revoked
//! refresh token apart from a network failure. Here every HTTP status is a normal response
//! and oauth2 parses the OAuth error body.
//!
//! TLS: the system roots (plus `SSL_CERT_FILE`/`SSL_CERT_DIR`) and every extra CA file or
//! base64 PEM the caller gives. Verification is on unless `--insecure-skip-tls-verify`.
//! Proxies come from `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` (ureq reads them).

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use openidconnect::http;
use openidconnect::{HttpRequest, HttpResponse};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::error::{Failure, Kind, ResultExt as _};

/// Where the trust for the provider's certificate comes from.
#[derive(Debug, Clone, Default)]
pub struct TlsSettings {
    pub ca_files: Vec<PathBuf>,
    /// Base64 of PEM, as in a kubeconfig's `certificate-authority-data`.
    pub ca_data: Vec<String>,
    pub insecure_skip_verify: bool,
    /// What a kubeconfig entry's variables change of this process's environment.
    pub entry_env: EntryEnv,
}

/// The system's roots and the proxy as a kubeconfig exec entry's variables set them (login
/// and logout through a context): each `None` where the entry sets none of its variables, and
/// this process's environment is read as usual.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EntryEnv {
    /// `SSL_CERT_FILE`, and `SSL_CERT_DIR` split.
    pub cert_paths: Option<(Option<PathBuf>, Vec<PathBuf>)>,
    /// The proxy URL (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`) and `NO_PROXY`.
    pub proxy: Option<(Option<String>, Option<String>)>,
}

/// An HTTP failure, with the URL involved (never its query, which may carry secrets).
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// `request`: the method and URL, and ` through the proxy HOST:PORT` when one carried it
    /// (never its credentials).
    #[error("{request}: {source}")]
    Failed {
        request: String,
        #[source]
        source: ureq::Error,
    },
    /// Not sent: plain http to another machine ([`super::transport`]).
    #[error("{0}")]
    Refused(String),
}

impl HttpError {
    /// What this failure was, for [`crate::error::classify`]: not sent (plain http to
    /// another machine), a certificate this machine does not trust, no answer in time, or no
    /// answer at all.
    pub fn failure(&self) -> Failure {
        match self {
            HttpError::Refused(_) => Failure::NotSent,
            HttpError::Failed {
                source: ureq::Error::Timeout(_),
                ..
            } => Failure::Timeout,
            HttpError::Failed { source, .. } if untrusted_certificate(source) => {
                Failure::UntrustedCertificate
            }
            HttpError::Failed { .. } => Failure::Unreachable,
        }
    }
}

/// The system's roots: from the entry's `SSL_CERT_FILE`/`SSL_CERT_DIR` when it sets them,
/// else as rustls-native-certs finds them. Unreadable ones are not fatal: a private CA may
/// still do.
fn system_roots(env: &EntryEnv) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    let Some((file, dirs)) = &env.cert_paths else {
        return rustls_native_certs::load_native_certs().certs;
    };
    let mut certs = rustls_native_certs::load_certs_from_paths(file.as_deref(), None).certs;
    for dir in dirs {
        certs.extend(rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs);
    }
    certs
}

/// Without the proxy URL, which may hold a password.
impl std::fmt::Debug for EntryEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryEnv")
            .field("cert_paths", &self.cert_paths)
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// The entry's proxy, with its `NO_PROXY` exceptions (ureq's own parsing of both).
fn proxy(url: Option<&str>, no_proxy: Option<&str>) -> anyhow::Result<Option<ureq::Proxy>> {
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let parsed = ureq::Proxy::new(url)
        .with_context(|| format!("the kubeconfig entry's proxy {:?}", redact_userinfo(url)))?;
    let mut builder = ureq::Proxy::builder(parsed.protocol())
        .host(parsed.host())
        .port(parsed.port());
    if let Some(user) = parsed.username() {
        builder = builder.username(user);
    }
    if let Some(password) = parsed.password() {
        builder = builder.password(password);
    }
    for except in no_proxy.into_iter().flat_map(|n| n.split(',')) {
        builder = builder.no_proxy(except);
    }
    Ok(Some(builder.build()?))
}

/// A proxy URL without its credentials, for a message.
fn redact_userinfo(url: &str) -> String {
    match url.rsplit_once('@') {
        Some((_, host)) => format!("<credentials>@{host}"),
        None => url.to_owned(),
    }
}

pub struct HttpClient {
    agent: ureq::Agent,
    /// Sent with every request (`--oidc-request-header`), validated by the caller.
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// `--insecure-skip-tls-verify`: plain http to another machine is sent too.
    insecure: bool,
}

/// Largest response body we read: discovery documents and JWKS are a few KB.
const MAX_BODY: u64 = 1 << 20;

impl HttpClient {
    /// A client trusting `tls`; an unreadable or invalid CA is a configuration error.
    pub fn new(tls: &TlsSettings, timeout: Duration) -> anyhow::Result<Self> {
        Self::build(tls, timeout).kind(Kind::Config)
    }

    fn build(tls: &TlsSettings, timeout: Duration) -> anyhow::Result<Self> {
        let mut roots: Vec<Certificate<'static>> = Vec::new();
        if !tls.insecure_skip_verify {
            // Unreadable system certificates are not fatal: a private CA may still do.
            roots.extend(
                system_roots(&tls.entry_env)
                    .iter()
                    .map(|c| Certificate::from_der(c.as_ref()).to_owned()),
            );
            for path in &tls.ca_files {
                let pem = fs::read(path)
                    .with_context(|| format!("cannot read the CA file {}", path.display()))?;
                roots.extend(
                    pem_certificates(&pem)
                        .with_context(|| format!("the CA file {}", path.display()))?,
                );
            }
            for (i, data) in tls.ca_data.iter().enumerate() {
                let pem = base64::engine::general_purpose::STANDARD
                    .decode(data.trim())
                    .with_context(|| format!("CA data #{} is not base64", i + 1))?;
                roots
                    .extend(pem_certificates(&pem).with_context(|| format!("CA data #{}", i + 1))?);
            }
        }
        let tls_config = TlsConfig::builder()
            .root_certs(RootCerts::from(roots))
            .disable_verification(tls.insecure_skip_verify)
            .build();
        let mut config = ureq::Agent::config_builder();
        if let Some((url, no_proxy)) = &tls.entry_env.proxy {
            config = config.proxy(proxy(url.as_deref(), no_proxy.as_deref())?);
        }
        let config = config
            .tls_config(tls_config)
            .http_status_as_error(false)
            // Following redirects from a token endpoint invites SSRF (openidconnect's advice).
            .max_redirects(0)
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .timeout_global(Some(timeout))
            .user_agent(concat!("kubectl-oidc/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            agent: ureq::Agent::new_with_config(config),
            headers: Vec::new(),
            insecure: tls.insecure_skip_verify,
        })
    }

    /// Send these headers with every request too (an `Origin` for Entra ID SPA clients, say).
    pub fn with_headers(mut self, headers: &[(String, String)]) -> anyhow::Result<Self> {
        for (k, v) in headers {
            let name = http::HeaderName::from_bytes(k.as_bytes())
                .with_context(|| format!("{k:?} is not an HTTP header name"))?;
            let value = http::HeaderValue::from_str(v)
                .with_context(|| format!("the value of header {k} is not valid in HTTP"))?;
            self.headers.push((name, value));
        }
        Ok(self)
    }

    fn call(&self, mut request: HttpRequest) -> Result<HttpResponse, HttpError> {
        for (name, value) in &self.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        let method = request.method().to_string();
        let uri = request.uri();
        let url = format!(
            "{}://{}{}",
            uri.scheme_str().unwrap_or("https"),
            uri.authority().map(|a| a.as_str()).unwrap_or(""),
            uri.path()
        );
        // Every request to the provider, whichever endpoint it names, under one rule: https,
        // or plain http to loopback only (unless TLS verification is off).
        super::transport::check(&format!("{method} {url}"), &url, self.insecure)
            .map_err(HttpError::Refused)?;
        // A proxy from the environment (HTTPS_PROXY, ...) is named in a failure: "connection
        // refused" from a dead proxy otherwise reads as the provider's.
        let via = match self.agent.config().proxy() {
            Some(p) if !p.is_no_proxy(uri) => {
                format!(" through the proxy {}:{}", p.host(), p.port())
            }
            _ => String::new(),
        };
        let fail = |source| HttpError::Failed {
            request: format!("{method} {url}{via}"),
            source,
        };
        let started = std::time::Instant::now();
        let response = self.agent.run(request).map_err(|e| {
            crate::ui::trace(1, || format!("http: {method} {url} failed: {e}"));
            fail(e)
        })?;
        crate::ui::trace(1, || {
            format!(
                "http: {method} {url} -> {} ({} ms)",
                response.status(),
                started.elapsed().as_millis()
            )
        });
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(fail)?;
        Ok(HttpResponse::from_parts(parts, lenient_expires_in(bytes)))
    }
}

/// Some providers send `expires_in` as a string (`"3600"`). RFC 6749 §5.1 says a number and
/// oauth2 refuses anything else, which would fail a login or refresh whose tokens are fine
/// (and spend a rotated refresh token): a JSON object whose `expires_in` is a string of
/// digits gets the number it spells. Token and device answers alike; other bodies are
/// passed on untouched.
fn lenient_expires_in(body: Vec<u8>) -> Vec<u8> {
    if !body.windows(12).any(|w| w == b"\"expires_in\"") {
        return body;
    }
    let Ok(serde_json::Value::Object(mut doc)) = serde_json::from_slice(&body) else {
        return body;
    };
    let Some(seconds) = doc
        .get("expires_in")
        .and_then(|v| v.as_str())
        .and_then(|s| s.trim().parse::<u64>().ok())
    else {
        return body;
    };
    doc.insert("expires_in".to_owned(), seconds.into());
    serde_json::to_vec(&doc).unwrap_or(body)
}

impl HttpClient {
    /// A plain request (debug-token's discovery, JWKS and Kubernetes API calls): the status
    /// and the body. Headers may carry a bearer token; errors never show headers or queries.
    pub fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let response = self.request(method, url, headers, body)?;
        Ok((response.status().as_u16(), response.into_body()))
    }

    /// A request and the whole response (its headers too), or how it failed.
    pub fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<HttpResponse, HttpError> {
        let mut request = openidconnect::http::Request::builder()
            .method(method)
            .uri(url);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let request = request.body(body).map_err(|e| {
            HttpError::Refused(format!("{method} {url}: not a valid request ({e})"))
        })?;
        self.call(request)
    }
}

impl openidconnect::SyncHttpClient for HttpClient {
    type Error = HttpError;
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, Self::Error> {
        HttpClient::call(self, request)
    }
}

/// rustls refused the peer's certificate (an unknown issuer, expired, another name): typed,
/// as ureq hands it over (its own variant, or inside the I/O error of the handshake).
fn untrusted_certificate(e: &ureq::Error) -> bool {
    let tls = match e {
        ureq::Error::Rustls(tls) => Some(tls),
        ureq::Error::Io(io) => io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()),
        _ => None,
    };
    matches!(tls, Some(rustls::Error::InvalidCertificate(_)))
}

fn pem_certificates(pem: &[u8]) -> anyhow::Result<Vec<Certificate<'static>>> {
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        if let PemItem::Certificate(c) = item.context("not valid PEM")? {
            certs.push(c);
        }
    }
    if certs.is_empty() {
        bail!("no PEM certificate found");
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::lenient_expires_in;

    #[test]
    fn expires_in_as_a_string_of_digits_becomes_a_number() {
        let fix = |s: &str| {
            serde_json::from_slice::<serde_json::Value>(&lenient_expires_in(s.as_bytes().to_vec()))
                .unwrap()
        };
        assert_eq!(
            fix(r#"{"access_token":"a","expires_in":"3600","id_token":"x.y.z"}"#),
            serde_json::json!({"access_token":"a","expires_in":3600,"id_token":"x.y.z"})
        );
        for unchanged in [
            r#"{"expires_in":3600}"#,
            r#"{"expires_in":"soon"}"#,
            r#"{"expires_in":"-5"}"#,
            r#"["expires_in"]"#,
            r#"{"issuer":"https://idp"}"#,
        ] {
            assert_eq!(
                lenient_expires_in(unchanged.as_bytes().to_vec()),
                unchanged.as_bytes(),
                "{unchanged}"
            );
        }
        assert_eq!(lenient_expires_in(b"<html>".to_vec()), b"<html>");
    }
}
