#!/usr/bin/env bash
# dist/binary-path.sh TARGET EXE [PROFILE]: where `cargo build --profile PROFILE --target TARGET`
# (release by default) puts EXE, asked
# of cargo itself (`cargo metadata`'s target directory), so that CARGO_TARGET_DIR, a
# .cargo/config.toml `build.target-dir` or a workspace are followed, not assumed to be ./target.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cargo metadata --format-version 1 --no-deps --locked | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ -z "$dir" ]; then
  echo "dist/binary-path.sh: cargo metadata named no target directory" >&2
  exit 1
fi
profile=${3:-release}
# cargo's dev profile builds into debug/.
[ "$profile" = dev ] && profile=debug
echo "$dir/$1/$profile/$2"
