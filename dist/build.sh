#!/usr/bin/env bash
# dist/build.sh [TARGET]: build the release archive for TARGET (default: this host), then write
# the krew manifest for every archive of this version in dist/out/.
#
#   dist/out/kubectl-oidc-<version>-<target>.tar.gz         binary, LICENSE*, README.md,
#   dist/out/kubectl-oidc-<version>-<target>.tar.gz.sha256  completions/, man/
#   dist/krew/oidc.yaml                                     one platform per archive above
#
# Linux (gnu) binaries are linked statically (glibc +crt-static) and position-dependent
# (relocation-model=static), with an explicit --target so proc-macros still build as host
# libraries: no dynamic loader and no start-up relocation; see the README ("Release archives and
# start-up time") for the measurement and what static glibc costs.
# Windows binaries link the C runtime statically too. Release URLs default to Cargo.toml's
# `repository`; KUBECTL_OIDC_RELEASE_URL overrides them (the release workflow sets it).
# For the test suite: KUBECTL_OIDC_DIST_PROFILE=dev builds the same archive with cargo's dev
# profile (minutes faster than fat LTO), and KUBECTL_OIDC_DIST_OUT=DIR puts the archive, its
# .sha256 and the manifest (DIR/oidc.yaml) there instead of dist/out/ and dist/krew/.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${KUBECTL_OIDC_DIST_PROFILE:-release}
out=${KUBECTL_OIDC_DIST_OUT:-dist/out}
manifest=dist/krew/oidc.yaml
[ -n "${KUBECTL_OIDC_DIST_OUT:-}" ] && manifest=$out/oidc.yaml
host=$(rustc -vV | sed -n 's/^host: //p')
target=${1:-$host}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
repository=$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
name=kubectl-oidc-$version-$target
exe=kubectl-oidc
case $target in *-windows-*) exe=kubectl-oidc.exe ;; esac

case $target in
  *-linux-gnu*) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" ;;
  *-windows-msvc) export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" ;;
esac
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
cargo build --profile "$profile" --locked --target "$target"
# Where cargo put it (CARGO_TARGET_DIR and the like), not where it usually does.
bin=$(dist/binary-path.sh "$target" "$exe" "$profile")
if [ ! -x "$bin" ]; then
  echo "dist/build.sh: cargo built no $bin" >&2
  exit 1
fi

# What the archive promises, checked on the binary itself where this host can run it.
if [ "$target" = "$host" ]; then
  "$bin" version >/dev/null
  case $target in
    *-linux-gnu*)
      if readelf -l "$bin" | grep -q INTERP || ! readelf -h "$bin" | grep -q 'Type: *EXEC'; then
        echo "dist/build.sh: $bin is dynamically linked or a PIE; expected a static executable" >&2
        exit 1
      fi ;;
  esac
fi

stage=$out/$name
rm -rf "$stage" "$out/$name.tar.gz" "$out/$name.tar.gz.sha256"
mkdir -p "$stage"
cp "$bin" LICENSE LICENSE-APACHE LICENSE-MIT README.md "$stage/"
cp -R completions man "$stage/"

# A reproducible archive where GNU tar is at hand: sorted names, no owners, the commit's time.
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar=tar
command -v gtar >/dev/null && tar=gtar
if "$tar" --version 2>/dev/null | grep -q GNU; then
  "$tar" -C "$out" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    -cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
else
  "$tar" -C "$out" -cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
fi
rm -rf "$stage"

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}
(cd "$out" && echo "$(sha256 "$name.tar.gz")  $name.tar.gz" >"$name.tar.gz.sha256")

dist/krew/manifest.sh \
  --version "$version" \
  --url "${KUBECTL_OIDC_RELEASE_URL:-$repository/releases/download/v$version}" \
  --homepage "$repository" \
  "$out"/kubectl-oidc-"$version"-*.tar.gz >"$manifest"
echo "$out/$name.tar.gz ($(wc -c <"$out/$name.tar.gz") bytes), $manifest" >&2
