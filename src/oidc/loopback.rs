//! The loopback listener that receives the authorization response (RFC 8252 §7.3).
//!
//! Binds loopback addresses only, tries the given addresses in order, says which were busy,
//! and answers the browser with a small page that sends the user back to the terminal. A
//! small HTTP/1 reader of its own (not a general server): one thread and one deadline per
//! connection, a size limit on the request head, the Host checked, and only the genuine
//! callback ends the wait, so no other local process or web page can abort or stall a login.
//! Over HTTPS with `--local-server-cert` (rustls; the handshake runs under the same deadline),
//! and with a terminal paste handed in through a [`Paster`] and judged as a request is.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::connection::{DONE, Outcome, READING, judge, serve};
pub use super::connection::{Expect, Ignored};
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
    listener: TcpListener,
    /// The same port on the other loopback family (`[::1]` beside `127.0.0.1`), when it could
    /// be bound: a `localhost` redirect URI reaches us whichever address the browser picks.
    twin: Option<TcpListener>,
    /// Why the twin could not be bound, when that matters: the machine has the other family
    /// but refused the port for another reason than its being taken (for the caller to warn:
    /// a browser going there first would not reach the callback).
    pub twin_failed: Option<String>,
    pub addr: SocketAddr,
    /// HTTPS (`--local-server-cert`/`--local-server-key`), else plain HTTP.
    tls: Option<Arc<rustls::ServerConfig>>,
    /// Callback request targets pasted into the terminal ([`Paster`]).
    pasted: (mpsc::Sender<Pasted>, mpsc::Receiver<Pasted>),
}

/// A pasted callback target, and where to say whether it was this login's callback.
struct Pasted {
    target: String,
    answer: mpsc::Sender<bool>,
}

/// Hands pasted callbacks to a waiting [`Listener`], from another thread.
#[derive(Clone)]
pub struct Paster(mpsc::Sender<Pasted>);

impl Paster {
    /// Give the listener a callback request target (`/callback?code=...&state=...`); `true`
    /// when it was this login's callback (checked as a browser's request is: path, state,
    /// issuer).
    pub fn paste(&self, target: String) -> bool {
        let (answer, answered) = mpsc::channel();
        self.0.send(Pasted { target, answer }).is_ok()
            && answered.recv_timeout(Duration::from_secs(5)) == Ok(true)
    }
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("addr", &self.addr)
            .finish()
    }
}

/// Whether a failure to bind the other loopback family says the machine has that family (and
/// refused for another reason): not "cannot assign the address" or "family not supported",
/// which a machine without IPv6 answers, and where a browser cannot go there either.
fn family_exists(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EAFNOSUPPORT) {
        return false;
    }
    !matches!(
        e.kind(),
        io::ErrorKind::AddrNotAvailable | io::ErrorKind::Unsupported
    )
}

/// Bind the first free address. Busy ones are reported to the caller via `busy`; when none
/// is free the error lists each address with its reason. With `both_families` (a redirect URI
/// on `localhost`, which a browser may resolve to ::1 first), an address whose port is taken
/// on the other loopback family is busy too: the callback would go to another program there.
/// A machine without that family at all is fine.
pub fn bind(
    addresses: &[SocketAddr],
    both_families: bool,
    mut busy: impl FnMut(SocketAddr, &io::Error),
) -> Result<Listener, String> {
    let mut failures = Vec::new();
    for &addr in addresses {
        match TcpListener::bind(addr) {
            Ok(listener) => {
                let addr = listener.local_addr().map_err(|e| format!("{addr}: {e}"))?;
                listener
                    .set_nonblocking(true)
                    .map_err(|e| format!("{addr}: {e}"))?;
                let other: IpAddr = match addr.ip() {
                    IpAddr::V4(_) => Ipv6Addr::LOCALHOST.into(),
                    IpAddr::V6(_) => Ipv4Addr::LOCALHOST.into(),
                };
                let twin_addr = SocketAddr::new(other, addr.port());
                let mut twin_failed = None;
                let twin = match TcpListener::bind(twin_addr) {
                    Ok(t) => t.set_nonblocking(true).map(|()| t).ok(),
                    Err(e) if both_families && e.kind() == io::ErrorKind::AddrInUse => {
                        busy(twin_addr, &e);
                        failures.push(format!("{twin_addr}: {e}"));
                        continue;
                    }
                    Err(e) => {
                        if both_families && family_exists(&e) {
                            twin_failed = Some(format!("{twin_addr}: {e}"));
                        }
                        None
                    }
                };
                return Ok(Listener {
                    listener,
                    twin,
                    twin_failed,
                    addr,
                    tls: None,
                    pasted: mpsc::channel(),
                });
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

/// Connections served at once. When all are taken, a new one closes the oldest that has not
/// sent its request yet (a slow or idle client), so that idle connections can never keep the
/// browser's callback out; when all have sent theirs, the new one is closed unanswered.
const MAX_CONNECTIONS: usize = 32;

/// A connection being served, as the accept loop sees it.
struct Served {
    started: Instant,
    /// A handle on the socket, to close it from the accept loop.
    socket: TcpStream,
    stage: Arc<AtomicU8>,
}

impl Served {
    fn stage(&self) -> u8 {
        self.stage.load(Ordering::SeqCst)
    }
}

/// Make room for one more connection: forget those that are done, and when all
/// [`MAX_CONNECTIONS`] are still busy, close the oldest one still reading its request head.
/// `false` when every one is past its head (then the new one is dropped).
fn make_room(served: &mut Vec<Served>) -> bool {
    served.retain(|c| c.stage() != DONE);
    if served.len() < MAX_CONNECTIONS {
        return true;
    }
    let oldest_idle = served
        .iter()
        .enumerate()
        .filter(|(_, c)| c.stage() == READING)
        .min_by_key(|(_, c)| c.started)
        .map(|(i, _)| i);
    match oldest_idle {
        Some(i) => {
            // Its thread's read fails at once; it answers nothing and is gone.
            let _ = served
                .swap_remove(i)
                .socket
                .shutdown(std::net::Shutdown::Both);
            true
        }
        None => false,
    }
}

/// What happens while the listener waits.
#[derive(Debug)]
pub enum Event {
    /// A request was answered and ignored; the login keeps waiting.
    Ignored(Ignored),
    /// Another second passed: this much time is left.
    Tick(Duration),
}

/// The TLS configuration of an HTTPS listener: a PEM certificate chain and its private key
/// (`--local-server-cert`, `--local-server-key`).
pub fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> anyhow::Result<rustls::ServerConfig> {
    use anyhow::Context as _;
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot read the certificate {}", cert.display()))?;
    if certs.is_empty() {
        anyhow::bail!("{} holds no PEM certificate", cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot read the private key {}", key.display()))?;
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the certificate and the private key do not make a TLS server")
}

impl Listener {
    /// Serve HTTPS with this configuration ([`tls_config`]).
    pub fn with_tls(self, config: rustls::ServerConfig) -> Self {
        Self {
            tls: Some(Arc::new(config)),
            ..self
        }
    }

    /// `https` or `http`, for the redirect URI.
    pub fn scheme(&self) -> &'static str {
        match self.tls {
            Some(_) => "https",
            None => "http",
        }
    }

    /// Where pasted callbacks go (a jump host's login, relayed from the terminal).
    pub fn paster(&self) -> Paster {
        Paster(self.pasted.0.clone())
    }

    /// Wait until `deadline` for the genuine callback; `Ok(None)` when none came in time.
    ///
    /// Only the callback with this attempt's state ends the wait (with the code, or with the
    /// provider's error). Everything else is answered and ignored: other paths (404), a wrong
    /// or missing state, another Host, a request line too large, a client too slow; `ignored`
    /// hears of the suspicious ones (and of every second that passes). Each connection is served
    /// on its own thread with its own deadline, so a slow client cannot hold up the browser.
    pub fn wait(
        &self,
        expect: Expect,
        deadline: Instant,
        mut on_event: impl FnMut(Event),
    ) -> anyhow::Result<Option<Secret<String>>> {
        let expect = Arc::new(expect);
        let mut served: Vec<Served> = Vec::new();
        let (tx, rx) = mpsc::channel();
        let mut last_second = None;
        loop {
            self.judge_pasted(&expect, &tx);
            while let Ok(outcome) = rx.try_recv() {
                match outcome {
                    Outcome::Code(code) => return Ok(Some(code)),
                    Outcome::ProviderError(refusal) => return Err(refusal.into()),
                    Outcome::Ignored(i) => on_event(Event::Ignored(i)),
                    Outcome::Quiet => {}
                }
            }
            // Close our handles on the connections that are done.
            served.retain(|c| c.stage() != DONE);
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            if last_second != Some(left.as_secs()) {
                last_second = Some(left.as_secs());
                on_event(Event::Tick(left));
            }
            match self.accept() {
                Ok(stream) => self.serve_in_thread(stream, &mut served, &expect, &tx),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(Error::new(
                        Kind::Internal,
                        format!("the login callback listener on {} failed: {e}", self.addr),
                    ));
                }
            }
        }
    }

    /// The pasted redirect URLs, judged as the callback would be; a paste that is not this
    /// login's callback is said at the terminal (by the paster), not here.
    fn judge_pasted(&self, expect: &Expect, tx: &mpsc::Sender<Outcome>) {
        while let Ok(pasted) = self.pasted.1.try_recv() {
            let (status, _, outcome) = judge(&pasted.target, expect, self.addr);
            let _ = pasted.answer.send(status == 200);
            if !matches!(outcome, Outcome::Ignored(_)) {
                let _ = tx.send(outcome);
            }
        }
    }

    /// A connection on either socket (the IPv4 one, then its IPv6 twin), without waiting.
    fn accept(&self) -> io::Result<TcpStream> {
        match self.listener.accept() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => match &self.twin {
                Some(twin) => twin.accept(),
                None => Err(e),
            },
            other => other,
        }
        .map(|(stream, _)| stream)
    }

    /// Serve a connection on its own thread, with its own deadline, if there is room
    /// ([`make_room`]); its outcome comes back on `tx`.
    fn serve_in_thread(
        &self,
        stream: TcpStream,
        served: &mut Vec<Served>,
        expect: &Arc<Expect>,
        tx: &mpsc::Sender<Outcome>,
    ) {
        let Ok(socket) = stream.try_clone() else {
            return;
        };
        if !make_room(served) {
            return; // dropped: closed unanswered
        }
        let stage = Arc::new(AtomicU8::new(READING));
        served.push(Served {
            started: Instant::now(),
            socket,
            stage: stage.clone(),
        });
        let (expect, tx) = (expect.clone(), tx.clone());
        let tls = self.tls.clone();
        std::thread::spawn(move || {
            let _ = tx.send(serve(stream, &expect, tls.as_ref(), &stage));
        });
    }
}

#[cfg(test)]
#[path = "loopback_tests.rs"]
mod tests;
