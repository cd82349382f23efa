//! `completion SHELL`, and kubectl's completion protocol for plugins (`kubectl oidc <TAB>`).
//!
//! kubectl 1.26+ completes a plugin's arguments by running `kubectl_complete-oidc` (found on
//! PATH) with cobra's protocol: `__complete WORD... PARTIAL`, answered with one candidate a
//! line (`value\tdescription`) and a last line `:DIRECTIVE`. completions/kubectl_complete-oidc
//! runs `kubectl-oidc __complete "$@"`; [`cobra`] computes the answer from the clap definition.

use clap::CommandFactory as _;

use crate::cli::{Cli, Shell};
use crate::error::ExitStatus;

fn write(text: &[u8]) -> anyhow::Result<ExitStatus> {
    super::print("completion", text)?;
    Ok(ExitStatus::Success)
}

/// The completion script for `shell`, as text.
pub fn script(shell: Shell) -> Vec<u8> {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kubectl-oidc", &mut out);
    if shell == S::Bash {
        out = fix_bash_subcommand_arms(out);
    }
    complete_kubeconfig_names(out, shell)
}

/// The flags whose value names a kubeconfig context or user, and the kubectl command that
/// lists those names.
const NAMED: [(&str, &str); 3] = [
    ("context", "kubectl config get-contexts -o name 2>/dev/null"),
    (
        "admin-context",
        "kubectl config get-contexts -o name 2>/dev/null",
    ),
    ("user", "kubectl config get-users 2>/dev/null | tail -n +2"),
];

/// The scripts complete `--context` and `--user` with the kubeconfig's names (kubectl lists
/// them when the completion runs), not with file names.
fn complete_kubeconfig_names(script: Vec<u8>, shell: clap_complete::Shell) -> Vec<u8> {
    use clap_complete::Shell as S;
    let Ok(text) = String::from_utf8(script) else {
        return Vec::new();
    };
    let mut out = String::with_capacity(text.len());
    let mut names: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim_start();
        let indent = &line[..line.len() - t.len()];
        let listed = |flag: &str| NAMED.iter().find(|(f, _)| *f == flag).map(|(_, c)| *c);
        let replaced = match shell {
            // The arm `--context)` is followed by its compgen line.
            S::Bash => match names.take() {
                Some(cmd) if t == r#"COMPREPLY=($(compgen -f "${cur}"))"# => Some(format!(
                    r#"{indent}COMPREPLY=($(compgen -W "$({cmd})" -- "${{cur}}"))"#
                )),
                _ => {
                    names = t
                        .strip_prefix("--")
                        .and_then(|f| f.strip_suffix(')'))
                        .and_then(listed);
                    None
                }
            },
            S::Zsh => t
                .strip_prefix("'--")
                .and_then(|rest| listed(rest.split("=[").next()?))
                .filter(|_| t.ends_with(":_default' \\"))
                .map(|cmd| {
                    let head = line.strip_suffix(":_default' \\").unwrap_or(line);
                    format!(r#"{head}:{{compadd -- $({cmd})}}' \"#)
                }),
            S::Fish => t
                .split(" -l ")
                .nth(1)
                .and_then(|rest| listed(rest.split(' ').next()?))
                .filter(|_| t.ends_with(" -r"))
                .map(|cmd| format!(r#"{line} -f -a "({cmd})""#)),
            _ => None,
        };
        out.push_str(replaced.as_deref().unwrap_or(line));
        out.push('\n');
    }
    out.into_bytes()
}

/// clap_complete's bash script spells the state of a subcommand of a hyphenated binary two
/// ways: the loop that reads the words says `kubectl__oidc__subcmd__status`, the case arms
/// `kubectl__subcmd__oidc__subcmd__status`, so no arm matches and nothing after a subcommand
/// completes (clap-rs/clap#6421, open). The arms are respelled as the loop spells them.
fn fix_bash_subcommand_arms(script: Vec<u8>) -> Vec<u8> {
    String::from_utf8(script)
        .map(|s| {
            s.replace("kubectl__subcmd__oidc__subcmd__", "kubectl__oidc__subcmd__")
                .into_bytes()
        })
        .unwrap_or_else(|e| e.into_bytes())
}

pub fn run(shell: Shell) -> anyhow::Result<ExitStatus> {
    write(&script(shell))
}

/// cobra's "no file completion" directive.
const NO_FILE_COMP: u8 = 4;
/// cobra's "default" directive: let the shell complete files.
const DEFAULT: u8 = 0;

/// Candidates for the last of `words` (what is being typed), after the others: subcommands
/// first, then the long flags of the subcommand; the value of `--context` or `--user` from
/// `names` (the kubeconfig's, by flag). Pure over the clap definition and `names`.
pub fn cobra(words: &[String], names: &dyn Fn(&str) -> Vec<String>) -> (Vec<String>, u8) {
    let root = Cli::command();
    let (partial, before) = words
        .split_last()
        .map_or(("", &[][..]), |(p, b)| (p.as_str(), b));
    let named = |flag: &str| NAMED.iter().any(|(f, _)| *f == flag);
    // `--context NAME` and `--context=NAME`.
    if let Some(flag) = before
        .last()
        .and_then(|w| w.strip_prefix("--"))
        .filter(|f| named(f))
    {
        let found = names(flag)
            .into_iter()
            .filter(|n| n.starts_with(partial))
            .collect();
        return (found, NO_FILE_COMP);
    }
    if let Some((flag, value)) = partial
        .strip_prefix("--")
        .and_then(|p| p.split_once('='))
        .filter(|(f, _)| named(f))
    {
        let found = names(flag)
            .into_iter()
            .filter(|n| n.starts_with(value))
            .map(|n| format!("--{flag}={n}"))
            .collect();
        return (found, NO_FILE_COMP);
    }
    let sub = before.iter().find_map(|w| {
        root.get_subcommands()
            .find(|s| s.get_name() == w || s.get_all_aliases().any(|a| a == w))
    });
    let line = |name: &str, about: Option<&clap::builder::StyledStr>| match about {
        Some(a) => format!("{name}\t{}", a.to_string().lines().next().unwrap_or("")),
        None => name.to_owned(),
    };
    match sub {
        None if !partial.starts_with('-') => {
            let names = root
                .get_subcommands()
                .filter(|s| !s.is_hide_set() && s.get_name().starts_with(partial))
                .map(|s| line(s.get_name(), s.get_about()))
                .collect();
            (names, NO_FILE_COMP)
        }
        Some(sub) if partial.starts_with('-') => {
            let flags = sub
                .get_arguments()
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| Some((format!("--{}", a.get_long()?), a.get_help())))
                .filter(|(f, _)| f.starts_with(partial))
                .map(|(f, help)| line(&f, help))
                .collect();
            (flags, NO_FILE_COMP)
        }
        _ => (Vec::new(), DEFAULT),
    }
}

/// `kubectl-oidc __complete WORD...`: cobra's answer on stdout.
pub fn run_cobra(words: &[String]) -> anyhow::Result<ExitStatus> {
    let kubeconfig =
        words
            .iter()
            .enumerate()
            .find_map(|(i, w)| match w.strip_prefix("--kubeconfig") {
                Some("") => words.get(i + 1).cloned(),
                Some(v) => v.strip_prefix('=').map(str::to_owned),
                None => None,
            });
    let names = |flag: &str| {
        let kubectl = crate::kubeconfig::Kubectl {
            kubeconfig: kubeconfig.as_ref().map(std::path::PathBuf::from),
        };
        let list = if flag == "user" { "users" } else { "contexts" };
        kubectl
            .view()
            .map(|doc| {
                doc[list]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (candidates, directive) = cobra(words, &names);
    let mut text = candidates.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&format!(":{directive}\n"));
    write(text.as_bytes())
}

/// Every generated file of the repository (completions/, man/) and its bytes, from the clap
/// definition. A test compares them with the committed files; `KUBECTL_OIDC_BLESS=1 cargo test
/// --lib generated` writes them.
#[cfg(test)]
pub fn generated() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "completions/kubectl-oidc.bash".to_owned(),
            script(Shell::Bash),
        ),
        ("completions/_kubectl-oidc".to_owned(), script(Shell::Zsh)),
        (
            "completions/kubectl-oidc.fish".to_owned(),
            script(Shell::Fish),
        ),
        (
            "completions/_kubectl-oidc.ps1".to_owned(),
            script(Shell::Powershell),
        ),
        (
            "completions/kubectl-oidc.elv".to_owned(),
            script(Shell::Elvish),
        ),
    ];
    // The commit is not part of a man page (it would change with every commit). clap's `help`
    // subcommand gets no page, so the root page does not name one.
    let root = Cli::command()
        .long_version(None::<&str>)
        .disable_help_subcommand(true);
    let render = |cmd: clap::Command| {
        let mut out = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut out)
            .expect("rendering into memory");
        man_page_for_people(&String::from_utf8_lossy(&out)).into_bytes()
    };
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("kubectl-oidc-{}", sub.get_name());
        // clap wants a 'static name (no "string" feature): leaking a few in a test is fine.
        let page: &'static str = Box::leak(name.clone().into_boxed_str());
        files.push((
            format!("man/{name}.1"),
            render(sub.clone().name(page).long_version(None::<&str>)),
        ));
    }
    files.push(("man/kubectl-oidc.1".to_owned(), render(root)));
    files
}

/// clap_mangen's page, readable: no hyphenation (it broke flags across lines:
/// `--cluster-certificate-author-ity`), and the examples and notes (`after_help`, which clap
/// calls EXTRA) as written, line for line, under EXAMPLES.
#[cfg(test)]
fn man_page_for_people(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + 32);
    let mut in_examples = false;
    for line in page.lines() {
        if in_examples && line.starts_with(".SH ") {
            out.push_str(".fi\n");
            in_examples = false;
        }
        if line == ".SH EXTRA" {
            out.push_str(".SH EXAMPLES\n.nf\n");
            in_examples = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with(".TH ") {
            out.push_str(".nh\n");
        }
    }
    if in_examples {
        out.push_str(".fi\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_completions_and_man_pages_match_the_committed_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        #[expect(clippy::disallowed_methods, reason = "a test's switch")]
        let bless = std::env::var_os("KUBECTL_OIDC_BLESS").is_some();
        for (path, bytes) in generated() {
            let file = root.join(&path);
            if bless {
                // Written, not compared: said where it is seen (libtest captures eprintln!).
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "KUBECTL_OIDC_BLESS: wrote {path} instead of comparing it"
                );
                std::fs::write(&file, &bytes).unwrap();
                continue;
            }
            let committed = std::fs::read(&file).unwrap_or_default();
            assert!(
                committed == bytes,
                "{path} differs from what the command line generates; run \
                 KUBECTL_OIDC_BLESS=1 cargo test --lib generated and commit the result"
            );
        }
        // kubectl's plugin completion hook is there and runnable.
        let shim = root.join("completions/kubectl_complete-oidc");
        let text = std::fs::read_to_string(&shim).unwrap();
        assert!(text.contains("kubectl-oidc __complete"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_ne!(
                std::fs::metadata(&shim).unwrap().permissions().mode() & 0o111,
                0
            );
        }
    }

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The kubeconfig's names in these tests.
    fn names(flag: &str) -> Vec<String> {
        match flag {
            "user" => words(&["oidc", "admin"]),
            _ => words(&["prod", "staging", "dev"]),
        }
    }

    fn cobra_(w: &[String]) -> (Vec<String>, u8) {
        cobra(w, &names)
    }

    /// Issue 31 item 7: a context or user is completed with the kubeconfig's names, not files.
    #[test]
    fn kubectl_completes_context_and_user_names() {
        assert_eq!(
            cobra_(&words(&["login", "--context", ""])),
            (words(&["prod", "staging", "dev"]), NO_FILE_COMP)
        );
        assert_eq!(
            cobra_(&words(&["debug-token", "--admin-context", "st"])).0,
            ["staging"]
        );
        assert_eq!(
            cobra_(&words(&["status", "--context=d"])).0,
            ["--context=dev"]
        );
        assert_eq!(cobra_(&words(&["setup", "--user", "a"])).0, ["admin"]);
    }

    #[test]
    fn kubectl_completes_subcommands_then_flags() {
        let (subs, d) = cobra_(&words(&["lo"]));
        assert_eq!(d, NO_FILE_COMP);
        let names: Vec<&str> = subs.iter().map(|s| s.split('\t').next().unwrap()).collect();
        assert_eq!(names, ["login", "logout"]);
        let (all, _) = cobra_(&words(&[""]));
        assert!(all.iter().any(|s| s.starts_with("get-token\t")), "{all:?}");
        let (flags, _) = cobra_(&words(&["get-token", "--oidc-is"]));
        assert_eq!(flags.len(), 1);
        assert!(
            flags[0].starts_with("--oidc-issuer-url\tIssuer URL"),
            "{flags:?}"
        );
        // Hidden flags are not offered; after a flag's value, files are.
        let (flags, _) = cobra_(&words(&["get-token", "--oidc-use"]));
        let names: Vec<&str> = flags
            .iter()
            .map(|s| s.split('\t').next().unwrap())
            .collect();
        assert_eq!(
            names,
            ["--oidc-use-access-token"],
            "not the hidden --oidc-use-pkce"
        );
        assert_eq!(
            cobra_(&words(&["get-token", "--token-cache-dir", ""])).1,
            DEFAULT
        );
        let (doctor, _) = cobra_(&words(&["doctor", "--from-c"]));
        assert!(doctor[0].starts_with("--from-cluster"), "{doctor:?}");
    }
}
