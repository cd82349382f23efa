//! The grants (`--grant-type`): one table, [`grant_table`], like `presets.rs`'s. The CLI reads
//! each grant's name and help, settings whether the cache keeps one entry per subject token,
//! auth whether it may run with nobody at a keyboard and, expanded in `auth/mod.rs`, its login.
//! Pure: the logins' files are named here, and only `auth/` reaches them.

/// Whether a grant's login may run when kubectl says the call is not interactive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unattended {
    Never,
    Always,
    /// When the username and the password are both given (no prompt).
    WithPassword,
}

/// The grants, one line each: its variant and `--grant-type` value, its login (the `login` of
/// `auth/<file>.rs`), whether it may run with nobody at a keyboard (when kubectl says the call
/// is not interactive), whether the cache keeps one entry per subject token, and its help (the
/// doc comment). Expanded here into [`Grant`] (data only), and in `auth/mod.rs` into the
/// logins (`login_of`). A new grant is its file under `auth/` (declared there by its `mod`
/// line) and its line here.
macro_rules! grant_table {
    ($then:ident) => {
        $then! {
            /// The browser flow (authorization code + PKCE through a loopback listener)
            AuthCode = "authcode", login: authcode, unattended: Never, per_subject: false;
            /// Print the login URL and read the code (or the URL the browser ended at) from
            /// the terminal: for jump hosts whose browser cannot reach a listener here
            Keyboard = "authcode-keyboard", login: keyboard, unattended: Never, per_subject: false;
            /// The resource owner password grant (ROPC), for CI and legacy providers:
            /// --username, and the password from --password-file, KUBECTL_OIDC_PASSWORD or the
            /// terminal
            Password = "password", login: password, unattended: WithPassword, per_subject: false;
            /// The device flow (RFC 8628): a code to approve in any browser, for SSH hosts and
            /// containers
            DeviceCode = "device-code", login: device, unattended: Never, per_subject: false;
            /// The client credentials grant, for CI: the client's own token (client secret
            /// needed; usually an access token only, so with --oidc-use-access-token)
            ClientCredentials = "client-credentials", login: client_credentials,
                unattended: Always, per_subject: false;
            /// Token exchange (RFC 8693), for CI and workloads: trade a token from elsewhere
            /// (--subject-token-file, KUBECTL_OIDC_SUBJECT_TOKEN) for one the cluster accepts
            TokenExchange = "token-exchange", login: token_exchange,
                unattended: Always, per_subject: true;
        }
    };
}

pub(crate) use grant_table;

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

grant_table!(declare);

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
    /// (with its `mod` line) and its line in the table above (ARCHITECTURE.md); nothing here
    /// changes for it.
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
