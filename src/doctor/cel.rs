//! PURE. The API server's CEL environment for claim mappings and validation rules (spec §3.3),
//! evaluated with the `cel` crate: `claims` is the token payload as `map(string, dyn)` (JSON
//! numbers are doubles), `user` is `{username, uid, groups, extra}`. Claim names that are not
//! CEL identifiers are also reachable through Kubernetes' escaping (`__dot__`, `__dash__`,
//! `__slash__`, `__underscores__`, `__<keyword>__`).
//!
//! Expressions are parsed with the crate's Pratt parser rather than its default ANTLR one:
//! the ANTLR runtime's vtables and tables added 235 KB of relocated data and 16K relocations
//! to the binary, which every `get-token` cache hit paid for in page faults at load
//! (about 0.15 ms, a tenth of the hit). The Pratt parser is tested by the crate against the
//! same cases; ours are in the tests below and in `doctor::tests`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use cel::objects::{Key, Map};
use cel::parser::PrattParser;
use cel::{Context, Env, Value};
use serde_json::Value as Json;

fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // Kubernetes adds the strings and lists extension libraries.
        env.add_extension(cel::extensions::strings)
            .expect("the strings extension is added once");
        env.add_extension(cel::extensions::lists)
            .expect("the lists extension is added once");
        Arc::new(env)
    })
    .clone()
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
        other => return Err(format!("unsupported result type {:?}", other.type_of())),
    })
}

/// Evaluate `expression` with one variable bound; the result as JSON.
fn eval(expression: &str, name: &str, value: Value) -> Result<Json, String> {
    let program = PrattParser::new()
        .enable_optional_syntax(true)
        .parse(expression)
        .map_err(|e| format!("compilation failed: {e}"))?;
    let mut ctx = Context::with_env(env());
    ctx.add_variable_from_value(name, value);
    let out = Value::resolve(&program, &ctx)
        .map_err(|e| format!("expression '{expression}' resulted in error: {e}"))?;
    to_json(&out)
}

/// Evaluate over `claims` (the token payload).
pub fn eval_claims(
    expression: &str,
    claims: &serde_json::Map<String, Json>,
) -> Result<Json, String> {
    eval(expression, "claims", object(claims, true))
}

/// Evaluate over `user` (`{username, uid, groups, extra}`).
pub fn eval_user(expression: &str, user: &Json) -> Result<Json, String> {
    eval(expression, "user", to_cel(user))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            assert_eq!(eval_claims(expr, &c).as_ref(), Ok(want), "{expr}");
        }
        let e = eval_claims("claims.groups", &c).unwrap_err();
        assert!(
            e.starts_with("expression 'claims.groups' resulted in error"),
            "{e}"
        );
        let user = json!({"username": "system:x", "uid": "", "groups": [], "extra": {}});
        assert_eq!(
            eval_user("!user.username.startsWith('system:')", &user),
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
