//! PURE. The static types the checker reasons with, as cel-go names them in its errors.

use std::fmt;

use super::library::Ret;

/// A static type, as far as the checks need one.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Bool,
    Int,
    Uint,
    Double,
    Str,
    Bytes,
    Null,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    /// `dyn`, or cel-go's `any` (the claims' values); accepted wherever a type is.
    Dyn(&'static str),
    Opt(Box<Ty>),
    Type,
    User,
    Object(&'static str),
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Bool => f.write_str("bool"),
            Ty::Int => f.write_str("int"),
            Ty::Uint => f.write_str("uint"),
            Ty::Double => f.write_str("double"),
            Ty::Str => f.write_str("string"),
            Ty::Bytes => f.write_str("bytes"),
            Ty::Null => f.write_str("null_type"),
            Ty::List(t) => write!(f, "list({t})"),
            Ty::Map(k, v) => write!(f, "map({k}, {v})"),
            Ty::Dyn(name) => f.write_str(name),
            Ty::Opt(t) => write!(f, "optional_type({t})"),
            Ty::Type => f.write_str("type"),
            Ty::User => f.write_str("kubernetes.UserInfo"),
            Ty::Object(name) => f.write_str(name),
        }
    }
}

pub const DYN: Ty = Ty::Dyn("dyn");

impl Ty {
    pub fn dynamic(&self) -> bool {
        matches!(self, Ty::Dyn(_))
    }

    pub fn numeric(&self) -> bool {
        matches!(self, Ty::Int | Ty::Uint | Ty::Double)
    }

    /// The element type when iterated (a list's elements, a map's keys).
    pub fn elem(&self) -> Ty {
        match self {
            Ty::List(t) | Ty::Map(t, _) => (**t).clone(),
            _ => DYN,
        }
    }

    pub fn from_ret(ret: Ret, receiver: Option<&Ty>) -> Ty {
        match ret {
            Ret::Bool => Ty::Bool,
            Ret::Int => Ty::Int,
            Ret::Uint => Ty::Uint,
            Ret::Double => Ty::Double,
            Ret::Str => Ty::Str,
            Ret::Bytes => Ty::Bytes,
            Ret::ListStr => Ty::List(Box::new(Ty::Str)),
            Ret::ListDyn => Ty::List(Box::new(DYN)),
            Ret::MapDyn => Ty::Map(Box::new(DYN), Box::new(DYN)),
            Ret::Dyn => DYN,
            Ret::Elem => receiver.map_or(DYN, Ty::elem),
            Ret::Receiver => receiver.cloned().unwrap_or(DYN),
            Ret::ListInt => Ty::List(Box::new(Ty::Int)),
            Ret::Opt => Ty::Opt(Box::new(DYN)),
            Ret::Type => Ty::Type,
            Ret::Object(name) => Ty::Object(name),
        }
    }
}
