//! PURE. Where cel-go's errors point: the source offset cel-go's parser gives an expression
//! node, found again in the source (the crate's parser keeps its offsets to itself). cel-go
//! places a node at the token that made it: an identifier or a literal at its start, a field
//! selection at its `.`, a call (global or member) at its `(`, an index at its `[`, an
//! operator at its symbol, `?:` at its `?`, a list at its `[`, a map at its `{`.

use cel::common::ast::{CallExpr, Expr, IdedExpr, LiteralValue};

use super::operators;

/// The byte offset of the token that made `e`.
pub fn of(source: &str, e: &IdedExpr) -> Option<usize> {
    match &e.expr {
        Expr::Ident(name) => word(source, name, 0),
        Expr::Literal(l) => literal(source, l),
        Expr::Select(s) => {
            let base = start(source, &s.operand).unwrap_or(0);
            find_after(source, &format!(".{}", s.field), base, true)
        }
        Expr::Call(c) => call(source, c),
        Expr::List(_) => outside(source, "[", 0),
        Expr::Map(_) => outside(source, "{", 0),
        Expr::Comprehension(c) => of(source, &c.iter_range),
        Expr::Struct(s) => word(source, &s.type_name, 0),
        Expr::Unspecified => None,
    }
}

/// Where the text of `e` begins (its leftmost token), for searching after it.
fn start(source: &str, e: &IdedExpr) -> Option<usize> {
    match &e.expr {
        Expr::Select(s) => start(source, &s.operand),
        Expr::Call(c) => match (&c.target, c.args.first()) {
            (Some(t), _) => start(source, t),
            (None, Some(a)) if operators::symbol(&c.func_name).is_some() => {
                start(source, a).map(|s| s.saturating_sub(1))
            }
            _ => of(source, e),
        },
        Expr::Comprehension(c) => start(source, &c.iter_range),
        _ => of(source, e),
    }
}

fn call(source: &str, c: &CallExpr) -> Option<usize> {
    if let Some(symbol) = operators::symbol(&c.func_name).filter(|s| !s.is_empty()) {
        let from = c.args.first().and_then(|a| start(source, a)).unwrap_or(0);
        let symbol = symbol.trim();
        // A unary operator stands before its operand.
        if c.args.len() == 1 {
            return outside(source, symbol, from.saturating_sub(symbol.len() + 1));
        }
        return outside(source, symbol, from);
    }
    match &c.target {
        Some(t) => {
            let base = start(source, t).unwrap_or(0);
            find_after(source, &format!(".{}(", c.func_name), base, false)
                .map(|p| p + c.func_name.len() + 1)
        }
        None => word_call(source, &c.func_name),
    }
}

fn literal(source: &str, l: &LiteralValue) -> Option<usize> {
    let text = match l {
        LiteralValue::String(s) => {
            let inner = s.inner().to_string();
            return ["'", "\""]
                .iter()
                .find_map(|q| source.find(&format!("{q}{inner}{q}")));
        }
        LiteralValue::Int(i) => i.to_string(),
        LiteralValue::UInt(u) => format!("{}u", u.inner()),
        LiteralValue::Double(d) => d.to_string(),
        LiteralValue::Boolean(b) => b.to_string(),
        LiteralValue::Null => "null".to_owned(),
        LiteralValue::Bytes(_) => return outside(source, "b", 0),
    };
    word(source, &text, 0)
}

/// The first `needle` at or after `from`, outside string literals; `whole`: not followed by
/// an identifier character.
fn find_after(source: &str, needle: &str, from: usize, whole: bool) -> Option<usize> {
    scan(source, from, |i| {
        source[i..].starts_with(needle)
            && (!whole
                || !source[i + needle.len()..]
                    .starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

/// The first `needle` at or after `from`, outside string literals.
fn outside(source: &str, needle: &str, from: usize) -> Option<usize> {
    scan(source, from, |i| source[i..].starts_with(needle))
}

/// The first whole word `name` (not a field: no `.` before it), outside strings.
fn word(source: &str, name: &str, from: usize) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    scan(source, from, |i| {
        source[i..].starts_with(name)
            && !source[..i].ends_with(|c: char| ident(c) || c == '.')
            && !source[i + name.len()..].starts_with(ident)
    })
}

/// A global call `name(`: the offset of its `(`.
fn word_call(source: &str, name: &str) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    scan(source, 0, |i| {
        source[i..].starts_with(name)
            && !source[..i].ends_with(|c: char| ident(c) || c == '.')
            && source[i + name.len()..].trim_start().starts_with('(')
    })
    .map(|p| {
        // The `(` may follow blanks.
        let after = &source[p + name.len()..];
        p + name.len() + (after.len() - after.trim_start().len())
    })
}

/// The first offset at or after `from`, outside string literals, where `at` holds.
fn scan(source: &str, from: usize, at: impl Fn(usize) -> bool) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if i >= from && source.is_char_boundary(i) && at(i) => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}
