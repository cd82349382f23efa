//! The listener over real sockets: address rules, busy ports, and only the genuine callback
//! ending the wait whatever else arrives.

use super::*;
use std::io::{Read as _, Write as _};

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
    let l = bind(
        &[busy_addr, "127.0.0.1:0".parse().unwrap()],
        false,
        |a, _| reported.push(a),
    )
    .unwrap();
    assert_eq!(reported, vec![busy_addr]);
    assert_ne!(l.addr.port(), 0);
    let err = bind(&[busy_addr], false, |_, _| {}).unwrap_err();
    assert!(err.contains(&busy_addr.to_string()), "{err}");
}

/// Send raw bytes to the listener and return its answer's status line.
fn send(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    let _ = s.write_all(bytes);
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines().next().unwrap_or("").to_owned()
}

/// Wait (20 s at most) for the callback with state `S`, collecting why requests were ignored.
fn wait_for_s(l: &Listener) -> (Option<Secret<String>>, Vec<String>) {
    let mut ignored = Vec::new();
    let code = l
        .wait(
            Expect {
                path: "/callback".into(),
                state: Secret::new("S".into()),
                issuer: "https://idp".into(),
                redirect_host: None,
                then_open: None,
            },
            Instant::now() + Duration::from_secs(20),
            |e| {
                if let Event::Ignored(i) = e {
                    ignored.push(i.why)
                }
            },
        )
        .unwrap();
    (code, ignored)
}

#[test]
fn only_the_genuine_callback_ends_the_wait() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], false, |_, _| {}).unwrap();
    let addr = l.addr;
    let attacker = std::thread::spawn(move || {
        let host = format!("Host: 127.0.0.1:{}\r\n", addr.port());
        let get = |target: &str, host: &str| format!("GET {target} HTTP/1.1\r\n{host}\r\n");
        // A slow client that never finishes its request holds nothing up.
        let mut slow = TcpStream::connect(addr).unwrap();
        slow.write_all(b"GET /callback?code=x").unwrap();
        let statuses = [
            send(addr, get("/callback?code=x&state=forged", &host).as_bytes()),
            send(
                addr,
                get("/callback?error=access_denied&state=forged", &host).as_bytes(),
            ),
            send(addr, get("/callback?error=access_denied", &host).as_bytes()),
            send(
                addr,
                get("/callback?code=x&state=S", "Host: evil.example\r\n").as_bytes(),
            ),
            send(
                addr,
                format!("GET /{} HTTP/1.1\r\n", "a".repeat(1 << 20)).as_bytes(),
            ),
            send(addr, get("/favicon.ico", &host).as_bytes()),
            send(addr, b"\x16\x03\x01 not http\r\n\r\n"),
        ];
        let genuine = send(
            addr,
            get("/callback?code=the-code&state=S", &host).as_bytes(),
        );
        drop(slow);
        (statuses, genuine)
    });
    let (code, ignored) = wait_for_s(&l);
    assert_eq!(code.unwrap().expose(), "the-code");
    let (statuses, genuine) = attacker.join().unwrap();
    assert_eq!(genuine, "HTTP/1.1 200 OK");
    for (i, want) in ["400", "400", "400", "400", "400", "404", "400"]
        .iter()
        .enumerate()
    {
        assert!(statuses[i].contains(want), "request {i}: {:?}", statuses[i]);
    }
    assert!(ignored.len() >= 5, "{ignored:?}");
    assert!(
        ignored.iter().any(|w| w.contains("too large")),
        "{ignored:?}"
    );
    assert!(
        ignored.iter().any(|w| w.contains("evil.example")),
        "{ignored:?}"
    );
}

/// Issue 33 item 4: a client that starts a request and stops is answered 408 after 5 s and
/// said (with its peer, by the caller); one that sends nothing (a browser's preconnect) is
/// closed quietly. Neither holds up the callback.
#[test]
fn a_slow_client_is_answered_and_said_a_silent_one_is_not() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], false, |_, _| {}).unwrap();
    let addr = l.addr;
    let client = std::thread::spawn(move || {
        let silent = TcpStream::connect(addr).unwrap();
        let slow = send(addr, b"GET /callback?code=x&state=S HTTP/1.1\r\n");
        let host = format!("Host: 127.0.0.1:{}\r\n", addr.port());
        send(
            addr,
            format!("GET /callback?code=the-code&state=S HTTP/1.1\r\n{host}\r\n").as_bytes(),
        );
        drop(silent);
        slow
    });
    let (code, ignored) = wait_for_s(&l);
    assert_eq!(code.unwrap().expose(), "the-code");
    assert_eq!(client.join().unwrap(), "HTTP/1.1 408 Request Timeout");
    assert_eq!(
        ignored,
        ["the client sent part of a request and nothing more for 5 s"]
    );
}

#[test]
fn the_providers_error_with_the_right_state_ends_the_wait_and_time_runs_out() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], false, |_, _| {}).unwrap();
    let expect = || Expect {
        path: "/callback".into(),
        state: Secret::new("S".into()),
        issuer: "https://idp".into(),
        redirect_host: None,
        then_open: None,
    };
    let addr = l.addr;
    std::thread::spawn(move || {
        send(
            addr,
            b"GET /callback?error=access_denied&error_description=no&state=S HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
    });
    let err = l
        .wait(expect(), Instant::now() + Duration::from_secs(20), |_| {})
        .unwrap_err();
    assert!(format!("{err}").contains("access_denied: no"), "{err}");
    let none = l
        .wait(expect(), Instant::now() + Duration::from_millis(50), |_| {})
        .unwrap();
    assert!(none.is_none());
}

/// An HTTPS listener with a certificate made by openssl for 127.0.0.1: a client that does not
/// speak TLS is not heard of (no answer, no event), and the genuine callback over TLS ends the
/// wait.
#[test]
fn an_https_listener_ignores_plain_http_and_takes_the_callback_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .current_dir(dir.path())
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    assert!(tls_config(&cert, &dir.path().join("missing.pem")).is_err());
    let l = bind(&["127.0.0.1:0".parse().unwrap()], false, |_, _| {})
        .unwrap()
        .with_tls(tls_config(&cert, &key).unwrap());
    assert_eq!(l.scheme(), "https");
    let addr = l.addr;
    let client = std::thread::spawn(move || {
        use rustls::pki_types::pem::PemObject as _;
        let plain = send(
            addr,
            b"GET /callback?code=x&state=S HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        );
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(rustls::pki_types::CertificateDer::from_pem_file(&cert).unwrap())
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
        let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, TcpStream::connect(addr).unwrap());
        tls.write_all(b"GET /callback?code=the-code&state=S HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        tls.read_to_string(&mut answer).unwrap();
        (plain, answer)
    });
    let (code, events) = wait_for_s(&l);
    assert_eq!(code.unwrap().expose(), "the-code");
    let (plain, answer) = client.join().unwrap();
    assert!(
        !plain.starts_with("HTTP/"),
        "plain HTTP got an answer: {plain:?}"
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(events.is_empty(), "{events:?}");
}

/// Issue 17 (from the sweep): more idle connections than the listener serves at once (a
/// local process holding sockets open) cannot keep the browser's callback out: the oldest
/// idle ones are closed to make room, and the genuine callback is answered at once.
#[test]
fn idle_connections_cannot_crowd_out_the_callback() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], false, |_, _| {}).unwrap();
    let addr = l.addr;
    let client = std::thread::spawn(move || {
        let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS + 8)
            .map(|_| {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(b"GET /callback?code=x").unwrap();
                s
            })
            .collect();
        let genuine = send(
            addr,
            format!(
                "GET /callback?code=the-code&state=S HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
                addr.port()
            )
            .as_bytes(),
        );
        // Idle connections the listener has neither answered nor closed yet: had the callback
        // waited for READ_TIMEOUT to cut them off, none would be left.
        let waiting = idle
            .iter()
            .filter(|s| {
                s.set_nonblocking(true).unwrap();
                let mut byte = [0u8; 1];
                matches!(s.peek(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
            })
            .count();
        (genuine, waiting, idle)
    });
    let (code, _) = wait_for_s(&l);
    assert_eq!(code.unwrap().expose(), "the-code");
    let (genuine, waiting, _idle) = client.join().unwrap();
    assert_eq!(genuine, "HTTP/1.1 200 OK");
    assert!(
        waiting > 0,
        "the callback was answered only once every idle connection was cut off (READ_TIMEOUT)"
    );
}

/// Issue 18: for a `localhost` redirect, a port taken on the other loopback family (::1) is
/// busy: the browser may go there first. Without that need, the port is used anyway.
#[test]
fn a_localhost_redirect_needs_the_port_on_both_families() {
    let Ok(v6) = TcpListener::bind("[::1]:0") else {
        // No IPv6 loopback on this machine: nothing to take. Said where it is seen (libtest
        // captures eprintln! of a passing test).
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED a_localhost_redirect_needs_the_port_on_both_families: no IPv6 loopback (::1) here"
        );
        return;
    };
    let port = v6.local_addr().unwrap().port();
    let wanted: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut reported = Vec::new();
    let l = bind(&[wanted, "127.0.0.1:0".parse().unwrap()], true, |a, _| {
        reported.push(a)
    })
    .unwrap();
    assert_ne!(l.addr.port(), port);
    assert_eq!(reported, [v6.local_addr().unwrap()]);
    drop(l);
    let l = bind(&[wanted], false, |_, _| {}).unwrap();
    assert_eq!(l.addr, wanted);
}

/// Issue 33 item 3: the other loopback family's failure is said only when the machine has that
/// family and refused the port for another reason (a browser may go there); a machine without
/// IPv6 answers "cannot assign" or "not supported", and says nothing.
#[test]
fn the_other_familys_failure_matters_only_where_that_family_exists() {
    for (errno, matters) in [
        (libc::EADDRNOTAVAIL, false),
        (libc::EAFNOSUPPORT, false),
        (libc::EACCES, true),
        (libc::EPERM, true),
    ] {
        let e = std::io::Error::from_raw_os_error(errno);
        assert_eq!(super::family_exists(&e), matters, "{e}");
    }
}
