//! PURE. The kube-apiserver release `debug-token` simulates (`--kube-version`): which
//! AuthenticationConfiguration versions and fields it knows, which rules it applies and which
//! CEL libraries its expressions may use (spec §3.1; `pkg/cel/environment/base.go`).

use std::fmt;

/// A Kubernetes minor release, 1.`minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KubeVersion(pub u8);

impl KubeVersion {
    /// The first release with structured authentication configuration (alpha).
    pub const OLDEST: Self = Self(29);
    /// The newest release simulated: the Kubernetes sources the rules were read from.
    pub const NEWEST: Self = Self(37);

    /// `1.33`, `v1.33` or `1.33.2`, within [`Self::OLDEST`]..=[`Self::NEWEST`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let (major, minor) = (parts.next(), parts.next());
        let minor = match (major, minor.map(str::parse::<u8>)) {
            (Some("1"), Some(Ok(m))) if parts.all(|p| p.parse::<u32>().is_ok()) => m,
            _ => return Err(format!("{text:?} is not a Kubernetes version such as 1.33")),
        };
        let v = Self(minor);
        if v < Self::OLDEST || v > Self::NEWEST {
            return Err(format!(
                "Kubernetes {v} is not simulated: use {} to {} (structured authentication came with {})",
                Self::OLDEST,
                Self::NEWEST,
                Self::OLDEST
            ));
        }
        Ok(v)
    }

    /// This release is 1.`minor` or newer.
    pub fn at_least(self, minor: u8) -> bool {
        self.0 >= minor
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        Self::NEWEST
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        for (text, want) in [
            ("1.33", Ok(33)),
            ("v1.29", Ok(29)),
            ("1.34.2", Ok(34)),
            ("1.28", Err("is not simulated")),
            ("1.99", Err("is not simulated")),
            ("2.1", Err("is not a Kubernetes version")),
            ("1.x", Err("is not a Kubernetes version")),
            ("", Err("is not a Kubernetes version")),
        ] {
            match (KubeVersion::parse(text), want) {
                (Ok(v), Ok(m)) => assert_eq!(v, KubeVersion(m), "{text}"),
                (Err(e), Err(w)) => assert!(e.contains(w), "{text}: {e}"),
                (got, want) => panic!("{text}: {got:?}, want {want:?}"),
            }
        }
        assert_eq!(KubeVersion(33).to_string(), "1.33");
    }
}
