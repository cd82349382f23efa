#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the test OpenID
# provider from tests/idp/package-lock.json; gnome-keyring, D-Bus, openssl, zsh,
# fish, groff, strace, Chromium, Node, Java, Maven, clang, LLVM and libfaketime where missing), builds the real Kubernetes parts
# from the Go modules pinned in tests/go/ (kube-apiserver, kubectl 1.37, etcd, kubelogin, Dex and the
# authenticator oracle, into target/k8s/; tests/go/build.sh), fetches Keycloak from Maven Central
# (tests/keycloak/fetch.sh), type-checks the macOS and Windows
# targets (dist/check-targets.sh), builds the release archive with the dev profile
# (dist/build.sh into target/dist-test/), then runs every unit and end-to-end test. Extra arguments go to
# cargo test.
#
# KUBECTL_OIDC_SKIP_KEYRING_TESTS=1 skips the OS keyring tests (tests/it/keyring.rs), and says
# so; nothing else skips them, and without gnome-keyring they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

skip_keyring="${KUBECTL_OIDC_SKIP_KEYRING_TESTS:-}"
missing=()
if [ -z "$skip_keyring" ]; then
  command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
fi
# The desktop notification is watched on a real session bus (tests/it/desktop.rs).
command -v dbus-run-session >/dev/null || missing+=(dbus-daemon)
command -v dbus-monitor >/dev/null || missing+=(dbus-bin)
command -v openssl >/dev/null || missing+=(openssl)
# The completion scripts are run in their shells (tests/it/dist.rs).
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
# The man pages are rendered as man renders them (tests/it/dist.rs).
command -v groff >/dev/null || missing+=(groff-base)
# A workstation clock minutes ahead of the provider's (tests/it/defects.rs).
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || missing+=(libfaketime)
# Race windows widened by delaying system calls (tests/it/desktop.rs).
command -v strace >/dev/null || missing+=(strace)
# The login pages are proved in a real headless browser (tests/it/browser.rs).
command -v chromium >/dev/null || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
# The macOS and Windows code paths type-checked with ring's C built by clang (dist/check-targets.sh).
command -v clang >/dev/null || missing+=(clang)
command -v llvm-ar >/dev/null || ls /usr/lib/llvm-*/bin/llvm-lib >/dev/null 2>&1 || missing+=(llvm)
command -v npm >/dev/null || missing+=(npm)
# Keycloak runs on Java 17+, fetched with Maven (tests/keycloak/fetch.sh).
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v unzip >/dev/null || missing+=(unzip)
if ((${#missing[@]})); then
  echo "scripts/test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# kube-apiserver, etcd, kubectl 1.37, kubelogin and Dex, built once per machine (then from the Go
# caches); the tests run these, never the machine's own kubectl.
tests/go/build.sh
# Keycloak, from Maven Central, once per machine (tests/it/keycloak.rs).
tests/keycloak/fetch.sh

npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
# The style gates first (issue 19): formatting, and clippy with clippy.toml's rules (the clock
# read once, the environment read in settings/).
cargo fmt --check
cargo clippy --locked --all-targets --quiet -- -D warnings
# The release workflow's macOS and Windows targets: their cfg paths compile (cargo check).
dist/check-targets.sh
# The release archive, made by dist/build.sh as a release makes it but with the dev profile
# (without debug info: a 14 MB archive), for the README's install commands (tests/it/dist.rs).
# About 3.5 min from nothing, 10 s after.
dist_test() {
  CARGO_PROFILE_DEV_STRIP=debuginfo KUBECTL_OIDC_DIST_PROFILE=dev \
    KUBECTL_OIDC_DIST_OUT=target/dist-test dist/build.sh "$@"
}
dist_test 2>/dev/null || dist_test
if [ -n "$skip_keyring" ]; then
  echo "scripts/test.sh: skipped: the OS keyring tests (tests/it/keyring.rs, os_keyring_*), because KUBECTL_OIDC_SKIP_KEYRING_TESTS is set" >&2
  cargo test --locked "$@" -- --skip os_keyring_
else
  cargo test --locked "$@"
fi
