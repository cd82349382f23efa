#!/usr/bin/env bash
# A cache hit of kubelogin's get-token (v1.36.3, built from its Go module by tests/go/build.sh)
# against ours (the release profile), on the same machine and the same id_token: the test
# provider (tests/idp) on 127.0.0.1, one login by each (client `kubelogin`, its redirect), then
# kubelogin's cache file is given our id_token, so both serve the very same token string.
#
# Paired runs: ROUNDS rounds (default 20) of `hyperfine -N --runs RUNS` (default 100) over both
# commands; each round's two medians make a pair, and the figure is the median of the rounds'
# ratios (a noisy neighbour slows both sides of a round alike). Needs hyperfine (Debian:
# apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-20}
runs=${RUNS:-100}
cargo build --release --locked --quiet
tests/go/build.sh
npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
work=$(mktemp -d)
node tests/idp/server.js >"$work/idp.json" 2>/dev/null &
idp=$!
trap 'kill $idp 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/idp.json" ] && break; sleep 0.1; done
issuer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["issuer"])' "$work/idp.json")
ours=$PWD/target/release/kubectl-oidc
kubelogin=$PWD/target/k8s/kubelogin
export HOME=$work
# kubelogin runs its browser command with the URL as the only argument, no shell.
printf '#!/bin/sh\nexec node %s "$1"\n' "$PWD/tests/idp/browser.js" >"$work/browser.sh"
chmod +x "$work/browser.sh"
common=(--oidc-issuer-url="$issuer" --oidc-client-id=kubelogin --oidc-extra-scope=email)
"$kubelogin" get-token "${common[@]}" --listen-address=127.0.0.1:0 \
  --browser-command="$work/browser.sh" --token-cache-dir="$work/kl" >/dev/null 2>&1
"$ours" login "${common[@]}" --oidc-redirect-url-hostname=localhost --listen-address=127.0.0.1:0 \
  --browser-command="node $PWD/tests/idp/browser.js" --token-cache-dir="$work/ours" \
  --token-cache-storage=disk 2>/dev/null
# The same id_token in both caches.
kl_file=$(find "$work/kl" -type f ! -name '*.lock' | head -n1)
python3 - "$work/ours" "$kl_file" <<'EOF'
import glob, json, sys
ours = json.load(open(glob.glob(sys.argv[1] + "/*.id_token")[0]))["data"]["id_token"]
kl = json.load(open(sys.argv[2]))
kl["id_token"] = ours
json.dump(kl, open(sys.argv[2], "w"))
EOF
export KUBERNETES_EXEC_INFO='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'
a="$kubelogin get-token ${common[*]} --token-cache-dir=$work/kl"
b="$ours get-token ${common[*]} --oidc-redirect-url-hostname=localhost --token-cache-dir=$work/ours --token-cache-storage=disk"
tok() { $1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["token"])'; }
[ "$(tok "$a")" = "$(tok "$b")" ] || { echo "vs-kubelogin.sh: the two caches do not serve the same token" >&2; exit 1; }
for r in $(seq "$rounds"); do
  hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/round-$r.json" \
    -n "kubelogin get-token (v1.36.3)" "$a" -n "kubectl-oidc get-token" "$b" >/dev/null 2>&1
done
python3 - "$work" "$rounds" <<'EOF'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
pairs = []
for r in range(1, rounds + 1):
    res = json.load(open(f"{work}/round-{r}.json"))["results"]
    pairs.append((res[0]["median"], res[1]["median"]))
kl = statistics.median(p[0] for p in pairs)
ours = statistics.median(p[1] for p in pairs)
ratio = statistics.median(p[0] / p[1] for p in pairs)
lo, hi = min(p[0] / p[1] for p in pairs), max(p[0] / p[1] for p in pairs)
print("| command | median of the rounds' medians |")
print("|---|---:|")
print(f"| kubelogin get-token (v1.36.3) | {kl * 1000:.2f} ms |")
print(f"| kubectl-oidc get-token | {ours * 1000:.2f} ms |")
print()
print(f"kubelogin / kubectl-oidc, median of {rounds} paired rounds: {ratio:.2f}x (rounds: {lo:.2f}x to {hi:.2f}x)")
EOF
