#!/usr/bin/env bash
# The side-by-side cluster benchmark (shared/bench/SCENARIO.md): builds Dialtone, installs the pinned hyperdht and
# bittorrent-dht from npm, runs every implementation x N x run (runs 1 and 2, seeds 1 and 2) one process at a time,
# then prints one table across the implementations with the ratios Dialtone / best peer and writes
# results/summary.md, results/summary.json, results/lookup-cdf.svg and results/lookup-vs-n.svg.
# Usage: benchmarks/run-peers.sh [N ...]            (default: 100 500 1000 2000)
#        IMPLS="dialtone hyperdht" RUNS="1" benchmarks/run-peers.sh 1000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 500 1000 2000)
impls=(${IMPLS:-dialtone hyperdht bittorrent-dht})
runs=(${RUNS:-1 2})
# One JVM for all Dialtone nodes: serial GC (2 cores; the lowest footprint), a small young generation so that the
# RSS measured is the nodes' and not an eden full of garbage, small thread stacks.
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmn32m -Xmx2g -Xss512k}"
NODE_OPTS="--expose-gc --max-old-space-size=4096"
HARD_TIMEOUT=960   # the scenario's 900 s, plus a margin for start-up and shutdown

cd "$here/.."
mvn -B -q install -DskipTests
cd "$here/peers"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
cd "$here"
mkdir -p results
cp="target/classes:$(cat target/classpath.txt)"

for n in "${sizes[@]}"; do
  for impl in "${impls[@]}"; do
    for run in "${runs[@]}"; do
      out="results/$impl-n$n-run$run.json"
      echo "== $impl N=$n run $run" >&2
      case "$impl" in
        dialtone)
          timeout -k 10 $HARD_TIMEOUT java $JAVA_OPTS -cp "$cp" org.dialtone.bench.peers.DialtoneScenario \
            --n "$n" --run "$run" --out "$out" || echo "!! $impl N=$n run $run failed ($?)" >&2 ;;
        hyperdht|bittorrent-dht)
          (cd peers && timeout -k 10 $HARD_TIMEOUT node $NODE_OPTS "$impl.mjs" --n "$n" --run "$run" --out "../$out") \
            || echo "!! $impl N=$n run $run failed ($?)" >&2 ;;
        *) echo "unknown implementation $impl" >&2; exit 2 ;;
      esac
    done
  done
done
java -cp "$cp" org.dialtone.bench.peers.Summary results
