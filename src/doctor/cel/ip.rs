//! PURE. Kubernetes' IP and CIDR libraries (`k8s.io/apiserver/pkg/cel/library/ip.go`,
//! `cidr.go`, 1.30+): `ip`, `isIP`, `ip.isCanonical`, `family`, `isUnspecified`, `isLoopback`,
//! `isLinkLocalMulticast`, `isLinkLocalUnicast`, `isGlobalUnicast`; `cidr`, `isCIDR`,
//! `containsIP`, `containsCIDR`, `ip`, `masked`, `prefixLength`. Addresses are parsed as Go's
//! `netip` parses them (no zone, no IPv4-mapped IPv6), with the libraries' error texts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use cel::common::types::{DYN_TYPE, STRING_TYPE};
use cel::objects::Opaque;
use cel::{DeclarationError, Env, Value};

use super::kube::{Wrapper, call, functions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ip(pub IpAddr);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    bits: u8,
}

impl Opaque for Ip {
    fn runtime_type_name(&self) -> &str {
        "net.IP"
    }
}

impl Opaque for Cidr {
    fn runtime_type_name(&self) -> &str {
        "net.CIDR"
    }
}

/// Go's `netip.ParseAddr` error, as far as the libraries' texts need it.
fn parse_addr_error(raw: &str) -> String {
    let why = if raw.contains(':') {
        "unable to parse IP".to_owned()
    } else if raw.contains('.') {
        let fields: Vec<&str> = raw.split('.').collect();
        if let Some(bad) = raw.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
            format!("unexpected character (at {:?})", &raw[bad..])
        } else if fields.iter().any(|f| f.is_empty()) {
            "IPv4 field must have at least one digit".to_owned()
        } else if fields.iter().any(|f| f.len() > 1 && f.starts_with('0')) {
            "IPv4 field has octet with leading zero".to_owned()
        } else if fields
            .iter()
            .any(|f| f.parse::<u32>().map_or(true, |v| v > 255))
        {
            "IPv4 field has value >255".to_owned()
        } else if fields.len() < 4 {
            "IPv4 address too short".to_owned()
        } else {
            "IPv4 address too long".to_owned()
        }
    } else {
        "unable to parse IP".to_owned()
    };
    format!("ParseAddr({raw:?}): {why}")
}

fn parse_ip(raw: &str) -> Result<IpAddr, String> {
    if raw.contains('%') {
        return Err(format!("IP address {raw:?} with zone value is not allowed"));
    }
    let addr: IpAddr = raw.parse().map_err(|_| {
        format!(
            "IP Address {raw:?} parse error during conversion from string: {}",
            parse_addr_error(raw)
        )
    })?;
    if let IpAddr::V6(v6) = addr
        && v6.to_ipv4_mapped().is_some()
    {
        return Err(format!("IPv4-mapped IPv6 address {raw:?} is not allowed"));
    }
    Ok(addr)
}

fn parse_cidr(raw: &str) -> Result<Cidr, String> {
    let fail = |why: &str| {
        format!(
            "network address parse error during conversion from string: netip.ParsePrefix({raw:?}): {why}"
        )
    };
    let (addr, bits) = raw.split_once('/').ok_or_else(|| fail("no '/'"))?;
    let ip: IpAddr = addr.parse().map_err(|_| fail(&parse_addr_error(addr)))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits: u8 = bits
        .parse()
        .ok()
        .filter(|b| *b <= max && !bits.starts_with('+'))
        .ok_or_else(|| fail(&format!("bad bits after slash: {bits:?}")))?;
    if let IpAddr::V6(v6) = ip
        && v6.to_ipv4_mapped().is_some()
    {
        return Err(format!("IPv4-mapped IPv6 address {raw:?} is not allowed"));
    }
    Ok(Cidr { addr: ip, bits })
}

fn masked(c: Cidr) -> Cidr {
    let addr = match c.addr {
        IpAddr::V4(a) => {
            let mask = if c.bits == 0 {
                0
            } else {
                u32::MAX << (32 - c.bits)
            };
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) => {
            let mask = if c.bits == 0 {
                0
            } else {
                u128::MAX << (128 - c.bits)
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask))
        }
    };
    Cidr { addr, bits: c.bits }
}

fn contains(c: Cidr, ip: IpAddr) -> bool {
    ip.is_ipv4() == c.addr.is_ipv4()
        && masked(Cidr {
            addr: ip,
            bits: c.bits,
        }) == masked(c)
}

fn text(v: &Value) -> Result<&str, String> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err("no such overload".into()),
    }
}

fn ip_of(v: &Value) -> Result<IpAddr, String> {
    match v {
        Value::Opaque(o) => o
            .downcast_ref::<Ip>()
            .map(|i| i.0)
            .ok_or_else(|| "no such overload".into()),
        Value::String(s) => parse_ip(s),
        _ => Err("no such overload".into()),
    }
}

fn cidr_of(v: &Value) -> Result<Cidr, String> {
    match v {
        Value::Opaque(o) => o
            .downcast_ref::<Cidr>()
            .copied()
            .ok_or_else(|| "no such overload".into()),
        Value::String(s) => parse_cidr(s),
        _ => Err("no such overload".into()),
    }
}

/// A receiver must be the library's own value: a string is no IP or CIDR there.
fn ip_receiver(v: &Value) -> Result<IpAddr, String> {
    match v {
        Value::String(_) => Err("no such overload".into()),
        other => ip_of(other),
    }
}

fn cidr_receiver(v: &Value) -> Result<Cidr, String> {
    match v {
        Value::String(_) => Err("no such overload".into()),
        other => cidr_of(other),
    }
}

fn wrap_ip(ip: IpAddr) -> Value {
    Value::Opaque(Arc::new(Ip(ip)))
}

fn new_ip(args: &[Value]) -> Result<Value, String> {
    parse_ip(text(&args[0])?).map(wrap_ip)
}

fn is_ip(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(parse_ip(text(&args[0])?).is_ok()))
}

fn is_canonical(args: &[Value]) -> Result<Value, String> {
    let raw = text(&args[0])?;
    Ok(Value::Bool(parse_ip(raw)?.to_string() == raw))
}

fn family(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(if ip_receiver(&args[0])?.is_ipv4() {
        4
    } else {
        6
    }))
}

fn predicate(args: &[Value], f: fn(IpAddr) -> bool) -> Result<Value, String> {
    Ok(Value::Bool(f(ip_receiver(&args[0])?)))
}

fn is_unspecified(args: &[Value]) -> Result<Value, String> {
    predicate(args, |ip| ip.is_unspecified())
}

fn is_loopback(args: &[Value]) -> Result<Value, String> {
    predicate(args, |ip| ip.is_loopback())
}

fn is_link_local_multicast(args: &[Value]) -> Result<Value, String> {
    predicate(args, |ip| match ip {
        IpAddr::V4(a) => a.octets()[..3] == [224, 0, 0],
        IpAddr::V6(a) => a.segments()[0] & 0xff0f == 0xff02,
    })
}

fn is_link_local_unicast(args: &[Value]) -> Result<Value, String> {
    predicate(args, |ip| match ip {
        IpAddr::V4(a) => a.octets()[..2] == [169, 254],
        IpAddr::V6(a) => a.segments()[0] & 0xffc0 == 0xfe80,
    })
}

/// Go's `netip.Addr.IsGlobalUnicast`.
fn is_global_unicast(args: &[Value]) -> Result<Value, String> {
    predicate(args, |ip| match ip {
        IpAddr::V4(a) => {
            !(a.is_unspecified()
                || a.is_loopback()
                || a.is_multicast()
                || a.is_broadcast()
                || a.octets()[..2] == [169, 254])
        }
        IpAddr::V6(a) => {
            !(a.is_unspecified()
                || a.is_loopback()
                || a.is_multicast()
                || a.segments()[0] & 0xffc0 == 0xfe80)
        }
    })
}

fn new_cidr(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Opaque(Arc::new(
        parse_cidr(text(&args[0])?).map_err(conversion)?,
    )))
}

fn is_cidr(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Bool(parse_cidr(text(&args[0])?).is_ok()))
}

/// `cidr(s)` adds its context to `parseCIDR`'s error, which has it already.
fn conversion(e: String) -> String {
    format!("network address parse error during conversion from string: {e}")
}

fn contains_ip(args: &[Value]) -> Result<Value, String> {
    let c = cidr_receiver(&args[0])?;
    // A string that is no IP: the library's `MaybeNoSuchOverloadErr` of the CIDR.
    let ip = match &args[1] {
        Value::String(_) => ip_of(&args[1]).map_err(|_| super::kube::PLAIN.to_owned())?,
        other => ip_of(other)?,
    };
    Ok(Value::Bool(contains(c, ip)))
}

fn contains_cidr(args: &[Value]) -> Result<Value, String> {
    let c = cidr_receiver(&args[0])?;
    let other = match &args[1] {
        Value::String(s) => parse_cidr(s).map_err(conversion)?,
        other => cidr_of(other)?,
    };
    Ok(Value::Bool(contains(c, other.addr) && c.bits <= other.bits))
}

fn cidr_ip(args: &[Value]) -> Result<Value, String> {
    Ok(wrap_ip(cidr_receiver(&args[0])?.addr))
}

fn cidr_masked(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Opaque(Arc::new(masked(cidr_receiver(&args[0])?))))
}

fn prefix_length(args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(i64::from(cidr_receiver(&args[0])?.bits)))
}

/// `string(x)` of an address or a network, as Go prints them.
pub fn to_string(v: &Value) -> Option<String> {
    let Value::Opaque(o) = v else { return None };
    if let Some(ip) = o.downcast_ref::<Ip>() {
        return Some(ip.0.to_string());
    }
    o.downcast_ref::<Cidr>()
        .map(|c| format!("{}/{}", c.addr, c.bits))
}

functions! {
    w_ip: "ip" => new_ip;
    w_is_ip: "isIP" => is_ip;
    w_is_canonical: "ip.isCanonical" => is_canonical;
    w_family: "family" => family;
    w_is_unspecified: "isUnspecified" => is_unspecified;
    w_is_loopback: "isLoopback" => is_loopback;
    w_is_llm: "isLinkLocalMulticast" => is_link_local_multicast;
    w_is_llu: "isLinkLocalUnicast" => is_link_local_unicast;
    w_is_gu: "isGlobalUnicast" => is_global_unicast;
    w_cidr: "cidr" => new_cidr;
    w_is_cidr: "isCIDR" => is_cidr;
    w_contains_ip: "containsIP" => contains_ip;
    w_contains_cidr: "containsCIDR" => contains_cidr;
    w_cidr_ip: "ip" => cidr_ip;
    w_masked: "masked" => cidr_masked;
    w_prefix_length: "prefixLength" => prefix_length;
}

/// Register the libraries on `env`.
pub fn register(env: &mut Env) -> Result<(), DeclarationError> {
    let globals: [(&str, Wrapper); 5] = [
        ("ip", w_ip),
        ("isIP", w_is_ip),
        ("ip.isCanonical", w_is_canonical),
        ("cidr", w_cidr),
        ("isCIDR", w_is_cidr),
    ];
    for (name, f) in globals {
        env.add_overload(name, &format!("k8s_{name}"), vec![STRING_TYPE], f)?;
    }
    let members: [(&str, usize, Wrapper); 11] = [
        ("family", 0, w_family),
        ("isUnspecified", 0, w_is_unspecified),
        ("isLoopback", 0, w_is_loopback),
        ("isLinkLocalMulticast", 0, w_is_llm),
        ("isLinkLocalUnicast", 0, w_is_llu),
        ("isGlobalUnicast", 0, w_is_gu),
        ("containsIP", 1, w_contains_ip),
        ("containsCIDR", 1, w_contains_cidr),
        ("ip", 0, w_cidr_ip),
        ("masked", 0, w_masked),
        ("prefixLength", 0, w_prefix_length),
    ];
    for (name, arity, f) in members {
        let args = (0..arity).map(|_| DYN_TYPE).collect();
        env.add_member_overload(name, &format!("k8s_ip_{name}"), DYN_TYPE, args, f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_networks_as_go_reads_them() {
        assert!(parse_ip("10.1.2.3").is_ok() && parse_ip("::1").is_ok());
        assert_eq!(
            parse_ip("999.1.1.1").unwrap_err(),
            "IP Address \"999.1.1.1\" parse error during conversion from string: ParseAddr(\"999.1.1.1\"): IPv4 field has value >255"
        );
        assert!(
            parse_ip("::ffff:10.0.0.1")
                .unwrap_err()
                .contains("IPv4-mapped")
        );
        let net = parse_cidr("10.0.0.0/8").unwrap();
        assert!(contains(net, "10.1.1.1".parse().unwrap()));
        assert!(!contains(net, "11.1.1.1".parse().unwrap()));
        assert!(!contains(net, "::1".parse().unwrap()));
    }
}
