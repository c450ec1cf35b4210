#!/usr/bin/env bash
# Runs the DHT simulation suite (see benchmarks/README-sim.md) and writes benchmarks/results/sim-*.{json,md,svg}.
#
#   benchmarks/run-sim.sh                      # the full suite: 10,000 and 100,000 nodes (~30-40 min, 16 GB heap)
#   benchmarks/run-sim.sh --suite quick        # 2,000 nodes, about a minute
#   benchmarks/run-sim.sh --suite 100k --only loss30
#
# Arguments go to org.dialtone.bench.sim.SimMain: --suite full|quick|10k|100k, --only SUBSTRING, --seed N,
# --out DIR. SIM_HEAP overrides the heap size (default 16g).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/benchmarks/target/sim-classpath.txt" -Dmdep.includeScope=runtime
# The reactor resolves dialtone-dht to dht/target/classes, so the simulation runs this checkout's DHT code.
CP="benchmarks/target/classes:$(cat benchmarks/target/sim-classpath.txt)"
HEAP="${SIM_HEAP:-16g}"
exec java -Xms"$HEAP" -Xmx"$HEAP" -cp "$CP" org.dialtone.bench.sim.SimMain "$@"
