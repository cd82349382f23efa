//! PURE. cel-go's lists extension, version 3 (Kubernetes 1.34: `slice`, `flatten`, `sort`,
//! `reverse`, `distinct`, `lists.range`), and `includes` of Kubernetes' lists library version
//! 1 (1.37), with cel-go's results and error texts; `sortBy` as `rewrite.rs` gives it.

use std::cmp::Ordering;

use cel::common::types::{DYN_TYPE, INT_TYPE, LIST_TYPE};
use cel::objects::Key;
use cel::{DeclarationError, Env, Value};

use super::kube::{Wrapper, call, functions};

functions! {
    w_slice: "slice" => slice;
    w_flatten: "flatten" => flatten;
    w_sort: "sort" => sort;
    w_reverse: "reverse" => reverse;
    w_distinct: "distinct" => distinct;
    w_sort_by_keys: "@sortByAssociatedKeys" => sort_by_keys;
    w_is_optional: "@isOptional" => is_optional;
    w_join: "join" => join;
    w_range: "lists.range" => range;
    w_includes: "includes" => includes;
    w_keys: "@keys" => keys;
    w_map_insert: "@mapInsert" => map_insert;
    w_string: "string" => go_string;
    w_index: "_[_]" => index;
    w_has: "has" => has;
}

/// Register the functions on `env`.
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let members: [(&str, Vec<_>, Wrapper); 7] = [
        ("slice", vec![INT_TYPE, INT_TYPE], w_slice),
        ("flatten", vec![], w_flatten),
        ("flatten", vec![INT_TYPE], w_flatten),
        ("sort", vec![], w_sort),
        ("reverse", vec![], w_reverse),
        ("@reverse", vec![], w_reverse),
        ("distinct", vec![], w_distinct),
    ];
    for (name, args, f) in members {
        let id = format!("list_{name}_{}", args.len());
        env.add_member_overload(name, &id, LIST_TYPE, args, f)?;
    }
    for args in [vec![], vec![DYN_TYPE]] {
        let id = format!("join_{}", args.len());
        env.add_member_overload("@join", &id, DYN_TYPE, args, w_join)?;
    }
    env.add_overload("@isOptional", "is_optional", vec![DYN_TYPE], w_is_optional)?;
    env.add_member_overload("includes", "includes", DYN_TYPE, vec![DYN_TYPE], w_includes)?;
    env.add_overload("lists.range", "lists_range", vec![INT_TYPE], w_range)?;
    env.add_overload(
        "@sortByKeys",
        "sort_by_keys",
        vec![LIST_TYPE, LIST_TYPE],
        w_sort_by_keys,
    )?;
    // What `rewrite` calls: the two-variable comprehensions' keys and map building, and
    // `string` with Go's formatting of doubles.
    env.add_overload("@keys", "keys", vec![DYN_TYPE], w_keys)?;
    env.add_overload(
        "@mapInsert",
        "map_insert_3",
        vec![DYN_TYPE, DYN_TYPE, DYN_TYPE],
        w_map_insert,
    )?;
    env.add_overload(
        "@mapInsert",
        "map_insert_2",
        vec![DYN_TYPE, DYN_TYPE],
        w_map_insert,
    )?;
    env.add_overload("@string", "go_string", vec![DYN_TYPE], w_string)?;
    env.add_overload("@index", "go_index", vec![DYN_TYPE, DYN_TYPE], w_index)?;
    env.add_overload("@has", "go_has", vec![DYN_TYPE, DYN_TYPE], w_has)?;
    Ok(())
}

/// The indices of a list, or the keys of a map.
fn keys(args: &[Value]) -> Result<Value, String> {
    match &args[0] {
        Value::List(l) => Ok(Value::List(
            (0..l.len() as i64)
                .map(Value::Int)
                .collect::<Vec<_>>()
                .into(),
        )),
        Value::Map(m) => Ok(Value::List(
            m.map
                .keys()
                .map(|k| Value::from(k.clone()))
                .collect::<Vec<_>>()
                .into(),
        )),
        other => Err(format!("no such overload: {:?}", other.type_of())),
    }
}

fn key(v: &Value) -> Result<Key, String> {
    Ok(match v {
        Value::Int(i) => Key::Int(*i),
        Value::UInt(u) => Key::Uint(*u),
        Value::Bool(b) => Key::Bool(*b),
        Value::String(s) => Key::String(s.clone()),
        other => return Err(format!("unsupported key type: {:?}", other.type_of())),
    })
}

/// cel-go's `cel.@mapInsert`: a key and value, or another map's entries, into a map.
fn map_insert(args: &[Value]) -> Result<Value, String> {
    let Value::Map(m) = &args[0] else {
        return Err("no such overload".into());
    };
    let mut out = (*m.map).clone();
    let entries: Vec<(Key, Value)> = match &args[1..] {
        [k, v] => vec![(key(k)?, v.clone())],
        [Value::Map(other)] => other
            .map
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => return Err("no such overload".into()),
    };
    for (k, v) in entries {
        if out.contains_key(&k) {
            let shown = match &k {
                Key::Int(i) => i.to_string(),
                Key::Uint(u) => u.to_string(),
                Key::Bool(b) => b.to_string(),
                Key::String(s) => s.to_string(),
            };
            return Err(format!("insert failed: key {shown} already exists"));
        }
        out.insert(k, v);
    }
    Ok(Value::Map(cel::objects::Map { map: out.into() }))
}

/// cel-go's `c[k]`: a list's element, a map's value, and its errors (`index out of bounds: 10`,
/// `no such key: k`, also for what cannot be indexed at all).
fn index(args: &[Value]) -> Result<Value, String> {
    let shown = |k: &Value| match k {
        Value::String(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => super::rewrite::go_float(*f),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    };
    if let Value::Null | Value::Map(_) | Value::List(_) = &args[1] {
        return Err(format!(
            "invalid qualifier type: {}",
            super::errors::go_type(&super::kube::cel_type(&args[1]))
        ));
    }
    match (&args[0], &args[1]) {
        (Value::List(l), k) => {
            let i = match k {
                Value::Int(i) => *i,
                Value::UInt(u) => i64::try_from(*u).unwrap_or(i64::MAX),
                Value::Float(f) if f.fract() == 0.0 => *f as i64,
                Value::Float(f) => {
                    return Err(format!(
                        "unsupported index value {} in list",
                        super::rewrite::go_float(*f)
                    ));
                }
                other => {
                    return Err(format!(
                        "unsupported index type '{}' in list",
                        super::kube::cel_type(other)
                    ));
                }
            };
            usize::try_from(i)
                .ok()
                .and_then(|i| l.get(i))
                .cloned()
                .ok_or_else(|| format!("index out of bounds: {i}"))
        }
        (Value::Map(m), k) => key(k)
            .ok()
            .and_then(|key| m.map.get(&key).cloned())
            .ok_or_else(|| format!("no such key: {}", shown(k))),
        (_, k) => Err(format!("no such key: {}", shown(k))),
    }
}

/// `has(x.f)`: whether a map has the key; a list cannot be asked; anything else has none.
fn has(args: &[Value]) -> Result<Value, String> {
    match (&args[0], &args[1]) {
        (Value::Map(m), k) => Ok(Value::Bool(key(k).is_ok_and(|k| m.map.contains_key(&k)))),
        (Value::List(_), k) => Err(format!(
            "unsupported index type '{}' in list",
            super::kube::cel_type(k)
        )),
        _ => Ok(Value::Bool(false)),
    }
}

/// cel-go's `string(x)`.
fn go_string(args: &[Value]) -> Result<Value, String> {
    Ok(Value::String(match &args[0] {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string().into(),
        Value::UInt(u) => u.to_string().into(),
        Value::Float(f) => super::rewrite::go_float(*f).into(),
        Value::Bool(b) => b.to_string().into(),
        Value::Bytes(b) => std::str::from_utf8(b)
            .map_err(|_| "invalid UTF-8 in bytes, cannot convert to string".to_owned())?
            .to_owned()
            .into(),
        other => match super::ip::to_string(other) {
            Some(s) => s.into(),
            None => return Err("no such overload".into()),
        },
    }))
}

fn list(v: &Value) -> Result<&[Value], String> {
    match v {
        Value::List(l) => Ok(l),
        other => Err(format!("no such overload: {:?}", other.type_of())),
    }
}

fn int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(format!("no such overload: {:?}", other.type_of())),
    }
}

fn slice(args: &[Value]) -> Result<Value, String> {
    let l = list(&args[0])?;
    let (start, end) = (int(&args[1])?, int(&args[2])?);
    if start < 0 || end < 0 {
        return Err(format!(
            "cannot slice({start}, {end}), negative indexes not supported"
        ));
    }
    if start > end {
        return Err(format!(
            "cannot slice({start}, {end}), start index must be less than or equal to end index"
        ));
    }
    if end as usize > l.len() {
        return Err(format!(
            "cannot slice({start}, {end}), list is length {}",
            l.len()
        ));
    }
    Ok(Value::List(l[start as usize..end as usize].to_vec().into()))
}

fn flattened(l: &[Value], depth: i64, out: &mut Vec<Value>) {
    for x in l {
        match x {
            Value::List(inner) if depth > 0 => flattened(inner, depth - 1, out),
            other => out.push(other.clone()),
        }
    }
}

fn flatten(args: &[Value]) -> Result<Value, String> {
    let depth = match args.get(1) {
        Some(d) => int(d)?,
        None => 1,
    };
    if depth < 0 {
        return Err("level must be non-negative".into());
    }
    let mut out = Vec::new();
    flattened(list(&args[0])?, depth, &mut out);
    Ok(Value::List(out.into()))
}

fn sort(args: &[Value]) -> Result<Value, String> {
    let l = list(&args[0])?;
    let Some(first) = l.first() else {
        return Ok(Value::List(Vec::new().into()));
    };
    if !matches!(
        first,
        Value::Int(_) | Value::UInt(_) | Value::Float(_) | Value::Bool(_) | Value::String(_)
    ) {
        return Err("list elements must be comparable".into());
    }
    if l.iter()
        .any(|x| std::mem::discriminant(x) != std::mem::discriminant(first))
    {
        return Err("list elements must have the same type".into());
    }
    let mut sorted = l.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    Ok(Value::List(sorted.into()))
}

/// `@sortByAssociatedKeys`, what `l.sortBy(v, key)` is (`rewrite.rs`): `l` in the order of
/// its keys (a stable sort: Go's for the short lists a claim holds).
fn sort_by_keys(args: &[Value]) -> Result<Value, String> {
    let (l, keys) = (list(&args[0])?, list(&args[1])?);
    if l.len() != keys.len() {
        return Err(format!(
            "@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got {} and {} elements respectively",
            l.len(),
            keys.len()
        ));
    }
    let Some(first) = keys.first() else {
        return Ok(args[0].clone());
    };
    if !matches!(
        first,
        Value::Int(_) | Value::UInt(_) | Value::Float(_) | Value::Bool(_) | Value::String(_)
    ) {
        return Err("list elements must be comparable".into());
    }
    if keys
        .iter()
        .any(|x| std::mem::discriminant(x) != std::mem::discriminant(first))
    {
        return Err("list elements must have the same type".into());
    }
    let mut order: Vec<usize> = (0..l.len()).collect();
    order.sort_by(|&a, &b| keys[a].partial_cmp(&keys[b]).unwrap_or(Ordering::Equal));
    Ok(Value::List(
        order
            .into_iter()
            .map(|i| l[i].clone())
            .collect::<Vec<_>>()
            .into(),
    ))
}

fn reverse(args: &[Value]) -> Result<Value, String> {
    let mut l = list(&args[0])?.to_vec();
    l.reverse();
    Ok(Value::List(l.into()))
}

fn distinct(args: &[Value]) -> Result<Value, String> {
    let mut out: Vec<Value> = Vec::new();
    for x in list(&args[0])? {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    Ok(Value::List(out.into()))
}

/// cel-go's default maximum of `lists.range`.
const MAX_RANGE: i64 = 1_000_000;

fn range(args: &[Value]) -> Result<Value, String> {
    let n = int(&args[0])?;
    if n < 0 {
        return Err(format!("lists.range: size must be non-negative, got {n}"));
    }
    if n > MAX_RANGE {
        return Err(format!(
            "lists.range: size {n} exceeds maximum allowed ({MAX_RANGE})"
        ));
    }
    Ok(Value::List(
        (0..n).map(Value::Int).collect::<Vec<_>>().into(),
    ))
}

/// The strings extension's `join`: a list of strings, joined by the separator (none by
/// default); any other list or receiver is no such overload (`join(list, string)`).
fn join(args: &[Value]) -> Result<Value, String> {
    let no = || "no such overload".to_owned();
    let sep = match args.get(1) {
        None => "",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(no()),
    };
    let Value::List(l) = &args[0] else {
        return Err(no());
    };
    let parts = l
        .iter()
        .map(|x| match x {
            Value::String(s) => Ok(s.as_str()),
            _ => Err(no()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::String(parts.join(sep).into()))
}

/// Whether a value is an optional (`rewrite.rs`'s `or` and `orValue` through 1.36).
fn is_optional(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(matches!(
        &args[0],
        Value::Opaque(o) if o.downcast_ref::<cel::objects::OptionalValue>().is_some()
    )))
}

/// Kubernetes' `includes`: on a list, whether an element equals the argument; on anything
/// else, whether it is the argument itself.
fn includes(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(match &args[0] {
        Value::List(l) => l.contains(&args[1]),
        other => *other == args[1],
    }))
}
