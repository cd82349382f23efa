//! The loopback listener that receives the authorization response (RFC 8252 §7.3).
//!
//! Binds loopback addresses only, tries `--listen-address` values in order, says which were
//! busy, and answers the browser with a small page that sends the user back to the terminal.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use super::callback::{self, Callback};
use crate::error::{Error, Kind};
use crate::secret::Secret;

/// Parse a `--listen-address`: `127.0.0.1:8000`, `[::1]:0`, `localhost:8000` (taken as
/// 127.0.0.1, see int128/kubelogin#1151). Anything that is not loopback is refused: the
/// callback carries an authorization code.
pub fn parse_listen_address(value: &str) -> Result<SocketAddr, String> {
    let value = value.trim();
    let addr = match value.strip_prefix("localhost:") {
        Some(port) => port
            .parse::<u16>()
            .map(|p| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), p))
            .map_err(|_| format!("{value:?}: invalid port"))?,
        None => value
            .parse::<SocketAddr>()
            .map_err(|_| format!("{value:?} is not an address like 127.0.0.1:8000"))?,
    };
    if !addr.ip().is_loopback() {
        return Err(format!(
            "{value:?} is not a loopback address; the login callback listens on 127.0.0.1 or [::1] only"
        ));
    }
    Ok(addr)
}

pub struct Listener {
    server: tiny_http::Server,
    pub addr: SocketAddr,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("addr", &self.addr)
            .finish()
    }
}

/// Bind the first free address. Busy ones are reported to the caller via `busy`; when none
/// is free the error lists each address with its reason.
pub fn bind(
    addresses: &[SocketAddr],
    mut busy: impl FnMut(SocketAddr, &io::Error),
) -> Result<Listener, String> {
    let mut failures = Vec::new();
    for &addr in addresses {
        match TcpListener::bind(addr) {
            Ok(listener) => {
                let addr = listener.local_addr().map_err(|e| format!("{addr}: {e}"))?;
                let server = tiny_http::Server::from_listener(listener, None)
                    .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
                return Ok(Listener { server, addr });
            }
            Err(e) => {
                busy(addr, &e);
                failures.push(format!("{addr}: {e}"));
            }
        }
    }
    Err(format!(
        "cannot listen for the login callback on any address ({})",
        failures.join("; ")
    ))
}

const SUCCESS_PAGE: &str = "<!doctype html><html><head><meta charset=utf-8><title>kubectl-oidc</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Logged in</h1>\
<p>You can close this tab and return to the terminal.</p><script>window.close()</script></body></html>";

fn failure_page(message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>kubectl-oidc</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>Login failed</h1><p>{escaped}</p>\
<p>Return to the terminal for details.</p></body></html>"
    )
}

fn respond(request: tiny_http::Request, status: u16, body: String) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(status);
    for (k, v) in [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Connection", "close"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k, v) {
            response.add_header(h);
        }
    }
    // The browser going away before reading the page is not our failure.
    let _ = request.respond(response);
}

impl Listener {
    /// Wait until `deadline` for the callback on `path`; `Ok(None)` when none came in time.
    /// Requests to other paths get a 404.
    pub fn wait(
        &self,
        path: &str,
        state: &Secret<String>,
        issuer: &str,
        deadline: Instant,
    ) -> anyhow::Result<Option<Secret<String>>> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            let Some(request) = self
                .server
                .recv_timeout(left.min(Duration::from_millis(500)))?
            else {
                continue;
            };
            match callback::parse(request.url(), path, state.expose(), issuer) {
                Callback::NotCallback => respond(request, 404, "not found".into()),
                Callback::Code(code) => {
                    respond(request, 200, SUCCESS_PAGE.into());
                    return Ok(Some(code));
                }
                Callback::ProviderError { error, description } => {
                    let message = match description {
                        Some(d) => format!("{error}: {d}"),
                        None => error,
                    };
                    respond(
                        request,
                        400,
                        failure_page(&format!("The provider said: {message}")),
                    );
                    return Err(Error::new(
                        Kind::ProviderRefused,
                        format!("the provider {issuer} refused the login: {message}"),
                    ));
                }
                Callback::Rejected(why) => {
                    respond(request, 400, failure_page(&why.to_string()));
                    return Err(Error::new(
                        Kind::ProviderRefused,
                        format!("rejected the login callback: {why}; run the login again"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_address_table() {
        let ok = |s: &str| parse_listen_address(s).unwrap().to_string();
        assert_eq!(ok("127.0.0.1:8000"), "127.0.0.1:8000");
        assert_eq!(ok("localhost:18000"), "127.0.0.1:18000");
        assert_eq!(ok("[::1]:0"), "[::1]:0");
        assert_eq!(ok("127.0.0.2:9"), "127.0.0.2:9");
        for bad in [
            "0.0.0.0:8000",
            "192.168.1.1:8000",
            "8000",
            "localhost:x",
            "[::]:1",
        ] {
            assert!(parse_listen_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn busy_addresses_are_skipped_then_reported() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let busy_addr = taken.local_addr().unwrap();
        let mut reported = Vec::new();
        let l = bind(&[busy_addr, "127.0.0.1:0".parse().unwrap()], |a, _| {
            reported.push(a)
        })
        .unwrap();
        assert_eq!(reported, vec![busy_addr]);
        assert_ne!(l.addr.port(), 0);
        let err = bind(&[busy_addr], |_, _| {}).unwrap_err();
        assert!(err.contains(&busy_addr.to_string()), "{err}");
    }

    #[test]
    fn failure_page_escapes_html() {
        assert!(failure_page("<script>").contains("&lt;script&gt;"));
    }
}
