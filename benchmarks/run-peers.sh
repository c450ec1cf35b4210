#!/usr/bin/env bash
# The side-by-side cluster benchmark (shared/bench/SCENARIO.md): builds Dialtone, installs the pinned hyperdht and
# bittorrent-dht from npm, runs every implementation x N x run (runs 1 and 2, seeds 1 and 2) one process at a time,
# each both pinned to one core (taskset -c 1: the JVM, its GC and JIT share that core as the JS event loop does) and
# unpinned, then prints one table across the implementations with the ratios Dialtone / best peer (on the pinned
# runs) and writes results/summary.md, results/summary.json and the plots.
# Usage: benchmarks/run-peers.sh [N ...]            (default: 100 500 1000 2000)
#        IMPLS="dialtone hyperdht" RUNS="1" PIN=pinned benchmarks/run-peers.sh 1000
# PIN: both (default), pinned or unpinned; PIN_CPU: the core of the pinned runs (default 1).
# Files: results/<impl>-n<N>-pinned-run<R>.json (pinned), results/<impl>-n<N>-run<R>.json (unpinned).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100 500 1000 2000)
impls=(${IMPLS:-dialtone hyperdht bittorrent-dht})
runs=(${RUNS:-1 2})
case "${PIN:-both}" in
  both) modes=(pinned unpinned) ;;
  pinned|unpinned) modes=("$PIN") ;;
  *) echo "PIN must be both, pinned or unpinned" >&2; exit 2 ;;
esac
pin_cpu="${PIN_CPU:-1}"
if ! command -v taskset >/dev/null; then echo "taskset (util-linux) is needed for the pinned runs" >&2; exit 2; fi
# One JVM for all Dialtone nodes: serial GC (2 cores; the lowest footprint), a small young generation so that the
# RSS measured is the nodes' and not an eden full of garbage, small thread stacks, and glibc's free memory given back
# to the system every 10 s (JDK 17.0.9+; C2's compiler arenas, about 20 MiB freed after formation, otherwise stay
# resident: see README.md, "27 Nov 2026, night").
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmn32m -Xmx2g -Xss512k -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000}"
NODE_OPTS="--expose-gc --max-old-space-size=4096"
HARD_TIMEOUT=960   # the scenario's 900 s, plus a margin for start-up and shutdown

cd "$here/.."
# Build this checkout's modules in the reactor, without installing anything into ~/.m2: the classpath file written
# by the benchmarks module points at the reactor's dht jar. MVN_FLAGS="-o" builds offline.
mvn -B -q ${MVN_FLAGS:-} package -DskipTests -pl benchmarks -am
cd "$here/peers"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
cd "$here"
mkdir -p results
exec 2> >(tee -a results/run-peers.log >&2)   # the log keeps each run's load average
cp="target/classes:$(cat target/classpath.txt)"

for n in "${sizes[@]}"; do
  for run in "${runs[@]}"; do
    for impl in "${impls[@]}"; do
      for mode in "${modes[@]}"; do
        if [ "$mode" = pinned ]; then out="results/$impl-n$n-pinned-run$run.json"; pin=(taskset -c "$pin_cpu")
        else out="results/$impl-n$n-run$run.json"; pin=(); fi
        echo "== $impl N=$n run $run $mode ($(uptime | sed 's/.*load average/load average/'))" >&2
        case "$impl" in
          dialtone)
            timeout -k 10 $HARD_TIMEOUT "${pin[@]}" java $JAVA_OPTS -cp "$cp" org.dialtone.bench.peers.DialtoneScenario \
              --n "$n" --run "$run" --out "$out" || echo "!! $impl N=$n run $run $mode failed ($?)" >&2 ;;
          hyperdht|bittorrent-dht)
            (cd peers && timeout -k 10 $HARD_TIMEOUT "${pin[@]}" node $NODE_OPTS "$impl.mjs" --n "$n" --run "$run" \
              --out "../$out") || echo "!! $impl N=$n run $run $mode failed ($?)" >&2 ;;
          *) echo "unknown implementation $impl" >&2; exit 2 ;;
        esac
      done
    done
  done
done
java -cp "$cp" org.dialtone.bench.peers.Summary results
