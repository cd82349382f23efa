//! PURE. The API server's CEL environment for claim mappings and validation rules (spec §3.3):
//! [`compile`] checks an expression as the API server does when it loads the configuration
//! ([`check`], with the functions [`library`] declares for the release), and [`eval_claims`] /
//! [`eval_user`] evaluate it with the `cel` crate: `claims` is the token payload as
//! `map(string, any)` (JSON numbers are doubles), `user` is `{username, uid, groups, extra}`.
//! Claim names that are not CEL identifiers are also reachable through Kubernetes' escaping
//! (`__dot__`, `__dash__`, `__slash__`, `__underscores__`, `__<keyword>__`).
//!
//! Expressions are parsed with the crate's Pratt parser rather than its default ANTLR one:
//! the ANTLR runtime's vtables and tables added 235 KB of relocated data and 16K relocations
//! to the binary, which every `get-token` cache hit paid for in page faults at load
//! (about 0.15 ms, a tenth of the hit). The Pratt parser is tested by the crate against the
//! same cases; ours are in the tests below and in `doctor::tests`.

pub mod check;
mod errors;
mod format;
mod gourl;
mod ip;
mod kube;
pub mod library;
mod lists;
mod operators;
mod panics;
mod position;
mod quantity;
mod rewrite;
mod semver;
mod types;
mod validate;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use cel::objects::{Key, Map};
use cel::parser::PrattParser;
use cel::{Context, IdedExpr, Value};
use serde_json::Value as Json;

use self::check::{Checker, Ty};
use crate::doctor::version::KubeVersion;

/// Which variable an expression sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    /// Claim mappings and claim validation rules.
    Claims,
    /// User validation rules.
    User,
}

/// What the API server requires of an expression's static type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// Mappings: checked at run time.
    Any,
    /// Validation rules: `bool`, statically.
    Bool,
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum CelError {
    /// As the API server would fail: its text.
    Failed(String),
    /// The expression uses a function the API server has and this evaluator does not.
    NotSimulated(String),
}

impl fmt::Display for CelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CelError::Failed(e) | CelError::NotSimulated(e) => f.write_str(e),
        }
    }
}

fn parse(expression: &str) -> Result<IdedExpr, String> {
    PrattParser::new()
        .enable_optional_syntax(true)
        .parse(expression)
        .map_err(|e| format!("compilation failed: {e}"))
}

fn variable(var: Var) -> (&'static str, Ty) {
    match var {
        Var::Claims => (
            "claims",
            Ty::Map(Box::new(Ty::Str), Box::new(Ty::Dyn("any"))),
        ),
        Var::User => ("user", Ty::User),
    }
}

/// Compile `expression` as the API server does at start: parse, check every name and type,
/// and the result type. The error is the API server's text (`compilation failed: ERROR:
/// <input>:1:1: undeclared reference to 'claim' (in container '')...`, `must evaluate to bool`).
pub fn compile(
    expression: &str,
    var: Var,
    returns: Returns,
    version: KubeVersion,
) -> Result<(), String> {
    let ast = parse(expression)?;
    let mut checker = Checker::new(expression, version, variable(var));
    let ty = checker
        .check(&ast)
        .and_then(|ty| checker.validate_literals(&ast).map(|()| ty))
        .and_then(|ty| checker.validate_format(&ast).map(|()| ty))
        .map_err(|i| format!("compilation failed: {}", check::render(expression, &i)))?;
    if returns == Returns::Bool && ty != Ty::Bool {
        return Err("must evaluate to bool".into());
    }
    Ok(())
}

/// Whether the value of `expression` is a list cel-go keeps as Go strings (what `split` and
/// `findAll` return, also concatenated or passed through `dyn()`): the API server's conversion
/// of a mapping's result takes lists of values only, and refuses these ("expression must
/// return a string or a list of strings"). A list built anew (`.map(x, x)`, `sort()`) is not.
pub fn returns_go_string_list(expression: &str) -> bool {
    parse(expression).is_ok_and(|e| go_strings(&e))
}

fn go_strings(e: &IdedExpr) -> bool {
    use cel::common::ast::{Expr, operators};
    let Expr::Call(c) = &e.expr else {
        return false;
    };
    match (c.target.is_some(), c.func_name.as_str()) {
        (true, "split" | "findAll") => true,
        // A format's errors: `format.x().validate(s).value()`.
        (true, "value") => c.target.as_deref().is_some_and(
            |t| matches!(&t.expr, Expr::Call(v) if v.func_name == "validate" && v.target.is_some()),
        ),
        (false, "dyn") => c.args.first().is_some_and(go_strings),
        (false, f) if f == operators::ADD => c.args.iter().any(go_strings),
        (false, f) if f == operators::CONDITIONAL => c.args[1..].iter().all(go_strings),
        _ => false,
    }
}

/// Does `expression` select `claims.<field>` (or `claims.?<field>`)? As `validation.go`'s
/// `hasSelectExp` decides the email_verified rule: index syntax does not count.
pub fn selects_claim(expression: &str, field: &str) -> bool {
    parse(expression).is_ok_and(|e| selects(&e, field))
}

fn selects(e: &IdedExpr, field: &str) -> bool {
    use cel::common::ast::{EntryExpr, Expr, LiteralValue, operators};
    let is_claims = |x: &IdedExpr| matches!(&x.expr, Expr::Ident(n) if n == "claims");
    match &e.expr {
        Expr::Select(s) => {
            (is_claims(&s.operand) && s.field == field) || selects(&s.operand, field)
        }
        Expr::Call(c) => {
            let opt = c.func_name == operators::OPT_SELECT
                && c.args.len() == 2
                && is_claims(&c.args[0])
                && matches!(&c.args[1].expr, Expr::Literal(LiteralValue::String(s)) if s.inner() == field);
            opt || c.args.iter().any(|a| selects(a, field))
                || c.target.as_ref().is_some_and(|t| selects(t, field))
        }
        Expr::List(l) => l.elements.iter().any(|x| selects(x, field)),
        Expr::Map(m) => m.entries.iter().any(|en| match &en.expr {
            EntryExpr::MapEntry(me) => selects(&me.key, field) || selects(&me.value, field),
            EntryExpr::StructField(f) => selects(&f.value, field),
        }),
        Expr::Struct(st) => st.entries.iter().any(|en| match &en.expr {
            EntryExpr::MapEntry(me) => selects(&me.key, field) || selects(&me.value, field),
            EntryExpr::StructField(f) => selects(&f.value, field),
        }),
        Expr::Comprehension(c) => [
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ]
        .iter()
        .any(|x| selects(x, field)),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => false,
    }
}

const KEYWORDS: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

/// The Kubernetes CEL escaping of a property name, if it differs from the name.
pub fn escape(name: &str) -> Option<String> {
    if KEYWORDS.contains(&name) {
        return Some(format!("__{name}__"));
    }
    let ok = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
    if !ok {
        return None;
    }
    let escaped = name
        .replace("__", "__underscores__")
        .replace('.', "__dot__")
        .replace('-', "__dash__")
        .replace('/', "__slash__");
    (escaped != name).then_some(escaped)
}

pub fn to_cel(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::String(Arc::new(s.clone())),
        Json::Array(a) => Value::List(Arc::new(a.iter().map(to_cel).collect())),
        Json::Object(o) => object(o, false),
    }
}

fn object(o: &serde_json::Map<String, Json>, with_escapes: bool) -> Value {
    let mut m: HashMap<Key, Value> = HashMap::new();
    for (k, v) in o {
        let value = to_cel(v);
        if with_escapes && let Some(e) = escape(k) {
            m.insert(Key::String(Arc::new(e)), value.clone());
        }
        m.insert(Key::String(Arc::new(k.clone())), value);
    }
    Value::Map(Map { map: Arc::new(m) })
}

fn to_json(v: &Value) -> Result<Json, String> {
    Ok(match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::UInt(u) => Json::from(*u),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.to_string()),
        Value::List(l) => Json::Array(l.iter().map(to_json).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m.map.iter() {
                let key = match k {
                    Key::String(s) => s.to_string(),
                    Key::Int(i) => i.to_string(),
                    Key::Uint(u) => u.to_string(),
                    Key::Bool(b) => b.to_string(),
                };
                o.insert(key, to_json(v)?);
            }
            Json::Object(o)
        }
        // Bytes, a URL, an optional...: neither a string nor a list, which is all the API
        // server's conversions look for.
        other => Json::Object(serde_json::Map::from_iter([(
            "@cel".to_owned(),
            Json::String(kube::cel_type(other)),
        )])),
    })
}

/// Evaluate `expression` with one variable bound; the result as JSON.
fn eval(expression: &str, var: Var, value: Value, version: KubeVersion) -> Result<Json, CelError> {
    let program = parse(expression).map_err(CelError::Failed)?;
    let mut checker = Checker::new(expression, version, variable(var));
    checker
        .check(&program)
        .and_then(|_| checker.validate_literals(&program))
        .and_then(|()| checker.validate_format(&program))
        .map_err(|i| {
            CelError::Failed(format!(
                "compilation failed: {}",
                check::render(expression, &i)
            ))
        })?;
    if let Some(d) = checker.used.iter().find(|d| !d.simulated) {
        return Err(CelError::NotSimulated(format!(
            "expression '{expression}' calls {}() of the {} library (Kubernetes 1.{}), which kubectl-oidc does not evaluate; the API server does",
            d.name,
            d.library,
            d.since.max(KubeVersion::OLDEST.0)
        )));
    }
    let mut program = program;
    rewrite::rewrite(&mut program, version.0);
    let mut ctx = Context::with_env(library::env());
    ctx.add_variable_from_value(variable(var).0, value);
    let out = Value::resolve(&program, &ctx).map_err(|e| {
        let error =
            panics::panic_of(&program, &ctx).map_or_else(|| errors::go_error(&e), str::to_owned);
        CelError::Failed(format!(
            "expression '{expression}' resulted in error: {error}"
        ))
    })?;
    to_json(&out).map_err(CelError::Failed)
}

/// Evaluate over `claims` (the token payload).
pub fn eval_claims(
    expression: &str,
    claims: &serde_json::Map<String, Json>,
    version: KubeVersion,
) -> Result<Json, CelError> {
    eval(expression, Var::Claims, object(claims, true), version)
}

/// Evaluate over `user` (`{username, uid, groups, extra}`).
pub fn eval_user(expression: &str, user: &Json, version: KubeVersion) -> Result<Json, CelError> {
    eval(expression, Var::User, to_cel(user), version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const V: KubeVersion = KubeVersion::NEWEST;

    fn claims(v: Json) -> serde_json::Map<String, Json> {
        v.as_object().unwrap().clone()
    }

    /// spec §3.3 and the Authenticating page's examples.
    #[test]
    fn kubernetes_expressions() {
        let c = claims(json!({
            "sub": "auth", "username": "foo", "roles": "user,admin", "email": "a@b.c",
            "cognito:groups": ["g1"], "foo.bar": "dotted", "hd": "example.com", "n": 3
        }));
        let cases: &[(&str, Json)] = &[
            (
                "claims.username + ':external-user'",
                json!("foo:external-user"),
            ),
            ("claims.roles.split(',')", json!(["user", "admin"])),
            ("claims['cognito:groups']", json!(["g1"])),
            ("claims.foo__dot__bar", json!("dotted")),
            ("claims.?email_verified.orValue(true) == true", json!(true)),
            ("has(claims.email_verified)", json!(false)),
            ("claims.hd == 'example.com'", json!(true)),
            ("claims.n == 3.0", json!(true)),
            ("claims.email.endsWith('@b.c')", json!(true)),
        ];
        for (expr, want) in cases {
            assert_eq!(eval_claims(expr, &c, V).as_ref(), Ok(want), "{expr}");
        }
        let e = eval_claims("claims.groups", &c, V).unwrap_err().to_string();
        assert!(
            e.starts_with("expression 'claims.groups' resulted in error"),
            "{e}"
        );
        let user = json!({"username": "system:x", "uid": "", "groups": [], "extra": {}});
        assert_eq!(
            eval_user("!user.username.startsWith('system:')", &user, V),
            Ok(json!(false))
        );
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("foo.bar").as_deref(), Some("foo__dot__bar"));
        assert_eq!(escape("a-b/c").as_deref(), Some("a__dash__b__slash__c"));
        assert_eq!(escape("a__b").as_deref(), Some("a__underscores__b"));
        assert_eq!(escape("namespace").as_deref(), Some("__namespace__"));
        assert_eq!(escape("sub"), None);
        assert_eq!(escape("cognito:groups"), None);
    }
}

#[cfg(test)]
mod library_tests;
#[cfg(test)]
mod table_tests;
