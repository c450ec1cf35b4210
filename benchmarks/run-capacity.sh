#!/usr/bin/env bash
# What one node serves (issue 16, item 4): a bare Vert.x UDP echo and then one DHT node (the first of a formed network
# of 64), each in a child process pinned to CPU 0, driven by an open-loop generator pinned to CPU 1 from 1024 loopback
# addresses (one per /24) with FIND_NODE, FIND_VALUE and STORE at rising rates. Prints the steps and a table, and writes
# results/capacity.json and results/capacity.md.
# Usage: benchmarks/run-capacity.sh [--rates 1000,2000,...] [--ops find_node,...] [--measure-ms 3000] [--no-pin]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -B -q ${MVN_FLAGS:-} package -DskipTests -pl benchmarks -am   # the reactor; nothing installed into ~/.m2
cd "$here"
cp="target/classes:$(cat target/classpath.txt)"
pin=()
if command -v taskset >/dev/null && [ "$(grep -c ^processor /proc/cpuinfo)" -ge 2 ]; then pin=(taskset -c 1); fi
exec "${pin[@]}" java -XX:+UseSerialGC -Xms512m -Xmx1g -cp "$cp" org.dialtone.bench.capacity.CapacityBench \
  --out results "$@"
