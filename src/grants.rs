//! The grants (`--grant-type`), as the CLI and settings see them: data only, expanded from the
//! one table of grants, [`crate::grant_table`] in `auth/mod.rs`, beside the logins it names.
//! The CLI reads each grant's name and help, settings whether the cache keeps one entry per
//! subject token, auth whether it may run with nobody at a keyboard. Pure.

/// Whether a grant's login may run when kubectl says the call is not interactive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unattended {
    Never,
    Always,
    /// When the username and the password are both given (no prompt).
    WithPassword,
}

macro_rules! declare {
    ($(
        $(#[doc = $help:literal])*
        $variant:ident = $name:literal, login: $file:ident, unattended: $unattended:ident,
            per_subject: $per_subject:literal;
    )*) => {
        /// A grant: `--grant-type`'s values but `auto`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Grant {
            $($variant),*
        }

        impl Grant {
            /// Every grant, in the table's order (`--grant-type`'s help lists them so).
            pub const ALL: &[Grant] = &[$(Grant::$variant),*];

            /// Its `--grant-type` value.
            pub fn name(self) -> &'static str {
                match self {
                    $(Grant::$variant => $name),*
                }
            }

            /// Its help, for `--grant-type`.
            pub fn help(self) -> &'static str {
                match self {
                    $(Grant::$variant => concat!($($help),*).trim_ascii()),*
                }
            }

            /// The file under `auth/` with its login.
            pub fn file(self) -> &'static str {
                match self {
                    $(Grant::$variant => concat!(stringify!($file), ".rs")),*
                }
            }

            pub fn unattended(self) -> Unattended {
                match self {
                    $(Grant::$variant => Unattended::$unattended),*
                }
            }

            /// The cache keeps one entry per subject token (token exchange): a cache hit needs
            /// the subject token read first.
            pub fn per_subject(self) -> bool {
                match self {
                    $(Grant::$variant => $per_subject),*
                }
            }
        }
    };
}

crate::grant_table!(declare);

impl Grant {
    /// The grant of this `--grant-type` value.
    pub fn from_name(name: &str) -> Option<Grant> {
        Self::ALL.iter().copied().find(|g| g.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry: every grant has a unique `--grant-type` value, help, and its login in
    /// its own file under `auth/` (declared there, `pub fn login`). A new grant is that file
    /// and its line in `auth/mod.rs` (ARCHITECTURE.md); nothing here changes for it.
    #[test]
    fn every_grant_is_its_file_and_its_line() {
        let auth = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/auth");
        let table = std::fs::read_to_string(auth.join("mod.rs")).unwrap();
        let mut names: Vec<&str> = Grant::ALL.iter().map(|g| g.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Grant::ALL.len(), "two grants share a name");
        for g in Grant::ALL {
            assert_eq!(Grant::from_name(g.name()), Some(*g));
            assert!(!g.help().is_empty() && !g.help().starts_with(' '), "{g:?}");
            let file = auth.join(g.file());
            let code = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{g:?}: {}: {e}", file.display()));
            assert!(
                code.contains("pub fn login("),
                "{g:?}: no login in {}",
                g.file()
            );
            let module = g.file().trim_end_matches(".rs");
            assert!(
                table.contains(&format!("\nmod {module};")),
                "{g:?}: no mod {module}"
            );
        }
        assert_eq!(Grant::from_name("auto"), None);
    }

    /// What the grants we have are: their values, files, and when they run unattended or
    /// keep one entry per subject.
    #[test]
    fn the_grants_we_have() {
        use Unattended::*;
        for (name, file, unattended, per_subject) in [
            ("authcode", "authcode.rs", Never, false),
            ("authcode-keyboard", "keyboard.rs", Never, false),
            ("password", "password.rs", WithPassword, false),
            ("device-code", "device.rs", Never, false),
            ("client-credentials", "client_credentials.rs", Always, false),
            ("token-exchange", "token_exchange.rs", Always, true),
        ] {
            let g = Grant::from_name(name).unwrap();
            assert_eq!(
                (g.file(), g.unattended(), g.per_subject()),
                (file, unattended, per_subject)
            );
        }
    }
}
