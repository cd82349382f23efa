//! PURE. cel-go's validators that run after a check that passed (the API server's
//! environment has them from 1.29): literals of one type (`HomogeneousAggregateLiterals`),
//! and the strings extension's format strings against their arguments.

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};

use super::check::{Checker, Issue};
use super::types::{DYN, Ty};

impl Checker<'_> {
    /// cel-go's homogeneous aggregate literal validator (1.29+), after a check that passed:
    /// the elements of a list literal (and the keys and values of a map literal) have one
    /// type exactly, `dyn` and `any` not excepted; literals that are `format`'s arguments are.
    pub fn validate_literals(&self, e: &IdedExpr) -> Result<(), Issue> {
        let ty = |x: &IdedExpr| self.types.get(&x.id).cloned().unwrap_or(DYN);
        let mismatch = |x: &IdedExpr, first: &Ty| {
            let t = ty(x);
            (t != *first).then(|| self.issue(x, format!("expected type '{first}' but found '{t}'")))
        };
        match &e.expr {
            Expr::List(l) => {
                if let Some(first) = l.elements.first().map(ty)
                    && let Some(issue) = l.elements[1..].iter().find_map(|x| mismatch(x, &first))
                {
                    return Err(issue);
                }
                l.elements
                    .iter()
                    .try_for_each(|x| self.validate_literals(x))
            }
            Expr::Map(m) => {
                let entries: Vec<_> = m
                    .entries
                    .iter()
                    .filter_map(|en| match &en.expr {
                        EntryExpr::MapEntry(me) => Some(me),
                        _ => None,
                    })
                    .collect();
                if let Some(first) = entries.first() {
                    let (k, v) = (ty(&first.key), ty(&first.value));
                    for en in &entries[1..] {
                        if let Some(issue) =
                            mismatch(&en.key, &k).or_else(|| mismatch(&en.value, &v))
                        {
                            return Err(issue);
                        }
                    }
                }
                entries.iter().try_for_each(|en| {
                    self.validate_literals(&en.key)
                        .and_then(|()| self.validate_literals(&en.value))
                })
            }
            Expr::Call(c) if c.func_name == "format" => Ok(()),
            Expr::Call(c) => c
                .target
                .iter()
                .map(|t| &**t)
                .chain(&c.args)
                .try_for_each(|x| self.validate_literals(x)),
            Expr::Select(s) => self.validate_literals(&s.operand),
            Expr::Comprehension(c) => [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ]
            .into_iter()
            .try_for_each(|x| self.validate_literals(x)),
            _ => Ok(()),
        }
    }
}

impl Checker<'_> {
    /// cel-go's string format validator (strings extension): `'...'.format([...])` with a
    /// literal format and a literal list, each clause against its argument's type.
    pub fn validate_format(&self, e: &IdedExpr) -> Result<(), Issue> {
        if let Expr::Call(c) = &e.expr
            && c.func_name == "format"
            && let (Some(target), [list]) = (&c.target, c.args.as_slice())
            && let (Expr::Literal(LiteralValue::String(format)), Expr::List(l)) =
                (&target.expr, &list.expr)
        {
            let clauses = format_clauses(format.inner());
            for (clause, arg) in clauses.iter().zip(&l.elements) {
                self.format_clause(*clause, arg)?;
            }
        }
        match &e.expr {
            Expr::Call(c) => c
                .target
                .iter()
                .map(|t| &**t)
                .chain(&c.args)
                .try_for_each(|x| self.validate_format(x)),
            Expr::Select(s) => self.validate_format(&s.operand),
            Expr::List(l) => l.elements.iter().try_for_each(|x| self.validate_format(x)),
            Expr::Comprehension(c) => [&c.iter_range, &c.loop_step, &c.result]
                .into_iter()
                .try_for_each(|x| self.validate_format(x)),
            _ => Ok(()),
        }
    }

    fn format_clause(&self, clause: char, arg: &IdedExpr) -> Result<(), Issue> {
        let t = self.types.get(&arg.id).cloned().unwrap_or(DYN);
        let name = match &t {
            Ty::Dyn("any") => "google.protobuf.Any".to_owned(),
            Ty::List(_) => "list".to_owned(),
            Ty::Map(..) => "map".to_owned(),
            Ty::Opt(_) => "optional_type".to_owned(),
            other => other.to_string(),
        };
        let one_of = |kinds: &[&str]| t == DYN || kinds.contains(&name.as_str());
        let bad = |message: &str| {
            Err(self.issue(
                arg,
                format!("error during formatting: {message}, was given {name}"),
            ))
        };
        match clause {
            's' => {
                let ok = one_of(&[
                    "list",
                    "map",
                    "int",
                    "uint",
                    "double",
                    "bool",
                    "string",
                    "bytes",
                    "type",
                    "null_type",
                    "google.protobuf.Timestamp",
                    "google.protobuf.Duration",
                ]);
                if !ok {
                    return bad(
                        "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps",
                    );
                }
                if let Expr::List(l) = &arg.expr {
                    return l
                        .elements
                        .iter()
                        .try_for_each(|x| self.format_clause('s', x));
                }
                Ok(())
            }
            'd' if !one_of(&["int", "uint"]) => bad("decimal clause can only be used on integers"),
            'f' if !one_of(&["double", "string"]) => {
                bad("fixed-point clause can only be used on doubles")
            }
            'e' if !one_of(&["double", "string"]) => {
                bad("scientific clause can only be used on doubles")
            }
            'b' if !one_of(&["int", "uint", "bool"]) => {
                bad("only integers and bools can be formatted as binary")
            }
            'x' | 'X' if !one_of(&["int", "uint", "bytes", "string"]) => {
                bad("only integers, byte buffers, and strings can be formatted as hex")
            }
            'o' if !one_of(&["int", "uint"]) => bad("octal clause can only be used on integers"),
            _ => Ok(()),
        }
    }
}

/// The verbs of a format string, in order (`%%` is none; a precision is skipped).
fn format_clauses(format: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        while chars
            .peek()
            .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        {
            chars.next();
        }
        match chars.next() {
            Some('%') | None => {}
            Some(verb) => out.push(verb),
        }
    }
    out
}
