//! One connection at the loopback listener: its request head read within a deadline and a
//! size limit, the Host and method checked, the target judged against the login's state, and
//! the page answered. Whatever it was, the listener hears it as an [`Outcome`].

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use super::callback::{self, Callback};
use super::pages;
use crate::secret::Secret;

/// Where one served connection is: reading its request head, answering, or done.
pub(super) const READING: u8 = 0;
pub(super) const ANSWERING: u8 = 1;
pub(super) const DONE: u8 = 2;

/// What the callback must look like.
pub struct Expect {
    /// The redirect URL's path, e.g. `/callback`.
    pub path: String,
    pub state: Secret<String>,
    pub issuer: String,
    /// The redirect URL's host when the user set one that is not a loopback name.
    pub redirect_host: Option<String>,
    /// Where the success page sends the browser (`--open-url-after-authentication`).
    pub then_open: Option<String>,
}

/// A request the listener answered and ignored (the login keeps waiting).
#[derive(Debug)]
pub struct Ignored {
    pub peer: SocketAddr,
    pub why: String,
}

/// What one connection amounted to.
pub(super) enum Outcome {
    Code(Secret<String>),
    /// The provider's error (its OAuth error code and message).
    ProviderError(crate::error::ProviderError),
    Ignored(Ignored),
    /// Not worth a word: another path (favicon), a connection that sent nothing.
    Quiet,
}

/// How long one connection may take to send its request head (slow clients are cut off).
pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection from the browser: plain TCP, or TLS over it.
trait Conn: io::Read + io::Write {
    fn tcp(&self) -> &TcpStream;
    /// After the answer: end the TLS session properly (close_notify).
    fn close(&mut self) {}
}

impl Conn for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}

impl Conn for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
    fn close(&mut self) {
        self.conn.send_close_notify();
        let _ = io::Write::flush(self);
    }
}

fn respond(stream: &mut impl Conn, status: u16, body: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        _ => "Error",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\n\
         Connection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    // The browser going away before reading the page is not our failure.
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
    stream.close();
}

/// Why a request head was not read.
enum HeadError {
    /// Closed, or nothing sent in time: a browser's speculative connection, not worth a word.
    Silent,
    /// Part of a request, then nothing more in time.
    Slow,
    /// Over [`callback::MAX_HEAD`] bytes.
    TooLarge,
}

/// Read the request head (up to the blank line), within [`READ_TIMEOUT`] and
/// [`callback::MAX_HEAD`] bytes.
fn read_head(stream: &mut impl Conn) -> Result<Vec<u8>, HeadError> {
    let deadline = Instant::now() + READ_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    let too_slow = |head: &Vec<u8>| match head.is_empty() {
        true => HeadError::Silent,
        false => HeadError::Slow,
    };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.tcp().set_read_timeout(Some(left)).is_err() {
            return Err(too_slow(&head));
        }
        match stream.read(&mut buf) {
            Ok(0) => return Err(HeadError::Silent),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(too_slow(&head)),
        }
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > callback::MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// Serve one connection: answer it, and say what it was. `stage` says how far it got.
pub(super) fn serve(
    stream: TcpStream,
    expect: &Expect,
    tls: Option<&Arc<rustls::ServerConfig>>,
    stage: &AtomicU8,
) -> Outcome {
    let peer = stream
        .peer_addr()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)));
    let _ = stream.set_nonblocking(false);
    // The accept loop holds a handle on the socket too: end our side ourselves, so that the
    // client sees the answer end now, not when that handle goes.
    let closer = stream.try_clone();
    let outcome = match tls {
        None => serve_on(stream, peer, expect, stage),
        // The handshake runs within the first read, under the same deadline; a client that
        // does not speak TLS, or distrusts the certificate, fails it and is not heard of.
        Some(config) => match rustls::ServerConnection::new(config.clone()) {
            Ok(conn) => serve_on(rustls::StreamOwned::new(conn, stream), peer, expect, stage),
            Err(_) => Outcome::Quiet,
        },
    };
    if let Ok(socket) = closer {
        let _ = socket.shutdown(std::net::Shutdown::Write);
    }
    stage.store(DONE, Ordering::SeqCst);
    outcome
}

fn serve_on(mut stream: impl Conn, peer: SocketAddr, expect: &Expect, stage: &AtomicU8) -> Outcome {
    let ignored = |why: String| Outcome::Ignored(Ignored { peer, why });
    let head = read_head(&mut stream);
    stage.store(ANSWERING, Ordering::SeqCst);
    let head = match head {
        Ok(h) => h,
        Err(HeadError::TooLarge) => {
            respond(&mut stream, 400, "request too large");
            return ignored("the request is too large".into());
        }
        Err(HeadError::Slow) => {
            respond(&mut stream, 408, "request timeout");
            return ignored(format!(
                "the client sent part of a request and nothing more for {} s",
                READ_TIMEOUT.as_secs()
            ));
        }
        Err(HeadError::Silent) => return Outcome::Quiet,
    };
    let head = match callback::parse_head(&head) {
        Ok(h) => h,
        Err(why) => {
            respond(&mut stream, 400, "bad request");
            return ignored(why.into());
        }
    };
    if !callback::host_is_allowed(head.host.as_deref(), expect.redirect_host.as_deref()) {
        respond(&mut stream, 400, "bad request");
        return ignored(format!(
            "a request for another host ({:?}), as a web page sends it",
            head.host.as_deref().unwrap_or("")
        ));
    }
    if head.method != "GET" {
        respond(&mut stream, 405, "method not allowed");
        return Outcome::Quiet;
    }
    let (status, page, outcome) = judge(&head.target, expect, peer);
    respond(&mut stream, status, &page);
    outcome
}

/// What a callback request target amounts to, from a browser or pasted: the status and page
/// to answer with, and the outcome.
pub(super) fn judge(target: &str, expect: &Expect, peer: SocketAddr) -> (u16, String, Outcome) {
    match callback::parse(target, &expect.path, expect.state.expose(), &expect.issuer) {
        Callback::NotCallback => (404, "not found".into(), Outcome::Quiet),
        Callback::Code(code) => (
            200,
            pages::success(&expect.issuer, expect.then_open.as_deref()),
            Outcome::Code(code),
        ),
        Callback::ProviderError { error, description } => {
            let refusal = callback::refusal(&expect.issuer, error, description.as_deref());
            (
                400,
                pages::failure(
                    &format!("the provider {} said: {}", expect.issuer, refusal.detail()),
                    pages::AFTER_REFUSAL,
                ),
                Outcome::ProviderError(refusal),
            )
        }
        Callback::Rejected(why) => (
            400,
            pages::failure(&why.to_string(), pages::AFTER_REJECTION),
            Outcome::Ignored(Ignored {
                peer,
                why: why.to_string(),
            }),
        ),
    }
}
