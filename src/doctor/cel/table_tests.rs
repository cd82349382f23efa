//! The API server's CEL environment, table by table: what compiles at start (each row names the
//! Kubernetes or cel-go test it mirrors) and what each library function returns.

use serde_json::{Value as Json, json};

use super::{CelError, Returns, Var, compile, eval_claims, eval_user};
use crate::doctor::version::KubeVersion;

const NEWEST: KubeVersion = KubeVersion::NEWEST;

/// What the API server says when it compiles an expression (spec §3.3).
#[test]
fn compile_at_start() {
    use Returns::{Any, Bool};
    use Var::{Claims, User};
    type Row = (
        &'static str,
        Var,
        Returns,
        u8,
        Result<(), &'static str>,
        &'static str,
    );
    let rows: &[Row] = &[
        // staging/src/k8s.io/apiserver/pkg/apis/apiserver/validation/validation_test.go
        (
            "foo.bar",
            Claims,
            Bool,
            37,
            Err(
                "compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar\n | ^",
            ),
            "TestValidateClaimValidationRules: CEL expression compilation error",
        ),
        (
            "claims.foo",
            Claims,
            Bool,
            37,
            Err("must evaluate to bool"),
            "TestValidateClaimValidationRules: expression does not evaluate to bool",
        ),
        (
            "claims.foo == 'bar'",
            Claims,
            Bool,
            37,
            Ok(()),
            "TestValidateClaimValidationRules: valid claim validation rule with expression",
        ),
        (
            "claim.groups",
            Claims,
            Any,
            37,
            Err(
                "compilation failed: ERROR: <input>:1:1: undeclared reference to 'claim' (in container '')\n | claim.groups\n | ^",
            ),
            "TestValidateClaimMappings: username expression is invalid",
        ),
        (
            "user.username == 'foo'",
            User,
            Bool,
            37,
            Ok(()),
            "TestValidateUserValidationRules: valid user info validation rule",
        ),
        // staging/src/k8s.io/apiserver/pkg/authentication/cel/compile_test.go
        (
            "user.username == 'foo'",
            Claims,
            Bool,
            37,
            Err(
                "compilation failed: ERROR: <input>:1:1: undeclared reference to 'user' (in container '')",
            ),
            "TestCompileClaimsExpressionError: UserValidationCondition with wrong env",
        ),
        (
            "claims + 1",
            Claims,
            Any,
            37,
            Err(
                "compilation failed: ERROR: <input>:1:8: found no matching overload for '_+_' applied to '(map(string, any), int)'",
            ),
            "TestCompileClaimsExpressionError: invalid ClaimMappingCondition",
        ),
        (
            "claims.foo",
            User,
            Any,
            37,
            Err("undeclared reference to 'claims'"),
            "TestCompileUserExpressionError: ClamMappingCondition with wrong env",
        ),
        (
            "user.username",
            User,
            Bool,
            37,
            Err("must evaluate to bool"),
            "TestCompileUserExpressionError: UserValidationCondition expression with non bool return type",
        ),
        (
            "user.foo == 'x'",
            User,
            Bool,
            37,
            Err("undefined field 'foo'"),
            "cel-go checker: kubernetes.UserInfo has username, uid, groups, extra",
        ),
        // staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc_test.go
        (
            "sets.equivalent(claims.aud, ['bar', 'foo', 'baz'])",
            Claims,
            Bool,
            37,
            Ok(()),
            "TestToken: valid token with nuanced audience validation using claim validation rules",
        ),
        (
            "claims.?email_verified.orValue(true) == true",
            Claims,
            Bool,
            37,
            Ok(()),
            "the email_verified check for username.claim email",
        ),
        (
            "has(claims.hd) && claims.hd == 'example.com'",
            Claims,
            Bool,
            37,
            Ok(()),
            "TestToken: claim validation rule with has()",
        ),
        // A claim is `any`, which cel-go does not iterate (the oracle, issue 29: this table
        // said it compiled); `dyn()` makes it iterable.
        (
            "claims.groups.exists(g, g == 'admin')",
            Claims,
            Bool,
            37,
            Err(
                "expression of type 'any' cannot be range of a comprehension (must be list, map, or dynamic)",
            ),
            "cel-go macros: exists over an any",
        ),
        (
            "dyn(claims.groups).exists(g, g == 'admin')",
            Claims,
            Bool,
            37,
            Ok(()),
            "cel-go macros: exists over dyn",
        ),
        (
            "claims.roles.split(',').map(r, 'r:' + r)",
            Claims,
            Any,
            37,
            Ok(()),
            "TestToken: groups expression",
        ),
        // pkg/cel/environment/base.go: the libraries by release
        // base.go has cel-go's ext.Lists version 3 from 1.34 (the oracle, issue 29: this
        // table said it was not in the environment).
        (
            "claims.groups.flatten()",
            Claims,
            Any,
            37,
            Ok(()),
            "base.go: cel-go's ext.Lists version 3 from 1.34",
        ),
        (
            "claims.groups.flatten()",
            Claims,
            Any,
            33,
            Err("undeclared reference to 'flatten'"),
            "base.go: cel-go's ext.Lists version 3 from 1.34",
        ),
        // Strings' reverse is ext.Strings version 3, not in the environment; lists' reverse
        // is, and takes an `any` receiver (it fails at run time on a string).
        (
            "claims.sub.reverse()",
            Claims,
            Any,
            37,
            Ok(()),
            "base.go: ext.Lists' reverse (strings' is version 3)",
        ),
        (
            "ip('10.0.0.1').family() == 4",
            Claims,
            Bool,
            29,
            Err("undeclared reference to 'ip'"),
            "base.go: IP and CIDR from 1.30",
        ),
        (
            "ip('10.0.0.1').family() == 4",
            Claims,
            Bool,
            30,
            Ok(()),
            "base.go: IP and CIDR from 1.30",
        ),
        (
            "claims.groups.all(i, g, g != '')",
            Claims,
            Bool,
            31,
            Err("undeclared reference to 'i'"),
            "base.go: two-variable comprehensions from 1.32",
        ),
        (
            "dyn(claims.groups).all(i, g, g != '')",
            Claims,
            Bool,
            32,
            Ok(()),
            "base.go: two-variable comprehensions from 1.32",
        ),
        (
            "isSemver(claims.v)",
            Claims,
            Bool,
            32,
            Err("undeclared reference to 'isSemver'"),
            "base.go: semver from 1.33",
        ),
        (
            "format.dns1123Label().validate(claims.sub).hasValue()",
            Claims,
            Bool,
            31,
            Ok(()),
            "base.go: format from 1.31",
        ),
        (
            "[1, 'a']",
            Claims,
            Any,
            37,
            Err("expected type 'int' but found 'string'"),
            "base.go: HomogeneousAggregateLiterals",
        ),
        (
            "claims.n + 1 > 2",
            Claims,
            Bool,
            37,
            Ok(()),
            "cel-go: any + int is int, checked at run time",
        ),
        (
            "claims.n + 1 == 'x'",
            Claims,
            Bool,
            37,
            Err("found no matching overload for '_==_' applied to '(int, string)'"),
            "cel-go: any + int is int",
        ),
        (
            "'a' + 1",
            Claims,
            Any,
            37,
            Err("found no matching overload for '_+_' applied to '(string, int)'"),
            "cel-go checker: string + int",
        ),
        (
            "claims.(",
            Claims,
            Any,
            37,
            Err("compilation failed: "),
            "cel-go parser: syntax error",
        ),
    ];
    for (expr, var, returns, minor, want, cites) in rows {
        let got = compile(expr, *var, *returns, KubeVersion(*minor));
        match (got, want) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(w)) => assert!(
                e.contains(w),
                "{cites}: {expr} at 1.{minor}: got {e:?}, want {w:?}"
            ),
            (got, want) => panic!("{cites}: {expr} at 1.{minor}: got {got:?}, want {want:?}"),
        }
    }
}

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
