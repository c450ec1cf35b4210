#!/usr/bin/env bash
# Runs the JMH microbenchmarks (codec, routing, lookup, crypto, record store) with the GC profiler and writes
# results/jmh.json (JMH's own format) and results/jmh.md (ops/s and bytes allocated per op).
# Usage: benchmarks/run-jmh.sh [JMH args, e.g. a benchmark regex like 'Codec']
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -B -q ${MVN_FLAGS:-} package -DskipTests -pl benchmarks -am   # the reactor; nothing installed into ~/.m2
cd "$here"
mkdir -p results
cp="target/classes:$(cat target/classpath.txt)"
# forks=1, 3 x 1 s warm-up, 5 x 1 s measurement: the suite takes a few minutes on 2 cores.
java -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc \
  -jvmArgs "-Xms1g -Xmx1g -XX:+UseParallelGC" \
  -rf json -rff results/jmh.json "$@" 2>&1 | tee results/jmh.log | grep -E '^(# Run progress|Benchmark|[A-Z][A-Za-z]+Benchmark\.)' || true
java -cp "$cp" org.dialtone.bench.jmh.JmhReport results/jmh.json results/jmh.md
