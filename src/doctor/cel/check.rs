//! PURE. The part of cel-go's type checker that decides whether the API server accepts an
//! expression at start: every name declared (the one variable, comprehension variables, the
//! functions of [`super::library`] for the release), fields of `user` known, operators applied
//! to types they take, list and map literals of one type, and the type of the result.
//! Unknowns (`claims.x` is `any`) pass, as they do in cel-go; they are checked at run time.

use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr, LiteralValue, operators as op};

use super::library;
use super::operators::{self, same_kind};
use super::types::DYN;
pub use super::types::Ty;
use crate::doctor::version::KubeVersion;

/// A compile error: where (a byte offset into the source, when known) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub at: Option<usize>,
    pub message: String,
}

const TYPE_NAMES: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

/// The fields of `kubernetes.UserInfo` (`compile.go` `buildUserType`).
fn user_field(name: &str) -> Option<Ty> {
    let strings = || Ty::List(Box::new(Ty::Str));
    match name {
        "username" | "uid" => Some(Ty::Str),
        "groups" => Some(strings()),
        "extra" => Some(Ty::Map(Box::new(Ty::Str), Box::new(strings()))),
        _ => None,
    }
}

pub struct Checker<'a> {
    pub source: &'a str,
    pub version: KubeVersion,
    /// Variables in scope, innermost last: the declared one first, then comprehension ones.
    scopes: Vec<(String, Ty)>,
    /// The library functions the expression calls.
    pub used: Vec<&'static library::Decl>,
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a str, version: KubeVersion, variable: (&str, Ty)) -> Self {
        Self {
            source,
            version,
            scopes: vec![(variable.0.to_owned(), variable.1)],
            used: Vec::new(),
        }
    }

    fn issue(&self, needle: Option<&str>, message: String) -> Issue {
        Issue {
            at: needle.and_then(|n| locate(self.source, n)),
            message,
        }
    }

    fn undeclared(&self, name: &str) -> Issue {
        self.issue(
            Some(name),
            format!("undeclared reference to '{name}' (in container '')"),
        )
    }

    fn no_overload(&self, function: &str, symbol: &str, args: &[&Ty]) -> Issue {
        let types: Vec<String> = args.iter().map(ToString::to_string).collect();
        self.issue(
            Some(symbol),
            format!(
                "found no matching overload for '{function}' applied to '({})'",
                types.join(", ")
            ),
        )
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        self.scopes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    /// The static type of `e`, or the first compile error in it.
    pub fn check(&mut self, e: &IdedExpr) -> Result<Ty, Issue> {
        match &e.expr {
            Expr::Literal(l) => Ok(literal(l)),
            Expr::Ident(name) => self.ident(name),
            Expr::Select(s) => {
                let operand = self.check(&s.operand)?;
                self.select(&operand, &s.field, s.test)
            }
            Expr::Call(c) => self.call(c),
            Expr::List(l) => {
                let types = l
                    .elements
                    .iter()
                    .map(|x| self.check(x))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Ty::List(Box::new(self.homogeneous(&types)?)))
            }
            Expr::Map(m) => self.map_literal(&m.entries),
            Expr::Comprehension(c) => {
                let range = self.check(&c.iter_range)?;
                let accu = self.check(&c.accu_init)?;
                self.scopes.push((c.accu_var.clone(), accu));
                self.scopes.push((c.iter_var.clone(), range.elem()));
                let out = self
                    .check(&c.loop_cond)
                    .and_then(|_| self.check(&c.loop_step))
                    .and_then(|_| self.check(&c.result));
                self.scopes.truncate(self.scopes.len() - 2);
                out
            }
            Expr::Struct(s) => Err(self.undeclared(&s.type_name)),
            Expr::Unspecified => Ok(DYN),
        }
    }

    fn ident(&self, name: &str) -> Result<Ty, Issue> {
        if let Some(t) = self.lookup(name) {
            return Ok(t);
        }
        if TYPE_NAMES.contains(&name) {
            return Ok(Ty::Type);
        }
        Err(self.undeclared(name))
    }

    fn select(&self, operand: &Ty, field: &str, test: bool) -> Result<Ty, Issue> {
        let t = match operand {
            Ty::Map(_, v) => (**v).clone(),
            Ty::Dyn(_) => DYN,
            Ty::User => match user_field(field) {
                Some(t) => t,
                None => {
                    return Err(self.issue(Some(field), format!("undefined field '{field}'")));
                }
            },
            other => {
                return Err(self.issue(
                    Some(field),
                    format!("type '{other}' does not support field selection"),
                ));
            }
        };
        Ok(if test { Ty::Bool } else { t })
    }

    fn homogeneous(&self, types: &[Ty]) -> Result<Ty, Issue> {
        let mut first: Option<&Ty> = None;
        for t in types.iter().filter(|t| !t.dynamic()) {
            match first {
                None => first = Some(t),
                Some(f) if same_kind(f, t) => {}
                Some(f) => {
                    return Err(self.issue(None, format!("expected type '{f}' but found '{t}'")));
                }
            }
        }
        Ok(match first {
            Some(f) if types.iter().all(|t| !t.dynamic()) => f.clone(),
            _ => DYN,
        })
    }

    fn map_literal(&mut self, entries: &[cel::common::ast::IdedEntryExpr]) -> Result<Ty, Issue> {
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        for entry in entries {
            if let EntryExpr::MapEntry(m) = &entry.expr {
                keys.push(self.check(&m.key)?);
                values.push(self.check(&m.value)?);
            }
        }
        let k = self.homogeneous(&keys)?;
        let v = self.homogeneous(&values)?;
        Ok(Ty::Map(Box::new(k), Box::new(v)))
    }

    fn call(&mut self, c: &CallExpr) -> Result<Ty, Issue> {
        if c.target.is_none()
            && let Some(t) = self.operator(c)?
        {
            return Ok(t);
        }
        if let Some(t) = self.two_variable_macro(c)? {
            return Ok(t);
        }
        // `ns.f(...)`: a namespaced global, if the release declares one.
        if let Some(target) = &c.target
            && let Some(ns) = qualified_name(target)
            && self.lookup(ns.split('.').next().unwrap_or("")).is_none()
        {
            let name = format!("{ns}.{}", c.func_name);
            if let Some(d) = library::find(&name, false, self.version) {
                self.used.push(d);
                self.args(&c.args)?;
                return Ok(Ty::from_ret(d.ret, None));
            }
        }
        let receiver = match &c.target {
            Some(t) => Some(self.check(t)?),
            None => None,
        };
        self.args(&c.args)?;
        match library::find(&c.func_name, receiver.is_some(), self.version) {
            Some(d) => {
                self.used.push(d);
                Ok(Ty::from_ret(d.ret, receiver.as_ref()))
            }
            None => Err(self.undeclared(&c.func_name)),
        }
    }

    fn args(&mut self, args: &[IdedExpr]) -> Result<Vec<Ty>, Issue> {
        args.iter().map(|a| self.check(a)).collect()
    }

    /// `e.all(k, v, p)` and the other two-variable comprehensions (1.32), which the parser
    /// leaves as calls.
    fn two_variable_macro(&mut self, c: &CallExpr) -> Result<Option<Ty>, Issue> {
        let names = [
            "all",
            "exists",
            "existsOne",
            "transformList",
            "transformMap",
            "transformMapEntry",
        ];
        let (Some(target), true) = (&c.target, names.contains(&c.func_name.as_str())) else {
            return Ok(None);
        };
        let vars: Vec<&str> = c
            .args
            .iter()
            .take(2)
            .filter_map(|a| match &a.expr {
                Expr::Ident(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        if c.args.len() < 3 || vars.len() != 2 || !self.version.at_least(32) {
            return Ok(None);
        }
        let range = self.check(target)?;
        let (first, second) = match &range {
            Ty::Map(k, v) => ((**k).clone(), (**v).clone()),
            Ty::List(t) => (Ty::Int, (**t).clone()),
            _ => (DYN, DYN),
        };
        self.scopes.push((vars[0].to_owned(), first));
        self.scopes.push((vars[1].to_owned(), second));
        let out = self.args(&c.args[2..]);
        self.scopes.truncate(self.scopes.len() - 2);
        out?;
        let d = library::find(&c.func_name, true, self.version).expect("declared from 1.32");
        self.used.push(d);
        Ok(Some(Ty::from_ret(d.ret, Some(&range))))
    }

    /// The operators' types; `None` for a call that is not an operator.
    fn operator(&mut self, c: &CallExpr) -> Result<Option<Ty>, Issue> {
        let f = c.func_name.as_str();
        let Some(symbol) = operators::symbol(f) else {
            return Ok(None);
        };
        if f == op::OPT_SELECT {
            let operand = self.check(&c.args[0])?;
            let field = match &c.args[1].expr {
                Expr::Literal(LiteralValue::String(s)) => s.inner().to_string(),
                _ => String::new(),
            };
            let t = self.select(&operand, &field, false)?;
            return Ok(Some(Ty::Opt(Box::new(t))));
        }
        let args = self.args(&c.args)?;
        match operators::result(f, &args) {
            Some(t) => Ok(Some(t)),
            None => Err(self.no_overload(f, symbol, &args.iter().collect::<Vec<_>>())),
        }
    }
}

fn literal(l: &LiteralValue) -> Ty {
    match l {
        LiteralValue::Boolean(_) => Ty::Bool,
        LiteralValue::Bytes(_) => Ty::Bytes,
        LiteralValue::Double(_) => Ty::Double,
        LiteralValue::Int(_) => Ty::Int,
        LiteralValue::Null => Ty::Null,
        LiteralValue::String(_) => Ty::Str,
        LiteralValue::UInt(_) => Ty::Uint,
    }
}

/// `a.b.c` as the name it spells, if it is one.
fn qualified_name(e: &IdedExpr) -> Option<String> {
    match &e.expr {
        Expr::Ident(n) => Some(n.clone()),
        Expr::Select(s) if !s.test => Some(format!("{}.{}", qualified_name(&s.operand)?, s.field)),
        _ => None,
    }
}

/// The byte offset of the first whole-word `needle` outside string literals.
fn locate(source: &str, needle: &str) -> Option<usize> {
    let word = needle.chars().all(|c| c.is_alphanumeric() || c == '_');
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
            None if source[i..].starts_with(needle) => {
                let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + needle.len()).copied();
                if !word || (!before.is_some_and(ident) && !after.is_some_and(ident)) {
                    return Some(i);
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// cel-go's rendering of an issue: `ERROR: <input>:L:C: message` and the line with a caret.
pub fn render(source: &str, issue: &Issue) -> String {
    let at = issue.at.unwrap_or(0).min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_no = source[..at].matches('\n').count() + 1;
    let column = source[line_start..at].chars().count() + 1;
    let line = source[line_start..].lines().next().unwrap_or("");
    let caret = format!("{}^", ".".repeat(column - 1));
    format!(
        "ERROR: <input>:{line_no}:{column}: {}\n | {line}\n | {caret}",
        issue.message
    )
}
