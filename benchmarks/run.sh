#!/usr/bin/env bash
# Builds the benchmarks and runs the SPEC section 7 comparison:
#   benchmarks/run.sh quick   indicative, about 15 minutes on 2 cores (1 fork, short iterations, 256-byte appends
#                             only, scaled peer graph)
#   benchmarks/run.sh full    the SPEC rules: 2 forks, 5 iterations, every graph at full size (about 3 hours)
#   benchmarks/run.sh quick large-transactions   one section alone (sections: appends, loads, checkpoint-stall, archive,
#                             memory, large-transactions, peers, kafka), printing only its table and targets; peers
#                             is the comparison with Neo4j and ArcadeDB embedded; kafka starts a broker of its own
#                             (wal-kafka's test broker, in a JVM of its own, on a free loopback port)
# Prints each target as "target-name measured=... goal=... PASS|MISS" after a table of every benchmark, and
# keeps the raw JMH results (JSON), the report and this console output in benchmarks/target/results/.
# Environment: JAVA_HOME picks the JDK (default: java on the PATH); GRAPHWAL_BENCH_DATA the directory for trial
# files (default benchmarks/target/bench-data; it must be on a real disk, not tmpfs).
# GRAPHWAL_BENCH_OTHER_DEVICE a directory on another device, for the archive kept off the log's disk (default
# /dev/shm).
set -euo pipefail

profile="${1:-}"
section="${2:-}"
if [[ ( "$profile" != "quick" && "$profile" != "full" ) || $# -gt 2 ]]; then
  echo "usage: benchmarks/run.sh quick|full [SECTION]" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

results="benchmarks/target/results"
data="${GRAPHWAL_BENCH_DATA:-benchmarks/target/bench-data}"
mkdir -p "$results" "$data"

echo "building the benchmarks (mvn -B -ntp -q -pl benchmarks -am package -DskipTests)"
if ! mvn -B -ntp -q -pl benchmarks -am package -DskipTests > "$results/build.log" 2>&1; then
  cat "$results/build.log" >&2
  echo "the build failed; see above" >&2
  exit 1
fi

# JMH refuses to start while another JMH run holds its lock file; on a shared machine that lock may belong to
# someone else's run, so it is ignored here (and the report's numbers are then noisier, as any shared run's are).
"$java_bin" -Xmx1g -Djmh.ignoreLock=true \
  -Dgraphwal.bench.resultsDir="$results" -Dgraphwal.bench.data="$data" \
  ${GRAPHWAL_BENCH_OTHER_DEVICE:+-Dgraphwal.bench.otherDevice="$GRAPHWAL_BENCH_OTHER_DEVICE"} \
  -cp benchmarks/target/benchmarks.jar io.graphwal.benchmarks.BenchmarkReport "$profile" ${section:+"$section"} \
  2>&1 | tee "$results/run-$profile${section:+-$section}.log"
