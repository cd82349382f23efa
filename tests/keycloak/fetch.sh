#!/usr/bin/env bash
# Keycloak, the real provider behind the keycloak preset's tests (tests/it/keycloak.rs): its
# Quarkus distribution, pinned, from Maven Central (org.keycloak:keycloak-quarkus-dist, a zip),
# unpacked into target/keycloak/ once per machine. It runs on the machine's Java 17.
set -euo pipefail
version=26.5.6
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../target/keycloak"
[ -x "$out/keycloak-$version/bin/kc.sh" ] && exit 0
command -v mvn >/dev/null && command -v java >/dev/null || {
  echo "tests/keycloak/fetch.sh: Maven and Java 17+ are needed to fetch and run Keycloak" >&2
  exit 1
}
mkdir -p "$out"
start=$SECONDS
mvn -q dependency:copy "-Dartifact=org.keycloak:keycloak-quarkus-dist:$version:zip" "-DoutputDirectory=$out" >/dev/null
(cd "$out" && rm -rf "keycloak-$version" && unzip -q "keycloak-quarkus-dist-$version.zip" && rm "keycloak-quarkus-dist-$version.zip")
echo "tests/keycloak/fetch.sh: Keycloak $version in $((SECONDS - start)) s" >&2
