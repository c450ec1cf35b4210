#!/usr/bin/env bash
# Counts what forming a network costs (bench.sim.FormationCost): N nodes join through node 0 on a simulated
# network and a virtual clock, so the counts are exact and free of the machine's load. Writes
# benchmarks/results/formation-n<N>.json.
#
#   benchmarks/run-formation.sh                 # N = 1000, J = 16, seed 7 (about a minute)
#   benchmarks/run-formation.sh --n 2000 --seed 8
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q ${MVN_FLAGS:-} -pl benchmarks -am compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/benchmarks/target/sim-classpath.txt" -Dmdep.includeScope=runtime
CP="benchmarks/target/classes:$(cat benchmarks/target/sim-classpath.txt)"
exec java -Xmx4g -cp "$CP" org.dialtone.bench.sim.FormationCost "$@"
