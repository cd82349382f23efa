//! PURE. An expression the checker accepted, rewritten into one the `cel` crate evaluates as
//! cel-go does:
//! - `string(x)` calls `@string`, which formats a double as Go does (`1.5e+09`);
//! - `x.reverse()` calls `@reverse`, the lists extension's (a string has none);
//! - `c[k]` and `c.f` call `@index`, `has(c.f)` `@has`, and `l.join(s)` `@join`, with
//!   cel-go's errors;
//! - the two-variable comprehensions (1.32: `all`, `exists`, `existsOne`, `transformList`,
//!   `transformMap`, `transformMapEntry`), which the crate's parser leaves as calls, become
//!   single-variable comprehensions over the container's indices or keys (`@keys(c)`), the value
//!   variable standing for `c[k]`;
//! - `format.x()` and `format.named(s)` carry the release (`format.rs`);
//! - through 1.36, `x.or(y)` and `x.orValue(y)` on what is not an optional give `x`;
//! - `l.sortBy(v, key)` becomes `@sortByKeys(l, l.map(v, key))`, as cel-go expands it.

use cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, LiteralValue, operators as op,
};

const ACCU: &str = "@result";

fn node(expr: Expr) -> IdedExpr {
    IdedExpr { id: 0, expr }
}

fn call(name: &str, target: Option<IdedExpr>, args: Vec<IdedExpr>) -> IdedExpr {
    node(Expr::Call(CallExpr {
        func_name: name.to_owned(),
        target: target.map(Box::new),
        args,
    }))
}

fn ident(name: &str) -> IdedExpr {
    node(Expr::Ident(name.to_owned()))
}

fn literal(l: LiteralValue) -> IdedExpr {
    node(Expr::Literal(l))
}

/// Rewrite `e` in place, innermost first.
pub fn rewrite(e: &mut IdedExpr, minor: u8) {
    match &mut e.expr {
        Expr::Call(c) => {
            if let Some(t) = &mut c.target {
                rewrite(t, minor);
            }
            c.args.iter_mut().for_each(|a| rewrite(a, minor));
            rename(c);
            let replaced = legacy_or(c, minor)
                .or_else(|| sort_by(c))
                .or_else(|| format_call(c, minor))
                .or_else(|| two_variable(c));
            if let Some(replaced) = replaced {
                *e = replaced;
            }
        }
        // `x.f` and `has(x.f)` with cel-go's answers for what is not a map.
        Expr::Select(s) => {
            rewrite(&mut s.operand, minor);
            let field = literal(LiteralValue::String(s.field.clone().into()));
            let f = if s.test { "@has" } else { "@index" };
            *e = call(f, None, vec![(*s.operand).clone(), field]);
        }
        Expr::List(l) => l.elements.iter_mut().for_each(|x| rewrite(x, minor)),
        Expr::Map(m) => {
            for entry in &mut m.entries {
                if let EntryExpr::MapEntry(me) = &mut entry.expr {
                    rewrite(&mut me.key, minor);
                    rewrite(&mut me.value, minor);
                }
            }
        }
        Expr::Comprehension(c) => {
            for x in [
                &mut c.iter_range,
                &mut c.accu_init,
                &mut c.loop_cond,
                &mut c.loop_step,
                &mut c.result,
            ] {
                rewrite(x, minor);
            }
        }
        _ => {}
    }
}

/// Calls the doctor evaluates with its own functions, under `@` names the parser never gives.
fn rename(c: &mut CallExpr) {
    let member = c.target.is_some();
    let name = match c.func_name.as_str() {
        "string" if !member && c.args.len() == 1 => "@string",
        // The lists extension's reverse, not the crate's strings one (which the API server's
        // strings extension, version 2, does not have).
        "reverse" if member && c.args.is_empty() => "@reverse",
        // The strings extension's join, with cel-go's type guard.
        "join" if member && c.args.len() <= 1 => "@join",
        // Indexing with cel-go's errors (the crate's differ).
        n if !member && n == op::INDEX => "@index",
        _ => return,
    };
    c.func_name = name.to_owned();
}

/// Through 1.36 (cel-go 0.26) `x.or(y)` and `x.orValue(y)` give `x` itself when it is not
/// an optional; from 1.37 that is no such overload. As cel-go 0.26 does it, lazily:
/// `@isOptional(x) ? x.orValue(y) : x`.
fn legacy_or(c: &CallExpr, minor: u8) -> Option<IdedExpr> {
    if minor >= 37 || !matches!(c.func_name.as_str(), "or" | "orValue") || c.args.len() != 1 {
        return None;
    }
    let target = c.target.as_deref()?.clone();
    let same = call(&c.func_name, Some(target.clone()), c.args.clone());
    Some(call(
        op::CONDITIONAL,
        None,
        vec![
            call("@isOptional", None, vec![target.clone()]),
            same,
            target,
        ],
    ))
}

/// `l.sortBy(v, key)` (the lists extension's macro, which the crate's parser leaves a call) as
/// cel-go expands it: `@sortByKeys(l, l.map(v, key))`.
fn sort_by(c: &CallExpr) -> Option<IdedExpr> {
    if c.func_name != "sortBy" || c.args.len() != 2 {
        return None;
    }
    let Expr::Ident(v) = &c.args[0].expr else {
        return None;
    };
    let target = (**c.target.as_ref()?).clone();
    let item = node(Expr::List(cel::common::ast::ListExpr::new(vec![
        c.args[1].clone(),
    ])));
    let keys = node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: target.clone(),
        iter_var: v.clone(),
        iter_var2: None,
        accu_var: ACCU.to_owned(),
        accu_init: node(Expr::List(Default::default())),
        loop_cond: literal(LiteralValue::Boolean(true.into())),
        loop_step: call(op::ADD, None, vec![ident(ACCU), item]),
        result: ident(ACCU),
    })));
    Some(call("@sortByKeys", None, vec![target, keys]))
}

/// `format.x()` as `@format('x', minor)` and `format.named(s)` as `@formatNamed(s, minor)`:
/// the format library's values carry the release whose texts they give (`format.rs`).
fn format_call(c: &CallExpr, minor: u8) -> Option<IdedExpr> {
    let on_format = matches!(&c.target.as_deref()?.expr, Expr::Ident(n) if n == "format");
    if !on_format {
        return None;
    }
    let release = literal(LiteralValue::Int(i64::from(minor).into()));
    match (c.func_name.as_str(), c.args.as_slice()) {
        ("named", [name]) => Some(call("@formatNamed", None, vec![name.clone(), release])),
        (name, []) if super::format::NAMES.contains(&name) => Some(call(
            "@format",
            None,
            vec![
                literal(LiteralValue::String(name.to_owned().into())),
                release,
            ],
        )),
        _ => None,
    }
}

/// `e` with the identifier `name` replaced by `with`, where no inner comprehension rebinds it.
fn substitute(e: &mut IdedExpr, name: &str, with: &IdedExpr) {
    match &mut e.expr {
        Expr::Ident(n) if n == name => *e = with.clone(),
        Expr::Call(c) => {
            if let Some(t) = &mut c.target {
                substitute(t, name, with);
            }
            c.args.iter_mut().for_each(|a| substitute(a, name, with));
        }
        Expr::Select(s) => substitute(&mut s.operand, name, with),
        Expr::List(l) => l
            .elements
            .iter_mut()
            .for_each(|x| substitute(x, name, with)),
        Expr::Map(m) => {
            for entry in &mut m.entries {
                if let EntryExpr::MapEntry(me) = &mut entry.expr {
                    substitute(&mut me.key, name, with);
                    substitute(&mut me.value, name, with);
                }
            }
        }
        Expr::Comprehension(c) => {
            substitute(&mut c.iter_range, name, with);
            if c.iter_var != name && c.accu_var != name {
                for x in [
                    &mut c.accu_init,
                    &mut c.loop_cond,
                    &mut c.loop_step,
                    &mut c.result,
                ] {
                    substitute(x, name, with);
                }
            }
        }
        _ => {}
    }
}

/// A comprehension's accumulator start, loop condition, step and result for the two-variable
/// macro `name` over key `k`, its arguments after the variables being `rest` (with the
/// value variable already replaced).
fn parts(
    name: &str,
    k: &str,
    rest: &[IdedExpr],
) -> Option<(IdedExpr, IdedExpr, IdedExpr, IdedExpr)> {
    let accu = || ident(ACCU);
    let yes = || literal(LiteralValue::Boolean(true.into()));
    let one = || literal(LiteralValue::Int(1.into()));
    let filtered = |step: IdedExpr| match rest {
        [filter, _] => call(op::CONDITIONAL, None, vec![filter.clone(), step, accu()]),
        _ => step,
    };
    let last = rest.last()?.clone();
    let empty_map = || node(Expr::Map(Default::default()));
    Some(match name {
        "all" => (
            yes(),
            call(op::NOT_STRICTLY_FALSE, None, vec![accu()]),
            call(op::LOGICAL_AND, None, vec![accu(), last]),
            accu(),
        ),
        "exists" => (
            literal(LiteralValue::Boolean(false.into())),
            call(
                op::NOT_STRICTLY_FALSE,
                None,
                vec![call(op::LOGICAL_NOT, None, vec![accu()])],
            ),
            call(op::LOGICAL_OR, None, vec![accu(), last]),
            accu(),
        ),
        "existsOne" => (
            literal(LiteralValue::Int(0.into())),
            yes(),
            call(
                op::CONDITIONAL,
                None,
                vec![last, call(op::ADD, None, vec![accu(), one()]), accu()],
            ),
            call(op::EQUALS, None, vec![accu(), one()]),
        ),
        "transformList" => {
            let item = node(Expr::List(cel::common::ast::ListExpr::new(vec![last])));
            (
                node(Expr::List(Default::default())),
                yes(),
                filtered(call(op::ADD, None, vec![accu(), item])),
                accu(),
            )
        }
        "transformMap" => (
            empty_map(),
            yes(),
            filtered(call("@mapInsert", None, vec![accu(), ident(k), last])),
            accu(),
        ),
        _ => (
            empty_map(),
            yes(),
            filtered(call("@mapInsert", None, vec![accu(), last])),
            accu(),
        ),
    })
}

/// The single-variable comprehension that a two-variable one is, if `c` is one.
fn two_variable(c: &mut CallExpr) -> Option<IdedExpr> {
    if !super::check::TWO_VARIABLE.contains(&c.func_name.as_str()) || c.args.len() < 3 {
        return None;
    }
    let (Expr::Ident(k), Expr::Ident(v)) = (&c.args[0].expr, &c.args[1].expr) else {
        return None;
    };
    let (k, v) = (k.clone(), v.clone());
    let container = (**c.target.as_ref()?).clone();
    // The value variable: `container[k]`.
    let value = call(op::INDEX, None, vec![container.clone(), ident(&k)]);
    let mut rest: Vec<IdedExpr> = c.args[2..].to_vec();
    for x in &mut rest {
        substitute(x, &v, &value);
    }
    let (init, cond, step, result) = parts(&c.func_name, &k, &rest)?;
    Some(node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: call("@keys", None, vec![container]),
        iter_var: k,
        iter_var2: None,
        accu_var: ACCU.to_owned(),
        accu_init: init,
        loop_cond: cond,
        loop_step: step,
        result,
    }))))
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, as cel-go's `string(double)` formats.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` is the shortest round-trip digits, as Go's shortest is.
    let e = format!("{:e}", f.abs());
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f < 0.0 { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::go_float;

    #[test]
    fn doubles_format_as_go_does() {
        for (f, want) in [
            (1_796_625_580.0, "1.79662558e+09"),
            (1234.0, "1234"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.5, "0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (1e21, "1e+21"),
        ] {
            assert_eq!(go_float(f), want, "{f}");
        }
    }
}
