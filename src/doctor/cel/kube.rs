//! PURE. The libraries of the API server's CEL environment that the `cel` crate lacks: cel-go's
//! `sets` extension and Kubernetes' `lists`, `regex` and `urls` libraries
//! (`k8s.io/apiserver/pkg/cel/library`), with their results and error texts.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use cel::common::types::{DYN_TYPE, INT_TYPE, LIST_TYPE, STRING_TYPE, Type};
use cel::common::value::{CowVal, Val};
use cel::objects::{Key, Map, Opaque};
use cel::{DeclarationError, Env, ExecutionError, Value};

use super::gourl::{GoUrl, parse_request_uri};

type Impl = fn(&[Value]) -> Result<Value, String>;

/// Run `f` over the arguments as `Value`s (the receiver first).
pub(super) fn call<'b, 'v>(
    name: &str,
    f: Impl,
    args: &[CowVal<'b, 'v>],
) -> Result<CowVal<'b, 'v>, ExecutionError> {
    let values = args
        .iter()
        .map(|a| Value::try_from(a.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let out = f(&values).map_err(|e| {
        // A value of another type: cel-go's type guard names the function and the types.
        let e = if e == PLAIN {
            "no such overload".to_owned()
        } else if e == "no such overload" || e.starts_with("expected a") {
            let types: Vec<String> = values.iter().map(cel_type).collect();
            format!("no such overload: {name}({})", types.join(", "))
        } else {
            e
        };
        ExecutionError::function_error(name, e)
    })?;
    Ok(CowVal::Owned(Box::<dyn Val>::try_from(out)?))
}

/// What a function body returns for cel-go's untyped "no such overload" (a library's
/// `MaybeNoSuchOverloadErr`); a plain "no such overload" becomes the type guard's text.
pub(super) const PLAIN: &str = "\u{1}no such overload";

/// cel-go's name of the type of `v` (`double`, `null_type`, `kubernetes.URL`, ...).
pub(super) fn cel_type(v: &Value) -> String {
    match v {
        Value::Int(_) => "int".into(),
        Value::UInt(_) => "uint".into(),
        Value::Float(_) => "double".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::Bool(_) => "bool".into(),
        Value::Null => "null_type".into(),
        Value::List(_) => "list".into(),
        Value::Map(_) => "map".into(),
        Value::Opaque(o) => o.runtime_type_name().to_owned(),
        _ => "dyn".into(),
    }
}

/// `fn wrapper(args) -> Result<CowVal, ExecutionError>` for each `fn body(&[Value])`.
macro_rules! functions {
    ($($wrapper:ident: $name:literal => $body:path;)*) => {$(
        fn $wrapper<'b, 'v>(
            args: Vec<cel::common::value::CowVal<'b, 'v>>,
        ) -> Result<cel::common::value::CowVal<'b, 'v>, cel::ExecutionError> {
            call($name, $body, &args)
        }
    )*};
}
pub(super) use functions;

functions! {
    w_sets_contains: "sets.contains" => sets_contains;
    w_sets_equivalent: "sets.equivalent" => sets_equivalent;
    w_sets_intersects: "sets.intersects" => sets_intersects;
    w_is_sorted: "isSorted" => is_sorted;
    w_sum: "sum" => sum;
    w_min: "min" => min;
    w_max: "max" => max;
    w_index_of: "indexOf" => index_of;
    w_last_index_of: "lastIndexOf" => last_index_of;
    w_find: "find" => find;
    w_find_all: "findAll" => find_all;
    w_url: "url" => url;
    w_is_url: "isURL" => is_url;
    w_get_scheme: "getScheme" => get_scheme;
    w_get_host: "getHost" => get_host;
    w_get_hostname: "getHostname" => get_hostname;
    w_get_port: "getPort" => get_port;
    w_get_escaped_path: "getEscapedPath" => get_escaped_path;
    w_get_query: "getQuery" => get_query;
}

pub(super) type Wrapper = cel::common::functions::Function;

/// Register the libraries on `env`.
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let sets: [(&str, Wrapper); 3] = [
        ("sets.contains", w_sets_contains),
        ("sets.equivalent", w_sets_equivalent),
        ("sets.intersects", w_sets_intersects),
    ];
    for (name, f) in sets {
        env.add_overload(name, &name.replace('.', "_"), vec![LIST_TYPE, LIST_TYPE], f)?;
    }
    let members: [(&str, Type, Vec<Type>, Wrapper); 14] = [
        ("isSorted", LIST_TYPE, vec![], w_is_sorted),
        ("sum", LIST_TYPE, vec![], w_sum),
        ("min", LIST_TYPE, vec![], w_min),
        ("max", LIST_TYPE, vec![], w_max),
        ("indexOf", LIST_TYPE, vec![DYN_TYPE], w_index_of),
        ("lastIndexOf", LIST_TYPE, vec![DYN_TYPE], w_last_index_of),
        ("find", STRING_TYPE, vec![STRING_TYPE], w_find),
        ("findAll", STRING_TYPE, vec![STRING_TYPE], w_find_all),
        (
            "findAll",
            STRING_TYPE,
            vec![STRING_TYPE, INT_TYPE],
            w_find_all,
        ),
        ("getScheme", DYN_TYPE, vec![], w_get_scheme),
        ("getHost", DYN_TYPE, vec![], w_get_host),
        ("getHostname", DYN_TYPE, vec![], w_get_hostname),
        ("getPort", DYN_TYPE, vec![], w_get_port),
        ("getEscapedPath", DYN_TYPE, vec![], w_get_escaped_path),
    ];
    for (name, target, args, f) in members {
        let id = format!("k8s_{name}_{}", args.len());
        env.add_member_overload(name, &id, target, args, f)?;
    }
    env.add_member_overload("getQuery", "k8s_getQuery", DYN_TYPE, vec![], w_get_query)?;
    env.add_overload("url", "k8s_url", vec![STRING_TYPE], w_url)?;
    env.add_overload("isURL", "k8s_isURL", vec![STRING_TYPE], w_is_url)?;
    Ok(())
}

fn list(v: &Value) -> Result<&[Value], String> {
    match v {
        Value::List(l) => Ok(l),
        other => Err(format!("expected a list, got {:?}", other.type_of())),
    }
}

fn string(v: &Value) -> Result<&str, String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(format!("expected a string, got {:?}", other.type_of())),
    }
}

fn two_lists(args: &[Value]) -> Result<(&[Value], &[Value]), String> {
    match args {
        [a, b] => Ok((list(a)?, list(b)?)),
        _ => Err("expected two lists".into()),
    }
}

/// `sets.contains(a, b)`: every element of `b` is in `a`.
fn sets_contains(args: &[Value]) -> Result<Value, String> {
    let (a, b) = two_lists(args)?;
    Ok(Value::Bool(b.iter().all(|x| a.contains(x))))
}

/// `sets.equivalent(a, b)`: the same elements, whatever their order and repetitions.
fn sets_equivalent(args: &[Value]) -> Result<Value, String> {
    let (a, b) = two_lists(args)?;
    Ok(Value::Bool(
        b.iter().all(|x| a.contains(x)) && a.iter().all(|x| b.contains(x)),
    ))
}

/// `sets.intersects(a, b)`: an element in common.
fn sets_intersects(args: &[Value]) -> Result<Value, String> {
    let (a, b) = two_lists(args)?;
    Ok(Value::Bool(b.iter().any(|x| a.contains(x))))
}

fn compare(a: &Value, b: &Value) -> Result<Ordering, String> {
    a.partial_cmp(b)
        .ok_or_else(|| format!("cannot compare {:?} with {:?}", a.type_of(), b.type_of()))
}

/// A list of comparable values (`list(T)` with T comparable: the library's type guard).
fn comparables(v: &Value) -> Result<&[Value], String> {
    let l = list(v)?;
    let comparable = |x: &Value| {
        matches!(
            x,
            Value::Int(_)
                | Value::UInt(_)
                | Value::Float(_)
                | Value::String(_)
                | Value::Bytes(_)
                | Value::Bool(_)
        )
    };
    if l.iter().all(comparable) {
        Ok(l)
    } else {
        Err("no such overload".into())
    }
}

fn is_sorted(args: &[Value]) -> Result<Value, String> {
    let l = comparables(&args[0])?;
    for w in l.windows(2) {
        if compare(&w[0], &w[1])? == Ordering::Greater {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn sum(args: &[Value]) -> Result<Value, String> {
    let l = list(&args[0])?;
    let mut total = match l.first() {
        None | Some(Value::Int(_)) => Value::Int(0),
        Some(Value::UInt(_)) => Value::UInt(0),
        Some(Value::Float(_)) => Value::Float(0.0),
        Some(_) => return Err("no such overload".into()),
    };
    for x in l {
        total = match (&total, x) {
            (Value::Int(a), Value::Int(b)) => Value::Int(a.checked_add(*b).ok_or("overflow")?),
            (Value::UInt(a), Value::UInt(b)) => Value::UInt(a.checked_add(*b).ok_or("overflow")?),
            (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
            _ => return Err("no such overload".into()),
        };
    }
    Ok(total)
}

fn extreme(args: &[Value], name: &str, keep: Ordering) -> Result<Value, String> {
    let l = comparables(&args[0])?;
    let mut best = l
        .first()
        .ok_or_else(|| format!("{name} called on empty list"))?;
    for x in &l[1..] {
        if compare(x, best)? == keep {
            best = x;
        }
    }
    Ok(best.clone())
}

fn min(args: &[Value]) -> Result<Value, String> {
    extreme(args, "min", Ordering::Less)
}

fn max(args: &[Value]) -> Result<Value, String> {
    extreme(args, "max", Ordering::Greater)
}

fn index_of(args: &[Value]) -> Result<Value, String> {
    let l = list(&args[0])?;
    Ok(Value::Int(
        l.iter()
            .position(|x| *x == args[1])
            .map_or(-1, |i| i as i64),
    ))
}

fn last_index_of(args: &[Value]) -> Result<Value, String> {
    let l = list(&args[0])?;
    Ok(Value::Int(
        l.iter()
            .rposition(|x| *x == args[1])
            .map_or(-1, |i| i as i64),
    ))
}

fn regex(pattern: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(pattern).map_err(|e| format!("invalid regex {pattern:?}: {e}"))
}

/// `s.find(re)`: the first match, or `""`.
fn find(args: &[Value]) -> Result<Value, String> {
    let re = regex(string(&args[1])?)?;
    let found = re.find(string(&args[0])?).map_or("", |m| m.as_str());
    Ok(Value::String(Arc::new(found.to_owned())))
}

/// `s.findAll(re)` and `s.findAll(re, n)`: every match, or the first `n` (all when negative).
fn find_all(args: &[Value]) -> Result<Value, String> {
    let re = regex(string(&args[1])?)?;
    let limit = match args.get(2) {
        Some(Value::Int(n)) if *n >= 0 => *n as usize,
        _ => usize::MAX,
    };
    let all: Vec<Value> = re
        .find_iter(string(&args[0])?)
        .take(limit)
        .map(|m| Value::String(Arc::new(m.as_str().to_owned())))
        .collect();
    Ok(Value::List(Arc::new(all)))
}

/// A `net.URL` value: what Go's `url.ParseRequestURI` makes of the text (`gourl.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct KubeUrl(GoUrl);

impl Opaque for KubeUrl {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.URL"
    }
}

fn parse_url(text: &str) -> Result<KubeUrl, String> {
    parse_request_uri(text)
        .map(KubeUrl)
        .map_err(|e| format!("URL parse error during conversion from string: {e}"))
}

fn url(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Opaque(Arc::new(parse_url(string(&args[0])?)?)))
}

fn is_url(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(parse_url(string(&args[0])?).is_ok()))
}

fn the_url(v: &Value) -> Result<&KubeUrl, String> {
    match v {
        Value::Opaque(o) => o
            .downcast_ref::<KubeUrl>()
            .ok_or_else(|| "expected a URL".into()),
        _ => Err("expected a URL".into()),
    }
}

fn text(s: &str) -> Value {
    Value::String(Arc::new(s.to_owned()))
}

fn get_scheme(args: &[Value]) -> Result<Value, String> {
    Ok(text(&the_url(&args[0])?.0.scheme))
}

fn get_host(args: &[Value]) -> Result<Value, String> {
    Ok(text(&the_url(&args[0])?.0.host))
}

fn get_hostname(args: &[Value]) -> Result<Value, String> {
    Ok(text(the_url(&args[0])?.0.hostname()))
}

fn get_port(args: &[Value]) -> Result<Value, String> {
    Ok(text(the_url(&args[0])?.0.port()))
}

fn get_escaped_path(args: &[Value]) -> Result<Value, String> {
    Ok(text(&the_url(&args[0])?.0.escaped_path()))
}

/// `map(string, list(string))`, the values of each key in order.
fn get_query(args: &[Value]) -> Result<Value, String> {
    let map = the_url(&args[0])?
        .0
        .query()
        .into_iter()
        .map(|(k, v)| {
            let values: Vec<Value> = v.iter().map(|x| text(x)).collect();
            (Key::String(Arc::new(k)), Value::List(Arc::new(values)))
        })
        .collect::<HashMap<_, _>>();
    Ok(Value::Map(Map { map: Arc::new(map) }))
}
