#!/usr/bin/env bash
# Benchmark the cache hit: `get-token` with the default store (auto) and with
# --token-cache-storage=keyring, against `cat` of the same ExecCredential, in one hyperfine run.
# The cache is filled by a real login against the test provider, inside a D-Bus session with
# an unlocked gnome-keyring. Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
work=$(mktemp -d)
node tests/idp/server.js >"$work/idp.json" 2>/dev/null &
idp=$!
trap 'kill $idp 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/idp.json" ] && break; sleep 0.1; done
export ISSUER=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["issuer"])' "$work/idp.json")
export WORK=$work BIN=$PWD/target/release/kubectl-oidc BROWSER_JS=$PWD/tests/idp/browser.js
export HOME=$work XDG_RUNTIME_DIR=$work
dbus-run-session -- bash -euo pipefail -c '
  echo bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  common="--oidc-issuer-url=$ISSUER --oidc-client-id=kubernetes --oidc-extra-scope=email --oidc-extra-scope=groups"
  for store in auto keyring; do
    $BIN login $common --listen-address=127.0.0.1:0 --token-cache-dir=$WORK/$store \
      --token-cache-storage=$store "--browser-command=node $BROWSER_JS" 2>/dev/null
  done
  export KUBERNETES_EXEC_INFO="{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}"
  $BIN get-token $common --token-cache-dir=$WORK/auto >$WORK/cred.json
  hyperfine -N --warmup 100 --runs 1000 --export-json $WORK/bench.json \
    -n "cat ExecCredential" "cat $WORK/cred.json" \
    -n "get-token (default store)" "$BIN get-token $common --token-cache-dir=$WORK/auto" \
    -n "get-token (keyring store)" "$BIN get-token $common --token-cache-dir=$WORK/keyring --token-cache-storage=keyring"
'
python3 benches/median-table.py "$work/bench.json"
