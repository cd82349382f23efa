#!/usr/bin/env bash
# dist/krew/manifest.sh --version V --url URL --homepage URL ARCHIVE...
# Print the krew manifest (plugin `oidc`) with one platform per release archive given: the
# archive's target triple gives os/arch, its bytes give sha256 (checked against the .sha256
# file beside it when there is one). No archive, no manifest: never a placeholder checksum.
set -euo pipefail

usage() { echo "usage: $0 --version V --url URL --homepage URL ARCHIVE..." >&2; exit 2; }
version= url= homepage=
while [ $# -gt 0 ]; do
  case $1 in
    --version) version=$2; shift 2 ;;
    --url) url=${2%/}; shift 2 ;;
    --homepage) homepage=$2; shift 2 ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ -n "$version" ] && [ -n "$url" ] && [ -n "$homepage" ] || usage
archives=()
for a in "$@"; do [ -f "$a" ] && archives+=("$a"); done
if [ ${#archives[@]} -eq 0 ]; then
  echo "$0: no release archive given (dist/build.sh makes them)" >&2
  exit 1
fi

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

cat <<YAML
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: oidc
spec:
  version: v$version
  homepage: $homepage
  shortDescription: Log in to Kubernetes with OpenID Connect; fast cached tokens
  description: |
    A kubectl credential plugin for OpenID Connect providers (Cognito, Entra ID,
    Google, Okta, Keycloak, Dex, ...). kubectl runs it from a kubeconfig exec entry
    on every call: a cached id_token is served in about a millisecond, refreshed
    once when it expires, and a browser login (authorization code + PKCE) runs
    only when no refresh token works. Refresh tokens are kept in the OS keyring.
    \`kubectl oidc debug-token\` explains, as the API server would, which user and
    groups a token maps to and why RBAC does not match.
  caveats: |
    Register these redirect URIs for your client at the OpenID provider:
      http://127.0.0.1:8000/callback
      http://127.0.0.1:18000/callback
    (providers that take only localhost, such as Cognito: see the README's
    Providers section). Then log in and write the kubeconfig entry with:
      kubectl oidc setup --oidc-issuer-url=ISSUER --oidc-client-id=CLIENT_ID
    Shell completion through kubectl: put kubectl_complete-oidc on PATH (see
    the completions/ folder of the archive).
  platforms:
YAML

seen=" "
for archive in "${archives[@]}"; do
  file=$(basename "$archive")
  stem=${file%.tar.gz}
  target=${stem#kubectl-oidc-"$version"-}
  if [ "$stem" = "$file" ] || [ "$target" = "$stem" ]; then
    echo "$0: $archive is not named kubectl-oidc-$version-TARGET.tar.gz" >&2
    exit 1
  fi
  case $target in
    x86_64-unknown-linux-*) os=linux arch=amd64 ;;
    aarch64-unknown-linux-*) os=linux arch=arm64 ;;
    x86_64-apple-darwin) os=darwin arch=amd64 ;;
    aarch64-apple-darwin) os=darwin arch=arm64 ;;
    x86_64-pc-windows-*) os=windows arch=amd64 ;;
    aarch64-pc-windows-*) os=windows arch=arm64 ;;
    *) echo "$0: no krew platform for target $target" >&2; exit 1 ;;
  esac
  case $seen in *" $os/$arch "*)
    echo "$0: two archives for $os/$arch" >&2; exit 1 ;;
  esac
  seen="$seen$os/$arch "
  sum=$(sha256 "$archive")
  if [ -f "$archive.sha256" ] && [ "$(cut -d' ' -f1 <"$archive.sha256")" != "$sum" ]; then
    echo "$0: $archive does not match $archive.sha256" >&2
    exit 1
  fi
  bin=kubectl-oidc
  [ "$os" = windows ] && bin=kubectl-oidc.exe
  cat <<YAML
  - selector:
      matchLabels:
        os: $os
        arch: $arch
    uri: $url/$file
    sha256: $sum
    files:
    - from: $stem/*
      to: .
    bin: $bin
YAML
done
