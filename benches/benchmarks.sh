#!/usr/bin/env bash
# Every figure of BENCHMARKS.md, side by side in one run, printed as Markdown on stdout.
# Needs hyperfine, curl, time, kubectl, openssl, node and gke-gcloud-auth-plugin (Debian/PyPI); the
# test provider runs on 127.0.0.1 with TLS (a throwaway CA), refresh tokens not rotating so
# that the same refresh token can be timed again and again.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
npm ci --prefix tests/idp --no-audit --no-fund --loglevel=error
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
BIN=$PWD/target/release/kubectl-oidc
runs=${RUNS:-500}
# The kubectl to time: KUBECTL, else the one on PATH. (gcloud's kubectl is a dispatcher that asks
# the server for its version and runs a matching kubectl.1.XX: pass that one to time kubectl alone.)
KUBECTL=${KUBECTL:-$(command -v kubectl)}

# A CA and a certificate for 127.0.0.1, as tests/it/common/tls.rs makes them.
(
  cd "$work"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
    -extfile ext.cnf 2>/dev/null
)
node tests/idp/server.js --tls-cert "$work/server.pem" --tls-key "$work/server.key" --no-rotation \
  >"$work/idp.json" 2>/dev/null &
for _ in $(seq 100); do [ -s "$work/idp.json" ] && break; sleep 0.1; done
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/idp.json" "$1"; }
ISSUER=$(field issuer)
KUBE=$(field kube_api)
export HOME=$work NODE_EXTRA_CA_CERTS=$work/ca.pem
export KUBERNETES_EXEC_INFO='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'
common=(--oidc-issuer-url="$ISSUER" --oidc-client-id=kubernetes --oidc-extra-scope=email
  --certificate-authority="$work/ca.pem" --token-cache-storage=disk)
cache=$work/cache-1
$BIN login "${common[@]}" --token-cache-dir="$cache" --listen-address=127.0.0.1:0 \
  "--browser-command=node $PWD/tests/idp/browser.js" 2>/dev/null
$BIN get-token "${common[@]}" --token-cache-dir="$cache" >"$work/cred.json"

table() { python3 benches/median-table.py "$1"; }

echo "## Cache hit: against cat, and against a Go plugin"
echo
# gke-gcloud-auth-plugin's own cache hit: its cache file and the kubeconfig context it names.
mkdir -p "$work/.kube"
printf 'apiVersion: v1\nkind: Config\ncurrent-context: bench\ncontexts:\n- name: bench\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {}\n' >"$work/.kube/config"
echo '{"current_context":"bench","access_token":"ya29.bench","token_expiry":"2099-01-01T00:00:00Z","extra_args":""}' \
  >"$work/.kube/gke_gcloud_auth_plugin_cache"
hyperfine -N --warmup 50 --runs "$runs" --export-json "$work/hit.json" \
  -n "cat ExecCredential" "cat $work/cred.json" \
  -n "kubectl-oidc get-token" "$BIN get-token ${common[*]} --token-cache-dir=$cache" \
  -n "gke-gcloud-auth-plugin (Go)" "env KUBECONFIG=$work/.kube/config gke-gcloud-auth-plugin" >/dev/null
table "$work/hit.json"
echo

echo "## Cache hit with 1, 100 and 1000 cached sessions"
echo
for n in 100 1000; do
  dir=$work/cache-$n
  cp -r "$cache" "$dir"
  for f in "$cache"/*.id_token; do
    for i in $(seq 2 "$n"); do
      digest=$(printf '%064x' "$i")
      cp "$f" "$dir/$digest.id_token"
      cp "${f%.id_token}.session" "$dir/$digest.session"
    done
  done
done
hyperfine -N --warmup 50 --runs "$runs" --export-json "$work/sessions.json" \
  -n "1 session" "$BIN get-token ${common[*]} --token-cache-dir=$work/cache-1" \
  -n "100 sessions" "$BIN get-token ${common[*]} --token-cache-dir=$work/cache-100" \
  -n "1000 sessions" "$BIN get-token ${common[*]} --token-cache-dir=$work/cache-1000" >/dev/null
table "$work/sessions.json"
echo

echo "## A refresh against the provider's own token round trip"
echo
python3 - "$cache" >"$work/refresh.form" <<'PY'
import glob, json, sys, urllib.parse
s = json.load(open(glob.glob(sys.argv[1] + "/*.session")[0]))
print(urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": "kubernetes",
                              "refresh_token": s["data"]["refresh_token"]}), end="")
PY
hyperfine -N --warmup 5 --runs 100 --export-json "$work/refresh.json" \
  -n "curl: the token endpoint alone" "curl -sf --cacert $work/ca.pem --data @$work/refresh.form $ISSUER/token -o /dev/null" \
  -n "kubectl-oidc get-token --force-refresh" "$BIN get-token ${common[*]} --token-cache-dir=$cache --force-refresh" >/dev/null
table "$work/refresh.json"
echo

echo "## kubectl get --raw /version: the exec entry setup writes, against kubectl oidc and a static token"
echo
args="--oidc-issuer-url=$ISSUER, --oidc-client-id=kubernetes, --oidc-extra-scope=email, --certificate-authority=$work/ca.pem, --token-cache-storage=disk, --token-cache-dir=$cache"
cat >"$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster: {server: "$KUBE", certificate-authority: "$work/ca.pem"}
users:
- name: direct
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      interactiveMode: IfAvailable
      command: kubectl-oidc
      args: [get-token, $args]
- name: through-kubectl
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      interactiveMode: IfAvailable
      command: $KUBECTL
      args: [oidc, get-token, $args]
- name: static
  user: {token: admin-token}
contexts:
- name: direct
  context: {cluster: bench, user: direct}
- name: through-kubectl
  context: {cluster: bench, user: through-kubectl}
- name: static
  context: {cluster: bench, user: static}
EOF
unset KUBERNETES_EXEC_INFO
# Both entries find the plugin on PATH, as krew and the archives install it.
export PATH=$(dirname "$BIN"):$PATH
hyperfine -N --warmup 5 --runs 100 --export-json "$work/kubectl.json" \
  -n "static token" "$KUBECTL --kubeconfig $work/kubeconfig --context static get --raw /version" \
  -n "command: kubectl-oidc (what setup writes)" "$KUBECTL --kubeconfig $work/kubeconfig --context direct get --raw /version" \
  -n "command: kubectl, args: [oidc, get-token, ...]" "$KUBECTL --kubeconfig $work/kubeconfig --context through-kubectl get --raw /version" >/dev/null
table "$work/kubectl.json"
echo
echo "One plugin call, as kubectl makes it for each entry:"
echo
export KUBERNETES_EXEC_INFO='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'
hyperfine -N --warmup 20 --runs "$runs" --export-json "$work/entry.json" \
  -n "kubectl-oidc get-token" "kubectl-oidc get-token ${common[*]} --token-cache-dir=$cache" \
  -n "kubectl oidc get-token" "$KUBECTL oidc get-token ${common[*]} --token-cache-dir=$cache" >/dev/null
table "$work/entry.json"
echo

echo "## Peak memory and binary size"
echo
export KUBERNETES_EXEC_INFO='{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}'
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "| what | peak RSS |"
echo "|---|---:|"
echo "| cat ExecCredential | $(rss cat "$work/cred.json") KiB |"
echo "| get-token, cache hit | $(rss "$BIN" get-token "${common[@]}" --token-cache-dir="$cache") KiB |"
echo "| get-token --force-refresh | $(rss "$BIN" get-token "${common[@]}" --token-cache-dir="$cache" --force-refresh) KiB |"
echo "| gke-gcloud-auth-plugin, cache hit | $(HOME=$work KUBECONFIG=$work/.kube/config rss gke-gcloud-auth-plugin) KiB |"
echo
echo "Release binary (\`cargo build --release\`, fat LTO, stripped): $(stat -c %s "$BIN" | numfmt --to=iec-i --suffix=B)."
