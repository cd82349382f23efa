//! The API server's CEL environment: what compiles at start, table by table (each row names the
//! Kubernetes or cel-go test it mirrors). What each library function returns is in
//! `library_tests.rs`.

use super::{Returns, Var, compile};
use crate::doctor::version::KubeVersion;

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
