//! Release packaging: the krew manifest generator (dist/krew/manifest.sh) lists exactly the
//! archives it is given, with their real checksums and well-formed platforms, and covers every
//! target of the release workflow. dist/build.sh itself is run by benches/cache-hit.sh.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::common::require_tool;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const URL: &str = "https://github.com/example/kubectl-oidc/releases/download/v0";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A small real .tar.gz named like dist/build.sh names its archives, with its .sha256 file.
fn archive(dir: &Path, target: &str) -> PathBuf {
    let stem = format!("kubectl-oidc-{VERSION}-{target}");
    std::fs::create_dir_all(dir.join(&stem)).unwrap();
    std::fs::write(dir.join(&stem).join("kubectl-oidc"), target).unwrap();
    let path = dir.join(format!("{stem}.tar.gz"));
    let ok = Command::new("tar")
        .arg("-C")
        .arg(dir)
        .arg("-czf")
        .arg(&path)
        .arg(&stem)
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = hex(&Sha256::digest(std::fs::read(&path).unwrap()));
    std::fs::write(
        dir.join(format!("{stem}.tar.gz.sha256")),
        format!("{sum}  {stem}.tar.gz\n"),
    )
    .unwrap();
    path
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn generate(archives: &[PathBuf]) -> Output {
    Command::new("bash")
        .arg(repo().join("dist/krew/manifest.sh"))
        .args(["--version", VERSION, "--url", URL, "--homepage"])
        .arg("https://github.com/example/kubectl-oidc")
        .args(archives)
        .output()
        .unwrap()
}

/// The targets of .github/workflows/release.yml's build matrix.
fn workflow_targets() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&text).unwrap();
    workflow["jobs"]["archive"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a build matrix")
        .iter()
        .map(|row| row["target"].as_str().expect("a target").to_owned())
        .collect()
}

/// Check a manifest against krew's schema (the fields krew and krew-index validation require)
/// and return its platforms as (os, arch, uri, sha256).
fn validate(yaml: &str) -> Vec<(String, String, String, String)> {
    let m: Value = serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(
        m["metadata"]["name"], "oidc",
        "the name kubectl runs: kubectl oidc"
    );
    let spec = &m["spec"];
    assert_eq!(
        spec["version"],
        format!("v{VERSION}"),
        "semver with a v prefix"
    );
    for field in ["homepage", "shortDescription", "description", "caveats"] {
        assert!(
            spec[field].as_str().is_some_and(|s| !s.trim().is_empty()),
            "spec.{field} is missing"
        );
    }
    assert!(spec["shortDescription"].as_str().unwrap().len() <= 80);
    let caveats = spec["caveats"].as_str().unwrap();
    assert!(
        caveats.contains("http://127.0.0.1:8000/callback"),
        "{caveats}"
    );
    assert!(
        caveats.contains("http://127.0.0.1:18000/callback"),
        "{caveats}"
    );
    let mut seen = BTreeSet::new();
    spec["platforms"]
        .as_array()
        .expect("platforms")
        .iter()
        .map(|p| {
            let labels = &p["selector"]["matchLabels"];
            let os = labels["os"].as_str().unwrap().to_owned();
            let arch = labels["arch"].as_str().unwrap().to_owned();
            assert!(
                ["linux", "darwin", "windows"].contains(&os.as_str()),
                "{os}"
            );
            assert!(["amd64", "arm64"].contains(&arch.as_str()), "{arch}");
            assert!(seen.insert((os.clone(), arch.clone())), "{os}/{arch} twice");
            let uri = p["uri"].as_str().unwrap().to_owned();
            assert!(
                uri.starts_with("https://") && uri.ends_with(".tar.gz"),
                "{uri}"
            );
            let sum = p["sha256"].as_str().unwrap().to_owned();
            assert!(sum.len() == 64 && sum.bytes().all(|b| b.is_ascii_hexdigit()));
            let bin = if os == "windows" {
                "kubectl-oidc.exe"
            } else {
                "kubectl-oidc"
            };
            assert_eq!(p["bin"], bin);
            let file = uri.rsplit('/').next().unwrap();
            let stem = file.strip_suffix(".tar.gz").unwrap();
            assert_eq!(p["files"][0]["from"], format!("{stem}/*"));
            assert_eq!(p["files"][0]["to"], ".");
            (os, arch, uri, sum)
        })
        .collect()
}

#[test]
fn krew_manifest_lists_every_workflow_target_with_its_real_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let targets = workflow_targets();
    let archives: Vec<PathBuf> = targets.iter().map(|t| archive(dir.path(), t)).collect();
    let out = generate(&archives);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let platforms = validate(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(platforms.len(), archives.len());
    // linux, darwin and windows, each amd64 and arm64.
    let pairs: BTreeSet<(String, String)> = platforms
        .iter()
        .map(|(o, a, ..)| (o.clone(), a.clone()))
        .collect();
    for os in ["linux", "darwin", "windows"] {
        for arch in ["amd64", "arm64"] {
            assert!(
                pairs.contains(&(os.into(), arch.into())),
                "no {os}/{arch} target in the workflow"
            );
        }
    }
    for (archive, (_, _, uri, sum)) in archives.iter().zip(&platforms) {
        let name = archive.file_name().unwrap().to_str().unwrap();
        assert_eq!(uri, &format!("{URL}/{name}"));
        assert_eq!(sum, &hex(&Sha256::digest(std::fs::read(archive).unwrap())));
    }
}

#[test]
fn krew_manifest_lists_only_the_archives_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let linux = archive(dir.path(), "x86_64-unknown-linux-gnu");
    let missing = dir.path().join(format!(
        "kubectl-oidc-{VERSION}-aarch64-apple-darwin.tar.gz"
    ));
    let out = generate(&[linux, missing]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let platforms = validate(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(platforms.len(), 1);
    assert_eq!(
        (platforms[0].0.as_str(), platforms[0].1.as_str()),
        ("linux", "amd64")
    );

    // No archive at all: no manifest, and a message that says what makes one.
    let out = generate(&[]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("dist/build.sh"));
}

#[test]
fn krew_manifest_refuses_a_checksum_file_that_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let linux = archive(dir.path(), "x86_64-unknown-linux-gnu");
    std::fs::write(
        dir.path().join(format!(
            "{}.sha256",
            linux.file_name().unwrap().to_str().unwrap()
        )),
        format!("{}  x\n", "0".repeat(64)),
    )
    .unwrap();
    let out = generate(&[linux]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match"));
}

#[test]
fn krew_manifest_refuses_an_unknown_target() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate(&[archive(dir.path(), "riscv64gc-unknown-linux-gnu")]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no krew platform"));
}

/// A shell from the test command's installs (bash, zsh, fish); missing, the test fails with the
/// fix rather than passing.
fn shell(name: &str) -> Command {
    require_tool(name);
    let mut cmd = Command::new(name);
    cmd.current_dir(repo());
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Issue 21 item 2: the committed completion scripts complete, run in their shells: a flag of
/// a subcommand, a subcommand's options, a flag's values, the subcommands. (bash's script
/// completed only the subcommands: clap-rs/clap#6421.)
#[test]
fn completion_scripts_complete_in_their_shells() {
    let bash = stdout_of(shell("bash").args([
        "-c",
        r#"source completions/kubectl-oidc.bash
           complete -p kubectl-oidc | grep -q -- '-F _kubectl__oidc' || exit 3
           comp() {
             COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
             _kubectl__oidc kubectl-oidc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
             echo "${COMPREPLY[*]}"
           }
           comp kubectl-oidc get-token --oidc-i
           comp kubectl-oidc status -
           comp kubectl-oidc debug-token -o ''
           comp kubectl-oidc ''"#,
    ]));
    let lines: Vec<&str> = bash.lines().collect();
    assert_eq!(lines[0], "--oidc-issuer-url", "{bash}");
    assert!(
        lines[1].contains("--output") && lines[1].contains("--context"),
        "{bash}"
    );
    assert_eq!(lines[2], "text json", "{bash}");
    assert!(
        lines[3].contains("get-token") && lines[3].contains("setup"),
        "{bash}"
    );

    let fish = stdout_of(shell("fish").args([
        "-c",
        r##"source completions/kubectl-oidc.fish
           complete -C "kubectl-oidc get-token --oidc-i"
           echo ==
           complete -C "kubectl-oidc debug-token -o "
           echo ==
           complete -C "kubectl-oidc ""##,
    ]));
    let parts: Vec<&str> = fish.split("==\n").collect();
    assert!(parts[0].starts_with("--oidc-issuer-url"), "{fish}");
    assert!(
        parts[1].contains("json") && parts[1].contains("text"),
        "{fish}"
    );
    assert!(
        parts[2].contains("get-token") && parts[2].contains("logout"),
        "{fish}"
    );

    // zsh: the script parses, and completion registers it for kubectl-oidc.
    let zsh = stdout_of(shell("zsh").args([
        "-fc",
        r#"autoload -U compinit && compinit -u -d "$(mktemp)"
           source completions/_kubectl-oidc
           print -r -- ${_comps[kubectl-oidc]}"#,
    ]));
    assert_eq!(zsh.trim(), "_kubectl-oidc", "{zsh}");
}

/// Issue 21 item 9: dist/build.sh packs the binary where cargo put it: with CARGO_TARGET_DIR
/// set it used ./target (missing, or a stale binary). Its path comes from cargo metadata.
#[test]
fn the_archive_binary_is_looked_for_where_cargo_puts_it() {
    let path = |env: Option<&str>| {
        let mut cmd = Command::new(repo().join("dist/binary-path.sh"));
        cmd.args(["x86_64-unknown-linux-gnu", "kubectl-oidc"]);
        match env {
            Some(dir) => cmd.env("CARGO_TARGET_DIR", dir),
            None => cmd.env_remove("CARGO_TARGET_DIR"),
        };
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let elsewhere = tempfile::tempdir().unwrap();
    assert_eq!(
        path(Some(&elsewhere.path().display().to_string())),
        format!(
            "{}/x86_64-unknown-linux-gnu/release/kubectl-oidc",
            elsewhere.path().display()
        )
    );
    assert_eq!(
        path(None),
        format!(
            "{}/target/x86_64-unknown-linux-gnu/release/kubectl-oidc",
            repo().display()
        )
    );
    let build = std::fs::read_to_string(repo().join("dist/build.sh")).unwrap();
    assert!(build.contains("bin=$(dist/binary-path.sh \"$target\" \"$exe\" \"$profile\")"));
}

/// Issue 21 item 3, issue 33 item 4: the README's archive route works as written, on a machine
/// without ~/.local/bin, on the archive dist/build.sh makes (scripts/test.sh builds it with the
/// dev profile into target/dist-test/): its three commands, run in a directory holding that
/// archive and its .sha256; the installed binary runs and is the static executable the archive
/// promises, and the archive holds what the README says.
#[test]
fn the_readmes_archive_install_commands_work_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("sha256sum -c kubectl-oidc-")
        .expect("the README's archive route");
    let commands: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    let name = commands[0]
        .trim_start_matches("sha256sum -c ")
        .trim_end_matches(".sha256")
        .to_owned();
    let built = repo().join("target/dist-test");
    assert!(
        built.join(&name).exists(),
        "{} is not in {}: scripts/test.sh builds it (KUBECTL_OIDC_DIST_PROFILE=dev \
         KUBECTL_OIDC_DIST_OUT=target/dist-test dist/build.sh); the README names the version and \
         target of the archive this checkout builds",
        name,
        built.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("dist/out");
    std::fs::create_dir_all(&out_dir).unwrap();
    for file in [name.clone(), format!("{name}.sha256")] {
        std::fs::copy(built.join(&file), out_dir.join(&file)).unwrap();
    }
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    run_as_written(&commands.join("\n"), &out_dir, &home);
    let installed = home.join(".local/bin/kubectl-oidc");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&installed).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }
    let version = Command::new(&installed).arg("version").output().unwrap();
    assert!(version.status.success(), "{version:?}");
    let elf = Command::new("readelf")
        .args(["-lh"])
        .arg(&installed)
        .output()
        .unwrap();
    let elf = String::from_utf8_lossy(&elf.stdout);
    assert!(
        !elf.contains("INTERP") && elf.contains("EXEC"),
        "not static: {elf}"
    );
    let unpacked = out_dir.join(name.trim_end_matches(".tar.gz"));
    for part in [
        "README.md",
        "LICENSE",
        "completions/kubectl_complete-oidc",
        "man/kubectl-oidc.1",
    ] {
        assert!(unpacked.join(part).exists(), "the archive has no {part}");
    }
}

/// Issue 21 item 8: every committed man page renders as a person reads it: no flag broken by
/// hyphenation, the examples line for line, and no reference to a page that does not exist.
#[test]
fn man_pages_render_whole_flags_and_only_name_pages_that_exist() {
    let pages: Vec<PathBuf> = std::fs::read_dir(repo().join("man"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let names: BTreeSet<String> = pages
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for page in &pages {
        let out = shell("groff")
            .args(["-man", "-Tutf8", "-P", "-c"])
            .arg(page)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        for line in text.lines() {
            assert!(
                !line.trim_end().ends_with('\u{2010}'),
                "{}: a word hyphenated across lines: {line:?}",
                page.display()
            );
        }
        // Each `kubectl-oidc-NAME(1)` its text names (the source, where roff writes `\-`).
        let source = std::fs::read_to_string(page).unwrap().replace("\\-", "-");
        for line in source.lines().filter(|l| !l.starts_with(".TH")) {
            for (i, _) in line.match_indices("(1)") {
                let name: String = line[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect::<Vec<char>>()
                    .into_iter()
                    .rev()
                    .collect();
                if name.starts_with("kubectl-oidc") {
                    assert!(names.contains(&name), "{} names {name}(1)", page.display());
                }
            }
        }
    }
    let setup = String::from_utf8(
        shell("groff")
            .args(["-man", "-Tutf8", "-P", "-c", "man/kubectl-oidc-setup.1"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        setup.contains("      --cluster-certificate-authority=prod-ca.pem --write\n"),
        "{setup}"
    );
}

/// Issue 31 item 7: `--context` and `--user` complete the kubeconfig's names, not file names,
/// in both routes: kubectl's plugin completion (`kubectl oidc login --context <TAB>`, through
/// completions/kubectl_complete-oidc on PATH) and the scripts in their shells.
#[test]
fn context_and_user_complete_the_kubeconfigs_names() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nusers:\n- name: alice\n  user: {token: x}\n\
         contexts:\n- name: prod\n  context: {cluster: c, user: alice}\n\
         - name: dev\n  context: {cluster: c, user: alice}\n",
    )
    .unwrap();
    // A file whose name a file completion would offer.
    std::fs::write(dir.path().join("prod-notes.txt"), "").unwrap();
    let plugin_dir = Path::new(crate::common::BIN).parent().unwrap().to_owned();
    let path = std::env::join_paths(
        [plugin_dir, repo().join("completions")]
            .into_iter()
            .chain(std::env::split_paths(&crate::common::test_path())),
    )
    .unwrap();
    let with_env = |cmd: &mut Command| {
        cmd.current_dir(dir.path())
            .env("KUBECONFIG", &kubeconfig)
            .env("PATH", &path);
    };

    // kubectl's route.
    let mut kubectl = Command::new(crate::common::k8s_tool("kubectl"));
    kubectl.args(["__complete", "oidc", "login", "--context", "p"]);
    with_env(&mut kubectl);
    let out = stdout_of(&mut kubectl);
    assert!(out.starts_with("prod\n:4\n"), "{out}");

    // bash, fish and zsh, from the committed scripts.
    let mut bash = shell("bash");
    bash.args([
        "-c",
        &format!(
            r#"source {}/completions/kubectl-oidc.bash
               comp() {{
                 COMP_WORDS=("$@"); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMPREPLY=()
                 _kubectl__oidc kubectl-oidc "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
                 echo "${{COMPREPLY[*]}}"
               }}
               comp kubectl-oidc login --context p
               comp kubectl-oidc setup --user ''"#,
            repo().display()
        ),
    ]);
    with_env(&mut bash);
    assert_eq!(stdout_of(&mut bash), "prod\nalice\n");
    let mut fish = shell("fish");
    fish.args([
        "-c",
        &format!(
            r#"source {}/completions/kubectl-oidc.fish
               complete -C "kubectl-oidc status --context p""#,
            repo().display()
        ),
    ]);
    with_env(&mut fish);
    let fish = stdout_of(&mut fish);
    let offered: Vec<&str> = fish
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(offered, ["prod"], "{fish}");
    let zsh = std::fs::read_to_string(repo().join("completions/_kubectl-oidc")).unwrap();
    assert!(
        zsh.contains("--context=[")
            && zsh.contains(":{compadd -- $(kubectl config get-contexts -o name 2>/dev/null)}' \\"),
        "the zsh script completes no context names"
    );
}

/// Issue 31 items 7 and 8: the README's install lines for the completion helper and the man
/// pages, run as written from a checkout, put `kubectl_complete-oidc` where PATH finds it and
/// the pages where `man kubectl-oidc` finds them.
#[test]
fn the_readmes_completion_and_man_page_installs_work_as_written() {
    require_tool("man");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("mkdir -p ~/.local/bin && cp completions/kubectl_complete-oidc")
        .expect("the README's completion install line");
    let commands: Vec<&str> = readme[start..].lines().take(2).collect();
    assert!(commands[1].contains("man/*.1"), "{commands:?}");
    let home = tempfile::tempdir().unwrap();
    run_as_written(&commands.join("\n"), &repo(), home.path());
    let bin = home.path().join(".local/bin");
    assert!(bin.join("kubectl_complete-oidc").is_file());
    let path = format!("{}:/usr/bin:/bin", bin.display());
    for page in ["kubectl-oidc", "kubectl-oidc-setup"] {
        let mut man = Command::new("man");
        man.args(["-w", page])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", &path);
        let found = stdout_of(&mut man);
        assert!(
            found.trim()
                == home
                    .path()
                    .join(format!(".local/share/man/man1/{page}.1"))
                    .display()
                    .to_string(),
            "{page}: {found}"
        );
    }
}

/// Commands copied from the README, run by `sh -e` in `dir` with `HOME` at `home`; they must
/// succeed.
fn run_as_written(script: &str, dir: &Path, home: &Path) {
    let mut sh = Command::new("sh");
    sh.args(["-ec", script]).current_dir(dir).env("HOME", home);
    crate::common::assert_success(&sh.output().unwrap());
}
