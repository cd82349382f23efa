//! Go's net/url.ParseRequestURI, its parts and its errors, checked against Go 1.26's own output.

use super::*;

/// What Go 1.26's `url.ParseRequestURI` answers (checked with `go run`).
#[test]
fn urls_as_go_parses_them_for_a_request() {
    let ok = |raw: &str| parse_request_uri(raw).unwrap();
    let err = |raw: &str| parse_request_uri(raw).unwrap_err();
    assert_eq!(err(""), "parse \"\": empty url");
    assert_eq!(
        err("example.com"),
        "parse \"example.com\": invalid URI for request"
    );
    assert_eq!(err("://x"), "parse \"://x\": missing protocol scheme");
    assert_eq!(
        err("http://a b"),
        "parse \"http://a b\": invalid character \" \" in host name"
    );
    assert_eq!(
        err("http://x:y"),
        "parse \"http://x:y\": invalid port \":y\" after host"
    );
    assert_eq!(err("/a%zz"), "parse \"/a%zz\": invalid URL escape \"%zz\"");
    assert_eq!(
        err("http://a\tb"),
        "parse \"http://a\\tb\": net/url: invalid control character in URL"
    );
    assert_eq!(ok("mailto:a@b").opaque, "a@b");
    let u = ok("https://user@[::1]:8443/a%2Fb?x=1&x=2&y=%zz#f");
    assert_eq!((u.hostname(), u.port()), ("::1", "8443"));
    assert_eq!(u.escaped_path(), "/a%2Fb");
    assert_eq!(
        u.query(),
        vec![("x".to_owned(), vec!["1".to_owned(), "2".to_owned()])]
    );
    assert_eq!(ok("/p q").escaped_path(), "/p%20q");
    assert_eq!(quote("a\u{1}é\u{200b}"), "\"a\\x01é\\u200b\"");
}
