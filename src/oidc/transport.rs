//! PURE. Where the provider's secrets may travel: https, or plain http to this machine's
//! loopback (a local test provider, a port-forwarded Dex), unless the user turned TLS
//! verification off with `--insecure-skip-tls-verify`. One rule for the issuer and every
//! endpoint its discovery document or device answer names: the code, the PKCE verifier,
//! the client secret and the refresh token go to those.
//!
//! The host judged is the URL's parsed host, so `http://127.0.0.1:80@evil.example` is
//! `evil.example`; credentials in a URL (`user:password@`) are refused outright: they would
//! be echoed in messages and sent as Basic authentication.

use url::{Host, Url};

/// Why `url` may not carry the provider's secrets, or `Ok`; `what` names it in the message
/// (the URL included: a query may not belong in a message).
pub fn check(what: &str, url: &str, insecure: bool) -> Result<(), String> {
    let parsed = Url::parse(url).map_err(|e| format!("{what} is not a URL: {e}"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "{what} carries a user name or password (user:password@host): credentials in a URL \
             would be shown in messages and sent to the provider; remove them"
        ));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if insecure || is_loopback(&parsed) => Ok(()),
        "http" => Err(format!(
            "{what} is plain http to another machine: the authorization code, tokens and client \
             secret would cross the network unencrypted, so kubectl-oidc refuses it: it must be \
             https (plain http is allowed only on loopback, or with --insecure-skip-tls-verify)"
        )),
        other => Err(format!(
            "{what} is a {other}: URL, not https; kubectl-oidc sends nothing there"
        )),
    }
}

/// Refuse a URL with credentials in it (`user:password@`), naming it without them: they
/// would be echoed in messages and sent as Basic authentication.
pub fn no_credentials(what: &str, url: &str) -> Result<(), String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Ok(());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((_, host)) => Err(format!(
            "{what} {scheme}://…@{host} carries a user name or password (user:password@host): \
             credentials in a URL would be shown in messages and sent to the provider; remove them"
        )),
        None => Ok(()),
    }
}

/// Whether a URL's host is this machine's loopback: `localhost`, 127.0.0.0/8 or ::1.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn https_anywhere_plain_http_on_loopback_only() {
        for (url, ok, insecure_ok) in [
            ("https://idp.example.com/token", true, true),
            ("http://127.0.0.1:8080/token", true, true),
            ("http://127.8.9.10/token", true, true),
            ("http://localhost:5556/dex/token", true, true),
            ("http://LOCALHOST:5556", true, true),
            ("http://[::1]:5556/keys", true, true),
            ("http://idp.example.com/token", false, true),
            ("http://10.0.0.5:5556/dex", false, true),
            ("http://localhost.evil.example/x", false, true),
            // Issue 17 item 6: the host is the parsed one, after the userinfo.
            ("http://127.0.0.1:80@10.9.9.9/token", false, false),
            ("http://[::1]@10.9.9.9:8080/token", false, false),
            // Issue 17 item 10: credentials in a URL are refused even over https.
            ("https://alice:pw@idp.example.com", false, false),
            ("https://alice@idp.example.com", false, false),
            ("file:///etc/passwd", false, false),
            ("javascript:alert(1)", false, false),
            ("not a url", false, false),
        ] {
            assert_eq!(check("x", url, false).is_ok(), ok, "{url}");
            assert_eq!(
                check("x", url, true).is_ok(),
                insecure_ok,
                "{url} (insecure)"
            );
        }
        for url in [
            "https://alice:s3cret@idp.example.com/x",
            "http://127.0.0.1:80@10.9.9.9",
            "http://[::1]@10.9.9.9:5556",
        ] {
            let err = super::no_credentials("--oidc-issuer-url", url).unwrap_err();
            assert!(
                !err.contains("s3cret") && !err.contains("127.0.0.1"),
                "{err}"
            );
            assert!(err.contains("user name or password"), "{err}");
        }
        assert_eq!(
            super::no_credentials("x", "https://idp.example.com/a@b"),
            Ok(())
        );
        let err = check("the token_endpoint X", "http://evil.example/t", false).unwrap_err();
        assert!(
            err.starts_with("the token_endpoint X is plain http to another machine"),
            "{err}"
        );
    }
}
