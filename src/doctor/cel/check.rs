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

/// A compile error: where (a byte offset into the source, when known) and what; cel-go
/// reports the errors that follow from the first too (`more`).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub at: Option<usize>,
    pub message: String,
    pub more: Vec<Issue>,
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

/// The two-variable comprehensions (1.32), which the crate's parser leaves as calls.
pub const TWO_VARIABLE: [&str; 6] = [
    "all",
    "exists",
    "existsOne",
    "transformList",
    "transformMap",
    "transformMapEntry",
];

pub struct Checker<'a> {
    pub source: &'a str,
    pub version: KubeVersion,
    /// Variables in scope, innermost last: the declared one first, then comprehension ones.
    scopes: Vec<(String, Ty)>,
    /// The library functions the expression calls.
    pub used: Vec<&'static library::Decl>,
    /// Each node's type, for the validators that run after the check (validate.rs).
    pub(super) types: std::collections::HashMap<u64, Ty>,
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a str, version: KubeVersion, variable: (&str, Ty)) -> Self {
        Self {
            source,
            version,
            scopes: vec![(variable.0.to_owned(), variable.1)],
            used: Vec::new(),
            types: std::collections::HashMap::new(),
        }
    }

    /// An issue at the node `e` (where cel-go points: `position::of`).
    pub(super) fn issue(&self, e: &IdedExpr, message: String) -> Issue {
        Issue {
            at: super::position::of(self.source, e),
            message,
            more: Vec::new(),
        }
    }

    fn undeclared(&self, e: &IdedExpr, name: &str) -> Issue {
        self.issue(
            e,
            format!("undeclared reference to '{name}' (in container '')"),
        )
    }

    fn no_overload(&self, e: &IdedExpr, function: &str, args: &[&Ty]) -> Issue {
        let types: Vec<String> = args.iter().map(ToString::to_string).collect();
        self.issue(
            e,
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
        let t = self.check_node(e)?;
        self.types.insert(e.id, t.clone());
        Ok(t)
    }

    fn check_node(&mut self, e: &IdedExpr) -> Result<Ty, Issue> {
        match &e.expr {
            Expr::Literal(l) => Ok(literal(l)),
            Expr::Ident(name) => self.ident(e, name),
            Expr::Select(s) => {
                let operand = self.check(&s.operand)?;
                self.select(e, &operand, &s.field, s.test)
            }
            Expr::Call(c) => self.call(e, c),
            Expr::List(l) => {
                let mut joined: Option<Ty> = None;
                for x in &l.elements {
                    let t = self.check(x)?;
                    joined = Some(self.join(x, joined, t)?);
                }
                Ok(Ty::List(Box::new(joined.unwrap_or(DYN))))
            }
            Expr::Map(m) => self.map_literal(&m.entries),
            Expr::Comprehension(c) => {
                let range = self.check(&c.iter_range)?;
                self.iterable(&c.iter_range, &range)?;
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
            Expr::Struct(s) => Err(self.undeclared(e, &s.type_name)),
            Expr::Unspecified => Ok(DYN),
        }
    }

    fn ident(&self, e: &IdedExpr, name: &str) -> Result<Ty, Issue> {
        if let Some(t) = self.lookup(name) {
            return Ok(t);
        }
        if TYPE_NAMES.contains(&name) {
            return Ok(Ty::Type);
        }
        Err(self.undeclared(e, name))
    }

    fn select(&self, e: &IdedExpr, operand: &Ty, field: &str, test: bool) -> Result<Ty, Issue> {
        let t = match operand {
            Ty::Map(_, v) => (**v).clone(),
            Ty::Dyn(_) => DYN,
            Ty::User => match user_field(field) {
                Some(t) => t,
                None => {
                    return Err(self.issue(e, format!("undefined field '{field}'")));
                }
            },
            other => {
                return Err(self.issue(
                    e,
                    format!("type '{other}' does not support field selection"),
                ));
            }
        };
        Ok(if test { Ty::Bool } else { t })
    }

    /// cel-go: only a list, a map or dyn can be iterated (a claim is `any`).
    fn iterable(&self, e: &IdedExpr, range: &Ty) -> Result<(), Issue> {
        if matches!(range, Ty::List(_) | Ty::Map(..) | Ty::Dyn("dyn")) {
            return Ok(());
        }
        Err(self.issue(
            e,
            format!(
                "expression of type '{range}' cannot be range of a comprehension (must be list, map, or dynamic)"
            ),
        ))
    }

    /// cel-go's `joinTypes` of a literal's element types: assignable types join to the more
    /// general one (`dyn` and `any` to anything); others are a mismatch at element `e`.
    fn join(&self, e: &IdedExpr, previous: Option<Ty>, current: Ty) -> Result<Ty, Issue> {
        let Some(previous) = previous else {
            return Ok(current);
        };
        if previous.dynamic() {
            return Ok(previous);
        }
        if current.dynamic() {
            return Ok(current);
        }
        if same_kind(&previous, &current) {
            return Ok(previous);
        }
        Err(self.issue(
            e,
            format!("expected type '{previous}' but found '{current}'"),
        ))
    }

    fn map_literal(&mut self, entries: &[cel::common::ast::IdedEntryExpr]) -> Result<Ty, Issue> {
        let (mut k, mut v): (Option<Ty>, Option<Ty>) = (None, None);
        for entry in entries {
            if let EntryExpr::MapEntry(m) = &entry.expr {
                let kt = self.check(&m.key)?;
                k = Some(self.join(&m.key, k, kt)?);
                let vt = self.check(&m.value)?;
                v = Some(self.join(&m.value, v, vt)?);
            }
        }
        Ok(Ty::Map(
            Box::new(k.unwrap_or(DYN)),
            Box::new(v.unwrap_or(DYN)),
        ))
    }

    fn call(&mut self, e: &IdedExpr, c: &CallExpr) -> Result<Ty, Issue> {
        if c.target.is_none()
            && let Some(t) = self.operator(e, c)?
        {
            return Ok(t);
        }
        if let Some(t) = self.sort_by_macro(c)? {
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
            Some(t) => match self.check(t) {
                Ok(t) => Some(t),
                // An undeclared receiver (`base64.encode(...)`): cel-go goes on, and says too
                // that the function is undeclared when it is.
                Err(mut issue) => {
                    if !library::declared(&c.func_name, self.version) {
                        issue.more.push(self.undeclared(e, &c.func_name));
                    }
                    return Err(issue);
                }
            },
            None => None,
        };
        let args = self.args(&c.args)?;
        match library::find(&c.func_name, receiver.is_some(), self.version) {
            Some(d) => {
                self.used.push(d);
                Ok(Ty::from_ret(d.ret, receiver.as_ref()))
            }
            // Declared in the other style (a member function called as a global, or the
            // reverse): no overload takes these arguments.
            None if library::declared(&c.func_name, self.version) => {
                let listed: Vec<String> = args.iter().map(ToString::to_string).collect();
                let applied = match &receiver {
                    Some(r) => format!("{r}.({})", listed.join(", ")),
                    None => format!("({})", listed.join(", ")),
                };
                Err(self.issue(
                    e,
                    format!(
                        "found no matching overload for '{}' applied to '{applied}'",
                        c.func_name
                    ),
                ))
            }
            None => Err(self.undeclared(e, &c.func_name)),
        }
    }

    fn args(&mut self, args: &[IdedExpr]) -> Result<Vec<Ty>, Issue> {
        args.iter().map(|a| self.check(a)).collect()
    }

    /// `l.sortBy(v, key)` (the lists extension's macro, 1.34), which the parser leaves a call:
    /// `key` with `v` bound to an element; the type of `l`.
    fn sort_by_macro(&mut self, c: &CallExpr) -> Result<Option<Ty>, Issue> {
        let (Some(target), "sortBy", [var, key]) =
            (&c.target, c.func_name.as_str(), c.args.as_slice())
        else {
            return Ok(None);
        };
        let Expr::Ident(var) = &var.expr else {
            return Ok(None);
        };
        if !self.version.at_least(34) {
            return Ok(None);
        }
        let range = self.check(target)?;
        self.iterable(target, &range)?;
        let elem = match &range {
            Ty::List(t) => (**t).clone(),
            Ty::Map(k, _) => (**k).clone(),
            _ => DYN,
        };
        self.scopes.push((var.clone(), elem));
        let out = self.check(key);
        self.scopes.pop();
        out?;
        let d = library::find("sortBy", true, self.version).expect("declared from 1.34");
        self.used.push(d);
        Ok(Some(Ty::from_ret(d.ret, Some(&range))))
    }

    /// `e.all(k, v, p)` and the other two-variable comprehensions (1.32), which the parser
    /// leaves as calls.
    fn two_variable_macro(&mut self, c: &CallExpr) -> Result<Option<Ty>, Issue> {
        let (Some(target), true) = (&c.target, TWO_VARIABLE.contains(&c.func_name.as_str())) else {
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
        self.iterable(target, &range)?;
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
    fn operator(&mut self, e: &IdedExpr, c: &CallExpr) -> Result<Option<Ty>, Issue> {
        let f = c.func_name.as_str();
        if operators::symbol(f).is_none() {
            return Ok(None);
        }
        if f == op::OPT_SELECT {
            let operand = self.check(&c.args[0])?;
            let field = match &c.args[1].expr {
                Expr::Literal(LiteralValue::String(s)) => s.inner().to_string(),
                _ => String::new(),
            };
            let t = self.select(e, &operand, &field, false)?;
            return Ok(Some(Ty::Opt(Box::new(t))));
        }
        let args = self.args(&c.args)?;
        match operators::result(f, &args) {
            Some(t) => Ok(Some(t)),
            None => Err(self.no_overload(e, f, &args.iter().collect::<Vec<_>>())),
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

/// cel-go's rendering of the issues: for each, `ERROR: <input>:L:C: message` and the line
/// with a caret.
pub fn render(source: &str, issue: &Issue) -> String {
    std::iter::once(render_one(source, issue))
        .chain(issue.more.iter().map(|i| render(source, i)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_one(source: &str, issue: &Issue) -> String {
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
