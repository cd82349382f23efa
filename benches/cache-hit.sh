#!/usr/bin/env bash
# Benchmark the cache hit, in one hyperfine run on the same cache: `cat` of the ExecCredential,
# get-token from the release archive (dist/build.sh: static on Linux), get-token as
# `cargo install` builds it (the release profile, dynamic), and the archive's binary with
# --token-cache-storage=keyring. The cache is filled by a real login against the test provider,
# inside a D-Bus session with an unlocked gnome-keyring. Then the page faults of a cache hit
# (perf stat) and the binaries' sizes, the README's other tables. Needs hyperfine and perf
# (Debian: apt-get install hyperfine linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
dist/build.sh >/dev/null 2>&1 || dist/build.sh
npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
work=$(mktemp -d)
node tests/idp/server.js >"$work/idp.json" 2>/dev/null &
idp=$!
trap 'kill $idp 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/idp.json" ] && break; sleep 0.1; done
host=$(rustc -vV | sed -n 's/^host: //p')
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
tar -C "$work" -xzf "dist/out/kubectl-oidc-$version-$host.tar.gz"
export ISSUER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["issuer"])' "$work/idp.json")
export WORK=$work BROWSER_JS=$PWD/tests/idp/browser.js
export ARCHIVE_BIN=$work/kubectl-oidc-$version-$host/kubectl-oidc CARGO_BIN=$PWD/target/release/kubectl-oidc
export HOME=$work XDG_RUNTIME_DIR=$work
dbus-run-session -- bash -euo pipefail -c '
  echo bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  common="--oidc-issuer-url=$ISSUER --oidc-client-id=kubernetes --oidc-extra-scope=email --oidc-extra-scope=groups"
  for store in auto keyring; do
    $ARCHIVE_BIN login $common --listen-address=127.0.0.1:0 --token-cache-dir=$WORK/$store \
      --token-cache-storage=$store "--browser-command=node $BROWSER_JS" 2>/dev/null
  done
  export KUBERNETES_EXEC_INFO="{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}"
  $ARCHIVE_BIN get-token $common --token-cache-dir=$WORK/auto >$WORK/cred.json
  hyperfine -N --warmup 100 --runs 1000 --export-json $WORK/bench.json \
    -n "cat ExecCredential" "cat $WORK/cred.json" \
    -n "get-token, release archive" "$ARCHIVE_BIN get-token $common --token-cache-dir=$WORK/auto" \
    -n "get-token, cargo install" "$CARGO_BIN get-token $common --token-cache-dir=$WORK/auto" \
    -n "get-token, release archive, keyring store" "$ARCHIVE_BIN get-token $common --token-cache-dir=$WORK/keyring --token-cache-storage=keyring"
  # Page faults per cache hit (perf stat, the mean of 300 runs): the README'"'"'s table, for the
  # builds made today.
  faults() { perf stat -r 300 -x, -e page-faults "$@" 2>&1 >/dev/null | awk -F, "/page-faults/ {print \$1}"; }
  {
    echo "| build | page faults per cache hit |"
    echo "|---|---:|"
    echo "| the release archive (static, position-dependent) | $(faults $ARCHIVE_BIN get-token $common --token-cache-dir=$WORK/auto) |"
    echo "| cargo install (dynamic, non-PIE) | $(faults $CARGO_BIN get-token $common --token-cache-dir=$WORK/auto) |"
    echo "| cat | $(faults cat $WORK/cred.json) |"
  } >$WORK/faults.md
'
python3 benches/median-table.py "$work/bench.json"
echo
if command -v perf >/dev/null; then cat "$work/faults.md"; else echo "(no perf here: page faults not measured)"; fi
echo
# The README's binary sizes, of the builds made today.
size() { stat -c %s "$1" | awk '{printf "%.2f MB", $1 / 1e6}'; }
echo "| build | size |"
echo "|---|---:|"
echo "| cargo build --release (as cargo install builds it) | $(size target/release/kubectl-oidc) |"
echo "| the release archive's static binary | $(size "$ARCHIVE_BIN") |"
echo "| the release archive, .tar.gz | $(size "dist/out/kubectl-oidc-$version-$host.tar.gz") |"
