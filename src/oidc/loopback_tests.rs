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
    let l = bind(&[busy_addr, "127.0.0.1:0".parse().unwrap()], |a, _| {
        reported.push(a)
    })
    .unwrap();
    assert_eq!(reported, vec![busy_addr]);
    assert_ne!(l.addr.port(), 0);
    let err = bind(&[busy_addr], |_, _| {}).unwrap_err();
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

#[test]
fn only_the_genuine_callback_ends_the_wait() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], |_, _| {}).unwrap();
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

#[test]
fn the_providers_error_with_the_right_state_ends_the_wait_and_time_runs_out() {
    let l = bind(&["127.0.0.1:0".parse().unwrap()], |_, _| {}).unwrap();
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

#[test]
fn failure_page_escapes_html() {
    assert!(failure_page("<script>").contains("&lt;script&gt;"));
}
