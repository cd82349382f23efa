//! The API server's CEL libraries: what each function the evaluator implements returns, and
//! that a function it lacks is said, not guessed (each row names the cel-go or Kubernetes test
//! it mirrors).

use serde_json::{Value as Json, json};

use super::{CelError, eval_claims, eval_user};
use crate::doctor::version::KubeVersion;

const NEWEST: KubeVersion = KubeVersion::NEWEST;

/// Every library function the evaluator implements, once at least (cel-go ext/sets_test.go and
/// ext/strings_test.go; k8s.io/apiserver/pkg/cel/library lists_test.go, regex_test.go,
/// urls_test.go).
#[test]
fn library_functions() {
    let rows: &[(&str, Json)] = &[
        // cel-go ext/sets_test.go
        ("sets.contains([1, 2, 3], [1, 2])", json!(true)),
        ("sets.contains([1], [])", json!(true)),
        ("sets.contains([], [1])", json!(false)),
        ("sets.contains([1, 2], [2])", json!(true)),
        ("sets.equivalent([1, 2], [2, 1, 1])", json!(true)),
        ("sets.equivalent([1], [1, 2])", json!(false)),
        ("sets.intersects([1, 2], [2, 3])", json!(true)),
        ("sets.intersects([1], [])", json!(false)),
        // library/lists_test.go
        ("[1, 2, 3].isSorted()", json!(true)),
        ("[3, 1].isSorted()", json!(false)),
        ("['a', 'b', 'b'].isSorted()", json!(true)),
        ("[1, 2, 3].sum()", json!(6)),
        ("[].sum()", json!(0)),
        ("[1.5, 2.5].sum()", json!(4.0)),
        ("[3, 1, 2].min()", json!(1)),
        ("[3, 1, 2].max()", json!(3)),
        ("['b', 'a'].min()", json!("a")),
        ("[1, 2, 1].indexOf(1)", json!(0)),
        ("[1, 2, 1].lastIndexOf(1)", json!(2)),
        ("[1, 2].indexOf(5)", json!(-1)),
        ("'abcb'.indexOf('b')", json!(1)),
        ("'abcb'.lastIndexOf('b')", json!(3)),
        // library/regex_test.go
        ("'abc 123'.find('[0-9]+')", json!("123")),
        ("'abc'.find('x')", json!("")),
        ("'a1b2c3'.findAll('[0-9]')", json!(["1", "2", "3"])),
        ("'a1b2c3'.findAll('[0-9]', 2)", json!(["1", "2"])),
        // library/urls_test.go
        (
            "url('https://example.com:8080/a%20b?x=1&x=2').getScheme()",
            json!("https"),
        ),
        (
            "url('https://example.com:8080/path').getHost()",
            json!("example.com:8080"),
        ),
        (
            "url('https://example.com:8080/path').getHostname()",
            json!("example.com"),
        ),
        (
            "url('https://example.com:8080/path').getPort()",
            json!("8080"),
        ),
        ("url('https://example.com/path').getPort()", json!("")),
        (
            "url('https://example.com/a%20b').getEscapedPath()",
            json!("/a%20b"),
        ),
        (
            "url('https://example.com/?x=1&x=2&y=3').getQuery()",
            json!({"x": ["1", "2"], "y": ["3"]}),
        ),
        ("url('https://[::1]:80/').getHost()", json!("[::1]:80")),
        ("url('https://[::1]:80/').getHostname()", json!("::1")),
        (
            "url('/absolute/path').getEscapedPath()",
            json!("/absolute/path"),
        ),
        ("isURL('https://example.com')", json!(true)),
        ("isURL('not a url')", json!(false)),
        // library/quantity_test.go
        (
            "quantity('1.5Gi').isGreaterThan(quantity('1Gi'))",
            json!(true),
        ),
        ("quantity('100m').isLessThan(quantity('1'))", json!(true)),
        ("quantity('2k').compareTo(quantity('2000'))", json!(0)),
        ("quantity('1Ki').asInteger()", json!(1024)),
        ("quantity('500m').asApproximateFloat()", json!(0.5)),
        ("quantity('500m').isInteger()", json!(false)),
        ("quantity('-3').sign()", json!(-1)),
        (
            "quantity('1').add(quantity('500m')).sub(1).asApproximateFloat()",
            json!(0.5),
        ),
        ("quantity('1').add(2).asInteger()", json!(3)),
        ("isQuantity('1.5Gi') && !isQuantity('1.5Zi')", json!(true)),
        // cel-go ext/strings_test.go (version 2)
        ("'a,b'.split(',')", json!(["a", "b"])),
        ("['a', 'b'].join('-')", json!("a-b")),
        ("strings.quote('x')", json!("\"x\"")),
        ("'Hi'.lowerAscii() + 'Hi'.upperAscii()", json!("hiHI")),
        ("'%s-%s'.format(['a', 'b'])", json!("a-b")),
        ("' x '.trim().charAt(0)", json!("x")),
        ("'hello'.substring(1, 3).replace('e', 'a')", json!("al")),
    ];
    let claims = serde_json::Map::new();
    for (expr, want) in rows {
        assert_eq!(
            eval_claims(expr, &claims, NEWEST).as_ref(),
            Ok(want),
            "{expr}"
        );
    }
    let empty = eval_claims("[].min()", &claims, NEWEST).unwrap_err();
    assert!(
        empty.to_string().contains("min called on empty list"),
        "{empty}"
    );
}

/// A function the API server has and the evaluator lacks is said, not guessed.
#[test]
fn not_simulated_functions_are_named() {
    let claims = serde_json::Map::new();
    match eval_claims(
        "timestamp('2024-01-01T00:00:00Z').getFullYear() > 2000",
        &claims,
        NEWEST,
    ) {
        Err(CelError::NotSimulated(e)) => {
            assert!(
                e.contains("timestamp() of the standard library (Kubernetes 1.29)"),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
    // The format library is evaluated (issue 29), with the release's texts.
    assert_eq!(
        eval_claims(
            "format.dns1123Label().validate('a.b').value()[0]",
            &claims,
            NEWEST
        ),
        Ok(json!("must not contain dots"))
    );
    assert_eq!(
        eval_claims(
            "format.named('nope').hasValue() || !format.uuid().validate('x').hasValue()",
            &claims,
            NEWEST
        ),
        Ok(json!(false))
    );
    assert_eq!(
        eval_claims("[3, 1, 2].sortBy(x, -x)", &claims, NEWEST),
        Ok(json!([3, 2, 1]))
    );
    // The IP library is evaluated (issue 29).
    assert_eq!(
        eval_claims("ip('10.0.0.1').family() == 4", &claims, NEWEST),
        Ok(json!(true))
    );
    // The checker runs first: an undeclared function is an error as the API server says it.
    match eval_claims("ip('10.0.0.1').family() == 4", &claims, KubeVersion(29)) {
        Err(CelError::Failed(e)) => assert!(e.contains("undeclared reference to 'ip'"), "{e}"),
        other => panic!("{other:?}"),
    }
    let user = json!({"username": "a", "uid": "", "groups": ["g"], "extra": {}});
    assert_eq!(
        eval_user("sets.contains(user.groups, ['g'])", &user, NEWEST),
        Ok(json!(true))
    );
}
