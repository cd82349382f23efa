#!/usr/bin/env bash
# The real Kubernetes parts the tests run, built from the Go modules pinned in tests/go/*/go.sum
# (the Go module proxy, no other download) into target/k8s/:
#   kube-apiserver v1.37.2 and kubectl v1.37.2  (tests/go/k8s: k8s.io/kubernetes with its staging
#                                                modules replaced by their v0.37.2 releases)
#   authn-oracle                                (tests/go/k8s/oracle: the API server's own JWT
#                                                authenticator and validation, k8s.io/apiserver v0.37.2)
#   authn-oracle-1.34                           (tests/go/k8s134: the same oracle with k8s.io/kubernetes
#                                                v1.34.4 and its staging modules at v0.34.4)
#   etcd v3.6.16                                (tests/go/etcd)
#   kubelogin v1.36.3                           (tests/go/kubelogin)
#   dex v2.45.1                                 (tests/go/dex: github.com/dexidp/dex at the v2.45.1
#                                                tag's commit, as a pseudo-version: its tags are not
#                                                valid module versions)
# Each is rebuilt only when its module files or sources change (a stamp beside the binary);
# the Go build and module caches make a rebuild after a change a matter of linking.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../target/k8s"
mkdir -p "$out"
command -v go >/dev/null || {
  echo "tests/go/build.sh: Go is needed to build kube-apiserver, etcd, kubelogin and Dex for the tests (the machine's Go 1.26, with the Go module proxy)" >&2
  exit 1
}
export CGO_ENABLED=0 GOFLAGS=-mod=readonly GOTOOLCHAIN=local

# build NAME MODULE_DIR PACKAGE [LDFLAGS]
build() {
  local name=$1 dir=$2 pkg=$3 ldflags=${4:-}
  local stamp="$out/.$name.stamp" sum
  # The module's go.mod and go.sum, and a local package's own sources.
  local files=(go.mod go.sum)
  case $pkg in ./*) mapfile -t -O 2 files < <(cd "$here/$dir" && find "$pkg" -name '*.go' | LC_ALL=C sort) ;; esac
  sum=$(cd "$here/$dir" && cat "${files[@]}" | sha256sum | cut -d' ' -f1)
  sum="$sum $(go version) $pkg $ldflags"
  if [ -x "$out/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  echo "tests/go/build.sh: building $name ($pkg)" >&2
  local start=$SECONDS
  (cd "$here/$dir" && go build -trimpath -ldflags "$ldflags" -o "$out/$name.new" "$pkg")
  mv "$out/$name.new" "$out/$name"
  echo "$sum" >"$stamp"
  echo "tests/go/build.sh: built $name in $((SECONDS - start)) s" >&2
}

k8s_version="-X k8s.io/component-base/version.gitVersion=v1.37.2 -X k8s.io/client-go/pkg/version.gitVersion=v1.37.2"
build etcd etcd go.etcd.io/etcd/server/v3
build kubelogin kubelogin github.com/int128/kubelogin
build dex dex github.com/dexidp/dex/cmd/dex "-X main.version=v2.45.1"
build kubectl k8s k8s.io/kubernetes/cmd/kubectl "$k8s_version"
build kube-apiserver k8s k8s.io/kubernetes/cmd/kube-apiserver "$k8s_version"
build authn-oracle k8s ./oracle
# The same oracle against the Kubernetes 1.34 modules (its source is copied in, not kept twice).
mkdir -p "$here/k8s134/oracle"
cp "$here/k8s/oracle/main.go" "$here/k8s134/oracle/main.go"
build authn-oracle-1.34 k8s134 ./oracle
