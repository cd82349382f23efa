//! PURE. The functions the API server's CEL environment declares, by the release that added
//! them (`pkg/cel/environment/base.go`, the `StoredExpressions` environment the authentication
//! compiler uses), and the evaluator built for one release.
//!
//! The checker ([`super::check`]) reads [`DECLS`]: a function not declared for the simulated
//! release is an "undeclared reference", as cel-go reports it. A declared function that the
//! evaluator does not implement (`simulated: false`) compiles, and evaluating it says so.

use std::sync::{Arc, OnceLock};

use cel::Env;

use super::{kube, quantity};
use crate::doctor::version::KubeVersion;

/// The result type of a function, as far as the checker needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    Bool,
    Int,
    Uint,
    Double,
    Str,
    Bytes,
    ListStr,
    ListDyn,
    MapDyn,
    Dyn,
    /// The element type of the receiver list.
    Elem,
    /// The receiver's own type.
    Receiver,
    ListInt,
    Opt,
    Type,
    /// An object of a library type (`net.URL`, `kubernetes.Quantity`, ...).
    Object(&'static str),
}

/// One declared function. `name` is qualified for namespaced globals (`sets.contains`).
#[derive(Debug, Clone, Copy)]
pub struct Decl {
    pub name: &'static str,
    pub member: bool,
    pub since: u8,
    pub library: &'static str,
    pub ret: Ret,
    pub simulated: bool,
}

const fn d(name: &'static str, member: bool, since: u8, library: &'static str, ret: Ret) -> Decl {
    Decl {
        name,
        member,
        since,
        library,
        ret,
        simulated: true,
    }
}

/// Declared by the API server, not evaluated here.
const fn u(name: &'static str, member: bool, since: u8, library: &'static str, ret: Ret) -> Decl {
    Decl {
        simulated: false,
        ..d(name, member, since, library, ret)
    }
}

const G: bool = false;
const M: bool = true;

use Ret::*;

/// Every function of the base environment from 1.29 on (older releases have no structured
/// authentication configuration). Macros (`has`, `all`, `exists`, `exists_one`, `map`,
/// `filter`) are the parser's; the two-variable ones (1.32) are listed here.
pub const DECLS: &[Decl] = &[
    // The CEL standard library.
    d("size", G, 0, "standard", Int),
    d("size", M, 0, "standard", Int),
    d("int", G, 0, "standard", Int),
    d("uint", G, 0, "standard", Uint),
    d("double", G, 0, "standard", Double),
    d("string", G, 0, "standard", Str),
    d("bytes", G, 0, "standard", Bytes),
    d("bool", G, 0, "standard", Bool),
    d("dyn", G, 0, "standard", Dyn),
    d("type", G, 0, "standard", Type),
    d("matches", G, 0, "standard", Bool),
    d("matches", M, 0, "standard", Bool),
    d("contains", M, 0, "standard", Bool),
    d("startsWith", M, 0, "standard", Bool),
    d("endsWith", M, 0, "standard", Bool),
    u(
        "duration",
        G,
        0,
        "standard",
        Object("google.protobuf.Duration"),
    ),
    u(
        "timestamp",
        G,
        0,
        "standard",
        Object("google.protobuf.Timestamp"),
    ),
    // The getters of timestamps and durations.
    u("getDate", M, 0, "standard", Int),
    u("getDayOfMonth", M, 0, "standard", Int),
    u("getDayOfWeek", M, 0, "standard", Int),
    u("getDayOfYear", M, 0, "standard", Int),
    u("getFullYear", M, 0, "standard", Int),
    u("getHours", M, 0, "standard", Int),
    u("getMilliseconds", M, 0, "standard", Int),
    u("getMinutes", M, 0, "standard", Int),
    u("getMonth", M, 0, "standard", Int),
    u("getSeconds", M, 0, "standard", Int),
    // Optional types (1.28).
    d("optional.of", G, 28, "optional", Opt),
    d("optional.none", G, 28, "optional", Opt),
    d("optional.ofNonZeroValue", G, 28, "optional", Opt),
    d("hasValue", M, 28, "optional", Bool),
    d("value", M, 28, "optional", Dyn),
    d("or", M, 28, "optional", Opt),
    d("orValue", M, 28, "optional", Dyn),
    // cel-go's strings extension, version 2 from 1.29.
    d("charAt", M, 0, "strings", Str),
    d("indexOf", M, 0, "strings and lists", Int),
    d("lastIndexOf", M, 0, "strings and lists", Int),
    d("lowerAscii", M, 0, "strings", Str),
    d("upperAscii", M, 0, "strings", Str),
    d("replace", M, 0, "strings", Str),
    d("split", M, 0, "strings", ListStr),
    d("substring", M, 0, "strings", Str),
    d("trim", M, 0, "strings", Str),
    d("join", M, 0, "strings", Str),
    d("format", M, 29, "strings", Str),
    d("strings.quote", G, 29, "strings", Str),
    // Kubernetes' lists library (version 1 from 1.37: includes).
    d("includes", M, 37, "lists", Bool),
    // cel-go's lists extension, version 3 from 1.34.
    d("slice", M, 34, "lists", Receiver),
    d("flatten", M, 34, "lists", Elem),
    d("sort", M, 34, "lists", Receiver),
    d("sortBy", M, 34, "lists", Receiver),
    d("reverse", M, 34, "lists", Receiver),
    d("distinct", M, 34, "lists", Receiver),
    d("lists.range", G, 34, "lists", ListInt),
    d("isSorted", M, 0, "lists", Bool),
    d("sum", M, 0, "lists", Elem),
    d("min", M, 0, "lists", Elem),
    d("max", M, 0, "lists", Elem),
    // Kubernetes' regex library.
    d("find", M, 0, "regex", Str),
    d("findAll", M, 0, "regex", ListStr),
    // Kubernetes' URL library.
    d("url", G, 0, "urls", Object("net.URL")),
    d("isURL", G, 0, "urls", Bool),
    d("getScheme", M, 0, "urls", Str),
    d("getHost", M, 0, "urls", Str),
    d("getHostname", M, 0, "urls", Str),
    d("getPort", M, 0, "urls", Str),
    d("getEscapedPath", M, 0, "urls", Str),
    d("getQuery", M, 0, "urls", MapDyn),
    // Kubernetes' quantity library (1.28).
    d("quantity", G, 28, "quantity", Object("kubernetes.Quantity")),
    d("isQuantity", G, 28, "quantity", Bool),
    d("sign", M, 28, "quantity", Int),
    d("isInteger", M, 28, "quantity", Bool),
    d("asInteger", M, 28, "quantity", Int),
    d("asApproximateFloat", M, 28, "quantity", Double),
    d("add", M, 28, "quantity", Object("kubernetes.Quantity")),
    d("sub", M, 28, "quantity", Object("kubernetes.Quantity")),
    d("isGreaterThan", M, 28, "quantity and semver", Bool),
    d("isLessThan", M, 28, "quantity and semver", Bool),
    d("compareTo", M, 28, "quantity and semver", Int),
    // cel-go's sets extension (1.29).
    d("sets.contains", G, 29, "sets", Bool),
    d("sets.equivalent", G, 29, "sets", Bool),
    d("sets.intersects", G, 29, "sets", Bool),
    // Kubernetes' IP and CIDR libraries (1.30).
    d("ip", G, 30, "ip", Object("net.IP")),
    d("isIP", G, 30, "ip", Bool),
    d("ip.isCanonical", G, 30, "ip", Bool),
    d("family", M, 30, "ip", Int),
    d("isUnspecified", M, 30, "ip", Bool),
    d("isLoopback", M, 30, "ip", Bool),
    d("isLinkLocalMulticast", M, 30, "ip", Bool),
    d("isLinkLocalUnicast", M, 30, "ip", Bool),
    d("isGlobalUnicast", M, 30, "ip", Bool),
    d("cidr", G, 30, "cidr", Object("net.CIDR")),
    d("isCIDR", G, 30, "cidr", Bool),
    d("containsIP", M, 30, "cidr", Bool),
    d("containsCIDR", M, 30, "cidr", Bool),
    d("ip", M, 30, "cidr", Object("net.IP")),
    d("masked", M, 30, "cidr", Object("net.CIDR")),
    d("prefixLength", M, 30, "cidr", Int),
    // Kubernetes' format library (1.31).
    d("format.named", G, 31, "format", Opt),
    d(
        "format.dns1123Label",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.dns1123Subdomain",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.dns1035Label",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.qualifiedName",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.dns1123LabelPrefix",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.dns1123SubdomainPrefix",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.dns1035LabelPrefix",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.labelValue",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.uri",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.uuid",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.byte",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.date",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d(
        "format.datetime",
        G,
        31,
        "format",
        Object("kubernetes.NamedFormat"),
    ),
    d("validate", M, 31, "format", Opt),
    // cel-go's two-variable comprehensions (1.32): macros over (index or key, value).
    d("all", M, 32, "two-variable comprehensions", Bool),
    d("exists", M, 32, "two-variable comprehensions", Bool),
    d("existsOne", M, 32, "two-variable comprehensions", Bool),
    d(
        "transformList",
        M,
        32,
        "two-variable comprehensions",
        ListDyn,
    ),
    d("transformMap", M, 32, "two-variable comprehensions", MapDyn),
    d(
        "transformMapEntry",
        M,
        32,
        "two-variable comprehensions",
        MapDyn,
    ),
    // Kubernetes' semver library (1.33).
    d("semver", G, 33, "semver", Object("kubernetes.Semver")),
    d("isSemver", G, 33, "semver", Bool),
    d("major", M, 33, "semver", Int),
    d("minor", M, 33, "semver", Int),
    d("patch", M, 33, "semver", Int),
];

/// Whether `name` is declared in `version` in either style (global or member).
pub fn declared(name: &str, version: KubeVersion) -> bool {
    DECLS
        .iter()
        .any(|d| d.name == name && version.at_least(d.since))
}

/// The declaration of `name` (global or member) in `version`.
pub fn find(name: &str, member: bool, version: KubeVersion) -> Option<&'static Decl> {
    DECLS
        .iter()
        .find(|d| d.name == name && d.member == member && version.at_least(d.since))
}

/// The namespaces of the namespaced globals (`sets`, `optional`, ...).
pub fn is_namespace(name: &str, version: KubeVersion) -> bool {
    DECLS.iter().any(|d| {
        !d.member
            && version.at_least(d.since)
            && d.name.split_once('.').is_some_and(|(n, _)| n == name)
    })
}

/// The evaluator, the same for every release: the crate's standard library and strings
/// extension, and ours. Only the functions declared for the simulated release are reachable,
/// as the checker runs first.
pub fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        env.add_extension(cel::extensions::strings)
            .expect("the strings extension is added once");
        kube::register(&mut env).expect("the Kubernetes libraries are added once");
        quantity::register(&mut env).expect("the quantity library is added once");
        super::lists::register(&mut env).expect("the lists extension is added once");
        super::semver::register(&mut env).expect("the semver library is added once");
        super::ip::register(&mut env).expect("the IP and CIDR libraries are added once");
        super::format::register(&mut env).expect("the format library is added once");
        Arc::new(env)
    })
    .clone()
}
