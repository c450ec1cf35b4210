#!/usr/bin/env bash
# What one Ed25519 signature and verification cost (thread CPU time), by library: Bouncy Castle (the DHT's), the
# system's libsodium through JNA (Debian: libsodium23; skipped with a note when absent) and the JDK's SunEC. Pinned to
# one core like the side-by-side runs. Writes results/ed25519.json and results/ed25519.md.
# Usage: benchmarks/run-ed25519.sh [--keys 2000] [--rounds 5]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -B -q ${MVN_FLAGS:-} package -DskipTests -pl benchmarks -am   # the reactor; nothing installed into ~/.m2
cd "$here"
cp="target/classes:$(cat target/classpath.txt)"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "${PIN_CPU:-1}"); fi
exec "${pin[@]}" java -Xms256m -Xmx256m -cp "$cp" org.dialtone.bench.crypto.Ed25519Timing --out results "$@"
