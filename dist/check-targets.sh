#!/usr/bin/env bash
# The release targets' own code paths (the macOS Keychain and the Windows Credential Manager
# stores, every cfg(target_os) branch) type-checked on this Linux machine: `cargo check --locked
# --target T` for one target of each OS the release workflow builds. Nothing is linked or run.
#
# ring's build script compiles its C for the target even for a check. Neither the macOS SDK nor
# MSVC is here, so it is compiled with the machine's clang against dist/target-check/include/:
# stubs of the four libc and SDK headers ring includes (TargetConditionals.h, string.h,
# stdlib.h, assert.h), with clang's own stddef.h/stdint.h, and archived by llvm-ar (llvm-lib for
# MSVC). Those
# objects are thrown away: only the Rust code is what this checks.
#
# Run by scripts/test.sh; the targets' standard libraries come from rustup when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(x86_64-apple-darwin x86_64-pc-windows-msvc)
command -v clang >/dev/null || { echo "dist/check-targets.sh: clang is needed (apt-get install clang)" >&2; exit 1; }
tool() { command -v "$1" || ls /usr/lib/llvm-*/bin/"$1" 2>/dev/null | tail -1 || true; }
ar=$(tool llvm-ar) lib=$(tool llvm-lib)
[ -n "$ar" ] && [ -n "$lib" ] || { echo "dist/check-targets.sh: llvm-ar and llvm-lib are needed (apt-get install llvm)" >&2; exit 1; }
installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
include="$PWD/dist/target-check/include"
start=$SECONDS
for t in "${targets[@]}"; do
  v=${t//-/_}
  archiver=$ar
  case $t in *-msvc) archiver=$lib ;; esac
  env "CC_$v=clang" "CFLAGS_$v=-nostdlibinc -I$include -w" "AR_$v=$archiver" \
    cargo check --locked --quiet --target "$t"
done
echo "dist/check-targets.sh: ${targets[*]} type-check ($((SECONDS - start)) s)" >&2
